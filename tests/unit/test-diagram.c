/* test-diagram.c — what the heap picture holds at a step, built from a real trace:
 * the budget of boxes on a huge heap and the slots of a huge container. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "hs-diagram-builder.h"
#include "hs-render-private.h"
#include "test-record.h"

typedef struct {
  HsTrace      *trace;
  HsTraceModel *model;
  HsDiagram    *diagram;
  GArray       *ids;
  guint         total;
  guint         drawn;
} Picture;

/* The picture at the end of `source`, drawing at most max_objects boxes. */
static void
picture_at_end (Picture *p, const char *source, guint max_objects)
{
  HsDiagramOptions options;

  p->trace = test_record (source, HS_RESULT_OK);
  p->model = hs_trace_model_new (p->trace);
  hs_trace_model_seek_end (p->model);
  p->diagram = hs_diagram_new ();
  p->ids = g_array_new (FALSE, FALSE, sizeof (HsId));
  hs_diagram_options_init (&options);
  if (max_objects != 0)
    options.max_objects = max_objects;
  p->total = hs_diagram_build_from_model (p->diagram, p->model, &options, p->ids, &p->drawn);
}

static void
picture_clear (Picture *p)
{
  g_array_unref (p->ids);
  hs_diagram_free (p->diagram);
  g_object_unref (p->model);
  hs_trace_unref (p->trace);
}

static guint
count_lines (const char *text)
{
  guint n = 0;

  for (; *text != '\0'; text++)
    n += *text == '\n';
  return n;
}

/* A lesson-sized heap: everything drawn, and counted once. */
static void
test_small_heap_whole (void **state)
{
  Picture p;

  picture_at_end (&p, "a = [1, 2]\nb = {'k': a}\nc = (a, b)\n", 0);
  /* a, b, c and the cached ints 1 and 2; the key 'k' is drawn as b's slot label. */
  assert_int_equal (p.total, p.ids->len);
  assert_int_equal (p.total, 5);
  assert_int_equal (p.drawn, 5);
  picture_clear (&p);
}

/* Past the budget, objects are counted but not drawn, nearest the frames first:
 * the outer list, then the inner lists in order. */
static void
test_budget (void **state)
{
  Picture p;
  const HsTraceObject *first;

  picture_at_end (&p, "xs = [[i + 1000] for i in range(50)]\npass\npass\n", 10);
  /* xs, 50 lists, 50 ints. */
  assert_int_equal (p.total, 101);
  assert_int_equal (p.ids->len, 10);
  assert_int_equal (p.drawn, 10);
  assert_int_equal (hs_diagram_n_objects (p.diagram), 10);
  /* xs (made before the lists it holds: the smallest id), then its first lists. */
  first = hs_trace_model_lookup_object (p.model, g_array_index (p.ids, HsId, 0));
  assert_string_equal (hs_trace_model_type_name (p.model, first), "list");
  for (guint i = 1; i < p.ids->len; i++)
    {
      const HsTraceObject *o = hs_trace_model_lookup_object (p.model, g_array_index (p.ids, HsId, i));
      assert_string_equal (hs_trace_model_type_name (p.model, o), "list");
      assert_true (o->id > first->id);
    }
  picture_clear (&p);

  /* With room for all of them, all are drawn. */
  picture_at_end (&p, "xs = [[i + 1000] for i in range(50)]\npass\npass\n", 101);
  assert_int_equal (p.ids->len, 101);
  assert_int_equal (p.total, 101);
  picture_clear (&p);
}

/* A huge container draws its first HS_DIAGRAM_MAX_SLOTS slots; its "...+N" row
 * counts every slot it does not show. */
static void
test_slot_cap (void **state)
{
  Picture p;
  HsRender *render = hs_render_new ();
  char *rows;

  picture_at_end (&p, "xs = list(range(1000, 1200))\npass\npass\n", 0);
  assert_int_equal (p.total, 201);
  /* xs and the ints behind its first slots. */
  assert_int_equal (p.ids->len, 1 + HS_DIAGRAM_MAX_SLOTS);
  assert_int_equal (p.drawn, 1 + HS_DIAGRAM_MAX_SLOTS);
  rows = hs_diagram_rows_text (p.diagram, false, 0);
  assert_int_equal (count_lines (rows), HS_DIAGRAM_MAX_SLOTS);
  free (rows);
  hs_render_build_graph (render, p.diagram);
  /* 8 rows drawn by default, the last of them "...+193": 200 - 7. */
  assert_int_equal (p.diagram->objects[0].shown_rows, 8);
  assert_int_equal (p.diagram->objects[0].hidden_rows, 193);
  hs_render_free (render);
  picture_clear (&p);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_small_heap_whole),
    cmocka_unit_test (test_budget),
    cmocka_unit_test (test_slot_cap),
  };

  return cmocka_run_group_tests_name ("diagram", tests, NULL, NULL);
}
