/* fuzz-trace.c — libFuzzer target: event streams the runtime could produce, fed to the trace model. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The fuzz bytes drive a small simulated heap (objects with exact refcounts, reference
 * slots, a frame stack, collections), which publishes the events a real run would:
 * ALLOC, REF (increment new target, store, emit, then decrement old), FREE when the
 * count reaches zero, CALL/RETURN with their locals released first, LINE, EXCEPTION,
 * TRACK, OUTPUT, ROOT and whole GC_START..GC_END sequences.  The recorder encodes them,
 * hs_trace_sync() indexes them (also part way), and the model is then moved to
 * positions and asked every query.  Nothing may crash, and since the stream is
 * consistent, hs_trace_model_check() must hold at the end. */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hs-trace.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

#define MAX_OBJS   256
#define MAX_SLOTS  512
#define MAX_FRAMES 32

typedef struct {
  HsId    id;
  int64_t refcnt;
  bool    alive;
  bool    immortal;
  bool    newborn;   /* the creation reference, held by "C code" until first stored */
  bool    tracked;
} SimObj;

typedef struct {
  HsHolderKind kind;
  HsId         holder;
  uint64_t     slot;
  HsId         target;
  const char  *name;
} SimSlot;

typedef struct {
  const uint8_t *p, *end;
  HsTraceRecorder *rec;
  HsTrace *trace;
  uint64_t seq;
  HsId next_id;
  SimObj objs[MAX_OBJS];
  size_t n_objs;
  SimSlot slots[MAX_SLOTS];
  size_t n_slots;
  HsId frames[MAX_FRAMES];
  uint32_t lines[MAX_FRAMES];
  size_t depth;
  HsId globals;
} Sim;

static const char *type_names[] = { "int", "str", "list", "dict", "tuple", "float", "set",
                                    "function", "Node", "cell", "NoneType", "code" };
static const char *names[] = { "x", "y", "items", "self", "next", "value", "__class__",
                               "temporary", "closure", "iterable", NULL, "" };

static unsigned
take (Sim *s)
{
  return s->p < s->end ? *s->p++ : 0;
}

static unsigned
take16 (Sim *s)
{
  return take (s) | (take (s) << 8);
}

static void
emit (Sim *s, HsEvent *ev)
{
  ev->seq = ++s->seq;
  ev->frame = s->depth ? s->frames[s->depth - 1] : 0;
  ev->line = s->depth ? s->lines[s->depth - 1] : 0;
  hs_trace_recorder_add (s->rec, ev);
}

static SimObj *
find_obj (Sim *s, HsId id)
{
  for (size_t i = 0; i < s->n_objs; i++)
    if (s->objs[i].id == id)
      return &s->objs[i];
  return NULL;
}

static SimObj *
pick_live (Sim *s)
{
  size_t n = 0, k;

  for (size_t i = 0; i < s->n_objs; i++)
    n += s->objs[i].alive;
  if (n == 0)
    return NULL;
  k = take (s) % n;
  for (size_t i = 0; i < s->n_objs; i++)
    if (s->objs[i].alive && k-- == 0)
      return &s->objs[i];
  return NULL;
}

static void free_obj (Sim *s, SimObj *o, HsFreeCause cause);

/* A slot changes from its old target to `target`: incref and store, emit, decref. */
static void
set_slot (Sim *s, size_t si, HsId target)
{
  SimSlot *sl = &s->slots[si];
  SimObj *old = sl->target ? find_obj (s, sl->target) : NULL;
  SimObj *nw = target ? find_obj (s, target) : NULL;
  HsEvent ev;

  if (nw != NULL)
    {
      if (nw->newborn)
        nw->newborn = false;   /* the creation reference moves into the slot */
      else if (!nw->immortal)
        nw->refcnt++;
    }
  sl->target = target;
  memset (&ev, 0, sizeof ev);
  ev.kind = HS_EV_REF;
  ev.u.ref.holder_kind = sl->kind;
  ev.u.ref.holder = sl->holder;
  ev.u.ref.slot = sl->slot;
  ev.u.ref.name = sl->name;
  ev.u.ref.old_target = old ? old->id : 0;
  ev.u.ref.new_target = target;
  if (old != NULL && !old->immortal)
    old->refcnt--;
  ev.u.ref.old_refcnt = old ? (old->immortal ? 1000000 : old->refcnt) : 0;
  ev.u.ref.new_refcnt = nw ? (nw->immortal ? 1000000 : nw->refcnt) : 0;
  emit (s, &ev);
  if (old != NULL && !old->immortal && old->refcnt == 0 && !old->newborn)
    free_obj (s, old, HS_FREE_REFCOUNT);
}

/* Releases every slot held by `holder` (a container being freed, or a frame popping). */
static void
release_holder (Sim *s, HsId holder)
{
  /* Last to first; a cascade may reshuffle the table, so search again each time. */
  for (;;)
    {
      size_t i = s->n_slots;

      while (i-- > 0)
        if (s->slots[i].holder == holder && s->slots[i].target != 0)
          break;
      if (i == (size_t) -1)
        break;
      set_slot (s, i, 0);
    }
  /* Drop the empty slots of this holder. */
  size_t k = 0;
  for (size_t i = 0; i < s->n_slots; i++)
    if (s->slots[i].holder != holder)
      s->slots[k++] = s->slots[i];
  s->n_slots = k;
}

static void
free_obj (Sim *s, SimObj *o, HsFreeCause cause)
{
  HsEvent ev;
  HsId id = o->id;

  if (!o->alive)
    return;
  o->alive = false;   /* no reentry through a cycle */
  release_holder (s, id);
  memset (&ev, 0, sizeof ev);
  ev.kind = HS_EV_FREE;
  ev.u.free.id = id;
  ev.u.free.cause = cause;
  emit (s, &ev);
}

static void
do_alloc (Sim *s)
{
  HsEvent ev;
  SimObj *o;
  unsigned b = take (s);

  if (s->n_objs == MAX_OBJS)
    {
      /* Reuse the record of a freed object (its id is never reused). */
      size_t i;
      for (i = 0; i < s->n_objs && s->objs[i].alive; i++)
        ;
      if (i == s->n_objs)
        return;
      o = &s->objs[i];
    }
  else
    o = &s->objs[s->n_objs++];
  memset (o, 0, sizeof *o);
  o->id = s->next_id++;
  o->alive = true;
  o->immortal = (b & 7) == 0;
  o->tracked = (b & 8) != 0;
  o->newborn = !o->immortal;
  o->refcnt = o->immortal ? 1000000 : 1;
  memset (&ev, 0, sizeof ev);
  ev.kind = HS_EV_ALLOC;
  ev.u.alloc.id = o->id;
  ev.u.alloc.type_name = type_names[(b >> 4) % (sizeof type_names / sizeof type_names[0])];
  ev.u.alloc.size = 16 + take (s) * 8;
  ev.u.alloc.tracked = o->tracked;
  ev.u.alloc.immortal = o->immortal;
  ev.u.alloc.describe = (b & 0x40) ? "[1, 2, 3]" : NULL;
  emit (s, &ev);
}

static void
do_ref (Sim *s)
{
  unsigned b = take (s);
  SimObj *target = (b & 1) ? NULL : pick_live (s);
  size_t si;

  if ((b & 2) && s->n_slots > 0)
    si = take16 (s) % s->n_slots;   /* an existing slot */
  else
    {
      SimSlot sl;
      unsigned kind = (b >> 2) % (HS_HOLDER_RUNTIME + 1);
      SimObj *h;

      if (s->n_slots == MAX_SLOTS)
        return;
      memset (&sl, 0, sizeof sl);
      sl.kind = kind;
      sl.slot = take (s) % 8;
      sl.name = names[take (s) % (sizeof names / sizeof names[0])];
      switch (kind)
        {
        case HS_HOLDER_LOCAL:
        case HS_HOLDER_STACK:
          if (s->depth == 0)
            return;
          sl.holder = s->frames[s->depth - 1];
          break;
        case HS_HOLDER_GLOBAL:
          sl.holder = s->globals;
          break;
        case HS_HOLDER_RUNTIME:
          sl.holder = 0;
          break;
        case HS_HOLDER_INTERNAL:
          if ((b & 0x80) && s->depth > 0)
            {
              sl.holder = s->frames[s->depth - 1];
              break;
            }
          /* fall through */
        default:
          h = pick_live (s);
          if (h == NULL)
            return;
          sl.holder = h->id;
          if (kind == HS_HOLDER_KEY || kind == HS_HOLDER_VALUE || kind == HS_HOLDER_GLOBAL
              || kind == HS_HOLDER_ATTR)
            {
              SimObj *k = pick_live (s);
              sl.slot = k ? k->id : 1;
            }
          break;
        }
      /* One slot per (kind, holder, slot). */
      for (size_t i = 0; i < s->n_slots; i++)
        if (s->slots[i].kind == sl.kind && s->slots[i].holder == sl.holder
            && s->slots[i].slot == sl.slot)
          {
            set_slot (s, i, target ? target->id : 0);
            return;
          }
      s->slots[s->n_slots] = sl;
      si = s->n_slots++;
    }
  set_slot (s, si, target ? target->id : 0);
}

static void
do_call (Sim *s)
{
  HsEvent ev;
  static const char *fnames[] = { "<module>", "greet", "<lambda>", "<listcomp>", "f" };

  if (s->depth == MAX_FRAMES)
    return;
  memset (&ev, 0, sizeof ev);
  ev.kind = HS_EV_CALL;
  ev.u.call.frame = s->next_id++;
  ev.u.call.parent = s->depth ? s->frames[s->depth - 1] : 0;
  ev.u.call.function = 0;
  ev.u.call.name = fnames[take (s) % 5];
  ev.u.call.line = 1 + take (s);
  s->frames[s->depth] = ev.u.call.frame;
  s->lines[s->depth] = ev.u.call.line;
  s->depth++;
  emit (s, &ev);
}

static void
do_return (Sim *s)
{
  HsEvent ev;
  HsId f;

  if (s->depth == 0)
    return;
  f = s->frames[s->depth - 1];
  release_holder (s, f);
  memset (&ev, 0, sizeof ev);
  ev.kind = HS_EV_RETURN;
  ev.u.ret.frame = f;
  emit (s, &ev);
  s->depth--;
}

static void
do_gc (Sim *s)
{
  HsEvent ev;
  HsId ids[16];
  int64_t values[16];
  size_t n = 0;
  int gen = take (s) % 3;
  int64_t collected = 0;

  memset (&ev, 0, sizeof ev);
  ev.kind = HS_EV_GC_START;
  ev.u.gc_start.generation = gen;
  ev.u.gc_start.count0 = take (s);
  ev.u.gc_start.threshold0 = take (s) % 3 == 0 ? 0 : 700;
  ev.u.gc_start.threshold1 = take (s) % 20;
  ev.u.gc_start.threshold2 = 10;
  emit (s, &ev);
  for (unsigned k = take (s) % 16; k > 0; k--)
    {
      SimObj *o = pick_live (s);
      if (o != NULL && o->tracked)
        {
          ids[n] = o->id;
          values[n] = o->refcnt - (take (s) % 3);
          n++;
        }
    }
  for (int ph = HS_GC_PHASE_UPDATE_REFS; ph <= HS_GC_PHASE_PROMOTE; ph++)
    {
      size_t m = n ? take (s) % (n + 1) : 0;

      if (take (s) & 1)
        continue;
      memset (&ev, 0, sizeof ev);
      ev.kind = HS_EV_GC_PHASE;
      ev.u.gc_phase.phase = ph;
      ev.u.gc_phase.generation = gen;
      ev.u.gc_phase.n = ph <= HS_GC_PHASE_SUBTRACT_REFS ? n : m;
      ev.u.gc_phase.ids = ids;
      ev.u.gc_phase.values = ph <= HS_GC_PHASE_SUBTRACT_REFS ? values : NULL;
      emit (s, &ev);
      if (ph == HS_GC_PHASE_FINALIZERS && m > 0)
        {
          memset (&ev, 0, sizeof ev);
          ev.kind = (take (s) & 1) ? HS_EV_GC_FINALIZE : HS_EV_GC_RESURRECT;
          ev.u.gc_object.id = ids[0];
          emit (s, &ev);
        }
      if (ph == HS_GC_PHASE_CLEAR && m > 0 && (take (s) & 1))
        {
          /* Clearing: the collected objects drop what they hold; whatever reaches
           * zero is freed by refcount, the rest by the collector. */
          SimObj *o = find_obj (s, ids[0]);
          if (o != NULL && o->alive)
            {
              release_holder (s, o->id);
              if (o->alive && o->refcnt == 0)
                free_obj (s, o, HS_FREE_GC);
              collected++;
            }
        }
    }
  memset (&ev, 0, sizeof ev);
  ev.kind = HS_EV_GC_END;
  ev.u.gc_end.generation = gen;
  ev.u.gc_end.collected = collected;
  ev.u.gc_end.threshold0 = take (s);
  ev.u.gc_end.threshold1 = 10;
  ev.u.gc_end.threshold2 = -(int64_t) take (s);
  emit (s, &ev);
}

static void
simulate (Sim *s)
{
  HsEvent ev;

  memset (&ev, 0, sizeof ev);
  ev.kind = HS_EV_ALLOC;
  s->globals = s->next_id++;
  ev.u.alloc.id = s->globals;
  ev.u.alloc.type_name = "dict";
  ev.u.alloc.size = 64;
  ev.u.alloc.tracked = true;
  emit (s, &ev);
  memset (&ev, 0, sizeof ev);
  ev.kind = HS_EV_ROOT;
  ev.u.root.id = s->globals;
  ev.u.root.name = "globals";
  emit (s, &ev);

  while (s->p < s->end)
    {
      unsigned op = take (s);

      switch (op % 16)
        {
        case 0: case 1: case 2:
          do_alloc (s);
          break;
        case 3: case 4: case 5: case 6:
          do_ref (s);
          break;
        case 7:
          do_call (s);
          break;
        case 8:
          do_return (s);
          break;
        case 9: case 10:
          if (s->depth)
            {
              memset (&ev, 0, sizeof ev);
              ev.kind = HS_EV_LINE;
              s->lines[s->depth - 1] = 1 + take (s);
              ev.u.line.line = s->lines[s->depth - 1];
              emit (s, &ev);
            }
          break;
        case 11:
          {
            SimObj *o = pick_live (s);
            if (o == NULL)
              break;
            memset (&ev, 0, sizeof ev);
            ev.kind = HS_EV_EXCEPTION;
            ev.u.exception.exc = o ? o->id : 0;
            ev.u.exception.type_name = "ValueError";
            ev.u.exception.message = (op & 0x10) ? "" : "bad value";
            emit (s, &ev);
          }
          break;
        case 12:
          {
            SimObj *o = pick_live (s);
            if (o != NULL)
              {
                memset (&ev, 0, sizeof ev);
                ev.kind = HS_EV_TRACK;
                o->tracked = (op & 0x10) != 0;
                ev.u.track.id = o->id;
                ev.u.track.tracked = o->tracked;
                ev.u.track.generation = o->tracked ? (int) (take (s) % 4) : -1;
                emit (s, &ev);
              }
          }
          break;
        case 13:
          do_gc (s);
          break;
        case 14:
          if (op & 0x20)
            {
              /* gc.set_threshold(): any values the program passed. */
              memset (&ev, 0, sizeof ev);
              ev.kind = HS_EV_GC_THRESHOLD;
              ev.u.gc_threshold.threshold0 = (int64_t) take (s) << 24 | take (s);
              ev.u.gc_threshold.threshold1 = take (s);
              ev.u.gc_threshold.threshold2 = (op & 0x40) ? INT64_MAX : 0;
              emit (s, &ev);
              break;
            }
          {
            char text[32];
            size_t len = take (s) % sizeof text;
            for (size_t i = 0; i < len; i++)
              text[i] = (char) take (s);
            memset (&ev, 0, sizeof ev);
            ev.kind = HS_EV_OUTPUT;
            ev.u.output.stream = (op & 0x10) ? HS_STREAM_STDERR : HS_STREAM_STDOUT;
            ev.u.output.text = text;
            ev.u.output.len = len;
            emit (s, &ev);
          }
          break;
        case 15:
          /* Index what was recorded so far, part way through the run. */
          hs_trace_sync_some (s->trace, take (s));
          break;
        }
    }
  /* Teardown: frames pop, then everything left is released. */
  while (s->depth > 0)
    do_return (s);
}

static void
query_everything (HsTraceModel *model, HsId id)
{
  GArray *a;
  GPtrArray *p;

  a = hs_trace_model_referrers (model, id);
  if (a) g_array_unref (a);
  a = hs_trace_model_referents (model, id);
  if (a) g_array_unref (a);
  a = hs_trace_model_retainer_path (model, id);
  if (a) g_array_unref (a);
  (void) hs_trace_model_is_garbage (model, id);
  (void) hs_trace_model_retained_size (model, id);
  (void) hs_trace_model_idom (model, id);
  p = hs_trace_model_cycles (model);
  if (p) g_ptr_array_unref (p);
  a = hs_trace_model_garbage (model);
  if (a) g_array_unref (a);
}

static void
inspect (HsTraceModel *model)
{
  guint n = hs_trace_model_get_n_objects (model);
  HsTraceMismatch mm;

  for (guint i = 0; i < n; i++)
    {
      const HsTraceObject *o = hs_trace_model_get_object (model, i);
      (void) hs_trace_model_type_name (model, o);
      (void) hs_trace_model_describe (model, o);
      (void) hs_trace_model_object_gc_flags (model, o);
    }
  for (guint i = 0; i < hs_trace_model_get_n_freed (model); i++)
    (void) hs_trace_model_type_name (model, hs_trace_model_get_freed (model, i));
  for (guint i = 0; i < hs_trace_model_get_n_frames (model); i++)
    {
      const HsTraceFrame *f = hs_trace_model_get_frame (model, i);
      GArray *a = hs_trace_model_frame_refs (model, f->id);
      (void) hs_trace_model_frame_name (model, f);
      if (a) g_array_unref (a);
    }
  for (guint i = 0; i < hs_trace_model_get_n_refs (model); i++)
    g_free (hs_trace_model_ref_label (model, hs_trace_model_get_ref (model, i)));
  (void) hs_trace_model_check (model, &mm);
}

static gboolean
count_event (const HsEvent *event, gpointer user_data)
{
  (*(guint64 *) user_data)++;
  return TRUE;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  Sim *s = calloc (1, sizeof *s);
  HsTraceModel *model;
  HsTraceMismatch mm;
  guint64 n_events, n_steps, seen = 0;
  const uint8_t *seeks;
  size_t split;

  if (s == NULL)
    abort ();
  /* The last quarter of the input chooses where the model goes. */
  split = size - size / 4;
  seeks = data + split;
  s->p = data;
  s->end = data + split;
  s->next_id = 1;
  s->trace = hs_trace_new ();
  hs_trace_set_checkpoint_policy (s->trace, 1 + (size % 64), 1, 1 + (size % 256), G_MAXUINT);
  s->rec = hs_trace_recorder_new (s->trace);
  simulate (s);
  hs_trace_recorder_finish (s->rec);
  hs_trace_sync (s->trace);

  n_events = hs_trace_get_n_events (s->trace);
  n_steps = hs_trace_get_n_steps (s->trace);
  if (n_events != s->seq)
    {
      fprintf (stderr, "fuzz-trace: %" G_GUINT64_FORMAT " events indexed, %" G_GUINT64_FORMAT " recorded\n",
               n_events, (guint64) s->seq);
      abort ();
    }
  hs_trace_foreach_event (s->trace, 0, n_events, count_event, &seen);
  if (seen != n_events)
    {
      fprintf (stderr, "fuzz-trace: foreach gave %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT " events\n",
               seen, n_events);
      abort ();
    }
  for (guint i = 0; i < hs_trace_get_n_collections (s->trace); i++)
    (void) hs_trace_get_collection (s->trace, i);
  for (guint64 st = 1; st <= n_steps && st < 4; st++)
    (void) hs_trace_get_step_event (s->trace, st);

  model = hs_trace_model_new (s->trace);
  /* Play the whole run forward: the simulated stream is consistent, so the
   * invariant must hold at the end. */
  hs_trace_model_seek_event_quiet (model, n_events);
  if (!hs_trace_model_check (model, &mm))
    {
      fprintf (stderr, "fuzz-trace: model check failed at event %" G_GUINT64_FORMAT
               ": object %" G_GUINT64_FORMAT " expected %" G_GINT64_FORMAT " counted %" G_GINT64_FORMAT " (%s)\n",
               mm.event, mm.id, mm.expected, mm.counted, mm.what ? mm.what : "?");
      abort ();
    }
  inspect (model);
  for (const uint8_t *q = seeks; q + 2 <= data + size; q += 3)
    {
      guint64 pos = (q[0] | (q[1] << 8)) % (n_events + 2);
      unsigned how = q + 2 < data + size ? q[2] : 0;

      switch (how % 4)
        {
        case 0:
          hs_trace_model_seek_event_quiet (model, pos);
          break;
        case 1:
          hs_trace_model_seek_event (model, pos);
          break;
        case 2:
          hs_trace_model_seek_step (model, n_steps ? pos % (n_steps + 2) : pos);
          break;
        case 3:
          for (unsigned k = 0; k < (how >> 2) && hs_trace_model_next_event (model); k++)
            ;
          break;
        }
      inspect (model);
      if (s->next_id > 1)
        query_everything (model, 1 + (how % s->next_id));
    }
  g_object_unref (model);

  {
    FILE *out = fopen ("/dev/null", "w");
    if (out != NULL)
      {
        hs_trace_write_jsonl (s->trace, out, "<fuzz>", "ok", NULL);
        fclose (out);
      }
  }
  hs_trace_recorder_free (s->rec);
  hs_trace_unref (s->trace);
  free (s);
  return 0;
}
