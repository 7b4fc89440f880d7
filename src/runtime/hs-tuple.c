/* hs-tuple.c — tuple, its iterator, and the start-up of the container types. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hs-containers.h"

/* ---- start-up ------------------------------------------------------------------ */

HsType *
hs_register (HsVm *vm, HsTypeId id, const HsType *tmpl)
{
  HsType *t = hs_type_register (vm, id, tmpl);

  if (t != NULL && t->tp_base == NULL && id != HS_T_OBJECT)
    t->tp_base = HS_T (vm, OBJECT);
  return t;
}

void
hs_containers_init (HsVm *vm)
{
  HsContainersState *st = calloc (1, sizeof *st);

  vm->containers_state = st;
  hs_cfunc_types_init (vm);
  hs_tuple_types_init (vm);
  hs_list_types_init (vm);
  hs_dict_types_init (vm);
  hs_set_types_init (vm);
  hs_range_types_init (vm);
  hs_slice_types_init (vm);
  hs_iter_types_init (vm);
}

void
hs_containers_fini (HsVm *vm)
{
  HsContainersState *st = HS_CSTATE (vm);

  if (st == NULL)
    return;
  if (vm->builtins != NULL)
    {
      HsObject *b = vm->builtins;
      vm->builtins = NULL;
      hs_decref (vm, b);
    }
  hs_method_caches_free (vm);
  if (vm->empty_tuple != NULL)
    {
      hs_object_free (vm, vm->empty_tuple);
      vm->empty_tuple = NULL;
    }
  if (st->dummy != NULL)
    {
      hs_object_free (vm, st->dummy);
      st->dummy = NULL;
    }
  free (st->repr_stack);
  free (st);
  vm->containers_state = NULL;
}

/* ---- repr recursion marks ------------------------------------------------------ */

int
hs_repr_enter (HsVm *vm, HsObject *o)
{
  HsContainersState *st = HS_CSTATE (vm);

  for (size_t i = 0; i < st->repr_len; i++)
    if (st->repr_stack[i] == o)
      return 1;
  if (!hs_enter_recursive_call (vm, "while getting the repr of an object"))
    return -1;
  if (st->repr_len == st->repr_cap)
    {
      size_t cap = st->repr_cap ? st->repr_cap * 2 : 16;
      HsObject **s = realloc (st->repr_stack, cap * sizeof *s);
      if (s == NULL)
        {
          hs_leave_recursive_call (vm);
          hs_err_no_memory (vm);
          return -1;
        }
      st->repr_stack = s;
      st->repr_cap = cap;
    }
  st->repr_stack[st->repr_len++] = o;
  return 0;
}

void
hs_repr_leave (HsVm *vm, HsObject *o)
{
  HsContainersState *st = HS_CSTATE (vm);

  for (size_t i = st->repr_len; i-- > 0;)
    if (st->repr_stack[i] == o)
      {
        memmove (st->repr_stack + i, st->repr_stack + i + 1,
                 (st->repr_len - i - 1) * sizeof (HsObject *));
        st->repr_len--;
        break;
      }
  hs_leave_recursive_call (vm);
}

/* ---- creation --------------------------------------------------------------------- */

static HsObject *
tuple_alloc (HsVm *vm, HsType *type, size_t size)
{
  HsTuple *t = hs_object_alloc (vm, type, sizeof (HsTuple) + size * sizeof (HsObject *));

  if (t == NULL)
    return NULL;
  t->size = size;
  memset (t->items, 0, size * sizeof (HsObject *));
  return &t->base;
}

HsObject *
hs_tuple_new (HsVm *vm, size_t size)
{
  HsObject *t;

  if (size == 0 && vm->empty_tuple != NULL)
    return hs_incref (vm->empty_tuple);
  t = tuple_alloc (vm, HS_T (vm, TUPLE), size);
  if (t != NULL)
    hs_gc_track (vm, t);
  return t;
}

void
hs_tuple_init_item (HsVm *vm, HsObject *tuple, size_t i, HsObject *item)
{
  HsTuple *t = (HsTuple *) tuple;

  t->items[i] = item;
  HS_REF (vm, HS_HOLDER_ITEM, tuple->id, i, NULL, NULL, item);
}

HsObject *
hs_tuple_from_array (HsVm *vm, HsObject *const *items, size_t n)
{
  HsObject *t = hs_tuple_new (vm, n);

  if (t == NULL)
    return NULL;
  for (size_t i = 0; i < n; i++)
    hs_tuple_init_item (vm, t, i, hs_incref (items[i]));
  return t;
}

HsObject *
hs_tuple_pack (HsVm *vm, size_t n, ...)
{
  HsObject *t = hs_tuple_new (vm, n);
  va_list ap;

  if (t == NULL)
    return NULL;
  va_start (ap, n);
  for (size_t i = 0; i < n; i++)
    hs_tuple_init_item (vm, t, i, hs_incref (va_arg (ap, HsObject *)));
  va_end (ap);
  return t;
}

HsObject *
hs_tuple_from_iterable (HsVm *vm, HsObject *iterable)
{
  HsObject *list, *t;

  if (HS_IS_TYPE (vm, iterable, TUPLE))
    return hs_incref (iterable);
  if (HS_IS_TYPE (vm, iterable, LIST))
    {
      HsList *l = (HsList *) iterable;
      return hs_tuple_from_array (vm, l->items, l->size);
    }
  list = hs_sequence_list (vm, iterable);
  if (list == NULL)
    return NULL;
  t = hs_tuple_from_array (vm, ((HsList *) list)->items, hs_list_size (list));
  hs_decref (vm, list);
  return t;
}

/* ---- slots ------------------------------------------------------------------------ */

static void
tuple_dealloc (HsVm *vm, HsObject *self)
{
  HsTuple *t = (HsTuple *) self;

  /* As CPython: items are released last to first. */
  for (size_t i = t->size; i-- > 0;)
    hs_slot_clear (vm, &t->items[i], HS_HOLDER_ITEM, self->id, i, NULL);
  hs_object_free (vm, self);
}

static int
tuple_traverse (HsObject *self, HsVisitProc visit, void *arg)
{
  HsTuple *t = (HsTuple *) self;

  for (size_t i = 0; i < t->size; i++)
    if (t->items[i] != NULL)
      {
        int r = visit (t->items[i], arg);
        if (r != 0)
          return r;
      }
  return 0;
}

static void
tuple_clear (HsVm *vm, HsObject *self)
{
  HsTuple *t = (HsTuple *) self;

  for (size_t i = t->size; i-- > 0;)
    hs_slot_clear (vm, &t->items[i], HS_HOLDER_ITEM, self->id, i, NULL);
}

static HsObject *
tuple_repr (HsVm *vm, HsObject *self)
{
  HsTuple *t = (HsTuple *) self;
  HsBuf b;
  int r;

  if (t->size == 0)
    return hs_str_from_cstr (vm, "()");
  r = hs_repr_enter (vm, self);
  if (r != 0)
    return r > 0 ? hs_str_from_cstr (vm, "(...)") : NULL;
  hs_buf_init (&b);
  hs_buf_add (vm, &b, "(", 1);
  for (size_t i = 0; i < t->size; i++)
    {
      HsObject *s;
      if (i > 0 && !hs_buf_add (vm, &b, ", ", 2))
        goto fail;
      s = hs_object_repr (vm, t->items[i]);
      if (s == NULL)
        goto fail;
      if (!hs_buf_add_str (vm, &b, s))
        {
          hs_decref (vm, s);
          goto fail;
        }
      hs_decref (vm, s);
    }
  if (!hs_buf_add (vm, &b, t->size == 1 ? ",)" : ")", t->size == 1 ? 2 : 1))
    goto fail;
  hs_repr_leave (vm, self);
  return hs_buf_finish (vm, &b);

fail:
  hs_repr_leave (vm, self);
  hs_buf_free (vm, &b);
  return NULL;
}

#define XXPRIME_1 11400714785074694791ULL
#define XXPRIME_2 14029467366897019727ULL
#define XXPRIME_5 2870177450012600261ULL
#define XXROTATE(x) (((x) << 31) | ((x) >> 33))

/* The xxHash-based tuple hash of CPython 3.8+, so hash((1, 2)) is the same number. */
static bool
tuple_hash (HsVm *vm, HsObject *self, int64_t *out)
{
  HsTuple *t = (HsTuple *) self;
  uint64_t acc = XXPRIME_5;

  for (size_t i = 0; i < t->size; i++)
    {
      int64_t h;
      if (!hs_hash_fast (vm, t->items[i], &h))
        return false;
      acc += (uint64_t) h * XXPRIME_2;
      acc = XXROTATE (acc);
      acc *= XXPRIME_1;
    }
  acc += t->size ^ (XXPRIME_5 ^ 3527539UL);
  if (acc == (uint64_t) -1)
    acc = 1546275796;
  *out = (int64_t) acc;
  return true;
}

/* Shared by tuple and list: compares two item arrays as CPython's sequence richcompare. */
HsObject *hs_seq_richcompare (HsVm *vm, HsObject *const *a, size_t na, HsObject *const *b,
                              size_t nb, HsCompareOp op);

HsObject *
hs_seq_richcompare (HsVm *vm, HsObject *const *a, size_t na, HsObject *const *b, size_t nb,
                    HsCompareOp op)
{
  size_t i;

  if (na != nb && (op == HS_CMP_EQ || op == HS_CMP_NE))
    return hs_bool_from (vm, op == HS_CMP_NE);
  for (i = 0; i < na && i < nb; i++)
    {
      int k = hs_eq_fast (vm, a[i], b[i]);
      if (k < 0)
        return NULL;
      if (!k)
        break;
    }
  if (i >= na || i >= nb)
    {
      bool r;
      switch (op)
        {
        case HS_CMP_LT: r = na < nb; break;
        case HS_CMP_LE: r = na <= nb; break;
        case HS_CMP_EQ: r = na == nb; break;
        case HS_CMP_NE: r = na != nb; break;
        case HS_CMP_GT: r = na > nb; break;
        default: r = na >= nb; break;
        }
      return hs_bool_from (vm, r);
    }
  if (op == HS_CMP_EQ)
    return hs_bool_from (vm, false);
  if (op == HS_CMP_NE)
    return hs_bool_from (vm, true);
  return hs_object_richcompare (vm, a[i], b[i], op);
}

static HsObject *
tuple_richcompare (HsVm *vm, HsObject *self, HsObject *other, HsCompareOp op)
{
  HsTuple *a = (HsTuple *) self, *b = (HsTuple *) other;

  if (!HS_IS_SUBTYPE (vm, other, TUPLE) || !HS_IS_SUBTYPE (vm, self, TUPLE))
    return hs_not_implemented (vm);
  return hs_seq_richcompare (vm, a->items, a->size, b->items, b->size, op);
}

static HsObject *
tuple_repeat (HsVm *vm, HsObject *self, int64_t n)
{
  HsTuple *t = (HsTuple *) self;
  HsObject *r;
  size_t k = 0;

  if (n <= 0 || t->size == 0)
    return hs_tuple_new (vm, 0);
  if (n == 1 && HS_IS_TYPE (vm, self, TUPLE))
    return hs_incref (self);
  if ((uint64_t) n > (SIZE_MAX / 8) / t->size)
    return hs_err_no_memory (vm);
  r = hs_tuple_new (vm, t->size * (size_t) n);
  if (r == NULL)
    return NULL;
  for (int64_t j = 0; j < n; j++)
    for (size_t i = 0; i < t->size; i++, k++)
      hs_tuple_init_item (vm, r, k, hs_incref (t->items[i]));
  return r;
}

static HsObject *
tuple_binary (HsVm *vm, HsObject *left, HsObject *right, HsBinaryOp op)
{
  if (op == HS_BINOP_ADD && HS_IS_SUBTYPE (vm, left, TUPLE) && HS_IS_SUBTYPE (vm, right, TUPLE))
    {
      HsTuple *a = (HsTuple *) left, *b = (HsTuple *) right;
      HsObject *r;
      if (b->size == 0 && HS_IS_TYPE (vm, left, TUPLE))
        return hs_incref (left);
      if (a->size == 0 && HS_IS_TYPE (vm, right, TUPLE))
        return hs_incref (right);
      r = hs_tuple_new (vm, a->size + b->size);
      if (r == NULL)
        return NULL;
      for (size_t i = 0; i < a->size; i++)
        hs_tuple_init_item (vm, r, i, hs_incref (a->items[i]));
      for (size_t i = 0; i < b->size; i++)
        hs_tuple_init_item (vm, r, a->size + i, hs_incref (b->items[i]));
      return r;
    }
  if (op == HS_BINOP_MUL)
    {
      HsObject *seq = HS_IS_SUBTYPE (vm, left, TUPLE) ? left : right;
      HsObject *n = seq == left ? right : left;
      int64_t k;
      if (HS_IS_SUBTYPE (vm, n, INT) || HS_IS_SUBTYPE (vm, n, BOOL))
        {
          if (hs_index_value (vm, n, &k) < 0)
            return NULL;
          return tuple_repeat (vm, seq, k);
        }
    }
  return hs_not_implemented (vm);
}

static int64_t
tuple_len (HsVm *vm, HsObject *self)
{
  (void) vm;
  return (int64_t) ((HsTuple *) self)->size;
}

static HsObject *
tuple_getitem (HsVm *vm, HsObject *self, HsObject *key)
{
  HsTuple *t = (HsTuple *) self;

  if (HS_IS_TYPE (vm, key, INT) || HS_IS_SUBTYPE (vm, key, INT))
    {
      int64_t i = hs_int_value (key);
      if (i < 0)
        i += (int64_t) t->size;
      if (i < 0 || i >= (int64_t) t->size)
        {
          hs_err_format (vm, HS_EXC (vm, INDEX_ERROR), "tuple index out of range");
          return NULL;
        }
      return hs_incref (t->items[i]);
    }
  if (HS_IS_TYPE (vm, key, SLICE))
    {
      int64_t start, stop, step, n;
      HsObject *r;
      if (hs_slice_indices (vm, key, (int64_t) t->size, &start, &stop, &step, &n) < 0)
        return NULL;
      if (n == (int64_t) t->size && step == 1 && HS_IS_TYPE (vm, self, TUPLE))
        return hs_incref (self);
      r = hs_tuple_new (vm, (size_t) n);
      if (r == NULL)
        return NULL;
      for (int64_t i = 0, j = start; i < n; i++, j += step)
        hs_tuple_init_item (vm, r, (size_t) i, hs_incref (t->items[j]));
      return r;
    }
  hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "tuple indices must be integers or slices, not %s",
                 hs_object_type_name (key));
  return NULL;
}

static int
tuple_contains (HsVm *vm, HsObject *self, HsObject *item)
{
  HsTuple *t = (HsTuple *) self;

  for (size_t i = 0; i < t->size; i++)
    {
      int k = hs_eq_fast (vm, t->items[i], item);
      if (k != 0)
        return k;
    }
  return 0;
}

static HsObject *
tuple_iter (HsVm *vm, HsObject *self)
{
  return hs_iterobj_new (vm, HS_T_TUPLE_ITER, self, 0);
}

static HsObject *
tupleiter_next (HsVm *vm, HsObject *self)
{
  HsIterObj *it = (HsIterObj *) self;
  HsTuple *t = (HsTuple *) it->seq;

  if (t == NULL)
    return NULL;
  if (it->index < (int64_t) t->size)
    return hs_incref (t->items[it->index++]);
  hs_iterobj_exhaust (vm, it);
  return NULL;
}

static HsObject *
tuple_new (HsVm *vm, HsType *cls, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  (void) cls;
  if (kwnames != NULL && hs_tuple_size (kwnames) > 0)
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "tuple() takes no keyword arguments");
      return NULL;
    }
  if (nargs > 1)
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "tuple expected at most 1 argument, got %zu", nargs);
      return NULL;
    }
  if (nargs == 0)
    return hs_tuple_new (vm, 0);
  return hs_tuple_from_iterable (vm, args[0]);
}

static void
tuple_describe (HsVm *vm, HsObject *self, char *buf, size_t cap)
{
  HsTuple *t = (HsTuple *) self;
  size_t len = 0;

  if (cap == 0)
    return;
  for (size_t i = 0; i < t->size; i++)
    if (t->items[i] == NULL)
      {
        snprintf (buf, cap, "(%zu items)", t->size);
        return;
      }
  len = (size_t) snprintf (buf, cap, "(");
  for (size_t i = 0; i < t->size && len + 1 < cap; i++)
    {
      char item[64];
      hs_describe_short (vm, t->items[i], item, sizeof item);
      len += (size_t) snprintf (buf + len, cap - len, "%s%s", i > 0 ? ", " : "", item);
    }
  if (len + 1 < cap)
    snprintf (buf + len, cap - len, t->size == 1 ? ",)" : ")");
  if (len + 1 >= cap && cap > 4)
    strcpy (buf + cap - 4, "...");
}

static size_t
tuple_size_of (HsObject *self)
{
  return 24 + 8 * ((HsTuple *) self)->size;
}

/* ---- methods ---------------------------------------------------------------------- */

static HsObject *
tuple_count (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  HsTuple *t = (HsTuple *) self;
  int64_t n = 0;

  if (hs_check_no_kwargs (vm, "tuple.count()", kwnames) < 0
      || hs_check_nargs (vm, "tuple.count()", nargs, 1, 1) < 0)
    return NULL;
  for (size_t i = 0; i < t->size; i++)
    {
      int k = hs_eq_fast (vm, t->items[i], args[0]);
      if (k < 0)
        return NULL;
      n += k;
    }
  return hs_int_from_i64 (vm, n);
}

/* Resolves index()'s optional start/stop arguments as CPython's slice-index rules do. */
int hs_seq_index_bounds (HsVm *vm, HsObject *const *args, size_t nargs, int64_t len,
                         int64_t *start, int64_t *stop);

int
hs_seq_index_bounds (HsVm *vm, HsObject *const *args, size_t nargs, int64_t len,
                     int64_t *start, int64_t *stop)
{
  *start = 0;
  *stop = len;
  if (nargs > 1 && hs_index_value (vm, args[1], start) < 0)
    return -1;
  if (nargs > 2 && hs_index_value (vm, args[2], stop) < 0)
    return -1;
  if (*start < 0)
    {
      *start += len;
      if (*start < 0)
        *start = 0;
    }
  if (*stop < 0)
    {
      *stop += len;
      if (*stop < 0)
        *stop = 0;
    }
  return 0;
}

static HsObject *
tuple_index (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  HsTuple *t = (HsTuple *) self;
  int64_t start, stop;

  if (hs_check_no_kwargs (vm, "index()", kwnames) < 0
      || hs_check_nargs (vm, "index", nargs, 1, 3) < 0
      || hs_seq_index_bounds (vm, args, nargs, (int64_t) t->size, &start, &stop) < 0)
    return NULL;
  for (int64_t i = start; i < stop && i < (int64_t) t->size; i++)
    {
      int k = hs_eq_fast (vm, t->items[i], args[0]);
      if (k < 0)
        return NULL;
      if (k)
        return hs_int_from_i64 (vm, i);
    }
  hs_err_format (vm, HS_EXC (vm, VALUE_ERROR), "tuple.index(x): x not in tuple");
  return NULL;
}

HS_WRAP_LEN (tuple, tuple_len)
HS_WRAP_GETITEM (tuple, tuple_getitem)
HS_WRAP_ITER (tuple, tuple_iter)
HS_WRAP_REPR (tuple, tuple_repr)
HS_WRAP_CONTAINS (tuple, tuple_contains)

static const HsMethodDef tuple_methods[] = {
  HS_WRAP_DEFS (tuple),
  { "__getitem__", tuple_w_getitem, "Return self[key]." },
  { "__contains__", tuple_w_contains, "Return key in self." },
  { "count", tuple_count, "Return number of occurrences of value." },
  { "index", tuple_index, "Return first index of value." },
  { NULL, NULL, NULL },
};

static const HsType tuple_tmpl = {
  .name = "tuple",
  .flags = HS_TPFLAG_GC | HS_TPFLAG_BASETYPE,
  .basic_size = sizeof (HsTuple),
  .dealloc = tuple_dealloc,
  .traverse = tuple_traverse,
  .clear = tuple_clear,
  .repr = tuple_repr,
  .hash = tuple_hash,
  .richcompare = tuple_richcompare,
  .binary = tuple_binary,
  .len = tuple_len,
  .getitem = tuple_getitem,
  .contains = tuple_contains,
  .iter = tuple_iter,
  .new_ = tuple_new,
  .methods = tuple_methods,
  .describe = tuple_describe,
  .size_of = tuple_size_of,
};

static const HsType tuple_iter_tmpl = {
  .name = "tuple_iterator",
  .flags = HS_TPFLAG_GC,
  .basic_size = sizeof (HsIterObj),
  .dealloc = hs_iterobj_dealloc,
  .traverse = hs_iterobj_traverse,
  .clear = hs_iterobj_clear,
  .iter = hs_iter_self,
  .iternext = tupleiter_next,
};

void
hs_tuple_types_init (HsVm *vm)
{
  HsObject *e;

  hs_register (vm, HS_T_TUPLE, &tuple_tmpl);
  hs_register (vm, HS_T_TUPLE_ITER, &tuple_iter_tmpl);
  /* The empty tuple is cached for the whole run, untracked, as CPython's. */
  e = tuple_alloc (vm, HS_T (vm, TUPLE), 0);
  if (e != NULL)
    e->flags |= HS_OBJ_IMMORTAL;
  vm->empty_tuple = e;
}
