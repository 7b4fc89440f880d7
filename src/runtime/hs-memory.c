/* hs-memory.c — the one allocator of program memory, event emission, type registration. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hs-internal.h"

/* Small blocks come from size classes of 16 bytes up to HS_SMALL_MAX, carved from
 * big chunks; freed blocks go back on their class's free list.  Memory on a free
 * list is not live: live_bytes counts exactly what the program holds. */
#define HS_ALIGN       16
#define HS_SMALL_MAX   512
#define HS_N_CLASSES   (HS_SMALL_MAX / HS_ALIGN)
#define HS_CHUNK_SIZE  (64 * 1024)

typedef struct HsFreeBlock HsFreeBlock;
struct HsFreeBlock { HsFreeBlock *next; };

typedef struct HsChunk HsChunk;
struct HsChunk { HsChunk *next; size_t pad; };

typedef struct {
  HsFreeBlock *free_lists[HS_N_CLASSES];
  HsChunk     *chunks;
  char        *bump;        /* carve position in the newest chunk */
  char        *bump_end;
  bool         teardown;
  bool         flushing;
  /* Objects allocated since the last event: published lazily (they are not
   * initialised when hs_object_alloc() returns). */
  HsObject   **pending;
  size_t       n_pending;
  size_t       cap_pending;
  /* Templates given to hs_type_register(), to resolve tp_base pointers. */
  const HsType *templates[HS_T__COUNT];
} HsAllocator;

#define ALLOC(vm) ((HsAllocator *) (vm)->allocator)

void
hs_memory_init (HsVm *vm)
{
  vm->allocator = calloc (1, sizeof (HsAllocator));
  if (vm->allocator == NULL)
    abort ();
}

void
hs_memory_fini (HsVm *vm)
{
  HsAllocator *a = ALLOC (vm);
  HsChunk *c, *next;

  if (a == NULL)
    return;
  for (c = a->chunks; c != NULL; c = next)
    {
      next = c->next;
      free (c);
    }
  free (a->pending);
  free (a);
  vm->allocator = NULL;
}

void
hs_memory_set_teardown (HsVm *vm, bool on)
{
  ALLOC (vm)->teardown = on;
}

static inline size_t
round_up (size_t n)
{
  return (n + HS_ALIGN - 1) & ~(size_t) (HS_ALIGN - 1);
}

static void *
small_alloc (HsAllocator *a, size_t rounded)
{
  size_t cls = rounded / HS_ALIGN - 1;
  HsFreeBlock *b = a->free_lists[cls];

  if (HS_LIKELY (b != NULL))
    {
      a->free_lists[cls] = b->next;
      return b;
    }
  if (a->bump == NULL || (size_t) (a->bump_end - a->bump) < rounded)
    {
      HsChunk *c;

      /* Give the rest of the old chunk to the free lists so nothing is wasted. */
      while (a->bump != NULL && a->bump + HS_ALIGN <= a->bump_end)
        {
          size_t left = (size_t) (a->bump_end - a->bump);
          size_t take = left > HS_SMALL_MAX ? HS_SMALL_MAX : left;
          HsFreeBlock *fb = (HsFreeBlock *) a->bump;
          size_t k = take / HS_ALIGN - 1;

          take = (k + 1) * HS_ALIGN;
          fb->next = a->free_lists[k];
          a->free_lists[k] = fb;
          a->bump += take;
        }
      c = malloc (HS_CHUNK_SIZE);
      if (c == NULL)
        return NULL;
      c->next = a->chunks;
      a->chunks = c;
      a->bump = (char *) c + round_up (sizeof (HsChunk));
      a->bump_end = (char *) c + HS_CHUNK_SIZE;
    }
  b = (HsFreeBlock *) a->bump;
  a->bump += rounded;
  return b;
}

static inline void
small_free (HsAllocator *a, void *p, size_t rounded)
{
  size_t cls = rounded / HS_ALIGN - 1;
  HsFreeBlock *b = p;

  b->next = a->free_lists[cls];
  a->free_lists[cls] = b;
}

/* Counts `size` bytes and enforces the heap cap.  false: MemoryError set. */
static inline bool
account (HsVm *vm, size_t size)
{
  size_t limit = vm->config.heap_limit;

  if (HS_UNLIKELY (limit != 0 && (size > limit || vm->live_bytes > limit - size)))
    {
      hs_err_no_memory (vm);
      return false;
    }
  vm->live_bytes += size;
  if (vm->live_bytes > vm->peak_bytes)
    vm->peak_bytes = vm->live_bytes;
  return true;
}

static void *
raw_alloc (HsVm *vm, size_t size)
{
  void *p;

  if (size <= HS_SMALL_MAX)
    p = small_alloc (ALLOC (vm), round_up (size == 0 ? 1 : size));
  else
    p = malloc (size);
  return p;
}

static void
raw_free (HsVm *vm, void *p, size_t size)
{
  if (size <= HS_SMALL_MAX)
    small_free (ALLOC (vm), p, round_up (size == 0 ? 1 : size));
  else
    free (p);
}

void *
hs_mem_alloc (HsVm *vm, size_t size)
{
  void *p;

  if (!account (vm, size))
    return NULL;
  p = raw_alloc (vm, size);
  if (HS_UNLIKELY (p == NULL))
    {
      vm->live_bytes -= size;
      hs_err_no_memory (vm);
    }
  return p;
}

void *
hs_mem_realloc (HsVm *vm, void *ptr, size_t old_size, size_t new_size)
{
  void *p;

  if (ptr == NULL)
    return hs_mem_alloc (vm, new_size);
  if (new_size > old_size && !account (vm, new_size - old_size))
    return NULL;
  if (old_size > HS_SMALL_MAX && new_size > HS_SMALL_MAX)
    {
      p = realloc (ptr, new_size);
      if (p == NULL)
        {
          vm->live_bytes -= new_size - old_size;
          hs_err_no_memory (vm);
          return NULL;
        }
    }
  else if (old_size <= HS_SMALL_MAX && new_size <= HS_SMALL_MAX
           && round_up (old_size == 0 ? 1 : old_size) == round_up (new_size == 0 ? 1 : new_size))
    p = ptr;
  else
    {
      p = raw_alloc (vm, new_size);
      if (p == NULL)
        {
          if (new_size > old_size)
            vm->live_bytes -= new_size - old_size;
          hs_err_no_memory (vm);
          return NULL;
        }
      memcpy (p, ptr, old_size < new_size ? old_size : new_size);
      raw_free (vm, ptr, old_size);
    }
  if (new_size < old_size)
    vm->live_bytes -= old_size - new_size;
  return p;
}

void
hs_mem_free (HsVm *vm, void *ptr, size_t size)
{
  if (ptr == NULL)
    return;
  vm->live_bytes -= size;
  raw_free (vm, ptr, size);
}

/* ---- objects ------------------------------------------------------------- */

size_t
hs_object_sizeof (HsObject *o)
{
  HsType *t = o->type;
  size_t n = t->size_of != NULL ? t->size_of (o) : t->basic_size;

  if (t->flags & HS_TPFLAG_GC)
    n += 16;
  return n;
}

void *
hs_object_alloc (HsVm *vm, HsType *type, size_t size)
{
  bool gc = type != NULL && (type->flags & HS_TPFLAG_GC) != 0;
  size_t total = size + (gc ? sizeof (HsGcHead) : 0);
  char *mem;
  HsObject *obj;

  if (gc && vm->types[HS_T_OBJECT] != NULL)
    hs_gc_on_alloc (vm);
  if (!account (vm, total))
    return NULL;
  mem = raw_alloc (vm, total);
  if (HS_UNLIKELY (mem == NULL))
    {
      vm->live_bytes -= total;
      hs_err_no_memory (vm);
      return NULL;
    }
  if (gc)
    {
      memset (mem, 0, sizeof (HsGcHead));
      mem += sizeof (HsGcHead);
    }
  obj = (HsObject *) mem;
  obj->refcnt = 1;
  obj->type = type;
  obj->id = ++vm->next_id;
  obj->flags = 0;
  obj->alloc_size = (uint32_t) total;
  vm->live_objects++;
  vm->total_allocations++;

  if (hs_hooked (vm, HS_EV_ALLOC))
    {
      HsAllocator *a = ALLOC (vm);
      if (a->n_pending == a->cap_pending)
        {
          size_t cap = a->cap_pending ? a->cap_pending * 2 : 64;
          HsObject **p = realloc (a->pending, cap * sizeof *p);
          if (p == NULL)
            abort ();
          a->pending = p;
          a->cap_pending = cap;
        }
      a->pending[a->n_pending++] = obj;
    }
  return obj;
}

void
hs_memory_flush_allocs (HsVm *vm)
{
  HsAllocator *a = ALLOC (vm);
  size_t i;

  if (a == NULL || a->n_pending == 0 || a->flushing)
    return;
  a->flushing = true;
  /* The hook may allocate nothing, but be safe against growth while iterating. */
  for (i = 0; i < a->n_pending; i++)
    {
      HsObject *o = a->pending[i];
      HsEvent ev;
      char buf[128];

      /* Every ALLOC field is set below: no memset on this hot path. */
      buf[0] = '\0';
      ev.kind = HS_EV_ALLOC;
      ev.u.alloc.describe = NULL;
      ev.u.alloc.has_int = false;
      ev.u.alloc.id = o->id;
      ev.u.alloc.type_name = o->type != NULL ? o->type->name : "?";
      ev.u.alloc.size = o->type != NULL ? hs_object_sizeof (o) : o->alloc_size;
      ev.u.alloc.tracked = (o->flags & HS_OBJ_TRACKED) != 0;
      ev.u.alloc.immortal = (o->flags & HS_OBJ_IMMORTAL) != 0;
      if (o->type == HS_T (vm, INT))
        {
          ev.u.alloc.has_int = true;
          ev.u.alloc.int_value = hs_int_value (o);
        }
      else if (o->type != NULL && o->type->describe != NULL)
        {
          o->type->describe (vm, o, buf, sizeof buf);
          ev.u.alloc.describe = buf;
        }
      hs_emit (vm, &ev);
    }
  a->n_pending = 0;
  a->flushing = false;
}

/* Hands one event to the hook, as it is. */
static inline void
publish (HsVm *vm, HsEvent *event)
{
  event->seq = ++vm->event_seq;
  event->line = vm->cur_line;
  event->frame = vm->cur_frame_id;
  if (vm->config.hook (vm->config.user_data, event) != 0)
    atomic_store (&vm->interrupt, 1);
}

/* As hs_emit(), but ahead of the pending stack temporaries unless one of them
 * is about object `a` or `b`: an event that reports no other object's count
 * is exact either way, and the temporaries stay free to cancel later. */
static void
emit_ahead (HsVm *vm, HsEvent *event, HsId a, HsId b)
{
  HsAllocator *al = ALLOC (vm);
  uint32_t i;

  for (i = 0; i < vm->ev_npend; i++)
    if (vm->ev_pend[i].target == a || vm->ev_pend[i].target == b)
      break;
  if (i < vm->ev_npend || al->flushing || !hs_hooked (vm, event->kind))
    {
      hs_emit (vm, event);
      return;
    }
  if (al->n_pending != 0)
    hs_memory_flush_allocs (vm);
  publish (vm, event);
}

void
hs_object_free (HsVm *vm, HsObject *obj)
{
  HsAllocator *a = ALLOC (vm);
  HsType *type = obj->type;
  bool gc = type != NULL && (type->flags & HS_TPFLAG_GC) != 0;
  size_t total = obj->alloc_size;
  char *mem = (char *) obj;

  if (HS_UNLIKELY (a->n_pending != 0))
    hs_memory_flush_allocs (vm);
  if (gc)
    {
      if (obj->flags & HS_OBJ_TRACKED)
        hs_gc_untrack (vm, obj);
      if (vm->types[HS_T_OBJECT] != NULL)
        hs_gc_on_free (vm);
      mem -= sizeof (HsGcHead);
    }
  if (hs_hooked (vm, HS_EV_FREE))
    {
      HsEvent ev;

      ev.kind = HS_EV_FREE;
      ev.u.free.id = obj->id;
      ev.u.free.cause = a->teardown ? HS_FREE_TEARDOWN : hs_gc_free_cause (vm);
      /* A free reports no count at all. */
      emit_ahead (vm, &ev, obj->id, obj->id);
    }
  vm->live_objects--;
  vm->live_bytes -= total;
  raw_free (vm, mem, total);
}

/* ---- events ------------------------------------------------------------- */

void
hs_emit (HsVm *vm, HsEvent *event)
{
  HsAllocator *a = ALLOC (vm);

  if (HS_UNLIKELY (a->n_pending != 0) && !a->flushing)
    hs_memory_flush_allocs (vm);
  /* Deferred stack temporaries after the allocations (they may refer to them). */
  if (HS_UNLIKELY (vm->ev_npend != 0) && !a->flushing)
    hs_emit_pending (vm);
  if (vm->config.hook == NULL || (vm->hook_mask & HS_EVMASK (event->kind)) == 0)
    return;
  publish (vm, event);
}

/* The events helper's: publishes the deferred value-stack events (hs-internal.h). */
void
hs_emit_pending (HsVm *vm)
{
  HsAllocator *a = ALLOC (vm);
  uint32_t i, n = vm->ev_npend;
  HsHookFunc hook = vm->config.hook;
  void *user_data = vm->config.user_data;
  HsEvent ev;

  /* Emptied first: nothing below may flush them again. */
  vm->ev_npend = 0;
  if (hook == NULL || !hs_hooked (vm, HS_EV_REF))
    return;
  /* Allocations first (the temporaries may refer to them); then straight to
   * the hook, as hs_emit() would do, without its checks for every one. */
  if (HS_UNLIKELY (a->n_pending != 0) && !a->flushing)
    hs_memory_flush_allocs (vm);
  ev.line = vm->cur_line;
  ev.frame = vm->cur_frame_id;
  ev.kind = HS_EV_REF;
  ev.u.ref.holder_kind = HS_HOLDER_STACK;
  ev.u.ref.name = NULL;
  for (i = 0; i < n; i++)
    {
      const HsPendingRef *p = &vm->ev_pend[i];

      ev.u.ref.holder = p->frame;
      ev.u.ref.slot = p->slot;
      if (p->push)
        {
          ev.u.ref.old_target = 0;
          ev.u.ref.old_refcnt = 0;
          ev.u.ref.new_target = p->target;
          ev.u.ref.new_refcnt = p->refcnt;
        }
      else
        {
          ev.u.ref.old_target = p->target;
          ev.u.ref.old_refcnt = p->refcnt;
          ev.u.ref.new_target = 0;
          ev.u.ref.new_refcnt = 0;
        }
      ev.seq = ++vm->event_seq;
      if (hook (user_data, &ev) != 0)
        atomic_store (&vm->interrupt, 1);
    }
}

void
hs_emit_ref (HsVm *vm, HsHolderKind kind, HsId holder, uint64_t slot, const char *name,
             HsObject *old_target, HsObject *new_target)
{
  HsEvent ev;

  ev.kind = HS_EV_REF;
  ev.u.ref.holder_kind = kind;
  ev.u.ref.holder = holder;
  ev.u.ref.slot = slot;
  ev.u.ref.name = name;
  ev.u.ref.old_target = old_target != NULL ? old_target->id : 0;
  ev.u.ref.new_target = new_target != NULL ? new_target->id : 0;
  ev.u.ref.old_refcnt = old_target != NULL ? old_target->refcnt - 1 : 0;
  ev.u.ref.new_refcnt = new_target != NULL ? new_target->refcnt : 0;
  /* It reports the counts of old and new only. */
  emit_ahead (vm, &ev, ev.u.ref.old_target, ev.u.ref.new_target);
}

/* ---- recursion guard ------------------------------------------------------ */

#define HS_C_DEPTH_MAX 20000

bool
hs_enter_recursive_call (HsVm *vm, const char *where)
{
  vm->c_depth++;
  if (HS_UNLIKELY (vm->depth + vm->c_depth > vm->config.recursion_limit
                   || vm->c_depth > HS_C_DEPTH_MAX))
    {
      vm->c_depth--;
      hs_err_format (vm, HS_EXC (vm, RECURSION_ERROR), "maximum recursion depth exceeded%s%s",
                     where != NULL && where[0] != '\0' ? " " : "", where != NULL ? where : "");
      return false;
    }
  return true;
}

void
hs_leave_recursive_call (HsVm *vm)
{
  vm->c_depth--;
}

/* ---- builtin types ---------------------------------------------------------- */

HsType *
hs_type_register (HsVm *vm, HsTypeId id, const HsType *tmpl)
{
  HsAllocator *a = ALLOC (vm);
  /* Type objects carry a gc head (classes take part in cycles); before `type`
   * exists, a stand-in with its flags is used and fixed up below. */
  HsType bootstrap = { .name = "type", .flags = HS_TPFLAG_GC };
  HsType *t = hs_object_alloc (vm, vm->types[HS_T_TYPE] != NULL ? vm->types[HS_T_TYPE] : &bootstrap,
                               sizeof (HsType));
  HsObject header;
  int i;

  if (t == NULL)
    abort ();
  header = t->base;
  memcpy (t, tmpl, sizeof *t);
  t->base = header;
  t->base.flags |= HS_OBJ_IMMORTAL;
  t->base.refcnt = 1;
  if (tmpl->tp_base != NULL)
    {
      for (i = 0; i < HS_T__COUNT; i++)
        if (a->templates[i] == tmpl->tp_base || vm->types[i] == tmpl->tp_base)
          {
            t->tp_base = vm->types[i];
            break;
          }
    }
  else if (id != HS_T_OBJECT)
    t->tp_base = vm->types[HS_T_OBJECT];
  if (t->basic_size == 0)
    t->basic_size = sizeof (HsObject);
  a->templates[id] = tmpl;
  vm->types[id] = t;
  /* object and type are made before type exists: fix their headers. */
  if (id == HS_T_TYPE)
    {
      t->base.type = t;
      if (vm->types[HS_T_OBJECT] != NULL)
        vm->types[HS_T_OBJECT]->base.type = t;
    }
  else if (vm->types[HS_T_TYPE] == NULL)
    t->base.type = NULL;   /* set when `type` is registered */
  return t;
}
