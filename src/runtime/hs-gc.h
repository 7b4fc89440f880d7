/* hs-gc.h — the generational cycle collector (CPython 3.11's Modules/gcmodule.c scheme). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "hs-object.h"

#define HS_GC_GENERATIONS 3
#define HS_GC_PERMANENT   3   /* generation number of frozen objects */

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
} HsGcState;

/* Links a container into generation 0 (counts it toward threshold 0) and may run an
 * automatic collection first, as CPython does at allocation time. */
void    hs_gc_track (HsVm *vm, HsObject *obj);
void    hs_gc_untrack (HsVm *vm, HsObject *obj);
static inline bool hs_gc_is_tracked (const HsObject *obj) { return (obj->flags & HS_OBJ_TRACKED) != 0; }
/* Called by hs_object_alloc() for every new HS_TPFLAG_GC object, before it is tracked:
 * counts the allocation and collects when count0 exceeds threshold0. */
void    hs_gc_on_alloc (HsVm *vm);
void    hs_gc_on_free (HsVm *vm);
/* gc.collect(generation): collected + uncollectable, or -1 with an exception set. */
int64_t hs_gc_collect (HsVm *vm, int generation);
