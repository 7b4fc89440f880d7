/* hs-containers.h — private layouts and helpers shared by the container and builtin modules. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <string.h>

#include "hs-internal.h"

/* ---- layouts ---------------------------------------------------------------- */

typedef struct {
  int64_t   hash;
  HsObject *key;    /* NULL: deleted entry */
  HsObject *value;
} HsDictEntry;

typedef struct {
  HsObject     base;
  int64_t      used;       /* live items */
  int64_t      nentries;   /* entries consumed, deleted ones included */
  int64_t      usable;     /* entries still free before a resize */
  uint8_t      log2size;   /* 0: no table yet (the empty dict, 64 bytes as CPython's) */
  uint8_t      holder_kind;
  bool         unicode;    /* every key is an exact str (CPython's compact 16-byte entries) */
  int32_t     *indices;    /* 1 << log2size slots: -1 empty, -2 deleted, else entry index */
  HsDictEntry *entries;    /* usable fraction of the table */
} HsDict;

typedef struct {
  HsObject *key;    /* NULL: never used; the dummy marker: deleted */
  int64_t   hash;
} HsSetEntry;

#define HS_SET_MINSIZE 8

typedef struct {
  HsObject    base;
  int64_t     fill;     /* active + dummy */
  int64_t     used;     /* active */
  size_t      mask;
  HsSetEntry *table;
  int64_t     hash;     /* frozenset: -1 until computed */
  size_t      finger;   /* pop() search start */
  HsSetEntry  small[HS_SET_MINSIZE];
} HsSet;

typedef struct {
  HsObject  base;
  HsObject *start;
  HsObject *stop;
  HsObject *step;
} HsSlice;

typedef struct {
  HsObject base;
  int64_t  start;
  int64_t  stop;
  int64_t  step;
  int64_t  length;
} HsRange;

/* builtin_function_or_method (self may be NULL) and method_descriptor (objclass set). */
typedef struct {
  HsObject           base;
  const HsMethodDef *def;
  HsObject          *self;
  HsType            *objclass;
} HsCFunc;

/* ---- per-VM state (vm->containers_state) ------------------------------------- */

typedef struct {
  HsType    *type;
  size_t     n;
  HsObject **names;   /* interned, immortal */
  HsObject **descrs;  /* method_descriptor objects, immortal */
} HsMethodCache;

typedef struct {
  HsObject     *dummy;        /* the set's deleted-entry marker */
  HsMethodCache *caches;      /* one per builtin type with a methods table */
  size_t        n_caches;
  size_t        cap_caches;
  HsObject    **repr_stack;   /* containers being repr'd (recursion "[...]") */
  size_t        repr_len;
  size_t        repr_cap;
} HsContainersState;

#define HS_CSTATE(vm) ((HsContainersState *) (vm)->containers_state)

/* ---- module registration (each file registers its own types) ----------------- */

void hs_tuple_types_init (HsVm *vm);
void hs_list_types_init (HsVm *vm);
void hs_dict_types_init (HsVm *vm);
void hs_set_types_init (HsVm *vm);
void hs_range_types_init (HsVm *vm);
void hs_slice_types_init (HsVm *vm);
void hs_iter_types_init (HsVm *vm);
void hs_cfunc_types_init (HsVm *vm);
void hs_method_caches_fill (HsVm *vm);
void hs_method_caches_free (HsVm *vm);

/* ---- events ------------------------------------------------------------------ */

#define HS_REF(vm, kind, holder, slot, name, old, new_)                   \
  do {                                                                   \
    if (hs_hooked ((vm), HS_EV_REF))                                     \
      hs_emit_ref ((vm), (kind), (holder), (slot), (name), (old), (new_)); \
  } while (0)

/* ---- helpers ----------------------------------------------------------------- */

static inline size_t
hs_npos (size_t nargs, HsObject *kwnames)
{
  return kwnames != NULL ? nargs - hs_tuple_size (kwnames) : nargs;
}

/* CPython's hash of a machine int: the value modulo 2**61 - 1, -1 mapped to -2. */
static inline int64_t
hs_int_hash_i64 (int64_t v)
{
  const uint64_t p = ((uint64_t) 1 << 61) - 1;
  int64_t r;

  if (v >= 0)
    r = v < (int64_t) p ? v : (int64_t) ((uint64_t) v % p);
  else
    r = -(int64_t) ((0 - (uint64_t) v) % p);
  return r == -1 ? -2 : r;
}

static inline bool
hs_hash_fast (HsVm *vm, HsObject *o, int64_t *out)
{
  HsType *t = o->type;

  if (t == HS_T (vm, STR))
    {
      int64_t h = ((HsStr *) o)->hash;
      *out = h != -1 ? h : hs_str_hash (o);
      return true;
    }
  if (t == HS_T (vm, INT) || t == HS_T (vm, BOOL))
    {
      *out = hs_int_hash_i64 (hs_int_value (o));
      return true;
    }
  return hs_object_hash (vm, o, out);
}

/* Equality for lookups: identity, then the exact str/int fast paths, then ==. */
static inline int
hs_eq_fast (HsVm *vm, HsObject *a, HsObject *b)
{
  if (a == b)
    return 1;
  if (a->type == b->type)
    {
      if (a->type == HS_T (vm, STR))
        return hs_str_equal (a, b);
      if (a->type == HS_T (vm, INT))
        return hs_int_value (a) == hs_int_value (b);
    }
  return hs_object_richcompare_bool (vm, a, b, HS_CMP_EQ);
}

/* Does storing o in a dict make it tracked (CPython's _PyObject_GC_MAY_BE_TRACKED)? */
static inline bool
hs_may_be_tracked (HsVm *vm, HsObject *o)
{
  if ((o->type->flags & HS_TPFLAG_GC) == 0)
    return false;
  if (o->type == HS_T (vm, TUPLE))
    return hs_gc_is_tracked (o);
  return true;
}

static inline HsObject *
hs_none (HsVm *vm)
{
  return hs_incref (vm->none);
}

/* Recursion marks for repr of self-containing containers: 1 if o is already being
 * repr'd (print "[...]"), 0 if entered, -1 on error. */
int  hs_repr_enter (HsVm *vm, HsObject *o);
void hs_repr_leave (HsVm *vm, HsObject *o);

/* A growable byte buffer on hs_mem (for reprs and joins). */
typedef struct {
  char  *data;
  size_t len;
  size_t cap;
  char   local[256];
} HsBuf;

void      hs_buf_init (HsBuf *b);
bool      hs_buf_add (HsVm *vm, HsBuf *b, const char *s, size_t n);
bool      hs_buf_add_str (HsVm *vm, HsBuf *b, HsObject *str);
HsObject *hs_buf_finish (HsVm *vm, HsBuf *b);     /* str object; frees the buffer */
void      hs_buf_free (HsVm *vm, HsBuf *b);

/* tuple */
HsObject *hs_tuple_from_array (HsVm *vm, HsObject *const *items, size_t n);   /* borrowed items */
HsObject *hs_tuple_from_iterable (HsVm *vm, HsObject *iterable);

/* list */
int       hs_list_extend (HsVm *vm, HsObject *list, HsObject *iterable);
HsObject *hs_list_from_array (HsVm *vm, HsObject *const *items, size_t n);
int       hs_list_insert (HsVm *vm, HsObject *list, int64_t where, HsObject *item);
HsObject *hs_list_reversed_iter (HsVm *vm, HsObject *list);

/* dict */
int       hs_dict_update (HsVm *vm, HsObject *dict, HsObject *other);      /* mapping or pairs */
HsObject *hs_dict_copy (HsVm *vm, HsObject *dict);
/* Finds a key whose hash is known: borrowed value or NULL (exception set if error). */
HsObject *hs_dict_lookup (HsVm *vm, HsObject *dict, HsObject *key, int64_t hash);

/* set */
int       hs_set_update (HsVm *vm, HsObject *set, HsObject *iterable);
HsObject *hs_set_from_iterable (HsVm *vm, HsObject *iterable, bool frozen);
int       hs_set_discard (HsVm *vm, HsObject *set, HsObject *key);   /* 1 found, 0 no, -1 error */

/* range */
HsObject *hs_range_new (HsVm *vm, int64_t start, int64_t stop, int64_t step);

/* iterators */
HsObject *hs_seqiter_new (HsVm *vm, HsObject *seq);             /* __getitem__ protocol */
HsObject *hs_reversed_new (HsVm *vm, HsObject *seq);            /* reversed(seq) */

/* keyword arguments: value passed for name, or NULL; index of unknown keyword in *bad */
HsObject *hs_kwarg (HsObject *const *args, size_t nargs, HsObject *kwnames, const char *name);
int       hs_check_kwargs (HsVm *vm, const char *fname, HsObject *kwnames,
                           const char *const *allowed);

/* ---- the common iterator layout (tuple, list, reversed list, set, dict, generic) ---- */

typedef struct {
  HsObject  base;
  HsObject *seq;     /* NULL once exhausted ("iterable", internal slot 0) */
  int64_t   index;
  int64_t   extra;   /* dict/set: size when the iteration began */
} HsIterObj;

HsObject *hs_iterobj_new (HsVm *vm, HsTypeId type, HsObject *seq, int64_t index);
void      hs_iterobj_dealloc (HsVm *vm, HsObject *self);
int       hs_iterobj_traverse (HsObject *self, HsVisitProc visit, void *arg);
void      hs_iterobj_clear (HsVm *vm, HsObject *self);
void      hs_iterobj_exhaust (HsVm *vm, HsIterObj *it);   /* drops the sequence */
HsObject *hs_iter_self (HsVm *vm, HsObject *self);         /* iter(it) is it */

/* Drops one reference held in a slot, publishing its removal first. */
static inline void
hs_slot_clear (HsVm *vm, HsObject **slot, HsHolderKind kind, HsId holder, uint64_t s,
               const char *name)
{
  HsObject *old = *slot;

  if (old == NULL)
    return;
  *slot = NULL;
  HS_REF (vm, kind, holder, s, name, old, NULL);
  hs_decref (vm, old);
}

/* Stores a new (stolen) reference into an empty slot and publishes it. */
static inline void
hs_slot_init (HsVm *vm, HsObject **slot, HsObject *value, HsHolderKind kind, HsId holder,
              uint64_t s, const char *name)
{
  *slot = value;
  HS_REF (vm, kind, holder, s, name, NULL, value);
}

/* Allocates an object and zeroes everything after the header. */
static inline void *
hs_alloc_zero (HsVm *vm, HsType *type, size_t size)
{
  HsObject *o = hs_object_alloc (vm, type, size);

  if (o != NULL && size > sizeof (HsObject))
    memset ((char *) o + sizeof (HsObject), 0, size - sizeof (HsObject));
  return o;
}

HsType *hs_register (HsVm *vm, HsTypeId id, const HsType *tmpl);
const char *hs_describe_short (HsVm *vm, HsObject *o, char *buf, size_t cap);

/* Attribute lookup for builtin objects: a method of the type bound to o, else the
 * generic lookup (hs_object_generic_getattr). */
HsObject *hs_builtin_getattr (HsVm *vm, HsObject *o, HsObject *name);

/* Slot wrappers exposed as methods (__len__, __getitem__, ...), so subclasses can call
 * the builtin behaviour through super().  Each defines w_NAME calling slot `fn`. */
#define HS_WRAP_LEN(prefix, fn)                                                          \
  static HsObject *prefix##_w_len (HsVm *vm, HsObject *self, HsObject *const *args,     \
                                   size_t nargs, HsObject *kwnames)                      \
  {                                                                                      \
    int64_t n;                                                                           \
    (void) args;                                                                         \
    if (hs_check_no_kwargs (vm, "__len__()", kwnames) < 0                               \
        || hs_check_nargs (vm, "__len__()", nargs, 0, 0) < 0)                           \
      return NULL;                                                                       \
    n = fn (vm, self);                                                                   \
    return n < 0 ? NULL : hs_int_from_i64 (vm, n);                                       \
  }
#define HS_WRAP_ONE(prefix, wname, pyname, call)                                         \
  static HsObject *prefix##_w_##wname (HsVm *vm, HsObject *self, HsObject *const *args, \
                                       size_t nargs, HsObject *kwnames)                  \
  {                                                                                      \
    if (hs_check_no_kwargs (vm, pyname "()", kwnames) < 0                               \
        || hs_check_nargs (vm, pyname "()", nargs, 1, 1) < 0)                           \
      return NULL;                                                                       \
    call;                                                                                \
  }
#define HS_WRAP_NONE(prefix, wname, pyname, call)                                        \
  static HsObject *prefix##_w_##wname (HsVm *vm, HsObject *self, HsObject *const *args, \
                                       size_t nargs, HsObject *kwnames)                  \
  {                                                                                      \
    (void) args;                                                                         \
    if (hs_check_no_kwargs (vm, pyname "()", kwnames) < 0                               \
        || hs_check_nargs (vm, pyname "()", nargs, 0, 0) < 0)                           \
      return NULL;                                                                       \
    call;                                                                                \
  }
#define HS_WRAP_GETITEM(prefix, fn) HS_WRAP_ONE (prefix, getitem, "__getitem__", return fn (vm, self, args[0]))
#define HS_WRAP_ITER(prefix, fn) HS_WRAP_NONE (prefix, iter, "__iter__", return fn (vm, self))
#define HS_WRAP_REPR(prefix, fn) HS_WRAP_NONE (prefix, repr, "__repr__", return fn (vm, self))
#define HS_WRAP_CONTAINS(prefix, fn)                                                     \
  HS_WRAP_ONE (prefix, contains, "__contains__",                                         \
               int r = fn (vm, self, args[0]); return r < 0 ? NULL : hs_bool_from (vm, r))
#define HS_WRAP_DELITEM(prefix, fn)                                                      \
  HS_WRAP_ONE (prefix, delitem, "__delitem__",                                           \
               return fn (vm, self, args[0], NULL) < 0 ? NULL : hs_none (vm))
#define HS_WRAP_SETITEM(prefix, fn)                                                      \
  static HsObject *prefix##_w_setitem (HsVm *vm, HsObject *self, HsObject *const *args, \
                                       size_t nargs, HsObject *kwnames)                  \
  {                                                                                      \
    if (hs_check_no_kwargs (vm, "__setitem__()", kwnames) < 0                           \
        || hs_check_nargs (vm, "__setitem__", nargs, 2, 2) < 0)                         \
      return NULL;                                                                       \
    return fn (vm, self, args[0], args[1]) < 0 ? NULL : hs_none (vm);                   \
  }
#define HS_WRAP_DEFS(prefix)                                                             \
  { "__len__", prefix##_w_len, "Return len(self)." },                                    \
  { "__iter__", prefix##_w_iter, "Implement iter(self)." },                              \
  { "__repr__", prefix##_w_repr, "Return repr(self)." }

/* hs_dict_set with the value's reference stolen (a fresh object stored without an
 * unpublished extra count); the value is released on error. */
int hs_dict_set_stolen (HsVm *vm, HsObject *dict, HsObject *key, HsObject *value);
/* If entry `ix` of `dict` (an index the caller remembered) is `key`'s, stores `value`
 * (a new reference, stolen) there as hs_dict_set_stolen() would and returns true;
 * else does nothing and returns false. */
bool hs_dict_replace_at (HsVm *vm, HsObject *dict, uintptr_t ix, HsObject *key, HsObject *value);

/* A set display whose items are all constants ({1, 2, 3}), in CPython 3.11's iteration
 * order (its compiler builds a frozenset constant twice, then SET_UPDATEs). */
HsObject *hs_set_from_constants (HsVm *vm, HsObject *const *items, size_t n);

/* Re-lays a set's table out as if its keys were added one by one in its current
 * iteration order (CPython's constant set displays, see hs-opcodes.h BUILD_SET).
 * No reference changes.  -1 with MemoryError (the set unchanged).  (speed helper) */
int hs_set_relayout (HsVm *vm, HsObject *set);
