/* hs-event.h — the events the runtime publishes through its one hook. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Ids of objects and frames share one counter and are never reused in a run.
 * 0 means "no object". */
typedef uint64_t HsId;

typedef enum {
  HS_EV_LINE,          /* a new line is about to run (one "step") */
  HS_EV_CALL,          /* a frame was pushed */
  HS_EV_RETURN,        /* a frame is about to be popped */
  HS_EV_EXCEPTION,     /* an exception was raised (or re-raised) in a frame */
  HS_EV_ALLOC,         /* an object was created */
  HS_EV_REF,           /* a reference changed: holder/slot now points at new_target instead of old_target */
  HS_EV_FREE,          /* an object's memory was released */
  HS_EV_TRACK,         /* an object was tracked or untracked by the cycle collector, or changed generation */
  HS_EV_GC_START,      /* a collection began */
  HS_EV_GC_PHASE,      /* a collection phase finished, with the objects it concerns */
  HS_EV_GC_FINALIZE,   /* the collector is about to call an object's __del__ */
  HS_EV_GC_RESURRECT,  /* a finalizer made an unreachable object reachable again */
  HS_EV_GC_END,        /* a collection finished */
  HS_EV_OUTPUT,        /* the program wrote text (stdout or stderr) */
  HS_EV_ROOT,          /* a root container appeared: the module globals, the builtins, sys.modules... */
  HS_EV_GC_THRESHOLD,  /* gc.set_threshold() changed the collection thresholds */
  HS_EV__COUNT
} HsEventKind;

#define HS_EVMASK(kind) (1u << (kind))
#define HS_EVMASK_ALL   ((1u << HS_EV__COUNT) - 1)
/* Everything the trace model needs to mirror the heap exactly. */
#define HS_EVMASK_MEMORY (HS_EVMASK (HS_EV_ALLOC) | HS_EVMASK (HS_EV_REF) | HS_EVMASK (HS_EV_FREE) \
                          | HS_EVMASK (HS_EV_TRACK) | HS_EVMASK (HS_EV_ROOT))

/* Who holds a reference.  Together with (holder, slot) it names one reference slot. */
typedef enum {
  HS_HOLDER_LOCAL,     /* holder = frame id, slot = local index, name = variable name */
  HS_HOLDER_STACK,     /* holder = frame id, slot = value-stack depth (0 = bottom): a temporary */
  HS_HOLDER_GLOBAL,    /* holder = globals dict id, slot = key object id, name = variable name */
  HS_HOLDER_ITEM,      /* holder = list/tuple id, slot = index */
  HS_HOLDER_KEY,       /* holder = dict/set id, slot = key object id: the dict/set holds its key */
  HS_HOLDER_VALUE,     /* holder = dict id, slot = key object id: the value stored under that key */
  HS_HOLDER_ATTR,      /* holder = instance/class id, slot = name object id, name = attribute name */
  HS_HOLDER_CELL,      /* holder = cell id, slot = 0 */
  HS_HOLDER_CONST,     /* holder = code object id, slot = constant index (cpython profile only) */
  HS_HOLDER_INTERNAL,  /* holder = object or frame id, slot = small number, name = label:
                          "__class__", "__func__", "__self__", "defaults", "closure", "iterable",
                          "function" (a frame's function), "return value", "exception", ... */
  HS_HOLDER_RUNTIME,   /* the runtime itself (builtins, caches, the current exception); holder = 0 */
} HsHolderKind;

typedef enum {
  HS_FREE_REFCOUNT,    /* refcount reached zero */
  HS_FREE_GC,          /* the cycle collector cleared it */
  HS_FREE_TEARDOWN,    /* the VM was destroyed */
} HsFreeCause;

typedef enum {
  HS_GC_PHASE_UPDATE_REFS,     /* ids + values: gc_refs = refcount, for every object in the set */
  HS_GC_PHASE_SUBTRACT_REFS,   /* ids + values: gc_refs after subtracting internal references */
  HS_GC_PHASE_UNREACHABLE,     /* ids: the unreachable set found by move_unreachable */
  HS_GC_PHASE_FINALIZERS,      /* ids: objects whose __del__ will run */
  HS_GC_PHASE_RESURRECTED,     /* ids: objects a finalizer made reachable again (they survive) */
  HS_GC_PHASE_CLEAR,           /* ids: objects whose references are being cleared */
  HS_GC_PHASE_PROMOTE,         /* ids: survivors moved to generation `generation` */
} HsGcPhase;

typedef struct {
  HsEventKind kind;
  uint32_t    line;    /* line of the running frame, 0 outside any frame */
  HsId        frame;   /* id of the running frame, 0 outside any frame */
  uint64_t    seq;     /* event number, from 1 */
  union {
    struct { uint32_t line; } line;
    struct {
      HsId        frame;     /* the new frame */
      HsId        parent;    /* the calling frame, 0 for the module frame */
      HsId        function;  /* function object id, 0 for the module */
      const char *name;      /* "<module>", "greet", "<lambda>", "<listcomp>" */
      uint32_t    line;      /* first line */
    } call;
    struct { HsId frame; HsId value; } ret;
    struct {
      HsId        exc;        /* the exception object */
      const char *type_name;
      const char *message;    /* str(exc) */
    } exception;
    struct {
      HsId        id;
      const char *type_name;
      size_t      size;       /* shallow size in bytes, as sys.getsizeof reports */
      bool        tracked;
      bool        immortal;
      const char *describe;   /* short value text ("'Hello'", "[]"); NULL if none */
      /* An int's text is left to the consumer, most of whom never look at it: then
       * describe is NULL, has_int is set and hs_event_alloc_describe() gives it. */
      bool        has_int;
      int64_t     int_value;
    } alloc;
    struct {
      HsHolderKind holder_kind;
      HsId         holder;
      uint64_t     slot;
      const char  *name;       /* variable / attribute / label name, or NULL */
      HsId         old_target; /* 0: the slot was empty */
      HsId         new_target; /* 0: the slot is now empty */
      int64_t      old_refcnt; /* old target's refcount after this change (0 if none) */
      int64_t      new_refcnt; /* new target's refcount after this change (0 if none) */
    } ref;
    struct { HsId id; HsFreeCause cause; } free;
    struct { HsId id; bool tracked; int generation; } track;
    struct {
      int generation; int64_t count0, count1, count2;
      int64_t threshold0, threshold1, threshold2;   /* the thresholds in force */
    } gc_start;
    struct {
      HsGcPhase      phase;
      int            generation;
      size_t         n;
      const HsId    *ids;
      const int64_t *values;   /* gc_refs per id for UPDATE/SUBTRACT phases, else NULL */
    } gc_phase;
    struct { HsId id; } gc_object;   /* GC_FINALIZE, GC_RESURRECT */
    struct {
      int generation; int64_t collected; int64_t uncollectable;
      int64_t threshold0, threshold1, threshold2;   /* the thresholds in force */
    } gc_end;
    struct { int64_t threshold0, threshold1, threshold2; } gc_threshold;   /* GC_THRESHOLD */
    struct { int stream; const char *text; size_t len; } output; /* stream 1 = stdout, 2 = stderr */
    struct { HsId id; const char *name; } root;   /* "globals", "builtins" */
  } u;
} HsEvent;

/* Returns 0 to go on; anything else stops the program as soon as possible
 * (the run ends with HS_RESULT_CANCELLED).  The hook may block (a paused session). */
typedef int (*HsHookFunc) (void *user_data, const HsEvent *event);

/* An ALLOC event's short value text: `describe`, or the int's decimal text written to
 * `buf`; NULL if the object has none. */
#define HS_EVENT_INT_TEXT 24
const char *hs_event_alloc_describe (const HsEvent *event, char buf[HS_EVENT_INT_TEXT]);
/* Writes `value` in decimal and a NUL to `buf`; returns the length. */
size_t      hs_event_format_int (int64_t value, char buf[HS_EVENT_INT_TEXT]);

const char *hs_event_kind_name (HsEventKind kind);
const char *hs_holder_kind_name (HsHolderKind kind);
const char *hs_gc_phase_name (HsGcPhase phase);
