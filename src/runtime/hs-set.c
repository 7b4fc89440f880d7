/* hs-set.c — set and frozenset: CPython 3.11's open-addressing table (same sizes, probes and
 * resize rule, so iteration order matches for ints and tuples of ints). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hs-containers.h"

#define S(o) ((HsSet *) (o))
#define LINEAR_PROBES 9
#define PERTURB_SHIFT 5

/* The deleted-entry marker: any non-NULL address that is never an object (hash -1). */
static const char set_dummy_marker;
#define DUMMY ((HsObject *) &set_dummy_marker)

static inline bool
is_active (const HsSetEntry *e)
{
  return e->key != NULL && e->hash != -1;
}

static inline bool
is_set (HsVm *vm, HsObject *o)
{
  return HS_IS_SUBTYPE (vm, o, SET) || HS_IS_SUBTYPE (vm, o, FROZENSET);
}

static inline bool
is_frozen (HsVm *vm, HsObject *o)
{
  return HS_IS_SUBTYPE (vm, o, FROZENSET);
}

static size_t
table_bytes (size_t mask)
{
  return (mask + 1) * sizeof (HsSetEntry);
}

/* ---- the table --------------------------------------------------------------------- */

static void
insert_clean (HsSetEntry *table, size_t mask, HsObject *key, int64_t hash)
{
  size_t perturb = (size_t) hash, i = (size_t) hash & mask;
  HsSetEntry *e;

  for (;;)
    {
      e = &table[i];
      if (e->key == NULL)
        goto found;
      if (i + LINEAR_PROBES <= mask)
        for (int j = 0; j < LINEAR_PROBES; j++)
          {
            e++;
            if (e->key == NULL)
              goto found;
          }
      perturb >>= PERTURB_SHIFT;
      i = (i * 5 + 1 + perturb) & mask;
    }
found:
  e->key = key;
  e->hash = hash;
}

static int
set_resize (HsVm *vm, HsSet *s, int64_t minused)
{
  size_t newsize = HS_SET_MINSIZE;
  HsSetEntry *old = s->table, *newtable;
  HsSetEntry small_copy[HS_SET_MINSIZE];
  size_t oldmask = s->mask;
  bool old_is_small = old == s->small;

  while ((int64_t) newsize <= minused)
    newsize <<= 1;
  if (newsize == HS_SET_MINSIZE)
    {
      newtable = s->small;
      if (old_is_small)
        {
          memcpy (small_copy, s->small, sizeof small_copy);
          old = small_copy;
        }
    }
  else
    {
      newtable = hs_mem_alloc (vm, newsize * sizeof (HsSetEntry));
      if (newtable == NULL)
        return -1;
    }
  memset (newtable, 0, newsize * sizeof (HsSetEntry));
  s->mask = newsize - 1;
  s->table = newtable;
  for (size_t i = 0; i <= oldmask; i++)
    if (is_active (&old[i]))
      insert_clean (newtable, s->mask, old[i].key, old[i].hash);
  s->fill = s->used;
  if (!old_is_small)
    hs_mem_free (vm, old, table_bytes (oldmask));
  return 0;
}

/* The entry holding key, or NULL (not found, or an error: check hs_err_occurred). */
static HsSetEntry *
set_lookup (HsVm *vm, HsSet *s, HsObject *key, int64_t hash)
{
  for (;;)
    {
      HsSetEntry *table = s->table;
      size_t mask = s->mask, perturb = (size_t) hash, i = (size_t) hash & mask;
      bool restart = false;
      for (;;)
        {
          HsSetEntry *e = &table[i];
          int probes = (i + LINEAR_PROBES <= mask) ? LINEAR_PROBES : 0;
          do
            {
              if (e->hash == 0 && e->key == NULL)
                return NULL;
              if (e->hash == hash)
                {
                  HsObject *k = e->key;
                  int c;
                  if (k == key)
                    return e;
                  if (k->type == key->type && k->type == HS_T (vm, STR))
                    c = hs_str_equal (k, key);
                  else
                    c = hs_eq_fast (vm, k, key);
                  if (c < 0)
                    return NULL;
                  if (table != s->table || e->key != k)
                    {
                      restart = true;
                      break;
                    }
                  if (c > 0)
                    return e;
                }
              e++;
            }
          while (probes--);
          if (restart)
            break;
          perturb >>= PERTURB_SHIFT;
          i = (i * 5 + 1 + perturb) & mask;
        }
    }
}

/* Adds key (borrowed, or stolen when `steal`) with its hash: 0 added or present, -1 error. */
static int
set_add_entry_ex (HsVm *vm, HsSet *s, HsObject *key, int64_t hash, bool steal)
{
  HsSetEntry *e;

  if (s->fill > 0 || s->used > 0)
    {
      e = set_lookup (vm, s, key, hash);
      if (e != NULL || hs_err_occurred (vm))
        {
          if (steal)
            hs_decref (vm, key);
          return e != NULL ? 0 : -1;
        }
    }
  /* the probe sequence again: the first deleted slot on it is reused (as 3.11's
   * freeslot), else the first never-used slot */
  {
    size_t mask = s->mask, perturb = (size_t) hash, i = (size_t) hash & mask;
    HsSetEntry *freeslot = NULL;
    for (;;)
      {
        int probes = (i + LINEAR_PROBES <= mask) ? LINEAR_PROBES : 0;
        e = &s->table[i];
        do
          {
            if (e->hash == 0 && e->key == NULL)
              goto found_unused_or_dummy;
            if (e->hash == -1 && freeslot == NULL)
              freeslot = e;
            e++;
          }
        while (probes--);
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + 1 + perturb) & mask;
      }
  found_unused_or_dummy:
    if (freeslot != NULL)
      {
        freeslot->key = steal ? key : hs_incref (key);
        freeslot->hash = hash;
        s->used++;
        HS_REF (vm, HS_HOLDER_KEY, s->base.id, key->id, NULL, NULL, key);
        return 0;
      }
  }
  e->key = steal ? key : hs_incref (key);
  e->hash = hash;
  s->fill++;
  s->used++;
  HS_REF (vm, HS_HOLDER_KEY, s->base.id, key->id, NULL, NULL, key);
  if ((size_t) s->fill * 5 < s->mask * 3)
    return 0;
  return set_resize (vm, s, s->used > 50000 ? s->used * 2 : s->used * 4);
}

static int
set_add_entry (HsVm *vm, HsSet *s, HsObject *key, int64_t hash)
{
  return set_add_entry_ex (vm, s, key, hash, false);
}

static int
set_add_key (HsVm *vm, HsSet *s, HsObject *key)
{
  int64_t h;

  if (!hs_hash_fast (vm, key, &h))
    return -1;
  return set_add_entry (vm, s, key, h);
}

/* 1 removed, 0 absent, -1 error */
static int
set_discard_entry (HsVm *vm, HsSet *s, HsObject *key, int64_t hash)
{
  HsSetEntry *e = set_lookup (vm, s, key, hash);
  HsObject *old;

  if (e == NULL)
    return hs_err_occurred (vm) ? -1 : 0;
  old = e->key;
  e->key = DUMMY;
  e->hash = -1;
  s->used--;
  HS_REF (vm, HS_HOLDER_KEY, s->base.id, old->id, NULL, old, NULL);
  hs_decref (vm, old);
  return 1;
}

static int
set_contains_entry (HsVm *vm, HsSet *s, HsObject *key, int64_t hash)
{
  if (set_lookup (vm, s, key, hash) != NULL)
    return 1;
  return hs_err_occurred (vm) ? -1 : 0;
}

static int
set_contains_key (HsVm *vm, HsSet *s, HsObject *key)
{
  int64_t h;

  if (!hs_hash_fast (vm, key, &h))
    {
      /* a set inside a set is looked up as a frozenset, as CPython does */
      if (is_set (vm, key) && hs_err_matches (vm, HS_EXC (vm, TYPE_ERROR)))
        {
          HsObject *f;
          int r;
          hs_err_clear (vm);
          f = hs_set_from_iterable (vm, key, true);
          if (f == NULL)
            return -1;
          r = set_contains_key (vm, s, f);
          hs_decref (vm, f);
          return r;
        }
      return -1;
    }
  return set_contains_entry (vm, s, key, h);
}

static void
set_clear_all (HsVm *vm, HsSet *s)
{
  HsSetEntry *table = s->table;
  size_t mask = s->mask;
  HsSetEntry small_copy[HS_SET_MINSIZE];
  HsId id = s->base.id;

  if (s->fill == 0)
    return;
  if (table == s->small)
    {
      memcpy (small_copy, s->small, sizeof small_copy);
      table = small_copy;
    }
  memset (s->small, 0, sizeof s->small);
  s->table = s->small;
  s->mask = HS_SET_MINSIZE - 1;
  s->fill = 0;
  s->used = 0;
  s->hash = -1;
  for (size_t i = 0; i <= mask; i++)
    if (is_active (&table[i]))
      {
        HsObject *k = table[i].key;
        HS_REF (vm, HS_HOLDER_KEY, id, k->id, NULL, k, NULL);
        hs_decref (vm, k);
      }
  if (table != small_copy)
    hs_mem_free (vm, table, table_bytes (mask));
}

static int
set_merge (HsVm *vm, HsSet *s, HsSet *o)
{
  if (o == s || o->used == 0)
    return 0;
  if ((size_t) (s->fill + o->used) * 5 >= s->mask * 3
      && set_resize (vm, s, (s->used + o->used) * 2) < 0)
    return -1;
  if (s->fill == 0 && s->mask == o->mask && o->fill == o->used)
    {
      for (size_t i = 0; i <= o->mask; i++)
        if (o->table[i].key != NULL)
          {
            s->table[i].key = hs_incref (o->table[i].key);
            s->table[i].hash = o->table[i].hash;
            HS_REF (vm, HS_HOLDER_KEY, s->base.id, o->table[i].key->id, NULL, NULL,
                    o->table[i].key);
          }
      s->fill = o->fill;
      s->used = o->used;
      return 0;
    }
  if (s->fill == 0)
    {
      s->fill = o->used;
      s->used = o->used;
      for (size_t i = 0; i <= o->mask; i++)
        if (is_active (&o->table[i]))
          {
            HsObject *k = o->table[i].key;
            insert_clean (s->table, s->mask, hs_incref (k), o->table[i].hash);
            HS_REF (vm, HS_HOLDER_KEY, s->base.id, k->id, NULL, NULL, k);
          }
      return 0;
    }
  for (size_t i = 0; i <= o->mask; i++)
    if (is_active (&o->table[i])
        && set_add_entry (vm, s, o->table[i].key, o->table[i].hash) < 0)
      return -1;
  return 0;
}

static int
set_update_internal (HsVm *vm, HsSet *s, HsObject *other)
{
  HsObject *it, *key;

  if (is_set (vm, other))
    return set_merge (vm, s, S (other));
  if (HS_IS_TYPE (vm, other, DICT))
    {
      int64_t n = hs_dict_size (other);
      HsDict *d = (HsDict *) other;
      if ((size_t) (s->fill + n) * 5 >= s->mask * 3
          && set_resize (vm, s, (s->used + n) * 2) < 0)
        return -1;
      for (int64_t i = 0; i < d->nentries; i++)
        if (d->entries[i].key != NULL
            && set_add_entry (vm, s, d->entries[i].key, d->entries[i].hash) < 0)
          return -1;
      return 0;
    }
  it = hs_object_iter (vm, other);
  if (it == NULL)
    return -1;
  while ((key = hs_iter_next (vm, it)) != NULL)
    {
      /* the iterator's new reference becomes the set's */
      int64_t h;
      int r = -1;
      if (hs_hash_fast (vm, key, &h))
        r = set_add_entry_ex (vm, s, key, h, true);
      else
        hs_decref (vm, key);
      if (r < 0)
        {
          hs_decref (vm, it);
          return -1;
        }
    }
  hs_decref (vm, it);
  return hs_err_occurred (vm) ? -1 : 0;
}

/* ---- creation and public API ------------------------------------------------------ */

static HsSet *
set_alloc (HsVm *vm, HsType *type)
{
  size_t size = type->basic_size > sizeof (HsSet) ? type->basic_size : sizeof (HsSet);
  HsSet *s = hs_alloc_zero (vm, type, size);

  if (s == NULL)
    return NULL;
  s->mask = HS_SET_MINSIZE - 1;
  s->table = s->small;
  s->hash = -1;
  hs_gc_track (vm, &s->base);
  return s;
}

static HsObject *
make_new_set (HsVm *vm, HsType *type, HsObject *iterable)
{
  HsSet *s = set_alloc (vm, type);

  if (s == NULL)
    return NULL;
  if (iterable != NULL && set_update_internal (vm, s, iterable) < 0)
    {
      hs_decref (vm, &s->base);
      return NULL;
    }
  return &s->base;
}

/* A set display of constants, as CPython 3.11 builds it: the compiler makes a frozenset,
 * merge_consts_recursive() rebuilds it from the first one's iteration order, and the
 * set is updated from that (so print({...}) shows CPython's order). */
HsObject *
hs_set_from_constants (HsVm *vm, HsObject *const *items, size_t n)
{
  HsObject *t = hs_tuple_from_array (vm, items, n), *f1, *t2, *f2, *r;

  if (t == NULL)
    return NULL;
  f1 = make_new_set (vm, HS_T (vm, FROZENSET), t);
  hs_decref (vm, t);
  if (f1 == NULL)
    return NULL;
  t2 = hs_tuple_from_iterable (vm, f1);
  hs_decref (vm, f1);
  if (t2 == NULL)
    return NULL;
  f2 = make_new_set (vm, HS_T (vm, FROZENSET), t2);
  hs_decref (vm, t2);
  if (f2 == NULL)
    return NULL;
  r = make_new_set (vm, HS_T (vm, SET), f2);
  hs_decref (vm, f2);
  return r;
}

/* Lays the table out again as if its keys had been added one by one in the order the
 * set iterates them now (the same resizes on the way).  CPython builds a constant set
 * display from a frozenset rebuilt that way (merge_consts_recursive), so the display
 * then iterates in CPython's order.  The keys stay held by the set: no reference
 * changes, no events.  The growing tables are scratch memory; only the final table is
 * program memory.  -1 with MemoryError (the set unchanged). */
int
hs_set_relayout (HsVm *vm, HsObject *set)
{
  HsSet *s = S (set);
  size_t n = (size_t) s->used, mask = HS_SET_MINSIZE - 1, fill = 0, k = 0, i;
  HsSetEntry *items, *scratch, *final;

  if (n == 0)
    return 0;
  items = malloc (n * sizeof *items);
  scratch = calloc (HS_SET_MINSIZE, sizeof *scratch);
  if (items == NULL || scratch == NULL)
    goto no_memory;
  for (i = 0; i <= s->mask; i++)
    if (is_active (&s->table[i]))
      items[k++] = s->table[i];
  for (k = 0; k < n; k++)
    {
      insert_clean (scratch, mask, items[k].key, items[k].hash);
      fill++;
      if (fill * 5 >= mask * 3)
        {
          /* set_resize()'s rule and its copy in table order */
          size_t newsize = HS_SET_MINSIZE, minused = fill > 50000 ? fill * 2 : fill * 4;
          HsSetEntry *bigger;
          while (newsize <= minused)
            newsize <<= 1;
          bigger = calloc (newsize, sizeof *bigger);
          if (bigger == NULL)
            goto no_memory;
          for (i = 0; i <= mask; i++)
            if (scratch[i].key != NULL)
              insert_clean (bigger, newsize - 1, scratch[i].key, scratch[i].hash);
          free (scratch);
          scratch = bigger;
          mask = newsize - 1;
        }
    }
  if (mask + 1 == HS_SET_MINSIZE)
    final = s->small;
  else if (mask == s->mask && s->table != s->small)
    final = s->table;
  else
    {
      final = hs_mem_alloc (vm, table_bytes (mask));
      if (final == NULL)
        {
          free (items);
          free (scratch);
          return -1;
        }
    }
  if (s->table != s->small && s->table != final)
    hs_mem_free (vm, s->table, table_bytes (s->mask));
  memcpy (final, scratch, table_bytes (mask));
  s->table = final;
  s->mask = mask;
  s->fill = s->used;
  s->finger = 0;
  free (items);
  free (scratch);
  return 0;

no_memory:
  free (items);
  free (scratch);
  hs_err_no_memory (vm);
  return -1;
}

/* a result of the base type of `like` (set or frozenset) */
static HsType *
base_type (HsVm *vm, HsObject *like)
{
  return is_frozen (vm, like) ? HS_T (vm, FROZENSET) : HS_T (vm, SET);
}

HsObject *
hs_set_new (HsVm *vm, bool frozen)
{
  HsSet *s = set_alloc (vm, frozen ? HS_T (vm, FROZENSET) : HS_T (vm, SET));
  return s ? &s->base : NULL;
}

HsObject *
hs_set_from_iterable (HsVm *vm, HsObject *iterable, bool frozen)
{
  return make_new_set (vm, frozen ? HS_T (vm, FROZENSET) : HS_T (vm, SET), iterable);
}

int
hs_set_add (HsVm *vm, HsObject *set, HsObject *key)
{
  return set_add_key (vm, S (set), key);
}

int
hs_set_contains (HsVm *vm, HsObject *set, HsObject *key)
{
  return set_contains_key (vm, S (set), key);
}

int64_t
hs_set_size (HsObject *set)
{
  return S (set)->used;
}

int
hs_set_update (HsVm *vm, HsObject *set, HsObject *iterable)
{
  return set_update_internal (vm, S (set), iterable);
}

int
hs_set_discard (HsVm *vm, HsObject *set, HsObject *key)
{
  int64_t h;

  if (!hs_hash_fast (vm, key, &h))
    return -1;
  return set_discard_entry (vm, S (set), key, h);
}

static HsObject *
set_copy (HsVm *vm, HsObject *so)
{
  return make_new_set (vm, base_type (vm, so), so);
}

/* ---- operations --------------------------------------------------------------------- */

static HsObject *
set_intersection (HsVm *vm, HsObject *so, HsObject *other)
{
  HsSet *result;
  HsObject *it, *key;

  if (so == other)
    return set_copy (vm, so);
  result = S (make_new_set (vm, base_type (vm, so), NULL));
  if (result == NULL)
    return NULL;
  if (is_set (vm, other))
    {
      HsSet *a = S (so), *b = S (other);
      if (b->used > a->used)
        {
          HsSet *t = a;
          a = b;
          b = t;
        }
      for (size_t i = 0; i <= b->mask; i++)
        {
          HsSetEntry *e = &b->table[i];
          int r;
          if (!is_active (e))
            continue;
          r = set_contains_entry (vm, a, e->key, e->hash);
          if (r < 0 || (r > 0 && set_add_entry (vm, result, e->key, e->hash) < 0))
            goto fail;
        }
      return &result->base;
    }
  it = hs_object_iter (vm, other);
  if (it == NULL)
    goto fail;
  while ((key = hs_iter_next (vm, it)) != NULL)
    {
      int64_t h;
      int r = -1;
      if (hs_hash_fast (vm, key, &h))
        {
          r = set_contains_entry (vm, S (so), key, h);
          if (r > 0)
            r = set_add_entry (vm, result, key, h);
        }
      hs_decref (vm, key);
      if (r < 0)
        {
          hs_decref (vm, it);
          goto fail;
        }
    }
  hs_decref (vm, it);
  if (hs_err_occurred (vm))
    goto fail;
  return &result->base;
fail:
  hs_decref (vm, &result->base);
  return NULL;
}

/* As CPython: discards other's keys, then rebuilds the table when more than a quarter
 * of it are deleted entries. */
static int
set_difference_update_internal (HsVm *vm, HsSet *s, HsObject *other)
{
  HsObject *it, *key;

  if ((HsObject *) s == other)
    {
      set_clear_all (vm, s);
      return 0;
    }
  if (is_set (vm, other))
    {
      HsSet *o = S (other);
      HsObject *small = NULL;
      if ((o->used >> 3) > s->used)
        {
          small = set_intersection (vm, &s->base, other);
          if (small == NULL)
            return -1;
          o = S (small);
        }
      for (size_t i = 0; i <= o->mask; i++)
        if (is_active (&o->table[i])
            && set_discard_entry (vm, s, o->table[i].key, o->table[i].hash) < 0)
          {
            hs_xdecref (vm, small);
            return -1;
          }
      hs_xdecref (vm, small);
    }
  else
    {
      it = hs_object_iter (vm, other);
      if (it == NULL)
        return -1;
      while ((key = hs_iter_next (vm, it)) != NULL)
        {
          int r = hs_set_discard (vm, &s->base, key);
          hs_decref (vm, key);
          if (r < 0)
            {
              hs_decref (vm, it);
              return -1;
            }
        }
      hs_decref (vm, it);
      if (hs_err_occurred (vm))
        return -1;
    }
  if ((size_t) (s->fill - s->used) <= s->mask / 4)
    return 0;
  return set_resize (vm, s, s->used > 50000 ? s->used * 2 : s->used * 4);
}

static HsObject *
set_difference (HsVm *vm, HsObject *so, HsObject *other)
{
  int64_t other_size;
  HsSet *result, *s = S (so);

  if (is_set (vm, other))
    other_size = S (other)->used;
  else if (HS_IS_TYPE (vm, other, DICT))
    other_size = hs_dict_size (other);
  else
    other_size = -1;
  if (other_size < 0 || (s->used >> 2) > other_size)
    {
      HsObject *r = set_copy (vm, so);
      if (r != NULL && set_difference_update_internal (vm, S (r), other) < 0)
        {
          hs_decref (vm, r);
          return NULL;
        }
      return r;
    }
  result = S (make_new_set (vm, base_type (vm, so), NULL));
  if (result == NULL)
    return NULL;
  for (size_t i = 0; i <= s->mask; i++)
    {
      HsSetEntry *e = &s->table[i];
      int r;
      if (!is_active (e))
        continue;
      if (is_set (vm, other))
        r = set_contains_entry (vm, S (other), e->key, e->hash);
      else
        {
          r = hs_dict_lookup (vm, other, e->key, e->hash) != NULL;
          if (!r && hs_err_occurred (vm))
            r = -1;
        }
      if (r < 0 || (r == 0 && set_add_entry (vm, result, e->key, e->hash) < 0))
        {
          hs_decref (vm, &result->base);
          return NULL;
        }
    }
  return &result->base;
}

static int
set_symmetric_difference_update (HsVm *vm, HsSet *s, HsObject *other)
{
  HsSet *o;
  HsObject *tmp = NULL;
  int rc = 0;

  if ((HsObject *) s == other)
    {
      set_clear_all (vm, s);
      return 0;
    }
  if (is_set (vm, other))
    o = S (other);
  else
    {
      tmp = make_new_set (vm, HS_T (vm, SET), other);
      if (tmp == NULL)
        return -1;
      o = S (tmp);
    }
  for (size_t i = 0; i <= o->mask && rc == 0; i++)
    {
      HsSetEntry *e = &o->table[i];
      HsObject *key;
      int r;
      if (!is_active (e))
        continue;
      key = e->key;   /* held by o meanwhile */
      r = set_discard_entry (vm, s, key, e->hash);
      if (r < 0)
        rc = -1;
      else if (r == 0 && set_add_entry (vm, s, key, e->hash) < 0)
        rc = -1;
    }
  hs_xdecref (vm, tmp);
  return rc;
}

static HsObject *
set_symmetric_difference (HsVm *vm, HsObject *so, HsObject *other)
{
  HsObject *r = make_new_set (vm, base_type (vm, so), other);

  if (r != NULL && set_symmetric_difference_update (vm, S (r), so) < 0)
    {
      hs_decref (vm, r);
      return NULL;
    }
  return r;
}

/* Is this very object a key of s?  (The probe sequence of its hash, identity only.) */
static bool
has_identical (HsSet *s, HsObject *key, int64_t hash)
{
  size_t mask = s->mask, perturb = (size_t) hash, i = (size_t) hash & mask;

  for (;;)
    {
      HsSetEntry *e = &s->table[i];
      int probes = (i + LINEAR_PROBES <= mask) ? LINEAR_PROBES : 0;
      do
        {
          if (e->hash == 0 && e->key == NULL)
            return false;
          if (e->key == key)
            return true;
          e++;
        }
      while (probes--);
      perturb >>= PERTURB_SHIFT;
      i = (i * 5 + 1 + perturb) & mask;
    }
}

/* Publishes, for a swap of tables between `from` and `to`, the keys `to` gains (gain)
 * or loses (!gain).  Counts are moved by hand: every key stays alive in one of the sets. */
static void
publish_swap (HsVm *vm, HsSet *holder, HsSet *old_tab, HsSet *new_tab, bool gain)
{
  HsSet *walk = gain ? new_tab : old_tab, *other = gain ? old_tab : new_tab;

  for (size_t i = 0; i <= walk->mask; i++)
    {
      HsSetEntry *e = &walk->table[i];
      if (!is_active (e) || has_identical (other, e->key, e->hash))
        continue;
      if (gain)
        {
          e->key->refcnt++;
          hs_emit_ref (vm, HS_HOLDER_KEY, holder->base.id, e->key->id, NULL, NULL, e->key);
        }
      else
        {
          hs_emit_ref (vm, HS_HOLDER_KEY, holder->base.id, e->key->id, NULL, e->key, NULL);
          e->key->refcnt--;
        }
    }
}

/* Moves b's table into a and a's into b (intersection_update), publishing the moves. */
static void
set_swap_bodies (HsVm *vm, HsSet *a, HsSet *b)
{
  HsSet t;
  bool a_small = a->table == a->small, b_small = b->table == b->small;

  if (hs_hooked (vm, HS_EV_REF))
    {
      /* gains first (counts go up), then losses: nothing reaches zero meanwhile */
      publish_swap (vm, a, a, b, true);
      publish_swap (vm, b, b, a, true);
      publish_swap (vm, a, a, b, false);
      publish_swap (vm, b, b, a, false);
    }
  t.fill = a->fill; t.used = a->used; t.mask = a->mask; t.table = a->table;
  memcpy (t.small, a->small, sizeof t.small);
  a->fill = b->fill; a->used = b->used; a->mask = b->mask;
  a->table = b_small ? a->small : b->table;
  memcpy (a->small, b->small, sizeof a->small);
  b->fill = t.fill; b->used = t.used; b->mask = t.mask;
  b->table = a_small ? b->small : t.table;
  memcpy (b->small, t.small, sizeof b->small);
  a->hash = -1;
  b->hash = -1;
}

static int
set_issubset (HsVm *vm, HsSet *a, HsSet *b)
{
  if (a->used > b->used)
    return 0;
  for (size_t i = 0; i <= a->mask; i++)
    if (is_active (&a->table[i]))
      {
        int r = set_contains_entry (vm, b, a->table[i].key, a->table[i].hash);
        if (r <= 0)
          return r;
      }
  return 1;
}

/* other as a set: a new reference (other itself when it is one) */
static HsObject *
as_set (HsVm *vm, HsObject *other)
{
  if (is_set (vm, other))
    return hs_incref (other);
  return make_new_set (vm, HS_T (vm, SET), other);
}

/* ---- slots ------------------------------------------------------------------------ */

static void
set_dealloc (HsVm *vm, HsObject *self)
{
  set_clear_all (vm, S (self));
  hs_object_free (vm, self);
}

static int
set_traverse (HsObject *self, HsVisitProc visit, void *arg)
{
  HsSet *s = S (self);

  for (size_t i = 0; i <= s->mask; i++)
    if (is_active (&s->table[i]))
      {
        int r = visit (s->table[i].key, arg);
        if (r != 0)
          return r;
      }
  return 0;
}

static void
set_clear (HsVm *vm, HsObject *self)
{
  set_clear_all (vm, S (self));
}

static HsObject *
set_repr (HsVm *vm, HsObject *self)
{
  HsSet *s = S (self);
  bool exact = HS_IS_TYPE (vm, self, SET);
  const char *name = self->type->name;
  HsBuf b;
  bool first = true;
  int r;

  if (s->used == 0)
    return hs_str_printf (vm, "%s()", name);
  r = hs_repr_enter (vm, self);
  if (r != 0)
    return r > 0 ? hs_str_printf (vm, "%s(...)", name) : NULL;
  hs_buf_init (&b);
  if (!exact)
    {
      hs_buf_add (vm, &b, name, strlen (name));
      hs_buf_add (vm, &b, "(", 1);
    }
  hs_buf_add (vm, &b, "{", 1);
  for (size_t i = 0; i <= s->mask; i++)
    {
      HsObject *k, *ks;
      bool ok;
      if (!is_active (&s->table[i]))
        continue;
      k = s->table[i].key;
      ks = hs_object_repr (vm, k);
      ok = ks != NULL && (first || hs_buf_add (vm, &b, ", ", 2)) && hs_buf_add_str (vm, &b, ks);
      hs_xdecref (vm, ks);
      if (!ok)
        goto fail;
      first = false;
    }
  if (!hs_buf_add (vm, &b, exact ? "}" : "})", exact ? 1 : 2))
    goto fail;
  hs_repr_leave (vm, self);
  return hs_buf_finish (vm, &b);
fail:
  hs_repr_leave (vm, self);
  hs_buf_free (vm, &b);
  return NULL;
}

static uint64_t
shuffle_bits (uint64_t h)
{
  return ((h ^ 89869747UL) ^ (h << 16)) * 3644798167UL;
}

/* CPython 3.11's frozenset hash, so hash(frozenset({1, 2})) is the same number. */
static bool
frozenset_hash (HsVm *vm, HsObject *self, int64_t *out)
{
  HsSet *s = S (self);
  uint64_t hash = 0;

  (void) vm;
  if (s->hash != -1)
    {
      *out = s->hash;
      return true;
    }
  for (size_t i = 0; i <= s->mask; i++)
    if (is_active (&s->table[i]))
      hash ^= shuffle_bits ((uint64_t) s->table[i].hash);
  hash ^= ((uint64_t) s->used + 1) * 1927868237UL;
  hash ^= (hash >> 11) ^ (hash >> 25);
  hash = hash * 69069U + 907133923UL;
  if (hash == (uint64_t) -1)
    hash = 590923713UL;
  s->hash = (int64_t) hash;
  *out = s->hash;
  return true;
}

static HsObject *
set_richcompare (HsVm *vm, HsObject *self, HsObject *other, HsCompareOp op)
{
  HsSet *a = S (self), *b = S (other);
  int r;

  if (!is_set (vm, other) || !is_set (vm, self))
    return hs_not_implemented (vm);
  switch (op)
    {
    case HS_CMP_EQ:
    case HS_CMP_NE:
      if (a->used != b->used)
        r = 0;
      else if (is_frozen (vm, self) && is_frozen (vm, other) && a->hash != -1 && b->hash != -1
               && a->hash != b->hash)
        r = 0;
      else
        r = set_issubset (vm, a, b);
      if (r < 0)
        return NULL;
      return hs_bool_from (vm, op == HS_CMP_EQ ? r : !r);
    case HS_CMP_LE:
      r = set_issubset (vm, a, b);
      break;
    case HS_CMP_GE:
      r = set_issubset (vm, b, a);
      break;
    case HS_CMP_LT:
      r = a->used < b->used ? set_issubset (vm, a, b) : 0;
      break;
    default:
      r = a->used > b->used ? set_issubset (vm, b, a) : 0;
      break;
    }
  if (r < 0)
    return NULL;
  return hs_bool_from (vm, r);
}

static HsObject *
set_binary (HsVm *vm, HsObject *left, HsObject *right, HsBinaryOp op)
{
  HsObject *r;

  if (!is_set (vm, left) || !is_set (vm, right))
    return hs_not_implemented (vm);
  switch (op)
    {
    case HS_BINOP_OR:
      r = set_copy (vm, left);
      if (r != NULL && left != right && set_update_internal (vm, S (r), right) < 0)
        {
          hs_decref (vm, r);
          return NULL;
        }
      return r;
    case HS_BINOP_AND:
      return set_intersection (vm, left, right);
    case HS_BINOP_SUB:
      return set_difference (vm, left, right);
    case HS_BINOP_XOR:
      return set_symmetric_difference (vm, left, right);
    default:
      return hs_not_implemented (vm);
    }
}

static HsObject *
set_inplace (HsVm *vm, HsObject *left, HsObject *right, HsBinaryOp op)
{
  HsSet *s = S (left);
  int rc;

  if (!HS_IS_SUBTYPE (vm, left, SET) || !is_set (vm, right))
    return hs_not_implemented (vm);
  switch (op)
    {
    case HS_BINOP_OR:
      rc = set_update_internal (vm, s, right);
      break;
    case HS_BINOP_SUB:
      rc = set_difference_update_internal (vm, s, right);
      break;
    case HS_BINOP_XOR:
      rc = set_symmetric_difference_update (vm, s, right);
      break;
    case HS_BINOP_AND:
      {
        HsObject *t = set_intersection (vm, left, right);
        if (t == NULL)
          return NULL;
        set_swap_bodies (vm, s, S (t));
        hs_decref (vm, t);
        rc = 0;
        break;
      }
    default:
      return hs_not_implemented (vm);
    }
  return rc < 0 ? NULL : hs_incref (left);
}

static int64_t
set_len (HsVm *vm, HsObject *self)
{
  (void) vm;
  return S (self)->used;
}

static int
set_contains_slot (HsVm *vm, HsObject *self, HsObject *key)
{
  return set_contains_key (vm, S (self), key);
}

static HsObject *
set_iter (HsVm *vm, HsObject *self)
{
  HsIterObj *it = (HsIterObj *) hs_iterobj_new (vm, HS_T_SET_ITER, self, 0);

  if (it != NULL)
    it->extra = S (self)->used;
  return &it->base;
}

static HsObject *
setiter_next (HsVm *vm, HsObject *self)
{
  HsIterObj *it = (HsIterObj *) self;
  HsSet *s = S (it->seq);

  if (s == NULL)
    return NULL;
  if (it->extra != s->used)
    {
      hs_err_format (vm, HS_EXC (vm, RUNTIME_ERROR), "Set changed size during iteration");
      it->extra = -1;
      return NULL;
    }
  while ((size_t) it->index <= s->mask)
    {
      HsSetEntry *e = &s->table[it->index++];
      if (is_active (e))
        return hs_incref (e->key);
    }
  hs_iterobj_exhaust (vm, it);
  return NULL;
}

static HsObject *
set_new_common (HsVm *vm, HsType *cls, HsObject *const *args, size_t nargs, HsObject *kwnames,
                const char *name, bool frozen)
{
  if (kwnames != NULL && hs_tuple_size (kwnames) > 0)
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "%s() takes no keyword arguments", name);
      return NULL;
    }
  if (hs_check_nargs (vm, name, nargs, 0, 1) < 0)
    return NULL;
  if (frozen && nargs == 1 && HS_IS_TYPE (vm, args[0], FROZENSET) && cls == HS_T (vm, FROZENSET))
    return hs_incref (args[0]);
  return make_new_set (vm, cls, nargs ? args[0] : NULL);
}

static HsObject *
set_new (HsVm *vm, HsType *cls, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  return set_new_common (vm, cls, args, nargs, kwnames, "set", false);
}

static HsObject *
frozenset_new (HsVm *vm, HsType *cls, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  return set_new_common (vm, cls, args, nargs, kwnames, "frozenset", true);
}

static void
set_describe (HsVm *vm, HsObject *self, char *buf, size_t cap)
{
  int64_t n = S (self)->used;
  bool frozen = is_frozen (vm, self);

  if (n == 0)
    snprintf (buf, cap, frozen ? "frozenset()" : "set()");
  else
    snprintf (buf, cap, "%s{%lld item%s}", frozen ? "frozenset" : "", (long long) n,
              n == 1 ? "" : "s");
}

static size_t
set_size_of (HsObject *self)
{
  HsSet *s = S (self);
  return 200 + (s->table != s->small ? (s->mask + 1) * 16 : 0);
}

/* ---- methods ----------------------------------------------------------------------- */

#define ONEARG(fname)                                                          \
  do {                                                                         \
    if (hs_check_no_kwargs (vm, fname, kwnames) < 0                            \
        || hs_check_nargs (vm, fname, nargs, 1, 1) < 0)                        \
      return NULL;                                                             \
  } while (0)

#define NOARGS(fname)                                                          \
  do {                                                                         \
    (void) args;                                                               \
    if (hs_check_no_kwargs (vm, fname, kwnames) < 0                            \
        || hs_check_nargs (vm, fname, nargs, 0, 0) < 0)                        \
      return NULL;                                                             \
  } while (0)

#define VARARGS(fname)                                                         \
  do {                                                                         \
    if (hs_check_no_kwargs (vm, fname, kwnames) < 0)                           \
      return NULL;                                                             \
  } while (0)

static HsObject *
m_add (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  ONEARG ("set.add()");
  if (set_add_key (vm, S (self), args[0]) < 0)
    return NULL;
  return hs_none (vm);
}

static HsObject *
m_remove (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  int r;

  ONEARG ("set.remove()");
  r = hs_set_discard (vm, self, args[0]);
  if (r < 0)
    return NULL;
  if (r == 0)
    {
      HsObject *exc = hs_object_call (vm, (HsObject *) HS_EXC (vm, KEY_ERROR), args, 1, NULL);
      if (exc != NULL)
        {
          hs_err_set_object (vm, exc);
          hs_decref (vm, exc);
        }
      return NULL;
    }
  return hs_none (vm);
}

static HsObject *
m_discard (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  ONEARG ("set.discard()");
  if (hs_set_discard (vm, self, args[0]) < 0)
    return NULL;
  return hs_none (vm);
}

static HsObject *
m_pop (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  HsSet *s = S (self);
  HsSetEntry *e;
  HsObject *key;

  NOARGS ("set.pop()");
  if (s->used == 0)
    {
      HsObject *msg = hs_str_from_cstr (vm, "pop from an empty set"), *exc;
      if (msg == NULL)
        return NULL;
      exc = hs_object_call (vm, (HsObject *) HS_EXC (vm, KEY_ERROR), &msg, 1, NULL);
      hs_decref (vm, msg);
      if (exc != NULL)
        {
          hs_err_set_object (vm, exc);
          hs_decref (vm, exc);
        }
      return NULL;
    }
  e = &s->table[s->finger & s->mask];
  while (!is_active (e))
    {
      e++;
      if (e > &s->table[s->mask])
        e = s->table;
    }
  key = e->key;
  e->key = DUMMY;
  e->hash = -1;
  s->used--;
  s->finger = (size_t) (e - s->table) + 1;
  HS_REF (vm, HS_HOLDER_KEY, self->id, key->id, NULL, key, NULL);
  return key;
}

static HsObject *
m_clear (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  NOARGS ("set.clear()");
  set_clear_all (vm, S (self));
  return hs_none (vm);
}

static HsObject *
m_copy (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  NOARGS ("set.copy()");
  if (HS_IS_TYPE (vm, self, FROZENSET))
    return hs_incref (self);
  return set_copy (vm, self);
}

static HsObject *
m_update (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  VARARGS ("set.update()");
  for (size_t i = 0; i < nargs; i++)
    if (set_update_internal (vm, S (self), args[i]) < 0)
      return NULL;
  return hs_none (vm);
}

static HsObject *
m_union (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  HsObject *r;

  VARARGS ("set.union()");
  r = set_copy (vm, self);
  for (size_t i = 0; r != NULL && i < nargs; i++)
    if (args[i] != self && set_update_internal (vm, S (r), args[i]) < 0)
      {
        hs_decref (vm, r);
        return NULL;
      }
  return r;
}

static HsObject *
m_intersection (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  HsObject *r;

  VARARGS ("set.intersection()");
  if (nargs == 0)
    return set_copy (vm, self);
  r = hs_incref (self);
  for (size_t i = 0; i < nargs; i++)
    {
      HsObject *n = set_intersection (vm, r, args[i]);
      hs_decref (vm, r);
      if (n == NULL)
        return NULL;
      r = n;
    }
  return r;
}

static HsObject *
m_intersection_update (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs,
                       HsObject *kwnames)
{
  HsObject *t = m_intersection (vm, self, args, nargs, kwnames);

  if (t == NULL)
    return NULL;
  set_swap_bodies (vm, S (self), S (t));
  hs_decref (vm, t);
  return hs_none (vm);
}

static HsObject *
m_difference (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  HsObject *r;

  VARARGS ("set.difference()");
  if (nargs == 0)
    return set_copy (vm, self);
  r = set_difference (vm, self, args[0]);
  for (size_t i = 1; r != NULL && i < nargs; i++)
    if (set_difference_update_internal (vm, S (r), args[i]) < 0)
      {
        hs_decref (vm, r);
        return NULL;
      }
  return r;
}

static HsObject *
m_difference_update (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs,
                     HsObject *kwnames)
{
  VARARGS ("set.difference_update()");
  for (size_t i = 0; i < nargs; i++)
    if (set_difference_update_internal (vm, S (self), args[i]) < 0)
      return NULL;
  return hs_none (vm);
}

static HsObject *
m_symmetric_difference (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs,
                        HsObject *kwnames)
{
  ONEARG ("set.symmetric_difference()");
  return set_symmetric_difference (vm, self, args[0]);
}

static HsObject *
m_symmetric_difference_update (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs,
                               HsObject *kwnames)
{
  ONEARG ("set.symmetric_difference_update()");
  if (set_symmetric_difference_update (vm, S (self), args[0]) < 0)
    return NULL;
  return hs_none (vm);
}

static HsObject *
m_issubset (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  HsObject *o;
  int r;

  ONEARG ("set.issubset()");
  o = as_set (vm, args[0]);
  if (o == NULL)
    return NULL;
  r = set_issubset (vm, S (self), S (o));
  hs_decref (vm, o);
  return r < 0 ? NULL : hs_bool_from (vm, r);
}

static HsObject *
m_issuperset (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  HsObject *o;
  int r;

  ONEARG ("set.issuperset()");
  o = as_set (vm, args[0]);
  if (o == NULL)
    return NULL;
  r = set_issubset (vm, S (o), S (self));
  hs_decref (vm, o);
  return r < 0 ? NULL : hs_bool_from (vm, r);
}

static HsObject *
m_isdisjoint (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  HsObject *o;
  HsSet *a, *b;
  int r = 1;

  ONEARG ("set.isdisjoint()");
  o = as_set (vm, args[0]);
  if (o == NULL)
    return NULL;
  a = S (self);
  b = S (o);
  if (a->used > b->used)
    {
      HsSet *t = a;
      a = b;
      b = t;
    }
  for (size_t i = 0; i <= a->mask && r == 1; i++)
    if (is_active (&a->table[i]))
      {
        int c = set_contains_entry (vm, b, a->table[i].key, a->table[i].hash);
        if (c < 0)
          r = -1;
        else if (c > 0)
          r = 0;
      }
  hs_decref (vm, o);
  return r < 0 ? NULL : hs_bool_from (vm, r);
}

static HsObject *
m_contains (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  int r;

  ONEARG ("set.__contains__()");
  r = set_contains_key (vm, S (self), args[0]);
  return r < 0 ? NULL : hs_bool_from (vm, r);
}

HS_WRAP_LEN (set, set_len)
HS_WRAP_ITER (set, set_iter)
HS_WRAP_REPR (set, set_repr)

static HsObject *
set_w_init (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  if (hs_check_no_kwargs (vm, "set()", kwnames) < 0 || hs_check_nargs (vm, "set", nargs, 0, 1) < 0)
    return NULL;
  set_clear_all (vm, S (self));
  if (nargs == 1 && set_update_internal (vm, S (self), args[0]) < 0)
    return NULL;
  return hs_none (vm);
}

static const HsMethodDef set_methods[] = {
  HS_WRAP_DEFS (set),
  { "__init__", set_w_init, "Initialize self." },
  { "add", m_add, "Add an element to a set." },
  { "remove", m_remove, "Remove an element from a set; it must be a member." },
  { "discard", m_discard, "Remove an element from a set if it is a member." },
  { "pop", m_pop, "Remove and return an arbitrary set element." },
  { "clear", m_clear, "Remove all elements from this set." },
  { "copy", m_copy, "Return a shallow copy of a set." },
  { "update", m_update, "Update a set with the union of itself and others." },
  { "union", m_union, "Return the union of sets as a new set." },
  { "intersection", m_intersection, "Return the intersection of two sets as a new set." },
  { "intersection_update", m_intersection_update, "Update a set with the intersection of itself and another." },
  { "difference", m_difference, "Return the difference of two or more sets as a new set." },
  { "difference_update", m_difference_update, "Remove all elements of another set from this set." },
  { "symmetric_difference", m_symmetric_difference, "Return the symmetric difference of two sets as a new set." },
  { "symmetric_difference_update", m_symmetric_difference_update, "Update a set with the symmetric difference of itself and another." },
  { "issubset", m_issubset, "Report whether another set contains this set." },
  { "issuperset", m_issuperset, "Report whether this set contains another set." },
  { "isdisjoint", m_isdisjoint, "Return True if two sets have a null intersection." },
  { "__contains__", m_contains, "x.__contains__(y) <==> y in x." },
  { NULL, NULL, NULL },
};

static const HsMethodDef frozenset_methods[] = {
  HS_WRAP_DEFS (set),
  { "copy", m_copy, "Return a shallow copy of a set." },
  { "union", m_union, "Return the union of sets as a new set." },
  { "intersection", m_intersection, "Return the intersection of two sets as a new set." },
  { "difference", m_difference, "Return the difference of two or more sets as a new set." },
  { "symmetric_difference", m_symmetric_difference, "Return the symmetric difference of two sets as a new set." },
  { "issubset", m_issubset, "Report whether another set contains this set." },
  { "issuperset", m_issuperset, "Report whether this set contains another set." },
  { "isdisjoint", m_isdisjoint, "Return True if two sets have a null intersection." },
  { "__contains__", m_contains, "x.__contains__(y) <==> y in x." },
  { NULL, NULL, NULL },
};

static const HsType set_tmpl = {
  .name = "set",
  .flags = HS_TPFLAG_GC | HS_TPFLAG_BASETYPE,
  .basic_size = sizeof (HsSet),
  .dealloc = set_dealloc,
  .traverse = set_traverse,
  .clear = set_clear,
  .repr = set_repr,
  .richcompare = set_richcompare,
  .binary = set_binary,
  .inplace = set_inplace,
  .len = set_len,
  .contains = set_contains_slot,
  .iter = set_iter,
  .new_ = set_new,
  .methods = set_methods,
  .describe = set_describe,
  .size_of = set_size_of,
};

static const HsType frozenset_tmpl = {
  .name = "frozenset",
  .flags = HS_TPFLAG_GC | HS_TPFLAG_BASETYPE,
  .basic_size = sizeof (HsSet),
  .dealloc = set_dealloc,
  .traverse = set_traverse,
  .clear = set_clear,
  .repr = set_repr,
  .hash = frozenset_hash,
  .richcompare = set_richcompare,
  .binary = set_binary,
  .len = set_len,
  .contains = set_contains_slot,
  .iter = set_iter,
  .new_ = frozenset_new,
  .methods = frozenset_methods,
  .describe = set_describe,
  .size_of = set_size_of,
};

static const HsType set_iter_tmpl = {
  .name = "set_iterator",
  .flags = HS_TPFLAG_GC,
  .basic_size = sizeof (HsIterObj),
  .dealloc = hs_iterobj_dealloc,
  .traverse = hs_iterobj_traverse,
  .clear = hs_iterobj_clear,
  .iter = hs_iter_self,
  .iternext = setiter_next,
};

void
hs_set_types_init (HsVm *vm)
{
  hs_register (vm, HS_T_SET, &set_tmpl);
  hs_register (vm, HS_T_FROZENSET, &frozenset_tmpl);
  hs_register (vm, HS_T_SET_ITER, &set_iter_tmpl);
}
