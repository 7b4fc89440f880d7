/* hs-abstract.c — the generic object protocol: repr, hash, comparison, operators,
 * subscripts, iteration, attributes, calls; the method tables of builtin types. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hs-containers.h"

/* ---- a growable text buffer ---------------------------------------------------------- */

void
hs_buf_init (HsBuf *b)
{
  b->data = b->local;
  b->len = 0;
  b->cap = sizeof b->local;
}

bool
hs_buf_add (HsVm *vm, HsBuf *b, const char *s, size_t n)
{
  if (b->len + n + 1 > b->cap)
    {
      size_t cap = b->cap * 2;
      char *p;
      while (cap < b->len + n + 1)
        cap *= 2;
      if (b->data == b->local)
        {
          p = hs_mem_alloc (vm, cap);
          if (p != NULL)
            memcpy (p, b->data, b->len);
        }
      else
        p = hs_mem_realloc (vm, b->data, b->cap, cap);
      if (p == NULL)
        return false;
      b->data = p;
      b->cap = cap;
    }
  memcpy (b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = '\0';
  return true;
}

bool
hs_buf_add_str (HsVm *vm, HsBuf *b, HsObject *str)
{
  return hs_buf_add (vm, b, hs_str_data (str), hs_str_size (str));
}

void
hs_buf_free (HsVm *vm, HsBuf *b)
{
  if (b->data != b->local)
    hs_mem_free (vm, b->data, b->cap);
  hs_buf_init (b);
}

HsObject *
hs_buf_finish (HsVm *vm, HsBuf *b)
{
  HsObject *s = hs_str_from_utf8 (vm, b->data, b->len);

  hs_buf_free (vm, b);
  return s;
}

const char *
hs_describe_short (HsVm *vm, HsObject *o, char *buf, size_t cap)
{
  if (cap == 0)
    return buf;
  buf[0] = '\0';
  if (o == NULL)
    snprintf (buf, cap, "?");
  else if (o->type->describe != NULL)
    o->type->describe (vm, o, buf, cap);
  else
    snprintf (buf, cap, "<%s>", o->type->name);
  return buf;
}

/* ---- keyword arguments ------------------------------------------------------------------ */

HsObject *
hs_kwarg (HsObject *const *args, size_t nargs, HsObject *kwnames, const char *name)
{
  size_t nk, npos;

  if (kwnames == NULL)
    return NULL;
  nk = hs_tuple_size (kwnames);
  npos = nargs - nk;
  for (size_t i = 0; i < nk; i++)
    if (strcmp (hs_str_data (hs_tuple_item (kwnames, i)), name) == 0)
      return args[npos + i];
  return NULL;
}

int
hs_check_kwargs (HsVm *vm, const char *fname, HsObject *kwnames, const char *const *allowed)
{
  if (kwnames == NULL)
    return 0;
  for (size_t i = 0; i < hs_tuple_size (kwnames); i++)
    {
      const char *k = hs_str_data (hs_tuple_item (kwnames, i));
      bool ok = false;
      for (const char *const *a = allowed; *a != NULL; a++)
        if (strcmp (*a, k) == 0)
          ok = true;
      if (!ok)
        {
          hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "'%s' is an invalid keyword argument for %s()",
                         k, fname);
          return -1;
        }
    }
  return 0;
}

/* ---- method tables of builtin types ---------------------------------------------------- */

static HsMethodCache *
cache_find (HsContainersState *st, HsType *type)
{
  for (size_t i = 0; i < st->n_caches; i++)
    if (st->caches[i].type == type)
      return &st->caches[i];
  return NULL;
}

static HsMethodCache *
cache_make (HsVm *vm, HsType *type)
{
  HsContainersState *st = HS_CSTATE (vm);
  HsMethodCache *c;
  size_t n = 0;

  if (st->n_caches == st->cap_caches)
    {
      size_t cap = st->cap_caches ? st->cap_caches * 2 : 64;
      HsMethodCache *p = realloc (st->caches, cap * sizeof *p);
      if (p == NULL)
        return NULL;
      st->caches = p;
      st->cap_caches = cap;
    }
  while (type->methods[n].name != NULL)
    n++;
  c = &st->caches[st->n_caches];
  c->type = type;
  c->n = 0;
  c->names = calloc (n ? n : 1, sizeof (HsObject *));
  c->descrs = calloc (n ? n : 1, sizeof (HsObject *));
  if (c->names == NULL || c->descrs == NULL)
    {
      free (c->names);
      free (c->descrs);
      return NULL;
    }
  st->n_caches++;
  for (size_t i = 0; i < n; i++)
    {
      const HsMethodDef *def = &type->methods[i];
      bool classmethod = def->doc != NULL && strncmp (def->doc, "@classmethod", 12) == 0;
      HsCFunc *f = hs_object_alloc (vm, classmethod ? HS_T (vm, BUILTIN_FUNCTION)
                                                    : HS_T (vm, METHOD_DESCRIPTOR),
                                    sizeof (HsCFunc));
      if (f == NULL)
        break;
      f->def = def;
      f->self = classmethod ? &type->base : NULL;
      f->objclass = type;
      f->base.flags |= HS_OBJ_IMMORTAL;
      c->names[i] = hs_str_intern (vm, def->name, strlen (def->name));
      c->descrs[i] = &f->base;
      c->n = i + 1;
    }
  return c;
}

void
hs_method_caches_fill (HsVm *vm)
{
  for (int i = 0; i < HS_T__COUNT; i++)
    {
      HsType *t = vm->types[i];
      if (t != NULL && t->methods != NULL && t->methods[0].name != NULL
          && cache_find (HS_CSTATE (vm), t) == NULL)
        cache_make (vm, t);
    }
}

void
hs_method_caches_free (HsVm *vm)
{
  HsContainersState *st = HS_CSTATE (vm);

  for (size_t i = 0; i < st->n_caches; i++)
    {
      HsMethodCache *c = &st->caches[i];
      for (size_t j = 0; j < c->n; j++)
        hs_object_free (vm, c->descrs[j]);
      free (c->names);
      free (c->descrs);
    }
  free (st->caches);
  st->caches = NULL;
  st->n_caches = 0;
  st->cap_caches = 0;
}

static HsObject *
methods_lookup (HsVm *vm, HsType *type, HsObject *name)
{
  HsContainersState *st = HS_CSTATE (vm);
  HsMethodCache *c = cache_find (st, type);
  bool interned = ((HsStr *) name)->interned;

  if (c == NULL)
    {
      c = cache_make (vm, type);
      if (c == NULL)
        return NULL;
    }
  for (size_t i = 0; i < c->n; i++)
    if (c->names[i] == name
        || (!interned && strcmp (hs_str_data (c->names[i]), hs_str_data (name)) == 0))
      return c->descrs[i];
  return NULL;
}

HsObject *
hs_type_lookup (HsVm *vm, HsType *type, HsObject *name)
{
  if (name == NULL)
    return NULL;
  for (HsType *t = type; t != NULL; t = t->tp_base)
    {
      if (t->dict != NULL && (t->flags & HS_TPFLAG_HEAPTYPE) != 0)
        {
          HsObject *v = hs_dict_get (vm, t->dict, name);
          if (v != NULL)
            return v;
          if (hs_err_occurred (vm))
            hs_err_clear (vm);
        }
      if (t->methods != NULL)
        {
          HsObject *m = methods_lookup (vm, t, name);
          if (m != NULL)
            return m;
        }
    }
  return NULL;
}

HsObject *
hs_method_descriptor_bind (HsVm *vm, HsObject *descr, HsObject *self)
{
  HsCFunc *d = (HsCFunc *) descr, *f;

  if (!HS_IS_TYPE (vm, descr, METHOD_DESCRIPTOR) || self == NULL)
    return hs_incref (descr);
  f = hs_object_alloc (vm, HS_T (vm, BUILTIN_FUNCTION), sizeof (HsCFunc));
  if (f == NULL)
    return NULL;
  f->def = d->def;
  f->objclass = d->objclass;
  f->self = NULL;
  hs_slot_init (vm, &f->self, hs_incref (self), HS_HOLDER_INTERNAL, f->base.id, 0, "__self__");
  hs_gc_track (vm, &f->base);
  return &f->base;
}

HsObject *
hs_builtin_getattr (HsVm *vm, HsObject *o, HsObject *name)
{
  if ((o->type->flags & HS_TPFLAG_HEAPTYPE) == 0 && o->type != HS_T (vm, TYPE))
    {
      HsObject *d = hs_type_lookup (vm, o->type, name);
      if (d != NULL && HS_IS_TYPE (vm, d, METHOD_DESCRIPTOR))
        return hs_method_descriptor_bind (vm, d, o);
    }
  return hs_object_generic_getattr (vm, o, name);
}

/* ---- repr and str -------------------------------------------------------------------- */

HsObject *
hs_object_repr (HsVm *vm, HsObject *o)
{
  HsType *t = o->type;

  if (t->repr != NULL)
    {
      HsObject *r;
      if (!hs_enter_recursive_call (vm, "while getting the repr of an object"))
        return NULL;
      r = t->repr (vm, o);
      hs_leave_recursive_call (vm);
      return r;
    }
  return hs_str_printf (vm, "<%s object at 0x%llx>", t->name, (unsigned long long) o->id);
}

HsObject *
hs_object_str (HsVm *vm, HsObject *o)
{
  if (o->type == HS_T (vm, STR))
    return hs_incref (o);
  if (o->type->str != NULL)
    return o->type->str (vm, o);
  return hs_object_repr (vm, o);
}

const char *
hs_object_type_name (const HsObject *o)
{
  return o->type->name;
}

/* ---- hash ------------------------------------------------------------------------------- */

static bool
unhashable_builtin (HsVm *vm, HsType *t)
{
  for (; t != NULL; t = t->tp_base)
    if (t == HS_T (vm, LIST) || t == HS_T (vm, DICT) || t == HS_T (vm, SET)
        || t == HS_T (vm, SLICE) || t == HS_T (vm, DICT_KEYS) || t == HS_T (vm, DICT_ITEMS))
      return true;
  return false;
}

bool
hs_object_hash (HsVm *vm, HsObject *o, int64_t *out)
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
  if (t->hash != NULL)
    return t->hash (vm, o, out);
  if (unhashable_builtin (vm, t))
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "unhashable type: '%s'", t->name);
      return false;
    }
  for (HsType *b = t->tp_base; b != NULL; b = b->tp_base)
    if (b->hash != NULL)
      return b->hash (vm, o, out);
  /* object's default: identity (the id, never reused in a run) */
  *out = hs_int_hash_i64 ((int64_t) o->id);
  return true;
}

/* ---- comparison --------------------------------------------------------------------------- */

static const char *const cmp_symbol[] = { "<", "<=", "==", "!=", ">", ">=" };
static const HsCompareOp cmp_swapped[] = { HS_CMP_GT, HS_CMP_GE, HS_CMP_EQ, HS_CMP_NE,
                                           HS_CMP_LT, HS_CMP_LE };

static HsObject *
do_richcompare (HsVm *vm, HsObject *v, HsObject *w, HsCompareOp op)
{
  HsType *tv = v->type, *tw = w->type;
  HsObject *res;
  bool checked_reverse = false;

  if (tv != tw && hs_type_is_subtype (tw, tv) && tw->richcompare != NULL)
    {
      checked_reverse = true;
      res = tw->richcompare (vm, w, v, cmp_swapped[op]);
      if (res != vm->not_implemented)
        return res;
      hs_decref (vm, res);
    }
  if (tv->richcompare != NULL)
    {
      res = tv->richcompare (vm, v, w, op);
      if (res != vm->not_implemented)
        return res;
      hs_decref (vm, res);
    }
  if (!checked_reverse && tw->richcompare != NULL)
    {
      res = tw->richcompare (vm, w, v, cmp_swapped[op]);
      if (res != vm->not_implemented)
        return res;
      hs_decref (vm, res);
    }
  if (op == HS_CMP_EQ)
    return hs_bool_from (vm, v == w);
  if (op == HS_CMP_NE)
    return hs_bool_from (vm, v != w);
  hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "'%s' not supported between instances of '%s' and '%s'",
                 cmp_symbol[op], tv->name, tw->name);
  return NULL;
}

HsObject *
hs_object_richcompare (HsVm *vm, HsObject *a, HsObject *b, HsCompareOp op)
{
  HsObject *r;

  if (a->type == b->type && a->type == HS_T (vm, INT))
    {
      int64_t x = hs_int_value (a), y = hs_int_value (b);
      bool c;
      switch (op)
        {
        case HS_CMP_LT: c = x < y; break;
        case HS_CMP_LE: c = x <= y; break;
        case HS_CMP_EQ: c = x == y; break;
        case HS_CMP_NE: c = x != y; break;
        case HS_CMP_GT: c = x > y; break;
        default: c = x >= y; break;
        }
      return hs_bool_from (vm, c);
    }
  if (!hs_enter_recursive_call (vm, "in comparison"))
    return NULL;
  r = do_richcompare (vm, a, b, op);
  hs_leave_recursive_call (vm);
  return r;
}

int
hs_object_richcompare_bool (HsVm *vm, HsObject *a, HsObject *b, HsCompareOp op)
{
  HsObject *r;
  int k;

  if (a == b)
    {
      if (op == HS_CMP_EQ)
        return 1;
      if (op == HS_CMP_NE)
        return 0;
    }
  r = hs_object_richcompare (vm, a, b, op);
  if (r == NULL)
    return -1;
  if (r == vm->true_obj)
    k = 1;
  else if (r == vm->false_obj)
    k = 0;
  else
    k = hs_object_is_true (vm, r);
  hs_decref (vm, r);
  return k;
}

int
hs_object_is_true (HsVm *vm, HsObject *o)
{
  HsType *t;

  if (o == vm->true_obj)
    return 1;
  if (o == vm->false_obj || o == vm->none)
    return 0;
  t = o->type;
  if (t == HS_T (vm, INT))
    return hs_int_value (o) != 0;
  if (t->truth != NULL)
    return t->truth (vm, o);
  if (t->len != NULL)
    {
      int64_t n = t->len (vm, o);
      return n < 0 ? -1 : n > 0;
    }
  return 1;
}

/* ---- arithmetic ------------------------------------------------------------------------------ */

static const char *const binop_symbol[] = { "+", "-", "*", "/", "//", "%", "**", "<<", ">>", "&",
                                            "|", "^", "@" };

static HsObject *
binary_op1 (HsVm *vm, HsObject *v, HsObject *w, HsBinaryOp op)
{
  HsType *tv = v->type, *tw = w->type;
  HsObject *(*slotv) (HsVm *, HsObject *, HsObject *, HsBinaryOp) = tv->binary;
  HsObject *(*slotw) (HsVm *, HsObject *, HsObject *, HsBinaryOp) = NULL;
  HsObject *x;

  if (tw != tv)
    {
      slotw = tw->binary;
      if (slotw == slotv)
        slotw = NULL;
    }
  if (slotv != NULL)
    {
      if (slotw != NULL && hs_type_is_subtype (tw, tv))
        {
          x = slotw (vm, v, w, op);
          if (x != vm->not_implemented)
            return x;
          hs_decref (vm, x);
          slotw = NULL;
        }
      x = slotv (vm, v, w, op);
      if (x != vm->not_implemented)
        return x;
      hs_decref (vm, x);
    }
  if (slotw != NULL)
    {
      x = slotw (vm, v, w, op);
      if (x != vm->not_implemented)
        return x;
      hs_decref (vm, x);
    }
  return hs_not_implemented (vm);
}

static bool
is_sequence (HsVm *vm, HsObject *o)
{
  return HS_IS_SUBTYPE (vm, o, LIST) || HS_IS_SUBTYPE (vm, o, TUPLE) || HS_IS_SUBTYPE (vm, o, STR);
}

static bool
is_int_like (HsVm *vm, HsObject *o)
{
  return HS_IS_SUBTYPE (vm, o, INT) || HS_IS_SUBTYPE (vm, o, BOOL);
}

static HsObject *
binop_type_error (HsVm *vm, HsObject *v, HsObject *w, HsBinaryOp op, bool inplace)
{
  if (op == HS_BINOP_ADD && is_sequence (vm, v))
    {
      const char *n = HS_IS_SUBTYPE (vm, v, LIST) ? "list"
                      : HS_IS_SUBTYPE (vm, v, TUPLE) ? "tuple" : "str";
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "can only concatenate %s (not \"%s\") to %s", n,
                     w->type->name, n);
      return NULL;
    }
  if (op == HS_BINOP_MUL && ((is_sequence (vm, v) && !is_int_like (vm, w))
                             || (is_sequence (vm, w) && !is_int_like (vm, v))))
    {
      HsObject *other = is_sequence (vm, v) ? w : v;
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "can't multiply sequence by non-int of type '%s'",
                     other->type->name);
      return NULL;
    }
  if (op == HS_BINOP_POW && !inplace)
    hs_err_format (vm, HS_EXC (vm, TYPE_ERROR),
                   "unsupported operand type(s) for ** or pow(): '%s' and '%s'", v->type->name,
                   w->type->name);
  else if (op == HS_BINOP_POW)
    hs_err_format (vm, HS_EXC (vm, TYPE_ERROR),
                   "unsupported operand type(s) for **=: '%s' and '%s'", v->type->name, w->type->name);
  else
    hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "unsupported operand type(s) for %s%s: '%s' and '%s'",
                   binop_symbol[op], inplace ? "=" : "", v->type->name, w->type->name);
  return NULL;
}

HsObject *
hs_binary_op (HsVm *vm, HsObject *a, HsObject *b, HsBinaryOp op)
{
  HsObject *r = binary_op1 (vm, a, b, op);

  if (r != vm->not_implemented)
    return r;
  hs_decref (vm, r);
  return binop_type_error (vm, a, b, op, false);
}

HsObject *
hs_inplace_op (HsVm *vm, HsObject *a, HsObject *b, HsBinaryOp op)
{
  HsObject *r;

  if (a->type->inplace != NULL)
    {
      r = a->type->inplace (vm, a, b, op);
      if (r != vm->not_implemented)
        return r;
      hs_decref (vm, r);
    }
  r = binary_op1 (vm, a, b, op);
  if (r != vm->not_implemented)
    return r;
  hs_decref (vm, r);
  return binop_type_error (vm, a, b, op, true);
}

HsObject *
hs_unary_op (HsVm *vm, HsObject *o, HsUnaryOp op)
{
  static const char *const sym[] = { "-", "+", "~" };

  if (op == HS_UNOP_NOT)
    {
      int t = hs_object_is_true (vm, o);
      return t < 0 ? NULL : hs_bool_from (vm, !t);
    }
  if (o->type->unary != NULL)
    {
      HsObject *r = o->type->unary (vm, o, op);
      if (r != vm->not_implemented)
        return r;
      hs_decref (vm, r);
    }
  hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "bad operand type for unary %s: '%s'", sym[op],
                 o->type->name);
  return NULL;
}

/* ---- containers ------------------------------------------------------------------------------ */

int64_t
hs_object_len (HsVm *vm, HsObject *o)
{
  if (o->type->len != NULL)
    return o->type->len (vm, o);
  hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "object of type '%s' has no len()", o->type->name);
  return -1;
}

HsObject *
hs_object_getitem (HsVm *vm, HsObject *o, HsObject *key)
{
  if (HS_LIKELY (o->type->getitem != NULL))
    return o->type->getitem (vm, o, key);
  hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "'%s' object is not subscriptable", o->type->name);
  return NULL;
}

int
hs_object_setitem (HsVm *vm, HsObject *o, HsObject *key, HsObject *value)
{
  if (o->type->setitem != NULL)
    return o->type->setitem (vm, o, key, value);
  hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "'%s' object does not support item assignment",
                 o->type->name);
  return -1;
}

int
hs_object_delitem (HsVm *vm, HsObject *o, HsObject *key)
{
  if (o->type->setitem != NULL)
    return o->type->setitem (vm, o, key, NULL);
  if (o->type->getitem == NULL)
    hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "'%s' object does not support item deletion",
                   o->type->name);
  else
    hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "'%s' object doesn't support item deletion",
                   o->type->name);
  return -1;
}

int
hs_object_contains (HsVm *vm, HsObject *container, HsObject *item)
{
  HsObject *it, *x;

  if (container->type->contains != NULL)
    return container->type->contains (vm, container, item);
  if (container->type->iter == NULL && container->type->getitem == NULL)
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "argument of type '%s' is not iterable",
                     container->type->name);
      return -1;
    }
  it = hs_object_iter (vm, container);
  if (it == NULL)
    return -1;
  while ((x = hs_iter_next (vm, it)) != NULL)
    {
      int k = hs_object_richcompare_bool (vm, x, item, HS_CMP_EQ);
      hs_decref (vm, x);
      if (k != 0)
        {
          hs_decref (vm, it);
          return k;
        }
    }
  hs_decref (vm, it);
  return hs_err_occurred (vm) ? -1 : 0;
}

HsObject *
hs_object_iter (HsVm *vm, HsObject *o)
{
  HsType *t = o->type;

  if (HS_LIKELY (t->iter != NULL))
    {
      HsObject *it = t->iter (vm, o);
      if (it != NULL && it->type->iternext == NULL)
        {
          hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "iter() returned non-iterator of type '%s'",
                         it->type->name);
          hs_decref (vm, it);
          return NULL;
        }
      return it;
    }
  if (t->getitem != NULL && !HS_IS_SUBTYPE (vm, o, DICT))
    return hs_seqiter_new (vm, o);
  hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "'%s' object is not iterable", t->name);
  return NULL;
}

HsObject *
hs_iter_next (HsVm *vm, HsObject *iter)
{
  HsObject *r;

  if (HS_UNLIKELY (iter->type->iternext == NULL))
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "'%s' object is not an iterator", iter->type->name);
      return NULL;
    }
  r = iter->type->iternext (vm, iter);
  if (r == NULL && hs_err_occurred (vm) && hs_err_matches (vm, HS_EXC (vm, STOP_ITERATION)))
    hs_err_clear (vm);
  return r;
}

/* ---- attributes and calls -------------------------------------------------------------------- */

HsObject *
hs_object_getattr (HsVm *vm, HsObject *o, HsObject *name)
{
  if (!HS_IS_SUBTYPE (vm, name, STR))
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "attribute name must be string, not '%s'",
                     name->type->name);
      return NULL;
    }
  if (o->type->getattr != NULL)
    return o->type->getattr (vm, o, name);
  return hs_builtin_getattr (vm, o, name);
}

HsObject *
hs_object_getattr_str (HsVm *vm, HsObject *o, const char *name)
{
  HsObject *n = hs_str_intern (vm, name, strlen (name));

  if (n == NULL)
    return NULL;
  return hs_object_getattr (vm, o, n);
}

int
hs_object_setattr (HsVm *vm, HsObject *o, HsObject *name, HsObject *value)
{
  if (!HS_IS_SUBTYPE (vm, name, STR))
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "attribute name must be string, not '%s'",
                     name->type->name);
      return -1;
    }
  if (o->type->setattr != NULL)
    return o->type->setattr (vm, o, name, value);
  return hs_object_generic_setattr (vm, o, name, value);
}

HsObject *
hs_object_call (HsVm *vm, HsObject *callable, HsObject *const *args, size_t nargs,
                HsObject *kwnames)
{
  if (HS_LIKELY (callable->type->call != NULL))
    return callable->type->call (vm, callable, args, nargs, kwnames);
  hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "'%s' object is not callable", callable->type->name);
  return NULL;
}

HsObject *
hs_object_call_method (HsVm *vm, HsObject *self, const char *name, HsObject *const *args,
                       size_t nargs)
{
  HsObject *n = hs_str_intern (vm, name, strlen (name)), *m, *r;

  if (n == NULL)
    return NULL;
  /* builtin methods are called without making a bound method */
  if ((self->type->flags & HS_TPFLAG_HEAPTYPE) == 0 && self->type->getattr == NULL)
    {
      HsObject *d = hs_type_lookup (vm, self->type, n);
      if (d != NULL && HS_IS_TYPE (vm, d, METHOD_DESCRIPTOR))
        return ((HsCFunc *) d)->def->fn (vm, self, args, nargs, NULL);
    }
  m = hs_object_getattr (vm, self, n);
  if (m == NULL)
    return NULL;
  r = hs_object_call (vm, m, args, nargs, NULL);
  hs_decref (vm, m);
  return r;
}

bool
hs_object_is_instance (HsVm *vm, HsObject *o, HsObject *cls_or_tuple, int *error)
{
  *error = 0;
  if (HS_IS_SUBTYPE (vm, cls_or_tuple, TUPLE))
    {
      for (size_t i = 0; i < hs_tuple_size (cls_or_tuple); i++)
        {
          bool r = hs_object_is_instance (vm, o, hs_tuple_item (cls_or_tuple, i), error);
          if (*error || r)
            return r;
        }
      return false;
    }
  if (!HS_IS_SUBTYPE (vm, cls_or_tuple, TYPE))
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR),
                     "isinstance() arg 2 must be a type, a tuple of types, or a union");
      *error = 1;
      return false;
    }
  return hs_type_is_subtype (o->type, (HsType *) cls_or_tuple);
}

HsObject *
hs_sequence_list (HsVm *vm, HsObject *iterable)
{
  HsObject *l = hs_list_new (vm, 0);

  if (l != NULL && hs_list_extend (vm, l, iterable) < 0)
    {
      hs_decref (vm, l);
      return NULL;
    }
  return l;
}

int
hs_index_value (HsVm *vm, HsObject *o, int64_t *out)
{
  if (HS_LIKELY (HS_IS_SUBTYPE (vm, o, INT) || HS_IS_SUBTYPE (vm, o, BOOL)))
    {
      *out = hs_int_value (o);
      return 0;
    }
  hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "'%s' object cannot be interpreted as an integer",
                 o->type->name);
  return -1;
}
