/* bench-layout.c — layout speed: full layout and incremental updates on 10,000 objects. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hs-layout.h"
#include "bench-heap.h"

#define N 10000
#define FRAMES 40

/* The heap at one step: object ids present, plus extra items appended to
 * lists by the incremental steps. */
typedef struct
{
  uint8_t *alive;
  uint64_t *extra_holder;       /* extra object -> the list holding it */
  size_t n_extra, cap_extra;
} Heap;

static void
build (const Heap *h, HsLayoutGraph *g)
{
  hs_layout_graph_clear (g);
  for (int f = 0; f < FRAMES; f++)
    hs_layout_graph_add_frame (g, 1 + f, 160, 26 + 6 * 20 + 6, 26, 20);
  for (uint64_t i = 0; i < N; i++)
    {
      BenchObj o;

      if (!h->alive[i])
        continue;
      bench_obj (N, i, &o);
      hs_layout_graph_add_object (g, 1000 + i, o.kind == 0 ? 60 : 120,
                                  o.kind == 0 ? 44 : 22 + (o.n_refs < 8 ? o.n_refs : 8) * 20 + 4,
                                  22, 20);
    }
  for (size_t e = 0; e < h->n_extra; e++)
    hs_layout_graph_add_object (g, 1000 + N + e, 60, 44, 22, 20);
  /* Variables: every 100th object is bound in some frame. */
  for (uint64_t i = 0; i < N; i += 100)
    for (uint64_t k = 0; k < 6 && i + k * 4 < N; k++)
      if (h->alive[i + k * 4])
        hs_layout_graph_add_ref (g, HS_LAYOUT_FROM_FRAME, 1 + (i / 100) % FRAMES,
                                 (int) k, 1000 + i + k * 4, HS_LAYOUT_REF_NORMAL);
  for (uint64_t i = 0; i < N; i++)
    {
      BenchObj o;

      if (!h->alive[i])
        continue;
      bench_obj (N, i, &o);
      for (int r = 0; r < o.n_refs; r++)
        if (h->alive[o.refs[r]])
          hs_layout_graph_add_ref (g, HS_LAYOUT_FROM_OBJECT, 1000 + i,
                                   r < 7 ? r : 7, 1000 + o.refs[r],
                                   HS_LAYOUT_REF_NORMAL);
    }
  for (size_t e = 0; e < h->n_extra; e++)
    hs_layout_graph_add_ref (g, HS_LAYOUT_FROM_OBJECT, 1000 + h->extra_holder[e],
                             7, 1000 + N + e, HS_LAYOUT_REF_NORMAL);
}

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

int
main (void)
{
  Heap h = { calloc (N, 1), NULL, 0, 0 };
  HsLayoutGraph *g = hs_layout_graph_new ();
  HsLayout *l = hs_layout_new (NULL);
  double t0, c0, t_build = 1e9, t_full = 1e9, c_full = 1e9, sum = 0, worst = 0;
  double times[100], cpu[100];
  uint32_t seed = 7;
  const int steps = 100;
  HsLayoutStats st;
  size_t survivors = 0, moved = 0;

  memset (h.alive, 1, N);
  h.cap_extra = steps * 50 + 1;
  h.extra_holder = calloc (h.cap_extra, sizeof (uint64_t));

  /* Reference in the same run: one pass building the input graph. */
  for (int rep = 0; rep < 5; rep++)
    {
      t0 = bench_now_ms ();
      build (&h, g);
      t0 = bench_now_ms () - t0;
      t_build = t0 < t_build ? t0 : t_build;
    }
  for (int rep = 0; rep < 5; rep++)
    {
      c0 = bench_cpu_ms ();
      t0 = bench_now_ms ();
      hs_layout_compute (l, g);
      t0 = bench_now_ms () - t0;
      c0 = bench_cpu_ms () - c0;
      t_full = t0 < t_full ? t0 : t_full;
      c_full = c0 < c_full ? c0 : c_full;
    }
  printf ("objects %zu, refs %zu\n", hs_layout_graph_n_objects (g),
          hs_layout_graph_n_refs (g));
  printf ("reference: building the input graph: %.3f ms\n", t_build);
  printf ("full layout of %d objects: best %.3f ms wall, %.3f ms cpu (budget 1000 ms, %.1fx the reference)\n",
          N, t_full, c_full, t_full / t_build);

  /* Steps of 100 changes: 50 objects freed, 50 new items appended. */
  for (int s = 0; s < steps; s++)
    {
      for (int k = 0; k < 50; k++)
        {
          uint64_t i;

          seed = seed * 1103515245u + 12345u;
          i = (seed >> 8) % N;
          h.alive[i] = 0;
          seed = seed * 1103515245u + 12345u;
          i = ((seed >> 8) % (N / 100)) * 100;       /* a list */
          h.extra_holder[h.n_extra++] = i;
        }
      build (&h, g);
      c0 = bench_cpu_ms ();
      t0 = bench_now_ms ();
      hs_layout_update (l, g);
      t0 = bench_now_ms () - t0;
      cpu[s] = bench_cpu_ms () - c0;
      times[s] = t0;
      sum += t0;
      worst = t0 > worst ? t0 : worst;
      hs_layout_get_stats (l, &st);
      survivors += st.survivors;
      moved += st.moved;
    }
  qsort (times, steps, sizeof (double), cmp_double);
  qsort (cpu, steps, sizeof (double), cmp_double);
  printf ("incremental update, 100 changes: cpu median %.3f ms, p90 %.3f ms, worst %.3f ms (budget 2 ms)\n",
          cpu[steps / 2], cpu[steps * 9 / 10], cpu[steps - 1]);
  printf ("incremental update, 100 changes on %zu objects: median %.3f ms, mean %.3f ms, best %.3f ms, worst %.3f ms (budget 2 ms; %.1fx the reference)\n",
          hs_layout_graph_n_objects (g), times[steps / 2], sum / steps, times[0],
          worst, times[steps / 2] / t_build);
  printf ("stability over %d steps: %.2f%% of survivors kept their place\n",
          steps, 100.0 * (survivors - moved) / survivors);
  hs_layout_free (l);
  hs_layout_graph_free (g);
  free (h.alive);
  free (h.extra_holder);
  return 0;
}
