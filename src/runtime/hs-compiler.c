/* hs-compiler.c — turns a module's syntax tree into code objects. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hs-compiler.h"
#include "hs-symtable.h"

/* All compiler scratch is plain malloc (not program memory).  Only the finished code
 * objects, their tables and their constants are program memory. */

#define MAX_DEPTH        1500   /* C recursion guard for expressions/statements */
#define MAX_FBLOCKS      20     /* CPython's CO_MAXBLOCKS */
#define STACK_GUIDELINE  30     /* build long displays incrementally, as CPython */

/* ---- a u64 -> u32 map ------------------------------------------------------------ */

typedef struct {
  uint64_t *keys;    /* 0 = empty; keys are stored + 1 */
  uint32_t *vals;
  size_t    cap;
  size_t    count;
} U64Map;

static uint64_t
mix64 (uint64_t x)
{
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdull;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ull;
  x ^= x >> 33;
  return x;
}

static bool
u64map_get (const U64Map *m, uint64_t key, uint32_t *val)
{
  if (m->cap == 0)
    return false;
  key++;
  for (size_t j = mix64 (key) & (m->cap - 1); m->keys[j] != 0; j = (j + 1) & (m->cap - 1))
    if (m->keys[j] == key)
      {
        *val = m->vals[j];
        return true;
      }
  return false;
}

static bool
u64map_put (U64Map *m, uint64_t key, uint32_t val)
{
  if ((m->count + 1) * 2 > m->cap)
    {
      size_t cap = m->cap ? m->cap * 2 : 32;
      uint64_t *keys = calloc (cap, sizeof *keys);
      uint32_t *vals = calloc (cap, sizeof *vals);
      if (keys == NULL || vals == NULL)
        {
          free (keys);
          free (vals);
          return false;
        }
      for (size_t i = 0; i < m->cap; i++)
        if (m->keys[i] != 0)
          {
            size_t j = mix64 (m->keys[i]) & (cap - 1);
            while (keys[j] != 0)
              j = (j + 1) & (cap - 1);
            keys[j] = m->keys[i];
            vals[j] = m->vals[i];
          }
      free (m->keys);
      free (m->vals);
      m->keys = keys;
      m->vals = vals;
      m->cap = cap;
    }
  key++;
  size_t j = mix64 (key) & (m->cap - 1);
  while (m->keys[j] != 0 && m->keys[j] != key)
    j = (j + 1) & (m->cap - 1);
  if (m->keys[j] == 0)
    m->count++;
  m->keys[j] = key;
  m->vals[j] = val;
  return true;
}

static void
u64map_clear (U64Map *m)
{
  free (m->keys);
  free (m->vals);
  memset (m, 0, sizeof *m);
}

/* ---- the compilation-wide constant cache ---------------------------------------------
 * Equal literals share one entry (and, in the cpython profile, one object) across the
 * whole module, as CPython's compiler merges constants. */

typedef enum { CE_INT, CE_FLOAT, CE_STR, CE_TUPLE, CE_KWNAMES, CE_FROZENSET } ConstEntryKind;

/* A constant operand: an immortal object, or a cache entry. */
typedef struct {
  HsObject *imm;     /* non-NULL: immortal object (None, True, small int, interned str) */
  uint32_t  entry;
} ConstRef;

typedef struct {
  ConstEntryKind kind;
  char          *key;
  size_t         keylen;
  uint64_t       hash;
  int64_t        i;
  double         f;
  char          *s;       /* STR: points into key (after the kind byte) */
  size_t         len;
  ConstRef      *items;   /* TUPLE, KWNAMES */
  size_t         nitems;
  HsObject      *obj;     /* materialized object (borrowed: the code objects own it) */
} ConstEntry;

typedef struct {
  ConstEntry *entries;
  size_t      n, cap;
  uint32_t   *slots;      /* open addressing: entry index + 1, 0 empty */
  size_t      slots_cap;
} ConstCache;

/* ---- units: one per code object being compiled ----------------------------------------- */

typedef struct {
  uint8_t    op;
  uint16_t   arg2;
  uint32_t   arg;
  int32_t    handler;    /* index into Unit.handlers, -1: none */
  HsPosition pos;
} Instr;

typedef struct {
  int32_t  label;        /* handler entry label */
  uint32_t depth;        /* value-stack depth to unwind to */
} Handler;

typedef enum {
  FB_WHILE, FB_FOR, FB_TRY_EXCEPT, FB_FINALLY_TRY, FB_FINALLY_END,
  FB_HANDLER, FB_HANDLER_CLEANUP, FB_POP_VALUE,
} FBlockKind;

typedef struct {
  FBlockKind  kind;
  int32_t     label_continue;
  int32_t     label_break;
  uint32_t    base;          /* structural stack depth before the block's own items */
  size_t      hdepth;        /* handler-stack size before the block's handler */
  HsStmt     *try_stmt;      /* FB_FINALLY_TRY: whose finalbody to inline */
  const char *name;          /* FB_HANDLER_CLEANUP: the `as` name */
} FBlock;

typedef enum { SLOT_IMM, SLOT_ENTRY, SLOT_CODE } SlotKind;

typedef struct {
  SlotKind  kind;
  HsObject *obj;    /* IMM: borrowed immortal; CODE: owned reference */
  uint32_t  entry;
} ConstSlot;

typedef struct Unit Unit;
struct Unit {
  Unit      *parent;
  HsScope   *scope;
  HsObject  *name;          /* interned */
  char      *qualname;      /* malloc'd */
  uint32_t   firstlineno;
  uint32_t   flags;
  uint32_t   argcount;
  uint32_t   kwonlyargcount;

  Instr     *instrs;
  size_t     ninstrs, instrs_cap;
  int32_t   *labels;        /* label -> instruction index, -1 unbound */
  size_t     nlabels, labels_cap;

  ConstSlot *consts;
  size_t     nconsts, consts_cap;
  U64Map     const_map;     /* IMM pointer / entry index -> slot */
  U64Map     literal_map;   /* entry index -> literal index */
  uint32_t  *literals;      /* entry indices (tutorial profile) */
  size_t     nliterals, literals_cap;
  HsObject **names;
  size_t     nnames, names_cap;
  U64Map     name_map;

  HsObject **varnames;
  size_t     nvarnames;
  HsObject **cellvars;
  int32_t   *cell2arg;
  size_t     ncellvars;
  HsObject **freevars;
  size_t     nfreevars;

  FBlock     fblocks[MAX_FBLOCKS];
  size_t     nfblocks;
  int32_t   *hstack;        /* active handler indexes */
  size_t     nhstack, hstack_cap;
  Handler   *handlers;
  size_t     nhandlers, handlers_cap;
  uint32_t   sdepth;        /* structural value-stack depth at statement boundaries */
  uint32_t   ncaches;
  HsPosition loc;           /* position given to emitted instructions */
};

typedef struct {
  HsVm          *vm;
  HsSymtable    *st;
  HsSyntaxError *err;
  const char    *filename;
  HsObject      *filename_obj;
  const char    *source;
  size_t         len;
  bool           cpython;    /* profile: code constants hold literals */
  bool           failed;
  int            depth;
  Unit          *u;
  ConstCache     cache;
} Compiler;

/* ---- errors ------------------------------------------------------------------------ */

static void __attribute__ ((format (printf, 3, 4)))
error_at (Compiler *c, const HsPos *pos, const char *fmt, ...)
{
  char msg[256];
  va_list ap;

  if (c->failed)
    return;
  c->failed = true;
  va_start (ap, fmt);
  vsnprintf (msg, sizeof msg, fmt, ap);
  va_end (ap);
  hs_syntax_error_at (c->err, c->source, c->len, pos, "%s", msg);
}

static void
error_oom (Compiler *c)
{
  if (c->failed)
    return;
  c->failed = true;
  memset (c->err, 0, sizeof *c->err);
  if (!hs_err_occurred (c->vm))
    hs_err_no_memory (c->vm);
}

static void *
grow (Compiler *c, void *ptr, size_t *cap, size_t need, size_t elem)
{
  if (need <= *cap)
    return ptr;
  size_t ncap = *cap ? *cap : 8;
  while (ncap < need)
    ncap *= 2;
  void *p = realloc (ptr, ncap * elem);
  if (p == NULL)
    {
      error_oom (c);
      return NULL;
    }
  *cap = ncap;
  return p;
}

#define GROW(c, arr, n, cap) \
  ((arr) = grow ((c), (arr), &(cap), (n) + 1, sizeof *(arr)), (arr) != NULL)

/* ---- constant cache -------------------------------------------------------------------- */

static uint64_t
bytes_hash (const char *s, size_t n)
{
  uint64_t h = 1469598103934665603ull;

  for (size_t i = 0; i < n; i++)
    h = (h ^ (unsigned char) s[i]) * 1099511628211ull;
  return h;
}

/* Finds or adds the entry with this key.  Returns the entry index or -1 (out of memory).
 * *fresh tells whether it was added (the caller fills the payload). */
static int64_t
cache_intern (Compiler *c, const char *key, size_t keylen, bool *fresh)
{
  ConstCache *cc = &c->cache;
  uint64_t h = bytes_hash (key, keylen);

  *fresh = false;
  if ((cc->n + 1) * 2 > cc->slots_cap)
    {
      size_t cap = cc->slots_cap ? cc->slots_cap * 2 : 64;
      uint32_t *slots = calloc (cap, sizeof *slots);
      if (slots == NULL)
        return -1;
      for (size_t i = 0; i < cc->slots_cap; i++)
        if (cc->slots[i] != 0)
          {
            size_t j = cc->entries[cc->slots[i] - 1].hash & (cap - 1);
            while (slots[j] != 0)
              j = (j + 1) & (cap - 1);
            slots[j] = cc->slots[i];
          }
      free (cc->slots);
      cc->slots = slots;
      cc->slots_cap = cap;
    }
  size_t j = h & (cc->slots_cap - 1);
  while (cc->slots[j] != 0)
    {
      ConstEntry *e = &cc->entries[cc->slots[j] - 1];
      if (e->hash == h && e->keylen == keylen && memcmp (e->key, key, keylen) == 0)
        return cc->slots[j] - 1;
      j = (j + 1) & (cc->slots_cap - 1);
    }
  if (cc->n == cc->cap)
    {
      size_t cap = cc->cap ? cc->cap * 2 : 32;
      ConstEntry *e = realloc (cc->entries, cap * sizeof *e);
      if (e == NULL)
        return -1;
      cc->entries = e;
      cc->cap = cap;
    }
  ConstEntry *e = &cc->entries[cc->n];
  memset (e, 0, sizeof *e);
  e->key = malloc (keylen + 1);
  if (e->key == NULL)
    return -1;
  memcpy (e->key, key, keylen);
  e->key[keylen] = '\0';
  e->keylen = keylen;
  e->hash = h;
  cc->slots[j] = (uint32_t) cc->n + 1;
  *fresh = true;
  return (int64_t) cc->n++;
}

static int64_t
cache_scalar (Compiler *c, ConstEntryKind kind, int64_t i, double f, const char *s, size_t len)
{
  char small[16];
  char *key = small;
  size_t keylen;
  bool fresh;
  int64_t idx;

  if (kind == CE_STR)
    {
      key = malloc (len + 1);
      if (key == NULL)
        return -1;
      key[0] = 's';
      memcpy (key + 1, s, len);
      keylen = len + 1;
    }
  else if (kind == CE_INT)
    {
      small[0] = 'i';
      memcpy (small + 1, &i, 8);
      keylen = 9;
    }
  else
    {
      small[0] = 'f';
      memcpy (small + 1, &f, 8);
      keylen = 9;
    }
  idx = cache_intern (c, key, keylen, &fresh);
  if (idx >= 0 && fresh)
    {
      ConstEntry *e = &c->cache.entries[idx];
      e->kind = kind;
      e->i = i;
      e->f = f;
      if (kind == CE_STR)
        {
          e->s = e->key + 1;
          e->len = len;
        }
    }
  if (key != small)
    free (key);
  return idx;
}

static int64_t
cache_composite (Compiler *c, ConstEntryKind kind, const ConstRef *items, size_t n)
{
  size_t keylen = 1 + n * 9;
  char *key = malloc (keylen);
  bool fresh;
  int64_t idx;

  if (key == NULL)
    return -1;
  key[0] = kind == CE_TUPLE ? 't' : kind == CE_FROZENSET ? 'z' : 'k';
  for (size_t k = 0; k < n; k++)
    {
      uint64_t v = items[k].imm != NULL ? (uint64_t) (uintptr_t) items[k].imm : items[k].entry;
      key[1 + k * 9] = items[k].imm != NULL ? 'p' : 'e';
      memcpy (key + 2 + k * 9, &v, 8);
    }
  idx = cache_intern (c, key, keylen, &fresh);
  free (key);
  if (idx >= 0 && fresh)
    {
      ConstEntry *e = &c->cache.entries[idx];
      e->kind = kind;
      e->items = malloc ((n ? n : 1) * sizeof *items);
      if (e->items == NULL)
        return -1;
      memcpy (e->items, items, n * sizeof *items);
      e->nitems = n;
    }
  return idx;
}

static void
cache_free (ConstCache *cc)
{
  for (size_t i = 0; i < cc->n; i++)
    {
      free (cc->entries[i].key);
      free (cc->entries[i].items);
    }
  free (cc->entries);
  free (cc->slots);
  memset (cc, 0, sizeof *cc);
}

/* A new reference to the entry's object, creating it the first time. */
static HsObject *
materialize (Compiler *c, uint32_t idx, int depth)
{
  ConstEntry *e = &c->cache.entries[idx];
  HsObject *o = NULL;

  if (e->obj != NULL)
    return hs_incref (e->obj);
  if (depth > MAX_DEPTH)
    {
      error_oom (c);
      return NULL;
    }
  switch (e->kind)
    {
    case CE_INT:
      o = hs_int_from_i64 (c->vm, e->i);
      break;
    case CE_FLOAT:
      o = hs_float_from_double (c->vm, e->f);
      break;
    case CE_STR:
      o = hs_str_from_utf8 (c->vm, e->s, e->len);
      break;
    case CE_FROZENSET:
      /* Items inserted in source order, as CPython builds the constant. */
      o = hs_set_new (c->vm, true);
      for (size_t k = 0; o != NULL && k < e->nitems; k++)
        {
          HsObject *item = e->items[k].imm != NULL
                           ? hs_incref (e->items[k].imm)
                           : materialize (c, e->items[k].entry, depth + 1);
          int r = item != NULL ? hs_set_add (c->vm, o, item) : -1;
          if (item != NULL)
            hs_decref (c->vm, item);
          if (r < 0)
            {
              hs_decref (c->vm, o);
              o = NULL;
            }
          e = &c->cache.entries[idx];
        }
      /* CPython's merge_consts_recursive() then rebuilds the frozenset from the first
       * one's iteration order; the table (and so the printed order) follows. */
      if (o != NULL)
        {
          HsObject *again = hs_set_new (c->vm, true);
          HsObject *it = again != NULL ? hs_object_iter (c->vm, o) : NULL;
          HsObject *item;

          while (it != NULL && (item = hs_iter_next (c->vm, it)) != NULL)
            {
              int r = hs_set_add (c->vm, again, item);
              hs_decref (c->vm, item);
              if (r < 0)
                break;
            }
          if (it != NULL)
            hs_decref (c->vm, it);
          hs_decref (c->vm, o);
          o = again;
          if (o != NULL && hs_err_occurred (c->vm))
            {
              hs_decref (c->vm, o);
              o = NULL;
            }
        }
      break;
    case CE_TUPLE:
    case CE_KWNAMES:
      o = hs_tuple_new (c->vm, e->nitems);
      if (o == NULL)
        break;
      for (size_t k = 0; k < e->nitems; k++)
        {
          HsObject *item = e->items[k].imm != NULL
                           ? hs_incref (e->items[k].imm)
                           : materialize (c, e->items[k].entry, depth + 1);
          if (item == NULL)
            {
              /* Fill the rest so the tuple can be released safely. */
              for (; k < e->nitems; k++)
                hs_tuple_init_item (c->vm, o, k, hs_incref (c->vm->none));
              hs_decref (c->vm, o);
              return NULL;
            }
          hs_tuple_init_item (c->vm, o, k, item);
        }
      e = &c->cache.entries[idx];
      break;
    }
  if (o == NULL)
    {
      error_oom (c);
      return NULL;
    }
  e->obj = o;
  return o;
}

/* ---- units ------------------------------------------------------------------------------ */

static void
unit_free (Compiler *c, Unit *u)
{
  if (u == NULL)
    return;
  for (size_t i = 0; i < u->nconsts; i++)
    if (u->consts[i].kind == SLOT_CODE && u->consts[i].obj != NULL)
      hs_decref (c->vm, u->consts[i].obj);
  free (u->instrs);
  free (u->labels);
  free (u->consts);
  u64map_clear (&u->const_map);
  u64map_clear (&u->literal_map);
  free (u->literals);
  free (u->names);
  u64map_clear (&u->name_map);
  free (u->varnames);
  free (u->cellvars);
  free (u->cell2arg);
  free (u->freevars);
  free (u->hstack);
  free (u->handlers);
  free (u->qualname);
  free (u);
}

static HsObject *
intern (Compiler *c, const char *s)
{
  HsObject *o = hs_str_intern (c->vm, s, strlen (s));

  if (o == NULL)
    error_oom (c);
  return o;
}

static int
cmp_names (const void *a, const void *b)
{
  const HsSymbol *x = *(const HsSymbol *const *) a;
  const HsSymbol *y = *(const HsSymbol *const *) b;

  return strcmp (x->name, y->name);
}

static bool
scope_is_function (const HsScope *s)
{
  return s->kind == HS_SCOPE_FUNCTION || s->kind == HS_SCOPE_LAMBDA
         || s->kind == HS_SCOPE_COMPREHENSION;
}

/* Lays out the unit's variables from its scope: parameters, locals, cells, frees. */
static bool
unit_layout (Compiler *c, Unit *u)
{
  HsScope *s = u->scope;
  HsSymbol **cells = NULL, **frees = NULL;
  size_t ncells = 0, nfrees = 0, nvars = 0;
  bool is_func = scope_is_function (s);
  bool class_cell = s->kind == HS_SCOPE_CLASS && s->needs_class_closure;

  u->varnames = calloc (s->count + 1, sizeof *u->varnames);
  cells = calloc (s->count + 1, sizeof *cells);
  frees = calloc (s->count + 1, sizeof *frees);
  if (u->varnames == NULL || cells == NULL || frees == NULL)
    goto oom;
  if (is_func)
    {
      for (size_t i = 0; i < s->count; i++)
        {
          HsSymbol *sym = s->ordered[i];
          if (sym->flags & HS_DEF_PARAM)
            {
              sym->fast_index = (int32_t) nvars;
              if ((u->varnames[nvars++] = intern (c, sym->name)) == NULL)
                goto oom;
            }
        }
      for (size_t i = 0; i < s->count; i++)
        {
          HsSymbol *sym = s->ordered[i];
          if (!(sym->flags & HS_DEF_PARAM) && sym->scope == HS_SYM_LOCAL)
            {
              sym->fast_index = (int32_t) nvars;
              if ((u->varnames[nvars++] = intern (c, sym->name)) == NULL)
                goto oom;
            }
        }
    }
  for (size_t i = 0; i < s->count; i++)
    {
      HsSymbol *sym = s->ordered[i];
      if (sym->scope == HS_SYM_CELL)
        cells[ncells++] = sym;
      else if (sym->scope == HS_SYM_FREE || (sym->flags & HS_DEF_FREE_CLASS))
        frees[nfrees++] = sym;
    }
  qsort (cells, ncells, sizeof *cells, cmp_names);
  qsort (frees, nfrees, sizeof *frees, cmp_names);
  u->nvarnames = nvars;
  u->ncellvars = ncells + (class_cell ? 1 : 0);
  u->nfreevars = nfrees;
  u->cellvars = calloc (u->ncellvars + 1, sizeof *u->cellvars);
  u->cell2arg = calloc (u->ncellvars + 1, sizeof *u->cell2arg);
  u->freevars = calloc (nfrees + 1, sizeof *u->freevars);
  if (u->cellvars == NULL || u->cell2arg == NULL || u->freevars == NULL)
    goto oom;
  size_t k = 0;
  if (class_cell)
    {
      if ((u->cellvars[k] = intern (c, "__class__")) == NULL)
        goto oom;
      u->cell2arg[k++] = -1;
    }
  for (size_t i = 0; i < ncells; i++, k++)
    {
      cells[i]->deref_index = (int32_t) k;
      if ((u->cellvars[k] = intern (c, cells[i]->name)) == NULL)
        goto oom;
      u->cell2arg[k] = (cells[i]->flags & HS_DEF_PARAM) ? cells[i]->fast_index : -1;
    }
  for (size_t i = 0; i < nfrees; i++)
    {
      frees[i]->deref_index = (int32_t) (u->ncellvars + i);
      if ((u->freevars[i] = intern (c, frees[i]->name)) == NULL)
        goto oom;
    }
  free (cells);
  free (frees);
  return true;

oom:
  free (cells);
  free (frees);
  error_oom (c);
  return false;
}

static Unit *
unit_new (Compiler *c, HsScope *scope, const char *name, uint32_t firstlineno)
{
  Unit *u = calloc (1, sizeof *u);
  Unit *parent = c->u;

  if (u == NULL)
    {
      error_oom (c);
      return NULL;
    }
  u->parent = parent;
  u->scope = scope;
  u->firstlineno = firstlineno;
  u->name = intern (c, name);
  /* Qualified name as CPython builds it. */
  if (parent == NULL || parent->scope->kind == HS_SCOPE_MODULE)
    u->qualname = strdup (name);
  else
    {
      HsSymbol *sym = hs_scope_find (parent->scope, name);
      bool global = sym != NULL && sym->scope == HS_SYM_GLOBAL_EXPLICIT
                    && scope->kind != HS_SCOPE_COMPREHENSION && scope->kind != HS_SCOPE_LAMBDA;
      if (global)
        u->qualname = strdup (name);
      else
        {
          const char *pq = parent->qualname;
          bool func = scope_is_function (parent->scope);
          size_t n = strlen (pq) + strlen (name) + 16;
          u->qualname = malloc (n);
          if (u->qualname != NULL)
            snprintf (u->qualname, n, "%s%s.%s", pq, func ? ".<locals>" : "", name);
        }
    }
  if (u->name == NULL || u->qualname == NULL)
    {
      unit_free (c, u);
      error_oom (c);
      return NULL;
    }
  if (!unit_layout (c, u))
    {
      unit_free (c, u);
      return NULL;
    }
  u->loc.lineno = u->loc.end_lineno = firstlineno;
  c->u = u;
  return u;
}

/* ---- emission ---------------------------------------------------------------------------- */

static size_t
emit_full (Compiler *c, HsOpcode op, uint32_t arg, uint16_t arg2, bool noline)
{
  Unit *u = c->u;

  if (c->failed || !GROW (c, u->instrs, u->ninstrs, u->instrs_cap))
    return 0;
  Instr *in = &u->instrs[u->ninstrs];
  in->op = (uint8_t) op;
  in->arg = arg;
  in->arg2 = arg2;
  in->handler = u->nhstack > 0 ? u->hstack[u->nhstack - 1] : -1;
  if (noline)
    memset (&in->pos, 0, sizeof in->pos);
  else
    in->pos = u->loc;
  return u->ninstrs++;
}

static void
emit (Compiler *c, HsOpcode op, uint32_t arg)
{
  emit_full (c, op, arg, 0, false);
}

static void
emit_noline (Compiler *c, HsOpcode op, uint32_t arg)
{
  emit_full (c, op, arg, 0, true);
}

static uint16_t
new_cache (Compiler *c)
{
  if (c->u->ncaches >= HS_NO_CACHE)
    return HS_NO_CACHE;
  return (uint16_t) c->u->ncaches++;
}

static int32_t
new_label (Compiler *c)
{
  Unit *u = c->u;

  if (c->failed || !GROW (c, u->labels, u->nlabels, u->labels_cap))
    return 0;
  u->labels[u->nlabels] = -1;
  return (int32_t) u->nlabels++;
}

static void
bind_label (Compiler *c, int32_t label)
{
  if (!c->failed)
    c->u->labels[label] = (int32_t) c->u->ninstrs;
}

/* Jumps carry the label in arg until assembly. */
static void
emit_jump (Compiler *c, HsOpcode op, int32_t label)
{
  emit_full (c, op, (uint32_t) label, 0, false);
}

static void
emit_jump_noline (Compiler *c, HsOpcode op, int32_t label)
{
  emit_full (c, op, (uint32_t) label, 0, true);
}

static void
push_handler (Compiler *c, int32_t label, uint32_t depth)
{
  Unit *u = c->u;

  if (c->failed || !GROW (c, u->handlers, u->nhandlers, u->handlers_cap)
      || !GROW (c, u->hstack, u->nhstack, u->hstack_cap))
    return;
  u->handlers[u->nhandlers].label = label;
  u->handlers[u->nhandlers].depth = depth;
  u->hstack[u->nhstack++] = (int32_t) u->nhandlers++;
}

/* Makes an existing handler active again (the next except clause after a body). */
static void
repush_handler (Compiler *c, int32_t idx)
{
  Unit *u = c->u;

  if (c->failed || idx < 0 || !GROW (c, u->hstack, u->nhstack, u->hstack_cap))
    return;
  u->hstack[u->nhstack++] = idx;
}

static void
pop_handler (Compiler *c)
{
  if (!c->failed && c->u->nhstack > 0)
    c->u->nhstack--;
}

static bool
push_fblock (Compiler *c, const HsPos *pos, FBlockKind kind, int32_t lcont, int32_t lbreak)
{
  Unit *u = c->u;

  if (u->nfblocks >= MAX_FBLOCKS)
    {
      error_at (c, pos, "too many statically nested blocks");
      return false;
    }
  FBlock *fb = &u->fblocks[u->nfblocks++];
  memset (fb, 0, sizeof *fb);
  fb->kind = kind;
  fb->label_continue = lcont;
  fb->label_break = lbreak;
  fb->base = u->sdepth;
  fb->hdepth = u->nhstack;
  return true;
}

static void
pop_fblock (Compiler *c)
{
  c->u->nfblocks--;
}

/* ---- constants, names ------------------------------------------------------------------ */

static uint32_t
add_const_slot (Compiler *c, SlotKind kind, HsObject *obj, uint32_t entry)
{
  Unit *u = c->u;
  uint64_t key = kind == SLOT_IMM ? ((uint64_t) (uintptr_t) obj) : (((uint64_t) 1 << 62) | entry);
  uint32_t idx;

  if (kind != SLOT_CODE && u64map_get (&u->const_map, key, &idx))
    return idx;
  if (c->failed || !GROW (c, u->consts, u->nconsts, u->consts_cap))
    return 0;
  idx = (uint32_t) u->nconsts++;
  u->consts[idx].kind = kind;
  u->consts[idx].obj = obj;
  u->consts[idx].entry = entry;
  if (kind != SLOT_CODE && !u64map_put (&u->const_map, key, idx))
    error_oom (c);
  return idx;
}

static void
load_imm (Compiler *c, HsObject *obj)
{
  emit (c, HS_OP_LOAD_CONST, add_const_slot (c, SLOT_IMM, obj, 0));
}

/* A literal: a held constant in the cpython profile, LOAD_LITERAL in the tutorial one. */
static void
load_entry (Compiler *c, int64_t entry)
{
  Unit *u = c->u;
  uint32_t idx;

  if (entry < 0)
    {
      error_oom (c);
      return;
    }
  if (c->cpython)
    {
      emit (c, HS_OP_LOAD_CONST, add_const_slot (c, SLOT_ENTRY, NULL, (uint32_t) entry));
      return;
    }
  if (!u64map_get (&u->literal_map, (uint64_t) entry, &idx))
    {
      if (c->failed || !GROW (c, u->literals, u->nliterals, u->literals_cap))
        return;
      idx = (uint32_t) u->nliterals;
      u->literals[u->nliterals++] = (uint32_t) entry;
      if (!u64map_put (&u->literal_map, (uint64_t) entry, idx))
        error_oom (c);
    }
  emit (c, HS_OP_LOAD_LITERAL, idx);
}

static void
load_int (Compiler *c, int64_t v)
{
  if (v >= HS_SMALL_INT_MIN && v <= HS_SMALL_INT_MAX)
    load_imm (c, c->vm->small_ints[v - HS_SMALL_INT_MIN]);
  else
    load_entry (c, cache_scalar (c, CE_INT, v, 0, NULL, 0));
}

static void
load_str (Compiler *c, const char *s, size_t len)
{
  load_entry (c, cache_scalar (c, CE_STR, 0, 0, s, len));
}

static uint32_t
add_name (Compiler *c, const char *s)
{
  Unit *u = c->u;
  HsObject *o = intern (c, s);
  uint32_t idx;

  if (o == NULL)
    return 0;
  if (u64map_get (&u->name_map, (uint64_t) (uintptr_t) o, &idx))
    return idx;
  if (!GROW (c, u->names, u->nnames, u->names_cap))
    return 0;
  idx = (uint32_t) u->nnames;
  u->names[u->nnames++] = o;
  if (!u64map_put (&u->name_map, (uint64_t) (uintptr_t) o, idx))
    error_oom (c);
  return idx;
}

/* ---- names ------------------------------------------------------------------------------ */

/* An attribute name as CPython mangles it inside a class: `self.__x` in class A is
 * `_A__x` (names ending in __ and dunders are left alone). */
static uint32_t
add_attr_name (Compiler *c, const char *attr)
{
  const HsScope *s = c->u->scope;
  size_t n = strlen (attr);

  while (s != NULL && s->kind != HS_SCOPE_CLASS)
    s = s->parent;
  if (s == NULL || n < 3 || attr[0] != '_' || attr[1] != '_'
      || (attr[n - 1] == '_' && attr[n - 2] == '_') || strchr (attr, '.') != NULL)
    return add_name (c, attr);
  const char *cls = s->name;
  while (*cls == '_')
    cls++;
  if (*cls == '\0')
    return add_name (c, attr);
  size_t len = 1 + strlen (cls) + n + 1;
  char *mangled = malloc (len);
  if (mangled == NULL)
    {
      error_oom (c);
      return 0;
    }
  snprintf (mangled, len, "_%s%s", cls, attr);
  uint32_t idx = add_name (c, mangled);
  free (mangled);
  return idx;
}

typedef enum { OP_FAST, OP_DEREF, OP_GLOBAL, OP_NAME } NameOpKind;

static void
name_op (Compiler *c, const char *name, HsExprContext ctx)
{
  Unit *u = c->u;
  HsScope *s = u->scope;
  HsSymbol *sym = hs_scope_find (s, name);
  HsSymScope scope = sym != NULL ? sym->scope : HS_SYM_UNRESOLVED;
  NameOpKind kind = OP_NAME;
  bool is_func = scope_is_function (s);

  switch (scope)
    {
    case HS_SYM_FREE:
    case HS_SYM_CELL:
      kind = OP_DEREF;
      break;
    case HS_SYM_LOCAL:
      kind = is_func ? OP_FAST : OP_NAME;
      break;
    case HS_SYM_GLOBAL_IMPLICIT:
      kind = is_func ? OP_GLOBAL : OP_NAME;
      break;
    case HS_SYM_GLOBAL_EXPLICIT:
      kind = OP_GLOBAL;
      break;
    default:
      kind = is_func ? OP_GLOBAL : OP_NAME;
      break;
    }
  switch (kind)
    {
    case OP_FAST:
      emit (c, ctx == HS_CTX_LOAD ? HS_OP_LOAD_FAST
               : ctx == HS_CTX_STORE ? HS_OP_STORE_FAST : HS_OP_DELETE_FAST,
            (uint32_t) sym->fast_index);
      break;
    case OP_DEREF:
      if (ctx == HS_CTX_LOAD)
        emit (c, s->kind == HS_SCOPE_CLASS ? HS_OP_LOAD_CLASSDEREF : HS_OP_LOAD_DEREF,
              (uint32_t) sym->deref_index);
      else
        emit (c, ctx == HS_CTX_STORE ? HS_OP_STORE_DEREF : HS_OP_DELETE_DEREF,
              (uint32_t) sym->deref_index);
      break;
    case OP_GLOBAL:
      if (ctx == HS_CTX_LOAD)
        emit_full (c, HS_OP_LOAD_GLOBAL, add_name (c, name), new_cache (c), false);
      else
        emit (c, ctx == HS_CTX_STORE ? HS_OP_STORE_GLOBAL : HS_OP_DELETE_GLOBAL,
              add_name (c, name));
      break;
    case OP_NAME:
      if (ctx == HS_CTX_DEL)
        emit (c, HS_OP_DELETE_NAME, add_name (c, name));
      else
        emit_full (c, ctx == HS_CTX_LOAD ? HS_OP_LOAD_NAME : HS_OP_STORE_NAME, add_name (c, name),
                   new_cache (c), false);
      break;
    }
}

/* ---- expressions ------------------------------------------------------------------------ */

static void compile_expr (Compiler *c, HsExpr *e);
static void compile_stmts (Compiler *c, HsStmtSeq *seq);
static void compile_store (Compiler *c, HsExpr *target);

static bool
enter (Compiler *c, const HsPos *pos)
{
  if (c->failed)
    return false;
  if (++c->depth > MAX_DEPTH)
    {
      c->failed = true;
      memset (c->err, 0, sizeof *c->err);
      snprintf (c->err->type_name, sizeof c->err->type_name, "RecursionError");
      snprintf (c->err->message, sizeof c->err->message,
                "maximum recursion depth exceeded during compilation");
      c->err->lineno = pos->lineno;
      c->err->col_offset = pos->col_offset + 1;
      c->err->end_col_offset = pos->col_offset + 2;
      return false;
    }
  return true;
}

static void
leave (Compiler *c)
{
  c->depth--;
}

static void
set_loc (Compiler *c, const HsPos *pos)
{
  c->u->loc.lineno = pos->lineno;
  c->u->loc.end_lineno = pos->end_lineno;
  c->u->loc.col_offset = pos->col_offset;
  c->u->loc.end_col_offset = pos->end_col_offset;
}

/* The constant an expression folds to (CPython's AST optimizer, for the cases that
 * matter here): literals, -literal, and tuples of those.  Fills *out. */
static bool
const_value (Compiler *c, HsExpr *e, ConstRef *out, int depth)
{
  if (depth > 64 || c->failed)
    return false;
  if (e->kind == HS_EXPR_CONST)
    {
      int64_t idx;
      out->imm = NULL;
      switch (e->u.constant.kind)
        {
        case HS_CONST_NONE:     out->imm = c->vm->none; return true;
        case HS_CONST_TRUE:     out->imm = c->vm->true_obj; return true;
        case HS_CONST_FALSE:    out->imm = c->vm->false_obj; return true;
        case HS_CONST_ELLIPSIS: out->imm = c->vm->ellipsis; return true;
        case HS_CONST_INT:
          if (e->u.constant.i >= HS_SMALL_INT_MIN && e->u.constant.i <= HS_SMALL_INT_MAX)
            {
              out->imm = c->vm->small_ints[e->u.constant.i - HS_SMALL_INT_MIN];
              return true;
            }
          idx = cache_scalar (c, CE_INT, e->u.constant.i, 0, NULL, 0);
          break;
        case HS_CONST_FLOAT:
          idx = cache_scalar (c, CE_FLOAT, 0, e->u.constant.f, NULL, 0);
          break;
        case HS_CONST_STR:
          idx = cache_scalar (c, CE_STR, 0, 0, e->u.constant.s, e->u.constant.len);
          break;
        default:
          return false;
        }
      if (idx < 0)
        {
          error_oom (c);
          return false;
        }
      out->entry = (uint32_t) idx;
      return true;
    }
  if (e->kind == HS_EXPR_UNARYOP && e->u.unaryop.op == HS_UNOP_NEG
      && e->u.unaryop.operand->kind == HS_EXPR_CONST)
    {
      HsExpr *o = e->u.unaryop.operand;
      int64_t idx;
      out->imm = NULL;
      if (o->u.constant.kind == HS_CONST_INT && o->u.constant.i != INT64_MIN)
        {
          int64_t v = -o->u.constant.i;
          if (v >= HS_SMALL_INT_MIN && v <= HS_SMALL_INT_MAX)
            {
              out->imm = c->vm->small_ints[v - HS_SMALL_INT_MIN];
              return true;
            }
          idx = cache_scalar (c, CE_INT, v, 0, NULL, 0);
        }
      else if (o->u.constant.kind == HS_CONST_FLOAT)
        idx = cache_scalar (c, CE_FLOAT, 0, -o->u.constant.f, NULL, 0);
      else
        return false;
      if (idx < 0)
        {
          error_oom (c);
          return false;
        }
      out->entry = (uint32_t) idx;
      return true;
    }
  if (e->kind == HS_EXPR_TUPLE && e->u.seq.ctx == HS_CTX_LOAD)
    {
      size_t n = e->u.seq.elts.n;
      ConstRef *items;
      int64_t idx;

      if (n == 0)
        {
          out->imm = c->vm->empty_tuple;
          return out->imm != NULL;
        }
      items = malloc (n * sizeof *items);
      if (items == NULL)
        {
          error_oom (c);
          return false;
        }
      for (size_t i = 0; i < n; i++)
        if (!const_value (c, e->u.seq.elts.items[i], &items[i], depth + 1))
          {
            free (items);
            return false;
          }
      idx = cache_composite (c, CE_TUPLE, items, n);
      free (items);
      if (idx < 0)
        {
          error_oom (c);
          return false;
        }
      out->imm = NULL;
      out->entry = (uint32_t) idx;
      return true;
    }
  return false;
}

static void
load_constref (Compiler *c, const ConstRef *r)
{
  if (r->imm != NULL)
    load_imm (c, r->imm);
  else
    load_entry (c, r->entry);
}

/* Literals and folded constants (-5, (1, 2) in the cpython profile). */
static bool
try_compile_const (Compiler *c, HsExpr *e)
{
  ConstRef r;

  if (e->kind == HS_EXPR_TUPLE && !c->cpython)
    return false;   /* tutorial: a tuple display builds a fresh tuple */
  if (e->kind != HS_EXPR_CONST && e->kind != HS_EXPR_UNARYOP && e->kind != HS_EXPR_TUPLE)
    return false;
  if (!const_value (c, e, &r, 0))
    return false;
  load_constref (c, &r);
  return true;
}


/* Loads a literal at the current position. */
static void
load_constant (Compiler *c, HsExpr *e)
{
  switch (e->u.constant.kind)
    {
    case HS_CONST_NONE:     load_imm (c, c->vm->none); break;
    case HS_CONST_TRUE:     load_imm (c, c->vm->true_obj); break;
    case HS_CONST_FALSE:    load_imm (c, c->vm->false_obj); break;
    case HS_CONST_ELLIPSIS: load_imm (c, c->vm->ellipsis); break;
    case HS_CONST_INT:      load_int (c, e->u.constant.i); break;
    case HS_CONST_FLOAT:
      load_entry (c, cache_scalar (c, CE_FLOAT, 0, e->u.constant.f, NULL, 0));
      break;
    case HS_CONST_STR:
      load_str (c, e->u.constant.s, e->u.constant.len);
      break;
    }
}

/* ---- constant folding (CPython's AST optimizer, for numbers and short strs) ---------- */

typedef enum { FV_INT, FV_FLOAT, FV_STR, FV_BOOL, FV_NONE } FoldKind;

typedef struct {
  FoldKind kind;
  int64_t  i;        /* INT, BOOL */
  double   f;
  char    *s;        /* STR: malloc'd copy */
  size_t   len;
} Folded;

#define FOLD_MAX_STR 4096   /* CPython's MAX_STR_SIZE */

static void
folded_clear (Folded *v)
{
  if (v->kind == FV_STR)
    free (v->s);
  v->s = NULL;
}

static bool
fold_floor_divmod (int64_t a, int64_t b, int64_t *q, int64_t *r)
{
  if (b == 0 || (a == INT64_MIN && b == -1))
    return false;
  int64_t qq = a / b, rr = a % b;
  if (rr != 0 && ((rr < 0) != (b < 0)))
    {
      qq--;
      rr += b;
    }
  *q = qq;
  *r = rr;
  return true;
}

static bool
fold_int_binop (HsBinaryOp op, int64_t a, int64_t b, Folded *out)
{
  int64_t r, q;

  out->kind = FV_INT;
  switch (op)
    {
    case HS_BINOP_ADD: return !__builtin_add_overflow (a, b, &out->i);
    case HS_BINOP_SUB: return !__builtin_sub_overflow (a, b, &out->i);
    case HS_BINOP_MUL: return !__builtin_mul_overflow (a, b, &out->i);
    case HS_BINOP_FLOORDIV:
      if (!fold_floor_divmod (a, b, &q, &r))
        return false;
      out->i = q;
      return true;
    case HS_BINOP_MOD:
      if (!fold_floor_divmod (a, b, &q, &r))
        return false;
      out->i = r;
      return true;
    case HS_BINOP_TRUEDIV:
      if (b == 0 || a > (1LL << 53) || a < -(1LL << 53) || b > (1LL << 53) || b < -(1LL << 53))
        return false;
      out->kind = FV_FLOAT;
      out->f = (double) a / (double) b;
      return true;
    case HS_BINOP_POW:
      if (b < 0 || b > 128)
        return false;
      r = 1;
      for (int64_t k = 0; k < b; k++)
        if (__builtin_mul_overflow (r, a, &r))
          return false;
      out->i = r;
      return true;
    case HS_BINOP_LSHIFT:
      if (b < 0 || b >= 63 || a > (INT64_MAX >> b) || a < (INT64_MIN >> b))
        return false;
      out->i = (int64_t) ((uint64_t) a << b);
      return true;
    case HS_BINOP_RSHIFT:
      if (b < 0)
        return false;
      out->i = b >= 63 ? (a < 0 ? -1 : 0) : a >> b;
      return true;
    case HS_BINOP_AND: out->i = a & b; return true;
    case HS_BINOP_OR:  out->i = a | b; return true;
    case HS_BINOP_XOR: out->i = a ^ b; return true;
    default:
      return false;
    }
}

static bool
fold_expr (HsExpr *e, Folded *out, int depth)
{
  memset (out, 0, sizeof *out);
  if (depth > 200)
    return false;
  switch (e->kind)
    {
    case HS_EXPR_CONST:
      switch (e->u.constant.kind)
        {
        case HS_CONST_INT:   out->kind = FV_INT; out->i = e->u.constant.i; return true;
        case HS_CONST_FLOAT: out->kind = FV_FLOAT; out->f = e->u.constant.f; return true;
        case HS_CONST_TRUE:  out->kind = FV_BOOL; out->i = 1; return true;
        case HS_CONST_FALSE: out->kind = FV_BOOL; out->i = 0; return true;
        case HS_CONST_NONE:  out->kind = FV_NONE; return true;
        case HS_CONST_STR:
          if (e->u.constant.len > FOLD_MAX_STR)
            return false;
          out->kind = FV_STR;
          out->len = e->u.constant.len;
          out->s = malloc (out->len + 1);
          if (out->s == NULL)
            return false;
          memcpy (out->s, e->u.constant.s, out->len);
          out->s[out->len] = '\0';
          return true;
        default:
          return false;
        }
    case HS_EXPR_UNARYOP:
      {
        Folded v;
        if (!fold_expr (e->u.unaryop.operand, &v, depth + 1))
          return false;
        bool ok = true;
        switch (e->u.unaryop.op)
          {
          case HS_UNOP_NEG:
            if ((v.kind == FV_INT || v.kind == FV_BOOL) && v.i != INT64_MIN)
              { out->kind = FV_INT; out->i = -v.i; }
            else if (v.kind == FV_FLOAT)
              { out->kind = FV_FLOAT; out->f = -v.f; }
            else
              ok = false;
            break;
          case HS_UNOP_POS:
            if (v.kind == FV_INT || v.kind == FV_BOOL)
              { out->kind = FV_INT; out->i = v.i; }
            else if (v.kind == FV_FLOAT)
              { out->kind = FV_FLOAT; out->f = v.f; }
            else
              ok = false;
            break;
          case HS_UNOP_INVERT:
            if (v.kind == FV_INT || v.kind == FV_BOOL)
              { out->kind = FV_INT; out->i = ~v.i; }
            else
              ok = false;
            break;
          case HS_UNOP_NOT:
            out->kind = FV_BOOL;
            out->i = v.kind == FV_STR ? v.len == 0 : v.kind == FV_FLOAT ? v.f == 0.0
                     : v.kind == FV_NONE ? 1 : v.i == 0;
            break;
          }
        folded_clear (&v);
        return ok;
      }
    case HS_EXPR_BINOP:
      {
        Folded a, b;
        bool ok = false;
        HsBinaryOp op = e->u.binop.op;
        if (!fold_expr (e->u.binop.left, &a, depth + 1))
          return false;
        if (!fold_expr (e->u.binop.right, &b, depth + 1))
          {
            folded_clear (&a);
            return false;
          }
        bool ai = a.kind == FV_INT || a.kind == FV_BOOL, bi = b.kind == FV_INT || b.kind == FV_BOOL;
        if (ai && bi)
          ok = fold_int_binop (op, a.i, b.i, out);
        else if ((ai || a.kind == FV_FLOAT) && (bi || b.kind == FV_FLOAT)
                 && (op == HS_BINOP_ADD || op == HS_BINOP_SUB || op == HS_BINOP_MUL
                     || (op == HS_BINOP_TRUEDIV && (bi ? b.i != 0 : b.f != 0.0))))
          {
            double x = ai ? (double) a.i : a.f, y = bi ? (double) b.i : b.f;
            out->kind = FV_FLOAT;
            out->f = op == HS_BINOP_ADD ? x + y : op == HS_BINOP_SUB ? x - y
                     : op == HS_BINOP_MUL ? x * y : x / y;
            ok = isfinite (out->f) || !isfinite (x) || !isfinite (y);
          }
        else if (a.kind == FV_STR && b.kind == FV_STR && op == HS_BINOP_ADD
                 && a.len + b.len <= FOLD_MAX_STR)
          {
            out->kind = FV_STR;
            out->len = a.len + b.len;
            out->s = malloc (out->len + 1);
            if (out->s != NULL)
              {
                memcpy (out->s, a.s, a.len);
                memcpy (out->s + a.len, b.s, b.len);
                out->s[out->len] = '\0';
                ok = true;
              }
          }
        else if (op == HS_BINOP_MUL && ((a.kind == FV_STR && bi) || (ai && b.kind == FV_STR)))
          {
            Folded *str = a.kind == FV_STR ? &a : &b;
            int64_t n = a.kind == FV_STR ? b.i : a.i;
            if (n < 0)
              n = 0;
            if (str->len == 0 || (uint64_t) n <= FOLD_MAX_STR / str->len)
              {
                out->kind = FV_STR;
                out->len = str->len * (size_t) n;
                out->s = malloc (out->len + 1);
                if (out->s != NULL)
                  {
                    for (int64_t k = 0; k < n; k++)
                      memcpy (out->s + (size_t) k * str->len, str->s, str->len);
                    out->s[out->len] = '\0';
                    ok = true;
                  }
              }
          }
        folded_clear (&a);
        folded_clear (&b);
        if (!ok && out->kind == FV_STR)
          folded_clear (out);
        return ok;
      }
    default:
      return false;
    }
}

/* Folds e when it is a constant expression CPython folds; emits the load.  Literals
 * themselves go through the normal path. */
static bool
try_fold (Compiler *c, HsExpr *e)
{
  Folded v;

  if ((e->kind != HS_EXPR_BINOP && e->kind != HS_EXPR_UNARYOP) || !fold_expr (e, &v, 0))
    return false;
  switch (v.kind)
    {
    case FV_INT:   load_int (c, v.i); break;
    case FV_FLOAT: load_entry (c, cache_scalar (c, CE_FLOAT, 0, v.f, NULL, 0)); break;
    case FV_STR:   load_str (c, v.s, v.len); break;
    case FV_BOOL:  load_imm (c, v.i ? c->vm->true_obj : c->vm->false_obj); break;
    case FV_NONE:  load_imm (c, c->vm->none); break;
    }
  folded_clear (&v);
  return true;
}

/* A display element CPython would fold into a constant tuple. */
static bool
is_const_tree (HsExpr *e, int depth)
{
  Folded v;

  if (depth > 64)
    return false;
  if (e->kind == HS_EXPR_CONST)
    return true;
  if (e->kind == HS_EXPR_TUPLE && e->u.seq.ctx == HS_CTX_LOAD)
    {
      for (size_t i = 0; i < e->u.seq.elts.n; i++)
        if (!is_const_tree (e->u.seq.elts.items[i], depth + 1))
          return false;
      return true;
    }
  if ((e->kind == HS_EXPR_BINOP || e->kind == HS_EXPR_UNARYOP) && fold_expr (e, &v, 0))
    {
      folded_clear (&v);
      return true;
    }
  return false;
}

/* Tutorial profile: builds a constant tree at the current position (no per-element
 * lines, as CPython's single LOAD_CONST of the folded tuple). */
static void
emit_const_tree (Compiler *c, HsExpr *e, int depth)
{
  if (depth > 64 || c->failed)
    return;
  if (e->kind == HS_EXPR_TUPLE)
    {
      for (size_t i = 0; i < e->u.seq.elts.n; i++)
        emit_const_tree (c, e->u.seq.elts.items[i], depth + 1);
      emit (c, HS_OP_BUILD_TUPLE, (uint32_t) e->u.seq.elts.n);
      return;
    }
  if (e->kind == HS_EXPR_CONST)
    load_constant (c, e);
  else if (!try_fold (c, e))
    {
      HsPosition saved = c->u->loc;
      compile_expr (c, e);
      c->u->loc = saved;
    }
}

static bool
has_starred (HsExprSeq *seq)
{
  for (size_t i = 0; i < seq->n; i++)
    if (seq->items[i]->kind == HS_EXPR_STARRED)
      return true;
  return false;
}

/* Builds a list/tuple/set display, with *unpacking and long displays built one item
 * at a time.  kind: HS_EXPR_LIST, TUPLE or SET. */
static void
compile_display (Compiler *c, HsExprKind kind, HsExprSeq *elts)
{
  size_t n = elts->n;
  bool star = has_starred (elts);
  bool big = n > STACK_GUIDELINE;

  if (!star && !big)
    {
      bool fold = n > 0 && (kind == HS_EXPR_TUPLE || n > 2);
      for (size_t i = 0; i < n && fold; i++)
        fold = is_const_tree (elts->items[i], 0);
      if (fold && kind != HS_EXPR_TUPLE)
        {
          /* CPython extends an empty list (set) from a constant tuple (frozenset):
           * the same capacity (sys.getsizeof) and iteration order come out only when
           * built the same way, so the tutorial profile builds the temporary. */
          bool set = kind == HS_EXPR_SET;
          emit (c, set ? HS_OP_BUILD_SET : HS_OP_BUILD_LIST, 0);
          for (size_t i = 0; i < n; i++)
            emit_const_tree (c, elts->items[i], 0);
          emit_full (c, set ? HS_OP_BUILD_SET : HS_OP_BUILD_TUPLE, (uint32_t) n,
                     set ? HS_BUILD_SET_CONSTANT : 0, false);
          emit (c, set ? HS_OP_SET_UPDATE : HS_OP_LIST_EXTEND, 1);
          return;
        }
      for (size_t i = 0; i < n; i++)
        if (fold)
          emit_const_tree (c, elts->items[i], 0);
        else
          compile_expr (c, elts->items[i]);
      emit (c, kind == HS_EXPR_LIST ? HS_OP_BUILD_LIST
               : kind == HS_EXPR_SET ? HS_OP_BUILD_SET : HS_OP_BUILD_TUPLE, (uint32_t) n);
      return;
    }
  bool set = kind == HS_EXPR_SET;
  emit (c, set ? HS_OP_BUILD_SET : HS_OP_BUILD_LIST, 0);
  for (size_t i = 0; i < n && !c->failed; i++)
    {
      HsExpr *x = elts->items[i];
      if (x->kind == HS_EXPR_STARRED)
        {
          compile_expr (c, x->u.starred.value);
          emit (c, set ? HS_OP_SET_UPDATE : HS_OP_LIST_EXTEND, 1);
        }
      else
        {
          compile_expr (c, x);
          emit (c, set ? HS_OP_SET_ADD : HS_OP_LIST_APPEND, 1);
        }
    }
  if (kind == HS_EXPR_TUPLE)
    emit (c, HS_OP_LIST_TO_TUPLE, 0);
}

static void
compile_dict (Compiler *c, HsExpr *e)
{
  size_t n = e->u.dict.values.n;
  bool unpack = false;

  for (size_t i = 0; i < n; i++)
    if (e->u.dict.keys.items[i] == NULL)
      unpack = true;
  if (!unpack && n <= 16)
    {
      /* Constant keys take the dict's position (CPython loads them as one tuple). */
      bool const_keys = n > 1;
      for (size_t i = 0; i < n && const_keys; i++)
        const_keys = is_const_tree (e->u.dict.keys.items[i], 0);
      for (size_t i = 0; i < n; i++)
        {
          if (const_keys)
            {
              set_loc (c, &e->pos);
              emit_const_tree (c, e->u.dict.keys.items[i], 0);
            }
          else
            compile_expr (c, e->u.dict.keys.items[i]);
          compile_expr (c, e->u.dict.values.items[i]);
        }
      emit (c, HS_OP_BUILD_MAP, (uint32_t) n);
      return;
    }
  emit (c, HS_OP_BUILD_MAP, 0);
  for (size_t i = 0; i < n && !c->failed; i++)
    {
      if (e->u.dict.keys.items[i] == NULL)
        {
          compile_expr (c, e->u.dict.values.items[i]);
          emit (c, HS_OP_DICT_UPDATE, 1);
        }
      else
        {
          compile_expr (c, e->u.dict.keys.items[i]);
          compile_expr (c, e->u.dict.values.items[i]);
          emit (c, HS_OP_MAP_ADD, 1);
        }
    }
}

static void
emit_compare (Compiler *c, HsCmpOpKind op)
{
  switch (op)
    {
    case HS_CMPOP_IS:     emit (c, HS_OP_IS_OP, 0); break;
    case HS_CMPOP_IS_NOT: emit (c, HS_OP_IS_OP, 1); break;
    case HS_CMPOP_IN:     emit (c, HS_OP_CONTAINS_OP, 0); break;
    case HS_CMPOP_NOT_IN: emit (c, HS_OP_CONTAINS_OP, 1); break;
    default:              emit (c, HS_OP_COMPARE_OP, (uint32_t) op); break;
    }
}

/* An operand CPython's compiler sees as a constant, other than the singletons None,
 * True, False and ... (the only constants `is` may sensibly meet). */
static bool
is_literal_operand (HsExpr *e)
{
  if (e->kind == HS_EXPR_CONST)
    return e->u.constant.kind != HS_CONST_NONE && e->u.constant.kind != HS_CONST_TRUE
           && e->u.constant.kind != HS_CONST_FALSE && e->u.constant.kind != HS_CONST_ELLIPSIS;
  return is_const_tree (e, 0);
}

/* A SyntaxWarning as CPython prints it while compiling, before the program runs:
 * "FILE:LINE: SyntaxWarning: MESSAGE", then the source line, stripped. */
static void
compile_warning (Compiler *c, uint32_t lineno, const char *message)
{
  const char *line = c->source, *end = c->source + c->len, *stop;
  char *text;
  int n;

  for (uint32_t k = 1; k < lineno && line < end; k++)
    {
      const char *nl = memchr (line, '\n', (size_t) (end - line));
      line = nl != NULL ? nl + 1 : end;
    }
  stop = memchr (line, '\n', (size_t) (end - line));
  if (stop == NULL)
    stop = end;
  while (line < stop && (*line == ' ' || *line == '\t' || *line == '\f'))
    line++;
  while (stop > line && (stop[-1] == ' ' || stop[-1] == '\t' || stop[-1] == '\r' || stop[-1] == '\f'))
    stop--;
#define WARNING_FORMAT "%s:%u: SyntaxWarning: %s\n  %.*s\n", c->filename, lineno, message, \
                       (int) (stop - line), line
  n = snprintf (NULL, 0, WARNING_FORMAT);
  text = n >= 0 ? malloc ((size_t) n + 1) : NULL;
  if (text == NULL)
    return;
  snprintf (text, (size_t) n + 1, WARNING_FORMAT);
#undef WARNING_FORMAT
  hs_vm_write (c->vm, HS_STREAM_STDERR, text, (size_t) n);
  free (text);
}

/* CPython warns of `is` and `is not` against a literal: whether two equal literals
 * are one object is an implementation detail. */
static void
warn_is_literal (Compiler *c, HsExpr *e)
{
  bool left = is_literal_operand (e->u.compare.left);

  for (size_t i = 0; i < e->u.compare.n; i++)
    {
      HsCmpOpKind op = e->u.compare.ops[i];
      bool right = is_literal_operand (e->u.compare.comparators[i]);

      if (op == HS_CMPOP_IS && (left || right))
        compile_warning (c, e->pos.lineno, "\"is\" with a literal. Did you mean \"==\"?");
      else if (op == HS_CMPOP_IS_NOT && (left || right))
        compile_warning (c, e->pos.lineno, "\"is not\" with a literal. Did you mean \"!=\"?");
      left = right;
    }
}

static void
compile_compare (Compiler *c, HsExpr *e)
{
  size_t n = e->u.compare.n;

  warn_is_literal (c, e);
  compile_expr (c, e->u.compare.left);
  if (n == 1)
    {
      compile_expr (c, e->u.compare.comparators[0]);
      emit_compare (c, e->u.compare.ops[0]);
      return;
    }
  int32_t cleanup = new_label (c), end = new_label (c);
  for (size_t i = 0; i + 1 < n; i++)
    {
      compile_expr (c, e->u.compare.comparators[i]);
      emit (c, HS_OP_SWAP, 2);
      emit (c, HS_OP_COPY, 2);
      emit_compare (c, e->u.compare.ops[i]);
      emit_jump (c, HS_OP_JUMP_IF_FALSE_OR_POP, cleanup);
    }
  compile_expr (c, e->u.compare.comparators[n - 1]);
  emit_compare (c, e->u.compare.ops[n - 1]);
  emit_jump_noline (c, HS_OP_JUMP_FORWARD, end);
  bind_label (c, cleanup);
  emit (c, HS_OP_SWAP, 2);
  emit (c, HS_OP_POP_TOP, 0);
  bind_label (c, end);
}

/* Jumps to label when e's truth equals cond; short-circuits and/or/not as CPython. */
static void
jump_if (Compiler *c, HsExpr *e, bool cond, int32_t label)
{
  if (!enter (c, &e->pos))
    return;
  switch (e->kind)
    {
    case HS_EXPR_UNARYOP:
      if (e->u.unaryop.op == HS_UNOP_NOT)
        {
          jump_if (c, e->u.unaryop.operand, !cond, label);
          leave (c);
          return;
        }
      break;
    case HS_EXPR_BOOLOP:
      {
        bool is_or = e->u.boolop.op == HS_BOOL_OR;
        size_t n = e->u.boolop.values.n;
        int32_t next = label;
        if (is_or != cond)
          next = new_label (c);
        for (size_t i = 0; i + 1 < n; i++)
          jump_if (c, e->u.boolop.values.items[i], is_or, next);
        jump_if (c, e->u.boolop.values.items[n - 1], cond, label);
        if (next != label)
          bind_label (c, next);
        leave (c);
        return;
      }
    case HS_EXPR_COMPARE:
      if (e->u.compare.n == 1 && !cond && e->u.compare.ops[0] <= HS_CMPOP_GE)
        {
          compile_expr (c, e->u.compare.left);
          compile_expr (c, e->u.compare.comparators[0]);
          set_loc (c, &e->pos);
          emit_full (c, HS_OP_COMPARE_JUMP_IF_FALSE, (uint32_t) label,
                     (uint16_t) e->u.compare.ops[0], false);
          leave (c);
          return;
        }
      break;
    default:
      break;
    }
  HsPosition saved = c->u->loc;
  compile_expr (c, e);
  c->u->loc = saved;
  set_loc (c, &e->pos);
  emit_jump (c, cond ? HS_OP_POP_JUMP_IF_TRUE : HS_OP_POP_JUMP_IF_FALSE, label);
  c->u->loc = saved;
  leave (c);
}

/* Call arguments after the callable (and self slot) are on the stack. */
static void
compile_call_args (Compiler *c, HsExpr *e, bool method)
{
  size_t nargs = e->u.call.args.n, nkw = e->u.call.n_keywords;
  bool star = has_starred (&e->u.call.args), dstar = false;

  for (size_t i = 0; i < nkw; i++)
    {
      if (e->u.call.keywords[i].arg == NULL)
        dstar = true;
      else
        for (size_t j = 0; j < i; j++)
          if (e->u.call.keywords[j].arg != NULL
              && strcmp (e->u.call.keywords[j].arg, e->u.call.keywords[i].arg) == 0)
            {
              error_at (c, &e->u.call.keywords[i].pos, "keyword argument repeated: %s",
                        e->u.call.keywords[i].arg);
              return;
            }
    }
  if (!star && !dstar)
    {
      for (size_t i = 0; i < nargs; i++)
        compile_expr (c, e->u.call.args.items[i]);
      for (size_t i = 0; i < nkw; i++)
        compile_expr (c, e->u.call.keywords[i].value);
      set_loc (c, &e->pos);
      if (nkw > 0)
        {
          ConstRef *items = malloc (nkw * sizeof *items);
          int64_t idx;
          if (items == NULL)
            {
              error_oom (c);
              return;
            }
          for (size_t i = 0; i < nkw; i++)
            {
              items[i].imm = intern (c, e->u.call.keywords[i].arg);
              items[i].entry = 0;
            }
          idx = cache_composite (c, CE_KWNAMES, items, nkw);
          free (items);
          if (idx < 0)
            {
              error_oom (c);
              return;
            }
          emit (c, HS_OP_KW_NAMES, add_const_slot (c, SLOT_ENTRY, NULL, (uint32_t) idx));
        }
      emit (c, method ? HS_OP_CALL_METHOD : HS_OP_CALL, (uint32_t) (nargs + nkw));
      return;
    }
  /* f(*a, **k): a tuple of positionals and a dict of keywords. */
  if (!star && nargs <= STACK_GUIDELINE)
    {
      for (size_t i = 0; i < nargs; i++)
        compile_expr (c, e->u.call.args.items[i]);
      emit (c, HS_OP_BUILD_TUPLE, (uint32_t) nargs);
    }
  else
    compile_display (c, HS_EXPR_TUPLE, &e->u.call.args);
  if (nkw > 0)
    {
      emit (c, HS_OP_BUILD_MAP, 0);
      for (size_t i = 0; i < nkw && !c->failed; i++)
        {
          HsKeyword *k = &e->u.call.keywords[i];
          if (k->arg == NULL)
            {
              compile_expr (c, k->value);
              emit (c, HS_OP_DICT_MERGE, 1);
            }
          else
            {
              HsObject *key = intern (c, k->arg);
              if (key == NULL)
                return;
              load_imm (c, key);
              compile_expr (c, k->value);
              emit (c, HS_OP_MAP_ADD, 1);
            }
        }
    }
  set_loc (c, &e->pos);
  emit (c, HS_OP_CALL_EX, nkw > 0 ? 1 : 0);
}

static void
compile_call (Compiler *c, HsExpr *e)
{
  HsExpr *f = e->u.call.func;
  bool simple = !has_starred (&e->u.call.args);

  for (size_t i = 0; i < e->u.call.n_keywords; i++)
    if (e->u.call.keywords[i].arg == NULL)
      simple = false;
  if (simple && f->kind == HS_EXPR_ATTRIBUTE && f->u.attribute.ctx == HS_CTX_LOAD)
    {
      compile_expr (c, f->u.attribute.value);
      set_loc (c, &f->pos);
      emit_full (c, HS_OP_LOAD_METHOD, add_attr_name (c, f->u.attribute.attr), new_cache (c), false);
      compile_call_args (c, e, true);
      return;
    }
  compile_expr (c, f);
  compile_call_args (c, e, false);
}

/* Makes a function object from a finished code object (owned reference, stolen). */
static void
make_closure (Compiler *c, HsObject *code, uint32_t flags)
{
  HsCode *co = HS_CODE (code);
  Unit *u = c->u;

  if (co->nfreevars > 0)
    {
      for (uint32_t i = 0; i < co->nfreevars; i++)
        {
          const char *name = hs_str_data (co->freevars[i]);
          HsSymbol *sym = hs_scope_find (u->scope, name);
          int32_t idx = -1;

          if (u->scope->kind == HS_SCOPE_CLASS && strcmp (name, "__class__") == 0
              && u->scope->needs_class_closure)
            idx = 0;
          else if (sym != NULL)
            idx = sym->deref_index;
          if (idx < 0)
            {
              /* The symbol table guarantees the cell exists; be defensive. */
              error_oom (c);
              hs_decref (c->vm, code);
              return;
            }
          emit (c, HS_OP_LOAD_CLOSURE, (uint32_t) idx);
        }
      emit (c, HS_OP_BUILD_TUPLE, co->nfreevars);
      flags |= HS_MAKE_FUNCTION_CLOSURE;
    }
  emit (c, HS_OP_LOAD_CONST, add_const_slot (c, SLOT_CODE, code, 0));
  emit (c, HS_OP_MAKE_FUNCTION, flags);
}

static HsObject *assemble (Compiler *c);

/* Leaves the finished unit and returns its code object (or NULL). */
static HsObject *
unit_finish (Compiler *c)
{
  Unit *u = c->u;
  HsObject *code = c->failed ? NULL : assemble (c);

  c->u = u->parent;
  unit_free (c, u);
  return code;
}

/* Defaults and kw-only defaults of a def or lambda; returns MAKE_FUNCTION flags. */
static uint32_t
compile_defaults (Compiler *c, HsArguments *a)
{
  uint32_t flags = 0;

  if (a == NULL)
    return 0;
  if (a->n_defaults > 0)
    {
      HsExprSeq seq = { a->n_defaults, a->defaults };
      ConstRef r;
      bool folded = false;

      if (c->cpython)
        {
          HsExpr tmp;
          memset (&tmp, 0, sizeof tmp);
          tmp.kind = HS_EXPR_TUPLE;
          tmp.u.seq.elts = seq;
          tmp.u.seq.ctx = HS_CTX_LOAD;
          if (const_value (c, &tmp, &r, 0))
            {
              load_constref (c, &r);
              folded = true;
            }
        }
      if (!folded)
        {
          for (size_t i = 0; i < a->n_defaults; i++)
            compile_expr (c, a->defaults[i]);
          emit (c, HS_OP_BUILD_TUPLE, (uint32_t) a->n_defaults);
        }
      flags |= HS_MAKE_FUNCTION_DEFAULTS;
    }
  size_t nkw = 0;
  for (size_t i = 0; i < a->n_kwonly; i++)
    if (a->kw_defaults != NULL && a->kw_defaults[i] != NULL)
      {
        HsObject *key = intern (c, a->kwonly[i].name);
        if (key == NULL)
          return 0;
        load_imm (c, key);
        compile_expr (c, a->kw_defaults[i]);
        nkw++;
      }
  if (nkw > 0)
    {
      emit (c, HS_OP_BUILD_MAP, (uint32_t) nkw);
      flags |= HS_MAKE_FUNCTION_KWDEFAULTS;
    }
  return flags;
}

static void
set_function_shape (Unit *u, HsArguments *a)
{
  u->flags |= HS_CODE_OPTIMIZED | HS_CODE_NEWLOCALS;
  if (u->scope->nested)
    u->flags |= HS_CODE_NESTED;
  if (a == NULL)
    return;
  u->argcount = (uint32_t) a->n_args;
  u->kwonlyargcount = (uint32_t) a->n_kwonly;
  if (a->vararg != NULL)
    u->flags |= HS_CODE_VARARGS;
  if (a->kwarg != NULL)
    u->flags |= HS_CODE_VARKEYWORDS;
}

static void
compile_lambda (Compiler *c, HsExpr *e)
{
  HsScope *scope = hs_symtable_lookup (c->st, e);
  uint32_t flags = compile_defaults (c, e->u.lambda.args);
  Unit *u;

  if (c->failed || scope == NULL || (u = unit_new (c, scope, "<lambda>", e->pos.lineno)) == NULL)
    {
      if (!c->failed)
        error_oom (c);
      return;
    }
  set_function_shape (u, e->u.lambda.args);
  u->flags |= HS_CODE_LAMBDA;
  compile_expr (c, e->u.lambda.body);
  set_loc (c, &e->u.lambda.body->pos);
  emit (c, HS_OP_RETURN_VALUE, 0);
  HsObject *code = unit_finish (c);
  if (code == NULL)
    return;
  set_loc (c, &e->pos);
  make_closure (c, code, flags);
}

static void
compile_comp_generator (Compiler *c, HsExpr *e, size_t g)
{
  HsComprehension *gen = &e->u.comp.generators[g];
  size_t ngen = e->u.comp.n_generators;
  int32_t start = new_label (c), anchor = new_label (c), if_cleanup = new_label (c);

  if (!enter (c, &e->pos))
    return;
  if (g == 0)
    emit (c, HS_OP_LOAD_FAST, 0);      /* .0, the iterator */
  else
    {
      compile_expr (c, gen->iter);
      set_loc (c, &e->pos);
      emit (c, HS_OP_GET_ITER, 0);
    }
  bind_label (c, start);
  set_loc (c, &e->pos);
  emit_jump (c, HS_OP_FOR_ITER, anchor);
  compile_store (c, gen->target);
  for (size_t i = 0; i < gen->ifs.n; i++)
    jump_if (c, gen->ifs.items[i], false, if_cleanup);
  if (g + 1 < ngen)
    compile_comp_generator (c, e, g + 1);
  else
    {
      set_loc (c, &e->pos);
      switch (e->kind)
        {
        case HS_EXPR_LISTCOMP:
          compile_expr (c, e->u.comp.elt);
          set_loc (c, &e->pos);
          emit (c, HS_OP_LIST_APPEND, (uint32_t) ngen + 1);
          break;
        case HS_EXPR_SETCOMP:
          compile_expr (c, e->u.comp.elt);
          set_loc (c, &e->pos);
          emit (c, HS_OP_SET_ADD, (uint32_t) ngen + 1);
          break;
        default:
          compile_expr (c, e->u.comp.elt);
          compile_expr (c, e->u.comp.value);
          set_loc (c, &e->pos);
          emit (c, HS_OP_MAP_ADD, (uint32_t) ngen + 1);
          break;
        }
    }
  bind_label (c, if_cleanup);
  set_loc (c, &e->pos);
  emit_jump (c, HS_OP_JUMP_BACKWARD, start);
  bind_label (c, anchor);
  leave (c);
}

static void
compile_comprehension (Compiler *c, HsExpr *e)
{
  HsScope *scope = hs_symtable_lookup (c->st, e);
  Unit *u;

  if (e->kind == HS_EXPR_GENEXP)
    {
      error_at (c, &e->pos, "generator expressions are not supported by Heapscope");
      return;
    }
  if (scope == NULL || e->u.comp.n_generators == 0
      || (u = unit_new (c, scope, scope->name, e->pos.lineno)) == NULL)
    {
      if (!c->failed)
        error_oom (c);
      return;
    }
  set_function_shape (u, NULL);
  u->argcount = 1;
  u->flags |= HS_CODE_COMPREHENSION;
  set_loc (c, &e->pos);
  emit (c, e->kind == HS_EXPR_LISTCOMP ? HS_OP_BUILD_LIST
           : e->kind == HS_EXPR_SETCOMP ? HS_OP_BUILD_SET : HS_OP_BUILD_MAP, 0);
  compile_comp_generator (c, e, 0);
  set_loc (c, &e->pos);
  emit (c, HS_OP_RETURN_VALUE, 0);
  HsObject *code = unit_finish (c);
  if (code == NULL)
    return;
  set_loc (c, &e->pos);
  make_closure (c, code, 0);
  compile_expr (c, e->u.comp.generators[0].iter);
  set_loc (c, &e->pos);
  emit (c, HS_OP_GET_ITER, 0);
  emit (c, HS_OP_CALL, 1);
}

static void
compile_joinedstr (Compiler *c, HsExpr *e)
{
  size_t n = e->u.joinedstr.values.n;

  if (n == 0)
    {
      load_str (c, "", 0);
      return;
    }
  for (size_t i = 0; i < n; i++)
    compile_expr (c, e->u.joinedstr.values.items[i]);
  set_loc (c, &e->pos);
  if (n > 1)
    emit (c, HS_OP_BUILD_STRING, (uint32_t) n);
}

static void
compile_formatted (Compiler *c, HsExpr *e)
{
  uint32_t flags = 0;

  compile_expr (c, e->u.formatted.value);
  switch (e->u.formatted.conversion)
    {
    case 's': flags = 1; break;
    case 'r': flags = 2; break;
    case 'a': flags = 3; break;
    default:  flags = 0; break;
    }
  if (e->u.formatted.format_spec != NULL)
    {
      compile_expr (c, e->u.formatted.format_spec);
      flags |= HS_FORMAT_HAVE_SPEC;
    }
  set_loc (c, &e->pos);
  emit (c, HS_OP_FORMAT_VALUE, flags);
}

static void
compile_binop_instr (Compiler *c, HsBinaryOp op, bool inplace)
{
  if (!inplace && op == HS_BINOP_ADD)
    emit (c, HS_OP_BINARY_ADD, 0);
  else if (!inplace && op == HS_BINOP_SUB)
    emit (c, HS_OP_BINARY_SUBTRACT, 0);
  else if (!inplace && op == HS_BINOP_MUL)
    emit (c, HS_OP_BINARY_MULTIPLY, 0);
  else if (inplace && op == HS_BINOP_ADD)
    emit (c, HS_OP_INPLACE_ADD, 0);
  else if (inplace && op == HS_BINOP_SUB)
    emit (c, HS_OP_INPLACE_SUBTRACT, 0);
  else
    emit (c, HS_OP_BINARY_OP, inplace ? HS_BINOP_INPLACE (op) : (uint32_t) op);
}

static void
compile_expr (Compiler *c, HsExpr *e)
{
  HsPosition saved;

  if (!enter (c, &e->pos))
    return;
  saved = c->u->loc;
  set_loc (c, &e->pos);
  switch (e->kind)
    {
    case HS_EXPR_CONST:
      load_constant (c, e);
      break;
    case HS_EXPR_NAME:
      name_op (c, e->u.name.id, e->u.name.ctx);
      break;
    case HS_EXPR_BINOP:
      if (try_fold (c, e))
        break;
      compile_expr (c, e->u.binop.left);
      compile_expr (c, e->u.binop.right);
      compile_binop_instr (c, e->u.binop.op, false);
      break;
    case HS_EXPR_UNARYOP:
      if (try_fold (c, e))
        break;
      compile_expr (c, e->u.unaryop.operand);
      switch (e->u.unaryop.op)
        {
        case HS_UNOP_NEG:    emit (c, HS_OP_UNARY_NEGATIVE, 0); break;
        case HS_UNOP_POS:    emit (c, HS_OP_UNARY_POSITIVE, 0); break;
        case HS_UNOP_INVERT: emit (c, HS_OP_UNARY_INVERT, 0); break;
        case HS_UNOP_NOT:    emit (c, HS_OP_UNARY_NOT, 0); break;
        }
      break;
    case HS_EXPR_BOOLOP:
      {
        int32_t end = new_label (c);
        size_t n = e->u.boolop.values.n;
        HsOpcode op = e->u.boolop.op == HS_BOOL_AND ? HS_OP_JUMP_IF_FALSE_OR_POP
                                                    : HS_OP_JUMP_IF_TRUE_OR_POP;
        for (size_t i = 0; i + 1 < n; i++)
          {
            compile_expr (c, e->u.boolop.values.items[i]);
            emit_jump (c, op, end);
          }
        compile_expr (c, e->u.boolop.values.items[n - 1]);
        bind_label (c, end);
      }
      break;
    case HS_EXPR_COMPARE:
      compile_compare (c, e);
      break;
    case HS_EXPR_CALL:
      compile_call (c, e);
      break;
    case HS_EXPR_ATTRIBUTE:
      compile_expr (c, e->u.attribute.value);
      set_loc (c, &e->pos);
      if (e->u.attribute.ctx == HS_CTX_LOAD)
        emit_full (c, HS_OP_LOAD_ATTR, add_attr_name (c, e->u.attribute.attr), new_cache (c), false);
      else if (e->u.attribute.ctx == HS_CTX_STORE)
        emit_full (c, HS_OP_STORE_ATTR, add_attr_name (c, e->u.attribute.attr), new_cache (c), false);
      else
        emit (c, HS_OP_DELETE_ATTR, add_attr_name (c, e->u.attribute.attr));
      break;
    case HS_EXPR_SUBSCRIPT:
      compile_expr (c, e->u.subscript.value);
      compile_expr (c, e->u.subscript.slice);
      set_loc (c, &e->pos);
      emit (c, e->u.subscript.ctx == HS_CTX_LOAD ? HS_OP_BINARY_SUBSCR
               : e->u.subscript.ctx == HS_CTX_STORE ? HS_OP_STORE_SUBSCR : HS_OP_DELETE_SUBSCR, 0);
      break;
    case HS_EXPR_SLICE:
      {
        uint32_t n = 2;
        if (e->u.slice.lower != NULL)
          compile_expr (c, e->u.slice.lower);
        else
          load_imm (c, c->vm->none);
        if (e->u.slice.upper != NULL)
          compile_expr (c, e->u.slice.upper);
        else
          load_imm (c, c->vm->none);
        if (e->u.slice.step != NULL)
          {
            compile_expr (c, e->u.slice.step);
            n = 3;
          }
        set_loc (c, &e->pos);
        emit (c, HS_OP_BUILD_SLICE, n);
      }
      break;
    case HS_EXPR_STARRED:
      error_at (c, &e->pos, "can't use starred expression here");
      break;
    case HS_EXPR_TUPLE:
      if (e->u.seq.ctx == HS_CTX_LOAD && try_compile_const (c, e))
        break;
      /* fall through */
    case HS_EXPR_LIST:
    case HS_EXPR_SET:
      if (c->cpython && e->kind != HS_EXPR_TUPLE && e->u.seq.elts.n > 2
          && !has_starred (&e->u.seq.elts))
        {
          /* CPython builds [1, 2, 3] / {1, 2, 3} from a constant tuple. */
          HsExpr tmp;
          ConstRef r;
          memset (&tmp, 0, sizeof tmp);
          tmp.kind = HS_EXPR_TUPLE;
          tmp.u.seq = e->u.seq;
          tmp.u.seq.ctx = HS_CTX_LOAD;
          if (const_value (c, &tmp, &r, 0))
            {
              emit (c, e->kind == HS_EXPR_LIST ? HS_OP_BUILD_LIST : HS_OP_BUILD_SET, 0);
              if (e->kind == HS_EXPR_SET && r.imm == NULL)
                {
                  ConstEntry *te = &c->cache.entries[r.entry];
                  ConstRef *items = malloc (te->nitems * sizeof *items);
                  int64_t fz;
                  if (items == NULL)
                    {
                      error_oom (c);
                      break;
                    }
                  memcpy (items, te->items, te->nitems * sizeof *items);
                  fz = cache_composite (c, CE_FROZENSET, items, te->nitems);
                  free (items);
                  if (fz < 0)
                    {
                      error_oom (c);
                      break;
                    }
                  r.entry = (uint32_t) fz;
                }
              load_constref (c, &r);
              emit (c, e->kind == HS_EXPR_LIST ? HS_OP_LIST_EXTEND : HS_OP_SET_UPDATE, 1);
              break;
            }
        }
      compile_display (c, e->kind, &e->u.seq.elts);
      break;
    case HS_EXPR_DICT:
      compile_dict (c, e);
      break;
    case HS_EXPR_LISTCOMP:
    case HS_EXPR_SETCOMP:
    case HS_EXPR_DICTCOMP:
    case HS_EXPR_GENEXP:
      compile_comprehension (c, e);
      break;
    case HS_EXPR_LAMBDA:
      compile_lambda (c, e);
      break;
    case HS_EXPR_IFEXP:
      {
        int32_t orelse = new_label (c), end = new_label (c);
        jump_if (c, e->u.ifexp.test, false, orelse);
        compile_expr (c, e->u.ifexp.body);
        emit_jump_noline (c, HS_OP_JUMP_FORWARD, end);
        bind_label (c, orelse);
        compile_expr (c, e->u.ifexp.orelse);
        bind_label (c, end);
      }
      break;
    case HS_EXPR_JOINEDSTR:
      compile_joinedstr (c, e);
      break;
    case HS_EXPR_FORMATTED:
      compile_formatted (c, e);
      break;
    case HS_EXPR_NAMEDEXPR:
      compile_expr (c, e->u.namedexpr.value);
      emit (c, HS_OP_COPY, 1);
      compile_store (c, e->u.namedexpr.target);
      break;
    }
  c->u->loc = saved;
  leave (c);
}

/* ---- assignment targets -------------------------------------------------------------- */

static void
compile_unpack (Compiler *c, HsExpr *t)
{
  HsExprSeq *elts = &t->u.seq.elts;
  size_t n = elts->n, star = SIZE_MAX;

  for (size_t i = 0; i < n; i++)
    if (elts->items[i]->kind == HS_EXPR_STARRED)
      {
        if (star != SIZE_MAX)
          {
            error_at (c, &t->pos, "multiple starred expressions in assignment");
            return;
          }
        star = i;
      }
  set_loc (c, &t->pos);
  if (star == SIZE_MAX)
    emit (c, HS_OP_UNPACK_SEQUENCE, (uint32_t) n);
  else
    {
      if (star >= 0xFFFF || n - star - 1 >= 0xFFFF)
        {
          error_at (c, &t->pos, "too many expressions in star-unpacking assignment");
          return;
        }
      emit (c, HS_OP_UNPACK_EX, HS_UNPACK_EX_ARG (star, n - star - 1));
    }
  for (size_t i = 0; i < n && !c->failed; i++)
    {
      HsExpr *x = elts->items[i];
      compile_store (c, x->kind == HS_EXPR_STARRED ? x->u.starred.value : x);
    }
}

/* Stores the value on top of the stack into target (pops it). */
static void
compile_store (Compiler *c, HsExpr *t)
{
  HsPosition saved;

  if (!enter (c, &t->pos))
    return;
  saved = c->u->loc;
  set_loc (c, &t->pos);
  switch (t->kind)
    {
    case HS_EXPR_NAME:
      name_op (c, t->u.name.id, HS_CTX_STORE);
      break;
    case HS_EXPR_ATTRIBUTE:
      compile_expr (c, t->u.attribute.value);
      set_loc (c, &t->pos);
      emit_full (c, HS_OP_STORE_ATTR, add_attr_name (c, t->u.attribute.attr), new_cache (c), false);
      break;
    case HS_EXPR_SUBSCRIPT:
      compile_expr (c, t->u.subscript.value);
      compile_expr (c, t->u.subscript.slice);
      set_loc (c, &t->pos);
      emit (c, HS_OP_STORE_SUBSCR, 0);
      break;
    case HS_EXPR_TUPLE:
    case HS_EXPR_LIST:
      compile_unpack (c, t);
      break;
    case HS_EXPR_STARRED:
      error_at (c, &t->pos, "starred assignment target must be in a list or tuple");
      break;
    default:
      error_at (c, &t->pos, "cannot assign to expression");
      break;
    }
  c->u->loc = saved;
  leave (c);
}

static void
compile_delete (Compiler *c, HsExpr *t)
{
  if (!enter (c, &t->pos))
    return;
  set_loc (c, &t->pos);
  switch (t->kind)
    {
    case HS_EXPR_NAME:
      name_op (c, t->u.name.id, HS_CTX_DEL);
      break;
    case HS_EXPR_ATTRIBUTE:
      compile_expr (c, t->u.attribute.value);
      set_loc (c, &t->pos);
      emit (c, HS_OP_DELETE_ATTR, add_attr_name (c, t->u.attribute.attr));
      break;
    case HS_EXPR_SUBSCRIPT:
      compile_expr (c, t->u.subscript.value);
      compile_expr (c, t->u.subscript.slice);
      set_loc (c, &t->pos);
      emit (c, HS_OP_DELETE_SUBSCR, 0);
      break;
    case HS_EXPR_TUPLE:
    case HS_EXPR_LIST:
      for (size_t i = 0; i < t->u.seq.elts.n; i++)
        compile_delete (c, t->u.seq.elts.items[i]);
      break;
    default:
      error_at (c, &t->pos, "cannot delete expression");
      break;
    }
  leave (c);
}

/* ---- statements ----------------------------------------------------------------------- */

static void
compile_assign (Compiler *c, HsStmt *s)
{
  HsExprSeq *targets = &s->u.assign.targets;
  HsExpr *v = s->u.assign.value;

  /* a, b = b, a: no tuple is built (CPython turns it into SWAP). */
  if (targets->n == 1 && (targets->items[0]->kind == HS_EXPR_TUPLE
                          || targets->items[0]->kind == HS_EXPR_LIST)
      && v->kind == HS_EXPR_TUPLE && v->u.seq.elts.n == targets->items[0]->u.seq.elts.n
      && v->u.seq.elts.n >= 1 && v->u.seq.elts.n <= 3
      && !has_starred (&v->u.seq.elts) && !has_starred (&targets->items[0]->u.seq.elts))
    {
      ConstRef r;
      if (!(c->cpython && const_value (c, v, &r, 0)))
        {
          HsExpr *t = targets->items[0];
          size_t n = v->u.seq.elts.n;
          for (size_t i = 0; i < n; i++)
            compile_expr (c, v->u.seq.elts.items[i]);
          set_loc (c, &v->pos);
          if (n > 1)
            emit (c, HS_OP_SWAP, (uint32_t) n);
          for (size_t i = 0; i < n; i++)
            compile_store (c, t->u.seq.elts.items[i]);
          return;
        }
    }
  compile_expr (c, v);
  for (size_t i = 0; i < targets->n && !c->failed; i++)
    {
      if (i + 1 < targets->n)
        {
          set_loc (c, &s->pos);
          emit (c, HS_OP_COPY, 1);
        }
      compile_store (c, targets->items[i]);
    }
}

static void
compile_augassign (Compiler *c, HsStmt *s)
{
  HsExpr *t = s->u.augassign.target;
  HsBinaryOp op = s->u.augassign.op;

  switch (t->kind)
    {
    case HS_EXPR_NAME:
      set_loc (c, &t->pos);
      name_op (c, t->u.name.id, HS_CTX_LOAD);
      compile_expr (c, s->u.augassign.value);
      set_loc (c, &s->pos);
      compile_binop_instr (c, op, true);
      set_loc (c, &t->pos);
      name_op (c, t->u.name.id, HS_CTX_STORE);
      break;
    case HS_EXPR_ATTRIBUTE:
      compile_expr (c, t->u.attribute.value);
      set_loc (c, &t->pos);
      emit (c, HS_OP_COPY, 1);
      emit_full (c, HS_OP_LOAD_ATTR, add_attr_name (c, t->u.attribute.attr), new_cache (c), false);
      compile_expr (c, s->u.augassign.value);
      set_loc (c, &s->pos);
      compile_binop_instr (c, op, true);
      set_loc (c, &t->pos);
      emit (c, HS_OP_SWAP, 2);
      emit_full (c, HS_OP_STORE_ATTR, add_attr_name (c, t->u.attribute.attr), new_cache (c), false);
      break;
    case HS_EXPR_SUBSCRIPT:
      compile_expr (c, t->u.subscript.value);
      compile_expr (c, t->u.subscript.slice);
      set_loc (c, &t->pos);
      emit (c, HS_OP_COPY, 2);
      emit (c, HS_OP_COPY, 2);
      emit (c, HS_OP_BINARY_SUBSCR, 0);
      compile_expr (c, s->u.augassign.value);
      set_loc (c, &s->pos);
      compile_binop_instr (c, op, true);
      set_loc (c, &t->pos);
      emit (c, HS_OP_SWAP, 3);
      emit (c, HS_OP_SWAP, 2);
      emit (c, HS_OP_STORE_SUBSCR, 0);
      break;
    default:
      error_at (c, &t->pos, "'%s' is an illegal expression for augmented assignment",
                t->kind == HS_EXPR_TUPLE ? "tuple" : t->kind == HS_EXPR_LIST ? "list"
                : "expression");
      break;
    }
}

/* Emits the clean-up of one frame block when leaving it by return/break/continue.
 * preserve_tos: a return value sits on top of the block's items. */
static void
unwind_fblock (Compiler *c, FBlock *fb, bool preserve_tos)
{
  Unit *u = c->u;

  switch (fb->kind)
    {
    case FB_WHILE:
    case FB_TRY_EXCEPT:
      break;
    case FB_FOR:
      if (preserve_tos)
        emit (c, HS_OP_SWAP, 2);
      emit (c, HS_OP_POP_TOP, 0);
      break;
    case FB_POP_VALUE:
      if (preserve_tos)
        emit (c, HS_OP_SWAP, 2);
      emit (c, HS_OP_POP_TOP, 0);
      break;
    case FB_FINALLY_TRY:
      {
        /* Run the finally body here, not covered by its own handler. */
        FBlock copy = *fb;
        u->sdepth = fb->base + (preserve_tos ? 1 : 0);
        if (preserve_tos)
          {
            if (!push_fblock (c, &fb->try_stmt->pos, FB_POP_VALUE, -1, -1))
              return;
            u->fblocks[u->nfblocks - 1].base = fb->base;
          }
        compile_stmts (c, &copy.try_stmt->u.try_.finalbody);
        if (preserve_tos)
          pop_fblock (c);
      }
      break;
    case FB_FINALLY_END:
      /* Stack: [prev, exc] (+ value). */
      if (preserve_tos)
        emit (c, HS_OP_SWAP, 2);
      emit (c, HS_OP_POP_TOP, 0);
      if (preserve_tos)
        emit (c, HS_OP_SWAP, 2);
      emit (c, HS_OP_POP_EXCEPT, 0);
      break;
    case FB_HANDLER:
    case FB_HANDLER_CLEANUP:
      /* Stack: [prev] (+ value). */
      if (preserve_tos)
        emit (c, HS_OP_SWAP, 2);
      emit (c, HS_OP_POP_EXCEPT, 0);
      if (fb->kind == FB_HANDLER_CLEANUP)
        {
          load_imm (c, c->vm->none);
          name_op (c, fb->name, HS_CTX_STORE);
          name_op (c, fb->name, HS_CTX_DEL);
        }
      break;
    }
}

/* Unwinds the blocks above `stop_at` (exclusive; 0 = all) from the innermost out.
 * Handlers and structural depth are restored by the caller's snapshot. */
static void
unwind_fblocks (Compiler *c, size_t stop_at, bool preserve_tos)
{
  Unit *u = c->u;

  while (u->nfblocks > stop_at && !c->failed)
    {
      FBlock fb = u->fblocks[u->nfblocks - 1];
      u->nfblocks--;
      u->nhstack = fb.hdepth;     /* the block's handler no longer covers the clean-up */
      unwind_fblock (c, &fb, preserve_tos);
    }
}

typedef struct {
  size_t    nfblocks;
  FBlock    fblocks[MAX_FBLOCKS];
  size_t    nhstack;
  int32_t  *hstack;
  uint32_t  sdepth;
} Snapshot;

static bool
snapshot_take (Compiler *c, Snapshot *snap)
{
  Unit *u = c->u;

  snap->nfblocks = u->nfblocks;
  if (u->nfblocks > 0)
    memcpy (snap->fblocks, u->fblocks, u->nfblocks * sizeof (FBlock));
  snap->nhstack = u->nhstack;
  snap->sdepth = u->sdepth;
  snap->hstack = malloc ((u->nhstack + 1) * sizeof (int32_t));
  if (snap->hstack == NULL)
    {
      error_oom (c);
      return false;
    }
  if (u->nhstack > 0)
    memcpy (snap->hstack, u->hstack, u->nhstack * sizeof (int32_t));
  return true;
}

static void
snapshot_restore (Compiler *c, Snapshot *snap)
{
  Unit *u = c->u;

  u->nfblocks = snap->nfblocks;
  if (snap->nfblocks > 0)
    memcpy (u->fblocks, snap->fblocks, snap->nfblocks * sizeof (FBlock));
  if (!c->failed && snap->nhstack > 0)
    memcpy (u->hstack, snap->hstack, snap->nhstack * sizeof (int32_t));
  u->nhstack = snap->nhstack;
  u->sdepth = snap->sdepth;
  free (snap->hstack);
}

/* Removes the NOP at index nop when nothing was emitted after it (the statement's
 * next instruction carries its line then). */
static void
drop_nop_if_alone (Compiler *c, size_t nop)
{
  Unit *u = c->u;

  if (!c->failed && u->ninstrs == nop + 1 && u->instrs[nop].op == HS_OP_NOP)
    {
      u->ninstrs--;
      u->loc = u->instrs[nop].pos;
    }
}

static void
compile_return (Compiler *c, HsStmt *s)
{
  Unit *u = c->u;
  Snapshot snap;

  if (!scope_is_function (u->scope))
    {
      error_at (c, &s->pos, "'return' outside function");
      return;
    }
  if (s->u.return_.value != NULL)
    compile_expr (c, s->u.return_.value);
  set_loc (c, &s->pos);
  if (u->nfblocks > 0)
    {
      size_t nop;
      if (!snapshot_take (c, &snap))
        return;
      /* As CPython: the return's line is a step, then the clean-ups (finally bodies)
       * run and the return itself keeps the last line they set. */
      nop = emit_full (c, HS_OP_NOP, 0, 0, false);
      unwind_fblocks (c, 0, s->u.return_.value != NULL);
      drop_nop_if_alone (c, nop);
      if (s->u.return_.value == NULL)
        load_imm (c, c->vm->none);
      emit (c, HS_OP_RETURN_VALUE, 0);
      snapshot_restore (c, &snap);
      return;
    }
  if (s->u.return_.value == NULL)
    load_imm (c, c->vm->none);
  emit (c, HS_OP_RETURN_VALUE, 0);
}

static void
compile_break_continue (Compiler *c, HsStmt *s, bool is_break)
{
  Unit *u = c->u;
  size_t loop = SIZE_MAX;
  Snapshot snap;

  for (size_t i = u->nfblocks; i-- > 0;)
    if (u->fblocks[i].kind == FB_WHILE || u->fblocks[i].kind == FB_FOR)
      {
        loop = i;
        break;
      }
  if (loop == SIZE_MAX)
    {
      error_at (c, &s->pos, is_break ? "'break' outside loop" : "'continue' not properly in loop");
      return;
    }
  FBlock lb = u->fblocks[loop];
  size_t nop;
  if (!snapshot_take (c, &snap))
    return;
  nop = emit_full (c, HS_OP_NOP, 0, 0, false);
  unwind_fblocks (c, loop + 1, false);
  drop_nop_if_alone (c, nop);
  if (is_break)
    {
      unwind_fblock (c, &lb, false);
      emit_jump (c, HS_OP_JUMP_FORWARD, lb.label_break);
    }
  else
    emit_jump (c, HS_OP_JUMP_BACKWARD, lb.label_continue);
  snapshot_restore (c, &snap);
}

static bool
is_const_true (HsExpr *e)
{
  if (e->kind != HS_EXPR_CONST)
    return false;
  switch (e->u.constant.kind)
    {
    case HS_CONST_TRUE: return true;
    case HS_CONST_INT:  return e->u.constant.i != 0;
    case HS_CONST_STR:  return e->u.constant.len != 0;
    case HS_CONST_FLOAT: return e->u.constant.f != 0.0;
    case HS_CONST_ELLIPSIS: return true;
    default: return false;
    }
}

static void
compile_while (Compiler *c, HsStmt *s)
{
  int32_t top = new_label (c), orelse = new_label (c), end = new_label (c);

  bind_label (c, top);
  if (is_const_true (s->u.while_.test))
    emit (c, HS_OP_NOP, 0);
  else
    jump_if (c, s->u.while_.test, false, orelse);
  if (!push_fblock (c, &s->pos, FB_WHILE, top, end))
    return;
  compile_stmts (c, &s->u.while_.body);
  pop_fblock (c);
  emit_jump_noline (c, HS_OP_JUMP_BACKWARD, top);
  bind_label (c, orelse);
  compile_stmts (c, &s->u.while_.orelse);
  bind_label (c, end);
}

static void
compile_for (Compiler *c, HsStmt *s)
{
  int32_t start = new_label (c), cleanup = new_label (c), end = new_label (c);

  compile_expr (c, s->u.for_.iter);
  set_loc (c, &s->pos);
  emit (c, HS_OP_GET_ITER, 0);
  bind_label (c, start);
  emit_jump (c, HS_OP_FOR_ITER, cleanup);
  if (!push_fblock (c, &s->pos, FB_FOR, start, end))
    return;
  c->u->sdepth++;
  compile_store (c, s->u.for_.target);
  compile_stmts (c, &s->u.for_.body);
  c->u->sdepth--;
  pop_fblock (c);
  emit_jump_noline (c, HS_OP_JUMP_BACKWARD, start);
  bind_label (c, cleanup);
  compile_stmts (c, &s->u.for_.orelse);
  bind_label (c, end);
}

static void
compile_if (Compiler *c, HsStmt *s)
{
  int32_t orelse = new_label (c), end = new_label (c);

  jump_if (c, s->u.if_.test, false, orelse);
  compile_stmts (c, &s->u.if_.body);
  if (s->u.if_.orelse.n > 0)
    {
      emit_jump_noline (c, HS_OP_JUMP_FORWARD, end);
      bind_label (c, orelse);
      compile_stmts (c, &s->u.if_.orelse);
      bind_label (c, end);
    }
  else
    bind_label (c, orelse);
}

/* `name = None; del name`, the end of an `except E as name:` handler. */
static void
clear_exc_name (Compiler *c, const char *name)
{
  load_imm (c, c->vm->none);
  name_op (c, name, HS_CTX_STORE);
  name_op (c, name, HS_CTX_DEL);
}

/* try/except[/else]: the body under a handler; the handlers test the exception in turn.
 * Stack at the handler: [base.., exc]; PUSH_EXC_INFO makes it [base.., prev, exc]. */
static void
compile_try_except (Compiler *c, HsStmt *s)
{
  Unit *u = c->u;
  uint32_t base = u->sdepth;
  int32_t handler = new_label (c), cleanup = new_label (c), end = new_label (c);

  size_t body_h = u->nhstack;
  push_handler (c, handler, base);
  if (!push_fblock (c, &s->pos, FB_TRY_EXCEPT, -1, -1))
    return;
  u->fblocks[u->nfblocks - 1].hdepth = body_h;
  compile_stmts (c, &s->u.try_.body);
  pop_fblock (c);
  pop_handler (c);
  compile_stmts (c, &s->u.try_.orelse);
  emit_jump_noline (c, HS_OP_JUMP_FORWARD, end);

  bind_label (c, handler);
  size_t outer_h = u->nhstack;   /* handler stack without the clean-up handler */
  push_handler (c, cleanup, base + 1);
  int32_t cleanup_h = c->failed ? -1 : u->hstack[u->nhstack - 1];
  emit_noline (c, HS_OP_PUSH_EXC_INFO, 0);
  for (size_t i = 0; i < s->u.try_.n_handlers && !c->failed; i++)
    {
      HsExceptHandler *h = &s->u.try_.handlers[i];
      int32_t next = new_label (c);

      if (h->type == NULL && i + 1 < s->u.try_.n_handlers)
        {
          error_at (c, &h->pos, "default 'except:' must be last");
          return;
        }
      set_loc (c, &h->pos);
      if (h->type != NULL)
        {
          compile_expr (c, h->type);
          set_loc (c, &h->pos);
          emit (c, HS_OP_CHECK_EXC_MATCH, 0);
          emit_jump (c, HS_OP_POP_JUMP_IF_FALSE, next);
        }
      if (h->name != NULL)
        {
          int32_t cleanup_name = new_label (c);
          name_op (c, h->name, HS_CTX_STORE);
          u->sdepth = base + 1;
          push_handler (c, cleanup_name, base + 1);
          if (!push_fblock (c, &h->pos, FB_HANDLER_CLEANUP, -1, -1))
            return;
          u->fblocks[u->nfblocks - 1].name = h->name;
          u->fblocks[u->nfblocks - 1].hdepth = outer_h;
          compile_stmts (c, &h->body);
          pop_fblock (c);
          pop_handler (c);
          u->sdepth = base;
          /* Leaving the handler normally: outside the clean-up handler. */
          pop_handler (c);
          emit_noline (c, HS_OP_POP_EXCEPT, 0);
          memset (&u->loc, 0, sizeof u->loc);
          clear_exc_name (c, h->name);
          emit_jump_noline (c, HS_OP_JUMP_FORWARD, end);
          repush_handler (c, cleanup_h);
          /* An exception in the handler body: drop the name, re-raise. */
          bind_label (c, cleanup_name);
          clear_exc_name (c, h->name);
          emit_noline (c, HS_OP_RERAISE, 0);
        }
      else
        {
          emit (c, HS_OP_POP_TOP, 0);
          u->sdepth = base + 1;
          if (!push_fblock (c, &h->pos, FB_HANDLER, -1, -1))
            return;
          u->fblocks[u->nfblocks - 1].hdepth = outer_h;
          compile_stmts (c, &h->body);
          pop_fblock (c);
          u->sdepth = base;
          pop_handler (c);
          emit_noline (c, HS_OP_POP_EXCEPT, 0);
          emit_jump_noline (c, HS_OP_JUMP_FORWARD, end);
          repush_handler (c, cleanup_h);
        }
      bind_label (c, next);
    }
  /* No clause matched: re-raise (the cleanup restores the handled exception). */
  emit_noline (c, HS_OP_RERAISE, 0);
  pop_handler (c);
  bind_label (c, cleanup);
  emit_noline (c, HS_OP_SWAP, 2);
  emit_noline (c, HS_OP_POP_EXCEPT, 0);
  emit_noline (c, HS_OP_RERAISE, 0);
  bind_label (c, end);
}

static void
compile_try_finally (Compiler *c, HsStmt *s)
{
  Unit *u = c->u;
  uint32_t base = u->sdepth;
  int32_t fin_exc = new_label (c), cleanup = new_label (c), end = new_label (c);

  size_t body_h = u->nhstack;
  push_handler (c, fin_exc, base);
  if (!push_fblock (c, &s->pos, FB_FINALLY_TRY, -1, -1))
    return;
  u->fblocks[u->nfblocks - 1].try_stmt = s;
  u->fblocks[u->nfblocks - 1].hdepth = body_h;
  if (s->u.try_.n_handlers > 0)
    compile_try_except (c, s);
  else
    compile_stmts (c, &s->u.try_.body);
  pop_fblock (c);
  pop_handler (c);
  /* The normal path runs the finally body inline. */
  compile_stmts (c, &s->u.try_.finalbody);
  emit_jump_noline (c, HS_OP_JUMP_FORWARD, end);

  /* The exceptional path: [base.., exc] -> [base.., prev, exc], body, re-raise. */
  bind_label (c, fin_exc);
  size_t outer_h = u->nhstack;
  push_handler (c, cleanup, base + 1);
  emit_noline (c, HS_OP_PUSH_EXC_INFO, 0);
  u->sdepth = base + 2;
  if (!push_fblock (c, &s->pos, FB_FINALLY_END, -1, -1))
    return;
  u->fblocks[u->nfblocks - 1].base = base;
  u->fblocks[u->nfblocks - 1].hdepth = outer_h;
  compile_stmts (c, &s->u.try_.finalbody);
  pop_fblock (c);
  u->sdepth = base;
  emit_noline (c, HS_OP_RERAISE, 0);
  pop_handler (c);
  bind_label (c, cleanup);
  emit_noline (c, HS_OP_SWAP, 2);
  emit_noline (c, HS_OP_POP_EXCEPT, 0);
  emit_noline (c, HS_OP_RERAISE, 0);
  bind_label (c, end);
}

static bool
is_docstring (HsStmtSeq *body)
{
  return body->n > 0 && body->items[0]->kind == HS_STMT_EXPR
         && body->items[0]->u.expr.value->kind == HS_EXPR_CONST
         && body->items[0]->u.expr.value->u.constant.kind == HS_CONST_STR;
}

/* Calls the decorators, innermost first, each at its own line as CPython. */
static void
apply_decorators (Compiler *c, HsExprSeq *decos)
{
  for (size_t i = decos->n; i-- > 0;)
    {
      set_loc (c, &decos->items[i]->pos);
      emit (c, HS_OP_CALL, 1);
    }
}

static void
compile_functiondef (Compiler *c, HsStmt *s)
{
  HsScope *scope = hs_symtable_lookup (c->st, s);
  HsExprSeq *decos = &s->u.funcdef.decorators;
  uint32_t flags;
  Unit *u;

  for (size_t i = 0; i < decos->n; i++)
    compile_expr (c, decos->items[i]);
  set_loc (c, &s->pos);
  flags = compile_defaults (c, s->u.funcdef.args);
  if (c->failed)
    return;
  uint32_t firstline = decos->n > 0 ? decos->items[0]->pos.lineno : s->pos.lineno;
  if (scope == NULL || (u = unit_new (c, scope, s->u.funcdef.name, firstline)) == NULL)
    {
      if (!c->failed)
        error_oom (c);
      return;
    }
  set_function_shape (u, s->u.funcdef.args);
  {
    HsStmtSeq body = s->u.funcdef.body;
    if (is_docstring (&body))
      {
        /* The docstring is not code (CPython keeps it as co_consts[0]). */
        body.items++;
        body.n--;
      }
    compile_stmts (c, &body);
  }
  HsObject *code = unit_finish (c);
  if (code == NULL)
    return;
  set_loc (c, &s->pos);
  make_closure (c, code, flags);
  apply_decorators (c, decos);
  set_loc (c, &s->pos);
  name_op (c, s->u.funcdef.name, HS_CTX_STORE);
}

static void
compile_classdef (Compiler *c, HsStmt *s)
{
  HsScope *scope = hs_symtable_lookup (c->st, s);
  HsExprSeq *decos = &s->u.classdef.decorators;
  Unit *u;

  for (size_t i = 0; i < decos->n; i++)
    compile_expr (c, decos->items[i]);
  set_loc (c, &s->pos);
  emit (c, HS_OP_LOAD_BUILD_CLASS, 0);
  uint32_t firstline = decos->n > 0 ? decos->items[0]->pos.lineno : s->pos.lineno;
  if (c->failed || scope == NULL
      || (u = unit_new (c, scope, s->u.classdef.name, firstline)) == NULL)
    {
      if (!c->failed)
        error_oom (c);
      return;
    }
  u->flags |= HS_CODE_CLASS_BODY;
  if (scope->nested)
    u->flags |= HS_CODE_NESTED;
  set_loc (c, &s->pos);
  /* __module__ = __name__; __qualname__ = '...' */
  emit (c, HS_OP_LOAD_NAME, add_name (c, "__name__"));
  emit (c, HS_OP_STORE_NAME, add_name (c, "__module__"));
  load_str (c, u->qualname, strlen (u->qualname));
  emit (c, HS_OP_STORE_NAME, add_name (c, "__qualname__"));
  {
    HsStmtSeq body = s->u.classdef.body;
    if (is_docstring (&body))
      {
        HsExpr *doc = body.items[0]->u.expr.value;
        set_loc (c, &body.items[0]->pos);
        load_str (c, doc->u.constant.s, doc->u.constant.len);
        emit (c, HS_OP_STORE_NAME, add_name (c, "__doc__"));
        body.items++;
        body.n--;
      }
    compile_stmts (c, &body);
  }
  memset (&c->u->loc, 0, sizeof c->u->loc);
  if (scope->needs_class_closure)
    {
      emit_noline (c, HS_OP_LOAD_CLOSURE, 0);
      emit_noline (c, HS_OP_COPY, 1);
      emit_noline (c, HS_OP_STORE_NAME, add_name (c, "__classcell__"));
    }
  else
    load_imm (c, c->vm->none);
  emit_noline (c, HS_OP_RETURN_VALUE, 0);
  HsObject *code = unit_finish (c);
  if (code == NULL)
    return;
  set_loc (c, &s->pos);
  make_closure (c, code, 0);
  load_str (c, s->u.classdef.name, strlen (s->u.classdef.name));
  for (size_t i = 0; i < s->u.classdef.bases.n; i++)
    {
      if (s->u.classdef.bases.items[i]->kind == HS_EXPR_STARRED)
        {
          error_at (c, &s->u.classdef.bases.items[i]->pos,
                    "starred base classes are not supported by Heapscope");
          return;
        }
      compile_expr (c, s->u.classdef.bases.items[i]);
    }
  size_t nkw = s->u.classdef.n_keywords;
  for (size_t i = 0; i < nkw; i++)
    {
      if (s->u.classdef.keywords[i].arg == NULL)
        {
          error_at (c, &s->u.classdef.keywords[i].pos,
                    "**kwargs in a class statement is not supported by Heapscope");
          return;
        }
      compile_expr (c, s->u.classdef.keywords[i].value);
    }
  set_loc (c, &s->pos);
  if (nkw > 0)
    {
      ConstRef *items = malloc (nkw * sizeof *items);
      int64_t idx;
      if (items == NULL)
        {
          error_oom (c);
          return;
        }
      for (size_t i = 0; i < nkw; i++)
        {
          items[i].imm = intern (c, s->u.classdef.keywords[i].arg);
          items[i].entry = 0;
        }
      idx = cache_composite (c, CE_KWNAMES, items, nkw);
      free (items);
      if (idx < 0)
        {
          error_oom (c);
          return;
        }
      emit (c, HS_OP_KW_NAMES, add_const_slot (c, SLOT_ENTRY, NULL, (uint32_t) idx));
    }
  emit (c, HS_OP_CALL, (uint32_t) (2 + s->u.classdef.bases.n + nkw));
  apply_decorators (c, decos);
  set_loc (c, &s->pos);
  name_op (c, s->u.classdef.name, HS_CTX_STORE);
}

static void
compile_import (Compiler *c, HsStmt *s)
{
  for (size_t i = 0; i < s->u.import.n && !c->failed; i++)
    {
      HsAlias *a = &s->u.import.names[i];
      set_loc (c, &s->pos);
      if (a->asname != NULL)
        {
          emit_full (c, HS_OP_IMPORT_NAME, add_name (c, a->name),
                     strchr (a->name, '.') != NULL ? HS_IMPORT_FROM : 0, false);
          name_op (c, a->asname, HS_CTX_STORE);
        }
      else
        {
          const char *dot = strchr (a->name, '.');
          emit_full (c, HS_OP_IMPORT_NAME, add_name (c, a->name), 0, false);
          if (dot == NULL)
            name_op (c, a->name, HS_CTX_STORE);
          else
            {
              char *first = strndup (a->name, (size_t) (dot - a->name));
              if (first == NULL)
                {
                  error_oom (c);
                  return;
                }
              name_op (c, first, HS_CTX_STORE);
              free (first);
            }
        }
    }
}

static void
compile_importfrom (Compiler *c, HsStmt *s)
{
  const char *mod = s->u.importfrom.module != NULL ? s->u.importfrom.module : "";
  uint32_t level = s->u.importfrom.level > 0 ? (uint32_t) s->u.importfrom.level : 0;

  set_loc (c, &s->pos);
  emit_full (c, HS_OP_IMPORT_NAME, add_name (c, mod),
             (uint16_t) (HS_IMPORT_FROM | (level << 1)), false);
  for (size_t i = 0; i < s->u.importfrom.n && !c->failed; i++)
    {
      HsAlias *a = &s->u.importfrom.names[i];
      if (strcmp (a->name, "*") == 0)
        {
          emit (c, HS_OP_IMPORT_STAR, 0);
          return;
        }
      emit (c, HS_OP_IMPORT_FROM, add_name (c, a->name));
      name_op (c, a->asname != NULL ? a->asname : a->name, HS_CTX_STORE);
    }
  emit (c, HS_OP_POP_TOP, 0);
}

static void
compile_stmt (Compiler *c, HsStmt *s)
{
  if (!enter (c, &s->pos))
    return;
  set_loc (c, &s->pos);
  switch (s->kind)
    {
    case HS_STMT_EXPR:
      if (s->u.expr.value->kind == HS_EXPR_CONST)
        emit (c, HS_OP_NOP, 0);   /* a constant statement is not evaluated */
      else
        {
          compile_expr (c, s->u.expr.value);
          set_loc (c, &s->pos);
          emit (c, HS_OP_POP_TOP, 0);
        }
      break;
    case HS_STMT_ASSIGN:
      compile_assign (c, s);
      break;
    case HS_STMT_AUGASSIGN:
      compile_augassign (c, s);
      break;
    case HS_STMT_ANNASSIGN:
      if (s->u.annassign.value != NULL)
        {
          compile_expr (c, s->u.annassign.value);
          compile_store (c, s->u.annassign.target);
        }
      else if (s->u.annassign.target->kind != HS_EXPR_NAME)
        {
          /* `x.y: int` evaluates x (and for subscripts, the key), as CPython. */
          HsExpr *t = s->u.annassign.target;
          if (t->kind == HS_EXPR_ATTRIBUTE)
            {
              compile_expr (c, t->u.attribute.value);
              emit (c, HS_OP_POP_TOP, 0);
            }
          else if (t->kind == HS_EXPR_SUBSCRIPT)
            {
              compile_expr (c, t->u.subscript.value);
              emit (c, HS_OP_POP_TOP, 0);
              compile_expr (c, t->u.subscript.slice);
              emit (c, HS_OP_POP_TOP, 0);
            }
        }
      else
        emit (c, HS_OP_NOP, 0);
      break;
    case HS_STMT_IF:
      compile_if (c, s);
      break;
    case HS_STMT_WHILE:
      compile_while (c, s);
      break;
    case HS_STMT_FOR:
      compile_for (c, s);
      break;
    case HS_STMT_BREAK:
      compile_break_continue (c, s, true);
      break;
    case HS_STMT_CONTINUE:
      compile_break_continue (c, s, false);
      break;
    case HS_STMT_PASS:
      emit (c, HS_OP_NOP, 0);
      break;
    case HS_STMT_RETURN:
      compile_return (c, s);
      break;
    case HS_STMT_DELETE:
      for (size_t i = 0; i < s->u.delete_.targets.n; i++)
        compile_delete (c, s->u.delete_.targets.items[i]);
      break;
    case HS_STMT_GLOBAL:
    case HS_STMT_NONLOCAL:
      break;
    case HS_STMT_ASSERT:
      {
        int32_t end = new_label (c);
        /* A non-empty tuple is always true. */
        if (s->u.assert_.test->kind == HS_EXPR_TUPLE && s->u.assert_.test->u.seq.elts.n > 0)
          compile_warning (c, s->pos.lineno, "assertion is always true, perhaps remove parentheses?");
        /* As in CPython 3.11, the raise keeps the location the test's jump left
         * behind: a comparison's own range (carets under it), else the statement. */
        const HsPos *raise_pos = &s->pos;
        const HsExpr *t = s->u.assert_.test;
        while (t != NULL && (t->kind == HS_EXPR_UNARYOP && t->u.unaryop.op == HS_UNOP_NOT))
          t = t->u.unaryop.operand;
        while (t != NULL && t->kind == HS_EXPR_BOOLOP && t->u.boolop.values.n > 0)
          t = t->u.boolop.values.items[t->u.boolop.values.n - 1];
        if (t != NULL && t->kind == HS_EXPR_COMPARE)
          raise_pos = &t->pos;
        jump_if (c, s->u.assert_.test, true, end);
        set_loc (c, raise_pos);
        emit (c, HS_OP_LOAD_ASSERTION_ERROR, 0);
        if (s->u.assert_.msg != NULL)
          {
            compile_expr (c, s->u.assert_.msg);
            set_loc (c, raise_pos);
            emit (c, HS_OP_CALL, 1);
          }
        emit (c, HS_OP_RAISE_VARARGS, 1);
        bind_label (c, end);
      }
      break;
    case HS_STMT_RAISE:
      {
        uint32_t n = 0;
        if (s->u.raise.exc != NULL)
          {
            compile_expr (c, s->u.raise.exc);
            n = 1;
            if (s->u.raise.cause != NULL)
              {
                compile_expr (c, s->u.raise.cause);
                n = 2;
              }
          }
        set_loc (c, &s->pos);
        emit (c, HS_OP_RAISE_VARARGS, n);
      }
      break;
    case HS_STMT_TRY:
      emit (c, HS_OP_NOP, 0);     /* the `try:` line is a step, as in CPython */
      if (s->u.try_.finalbody.n > 0)
        compile_try_finally (c, s);
      else
        compile_try_except (c, s);
      break;
    case HS_STMT_FUNCTIONDEF:
      compile_functiondef (c, s);
      break;
    case HS_STMT_CLASSDEF:
      compile_classdef (c, s);
      break;
    case HS_STMT_IMPORT:
      compile_import (c, s);
      break;
    case HS_STMT_IMPORTFROM:
      compile_importfrom (c, s);
      break;
    case HS_STMT_WITH:
      error_at (c, &s->pos, "'with' statements are not supported by Heapscope");
      break;
    }
  leave (c);
}

static void
compile_stmts (Compiler *c, HsStmtSeq *seq)
{
  for (size_t i = 0; i < seq->n && !c->failed; i++)
    compile_stmt (c, seq->items[i]);
}

/* ---- assembly -------------------------------------------------------------------------- */

static bool
is_terminator (uint8_t op)
{
  return op == HS_OP_RETURN_VALUE || op == HS_OP_RAISE_VARARGS || op == HS_OP_RERAISE
         || op == HS_OP_JUMP_FORWARD || op == HS_OP_JUMP_BACKWARD;
}

/* Exact maximum stack depth by flow analysis over the instructions (a work list, no
 * recursion).  Fails (internal error) if two paths reach an instruction with different
 * depths, or a handler's depth exceeds what its covered code has. */
static bool
compute_stackdepth (Compiler *c, uint32_t *out)
{
  Unit *u = c->u;
  size_t n = u->ninstrs;
  int32_t *depth = malloc ((n + 1) * sizeof *depth);
  uint32_t *work = malloc ((n + u->nhandlers + 1) * sizeof *work);
  size_t nwork = 0;
  int32_t maxd = 0;
  bool ok = true;

  if (depth == NULL || work == NULL)
    {
      free (depth);
      free (work);
      error_oom (c);
      return false;
    }
  for (size_t i = 0; i < n; i++)
    depth[i] = -1;

#define REACH(target, d)                                        \
  do {                                                          \
    size_t t_ = (target);                                       \
    int32_t d_ = (d);                                           \
    if (t_ >= n || d_ < 0) { ok = false; break; }               \
    if (depth[t_] < 0) { depth[t_] = d_; work[nwork++] = (uint32_t) t_; } \
    else if (depth[t_] != d_) ok = false;                       \
  } while (0)

  if (n > 0)
    REACH (0, 0);
  while (nwork > 0 && ok)
    {
      uint32_t i = work[--nwork];
      Instr *in = &u->instrs[i];
      int32_t d = depth[i];
      const HsOperandKind kind = hs_opcode_operand (in->op);

      if (d > maxd)
        maxd = d;
      if (in->handler >= 0)
        {
          Handler *h = &u->handlers[in->handler];
          if ((int32_t) h->depth > d)
            ok = false;
          else
            REACH ((size_t) u->labels[h->label], (int32_t) h->depth + 1);
        }
      if (kind == HS_OPND_JUMP)
        {
          int32_t after = d + hs_opcode_stack_effect (in->op, in->arg, true);
          if (after > maxd)
            maxd = after;
          REACH (in->arg, after);
        }
      if (!is_terminator (in->op))
        {
          int32_t after = d + hs_opcode_stack_effect (in->op, in->arg, false);
          if (after > maxd)
            maxd = after;
          /* Instructions that push before they pop peak above `after`. */
          REACH ((size_t) i + 1, after);
        }
      else if (in->op == HS_OP_RETURN_VALUE)
        {
          /* Every block is unwound before a return: only the value is left. */
          if (d != 1)
            ok = false;
        }
      else if (in->op == HS_OP_RAISE_VARARGS)
        {
          if (d + hs_opcode_stack_effect (in->op, in->arg, false) < 0)
            ok = false;
        }
    }
#undef REACH
  free (work);
  if (!ok && getenv ("HS_DEBUG_COMPILER") != NULL)
    for (size_t i = 0; i < n; i++)
      fprintf (stderr, "%4zu %-22s %u depth %d handler %d\n", i, hs_opcode_name (u->instrs[i].op),
               u->instrs[i].arg, depth[i], u->instrs[i].handler);
  if (!ok)
    {
      c->failed = true;
      memset (c->err, 0, sizeof *c->err);
      snprintf (c->err->type_name, sizeof c->err->type_name, "SystemError");
      snprintf (c->err->message, sizeof c->err->message,
                "internal compiler error: inconsistent stack depth in %s", c->u->qualname);
      free (depth);
      return false;
    }
  free (depth);
  *out = (uint32_t) maxd;
  return true;
}

static void *
mem_copy (Compiler *c, const void *src, size_t size)
{
  void *p;

  if (size == 0)
    return NULL;
  p = hs_mem_alloc (c->vm, size);
  if (p == NULL)
    {
      error_oom (c);
      return NULL;
    }
  if (src != NULL)
    memcpy (p, src, size);
  else
    memset (p, 0, size);
  return p;
}

static HsObject *
assemble (Compiler *c)
{
  Unit *u = c->u;
  HsVm *vm = c->vm;
  uint32_t stacksize = 0;
  bool label_at_end = false;

  /* The implicit `return None` (no line: it inherits its predecessor's, as in CPython). */
  for (size_t i = 0; i < u->nlabels; i++)
    if (u->labels[i] == (int32_t) u->ninstrs)
      label_at_end = true;
  if (u->ninstrs == 0 || label_at_end || !is_terminator (u->instrs[u->ninstrs - 1].op))
    {
      emit_full (c, HS_OP_LOAD_CONST, add_const_slot (c, SLOT_IMM, vm->none, 0), 0, true);
      emit_noline (c, HS_OP_RETURN_VALUE, 0);
    }
  if (c->failed)
    return NULL;
  /* Resolve labels. */
  for (size_t i = 0; i < u->ninstrs; i++)
    if (hs_opcode_operand (u->instrs[i].op) == HS_OPND_JUMP)
      {
        int32_t target = u->labels[u->instrs[i].arg];
        u->instrs[i].arg = (uint32_t) target;
      }
  if (!compute_stackdepth (c, &stacksize))
    return NULL;

  /* Jump targets and handler entries start lines. */
  bool *target = calloc (u->ninstrs + 1, sizeof *target);
  if (target == NULL)
    {
      error_oom (c);
      return NULL;
    }
  for (size_t i = 0; i < u->ninstrs; i++)
    if (hs_opcode_operand (u->instrs[i].op) == HS_OPND_JUMP)
      target[u->instrs[i].arg] = true;
  for (size_t i = 0; i < u->nhandlers; i++)
    target[u->labels[u->handlers[i].label]] = true;

  /* Exception table: runs of instructions with the same handler. */
  size_t nexc = 0;
  for (size_t i = 0; i < u->ninstrs; i++)
    if (u->instrs[i].handler >= 0 && (i == 0 || u->instrs[i - 1].handler != u->instrs[i].handler))
      nexc++;

  HsCode *co = hs_object_alloc (vm, HS_T (vm, CODE), sizeof (HsCode));
  if (co == NULL)
    {
      free (target);
      error_oom (c);
      return NULL;
    }
  memset ((char *) co + sizeof (HsObject), 0, sizeof (HsCode) - sizeof (HsObject));
  co->name = u->name;
  co->filename = c->filename_obj;
  co->firstlineno = u->firstlineno;
  co->flags = u->flags;
  if (u->ncellvars == 0 && u->nfreevars == 0)
    co->flags |= HS_CODE_NOFREE;
  co->argcount = u->argcount;
  co->kwonlyargcount = u->kwonlyargcount;
  co->stacksize = stacksize;
  co->qualname = hs_str_intern (vm, u->qualname, strlen (u->qualname));

  /* Tables first (sizes known to size_of before any event), then constants. */
  co->ninstrs = (uint32_t) u->ninstrs;
  co->code = mem_copy (c, NULL, u->ninstrs * sizeof (HsInstr));
  co->positions = mem_copy (c, NULL, u->ninstrs * sizeof (HsPosition));
  if (co->code == NULL || co->positions == NULL)
    goto fail;
  for (size_t i = 0; i < u->ninstrs; i++)
    {
      Instr *in = &u->instrs[i];
      HsInstr *out = &co->code[i];
      out->op = in->op;
      out->arg = in->arg;
      out->arg2 = in->arg2;
      out->flags = 0;
      if (in->pos.lineno != 0
          && (i == 0 || target[i] || u->instrs[i - 1].pos.lineno == 0
              || u->instrs[i - 1].pos.lineno != in->pos.lineno))
        out->flags |= HS_INSTR_LINE_START;
      co->positions[i] = in->pos;
    }
  co->nlocals = (uint32_t) u->nvarnames;
  co->varnames = mem_copy (c, u->varnames, u->nvarnames * sizeof (HsObject *));
  co->ncellvars = (uint32_t) u->ncellvars;
  co->cellvars = mem_copy (c, u->cellvars, u->ncellvars * sizeof (HsObject *));
  co->freevars = NULL;
  co->nfreevars = (uint32_t) u->nfreevars;
  co->freevars = mem_copy (c, u->freevars, u->nfreevars * sizeof (HsObject *));
  {
    bool any = false;
    for (size_t i = 0; i < u->ncellvars; i++)
      any |= u->cell2arg[i] >= 0;
    if (any)
      co->cell2arg = mem_copy (c, u->cell2arg, u->ncellvars * sizeof (int32_t));
  }
  co->nnames = (uint32_t) u->nnames;
  co->names = mem_copy (c, u->names, u->nnames * sizeof (HsObject *));
  co->ncaches = u->ncaches;
  co->caches = mem_copy (c, NULL, u->ncaches * sizeof (HsInlineCache));
  co->nexc = (uint32_t) nexc;
  co->exctable = mem_copy (c, NULL, nexc * sizeof (HsExcEntry));
  if (c->failed)
    goto fail;
  {
    size_t k = 0;
    for (size_t i = 0; i < u->ninstrs; i++)
      {
        int32_t h = u->instrs[i].handler;
        if (h < 0)
          continue;
        if (i == 0 || u->instrs[i - 1].handler != h)
          {
            co->exctable[k].start = (uint32_t) i;
            co->exctable[k].target = (uint32_t) u->labels[u->handlers[h].label];
            co->exctable[k].depth = u->handlers[h].depth;
            k++;
          }
        co->exctable[k - 1].end = (uint32_t) i + 1;
      }
  }
  /* Literals (tutorial profile). */
  if (u->nliterals > 0)
    {
      co->literals = mem_copy (c, NULL, u->nliterals * sizeof (HsLiteral));
      if (co->literals == NULL)
        goto fail;
      co->nliterals = (uint32_t) u->nliterals;
      for (size_t i = 0; i < u->nliterals; i++)
        {
          ConstEntry *e = &c->cache.entries[u->literals[i]];
          HsLiteral *l = &co->literals[i];
          switch (e->kind)
            {
            case CE_INT:
              l->kind = HS_LITERAL_INT;
              l->u.i = e->i;
              break;
            case CE_FLOAT:
              l->kind = HS_LITERAL_FLOAT;
              l->u.f = e->f;
              break;
            default:
              l->kind = HS_LITERAL_STR;
              l->len = e->len;
              l->u.s = hs_mem_alloc (vm, e->len + 1);
              if (l->u.s == NULL)
                {
                  error_oom (c);
                  goto fail;
                }
              memcpy (l->u.s, e->s, e->len);
              l->u.s[e->len] = '\0';
              break;
            }
        }
    }
  /* Constants: each stored, then published, as a container filling its slots. */
  if (u->nconsts > 0)
    {
      co->consts = mem_copy (c, NULL, u->nconsts * sizeof (HsObject *));
      if (co->consts == NULL)
        goto fail;
      co->nconsts = (uint32_t) u->nconsts;
      for (size_t i = 0; i < u->nconsts; i++)
        {
          ConstSlot *slot = &u->consts[i];
          HsObject *o;

          if (slot->kind == SLOT_IMM)
            o = hs_incref (slot->obj);
          else if (slot->kind == SLOT_CODE)
            {
              o = slot->obj;    /* the unit's reference moves to the code object */
              slot->obj = NULL;
            }
          else
            o = materialize (c, slot->entry, 0);
          if (o == NULL)
            goto fail;
          co->consts[i] = o;
          if (!hs_is_immortal (o) && hs_hooked (vm, HS_EV_REF))
            hs_emit_ref (vm, HS_HOLDER_CONST, co->base.id, i, NULL, NULL, o);
        }
    }
  free (target);
  return &co->base;

fail:
  free (target);
  hs_decref (vm, &co->base);
  error_oom (c);
  return NULL;
}

/* ---- entry point ------------------------------------------------------------------------- */

HsObject *
hs_compile (HsVm *vm, HsModule *mod, const char *filename, const char *source, size_t len,
            HsSyntaxError *err)
{
  Compiler cc;
  Compiler *c = &cc;
  HsObject *code = NULL;

  memset (err, 0, sizeof *err);
  memset (c, 0, sizeof *c);
  c->vm = vm;
  c->err = err;
  c->filename = filename;
  c->source = source;
  c->len = len;
  c->cpython = vm->config.profile == HS_PROFILE_CPYTHON;
  c->st = hs_symtable_build (mod, source, len, err);
  if (c->st == NULL)
    {
      if (strcmp (err->type_name, "MemoryError") == 0)
        {
          memset (err, 0, sizeof *err);
          hs_err_no_memory (vm);
        }
      return NULL;
    }
  c->filename_obj = hs_str_intern (vm, filename, strlen (filename));
  if (c->filename_obj == NULL)
    {
      hs_symtable_free (c->st);
      return NULL;
    }
  if (unit_new (c, hs_symtable_module (c->st), "<module>", 1) != NULL)
    {
      c->u->flags |= HS_CODE_MODULE;
      HsStmtSeq body = mod->body;
      if (is_docstring (&body))
        {
          HsExpr *doc = body.items[0]->u.expr.value;
          set_loc (c, &body.items[0]->pos);
          load_str (c, doc->u.constant.s, doc->u.constant.len);
          emit (c, HS_OP_STORE_NAME, add_name (c, "__doc__"));
          body.items++;
          body.n--;
        }
      compile_stmts (c, &body);
      if (!c->failed)
        {
          /* The module ends with its last statement's line (CPython gives the implicit
           * return the last line; no event as it is the same line). */
          code = unit_finish (c);
        }
      /* Failure: free every open unit (innermost first). */
      while (c->u != NULL)
        {
          Unit *u = c->u;
          c->u = u->parent;
          unit_free (c, u);
        }
    }
  cache_free (&c->cache);
  hs_symtable_free (c->st);
  if (code == NULL && !c->failed)
    error_oom (c);
  return code;
}
