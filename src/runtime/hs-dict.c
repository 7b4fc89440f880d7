/* hs-dict.c — dict: a compact, insertion-ordered hash table as CPython 3.11's, its views and iterators. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <string.h>

#include "hs-containers.h"

#define D(o) ((HsDict *) (o))
#define IX_EMPTY (-1)
#define IX_DUMMY (-2)
#define USABLE(size) (((size) << 1) / 3)
#define PERTURB_SHIFT 5

/* ---- the table --------------------------------------------------------------------- */

/* CPython 3.11's calculate_log2_keysize: bit_length((minsize | 8) - 1), quirks included,
 * so table sizes (and sys.getsizeof) agree. */
static uint8_t
log2_keysize (int64_t minsize)
{
  uint64_t v = ((uint64_t) minsize | 8) - 1;
  uint8_t log2 = 0;

  while (v != 0)
    {
      log2++;
      v >>= 1;
    }
  return log2 < 3 ? 3 : log2;
}

static size_t
entries_cap (uint8_t log2)
{
  return USABLE ((size_t) 1 << log2);
}

static void
free_table (HsVm *vm, HsDict *d)
{
  if (d->log2size == 0)
    return;
  hs_mem_free (vm, d->indices, ((size_t) 1 << d->log2size) * sizeof (int32_t));
  hs_mem_free (vm, d->entries, entries_cap (d->log2size) * sizeof (HsDictEntry));
  d->indices = NULL;
  d->entries = NULL;
  d->log2size = 0;
}

/* Rebuilds the table at 2**log2 slots, compacting out deleted entries. */
static int
dict_resize (HsVm *vm, HsDict *d, uint8_t log2, bool unicode)
{
  size_t size = (size_t) 1 << log2, mask = size - 1, cap = entries_cap (log2);
  int32_t *ix = hs_mem_alloc (vm, size * sizeof (int32_t));
  HsDictEntry *en = ix ? hs_mem_alloc (vm, cap * sizeof (HsDictEntry)) : NULL;
  int64_t n = 0;

  if (en == NULL)
    {
      if (ix)
        hs_mem_free (vm, ix, size * sizeof (int32_t));
      return -1;
    }
  memset (ix, 0xff, size * sizeof (int32_t));
  for (int64_t i = 0; i < d->nentries; i++)
    {
      HsDictEntry *e = &d->entries[i];
      uint64_t perturb;
      size_t j;
      if (e->key == NULL)
        continue;
      en[n] = *e;
      perturb = (uint64_t) e->hash;
      j = (size_t) e->hash & mask;
      while (ix[j] != IX_EMPTY)
        {
          perturb >>= PERTURB_SHIFT;
          j = (j * 5 + perturb + 1) & mask;
        }
      ix[j] = (int32_t) n++;
    }
  free_table (vm, d);
  d->indices = ix;
  d->entries = en;
  d->log2size = log2;
  d->nentries = n;
  d->usable = (int64_t) cap - n;
  d->unicode = unicode;
  return 0;
}

/* Finds key: entry index (>= 0) and its slot, IX_EMPTY if absent, IX_DUMMY-1 on error. */
static int64_t
dict_find (HsVm *vm, HsDict *d, HsObject *key, int64_t hash, size_t *slot)
{
  size_t mask, i;
  uint64_t perturb = (uint64_t) hash;

  if (d->log2size == 0)
    return IX_EMPTY;
  mask = ((size_t) 1 << d->log2size) - 1;
  i = (size_t) hash & mask;
  for (;;)
    {
      int32_t ix = d->indices[i];
      if (ix == IX_EMPTY)
        return IX_EMPTY;
      if (ix >= 0)
        {
          HsDictEntry *e = &d->entries[ix];
          if (e->key == key)
            {
              *slot = i;
              return ix;
            }
          if (e->hash == hash)
            {
              HsObject *k = e->key;
              int c;
              if (k->type == key->type && k->type == HS_T (vm, STR))
                c = hs_str_equal (k, key);
              else
                c = hs_eq_fast (vm, k, key);
              if (c < 0)
                return IX_DUMMY - 1;
              if (c > 0)
                {
                  *slot = i;
                  return ix;
                }
            }
        }
      perturb >>= PERTURB_SHIFT;
      i = (i * 5 + perturb + 1) & mask;
    }
}

static size_t
find_empty_slot (HsDict *d, int64_t hash)
{
  size_t mask = ((size_t) 1 << d->log2size) - 1, i = (size_t) hash & mask;
  uint64_t perturb = (uint64_t) hash;

  while (d->indices[i] >= 0)
    {
      perturb >>= PERTURB_SHIFT;
      i = (i * 5 + perturb + 1) & mask;
    }
  return i;
}

static inline HsHolderKind
value_kind (HsDict *d)
{
  return (HsHolderKind) d->holder_kind;
}

static inline const char *
key_name (HsVm *vm, HsObject *key)
{
  return key->type == HS_T (vm, STR) ? hs_str_data (key) : NULL;
}

static void
maybe_track (HsVm *vm, HsDict *d, HsObject *key, HsObject *value)
{
  if (!hs_gc_is_tracked (&d->base)
      && (hs_may_be_tracked (vm, key) || hs_may_be_tracked (vm, value)))
    hs_gc_track (vm, &d->base);
}

/* Entry ix, whose key is `key`, now holds `value` (a new reference if steal). */
static void
replace_value (HsVm *vm, HsDict *d, int64_t ix, HsObject *key, HsObject *value, bool steal)
{
  HsObject *old = d->entries[ix].value;

  if (old == value)
    {
      if (steal)
        hs_decref (vm, value);
      return;
    }
  d->entries[ix].value = steal ? value : hs_incref (value);
  HS_REF (vm, value_kind (d), d->base.id, d->entries[ix].key->id,
          key_name (vm, d->entries[ix].key), old, value);
  maybe_track (vm, d, key, value);
  hs_decref (vm, old);
}

/* Stores key -> value (both borrowed; value stolen when `steal`). */
static int
dict_insert_ex (HsVm *vm, HsDict *d, HsObject *key, int64_t hash, HsObject *value, bool steal)
{
  size_t slot;
  int64_t ix;
  bool is_str = key->type == HS_T (vm, STR);
  HsDictEntry *e;

  if (d->log2size == 0)
    {
      if (dict_resize (vm, d, 3, is_str) < 0)
        return -1;
    }
  else
    {
      ix = dict_find (vm, d, key, hash, &slot);
      if (ix < IX_DUMMY)
        return -1;
      if (ix >= 0)
        {
          replace_value (vm, d, ix, key, value, steal);
          return 0;
        }
      if (d->unicode && !is_str)
        {
          if (dict_resize (vm, d, log2_keysize (d->used * 3), false) < 0)
            return -1;
        }
      else if (d->usable <= 0
               && dict_resize (vm, d, log2_keysize (d->used * 3), d->unicode) < 0)
        return -1;
    }
  slot = find_empty_slot (d, hash);
  d->indices[slot] = (int32_t) d->nentries;
  e = &d->entries[d->nentries];
  e->hash = hash;
  e->key = hs_incref (key);
  e->value = steal ? value : hs_incref (value);
  d->nentries++;
  d->usable--;
  d->used++;
  if (hs_hooked (vm, HS_EV_REF))
    {
      hs_emit_ref (vm, HS_HOLDER_KEY, d->base.id, key->id, key_name (vm, key), NULL, key);
      hs_emit_ref (vm, value_kind (d), d->base.id, key->id, key_name (vm, key), NULL, value);
    }
  maybe_track (vm, d, key, value);
  return 0;
}

static int
dict_insert (HsVm *vm, HsDict *d, HsObject *key, int64_t hash, HsObject *value)
{
  return dict_insert_ex (vm, d, key, hash, value, false);
}

bool
hs_dict_replace_at (HsVm *vm, HsObject *dict, uintptr_t ix, HsObject *key, HsObject *value)
{
  HsDict *d = D (dict);

  if (ix >= (uintptr_t) d->nentries || d->entries[ix].key != key)
    return false;
  replace_value (vm, d, (int64_t) ix, key, value, true);
  return true;
}

int
hs_dict_set_stolen (HsVm *vm, HsObject *dict, HsObject *key, HsObject *value)
{
  int64_t h;
  int r;

  if (!hs_hash_fast (vm, key, &h))
    {
      hs_decref (vm, value);
      return -1;
    }
  r = dict_insert_ex (vm, D (dict), key, h, value, true);
  if (r < 0)
    hs_decref (vm, value);
  return r;
}

/* Removes entry ix at slot; returns the value (the dict's reference, now the caller's),
 * and the key's reference too when key_out is given (else it is released). */
static HsObject *
dict_take (HsVm *vm, HsDict *d, int64_t ix, size_t slot, HsObject **key_out)
{
  HsDictEntry *e = &d->entries[ix];
  HsObject *key = e->key, *value = e->value;

  d->indices[slot] = IX_DUMMY;
  e->key = NULL;
  e->value = NULL;
  d->used--;
  if (hs_hooked (vm, HS_EV_REF))
    {
      hs_emit_ref (vm, value_kind (d), d->base.id, key->id, key_name (vm, key), value, NULL);
      hs_emit_ref (vm, HS_HOLDER_KEY, d->base.id, key->id, key_name (vm, key), key, NULL);
    }
  if (key_out != NULL)
    *key_out = key;
  else
    hs_decref (vm, key);
  return value;
}

static void
raise_key_error (HsVm *vm, HsObject *key)
{
  HsObject *exc = hs_object_call (vm, (HsObject *) HS_EXC (vm, KEY_ERROR), &key, 1, NULL);

  if (exc != NULL)
    {
      hs_err_set_object (vm, exc);
      hs_decref (vm, exc);
    }
}

/* ---- public API -------------------------------------------------------------------- */

static HsDict *
dict_alloc (HsVm *vm, HsType *type)
{
  size_t size = type->basic_size > sizeof (HsDict) ? type->basic_size : sizeof (HsDict);
  HsDict *d = hs_alloc_zero (vm, type, size);

  if (d != NULL)
    d->holder_kind = HS_HOLDER_VALUE;
  return d;
}

HsObject *
hs_dict_new (HsVm *vm)
{
  HsDict *d = dict_alloc (vm, HS_T (vm, DICT));
  return d ? &d->base : NULL;
}

HsObject *
hs_dict_lookup (HsVm *vm, HsObject *dict, HsObject *key, int64_t hash)
{
  HsDict *d = D (dict);
  size_t slot;
  int64_t ix = dict_find (vm, d, key, hash, &slot);

  return ix >= 0 ? d->entries[ix].value : NULL;
}

HsObject *
hs_dict_get (HsVm *vm, HsObject *dict, HsObject *key)
{
  int64_t h;

  if (!hs_hash_fast (vm, key, &h))
    return NULL;
  return hs_dict_lookup (vm, dict, key, h);
}

HsObject *
hs_dict_get_str (HsVm *vm, HsObject *dict, const char *key)
{
  HsObject *k = hs_str_intern (vm, key, strlen (key));

  if (k == NULL)
    return NULL;
  return hs_dict_get (vm, dict, k);
}

int
hs_dict_set (HsVm *vm, HsObject *dict, HsObject *key, HsObject *value)
{
  int64_t h;

  if (!hs_hash_fast (vm, key, &h))
    return -1;
  return dict_insert (vm, D (dict), key, h, value);
}

int
hs_dict_set_str (HsVm *vm, HsObject *dict, const char *key, HsObject *value)
{
  HsObject *k = hs_str_intern (vm, key, strlen (key));

  if (k == NULL)
    return -1;
  return hs_dict_set (vm, dict, k, value);
}

int
hs_dict_del (HsVm *vm, HsObject *dict, HsObject *key)
{
  HsDict *d = D (dict);
  int64_t h, ix;
  size_t slot;

  if (!hs_hash_fast (vm, key, &h))
    return -1;
  ix = dict_find (vm, d, key, h, &slot);
  if (ix < IX_DUMMY)
    return -1;
  if (ix < 0)
    {
      raise_key_error (vm, key);
      return -1;
    }
  hs_decref (vm, dict_take (vm, d, ix, slot, NULL));
  return 0;
}

int64_t
hs_dict_size (HsObject *dict)
{
  return D (dict)->used;
}

bool
hs_dict_next (HsObject *dict, size_t *pos, HsObject **key, HsObject **value)
{
  HsDict *d = D (dict);

  while ((int64_t) *pos < d->nentries)
    {
      HsDictEntry *e = &d->entries[(*pos)++];
      if (e->key != NULL)
        {
          if (key)
            *key = e->key;
          if (value)
            *value = e->value;
          return true;
        }
    }
  return false;
}

void
hs_dict_set_holder_kind (HsObject *dict, HsHolderKind kind)
{
  D (dict)->holder_kind = (uint8_t) kind;
}

static int
dict_merge_dict (HsVm *vm, HsDict *d, HsDict *o)
{
  if (o == d || o->used == 0)
    return 0;
  if (d->used == 0 && d->log2size == 0 && o->used == o->nentries)
    {
      /* as CPython's clone of a clean table: same size */
      if (dict_resize (vm, d, o->log2size, o->unicode) < 0)
        return -1;
    }
  else if (d->log2size != 0 && (int64_t) entries_cap (d->log2size) < o->used)
    {
      if (dict_resize (vm, d, log2_keysize (((d->used + o->used) * 3 + 1) / 2), d->unicode) < 0)
        return -1;
    }
  for (int64_t i = 0; i < o->nentries; i++)
    {
      HsDictEntry *e = &o->entries[i];
      if (e->key != NULL && dict_insert (vm, d, e->key, e->hash, e->value) < 0)
        return -1;
    }
  return 0;
}

int
hs_dict_update (HsVm *vm, HsObject *dict, HsObject *other)
{
  HsObject *it, *item;
  int64_t n = 0;

  if (HS_IS_SUBTYPE (vm, other, DICT))
    return dict_merge_dict (vm, D (dict), D (other));
  /* a mapping with keys(): use it */
  if (other->type->getitem != NULL && !HS_IS_SUBTYPE (vm, other, LIST)
      && !HS_IS_SUBTYPE (vm, other, TUPLE) && !HS_IS_SUBTYPE (vm, other, STR)
      && hs_type_lookup (vm, other->type, hs_str_intern (vm, "keys", 4)) != NULL)
    {
      HsObject *keys = hs_object_call_method (vm, other, "keys", NULL, 0), *k;
      int rc = 0;
      if (keys == NULL)
        return -1;
      it = hs_object_iter (vm, keys);
      hs_decref (vm, keys);
      if (it == NULL)
        return -1;
      while (rc == 0 && (k = hs_iter_next (vm, it)) != NULL)
        {
          HsObject *v = hs_object_getitem (vm, other, k);
          rc = v ? hs_dict_set (vm, dict, k, v) : -1;
          hs_xdecref (vm, v);
          hs_decref (vm, k);
        }
      hs_decref (vm, it);
      return rc == 0 && !hs_err_occurred (vm) ? 0 : -1;
    }
  it = hs_object_iter (vm, other);
  if (it == NULL)
    return -1;
  while ((item = hs_iter_next (vm, it)) != NULL)
    {
      HsObject *pair = NULL;
      int rc = -1;
      if (HS_IS_TYPE (vm, item, TUPLE) || HS_IS_TYPE (vm, item, LIST))
        pair = hs_incref (item);
      else if (item->type->iter != NULL || item->type->getitem != NULL)
        pair = hs_sequence_list (vm, item);
      else
        hs_err_format (vm, HS_EXC (vm, TYPE_ERROR),
                       "cannot convert dictionary update sequence element #%lld to a sequence",
                       (long long) n);
      if (pair != NULL)
        {
          size_t len = HS_IS_TYPE (vm, pair, TUPLE) ? hs_tuple_size (pair) : hs_list_size (pair);
          if (len != 2)
            hs_err_format (vm, HS_EXC (vm, VALUE_ERROR),
                           "dictionary update sequence element #%lld has length %zu; 2 is required",
                           (long long) n, len);
          else if (HS_IS_TYPE (vm, pair, TUPLE))
            rc = hs_dict_set (vm, dict, hs_tuple_item (pair, 0), hs_tuple_item (pair, 1));
          else
            rc = hs_dict_set (vm, dict, hs_list_item (pair, 0), hs_list_item (pair, 1));
          hs_decref (vm, pair);
        }
      hs_decref (vm, item);
      if (rc < 0)
        {
          hs_decref (vm, it);
          return -1;
        }
      n++;
    }
  hs_decref (vm, it);
  return hs_err_occurred (vm) ? -1 : 0;
}

HsObject *
hs_dict_copy (HsVm *vm, HsObject *dict)
{
  HsDict *r = dict_alloc (vm, HS_T (vm, DICT)), *o = D (dict);

  if (r == NULL)
    return NULL;
  if (o->used > 0)
    {
      uint8_t log2 = o->used == o->nentries ? o->log2size
                     : log2_keysize ((o->used * 3 + 1) / 2);
      if (dict_resize (vm, r, log2, o->unicode) < 0
          || dict_merge_dict (vm, r, o) < 0)
        {
          hs_decref (vm, &r->base);
          return NULL;
        }
    }
  return &r->base;
}

/* ---- slots ------------------------------------------------------------------------ */

/* Releases every entry in insertion order, key then value, as CPython's free_keys_object. */
static void
dict_clear_table (HsVm *vm, HsDict *d)
{
  HsDictEntry *en = d->entries;
  int64_t n = d->nentries;
  uint8_t log2 = d->log2size;
  HsId id = d->base.id;
  HsHolderKind vk = value_kind (d);

  if (log2 == 0)
    return;
  /* detach the table first: finalizers that run meanwhile see an empty dict */
  hs_mem_free (vm, d->indices, ((size_t) 1 << log2) * sizeof (int32_t));
  d->entries = NULL;
  d->indices = NULL;
  d->log2size = 0;
  d->used = 0;
  d->nentries = 0;
  d->usable = 0;
  for (int64_t i = 0; i < n; i++)
    {
      HsObject *k = en[i].key, *v = en[i].value;
      if (k == NULL)
        continue;
      en[i].key = NULL;
      en[i].value = NULL;
      if (hs_hooked (vm, HS_EV_REF))
        {
          hs_emit_ref (vm, HS_HOLDER_KEY, id, k->id, key_name (vm, k), k, NULL);
          hs_emit_ref (vm, vk, id, k->id, key_name (vm, k), v, NULL);
        }
      hs_decref (vm, k);
      hs_decref (vm, v);
    }
  hs_mem_free (vm, en, entries_cap (log2) * sizeof (HsDictEntry));
}

static void
dict_dealloc (HsVm *vm, HsObject *self)
{
  dict_clear_table (vm, D (self));
  hs_object_free (vm, self);
}

static int
dict_traverse (HsObject *self, HsVisitProc visit, void *arg)
{
  HsDict *d = D (self);

  for (int64_t i = 0; i < d->nentries; i++)
    {
      HsDictEntry *e = &d->entries[i];
      int r;
      if (e->key == NULL)
        continue;
      if ((r = visit (e->key, arg)) != 0 || (r = visit (e->value, arg)) != 0)
        return r;
    }
  return 0;
}

static void
dict_clear (HsVm *vm, HsObject *self)
{
  dict_clear_table (vm, D (self));
}

static HsObject *
dict_repr (HsVm *vm, HsObject *self)
{
  HsDict *d = D (self);
  HsBuf b;
  bool first = true;
  int r;

  if (d->used == 0)
    return hs_str_from_cstr (vm, "{}");
  r = hs_repr_enter (vm, self);
  if (r != 0)
    return r > 0 ? hs_str_from_cstr (vm, "{...}") : NULL;
  hs_buf_init (&b);
  hs_buf_add (vm, &b, "{", 1);
  for (int64_t i = 0; i < d->nentries; i++)
    {
      HsObject *k = d->entries[i].key, *v, *ks, *vs;
      bool ok;
      if (k == NULL)
        continue;
      v = d->entries[i].value;
      ks = hs_object_repr (vm, k);
      vs = ks ? hs_object_repr (vm, v) : NULL;
      ok = vs != NULL && (first || hs_buf_add (vm, &b, ", ", 2)) && hs_buf_add_str (vm, &b, ks)
           && hs_buf_add (vm, &b, ": ", 2) && hs_buf_add_str (vm, &b, vs);
      hs_xdecref (vm, ks);
      hs_xdecref (vm, vs);
      if (!ok)
        goto fail;
      first = false;
      if (i >= d->nentries)
        break;
    }
  if (!hs_buf_add (vm, &b, "}", 1))
    goto fail;
  hs_repr_leave (vm, self);
  return hs_buf_finish (vm, &b);

fail:
  hs_repr_leave (vm, self);
  hs_buf_free (vm, &b);
  return NULL;
}

static HsObject *
dict_richcompare (HsVm *vm, HsObject *self, HsObject *other, HsCompareOp op)
{
  HsDict *a = D (self), *b = D (other);
  bool eq = true;

  if (!HS_IS_SUBTYPE (vm, other, DICT) || !HS_IS_SUBTYPE (vm, self, DICT)
      || (op != HS_CMP_EQ && op != HS_CMP_NE))
    return hs_not_implemented (vm);
  if (a->used != b->used)
    eq = false;
  else
    for (int64_t i = 0; i < a->nentries && eq; i++)
      {
        HsDictEntry *e = &a->entries[i];
        HsObject *k, *v, *bv;
        int c;
        if (e->key == NULL)
          continue;
        k = e->key;
        v = e->value;
        bv = hs_dict_lookup (vm, other, k, e->hash);
        if (bv == NULL)
          {
            if (hs_err_occurred (vm))
              return NULL;
            eq = false;
            break;
          }
        c = hs_eq_fast (vm, v, bv);
        if (c < 0)
          return NULL;
        eq = c != 0;
      }
  return hs_bool_from (vm, op == HS_CMP_EQ ? eq : !eq);
}

static HsObject *
dict_binary (HsVm *vm, HsObject *left, HsObject *right, HsBinaryOp op)
{
  HsObject *r;

  if (op != HS_BINOP_OR || !HS_IS_SUBTYPE (vm, left, DICT) || !HS_IS_SUBTYPE (vm, right, DICT))
    return hs_not_implemented (vm);
  r = hs_dict_copy (vm, left);
  if (r != NULL && hs_dict_update (vm, r, right) < 0)
    {
      hs_decref (vm, r);
      return NULL;
    }
  return r;
}

static HsObject *
dict_inplace (HsVm *vm, HsObject *left, HsObject *right, HsBinaryOp op)
{
  if (op != HS_BINOP_OR || !HS_IS_SUBTYPE (vm, left, DICT))
    return hs_not_implemented (vm);
  if (hs_dict_update (vm, left, right) < 0)
    return NULL;
  return hs_incref (left);
}

static int64_t
dict_len (HsVm *vm, HsObject *self)
{
  (void) vm;
  return D (self)->used;
}

static HsObject *
dict_getitem (HsVm *vm, HsObject *self, HsObject *key)
{
  int64_t h;
  HsObject *v;

  if (!hs_hash_fast (vm, key, &h))
    return NULL;
  v = hs_dict_lookup (vm, self, key, h);
  if (v != NULL)
    return hs_incref (v);
  if (!hs_err_occurred (vm))
    {
      /* a subclass's __missing__ */
      if (!HS_IS_TYPE (vm, self, DICT))
        {
          HsObject *m = hs_type_lookup (vm, self->type, hs_str_intern (vm, "__missing__", 11));
          if (m != NULL)
            return hs_object_call_method (vm, self, "__missing__", &key, 1);
        }
      raise_key_error (vm, key);
    }
  return NULL;
}

static int
dict_setitem (HsVm *vm, HsObject *self, HsObject *key, HsObject *value)
{
  if (value == NULL)
    return hs_dict_del (vm, self, key);
  return hs_dict_set (vm, self, key, value);
}

static int
dict_contains (HsVm *vm, HsObject *self, HsObject *key)
{
  int64_t h;
  size_t slot;
  int64_t ix;

  if (!hs_hash_fast (vm, key, &h))
    return -1;
  ix = dict_find (vm, D (self), key, h, &slot);
  return ix >= 0 ? 1 : ix == IX_EMPTY ? 0 : -1;
}

static HsObject *
dict_iter (HsVm *vm, HsObject *self)
{
  HsIterObj *it = (HsIterObj *) hs_iterobj_new (vm, HS_T_DICT_KEYITER, self, 0);

  if (it != NULL)
    it->extra = D (self)->used;
  return &it->base;
}

static HsObject *
dict_new (HsVm *vm, HsType *cls, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  size_t npos = hs_npos (nargs, kwnames);
  HsDict *d;

  if (hs_check_nargs (vm, "dict", npos, 0, 1) < 0)
    return NULL;
  d = dict_alloc (vm, cls);
  if (d == NULL)
    return NULL;
  if (npos == 1 && hs_dict_update (vm, &d->base, args[0]) < 0)
    goto fail;
  if (kwnames != NULL)
    for (size_t i = 0; i < hs_tuple_size (kwnames); i++)
      if (hs_dict_set (vm, &d->base, hs_tuple_item (kwnames, i), args[npos + i]) < 0)
        goto fail;
  return &d->base;
fail:
  hs_decref (vm, &d->base);
  return NULL;
}

static void
dict_describe (HsVm *vm, HsObject *self, char *buf, size_t cap)
{
  int64_t n = D (self)->used;

  (void) vm;
  if (n == 0)
    snprintf (buf, cap, "{}");
  else
    snprintf (buf, cap, "{%lld item%s}", (long long) n, n == 1 ? "" : "s");
}

static size_t
dict_size_of (HsObject *self)
{
  HsDict *d = D (self);
  size_t size, ixb;

  if (d->log2size == 0)
    return 48;
  size = (size_t) 1 << d->log2size;
  ixb = d->log2size < 8 ? 1 : d->log2size < 16 ? 2 : d->log2size < 32 ? 4 : 8;
  return 48 + 32 + size * ixb + entries_cap (d->log2size) * (d->unicode ? 16 : 24);
}

/* ---- methods ---------------------------------------------------------------------- */

static HsObject *
make_view (HsVm *vm, HsObject *dict, HsTypeId type)
{
  HsIterObj *v = hs_alloc_zero (vm, vm->types[type], sizeof (HsIterObj));

  if (v == NULL)
    return NULL;
  hs_slot_init (vm, &v->seq, hs_incref (dict), HS_HOLDER_INTERNAL, v->base.id, 0, "mapping");
  hs_gc_track (vm, &v->base);
  return &v->base;
}

#define NOARGS(fname)                                                          \
  do {                                                                         \
    (void) args;                                                               \
    if (hs_check_no_kwargs (vm, fname, kwnames) < 0                            \
        || hs_check_nargs (vm, fname, nargs, 0, 0) < 0)                        \
      return NULL;                                                             \
  } while (0)

static HsObject *
m_keys (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  NOARGS ("dict.keys()");
  return make_view (vm, self, HS_T_DICT_KEYS);
}

static HsObject *
m_values (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  NOARGS ("dict.values()");
  return make_view (vm, self, HS_T_DICT_VALUES);
}

static HsObject *
m_items (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  NOARGS ("dict.items()");
  return make_view (vm, self, HS_T_DICT_ITEMS);
}

static HsObject *
m_get (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  HsObject *v;

  if (hs_check_no_kwargs (vm, "get()", kwnames) < 0 || hs_check_nargs (vm, "get", nargs, 1, 2) < 0)
    return NULL;
  v = hs_dict_get (vm, self, args[0]);
  if (v != NULL)
    return hs_incref (v);
  if (hs_err_occurred (vm))
    return NULL;
  return hs_incref (nargs > 1 ? args[1] : vm->none);
}

static HsObject *
m_setdefault (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  HsObject *v;

  if (hs_check_no_kwargs (vm, "setdefault()", kwnames) < 0
      || hs_check_nargs (vm, "setdefault", nargs, 1, 2) < 0)
    return NULL;
  v = hs_dict_get (vm, self, args[0]);
  if (v != NULL)
    return hs_incref (v);
  if (hs_err_occurred (vm))
    return NULL;
  v = nargs > 1 ? args[1] : vm->none;
  if (hs_dict_set (vm, self, args[0], v) < 0)
    return NULL;
  return hs_incref (v);
}

static HsObject *
m_pop (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  int64_t h, ix;
  size_t slot;

  if (hs_check_no_kwargs (vm, "pop()", kwnames) < 0 || hs_check_nargs (vm, "pop", nargs, 1, 2) < 0)
    return NULL;
  if (!hs_hash_fast (vm, args[0], &h))
    return NULL;
  ix = dict_find (vm, D (self), args[0], h, &slot);
  if (ix < IX_DUMMY)
    return NULL;
  if (ix >= 0)
    return dict_take (vm, D (self), ix, slot, NULL);
  if (nargs > 1)
    return hs_incref (args[1]);
  raise_key_error (vm, args[0]);
  return NULL;
}

static HsObject *
m_popitem (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  HsDict *d = D (self);
  int64_t i, h;
  HsObject *key, *value, *r;
  size_t slot;

  NOARGS ("dict.popitem()");
  if (d->used == 0)
    {
      HsObject *msg = hs_str_from_cstr (vm, "popitem(): dictionary is empty");
      if (msg != NULL)
        {
          raise_key_error (vm, msg);
          hs_decref (vm, msg);
        }
      return NULL;
    }
  i = d->nentries - 1;
  while (i >= 0 && d->entries[i].key == NULL)
    i--;
  key = d->entries[i].key;
  h = d->entries[i].hash;
  /* the slot of entry i in the index, by identity */
  {
    size_t mask = ((size_t) 1 << d->log2size) - 1;
    uint64_t perturb = (uint64_t) h;
    slot = (size_t) h & mask;
    while (d->indices[slot] != i)
      {
        perturb >>= PERTURB_SHIFT;
        slot = (slot * 5 + perturb + 1) & mask;
      }
  }
  value = dict_take (vm, d, i, slot, &key);
  d->nentries = i;
  r = hs_tuple_new (vm, 2);
  if (r == NULL)
    {
      hs_decref (vm, key);
      hs_decref (vm, value);
      return NULL;
    }
  hs_tuple_init_item (vm, r, 0, key);
  hs_tuple_init_item (vm, r, 1, value);
  return r;
}

static HsObject *
m_update (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  size_t npos = hs_npos (nargs, kwnames);

  if (hs_check_nargs (vm, "update", npos, 0, 1) < 0)
    return NULL;
  if (npos == 1 && hs_dict_update (vm, self, args[0]) < 0)
    return NULL;
  if (kwnames != NULL)
    for (size_t i = 0; i < hs_tuple_size (kwnames); i++)
      if (hs_dict_set (vm, self, hs_tuple_item (kwnames, i), args[npos + i]) < 0)
        return NULL;
  return hs_none (vm);
}

static HsObject *
m_clear (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  NOARGS ("dict.clear()");
  dict_clear_table (vm, D (self));
  return hs_none (vm);
}

static HsObject *
m_copy (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  NOARGS ("dict.copy()");
  return hs_dict_copy (vm, self);
}

/* self is the class (bound at start-up, a classmethod) */
static HsObject *
m_fromkeys (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  HsObject *d, *it, *k;
  HsObject *v;

  if (hs_check_no_kwargs (vm, "fromkeys()", kwnames) < 0
      || hs_check_nargs (vm, "fromkeys", nargs, 1, 2) < 0)
    return NULL;
  v = nargs > 1 ? args[1] : vm->none;
  d = hs_object_call (vm, self, NULL, 0, NULL);
  if (d == NULL)
    return NULL;
  it = hs_object_iter (vm, args[0]);
  if (it == NULL)
    {
      hs_decref (vm, d);
      return NULL;
    }
  while ((k = hs_iter_next (vm, it)) != NULL)
    {
      int r = hs_object_setitem (vm, d, k, v);
      hs_decref (vm, k);
      if (r < 0)
        break;
    }
  hs_decref (vm, it);
  if (hs_err_occurred (vm))
    {
      hs_decref (vm, d);
      return NULL;
    }
  return d;
}

static HsObject *
m_contains (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  int r;

  if (hs_check_no_kwargs (vm, "dict.__contains__()", kwnames) < 0
      || hs_check_nargs (vm, "dict.__contains__()", nargs, 1, 1) < 0)
    return NULL;
  r = dict_contains (vm, self, args[0]);
  return r < 0 ? NULL : hs_bool_from (vm, r);
}

static HsObject *
m_getitem (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  if (hs_check_no_kwargs (vm, "dict.__getitem__()", kwnames) < 0
      || hs_check_nargs (vm, "dict.__getitem__()", nargs, 1, 1) < 0)
    return NULL;
  return dict_getitem (vm, self, args[0]);
}

HS_WRAP_LEN (dict, dict_len)
HS_WRAP_ITER (dict, dict_iter)
HS_WRAP_REPR (dict, dict_repr)
HS_WRAP_SETITEM (dict, dict_setitem)
HS_WRAP_DELITEM (dict, dict_setitem)

static HsObject *
dict_w_init (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  return m_update (vm, self, args, nargs, kwnames);
}

static const HsMethodDef dict_methods[] = {
  HS_WRAP_DEFS (dict),
  { "__setitem__", dict_w_setitem, "Set self[key] to value." },
  { "__delitem__", dict_w_delitem, "Delete self[key]." },
  { "__init__", dict_w_init, "Initialize self." },
  { "keys", m_keys, "D.keys() -> a set-like object providing a view on D's keys" },
  { "values", m_values, "D.values() -> an object providing a view on D's values" },
  { "items", m_items, "D.items() -> a set-like object providing a view on D's items" },
  { "get", m_get, "Return the value for key if key is in the dictionary, else default." },
  { "setdefault", m_setdefault, "Insert key with a value of default if key is not in the dictionary." },
  { "pop", m_pop, "D.pop(k[,d]) -> v, remove specified key and return the corresponding value." },
  { "popitem", m_popitem, "Remove and return a (key, value) pair as a 2-tuple." },
  { "update", m_update, "D.update([E, ]**F) -> None.  Update D from dict/iterable E and F." },
  { "clear", m_clear, "D.clear() -> None.  Remove all items from D." },
  { "copy", m_copy, "D.copy() -> a shallow copy of D" },
  { "fromkeys", m_fromkeys, "@classmethod Create a new dictionary with keys from iterable and values set to value." },
  { "__contains__", m_contains, "True if the dictionary has the specified key, else False." },
  { "__getitem__", m_getitem, "x.__getitem__(y) <==> x[y]" },
  { NULL, NULL, NULL },
};

/* ---- views and iterators ------------------------------------------------------------- */

static int64_t
view_len (HsVm *vm, HsObject *self)
{
  HsIterObj *v = (HsIterObj *) self;
  (void) vm;
  return v->seq ? D (v->seq)->used : 0;
}

static HsObject *
view_iter (HsVm *vm, HsObject *self)
{
  HsIterObj *v = (HsIterObj *) self;
  HsTypeId t = HS_IS_TYPE (vm, self, DICT_KEYS) ? HS_T_DICT_KEYITER
               : HS_IS_TYPE (vm, self, DICT_VALUES) ? HS_T_DICT_VALUEITER : HS_T_DICT_ITEMITER;
  HsIterObj *it = (HsIterObj *) hs_iterobj_new (vm, t, v->seq, 0);

  if (it != NULL)
    it->extra = D (v->seq)->used;
  return &it->base;
}

static int
view_contains (HsVm *vm, HsObject *self, HsObject *item)
{
  HsIterObj *v = (HsIterObj *) self;

  if (HS_IS_TYPE (vm, self, DICT_KEYS))
    return dict_contains (vm, v->seq, item);
  if (HS_IS_TYPE (vm, self, DICT_ITEMS))
    {
      HsObject *val;
      int r;
      if (!HS_IS_TYPE (vm, item, TUPLE) || hs_tuple_size (item) != 2)
        return 0;
      val = hs_dict_get (vm, v->seq, hs_tuple_item (item, 0));
      if (val == NULL)
        return hs_err_occurred (vm) ? -1 : 0;
      hs_incref (val);
      r = hs_object_richcompare_bool (vm, val, hs_tuple_item (item, 1), HS_CMP_EQ);
      hs_decref (vm, val);
      return r;
    }
  {
    HsDict *d = D (v->seq);
    for (int64_t i = 0; i < d->nentries; i++)
      if (d->entries[i].key != NULL)
        {
          int r = hs_eq_fast (vm, d->entries[i].value, item);
          if (r != 0)
            return r;
        }
    return 0;
  }
}

static HsObject *
view_repr (HsVm *vm, HsObject *self)
{
  HsObject *list, *lr, *r;
  int rec = hs_repr_enter (vm, self);

  if (rec != 0)
    return rec > 0 ? hs_str_from_cstr (vm, "...") : NULL;
  list = hs_sequence_list (vm, self);
  lr = list ? hs_object_repr (vm, list) : NULL;
  hs_xdecref (vm, list);
  hs_repr_leave (vm, self);
  if (lr == NULL)
    return NULL;
  r = hs_str_printf (vm, "%s(%s)", self->type->name, hs_str_data (lr));
  hs_decref (vm, lr);
  return r;
}

static HsObject *
dictiter_next (HsVm *vm, HsObject *self)
{
  HsIterObj *it = (HsIterObj *) self;
  HsDict *d = D (it->seq);

  if (d == NULL)
    return NULL;
  if (it->extra != d->used)
    {
      hs_err_format (vm, HS_EXC (vm, RUNTIME_ERROR), "dictionary changed size during iteration");
      it->extra = -1;
      return NULL;
    }
  while (it->index < d->nentries)
    {
      HsDictEntry *e = &d->entries[it->index++];
      if (e->key == NULL)
        continue;
      if (HS_IS_TYPE (vm, self, DICT_KEYITER))
        return hs_incref (e->key);
      if (HS_IS_TYPE (vm, self, DICT_VALUEITER))
        return hs_incref (e->value);
      return hs_tuple_pack (vm, 2, e->key, e->value);
    }
  hs_iterobj_exhaust (vm, it);
  return NULL;
}

static const HsMethodDef view_methods[] = {
  { NULL, NULL, NULL },
};

#define VIEW_TMPL(var, tname)                      \
  static const HsType var = {                      \
    .name = tname,                                 \
    .flags = HS_TPFLAG_GC,                         \
    .basic_size = sizeof (HsIterObj),              \
    .dealloc = hs_iterobj_dealloc,                 \
    .traverse = hs_iterobj_traverse,               \
    .clear = hs_iterobj_clear,                     \
    .repr = view_repr,                             \
    .len = view_len,                               \
    .contains = view_contains,                     \
    .iter = view_iter,                             \
    .methods = view_methods,                       \
  }

VIEW_TMPL (keys_tmpl, "dict_keys");
VIEW_TMPL (values_tmpl, "dict_values");
VIEW_TMPL (items_tmpl, "dict_items");

#define ITER_TMPL(var, tname)                      \
  static const HsType var = {                      \
    .name = tname,                                 \
    .flags = HS_TPFLAG_GC,                         \
    .basic_size = sizeof (HsIterObj),              \
    .dealloc = hs_iterobj_dealloc,                 \
    .traverse = hs_iterobj_traverse,               \
    .clear = hs_iterobj_clear,                     \
    .iter = hs_iter_self,                          \
    .iternext = dictiter_next,                     \
  }

ITER_TMPL (keyiter_tmpl, "dict_keyiterator");
ITER_TMPL (valueiter_tmpl, "dict_valueiterator");
ITER_TMPL (itemiter_tmpl, "dict_itemiterator");

static const HsType dict_tmpl = {
  .name = "dict",
  .flags = HS_TPFLAG_GC | HS_TPFLAG_BASETYPE,
  .basic_size = sizeof (HsDict),
  .dealloc = dict_dealloc,
  .traverse = dict_traverse,
  .clear = dict_clear,
  .repr = dict_repr,
  .richcompare = dict_richcompare,
  .binary = dict_binary,
  .inplace = dict_inplace,
  .len = dict_len,
  .getitem = dict_getitem,
  .setitem = dict_setitem,
  .contains = dict_contains,
  .iter = dict_iter,
  .new_ = dict_new,
  .methods = dict_methods,
  .describe = dict_describe,
  .size_of = dict_size_of,
};

void
hs_dict_types_init (HsVm *vm)
{
  hs_register (vm, HS_T_DICT, &dict_tmpl);
  hs_register (vm, HS_T_DICT_KEYS, &keys_tmpl);
  hs_register (vm, HS_T_DICT_VALUES, &values_tmpl);
  hs_register (vm, HS_T_DICT_ITEMS, &items_tmpl);
  hs_register (vm, HS_T_DICT_KEYITER, &keyiter_tmpl);
  hs_register (vm, HS_T_DICT_VALUEITER, &valueiter_tmpl);
  hs_register (vm, HS_T_DICT_ITEMITER, &itemiter_tmpl);
}
