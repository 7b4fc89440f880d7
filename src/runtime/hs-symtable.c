/* hs-symtable.c — scopes and name classification (3.11 semantics) for the compiler. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hs-symtable.h"

/* Deep trees: the parser limits nesting, this is the compiler's own guard. */
#define HS_SYMTABLE_MAX_DEPTH 1500

/* ---- a set of strings (analysis scratch) --------------------------------------- */

typedef struct {
  const char **slots;
  size_t       cap;
  size_t       count;
} StrSet;

static uint64_t
str_hash (const char *s)
{
  uint64_t h = 1469598103934665603ull;

  for (; *s; s++)
    h = (h ^ (unsigned char) *s) * 1099511628211ull;
  return h;
}

static bool
strset_grow (StrSet *set)
{
  size_t cap = set->cap ? set->cap * 2 : 16;
  const char **slots = calloc (cap, sizeof *slots);

  if (slots == NULL)
    return false;
  for (size_t i = 0; i < set->cap; i++)
    if (set->slots[i] != NULL && set->slots[i] != (const char *) set)
      {
        size_t j = str_hash (set->slots[i]) & (cap - 1);
        while (slots[j] != NULL)
          j = (j + 1) & (cap - 1);
        slots[j] = set->slots[i];
      }
  free (set->slots);
  set->slots = slots;
  set->cap = cap;
  return true;
}

/* Deleted slots hold the set's own address as a tombstone. */
static size_t
strset_find (const StrSet *set, const char *s)
{
  if (set->cap == 0)
    return SIZE_MAX;
  size_t j = str_hash (s) & (set->cap - 1);
  while (set->slots[j] != NULL)
    {
      if (set->slots[j] != (const char *) set && strcmp (set->slots[j], s) == 0)
        return j;
      j = (j + 1) & (set->cap - 1);
    }
  return SIZE_MAX;
}

static bool
strset_has (const StrSet *set, const char *s)
{
  return set != NULL && strset_find (set, s) != SIZE_MAX;
}

static bool
strset_add (StrSet *set, const char *s)
{
  if (strset_find (set, s) != SIZE_MAX)
    return true;
  if ((set->count + 1) * 2 > set->cap && !strset_grow (set))
    return false;
  size_t j = str_hash (s) & (set->cap - 1);
  while (set->slots[j] != NULL && set->slots[j] != (const char *) set)
    j = (j + 1) & (set->cap - 1);
  set->slots[j] = s;
  set->count++;
  return true;
}

static void
strset_discard (StrSet *set, const char *s)
{
  size_t j;

  if (set == NULL || (j = strset_find (set, s)) == SIZE_MAX)
    return;
  set->slots[j] = (const char *) set;
  set->count--;
}

static bool
strset_update (StrSet *dst, const StrSet *src)
{
  if (src == NULL)
    return true;
  for (size_t i = 0; i < src->cap; i++)
    if (src->slots[i] != NULL && src->slots[i] != (const char *) src)
      if (!strset_add (dst, src->slots[i]))
        return false;
  return true;
}

static void
strset_clear (StrSet *set)
{
  free (set->slots);
  set->slots = NULL;
  set->cap = set->count = 0;
}

/* ---- the table -------------------------------------------------------------------- */

typedef struct {
  const void *node;
  HsScope    *scope;
} NodeSlot;

struct HsSymtable {
  HsScope       *top;
  HsScope       *cur;
  HsSyntaxError *err;
  const char    *source;
  size_t         len;
  int            depth;
  bool           failed;
  NodeSlot      *map;       /* node -> scope, open addressing */
  size_t         map_cap;
  size_t         map_count;
  /* Where each symbol's global/nonlocal directive is, for analysis errors. */
  struct { HsScope *scope; const char *name; HsPos pos; } *dirs;
  size_t         ndirs, dirs_cap;
  char         **owned;     /* names the table made (`a` of `import a.b`) */
  size_t         nowned, owned_cap;
};

static void
fail_oom (HsSymtable *st)
{
  if (st->failed)
    return;
  st->failed = true;
  memset (st->err, 0, sizeof *st->err);
  snprintf (st->err->type_name, sizeof st->err->type_name, "MemoryError");
}

static void __attribute__ ((format (printf, 3, 4)))
fail_at (HsSymtable *st, const HsPos *pos, const char *fmt, ...)
{
  char msg[256];
  va_list ap;

  if (st->failed)
    return;
  st->failed = true;
  va_start (ap, fmt);
  vsnprintf (msg, sizeof msg, fmt, ap);
  va_end (ap);
  hs_syntax_error_at (st->err, st->source, st->len, pos, "%s", msg);
}

/* Counts UTF-8 characters in [s, s + n). */
static uint32_t
utf8_chars (const char *s, size_t n)
{
  uint32_t c = 0;

  for (size_t i = 0; i < n; i++)
    if (((unsigned char) s[i] & 0xC0) != 0x80)
      c++;
  return c;
}

void
hs_syntax_error_at (HsSyntaxError *err, const char *source, size_t len, const HsPos *pos,
                    const char *fmt, ...)
{
  va_list ap;
  const char *line = NULL;
  size_t line_len = 0;

  memset (err, 0, sizeof *err);
  snprintf (err->type_name, sizeof err->type_name, "SyntaxError");
  va_start (ap, fmt);
  vsnprintf (err->message, sizeof err->message, fmt, ap);
  va_end (ap);
  err->lineno = pos->lineno;

  /* Find the line's text. */
  if (source != NULL && pos->lineno > 0)
    {
      size_t i = 0;
      uint32_t ln = 1;
      while (ln < pos->lineno && i < len)
        {
          if (source[i] == '\n')
            ln++;
          i++;
        }
      if (ln == pos->lineno)
        {
          line = source + i;
          while (i < len && source[i] != '\n' && source[i] != '\r')
            i++;
          line_len = (size_t) (source + i - line);
        }
    }
  if (line != NULL)
    {
      size_t col = pos->col_offset < line_len ? pos->col_offset : line_len;
      size_t end = pos->end_lineno == pos->lineno ? pos->end_col_offset : line_len;

      if (end > line_len)
        end = line_len;
      if (end < col)
        end = col;
      err->col_offset = utf8_chars (line, col) + 1;
      err->end_col_offset = utf8_chars (line, end) + 1;
      if (err->end_col_offset <= err->col_offset)
        err->end_col_offset = err->col_offset + 1;
      err->text = malloc (line_len + 1);
      if (err->text != NULL)
        {
          memcpy (err->text, line, line_len);
          err->text[line_len] = '\0';
        }
    }
  else
    {
      err->col_offset = pos->col_offset + 1;
      err->end_col_offset = (pos->end_lineno == pos->lineno && pos->end_col_offset > pos->col_offset
                             ? pos->end_col_offset : pos->col_offset + 1) + 1;
    }
}

static uint64_t
ptr_hash (const void *p)
{
  uint64_t x = (uint64_t) (uintptr_t) p;

  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdull;
  x ^= x >> 33;
  return x;
}

static bool
map_put (HsSymtable *st, const void *node, HsScope *scope)
{
  if ((st->map_count + 1) * 2 > st->map_cap)
    {
      size_t cap = st->map_cap ? st->map_cap * 2 : 64;
      NodeSlot *m = calloc (cap, sizeof *m);
      if (m == NULL)
        return false;
      for (size_t i = 0; i < st->map_cap; i++)
        if (st->map[i].node != NULL)
          {
            size_t j = ptr_hash (st->map[i].node) & (cap - 1);
            while (m[j].node != NULL)
              j = (j + 1) & (cap - 1);
            m[j] = st->map[i];
          }
      free (st->map);
      st->map = m;
      st->map_cap = cap;
    }
  size_t j = ptr_hash (node) & (st->map_cap - 1);
  while (st->map[j].node != NULL)
    j = (j + 1) & (st->map_cap - 1);
  st->map[j].node = node;
  st->map[j].scope = scope;
  st->map_count++;
  return true;
}

HsScope *
hs_symtable_lookup (HsSymtable *st, const void *node)
{
  if (st->map_cap == 0)
    return NULL;
  size_t j = ptr_hash (node) & (st->map_cap - 1);
  while (st->map[j].node != NULL)
    {
      if (st->map[j].node == node)
        return st->map[j].scope;
      j = (j + 1) & (st->map_cap - 1);
    }
  return NULL;
}

HsScope *
hs_symtable_module (HsSymtable *st)
{
  return st->top;
}

HsSymbol *
hs_scope_find (HsScope *scope, const char *name)
{
  if (scope->cap == 0)
    return NULL;
  size_t j = str_hash (name) & (scope->cap - 1);
  while (scope->syms[j].name != NULL)
    {
      if (strcmp (scope->syms[j].name, name) == 0)
        return &scope->syms[j];
      j = (j + 1) & (scope->cap - 1);
    }
  return NULL;
}

static bool
scope_is_function (const HsScope *s)
{
  return s->kind == HS_SCOPE_FUNCTION || s->kind == HS_SCOPE_LAMBDA
         || s->kind == HS_SCOPE_COMPREHENSION;
}

HsSymScope
hs_scope_resolve (HsScope *scope, const char *name)
{
  HsSymbol *sym = hs_scope_find (scope, name);

  if (sym == NULL || sym->scope == HS_SYM_UNRESOLVED)
    return scope_is_function (scope) ? HS_SYM_GLOBAL_IMPLICIT : HS_SYM_UNRESOLVED;
  return sym->scope;
}

static HsSymbol *
scope_add (HsSymtable *st, HsScope *scope, const char *name)
{
  HsSymbol *sym = hs_scope_find (scope, name);

  if (sym != NULL)
    return sym;
  if ((scope->count + 1) * 2 > scope->cap)
    {
      size_t cap = scope->cap ? scope->cap * 2 : 16;
      HsSymbol *syms = calloc (cap, sizeof *syms);
      if (syms == NULL)
        {
          fail_oom (st);
          return NULL;
        }
      for (size_t i = 0; i < scope->cap; i++)
        if (scope->syms[i].name != NULL)
          {
            size_t j = str_hash (scope->syms[i].name) & (cap - 1);
            while (syms[j].name != NULL)
              j = (j + 1) & (cap - 1);
            syms[j] = scope->syms[i];
          }
      free (scope->syms);
      scope->syms = syms;
      scope->cap = cap;
      /* Rebuild the ordered view. */
      for (size_t i = 0; i < cap; i++)
        if (syms[i].name != NULL)
          scope->ordered[syms[i].order] = &syms[i];
    }
  if (scope->count == scope->ordered_cap)
    {
      size_t cap = scope->ordered_cap ? scope->ordered_cap * 2 : 16;
      HsSymbol **o = realloc (scope->ordered, cap * sizeof *o);
      if (o == NULL)
        {
          fail_oom (st);
          return NULL;
        }
      scope->ordered = o;
      scope->ordered_cap = cap;
    }
  size_t j = str_hash (name) & (scope->cap - 1);
  while (scope->syms[j].name != NULL)
    j = (j + 1) & (scope->cap - 1);
  sym = &scope->syms[j];
  sym->name = name;
  sym->flags = 0;
  sym->scope = HS_SYM_UNRESOLVED;
  sym->order = (uint32_t) scope->count;
  sym->fast_index = -1;
  sym->deref_index = -1;
  scope->ordered[scope->count++] = sym;
  return sym;
}

static void
add_def (HsSymtable *st, const char *name, uint32_t flag, const HsPos *pos)
{
  HsSymbol *sym;

  if (st->failed)
    return;
  sym = scope_add (st, st->cur, name);
  if (sym == NULL)
    return;
  if ((flag & HS_DEF_PARAM) && (sym->flags & HS_DEF_PARAM))
    {
      fail_at (st, pos, "duplicate argument '%s' in function definition", name);
      return;
    }
  sym->flags |= flag;
}

static HsScope *
scope_enter (HsSymtable *st, HsScopeKind kind, const char *name, const void *node,
             uint32_t lineno)
{
  HsScope *s = calloc (1, sizeof *s);
  HsScope *parent = st->cur;

  if (s == NULL)
    {
      fail_oom (st);
      return NULL;
    }
  s->kind = kind;
  s->name = name;
  s->node = node;
  s->parent = parent;
  s->lineno = lineno;
  if (parent != NULL)
    {
      s->nested = parent->nested || scope_is_function (parent);
      if (parent->nchildren == parent->children_cap)
        {
          size_t cap = parent->children_cap ? parent->children_cap * 2 : 4;
          HsScope **c = realloc (parent->children, cap * sizeof *c);
          if (c == NULL)
            {
              free (s);
              fail_oom (st);
              return NULL;
            }
          parent->children = c;
          parent->children_cap = cap;
        }
      parent->children[parent->nchildren++] = s;
    }
  if (node != NULL && !map_put (st, node, s))
    {
      fail_oom (st);
      return NULL;
    }
  st->cur = s;
  return s;
}

static void
scope_leave (HsSymtable *st)
{
  st->cur = st->cur->parent;
}

/* Takes ownership of a malloc'd name (freed with the table, or now on failure). */
static bool
keep_string (HsSymtable *st, char *s)
{
  if (st->nowned == st->owned_cap)
    {
      size_t cap = st->owned_cap ? st->owned_cap * 2 : 8;
      char **o = realloc (st->owned, cap * sizeof *o);
      if (o == NULL)
        {
          free (s);
          fail_oom (st);
          return false;
        }
      st->owned = o;
      st->owned_cap = cap;
    }
  st->owned[st->nowned++] = s;
  return true;
}

static bool
add_directive (HsSymtable *st, const char *name, const HsPos *pos)
{
  if (st->ndirs == st->dirs_cap)
    {
      size_t cap = st->dirs_cap ? st->dirs_cap * 2 : 8;
      void *d = realloc (st->dirs, cap * sizeof *st->dirs);
      if (d == NULL)
        {
          fail_oom (st);
          return false;
        }
      st->dirs = d;
      st->dirs_cap = cap;
    }
  st->dirs[st->ndirs].scope = st->cur;
  st->dirs[st->ndirs].name = name;
  st->dirs[st->ndirs].pos = *pos;
  st->ndirs++;
  return true;
}

static const HsPos *
directive_pos (HsSymtable *st, HsScope *scope, const char *name, const HsPos *fallback)
{
  for (size_t i = 0; i < st->ndirs; i++)
    if (st->dirs[i].scope == scope && strcmp (st->dirs[i].name, name) == 0)
      return &st->dirs[i].pos;
  return fallback;
}

/* ---- the walk ---------------------------------------------------------------------- */

static void visit_expr (HsSymtable *st, HsExpr *e);
static void visit_stmts (HsSymtable *st, HsStmtSeq *seq);

static bool
enter_node (HsSymtable *st, const HsPos *pos)
{
  if (st->failed)
    return false;
  if (++st->depth > HS_SYMTABLE_MAX_DEPTH)
    {
      st->failed = true;
      memset (st->err, 0, sizeof *st->err);
      snprintf (st->err->type_name, sizeof st->err->type_name, "RecursionError");
      snprintf (st->err->message, sizeof st->err->message,
                "maximum recursion depth exceeded during compilation");
      st->err->lineno = pos->lineno;
      st->err->col_offset = pos->col_offset + 1;
      st->err->end_col_offset = pos->col_offset + 2;
      return false;
    }
  return true;
}

static void
visit_exprs (HsSymtable *st, HsExprSeq *seq)
{
  for (size_t i = 0; i < seq->n && !st->failed; i++)
    if (seq->items[i] != NULL)
      visit_expr (st, seq->items[i]);
}

static void
visit_arg_defaults (HsSymtable *st, HsArguments *a)
{
  if (a == NULL)
    return;
  for (size_t i = 0; i < a->n_defaults; i++)
    visit_expr (st, a->defaults[i]);
  for (size_t i = 0; i < a->n_kwonly; i++)
    if (a->kw_defaults != NULL && a->kw_defaults[i] != NULL)
      visit_expr (st, a->kw_defaults[i]);
}

static void
visit_params (HsSymtable *st, HsArguments *a)
{
  if (a == NULL)
    return;
  for (size_t i = 0; i < a->n_args; i++)
    add_def (st, a->args[i].name, HS_DEF_PARAM, &a->args[i].pos);
  for (size_t i = 0; i < a->n_kwonly; i++)
    add_def (st, a->kwonly[i].name, HS_DEF_PARAM, &a->kwonly[i].pos);
  if (a->vararg != NULL)
    {
      add_def (st, a->vararg->name, HS_DEF_PARAM, &a->vararg->pos);
      st->cur->has_varargs = true;
    }
  if (a->kwarg != NULL)
    {
      add_def (st, a->kwarg->name, HS_DEF_PARAM, &a->kwarg->pos);
      st->cur->has_varkw = true;
    }
}

static const char *
comp_name (HsExprKind kind)
{
  switch (kind)
    {
    case HS_EXPR_LISTCOMP: return "<listcomp>";
    case HS_EXPR_SETCOMP:  return "<setcomp>";
    case HS_EXPR_DICTCOMP: return "<dictcomp>";
    default:               return "<genexpr>";
    }
}

static void
visit_comprehension (HsSymtable *st, HsExpr *e)
{
  HsComprehension *gens = e->u.comp.generators;

  if (e->u.comp.n_generators == 0)
    return;
  /* The outermost iterable runs in the enclosing scope. */
  visit_expr (st, gens[0].iter);
  if (st->failed || scope_enter (st, HS_SCOPE_COMPREHENSION, comp_name (e->kind), e,
                                 e->pos.lineno) == NULL)
    return;
  add_def (st, ".0", HS_DEF_PARAM, &e->pos);
  for (size_t g = 0; g < e->u.comp.n_generators && !st->failed; g++)
    {
      if (g > 0)
        visit_expr (st, gens[g].iter);
      visit_expr (st, gens[g].target);
      visit_exprs (st, &gens[g].ifs);
    }
  if (e->u.comp.value != NULL)
    visit_expr (st, e->u.comp.value);
  if (e->u.comp.elt != NULL)
    visit_expr (st, e->u.comp.elt);
  scope_leave (st);
}

/* `name := value` inside a comprehension binds in the nearest enclosing
 * non-comprehension scope (PEP 572). */
static void
visit_namedexpr_target (HsSymtable *st, HsExpr *target)
{
  HsScope *s = st->cur;
  const char *name = target->u.name.id;

  if (s->kind != HS_SCOPE_COMPREHENSION)
    {
      add_def (st, name, HS_DEF_LOCAL, &target->pos);
      return;
    }
  while (s->kind == HS_SCOPE_COMPREHENSION)
    s = s->parent;
  if (s->kind == HS_SCOPE_CLASS)
    {
      fail_at (st, &target->pos,
               "assignment expression within a comprehension cannot be used in a class body");
      return;
    }
  HsSymbol *outer = scope_add (st, s, name);
  if (outer == NULL)
    return;
  outer->flags |= HS_DEF_LOCAL;
  /* Every comprehension between sees it as nonlocal (function) or global (module). */
  for (HsScope *c = st->cur; c != s; c = c->parent)
    {
      HsSymbol *sym = scope_add (st, c, name);
      if (sym == NULL)
        return;
      sym->flags |= (s->kind == HS_SCOPE_MODULE ? HS_DEF_GLOBAL : HS_DEF_NONLOCAL);
    }
}

static void
visit_expr (HsSymtable *st, HsExpr *e)
{
  if (e == NULL || !enter_node (st, &e->pos))
    return;
  switch (e->kind)
    {
    case HS_EXPR_CONST:
      break;
    case HS_EXPR_NAME:
      if (e->u.name.ctx == HS_CTX_LOAD)
        {
          add_def (st, e->u.name.id, HS_USE, &e->pos);
          /* Zero-argument super() needs the __class__ cell. */
          if (scope_is_function (st->cur) && strcmp (e->u.name.id, "super") == 0)
            add_def (st, "__class__", HS_USE, &e->pos);
        }
      else
        add_def (st, e->u.name.id, HS_DEF_LOCAL, &e->pos);
      break;
    case HS_EXPR_BINOP:
      visit_expr (st, e->u.binop.left);
      visit_expr (st, e->u.binop.right);
      break;
    case HS_EXPR_UNARYOP:
      visit_expr (st, e->u.unaryop.operand);
      break;
    case HS_EXPR_BOOLOP:
      visit_exprs (st, &e->u.boolop.values);
      break;
    case HS_EXPR_COMPARE:
      visit_expr (st, e->u.compare.left);
      for (size_t i = 0; i < e->u.compare.n; i++)
        visit_expr (st, e->u.compare.comparators[i]);
      break;
    case HS_EXPR_CALL:
      visit_expr (st, e->u.call.func);
      visit_exprs (st, &e->u.call.args);
      for (size_t i = 0; i < e->u.call.n_keywords; i++)
        visit_expr (st, e->u.call.keywords[i].value);
      break;
    case HS_EXPR_ATTRIBUTE:
      visit_expr (st, e->u.attribute.value);
      break;
    case HS_EXPR_SUBSCRIPT:
      visit_expr (st, e->u.subscript.value);
      visit_expr (st, e->u.subscript.slice);
      break;
    case HS_EXPR_SLICE:
      visit_expr (st, e->u.slice.lower);
      visit_expr (st, e->u.slice.upper);
      visit_expr (st, e->u.slice.step);
      break;
    case HS_EXPR_STARRED:
      visit_expr (st, e->u.starred.value);
      break;
    case HS_EXPR_LIST:
    case HS_EXPR_TUPLE:
    case HS_EXPR_SET:
      visit_exprs (st, &e->u.seq.elts);
      break;
    case HS_EXPR_DICT:
      for (size_t i = 0; i < e->u.dict.values.n; i++)
        {
          if (e->u.dict.keys.items[i] != NULL)
            visit_expr (st, e->u.dict.keys.items[i]);
          visit_expr (st, e->u.dict.values.items[i]);
        }
      break;
    case HS_EXPR_LISTCOMP:
    case HS_EXPR_SETCOMP:
    case HS_EXPR_DICTCOMP:
    case HS_EXPR_GENEXP:
      visit_comprehension (st, e);
      break;
    case HS_EXPR_LAMBDA:
      visit_arg_defaults (st, e->u.lambda.args);
      if (scope_enter (st, HS_SCOPE_LAMBDA, "<lambda>", e, e->pos.lineno) == NULL)
        break;
      visit_params (st, e->u.lambda.args);
      visit_expr (st, e->u.lambda.body);
      scope_leave (st);
      break;
    case HS_EXPR_IFEXP:
      visit_expr (st, e->u.ifexp.test);
      visit_expr (st, e->u.ifexp.body);
      visit_expr (st, e->u.ifexp.orelse);
      break;
    case HS_EXPR_JOINEDSTR:
      visit_exprs (st, &e->u.joinedstr.values);
      break;
    case HS_EXPR_FORMATTED:
      visit_expr (st, e->u.formatted.value);
      visit_expr (st, e->u.formatted.format_spec);
      break;
    case HS_EXPR_NAMEDEXPR:
      visit_expr (st, e->u.namedexpr.value);
      if (e->u.namedexpr.target != NULL && e->u.namedexpr.target->kind == HS_EXPR_NAME)
        visit_namedexpr_target (st, e->u.namedexpr.target);
      break;
    }
  st->depth--;
}

static void
visit_directive (HsSymtable *st, HsStmt *s, bool global)
{
  for (size_t i = 0; i < s->u.global.names.n && !st->failed; i++)
    {
      const char *name = s->u.global.names.items[i];
      HsSymbol *sym = hs_scope_find (st->cur, name);
      uint32_t cur = sym != NULL ? sym->flags : 0;

      if (cur & (HS_DEF_PARAM | HS_DEF_LOCAL | HS_USE))
        {
          const char *what = global ? "global" : "nonlocal";
          if (cur & HS_DEF_PARAM)
            fail_at (st, &s->pos, "name '%s' is parameter and %s", name, what);
          else if (cur & HS_USE)
            fail_at (st, &s->pos, "name '%s' is used prior to %s declaration", name, what);
          else
            fail_at (st, &s->pos, "name '%s' is assigned to before %s declaration", name, what);
          return;
        }
      add_def (st, name, global ? HS_DEF_GLOBAL : HS_DEF_NONLOCAL, &s->pos);
      add_directive (st, name, &s->pos);
    }
}

static void
visit_stmt (HsSymtable *st, HsStmt *s)
{
  if (!enter_node (st, &s->pos))
    return;
  switch (s->kind)
    {
    case HS_STMT_EXPR:
      visit_expr (st, s->u.expr.value);
      break;
    case HS_STMT_ASSIGN:
      visit_expr (st, s->u.assign.value);
      visit_exprs (st, &s->u.assign.targets);
      break;
    case HS_STMT_AUGASSIGN:
      visit_expr (st, s->u.augassign.target);
      visit_expr (st, s->u.augassign.value);
      break;
    case HS_STMT_ANNASSIGN:
      if (s->u.annassign.target != NULL)
        visit_expr (st, s->u.annassign.target);
      if (s->u.annassign.value != NULL)
        visit_expr (st, s->u.annassign.value);
      break;
    case HS_STMT_IF:
      visit_expr (st, s->u.if_.test);
      visit_stmts (st, &s->u.if_.body);
      visit_stmts (st, &s->u.if_.orelse);
      break;
    case HS_STMT_WHILE:
      visit_expr (st, s->u.while_.test);
      visit_stmts (st, &s->u.while_.body);
      visit_stmts (st, &s->u.while_.orelse);
      break;
    case HS_STMT_FOR:
      visit_expr (st, s->u.for_.target);
      visit_expr (st, s->u.for_.iter);
      visit_stmts (st, &s->u.for_.body);
      visit_stmts (st, &s->u.for_.orelse);
      break;
    case HS_STMT_BREAK:
    case HS_STMT_CONTINUE:
    case HS_STMT_PASS:
      break;
    case HS_STMT_RETURN:
      visit_expr (st, s->u.return_.value);
      break;
    case HS_STMT_DELETE:
      visit_exprs (st, &s->u.delete_.targets);
      break;
    case HS_STMT_GLOBAL:
      visit_directive (st, s, true);
      break;
    case HS_STMT_NONLOCAL:
      visit_directive (st, s, false);
      break;
    case HS_STMT_ASSERT:
      visit_expr (st, s->u.assert_.test);
      visit_expr (st, s->u.assert_.msg);
      break;
    case HS_STMT_RAISE:
      visit_expr (st, s->u.raise.exc);
      visit_expr (st, s->u.raise.cause);
      break;
    case HS_STMT_TRY:
      visit_stmts (st, &s->u.try_.body);
      for (size_t i = 0; i < s->u.try_.n_handlers && !st->failed; i++)
        {
          HsExceptHandler *h = &s->u.try_.handlers[i];
          visit_expr (st, h->type);
          if (h->name != NULL)
            add_def (st, h->name, HS_DEF_LOCAL, &h->pos);
          visit_stmts (st, &h->body);
        }
      visit_stmts (st, &s->u.try_.orelse);
      visit_stmts (st, &s->u.try_.finalbody);
      break;
    case HS_STMT_FUNCTIONDEF:
      add_def (st, s->u.funcdef.name, HS_DEF_LOCAL, &s->pos);
      visit_exprs (st, &s->u.funcdef.decorators);
      visit_arg_defaults (st, s->u.funcdef.args);
      if (scope_enter (st, HS_SCOPE_FUNCTION, s->u.funcdef.name, s, s->pos.lineno) == NULL)
        break;
      visit_params (st, s->u.funcdef.args);
      visit_stmts (st, &s->u.funcdef.body);
      scope_leave (st);
      break;
    case HS_STMT_CLASSDEF:
      add_def (st, s->u.classdef.name, HS_DEF_LOCAL, &s->pos);
      visit_exprs (st, &s->u.classdef.bases);
      for (size_t i = 0; i < s->u.classdef.n_keywords; i++)
        visit_expr (st, s->u.classdef.keywords[i].value);
      visit_exprs (st, &s->u.classdef.decorators);
      if (scope_enter (st, HS_SCOPE_CLASS, s->u.classdef.name, s, s->pos.lineno) == NULL)
        break;
      visit_stmts (st, &s->u.classdef.body);
      scope_leave (st);
      break;
    case HS_STMT_IMPORT:
      for (size_t i = 0; i < s->u.import.n && !st->failed; i++)
        {
          HsAlias *a = &s->u.import.names[i];
          if (a->asname != NULL)
            add_def (st, a->asname, HS_DEF_IMPORT, &a->pos);
          else
            {
              /* `import a.b` binds `a`. */
              const char *dot = strchr (a->name, '.');
              if (dot == NULL)
                add_def (st, a->name, HS_DEF_IMPORT, &a->pos);
              else
                {
                  size_t n = (size_t) (dot - a->name);
                  char *first = malloc (n + 1);
                  if (first == NULL)
                    {
                      fail_oom (st);
                      break;
                    }
                  memcpy (first, a->name, n);
                  first[n] = '\0';
                  if (!keep_string (st, first))
                    break;
                  add_def (st, first, HS_DEF_IMPORT, &a->pos);
                }
            }
        }
      break;
    case HS_STMT_IMPORTFROM:
      for (size_t i = 0; i < s->u.importfrom.n && !st->failed; i++)
        {
          HsAlias *a = &s->u.importfrom.names[i];
          if (strcmp (a->name, "*") == 0)
            {
              if (st->cur->kind != HS_SCOPE_MODULE)
                fail_at (st, &a->pos, "import * only allowed at module level");
              continue;
            }
          add_def (st, a->asname != NULL ? a->asname : a->name, HS_DEF_IMPORT, &a->pos);
        }
      break;
    case HS_STMT_WITH:
      for (size_t i = 0; i < s->u.with.n; i++)
        {
          visit_expr (st, s->u.with.items[i]);
          if (s->u.with.vars != NULL)
            visit_expr (st, s->u.with.vars[i]);
        }
      visit_stmts (st, &s->u.with.body);
      break;
    }
  st->depth--;
}

static void
visit_stmts (HsSymtable *st, HsStmtSeq *seq)
{
  for (size_t i = 0; i < seq->n && !st->failed; i++)
    visit_stmt (st, seq->items[i]);
}

/* ---- analysis (CPython's analyze_block) ------------------------------------------- */

static bool
analyze_name (HsSymtable *st, HsScope *scope, HsSymbol *sym, StrSet *bound, StrSet *local,
              StrSet *free, StrSet *global)
{
  const char *name = sym->name;
  uint32_t flags = sym->flags;

  if (flags & HS_DEF_GLOBAL)
    {
      if (flags & HS_DEF_NONLOCAL)
        {
          fail_at (st, directive_pos (st, scope, name, &(HsPos) { scope->lineno, 0, scope->lineno, 1 }),
                   "name '%s' is nonlocal and global", name);
          return false;
        }
      sym->scope = HS_SYM_GLOBAL_EXPLICIT;
      if (!strset_add (global, name))
        return false;
      strset_discard (bound, name);
      return true;
    }
  if (flags & HS_DEF_NONLOCAL)
    {
      const HsPos *pos = directive_pos (st, scope, name, &(HsPos) { scope->lineno, 0, scope->lineno, 1 });
      if (bound == NULL)
        {
          fail_at (st, pos, "nonlocal declaration not allowed at module level");
          return false;
        }
      if (!strset_has (bound, name))
        {
          fail_at (st, pos, "no binding for nonlocal '%s' found", name);
          return false;
        }
      sym->scope = HS_SYM_FREE;
      return strset_add (free, name);
    }
  if (flags & HS_DEF_BOUND)
    {
      sym->scope = HS_SYM_LOCAL;
      if (!strset_add (local, name))
        return false;
      strset_discard (global, name);
      return true;
    }
  if (bound != NULL && strset_has (bound, name))
    {
      sym->scope = HS_SYM_FREE;
      return strset_add (free, name);
    }
  sym->scope = HS_SYM_GLOBAL_IMPLICIT;
  return true;
}

static bool analyze_block (HsSymtable *st, HsScope *scope, StrSet *bound, StrSet *free,
                           StrSet *global, int depth);

static bool
analyze_child (HsSymtable *st, HsScope *child, StrSet *bound, StrSet *free, StrSet *global,
               StrSet *child_free, int depth)
{
  StrSet tb = { 0 }, tf = { 0 }, tg = { 0 };
  bool ok = strset_update (&tb, bound) && strset_update (&tf, free)
            && strset_update (&tg, global)
            && analyze_block (st, child, &tb, &tf, &tg, depth + 1)
            && strset_update (child_free, &tf);

  strset_clear (&tb);
  strset_clear (&tf);
  strset_clear (&tg);
  return ok;
}

static bool
analyze_block (HsSymtable *st, HsScope *scope, StrSet *bound, StrSet *free, StrSet *global,
               int depth)
{
  StrSet local = { 0 }, newbound = { 0 }, newfree = { 0 }, newglobal = { 0 }, allfree = { 0 };
  bool ok = true;
  bool is_class = scope->kind == HS_SCOPE_CLASS;

  if (depth > HS_SYMTABLE_MAX_DEPTH)
    {
      fail_at (st, &(HsPos) { scope->lineno, 0, scope->lineno, 1 },
               "too many statically nested blocks");
      return false;
    }
  if (is_class)
    {
      ok = strset_update (&newglobal, global) && strset_update (&newbound, bound);
    }
  for (size_t i = 0; ok && i < scope->count; i++)
    ok = analyze_name (st, scope, scope->ordered[i], bound, &local, free, global);
  if (ok && !is_class)
    {
      if (scope_is_function (scope))
        ok = strset_update (&newbound, &local);
      ok = ok && strset_update (&newbound, bound) && strset_update (&newglobal, global);
    }
  else if (ok)
    ok = strset_add (&newbound, "__class__");

  for (size_t i = 0; ok && i < scope->nchildren; i++)
    {
      HsScope *child = scope->children[i];
      ok = analyze_child (st, child, &newbound, &newfree, &newglobal, &allfree, depth);
      if (ok && (child->child_free || allfree.count > 0))
        scope->child_free = true;
    }
  ok = ok && strset_update (&newfree, &allfree);

  if (ok && scope_is_function (scope))
    {
      /* Locals used by nested functions become cells. */
      for (size_t i = 0; i < scope->count; i++)
        {
          HsSymbol *sym = scope->ordered[i];
          if (sym->scope == HS_SYM_LOCAL && strset_has (&newfree, sym->name))
            {
              sym->scope = HS_SYM_CELL;
              strset_discard (&newfree, sym->name);
            }
        }
    }
  else if (ok && is_class && strset_has (&newfree, "__class__"))
    {
      scope->needs_class_closure = true;
      strset_discard (&newfree, "__class__");
    }

  /* Free variables of children that pass through this scope. */
  for (size_t i = 0; ok && i < newfree.cap; i++)
    {
      const char *name = newfree.slots[i];
      HsSymbol *sym;

      if (name == NULL || name == (const char *) &newfree)
        continue;
      sym = hs_scope_find (scope, name);
      if (sym != NULL)
        {
          if (is_class && (sym->flags & (HS_DEF_BOUND | HS_DEF_GLOBAL)))
            sym->flags |= HS_DEF_FREE_CLASS;
          continue;
        }
      if (bound != NULL && !strset_has (bound, name))
        continue;
      sym = scope_add (st, scope, name);
      if (sym == NULL)
        ok = false;
      else
        sym->scope = HS_SYM_FREE;
    }
  ok = ok && strset_update (free, &newfree);

  strset_clear (&local);
  strset_clear (&newbound);
  strset_clear (&newfree);
  strset_clear (&newglobal);
  strset_clear (&allfree);
  if (!ok && !st->failed)
    fail_oom (st);
  return ok;
}

/* ---- entry points ------------------------------------------------------------------ */

static void
scope_free (HsScope *s)
{
  /* Iterative: a stack of scopes to free. */
  size_t n = 1, cap = 16;
  HsScope **stack = malloc (cap * sizeof *stack);

  if (stack == NULL)
    return;
  stack[0] = s;
  while (n > 0)
    {
      HsScope *cur = stack[--n];
      for (size_t i = 0; i < cur->nchildren; i++)
        {
          if (n == cap)
            {
              HsScope **s2 = realloc (stack, cap * 2 * sizeof *stack);
              if (s2 == NULL)
                break;
              stack = s2;
              cap *= 2;
            }
          stack[n++] = cur->children[i];
        }
      free (cur->children);
      free (cur->syms);
      free (cur->ordered);
      free (cur);
    }
  free (stack);
}

void
hs_symtable_free (HsSymtable *st)
{
  if (st == NULL)
    return;
  if (st->top != NULL)
    scope_free (st->top);
  for (size_t i = 0; i < st->nowned; i++)
    free (st->owned[i]);
  free (st->owned);
  free (st->dirs);
  free (st->map);
  free (st);
}

HsSymtable *
hs_symtable_build (HsModule *mod, const char *source, size_t len, HsSyntaxError *err)
{
  HsSymtable *st = calloc (1, sizeof *st);
  StrSet free_ = { 0 }, global = { 0 };

  if (st == NULL)
    {
      memset (err, 0, sizeof *err);
      snprintf (err->type_name, sizeof err->type_name, "MemoryError");
      return NULL;
    }
  st->err = err;
  st->source = source;
  st->len = len;
  st->top = scope_enter (st, HS_SCOPE_MODULE, "<module>", NULL, 1);
  if (st->top != NULL)
    visit_stmts (st, &mod->body);
  if (!st->failed)
    analyze_block (st, st->top, NULL, &free_, &global, 0);
  strset_clear (&free_);
  strset_clear (&global);
  if (st->failed)
    {
      hs_symtable_free (st);
      return NULL;
    }
  return st;
}
