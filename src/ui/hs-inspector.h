/* hs-inspector.h — everything about the selected object: value, refcount by holder, neighbours, sizes. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "hs-trace.h"

G_BEGIN_DECLS

#define HS_TYPE_INSPECTOR (hs_inspector_get_type ())
G_DECLARE_FINAL_TYPE (HsInspector, hs_inspector, HS, INSPECTOR, GtkWidget)

/* Shows object `id` as the model has it now (0: nothing selected). */
void        hs_inspector_set_object (HsInspector *self, HsTraceModel *model, HsId id);
HsId        hs_inspector_get_object (HsInspector *self);
/* "3 = message + another_message + temporary", for tests and screen readers. */
const char *hs_inspector_get_breakdown (HsInspector *self);
/* The "Refers to" rows, one per line (for tests). */
char       *hs_inspector_get_referents_text (HsInspector *self);

/* Describes who holds a reference, for breakdowns and the referrers list. */
char       *hs_inspector_describe_holder (HsTraceModel *model, const HsTraceRef *ref);

G_END_DECLS
