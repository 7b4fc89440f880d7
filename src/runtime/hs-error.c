/* hs-error.c — exception classes, exception instances and the current-exception API. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hs-internal.h"
#include "hs-vm.h"

static HsObject *exception_new_steal (HsVm *vm, HsType *type, HsObject *args);

/* ---- the current exception ------------------------------------------------ */

static void
set_current (HsVm *vm, HsObject *exc)   /* exc: new reference, stolen (may be NULL) */
{
  HsObject *old = vm->exc;

  vm->exc = exc;
  if (hs_hooked (vm, HS_EV_REF) && (old != NULL || exc != NULL))
    hs_emit_ref (vm, HS_HOLDER_RUNTIME, 0, 0, "current exception", old, exc);
  if (old != NULL)
    hs_decref (vm, old);
}

bool
hs_is_exception_type (HsVm *vm, HsObject *o)
{
  return HS_TYPE (o) == HS_T (vm, TYPE) && (((HsType *) o)->flags & HS_TPFLAG_EXCEPTION) != 0;
}

bool
hs_is_exception (HsVm *vm, HsObject *o)
{
  return (HS_TYPE (o)->flags & HS_TPFLAG_EXCEPTION) != 0;
}

void
hs_exception_set_context (HsVm *vm, HsObject *exc, HsObject *context)
{
  HsException *e = (HsException *) exc;
  HsObject *c;

  if (context == exc)
    return;
  /* Never make a cycle in the chain: cut it where exc appears (as CPython does). */
  for (c = context; c != NULL; c = ((HsException *) c)->context)
    {
      HsException *ce = (HsException *) c;
      if (ce->context == exc)
        {
          hs_slot_store (vm, &ce->context, NULL, HS_HOLDER_INTERNAL, c->id, 2, "__context__");
          break;
        }
    }
  if (context != NULL)
    hs_incref (context);
  hs_slot_store (vm, &e->context, context, HS_HOLDER_INTERNAL, exc->id, 2, "__context__");
}

void
hs_exception_set_cause (HsVm *vm, HsObject *exc, HsObject *cause)
{
  HsException *e = (HsException *) exc;

  if (cause == vm->none)
    cause = NULL;
  if (cause != NULL)
    hs_incref (cause);
  hs_slot_store (vm, &e->cause, cause, HS_HOLDER_INTERNAL, exc->id, 3, "__cause__");
  e->suppress_context = true;
}

/* The caller's reference becomes the slot's, so no unpublished extra
 * reference is ever visible (raise ... from e). */
void
hs_exception_set_cause_steal (HsVm *vm, HsObject *exc, HsObject *cause)
{
  HsException *e = (HsException *) exc;

  if (cause == vm->none)
    {
      hs_decref (vm, cause);
      cause = NULL;
    }
  hs_slot_store (vm, &e->cause, cause, HS_HOLDER_INTERNAL, exc->id, 3, "__cause__");
  e->suppress_context = true;
}

void
hs_err_set_object (HsVm *vm, HsObject *exc)
{
  HsObject *handling = vm->interp != NULL ? HS_INTERP (vm)->handling : NULL;

  if (handling != NULL && handling != exc && hs_is_exception (vm, exc)
      && ((HsException *) exc)->context == NULL)
    hs_exception_set_context (vm, exc, handling);
  set_current (vm, hs_incref (exc));
}

/* Like hs_err_set_object() but takes over the caller's reference (no moment where
 * the exception has an unpublished extra reference). */
void
hs_err_set_steal (HsVm *vm, HsObject *exc)
{
  HsObject *handling = vm->interp != NULL ? HS_INTERP (vm)->handling : NULL;

  if (handling != NULL && handling != exc && hs_is_exception (vm, exc)
      && ((HsException *) exc)->context == NULL)
    hs_exception_set_context (vm, exc, handling);
  set_current (vm, exc);
}

/* The published slot of traceback entry `i`.  Entries are stored most recent
 * call last, so each unwound frame is prepended and the stored indices shift;
 * the slot counts in the order entries were added (100 = the innermost frame,
 * added first), so an entry keeps its slot for its whole life. */
static inline uint64_t
tb_slot (const HsException *e, uint32_t i)
{
  return 100 + (uint64_t) (e->tb_n - 1 - i);
}

HsObject *
hs_err_no_memory (HsVm *vm)
{
  HsInterp *in = HS_INTERP (vm);
  HsException *e;

  if (in == NULL || in->memory_error == NULL)
    return NULL;
  e = (HsException *) in->memory_error;
  /* Reuse: forget an old traceback when nobody else holds it. */
  if (in->memory_error->refcnt == 1)
    {
      uint32_t i;
      for (i = 0; i < e->tb_n; i++)
        {
          HsObject *code = e->tb[i].code;
          e->tb[i].code = NULL;
          if (hs_hooked (vm, HS_EV_REF))
            hs_emit_ref (vm, HS_HOLDER_INTERNAL, in->memory_error->id, tb_slot (e, i), "__traceback__",
                         code, NULL);
          hs_decref (vm, code);
        }
      if (e->tb != NULL)
        e->tb += e->tb_n;   /* the entries sit at the end of their block */
      e->tb_n = 0;
      if (e->context != NULL)
        hs_slot_store (vm, &e->context, NULL, HS_HOLDER_INTERNAL, in->memory_error->id, 2, "__context__");
    }
  set_current (vm, hs_incref (in->memory_error));
  return NULL;
}

void
hs_err_format (HsVm *vm, HsType *type, const char *fmt, ...)
{
  char buf[512];
  char *msg = buf;
  va_list ap;
  int n;
  HsObject *s, *args, *exc;

  va_start (ap, fmt);
  n = vsnprintf (buf, sizeof buf, fmt, ap);
  va_end (ap);
  if (n >= (int) sizeof buf)
    {
      msg = malloc ((size_t) n + 1);
      if (msg == NULL)
        {
          hs_err_no_memory (vm);
          return;
        }
      va_start (ap, fmt);
      vsnprintf (msg, (size_t) n + 1, fmt, ap);
      va_end (ap);
    }
  if (type == NULL)
    type = HS_EXC (vm, RUNTIME_ERROR);
  s = hs_str_from_cstr (vm, msg);
  if (msg != buf)
    free (msg);
  if (s == NULL)
    return;
  args = hs_tuple_new (vm, 1);
  if (args == NULL)
    {
      hs_decref (vm, s);
      return;
    }
  hs_tuple_init_item (vm, args, 0, s);
  exc = exception_new_steal (vm, type, args);
  if (exc == NULL)
    return;
  hs_err_set_steal (vm, exc);
}

bool
hs_err_occurred (HsVm *vm)
{
  return vm->exc != NULL;
}

bool
hs_err_matches (HsVm *vm, HsType *type)
{
  return vm->exc != NULL && hs_type_is_subtype (HS_TYPE (vm->exc), type);
}

HsObject *
hs_err_fetch (HsVm *vm)
{
  HsObject *exc = vm->exc;

  if (exc == NULL)
    return NULL;
  vm->exc = NULL;
  if (hs_hooked (vm, HS_EV_REF))
    {
      /* The reference moves to the caller, who publishes it where it stores it. */
      HsEvent ev;
      memset (&ev, 0, sizeof ev);
      ev.kind = HS_EV_REF;
      ev.u.ref.holder_kind = HS_HOLDER_RUNTIME;
      ev.u.ref.name = "current exception";
      ev.u.ref.old_target = exc->id;
      ev.u.ref.old_refcnt = exc->refcnt - 1;
      hs_emit (vm, &ev);
    }
  return exc;
}

void
hs_err_clear (HsVm *vm)
{
  set_current (vm, NULL);
}

/* ---- exception instances -------------------------------------------------- */

HsObject *
hs_exception_new (HsVm *vm, HsType *type, HsObject *args)
{
  if (args == NULL)
    args = vm->empty_tuple;
  return exception_new_steal (vm, type, hs_incref (args));
}

/* args: a new reference, taken over (released on failure). */
static HsObject *
exception_new_steal (HsVm *vm, HsType *type, HsObject *args)
{
  HsException *e;
  size_t size = type->basic_size < sizeof (HsException) ? sizeof (HsException) : type->basic_size;

  e = hs_object_alloc (vm, type, size);
  if (e == NULL)
    {
      hs_decref (vm, args);
      return NULL;
    }
  memset ((char *) e + sizeof (HsObject), 0, size - sizeof (HsObject));
  if (type->flags & HS_TPFLAG_HEAPTYPE)
    {
      hs_incref ((HsObject *) type);
      if (hs_hooked (vm, HS_EV_REF))
        hs_emit_ref (vm, HS_HOLDER_INTERNAL, e->inst.base.id, 0, "__class__", NULL, (HsObject *) type);
    }
  e->args = args;
  if (hs_hooked (vm, HS_EV_REF))
    hs_emit_ref (vm, HS_HOLDER_INTERNAL, e->inst.base.id, 1, "args", NULL, args);
  hs_gc_track (vm, (HsObject *) e);
  return (HsObject *) e;
}

void
hs_exception_add_tb (HsVm *vm, HsObject *exc, HsObject *code, uint32_t offset)
{
  HsException *e = (HsException *) exc;

  if (!hs_is_exception (vm, exc))
    return;
  /* Unwinding prepends (most recent call last): the entries sit at the END of their
   * block, e->tb pointing at the first, so adding one is O(1) however deep. */
  if (e->tb_n == e->tb_cap)
    {
      uint32_t cap = e->tb_cap ? e->tb_cap * 2 : 4;
      HsTbEntry *tb;
      HsObject *saved = vm->exc;

      /* Growing must not disturb the exception being raised: on failure, skip. */
      tb = hs_mem_alloc (vm, cap * sizeof *tb);
      if (tb != NULL)
        {
          if (e->tb_n > 0)
            memcpy (tb + (cap - e->tb_n), e->tb, e->tb_n * sizeof *tb);
          if (e->tb != NULL)
            hs_mem_free (vm, e->tb - (e->tb_cap - e->tb_n), e->tb_cap * sizeof *tb);
          tb += cap - e->tb_n;
        }
      if (tb == NULL)
        {
          if (vm->exc != saved)
            {
              HsObject *mem = vm->exc;
              vm->exc = saved;
              hs_decref (vm, mem);
            }
          return;
        }
      e->tb = tb;
      e->tb_cap = cap;
    }
  e->tb--;
  e->tb[0].code = hs_incref (code);
  e->tb[0].offset = offset;
  e->tb_n++;
  if (hs_hooked (vm, HS_EV_REF))
    hs_emit_ref (vm, HS_HOLDER_INTERNAL, exc->id, tb_slot (e, 0), "__traceback__", NULL, code);
}

static void
exc_clear (HsVm *vm, HsObject *self)
{
  HsException *e = (HsException *) self;
  uint32_t i;

  hs_slot_store (vm, &e->args, NULL, HS_HOLDER_INTERNAL, self->id, 1, "args");
  hs_slot_store (vm, &e->context, NULL, HS_HOLDER_INTERNAL, self->id, 2, "__context__");
  hs_slot_store (vm, &e->cause, NULL, HS_HOLDER_INTERNAL, self->id, 3, "__cause__");
  for (i = e->tb_n; i-- > 0;)
    {
      HsObject *code = e->tb[i].code;
      e->tb[i].code = NULL;
      if (hs_hooked (vm, HS_EV_REF))
        hs_emit_ref (vm, HS_HOLDER_INTERNAL, self->id, tb_slot (e, i), "__traceback__", code, NULL);
      hs_decref (vm, code);
    }
  if (e->tb != NULL)
    e->tb += e->tb_n;   /* the entries sit at the end of their block */
  e->tb_n = 0;
  hs_attrs_clear (vm, self, &e->inst.attrs);
}

static void
exc_dealloc (HsVm *vm, HsObject *self)
{
  HsException *e = (HsException *) self;
  HsType *type = self->type;
  bool heap = (type->flags & HS_TPFLAG_HEAPTYPE) != 0;

  exc_clear (vm, self);
  if (e->tb != NULL)
    hs_mem_free (vm, e->tb - (e->tb_cap - e->tb_n), e->tb_cap * sizeof *e->tb);
  e->tb = NULL;
  if (heap && hs_hooked (vm, HS_EV_REF))
    hs_emit_ref (vm, HS_HOLDER_INTERNAL, self->id, 0, "__class__", (HsObject *) type, NULL);
  hs_object_free (vm, self);
  if (heap)
    hs_decref (vm, (HsObject *) type);
}

static int
exc_traverse (HsObject *self, HsVisitProc visit, void *arg)
{
  HsException *e = (HsException *) self;
  uint32_t i;
  int r;

  if (self->type->flags & HS_TPFLAG_HEAPTYPE)
    if ((r = visit ((HsObject *) self->type, arg)) != 0)
      return r;
  if (e->args != NULL && (r = visit (e->args, arg)) != 0)
    return r;
  if (e->context != NULL && (r = visit (e->context, arg)) != 0)
    return r;
  if (e->cause != NULL && (r = visit (e->cause, arg)) != 0)
    return r;
  for (i = 0; i < e->tb_n; i++)
    if ((r = visit (e->tb[i].code, arg)) != 0)
      return r;
  return hs_attrs_traverse (&e->inst.attrs, visit, arg);
}

HsObject *
hs_exception_str (HsVm *vm, HsObject *exc)
{
  HsException *e = (HsException *) exc;
  HsObject *args = e->args;
  size_t n = args != NULL ? hs_tuple_size (args) : 0;

  if (n == 0)
    return hs_str_from_cstr (vm, "");
  if (n == 1)
    {
      if (hs_type_is_subtype (exc->type, HS_EXC (vm, KEY_ERROR)))
        return hs_object_repr (vm, hs_tuple_item (args, 0));
      return hs_object_str (vm, hs_tuple_item (args, 0));
    }
  return hs_object_repr (vm, args);
}

static HsObject *
exc_str (HsVm *vm, HsObject *self)
{
  return hs_exception_str (vm, self);
}

static HsObject *
exc_repr (HsVm *vm, HsObject *self)
{
  HsException *e = (HsException *) self;
  const char *name = hs_object_type_name (self);
  HsObject *inner, *res;

  if (e->args == NULL || hs_tuple_size (e->args) == 0)
    return hs_str_printf (vm, "%s()", name);
  if (hs_tuple_size (e->args) == 1)
    {
      inner = hs_object_repr (vm, hs_tuple_item (e->args, 0));
      if (inner == NULL)
        return NULL;
      res = hs_str_printf (vm, "%s(%s)", name, hs_str_data (inner));
    }
  else
    {
      inner = hs_object_repr (vm, e->args);
      if (inner == NULL)
        return NULL;
      res = hs_str_printf (vm, "%s%s", name, hs_str_data (inner));
    }
  hs_decref (vm, inner);
  return res;
}

static void
exc_describe (HsVm *vm, HsObject *self, char *buf, size_t cap)
{
  HsException *e = (HsException *) self;
  HsObject *a0 = e->args != NULL && hs_tuple_size (e->args) >= 1 ? hs_tuple_item (e->args, 0) : NULL;

  if (a0 != NULL && a0->type == HS_T (vm, STR))
    snprintf (buf, cap, "%s('%s')", hs_object_type_name (self), hs_str_data (a0));
  else
    snprintf (buf, cap, "%s", hs_object_type_name (self));
}

static HsObject *
make_args_tuple (HsVm *vm, HsObject *const *args, size_t nargs)
{
  HsObject *t;
  size_t i;

  if (nargs == 0)
    return hs_incref (vm->empty_tuple);
  t = hs_tuple_new (vm, nargs);
  if (t == NULL)
    return NULL;
  for (i = 0; i < nargs; i++)
    hs_tuple_init_item (vm, t, i, hs_incref (args[i]));
  return t;
}

static HsObject *
exc_new (HsVm *vm, HsType *cls, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  HsObject *t, *exc;
  size_t npos = nargs - (kwnames != NULL ? hs_tuple_size (kwnames) : 0);

  if (kwnames != NULL && hs_tuple_size (kwnames) > 0 && !(cls->flags & HS_TPFLAG_HEAPTYPE))
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "%s() takes no keyword arguments", cls->name);
      return NULL;
    }
  t = make_args_tuple (vm, args, npos);
  if (t == NULL)
    return NULL;
  exc = exception_new_steal (vm, cls, t);
  return exc;
}

static HsObject *
exc_init_method (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  HsException *e = (HsException *) self;
  HsObject *t;

  if (!hs_is_exception (vm, self))
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "descriptor '__init__' requires a 'BaseException' object");
      return NULL;
    }
  if (kwnames != NULL && hs_tuple_size (kwnames) > 0)
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "%s() takes no keyword arguments", hs_object_type_name (self));
      return NULL;
    }
  t = make_args_tuple (vm, args, nargs);
  if (t == NULL)
    return NULL;
  hs_slot_store (vm, &e->args, t, HS_HOLDER_INTERNAL, self->id, 1, "args");
  return hs_incref (vm->none);
}

static HsObject *
exc_str_method (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  return hs_exception_str (vm, self);
}

static HsObject *
exc_repr_method (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  return exc_repr (vm, self);
}

static HsObject *
exc_with_traceback (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  return hs_incref (self);
}

static const HsMethodDef exc_methods[] = {
  { "__init__", exc_init_method, NULL },
  { "__str__", exc_str_method, NULL },
  { "__repr__", exc_repr_method, NULL },
  { "with_traceback", exc_with_traceback, NULL },
  { NULL, NULL, NULL },
};

static HsObject *
exc_getattr (HsVm *vm, HsObject *self, HsObject *name)
{
  HsException *e = (HsException *) self;
  const char *n = hs_str_data (name);

  if (n[0] == '_' || n[0] == 'a' || n[0] == 'c' || n[0] == 'v')
    {
      if (strcmp (n, "args") == 0)
        return hs_incref (e->args);
      if (strcmp (n, "__context__") == 0)
        return hs_incref (e->context != NULL ? e->context : vm->none);
      if (strcmp (n, "__cause__") == 0)
        return hs_incref (e->cause != NULL ? e->cause : vm->none);
      if (strcmp (n, "__suppress_context__") == 0)
        return hs_bool_from (vm, e->suppress_context);
      if (strcmp (n, "__traceback__") == 0)
        return hs_incref (vm->none);
      if ((strcmp (n, "code") == 0 && hs_type_is_subtype (self->type, HS_EXC (vm, SYSTEM_EXIT)))
          || (strcmp (n, "value") == 0 && hs_type_is_subtype (self->type, HS_EXC (vm, STOP_ITERATION))))
        {
          HsObject *v = hs_attrs_get (&e->inst.attrs, name);
          if (v != NULL)
            return hs_incref (v);
          if (e->args != NULL && hs_tuple_size (e->args) > 0)
            return hs_incref (hs_tuple_item (e->args, 0));
          return hs_incref (vm->none);
        }
    }
  return hs_object_generic_getattr (vm, self, name);
}

static int
exc_setattr (HsVm *vm, HsObject *self, HsObject *name, HsObject *value)
{
  HsException *e = (HsException *) self;
  const char *n = hs_str_data (name);

  if (strcmp (n, "args") == 0 && value != NULL)
    {
      HsObject *t = hs_sequence_list (vm, value);
      HsObject *tup;
      size_t i, k;
      if (t == NULL)
        return -1;
      k = hs_list_size (t);
      tup = hs_tuple_new (vm, k);
      if (tup == NULL)
        {
          hs_decref (vm, t);
          return -1;
        }
      for (i = 0; i < k; i++)
        hs_tuple_init_item (vm, tup, i, hs_incref (hs_list_item (t, i)));
      hs_decref (vm, t);
      hs_slot_store (vm, &e->args, tup, HS_HOLDER_INTERNAL, self->id, 1, "args");
      return 0;
    }
  if (strcmp (n, "__context__") == 0)
    {
      hs_exception_set_context (vm, self, value == vm->none ? NULL : value);
      return 0;
    }
  if (strcmp (n, "__cause__") == 0)
    {
      hs_exception_set_cause (vm, self, value);
      return 0;
    }
  if (strcmp (n, "__traceback__") == 0 || strcmp (n, "__suppress_context__") == 0)
    return 0;
  return hs_object_generic_setattr (vm, self, name, value);
}

HsObject *
hs_exception_from_raise (HsVm *vm, HsObject *value)
{
  if (hs_is_exception_type (vm, value))
    return hs_object_call (vm, value, NULL, 0, NULL);
  if (hs_is_exception (vm, value))
    return hs_incref (value);
  hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "exceptions must derive from BaseException");
  return NULL;
}

/* ---- the exception classes ------------------------------------------------- */

void
hs_errors_init (HsVm *vm)
{
  static const struct { const char *name; int base; } table[] = {
#define HS_X(id, name, base) { name, HS_EXC_##base },
#define HS_EXC_NONE (-1)
    HS_EXCEPTION_TYPES (HS_X)
#undef HS_EXC_NONE
#undef HS_X
  };
  HsInterp *in = HS_INTERP (vm);
  int i;

  for (i = 0; i < HS_EXC__COUNT; i++)
    {
      HsHeapType *ht = hs_object_alloc (vm, HS_T (vm, TYPE), sizeof (HsHeapType));
      HsType *t;

      if (ht == NULL)
        abort ();
      memset ((char *) ht + sizeof (HsObject), 0, sizeof *ht - sizeof (HsObject));
      ht->type.base.flags |= HS_OBJ_IMMORTAL;
      t = &ht->type;
      t->name = table[i].name;
      t->tp_base = table[i].base < 0 ? HS_T (vm, OBJECT) : vm->exc_types[table[i].base];
      t->flags = HS_TPFLAG_GC | HS_TPFLAG_BASETYPE | HS_TPFLAG_EXCEPTION;
      t->basic_size = sizeof (HsException);
      t->dealloc = exc_dealloc;
      t->traverse = exc_traverse;
      t->clear = exc_clear;
      t->repr = exc_repr;
      t->str = exc_str;
      t->hash = HS_T (vm, OBJECT)->hash;
      t->richcompare = HS_T (vm, OBJECT)->richcompare;
      t->new_ = exc_new;
      t->getattr = exc_getattr;
      t->setattr = exc_setattr;
      t->methods = i == HS_EXC_BASE_EXCEPTION ? exc_methods : NULL;
      t->describe = exc_describe;
      ht->attrs_offset = offsetof (HsInstance, attrs);
      vm->exc_types[i] = t;
    }
  in->memory_error = hs_exception_new (vm, HS_EXC (vm, MEMORY_ERROR), NULL);
  if (in->memory_error != NULL && hs_hooked (vm, HS_EV_REF))
    hs_emit_ref (vm, HS_HOLDER_RUNTIME, 0, 1, "preallocated MemoryError", NULL, in->memory_error);
}

void
hs_errors_fini (HsVm *vm)
{
  int i;

  for (i = HS_EXC__COUNT; i-- > 0;)
    if (vm->exc_types[i] != NULL)
      {
        hs_object_free (vm, (HsObject *) vm->exc_types[i]);
        vm->exc_types[i] = NULL;
      }
}
