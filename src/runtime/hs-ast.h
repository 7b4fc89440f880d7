/* hs-ast.h — the syntax tree the parser builds and the compiler reads. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hs-object.h"

/* The tree lives in an arena freed all at once; it is not program memory and is
 * not counted by the VM's allocator. */
typedef struct HsArena HsArena;

HsArena *hs_arena_new (void);
void     hs_arena_free (HsArena *arena);
void    *hs_arena_alloc (HsArena *arena, size_t size);   /* zeroed, 16-byte aligned */
char    *hs_arena_strndup (HsArena *arena, const char *s, size_t len);

/* Source positions as CPython keeps them: 1-based lines, 0-based UTF-8 byte columns. */
typedef struct {
  uint32_t lineno;
  uint32_t col_offset;
  uint32_t end_lineno;
  uint32_t end_col_offset;
} HsPos;

typedef struct HsExpr HsExpr;
typedef struct HsStmt HsStmt;

typedef struct { size_t n; HsExpr **items; } HsExprSeq;
typedef struct { size_t n; HsStmt **items; } HsStmtSeq;
typedef struct { size_t n; const char **items; } HsNameSeq;

typedef enum { HS_CTX_LOAD, HS_CTX_STORE, HS_CTX_DEL } HsExprContext;

typedef enum {
  HS_CONST_NONE, HS_CONST_TRUE, HS_CONST_FALSE, HS_CONST_ELLIPSIS,
  HS_CONST_INT, HS_CONST_FLOAT, HS_CONST_STR,
} HsConstKind;

typedef enum { HS_BOOL_AND, HS_BOOL_OR } HsBoolOpKind;

/* Compare operators beyond HsCompareOp. */
typedef enum {
  HS_CMPOP_LT, HS_CMPOP_LE, HS_CMPOP_EQ, HS_CMPOP_NE, HS_CMPOP_GT, HS_CMPOP_GE,
  HS_CMPOP_IS, HS_CMPOP_IS_NOT, HS_CMPOP_IN, HS_CMPOP_NOT_IN,
} HsCmpOpKind;

typedef struct {
  HsExpr    *target;
  HsExpr    *iter;
  HsExprSeq  ifs;
} HsComprehension;

typedef struct {
  const char *arg;    /* NULL for **kwargs expansion */
  HsExpr     *value;
  HsPos       pos;
} HsKeyword;

typedef struct {
  const char *name;
  HsPos       pos;
} HsArg;

typedef struct {
  size_t     n_args;      HsArg *args;          /* positional-or-keyword (posonly not supported) */
  size_t     n_defaults;  HsExpr **defaults;    /* for the last n_defaults of args */
  HsArg     *vararg;                            /* *args, or NULL */
  size_t     n_kwonly;    HsArg *kwonly;        /* after * or *args */
  HsExpr   **kw_defaults;                       /* n_kwonly entries, NULL where required */
  HsArg     *kwarg;                             /* **kwargs, or NULL */
} HsArguments;

typedef enum {
  HS_EXPR_CONST,
  HS_EXPR_NAME,
  HS_EXPR_BINOP,
  HS_EXPR_UNARYOP,
  HS_EXPR_BOOLOP,
  HS_EXPR_COMPARE,
  HS_EXPR_CALL,
  HS_EXPR_ATTRIBUTE,
  HS_EXPR_SUBSCRIPT,
  HS_EXPR_SLICE,
  HS_EXPR_STARRED,
  HS_EXPR_LIST,
  HS_EXPR_TUPLE,
  HS_EXPR_DICT,
  HS_EXPR_SET,
  HS_EXPR_LISTCOMP,
  HS_EXPR_SETCOMP,
  HS_EXPR_DICTCOMP,
  HS_EXPR_GENEXP,        /* parsed; the compiler may reject it with a clear error */
  HS_EXPR_LAMBDA,
  HS_EXPR_IFEXP,
  HS_EXPR_JOINEDSTR,     /* f-string */
  HS_EXPR_FORMATTED,     /* one {value!conv:spec} inside an f-string */
  HS_EXPR_NAMEDEXPR,     /* := */
} HsExprKind;

struct HsExpr {
  HsExprKind kind;
  HsPos      pos;
  union {
    struct {
      HsConstKind kind;
      int64_t     i;          /* HS_CONST_INT (too large literals: the parser reports an error) */
      double      f;          /* HS_CONST_FLOAT */
      const char *s;          /* HS_CONST_STR: UTF-8, NUL-terminated, escapes decoded */
      size_t      len;        /* byte length of s (may hold NUL bytes) */
    } constant;
    struct { const char *id; HsExprContext ctx; } name;
    struct { HsBinaryOp op; HsExpr *left; HsExpr *right; } binop;
    struct { HsUnaryOp op; HsExpr *operand; } unaryop;
    struct { HsBoolOpKind op; HsExprSeq values; } boolop;
    struct {
      HsExpr      *left;
      size_t       n;
      HsCmpOpKind *ops;
      HsExpr     **comparators;
    } compare;
    struct {
      HsExpr     *func;
      HsExprSeq   args;         /* may contain HS_EXPR_STARRED */
      size_t      n_keywords;
      HsKeyword  *keywords;
    } call;
    struct { HsExpr *value; const char *attr; HsExprContext ctx; } attribute;
    struct { HsExpr *value; HsExpr *slice; HsExprContext ctx; } subscript;
    struct { HsExpr *lower; HsExpr *upper; HsExpr *step; } slice;   /* each may be NULL */
    struct { HsExpr *value; HsExprContext ctx; } starred;
    struct { HsExprSeq elts; HsExprContext ctx; } seq;               /* LIST, TUPLE, SET */
    struct { HsExprSeq keys; HsExprSeq values; } dict;                /* key NULL: **mapping */
    struct {
      HsExpr          *elt;        /* LISTCOMP, SETCOMP, GENEXP; the key for DICTCOMP */
      HsExpr          *value;      /* DICTCOMP only */
      size_t           n_generators;
      HsComprehension *generators;
    } comp;
    struct { HsArguments *args; HsExpr *body; } lambda;
    struct { HsExpr *test; HsExpr *body; HsExpr *orelse; } ifexp;
    struct { HsExprSeq values; } joinedstr;   /* CONST str parts and FORMATTED parts */
    struct {
      HsExpr *value;
      int     conversion;    /* -1, 's', 'r', 'a' */
      HsExpr *format_spec;   /* a JOINEDSTR, or NULL */
    } formatted;
    struct { HsExpr *target; HsExpr *value; } namedexpr;
  } u;
};

typedef struct {
  HsExpr     *type;      /* NULL: bare except */
  const char *name;      /* `as name`, or NULL */
  HsStmtSeq   body;
  HsPos       pos;
} HsExceptHandler;

typedef struct {
  const char *name;      /* dotted name for import, plain name for from-import */
  const char *asname;    /* or NULL */
  HsPos       pos;
} HsAlias;

typedef enum {
  HS_STMT_EXPR,
  HS_STMT_ASSIGN,
  HS_STMT_AUGASSIGN,
  HS_STMT_ANNASSIGN,
  HS_STMT_IF,
  HS_STMT_WHILE,
  HS_STMT_FOR,
  HS_STMT_BREAK,
  HS_STMT_CONTINUE,
  HS_STMT_PASS,
  HS_STMT_RETURN,
  HS_STMT_DELETE,
  HS_STMT_GLOBAL,
  HS_STMT_NONLOCAL,
  HS_STMT_ASSERT,
  HS_STMT_RAISE,
  HS_STMT_TRY,
  HS_STMT_FUNCTIONDEF,
  HS_STMT_CLASSDEF,
  HS_STMT_IMPORT,
  HS_STMT_IMPORTFROM,
  HS_STMT_WITH,          /* parsed; the compiler may reject it with a clear error */
} HsStmtKind;

struct HsStmt {
  HsStmtKind kind;
  HsPos      pos;
  union {
    struct { HsExpr *value; } expr;
    struct { HsExprSeq targets; HsExpr *value; } assign;        /* a = b = value */
    struct { HsExpr *target; HsBinaryOp op; HsExpr *value; } augassign;
    struct { HsExpr *target; HsExpr *annotation; HsExpr *value; bool simple; } annassign;
    struct { HsExpr *test; HsStmtSeq body; HsStmtSeq orelse; } if_;   /* elif: orelse holds one IF */
    struct { HsExpr *test; HsStmtSeq body; HsStmtSeq orelse; } while_;
    struct { HsExpr *target; HsExpr *iter; HsStmtSeq body; HsStmtSeq orelse; } for_;
    struct { HsExpr *value; } return_;                           /* value may be NULL */
    struct { HsExprSeq targets; } delete_;
    struct { HsNameSeq names; } global;                          /* GLOBAL and NONLOCAL */
    struct { HsExpr *test; HsExpr *msg; } assert_;
    struct { HsExpr *exc; HsExpr *cause; } raise;                /* both may be NULL */
    struct {
      HsStmtSeq        body;
      size_t           n_handlers;
      HsExceptHandler *handlers;
      HsStmtSeq        orelse;
      HsStmtSeq        finalbody;
    } try_;
    struct {
      const char  *name;
      HsArguments *args;
      HsStmtSeq    body;
      HsExprSeq    decorators;
      HsExpr      *returns;    /* annotation, ignored */
    } funcdef;
    struct {
      const char *name;
      HsExprSeq   bases;
      size_t      n_keywords;
      HsKeyword  *keywords;
      HsStmtSeq   body;
      HsExprSeq   decorators;
    } classdef;
    struct { size_t n; HsAlias *names; } import;
    struct { const char *module; size_t n; HsAlias *names; int level; } importfrom;
    struct { size_t n; HsExpr **items; HsExpr **vars; HsStmtSeq body; } with;
  } u;
};

typedef struct {
  HsStmtSeq body;
} HsModule;

/* What a failed parse reports, worded as CPython 3.11 words it. */
typedef struct {
  char     type_name[32];   /* "SyntaxError", "IndentationError", "TabError" */
  char     message[256];    /* "invalid syntax", "unterminated string literal (detected at line 1)" */
  uint32_t lineno;          /* 1-based */
  uint32_t col_offset;      /* 1-based character offset of the caret, as SyntaxError.offset */
  uint32_t end_col_offset;  /* 1-based, exclusive; == col_offset + 1 for a single caret */
  char    *text;            /* the offending source line (malloc'd, without newline), or NULL */
} HsSyntaxError;

void hs_syntax_error_clear (HsSyntaxError *err);
/* Formats as CPython prints an uncaught SyntaxError:
 *   File "f.py", line 3\n    x = (1,\n        ^\nSyntaxError: '(' was never closed\n
 * into a malloc'd string. */
char *hs_syntax_error_format (const HsSyntaxError *err, const char *filename);

/* Parses a whole module.  Returns NULL and fills err on a syntax error.  Input that is
 * not valid UTF-8, or holds NUL bytes, is a SyntaxError as in CPython. */
HsModule *hs_parse (HsArena *arena, const char *source, size_t len, HsSyntaxError *err);
