/* hs-class.c — object and type, classes, instances, attribute lookup, dunder dispatch, finalizers. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hs-containers.h"
#include "hs-internal.h"
#include "hs-vm.h"

/* ---- interned names --------------------------------------------------------- */

#define HS_DUNDERS(X) \
  X (INIT, "__init__") X (REPR, "__repr__") X (STR, "__str__") X (HASH, "__hash__") \
  X (EQ, "__eq__") X (NE, "__ne__") X (LT, "__lt__") X (LE, "__le__") X (GT, "__gt__") \
  X (GE, "__ge__") X (LEN, "__len__") X (GETITEM, "__getitem__") X (SETITEM, "__setitem__") \
  X (DELITEM, "__delitem__") X (CONTAINS, "__contains__") X (ITER, "__iter__") \
  X (NEXT, "__next__") X (CALL, "__call__") X (BOOL, "__bool__") X (DEL, "__del__") \
  X (GETATTR, "__getattr__") X (NEG, "__neg__") X (POS, "__pos__") X (INVERT, "__invert__") \
  X (ADD, "__add__") X (SUB, "__sub__") X (MUL, "__mul__") X (TRUEDIV, "__truediv__") \
  X (FLOORDIV, "__floordiv__") X (MOD, "__mod__") X (POW, "__pow__") X (LSHIFT, "__lshift__") \
  X (RSHIFT, "__rshift__") X (AND, "__and__") X (OR, "__or__") X (XOR, "__xor__") \
  X (MATMUL, "__matmul__") \
  X (RADD, "__radd__") X (RSUB, "__rsub__") X (RMUL, "__rmul__") X (RTRUEDIV, "__rtruediv__") \
  X (RFLOORDIV, "__rfloordiv__") X (RMOD, "__rmod__") X (RPOW, "__rpow__") \
  X (RLSHIFT, "__rlshift__") X (RRSHIFT, "__rrshift__") X (RAND, "__rand__") X (ROR, "__ror__") \
  X (RXOR, "__rxor__") X (RMATMUL, "__rmatmul__") \
  X (IADD, "__iadd__") X (ISUB, "__isub__") X (IMUL, "__imul__") X (ITRUEDIV, "__itruediv__") \
  X (IFLOORDIV, "__ifloordiv__") X (IMOD, "__imod__") X (IPOW, "__ipow__") \
  X (ILSHIFT, "__ilshift__") X (IRSHIFT, "__irshift__") X (IAND, "__iand__") X (IOR, "__ior__") \
  X (IXOR, "__ixor__") X (IMATMUL, "__imatmul__") \
  X (NAME, "__name__") X (QUALNAME, "__qualname__") X (MODULE, "__module__") X (DOC, "__doc__") \
  X (CLASS, "__class__") X (DICT, "__dict__") X (SETATTR, "__setattr__")

enum {
#define HS_X(id, s) D_##id,
  HS_DUNDERS (HS_X)
#undef HS_X
  D__COUNT
};

typedef struct {
  HsObject *names[D__COUNT];
} HsClassState;

static HsObject *
dunder (HsVm *vm, int which)
{
  static const char *const texts[D__COUNT] = {
#define HS_X(id, s) s,
    HS_DUNDERS (HS_X)
#undef HS_X
  };
  HsInterp *in = HS_INTERP (vm);
  HsClassState *cs = in->class_state;

  if (cs == NULL)
    {
      cs = calloc (1, sizeof *cs);
      if (cs == NULL)
        abort ();
      in->class_state = cs;
    }
  if (cs->names[which] == NULL)
    cs->names[which] = hs_str_intern (vm, texts[which], strlen (texts[which]));
  return cs->names[which];
}

/* ---- attribute tables ------------------------------------------------------- */

static inline bool
name_eq (HsObject *a, HsObject *b)
{
  return a == b || hs_str_equal (a, b);
}

HsObject *
hs_attrs_get (HsAttrTable *t, HsObject *name)
{
  uint32_t i;

  for (i = 0; i < t->n; i++)
    if (t->items[i].name == name)
      return t->items[i].value;
  for (i = 0; i < t->n; i++)
    if (hs_str_equal (t->items[i].name, name))
      return t->items[i].value;
  return NULL;
}

int
hs_attrs_set (HsVm *vm, HsObject *owner, HsAttrTable *t, HsObject *name, HsObject *value)
{
  uint32_t i;

  for (i = 0; i < t->n; i++)
    if (name_eq (t->items[i].name, name))
      break;
  if (i < t->n)
    {
      HsObject *key = t->items[i].name;
      if (value != NULL)
        {
          hs_slot_store (vm, &t->items[i].value, hs_incref (value), HS_HOLDER_ATTR, owner->id,
                         key->id, hs_str_data (key));
          return 0;
        }
      /* Delete, keeping insertion order. */
      {
        HsObject *old = t->items[i].value;
        memmove (t->items + i, t->items + i + 1, (t->n - i - 1) * sizeof *t->items);
        t->n--;
        if (hs_hooked (vm, HS_EV_REF))
          hs_emit_ref (vm, HS_HOLDER_ATTR, owner->id, key->id, hs_str_data (key), old, NULL);
        hs_decref (vm, old);
        hs_decref (vm, key);
      }
      return 0;
    }
  if (value == NULL)
    return -1;
  if (t->n == t->cap)
    {
      uint32_t cap = t->cap ? t->cap * 2 : 4;
      HsAttr *items = hs_mem_realloc (vm, t->items, t->cap * sizeof *items, cap * sizeof *items);
      if (items == NULL)
        return -2;
      t->items = items;
      t->cap = cap;
    }
  if (!((HsStr *) name)->interned)
    {
      name = hs_str_intern (vm, hs_str_data (name), hs_str_size (name));
      if (name == NULL)
        return -2;
    }
  else
    hs_incref (name);
  t->items[t->n].name = name;
  t->items[t->n].value = hs_incref (value);
  t->n++;
  if (hs_hooked (vm, HS_EV_REF))
    hs_emit_ref (vm, HS_HOLDER_ATTR, owner->id, name->id, hs_str_data (name), NULL, value);
  return 0;
}

void
hs_attrs_clear (HsVm *vm, HsObject *owner, HsAttrTable *t)
{
  /* Release last to first, publishing each removal. */
  while (t->n > 0)
    {
      HsAttr a = t->items[--t->n];
      if (hs_hooked (vm, HS_EV_REF))
        hs_emit_ref (vm, HS_HOLDER_ATTR, owner->id, a.name->id, hs_str_data (a.name), a.value, NULL);
      hs_decref (vm, a.value);
      hs_decref (vm, a.name);
    }
  if (t->items != NULL)
    hs_mem_free (vm, t->items, t->cap * sizeof *t->items);
  t->items = NULL;
  t->cap = 0;
}

int
hs_attrs_traverse (HsAttrTable *t, HsVisitProc visit, void *arg)
{
  uint32_t i;
  int r;

  for (i = 0; i < t->n; i++)
    if ((r = visit (t->items[i].value, arg)) != 0)
      return r;
  return 0;
}

HsAttrTable *
hs_object_attrs (HsVm *vm, HsObject *obj)
{
  HsType *t = obj->type;

  if (t->flags & (HS_TPFLAG_HEAPTYPE | HS_TPFLAG_EXCEPTION))
    return &((HsInstance *) obj)->attrs;
  if (t == HS_T (vm, FUNCTION))
    return &((HsFunction *) obj)->attrs;
  return NULL;
}

/* ---- lookup along the base chain ------------------------------------------------ */

/* Borrowed; NULL if missing (no exception). */
static HsObject *
class_lookup (HsVm *vm, HsType *type, HsObject *name)
{
  HsType *t;

  for (t = type; t != NULL; t = t->tp_base)
    {
      if (t->dict != NULL)
        {
          HsObject *v = hs_dict_get (vm, t->dict, name);
          if (v != NULL)
            return v;
          if (hs_err_occurred (vm))
            hs_err_clear (vm);
        }
      else if (!(t->flags & HS_TPFLAG_HEAPTYPE))
        {
          /* Builtin types: their methods (and their bases') as method descriptors. */
          HsObject *v = hs_type_lookup (vm, t, name);
          if (v != NULL)
            return v;
          if (!(t->flags & HS_TPFLAG_EXCEPTION))
            return NULL;
        }
    }
  return NULL;
}

/* Only what classes (heap types) define: for dunder dispatch. */
static HsObject *
heap_lookup (HsVm *vm, HsType *type, HsObject *name)
{
  HsType *t;

  for (t = type; t != NULL && (t->flags & HS_TPFLAG_HEAPTYPE); t = t->tp_base)
    if (t->dict != NULL)
      {
        HsObject *v = hs_dict_get (vm, t->dict, name);
        if (v != NULL)
          return v;
      }
  return NULL;
}

HsObject *
hs_class_lookup (HsVm *vm, HsType *type, HsObject *name)
{
  return class_lookup (vm, type, name);
}

/* Binds what a class attribute lookup found to obj (a function becomes a method...). */
static HsObject *
bind (HsVm *vm, HsObject *found, HsObject *obj, HsType *type)
{
  HsType *ft = found->type;

  if (ft == HS_T (vm, FUNCTION))
    return obj != NULL ? hs_method_new (vm, found, obj) : hs_incref (found);
  if (ft == HS_T (vm, STATICMETHOD))
    return hs_incref (((HsWrapper *) found)->callable);
  if (ft == HS_T (vm, CLASSMETHOD))
    return hs_method_new (vm, ((HsWrapper *) found)->callable, (HsObject *) type);
  if (ft == HS_T (vm, METHOD_DESCRIPTOR))
    return obj != NULL ? hs_cfunction_new (vm, ((HsCFunc *) found)->def, obj) : hs_incref (found);
  if (ft == HS_T (vm, PROPERTY))
    {
      HsProperty *p = (HsProperty *) found;
      if (obj == NULL)
        return hs_incref (found);
      if (p->fget == NULL)
        {
          hs_err_format (vm, HS_EXC (vm, ATTRIBUTE_ERROR), "property object has no getter");
          return NULL;
        }
      return hs_object_call (vm, p->fget, &obj, 1, NULL);
    }
  return hs_incref (found);
}

HsObject *
hs_object_generic_getattr (HsVm *vm, HsObject *obj, HsObject *name)
{
  HsType *type = obj->type;
  HsAttrTable *attrs;
  HsObject *found, *v;

  found = class_lookup (vm, type, name);
  if (found != NULL && found->type == HS_T (vm, PROPERTY))
    return bind (vm, found, obj, type);
  attrs = hs_object_attrs (vm, obj);
  if (attrs != NULL && (v = hs_attrs_get (attrs, name)) != NULL)
    return hs_incref (v);
  if (found != NULL)
    return bind (vm, found, obj, type);
  if (name == dunder (vm, D_CLASS) || strcmp (hs_str_data (name), "__class__") == 0)
    return hs_incref ((HsObject *) type);
  if (strcmp (hs_str_data (name), "__dict__") == 0 && attrs != NULL)
    {
      HsObject *d = hs_dict_new (vm);
      uint32_t i;
      if (d == NULL)
        return NULL;
      for (i = 0; i < attrs->n; i++)
        if (hs_dict_set (vm, d, attrs->items[i].name, attrs->items[i].value) < 0)
          {
            hs_decref (vm, d);
            return NULL;
          }
      return d;
    }
  if (type->flags & HS_TPFLAG_HEAPTYPE)
    {
      HsObject *ga = heap_lookup (vm, type, dunder (vm, D_GETATTR));
      if (ga != NULL)
        {
          HsObject *args[2] = { obj, name };
          if (ga->type == HS_T (vm, FUNCTION))
            return hs_vm_call_function (vm, ga, args, 2, NULL);
          return hs_object_call (vm, ga, args, 2, NULL);
        }
    }
  hs_err_format (vm, HS_EXC (vm, ATTRIBUTE_ERROR), "'%s' object has no attribute '%s'",
                 hs_object_type_name (obj), hs_str_data (name));
  return NULL;
}

int
hs_object_generic_setattr (HsVm *vm, HsObject *obj, HsObject *name, HsObject *value)
{
  HsAttrTable *attrs = hs_object_attrs (vm, obj);
  HsObject *found = NULL;
  int r;

  if (!(obj->type->flags & HS_TPFLAG_HEAPTYPE) || ((HsHeapType *) obj->type)->has_descriptors)
    found = class_lookup (vm, obj->type, name);

  if (found != NULL && found->type == HS_T (vm, PROPERTY))
    {
      HsProperty *p = (HsProperty *) found;
      HsObject *fn = value != NULL ? p->fset : p->fdel;
      HsObject *args[2] = { obj, value };
      HsObject *res;
      if (fn == NULL)
        {
          hs_err_format (vm, HS_EXC (vm, ATTRIBUTE_ERROR), value != NULL ? "can't set attribute '%s'"
                         : "can't delete attribute '%s'", hs_str_data (name));
          return -1;
        }
      res = hs_object_call (vm, fn, args, value != NULL ? 2 : 1, NULL);
      if (res == NULL)
        return -1;
      hs_decref (vm, res);
      return 0;
    }
  if (attrs == NULL)
    {
      if (found != NULL || obj->type == HS_T (vm, OBJECT) || true)
        hs_err_format (vm, HS_EXC (vm, ATTRIBUTE_ERROR), "'%s' object has no attribute '%s'",
                       hs_object_type_name (obj), hs_str_data (name));
      return -1;
    }
  r = hs_attrs_set (vm, obj, attrs, name, value);
  if (r == -1)
    {
      hs_err_format (vm, HS_EXC (vm, ATTRIBUTE_ERROR), "'%s' object has no attribute '%s'",
                     hs_object_type_name (obj), hs_str_data (name));
      return -1;
    }
  return r < 0 ? -1 : 0;
}

/* ---- calling dunders ------------------------------------------------------------- */

/* Calls a method found on the class with self prepended.  New ref or NULL. */
static HsObject *
call_found (HsVm *vm, HsObject *found, HsObject *self, HsObject *const *args, size_t nargs)
{
  HsObject *stack[4];
  HsObject *bound, *res;
  size_t i;

  if (found->type == HS_T (vm, FUNCTION) && nargs < 3)
    {
      stack[0] = self;
      for (i = 0; i < nargs; i++)
        stack[i + 1] = args[i];
      return hs_vm_call_function (vm, found, stack, nargs + 1, NULL);
    }
  bound = bind (vm, found, self, self->type);
  if (bound == NULL)
    return NULL;
  res = hs_object_call (vm, bound, args, nargs, NULL);
  hs_decref (vm, bound);
  return res;
}

static HsObject *
call_dunder (HsVm *vm, HsObject *self, int which, HsObject *const *args, size_t nargs, bool *missing)
{
  HsObject *found = heap_lookup (vm, self->type, dunder (vm, which));

  if (found == NULL || found == vm->none)
    {
      if (missing != NULL)
        *missing = true;
      return NULL;
    }
  if (missing != NULL)
    *missing = false;
  return call_found (vm, found, self, args, nargs);
}

/* The first builtin (non-heap) base: where default behaviour comes from. */
static HsType *
builtin_base (HsType *t)
{
  while (t != NULL && (t->flags & HS_TPFLAG_HEAPTYPE))
    t = t->tp_base;
  return t;
}

static HsObject *
slot_repr (HsVm *vm, HsObject *self)
{
  bool missing;
  HsObject *r = call_dunder (vm, self, D_REPR, NULL, 0, &missing);

  if (missing)
    return builtin_base (self->type)->repr (vm, self);
  if (r != NULL && !HS_IS_SUBTYPE (vm, r, STR))
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "__repr__ returned non-string (type %s)", hs_object_type_name (r));
      hs_decref (vm, r);
      return NULL;
    }
  return r;
}

static HsObject *
slot_str (HsVm *vm, HsObject *self)
{
  bool missing;
  HsObject *r = call_dunder (vm, self, D_STR, NULL, 0, &missing);

  if (missing)
    {
      HsType *b = builtin_base (self->type);
      if (heap_lookup (vm, self->type, dunder (vm, D_REPR)) != NULL
          && (b == HS_T (vm, OBJECT) || b->str == NULL))
        return slot_repr (vm, self);
      return b->str != NULL ? b->str (vm, self) : slot_repr (vm, self);
    }
  if (r != NULL && !HS_IS_SUBTYPE (vm, r, STR))
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "__str__ returned non-string (type %s)", hs_object_type_name (r));
      hs_decref (vm, r);
      return NULL;
    }
  return r;
}

static bool
slot_hash (HsVm *vm, HsObject *self, int64_t *out)
{
  HsObject *found = heap_lookup (vm, self->type, dunder (vm, D_HASH));
  HsObject *r;

  if (found == NULL)
    {
      if (heap_lookup (vm, self->type, dunder (vm, D_EQ)) == NULL)
        return builtin_base (self->type)->hash (vm, self, out);
      found = vm->none;
    }
  if (found == vm->none)
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "unhashable type: '%s'", hs_object_type_name (self));
      return false;
    }
  r = call_found (vm, found, self, NULL, 0);
  if (r == NULL)
    return false;
  if (!HS_IS_SUBTYPE (vm, r, INT))
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "__hash__ method should return an integer");
      hs_decref (vm, r);
      return false;
    }
  *out = hs_int_value (r);
  if (*out == -1)
    *out = -2;
  hs_decref (vm, r);
  return true;
}

static HsObject *
slot_richcompare (HsVm *vm, HsObject *self, HsObject *other, HsCompareOp op)
{
  static const int names[] = { D_LT, D_LE, D_EQ, D_NE, D_GT, D_GE };
  HsObject *found;

  if (!(self->type->flags & HS_TPFLAG_HEAPTYPE))
    return builtin_base (self->type)->richcompare (vm, self, other, op);
  found = heap_lookup (vm, self->type, dunder (vm, names[op]));
  if (found != NULL && found != vm->none)
    return call_found (vm, found, self, &other, 1);
  if (op == HS_CMP_NE)
    {
      HsObject *eq = heap_lookup (vm, self->type, dunder (vm, D_EQ));
      if (eq != NULL)
        {
          HsObject *r = call_found (vm, eq, self, &other, 1);
          int t;
          if (r == NULL || r == vm->not_implemented)
            return r;
          t = hs_object_is_true (vm, r);
          hs_decref (vm, r);
          if (t < 0)
            return NULL;
          return hs_bool_from (vm, !t);
        }
    }
  return builtin_base (self->type)->richcompare (vm, self, other, op);
}

static HsObject *
slot_binary (HsVm *vm, HsObject *left, HsObject *right, HsBinaryOp op)
{
  HsObject *r;

  if (left->type->flags & HS_TPFLAG_HEAPTYPE)
    {
      HsObject *found = heap_lookup (vm, left->type, dunder (vm, D_ADD + (int) op));
      if (found != NULL)
        {
          r = call_found (vm, found, left, &right, 1);
          if (r != vm->not_implemented)
            return r;
          hs_decref (vm, r);
        }
    }
  if ((right->type->flags & HS_TPFLAG_HEAPTYPE) && right->type != left->type)
    {
      HsObject *found = heap_lookup (vm, right->type, dunder (vm, D_RADD + (int) op));
      if (found != NULL)
        return call_found (vm, found, right, &left, 1);
    }
  else if ((right->type->flags & HS_TPFLAG_HEAPTYPE) && !(left->type->flags & HS_TPFLAG_HEAPTYPE))
    {
      HsObject *found = heap_lookup (vm, right->type, dunder (vm, D_RADD + (int) op));
      if (found != NULL)
        return call_found (vm, found, right, &left, 1);
    }
  return hs_incref (vm->not_implemented);
}

static HsObject *
slot_inplace (HsVm *vm, HsObject *left, HsObject *right, HsBinaryOp op)
{
  HsObject *found = heap_lookup (vm, left->type, dunder (vm, D_IADD + (int) op));

  if (found != NULL)
    return call_found (vm, found, left, &right, 1);
  return hs_incref (vm->not_implemented);
}

static HsObject *
slot_unary (HsVm *vm, HsObject *self, HsUnaryOp op)
{
  static const char *const syms[] = { "unary -", "unary +", "unary ~", "not" };
  int which = op == HS_UNOP_NEG ? D_NEG : op == HS_UNOP_POS ? D_POS : D_INVERT;
  bool missing;
  HsObject *r = call_dunder (vm, self, which, NULL, 0, &missing);

  if (missing)
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "bad operand type for %s: '%s'", syms[op],
                     hs_object_type_name (self));
      return NULL;
    }
  return r;
}

static int64_t
slot_len (HsVm *vm, HsObject *self)
{
  bool missing;
  HsObject *r = call_dunder (vm, self, D_LEN, NULL, 0, &missing);
  int64_t n;

  if (missing)
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "object of type '%s' has no len()", hs_object_type_name (self));
      return -1;
    }
  if (r == NULL)
    return -1;
  if (!HS_IS_SUBTYPE (vm, r, INT))
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "'%s' object cannot be interpreted as an integer",
                     hs_object_type_name (r));
      hs_decref (vm, r);
      return -1;
    }
  n = hs_int_value (r);
  hs_decref (vm, r);
  if (n < 0)
    {
      hs_err_format (vm, HS_EXC (vm, VALUE_ERROR), "__len__() should return >= 0");
      return -1;
    }
  return n;
}

static int
slot_truth (HsVm *vm, HsObject *self)
{
  bool missing;
  HsObject *r = call_dunder (vm, self, D_BOOL, NULL, 0, &missing);
  int t;

  if (missing)
    {
      if (heap_lookup (vm, self->type, dunder (vm, D_LEN)) != NULL)
        {
          int64_t n = slot_len (vm, self);
          return n < 0 ? -1 : n > 0;
        }
      return 1;
    }
  if (r == NULL)
    return -1;
  if (r->type != HS_T (vm, BOOL))
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "__bool__ should return bool, returned %s",
                     hs_object_type_name (r));
      hs_decref (vm, r);
      return -1;
    }
  t = r == vm->true_obj;
  hs_decref (vm, r);
  return t;
}

static HsObject *
slot_getitem (HsVm *vm, HsObject *self, HsObject *key)
{
  bool missing;
  HsObject *r = call_dunder (vm, self, D_GETITEM, &key, 1, &missing);

  if (missing)
    hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "'%s' object is not subscriptable", hs_object_type_name (self));
  return r;
}

static int
slot_setitem (HsVm *vm, HsObject *self, HsObject *key, HsObject *value)
{
  bool missing;
  HsObject *args[2] = { key, value };
  HsObject *r = call_dunder (vm, self, value != NULL ? D_SETITEM : D_DELITEM, args, value != NULL ? 2 : 1, &missing);

  if (missing)
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), value != NULL
                     ? "'%s' object does not support item assignment"
                     : "'%s' object does not support item deletion", hs_object_type_name (self));
      return -1;
    }
  if (r == NULL)
    return -1;
  hs_decref (vm, r);
  return 0;
}

static int
slot_contains (HsVm *vm, HsObject *self, HsObject *item)
{
  bool missing;
  HsObject *r = call_dunder (vm, self, D_CONTAINS, &item, 1, &missing);
  int t;

  if (missing)
    {
      /* Fall back to iteration, as CPython does. */
      HsObject *it = hs_object_iter (vm, self), *x;
      if (it == NULL)
        return -1;
      while ((x = hs_iter_next (vm, it)) != NULL)
        {
          int eq = hs_object_richcompare_bool (vm, x, item, HS_CMP_EQ);
          hs_decref (vm, x);
          if (eq != 0)
            {
              hs_decref (vm, it);
              return eq;
            }
        }
      hs_decref (vm, it);
      return hs_err_occurred (vm) ? -1 : 0;
    }
  if (r == NULL)
    return -1;
  t = hs_object_is_true (vm, r);
  hs_decref (vm, r);
  return t;
}

static HsObject *
slot_iter (HsVm *vm, HsObject *self)
{
  bool missing;
  HsObject *r = call_dunder (vm, self, D_ITER, NULL, 0, &missing);

  if (missing)
    {
      if (heap_lookup (vm, self->type, dunder (vm, D_GETITEM)) != NULL)
        return hs_seqiter_new (vm, self);
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "'%s' object is not iterable", hs_object_type_name (self));
      return NULL;
    }
  if (r != NULL && r->type->iternext == NULL)
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "iter() returned non-iterator of type '%s'", hs_object_type_name (r));
      hs_decref (vm, r);
      return NULL;
    }
  return r;
}

static HsObject *
slot_iternext (HsVm *vm, HsObject *self)
{
  bool missing;
  HsObject *r = call_dunder (vm, self, D_NEXT, NULL, 0, &missing);

  if (missing)
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "'%s' object is not an iterator", hs_object_type_name (self));
      return NULL;
    }
  if (r == NULL && hs_err_matches (vm, HS_EXC (vm, STOP_ITERATION)))
    hs_err_clear (vm);
  return r;
}

static HsObject *
slot_call (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  HsObject *found = heap_lookup (vm, self->type, dunder (vm, D_CALL));
  HsObject *bound, *r;

  if (found == NULL)
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "'%s' object is not callable", hs_object_type_name (self));
      return NULL;
    }
  bound = bind (vm, found, self, self->type);
  if (bound == NULL)
    return NULL;
  r = hs_object_call (vm, bound, args, nargs, kwnames);
  hs_decref (vm, bound);
  return r;
}

static HsObject *
slot_getattr (HsVm *vm, HsObject *self, HsObject *name)
{
  HsType *b = builtin_base (self->type);

  /* Fast path: without properties, instance attributes win, as in CPython. */
  if (b == HS_T (vm, OBJECT) && !((HsHeapType *) self->type)->has_descriptors)
    {
      HsObject *v = hs_attrs_get (&((HsInstance *) self)->attrs, name);
      if (v != NULL)
        return hs_incref (v);
    }

  if (b != NULL && b->getattr != NULL && b != HS_T (vm, OBJECT))
    return b->getattr (vm, self, name);
  return hs_object_generic_getattr (vm, self, name);
}

static int
slot_setattr (HsVm *vm, HsObject *self, HsObject *name, HsObject *value)
{
  HsType *b = builtin_base (self->type);

  if (b != NULL && b->setattr != NULL && b != HS_T (vm, OBJECT))
    return b->setattr (vm, self, name, value);
  return hs_object_generic_setattr (vm, self, name, value);
}

/* ---- instances ---------------------------------------------------------------------- */

static void
instance_clear (HsVm *vm, HsObject *self)
{
  hs_attrs_clear (vm, self, &((HsInstance *) self)->attrs);
}

static void
instance_dealloc (HsVm *vm, HsObject *self)
{
  HsType *type = self->type;

  instance_clear (vm, self);
  if (hs_hooked (vm, HS_EV_REF))
    hs_emit_ref (vm, HS_HOLDER_INTERNAL, self->id, 0, "__class__", (HsObject *) type, NULL);
  hs_object_free (vm, self);
  hs_decref (vm, (HsObject *) type);
}

static int
instance_traverse (HsObject *self, HsVisitProc visit, void *arg)
{
  int r = visit ((HsObject *) self->type, arg);

  if (r != 0)
    return r;
  return hs_attrs_traverse (&((HsInstance *) self)->attrs, visit, arg);
}

static HsObject *
instance_new (HsVm *vm, HsType *cls)
{
  HsInstance *inst = hs_object_alloc (vm, cls, cls->basic_size);

  if (inst == NULL)
    return NULL;
  memset ((char *) inst + sizeof (HsObject), 0, cls->basic_size - sizeof (HsObject));
  hs_incref ((HsObject *) cls);
  if (hs_hooked (vm, HS_EV_REF))
    hs_emit_ref (vm, HS_HOLDER_INTERNAL, inst->base.id, 0, "__class__", NULL, (HsObject *) cls);
  hs_gc_track (vm, (HsObject *) inst);
  return (HsObject *) inst;
}

/* ---- object ------------------------------------------------------------------------ */

static void
object_dealloc (HsVm *vm, HsObject *self)
{
  hs_object_free (vm, self);
}

static HsObject *
object_repr (HsVm *vm, HsObject *self)
{
  HsType *t = self->type;

  if (t->flags & HS_TPFLAG_HEAPTYPE)
    return hs_str_printf (vm, "<__main__.%s object at %p>", t->name, (void *) self);
  return hs_str_printf (vm, "<%s object at %p>", t->name, (void *) self);
}

static HsObject *
object_str (HsVm *vm, HsObject *self)
{
  HsType *t = self->type;

  return t->repr != NULL ? t->repr (vm, self) : object_repr (vm, self);
}

static bool
object_hash (HsVm *vm, HsObject *self, int64_t *out)
{
  *out = (int64_t) (((uintptr_t) self) >> 4);
  return true;
}

static HsObject *
object_richcompare (HsVm *vm, HsObject *self, HsObject *other, HsCompareOp op)
{
  if (op == HS_CMP_EQ)
    return hs_incref (self == other ? vm->true_obj : vm->not_implemented);
  if (op == HS_CMP_NE)
    {
      HsObject *r;
      int t;
      if (self->type->richcompare == NULL || self->type->richcompare == object_richcompare)
        return hs_incref (self == other ? vm->false_obj : vm->not_implemented);
      r = self->type->richcompare (vm, self, other, HS_CMP_EQ);
      if (r == NULL || r == vm->not_implemented)
        return r;
      t = hs_object_is_true (vm, r);
      hs_decref (vm, r);
      return t < 0 ? NULL : hs_bool_from (vm, !t);
    }
  return hs_incref (vm->not_implemented);
}

static HsObject *
object_new (HsVm *vm, HsType *cls, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  if (cls->flags & HS_TPFLAG_HEAPTYPE)
    return instance_new (vm, cls);
  if (nargs > 0)
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "object() takes no arguments");
      return NULL;
    }
  return hs_object_alloc (vm, cls, sizeof (HsObject));
}

HsObject *
hs_class_simple_init (HsVm *vm, HsType *cls)
{
  HsObject *init;

  if ((cls->flags & (HS_TPFLAG_HEAPTYPE | HS_TPFLAG_EXCEPTION)) != HS_TPFLAG_HEAPTYPE
      || cls->new_ != object_new)
    return NULL;
  init = heap_lookup (vm, cls, dunder (vm, D_INIT));
  return init != NULL && init->type == HS_T (vm, FUNCTION) ? init : NULL;
}

static HsObject *
object_init_m (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  if (nargs > 0)
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "object.__init__() takes exactly one argument (the instance to initialize)");
      return NULL;
    }
  return hs_incref (vm->none);
}

static HsObject *
object_repr_m (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  return object_repr (vm, self);
}

static HsObject *
object_str_m (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  return hs_object_repr (vm, self);
}

static HsObject *
object_eq_m (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  if (hs_check_nargs (vm, "__eq__", nargs, 1, 1) < 0)
    return NULL;
  return object_richcompare (vm, self, args[0], HS_CMP_EQ);
}

static HsObject *
object_ne_m (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  if (hs_check_nargs (vm, "__ne__", nargs, 1, 1) < 0)
    return NULL;
  return object_richcompare (vm, self, args[0], HS_CMP_NE);
}

static HsObject *
object_hash_m (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  int64_t h;

  object_hash (vm, self, &h);
  return hs_int_from_i64 (vm, h);
}

static HsObject *
object_setattr_m (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  if (hs_check_nargs (vm, "__setattr__", nargs, 2, 2) < 0)
    return NULL;
  if (hs_object_generic_setattr (vm, self, args[0], args[1]) < 0)
    return NULL;
  return hs_incref (vm->none);
}

static HsObject *
object_getattribute_m (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  if (hs_check_nargs (vm, "__getattribute__", nargs, 1, 1) < 0)
    return NULL;
  return hs_object_generic_getattr (vm, self, args[0]);
}

static const HsMethodDef object_methods[] = {
  { "__init__", object_init_m, NULL },
  { "__repr__", object_repr_m, NULL },
  { "__str__", object_str_m, NULL },
  { "__eq__", object_eq_m, NULL },
  { "__ne__", object_ne_m, NULL },
  { "__hash__", object_hash_m, NULL },
  { "__setattr__", object_setattr_m, NULL },
  { "__getattribute__", object_getattribute_m, NULL },
  { NULL, NULL, NULL },
};

static void
object_describe (HsVm *vm, HsObject *self, char *buf, size_t cap)
{
  HsType *t = self->type;

  if (t->flags & HS_TPFLAG_HEAPTYPE)
    snprintf (buf, cap, "%s object", t->name);
  else
    snprintf (buf, cap, "%s", t->name);
}

static size_t
instance_size_of (HsObject *self)
{
  /* CPython 3.11: 24 bytes of object and 16 of managed-dict and weakref pointers
   * before it; the 16-byte GC header comes on top (sys.getsizeof gives 56). */
  return 40;
}

/* ---- type ----------------------------------------------------------------------------- */

static void
type_clear (HsVm *vm, HsObject *self)
{
  HsType *t = (HsType *) self;

  if (!(t->flags & HS_TPFLAG_HEAPTYPE))
    return;
  hs_slot_store (vm, &t->dict, NULL, HS_HOLDER_INTERNAL, self->id, 1, "__dict__");
}

static void
type_dealloc (HsVm *vm, HsObject *self)
{
  HsType *t = (HsType *) self;
  HsHeapType *ht = (HsHeapType *) self;
  HsObject *base = (HsObject *) t->tp_base;

  type_clear (vm, self);
  hs_slot_store (vm, &ht->qualname, NULL, HS_HOLDER_INTERNAL, self->id, 3, "__qualname__");
  if (base != NULL && hs_hooked (vm, HS_EV_REF))
    hs_emit_ref (vm, HS_HOLDER_INTERNAL, self->id, 4, "__base__", base, NULL);
  /* name_obj goes last: t->name points into it. */
  {
    HsObject *name = ht->name_obj;
    ht->name_obj = NULL;
    if (name != NULL && hs_hooked (vm, HS_EV_REF))
      hs_emit_ref (vm, HS_HOLDER_INTERNAL, self->id, 2, "__name__", name, NULL);
    hs_object_free (vm, self);
    if (name != NULL)
      hs_decref (vm, name);
  }
  if (base != NULL)
    hs_decref (vm, base);
}

static int
type_traverse (HsObject *self, HsVisitProc visit, void *arg)
{
  HsType *t = (HsType *) self;
  int r;

  if (!(t->flags & HS_TPFLAG_HEAPTYPE))
    return 0;
  if (t->dict != NULL && (r = visit (t->dict, arg)) != 0)
    return r;
  if (t->tp_base != NULL && (r = visit ((HsObject *) t->tp_base, arg)) != 0)
    return r;
  return 0;
}

static HsObject *
type_repr (HsVm *vm, HsObject *self)
{
  HsType *t = (HsType *) self;

  if (t->flags & HS_TPFLAG_HEAPTYPE)
    return hs_str_printf (vm, "<class '__main__.%s'>", hs_str_data (((HsHeapType *) t)->qualname));
  return hs_str_printf (vm, "<class '%s'>", t->name);
}

static void
type_describe (HsVm *vm, HsObject *self, char *buf, size_t cap)
{
  HsType *t = (HsType *) self;

  if (t->flags & HS_TPFLAG_HEAPTYPE)
    snprintf (buf, cap, "<class '__main__.%s'>", t->name);
  else
    snprintf (buf, cap, "<class '%s'>", t->name);
}

static HsObject *
type_call (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  HsType *cls = (HsType *) self;
  HsObject *obj, *init;
  size_t npos = nargs - (kwnames != NULL ? hs_tuple_size (kwnames) : 0);

  if (cls == HS_T (vm, TYPE))
    {
      if (npos == 1 && (kwnames == NULL || hs_tuple_size (kwnames) == 0))
        return hs_incref ((HsObject *) args[0]->type);
      if (npos == 3)
        return hs_class_new (vm, args[0], args[1], args[2]);
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "type() takes 1 or 3 arguments");
      return NULL;
    }
  if (cls->new_ == NULL)
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "cannot create '%s' instances", cls->name);
      return NULL;
    }
  if (!(cls->flags & HS_TPFLAG_HEAPTYPE))
    return cls->new_ (vm, cls, args, nargs, kwnames);

  init = heap_lookup (vm, cls, dunder (vm, D_INIT));
  if (init == NULL && nargs > 0 && builtin_base (cls) == HS_T (vm, OBJECT))
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "%s() takes no arguments", cls->name);
      return NULL;
    }
  obj = cls->new_ (vm, cls, args, nargs, kwnames);
  if (obj == NULL || init == NULL)
    return obj;
  /* While __init__ runs, the reference type() holds is shown as the runtime's. */
  if (hs_hooked (vm, HS_EV_REF))
    hs_emit_ref (vm, HS_HOLDER_RUNTIME, 0, obj->id, "new object", NULL, obj);
  {
    HsObject *res;
    if (init->type == HS_T (vm, FUNCTION) && nargs < 15)
      {
        HsObject *stack[16];
        size_t i;
        stack[0] = obj;
        for (i = 0; i < nargs; i++)
          stack[i + 1] = args[i];
        res = hs_vm_call_function (vm, init, stack, nargs + 1, kwnames);
      }
    else
      {
        HsObject *bound = bind (vm, init, obj, cls);
        res = bound != NULL ? hs_object_call (vm, bound, args, nargs, kwnames) : NULL;
        if (bound != NULL)
          hs_decref (vm, bound);
      }
    if (hs_hooked (vm, HS_EV_REF))
      hs_emit_ref (vm, HS_HOLDER_RUNTIME, 0, obj->id, "new object", obj, NULL);
    if (res == NULL)
      {
        hs_decref (vm, obj);
        return NULL;
      }
    if (res != vm->none)
      {
        hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "__init__() should return None, not '%s'",
                       hs_object_type_name (res));
        hs_decref (vm, res);
        hs_decref (vm, obj);
        return NULL;
      }
    hs_decref (vm, res);
  }
  return obj;
}

static HsObject *
type_getattr (HsVm *vm, HsObject *self, HsObject *name)
{
  HsType *t = (HsType *) self;
  HsHeapType *ht = (HsHeapType *) self;
  const char *n = hs_str_data (name);
  HsObject *found;

  if (n[0] == '_' && n[1] == '_')
    {
      if (strcmp (n, "__name__") == 0)
        return (t->flags & HS_TPFLAG_HEAPTYPE) ? hs_incref (ht->name_obj) : hs_str_from_cstr (vm, t->name);
      if (strcmp (n, "__qualname__") == 0)
        return (t->flags & HS_TPFLAG_HEAPTYPE) ? hs_incref (ht->qualname) : hs_str_from_cstr (vm, t->name);
      if (strcmp (n, "__module__") == 0)
        return hs_str_from_cstr (vm, (t->flags & HS_TPFLAG_HEAPTYPE) ? "__main__" : "builtins");
      if (strcmp (n, "__base__") == 0)
        return hs_incref (t->tp_base != NULL ? (HsObject *) t->tp_base : vm->none);
      if (strcmp (n, "__bases__") == 0)
        return t->tp_base != NULL ? hs_tuple_pack (vm, 1, (HsObject *) t->tp_base) : hs_incref (vm->empty_tuple);
      if (strcmp (n, "__mro__") == 0)
        {
          size_t k = 0, i = 0;
          HsType *b;
          HsObject *tup;
          for (b = t; b != NULL; b = b->tp_base)
            k++;
          tup = hs_tuple_new (vm, k);
          if (tup == NULL)
            return NULL;
          for (b = t; b != NULL; b = b->tp_base)
            hs_tuple_init_item (vm, tup, i++, hs_incref ((HsObject *) b));
          return tup;
        }
      if (strcmp (n, "__dict__") == 0 && t->dict != NULL)
        return hs_dict_copy (vm, t->dict);
      if (strcmp (n, "__class__") == 0)
        return hs_incref ((HsObject *) self->type);
    }
  found = class_lookup (vm, t, name);
  if (found != NULL)
    {
      if (found->type == HS_T (vm, CLASSMETHOD) || found->type == HS_T (vm, STATICMETHOD))
        return bind (vm, found, NULL, t);
      return hs_incref (found);
    }
  if (hs_err_occurred (vm))
    return NULL;
  /* Methods of type itself (mro, ...), bound to the class. */
  found = hs_type_lookup (vm, HS_T (vm, TYPE), name);
  if (found != NULL)
    return bind (vm, found, self, self->type);
  hs_err_format (vm, HS_EXC (vm, ATTRIBUTE_ERROR), "type object '%s' has no attribute '%s'", t->name, n);
  return NULL;
}

static int
type_setattr (HsVm *vm, HsObject *self, HsObject *name, HsObject *value)
{
  HsType *t = (HsType *) self;

  if (!(t->flags & HS_TPFLAG_HEAPTYPE) || t->dict == NULL)
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "cannot set '%s' attribute of immutable type '%s'",
                     hs_str_data (name), t->name);
      return -1;
    }
  if (value == NULL)
    {
      if (hs_dict_get (vm, t->dict, name) == NULL)
        {
          hs_err_format (vm, HS_EXC (vm, ATTRIBUTE_ERROR), "type object '%s' has no attribute '%s'",
                         t->name, hs_str_data (name));
          return -1;
        }
      return hs_dict_del (vm, t->dict, name);
    }
  if (value->type == HS_T (vm, PROPERTY))
    ((HsHeapType *) t)->has_descriptors = true;
  return hs_dict_set (vm, t->dict, name, value);
}

static bool
identity_hash (HsVm *vm, HsObject *self, int64_t *out)
{
  *out = (int64_t) (((uintptr_t) self) >> 4);
  return true;
}

static HsObject *
type_mro_m (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  HsObject *t = type_getattr (vm, self, hs_str_intern (vm, "__mro__", 7));
  HsObject *l;

  if (t == NULL)
    return NULL;
  l = hs_sequence_list (vm, t);
  hs_decref (vm, t);
  return l;
}

static const HsMethodDef type_methods[] = {
  { "mro", type_mro_m, NULL },
  { NULL, NULL, NULL },
};

static const HsType object_template = {
  .name = "object",
  .flags = HS_TPFLAG_BASETYPE,
  .basic_size = sizeof (HsObject),
  .dealloc = object_dealloc,
  .repr = object_repr,
  .str = object_str,
  .hash = object_hash,
  .richcompare = object_richcompare,
  .new_ = object_new,
  .getattr = hs_object_generic_getattr,
  .setattr = hs_object_generic_setattr,
  .methods = object_methods,
  .describe = object_describe,
};

static const HsType type_template = {
  .name = "type",
  .flags = HS_TPFLAG_BASETYPE | HS_TPFLAG_GC,
  .basic_size = sizeof (HsHeapType),
  .dealloc = type_dealloc,
  .traverse = type_traverse,
  .clear = type_clear,
  .repr = type_repr,
  .hash = identity_hash,
  .call = type_call,
  .getattr = type_getattr,
  .setattr = type_setattr,
  .methods = type_methods,
  .describe = type_describe,
};

void
hs_object_types_init (HsVm *vm)
{
  hs_type_register (vm, HS_T_OBJECT, &object_template);
  hs_type_register (vm, HS_T_TYPE, &type_template);
  HS_T (vm, TYPE)->tp_base = HS_T (vm, OBJECT);
  HS_T (vm, TYPE)->richcompare = object_richcompare;
  HS_T (vm, TYPE)->str = object_str;
}

/* ---- classes ---------------------------------------------------------------------------- */

HsObject *
hs_class_new (HsVm *vm, HsObject *name, HsObject *bases, HsObject *ns)
{
  HsType *base = HS_T (vm, OBJECT);
  HsHeapType *ht;
  HsType *t;
  HsObject *qual;
  size_t nb = bases != NULL ? hs_tuple_size (bases) : 0;

  if (nb > 1)
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "multiple inheritance is not supported by Heapscope");
      return NULL;
    }
  if (nb == 1)
    {
      HsObject *b = hs_tuple_item (bases, 0);
      if (b->type != HS_T (vm, TYPE))
        {
          hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "bases must be types");
          return NULL;
        }
      base = (HsType *) b;
      if (!(base->flags & (HS_TPFLAG_HEAPTYPE | HS_TPFLAG_EXCEPTION)) && base != HS_T (vm, OBJECT))
        {
          hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "type '%s' is not an acceptable base type", base->name);
          return NULL;
        }
    }
  ht = hs_object_alloc (vm, HS_T (vm, TYPE), sizeof (HsHeapType));
  if (ht == NULL)
    return NULL;
  memset ((char *) ht + sizeof (HsObject), 0, sizeof *ht - sizeof (HsObject));
  t = &ht->type;
  /* Inherit the base's behaviour, then override with dispatchers. */
  {
    HsObject header = t->base;
    memcpy (t, base, sizeof *t);
    t->base = header;
  }
  /* The first reference event below publishes the ALLOC: by then the class must
   * describe itself by its own name, not the base's it was copied from. */
  t->name = hs_str_data (name);
  t->flags |= HS_TPFLAG_HEAPTYPE;
  t->tp_base = (HsType *) hs_incref ((HsObject *) base);
  if (hs_hooked (vm, HS_EV_REF))
    hs_emit_ref (vm, HS_HOLDER_INTERNAL, t->base.id, 4, "__base__", NULL, (HsObject *) base);
  ht->name_obj = hs_incref (name);
  if (hs_hooked (vm, HS_EV_REF))
    hs_emit_ref (vm, HS_HOLDER_INTERNAL, t->base.id, 2, "__name__", NULL, name);
  t->name = hs_str_data (name);
  qual = ns != NULL ? hs_dict_get_str (vm, ns, "__qualname__") : NULL;
  if (qual == NULL || !HS_IS_SUBTYPE (vm, qual, STR))
    qual = name;
  ht->qualname = hs_incref (qual);
  if (hs_hooked (vm, HS_EV_REF))
    hs_emit_ref (vm, HS_HOLDER_INTERNAL, t->base.id, 3, "__qualname__", NULL, qual);
  t->flags = (base->flags & (HS_TPFLAG_EXCEPTION | HS_TPFLAG_GC)) | HS_TPFLAG_HEAPTYPE | HS_TPFLAG_BASETYPE
             | HS_TPFLAG_GC;
  if (base->basic_size < sizeof (HsInstance))
    t->basic_size = sizeof (HsInstance);
  ht->attrs_offset = offsetof (HsInstance, attrs);
  ht->has_descriptors = (base->flags & HS_TPFLAG_HEAPTYPE) ? ((HsHeapType *) base)->has_descriptors : false;
  t->methods = NULL;
  t->dict = NULL;
  if (!(base->flags & (HS_TPFLAG_HEAPTYPE | HS_TPFLAG_EXCEPTION)))
    {
      t->dealloc = instance_dealloc;
      t->traverse = instance_traverse;
      t->clear = instance_clear;
      t->size_of = instance_size_of;
    }
  t->repr = slot_repr;
  t->str = slot_str;
  t->hash = slot_hash;
  t->richcompare = slot_richcompare;
  t->binary = slot_binary;
  t->inplace = slot_inplace;
  t->unary = slot_unary;
  t->getattr = slot_getattr;
  t->setattr = slot_setattr;
  t->describe = object_describe;
  /* Protocol slots only where the class (or a base class) defines them, so that
   * "object is not iterable" and friends keep CPython's wording elsewhere. */
  {
    HsObject *d = hs_dict_new (vm);
    if (d == NULL)
      {
        hs_decref (vm, (HsObject *) ht);
        return NULL;
      }
    t->dict = d;
    if (hs_hooked (vm, HS_EV_REF))
      hs_emit_ref (vm, HS_HOLDER_INTERNAL, t->base.id, 1, "__dict__", NULL, d);
    if (ns != NULL)
      {
        size_t pos = 0;
        HsObject *k, *v;
        while (hs_dict_next (ns, &pos, &k, &v))
          {
            if (v->type == HS_T (vm, PROPERTY))
              ht->has_descriptors = true;
            if (hs_dict_set (vm, d, k, v) < 0)
              {
                hs_decref (vm, (HsObject *) ht);
                return NULL;
              }
          }
      }
  }
#define HAS(which) (heap_lookup (vm, t, dunder (vm, which)) != NULL)
  t->truth = HAS (D_BOOL) || HAS (D_LEN) ? slot_truth : base->truth;
  t->len = HAS (D_LEN) ? slot_len : base->len;
  t->getitem = HAS (D_GETITEM) ? slot_getitem : base->getitem;
  t->setitem = HAS (D_SETITEM) || HAS (D_DELITEM) ? slot_setitem : base->setitem;
  t->contains = HAS (D_CONTAINS) ? slot_contains : base->contains;
  t->iter = HAS (D_ITER) || HAS (D_GETITEM) ? slot_iter : base->iter;
  t->iternext = HAS (D_NEXT) ? slot_iternext : base->iternext;
  t->call = HAS (D_CALL) ? slot_call : base->call;
#undef HAS
  if (!(t->flags & HS_TPFLAG_EXCEPTION))
    t->new_ = object_new;
  hs_gc_track (vm, (HsObject *) ht);
  return (HsObject *) ht;
}

/* ---- finalizers and deallocation ------------------------------------------------------ */

bool
hs_type_has_finalizer (HsVm *vm, HsType *type)
{
  if (!(type->flags & HS_TPFLAG_HEAPTYPE))
    return false;
  return heap_lookup (vm, type, dunder (vm, D_DEL)) != NULL;
}

void
hs_object_finalize (HsVm *vm, HsObject *obj)
{
  HsObject *del, *saved, *res;

  if (obj->flags & HS_OBJ_FINALIZED)
    return;
  obj->flags |= HS_OBJ_FINALIZED;
  del = heap_lookup (vm, obj->type, dunder (vm, D_DEL));
  if (del == NULL)
    return;
  /* An exception being raised survives the finalizer. */
  saved = vm->exc;
  vm->exc = NULL;
  res = call_found (vm, del, obj, NULL, 0);
  if (res != NULL)
    hs_decref (vm, res);
  else if (vm->exc != NULL)
    {
      HsObject *exc = hs_err_fetch (vm);
      HsObject *r = hs_object_repr (vm, del);
      char head[300];

      if (r != NULL)
        {
          snprintf (head, sizeof head, "Exception ignored in: %s\n", hs_str_data (r));
          hs_decref (vm, r);
        }
      else
        {
          hs_err_clear (vm);
          snprintf (head, sizeof head, "Exception ignored in: <function __del__>\n");
        }
      hs_vm_write (vm, HS_STREAM_STDERR, head, strlen (head));
      hs_traceback_print (vm, exc);
      hs_decref (vm, exc);
      hs_err_clear (vm);
    }
  vm->exc = saved;
}

static void
dealloc_one (HsVm *vm, HsObject *obj)
{
  HsType *t = obj->type;

  if ((t->flags & HS_TPFLAG_HEAPTYPE) && !(obj->flags & HS_OBJ_FINALIZED)
      && hs_type_has_finalizer (vm, t))
    {
      /* PEP 442: resurrect for the call; a finalizer may keep the object alive. */
      obj->refcnt = 1;
      if (hs_hooked (vm, HS_EV_REF))
        hs_emit_ref (vm, HS_HOLDER_RUNTIME, 0, 2, "finalizing", NULL, obj);
      hs_object_finalize (vm, obj);
      obj->refcnt--;
      if (hs_hooked (vm, HS_EV_REF))
        {
          obj->refcnt++;
          hs_emit_ref (vm, HS_HOLDER_RUNTIME, 0, 2, "finalizing", obj, NULL);
          obj->refcnt--;
        }
      if (obj->refcnt != 0)
        return;
    }
  t->dealloc (vm, obj);
}

#define HS_TRASH_DEPTH 64

void
hs_object_dealloc (HsVm *vm, HsObject *obj)
{
  HsInterp *in = HS_INTERP (vm);

  if (HS_UNLIKELY (obj->flags & HS_OBJ_IMMORTAL))
    {
      obj->refcnt = 1 << 20;
      return;
    }
  if (in->dealloc_depth >= HS_TRASH_DEPTH)
    {
      if (in->n_trash == in->cap_trash)
        {
          size_t cap = in->cap_trash ? in->cap_trash * 2 : 256;
          HsObject **p = realloc (in->trash, cap * sizeof *p);
          if (p == NULL)
            abort ();
          in->trash = p;
          in->cap_trash = cap;
        }
      in->trash[in->n_trash++] = obj;
      return;
    }
  in->dealloc_depth++;
  dealloc_one (vm, obj);
  if (in->dealloc_depth == 1)
    while (in->n_trash > 0)
      dealloc_one (vm, in->trash[--in->n_trash]);
  in->dealloc_depth--;
}

void
hs_class_fini (HsVm *vm)
{
  HsInterp *in = HS_INTERP (vm);

  free (in->trash);
  in->trash = NULL;
  free (in->class_state);
  in->class_state = NULL;
}
