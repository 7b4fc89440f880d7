/* hs-layout.c — heap graph layout: placement, incremental updates, edge routing. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "hs-layout.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- graph */

typedef struct
{
  HsLayoutId id;
  double w, h, rows_top, row_h;
} GItem;

typedef struct
{
  HsLayoutId source, target;
  int32_t row;
  uint8_t from, kind;
} GRef;

struct HsLayoutGraph
{
  GItem *frames;
  size_t n_frames, cap_frames;
  GItem *objects;
  size_t n_objects, cap_objects;
  GRef *refs;
  size_t n_refs, cap_refs;
};

/* Grows *p to hold at least need elements; false when out of memory. */
static bool
grow (void **p, size_t *cap, size_t need, size_t elem)
{
  size_t n;
  void *q;

  if (need <= *cap)
    return true;
  n = *cap ? *cap : 16;
  while (n < need)
    n *= 2;
  q = realloc (*p, n * elem);
  if (q == NULL)
    return false;
  *p = q;
  *cap = n;
  return true;
}

#define GROW(arr, cap, need) grow ((void **) &(arr), &(cap), (need), sizeof *(arr))

/* grow(), and the new part written once: the page faults of a big buffer
 * then happen here rather than in whichever later update first reaches it. */
static bool
grow_touched (void **p, size_t *cap, size_t need, size_t elem)
{
  size_t old = *cap;

  if (!grow (p, cap, need, elem))
    return false;
  if (*cap > old)
    memset ((char *) *p + old * elem, 0, (*cap - old) * elem);
  return true;
}

#define GROW_TOUCHED(arr, cap, need) grow_touched ((void **) &(arr), &(cap), (need), sizeof *(arr))

HsLayoutGraph *
hs_layout_graph_new (void)
{
  return calloc (1, sizeof (HsLayoutGraph));
}

void
hs_layout_graph_free (HsLayoutGraph *graph)
{
  if (graph == NULL)
    return;
  free (graph->frames);
  free (graph->objects);
  free (graph->refs);
  free (graph);
}

/* One array of n items, copied; false when out of memory. */
static bool
copy_array (void **dst, size_t *cap, const void *src, size_t n, size_t elem)
{
  *dst = NULL;
  *cap = 0;
  if (n == 0)
    return true;
  *dst = malloc (n * elem);
  if (*dst == NULL)
    return false;
  memcpy (*dst, src, n * elem);
  *cap = n;
  return true;
}

HsLayoutGraph *
hs_layout_graph_copy (const HsLayoutGraph *graph)
{
  HsLayoutGraph *g = hs_layout_graph_new ();

  if (g == NULL)
    return NULL;
  g->n_frames = graph->n_frames;
  g->n_objects = graph->n_objects;
  g->n_refs = graph->n_refs;
  if (!copy_array ((void **) &g->frames, &g->cap_frames, graph->frames, graph->n_frames, sizeof (GItem))
      || !copy_array ((void **) &g->objects, &g->cap_objects, graph->objects, graph->n_objects, sizeof (GItem))
      || !copy_array ((void **) &g->refs, &g->cap_refs, graph->refs, graph->n_refs, sizeof (GRef)))
    {
      hs_layout_graph_free (g);
      return NULL;
    }
  return g;
}

void
hs_layout_graph_clear (HsLayoutGraph *graph)
{
  graph->n_frames = graph->n_objects = graph->n_refs = 0;
}

static size_t
add_item (GItem **arr, size_t *n, size_t *cap, HsLayoutId id, double w,
          double h, double rows_top, double row_h)
{
  GItem *it;

  if (!grow ((void **) arr, cap, *n + 1, sizeof (GItem)))
    abort ();
  it = &(*arr)[*n];
  it->id = id;
  it->w = w > 1 ? w : 1;
  it->h = h > 1 ? ceil (h) : 1;
  it->rows_top = rows_top;
  it->row_h = row_h;
  return (*n)++;
}

size_t
hs_layout_graph_add_frame (HsLayoutGraph *graph, HsLayoutId id, double width,
                           double height, double rows_top, double row_height)
{
  return add_item (&graph->frames, &graph->n_frames, &graph->cap_frames, id,
                   width, height, rows_top, row_height);
}

size_t
hs_layout_graph_add_object (HsLayoutGraph *graph, HsLayoutId id, double width,
                            double height, double rows_top, double row_height)
{
  return add_item (&graph->objects, &graph->n_objects, &graph->cap_objects,
                   id, width, height, rows_top, row_height);
}

size_t
hs_layout_graph_add_ref (HsLayoutGraph *graph, HsLayoutSource from,
                         HsLayoutId source, int row, HsLayoutId target,
                         HsLayoutRefKind kind)
{
  GRef *r;

  if (!GROW (graph->refs, graph->cap_refs, graph->n_refs + 1))
    abort ();
  r = &graph->refs[graph->n_refs];
  r->source = source;
  r->target = target;
  r->row = row < 0 ? 0 : row;
  r->from = (uint8_t) from;
  r->kind = (uint8_t) kind;
  return graph->n_refs++;
}

size_t
hs_layout_graph_n_frames (const HsLayoutGraph *graph)
{
  return graph->n_frames;
}

size_t
hs_layout_graph_n_objects (const HsLayoutGraph *graph)
{
  return graph->n_objects;
}

size_t
hs_layout_graph_n_refs (const HsLayoutGraph *graph)
{
  return graph->n_refs;
}

/* ------------------------------------------------------------ id map */

/* Open addressing, linear probing, backward-shift deletion: lookups only,
 * never iterated, so its order cannot leak into the output. */
typedef struct
{
  HsLayoutId key;
  int32_t val;                  /* -1: empty */
} Slot;

typedef struct
{
  Slot *slots;
  size_t cap, n;                /* cap is a power of two */
} IdMap;

static inline size_t
hash_id (HsLayoutId id)
{
  uint64_t z = id + 0x9e3779b97f4a7c15ull;

  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return (size_t) (z ^ (z >> 31));
}

static bool
map_init (IdMap *m, size_t cap)
{
  m->slots = malloc (cap * sizeof (Slot));
  if (m->slots == NULL)
    return false;
  for (size_t i = 0; i < cap; i++)
    m->slots[i].val = -1;
  m->cap = cap;
  m->n = 0;
  return true;
}

static int32_t
map_get (const IdMap *m, HsLayoutId key)
{
  size_t mask, i;

  if (m->cap == 0)
    return -1;
  mask = m->cap - 1;
  for (i = hash_id (key) & mask; m->slots[i].val >= 0; i = (i + 1) & mask)
    if (m->slots[i].key == key)
      return m->slots[i].val;
  return -1;
}

static bool map_put (IdMap *m, HsLayoutId key, int32_t val);

static bool
map_rehash (IdMap *m, size_t cap)
{
  IdMap n;

  if (!map_init (&n, cap))
    return false;
  for (size_t i = 0; i < m->cap; i++)
    if (m->slots[i].val >= 0)
      map_put (&n, m->slots[i].key, m->slots[i].val);
  free (m->slots);
  *m = n;
  return true;
}

static bool
map_put (IdMap *m, HsLayoutId key, int32_t val)
{
  size_t mask, i;

  if ((m->n + 1) * 2 > m->cap
      && !map_rehash (m, m->cap ? m->cap * 2 : 64))
    return false;
  mask = m->cap - 1;
  for (i = hash_id (key) & mask; m->slots[i].val >= 0; i = (i + 1) & mask)
    if (m->slots[i].key == key)
      {
        m->slots[i].val = val;
        return true;
      }
  m->slots[i].key = key;
  m->slots[i].val = val;
  m->n++;
  return true;
}

static void
map_del (IdMap *m, HsLayoutId key)
{
  size_t mask, i, j;

  if (m->cap == 0)
    return;
  mask = m->cap - 1;
  for (i = hash_id (key) & mask; m->slots[i].val >= 0; i = (i + 1) & mask)
    if (m->slots[i].key == key)
      break;
  if (m->slots[i].val < 0)
    return;
  /* Shift back the following entries of the probe run. */
  j = i;
  for (;;)
    {
      size_t home;

      j = (j + 1) & mask;
      if (m->slots[j].val < 0)
        break;
      home = hash_id (m->slots[j].key) & mask;
      if ((j > i && (home <= i || home > j)) || (j < i && (home <= i && home > j)))
        {
          m->slots[i] = m->slots[j];
          i = j;
        }
    }
  m->slots[i].val = -1;
  m->n--;
}

static void
map_clear (IdMap *m)
{
  for (size_t i = 0; i < m->cap; i++)
    m->slots[i].val = -1;
  m->n = 0;
}

/* ------------------------------------------------------------ layout */

/* Bands are never shorter than this (about one and a half screens), so
 * lesson-sized diagrams never wrap. */
#define WRAP_MIN_HEIGHT 1600.0

typedef struct
{
  HsLayoutId id;
  double x, y, w, h, prev_x, prev_y;
  double rows_top, row_h;
  int32_t col;                  /* -1: free node record */
  int32_t gindex;               /* index in the current graph */
  int32_t next_free;
  uint32_t seen, born;
  int32_t out_off, out_n;       /* its refs in the previous update's old_adj */
  int32_t out_next;             /* where to look first for the next one */
} Node;

typedef struct
{
  float y0, y1;
  int32_t node;
} Entry;

/* A frame's refs in the previous update, as Node's out_* for an object. */
typedef struct
{
  HsLayoutId id;
  int32_t out_off, out_n, out_next;
} FrameOut;

typedef struct
{
  Entry *e;
  size_t n, cap;
  int32_t depth;                /* distance from the frames (frames: 0) */
  int32_t band;                 /* which band of the wrapped diagram */
  /* Heights newly covered by boxes in this update (gen occ_gen): routes
   * of the previous update crossing them must be redone. */
  uint32_t occ_gen, n_occ;
  float occ[4][2];
  bool dirty;
} Column;

/* What a route depends on, besides the columns it crosses. */
typedef struct
{
  double sx, sy, ye, tx, tw;
  int32_t src_node;             /* -1: from a frame (never reused) */
  int32_t tgt_node, row, cs, ct;
  uint32_t first;               /* index of its first column-crossing point */
  uint32_t used_gen;
} RouteKey;

/* The routes of one update, indexed like its graph's refs.  Points live
 * in HsLayout.pts; a route kept from the previous update keeps its
 * points where they are. */
typedef struct
{
  size_t *off;
  uint32_t *n;
  HsLayoutRect *box;
  RouteKey *key;
  size_t cap;
} RouteSet;

struct HsLayout
{
  HsLayoutParams p;
  double pitch;

  Node *nodes;
  size_t n_nodes, cap_nodes;
  int32_t free_head;
  IdMap map;
  /* Physical columns, left to right, sorted by band, then depth.  The
   * objects at one distance from the frames (a depth) fill one column of
   * a band; past wrap_bottom they go on in the next band's column of that
   * depth.  A band holds the columns of every depth its objects reach, so
   * an arrow from a holder to what it holds stays inside one band (the
   * diagram wraps as a whole, like a newspaper, not column by column).
   * Structs past n_cols up to cap_cols are spares (zeroed or holding an
   * old buffer). */
  Column *cols;
  size_t n_cols, cap_cols;
  double wrap_bottom;           /* new objects go below this only if they must */
  size_t wrap_for;              /* object count wrap_bottom was chosen for */
  int32_t root_band;            /* the latest band an object went to */
  double flow_y;                /* below everything placed in it */
  bool flow;                    /* placing a big heap afresh */
  size_t moved_by_wrap;         /* survivors shifted by inserted columns */
  uint32_t gen;
  HsLayoutStats stats;

  /* Per update, indexed like the graph. */
  size_t n_frames, n_objects, n_refs;
  int32_t *obj_node;
  int32_t *prev_node;           /* obj_node of the previous update */
  size_t n_prev, cap_prev;
  size_t cap_obj;
  uint8_t *visited;
  double *cursor;               /* objects then frames: next child y */
  int32_t *cursor_col;          /* ... and its physical column (0: none) */
  size_t n_cursor;
  int32_t *queue;
  int32_t *adj_off, *adj;       /* refs grouped by source (objects, frames) */
  size_t cap_adj_off, cap_adj;
  int32_t *ref_src, *ref_tgt;   /* graph indices, -1 when missing */
  uint32_t *indeg, *inrank;
  size_t cap_refs;
  double *ref_key;              /* side (left/right entry) and source y */
  uint32_t *ref_rank, *ref_deg; /* place among the arrows into one side */
  int32_t *tgt_list, *tgt_tmp;
  HsLayoutRect *frame_rects;
  double *frame_rows_top, *frame_row_h;
  size_t cap_frames;
  IdMap frame_map;
  FrameOut *frame_out;          /* each frame's refs in old_adj, by frame index */
  size_t n_frame_out, cap_frame_out;

  HsLayoutPoint *pts, *pts_tmp;
  size_t n_pts, cap_pts, cap_pts_tmp;
  RouteSet cur, old;            /* this update's routes, the previous ones */
  int32_t *old_adj;             /* the previous update's adj */
  uint32_t *occ_before;         /* columns before c with new boxes */
  int32_t *occ_cols;            /* those columns, in order */
  size_t cap_occ_before, cap_occ_cols;
  size_t cap_old_adj;
  bool routes_valid;            /* old holds the previous update's routes */
  HsLayoutRect bounds;
};

void
hs_layout_params_init (HsLayoutParams *params)
{
  params->frame_width = 200;
  params->object_max_width = 176;
  params->street_width = 72;
  params->vgap = 20;
  params->frame_gap = 16;
  params->margin = 24;
}

HsLayout *
hs_layout_new (const HsLayoutParams *params)
{
  HsLayout *l = calloc (1, sizeof (HsLayout));

  if (l == NULL)
    return NULL;
  if (params)
    l->p = *params;
  else
    hs_layout_params_init (&l->p);
  l->pitch = l->p.object_max_width + l->p.street_width;
  l->free_head = -1;
  return l;
}

void
hs_layout_free (HsLayout *l)
{
  if (l == NULL)
    return;
  free (l->nodes);
  free (l->map.slots);
  for (size_t c = 0; c < l->cap_cols; c++)
    free (l->cols[c].e);
  free (l->cols);
  free (l->cursor_col);
  free (l->obj_node);
  free (l->prev_node);
  free (l->visited);
  free (l->cursor);
  free (l->queue);
  free (l->adj_off);
  free (l->adj);
  free (l->ref_src);
  free (l->ref_tgt);
  free (l->indeg);
  free (l->inrank);
  free (l->ref_key);
  free (l->ref_rank);
  free (l->ref_deg);
  free (l->tgt_list);
  free (l->tgt_tmp);
  free (l->frame_rects);
  free (l->frame_rows_top);
  free (l->frame_out);
  free (l->frame_row_h);
  free (l->frame_map.slots);
  free (l->pts);
  free (l->pts_tmp);
  for (int i = 0; i < 2; i++)
    {
      RouteSet *rs = i ? &l->old : &l->cur;

      free (rs->off);
      free (rs->n);
      free (rs->box);
      free (rs->key);
    }
  free (l->old_adj);
  free (l->occ_before);
  free (l->occ_cols);
  free (l);
}

const HsLayoutParams *
hs_layout_get_params (const HsLayout *l)
{
  return &l->p;
}

void
hs_layout_reset (HsLayout *l)
{
  l->n_nodes = 0;
  l->free_head = -1;
  map_clear (&l->map);
  for (size_t c = 0; c < l->n_cols; c++)
    l->cols[c].n = 0;
  l->n_cols = 0;
  l->wrap_for = 0;
  l->n_frames = l->n_objects = l->n_refs = 0;
  l->n_prev = 0;
  l->n_pts = 0;
  l->routes_valid = false;
  memset (&l->stats, 0, sizeof l->stats);
  memset (&l->bounds, 0, sizeof l->bounds);
}

static inline double
col_x (const HsLayout *l, int c)
{
  if (c == 0)
    return l->p.margin;
  return l->p.margin + l->p.frame_width + l->p.street_width + (c - 1) * l->pitch;
}

static inline double
col_right (const HsLayout *l, int c)
{
  return col_x (l, c) + (c == 0 ? l->p.frame_width : l->p.object_max_width);
}

/* Room for one more physical column; new structs are zeroed spares. */
static bool
reserve_col (HsLayout *l)
{
  size_t old = l->cap_cols;

  if (!GROW (l->cols, l->cap_cols, l->n_cols + 1))
    return false;
  memset (l->cols + old, 0, (l->cap_cols - old) * sizeof (Column));
  return true;
}

/* The physical column of (band, depth), or in *found false and where it
 * would go. */
static int
col_locate (const HsLayout *l, int32_t band, int32_t depth, bool *found)
{
  size_t lo = 0, hi = l->n_cols;

  while (lo < hi)
    {
      size_t mid = (lo + hi) / 2;
      const Column *C = &l->cols[mid];

      if (C->band < band || (C->band == band && C->depth < depth))
        lo = mid + 1;
      else
        hi = mid;
    }
  *found = lo < l->n_cols && l->cols[lo].band == band && l->cols[lo].depth == depth;
  return (int) lo;
}

/* Whether a column may be inserted at physical index `at` in this update:
 * the columns after it move one pitch right, which is fine in a layout
 * from scratch, at the right end, or when few earlier objects are there;
 * otherwise the object goes on in a later band (stability first;
 * hs_layout_compute wraps afresh). */
static bool
may_insert_column (HsLayout *l, int at)
{
  size_t shifted = 0, limit = l->stats.survivors / 50;

  for (size_t c = (size_t) at; c < l->n_cols && shifted <= limit; c++)
    {
      const Column *C = &l->cols[c];

      for (size_t i = 0; i < C->n && shifted <= limit; i++)
        shifted += l->nodes[C->e[i].node].born != l->gen;
    }
  if (shifted == 0 || l->moved_by_wrap + shifted <= limit)
    {
      l->moved_by_wrap += shifted;
      return true;
    }
  return false;
}

/* Inserts an empty column for (band, depth) at physical index `at`; the
 * columns after it move one pitch right.  Returns it, or -1. */
static int
insert_column (HsLayout *l, int at, int32_t band, int32_t depth)
{
  Column spare;

  if (!reserve_col (l))
    return -1;
  spare = l->cols[l->n_cols];
  memmove (l->cols + at + 1, l->cols + at, (l->n_cols - (size_t) at) * sizeof (Column));
  spare.n = 0;
  spare.dirty = false;
  spare.occ_gen = 0;
  spare.depth = depth;
  spare.band = band;
  l->cols[at] = spare;
  l->n_cols++;
  if ((size_t) at + 1 == l->n_cols)
    return at;
  for (size_t i = 0; i < l->n_cursor; i++)
    if (l->cursor_col[i] >= at)
      l->cursor_col[i]++;
  for (size_t k = 0; k < l->n_nodes; k++)
    {
      Node *nd = &l->nodes[k];

      if (nd->col >= at)
        {
          nd->col++;
          nd->x += l->pitch;
        }
    }
  return at;
}

/* First entry whose bottom (plus pad) is below y. */
static size_t
col_lower (const Column *C, double y, double pad)
{
  size_t lo = 0, hi = C->n;

  while (lo < hi)
    {
      size_t mid = (lo + hi) / 2;

      if (C->e[mid].y1 + pad > y)
        hi = mid;
      else
        lo = mid + 1;
    }
  return lo;
}

/* First free spot at or below `want` for a box of height h in column c:
 * its height, and in *at the entry index to insert it at. */
static double
col_spot (const HsLayout *l, int c, double want, double h, size_t *at)
{
  const Column *C = &l->cols[c];
  double y = want, gap = l->p.vgap;
  size_t i, steps = 0;

  if (y < l->p.margin)
    y = l->p.margin;
  y = round (y);
  i = col_lower (C, y, gap);
  while (i < C->n)
    {
      if (C->e[i].y0 >= y + h + gap)
        break;
      y = C->e[i].y1 + gap;
      i++;
      /* A packed column: go to its end rather than walk it all. */
      if (++steps > 64 && i < C->n)
        {
          y = fmax (y, C->e[C->n - 1].y1 + gap);
          i = C->n;
        }
    }
  *at = i;
  return y;
}

/* Heights y0..y1 of column c are newly covered in this update. */
static void
mark_occupied (HsLayout *l, int c, double y0, double y1)
{
  Column *C = &l->cols[c];

  if (C->occ_gen != l->gen)
    {
      C->occ_gen = l->gen;
      C->n_occ = 0;
    }
  if (C->n_occ < 4)
    {
      C->occ[C->n_occ][0] = (float) y0;
      C->occ[C->n_occ][1] = (float) y1;
      C->n_occ++;
      return;
    }
  if (y0 < C->occ[3][0])
    C->occ[3][0] = (float) y0;
  if (y1 > C->occ[3][1])
    C->occ[3][1] = (float) y1;
}

static bool
col_insert (HsLayout *l, int c, size_t i, int32_t node, double y, double h)
{
  Column *C = &l->cols[c];

  if (!GROW (C->e, C->cap, C->n + 1))
    return false;
  memmove (C->e + i + 1, C->e + i, (C->n - i) * sizeof (Entry));
  C->e[i].y0 = (float) y;
  C->e[i].y1 = (float) (y + h);
  C->e[i].node = node;
  C->n++;
  mark_occupied (l, c, y, y + h);
  return true;
}

static size_t
col_find (const Column *C, double y0)
{
  size_t lo = 0, hi = C->n;

  while (lo < hi)
    {
      size_t mid = (lo + hi) / 2;

      if (C->e[mid].y0 < y0)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

/* Node k's height changed: update its entry and push down only the boxes
 * below it that it now overlaps. */
static void
col_resize (HsLayout *l, int32_t k, double h)
{
  Node *nd = &l->nodes[k];
  Column *C = &l->cols[nd->col];
  size_t i = col_find (C, nd->y);

  nd->h = h;
  if (i >= C->n || C->e[i].node != k)
    return;
  C->e[i].y1 = (float) (nd->y + h);
  mark_occupied (l, nd->col, nd->y, nd->y + h);
  for (; i + 1 < C->n; i++)
    {
      double need = C->e[i].y1 + l->p.vgap;
      double d = need - C->e[i + 1].y0;
      Node *m;

      if (d <= 0)
        break;
      C->e[i + 1].y0 += (float) d;
      C->e[i + 1].y1 += (float) d;
      m = &l->nodes[C->e[i + 1].node];
      m->y += d;
      mark_occupied (l, nd->col, C->e[i + 1].y0, C->e[i + 1].y1);
    }
}

/* A free height in column c near `want`, for an edge crossing it. */
static double
col_gap (const HsLayout *l, int c, double want)
{
  const Column *C;
  const double m = 10;
  size_t i;
  double up, dn;

  if ((size_t) c >= l->n_cols || l->cols[c].n == 0)
    return want;
  C = &l->cols[c];
  i = col_lower (C, want, m);
  if (i == C->n || C->e[i].y0 - m >= want)
    return want;
  up = C->e[i].y0 - m;
  if (i > 0)
    up = fmax (up, (C->e[i - 1].y1 + C->e[i].y0) / 2.0);
  dn = C->e[i].y1 + m;
  if (i + 1 < C->n)
    dn = fmin (dn, (C->e[i].y1 + C->e[i + 1].y0) / 2.0);
  return want - up <= dn - want ? up : dn;
}

static int32_t
node_alloc (HsLayout *l)
{
  int32_t k;

  if (l->free_head >= 0)
    {
      k = l->free_head;
      l->free_head = l->nodes[k].next_free;
      return k;
    }
  if (!GROW (l->nodes, l->cap_nodes, l->n_nodes + 1))
    return -1;
  return (int32_t) l->n_nodes++;
}

static bool
ensure_update_arrays (HsLayout *l, const HsLayoutGraph *g)
{
  size_t no = g->n_objects, nf = g->n_frames, nr = g->n_refs;
  size_t cap;

  cap = l->cap_obj;
  if (no + nf + 1 > cap)
    {
      size_t n = no + nf + 1;

      cap = 0;
      if (!grow ((void **) &l->obj_node, &cap, n, sizeof (int32_t)))
        return false;
      cap = 0;
      if (!grow ((void **) &l->visited, &cap, n, 1))
        return false;
      cap = 0;
      if (!grow ((void **) &l->cursor, &cap, n, sizeof (double)))
        return false;
      cap = 0;
      if (!grow ((void **) &l->cursor_col, &cap, n, sizeof (int32_t)))
        return false;
      cap = 0;
      if (!grow ((void **) &l->queue, &cap, n, sizeof (int32_t)))
        return false;
      cap = 0;
      if (!grow ((void **) &l->indeg, &cap, n, sizeof (uint32_t)))
        return false;
      cap = 0;
      if (!grow ((void **) &l->inrank, &cap, n, sizeof (uint32_t)))
        return false;
      l->cap_obj = cap;
    }
  if (!GROW (l->adj_off, l->cap_adj_off, no + nf + 2))
    return false;
  if (nr + 1 > l->cap_refs)
    {
      size_t n = nr + 1;

      cap = 0;
      if (!grow ((void **) &l->ref_src, &cap, n, sizeof (int32_t)))
        return false;
      cap = 0;
      if (!grow ((void **) &l->ref_tgt, &cap, n, sizeof (int32_t)))
        return false;
      cap = 0;
      if (!grow ((void **) &l->ref_key, &cap, n, sizeof (double)))
        return false;
      cap = 0;
      if (!grow ((void **) &l->ref_rank, &cap, n, sizeof (uint32_t)))
        return false;
      cap = 0;
      if (!grow ((void **) &l->ref_deg, &cap, n, sizeof (uint32_t)))
        return false;
      cap = 0;
      if (!grow ((void **) &l->tgt_list, &cap, n, sizeof (int32_t)))
        return false;
      cap = 0;
      if (!grow ((void **) &l->tgt_tmp, &cap, n, sizeof (int32_t)))
        return false;
      l->cap_refs = cap;
    }
  if (!GROW (l->adj, l->cap_adj, nr + 1))
    return false;
  if (nr + 1 > l->cur.cap)
    {
      size_t n = nr + 1;

      cap = 0;
      if (!grow ((void **) &l->cur.off, &cap, n, sizeof (size_t)))
        return false;
      cap = 0;
      if (!grow ((void **) &l->cur.n, &cap, n, sizeof (uint32_t)))
        return false;
      cap = 0;
      if (!grow ((void **) &l->cur.box, &cap, n, sizeof (HsLayoutRect)))
        return false;
      cap = 0;
      if (!grow ((void **) &l->cur.key, &cap, n, sizeof (RouteKey)))
        return false;
      l->cur.cap = cap;
    }
  if (nf + 1 > l->cap_frames)
    {
      size_t n = nf + 1;

      cap = 0;
      if (!grow ((void **) &l->frame_rects, &cap, n, sizeof (HsLayoutRect)))
        return false;
      cap = 0;
      if (!grow ((void **) &l->frame_rows_top, &cap, n, sizeof (double)))
        return false;
      cap = 0;
      if (!grow ((void **) &l->frame_row_h, &cap, n, sizeof (double)))
        return false;
      l->cap_frames = cap;
    }
  return true;
}

static inline double
dmin (double a, double b)
{
  return a < b ? a : b;
}

static inline double
dmax (double a, double b)
{
  return a > b ? a : b;
}

static inline double
port_offset (double h, double rows_top, double row_h, int row)
{
  double y;

  if (row_h <= 0)
    return h / 2;
  y = rows_top + row * row_h + row_h / 2;
  return y < h ? y : h - row_h / 2;
}

/* Where a single incoming arrow lands: the middle of the header. */
static inline double
entry_offset (const Node *nd)
{
  double a = nd->rows_top > 0 ? nd->rows_top / 2 : nd->h / 2;

  return a < nd->h / 2 ? a : nd->h / 2;
}

/* Places new object t (graph index) reached through ref r (-1: a root). */
static bool
place_new (HsLayout *l, const HsLayoutGraph *g, int32_t t, int32_t r)
{
  const GItem *it = &g->objects[t];
  int32_t k = node_alloc (l);
  Node *nd;
  double want, y, *cursor;
  int32_t *cursor_col;
  size_t depth, at;
  int32_t band = 0, home = -1;
  double home_want = 0;
  int col;
  bool found, stay = false;

  if (k < 0)
    return false;
  nd = &l->nodes[k];
  nd->id = it->id;
  nd->w = fmin (it->w, l->p.object_max_width);
  nd->h = it->h;
  nd->rows_top = it->rows_top;
  nd->row_h = it->row_h;
  nd->gindex = t;
  nd->seen = l->gen;
  nd->born = l->gen;
  nd->next_free = -1;
  l->obj_node[t] = k;
  if (!map_put (&l->map, it->id, k))
    return false;

  if (l->flow && (r < 0 || g->refs[r].from == HS_LAYOUT_FROM_FRAME))
    {
      /* A big heap laid out afresh: each structure reached from a frame,
       * or from nothing, starts below everything placed so far in the
       * latest band, so what it holds lines up with it instead of piling
       * up below what the structures before it hold. */
      depth = 1;
      cursor = &l->cursor[g->n_objects + g->n_frames];
      cursor_col = &l->cursor_col[g->n_objects + g->n_frames];
      band = l->root_band;
      want = l->flow_y;
    }
  else if (r < 0)
    {
      depth = 1;
      cursor = &l->cursor[g->n_objects + g->n_frames];
      cursor_col = &l->cursor_col[g->n_objects + g->n_frames];
      want = *cursor;
      /* Unreached objects (garbage) start where the last placed structure
       * ended: when that overflowed into a later band, starting over in
       * an earlier one would leave its columns out of step (a holder in
       * one band, what it holds in another). */
      band = l->root_band;
      if (*cursor_col > 0 && l->cols[*cursor_col].band != band)
        want = l->p.margin;
    }
  else
    {
      const GRef *ref = &g->refs[r];
      int32_t s = l->ref_src[r];
      double py;

      if (ref->from == HS_LAYOUT_FROM_FRAME)
        {
          const HsLayoutRect *fr = &l->frame_rects[s];

          depth = 1;
          py = fr->y + port_offset (fr->height, l->frame_rows_top[s],
                                    l->frame_row_h[s], ref->row);
          cursor = &l->cursor[g->n_objects + s];
          cursor_col = &l->cursor_col[g->n_objects + s];
        }
      else
        {
          const Node *sn = &l->nodes[l->obj_node[s]];

          depth = (size_t) l->cols[sn->col].depth + 1;
          band = l->cols[sn->col].band;
          py = sn->y + port_offset (sn->h, sn->rows_top, sn->row_h, ref->row);
          cursor = &l->cursor[s];
          cursor_col = &l->cursor_col[s];
          /* Level with the holder's top when the slot is near it: linked
           * lists then run in a straight row. */
          py = fmax (sn->y + entry_offset (nd), py - 48);
          if (!l->flow && *cursor_col == 0)
            {
              /* The holder's first new object in this update goes on
               * after what its ref just before holds, if that is at this
               * depth (a list growing step by step stays in order). */
              int32_t a0 = l->adj_off[s], a1 = l->adj_off[s + 1];

              for (int32_t a = a0 + 1; a < a1; a++)
                if (l->adj[a] == r)
                  {
                    int32_t pt = l->ref_tgt[l->adj[a - 1]];
                    int32_t pk = pt >= 0 ? l->obj_node[pt] : -1;

                    if (pk >= 0 && l->nodes[pk].col > 0
                        && (size_t) l->cols[l->nodes[pk].col].depth == depth)
                      {
                        *cursor_col = l->nodes[pk].col;
                        *cursor = l->nodes[pk].y + l->nodes[pk].h + l->p.vgap;
                      }
                    break;
                  }
            }
        }
      want = fmax (py - entry_offset (nd), *cursor);
    }
  /* The siblings placed before this one went on in a later band: continue
   * there, in order. */
  if (*cursor_col > 0 && l->cols[*cursor_col].depth == (int32_t) depth
      && l->cols[*cursor_col].band > band)
    {
      band = l->cols[*cursor_col].band;
      want = *cursor;
    }
  for (;;)
    {
      col = col_locate (l, band, (int32_t) depth, &found);
      if (!found)
        {
          if (!may_insert_column (l, col))
            {
              if (home >= 0)
                goto stay_home;
              band++;
              want = l->p.margin;
              continue;
            }
          col = insert_column (l, col, band, (int32_t) depth);
          if (col < 0)
            return false;
        }
      y = col_spot (l, col, want, nd->h, &at);
      /* A box taller than the wrap height stays at the top of a column. */
      if (stay || y + nd->h <= l->wrap_bottom || y <= l->p.margin)
        break;
      if (home >= 0)
        goto stay_home;
      /* During updates an object goes on at most one band further;
       * otherwise its column grows past the wrap height: an arrow across
       * the whole diagram reads worse than a long column. */
      if (!l->flow)
        {
          home = band;
          home_want = want;
        }
      band++;
      want = l->p.margin;
      continue;
    stay_home:
      band = home;
      want = home_want;
      home = -1;
      stay = true;
    }
  if (!col_insert (l, col, at, k, y, nd->h))
    return false;
  nd = &l->nodes[k];
  nd->col = col;
  nd->x = col_x (l, col);
  nd->y = y;
  nd->prev_x = nd->x;
  nd->prev_y = y;
  *cursor = y + nd->h + l->p.vgap;
  *cursor_col = col;
  band = l->cols[col].band;
  if (band > l->root_band)
    {
      l->root_band = band;
      l->flow_y = l->p.margin;
    }
  if (band == l->root_band)
    l->flow_y = fmax (l->flow_y, y + nd->h + l->p.vgap);
  return true;
}

static inline void
box_add (HsLayoutRect *b, double x, double y)
{
  if (x < b->x)
    {
      b->width += b->x - x;
      b->x = x;
    }
  else if (x > b->x + b->width)
    b->width = x - b->x;
  if (y < b->y)
    {
      b->height += b->y - y;
      b->y = y;
    }
  else if (y > b->y + b->height)
    b->height = y - b->y;
}

static void
rect_union (HsLayoutRect *b, const HsLayoutRect *r)
{
  box_add (b, r->x, r->y);
  box_add (b, r->x + r->width, r->y + r->height);
}

void
hs_layout_segment_controls (const HsLayout *l, const HsLayoutPoint *p,
                            const HsLayoutPoint *q, double c[4])
{
  double k;

  if (p->dir == q->dir)
    k = fabs (q->x - p->x) / 2;
  else
    k = l->p.street_width * 0.55;
  c[0] = p->x + p->dir * k;
  c[1] = p->y;
  c[2] = q->x - q->dir * k;
  c[3] = q->y;
}

static bool
push_pt (HsLayout *l, double x, double y, int dir)
{
  HsLayoutPoint *pt;

  if (!GROW (l->pts, l->cap_pts, l->n_pts + 1))
    return false;
  pt = &l->pts[l->n_pts++];
  pt->x = x;
  pt->y = y;
  pt->dir = dir;
  return true;
}

/* Where ref r leaves its source: column and height. */
static void
source_port (const HsLayout *l, const HsLayoutGraph *g, size_t r, int *col,
             double *y)
{
  const GRef *ref = &g->refs[r];
  int32_t s = l->ref_src[r];

  if (ref->from == HS_LAYOUT_FROM_FRAME)
    {
      const HsLayoutRect *fr = &l->frame_rects[s];

      *col = 0;
      *y = fr->y + port_offset (fr->height, l->frame_rows_top[s],
                                l->frame_row_h[s], ref->row);
    }
  else
    {
      const Node *sn = &l->nodes[l->obj_node[s]];

      *col = sn->col;
      *y = sn->y + port_offset (sn->h, sn->rows_top, sn->row_h, ref->row);
    }
}

static inline bool
key_less (const HsLayout *l, int32_t a, int32_t b)
{
  return l->ref_key[a] < l->ref_key[b]
         || (l->ref_key[a] == l->ref_key[b] && a < b);
}

/* Sorts refs v[0..n) by key, then index (a total order: deterministic). */
static void
sort_refs (const HsLayout *l, int32_t *v, int32_t *tmp, size_t n)
{
  if (n <= 24)
    {
      for (size_t i = 1; i < n; i++)
        {
          int32_t x = v[i];
          size_t j = i;

          for (; j > 0 && key_less (l, x, v[j - 1]); j--)
            v[j] = v[j - 1];
          v[j] = x;
        }
      return;
    }
  sort_refs (l, v, tmp, n / 2);
  sort_refs (l, v + n / 2, tmp, n - n / 2);
  {
    size_t i = 0, j = n / 2, k = 0;

    while (i < n / 2 && j < n)
      tmp[k++] = key_less (l, v[j], v[i]) ? v[j++] : v[i++];
    while (i < n / 2)
      tmp[k++] = v[i++];
    while (j < n)
      tmp[k++] = v[j++];
    memcpy (v, tmp, n * sizeof (int32_t));
  }
}

/* Arrows into one side of a box are spread along it in the order of their
 * origins' heights, so they do not cross just before arriving. */
static void
rank_entries (HsLayout *l, const HsLayoutGraph *g)
{
  size_t no = g->n_objects, nr = g->n_refs;
  uint32_t *count = l->indeg, *off = l->inrank;

  memset (count, 0, (no + 1) * sizeof (uint32_t));
  for (size_t r = 0; r < nr; r++)
    {
      int cs;
      double sy;
      const Node *tn;

      if (l->ref_src[r] < 0)
        continue;
      source_port (l, g, r, &cs, &sy);
      tn = &l->nodes[l->obj_node[l->ref_tgt[r]]];
      l->ref_key[r] = (tn->col > cs ? 0 : 1e12) + sy;
      count[l->ref_tgt[r]]++;
    }
  off[0] = 0;
  for (size_t t = 0; t < no; t++)
    off[t + 1] = off[t] + count[t];
  memset (count, 0, (no + 1) * sizeof (uint32_t));
  for (size_t r = 0; r < nr; r++)
    if (l->ref_src[r] >= 0)
      {
        int32_t t = l->ref_tgt[r];

        l->tgt_list[off[t] + count[t]++] = (int32_t) r;
      }
  for (size_t t = 0; t < no; t++)
    {
      int32_t *v = l->tgt_list + off[t];
      size_t n = count[t], i = 0;

      if (n > 1)
        sort_refs (l, v, l->tgt_tmp, n);
      while (i < n)
        {
          size_t j = i;
          bool right = l->ref_key[v[i]] >= 1e12;

          while (j < n && (l->ref_key[v[j]] >= 1e12) == right)
            j++;
          for (size_t k = i; k < j; k++)
            {
              l->ref_rank[v[k]] = (uint32_t) (k - i);
              l->ref_deg[v[k]] = (uint32_t) (j - i);
            }
          i = j;
        }
    }
}

/* Keeps the previous update's route for ref r when nothing it depends on
 * changed: the same holder slot and target, the same end points, and no
 * box newly placed across it in a column it crosses.  (A box that went
 * away leaves it valid.)  Most refs of a big heap stay put from one step
 * to the next, so this makes an update cost about what changed. */
static bool
reuse_route (HsLayout *l, size_t r, const RouteKey *key, HsLayoutId frame_id)
{
  const Node *tn;
  int32_t off, n, *next;
  RouteKey *o = NULL;
  const HsLayoutPoint *pt;
  size_t q = 0;
  int lo, hi;

  /* (An inserted column moves the columns right of it: the routes into or
   * out of them then differ in cs or ct and are redone below.) */
  if (!l->routes_valid)
    return false;
  tn = &l->nodes[key->tgt_node];
  if (tn->born == l->gen)
    return false;
  if (key->src_node >= 0)
    {
      Node *sn = &l->nodes[key->src_node];

      if (sn->born == l->gen)
        return false;
      off = sn->out_off;
      n = sn->out_n;
      next = &sn->out_next;
    }
  else
    {
      /* A frame's variable: the same frame at the same place in the stack. */
      int32_t f = l->ref_src[r];
      FrameOut *fo;

      if (f < 0 || (size_t) f >= l->n_frame_out || l->frame_out[f].id != frame_id)
        return false;
      fo = &l->frame_out[f];
      off = fo->out_off;
      n = fo->out_n;
      next = &fo->out_next;
    }
  /* The holder's refs mostly come in the same order as last time: look
   * after the last match first. */
  for (int32_t j = 0; j < n; j++)
    {
      int32_t a = *next + j;
      RouteKey *c;

      if (a >= off + n)
        a -= n;
      c = &l->old.key[l->old_adj[a]];
      if (c->tgt_node == key->tgt_node && c->row == key->row
          && c->used_gen != l->gen)
        {
          o = c;
          q = (size_t) l->old_adj[a];
          *next = a + 1 < off + n ? a + 1 : off;
          break;
        }
    }
  if (o == NULL)
    return false;
  o->used_gen = l->gen;
  if (l->old.n[q] == 0 || o->sx != key->sx || o->sy != key->sy
      || o->ye != key->ye || o->tx != key->tx || o->tw != key->tw
      || o->cs != key->cs || o->ct != key->ct)
    return false;
  if (key->ct > key->cs)
    {
      lo = key->cs + 1;
      hi = key->ct - 1;
    }
  else
    {
      lo = key->ct + 1;
      hi = key->cs;
    }
  pt = l->pts + l->old.off[q];
  /* Only the crossed columns that got a new box need a look. */
  for (uint32_t j = l->occ_before[lo]; j < l->occ_before[hi + 1]; j++)
    {
      int c = l->occ_cols[j];
      const Column *C = &l->cols[c];
      double gy;

      gy = pt[o->first + 2 * (key->ct > key->cs ? c - key->cs - 1
                                                : key->cs - c)].y;
      for (uint32_t i = 0; i < C->n_occ; i++)
        if (gy > C->occ[i][0] - 10 && gy < C->occ[i][1] + 10)
          return false;
    }
  l->cur.off[r] = l->old.off[q];
  l->cur.n[r] = l->old.n[q];
  l->cur.box[r] = l->old.box[q];
  l->cur.key[r].first = o->first;
  return true;
}

/* Kept routes leave the points of dropped ones behind in pts: when those
 * are most of it, copy the live routes, in ref order, to a fresh buffer. */
static bool
compact_points (HsLayout *l, size_t nr)
{
  size_t live = 0, at = 0;
  HsLayoutPoint *t;

  for (size_t r = 0; r < nr; r++)
    live += l->cur.n[r];
  /* Both buffers (they swap) get room for the routes appended until the
   * next compaction, faulted in now: on a 10,000-object heap, faulting
   * them in whichever update first reached them took 2 to 6 ms. */
  if (!GROW_TOUCHED (l->pts, l->cap_pts, 2 * live + 4096 + 1)
      || !GROW_TOUCHED (l->pts_tmp, l->cap_pts_tmp, 2 * live + 4096 + 1))
    return false;
  if (l->n_pts <= 2 * live + 4096)
    return true;
  for (size_t r = 0; r < nr; r++)
    {
      memcpy (l->pts_tmp + at, l->pts + l->cur.off[r],
              l->cur.n[r] * sizeof (HsLayoutPoint));
      l->cur.off[r] = at;
      at += l->cur.n[r];
    }
  t = l->pts;
  l->pts = l->pts_tmp;
  l->pts_tmp = t;
  {
    size_t c = l->cap_pts;

    l->cap_pts = l->cap_pts_tmp;
    l->cap_pts_tmp = c;
  }
  l->n_pts = at;
  return true;
}

/* Routes ref r through the streets and column gaps. */
static bool
route (HsLayout *l, const HsLayoutGraph *g, size_t r)
{
  const GRef *ref = &g->refs[r];
  int32_t s = l->ref_src[r], t = l->ref_tgt[r];
  const Node *tn;
  double sx, sy, ye, cur;
  int cs, ct;
  size_t start = l->n_pts;
  uint32_t deg, rank;
  RouteKey *key = &l->cur.key[r];

  l->cur.off[r] = start;
  l->cur.n[r] = 0;
  key->tgt_node = -1;
  if (s < 0 || t < 0)
    return true;
  tn = &l->nodes[l->obj_node[t]];
  if (ref->from == HS_LAYOUT_FROM_FRAME)
    {
      const HsLayoutRect *fr = &l->frame_rects[s];

      cs = 0;
      sx = fr->x + fr->width;
      sy = fr->y + port_offset (fr->height, l->frame_rows_top[s],
                                l->frame_row_h[s], ref->row);
    }
  else
    {
      const Node *sn = &l->nodes[l->obj_node[s]];

      cs = sn->col;
      sx = sn->x + sn->w;
      sy = sn->y + port_offset (sn->h, sn->rows_top, sn->row_h, ref->row);
    }
  ct = tn->col;
  deg = l->ref_deg[r];
  rank = l->ref_rank[r];
  if (deg <= 1)
    ye = tn->y + entry_offset (tn);
  else
    {
      double span = fmin (8.0 * (deg - 1), tn->h - 12);

      ye = tn->y + 6 + (span > 0 ? span * rank / (deg - 1) : 0);
    }

  key->sx = sx;
  key->sy = sy;
  key->ye = ye;
  key->tx = tn->x;
  key->tw = tn->w;
  key->src_node = ref->from == HS_LAYOUT_FROM_FRAME ? -1 : l->obj_node[s];
  key->tgt_node = l->obj_node[t];
  key->row = g->refs[r].row;
  key->cs = cs;
  key->ct = ct;
  key->used_gen = 0;
  if (reuse_route (l, r, key, ref->source))
    return true;
  key->first = sx < col_right (l, cs) - 0.5 ? 2 : 1;

  if (!push_pt (l, sx, sy, 1))
    return false;
  if (sx < col_right (l, cs) - 0.5 && !push_pt (l, col_right (l, cs), sy, 1))
    return false;
  cur = sy;
  if (ct > cs)
    {
      int n = ct - cs - 1;

      for (int k = 1; k <= n; k++)
        {
          int c = cs + k;
          double gy = col_gap (l, c, sy + (ye - sy) * k / (n + 1));

          if (!push_pt (l, col_x (l, c), gy, 1)
              || !push_pt (l, col_right (l, c), gy, 1))
            return false;
          cur = gy;
        }
      if (!push_pt (l, tn->x, ye, 1))
        return false;
    }
  else
    {
      /* Backwards (or within a column): cross the columns in between
       * through their gaps and come into the target from its right, so a
       * cycle reads as a loop. */
      int n = cs - ct;

      if (n == 0 && fabs (ye - sy) < 6)
        ye = sy > tn->y + tn->h / 2 ? tn->y + 4 : tn->y + tn->h - 4;
      for (int k = 1; k <= n; k++)
        {
          int c = cs - k + 1;
          double gy = col_gap (l, c, cur + (ye - cur) / (n - k + 2));

          if (!push_pt (l, col_right (l, c), gy, -1)
              || !push_pt (l, col_x (l, c), gy, -1))
            return false;
          cur = gy;
        }
      if (!push_pt (l, col_right (l, ct), ye, -1))
        return false;
      if (tn->x + tn->w < col_right (l, ct) - 0.5
          && !push_pt (l, tn->x + tn->w, ye, -1))
        return false;
    }
  l->cur.n[r] = (uint32_t) (l->n_pts - start);

  {
    /* The curves stay within their points' box, except U-turns, which
     * bulge into the street by at most k (see segment_controls). */
    HsLayoutRect *b = &l->cur.box[r];
    const HsLayoutPoint *pt = l->pts + start;
    double x0 = pt[0].x, x1 = pt[0].x, y0 = pt[0].y, y1 = pt[0].y;
    bool uturn = false;

    for (uint32_t i = 1; i < l->cur.n[r]; i++)
      {
        x0 = dmin (x0, pt[i].x);
        x1 = dmax (x1, pt[i].x);
        y0 = dmin (y0, pt[i].y);
        y1 = dmax (y1, pt[i].y);
        uturn |= pt[i].dir != pt[i - 1].dir;
      }
    if (uturn)
      {
        x0 -= l->p.street_width * 0.55;
        x1 += l->p.street_width * 0.55;
      }
    b->x = x0;
    b->y = y0;
    b->width = x1 - x0;
    b->height = y1 - y0;
  }
  return true;
}

/* Depths by a breadth-first walk from the objects queued (scratch for
 * choose_wrap). */
static void
walk_depths (const HsLayout *l, uint32_t *depth, size_t *head, size_t *tail)
{
  while (*head < *tail)
    {
      int32_t s = l->queue[(*head)++];

      for (int32_t a = l->adj_off[s]; a < l->adj_off[s + 1]; a++)
        {
          int32_t t = l->ref_tgt[l->adj[a]];

          if (depth[t] == 0)
            {
              depth[t] = depth[s] + 1;
              l->queue[(*tail)++] = t;
            }
        }
    }
}

/* Chooses the band height that makes the diagram screen-shaped (16:10).
 * A walk in the order of step 6 gives each object its depth: with n
 * bands, a band is about 1/n of the tallest column (afresh, with each
 * structure below the one before: 1/n of the structures' heights one
 * under the other), and a depth has a column in (at most) every band.
 * Never less than WRAP_MIN_HEIGHT, so lesson-sized diagrams keep their
 * single columns.  Uses queue and inrank as scratch (after step 5,
 * before step 6). */
static bool
choose_wrap (HsLayout *l, const HsLayoutGraph *g, bool fresh)
{
  size_t no = g->n_objects, nf = g->n_frames;
  uint32_t *depth = l->inrank, n_depths = 0;
  int32_t *queue = l->queue;
  size_t head = 0, tail = 0, n_starts = 0;
  double *sum, tallest = 0, best_h = WRAP_MIN_HEIGHT, best_err = HUGE_VAL;
  uint32_t *count, *starts, best_n = 1;

  /* starts: where each structure begins in the queue (afresh). */
  starts = malloc ((no + 2) * sizeof (uint32_t));
  if (starts == NULL)
    return false;
  memset (depth, 0, (no + 1) * sizeof (uint32_t));
  for (int pass = 0; pass < 2; pass++)
    for (size_t f = 0; f < nf; f++)
      for (int32_t a = l->adj_off[no + f]; a < l->adj_off[no + f + 1]; a++)
        {
          int32_t r = l->adj[a], t = l->ref_tgt[r];
          bool temp = g->refs[r].kind == HS_LAYOUT_REF_TEMPORARY;

          if (temp != (pass == 1) || depth[t])
            continue;
          depth[t] = 1;
          starts[n_starts++] = (uint32_t) tail;
          queue[tail++] = t;
          if (fresh)
            walk_depths (l, depth, &head, &tail);
        }
  for (size_t root = 0;; root++)
    {
      walk_depths (l, depth, &head, &tail);
      while (root < no && depth[root])
        root++;
      if (root >= no)
        break;
      depth[root] = 1;
      starts[n_starts++] = (uint32_t) tail;
      queue[tail++] = (int32_t) root;
    }
  starts[n_starts] = (uint32_t) tail;
  for (size_t i = 0; i < tail; i++)
    if (depth[queue[i]] > n_depths)
      n_depths = depth[queue[i]];
  sum = calloc (n_depths + 1, sizeof (double));
  count = calloc (n_depths + 1, sizeof (uint32_t));
  if (sum == NULL || count == NULL)
    {
      free (sum);
      free (count);
      free (starts);
      return false;
    }
  if (fresh)
    {
      /* Each structure is as tall as its tallest column. */
      for (size_t k = 0; k < n_starts; k++)
        {
          double block = 0;

          for (uint32_t i = starts[k]; i < starts[k + 1]; i++)
            if (l->visited[queue[i]] != 2)
              sum[depth[queue[i]]] += g->objects[queue[i]].h + l->p.vgap;
          for (uint32_t i = starts[k]; i < starts[k + 1]; i++)
            {
              block = fmax (block, sum[depth[queue[i]]]);
              sum[depth[queue[i]]] = 0;
            }
          tallest += block;
        }
    }
  for (size_t i = 0; i < no; i++)
    if (l->visited[i] != 2)
      {
        sum[depth[i]] += g->objects[i].h + l->p.vgap;
        count[depth[i]]++;
      }
  if (!fresh)
    for (uint32_t d = 1; d <= n_depths; d++)
      tallest = fmax (tallest, sum[d]);
  free (starts);
  for (uint32_t n = 1; n <= 1024; n++)
    {
      double h = tallest / n, w = l->p.frame_width + 2 * l->p.margin, err;

      if (n > 1 && h < WRAP_MIN_HEIGHT)
        break;
      for (uint32_t d = 1; d <= n_depths; d++)
        w += l->pitch * (count[d] < n ? count[d] : n);
      err = fabs (log (w / (h + 2 * l->p.margin) / 1.6));
      if (err < best_err)
        {
          best_err = err;
          best_h = h;
          best_n = n;
        }
    }
  free (sum);
  free (count);
  /* Columns come out a little taller than their boxes (a child is placed
   * level with its holder, below it if need be): leave room for that, and
   * do not wrap at all when one band is the best shape. */
  if (best_n == 1)
    l->wrap_bottom = HUGE_VAL;
  else
    l->wrap_bottom = l->p.margin + fmax (WRAP_MIN_HEIGHT, best_h * 1.1);
  return true;
}

/* Breadth first from the objects queued: places each new object reached. */
static bool
drain_queue (HsLayout *l, const HsLayoutGraph *g, size_t *head, size_t *tail)
{
  while (*head < *tail)
    {
      int32_t s = l->queue[(*head)++];

      for (int32_t a = l->adj_off[s]; a < l->adj_off[s + 1]; a++)
        {
          int32_t r = l->adj[a], t = l->ref_tgt[r];

          if (l->visited[t])
            continue;
          l->visited[t] = 1;
          if (l->obj_node[t] < 0 && !place_new (l, g, t, r))
            return false;
          l->queue[(*tail)++] = t;
        }
    }
  return true;
}

static int
do_update (HsLayout *l, const HsLayoutGraph *g)
{
  size_t no = g->n_objects, nf = g->n_frames, nr = g->n_refs;
  size_t head, tail;
  double fy;

  /* The previous update's routes become the old ones. */
  {
    int32_t *a = l->adj;
    size_t c = l->cap_adj;
    RouteSet rs = l->cur;

    l->adj = l->old_adj;
    l->cap_adj = l->cap_old_adj;
    l->old_adj = a;
    l->cap_old_adj = c;
    l->cur = l->old;
    l->old = rs;
  }
  if (!ensure_update_arrays (l, g))
    return -1;
  l->gen++;
  memset (&l->stats, 0, sizeof l->stats);

  /* 1. Match the graph's objects with the nodes of the previous update.
   * Callers mostly list objects in the same order at every step, so try
   * the node that followed the last match before hashing. */
  size_t hint = 0;
  for (size_t i = 0; i < no; i++)
    {
      HsLayoutId id = g->objects[i].id;
      int32_t k = -1;

      if (hint < l->n_prev)
        {
          int32_t c = l->prev_node[hint];

          if (c >= 0 && l->nodes[c].id == id && l->nodes[c].col >= 0)
            k = c;
        }
      if (k < 0)
        k = map_get (&l->map, id);

      l->obj_node[i] = -1;
      l->visited[i] = 0;
      l->cursor[i] = 0;
      l->cursor_col[i] = 0;
      if (k < 0)
        continue;
      if (l->nodes[k].seen == l->gen)
        {
          l->visited[i] = 2;    /* a repeated id: ignored */
          continue;
        }
      hint = (size_t) l->nodes[k].gindex + 1;
      l->nodes[k].seen = l->gen;
      l->nodes[k].gindex = (int32_t) i;
      l->nodes[k].prev_x = l->nodes[k].x;
      l->nodes[k].prev_y = l->nodes[k].y;
      l->obj_node[i] = k;
      l->stats.survivors++;
    }

  /* 2. Forget the nodes that are gone; their space becomes free. */
  for (size_t k = 0; k < l->n_nodes; k++)
    {
      Node *nd = &l->nodes[k];

      if (nd->col < 0 || nd->seen == l->gen)
        continue;
      map_del (&l->map, nd->id);
      l->cols[nd->col].dirty = true;
      nd->col = -1;
      nd->next_free = l->free_head;
      l->free_head = (int32_t) k;
      l->stats.removed++;
    }
  for (size_t c = 0; c < l->n_cols; c++)
    {
      Column *C = &l->cols[c];
      size_t j = 0;

      if (!C->dirty)
        continue;
      for (size_t i = 0; i < C->n; i++)
        if (l->nodes[C->e[i].node].col >= 0)
          C->e[j++] = C->e[i];
      C->n = j;
      C->dirty = false;
    }

  /* 3. Survivors that changed size. */
  for (size_t i = 0; i < no; i++)
    {
      int32_t k = l->obj_node[i];
      const GItem *it = &g->objects[i];
      Node *nd;

      if (k < 0)
        continue;
      nd = &l->nodes[k];
      nd->w = fmin (it->w, l->p.object_max_width);
      nd->rows_top = it->rows_top;
      nd->row_h = it->row_h;
      if (it->h != nd->h)
        col_resize (l, k, it->h);
    }

  /* 4. Frames: a stack in column 0. */
  {
    size_t want = 64;

    while (want < 2 * nf + 2)
      want *= 2;
    if (l->frame_map.cap < want)
      {
        free (l->frame_map.slots);
        l->frame_map.slots = NULL;
        l->frame_map.cap = 0;
        if (!map_init (&l->frame_map, want))
          return -1;
      }
    else
      map_clear (&l->frame_map);
  }
  fy = l->p.margin;
  for (size_t f = 0; f < nf; f++)
    {
      const GItem *it = &g->frames[f];
      HsLayoutRect *fr = &l->frame_rects[f];

      if (map_get (&l->frame_map, it->id) < 0)
        map_put (&l->frame_map, it->id, (int32_t) f);
      fr->x = l->p.margin;
      fr->y = fy;
      fr->width = fmin (it->w, l->p.frame_width);
      fr->height = it->h;
      l->frame_rows_top[f] = it->rows_top;
      l->frame_row_h[f] = it->row_h;
      l->cursor[no + f] = 0;
      l->cursor_col[no + f] = 0;
      fy += it->h + l->p.frame_gap;
    }
  l->cursor[no + nf] = 0;
  l->cursor_col[no + nf] = 0;
  l->n_cursor = no + nf + 1;
  l->moved_by_wrap = 0;
  l->root_band = 0;
  l->flow_y = l->p.margin;
  if (l->n_cols == 0)
    {
      /* The frames' column. */
      if (!reserve_col (l))
        return -1;
      l->cols[0].n = 0;
      l->cols[0].dirty = false;
      l->cols[0].depth = 0;
      l->cols[0].band = 0;
      l->n_cols = 1;
    }

  /* 5. Resolve refs to graph indices and group them by source. */
  memset (l->adj_off, 0, (no + nf + 2) * sizeof (int32_t));
  HsLayoutId last_src = 0;
  int32_t last_s = -3, hint_a = 0, hint_end = 0;
  for (size_t r = 0; r < nr; r++)
    {
      const GRef *ref = &g->refs[r];
      int32_t s = -1, t = -2, k;

      if (ref->from == HS_LAYOUT_FROM_FRAME)
        s = map_get (&l->frame_map, ref->source);
      else if (last_s != -3 && ref->source == last_src)
        s = last_s;             /* refs usually come grouped by holder */
      else
        {
          k = map_get (&l->map, ref->source);
          hint_a = hint_end = 0;
          if (k >= 0 && l->nodes[k].seen == l->gen)
            {
              s = l->nodes[k].gindex;
              /* Its refs of the previous update, in order: mostly the
               * same targets, found without hashing. */
              if (l->routes_valid)
                {
                  hint_a = l->nodes[k].out_off;
                  hint_end = hint_a + l->nodes[k].out_n;
                }
            }
          else
            s = -2;
          last_src = ref->source;
          last_s = s;
        }
      if (ref->from != HS_LAYOUT_FROM_FRAME)
        for (int32_t a = hint_a; a < hint_end && a < hint_a + 2; a++)
          {
            k = l->old.key[l->old_adj[a]].tgt_node;
            if (k >= 0 && l->nodes[k].id == ref->target
                && l->nodes[k].seen == l->gen && l->nodes[k].col >= 0)
              {
                t = l->nodes[k].gindex;
                hint_a = a + 1;
                break;
              }
          }
      if (t == -2)
        {
          k = map_get (&l->map, ref->target);
          /* Not found: a new object, not in the map yet (found below). */
          if (k >= 0 && l->nodes[k].seen == l->gen)
            t = l->nodes[k].gindex;
        }
      l->ref_src[r] = s;
      l->ref_tgt[r] = t;
    }
  /* New ids: a temporary map from id to graph index for this update. */
  {
    IdMap fresh = { 0 };
    bool any = false;

    for (size_t i = 0; i < no; i++)
      if (l->obj_node[i] < 0 && l->visited[i] == 0)
        {
          if (!any && !map_init (&fresh, 64))
            return -1;
          any = true;
          if (map_get (&fresh, g->objects[i].id) >= 0)
            l->visited[i] = 2;
          else if (!map_put (&fresh, g->objects[i].id, (int32_t) i))
            {
              free (fresh.slots);
              return -1;
            }
        }
    for (size_t r = 0; r < nr; r++)
      {
        if (l->ref_tgt[r] == -2)
          l->ref_tgt[r] = any ? map_get (&fresh, g->refs[r].target) : -1;
        if (l->ref_src[r] == -2)
          l->ref_src[r] = any ? map_get (&fresh, g->refs[r].source) : -1;
      }
    free (fresh.slots);
  }
  for (size_t r = 0; r < nr; r++)
    {
      int32_t s = l->ref_src[r];

      if (s < 0 || l->ref_tgt[r] < 0)
        continue;
      s += g->refs[r].from == HS_LAYOUT_FROM_FRAME ? (int32_t) no : 0;
      l->adj_off[s + 1]++;
    }
  for (size_t i = 0; i < no + nf; i++)
    l->adj_off[i + 1] += l->adj_off[i];
  {
    /* Fill, using indeg as a temporary fill counter. */
    memset (l->indeg, 0, (no + nf) * sizeof (uint32_t));
    for (size_t r = 0; r < nr; r++)
      {
        int32_t s = l->ref_src[r];

        if (s < 0 || l->ref_tgt[r] < 0)
          continue;
        s += g->refs[r].from == HS_LAYOUT_FROM_FRAME ? (int32_t) no : 0;
        l->adj[l->adj_off[s] + l->indeg[s]++] = (int32_t) r;
      }
  }

  /* The wrap height, chosen afresh when the heap is new or has doubled or
   * halved since: it only steers where new objects go. */
  if (l->stats.survivors == 0 || no >= 2 * l->wrap_for || 2 * no < l->wrap_for)
    {
      if (!choose_wrap (l, g, l->stats.survivors == 0))
        return -1;
      l->wrap_for = no;
    }
  l->flow = l->stats.survivors == 0 && l->wrap_bottom < HUGE_VAL;

  /* 6. Breadth first from the frames (variables before temporaries), then
   * from whatever is left (garbage, fading objects), in graph order; a new
   * object is placed when it is reached, next to the slot that reached it. */
  head = tail = 0;
  for (int pass = 0; pass < 2; pass++)
    for (size_t f = 0; f < nf; f++)
      for (int32_t a = l->adj_off[no + f]; a < l->adj_off[no + f + 1]; a++)
        {
          int32_t r = l->adj[a], t = l->ref_tgt[r];
          bool temp = g->refs[r].kind == HS_LAYOUT_REF_TEMPORARY;

          if (temp != (pass == 1) || l->visited[t])
            continue;
          l->visited[t] = 1;
          if (l->obj_node[t] < 0 && !place_new (l, g, t, r))
            return -1;
          l->queue[tail++] = t;
          /* A big heap afresh: each variable's structure as a whole. */
          if (l->flow && !drain_queue (l, g, &head, &tail))
            return -1;
        }
  for (size_t root = 0;; root++)
    {
      if (!drain_queue (l, g, &head, &tail))
        return -1;
      while (root < no && l->visited[root])
        root++;
      if (root >= no)
        break;
      l->visited[root] = 1;
      if (l->obj_node[root] < 0 && !place_new (l, g, (int32_t) root, -1))
        return -1;
      l->queue[tail++] = (int32_t) root;
    }
  l->stats.added = 0;
  for (size_t i = 0; i < no; i++)
    {
      int32_t k = l->obj_node[i];

      if (k < 0)
        continue;
      if (l->nodes[k].born == l->gen)
        l->stats.added++;
      else if (l->nodes[k].y != l->nodes[k].prev_y
               || l->nodes[k].x != l->nodes[k].prev_x)
        l->stats.moved++;
    }

  /* 7. Routes. */
  for (size_t r = 0; r < nr; r++)
    if (!(l->ref_src[r] >= 0 && l->ref_tgt[r] >= 0
          && l->obj_node[l->ref_tgt[r]] >= 0))
      l->ref_src[r] = -1;
  rank_entries (l, g);
  if (!l->routes_valid)
    l->n_pts = 0;
  if (!GROW (l->occ_before, l->cap_occ_before, l->n_cols + 1)
      || !GROW (l->occ_cols, l->cap_occ_cols, l->n_cols + 1))
    return -1;
  l->occ_before[0] = 0;
  for (size_t c = 0; c < l->n_cols; c++)
    {
      uint32_t k = l->occ_before[c];

      if (l->cols[c].occ_gen == l->gen)
        l->occ_cols[k++] = (int32_t) c;
      l->occ_before[c + 1] = k;
    }
  for (size_t r = 0; r < nr; r++)
    if (!route (l, g, r))
      return -1;
  if (!compact_points (l, nr))
    return -1;

  l->n_frames = nf;
  l->n_objects = no;
  l->n_refs = nr;

  /* 8. Bounds. */
  l->bounds.x = l->bounds.y = 0;
  l->bounds.width = l->bounds.height = 0;
  for (size_t f = 0; f < nf; f++)
    rect_union (&l->bounds, &l->frame_rects[f]);
  for (size_t i = 0; i < no; i++)
    if (l->obj_node[i] >= 0)
      {
        const Node *nd = &l->nodes[l->obj_node[i]];

        box_add (&l->bounds, nd->x, nd->y);
        box_add (&l->bounds, nd->x + nd->w, nd->y + nd->h);
      }
  for (size_t r = 0; r < nr; r++)
    if (l->cur.n[r])
      rect_union (&l->bounds, &l->cur.box[r]);
  l->bounds.width += l->p.margin;
  l->bounds.height += l->p.margin;

  if (!GROW (l->prev_node, l->cap_prev, no + 1))
    return -1;
  memcpy (l->prev_node, l->obj_node, no * sizeof (int32_t));
  l->n_prev = no;

  /* 9. Keep this update's routes for the next one: each node's refs (in
   * adj, grouped by holder); do_update swaps them into old_adj and old. */
  for (size_t i = 0; i < no; i++)
    if (l->obj_node[i] >= 0)
      {
        Node *nd = &l->nodes[l->obj_node[i]];

        nd->out_off = l->adj_off[i];
        nd->out_n = l->adj_off[i + 1] - l->adj_off[i];
        nd->out_next = nd->out_off;
      }
  if (!GROW (l->frame_out, l->cap_frame_out, nf + 1))
    return -1;
  for (size_t f = 0; f < nf; f++)
    {
      FrameOut *fo = &l->frame_out[f];

      fo->id = g->frames[f].id;
      fo->out_off = l->adj_off[no + f];
      fo->out_n = l->adj_off[no + f + 1] - l->adj_off[no + f];
      fo->out_next = fo->out_off;
    }
  l->n_frame_out = nf;
  l->routes_valid = true;
  return 0;
}

int
hs_layout_update (HsLayout *l, const HsLayoutGraph *g)
{
  if (do_update (l, g) < 0)
    {
      hs_layout_reset (l);
      return -1;
    }
  return 0;
}

int
hs_layout_compute (HsLayout *l, const HsLayoutGraph *g)
{
  hs_layout_reset (l);
  return hs_layout_update (l, g);
}

void
hs_layout_get_stats (const HsLayout *l, HsLayoutStats *stats)
{
  *stats = l->stats;
}

size_t
hs_layout_n_frames (const HsLayout *l)
{
  return l->n_frames;
}

size_t
hs_layout_n_objects (const HsLayout *l)
{
  return l->n_objects;
}

size_t
hs_layout_n_edges (const HsLayout *l)
{
  return l->n_refs;
}

bool
hs_layout_get_frame (const HsLayout *l, size_t index, HsLayoutRect *rect)
{
  if (index >= l->n_frames)
    return false;
  *rect = l->frame_rects[index];
  return true;
}

bool
hs_layout_get_object (const HsLayout *l, size_t index, HsLayoutRect *rect)
{
  const Node *nd;

  if (index >= l->n_objects || l->obj_node[index] < 0)
    return false;
  nd = &l->nodes[l->obj_node[index]];
  rect->x = nd->x;
  rect->y = nd->y;
  rect->width = nd->w;
  rect->height = nd->h;
  return true;
}

bool
hs_layout_lookup_object (const HsLayout *l, HsLayoutId id, size_t *index)
{
  int32_t k = map_get (&l->map, id);

  if (k < 0 || l->nodes[k].seen != l->gen || l->nodes[k].col < 0)
    return false;
  *index = (size_t) l->nodes[k].gindex;
  return true;
}

size_t
hs_layout_get_edge (const HsLayout *l, size_t index,
                    const HsLayoutPoint **points)
{
  if (index >= l->n_refs || l->cur.n[index] == 0)
    {
      *points = NULL;
      return 0;
    }
  *points = l->pts + l->cur.off[index];
  return l->cur.n[index];
}

bool
hs_layout_get_edge_bounds (const HsLayout *l, size_t index, HsLayoutRect *rect)
{
  if (index >= l->n_refs || l->cur.n[index] == 0)
    return false;
  *rect = l->cur.box[index];
  return true;
}

bool
hs_layout_get_label_anchor (const HsLayout *l, size_t index, double *x,
                            double *y)
{
  const HsLayoutPoint *pt;

  if (hs_layout_get_edge (l, index, &pt) == 0)
    return false;
  *x = pt[0].x + 4;
  *y = pt[0].y - 3;
  return true;
}

void
hs_layout_get_bounds (const HsLayout *l, HsLayoutRect *rect)
{
  *rect = l->bounds;
}

size_t
hs_layout_query_objects (const HsLayout *l, const HsLayoutRect *area,
                         size_t *indices, size_t max)
{
  size_t count = 0;
  int c0, c1;

  if (area->x + area->width < col_x (l, 1))
    return 0;
  c0 = (int) floor ((area->x - col_x (l, 1)) / l->pitch) + 1;
  c1 = (int) floor ((area->x + area->width - col_x (l, 1)) / l->pitch) + 1;
  if (c0 < 1)
    c0 = 1;
  if (c1 >= (int) l->n_cols)
    c1 = (int) l->n_cols - 1;
  for (int c = c0; c <= c1; c++)
    {
      const Column *C = &l->cols[c];

      for (size_t i = col_lower (C, area->y, 0); i < C->n; i++)
        {
          const Node *nd = &l->nodes[C->e[i].node];

          if (C->e[i].y0 > area->y + area->height)
            break;
          if (nd->x > area->x + area->width || nd->x + nd->w < area->x)
            continue;
          if (count < max)
            indices[count] = (size_t) nd->gindex;
          count++;
        }
    }
  return count;
}

bool
hs_layout_hit_object (const HsLayout *l, double x, double y, size_t *index)
{
  HsLayoutRect a = { x, y, 0, 0 };
  size_t i;

  if (hs_layout_query_objects (l, &a, &i, 1) == 0)
    return false;
  *index = i;
  return true;
}

bool
hs_layout_hit_frame (const HsLayout *l, double x, double y, size_t *index)
{
  for (size_t f = 0; f < l->n_frames; f++)
    {
      const HsLayoutRect *r = &l->frame_rects[f];

      if (x >= r->x && x <= r->x + r->width && y >= r->y && y <= r->y + r->height)
        {
          *index = f;
          return true;
        }
    }
  return false;
}
