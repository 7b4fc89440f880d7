/* hs-str.c — str: UTF-8 storage with code-point semantics, interning, and str's methods. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define _GNU_SOURCE
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <wctype.h>

#include "hs-numbers-private.h"

/* Per-VM state (vm->str_state): the intern table, the cached '' and one-character ASCII
 * strings (shared and immortal, like CPython's), and a UTF-8 locale for case mapping. */
typedef struct {
  HsStr   **table;      /* open addressing, linear probing; NULL = empty */
  size_t    cap;        /* power of two */
  size_t    count;
  HsObject *empty;
  HsObject *chars[128];
  locale_t  utf8;       /* (locale_t) 0 when no UTF-8 locale exists: ASCII-only case mapping */
  /* Last non-ASCII index lookup (s[i] in a loop walks from here, not from the start).
   * The id guards against a freed string whose address was reused. */
  HsId      idx_id;
  size_t    idx_cp;
  size_t    idx_byte;
} HsStrState;

#define STR_HEADER_SIZE (offsetof (HsStr, data))

static inline HsStr *
as_str (HsObject *o)
{
  return (HsStr *) o;
}

/* ---- UTF-8 --------------------------------------------------------------- */

size_t
hs_utf8_length (const char *s, size_t len)
{
  size_t cont = 0;

  for (size_t i = 0; i < len; i++)
    cont += ((unsigned char) s[i] & 0xC0) == 0x80;
  return len - cont;
}

uint32_t
hs_utf8_decode (const char *s, size_t *adv)
{
  const unsigned char *p = (const unsigned char *) s;

  if (p[0] < 0x80)
    {
      *adv = 1;
      return p[0];
    }
  if (p[0] < 0xE0)
    {
      *adv = 2;
      return ((uint32_t) (p[0] & 0x1F) << 6) | (p[1] & 0x3F);
    }
  if (p[0] < 0xF0)
    {
      *adv = 3;
      return ((uint32_t) (p[0] & 0x0F) << 12) | ((uint32_t) (p[1] & 0x3F) << 6) | (p[2] & 0x3F);
    }
  *adv = 4;
  return ((uint32_t) (p[0] & 0x07) << 18) | ((uint32_t) (p[1] & 0x3F) << 12)
         | ((uint32_t) (p[2] & 0x3F) << 6) | (p[3] & 0x3F);
}

size_t
hs_utf8_encode (uint32_t cp, char *out)
{
  if (cp < 0x80)
    {
      out[0] = (char) cp;
      return 1;
    }
  if (cp < 0x800)
    {
      out[0] = (char) (0xC0 | (cp >> 6));
      out[1] = (char) (0x80 | (cp & 0x3F));
      return 2;
    }
  if (cp < 0x10000)
    {
      out[0] = (char) (0xE0 | (cp >> 12));
      out[1] = (char) (0x80 | ((cp >> 6) & 0x3F));
      out[2] = (char) (0x80 | (cp & 0x3F));
      return 3;
    }
  out[0] = (char) (0xF0 | (cp >> 18));
  out[1] = (char) (0x80 | ((cp >> 12) & 0x3F));
  out[2] = (char) (0x80 | ((cp >> 6) & 0x3F));
  out[3] = (char) (0x80 | (cp & 0x3F));
  return 4;
}

static inline uint32_t
next_cp (const char **p)
{
  unsigned char c = (unsigned char) **p;
  size_t adv;
  uint32_t cp;

  if (c < 0x80)
    {
      (*p)++;
      return c;
    }
  cp = hs_utf8_decode (*p, &adv);
  *p += adv;
  return cp;
}

/* The code point ending just before p. */
static inline uint32_t
prev_cp (const char *start, const char **p)
{
  const char *q = *p - 1;
  size_t adv;

  while (q > start && ((unsigned char) *q & 0xC0) == 0x80)
    q--;
  *p = q;
  return hs_utf8_decode (q, &adv);
}

static bool
all_ascii (const char *s, size_t len)
{
  size_t i = 0;
  uint64_t acc = 0;

  for (; i + 8 <= len; i += 8)
    {
      uint64_t w;
      memcpy (&w, s + i, 8);
      acc |= w;
    }
  for (; i < len; i++)
    acc |= (unsigned char) s[i];
  return (acc & 0x8080808080808080ull) == 0;
}

/* Byte offset of code point `index` (0 <= index <= length). */
static size_t
cp_to_byte (const HsStr *s, size_t index)
{
  const char *p, *end = s->data + s->size;

  if (s->ascii)
    return index;
  if (index >= s->length)
    return s->size;
  if (index > s->length / 2)
    {
      size_t back = s->length - index;
      p = end;
      while (back > 0)
        {
          p--;
          if (((unsigned char) *p & 0xC0) != 0x80)
            back--;
        }
      return (size_t) (p - s->data);
    }
  p = s->data;
  while (index > 0)
    {
      p++;
      while (((unsigned char) *p & 0xC0) == 0x80)
        p++;
      index--;
    }
  return (size_t) (p - s->data);
}

static size_t
byte_to_cp (const HsStr *s, size_t offset)
{
  return s->ascii ? offset : hs_utf8_length (s->data, offset);
}

/* ---- hashing and allocation ---------------------------------------------- */

static inline uint64_t
mix64 (uint64_t h)
{
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  h ^= h >> 33;
  return h;
}

/* A fast 64-bit hash (8 bytes per step); CPython's is randomized, so nothing depends on
 * the exact values. */
static int64_t
bytes_hash (const char *s, size_t len)
{
  uint64_t h = 0x243F6A8885A308D3ull ^ (len * 0x9E3779B97F4A7C15ull);
  size_t i = 0;
  int64_t r;

  for (; i + 8 <= len; i += 8)
    {
      uint64_t w;
      memcpy (&w, s + i, 8);
      h = (h ^ w) * 0x9E3779B97F4A7C15ull;
      h ^= h >> 29;
    }
  if (i < len)
    {
      uint64_t w = 0;
      memcpy (&w, s + i, len - i);
      h = (h ^ w) * 0x9E3779B97F4A7C15ull;
    }
  r = (int64_t) (mix64 (h) >> 1);
  return r == -1 ? -2 : r;
}

int64_t
hs_str_hash (HsObject *o)
{
  HsStr *s = as_str (o);

  if (s->hash == -1)
    s->hash = bytes_hash (s->data, s->size);
  return s->hash;
}

HsStr *
hs_str_alloc (HsVm *vm, size_t size)
{
  HsStr *s = hs_object_alloc (vm, HS_T (vm, STR), STR_HEADER_SIZE + size + 1);

  if (HS_UNLIKELY (s == NULL))
    return NULL;
  s->size = size;
  s->length = size;
  s->hash = -1;
  s->ascii = true;
  s->interned = false;
  s->data[size] = '\0';
  return s;
}

void
hs_str_finish_scan (HsStr *s)
{
  s->ascii = all_ascii (s->data, s->size);
  s->length = s->ascii ? s->size : hs_utf8_length (s->data, s->size);
}

static HsStrState *
state_of (HsVm *vm)
{
  return vm->str_state;
}

static HsStr *
intern_find_or_add (HsVm *vm, const char *s, size_t len, bool ascii)
{
  HsStrState *st = state_of (vm);
  int64_t h = bytes_hash (s, len);
  size_t mask, i;
  HsStr *str;

  if (st->count * 2 >= st->cap)
    {
      size_t ncap = st->cap * 2;
      HsStr **nt = hs_mem_alloc (vm, ncap * sizeof *nt);

      if (nt == NULL)
        return NULL;
      memset (nt, 0, ncap * sizeof *nt);
      for (size_t k = 0; k < st->cap; k++)
        if (st->table[k] != NULL)
          {
            size_t j = (size_t) st->table[k]->hash & (ncap - 1);
            while (nt[j] != NULL)
              j = (j + 1) & (ncap - 1);
            nt[j] = st->table[k];
          }
      hs_mem_free (vm, st->table, st->cap * sizeof *st->table);
      st->table = nt;
      st->cap = ncap;
    }
  mask = st->cap - 1;
  for (i = (size_t) h & mask; st->table[i] != NULL; i = (i + 1) & mask)
    {
      HsStr *e = st->table[i];
      if (e->hash == h && e->size == len && memcmp (e->data, s, len) == 0)
        return e;
    }
  str = hs_str_alloc (vm, len);
  if (str == NULL)
    return NULL;
  memcpy (str->data, s, len);
  str->ascii = ascii;
  str->length = ascii ? len : hs_utf8_length (s, len);
  str->hash = h;
  str->interned = true;
  hs_make_immortal (&str->base);
  st->table[i] = str;
  st->count++;
  return str;
}

HsObject *
hs_str_intern (HsVm *vm, const char *s, size_t len)
{
  HsStr *str = intern_find_or_add (vm, s, len, all_ascii (s, len));

  return str != NULL ? hs_incref (&str->base) : NULL;
}

HsObject *
hs_str_empty (HsVm *vm)
{
  return hs_incref (state_of (vm)->empty);
}

static inline HsObject *
ascii_char (HsVm *vm, unsigned char c)
{
  HsStrState *st = state_of (vm);
  HsObject *o = st->chars[c];

  if (HS_UNLIKELY (o == NULL))
    {
      char ch = (char) c;
      HsStr *s = intern_find_or_add (vm, &ch, 1, true);

      if (s == NULL)
        return NULL;
      o = st->chars[c] = &s->base;
    }
  return hs_incref (o);
}

HsObject *
hs_str_from_ascii (HsVm *vm, const char *s, size_t len)
{
  HsStr *str;

  if (len <= 1)
    return len == 0 ? hs_str_empty (vm) : ascii_char (vm, (unsigned char) s[0]);
  str = hs_str_alloc (vm, len);
  if (str == NULL)
    return NULL;
  memcpy (str->data, s, len);
  return &str->base;
}

HsObject *
hs_str_from_utf8 (HsVm *vm, const char *s, size_t len)
{
  HsStr *str;

  if (len <= 1 && (len == 0 || (unsigned char) s[0] < 0x80))
    return len == 0 ? hs_str_empty (vm) : ascii_char (vm, (unsigned char) s[0]);
  str = hs_str_alloc (vm, len);
  if (str == NULL)
    return NULL;
  memcpy (str->data, s, len);
  hs_str_finish_scan (str);
  return &str->base;
}

HsObject *
hs_str_from_cstr (HsVm *vm, const char *s)
{
  return hs_str_from_utf8 (vm, s, strlen (s));
}

/* A substring of known ASCII-ness (from a str's own bytes). */
static HsObject *
str_sub (HsVm *vm, const HsStr *src, size_t from, size_t to)
{
  size_t len = to - from;
  HsStr *s;

  if (len == src->size && src->base.type == vm->types[HS_T_STR])
    return hs_incref ((HsObject *) &src->base);
  if (src->ascii)
    return hs_str_from_ascii (vm, src->data + from, len);
  if (len == 0)
    return hs_str_empty (vm);
  s = hs_str_alloc (vm, len);
  if (s == NULL)
    return NULL;
  memcpy (s->data, src->data + from, len);
  hs_str_finish_scan (s);
  return &s->base;
}

HsObject *
hs_str_printf (HsVm *vm, const char *fmt, ...)
{
  char small[256];
  va_list ap;
  int n;
  HsObject *r;

  va_start (ap, fmt);
  n = vsnprintf (small, sizeof small, fmt, ap);
  va_end (ap);
  if (n < 0)
    n = 0;
  if ((size_t) n < sizeof small)
    return hs_str_from_utf8 (vm, small, (size_t) n);
  {
    HsStr *s = hs_str_alloc (vm, (size_t) n);
    if (s == NULL)
      return NULL;
    va_start (ap, fmt);
    vsnprintf (s->data, (size_t) n + 1, fmt, ap);
    va_end (ap);
    hs_str_finish_scan (s);
    r = &s->base;
  }
  return r;
}

bool
hs_str_equal (const HsObject *a, const HsObject *b)
{
  const HsStr *x = (const HsStr *) a, *y = (const HsStr *) b;

  if (a == b)
    return true;
  if (x->size != y->size)
    return false;
  if (x->hash != -1 && y->hash != -1 && x->hash != y->hash)
    return false;
  return memcmp (x->data, y->data, x->size) == 0;
}

HsObject *
hs_str_concat (HsVm *vm, HsObject *a, HsObject *b)
{
  HsStr *x = as_str (a), *y = as_str (b), *s;
  size_t size;

  if (y->size == 0 && HS_TYPE (a) == HS_T (vm, STR))
    return hs_incref (a);
  if (x->size == 0 && HS_TYPE (b) == HS_T (vm, STR))
    return hs_incref (b);
  if (__builtin_add_overflow (x->size, y->size, &size))
    return hs_err_no_memory (vm);
  s = hs_str_alloc (vm, size);
  if (s == NULL)
    return NULL;
  memcpy (s->data, x->data, x->size);
  memcpy (s->data + x->size, y->data, y->size);
  s->length = x->length + y->length;
  s->ascii = x->ascii && y->ascii;
  return &s->base;
}

/* ---- the string buffer --------------------------------------------------- */

void
hs_strbuf_init (HsVm *vm, HsStrBuf *b)
{
  b->vm = vm;
  b->data = b->inline_buf;
  b->len = 0;
  b->cap = sizeof b->inline_buf;
}

bool
hs_strbuf_grow (HsStrBuf *b, size_t extra)
{
  size_t need, ncap;
  char *nd;

  if (__builtin_add_overflow (b->len, extra, &need))
    {
      hs_err_no_memory (b->vm);
      return false;
    }
  if (need <= b->cap)
    return true;
  ncap = b->cap * 2;
  if (ncap < need)
    ncap = need;
  if (b->data == b->inline_buf)
    {
      nd = hs_mem_alloc (b->vm, ncap);
      if (nd != NULL)
        memcpy (nd, b->data, b->len);
    }
  else
    nd = hs_mem_realloc (b->vm, b->data, b->cap, ncap);
  if (nd == NULL)
    return false;
  b->data = nd;
  b->cap = ncap;
  return true;
}

void
hs_strbuf_clear (HsStrBuf *b)
{
  if (b->data != b->inline_buf)
    hs_mem_free (b->vm, b->data, b->cap);
  b->data = b->inline_buf;
  b->cap = sizeof b->inline_buf;
  b->len = 0;
}

HsObject *
hs_strbuf_finish (HsStrBuf *b)
{
  HsObject *r = hs_str_from_utf8 (b->vm, b->data, b->len);

  hs_strbuf_clear (b);
  return r;
}

bool
hs_strbuf_fill (HsStrBuf *b, const char *fill, size_t fill_size, size_t count)
{
  if (count == 0)
    return true;
  if (!hs_strbuf_grow (b, fill_size * count))
    return false;
  if (fill_size == 1)
    memset (b->data + b->len, fill[0], count);
  else
    for (size_t i = 0; i < count; i++)
      memcpy (b->data + b->len + i * fill_size, fill, fill_size);
  b->len += fill_size * count;
  return true;
}

/* ---- character classes ---------------------------------------------------- */

static bool
cp_is_space (uint32_t c)
{
  if (c < 0x80)
    return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f);
  return c == 0x85 || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028
         || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

static bool
cp_is_linebreak (uint32_t c)
{
  return c == '\n' || c == '\r' || c == 0x0B || c == 0x0C || c == 0x1C || c == 0x1D || c == 0x1E
         || c == 0x85 || c == 0x2028 || c == 0x2029;
}

static bool
cp_is_printable (HsStrState *st, uint32_t c)
{
  if (c < 0x80)
    return c >= 0x20 && c < 0x7F;
  if (c < 0xA0 || c == 0xAD || cp_is_space (c))
    return false;
  if ((c >= 0x200B && c <= 0x200F) || (c >= 0x202A && c <= 0x202E) || (c >= 0x2060 && c <= 0x206F)
      || c == 0xFEFF || (c >= 0xFFF0 && c <= 0xFFFF) || (c >= 0xD800 && c <= 0xF8FF)
      || (c >= 0xE0000 && c <= 0xE0FFF) || c >= 0xF0000)
    return false;
  if (st != NULL && st->utf8 != (locale_t) 0)
    return iswprint_l ((wint_t) c, st->utf8) != 0;
  return true;
}

static uint32_t
cp_upper (HsStrState *st, uint32_t c)
{
  if (c < 0x80)
    return c >= 'a' && c <= 'z' ? c - 32 : c;
  return st->utf8 != (locale_t) 0 ? (uint32_t) towupper_l ((wint_t) c, st->utf8) : c;
}

static uint32_t
cp_lower (HsStrState *st, uint32_t c)
{
  if (c < 0x80)
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
  return st->utf8 != (locale_t) 0 ? (uint32_t) towlower_l ((wint_t) c, st->utf8) : c;
}

/* Titlecase letters (Lt) are neither upper nor lower for Python; glibc calls them upper. */
static bool
cp_is_titlecase (uint32_t c)
{
  return c == 0x1C5 || c == 0x1C8 || c == 0x1CB || c == 0x1F2 || (c >= 0x1F88 && c <= 0x1F8F)
         || (c >= 0x1F98 && c <= 0x1F9F) || (c >= 0x1FA8 && c <= 0x1FAF) || c == 0x1FBC || c == 0x1FCC
         || c == 0x1FFC;
}

static bool
cp_is_upper (HsStrState *st, uint32_t c)
{
  if (c < 0x80)
    return c >= 'A' && c <= 'Z';
  return st->utf8 != (locale_t) 0 && iswupper_l ((wint_t) c, st->utf8) && !cp_is_titlecase (c);
}

static bool
cp_is_lower (HsStrState *st, uint32_t c)
{
  if (c < 0x80)
    return c >= 'a' && c <= 'z';
  return st->utf8 != (locale_t) 0 && iswlower_l ((wint_t) c, st->utf8) && !cp_is_titlecase (c);
}

/* Title case mapping: differs from upper case only for the Latin digraphs. */
static uint32_t
cp_title (HsStrState *st, uint32_t c)
{
  if (c >= 0x1C4 && c <= 0x1CC)
    return 0x1C5 + (c - 0x1C4) / 3 * 3;
  if (c >= 0x1F1 && c <= 0x1F3)
    return 0x1F2;
  return cp_upper (st, c);
}

/* Unicode decimal digits (category Nd) come in runs of ten: these are the zeros. */
static const uint32_t nd_zeros[] = {
  0x0030, 0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66,
  0x0CE6, 0x0D66, 0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946,
  0x19D0, 0x1A80, 0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0,
  0xA9F0, 0xAA50, 0xABF0, 0xFF10, 0x104A0, 0x10D30, 0x11066, 0x110F0, 0x11136, 0x111D0,
  0x112F0, 0x11450, 0x114D0, 0x11650, 0x116C0, 0x11730, 0x118E0, 0x11950, 0x11C50, 0x11D50,
  0x11DA0, 0x16A60, 0x16AC0, 0x16B50, 0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6, 0x1E140,
  0x1E2F0, 0x1E950, 0x1FBF0,
};

static bool
cp_is_decimal (uint32_t c)
{
  if (c < 0x80)
    return c >= '0' && c <= '9';
  for (size_t i = 1; i < sizeof nd_zeros / sizeof nd_zeros[0]; i++)
    if (c >= nd_zeros[i] && c < nd_zeros[i] + 10)
      return true;
  return false;
}

/* str.isdigit: decimals plus superscripts, subscripts and circled digits. */
static bool
cp_is_digit (HsStrState *st, uint32_t c)
{
  (void) st;
  if (c < 0x80)
    return c >= '0' && c <= '9';
  return cp_is_decimal (c) || c == 0xB2 || c == 0xB3 || c == 0xB9 || c == 0x2070
         || (c >= 0x2074 && c <= 0x2079) || (c >= 0x2080 && c <= 0x2089)
         || (c >= 0x2460 && c <= 0x2468) || (c >= 0x2474 && c <= 0x247C) || (c >= 0x2488 && c <= 0x2490)
         || c == 0x24EA || (c >= 0x24F5 && c <= 0x24FD) || c == 0x24FF || (c >= 0x2776 && c <= 0x277E)
         || (c >= 0x2780 && c <= 0x2788) || (c >= 0x278A && c <= 0x2792);
}

/* str.isnumeric: digits plus vulgar fractions, number forms and common CJK numerals. */
static bool
cp_is_numeric (HsStrState *st, uint32_t c)
{
  static const uint32_t cjk[] = { 0x3007, 0x4E00, 0x4E8C, 0x4E09, 0x56DB, 0x4E94, 0x516D, 0x4E03,
                                  0x516B, 0x4E5D, 0x5341, 0x767E, 0x5343, 0x4E07, 0x5104 };

  if (cp_is_digit (st, c) || (c >= 0xBC && c <= 0xBE) || (c >= 0x2150 && c <= 0x2189)
      || (c >= 0x2469 && c <= 0x2473) || (c >= 0x247D && c <= 0x2487) || (c >= 0x2491 && c <= 0x249B)
      || (c >= 0x24EB && c <= 0x24F4) || (c >= 0x277F && c <= 0x277F) || (c >= 0x3021 && c <= 0x3029))
    return true;
  for (size_t i = 0; i < sizeof cjk / sizeof cjk[0]; i++)
    if (c == cjk[i])
      return true;
  return false;
}

static bool
cp_is_alpha (HsStrState *st, uint32_t c)
{
  if (c < 0x80)
    return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
  /* glibc counts other scripts' digits as alpha; Python does not. */
  return st->utf8 != (locale_t) 0 && iswalpha_l ((wint_t) c, st->utf8) && !cp_is_numeric (st, c);
}

static bool
cp_is_cased (HsStrState *st, uint32_t c)
{
  return cp_is_upper (st, c) || cp_is_lower (st, c) || cp_is_titlecase (c);
}

/* ---- repr ---------------------------------------------------------------- */

static const char hexdigits[] = "0123456789abcdef";

static bool
append_escape (HsStrBuf *b, uint32_t c)
{
  char esc[10];
  size_t n = 0;

  esc[n++] = '\\';
  if (c < 0x100)
    {
      esc[n++] = 'x';
      esc[n++] = hexdigits[(c >> 4) & 15];
      esc[n++] = hexdigits[c & 15];
    }
  else if (c < 0x10000)
    {
      esc[n++] = 'u';
      for (int sh = 12; sh >= 0; sh -= 4)
        esc[n++] = hexdigits[(c >> sh) & 15];
    }
  else
    {
      esc[n++] = 'U';
      for (int sh = 28; sh >= 0; sh -= 4)
        esc[n++] = hexdigits[(c >> sh) & 15];
    }
  return hs_strbuf_append (b, esc, n);
}

bool
hs_str_append_repr (HsStrBuf *b, const char *s, size_t size, bool ascii_only)
{
  HsStrState *st = state_of (b->vm);
  const char *p = s, *end = s + size;
  char quote = '\'';

  if (memchr (s, '\'', size) != NULL && memchr (s, '"', size) == NULL)
    quote = '"';
  if (!hs_strbuf_grow (b, size + 2))
    return false;
  b->data[b->len++] = quote;
  while (p < end)
    {
      const char *run = p;
      uint32_t c;

      /* Copy runs of plain printable ASCII at once. */
      while (p < end && (unsigned char) *p >= 0x20 && (unsigned char) *p < 0x7F && *p != quote && *p != '\\')
        p++;
      if (p > run && !hs_strbuf_append (b, run, (size_t) (p - run)))
        return false;
      if (p >= end)
        break;
      run = p;
      c = next_cp (&p);
      if (c == (uint32_t) quote || c == '\\')
        {
          char e[2] = { '\\', (char) c };
          if (!hs_strbuf_append (b, e, 2))
            return false;
        }
      else if (c == '\n' || c == '\r' || c == '\t')
        {
          char e[2] = { '\\', c == '\n' ? 'n' : c == '\r' ? 'r' : 't' };
          if (!hs_strbuf_append (b, e, 2))
            return false;
        }
      else if (c < 0x80 || ascii_only || !cp_is_printable (st, c))
        {
          if (!append_escape (b, c))
            return false;
        }
      else if (!hs_strbuf_append (b, run, (size_t) (p - run)))
        return false;
    }
  return hs_strbuf_putc (b, quote);
}

void
hs_str_repr_cbuf (const char *s, size_t size, char *buf, size_t cap)
{
  char quote = '\'';
  const char *p = s, *end = s + size;
  size_t n = 0;
  static const char ell[] = "\xE2\x80\xA6";   /* "…" */

  if (cap == 0)
    return;
  if (memchr (s, '\'', size) != NULL && memchr (s, '"', size) == NULL)
    quote = '"';
  buf[0] = '\0';
  if (cap < 8)
    return;
  buf[n++] = quote;
  while (p < end)
    {
      char piece[12];
      size_t pn = 0;
      const char *start = p;
      uint32_t c = next_cp (&p);

      if (c == (uint32_t) quote || c == '\\')
        {
          piece[pn++] = '\\';
          piece[pn++] = (char) c;
        }
      else if (c == '\n' || c == '\r' || c == '\t')
        {
          piece[pn++] = '\\';
          piece[pn++] = c == '\n' ? 'n' : c == '\r' ? 'r' : 't';
        }
      else if (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0))
        pn = (size_t) snprintf (piece, sizeof piece, "\\x%02x", c);
      else
        {
          memcpy (piece, start, (size_t) (p - start));
          pn = (size_t) (p - start);
        }
      /* Keep room for the quote, a possible "…" and the NUL. */
      if (n + pn + 1 + 3 + 1 > cap || (n + pn + 2 > cap))
        {
          if (n + 3 + 1 <= cap)
            {
              memcpy (buf + n, ell, 3);
              n += 3;
            }
          buf[n] = '\0';
          return;
        }
      memcpy (buf + n, piece, pn);
      n += pn;
    }
  buf[n++] = quote;
  buf[n] = '\0';
}

static HsObject *
str_repr (HsVm *vm, HsObject *self)
{
  HsStrBuf b;

  hs_strbuf_init (vm, &b);
  if (!hs_str_append_repr (&b, hs_str_data (self), hs_str_size (self), false))
    {
      hs_strbuf_clear (&b);
      return NULL;
    }
  return hs_strbuf_finish (&b);
}

static HsObject *
str_str (HsVm *vm, HsObject *self)
{
  if (HS_TYPE (self) == HS_T (vm, STR))
    return hs_incref (self);
  return hs_str_from_utf8 (vm, hs_str_data (self), hs_str_size (self));
}

static void
str_describe (HsVm *vm, HsObject *self, char *buf, size_t cap)
{
  (void) vm;
  hs_str_repr_cbuf (hs_str_data (self), hs_str_size (self), buf, cap);
}

/* sys.getsizeof as CPython 3.11 (64-bit, PEP 393): compact ASCII is 48 bytes of header
 * + 1 per char + NUL = 49 + n; other strings are compact with a 72-byte header plus the
 * NUL: latin-1 (max < 256) 73 + n, UCS-2 74 + 2n, UCS-4 76 + 4n.  The UTF-8 copy CPython
 * may cache is not counted (getsizeof of a fresh str does not include it either). */
static size_t
str_size_of (HsObject *self)
{
  HsStr *s = as_str (self);
  uint32_t maxc = 0;
  const char *p = s->data, *end = s->data + s->size;

  if (s->ascii)
    return 49 + s->size;
  while (p < end)
    {
      uint32_t c = next_cp (&p);
      if (c > maxc)
        maxc = c;
    }
  if (maxc < 0x100)
    return 73 + s->length;
  if (maxc < 0x10000)
    return 74 + 2 * s->length;
  return 76 + 4 * s->length;
}

static void
str_dealloc (HsVm *vm, HsObject *self)
{
  hs_object_free (vm, self);
}

static bool
str_hash_slot (HsVm *vm, HsObject *self, int64_t *out)
{
  (void) vm;
  *out = hs_str_hash (self);
  return true;
}

static int
str_compare (const HsStr *x, const HsStr *y)
{
  size_t n = x->size < y->size ? x->size : y->size;
  int c = memcmp (x->data, y->data, n);   /* UTF-8 byte order is code point order */

  if (c != 0)
    return c < 0 ? -1 : 1;
  return (x->size > y->size) - (x->size < y->size);
}

static HsObject *
str_richcompare (HsVm *vm, HsObject *self, HsObject *other, HsCompareOp op)
{
  int c;
  bool r;

  if (!hs_num_is_str (vm, other) || !hs_num_is_str (vm, self))
    return hs_not_implemented (vm);
  if (op == HS_CMP_EQ || op == HS_CMP_NE)
    return hs_bool_from (vm, hs_str_equal (self, other) == (op == HS_CMP_EQ));
  c = str_compare (as_str (self), as_str (other));
  switch (op)
    {
    case HS_CMP_LT: r = c < 0; break;
    case HS_CMP_LE: r = c <= 0; break;
    case HS_CMP_GT: r = c > 0; break;
    default:        r = c >= 0; break;
    }
  return hs_bool_from (vm, r);
}

static HsObject *
str_repeat (HsVm *vm, HsObject *str, int64_t n)
{
  HsStr *s = as_str (str), *r;
  size_t size, done;

  if (n <= 0 || s->size == 0)
    return hs_str_empty (vm);
  if (n == 1 && HS_TYPE (str) == HS_T (vm, STR))
    return hs_incref (str);
  if (__builtin_mul_overflow (s->size, (size_t) n, &size) || size > ((size_t) 1 << 48))
    {
      hs_err_format (vm, HS_EXC (vm, OVERFLOW_ERROR), "repeated string is too long");
      return NULL;
    }
  r = hs_str_alloc (vm, size);
  if (r == NULL)
    return NULL;
  if (s->size == 1)
    memset (r->data, s->data[0], size);
  else
    {
      memcpy (r->data, s->data, s->size);
      for (done = s->size; done < size; done *= 2)
        memcpy (r->data + done, r->data, done * 2 <= size ? done : size - done);
    }
  r->ascii = s->ascii;
  r->length = s->length * (size_t) n;
  return &r->base;
}

static HsObject *
str_binary (HsVm *vm, HsObject *a, HsObject *b, HsBinaryOp op)
{
  bool a_str = hs_num_is_str (vm, a), b_str = hs_num_is_str (vm, b);

  switch (op)
    {
    case HS_BINOP_ADD:
      if (a_str && b_str)
        return hs_str_concat (vm, a, b);
      if (a_str && !(HS_TYPE (b)->flags & HS_TPFLAG_HEAPTYPE))
        {
          hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "can only concatenate str (not \"%s\") to str",
                         hs_object_type_name (b));
          return NULL;
        }
      return hs_not_implemented (vm);
    case HS_BINOP_MUL:
      {
        HsObject *s = a_str ? a : b, *n = a_str ? b : a;

        if (hs_num_is_int (vm, n))
          return str_repeat (vm, s, hs_int_value (n));
        if (HS_TYPE (n)->flags & HS_TPFLAG_HEAPTYPE)
          return hs_not_implemented (vm);
        hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "can't multiply sequence by non-int of type '%s'",
                       hs_object_type_name (n));
        return NULL;
      }
    case HS_BINOP_MOD:
      if (a_str)
        return hs_str_mod_format (vm, a, b);
      return hs_not_implemented (vm);
    default:
      return hs_not_implemented (vm);
    }
}

static int
str_truth (HsVm *vm, HsObject *self)
{
  (void) vm;
  return hs_str_size (self) != 0;
}

static int64_t
str_len (HsVm *vm, HsObject *self)
{
  (void) vm;
  return (int64_t) as_str (self)->length;
}

static HsObject *
char_at (HsVm *vm, const char *p)
{
  size_t adv;

  if ((unsigned char) *p < 0x80)
    return ascii_char (vm, (unsigned char) *p);
  hs_utf8_decode (p, &adv);
  return hs_str_from_utf8 (vm, p, adv);
}

/* cp_to_byte for a non-ASCII string, walking from the previous lookup when that is
 * closer: s[i] over increasing i stays linear overall. */
static size_t
cp_to_byte_cached (HsStrState *st, HsStr *s, size_t index)
{
  size_t cp, byte;

  if (st->idx_id != s->base.id || (index < st->idx_cp ? st->idx_cp - index : index - st->idx_cp) > index)
    byte = cp_to_byte (s, index);
  else
    {
      cp = st->idx_cp;
      byte = st->idx_byte;
      while (cp < index)
        {
          byte++;
          while (((unsigned char) s->data[byte] & 0xC0) == 0x80)
            byte++;
          cp++;
        }
      while (cp > index)
        {
          byte--;
          while (((unsigned char) s->data[byte] & 0xC0) == 0x80)
            byte--;
          cp--;
        }
    }
  st->idx_id = s->base.id;
  st->idx_cp = index;
  st->idx_byte = byte;
  return byte;
}

static HsObject *
str_getitem (HsVm *vm, HsObject *self, HsObject *key)
{
  HsStr *s = as_str (self);

  if (HS_LIKELY (hs_num_is_int (vm, key)))
    {
      int64_t i = hs_int_value (key);

      if (i < 0)
        i += (int64_t) s->length;
      if (i < 0 || (uint64_t) i >= s->length)
        {
          hs_err_format (vm, HS_EXC (vm, INDEX_ERROR), "string index out of range");
          return NULL;
        }
      if (s->ascii)
        return char_at (vm, s->data + i);
      return char_at (vm, s->data + cp_to_byte_cached (state_of (vm), s, (size_t) i));
    }
  if (HS_TYPE (key) == HS_T (vm, SLICE))
    {
      int64_t start, stop, step, n;
      HsStrBuf b;

      if (hs_slice_indices (vm, key, (int64_t) s->length, &start, &stop, &step, &n) < 0)
        return NULL;
      if (n <= 0)
        return hs_str_empty (vm);
      if (step == 1)
        return str_sub (vm, s, cp_to_byte (s, (size_t) start), cp_to_byte (s, (size_t) stop));
      if (s->ascii)
        {
          HsStr *r = hs_str_alloc (vm, (size_t) n);
          if (r == NULL)
            return NULL;
          for (int64_t k = 0, i = start; k < n; k++, i += step)
            r->data[k] = s->data[i];
          return &r->base;
        }
      /* Non-ASCII with a step: walk code points once, keeping the wanted ones. */
      hs_strbuf_init (vm, &b);
      {
        const char *p = s->data, *end = s->data + s->size;
        size_t nd = (size_t) n, cpi = 0;
        size_t *offs = hs_mem_alloc (vm, (s->length + 1) * sizeof *offs);

        if (offs == NULL)
          return NULL;
        while (p < end)
          {
            offs[cpi++] = (size_t) (p - s->data);
            next_cp (&p);
          }
        offs[cpi] = s->size;
        for (size_t k = 0; k < nd; k++)
          {
            size_t i = (size_t) (start + (int64_t) k * step);
            if (!hs_strbuf_append (&b, s->data + offs[i], offs[i + 1] - offs[i]))
              {
                hs_mem_free (vm, offs, (s->length + 1) * sizeof *offs);
                hs_strbuf_clear (&b);
                return NULL;
              }
          }
        hs_mem_free (vm, offs, (s->length + 1) * sizeof *offs);
      }
      return hs_strbuf_finish (&b);
    }
  hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "string indices must be integers, not '%s'",
                 hs_object_type_name (key));
  return NULL;
}

static const char *
find_bytes (const char *hay, size_t hlen, const char *needle, size_t nlen)
{
  if (nlen == 0)
    return hay;
  if (nlen > hlen)
    return NULL;
  if (nlen == 1)
    return memchr (hay, needle[0], hlen);
  return memmem (hay, hlen, needle, nlen);
}

static const char *
rfind_bytes (const char *hay, size_t hlen, const char *needle, size_t nlen)
{
  if (nlen == 0)
    return hay + hlen;
  if (nlen > hlen)
    return NULL;
  if (nlen == 1)
    return memrchr (hay, needle[0], hlen);
  for (const char *p = hay + hlen - nlen;; p--)
    {
      if (*p == needle[0] && memcmp (p, needle, nlen) == 0)
        return p;
      if (p == hay)
        return NULL;
    }
}

static int
str_contains (HsVm *vm, HsObject *self, HsObject *item)
{
  if (!hs_num_is_str (vm, item))
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "'in <string>' requires string as left operand, not %s",
                     hs_object_type_name (item));
      return -1;
    }
  return find_bytes (hs_str_data (self), hs_str_size (self), hs_str_data (item), hs_str_size (item)) != NULL;
}

/* ---- iterator ------------------------------------------------------------ */

typedef struct {
  HsObject  base;
  HsObject *str;    /* NULL once exhausted */
  size_t    pos;    /* byte offset of the next character */
} HsStrIter;

static HsObject *
str_iter (HsVm *vm, HsObject *self)
{
  HsStrIter *it = hs_object_alloc (vm, HS_T (vm, STR_ITER), sizeof (HsStrIter));

  if (it == NULL)
    return NULL;
  it->str = hs_incref (self);
  it->pos = 0;
  if (hs_hooked (vm, HS_EV_REF))
    hs_emit_ref (vm, HS_HOLDER_INTERNAL, it->base.id, 0, "iterable", NULL, self);
  return &it->base;
}

static void
str_iter_release (HsVm *vm, HsStrIter *it)
{
  HsObject *s = it->str;

  if (s == NULL)
    return;
  it->str = NULL;
  if (hs_hooked (vm, HS_EV_REF))
    hs_emit_ref (vm, HS_HOLDER_INTERNAL, it->base.id, 0, "iterable", s, NULL);
  hs_decref (vm, s);
}

static HsObject *
str_iter_next (HsVm *vm, HsObject *self)
{
  HsStrIter *it = (HsStrIter *) self;
  HsStr *s = (HsStr *) it->str;
  const char *p;
  size_t adv;

  if (s == NULL)
    return NULL;
  if (it->pos >= s->size)
    {
      /* Exhausted iterators drop their string, as CPython's do. */
      str_iter_release (vm, it);
      return NULL;
    }
  p = s->data + it->pos;
  if ((unsigned char) *p < 0x80)
    {
      it->pos++;
      return ascii_char (vm, (unsigned char) *p);
    }
  hs_utf8_decode (p, &adv);
  it->pos += adv;
  return hs_str_from_utf8 (vm, p, adv);
}

static HsObject *
str_iter_self (HsVm *vm, HsObject *self)
{
  (void) vm;
  return hs_incref (self);
}

static void
str_iter_dealloc (HsVm *vm, HsObject *self)
{
  str_iter_release (vm, (HsStrIter *) self);
  hs_object_free (vm, self);
}

static int
str_iter_traverse (HsObject *self, HsVisitProc visit, void *arg)
{
  HsStrIter *it = (HsStrIter *) self;

  return it->str != NULL ? visit (it->str, arg) : 0;
}

static size_t
str_iter_size_of (HsObject *self)
{
  (void) self;
  return 48;
}

static const HsMethodDef str_iter_methods[] = { { NULL, NULL, NULL } };

static const HsType str_iter_template = {
  .name = "str_ascii_iterator",
  .basic_size = sizeof (HsStrIter),
  .dealloc = str_iter_dealloc,
  .traverse = str_iter_traverse,
  .iter = str_iter_self,
  .iternext = str_iter_next,
  .len = NULL,
  .methods = str_iter_methods,
  .size_of = str_iter_size_of,
};

/* ---- argument helpers ---------------------------------------------------- */

static bool
no_args (HsVm *vm, const char *name, size_t nargs, HsObject *kwnames)
{
  if (kwnames != NULL && hs_tuple_size (kwnames) > 0)
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "str.%s() takes no keyword arguments", name);
      return false;
    }
  if (nargs != 0)
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "str.%s() takes no arguments (%zu given)", name, nargs);
      return false;
    }
  return true;
}

static bool
no_kwargs (HsVm *vm, const char *name, HsObject *kwnames)
{
  if (kwnames != NULL && hs_tuple_size (kwnames) > 0)
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "str.%s() takes no keyword arguments", name);
      return false;
    }
  return true;
}

/* "center expected at least 1 argument, got 0" style (argument clinic's varargs wording). */
static bool
check_range_expected (HsVm *vm, const char *name, size_t nargs, size_t min, size_t max)
{
  if (nargs < min)
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "%s expected at least %zu argument%s, got %zu",
                     name, min, min == 1 ? "" : "s", nargs);
      return false;
    }
  if (nargs > max)
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "%s expected at most %zu argument%s, got %zu",
                     name, max, max == 1 ? "" : "s", nargs);
      return false;
    }
  return true;
}

/* "find() takes at least 1 argument (0 given)" style. */
static bool
check_range_takes (HsVm *vm, const char *name, size_t nargs, size_t min, size_t max)
{
  if (nargs < min)
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "%s() takes at least %zu argument%s (%zu given)",
                     name, min, min == 1 ? "" : "s", nargs);
      return false;
    }
  if (nargs > max)
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "%s() takes at most %zu argument%s (%zu given)",
                     name, max, max == 1 ? "" : "s", nargs);
      return false;
    }
  return true;
}

static bool
exactly_one (HsVm *vm, const char *name, size_t nargs, HsObject *kwnames)
{
  if (!no_kwargs (vm, name, kwnames))
    return false;
  if (nargs != 1)
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "str.%s() takes exactly one argument (%zu given)", name, nargs);
      return false;
    }
  return true;
}

static bool
need_str (HsVm *vm, HsObject *o)
{
  if (hs_num_is_str (vm, o))
    return true;
  hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "must be str, not %s", hs_object_type_name (o));
  return false;
}

/* Argument clinic's wording: "removeprefix() argument must be str, not None". */
static bool
need_str_arg (HsVm *vm, const char *fname, HsObject *o)
{
  if (hs_num_is_str (vm, o))
    return true;
  hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "%s() argument must be str, not %s", fname,
                 o == vm->none ? "None" : hs_object_type_name (o));
  return false;
}

/* Optional slice bounds (None or int) resolved against a length, as CPython's
 * ADJUST_INDICES.  Returns false with TypeError set. */
static bool
slice_bounds (HsVm *vm, HsObject *const *args, size_t nargs, size_t first, int64_t length,
              int64_t *start, int64_t *end)
{
  int64_t v[2] = { 0, length };

  for (size_t k = 0; k < 2; k++)
    {
      HsObject *o = first + k < nargs ? args[first + k] : NULL;

      if (o == NULL || o == vm->none)
        continue;
      if (!hs_num_is_int (vm, o))
        {
          hs_err_format (vm, HS_EXC (vm, TYPE_ERROR),
                         "slice indices must be integers or None or have an __index__ method");
          return false;
        }
      v[k] = hs_int_value (o);
    }
  if (v[1] > length)
    v[1] = length;
  else if (v[1] < 0)
    {
      v[1] += length;
      if (v[1] < 0)
        v[1] = 0;
    }
  if (v[0] < 0)
    {
      v[0] += length;
      if (v[0] < 0)
        v[0] = 0;
    }
  *start = v[0];
  *end = v[1];
  return true;
}

/* ---- case methods -------------------------------------------------------- */

typedef enum { CASE_UPPER, CASE_LOWER, CASE_SWAP, CASE_TITLE, CASE_CAPITALIZE, CASE_FOLD } CaseMode;

static HsObject *
change_case (HsVm *vm, HsObject *self, CaseMode mode)
{
  HsStr *s = as_str (self);
  HsStrState *st = state_of (vm);

  if (s->ascii)
    {
      HsStr *r;
      bool prev_cased = false;

      if (s->size == 0)
        return hs_str_empty (vm);
      r = hs_str_alloc (vm, s->size);
      if (r == NULL)
        return NULL;
      for (size_t i = 0; i < s->size; i++)
        {
          unsigned char c = (unsigned char) s->data[i];
          bool up = c >= 'A' && c <= 'Z', low = c >= 'a' && c <= 'z';

          switch (mode)
            {
            case CASE_UPPER:
              if (low) c -= 32;
              break;
            case CASE_LOWER:
            case CASE_FOLD:
              if (up) c += 32;
              break;
            case CASE_SWAP:
              if (low) c -= 32;
              else if (up) c += 32;
              break;
            case CASE_TITLE:
              if (prev_cased ? up : low)
                c = prev_cased ? c + 32 : c - 32;
              prev_cased = up || low;
              break;
            case CASE_CAPITALIZE:
              if (i == 0 ? low : up)
                c = i == 0 ? c - 32 : c + 32;
              break;
            }
          r->data[i] = (char) c;
        }
      return &r->base;
    }
  {
    HsStrBuf b;
    const char *p = s->data, *end = s->data + s->size;
    bool prev_cased = false, first = true, prev_was_cased = false;

    hs_strbuf_init (vm, &b);
    while (p < end)
      {
        uint32_t c = next_cp (&p), o = c;
        char enc[4];

        switch (mode)
          {
          case CASE_UPPER:
            o = cp_upper (st, c);
            break;
          case CASE_LOWER:
          case CASE_FOLD:
            o = cp_lower (st, c);
            break;
          case CASE_SWAP:
            o = cp_is_upper (st, c) ? cp_lower (st, c) : cp_is_lower (st, c) ? cp_upper (st, c) : c;
            break;
          case CASE_TITLE:
            o = prev_cased ? cp_lower (st, c) : cp_title (st, c);
            prev_cased = cp_is_cased (st, c);
            break;
          case CASE_CAPITALIZE:
            o = first ? cp_title (st, c) : cp_lower (st, c);
            break;
          }
        /* The few one-to-many mappings learners meet: German sharp s, dotted capital I. */
        if (c == 0xDF && mode == CASE_FOLD)
          {
            if (!hs_strbuf_append (&b, "ss", 2))
              {
                hs_strbuf_clear (&b);
                return NULL;
              }
            continue;
          }
        if (c == 0xDF && (mode == CASE_UPPER || (mode == CASE_TITLE && !prev_was_cased)
                          || (mode == CASE_CAPITALIZE && first)))
          {
            bool title_like = mode == CASE_TITLE ? !prev_was_cased : (mode == CASE_CAPITALIZE && first);
            first = false;
            if (!hs_strbuf_append (&b, title_like ? "Ss" : "SS", 2))
              {
                hs_strbuf_clear (&b);
                return NULL;
              }
            prev_was_cased = true;
            continue;
          }
        if (c == 0xDF && mode == CASE_SWAP)
          {
            if (!hs_strbuf_append (&b, "SS", 2))
              {
                hs_strbuf_clear (&b);
                return NULL;
              }
            continue;
          }
        if (c == 0x130 && (mode == CASE_LOWER || mode == CASE_FOLD || (mode == CASE_SWAP) || (mode == CASE_CAPITALIZE && !first)
                           || (mode == CASE_TITLE && prev_was_cased)))
          {
            first = false;
            if (!hs_strbuf_append (&b, "i\xCC\x87", 3))
              {
                hs_strbuf_clear (&b);
                return NULL;
              }
            prev_was_cased = true;
            continue;
          }
        first = false;
        prev_was_cased = cp_is_cased (st, c);
        if (!hs_strbuf_append (&b, enc, hs_utf8_encode (o, enc)))
          {
            hs_strbuf_clear (&b);
            return NULL;
          }
      }
    return hs_strbuf_finish (&b);
  }
}

#define CASE_METHOD(fname, mode)                                                   \
  static HsObject *                                                                \
  str_##fname (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs,      \
               HsObject *kwnames)                                                  \
  {                                                                                \
    (void) args;                                                                   \
    if (!no_args (vm, #fname, nargs, kwnames))                                     \
      return NULL;                                                                 \
    return change_case (vm, self, mode);                                           \
  }

CASE_METHOD (upper, CASE_UPPER)
CASE_METHOD (lower, CASE_LOWER)
CASE_METHOD (swapcase, CASE_SWAP)
CASE_METHOD (title, CASE_TITLE)
CASE_METHOD (capitalize, CASE_CAPITALIZE)
CASE_METHOD (casefold, CASE_FOLD)

/* ---- predicates ---------------------------------------------------------- */

typedef enum { PRED_DIGIT, PRED_ALPHA, PRED_ALNUM, PRED_SPACE, PRED_DECIMAL, PRED_NUMERIC } PredKind;

static HsObject *
predicate (HsVm *vm, HsObject *self, PredKind kind)
{
  HsStrState *st = state_of (vm);
  const char *p = hs_str_data (self), *end = p + hs_str_size (self);

  if (p == end)
    return hs_bool_from (vm, false);
  while (p < end)
    {
      uint32_t c = next_cp (&p);
      bool ok;

      switch (kind)
        {
        case PRED_DIGIT:
          ok = cp_is_digit (st, c);
          break;
        case PRED_DECIMAL:
          ok = cp_is_decimal (c);
          break;
        case PRED_NUMERIC:
          ok = cp_is_numeric (st, c);
          break;
        case PRED_ALPHA:
          ok = cp_is_alpha (st, c);
          break;
        case PRED_ALNUM:
          ok = cp_is_alpha (st, c) || cp_is_numeric (st, c);
          break;
        default:
          ok = cp_is_space (c);
          break;
        }
      if (!ok)
        return hs_bool_from (vm, false);
    }
  return hs_bool_from (vm, true);
}

#define PRED_METHOD(fname, kind)                                                   \
  static HsObject *                                                                \
  str_##fname (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs,      \
               HsObject *kwnames)                                                  \
  {                                                                                \
    (void) args;                                                                   \
    if (!no_args (vm, #fname, nargs, kwnames))                                     \
      return NULL;                                                                 \
    return predicate (vm, self, kind);                                             \
  }

PRED_METHOD (isdigit, PRED_DIGIT)
PRED_METHOD (isdecimal, PRED_DECIMAL)
PRED_METHOD (isnumeric, PRED_NUMERIC)
PRED_METHOD (isalpha, PRED_ALPHA)
PRED_METHOD (isalnum, PRED_ALNUM)
PRED_METHOD (isspace, PRED_SPACE)

static HsObject *
cased_predicate (HsVm *vm, HsObject *self, bool want_upper)
{
  HsStrState *st = state_of (vm);
  const char *p = hs_str_data (self), *end = p + hs_str_size (self);
  bool cased = false;

  while (p < end)
    {
      uint32_t c = next_cp (&p);

      if (want_upper ? cp_is_lower (st, c) : cp_is_upper (st, c))
        return hs_bool_from (vm, false);
      if (want_upper ? cp_is_upper (st, c) : cp_is_lower (st, c))
        cased = true;
    }
  return hs_bool_from (vm, cased);
}

static HsObject *
str_isupper (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  (void) args;
  if (!no_args (vm, "isupper", nargs, kwnames))
    return NULL;
  return cased_predicate (vm, self, true);
}

static HsObject *
str_islower (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  (void) args;
  if (!no_args (vm, "islower", nargs, kwnames))
    return NULL;
  return cased_predicate (vm, self, false);
}

static HsObject *
str_istitle (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  HsStrState *st = state_of (vm);
  const char *p = hs_str_data (self), *end = p + hs_str_size (self);
  bool cased = false, prev_cased = false;

  (void) args;
  if (!no_args (vm, "istitle", nargs, kwnames))
    return NULL;
  while (p < end)
    {
      uint32_t c = next_cp (&p);

      if (cp_is_upper (st, c))
        {
          if (prev_cased)
            return hs_bool_from (vm, false);
          prev_cased = cased = true;
        }
      else if (cp_is_lower (st, c))
        {
          if (!prev_cased)
            return hs_bool_from (vm, false);
          prev_cased = cased = true;
        }
      else
        prev_cased = false;
    }
  return hs_bool_from (vm, cased);
}

static HsObject *
str_isidentifier (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  HsStrState *st = state_of (vm);
  const char *p = hs_str_data (self), *end = p + hs_str_size (self);
  bool first = true;

  (void) args;
  if (!no_args (vm, "isidentifier", nargs, kwnames))
    return NULL;
  if (p == end)
    return hs_bool_from (vm, false);
  while (p < end)
    {
      uint32_t c = next_cp (&p);
      bool ok = c == '_' || cp_is_alpha (st, c) || (!first && cp_is_decimal (c));

      if (!ok)
        return hs_bool_from (vm, false);
      first = false;
    }
  return hs_bool_from (vm, true);
}

static HsObject *
str_isascii (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  (void) args;
  if (!no_args (vm, "isascii", nargs, kwnames))
    return NULL;
  return hs_bool_from (vm, as_str (self)->ascii);
}

static HsObject *
str_isprintable (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  const char *p = hs_str_data (self), *end = p + hs_str_size (self);

  (void) args;
  if (!no_args (vm, "isprintable", nargs, kwnames))
    return NULL;
  while (p < end)
    {
      uint32_t c = next_cp (&p);
      if (c != ' ' && !cp_is_printable (state_of (vm), c))
        return hs_bool_from (vm, false);
    }
  return hs_bool_from (vm, true);
}

/* ---- strip --------------------------------------------------------------- */

static bool
in_chars (const HsStr *chars, uint32_t c)
{
  if (chars->ascii)
    return c < 0x80 && memchr (chars->data, (int) c, chars->size) != NULL;
  for (const char *p = chars->data, *end = p + chars->size; p < end;)
    if (next_cp (&p) == c)
      return true;
  return false;
}

static HsObject *
do_strip (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames,
          const char *name, bool left, bool right)
{
  HsStr *s = as_str (self), *chars = NULL;
  const char *start = s->data, *end = s->data + s->size;

  if (!no_kwargs (vm, name, kwnames) || !check_range_expected (vm, name, nargs, 0, 1))
    return NULL;
  if (nargs == 1 && args[0] != vm->none)
    {
      if (!hs_num_is_str (vm, args[0]))
        {
          hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "%s arg must be None or str", name);
          return NULL;
        }
      chars = as_str (args[0]);
    }
  if (left)
    while (start < end)
      {
        const char *q = start;
        uint32_t c = next_cp (&q);
        if (chars != NULL ? !in_chars (chars, c) : !cp_is_space (c))
          break;
        start = q;
      }
  if (right)
    while (end > start)
      {
        const char *q = end;
        uint32_t c = prev_cp (start, &q);
        if (chars != NULL ? !in_chars (chars, c) : !cp_is_space (c))
          break;
        end = q;
      }
  return str_sub (vm, s, (size_t) (start - s->data), (size_t) (end - s->data));
}

static HsObject *
str_strip (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  return do_strip (vm, self, args, nargs, kwnames, "strip", true, true);
}

static HsObject *
str_lstrip (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  return do_strip (vm, self, args, nargs, kwnames, "lstrip", true, false);
}

static HsObject *
str_rstrip (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  return do_strip (vm, self, args, nargs, kwnames, "rstrip", false, true);
}

/* ---- split, join ---------------------------------------------------------- */

static bool
list_append_new (HsVm *vm, HsObject *list, HsObject *item)
{
  int r;

  if (item == NULL)
    return false;
  r = hs_list_append (vm, list, item);
  HS_DECREF (vm, item);
  return r == 0;
}

static HsObject *
split_impl (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames,
            bool reverse)
{
  static const char *const names[] = { "sep", "maxsplit" };
  const char *fname = reverse ? "rsplit" : "split";
  HsObject *a[2], *list;
  HsStr *s = as_str (self), *sep = NULL;
  int64_t maxsplit = -1;

  if (hs_num_parse_args (vm, fname, args, nargs, kwnames, names, 2, a) < 0)
    return NULL;
  if (a[1] != NULL && hs_index_value (vm, a[1], &maxsplit) < 0)
    return NULL;
  if (a[0] != NULL && a[0] != vm->none)
    {
      if (!hs_num_is_str (vm, a[0]))
        {
          hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "must be str or None, not %s", hs_object_type_name (a[0]));
          return NULL;
        }
      sep = as_str (a[0]);
      if (sep->size == 0)
        {
          hs_err_format (vm, HS_EXC (vm, VALUE_ERROR), "empty separator");
          return NULL;
        }
    }
  if (maxsplit < 0)
    maxsplit = INT64_MAX;
  list = hs_list_new (vm, 0);
  if (list == NULL)
    return NULL;

  if (sep == NULL)
    {
      const char *base = s->data, *p = base, *end = base + s->size;

      if (!reverse)
        {
          for (;;)
            {
              const char *q, *wstart;
              while (p < end)
                {
                  q = p;
                  if (!cp_is_space (next_cp (&q)))
                    break;
                  p = q;
                }
              if (p >= end)
                break;
              if (maxsplit == 0)
                {
                  /* The rest, with trailing whitespace kept, as CPython does. */
                  if (!list_append_new (vm, list, str_sub (vm, s, (size_t) (p - base), s->size)))
                    goto fail;
                  break;
                }
              wstart = p;
              while (p < end)
                {
                  q = p;
                  if (cp_is_space (next_cp (&q)))
                    break;
                  p = q;
                }
              if (!list_append_new (vm, list, str_sub (vm, s, (size_t) (wstart - base), (size_t) (p - base))))
                goto fail;
              maxsplit--;
            }
        }
      else
        {
          HsObject *tmp;
          for (;;)
            {
              const char *q, *wend;
              while (end > p)
                {
                  q = end;
                  if (!cp_is_space (prev_cp (base, &q)))
                    break;
                  end = q;
                }
              if (end <= p)
                break;
              if (maxsplit == 0)
                {
                  if (!list_append_new (vm, list, str_sub (vm, s, 0, (size_t) (end - base))))
                    goto fail;
                  break;
                }
              wend = end;
              while (end > p)
                {
                  q = end;
                  if (cp_is_space (prev_cp (base, &q)))
                    break;
                  end = q;
                }
              if (!list_append_new (vm, list, str_sub (vm, s, (size_t) (end - base), (size_t) (wend - base))))
                goto fail;
              maxsplit--;
            }
          /* Collected back to front: reverse in place through the list API. */
          tmp = hs_list_new (vm, hs_list_size (list));
          if (tmp == NULL)
            goto fail;
          for (size_t i = hs_list_size (list); i > 0; i--)
            if (hs_list_append (vm, tmp, hs_list_item (list, i - 1)) < 0)
              {
                HS_DECREF (vm, tmp);
                goto fail;
              }
          HS_DECREF (vm, list);
          list = tmp;
        }
      return list;
    }

  if (!reverse)
    {
      const char *base = s->data, *p = base, *end = base + s->size, *hit;

      while (maxsplit > 0 && (hit = find_bytes (p, (size_t) (end - p), sep->data, sep->size)) != NULL)
        {
          if (!list_append_new (vm, list, str_sub (vm, s, (size_t) (p - base), (size_t) (hit - base))))
            goto fail;
          p = hit + sep->size;
          maxsplit--;
        }
      if (!list_append_new (vm, list, str_sub (vm, s, (size_t) (p - base), s->size)))
        goto fail;
      return list;
    }
  else
    {
      const char *base = s->data, *end = base + s->size, *hit;
      HsObject *tmp;

      while (maxsplit > 0 && (hit = rfind_bytes (base, (size_t) (end - base), sep->data, sep->size)) != NULL)
        {
          if (!list_append_new (vm, list, str_sub (vm, s, (size_t) (hit + sep->size - base), (size_t) (end - base))))
            goto fail;
          end = hit;
          maxsplit--;
        }
      if (!list_append_new (vm, list, str_sub (vm, s, 0, (size_t) (end - base))))
        goto fail;
      tmp = hs_list_new (vm, hs_list_size (list));
      if (tmp == NULL)
        goto fail;
      for (size_t i = hs_list_size (list); i > 0; i--)
        if (hs_list_append (vm, tmp, hs_list_item (list, i - 1)) < 0)
          {
            HS_DECREF (vm, tmp);
            goto fail;
          }
      HS_DECREF (vm, list);
      return tmp;
    }

fail:
  HS_DECREF (vm, list);
  return NULL;
}

static HsObject *
str_split (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  return split_impl (vm, self, args, nargs, kwnames, false);
}

static HsObject *
str_rsplit (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  return split_impl (vm, self, args, nargs, kwnames, true);
}

static HsObject *
str_splitlines (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  static const char *const names[] = { "keepends" };
  HsObject *a[1], *list;
  HsStr *s = as_str (self);
  const char *base = s->data, *p = base, *end = base + s->size;
  bool keep = false;

  if (hs_num_parse_args (vm, "splitlines", args, nargs, kwnames, names, 1, a) < 0)
    return NULL;
  if (a[0] != NULL)
    {
      int64_t k;
      if (hs_index_value (vm, a[0], &k) < 0)
        return NULL;
      keep = k != 0;
    }
  list = hs_list_new (vm, 0);
  if (list == NULL)
    return NULL;
  while (p < end)
    {
      const char *line = p, *eol;
      uint32_t c = 0;

      for (;;)
        {
          const char *q = p;
          if (p >= end)
            break;
          c = next_cp (&q);
          if (cp_is_linebreak (c))
            break;
          p = q;
        }
      eol = p;
      if (p < end)
        {
          next_cp (&p);
          if (c == '\r' && p < end && *p == '\n')
            p++;
        }
      if (!list_append_new (vm, list, str_sub (vm, s, (size_t) (line - base), (size_t) ((keep ? p : eol) - base))))
        {
          HS_DECREF (vm, list);
          return NULL;
        }
    }
  return list;
}

static HsObject *
str_join (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  HsStr *sep = as_str (self), *r;
  HsObject *seq, *const *items;
  size_t n, size = 0, length = 0;
  bool ascii = sep->ascii, owned = false;
  char *out;

  if (!exactly_one (vm, "join", nargs, kwnames))
    return NULL;
  seq = args[0];
  if (HS_TYPE (seq) == HS_T (vm, LIST))
    {
      n = hs_list_size (seq);
      items = ((HsList *) seq)->items;
    }
  else if (HS_TYPE (seq) == HS_T (vm, TUPLE))
    {
      n = hs_tuple_size (seq);
      items = ((HsTuple *) seq)->items;
    }
  else
    {
      if (HS_TYPE (seq)->iter == NULL && HS_TYPE (seq)->getitem == NULL
          && !(HS_TYPE (seq)->flags & HS_TPFLAG_HEAPTYPE))
        {
          hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "can only join an iterable");
          return NULL;
        }
      seq = hs_sequence_list (vm, seq);
      if (seq == NULL)
        {
          if (hs_err_matches (vm, HS_EXC (vm, TYPE_ERROR)))
            {
              hs_err_clear (vm);
              hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "can only join an iterable");
            }
          return NULL;
        }
      owned = true;
      n = hs_list_size (seq);
      items = ((HsList *) seq)->items;
    }

  /* The final size first, so the result is allocated once. */
  for (size_t i = 0; i < n; i++)
    {
      HsObject *it = items[i];
      if (!hs_num_is_str (vm, it))
        {
          hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "sequence item %zu: expected str instance, %s found",
                         i, hs_object_type_name (it));
          goto fail;
        }
      size += hs_str_size (it);
      length += as_str (it)->length;
      ascii = ascii && as_str (it)->ascii;
    }
  if (n == 0)
    {
      if (owned)
        HS_DECREF (vm, seq);
      return hs_str_empty (vm);
    }
  if (n == 1 && HS_TYPE (items[0]) == HS_T (vm, STR))
    {
      HsObject *one = hs_incref (items[0]);
      if (owned)
        HS_DECREF (vm, seq);
      return one;
    }
  size += sep->size * (n - 1);
  length += sep->length * (n - 1);
  r = hs_str_alloc (vm, size);
  if (r == NULL)
    goto fail;
  out = r->data;
  for (size_t i = 0; i < n; i++)
    {
      HsStr *it = as_str (items[i]);
      if (i > 0 && sep->size > 0)
        {
          if (sep->size == 1)
            *out++ = sep->data[0];
          else
            {
              memcpy (out, sep->data, sep->size);
              out += sep->size;
            }
        }
      memcpy (out, it->data, it->size);
      out += it->size;
    }
  r->length = length;
  r->ascii = ascii;
  if (owned)
    HS_DECREF (vm, seq);
  return &r->base;

fail:
  if (owned)
    HS_DECREF (vm, seq);
  return NULL;
}

/* ---- replace ------------------------------------------------------------- */

static HsObject *
str_replace (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  HsStr *s = as_str (self), *old, *new_, *r;
  int64_t count = -1, hits = 0;
  size_t size;
  char *out;
  const char *p, *end, *hit;

  if (!no_kwargs (vm, "replace", kwnames) || !check_range_expected (vm, "replace", nargs, 2, 3))
    return NULL;
  for (size_t i = 0; i < 2; i++)
    if (!hs_num_is_str (vm, args[i]))
      {
        hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "replace() argument %zu must be str, not %s",
                       i + 1, args[i] == vm->none ? "None" : hs_object_type_name (args[i]));
        return NULL;
      }
  if (nargs == 3 && hs_index_value (vm, args[2], &count) < 0)
    return NULL;
  old = as_str (args[0]);
  new_ = as_str (args[1]);
  if (count < 0)
    count = INT64_MAX;

  /* Count the replacements first, so the result is allocated once. */
  if (old->size == 0)
    hits = (int64_t) s->length + 1 < count ? (int64_t) s->length + 1 : count;
  else
    for (p = s->data, end = p + s->size; hits < count && (hit = find_bytes (p, (size_t) (end - p), old->data, old->size)) != NULL;
         p = hit + old->size)
      hits++;
  if (hits == 0)
    return str_sub (vm, s, 0, s->size);
  size = s->size - (size_t) hits * old->size + (size_t) hits * new_->size;
  r = hs_str_alloc (vm, size);
  if (r == NULL)
    return NULL;
  out = r->data;
  p = s->data;
  end = p + s->size;
  if (old->size == 0)
    {
      for (int64_t k = 0; k < hits; k++)
        {
          memcpy (out, new_->data, new_->size);
          out += new_->size;
          if (p < end)
            {
              const char *q = p;
              next_cp (&q);
              memcpy (out, p, (size_t) (q - p));
              out += q - p;
              p = q;
            }
        }
    }
  else
    for (int64_t k = 0; k < hits; k++)
      {
        hit = find_bytes (p, (size_t) (end - p), old->data, old->size);
        memcpy (out, p, (size_t) (hit - p));
        out += hit - p;
        memcpy (out, new_->data, new_->size);
        out += new_->size;
        p = hit + old->size;
      }
  memcpy (out, p, (size_t) (end - p));
  r->ascii = s->ascii && new_->ascii;
  r->length = r->ascii ? size : hs_utf8_length (r->data, size);
  return &r->base;
}

/* ---- find, count, startswith --------------------------------------------- */

typedef enum { FIND_FIND, FIND_RFIND, FIND_INDEX, FIND_RINDEX, FIND_COUNT } FindMode;

static HsObject *
find_impl (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames,
           const char *name, FindMode mode)
{
  HsStr *s = as_str (self), *sub;
  int64_t start, end;
  size_t bstart, bend;
  const char *hit;

  if (!no_kwargs (vm, name, kwnames) || !check_range_takes (vm, name, nargs, 1, 3))
    return NULL;
  /* CPython converts the bounds before it looks at sub. */
  if (!slice_bounds (vm, args, nargs, 1, (int64_t) s->length, &start, &end))
    return NULL;
  if (!need_str (vm, args[0]))
    return NULL;
  sub = as_str (args[0]);
  if (mode == FIND_COUNT)
    {
      int64_t n = 0;
      const char *p, *e;

      if (start > end || (start > (int64_t) s->length))
        return hs_int_from_i64 (vm, 0);
      bstart = cp_to_byte (s, (size_t) start);
      bend = cp_to_byte (s, (size_t) end);
      if (sub->size == 0)
        return hs_int_from_i64 (vm, end - start + 1);
      for (p = s->data + bstart, e = s->data + bend;
           (hit = find_bytes (p, (size_t) (e - p), sub->data, sub->size)) != NULL; p = hit + sub->size)
        n++;
      return hs_int_from_i64 (vm, n);
    }
  if (end - start < (int64_t) sub->length || start > (int64_t) s->length)
    hit = NULL;
  else
    {
      bstart = cp_to_byte (s, (size_t) start);
      bend = cp_to_byte (s, (size_t) end);
      if (mode == FIND_FIND || mode == FIND_INDEX)
        hit = find_bytes (s->data + bstart, bend - bstart, sub->data, sub->size);
      else
        hit = rfind_bytes (s->data + bstart, bend - bstart, sub->data, sub->size);
    }
  if (hit == NULL)
    {
      if (mode == FIND_INDEX || mode == FIND_RINDEX)
        {
          hs_err_format (vm, HS_EXC (vm, VALUE_ERROR), "substring not found");
          return NULL;
        }
      return hs_int_from_i64 (vm, -1);
    }
  return hs_int_from_i64 (vm, (int64_t) byte_to_cp (s, (size_t) (hit - s->data)));
}

#define FIND_METHOD(fname, mode)                                                   \
  static HsObject *                                                                \
  str_##fname (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs,      \
               HsObject *kwnames)                                                  \
  {                                                                                \
    return find_impl (vm, self, args, nargs, kwnames, #fname, mode);               \
  }

FIND_METHOD (find, FIND_FIND)
FIND_METHOD (rfind, FIND_RFIND)
FIND_METHOD (index, FIND_INDEX)
FIND_METHOD (rindex, FIND_RINDEX)
FIND_METHOD (count, FIND_COUNT)

static int
tail_match (HsVm *vm, HsStr *s, HsStr *sub, int64_t start, int64_t end, bool at_end)
{
  size_t bstart, bend;

  (void) vm;
  if (start > (int64_t) s->length)
    return 0;
  if (end - start < (int64_t) sub->length)
    return 0;
  bstart = cp_to_byte (s, (size_t) start);
  bend = cp_to_byte (s, (size_t) end);
  if (bend - bstart < sub->size)
    return 0;
  if (at_end)
    return memcmp (s->data + bend - sub->size, sub->data, sub->size) == 0;
  return memcmp (s->data + bstart, sub->data, sub->size) == 0;
}

static HsObject *
starts_ends (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames,
             const char *name, bool at_end)
{
  HsStr *s = as_str (self);
  int64_t start, end;
  HsObject *what;

  if (!no_kwargs (vm, name, kwnames) || !check_range_takes (vm, name, nargs, 1, 3))
    return NULL;
  if (!slice_bounds (vm, args, nargs, 1, (int64_t) s->length, &start, &end))
    return NULL;
  what = args[0];
  if (HS_TYPE (what) == HS_T (vm, TUPLE))
    {
      for (size_t i = 0; i < hs_tuple_size (what); i++)
        {
          HsObject *it = hs_tuple_item (what, i);
          if (!hs_num_is_str (vm, it))
            {
              hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "tuple for %s must only contain str, not %s",
                             name, hs_object_type_name (it));
              return NULL;
            }
          if (tail_match (vm, s, as_str (it), start, end, at_end))
            return hs_bool_from (vm, true);
        }
      return hs_bool_from (vm, false);
    }
  if (!hs_num_is_str (vm, what))
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "%s first arg must be str or a tuple of str, not %s",
                     name, hs_object_type_name (what));
      return NULL;
    }
  return hs_bool_from (vm, tail_match (vm, s, as_str (what), start, end, at_end));
}

static HsObject *
str_startswith (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  return starts_ends (vm, self, args, nargs, kwnames, "startswith", false);
}

static HsObject *
str_endswith (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  return starts_ends (vm, self, args, nargs, kwnames, "endswith", true);
}

/* ---- padding ------------------------------------------------------------- */

static HsObject *
pad_impl (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames,
          const char *name, int how /* -1 ljust, 0 center, 1 rjust */)
{
  HsStr *s = as_str (self);
  int64_t width;
  const char *fill = " ";
  size_t fill_size = 1, left, right, total;
  HsStrBuf b;

  if (!no_kwargs (vm, name, kwnames) || !check_range_expected (vm, name, nargs, 1, 2))
    return NULL;
  if (hs_index_value (vm, args[0], &width) < 0)
    return NULL;
  if (nargs == 2)
    {
      if (!hs_num_is_str (vm, args[1]))
        {
          hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "The fill character must be a unicode character, not %s",
                         hs_object_type_name (args[1]));
          return NULL;
        }
      if (as_str (args[1])->length != 1)
        {
          hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "The fill character must be exactly one character long");
          return NULL;
        }
      fill = hs_str_data (args[1]);
      fill_size = hs_str_size (args[1]);
    }
  if (width <= (int64_t) s->length)
    return str_sub (vm, s, 0, s->size);
  total = (size_t) width - s->length;
  if (how < 0)
    left = 0;
  else if (how > 0)
    left = total;
  else
    left = total / 2 + (total & (size_t) width & 1);   /* CPython's rounding for center */
  right = total - left;
  hs_strbuf_init (vm, &b);
  if (!hs_strbuf_fill (&b, fill, fill_size, left) || !hs_strbuf_append (&b, s->data, s->size)
      || !hs_strbuf_fill (&b, fill, fill_size, right))
    {
      hs_strbuf_clear (&b);
      return NULL;
    }
  return hs_strbuf_finish (&b);
}

static HsObject *
str_center (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  return pad_impl (vm, self, args, nargs, kwnames, "center", 0);
}

static HsObject *
str_ljust (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  return pad_impl (vm, self, args, nargs, kwnames, "ljust", -1);
}

static HsObject *
str_rjust (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  return pad_impl (vm, self, args, nargs, kwnames, "rjust", 1);
}

static HsObject *
str_zfill (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  HsStr *s = as_str (self);
  int64_t width;
  size_t pad, sign;
  HsStrBuf b;

  if (!exactly_one (vm, "zfill", nargs, kwnames) || hs_index_value (vm, args[0], &width) < 0)
    return NULL;
  if (width <= (int64_t) s->length)
    return str_sub (vm, s, 0, s->size);
  pad = (size_t) width - s->length;
  sign = s->size > 0 && (s->data[0] == '+' || s->data[0] == '-') ? 1 : 0;
  hs_strbuf_init (vm, &b);
  if (!hs_strbuf_append (&b, s->data, sign) || !hs_strbuf_fill (&b, "0", 1, pad)
      || !hs_strbuf_append (&b, s->data + sign, s->size - sign))
    {
      hs_strbuf_clear (&b);
      return NULL;
    }
  return hs_strbuf_finish (&b);
}

static HsObject *
str_expandtabs (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  static const char *const names[] = { "tabsize" };
  HsObject *a[1];
  HsStr *s = as_str (self);
  int64_t tabsize = 8, col = 0;
  HsStrBuf b;
  const char *p = s->data, *end = p + s->size;

  if (hs_num_parse_args (vm, "expandtabs", args, nargs, kwnames, names, 1, a) < 0)
    return NULL;
  if (a[0] != NULL && hs_index_value (vm, a[0], &tabsize) < 0)
    return NULL;
  hs_strbuf_init (vm, &b);
  while (p < end)
    {
      const char *q = p;
      uint32_t c = next_cp (&q);
      bool ok;

      if (c == '\t')
        {
          int64_t n = tabsize > 0 ? tabsize - col % tabsize : 0;
          ok = hs_strbuf_fill (&b, " ", 1, (size_t) n);
          col += n;
        }
      else
        {
          ok = hs_strbuf_append (&b, p, (size_t) (q - p));
          col = (c == '\n' || c == '\r') ? 0 : col + 1;
        }
      if (!ok)
        {
          hs_strbuf_clear (&b);
          return NULL;
        }
      p = q;
    }
  return hs_strbuf_finish (&b);
}

static HsObject *
partition_impl (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames,
                const char *name, bool reverse)
{
  HsStr *s = as_str (self), *sep;
  const char *hit;
  HsObject *parts[3], *t;

  if (!exactly_one (vm, name, nargs, kwnames) || !need_str (vm, args[0]))
    return NULL;
  sep = as_str (args[0]);
  if (sep->size == 0)
    {
      hs_err_format (vm, HS_EXC (vm, VALUE_ERROR), "empty separator");
      return NULL;
    }
  hit = reverse ? rfind_bytes (s->data, s->size, sep->data, sep->size)
                : find_bytes (s->data, s->size, sep->data, sep->size);
  if (hit == NULL)
    {
      parts[reverse ? 2 : 0] = str_sub (vm, s, 0, s->size);
      parts[1] = hs_str_empty (vm);
      parts[reverse ? 0 : 2] = hs_str_empty (vm);
    }
  else
    {
      size_t at = (size_t) (hit - s->data);
      parts[0] = str_sub (vm, s, 0, at);
      parts[1] = hs_incref (args[0]);
      parts[2] = str_sub (vm, s, at + sep->size, s->size);
    }
  t = (parts[0] && parts[1] && parts[2]) ? hs_tuple_pack (vm, 3, parts[0], parts[1], parts[2]) : NULL;
  for (int i = 0; i < 3; i++)
    HS_XDECREF (vm, parts[i]);
  return t;
}

static HsObject *
str_partition (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  return partition_impl (vm, self, args, nargs, kwnames, "partition", false);
}

static HsObject *
str_rpartition (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  return partition_impl (vm, self, args, nargs, kwnames, "rpartition", true);
}

static HsObject *
str_removeprefix (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  HsStr *s = as_str (self), *x;

  if (!exactly_one (vm, "removeprefix", nargs, kwnames) || !need_str_arg (vm, "removeprefix", args[0]))
    return NULL;
  x = as_str (args[0]);
  if (x->size <= s->size && memcmp (s->data, x->data, x->size) == 0)
    return str_sub (vm, s, x->size, s->size);
  return str_sub (vm, s, 0, s->size);
}

static HsObject *
str_removesuffix (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  HsStr *s = as_str (self), *x;

  if (!exactly_one (vm, "removesuffix", nargs, kwnames) || !need_str_arg (vm, "removesuffix", args[0]))
    return NULL;
  x = as_str (args[0]);
  if (x->size > 0 && x->size <= s->size && memcmp (s->data + s->size - x->size, x->data, x->size) == 0)
    return str_sub (vm, s, 0, s->size - x->size);
  return str_sub (vm, s, 0, s->size);
}

static const HsMethodDef str_methods[] = {
  { "upper", str_upper, "Return a copy of the string converted to uppercase." },
  { "lower", str_lower, "Return a copy of the string converted to lowercase." },
  { "capitalize", str_capitalize, "Return a capitalized version of the string." },
  { "title", str_title, "Return a version of the string where each word is titlecased." },
  { "swapcase", str_swapcase, "Convert uppercase characters to lowercase and vice versa." },
  { "casefold", str_casefold, "Return a version of the string suitable for caseless comparisons." },
  { "strip", str_strip, "Return a copy of the string with leading and trailing whitespace removed." },
  { "lstrip", str_lstrip, "Return a copy of the string with leading whitespace removed." },
  { "rstrip", str_rstrip, "Return a copy of the string with trailing whitespace removed." },
  { "split", str_split, "Return a list of the substrings in the string, using sep as the separator string." },
  { "rsplit", str_rsplit, "Return a list of the substrings in the string, splitting from the end." },
  { "splitlines", str_splitlines, "Return a list of the lines in the string, breaking at line boundaries." },
  { "join", str_join, "Concatenate any number of strings." },
  { "replace", str_replace, "Return a copy with all occurrences of substring old replaced by new." },
  { "startswith", str_startswith, "Return True if S starts with the specified prefix, False otherwise." },
  { "endswith", str_endswith, "Return True if S ends with the specified suffix, False otherwise." },
  { "find", str_find, "Return the lowest index in S where substring sub is found." },
  { "rfind", str_rfind, "Return the highest index in S where substring sub is found." },
  { "index", str_index, "Like find, but raise ValueError when the substring is not found." },
  { "rindex", str_rindex, "Like rfind, but raise ValueError when the substring is not found." },
  { "count", str_count, "Return the number of non-overlapping occurrences of substring sub." },
  { "format", hs_str_format_method, "Return a formatted version of S, using substitutions from args and kwargs." },
  { "isdigit", str_isdigit, "Return True if the string is a digit string, False otherwise." },
  { "isdecimal", str_isdecimal, "Return True if the string is a decimal string, False otherwise." },
  { "isnumeric", str_isnumeric, "Return True if the string is a numeric string, False otherwise." },
  { "isalpha", str_isalpha, "Return True if the string is an alphabetic string, False otherwise." },
  { "isalnum", str_isalnum, "Return True if the string is an alpha-numeric string, False otherwise." },
  { "isspace", str_isspace, "Return True if the string is a whitespace string, False otherwise." },
  { "isupper", str_isupper, "Return True if the string is an uppercase string, False otherwise." },
  { "islower", str_islower, "Return True if the string is a lowercase string, False otherwise." },
  { "istitle", str_istitle, "Return True if the string is a title-cased string, False otherwise." },
  { "isidentifier", str_isidentifier, "Return True if the string is a valid Python identifier." },
  { "isascii", str_isascii, "Return True if all characters in the string are ASCII, False otherwise." },
  { "isprintable", str_isprintable, "Return True if the string is printable, False otherwise." },
  { "center", str_center, "Return a centered string of length width." },
  { "ljust", str_ljust, "Return a left-justified string of length width." },
  { "rjust", str_rjust, "Return a right-justified string of length width." },
  { "zfill", str_zfill, "Pad a numeric string with zeros on the left, to fill a field of the given width." },
  { "expandtabs", str_expandtabs, "Return a copy where all tab characters are expanded using spaces." },
  { "partition", str_partition, "Partition the string into three parts using the given separator." },
  { "rpartition", str_rpartition, "Partition the string into three parts, searching from the end." },
  { "removeprefix", str_removeprefix, "Return a str with the given prefix string removed if present." },
  { "removesuffix", str_removesuffix, "Return a str with the given suffix string removed if present." },
  { NULL, NULL, NULL },
};

/* str(object='') */
static HsObject *
str_new (HsVm *vm, HsType *cls, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  static const char *const names[] = { "object", "encoding", "errors" };
  HsObject *a[3], *r;

  /* str(x): the common case, straight to x's str slot. */
  if (nargs == 1 && kwnames == NULL && cls == HS_T (vm, STR))
    return hs_object_str (vm, args[0]);
  if (hs_num_parse_args (vm, "str", args, nargs, kwnames, names, 3, a) < 0)
    return NULL;
  if (a[1] != NULL || a[2] != NULL)
    {
      if (a[0] != NULL && hs_num_is_str (vm, a[0]))
        hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "decoding str is not supported");
      else
        hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "decoding to str: need a bytes-like object, %s found",
                       a[0] != NULL ? hs_object_type_name (a[0]) : "NoneType");
      return NULL;
    }
  r = a[0] == NULL ? hs_str_empty (vm) : hs_object_str (vm, a[0]);
  if (r != NULL && cls != HS_T (vm, STR))
    {
      HsStr *src = as_str (r);
      size_t size = STR_HEADER_SIZE + src->size + 1;
      HsStr *o = hs_object_alloc (vm, cls, size > cls->basic_size ? size : cls->basic_size);

      if (o != NULL)
        {
          size_t total = size > cls->basic_size ? size : cls->basic_size;
          memset ((char *) o + sizeof (HsObject), 0, total - sizeof (HsObject));
          memcpy (o->data, src->data, src->size + 1);
          o->size = src->size;
          o->length = src->length;
          o->ascii = src->ascii;
          o->hash = -1;
          o->interned = false;
        }
      HS_DECREF (vm, r);
      r = (HsObject *) o;
    }
  return r;
}

static const HsType str_template = {
  .name = "str",
  .flags = HS_TPFLAG_BASETYPE | HS_TPFLAG_STR_SUBCLASS,
  .basic_size = sizeof (HsStr),
  .dealloc = str_dealloc,
  .repr = str_repr,
  .str = str_str,
  .hash = str_hash_slot,
  .richcompare = str_richcompare,
  .binary = str_binary,
  .truth = str_truth,
  .len = str_len,
  .getitem = str_getitem,
  .contains = str_contains,
  .iter = str_iter,
  .new_ = str_new,
  .methods = str_methods,
  .describe = str_describe,
  .size_of = str_size_of,
};

/* ---- start-up and teardown ----------------------------------------------- */

void
hs_str_init (HsVm *vm)
{
  HsStrState *st = hs_mem_alloc (vm, sizeof *st);
  HsType *t;

  if (st == NULL)
    return;
  memset (st, 0, sizeof *st);
  st->cap = 512;
  st->table = hs_mem_alloc (vm, st->cap * sizeof *st->table);
  if (st->table == NULL)
    {
      hs_mem_free (vm, st, sizeof *st);
      return;
    }
  memset (st->table, 0, st->cap * sizeof *st->table);
  st->utf8 = newlocale (LC_CTYPE_MASK, "C.UTF-8", (locale_t) 0);
  vm->str_state = st;

  t = hs_type_register (vm, HS_T_STR, &str_template);
  if (t != NULL && t->tp_base == NULL)
    t->tp_base = vm->types[HS_T_OBJECT];
  t = hs_type_register (vm, HS_T_STR_ITER, &str_iter_template);
  if (t != NULL && t->tp_base == NULL)
    t->tp_base = vm->types[HS_T_OBJECT];

  {
    HsStr *e = intern_find_or_add (vm, "", 0, true);
    st->empty = e != NULL ? &e->base : NULL;
  }
}

void
hs_str_fini (HsVm *vm)
{
  HsStrState *st = state_of (vm);

  if (st == NULL)
    return;
  /* Interned strings are immortal: they go only now, when nothing can use them. */
  for (size_t i = 0; i < st->cap; i++)
    if (st->table[i] != NULL)
      hs_object_free (vm, &st->table[i]->base);
  hs_mem_free (vm, st->table, st->cap * sizeof *st->table);
  if (st->utf8 != (locale_t) 0)
    freelocale (st->utf8);
  hs_mem_free (vm, st, sizeof *st);
  vm->str_state = NULL;
}
