/* hs-trace-private.h — internals shared by the trace's source files. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "hs-trace.h"

/* The log is a list of chunks that never move, so decoded strings can point
 * into it.  A record never straddles two chunks. */
#define HS_TRACE_CHUNK_SIZE (2u << 20)   /* one huge page; a power of two (hs-trace-log.c) */

/* Steps a page of the step index holds (HsTrace.step_pages). */
#define HS_TRACE_STEP_PAGE (1u << 16)

/* A chunk's memory (size: a multiple of HS_TRACE_CHUNK_SIZE), written in; and its release. */
guchar *hs_trace_chunk_memory_new (gsize size);
void    hs_trace_chunk_memory_free (guchar *data, gsize size);
/* Asks the kernel to back the whole huge pages inside a big block not yet touched
 * (a fresh table, a snapshot about to be copied in) with huge pages: one fault
 * instead of 512.  A hint; does nothing where there is no such thing. */
void    hs_trace_advise_huge (gpointer data, gsize size);

/* A growable array of fixed-size items, for a model's big arrays: read it as a
 * GArray (g_array_index, ->len).  Once it is big, its memory is a mapping of its
 * own, and growing it moves page tables (mremap) instead of copying the items:
 * a GArray in malloc's heap copied 16 MB, and faulted in 32, in the middle of a
 * tick once a model held 230,000 objects. */
typedef struct {
  gchar   *data;
  guint    len;
  guint    item_size;
  gsize    cap;        /* bytes */
  gboolean mapped;     /* data is a mapping (cap bytes), not a heap block */
} HsTraceVec;

HsTraceVec *hs_trace_vec_new (guint item_size);
void        hs_trace_vec_free (HsTraceVec *v);
/* Room for `more` items after len; returns where they go (len is unchanged), NULL
 * while the vector has no memory (nothing asked for yet). */
gpointer    hs_trace_vec_reserve (HsTraceVec *v, guint more);
/* Appends n items (copied from `items`) and returns the first of them. */
gpointer    hs_trace_vec_append (HsTraceVec *v, gconstpointer items, guint n);
/* Shrinks to len items. */
void        hs_trace_vec_truncate (HsTraceVec *v, guint len);

#define hs_trace_vec_append_val(v, item) hs_trace_vec_append ((v), &(item), 1)

typedef struct {
  guchar  *data;
  gsize    size;
  gsize    committed;   /* written by the recorder (release), read by the indexer (acquire) */
  gint     sealed;      /* no more records will be added */
} HsTraceChunk;

/* State shared by the encoder and the decoder: predictions that make records small. */
typedef struct {
  HsId     cur_frame;
  HsId     last_id;     /* last allocated object or frame id */
  guint32  cur_line;
} HsTraceCodec;

typedef struct {
  HsTrace     *trace;
  guint        chunk;
  gsize        off;
  const guchar *data;   /* cached chunk data, or NULL */
  gsize        limit;   /* committed bytes of the cached chunk */
  HsTraceCodec codec;
  guint64      n_events;  /* events decoded so far = seq of the last one */
  gboolean     define_strings;
  GArray      *ids;     /* scratch for GC_PHASE */
  GArray      *values;
} HsTraceReader;

/* One decoded event plus the string indexes the model stores. */
typedef struct {
  HsEvent  ev;
  guint32  name_idx;    /* ref name + 1, 0 none */
  guint32  type_idx;    /* alloc type name */
  guint32  str_idx;     /* call name / exception type / root name */
} HsTraceDecoded;

/* Scalar part of a model's state, copied whole into checkpoints. */
typedef struct {
  guint64  event;
  guint64  step;
  guint64  last_line_event; /* event index of the latest LINE: frees since the one before stay shown */
  HsId     cur_frame;
  guint32  cur_line;
  guint32  gc_number;      /* collections started */
  guint32  n_collections;  /* collections finished */
  gboolean in_gc;
  gint64   gc_counts[3];
  gint64   gc_thresholds[3]; /* from GC_START / GC_END / GC_THRESHOLD; CPython's defaults before */
  gsize    output_len;
  HsId     exc;
  const char *exc_type;
  const char *exc_message;
  guint32  exc_line;
  gboolean has_violation;
  HsTraceMismatch violation;
} HsTraceModelState;

typedef struct {
  HsId    id;   /* 0: empty */
  guint32 v;
} HsTraceIdSlot;

typedef struct {
  HsTraceModelState st;
  guint         chunk;
  gsize         off;
  HsTraceCodec  codec;
  HsTraceObject *objs;   guint n_objs;
  HsTraceObject *freed;  guint n_freed;
  HsTraceFrame  *frames; guint n_frames;
  HsTraceRef    *refs;   guint n_refs;
  HsId          *roots;  guint n_roots;
  HsId          *newborn; guint n_newborn;
  gsize          bytes;
  /* A model's own near snapshot also keeps its id map and reference table: restoring
   * copies them rather than rebuilding them, a random access for every object and
   * reference (most of a big heap's restore).  NULL in the trace's checkpoints. */
  HsTraceIdSlot *idmap;   gsize idmap_cap, idmap_n;
  guint64       *rtab;    gsize rtab_cap;
} HsTraceCheckpoint;

struct _HsTrace {
  gatomicrefcount ref;

  /* Shared with the recorder's thread. */
  GMutex      lock;          /* guards `chunks` (the array, not the bytes) */
  GPtrArray  *chunks;        /* HsTraceChunk* */
  gint        finished;      /* the recorder called finish */

  /* Indexer side (one thread). */
  GPtrArray  *strings;       /* const char*, pointing into the log */
  /* The event index of each LINE, in pages of HS_TRACE_STEP_PAGE: growing never
   * copies what is there (a doubling array copied 16 MB, and faulted in 32, in the
   * middle of a tick once a run passed 4 million steps). */
  GPtrArray  *step_pages;    /* guint32[HS_TRACE_STEP_PAGE] */
  guint64     n_steps;
  GPtrArray  *checkpoints;   /* HsTraceCheckpoint* */
  GString    *output;
  GArray     *stderr_spans;  /* HsTraceSpan: the parts of `output` written to stderr */
  GArray     *collections;   /* HsTraceCollection */
  HsTraceModel *indexer;     /* the model at the indexed frontier */
  guint64     last_checkpoint;
  gsize       checkpoint_bytes;
  guint       cp_min, cp_bytes_per_event, cp_max, cp_max_bytes_per_event;
  gboolean    indexed_all;
};

typedef struct {
  gsize start, end;   /* byte offsets into the output, end excluded */
} HsTraceSpan;

struct _HsTraceModel {
  GObject        parent_instance;
  HsTrace       *trace;
  gboolean       is_indexer;  /* owned by the trace: holds no reference to it */
  HsTraceReader  reader;
  HsTraceModelState st;
  HsTraceVec    *objs;      /* HsTraceObject, live */
  HsTraceVec    *freed;     /* HsTraceObject, freed since the LINE before the last one */
  GArray        *frames;    /* HsTraceFrame, bottom first */
  HsTraceVec    *refs;      /* HsTraceRef */
  GArray        *roots;     /* HsId */
  GArray        *newborn;   /* HsId: allocated since the last LINE */
  /* id -> object index + 1, or FRAME_BIT | frame index + 1: open addressing over
   * the live ids only (ids keep growing through a run; a table indexed by id
   * would cost every model, and every seek that restores one, the whole range). */
  HsTraceIdSlot *idmap;
  gsize          idmap_cap;  /* power of two */
  gsize          idmap_n;
  guint64       *rtab;      /* open addressing: ref hash << 32 | ref index + 1 */
  gsize          rtab_cap;  /* power of two */
  /* A snapshot of this model's own, taken on a long seek (see seek_event_quiet). */
  HsTraceCheckpoint *near;
  guint          n_restores;  /* seeks that started from a snapshot (tests look) */
  GStringChunk  *int_texts;  /* ints' texts, written by hs_trace_model_describe() */
  /* Query cache, valid while cache_event == st.event. */
  guint64        cache_event;
  gpointer       graph;
};

#define HS_TRACE_FRAME_BIT 0x80000000u

static inline gsize
hs_trace_id_home (HsId id, gsize cap)
{
  return (gsize) ((((id >> 2) * G_GUINT64_CONSTANT (0x9E3779B97F4A7C15)) >> 30 & ~(guint64) 3)
                  | (id & 3)) & (cap - 1);
}

/* The id map's value for `id`, 0 when absent. */
static inline guint32
hs_trace_idmap_get (const HsTraceModel *self, HsId id)
{
  gsize mask = self->idmap_cap - 1, i;

  if (G_UNLIKELY (self->idmap_cap == 0))
    return 0;
  for (i = hs_trace_id_home (id, self->idmap_cap);; i = (i + 1) & mask)
    {
      const HsTraceIdSlot *e = &self->idmap[i];
      if (e->id == id)
        return e->v;
      if (e->id == 0)
        return 0;
    }
}

HsTraceModel *hs_trace_model_new_indexer (HsTrace *trace);
void      hs_trace_graph_free (gpointer graph);

/* hs-trace-log.c */
void      hs_trace_reader_init (HsTraceReader *r, HsTrace *trace);
void      hs_trace_reader_clear (HsTraceReader *r);
gboolean  hs_trace_reader_next (HsTraceReader *r, HsTraceDecoded *out);
void      hs_trace_reader_seek_checkpoint (HsTraceReader *r, const HsTraceCheckpoint *cp);
const HsTraceCheckpoint *hs_trace_find_checkpoint (HsTrace *trace, guint64 event);

/* hs-trace-model.c */
void      hs_trace_model_apply_decoded (HsTraceModel *self, const HsTraceDecoded *d);
/* The event a seek to n_events would replay from: where the model is, or the
 * snapshot it would restore. */
guint64   hs_trace_model_seek_start (HsTraceModel *self, guint64 n_events);
HsTraceCheckpoint *hs_trace_model_save (HsTraceModel *self);
void      hs_trace_checkpoint_free (HsTraceCheckpoint *cp);
gsize     hs_trace_model_snapshot_size (HsTraceModel *self);
