/* hs-internal.h — the VM structure shared by the runtime's modules, and event emission. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <stdatomic.h>

#include "hs.h"
#include "hs-abstract.h"
#include "hs-gc.h"
#include "hs-object.h"
#include "hs-types.h"

/* Builtin exception classes, created at start-up by hs_errors_init(). */
#define HS_EXCEPTION_TYPES(X) \
  X (BASE_EXCEPTION, "BaseException", NONE)          \
  X (SYSTEM_EXIT, "SystemExit", BASE_EXCEPTION)      \
  X (KEYBOARD_INTERRUPT, "KeyboardInterrupt", BASE_EXCEPTION) \
  X (EXCEPTION, "Exception", BASE_EXCEPTION)         \
  X (ARITHMETIC_ERROR, "ArithmeticError", EXCEPTION) \
  X (ZERO_DIVISION_ERROR, "ZeroDivisionError", ARITHMETIC_ERROR) \
  X (OVERFLOW_ERROR, "OverflowError", ARITHMETIC_ERROR) \
  X (ASSERTION_ERROR, "AssertionError", EXCEPTION)   \
  X (ATTRIBUTE_ERROR, "AttributeError", EXCEPTION)   \
  X (LOOKUP_ERROR, "LookupError", EXCEPTION)         \
  X (INDEX_ERROR, "IndexError", LOOKUP_ERROR)        \
  X (KEY_ERROR, "KeyError", LOOKUP_ERROR)            \
  X (NAME_ERROR, "NameError", EXCEPTION)             \
  X (UNBOUND_LOCAL_ERROR, "UnboundLocalError", NAME_ERROR) \
  X (TYPE_ERROR, "TypeError", EXCEPTION)             \
  X (VALUE_ERROR, "ValueError", EXCEPTION)           \
  X (UNICODE_ERROR, "UnicodeError", VALUE_ERROR)     \
  X (RUNTIME_ERROR, "RuntimeError", EXCEPTION)       \
  X (RECURSION_ERROR, "RecursionError", RUNTIME_ERROR) \
  X (NOT_IMPLEMENTED_ERROR, "NotImplementedError", RUNTIME_ERROR) \
  X (STOP_ITERATION, "StopIteration", EXCEPTION)     \
  X (MEMORY_ERROR, "MemoryError", EXCEPTION)         \
  X (IMPORT_ERROR, "ImportError", EXCEPTION)         \
  X (MODULE_NOT_FOUND_ERROR, "ModuleNotFoundError", IMPORT_ERROR) \
  X (SYNTAX_ERROR, "SyntaxError", EXCEPTION)         \
  X (INDENTATION_ERROR, "IndentationError", SYNTAX_ERROR) \
  X (TAB_ERROR, "TabError", INDENTATION_ERROR)       \
  X (OS_ERROR, "OSError", EXCEPTION)                 \
  X (EOF_ERROR, "EOFError", EXCEPTION)

typedef enum {
#define HS_X(id, name, base) HS_EXC_##id,
  HS_EXCEPTION_TYPES (HS_X)
#undef HS_X
  HS_EXC__COUNT
} HsExcId;

#define HS_EXC(vm, id) ((vm)->exc_types[HS_EXC_##id])

typedef struct HsFrame HsFrame;   /* hs-vm.c */

/* A value-stack reference change not yet published (events helper; see
 * hs_defer_stack_push() below). */
typedef struct {
  HsId     frame;     /* holder: the frame whose value stack it is */
  HsId     target;
  int64_t  refcnt;    /* the target's count right after the change, as hs_emit_ref reports it */
  uint32_t slot;      /* value-stack depth */
  uint32_t push;      /* 1: the slot now holds target; 0: it no longer does */
} HsPendingRef;

#define HS_PENDING_REFS 128

struct HsVm {
  HsConfig   config;
  uint32_t   hook_mask;          /* config.hook ? config.hook_mask : 0 */
  uint64_t   event_seq;
  HsId       next_id;

  /* hs-memory.c */
  size_t     live_objects;
  size_t     live_bytes;
  size_t     peak_bytes;
  uint64_t   total_allocations;
  void      *allocator;          /* small-object free lists, private to hs-memory.c */

  HsType    *types[HS_T__COUNT];
  HsType    *exc_types[HS_EXC__COUNT];

  /* Singletons (immortal). */
  HsObject  *none;
  HsObject  *true_obj;
  HsObject  *false_obj;
  HsObject  *not_implemented;
  HsObject  *ellipsis;
  HsObject  *empty_tuple;
  HsObject  *small_ints[HS_SMALL_INT_MAX - HS_SMALL_INT_MIN + 1];

  HsObject  *builtins;           /* dict: the builtins namespace */
  HsObject  *modules;            /* dict: sys.modules */
  HsObject  *main_globals;       /* dict: __main__'s namespace */

  HsGcState  gc;                 /* hs-gc.h */

  /* Private state of the type modules (allocated by their init functions). */
  void      *str_state;          /* hs-str.c: the intern table */
  void      *containers_state;   /* hs-dict.c etc. */

  /* The interpreter (hs-vm.c owns these). */
  HsObject  *exc;                /* the exception being raised, or NULL */
  HsFrame   *frame;              /* the running frame */
  int        depth;              /* Python call depth */
  int        c_depth;            /* C recursion depth guard (repr, compare, parser-free paths) */
  uint64_t   steps;              /* line events so far */
  size_t     output_bytes;
  int        exit_status;
  HsErrorInfo last_error;
  atomic_int interrupt;          /* set by hs_vm_interrupt() or a hook that returned non-zero */
  uint32_t   cur_line;           /* for events */
  HsId       cur_frame_id;
  void      *interp;             /* anything else hs-vm.c needs */

  /* Deferred value-stack temporaries (events helper): ev_pend[0..ev_npend). */
  uint32_t     ev_npend;
  HsPendingRef ev_pend[HS_PENDING_REFS];
};

/* ---- module start-up and shut-down, called by hs_vm_new()/hs_vm_free() in this order ---- */
void hs_object_types_init (HsVm *vm);  /* hs-class.c: object, type (first) */
void hs_numbers_init (HsVm *vm);       /* hs-int.c, hs-float.c: None, NotImplemented, Ellipsis, int, bool, float */
void hs_str_init (HsVm *vm);           /* hs-str.c */
void hs_containers_init (HsVm *vm);    /* hs-tuple.c ... hs-iter.c, builtin function types */
void hs_func_types_init (HsVm *vm);    /* hs-func.c, hs-class.c: function, code, cell, method, module, super... */
void hs_errors_init (HsVm *vm);        /* hs-error.c: the exception classes */
void hs_gc_init (HsVm *vm);            /* hs-gc.c */
void hs_builtins_init (HsVm *vm);      /* hs-builtins.c: fills vm->builtins */
void hs_sys_init (HsVm *vm);           /* hs-sys.c: the sys module */
void hs_gcmodule_init (HsVm *vm);      /* hs-gcmodule.c: the gc module */
HsObject *hs_math_module_new (HsVm *vm); /* hs-math.c: the math module (made on its first import) */

void hs_gc_fini (HsVm *vm);
void hs_containers_fini (HsVm *vm);
void hs_str_fini (HsVm *vm);

/* Program output (hs-vm.c): honours the output cap, publishes HS_EV_OUTPUT, calls config.write. */
void hs_vm_write (HsVm *vm, HsStream stream, const char *text, size_t len);

/* Attribute lookup for instances, classes and builtin objects (hs-class.c): the type's
 * methods and class attributes (binding functions into methods), then instance attributes. */
HsObject *hs_object_generic_getattr (HsVm *vm, HsObject *obj, HsObject *name);
int       hs_object_generic_setattr (HsVm *vm, HsObject *obj, HsObject *name, HsObject *value);

/* Finalizers (hs-class.c).  hs_object_finalize() runs obj's __del__ if its class has one
 * and it has not run yet (then sets HS_OBJ_FINALIZED, PEP 442); an exception in __del__
 * is printed as CPython prints "Exception ignored in: ..." and cleared.  The refcount
 * path (hs_object_dealloc) and the cycle collector both use it. */
bool hs_type_has_finalizer (HsVm *vm, HsType *type);
void hs_object_finalize (HsVm *vm, HsObject *obj);

/* A module object (hs-module.c) with a fresh namespace dict, registered in vm->modules. */
HsObject *hs_module_new (HsVm *vm, const char *name);
HsObject *hs_module_dict (HsObject *module);
/* Stores `value` (a new reference, taken; NULL: a failed creation) under `name` in a
 * module's namespace dict.  -1 on failure. */
int       hs_module_set_new (HsVm *vm, HsObject *dict, const char *name, HsObject *value);

/* A new reference to NotImplemented, what a binary slot returns for types it does
 * not handle. */
static inline HsObject *
hs_not_implemented (HsVm *vm)
{
  return hs_incref (vm->not_implemented);
}

/* ---- events ----------------------------------------------------------------
 * Emission costs one predictable branch when nobody listens. */

static inline bool
hs_hooked (const HsVm *vm, HsEventKind kind)
{
  return HS_UNLIKELY ((vm->hook_mask & HS_EVMASK (kind)) != 0);
}

/* Fills seq, line and frame, calls the hook, and sets vm->interrupt if it asks to stop. */
void hs_emit (HsVm *vm, HsEvent *event);

/* Publishes a reference change.  Call it after the new target was incref'd and stored,
 * and before the old target is decref'd: old_refcnt is reported as old->refcnt - 1. */
void hs_emit_ref (HsVm *vm, HsHolderKind kind, HsId holder, uint64_t slot, const char *name,
                  HsObject *old_target, HsObject *new_target);

/* ---- deferred value-stack temporaries ---------------------------------------
 * Most value-stack pushes are popped a few instructions later with no other
 * event in between.  The traced loop therefore keeps its HS_HOLDER_STACK events
 * in vm->ev_pend instead of publishing them: a pop that matches the last pending
 * push (same frame, slot and object) cancels both, since nothing could observe
 * them; hs_emit() publishes the rest, in order and with the counts of the moment
 * they happened, before any other event.  Every event the hook sees thus still
 * finds slots and counts exact.  Calls and line events flush too, so temporaries
 * stay visible during calls (sys.getrefcount's +1) and at line boundaries. */

/* Publishes the pending stack events (drops them if REF is not hooked). */
void hs_emit_pending (HsVm *vm);

static inline void
hs_emit_flush (HsVm *vm)
{
  if (HS_UNLIKELY (vm->ev_npend != 0))
    hs_emit_pending (vm);
}

/* Value stack `frame`, depth `slot` now holds v (already incref'd and stored). */
static inline void
hs_defer_stack_push (HsVm *vm, HsId frame, size_t slot, HsObject *v)
{
  HsPendingRef *e;

  if (HS_UNLIKELY (vm->ev_npend == HS_PENDING_REFS))
    hs_emit_pending (vm);
  e = &vm->ev_pend[vm->ev_npend++];
  e->frame = frame;
  e->target = v->id;
  e->refcnt = v->refcnt;
  e->slot = (uint32_t) slot;
  e->push = 1;
}

/* Value stack `frame`, depth `slot` no longer holds v (call it before the decref). */
static inline void
hs_defer_stack_pop (HsVm *vm, HsId frame, size_t slot, HsObject *v)
{
  uint32_t n = vm->ev_npend;
  HsPendingRef *e;

  if (n != 0)
    {
      e = &vm->ev_pend[n - 1];
      if (e->target == v->id && e->slot == (uint32_t) slot && e->push && e->frame == frame)
        {
          vm->ev_npend = n - 1;
          return;
        }
      if (HS_UNLIKELY (n == HS_PENDING_REFS))
        {
          hs_emit_pending (vm);
          n = 0;
        }
    }
  e = &vm->ev_pend[n];
  vm->ev_npend = n + 1;
  e->frame = frame;
  e->target = v->id;
  e->refcnt = v->refcnt - 1;
  e->slot = (uint32_t) slot;
  e->push = 0;
}

/* If the last pending stack event for `frame`'s value stack at depth `slot`
 * is the push of v, drops it and returns true: nothing saw that reference, so
 * it can move from the stack into another holder with no stack event at all.
 * (Events for the slots above may be pending after it.) */
static inline bool
hs_defer_take_push (HsVm *vm, HsId frame, size_t slot, HsObject *v)
{
  uint32_t n = vm->ev_npend, i = n;

  while (i-- > 0)
    {
      HsPendingRef *e = &vm->ev_pend[i];

      if (e->slot != (uint32_t) slot || e->frame != frame)
        continue;
      if (!e->push || e->target != v->id)
        return false;
      memmove (e, e + 1, (n - i - 1) * sizeof *e);
      vm->ev_npend = n - 1;
      return true;
    }
  return false;
}

/* Replaces the reference in *slot by `value` (a new reference, stolen; may be NULL),
 * publishes the change, and releases the old one. */
static inline void
hs_slot_store (HsVm *vm, HsObject **slot, HsObject *value, HsHolderKind kind, HsId holder,
               uint64_t s, const char *name)
{
  HsObject *old = *slot;
  *slot = value;
  if (hs_hooked (vm, HS_EV_REF) && (old != NULL || value != NULL))
    hs_emit_ref (vm, kind, holder, s, name, old, value);
  if (old != NULL)
    hs_decref (vm, old);
}

/* ---- C recursion guard ---------------------------------------------------- */

/* repr of nested lists, comparisons, the collector's traversals...: never a C stack
 * overflow.  Returns false with RecursionError set when too deep. */
bool hs_enter_recursive_call (HsVm *vm, const char *where);
void hs_leave_recursive_call (HsVm *vm);

/* ==== Additions by the vm helper (hs-memory.c, hs-error.c, hs-func.c, hs-class.c, hs-vm.c) ==== */

/* Allocator start-up and shut-down (hs-memory.c); hs_vm_new()/hs_vm_free() call them first/last. */
void   hs_memory_init (HsVm *vm);
void   hs_memory_fini (HsVm *vm);
/* While on, FREE events carry HS_FREE_TEARDOWN. */
void   hs_memory_set_teardown (HsVm *vm, bool on);
/* Publishes the ALLOC events of objects allocated since the last event (an object is
 * described when it is published, i.e. once initialised). */
void   hs_memory_flush_allocs (HsVm *vm);
/* sys.getsizeof(o): type->size_of (or basic_size) plus 16 for gc types, as CPython. */
size_t hs_object_sizeof (HsObject *o);

/* ---- instances (hs-class.c): one object, attributes inline (3.11's managed dict) ---- */
typedef struct {
  HsObject *name;    /* interned str */
  HsObject *value;
} HsAttr;

typedef struct {
  uint32_t  n;
  uint32_t  cap;
  HsAttr   *items;   /* insertion order; hs_mem_alloc'd */
} HsAttrTable;

typedef struct {
  HsObject    base;
  HsAttrTable attrs;
} HsInstance;

/* Borrowed value or NULL (no exception). */
HsObject *hs_attrs_get (HsAttrTable *t, HsObject *name);
/* value borrowed (NULL: delete, returns 0 if present, -1 without exception if missing). */
int       hs_attrs_set (HsVm *vm, HsObject *owner, HsAttrTable *t, HsObject *name, HsObject *value);
void      hs_attrs_clear (HsVm *vm, HsObject *owner, HsAttrTable *t);
int       hs_attrs_traverse (HsAttrTable *t, HsVisitProc visit, void *arg);

/* Classes made by `class` (hs-class.c).  name, bases: borrowed; ns: the class body's
 * namespace dict (borrowed).  Returns the new class (a new reference). */
HsObject *hs_class_new (HsVm *vm, HsObject *name, HsObject *bases, HsObject *ns);
/* The instance-attribute table of obj, or NULL if its type has none. */
HsAttrTable *hs_object_attrs (HsVm *vm, HsObject *obj);
/* A heap type's extra data. */
typedef struct {
  HsType      type;
  HsObject   *name_obj;      /* str */
  HsObject   *qualname;      /* str */
  size_t      attrs_offset;  /* offset of the HsAttrTable in instances, 0 if none */
  bool        has_descriptors; /* a property somewhere in the class chain: attribute
                                  lookups must consult the class first */
} HsHeapType;

/* ---- exceptions (hs-error.c) ---------------------------------------------- */
typedef struct {
  HsObject *code;     /* the code object (counted reference) */
  uint32_t  offset;   /* instruction index that raised */
} HsTbEntry;

typedef struct {
  HsInstance inst;
  HsObject  *args;       /* tuple */
  HsObject  *context;    /* __context__ or NULL */
  HsObject  *cause;      /* __cause__ or NULL */
  bool       suppress_context;
  uint32_t   tb_n, tb_cap;
  HsTbEntry *tb;         /* most recent call LAST, as printed */
} HsException;

/* Creates an instance of exception class `type` with args (a tuple, borrowed). */
HsObject *hs_exception_new (HsVm *vm, HsType *type, HsObject *args);
/* str(exc) as CPython (one arg: str(arg); KeyError: repr(key); none: ""). New ref or NULL. */
HsObject *hs_exception_str (HsVm *vm, HsObject *exc);
bool      hs_is_exception_type (HsVm *vm, HsObject *o);
bool      hs_is_exception (HsVm *vm, HsObject *o);
/* Adds a traceback entry to the current exception (hs-vm.c on unwinding). */
void      hs_exception_add_tb (HsVm *vm, HsObject *exc, HsObject *code, uint32_t offset);
void      hs_exception_set_context (HsVm *vm, HsObject *exc, HsObject *context);  /* borrowed */
void      hs_exception_set_cause (HsVm *vm, HsObject *exc, HsObject *cause);      /* borrowed, may be None */
/* Makes an exception instance from `raise X` operand (class or instance), new ref or NULL. */
HsObject *hs_exception_from_raise (HsVm *vm, HsObject *value);

/* ---- tracebacks (hs-traceback.c) ------------------------------------------ */
/* Prints "Traceback (most recent call last): ... Type: message" with its chains on stderr. */
void hs_traceback_print (HsVm *vm, HsObject *exc);
/* The "Type: message" line without newline, into a new str (or NULL). */
HsObject *hs_exception_format_only (HsVm *vm, HsObject *exc);

/* ---- functions, cells, methods (hs-func.c) ---------------------------------- */
typedef struct {
  HsObject  base;
  HsObject *code;        /* code object */
  HsObject *globals;     /* dict */
  HsObject *name;        /* str */
  HsObject *qualname;    /* str */
  HsObject *defaults;    /* tuple or NULL */
  HsObject *kwdefaults;  /* dict or NULL */
  HsObject *closure;     /* tuple of cells or NULL */
  HsObject *doc;         /* or NULL */
  HsAttrTable attrs;     /* function attributes */
} HsFunction;

typedef struct { HsObject base; HsObject *ref; } HsCell;                    /* ref may be NULL */
typedef struct { HsObject base; HsObject *func; HsObject *self; } HsMethod;
typedef struct { HsObject base; HsObject *callable; } HsWrapper;            /* staticmethod, classmethod */
typedef struct { HsObject base; HsObject *fget, *fset, *fdel; } HsProperty;
typedef struct { HsObject base; HsType *type; HsObject *obj; } HsSuper;
typedef struct { HsObject base; HsObject *name; HsObject *dict; } HsModuleObj;

HsObject *hs_cell_new (HsVm *vm, HsObject *value);    /* borrowed value, may be NULL */
void      hs_cell_set (HsVm *vm, HsObject *cell, HsObject *value);  /* borrowed, may be NULL */
HsObject *hs_method_new (HsVm *vm, HsObject *func, HsObject *self); /* borrowed args */

/* ---- the interpreter (hs-vm.c) ---------------------------------------------- */
/* Calls a Python function object (the function type's call slot). */
HsObject *hs_vm_call_function (HsVm *vm, HsObject *func, HsObject *const *args, size_t nargs,
                               HsObject *kwnames);
/* Frees the exception classes (hs-error.c); hs_vm_free() calls it near the end. */
void      hs_errors_fini (HsVm *vm);
/* Deferred deallocations (hs-class.c's trashcan) and interpreter state (hs-vm.c). */
void      hs_class_fini (HsVm *vm);
/* Looks name up along type's base chain (class dicts, builtin methods): borrowed or NULL. */
HsObject *hs_class_lookup (HsVm *vm, HsType *type, HsObject *name);
HsObject *hs_function_new (HsVm *vm, HsObject *code, HsObject *globals);   /* borrowed args */
void      hs_function_set_defaults (HsVm *vm, HsObject *func, HsObject *defaults, HsObject *kwdefaults,
                                    HsObject *closure);                     /* borrowed, NULL: unset */
void      hs_module_type_init (HsVm *vm);                                   /* hs-module.c */
/* super() with no arguments: the running frame's __class__ cell and first argument. */
int       hs_vm_super_args (HsVm *vm, HsType **type, HsObject **obj);
/* Sets the current exception, taking over the caller's reference to exc. */
void      hs_err_set_steal (HsVm *vm, HsObject *exc);
/* Sets exc.__cause__, taking over the caller's reference to cause (hs-error.c; trace helper). */
void      hs_exception_set_cause_steal (HsVm *vm, HsObject *exc, HsObject *cause);
