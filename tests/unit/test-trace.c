/* test-trace.c — the trace model on synthetic event streams: each event kind, the invariant checker. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <glib/gstdio.h>

#include "hs-trace-private.h"
#include "test-trace-stream.h"

/* Steps a fresh model through every event and asserts the invariant after each. */
static void
assert_invariant_everywhere (HsTrace *trace)
{
  g_autoptr(HsTraceModel) m = hs_trace_model_new (trace);
  HsTraceMismatch mm;
  guint64 n = hs_trace_get_n_events (trace), i;

  for (i = 1; i <= n; i++)
    {
      hs_trace_model_seek_event_quiet (m, i);
      assert_int_equal (hs_trace_model_get_event (m), i);
      if (!hs_trace_model_check (m, &mm))
        fail_msg ("invariant broken after event %" G_GUINT64_FORMAT ": object %" G_GUINT64_FORMAT
                  " %s expected %" G_GINT64_FORMAT " counted %" G_GINT64_FORMAT, mm.event,
                  mm.id, mm.what, mm.expected, mm.counted);
    }
}

static HsId
find_local (HsTraceModel *m, HsId frame, const char *name)
{
  g_autoptr(GArray) refs = hs_trace_model_frame_refs (m, frame);
  guint i;

  for (i = 0; i < refs->len; i++)
    {
      HsTraceRef *r = &g_array_index (refs, HsTraceRef, i);
      g_autofree char *label = hs_trace_model_ref_label (m, r);
      if (g_str_equal (label, name))
        return r->target;
    }
  return 0;
}

/* The tutorial's first lines: a string bound to a name, then rebound. */
static void
test_alloc_ref_free (void **state)
{
  Stream s;
  g_autoptr(HsTraceModel) m = NULL;
  const HsTraceObject *o;

  stream_init (&s);
  stream_call (&s, 1, "<module>", 1);
  stream_alloc (&s, 2, "dict", "{}", 64);
  stream_root (&s, 2, "globals");
  stream_line (&s, 1);
  stream_alloc (&s, 3, "str", "'Hello'", 54);
  stream_store (&s, HS_HOLDER_STACK, 1, 0, NULL, 3, TRUE);
  stream_store (&s, HS_HOLDER_STACK, 1, 0, NULL, 0, FALSE);   /* pop: moves into the local */
  s.rc[3]++;
  stream_store (&s, HS_HOLDER_LOCAL, 1, 0, "message", 3, TRUE);
  stream_line (&s, 2);
  stream_alloc (&s, 4, "str", "'Bye'", 52);
  {
    HsId old = stream_store (&s, HS_HOLDER_LOCAL, 1, 0, "message", 4, TRUE);
    assert_int_equal (old, 3);
    assert_int_equal (s.rc[3], 0);
    stream_free (&s, 3, HS_FREE_REFCOUNT);
  }
  stream_line (&s, 3);
  stream_finish (&s);

  assert_int_equal (hs_trace_get_n_steps (s.trace), 3);
  m = hs_trace_model_new (s.trace);

  /* Step 1: nothing allocated yet on line 1. */
  hs_trace_model_seek_step (m, 1);
  assert_int_equal (hs_trace_model_get_step (m), 1);
  assert_int_equal (hs_trace_model_get_current_line (m), 1);
  assert_null (hs_trace_model_lookup_object (m, 3));
  assert_int_equal (hs_trace_model_get_n_frames (m), 1);
  assert_string_equal (hs_trace_model_frame_name (m, hs_trace_model_get_frame (m, 0)), "<module>");

  /* Step 2: 'Hello' is bound to message. */
  hs_trace_model_seek_step (m, 2);
  o = hs_trace_model_lookup_object (m, 3);
  assert_non_null (o);
  assert_string_equal (hs_trace_model_type_name (m, o), "str");
  assert_string_equal (hs_trace_model_describe (m, o), "'Hello'");
  assert_int_equal (o->refcnt, 1);
  assert_int_equal (o->inrefs, 1);
  assert_int_equal (o->state, HS_TRACE_ALIVE);
  assert_int_equal (o->size, 54);
  assert_false (o->flags & HS_TRACE_OBJ_NEWBORN);
  assert_int_equal (find_local (m, 1, "message"), 3);

  /* Step 3: 'Hello' was freed by refcounting during line 2; 'Bye' took its place. */
  hs_trace_model_seek_step (m, 3);
  /* The line that just ran freed it: still known, marked, so the view can fade it out. */
  assert_int_equal (hs_trace_model_get_n_freed (m), 1);
  o = hs_trace_model_lookup_object (m, 3);
  assert_non_null (o);
  assert_int_equal (o->state, HS_TRACE_FREED_REFCOUNT);
  assert_int_equal (find_local (m, 1, "message"), 4);
  /* The event just before step 3 shows the freed object. */
  hs_trace_model_seek_event (m, hs_trace_get_step_event (s.trace, 3));
  o = hs_trace_model_lookup_object (m, 3);
  assert_non_null (o);
  assert_int_equal (o->state, HS_TRACE_FREED_REFCOUNT);
  assert_int_equal (hs_trace_model_get_n_freed (m), 1);

  /* Its refcount over time, and where it was freed. */
  {
    g_autoptr(GArray) h = hs_trace_model_refcount_history (m, 3);
    guint32 line = 0;

    assert_int_equal (h->len, 6);   /* alloc 1, push 1, pop 0, bound 1, rebound 0, freed 0 */
    assert_int_equal (g_array_index (h, HsTraceRefcountPoint, 0).refcnt, 1);
    assert_int_equal (g_array_index (h, HsTraceRefcountPoint, 3).refcnt, 1);
    assert_int_equal (g_array_index (h, HsTraceRefcountPoint, 4).refcnt, 0);
    assert_int_equal (g_array_index (h, HsTraceRefcountPoint, 5).event, o->free_event);
    assert_true (hs_trace_get_event_line (s.trace, o->free_event, &line));
    assert_int_equal (line, 2);
  }

  assert_invariant_everywhere (s.trace);
  stream_clear (&s);
}

static void
test_frames_call_return (void **state)
{
  Stream s;
  g_autoptr(HsTraceModel) m = NULL;
  const HsTraceFrame *f;

  stream_init (&s);
  stream_call (&s, 1, "<module>", 1);
  stream_line (&s, 1);
  stream_call (&s, 5, "greet", 10);
  stream_line (&s, 11);
  stream_alloc (&s, 6, "str", "'hi'", 51);
  stream_store (&s, HS_HOLDER_LOCAL, 5, 0, "message", 6, TRUE);
  stream_line (&s, 12);
  stream_store (&s, HS_HOLDER_LOCAL, 5, 0, "message", 0, FALSE);
  stream_free (&s, 6, HS_FREE_REFCOUNT);
  stream_return (&s, 0, 1, 1);
  stream_line (&s, 2);
  stream_finish (&s);

  m = hs_trace_model_new (s.trace);
  hs_trace_model_seek_step (m, 3);
  assert_int_equal (hs_trace_model_get_n_frames (m), 2);
  f = hs_trace_model_get_frame (m, 1);
  assert_int_equal (f->id, 5);
  assert_int_equal (f->parent, 1);
  assert_int_equal (f->depth, 1);
  assert_int_equal (f->first_line, 10);
  assert_int_equal (f->line, 12);
  assert_string_equal (hs_trace_model_frame_name (m, f), "greet");
  assert_ptr_equal (hs_trace_model_lookup_frame (m, 5), f);
  assert_int_equal (hs_trace_model_get_current_frame (m), 5);
  assert_int_equal (find_local (m, 5, "message"), 6);

  hs_trace_model_seek_step (m, 4);
  assert_int_equal (hs_trace_model_get_n_frames (m), 1);
  assert_null (hs_trace_model_lookup_frame (m, 5));
  assert_int_equal (hs_trace_model_get_current_frame (m), 1);
  assert_int_equal (hs_trace_model_get_current_line (m), 2);
  assert_int_equal (hs_trace_model_get_n_objects (m), 0);

  /* Back again: history, no re-run. */
  hs_trace_model_seek_step (m, 2);
  assert_int_equal (hs_trace_model_get_n_frames (m), 2);
  assert_int_equal (hs_trace_model_get_current_line (m), 11);
  assert_invariant_everywhere (s.trace);
  stream_clear (&s);
}

/* A list holding the same object twice, labels of every holder kind. */
static void
test_labels_and_containers (void **state)
{
  Stream s;
  g_autoptr(HsTraceModel) m = NULL;
  g_autoptr(GArray) referrers = NULL;
  g_autoptr(GArray) referents = NULL;
  guint i;
  gboolean saw_item1 = FALSE, saw_value = FALSE, saw_attr = FALSE, saw_tmp = FALSE;

  stream_init (&s);
  stream_call (&s, 1, "<module>", 1);
  stream_line (&s, 1);
  stream_alloc (&s, 2, "list", "[]", 56);
  stream_alloc (&s, 3, "str", "'x'", 50);
  stream_store (&s, HS_HOLDER_ITEM, 2, 0, NULL, 3, FALSE);
  stream_store (&s, HS_HOLDER_ITEM, 2, 1, NULL, 3, FALSE);
  stream_store (&s, HS_HOLDER_LOCAL, 1, 0, "items", 2, TRUE);
  stream_alloc (&s, 4, "dict", "{}", 64);
  stream_alloc (&s, 5, "str", "'key'", 52);
  stream_store (&s, HS_HOLDER_KEY, 4, 5, NULL, 5, FALSE);
  stream_store (&s, HS_HOLDER_VALUE, 4, 5, NULL, 3, FALSE);
  stream_decref (&s, 5);
  stream_store (&s, HS_HOLDER_LOCAL, 1, 1, "d", 4, TRUE);
  stream_alloc (&s, 6, "Point", "<Point object>", 48);
  stream_store (&s, HS_HOLDER_ATTR, 6, 99, "name", 3, FALSE);
  stream_store (&s, HS_HOLDER_LOCAL, 1, 2, "p", 6, TRUE);
  stream_store (&s, HS_HOLDER_STACK, 1, 0, "argument", 3, TRUE);  /* takes the creation reference */
  stream_line (&s, 2);
  stream_finish (&s);

  m = hs_trace_model_new (s.trace);
  hs_trace_model_seek_step (m, 2);
  assert_int_equal (hs_trace_model_lookup_object (m, 3)->refcnt, 5);
  referrers = hs_trace_model_referrers (m, 3);
  assert_int_equal (referrers->len, 5);
  for (i = 0; i < referrers->len; i++)
    {
      HsTraceRef *r = &g_array_index (referrers, HsTraceRef, i);
      g_autofree char *label = hs_trace_model_ref_label (m, r);
      if (g_str_equal (label, "[1]") && r->holder == 2)
        saw_item1 = TRUE;
      if (g_str_equal (label, "['key']") && r->holder == 4)
        saw_value = TRUE;
      if (g_str_equal (label, ".name") && r->holder == 6)
        saw_attr = TRUE;
      if (g_str_equal (label, "temporary (argument)") && r->holder == 1)
        saw_tmp = TRUE;
    }
  assert_true (saw_item1 && saw_value && saw_attr && saw_tmp);
  referents = hs_trace_model_referents (m, 4);
  assert_int_equal (referents->len, 2);   /* its key and the value */
  assert_invariant_everywhere (s.trace);
  stream_clear (&s);
}

/* The checker must catch a stream whose counts do not add up. */
static void
test_checker_catches_bad_stream (void **state)
{
  Stream s;
  g_autoptr(HsTraceModel) m = NULL;
  HsTraceMismatch mm;
  guint64 bad_seq;

  stream_init (&s);
  stream_call (&s, 1, "<module>", 1);
  stream_line (&s, 1);
  stream_alloc (&s, 2, "list", "[]", 56);
  stream_store (&s, HS_HOLDER_LOCAL, 1, 0, "a", 2, TRUE);
  /* An unpublished incref: the runtime says 3 references, the model counts 2. */
  stream_ref_counts (&s, HS_HOLDER_LOCAL, 1, 1, "b", 0, 0, 2, 3);
  bad_seq = s.seq;
  stream_line (&s, 2);
  stream_finish (&s);

  m = hs_trace_model_new (s.trace);
  hs_trace_model_seek_event_quiet (m, bad_seq - 1);
  assert_true (hs_trace_model_check (m, &mm));
  hs_trace_model_seek_event_quiet (m, bad_seq);
  assert_false (hs_trace_model_check (m, &mm));
  assert_int_equal (mm.id, 2);
  assert_int_equal (mm.expected, 3);
  assert_int_equal (mm.counted, 2);
  assert_int_equal (mm.event, bad_seq);
  /* It stays reported later on. */
  hs_trace_model_seek_step (m, 2);
  assert_false (hs_trace_model_check (m, &mm));
  assert_int_equal (mm.event, bad_seq);
  stream_clear (&s);
}

/* The checker also catches a slot whose old target is not what the model holds,
 * and a free of a still-referenced object. */
static void
test_checker_catches_slot_and_free (void **state)
{
  Stream s;
  g_autoptr(HsTraceModel) m = NULL;
  HsTraceMismatch mm;

  stream_init (&s);
  stream_call (&s, 1, "<module>", 1);
  stream_line (&s, 1);
  stream_alloc (&s, 2, "str", "'a'", 50);
  stream_store (&s, HS_HOLDER_LOCAL, 1, 0, "a", 2, TRUE);
  stream_free (&s, 2, HS_FREE_REFCOUNT);   /* still held by `a` */
  stream_finish (&s);

  m = hs_trace_model_new (s.trace);
  hs_trace_model_seek_event_quiet (m, s.seq - 1);
  assert_true (hs_trace_model_check (m, &mm));
  hs_trace_model_seek_event_quiet (m, s.seq);
  assert_false (hs_trace_model_check (m, &mm));
  assert_string_equal (mm.what, "free");
  assert_int_equal (mm.id, 2);
  assert_int_equal (mm.counted, 1);
  stream_clear (&s);
}

static void
test_gc_events (void **state)
{
  Stream s;
  g_autoptr(HsTraceModel) m = NULL;
  const HsTraceObject *o;
  const HsTraceCollection *col;
  HsEvent ev;
  HsId ids[2] = { 2, 3 };
  int64_t refs[2] = { 1, 1 };
  int64_t zero[2] = { 0, 0 };
  gint64 counts[3], thresholds[3];
  guint64 mid;

  stream_init (&s);
  stream_call (&s, 1, "<module>", 1);
  stream_line (&s, 1);
  /* a = []; b = []; a.append(b); b.append(a); del a, b */
  stream_alloc (&s, 2, "list", "[]", 56);
  stream_store (&s, HS_HOLDER_LOCAL, 1, 0, "a", 2, TRUE);
  stream_alloc (&s, 3, "list", "[]", 56);
  stream_store (&s, HS_HOLDER_LOCAL, 1, 1, "b", 3, TRUE);
  stream_store (&s, HS_HOLDER_ITEM, 2, 0, NULL, 3, FALSE);
  stream_store (&s, HS_HOLDER_ITEM, 3, 0, NULL, 2, FALSE);
  stream_store (&s, HS_HOLDER_LOCAL, 1, 0, "a", 0, FALSE);
  stream_store (&s, HS_HOLDER_LOCAL, 1, 1, "b", 0, FALSE);
  stream_line (&s, 2);

  memset (&ev, 0, sizeof ev);
  ev.kind = HS_EV_GC_START;
  ev.u.gc_start.generation = 2;
  ev.u.gc_start.count0 = 2;
  stream_emit (&s, &ev);
  memset (&ev, 0, sizeof ev);
  ev.kind = HS_EV_GC_PHASE;
  ev.u.gc_phase.phase = HS_GC_PHASE_UPDATE_REFS;
  ev.u.gc_phase.generation = 2;
  ev.u.gc_phase.n = 2;
  ev.u.gc_phase.ids = ids;
  ev.u.gc_phase.values = refs;
  stream_emit (&s, &ev);
  ev.u.gc_phase.phase = HS_GC_PHASE_SUBTRACT_REFS;
  ev.u.gc_phase.values = zero;
  stream_emit (&s, &ev);
  ev.u.gc_phase.phase = HS_GC_PHASE_UNREACHABLE;
  ev.u.gc_phase.values = NULL;
  stream_emit (&s, &ev);
  mid = s.seq;
  memset (&ev, 0, sizeof ev);
  ev.kind = HS_EV_GC_FINALIZE;
  ev.u.gc_object.id = 2;
  stream_emit (&s, &ev);
  /* Clear: the references inside the cycle go, then both lists. */
  stream_store (&s, HS_HOLDER_ITEM, 2, 0, NULL, 0, FALSE);
  stream_store (&s, HS_HOLDER_ITEM, 3, 0, NULL, 0, FALSE);
  stream_free (&s, 3, HS_FREE_GC);
  stream_free (&s, 2, HS_FREE_GC);
  memset (&ev, 0, sizeof ev);
  ev.kind = HS_EV_GC_END;
  ev.u.gc_end.generation = 2;
  ev.u.gc_end.collected = 2;
  stream_emit (&s, &ev);
  stream_line (&s, 3);
  stream_finish (&s);

  assert_int_equal (hs_trace_get_n_collections (s.trace), 1);
  col = hs_trace_get_collection (s.trace, 0);
  assert_int_equal (col->generation, 2);
  assert_int_equal (col->collected, 2);
  assert_int_equal (col->count[0], 2);
  assert_true (col->end_event > col->start_event);

  m = hs_trace_model_new (s.trace);
  /* Before the collection: two garbage lists in a cycle. */
  hs_trace_model_seek_step (m, 2);
  assert_true (hs_trace_model_is_garbage (m, 2));
  assert_true (hs_trace_model_is_garbage (m, 3));
  hs_trace_model_get_gc_counts (m, counts, thresholds);
  assert_int_equal (counts[0], 2);
  assert_int_equal (thresholds[0], 700);

  /* During: the unreachable set and gc_refs are shown. */
  hs_trace_model_seek_event (m, mid);
  assert_true (hs_trace_model_in_collection (m));
  o = hs_trace_model_lookup_object (m, 2);
  assert_int_equal (o->gc_refs, 0);
  assert_true (hs_trace_model_object_gc_flags (m, o) & HS_TRACE_GC_UNREACHABLE);
  assert_true (hs_trace_model_object_gc_flags (m, o) & HS_TRACE_GC_EXAMINED);
  hs_trace_model_seek_event (m, mid + 1);
  o = hs_trace_model_lookup_object (m, 2);
  assert_true (o->flags & HS_TRACE_OBJ_FINALIZED);

  /* After: both freed by gc, counts reset, the collection counted. */
  hs_trace_model_seek_event (m, hs_trace_get_step_event (s.trace, 3));
  o = hs_trace_model_lookup_object (m, 2);
  assert_non_null (o);
  assert_int_equal (o->state, HS_TRACE_FREED_GC);
  assert_int_equal (hs_trace_model_object_gc_flags (m, o), 0);
  assert_false (hs_trace_model_in_collection (m));
  assert_int_equal (hs_trace_model_get_n_collections (m), 1);
  hs_trace_model_get_gc_counts (m, counts, NULL);
  assert_int_equal (counts[0], 0);
  assert_int_equal (counts[2], 0);
  assert_invariant_everywhere (s.trace);
  stream_clear (&s);
}

static void
test_output_and_exception (void **state)
{
  Stream s;
  g_autoptr(HsTraceModel) m = NULL;
  HsEvent ev = { .kind = HS_EV_EXCEPTION };
  const char *type = NULL, *message = NULL, *out;
  guint32 line = 0;
  gsize len;

  stream_init (&s);
  stream_call (&s, 1, "<module>", 1);
  stream_line (&s, 1);
  stream_output (&s, "2\n");
  stream_line (&s, 2);
  stream_output (&s, "3\n");
  stream_alloc (&s, 7, "ZeroDivisionError", "ZeroDivisionError('division by zero')", 72);
  ev.u.exception.exc = 7;
  ev.u.exception.type_name = "ZeroDivisionError";
  ev.u.exception.message = "division by zero";
  stream_emit (&s, &ev);
  stream_decref (&s, 7);
  stream_finish (&s);

  out = hs_trace_get_output (s.trace, &len);
  assert_int_equal (len, 4);
  assert_string_equal (out, "2\n3\n");
  m = hs_trace_model_new (s.trace);
  hs_trace_model_seek_step (m, 2);
  assert_int_equal (hs_trace_model_get_output_len (m), 2);
  assert_int_equal (hs_trace_model_get_exception (m, NULL, NULL, NULL), 0);
  hs_trace_model_seek_event (m, hs_trace_get_n_events (s.trace));
  assert_int_equal (hs_trace_model_get_output_len (m), 4);
  assert_int_equal (hs_trace_model_get_exception (m, &type, &message, &line), 7);
  assert_string_equal (type, "ZeroDivisionError");
  assert_string_equal (message, "division by zero");
  assert_int_equal (line, 2);
  assert_true (hs_trace_is_finished (s.trace));
  stream_clear (&s);
}

/* Referenced before its ALLOC (objects made before recording began). */
static void
test_unknown_and_immortal (void **state)
{
  Stream s;
  g_autoptr(HsTraceModel) m = NULL;
  const HsTraceObject *o;
  HsTraceMismatch mm;

  stream_init (&s);
  stream_alloc_full (&s, 2, "NoneType", "None", 16, FALSE, TRUE);
  stream_call (&s, 3, "<module>", 1);
  stream_line (&s, 1);
  s.rc[2] = 1000;
  stream_store (&s, HS_HOLDER_LOCAL, 3, 0, "x", 2, FALSE);
  s.rc[50] = 7;
  stream_store (&s, HS_HOLDER_LOCAL, 3, 1, "y", 50, FALSE);
  stream_line (&s, 2);
  stream_finish (&s);

  m = hs_trace_model_new (s.trace);
  hs_trace_model_seek_step (m, 2);
  o = hs_trace_model_lookup_object (m, 2);
  assert_true (o->flags & HS_TRACE_OBJ_IMMORTAL);
  o = hs_trace_model_lookup_object (m, 50);
  assert_non_null (o);
  assert_true (o->flags & HS_TRACE_OBJ_UNKNOWN);
  assert_string_equal (hs_trace_model_type_name (m, o), "?");
  assert_true (hs_trace_model_check (m, &mm));
  stream_clear (&s);
}

/* A heap of `n` objects in a list, then `steps` lines that change nothing:
 * the trace's checkpoint memory under the policy's byte bound. */
static HsTraceMemory
big_heap_checkpoints (guint max_bytes_per_event, guint64 *n_events, guint *seek_line)
{
  const guint n = 6000, steps = 30000;
  Stream s;
  HsTraceMemory mem;
  guint i;

  stream_init (&s);
  hs_trace_set_checkpoint_policy (s.trace, 256, 1, 1024, max_bytes_per_event);
  stream_call (&s, 1, "<module>", 1);
  stream_alloc (&s, 2, "list", "[]", 56);
  stream_store (&s, HS_HOLDER_LOCAL, 1, 0, "heap", 2, TRUE);
  for (i = 0; i < n; i++)
    {
      stream_alloc (&s, 10 + i, "int", "1000", 28);
      stream_store (&s, HS_HOLDER_ITEM, 2, i, NULL, 10 + i, TRUE);
    }
  for (i = 0; i < steps; i++)
    stream_line (&s, 2 + i % 5);
  stream_finish (&s);
  hs_trace_get_memory (s.trace, &mem);
  *n_events = hs_trace_get_n_events (s.trace);
  {
    g_autoptr(HsTraceModel) m = hs_trace_model_new (s.trace);

    hs_trace_model_seek_step (m, steps - 3);
    *seek_line = hs_trace_model_get_current_line (m);
    assert_int_equal (hs_trace_model_get_n_objects (m) >= n, TRUE);
  }
  stream_clear (&s);
  return mem;
}

/* Forced checkpoints (every max_events) of a big heap wait until they cost at most
 * max_bytes_per_event for each event since the last one; seeking still works. */
static void
test_checkpoint_byte_bound (void **state)
{
  guint line_free, line_bound;
  guint64 events;
  HsTraceMemory unbounded = big_heap_checkpoints (G_MAXUINT, &events, &line_free);
  HsTraceMemory bounded = big_heap_checkpoints (16, &events, &line_bound);

  /* Every 1024 events, a snapshot of some 6000 objects and refs. */
  assert_true (unbounded.checkpoint_bytes > 16 * events);
  assert_true (bounded.checkpoint_bytes <= 16 * events);
  assert_true (bounded.n_checkpoints < unbounded.n_checkpoints);
  assert_int_equal (line_free, 2 + (30000 - 4) % 5);
  assert_int_equal (line_bound, line_free);
}

/* Many records across chunks, strings reused, big texts. */
static void
test_log_roundtrip (void **state)
{
  Stream s;
  g_autoptr(HsTraceModel) m = NULL;
  g_autofree char *big = g_strnfill (3 << 20, 'z');
  HsTraceMemory mem;
  guint i;

  stream_init (&s);
  stream_call (&s, 1, "<module>", 1);
  for (i = 0; i < 200000; i++)
    {
      char desc[32];
      stream_line (&s, 1 + i % 7);
      g_snprintf (desc, sizeof desc, "%u", i + 1000);
      stream_alloc (&s, 10 + i % 60000, "int", desc, 28);
      stream_store (&s, HS_HOLDER_LOCAL, 1, 0, "n", 10 + i % 60000, TRUE);
      if (i > 0)
        stream_free (&s, 10 + (i - 1) % 60000, HS_FREE_REFCOUNT);
      if (i == 1000)
        stream_output (&s, big);
    }
  stream_finish (&s);
  hs_trace_get_memory (s.trace, &mem);
  assert_true (mem.log_bytes > (3u << 20));
  assert_true (mem.n_checkpoints > 0);
  assert_int_equal (hs_trace_get_n_steps (s.trace), 200000);
  assert_int_equal (hs_trace_get_n_events (s.trace), s.seq);

  m = hs_trace_model_new (s.trace);
  hs_trace_model_seek_step (m, 150000);
  assert_int_equal (hs_trace_model_get_current_line (m), 1 + 149999 % 7);
  assert_string_equal (hs_trace_model_describe (m, hs_trace_model_lookup_object (m, 10 + 149998 % 60000)),
                       "150998");
  assert_int_equal (hs_trace_model_get_output_len (m), 3 << 20);
  assert_int_equal (hs_trace_model_get_n_objects (m), 1);
  stream_clear (&s);
}

/* Exports the trace to a new temporary file (its name in *path) and returns the text. */
static char *
write_jsonl_tmp (HsTrace *trace, const char *program, char **path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  FILE *f;
  int fd;

  fd = g_file_open_tmp ("hs-trace-XXXXXX.jsonl", path, &error);
  assert_true (fd >= 0);
  f = fdopen (fd, "w");
  assert_true (hs_trace_write_jsonl (trace, f, program, "ok", &error));
  fclose (f);
  assert_true (g_file_get_contents (*path, &contents, NULL, NULL));
  return contents;
}

static gboolean
copy_event (const HsEvent *event, gpointer user_data)
{
  *(HsEvent *) user_data = *event;
  return TRUE;
}

static void
check_decoded_int (HsTrace *trace, guint64 event, int64_t value, const char *text)
{
  HsEvent decoded = { .kind = HS_EV__COUNT }, *ev = &decoded;
  char buf[HS_EVENT_INT_TEXT];

  hs_trace_foreach_event (trace, event, 1, copy_event, &decoded);
  assert_int_equal (ev->kind, HS_EV_ALLOC);
  assert_true (ev->u.alloc.has_int);
  assert_null (ev->u.alloc.describe);
  assert_true (ev->u.alloc.int_value == value);
  assert_string_equal (hs_event_alloc_describe (ev, buf), text);
}

/* The log keeps an int's value, not its text: the decoded event, the model and the
 * JSON export give the text back, every digit and sign, and a model's text stays put. */
static void
test_int_values (void **state)
{
  static const struct { int64_t value; const char *text; } ints[] = {
    { 0, "0" }, { -1, "-1" }, { 256, "256" }, { 1000, "1000" }, { -70000, "-70000" },
    { G_MAXINT64, "9223372036854775807" }, { G_MININT64, "-9223372036854775808" },
  };
  const guint n = G_N_ELEMENTS (ints);
  g_autoptr(HsTraceModel) m = NULL;
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  const char *first[G_N_ELEMENTS (ints)];
  guint64 alloc_event[G_N_ELEMENTS (ints)];
  Stream s;
  guint i;

  stream_init (&s);
  stream_call (&s, 1, "<module>", 1);
  for (i = 0; i < n; i++)
    {
      stream_line (&s, i + 1);
      alloc_event[i] = s.seq;
      stream_alloc_int (&s, 10 + i, ints[i].value, ints[i].value == 256);
      stream_store (&s, HS_HOLDER_LOCAL, 1, i, "n", 10 + i, TRUE);
    }
  stream_alloc (&s, 20, "str", "'text'", 54);
  stream_store (&s, HS_HOLDER_LOCAL, 1, n, "t", 20, TRUE);
  stream_line (&s, n + 1);
  stream_finish (&s);

  for (i = 0; i < n; i++)
    check_decoded_int (s.trace, alloc_event[i], ints[i].value, ints[i].text);

  m = hs_trace_model_new (s.trace);
  hs_trace_model_seek_step (m, n + 1);
  for (i = 0; i < n; i++)
    {
      const HsTraceObject *o = hs_trace_model_lookup_object (m, 10 + i);

      assert_non_null (o);
      assert_true (o->flags & HS_TRACE_OBJ_INT);
      first[i] = hs_trace_model_describe (m, o);
      assert_string_equal (first[i], ints[i].text);
      assert_ptr_equal (hs_trace_model_describe (m, o), first[i]);
    }
  assert_string_equal (hs_trace_model_describe (m, hs_trace_model_lookup_object (m, 20)), "'text'");
  assert_false (hs_trace_model_lookup_object (m, 20)->flags & HS_TRACE_OBJ_INT);
  /* Back to the start and forward again: the texts asked for before are still there. */
  hs_trace_model_seek_step (m, 1);
  hs_trace_model_seek_step (m, n + 1);
  for (i = 0; i < n; i++)
    {
      assert_string_equal (first[i], ints[i].text);
      assert_string_equal (hs_trace_model_describe (m, hs_trace_model_lookup_object (m, 10 + i)),
                           ints[i].text);
    }

  contents = write_jsonl_tmp (s.trace, "ints.py", &path);
  for (i = 0; i < n; i++)
    {
      g_autofree char *want = g_strdup_printf ("\"id\":%u,\"type\":\"int\",\"size\":28,\"tracked\":false,"
                                               "\"immortal\":%s,\"describe\":\"%s\"}",
                                               10 + i, ints[i].value == 256 ? "true" : "false",
                                               ints[i].text);
      if (strstr (contents, want) == NULL)
        fail_msg ("no %s in the JSON", want);
    }
  g_unlink (path);
  stream_clear (&s);
}

typedef struct {
  guint64        n;
  const HsId    *want;
  const int64_t *values;
  gboolean       same;
} PhaseCheck;

static gboolean
check_phase_ids (const HsEvent *event, gpointer user_data)
{
  PhaseCheck *pc = user_data;

  pc->same = event->kind == HS_EV_GC_PHASE && event->u.gc_phase.n == pc->n
             && memcmp (event->u.gc_phase.ids, pc->want, pc->n * sizeof (HsId)) == 0
             && event->u.gc_phase.values != NULL
             && memcmp (event->u.gc_phase.values, pc->values, pc->n * sizeof (int64_t)) == 0;
  return TRUE;
}

/* A record bigger than a chunk (a collection phase over 300,000 objects whose
 * ids and gc_refs take 6 bytes each: about 3.6 MB) gets a chunk of its own, a
 * whole number of chunk sizes, and reads back intact between ordinary records. */
static void
test_outsized_record (void **state)
{
  const guint64 n = 300000;
  g_autofree HsId *ids = g_new (HsId, n);
  g_autofree int64_t *values = g_new (int64_t, n);
  g_autoptr(HsTraceModel) m = NULL;
  PhaseCheck pc = { n, NULL, NULL, FALSE };
  HsTraceMemory mem;
  HsEvent ev;
  guint64 i, phase_event;
  Stream s;

  /* No such objects in the model: only the record matters. */
  for (i = 0; i < n; i++)
    {
      ids[i] = (i % 2 ? G_GUINT64_CONSTANT (1) << 40 : 1000) + i;
      values[i] = (i % 2 ? 1 : -1) * ((gint64) 1 << 40);
    }
  stream_init (&s);
  stream_call (&s, 1, "<module>", 1);
  stream_line (&s, 1);
  stream_alloc (&s, 3, "str", "'before'", 55);
  stream_store (&s, HS_HOLDER_LOCAL, 1, 0, "a", 3, TRUE);
  memset (&ev, 0, sizeof ev);
  ev.kind = HS_EV_GC_PHASE;
  ev.u.gc_phase.phase = HS_GC_PHASE_UPDATE_REFS;
  ev.u.gc_phase.n = n;
  ev.u.gc_phase.ids = ids;
  ev.u.gc_phase.values = values;
  phase_event = s.seq;
  stream_emit (&s, &ev);
  stream_line (&s, 2);
  stream_alloc (&s, 4, "str", "'after'", 54);
  stream_store (&s, HS_HOLDER_LOCAL, 1, 1, "b", 4, TRUE);
  stream_line (&s, 3);
  stream_finish (&s);

  hs_trace_get_memory (s.trace, &mem);
  assert_true (mem.log_bytes >= n * 12);
  pc.want = ids;
  pc.values = values;
  hs_trace_foreach_event (s.trace, phase_event, 1, check_phase_ids, &pc);
  assert_true (pc.same);
  m = hs_trace_model_new (s.trace);
  hs_trace_model_seek_step (m, 3);
  assert_string_equal (hs_trace_model_describe (m, hs_trace_model_lookup_object (m, 3)), "'before'");
  assert_string_equal (hs_trace_model_describe (m, hs_trace_model_lookup_object (m, 4)), "'after'");
  assert_int_equal (hs_trace_get_n_events (s.trace), s.seq);
  stream_clear (&s);
}

/* The JSON Lines export: a header, one valid JSON object per event. */
static void
test_jsonl (void **state)
{
  Stream s;
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *python = NULL;
  HsEvent ev;
  HsId ids[2] = { 3, 4 };
  int64_t vals[2] = { 0, 1 };

  stream_init (&s);
  stream_call (&s, 1, "<module>", 1);
  stream_line (&s, 1);
  stream_alloc (&s, 3, "str", "'quote \" back\\slash \x01 tab\t \xc3\xa9'", 60);
  stream_store (&s, HS_HOLDER_LOCAL, 1, 0, "message", 3, TRUE);
  stream_output (&s, "line\n\"q\"\n");
  memset (&ev, 0, sizeof ev);
  ev.kind = HS_EV_GC_PHASE;
  ev.u.gc_phase.phase = HS_GC_PHASE_SUBTRACT_REFS;
  ev.u.gc_phase.n = 2;
  ev.u.gc_phase.ids = ids;
  ev.u.gc_phase.values = vals;
  stream_emit (&s, &ev);
  stream_store (&s, HS_HOLDER_LOCAL, 1, 0, "message", 0, FALSE);
  stream_free (&s, 3, HS_FREE_REFCOUNT);
  stream_finish (&s);

  contents = write_jsonl_tmp (s.trace, "demo.py", &path);
  lines = g_strsplit (contents, "\n", -1);
  assert_int_equal (g_strv_length (lines), 1 + s.seq + 1);  /* header, events, trailing "" */
  assert_true (g_str_has_prefix (lines[0], "{\"schema\":\"heapscope-trace\",\"version\":1,"));
  assert_non_null (strstr (lines[0], "\"events\":8"));
  assert_true (g_str_has_prefix (lines[1], "{\"seq\":1,\"kind\":\"call\""));
  assert_non_null (strstr (lines[3], "\"describe\":\"'quote \\\" back\\\\slash \\u0001 tab\\t \xc3\xa9'\""));
  assert_non_null (strstr (lines[4], "\"holder_kind\":\"local\",\"holder\":1,\"slot\":0,\"name\":\"message\",\"old\":0,\"new\":3"));
  assert_non_null (strstr (lines[6], "\"ids\":[3,4],\"values\":[0,1]"));
  assert_non_null (strstr (lines[8], "\"cause\":\"refcount\""));

  /* Every line must parse as JSON: ask Python when it is there. */
  python = g_find_program_in_path ("python3");
  if (python != NULL)
    {
      const char *script =
        "import json,sys\n"
        "lines=open(sys.argv[1],encoding='utf-8').read().splitlines()\n"
        "h=json.loads(lines[0]); assert h['schema']=='heapscope-trace' and h['version']==1\n"
        "evs=[json.loads(l) for l in lines[1:]]\n"
        "assert [e['seq'] for e in evs]==list(range(1,len(evs)+1))\n"
        "assert h['events']==len(evs)\n"
        "assert evs[2]['describe']==\"'quote \\\" back\\\\slash \\x01 tab\\t \\u00e9'\", evs[2]\n"
        "assert evs[4]['text']=='line\\n\"q\"\\n'\n";
      const char *argv[] = { "python3", "-c", script, path, NULL };
      int status = -1;
      g_autofree char *err = NULL;

      assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                                 NULL, &err, &status, NULL));
      if (!g_spawn_check_wait_status (status, NULL))
        fail_msg ("python3 rejected the trace: %s", err);
    }
  g_unlink (path);
  stream_clear (&s);
}

static void
emit_gc (Stream *s, HsEventKind kind, gint64 t0)
{
  HsEvent ev;

  memset (&ev, 0, sizeof ev);
  ev.kind = kind;
  if (kind == HS_EV_GC_THRESHOLD)
    {
      ev.u.gc_threshold.threshold0 = t0;
      ev.u.gc_threshold.threshold1 = 10;
      ev.u.gc_threshold.threshold2 = 10;
    }
  else if (kind == HS_EV_GC_START)
    {
      ev.u.gc_start.threshold0 = t0;
      ev.u.gc_start.threshold1 = 10;
      ev.u.gc_start.threshold2 = 10;
    }
  else
    {
      ev.u.gc_end.threshold0 = t0;
      ev.u.gc_end.threshold1 = 10;
      ev.u.gc_end.threshold2 = 10;
    }
  stream_emit (s, &ev);
}

static gint64
model_threshold0 (HsTraceModel *m)
{
  gint64 counts[3], thresholds[3];

  hs_trace_model_get_gc_counts (m, counts, thresholds);
  assert_int_equal (thresholds[1], 10);
  assert_int_equal (thresholds[2], 10);
  return thresholds[0];
}

/* gc.set_threshold() is an event: the model shows the thresholds in force at
 * each step, also after seeking back through checkpoints, and the JSON export
 * carries them. */
static void
test_gc_thresholds (void **state)
{
  Stream s;
  g_autoptr(HsTraceModel) m = NULL;
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  guint64 set_at, end_at;
  FILE *f;
  int fd;

  stream_init (&s);
  hs_trace_set_checkpoint_policy (s.trace, 2, 1, 1024, G_MAXUINT);
  stream_call (&s, 1, "<module>", 1);
  for (guint32 line = 1; line <= 6; line++)
    stream_line (&s, line);
  emit_gc (&s, HS_EV_GC_THRESHOLD, 50);
  set_at = s.seq;
  for (guint32 line = 7; line <= 12; line++)
    stream_line (&s, line);
  emit_gc (&s, HS_EV_GC_START, 50);
  emit_gc (&s, HS_EV_GC_END, 50);
  emit_gc (&s, HS_EV_GC_THRESHOLD, 0);
  end_at = s.seq;
  for (guint32 line = 13; line <= 18; line++)
    stream_line (&s, line);
  stream_finish (&s);

  m = hs_trace_model_new (s.trace);
  assert_int_equal (model_threshold0 (m), 700);
  hs_trace_model_seek_event (m, set_at - 1);
  assert_int_equal (model_threshold0 (m), 700);
  hs_trace_model_seek_event (m, set_at);
  assert_int_equal (model_threshold0 (m), 50);
  hs_trace_model_seek_event (m, end_at);
  assert_int_equal (model_threshold0 (m), 0);
  hs_trace_model_seek_event (m, hs_trace_get_n_events (s.trace));
  assert_int_equal (model_threshold0 (m), 0);
  /* Back through a checkpoint taken after set_threshold(50). */
  hs_trace_model_seek_event (m, end_at - 1);
  assert_int_equal (model_threshold0 (m), 50);
  hs_trace_model_seek_event (m, 2);
  assert_int_equal (model_threshold0 (m), 700);

  fd = g_file_open_tmp ("hs-trace-XXXXXX.jsonl", &path, &error);
  assert_true (fd >= 0);
  f = fdopen (fd, "w");
  assert_true (hs_trace_write_jsonl (s.trace, f, "t.py", "ok", &error));
  fclose (f);
  assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  assert_non_null (strstr (contents, "\"version\":1,\"minor\":1,"));
  assert_non_null (strstr (contents, "\"kind\":\"gc_threshold\",\"line\":6,\"frame\":1,\"thresholds\":[50,10,10]}"));
  assert_non_null (strstr (contents, "\"uncollectable\":0,\"thresholds\":[50,10,10]}"));
  assert_non_null (strstr (contents, "\"thresholds\":[0,10,10]}"));
  g_unlink (path);
  stream_clear (&s);
}

/* A model's growable arrays keep every item through growth: in the heap while
 * small, then in a mapping of their own, moved as a whole while they grow. */
static void
test_vec_growth (void **state)
{
  typedef struct { guint64 a; guint32 b; guint32 c; } Item;
  HsTraceVec *v = hs_trace_vec_new (sizeof (Item));
  const guint n = 300000;   /* 4.8 MB: the heap, a mapping, then a grown mapping */
  guint i;

  /* Nothing appended to nothing (a restore of an empty snapshot). */
  assert_null (hs_trace_vec_append (v, NULL, 0));
  assert_int_equal (v->len, 0);

  for (i = 0; i < n; i++)
    {
      Item it = { (guint64) i * 7919, i ^ 0x5a5a5a5a, ~i };
      Item *at = hs_trace_vec_append_val (v, it);

      assert_ptr_equal (at, &g_array_index (v, Item, i));
      assert_int_equal (v->len, i + 1);
      /* The first item survives each move. */
      if ((i & (i - 1)) == 0)
        assert_int_equal (g_array_index (v, Item, 0).c, ~0u);
    }
  assert_true (v->mapped);
  assert_true (v->cap >= n * sizeof (Item));
  for (i = 0; i < n; i++)
    {
      Item *it = &g_array_index (v, Item, i);
      if (it->a != (guint64) i * 7919 || it->b != (i ^ 0x5a5a5a5a) || it->c != ~i)
        fail_msg ("item %u changed", i);
    }
  hs_trace_vec_truncate (v, 10);
  assert_int_equal (v->len, 10);
  {
    Item more[3] = { { 1, 2, 3 }, { 4, 5, 6 }, { 7, 8, 9 } };
    hs_trace_vec_append (v, more, 3);
  }
  assert_int_equal (v->len, 13);
  assert_int_equal (g_array_index (v, Item, 9).b, 9 ^ 0x5a5a5a5a);
  assert_int_equal (g_array_index (v, Item, 12).c, 9);
  hs_trace_vec_free (v);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_alloc_ref_free),
    cmocka_unit_test (test_frames_call_return),
    cmocka_unit_test (test_labels_and_containers),
    cmocka_unit_test (test_checker_catches_bad_stream),
    cmocka_unit_test (test_checker_catches_slot_and_free),
    cmocka_unit_test (test_gc_events),
    cmocka_unit_test (test_output_and_exception),
    cmocka_unit_test (test_unknown_and_immortal),
    cmocka_unit_test (test_log_roundtrip),
    cmocka_unit_test (test_int_values),
    cmocka_unit_test (test_outsized_record),
    cmocka_unit_test (test_checkpoint_byte_bound),
    cmocka_unit_test (test_jsonl),
    cmocka_unit_test (test_gc_thresholds),
    cmocka_unit_test (test_vec_growth),
  };

  return cmocka_run_group_tests_name ("trace", tests, NULL, NULL);
}
