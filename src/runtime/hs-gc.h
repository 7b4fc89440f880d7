/* hs-gc.h — the generational cycle collector (CPython 3.11's Modules/gcmodule.c scheme). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "hs-object.h"

#define HS_GC_GENERATIONS 3
#define HS_GC_PERMANENT   3   /* generation number of frozen objects */

/* gc.set_debug() flags, with CPython's values. */
#define HS_GC_DEBUG_STATS         (1 << 0)
#define HS_GC_DEBUG_COLLECTABLE   (1 << 1)
#define HS_GC_DEBUG_UNCOLLECTABLE (1 << 2)
#define HS_GC_DEBUG_SAVEALL       (1 << 5)
#define HS_GC_DEBUG_LEAK          (HS_GC_DEBUG_COLLECTABLE | HS_GC_DEBUG_UNCOLLECTABLE \
                                   | HS_GC_DEBUG_SAVEALL)

/* HsGcHead.gc_flags: scratch bits, only meaningful during a collection. */
enum {
  HS_GC_FLAG_COLLECTING  = 1u << 0, /* in the set being collected */
  HS_GC_FLAG_UNREACHABLE = 1u << 1, /* moved to the unreachable list by move_unreachable */
};

typedef struct {
  HsGcHead head;            /* list sentinel */
  int      threshold;
  int      count;
} HsGcGeneration;

typedef struct {
  int64_t collections;
  int64_t collected;
  int64_t uncollectable;
} HsGcGenStats;

typedef struct {
  HsGcGeneration generations[HS_GC_GENERATIONS];
  HsGcGeneration permanent;           /* gc.freeze() */
  HsGcGenStats   stats[HS_GC_GENERATIONS];
  int64_t        long_lived_total;
  int64_t        long_lived_pending;
  bool           enabled;
  bool           collecting;
  int            debug;               /* gc.set_debug() flags */
  HsObject      *garbage;             /* gc.garbage list (owned) */
  HsObject      *callbacks;           /* gc.callbacks list (owned) */
  bool           initialized;         /* list heads linked (lazily, on first use) */
  bool           clearing;            /* inside the clear phase of a collection */
} HsGcState;

/* Links a container at the end of generation 0 (no effect if already tracked, or if
 * its type has no HS_TPFLAG_GC) and publishes HS_EV_TRACK.  Counting the allocation
 * and collecting is hs_gc_on_alloc()'s job, as in CPython. */
void    hs_gc_track (HsVm *vm, HsObject *obj);
/* Unlinks it from its generation (no effect if not tracked); publishes HS_EV_TRACK. */
void    hs_gc_untrack (HsVm *vm, HsObject *obj);
static inline bool hs_gc_is_tracked (const HsObject *obj) { return (obj->flags & HS_OBJ_TRACKED) != 0; }
/* Called by hs_object_alloc() for every new HS_TPFLAG_GC object, before it is tracked:
 * counts the allocation and collects when count0 exceeds threshold0. */
void    hs_gc_on_alloc (HsVm *vm);
void    hs_gc_on_free (HsVm *vm);
/* gc.collect(generation): collected + uncollectable, or -1 with an exception set.
 * Runs gc.callbacks; returns 0 at once when a collection is already running. */
int64_t hs_gc_collect (HsVm *vm, int generation);
/* Why an object freed right now is freed: HS_FREE_GC while the collector clears an
 * unreachable set (the refcount cascade it starts), HS_FREE_REFCOUNT otherwise. */
HsFreeCause hs_gc_free_cause (HsVm *vm);
/* What the gc module needs beyond the above (hs-gcmodule.c). */
int64_t hs_gc_list_size (const HsGcHead *head);
void    hs_gc_freeze (HsVm *vm);
void    hs_gc_unfreeze (HsVm *vm);
/* Publishes the thresholds in force (HS_EV_GC_THRESHOLD): gc.set_threshold() calls it. */
void    hs_gc_emit_thresholds (HsVm *vm);
