/* hs-trace.h — the recorded event log of a run, its time-travel model and queries. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include <stdio.h>

#include "hs.h"

G_BEGIN_DECLS

/* ---- the recording ----------------------------------------------------------
 *
 * An HsTrace holds one run: a compact log of every event (varint records in
 * fixed chunks that never move), the string table, and an index built from
 * the log (line steps, periodic checkpoints, output text, collections).
 *
 * Threads: one HsTraceRecorder appends from the VM's thread; everything else
 * (hs_trace_sync, models, queries) runs on one other thread, usually the main
 * loop's.  hs_trace_sync() reads what the recorder committed so far. */

typedef struct _HsTrace HsTrace;
typedef struct _HsTraceRecorder HsTraceRecorder;

HsTrace         *hs_trace_new (void);
HsTrace         *hs_trace_ref (HsTrace *trace);
void             hs_trace_unref (HsTrace *trace);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsTrace, hs_trace_unref)

/* The writer.  Only one per trace; not thread-safe itself. */
HsTraceRecorder *hs_trace_recorder_new (HsTrace *trace);
void             hs_trace_recorder_free (HsTraceRecorder *rec);
/* Encodes one event (copies what it needs).  Never touches GObject. */
void             hs_trace_recorder_add (HsTraceRecorder *rec, const HsEvent *event);
/* An HsHookFunc that records into the HsTraceRecorder given as user_data. */
int              hs_trace_recorder_hook (void *user_data, const HsEvent *event);
/* Marks the end of the run: later events are ignored (a VM's teardown). */
void             hs_trace_recorder_finish (HsTraceRecorder *rec);

/* Indexes what the recorder committed since the last call (steps, checkpoints,
 * output).  Returns the number of new events. */
guint64          hs_trace_sync (HsTrace *trace);
/* The same, indexing at most max_events (keeps each main-loop turn short). */
guint64          hs_trace_sync_some (HsTrace *trace, guint64 max_events);
gboolean         hs_trace_is_finished (HsTrace *trace);   /* indexed up to the recorder's end */

guint64          hs_trace_get_n_events (HsTrace *trace);  /* indexed events */
guint64          hs_trace_get_n_steps (HsTrace *trace);   /* indexed LINE events */
/* Event index (0-based) of the LINE event of step `step` (1-based). */
guint64          hs_trace_get_step_event (HsTrace *trace, guint64 step);
const char      *hs_trace_string (HsTrace *trace, guint32 index);
/* All program output indexed so far (stdout and stderr interleaved). */
const char      *hs_trace_get_output (HsTrace *trace, gsize *len);
/* The parts of that output written to stderr (tracebacks, warnings): byte ranges
 * [start, end), in order, adjacent writes merged. */
guint            hs_trace_get_n_stderr_spans (HsTrace *trace);
void             hs_trace_get_stderr_span (HsTrace *trace, guint i, gsize *start, gsize *end);

typedef struct {
  guint64 start_event;   /* index of the GC_START event */
  guint64 end_event;     /* index of the GC_END event */
  int     generation;
  gint64  collected;
  gint64  uncollectable;
  gint64  count[3];      /* generation counts when it started */
} HsTraceCollection;

guint                    hs_trace_get_n_collections (HsTrace *trace);
const HsTraceCollection *hs_trace_get_collection (HsTrace *trace, guint i);

typedef struct {
  gsize   log_bytes;         /* the event log, chunk slack included */
  gsize   checkpoint_bytes;
  gsize   index_bytes;       /* step index, strings, output */
  guint   n_checkpoints;
} HsTraceMemory;

void             hs_trace_get_memory (HsTrace *trace, HsTraceMemory *mem);
/* Checkpoint policy: never closer than `min_events`; a checkpoint once the events
 * since the last one times `bytes_per_event` reach the snapshot's size (about
 * `bytes_per_event` bytes of checkpoints an event; bigger heaps, sparser ones);
 * at most `max_events` apart, unless that checkpoint would cost more than
 * `max_bytes_per_event` bytes for each event since the last one (G_MAXUINT: no
 * bound).  A program with a huge heap then gets slower seeks rather than gigabytes
 * of checkpoints.  Defaults 4096, 1, 1 << 20, 16. */
void             hs_trace_set_checkpoint_policy (HsTrace *trace, guint min_events,
                                                 guint bytes_per_event, guint max_events,
                                                 guint max_bytes_per_event);

/* Reads the indexed log back: events from `first` (0-based), `n` of them, in order.
 * Decoded strings point into the trace and stay valid as long as it lives. */
typedef gboolean (*HsTraceEventFunc) (const HsEvent *event, gpointer user_data);
void             hs_trace_foreach_event (HsTrace *trace, guint64 first, guint64 n,
                                         HsTraceEventFunc func, gpointer user_data);
/* A reader that stays where it stopped: reading on from there costs only the new
 * events, where hs_trace_foreach_event starts again from a checkpoint each time.
 * The cursor holds a reference to the trace. */
typedef struct _HsTraceCursor HsTraceCursor;
HsTraceCursor   *hs_trace_cursor_new (HsTrace *trace);
void             hs_trace_cursor_free (HsTraceCursor *cursor);
HsTrace         *hs_trace_cursor_get_trace (HsTraceCursor *cursor);
/* As hs_trace_foreach_event; reads on from where the cursor stopped when `first`
 * is not behind it (and no checkpoint lies between), else from a checkpoint. */
void             hs_trace_cursor_foreach (HsTraceCursor *cursor, guint64 first, guint64 n,
                                          HsTraceEventFunc func, gpointer user_data);

/* ---- the model: the state of the program at one point of the trace ---------- */

typedef enum {
  HS_TRACE_ALIVE,
  HS_TRACE_FREED_REFCOUNT,
  HS_TRACE_FREED_GC,
  HS_TRACE_FREED_TEARDOWN,
} HsTraceObjectState;

enum {
  HS_TRACE_OBJ_TRACKED   = 1 << 0,
  HS_TRACE_OBJ_IMMORTAL  = 1 << 1,
  HS_TRACE_OBJ_FINALIZED = 1 << 2,   /* __del__ ran (PEP 442) */
  /* The runtime's C code may hold one reference that is in no slot: the
   * creation reference of a new object, or one moved out of a slot into a C
   * variable (reported as a release).  Set at ALLOC, when a report shows
   * refcount 0 with no slot left, and when a slot's release reports a count one
   * above the slots left; cleared when a report shows refcount == counted
   * references > 0.  While set, refcount may exceed the count by 1. */
  HS_TRACE_OBJ_NEWBORN   = 1 << 3,
  HS_TRACE_OBJ_UNKNOWN   = 1 << 4,   /* referenced before (or without) its ALLOC */
  HS_TRACE_OBJ_ROOT      = 1 << 5,   /* a root container (ROOT event) */
  HS_TRACE_OBJ_INT       = 1 << 6,   /* an int: value.int_value holds it, not a text */
};

/* Marks set by the collection in progress (hs_trace_model_object_gc_flags). */
enum {
  HS_TRACE_GC_EXAMINED    = 1 << 0,  /* in the generation being collected; gc_refs valid */
  HS_TRACE_GC_UNREACHABLE = 1 << 1,
  HS_TRACE_GC_FINALIZING  = 1 << 2,
  HS_TRACE_GC_RESURRECTED = 1 << 3,
  HS_TRACE_GC_CLEARED     = 1 << 4,
};

typedef struct {
  HsId     id;
  guint64  alloc_event;   /* event index of its ALLOC (G_MAXUINT64 if unknown) */
  guint64  free_event;    /* event index of its FREE (G_MAXUINT64 while alive) */
  gint64   refcnt;        /* as the runtime last reported it */
  gint64   gc_refs;       /* scratch value of the collection in progress */
  union {
    const char *text;     /* short value text ("'Hello'", "[]"), NULL if none */
    gint64      int_value;/* an int's value, when flags has HS_TRACE_OBJ_INT */
  } value;                /* read it with hs_trace_model_describe() */
  guint32  type_name;     /* string index (hs_trace_string) */
  guint32  size;          /* shallow size, as sys.getsizeof */
  guint32  inrefs;        /* references the model counts into it */
  guint32  gc_mark;       /* collection number the gc flags belong to */
  gint8    generation;    /* 0..2, 3 permanent; -1 untracked */
  guint8   state;         /* HsTraceObjectState */
  guint8   flags;         /* HS_TRACE_OBJ_* */
  guint8   gc_flags;      /* HS_TRACE_GC_*, valid when gc_mark is the current collection */
} HsTraceObject;

typedef struct {
  HsId     id;
  HsId     parent;
  HsId     function;
  guint32  name;          /* string index */
  guint32  first_line;
  guint32  line;          /* current line */
  guint32  depth;         /* 0 = module frame */
} HsTraceFrame;

typedef struct {
  HsId     holder;        /* frame or object id; 0 for the runtime */
  guint64  slot;
  HsId     target;
  guint64  born;          /* the event that filled the slot (a new target keeps it): a
                             dict's and a frame's entries keep their insertion order */
  guint32  name;          /* string index + 1, 0 none */
  guint8   holder_kind;   /* HsHolderKind */
  guint8   holder_is_frame;
  guint8   pad[2];
} HsTraceRef;

typedef struct {
  guint64  event;         /* seq (1-based) of the event after which it was seen */
  HsId     id;
  gint64   expected;      /* the refcount the runtime reported */
  gint64   counted;       /* references the model counts into it */
  const char *what;       /* "refcount", "slot", "free", ... */
} HsTraceMismatch;

#define HS_TYPE_TRACE_MODEL (hs_trace_model_get_type ())
G_DECLARE_FINAL_TYPE (HsTraceModel, hs_trace_model, HS, TRACE_MODEL, GObject)

HsTraceModel        *hs_trace_model_new (HsTrace *trace);
HsTrace             *hs_trace_model_get_trace (HsTraceModel *self);
/* Switches to another trace (a new run), at its start; emits nothing. */
void                 hs_trace_model_set_trace (HsTraceModel *self, HsTrace *trace);

/* Position: number of events applied; step = number of LINE events applied. */
guint64              hs_trace_model_get_event (HsTraceModel *self);
guint64              hs_trace_model_get_step (HsTraceModel *self);
/* Moves to the state after `n_events` events / after the LINE event of `step`
 * (0: before anything ran).  Clamped to what is indexed.  Emits "changed". */
void                 hs_trace_model_seek_event (HsTraceModel *self, guint64 n_events);
void                 hs_trace_model_seek_step (HsTraceModel *self, guint64 step);
/* Moves to the program's final state: after its last line ran, just before the
 * module frame returned (everything still in place; the None its implicit return
 * pushed is not there yet).  Emits "changed". */
void                 hs_trace_model_seek_end (HsTraceModel *self);
/* A run ended by an uncaught exception: the state where it was raised, before any
 * frame was unwound (as hs_trace_model_seek_end() if there is none). */
void                 hs_trace_model_seek_error (HsTraceModel *self);
/* Seek without emitting "changed" (for tests and bulk use). */
void                 hs_trace_model_seek_event_quiet (HsTraceModel *self, guint64 n_events);
/* Applies the next indexed event (one memory event at a time); FALSE at the end. */
gboolean             hs_trace_model_next_event (HsTraceModel *self);

guint                hs_trace_model_get_n_objects (HsTraceModel *self);   /* live ones */
const HsTraceObject *hs_trace_model_get_object (HsTraceModel *self, guint i);
/* A live object, or one the line that just ran freed (since the LINE before the
 * current one, so the view can show it fading out where it stood); NULL otherwise. */
const HsTraceObject *hs_trace_model_lookup_object (HsTraceModel *self, HsId id);
guint                hs_trace_model_get_n_freed (HsTraceModel *self);     /* freed by the last line */
const HsTraceObject *hs_trace_model_get_freed (HsTraceModel *self, guint i);
const char          *hs_trace_model_type_name (HsTraceModel *self, const HsTraceObject *obj);
/* The object's short value text ("42", "'Hello'"), or NULL if it has none.  Valid
 * while the model lives (an int's text is written when first asked for). */
const char          *hs_trace_model_describe (HsTraceModel *self, const HsTraceObject *obj);
guint8               hs_trace_model_object_gc_flags (HsTraceModel *self, const HsTraceObject *obj);

guint                hs_trace_model_get_n_frames (HsTraceModel *self);    /* bottom first */
const HsTraceFrame  *hs_trace_model_get_frame (HsTraceModel *self, guint i);
const HsTraceFrame  *hs_trace_model_lookup_frame (HsTraceModel *self, HsId id);
const char          *hs_trace_model_frame_name (HsTraceModel *self, const HsTraceFrame *frame);
HsId                 hs_trace_model_get_current_frame (HsTraceModel *self);
guint32              hs_trace_model_get_current_line (HsTraceModel *self);

guint                hs_trace_model_get_n_refs (HsTraceModel *self);
const HsTraceRef    *hs_trace_model_get_ref (HsTraceModel *self, guint i);
/* The label of a reference: "message", "[3]", "['key']", ".attr", "temporary", ... */
char                *hs_trace_model_ref_label (HsTraceModel *self, const HsTraceRef *ref);
/* The order references are shown in: a list's or tuple's items by index, any other in
 * the order its slot was filled (a dict's insertion order, a key just before its
 * value, a frame's variables as they were bound).  0 only for the same slot. */
gint                 hs_trace_ref_compare (const HsTraceRef *a, const HsTraceRef *b);
/* "set" or "frozenset": the KEY references of such an object are its elements. */
gboolean             hs_trace_type_is_set (const char *type_name);
/* Frame variables and globals, for the frames column: refs held by a frame. */
GArray              *hs_trace_model_frame_refs (HsTraceModel *self, HsId frame);  /* of HsTraceRef */

gsize                hs_trace_model_get_output_len (HsTraceModel *self);  /* prefix of hs_trace_get_output */
guint                hs_trace_model_get_n_collections (HsTraceModel *self);
gboolean             hs_trace_model_in_collection (HsTraceModel *self);
/* The generation counts and the thresholds in force at this point (gc.set_threshold()
 * takes effect at its GC_THRESHOLD event; 700, 10, 10 before any).  Either may be NULL. */
void                 hs_trace_model_get_gc_counts (HsTraceModel *self, gint64 counts[3],
                                                   gint64 thresholds[3]);
/* The last exception raised (0 if none yet), with its type name and message. */
HsId                 hs_trace_model_get_exception (HsTraceModel *self, const char **type_name,
                                                   const char **message, guint32 *line);

/* The invariant: every live non-immortal object's refcount equals the references
 * counted into it (one more allowed while HS_TRACE_OBJ_NEWBORN), every slot
 * change matched the model, and nothing was freed while still referenced.
 * Returns FALSE and fills `out` with the first mismatch. */
gboolean             hs_trace_model_check (HsTraceModel *self, HsTraceMismatch *out);

/* ---- queries (hs-trace-query.c) ------------------------------------------------ */

/* Refs pointing at / held by an object.  GArray of HsTraceRef. */
GArray   *hs_trace_model_referrers (HsTraceModel *self, HsId id);
GArray   *hs_trace_model_referents (HsTraceModel *self, HsId id);
/* Shortest path from a root (frame variable, temporary, global, runtime) to `id`:
 * the refs in order, the first held by a root.  NULL when not reachable. */
GArray   *hs_trace_model_retainer_path (HsTraceModel *self, HsId id);
/* Strongly connected components with a cycle (size > 1 or a self-reference):
 * a GPtrArray of GArray of HsId. */
GPtrArray *hs_trace_model_cycles (HsTraceModel *self);
/* Live objects unreachable from every root (cyclic garbage waiting for the collector). */
GArray   *hs_trace_model_garbage (HsTraceModel *self);   /* of HsId */
gboolean  hs_trace_model_is_garbage (HsTraceModel *self, HsId id);
/* Retained size: what would be freed with it (dominator tree). */
guint64   hs_trace_model_retained_size (HsTraceModel *self, HsId id);
/* Immediate dominator (0: the virtual root). */
HsId      hs_trace_model_idom (HsTraceModel *self, HsId id);

/* An object's refcount over its life up to the model's position (for a
 * sparkline): GArray of HsTraceRefcountPoint, one per reported change. */
typedef struct {
  guint64 event;    /* event index of the change */
  gint64  refcnt;   /* refcount after it */
} HsTraceRefcountPoint;

GArray   *hs_trace_model_refcount_history (HsTraceModel *self, HsId id);

/* The line an event happened on (0 outside any frame); FALSE past the index. */
gboolean  hs_trace_get_event_line (HsTrace *trace, guint64 event, guint32 *line);

/* ---- JSON Lines export (hs-trace-json.c) ------------------------------------------ */

#define HS_TRACE_SCHEMA_VERSION 1
/* Additions within the major version (1.1: thresholds on gc events, gc_threshold). */
#define HS_TRACE_SCHEMA_MINOR 1

/* Writes a header line then one line per indexed event (see TRACE-SCHEMA.md).
 * `result` ("ok", "runtime-error", ...) may be NULL.  FALSE on a write error. */
gboolean  hs_trace_write_jsonl (HsTrace *trace, FILE *out, const char *program,
                                const char *result, GError **error);
/* Formats one event as a JSON object (no newline) into `str`. */
void      hs_trace_event_to_json (const HsEvent *event, GString *str);

G_END_DECLS
