/* hs-scanner.c — tokenizer for Python 3.11 source, as CPython's tokenizer splits it. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hs-scanner.h"

static const char *const token_names[] = {
#define HS_TOK_NAME(name, text) text,
  HS_TOKEN_KINDS (HS_TOK_NAME)
#undef HS_TOK_NAME
};

const char *
hs_token_kind_name (HsTokKind kind)
{
  if ((int) kind < 0 || kind >= HS_TOK_COUNT)
    return "?";
  return token_names[kind];
}

/* ---- UTF-8 ------------------------------------------------------------- */

/* Number of characters in the first nbytes of s (s is valid UTF-8). */
static uint32_t
utf8_count (const char *s, size_t nbytes)
{
  uint32_t n = 0;
  for (size_t i = 0; i < nbytes; i++)
    if (((unsigned char) s[i] & 0xc0) != 0x80)
      n++;
  return n;
}

/* ---- errors ------------------------------------------------------------ */

size_t
hs_scanner_line_offset (const char *buf, size_t len, uint32_t lineno)
{
  size_t off = 0;
  uint32_t line = 1;
  while (line < lineno)
    {
      const char *nl = memchr (buf + off, '\n', len - off);
      if (nl == NULL)
        return len;
      off = (size_t) (nl - buf) + 1;
      line++;
    }
  return off;
}

void
hs_scanner_set_error (const char *buf, size_t len, HsSyntaxError *err,
                      const char *type_name, const char *message,
                      uint32_t lineno, uint32_t col, uint32_t end_lineno,
                      uint32_t end_col)
{
  if (err == NULL)
    return;
  hs_syntax_error_clear (err);
  snprintf (err->type_name, sizeof err->type_name, "%s", type_name);
  snprintf (err->message, sizeof err->message, "%s", message);
  err->lineno = lineno;
  size_t ls = hs_scanner_line_offset (buf, len, lineno);
  const char *nl = memchr (buf + ls, '\n', len - ls);
  size_t line_len = nl ? (size_t) (nl - (buf + ls)) : len - ls;
  err->text = malloc (line_len + 1);
  if (err->text != NULL)
    {
      memcpy (err->text, buf + ls, line_len);
      err->text[line_len] = '\0';
    }
  if (col == UINT32_MAX)
    err->col_offset = 0;   /* no caret (EOF tokens) */
  else if (col > line_len)
    err->col_offset = utf8_count (buf + ls, line_len) + 1 + (col - (uint32_t) line_len);
  else
    err->col_offset = utf8_count (buf + ls, col) + 1;
  if (end_col == UINT32_MAX)
    err->end_col_offset = 0;
  else if (end_lineno > lineno)
    /* CPython prints a multi-line range up to the end of the first line
     * (its line text keeps the newline). */
    err->end_col_offset = utf8_count (buf + ls, line_len) + 1;
  else if (end_col > line_len)
    err->end_col_offset = utf8_count (buf + ls, line_len) + 1 + (end_col - (uint32_t) line_len);
  else
    err->end_col_offset = utf8_count (buf + ls, end_col) + 1;
}

/* ---- preparation --------------------------------------------------------- */

char *
hs_scanner_prepare (const char *source, size_t len, size_t *out_len, HsSyntaxError *err)
{
  const unsigned char *p = (const unsigned char *) source;
  const unsigned char *end = p + len;
  if (len >= 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf)
    p += 3;
  const unsigned char *start = p;

  /* NUL bytes first: CPython refuses them while reading the line. */
  const unsigned char *nul = memchr (p, '\0', (size_t) (end - p));
  if (nul != NULL)
    {
      uint32_t line = 1;
      const unsigned char *ls = p;
      for (const unsigned char *q = p; q < nul; q++)
        if (*q == '\n')
          {
            line++;
            ls = q + 1;
          }
      hs_syntax_error_clear (err);
      snprintf (err->type_name, sizeof err->type_name, "SyntaxError");
      snprintf (err->message, sizeof err->message, "source code cannot contain null bytes");
      err->lineno = line;
      err->col_offset = 0;   /* CPython prints no caret */
      err->end_col_offset = 0;
      size_t n = (size_t) (nul - ls);
      /* The text CPython shows stops at the NUL (and at a CR). */
      for (size_t i = 0; i < n; i++)
        if (ls[i] == '\r')
          {
            n = i;
            break;
          }
      err->text = malloc (n + 1);
      if (err->text)
        {
          memcpy (err->text, ls, n);
          err->text[n] = '\0';
        }
      return NULL;
    }

  /* UTF-8 validity, line by line as CPython reports it. */
  {
    uint32_t line = 1;
    const unsigned char *q = p;
    while (q < end)
      {
        if (*q < 0x80)
          {
            if (*q == '\n')
              line++;
            q++;
            continue;
          }
        uint32_t cp;
        int n = hs_utf8_valid_len (q, end, &cp);
        if (n == 0)
          {
            hs_syntax_error_clear (err);
            snprintf (err->type_name, sizeof err->type_name, "SyntaxError");
            /* HS_SYNTAX_ERROR_FILE_MARK stands for the file name; see hs-parser.h. */
            snprintf (err->message, sizeof err->message,
                      "Non-UTF-8 code starting with '\\x%02x' in file \x01 on line %u, "
                      "but no encoding declared; see https://peps.python.org/pep-0263/ for details",
                      *q, line);
            err->lineno = 0;
            return NULL;
          }
        q += n;
      }
  }

  char *buf = malloc ((size_t) (end - start) + 2);
  if (buf == NULL)
    {
      hs_syntax_error_clear (err);
      snprintf (err->type_name, sizeof err->type_name, "MemoryError");
      return NULL;
    }
  size_t o = 0;
  for (const unsigned char *q = start; q < end; q++)
    {
      if (*q == '\r')
        {
          buf[o++] = '\n';
          if (q + 1 < end && q[1] == '\n')
            q++;
        }
      else
        buf[o++] = (char) *q;
    }
  buf[o] = '\0';
  *out_len = o;
  return buf;
}

/* ---- scanner ------------------------------------------------------------- */

void
hs_scanner_init (HsScanner *s, const char *buf, size_t len, HsSyntaxError *err)
{
  memset (s, 0, sizeof *s);
  s->src = buf;
  s->len = len;
  s->lineno = 1;
  s->atbol = true;
  s->err = err;
  s->last_kind = HS_TOK_NEWLINE;
}

static inline int
peekc (HsScanner *s, size_t ahead)
{
  size_t i = s->pos + ahead;
  return i < s->len ? (unsigned char) s->src[i] : -1;
}

/* Error at a byte position (the char there gets the caret), CPython's
 * tokenizer syntaxerror() shape: offset == end offset. */
static bool
scan_error_at (HsScanner *s, const char *type_name, const char *msg, size_t at_pos)
{
  uint32_t col = (uint32_t) (at_pos - s->line_start);
  hs_scanner_set_error (s->src, s->len, s->err, type_name, msg, s->lineno, col,
                        s->lineno, col);
  s->failed = true;
  return false;
}

/* Error with CPython's (lineno, col 0, end -1) shape for tokenizer states
 * (TabError, IndentationError). */
static bool
scan_error_state (HsScanner *s, const char *type_name, const char *msg, uint32_t col)
{
  hs_scanner_set_error (s->src, s->len, s->err, type_name, msg, s->lineno, col,
                        s->lineno, UINT32_MAX);
  s->failed = true;
  return false;
}

static void
new_line (HsScanner *s)
{
  /* s->pos is just past the '\n' */
  s->lineno++;
  s->line_start = s->pos;
}

static bool
is_id_start_ascii (int c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool
is_id_char_ascii (int c)
{
  return is_id_start_ascii (c) || (c >= '0' && c <= '9');
}

static bool
is_potential_identifier_char (int c)
{
  return is_id_char_ascii (c) || c >= 128;
}

/* A rough check of Unicode identifier characters (XID_Start/XID_Continue),
 * enough to reject the symbol and punctuation blocks CPython rejects. */
static bool
unicode_is_xid (uint32_t cp, bool start)
{
  if (cp < 0x80)
    return start ? is_id_start_ascii ((int) cp) : is_id_char_ascii ((int) cp);
  if (cp == 0xaa || cp == 0xb5 || cp == 0xba)
    return true;
  if (cp == 0xb7)
    return !start;
  if (cp < 0xc0 || cp == 0xd7 || cp == 0xf7)
    return false;
  if (cp >= 0x2000 && cp <= 0x206f)   /* general punctuation */
    return !start && (cp == 0x203f || cp == 0x2040 || cp == 0x2054);
  if (cp >= 0x2070 && cp <= 0x209f)   /* super/subscripts */
    return cp == 0x2071 || cp == 0x207f || (cp >= 0x2090 && cp <= 0x209c);
  if (cp >= 0x20a0 && cp <= 0x20cf)   /* currency */
    return false;
  if (cp >= 0x20d0 && cp <= 0x20ff)   /* combining marks for symbols */
    return !start && cp <= 0x20f0;
  if (cp >= 0x2100 && cp <= 0x214f)   /* letterlike: mixed, accept the letters */
    return !(cp == 0x2100 || cp == 0x2101 || cp == 0x2103 || cp == 0x2104 || cp == 0x2105
             || cp == 0x2106 || cp == 0x2108 || cp == 0x2109 || cp == 0x2114 || cp == 0x2116
             || cp == 0x2117 || cp == 0x211e || cp == 0x211f || cp == 0x2120 || cp == 0x2121
             || cp == 0x2122 || cp == 0x2123 || cp == 0x2125 || cp == 0x2127 || cp == 0x2129
             || cp == 0x212e || cp == 0x213a || cp == 0x213b || (cp >= 0x2140 && cp <= 0x2144)
             || cp == 0x214a || cp == 0x214b || cp == 0x214c || cp == 0x214d || cp == 0x214f);
  if (cp >= 0x2150 && cp <= 0x218f)   /* number forms: roman numerals are letters */
    return cp >= 0x2160 && cp <= 0x2188;
  if (cp >= 0x2190 && cp <= 0x2bff)   /* arrows, math, technical, boxes, dingbats... */
    return false;
  if (cp >= 0x2e00 && cp <= 0x2e7f)   /* supplemental punctuation */
    return false;
  if (cp >= 0x3000 && cp <= 0x303f)   /* CJK symbols and punctuation */
    return cp == 0x3005 || cp == 0x3006 || cp == 0x3007 || (cp >= 0x3021 && cp <= 0x3029)
           || (cp >= 0x3031 && cp <= 0x3035) || (cp >= 0x3038 && cp <= 0x303c)
           || (!start && cp >= 0x302a && cp <= 0x302f);
  if (cp >= 0xfe10 && cp <= 0xfe6f)   /* vertical forms, small forms */
    return !start && (cp == 0xfe33 || cp == 0xfe34 || (cp >= 0xfe4d && cp <= 0xfe4f));
  if (cp >= 0xff00 && cp <= 0xff65)   /* fullwidth ASCII: letters, digits, underscore */
    return (cp >= 0xff21 && cp <= 0xff3a) || (cp >= 0xff41 && cp <= 0xff5a)
           || (!start && ((cp >= 0xff10 && cp <= 0xff19) || cp == 0xff3f));
  if (cp >= 0xfff0 && cp <= 0xffff)
    return false;
  if (cp >= 0x1f000 && cp <= 0x1faff) /* emoji and symbols */
    return false;
  if (cp >= 0xe000 && cp <= 0xf8ff)   /* private use */
    return false;
  if (cp >= 0x0300 && cp <= 0x036f)   /* combining diacritics */
    return !start;
  return true;
}

static bool
emit (HsScanner *s, HsToken *tok, HsTokKind kind, size_t start, uint32_t lineno,
      size_t line_start)
{
  tok->kind = kind;
  tok->start = start;
  tok->end = s->pos;
  tok->lineno = lineno;
  tok->col = (uint32_t) (start - line_start);
  tok->end_lineno = s->lineno;
  tok->end_col = (uint32_t) (s->pos - s->line_start);
  tok->level = (uint32_t) s->level;
  s->last_kind = kind;
  return true;
}

static const struct { const char *word; HsTokKind kind; } keywords[] = {
  { "False", HS_TOK_KW_FALSE }, { "None", HS_TOK_KW_NONE }, { "True", HS_TOK_KW_TRUE },
  { "and", HS_TOK_KW_AND }, { "as", HS_TOK_KW_AS }, { "assert", HS_TOK_KW_ASSERT },
  { "async", HS_TOK_KW_ASYNC }, { "await", HS_TOK_KW_AWAIT }, { "break", HS_TOK_KW_BREAK },
  { "class", HS_TOK_KW_CLASS }, { "continue", HS_TOK_KW_CONTINUE }, { "def", HS_TOK_KW_DEF },
  { "del", HS_TOK_KW_DEL }, { "elif", HS_TOK_KW_ELIF }, { "else", HS_TOK_KW_ELSE },
  { "except", HS_TOK_KW_EXCEPT }, { "finally", HS_TOK_KW_FINALLY }, { "for", HS_TOK_KW_FOR },
  { "from", HS_TOK_KW_FROM }, { "global", HS_TOK_KW_GLOBAL }, { "if", HS_TOK_KW_IF },
  { "import", HS_TOK_KW_IMPORT }, { "in", HS_TOK_KW_IN }, { "is", HS_TOK_KW_IS },
  { "lambda", HS_TOK_KW_LAMBDA }, { "nonlocal", HS_TOK_KW_NONLOCAL }, { "not", HS_TOK_KW_NOT },
  { "or", HS_TOK_KW_OR }, { "pass", HS_TOK_KW_PASS }, { "raise", HS_TOK_KW_RAISE },
  { "return", HS_TOK_KW_RETURN }, { "try", HS_TOK_KW_TRY }, { "while", HS_TOK_KW_WHILE },
  { "with", HS_TOK_KW_WITH }, { "yield", HS_TOK_KW_YIELD },
};

static HsTokKind
keyword_kind (const char *p, size_t n)
{
  if (n < 2 || n > 8)
    return HS_TOK_NAME;
  for (size_t i = 0; i < sizeof keywords / sizeof keywords[0]; i++)
    if (keywords[i].word[0] == p[0] && strlen (keywords[i].word) == n
        && memcmp (keywords[i].word, p, n) == 0)
      return keywords[i].kind;
  return HS_TOK_NAME;
}

/* Scans the rest of a string literal; s->pos is at the opening quote. */
static bool
scan_string (HsScanner *s, HsToken *tok, size_t start, uint32_t lineno, size_t line_start)
{
  int quote = peekc (s, 0);
  size_t quote_pos = s->pos;
  size_t quote_line_start = s->line_start;
  int quote_size = 1;
  s->pos++;
  if (peekc (s, 0) == quote && peekc (s, 1) == quote)
    {
      quote_size = 3;
      s->pos += 2;
    }
  else if (peekc (s, 0) == quote)
    {
      s->pos++;   /* empty string */
      return emit (s, tok, HS_TOK_STRING, start, lineno, line_start);
    }
  int end_quote = 0;
  while (end_quote != quote_size)
    {
      int c = peekc (s, 0);
      if (c < 0 || (c == '\n' && quote_size == 1))
        {
          /* CPython points at the opening quote of the literal, on its line,
           * and names the line where it gave up. */
          char msg[128];
          uint32_t detected = s->lineno;
          /* at EOF after a final newline CPython is still on the last line */
          if (c < 0 && s->pos > 0 && s->src[s->pos - 1] == '\n' && detected > 1)
            detected--;
          snprintf (msg, sizeof msg, "%s (detected at line %u)",
                    quote_size == 3 ? "unterminated triple-quoted string literal"
                                    : "unterminated string literal", detected);
          s->lineno = lineno;
          s->line_start = quote_line_start;
          (void) line_start;
          (void) quote_pos;
          return scan_error_at (s, "SyntaxError", msg, start);
        }
      s->pos++;
      if (c == quote)
        end_quote++;
      else
        {
          end_quote = 0;
          if (c == '\n')
            new_line (s);
          else if (c == '\\')
            {
              int d = peekc (s, 0);
              if (d >= 0)
                {
                  s->pos++;
                  if (d == '\n')
                    new_line (s);
                }
            }
        }
    }
  return emit (s, tok, HS_TOK_STRING, start, lineno, line_start);
}

static bool
is_digit (int c)
{
  return c >= '0' && c <= '9';
}

/* After a number: an identifier character glued to it is an error ("1abc"),
 * except the keywords that may follow a number in valid code (1if x else y). */
static bool
verify_end_of_number (HsScanner *s, const char *kind)
{
  int c = peekc (s, 0);
  const char *p = s->src + s->pos;
  size_t left = s->len - s->pos;
  bool kw = false;
  if (c == 'a')
    kw = left >= 3 && memcmp (p, "and", 3) == 0;
  else if (c == 'e')
    kw = left >= 4 && memcmp (p, "else", 4) == 0;
  else if (c == 'f')
    kw = left >= 3 && memcmp (p, "for", 3) == 0;
  else if (c == 'i')
    kw = left >= 2 && (p[1] == 'f' || p[1] == 'n' || p[1] == 's');
  else if (c == 'o')
    kw = left >= 2 && p[1] == 'r';
  else if (c == 'n')
    kw = left >= 3 && memcmp (p, "not", 3) == 0;
  if (kw)
    return true;   /* CPython only warns here */
  if (c >= 0 && is_potential_identifier_char (c))
    {
      char msg[64];
      snprintf (msg, sizeof msg, "invalid %s literal", kind);
      /* CPython backs up over the bad char: the caret is on the last digit. */
      return scan_error_at (s, "SyntaxError", msg, s->pos - 1);
    }
  return true;
}

/* Digits with single underscores between them; s->pos at the first digit. */
static bool
scan_digits (HsScanner *s, bool (*ok) (int), const char *kind)
{
  for (;;)
    {
      while (ok (peekc (s, 0)))
        s->pos++;
      if (peekc (s, 0) != '_')
        return true;
      s->pos++;
      if (!ok (peekc (s, 0)))
        {
          char msg[64];
          snprintf (msg, sizeof msg, "invalid %s literal", kind);
          /* CPython backs up over the offending char: the caret is on the
           * char before it. */
          return scan_error_at (s, "SyntaxError", msg, s->pos - 1);
        }
    }
}

static bool is_hex (int c) { return is_digit (c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
static bool is_oct (int c) { return c >= '0' && c <= '7'; }
static bool is_bin (int c) { return c == '0' || c == '1'; }
static bool is_dec (int c) { return is_digit (c); }

static bool
scan_exponent_and_imag (HsScanner *s)
{
  int c = peekc (s, 0);
  if (c == 'e' || c == 'E')
    {
      size_t save = s->pos;
      s->pos++;
      c = peekc (s, 0);
      if (c == '+' || c == '-')
        {
          s->pos++;
          c = peekc (s, 0);
          if (!is_digit (c))
            return scan_error_at (s, "SyntaxError", "invalid decimal literal", s->pos - 1);
        }
      else if (!is_digit (c))
        {
          s->pos = save;
          /* "1e" followed by a letter: CPython reports an invalid decimal literal */
          return verify_end_of_number (s, "decimal");
        }
      if (!scan_digits (s, is_dec, "decimal"))
        return false;
    }
  c = peekc (s, 0);
  if (c == 'j' || c == 'J')
    {
      s->pos++;
      return verify_end_of_number (s, "imaginary");
    }
  return verify_end_of_number (s, "decimal");
}

static bool
scan_number (HsScanner *s)
{
  int c = peekc (s, 0);
  if (c == '.')
    {
      s->pos++;
      if (!scan_digits (s, is_dec, "decimal"))
        return false;
      return scan_exponent_and_imag (s);
    }
  if (c == '0')
    {
      s->pos++;
      c = peekc (s, 0);
      if (c == 'x' || c == 'X' || c == 'o' || c == 'O' || c == 'b' || c == 'B')
        {
          int base = (c | 0x20);
          bool (*ok) (int) = base == 'x' ? is_hex : base == 'o' ? is_oct : is_bin;
          const char *kind = base == 'x' ? "hexadecimal" : base == 'o' ? "octal" : "binary";
          s->pos++;
          if (peekc (s, 0) == '_')
            s->pos++;
          if (!ok (peekc (s, 0)))
            {
              char msg[64];
              int d = peekc (s, 0);
              if (base != 'x' && is_digit (d))
                {
                  snprintf (msg, sizeof msg, "invalid digit '%c' in %s literal", d, kind);
                  return scan_error_at (s, "SyntaxError", msg, s->pos);
                }
              snprintf (msg, sizeof msg, "invalid %s literal", kind);
              return scan_error_at (s, "SyntaxError", msg, s->pos - 1);
            }
          if (!scan_digits (s, ok, kind))
            return false;
          int d = peekc (s, 0);
          if (base != 'x' && is_digit (d))
            {
              char msg[64];
              snprintf (msg, sizeof msg, "invalid digit '%c' in %s literal", d, kind);
              s->pos++;
              return scan_error_at (s, "SyntaxError", msg, s->pos - 1);
            }
          return verify_end_of_number (s, kind);
        }
      /* a decimal starting with 0: only zeros, unless it is a float */
      bool nonzero = false;
      for (;;)
        {
          while (peekc (s, 0) == '0')
            s->pos++;
          if (peekc (s, 0) == '_')
            {
              s->pos++;
              if (!is_digit (peekc (s, 0)))
                return scan_error_at (s, "SyntaxError", "invalid decimal literal", s->pos - 1);
              continue;
            }
          break;
        }
      size_t zeros_end = s->pos;
      if (is_digit (peekc (s, 0)))
        {
          nonzero = true;
          if (!scan_digits (s, is_dec, "decimal"))
            return false;
        }
      c = peekc (s, 0);
      if (c == '.')
        {
          s->pos++;
          if (is_digit (peekc (s, 0)) && !scan_digits (s, is_dec, "decimal"))
            return false;
          return scan_exponent_and_imag (s);
        }
      if (c == 'e' || c == 'E' || c == 'j' || c == 'J')
        return scan_exponent_and_imag (s);
      if (nonzero)
        {
          /* CPython underlines the leading zeros (and underscores) */
          s->zeros_end = zeros_end;
          return false;   /* caller reports with the token start */
        }
      return verify_end_of_number (s, "decimal");
    }
  if (!scan_digits (s, is_dec, "decimal"))
    return false;
  c = peekc (s, 0);
  if (c == '.')
    {
      s->pos++;
      if (is_digit (peekc (s, 0)) && !scan_digits (s, is_dec, "decimal"))
        return false;
    }
  return scan_exponent_and_imag (s);
}

bool
hs_scanner_next (HsScanner *s, HsToken *tok)
{
  if (s->failed)
    return false;
  if (s->done)
    {
      emit (s, tok, HS_TOK_ENDMARKER, s->pos, s->lineno, s->line_start);
      tok->col = tok->end_col = UINT32_MAX;
      return true;
    }

next_line:
  if (s->atbol)
    {
      s->atbol = false;
      int col = 0, altcol = 0;
      for (;;)
        {
          int c = peekc (s, 0);
          if (c == ' ')
            col++, altcol++;
          else if (c == '\t')
            {
              col = (col / 8 + 1) * 8;
              altcol = altcol + 1;
            }
          else if (c == '\014')   /* form feed resets the column */
            col = altcol = 0;
          else
            break;
          s->pos++;
        }
      int c = peekc (s, 0);
      bool blank = (c == '#' || c == '\n' || c == '\\' || c < 0);
      if (c == '\\')
        {
          /* A line that starts with a continuation: not blank unless the
           * joined line is.  CPython treats it as a real line. */
          blank = false;
        }
      if (c < 0 && s->level == 0)
        blank = true;
      if (!blank && s->level == 0)
        {
          if (col == s->indstack[s->indent])
            {
              if (altcol != s->altindstack[s->indent])
                return scan_error_state (s, "TabError",
                                         "inconsistent use of tabs and spaces in indentation", 0);
            }
          else if (col > s->indstack[s->indent])
            {
              if (s->indent + 1 >= HS_SCANNER_MAX_INDENT)
                return scan_error_state (s, "IndentationError", "too many levels of indentation", 0);
              if (altcol <= s->altindstack[s->indent])
                return scan_error_state (s, "TabError",
                                         "inconsistent use of tabs and spaces in indentation", 0);
              s->pendin++;
              s->indent++;
              s->indstack[s->indent] = col;
              s->altindstack[s->indent] = altcol;
            }
          else
            {
              while (s->indent > 0 && col < s->indstack[s->indent])
                {
                  s->pendin--;
                  s->indent--;
                }
              if (col != s->indstack[s->indent])
                {
                  /* CPython has read the whole line: the caret is at its end */
                  const char *nl = memchr (s->src + s->pos, '\n', s->len - s->pos);
                  size_t eol = nl ? (size_t) (nl - s->src) : s->len;
                  hs_scanner_set_error (s->src, s->len, s->err, "IndentationError",
                                        "unindent does not match any outer indentation level",
                                        s->lineno, (uint32_t) (eol - s->line_start),
                                        s->lineno, UINT32_MAX);
                  s->failed = true;
                  return false;
                }
              if (altcol != s->altindstack[s->indent])
                return scan_error_state (s, "TabError",
                                         "inconsistent use of tabs and spaces in indentation", 0);
            }
        }
    }

  if (s->pendin != 0)
    {
      if (s->pendin < 0)
        {
          s->pendin++;
          return emit (s, tok, HS_TOK_DEDENT, s->pos, s->lineno, s->line_start);
        }
      s->pendin--;
      return emit (s, tok, HS_TOK_INDENT, s->line_start, s->lineno, s->line_start);
    }

again:
  /* skip spaces */
  for (;;)
    {
      int c = peekc (s, 0);
      if (c == ' ' || c == '\t' || c == '\014')
        s->pos++;
      else
        break;
    }
  size_t start = s->pos;
  uint32_t lineno = s->lineno;
  size_t line_start = s->line_start;
  int c = peekc (s, 0);

  bool after_comment = false;
  if (c == '#')
    {
      const char *nl = memchr (s->src + s->pos, '\n', s->len - s->pos);
      s->pos = nl ? (size_t) (nl - s->src) : s->len;
      c = peekc (s, 0);
      after_comment = true;
    }

  if (c < 0)
    {
      if (s->level > 0)
        {
          /* CPython: the innermost open bracket "was never closed" */
          char msg[64];
          int l = s->level - 1;
          snprintf (msg, sizeof msg, "'%c' was never closed", s->parenstack[l]);
          hs_scanner_set_error (s->src, s->len, s->err, "SyntaxError", msg,
                                s->parenlineno[l], s->parencol[l], s->parenlineno[l],
                                UINT32_MAX);
          s->failed = true;
          return false;
        }
      if (s->last_kind != HS_TOK_NEWLINE && s->last_kind != HS_TOK_DEDENT
          && s->last_kind != HS_TOK_INDENT && !s->eof_newline_done)
        {
          /* a last line without its newline still ends a statement */
          s->eof_newline_done = true;
          return emit (s, tok, HS_TOK_NEWLINE, s->pos, lineno, line_start);
        }
      /* CPython keeps EOF tokens on the last line, with no column */
      if (s->pos > 0 && s->src[s->pos - 1] == '\n' && s->lineno > 1 && !s->eof_line_fixed)
        {
          s->eof_line_fixed = true;
          s->lineno--;
          s->line_start = hs_scanner_line_offset (s->src, s->len, s->lineno);
        }
      if (s->indent > 0)
        {
          s->indent--;
          emit (s, tok, HS_TOK_DEDENT, s->pos, s->lineno, s->line_start);
          tok->col = tok->end_col = UINT32_MAX;
          return true;
        }
      s->done = true;
      emit (s, tok, HS_TOK_ENDMARKER, s->pos, s->lineno, s->line_start);
      tok->col = tok->end_col = UINT32_MAX;
      return true;
    }

  if (c == '\n')
    {
      s->pos++;
      bool blank_line = (s->last_kind == HS_TOK_NEWLINE || s->last_kind == HS_TOK_INDENT
                         || s->last_kind == HS_TOK_DEDENT);
      if (s->level > 0 || blank_line)
        {
          new_line (s);
          if (s->level == 0)
            s->atbol = true;
          goto next_line;
        }
      /* CPython's NEWLINE after a comment spans the comment */
      tok->kind = HS_TOK_NEWLINE;
      tok->start = start;
      tok->end = s->pos;
      tok->lineno = lineno;
      tok->col = (uint32_t) (start - line_start);
      tok->end_lineno = lineno;
      tok->end_col = after_comment ? (uint32_t) (s->pos - 1 - line_start) : tok->col + 1;
      tok->level = 0;
      s->last_kind = HS_TOK_NEWLINE;
      new_line (s);
      s->atbol = true;
      return true;
    }

  if (c == '\\')
    {
      int d = peekc (s, 1);
      if (d == '\n')
        {
          s->pos += 2;
          new_line (s);
          if (peekc (s, 0) < 0)
            {
              /* CPython: "unexpected EOF while parsing" after the backslash */
              hs_scanner_set_error (s->src, s->len, s->err, "SyntaxError",
                                    "unexpected EOF while parsing", lineno,
                                    (uint32_t) (start + 1 - line_start), lineno, UINT32_MAX);
              s->failed = true;
              return false;
            }
          goto again;
        }
      if (d < 0)
        {
          hs_scanner_set_error (s->src, s->len, s->err, "SyntaxError",
                                "unexpected EOF while parsing", lineno,
                                (uint32_t) (start + 1 - line_start), lineno, UINT32_MAX);
          s->failed = true;
          return false;
        }
      hs_scanner_set_error (s->src, s->len, s->err, "SyntaxError",
                            "unexpected character after line continuation character",
                            lineno, (uint32_t) (start + 1 - line_start), lineno, UINT32_MAX);
      s->failed = true;
      return false;
    }

  /* names and string prefixes */
  if (is_id_start_ascii (c) || c >= 128)
    {
      /* string prefix? */
      size_t p = s->pos;
      bool saw_b = false, saw_r = false, saw_u = false, saw_f = false;
      for (;;)
        {
          int d = (unsigned char) s->src[p];
          int lower = d | 0x20;
          if (lower == 'b' && !saw_b && !saw_u && !saw_f)
            saw_b = true;
          else if (lower == 'r' && !saw_r && !saw_u)
            saw_r = true;
          else if (lower == 'u' && !saw_b && !saw_r && !saw_u && !saw_f)
            saw_u = true;
          else if (lower == 'f' && !saw_f && !saw_b && !saw_u)
            saw_f = true;
          else
            break;
          p++;
          if (s->src[p] == '"' || s->src[p] == '\'')
            {
              s->pos = p;
              return scan_string (s, tok, start, lineno, line_start);
            }
        }
      bool ascii = true;
      while (s->pos < s->len)
        {
          int d = (unsigned char) s->src[s->pos];
          if (d < 128)
            {
              if (!is_id_char_ascii (d))
                break;
              s->pos++;
              continue;
            }
          uint32_t cp = 0;
          int n = hs_utf8_valid_len ((const unsigned char *) s->src + s->pos,
                                     (const unsigned char *) s->src + s->len, &cp);
          if (n == 0)
            n = 1;
          bool first = (s->pos == start);
          if (!unicode_is_xid (cp, first))
            {
              if (first || true)
                {
                  /* CPython reads the whole would-be name, then reports its
                   * first character that cannot be in an identifier. */
                  char msg[96];
                  char ch[8];
                  memcpy (ch, s->src + s->pos, (size_t) n);
                  ch[n] = '\0';
                  snprintf (msg, sizeof msg, "invalid character '%s' (U+%04X)", ch, cp);
                  return scan_error_at (s, "SyntaxError", msg, s->pos);
                }
            }
          ascii = false;
          s->pos += (size_t) n;
        }
      (void) ascii;
      HsTokKind kind = keyword_kind (s->src + start, s->pos - start);
      return emit (s, tok, kind, start, lineno, line_start);
    }

  if (is_digit (c) || (c == '.' && is_digit (peekc (s, 1))))
    {
      if (!scan_number (s))
        {
          if (!s->failed)
            {
              hs_scanner_set_error (s->src, s->len, s->err, "SyntaxError",
                                    "leading zeros in decimal integer literals are not permitted; "
                                    "use an 0o prefix for octal integers", s->lineno,
                                    (uint32_t) (start - s->line_start), s->lineno,
                                    (uint32_t) (s->zeros_end - s->line_start));
              s->failed = true;
            }
          return false;
        }
      return emit (s, tok, HS_TOK_NUMBER, start, lineno, line_start);
    }

  if (c == '"' || c == '\'')
    return scan_string (s, tok, start, lineno, line_start);

  /* operators */
  int c1 = peekc (s, 1), c2 = peekc (s, 2);
  HsTokKind kind = HS_TOK_ERRORTOKEN;
  int n = 1;
  switch (c)
    {
    case '(': kind = HS_TOK_LPAR; break;
    case ')': kind = HS_TOK_RPAR; break;
    case '[': kind = HS_TOK_LSQB; break;
    case ']': kind = HS_TOK_RSQB; break;
    case '{': kind = HS_TOK_LBRACE; break;
    case '}': kind = HS_TOK_RBRACE; break;
    case ',': kind = HS_TOK_COMMA; break;
    case ';': kind = HS_TOK_SEMI; break;
    case '~': kind = HS_TOK_TILDE; break;
    case ':':
      if (c1 == '=') kind = HS_TOK_COLONEQUAL, n = 2;
      else kind = HS_TOK_COLON;
      break;
    case '.':
      if (c1 == '.' && c2 == '.') kind = HS_TOK_ELLIPSIS, n = 3;
      else kind = HS_TOK_DOT;
      break;
    case '+': if (c1 == '=') kind = HS_TOK_PLUSEQUAL, n = 2; else kind = HS_TOK_PLUS; break;
    case '-':
      if (c1 == '=') kind = HS_TOK_MINEQUAL, n = 2;
      else if (c1 == '>') kind = HS_TOK_RARROW, n = 2;
      else kind = HS_TOK_MINUS;
      break;
    case '*':
      if (c1 == '*')
        {
          if (c2 == '=') kind = HS_TOK_DOUBLESTAREQUAL, n = 3;
          else kind = HS_TOK_DOUBLESTAR, n = 2;
        }
      else if (c1 == '=') kind = HS_TOK_STAREQUAL, n = 2;
      else kind = HS_TOK_STAR;
      break;
    case '/':
      if (c1 == '/')
        {
          if (c2 == '=') kind = HS_TOK_DOUBLESLASHEQUAL, n = 3;
          else kind = HS_TOK_DOUBLESLASH, n = 2;
        }
      else if (c1 == '=') kind = HS_TOK_SLASHEQUAL, n = 2;
      else kind = HS_TOK_SLASH;
      break;
    case '%': if (c1 == '=') kind = HS_TOK_PERCENTEQUAL, n = 2; else kind = HS_TOK_PERCENT; break;
    case '&': if (c1 == '=') kind = HS_TOK_AMPEREQUAL, n = 2; else kind = HS_TOK_AMPER; break;
    case '|': if (c1 == '=') kind = HS_TOK_VBAREQUAL, n = 2; else kind = HS_TOK_VBAR; break;
    case '^': if (c1 == '=') kind = HS_TOK_CIRCUMFLEXEQUAL, n = 2; else kind = HS_TOK_CIRCUMFLEX; break;
    case '@': if (c1 == '=') kind = HS_TOK_ATEQUAL, n = 2; else kind = HS_TOK_AT; break;
    case '=': if (c1 == '=') kind = HS_TOK_EQEQUAL, n = 2; else kind = HS_TOK_EQUAL; break;
    case '!': if (c1 == '=') kind = HS_TOK_NOTEQUAL, n = 2; else kind = HS_TOK_ERRORTOKEN; break;
    case '<':
      if (c1 == '<')
        {
          if (c2 == '=') kind = HS_TOK_LEFTSHIFTEQUAL, n = 3;
          else kind = HS_TOK_LEFTSHIFT, n = 2;
        }
      else if (c1 == '=') kind = HS_TOK_LESSEQUAL, n = 2;
      else if (c1 == '>') kind = HS_TOK_NOTEQUAL, n = 2;   /* Barry as FLUFL: rejected by the parser */
      else kind = HS_TOK_LESS;
      break;
    case '>':
      if (c1 == '>')
        {
          if (c2 == '=') kind = HS_TOK_RIGHTSHIFTEQUAL, n = 3;
          else kind = HS_TOK_RIGHTSHIFT, n = 2;
        }
      else if (c1 == '=') kind = HS_TOK_GREATEREQUAL, n = 2;
      else kind = HS_TOK_GREATER;
      break;
    default:
      break;
    }

  if (kind == HS_TOK_ERRORTOKEN && c != '!')
    {
      /* '$', '?', '`' are ERRORTOKENs the parser turns into "invalid syntax";
       * other control characters are invalid characters. */
      if (c == '$' || c == '?' || c == '`')
        {
          s->pos++;
          return emit (s, tok, HS_TOK_ERRORTOKEN, start, lineno, line_start);
        }
      char msg[64];
      if (c < 32 || c == 127)
        snprintf (msg, sizeof msg, "invalid non-printable character U+%04X", (unsigned) c);
      else
        snprintf (msg, sizeof msg, "invalid character '%c' (U+%04X)", c, (unsigned) c);
      s->pos++;
      return scan_error_at (s, "SyntaxError", msg, start);
    }

  if (kind == HS_TOK_LPAR || kind == HS_TOK_LSQB || kind == HS_TOK_LBRACE)
    {
      if (s->level >= HS_SCANNER_MAX_LEVEL)
        {
          s->pos++;
          return scan_error_at (s, "SyntaxError", "too many nested parentheses", start);
        }
      s->parenstack[s->level] = (char) c;
      s->parenlineno[s->level] = lineno;
      s->parencol[s->level] = (uint32_t) (start - line_start);
      s->parenlinestart[s->level] = line_start;
      s->level++;
    }
  else if (kind == HS_TOK_RPAR || kind == HS_TOK_RSQB || kind == HS_TOK_RBRACE)
    {
      char msg[128];
      if (s->level == 0)
        {
          snprintf (msg, sizeof msg, "unmatched '%c'", c);
          s->pos++;
          return scan_error_at (s, "SyntaxError", msg, start);
        }
      s->level--;
      int open = s->parenstack[s->level];
      if (!((open == '(' && c == ')') || (open == '[' && c == ']') || (open == '{' && c == '}')))
        {
          if (s->parenlineno[s->level] != lineno)
            snprintf (msg, sizeof msg,
                      "closing parenthesis '%c' does not match opening parenthesis '%c' on line %u",
                      c, open, s->parenlineno[s->level]);
          else
            snprintf (msg, sizeof msg,
                      "closing parenthesis '%c' does not match opening parenthesis '%c'", c, open);
          s->pos++;
          return scan_error_at (s, "SyntaxError", msg, start);
        }
    }
  s->pos += (size_t) n;
  return emit (s, tok, kind, start, lineno, line_start);
}
