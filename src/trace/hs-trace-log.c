/* hs-trace-log.c — the compact event log: recorder (encoder), reader (decoder), index. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define _GNU_SOURCE   /* mremap() */
#include "config.h"

#include <string.h>
#ifdef __linux__
# include <sys/mman.h>
#endif

#include "hs-trace-private.h"

/* Record tags.  Every record starts with one tag byte; numbers are LEB128
 * varints, signed ones zigzag-coded; object ids are coded relative to the last
 * allocated id, frame holders relative to the running frame.  Texts are a
 * length, the bytes and a NUL (so decoded strings point into the log). */
enum {
  T_LINE = 0x00,        /* zz(line delta) */
  T_LINE_F = 0x01,      /* zz(frame delta), zz(line delta) */
  T_CTX = 0x02,         /* zz(frame delta), zz(line delta): context of the next event */
  T_STRDEF = 0x03,      /* text: defines the next string index */
  T_CALL = 0x04,        /* id frame, id parent, id function, uv name, uv line */
  T_RETURN = 0x05,      /* id frame, id value */
  T_RETURN0 = 0x06,     /* id frame (no value) */
  T_EXCEPTION = 0x07,   /* id exc, uv type, text message */
  T_TRACK = 0x08,       /* | tracked: id, zz generation */
  T_GC_START = 0x0a,    /* uv gen, zz count0..2, zz threshold0..2 */
  T_GC_PHASE = 0x0b,    /* uv phase, uv gen, uv n, uv has_values, n ids (delta), n values */
  T_GC_FINALIZE = 0x0c, /* id */
  T_GC_RESURRECT = 0x0d,/* id */
  T_GC_END = 0x0e,      /* uv gen, zz collected, zz uncollectable, zz threshold0..2 */
  T_OUTPUT = 0x0f,      /* uv stream, text */
  T_ROOT = 0x10,        /* id, uv name+1 */
  T_GC_THRESHOLD = 0x14,/* zz threshold0..2 */
  T_FREE = 0x11,        /* + cause (3 values): id */
  T_END = 0x1f,         /* end of the run */
  T_ALLOC = 0x20,       /* | tracked | immortal << 1 | describe << 2 | int << 3: zz(id delta),
                           uv type, uv size, [text] or [zz value] */
  T_REF = 0x80,         /* | has_name << 6 | kind << 2 | has_old << 1 | has_new:
                           holder, slot, [uv name+1], [id old, rc], [id new, rc] */
};

#define MAX_TEXT (1u << 16)  /* longer texts are cut (describe/message/output are split below) */

/* ---- varints ------------------------------------------------------------------ */

static inline guint64
zz_enc (gint64 v)
{
  return ((guint64) v << 1) ^ (guint64) (v >> 63);
}

static inline gint64
zz_dec (guint64 v)
{
  return (gint64) (v >> 1) ^ -(gint64) (v & 1);
}

static inline guchar *
put_uv (guchar *p, guint64 v)
{
  while (v >= 0x80)
    {
      *p++ = (guchar) (v | 0x80);
      v >>= 7;
    }
  *p++ = (guchar) v;
  return p;
}

static inline guchar *
put_zz (guchar *p, gint64 v)
{
  return put_uv (p, zz_enc (v));
}

/* Refcounts: immortal objects carry huge ones near 2^60; code them relative. */
#define RC_BIAS ((gint64) 1 << 60)

static inline guchar *
put_rc (guchar *p, gint64 rc)
{
  if (rc >= (RC_BIAS >> 2))
    return put_uv (p, (zz_enc (rc - RC_BIAS) << 1) | 1);
  return put_uv (p, zz_enc (rc) << 1);
}

static inline guint64
get_uv (const guchar **pp)
{
  const guchar *p = *pp;
  guint64 v = 0;
  int shift = 0;

  while (*p & 0x80)
    {
      v |= (guint64) (*p++ & 0x7f) << shift;
      shift += 7;
    }
  v |= (guint64) *p++ << shift;
  *pp = p;
  return v;
}

static inline gint64
get_zz (const guchar **pp)
{
  return zz_dec (get_uv (pp));
}

static inline gint64
get_rc (const guchar **pp)
{
  guint64 v = get_uv (pp);

  return (v & 1) ? zz_dec (v >> 1) + RC_BIAS : zz_dec (v >> 1);
}

/* ---- the trace ------------------------------------------------------------------- */

static void chunk_free (HsTraceChunk *c);

HsTrace *
hs_trace_new (void)
{
  HsTrace *t = g_new0 (HsTrace, 1);

  g_atomic_ref_count_init (&t->ref);
  g_mutex_init (&t->lock);
  t->chunks = g_ptr_array_new ();
  t->strings = g_ptr_array_new ();
  t->step_pages = g_ptr_array_new_with_free_func (g_free);
  t->checkpoints = g_ptr_array_new_with_free_func ((GDestroyNotify) hs_trace_checkpoint_free);
  t->output = g_string_new (NULL);
  t->stderr_spans = g_array_new (FALSE, FALSE, sizeof (HsTraceSpan));
  t->collections = g_array_new (FALSE, TRUE, sizeof (HsTraceCollection));
  /* Seeking restores the checkpoint before the target, then replays at ~35 ns
   * an event: with a snapshot byte an event, a 1M-step run with a small heap
   * replays at most ~2 ms.  A big heap (snapshots of megabytes) gets sparse
   * checkpoints, so memory stays about a byte an event but its seeks cost more. */
  t->cp_min = 4096;
  t->cp_bytes_per_event = 1;
  t->cp_max = 1u << 20;
  /* The forced checkpoint every 1M events: a million-object heap (a ~100 MB
   * snapshot) would otherwise add 100 bytes an event, gigabytes over a long run. */
  t->cp_max_bytes_per_event = 16;
  t->indexer = hs_trace_model_new_indexer (t);
  return t;
}

HsTrace *
hs_trace_ref (HsTrace *trace)
{
  g_return_val_if_fail (trace != NULL, NULL);
  g_atomic_ref_count_inc (&trace->ref);
  return trace;
}

void
hs_trace_unref (HsTrace *trace)
{
  guint i;

  g_return_if_fail (trace != NULL);
  if (!g_atomic_ref_count_dec (&trace->ref))
    return;
  g_clear_object (&trace->indexer);
  for (i = 0; i < trace->chunks->len; i++)
    {
      chunk_free (g_ptr_array_index (trace->chunks, i));
    }
  g_ptr_array_unref (trace->chunks);
  g_ptr_array_unref (trace->strings);
  g_ptr_array_unref (trace->step_pages);
  g_ptr_array_unref (trace->checkpoints);
  g_string_free (trace->output, TRUE);
  g_array_unref (trace->stderr_spans);
  g_array_unref (trace->collections);
  g_mutex_clear (&trace->lock);
  g_free (trace);
}

void
hs_trace_set_checkpoint_policy (HsTrace *trace, guint min_events, guint bytes_per_event,
                                guint max_events, guint max_bytes_per_event)
{
  g_return_if_fail (trace != NULL);
  trace->cp_min = MAX (min_events, 1);
  trace->cp_bytes_per_event = MAX (bytes_per_event, 1);
  trace->cp_max = MAX (max_events, trace->cp_min);
  trace->cp_max_bytes_per_event = MAX (max_bytes_per_event, trace->cp_bytes_per_event);
}

/* ---- the recorder ------------------------------------------------------------------ */

#define STR_CACHE 256

typedef struct {
  const char *ptr;
  const char *copy;
  guint32     idx;
} StrCacheEntry;

struct _HsTraceRecorder {
  HsTrace      *trace;
  HsTraceChunk *chunk;
  guchar       *w;
  guchar       *end;
  HsTraceCodec  codec;
  GHashTable   *strings;      /* owned copy -> index + 1 */
  guint32       n_strings;
  StrCacheEntry cache[STR_CACHE];
  gboolean      finished;
};

/* x rounded up to a whole number of chunks (huge pages). */
static inline guintptr
chunk_round_up (guintptr x)
{
  return (x + HS_TRACE_CHUNK_SIZE - 1) & ~(guintptr) (HS_TRACE_CHUNK_SIZE - 1);
}

/* Chunk memory is touched once, byte after byte, on the VM's hot path, and
 * getting fresh memory from the kernel can cost more than encoding into it
 * (bench-trace's "logmem" column).  A chunk is therefore a whole number of 2 MiB
 * huge pages, aligned to one, that the kernel is asked to back with huge pages
 * (MADV_HUGEPAGE) and to fault in with one call (MADV_POPULATE_WRITE).  Where
 * huge pages are off, that call still saves a page fault per page; where it is
 * missing (Linux before 5.14), the pages fault in as they are written. */
guchar *
hs_trace_chunk_memory_new (gsize size)
{
#if defined(__linux__) && defined(MADV_HUGEPAGE) && defined(MADV_POPULATE_WRITE)
  gsize span = size + HS_TRACE_CHUNK_SIZE;
  guchar *raw = mmap (NULL, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  guchar *p;

  if (raw == MAP_FAILED)
    g_error ("hs-trace: out of memory for the event log (%" G_GSIZE_FORMAT " bytes)", size);
  p = (guchar *) chunk_round_up ((guintptr) raw);
  if (p > raw)
    munmap (raw, p - raw);
  if (raw + span > p + size)
    munmap (p + size, raw + span - (p + size));
  (void) madvise (p, size, MADV_HUGEPAGE);
  (void) madvise (p, size, MADV_POPULATE_WRITE);
  return p;
#elif defined(__linux__) && defined(MAP_POPULATE)
  void *p = mmap (NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE,
                  -1, 0);
  if (p != MAP_FAILED)
    return p;
  g_error ("hs-trace: out of memory for the event log (%" G_GSIZE_FORMAT " bytes)", size);
#else
  return g_malloc (size);
#endif
}

void
hs_trace_advise_huge (gpointer data, gsize size)
{
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  guintptr start = chunk_round_up ((guintptr) data);
  guintptr end = ((guintptr) data + size) & ~(guintptr) (HS_TRACE_CHUNK_SIZE - 1);

  if (end > start)
    (void) madvise ((void *) start, end - start, MADV_HUGEPAGE);
#endif
}

void
hs_trace_chunk_memory_free (guchar *data, gsize size)
{
#if defined(__linux__) && (defined(MAP_POPULATE) || defined(MADV_POPULATE_WRITE))
  munmap (data, size);
#else
  g_free (data);
#endif
}

/* ---- growable arrays that never copy once big (HsTraceVec) ------------------------ */

/* From here on a vector's memory is a mapping of its own. */
#define VEC_MAP_MIN ((gsize) 1 << 20)

HsTraceVec *
hs_trace_vec_new (guint item_size)
{
  HsTraceVec *v = g_new0 (HsTraceVec, 1);

  v->item_size = item_size;
  return v;
}

void
hs_trace_vec_free (HsTraceVec *v)
{
  if (v == NULL)
    return;
#if defined(__linux__)
  if (v->mapped)
    munmap (v->data, v->cap);
  else
#endif
    g_free (v->data);
  g_free (v);
}

static G_GNUC_NO_INLINE void
vec_grow (HsTraceVec *v, gsize need)
{
  gsize cap = MAX (MAX (need, v->cap * 2), 256);

#if defined(__linux__)
  if (cap >= VEC_MAP_MIN)
    {
      gchar *p;

      cap = chunk_round_up (cap);
      if (v->mapped)
        p = mremap (v->data, v->cap, cap, MREMAP_MAYMOVE);
      else
        p = mmap (NULL, cap, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
      if (p == MAP_FAILED)
        g_error ("hs-trace: out of memory for a model (%" G_GSIZE_FORMAT " bytes)", cap);
      hs_trace_advise_huge (p, cap);
      if (!v->mapped)
        {
          /* The one copy: at most VEC_MAP_MIN bytes. */
          memcpy (p, v->data, (gsize) v->len * v->item_size);
          g_free (v->data);
          v->mapped = TRUE;
        }
      v->data = p;
      v->cap = cap;
      return;
    }
#endif
  v->data = g_realloc (v->data, cap);
  v->cap = cap;
}

gpointer
hs_trace_vec_reserve (HsTraceVec *v, guint more)
{
  gsize need = ((gsize) v->len + more) * v->item_size;

  if (G_UNLIKELY (need > v->cap))
    vec_grow (v, need);
  /* An empty vector may have no memory at all (NULL + 0 is undefined). */
  return v->data != NULL ? v->data + (gsize) v->len * v->item_size : NULL;
}

gpointer
hs_trace_vec_append (HsTraceVec *v, gconstpointer items, guint n)
{
  gpointer at = hs_trace_vec_reserve (v, n);

  if (n > 0)
    memcpy (at, items, (gsize) n * v->item_size);
  v->len += n;
  return at;
}

void
hs_trace_vec_truncate (HsTraceVec *v, guint len)
{
  g_return_if_fail (len <= v->len);
  v->len = len;
}

static void
chunk_free (HsTraceChunk *c)
{
  hs_trace_chunk_memory_free (c->data, c->size);
  g_free (c);
}

static void
rec_new_chunk (HsTraceRecorder *rec, gsize need)
{
  HsTraceChunk *c = g_new0 (HsTraceChunk, 1);

  /* Whole chunks (see hs_trace_chunk_memory_new), even for one outsized record. */
  c->size = chunk_round_up (MAX (HS_TRACE_CHUNK_SIZE, need));
  c->data = hs_trace_chunk_memory_new (c->size);
  if (rec->chunk != NULL)
    g_atomic_int_set (&rec->chunk->sealed, 1);
  g_mutex_lock (&rec->trace->lock);
  g_ptr_array_add (rec->trace->chunks, c);
  g_mutex_unlock (&rec->trace->lock);
  rec->chunk = c;
  rec->w = c->data;
  rec->end = c->data + c->size;
}

static inline void
rec_ensure (HsTraceRecorder *rec, gsize need)
{
  if (G_UNLIKELY ((gsize) (rec->end - rec->w) < need))
    rec_new_chunk (rec, need);
}

static inline void
rec_commit (HsTraceRecorder *rec)
{
  __atomic_store_n (&rec->chunk->committed, (gsize) (rec->w - rec->chunk->data), __ATOMIC_RELEASE);
}

static inline guchar *
put_text (guchar *p, const char *text, gsize len)
{
  p = put_uv (p, len);
  memcpy (p, text, len);
  p += len;
  *p++ = 0;
  return p;
}

/* Names are short ("self", "n", "__class__"): an inline loop beats a strcmp call. */
static inline gboolean
str_same (const char *a, const char *b)
{
  while (*a != '\0' && *a == *b)
    {
      a++;
      b++;
    }
  return *a == *b;
}

/* The string's index, defining it first if it is new; a miss in the cache of
 * recent pointers (entry e) comes here. */
static G_GNUC_NO_INLINE guint32
rec_intern_slow (HsTraceRecorder *rec, const char *s, StrCacheEntry *e)
{
  guint32 idx;
  gsize len;
  char *copy;

  {
    gpointer key = NULL, v = NULL;

    if (g_hash_table_lookup_extended (rec->strings, s, &key, &v))
      {
        e->ptr = s;
        e->copy = key;
        e->idx = GPOINTER_TO_UINT (v) - 1;
        return e->idx;
      }
  }
  len = strlen (s);
  if (len > MAX_TEXT)
    len = MAX_TEXT;
  copy = g_strndup (s, len);
  idx = rec->n_strings++;
  g_hash_table_insert (rec->strings, copy, GUINT_TO_POINTER (idx + 1));
  rec_ensure (rec, len + 16);
  *rec->w++ = T_STRDEF;
  rec->w = put_text (rec->w, copy, len);
  e->ptr = s;
  e->copy = copy;
  e->idx = idx;
  return idx;
}

/* A hit costs a pointer compare and a short text compare (the pointer may have
 * been freed and reused for another text), with no call. */
static inline guint32
rec_intern (HsTraceRecorder *rec, const char *s)
{
  StrCacheEntry *e;

  if (s == NULL)
    s = "?";
  e = &rec->cache[((guintptr) s >> 3) % STR_CACHE];
  if (G_LIKELY (e->ptr == s) && str_same (e->copy, s))
    return e->idx;
  return rec_intern_slow (rec, s, e);
}

HsTraceRecorder *
hs_trace_recorder_new (HsTrace *trace)
{
  HsTraceRecorder *rec = g_new0 (HsTraceRecorder, 1);

  rec->trace = hs_trace_ref (trace);
  rec->strings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  rec_new_chunk (rec, 0);
  return rec;
}

void
hs_trace_recorder_finish (HsTraceRecorder *rec)
{
  g_return_if_fail (rec != NULL);
  rec->finished = TRUE;
  rec_commit (rec);
  g_atomic_int_set (&rec->chunk->sealed, 1);
  g_atomic_int_set (&rec->trace->finished, 1);
}

void
hs_trace_recorder_free (HsTraceRecorder *rec)
{
  if (rec == NULL)
    return;
  g_hash_table_unref (rec->strings);
  hs_trace_unref (rec->trace);
  g_free (rec);
}

static inline guchar *
put_id (guchar *p, const HsTraceCodec *c, HsId id)
{
  return put_zz (p, (gint64) (id - c->last_id));
}

static inline HsId
get_id (const guchar **pp, const HsTraceCodec *c)
{
  return c->last_id + (HsId) get_zz (pp);
}

static inline gboolean
slot_is_id (HsHolderKind k)
{
  return k == HS_HOLDER_GLOBAL || k == HS_HOLDER_KEY || k == HS_HOLDER_VALUE || k == HS_HOLDER_ATTR;
}

static inline gboolean
holder_is_running_frame_kind (HsHolderKind k)
{
  return k == HS_HOLDER_LOCAL || k == HS_HOLDER_STACK;
}

/* Inlined into the hook: one call less for every event the VM publishes. */
static inline void
rec_add (HsTraceRecorder *rec, const HsEvent *ev)
{
  HsTraceCodec *c = &rec->codec;
  guint32 s1 = 0, s2 = 0;
  guchar *p;
  gsize tlen = 0;
  const char *describe = NULL;

  if (G_UNLIKELY (rec->finished))
    return;
  /* Strings first: their definitions are records of their own. */
  switch (ev->kind)
    {
    case HS_EV_CALL: s1 = rec_intern (rec, ev->u.call.name); break;
    case HS_EV_EXCEPTION:
      s1 = rec_intern (rec, ev->u.exception.type_name);
      tlen = ev->u.exception.message ? MIN (strlen (ev->u.exception.message), MAX_TEXT) : 0;
      break;
    case HS_EV_ALLOC:
      s1 = rec_intern (rec, ev->u.alloc.type_name);
      if (!ev->u.alloc.has_int)
        {
          describe = ev->u.alloc.describe;
          tlen = describe ? MIN (strlen (describe), MAX_TEXT) : 0;
        }
      break;
    case HS_EV_REF: s1 = ev->u.ref.name ? rec_intern (rec, ev->u.ref.name) + 1 : 0; break;
    case HS_EV_ROOT: s1 = ev->u.root.name ? rec_intern (rec, ev->u.root.name) + 1 : 0; break;
    case HS_EV_OUTPUT: tlen = ev->u.output.text ? ev->u.output.len : 0; break;
    case HS_EV_GC_PHASE: tlen = ev->u.gc_phase.n * 20; break;
    default: break;
    }
  (void) s2;
  rec_ensure (rec, 96 + tlen);
  p = rec->w;
  /* The log is written once, front to back: ask for the lines a few records
   * ahead (a prefetch past the chunk's end is harmless). */
  __builtin_prefetch (p + 256, 1, 0);

  if (ev->kind == HS_EV_LINE)
    {
      if (ev->frame != c->cur_frame)
        {
          *p++ = T_LINE_F;
          p = put_zz (p, (gint64) (ev->frame - c->cur_frame));
          c->cur_frame = ev->frame;
        }
      else
        *p++ = T_LINE;
      p = put_zz (p, (gint64) ev->u.line.line - (gint64) c->cur_line);
      c->cur_line = ev->u.line.line;
      rec->w = p;
      rec_commit (rec);
      return;
    }

  if (ev->frame != c->cur_frame || ev->line != c->cur_line)
    {
      *p++ = T_CTX;
      p = put_zz (p, (gint64) (ev->frame - c->cur_frame));
      p = put_zz (p, (gint64) ev->line - (gint64) c->cur_line);
      c->cur_frame = ev->frame;
      c->cur_line = ev->line;
    }

  switch (ev->kind)
    {
    case HS_EV_REF:
      {
        HsHolderKind k = ev->u.ref.holder_kind;
        gboolean has_old = ev->u.ref.old_target != 0, has_new = ev->u.ref.new_target != 0;

        *p++ = T_REF | (s1 ? 0x40 : 0) | ((k & 0x0f) << 2) | (has_old << 1) | has_new;
        if (holder_is_running_frame_kind (k))
          p = put_zz (p, (gint64) (ev->u.ref.holder - c->cur_frame));
        else
          p = put_id (p, c, ev->u.ref.holder);
        if (slot_is_id (k))
          p = put_id (p, c, ev->u.ref.slot);
        else
          p = put_uv (p, ev->u.ref.slot);
        if (s1)
          p = put_uv (p, s1);
        if (has_old)
          {
            p = put_id (p, c, ev->u.ref.old_target);
            p = put_rc (p, ev->u.ref.old_refcnt);
          }
        if (has_new)
          {
            p = put_id (p, c, ev->u.ref.new_target);
            p = put_rc (p, ev->u.ref.new_refcnt);
          }
      }
      break;
    case HS_EV_ALLOC:
      *p++ = T_ALLOC | (ev->u.alloc.tracked ? 1 : 0) | (ev->u.alloc.immortal ? 2 : 0)
             | (describe ? 4 : 0) | (ev->u.alloc.has_int ? 8 : 0);
      p = put_zz (p, (gint64) (ev->u.alloc.id - c->last_id));
      c->last_id = ev->u.alloc.id;
      p = put_uv (p, s1);
      p = put_uv (p, ev->u.alloc.size);
      if (ev->u.alloc.has_int)
        p = put_zz (p, ev->u.alloc.int_value);   /* its text is written only if asked for */
      else if (describe)
        p = put_text (p, describe, tlen);
      break;
    case HS_EV_FREE:
      *p++ = T_FREE + MIN ((guint) ev->u.free.cause, 2u);
      p = put_id (p, c, ev->u.free.id);
      break;
    case HS_EV_CALL:
      *p++ = T_CALL;
      p = put_zz (p, (gint64) (ev->u.call.frame - c->last_id));
      c->last_id = ev->u.call.frame;
      p = put_id (p, c, ev->u.call.parent);
      p = put_id (p, c, ev->u.call.function);
      p = put_uv (p, s1);
      p = put_uv (p, ev->u.call.line);
      c->cur_frame = ev->u.call.frame;
      c->cur_line = ev->u.call.line;
      break;
    case HS_EV_RETURN:
      *p++ = ev->u.ret.value ? T_RETURN : T_RETURN0;
      p = put_id (p, c, ev->u.ret.frame);
      if (ev->u.ret.value)
        p = put_id (p, c, ev->u.ret.value);
      break;
    case HS_EV_EXCEPTION:
      *p++ = T_EXCEPTION;
      p = put_id (p, c, ev->u.exception.exc);
      p = put_uv (p, s1);
      p = put_text (p, ev->u.exception.message ? ev->u.exception.message : "", tlen);
      break;
    case HS_EV_TRACK:
      *p++ = T_TRACK | (ev->u.track.tracked ? 1 : 0);
      p = put_id (p, c, ev->u.track.id);
      p = put_zz (p, ev->u.track.generation);
      break;
    case HS_EV_GC_START:
      *p++ = T_GC_START;
      p = put_uv (p, (guint64) ev->u.gc_start.generation);
      p = put_zz (p, ev->u.gc_start.count0);
      p = put_zz (p, ev->u.gc_start.count1);
      p = put_zz (p, ev->u.gc_start.count2);
      p = put_zz (p, ev->u.gc_start.threshold0);
      p = put_zz (p, ev->u.gc_start.threshold1);
      p = put_zz (p, ev->u.gc_start.threshold2);
      break;
    case HS_EV_GC_PHASE:
      {
        HsId prev = c->last_id;
        gsize i, n = ev->u.gc_phase.ids ? ev->u.gc_phase.n : 0;

        *p++ = T_GC_PHASE;
        p = put_uv (p, ev->u.gc_phase.phase);
        p = put_uv (p, (guint64) ev->u.gc_phase.generation);
        p = put_uv (p, n);
        p = put_uv (p, ev->u.gc_phase.values != NULL);
        for (i = 0; i < n; i++)
          {
            p = put_zz (p, (gint64) (ev->u.gc_phase.ids[i] - prev));
            prev = ev->u.gc_phase.ids[i];
          }
        if (ev->u.gc_phase.values != NULL)
          for (i = 0; i < n; i++)
            p = put_zz (p, ev->u.gc_phase.values[i]);
      }
      break;
    case HS_EV_GC_FINALIZE:
    case HS_EV_GC_RESURRECT:
      *p++ = ev->kind == HS_EV_GC_FINALIZE ? T_GC_FINALIZE : T_GC_RESURRECT;
      p = put_id (p, c, ev->u.gc_object.id);
      break;
    case HS_EV_GC_END:
      *p++ = T_GC_END;
      p = put_uv (p, (guint64) ev->u.gc_end.generation);
      p = put_zz (p, ev->u.gc_end.collected);
      p = put_zz (p, ev->u.gc_end.uncollectable);
      p = put_zz (p, ev->u.gc_end.threshold0);
      p = put_zz (p, ev->u.gc_end.threshold1);
      p = put_zz (p, ev->u.gc_end.threshold2);
      break;
    case HS_EV_GC_THRESHOLD:
      *p++ = T_GC_THRESHOLD;
      p = put_zz (p, ev->u.gc_threshold.threshold0);
      p = put_zz (p, ev->u.gc_threshold.threshold1);
      p = put_zz (p, ev->u.gc_threshold.threshold2);
      break;
    case HS_EV_OUTPUT:
      *p++ = T_OUTPUT;
      p = put_uv (p, (guint64) ev->u.output.stream);
      p = put_text (p, ev->u.output.text ? ev->u.output.text : "", tlen);
      break;
    case HS_EV_ROOT:
      *p++ = T_ROOT;
      p = put_id (p, c, ev->u.root.id);
      p = put_uv (p, s1);
      break;
    default:
      /* Unknown kinds are not recorded (the CTX record, if any, is harmless). */
      break;
    }
  rec->w = p;
  rec_commit (rec);
}

void
hs_trace_recorder_add (HsTraceRecorder *rec, const HsEvent *ev)
{
  rec_add (rec, ev);
}

int
hs_trace_recorder_hook (void *user_data, const HsEvent *event)
{
  rec_add (user_data, event);
  return 0;
}

/* ---- the reader -------------------------------------------------------------------- */

void
hs_trace_reader_init (HsTraceReader *r, HsTrace *trace)
{
  memset (r, 0, sizeof *r);
  r->trace = trace;
  r->ids = g_array_new (FALSE, FALSE, sizeof (HsId));
  r->values = g_array_new (FALSE, FALSE, sizeof (gint64));
}

void
hs_trace_reader_clear (HsTraceReader *r)
{
  g_clear_pointer (&r->ids, g_array_unref);
  g_clear_pointer (&r->values, g_array_unref);
}

/* Makes data/limit cover unread committed bytes.  FALSE: nothing more yet. */
static gboolean
reader_refill (HsTraceReader *r)
{
  HsTrace *t = r->trace;
  gboolean ok = FALSE;

  g_mutex_lock (&t->lock);
  while (r->chunk < t->chunks->len)
    {
      HsTraceChunk *c = g_ptr_array_index (t->chunks, r->chunk);
      gint sealed = g_atomic_int_get (&c->sealed);

      r->data = c->data;
      r->limit = __atomic_load_n (&c->committed, __ATOMIC_ACQUIRE);
      if (r->off < r->limit)
        {
          ok = TRUE;
          break;
        }
      if (!sealed || r->chunk + 1 >= t->chunks->len)
        break;
      r->chunk++;
      r->off = 0;
    }
  g_mutex_unlock (&t->lock);
  return ok;
}

static inline const char *
get_text (const guchar **pp)
{
  guint64 len = get_uv (pp);
  const char *s = (const char *) *pp;

  *pp += len + 1;
  return s;
}

static inline const char *
str_at (HsTrace *t, guint64 idx)
{
  return idx < t->strings->len ? g_ptr_array_index (t->strings, idx) : "?";
}

gboolean
hs_trace_reader_next (HsTraceReader *r, HsTraceDecoded *d)
{
  HsTraceCodec *c = &r->codec;
  HsEvent *ev = &d->ev;
  const guchar *p;
  guint tag;

  for (;;)
    {
      if (r->data == NULL || r->off >= r->limit)
        if (!reader_refill (r))
          return FALSE;
      p = r->data + r->off;
      tag = *p++;
      if (tag == T_STRDEF)
        {
          const char *s = get_text (&p);
          if (r->define_strings)
            g_ptr_array_add (r->trace->strings, (gpointer) s);
          r->off = (gsize) (p - r->data);
          continue;
        }
      if (tag == T_CTX)
        {
          c->cur_frame += (HsId) get_zz (&p);
          c->cur_line = (guint32) ((gint64) c->cur_line + get_zz (&p));
          r->off = (gsize) (p - r->data);
          continue;
        }
      break;
    }

  memset (d, 0, sizeof *d);
  ev->seq = ++r->n_events;
  if (tag == T_LINE || tag == T_LINE_F)
    {
      if (tag == T_LINE_F)
        c->cur_frame += (HsId) get_zz (&p);
      c->cur_line = (guint32) ((gint64) c->cur_line + get_zz (&p));
      ev->kind = HS_EV_LINE;
      ev->u.line.line = c->cur_line;
      ev->line = c->cur_line;
      ev->frame = c->cur_frame;
      r->off = (gsize) (p - r->data);
      return TRUE;
    }
  ev->line = c->cur_line;
  ev->frame = c->cur_frame;

  if (tag & T_REF)
    {
      HsHolderKind k = (tag >> 2) & 0x0f;

      ev->kind = HS_EV_REF;
      ev->u.ref.holder_kind = k;
      if (holder_is_running_frame_kind (k))
        ev->u.ref.holder = c->cur_frame + (HsId) get_zz (&p);
      else
        ev->u.ref.holder = get_id (&p, c);
      ev->u.ref.slot = slot_is_id (k) ? get_id (&p, c) : get_uv (&p);
      d->name_idx = (tag & 0x40) ? (guint32) get_uv (&p) : 0;
      ev->u.ref.name = d->name_idx ? str_at (r->trace, d->name_idx - 1) : NULL;
      if (tag & 2)
        {
          ev->u.ref.old_target = get_id (&p, c);
          ev->u.ref.old_refcnt = get_rc (&p);
        }
      if (tag & 1)
        {
          ev->u.ref.new_target = get_id (&p, c);
          ev->u.ref.new_refcnt = get_rc (&p);
        }
    }
  else if ((tag & 0xe0) == T_ALLOC)
    {
      ev->kind = HS_EV_ALLOC;
      c->last_id += (HsId) get_zz (&p);
      ev->u.alloc.id = c->last_id;
      ev->u.alloc.tracked = (tag & 1) != 0;
      ev->u.alloc.immortal = (tag & 2) != 0;
      d->type_idx = (guint32) get_uv (&p);
      ev->u.alloc.type_name = str_at (r->trace, d->type_idx);
      ev->u.alloc.size = get_uv (&p);
      ev->u.alloc.describe = (tag & 4) ? get_text (&p) : NULL;
      ev->u.alloc.has_int = (tag & 8) != 0;
      ev->u.alloc.int_value = ev->u.alloc.has_int ? get_zz (&p) : 0;
    }
  else
    switch (tag)
      {
      case T_FREE: case T_FREE + 1: case T_FREE + 2:
        ev->kind = HS_EV_FREE;
        ev->u.free.cause = tag - T_FREE;
        ev->u.free.id = get_id (&p, c);
        break;
      case T_CALL:
        ev->kind = HS_EV_CALL;
        c->last_id += (HsId) get_zz (&p);
        ev->u.call.frame = c->last_id;
        ev->u.call.parent = get_id (&p, c);
        ev->u.call.function = get_id (&p, c);
        d->str_idx = (guint32) get_uv (&p);
        ev->u.call.name = str_at (r->trace, d->str_idx);
        ev->u.call.line = (guint32) get_uv (&p);
        c->cur_frame = ev->u.call.frame;
        c->cur_line = ev->u.call.line;
        break;
      case T_RETURN: case T_RETURN0:
        ev->kind = HS_EV_RETURN;
        ev->u.ret.frame = get_id (&p, c);
        if (tag == T_RETURN)
          ev->u.ret.value = get_id (&p, c);
        break;
      case T_EXCEPTION:
        ev->kind = HS_EV_EXCEPTION;
        ev->u.exception.exc = get_id (&p, c);
        d->str_idx = (guint32) get_uv (&p);
        ev->u.exception.type_name = str_at (r->trace, d->str_idx);
        ev->u.exception.message = get_text (&p);
        break;
      case T_TRACK: case T_TRACK + 1:
        ev->kind = HS_EV_TRACK;
        ev->u.track.tracked = tag & 1;
        ev->u.track.id = get_id (&p, c);
        ev->u.track.generation = (int) get_zz (&p);
        break;
      case T_GC_START:
        ev->kind = HS_EV_GC_START;
        ev->u.gc_start.generation = (int) get_uv (&p);
        ev->u.gc_start.count0 = get_zz (&p);
        ev->u.gc_start.count1 = get_zz (&p);
        ev->u.gc_start.count2 = get_zz (&p);
        ev->u.gc_start.threshold0 = get_zz (&p);
        ev->u.gc_start.threshold1 = get_zz (&p);
        ev->u.gc_start.threshold2 = get_zz (&p);
        break;
      case T_GC_PHASE:
        {
          HsId prev = c->last_id;
          gsize i, n;
          gboolean has_values;

          ev->kind = HS_EV_GC_PHASE;
          ev->u.gc_phase.phase = get_uv (&p);
          ev->u.gc_phase.generation = (int) get_uv (&p);
          n = get_uv (&p);
          has_values = get_uv (&p) != 0;
          g_array_set_size (r->ids, n);
          g_array_set_size (r->values, has_values ? n : 0);
          for (i = 0; i < n; i++)
            {
              prev += (HsId) get_zz (&p);
              g_array_index (r->ids, HsId, i) = prev;
            }
          if (has_values)
            for (i = 0; i < n; i++)
              g_array_index (r->values, gint64, i) = get_zz (&p);
          ev->u.gc_phase.n = n;
          ev->u.gc_phase.ids = (const HsId *) r->ids->data;
          ev->u.gc_phase.values = has_values ? (const int64_t *) r->values->data : NULL;
        }
        break;
      case T_GC_FINALIZE: case T_GC_RESURRECT:
        ev->kind = tag == T_GC_FINALIZE ? HS_EV_GC_FINALIZE : HS_EV_GC_RESURRECT;
        ev->u.gc_object.id = get_id (&p, c);
        break;
      case T_GC_END:
        ev->kind = HS_EV_GC_END;
        ev->u.gc_end.generation = (int) get_uv (&p);
        ev->u.gc_end.collected = get_zz (&p);
        ev->u.gc_end.uncollectable = get_zz (&p);
        ev->u.gc_end.threshold0 = get_zz (&p);
        ev->u.gc_end.threshold1 = get_zz (&p);
        ev->u.gc_end.threshold2 = get_zz (&p);
        break;
      case T_GC_THRESHOLD:
        ev->kind = HS_EV_GC_THRESHOLD;
        ev->u.gc_threshold.threshold0 = get_zz (&p);
        ev->u.gc_threshold.threshold1 = get_zz (&p);
        ev->u.gc_threshold.threshold2 = get_zz (&p);
        break;
      case T_OUTPUT:
        {
          const guchar *q;
          ev->kind = HS_EV_OUTPUT;
          ev->u.output.stream = (int) get_uv (&p);
          q = p;
          ev->u.output.len = get_uv (&q);
          ev->u.output.text = get_text (&p);
        }
        break;
      case T_ROOT:
        ev->kind = HS_EV_ROOT;
        ev->u.root.id = get_id (&p, c);
        d->str_idx = (guint32) get_uv (&p);
        ev->u.root.name = d->str_idx ? str_at (r->trace, d->str_idx - 1) : NULL;
        break;
      default:
        g_critical ("hs-trace: corrupt log (tag 0x%02x at chunk %u offset %" G_GSIZE_FORMAT ")",
                    tag, r->chunk, r->off);
        r->off = r->limit;
        r->n_events--;
        return FALSE;
      }
  r->off = (gsize) (p - r->data);
  return TRUE;
}

/* ---- the index -------------------------------------------------------------------- */

static void
maybe_checkpoint (HsTrace *t)
{
  HsTraceModel *ix = t->indexer;
  guint64 since = ix->st.event - t->last_checkpoint;
  gsize size;

  if (since < t->cp_min)
    return;
  size = hs_trace_model_snapshot_size (ix);
  if (since * t->cp_bytes_per_event < size
      && (since < t->cp_max || since * t->cp_max_bytes_per_event < size))
    return;
  {
    HsTraceCheckpoint *cp = hs_trace_model_save (ix);
    g_ptr_array_add (t->checkpoints, cp);
    t->checkpoint_bytes += cp->bytes;
    t->last_checkpoint = ix->st.event;
  }
}

static guint64
trace_sync (HsTrace *t, guint64 max_events)
{
  HsTraceModel *ix = t->indexer;
  gboolean finished = g_atomic_int_get (&t->finished);
  HsTraceDecoded d;
  guint64 n = 0;

  while (n < max_events && hs_trace_reader_next (&ix->reader, &d))
    {
      guint64 idx = ix->st.event;

      switch (d.ev.kind)
        {
        case HS_EV_LINE:
          /* 4 bytes a step: runs stop far below 2^32 events (step and heap caps). */
          if (G_LIKELY (idx <= G_MAXUINT32))
            {
              guint32 at = (guint32) (t->n_steps % HS_TRACE_STEP_PAGE);

              if (at == 0)
                g_ptr_array_add (t->step_pages, g_new (guint32, HS_TRACE_STEP_PAGE));
              ((guint32 *) g_ptr_array_index (t->step_pages, t->step_pages->len - 1))[at] = (guint32) idx;
              t->n_steps++;
            }
          break;
        case HS_EV_OUTPUT:
          if (d.ev.u.output.stream == HS_STREAM_STDERR && d.ev.u.output.len > 0)
            {
              HsTraceSpan *last = t->stderr_spans->len > 0
                                  ? &g_array_index (t->stderr_spans, HsTraceSpan, t->stderr_spans->len - 1)
                                  : NULL;

              if (last != NULL && last->end == t->output->len)
                last->end += d.ev.u.output.len;
              else
                {
                  HsTraceSpan span = { t->output->len, t->output->len + d.ev.u.output.len };
                  g_array_append_val (t->stderr_spans, span);
                }
            }
          g_string_append_len (t->output, d.ev.u.output.text, d.ev.u.output.len);
          break;
        case HS_EV_GC_START:
          {
            HsTraceCollection col = { 0 };
            col.start_event = idx;
            col.end_event = G_MAXUINT64;
            col.generation = d.ev.u.gc_start.generation;
            col.count[0] = d.ev.u.gc_start.count0;
            col.count[1] = d.ev.u.gc_start.count1;
            col.count[2] = d.ev.u.gc_start.count2;
            g_array_append_val (t->collections, col);
          }
          break;
        case HS_EV_GC_END:
          if (t->collections->len > 0)
            {
              HsTraceCollection *col = &g_array_index (t->collections, HsTraceCollection,
                                                       t->collections->len - 1);
              col->end_event = idx;
              col->collected = d.ev.u.gc_end.collected;
              col->uncollectable = d.ev.u.gc_end.uncollectable;
            }
          break;
        default:
          break;
        }
      hs_trace_model_apply_decoded (ix, &d);
      maybe_checkpoint (t);
      n++;
    }
  if (n < max_events && finished)
    t->indexed_all = TRUE;
  return n;
}

guint64
hs_trace_sync (HsTrace *trace)
{
  g_return_val_if_fail (trace != NULL, 0);
  return trace_sync (trace, G_MAXUINT64);
}

guint64
hs_trace_sync_some (HsTrace *trace, guint64 max_events)
{
  g_return_val_if_fail (trace != NULL, 0);
  return trace_sync (trace, max_events);
}

gboolean
hs_trace_is_finished (HsTrace *trace)
{
  return trace->indexed_all;
}

guint64
hs_trace_get_n_events (HsTrace *trace)
{
  return trace->indexer->st.event;
}

guint64
hs_trace_get_n_steps (HsTrace *trace)
{
  return trace->n_steps;
}

guint64
hs_trace_get_step_event (HsTrace *trace, guint64 step)
{
  g_return_val_if_fail (step >= 1 && step <= trace->n_steps, 0);
  step--;
  return ((guint32 *) g_ptr_array_index (trace->step_pages, step / HS_TRACE_STEP_PAGE))[step % HS_TRACE_STEP_PAGE];
}

const char *
hs_trace_string (HsTrace *trace, guint32 index)
{
  return str_at (trace, index);
}

const char *
hs_trace_get_output (HsTrace *trace, gsize *len)
{
  if (len != NULL)
    *len = trace->output->len;
  return trace->output->str;
}

guint
hs_trace_get_n_stderr_spans (HsTrace *trace)
{
  return trace->stderr_spans->len;
}

void
hs_trace_get_stderr_span (HsTrace *trace, guint i, gsize *start, gsize *end)
{
  const HsTraceSpan *span;

  g_return_if_fail (i < trace->stderr_spans->len);
  span = &g_array_index (trace->stderr_spans, HsTraceSpan, i);
  *start = span->start;
  *end = span->end;
}

guint
hs_trace_get_n_collections (HsTrace *trace)
{
  return trace->collections->len;
}

const HsTraceCollection *
hs_trace_get_collection (HsTrace *trace, guint i)
{
  g_return_val_if_fail (i < trace->collections->len, NULL);
  return &g_array_index (trace->collections, HsTraceCollection, i);
}

void
hs_trace_get_memory (HsTrace *trace, HsTraceMemory *mem)
{
  guint i;

  memset (mem, 0, sizeof *mem);
  g_mutex_lock (&trace->lock);
  for (i = 0; i < trace->chunks->len; i++)
    {
      HsTraceChunk *c = g_ptr_array_index (trace->chunks, i);
      /* The last chunk counts what is used: its tail is reserved, not filled. */
      mem->log_bytes += i + 1 < trace->chunks->len ? c->size : c->committed;
    }
  g_mutex_unlock (&trace->lock);
  mem->checkpoint_bytes = trace->checkpoint_bytes;
  mem->n_checkpoints = trace->checkpoints->len;
  mem->index_bytes = trace->n_steps * sizeof (guint32)
                     + trace->strings->len * sizeof (gpointer)
                     + trace->output->len
                     + trace->stderr_spans->len * sizeof (HsTraceSpan)
                     + trace->collections->len * sizeof (HsTraceCollection);
}

/* Positions a fresh reader just after `cp` (or at the start). */
void
hs_trace_reader_seek_checkpoint (HsTraceReader *r, const HsTraceCheckpoint *cp)
{
  r->data = NULL;
  r->limit = 0;
  if (cp == NULL)
    {
      r->chunk = 0;
      r->off = 0;
      memset (&r->codec, 0, sizeof r->codec);
      r->n_events = 0;
    }
  else
    {
      r->chunk = cp->chunk;
      r->off = cp->off;
      r->codec = cp->codec;
      r->n_events = cp->st.event;
    }
}

/* The last checkpoint at or before `event`, or NULL (the start). */
const HsTraceCheckpoint *
hs_trace_find_checkpoint (HsTrace *t, guint64 event)
{
  guint lo = 0, hi = t->checkpoints->len;

  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;
      const HsTraceCheckpoint *cp = g_ptr_array_index (t->checkpoints, mid);
      if (cp->st.event <= event)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo == 0 ? NULL : g_ptr_array_index (t->checkpoints, lo - 1);
}

void
hs_trace_foreach_event (HsTrace *trace, guint64 first, guint64 n, HsTraceEventFunc func,
                        gpointer user_data)
{
  HsTraceReader r;
  HsTraceDecoded d;
  guint64 end = first + MIN (n, G_MAXUINT64 - first);

  g_return_if_fail (trace != NULL && func != NULL);
  end = MIN (end, trace->indexer->st.event);
  hs_trace_reader_init (&r, trace);
  hs_trace_reader_seek_checkpoint (&r, hs_trace_find_checkpoint (trace, first));
  while (r.n_events < end && hs_trace_reader_next (&r, &d))
    {
      if (r.n_events <= first)
        continue;
      if (!func (&d.ev, user_data))
        break;
    }
  hs_trace_reader_clear (&r);
}

struct _HsTraceCursor {
  HsTraceReader r;
};

HsTraceCursor *
hs_trace_cursor_new (HsTrace *trace)
{
  HsTraceCursor *c = g_new0 (HsTraceCursor, 1);

  hs_trace_reader_init (&c->r, hs_trace_ref (trace));
  return c;
}

void
hs_trace_cursor_free (HsTraceCursor *c)
{
  HsTrace *trace;

  if (c == NULL)
    return;
  trace = c->r.trace;
  hs_trace_reader_clear (&c->r);
  hs_trace_unref (trace);
  g_free (c);
}

HsTrace *
hs_trace_cursor_get_trace (HsTraceCursor *c)
{
  return c->r.trace;
}

void
hs_trace_cursor_foreach (HsTraceCursor *c, guint64 first, guint64 n, HsTraceEventFunc func,
                         gpointer user_data)
{
  HsTrace *trace;
  HsTraceDecoded d;
  const HsTraceCheckpoint *cp;
  guint64 end = first + MIN (n, G_MAXUINT64 - first);

  g_return_if_fail (c != NULL && func != NULL);
  trace = c->r.trace;
  end = MIN (end, trace->indexer->st.event);
  /* Reading on is cheapest unless `first` lies behind, or a checkpoint is closer. */
  cp = hs_trace_find_checkpoint (trace, first);
  if (first < c->r.n_events || (cp != NULL && cp->st.event > c->r.n_events))
    hs_trace_reader_seek_checkpoint (&c->r, cp);
  while (c->r.n_events < end && hs_trace_reader_next (&c->r, &d))
    {
      if (c->r.n_events <= first)
        continue;
      if (!func (&d.ev, user_data))
        break;
    }
}
