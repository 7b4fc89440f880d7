/* test-render.c — drawing a laid-out diagram: pixels where boxes are, exports. */
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
#include <unistd.h>
#include <glib.h>

#include "hs-render.h"

/* A lesson-like step: two frames, shared str, lists of lists, a linked list,
 * cached ints, a garbage cycle, a freed object fading out. */
static void
build_lesson (HsDiagram *d)
{
  size_t k;

  hs_diagram_clear (d);
  hs_diagram_add_frame (d, 1, "<module>", 0);
  hs_diagram_add_variable (d, "message", 100, HS_LAYOUT_REF_NORMAL);
  hs_diagram_add_variable (d, "another_message", 100, HS_LAYOUT_REF_NORMAL);
  hs_diagram_add_variable (d, "grid", 110, HS_LAYOUT_REF_NORMAL);
  hs_diagram_add_variable (d, "head", 120, HS_LAYOUT_REF_NORMAL);
  hs_diagram_add_frame (d, 2, "f", HS_DIAGRAM_CURRENT);
  hs_diagram_add_variable (d, "x", 102, HS_LAYOUT_REF_INLINE);
  hs_diagram_add_temporary (d, 100);

  hs_diagram_add_object (d, 100, "str", "'hello'", "3", 0);
  hs_diagram_add_object (d, 102, "int", "1", NULL,
                         HS_DIAGRAM_CACHED | HS_DIAGRAM_INLINABLE);
  hs_diagram_add_object (d, 103, "int", "300", "2", HS_DIAGRAM_INLINABLE);
  hs_diagram_add_object (d, 110, "list", NULL, "1", HS_DIAGRAM_SELECTED);
  hs_diagram_add_slot (d, "[0]", 111, HS_LAYOUT_REF_NORMAL);
  hs_diagram_add_slot (d, "[1]", 112, HS_LAYOUT_REF_NORMAL);
  hs_diagram_add_object (d, 111, "list", NULL, "1", HS_DIAGRAM_HIGHLIGHT);
  hs_diagram_add_slot (d, "[0]", 102, HS_LAYOUT_REF_INLINE);
  hs_diagram_add_slot (d, "[1]", 103, HS_LAYOUT_REF_INLINE);
  hs_diagram_add_object (d, 112, "list", NULL, "1", 0);
  hs_diagram_add_slot (d, "[0]", 103, HS_LAYOUT_REF_INLINE);
  for (int i = 0; i < 3; i++)
    {
      hs_diagram_add_object (d, 120 + i, "Node", NULL, "1", 0);
      hs_diagram_add_slot (d, "value", 102, HS_LAYOUT_REF_INLINE);
      if (i < 2)
        hs_diagram_add_slot (d, "next", 121 + i, HS_LAYOUT_REF_NORMAL);
    }
  hs_diagram_add_object (d, 130, "Cycle", NULL, "1", HS_DIAGRAM_GARBAGE);
  hs_diagram_add_slot (d, "other", 131, HS_LAYOUT_REF_NORMAL);
  hs_diagram_add_object (d, 131, "Cycle", NULL, "1",
                         HS_DIAGRAM_GARBAGE | HS_DIAGRAM_GC_UNREACHABLE);
  hs_diagram_add_slot (d, "other", 130, HS_LAYOUT_REF_NORMAL);
  k = hs_diagram_add_object (d, 140, "str", "'bye'", "0",
                             HS_DIAGRAM_FREED_REFCOUNT);
  hs_diagram_object_set_alpha (d, k, 0.5);
  hs_diagram_object_set_note (d, k, "gc_refs 0");
  k = hs_diagram_add_object (d, 150, "list", NULL, "1", 0);
  for (int i = 0; i < 20; i++)
    {
      char lab[16];

      snprintf (lab, sizeof lab, "[%d]", i);
      hs_diagram_add_slot (d, lab, 103, HS_LAYOUT_REF_INLINE);
    }
  hs_diagram_object_set_pulse (d, k, "+1", 0.8);
}

typedef struct
{
  HsDiagram *d;
  HsRender *r;
  HsLayout *l;
} Fixture;

static int
setup (void **state)
{
  Fixture *f = calloc (1, sizeof (Fixture));

  f->d = hs_diagram_new ();
  f->r = hs_render_new ();
  f->l = hs_layout_new (NULL);
  build_lesson (f->d);
  assert_int_equal (hs_layout_compute (f->l, hs_render_build_graph (f->r, f->d)), 0);
  *state = f;
  return 0;
}

static int
teardown (void **state)
{
  Fixture *f = *state;

  hs_layout_free (f->l);
  hs_render_free (f->r);
  hs_diagram_free (f->d);
  free (f);
  return 0;
}

static uint32_t
pixel (cairo_surface_t *s, int x, int y)
{
  unsigned char *data = cairo_image_surface_get_data (s);
  int stride = cairo_image_surface_get_stride (s);

  return *(uint32_t *) (data + y * stride + 4 * x);
}

/* Draws the whole diagram at 1:1 and checks that inside every object box
 * and frame the pixels are not the background, and that far from any box
 * they are. */
static void
check_boxes_drawn (Fixture *f, HsRenderLod lod, bool dark)
{
  HsLayoutRect b;
  HsRenderView view = { 0 };
  cairo_surface_t *s;
  cairo_t *cr;
  uint32_t bg;
  size_t drawn = 0;

  hs_layout_get_bounds (f->l, &b);
  view.x = b.x;
  view.y = b.y;
  view.scale = 1;
  view.width = ceil (b.width);
  view.height = ceil (b.height);
  view.lod = lod;
  view.dark = dark;
  s = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) view.width,
                                  (int) view.height);
  cr = cairo_create (s);
  hs_render_draw (f->r, cr, f->d, f->l, &view);
  cairo_destroy (cr);
  cairo_surface_flush (s);
  bg = pixel (s, 1, 1);
  assert_true (dark ? (bg & 0xffffff) < 0x404040 : (bg & 0xffffff) > 0xe0e0e0);
  for (size_t i = 0; i < hs_layout_n_objects (f->l); i++)
    {
      size_t o = hs_diagram_object_for_graph (f->d, i);
      HsLayoutRect r;
      int x, y;

      assert_true (hs_layout_get_object (f->l, i, &r));
      assert_true (o != (size_t) -1);
      /* Just inside the top-left corner, in the header band. */
      x = (int) (r.x - b.x + 12);
      y = (int) (r.y - b.y + 3);
      assert_int_not_equal (pixel (s, x, y) & 0xffffff, bg & 0xffffff);
      drawn++;
    }
  for (size_t i = 0; i < hs_layout_n_frames (f->l); i++)
    {
      HsLayoutRect r;

      assert_true (hs_layout_get_frame (f->l, i, &r));
      assert_int_not_equal (pixel (s, (int) (r.x - b.x + 20), (int) (r.y - b.y + 4)) & 0xffffff,
                            bg & 0xffffff);
    }
  assert_true (drawn >= 10);
  cairo_surface_destroy (s);
}

static void
test_draw_full_detail (void **state)
{
  check_boxes_drawn (*state, HS_RENDER_LOD_FULL, false);
}

static void
test_draw_dark (void **state)
{
  check_boxes_drawn (*state, HS_RENDER_LOD_FULL, true);
}

static void
test_draw_overview (void **state)
{
  check_boxes_drawn (*state, HS_RENDER_LOD_OVERVIEW, false);
}

/* Arrow pixels: the middle of each route's first street crossing is inked. */
static void
test_edges_drawn (void **state)
{
  Fixture *f = *state;
  HsLayoutRect b;
  HsRenderView view = { 0 };
  cairo_surface_t *s;
  cairo_t *cr;
  uint32_t bg;
  size_t checked = 0;

  hs_layout_get_bounds (f->l, &b);
  view.x = b.x;
  view.y = b.y;
  view.scale = 1;
  view.width = ceil (b.width);
  view.height = ceil (b.height);
  view.lod = HS_RENDER_LOD_FULL;
  s = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) view.width,
                                  (int) view.height);
  cr = cairo_create (s);
  hs_render_draw (f->r, cr, f->d, f->l, &view);
  cairo_destroy (cr);
  cairo_surface_flush (s);
  bg = pixel (s, 1, 1) & 0xffffff;
  for (size_t e = 0; e < hs_layout_n_edges (f->l); e++)
    {
      const HsLayoutPoint *pt;
      size_t n = hs_layout_get_edge (f->l, e, &pt);

      if (n < 2)
        continue;
      /* The port dot, 9 units inside the source's right edge. */
      assert_int_not_equal (pixel (s, (int) (pt[0].x - 9 - b.x), (int) (pt[0].y - b.y)) & 0xffffff, bg);
      checked++;
    }
  assert_true (checked >= 8);
  cairo_surface_destroy (s);
}

/* A view far from the diagram draws only the background. */
static void
test_culling (void **state)
{
  Fixture *f = *state;
  HsRenderView view = { .x = 100000, .y = 100000, .scale = 1, .width = 64,
                        .height = 64, .lod = HS_RENDER_LOD_FULL };
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 64, 64);
  cairo_t *cr = cairo_create (s);
  uint32_t bg;

  hs_render_draw (f->r, cr, f->d, f->l, &view);
  cairo_destroy (cr);
  cairo_surface_flush (s);
  bg = pixel (s, 0, 0);
  for (int y = 0; y < 64; y++)
    for (int x = 0; x < 64; x++)
      assert_int_equal (pixel (s, x, y), bg);
  cairo_surface_destroy (s);
}

/* Long lists fold into "...+N"; inline mode hides the inlined ints. */
static void
test_rows_and_inline (void **state)
{
  Fixture *f = *state;
  HsLayoutRect r;
  size_t o = 0, before, after;

  for (size_t i = 0; i < hs_diagram_n_objects (f->d); i++)
    if (hs_diagram_object_id (f->d, i) == 150)
      o = i;
  assert_true (hs_layout_get_object (f->l, hs_diagram_graph_for_object (f->d, o), &r));
  assert_true (fabs (r.height - (22 + 8 * 20 + 4)) < 0.01);

  before = hs_layout_graph_n_objects (hs_render_build_graph (f->r, f->d));
  hs_diagram_set_inline (f->d, true);
  after = hs_layout_graph_n_objects (hs_render_build_graph (f->r, f->d));
  /* int 1 (cached) and int 300 are drawn inside their holders now. */
  assert_int_equal (after, before - 2);
  assert_int_equal (hs_layout_update (f->l, hs_render_build_graph (f->r, f->d)), 0);
  check_boxes_drawn (f, HS_RENDER_LOD_FULL, false);
  hs_diagram_set_inline (f->d, false);
  assert_int_equal (hs_layout_update (f->l, hs_render_build_graph (f->r, f->d)), 0);
}

static void
check_file (const char *path, const char *magic, size_t min_size)
{
  gchar *data = NULL;
  gsize len = 0;

  assert_true (g_file_get_contents (path, &data, &len, NULL));
  assert_true (len >= min_size);
  assert_true (strstr (data, magic) == data || memcmp (data, magic, strlen (magic)) == 0);
  g_free (data);
}

static void
test_export (void **state)
{
  Fixture *f = *state;
  gchar *dir = g_dir_make_tmp ("hs-render-XXXXXX", NULL);
  gchar *png = g_build_filename (dir, "d.png", NULL);
  gchar *svg = g_build_filename (dir, "d.svg", NULL);
  gchar *pdf = g_build_filename (dir, "d.PDF", NULL);
  gchar *view_png = g_build_filename (dir, "v.png", NULL);
  gchar *bad = g_build_filename (dir, "d.bmp", NULL);
  HsRenderView view = { .x = 0, .y = 0, .scale = 0.5, .width = 300,
                        .height = 200 };
  HsRenderExportOptions whole = { .scale = 1 }, part = { .view = &view };

  assert_int_equal (hs_render_export (f->d, f->l, png, &whole), 0);
  assert_int_equal (hs_render_export (f->d, f->l, svg, NULL), 0);
  assert_int_equal (hs_render_export (f->d, f->l, pdf, NULL), 0);
  assert_int_equal (hs_render_export (f->d, f->l, view_png, &part), 0);
  assert_int_equal (hs_render_export (f->d, f->l, bad, NULL), -1);
  check_file (png, "\x89PNG\r\n\x1a\n", 8000);
  check_file (svg, "<?xml", 8000);
  check_file (pdf, "%PDF-", 4000);
  check_file (view_png, "\x89PNG", 1000);
  {
    cairo_surface_t *s = cairo_image_surface_create_from_png (view_png);

    assert_int_equal (cairo_surface_status (s), CAIRO_STATUS_SUCCESS);
    assert_int_equal (cairo_image_surface_get_width (s), 300);
    assert_int_equal (cairo_image_surface_get_height (s), 200);
    cairo_surface_destroy (s);
  }
  unlink (png);
  unlink (svg);
  unlink (pdf);
  unlink (view_png);
  rmdir (dir);
  g_free (png);
  g_free (svg);
  g_free (pdf);
  g_free (view_png);
  g_free (bad);
  g_free (dir);
}

/* The same diagram drawn twice gives the same pixels. */
static void
test_draw_deterministic (void **state)
{
  Fixture *f = *state;
  HsRenderView view;
  cairo_surface_t *s[2];

  hs_render_fit_view (f->l, 640, 480, &view);
  for (int i = 0; i < 2; i++)
    {
      cairo_t *cr;

      s[i] = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 640, 480);
      cr = cairo_create (s[i]);
      hs_render_draw (f->r, cr, f->d, f->l, &view);
      cairo_destroy (cr);
      cairo_surface_flush (s[i]);
    }
  assert_memory_equal (cairo_image_surface_get_data (s[0]),
                       cairo_image_surface_get_data (s[1]),
                       (size_t) cairo_image_surface_get_stride (s[0]) * 480);
  cairo_surface_destroy (s[0]);
  cairo_surface_destroy (s[1]);
}

/* A click on the middle of a drawn box finds that box. */
static void
test_hit (void **state)
{
  Fixture *f = *state;
  HsRenderView view;
  HsLayoutRect r;
  size_t i, hit;

  hs_render_fit_view (f->l, 800, 600, &view);
  for (i = 0; i < hs_layout_n_objects (f->l); i++)
    {
      assert_true (hs_layout_get_object (f->l, i, &r));
      assert_true (hs_render_hit_object (f->l, &view,
                                         (r.x + r.width / 2 - view.x) * view.scale,
                                         (r.y + r.height / 2 - view.y) * view.scale,
                                         &hit));
      assert_int_equal (hit, i);
    }
  assert_false (hs_render_hit_object (f->l, &view, 1, 1, &hit));
}

/* A tag longer than its box ("freed by refcount" under a small int) widens what the
 * drawing covers, so a fitted view shows it whole; without tags the extent is the
 * layout's bounds. */
static void
test_extent_covers_tags (void **state)
{
  HsRender *r = hs_render_new ();
  HsLayout *l = hs_layout_new (NULL);
  HsDiagram *d = hs_diagram_new ();
  HsLayoutRect bounds, extent;
  HsRenderView view;

  hs_diagram_add_frame (d, 1, "main", 0);
  hs_diagram_add_variable (d, "total", 10, HS_LAYOUT_REF_NORMAL);
  hs_diagram_add_object (d, 10, "int", "1001", "1", 0);
  hs_diagram_add_object (d, 11, "int", "1000", "0", HS_DIAGRAM_FREED_REFCOUNT);
  assert_int_equal (hs_layout_compute (l, hs_render_build_graph (r, d)), 0);
  hs_layout_get_bounds (l, &bounds);
  hs_render_get_extent (r, d, l, &extent);
  assert_true (extent.x == bounds.x && extent.y == bounds.y && extent.height == bounds.height);
  assert_true (extent.width > bounds.width + 10);
  hs_render_fit_rect (&extent, 400, 300, &view);
  assert_true (view.x + 400 / view.scale >= extent.x + extent.width);

  hs_diagram_object_set_flags (d, 1, 0);
  hs_render_get_extent (r, d, l, &extent);
  assert_true (extent.width == bounds.width);

  hs_diagram_free (d);
  hs_layout_free (l);
  hs_render_free (r);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_draw_full_detail, setup, teardown),
    cmocka_unit_test_setup_teardown (test_draw_dark, setup, teardown),
    cmocka_unit_test_setup_teardown (test_draw_overview, setup, teardown),
    cmocka_unit_test_setup_teardown (test_edges_drawn, setup, teardown),
    cmocka_unit_test_setup_teardown (test_culling, setup, teardown),
    cmocka_unit_test_setup_teardown (test_rows_and_inline, setup, teardown),
    cmocka_unit_test_setup_teardown (test_export, setup, teardown),
    cmocka_unit_test_setup_teardown (test_draw_deterministic, setup, teardown),
    cmocka_unit_test_setup_teardown (test_hit, setup, teardown),
    cmocka_unit_test (test_extent_covers_tags),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
