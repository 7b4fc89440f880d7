/* test-layout.c — heap graph layout: overlaps, routes, stability, determinism, big shapes. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hs-layout.h"
#include "../bench/layout/bench-heap.h"

/* Sizes like the renderer's: header 22, rows of 20. */
#define HDR 22.0
#define ROW 20.0

static void
add_obj (HsLayoutGraph *g, HsLayoutId id, int rows)
{
  double h = rows ? HDR + rows * ROW + 4 : HDR + 22;

  hs_layout_graph_add_object (g, id, 60 + (double) (id % 7) * 10, h, HDR, ROW);
}

static void
add_frame (HsLayoutGraph *g, HsLayoutId id, int rows)
{
  hs_layout_graph_add_frame (g, id, 160, 26 + rows * ROW + 6, 26, ROW);
}

static void
obj_ref (HsLayoutGraph *g, HsLayoutId from, int row, HsLayoutId to)
{
  hs_layout_graph_add_ref (g, HS_LAYOUT_FROM_OBJECT, from, row, to,
                           HS_LAYOUT_REF_NORMAL);
}

static void
frame_ref (HsLayoutGraph *g, HsLayoutId from, int row, HsLayoutId to)
{
  hs_layout_graph_add_ref (g, HS_LAYOUT_FROM_FRAME, from, row, to,
                           HS_LAYOUT_REF_NORMAL);
}

/* ------------------------------------------------------------ checks */

typedef struct
{
  HsLayoutRect r;
} Box;

static int
cmp_box_y (const void *a, const void *b)
{
  const Box *x = a, *y = b;

  if (x->r.y != y->r.y)
    return x->r.y < y->r.y ? -1 : 1;
  return x->r.x < y->r.x ? -1 : x->r.x > y->r.x;
}

static size_t
collect_boxes (const HsLayout *l, Box **out)
{
  size_t nf = hs_layout_n_frames (l), no = hs_layout_n_objects (l), n = 0;
  Box *b = calloc (nf + no + 1, sizeof (Box));

  for (size_t i = 0; i < nf; i++)
    if (hs_layout_get_frame (l, i, &b[n].r))
      n++;
  for (size_t i = 0; i < no; i++)
    if (hs_layout_get_object (l, i, &b[n].r))
      n++;
  *out = b;
  return n;
}

/* Number of pairs of boxes that overlap. */
static size_t
count_overlaps (const HsLayout *l)
{
  Box *b;
  size_t n = collect_boxes (l, &b), bad = 0;

  qsort (b, n, sizeof (Box), cmp_box_y);
  for (size_t i = 0; i < n; i++)
    for (size_t j = i + 1; j < n && b[j].r.y < b[i].r.y + b[i].r.height; j++)
      if (b[j].r.x < b[i].r.x + b[i].r.width && b[i].r.x < b[j].r.x + b[j].r.width)
        bad++;
  free (b);
  return bad;
}

static bool
strictly_inside_any (const HsLayout *l, double x, double y)
{
  HsLayoutRect a = { x - 0.01, y - 0.01, 0.02, 0.02 }, r;
  size_t idx[8], n = hs_layout_query_objects (l, &a, idx, 8);

  for (size_t i = 0; i < n && i < 8; i++)
    if (hs_layout_get_object (l, idx[i], &r)
        && x > r.x + 0.5 && x < r.x + r.width - 0.5
        && y > r.y + 0.5 && y < r.y + r.height - 0.5)
      return true;
  for (size_t f = 0; f < hs_layout_n_frames (l); f++)
    if (hs_layout_get_frame (l, f, &r)
        && x > r.x + 0.5 && x < r.x + r.width - 0.5
        && y > r.y + 0.5 && y < r.y + r.height - 0.5)
      return true;
  return false;
}

static double
bez (double a, double b, double c, double d, double t)
{
  double u = 1 - t;

  return u * u * u * a + 3 * u * u * t * b + 3 * u * t * t * c + t * t * t * d;
}

typedef struct
{
  size_t routed, missing, through_box, bad_ends;
} RouteCheck;

/* Every ref whose both ends exist has a route that starts on its source's
 * right edge, ends on its target's left or right edge, and whose curves
 * never enter a box.  src/tgt: graph indices given by the caller. */
static RouteCheck
check_routes (const HsLayout *l, const HsLayoutGraph *g, const int *src_frame,
              const size_t *src, const size_t *tgt, size_t samples)
{
  RouteCheck rc = { 0 };
  size_t nr = hs_layout_graph_n_refs (g);

  for (size_t e = 0; e < nr; e++)
    {
      const HsLayoutPoint *pt;
      size_t n = hs_layout_get_edge (l, e, &pt);
      HsLayoutRect s, t;

      if (n < 2)
        {
          rc.missing++;
          continue;
        }
      rc.routed++;
      if (src_frame[e])
        hs_layout_get_frame (l, src[e], &s);
      else
        hs_layout_get_object (l, src[e], &s);
      hs_layout_get_object (l, tgt[e], &t);
      if (fabs (pt[0].x - (s.x + s.width)) > 0.01
          || pt[0].y < s.y || pt[0].y > s.y + s.height)
        rc.bad_ends++;
      if ((fabs (pt[n - 1].x - t.x) > 0.01 || pt[n - 1].dir != 1)
          && (fabs (pt[n - 1].x - (t.x + t.width)) > 0.01 || pt[n - 1].dir != -1))
        rc.bad_ends++;
      if (pt[n - 1].y < t.y || pt[n - 1].y > t.y + t.height)
        rc.bad_ends++;
      for (size_t k = 1; k < n; k++)
        {
          double c[4];

          hs_layout_segment_controls (l, &pt[k - 1], &pt[k], c);
          for (size_t j = 1; j < samples; j++)
            {
              double tt = (double) j / samples;
              double x = bez (pt[k - 1].x, c[0], c[2], pt[k].x, tt);
              double y = bez (pt[k - 1].y, c[1], c[3], pt[k].y, tt);

              if (strictly_inside_any (l, x, y))
                {
                  rc.through_box++;
                  goto next;
                }
            }
        }
    next:;
    }
  return rc;
}

/* Builds the src/tgt index arrays for check_routes from a graph whose ids
 * are their own graph index + base (objects) and frame index + fbase. */
typedef struct
{
  int *src_frame;
  size_t *src, *tgt;
} RefIdx;

static RefIdx
ref_index (const HsLayout *l, const HsLayoutGraph *g,
           const HsLayoutId *ref_source, const int *ref_from_frame,
           const HsLayoutId *ref_target, const size_t *frame_of_id_base)
{
  size_t nr = hs_layout_graph_n_refs (g);
  RefIdx ri = { calloc (nr + 1, sizeof (int)), calloc (nr + 1, sizeof (size_t)),
                calloc (nr + 1, sizeof (size_t)) };

  for (size_t e = 0; e < nr; e++)
    {
      ri.src_frame[e] = ref_from_frame[e];
      if (ref_from_frame[e])
        ri.src[e] = (size_t) (ref_source[e] - *frame_of_id_base);
      else
        assert_true (hs_layout_lookup_object (l, ref_source[e], &ri.src[e]));
      assert_true (hs_layout_lookup_object (l, ref_target[e], &ri.tgt[e]));
    }
  return ri;
}

static void
ref_index_free (RefIdx *ri)
{
  free (ri->src_frame);
  free (ri->src);
  free (ri->tgt);
}

/* A small graph builder that remembers refs for the checks. */
typedef struct
{
  HsLayoutGraph *g;
  HsLayoutId *rs, *rt;
  int *rf;
  size_t n, cap;
} Builder;

static void
b_init (Builder *b)
{
  memset (b, 0, sizeof *b);
  b->g = hs_layout_graph_new ();
}

static void
b_clear (Builder *b)
{
  hs_layout_graph_clear (b->g);
  b->n = 0;
}

static void
b_ref (Builder *b, bool frame, HsLayoutId s, int row, HsLayoutId t)
{
  if (b->n == b->cap)
    {
      b->cap = b->cap ? b->cap * 2 : 64;
      b->rs = realloc (b->rs, b->cap * sizeof *b->rs);
      b->rt = realloc (b->rt, b->cap * sizeof *b->rt);
      b->rf = realloc (b->rf, b->cap * sizeof *b->rf);
    }
  b->rs[b->n] = s;
  b->rt[b->n] = t;
  b->rf[b->n] = frame;
  b->n++;
  if (frame)
    frame_ref (b->g, s, row, t);
  else
    obj_ref (b->g, s, row, t);
}

static void
b_free (Builder *b)
{
  hs_layout_graph_free (b->g);
  free (b->rs);
  free (b->rt);
  free (b->rf);
}

/* Frames have ids 1..n in order, so frame index = id - 1. */
static void
check_all (const HsLayout *l, Builder *b, size_t samples)
{
  size_t one = 1;
  RefIdx ri = ref_index (l, b->g, b->rs, b->rf, b->rt, &one);
  RouteCheck rc = check_routes (l, b->g, ri.src_frame, ri.src, ri.tgt, samples);

  assert_int_equal (count_overlaps (l), 0);
  assert_int_equal (rc.missing, 0);
  assert_int_equal (rc.routed, b->n);
  assert_int_equal (rc.bad_ends, 0);
  assert_int_equal (rc.through_box, 0);
  ref_index_free (&ri);
}

/* ------------------------------------------------------------ lesson */

/* A lesson-sized heap: module frame, a call frame, lists of lists, a linked
 * list, a dict, shared strings, a cycle, a self-loop. */
static void
build_lesson (Builder *b)
{
  HsLayoutGraph *g = b->g;

  add_frame (g, 1, 6);
  add_frame (g, 2, 2);
  add_obj (g, 100, 0);                          /* 'hello' */
  add_obj (g, 101, 3);                          /* nums */
  for (int i = 0; i < 3; i++)
    add_obj (g, 102 + i, 0);
  add_obj (g, 110, 2);                          /* grid */
  add_obj (g, 111, 2);
  add_obj (g, 112, 1);
  for (int i = 0; i < 4; i++)
    add_obj (g, 120 + i, 2);                    /* linked list */
  add_obj (g, 130, 2);                          /* dict */
  add_obj (g, 140, 1);                          /* a <-> b cycle */
  add_obj (g, 141, 1);
  add_obj (g, 150, 1);                          /* self-loop */
  b_ref (b, true, 1, 0, 100);
  b_ref (b, true, 1, 1, 100);
  b_ref (b, true, 1, 2, 101);
  b_ref (b, true, 1, 3, 110);
  b_ref (b, true, 1, 4, 120);
  b_ref (b, true, 1, 5, 130);
  b_ref (b, true, 2, 0, 101);
  b_ref (b, true, 2, 1, 150);
  for (int i = 0; i < 3; i++)
    b_ref (b, false, 101, i, 102 + i);
  b_ref (b, false, 110, 0, 111);
  b_ref (b, false, 110, 1, 112);
  b_ref (b, false, 111, 0, 102);
  b_ref (b, false, 111, 1, 103);
  b_ref (b, false, 112, 0, 104);
  for (int i = 0; i < 4; i++)
    {
      b_ref (b, false, 120 + i, 0, 102 + i % 3);
      if (i < 3)
        b_ref (b, false, 120 + i, 1, 121 + i);
    }
  b_ref (b, false, 130, 0, 100);
  b_ref (b, false, 130, 1, 103);
  b_ref (b, false, 140, 0, 141);
  b_ref (b, false, 141, 0, 140);
  b_ref (b, false, 150, 0, 150);
}

static void
test_lesson_readable (void **state)
{
  Builder b;
  HsLayout *l = hs_layout_new (NULL);
  HsLayoutRect f0, f1, r, s;
  size_t i, j;

  b_init (&b);
  build_lesson (&b);
  assert_int_equal (hs_layout_compute (l, b.g), 0);
  check_all (l, &b, 24);

  /* Frames: a column on the left, in order. */
  assert_true (hs_layout_get_frame (l, 0, &f0));
  assert_true (hs_layout_get_frame (l, 1, &f1));
  assert_true (f0.x == f1.x);
  assert_true (f1.y >= f0.y + f0.height);
  for (size_t k = 0; k < hs_layout_n_objects (l); k++)
    {
      assert_true (hs_layout_get_object (l, k, &r));
      assert_true (r.x >= f0.x + f0.width);
    }
  /* The linked list is a row, in order, left to right. */
  for (int k = 0; k < 3; k++)
    {
      assert_true (hs_layout_lookup_object (l, 120 + k, &i));
      assert_true (hs_layout_lookup_object (l, 121 + k, &j));
      hs_layout_get_object (l, i, &r);
      hs_layout_get_object (l, j, &s);
      assert_true (s.x > r.x);
    }
  /* The items of a list are stacked in slot order next to it. */
  for (int k = 0; k < 2; k++)
    {
      assert_true (hs_layout_lookup_object (l, 102 + k, &i));
      assert_true (hs_layout_lookup_object (l, 103 + k, &j));
      hs_layout_get_object (l, i, &r);
      hs_layout_get_object (l, j, &s);
      assert_true (s.x == r.x);
      assert_true (s.y > r.y);
    }
  /* The first object is level with the variable that refers to it. */
  assert_true (hs_layout_lookup_object (l, 100, &i));
  hs_layout_get_object (l, i, &r);
  assert_true (fabs (r.y - (f0.y + 26)) < 20);
  /* The self-loop leaves and comes back to its own box, on the right. */
  {
    const HsLayoutPoint *pt;
    size_t n = hs_layout_get_edge (l, b.n - 1, &pt);

    assert_true (hs_layout_lookup_object (l, 150, &i));
    hs_layout_get_object (l, i, &r);
    assert_true (n >= 2);
    assert_true (pt[n - 1].dir == -1);
    assert_true (fabs (pt[n - 1].x - (r.x + r.width)) < 0.01);
  }
  hs_layout_free (l);
  b_free (&b);
}

/* ------------------------------------------------------------ stability */

/* A 40-step script that looks like a lesson: variables bound, lists grown,
 * items replaced, objects freed (kept one step while fading), a call. */
typedef struct
{
  HsLayoutId id;
  int rows;
  HsLayoutId slot[12];
  bool alive, fading;
} SObj;

#define NS 80

typedef struct
{
  SObj o[NS];
  HsLayoutId var[8];
  int n_obj;
  bool call;
  HsLayoutId local[3];
} Script;

static int
s_new (Script *s, int rows)
{
  int k = s->n_obj++;

  assert_true (k < NS);
  memset (&s->o[k], 0, sizeof (SObj));
  s->o[k].id = 1000 + (HsLayoutId) k;
  s->o[k].rows = rows;
  s->o[k].alive = true;
  return k;
}

static void
s_emit (const Script *s, Builder *b)
{
  b_clear (b);
  add_frame (b->g, 1, 8);
  if (s->call)
    add_frame (b->g, 2, 3);
  for (int k = 0; k < s->n_obj; k++)
    if (s->o[k].alive || s->o[k].fading)
      add_obj (b->g, s->o[k].id, s->o[k].rows);
  for (int v = 0; v < 8; v++)
    if (s->var[v])
      b_ref (b, true, 1, v, s->var[v]);
  if (s->call)
    for (int v = 0; v < 3; v++)
      if (s->local[v])
        b_ref (b, true, 2, v, s->local[v]);
  for (int k = 0; k < s->n_obj; k++)
    if (s->o[k].alive)
      for (int i = 0; i < s->o[k].rows; i++)
        if (s->o[k].slot[i])
          b_ref (b, false, s->o[k].id, i, s->o[k].slot[i]);
}

static void
run_script (HsLayout *l, Builder *b, size_t *survivors, size_t *moved,
            size_t *added)
{
  Script s;
  uint32_t seed = 12345;

  memset (&s, 0, sizeof s);
  *survivors = *moved = *added = 0;
  for (int step = 0; step < 40; step++)
    {
      int k, v;

      seed = seed * 1103515245u + 12345u;
      /* Last step's fading objects are gone now. */
      for (k = 0; k < s.n_obj; k++)
        s.o[k].fading = false;
      switch (step % 8)
        {
        case 0: case 3:             /* x = <new scalar> */
          k = s_new (&s, 0);
          v = (int) (seed >> 16) % 8;
          if (s.var[v])
            {
              int old = (int) (s.var[v] - 1000);

              if (s.o[old].rows == 0)
                {
                  s.o[old].alive = false;
                  s.o[old].fading = true;
                }
            }
          s.var[v] = s.o[k].id;
          break;
        case 1:                     /* lst = [a, b] */
          {
            int a = s_new (&s, 0), c = s_new (&s, 0);

            k = s_new (&s, 2);
            s.o[k].slot[0] = s.o[a].id;
            s.o[k].slot[1] = s.o[c].id;
            s.var[(seed >> 16) % 8] = s.o[k].id;
          }
          break;
        case 2: case 5:             /* lst.append (new) */
          for (k = s.n_obj - 1; k >= 0; k--)
            if (s.o[k].alive && s.o[k].rows >= 1 && s.o[k].rows < 10)
              {
                int n = s_new (&s, 0);

                s.o[k].slot[s.o[k].rows++] = s.o[n].id;
                break;
              }
          break;
        case 4:                     /* call f(lst): a frame with locals */
          s.call = true;
          s.local[0] = s.var[0] ? s.var[0] : 0;
          k = s_new (&s, 0);
          s.local[1] = s.o[k].id;
          break;
        case 6:                     /* return */
          if (s.local[1])
            {
              k = (int) (s.local[1] - 1000);
              s.o[k].alive = false;
              s.o[k].fading = true;
            }
          s.call = false;
          memset (s.local, 0, sizeof s.local);
          break;
        case 7:                     /* node = Node (node): a linked list */
          k = s_new (&s, 2);
          s.o[k].slot[1] = s.var[7];
          v = s_new (&s, 0);
          s.o[k].slot[0] = s.o[v].id;
          s.var[7] = s.o[k].id;
          break;
        }
      /* Keep only objects reachable or fading. */
      {
        bool reach[NS] = { 0 };
        int stack[NS], sp = 0;

        for (v = 0; v < 8; v++)
          if (s.var[v])
            stack[sp++] = (int) (s.var[v] - 1000);
        for (v = 0; v < 3; v++)
          if (s.call && s.local[v])
            stack[sp++] = (int) (s.local[v] - 1000);
        while (sp)
          {
            k = stack[--sp];
            if (reach[k] || !s.o[k].alive)
              continue;
            reach[k] = true;
            for (int i = 0; i < s.o[k].rows; i++)
              if (s.o[k].slot[i])
                stack[sp++] = (int) (s.o[k].slot[i] - 1000);
          }
        for (k = 0; k < s.n_obj; k++)
          if (s.o[k].alive && !reach[k])
            {
              s.o[k].alive = false;
              s.o[k].fading = true;
            }
      }
      s_emit (&s, b);
      assert_int_equal (hs_layout_update (l, b->g), 0);
      check_all (l, b, 12);
      {
        HsLayoutStats st;

        hs_layout_get_stats (l, &st);
        *survivors += st.survivors;
        *moved += st.moved;
        *added += st.added;
      }
    }
}

static void
test_stability_script (void **state)
{
  Builder b;
  HsLayout *l = hs_layout_new (NULL);
  size_t survivors, moved, added;

  b_init (&b);
  run_script (l, &b, &survivors, &moved, &added);
  print_message ("stability: %zu survivors, %zu moved (%.2f%% kept), %zu added\n",
                 survivors, moved, 100.0 * (survivors - moved) / survivors, added);
  assert_true (survivors > 200);
  assert_true (added > 40);
  assert_true ((survivors - moved) * 100 >= survivors * 95);
  hs_layout_free (l);
  b_free (&b);
}

/* Survivors keep their exact place; a freed object keeps its place while it
 * is still in the graph; then a newcomer may take it. */
static void
test_incremental_keeps_places (void **state)
{
  Builder b;
  HsLayout *l = hs_layout_new (NULL);
  HsLayoutRect before[4], r;
  HsLayoutStats st;
  size_t i;

  b_init (&b);
  add_frame (b.g, 1, 4);
  for (int k = 0; k < 4; k++)
    {
      add_obj (b.g, 10 + k, 0);
      b_ref (&b, true, 1, k, 10 + k);
    }
  assert_int_equal (hs_layout_update (l, b.g), 0);
  for (int k = 0; k < 4; k++)
    {
      assert_true (hs_layout_lookup_object (l, 10 + k, &i));
      hs_layout_get_object (l, i, &before[k]);
    }
  /* x = None: object 11 loses its ref but stays while it fades. */
  b_clear (&b);
  add_frame (b.g, 1, 4);
  for (int k = 0; k < 4; k++)
    add_obj (b.g, 10 + k, 0);
  add_obj (b.g, 20, 0);
  b_ref (&b, true, 1, 0, 10);
  b_ref (&b, true, 1, 1, 20);
  b_ref (&b, true, 1, 2, 12);
  b_ref (&b, true, 1, 3, 13);
  assert_int_equal (hs_layout_update (l, b.g), 0);
  hs_layout_get_stats (l, &st);
  assert_int_equal (st.survivors, 4);
  assert_int_equal (st.moved, 0);
  assert_int_equal (st.added, 1);
  for (int k = 0; k < 4; k++)
    {
      assert_true (hs_layout_lookup_object (l, 10 + k, &i));
      hs_layout_get_object (l, i, &r);
      assert_memory_equal (&r, &before[k], sizeof r);
    }
  check_all (l, &b, 16);
  /* The fade is over: 11 leaves, and a new object for slot 1 takes its
   * place. */
  b_clear (&b);
  add_frame (b.g, 1, 4);
  add_obj (b.g, 10, 0);
  add_obj (b.g, 12, 0);
  add_obj (b.g, 13, 0);
  add_obj (b.g, 21, 0);
  b_ref (&b, true, 1, 0, 10);
  b_ref (&b, true, 1, 1, 21);
  b_ref (&b, true, 1, 2, 12);
  b_ref (&b, true, 1, 3, 13);
  assert_int_equal (hs_layout_update (l, b.g), 0);
  hs_layout_get_stats (l, &st);
  assert_int_equal (st.removed, 2);
  assert_true (hs_layout_lookup_object (l, 21, &i));
  hs_layout_get_object (l, i, &r);
  assert_true (r.x == before[1].x && r.y == before[1].y);
  check_all (l, &b, 16);
  hs_layout_free (l);
  b_free (&b);
}

/* A box that grows pushes down only the boxes it would overlap. */
static void
test_growth_pushes_only_neighbours (void **state)
{
  Builder b;
  HsLayout *l = hs_layout_new (NULL);
  HsLayoutRect r0, r1, r2, q;
  HsLayoutStats st;
  size_t i;

  for (int step = 0; step < 2; step++)
    {
      b_init (&b);
      add_frame (b.g, 1, 3);
      add_obj (b.g, 10, step == 0 ? 1 : 4);
      add_obj (b.g, 11, 0);
      add_obj (b.g, 12, 0);
      b_ref (&b, true, 1, 0, 10);
      b_ref (&b, true, 1, 1, 11);
      b_ref (&b, true, 1, 2, 12);
      assert_int_equal (hs_layout_update (l, b.g), 0);
      if (step == 0)
        {
          hs_layout_lookup_object (l, 10, &i);
          hs_layout_get_object (l, i, &r0);
          hs_layout_lookup_object (l, 11, &i);
          hs_layout_get_object (l, i, &r1);
          hs_layout_lookup_object (l, 12, &i);
          hs_layout_get_object (l, i, &r2);
        }
      else
        {
          hs_layout_get_stats (l, &st);
          hs_layout_lookup_object (l, 10, &i);
          hs_layout_get_object (l, i, &q);
          assert_true (q.y == r0.y);
          assert_true (q.height == r0.height + 3 * ROW);
          hs_layout_lookup_object (l, 11, &i);
          hs_layout_get_object (l, i, &q);
          assert_true (q.y > r1.y);
          assert_true (st.moved >= 1 && st.moved <= 2);
          check_all (l, &b, 16);
        }
      b_free (&b);
    }
  hs_layout_free (l);
}

/* ------------------------------------------------------------ determinism */

static size_t
snapshot (const HsLayout *l, double **out)
{
  size_t no = hs_layout_n_objects (l), nf = hs_layout_n_frames (l);
  size_t ne = hs_layout_n_edges (l), n = 0, cap = 4 * (no + nf) + 16;
  double *v = malloc (cap * sizeof (double));

  for (size_t i = 0; i < nf + no; i++)
    {
      HsLayoutRect r = { 0 };

      if (i < nf)
        hs_layout_get_frame (l, i, &r);
      else
        hs_layout_get_object (l, i - nf, &r);
      v[n++] = r.x;
      v[n++] = r.y;
      v[n++] = r.width;
      v[n++] = r.height;
    }
  for (size_t e = 0; e < ne; e++)
    {
      const HsLayoutPoint *pt;
      size_t np = hs_layout_get_edge (l, e, &pt);

      if (n + 3 * np + 1 > cap)
        {
          cap = 2 * (n + 3 * np + 1);
          v = realloc (v, cap * sizeof (double));
        }
      v[n++] = (double) np;
      for (size_t k = 0; k < np; k++)
        {
          v[n++] = pt[k].x;
          v[n++] = pt[k].y;
          v[n++] = pt[k].dir;
        }
    }
  *out = v;
  return n;
}

static void
test_determinism (void **state)
{
  double *a[2];
  size_t n[2];

  for (int run = 0; run < 2; run++)
    {
      Builder b;
      HsLayout *l = hs_layout_new (NULL);
      size_t s1, s2, s3;

      b_init (&b);
      run_script (l, &b, &s1, &s2, &s3);
      n[run] = snapshot (l, &a[run]);
      hs_layout_free (l);
      b_free (&b);
    }
  assert_int_equal (n[0], n[1]);
  assert_memory_equal (a[0], a[1], n[0] * sizeof (double));
  free (a[0]);
  free (a[1]);

  /* A full layout of the same graph twice, in two layouts. */
  for (int run = 0; run < 2; run++)
    {
      Builder b;
      HsLayout *l = hs_layout_new (NULL);

      b_init (&b);
      build_lesson (&b);
      hs_layout_compute (l, b.g);
      hs_layout_compute (l, b.g);
      n[run] = snapshot (l, &a[run]);
      hs_layout_free (l);
      b_free (&b);
    }
  assert_int_equal (n[0], n[1]);
  assert_memory_equal (a[0], a[1], n[0] * sizeof (double));
  free (a[0]);
  free (a[1]);
}

/* ------------------------------------------------------------ shapes */

static void
test_big_list (void **state)
{
  Builder b;
  HsLayout *l = hs_layout_new (NULL);

  b_init (&b);
  add_frame (b.g, 1, 1);
  add_obj (b.g, 1, 8);
  b_ref (&b, true, 1, 0, 1);
  for (int i = 0; i < 10000; i++)
    {
      add_obj (b.g, 100 + i, 0);
      b_ref (&b, false, 1, i < 7 ? i : 7, 100 + i);
    }
  assert_int_equal (hs_layout_compute (l, b.g), 0);
  check_all (l, &b, 4);
  hs_layout_free (l);
  b_free (&b);
}

/* Width over height of the whole diagram. */
static double
aspect (const HsLayout *l)
{
  HsLayoutRect b;

  hs_layout_get_bounds (l, &b);
  return b.width / b.height;
}

/* A big heap is wrapped into a screen-shaped area, not a thin strip, and
 * the list keeps its order: top to bottom, then left to right. */
static void
test_big_list_screen_shaped (void **state)
{
  Builder b;
  HsLayout *l = hs_layout_new (NULL);
  HsLayoutRect prev = { 0 }, r;
  size_t i;

  b_init (&b);
  add_frame (b.g, 1, 1);
  add_obj (b.g, 1, 8);
  b_ref (&b, true, 1, 0, 1);
  for (int k = 0; k < 10000; k++)
    {
      add_obj (b.g, 100 + k, 0);
      b_ref (&b, false, 1, k < 7 ? k : 7, 100 + k);
    }
  assert_int_equal (hs_layout_compute (l, b.g), 0);
  print_message ("10,000-element list: aspect %.3f\n", aspect (l));
  assert_true (aspect (l) >= 1.0 / 3 && aspect (l) <= 3.0);
  for (int k = 0; k < 10000; k++)
    {
      assert_true (hs_layout_lookup_object (l, 100 + k, &i));
      hs_layout_get_object (l, i, &r);
      if (k > 0)
        assert_true (r.x > prev.x || (r.x == prev.x && r.y > prev.y));
      prev = r;
    }
  check_all (l, &b, 4);
  hs_layout_free (l);
  b_free (&b);
}

/* The benchmark heap (lists, linked lists, trees, scalars; 40 frames). */
static void
build_bench_heap (Builder *b, const uint8_t *alive, uint64_t n)
{
  b_clear (b);
  for (int f = 0; f < 40; f++)
    add_frame (b->g, 1 + f, 6);
  for (uint64_t i = 0; i < n; i++)
    if (alive[i])
      {
        BenchObj o;

        bench_obj (n, i, &o);
        add_obj (b->g, 1000 + i, o.kind == 0 ? 0 : (o.n_refs < 8 ? o.n_refs : 8));
      }
  for (uint64_t i = 0; i < n; i += 100)
    for (uint64_t k = 0; k < 6 && i + k * 4 < n; k++)
      if (alive[i + k * 4])
        b_ref (b, true, 1 + (i / 100) % 40, (int) k, 1000 + i + k * 4);
  for (uint64_t i = 0; i < n; i++)
    if (alive[i])
      {
        BenchObj o;

        bench_obj (n, i, &o);
        for (int r = 0; r < o.n_refs; r++)
          if (alive[o.refs[r]])
            b_ref (b, false, 1000 + i, r < 7 ? r : 7, 1000 + o.refs[r]);
      }
}

static void
test_bench_heap_screen_shaped (void **state)
{
  Builder b;
  HsLayout *l = hs_layout_new (NULL);
  uint8_t *alive = malloc (10000);

  memset (alive, 1, 10000);
  b_init (&b);
  build_bench_heap (&b, alive, 10000);
  assert_int_equal (hs_layout_compute (l, b.g), 0);
  print_message ("10,000-object benchmark heap: aspect %.3f\n", aspect (l));
  assert_true (aspect (l) >= 1.0 / 3 && aspect (l) <= 3.0);
  check_all (l, &b, 4);
  hs_layout_free (l);
  b_free (&b);
  free (alive);
}

/* A wrapped big heap keeps arrows short: a holder and what it holds share
 * a band, so almost no arrow crosses more than a few columns (wrapping
 * each column on its own sent most of them across ten or more). */
static void
test_bench_heap_short_arrows (void **state)
{
  Builder b;
  HsLayout *l = hs_layout_new (NULL);
  uint8_t *alive = malloc (10000);
  size_t n = 0, far = 0;

  memset (alive, 1, 10000);
  b_init (&b);
  build_bench_heap (&b, alive, 10000);
  assert_int_equal (hs_layout_compute (l, b.g), 0);
  for (size_t e = 0; e < hs_layout_n_edges (l); e++)
    {
      const HsLayoutPoint *pt;
      size_t np = hs_layout_get_edge (l, e, &pt);

      if (np == 0)
        continue;
      n++;
      /* Two points per column crossed, plus the ends. */
      if (np >= 2 + 2 * 5)
        far++;
    }
  print_message ("10,000-object benchmark heap: %zu of %zu arrows cross 5 columns or more\n",
                 far, n);
  assert_true (n > 15000);
  assert_true (far * 10 < n);
  hs_layout_free (l);
  b_free (&b);
  free (alive);
}

/* Updates keep the routes of the previous step when nothing they depend
 * on changed: after steps that free and add objects all over a wrapped
 * heap, every route must still be whole and clear of every box. */
static void
test_incremental_routes_stay_valid (void **state)
{
  Builder b;
  HsLayout *l = hs_layout_new (NULL);
  const uint64_t n = 10000;
  uint8_t *alive = malloc (n);
  uint32_t seed = 11;
  HsLayoutStats st;

  memset (alive, 1, n);
  memset (alive + 6000, 0, n - 6000);     /* grows into the rest */
  b_init (&b);
  build_bench_heap (&b, alive, n);
  assert_int_equal (hs_layout_compute (l, b.g), 0);
  for (int step = 0; step < 8; step++)
    {
      for (int k = 0; k < 60; k++)
        {
          seed = seed * 1103515245u + 12345u;
          alive[(seed >> 8) % n] = 0;
        }
      for (uint64_t i = 6000 + step * 500; i < 6500 + step * 500; i++)
        alive[i] = 1;
      build_bench_heap (&b, alive, n);
      assert_int_equal (hs_layout_update (l, b.g), 0);
      hs_layout_get_stats (l, &st);
      assert_true ((st.survivors - st.moved) * 100 >= st.survivors * 95);
      check_all (l, &b, 4);
    }
  hs_layout_free (l);
  b_free (&b);
  free (alive);
}

/* A list growing step by step wraps into bands without moving any
 * element already shown; a lesson-sized list stays one column. */
static void
test_growing_list_wraps_stably (void **state)
{
  Builder b;
  HsLayout *l = hs_layout_new (NULL);
  HsLayoutStats st;
  HsLayoutRect r, first;
  size_t i;

  b_init (&b);
  for (int len = 20; len <= 3000; len += 20)
    {
      b_clear (&b);
      add_frame (b.g, 1, 1);
      add_obj (b.g, 1, 8);
      b_ref (&b, true, 1, 0, 1);
      for (int k = 0; k < len; k++)
        {
          add_obj (b.g, 100 + k, 0);
          b_ref (&b, false, 1, k < 7 ? k : 7, 100 + k);
        }
      assert_int_equal (hs_layout_update (l, b.g), 0);
      hs_layout_get_stats (l, &st);
      assert_int_equal (st.moved, 0);
      if (len == 20)
        {
          hs_layout_lookup_object (l, 100, &i);
          hs_layout_get_object (l, i, &first);
          for (int k = 1; k < 20; k++)
            {
              hs_layout_lookup_object (l, 100 + k, &i);
              hs_layout_get_object (l, i, &r);
              assert_true (r.x == first.x);
            }
        }
    }
  check_all (l, &b, 4);
  print_message ("list grown to 3,000 step by step: aspect %.3f\n", aspect (l));
  assert_true (aspect (l) >= 1.0 / 3 && aspect (l) <= 3.0);
  hs_layout_free (l);
  b_free (&b);
}

static void
test_deep_linked_list (void **state)
{
  Builder b;
  HsLayout *l = hs_layout_new (NULL);
  HsLayoutRect r, s;
  size_t i;

  b_init (&b);
  add_frame (b.g, 1, 1);
  b_ref (&b, true, 1, 0, 1);
  for (int k = 1; k <= 1000; k++)
    {
      add_obj (b.g, k, 2);
      if (k < 1000)
        b_ref (&b, false, k, 1, k + 1);
    }
  assert_int_equal (hs_layout_compute (l, b.g), 0);
  check_all (l, &b, 4);
  /* A row, in order. */
  hs_layout_lookup_object (l, 1, &i);
  hs_layout_get_object (l, i, &r);
  hs_layout_lookup_object (l, 1000, &i);
  hs_layout_get_object (l, i, &s);
  assert_true (s.y == r.y);
  assert_true (s.x > r.x);
  hs_layout_free (l);
  b_free (&b);
}

static void
test_binary_tree (void **state)
{
  Builder b;
  HsLayout *l = hs_layout_new (NULL);
  const int n = (1 << 13) - 1;  /* depth 12: 8191 nodes */

  b_init (&b);
  add_frame (b.g, 1, 1);
  b_ref (&b, true, 1, 0, 1);
  for (int k = 1; k <= n; k++)
    {
      add_obj (b.g, k, 2);
      if (2 * k + 1 <= n)
        {
          b_ref (&b, false, k, 0, 2 * k);
          b_ref (&b, false, k, 1, 2 * k + 1);
        }
    }
  assert_int_equal (hs_layout_compute (l, b.g), 0);
  check_all (l, &b, 4);
  /* Levels: the children of a node are in the next column. */
  for (int k = 1; 2 * k + 1 <= n; k += 97)
    {
      size_t i, j;
      HsLayoutRect p, c;

      hs_layout_lookup_object (l, k, &i);
      hs_layout_lookup_object (l, 2 * k + 1, &j);
      hs_layout_get_object (l, i, &p);
      hs_layout_get_object (l, j, &c);
      assert_true (c.x > p.x);
    }
  hs_layout_free (l);
  b_free (&b);
}

static void
test_clique (void **state)
{
  Builder b;
  HsLayout *l = hs_layout_new (NULL);

  b_init (&b);
  add_frame (b.g, 1, 1);
  b_ref (&b, true, 1, 0, 1);
  for (int k = 1; k <= 50; k++)
    add_obj (b.g, k, 8);
  for (int k = 1; k <= 50; k++)
    for (int j = 1; j <= 50; j++)
      if (j != k)
        b_ref (&b, false, k, (j - 1) % 8, j);
  assert_int_equal (hs_layout_compute (l, b.g), 0);
  check_all (l, &b, 16);
  hs_layout_free (l);
  b_free (&b);
}

static void
test_self_loop (void **state)
{
  Builder b;
  HsLayout *l = hs_layout_new (NULL);
  const HsLayoutPoint *pt;
  size_t n;

  b_init (&b);
  add_frame (b.g, 1, 1);
  add_obj (b.g, 7, 1);
  b_ref (&b, true, 1, 0, 7);
  b_ref (&b, false, 7, 0, 7);
  assert_int_equal (hs_layout_compute (l, b.g), 0);
  check_all (l, &b, 32);
  n = hs_layout_get_edge (l, 1, &pt);
  /* Out to the right, back into the same box: a visible loop. */
  assert_true (n >= 2);
  assert_true (pt[0].dir == 1 && pt[n - 1].dir == -1);
  assert_true (fabs (pt[0].y - pt[n - 1].y) >= 6);
  hs_layout_free (l);
  b_free (&b);
}

static void
test_hundred_frames (void **state)
{
  Builder b;
  HsLayout *l = hs_layout_new (NULL);

  b_init (&b);
  for (int f = 1; f <= 100; f++)
    add_frame (b.g, f, 2);
  add_obj (b.g, 5000, 0);
  for (int f = 1; f <= 100; f++)
    b_ref (&b, true, f, 1, 5000);
  assert_int_equal (hs_layout_compute (l, b.g), 0);
  check_all (l, &b, 16);
  hs_layout_free (l);
  b_free (&b);
}

static void
test_missing_and_repeated (void **state)
{
  Builder b;
  HsLayout *l = hs_layout_new (NULL);
  const HsLayoutPoint *pt;
  size_t i;

  b_init (&b);
  add_frame (b.g, 1, 2);
  add_obj (b.g, 3, 1);
  add_obj (b.g, 3, 1);          /* repeated id: ignored */
  frame_ref (b.g, 1, 0, 3);
  frame_ref (b.g, 1, 1, 99);    /* no such object */
  obj_ref (b.g, 98, 0, 3);      /* no such source */
  assert_int_equal (hs_layout_compute (l, b.g), 0);
  assert_int_equal (hs_layout_get_edge (l, 0, &pt), 3);
  assert_int_equal (hs_layout_get_edge (l, 1, &pt), 0);
  assert_int_equal (hs_layout_get_edge (l, 2, &pt), 0);
  assert_true (hs_layout_lookup_object (l, 3, &i));
  assert_int_equal (i, 0);
  assert_false (hs_layout_get_object (l, 1, &(HsLayoutRect) { 0 }));
  assert_false (hs_layout_lookup_object (l, 99, &i));
  hs_layout_free (l);
  b_free (&b);
}

static void
test_hit_and_query (void **state)
{
  Builder b;
  HsLayout *l = hs_layout_new (NULL);
  HsLayoutRect r, all;
  size_t i, idx[64], n;

  b_init (&b);
  build_lesson (&b);
  hs_layout_compute (l, b.g);
  assert_true (hs_layout_lookup_object (l, 130, &i));
  hs_layout_get_object (l, i, &r);
  assert_true (hs_layout_hit_object (l, r.x + r.width / 2, r.y + r.height / 2, &n));
  assert_int_equal (n, i);
  assert_false (hs_layout_hit_object (l, r.x + r.width + 5, r.y - 5, &n));
  assert_true (hs_layout_hit_frame (l, 30, 30, &n));
  assert_int_equal (n, 0);
  hs_layout_get_bounds (l, &all);
  n = hs_layout_query_objects (l, &all, idx, 64);
  assert_int_equal (n, hs_layout_n_objects (l));
  hs_layout_free (l);
  b_free (&b);
}

static void
test_empty_and_reset (void **state)
{
  HsLayoutGraph *g = hs_layout_graph_new ();
  HsLayout *l = hs_layout_new (NULL);
  HsLayoutRect b, r;
  size_t i;

  assert_int_equal (hs_layout_update (l, g), 0);
  assert_int_equal (hs_layout_n_objects (l), 0);
  assert_int_equal (hs_layout_n_edges (l), 0);
  hs_layout_get_bounds (l, &b);
  assert_true (b.width >= 0 && b.height >= 0);
  add_frame (g, 1, 0);
  add_obj (g, 5, 0);
  assert_int_equal (hs_layout_update (l, g), 0);
  assert_true (hs_layout_lookup_object (l, 5, &i));
  hs_layout_get_object (l, i, &r);
  hs_layout_reset (l);
  assert_false (hs_layout_lookup_object (l, 5, &i));
  assert_int_equal (hs_layout_update (l, g), 0);
  assert_true (hs_layout_lookup_object (l, 5, &i));
  hs_layout_get_object (l, i, &b);
  assert_memory_equal (&b, &r, sizeof b);
  hs_layout_free (l);
  hs_layout_graph_free (g);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_lesson_readable),
    cmocka_unit_test (test_stability_script),
    cmocka_unit_test (test_incremental_keeps_places),
    cmocka_unit_test (test_growth_pushes_only_neighbours),
    cmocka_unit_test (test_determinism),
    cmocka_unit_test (test_big_list),
    cmocka_unit_test (test_big_list_screen_shaped),
    cmocka_unit_test (test_bench_heap_screen_shaped),
    cmocka_unit_test (test_incremental_routes_stay_valid),
    cmocka_unit_test (test_growing_list_wraps_stably),
    cmocka_unit_test (test_bench_heap_short_arrows),
    cmocka_unit_test (test_deep_linked_list),
    cmocka_unit_test (test_binary_tree),
    cmocka_unit_test (test_clique),
    cmocka_unit_test (test_self_loop),
    cmocka_unit_test (test_hundred_frames),
    cmocka_unit_test (test_missing_and_repeated),
    cmocka_unit_test (test_hit_and_query),
    cmocka_unit_test (test_empty_and_reset),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
