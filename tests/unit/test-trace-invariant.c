/* test-trace-invariant.c — the refcount invariant on small real programs: each case a past break. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "test-record.h"
#include "test-trace-stream.h"

/* The model keeps the first mismatch: checking at the end covers every event. */
static void
assert_consistent (const char *source, HsResult expect)
{
  g_autoptr(HsTrace) trace = test_record (source, expect);
  g_autoptr(HsTraceModel) m = hs_trace_model_new (trace);
  HsTraceMismatch mm;

  hs_trace_model_seek_event_quiet (m, hs_trace_get_n_events (trace));
  if (!hs_trace_model_check (m, &mm))
    fail_msg ("event %" G_GUINT64_FORMAT " object %" G_GUINT64_FORMAT " %s: runtime says %"
              G_GINT64_FORMAT ", model counts %" G_GINT64_FORMAT, mm.event, mm.id, mm.what,
              mm.expected, mm.counted);
}

/* ---- tracebacks ----------------------------------------------------------------- */

typedef struct {
  GHashTable *slots;      /* slot -> target, for one exception's __traceback__ */
  guint       n_set, n_cleared, n_bad;
  guint64     min_slot, max_slot;
} TbScan;

static gboolean
tb_scan_cb (const HsEvent *ev, gpointer user_data)
{
  TbScan *scan = user_data;
  gpointer key;

  if (ev->kind != HS_EV_REF || ev->u.ref.name == NULL || strcmp (ev->u.ref.name, "__traceback__") != 0)
    return TRUE;
  key = GSIZE_TO_POINTER ((gsize) (ev->u.ref.holder << 16 | ev->u.ref.slot));
  if (GPOINTER_TO_SIZE (g_hash_table_lookup (scan->slots, key)) != ev->u.ref.old_target)
    scan->n_bad++;
  if (ev->u.ref.new_target != 0)
    {
      scan->n_set++;
      scan->min_slot = MIN (scan->min_slot, ev->u.ref.slot);
      scan->max_slot = MAX (scan->max_slot, ev->u.ref.slot);
      g_hash_table_insert (scan->slots, key, GSIZE_TO_POINTER (ev->u.ref.new_target));
    }
  else
    {
      scan->n_cleared++;
      g_hash_table_remove (scan->slots, key);
    }
  return TRUE;
}

/* Each traceback entry is released from the slot it was published in, holding
 * the code object it was given: three frames unwound, then the exception freed. */
static void
test_traceback_slots_agree (void **state)
{
  const char *src = "def f():\n"
                    "    raise ValueError('x')\n"
                    "def g():\n"
                    "    f()\n"
                    "def h():\n"
                    "    g()\n"
                    "try:\n"
                    "    h()\n"
                    "except ValueError:\n"
                    "    pass\n"
                    "print('ok')\n";
  g_autoptr(HsTrace) trace = test_record (src, HS_RESULT_OK);
  TbScan scan = { g_hash_table_new (NULL, NULL), 0, 0, 0, G_MAXUINT64, 0 };

  hs_trace_foreach_event (trace, 0, hs_trace_get_n_events (trace), tb_scan_cb, &scan);
  assert_int_equal (scan.n_set, 4);       /* f, g, h and the module */
  assert_int_equal (scan.n_cleared, 4);
  assert_int_equal (scan.n_bad, 0);
  assert_int_equal (scan.min_slot, 100);
  assert_int_equal (scan.max_slot, 103);
  assert_int_equal (g_hash_table_size (scan.slots), 0);
  g_hash_table_unref (scan.slots);
  assert_consistent (src, HS_RESULT_OK);
}

/* An uncaught error: the exception keeps its traceback until the VM reports it. */
static void
test_traceback_uncaught (void **state)
{
  assert_consistent ("def add():\n"
                     "    total += 1\n"
                     "def outer():\n"
                     "    add()\n"
                     "outer()\n",
                     HS_RESULT_RUNTIME_ERROR);
}

static void
test_raise_from (void **state)
{
  assert_consistent ("try:\n"
                     "    try:\n"
                     "        {}['k']\n"
                     "    except KeyError as e:\n"
                     "        raise ValueError('converted') from e\n"
                     "except ValueError as v:\n"
                     "    print(type(v.__cause__).__name__)\n",
                     HS_RESULT_OK);
}

/* ---- builtins that call Python code with references held in C --------------------- */

static void
test_map_items_published (void **state)
{
  assert_consistent ("xs = ['ab', 'cd']\n"
                     "ys = ['x', 'y']\n"
                     "def pair(a, b):\n"
                     "    return a + b\n"
                     "print(list(map(pair, xs, ys)))\n"
                     "print(list(map(lambda s: s, xs)))\n",
                     HS_RESULT_OK);
}

static void
test_filter_items_published (void **state)
{
  assert_consistent ("class B:\n"
                     "    def __init__(self, v):\n"
                     "        self.v = v\n"
                     "    def __bool__(self):\n"
                     "        return self.v > 0\n"
                     "xs = ['ab', '', 'cd']\n"
                     "print(list(filter(lambda s: len(s) > 0, xs)))\n"
                     "bs = [B(1), B(0)]\n"
                     "print(len(list(filter(None, bs))))\n",
                     HS_RESULT_OK);
}

static void
test_min_max_held_published (void **state)
{
  assert_consistent ("class P:\n"
                     "    def __init__(self, n):\n"
                     "        self.n = n\n"
                     "    def __lt__(self, other):\n"
                     "        return self.n < other.n\n"
                     "    def __gt__(self, other):\n"
                     "        return self.n > other.n\n"
                     "ps = [P(3), P(1), P(2)]\n"
                     "print(min(ps).n, max(ps).n)\n"
                     "words = ['bb', 'a', 'ccc']\n"
                     "print(max(words, key=lambda w: len(w)), min(words, key=len))\n"
                     "print(max(1, 2.5, 2), max([1, 5], [1, 6]), max([], default='none'))\n",
                     HS_RESULT_OK);
}

static void
test_min_max_error_releases (void **state)
{
  assert_consistent ("def bad(w):\n"
                     "    raise KeyError(w)\n"
                     "try:\n"
                     "    max(['a', 'b'], key=bad)\n"
                     "except KeyError as e:\n"
                     "    print(e)\n"
                     "try:\n"
                     "    min(['a', 1])\n"
                     "except TypeError as e:\n"
                     "    print(e)\n",
                     HS_RESULT_OK);
}

/* ---- calls take over the stack's references ---------------------------------------- */

typedef struct {
  guint32 line;                 /* count the stack events of this line... */
  guint max_calls;              /* ...until this many CALL events were seen */
  guint stack, locals, calls;
} CallScan;

static gboolean
call_scan_cb (const HsEvent *ev, gpointer user_data)
{
  CallScan *scan = user_data;

  if (ev->kind == HS_EV_CALL)
    scan->calls++;
  else if (ev->kind == HS_EV_REF && ev->u.ref.holder_kind == HS_HOLDER_STACK
           && ev->line == scan->line && scan->calls < scan->max_calls)
    scan->stack++;
  else if (ev->kind == HS_EV_REF && ev->u.ref.holder_kind == HS_HOLDER_LOCAL)
    scan->locals++;
  return TRUE;
}

/* A plain call moves the callable and its arguments from the caller's stack
 * into the new frame: pushes no event saw are dropped with their pops, and the
 * counts published on the way stay exact, also with one object passed twice. */
static void
test_call_moves_stack_refs (void **state)
{
  const char *src = "def f(a, b):\n"
                    "    pass\n"
                    "x = [1]\n"
                    "f(x, x)\n";
  const char *more = "import sys\n"
                     "def f(a, b):\n"
                     "    return sys.getrefcount(a)\n"
                     "x = [1]\n"
                     "print(f(x, x), f(x, [2]))\n"
                     "def g(n):\n"
                     "    return n if n < 2 else g(n - 1) + g(n - 2)\n"
                     "print(g(7))\n"
                     "class C:\n"
                     "    def m(self, k):\n"
                     "        self.k = k\n"
                     "        return self\n"
                     "print(C().m(300).m(x).k)\n";
  /* Line 5 rebinds an attribute: its new value moves there from the stack. */
  const char *attr = "class C:\n"
                     "    pass\n"
                     "o = C()\n"
                     "o.n = 1\n"
                     "o.n = o.n + 300\n"
                     "o.n = o\n"
                     "o.n = o.n\n"
                     "o.n = [o.n]\n"
                     "o.n = 5\n";
  g_autoptr(HsTrace) trace = test_record (src, HS_RESULT_OK);
  g_autoptr(HsTrace) attr_trace = test_record (attr, HS_RESULT_OK);
  CallScan scan = { .line = 4, .max_calls = 2 }, attr_scan = { .line = 5, .max_calls = G_MAXUINT };

  hs_trace_foreach_event (trace, 0, hs_trace_get_n_events (trace), call_scan_cb, &scan);
  assert_int_equal (scan.calls, 2);       /* the module and f */
  assert_int_equal (scan.locals, 4);      /* a and b bound, then released */
  assert_int_equal (scan.stack, 0);      /* f, x, x pushed and moved into f's frame */
  assert_consistent (src, HS_RESULT_OK);
  assert_consistent (more, HS_RESULT_OK);
  assert_consistent (attr, HS_RESULT_OK);

  hs_trace_foreach_event (attr_trace, 0, hs_trace_get_n_events (attr_trace), call_scan_cb, &attr_scan);
  assert_int_equal (attr_scan.stack, 0);
}

/* ---- the model's slack for a reference moved into C --------------------------------- */

/* Popping a value into a C variable is reported as a release while C still
 * holds it: the model allows that one reference until the counts agree. */
static void
test_moved_out_slack (void **state)
{
  Stream s;
  g_autoptr(HsTraceModel) m = NULL;
  HsTraceMismatch mm;
  guint64 bad_seq;

  stream_init (&s);
  stream_call (&s, 1, "<module>", 1);
  stream_line (&s, 1);
  stream_alloc (&s, 2, "str", "'Hello'", 54);
  stream_store (&s, HS_HOLDER_LOCAL, 1, 0, "a", 2, TRUE);
  stream_store (&s, HS_HOLDER_STACK, 1, 0, NULL, 2, FALSE);   /* rc 2: local + stack */
  /* Moved out of the stack into C: reported as a release, still counted. */
  stream_ref_counts (&s, HS_HOLDER_STACK, 1, 0, NULL, 2, 2, 0, 0);
  /* ... and pushed back by C: the counts agree again. */
  stream_ref_counts (&s, HS_HOLDER_STACK, 1, 1, NULL, 0, 0, 2, 2);
  /* Without any release, a count one above the slots is an unpublished incref. */
  stream_ref_counts (&s, HS_HOLDER_LOCAL, 1, 1, "b", 0, 0, 2, 4);
  bad_seq = s.seq;
  stream_line (&s, 2);
  stream_finish (&s);

  m = hs_trace_model_new (s.trace);
  hs_trace_model_seek_event_quiet (m, bad_seq - 1);
  assert_true (hs_trace_model_check (m, &mm));
  hs_trace_model_seek_event_quiet (m, bad_seq);
  assert_false (hs_trace_model_check (m, &mm));
  assert_int_equal (mm.id, 2);
  assert_int_equal (mm.expected, 4);
  assert_int_equal (mm.counted, 3);
  stream_clear (&s);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_traceback_slots_agree),
    cmocka_unit_test (test_traceback_uncaught),
    cmocka_unit_test (test_raise_from),
    cmocka_unit_test (test_map_items_published),
    cmocka_unit_test (test_filter_items_published),
    cmocka_unit_test (test_min_max_held_published),
    cmocka_unit_test (test_min_max_error_releases),
    cmocka_unit_test (test_call_moves_stack_refs),
    cmocka_unit_test (test_moved_out_slack),
  };

  return cmocka_run_group_tests_name ("trace-invariant", tests, NULL, NULL);
}
