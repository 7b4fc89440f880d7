/* test-trace-stream.h — builds synthetic event streams for the trace tests. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <string.h>

#include "hs-trace.h"

/* Keeps a shadow of refcounts and slot contents so streams are consistent
 * unless a test breaks them on purpose. */
typedef struct {
  HsTrace         *trace;
  HsTraceRecorder *rec;
  guint64          seq;
  HsId             frame;
  guint32          line;
  GHashTable      *slots;   /* "kind:holder:slot" -> id */
  gint64           rc[65536];
} Stream;

static inline void
stream_init (Stream *s)
{
  memset (s, 0, sizeof *s);
  s->trace = hs_trace_new ();
  s->rec = hs_trace_recorder_new (s->trace);
  s->slots = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

static inline void
stream_clear (Stream *s)
{
  hs_trace_recorder_free (s->rec);
  hs_trace_unref (s->trace);
  g_hash_table_unref (s->slots);
}

static inline void
stream_emit (Stream *s, HsEvent *ev)
{
  ev->seq = ++s->seq;
  ev->frame = s->frame;
  ev->line = s->line;
  hs_trace_recorder_add (s->rec, ev);
}

/* A ref event carrying the counts given, not those the stream keeps: for
 * the model's checks of counts that disagree with its slots. */
static inline void
stream_ref_counts (Stream *s, HsHolderKind kind, HsId holder, guint64 slot, const char *name,
                   HsId old_target, gint64 old_refcnt, HsId new_target, gint64 new_refcnt)
{
  HsEvent ev = { .kind = HS_EV_REF };

  ev.u.ref.holder_kind = kind;
  ev.u.ref.holder = holder;
  ev.u.ref.slot = slot;
  ev.u.ref.name = name;
  ev.u.ref.old_target = old_target;
  ev.u.ref.old_refcnt = old_refcnt;
  ev.u.ref.new_target = new_target;
  ev.u.ref.new_refcnt = new_refcnt;
  stream_emit (s, &ev);
}

static inline void
stream_line (Stream *s, guint32 line)
{
  HsEvent ev = { .kind = HS_EV_LINE };

  s->line = line;
  ev.u.line.line = line;
  stream_emit (s, &ev);
}

static inline void
stream_call (Stream *s, HsId frame, const char *name, guint32 line)
{
  HsEvent ev = { .kind = HS_EV_CALL };

  ev.u.call.frame = frame;
  ev.u.call.parent = s->frame;
  ev.u.call.name = name;
  ev.u.call.line = line;
  stream_emit (s, &ev);
  s->frame = frame;
  s->line = line;
}

static inline void
stream_return (Stream *s, HsId value, HsId parent, guint32 parent_line)
{
  HsEvent ev = { .kind = HS_EV_RETURN };

  ev.u.ret.frame = s->frame;
  ev.u.ret.value = value;
  stream_emit (s, &ev);
  s->frame = parent;
  s->line = parent_line;
}

static inline void
stream_alloc_full (Stream *s, HsId id, const char *type, const char *describe, size_t size,
                   gboolean tracked, gboolean immortal)
{
  HsEvent ev = { .kind = HS_EV_ALLOC };

  ev.u.alloc.id = id;
  ev.u.alloc.type_name = type;
  ev.u.alloc.describe = describe;
  ev.u.alloc.size = size;
  ev.u.alloc.tracked = tracked;
  ev.u.alloc.immortal = immortal;
  s->rc[id] = 1;
  stream_emit (s, &ev);
}

/* An int, as the runtime publishes one: its value, no text. */
static inline void
stream_alloc_int (Stream *s, HsId id, int64_t value, gboolean immortal)
{
  HsEvent ev = { .kind = HS_EV_ALLOC };

  ev.u.alloc.id = id;
  ev.u.alloc.type_name = "int";
  ev.u.alloc.size = 28;
  ev.u.alloc.immortal = immortal;
  ev.u.alloc.has_int = TRUE;
  ev.u.alloc.int_value = value;
  s->rc[id] = 1;
  stream_emit (s, &ev);
}

static inline void
stream_alloc (Stream *s, HsId id, const char *type, const char *describe, size_t size)
{
  stream_alloc_full (s, id, type, describe, size,
                     strcmp (type, "list") == 0 || strcmp (type, "dict") == 0, FALSE);
}

static inline void
stream_free (Stream *s, HsId id, HsFreeCause cause)
{
  HsEvent ev = { .kind = HS_EV_FREE };

  ev.u.free.id = id;
  ev.u.free.cause = cause;
  stream_emit (s, &ev);
}

static inline char *
slot_key (HsHolderKind kind, HsId holder, guint64 slot)
{
  return g_strdup_printf ("%d:%" G_GUINT64_FORMAT ":%" G_GUINT64_FORMAT, kind, holder, slot);
}

/* Stores `target` (0: clears) in a slot.  steal: the creation reference moves
 * into the slot (no incref).  Returns the old target; the caller decides
 * whether the old one is freed (stream_release). */
static inline HsId
stream_store (Stream *s, HsHolderKind kind, HsId holder, guint64 slot, const char *name,
              HsId target, gboolean steal)
{
  char *k = slot_key (kind, holder, slot);
  HsId old = GPOINTER_TO_SIZE (g_hash_table_lookup (s->slots, k));

  if (target != 0 && !steal)
    s->rc[target]++;
  if (target)
    g_hash_table_insert (s->slots, k, GSIZE_TO_POINTER (target));
  else
    {
      g_hash_table_remove (s->slots, k);
      g_free (k);
    }
  stream_ref_counts (s, kind, holder, slot, name, old, old ? s->rc[old] - 1 : 0,
                     target, target ? s->rc[target] : 0);
  if (old)
    s->rc[old]--;
  return old;
}

static inline HsId
stream_slot (Stream *s, HsHolderKind kind, HsId holder, guint64 slot)
{
  g_autofree char *k = slot_key (kind, holder, slot);
  return GPOINTER_TO_SIZE (g_hash_table_lookup (s->slots, k));
}

/* A C-level decref without a slot (the creation reference dropped). */
static inline void
stream_decref (Stream *s, HsId id)
{
  if (--s->rc[id] == 0)
    stream_free (s, id, HS_FREE_REFCOUNT);
}

static inline void
stream_output (Stream *s, const char *text)
{
  HsEvent ev = { .kind = HS_EV_OUTPUT };

  ev.u.output.stream = HS_STREAM_STDOUT;
  ev.u.output.text = text;
  ev.u.output.len = strlen (text);
  stream_emit (s, &ev);
}

static inline void
stream_root (Stream *s, HsId id, const char *name)
{
  HsEvent ev = { .kind = HS_EV_ROOT };

  ev.u.root.id = id;
  ev.u.root.name = name;
  stream_emit (s, &ev);
}

static inline void
stream_finish (Stream *s)
{
  hs_trace_recorder_finish (s->rec);
  hs_trace_sync (s->trace);
}
