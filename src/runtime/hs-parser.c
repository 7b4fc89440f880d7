/* hs-parser.c — recursive-descent parser for the Python 3.11 subset, with CPython's syntax errors. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define _GNU_SOURCE
#include <errno.h>
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hs-parser.h"
#include "hs-scanner.h"

#if defined(__GNUC__)
# define HS_PRINTF(f, a) __attribute__ ((format (printf, f, a)))
#else
# define HS_PRINTF(f, a)
#endif

/* How a scanner failure ranks against a parser error found earlier in the
 * file, as CPython ranks them after re-scanning the rest of the source. */
typedef enum {
  SCAN_OK,
  SCAN_HARD,        /* syntaxerror-style: always wins */
  SCAN_STATE,       /* indentation, tabs, line continuation: never overrides */
  SCAN_UNCLOSED,    /* EOF inside brackets: wins if the bracket is on an earlier line */
} ScanFailKind;

typedef struct Parser Parser;
struct Parser
{
  HsArena       *arena;
  const char    *src;
  size_t         len;
  HsScanner      sc;
  HsToken      **chunks;     /* token i is chunks[i / TOK_CHUNK][i % TOK_CHUNK]; chunks never move */
  size_t         nchunks;    /* slots in chunks */
  size_t         live_chunk; /* chunks before this one were freed */
  size_t         fill;       /* tokens fetched so far (absolute count) */
  bool           toks_in_arena;
  size_t         pos;        /* absolute index of the current token */
  HsSyntaxError *err;
  uint32_t       line_shift; /* f-string sub-parsers: lines before the expression */
  jmp_buf       *jb;
  jmp_buf       *spec_jb;    /* set while trying a parse whose failure is not an error */
  bool           no_invalid; /* CPython's *_without_invalid: no second-pass checks */
  int           *depth;
  int            own_depth;
  Parser        *outer;      /* for f-string sub-parsers */
  locale_t       c_locale;
};


/* ---- errors -------------------------------------------------------------- */

static ScanFailKind
scan_fail_kind (const HsSyntaxError *e)
{
  if (strcmp (e->type_name, "SyntaxError") != 0)
    return SCAN_STATE;
  if (strstr (e->message, "was never closed") != NULL)
    return SCAN_UNCLOSED;
  if (strcmp (e->message, "unexpected EOF while parsing") == 0
      || strcmp (e->message, "unexpected character after line continuation character") == 0)
    return SCAN_STATE;
  return SCAN_HARD;
}

static _Noreturn void
bail (Parser *p)
{
  longjmp (*p->jb, 1);
}

static inline HsToken *tokp (Parser *p, size_t i);

static Parser *
outermost (Parser *p)
{
  while (p->outer != NULL)
    p = p->outer;
  return p;
}

/* After a parser error, CPython scans the rest of the source: a tokenizer
 * error found there wins over the parser's error. */
static _Noreturn void
finish_error (Parser *p)
{
  p = outermost (p);
  if (!p->sc.failed)
    {
      HsSyntaxError scratch = { 0 };
      HsScanner *sc = &p->sc;
      HsSyntaxError *saved = sc->err;
      sc->err = &scratch;
      HsToken t;
      while (hs_scanner_next (sc, &t) && t.kind != HS_TOK_ENDMARKER)
        ;
      sc->err = saved;
      if (sc->failed)
        {
          ScanFailKind k = scan_fail_kind (&scratch);
          /* an unclosed bracket wins when the parser had read past its line */
          uint32_t last_line = p->fill > 0 ? tokp (p, p->fill - 1)->lineno : 0;
          if (k == SCAN_HARD || (k == SCAN_UNCLOSED && last_line > scratch.lineno))
            {
              hs_syntax_error_clear (p->err);
              *p->err = scratch;
              scratch.text = NULL;
            }
        }
      hs_syntax_error_clear (&scratch);
    }
  bail (p);
}

/* An error inside an f-string replacement field: CPython reports it in the
 * coordinates of the "(expression)" text it parsed, on the real line. */
static void
adjust_fstring_error (Parser *p)
{
  char msg[256];
  if (strncmp (p->err->message, "f-string", 8) != 0)
    {
      snprintf (msg, sizeof msg, "f-string: %.240s", p->err->message);
      snprintf (p->err->message, sizeof p->err->message, "%s", msg);
    }
  p->err->lineno += p->line_shift;
}

/* A parser error at a token range. */
static _Noreturn void error_range (Parser *p, const char *type_name, uint32_t lineno, uint32_t col,
                                   uint32_t end_lineno, uint32_t end_col, const char *fmt, ...)
  HS_PRINTF (7, 8);

static _Noreturn void
error_range (Parser *p, const char *type_name, uint32_t lineno, uint32_t col,
             uint32_t end_lineno, uint32_t end_col, const char *fmt, ...)
{
  char msg[256];
  va_list ap;
  va_start (ap, fmt);
  vsnprintf (msg, sizeof msg, fmt, ap);
  va_end (ap);
  if (p->spec_jb != NULL)
    longjmp (*p->spec_jb, 1);
  hs_scanner_set_error (p->src, p->len, p->err, type_name, msg, lineno, col,
                        end_lineno, end_col);
  if (p->outer != NULL)
    adjust_fstring_error (p);
  finish_error (p);
}

/* ---- tokens -------------------------------------------------------------- */

#define TOK_CHUNK 1024

static inline HsToken *
tokp (Parser *p, size_t i)
{
  /* chunks before live_chunk are gone; callers never look that far back */
  return &p->chunks[i / TOK_CHUNK][i % TOK_CHUNK];
}

static _Noreturn void
out_of_memory (Parser *p)
{
  hs_syntax_error_clear (p->err);
  snprintf (p->err->type_name, sizeof p->err->type_name, "MemoryError");
  bail (p);
}

static void
fetch (Parser *p)
{
  size_t c = p->fill / TOK_CHUNK;
  if (c >= p->nchunks)
    {
      size_t n = p->nchunks ? p->nchunks * 2 : 16;
      HsToken **nc;
      if (p->toks_in_arena)
        {
          nc = hs_arena_alloc (p->arena, n * sizeof (HsToken *));
          if (nc != NULL && p->nchunks)
            memcpy (nc, p->chunks, p->nchunks * sizeof (HsToken *));
        }
      else
        {
          nc = realloc (p->chunks, n * sizeof (HsToken *));
          if (nc != NULL)
            memset (nc + p->nchunks, 0, (n - p->nchunks) * sizeof (HsToken *));
        }
      if (nc == NULL)
        out_of_memory (p);
      p->chunks = nc;
      p->nchunks = n;
    }
  if (p->chunks[c] == NULL)
    {
      p->chunks[c] = p->toks_in_arena ? hs_arena_alloc (p->arena, TOK_CHUNK * sizeof (HsToken))
                                      : malloc (TOK_CHUNK * sizeof (HsToken));
      if (p->chunks[c] == NULL)
        out_of_memory (p);
    }
  HsToken *t = tokp (p, p->fill);
  if (!hs_scanner_next (&p->sc, t))
    {
      if (p->outer != NULL)
        {
          adjust_fstring_error (p);
          finish_error (p);
        }
      bail (p);
    }
  p->fill++;
}

/* Between top-level statements no token pointer is held: drop old chunks so
 * a long file keeps only a window of tokens. */
static void
release_old_tokens (Parser *p)
{
  if (p->toks_in_arena || p->pos < 2)
    return;
  size_t keep = (p->pos - 1) / TOK_CHUNK;
  while (p->live_chunk < keep)
    {
      free (p->chunks[p->live_chunk]);
      p->chunks[p->live_chunk] = NULL;
      p->live_chunk++;
    }
}

static inline HsToken *
tok_at (Parser *p, size_t k)
{
  while (p->pos + k >= p->fill)
    fetch (p);
  return tokp (p, p->pos + k);
}

static inline HsToken *
cur (Parser *p)
{
  return tok_at (p, 0);
}

static inline HsTokKind
kind (Parser *p)
{
  return cur (p)->kind;
}

static inline HsTokKind
kind_at (Parser *p, size_t k)
{
  return tok_at (p, k)->kind;
}

static inline HsToken *
prev (Parser *p)
{
  return tokp (p, p->pos - 1);
}

static inline HsToken *
advance (Parser *p)
{
  HsToken *t = cur (p);
  p->pos++;
  return t;
}

static inline bool
accept (Parser *p, HsTokKind k)
{
  if (kind (p) == k)
    {
      p->pos++;
      return true;
    }
  return false;
}

/* The furthest token fetched: where CPython puts a generic "invalid syntax". */
static _Noreturn void
syntax_error_generic (Parser *p)
{
  HsToken *t = tokp (p, p->fill - 1);
  if ((t->kind == HS_TOK_INDENT || t->kind == HS_TOK_DEDENT) && p->spec_jb == NULL)
    {
      /* CPython reports these without scanning the rest of the file */
      Parser *o = outermost (p);
      hs_scanner_set_error (p->src, p->len, p->err, "IndentationError",
                            t->kind == HS_TOK_INDENT ? "unexpected indent" : "unexpected unindent",
                            t->lineno, UINT32_MAX, t->lineno, UINT32_MAX);
      if (p->outer != NULL)
        adjust_fstring_error (p);
      bail (o);
    }
  if (t->kind == HS_TOK_ERRORTOKEN && p->src[t->start] == '!' )
    error_range (p, "SyntaxError", t->lineno, t->col, t->end_lineno, t->end_col, "invalid syntax");
  error_range (p, "SyntaxError", t->lineno, t->col, t->end_lineno, t->end_col, "invalid syntax");
}

/* RAISE_SYNTAX_ERROR: at the last token fetched, its whole range. */
static _Noreturn void syntax_error_last (Parser *p, const char *fmt, ...) HS_PRINTF (2, 3);

static _Noreturn void
syntax_error_last (Parser *p, const char *fmt, ...)
{
  char msg[256];
  va_list ap;
  va_start (ap, fmt);
  vsnprintf (msg, sizeof msg, fmt, ap);
  va_end (ap);
  HsToken *t = tokp (p, p->fill - 1);
  error_range (p, "SyntaxError", t->lineno, t->col, t->end_lineno, t->end_col, "%s", msg);
}

static _Noreturn void error_at_pos (Parser *p, HsPos pos, const char *fmt, ...) HS_PRINTF (3, 4);

static _Noreturn void
error_at_pos (Parser *p, HsPos pos, const char *fmt, ...)
{
  char msg[256];
  va_list ap;
  va_start (ap, fmt);
  vsnprintf (msg, sizeof msg, fmt, ap);
  va_end (ap);
  error_range (p, "SyntaxError", pos.lineno, pos.col_offset, pos.end_lineno,
               pos.end_col_offset, "%s", msg);
}

static void
expect (Parser *p, HsTokKind k)
{
  if (!accept (p, k))
    syntax_error_generic (p);
}

/* A forced token (&&':' in CPython's grammar): "expected ':'". */
static void
expect_forced (Parser *p, HsTokKind k)
{
  if (!accept (p, k))
    {
      cur (p);
      syntax_error_last (p, "expected '%s'", hs_token_kind_name (k));
    }
}

static void
enter (Parser *p)
{
  if (++*p->depth > HS_PARSER_MAX_DEPTH)
    {
      HsToken *t = cur (p);
      error_range (p, "SyntaxError", t->lineno, t->col, t->end_lineno, t->end_col,
                   "too many nested expressions");
    }
}

static inline void
leave (Parser *p)
{
  --*p->depth;
}

/* ---- node helpers -------------------------------------------------------- */

static void *
alloc (Parser *p, size_t size)
{
  void *m = hs_arena_alloc (p->arena, size);
  if (m == NULL)
    {
      hs_syntax_error_clear (p->err);
      snprintf (p->err->type_name, sizeof p->err->type_name, "MemoryError");
      bail (p);
    }
  return m;
}

static HsPos
pos_tokens (const HsToken *a, const HsToken *b)
{
  return (HsPos) { a->lineno, a->col, b->end_lineno, b->end_col };
}

static HsPos
pos_join (HsPos a, HsPos b)
{
  return (HsPos) { a.lineno, a.col_offset, b.end_lineno, b.end_col_offset };
}

/* From token t to the last consumed token. */
static HsPos
pos_from (Parser *p, const HsToken *t)
{
  return pos_tokens (t, prev (p));
}

static HsPos
pos_from_pos (Parser *p, HsPos a)
{
  HsToken *e = prev (p);
  return (HsPos) { a.lineno, a.col_offset, e->end_lineno, e->end_col };
}

static HsExpr *
new_expr (Parser *p, HsExprKind k, HsPos pos)
{
  HsExpr *e = alloc (p, sizeof *e);
  e->kind = k;
  e->pos = pos;
  return e;
}

static HsStmt *
new_stmt (Parser *p, HsStmtKind k, HsPos pos)
{
  HsStmt *s = alloc (p, sizeof *s);
  s->kind = k;
  s->pos = pos;
  return s;
}

static const char *
tok_str (Parser *p, const HsToken *t)
{
  return hs_arena_strndup (p->arena, p->src + t->start, t->end - t->start);
}

/* Growable arrays: inline storage first, then arena blocks (the abandoned
 * ones are at most as large as the final one). */
typedef struct {
  void  **items;
  size_t  n, cap;
  void   *inline_items[8];
} Vec;

static void
vec_init (Vec *v)
{
  v->items = v->inline_items;
  v->n = 0;
  v->cap = 8;
}

static void
vec_push (Parser *p, Vec *v, void *x)
{
  if (v->n == v->cap)
    {
      void **n = alloc (p, v->cap * 2 * sizeof (void *));
      memcpy (n, v->items, v->n * sizeof (void *));
      v->items = n;
      v->cap *= 2;
    }
  v->items[v->n++] = x;
}

static void **
vec_finish (Parser *p, Vec *v)
{
  if (v->n == 0)
    return NULL;
  void **out = alloc (p, v->n * sizeof (void *));
  memcpy (out, v->items, v->n * sizeof (void *));
  return out;
}

static HsExprSeq
vec_exprs (Parser *p, Vec *v)
{
  return (HsExprSeq) { v->n, (HsExpr **) vec_finish (p, v) };
}

static HsStmtSeq
vec_stmts (Parser *p, Vec *v)
{
  return (HsStmtSeq) { v->n, (HsStmt **) vec_finish (p, v) };
}

/* Value-typed growable arrays (keywords, handlers, aliases, ...). */
typedef struct {
  char   *data;
  size_t  n, cap, elem;
} Buf;

static void
buf_init (Buf *b, size_t elem)
{
  b->data = NULL;
  b->n = b->cap = 0;
  b->elem = elem;
}

static void *
buf_push (Parser *p, Buf *b)
{
  if (b->n == b->cap)
    {
      size_t ncap = b->cap ? b->cap * 2 : 4;
      char *n = alloc (p, ncap * b->elem);
      if (b->n)
        memcpy (n, b->data, b->n * b->elem);
      b->data = n;
      b->cap = ncap;
    }
  return b->data + b->elem * b->n++;
}

/* ---- names for error messages ---------------------------------------------- */

static const char *
expr_name (const HsExpr *e)
{
  switch (e->kind)
    {
    case HS_EXPR_ATTRIBUTE: return "attribute";
    case HS_EXPR_SUBSCRIPT: return "subscript";
    case HS_EXPR_STARRED: return "starred";
    case HS_EXPR_NAME: return "name";
    case HS_EXPR_LIST: return "list";
    case HS_EXPR_TUPLE: return "tuple";
    case HS_EXPR_LAMBDA: return "lambda";
    case HS_EXPR_CALL: return "function call";
    case HS_EXPR_BOOLOP: case HS_EXPR_BINOP: case HS_EXPR_UNARYOP: return "expression";
    case HS_EXPR_GENEXP: return "generator expression";
    case HS_EXPR_LISTCOMP: return "list comprehension";
    case HS_EXPR_SETCOMP: return "set comprehension";
    case HS_EXPR_DICTCOMP: return "dict comprehension";
    case HS_EXPR_DICT: return "dict literal";
    case HS_EXPR_SET: return "set display";
    case HS_EXPR_JOINEDSTR: case HS_EXPR_FORMATTED: return "f-string expression";
    case HS_EXPR_CONST:
      switch (e->u.constant.kind)
        {
        case HS_CONST_NONE: return "None";
        case HS_CONST_TRUE: return "True";
        case HS_CONST_FALSE: return "False";
        case HS_CONST_ELLIPSIS: return "ellipsis";
        default: return "literal";
        }
    case HS_EXPR_COMPARE: return "comparison";
    case HS_EXPR_IFEXP: return "conditional expression";
    case HS_EXPR_NAMEDEXPR: return "named expression";
    case HS_EXPR_SLICE: return "slice";
    }
  return "expression";
}

typedef enum { TARGETS_STAR, TARGETS_DEL, TARGETS_FOR } TargetsType;

/* The first node that cannot be a target, as CPython finds it. */
static const HsExpr *
invalid_target (const HsExpr *e, TargetsType t)
{
  if (e == NULL)
    return NULL;
  switch (e->kind)
    {
    case HS_EXPR_LIST:
    case HS_EXPR_TUPLE:
      for (size_t i = 0; i < e->u.seq.elts.n; i++)
        {
          const HsExpr *c = invalid_target (e->u.seq.elts.items[i], t);
          if (c != NULL)
            return c;
        }
      return NULL;
    case HS_EXPR_STARRED:
      if (t == TARGETS_DEL)
        return e;
      return invalid_target (e->u.starred.value, t);
    case HS_EXPR_COMPARE:
      if (t == TARGETS_FOR)
        {
          if (e->u.compare.ops[0] == HS_CMPOP_IN)
            return invalid_target (e->u.compare.left, t);
          return NULL;
        }
      return e;
    case HS_EXPR_NAME:
    case HS_EXPR_SUBSCRIPT:
    case HS_EXPR_ATTRIBUTE:
      return NULL;
    default:
      return e;
    }
}

static void
set_context (HsExpr *e, HsExprContext ctx)
{
  switch (e->kind)
    {
    case HS_EXPR_NAME: e->u.name.ctx = ctx; break;
    case HS_EXPR_ATTRIBUTE: e->u.attribute.ctx = ctx; break;
    case HS_EXPR_SUBSCRIPT: e->u.subscript.ctx = ctx; break;
    case HS_EXPR_STARRED:
      e->u.starred.ctx = ctx;
      set_context (e->u.starred.value, ctx);
      break;
    case HS_EXPR_LIST:
    case HS_EXPR_TUPLE:
      e->u.seq.ctx = ctx;
      for (size_t i = 0; i < e->u.seq.elts.n; i++)
        set_context (e->u.seq.elts.items[i], ctx);
      break;
    default:
      break;
    }
}

/* Checks a target and stores ctx into it, or reports CPython's error. */
static void
make_target (Parser *p, HsExpr *e, TargetsType t)
{
  const HsExpr *bad = invalid_target (e, t);
  if (bad != NULL)
    error_at_pos (p, bad->pos, t == TARGETS_DEL ? "cannot delete %s" : "cannot assign to %s",
                  expr_name (bad));
  set_context (e, t == TARGETS_DEL ? HS_CTX_DEL : HS_CTX_STORE);
}

/* ---- numbers ----------------------------------------------------------- */

static HsExpr *
parse_number (Parser *p, HsToken *t)
{
  const char *s = p->src + t->start;
  size_t n = t->end - t->start;
  HsExpr *e = new_expr (p, HS_EXPR_CONST, pos_tokens (t, t));
  char last = s[n - 1];
  if (last == 'j' || last == 'J')
    error_at_pos (p, e->pos, "imaginary literals are not supported (this runtime has no complex numbers)");
  bool is_float = false;
  if (n >= 2 && s[0] == '0' && strchr ("xXoObB", s[1]) != NULL)
    is_float = false;
  else
    for (size_t i = 0; i < n; i++)
      if (s[i] == '.' || s[i] == 'e' || s[i] == 'E')
        {
          is_float = true;
          break;
        }
  char small[64];
  char *clean = n < sizeof small ? small : alloc (p, n + 1);
  size_t k = 0;
  for (size_t i = 0; i < n; i++)
    if (s[i] != '_')
      clean[k++] = s[i];
  clean[k] = '\0';
  if (is_float)
    {
      e->u.constant.kind = HS_CONST_FLOAT;
      e->u.constant.f = strtod_l (clean, NULL, p->c_locale);
      return e;
    }
  e->u.constant.kind = HS_CONST_INT;
  int base = 10;
  const char *d = clean;
  if (k >= 2 && clean[0] == '0' && (clean[1] | 0x20) == 'x')
    base = 16, d += 2;
  else if (k >= 2 && clean[0] == '0' && (clean[1] | 0x20) == 'o')
    base = 8, d += 2;
  else if (k >= 2 && clean[0] == '0' && (clean[1] | 0x20) == 'b')
    base = 2, d += 2;
  uint64_t v = 0;
  for (; *d; d++)
    {
      int c = *d;
      int dv = c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
      if (v > (UINT64_MAX - (uint64_t) dv) / (uint64_t) base)
        goto too_big;
      v = v * (uint64_t) base + (uint64_t) dv;
    }
  if (v > (uint64_t) INT64_MAX)
    goto too_big;
  e->u.constant.i = (int64_t) v;
  return e;
too_big:
  error_at_pos (p, e->pos, "integer literal too large: this runtime's ints are 64-bit (at most %lld)",
                (long long) INT64_MAX);
}

/* ---- strings ------------------------------------------------------------ */

typedef struct {
  char  *data;
  size_t n, cap;
} StrBuf;

static void
sb_reserve (Parser *p, StrBuf *b, size_t more)
{
  if (b->n + more + 1 > b->cap)
    {
      size_t ncap = b->cap ? b->cap * 2 : 64;
      while (ncap < b->n + more + 1)
        ncap *= 2;
      char *n = alloc (p, ncap);
      if (b->n)
        memcpy (n, b->data, b->n);
      b->data = n;
      b->cap = ncap;
    }
}

static void
sb_add (Parser *p, StrBuf *b, const char *s, size_t n)
{
  sb_reserve (p, b, n);
  memcpy (b->data + b->n, s, n);
  b->n += n;
  b->data[b->n] = '\0';
}

static void
sb_add_cp (Parser *p, StrBuf *b, uint32_t cp)
{
  char u[4];
  size_t n;
  if (cp < 0x80)
    u[0] = (char) cp, n = 1;
  else if (cp < 0x800)
    u[0] = (char) (0xc0 | (cp >> 6)), u[1] = (char) (0x80 | (cp & 0x3f)), n = 2;
  else if (cp < 0x10000)
    u[0] = (char) (0xe0 | (cp >> 12)), u[1] = (char) (0x80 | ((cp >> 6) & 0x3f)),
    u[2] = (char) (0x80 | (cp & 0x3f)), n = 3;
  else
    u[0] = (char) (0xf0 | (cp >> 18)), u[1] = (char) (0x80 | ((cp >> 12) & 0x3f)),
    u[2] = (char) (0x80 | ((cp >> 6) & 0x3f)), u[3] = (char) (0x80 | (cp & 0x3f)), n = 4;
  sb_add (p, b, u, n);
}

static int
hexval (int c)
{
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Decodes the escapes of s[0..n) into b.  Errors are reported at the string
 * token as CPython's "(unicode error)" messages are. */
static void
decode_escapes (Parser *p, StrBuf *b, const char *s, size_t n, HsPos where)
{
  (void) where;   /* CPython reports escape errors after the string */
  size_t i = 0;
  while (i < n)
    {
      const char *bs = memchr (s + i, '\\', n - i);
      size_t run = bs ? (size_t) (bs - (s + i)) : n - i;
      sb_add (p, b, s + i, run);
      i += run;
      if (i >= n)
        break;
      /* at a backslash */
      size_t esc = i;
      i++;
      if (i >= n)
        {
          sb_add (p, b, "\\", 1);
          break;
        }
      char c = s[i++];
      switch (c)
        {
        case '\n': break;
        case '\\': sb_add (p, b, "\\", 1); break;
        case '\'': sb_add (p, b, "'", 1); break;
        case '"': sb_add (p, b, "\"", 1); break;
        case 'a': sb_add (p, b, "\a", 1); break;
        case 'b': sb_add (p, b, "\b", 1); break;
        case 'f': sb_add (p, b, "\f", 1); break;
        case 'n': sb_add (p, b, "\n", 1); break;
        case 'r': sb_add (p, b, "\r", 1); break;
        case 't': sb_add (p, b, "\t", 1); break;
        case 'v': sb_add (p, b, "\v", 1); break;
        case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7':
          {
            uint32_t v = (uint32_t) (c - '0');
            for (int k = 0; k < 2 && i < n && s[i] >= '0' && s[i] <= '7'; k++)
              v = v * 8 + (uint32_t) (s[i++] - '0');
            sb_add_cp (p, b, v);
            break;
          }
        case 'x':
        case 'u':
        case 'U':
          {
            int digits = c == 'x' ? 2 : c == 'u' ? 4 : 8;
            uint32_t v = 0;
            int k;
            for (k = 0; k < digits && i < n && hexval (s[i]) >= 0; k++)
              v = v * 16 + (uint32_t) hexval (s[i++]);
            if (k < digits)
              syntax_error_last (p,
                            "(unicode error) 'unicodeescape' codec can't decode bytes in position %zu-%zu: truncated %s escape",
                            esc, i - 1,
                            c == 'x' ? "\\xXX" : c == 'u' ? "\\uXXXX" : "\\UXXXXXXXX");
            if (v > 0x10ffff)
              syntax_error_last (p,
                            "(unicode error) 'unicodeescape' codec can't decode bytes in position %zu-%zu: illegal Unicode character",
                            esc, i - 1);
            sb_add_cp (p, b, v);
            break;
          }
        case 'N':
          syntax_error_last (p, "\\N{...} escapes are not supported by this runtime");
        default:
          /* an unknown escape keeps its backslash (CPython warns) */
          sb_add (p, b, s + esc, 2);
          /* a multi-byte char after the backslash: copy its tail too */
          break;
        }
    }
}

typedef struct {
  bool        raw, f, bytes;
  const char *body;     /* between the quotes */
  size_t      n;
  size_t      body_off; /* offset of body in p->src */
} StrTok;

static StrTok
split_string_token (Parser *p, const HsToken *t)
{
  StrTok r = { 0 };
  const char *s = p->src + t->start;
  size_t len = t->end - t->start;
  size_t i = 0;
  while (s[i] != '\'' && s[i] != '"')
    {
      int c = s[i] | 0x20;
      if (c == 'r') r.raw = true;
      else if (c == 'f') r.f = true;
      else if (c == 'b') r.bytes = true;
      i++;
    }
  size_t q = (len - i >= 6 && s[i] == s[i + 1] && s[i] == s[i + 2]) ? 3 : 1;
  r.body = s + i + q;
  r.n = len - i - 2 * q;
  r.body_off = t->start + i + q;
  return r;
}

/* f-string parsing state shared over the concatenated tokens. */
typedef struct {
  Vec     values;     /* parts: CONST str and FORMATTED */
  StrBuf  lit;        /* literal text not yet flushed */
  HsPos   pos;        /* the whole string */
} FStr;

static HsExpr *parse_star_expressions (Parser *p);

static void
fstr_flush (Parser *p, FStr *fs)
{
  if (fs->lit.n == 0)
    return;
  HsExpr *c = new_expr (p, HS_EXPR_CONST, fs->pos);
  c->u.constant.kind = HS_CONST_STR;
  c->u.constant.s = fs->lit.data;
  c->u.constant.len = fs->lit.n;
  vec_push (p, &fs->values, c);
  fs->lit.data = NULL;
  fs->lit.n = fs->lit.cap = 0;
}

/* Parses the expression text src[off..off+n) the way CPython 3.11 does: as
 * "(text)" in a parser of its own, then moves the positions onto the line. */
static HsExpr *
fstring_compile_expr (Parser *p, size_t off, size_t n)
{
  /* where the text starts */
  uint32_t line = 1;
  size_t ls = 0;
  for (const char *q = p->src; q < p->src + off; )
    {
      const char *nl = memchr (q, '\n', (size_t) (p->src + off - q));
      if (nl == NULL)
        break;
      line++;
      q = nl + 1;
      ls = (size_t) (q - p->src);
    }
  uint32_t col0 = (uint32_t) (off - ls);

  char *buf = alloc (p, n + 3);
  buf[0] = '(';
  memcpy (buf + 1, p->src + off, n);
  buf[n + 1] = ')';
  buf[n + 2] = '\0';

  Parser sub;
  memset (&sub, 0, sizeof sub);
  sub.arena = p->arena;
  sub.src = buf;
  sub.len = n + 2;
  sub.err = p->err;
  sub.jb = p->jb;
  sub.spec_jb = p->spec_jb;
  sub.depth = p->depth;
  sub.outer = p;
  sub.toks_in_arena = true;
  sub.c_locale = p->c_locale;
  sub.line_shift = line - 1 + p->line_shift;
  hs_scanner_init (&sub.sc, buf, n + 2, p->err);
  HsExpr *e = parse_star_expressions (&sub);
  if (kind (&sub) != HS_TOK_NEWLINE)
    syntax_error_generic (&sub);
  accept (&sub, HS_TOK_NEWLINE);
  if (kind (&sub) != HS_TOK_ENDMARKER)
    syntax_error_generic (&sub);
  (void) col0;
  return e;
}

/* Positions of nodes parsed from "(text)": line 1 columns shift by the
 * column of the text minus the added "(", later lines keep theirs. */
static void shift_positions (HsExpr *e, uint32_t lines, int32_t cols);

static void
fstring_parse (Parser *p, FStr *fs, const StrTok *st, size_t *i, int recurse_lvl,
               bool in_spec);

/* One replacement field; *i is just after the '{'. */
static void
fstring_field (Parser *p, FStr *fs, const StrTok *st, size_t *i, int recurse_lvl)
{
  const char *s = st->body;
  size_t n = st->n;
  if (recurse_lvl >= 2)
    syntax_error_last (p, "f-string: expressions nested too deeply");
  size_t start = *i;
  int nest = 0;
  char quote = 0;
  int qsize = 0;
  char stack[200];
  size_t k = start;
  for (; k < n; k++)
    {
      char c = s[k];
      if (c == '\\')
        syntax_error_last (p, "f-string expression part cannot include a backslash");
      if (quote)
        {
          if (c == quote)
            {
              if (qsize == 3)
                {
                  if (k + 2 < n && s[k + 1] == c && s[k + 2] == c)
                    {
                      k += 2;
                      quote = 0;
                    }
                }
              else
                quote = 0;
            }
          continue;
        }
      if (c == '\'' || c == '"')
        {
          if (k + 2 < n && s[k + 1] == c && s[k + 2] == c)
            {
              qsize = 3;
              k += 2;
            }
          else
            qsize = 1;
          quote = c;
          continue;
        }
      if (c == '[' || c == '(' || c == '{')
        {
          if (nest >= 200)
            syntax_error_last (p, "f-string: too many nested parenthesis");
          stack[nest++] = c;
          continue;
        }
      if (c == '#')
        syntax_error_last (p, "f-string expression part cannot include '#'");
      if (nest == 0 && (c == '!' || c == ':' || c == '}' || c == '=' || c == '>' || c == '<'))
        {
          if (k + 1 < n && s[k + 1] == '=')
            {
              /* != == <= >= are operators */
              if (c == '!' || c == '=' || c == '<' || c == '>')
                {
                  k++;
                  continue;
                }
            }
          if (c == '>' || c == '<')
            continue;
          if (c == '=' )
            break;
          break;
        }
      if (c == ']' || c == ')' || c == '}')
        {
          if (nest == 0)
            syntax_error_last (p, "f-string: unmatched '%c'", c);
          char open = stack[--nest];
          if (!((open == '(' && c == ')') || (open == '[' && c == ']') || (open == '{' && c == '}')))
            syntax_error_last (p, "f-string: closing parenthesis '%c' does not match opening parenthesis '%c'",
                               c, open);
          continue;
        }
    }
  if (quote)
    syntax_error_last (p, "f-string: unterminated string");
  if (nest > 0)
    {
      if (k >= n)
        syntax_error_last (p, "f-string: expecting '}'");
    }
  if (k >= n)
    syntax_error_last (p, "f-string: expecting '}'");
  size_t expr_end = k;
  /* empty? */
  bool blank = true;
  for (size_t j = start; j < expr_end; j++)
    if (s[j] != ' ' && s[j] != '\t' && s[j] != '\n' && s[j] != '\f' && s[j] != '\r')
      {
        blank = false;
        break;
      }
  if (blank)
    {
      if (s[k] == '=')
        syntax_error_last (p, "f-string: expression required before '='");
      syntax_error_last (p, "f-string: empty expression not allowed");
    }
  HsExpr *value = fstring_compile_expr (p, st->body_off + start, expr_end - start);
  {
    /* move positions onto the real source */
    uint32_t line = 1;
    size_t ls = 0;
    size_t off = st->body_off + start;
    const char *q = p->src;
    for (;;)
      {
        const char *nl = memchr (q, '\n', (size_t) (p->src + off - q));
        if (nl == NULL)
          break;
        line++;
        q = nl + 1;
        ls = (size_t) (q - p->src);
      }
    shift_positions (value, line - 1, (int32_t) (off - ls) - 1);
  }

  int conversion = -1;
  bool selfdoc = false;
  if (s[k] == '=')
    {
      selfdoc = true;
      k++;
      /* the text through '=' and the whitespace after it is literal */
      size_t ws = k;
      while (ws < n && (s[ws] == ' ' || s[ws] == '\t' || s[ws] == '\n' || s[ws] == '\f'))
        ws++;
      sb_add (p, &fs->lit, s + start, ws - start);
      k = ws;
    }
  if (k < n && s[k] == '!')
    {
      k++;
      if (k >= n)
        syntax_error_last (p, "f-string: expecting '}'");
      char c = s[k];
      if (c != 's' && c != 'r' && c != 'a')
        syntax_error_last (p, "f-string: invalid conversion character: expected 's', 'r', or 'a'");
      conversion = c;
      k++;
      if (k >= n)
        syntax_error_last (p, "f-string: expecting '}'");
      if (s[k] != '}' && s[k] != ':')
        syntax_error_last (p, "f-string: expecting '}'");
    }
  HsExpr *spec = NULL;
  if (k < n && s[k] == ':')
    {
      k++;
      FStr sub = { 0 };
      vec_init (&sub.values);
      sub.pos = fs->pos;
      fstring_parse (p, &sub, st, &k, recurse_lvl + 1, true);
      fstr_flush (p, &sub);
      spec = new_expr (p, HS_EXPR_JOINEDSTR, fs->pos);
      spec->u.joinedstr.values = vec_exprs (p, &sub.values);
    }
  if (k >= n || s[k] != '}')
    syntax_error_last (p, "f-string: expecting '}'");
  k++;
  if (selfdoc && conversion == -1 && spec == NULL)
    conversion = 'r';
  fstr_flush (p, fs);
  HsExpr *fv = new_expr (p, HS_EXPR_FORMATTED, fs->pos);
  fv->u.formatted.value = value;
  fv->u.formatted.conversion = conversion;
  fv->u.formatted.format_spec = spec;
  vec_push (p, &fs->values, fv);
  *i = k;
}

/* Literal text and fields up to the end of the body (or, in a format spec,
 * up to the '}' that closes the field, left unconsumed). */
static void
fstring_parse (Parser *p, FStr *fs, const StrTok *st, size_t *i, int recurse_lvl, bool in_spec)
{
  const char *s = st->body;
  size_t n = st->n;
  size_t k = *i;
  while (k < n)
    {
      size_t lit_start = k;
      /* literal run */
      while (k < n && s[k] != '{' && s[k] != '}')
        {
          if (!st->raw && s[k] == '\\' && k + 1 < n)
            {
              if (s[k + 1] == 'N' && k + 2 < n && s[k + 2] == '{')
                {
                  /* \N{...} belongs to the literal; not supported anyway */
                  k += 2;
                  continue;
                }
              k += 2;
              continue;
            }
          k++;
        }
      if (k > lit_start)
        {
          if (st->raw)
            sb_add (p, &fs->lit, s + lit_start, k - lit_start);
          else
            decode_escapes (p, &fs->lit, s + lit_start, k - lit_start, fs->pos);
        }
      if (k >= n)
        break;
      char c = s[k];
      if (c == '{')
        {
          if (!in_spec && k + 1 < n && s[k + 1] == '{')
            {
              sb_add (p, &fs->lit, "{", 1);
              k += 2;
              continue;
            }
          k++;
          fstring_field (p, fs, st, &k, recurse_lvl);
          continue;
        }
      /* '}' */
      if (in_spec)
        {
          *i = k;
          return;
        }
      if (k + 1 < n && s[k + 1] == '}')
        {
          sb_add (p, &fs->lit, "}", 1);
          k += 2;
          continue;
        }
      syntax_error_last (p, "f-string: single '}' is not allowed");
    }
  if (in_spec)
    syntax_error_last (p, "f-string: expecting '}'");
  *i = k;
}

static HsExpr *parse_strings_body (Parser *p, HsToken *first, size_t first_idx, bool any_f);

/* One or more adjacent STRING tokens. */
static HsExpr *
parse_strings (Parser *p)
{
  HsToken *first = cur (p);
  size_t first_idx = p->pos;
  bool any_f = false;
  /* Errors in string literals (f-string errors included) are reported even
   * from a parse that is only being tried, as CPython does. */
  jmp_buf *saved_spec = p->spec_jb;
  p->spec_jb = NULL;
  while (kind (p) == HS_TOK_STRING)
    {
      HsToken *t = advance (p);
      StrTok st = split_string_token (p, t);
      if (st.bytes)
        error_at_pos (p, pos_tokens (t, t), "bytes literals are not supported by this runtime");
      if (st.f)
        any_f = true;
    }
  /* CPython reports f-string errors after looking at the next token */
  cur (p);
  HsExpr *r = parse_strings_body (p, first, first_idx, any_f);
  p->spec_jb = saved_spec;
  return r;
}

static HsExpr *
parse_strings_body (Parser *p, HsToken *first, size_t first_idx, bool any_f)
{
  HsPos whole = pos_from (p, first);
  size_t last_idx = p->pos;

  if (!any_f)
    {
      StrBuf b = { 0 };
      for (size_t i = first_idx; i < last_idx; i++)
        {
          HsToken *t = tokp (p, i);
          StrTok st = split_string_token (p, t);
          if (st.raw)
            sb_add (p, &b, st.body, st.n);
          else
            decode_escapes (p, &b, st.body, st.n, whole);
        }
      HsExpr *e = new_expr (p, HS_EXPR_CONST, whole);
      e->u.constant.kind = HS_CONST_STR;
      e->u.constant.s = b.data ? b.data : "";
      e->u.constant.len = b.n;
      return e;
    }

  FStr fs = { 0 };
  vec_init (&fs.values);
  fs.pos = whole;
  for (size_t i = first_idx; i < last_idx; i++)
    {
      HsToken *t = tokp (p, i);
      StrTok st = split_string_token (p, t);
      if (!st.f)
        {
          if (st.raw)
            sb_add (p, &fs.lit, st.body, st.n);
          else
            decode_escapes (p, &fs.lit, st.body, st.n, whole);
          continue;
        }
      size_t k = 0;
      fstring_parse (p, &fs, &st, &k, 0, false);
    }
  fstr_flush (p, &fs);
  HsExpr *e = new_expr (p, HS_EXPR_JOINEDSTR, whole);
  e->u.joinedstr.values = vec_exprs (p, &fs.values);
  return e;
}

/* ---- expressions --------------------------------------------------------- */

static HsExpr *parse_expression (Parser *p);
static HsExpr *parse_named_expression (Parser *p);
static HsExpr *parse_disjunction (Parser *p);
static HsExpr *parse_bitwise_or (Parser *p);
static HsExpr *parse_star_targets (Parser *p);
static HsArguments *parse_parameters (Parser *p, bool lambda, HsTokKind closer);

static void
shift_positions_cb (HsPos *pos, uint32_t lines, int32_t cols)
{
  if (pos->lineno == 1)
    pos->col_offset = (uint32_t) ((int32_t) pos->col_offset + cols);
  if (pos->end_lineno == 1)
    pos->end_col_offset = (uint32_t) ((int32_t) pos->end_col_offset + cols);
  pos->lineno += lines;
  pos->end_lineno += lines;
}

static void shift_seq (HsExprSeq *s, uint32_t lines, int32_t cols);

static void
shift_args (HsArguments *a, uint32_t lines, int32_t cols)
{
  if (a == NULL)
    return;
  for (size_t i = 0; i < a->n_args; i++)
    shift_positions_cb (&a->args[i].pos, lines, cols);
  for (size_t i = 0; i < a->n_defaults; i++)
    shift_positions (a->defaults[i], lines, cols);
  if (a->vararg)
    shift_positions_cb (&a->vararg->pos, lines, cols);
  for (size_t i = 0; i < a->n_kwonly; i++)
    {
      shift_positions_cb (&a->kwonly[i].pos, lines, cols);
      shift_positions (a->kw_defaults[i], lines, cols);
    }
  if (a->kwarg)
    shift_positions_cb (&a->kwarg->pos, lines, cols);
}

static void
shift_positions (HsExpr *e, uint32_t lines, int32_t cols)
{
  if (e == NULL)
    return;
  shift_positions_cb (&e->pos, lines, cols);
  switch (e->kind)
    {
    case HS_EXPR_CONST: case HS_EXPR_NAME: break;
    case HS_EXPR_BINOP:
      shift_positions (e->u.binop.left, lines, cols);
      shift_positions (e->u.binop.right, lines, cols);
      break;
    case HS_EXPR_UNARYOP: shift_positions (e->u.unaryop.operand, lines, cols); break;
    case HS_EXPR_BOOLOP: shift_seq (&e->u.boolop.values, lines, cols); break;
    case HS_EXPR_COMPARE:
      shift_positions (e->u.compare.left, lines, cols);
      for (size_t i = 0; i < e->u.compare.n; i++)
        shift_positions (e->u.compare.comparators[i], lines, cols);
      break;
    case HS_EXPR_CALL:
      shift_positions (e->u.call.func, lines, cols);
      shift_seq (&e->u.call.args, lines, cols);
      for (size_t i = 0; i < e->u.call.n_keywords; i++)
        {
          shift_positions_cb (&e->u.call.keywords[i].pos, lines, cols);
          shift_positions (e->u.call.keywords[i].value, lines, cols);
        }
      break;
    case HS_EXPR_ATTRIBUTE: shift_positions (e->u.attribute.value, lines, cols); break;
    case HS_EXPR_SUBSCRIPT:
      shift_positions (e->u.subscript.value, lines, cols);
      shift_positions (e->u.subscript.slice, lines, cols);
      break;
    case HS_EXPR_SLICE:
      shift_positions (e->u.slice.lower, lines, cols);
      shift_positions (e->u.slice.upper, lines, cols);
      shift_positions (e->u.slice.step, lines, cols);
      break;
    case HS_EXPR_STARRED: shift_positions (e->u.starred.value, lines, cols); break;
    case HS_EXPR_LIST: case HS_EXPR_TUPLE: case HS_EXPR_SET:
      shift_seq (&e->u.seq.elts, lines, cols);
      break;
    case HS_EXPR_DICT:
      shift_seq (&e->u.dict.keys, lines, cols);
      shift_seq (&e->u.dict.values, lines, cols);
      break;
    case HS_EXPR_LISTCOMP: case HS_EXPR_SETCOMP: case HS_EXPR_DICTCOMP: case HS_EXPR_GENEXP:
      shift_positions (e->u.comp.elt, lines, cols);
      shift_positions (e->u.comp.value, lines, cols);
      for (size_t i = 0; i < e->u.comp.n_generators; i++)
        {
          shift_positions (e->u.comp.generators[i].target, lines, cols);
          shift_positions (e->u.comp.generators[i].iter, lines, cols);
          shift_seq (&e->u.comp.generators[i].ifs, lines, cols);
        }
      break;
    case HS_EXPR_LAMBDA:
      shift_args (e->u.lambda.args, lines, cols);
      shift_positions (e->u.lambda.body, lines, cols);
      break;
    case HS_EXPR_IFEXP:
      shift_positions (e->u.ifexp.test, lines, cols);
      shift_positions (e->u.ifexp.body, lines, cols);
      shift_positions (e->u.ifexp.orelse, lines, cols);
      break;
    case HS_EXPR_JOINEDSTR: shift_seq (&e->u.joinedstr.values, lines, cols); break;
    case HS_EXPR_FORMATTED:
      shift_positions (e->u.formatted.value, lines, cols);
      shift_positions (e->u.formatted.format_spec, lines, cols);
      break;
    case HS_EXPR_NAMEDEXPR:
      shift_positions (e->u.namedexpr.target, lines, cols);
      shift_positions (e->u.namedexpr.value, lines, cols);
      break;
    }
}

static void
shift_seq (HsExprSeq *s, uint32_t lines, int32_t cols)
{
  for (size_t i = 0; i < s->n; i++)
    shift_positions (s->items[i], lines, cols);
}

/* Tokens that can start an expression. */
static bool
starts_expression (HsTokKind k)
{
  switch (k)
    {
    case HS_TOK_NAME: case HS_TOK_NUMBER: case HS_TOK_STRING: case HS_TOK_LPAR:
    case HS_TOK_LSQB: case HS_TOK_LBRACE: case HS_TOK_MINUS: case HS_TOK_PLUS:
    case HS_TOK_TILDE: case HS_TOK_KW_NOT: case HS_TOK_KW_LAMBDA: case HS_TOK_KW_NONE:
    case HS_TOK_KW_TRUE: case HS_TOK_KW_FALSE: case HS_TOK_ELLIPSIS: case HS_TOK_KW_AWAIT:
      return true;
    default:
      return false;
    }
}

/* Runs fn speculatively: the result, or NULL (and the position restored)
 * when it fails.  Tokenizer errors still report for real. */
typedef HsExpr *(*ParseFn) (Parser *p);

static HsExpr *
try_parse (Parser *p, ParseFn fn)
{
  jmp_buf jb;
  jmp_buf *saved = p->spec_jb;
  size_t pos = p->pos;
  int depth = *p->depth;
  HsExpr *volatile r = NULL;
  p->spec_jb = &jb;
  if (setjmp (jb) == 0)
    r = fn (p);
  else
    {
      r = NULL;
      p->pos = pos;
      *p->depth = depth;
    }
  p->spec_jb = saved;
  return r;
}

static bool
is_name (const HsExpr *e, const char *id)
{
  return e->kind == HS_EXPR_NAME && strcmp (e->u.name.id, id) == 0;
}

/* What CPython's second pass says about an expression followed by another
 * one ("a b"): a missing comma inside brackets, a Python 2 print, or a plain
 * "invalid syntax" at the second one. */
static HsExpr *
try_parse_plain (Parser *p, ParseFn fn)
{
  bool saved = p->no_invalid;
  p->no_invalid = true;
  HsExpr *r = try_parse (p, fn);
  p->no_invalid = saved;
  return r;
}

static void
check_juxtaposed (Parser *p, HsExpr *a, HsToken *a_first)
{
  if (p->no_invalid || !starts_expression (kind (p)))
    return;
  size_t fill_before = p->fill;
  size_t save = p->pos;
  HsToken *after_a = cur (p);
  bool name_string = a_first->kind == HS_TOK_NAME && a->kind == HS_EXPR_NAME
                     && after_a->kind == HS_TOK_STRING
                     && a->pos.end_col_offset == a_first->end_col && a->pos.lineno == a_first->lineno;
  if (a->kind == HS_EXPR_NAME && (is_name (a, "print") || is_name (a, "exec"))
      && after_a->kind != HS_TOK_LPAR)
    {
      HsExpr *b = try_parse_plain (p, parse_star_expressions);
      if (b != NULL)
        error_at_pos (p, pos_join (a->pos, b->pos),
                      "Missing parentheses in call to '%s'. Did you mean %s(...)?",
                      a->u.name.id, a->u.name.id);
      p->pos = save;
    }
  bool soft_kw = a_first->kind == HS_TOK_NAME && a->kind == HS_EXPR_NAME
                 && (is_name (a, "match") || is_name (a, "case") || is_name (a, "_"));
  if (!name_string && !soft_kw)
    {
      HsExpr *b = try_parse_plain (p, parse_expression);
      if (b != NULL && prev (p)->level > 0)
        error_at_pos (p, pos_join (a->pos, b->pos), "invalid syntax. Perhaps you forgot a comma?");
      p->pos = save;
    }
  HsToken *t = tokp (p, fill_before - 1);
  error_range (p, "SyntaxError", t->lineno, t->col, t->end_lineno, t->end_col, "invalid syntax");
}

static HsExpr *
make_name (Parser *p, HsToken *t)
{
  HsExpr *e = new_expr (p, HS_EXPR_NAME, pos_tokens (t, t));
  e->u.name.id = tok_str (p, t);
  e->u.name.ctx = HS_CTX_LOAD;
  return e;
}

static HsExpr *
make_tuple (Parser *p, Vec *v, HsPos pos)
{
  HsExpr *t = new_expr (p, HS_EXPR_TUPLE, pos);
  t->u.seq.elts = vec_exprs (p, v);
  t->u.seq.ctx = HS_CTX_LOAD;
  return t;
}

/* for_if_clauses; the current token is 'for'. */
static void
parse_comprehension_clauses (Parser *p, HsExpr *comp)
{
  Buf gens;
  buf_init (&gens, sizeof (HsComprehension));
  while (kind (p) == HS_TOK_KW_FOR || kind (p) == HS_TOK_KW_ASYNC)
    {
      if (kind (p) == HS_TOK_KW_ASYNC)
        syntax_error_generic (p);
      advance (p);
      HsComprehension *g = buf_push (p, &gens);
      HsToken *tfirst = cur (p);
      HsExpr *target = parse_star_targets (p);
      if (kind (p) != HS_TOK_KW_IN)
        {
          /* "for x y in": CPython reads the target as expressions first */
          HsExpr *last = target->kind == HS_EXPR_TUPLE && target->u.seq.elts.n > 0
                         ? target->u.seq.elts.items[target->u.seq.elts.n - 1] : target;
          check_juxtaposed (p, last, last == target ? tfirst : cur (p));
          syntax_error_generic (p);
        }
      make_target (p, target, TARGETS_FOR);
      advance (p);
      g->target = target;
      g->iter = parse_disjunction (p);
      Vec ifs;
      vec_init (&ifs);
      while (kind (p) == HS_TOK_KW_IF)
        {
          advance (p);
          vec_push (p, &ifs, parse_disjunction (p));
        }
      g->ifs = vec_exprs (p, &ifs);
    }
  comp->u.comp.n_generators = gens.n;
  comp->u.comp.generators = (HsComprehension *) gens.data;
}

/* The checks CPython's invalid_named_expression makes when a named
 * expression is followed by '=' where '=' cannot be. */
static void
check_named_eq (Parser *p, HsExpr *e, HsToken *first)
{
  if (p->no_invalid || kind (p) != HS_TOK_EQUAL)
    return;
  size_t save = p->pos;
  size_t fill_before = p->fill;
  advance (p);
  HsExpr *b = try_parse_plain (p, parse_bitwise_or);
  bool ok = b != NULL && kind (p) != HS_TOK_EQUAL && kind (p) != HS_TOK_COLONEQUAL;
  p->pos = save;
  if (ok)
    {
      if (e->kind == HS_EXPR_NAME && first->kind == HS_TOK_NAME
          && e->pos.col_offset == first->col && e->pos.lineno == first->lineno
          && e->pos.end_col_offset == first->end_col)
        error_at_pos (p, pos_join (e->pos, b->pos),
                      "invalid syntax. Maybe you meant '==' or ':=' instead of '='?");
      /* !(list|tuple|genexp|True|None|False) bitwise_or */
      bool excluded = false;
      HsExpr *l = e;
      for (;;)
        {
          if (l->kind == HS_EXPR_BINOP) l = l->u.binop.left;
          else if (l->kind == HS_EXPR_CALL) l = l->u.call.func;
          else if (l->kind == HS_EXPR_ATTRIBUTE) l = l->u.attribute.value;
          else if (l->kind == HS_EXPR_SUBSCRIPT) l = l->u.subscript.value;
          else break;
        }
      bool at_first = l->pos.lineno == first->lineno && l->pos.col_offset == first->col;
      if (first->kind == HS_TOK_KW_TRUE || first->kind == HS_TOK_KW_FALSE
          || first->kind == HS_TOK_KW_NONE)
        excluded = true;
      else if (first->kind == HS_TOK_LSQB && at_first && l->kind == HS_EXPR_LIST)
        excluded = true;
      else if (first->kind == HS_TOK_LPAR && at_first
               && (l->kind == HS_EXPR_TUPLE || l->kind == HS_EXPR_GENEXP))
        excluded = true;
      bool parenthesized = first->kind == HS_TOK_LPAR && !(e->pos.lineno == first->lineno
                                                           && e->pos.col_offset == first->col);
      bool bitor_level = parenthesized
                         || !(e->kind == HS_EXPR_COMPARE || e->kind == HS_EXPR_BOOLOP
                              || (e->kind == HS_EXPR_UNARYOP && e->u.unaryop.op == HS_UNOP_NOT)
                              || e->kind == HS_EXPR_IFEXP || e->kind == HS_EXPR_LAMBDA
                              || e->kind == HS_EXPR_NAMEDEXPR || e->kind == HS_EXPR_STARRED);
      if (!excluded && bitor_level)
        error_at_pos (p, e->pos, "cannot assign to %s here. Maybe you meant '==' instead of '='?",
                      expr_name (e));
    }
  (void) fill_before;
}

/* '(' ... ')': group, tuple, generator expression, or yield. */
static HsExpr *
parse_paren (Parser *p)
{
  HsToken *open = advance (p);
  if (accept (p, HS_TOK_RPAR))
    {
      Vec v;
      vec_init (&v);
      return make_tuple (p, &v, pos_from (p, open));
    }
  if (kind (p) == HS_TOK_KW_YIELD)
    syntax_error_last (p, "'yield' is not supported by this runtime");
  HsToken *first = cur (p);
  HsExpr *e;
  if (kind (p) == HS_TOK_STAR)
    {
      HsToken *st = advance (p);
      HsExpr *v = parse_bitwise_or (p);
      e = new_expr (p, HS_EXPR_STARRED, pos_from (p, st));
      e->u.starred.value = v;
    }
  else
    {
      e = parse_named_expression (p);
      check_named_eq (p, e, first);
    }
  if (kind (p) == HS_TOK_KW_FOR)
    {
      if (e->kind == HS_EXPR_STARRED)
        error_at_pos (p, e->pos, "iterable unpacking cannot be used in comprehension");
      HsExpr *g = new_expr (p, HS_EXPR_GENEXP, e->pos);
      g->u.comp.elt = e;
      parse_comprehension_clauses (p, g);
      expect (p, HS_TOK_RPAR);
      g->pos = pos_from (p, open);
      return g;
    }
  if (kind (p) == HS_TOK_COMMA)
    {
      Vec v;
      vec_init (&v);
      vec_push (p, &v, e);
      while (accept (p, HS_TOK_COMMA))
        {
          if (kind (p) == HS_TOK_RPAR)
            break;
          HsToken *f = cur (p);
          if (kind (p) == HS_TOK_STAR)
            {
              HsToken *st = advance (p);
              HsExpr *val = parse_bitwise_or (p);
              HsExpr *s = new_expr (p, HS_EXPR_STARRED, pos_from (p, st));
              s->u.starred.value = val;
              vec_push (p, &v, s);
            }
          else
            {
              HsExpr *x = parse_named_expression (p);
              check_named_eq (p, x, f);
              vec_push (p, &v, x);
            }
        }
      expect (p, HS_TOK_RPAR);
      return make_tuple (p, &v, pos_from (p, open));
    }
  if (e->kind == HS_EXPR_STARRED)
    {
      /* "(*a)": CPython: cannot use starred expression here */
      if (kind (p) == HS_TOK_RPAR)
        error_at_pos (p, e->pos, "cannot use starred expression here");
    }
  expect (p, HS_TOK_RPAR);
  return e;
}

/* '[' ... ']': list display or comprehension. */
static HsExpr *
parse_list (Parser *p)
{
  HsToken *open = advance (p);
  Vec v;
  vec_init (&v);
  if (accept (p, HS_TOK_RSQB))
    {
      HsExpr *l = new_expr (p, HS_EXPR_LIST, pos_from (p, open));
      l->u.seq.ctx = HS_CTX_LOAD;
      return l;
    }
  for (;;)
    {
      HsToken *f = cur (p);
      HsExpr *x;
      if (kind (p) == HS_TOK_STAR)
        {
          HsToken *st = advance (p);
          HsExpr *val = parse_bitwise_or (p);
          x = new_expr (p, HS_EXPR_STARRED, pos_from (p, st));
          x->u.starred.value = val;
        }
      else
        {
          x = parse_named_expression (p);
          check_named_eq (p, x, f);
        }
      if (v.n == 0 && kind (p) == HS_TOK_KW_FOR && x->kind == HS_EXPR_STARRED)
        error_at_pos (p, x->pos, "iterable unpacking cannot be used in comprehension");
      if (v.n == 0 && kind (p) == HS_TOK_KW_FOR && x->kind != HS_EXPR_STARRED)
        {
          HsExpr *c = new_expr (p, HS_EXPR_LISTCOMP, x->pos);
          c->u.comp.elt = x;
          parse_comprehension_clauses (p, c);
          expect (p, HS_TOK_RSQB);
          c->pos = pos_from (p, open);
          return c;
        }
      vec_push (p, &v, x);
      if (!accept (p, HS_TOK_COMMA))
        break;
      if (kind (p) == HS_TOK_RSQB)
        break;
    }
  expect (p, HS_TOK_RSQB);
  HsExpr *l = new_expr (p, HS_EXPR_LIST, pos_from (p, open));
  l->u.seq.elts = vec_exprs (p, &v);
  l->u.seq.ctx = HS_CTX_LOAD;
  return l;
}

/* '{' ... '}': dict, set, or their comprehensions. */
static HsExpr *
parse_brace (Parser *p)
{
  HsToken *open = advance (p);
  if (accept (p, HS_TOK_RBRACE))
    return new_expr (p, HS_EXPR_DICT, pos_from (p, open));
  Vec keys, values;
  vec_init (&keys);
  vec_init (&values);
  bool is_dict;
  /* first item decides */
  if (kind (p) == HS_TOK_DOUBLESTAR)
    {
      is_dict = true;
      HsToken *ds = advance (p);
      vec_push (p, &keys, NULL);
      vec_push (p, &values, parse_bitwise_or (p));
      if (kind (p) == HS_TOK_KW_FOR)
        error_range (p, "SyntaxError", ds->lineno, ds->col, ds->end_lineno, ds->end_col,
                     "dict unpacking cannot be used in dict comprehension");
      if (!accept (p, HS_TOK_COMMA))
        goto close_dict;
    }
  else
    {
      HsToken *f = cur (p);
      HsExpr *x;
      if (kind (p) == HS_TOK_STAR)
        {
          HsToken *st = advance (p);
          HsExpr *val = parse_bitwise_or (p);
          x = new_expr (p, HS_EXPR_STARRED, pos_from (p, st));
          x->u.starred.value = val;
        }
      else
        {
          x = parse_named_expression (p);
          if (kind (p) != HS_TOK_COLON)
            check_named_eq (p, x, f);
        }
      if (kind (p) == HS_TOK_COLON && x->kind != HS_EXPR_STARRED)
        {
          if (x->kind == HS_EXPR_NAMEDEXPR && !(f->kind == HS_TOK_LPAR))
            syntax_error_generic (p);
          advance (p);
          if (kind (p) == HS_TOK_RBRACE || kind (p) == HS_TOK_COMMA)
            {
              HsToken *c = prev (p);
              error_range (p, "SyntaxError", c->lineno, c->col, c->end_lineno, c->end_col,
                           "expression expected after dictionary key and ':'");
            }
          HsExpr *val = parse_expression (p);
          if (kind (p) == HS_TOK_KW_FOR)
            {
              HsExpr *c = new_expr (p, HS_EXPR_DICTCOMP, x->pos);
              c->u.comp.elt = x;
              c->u.comp.value = val;
              parse_comprehension_clauses (p, c);
              expect (p, HS_TOK_RBRACE);
              c->pos = pos_from (p, open);
              return c;
            }
          vec_push (p, &keys, x);
          vec_push (p, &values, val);
          is_dict = true;
          if (!accept (p, HS_TOK_COMMA))
            goto close_dict;
        }
      else
        {
          if (kind (p) == HS_TOK_KW_FOR && x->kind == HS_EXPR_STARRED)
            error_at_pos (p, x->pos, "iterable unpacking cannot be used in comprehension");
          if (kind (p) == HS_TOK_KW_FOR && x->kind != HS_EXPR_STARRED)
            {
              HsExpr *c = new_expr (p, HS_EXPR_SETCOMP, x->pos);
              c->u.comp.elt = x;
              parse_comprehension_clauses (p, c);
              expect (p, HS_TOK_RBRACE);
              c->pos = pos_from (p, open);
              return c;
            }
          vec_push (p, &values, x);
          is_dict = false;
          if (!accept (p, HS_TOK_COMMA))
            goto close_set;
        }
    }
  if (is_dict)
    {
      while (kind (p) != HS_TOK_RBRACE)
        {
          if (kind (p) == HS_TOK_DOUBLESTAR)
            {
              HsToken *ds = advance (p);
              vec_push (p, &keys, NULL);
              vec_push (p, &values, parse_bitwise_or (p));
              if (kind (p) == HS_TOK_KW_FOR && keys.n == 1)
                error_range (p, "SyntaxError", ds->lineno, ds->col, ds->end_lineno, ds->end_col,
                             "dict unpacking cannot be used in dict comprehension");
            }
          else
            {
              HsExpr *k = parse_expression (p);
              if (kind (p) != HS_TOK_COLON)
                error_range (p, "SyntaxError", k->pos.end_lineno, k->pos.end_col_offset - 1,
                             k->pos.end_lineno, UINT32_MAX, "':' expected after dictionary key");
              advance (p);
              if (kind (p) == HS_TOK_RBRACE || kind (p) == HS_TOK_COMMA)
                {
                  HsToken *c = prev (p);
                  error_range (p, "SyntaxError", c->lineno, c->col, c->end_lineno, c->end_col,
                               "expression expected after dictionary key and ':'");
                }
              vec_push (p, &keys, k);
              vec_push (p, &values, parse_expression (p));
            }
          if (!accept (p, HS_TOK_COMMA))
            break;
        }
    close_dict:
      expect (p, HS_TOK_RBRACE);
      HsExpr *d = new_expr (p, HS_EXPR_DICT, pos_from (p, open));
      d->u.dict.keys = vec_exprs (p, &keys);
      d->u.dict.values = vec_exprs (p, &values);
      return d;
    }
  while (kind (p) != HS_TOK_RBRACE)
    {
      HsToken *f = cur (p);
      if (kind (p) == HS_TOK_STAR)
        {
          HsToken *st = advance (p);
          HsExpr *val = parse_bitwise_or (p);
          HsExpr *x = new_expr (p, HS_EXPR_STARRED, pos_from (p, st));
          x->u.starred.value = val;
          vec_push (p, &values, x);
        }
      else
        {
          HsExpr *x = parse_named_expression (p);
          check_named_eq (p, x, f);
          vec_push (p, &values, x);
        }
      if (!accept (p, HS_TOK_COMMA))
        break;
    }
close_set:
  expect (p, HS_TOK_RBRACE);
  HsExpr *s = new_expr (p, HS_EXPR_SET, pos_from (p, open));
  s->u.seq.elts = vec_exprs (p, &values);
  s->u.seq.ctx = HS_CTX_LOAD;
  return s;
}

static HsExpr *
parse_atom (Parser *p)
{
  HsToken *t = cur (p);
  HsExpr *e;
  switch (t->kind)
    {
    case HS_TOK_NAME:
      advance (p);
      return make_name (p, t);
    case HS_TOK_NUMBER:
      advance (p);
      return parse_number (p, t);
    case HS_TOK_STRING:
      return parse_strings (p);
    case HS_TOK_KW_NONE:
    case HS_TOK_KW_TRUE:
    case HS_TOK_KW_FALSE:
    case HS_TOK_ELLIPSIS:
      advance (p);
      e = new_expr (p, HS_EXPR_CONST, pos_tokens (t, t));
      e->u.constant.kind = t->kind == HS_TOK_KW_NONE ? HS_CONST_NONE
                           : t->kind == HS_TOK_KW_TRUE ? HS_CONST_TRUE
                           : t->kind == HS_TOK_KW_FALSE ? HS_CONST_FALSE : HS_CONST_ELLIPSIS;
      return e;
    case HS_TOK_LPAR:
      return parse_paren (p);
    case HS_TOK_LSQB:
      return parse_list (p);
    case HS_TOK_LBRACE:
      return parse_brace (p);
    default:
      syntax_error_generic (p);
    }
}

/* One slice or expression inside [ ]. */
static HsExpr *
parse_slice (Parser *p)
{
  HsToken *first = cur (p);
  HsExpr *lower = NULL;
  if (kind (p) != HS_TOK_COLON)
    {
      if (kind (p) == HS_TOK_STAR)
        {
          HsToken *st = advance (p);
          HsExpr *v = parse_bitwise_or (p);
          HsExpr *s = new_expr (p, HS_EXPR_STARRED, pos_from (p, st));
          s->u.starred.value = v;
          return s;
        }
      lower = parse_named_expression (p);
      if (kind (p) != HS_TOK_COLON)
        {
          check_named_eq (p, lower, first);
          return lower;
        }
      if (lower->kind == HS_EXPR_NAMEDEXPR && first->kind != HS_TOK_LPAR)
        syntax_error_generic (p);
    }
  expect (p, HS_TOK_COLON);
  HsExpr *upper = NULL, *step = NULL;
  if (kind (p) != HS_TOK_COLON && kind (p) != HS_TOK_COMMA && kind (p) != HS_TOK_RSQB)
    upper = parse_expression (p);
  if (accept (p, HS_TOK_COLON))
    {
      if (kind (p) != HS_TOK_COMMA && kind (p) != HS_TOK_RSQB)
        step = parse_expression (p);
    }
  HsExpr *s = new_expr (p, HS_EXPR_SLICE, pos_from (p, first));
  s->u.slice.lower = lower;
  s->u.slice.upper = upper;
  s->u.slice.step = step;
  return s;
}

static void
parse_call_args (Parser *p, HsExpr *call, HsToken *open)
{
  Vec args;
  vec_init (&args);
  Buf kws;
  buf_init (&kws, sizeof (HsKeyword));
  bool seen_kw = false, seen_kwunpack = false;
  const char *late_error = NULL;   /* CPython reports these after reading all arguments */
  while (kind (p) != HS_TOK_RPAR)
    {
      HsToken *f = cur (p);
      if (kind (p) == HS_TOK_STAR)
        {
          if (seen_kwunpack)
            syntax_error_last (p, "iterable argument unpacking follows keyword argument unpacking");
          advance (p);
          HsExpr *v = parse_expression (p);
          HsExpr *s = new_expr (p, HS_EXPR_STARRED, pos_from (p, f));
          s->u.starred.value = v;
          vec_push (p, &args, s);
        }
      else if (kind (p) == HS_TOK_DOUBLESTAR)
        {
          advance (p);
          HsExpr *v = parse_expression (p);
          HsKeyword *k = buf_push (p, &kws);
          k->arg = NULL;
          k->value = v;
          k->pos = pos_from (p, f);
          seen_kwunpack = true;
        }
      else if (kind (p) == HS_TOK_NAME && kind_at (p, 1) == HS_TOK_EQUAL)
        {
          advance (p);
          HsToken *eq = advance (p);
          HsExpr *v = parse_expression (p);
          if (kind (p) == HS_TOK_KW_FOR)
            error_range (p, "SyntaxError", f->lineno, f->col, eq->end_lineno, eq->end_col,
                         "invalid syntax. Maybe you meant '==' or ':=' instead of '='?");
          HsKeyword *k = buf_push (p, &kws);
          k->arg = tok_str (p, f);
          k->value = v;
          k->pos = pos_from (p, f);
          seen_kw = true;
        }
      else if ((kind (p) == HS_TOK_KW_TRUE || kind (p) == HS_TOK_KW_FALSE
                || kind (p) == HS_TOK_KW_NONE) && kind_at (p, 1) == HS_TOK_EQUAL)
        {
          HsToken *eq = tok_at (p, 1);
          error_range (p, "SyntaxError", f->lineno, f->col, eq->end_lineno, eq->end_col,
                       "cannot assign to %s", hs_token_kind_name (f->kind));
        }
      else
        {
          HsExpr *e;
          if (kind (p) == HS_TOK_NAME && kind_at (p, 1) == HS_TOK_COLONEQUAL)
            e = parse_named_expression (p);
          else
            e = parse_expression (p);
          if (kind (p) == HS_TOK_EQUAL)
            {
              HsToken *eq = cur (p);
              error_range (p, "SyntaxError", e->pos.lineno, e->pos.col_offset, eq->end_lineno,
                           eq->end_col,
                           "expression cannot contain assignment, perhaps you meant \"==\"?");
            }
          if (kind (p) == HS_TOK_KW_FOR)
            {
              HsExpr *g = new_expr (p, HS_EXPR_GENEXP, e->pos);
              g->u.comp.elt = e;
              parse_comprehension_clauses (p, g);
              if (args.n == 0 && kws.n == 0 && kind (p) == HS_TOK_RPAR)
                {
                  /* the sole argument: the call's parentheses are its own */
                  advance (p);
                  g->pos = pos_from (p, open);
                  p->pos--;
                  vec_push (p, &args, g);
                  break;
                }
              error_at_pos (p, pos_from_pos (p, e->pos),
                            "Generator expression must be parenthesized");
            }
          if (late_error == NULL && seen_kwunpack)
            late_error = "positional argument follows keyword argument unpacking";
          else if (late_error == NULL && seen_kw)
            late_error = "positional argument follows keyword argument";
          vec_push (p, &args, e);
        }
      if (!accept (p, HS_TOK_COMMA))
        break;
    }
  if (late_error != NULL)
    {
      cur (p);
      syntax_error_last (p, "%s", late_error);
    }
  expect (p, HS_TOK_RPAR);
  call->u.call.args = vec_exprs (p, &args);
  call->u.call.n_keywords = kws.n;
  call->u.call.keywords = (HsKeyword *) kws.data;
}

static HsExpr *
parse_primary (Parser *p)
{
  HsToken *start = cur (p);
  HsExpr *e = parse_atom (p);
  for (;;)
    {
      HsTokKind k = kind (p);
      if (k == HS_TOK_DOT)
        {
          advance (p);
          if (kind (p) != HS_TOK_NAME)
            syntax_error_generic (p);
          HsToken *n = advance (p);
          HsExpr *a = new_expr (p, HS_EXPR_ATTRIBUTE, pos_from (p, start));
          a->u.attribute.value = e;
          a->u.attribute.attr = tok_str (p, n);
          a->u.attribute.ctx = HS_CTX_LOAD;
          e = a;
        }
      else if (k == HS_TOK_LPAR)
        {
          HsToken *open = advance (p);
          enter (p);
          HsExpr *c = new_expr (p, HS_EXPR_CALL, e->pos);
          c->u.call.func = e;
          parse_call_args (p, c, open);
          leave (p);
          c->pos = pos_from (p, start);
          e = c;
        }
      else if (k == HS_TOK_LSQB)
        {
          HsToken *open = advance (p);
          enter (p);
          HsToken *slice_start = cur (p);
          HsExpr *first = parse_slice (p);
          HsExpr *slice = first;
          if (kind (p) == HS_TOK_COMMA)
            {
              Vec v;
              vec_init (&v);
              vec_push (p, &v, first);
              while (accept (p, HS_TOK_COMMA))
                {
                  if (kind (p) == HS_TOK_RSQB)
                    break;
                  vec_push (p, &v, parse_slice (p));
                }
              slice = make_tuple (p, &v, pos_from (p, slice_start));
            }
          else if (first->kind == HS_EXPR_STARRED)
            {
              Vec v;
              vec_init (&v);
              vec_push (p, &v, first);
              slice = make_tuple (p, &v, first->pos);
            }
          expect (p, HS_TOK_RSQB);
          leave (p);
          (void) open;
          HsExpr *s = new_expr (p, HS_EXPR_SUBSCRIPT, pos_from (p, start));
          s->u.subscript.value = e;
          s->u.subscript.slice = slice;
          s->u.subscript.ctx = HS_CTX_LOAD;
          e = s;
        }
      else
        return e;
    }
}

static HsExpr *parse_factor (Parser *p);

static HsExpr *
parse_power (Parser *p)
{
  if (kind (p) == HS_TOK_KW_AWAIT)
    syntax_error_generic (p);
  HsToken *start = cur (p);
  HsExpr *e = parse_primary (p);
  if (kind (p) == HS_TOK_DOUBLESTAR)
    {
      advance (p);
      enter (p);
      HsExpr *r = parse_factor (p);
      leave (p);
      HsExpr *b = new_expr (p, HS_EXPR_BINOP, pos_from (p, start));
      b->u.binop.op = HS_BINOP_POW;
      b->u.binop.left = e;
      b->u.binop.right = r;
      return b;
    }
  return e;
}

static HsExpr *
parse_factor (Parser *p)
{
  HsTokKind k = kind (p);
  if (k == HS_TOK_PLUS || k == HS_TOK_MINUS || k == HS_TOK_TILDE)
    {
      HsToken *t = advance (p);
      enter (p);
      HsExpr *operand = parse_factor (p);
      leave (p);
      HsExpr *u = new_expr (p, HS_EXPR_UNARYOP, pos_from (p, t));
      u->u.unaryop.op = k == HS_TOK_PLUS ? HS_UNOP_POS : k == HS_TOK_MINUS ? HS_UNOP_NEG
                                                                            : HS_UNOP_INVERT;
      u->u.unaryop.operand = operand;
      return u;
    }
  return parse_power (p);
}

/* Node positions cover the tokens the rule matched, so a parenthesized
 * operand's parentheses are inside its parent's range, as in CPython. */
static HsExpr *
binop (Parser *p, HsToken *start, HsBinaryOp op, HsExpr *l, HsExpr *r)
{
  HsExpr *b = new_expr (p, HS_EXPR_BINOP, pos_from (p, start));
  b->u.binop.op = op;
  b->u.binop.left = l;
  b->u.binop.right = r;
  return b;
}

static HsExpr *
parse_term (Parser *p)
{
  HsToken *start = cur (p);
  HsExpr *e = parse_factor (p);
  for (;;)
    {
      HsBinaryOp op;
      switch (kind (p))
        {
        case HS_TOK_STAR: op = HS_BINOP_MUL; break;
        case HS_TOK_SLASH: op = HS_BINOP_TRUEDIV; break;
        case HS_TOK_DOUBLESLASH: op = HS_BINOP_FLOORDIV; break;
        case HS_TOK_PERCENT: op = HS_BINOP_MOD; break;
        case HS_TOK_AT: op = HS_BINOP_MATMUL; break;
        default: return e;
        }
      advance (p);
      e = binop (p, start, op, e, parse_factor (p));
    }
}

static HsExpr *
parse_sum (Parser *p)
{
  HsToken *start = cur (p);
  HsExpr *e = parse_term (p);
  for (;;)
    {
      HsBinaryOp op;
      if (kind (p) == HS_TOK_PLUS) op = HS_BINOP_ADD;
      else if (kind (p) == HS_TOK_MINUS) op = HS_BINOP_SUB;
      else return e;
      advance (p);
      e = binop (p, start, op, e, parse_term (p));
    }
}

static HsExpr *
parse_shift (Parser *p)
{
  HsToken *start = cur (p);
  HsExpr *e = parse_sum (p);
  for (;;)
    {
      HsBinaryOp op;
      if (kind (p) == HS_TOK_LEFTSHIFT) op = HS_BINOP_LSHIFT;
      else if (kind (p) == HS_TOK_RIGHTSHIFT) op = HS_BINOP_RSHIFT;
      else return e;
      advance (p);
      e = binop (p, start, op, e, parse_sum (p));
    }
}

static HsExpr *
parse_bitand (Parser *p)
{
  HsToken *start = cur (p);
  HsExpr *e = parse_shift (p);
  while (kind (p) == HS_TOK_AMPER)
    {
      advance (p);
      e = binop (p, start, HS_BINOP_AND, e, parse_shift (p));
    }
  return e;
}

static HsExpr *
parse_bitxor (Parser *p)
{
  HsToken *start = cur (p);
  HsExpr *e = parse_bitand (p);
  while (kind (p) == HS_TOK_CIRCUMFLEX)
    {
      advance (p);
      e = binop (p, start, HS_BINOP_XOR, e, parse_bitand (p));
    }
  return e;
}

static HsExpr *
parse_bitwise_or (Parser *p)
{
  enter (p);
  HsToken *start = cur (p);
  HsExpr *e = parse_bitxor (p);
  while (kind (p) == HS_TOK_VBAR)
    {
      advance (p);
      e = binop (p, start, HS_BINOP_OR, e, parse_bitxor (p));
    }
  leave (p);
  return e;
}

static bool
comparison_op (Parser *p, HsCmpOpKind *op, int *ntoks)
{
  *ntoks = 1;
  switch (kind (p))
    {
    case HS_TOK_LESS: *op = HS_CMPOP_LT; return true;
    case HS_TOK_LESSEQUAL: *op = HS_CMPOP_LE; return true;
    case HS_TOK_EQEQUAL: *op = HS_CMPOP_EQ; return true;
    case HS_TOK_NOTEQUAL:
      if (p->src[cur (p)->start] == '<')
        syntax_error_last (p, "invalid syntax");
      *op = HS_CMPOP_NE;
      return true;
    case HS_TOK_GREATER: *op = HS_CMPOP_GT; return true;
    case HS_TOK_GREATEREQUAL: *op = HS_CMPOP_GE; return true;
    case HS_TOK_KW_IN: *op = HS_CMPOP_IN; return true;
    case HS_TOK_KW_IS:
      if (kind_at (p, 1) == HS_TOK_KW_NOT)
        {
          *op = HS_CMPOP_IS_NOT;
          *ntoks = 2;
        }
      else
        *op = HS_CMPOP_IS;
      return true;
    case HS_TOK_KW_NOT:
      if (kind_at (p, 1) == HS_TOK_KW_IN)
        {
          *op = HS_CMPOP_NOT_IN;
          *ntoks = 2;
          return true;
        }
      return false;
    default:
      return false;
    }
}

static HsExpr *
parse_comparison (Parser *p)
{
  HsToken *start = cur (p);
  HsExpr *e = parse_bitwise_or (p);
  HsCmpOpKind op;
  int nt;
  if (!comparison_op (p, &op, &nt))
    return e;
  Buf ops;
  buf_init (&ops, sizeof (HsCmpOpKind));
  Vec comps;
  vec_init (&comps);
  while (comparison_op (p, &op, &nt))
    {
      p->pos += (size_t) nt;
      *(HsCmpOpKind *) buf_push (p, &ops) = op;
      vec_push (p, &comps, parse_bitwise_or (p));
    }
  HsExpr *c = new_expr (p, HS_EXPR_COMPARE, pos_from (p, start));
  c->u.compare.left = e;
  c->u.compare.n = ops.n;
  c->u.compare.ops = (HsCmpOpKind *) ops.data;
  c->u.compare.comparators = (HsExpr **) vec_finish (p, &comps);
  return c;
}

static HsExpr *
parse_inversion (Parser *p)
{
  if (kind (p) == HS_TOK_KW_NOT)
    {
      HsToken *t = advance (p);
      enter (p);
      HsExpr *operand = parse_inversion (p);
      leave (p);
      HsExpr *u = new_expr (p, HS_EXPR_UNARYOP, pos_from (p, t));
      u->u.unaryop.op = HS_UNOP_NOT;
      u->u.unaryop.operand = operand;
      return u;
    }
  return parse_comparison (p);
}

static HsExpr *
parse_boolop (Parser *p, HsTokKind tk, HsBoolOpKind op, HsExpr *(*sub) (Parser *))
{
  HsToken *start = cur (p);
  HsExpr *e = sub (p);
  if (kind (p) != tk)
    return e;
  Vec v;
  vec_init (&v);
  vec_push (p, &v, e);
  while (accept (p, tk))
    vec_push (p, &v, sub (p));
  HsExpr *b = new_expr (p, HS_EXPR_BOOLOP, pos_from (p, start));
  b->u.boolop.op = op;
  b->u.boolop.values = vec_exprs (p, &v);
  return b;
}

static HsExpr *
parse_conjunction (Parser *p)
{
  return parse_boolop (p, HS_TOK_KW_AND, HS_BOOL_AND, parse_inversion);
}

static HsExpr *
parse_disjunction (Parser *p)
{
  return parse_boolop (p, HS_TOK_KW_OR, HS_BOOL_OR, parse_conjunction);
}

static HsExpr *
parse_lambda (Parser *p)
{
  HsToken *t = advance (p);
  HsArguments *args = parse_parameters (p, true, HS_TOK_COLON);
  expect (p, HS_TOK_COLON);
  HsExpr *body = parse_expression (p);
  HsExpr *l = new_expr (p, HS_EXPR_LAMBDA, pos_from (p, t));
  l->u.lambda.args = args;
  l->u.lambda.body = body;
  return l;
}

static HsExpr *
parse_expression (Parser *p)
{
  enter (p);
  if (kind (p) == HS_TOK_KW_LAMBDA)
    {
      HsExpr *l = parse_lambda (p);
      leave (p);
      return l;
    }
  HsToken *first = cur (p);
  HsExpr *e = parse_disjunction (p);
  if (kind (p) == HS_TOK_KW_IF)
    {
      size_t if_pos = p->pos;
      advance (p);
      HsExpr *test = parse_disjunction (p);
      if (kind (p) != HS_TOK_KW_ELSE && p->no_invalid)
        {
          /* a plain disjunction, as the PEG parser would backtrack to */
          p->pos = if_pos;
          leave (p);
          return e;
        }
      if (kind (p) != HS_TOK_KW_ELSE)
        {
          if (kind (p) == HS_TOK_COLON)
            syntax_error_generic (p);
          error_at_pos (p, pos_join (e->pos, test->pos), "expected 'else' after 'if' expression");
        }
      advance (p);
      HsExpr *orelse = parse_expression (p);
      HsExpr *c = new_expr (p, HS_EXPR_IFEXP, pos_from (p, first));
      c->u.ifexp.test = test;
      c->u.ifexp.body = e;
      c->u.ifexp.orelse = orelse;
      e = c;
    }
  else
    check_juxtaposed (p, e, first);
  leave (p);
  return e;
}

static HsExpr *
parse_named_expression (Parser *p)
{
  if (kind (p) == HS_TOK_NAME && kind_at (p, 1) == HS_TOK_COLONEQUAL)
    {
      HsToken *t = advance (p);
      advance (p);
      HsExpr *target = make_name (p, t);
      target->u.name.ctx = HS_CTX_STORE;
      HsExpr *value = parse_expression (p);
      HsExpr *n = new_expr (p, HS_EXPR_NAMEDEXPR, pos_join (target->pos, value->pos));
      n->u.namedexpr.target = target;
      n->u.namedexpr.value = value;
      return n;
    }
  HsExpr *e = parse_expression (p);
  if (kind (p) == HS_TOK_COLONEQUAL)
    error_at_pos (p, e->pos, "cannot use assignment expressions with %s", expr_name (e));
  return e;
}

/* star_expression: '*' bitwise_or | expression */
static HsExpr *
parse_star_expression (Parser *p)
{
  if (kind (p) == HS_TOK_STAR)
    {
      HsToken *st = advance (p);
      HsExpr *v = parse_bitwise_or (p);
      HsExpr *s = new_expr (p, HS_EXPR_STARRED, pos_from (p, st));
      s->u.starred.value = v;
      s->u.starred.ctx = HS_CTX_LOAD;
      return s;
    }
  return parse_expression (p);
}

static bool
ends_star_expressions (HsTokKind k)
{
  return !starts_expression (k) && k != HS_TOK_STAR && k != HS_TOK_KW_AWAIT;
}

/* star_expressions: a tuple when there is a comma. */
static HsExpr *
parse_star_expressions (Parser *p)
{
  HsToken *start = cur (p);
  HsExpr *e = parse_star_expression (p);
  if (kind (p) != HS_TOK_COMMA)
    return e;
  Vec v;
  vec_init (&v);
  vec_push (p, &v, e);
  while (accept (p, HS_TOK_COMMA))
    {
      if (ends_star_expressions (kind (p)))
        break;
      vec_push (p, &v, parse_star_expression (p));
    }
  return make_tuple (p, &v, pos_from (p, start));
}

/* star_targets as in 'for' (no comparisons, so 'in' ends them). */
static HsExpr *
parse_star_target (Parser *p)
{
  if (kind (p) == HS_TOK_STAR)
    {
      HsToken *st = advance (p);
      HsExpr *v = parse_bitwise_or (p);
      HsExpr *s = new_expr (p, HS_EXPR_STARRED, pos_from (p, st));
      s->u.starred.value = v;
      return s;
    }
  return parse_bitwise_or (p);
}

static HsExpr *
parse_star_targets (Parser *p)
{
  HsToken *start = cur (p);
  HsExpr *e = parse_star_target (p);
  if (kind (p) != HS_TOK_COMMA)
    return e;
  Vec v;
  vec_init (&v);
  vec_push (p, &v, e);
  while (accept (p, HS_TOK_COMMA))
    {
      if (kind (p) == HS_TOK_KW_IN || kind (p) == HS_TOK_EQUAL || ends_star_expressions (kind (p)))
        break;
      vec_push (p, &v, parse_star_target (p));
    }
  return make_tuple (p, &v, pos_from (p, start));
}

/* ---- parameters ---------------------------------------------------------- */

static HsArguments *
parse_parameters (Parser *p, bool lambda, HsTokKind closer)
{
  HsArguments *a = alloc (p, sizeof *a);
  Buf args, kwonly;
  buf_init (&args, sizeof (HsArg));
  buf_init (&kwonly, sizeof (HsArg));
  Vec defaults, kwdefaults;
  vec_init (&defaults);
  vec_init (&kwdefaults);
  bool star_seen = false;
  while (kind (p) != closer)
    {
      HsToken *t = cur (p);
      if (t->kind == HS_TOK_DOUBLESTAR)
        {
          advance (p);
          if (kind (p) != HS_TOK_NAME)
            syntax_error_generic (p);
          HsToken *n = advance (p);
          if (!lambda && accept (p, HS_TOK_COLON))
            parse_expression (p);
          a->kwarg = alloc (p, sizeof (HsArg));
          a->kwarg->name = tok_str (p, n);
          a->kwarg->pos = pos_from (p, n);
          if (kind (p) == HS_TOK_EQUAL)
            syntax_error_last (p, "var-keyword argument cannot have default value");
          accept (p, HS_TOK_COMMA);
          if (kind (p) != closer)
            {
              if (kind (p) == HS_TOK_NAME || kind (p) == HS_TOK_STAR || kind (p) == HS_TOK_DOUBLESTAR)
                syntax_error_last (p, "arguments cannot follow var-keyword argument");
              syntax_error_generic (p);
            }
          break;
        }
      if (t->kind == HS_TOK_STAR)
        {
          if (star_seen)
            syntax_error_last (p, "* argument may appear only once");
          advance (p);
          star_seen = true;
          if (kind (p) == HS_TOK_NAME)
            {
              HsToken *n = advance (p);
              if (!lambda && accept (p, HS_TOK_COLON))
                parse_expression (p);
              a->vararg = alloc (p, sizeof (HsArg));
              a->vararg->name = tok_str (p, n);
              a->vararg->pos = pos_from (p, n);
              if (kind (p) == HS_TOK_EQUAL)
                syntax_error_last (p, "var-positional argument cannot have default value");
            }
          else
            {
              /* a bare '*' needs keyword-only parameters after it */
              if (kind (p) == closer || (kind (p) == HS_TOK_COMMA
                                         && (kind_at (p, 1) == closer
                                             || kind_at (p, 1) == HS_TOK_DOUBLESTAR)))
                {
                  HsToken *s = prev (p);
                  error_range (p, "SyntaxError", s->lineno, s->col, s->end_lineno, s->end_col,
                               "named arguments must follow bare *");
                }
            }
          if (!accept (p, HS_TOK_COMMA))
            break;
          continue;
        }
      if (t->kind == HS_TOK_SLASH)
        syntax_error_last (p, "positional-only parameters (/) are not supported by this runtime");
      if (t->kind != HS_TOK_NAME)
        syntax_error_generic (p);
      HsToken *n = advance (p);
      if (!lambda && accept (p, HS_TOK_COLON))
        parse_expression (p);
      HsArg *arg = buf_push (p, star_seen ? &kwonly : &args);
      arg->name = tok_str (p, n);
      arg->pos = pos_from (p, n);
      HsExpr *def = NULL;
      if (accept (p, HS_TOK_EQUAL))
        def = parse_expression (p);
      if (star_seen)
        vec_push (p, &kwdefaults, def);
      else if (def != NULL)
        vec_push (p, &defaults, def);
      else if (defaults.n > 0)
        error_at_pos (p, arg->pos, "non-default argument follows default argument");
      if (!accept (p, HS_TOK_COMMA))
        break;
    }
  a->n_args = args.n;
  a->args = (HsArg *) args.data;
  a->n_defaults = defaults.n;
  a->defaults = (HsExpr **) vec_finish (p, &defaults);
  a->n_kwonly = kwonly.n;
  a->kwonly = (HsArg *) kwonly.data;
  a->kw_defaults = (HsExpr **) vec_finish (p, &kwdefaults);
  return a;
}

/* ---- statements ---------------------------------------------------------- */

static void parse_statement (Parser *p, Vec *out);

static HsPos
last_stmt_pos (HsStmtSeq s)
{
  return s.items[s.n - 1]->pos;
}

/* block: NEWLINE INDENT statements DEDENT | simple_stmts.  what is the
 * "after ..." text of CPython's "expected an indented block" error. */
static HsStmtSeq
parse_block (Parser *p, const char *what, uint32_t header_line)
{
  Vec v;
  vec_init (&v);
  if (accept (p, HS_TOK_NEWLINE))
    {
      if (kind (p) != HS_TOK_INDENT)
        {
          HsToken *t = cur (p);
          uint32_t col = t->kind == HS_TOK_DEDENT ? UINT32_MAX : t->col;
          error_range (p, "IndentationError", t->lineno, col, t->end_lineno, UINT32_MAX,
                       "expected an indented block after %s on line %u", what, header_line);
        }
      advance (p);
      enter (p);
      while (kind (p) != HS_TOK_DEDENT && kind (p) != HS_TOK_ENDMARKER)
        parse_statement (p, &v);
      leave (p);
      accept (p, HS_TOK_DEDENT);
    }
  else
    parse_statement (p, &v);   /* simple statements on the header's line */
  return vec_stmts (p, &v);
}

static void
header_colon (Parser *p)
{
  expect_forced (p, HS_TOK_COLON);
}

/* if/elif/while/for/with/except/class: CPython says "expected ':'" only
 * when the line ends there (its invalid_*_stmt rules), else "invalid syntax". */
static void
header_colon_soft (Parser *p)
{
  if (kind (p) != HS_TOK_COLON && kind (p) != HS_TOK_NEWLINE)
    syntax_error_generic (p);
  expect_forced (p, HS_TOK_COLON);
}

static HsStmt *
parse_if (Parser *p, bool elif)
{
  HsToken kw = *advance (p);
  HsExpr *test = parse_named_expression (p);
  check_named_eq (p, test, tokp (p, p->pos - 1));
  header_colon_soft (p);
  char what[32];
  snprintf (what, sizeof what, "'%s' statement", elif ? "elif" : "if");
  HsStmt *s = new_stmt (p, HS_STMT_IF, pos_tokens (&kw, &kw));
  s->u.if_.test = test;
  s->u.if_.body = parse_block (p, what, kw.lineno);
  HsPos end = last_stmt_pos (s->u.if_.body);
  if (kind (p) == HS_TOK_KW_ELIF)
    {
      HsStmt *e = parse_if (p, true);
      Vec v;
      vec_init (&v);
      vec_push (p, &v, e);
      s->u.if_.orelse = vec_stmts (p, &v);
      end = e->pos;
    }
  else if (kind (p) == HS_TOK_KW_ELSE)
    {
      HsToken e = *advance (p);
      header_colon (p);
      s->u.if_.orelse = parse_block (p, "'else' statement", e.lineno);
      end = last_stmt_pos (s->u.if_.orelse);
    }
  s->pos = pos_join (s->pos, end);
  return s;
}

static HsStmt *
parse_while (Parser *p)
{
  HsToken kw = *advance (p);
  HsExpr *test = parse_named_expression (p);
  check_named_eq (p, test, tokp (p, p->pos - 1));
  header_colon_soft (p);
  HsStmt *s = new_stmt (p, HS_STMT_WHILE, pos_tokens (&kw, &kw));
  s->u.while_.test = test;
  s->u.while_.body = parse_block (p, "'while' statement", kw.lineno);
  HsPos end = last_stmt_pos (s->u.while_.body);
  if (kind (p) == HS_TOK_KW_ELSE)
    {
      HsToken e = *advance (p);
      header_colon (p);
      s->u.while_.orelse = parse_block (p, "'else' statement", e.lineno);
      end = last_stmt_pos (s->u.while_.orelse);
    }
  s->pos = pos_join (s->pos, end);
  return s;
}

static HsStmt *
parse_for (Parser *p)
{
  HsToken kw = *advance (p);
  HsToken *tfirst = cur (p);
  HsExpr *target = parse_star_targets (p);
  if (kind (p) != HS_TOK_KW_IN)
    {
      HsExpr *last = target->kind == HS_EXPR_TUPLE && target->u.seq.elts.n > 0
                     ? target->u.seq.elts.items[target->u.seq.elts.n - 1] : target;
      check_juxtaposed (p, last, last == target ? tfirst : cur (p));
      const HsExpr *bad = invalid_target (target, TARGETS_FOR);
      if (bad != NULL)
        error_at_pos (p, bad->pos, "cannot assign to %s", expr_name (bad));
      syntax_error_generic (p);
    }
  make_target (p, target, TARGETS_FOR);
  advance (p);
  HsExpr *iter = parse_star_expressions (p);
  header_colon_soft (p);
  HsStmt *s = new_stmt (p, HS_STMT_FOR, pos_tokens (&kw, &kw));
  s->u.for_.target = target;
  s->u.for_.iter = iter;
  s->u.for_.body = parse_block (p, "'for' statement", kw.lineno);
  HsPos end = last_stmt_pos (s->u.for_.body);
  if (kind (p) == HS_TOK_KW_ELSE)
    {
      HsToken e = *advance (p);
      header_colon (p);
      s->u.for_.orelse = parse_block (p, "'else' statement", e.lineno);
      end = last_stmt_pos (s->u.for_.orelse);
    }
  s->pos = pos_join (s->pos, end);
  return s;
}

static HsStmt *
parse_try (Parser *p)
{
  HsToken kw = *advance (p);
  header_colon (p);
  HsStmt *s = new_stmt (p, HS_STMT_TRY, pos_tokens (&kw, &kw));
  s->u.try_.body = parse_block (p, "'try' statement", kw.lineno);
  HsPos end = last_stmt_pos (s->u.try_.body);
  Buf handlers;
  buf_init (&handlers, sizeof (HsExceptHandler));
  while (kind (p) == HS_TOK_KW_EXCEPT)
    {
      HsToken ex = *advance (p);
      if (kind (p) == HS_TOK_STAR)
        syntax_error_last (p, "except* is not supported by this runtime");
      HsExceptHandler *h = buf_push (p, &handlers);
      if (kind (p) != HS_TOK_COLON)
        {
          HsExpr *type = parse_expression (p);
          if (kind (p) == HS_TOK_COMMA)
            {
              /* "except A, B:" */
              Vec v;
              vec_init (&v);
              vec_push (p, &v, type);
              while (accept (p, HS_TOK_COMMA))
                {
                  if (kind (p) == HS_TOK_COLON || kind (p) == HS_TOK_KW_AS)
                    break;
                  vec_push (p, &v, parse_expression (p));
                }
              HsPos tp = pos_from_pos (p, type->pos);
              error_at_pos (p, tp, "multiple exception types must be parenthesized");
            }
          h->type = type;
          if (accept (p, HS_TOK_KW_AS))
            {
              if (kind (p) != HS_TOK_NAME)
                {
                  HsToken *f = cur (p);
                  HsExpr *bad = try_parse (p, parse_expression);
                  if (bad != NULL && (kind (p) == HS_TOK_COLON))
                    error_at_pos (p, bad->pos, "cannot use %s as exception target", expr_name (bad));
                  (void) f;
                  syntax_error_generic (p);
                }
              h->name = tok_str (p, advance (p));
              if (kind (p) != HS_TOK_COLON && kind (p) != HS_TOK_NEWLINE)
                {
                  size_t save = p->pos;
                  p->pos--;
                  HsExpr *bad = try_parse (p, parse_expression);
                  if (bad != NULL && kind (p) == HS_TOK_COLON && bad->kind != HS_EXPR_NAME)
                    error_at_pos (p, bad->pos, "cannot use %s as exception target", expr_name (bad));
                  p->pos = save;
                }
            }
        }
      header_colon_soft (p);
      h->body = parse_block (p, "'except' statement", ex.lineno);
      h->pos = pos_join (pos_tokens (&ex, &ex), last_stmt_pos (h->body));
      end = h->pos;
    }
  s->u.try_.n_handlers = handlers.n;
  s->u.try_.handlers = (HsExceptHandler *) handlers.data;
  if (kind (p) == HS_TOK_KW_ELSE)
    {
      HsToken e = *advance (p);
      if (handlers.n == 0)
        syntax_error_generic (p);
      header_colon (p);
      s->u.try_.orelse = parse_block (p, "'else' statement", e.lineno);
      end = last_stmt_pos (s->u.try_.orelse);
    }
  if (kind (p) == HS_TOK_KW_FINALLY)
    {
      HsToken f = *advance (p);
      header_colon (p);
      s->u.try_.finalbody = parse_block (p, "'finally' statement", f.lineno);
      end = last_stmt_pos (s->u.try_.finalbody);
    }
  if (handlers.n == 0 && s->u.try_.finalbody.n == 0)
    {
      HsToken *t = cur (p);
      if (t->kind == HS_TOK_DEDENT)
        error_range (p, "SyntaxError", t->lineno, UINT32_MAX, t->lineno, UINT32_MAX,
                     "expected 'except' or 'finally' block");
      syntax_error_last (p, "expected 'except' or 'finally' block");
    }
  s->pos = pos_join (s->pos, end);
  return s;
}

static HsStmt *
parse_with (Parser *p)
{
  HsToken kw = *advance (p);
  Vec items, vars;
  vec_init (&items);
  vec_init (&vars);
  bool paren = false;
  /* "with (a as b, c):" */
  if (kind (p) == HS_TOK_LPAR)
    {
      size_t save = p->pos;
      int depth = 0;
      size_t k = 0;
      for (;; k++)
        {
          HsTokKind tk = kind_at (p, k);
          if (tk == HS_TOK_LPAR || tk == HS_TOK_LSQB || tk == HS_TOK_LBRACE)
            depth++;
          else if (tk == HS_TOK_RPAR || tk == HS_TOK_RSQB || tk == HS_TOK_RBRACE)
            {
              if (--depth == 0)
                break;
            }
          else if (tk == HS_TOK_NEWLINE || tk == HS_TOK_ENDMARKER)
            break;
        }
      if (kind_at (p, k) == HS_TOK_RPAR && kind_at (p, k + 1) == HS_TOK_COLON)
        {
          /* parenthesized items only if an 'as' or a comma is at depth 1 */
          paren = true;
          advance (p);
        }
      else
        p->pos = save;
      (void) save;
    }
  for (;;)
    {
      HsExpr *e = parse_expression (p);
      HsExpr *var = NULL;
      if (accept (p, HS_TOK_KW_AS))
        {
          var = parse_star_target (p);
          make_target (p, var, TARGETS_STAR);
        }
      vec_push (p, &items, e);
      vec_push (p, &vars, var);
      if (!accept (p, HS_TOK_COMMA))
        break;
      if (paren && kind (p) == HS_TOK_RPAR)
        break;
    }
  if (paren)
    expect (p, HS_TOK_RPAR);
  header_colon_soft (p);
  HsStmt *s = new_stmt (p, HS_STMT_WITH, pos_tokens (&kw, &kw));
  s->u.with.n = items.n;
  s->u.with.items = (HsExpr **) vec_finish (p, &items);
  s->u.with.vars = (HsExpr **) vec_finish (p, &vars);
  s->u.with.body = parse_block (p, "'with' statement", kw.lineno);
  s->pos = pos_join (s->pos, last_stmt_pos (s->u.with.body));
  return s;
}

static HsStmt *
parse_funcdef (Parser *p, HsExprSeq decorators)
{
  HsToken kw = *advance (p);
  if (kind (p) != HS_TOK_NAME)
    syntax_error_generic (p);
  HsToken name = *advance (p);
  if (kind (p) != HS_TOK_LPAR)
    {
      cur (p);
      syntax_error_last (p, "expected '('");
    }
  advance (p);
  HsArguments *args = parse_parameters (p, false, HS_TOK_RPAR);
  expect (p, HS_TOK_RPAR);
  HsExpr *returns = NULL;
  if (accept (p, HS_TOK_RARROW))
    returns = parse_expression (p);
  header_colon (p);
  HsStmt *s = new_stmt (p, HS_STMT_FUNCTIONDEF, pos_tokens (&kw, &kw));
  s->u.funcdef.name = tok_str (p, &name);
  s->u.funcdef.args = args;
  s->u.funcdef.returns = returns;
  s->u.funcdef.decorators = decorators;
  s->u.funcdef.body = parse_block (p, "function definition", kw.lineno);
  s->pos = pos_join (s->pos, last_stmt_pos (s->u.funcdef.body));
  return s;
}

static HsStmt *
parse_classdef (Parser *p, HsExprSeq decorators)
{
  HsToken kw = *advance (p);
  if (kind (p) != HS_TOK_NAME)
    syntax_error_generic (p);
  HsToken name = *advance (p);
  HsStmt *s = new_stmt (p, HS_STMT_CLASSDEF, pos_tokens (&kw, &kw));
  if (kind (p) == HS_TOK_LPAR)
    {
      HsToken *open = advance (p);
      HsExpr *call = new_expr (p, HS_EXPR_CALL, pos_tokens (open, open));
      parse_call_args (p, call, open);
      s->u.classdef.bases = call->u.call.args;
      s->u.classdef.n_keywords = call->u.call.n_keywords;
      s->u.classdef.keywords = call->u.call.keywords;
    }
  if (kind (p) != HS_TOK_COLON && kind (p) != HS_TOK_NEWLINE)
    syntax_error_generic (p);
  header_colon (p);
  s->u.classdef.name = tok_str (p, &name);
  s->u.classdef.decorators = decorators;
  s->u.classdef.body = parse_block (p, "class definition", kw.lineno);
  s->pos = pos_join (s->pos, last_stmt_pos (s->u.classdef.body));
  return s;
}

static const char *
parse_dotted_name (Parser *p)
{
  if (kind (p) != HS_TOK_NAME)
    syntax_error_generic (p);
  HsToken *first = advance (p);
  size_t start = first->start, end = first->end;
  while (kind (p) == HS_TOK_DOT)
    {
      advance (p);
      if (kind (p) != HS_TOK_NAME)
        syntax_error_generic (p);
      end = advance (p)->end;
    }
  /* the name without any whitespace or continuation between the parts */
  StrBuf b = { 0 };
  for (size_t i = start; i < end; i++)
    {
      char c = p->src[i];
      if (c == ' ' || c == '\t' || c == '\\' || c == '\n' || c == '\f')
        continue;
      if (c == '#')
        {
          while (i < end && p->src[i] != '\n')
            i++;
          continue;
        }
      sb_add (p, &b, &c, 1);
    }
  return b.data;
}

static HsStmt *
parse_import (Parser *p)
{
  HsToken kw = *advance (p);
  Buf names;
  buf_init (&names, sizeof (HsAlias));
  do
    {
      HsToken *f = cur (p);
      HsAlias *a = buf_push (p, &names);
      a->name = parse_dotted_name (p);
      if (accept (p, HS_TOK_KW_AS))
        {
          if (kind (p) != HS_TOK_NAME)
            syntax_error_generic (p);
          a->asname = tok_str (p, advance (p));
        }
      a->pos = pos_from (p, f);
    }
  while (accept (p, HS_TOK_COMMA));
  HsStmt *s = new_stmt (p, HS_STMT_IMPORT, pos_from (p, &kw));
  s->u.import.n = names.n;
  s->u.import.names = (HsAlias *) names.data;
  return s;
}

static HsStmt *
parse_from_import (Parser *p)
{
  HsToken kw = *advance (p);
  int level = 0;
  for (;;)
    {
      if (accept (p, HS_TOK_DOT))
        level++;
      else if (accept (p, HS_TOK_ELLIPSIS))
        level += 3;
      else
        break;
    }
  const char *module = NULL;
  if (kind (p) != HS_TOK_KW_IMPORT || level == 0)
    module = parse_dotted_name (p);
  if (kind (p) != HS_TOK_KW_IMPORT)
    syntax_error_generic (p);
  advance (p);
  Buf names;
  buf_init (&names, sizeof (HsAlias));
  if (kind (p) == HS_TOK_STAR)
    {
      HsToken *st = advance (p);
      HsAlias *a = buf_push (p, &names);
      a->name = "*";
      a->pos = pos_tokens (st, st);
    }
  else
    {
      bool paren = accept (p, HS_TOK_LPAR);
      for (;;)
        {
          if (kind (p) != HS_TOK_NAME)
            syntax_error_generic (p);
          HsToken *f = advance (p);
          HsAlias *a = buf_push (p, &names);
          a->name = tok_str (p, f);
          if (accept (p, HS_TOK_KW_AS))
            {
              if (kind (p) != HS_TOK_NAME)
                syntax_error_generic (p);
              a->asname = tok_str (p, advance (p));
            }
          a->pos = pos_from (p, f);
          if (!accept (p, HS_TOK_COMMA))
            break;
          if (paren && kind (p) == HS_TOK_RPAR)
            break;
          if (!paren && kind (p) == HS_TOK_NEWLINE)
            syntax_error_last (p, "trailing comma not allowed without surrounding parentheses");
        }
      if (paren)
        expect (p, HS_TOK_RPAR);
    }
  HsStmt *s = new_stmt (p, HS_STMT_IMPORTFROM, pos_from (p, &kw));
  s->u.importfrom.module = module;
  s->u.importfrom.level = level;
  s->u.importfrom.n = names.n;
  s->u.importfrom.names = (HsAlias *) names.data;
  return s;
}

/* The token that starts an expression node (searching back from the current
 * token within the statement). */
static HsToken *
token_at_pos (Parser *p, HsPos pos, size_t from)
{
  for (size_t i = from; i < p->pos; i++)
    {
      HsToken *t = tokp (p, i);
      if (t->lineno == pos.lineno && t->col == pos.col_offset)
        return t;
    }
  return tokp (p, from);
}

static bool
is_aug_op (HsTokKind k, HsBinaryOp *op)
{
  switch (k)
    {
    case HS_TOK_PLUSEQUAL: *op = HS_BINOP_ADD; return true;
    case HS_TOK_MINEQUAL: *op = HS_BINOP_SUB; return true;
    case HS_TOK_STAREQUAL: *op = HS_BINOP_MUL; return true;
    case HS_TOK_SLASHEQUAL: *op = HS_BINOP_TRUEDIV; return true;
    case HS_TOK_DOUBLESLASHEQUAL: *op = HS_BINOP_FLOORDIV; return true;
    case HS_TOK_PERCENTEQUAL: *op = HS_BINOP_MOD; return true;
    case HS_TOK_DOUBLESTAREQUAL: *op = HS_BINOP_POW; return true;
    case HS_TOK_LEFTSHIFTEQUAL: *op = HS_BINOP_LSHIFT; return true;
    case HS_TOK_RIGHTSHIFTEQUAL: *op = HS_BINOP_RSHIFT; return true;
    case HS_TOK_AMPEREQUAL: *op = HS_BINOP_AND; return true;
    case HS_TOK_VBAREQUAL: *op = HS_BINOP_OR; return true;
    case HS_TOK_CIRCUMFLEXEQUAL: *op = HS_BINOP_XOR; return true;
    case HS_TOK_ATEQUAL: *op = HS_BINOP_MATMUL; return true;
    default: return false;
    }
}

/* Expression statements and all the assignments. */
static HsStmt *
parse_expr_stmt (Parser *p)
{
  size_t start_idx = p->pos;
  HsToken *first = cur (p);
  bool first_is_paren = first->kind == HS_TOK_LPAR;
  HsExpr *e = parse_star_expressions (p);
  HsBinaryOp op;

  if (kind (p) == HS_TOK_COLONEQUAL && e->kind == HS_EXPR_NAME)
    syntax_error_generic (p);
  if (kind (p) == HS_TOK_COLONEQUAL)
    {
      HsExpr *t = e->kind == HS_EXPR_TUPLE && !(first_is_paren && e->pos.col_offset == first->col)
                  ? e->u.seq.elts.items[e->u.seq.elts.n - 1] : e;
      error_at_pos (p, t->pos, "cannot use assignment expressions with %s", expr_name (t));
    }

  if (kind (p) == HS_TOK_COLON && e->kind != HS_EXPR_NAME && e->kind != HS_EXPR_ATTRIBUTE
      && e->kind != HS_EXPR_SUBSCRIPT && !starts_expression (kind_at (p, 1)))
    {
      /* CPython stopped at the ':' */
      HsToken *c = cur (p);
      error_range (p, "SyntaxError", c->lineno, c->col, c->end_lineno, c->end_col, "invalid syntax");
    }
  if (kind (p) == HS_TOK_COLON)
    {
      if (e->kind == HS_EXPR_TUPLE && !(first_is_paren && e->pos.col_offset == first->col))
        error_at_pos (p, e->u.seq.elts.items[0]->pos, "only single target (not tuple) can be annotated");
      if (e->kind == HS_EXPR_TUPLE)
        error_at_pos (p, e->pos, "only single target (not tuple) can be annotated");
      if (e->kind == HS_EXPR_LIST)
        error_at_pos (p, e->pos, "only single target (not list) can be annotated");
      if (e->kind != HS_EXPR_NAME && e->kind != HS_EXPR_ATTRIBUTE && e->kind != HS_EXPR_SUBSCRIPT)
        error_at_pos (p, e->pos, "illegal target for annotation");
      advance (p);
      HsExpr *ann = parse_expression (p);
      HsExpr *value = NULL;
      if (accept (p, HS_TOK_EQUAL))
        value = parse_star_expressions (p);
      set_context (e, HS_CTX_STORE);
      HsStmt *s = new_stmt (p, HS_STMT_ANNASSIGN, pos_from_pos (p, e->pos));
      s->pos = pos_from (p, first);
      s->u.annassign.target = e;
      s->u.annassign.annotation = ann;
      s->u.annassign.value = value;
      s->u.annassign.simple = e->kind == HS_EXPR_NAME && !first_is_paren;
      return s;
    }

  if (is_aug_op (kind (p), &op))
    {
      if (e->kind != HS_EXPR_NAME && e->kind != HS_EXPR_ATTRIBUTE && e->kind != HS_EXPR_SUBSCRIPT)
        error_at_pos (p, e->pos, "'%s' is an illegal expression for augmented assignment",
                      expr_name (e));
      advance (p);
      HsExpr *value = parse_star_expressions (p);
      set_context (e, HS_CTX_STORE);
      HsStmt *s = new_stmt (p, HS_STMT_AUGASSIGN, pos_from (p, first));
      s->u.augassign.target = e;
      s->u.augassign.op = op;
      s->u.augassign.value = value;
      return s;
    }

  if (kind (p) == HS_TOK_EQUAL)
    {
      if (invalid_target (e, TARGETS_STAR) != NULL)
        {
          /* CPython's second pass first reads the statement as named
           * expressions: the element just before '=' gets those checks. */
          HsExpr *last = e;
          bool bare_tuple = e->kind == HS_EXPR_TUPLE
                            && !(first_is_paren && e->pos.col_offset == first->col
                                 && e->pos.lineno == first->lineno);
          if (bare_tuple)
            last = e->u.seq.elts.items[e->u.seq.elts.n - 1];
          if (last->kind != HS_EXPR_STARRED)
            check_named_eq (p, last, last == e ? first : token_at_pos (p, last->pos, start_idx));
          make_target (p, e, TARGETS_STAR);
        }
      Vec targets;
      vec_init (&targets);
      set_context (e, HS_CTX_STORE);
      vec_push (p, &targets, e);
      HsExpr *value;
      for (;;)
        {
          advance (p);   /* '=' */
          if (kind (p) == HS_TOK_KW_YIELD)
            syntax_error_last (p, "'yield' is not supported by this runtime");
          value = parse_star_expressions (p);
          if (kind (p) != HS_TOK_EQUAL)
            break;
          make_target (p, value, TARGETS_STAR);
          vec_push (p, &targets, value);
        }
      HsStmt *s = new_stmt (p, HS_STMT_ASSIGN, pos_from (p, first));
      s->u.assign.targets = vec_exprs (p, &targets);
      s->u.assign.value = value;
      return s;
    }

  HsStmt *s = new_stmt (p, HS_STMT_EXPR, pos_from (p, first));
  s->u.expr.value = e;
  return s;
}

static HsExprSeq
parse_name_list (Parser *p, HsNameSeq *names)
{
  Vec v;
  vec_init (&v);
  do
    {
      if (kind (p) != HS_TOK_NAME)
        syntax_error_generic (p);
      vec_push (p, &v, (void *) tok_str (p, advance (p)));
    }
  while (accept (p, HS_TOK_COMMA));
  names->n = v.n;
  names->items = (const char **) vec_finish (p, &v);
  return (HsExprSeq) { 0, NULL };
}

static HsStmt *
parse_simple_stmt (Parser *p)
{
  HsToken *t = cur (p);
  HsToken kw = *t;
  HsStmt *s;
  switch (t->kind)
    {
    case HS_TOK_KW_PASS:
      advance (p);
      return new_stmt (p, HS_STMT_PASS, pos_tokens (&kw, &kw));
    case HS_TOK_KW_BREAK:
      advance (p);
      return new_stmt (p, HS_STMT_BREAK, pos_tokens (&kw, &kw));
    case HS_TOK_KW_CONTINUE:
      advance (p);
      return new_stmt (p, HS_STMT_CONTINUE, pos_tokens (&kw, &kw));
    case HS_TOK_KW_RETURN:
      {
        advance (p);
        HsExpr *v = NULL;
        if (!ends_star_expressions (kind (p)))
          v = parse_star_expressions (p);
        s = new_stmt (p, HS_STMT_RETURN, pos_from (p, &kw));
        s->u.return_.value = v;
        return s;
      }
    case HS_TOK_KW_RAISE:
      {
        advance (p);
        s = new_stmt (p, HS_STMT_RAISE, pos_tokens (&kw, &kw));
        if (!ends_star_expressions (kind (p)))
          {
            s->u.raise.exc = parse_expression (p);
            if (accept (p, HS_TOK_KW_FROM))
              s->u.raise.cause = parse_expression (p);
          }
        s->pos = pos_from (p, &kw);
        return s;
      }
    case HS_TOK_KW_GLOBAL:
    case HS_TOK_KW_NONLOCAL:
      {
        advance (p);
        s = new_stmt (p, t->kind == HS_TOK_KW_GLOBAL ? HS_STMT_GLOBAL : HS_STMT_NONLOCAL,
                      pos_tokens (&kw, &kw));
        parse_name_list (p, &s->u.global.names);
        s->pos = pos_from (p, &kw);
        return s;
      }
    case HS_TOK_KW_DEL:
      {
        advance (p);
        Vec v;
        vec_init (&v);
        for (;;)
          {
            HsExpr *e = parse_star_target (p);
            if (e->kind == HS_EXPR_STARRED)
              error_at_pos (p, e->pos, "cannot delete starred");
            vec_push (p, &v, e);
            if (!accept (p, HS_TOK_COMMA))
              break;
            if (kind (p) == HS_TOK_NEWLINE || kind (p) == HS_TOK_SEMI)
              break;
          }
        if (kind (p) != HS_TOK_NEWLINE && kind (p) != HS_TOK_SEMI && kind (p) != HS_TOK_ENDMARKER)
          {
            /* "del a + b" and the like */
            for (size_t i = 0; i < v.n; i++)
              if (invalid_target (v.items[i], TARGETS_DEL))
                break;
            p->pos = p->pos;
          }
        for (size_t i = 0; i < v.n; i++)
          make_target (p, v.items[i], TARGETS_DEL);
        s = new_stmt (p, HS_STMT_DELETE, pos_from (p, &kw));
        s->u.delete_.targets = vec_exprs (p, &v);
        return s;
      }
    case HS_TOK_KW_ASSERT:
      {
        advance (p);
        s = new_stmt (p, HS_STMT_ASSERT, pos_tokens (&kw, &kw));
        s->u.assert_.test = parse_expression (p);
        if (accept (p, HS_TOK_COMMA))
          s->u.assert_.msg = parse_expression (p);
        s->pos = pos_from (p, &kw);
        return s;
      }
    case HS_TOK_KW_IMPORT:
      return parse_import (p);
    case HS_TOK_KW_FROM:
      return parse_from_import (p);
    case HS_TOK_KW_YIELD:
      syntax_error_last (p, "'yield' is not supported by this runtime");
    default:
      return parse_expr_stmt (p);
    }
}

static void
parse_simple_stmts (Parser *p, Vec *out)
{
  for (;;)
    {
      vec_push (p, out, parse_simple_stmt (p));
      if (!accept (p, HS_TOK_SEMI))
        break;
      if (kind (p) == HS_TOK_NEWLINE)
        break;
    }
  if (!accept (p, HS_TOK_NEWLINE))
    syntax_error_generic (p);
}

static void
parse_statement (Parser *p, Vec *out)
{
  HsTokKind k = kind (p);
  switch (k)
    {
    case HS_TOK_KW_IF:
      vec_push (p, out, parse_if (p, false));
      return;
    case HS_TOK_KW_WHILE:
      vec_push (p, out, parse_while (p));
      return;
    case HS_TOK_KW_FOR:
      vec_push (p, out, parse_for (p));
      return;
    case HS_TOK_KW_TRY:
      vec_push (p, out, parse_try (p));
      return;
    case HS_TOK_KW_WITH:
      vec_push (p, out, parse_with (p));
      return;
    case HS_TOK_KW_DEF:
      vec_push (p, out, parse_funcdef (p, (HsExprSeq) { 0, NULL }));
      return;
    case HS_TOK_KW_CLASS:
      vec_push (p, out, parse_classdef (p, (HsExprSeq) { 0, NULL }));
      return;
    case HS_TOK_AT:
      {
        Vec decos;
        vec_init (&decos);
        while (accept (p, HS_TOK_AT))
          {
            vec_push (p, &decos, parse_named_expression (p));
            expect (p, HS_TOK_NEWLINE);
          }
        HsExprSeq d = vec_exprs (p, &decos);
        if (kind (p) == HS_TOK_KW_DEF)
          vec_push (p, out, parse_funcdef (p, d));
        else if (kind (p) == HS_TOK_KW_CLASS)
          vec_push (p, out, parse_classdef (p, d));
        else
          syntax_error_generic (p);
        return;
      }
    case HS_TOK_KW_ASYNC:
      syntax_error_last (p, "async is not supported by this runtime");
    case HS_TOK_INDENT:
      cur (p);
      syntax_error_generic (p);
    case HS_TOK_KW_ELSE:
    case HS_TOK_KW_ELIF:
    case HS_TOK_KW_EXCEPT:
    case HS_TOK_KW_FINALLY:
      syntax_error_generic (p);
    default:
      parse_simple_stmts (p, out);
    }
}

static HsModule *
parse_module (Parser *p)
{
  HsModule *m = alloc (p, sizeof *m);
  Vec v;
  vec_init (&v);
  for (;;)
    {
      release_old_tokens (p);
      if (kind (p) == HS_TOK_ENDMARKER)
        break;
      if (kind (p) == HS_TOK_NEWLINE)
        {
          advance (p);
          continue;
        }
      parse_statement (p, &v);
    }
  m->body = vec_stmts (p, &v);
  return m;
}

/* ---- entry point ---------------------------------------------------------- */

void
hs_syntax_error_clear (HsSyntaxError *err)
{
  if (err == NULL)
    return;
  free (err->text);
  memset (err, 0, sizeof *err);
}

static HsModule *
run_parser (Parser *p)
{
  jmp_buf jb;
  p->jb = &jb;
  if (setjmp (jb) != 0)
    return NULL;
  return parse_module (p);
}

HsModule *
hs_parse (HsArena *arena, const char *source, size_t len, HsSyntaxError *err)
{
  HsSyntaxError scratch;
  if (err == NULL)
    err = &scratch;
  memset (err, 0, sizeof *err);
  if (source == NULL)
    len = 0, source = "";
  size_t blen = 0;
  char *buf = hs_scanner_prepare (source, len, &blen, err);
  if (buf == NULL)
    {
      if (err == &scratch)
        hs_syntax_error_clear (err);
      return NULL;
    }
  Parser *p = calloc (1, sizeof (Parser));
  if (p == NULL)
    {
      free (buf);
      snprintf (err->type_name, sizeof err->type_name, "MemoryError");
      return NULL;
    }
  p->arena = arena;
  p->src = buf;
  p->len = blen;
  p->err = err;
  p->depth = &p->own_depth;
  p->c_locale = newlocale (LC_ALL_MASK, "C", (locale_t) 0);
  hs_scanner_init (&p->sc, buf, blen, err);
  HsModule *m = run_parser (p);
  for (size_t i = p->live_chunk; i < p->nchunks; i++)
    free (p->chunks[i]);
  free (p->chunks);
  if (p->c_locale != (locale_t) 0)
    freelocale (p->c_locale);
  free (p);
  free (buf);
  if (err == &scratch)
    hs_syntax_error_clear (err);
  return m;
}

/* ---- formatting errors ------------------------------------------------------ */

typedef struct {
  char  *s;
  size_t n, cap;
  bool   oom;
} Out;

static void
out_add (Out *o, const char *s, size_t n)
{
  if (o->oom)
    return;
  if (o->n + n + 1 > o->cap)
    {
      size_t ncap = o->cap ? o->cap * 2 : 256;
      while (ncap < o->n + n + 1)
        ncap *= 2;
      char *ns = realloc (o->s, ncap);
      if (ns == NULL)
        {
          o->oom = true;
          return;
        }
      o->s = ns;
      o->cap = ncap;
    }
  memcpy (o->s + o->n, s, n);
  o->n += n;
  o->s[o->n] = '\0';
}

static void
out_str (Out *o, const char *s)
{
  out_add (o, s, strlen (s));
}

static void out_fmt (Out *o, const char *fmt, ...) HS_PRINTF (2, 3);

static void
out_fmt (Out *o, const char *fmt, ...)
{
  char tmp[512];
  va_list ap;
  va_start (ap, fmt);
  int n = vsnprintf (tmp, sizeof tmp, fmt, ap);
  va_end (ap);
  if (n < 0)
    return;
  if ((size_t) n < sizeof tmp)
    {
      out_add (o, tmp, (size_t) n);
      return;
    }
  char *big = malloc ((size_t) n + 1);
  if (big == NULL)
    {
      o->oom = true;
      return;
    }
  va_start (ap, fmt);
  vsnprintf (big, (size_t) n + 1, fmt, ap);
  va_end (ap);
  out_add (o, big, (size_t) n);
  free (big);
}

static char *
out_finish (Out *o)
{
  if (o->oom)
    {
      free (o->s);
      return NULL;
    }
  if (o->s == NULL)
    return calloc (1, 1);
  return o->s;
}

/* The message with the file-name mark replaced. */
static void
out_message (Out *o, const char *msg, const char *filename)
{
  for (const char *m = msg; *m; m++)
    {
      if (*m == HS_SYNTAX_ERROR_FILE_MARK)
        out_str (o, filename);
      else
        out_add (o, m, 1);
    }
}

char *
hs_syntax_error_format (const HsSyntaxError *err, const char *filename)
{
  Out o = { 0 };
  if (filename == NULL)
    filename = "<string>";
  const char *type = err->type_name[0] ? err->type_name : "SyntaxError";
  if (err->lineno > 0)
    {
      out_fmt (&o, "  File \"%s\", line %u\n", filename, err->lineno);
      if (err->text != NULL)
        {
          /* what CPython's print_error_text does, offsets in characters */
          long offset = (long) err->col_offset;
          long end_offset = strcmp (type, "SyntaxError") == 0 ? (long) err->end_col_offset : -1;
          long line_size = (long) strlen (err->text) + 1;
          if (end_offset > line_size + 1)
            end_offset = line_size + 1;
          long carets = (end_offset > 0 && end_offset > offset) ? end_offset - offset : 1;
          const char *text = err->text;
          offset--;
          while (*text == ' ' || *text == '\t' || *text == '\f')
            {
              text++;
              offset--;
            }
          long len = (long) strlen (text);
          if (offset > len)
            offset = len;
          out_str (&o, "    ");
          out_str (&o, text);
          out_str (&o, "\n");
          if (offset >= 0)
            {
              out_str (&o, "    ");
              for (long i = 0; i < offset; i++)
                out_add (&o, " ", 1);
              for (long i = 0; i < carets; i++)
                out_add (&o, "^", 1);
              out_str (&o, "\n");
            }
        }
    }
  out_str (&o, type);
  if (err->message[0])
    {
      out_str (&o, ": ");
      out_message (&o, err->message, filename);
    }
  out_str (&o, "\n");
  return out_finish (&o);
}

/* ---- ast.dump ------------------------------------------------------------ */

typedef struct {
  Out  o;
  bool attrs;
} Dump;

static void dump_expr (Dump *d, const HsExpr *e);
static void dump_stmts (Dump *d, const HsStmtSeq *s);

static void
dump_pos (Dump *d, HsPos pos, bool leading_comma)
{
  if (!d->attrs)
    return;
  out_fmt (&d->o, "%slineno=%u, col_offset=%u, end_lineno=%u, end_col_offset=%u",
           leading_comma ? ", " : "", pos.lineno, pos.col_offset, pos.end_lineno,
           pos.end_col_offset);
}

/* Python's repr() of a str. */
static void
dump_str_repr (Out *o, const char *s, size_t n)
{
  bool has_sq = memchr (s, '\'', n) != NULL, has_dq = memchr (s, '"', n) != NULL;
  char q = (has_sq && !has_dq) ? '"' : '\'';
  out_add (o, &q, 1);
  for (size_t i = 0; i < n; )
    {
      unsigned char c = (unsigned char) s[i];
      if (c < 0x80)
        {
          if (c == '\\') out_str (o, "\\\\");
          else if (c == (unsigned char) q) { out_add (o, "\\", 1); out_add (o, &q, 1); }
          else if (c == '\n') out_str (o, "\\n");
          else if (c == '\r') out_str (o, "\\r");
          else if (c == '\t') out_str (o, "\\t");
          else if (c < 0x20 || c == 0x7f) out_fmt (o, "\\x%02x", c);
          else out_add (o, (const char *) &c, 1);
          i++;
          continue;
        }
      uint32_t cp;
      size_t k;
      if (c >= 0xf0) cp = c & 0x07, k = 4;
      else if (c >= 0xe0) cp = c & 0x0f, k = 3;
      else cp = c & 0x1f, k = 2;
      if (i + k > n)
        k = n - i;
      for (size_t j = 1; j < k; j++)
        cp = (cp << 6) | ((unsigned char) s[i + j] & 0x3f);
      if (cp <= 0xa0 || cp == 0xad)
        out_fmt (o, "\\x%02x", cp);
      else if ((cp >= 0xd800 && cp <= 0xdfff) || cp == 0x2028 || cp == 0x2029)
        out_fmt (o, "\\u%04x", cp);
      else
        out_add (o, s + i, k);
      i += k;
    }
  out_add (o, &q, 1);
}

/* Python's repr() of a float. */
static void
dump_float_repr (Out *o, double v)
{
  if (v != v)
    {
      out_str (o, "nan");
      return;
    }
  if (v == 1.0 / 0.0 || v == -1.0 / 0.0)
    {
      out_str (o, v < 0 ? "-inf" : "inf");
      return;
    }
  char buf[64];
  int prec;
  for (prec = 1; prec <= 17; prec++)
    {
      snprintf (buf, sizeof buf, "%.*e", prec - 1, v);
      if (strtod (buf, NULL) == v)
        break;
    }
  /* buf: [-]d[.ddd]e[+-]XX */
  bool neg = buf[0] == '-';
  const char *m = buf + (neg ? 1 : 0);
  char digits[32];
  int nd = 0;
  const char *q = m;
  for (; *q && *q != 'e'; q++)
    if (*q >= '0' && *q <= '9')
      digits[nd++] = *q;
  int exp10 = atoi (q + 1);
  while (nd > 1 && digits[nd - 1] == '0')
    nd--;
  digits[nd] = '\0';
  int decpt = exp10 + 1;
  if (neg)
    out_str (o, "-");
  if (decpt > -4 && decpt <= 16)
    {
      if (decpt <= 0)
        {
          out_str (o, "0.");
          for (int i = 0; i < -decpt; i++)
            out_str (o, "0");
          out_str (o, digits);
        }
      else if (decpt >= nd)
        {
          out_str (o, digits);
          for (int i = nd; i < decpt; i++)
            out_str (o, "0");
          out_str (o, ".0");
        }
      else
        {
          out_add (o, digits, (size_t) decpt);
          out_str (o, ".");
          out_str (o, digits + decpt);
        }
    }
  else
    {
      out_add (o, digits, 1);
      if (nd > 1)
        {
          out_str (o, ".");
          out_str (o, digits + 1);
        }
      out_fmt (o, "e%c%02d", exp10 < 0 ? '-' : '+', exp10 < 0 ? -exp10 : exp10);
    }
}

static const char *
ctx_name (HsExprContext c)
{
  return c == HS_CTX_LOAD ? "Load()" : c == HS_CTX_STORE ? "Store()" : "Del()";
}

static const char *
binop_name (HsBinaryOp op)
{
  static const char *const names[] = {
    "Add()", "Sub()", "Mult()", "Div()", "FloorDiv()", "Mod()", "Pow()", "LShift()",
    "RShift()", "BitAnd()", "BitOr()", "BitXor()", "MatMult()",
  };
  return (unsigned) op < sizeof names / sizeof names[0] ? names[op] : "?";
}

static const char *
cmpop_name (HsCmpOpKind op)
{
  static const char *const names[] = {
    "Lt()", "LtE()", "Eq()", "NotEq()", "Gt()", "GtE()", "Is()", "IsNot()", "In()", "NotIn()",
  };
  return (unsigned) op < sizeof names / sizeof names[0] ? names[op] : "?";
}

static void
dump_seq (Dump *d, const HsExprSeq *s)
{
  out_str (&d->o, "[");
  for (size_t i = 0; i < s->n; i++)
    {
      if (i)
        out_str (&d->o, ", ");
      if (s->items[i] == NULL)
        out_str (&d->o, "None");
      else
        dump_expr (d, s->items[i]);
    }
  out_str (&d->o, "]");
}

static void
dump_arg (Dump *d, const HsArg *a)
{
  out_str (&d->o, "arg(arg=");
  dump_str_repr (&d->o, a->name, strlen (a->name));
  dump_pos (d, a->pos, true);
  out_str (&d->o, ")");
}

static void
dump_arguments (Dump *d, const HsArguments *a)
{
  out_str (&d->o, "arguments(posonlyargs=[], args=[");
  for (size_t i = 0; i < a->n_args; i++)
    {
      if (i)
        out_str (&d->o, ", ");
      dump_arg (d, &a->args[i]);
    }
  out_str (&d->o, "]");
  if (a->vararg)
    {
      out_str (&d->o, ", vararg=");
      dump_arg (d, a->vararg);
    }
  out_str (&d->o, ", kwonlyargs=[");
  for (size_t i = 0; i < a->n_kwonly; i++)
    {
      if (i)
        out_str (&d->o, ", ");
      dump_arg (d, &a->kwonly[i]);
    }
  out_str (&d->o, "], kw_defaults=");
  HsExprSeq kd = { a->n_kwonly, a->kw_defaults };
  dump_seq (d, &kd);
  if (a->kwarg)
    {
      out_str (&d->o, ", kwarg=");
      dump_arg (d, a->kwarg);
    }
  out_str (&d->o, ", defaults=");
  HsExprSeq df = { a->n_defaults, a->defaults };
  dump_seq (d, &df);
  out_str (&d->o, ")");
}

static void
dump_keywords (Dump *d, size_t n, const HsKeyword *k)
{
  out_str (&d->o, "[");
  for (size_t i = 0; i < n; i++)
    {
      if (i)
        out_str (&d->o, ", ");
      out_str (&d->o, "keyword(");
      if (k[i].arg)
        {
          out_str (&d->o, "arg=");
          dump_str_repr (&d->o, k[i].arg, strlen (k[i].arg));
          out_str (&d->o, ", ");
        }
      out_str (&d->o, "value=");
      dump_expr (d, k[i].value);
      dump_pos (d, k[i].pos, true);
      out_str (&d->o, ")");
    }
  out_str (&d->o, "]");
}

static void
dump_field (Dump *d, const char *name, const HsExpr *e)
{
  if (e == NULL)
    return;
  out_fmt (&d->o, ", %s=", name);
  dump_expr (d, e);
}

static void
dump_generators (Dump *d, const HsExpr *e)
{
  out_str (&d->o, ", generators=[");
  for (size_t i = 0; i < e->u.comp.n_generators; i++)
    {
      const HsComprehension *g = &e->u.comp.generators[i];
      if (i)
        out_str (&d->o, ", ");
      out_str (&d->o, "comprehension(target=");
      dump_expr (d, g->target);
      out_str (&d->o, ", iter=");
      dump_expr (d, g->iter);
      out_str (&d->o, ", ifs=");
      dump_seq (d, &g->ifs);
      out_str (&d->o, ", is_async=0)");
    }
  out_str (&d->o, "]");
}

static void
dump_expr (Dump *d, const HsExpr *e)
{
  Out *o = &d->o;
  switch (e->kind)
    {
    case HS_EXPR_CONST:
      out_str (o, "Constant(value=");
      switch (e->u.constant.kind)
        {
        case HS_CONST_NONE: out_str (o, "None"); break;
        case HS_CONST_TRUE: out_str (o, "True"); break;
        case HS_CONST_FALSE: out_str (o, "False"); break;
        case HS_CONST_ELLIPSIS: out_str (o, "Ellipsis"); break;
        case HS_CONST_INT: out_fmt (o, "%lld", (long long) e->u.constant.i); break;
        case HS_CONST_FLOAT: dump_float_repr (o, e->u.constant.f); break;
        case HS_CONST_STR: dump_str_repr (o, e->u.constant.s, e->u.constant.len); break;
        }
      break;
    case HS_EXPR_NAME:
      out_str (o, "Name(id=");
      dump_str_repr (o, e->u.name.id, strlen (e->u.name.id));
      out_fmt (o, ", ctx=%s", ctx_name (e->u.name.ctx));
      break;
    case HS_EXPR_BINOP:
      out_str (o, "BinOp(left=");
      dump_expr (d, e->u.binop.left);
      out_fmt (o, ", op=%s, right=", binop_name (e->u.binop.op));
      dump_expr (d, e->u.binop.right);
      break;
    case HS_EXPR_UNARYOP:
      {
        static const char *const names[] = { "USub()", "UAdd()", "Invert()", "Not()" };
        out_fmt (o, "UnaryOp(op=%s, operand=", names[e->u.unaryop.op]);
        dump_expr (d, e->u.unaryop.operand);
        break;
      }
    case HS_EXPR_BOOLOP:
      out_fmt (o, "BoolOp(op=%s, values=", e->u.boolop.op == HS_BOOL_AND ? "And()" : "Or()");
      dump_seq (d, &e->u.boolop.values);
      break;
    case HS_EXPR_COMPARE:
      out_str (o, "Compare(left=");
      dump_expr (d, e->u.compare.left);
      out_str (o, ", ops=[");
      for (size_t i = 0; i < e->u.compare.n; i++)
        out_fmt (o, "%s%s", i ? ", " : "", cmpop_name (e->u.compare.ops[i]));
      out_str (o, "], comparators=");
      {
        HsExprSeq c = { e->u.compare.n, e->u.compare.comparators };
        dump_seq (d, &c);
      }
      break;
    case HS_EXPR_CALL:
      out_str (o, "Call(func=");
      dump_expr (d, e->u.call.func);
      out_str (o, ", args=");
      dump_seq (d, &e->u.call.args);
      out_str (o, ", keywords=");
      dump_keywords (d, e->u.call.n_keywords, e->u.call.keywords);
      break;
    case HS_EXPR_ATTRIBUTE:
      out_str (o, "Attribute(value=");
      dump_expr (d, e->u.attribute.value);
      out_str (o, ", attr=");
      dump_str_repr (o, e->u.attribute.attr, strlen (e->u.attribute.attr));
      out_fmt (o, ", ctx=%s", ctx_name (e->u.attribute.ctx));
      break;
    case HS_EXPR_SUBSCRIPT:
      out_str (o, "Subscript(value=");
      dump_expr (d, e->u.subscript.value);
      out_str (o, ", slice=");
      dump_expr (d, e->u.subscript.slice);
      out_fmt (o, ", ctx=%s", ctx_name (e->u.subscript.ctx));
      break;
    case HS_EXPR_SLICE:
      {
        out_str (o, "Slice(");
        bool any = false;
        const char *names[3] = { "lower", "upper", "step" };
        const HsExpr *parts[3] = { e->u.slice.lower, e->u.slice.upper, e->u.slice.step };
        for (int i = 0; i < 3; i++)
          if (parts[i])
            {
              out_fmt (o, "%s%s=", any ? ", " : "", names[i]);
              dump_expr (d, parts[i]);
              any = true;
            }
        dump_pos (d, e->pos, any);
        out_str (o, ")");
        return;
      }
    case HS_EXPR_STARRED:
      out_str (o, "Starred(value=");
      dump_expr (d, e->u.starred.value);
      out_fmt (o, ", ctx=%s", ctx_name (e->u.starred.ctx));
      break;
    case HS_EXPR_LIST:
    case HS_EXPR_TUPLE:
      out_str (o, e->kind == HS_EXPR_LIST ? "List(elts=" : "Tuple(elts=");
      dump_seq (d, &e->u.seq.elts);
      out_fmt (o, ", ctx=%s", ctx_name (e->u.seq.ctx));
      break;
    case HS_EXPR_SET:
      out_str (o, "Set(elts=");
      dump_seq (d, &e->u.seq.elts);
      break;
    case HS_EXPR_DICT:
      out_str (o, "Dict(keys=");
      dump_seq (d, &e->u.dict.keys);
      out_str (o, ", values=");
      dump_seq (d, &e->u.dict.values);
      break;
    case HS_EXPR_LISTCOMP:
    case HS_EXPR_SETCOMP:
    case HS_EXPR_GENEXP:
      out_str (o, e->kind == HS_EXPR_LISTCOMP ? "ListComp(elt=" : e->kind == HS_EXPR_SETCOMP
                                                                 ? "SetComp(elt=" : "GeneratorExp(elt=");
      dump_expr (d, e->u.comp.elt);
      dump_generators (d, e);
      break;
    case HS_EXPR_DICTCOMP:
      out_str (o, "DictComp(key=");
      dump_expr (d, e->u.comp.elt);
      out_str (o, ", value=");
      dump_expr (d, e->u.comp.value);
      dump_generators (d, e);
      break;
    case HS_EXPR_LAMBDA:
      out_str (o, "Lambda(args=");
      dump_arguments (d, e->u.lambda.args);
      out_str (o, ", body=");
      dump_expr (d, e->u.lambda.body);
      break;
    case HS_EXPR_IFEXP:
      out_str (o, "IfExp(test=");
      dump_expr (d, e->u.ifexp.test);
      out_str (o, ", body=");
      dump_expr (d, e->u.ifexp.body);
      out_str (o, ", orelse=");
      dump_expr (d, e->u.ifexp.orelse);
      break;
    case HS_EXPR_JOINEDSTR:
      out_str (o, "JoinedStr(values=");
      dump_seq (d, &e->u.joinedstr.values);
      break;
    case HS_EXPR_FORMATTED:
      out_str (o, "FormattedValue(value=");
      dump_expr (d, e->u.formatted.value);
      out_fmt (o, ", conversion=%d", e->u.formatted.conversion);
      dump_field (d, "format_spec", e->u.formatted.format_spec);
      break;
    case HS_EXPR_NAMEDEXPR:
      out_str (o, "NamedExpr(target=");
      dump_expr (d, e->u.namedexpr.target);
      out_str (o, ", value=");
      dump_expr (d, e->u.namedexpr.value);
      break;
    }
  dump_pos (d, e->pos, true);
  out_str (o, ")");
}

static void
dump_aliases (Dump *d, size_t n, const HsAlias *a)
{
  out_str (&d->o, "names=[");
  for (size_t i = 0; i < n; i++)
    {
      if (i)
        out_str (&d->o, ", ");
      out_str (&d->o, "alias(name=");
      dump_str_repr (&d->o, a[i].name, strlen (a[i].name));
      if (a[i].asname)
        {
          out_str (&d->o, ", asname=");
          dump_str_repr (&d->o, a[i].asname, strlen (a[i].asname));
        }
      dump_pos (d, a[i].pos, true);
      out_str (&d->o, ")");
    }
  out_str (&d->o, "]");
}

static void
dump_stmt (Dump *d, const HsStmt *s)
{
  Out *o = &d->o;
  bool fields = true;
  switch (s->kind)
    {
    case HS_STMT_EXPR:
      out_str (o, "Expr(value=");
      dump_expr (d, s->u.expr.value);
      break;
    case HS_STMT_ASSIGN:
      out_str (o, "Assign(targets=");
      dump_seq (d, &s->u.assign.targets);
      out_str (o, ", value=");
      dump_expr (d, s->u.assign.value);
      break;
    case HS_STMT_AUGASSIGN:
      out_str (o, "AugAssign(target=");
      dump_expr (d, s->u.augassign.target);
      out_fmt (o, ", op=%s, value=", binop_name (s->u.augassign.op));
      dump_expr (d, s->u.augassign.value);
      break;
    case HS_STMT_ANNASSIGN:
      out_str (o, "AnnAssign(target=");
      dump_expr (d, s->u.annassign.target);
      out_str (o, ", annotation=");
      dump_expr (d, s->u.annassign.annotation);
      dump_field (d, "value", s->u.annassign.value);
      out_fmt (o, ", simple=%d", s->u.annassign.simple ? 1 : 0);
      break;
    case HS_STMT_IF:
    case HS_STMT_WHILE:
      out_str (o, s->kind == HS_STMT_IF ? "If(test=" : "While(test=");
      dump_expr (d, s->u.if_.test);
      out_str (o, ", body=");
      dump_stmts (d, &s->u.if_.body);
      out_str (o, ", orelse=");
      dump_stmts (d, &s->u.if_.orelse);
      break;
    case HS_STMT_FOR:
      out_str (o, "For(target=");
      dump_expr (d, s->u.for_.target);
      out_str (o, ", iter=");
      dump_expr (d, s->u.for_.iter);
      out_str (o, ", body=");
      dump_stmts (d, &s->u.for_.body);
      out_str (o, ", orelse=");
      dump_stmts (d, &s->u.for_.orelse);
      break;
    case HS_STMT_BREAK: out_str (o, "Break("); fields = false; break;
    case HS_STMT_CONTINUE: out_str (o, "Continue("); fields = false; break;
    case HS_STMT_PASS: out_str (o, "Pass("); fields = false; break;
    case HS_STMT_RETURN:
      out_str (o, "Return(");
      if (s->u.return_.value)
        {
          out_str (o, "value=");
          dump_expr (d, s->u.return_.value);
        }
      else
        fields = false;
      break;
    case HS_STMT_DELETE:
      out_str (o, "Delete(targets=");
      dump_seq (d, &s->u.delete_.targets);
      break;
    case HS_STMT_GLOBAL:
    case HS_STMT_NONLOCAL:
      out_str (o, s->kind == HS_STMT_GLOBAL ? "Global(names=[" : "Nonlocal(names=[");
      for (size_t i = 0; i < s->u.global.names.n; i++)
        {
          if (i)
            out_str (o, ", ");
          dump_str_repr (o, s->u.global.names.items[i], strlen (s->u.global.names.items[i]));
        }
      out_str (o, "]");
      break;
    case HS_STMT_ASSERT:
      out_str (o, "Assert(test=");
      dump_expr (d, s->u.assert_.test);
      dump_field (d, "msg", s->u.assert_.msg);
      break;
    case HS_STMT_RAISE:
      out_str (o, "Raise(");
      if (s->u.raise.exc)
        {
          out_str (o, "exc=");
          dump_expr (d, s->u.raise.exc);
          dump_field (d, "cause", s->u.raise.cause);
        }
      else
        fields = false;
      break;
    case HS_STMT_TRY:
      out_str (o, "Try(body=");
      dump_stmts (d, &s->u.try_.body);
      out_str (o, ", handlers=[");
      for (size_t i = 0; i < s->u.try_.n_handlers; i++)
        {
          const HsExceptHandler *h = &s->u.try_.handlers[i];
          if (i)
            out_str (o, ", ");
          out_str (o, "ExceptHandler(");
          if (h->type)
            {
              out_str (o, "type=");
              dump_expr (d, h->type);
              out_str (o, ", ");
            }
          if (h->name)
            {
              out_str (o, "name=");
              dump_str_repr (o, h->name, strlen (h->name));
              out_str (o, ", ");
            }
          out_str (o, "body=");
          dump_stmts (d, &h->body);
          dump_pos (d, h->pos, true);
          out_str (o, ")");
        }
      out_str (o, "], orelse=");
      dump_stmts (d, &s->u.try_.orelse);
      out_str (o, ", finalbody=");
      dump_stmts (d, &s->u.try_.finalbody);
      break;
    case HS_STMT_FUNCTIONDEF:
      out_str (o, "FunctionDef(name=");
      dump_str_repr (o, s->u.funcdef.name, strlen (s->u.funcdef.name));
      out_str (o, ", args=");
      dump_arguments (d, s->u.funcdef.args);
      out_str (o, ", body=");
      dump_stmts (d, &s->u.funcdef.body);
      out_str (o, ", decorator_list=");
      dump_seq (d, &s->u.funcdef.decorators);
      dump_field (d, "returns", s->u.funcdef.returns);
      break;
    case HS_STMT_CLASSDEF:
      out_str (o, "ClassDef(name=");
      dump_str_repr (o, s->u.classdef.name, strlen (s->u.classdef.name));
      out_str (o, ", bases=");
      dump_seq (d, &s->u.classdef.bases);
      out_str (o, ", keywords=");
      dump_keywords (d, s->u.classdef.n_keywords, s->u.classdef.keywords);
      out_str (o, ", body=");
      dump_stmts (d, &s->u.classdef.body);
      out_str (o, ", decorator_list=");
      dump_seq (d, &s->u.classdef.decorators);
      break;
    case HS_STMT_IMPORT:
      out_str (o, "Import(");
      dump_aliases (d, s->u.import.n, s->u.import.names);
      break;
    case HS_STMT_IMPORTFROM:
      out_str (o, "ImportFrom(");
      if (s->u.importfrom.module)
        {
          out_str (o, "module=");
          dump_str_repr (o, s->u.importfrom.module, strlen (s->u.importfrom.module));
          out_str (o, ", ");
        }
      dump_aliases (d, s->u.importfrom.n, s->u.importfrom.names);
      out_fmt (o, ", level=%d", s->u.importfrom.level);
      break;
    case HS_STMT_WITH:
      out_str (o, "With(items=[");
      for (size_t i = 0; i < s->u.with.n; i++)
        {
          if (i)
            out_str (o, ", ");
          out_str (o, "withitem(context_expr=");
          dump_expr (d, s->u.with.items[i]);
          dump_field (d, "optional_vars", s->u.with.vars[i]);
          out_str (o, ")");
        }
      out_str (o, "], body=");
      dump_stmts (d, &s->u.with.body);
      break;
    }
  dump_pos (d, s->pos, fields);
  out_str (o, ")");
}

static void
dump_stmts (Dump *d, const HsStmtSeq *s)
{
  out_str (&d->o, "[");
  for (size_t i = 0; i < s->n; i++)
    {
      if (i)
        out_str (&d->o, ", ");
      dump_stmt (d, s->items[i]);
    }
  out_str (&d->o, "]");
}

static char *
dump_module (const HsModule *mod, bool attrs)
{
  Dump d = { { 0 }, attrs };
  out_str (&d.o, "Module(body=");
  dump_stmts (&d, &mod->body);
  out_str (&d.o, ", type_ignores=[])");
  return out_finish (&d.o);
}

char *
hs_ast_dump (const HsModule *mod)
{
  return dump_module (mod, false);
}

char *
hs_ast_dump_with_positions (const HsModule *mod)
{
  return dump_module (mod, true);
}
