/* hs-layout.h — heap graph layout: a frames column, object columns, routed edges. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The picture: frames are stacked in column 0 on the left; objects live in
 * columns 1, 2, ... of a fixed pitch, each object in the column after the one
 * of its first referrer (breadth-first from the frames, in frame and slot
 * order), near the referring slot.  The free "streets" between columns and
 * the gaps between boxes of a column carry every edge, so no edge ever
 * crosses a box.  An edge to a column on the right comes into the target's
 * left side; an edge back to the same or an earlier column (a cycle, a
 * shared object) comes into its right side.
 *
 * Big heaps: the diagram wraps as a whole, like a newspaper, in bands
 * side by side: a band holds one column per depth its objects reach, and
 * a column that would grow past the band height goes on at the top of the
 * next band's column of that depth.  The band height makes the whole
 * diagram screen-shaped (16:10); it is never less than 1600 units, so
 * lesson-sized diagrams never wrap.  An arrow from a holder to what it
 * holds then stays inside one band, short, whatever the size of the heap.
 * hs_layout_compute of a big heap places each structure reached from a
 * variable (or from nothing) whole, below the structures before it.
 * During incremental updates an object goes on at most one band further
 * (a new column is only inserted when that moves (almost) no earlier
 * object); otherwise its column grows past the band height.
 *
 * Speed: an update keeps the route of every ref whose ends did not move
 * and whose path no newly placed box crosses, so its cost follows what
 * changed, plus a few linear passes.
 *
 * Stability: an HsLayout remembers where every object id was placed.  An
 * update keeps survivors where they are; only an object that grew into its
 * neighbour below pushes that neighbour (and only as far as needed).  New
 * objects are placed at the first free spot at or below their referrer's
 * slot.  An id missing from the new graph frees its space (keep a freed
 * object in the graph while it fades out to keep its place).
 *
 * Determinism: the same sequence of graphs gives the same output, byte for
 * byte (no hashing order, no clock).  No global state: one HsLayout per
 * thread, any number of them.
 */

typedef uint64_t HsLayoutId;

typedef enum
{
  HS_LAYOUT_REF_NORMAL,
  HS_LAYOUT_REF_TEMPORARY,      /* value-stack temporary: placed last */
  HS_LAYOUT_REF_INLINE,         /* small immutable the viewer may inline */
} HsLayoutRefKind;

typedef enum
{
  HS_LAYOUT_FROM_OBJECT,
  HS_LAYOUT_FROM_FRAME,
} HsLayoutSource;

typedef struct
{
  double x, y, width, height;
} HsLayoutRect;

/* A route point.  dir is the horizontal direction of travel at the point
 * (+1 right, -1 left).  Consecutive points p, q are joined by a cubic with
 * control points (p.x + p.dir * k, p.y) and (q.x - q.dir * k, q.y); see
 * hs_layout_segment_controls().  When p.y == q.y and the directions agree
 * the segment is a straight line. */
typedef struct
{
  double x, y;
  int dir;
} HsLayoutPoint;

typedef struct
{
  double frame_width;           /* width of the frames column (frames clamped) */
  double object_max_width;      /* objects are clamped to this width */
  double street_width;          /* empty space between two columns */
  double vgap;                  /* least vertical space between two boxes */
  double frame_gap;             /* vertical space between frames */
  double margin;                /* space around the whole diagram */
} HsLayoutParams;

typedef struct
{
  size_t survivors;             /* objects in both the previous and this graph */
  size_t moved;                 /* survivors whose position changed */
  size_t added;
  size_t removed;
} HsLayoutStats;

typedef struct HsLayoutGraph HsLayoutGraph;
typedef struct HsLayout HsLayout;

void            hs_layout_params_init        (HsLayoutParams *params);

/* Input graph.  Rows: a frame's or object's slot row r has its arrow origin
 * on the right edge at rows_top + r * row_height + row_height / 2 from the
 * box top (row_height 0: the middle of the box).  Ids are unique per kind
 * (a repeated id is ignored).  Functions return the index of the new item. */
HsLayoutGraph  *hs_layout_graph_new          (void);
void            hs_layout_graph_free         (HsLayoutGraph *graph);
void            hs_layout_graph_clear        (HsLayoutGraph *graph);
/* A copy to lay out on another thread; NULL when out of memory. */
HsLayoutGraph  *hs_layout_graph_copy         (const HsLayoutGraph *graph);
size_t          hs_layout_graph_add_frame    (HsLayoutGraph *graph,
                                              HsLayoutId     id,
                                              double         width,
                                              double         height,
                                              double         rows_top,
                                              double         row_height);
size_t          hs_layout_graph_add_object   (HsLayoutGraph *graph,
                                              HsLayoutId     id,
                                              double         width,
                                              double         height,
                                              double         rows_top,
                                              double         row_height);
size_t          hs_layout_graph_add_ref      (HsLayoutGraph  *graph,
                                              HsLayoutSource  from,
                                              HsLayoutId      source,
                                              int             row,
                                              HsLayoutId      target,
                                              HsLayoutRefKind kind);
size_t          hs_layout_graph_n_frames     (const HsLayoutGraph *graph);
size_t          hs_layout_graph_n_objects    (const HsLayoutGraph *graph);
size_t          hs_layout_graph_n_refs       (const HsLayoutGraph *graph);

/* Layout state.  params may be NULL for the defaults. */
HsLayout       *hs_layout_new                (const HsLayoutParams *params);
void            hs_layout_free               (HsLayout *layout);
const HsLayoutParams *hs_layout_get_params   (const HsLayout *layout);
/* Incremental: keeps the positions of the previous update.  0 or -1 (out of
 * memory; the layout is then reset). */
int             hs_layout_update             (HsLayout            *layout,
                                              const HsLayoutGraph *graph);
/* From scratch: forgets every previous position first. */
int             hs_layout_compute            (HsLayout            *layout,
                                              const HsLayoutGraph *graph);
void            hs_layout_reset              (HsLayout *layout);
void            hs_layout_get_stats          (const HsLayout *layout,
                                              HsLayoutStats  *stats);

/* Results of the last update, indexed like the graph it was given. */
size_t          hs_layout_n_frames           (const HsLayout *layout);
size_t          hs_layout_n_objects          (const HsLayout *layout);
size_t          hs_layout_n_edges            (const HsLayout *layout);
bool            hs_layout_get_frame          (const HsLayout *layout,
                                              size_t          index,
                                              HsLayoutRect   *rect);
bool            hs_layout_get_object         (const HsLayout *layout,
                                              size_t          index,
                                              HsLayoutRect   *rect);
bool            hs_layout_lookup_object      (const HsLayout *layout,
                                              HsLayoutId      id,
                                              size_t         *index);
/* The route of ref `index`: n points (0 when its source or target is not in
 * the graph).  The pointer stays valid until the next update. */
size_t          hs_layout_get_edge           (const HsLayout       *layout,
                                              size_t                index,
                                              const HsLayoutPoint **points);
bool            hs_layout_get_edge_bounds    (const HsLayout *layout,
                                              size_t          index,
                                              HsLayoutRect   *rect);
/* Where to write a label for ref `index` (just after its origin, above). */
bool            hs_layout_get_label_anchor   (const HsLayout *layout,
                                              size_t          index,
                                              double         *x,
                                              double         *y);
void            hs_layout_segment_controls   (const HsLayout      *layout,
                                              const HsLayoutPoint *p,
                                              const HsLayoutPoint *q,
                                              double               c[4]);
void            hs_layout_get_bounds         (const HsLayout *layout,
                                              HsLayoutRect   *rect);
/* Objects whose box meets `area`, in column then top-to-bottom order:
 * writes at most max graph indices, returns how many there are. */
size_t          hs_layout_query_objects      (const HsLayout     *layout,
                                              const HsLayoutRect *area,
                                              size_t             *indices,
                                              size_t              max);
/* Hit test: the object or frame under (x, y). */
bool            hs_layout_hit_object         (const HsLayout *layout,
                                              double          x,
                                              double          y,
                                              size_t         *index);
bool            hs_layout_hit_frame          (const HsLayout *layout,
                                              double          x,
                                              double          y,
                                              size_t         *index);
