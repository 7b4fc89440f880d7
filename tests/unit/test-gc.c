/* test-gc.c — the cycle collector's phases on hand-built heaps, and the gc module. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hs-internal.h"

/* ---- a VM whose output and gc events the test can read --------------------- */

typedef struct {
  HsEventKind kind;
  HsGcPhase   phase;
  int         generation;
  size_t      n;
  HsId       *ids;
  int64_t    *values;
  HsId        id;          /* FREE, TRACK, GC_FINALIZE, GC_RESURRECT */
  HsFreeCause cause;
  bool        tracked;
  int64_t     collected;
  int64_t     uncollectable;
  int64_t     thresholds[3];   /* GC_START, GC_END, GC_THRESHOLD */
} Rec;

typedef struct {
  char   *out;
  size_t  out_len;
  char   *err;
  size_t  err_len;
  Rec    *recs;
  size_t  n_recs;
  size_t  cap_recs;
} Capture;

static void
capture_write (void *user_data, HsStream stream, const char *text, size_t len)
{
  Capture *c = user_data;
  char **buf = stream == HS_STREAM_STDOUT ? &c->out : &c->err;
  size_t *n = stream == HS_STREAM_STDOUT ? &c->out_len : &c->err_len;

  *buf = realloc (*buf, *n + len + 1);
  assert_non_null (*buf);
  memcpy (*buf + *n, text, len);
  *n += len;
  (*buf)[*n] = '\0';
}

static int
capture_hook (void *user_data, const HsEvent *ev)
{
  Capture *c = user_data;
  Rec *r;

  if (c->n_recs == c->cap_recs)
    {
      c->cap_recs = c->cap_recs ? c->cap_recs * 2 : 256;
      c->recs = realloc (c->recs, c->cap_recs * sizeof *c->recs);
      assert_non_null (c->recs);
    }
  r = &c->recs[c->n_recs++];
  memset (r, 0, sizeof *r);
  r->kind = ev->kind;
  switch (ev->kind)
    {
    case HS_EV_GC_PHASE:
      r->phase = ev->u.gc_phase.phase;
      r->generation = ev->u.gc_phase.generation;
      r->n = ev->u.gc_phase.n;
      if (r->n > 0)
        {
          r->ids = malloc (r->n * sizeof *r->ids);
          memcpy (r->ids, ev->u.gc_phase.ids, r->n * sizeof *r->ids);
          if (ev->u.gc_phase.values != NULL)
            {
              r->values = malloc (r->n * sizeof *r->values);
              memcpy (r->values, ev->u.gc_phase.values, r->n * sizeof *r->values);
            }
        }
      break;
    case HS_EV_GC_START:
      r->generation = ev->u.gc_start.generation;
      r->thresholds[0] = ev->u.gc_start.threshold0;
      r->thresholds[1] = ev->u.gc_start.threshold1;
      r->thresholds[2] = ev->u.gc_start.threshold2;
      break;
    case HS_EV_GC_END:
      r->generation = ev->u.gc_end.generation;
      r->collected = ev->u.gc_end.collected;
      r->uncollectable = ev->u.gc_end.uncollectable;
      r->thresholds[0] = ev->u.gc_end.threshold0;
      r->thresholds[1] = ev->u.gc_end.threshold1;
      r->thresholds[2] = ev->u.gc_end.threshold2;
      break;
    case HS_EV_GC_THRESHOLD:
      r->thresholds[0] = ev->u.gc_threshold.threshold0;
      r->thresholds[1] = ev->u.gc_threshold.threshold1;
      r->thresholds[2] = ev->u.gc_threshold.threshold2;
      break;
    case HS_EV_FREE:
      r->id = ev->u.free.id;
      r->cause = ev->u.free.cause;
      break;
    case HS_EV_TRACK:
      r->id = ev->u.track.id;
      r->tracked = ev->u.track.tracked;
      r->generation = ev->u.track.generation;
      break;
    case HS_EV_GC_FINALIZE:
    case HS_EV_GC_RESURRECT:
      r->id = ev->u.gc_object.id;
      break;
    default:
      break;
    }
  return 0;
}

static void
capture_reset_events (Capture *c)
{
  size_t i;

  for (i = 0; i < c->n_recs; i++)
    {
      free (c->recs[i].ids);
      free (c->recs[i].values);
    }
  c->n_recs = 0;
}

static HsVm *
new_vm_full (Capture *c, uint32_t mask, size_t heap_limit)
{
  HsConfig config;
  HsVm *vm;

  memset (c, 0, sizeof *c);
  hs_config_init (&config);
  config.write = capture_write;
  config.user_data = c;
  config.heap_limit = heap_limit;
  if (mask != 0)
    {
      config.hook = capture_hook;
      config.hook_mask = mask;
    }
  vm = hs_vm_new (&config);
  assert_non_null (vm);
  return vm;
}

static HsVm *
new_vm (Capture *c)
{
  return new_vm_full (c, 0, 0);
}

static void
free_vm (HsVm *vm, Capture *c)
{
  HsMemStats final;

  hs_vm_free (vm, &final);
  assert_int_equal (final.live_objects, 0);
  assert_int_equal (final.live_bytes, 0);
  capture_reset_events (c);
  free (c->recs);
  free (c->out);
  free (c->err);
}

/* Runs a program and checks its stdout against what CPython 3.11 prints. */
static void
run_expect (const char *source, const char *expected)
{
  Capture c;
  HsVm *vm = new_vm (&c);
  HsResult r = hs_vm_run (vm, "<test>", source, strlen (source));

  if (r != HS_RESULT_OK)
    print_error ("stderr: %s\n", c.err != NULL ? c.err : "");
  assert_int_equal (r, HS_RESULT_OK);
  assert_string_equal (c.out != NULL ? c.out : "", expected);
  free_vm (vm, &c);
}

static HsObject *
new_list (HsVm *vm)
{
  HsObject *l = hs_list_new (vm, 0);
  assert_non_null (l);
  return l;
}

static void
append (HsVm *vm, HsObject *list, HsObject *item)
{
  assert_int_equal (hs_list_append (vm, list, item), 0);
}

/* ---- the collector through the C API --------------------------------------- */

static void
test_self_list (void **state)
{
  Capture c;
  HsVm *vm = new_vm (&c);
  HsObject *l;

  assert_int_equal (hs_vm_collect (vm, 2), 0);
  l = new_list (vm);
  append (vm, l, l);
  assert_int_equal (l->refcnt, 2);
  hs_decref (vm, l);
  assert_int_equal (hs_vm_collect (vm, 2), 1);
  assert_int_equal (hs_vm_collect (vm, 2), 0);
  assert_int_equal (vm->gc.stats[2].collected, 1);
  free_vm (vm, &c);
}

static void
test_two_lists_cycle (void **state)
{
  Capture c;
  HsVm *vm = new_vm (&c);
  HsObject *a, *b, *outside;
  HsMemStats before, after;

  hs_vm_collect (vm, 2);
  hs_vm_mem_stats (vm, &before);
  a = new_list (vm);
  b = new_list (vm);
  outside = hs_str_from_cstr (vm, "not a container, never tracked");
  assert_non_null (outside);
  append (vm, a, b);
  append (vm, b, a);
  append (vm, a, outside);    /* reachable only from the cycle, freed with it */
  hs_decref (vm, outside);
  hs_decref (vm, a);
  hs_decref (vm, b);
  /* The cycle of two is collected; `outside` goes by refcount when a is cleared. */
  assert_int_equal (hs_vm_collect (vm, 2), 2);
  hs_vm_mem_stats (vm, &after);
  assert_int_equal (after.live_objects, before.live_objects);
  assert_int_equal (after.live_bytes, before.live_bytes);
  free_vm (vm, &c);
}

static void
test_reachable_cycle_survives (void **state)
{
  Capture c;
  HsVm *vm = new_vm (&c);
  HsObject *a, *b;

  a = new_list (vm);
  b = new_list (vm);
  append (vm, a, b);
  append (vm, b, a);
  hs_decref (vm, b);
  assert_int_equal (hs_vm_collect (vm, 2), 0);
  assert_int_equal (hs_list_size (a), 1);
  assert_true (hs_gc_is_tracked (hs_list_item (a, 0)));
  assert_int_equal (HS_GC_HEAD (a)->generation, 2);
  hs_decref (vm, a);
  assert_int_equal (hs_vm_collect (vm, 2), 2);
  free_vm (vm, &c);
}

static void
test_dict_self (void **state)
{
  Capture c;
  HsVm *vm = new_vm (&c);
  HsObject *d = hs_dict_new (vm);

  assert_non_null (d);
  assert_int_equal (hs_dict_set_str (vm, d, "self", d), 0);
  hs_decref (vm, d);
  assert_int_equal (hs_vm_collect (vm, 2), 1);
  free_vm (vm, &c);
}

/* A chain of a million lists whose end points back at its start: move_unreachable
 * and the clear phase must not recurse on the C stack. */
static void
build_chain (HsVm *vm, HsObject **head_out, size_t n)
{
  HsObject *head = new_list (vm), *cur = head;
  size_t i;

  for (i = 0; i < n; i++)
    {
      HsObject *next = new_list (vm);
      append (vm, cur, next);
      hs_decref (vm, next);
      cur = next;
    }
  append (vm, cur, head);
  *head_out = head;
}

static void
test_deep_chain (void **state)
{
  Capture c;
  HsVm *vm = new_vm_full (&c, 0, 0);
  HsObject *head;
  HsMemStats before, after;

  hs_vm_collect (vm, 2);
  hs_vm_mem_stats (vm, &before);
  build_chain (vm, &head, 1000000);
  assert_int_equal (hs_vm_collect (vm, 2), 0);
  assert_int_equal (hs_vm_collect (vm, 0), 0);
  hs_decref (vm, head);
  assert_int_equal (hs_vm_collect (vm, 2), 1000001);
  hs_vm_mem_stats (vm, &after);
  assert_int_equal (after.live_objects, before.live_objects);
  free_vm (vm, &c);
}

/* The same graph built the other way round: every list refers to the one made
 * before it, so move_unreachable meets each object before what keeps it alive. */
static void
test_deep_chain_backwards (void **state)
{
  Capture c;
  HsVm *vm = new_vm_full (&c, 0, 0);
  HsObject *first = new_list (vm), *prev = first;
  size_t i;

  hs_vm_set_gc_enabled (vm, false);
  hs_incref (first);
  for (i = 0; i < 1000000; i++)
    {
      HsObject *l = new_list (vm);
      append (vm, l, prev);
      hs_decref (vm, prev);
      prev = l;
    }
  append (vm, first, prev);   /* first -> last: one big cycle */
  hs_decref (vm, prev);
  assert_int_equal (hs_vm_collect (vm, 2), 0);   /* `first` is still held here */
  hs_decref (vm, first);
  assert_int_equal (hs_vm_collect (vm, 2), 1000001);
  free_vm (vm, &c);
}

static void
test_dict_tracking (void **state)
{
  Capture c;
  HsVm *vm = new_vm (&c);
  HsObject *d = hs_dict_new (vm);
  HsObject *l = new_list (vm);
  HsObject *one = hs_int_from_i64 (vm, 1);

  assert_false (hs_gc_is_tracked (d));
  assert_int_equal (hs_dict_set_str (vm, d, "a", one), 0);
  assert_false (hs_gc_is_tracked (d));
  assert_int_equal (hs_dict_set_str (vm, d, "b", l), 0);
  assert_true (hs_gc_is_tracked (d));
  assert_int_equal (hs_dict_del (vm, d, hs_str_intern (vm, "b", 1)), 0);
  assert_true (hs_gc_is_tracked (d));
  /* Young collections leave dicts alone; a full one untracks it. */
  hs_vm_collect (vm, 0);
  assert_true (hs_gc_is_tracked (d));
  hs_vm_collect (vm, 2);
  assert_false (hs_gc_is_tracked (d));
  hs_decref (vm, one);
  hs_decref (vm, l);
  hs_decref (vm, d);
  free_vm (vm, &c);
}

static void
test_tuple_untracked_by_collection (void **state)
{
  Capture c;
  HsVm *vm = new_vm (&c);
  HsObject *one = hs_int_from_i64 (vm, 1), *two = hs_int_from_i64 (vm, 2);
  HsObject *l = new_list (vm);
  HsObject *t = hs_tuple_pack (vm, 2, one, two);
  HsObject *nested = hs_tuple_pack (vm, 1, t);
  HsObject *with_list = hs_tuple_pack (vm, 2, one, l);

  assert_true (hs_gc_is_tracked (t));
  assert_true (hs_gc_is_tracked (nested));
  assert_true (hs_gc_is_tracked (with_list));
  hs_vm_collect (vm, 0);
  assert_false (hs_gc_is_tracked (t));
  assert_false (hs_gc_is_tracked (nested));   /* its item was untracked just before */
  assert_true (hs_gc_is_tracked (with_list));
  assert_int_equal (HS_GC_HEAD (with_list)->generation, 1);
  hs_decref (vm, with_list);
  hs_decref (vm, nested);
  hs_decref (vm, t);
  hs_decref (vm, l);
  hs_decref (vm, one);
  hs_decref (vm, two);
  free_vm (vm, &c);
}

static size_t
count_kind (Capture *c, HsEventKind kind)
{
  size_t i, n = 0;

  for (i = 0; i < c->n_recs; i++)
    if (c->recs[i].kind == kind)
      n++;
  return n;
}

static void
test_automatic_collection (void **state)
{
  Capture c;
  HsVm *vm = new_vm_full (&c, HS_EVMASK (HS_EV_GC_START) | HS_EVMASK (HS_EV_GC_END), 0);
  HsObject *keep[701];
  size_t i;

  hs_vm_collect (vm, 2);
  capture_reset_events (&c);
  assert_int_equal (vm->gc.generations[0].count, 0);
  for (i = 0; i < 700; i++)
    keep[i] = new_list (vm);
  assert_int_equal (vm->gc.generations[0].count, 700);
  assert_int_equal (count_kind (&c, HS_EV_GC_START), 0);
  keep[700] = new_list (vm);    /* count0 becomes 701 > 700: collect generation 0 */
  assert_int_equal (count_kind (&c, HS_EV_GC_START), 1);
  assert_int_equal (c.recs[0].generation, 0);
  /* As CPython: the count was taken before the collection reset it. */
  assert_int_equal (vm->gc.generations[0].count, 0);
  assert_int_equal (vm->gc.generations[1].count, 1);
  assert_int_equal (HS_GC_HEAD (keep[0])->generation, 1);
  assert_int_equal (HS_GC_HEAD (keep[700])->generation, 0);
  for (i = 0; i < 701; i++)
    hs_decref (vm, keep[i]);
  /* Frees count down, never below zero. */
  assert_int_equal (vm->gc.generations[0].count, 0);

  /* Disabled: nothing automatic. */
  capture_reset_events (&c);
  hs_vm_set_gc_enabled (vm, false);
  assert_false (hs_vm_gc_enabled (vm));
  for (i = 0; i < 701; i++)
    keep[i] = new_list (vm);
  assert_int_equal (count_kind (&c, HS_EV_GC_START), 0);
  for (i = 0; i < 701; i++)
    hs_decref (vm, keep[i]);
  hs_vm_set_gc_enabled (vm, true);
  free_vm (vm, &c);
}

static void
test_thresholds_and_promotion (void **state)
{
  Capture c;
  HsVm *vm = new_vm_full (&c, HS_EVMASK (HS_EV_GC_START), 0);
  HsGcState *gc = &vm->gc;
  HsObject *l, *extra;

  hs_vm_set_gc_enabled (vm, false);
  hs_vm_collect (vm, 2);
  l = new_list (vm);
  assert_int_equal (HS_GC_HEAD (l)->generation, 0);
  gc->generations[1].count = 0;
  hs_vm_collect (vm, 0);
  assert_int_equal (HS_GC_HEAD (l)->generation, 1);
  assert_int_equal (gc->generations[0].count, 0);
  assert_int_equal (gc->generations[1].count, 1);
  hs_vm_collect (vm, 1);
  assert_int_equal (HS_GC_HEAD (l)->generation, 2);
  assert_int_equal (gc->generations[1].count, 0);
  assert_int_equal (gc->generations[2].count, 1);

  /* The 25% rule: generation 2 is over its threshold but few objects are pending,
   * so the automatic collection takes generation 1. */
  hs_vm_set_gc_enabled (vm, true);
  capture_reset_events (&c);
  gc->generations[0].count = 700;
  gc->generations[1].count = 11;
  gc->generations[2].count = 11;
  gc->long_lived_total = 1000;
  gc->long_lived_pending = 100;
  extra = new_list (vm);
  assert_int_equal (count_kind (&c, HS_EV_GC_START), 1);
  assert_int_equal (c.recs[0].generation, 1);
  hs_decref (vm, extra);

  capture_reset_events (&c);
  gc->generations[0].count = 700;
  gc->generations[2].count = 11;
  gc->long_lived_pending = gc->long_lived_total / 4 + 1;
  extra = new_list (vm);
  assert_int_equal (count_kind (&c, HS_EV_GC_START), 1);
  assert_int_equal (c.recs[0].generation, 2);
  assert_int_equal (gc->long_lived_pending, 0);
  assert_true (gc->long_lived_total > 0);
  hs_decref (vm, extra);
  hs_decref (vm, l);
  free_vm (vm, &c);
}

static void
test_invalid_generation (void **state)
{
  Capture c;
  HsVm *vm = new_vm (&c);

  assert_int_equal (hs_vm_collect (vm, 3), -1);
  assert_int_equal (hs_vm_collect (vm, -1), -1);
  assert_false (hs_err_occurred (vm));
  assert_int_equal (hs_gc_collect (vm, 7), -1);
  assert_true (hs_err_matches (vm, HS_EXC (vm, VALUE_ERROR)));
  hs_err_clear (vm);
  free_vm (vm, &c);
}

static void
test_saveall_c (void **state)
{
  Capture c;
  HsVm *vm = new_vm (&c);
  HsObject *l = new_list (vm);

  append (vm, l, l);
  hs_decref (vm, l);
  vm->gc.debug = HS_GC_DEBUG_SAVEALL;
  assert_int_equal (hs_vm_collect (vm, 2), 1);
  assert_int_equal (hs_list_size (vm->gc.garbage), 1);
  assert_ptr_equal (hs_list_item (vm->gc.garbage, 0), l);
  assert_true (hs_gc_is_tracked (l));
  /* Teardown frees what gc.garbage holds. */
  free_vm (vm, &c);
}

static void
test_freeze_c (void **state)
{
  Capture c;
  HsVm *vm = new_vm (&c);
  HsObject *l = new_list (vm);

  append (vm, l, l);
  hs_gc_freeze (vm);
  assert_int_equal (HS_GC_HEAD (l)->generation, HS_GC_PERMANENT);
  hs_decref (vm, l);
  assert_int_equal (hs_vm_collect (vm, 2), 0);   /* frozen objects are never examined */
  hs_gc_unfreeze (vm);
  assert_int_equal (hs_gc_list_size (&vm->gc.permanent.head), 0);
  assert_int_equal (hs_vm_collect (vm, 2), 1);
  free_vm (vm, &c);
}

/* Teardown itself frees cycles that are still there. */
static void
test_teardown_frees_cycles (void **state)
{
  Capture c;
  HsVm *vm = new_vm (&c);
  HsObject *a = new_list (vm), *b = new_list (vm);

  append (vm, a, b);
  append (vm, b, a);
  hs_decref (vm, a);
  hs_decref (vm, b);
  free_vm (vm, &c);
}

/* ---- events ------------------------------------------------------------------- */

static const Rec *
find_phase (Capture *c, size_t *from, HsGcPhase phase)
{
  size_t i;

  for (i = *from; i < c->n_recs; i++)
    if (c->recs[i].kind == HS_EV_GC_PHASE && c->recs[i].phase == phase)
      {
        *from = i + 1;
        return &c->recs[i];
      }
  return NULL;
}

static bool
has_id (const Rec *r, HsId id, int64_t *value)
{
  size_t i;

  for (i = 0; i < r->n; i++)
    if (r->ids[i] == id)
      {
        if (value != NULL)
          *value = r->values != NULL ? r->values[i] : -1;
        return true;
      }
  return false;
}

/* gc.set_threshold() publishes the new thresholds, and every collection reports
 * the thresholds in force; a failing call publishes the values it did store. */
static void
test_threshold_events (void **state)
{
  Capture c;
  uint32_t mask = HS_EVMASK (HS_EV_GC_START) | HS_EVMASK (HS_EV_GC_END) | HS_EVMASK (HS_EV_GC_THRESHOLD);
  HsVm *vm = new_vm_full (&c, mask, 0);
  const char *src = "import gc\n"
                    "gc.collect()\n"
                    "gc.set_threshold(50)\n"
                    "gc.collect(0)\n"
                    "try:\n"
                    "    gc.set_threshold(40, 'x')\n"
                    "except TypeError:\n"
                    "    pass\n"
                    "gc.set_threshold(700, 10, 10)\n";
  size_t i, n_set = 0, n_start = 0;
  static const int64_t want_set[3][3] = { { 50, 10, 10 }, { 40, 10, 10 }, { 700, 10, 10 } };
  static const int64_t want_start[2] = { 700, 50 };

  assert_int_equal (hs_vm_run (vm, "<test>", src, strlen (src)), HS_RESULT_OK);
  for (i = 0; i < c.n_recs; i++)
    {
      const Rec *r = &c.recs[i];
      if (r->kind == HS_EV_GC_THRESHOLD)
        {
          assert_true (n_set < 3);
          assert_memory_equal (r->thresholds, want_set[n_set], sizeof want_set[n_set]);
          n_set++;
        }
      else if (r->kind == HS_EV_GC_START || r->kind == HS_EV_GC_END)
        {
          assert_true (n_start < 2);
          assert_int_equal (r->thresholds[0], want_start[n_start]);
          assert_int_equal (r->thresholds[1], 10);
          assert_int_equal (r->thresholds[2], 10);
          if (r->kind == HS_EV_GC_END)
            n_start++;
        }
    }
  assert_int_equal (n_set, 3);
  assert_int_equal (n_start, 2);
  free_vm (vm, &c);
}

static void
test_events_in_order (void **state)
{
  Capture c;
  uint32_t mask = HS_EVMASK (HS_EV_GC_START) | HS_EVMASK (HS_EV_GC_PHASE)
                  | HS_EVMASK (HS_EV_GC_END) | HS_EVMASK (HS_EV_FREE) | HS_EVMASK (HS_EV_TRACK);
  HsVm *vm = new_vm_full (&c, mask, 0);
  HsObject *a, *b, *keep;
  HsId ida, idb, idkeep;
  const Rec *r;
  size_t pos = 0, i, start = SIZE_MAX, end = SIZE_MAX, free_a = SIZE_MAX, clear_at;
  int64_t v;

  hs_vm_set_gc_enabled (vm, false);
  hs_vm_collect (vm, 2);
  a = new_list (vm);
  b = new_list (vm);
  keep = new_list (vm);
  ida = a->id;
  idb = b->id;
  idkeep = keep->id;
  append (vm, a, b);
  append (vm, b, a);
  hs_decref (vm, a);
  hs_decref (vm, b);
  capture_reset_events (&c);

  assert_int_equal (hs_vm_collect (vm, 2), 2);
  for (i = 0; i < c.n_recs; i++)
    if (c.recs[i].kind == HS_EV_GC_START && start == SIZE_MAX)
      start = i;
    else if (c.recs[i].kind == HS_EV_GC_END)
      end = i;
    else if (c.recs[i].kind == HS_EV_FREE && c.recs[i].id == ida)
      free_a = i;
  assert_true (start != SIZE_MAX && end != SIZE_MAX && start < end);
  assert_int_equal (c.recs[start].generation, 2);
  assert_int_equal (c.recs[end].collected, 2);
  assert_int_equal (c.recs[end].uncollectable, 0);

  r = find_phase (&c, &pos, HS_GC_PHASE_UPDATE_REFS);
  assert_non_null (r);
  assert_true (has_id (r, ida, &v));
  assert_int_equal (v, 1);
  assert_true (has_id (r, idkeep, &v));
  assert_int_equal (v, 1);
  r = find_phase (&c, &pos, HS_GC_PHASE_SUBTRACT_REFS);
  assert_non_null (r);
  assert_true (has_id (r, ida, &v));
  assert_int_equal (v, 0);
  assert_true (has_id (r, idb, &v));
  assert_int_equal (v, 0);
  assert_true (has_id (r, idkeep, &v));
  assert_int_equal (v, 1);
  r = find_phase (&c, &pos, HS_GC_PHASE_UNREACHABLE);
  assert_non_null (r);
  assert_int_equal (r->n, 2);
  assert_true (has_id (r, ida, NULL) && has_id (r, idb, NULL));
  r = find_phase (&c, &pos, HS_GC_PHASE_PROMOTE);
  assert_non_null (r);
  assert_true (has_id (r, idkeep, NULL));
  assert_false (has_id (r, ida, NULL));
  r = find_phase (&c, &pos, HS_GC_PHASE_FINALIZERS);
  assert_non_null (r);
  assert_int_equal (r->n, 0);
  r = find_phase (&c, &pos, HS_GC_PHASE_CLEAR);
  assert_non_null (r);
  clear_at = pos - 1;
  assert_int_equal (r->n, 2);
  assert_true (free_a != SIZE_MAX && clear_at < free_a && free_a < end);
  assert_int_equal (c.recs[free_a].cause, HS_FREE_GC);
  hs_decref (vm, keep);
  free_vm (vm, &c);
}

static void
test_track_events (void **state)
{
  Capture c;
  HsVm *vm = new_vm_full (&c, HS_EVMASK (HS_EV_TRACK), 0);
  HsObject *l;
  HsId id;
  size_t i;
  bool tracked = false, untracked = false;

  l = new_list (vm);
  id = l->id;
  hs_gc_untrack (vm, l);
  assert_false (hs_gc_is_tracked (l));
  hs_gc_track (vm, l);
  assert_true (hs_gc_is_tracked (l));
  for (i = 0; i < c.n_recs; i++)
    if (c.recs[i].id == id)
      {
        if (c.recs[i].tracked)
          tracked = true;
        else
          untracked = true;
      }
  assert_true (tracked && untracked);
  hs_decref (vm, l);
  free_vm (vm, &c);
}

/* ---- programs (expected output from CPython 3.11) ---------------------------- */

static void
test_py_cycle_instances (void **state)
{
  run_expect ("import gc\n"
              "class Node:\n"
              "    pass\n"
              "gc.collect()\n"
              "a = Node()\n"
              "b = Node()\n"
              "a.b = b\n"
              "b.a = a\n"
              "del a, b\n"
              "print(gc.collect())\n"
              "print(gc.collect())\n",
              "2\n0\n");
}

static void
test_py_cycle_del (void **state)
{
  run_expect ("import gc\n"
              "class Node:\n"
              "    def __init__(self, name):\n"
              "        self.name = name\n"
              "    def __del__(self):\n"
              "        print('del', self.name)\n"
              "gc.collect()\n"
              "a = Node('a')\n"
              "b = Node('b')\n"
              "a.other = b\n"
              "b.other = a\n"
              "del a, b\n"
              "print('collect')\n"
              "print(gc.collect())\n"
              "print(gc.garbage)\n"
              "print(gc.collect())\n",
              "collect\ndel a\ndel b\n2\n[]\n0\n");
}

static void
test_py_self_refs (void **state)
{
  run_expect ("import gc\n"
              "class Box:\n"
              "    pass\n"
              "gc.collect()\n"
              "l = []\n"
              "l.append(l)\n"
              "del l\n"
              "print(gc.collect())\n"
              "d = {}\n"
              "d['self'] = d\n"
              "del d\n"
              "print(gc.collect())\n"
              "x = Box()\n"
              "x.me = x\n"
              "del x\n"
              "print(gc.collect())\n",
              "1\n1\n1\n");
}

static void
test_py_resurrect (void **state)
{
  run_expect ("import gc\n"
              "saved = None\n"
              "class Phoenix:\n"
              "    def __del__(self):\n"
              "        global saved\n"
              "        print('__del__ runs')\n"
              "        saved = self\n"
              "gc.collect()\n"
              "p = Phoenix()\n"
              "p.me = p\n"
              "del p\n"
              "print(gc.collect())\n"
              "print(saved is not None)\n"
              "print(gc.is_finalized(saved))\n"
              "saved = None\n"
              "print(gc.collect())\n"
              "print(saved)\n",
              "__del__ runs\n0\nTrue\nTrue\n1\nNone\n");
}

static void
test_py_disable (void **state)
{
  run_expect ("import gc\n"
              "class Tracked:\n"
              "    def __del__(self):\n"
              "        print('freed', self.n)\n"
              "gc.collect()\n"
              "gc.disable()\n"
              "print(gc.isenabled())\n"
              "for i in range(3000):\n"
              "    l = []\n"
              "    l.append(l)\n"
              "del l\n"
              "t = Tracked()\n"
              "t.n = 'by refcount'\n"
              "del t\n"
              "print('still disabled')\n"
              "print(gc.collect())\n"
              "gc.enable()\n"
              "print(gc.isenabled())\n"
              "print(gc.collect())\n",
              "False\nfreed by refcount\nstill disabled\n3000\nTrue\n0\n");
}

static void
test_py_callbacks (void **state)
{
  run_expect ("import gc\n"
              "log = []\n"
              "def cb(phase, info):\n"
              "    log.append((phase, info['generation'], info['collected'], info['uncollectable']))\n"
              "gc.collect()\n"
              "gc.callbacks.append(cb)\n"
              "l = []\n"
              "l.append(l)\n"
              "del l\n"
              "print(gc.collect())\n"
              "print(gc.collect(0))\n"
              "gc.callbacks.remove(cb)\n"
              "for entry in log:\n"
              "    print(entry)\n"
              "print(len(log))\n",
              "1\n0\n('start', 2, 0, 0)\n('stop', 2, 1, 0)\n('start', 0, 0, 0)\n"
              "('stop', 0, 0, 0)\n4\n");
}

static void
test_py_saveall (void **state)
{
  run_expect ("import gc\n"
              "gc.collect()\n"
              "gc.set_debug(gc.DEBUG_SAVEALL)\n"
              "print(gc.get_debug() == gc.DEBUG_SAVEALL)\n"
              "l = []\n"
              "l.append(l)\n"
              "del l\n"
              "print(gc.collect())\n"
              "print(len(gc.garbage))\n"
              "print(len(gc.garbage[0]))\n"
              "print(gc.garbage[0][0] is gc.garbage[0])\n"
              "gc.set_debug(0)\n"
              "gc.garbage.clear()\n"
              "print(gc.collect())\n"
              "print(gc.garbage)\n",
              "True\n1\n1\n1\nTrue\n1\n[]\n");
}

static void
test_py_tracking (void **state)
{
  run_expect ("import gc\n"
              "class C:\n"
              "    pass\n"
              "print(gc.is_tracked(0), gc.is_tracked('a'), gc.is_tracked(1.5), gc.is_tracked(None))\n"
              "print(gc.is_tracked({}), gc.is_tracked([]), gc.is_tracked(C()), gc.is_tracked({'a': []}))\n"
              "d = {'a': 1}\n"
              "print(gc.is_tracked(d))\n"
              "d['b'] = []\n"
              "print(gc.is_tracked(d))\n"
              "d.pop('b')\n"
              "print(gc.is_tracked(d))\n"
              "gc.collect()\n"
              "print(gc.is_tracked(d))\n"
              "t = tuple([1, 2])\n"
              "print(gc.is_tracked(t))\n"
              "gc.collect()\n"
              "print(gc.is_tracked(t))\n"
              "u = tuple([1, []])\n"
              "gc.collect()\n"
              "print(gc.is_tracked(u))\n"
              "print(gc.is_tracked(()))\n"
              "x = C()\n"
              "print(gc.is_finalized(x))\n",
              "False False False False\nFalse True True True\nFalse\nTrue\nTrue\nFalse\n"
              "True\nFalse\nTrue\nFalse\nFalse\n");
}

static void
test_py_auto (void **state)
{
  run_expect ("import gc\n"
              "starts = []\n"
              "def cb(phase, info):\n"
              "    if phase == 'start':\n"
              "        starts.append(info['generation'])\n"
              "gc.collect()\n"
              "gc.callbacks.append(cb)\n"
              "for i in range(2000):\n"
              "    l = []\n"
              "    l.append(l)\n"
              "del l\n"
              "gc.callbacks.remove(cb)\n"
              "print(len(starts) > 0)\n"
              "print(starts[0])\n"
              "print(gc.collect() < 700)\n",
              "True\n0\nTrue\n");
}

static void
test_py_tutorial (void **state)
{
  run_expect ("import gc\n"
              "print(gc.collect())\n"
              "message = 'Hello'\n"
              "items = [message, message]\n"
              "print(gc.collect())\n"
              "class Person:\n"
              "    def __init__(self, name):\n"
              "        self.name = name\n"
              "        self.friend = None\n"
              "alice = Person('Alice')\n"
              "bob = Person('Bob')\n"
              "alice.friend = bob\n"
              "bob.friend = alice\n"
              "del alice\n"
              "del bob\n"
              "print(gc.collect())\n",
              "0\n0\n2\n");
}

static void
test_py_module_api (void **state)
{
  run_expect ("import gc\n"
              "print(gc.get_threshold())\n"
              "gc.set_threshold(500, 5)\n"
              "print(gc.get_threshold())\n"
              "gc.set_threshold(700, 10, 10)\n"
              "print(gc.get_threshold())\n"
              "print(type(gc.get_count()).__name__, len(gc.get_count()))\n"
              "stats = gc.get_stats()\n"
              "print(len(stats), sorted(stats[0].keys()))\n"
              "print(gc.DEBUG_STATS, gc.DEBUG_COLLECTABLE, gc.DEBUG_UNCOLLECTABLE, gc.DEBUG_SAVEALL, gc.DEBUG_LEAK)\n"
              "print(gc.get_debug())\n"
              "print(gc.collect(generation=1))\n"
              "print(gc.garbage, gc.callbacks)\n"
              "print(gc.collect(True))\n"
              "print(gc.get_referents(1, 's'))\n",
              "(700, 10, 10)\n(500, 5, 10)\n(700, 10, 10)\ntuple 3\n"
              "3 ['collected', 'collections', 'uncollectable']\n1 2 4 32 38\n0\n0\n[] []\n0\n[]\n");
}

#define COUNT_IS_SRC \
  "def count_is(seq, x):\n" \
  "    n = 0\n" \
  "    for o in seq:\n" \
  "        if o is x:\n" \
  "            n += 1\n" \
  "    return n\n"

static void
test_py_referrers (void **state)
{
  run_expect ("import gc\n"
              COUNT_IS_SRC
              "a = [1, 2]\n"
              "b = [a, 'x']\n"
              "c = {'k': a}\n"
              "print(count_is(gc.get_referents(b), a), count_is(gc.get_referents(b), 'x'))\n"
              "print(a in gc.get_referents(c))\n"
              "print(gc.get_referents(1, 's'))\n"
              "refs = gc.get_referrers(a)\n"
              "print(count_is(refs, b), count_is(refs, c))\n"
              "objs = gc.get_objects()\n"
              "print(count_is(objs, b))\n"
              "gc.collect()\n"
              "print(count_is(gc.get_objects(2), b), count_is(gc.get_objects(0), b))\n",
              "1 1\nTrue\n[]\n1 1\n1\n1 0\n");
}

static void
test_py_freeze (void **state)
{
  run_expect ("import gc\n"
              COUNT_IS_SRC
              "gc.collect()\n"
              "keep = [[i] for i in range(10)]\n"
              "gc.freeze()\n"
              "print(gc.get_freeze_count() > 10)\n"
              "print(count_is(gc.get_objects(), keep))\n"
              "l = []\n"
              "l.append(l)\n"
              "del l\n"
              "print(gc.collect())\n"
              "gc.unfreeze()\n"
              "print(gc.get_freeze_count())\n"
              "print(count_is(gc.get_objects(2), keep))\n",
              "True\n0\n1\n0\n1\n");
}

/* Each failing call of the gc module, with CPython 3.11's exception and message. */
static void
test_module_errors (void **state)
{
  static const struct { const char *call; const char *message; } cases[] = {
    { "gc.collect(3)", "ValueError: invalid generation" },
    { "gc.collect(-1)", "ValueError: invalid generation" },
    { "gc.collect('a')", "TypeError: 'str' object cannot be interpreted as an integer" },
    { "gc.collect(1, 2)", "TypeError: collect() takes at most 1 argument (2 given)" },
    { "gc.collect(foo=1)", "TypeError: 'foo' is an invalid keyword argument for collect()" },
    { "gc.collect(2.0)", "TypeError: 'float' object cannot be interpreted as an integer" },
    { "gc.set_threshold()", "TypeError: set_threshold() takes at least 1 argument (0 given)" },
    { "gc.set_threshold(1, 2, 3, 4)", "TypeError: set_threshold() takes at most 3 arguments (4 given)" },
    { "gc.set_threshold('a')", "TypeError: 'str' object cannot be interpreted as an integer" },
    { "gc.is_tracked()", "TypeError: gc.is_tracked() takes exactly one argument (0 given)" },
    { "gc.get_objects(5)", "ValueError: generation parameter must be less than the number of available generations (3)" },
    { "gc.get_objects(-2)", "ValueError: generation parameter cannot be negative" },
    { "gc.get_objects('a')", "TypeError: argument should be integer or None, not 'str'" },
    { "gc.enable(1)", "TypeError: gc.enable() takes no arguments (1 given)" },
    { "gc.set_debug()", "TypeError: gc.set_debug() takes exactly one argument (0 given)" },
    { "gc.get_referents(x=1)", "TypeError: get_referents() takes no keyword arguments" },
    { "gc.is_finalized(1, 2)", "TypeError: gc.is_finalized() takes exactly one argument (2 given)" },
  };
  size_t i;

  for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
    {
      char src[256];
      Capture c;
      HsVm *vm = new_vm (&c);
      HsResult r;

      snprintf (src, sizeof src, "import gc\n%s\n", cases[i].call);
      r = hs_vm_run (vm, "<test>", src, strlen (src));
      assert_int_equal (r, HS_RESULT_RUNTIME_ERROR);
      assert_non_null (c.err);
      if (strstr (c.err, cases[i].message) == NULL)
        print_error ("%s: got %s\n", cases[i].call, c.err);
      assert_non_null (strstr (c.err, cases[i].message));
      free_vm (vm, &c);
    }
}

static void
test_debug_stats_output (void **state)
{
  static const char src[] =
    "import gc\n"
    "gc.set_debug(gc.DEBUG_STATS | gc.DEBUG_COLLECTABLE)\n"
    "l = []\n"
    "l.append(l)\n"
    "del l\n"
    "gc.collect()\n"
    "gc.set_debug(0)\n";
  Capture c;
  HsVm *vm = new_vm (&c);
  const char *p;

  assert_int_equal (hs_vm_run (vm, "<test>", src, strlen (src)), HS_RESULT_OK);
  assert_non_null (c.err);
  assert_true (strncmp (c.err, "gc: collecting generation 2...\ngc: objects in each generation: ", 63) == 0);
  assert_non_null (strstr (c.err, "\ngc: objects in permanent generation: 0\n"));
  assert_non_null (strstr (c.err, "\ngc: collectable <list 0x"));
  p = strstr (c.err, "\ngc: done, 1 unreachable, 0 uncollectable, ");
  assert_non_null (p);
  assert_non_null (strstr (p, "s elapsed\n"));
  free_vm (vm, &c);
}

static void
test_py_finalizer_events (void **state)
{
  static const char src[] =
    "import gc\n"
    "class A:\n"
    "    def __del__(self):\n"
    "        pass\n"
    "gc.collect()\n"
    "a = A()\n"
    "a.me = a\n"
    "del a\n"
    "gc.collect()\n";
  Capture c;
  HsVm *vm = new_vm_full (&c, HS_EVMASK (HS_EV_GC_PHASE) | HS_EVMASK (HS_EV_GC_FINALIZE)
                          | HS_EVMASK (HS_EV_GC_END), 0);
  size_t i, finalize_at = SIZE_MAX, phase_at = SIZE_MAX;
  HsId fid = 0;

  assert_int_equal (hs_vm_run (vm, "<test>", src, strlen (src)), HS_RESULT_OK);
  for (i = 0; i < c.n_recs; i++)
    {
      if (c.recs[i].kind == HS_EV_GC_PHASE && c.recs[i].phase == HS_GC_PHASE_FINALIZERS
          && c.recs[i].n == 1)
        {
          phase_at = i;
          fid = c.recs[i].ids[0];
        }
      if (c.recs[i].kind == HS_EV_GC_FINALIZE)
        finalize_at = i;
    }
  assert_true (phase_at != SIZE_MAX && finalize_at != SIZE_MAX && phase_at < finalize_at);
  assert_int_equal (c.recs[finalize_at].id, fid);
  free_vm (vm, &c);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_self_list),
    cmocka_unit_test (test_two_lists_cycle),
    cmocka_unit_test (test_reachable_cycle_survives),
    cmocka_unit_test (test_dict_self),
    cmocka_unit_test (test_deep_chain),
    cmocka_unit_test (test_deep_chain_backwards),
    cmocka_unit_test (test_dict_tracking),
    cmocka_unit_test (test_tuple_untracked_by_collection),
    cmocka_unit_test (test_automatic_collection),
    cmocka_unit_test (test_thresholds_and_promotion),
    cmocka_unit_test (test_invalid_generation),
    cmocka_unit_test (test_saveall_c),
    cmocka_unit_test (test_freeze_c),
    cmocka_unit_test (test_teardown_frees_cycles),
    cmocka_unit_test (test_events_in_order),
    cmocka_unit_test (test_threshold_events),
    cmocka_unit_test (test_track_events),
    cmocka_unit_test (test_py_cycle_instances),
    cmocka_unit_test (test_py_cycle_del),
    cmocka_unit_test (test_py_self_refs),
    cmocka_unit_test (test_py_resurrect),
    cmocka_unit_test (test_py_disable),
    cmocka_unit_test (test_py_callbacks),
    cmocka_unit_test (test_py_saveall),
    cmocka_unit_test (test_py_tracking),
    cmocka_unit_test (test_py_auto),
    cmocka_unit_test (test_py_tutorial),
    cmocka_unit_test (test_py_module_api),
    cmocka_unit_test (test_py_referrers),
    cmocka_unit_test (test_py_freeze),
    cmocka_unit_test (test_module_errors),
    cmocka_unit_test (test_debug_stats_output),
    cmocka_unit_test (test_py_finalizer_events),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
