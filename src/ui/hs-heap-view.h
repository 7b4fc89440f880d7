/* hs-heap-view.h — the heap canvas: frames, objects, references and their changes, animated. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "hs-render.h"
#include "hs-trace.h"

G_BEGIN_DECLS

#define HS_TYPE_HEAP_VIEW (hs_heap_view_get_type ())
G_DECLARE_FINAL_TYPE (HsHeapView, hs_heap_view, HS, HEAP_VIEW, GtkWidget)

GtkWidget       *hs_heap_view_new (void);
void             hs_heap_view_set_model (HsHeapView *self, HsTraceModel *model);
HsTraceModel    *hs_heap_view_get_model (HsHeapView *self);

/* Rebuilds the picture from the model now (normally done once per frame after a change). */
void             hs_heap_view_refresh (HsHeapView *self);
/* Whether a big diagram is being laid out on a worker thread (the view shows
 * a message meanwhile, and no object has bounds yet). */
gboolean         hs_heap_view_is_arranging (HsHeapView *self);

HsId             hs_heap_view_get_selected (HsHeapView *self);
void             hs_heap_view_set_selected (HsHeapView *self, HsId id);
/* Highlights a retainer path (ids), or clears it with NULL. */
void             hs_heap_view_set_highlight (HsHeapView *self, GArray *ids);

void             hs_heap_view_set_inline_immutables (HsHeapView *self, gboolean inline_small);
gboolean         hs_heap_view_get_inline_immutables (HsHeapView *self);
void             hs_heap_view_set_animation_speed (HsHeapView *self, double speed);
/* Keeps frames that returned in the last few lines, greyed, after the live ones. */
void             hs_heap_view_set_keep_finished_frames (HsHeapView *self, gboolean keep);
gboolean         hs_heap_view_get_keep_finished_frames (HsHeapView *self);

void             hs_heap_view_zoom_in (HsHeapView *self);
void             hs_heap_view_zoom_out (HsHeapView *self);
void             hs_heap_view_zoom_fit (HsHeapView *self);
double           hs_heap_view_get_zoom (HsHeapView *self);

/* The object under widget coordinates (x, y), or 0. */
HsId             hs_heap_view_lookup_object (HsHeapView *self, double x, double y);

/* Exports the whole diagram (or the visible part) to PNG, SVG or PDF by extension. */
gboolean         hs_heap_view_export (HsHeapView *self, const char *path, gboolean visible_only,
                                      GError **error);
/* Renders the whole diagram to a texture (for the clipboard). */
GdkTexture      *hs_heap_view_to_texture (HsHeapView *self);

/* What is drawn, for tests: the diagram and the object id of each diagram object. */
const HsDiagram *hs_heap_view_get_diagram (HsHeapView *self);
GArray          *hs_heap_view_get_object_ids (HsHeapView *self);
/* How many live objects the picture last built stands for ("refreshed" says when
 * that changes), and in `n_drawn` (may be NULL) how many of them it draws: fewer on
 * a huge heap.  Objects freed during the step, drawn fading out, count in neither. */
guint            hs_heap_view_get_n_objects (HsHeapView *self, guint *n_drawn);
/* Where an object's box is drawn now (top left, diagram units), mid-glide included. */
gboolean         hs_heap_view_get_object_bounds (HsHeapView *self, HsId id, graphene_point_t *origin);
/* Shows the current change animation at progress t (0..1), as the clock would. */
void             hs_heap_view_set_animation_progress (HsHeapView *self, double t);
guint            hs_heap_view_get_n_finished_frames (HsHeapView *self);

G_END_DECLS
