/* hs-timeline.h — a scrubber over every recorded step, showing allocation, free and gc density. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "hs-trace.h"

G_BEGIN_DECLS

#define HS_TYPE_TIMELINE (hs_timeline_get_type ())
G_DECLARE_FINAL_TYPE (HsTimeline, hs_timeline, HS, TIMELINE, GtkWidget)

GtkWidget *hs_timeline_new (void);
/* The trace whose events feed the density; NULL clears. */
void       hs_timeline_set_trace (HsTimeline *self, HsTrace *trace);
/* Reads events recorded since the last call (cheap; call after each sync). */
void       hs_timeline_update (HsTimeline *self);
void       hs_timeline_set_step (HsTimeline *self, guint64 step);
guint64    hs_timeline_get_step (HsTimeline *self);
guint64    hs_timeline_get_total_steps (HsTimeline *self);

G_END_DECLS
