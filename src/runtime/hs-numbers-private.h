/* hs-numbers-private.h — helpers shared by hs-int.c, hs-float.c, hs-str.c and hs-format.c. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <string.h>

#include "hs-internal.h"

/* Refcount given to immortal singletons: never reaches zero whatever the program does. */
#define HS_IMMORTAL_REFCNT ((intptr_t) 1 << 60)

/* int, bool and their subclasses. */
static inline bool
hs_num_is_int (HsVm *vm, const HsObject *o)
{
  const HsType *t = o->type;
  return t == HS_T (vm, INT) || t == HS_T (vm, BOOL)
         || (t->flags & HS_TPFLAG_INT_SUBCLASS) != 0 || hs_type_is_subtype (t, HS_T (vm, INT));
}

static inline bool
hs_num_is_float (HsVm *vm, const HsObject *o)
{
  return o->type == HS_T (vm, FLOAT) || hs_type_is_subtype (o->type, HS_T (vm, FLOAT));
}

/* A real-number argument (int, bool or float) as a double; otherwise CPython's
 * "must be real number, not T" TypeError and -1. */
static inline int
hs_num_as_double (HsVm *vm, const HsObject *o, double *out)
{
  if (hs_num_is_float (vm, o))
    *out = hs_float_value (o);
  else if (hs_num_is_int (vm, o))
    *out = (double) hs_int_value (o);
  else
    {
      *out = 0.0;
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "must be real number, not %s", hs_object_type_name (o));
      return -1;
    }
  return 0;
}

static inline bool
hs_num_is_str (HsVm *vm, const HsObject *o)
{
  return o->type == HS_T (vm, STR) || (o->type->flags & HS_TPFLAG_STR_SUBCLASS) != 0
         || hs_type_is_subtype (o->type, HS_T (vm, STR));
}

/* Makes an object immortal (singletons, small ints, interned strings). */
static inline void
hs_make_immortal (HsObject *o)
{
  o->refcnt = HS_IMMORTAL_REFCNT;
  o->flags |= HS_OBJ_IMMORTAL;
}

/* ---- hs-int.c ---- */

void      hs_number_dealloc (HsVm *vm, HsObject *self);

/* Writes v in decimal into buf (at least 21 bytes, NUL added); returns the length. */
size_t    hs_int_to_decimal (int64_t v, char *buf);
/* Exactly rounded x / y for 64-bit ints (y != 0), as CPython's true division. */
double    hs_int_true_divide (int64_t x, int64_t y);
/* Resolves one positional-or-keyword argument list: fills out[] (NULL when missing).
 * Sets CPython's TypeError and returns -1 on a bad call. */
int       hs_num_parse_args (HsVm *vm, const char *fname, HsObject *const *args, size_t nargs,
                             HsObject *kwnames, const char *const *names, size_t max_args,
                             HsObject **out);

/* ---- hs-float.c ---- */

/* printf writes the process locale's decimal point (the GTK app sets the user's
 * locale): turns it back into '.' in place. */
void      hs_num_c_decimal (char *buf);

extern const HsType hs_float_type_template;

/* Compares a double with an int64 exactly: -1, 0, 1 as f <=> i, or 2 when f is NaN. */
int       hs_float_compare_int (double f, int64_t i);
/* hash(float) as CPython (self is used only for NaN, hashed by identity). */
int64_t   hs_float_hash_value (const HsObject *self, double v);
/* CPython's float ** float (errors set on the VM). */
HsObject *hs_float_pow (HsVm *vm, double a, double b);
/* Shortest round-trip digits of a finite v > 0: digits (no dot, NUL-terminated, at most
 * 17) and decpt such that v = 0.DIGITS * 10**decpt.  Returns the number of digits. */
int       hs_float_shortest_digits (double v, char *digits, int *decpt);
/* float(text) as CPython: whitespace, underscores, inf/nan; ValueError otherwise. */
HsObject *hs_float_from_string (HsVm *vm, const char *s, size_t len);

/* ---- hs-str.c ---- */

/* A new str whose size bytes the caller fills (data[size] is already NUL); length and
 * ascii must be set by the caller (or call hs_str_finish_scan). */
HsStr    *hs_str_alloc (HsVm *vm, size_t size);
void      hs_str_finish_scan (HsStr *s);
HsObject *hs_str_from_ascii (HsVm *vm, const char *s, size_t len);
HsObject *hs_str_empty (HsVm *vm);
/* Counts code points of valid UTF-8. */
size_t    hs_utf8_length (const char *s, size_t len);
/* Decodes the code point at s (valid UTF-8); *adv gets its byte length. */
uint32_t  hs_utf8_decode (const char *s, size_t *adv);
/* Encodes cp; returns the byte count (1-4). */
size_t    hs_utf8_encode (uint32_t cp, char *out);

/* A growable UTF-8 buffer: starts inline, grows through hs_mem_alloc (so the heap cap
 * applies); never copy the struct.  Appends return false with MemoryError set. */
typedef struct {
  HsVm  *vm;
  char  *data;
  size_t len;
  size_t cap;
  char   inline_buf[240];
} HsStrBuf;

void      hs_strbuf_init (HsVm *vm, HsStrBuf *b);
bool      hs_strbuf_grow (HsStrBuf *b, size_t extra);
void      hs_strbuf_clear (HsStrBuf *b);
/* Turns the buffer into a str (new ref) and releases it; NULL on MemoryError. */
HsObject *hs_strbuf_finish (HsStrBuf *b);

static inline bool
hs_strbuf_append (HsStrBuf *b, const char *s, size_t n)
{
  if (HS_UNLIKELY (b->len + n > b->cap) && !hs_strbuf_grow (b, n))
    return false;
  memcpy (b->data + b->len, s, n);
  b->len += n;
  return true;
}

static inline bool
hs_strbuf_putc (HsStrBuf *b, char c)
{
  if (HS_UNLIKELY (b->len + 1 > b->cap) && !hs_strbuf_grow (b, 1))
    return false;
  b->data[b->len++] = c;
  return true;
}

static inline bool
hs_strbuf_append_str (HsStrBuf *b, const HsObject *s)
{
  return hs_strbuf_append (b, hs_str_data (s), hs_str_size (s));
}

/* Appends repr(str) as CPython writes it (quote choice, escapes); ascii_only escapes
 * every non-ASCII character too (ascii()). */
bool      hs_str_append_repr (HsStrBuf *b, const char *s, size_t size, bool ascii_only);
/* Appends `count` copies of the (UTF-8) fill character. */
bool      hs_strbuf_fill (HsStrBuf *b, const char *fill, size_t fill_size, size_t count);
/* Writes repr(s) into buf (cut with "…" to fit cap), for messages and describe(). */
void      hs_str_repr_cbuf (const char *s, size_t size, char *buf, size_t cap);

/* ---- hs-format.c ---- */

/* Applies the format-spec mini-language to text already converted (used for str). */
HsObject *hs_format_str_spec (HsVm *vm, HsObject *value, const char *spec, size_t spec_len);
/* str % args (printf-style formatting). */
HsObject *hs_str_mod_format (HsVm *vm, HsObject *fmt, HsObject *args);
/* str.format(*args, **kwargs), the method. */
HsObject *hs_str_format_method (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs,
                                HsObject *kwnames);
