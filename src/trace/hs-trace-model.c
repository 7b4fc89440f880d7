/* hs-trace-model.c — the program's state at one point of a trace: objects, frames, references. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "hs-trace-private.h"

G_DEFINE_FINAL_TYPE (HsTraceModel, hs_trace_model, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_EVENT,
  PROP_STEP,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static void model_restore (HsTraceModel *self, const HsTraceCheckpoint *cp);
static guint signals[N_SIGNALS];

/* ---- the id map: id -> object or frame ------------------------------------------- */

static inline guint32
idmap_get (HsTraceModel *self, HsId id)
{
  return hs_trace_idmap_get (self, id);
}

static void idmap_set (HsTraceModel *self, HsId id, guint32 v);

static void
idmap_resize (HsTraceModel *self, gsize cap)
{
  HsTraceIdSlot *old = self->idmap;
  gsize old_cap = self->idmap_cap, i;

  self->idmap = g_new0 (HsTraceIdSlot, cap);
  hs_trace_advise_huge (self->idmap, cap * sizeof *self->idmap);
  self->idmap_cap = cap;
  self->idmap_n = 0;
  for (i = 0; i < old_cap; i++)
    if (old[i].id != 0)
      idmap_set (self, old[i].id, old[i].v);
  g_free (old);
}

/* Forgets every id (a checkpoint restore rebuilds the map). */
static void
idmap_clear (HsTraceModel *self)
{
  if (self->idmap != NULL)
    memset (self->idmap, 0, self->idmap_cap * sizeof *self->idmap);
  self->idmap_n = 0;
}

/* Removes entry i, moving later entries of its run back (no tombstones). */
static void
idmap_delete_at (HsTraceModel *self, gsize i)
{
  gsize mask = self->idmap_cap - 1, j = i;

  for (;;)
    {
      gsize k;

      j = (j + 1) & mask;
      if (self->idmap[j].id == 0)
        break;
      k = hs_trace_id_home (self->idmap[j].id, self->idmap_cap);
      /* Leave j alone when its home lies cyclically in (i, j]. */
      if ((i <= j) ? (i < k && k <= j) : (i < k || k <= j))
        continue;
      self->idmap[i] = self->idmap[j];
      i = j;
    }
  self->idmap[i].id = 0;
  self->idmap[i].v = 0;
  self->idmap_n--;
}

/* Sets the value of id; 0 removes it. */
static void
idmap_set (HsTraceModel *self, HsId id, guint32 v)
{
  gsize mask, i;

  if (G_UNLIKELY ((self->idmap_n + 1) * 2 > self->idmap_cap))
    {
      if (v == 0)
        {
          if (self->idmap_cap == 0)
            return;
        }
      else
        idmap_resize (self, MAX (self->idmap_cap * 2, 1024));
    }
  mask = self->idmap_cap - 1;
  for (i = hs_trace_id_home (id, self->idmap_cap);; i = (i + 1) & mask)
    {
      HsTraceIdSlot *e = &self->idmap[i];
      if (e->id == id)
        {
          if (v != 0)
            e->v = v;
          else
            idmap_delete_at (self, i);
          return;
        }
      if (e->id == 0)
        {
          if (v != 0)
            {
              e->id = id;
              e->v = v;
              self->idmap_n++;
            }
          return;
        }
    }
}

static inline HsTraceObject *
obj_get (HsTraceModel *self, HsId id)
{
  guint32 v = idmap_get (self, id);

  if (v == 0 || (v & HS_TRACE_FRAME_BIT))
    return NULL;
  return &g_array_index (self->objs, HsTraceObject, v - 1);
}

static inline HsTraceFrame *
frame_get (HsTraceModel *self, HsId id)
{
  guint32 v = idmap_get (self, id);

  if ((v & HS_TRACE_FRAME_BIT) == 0)
    return NULL;
  return &g_array_index (self->frames, HsTraceFrame, (v & ~HS_TRACE_FRAME_BIT) - 1);
}

static HsTraceObject *
obj_add (HsTraceModel *self, HsId id)
{
  HsTraceObject o = { 0 };

  o.id = id;
  o.alloc_event = G_MAXUINT64;
  o.free_event = G_MAXUINT64;
  o.generation = -1;
  hs_trace_vec_append_val (self->objs, o);
  idmap_set (self, id, self->objs->len);
  return &g_array_index (self->objs, HsTraceObject, self->objs->len - 1);
}

/* An object referenced before its ALLOC (made before recording began). */
static HsTraceObject *
obj_get_or_unknown (HsTraceModel *self, HsId id)
{
  HsTraceObject *o = obj_get (self, id);

  if (o == NULL)
    {
      o = obj_add (self, id);
      o->flags = HS_TRACE_OBJ_UNKNOWN;
      o->type_name = G_MAXUINT32;
    }
  return o;
}

static void
obj_remove (HsTraceModel *self, HsTraceObject *o)
{
  guint i = (guint) (o - (HsTraceObject *) self->objs->data);
  guint last = self->objs->len - 1;

  idmap_set (self, o->id, 0);
  if (i != last)
    {
      HsTraceObject *m = &g_array_index (self->objs, HsTraceObject, last);
      *o = *m;
      idmap_set (self, o->id, i + 1);
    }
  hs_trace_vec_truncate (self->objs, last);
}

/* ---- the reference table: (kind, holder, slot) -> ref ------------------------------ */

/* A table entry is the ref's index + 1 (0: empty) in its low half and the key's hash
 * in its high half: a probe compares hashes, so it reads the ref (a cache miss on a
 * big heap) only when they match, and a moved entry's home needs no read at all. */
#define RT_INDEX(e) ((guint32) (e))
#define RT_HASH(e)  ((guint32) ((e) >> 32))
#define RT_ENTRY(hash, index) (((guint64) (hash) << 32) | (guint32) (index))

/* A list's or tuple's items (slots 0, 1, 2, ... of one holder) hash in runs of four,
 * so neighbours share a cache line when a long seek replays a big list; other keys
 * scatter, which keeps the probe runs of small tables short. */
static inline guint32
ref_hash (guint kind, HsId holder, guint64 slot)
{
  guint run = kind == HS_HOLDER_ITEM ? 3 : 0;
  guint64 h = holder * G_GUINT64_CONSTANT (0x9E3779B97F4A7C15);

  h ^= ((slot & ~(guint64) run) + kind * G_GUINT64_CONSTANT (0x632BE59BD9B4E019))
       * G_GUINT64_CONSTANT (0xC2B2AE3D27D4EB4F);
  h ^= h >> 31;
  return ((guint32) h & ~run) | (guint32) (slot & run);
}

static inline HsTraceRef *
ref_at (HsTraceModel *self, guint64 e)
{
  return &g_array_index (self->refs, HsTraceRef, RT_INDEX (e) - 1);
}

/* Position of the key, whose ref_hash() is `hash`, or of the empty entry where it
 * would go (with RT_ENTRY (hash, ...)). */
static gsize
rtab_find_hashed (HsTraceModel *self, guint32 hash, guint kind, HsId holder, guint64 slot,
                  gboolean *found)
{
  gsize mask = self->rtab_cap - 1;
  gsize i = hash & mask;

  for (;; i = (i + 1) & mask)
    {
      guint64 e = self->rtab[i];
      HsTraceRef *r;

      if (e == 0)
        {
          *found = FALSE;
          return i;
        }
      if (RT_HASH (e) != hash)
        continue;
      r = ref_at (self, e);
      if (r->holder == holder && r->slot == slot && r->holder_kind == kind)
        {
          *found = TRUE;
          return i;
        }
    }
}

static gsize
rtab_find (HsTraceModel *self, guint kind, HsId holder, guint64 slot, gboolean *found)
{
  return rtab_find_hashed (self, ref_hash (kind, holder, slot), kind, holder, slot, found);
}

static void
rtab_rebuild (HsTraceModel *self, gsize cap)
{
  guint i;

  g_free (self->rtab);
  self->rtab_cap = cap;
  self->rtab = g_new0 (guint64, cap);
  hs_trace_advise_huge (self->rtab, cap * sizeof *self->rtab);
  for (i = 0; i < self->refs->len; i++)
    {
      HsTraceRef *r = &g_array_index (self->refs, HsTraceRef, i);
      guint32 hash = ref_hash (r->holder_kind, r->holder, r->slot);
      gboolean found;
      gsize pos = rtab_find_hashed (self, hash, r->holder_kind, r->holder, r->slot, &found);

      self->rtab[pos] = RT_ENTRY (hash, i + 1);
    }
}

static void
rtab_delete (HsTraceModel *self, gsize i)
{
  gsize mask = self->rtab_cap - 1;
  gsize j = i;

  for (;;)
    {
      gsize k;

      j = (j + 1) & mask;
      if (self->rtab[j] == 0)
        break;
      k = RT_HASH (self->rtab[j]) & mask;
      /* Move j back to i unless its home lies cyclically in (i, j]. */
      if ((i <= j) ? (i < k && k <= j) : (i < k || k <= j))
        continue;
      self->rtab[i] = self->rtab[j];
      i = j;
    }
  self->rtab[i] = 0;
}

static void
ref_remove (HsTraceModel *self, gsize pos)
{
  guint ri = RT_INDEX (self->rtab[pos]) - 1;
  guint last = self->refs->len - 1;

  rtab_delete (self, pos);
  if (ri != last)
    {
      HsTraceRef *m = &g_array_index (self->refs, HsTraceRef, last);
      gboolean found;
      gsize mpos = rtab_find (self, m->holder_kind, m->holder, m->slot, &found);

      g_assert (found);
      g_array_index (self->refs, HsTraceRef, ri) = *m;
      self->rtab[mpos] = RT_ENTRY (RT_HASH (self->rtab[mpos]), ri + 1);
    }
  hs_trace_vec_truncate (self->refs, last);
}

/* ---- GObject ------------------------------------------------------------------------- */

static void
hs_trace_model_finalize (GObject *object)
{
  HsTraceModel *self = HS_TRACE_MODEL (object);

  hs_trace_reader_clear (&self->reader);
  g_clear_pointer (&self->objs, hs_trace_vec_free);
  g_clear_pointer (&self->freed, hs_trace_vec_free);
  g_clear_pointer (&self->frames, g_array_unref);
  g_clear_pointer (&self->refs, hs_trace_vec_free);
  g_clear_pointer (&self->roots, g_array_unref);
  g_clear_pointer (&self->newborn, g_array_unref);
  g_clear_pointer (&self->idmap, g_free);
  g_clear_pointer (&self->rtab, g_free);
  g_clear_pointer (&self->graph, hs_trace_graph_free);
  g_clear_pointer (&self->near, hs_trace_checkpoint_free);
  g_clear_pointer (&self->int_texts, g_string_chunk_free);
  if (!self->is_indexer && self->trace != NULL)
    hs_trace_unref (self->trace);
  G_OBJECT_CLASS (hs_trace_model_parent_class)->finalize (object);
}

static void
hs_trace_model_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  HsTraceModel *self = HS_TRACE_MODEL (object);

  switch (prop_id)
    {
    case PROP_EVENT:
      g_value_set_uint64 (value, self->st.event);
      break;
    case PROP_STEP:
      g_value_set_uint64 (value, self->st.step);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hs_trace_model_class_init (HsTraceModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hs_trace_model_finalize;
  object_class->get_property = hs_trace_model_get_property;

  properties[PROP_EVENT] =
    g_param_spec_uint64 ("event", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STEP] =
    g_param_spec_uint64 ("step", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Emitted on the model's thread after the state moved (seek, new events). */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

/* The state before any event; the thresholds are CPython's defaults until an
 * event reports others. */
static void
state_reset (HsTraceModelState *st)
{
  memset (st, 0, sizeof *st);
  st->gc_thresholds[0] = 700;
  st->gc_thresholds[1] = 10;
  st->gc_thresholds[2] = 10;
}

static void
hs_trace_model_init (HsTraceModel *self)
{
  state_reset (&self->st);
  self->objs = hs_trace_vec_new (sizeof (HsTraceObject));
  self->freed = hs_trace_vec_new (sizeof (HsTraceObject));
  self->frames = g_array_new (FALSE, FALSE, sizeof (HsTraceFrame));
  self->refs = hs_trace_vec_new (sizeof (HsTraceRef));
  self->roots = g_array_new (FALSE, FALSE, sizeof (HsId));
  self->newborn = g_array_new (FALSE, FALSE, sizeof (HsId));
  self->rtab_cap = 64;
  self->rtab = g_new0 (guint64, self->rtab_cap);
  self->cache_event = G_MAXUINT64;
}

HsTraceModel *
hs_trace_model_new (HsTrace *trace)
{
  HsTraceModel *self;

  g_return_val_if_fail (trace != NULL, NULL);
  self = g_object_new (HS_TYPE_TRACE_MODEL, NULL);
  self->trace = hs_trace_ref (trace);
  hs_trace_reader_init (&self->reader, trace);
  return self;
}

HsTraceModel *
hs_trace_model_new_indexer (HsTrace *trace)
{
  HsTraceModel *self = g_object_new (HS_TYPE_TRACE_MODEL, NULL);

  self->trace = trace;
  self->is_indexer = TRUE;
  hs_trace_reader_init (&self->reader, trace);
  self->reader.define_strings = TRUE;
  return self;
}

/* Switches to another trace (a new run), back at its start. */
void
hs_trace_model_set_trace (HsTraceModel *self, HsTrace *trace)
{
  g_return_if_fail (HS_IS_TRACE_MODEL (self) && !self->is_indexer && trace != NULL);
  model_restore (self, NULL);
  hs_trace_ref (trace);
  hs_trace_reader_clear (&self->reader);
  hs_trace_unref (self->trace);
  self->trace = trace;
  hs_trace_reader_init (&self->reader, trace);
  g_clear_pointer (&self->graph, hs_trace_graph_free);
  self->cache_event = G_MAXUINT64;
}

HsTrace *
hs_trace_model_get_trace (HsTraceModel *self)
{
  g_return_val_if_fail (HS_IS_TRACE_MODEL (self), NULL);
  return self->trace;
}

/* ---- applying events ---------------------------------------------------------------- */

static void
violation (HsTraceModel *self, HsId id, gint64 expected, gint64 counted, const char *what)
{
  if (self->st.has_violation)
    return;
  self->st.has_violation = TRUE;
  self->st.violation.event = self->st.event + 1;
  self->st.violation.id = id;
  self->st.violation.expected = expected;
  self->st.violation.counted = counted;
  self->st.violation.what = what;
}

static inline gboolean
obj_checked (const HsTraceObject *o)
{
  return (o->flags & (HS_TRACE_OBJ_IMMORTAL | HS_TRACE_OBJ_UNKNOWN)) == 0;
}

/* Slack for the runtime's C code: a new object's creation reference, or a
 * reference moved out of a slot into a C variable (reported as if released),
 * may be held for a while without a slot.  Such an object may count one
 * reference more than its slots, until a report shows them equal again. */
static inline void
report_refcnt (HsTraceModel *self, HsTraceObject *o, gint64 refcnt)
{
  o->refcnt = refcnt;
  if (refcnt == (gint64) o->inrefs)
    {
      if (refcnt > 0)
        o->flags &= ~HS_TRACE_OBJ_NEWBORN;
      else if (!(o->flags & HS_TRACE_OBJ_IMMORTAL))
        o->flags |= HS_TRACE_OBJ_NEWBORN;
    }
}

static inline gboolean
counts_agree (const HsTraceObject *o)
{
  gint64 in = (gint64) o->inrefs;

  if (!obj_checked (o))
    return TRUE;
  if (o->flags & HS_TRACE_OBJ_NEWBORN)
    return o->refcnt == in || o->refcnt == in + 1;
  return o->refcnt == in;
}

static inline void
check_one (HsTraceModel *self, const HsTraceObject *o)
{
  if (!counts_agree (o))
    violation (self, o->id, o->refcnt, o->inrefs, "refcount");
}

static void
apply_ref (HsTraceModel *self, const HsTraceDecoded *d)
{
  const HsEvent *ev = &d->ev;
  guint kind = ev->u.ref.holder_kind;
  HsId holder = ev->u.ref.holder, newt = ev->u.ref.new_target;
  guint64 slot = ev->u.ref.slot;
  HsTraceObject *o;
  HsId model_old = 0;

  /* The runtime's own slots are told apart by their label too. */
  if (kind == HS_HOLDER_RUNTIME)
    slot ^= (guint64) d->name_idx << 40;
  guint32 hash = ref_hash (kind, holder, slot);
  gboolean found;
  gsize pos;

  pos = rtab_find_hashed (self, hash, kind, holder, slot, &found);
  if (found)
    model_old = ref_at (self, self->rtab[pos])->target;
  if (model_old != ev->u.ref.old_target)
    violation (self, holder, (gint64) ev->u.ref.old_target, (gint64) model_old, "slot");
  if (model_old != 0 && (o = obj_get (self, model_old)) != NULL && o->inrefs > 0)
    o->inrefs--;

  if (newt != 0)
    {
      HsTraceRef *r;

      if (!found)
        {
          HsTraceRef nr = { 0 };
          guint32 hv;

          nr.holder = holder;
          nr.slot = slot;
          nr.born = self->st.event;
          nr.holder_kind = (guint8) kind;
          if (kind == HS_HOLDER_LOCAL || kind == HS_HOLDER_STACK)
            nr.holder_is_frame = 1;
          else if (kind == HS_HOLDER_RUNTIME || holder == 0)
            nr.holder_is_frame = 2;
          else if (kind == HS_HOLDER_INTERNAL
                   && ((hv = idmap_get (self, holder)) & HS_TRACE_FRAME_BIT) != 0)
            nr.holder_is_frame = 1;
          hs_trace_vec_append_val (self->refs, nr);
          self->rtab[pos] = RT_ENTRY (hash, self->refs->len);
          if (self->refs->len * 2 > self->rtab_cap)
            rtab_rebuild (self, self->rtab_cap * 2);
        }
      r = found ? ref_at (self, self->rtab[pos]) : &g_array_index (self->refs, HsTraceRef,
                                                                   self->refs->len - 1);
      r->target = newt;
      r->name = d->name_idx;
      o = obj_get_or_unknown (self, newt);
      o->inrefs++;
      report_refcnt (self, o, ev->u.ref.new_refcnt);
    }
  else if (found)
    ref_remove (self, pos);

  /* Old after new: when both are the same object, old_refcnt is the final count. */
  if (ev->u.ref.old_target != 0 && (o = obj_get (self, ev->u.ref.old_target)) != NULL)
    {
      report_refcnt (self, o, ev->u.ref.old_refcnt);
      /* A reference moved out of the slot into a C variable: the count still
       * includes it, one above the slots, until a report shows them equal. */
      if (obj_checked (o) && o->refcnt == (gint64) o->inrefs + 1)
        o->flags |= HS_TRACE_OBJ_NEWBORN;
      check_one (self, o);
    }
  if (newt != 0 && (o = obj_get (self, newt)) != NULL)
    check_one (self, o);
}

static void
apply_alloc (HsTraceModel *self, const HsTraceDecoded *d)
{
  const HsEvent *ev = &d->ev;
  HsTraceObject *o = obj_get (self, ev->u.alloc.id);

  if (o == NULL)
    o = obj_add (self, ev->u.alloc.id);
  else if (!(o->flags & HS_TRACE_OBJ_UNKNOWN))
    violation (self, o->id, 0, 1, "alloc");
  o->alloc_event = self->st.event;
  o->type_name = d->type_idx;
  o->size = (guint32) MIN (ev->u.alloc.size, G_MAXUINT32);
  if (ev->u.alloc.has_int)
    {
      o->flags |= HS_TRACE_OBJ_INT;
      o->value.int_value = ev->u.alloc.int_value;
    }
  else
    {
      o->flags &= ~HS_TRACE_OBJ_INT;
      o->value.text = ev->u.alloc.describe;
    }
  o->generation = ev->u.alloc.tracked ? 0 : -1;
  o->state = HS_TRACE_ALIVE;
  o->flags &= ~HS_TRACE_OBJ_UNKNOWN;
  if (ev->u.alloc.tracked)
    {
      o->flags |= HS_TRACE_OBJ_TRACKED;
      self->st.gc_counts[0]++;
    }
  if (ev->u.alloc.immortal)
    o->flags |= HS_TRACE_OBJ_IMMORTAL;
  else if (o->inrefs == 0)
    {
      o->refcnt = 1;
      o->flags |= HS_TRACE_OBJ_NEWBORN;
    }
}

static void
apply_free (HsTraceModel *self, const HsEvent *ev)
{
  HsTraceObject *o = obj_get (self, ev->u.free.id);

  if (o == NULL)
    {
      violation (self, ev->u.free.id, 0, 0, "free of an unknown object");
      return;
    }
  if (o->inrefs != 0 && ev->u.free.cause != HS_FREE_TEARDOWN)
    violation (self, o->id, 0, o->inrefs, "free");
  o->state = HS_TRACE_FREED_REFCOUNT + MIN ((guint) ev->u.free.cause, 2u);
  o->free_event = self->st.event;
  o->flags &= ~HS_TRACE_OBJ_NEWBORN;
  if ((o->flags & HS_TRACE_OBJ_TRACKED) && self->st.gc_counts[0] > 0)
    self->st.gc_counts[0]--;
  hs_trace_vec_append (self->freed, o, 1);
  obj_remove (self, o);
}

static void
frame_remove (HsTraceModel *self, HsId id)
{
  guint32 v = idmap_get (self, id);
  guint i, k;

  if ((v & HS_TRACE_FRAME_BIT) == 0)
    return;
  i = (v & ~HS_TRACE_FRAME_BIT) - 1;
  idmap_set (self, id, 0);
  g_array_remove_index (self->frames, i);
  for (k = i; k < self->frames->len; k++)
    idmap_set (self, g_array_index (self->frames, HsTraceFrame, k).id, HS_TRACE_FRAME_BIT | (k + 1));
}

static void
apply_gc_phase (HsTraceModel *self, const HsEvent *ev)
{
  gsize i;

  for (i = 0; i < ev->u.gc_phase.n; i++)
    {
      HsTraceObject *o = obj_get (self, ev->u.gc_phase.ids[i]);

      if (o == NULL)
        continue;
      if (o->gc_mark != self->st.gc_number)
        {
          o->gc_mark = self->st.gc_number;
          o->gc_flags = 0;
        }
      switch (ev->u.gc_phase.phase)
        {
        case HS_GC_PHASE_UPDATE_REFS:
        case HS_GC_PHASE_SUBTRACT_REFS:
          o->gc_flags |= HS_TRACE_GC_EXAMINED;
          if (ev->u.gc_phase.values != NULL)
            o->gc_refs = ev->u.gc_phase.values[i];
          break;
        case HS_GC_PHASE_UNREACHABLE:
          o->gc_flags |= HS_TRACE_GC_UNREACHABLE;
          break;
        case HS_GC_PHASE_FINALIZERS:
          o->gc_flags |= HS_TRACE_GC_FINALIZING;
          break;
        case HS_GC_PHASE_RESURRECTED:
          o->gc_flags |= HS_TRACE_GC_RESURRECTED;
          o->gc_flags &= ~HS_TRACE_GC_UNREACHABLE;
          break;
        case HS_GC_PHASE_CLEAR:
          o->gc_flags |= HS_TRACE_GC_CLEARED;
          break;
        case HS_GC_PHASE_PROMOTE:
          o->generation = (gint8) ev->u.gc_phase.generation;
          break;
        default:
          break;
        }
    }
}

static void
gc_object_flag (HsTraceModel *self, HsId id, guint8 flag)
{
  HsTraceObject *o = obj_get (self, id);

  if (o == NULL)
    return;
  if (o->gc_mark != self->st.gc_number)
    {
      o->gc_mark = self->st.gc_number;
      o->gc_flags = 0;
    }
  o->gc_flags |= flag;
  if (flag == HS_TRACE_GC_FINALIZING)
    o->flags |= HS_TRACE_OBJ_FINALIZED;
  if (flag == HS_TRACE_GC_RESURRECTED)
    o->gc_flags &= ~HS_TRACE_GC_UNREACHABLE;
}

void
hs_trace_model_apply_decoded (HsTraceModel *self, const HsTraceDecoded *d)
{
  const HsEvent *ev = &d->ev;
  HsTraceModelState *st = &self->st;

  st->cur_frame = ev->frame;
  st->cur_line = ev->line;
  switch (ev->kind)
    {
    case HS_EV_LINE:
      {
        HsTraceFrame *f = frame_get (self, ev->frame);

        guint64 keep_from = st->last_line_event;
        guint kept = 0;

        st->step++;
        st->last_line_event = st->event;
        /* What the line that just ran freed stays visible (it fades out where it
         * stood); anything older goes. */
        for (guint i = 0; i < self->freed->len; i++)
          {
            HsTraceObject *fo = &g_array_index (self->freed, HsTraceObject, i);
            if (fo->free_event >= keep_from)
              g_array_index (self->freed, HsTraceObject, kept++) = *fo;
          }
        hs_trace_vec_truncate (self->freed, kept);
        if (f != NULL)
          f->line = ev->u.line.line;
      }
      break;
    case HS_EV_REF:
      apply_ref (self, d);
      break;
    case HS_EV_ALLOC:
      apply_alloc (self, d);
      break;
    case HS_EV_FREE:
      apply_free (self, ev);
      break;
    case HS_EV_CALL:
      {
        HsTraceFrame f = { 0 };
        f.id = ev->u.call.frame;
        f.parent = ev->u.call.parent;
        f.function = ev->u.call.function;
        f.name = d->str_idx;
        f.first_line = ev->u.call.line;
        f.line = ev->u.call.line;
        f.depth = self->frames->len;
        g_array_append_val (self->frames, f);
        idmap_set (self, f.id, HS_TRACE_FRAME_BIT | self->frames->len);
      }
      break;
    case HS_EV_RETURN:
      frame_remove (self, ev->u.ret.frame);
      break;
    case HS_EV_EXCEPTION:
      st->exc = ev->u.exception.exc;
      st->exc_type = ev->u.exception.type_name;
      st->exc_message = ev->u.exception.message;
      st->exc_line = ev->line;
      break;
    case HS_EV_TRACK:
      {
        HsTraceObject *o = obj_get (self, ev->u.track.id);
        if (o == NULL)
          break;
        if (ev->u.track.tracked)
          {
            if (!(o->flags & HS_TRACE_OBJ_TRACKED) && ev->u.track.generation == 0)
              st->gc_counts[0]++;
            o->flags |= HS_TRACE_OBJ_TRACKED;
            o->generation = (gint8) ev->u.track.generation;
          }
        else
          {
            o->flags &= ~HS_TRACE_OBJ_TRACKED;
            o->generation = -1;
          }
      }
      break;
    case HS_EV_GC_START:
      st->gc_number++;
      st->in_gc = TRUE;
      st->gc_counts[0] = ev->u.gc_start.count0;
      st->gc_counts[1] = ev->u.gc_start.count1;
      st->gc_counts[2] = ev->u.gc_start.count2;
      st->gc_thresholds[0] = ev->u.gc_start.threshold0;
      st->gc_thresholds[1] = ev->u.gc_start.threshold1;
      st->gc_thresholds[2] = ev->u.gc_start.threshold2;
      break;
    case HS_EV_GC_THRESHOLD:
      st->gc_thresholds[0] = ev->u.gc_threshold.threshold0;
      st->gc_thresholds[1] = ev->u.gc_threshold.threshold1;
      st->gc_thresholds[2] = ev->u.gc_threshold.threshold2;
      break;
    case HS_EV_GC_PHASE:
      apply_gc_phase (self, ev);
      break;
    case HS_EV_GC_FINALIZE:
      gc_object_flag (self, ev->u.gc_object.id, HS_TRACE_GC_FINALIZING);
      break;
    case HS_EV_GC_RESURRECT:
      gc_object_flag (self, ev->u.gc_object.id, HS_TRACE_GC_RESURRECTED);
      break;
    case HS_EV_GC_END:
      {
        int g = CLAMP (ev->u.gc_end.generation, 0, 2), i;
        st->in_gc = FALSE;
        st->n_collections++;
        st->gc_thresholds[0] = ev->u.gc_end.threshold0;
        st->gc_thresholds[1] = ev->u.gc_end.threshold1;
        st->gc_thresholds[2] = ev->u.gc_end.threshold2;
        for (i = 0; i <= g; i++)
          st->gc_counts[i] = 0;
        if (g + 1 < 3)
          st->gc_counts[g + 1]++;
      }
      break;
    case HS_EV_OUTPUT:
      st->output_len += ev->u.output.len;
      break;
    case HS_EV_ROOT:
      {
        HsTraceObject *o = obj_get_or_unknown (self, ev->u.root.id);
        o->flags |= HS_TRACE_OBJ_ROOT;
        g_array_append_val (self->roots, ev->u.root.id);
      }
      break;
    default:
      break;
    }
  st->event++;
}

/* ---- checkpoints -------------------------------------------------------------------- */

gsize
hs_trace_model_snapshot_size (HsTraceModel *self)
{
  return sizeof (HsTraceCheckpoint)
         + (self->objs->len + self->freed->len) * sizeof (HsTraceObject)
         + self->frames->len * sizeof (HsTraceFrame)
         + self->refs->len * sizeof (HsTraceRef)
         + (self->roots->len + self->newborn->len) * sizeof (HsId);
}

/* *dst becomes a copy of src's bytes, in its own block when that is already the size:
 * a model's near snapshot, and the tables restored from it, come back again and again
 * at much the same size, and a fresh block of a big heap's size would be faulted in
 * page by page each time. */
static void
copy_into (gpointer *dst, gconstpointer src, gsize bytes)
{
  *dst = g_realloc (*dst, bytes);
  hs_trace_advise_huge (*dst, bytes);
  if (bytes > 0)
    memcpy (*dst, src, bytes);
}

/* Fills cp (new, or an old snapshot of this model's to write over) with the state. */
static HsTraceCheckpoint *
checkpoint_fill (HsTraceCheckpoint *cp, HsTraceModel *self)
{
  cp->st = self->st;
  cp->chunk = self->reader.chunk;
  cp->off = self->reader.off;
  cp->codec = self->reader.codec;
#define COPY(field, arr, type) \
  cp->n_##field = self->arr->len; \
  copy_into ((gpointer *) &cp->field, self->arr->data, self->arr->len * sizeof (type));
  COPY (objs, objs, HsTraceObject);
  COPY (freed, freed, HsTraceObject);
  COPY (frames, frames, HsTraceFrame);
  COPY (refs, refs, HsTraceRef);
  COPY (roots, roots, HsId);
  COPY (newborn, newborn, HsId);
#undef COPY
  cp->bytes = hs_trace_model_snapshot_size (self);
  return cp;
}

HsTraceCheckpoint *
hs_trace_model_save (HsTraceModel *self)
{
  return checkpoint_fill (g_new0 (HsTraceCheckpoint, 1), self);
}

/* The model's near snapshot, written over the old one: with its lookup tables (see
 * HsTraceCheckpoint). */
static void
model_save_near (HsTraceModel *self)
{
  HsTraceCheckpoint *cp = self->near != NULL ? self->near : g_new0 (HsTraceCheckpoint, 1);

  checkpoint_fill (cp, self);
  cp->idmap_cap = self->idmap_cap;
  cp->idmap_n = self->idmap_n;
  copy_into ((gpointer *) &cp->idmap, self->idmap, self->idmap_cap * sizeof *self->idmap);
  cp->rtab_cap = self->rtab_cap;
  copy_into ((gpointer *) &cp->rtab, self->rtab, self->rtab_cap * sizeof *self->rtab);
  self->near = cp;
}

void
hs_trace_checkpoint_free (HsTraceCheckpoint *cp)
{
  g_free (cp->idmap);
  g_free (cp->rtab);
  g_free (cp->objs);
  g_free (cp->freed);
  g_free (cp->frames);
  g_free (cp->refs);
  g_free (cp->roots);
  g_free (cp->newborn);
  g_free (cp);
}

static void
model_restore (HsTraceModel *self, const HsTraceCheckpoint *cp)
{
  guint i;
  gsize cap;

  self->n_restores++;
  hs_trace_vec_truncate (self->objs, 0);
  hs_trace_vec_truncate (self->freed, 0);
  g_array_set_size (self->frames, 0);
  hs_trace_vec_truncate (self->refs, 0);
  g_array_set_size (self->roots, 0);
  g_array_set_size (self->newborn, 0);
  if (cp != NULL)
    {
      hs_trace_vec_append (self->objs, cp->objs, cp->n_objs);
      hs_trace_vec_append (self->freed, cp->freed, cp->n_freed);
      g_array_append_vals (self->frames, cp->frames, cp->n_frames);
      hs_trace_vec_append (self->refs, cp->refs, cp->n_refs);
      g_array_append_vals (self->roots, cp->roots, cp->n_roots);
      g_array_append_vals (self->newborn, cp->newborn, cp->n_newborn);
      self->st = cp->st;
    }
  else
    state_reset (&self->st);
  if (cp != NULL && cp->idmap != NULL)
    {
      copy_into ((gpointer *) &self->idmap, cp->idmap, cp->idmap_cap * sizeof *self->idmap);
      self->idmap_cap = cp->idmap_cap;
      self->idmap_n = cp->idmap_n;
      copy_into ((gpointer *) &self->rtab, cp->rtab, cp->rtab_cap * sizeof *self->rtab);
      self->rtab_cap = cp->rtab_cap;
    }
  else
    {
      idmap_clear (self);
      for (i = 0; i < self->objs->len; i++)
        idmap_set (self, g_array_index (self->objs, HsTraceObject, i).id, i + 1);
      for (i = 0; i < self->frames->len; i++)
        idmap_set (self, g_array_index (self->frames, HsTraceFrame, i).id, HS_TRACE_FRAME_BIT | (i + 1));
      for (cap = 64; cap < self->refs->len * 2 + 2; cap *= 2)
        ;
      rtab_rebuild (self, cap);
    }
  hs_trace_reader_seek_checkpoint (&self->reader, cp);
  self->cache_event = G_MAXUINT64;
}

static void
model_replay_to (HsTraceModel *self, guint64 target)
{
  HsTraceDecoded d;

  while (self->st.event < target && hs_trace_reader_next (&self->reader, &d))
    hs_trace_model_apply_decoded (self, &d);
}

/* A seek that replays at least NEAR_REPLAY events leaves the model a snapshot of
 * its own NEAR_BEFORE events before the target: stepping back from there then
 * restores it instead of replaying the whole way again (a big heap's trace
 * checkpoints are far apart).  Only when copying the snapshot costs no more than
 * the replay it saves, at NEAR_BYTES_PER_EVENT. */
#define NEAR_REPLAY          65536
#define NEAR_BEFORE          16384
#define NEAR_BYTES_PER_EVENT 64

/* Going forward, a snapshot ahead is restored only when the replay it saves is
 * dearer than copying it, at RESTORE_BYTES_PER_EVENT (on a big heap's run here,
 * replaying an event took about 110 ns and restoring took 0.3-0.7 ns a byte).  A
 * live view following such a run otherwise copied a 17 MB checkpoint in to skip
 * a few thousand events, in the middle of a tick. */
#define RESTORE_BYTES_PER_EVENT 256

/* Whether a seek to `target` starts from a snapshot, *cp (NULL: the start): the
 * latest before it, the trace's or the model's own near one; else it replays on
 * from where the model is. */
static gboolean
seek_restores (const HsTraceModel *self, guint64 target, const HsTraceCheckpoint **cp)
{
  guint64 at = self->st.event, cp_event;

  *cp = hs_trace_find_checkpoint (self->trace, target);
  cp_event = *cp != NULL ? (*cp)->st.event : 0;
  if (self->near != NULL && self->near->st.event <= target && self->near->st.event > cp_event)
    {
      *cp = self->near;
      cp_event = self->near->st.event;
    }
  if (target < at)
    return TRUE;   /* a model only replays forward */
  return cp_event > at && (cp_event - at) * RESTORE_BYTES_PER_EVENT >= (*cp)->bytes;
}

guint64
hs_trace_model_seek_start (HsTraceModel *self, guint64 n_events)
{
  const HsTraceCheckpoint *cp;

  n_events = MIN (n_events, hs_trace_get_n_events (self->trace));
  if (n_events == self->st.event || !seek_restores (self, n_events, &cp))
    return self->st.event;
  return cp != NULL ? cp->st.event : 0;
}

void
hs_trace_model_seek_event_quiet (HsTraceModel *self, guint64 n_events)
{
  const HsTraceCheckpoint *cp;

  g_return_if_fail (HS_IS_TRACE_MODEL (self));
  g_return_if_fail (!self->is_indexer);
  n_events = MIN (n_events, hs_trace_get_n_events (self->trace));
  if (n_events == self->st.event)
    return;
  if (seek_restores (self, n_events, &cp))
    model_restore (self, cp);
  if (n_events - self->st.event >= NEAR_REPLAY)
    {
      guint64 from = self->st.event;

      model_replay_to (self, n_events - NEAR_BEFORE);
      if (hs_trace_model_snapshot_size (self) <= (self->st.event - from) * NEAR_BYTES_PER_EVENT)
        model_save_near (self);
    }
  model_replay_to (self, n_events);
}

static void
model_changed (HsTraceModel *self, guint64 old_event, guint64 old_step)
{
  if (old_event != self->st.event)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EVENT]);
  if (old_step != self->st.step)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STEP]);
  g_signal_emit (self, signals[CHANGED], 0);
}

void
hs_trace_model_seek_event (HsTraceModel *self, guint64 n_events)
{
  guint64 old_event = self->st.event, old_step = self->st.step;

  hs_trace_model_seek_event_quiet (self, n_events);
  if (old_event != self->st.event)
    model_changed (self, old_event, old_step);
}

void
hs_trace_model_seek_step (HsTraceModel *self, guint64 step)
{
  guint64 n = hs_trace_get_n_steps (self->trace);

  g_return_if_fail (HS_IS_TRACE_MODEL (self));
  step = MIN (step, n);
  hs_trace_model_seek_event (self, step == 0 ? 0 : hs_trace_get_step_event (self->trace, step) + 1);
}

gboolean
hs_trace_model_next_event (HsTraceModel *self)
{
  guint64 old = self->st.event;

  g_return_val_if_fail (HS_IS_TRACE_MODEL (self), FALSE);
  hs_trace_model_seek_event (self, old + 1);
  return self->st.event != old;
}

/* ---- accessors ------------------------------------------------------------------------ */

guint64
hs_trace_model_get_event (HsTraceModel *self)
{
  g_return_val_if_fail (HS_IS_TRACE_MODEL (self), 0);
  return self->st.event;
}

guint64
hs_trace_model_get_step (HsTraceModel *self)
{
  g_return_val_if_fail (HS_IS_TRACE_MODEL (self), 0);
  return self->st.step;
}

guint
hs_trace_model_get_n_objects (HsTraceModel *self)
{
  return self->objs->len;
}

const HsTraceObject *
hs_trace_model_get_object (HsTraceModel *self, guint i)
{
  g_return_val_if_fail (i < self->objs->len, NULL);
  return &g_array_index (self->objs, HsTraceObject, i);
}

const HsTraceObject *
hs_trace_model_lookup_object (HsTraceModel *self, HsId id)
{
  HsTraceObject *o = obj_get (self, id);
  guint i;

  if (o != NULL)
    return o;
  for (i = 0; i < self->freed->len; i++)
    if (g_array_index (self->freed, HsTraceObject, i).id == id)
      return &g_array_index (self->freed, HsTraceObject, i);
  return NULL;
}

guint
hs_trace_model_get_n_freed (HsTraceModel *self)
{
  return self->freed->len;
}

const HsTraceObject *
hs_trace_model_get_freed (HsTraceModel *self, guint i)
{
  g_return_val_if_fail (i < self->freed->len, NULL);
  return &g_array_index (self->freed, HsTraceObject, i);
}

const char *
hs_trace_model_type_name (HsTraceModel *self, const HsTraceObject *obj)
{
  if (obj->flags & HS_TRACE_OBJ_UNKNOWN)
    return "?";
  return hs_trace_string (self->trace, obj->type_name);
}

const char *
hs_trace_model_describe (HsTraceModel *self, const HsTraceObject *obj)
{
  char buf[HS_EVENT_INT_TEXT];

  if (!(obj->flags & HS_TRACE_OBJ_INT))
    return obj->value.text;
  /* The log keeps an int's value, not its text: most are never looked at. */
  if (self->int_texts == NULL)
    self->int_texts = g_string_chunk_new (1024);
  hs_event_format_int (obj->value.int_value, buf);
  return g_string_chunk_insert_const (self->int_texts, buf);
}

guint8
hs_trace_model_object_gc_flags (HsTraceModel *self, const HsTraceObject *obj)
{
  return self->st.in_gc && obj->gc_mark == self->st.gc_number ? obj->gc_flags : 0;
}

guint
hs_trace_model_get_n_frames (HsTraceModel *self)
{
  return self->frames->len;
}

const HsTraceFrame *
hs_trace_model_get_frame (HsTraceModel *self, guint i)
{
  g_return_val_if_fail (i < self->frames->len, NULL);
  return &g_array_index (self->frames, HsTraceFrame, i);
}

const HsTraceFrame *
hs_trace_model_lookup_frame (HsTraceModel *self, HsId id)
{
  return frame_get (self, id);
}

const char *
hs_trace_model_frame_name (HsTraceModel *self, const HsTraceFrame *frame)
{
  return hs_trace_string (self->trace, frame->name);
}

HsId
hs_trace_model_get_current_frame (HsTraceModel *self)
{
  return self->st.cur_frame;
}

guint32
hs_trace_model_get_current_line (HsTraceModel *self)
{
  return self->st.cur_line;
}

guint
hs_trace_model_get_n_refs (HsTraceModel *self)
{
  return self->refs->len;
}

const HsTraceRef *
hs_trace_model_get_ref (HsTraceModel *self, guint i)
{
  g_return_val_if_fail (i < self->refs->len, NULL);
  return &g_array_index (self->refs, HsTraceRef, i);
}

/* How a dict key or a global's name object reads in a slot label.  A tuple is
 * published before its items are in, so its recorded text is "(2 items)": its
 * items are read from the model instead, a few levels and items deep. */
static void
append_key_text (HsTraceModel *self, GString *out, const HsTraceObject *key, guint depth)
{
  const char *type = hs_trace_model_type_name (self, key);
  guint i;

  if (!g_str_equal (type, "tuple") || depth > 2)
    {
      const char *text = hs_trace_model_describe (self, key);

      g_string_append (out, text != NULL ? text : "?");
      return;
    }
  g_string_append_c (out, '(');
  for (i = 0;; i++)
    {
      gboolean found;
      gsize pos = rtab_find (self, HS_HOLDER_ITEM, key->id, i, &found);
      const HsTraceObject *item;

      if (!found)
        break;
      if (i > 0)
        g_string_append (out, ", ");
      if (i == 4)
        {
          g_string_append (out, "...");
          break;
        }
      item = obj_get (self, ref_at (self, self->rtab[pos])->target);
      if (item != NULL)
        append_key_text (self, out, item, depth + 1);
      else
        g_string_append_c (out, '?');
    }
  g_string_append (out, i == 1 ? ",)" : ")");
}

gint
hs_trace_ref_compare (const HsTraceRef *a, const HsTraceRef *b)
{
  if (a->holder_kind == HS_HOLDER_ITEM && b->holder_kind == HS_HOLDER_ITEM)
    return a->slot < b->slot ? -1 : a->slot > b->slot;
  return a->born < b->born ? -1 : a->born > b->born;
}

gboolean
hs_trace_type_is_set (const char *type_name)
{
  return g_strcmp0 (type_name, "set") == 0 || g_strcmp0 (type_name, "frozenset") == 0;
}

char *
hs_trace_model_ref_label (HsTraceModel *self, const HsTraceRef *ref)
{
  const char *name = ref->name ? hs_trace_string (self->trace, ref->name - 1) : NULL;
  const HsTraceObject *key, *holder;
  GString *text;

  switch (ref->holder_kind)
    {
    case HS_HOLDER_LOCAL:
      return name ? g_strdup (name) : g_strdup_printf ("local %" G_GUINT64_FORMAT, ref->slot);
    case HS_HOLDER_STACK:
      return name ? g_strdup_printf ("temporary (%s)", name) : g_strdup ("temporary");
    case HS_HOLDER_GLOBAL:
      if (name)
        return g_strdup (name);
      key = obj_get (self, ref->slot);
      if (key == NULL)
        return g_strdup ("global");
      text = g_string_new (NULL);
      append_key_text (self, text, key, 0);
      return g_string_free (text, FALSE);
    case HS_HOLDER_ITEM:
      return g_strdup_printf ("[%" G_GUINT64_FORMAT "]", ref->slot);
    case HS_HOLDER_KEY:
      /* A dict holds its keys; a set's keys are its elements. */
      holder = obj_get (self, ref->holder);
      return g_strdup (holder != NULL && hs_trace_type_is_set (hs_trace_model_type_name (self, holder))
                       ? "element" : "key");
    case HS_HOLDER_VALUE:
      key = obj_get (self, ref->slot);
      text = g_string_new ("[");
      if (key != NULL)
        append_key_text (self, text, key, 0);
      else
        g_string_append_c (text, '?');
      g_string_append_c (text, ']');
      return g_string_free (text, FALSE);
    case HS_HOLDER_ATTR:
      return g_strdup_printf (".%s", name ? name : "?");
    case HS_HOLDER_CELL:
      return g_strdup ("cell_contents");
    case HS_HOLDER_CONST:
      return g_strdup_printf ("co_consts[%" G_GUINT64_FORMAT "]", ref->slot);
    case HS_HOLDER_INTERNAL:
      return g_strdup (name ? name : "internal");
    case HS_HOLDER_RUNTIME:
      return g_strdup (name ? name : "runtime");
    default:
      return g_strdup ("?");
    }
}

GArray *
hs_trace_model_frame_refs (HsTraceModel *self, HsId frame)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (HsTraceRef));
  guint i;

  for (i = 0; i < self->refs->len; i++)
    {
      HsTraceRef *r = &g_array_index (self->refs, HsTraceRef, i);
      if (r->holder == frame && r->holder_is_frame == 1)
        g_array_append_val (out, *r);
    }
  return out;
}

gsize
hs_trace_model_get_output_len (HsTraceModel *self)
{
  return self->st.output_len;
}

guint
hs_trace_model_get_n_collections (HsTraceModel *self)
{
  return self->st.n_collections;
}

gboolean
hs_trace_model_in_collection (HsTraceModel *self)
{
  return self->st.in_gc;
}

void
hs_trace_model_get_gc_counts (HsTraceModel *self, gint64 counts[3], gint64 thresholds[3])
{
  if (counts != NULL)
    memcpy (counts, self->st.gc_counts, sizeof self->st.gc_counts);
  if (thresholds != NULL)
    memcpy (thresholds, self->st.gc_thresholds, sizeof self->st.gc_thresholds);
}

HsId
hs_trace_model_get_exception (HsTraceModel *self, const char **type_name, const char **message,
                              guint32 *line)
{
  if (type_name != NULL)
    *type_name = self->st.exc_type;
  if (message != NULL)
    *message = self->st.exc_message;
  if (line != NULL)
    *line = self->st.exc_line;
  return self->st.exc;
}

gboolean
hs_trace_model_check (HsTraceModel *self, HsTraceMismatch *out)
{
  guint i;

  g_return_val_if_fail (HS_IS_TRACE_MODEL (self), FALSE);
  if (self->st.has_violation)
    {
      if (out != NULL)
        *out = self->st.violation;
      return FALSE;
    }
  for (i = 0; i < self->objs->len; i++)
    {
      const HsTraceObject *o = &g_array_index (self->objs, HsTraceObject, i);

      if (!counts_agree (o))
        {
          if (out != NULL)
            {
              out->event = self->st.event;
              out->id = o->id;
              out->expected = o->refcnt;
              out->counted = o->inrefs;
              out->what = "refcount";
            }
          return FALSE;
        }
    }
  return TRUE;
}

typedef struct {
  guint64 index;
  guint64 last_return;    /* the last return, or the push of its value just before it */
  HsId    exc;            /* the exception of the last EXCEPTION event */
  guint64 exc_first;      /* where that exception was first seen */
  HsId    pushed;         /* the value the previous event pushed on a frame's stack, or 0 */
} EndScan;

static gboolean
scan_end_cb (const HsEvent *ev, gpointer user_data)
{
  EndScan *scan = user_data;

  /* The module's implicit "return None" pushes None first: the final picture is the
   * state before that push, with no stack temporary left in it. */
  if (ev->kind == HS_EV_RETURN)
    scan->last_return = scan->pushed != 0 && scan->pushed == ev->u.ret.value ? scan->index - 1 : scan->index;
  else if (ev->kind == HS_EV_EXCEPTION && ev->u.exception.exc != scan->exc)
    {
      scan->exc = ev->u.exception.exc;
      scan->exc_first = scan->index;
    }
  scan->pushed = ev->kind == HS_EV_REF && ev->u.ref.holder_kind == HS_HOLDER_STACK
                 && ev->u.ref.old_target == 0 ? ev->u.ref.new_target : 0;
  scan->index++;
  return TRUE;
}

/* The events after the last line step: the module's return and the unwinding of an
 * uncaught exception are among them. */
static void
scan_end (HsTraceModel *self, EndScan *scan)
{
  guint64 n_events = hs_trace_get_n_events (self->trace);
  guint64 n_steps = hs_trace_get_n_steps (self->trace);
  guint64 start = n_steps > 0 ? hs_trace_get_step_event (self->trace, n_steps) : 0;

  memset (scan, 0, sizeof *scan);
  scan->index = start;
  scan->last_return = G_MAXUINT64;
  scan->exc_first = G_MAXUINT64;
  if (n_events > start)
    hs_trace_foreach_event (self->trace, start, n_events - start, scan_end_cb, scan);
}

/* The module's return is the last one; without it the end is the end. */
static guint64
end_event (HsTraceModel *self, const EndScan *scan)
{
  return scan->last_return != G_MAXUINT64 ? scan->last_return : hs_trace_get_n_events (self->trace);
}

void
hs_trace_model_seek_end (HsTraceModel *self)
{
  EndScan scan;

  g_return_if_fail (HS_IS_TRACE_MODEL (self));

  scan_end (self, &scan);
  hs_trace_model_seek_event (self, end_event (self, &scan));
}

void
hs_trace_model_seek_error (HsTraceModel *self)
{
  EndScan scan;

  g_return_if_fail (HS_IS_TRACE_MODEL (self));

  scan_end (self, &scan);
  /* Just before the exception that ended the run was raised, every frame it
   * unwound is still there, with its locals. */
  hs_trace_model_seek_event (self, scan.exc_first != G_MAXUINT64 ? scan.exc_first : end_event (self, &scan));
}
