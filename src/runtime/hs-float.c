/* hs-float.c — float: IEEE double arithmetic, CPython's hash, repr and parsing. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <float.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hs-numbers-private.h"

HsObject *
hs_float_from_double (HsVm *vm, double v)
{
  HsFloat *o = hs_object_alloc (vm, HS_T (vm, FLOAT), sizeof (HsFloat));

  if (HS_UNLIKELY (o == NULL))
    return NULL;
  o->value = v;
  return &o->base;
}

/* ---- comparison and hash ------------------------------------------------- */

int
hs_float_compare_int (double f, int64_t i)
{
  double t;
  int64_t ti;

  if (isnan (f))
    return 2;
  if (i >= -(INT64_C (1) << 53) && i <= (INT64_C (1) << 53))
    {
      double d = (double) i;   /* exact */
      return (f > d) - (f < d);
    }
  if (f >= 9223372036854775808.0)
    return 1;
  if (f < -9223372036854775808.0)
    return -1;
  t = trunc (f);
  ti = (int64_t) t;
  if (ti != i)
    return ti < i ? -1 : 1;
  return (f > t) - (f < t);
}

int64_t
hs_float_hash_value (const HsObject *self, double v)
{
  const uint64_t P = ((uint64_t) 1 << 61) - 1;
  uint64_t x = 0;
  int e, sign = 1;
  double m;
  int64_t h;

  if (isinf (v))
    return v > 0 ? 314159 : -314159;
  if (isnan (v))
    {
      /* CPython 3.11 hashes NaN by identity. */
      h = self != NULL ? (int64_t) (self->id * 0x9E3779B97F4A7C15ull >> 1) : 0;
      return h == -1 ? -2 : h;
    }
  /* The value modulo the Mersenne prime 2**61 - 1, as CPython computes it, so that
   * hash(2.0) == hash(2) and equal numbers hash equally across types. */
  m = frexp (v, &e);
  if (m < 0)
    {
      sign = -1;
      m = -m;
    }
  while (m != 0)
    {
      uint64_t y;

      x = ((x << 28) & P) | x >> (61 - 28);
      m *= 268435456.0;
      e -= 28;
      y = (uint64_t) m;
      m -= (double) y;
      x += y;
      if (x >= P)
        x -= P;
    }
  e = e >= 0 ? e % 61 : 61 - 1 - ((-1 - e) % 61);
  x = ((x << e) & P) | x >> (61 - e);
  h = (int64_t) x * sign;
  return h == -1 ? -2 : h;
}

/* ---- repr ---------------------------------------------------------------- */

void
hs_num_c_decimal (char *buf)
{
  const char *dp = localeconv ()->decimal_point;
  size_t dl;
  char *p;

  if (dp == NULL || dp[0] == '\0' || (dp[0] == '.' && dp[1] == '\0'))
    return;
  dl = strlen (dp);
  p = strstr (buf, dp);
  if (p != NULL)
    {
      *p = '.';
      memmove (p + 1, p + dl, strlen (p + dl) + 1);
    }
}

/* Parses "d.ddde+XX" from printf into digits (trailing zeros removed) and decpt.  The
 * decimal point is whatever the locale prints: skipped, not matched. */
static int
parse_exp_form (const char *buf, char *digits, int *decpt)
{
  int n = 0;
  const char *p = buf;

  digits[n++] = *p++;
  while (*p != '\0' && *p != 'e' && (*p < '0' || *p > '9'))
    p++;
  for (; *p >= '0' && *p <= '9'; p++)
    digits[n++] = *p;
  while (n > 1 && digits[n - 1] == '0')
    n--;
  digits[n] = '\0';
  *decpt = (*p == 'e' ? atoi (p + 1) : 0) + 1;
  return n;
}

int
hs_float_shortest_digits (double v, char *digits, int *decpt)
{
  char buf[40];

  if (v >= DBL_MIN)
    {
      /* Normal numbers: 15 significant digits never hold two round-trip candidates
       * (their spacing is wider than an ulp), so when the 15-digit rounding reads back
       * it is the shortest once its trailing zeros go.  Otherwise 16, then 17 digits. */
      for (int p = 15; p <= 17; p++)
        {
          snprintf (buf, sizeof buf, "%.*e", p - 1, v);
          if (p == 17 || strtod (buf, NULL) == v)
            return parse_exp_form (buf, digits, decpt);
        }
    }
  /* Subnormals have fewer bits: search upwards. */
  for (int p = 1; p <= 17; p++)
    {
      snprintf (buf, sizeof buf, "%.*e", p - 1, v);
      if (p == 17 || strtod (buf, NULL) == v)
        break;
    }
  return parse_exp_form (buf, digits, decpt);
}

size_t
hs_float_repr_buf (double v, char *buf, size_t cap)
{
  char out[48], digits[24];
  size_t n = 0;
  int nd, decpt;

  if (isnan (v))
    n = (size_t) snprintf (out, sizeof out, "nan");
  else if (isinf (v))
    n = (size_t) snprintf (out, sizeof out, v > 0 ? "inf" : "-inf");
  else if (v == 0)
    n = (size_t) snprintf (out, sizeof out, signbit (v) ? "-0.0" : "0.0");
  else
    {
      if (v < 0)
        out[n++] = '-';
      nd = hs_float_shortest_digits (fabs (v), digits, &decpt);
      if (decpt <= -4 || decpt > 16)
        {
          int exp = decpt - 1;

          out[n++] = digits[0];
          if (nd > 1)
            {
              out[n++] = '.';
              memcpy (out + n, digits + 1, (size_t) nd - 1);
              n += (size_t) nd - 1;
            }
          n += (size_t) snprintf (out + n, sizeof out - n, "e%c%02d", exp < 0 ? '-' : '+',
                                  exp < 0 ? -exp : exp);
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
          out[n++] = '.';
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
    }
  if (cap > 0)
    {
      size_t c = n < cap - 1 ? n : cap - 1;
      memcpy (buf, out, c);
      buf[c] = '\0';
    }
  return n;
}

/* ---- parsing ------------------------------------------------------------- */

static bool
is_py_space (unsigned char c)
{
  return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f);
}

static bool
ascii_caseeq (const char *a, size_t n, const char *lower)
{
  if (strlen (lower) != n)
    return false;
  for (size_t i = 0; i < n; i++)
    if ((a[i] | 0x20) != lower[i])
      return false;
  return true;
}

/* Copies the digits of [p, end) into out, dropping underscores that sit between two
 * digits; returns the digit count or -1 when an underscore is misplaced. */
static long
copy_digits (const char **pp, const char *end, char *out, size_t *n)
{
  const char *p = *pp;
  long count = 0;

  while (p < end)
    {
      if (*p >= '0' && *p <= '9')
        {
          out[(*n)++] = *p++;
          count++;
        }
      else if (*p == '_' && count > 0 && p + 1 < end && p[1] >= '0' && p[1] <= '9')
        p++;
      else
        break;
    }
  if (p < end && *p == '_')
    return -1;
  *pp = p;
  return count;
}

HsObject *
hs_float_from_string (HsVm *vm, const char *s, size_t len)
{
  const char *p = s, *end = s + len;
  char small[256], *clean = small;
  size_t n = 0, clean_cap = 0;
  bool negative = false;
  double v;
  HsObject *result = NULL;
  long nd;

  while (p < end && is_py_space ((unsigned char) *p))
    p++;
  while (end > p && is_py_space ((unsigned char) end[-1]))
    end--;
  if (p < end && (*p == '+' || *p == '-'))
    negative = *p++ == '-';
  if (ascii_caseeq (p, (size_t) (end - p), "inf") || ascii_caseeq (p, (size_t) (end - p), "infinity"))
    return hs_float_from_double (vm, negative ? -INFINITY : INFINITY);
  if (ascii_caseeq (p, (size_t) (end - p), "nan"))
    return hs_float_from_double (vm, negative ? -NAN : NAN);

  if ((size_t) (end - p) + 2 > sizeof small)
    {
      clean_cap = (size_t) (end - p) + 2;
      clean = hs_mem_alloc (vm, clean_cap);
      if (clean == NULL)
        return NULL;
    }
  if (negative)
    clean[n++] = '-';
  nd = copy_digits (&p, end, clean, &n);
  if (nd < 0)
    goto invalid;
  if (p < end && *p == '.')
    {
      long frac;

      clean[n++] = *p++;
      frac = copy_digits (&p, end, clean, &n);
      if (frac < 0)
        goto invalid;
      nd += frac;
    }
  if (nd == 0)
    goto invalid;
  if (p < end && (*p == 'e' || *p == 'E'))
    {
      clean[n++] = *p++;
      if (p < end && (*p == '+' || *p == '-'))
        clean[n++] = *p++;
      if (copy_digits (&p, end, clean, &n) <= 0)
        goto invalid;
    }
  if (p != end)
    goto invalid;
  clean[n] = '\0';
  {
    /* strtod reads the locale's decimal point (the GTK app sets the user's locale). */
    const char *dp = localeconv ()->decimal_point;
    char *dot = strchr (clean, '.');

    if (dot != NULL && dp != NULL && dp[0] != '\0' && dp[1] == '\0')
      *dot = dp[0];
  }
  v = strtod (clean, NULL);   /* overflow gives inf, as CPython */
  result = hs_float_from_double (vm, v);
  goto done;

invalid:
  {
    char rep[220];

    hs_str_repr_cbuf (s, len, rep, sizeof rep);
    hs_err_format (vm, HS_EXC (vm, VALUE_ERROR), "could not convert string to float: %s", rep);
  }
done:
  if (clean != small)
    hs_mem_free (vm, clean, clean_cap);
  return result;
}

/* ---- arithmetic ---------------------------------------------------------- */

static bool
as_double (HsVm *vm, HsObject *o, double *out)
{
  if (HS_LIKELY (HS_TYPE (o) == HS_T (vm, FLOAT)) || hs_num_is_float (vm, o))
    {
      *out = hs_float_value (o);
      return true;
    }
  if (hs_num_is_int (vm, o))
    {
      *out = (double) hs_int_value (o);   /* correctly rounded, as CPython */
      return true;
    }
  return false;
}

static bool
is_odd_integer (double w)
{
  return fmod (fabs (w), 2.0) == 1.0;
}

HsObject *
hs_float_pow (HsVm *vm, double iv, double iw)
{
  bool negate = false;
  double ix;

  if (iw == 0)
    return hs_float_from_double (vm, 1.0);
  if (isnan (iv))
    return hs_float_from_double (vm, iv);
  if (isnan (iw))
    return hs_float_from_double (vm, iv == 1.0 ? 1.0 : iw);
  if (isinf (iw))
    {
      double a = fabs (iv);

      if (a == 1.0)
        return hs_float_from_double (vm, 1.0);
      if ((iw > 0) == (a > 1.0))
        return hs_float_from_double (vm, fabs (iw));
      return hs_float_from_double (vm, 0.0);
    }
  if (isinf (iv))
    {
      bool odd = is_odd_integer (iw);

      if (iw > 0)
        return hs_float_from_double (vm, odd ? iv : fabs (iv));
      return hs_float_from_double (vm, odd ? copysign (0.0, iv) : 0.0);
    }
  if (iv == 0)
    {
      if (iw < 0)
        {
          hs_err_format (vm, HS_EXC (vm, ZERO_DIVISION_ERROR),
                         "0.0 cannot be raised to a negative power");
          return NULL;
        }
      return hs_float_from_double (vm, is_odd_integer (iw) ? iv : 0.0);
    }
  if (iv < 0)
    {
      if (iw != floor (iw))
        {
          /* CPython returns a complex number here; Heapscope has no complex type. */
          hs_err_format (vm, HS_EXC (vm, VALUE_ERROR),
                         "negative number cannot be raised to a fractional power "
                         "(the result is complex, which Heapscope does not support)");
          return NULL;
        }
      iv = -iv;
      negate = is_odd_integer (iw);
    }
  if (iv == 1.0)
    return hs_float_from_double (vm, negate ? -1.0 : 1.0);
  ix = pow (iv, iw);
  if (negate)
    ix = -ix;
  if (isinf (ix))
    {
      hs_err_format (vm, HS_EXC (vm, OVERFLOW_ERROR), "(34, 'Numerical result out of range')");
      return NULL;
    }
  return hs_float_from_double (vm, ix);
}

static void
float_divmod (double vx, double wx, double *floordiv, double *modulo)
{
  double mod = fmod (vx, wx), div = (vx - mod) / wx;

  if (mod != 0)
    {
      if ((wx < 0) != (mod < 0))
        {
          mod += wx;
          div -= 1.0;
        }
    }
  else
    mod = copysign (0.0, wx);
  if (div != 0)
    {
      double fl = floor (div);
      if (div - fl > 0.5)
        fl += 1.0;
      div = fl;
    }
  else
    div = copysign (0.0, vx / wx);
  *floordiv = div;
  *modulo = mod;
}

static HsObject *
float_binary (HsVm *vm, HsObject *a, HsObject *b, HsBinaryOp op)
{
  double x, y, q, m;

  if (!as_double (vm, a, &x) || !as_double (vm, b, &y))
    return hs_not_implemented (vm);
  switch (op)
    {
    case HS_BINOP_ADD:
      return hs_float_from_double (vm, x + y);
    case HS_BINOP_SUB:
      return hs_float_from_double (vm, x - y);
    case HS_BINOP_MUL:
      return hs_float_from_double (vm, x * y);
    case HS_BINOP_TRUEDIV:
      if (y == 0)
        {
          hs_err_format (vm, HS_EXC (vm, ZERO_DIVISION_ERROR), "float division by zero");
          return NULL;
        }
      return hs_float_from_double (vm, x / y);
    case HS_BINOP_FLOORDIV:
      if (y == 0)
        {
          hs_err_format (vm, HS_EXC (vm, ZERO_DIVISION_ERROR), "float floor division by zero");
          return NULL;
        }
      float_divmod (x, y, &q, &m);
      return hs_float_from_double (vm, q);
    case HS_BINOP_MOD:
      if (y == 0)
        {
          hs_err_format (vm, HS_EXC (vm, ZERO_DIVISION_ERROR), "float modulo");
          return NULL;
        }
      float_divmod (x, y, &q, &m);
      return hs_float_from_double (vm, m);
    case HS_BINOP_POW:
      return hs_float_pow (vm, x, y);
    default:
      return hs_not_implemented (vm);
    }
}

static HsObject *
float_unary (HsVm *vm, HsObject *self, HsUnaryOp op)
{
  double x = hs_float_value (self);

  switch (op)
    {
    case HS_UNOP_NEG:
      return hs_float_from_double (vm, -x);
    case HS_UNOP_POS:
      if (HS_TYPE (self) == HS_T (vm, FLOAT))
        return hs_incref (self);
      return hs_float_from_double (vm, x);
    case HS_UNOP_NOT:
      return hs_bool_from (vm, x == 0);
    default:
      return hs_not_implemented (vm);
    }
}

static HsObject *
float_richcompare (HsVm *vm, HsObject *self, HsObject *other, HsCompareOp op)
{
  double x, y;
  int c;
  bool r;

  if (hs_num_is_float (vm, self) && hs_num_is_float (vm, other))
    {
      x = hs_float_value (self);
      y = hs_float_value (other);
      switch (op)
        {
        case HS_CMP_LT: r = x < y; break;
        case HS_CMP_LE: r = x <= y; break;
        case HS_CMP_EQ: r = x == y; break;
        case HS_CMP_NE: r = x != y; break;
        case HS_CMP_GT: r = x > y; break;
        default:        r = x >= y; break;
        }
      return hs_bool_from (vm, r);
    }
  if (hs_num_is_float (vm, self) && hs_num_is_int (vm, other))
    c = hs_float_compare_int (hs_float_value (self), hs_int_value (other));
  else if (hs_num_is_int (vm, self) && hs_num_is_float (vm, other))
    {
      c = hs_float_compare_int (hs_float_value (other), hs_int_value (self));
      if (c != 2)
        c = -c;
    }
  else
    return hs_not_implemented (vm);
  if (c == 2)
    return hs_bool_from (vm, op == HS_CMP_NE);
  switch (op)
    {
    case HS_CMP_LT: r = c < 0; break;
    case HS_CMP_LE: r = c <= 0; break;
    case HS_CMP_EQ: r = c == 0; break;
    case HS_CMP_NE: r = c != 0; break;
    case HS_CMP_GT: r = c > 0; break;
    default:        r = c >= 0; break;
    }
  return hs_bool_from (vm, r);
}

static bool
float_hash (HsVm *vm, HsObject *self, int64_t *out)
{
  (void) vm;
  *out = hs_float_hash_value (self, hs_float_value (self));
  return true;
}

static HsObject *
float_repr (HsVm *vm, HsObject *self)
{
  char buf[48];
  size_t n = hs_float_repr_buf (hs_float_value (self), buf, sizeof buf);

  return hs_str_from_ascii (vm, buf, n);
}

static int
float_truth (HsVm *vm, HsObject *self)
{
  (void) vm;
  return hs_float_value (self) != 0;
}

static HsObject *
float_new (HsVm *vm, HsType *cls, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  HsObject *x, *r = NULL;

  if (kwnames != NULL && hs_tuple_size (kwnames) > 0)
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "float() takes no keyword arguments");
      return NULL;
    }
  if (nargs > 1)
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "float expected at most 1 argument, got %zu", nargs);
      return NULL;
    }
  if (nargs == 0)
    r = hs_float_from_double (vm, 0.0);
  else if (hs_num_is_float (vm, (x = args[0])))
    r = HS_TYPE (x) == HS_T (vm, FLOAT) ? hs_incref (x) : hs_float_from_double (vm, hs_float_value (x));
  else if (hs_num_is_int (vm, x))
    r = hs_float_from_double (vm, (double) hs_int_value (x));
  else if (hs_num_is_str (vm, x))
    r = hs_float_from_string (vm, hs_str_data (x), hs_str_size (x));
  else
    {
      static const char *const hooks[] = { "__float__", "__index__" };

      if (HS_TYPE (x)->flags & HS_TPFLAG_HEAPTYPE)
        for (size_t i = 0; i < 2 && r == NULL; i++)
          {
            HsObject *name = hs_str_intern (vm, hooks[i], strlen (hooks[i]));
            HsObject *found = hs_type_lookup (vm, HS_TYPE (x), name);
            HsObject *v;

            HS_DECREF (vm, name);
            if (found == NULL)
              continue;
            v = hs_object_call_method (vm, x, hooks[i], NULL, 0);
            if (v == NULL)
              return NULL;
            if (i == 0 && !hs_num_is_float (vm, v))
              {
                hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "%s.__float__ returned non-float (type %s)",
                               hs_object_type_name (x), hs_object_type_name (v));
                HS_DECREF (vm, v);
                return NULL;
              }
            if (i == 1 && !hs_num_is_int (vm, v))
              {
                hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "__index__ returned non-int (type %s)",
                               hs_object_type_name (v));
                HS_DECREF (vm, v);
                return NULL;
              }
            r = hs_float_from_double (vm, i == 0 ? hs_float_value (v) : (double) hs_int_value (v));
            HS_DECREF (vm, v);
          }
      if (r == NULL)
        {
          hs_err_format (vm, HS_EXC (vm, TYPE_ERROR),
                         "float() argument must be a string or a real number, not '%s'",
                         hs_object_type_name (x));
          return NULL;
        }
    }
  if (r != NULL && cls != HS_T (vm, FLOAT))
    {
      size_t size = cls->basic_size > sizeof (HsFloat) ? cls->basic_size : sizeof (HsFloat);
      HsFloat *o = hs_object_alloc (vm, cls, size);

      if (o != NULL)
        {
          memset ((char *) o + sizeof (HsObject), 0, size - sizeof (HsObject));
          o->value = hs_float_value (r);
        }
      HS_DECREF (vm, r);
      r = (HsObject *) o;
    }
  return r;
}

static HsObject *
float_is_integer (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  double x = hs_float_value (self);

  (void) args;
  if (nargs != 0 || kwnames != NULL)
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "float.is_integer() takes no arguments (%zu given)", nargs);
      return NULL;
    }
  return hs_bool_from (vm, isfinite (x) && floor (x) == x);
}

static HsObject *
float_conjugate (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  (void) args;
  if (nargs != 0 || kwnames != NULL)
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "float.conjugate() takes no arguments (%zu given)", nargs);
      return NULL;
    }
  return hs_float_from_double (vm, hs_float_value (self));
}

static HsObject *
float_getattr (HsVm *vm, HsObject *self, HsObject *name)
{
  const char *n = hs_str_data (name);

  if (strcmp (n, "real") == 0)
    return hs_float_from_double (vm, hs_float_value (self));
  if (strcmp (n, "imag") == 0)
    return hs_float_from_double (vm, 0.0);
  return hs_object_generic_getattr (vm, self, name);
}

static const HsMethodDef float_methods[] = {
  { "is_integer", float_is_integer, "Return True if the float is an integer." },
  { "conjugate", float_conjugate, "Return self, the complex conjugate of any float." },
  { NULL, NULL, NULL },
};

static void
float_describe (HsVm *vm, HsObject *self, char *buf, size_t cap)
{
  (void) vm;
  hs_float_repr_buf (hs_float_value (self), buf, cap);
}

static size_t
float_size_of (HsObject *self)
{
  (void) self;
  return 24;
}

const HsType hs_float_type_template = {
  .name = "float",
  .flags = HS_TPFLAG_BASETYPE,
  .basic_size = sizeof (HsFloat),
  .dealloc = hs_number_dealloc,
  .repr = float_repr,
  .str = float_repr,
  .hash = float_hash,
  .richcompare = float_richcompare,
  .binary = float_binary,
  .unary = float_unary,
  .truth = float_truth,
  .new_ = float_new,
  .methods = float_methods,
  .getattr = float_getattr,
  .describe = float_describe,
  .size_of = float_size_of,
};
