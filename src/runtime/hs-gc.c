/* hs-gc.c — the generational cycle collector, following CPython 3.11's scheme. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hs-internal.h"

#define GEN_HEAD(vm, i) (&(vm)->gc.generations[(i)].head)

/* ---- intrusive doubly linked lists of HsGcHead -------------------------- */

static inline void
gc_list_init (HsGcHead *list)
{
  list->prev = list;
  list->next = list;
}

static inline bool
gc_list_is_empty (const HsGcHead *list)
{
  return list->next == list;
}

static inline void
gc_list_append (HsGcHead *node, HsGcHead *list)
{
  HsGcHead *last = list->prev;

  node->prev = last;
  node->next = list;
  last->next = node;
  list->prev = node;
}

static inline void
gc_list_remove (HsGcHead *node)
{
  node->prev->next = node->next;
  node->next->prev = node->prev;
  node->prev = NULL;
  node->next = NULL;
}

static inline void
gc_list_move (HsGcHead *node, HsGcHead *list)
{
  node->prev->next = node->next;
  node->next->prev = node->prev;
  gc_list_append (node, list);
}

/* Appends all of `from` to the end of `to`; `from` ends empty. */
static void
gc_list_merge (HsGcHead *from, HsGcHead *to)
{
  if (!gc_list_is_empty (from))
    {
      HsGcHead *to_tail = to->prev;
      HsGcHead *from_head = from->next;
      HsGcHead *from_tail = from->prev;

      to_tail->next = from_head;
      from_head->prev = to_tail;
      to->prev = from_tail;
      from_tail->next = to;
    }
  gc_list_init (from);
}

int64_t
hs_gc_list_size (const HsGcHead *list)
{
  int64_t n = 0;
  const HsGcHead *g;

  for (g = list->next; g != list; g = g->next)
    n++;
  return n;
}

static void
gc_state_init (HsVm *vm)
{
  HsGcState *gc = &vm->gc;
  static const int thresholds[HS_GC_GENERATIONS] = { 700, 10, 10 };
  int i;

  for (i = 0; i < HS_GC_GENERATIONS; i++)
    {
      gc_list_init (&gc->generations[i].head);
      gc->generations[i].threshold = thresholds[i];
      gc->generations[i].count = 0;
    }
  gc_list_init (&gc->permanent.head);
  gc->permanent.threshold = 0;
  gc->permanent.count = 0;
  gc->enabled = true;
  gc->initialized = true;
}

static inline void
gc_ensure_init (HsVm *vm)
{
  if (HS_UNLIKELY (!vm->gc.initialized))
    gc_state_init (vm);
}

/* ---- events --------------------------------------------------------------- */

/* Id arrays for HS_EV_GC_PHASE, plain malloc (not program memory), only when hooked. */
typedef struct {
  HsId    *ids;
  int64_t *values;
  size_t   n;
  size_t   cap;
  bool     failed;
} GcIds;

static void
gc_ids_push (GcIds *b, HsId id, int64_t value, bool with_values)
{
  if (b->failed)
    return;
  if (b->n == b->cap)
    {
      size_t cap = b->cap ? b->cap * 2 : 64;
      HsId *ids = realloc (b->ids, cap * sizeof *ids);

      if (ids == NULL)
        {
          b->failed = true;
          return;
        }
      b->ids = ids;
      if (with_values)
        {
          int64_t *values = realloc (b->values, cap * sizeof *values);
          if (values == NULL)
            {
              b->failed = true;
              return;
            }
          b->values = values;
        }
      b->cap = cap;
    }
  b->ids[b->n] = id;
  if (with_values)
    b->values[b->n] = value;
  b->n++;
}

static void
gc_ids_free (GcIds *b)
{
  free (b->ids);
  free (b->values);
  memset (b, 0, sizeof *b);
}

static void
gc_ids_emit (HsVm *vm, GcIds *b, HsGcPhase phase, int generation)
{
  HsEvent ev;

  if (!b->failed)
    {
      memset (&ev, 0, sizeof ev);
      ev.kind = HS_EV_GC_PHASE;
      ev.u.gc_phase.phase = phase;
      ev.u.gc_phase.generation = generation;
      ev.u.gc_phase.n = b->n;
      ev.u.gc_phase.ids = b->ids;
      ev.u.gc_phase.values = b->values;
      hs_emit (vm, &ev);
    }
  gc_ids_free (b);
}

enum { SELECT_ALL, SELECT_FINALIZABLE };

/* Publishes a phase whose objects are exactly the members of `list`. */
static void
gc_emit_list (HsVm *vm, HsGcHead *list, HsGcPhase phase, int generation, bool with_values,
              int select)
{
  GcIds b = { 0 };
  HsGcHead *g;

  for (g = list->next; g != list; g = g->next)
    {
      HsObject *op = HS_GC_OBJECT (g);

      if (select == SELECT_FINALIZABLE
          && ((op->flags & HS_OBJ_FINALIZED) || !hs_type_has_finalizer (vm, op->type)))
        continue;
      gc_ids_push (&b, op->id, g->gc_refs, with_values);
    }
  gc_ids_emit (vm, &b, phase, generation);
}

static void
gc_emit_track (HsVm *vm, HsObject *obj, bool tracked, int generation)
{
  HsEvent ev;

  memset (&ev, 0, sizeof ev);
  ev.kind = HS_EV_TRACK;
  ev.u.track.id = obj->id;
  ev.u.track.tracked = tracked;
  ev.u.track.generation = generation;
  hs_emit (vm, &ev);
}

static void
gc_emit_object (HsVm *vm, HsEventKind kind, HsObject *obj)
{
  HsEvent ev;

  memset (&ev, 0, sizeof ev);
  ev.kind = kind;
  ev.u.gc_object.id = obj->id;
  hs_emit (vm, &ev);
}

/* The collector's own short-lived references (around a finalizer or a clear) are
 * published like any other, so refcounts always match the published references.
 * Runtime slots are keyed by the held object's id: several may be held at once. */
static void
gc_hold (HsVm *vm, HsObject *obj)
{
  hs_incref (obj);
  if (hs_hooked (vm, HS_EV_REF))
    hs_emit_ref (vm, HS_HOLDER_RUNTIME, 0, obj->id, "gc", NULL, obj);
}

static void
gc_release (HsVm *vm, HsObject *obj)
{
  if (hs_hooked (vm, HS_EV_REF))
    hs_emit_ref (vm, HS_HOLDER_RUNTIME, 0, obj->id, "gc", obj, NULL);
  hs_decref (vm, obj);
}

/* ---- diagnostics on stderr ------------------------------------------------ */

static void
gc_printf (HsVm *vm, const char *fmt, ...) __attribute__ ((format (printf, 2, 3)));

static void
gc_printf (HsVm *vm, const char *fmt, ...)
{
  char buf[512];
  va_list ap;
  int n;

  va_start (ap, fmt);
  n = vsnprintf (buf, sizeof buf, fmt, ap);
  va_end (ap);
  if (n < 0)
    return;
  if ((size_t) n >= sizeof buf)
    n = sizeof buf - 1;
  hs_vm_write (vm, HS_STREAM_STDERR, buf, (size_t) n);
}

/* Prints and clears the current exception as CPython's PyErr_WriteUnraisable does:
 * "Exception ignored in: <obj>" (or a message alone), then the traceback. */
static void
gc_write_unraisable (HsVm *vm, const char *where, HsObject *obj)
{
  HsObject *exc = hs_err_fetch (vm);

  if (exc == NULL)
    return;
  if (obj != NULL)
    {
      HsObject *text = hs_object_repr (vm, obj);
      if (text != NULL)
        {
          gc_printf (vm, "Exception ignored %s: %s\n", where, hs_str_data (text));
          hs_decref (vm, text);
        }
      else
        hs_err_clear (vm);
    }
  else
    gc_printf (vm, "Exception ignored %s:\n", where);
  hs_traceback_print (vm, exc);
  if (hs_err_occurred (vm))
    hs_err_clear (vm);
  hs_decref (vm, exc);
}

static double
gc_now (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (double) ts.tv_sec + (double) ts.tv_nsec * 1e-9;
}

static void
gc_show_stats (HsVm *vm)
{
  gc_printf (vm, "gc: objects in each generation: %" PRId64 " %" PRId64 " %" PRId64 "\n"
             "gc: objects in permanent generation: %" PRId64 "\n",
             hs_gc_list_size (GEN_HEAD (vm, 0)), hs_gc_list_size (GEN_HEAD (vm, 1)),
             hs_gc_list_size (GEN_HEAD (vm, 2)), hs_gc_list_size (&vm->gc.permanent.head));
}

static void
gc_debug_cycle (HsVm *vm, const char *msg, HsObject *op)
{
  gc_printf (vm, "gc: %s <%s %p>\n", msg, op->type->name, (void *) op);
}

/* ---- tracking ------------------------------------------------------------- */

void
hs_gc_track (HsVm *vm, HsObject *obj)
{
  HsGcHead *g;

  if ((obj->flags & HS_OBJ_TRACKED) || !(obj->type->flags & HS_TPFLAG_GC))
    return;
  gc_ensure_init (vm);
  g = HS_GC_HEAD (obj);
  gc_list_append (g, GEN_HEAD (vm, 0));
  g->gc_refs = 0;
  g->gc_flags = 0;
  g->generation = 0;
  obj->flags |= HS_OBJ_TRACKED;
  if (hs_hooked (vm, HS_EV_TRACK))
    gc_emit_track (vm, obj, true, 0);
}

void
hs_gc_untrack (HsVm *vm, HsObject *obj)
{
  HsGcHead *g;

  if (!(obj->flags & HS_OBJ_TRACKED))
    return;
  g = HS_GC_HEAD (obj);
  gc_list_remove (g);
  g->gc_flags = 0;
  obj->flags &= ~(uint32_t) HS_OBJ_TRACKED;
  if (hs_hooked (vm, HS_EV_TRACK))
    gc_emit_track (vm, obj, false, -1);
}

/* CPython's _PyObject_GC_MAY_BE_TRACKED: could `obj` ever be part of a cycle? */
static inline bool
gc_may_be_tracked (HsVm *vm, HsObject *obj)
{
  if (!(obj->type->flags & HS_TPFLAG_GC))
    return false;
  if (obj->type == HS_T (vm, TUPLE))
    return (obj->flags & HS_OBJ_TRACKED) != 0;
  return true;
}

/* _PyTuple_MaybeUntrack: a tuple none of whose items can be in a cycle never will be. */
static bool
gc_tuple_maybe_untrack (HsVm *vm, HsObject *t)
{
  size_t i, n = hs_tuple_size (t);

  for (i = 0; i < n; i++)
    {
      HsObject *item = hs_tuple_item (t, i);
      if (item == NULL || gc_may_be_tracked (vm, item))
        return false;
    }
  hs_gc_untrack (vm, t);
  return true;
}

/* _PyDict_MaybeUntrack, done only in full collections as 3.11 does. */
static void
gc_dict_maybe_untrack (HsVm *vm, HsObject *d)
{
  size_t pos = 0;
  HsObject *key, *value;

  while (hs_dict_next (d, &pos, &key, &value))
    if ((value != NULL && gc_may_be_tracked (vm, value)) || gc_may_be_tracked (vm, key))
      return;
  hs_gc_untrack (vm, d);
}

/* ---- finding the unreachable set ------------------------------------------ */

/* update_refs: gc_refs = refcount for every object of the set, marked collecting. */
static void
gc_update_refs (HsGcHead *containers)
{
  HsGcHead *g;

  for (g = containers->next; g != containers; g = g->next)
    {
      g->gc_refs = HS_GC_OBJECT (g)->refcnt;
      g->gc_flags = HS_GC_FLAG_COLLECTING;
    }
}

static int
gc_visit_decref (HsObject *target, void *arg)
{
  (void) arg;
  if (target->type->flags & HS_TPFLAG_GC)
    {
      HsGcHead *g = HS_GC_HEAD (target);
      if (g->gc_flags & HS_GC_FLAG_COLLECTING)
        g->gc_refs--;
    }
  return 0;
}

/* subtract_refs: what remains in gc_refs is the references from outside the set. */
static void
gc_subtract_refs (HsGcHead *containers)
{
  HsGcHead *g;

  for (g = containers->next; g != containers; g = g->next)
    {
      HsObject *op = HS_GC_OBJECT (g);
      if (op->type->traverse != NULL)
        op->type->traverse (op, gc_visit_decref, NULL);
    }
}

static int
gc_visit_reachable (HsObject *target, void *arg)
{
  HsGcHead *young = arg;
  HsGcHead *g;

  if (!(target->type->flags & HS_TPFLAG_GC))
    return 0;
  g = HS_GC_HEAD (target);
  if (!(g->gc_flags & HS_GC_FLAG_COLLECTING))
    return 0;     /* another generation, or already known reachable */
  if (g->gc_flags & HS_GC_FLAG_UNREACHABLE)
    {
      /* Thought unreachable, but reachable after all: back to the end of young,
       * where move_unreachable will reach it again. */
      g->gc_flags &= ~(uint32_t) HS_GC_FLAG_UNREACHABLE;
      gc_list_move (g, young);
      g->gc_refs = 1;
    }
  else if (g->gc_refs == 0)
    g->gc_refs = 1;   /* still ahead in young: tell move_unreachable it is reachable */
  return 0;
}

/* move_unreachable: young itself is the work list (reachable objects found behind
 * the cursor are moved to its end), so no recursion however deep the graph. */
static void
gc_move_unreachable (HsGcHead *young, HsGcHead *unreachable)
{
  HsGcHead *g = young->next;

  while (g != young)
    {
      HsGcHead *next;

      if (g->gc_refs > 0)
        {
          HsObject *op = HS_GC_OBJECT (g);
          if (op->type->traverse != NULL)
            op->type->traverse (op, gc_visit_reachable, young);
          g->gc_flags &= ~(uint32_t) HS_GC_FLAG_COLLECTING;
          next = g->next;
        }
      else
        {
          next = g->next;
          gc_list_move (g, unreachable);
          g->gc_flags |= HS_GC_FLAG_UNREACHABLE;
        }
      g = next;
    }
}

static void
gc_deduce_unreachable (HsVm *vm, HsGcHead *base, HsGcHead *unreachable, int generation,
                       bool ev)
{
  gc_update_refs (base);
  if (ev)
    gc_emit_list (vm, base, HS_GC_PHASE_UPDATE_REFS, generation, true, SELECT_ALL);
  gc_subtract_refs (base);
  if (ev)
    gc_emit_list (vm, base, HS_GC_PHASE_SUBTRACT_REFS, generation, true, SELECT_ALL);
  gc_list_init (unreachable);
  gc_move_unreachable (base, unreachable);
}

/* ---- the collection ------------------------------------------------------- */

/* Runs __del__ (PEP 442: once per object) on every unreachable object that has one.
 * Objects move to a side list first: a finalizer may free others of the set. */
static int64_t
gc_finalize_garbage (HsVm *vm, HsGcHead *collectable)
{
  HsGcHead seen;
  HsType *last_type = NULL;
  bool last_has = false;
  int64_t ran = 0;
  bool ev = hs_hooked (vm, HS_EV_GC_FINALIZE);

  /* Late in VM teardown the builtins are gone: Python code cannot run any more, so
   * the set is marked finalized and freed without __del__. */
  if (vm->builtins == NULL)
    {
      HsGcHead *g;
      for (g = collectable->next; g != collectable; g = g->next)
        HS_GC_OBJECT (g)->flags |= HS_OBJ_FINALIZED;
      return 0;
    }
  gc_list_init (&seen);
  while (!gc_list_is_empty (collectable))
    {
      HsGcHead *g = collectable->next;
      HsObject *op = HS_GC_OBJECT (g);

      gc_list_move (g, &seen);
      if (op->flags & HS_OBJ_FINALIZED)
        continue;
      if (op->type != last_type)
        {
          last_type = op->type;
          last_has = hs_type_has_finalizer (vm, op->type);
        }
      if (!last_has)
        continue;
      if (ev)
        gc_emit_object (vm, HS_EV_GC_FINALIZE, op);
      gc_hold (vm, op);
      hs_object_finalize (vm, op);
      op->flags |= HS_OBJ_FINALIZED;
      if (hs_err_occurred (vm))
        gc_write_unraisable (vm, "in", op);
      gc_release (vm, op);
      ran++;
      /* A finalizer may have changed the class's __del__. */
      last_type = NULL;
    }
  gc_list_merge (&seen, collectable);
  return ran;
}

/* Moves every object of `list` to the end of `old` as members of generation `gen`
 * (the collector's scratch bits cleared); publishes PROMOTE when ev. */
static void
gc_promote_list (HsVm *vm, HsGcHead *list, HsGcHead *old, int gen, bool ev)
{
  HsGcHead *g;

  for (g = list->next; g != list; g = g->next)
    {
      g->generation = gen;
      g->gc_flags = 0;
    }
  if (ev && !gc_list_is_empty (list))
    gc_emit_list (vm, list, HS_GC_PHASE_PROMOTE, gen, false, SELECT_ALL);
  if (list != old)
    gc_list_merge (list, old);
}

/* Breaks the cycles: tp_clear on each object (or gc.garbage with DEBUG_SAVEALL).
 * The collector holds every object of the set while clearing, so a clear never frees
 * another member in a cascade (a chain of a million lists stays a flat loop); each is
 * freed when its hold is released, already empty.  Objects still alive afterwards
 * move to `old`. */
static void
gc_delete_garbage (HsVm *vm, HsGcHead *collectable, HsGcHead *old, int old_gen, bool ev)
{
  HsGcState *gc = &vm->gc;
  GcIds survivors = { 0 };
  bool saved_clearing = gc->clearing;
  bool saveall = (gc->debug & HS_GC_DEBUG_SAVEALL) && gc->garbage != NULL;
  HsGcHead *g;

  gc->clearing = true;
  if (saveall)
    {
      for (g = collectable->next; g != collectable; g = g->next)
        if (hs_list_append (vm, gc->garbage, HS_GC_OBJECT (g)) < 0)
          hs_err_clear (vm);
    }
  else
    {
      for (g = collectable->next; g != collectable; g = g->next)
        gc_hold (vm, HS_GC_OBJECT (g));
      for (g = collectable->next; g != collectable; g = g->next)
        {
          HsObject *op = HS_GC_OBJECT (g);
          if (op->type->clear != NULL)
            {
              op->type->clear (vm, op);
              if (hs_err_occurred (vm))
                gc_write_unraisable (vm, "in tp_clear of", (HsObject *) op->type);
            }
        }
    }
  while (!gc_list_is_empty (collectable))
    {
      HsObject *op;

      g = collectable->next;
      op = HS_GC_OBJECT (g);
      if (!saveall)
        gc_release (vm, op);
      if (collectable->next == g)
        {
          /* Still alive: it may die later. */
          gc_list_move (g, old);
          g->generation = old_gen;
          g->gc_flags = 0;
          if (ev)
            gc_ids_push (&survivors, op->id, 0, false);
        }
    }
  gc->clearing = saved_clearing;
  if (survivors.n > 0)
    gc_ids_emit (vm, &survivors, HS_GC_PHASE_PROMOTE, old_gen);
  else
    gc_ids_free (&survivors);
}

/* gc_collect_main: collects `generation` (and the younger ones); returns
 * collected + uncollectable.  The caller sets gc.collecting. */
static int64_t
gc_collect_main (HsVm *vm, int generation, int64_t *n_collected, int64_t *n_uncollectable)
{
  HsGcState *gc = &vm->gc;
  HsGcHead *young, *old;
  HsGcHead unreachable, final_unreachable;
  HsGcHead *g;
  int64_t m = 0, n = 0;
  int old_gen, i;
  double t1 = 0;
  bool ev = hs_hooked (vm, HS_EV_GC_PHASE);

  gc_ensure_init (vm);
  if (gc->debug & HS_GC_DEBUG_STATS)
    {
      gc_printf (vm, "gc: collecting generation %d...\n", generation);
      gc_show_stats (vm);
      t1 = gc_now ();
    }
  if (hs_hooked (vm, HS_EV_GC_START))
    {
      HsEvent e;
      memset (&e, 0, sizeof e);
      e.kind = HS_EV_GC_START;
      e.u.gc_start.generation = generation;
      e.u.gc_start.count0 = gc->generations[0].count;
      e.u.gc_start.count1 = gc->generations[1].count;
      e.u.gc_start.count2 = gc->generations[2].count;
      e.u.gc_start.threshold0 = gc->generations[0].threshold;
      e.u.gc_start.threshold1 = gc->generations[1].threshold;
      e.u.gc_start.threshold2 = gc->generations[2].threshold;
      hs_emit (vm, &e);
    }

  /* Allocation counters. */
  if (generation + 1 < HS_GC_GENERATIONS)
    gc->generations[generation + 1].count += 1;
  for (i = 0; i <= generation; i++)
    gc->generations[i].count = 0;

  /* Merge the younger generations into the one collected. */
  for (i = 0; i < generation; i++)
    gc_list_merge (GEN_HEAD (vm, i), GEN_HEAD (vm, generation));

  young = GEN_HEAD (vm, generation);
  old_gen = generation < HS_GC_GENERATIONS - 1 ? generation + 1 : generation;
  old = GEN_HEAD (vm, old_gen);

  gc_deduce_unreachable (vm, young, &unreachable, generation, ev);
  if (ev)
    gc_emit_list (vm, &unreachable, HS_GC_PHASE_UNREACHABLE, generation, false, SELECT_ALL);

  /* Survivors: tuples that can never be in a cycle stop being tracked.  When they
   * move to an older generation, the same pass marks and counts the others (one walk
   * of the list instead of three: gc_promote_list then only publishes and merges). */
  {
    int64_t nsurvivors = 0;
    bool promote = young != old;
    for (g = young->next; g != young;)
      {
        HsGcHead *next = g->next;
        HsObject *op = HS_GC_OBJECT (g);
        if (op->type != HS_T (vm, TUPLE) || !gc_tuple_maybe_untrack (vm, op))
          {
            if (promote)
              {
                g->generation = old_gen;
                g->gc_flags = 0;
              }
            nsurvivors++;
          }
        g = next;
      }
    if (promote)
      {
        if (generation == HS_GC_GENERATIONS - 2)
          gc->long_lived_pending += nsurvivors;
        if (ev && !gc_list_is_empty (young))
          gc_emit_list (vm, young, HS_GC_PHASE_PROMOTE, old_gen, false, SELECT_ALL);
        gc_list_merge (young, old);
      }
  }
  if (young == old)
    {
      /* Dicts are untracked only in full collections (CPython issue #14775). */
      for (g = young->next; g != young;)
        {
          HsGcHead *next = g->next;
          HsObject *op = HS_GC_OBJECT (g);
          if (op->type == HS_T (vm, DICT))
            gc_dict_maybe_untrack (vm, op);
          g = next;
        }
      gc->long_lived_pending = 0;
      gc->long_lived_total = hs_gc_list_size (young);
      gc_promote_list (vm, young, old, old_gen, ev);
    }

  /* No legacy (tp_del) finalizers exist here: nothing is uncollectable. */
  for (g = unreachable.next; g != &unreachable; g = g->next)
    g->gc_flags &= ~(uint32_t) HS_GC_FLAG_UNREACHABLE;
  if (gc->debug & HS_GC_DEBUG_COLLECTABLE)
    for (g = unreachable.next; g != &unreachable; g = g->next)
      gc_debug_cycle (vm, "collectable", HS_GC_OBJECT (g));

  /* Finalizers, then the resurrection check. */
  if (ev && vm->builtins != NULL)
    gc_emit_list (vm, &unreachable, HS_GC_PHASE_FINALIZERS, generation, false,
                  SELECT_FINALIZABLE);
  if (gc_finalize_garbage (vm, &unreachable) > 0)
    {
      /* Recompute reachability inside the set: what a finalizer made reachable
       * again survives and moves up; the rest is still garbage. */
      for (g = unreachable.next; g != &unreachable; g = g->next)
        g->gc_flags = 0;
      gc_deduce_unreachable (vm, &unreachable, &final_unreachable, generation, false);
      if (!gc_list_is_empty (&unreachable))
        {
          if (ev)
            gc_emit_list (vm, &unreachable, HS_GC_PHASE_RESURRECTED, generation, false,
                          SELECT_ALL);
          if (hs_hooked (vm, HS_EV_GC_RESURRECT))
            for (g = unreachable.next; g != &unreachable; g = g->next)
              gc_emit_object (vm, HS_EV_GC_RESURRECT, HS_GC_OBJECT (g));
        }
      gc_promote_list (vm, &unreachable, old, old_gen, ev);
    }
  else
    {
      gc_list_init (&final_unreachable);
      gc_list_merge (&unreachable, &final_unreachable);
    }

  /* Clear the rest: their refcounts fall to zero and they are freed. */
  m += hs_gc_list_size (&final_unreachable);
  if (ev)
    gc_emit_list (vm, &final_unreachable, HS_GC_PHASE_CLEAR, generation, false, SELECT_ALL);
  gc_delete_garbage (vm, &final_unreachable, old, old_gen, ev);

  if (gc->debug & HS_GC_DEBUG_STATS)
    gc_printf (vm, "gc: done, %" PRId64 " unreachable, %" PRId64 " uncollectable, %.4fs elapsed\n",
               n + m, n, gc_now () - t1);

  if (hs_err_occurred (vm))
    gc_write_unraisable (vm, "in garbage collection", NULL);

  gc->stats[generation].collections++;
  gc->stats[generation].collected += m;
  gc->stats[generation].uncollectable += n;
  if (n_collected != NULL)
    *n_collected = m;
  if (n_uncollectable != NULL)
    *n_uncollectable = n;

  if (hs_hooked (vm, HS_EV_GC_END))
    {
      HsEvent e;
      memset (&e, 0, sizeof e);
      e.kind = HS_EV_GC_END;
      e.u.gc_end.generation = generation;
      e.u.gc_end.collected = m;
      e.u.gc_end.uncollectable = n;
      e.u.gc_end.threshold0 = gc->generations[0].threshold;
      e.u.gc_end.threshold1 = gc->generations[1].threshold;
      e.u.gc_end.threshold2 = gc->generations[2].threshold;
      hs_emit (vm, &e);
    }
  return n + m;
}

void
hs_gc_emit_thresholds (HsVm *vm)
{
  HsEvent e;

  if (!hs_hooked (vm, HS_EV_GC_THRESHOLD))
    return;
  memset (&e, 0, sizeof e);
  e.kind = HS_EV_GC_THRESHOLD;
  e.u.gc_threshold.threshold0 = vm->gc.generations[0].threshold;
  e.u.gc_threshold.threshold1 = vm->gc.generations[1].threshold;
  e.u.gc_threshold.threshold2 = vm->gc.generations[2].threshold;
  hs_emit (vm, &e);
}

/* gc.callbacks: each is called with (phase, info). */
static void
gc_invoke_callbacks (HsVm *vm, const char *phase, int generation, int64_t collected,
                     int64_t uncollectable)
{
  HsGcState *gc = &vm->gc;
  HsObject *list = gc->callbacks;
  HsObject *args[2] = { NULL, NULL };
  HsObject *v;
  size_t i;

  /* The list itself cannot go away: only hs_gc_fini() drops it. */
  if (list == NULL || hs_list_size (list) == 0)
    return;
  args[0] = hs_str_from_cstr (vm, phase);
  args[1] = hs_dict_new (vm);
  if (args[0] == NULL || args[1] == NULL)
    goto out;
#define SET_INFO(key, value) \
  do { \
    v = hs_int_from_i64 (vm, (value)); \
    if (v == NULL || hs_dict_set_str (vm, args[1], key, v) < 0) \
      { hs_xdecref (vm, v); goto out; } \
    hs_decref (vm, v); \
  } while (0)
  SET_INFO ("generation", generation);
  SET_INFO ("collected", collected);
  SET_INFO ("uncollectable", uncollectable);
#undef SET_INFO

  for (i = 0; i < hs_list_size (list); i++)
    {
      HsObject *cb = hs_list_item (list, i);
      HsObject *r;

      if (cb == list)
        {
          hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "'list' object is not callable");
          gc_write_unraisable (vm, "in", cb);
          continue;
        }
      gc_hold (vm, cb);
      r = hs_object_call (vm, cb, args, 2, NULL);
      if (r == NULL)
        gc_write_unraisable (vm, "in", cb);
      else
        hs_decref (vm, r);
      gc_release (vm, cb);
    }

out:
  if (hs_err_occurred (vm))
    gc_write_unraisable (vm, "in garbage collection callback", NULL);
  hs_xdecref (vm, args[0]);
  hs_xdecref (vm, args[1]);
}

static int64_t
gc_collect_with_callback (HsVm *vm, int generation)
{
  int64_t collected = 0, uncollectable = 0, result;

  gc_invoke_callbacks (vm, "start", generation, 0, 0);
  result = gc_collect_main (vm, generation, &collected, &uncollectable);
  gc_invoke_callbacks (vm, "stop", generation, collected, uncollectable);
  return result;
}

/* gc_collect_generations: the oldest generation over its threshold, with the 25% rule
 * for the oldest (a full collection only once pending objects reach a quarter of the
 * long-lived ones). */
static void
gc_collect_generations (HsVm *vm)
{
  HsGcState *gc = &vm->gc;
  int i;

  for (i = HS_GC_GENERATIONS - 1; i >= 0; i--)
    if (gc->generations[i].count > gc->generations[i].threshold)
      {
        if (i == HS_GC_GENERATIONS - 1
            && gc->long_lived_pending < gc->long_lived_total / 4)
          continue;
        gc_collect_with_callback (vm, i);
        break;
      }
}

void
hs_gc_on_alloc (HsVm *vm)
{
  HsGcState *gc = &vm->gc;

  gc_ensure_init (vm);
  gc->generations[0].count++;
  if (gc->generations[0].count > gc->generations[0].threshold
      && gc->enabled
      && gc->generations[0].threshold != 0
      && !gc->collecting
      && !hs_err_occurred (vm))
    {
      gc->collecting = true;
      gc_collect_generations (vm);
      gc->collecting = false;
    }
}

void
hs_gc_on_free (HsVm *vm)
{
  if (vm->gc.generations[0].count > 0)
    vm->gc.generations[0].count--;
}

int64_t
hs_gc_collect (HsVm *vm, int generation)
{
  HsGcState *gc = &vm->gc;
  int64_t n;

  if (generation < 0 || generation >= HS_GC_GENERATIONS)
    {
      hs_err_format (vm, HS_EXC (vm, VALUE_ERROR), "invalid generation");
      return -1;
    }
  if (gc->collecting)
    return 0;
  gc->collecting = true;
  n = gc_collect_with_callback (vm, generation);
  gc->collecting = false;
  return n;
}

HsFreeCause
hs_gc_free_cause (HsVm *vm)
{
  return vm->gc.clearing ? HS_FREE_GC : HS_FREE_REFCOUNT;
}

/* ---- freeze --------------------------------------------------------------- */

static void
gc_relabel (HsVm *vm, HsGcHead *list, int gen)
{
  bool ev = hs_hooked (vm, HS_EV_TRACK);
  HsGcHead *g;

  for (g = list->next; g != list; g = g->next)
    if (g->generation != gen)
      {
        g->generation = gen;
        if (ev)
          gc_emit_track (vm, HS_GC_OBJECT (g), true, gen);
      }
}

void
hs_gc_freeze (HsVm *vm)
{
  int i;

  gc_ensure_init (vm);
  for (i = 0; i < HS_GC_GENERATIONS; i++)
    {
      gc_relabel (vm, GEN_HEAD (vm, i), HS_GC_PERMANENT);
      gc_list_merge (GEN_HEAD (vm, i), &vm->gc.permanent.head);
      vm->gc.generations[0].count = 0;
    }
}

void
hs_gc_unfreeze (HsVm *vm)
{
  gc_ensure_init (vm);
  gc_relabel (vm, &vm->gc.permanent.head, HS_GC_GENERATIONS - 1);
  gc_list_merge (&vm->gc.permanent.head, GEN_HEAD (vm, HS_GC_GENERATIONS - 1));
}

/* ---- the embedding API ---------------------------------------------------- */

int64_t
hs_vm_collect (HsVm *vm, int generation)
{
  HsObject *pending;
  int64_t n;

  if (generation < 0 || generation >= HS_GC_GENERATIONS)
    return -1;
  /* Called between steps: keep whatever exception the program is raising. */
  pending = hs_err_occurred (vm) ? hs_err_fetch (vm) : NULL;
  n = hs_gc_collect (vm, generation);
  if (n < 0)
    hs_err_clear (vm);
  if (pending != NULL)
    {
      hs_err_set_object (vm, pending);
      hs_decref (vm, pending);
    }
  return n;
}

void
hs_vm_set_gc_enabled (HsVm *vm, bool enabled)
{
  gc_ensure_init (vm);
  vm->gc.enabled = enabled;
}

bool
hs_vm_gc_enabled (HsVm *vm)
{
  gc_ensure_init (vm);
  return vm->gc.enabled;
}

/* ---- start-up and teardown ------------------------------------------------ */

/* gc.garbage and gc.callbacks: runtime slots keyed by the list's id, like the
 * collector's temporary holds (the lists themselves are never held that way). */
static HsObject *
gc_new_owned_list (HsVm *vm, const char *label)
{
  HsObject *list = hs_list_new (vm, 0);

  if (list == NULL)
    {
      hs_err_clear (vm);
      return NULL;
    }
  if (hs_hooked (vm, HS_EV_REF))
    hs_emit_ref (vm, HS_HOLDER_RUNTIME, 0, list->id, label, NULL, list);
  return list;
}

static void
gc_drop_owned_list (HsVm *vm, HsObject **field, const char *label)
{
  HsObject *list = *field;

  if (list == NULL)
    return;
  *field = NULL;
  if (hs_hooked (vm, HS_EV_REF))
    hs_emit_ref (vm, HS_HOLDER_RUNTIME, 0, list->id, label, list, NULL);
  hs_decref (vm, list);
}

void
hs_gc_init (HsVm *vm)
{
  gc_ensure_init (vm);
  if (vm->gc.garbage == NULL)
    vm->gc.garbage = gc_new_owned_list (vm, "gc.garbage");
  if (vm->gc.callbacks == NULL)
    vm->gc.callbacks = gc_new_owned_list (vm, "gc.callbacks");
}

static void
gc_empty_list (HsVm *vm, HsObject *list)
{
  if (list != NULL && list->type->clear != NULL && hs_list_size (list) > 0)
    list->type->clear (vm, list);
}

/* The last collections: every cycle (and gc.garbage's contents) is freed, so that only
 * what the VM itself still holds is left for its own teardown. */
void
hs_gc_fini (HsVm *vm)
{
  HsGcState *gc = &vm->gc;
  int round;

  gc_ensure_init (vm);
  gc->debug = 0;
  gc->enabled = false;
  hs_gc_unfreeze (vm);
  if (hs_err_occurred (vm))
    hs_err_clear (vm);
  gc_empty_list (vm, gc->callbacks);
  gc_empty_list (vm, gc->garbage);
  for (round = 0; round < 2; round++)
    {
      int tries = 0;

      /* Finalizers may make new garbage: repeat while collections find some. */
      while (tries++ < 16 && !gc->collecting)
        {
          int64_t n;

          gc->collecting = true;
          n = gc_collect_main (vm, HS_GC_GENERATIONS - 1, NULL, NULL);
          gc->collecting = false;
          gc_empty_list (vm, gc->garbage);
          if (n == 0)
            break;
        }
      if (round == 0)
        {
          gc_drop_owned_list (vm, &gc->garbage, "gc.garbage");
          gc_drop_owned_list (vm, &gc->callbacks, "gc.callbacks");
        }
    }
}
