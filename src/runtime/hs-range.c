/* hs-range.c — range and its iterator (a fast path for `for i in range(n)`). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <string.h>

#include "hs-containers.h"

#define R(o) ((HsRange *) (o))

typedef struct {
  HsObject base;
  int64_t  next;
  int64_t  step;
  int64_t  remaining;
} HsRangeIter;

static int64_t
range_length (int64_t start, int64_t stop, int64_t step)
{
  __int128 n;

  if (step > 0 && start < stop)
    n = ((__int128) stop - start - 1) / step + 1;
  else if (step < 0 && start > stop)
    n = ((__int128) start - stop - 1) / (-(__int128) step) + 1;
  else
    n = 0;
  return n > INT64_MAX ? INT64_MAX : (int64_t) n;
}

HsObject *
hs_range_new (HsVm *vm, int64_t start, int64_t stop, int64_t step)
{
  HsRange *r = hs_object_alloc (vm, HS_T (vm, RANGE), sizeof (HsRange));

  if (r == NULL)
    return NULL;
  r->start = start;
  r->stop = stop;
  r->step = step;
  r->length = range_length (start, stop, step);
  return &r->base;
}

static void
range_dealloc (HsVm *vm, HsObject *self)
{
  hs_object_free (vm, self);
}

static HsObject *
range_new (HsVm *vm, HsType *cls, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  int64_t v[3] = { 0, 0, 1 };

  (void) cls;
  if (kwnames != NULL && hs_tuple_size (kwnames) > 0)
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "range() takes no keyword arguments");
      return NULL;
    }
  if (hs_check_nargs (vm, "range", nargs, 1, 3) < 0)
    return NULL;
  for (size_t i = 0; i < nargs; i++)
    if (hs_index_value (vm, args[i], &v[nargs == 1 ? 1 : i]) < 0)
      return NULL;
  if (v[2] == 0)
    {
      hs_err_format (vm, HS_EXC (vm, VALUE_ERROR), "range() arg 3 must not be zero");
      return NULL;
    }
  return hs_range_new (vm, v[0], v[1], v[2]);
}

static HsObject *
range_repr (HsVm *vm, HsObject *self)
{
  HsRange *r = R (self);

  if (r->step == 1)
    return hs_str_printf (vm, "range(%lld, %lld)", (long long) r->start, (long long) r->stop);
  return hs_str_printf (vm, "range(%lld, %lld, %lld)", (long long) r->start, (long long) r->stop,
                        (long long) r->step);
}

static bool
range_hash (HsVm *vm, HsObject *self, int64_t *out)
{
  HsRange *r = R (self);
  HsObject *t, *a, *b, *c;
  bool ok;

  a = hs_int_from_i64 (vm, r->length);
  b = hs_int_from_i64 (vm, r->length == 0 ? 0 : r->start);
  c = hs_int_from_i64 (vm, r->length < 2 ? 0 : r->step);
  t = (a && b && c) ? hs_tuple_pack (vm, 3, a, b, c) : NULL;
  hs_xdecref (vm, a);
  hs_xdecref (vm, b);
  hs_xdecref (vm, c);
  if (t == NULL)
    return false;
  ok = hs_object_hash (vm, t, out);
  hs_decref (vm, t);
  return ok;
}

static HsObject *
range_richcompare (HsVm *vm, HsObject *self, HsObject *other, HsCompareOp op)
{
  HsRange *a = R (self), *b = R (other);
  bool eq;

  if (!HS_IS_TYPE (vm, other, RANGE) || (op != HS_CMP_EQ && op != HS_CMP_NE))
    return hs_not_implemented (vm);
  if (a->length != b->length)
    eq = false;
  else if (a->length == 0)
    eq = true;
  else if (a->start != b->start)
    eq = false;
  else
    eq = a->length == 1 || a->step == b->step;
  return hs_bool_from (vm, op == HS_CMP_EQ ? eq : !eq);
}

static int
range_truth (HsVm *vm, HsObject *self)
{
  (void) vm;
  return R (self)->length != 0;
}

static int64_t
range_len (HsVm *vm, HsObject *self)
{
  (void) vm;
  return R (self)->length;
}

static HsObject *
range_getitem (HsVm *vm, HsObject *self, HsObject *key)
{
  HsRange *r = R (self);

  if (HS_IS_SUBTYPE (vm, key, INT) || HS_IS_SUBTYPE (vm, key, BOOL))
    {
      int64_t i = hs_int_value (key);
      if (i < 0)
        i += r->length;
      if (i < 0 || i >= r->length)
        {
          hs_err_format (vm, HS_EXC (vm, INDEX_ERROR), "range object index out of range");
          return NULL;
        }
      return hs_int_from_i64 (vm, r->start + i * r->step);
    }
  if (HS_IS_TYPE (vm, key, SLICE))
    {
      int64_t start, stop, step, n;
      if (hs_slice_indices (vm, key, r->length, &start, &stop, &step, &n) < 0)
        return NULL;
      return hs_range_new (vm, r->start + start * r->step, r->start + stop * r->step,
                           r->step * step);
    }
  hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "range indices must be integers or slices, not %s",
                 hs_object_type_name (key));
  return NULL;
}

static int
range_contains_int (HsRange *r, int64_t v)
{
  if (r->length == 0)
    return 0;
  if (r->step > 0 ? (v < r->start || v >= r->stop) : (v > r->start || v <= r->stop))
    return 0;
  return ((__int128) v - r->start) % r->step == 0;
}

static int
range_contains (HsVm *vm, HsObject *self, HsObject *item)
{
  HsRange *r = R (self);

  if (HS_IS_TYPE (vm, item, INT) || HS_IS_TYPE (vm, item, BOOL))
    return range_contains_int (r, hs_int_value (item));
  for (int64_t i = 0; i < r->length; i++)
    {
      HsObject *v = hs_int_from_i64 (vm, r->start + i * r->step);
      int k;
      if (v == NULL)
        return -1;
      k = hs_object_richcompare_bool (vm, v, item, HS_CMP_EQ);
      hs_decref (vm, v);
      if (k != 0)
        return k;
    }
  return 0;
}

static HsObject *
range_iter_new (HsVm *vm, int64_t next, int64_t step, int64_t n)
{
  HsRangeIter *it = hs_object_alloc (vm, HS_T (vm, RANGE_ITER), sizeof (HsRangeIter));

  if (it == NULL)
    return NULL;
  it->next = next;
  it->step = step;
  it->remaining = n;
  return &it->base;
}

static HsObject *
range_iter (HsVm *vm, HsObject *self)
{
  HsRange *r = R (self);
  return range_iter_new (vm, r->start, r->step, r->length);
}

static HsObject *
rangeiter_next (HsVm *vm, HsObject *self)
{
  HsRangeIter *it = (HsRangeIter *) self;
  int64_t v;

  if (it->remaining <= 0)
    return NULL;
  v = it->next;
  it->next += it->step;
  it->remaining--;
  return hs_int_from_i64 (vm, v);
}

static void
range_describe (HsVm *vm, HsObject *self, char *buf, size_t cap)
{
  HsRange *r = R (self);

  (void) vm;
  if (r->step == 1)
    snprintf (buf, cap, "range(%lld, %lld)", (long long) r->start, (long long) r->stop);
  else
    snprintf (buf, cap, "range(%lld, %lld, %lld)", (long long) r->start, (long long) r->stop,
              (long long) r->step);
}

static size_t
range_size_of (HsObject *self)
{
  (void) self;
  return 48;
}

static HsObject *
range_getattr (HsVm *vm, HsObject *self, HsObject *name)
{
  const char *s = hs_str_data (name);
  HsRange *r = R (self);

  if (strcmp (s, "start") == 0)
    return hs_int_from_i64 (vm, r->start);
  if (strcmp (s, "stop") == 0)
    return hs_int_from_i64 (vm, r->stop);
  if (strcmp (s, "step") == 0)
    return hs_int_from_i64 (vm, r->step);
  return hs_builtin_getattr (vm, self, name);
}

static HsObject *
m_count (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  int r;

  if (hs_check_no_kwargs (vm, "range.count()", kwnames) < 0
      || hs_check_nargs (vm, "range.count()", nargs, 1, 1) < 0)
    return NULL;
  if (HS_IS_TYPE (vm, args[0], INT) || HS_IS_TYPE (vm, args[0], BOOL))
    return hs_int_from_i64 (vm, range_contains_int (R (self), hs_int_value (args[0])));
  {
    int64_t n = 0;
    for (int64_t i = 0; i < R (self)->length; i++)
      {
        HsObject *v = hs_int_from_i64 (vm, R (self)->start + i * R (self)->step);
        if (v == NULL)
          return NULL;
        r = hs_object_richcompare_bool (vm, v, args[0], HS_CMP_EQ);
        hs_decref (vm, v);
        if (r < 0)
          return NULL;
        n += r;
      }
    return hs_int_from_i64 (vm, n);
  }
}

static HsObject *
m_index (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  HsRange *r = R (self);
  HsObject *s;

  if (hs_check_no_kwargs (vm, "range.index()", kwnames) < 0
      || hs_check_nargs (vm, "range.index()", nargs, 1, 1) < 0)
    return NULL;
  if ((HS_IS_TYPE (vm, args[0], INT) || HS_IS_TYPE (vm, args[0], BOOL))
      && range_contains_int (r, hs_int_value (args[0])))
    return hs_int_from_i64 (vm, (hs_int_value (args[0]) - r->start) / r->step);
  s = hs_object_repr (vm, args[0]);
  if (s == NULL)
    return NULL;
  hs_err_format (vm, HS_EXC (vm, VALUE_ERROR), "%s is not in range", hs_str_data (s));
  hs_decref (vm, s);
  return NULL;
}

static HsObject *
m_reversed (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  HsRange *r = R (self);

  (void) args;
  if (hs_check_no_kwargs (vm, "range.__reversed__()", kwnames) < 0
      || hs_check_nargs (vm, "range.__reversed__()", nargs, 0, 0) < 0)
    return NULL;
  return range_iter_new (vm, r->start + (r->length - 1) * r->step, -r->step, r->length);
}

HS_WRAP_LEN (range, range_len)
HS_WRAP_GETITEM (range, range_getitem)
HS_WRAP_ITER (range, range_iter)
HS_WRAP_REPR (range, range_repr)
HS_WRAP_CONTAINS (range, range_contains)

static const HsMethodDef range_methods[] = {
  HS_WRAP_DEFS (range),
  { "__getitem__", range_w_getitem, "Return self[key]." },
  { "__contains__", range_w_contains, "Return key in self." },
  { "count", m_count, "rangeobject.count(value) -> integer -- return number of occurrences of value" },
  { "index", m_index, "rangeobject.index(value) -> integer -- return index of value." },
  { "__reversed__", m_reversed, "Return a reverse iterator." },
  { NULL, NULL, NULL },
};

static const HsType range_tmpl = {
  .name = "range",
  .basic_size = sizeof (HsRange),
  .dealloc = range_dealloc,
  .repr = range_repr,
  .hash = range_hash,
  .richcompare = range_richcompare,
  .truth = range_truth,
  .len = range_len,
  .getitem = range_getitem,
  .contains = range_contains,
  .iter = range_iter,
  .new_ = range_new,
  .getattr = range_getattr,
  .methods = range_methods,
  .describe = range_describe,
  .size_of = range_size_of,
};

static const HsType range_iter_tmpl = {
  .name = "range_iterator",
  .basic_size = sizeof (HsRangeIter),
  .dealloc = range_dealloc,
  .iter = hs_iter_self,
  .iternext = rangeiter_next,
};

void
hs_range_types_init (HsVm *vm)
{
  hs_register (vm, HS_T_RANGE, &range_tmpl);
  hs_register (vm, HS_T_RANGE_ITER, &range_iter_tmpl);
}
