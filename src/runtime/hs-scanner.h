/* hs-scanner.h — tokenizer for Python 3.11 source, as CPython's tokenizer splits it. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hs-ast.h"

/* ---- UTF-8 (also input()'s check of what it reads) ---------------------- */

/* Length of the valid UTF-8 sequence at p (strict: no overlongs, surrogates or
 * code points above U+10FFFF), or 0. */
static inline int
hs_utf8_valid_len (const unsigned char *p, const unsigned char *end, uint32_t *cp)
{
  unsigned c = p[0];
  if (c < 0x80)
    {
      *cp = c;
      return 1;
    }
  int n;
  uint32_t v, min;
  if (c >= 0xc2 && c <= 0xdf)
    n = 2, v = c & 0x1f, min = 0x80;
  else if (c >= 0xe0 && c <= 0xef)
    n = 3, v = c & 0x0f, min = 0x800;
  else if (c >= 0xf0 && c <= 0xf4)
    n = 4, v = c & 0x07, min = 0x10000;
  else
    return 0;
  if (end - p < n)
    return 0;
  for (int i = 1; i < n; i++)
    {
      if ((p[i] & 0xc0) != 0x80)
        return 0;
      v = (v << 6) | (p[i] & 0x3f);
    }
  if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
    return 0;
  *cp = v;
  return n;
}

/* Token kinds.  Keywords get their own kinds so the parser never compares text. */
#define HS_TOKEN_KINDS(X) \
  X (ENDMARKER, "ENDMARKER") X (NAME, "NAME") X (NUMBER, "NUMBER") X (STRING, "STRING") \
  X (NEWLINE, "NEWLINE") X (INDENT, "INDENT") X (DEDENT, "DEDENT") \
  X (LPAR, "(") X (RPAR, ")") X (LSQB, "[") X (RSQB, "]") X (LBRACE, "{") X (RBRACE, "}") \
  X (COLON, ":") X (COMMA, ",") X (SEMI, ";") X (PLUS, "+") X (MINUS, "-") X (STAR, "*") \
  X (SLASH, "/") X (VBAR, "|") X (AMPER, "&") X (LESS, "<") X (GREATER, ">") X (EQUAL, "=") \
  X (DOT, ".") X (PERCENT, "%") X (EQEQUAL, "==") X (NOTEQUAL, "!=") X (LESSEQUAL, "<=") \
  X (GREATEREQUAL, ">=") X (TILDE, "~") X (CIRCUMFLEX, "^") X (LEFTSHIFT, "<<") \
  X (RIGHTSHIFT, ">>") X (DOUBLESTAR, "**") X (PLUSEQUAL, "+=") X (MINEQUAL, "-=") \
  X (STAREQUAL, "*=") X (SLASHEQUAL, "/=") X (PERCENTEQUAL, "%=") X (AMPEREQUAL, "&=") \
  X (VBAREQUAL, "|=") X (CIRCUMFLEXEQUAL, "^=") X (LEFTSHIFTEQUAL, "<<=") \
  X (RIGHTSHIFTEQUAL, ">>=") X (DOUBLESTAREQUAL, "**=") X (DOUBLESLASH, "//") \
  X (DOUBLESLASHEQUAL, "//=") X (AT, "@") X (ATEQUAL, "@=") X (RARROW, "->") \
  X (ELLIPSIS, "...") X (COLONEQUAL, ":=") X (ERRORTOKEN, "ERRORTOKEN") \
  X (KW_FALSE, "False") X (KW_NONE, "None") X (KW_TRUE, "True") X (KW_AND, "and") \
  X (KW_AS, "as") X (KW_ASSERT, "assert") X (KW_ASYNC, "async") X (KW_AWAIT, "await") \
  X (KW_BREAK, "break") X (KW_CLASS, "class") X (KW_CONTINUE, "continue") \
  X (KW_DEF, "def") X (KW_DEL, "del") X (KW_ELIF, "elif") X (KW_ELSE, "else") \
  X (KW_EXCEPT, "except") X (KW_FINALLY, "finally") X (KW_FOR, "for") X (KW_FROM, "from") \
  X (KW_GLOBAL, "global") X (KW_IF, "if") X (KW_IMPORT, "import") X (KW_IN, "in") \
  X (KW_IS, "is") X (KW_LAMBDA, "lambda") X (KW_NONLOCAL, "nonlocal") X (KW_NOT, "not") \
  X (KW_OR, "or") X (KW_PASS, "pass") X (KW_RAISE, "raise") X (KW_RETURN, "return") \
  X (KW_TRY, "try") X (KW_WHILE, "while") X (KW_WITH, "with") X (KW_YIELD, "yield")

typedef enum {
#define HS_TOK_ENUM(name, text) HS_TOK_##name,
  HS_TOKEN_KINDS (HS_TOK_ENUM)
#undef HS_TOK_ENUM
  HS_TOK_COUNT
} HsTokKind;

#define HS_TOK_FIRST_KEYWORD HS_TOK_KW_FALSE

typedef struct {
  HsTokKind kind;
  uint32_t  lineno;       /* 1-based */
  uint32_t  col;          /* 0-based UTF-8 byte column; UINT32_MAX for the tokens at EOF */
  uint32_t  end_lineno;
  uint32_t  end_col;
  size_t    start;        /* byte offsets of the token text in the scanned buffer */
  size_t    end;
  uint32_t  level;        /* bracket nesting after this token, as CPython's Token.level */
} HsToken;

#define HS_SCANNER_MAX_INDENT 100   /* CPython's MAXINDENT */
#define HS_SCANNER_MAX_LEVEL  200   /* CPython's MAXLEVEL: nested brackets */

typedef struct {
  const char    *src;        /* normalized: LF line ends, no BOM, NUL-terminated */
  size_t         len;
  size_t         pos;
  size_t         line_start; /* offset of the current physical line */
  uint32_t       lineno;
  int            indent;
  int            indstack[HS_SCANNER_MAX_INDENT + 1];
  int            altindstack[HS_SCANNER_MAX_INDENT + 1];
  int            pendin;     /* >0: INDENTs to emit, <0: DEDENTs to emit */
  int            level;
  char           parenstack[HS_SCANNER_MAX_LEVEL];
  uint32_t       parenlineno[HS_SCANNER_MAX_LEVEL];
  uint32_t       parencol[HS_SCANNER_MAX_LEVEL];   /* byte column of the bracket */
  size_t         parenlinestart[HS_SCANNER_MAX_LEVEL];
  bool           atbol;
  bool           done;       /* ENDMARKER emitted */
  bool           eof_newline_done;
  bool           eof_line_fixed;
  size_t         zeros_end;  /* for the leading-zeros error */
  HsTokKind      last_kind;
  HsSyntaxError *err;
  bool           failed;
} HsScanner;

/* Checks the raw bytes (NUL bytes, UTF-8) and returns a malloc'd copy with a BOM
 * dropped and CRLF / CR turned into LF, NUL-terminated, length in *out_len.  NULL
 * with err filled on bad input (or on out-of-memory, with a MemoryError). */
char *hs_scanner_prepare (const char *source, size_t len, size_t *out_len, HsSyntaxError *err);

/* buf must be the result of hs_scanner_prepare (LF only, NUL-terminated). */
void hs_scanner_init (HsScanner *s, const char *buf, size_t len, HsSyntaxError *err);

/* Next token.  false: a syntax error, with err filled (the scanner stays failed). */
bool hs_scanner_next (HsScanner *s, HsToken *tok);

const char *hs_token_kind_name (HsTokKind kind);

/* Fills err for a position in the scanned buffer (used by scanner and parser).
 * col/end_col are byte columns on line lineno; they are turned into 1-based
 * character offsets as CPython does. end_col == UINT32_MAX: no end. */
void hs_scanner_set_error (const char *buf, size_t len, HsSyntaxError *err,
                           const char *type_name, const char *message,
                           uint32_t lineno, uint32_t col, uint32_t end_lineno,
                           uint32_t end_col);

/* Offset of the start of line lineno (1-based) searching from a known line start. */
size_t hs_scanner_line_offset (const char *buf, size_t len, uint32_t lineno);
