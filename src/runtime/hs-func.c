/* hs-func.c — functions, cells, bound methods, staticmethod, classmethod, property, super. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hs-code.h"
#include "hs-containers.h"
#include "hs-internal.h"
#include "hs-vm.h"

#define REF(vm, holder, slot, name, old, new_) \
  do { if (hs_hooked ((vm), HS_EV_REF)) hs_emit_ref ((vm), HS_HOLDER_INTERNAL, (holder), (slot), (name), (old), (new_)); } while (0)

/* ---- functions ---------------------------------------------------------------- */

static void
set_field (HsVm *vm, HsObject *self, HsObject **field, HsObject *value, int slot, const char *label)
{
  if (value != NULL)
    hs_incref (value);
  hs_slot_store (vm, field, value, HS_HOLDER_INTERNAL, self->id, (uint64_t) slot, label);
}

HsObject *
hs_function_new (HsVm *vm, HsObject *code, HsObject *globals)
{
  HsFunction *f = hs_object_alloc (vm, HS_T (vm, FUNCTION), sizeof (HsFunction));
  HsCode *c = HS_CODE (code);

  if (f == NULL)
    return NULL;
  memset ((char *) f + sizeof (HsObject), 0, sizeof *f - sizeof (HsObject));
  set_field (vm, &f->base, &f->code, code, 0, "__code__");
  set_field (vm, &f->base, &f->globals, globals, 1, "__globals__");
  set_field (vm, &f->base, &f->name, c->name, 2, "__name__");
  set_field (vm, &f->base, &f->qualname, c->qualname, 3, "__qualname__");
  hs_gc_track (vm, &f->base);
  return &f->base;
}

void
hs_function_set_defaults (HsVm *vm, HsObject *func, HsObject *defaults, HsObject *kwdefaults,
                          HsObject *closure)
{
  HsFunction *f = (HsFunction *) func;

  if (defaults != NULL)
    set_field (vm, func, &f->defaults, defaults, 4, "__defaults__");
  if (kwdefaults != NULL)
    set_field (vm, func, &f->kwdefaults, kwdefaults, 5, "__kwdefaults__");
  if (closure != NULL)
    set_field (vm, func, &f->closure, closure, 6, "__closure__");
}

static void
func_clear (HsVm *vm, HsObject *self)
{
  HsFunction *f = (HsFunction *) self;

  hs_attrs_clear (vm, self, &f->attrs);
  hs_slot_store (vm, &f->doc, NULL, HS_HOLDER_INTERNAL, self->id, 7, "__doc__");
  hs_slot_store (vm, &f->closure, NULL, HS_HOLDER_INTERNAL, self->id, 6, "__closure__");
  hs_slot_store (vm, &f->kwdefaults, NULL, HS_HOLDER_INTERNAL, self->id, 5, "__kwdefaults__");
  hs_slot_store (vm, &f->defaults, NULL, HS_HOLDER_INTERNAL, self->id, 4, "__defaults__");
  hs_slot_store (vm, &f->globals, NULL, HS_HOLDER_INTERNAL, self->id, 1, "__globals__");
}

static void
func_dealloc (HsVm *vm, HsObject *self)
{
  HsFunction *f = (HsFunction *) self;

  func_clear (vm, self);
  hs_slot_store (vm, &f->qualname, NULL, HS_HOLDER_INTERNAL, self->id, 3, "__qualname__");
  hs_slot_store (vm, &f->name, NULL, HS_HOLDER_INTERNAL, self->id, 2, "__name__");
  hs_slot_store (vm, &f->code, NULL, HS_HOLDER_INTERNAL, self->id, 0, "__code__");
  hs_object_free (vm, self);
}

static int
func_traverse (HsObject *self, HsVisitProc visit, void *arg)
{
  HsFunction *f = (HsFunction *) self;
  HsObject *fields[] = { f->code, f->globals, f->name, f->qualname, f->defaults, f->kwdefaults,
                         f->closure, f->doc };
  size_t i;
  int r;

  for (i = 0; i < sizeof fields / sizeof fields[0]; i++)
    if (fields[i] != NULL && (r = visit (fields[i], arg)) != 0)
      return r;
  return hs_attrs_traverse (&f->attrs, visit, arg);
}

static HsObject *
func_repr (HsVm *vm, HsObject *self)
{
  HsFunction *f = (HsFunction *) self;

  return hs_str_printf (vm, "<function %s at %p>", hs_str_data (f->qualname), (void *) self);
}

static void
func_describe (HsVm *vm, HsObject *self, char *buf, size_t cap)
{
  HsFunction *f = (HsFunction *) self;

  snprintf (buf, cap, "function %s", f->qualname != NULL ? hs_str_data (f->qualname) : "?");
}

static HsObject *
func_call (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  return hs_vm_call_function (vm, self, args, nargs, kwnames);
}

static HsObject *
func_getattr (HsVm *vm, HsObject *self, HsObject *name)
{
  HsFunction *f = (HsFunction *) self;
  const char *n = hs_str_data (name);

  if (n[0] == '_' && n[1] == '_')
    {
#define FIELD(s, v) if (strcmp (n, s) == 0) return hs_incref ((v) != NULL ? (v) : vm->none)
      FIELD ("__name__", f->name);
      FIELD ("__qualname__", f->qualname);
      FIELD ("__code__", f->code);
      FIELD ("__globals__", f->globals);
      FIELD ("__defaults__", f->defaults);
      FIELD ("__kwdefaults__", f->kwdefaults);
      FIELD ("__closure__", f->closure);
      FIELD ("__doc__", f->doc);
#undef FIELD
      if (strcmp (n, "__module__") == 0)
        return hs_str_from_cstr (vm, "__main__");
    }
  return hs_object_generic_getattr (vm, self, name);
}

static int
func_setattr (HsVm *vm, HsObject *self, HsObject *name, HsObject *value)
{
  HsFunction *f = (HsFunction *) self;
  const char *n = hs_str_data (name);

  if (strcmp (n, "__name__") == 0 || strcmp (n, "__qualname__") == 0)
    {
      if (value == NULL || !HS_IS_SUBTYPE (vm, value, STR))
        {
          hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "%s must be set to a string object", n);
          return -1;
        }
      if (n[2] == 'n')
        set_field (vm, self, &f->name, value, 2, "__name__");
      else
        set_field (vm, self, &f->qualname, value, 3, "__qualname__");
      return 0;
    }
  if (strcmp (n, "__doc__") == 0)
    {
      set_field (vm, self, &f->doc, value, 7, "__doc__");
      return 0;
    }
  if (strcmp (n, "__defaults__") == 0)
    {
      set_field (vm, self, &f->defaults, value == vm->none ? NULL : value, 4, "__defaults__");
      return 0;
    }
  return hs_object_generic_setattr (vm, self, name, value);
}

static const HsType function_template = {
  .name = "function",
  .flags = HS_TPFLAG_GC,
  .basic_size = sizeof (HsFunction),
  .dealloc = func_dealloc,
  .traverse = func_traverse,
  .clear = func_clear,
  .repr = func_repr,
  .call = func_call,
  .getattr = func_getattr,
  .setattr = func_setattr,
  .describe = func_describe,
};

/* ---- cells ------------------------------------------------------------------------ */

HsObject *
hs_cell_new (HsVm *vm, HsObject *value)
{
  HsCell *c = hs_object_alloc (vm, HS_T (vm, CELL), sizeof (HsCell));

  if (c == NULL)
    return NULL;
  c->ref = NULL;
  if (value != NULL)
    {
      c->ref = hs_incref (value);
      if (hs_hooked (vm, HS_EV_REF))
        hs_emit_ref (vm, HS_HOLDER_CELL, c->base.id, 0, NULL, NULL, value);
    }
  hs_gc_track (vm, &c->base);
  return &c->base;
}

void
hs_cell_set (HsVm *vm, HsObject *cell, HsObject *value)
{
  HsCell *c = (HsCell *) cell;

  if (value != NULL)
    hs_incref (value);
  hs_slot_store (vm, &c->ref, value, HS_HOLDER_CELL, cell->id, 0, NULL);
}

static void
cell_clear (HsVm *vm, HsObject *self)
{
  hs_slot_store (vm, &((HsCell *) self)->ref, NULL, HS_HOLDER_CELL, self->id, 0, NULL);
}

static void
cell_dealloc (HsVm *vm, HsObject *self)
{
  cell_clear (vm, self);
  hs_object_free (vm, self);
}

static int
cell_traverse (HsObject *self, HsVisitProc visit, void *arg)
{
  HsCell *c = (HsCell *) self;

  return c->ref != NULL ? visit (c->ref, arg) : 0;
}

static HsObject *
cell_repr (HsVm *vm, HsObject *self)
{
  HsCell *c = (HsCell *) self;

  if (c->ref == NULL)
    return hs_str_printf (vm, "<cell at %p: empty>", (void *) self);
  return hs_str_printf (vm, "<cell at %p: %s object at %p>", (void *) self,
                        hs_object_type_name (c->ref), (void *) c->ref);
}

static HsObject *
cell_getattr (HsVm *vm, HsObject *self, HsObject *name)
{
  HsCell *c = (HsCell *) self;

  if (strcmp (hs_str_data (name), "cell_contents") == 0)
    {
      if (c->ref == NULL)
        {
          hs_err_format (vm, HS_EXC (vm, VALUE_ERROR), "Cell is empty");
          return NULL;
        }
      return hs_incref (c->ref);
    }
  return hs_object_generic_getattr (vm, self, name);
}

static const HsType cell_template = {
  .name = "cell",
  .flags = HS_TPFLAG_GC,
  .basic_size = sizeof (HsCell),
  .dealloc = cell_dealloc,
  .traverse = cell_traverse,
  .clear = cell_clear,
  .repr = cell_repr,
  .getattr = cell_getattr,
};

/* ---- bound methods ------------------------------------------------------------------ */

HsObject *
hs_method_new (HsVm *vm, HsObject *func, HsObject *self)
{
  HsMethod *m = hs_object_alloc (vm, HS_T (vm, METHOD), sizeof (HsMethod));

  if (m == NULL)
    return NULL;
  m->func = hs_incref (func);
  REF (vm, m->base.id, 0, "__func__", NULL, func);
  m->self = hs_incref (self);
  REF (vm, m->base.id, 1, "__self__", NULL, self);
  hs_gc_track (vm, &m->base);
  return &m->base;
}

static void
method_clear (HsVm *vm, HsObject *self)
{
  HsMethod *m = (HsMethod *) self;

  hs_slot_store (vm, &m->self, NULL, HS_HOLDER_INTERNAL, self->id, 1, "__self__");
  hs_slot_store (vm, &m->func, NULL, HS_HOLDER_INTERNAL, self->id, 0, "__func__");
}

static void
method_dealloc (HsVm *vm, HsObject *self)
{
  method_clear (vm, self);
  hs_object_free (vm, self);
}

static int
method_traverse (HsObject *self, HsVisitProc visit, void *arg)
{
  HsMethod *m = (HsMethod *) self;
  int r;

  if (m->func != NULL && (r = visit (m->func, arg)) != 0)
    return r;
  return m->self != NULL ? visit (m->self, arg) : 0;
}

static HsObject *
method_call (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  HsMethod *m = (HsMethod *) self;
  HsObject *small[8];
  HsObject **buf = small;
  HsObject *res;
  size_t i;

  if (nargs + 1 > 8)
    {
      buf = malloc ((nargs + 1) * sizeof *buf);
      if (buf == NULL)
        return hs_err_no_memory (vm);
    }
  buf[0] = m->self;
  for (i = 0; i < nargs; i++)
    buf[i + 1] = args[i];
  if (m->func->type == HS_T (vm, FUNCTION))
    res = hs_vm_call_function (vm, m->func, buf, nargs + 1, kwnames);
  else
    res = hs_object_call (vm, m->func, buf, nargs + 1, kwnames);
  if (buf != small)
    free (buf);
  return res;
}

static HsObject *
method_repr (HsVm *vm, HsObject *self)
{
  HsMethod *m = (HsMethod *) self;
  HsObject *r = hs_object_repr (vm, m->self);
  HsObject *qn, *res;

  if (r == NULL)
    return NULL;
  qn = hs_object_getattr_str (vm, m->func, "__qualname__");
  if (qn == NULL)
    {
      hs_err_clear (vm);
      qn = hs_str_from_cstr (vm, "?");
    }
  res = hs_str_printf (vm, "<bound method %s of %s>", hs_str_data (qn), hs_str_data (r));
  hs_decref (vm, qn);
  hs_decref (vm, r);
  return res;
}

static HsObject *
method_richcompare (HsVm *vm, HsObject *self, HsObject *other, HsCompareOp op)
{
  HsMethod *a = (HsMethod *) self, *b = (HsMethod *) other;
  bool eq;

  if ((op != HS_CMP_EQ && op != HS_CMP_NE) || other->type != self->type)
    return hs_incref (vm->not_implemented);
  eq = a->func == b->func && a->self == b->self;
  return hs_bool_from (vm, op == HS_CMP_EQ ? eq : !eq);
}

static bool
method_hash (HsVm *vm, HsObject *self, int64_t *out)
{
  HsMethod *m = (HsMethod *) self;

  *out = (int64_t) ((((uintptr_t) m->func) >> 4) ^ (((uintptr_t) m->self) >> 4));
  return true;
}

static HsObject *
method_getattr (HsVm *vm, HsObject *self, HsObject *name)
{
  HsMethod *m = (HsMethod *) self;
  const char *n = hs_str_data (name);

  if (strcmp (n, "__func__") == 0)
    return hs_incref (m->func);
  if (strcmp (n, "__self__") == 0)
    return hs_incref (m->self);
  if (strcmp (n, "__class__") == 0)
    return hs_incref ((HsObject *) self->type);
  return hs_object_getattr (vm, m->func, name);
}

static void
method_describe (HsVm *vm, HsObject *self, char *buf, size_t cap)
{
  HsMethod *m = (HsMethod *) self;

  if (m->func != NULL && m->func->type == HS_T (vm, FUNCTION))
    snprintf (buf, cap, "bound method %s", hs_str_data (((HsFunction *) m->func)->qualname));
  else
    snprintf (buf, cap, "bound method");
}

static const HsType method_template = {
  .name = "method",
  .flags = HS_TPFLAG_GC,
  .basic_size = sizeof (HsMethod),
  .dealloc = method_dealloc,
  .traverse = method_traverse,
  .clear = method_clear,
  .repr = method_repr,
  .hash = method_hash,
  .richcompare = method_richcompare,
  .call = method_call,
  .getattr = method_getattr,
  .describe = method_describe,
};

/* ---- staticmethod, classmethod ----------------------------------------------------- */

static void
wrapper_clear (HsVm *vm, HsObject *self)
{
  hs_slot_store (vm, &((HsWrapper *) self)->callable, NULL, HS_HOLDER_INTERNAL, self->id, 0, "__func__");
}

static void
wrapper_dealloc (HsVm *vm, HsObject *self)
{
  wrapper_clear (vm, self);
  hs_object_free (vm, self);
}

static int
wrapper_traverse (HsObject *self, HsVisitProc visit, void *arg)
{
  HsWrapper *w = (HsWrapper *) self;

  return w->callable != NULL ? visit (w->callable, arg) : 0;
}

static HsObject *
wrapper_new (HsVm *vm, HsType *cls, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  HsWrapper *w;

  if (hs_check_no_kwargs (vm, cls->name, kwnames) < 0
      || hs_check_nargs (vm, cls->name, nargs, 1, 1) < 0)
    return NULL;
  w = hs_object_alloc (vm, cls, sizeof (HsWrapper));
  if (w == NULL)
    return NULL;
  w->callable = hs_incref (args[0]);
  REF (vm, w->base.id, 0, "__func__", NULL, args[0]);
  hs_gc_track (vm, &w->base);
  return &w->base;
}

static HsObject *
wrapper_getattr (HsVm *vm, HsObject *self, HsObject *name)
{
  if (strcmp (hs_str_data (name), "__func__") == 0)
    return hs_incref (((HsWrapper *) self)->callable);
  return hs_object_generic_getattr (vm, self, name);
}

static HsObject *
staticmethod_call (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  return hs_object_call (vm, ((HsWrapper *) self)->callable, args, nargs, kwnames);
}

static const HsType staticmethod_template = {
  .name = "staticmethod",
  .flags = HS_TPFLAG_GC | HS_TPFLAG_BASETYPE,
  .basic_size = sizeof (HsWrapper),
  .dealloc = wrapper_dealloc,
  .traverse = wrapper_traverse,
  .clear = wrapper_clear,
  .new_ = wrapper_new,
  .call = staticmethod_call,
  .getattr = wrapper_getattr,
};

static const HsType classmethod_template = {
  .name = "classmethod",
  .flags = HS_TPFLAG_GC | HS_TPFLAG_BASETYPE,
  .basic_size = sizeof (HsWrapper),
  .dealloc = wrapper_dealloc,
  .traverse = wrapper_traverse,
  .clear = wrapper_clear,
  .new_ = wrapper_new,
  .getattr = wrapper_getattr,
};

/* ---- property ------------------------------------------------------------------------ */

static void
property_clear (HsVm *vm, HsObject *self)
{
  HsProperty *p = (HsProperty *) self;

  hs_slot_store (vm, &p->fdel, NULL, HS_HOLDER_INTERNAL, self->id, 2, "fdel");
  hs_slot_store (vm, &p->fset, NULL, HS_HOLDER_INTERNAL, self->id, 1, "fset");
  hs_slot_store (vm, &p->fget, NULL, HS_HOLDER_INTERNAL, self->id, 0, "fget");
}

static void
property_dealloc (HsVm *vm, HsObject *self)
{
  property_clear (vm, self);
  hs_object_free (vm, self);
}

static int
property_traverse (HsObject *self, HsVisitProc visit, void *arg)
{
  HsProperty *p = (HsProperty *) self;
  int r;

  if (p->fget != NULL && (r = visit (p->fget, arg)) != 0)
    return r;
  if (p->fset != NULL && (r = visit (p->fset, arg)) != 0)
    return r;
  return p->fdel != NULL ? visit (p->fdel, arg) : 0;
}

static HsObject *
property_make (HsVm *vm, HsObject *fget, HsObject *fset, HsObject *fdel)
{
  HsProperty *p = hs_object_alloc (vm, HS_T (vm, PROPERTY), sizeof (HsProperty));

  if (p == NULL)
    return NULL;
  p->fget = p->fset = p->fdel = NULL;
  if (fget != NULL && fget != vm->none)
    set_field (vm, &p->base, &p->fget, fget, 0, "fget");
  if (fset != NULL && fset != vm->none)
    set_field (vm, &p->base, &p->fset, fset, 1, "fset");
  if (fdel != NULL && fdel != vm->none)
    set_field (vm, &p->base, &p->fdel, fdel, 2, "fdel");
  hs_gc_track (vm, &p->base);
  return &p->base;
}

static HsObject *
property_new (HsVm *vm, HsType *cls, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  size_t npos = nargs - (kwnames != NULL ? hs_tuple_size (kwnames) : 0);
  HsObject *a[3] = { NULL, NULL, NULL };
  size_t i;

  if (npos > 4)
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "property() takes at most 4 arguments (%zu given)", npos);
      return NULL;
    }
  for (i = 0; i < npos && i < 3; i++)
    a[i] = args[i];
  if (kwnames != NULL)
    for (i = 0; i < hs_tuple_size (kwnames); i++)
      {
        const char *k = hs_str_data (hs_tuple_item (kwnames, i));
        HsObject *v = args[npos + i];
        if (strcmp (k, "fget") == 0) a[0] = v;
        else if (strcmp (k, "fset") == 0) a[1] = v;
        else if (strcmp (k, "fdel") == 0) a[2] = v;
        else if (strcmp (k, "doc") != 0)
          {
            hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "property() got an unexpected keyword argument '%s'", k);
            return NULL;
          }
      }
  return property_make (vm, a[0], a[1], a[2]);
}

static HsObject *
property_getattr (HsVm *vm, HsObject *self, HsObject *name);

static HsObject *
property_with (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, int which)
{
  HsProperty *p = (HsProperty *) self;

  if (hs_check_nargs (vm, which == 0 ? "getter" : which == 1 ? "setter" : "deleter", nargs, 1, 1) < 0)
    return NULL;
  return property_make (vm, which == 0 ? args[0] : p->fget, which == 1 ? args[0] : p->fset,
                        which == 2 ? args[0] : p->fdel);
}

static HsObject *
property_getter (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kw)
{
  return property_with (vm, self, args, nargs, 0);
}

static HsObject *
property_setter (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kw)
{
  return property_with (vm, self, args, nargs, 1);
}

static HsObject *
property_deleter (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kw)
{
  return property_with (vm, self, args, nargs, 2);
}

static const HsMethodDef property_methods[] = {
  { "getter", property_getter, NULL },
  { "setter", property_setter, NULL },
  { "deleter", property_deleter, NULL },
  { NULL, NULL, NULL },
};

static HsObject *
property_getattr (HsVm *vm, HsObject *self, HsObject *name)
{
  HsProperty *p = (HsProperty *) self;
  const char *n = hs_str_data (name);

  if (strcmp (n, "fget") == 0)
    return hs_incref (p->fget != NULL ? p->fget : vm->none);
  if (strcmp (n, "fset") == 0)
    return hs_incref (p->fset != NULL ? p->fset : vm->none);
  if (strcmp (n, "fdel") == 0)
    return hs_incref (p->fdel != NULL ? p->fdel : vm->none);
  return hs_object_generic_getattr (vm, self, name);
}

static const HsType property_template = {
  .name = "property",
  .flags = HS_TPFLAG_GC | HS_TPFLAG_BASETYPE,
  .basic_size = sizeof (HsProperty),
  .dealloc = property_dealloc,
  .traverse = property_traverse,
  .clear = property_clear,
  .new_ = property_new,
  .getattr = property_getattr,
  .methods = property_methods,
};

/* ---- super ---------------------------------------------------------------------------- */

static void
super_clear (HsVm *vm, HsObject *self)
{
  HsSuper *s = (HsSuper *) self;
  HsObject *t = (HsObject *) s->type;

  hs_slot_store (vm, &s->obj, NULL, HS_HOLDER_INTERNAL, self->id, 1, "__self__");
  s->type = NULL;
  if (t != NULL)
    {
      REF (vm, self->id, 0, "__thisclass__", t, NULL);
      hs_decref (vm, t);
    }
}

static void
super_dealloc (HsVm *vm, HsObject *self)
{
  super_clear (vm, self);
  hs_object_free (vm, self);
}

static int
super_traverse (HsObject *self, HsVisitProc visit, void *arg)
{
  HsSuper *s = (HsSuper *) self;
  int r;

  if (s->type != NULL && (r = visit ((HsObject *) s->type, arg)) != 0)
    return r;
  return s->obj != NULL ? visit (s->obj, arg) : 0;
}

static HsObject *
super_new (HsVm *vm, HsType *cls, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  HsType *type;
  HsObject *obj;
  HsSuper *s;

  if (hs_check_no_kwargs (vm, "super", kwnames) < 0)
    return NULL;
  if (nargs == 0)
    {
      if (hs_vm_super_args (vm, &type, &obj) < 0)
        return NULL;
    }
  else if (nargs == 2)
    {
      if (args[0]->type != HS_T (vm, TYPE))
        {
          hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "super() argument 1 must be a type, not %s",
                         hs_object_type_name (args[0]));
          return NULL;
        }
      type = (HsType *) args[0];
      obj = args[1];
      if (!hs_type_is_subtype (obj->type, type)
          && !(obj->type == HS_T (vm, TYPE) && hs_type_is_subtype ((HsType *) obj, type)))
        {
          hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "super(type, obj): obj must be an instance or subtype of type");
          return NULL;
        }
    }
  else
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "super() takes 0 or 2 arguments (Heapscope)");
      return NULL;
    }
  s = hs_object_alloc (vm, HS_T (vm, SUPER), sizeof (HsSuper));
  if (s == NULL)
    return NULL;
  s->type = (HsType *) hs_incref ((HsObject *) type);
  REF (vm, s->base.id, 0, "__thisclass__", NULL, (HsObject *) type);
  s->obj = hs_incref (obj);
  REF (vm, s->base.id, 1, "__self__", NULL, obj);
  hs_gc_track (vm, &s->base);
  return &s->base;
}

static HsObject *
super_getattr (HsVm *vm, HsObject *self, HsObject *name)
{
  HsSuper *s = (HsSuper *) self;
  HsType *start = s->obj->type == HS_T (vm, TYPE) && hs_type_is_subtype ((HsType *) s->obj, s->type)
                  ? (HsType *) s->obj : s->obj->type;
  bool is_class = start != s->obj->type;
  HsObject *found;

  (void) start;
  if (s->type->tp_base != NULL)
    {
      found = hs_class_lookup (vm, s->type->tp_base, name);
      if (found != NULL)
        {
          HsType *ft = found->type;
          if (ft == HS_T (vm, FUNCTION))
            return is_class ? hs_incref (found) : hs_method_new (vm, found, s->obj);
          if (ft == HS_T (vm, METHOD_DESCRIPTOR))
            return hs_cfunction_new (vm, ((HsCFunc *) found)->def, s->obj);
          if (ft == HS_T (vm, CLASSMETHOD))
            return hs_method_new (vm, ((HsWrapper *) found)->callable,
                                  is_class ? s->obj : (HsObject *) s->obj->type);
          if (ft == HS_T (vm, STATICMETHOD))
            return hs_incref (((HsWrapper *) found)->callable);
          if (ft == HS_T (vm, PROPERTY) && !is_class)
            {
              HsProperty *p = (HsProperty *) found;
              if (p->fget != NULL)
                return hs_object_call (vm, p->fget, &s->obj, 1, NULL);
            }
          return hs_incref (found);
        }
      if (hs_err_occurred (vm))
        return NULL;
    }
  hs_err_format (vm, HS_EXC (vm, ATTRIBUTE_ERROR), "'super' object has no attribute '%s'", hs_str_data (name));
  return NULL;
}

static HsObject *
super_repr (HsVm *vm, HsObject *self)
{
  HsSuper *s = (HsSuper *) self;

  return hs_str_printf (vm, "<super: <class '%s'>, <%s object>>", s->type->name, hs_object_type_name (s->obj));
}

static const HsType super_template = {
  .name = "super",
  .flags = HS_TPFLAG_GC | HS_TPFLAG_BASETYPE,
  .basic_size = sizeof (HsSuper),
  .dealloc = super_dealloc,
  .traverse = super_traverse,
  .clear = super_clear,
  .repr = super_repr,
  .new_ = super_new,
  .getattr = super_getattr,
};

void
hs_func_types_init (HsVm *vm)
{
  hs_type_register (vm, HS_T_FUNCTION, &function_template);
  hs_type_register (vm, HS_T_CELL, &cell_template);
  hs_type_register (vm, HS_T_METHOD, &method_template);
  hs_type_register (vm, HS_T_STATICMETHOD, &staticmethod_template);
  hs_type_register (vm, HS_T_CLASSMETHOD, &classmethod_template);
  hs_type_register (vm, HS_T_PROPERTY, &property_template);
  hs_type_register (vm, HS_T_SUPER, &super_template);
  hs_module_type_init (vm);
}
