/* hs-symtable.h — scopes and name classification (3.11 semantics) for the compiler. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hs-ast.h"

/* Compiler scratch: plain malloc, never program memory. */

typedef enum {
  HS_SCOPE_MODULE,
  HS_SCOPE_FUNCTION,
  HS_SCOPE_LAMBDA,
  HS_SCOPE_CLASS,
  HS_SCOPE_COMPREHENSION,   /* <listcomp> <setcomp> <dictcomp> <genexpr> */
} HsScopeKind;

/* What a name is in one scope, after analysis. */
typedef enum {
  HS_SYM_UNRESOLVED,
  HS_SYM_LOCAL,             /* fast local (functions) or namespace name (module, class) */
  HS_SYM_GLOBAL_EXPLICIT,   /* `global x` */
  HS_SYM_GLOBAL_IMPLICIT,   /* not bound here nor in an enclosing function */
  HS_SYM_FREE,              /* bound in an enclosing function: through a cell */
  HS_SYM_CELL,              /* bound here, used by a nested function: lives in a cell */
} HsSymScope;

/* Symbol flags, gathered while walking the tree. */
enum {
  HS_DEF_GLOBAL     = 1u << 0,  /* global statement */
  HS_DEF_LOCAL      = 1u << 1,  /* assigned, deleted, for target, def, class, except-as, import */
  HS_DEF_PARAM      = 1u << 2,
  HS_DEF_NONLOCAL   = 1u << 3,
  HS_USE            = 1u << 4,
  HS_DEF_FREE_CLASS = 1u << 5,  /* bound in a class body and free in a method */
  HS_DEF_IMPORT     = 1u << 6,
};
#define HS_DEF_BOUND (HS_DEF_LOCAL | HS_DEF_PARAM | HS_DEF_IMPORT)

typedef struct {
  const char *name;
  uint32_t    flags;
  HsSymScope  scope;
  uint32_t    order;    /* insertion order */
  /* Filled by the compiler: fast-local slot (parameters and LOCAL names of functions)
   * and cell slot (CELL, FREE, and class-body names free in a method), or -1. */
  int32_t     fast_index;
  int32_t     deref_index;
} HsSymbol;

typedef struct HsScope HsScope;
struct HsScope {
  HsScopeKind  kind;
  const char  *name;          /* "<module>", "f", "<lambda>", "<listcomp>", "Dog" */
  const void  *node;          /* the HsStmt / HsExpr that opens it (NULL for the module) */
  HsScope     *parent;
  uint32_t     lineno;

  HsSymbol    *syms;          /* open-addressing table */
  size_t       cap;
  size_t       count;
  HsSymbol   **ordered;       /* count entries, insertion order */
  size_t       ordered_cap;

  bool         nested;        /* inside a function scope */
  bool         child_free;    /* a child has free variables */
  bool         needs_class_closure;  /* class: a method uses __class__ / super() */
  bool         has_varargs;
  bool         has_varkw;
  HsScope    **children;
  size_t       nchildren;
  size_t       children_cap;
};

typedef struct HsSymtable HsSymtable;

/* Builds and analyses every scope of the module.  Returns NULL with err filled on a
 * SyntaxError (or "MemoryError" in err->type_name when out of memory). */
HsSymtable *hs_symtable_build (HsModule *mod, const char *source, size_t len,
                               HsSyntaxError *err);
void        hs_symtable_free (HsSymtable *st);

HsScope    *hs_symtable_module (HsSymtable *st);
/* The scope opened by a FUNCTIONDEF / CLASSDEF statement or a LAMBDA / comprehension
 * expression. */
HsScope    *hs_symtable_lookup (HsSymtable *st, const void *node);

/* The symbol of `name` in a scope, or NULL. */
HsSymbol   *hs_scope_find (HsScope *scope, const char *name);
/* How `name` is accessed in the scope (UNRESOLVED names count as GLOBAL_IMPLICIT in
 * functions, LOCAL-namespace lookups in module and class bodies). */
HsSymScope  hs_scope_resolve (HsScope *scope, const char *name);

/* Fills err for a compile-time SyntaxError at pos (0-based byte columns), converting
 * the columns to CPython's 1-based character offsets and copying the line's text. */
void        hs_syntax_error_at (HsSyntaxError *err, const char *source, size_t len,
                                const HsPos *pos, const char *fmt, ...)
  __attribute__ ((format (printf, 5, 6)));
