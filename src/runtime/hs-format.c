/* hs-format.c — format(): the format-spec mini-language, str.format and printf-style %. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hs-numbers-private.h"

typedef struct {
  char    fill[4];
  size_t  fill_size;
  bool    fill_given;
  char    align;       /* 0 (default), '<', '>', '^', '=' */
  char    sign;        /* 0, '+', '-', ' ' */
  bool    z;
  bool    alt;
  int64_t width;       /* -1: none */
  char    grouping;    /* 0, ',', '_' */
  int64_t precision;   /* -1: none */
  char    type;        /* 0: none */
} Spec;

static bool
is_align (char c)
{
  return c == '<' || c == '>' || c == '^' || c == '=';
}

static bool
read_number (HsVm *vm, const char **pp, const char *end, int64_t *out)
{
  const char *p = *pp;
  int64_t v = 0;

  while (p < end && *p >= '0' && *p <= '9')
    {
      if (__builtin_mul_overflow (v, 10, &v) || __builtin_add_overflow (v, *p - '0', &v))
        {
          hs_err_format (vm, HS_EXC (vm, VALUE_ERROR), "Too many decimal digits in format string");
          return false;
        }
      p++;
    }
  *out = p == *pp ? -1 : v;
  *pp = p;
  return true;
}

/* Parses a spec as CPython's parse_internal_render_format_spec. */
static bool
parse_spec (HsVm *vm, const char *s, size_t len, const char *type_name, char default_align,
            char default_type, Spec *f)
{
  const char *p = s, *end = s + len;
  size_t adv = 0;

  memset (f, 0, sizeof *f);
  f->fill[0] = ' ';
  f->fill_size = 1;
  f->width = -1;
  f->precision = -1;

  if (p < end)
    {
      hs_utf8_decode (p, &adv);
      if (p + adv < end && is_align (p[adv]))
        {
          memcpy (f->fill, p, adv);
          f->fill_size = adv;
          f->fill_given = true;
          f->align = p[adv];
          p += adv + 1;
        }
      else if (is_align (*p))
        f->align = *p++;
    }
  if (p < end && (*p == '+' || *p == '-' || *p == ' '))
    f->sign = *p++;
  if (p < end && *p == 'z')
    {
      f->z = true;
      p++;
    }
  if (p < end && *p == '#')
    {
      f->alt = true;
      p++;
    }
  if (!f->fill_given && p < end && *p == '0')
    {
      f->fill[0] = '0';
      f->fill_size = 1;
      if (f->align == 0 && default_align == '>')
        f->align = '=';
      p++;
    }
  if (!read_number (vm, &p, end, &f->width))
    return false;
  if (p < end && (*p == ',' || *p == '_'))
    {
      f->grouping = *p++;
      if (p < end && (*p == ',' || *p == '_'))
        {
          hs_err_format (vm, HS_EXC (vm, VALUE_ERROR), "Cannot specify both ',' and '_'.");
          return false;
        }
    }
  if (p < end && *p == '.')
    {
      p++;
      if (!read_number (vm, &p, end, &f->precision))
        return false;
      if (f->precision < 0)
        {
          hs_err_format (vm, HS_EXC (vm, VALUE_ERROR), "Format specifier missing precision");
          return false;
        }
    }
  if (end - p > 1)
    {
      hs_err_format (vm, HS_EXC (vm, VALUE_ERROR), "Invalid format specifier '%.*s' for object of type '%s'",
                     (int) len, s, type_name);
      return false;
    }
  f->type = p < end ? *p : default_type;
  if (f->grouping != 0)
    {
      bool ok;
      switch (f->type)
        {
        case 0: case 'd': case 'e': case 'f': case 'g': case 'E': case 'F': case 'G': case '%':
          ok = true;
          break;
        case 'b': case 'o': case 'x': case 'X':
          ok = f->grouping == '_';
          break;
        default:
          ok = false;
          break;
        }
      if (!ok)
        {
          hs_err_format (vm, HS_EXC (vm, VALUE_ERROR), "Cannot specify '%c' with '%c'.", f->grouping, f->type);
          return false;
        }
    }
  if (f->align == 0)
    f->align = default_align;
  return true;
}

static HsObject *
unknown_code (HsVm *vm, char type, const char *type_name)
{
  if ((unsigned char) type >= 0x20 && (unsigned char) type < 0x7F)
    hs_err_format (vm, HS_EXC (vm, VALUE_ERROR), "Unknown format code '%c' for object of type '%s'",
                   type, type_name);
  else
    hs_err_format (vm, HS_EXC (vm, VALUE_ERROR), "Unknown format code '\\x%x' for object of type '%s'",
                   (unsigned) (unsigned char) type, type_name);
  return NULL;
}

/* Appends body padded to the width: sign and prefix are kept before '=' padding. */
static HsObject *
finish_number (HsVm *vm, const Spec *f, const char *sign, size_t sign_len, const char *body,
               size_t body_len, size_t body_chars)
{
  HsStrBuf b;
  size_t chars = sign_len + body_chars, pad = 0, left = 0, right = 0;

  if (f->width > 0 && (size_t) f->width > chars)
    pad = (size_t) f->width - chars;
  switch (f->align)
    {
    case '<': right = pad; break;
    case '^': left = pad / 2; right = pad - left; break;
    case '=': break;
    default: left = pad; break;
    }
  hs_strbuf_init (vm, &b);
  if (!hs_strbuf_fill (&b, f->fill, f->fill_size, left) || !hs_strbuf_append (&b, sign, sign_len)
      || (f->align == '=' && !hs_strbuf_fill (&b, f->fill, f->fill_size, pad))
      || !hs_strbuf_append (&b, body, body_len) || !hs_strbuf_fill (&b, f->fill, f->fill_size, right))
    {
      hs_strbuf_clear (&b);
      return NULL;
    }
  return hs_strbuf_finish (&b);
}

/* Inserts the grouping separator into digits; with '0' fill and '=' alignment the
 * digits are first zero-extended to min_width (separators included), as CPython does. */
static size_t
group_digits (const char *digits, size_t nd, char sep, int group, size_t min_width, char *out)
{
  size_t n = nd, total, o;

  if (sep == 0)
    {
      memcpy (out, digits, nd);
      return nd;
    }
  while (n + (n - 1) / (size_t) group < min_width)
    n++;
  total = n + (n - 1) / (size_t) group;
  o = total;
  for (size_t i = 0; i < n; i++)
    {
      char c = i < nd ? digits[nd - 1 - i] : '0';
      if (i > 0 && i % (size_t) group == 0)
        out[--o] = sep;
      out[--o] = c;
    }
  return total;
}

static HsObject *format_float_value (HsVm *vm, double v, Spec *f, const char *type_name);

static HsObject *
format_int_value (HsVm *vm, int64_t v, Spec *f, const char *type_name)
{
  char digits[80], body[200], sign[4];
  size_t nd = 0, sl = 0, bl;
  uint64_t mag = v < 0 ? 0 - (uint64_t) v : (uint64_t) v;
  int base = 10, group = 3;
  const char *prefix = "";
  bool upper = false;

  switch (f->type)
    {
    case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case '%':
      return format_float_value (vm, (double) v, f, type_name);
    case 0: case 'd': case 'n': case 'b': case 'o': case 'x': case 'X': case 'c':
      break;
    default:
      return unknown_code (vm, f->type, type_name);
    }
  if (f->precision >= 0)
    {
      hs_err_format (vm, HS_EXC (vm, VALUE_ERROR), "Precision not allowed in integer format specifier");
      return NULL;
    }
  if (f->z)
    {
      hs_err_format (vm, HS_EXC (vm, VALUE_ERROR),
                     "Negative zero coercion (z) not allowed in integer format specifier");
      return NULL;
    }
  if (f->type == 'c')
    {
      char enc[4];
      size_t n;

      if (f->sign != 0)
        {
          hs_err_format (vm, HS_EXC (vm, VALUE_ERROR), "Sign not allowed with integer format specifier 'c'");
          return NULL;
        }
      if (f->alt)
        {
          hs_err_format (vm, HS_EXC (vm, VALUE_ERROR),
                         "Alternate form (#) not allowed with integer format specifier 'c'");
          return NULL;
        }
      if (v < 0 || v > 0x10FFFF)
        {
          hs_err_format (vm, HS_EXC (vm, OVERFLOW_ERROR), "%%c arg not in range(0x110000)");
          return NULL;
        }
      n = hs_utf8_encode ((uint32_t) v, enc);
      return finish_number (vm, f, "", 0, enc, n, 1);
    }
  switch (f->type)
    {
    case 'b': base = 2; group = 4; prefix = "0b"; break;
    case 'o': base = 8; group = 4; prefix = "0o"; break;
    case 'x': base = 16; group = 4; prefix = "0x"; break;
    case 'X': base = 16; group = 4; prefix = "0X"; upper = true; break;
    default: break;
    }
  {
    char tmp[72];
    size_t t = 0;
    const char *dig = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    do
      {
        tmp[t++] = dig[mag % (unsigned) base];
        mag /= (unsigned) base;
      }
    while (mag != 0);
    while (t > 0)
      digits[nd++] = tmp[--t];
  }
  if (v < 0)
    sign[sl++] = '-';
  else if (f->sign == '+')
    sign[sl++] = '+';
  else if (f->sign == ' ')
    sign[sl++] = ' ';
  if (f->alt && prefix[0] != 0)
    {
      sign[sl++] = prefix[0];
      sign[sl++] = prefix[1];
    }
  {
    size_t min_width = 0;
    if (f->align == '=' && f->fill_size == 1 && f->fill[0] == '0' && f->width > (int64_t) sl)
      min_width = (size_t) f->width - sl;
    if (min_width > 100)
      min_width = f->grouping ? 100 : 0;   /* plain padding handles the rest */
    bl = group_digits (digits, nd, f->grouping, group, f->grouping ? min_width : 0, body);
  }
  return finish_number (vm, f, sign, sl, body, bl, bl);
}

static bool
all_zero_digits (const char *s, size_t n)
{
  bool any = false;

  for (size_t i = 0; i < n; i++)
    {
      if (s[i] == 'e' || s[i] == 'E')
        break;
      if (s[i] >= '1' && s[i] <= '9')
        return false;
      if (s[i] == '0')
        any = true;
    }
  return any;   /* "inf" and "nan" have no digits: never "zero" */
}

/* printf with one of e E f F, with or without '#'; literal formats keep -Wformat happy. */
static int
float_printf (char *buf, size_t cap, char type, bool alt, int prec, double v)
{
  switch (type)
    {
    case 'e': return alt ? snprintf (buf, cap, "%#.*e", prec, v) : snprintf (buf, cap, "%.*e", prec, v);
    case 'E': return alt ? snprintf (buf, cap, "%#.*E", prec, v) : snprintf (buf, cap, "%.*E", prec, v);
    case 'f': return alt ? snprintf (buf, cap, "%#.*f", prec, v) : snprintf (buf, cap, "%.*f", prec, v);
    default:  return alt ? snprintf (buf, cap, "%#.*F", prec, v) : snprintf (buf, cap, "%.*F", prec, v);
    }
}

/* Lays out digits D (nd of them, value 0.D * 10**decpt) in CPython's 'g'/'r' style:
 * exponent when decpt <= -4 or decpt > exp_limit; trailing zeros kept only with alt;
 * add_dot0 makes fixed results end in ".0" when they would have no fraction. */
static size_t
layout_general (const char *digits, int nd, int decpt, int exp_limit, bool alt, bool add_dot0,
                bool upper, char *out)
{
  size_t n = 0;

  if (!alt)
    while (nd > 1 && digits[nd - 1] == '0')
      nd--;
  if (decpt <= -4 || decpt > exp_limit)
    {
      int exp = decpt - 1;

      out[n++] = digits[0];
      if (nd > 1 || alt)
        out[n++] = '.';
      memcpy (out + n, digits + 1, (size_t) nd - 1);
      n += (size_t) nd - 1;
      n += (size_t) sprintf (out + n, "%c%c%02d", upper ? 'E' : 'e', exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
    }
  else if (decpt <= 0)
    {
      out[n++] = '0';
      out[n++] = '.';
      for (int i = 0; i < -decpt; i++)
        out[n++] = '0';
      memcpy (out + n, digits, (size_t) nd);
      n += (size_t) nd;
    }
  else if (decpt >= nd)
    {
      memcpy (out + n, digits, (size_t) nd);
      n += (size_t) nd;
      for (int i = nd; i < decpt; i++)
        out[n++] = '0';
      if (alt || add_dot0)
        out[n++] = '.';
      if (add_dot0)
        out[n++] = '0';
    }
  else
    {
      memcpy (out + n, digits, (size_t) decpt);
      n += (size_t) decpt;
      out[n++] = '.';
      memcpy (out + n, digits + decpt, (size_t) (nd - decpt));
      n += (size_t) (nd - decpt);
    }
  out[n] = '\0';
  return n;
}

/* 'g' / 'G' / '' with a precision, for a finite v >= 0. */
static size_t
general_format (double v, int prec, bool alt, bool add_dot0, bool upper, char *out)
{
  char tmp[64], digits[48];
  int nd = 0, decpt;
  const char *p = tmp;

  if (prec == 0)
    prec = 1;
  if (prec > 40)
    {
      /* Long precisions: C's %g is exact and the rules agree except for add_dot0. */
      size_t n = (size_t) (alt ? sprintf (out, upper ? "%#.*G" : "%#.*g", prec, v)
                               : sprintf (out, upper ? "%.*G" : "%.*g", prec, v));
      hs_num_c_decimal (out);
      n = strlen (out);
      if (add_dot0 && strpbrk (out, ".eE") == NULL)
        {
          out[n++] = '.';
          out[n++] = '0';
          out[n] = '\0';
        }
      return n;
    }
  snprintf (tmp, sizeof tmp, "%.*e", prec - 1, v);
  digits[nd++] = *p++;
  while (*p != '\0' && *p != 'e' && (*p < '0' || *p > '9'))
    p++;   /* the locale's decimal point */
  for (; *p >= '0' && *p <= '9'; p++)
    digits[nd++] = *p;
  decpt = atoi (p + 1) + 1;
  return layout_general (digits, nd, decpt, add_dot0 ? prec - 1 : prec, alt, add_dot0, upper, out);
}

static HsObject *
format_float_value (HsVm *vm, double v, Spec *f, const char *type_name)
{
  char type = f->type, *num = NULL, small[128];
  int64_t prec = f->precision;
  size_t num_len, cap;
  bool negative, percent = false;
  char sign[2];
  size_t sl = 0;
  HsObject *r;

  switch (type)
    {
    case 0: case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case 'n': case '%':
      break;
    default:
      return unknown_code (vm, type, type_name);
    }
  negative = !isnan (v) && signbit (v);
  v = fabs (v);
  if (type == '%')
    {
      v *= 100;
      type = 'f';
      percent = true;
    }
  if (type == 'n')
    type = 'g';
  if (prec > 1000000)
    prec = 1000000;
  /* Big 'f' results (1e300) need more room than the stack buffer. */
  cap = (size_t) (prec < 0 ? 6 : prec) + 40 + (type == 'f' || type == 'F' ? 320 : 0);
  num = cap <= sizeof small ? small : hs_mem_alloc (vm, cap);
  if (num == NULL)
    return NULL;

  if (!isfinite (v))
    {
      bool up = type == 'E' || type == 'F' || type == 'G';
      num_len = (size_t) sprintf (num, "%s", isnan (v) ? (up ? "NAN" : "nan") : (up ? "INF" : "inf"));
    }
  else if (type == 0 && prec < 0)
    {
      /* repr; '#' keeps a dot in "1.e+16" */
      num_len = hs_float_repr_buf (v, num, cap);
      if (f->alt && memchr (num, '.', num_len) == NULL)
        {
          char *e = memchr (num, 'e', num_len);
          if (e != NULL)
            {
              memmove (e + 1, e, num_len - (size_t) (e - num) + 1);
              *e = '.';
              num_len++;
            }
        }
    }
  else if (type == 0 || type == 'g' || type == 'G')
    num_len = general_format (v, prec < 0 ? 6 : (int) prec, f->alt, type == 0, type == 'G', num);
  else
    {
      num_len = (size_t) float_printf (num, cap, type, f->alt, prec < 0 ? 6 : (int) prec, v);
      if (num_len >= cap)
        num_len = cap - 1;
      hs_num_c_decimal (num);
      num_len = strlen (num);
    }
  if (negative && f->z && all_zero_digits (num, num_len))
    negative = false;
  if (negative)
    sign[sl++] = '-';
  else if (f->sign == '+')
    sign[sl++] = '+';
  else if (f->sign == ' ')
    sign[sl++] = ' ';
  if (percent)
    num[num_len++] = '%';

  if (f->grouping != 0 && isfinite (v))
    {
      size_t int_len = 0, min_width = 0, gl;
      char *grouped, gsmall[512];
      size_t gcap = num_len * 2 + 220;

      while (int_len < num_len && num[int_len] >= '0' && num[int_len] <= '9')
        int_len++;
      if (f->align == '=' && f->fill_size == 1 && f->fill[0] == '0' && f->width > (int64_t) (sl + num_len - int_len))
        min_width = (size_t) f->width - sl - (num_len - int_len);
      if (min_width > 200)
        min_width = 200;
      grouped = gcap <= sizeof gsmall ? gsmall : hs_mem_alloc (vm, gcap);
      if (grouped == NULL)
        {
          if (num != small)
            hs_mem_free (vm, num, cap);
          return NULL;
        }
      gl = group_digits (num, int_len, f->grouping, 3, min_width, grouped);
      memcpy (grouped + gl, num + int_len, num_len - int_len);
      gl += num_len - int_len;
      r = finish_number (vm, f, sign, sl, grouped, gl, gl);
      if (grouped != gsmall)
        hs_mem_free (vm, grouped, gcap);
    }
  else
    r = finish_number (vm, f, sign, sl, num, num_len, num_len);
  if (num != small)
    hs_mem_free (vm, num, cap);
  return r;
}

static HsObject *
format_str_value (HsVm *vm, HsObject *value, Spec *f, const char *type_name)
{
  HsStr *s = (HsStr *) value;
  size_t bytes = s->size, chars = s->length;

  if (f->type != 0 && f->type != 's')
    return unknown_code (vm, f->type, type_name);
  if (f->sign != 0)
    {
      hs_err_format (vm, HS_EXC (vm, VALUE_ERROR), f->sign == ' ' ? "Space not allowed in string format specifier"
                                                                  : "Sign not allowed in string format specifier");
      return NULL;
    }
  if (f->z)
    {
      hs_err_format (vm, HS_EXC (vm, VALUE_ERROR),
                     "Negative zero coercion (z) not allowed in string format specifier");
      return NULL;
    }
  if (f->alt)
    {
      hs_err_format (vm, HS_EXC (vm, VALUE_ERROR), "Alternate form (#) not allowed in string format specifier");
      return NULL;
    }
  if (f->align == '=')
    {
      hs_err_format (vm, HS_EXC (vm, VALUE_ERROR), "'=' alignment not allowed in string format specifier");
      return NULL;
    }
  if (f->precision >= 0 && (size_t) f->precision < chars)
    {
      chars = (size_t) f->precision;
      if (s->ascii)
        bytes = chars;
      else
        {
          const char *p = s->data;
          for (size_t i = 0; i < chars; i++)
            {
              size_t adv;
              hs_utf8_decode (p, &adv);
              p += adv;
            }
          bytes = (size_t) (p - s->data);
        }
    }
  if ((f->width < 0 || (size_t) f->width <= chars) && bytes == s->size && HS_TYPE (value) == HS_T (vm, STR))
    return hs_incref (value);
  return finish_number (vm, f, "", 0, s->data, bytes, chars);
}

HsObject *
hs_format_str_spec (HsVm *vm, HsObject *value, const char *spec, size_t spec_len)
{
  Spec f;

  if (!parse_spec (vm, spec, spec_len, hs_object_type_name (value), '<', 's', &f))
    return NULL;
  return format_str_value (vm, value, &f, hs_object_type_name (value));
}

HsObject *
hs_format (HsVm *vm, HsObject *value, HsObject *spec)
{
  const char *sp = spec != NULL ? hs_str_data (spec) : "";
  size_t sl = spec != NULL ? hs_str_size (spec) : 0;
  HsType *t = HS_TYPE (value);
  Spec f;

  if (t->flags & HS_TPFLAG_HEAPTYPE)
    {
      HsObject *name = hs_str_intern (vm, "__format__", 10);
      HsObject *found = hs_type_lookup (vm, t, name);

      HS_DECREF (vm, name);
      if (found != NULL)
        {
          HsObject *arg = spec != NULL ? hs_incref (spec) : hs_str_empty (vm);
          HsObject *r = hs_object_call_method (vm, value, "__format__", &arg, 1);

          HS_DECREF (vm, arg);
          if (r != NULL && !hs_num_is_str (vm, r))
            {
              hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "__format__ must return a str, not %s",
                             hs_object_type_name (r));
              HS_DECREF (vm, r);
              return NULL;
            }
          return r;
        }
    }
  if (hs_num_is_str (vm, value))
    {
      if (sl == 0)
        return HS_TYPE (value) == HS_T (vm, STR) ? hs_incref (value) : hs_object_str (vm, value);
      return hs_format_str_spec (vm, value, sp, sl);
    }
  if (hs_num_is_int (vm, value))
    {
      if (sl == 0)
        return hs_object_str (vm, value);
      if (!parse_spec (vm, sp, sl, hs_object_type_name (value), '>', 'd', &f))
        return NULL;
      return format_int_value (vm, hs_int_value (value), &f, hs_object_type_name (value));
    }
  if (hs_num_is_float (vm, value))
    {
      if (sl == 0)
        return hs_object_str (vm, value);
      if (!parse_spec (vm, sp, sl, hs_object_type_name (value), '>', 0, &f))
        return NULL;
      return format_float_value (vm, hs_float_value (value), &f, hs_object_type_name (value));
    }
  if (sl == 0)
    return hs_object_str (vm, value);
  hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "unsupported format string passed to %s.__format__",
                 hs_object_type_name (value));
  return NULL;
}

/* ---- str.format ---------------------------------------------------------- */

/* ascii(): repr with every non-ASCII character escaped. */
HsObject *
hs_object_ascii (HsVm *vm, HsObject *o)
{
  HsObject *r = hs_object_repr (vm, o);
  HsStrBuf b;
  const char *p, *end;

  if (r == NULL || ((HsStr *) r)->ascii)
    return r;
  hs_strbuf_init (vm, &b);
  for (p = hs_str_data (r), end = p + hs_str_size (r); p < end;)
    {
      size_t adv;
      uint32_t c = hs_utf8_decode (p, &adv);
      char esc[12];
      int n;
      bool ok;

      if (c < 0x80)
        ok = hs_strbuf_putc (&b, (char) c);
      else
        {
          n = c < 0x100 ? snprintf (esc, sizeof esc, "\\x%02x", c)
              : c < 0x10000 ? snprintf (esc, sizeof esc, "\\u%04x", c)
              : snprintf (esc, sizeof esc, "\\U%08x", c);
          ok = hs_strbuf_append (&b, esc, (size_t) n);
        }
      if (!ok)
        {
          hs_strbuf_clear (&b);
          HS_DECREF (vm, r);
          return NULL;
        }
      p += adv;
    }
  HS_DECREF (vm, r);
  return hs_strbuf_finish (&b);
}

static void
raise_key_error (HsVm *vm, const char *key, size_t len)
{
  HsObject *k = hs_str_from_utf8 (vm, key, len), *exc;

  if (k == NULL)
    return;
  exc = hs_object_call (vm, (HsObject *) HS_EXC (vm, KEY_ERROR), &k, 1, NULL);
  HS_DECREF (vm, k);
  if (exc != NULL)
    {
      hs_err_set_object (vm, exc);
      HS_DECREF (vm, exc);
    }
}

typedef struct {
  HsObject *const *args;
  size_t    npos;
  HsObject *kwnames;
  int       auto_index;   /* next automatic index, or -1 once manual numbering was used */
  bool      used_auto;
} FormatArgs;

static bool all_digits (const char *s, size_t n)
{
  if (n == 0)
    return false;
  for (size_t i = 0; i < n; i++)
    if (s[i] < '0' || s[i] > '9')
      return false;
  return true;
}

/* Resolves "0", "name", "", then .attr and [key] parts: a new reference. */
static HsObject *
resolve_field (HsVm *vm, FormatArgs *fa, const char *s, size_t len)
{
  const char *p = s, *end = s + len, *first_end;
  HsObject *obj = NULL;

  first_end = p;
  while (first_end < end && *first_end != '.' && *first_end != '[')
    first_end++;
  if (first_end == p)
    {
      if (fa->auto_index < 0)
        {
          hs_err_format (vm, HS_EXC (vm, VALUE_ERROR),
                         "cannot switch from manual field specification to automatic field numbering");
          return NULL;
        }
      fa->used_auto = true;
      if ((size_t) fa->auto_index >= fa->npos)
        {
          hs_err_format (vm, HS_EXC (vm, INDEX_ERROR), "Replacement index %d out of range for positional args tuple",
                         fa->auto_index);
          return NULL;
        }
      obj = hs_incref (fa->args[fa->auto_index++]);
    }
  else if (all_digits (p, (size_t) (first_end - p)))
    {
      long idx = strtol (p, NULL, 10);

      if (fa->used_auto)
        {
          hs_err_format (vm, HS_EXC (vm, VALUE_ERROR),
                         "cannot switch from automatic field numbering to manual field specification");
          return NULL;
        }
      fa->auto_index = -1;
      if ((size_t) idx >= fa->npos)
        {
          hs_err_format (vm, HS_EXC (vm, INDEX_ERROR), "Replacement index %ld out of range for positional args tuple",
                         idx);
          return NULL;
        }
      obj = hs_incref (fa->args[idx]);
    }
  else
    {
      size_t nkw = fa->kwnames != NULL ? hs_tuple_size (fa->kwnames) : 0;
      size_t n = (size_t) (first_end - p);

      for (size_t k = 0; k < nkw; k++)
        {
          HsObject *name = hs_tuple_item (fa->kwnames, k);
          if (hs_str_size (name) == n && memcmp (hs_str_data (name), p, n) == 0)
            {
              obj = hs_incref (fa->args[fa->npos + k]);
              break;
            }
        }
      if (obj == NULL)
        {
          raise_key_error (vm, p, n);
          return NULL;
        }
    }
  p = first_end;
  while (p < end && obj != NULL)
    {
      HsObject *next = NULL;

      if (*p == '.')
        {
          const char *a = ++p;
          HsObject *name;

          while (p < end && *p != '.' && *p != '[')
            p++;
          if (p == a)
            {
              hs_err_format (vm, HS_EXC (vm, VALUE_ERROR), "Empty attribute in format string");
              HS_DECREF (vm, obj);
              return NULL;
            }
          name = hs_str_from_utf8 (vm, a, (size_t) (p - a));
          if (name != NULL)
            {
              next = hs_object_getattr (vm, obj, name);
              HS_DECREF (vm, name);
            }
        }
      else if (*p == '[')
        {
          const char *a = ++p;
          HsObject *key;

          while (p < end && *p != ']')
            p++;
          if (p == end)
            {
              hs_err_format (vm, HS_EXC (vm, VALUE_ERROR), "Missing ']' in format string");
              HS_DECREF (vm, obj);
              return NULL;
            }
          if (p == a)
            {
              hs_err_format (vm, HS_EXC (vm, VALUE_ERROR), "Empty attribute in format string");
              HS_DECREF (vm, obj);
              return NULL;
            }
          key = all_digits (a, (size_t) (p - a)) ? hs_int_from_i64 (vm, strtoll (a, NULL, 10))
                                                 : hs_str_from_utf8 (vm, a, (size_t) (p - a));
          p++;
          if (key != NULL)
            {
              next = hs_object_getitem (vm, obj, key);
              HS_DECREF (vm, key);
            }
          if (next != NULL && p < end && *p != '.' && *p != '[')
            {
              hs_err_format (vm, HS_EXC (vm, VALUE_ERROR), "Only '.' or '[' may follow ']' in format field specifier");
              HS_DECREF (vm, next);
              next = NULL;
            }
        }
      else
        {
          hs_err_format (vm, HS_EXC (vm, VALUE_ERROR), "Only '.' or '[' may follow ']' in format field specifier");
        }
      HS_DECREF (vm, obj);
      obj = next;
    }
  return obj;
}

static bool format_into (HsVm *vm, HsStrBuf *out, const char *s, size_t len, FormatArgs *fa, int depth);

/* One replacement field's inside (without the braces). */
static bool
format_field (HsVm *vm, HsStrBuf *out, const char *s, size_t len, FormatArgs *fa, int depth)
{
  const char *p = s, *end = s + len, *name_end, *spec = NULL;
  char conv = 0;
  size_t spec_len = 0;
  int bracket = 0;
  HsObject *obj, *conv_obj, *spec_obj, *r;
  bool ok;

  /* The field name ends at '!' or ':' outside brackets. */
  for (name_end = p; name_end < end; name_end++)
    {
      if (*name_end == '[')
        bracket = 1;
      else if (*name_end == ']')
        bracket = 0;
      else if (!bracket && (*name_end == '!' || *name_end == ':'))
        break;
    }
  if (name_end < end && *name_end == '!')
    {
      if (name_end + 1 >= end)
        {
          hs_err_format (vm, HS_EXC (vm, VALUE_ERROR), "unmatched '{' in format spec");
          return false;
        }
      conv = name_end[1];
      if (name_end + 2 < end && name_end[2] != ':')
        {
          hs_err_format (vm, HS_EXC (vm, VALUE_ERROR), "expected ':' after conversion specifier");
          return false;
        }
      if (name_end + 2 < end)
        {
          spec = name_end + 3;
          spec_len = (size_t) (end - spec);
        }
    }
  else if (name_end < end)
    {
      spec = name_end + 1;
      spec_len = (size_t) (end - spec);
    }

  obj = resolve_field (vm, fa, p, (size_t) (name_end - p));
  if (obj == NULL)
    return false;
  switch (conv)
    {
    case 0:
      conv_obj = obj;
      break;
    case 'r':
      conv_obj = hs_object_repr (vm, obj);
      HS_DECREF (vm, obj);
      break;
    case 's':
      conv_obj = hs_object_str (vm, obj);
      HS_DECREF (vm, obj);
      break;
    case 'a':
      conv_obj = hs_object_ascii (vm, obj);
      HS_DECREF (vm, obj);
      break;
    default:
      HS_DECREF (vm, obj);
      if ((unsigned char) conv < 0x80)
        hs_err_format (vm, HS_EXC (vm, VALUE_ERROR), "Unknown conversion specifier %c", conv);
      else
        hs_err_format (vm, HS_EXC (vm, VALUE_ERROR), "Unknown conversion specifier \\x%x", (unsigned) (unsigned char) conv);
      return false;
    }
  if (conv_obj == NULL)
    return false;

  /* The spec may itself contain replacement fields ("{:>{w}}"). */
  if (spec != NULL && memchr (spec, '{', spec_len) != NULL)
    {
      HsStrBuf sb;

      if (depth >= 2)
        {
          hs_err_format (vm, HS_EXC (vm, VALUE_ERROR), "Max string recursion exceeded");
          HS_DECREF (vm, conv_obj);
          return false;
        }
      hs_strbuf_init (vm, &sb);
      if (!format_into (vm, &sb, spec, spec_len, fa, depth + 1))
        {
          hs_strbuf_clear (&sb);
          HS_DECREF (vm, conv_obj);
          return false;
        }
      spec_obj = hs_strbuf_finish (&sb);
    }
  else
    spec_obj = spec_len > 0 ? hs_str_from_utf8 (vm, spec, spec_len) : NULL;
  if (spec_len > 0 && spec_obj == NULL)
    {
      HS_DECREF (vm, conv_obj);
      return false;
    }
  r = hs_format (vm, conv_obj, spec_obj);
  HS_DECREF (vm, conv_obj);
  HS_XDECREF (vm, spec_obj);
  if (r == NULL)
    return false;
  ok = hs_strbuf_append_str (out, r);
  HS_DECREF (vm, r);
  return ok;
}

static bool
format_into (HsVm *vm, HsStrBuf *out, const char *s, size_t len, FormatArgs *fa, int depth)
{
  const char *p = s, *end = s + len;

  while (p < end)
    {
      const char *lit = p;

      while (p < end && *p != '{' && *p != '}')
        p++;
      if (p > lit && !hs_strbuf_append (out, lit, (size_t) (p - lit)))
        return false;
      if (p >= end)
        break;
      if (*p == '}')
        {
          if (p + 1 < end && p[1] == '}')
            {
              if (!hs_strbuf_putc (out, '}'))
                return false;
              p += 2;
              continue;
            }
          hs_err_format (vm, HS_EXC (vm, VALUE_ERROR), "Single '}' encountered in format string");
          return false;
        }
      /* '{' */
      if (p + 1 < end && p[1] == '{')
        {
          if (!hs_strbuf_putc (out, '{'))
            return false;
          p += 2;
          continue;
        }
      if (p + 1 >= end)
        {
          hs_err_format (vm, HS_EXC (vm, VALUE_ERROR), "Single '{' encountered in format string");
          return false;
        }
      {
        const char *field = ++p;
        int nest = 1;
        bool in_name = true, in_bracket = false;

        /* In the field name, "[...]" may hold braces; after ':' or '!' nested fields count. */
        while (p < end)
          {
            if (in_name && *p == '[')
              in_bracket = true;
            else if (in_bracket)
              {
                if (*p == ']')
                  in_bracket = false;
              }
            else if (in_name && (*p == ':' || *p == '!'))
              in_name = false;
            else if (*p == '{')
              nest++;
            else if (*p == '}' && --nest == 0)
              break;
            p++;
          }
        if (p >= end)
          {
            hs_err_format (vm, HS_EXC (vm, VALUE_ERROR), "expected '}' before end of string");
            return false;
          }
        if (!format_field (vm, out, field, (size_t) (p - field), fa, depth))
          return false;
        p++;
      }
    }
  return true;
}

HsObject *
hs_str_format_method (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  FormatArgs fa;
  HsStrBuf b;
  size_t nkw = kwnames != NULL ? hs_tuple_size (kwnames) : 0;

  fa.args = args;
  fa.npos = nargs - nkw;
  fa.kwnames = kwnames;
  fa.auto_index = 0;
  fa.used_auto = false;
  hs_strbuf_init (vm, &b);
  if (!format_into (vm, &b, hs_str_data (self), hs_str_size (self), &fa, 0))
    {
      hs_strbuf_clear (&b);
      return NULL;
    }
  return hs_strbuf_finish (&b);
}

/* ---- printf-style formatting: str % args --------------------------------- */

HsObject *
hs_str_mod_format (HsVm *vm, HsObject *fmt, HsObject *values)
{
  const char *s = hs_str_data (fmt), *p = s, *end = s + hs_str_size (fmt);
  bool is_tuple = HS_TYPE (values) == HS_T (vm, TUPLE);
  bool is_dict = !is_tuple && HS_TYPE (values) == HS_T (vm, DICT);
  size_t nvals = is_tuple ? hs_tuple_size (values) : 1, next = 0;
  bool used_mapping = false;
  HsStrBuf b;

  hs_strbuf_init (vm, &b);
  while (p < end)
    {
      const char *lit = p;
      Spec f;
      HsObject *arg = NULL, *piece = NULL, *owned_arg = NULL;
      char c;

      while (p < end && *p != '%')
        p++;
      if (p > lit && !hs_strbuf_append (&b, lit, (size_t) (p - lit)))
        goto fail;
      if (p >= end)
        break;
      lit = p++;
      memset (&f, 0, sizeof f);
      f.fill[0] = ' ';
      f.fill_size = 1;
      f.width = -1;
      f.precision = -1;
      f.align = '>';
      if (p < end && *p == '(')
        {
          const char *k = ++p;
          int depth = 1;
          HsObject *key;

          while (p < end && depth > 0)
            {
              if (*p == '(')
                depth++;
              else if (*p == ')')
                depth--;
              p++;
            }
          if (depth > 0)
            {
              hs_err_format (vm, HS_EXC (vm, VALUE_ERROR), "incomplete format key");
              goto fail;
            }
          if (!is_dict && HS_TYPE (values) != HS_T (vm, DICT))
            {
              hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "format requires a mapping");
              goto fail;
            }
          key = hs_str_from_utf8 (vm, k, (size_t) (p - 1 - k));
          if (key == NULL)
            goto fail;
          owned_arg = hs_object_getitem (vm, values, key);
          HS_DECREF (vm, key);
          if (owned_arg == NULL)
            goto fail;
          arg = owned_arg;
          used_mapping = true;
        }
      for (; p < end; p++)
        {
          if (*p == '-')
            f.align = '<';
          else if (*p == '+')
            f.sign = '+';
          else if (*p == ' ')
            {
              if (f.sign != '+')
                f.sign = ' ';
            }
          else if (*p == '#')
            f.alt = true;
          else if (*p == '0')
            {
              f.fill[0] = '0';
            }
          else
            break;
        }
      if (p < end && *p == '*')
        {
          HsObject *w = next < nvals ? (is_tuple ? hs_tuple_item (values, next) : values) : NULL;
          p++;
          next++;
          if (w == NULL || !hs_num_is_int (vm, w))
            {
              hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), w == NULL ? "not enough arguments for format string"
                                                                   : "* wants int");
              goto fail_arg;
            }
          f.width = hs_int_value (w);
          if (f.width < 0)
            {
              f.align = '<';
              f.width = -f.width;
            }
        }
      else if (!read_number (vm, &p, end, &f.width))
        goto fail_arg;
      if (p < end && *p == '.')
        {
          p++;
          if (p < end && *p == '*')
            {
              HsObject *w = next < nvals ? (is_tuple ? hs_tuple_item (values, next) : values) : NULL;
              p++;
              next++;
              if (w == NULL || !hs_num_is_int (vm, w))
                {
                  hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), w == NULL ? "not enough arguments for format string"
                                                                       : "* wants int");
                  goto fail_arg;
                }
              f.precision = hs_int_value (w);
            }
          else
            {
              if (!read_number (vm, &p, end, &f.precision))
                goto fail_arg;
              if (f.precision < 0)
                f.precision = 0;
            }
        }
      while (p < end && (*p == 'h' || *p == 'l' || *p == 'L'))
        p++;
      if (p >= end)
        {
          hs_err_format (vm, HS_EXC (vm, VALUE_ERROR), "incomplete format");
          goto fail_arg;
        }
      c = *p++;
      if (c == '%')
        {
          if (!hs_strbuf_putc (&b, '%'))
            goto fail_arg;
          HS_XDECREF (vm, owned_arg);
          continue;
        }
      if (f.fill[0] == '0' && f.align == '<')
        f.fill[0] = ' ';
      if (f.fill[0] == '0')
        f.align = '=';
      if (arg == NULL)
        {
          if (next >= nvals)
            {
              hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "not enough arguments for format string");
              goto fail;
            }
          arg = is_tuple ? hs_tuple_item (values, next) : values;
          next++;
        }
      switch (c)
        {
        case 's': case 'r': case 'a':
          {
            HsObject *text = c == 's' ? hs_object_str (vm, arg) : c == 'r' ? hs_object_repr (vm, arg) : hs_object_ascii (vm, arg);
            if (text == NULL)
              goto fail_arg;
            f.fill[0] = ' ';
            if (f.align == '=')
              f.align = '>';
            f.type = 0;
            f.sign = 0;
            f.alt = false;
            piece = format_str_value (vm, text, &f, "str");
            HS_DECREF (vm, text);
            break;
          }
        case 'd': case 'i': case 'u': case 'x': case 'X': case 'o':
          if (hs_num_is_int (vm, arg) || (hs_num_is_float (vm, arg) && c != 'x' && c != 'X' && c != 'o'))
            {
              int64_t v;
              if (hs_num_is_float (vm, arg))
                {
                  double d = hs_float_value (arg);
                  if (isnan (d))
                    {
                      hs_err_format (vm, HS_EXC (vm, VALUE_ERROR), "cannot convert float NaN to integer");
                      goto fail_arg;
                    }
                  if (isinf (d))
                    {
                      hs_err_format (vm, HS_EXC (vm, OVERFLOW_ERROR), "cannot convert float infinity to integer");
                      goto fail_arg;
                    }
                  if (trunc (d) >= 9223372036854775808.0 || trunc (d) < -9223372036854775808.0)
                    {
                      char what[64], num[32];
                      hs_float_repr_buf (d, num, sizeof num);
                      snprintf (what, sizeof what, "int(%s)", num);
                      hs_int_overflow (vm, what);
                      goto fail_arg;
                    }
                  v = (int64_t) trunc (d);
                }
              else
                v = hs_int_value (arg);
              f.type = (c == 'i' || c == 'u') ? 'd' : c;
              if (f.precision >= 0)
                {
                  /* "%.3d": a minimum number of digits. */
                  char digs[72], body[200], sign[4];
                  size_t nd = 0, bl = 0, sl = 0;
                  uint64_t mag = v < 0 ? 0 - (uint64_t) v : (uint64_t) v;
                  unsigned base = c == 'x' || c == 'X' ? 16 : c == 'o' ? 8 : 10;
                  const char *dig = c == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
                  int64_t prec = f.precision > 100 ? 100 : f.precision;

                  do
                    {
                      digs[nd++] = dig[mag % base];
                      mag /= base;
                    }
                  while (mag != 0);
                  if (v < 0)
                    sign[sl++] = '-';
                  else if (f.sign != 0)
                    sign[sl++] = f.sign;
                  if (f.alt && base != 10)
                    {
                      sign[sl++] = '0';   /* the prefix goes before any '0' padding */
                      sign[sl++] = c == 'o' ? 'o' : c;
                    }
                  for (int64_t k = (int64_t) nd; k < prec; k++)
                    body[bl++] = '0';
                  while (nd > 0)
                    body[bl++] = digs[--nd];
                  piece = finish_number (vm, &f, sign, sl, body, bl, bl);
                }
              else
                piece = format_int_value (vm, v, &f, hs_object_type_name (arg));
            }
          else
            {
              if (c == 'x' || c == 'X' || c == 'o')
                hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "%%%c format: an integer is required, not %s",
                               c, hs_object_type_name (arg));
              else
                hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "%%%c format: a real number is required, not %s",
                               c, hs_object_type_name (arg));
              goto fail_arg;
            }
          break;
        case 'e': case 'E': case 'f': case 'F': case 'g': case 'G':
          {
            double v;

            if (hs_num_as_double (vm, arg, &v) < 0)
              goto fail_arg;
            f.type = c;
            if (f.precision < 0)
              f.precision = 6;
            piece = format_float_value (vm, v, &f, "float");
          }
          break;
        case 'c':
          f.precision = -1;
          f.fill[0] = ' ';   /* '0' does not apply to %c */
          if (f.align == '=')
            f.align = '>';
          if (hs_num_is_str (vm, arg))
            {
              if (((HsStr *) arg)->length != 1)
                {
                  hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "%%c requires int or char");
                  goto fail_arg;
                }
              f.type = 0;
              piece = format_str_value (vm, arg, &f, "str");
            }
          else if (hs_num_is_int (vm, arg))
            {
              f.type = 'c';
              f.sign = 0;
              f.alt = false;
              piece = format_int_value (vm, hs_int_value (arg), &f, "int");
            }
          else
            {
              hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "%%c requires int or char");
              goto fail_arg;
            }
          break;
        default:
          hs_err_format (vm, HS_EXC (vm, VALUE_ERROR), "unsupported format character '%c' (0x%x) at index %zu",
                         (unsigned char) c < 0x80 ? c : '?', (unsigned) (unsigned char) c, (size_t) (p - 1 - s));
          goto fail_arg;
        }
      HS_XDECREF (vm, owned_arg);
      owned_arg = NULL;
      if (piece == NULL)
        goto fail;
      if (!hs_strbuf_append_str (&b, piece))
        {
          HS_DECREF (vm, piece);
          goto fail;
        }
      HS_DECREF (vm, piece);
      continue;
    fail_arg:
      HS_XDECREF (vm, owned_arg);
      goto fail;
    }
  /* A lone non-tuple argument with __getitem__ (a dict, a list...) counts as a mapping. */
  if (!used_mapping && !is_dict && next < nvals
      && (is_tuple || hs_num_is_str (vm, values) || HS_TYPE (values)->getitem == NULL))
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "not all arguments converted during string formatting");
      goto fail;
    }
  return hs_strbuf_finish (&b);

fail:
  hs_strbuf_clear (&b);
  return NULL;
}
