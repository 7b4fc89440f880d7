/* hs-list.c — list, its iterators, and list.sort (a stable merge sort). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <string.h>

#include "hs-containers.h"

HsObject *hs_seq_richcompare (HsVm *vm, HsObject *const *a, size_t na, HsObject *const *b,
                              size_t nb, HsCompareOp op);
int hs_seq_index_bounds (HsVm *vm, HsObject *const *args, size_t nargs, int64_t len,
                         int64_t *start, int64_t *stop);

#define L(o) ((HsList *) (o))

/* ---- storage ------------------------------------------------------------------- */

static bool
items_realloc (HsVm *vm, HsList *l, size_t newcap)
{
  HsObject **p;

  if (newcap == l->capacity)
    return true;
  if (newcap == 0)
    {
      hs_mem_free (vm, l->items, l->capacity * sizeof (HsObject *));
      l->items = NULL;
      l->capacity = 0;
      return true;
    }
  if (l->items == NULL)
    p = hs_mem_alloc (vm, newcap * sizeof (HsObject *));
  else
    p = hs_mem_realloc (vm, l->items, l->capacity * sizeof (HsObject *),
                        newcap * sizeof (HsObject *));
  if (p == NULL)
    return false;
  l->items = p;
  l->capacity = newcap;
  return true;
}

/* CPython's list_resize: the same over-allocation, so sys.getsizeof agrees.  Sets size. */
static int
list_resize (HsVm *vm, HsList *l, size_t newsize)
{
  size_t alloc = l->capacity, new_alloc;

  if (alloc >= newsize && newsize >= (alloc >> 1))
    {
      l->size = newsize;
      return 0;
    }
  new_alloc = (newsize + (newsize >> 3) + 6) & ~(size_t) 3;
  if ((int64_t) newsize - (int64_t) l->size > (int64_t) (new_alloc - newsize))
    new_alloc = (newsize + 3) & ~(size_t) 3;
  if (newsize == 0)
    new_alloc = 0;
  if (!items_realloc (vm, l, new_alloc))
    return -1;
  l->size = newsize;
  return 0;
}

/* 3.11's list_preallocate_exact: an even number of slots. */
static int
list_prealloc_exact (HsVm *vm, HsList *l, size_t n)
{
  return items_realloc (vm, l, (n + 1) & ~(size_t) 1) ? 0 : -1;
}

static HsList *
list_alloc (HsVm *vm, HsType *type, size_t cap)
{
  HsList *l = hs_object_alloc (vm, type, type->basic_size > sizeof (HsList)
                                         ? type->basic_size : sizeof (HsList));

  if (l == NULL)
    return NULL;
  l->size = 0;
  l->capacity = 0;
  l->items = NULL;
  if (cap > 0 && !items_realloc (vm, l, cap))
    {
      hs_object_free (vm, &l->base);
      return NULL;
    }
  hs_gc_track (vm, &l->base);
  return l;
}

HsObject *
hs_list_new (HsVm *vm, size_t capacity)
{
  HsList *l = list_alloc (vm, HS_T (vm, LIST), capacity);
  return l ? &l->base : NULL;
}

HsObject *
hs_list_from_array (HsVm *vm, HsObject *const *items, size_t n)
{
  HsList *l = list_alloc (vm, HS_T (vm, LIST), n);

  if (l == NULL)
    return NULL;
  for (size_t i = 0; i < n; i++)
    {
      l->items[i] = hs_incref (items[i]);
      l->size = i + 1;
      HS_REF (vm, HS_HOLDER_ITEM, l->base.id, i, NULL, NULL, items[i]);
    }
  return &l->base;
}

int
hs_list_append (HsVm *vm, HsObject *list, HsObject *item)
{
  HsList *l = L (list);
  size_t n = l->size;

  if (HS_LIKELY (n < l->capacity))
    l->size = n + 1;
  else if (list_resize (vm, l, n + 1) < 0)
    return -1;
  l->items[n] = hs_incref (item);
  HS_REF (vm, HS_HOLDER_ITEM, list->id, n, NULL, NULL, item);
  return 0;
}

int
hs_list_set_item (HsVm *vm, HsObject *list, size_t i, HsObject *item)
{
  HsList *l = L (list);

  if (i >= l->size)
    {
      hs_err_format (vm, HS_EXC (vm, INDEX_ERROR), "list assignment index out of range");
      return -1;
    }
  hs_slot_store (vm, &l->items[i], hs_incref (item), HS_HOLDER_ITEM, list->id, i, NULL);
  return 0;
}

/* Moves slot contents one step right from `where`, making room for a new item. */
int
hs_list_insert (HsVm *vm, HsObject *list, int64_t where, HsObject *item)
{
  HsList *l = L (list);
  int64_t n = (int64_t) l->size;

  if (where < 0)
    {
      where += n;
      if (where < 0)
        where = 0;
    }
  if (where > n)
    where = n;
  if (list_resize (vm, l, (size_t) n + 1) < 0)
    return -1;
  if (!hs_hooked (vm, HS_EV_REF))
    {
      memmove (&l->items[where + 1], &l->items[where], (size_t) (n - where) * sizeof (HsObject *));
      l->items[where] = hs_incref (item);
      return 0;
    }
  /* Published slot by slot from the end, so every object enters its new slot before
   * it leaves the old one and each event's counts are exact. */
  l->items[n] = NULL;
  for (int64_t j = n; j > where; j--)
    {
      HsObject *o = l->items[j], *v = hs_incref (l->items[j - 1]);
      l->items[j] = v;
      hs_emit_ref (vm, HS_HOLDER_ITEM, list->id, (uint64_t) j, NULL, o, v);
      if (o != NULL)
        hs_decref (vm, o);
    }
  {
    HsObject *o = where < n ? l->items[where] : NULL;
    l->items[where] = hs_incref (item);
    hs_emit_ref (vm, HS_HOLDER_ITEM, list->id, (uint64_t) where, NULL, o, item);
    if (o != NULL)
      hs_decref (vm, o);
  }
  return 0;
}

/* Removes the item at i and returns it (the list's reference, now the caller's). */
static HsObject *
list_take (HsVm *vm, HsList *l, size_t i)
{
  size_t n = l->size;
  HsObject *item = l->items[i];

  if (!hs_hooked (vm, HS_EV_REF))
    {
      memmove (&l->items[i], &l->items[i + 1], (n - i - 1) * sizeof (HsObject *));
      list_resize (vm, l, n - 1);   /* shrinking cannot fail */
      return item;
    }
  /* the removed slot's reference passes to the caller: no decref for it */
  for (size_t j = i; j + 1 < n; j++)
    {
      HsObject *o = l->items[j], *v = hs_incref (l->items[j + 1]);
      l->items[j] = v;
      hs_emit_ref (vm, HS_HOLDER_ITEM, l->base.id, j, NULL, o, v);
      if (j != i)
        hs_decref (vm, o);
    }
  {
    HsObject *o = l->items[n - 1];
    l->items[n - 1] = NULL;
    l->size = n - 1;
    hs_emit_ref (vm, HS_HOLDER_ITEM, l->base.id, n - 1, NULL, o, NULL);
    list_resize (vm, l, n - 1);
    if (i != n - 1)
      hs_decref (vm, o);
  }
  return item;
}

/* Publishes a permutation of the items (sort, reverse): old[] is the previous order.
 * Refcounts are adjusted by hand, never reaching dealloc, since every object stays. */
static void
list_publish_permutation (HsVm *vm, HsList *l, HsObject **old)
{
  for (size_t j = 0; j < l->size; j++)
    if (old[j] != l->items[j])
      {
        l->items[j]->refcnt++;
        hs_emit_ref (vm, HS_HOLDER_ITEM, l->base.id, j, NULL, old[j], l->items[j]);
        old[j]->refcnt--;
      }
}

/* Replaces items [lo, hi) by n items (borrowed), as list_ass_slice.  Events are
 * published slot by slot in the direction the tail moves, with real refcounts. */
static int
list_ass_slice (HsVm *vm, HsList *l, size_t lo, size_t hi, HsObject *const *v, size_t n)
{
  size_t old_size = l->size, new_size = old_size - (hi - lo) + n;
  size_t tail = old_size - hi;
  HsObject **target;
  size_t span, bytes;

  if (lo == hi && n == 0)
    return 0;
  /* the final contents of slots [lo, new_size) */
  span = new_size - lo;
  bytes = span * sizeof (HsObject *);
  target = span ? hs_mem_alloc (vm, bytes) : NULL;
  if (span && target == NULL)
    return -1;
  for (size_t i = 0; i < n; i++)
    target[i] = v[i];
  for (size_t i = 0; i < tail; i++)
    target[n + i] = l->items[hi + i];
  /* the caller keeps v's items alive (a published temporary) */
  if (new_size > old_size && list_resize (vm, l, new_size) < 0)
    {
      hs_mem_free (vm, target, bytes);
      return -1;
    }
  l->size = old_size > new_size ? old_size : new_size;
  {
    size_t top = l->size;
    bool grow = new_size > old_size;
    for (size_t k = 0; k < top - lo; k++)
      {
        size_t j = grow ? top - 1 - k : lo + k;
        HsObject *o = j < old_size ? l->items[j] : NULL;
        HsObject *nv = j < new_size ? target[j - lo] : NULL;
        if (o == nv)
          continue;
        if (nv != NULL)
          hs_incref (nv);
        l->items[j] = nv;
        HS_REF (vm, HS_HOLDER_ITEM, l->base.id, j, NULL, o, nv);
        if (o != NULL)
          hs_decref (vm, o);
      }
  }
  if (span)
    hs_mem_free (vm, target, bytes);
  list_resize (vm, l, new_size);
  return 0;
}

int
hs_list_extend (HsVm *vm, HsObject *list, HsObject *iterable)
{
  HsList *l = L (list);

  if (HS_IS_TYPE (vm, iterable, LIST) || HS_IS_TYPE (vm, iterable, TUPLE))
    {
      bool is_list = HS_IS_TYPE (vm, iterable, LIST);
      size_t n = is_list ? L (iterable)->size : hs_tuple_size (iterable);
      size_t m = l->size;
      if (n == 0)
        return 0;
      if (l->items == NULL)
        {
          if (list_prealloc_exact (vm, l, n) < 0)
            return -1;
          l->size = n;
        }
      else if (list_resize (vm, l, m + n) < 0)
        return -1;
      for (size_t i = 0; i < n; i++)
        {
          HsObject *o = is_list ? L (iterable)->items[i] : hs_tuple_item (iterable, i);
          l->items[m + i] = hs_incref (o);
          HS_REF (vm, HS_HOLDER_ITEM, list->id, m + i, NULL, NULL, o);
        }
      return 0;
    }
  {
    HsObject *it = hs_object_iter (vm, iterable), *x;
    int64_t hint = 8;
    if (it == NULL)
      return -1;
    if (iterable->type->len != NULL)
      {
        hint = iterable->type->len (vm, iterable);
        if (hint < 0)
          {
            hs_err_clear (vm);
            hint = 8;
          }
      }
    else if (HS_IS_TYPE (vm, it, LIST_ITER) || HS_IS_TYPE (vm, it, TUPLE_ITER))
      {
        HsIterObj *io = (HsIterObj *) it;
        hint = io->seq == NULL ? 0
               : (int64_t) (HS_IS_TYPE (vm, it, LIST_ITER) ? L (io->seq)->size
                                                          : hs_tuple_size (io->seq)) - io->index;
        if (hint < 0)
          hint = 0;
      }
    if (l->items == NULL)
      {
        if (hint > 0 && list_prealloc_exact (vm, l, (size_t) hint) < 0)
          goto fail;
      }
    else
      {
        size_t m = l->size;
        if (list_resize (vm, l, m + (size_t) hint) < 0)
          goto fail;
        l->size = m;
      }
    while ((x = hs_iter_next (vm, it)) != NULL)
      {
        size_t n = l->size;
        if (n < l->capacity)
          l->size = n + 1;
        else if (list_resize (vm, l, n + 1) < 0)
          {
            hs_decref (vm, x);
            goto fail;
          }
        l->items[n] = x;
        HS_REF (vm, HS_HOLDER_ITEM, list->id, n, NULL, NULL, x);
      }
    if (hs_err_occurred (vm))
      goto fail;
    hs_decref (vm, it);
    if (l->size < l->capacity)
      list_resize (vm, l, l->size);
    return 0;
  fail:
    hs_decref (vm, it);
    return -1;
  }
}

/* ---- slots ------------------------------------------------------------------------ */

static void
list_clear_items (HsVm *vm, HsList *l)
{
  /* As CPython: release last to first. */
  while (l->size > 0)
    {
      size_t i = --l->size;
      HsObject *o = l->items[i];
      l->items[i] = NULL;
      HS_REF (vm, HS_HOLDER_ITEM, l->base.id, i, NULL, o, NULL);
      hs_decref (vm, o);
    }
  items_realloc (vm, l, 0);
}

static void
list_dealloc (HsVm *vm, HsObject *self)
{
  list_clear_items (vm, L (self));
  hs_object_free (vm, self);
}

static int
list_traverse (HsObject *self, HsVisitProc visit, void *arg)
{
  HsList *l = L (self);

  for (size_t i = 0; i < l->size; i++)
    if (l->items[i] != NULL)
      {
        int r = visit (l->items[i], arg);
        if (r != 0)
          return r;
      }
  return 0;
}

static void
list_clear (HsVm *vm, HsObject *self)
{
  list_clear_items (vm, L (self));
}

static HsObject *
list_repr (HsVm *vm, HsObject *self)
{
  HsList *l = L (self);
  HsBuf b;
  int r;

  if (l->size == 0)
    return hs_str_from_cstr (vm, "[]");
  r = hs_repr_enter (vm, self);
  if (r != 0)
    return r > 0 ? hs_str_from_cstr (vm, "[...]") : NULL;
  hs_buf_init (&b);
  hs_buf_add (vm, &b, "[", 1);
  for (size_t i = 0; i < l->size; i++)
    {
      HsObject *item = l->items[i], *s;
      if (i > 0 && !hs_buf_add (vm, &b, ", ", 2))
        goto fail;
      s = hs_object_repr (vm, item);
      if (s == NULL)
        goto fail;
      if (!hs_buf_add_str (vm, &b, s))
        {
          hs_decref (vm, s);
          goto fail;
        }
      hs_decref (vm, s);
    }
  if (!hs_buf_add (vm, &b, "]", 1))
    goto fail;
  hs_repr_leave (vm, self);
  return hs_buf_finish (vm, &b);

fail:
  hs_repr_leave (vm, self);
  hs_buf_free (vm, &b);
  return NULL;
}

static HsObject *
list_richcompare (HsVm *vm, HsObject *self, HsObject *other, HsCompareOp op)
{
  if (!HS_IS_SUBTYPE (vm, other, LIST) || !HS_IS_SUBTYPE (vm, self, LIST))
    return hs_not_implemented (vm);
  return hs_seq_richcompare (vm, L (self)->items, L (self)->size, L (other)->items,
                             L (other)->size, op);
}

static HsObject *
list_repeat (HsVm *vm, HsList *l, int64_t n)
{
  HsList *r;
  size_t k = 0, size = l->size;

  if (n <= 0 || size == 0)
    return hs_list_new (vm, 0);
  if ((uint64_t) n > (SIZE_MAX / 16) / size)
    return hs_err_no_memory (vm);
  r = list_alloc (vm, HS_T (vm, LIST), size * (size_t) n);
  if (r == NULL)
    return NULL;
  for (int64_t j = 0; j < n; j++)
    for (size_t i = 0; i < size; i++, k++)
      {
        r->items[k] = hs_incref (l->items[i]);
        r->size = k + 1;
        HS_REF (vm, HS_HOLDER_ITEM, r->base.id, k, NULL, NULL, l->items[i]);
      }
  return &r->base;
}

static bool
is_index_like (HsVm *vm, HsObject *o)
{
  return HS_IS_SUBTYPE (vm, o, INT) || HS_IS_SUBTYPE (vm, o, BOOL);
}

static HsObject *
list_binary (HsVm *vm, HsObject *left, HsObject *right, HsBinaryOp op)
{
  if (op == HS_BINOP_ADD && HS_IS_SUBTYPE (vm, left, LIST) && HS_IS_SUBTYPE (vm, right, LIST))
    {
      HsList *a = L (left), *b = L (right), *r;
      size_t n = a->size + b->size;
      r = list_alloc (vm, HS_T (vm, LIST), n);
      if (r == NULL)
        return NULL;
      for (size_t i = 0; i < n; i++)
        {
          HsObject *o = i < a->size ? a->items[i] : b->items[i - a->size];
          r->items[i] = hs_incref (o);
          r->size = i + 1;
          HS_REF (vm, HS_HOLDER_ITEM, r->base.id, i, NULL, NULL, o);
        }
      return &r->base;
    }
  if (op == HS_BINOP_MUL)
    {
      HsObject *seq = HS_IS_SUBTYPE (vm, left, LIST) ? left : right;
      HsObject *n = seq == left ? right : left;
      int64_t k;
      if (is_index_like (vm, n))
        {
          if (hs_index_value (vm, n, &k) < 0)
            return NULL;
          return list_repeat (vm, L (seq), k);
        }
    }
  return hs_not_implemented (vm);
}

static HsObject *
list_inplace (HsVm *vm, HsObject *left, HsObject *right, HsBinaryOp op)
{
  HsList *l = L (left);

  if (!HS_IS_SUBTYPE (vm, left, LIST))
    return hs_not_implemented (vm);
  if (op == HS_BINOP_ADD)
    {
      if (hs_list_extend (vm, left, right) < 0)
        return NULL;
      return hs_incref (left);
    }
  if (op == HS_BINOP_MUL && is_index_like (vm, right))
    {
      int64_t k;
      size_t size = l->size;
      if (hs_index_value (vm, right, &k) < 0)
        return NULL;
      if (k <= 0 || size == 0)
        {
          list_clear_items (vm, l);
          return hs_incref (left);
        }
      if ((uint64_t) k > (SIZE_MAX / 16) / size)
        return hs_err_no_memory (vm);
      if (list_resize (vm, l, size * (size_t) k) < 0)
        return NULL;
      for (size_t i = size; i < l->size; i++)
        {
          HsObject *o = l->items[i % size];
          l->items[i] = hs_incref (o);
          HS_REF (vm, HS_HOLDER_ITEM, left->id, i, NULL, NULL, o);
        }
      return hs_incref (left);
    }
  return hs_not_implemented (vm);
}

static int64_t
list_len (HsVm *vm, HsObject *self)
{
  (void) vm;
  return (int64_t) L (self)->size;
}

static HsObject *
list_getitem (HsVm *vm, HsObject *self, HsObject *key)
{
  HsList *l = L (self);

  if (HS_LIKELY (HS_IS_TYPE (vm, key, INT)) || is_index_like (vm, key))
    {
      int64_t i = hs_int_value (key);
      if (i < 0)
        i += (int64_t) l->size;
      if ((uint64_t) i >= l->size)
        {
          hs_err_format (vm, HS_EXC (vm, INDEX_ERROR), "list index out of range");
          return NULL;
        }
      return hs_incref (l->items[i]);
    }
  if (HS_IS_TYPE (vm, key, SLICE))
    {
      int64_t start, stop, step, n;
      HsList *r;
      if (hs_slice_indices (vm, key, (int64_t) l->size, &start, &stop, &step, &n) < 0)
        return NULL;
      r = list_alloc (vm, HS_T (vm, LIST), (size_t) n);
      if (r == NULL)
        return NULL;
      for (int64_t i = 0, j = start; i < n; i++, j += step)
        {
          r->items[i] = hs_incref (l->items[j]);
          r->size = (size_t) i + 1;
          HS_REF (vm, HS_HOLDER_ITEM, r->base.id, (uint64_t) i, NULL, NULL, l->items[j]);
        }
      return &r->base;
    }
  hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "list indices must be integers or slices, not %s",
                 hs_object_type_name (key));
  return NULL;
}

static int
list_setslice (HsVm *vm, HsList *l, HsObject *slice, HsObject *value)
{
  int64_t start, stop, step, n;
  HsObject *seq = NULL;
  HsObject *const *v = NULL;
  size_t nv = 0;
  int rc = -1;

  if (hs_slice_indices (vm, slice, (int64_t) l->size, &start, &stop, &step, &n) < 0)
    return -1;
  if (value != NULL)
    {
      /* a copy first: l[:] = l, and any iterable */
      if (HS_IS_TYPE (vm, value, TUPLE))
        seq = hs_incref (value);
      else
        seq = hs_sequence_list (vm, value);
      if (seq == NULL)
        return -1;
      if (HS_IS_TYPE (vm, seq, TUPLE))
        {
          v = ((HsTuple *) seq)->items;
          nv = hs_tuple_size (seq);
        }
      else
        {
          v = L (seq)->items;
          nv = L (seq)->size;
        }
    }
  if (step == 1)
    {
      if (stop < start)
        stop = start;
      rc = list_ass_slice (vm, l, (size_t) start, (size_t) stop, v, nv);
    }
  else if (value != NULL)
    {
      if ((int64_t) nv != n)
        {
          hs_err_format (vm, HS_EXC (vm, VALUE_ERROR),
                         "attempt to assign sequence of size %zu to extended slice of size %lld",
                         nv, (long long) n);
          goto out;
        }
      for (int64_t i = 0, j = start; i < n; i++, j += step)
        hs_slot_store (vm, &l->items[j], hs_incref (v[i]), HS_HOLDER_ITEM, l->base.id,
                       (uint64_t) j, NULL);
      rc = 0;
    }
  else
    {
      /* extended deletion: compact the survivors to the left, in order; they are
       * held by a temporary list meanwhile */
      HsObject *keep;
      if (n == 0)
        {
          rc = 0;
          goto out;
        }
      if (step < 0)
        {
          start = start + step * (n - 1);
          step = -step;
        }
      keep = hs_list_new (vm, l->size - (size_t) n);
      if (keep == NULL)
        goto out;
      for (int64_t j = 0, k = 0; j < (int64_t) l->size; j++)
        {
          if (k < n && j == start + k * step)
            {
              k++;
              continue;
            }
          hs_list_append (vm, keep, l->items[j]);
        }
      rc = list_ass_slice (vm, l, 0, l->size, L (keep)->items, L (keep)->size);
      hs_decref (vm, keep);
    }
out:
  if (seq != NULL)
    hs_decref (vm, seq);
  return rc;
}

static int
list_setitem (HsVm *vm, HsObject *self, HsObject *key, HsObject *value)
{
  HsList *l = L (self);

  if (is_index_like (vm, key))
    {
      int64_t i = hs_int_value (key);
      if (i < 0)
        i += (int64_t) l->size;
      if ((uint64_t) i >= l->size)
        {
          hs_err_format (vm, HS_EXC (vm, INDEX_ERROR), "list assignment index out of range");
          return -1;
        }
      if (value == NULL)
        {
          hs_decref (vm, list_take (vm, l, (size_t) i));
          return 0;
        }
      hs_slot_store (vm, &l->items[i], hs_incref (value), HS_HOLDER_ITEM, self->id,
                     (uint64_t) i, NULL);
      return 0;
    }
  if (HS_IS_TYPE (vm, key, SLICE))
    return list_setslice (vm, l, key, value);
  hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "list indices must be integers or slices, not %s",
                 hs_object_type_name (key));
  return -1;
}

static int
list_contains (HsVm *vm, HsObject *self, HsObject *item)
{
  HsList *l = L (self);

  for (size_t i = 0; i < l->size; i++)
    {
      int k = hs_eq_fast (vm, l->items[i], item);
      if (k != 0)
        return k;
    }
  return 0;
}

static HsObject *
list_iter (HsVm *vm, HsObject *self)
{
  return hs_iterobj_new (vm, HS_T_LIST_ITER, self, 0);
}

HsObject *
hs_list_reversed_iter (HsVm *vm, HsObject *list)
{
  return hs_iterobj_new (vm, HS_T_LIST_REVITER, list, (int64_t) L (list)->size - 1);
}

static HsObject *
listiter_next (HsVm *vm, HsObject *self)
{
  HsIterObj *it = (HsIterObj *) self;
  HsList *l = L (it->seq);

  if (l == NULL)
    return NULL;
  if ((size_t) it->index < l->size)
    return hs_incref (l->items[it->index++]);
  hs_iterobj_exhaust (vm, it);
  return NULL;
}

static HsObject *
listreviter_next (HsVm *vm, HsObject *self)
{
  HsIterObj *it = (HsIterObj *) self;
  HsList *l = L (it->seq);

  if (l == NULL)
    return NULL;
  if (it->index >= 0 && (size_t) it->index < l->size)
    return hs_incref (l->items[it->index--]);
  hs_iterobj_exhaust (vm, it);
  return NULL;
}

static HsObject *
list_new (HsVm *vm, HsType *cls, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  HsList *l;

  if (kwnames != NULL && hs_tuple_size (kwnames) > 0)
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "list() takes no keyword arguments");
      return NULL;
    }
  if (hs_check_nargs (vm, "list", nargs, 0, 1) < 0)
    return NULL;
  l = list_alloc (vm, cls, 0);
  if (l == NULL)
    return NULL;
  if (nargs == 1 && hs_list_extend (vm, &l->base, args[0]) < 0)
    {
      hs_decref (vm, &l->base);
      return NULL;
    }
  return &l->base;
}

static void
list_describe (HsVm *vm, HsObject *self, char *buf, size_t cap)
{
  size_t n = L (self)->size;

  (void) vm;
  if (n == 0)
    snprintf (buf, cap, "[]");
  else
    snprintf (buf, cap, "[%zu item%s]", n, n == 1 ? "" : "s");
}

static size_t
list_size_of (HsObject *self)
{
  return 40 + 8 * L (self)->capacity;
}

/* ---- sort --------------------------------------------------------------------------- */

typedef struct {
  HsObject *key;
  HsObject *value;
} SortPair;

/* a < b, with the common exact-type cases done inline */
static int
sort_lt (HsVm *vm, HsObject *a, HsObject *b)
{
  HsType *t = a->type;

  if (t == b->type)
    {
      if (t == HS_T (vm, INT))
        return hs_int_value (a) < hs_int_value (b);
      if (t == HS_T (vm, STR))
        {
          size_t na = hs_str_size (a), nb = hs_str_size (b);
          int c = memcmp (hs_str_data (a), hs_str_data (b), na < nb ? na : nb);
          return c < 0 || (c == 0 && na < nb);
        }
      if (t == HS_T (vm, FLOAT))
        return hs_float_value (a) < hs_float_value (b);
    }
  return hs_object_richcompare_bool (vm, a, b, HS_CMP_LT);
}

/* Stable: binary insertion sort on short runs, then bottom-up merges. */
static int
merge_sort (HsVm *vm, SortPair *a, SortPair *tmp, size_t n)
{
  const size_t run = 32;

  for (size_t lo = 0; lo < n; lo += run)
    {
      size_t hi = lo + run < n ? lo + run : n;
      for (size_t i = lo + 1; i < hi; i++)
        {
          SortPair pivot = a[i];
          size_t l = lo, r = i;
          while (l < r)
            {
              size_t mid = l + (r - l) / 2;
              int k = sort_lt (vm, pivot.key, a[mid].key);
              if (k < 0)
                return -1;
              if (k)
                r = mid;
              else
                l = mid + 1;
            }
          memmove (&a[l + 1], &a[l], (i - l) * sizeof (SortPair));
          a[l] = pivot;
        }
    }
  for (size_t width = run; width < n; width *= 2)
    {
      for (size_t lo = 0; lo < n; lo += 2 * width)
        {
          size_t mid = lo + width < n ? lo + width : n;
          size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
          size_t i = lo, j = mid, k = lo;
          if (mid >= hi)
            {
              memcpy (&tmp[lo], &a[lo], (hi - lo) * sizeof (SortPair));
              continue;
            }
          /* already in order: one comparison */
          {
            int c = sort_lt (vm, a[mid].key, a[mid - 1].key);
            if (c < 0)
              return -1;
            if (!c)
              {
                memcpy (&tmp[lo], &a[lo], (hi - lo) * sizeof (SortPair));
                continue;
              }
          }
          while (i < mid && j < hi)
            {
              int c = sort_lt (vm, a[j].key, a[i].key);
              if (c < 0)
                return -1;
              tmp[k++] = c ? a[j++] : a[i++];
            }
          while (i < mid)
            tmp[k++] = a[i++];
          while (j < hi)
            tmp[k++] = a[j++];
        }
      memcpy (a, tmp, n * sizeof (SortPair));
    }
  return 0;
}

static void
reverse_pairs (SortPair *a, size_t n)
{
  for (size_t i = 0, j = n ? n - 1 : 0; i < j; i++, j--)
    {
      SortPair t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
}

int
hs_list_sort (HsVm *vm, HsObject *list, HsObject *key, bool reverse)
{
  HsList *l = L (list);
  size_t n = l->size, cap = l->capacity, bytes = n * sizeof (SortPair), nkeys = 0;
  HsObject **saved = l->items, **old = NULL;
  SortPair *pairs, *tmp;
  int rc = -1;

  if (key == vm->none)
    key = NULL;
  if (n < 2)
    return 0;
  pairs = hs_mem_alloc (vm, bytes);
  tmp = pairs ? hs_mem_alloc (vm, bytes) : NULL;
  if (tmp == NULL)
    {
      if (pairs)
        hs_mem_free (vm, pairs, bytes);
      return -1;
    }
  /* As CPython: the list looks empty while it is sorted (a key function that mutates
   * it is detected), and its items stay its own references throughout. */
  l->items = NULL;
  l->size = 0;
  l->capacity = 0;
  for (size_t i = 0; i < n; i++)
    {
      pairs[i].value = saved[i];
      pairs[i].key = saved[i];
    }
  if (key != NULL)
    for (size_t i = 0; i < n; i++, nkeys++)
      {
        HsObject *k = hs_object_call (vm, key, &pairs[i].value, 1, NULL);
        if (k == NULL)
          goto out;
        pairs[i].key = k;
      }
  if (reverse)
    reverse_pairs (pairs, n);
  if (merge_sort (vm, pairs, tmp, n) < 0)
    goto out;
  if (reverse)
    reverse_pairs (pairs, n);
  rc = 0;
out:
  if (l->items != NULL || l->size != 0)
    {
      list_clear_items (vm, l);
      if (rc == 0)
        hs_err_format (vm, HS_EXC (vm, VALUE_ERROR), "list modified during sort");
      rc = -1;
    }
  if (rc == 0 && hs_hooked (vm, HS_EV_REF))
    {
      old = hs_mem_alloc (vm, n * sizeof (HsObject *));
      if (old != NULL)
        memcpy (old, saved, n * sizeof (HsObject *));
    }
  l->items = saved;
  l->size = n;
  l->capacity = cap;
  if (rc == 0)
    for (size_t i = 0; i < n; i++)
      l->items[i] = pairs[i].value;
  if (old != NULL)
    {
      list_publish_permutation (vm, l, old);
      hs_mem_free (vm, old, n * sizeof (HsObject *));
    }
  for (size_t i = 0; i < nkeys; i++)
    hs_decref (vm, pairs[i].key);
  hs_mem_free (vm, pairs, bytes);
  hs_mem_free (vm, tmp, bytes);
  return rc;
}

/* ---- methods ------------------------------------------------------------------------ */

static HsObject *
m_append (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  if (HS_UNLIKELY (kwnames != NULL || nargs != 1))
    {
      if (hs_check_no_kwargs (vm, "list.append()", kwnames) < 0
          || hs_check_nargs (vm, "list.append()", nargs, 1, 1) < 0)
        return NULL;
    }
  if (hs_list_append (vm, self, args[0]) < 0)
    return NULL;
  return hs_none (vm);
}

static HsObject *
m_extend (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  if (hs_check_no_kwargs (vm, "list.extend()", kwnames) < 0
      || hs_check_nargs (vm, "list.extend()", nargs, 1, 1) < 0)
    return NULL;
  if (args[0] == self)
    {
      HsObject *copy = hs_list_from_array (vm, L (self)->items, L (self)->size);
      int r;
      if (copy == NULL)
        return NULL;
      r = hs_list_extend (vm, self, copy);
      hs_decref (vm, copy);
      if (r < 0)
        return NULL;
    }
  else if (hs_list_extend (vm, self, args[0]) < 0)
    return NULL;
  return hs_none (vm);
}

static HsObject *
m_insert (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  int64_t i;

  if (hs_check_no_kwargs (vm, "insert()", kwnames) < 0
      || hs_check_nargs (vm, "insert", nargs, 2, 2) < 0
      || hs_index_value (vm, args[0], &i) < 0
      || hs_list_insert (vm, self, i, args[1]) < 0)
    return NULL;
  return hs_none (vm);
}

static HsObject *
m_pop (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  HsList *l = L (self);
  int64_t i = -1;

  if (hs_check_no_kwargs (vm, "pop()", kwnames) < 0
      || hs_check_nargs (vm, "pop", nargs, 0, 1) < 0)
    return NULL;
  if (nargs == 1 && hs_index_value (vm, args[0], &i) < 0)
    return NULL;
  if (l->size == 0)
    {
      hs_err_format (vm, HS_EXC (vm, INDEX_ERROR), "pop from empty list");
      return NULL;
    }
  if (i < 0)
    i += (int64_t) l->size;
  if (i < 0 || (size_t) i >= l->size)
    {
      hs_err_format (vm, HS_EXC (vm, INDEX_ERROR), "pop index out of range");
      return NULL;
    }
  if ((size_t) i == l->size - 1)
    {
      /* the common case: the last item, its reference goes to the caller */
      HsObject *o = l->items[i];
      l->items[i] = NULL;
      HS_REF (vm, HS_HOLDER_ITEM, self->id, (uint64_t) i, NULL, o, NULL);
      list_resize (vm, l, l->size - 1);
      return o;
    }
  return list_take (vm, l, (size_t) i);
}

static HsObject *
m_remove (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  HsList *l = L (self);

  if (hs_check_no_kwargs (vm, "list.remove()", kwnames) < 0
      || hs_check_nargs (vm, "list.remove()", nargs, 1, 1) < 0)
    return NULL;
  for (size_t i = 0; i < l->size; i++)
    {
      int k = hs_eq_fast (vm, l->items[i], args[0]);
      if (k < 0)
        return NULL;
      if (k)
        {
          hs_decref (vm, list_take (vm, l, i));
          return hs_none (vm);
        }
    }
  hs_err_format (vm, HS_EXC (vm, VALUE_ERROR), "list.remove(x): x not in list");
  return NULL;
}

static HsObject *
m_index (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  HsList *l = L (self);
  int64_t start, stop;
  HsObject *r;

  if (hs_check_no_kwargs (vm, "index()", kwnames) < 0
      || hs_check_nargs (vm, "index", nargs, 1, 3) < 0
      || hs_seq_index_bounds (vm, args, nargs, (int64_t) l->size, &start, &stop) < 0)
    return NULL;
  for (int64_t i = start; i < stop && (size_t) i < l->size; i++)
    {
      int k = hs_eq_fast (vm, l->items[i], args[0]);
      if (k < 0)
        return NULL;
      if (k)
        return hs_int_from_i64 (vm, i);
    }
  r = hs_object_repr (vm, args[0]);
  if (r == NULL)
    return NULL;
  hs_err_format (vm, HS_EXC (vm, VALUE_ERROR), "%s is not in list", hs_str_data (r));
  hs_decref (vm, r);
  return NULL;
}

static HsObject *
m_count (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  HsList *l = L (self);
  int64_t n = 0;

  if (hs_check_no_kwargs (vm, "list.count()", kwnames) < 0
      || hs_check_nargs (vm, "list.count()", nargs, 1, 1) < 0)
    return NULL;
  for (size_t i = 0; i < l->size; i++)
    {
      int k = hs_eq_fast (vm, l->items[i], args[0]);
      if (k < 0)
        return NULL;
      n += k;
    }
  return hs_int_from_i64 (vm, n);
}

static HsObject *
m_sort (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  static const char *const allowed[] = { "key", "reverse", NULL };
  size_t npos = hs_npos (nargs, kwnames);
  HsObject *key, *rev;
  int r = 0;

  if (npos > 0)
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "sort() takes no positional arguments");
      return NULL;
    }
  if (hs_check_kwargs (vm, "sort", kwnames, allowed) < 0)
    return NULL;
  key = hs_kwarg (args, nargs, kwnames, "key");
  rev = hs_kwarg (args, nargs, kwnames, "reverse");
  if (rev != NULL)
    {
      int64_t v;
      if (hs_index_value (vm, rev, &v) < 0)
        return NULL;
      r = v != 0;
    }
  if (hs_list_sort (vm, self, key, r) < 0)
    return NULL;
  return hs_none (vm);
}

static HsObject *
m_reverse (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  HsList *l = L (self);
  HsObject **old = NULL;

  (void) args;
  if (hs_check_no_kwargs (vm, "list.reverse()", kwnames) < 0
      || hs_check_nargs (vm, "list.reverse()", nargs, 0, 0) < 0)
    return NULL;
  if (l->size < 2)
    return hs_none (vm);
  if (hs_hooked (vm, HS_EV_REF))
    {
      old = hs_mem_alloc (vm, l->size * sizeof (HsObject *));
      if (old == NULL)
        return NULL;
      memcpy (old, l->items, l->size * sizeof (HsObject *));
    }
  for (size_t i = 0, j = l->size - 1; i < j; i++, j--)
    {
      HsObject *t = l->items[i];
      l->items[i] = l->items[j];
      l->items[j] = t;
    }
  if (old != NULL)
    {
      list_publish_permutation (vm, l, old);
      hs_mem_free (vm, old, l->size * sizeof (HsObject *));
    }
  return hs_none (vm);
}

static HsObject *
m_clear (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  (void) args;
  if (hs_check_no_kwargs (vm, "list.clear()", kwnames) < 0
      || hs_check_nargs (vm, "list.clear()", nargs, 0, 0) < 0)
    return NULL;
  list_clear_items (vm, L (self));
  return hs_none (vm);
}

static HsObject *
m_copy (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  (void) args;
  if (hs_check_no_kwargs (vm, "list.copy()", kwnames) < 0
      || hs_check_nargs (vm, "list.copy()", nargs, 0, 0) < 0)
    return NULL;
  return hs_list_from_array (vm, L (self)->items, L (self)->size);
}

static HsObject *
m_reversed (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  (void) args;
  if (hs_check_no_kwargs (vm, "list.__reversed__()", kwnames) < 0
      || hs_check_nargs (vm, "list.__reversed__()", nargs, 0, 0) < 0)
    return NULL;
  return hs_list_reversed_iter (vm, self);
}

HS_WRAP_LEN (list, list_len)
HS_WRAP_GETITEM (list, list_getitem)
HS_WRAP_ITER (list, list_iter)
HS_WRAP_REPR (list, list_repr)
HS_WRAP_CONTAINS (list, list_contains)
HS_WRAP_SETITEM (list, list_setitem)
HS_WRAP_DELITEM (list, list_setitem)

static HsObject *
list_w_init (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  if (hs_check_no_kwargs (vm, "list()", kwnames) < 0 || hs_check_nargs (vm, "list", nargs, 0, 1) < 0)
    return NULL;
  list_clear_items (vm, L (self));
  if (nargs == 1 && hs_list_extend (vm, self, args[0]) < 0)
    return NULL;
  return hs_none (vm);
}

static const HsMethodDef list_methods[] = {
  HS_WRAP_DEFS (list),
  { "__getitem__", list_w_getitem, "Return self[index]." },
  { "__setitem__", list_w_setitem, "Set self[key] to value." },
  { "__delitem__", list_w_delitem, "Delete self[key]." },
  { "__contains__", list_w_contains, "Return key in self." },
  { "__init__", list_w_init, "Initialize self." },
  { "append", m_append, "Append object to the end of the list." },
  { "extend", m_extend, "Extend list by appending elements from the iterable." },
  { "insert", m_insert, "Insert object before index." },
  { "pop", m_pop, "Remove and return item at index (default last)." },
  { "remove", m_remove, "Remove first occurrence of value." },
  { "index", m_index, "Return first index of value." },
  { "count", m_count, "Return number of occurrences of value." },
  { "sort", m_sort, "Sort the list in ascending order and return None." },
  { "reverse", m_reverse, "Reverse *IN PLACE*." },
  { "clear", m_clear, "Remove all items from list." },
  { "copy", m_copy, "Return a shallow copy of the list." },
  { "__reversed__", m_reversed, "Return a reverse iterator over the list." },
  { NULL, NULL, NULL },
};

static const HsType list_tmpl = {
  .name = "list",
  .flags = HS_TPFLAG_GC | HS_TPFLAG_BASETYPE,
  .basic_size = sizeof (HsList),
  .dealloc = list_dealloc,
  .traverse = list_traverse,
  .clear = list_clear,
  .repr = list_repr,
  .richcompare = list_richcompare,
  .binary = list_binary,
  .inplace = list_inplace,
  .len = list_len,
  .getitem = list_getitem,
  .setitem = list_setitem,
  .contains = list_contains,
  .iter = list_iter,
  .new_ = list_new,
  .methods = list_methods,
  .describe = list_describe,
  .size_of = list_size_of,
};

static const HsType list_iter_tmpl = {
  .name = "list_iterator",
  .flags = HS_TPFLAG_GC,
  .basic_size = sizeof (HsIterObj),
  .dealloc = hs_iterobj_dealloc,
  .traverse = hs_iterobj_traverse,
  .clear = hs_iterobj_clear,
  .iter = hs_iter_self,
  .iternext = listiter_next,
};

static const HsType list_reviter_tmpl = {
  .name = "list_reverseiterator",
  .flags = HS_TPFLAG_GC,
  .basic_size = sizeof (HsIterObj),
  .dealloc = hs_iterobj_dealloc,
  .traverse = hs_iterobj_traverse,
  .clear = hs_iterobj_clear,
  .iter = hs_iter_self,
  .iternext = listreviter_next,
};

void
hs_list_types_init (HsVm *vm)
{
  hs_register (vm, HS_T_LIST, &list_tmpl);
  hs_register (vm, HS_T_LIST_ITER, &list_iter_tmpl);
  hs_register (vm, HS_T_LIST_REVITER, &list_reviter_tmpl);
}
