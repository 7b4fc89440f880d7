/* hs-object.h — the object header, type objects, reference counting and allocation. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hs.h"

typedef struct HsObject HsObject;
typedef struct HsType HsType;

#if defined(__GNUC__)
# define HS_LIKELY(x)   __builtin_expect (!!(x), 1)
# define HS_UNLIKELY(x) __builtin_expect (!!(x), 0)
#else
# define HS_LIKELY(x)   (x)
# define HS_UNLIKELY(x) (x)
#endif

/* HsObject.flags */
enum {
  HS_OBJ_IMMORTAL  = 1u << 0, /* cached for the whole run: None, True, False, ints -5..256, builtin types */
  HS_OBJ_TRACKED   = 1u << 1, /* linked into a gc generation (only types with HS_TPFLAG_GC) */
  HS_OBJ_FINALIZED = 1u << 2, /* __del__ already ran once (PEP 442) */
};

/* Every value is a heap object that starts with this header. */
struct HsObject {
  intptr_t refcnt;
  HsType  *type;
  HsId     id;          /* never reused within one VM */
  uint32_t flags;
  uint32_t alloc_size;  /* bytes given by hs_object_alloc(), header (and gc head) included */
};

/* Containers that can take part in cycles have this head *before* the object,
 * as CPython does (PyGC_Head).  hs_object_alloc() adds it for HS_TPFLAG_GC types. */
typedef struct HsGcHead HsGcHead;
struct HsGcHead {
  HsGcHead *prev;
  HsGcHead *next;
  intptr_t  gc_refs;     /* scratch during a collection */
  int32_t   generation;  /* 0, 1, 2, or HS_GC_PERMANENT for gc.freeze() */
  uint32_t  gc_flags;    /* collector scratch bits */
};

#define HS_GC_HEAD(o)   ((HsGcHead *) (o) - 1)
#define HS_GC_OBJECT(g) ((HsObject *) ((HsGcHead *) (g) + 1))

/* HsType.flags */
enum {
  HS_TPFLAG_GC       = 1u << 0, /* instances carry an HsGcHead and can be tracked */
  HS_TPFLAG_HEAPTYPE = 1u << 1, /* a class made by a `class` statement */
  HS_TPFLAG_BASETYPE = 1u << 2, /* may be subclassed */
  HS_TPFLAG_EXCEPTION = 1u << 3, /* BaseException or a subclass */
  HS_TPFLAG_INT_SUBCLASS = 1u << 4,
  HS_TPFLAG_STR_SUBCLASS = 1u << 5,
};

/* Comparison operators, in CPython's order. */
typedef enum {
  HS_CMP_LT, HS_CMP_LE, HS_CMP_EQ, HS_CMP_NE, HS_CMP_GT, HS_CMP_GE,
} HsCompareOp;

/* Binary operators (also used in-place for augmented assignment). */
typedef enum {
  HS_BINOP_ADD, HS_BINOP_SUB, HS_BINOP_MUL, HS_BINOP_TRUEDIV, HS_BINOP_FLOORDIV,
  HS_BINOP_MOD, HS_BINOP_POW, HS_BINOP_LSHIFT, HS_BINOP_RSHIFT, HS_BINOP_AND,
  HS_BINOP_OR, HS_BINOP_XOR, HS_BINOP_MATMUL,
  HS_BINOP_COUNT
} HsBinaryOp;

typedef enum {
  HS_UNOP_NEG, HS_UNOP_POS, HS_UNOP_INVERT, HS_UNOP_NOT,
} HsUnaryOp;

/* Calling convention for everything written in C: arguments are borrowed, the
 * result is a new reference, NULL means an exception is set on the VM.
 * kwnames is NULL or a tuple of str naming the last len(kwnames) args. */
typedef HsObject *(*HsCFunction) (HsVm *vm, HsObject *self, HsObject *const *args,
                                  size_t nargs, HsObject *kwnames);

typedef struct {
  const char *name;
  HsCFunction fn;
  const char *doc;
} HsMethodDef;

/* Visiting references, for the collector and for gc.get_referents().
 * A visit returning non-zero stops the traversal and is returned. */
typedef int (*HsVisitProc) (HsObject *target, void *arg);

struct HsType {
  HsObject    base;          /* types are objects too: type(x) returns one */
  const char *name;          /* "list", or the class name for heap types */
  HsType     *tp_base;       /* NULL only for object */
  uint32_t    flags;
  size_t      basic_size;    /* sizeof the instance struct */

  /* Releases what the object holds (decref'ing each reference, with ref events)
   * and calls hs_object_free().  Never called for immortal objects. */
  void       (*dealloc)   (HsVm *vm, HsObject *self);
  int        (*traverse)  (HsObject *self, HsVisitProc visit, void *arg);
  /* Drops every reference the object holds (gc's tp_clear); the object stays allocated. */
  void       (*clear)     (HsVm *vm, HsObject *self);

  HsObject  *(*repr)      (HsVm *vm, HsObject *self);
  HsObject  *(*str)       (HsVm *vm, HsObject *self);
  /* Returns false and sets an exception (TypeError: unhashable type) when it cannot hash. */
  bool       (*hash)      (HsVm *vm, HsObject *self, int64_t *out);
  /* Returns hs_NotImplemented (a new ref) when the pair is not supported. */
  HsObject  *(*richcompare) (HsVm *vm, HsObject *self, HsObject *other, HsCompareOp op);
  /* Returns hs_NotImplemented when the pair is not supported; the VM then tries the
   * reflected operation on the right operand's type, as CPython does. */
  HsObject  *(*binary)    (HsVm *vm, HsObject *left, HsObject *right, HsBinaryOp op);
  HsObject  *(*inplace)   (HsVm *vm, HsObject *left, HsObject *right, HsBinaryOp op);
  HsObject  *(*unary)     (HsVm *vm, HsObject *self, HsUnaryOp op);
  /* Truth value: 1, 0, or -1 with an exception set.  NULL means "always true" unless len exists. */
  int        (*truth)     (HsVm *vm, HsObject *self);

  /* Sequence / mapping protocol.  len returns -1 with an exception set on error. */
  int64_t    (*len)       (HsVm *vm, HsObject *self);
  HsObject  *(*getitem)   (HsVm *vm, HsObject *self, HsObject *key);
  int        (*setitem)   (HsVm *vm, HsObject *self, HsObject *key, HsObject *value); /* value NULL: delete */
  int        (*contains)  (HsVm *vm, HsObject *self, HsObject *item); /* 1, 0, -1 */

  HsObject  *(*iter)      (HsVm *vm, HsObject *self);
  /* Returns the next item (new ref), or NULL: exhausted when no exception is set. */
  HsObject  *(*iternext)  (HsVm *vm, HsObject *self);

  HsObject  *(*call)      (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs,
                           HsObject *kwnames);
  /* type(...) called: construct an instance.  cls is the type being called. */
  HsObject  *(*new_)      (HsVm *vm, HsType *cls, HsObject *const *args, size_t nargs,
                           HsObject *kwnames);

  /* Attribute access beyond the generic lookup (instance attributes, class dict, methods). */
  HsObject  *(*getattr)   (HsVm *vm, HsObject *self, HsObject *name);
  int        (*setattr)   (HsVm *vm, HsObject *self, HsObject *name, HsObject *value); /* value NULL: delete */

  const HsMethodDef *methods; /* NULL-terminated; looked up by the generic getattr */

  /* Heap types (classes): the namespace, a dict; NULL for builtin types. */
  HsObject   *dict;
  /* Short text for the trace's ALLOC event and the inspector ("42", "'abc'", "[3 items]").
   * Writes at most cap bytes including the NUL; may be NULL (type name is used). */
  void       (*describe)  (HsVm *vm, HsObject *self, char *buf, size_t cap);
  /* sys.getsizeof() without the gc head: the documented size model follows CPython 3.11
   * on 64-bit (int 28, float 24, empty list 56 + 8 per slot...).  NULL: basic_size. */
  size_t     (*size_of)   (HsObject *self);
};

/* ---- allocation: every byte the program uses goes through these ---------- */

/* Allocates a new object of `type` with `size` bytes (>= sizeof (HsObject)), refcount 1,
 * a fresh id, an HsGcHead in front when the type has HS_TPFLAG_GC (not yet tracked),
 * and publishes the ALLOC event.  Returns NULL with MemoryError set at the heap cap. */
void *hs_object_alloc (HsVm *vm, HsType *type, size_t size);
/* Frees the memory of an object whose refcount reached zero (after dealloc released
 * what it holds).  Publishes the FREE event.  Untracks it if tracked. */
void  hs_object_free (HsVm *vm, HsObject *obj);

/* Extra memory owned by objects (list item arrays, string bytes, dict tables).
 * Counted in the VM's live bytes and limited by the heap cap: NULL sets MemoryError. */
void *hs_mem_alloc (HsVm *vm, size_t size);
void *hs_mem_realloc (HsVm *vm, void *ptr, size_t old_size, size_t new_size);
void  hs_mem_free (HsVm *vm, void *ptr, size_t size);

/* ---- reference counting -------------------------------------------------- */

/* Called when a refcount reaches zero: runs __del__ if any, then type->dealloc. */
void hs_object_dealloc (HsVm *vm, HsObject *obj);

static inline HsObject *
hs_incref (HsObject *o)
{
  o->refcnt++;
  return o;
}

static inline void
hs_decref (HsVm *vm, HsObject *o)
{
  if (--o->refcnt == 0)
    hs_object_dealloc (vm, o);
}

static inline void
hs_xdecref (HsVm *vm, HsObject *o)
{
  if (o != NULL)
    hs_decref (vm, o);
}

#define HS_INCREF(o)      hs_incref ((HsObject *) (o))
#define HS_DECREF(vm, o)  hs_decref ((vm), (HsObject *) (o))
#define HS_XDECREF(vm, o) hs_xdecref ((vm), (HsObject *) (o))

static inline bool
hs_is_immortal (const HsObject *o)
{
  return (o->flags & HS_OBJ_IMMORTAL) != 0;
}

static inline bool
hs_type_is_subtype (const HsType *t, const HsType *base)
{
  for (; t != NULL; t = t->tp_base)
    if (t == base)
      return true;
  return false;
}

#define HS_TYPE(o) (((HsObject *) (o))->type)
