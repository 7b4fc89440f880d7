/* hs-iter.c — the common iterator layout, the __getitem__ iterator, enumerate, zip, map,
 * filter and reversed. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <string.h>

#include "hs-containers.h"

/* ---- the common layout -------------------------------------------------------------- */

HsObject *
hs_iterobj_new (HsVm *vm, HsTypeId type, HsObject *seq, int64_t index)
{
  HsIterObj *it = hs_object_alloc (vm, vm->types[type], sizeof (HsIterObj));

  if (it == NULL)
    return NULL;
  it->seq = NULL;
  it->index = index;
  it->extra = 0;
  hs_slot_init (vm, &it->seq, hs_incref (seq), HS_HOLDER_INTERNAL, it->base.id, 0, "iterable");
  hs_gc_track (vm, &it->base);
  return &it->base;
}

void
hs_iterobj_exhaust (HsVm *vm, HsIterObj *it)
{
  hs_slot_clear (vm, &it->seq, HS_HOLDER_INTERNAL, it->base.id, 0,
                 HS_IS_TYPE (vm, &it->base, DICT_KEYS) || HS_IS_TYPE (vm, &it->base, DICT_VALUES)
                 || HS_IS_TYPE (vm, &it->base, DICT_ITEMS) ? "mapping" : "iterable");
}

void
hs_iterobj_dealloc (HsVm *vm, HsObject *self)
{
  hs_iterobj_exhaust (vm, (HsIterObj *) self);
  hs_object_free (vm, self);
}

int
hs_iterobj_traverse (HsObject *self, HsVisitProc visit, void *arg)
{
  HsIterObj *it = (HsIterObj *) self;
  return it->seq != NULL ? visit (it->seq, arg) : 0;
}

void
hs_iterobj_clear (HsVm *vm, HsObject *self)
{
  hs_iterobj_exhaust (vm, (HsIterObj *) self);
}

HsObject *
hs_iter_self (HsVm *vm, HsObject *self)
{
  (void) vm;
  return hs_incref (self);
}

/* ---- the sequence iterator: seq[0], seq[1], ... until IndexError ------------------ */

HsObject *
hs_seqiter_new (HsVm *vm, HsObject *seq)
{
  return hs_iterobj_new (vm, HS_T_SEQ_ITER, seq, 0);
}

static HsObject *
seqiter_next (HsVm *vm, HsObject *self)
{
  HsIterObj *it = (HsIterObj *) self;
  HsObject *idx, *r;

  if (it->seq == NULL)
    return NULL;
  idx = hs_int_from_i64 (vm, it->index);
  if (idx == NULL)
    return NULL;
  r = hs_object_getitem (vm, it->seq, idx);
  hs_decref (vm, idx);
  if (r != NULL)
    {
      it->index++;
      return r;
    }
  if (hs_err_matches (vm, HS_EXC (vm, INDEX_ERROR)) || hs_err_matches (vm, HS_EXC (vm, STOP_ITERATION)))
    {
      hs_err_clear (vm);
      hs_iterobj_exhaust (vm, it);
    }
  return NULL;
}

/* ---- reversed(seq) over len() and [] ------------------------------------------------ */

HsObject *
hs_reversed_new (HsVm *vm, HsObject *seq)
{
  static const char rev[] = "__reversed__";
  HsObject *name = hs_str_intern (vm, rev, sizeof rev - 1);
  int64_t n;

  if (hs_type_lookup (vm, seq->type, name) != NULL)
    return hs_object_call_method (vm, seq, rev, NULL, 0);
  if (seq->type->getitem == NULL || seq->type->len == NULL || HS_IS_SUBTYPE (vm, seq, DICT)
      || HS_IS_SUBTYPE (vm, seq, SET) || HS_IS_SUBTYPE (vm, seq, FROZENSET))
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "'%s' object is not reversible",
                     hs_object_type_name (seq));
      return NULL;
    }
  n = hs_object_len (vm, seq);
  if (n < 0)
    return NULL;
  return hs_iterobj_new (vm, HS_T_REVERSED, seq, n - 1);
}

static HsObject *
reversed_next (HsVm *vm, HsObject *self)
{
  HsIterObj *it = (HsIterObj *) self;
  HsObject *idx, *r;

  if (it->seq == NULL)
    return NULL;
  if (it->index < 0)
    {
      hs_iterobj_exhaust (vm, it);
      return NULL;
    }
  idx = hs_int_from_i64 (vm, it->index);
  if (idx == NULL)
    return NULL;
  r = hs_object_getitem (vm, it->seq, idx);
  hs_decref (vm, idx);
  if (r != NULL)
    {
      it->index--;
      return r;
    }
  if (hs_err_matches (vm, HS_EXC (vm, INDEX_ERROR)) || hs_err_matches (vm, HS_EXC (vm, STOP_ITERATION)))
    {
      hs_err_clear (vm);
      hs_iterobj_exhaust (vm, it);
    }
  return NULL;
}

static HsObject *
reversed_new (HsVm *vm, HsType *cls, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  (void) cls;
  if (hs_check_no_kwargs (vm, "reversed()", kwnames) < 0
      || hs_check_nargs (vm, "reversed", nargs, 1, 1) < 0)
    return NULL;
  return hs_reversed_new (vm, args[0]);
}

/* ---- enumerate ----------------------------------------------------------------------- */

typedef struct {
  HsObject  base;
  HsObject *iter;
  int64_t   index;
} HsEnumerate;

static HsObject *
enumerate_new (HsVm *vm, HsType *cls, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  static const char *const allowed[] = { "iterable", "start", NULL };
  size_t npos = hs_npos (nargs, kwnames);
  HsObject *iterable = npos > 0 ? args[0] : hs_kwarg (args, nargs, kwnames, "iterable");
  HsObject *start = npos > 1 ? args[1] : hs_kwarg (args, nargs, kwnames, "start");
  HsEnumerate *e;
  HsObject *it;
  int64_t s = 0;

  if (hs_check_kwargs (vm, "enumerate", kwnames, allowed) < 0)
    return NULL;
  if (npos > 2)
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR),
                     "enumerate() takes at most 2 arguments (%zu given)", nargs);
      return NULL;
    }
  if (iterable == NULL)
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "enumerate() missing required argument 'iterable'");
      return NULL;
    }
  if (start != NULL && hs_index_value (vm, start, &s) < 0)
    return NULL;
  it = hs_object_iter (vm, iterable);
  if (it == NULL)
    return NULL;
  e = hs_object_alloc (vm, cls, sizeof (HsEnumerate));
  if (e == NULL)
    {
      hs_decref (vm, it);
      return NULL;
    }
  e->index = s;
  hs_slot_init (vm, &e->iter, it, HS_HOLDER_INTERNAL, e->base.id, 0, "iterable");
  hs_gc_track (vm, &e->base);
  return &e->base;
}

static HsObject *
enumerate_next (HsVm *vm, HsObject *self)
{
  HsEnumerate *e = (HsEnumerate *) self;
  HsObject *item, *idx, *t;

  if (e->iter == NULL)
    return NULL;
  item = hs_iter_next (vm, e->iter);
  if (item == NULL)
    return NULL;
  idx = hs_int_from_i64 (vm, e->index);
  if (idx == NULL)
    {
      hs_decref (vm, item);
      return NULL;
    }
  e->index++;
  t = hs_tuple_new (vm, 2);
  if (t == NULL)
    {
      hs_decref (vm, item);
      hs_decref (vm, idx);
      return NULL;
    }
  hs_tuple_init_item (vm, t, 0, idx);
  hs_tuple_init_item (vm, t, 1, item);
  return t;
}

static void
enumerate_dealloc (HsVm *vm, HsObject *self)
{
  hs_slot_clear (vm, &((HsEnumerate *) self)->iter, HS_HOLDER_INTERNAL, self->id, 0, "iterable");
  hs_object_free (vm, self);
}

static int
enumerate_traverse (HsObject *self, HsVisitProc visit, void *arg)
{
  HsEnumerate *e = (HsEnumerate *) self;
  return e->iter ? visit (e->iter, arg) : 0;
}

static void
enumerate_clear (HsVm *vm, HsObject *self)
{
  hs_slot_clear (vm, &((HsEnumerate *) self)->iter, HS_HOLDER_INTERNAL, self->id, 0, "iterable");
}

/* ---- zip and map: n iterators (map also a function in slot 0) ----------------------- */

typedef struct {
  HsObject  base;
  HsObject *func;     /* map only */
  bool      strict;   /* zip(strict=True) */
  size_t    n;
  HsObject *iters[];
} HsMulti;

static HsMulti *
multi_new (HsVm *vm, HsType *cls, HsObject *func, HsObject *const *iterables, size_t n)
{
  HsMulti *m = hs_object_alloc (vm, cls, sizeof (HsMulti) + n * sizeof (HsObject *));

  if (m == NULL)
    return NULL;
  m->func = NULL;
  m->strict = false;
  m->n = 0;
  if (func != NULL)
    hs_slot_init (vm, &m->func, hs_incref (func), HS_HOLDER_INTERNAL, m->base.id, 0, "function");
  for (size_t i = 0; i < n; i++)
    {
      HsObject *it = hs_object_iter (vm, iterables[i]);
      if (it == NULL)
        {
          hs_decref (vm, &m->base);
          return NULL;
        }
      hs_slot_init (vm, &m->iters[i], it, HS_HOLDER_INTERNAL, m->base.id, i + 1, "iterable");
      m->n = i + 1;
    }
  hs_gc_track (vm, &m->base);
  return m;
}

static void
multi_clear (HsVm *vm, HsObject *self)
{
  HsMulti *m = (HsMulti *) self;

  hs_slot_clear (vm, &m->func, HS_HOLDER_INTERNAL, self->id, 0, "function");
  for (size_t i = m->n; i-- > 0;)
    hs_slot_clear (vm, &m->iters[i], HS_HOLDER_INTERNAL, self->id, i + 1, "iterable");
}

static void
multi_dealloc (HsVm *vm, HsObject *self)
{
  multi_clear (vm, self);
  hs_object_free (vm, self);
}

static int
multi_traverse (HsObject *self, HsVisitProc visit, void *arg)
{
  HsMulti *m = (HsMulti *) self;
  int r;

  if (m->func != NULL && (r = visit (m->func, arg)) != 0)
    return r;
  for (size_t i = 0; i < m->n; i++)
    if (m->iters[i] != NULL && (r = visit (m->iters[i], arg)) != 0)
      return r;
  return 0;
}

static HsObject *
zip_new (HsVm *vm, HsType *cls, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  static const char *const allowed[] = { "strict", NULL };
  size_t npos = hs_npos (nargs, kwnames);
  HsObject *strict = hs_kwarg (args, nargs, kwnames, "strict");
  HsMulti *m;
  int truth = 0;

  if (hs_check_kwargs (vm, "zip", kwnames, allowed) < 0)
    return NULL;
  if (strict != NULL && (truth = hs_object_is_true (vm, strict)) < 0)
    return NULL;
  m = multi_new (vm, cls, NULL, args, npos);
  if (m != NULL)
    m->strict = truth != 0;
  return m ? &m->base : NULL;
}

static HsObject *
zip_next (HsVm *vm, HsObject *self)
{
  HsMulti *m = (HsMulti *) self;
  HsObject *t;

  if (m->n == 0)
    return NULL;
  t = hs_tuple_new (vm, m->n);
  if (t == NULL)
    return NULL;
  for (size_t i = 0; i < m->n; i++)
    {
      HsObject *x = m->iters[i] ? hs_iter_next (vm, m->iters[i]) : NULL;
      if (x == NULL)
        {
          if (m->strict && !hs_err_occurred (vm))
            {
              if (i > 0)
                hs_err_format (vm, HS_EXC (vm, VALUE_ERROR), "zip() argument %zu is shorter than argument%s%zu",
                               i + 1, i == 1 ? " " : "s 1-", i);
              else
                for (size_t j = 1; j < m->n; j++)
                  {
                    HsObject *y = hs_iter_next (vm, m->iters[j]);
                    if (y != NULL)
                      {
                        hs_decref (vm, y);
                        hs_err_format (vm, HS_EXC (vm, VALUE_ERROR),
                                       "zip() argument %zu is longer than argument%s%zu",
                                       j + 1, j == 1 ? " " : "s 1-", j);
                        break;
                      }
                    if (hs_err_occurred (vm))
                      break;
                  }
            }
          /* fill the rest so the half-built tuple can be released */
          for (size_t j = i; j < m->n; j++)
            hs_tuple_init_item (vm, t, j, hs_incref (vm->none));
          hs_decref (vm, t);
          return NULL;
        }
      hs_tuple_init_item (vm, t, i, x);
    }
  return t;
}

static HsObject *
map_new (HsVm *vm, HsType *cls, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  HsMulti *m;

  if (kwnames != NULL && hs_tuple_size (kwnames) > 0)
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "map() takes no keyword arguments");
      return NULL;
    }
  if (nargs < 2)
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "map() must have at least two arguments.");
      return NULL;
    }
  m = multi_new (vm, cls, args[0], args + 1, nargs - 1);
  return m ? &m->base : NULL;
}

/* The items map() and filter() pass to their function are held in C while the
 * function runs: each is published as an internal slot of the iterator
 * ("current item", after the function and iterable slots). */
static inline uint64_t
current_item_slot (const HsMulti *m, size_t i)
{
  return m->n + 1 + i;
}

static HsObject *
map_next (HsVm *vm, HsObject *self)
{
  HsMulti *m = (HsMulti *) self;
  HsObject *local[8], **items = local, *r = NULL;
  size_t got = 0;

  if (m->n > 8)
    {
      items = hs_mem_alloc (vm, m->n * sizeof (HsObject *));
      if (items == NULL)
        return NULL;
    }
  for (; got < m->n; got++)
    {
      HsObject *x = m->iters[got] ? hs_iter_next (vm, m->iters[got]) : NULL;
      if (x == NULL)
        goto out;
      hs_slot_init (vm, &items[got], x, HS_HOLDER_INTERNAL, self->id, current_item_slot (m, got),
                    "current item");
    }
  r = hs_object_call (vm, m->func, items, m->n, NULL);
out:
  for (size_t i = got; i-- > 0;)
    hs_slot_clear (vm, &items[i], HS_HOLDER_INTERNAL, self->id, current_item_slot (m, i),
                   "current item");
  if (items != local)
    hs_mem_free (vm, items, m->n * sizeof (HsObject *));
  return r;
}

/* ---- filter --------------------------------------------------------------------------- */

static HsObject *
filter_new (HsVm *vm, HsType *cls, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  HsMulti *m;

  if (hs_check_no_kwargs (vm, "filter()", kwnames) < 0
      || hs_check_nargs (vm, "filter", nargs, 2, 2) < 0)
    return NULL;
  m = multi_new (vm, cls, args[0], args + 1, 1);
  return m ? &m->base : NULL;
}

static HsObject *
filter_next (HsVm *vm, HsObject *self)
{
  HsMulti *m = (HsMulti *) self;
  const uint64_t slot = current_item_slot (m, 0);

  for (;;)
    {
      HsObject *x = m->iters[0] ? hs_iter_next (vm, m->iters[0]) : NULL;
      int ok;
      if (x == NULL)
        return NULL;
      hs_slot_init (vm, &x, x, HS_HOLDER_INTERNAL, self->id, slot, "current item");
      if (m->func == vm->none || m->func == (HsObject *) HS_T (vm, BOOL))
        ok = hs_object_is_true (vm, x);
      else
        {
          HsObject *r = hs_object_call (vm, m->func, &x, 1, NULL);
          if (r == NULL)
            ok = -1;
          else
            {
              ok = hs_object_is_true (vm, r);
              hs_decref (vm, r);
            }
        }
      /* Moved out of the slot: returned, or released below. */
      HS_REF (vm, HS_HOLDER_INTERNAL, self->id, slot, "current item", x, NULL);
      if (ok > 0)
        return x;
      hs_decref (vm, x);
      if (ok < 0)
        return NULL;
    }
}

/* ---- types ------------------------------------------------------------------------------ */

static const HsType seqiter_tmpl = {
  .name = "iterator",
  .flags = HS_TPFLAG_GC,
  .basic_size = sizeof (HsIterObj),
  .dealloc = hs_iterobj_dealloc,
  .traverse = hs_iterobj_traverse,
  .clear = hs_iterobj_clear,
  .iter = hs_iter_self,
  .iternext = seqiter_next,
};

static const HsType reversed_tmpl = {
  .name = "reversed",
  .flags = HS_TPFLAG_GC | HS_TPFLAG_BASETYPE,
  .basic_size = sizeof (HsIterObj),
  .dealloc = hs_iterobj_dealloc,
  .traverse = hs_iterobj_traverse,
  .clear = hs_iterobj_clear,
  .iter = hs_iter_self,
  .iternext = reversed_next,
  .new_ = reversed_new,
};

static const HsType enumerate_tmpl = {
  .name = "enumerate",
  .flags = HS_TPFLAG_GC | HS_TPFLAG_BASETYPE,
  .basic_size = sizeof (HsEnumerate),
  .dealloc = enumerate_dealloc,
  .traverse = enumerate_traverse,
  .clear = enumerate_clear,
  .iter = hs_iter_self,
  .iternext = enumerate_next,
  .new_ = enumerate_new,
};

static const HsType zip_tmpl = {
  .name = "zip",
  .flags = HS_TPFLAG_GC | HS_TPFLAG_BASETYPE,
  .basic_size = sizeof (HsMulti),
  .dealloc = multi_dealloc,
  .traverse = multi_traverse,
  .clear = multi_clear,
  .iter = hs_iter_self,
  .iternext = zip_next,
  .new_ = zip_new,
};

static const HsType map_tmpl = {
  .name = "map",
  .flags = HS_TPFLAG_GC | HS_TPFLAG_BASETYPE,
  .basic_size = sizeof (HsMulti),
  .dealloc = multi_dealloc,
  .traverse = multi_traverse,
  .clear = multi_clear,
  .iter = hs_iter_self,
  .iternext = map_next,
  .new_ = map_new,
};

static const HsType filter_tmpl = {
  .name = "filter",
  .flags = HS_TPFLAG_GC | HS_TPFLAG_BASETYPE,
  .basic_size = sizeof (HsMulti),
  .dealloc = multi_dealloc,
  .traverse = multi_traverse,
  .clear = multi_clear,
  .iter = hs_iter_self,
  .iternext = filter_next,
  .new_ = filter_new,
};

void
hs_iter_types_init (HsVm *vm)
{
  hs_register (vm, HS_T_SEQ_ITER, &seqiter_tmpl);
  hs_register (vm, HS_T_REVERSED, &reversed_tmpl);
  hs_register (vm, HS_T_ENUMERATE, &enumerate_tmpl);
  hs_register (vm, HS_T_ZIP, &zip_tmpl);
  hs_register (vm, HS_T_MAP, &map_tmpl);
  hs_register (vm, HS_T_FILTER, &filter_tmpl);
}
