/* hs-slice.c — slice objects and resolving them against a length. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <string.h>

#include "hs-containers.h"

#define SL(o) ((HsSlice *) (o))

static const char *const slot_names[3] = { "start", "stop", "step" };

HsObject *
hs_slice_new (HsVm *vm, HsObject *start, HsObject *stop, HsObject *step)
{
  HsSlice *s = hs_alloc_zero (vm, HS_T (vm, SLICE), sizeof (HsSlice));
  HsObject *v[3] = { start, stop, step };

  if (s == NULL)
    return NULL;
  for (int i = 0; i < 3; i++)
    hs_slot_init (vm, i == 0 ? &s->start : i == 1 ? &s->stop : &s->step,
                  hs_incref (v[i] != NULL ? v[i] : vm->none), HS_HOLDER_INTERNAL, s->base.id,
                  (uint64_t) i, slot_names[i]);
  hs_gc_track (vm, &s->base);
  return &s->base;
}

static int
slice_value (HsVm *vm, HsObject *o, int64_t *out)
{
  if (HS_IS_SUBTYPE (vm, o, INT) || HS_IS_SUBTYPE (vm, o, BOOL))
    {
      *out = hs_int_value (o);
      return 0;
    }
  hs_err_format (vm, HS_EXC (vm, TYPE_ERROR),
                 "slice indices must be integers or None or have an __index__ method");
  return -1;
}

int
hs_slice_indices (HsVm *vm, HsObject *slice, int64_t length, int64_t *start, int64_t *stop,
                  int64_t *step, int64_t *slicelength)
{
  HsSlice *s = SL (slice);
  int64_t st = 1, a, b;

  if (s->step != vm->none)
    {
      if (slice_value (vm, s->step, &st) < 0)
        return -1;
      if (st == 0)
        {
          hs_err_format (vm, HS_EXC (vm, VALUE_ERROR), "slice step cannot be zero");
          return -1;
        }
      if (st < -INT64_MAX)
        st = -INT64_MAX;
    }
  if (s->start == vm->none)
    a = st < 0 ? INT64_MAX : 0;
  else if (slice_value (vm, s->start, &a) < 0)
    return -1;
  if (s->stop == vm->none)
    b = st < 0 ? INT64_MIN : INT64_MAX;
  else if (slice_value (vm, s->stop, &b) < 0)
    return -1;

  /* PySlice_AdjustIndices */
  if (a < 0)
    {
      a += length;
      if (a < 0)
        a = st < 0 ? -1 : 0;
    }
  else if (a >= length)
    a = st < 0 ? length - 1 : length;
  if (b < 0)
    {
      b = b == INT64_MIN ? -1 : b + length;
      if (b < 0)
        b = st < 0 ? -1 : 0;
    }
  else if (b >= length)
    b = st < 0 ? length - 1 : length;
  if (st < 0)
    *slicelength = b < a ? (a - b - 1) / (-st) + 1 : 0;
  else
    *slicelength = a < b ? (b - a - 1) / st + 1 : 0;
  *start = a;
  *stop = b;
  *step = st;
  return 0;
}

static void
slice_dealloc (HsVm *vm, HsObject *self)
{
  HsSlice *s = SL (self);

  hs_slot_clear (vm, &s->start, HS_HOLDER_INTERNAL, self->id, 0, "start");
  hs_slot_clear (vm, &s->stop, HS_HOLDER_INTERNAL, self->id, 1, "stop");
  hs_slot_clear (vm, &s->step, HS_HOLDER_INTERNAL, self->id, 2, "step");
  hs_object_free (vm, self);
}

static int
slice_traverse (HsObject *self, HsVisitProc visit, void *arg)
{
  HsSlice *s = SL (self);
  HsObject *v[3] = { s->start, s->stop, s->step };

  for (int i = 0; i < 3; i++)
    if (v[i] != NULL)
      {
        int r = visit (v[i], arg);
        if (r != 0)
          return r;
      }
  return 0;
}

static void
slice_clear (HsVm *vm, HsObject *self)
{
  HsSlice *s = SL (self);

  hs_slot_clear (vm, &s->start, HS_HOLDER_INTERNAL, self->id, 0, "start");
  hs_slot_clear (vm, &s->stop, HS_HOLDER_INTERNAL, self->id, 1, "stop");
  hs_slot_clear (vm, &s->step, HS_HOLDER_INTERNAL, self->id, 2, "step");
}

static HsObject *
slice_repr (HsVm *vm, HsObject *self)
{
  HsSlice *s = SL (self);
  HsObject *r[3] = { NULL, NULL, NULL }, *out = NULL;
  HsObject *v[3] = { s->start, s->stop, s->step };

  for (int i = 0; i < 3; i++)
    if ((r[i] = hs_object_repr (vm, v[i] ? v[i] : vm->none)) == NULL)
      goto done;
  out = hs_str_printf (vm, "slice(%s, %s, %s)", hs_str_data (r[0]), hs_str_data (r[1]),
                       hs_str_data (r[2]));
done:
  for (int i = 0; i < 3; i++)
    hs_xdecref (vm, r[i]);
  return out;
}

static HsObject *
slice_richcompare (HsVm *vm, HsObject *self, HsObject *other, HsCompareOp op)
{
  HsObject *a, *b, *r;

  if (!HS_IS_TYPE (vm, other, SLICE))
    return hs_not_implemented (vm);
  a = hs_tuple_pack (vm, 3, SL (self)->start, SL (self)->stop, SL (self)->step);
  b = a ? hs_tuple_pack (vm, 3, SL (other)->start, SL (other)->stop, SL (other)->step) : NULL;
  r = b ? hs_object_richcompare (vm, a, b, op) : NULL;
  hs_xdecref (vm, a);
  hs_xdecref (vm, b);
  return r;
}

static HsObject *
slice_new (HsVm *vm, HsType *cls, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  (void) cls;
  if (kwnames != NULL && hs_tuple_size (kwnames) > 0)
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "slice() takes no keyword arguments");
      return NULL;
    }
  if (hs_check_nargs (vm, "slice", nargs, 1, 3) < 0)
    return NULL;
  if (nargs == 1)
    return hs_slice_new (vm, NULL, args[0], NULL);
  return hs_slice_new (vm, args[0], args[1], nargs > 2 ? args[2] : NULL);
}

static HsObject *
slice_getattr (HsVm *vm, HsObject *self, HsObject *name)
{
  const char *s = hs_str_data (name);

  if (strcmp (s, "start") == 0)
    return hs_incref (SL (self)->start);
  if (strcmp (s, "stop") == 0)
    return hs_incref (SL (self)->stop);
  if (strcmp (s, "step") == 0)
    return hs_incref (SL (self)->step);
  return hs_builtin_getattr (vm, self, name);
}

static HsObject *
m_indices (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  int64_t len, a, b, c, n;
  HsObject *x, *y, *z, *t;

  if (hs_check_no_kwargs (vm, "slice.indices()", kwnames) < 0
      || hs_check_nargs (vm, "slice.indices()", nargs, 1, 1) < 0
      || hs_index_value (vm, args[0], &len) < 0)
    return NULL;
  if (len < 0)
    {
      hs_err_format (vm, HS_EXC (vm, VALUE_ERROR), "length should not be negative");
      return NULL;
    }
  if (hs_slice_indices (vm, self, len, &a, &b, &c, &n) < 0)
    return NULL;
  x = hs_int_from_i64 (vm, a);
  y = hs_int_from_i64 (vm, b);
  z = hs_int_from_i64 (vm, c);
  t = (x && y && z) ? hs_tuple_pack (vm, 3, x, y, z) : NULL;
  hs_xdecref (vm, x);
  hs_xdecref (vm, y);
  hs_xdecref (vm, z);
  return t;
}

static const HsMethodDef slice_methods[] = {
  { "indices", m_indices, "S.indices(len) -> (start, stop, stride)" },
  { NULL, NULL, NULL },
};

static void
slice_describe (HsVm *vm, HsObject *self, char *buf, size_t cap)
{
  HsSlice *s = SL (self);
  char a[32] = "None", b[32] = "None", c[32] = "None";

  if (s->start && s->start != vm->none)
    hs_describe_short (vm, s->start, a, sizeof a);
  if (s->stop && s->stop != vm->none)
    hs_describe_short (vm, s->stop, b, sizeof b);
  if (s->step && s->step != vm->none)
    hs_describe_short (vm, s->step, c, sizeof c);
  snprintf (buf, cap, "slice(%s, %s, %s)", a, b, c);
}

static size_t
slice_size_of (HsObject *self)
{
  (void) self;
  return 40;
}

static const HsType slice_tmpl = {
  .name = "slice",
  .flags = HS_TPFLAG_GC,
  .basic_size = sizeof (HsSlice),
  .dealloc = slice_dealloc,
  .traverse = slice_traverse,
  .clear = slice_clear,
  .repr = slice_repr,
  .richcompare = slice_richcompare,
  .new_ = slice_new,
  .getattr = slice_getattr,
  .methods = slice_methods,
  .describe = slice_describe,
  .size_of = slice_size_of,
};

void
hs_slice_types_init (HsVm *vm)
{
  hs_register (vm, HS_T_SLICE, &slice_tmpl);
}
