/* hs-gc-panel.h — the collector's switch, generation gauges, Collect button and history. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "hs-trace.h"

G_BEGIN_DECLS

#define HS_TYPE_GC_PANEL (hs_gc_panel_get_type ())
G_DECLARE_FINAL_TYPE (HsGcPanel, hs_gc_panel, HS, GC_PANEL, GtkWidget)

/* Shows the collector's state at the model's step (counts, thresholds, history). */
void hs_gc_panel_update (HsGcPanel *self, HsTraceModel *model);
/* "Collected N" after a Collect button press. */
void hs_gc_panel_show_result (HsGcPanel *self, int generation, gint64 collected);
/* Texts shown, for tests. */
const char *hs_gc_panel_get_gauge_text (HsGcPanel *self, guint generation);
guint hs_gc_panel_get_n_history (HsGcPanel *self);

G_END_DECLS
