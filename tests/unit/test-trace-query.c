/* test-trace-query.c — referrers, retainer paths, cycles, garbage and dominators on hand-made heaps. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "test-trace-stream.h"

/* frame 1 (module): a -> list 10 -> [0] 11 -> .next 12
 *                   x -> diamond 20 -> 21, 22 -> both 23
 * cycle 30 <-> 31 held by nothing (garbage), 32 holds itself (garbage),
 * 40 <-> 41 cycle reachable from global g (globals dict 2). */
static HsTraceModel *
build_heap (Stream *s)
{
  HsTraceModel *m;

  stream_init (s);
  stream_call (s, 1, "<module>", 1);
  stream_alloc (s, 2, "dict", "{}", 64);
  stream_root (s, 2, "globals");
  stream_store (s, HS_HOLDER_RUNTIME, 0, 0, "main globals", 2, TRUE);
  stream_line (s, 1);

  stream_alloc (s, 10, "list", "[1 item]", 64);
  stream_alloc (s, 11, "Node", "<Node>", 48);
  stream_alloc (s, 12, "Node", "<Node>", 48);
  stream_store (s, HS_HOLDER_ATTR, 11, 500, "next", 12, TRUE);
  stream_store (s, HS_HOLDER_ITEM, 10, 0, NULL, 11, TRUE);
  stream_store (s, HS_HOLDER_LOCAL, 1, 0, "a", 10, TRUE);

  stream_alloc (s, 20, "dict", "{}", 100);
  stream_alloc (s, 21, "list", "[]", 10);
  stream_alloc (s, 22, "list", "[]", 20);
  stream_alloc (s, 23, "str", "'w'", 1000);
  stream_store (s, HS_HOLDER_ITEM, 21, 0, NULL, 23, TRUE);
  stream_store (s, HS_HOLDER_ITEM, 22, 0, NULL, 23, FALSE);
  stream_store (s, HS_HOLDER_VALUE, 20, 600, NULL, 21, TRUE);
  stream_store (s, HS_HOLDER_VALUE, 20, 601, NULL, 22, TRUE);
  stream_store (s, HS_HOLDER_LOCAL, 1, 1, "x", 20, TRUE);

  stream_alloc (s, 30, "list", "[]", 56);
  stream_alloc (s, 31, "list", "[]", 56);
  stream_store (s, HS_HOLDER_ITEM, 30, 0, NULL, 31, TRUE);
  stream_store (s, HS_HOLDER_ITEM, 31, 0, NULL, 30, TRUE);
  stream_alloc (s, 32, "list", "[]", 56);
  stream_store (s, HS_HOLDER_ITEM, 32, 0, NULL, 32, TRUE);

  stream_alloc (s, 40, "Node", "<Node>", 48);
  stream_alloc (s, 41, "Node", "<Node>", 48);
  stream_store (s, HS_HOLDER_ATTR, 40, 500, "next", 41, TRUE);
  stream_store (s, HS_HOLDER_ATTR, 41, 500, "next", 40, FALSE);
  stream_store (s, HS_HOLDER_GLOBAL, 2, 700, "g", 40, TRUE);
  stream_line (s, 2);
  stream_finish (s);

  m = hs_trace_model_new (s->trace);
  hs_trace_model_seek_step (m, 2);
  return m;
}

static gboolean
contains (GArray *ids, HsId id)
{
  guint i;

  for (i = 0; i < ids->len; i++)
    if (g_array_index (ids, HsId, i) == id)
      return TRUE;
  return FALSE;
}

static void
test_referrers_referents (void **state)
{
  Stream s;
  g_autoptr(HsTraceModel) m = build_heap (&s);
  g_autoptr(GArray) in = hs_trace_model_referrers (m, 23);
  g_autoptr(GArray) out = hs_trace_model_referents (m, 20);
  g_autoptr(GArray) none = hs_trace_model_referents (m, 23);
  HsTraceMismatch mm;

  assert_true (hs_trace_model_check (m, &mm));
  assert_int_equal (in->len, 2);
  assert_int_equal (out->len, 2);
  assert_int_equal (none->len, 0);
  stream_clear (&s);
}

static void
test_retainer_path (void **state)
{
  Stream s;
  g_autoptr(HsTraceModel) m = build_heap (&s);
  g_autoptr(GArray) path = hs_trace_model_retainer_path (m, 12);
  g_autoptr(GArray) gpath = hs_trace_model_retainer_path (m, 41);
  const char *expect[] = { "a", "[0]", ".next" };
  guint i;

  assert_non_null (path);
  assert_int_equal (path->len, 3);
  for (i = 0; i < 3; i++)
    {
      g_autofree char *label = hs_trace_model_ref_label (m, &g_array_index (path, HsTraceRef, i));
      assert_string_equal (label, expect[i]);
    }
  assert_int_equal (g_array_index (path, HsTraceRef, 0).holder, 1);
  assert_int_equal (g_array_index (path, HsTraceRef, 2).target, 12);

  /* Through the global g: the root container (globals) holds it. */
  assert_non_null (gpath);
  assert_true (gpath->len >= 2);
  {
    g_autofree char *first = hs_trace_model_ref_label (m, &g_array_index (gpath, HsTraceRef, 0));
    g_autofree char *last = hs_trace_model_ref_label (m, &g_array_index (gpath, HsTraceRef, gpath->len - 1));
    assert_string_equal (last, ".next");
    assert_int_equal (g_array_index (gpath, HsTraceRef, gpath->len - 1).target, 41);
    (void) first;
  }
  /* Garbage has no path. */
  assert_null (hs_trace_model_retainer_path (m, 30));
  assert_null (hs_trace_model_retainer_path (m, 999));
  stream_clear (&s);
}

static void
test_garbage_and_cycles (void **state)
{
  Stream s;
  g_autoptr(HsTraceModel) m = build_heap (&s);
  g_autoptr(GArray) garbage = hs_trace_model_garbage (m);
  g_autoptr(GPtrArray) cycles = hs_trace_model_cycles (m);
  gboolean saw_pair = FALSE, saw_self = FALSE, saw_reachable = FALSE;
  guint i;

  assert_int_equal (garbage->len, 3);
  assert_true (contains (garbage, 30));
  assert_true (contains (garbage, 31));
  assert_true (contains (garbage, 32));
  assert_false (hs_trace_model_is_garbage (m, 40));
  assert_false (hs_trace_model_is_garbage (m, 12));

  assert_int_equal (cycles->len, 3);
  for (i = 0; i < cycles->len; i++)
    {
      GArray *c = g_ptr_array_index (cycles, i);
      if (c->len == 2 && contains (c, 30) && contains (c, 31))
        saw_pair = TRUE;
      if (c->len == 1 && contains (c, 32))
        saw_self = TRUE;
      if (c->len == 2 && contains (c, 40) && contains (c, 41))
        saw_reachable = TRUE;
    }
  assert_true (saw_pair && saw_self && saw_reachable);
  stream_clear (&s);
}

static void
test_dominators (void **state)
{
  Stream s;
  g_autoptr(HsTraceModel) m = build_heap (&s);

  /* The diamond: 20 dominates 23, 21 and 22 do not. */
  assert_int_equal (hs_trace_model_idom (m, 23), 20);
  assert_int_equal (hs_trace_model_idom (m, 21), 20);
  assert_int_equal (hs_trace_model_retained_size (m, 21), 10);
  assert_int_equal (hs_trace_model_retained_size (m, 22), 20);
  assert_int_equal (hs_trace_model_retained_size (m, 20), 100 + 10 + 20 + 1000);
  /* The chain. */
  assert_int_equal (hs_trace_model_retained_size (m, 10), 64 + 48 + 48);
  assert_int_equal (hs_trace_model_idom (m, 12), 11);
  /* Held directly by a frame: dominated by the virtual root. */
  assert_int_equal (hs_trace_model_idom (m, 10), 0);
  /* The reachable cycle hangs under the globals dict. */
  assert_int_equal (hs_trace_model_idom (m, 40), 2);
  assert_int_equal (hs_trace_model_retained_size (m, 40), 96);
  /* Garbage gets sizes too. */
  assert_int_equal (hs_trace_model_retained_size (m, 30) + hs_trace_model_retained_size (m, 31),
                    56 + 56 + 56);
  assert_int_equal (hs_trace_model_retained_size (m, 32), 56);
  stream_clear (&s);
}

/* A long chain: nothing in the queries may recurse on the C stack. */
static void
test_deep_chain (void **state)
{
  Stream s;
  g_autoptr(HsTraceModel) m = NULL;
  g_autoptr(GArray) path = NULL;
  g_autoptr(GPtrArray) cycles = NULL;
  const guint n = 60000;
  guint i;

  stream_init (&s);
  stream_call (&s, 1, "<module>", 1);
  stream_line (&s, 1);
  for (i = 0; i < n; i++)
    stream_alloc (&s, 10 + i, "Node", "<Node>", 48);
  for (i = 0; i + 1 < n; i++)
    stream_store (&s, HS_HOLDER_ATTR, 10 + i, 500, "next", 11 + i, TRUE);
  /* Close a big cycle and hold the head from a local. */
  stream_store (&s, HS_HOLDER_ATTR, 10 + n - 1, 500, "next", 10, FALSE);
  stream_store (&s, HS_HOLDER_LOCAL, 1, 0, "head", 10, TRUE);
  stream_line (&s, 2);
  stream_finish (&s);

  m = hs_trace_model_new (s.trace);
  hs_trace_model_seek_step (m, 2);
  path = hs_trace_model_retainer_path (m, 10 + n - 1);
  assert_non_null (path);
  assert_int_equal (path->len, n);
  cycles = hs_trace_model_cycles (m);
  assert_int_equal (cycles->len, 1);
  assert_int_equal (((GArray *) g_ptr_array_index (cycles, 0))->len, n);
  assert_int_equal (hs_trace_model_retained_size (m, 10), (guint64) n * 48);
  assert_int_equal (hs_trace_model_retained_size (m, 11), (guint64) (n - 1) * 48);
  assert_int_equal (hs_trace_model_idom (m, 10 + n - 1), 10 + n - 2);
  stream_clear (&s);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_referrers_referents),
    cmocka_unit_test (test_retainer_path),
    cmocka_unit_test (test_garbage_and_cycles),
    cmocka_unit_test (test_dominators),
    cmocka_unit_test (test_deep_chain),
  };

  return cmocka_run_group_tests_name ("trace-query", tests, NULL, NULL);
}
