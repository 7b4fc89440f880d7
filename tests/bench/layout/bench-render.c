/* bench-render.c — drawing speed on a 1920x1080 image surface, against clearing it. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <stdio.h>
#include <stdlib.h>

#include "hs-render.h"
#include "bench-heap.h"

#define W 1920
#define H 1080

static void
fill (HsDiagram *d, uint64_t n)
{
  static const char *const slot_names[3][2] = {
    { "value", "next" }, { "left", "right" }, { "[0]", "[1]" },
  };
  int frames = (int) (n / 250) + 1;

  hs_diagram_clear (d);
  for (int f = 0; f < frames; f++)
    {
      char name[32];

      snprintf (name, sizeof name, "work_%d", f);
      hs_diagram_add_frame (d, 1 + f, name, f == frames - 1 ? HS_DIAGRAM_CURRENT : 0);
      for (uint64_t k = 0; k < 6; k++)
        {
          uint64_t i = (uint64_t) f * 100 + k * 4;
          char var[16];

          if (i >= n || f * 100 >= (int) n)
            break;
          snprintf (var, sizeof var, "v%d_%d", f, (int) k);
          hs_diagram_add_variable (d, var, 1000 + i, HS_LAYOUT_REF_NORMAL);
        }
    }
  for (uint64_t i = 0; i < n; i++)
    {
      BenchObj o;
      char value[32], badge[8];

      bench_obj (n, i, &o);
      snprintf (badge, sizeof badge, "%d", 1 + (int) (i % 3));
      switch (o.kind)
        {
        case 0:
          snprintf (value, sizeof value, "%llu", (unsigned long long) (i * 37));
          hs_diagram_add_object (d, 1000 + i, i % 2 ? "int" : "str", value, badge, 0);
          break;
        case 1:
          hs_diagram_add_object (d, 1000 + i, "list", NULL, badge, 0);
          for (int r = 0; r < o.n_refs; r++)
            {
              char lab[16];

              snprintf (lab, sizeof lab, "[%d]", r);
              hs_diagram_add_slot (d, lab, 1000 + o.refs[r], HS_LAYOUT_REF_NORMAL);
            }
          break;
        default:
          hs_diagram_add_object (d, 1000 + i, o.kind == 2 ? "Node" : "Tree", NULL,
                                 badge, i % 50 == 0 ? HS_DIAGRAM_GARBAGE : 0);
          for (int r = 0; r < o.n_refs; r++)
            hs_diagram_add_slot (d, slot_names[o.kind - 2][r], 1000 + o.refs[r],
                                 HS_LAYOUT_REF_NORMAL);
          break;
        }
    }
}

/* A big lesson: `rows` variables, each holding a linked list of `len`
 * nodes whose values are small ints shown inline (rows * len objects). */
static void
fill_lesson (HsDiagram *d, int rows, int len)
{
  hs_diagram_clear (d);
  hs_diagram_add_frame (d, 1, "<module>", HS_DIAGRAM_CURRENT);
  for (int v = 0; v < rows; v++)
    {
      char var[24];

      snprintf (var, sizeof var, "chain_%d", v);
      hs_diagram_add_variable (d, var, 1000 + (uint64_t) v * len, HS_LAYOUT_REF_NORMAL);
    }
  for (int v = 0; v < rows; v++)
    for (int k = 0; k < len; k++)
      {
        uint64_t id = 1000 + (uint64_t) v * len + k;
        char value[16];

        hs_diagram_add_object (d, id, "Node", NULL, k == 0 ? "2" : "1", 0);
        snprintf (value, sizeof value, "%d", v * len + k);
        hs_diagram_add_slot (d, "value", 0, HS_LAYOUT_REF_INLINE);
        if (k + 1 < len)
          hs_diagram_add_slot (d, "next", id + 1, HS_LAYOUT_REF_NORMAL);
      }
}

typedef struct
{
  double best, median, mean, cpu_median;
} Timing;

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static Timing
time_draw (HsRender *r, cairo_surface_t *s, const HsDiagram *d,
           const HsLayout *l, const HsRenderView *view, int reps)
{
  Timing t = { 0, 0, 0, 0 };
  double *dts = calloc ((size_t) reps, sizeof (double));
  double *cpu = calloc ((size_t) reps, sizeof (double));

  for (int i = 0; i < reps + 2; i++)
    {
      cairo_t *cr = cairo_create (s);
      double c0 = bench_cpu_ms (), t0 = bench_now_ms (), dt, dc;

      if (view)
        hs_render_draw (r, cr, d, l, view);
      else
        {
          cairo_set_source_rgb (cr, 0.98, 0.98, 0.97);
          cairo_paint (cr);
        }
      cairo_surface_flush (s);
      dt = bench_now_ms () - t0;
      dc = bench_cpu_ms () - c0;
      cairo_destroy (cr);
      if (i < 2)
        continue;           /* warm the caches */
      dts[i - 2] = dt;
      cpu[i - 2] = dc;
      t.mean += dt / reps;
    }
  qsort (dts, (size_t) reps, sizeof (double), cmp_double);
  t.best = dts[0];
  t.median = dts[reps / 2];
  qsort (cpu, (size_t) reps, sizeof (double), cmp_double);
  t.cpu_median = cpu[reps / 2];
  free (dts);
  free (cpu);
  return t;
}

static void
report (const char *what, Timing t, double budget, Timing base)
{
  printf ("%s: cpu median %.3f ms (budget %.0f ms; %.1fx clearing); wall median %.3f ms, best %.3f ms\n",
          what, t.cpu_median, budget, t.cpu_median / base.cpu_median, t.median, t.best);
}

int
main (void)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, W, H);
  HsDiagram *big = hs_diagram_new (), *mid = hs_diagram_new ();
  HsRender *r = hs_render_new ();
  HsLayout *lb = hs_layout_new (NULL), *lm = hs_layout_new (NULL);
  HsRenderView v;
  HsLayoutRect b;
  Timing base, culled, overview, full;
  double t0;

  fill (big, 10000);
  t0 = bench_now_ms ();
  hs_layout_compute (lb, hs_render_build_graph (r, big));
  printf ("10,000 objects: measuring + layout %.1f ms (first time, text cache cold)\n",
          bench_now_ms () - t0);
  t0 = bench_now_ms ();
  hs_layout_update (lb, hs_render_build_graph (r, big));
  printf ("10,000 objects: measuring + incremental layout again (text cache warm): %.1f ms\n",
          bench_now_ms () - t0);
  fill_lesson (mid, 40, 25);
  hs_layout_compute (lm, hs_render_build_graph (r, mid));

  base = time_draw (r, s, NULL, NULL, NULL, 50);
  {
    FILE *f = fopen ("/proc/loadavg", "r");
    char load[64] = "?";

    if (f)
      {
        if (!fgets (load, sizeof load, f))
          load[0] = 0;
        fclose (f);
      }
    printf ("load average: %s", load);
  }
  printf ("reference: clearing the 1920x1080 surface: cpu median %.3f ms; wall median %.3f ms, best %.3f ms\n",
          base.cpu_median, base.median, base.best);

  /* 1:1 windows centred on objects spread over the whole heap (every
   * eighth of it by id, so each kind of structure and band is seen): the
   * budget holds for the slowest of them. */
  {
    double worst = 0, med[8];
    int worst_at = 0;

    for (int k = 0; k < 8; k++)
      {
        size_t gi;
        HsLayoutRect o;

        if (!hs_layout_lookup_object (lb, 1000 + (uint64_t) k * 10000 / 8 + 37, &gi))
          continue;
        hs_layout_get_object (lb, gi, &o);
        v = (HsRenderView) { .x = o.x + o.width / 2 - W / 2.0, .y = o.y + o.height / 2 - H / 2.0,
                             .scale = 1, .width = W, .height = H,
                             .lod = HS_RENDER_LOD_AUTO };
        culled = time_draw (r, s, big, lb, &v, 15);
        med[k] = culled.cpu_median;
        if (med[k] > worst)
          {
            worst = med[k];
            worst_at = k;
          }
      }
    qsort (med, 8, sizeof (double), cmp_double);
    printf ("culled full-detail views of 10,000 objects (1:1, 8 places): cpu median of views %.3f ms, slowest view %.3f ms (budget 8 ms; view %d; %.1fx clearing)\n",
            (med[3] + med[4]) / 2, worst, worst_at, worst / base.cpu_median);
  }
  /* The middle of the diagram's bounding box (may be sparse). */
  hs_layout_get_bounds (lb, &b);
  v = (HsRenderView) { .x = b.x + b.width / 3, .y = b.y + b.height / 2,
                       .scale = 1, .width = W, .height = H,
                       .lod = HS_RENDER_LOD_AUTO };
  culled = time_draw (r, s, big, lb, &v, 30);
  report ("culled full-detail view of 10,000 objects (1:1, at a third across, half down)", culled, 8, base);
  {
    /* The top left corner: the frames and every arrow leaving them. */
    HsRenderView corner = { .x = 0, .y = 0, .scale = 1, .width = W, .height = H,
                            .lod = HS_RENDER_LOD_AUTO };

    culled = time_draw (r, s, big, lb, &corner, 30);
    report ("culled full-detail view of 10,000 objects (1:1, top left: the frames)", culled, 8, base);
  }

  hs_render_fit_view (lb, W, H, &v);
  v.lod = HS_RENDER_LOD_OVERVIEW;
  overview = time_draw (r, s, big, lb, &v, 20);
  report ("whole 10,000-object heap, overview", overview, 16, base);
  if (getenv ("HS_BENCH_SHOTS"))
    {
      char path[512];

      snprintf (path, sizeof path, "%s/bench-10000-overview.png", getenv ("HS_BENCH_SHOTS"));
      cairo_surface_write_to_png (s, path);
    }

  hs_render_fit_view (lm, W, H, &v);
  v.lod = HS_RENDER_LOD_FULL;
  full = time_draw (r, s, mid, lm, &v, 20);
  printf ("(1,000-object view at scale %.2f)\n", v.scale);
  report ("1,000 objects (40 linked lists of 25) at full detail, all on screen", full, 16, base);

  if (getenv ("HS_BENCH_SHOTS"))
    {
      char path[512];

      snprintf (path, sizeof path, "%s/bench-1000-full.png", getenv ("HS_BENCH_SHOTS"));
      cairo_surface_write_to_png (s, path);
    }
  hs_layout_free (lb);
  hs_layout_free (lm);
  hs_render_free (r);
  hs_diagram_free (big);
  hs_diagram_free (mid);
  cairo_surface_destroy (s);
  return 0;
}
