/* hs-render.h — draw a laid-out heap diagram with Cairo and Pango (no GTK). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <cairo.h>

#include "hs-layout.h"

/*
 * Use:
 *   HsDiagram *d = hs_diagram_new ();          once, then per step:
 *   hs_diagram_clear (d);
 *   hs_diagram_add_frame (d, id, "main", flags);  then its rows:
 *     hs_diagram_add_variable (d, "x", target_id, HS_LAYOUT_REF_NORMAL);
 *     hs_diagram_add_temporary (d, target_id);
 *   hs_diagram_add_object (d, id, "list", value_text, badge_text, flags);
 *     hs_diagram_add_slot (d, "[0]", target_id, HS_LAYOUT_REF_NORMAL);
 *   graph = hs_render_build_graph (render, d);  (measures text)
 *   hs_layout_update (layout, graph);             (any thread)
 *   hs_render_draw (render, cr, d, layout, &view);
 */

typedef enum
{
  HS_DIAGRAM_NEW            = 1 << 0,   /* just allocated (fades in) */
  HS_DIAGRAM_FREED_REFCOUNT = 1 << 1,   /* fading out: refcount reached 0 */
  HS_DIAGRAM_FREED_GC       = 1 << 2,   /* fading out: freed by the collector */
  HS_DIAGRAM_GARBAGE        = 1 << 3,   /* unreachable, still alive */
  HS_DIAGRAM_CACHED         = 1 << 4,   /* immortal: badge "cached" */
  HS_DIAGRAM_SELECTED       = 1 << 5,
  HS_DIAGRAM_HIGHLIGHT      = 1 << 6,   /* on the retainer path */
  HS_DIAGRAM_GC_UNREACHABLE = 1 << 7,   /* collection phase: found unreachable */
  HS_DIAGRAM_GC_FINALIZED   = 1 << 8,
  HS_DIAGRAM_GC_CLEARED     = 1 << 9,
  HS_DIAGRAM_INLINABLE      = 1 << 10,  /* small immutable: may be drawn in its holder */
  HS_DIAGRAM_FINISHED       = 1 << 11,  /* frames: returned, kept greyed */
  HS_DIAGRAM_CURRENT        = 1 << 12,  /* frames: the one running */
} HsDiagramFlags;

typedef enum
{
  HS_RENDER_LOD_AUTO,
  HS_RENDER_LOD_FULL,
  HS_RENDER_LOD_OVERVIEW,
} HsRenderLod;

/* What part of the diagram goes where: the device rectangle (0, 0, width,
 * height) shows the diagram from (x, y) at `scale` device units per unit. */
typedef struct
{
  double x, y, scale;
  double width, height;
  HsRenderLod lod;
  bool dark;
  bool no_background;           /* leave the target's background alone */
} HsRenderView;

typedef struct
{
  const HsRenderView *view;     /* NULL: the whole diagram */
  double scale;                 /* whole diagram: device units per unit (0: 1) */
  bool dark;
} HsRenderExportOptions;

typedef struct HsDiagram HsDiagram;
typedef struct HsRender HsRender;

/* The diagram: what the UI knows about one step, with text and styles. */
HsDiagram      *hs_diagram_new                (void);
void            hs_diagram_free               (HsDiagram *diagram);
void            hs_diagram_clear              (HsDiagram *diagram);
/* Draw HS_DIAGRAM_INLINABLE targets of HS_LAYOUT_REF_INLINE slots inside
 * their holder (and hide them when nothing else points at them). */
void            hs_diagram_set_inline         (HsDiagram *diagram,
                                               bool       inline_small);
/* Rows never exceed this many per box; the last shows "...+N" (default 8). */
void            hs_diagram_set_max_rows       (HsDiagram *diagram,
                                               unsigned   max_rows);
size_t          hs_diagram_add_frame          (HsDiagram  *diagram,
                                               HsLayoutId  id,
                                               const char *function_name,
                                               unsigned    flags);
void            hs_diagram_add_variable       (HsDiagram      *diagram,
                                               const char     *name,
                                               HsLayoutId      target,
                                               HsLayoutRefKind kind);
void            hs_diagram_add_temporary      (HsDiagram  *diagram,
                                               HsLayoutId  target);
size_t          hs_diagram_add_object         (HsDiagram  *diagram,
                                               HsLayoutId  id,
                                               const char *type_name,
                                               const char *value_text,
                                               const char *badge_text,
                                               unsigned    flags);
void            hs_diagram_add_slot           (HsDiagram      *diagram,
                                               const char     *label,
                                               HsLayoutId      target,
                                               HsLayoutRefKind kind);
/* Per-object extras: opacity (fades), a note under the box ("gc_refs 1"),
 * and a badge pulse ("+1", 0..1 strength). */
void            hs_diagram_object_set_alpha   (HsDiagram *diagram,
                                               size_t     object,
                                               double     alpha);
void            hs_diagram_object_set_note    (HsDiagram  *diagram,
                                               size_t      object,
                                               const char *note);
void            hs_diagram_object_set_pulse   (HsDiagram  *diagram,
                                               size_t      object,
                                               const char *delta_text,
                                               double      strength);
/* A container cut short: it holds `n` more slots than were added, counted in
 * its "...+N" row.  Only a box whose rows already fold (at least max_rows of
 * them) shows them. */
void            hs_diagram_object_set_more_rows (HsDiagram *diagram,
                                                 size_t     object,
                                                 unsigned   n);
void            hs_diagram_object_set_flags   (HsDiagram *diagram,
                                               size_t     object,
                                               unsigned   flags);
/* Draws the object (and the ends of its arrows) this far from where the
 * layout put it: a viewer gliding a moved object from its old place. */
void            hs_diagram_object_set_offset  (HsDiagram *diagram,
                                               size_t     object,
                                               double     dx,
                                               double     dy);
size_t          hs_diagram_n_objects          (const HsDiagram *diagram);
size_t          hs_diagram_n_frames           (const HsDiagram *diagram);
HsLayoutId      hs_diagram_object_id          (const HsDiagram *diagram,
                                               size_t           object);
/* The labels of a frame's (frame true) or an object's rows, one per line, in the
 * order they are drawn; NULL if there is no such frame or object.  free() it. */
char           *hs_diagram_rows_text          (const HsDiagram *diagram,
                                               bool             frame,
                                               size_t           index);
/* The diagram object drawn at layout (graph) index i, or (size_t) -1. */
size_t          hs_diagram_object_for_graph   (const HsDiagram *diagram,
                                               size_t           graph_index);
/* The layout graph index of a diagram object, or (size_t) -1 if hidden. */
size_t          hs_diagram_graph_for_object   (const HsDiagram *diagram,
                                               size_t           object);

/* The renderer: fonts, palette and caches.  One per thread. */
HsRender       *hs_render_new                 (void);
void            hs_render_free                (HsRender *render);
/* Measures the text and fills the diagram's layout graph (valid until the
 * diagram changes). */
const HsLayoutGraph *hs_render_build_graph    (HsRender  *render,
                                               HsDiagram *diagram);
void            hs_render_draw                (HsRender           *render,
                                               cairo_t            *cr,
                                               const HsDiagram    *diagram,
                                               const HsLayout     *layout,
                                               const HsRenderView *view);
/* Device point (px, py) of a view to diagram coordinates, and the object
 * (graph index, for hs_diagram_object_for_graph) or frame under it. */
void            hs_render_view_to_diagram     (const HsRenderView *view,
                                               double              px,
                                               double              py,
                                               double             *x,
                                               double             *y);
bool            hs_render_hit_object          (const HsLayout     *layout,
                                               const HsRenderView *view,
                                               double              px,
                                               double              py,
                                               size_t             *graph_index);
/* A view that shows the whole diagram in width x height. */
void            hs_render_fit_view            (const HsLayout *layout,
                                               double          width,
                                               double          height,
                                               HsRenderView   *view);
/* The same for any rectangle of the diagram. */
void            hs_render_fit_rect            (const HsLayoutRect *bounds,
                                               double              width,
                                               double              height,
                                               HsRenderView       *view);
/* What a drawing of a built diagram covers: the layout's bounds, widened on the
 * right by state tags ("freed by refcount") longer than their box. */
void            hs_render_get_extent          (HsRender           *render,
                                               const HsDiagram    *diagram,
                                               const HsLayout     *layout,
                                               HsLayoutRect       *extent);
/* Writes PNG, SVG or PDF, by the file name's extension.  0 or -1. */
int             hs_render_export              (const HsDiagram             *diagram,
                                               const HsLayout              *layout,
                                               const char                  *path,
                                               const HsRenderExportOptions *options);
