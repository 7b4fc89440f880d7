/* hs-int.c — int and bool (64-bit, overflow-checked), and the None/NotImplemented/Ellipsis singletons. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "hs-numbers-private.h"

/* ---- helpers ------------------------------------------------------------- */

static HsObject *
int_alloc (HsVm *vm, int64_t v)
{
  HsInt *o = hs_object_alloc (vm, HS_T (vm, INT), sizeof (HsInt));

  if (HS_UNLIKELY (o == NULL))
    return NULL;
  o->value = v;
  return &o->base;
}

HsObject *
hs_int_from_i64 (HsVm *vm, int64_t v)
{
  /* One unsigned compare covers -5..256. */
  if ((uint64_t) v + 5u <= (uint64_t) (HS_SMALL_INT_MAX - HS_SMALL_INT_MIN))
    return hs_incref (vm->small_ints[v - HS_SMALL_INT_MIN]);
  return int_alloc (vm, v);
}

HsObject *
hs_bool_from (HsVm *vm, bool b)
{
  return hs_incref (b ? vm->true_obj : vm->false_obj);
}

HsObject *
hs_int_overflow (HsVm *vm, const char *what)
{
  hs_err_format (vm, HS_EXC (vm, OVERFLOW_ERROR),
                 "int too large: Heapscope ints are 64-bit (%s does not fit)", what);
  return NULL;
}

static const char *const binop_symbols[HS_BINOP_COUNT] = {
  "+", "-", "*", "/", "//", "%", "**", "<<", ">>", "&", "|", "^", "@",
};

static HsObject *
int_overflow_op (HsVm *vm, int64_t x, HsBinaryOp op, int64_t y)
{
  char what[96];

  snprintf (what, sizeof what, "result of %lld %s %lld", (long long) x,
            binop_symbols[op], (long long) y);
  return hs_int_overflow (vm, what);
}

size_t
hs_int_to_decimal (int64_t v, char *buf)
{
  /* Two digits per division, written in place from the end once the length is
   * known: every int shown (repr, str, a trace's or a diagram's int text) comes
   * through here. */
  static const char pairs[] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";
  uint64_t u = v < 0 ? 0 - (uint64_t) v : (uint64_t) v;
  uint64_t bound = 10;
  size_t len = v < 0 ? 2 : 1;
  char *q;

  while (u >= bound && len < 20 + (v < 0))
    {
      bound *= 10;
      len++;
    }
  buf[len] = '\0';
  q = buf + len;
  while (u >= 100)
    {
      unsigned k = (unsigned) (u % 100) * 2;
      u /= 100;
      *--q = pairs[k + 1];
      *--q = pairs[k];
    }
  if (u >= 10)
    {
      *--q = pairs[u * 2 + 1];
      *--q = pairs[u * 2];
    }
  else
    *--q = (char) ('0' + u);
  if (v < 0)
    *--q = '-';
  return len;
}

static int
bit_length_u64 (uint64_t u)
{
  return u == 0 ? 0 : 64 - __builtin_clzll (u);
}

double
hs_int_true_divide (int64_t x, int64_t y)
{
  uint64_t a = x < 0 ? 0 - (uint64_t) x : (uint64_t) x;
  uint64_t b = y < 0 ? 0 - (uint64_t) y : (uint64_t) y;
  bool negative = (x < 0) != (y < 0);
  double r;

  if (a <= (1ull << 53) && b <= (1ull << 53))
    r = (double) a / (double) b;   /* both exact: one correctly rounded operation */
  else
    {
      /* Make a quotient of 62-64 bits with a sticky bit for the remainder, then let the
       * hardware round it once to 53 bits: exact rounding like CPython. */
      int shift = 62 + bit_length_u64 (b) - bit_length_u64 (a);
      uint64_t q;
      bool rest;

      if (shift > 0)
        {
          unsigned __int128 num = (unsigned __int128) a << shift;
          q = (uint64_t) (num / b);
          rest = num % b != 0;
        }
      else
        {
          shift = 0;
          q = a / b;
          rest = a % b != 0;
        }
      r = ldexp ((double) (q | (uint64_t) rest), -shift);
    }
  return negative ? -r : r;
}

int
hs_num_parse_args (HsVm *vm, const char *fname, HsObject *const *args, size_t nargs,
                   HsObject *kwnames, const char *const *names, size_t max_args,
                   HsObject **out)
{
  size_t nkw = kwnames != NULL ? hs_tuple_size (kwnames) : 0;
  size_t npos = nargs - nkw;

  for (size_t i = 0; i < max_args; i++)
    out[i] = NULL;
  if (npos > max_args)
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "%s() takes at most %zu argument%s (%zu given)",
                     fname, max_args, max_args == 1 ? "" : "s", npos);
      return -1;
    }
  for (size_t i = 0; i < npos; i++)
    out[i] = args[i];
  for (size_t k = 0; k < nkw; k++)
    {
      const char *kw = hs_str_data (hs_tuple_item (kwnames, k));
      size_t i;

      for (i = 0; i < max_args; i++)
        if (names[i] != NULL && strcmp (names[i], kw) == 0)
          break;
      if (i == max_args)
        {
          hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "'%s' is an invalid keyword argument for %s()",
                         kw, fname);
          return -1;
        }
      if (out[i] != NULL)
        {
          hs_err_format (vm, HS_EXC (vm, TYPE_ERROR),
                         "argument for %s() given by name ('%s') and position (%zu)",
                         fname, kw, i + 1);
          return -1;
        }
      out[i] = args[npos + k];
    }
  return 0;
}

/* ---- parsing ------------------------------------------------------------- */

static bool
is_py_space (unsigned char c)
{
  return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f);
}

static int
digit_value (unsigned char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'z')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'Z')
    return c - 'A' + 10;
  return 99;
}

HsObject *
hs_int_from_string (HsVm *vm, const char *s, size_t len, int base)
{
  const char *p = s, *end = s + len;
  bool negative = false, overflow = false;
  uint64_t mag = 0;
  int orig_base = base;
  size_t ndigits = 0;
  int first_digit = 0;
  bool last_underscore = false, prefixed = false;

  if (base != 0 && (base < 2 || base > 36))
    {
      hs_err_format (vm, HS_EXC (vm, VALUE_ERROR), "int() base must be >= 2 and <= 36, or 0");
      return NULL;
    }
  while (p < end && is_py_space ((unsigned char) *p))
    p++;
  while (end > p && is_py_space ((unsigned char) end[-1]))
    end--;
  if (p < end && (*p == '+' || *p == '-'))
    negative = *p++ == '-';

  if (end - p >= 2 && p[0] == '0')
    {
      char c = (char) (p[1] | 0x20);
      int pb = c == 'x' ? 16 : c == 'o' ? 8 : c == 'b' ? 2 : 0;

      if (pb != 0 && (base == 0 || base == pb))
        {
          base = pb;
          prefixed = true;
          p += 2;
          if (p < end && *p == '_')   /* "0x_1f": one underscore may follow the prefix */
            p++;
        }
    }
  if (base == 0)
    base = 10;

  for (; p < end; p++)
    {
      unsigned char c = (unsigned char) *p;
      int d;

      if (c == '_')
        {
          if (last_underscore || ndigits == 0)
            goto invalid;
          last_underscore = true;
          continue;
        }
      d = digit_value (c);
      if (d >= base)
        goto invalid;
      last_underscore = false;
      if (ndigits == 0)
        first_digit = d;
      ndigits++;
      if (!overflow
          && (__builtin_mul_overflow (mag, (uint64_t) base, &mag)
              || __builtin_add_overflow (mag, (uint64_t) d, &mag)))
        overflow = true;
    }
  if (ndigits == 0 || last_underscore)
    goto invalid;
  /* base 0 reads Python literals: "012" is not one, "00" is. */
  if (orig_base == 0 && !prefixed && first_digit == 0 && (mag != 0 || overflow))
    goto invalid;
  if (overflow || mag > (uint64_t) INT64_MAX + (negative ? 1u : 0u))
    {
      char what[80];
      int n = (int) (len < 60 ? len : 60);

      snprintf (what, sizeof what, "%.*s%s", n, s, len > 60 ? "..." : "");
      return hs_int_overflow (vm, what);
    }
  return hs_int_from_i64 (vm, negative ? (int64_t) (0 - mag) : (int64_t) mag);

invalid:
  {
    char rep[220];

    hs_str_repr_cbuf (s, len, rep, sizeof rep);
    hs_err_format (vm, HS_EXC (vm, VALUE_ERROR), "invalid literal for int() with base %d: %s",
                   orig_base, rep);
    return NULL;
  }
}

/* ---- int type slots ------------------------------------------------------ */

/* ints, floats and the singletons hold no references: freeing is all there is. */
void
hs_number_dealloc (HsVm *vm, HsObject *self)
{
  hs_object_free (vm, self);
}

static HsObject *
int_repr (HsVm *vm, HsObject *self)
{
  char buf[24];
  size_t n = hs_int_to_decimal (hs_int_value (self), buf);

  return hs_str_from_ascii (vm, buf, n);
}

static bool
int_hash (HsVm *vm, HsObject *self, int64_t *out)
{
  const uint64_t P = ((uint64_t) 1 << 61) - 1;
  int64_t v = hs_int_value (self);
  uint64_t mag = v < 0 ? 0 - (uint64_t) v : (uint64_t) v;
  int64_t h = (int64_t) (mag % P);

  (void) vm;
  if (v < 0)
    h = -h;
  *out = h == -1 ? -2 : h;
  return true;
}

static HsObject *
compare_result (HsVm *vm, int c, HsCompareOp op)
{
  bool r;

  if (c == 2)   /* unordered (NaN) */
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

static HsObject *
int_richcompare (HsVm *vm, HsObject *self, HsObject *other, HsCompareOp op)
{
  int c;

  if (HS_LIKELY (hs_num_is_int (vm, other) && hs_num_is_int (vm, self)))
    {
      int64_t x = hs_int_value (self), y = hs_int_value (other);
      c = (x > y) - (x < y);
    }
  else if (hs_num_is_float (vm, other) && hs_num_is_int (vm, self))
    {
      c = hs_float_compare_int (hs_float_value (other), hs_int_value (self));
      if (c != 2)
        c = -c;
    }
  else if (hs_num_is_float (vm, self) && hs_num_is_int (vm, other))
    c = hs_float_compare_int (hs_float_value (self), hs_int_value (other));
  else
    return hs_not_implemented (vm);
  return compare_result (vm, c, op);
}

static HsObject *
int_pow (HsVm *vm, int64_t x, int64_t y)
{
  int64_t result = 1, base = x, e = y;

  if (y < 0)
    return hs_float_pow (vm, (double) x, (double) y);
  while (e > 0)
    {
      if (e & 1)
        {
          if (__builtin_mul_overflow (result, base, &result))
            return int_overflow_op (vm, x, HS_BINOP_POW, y);
        }
      e >>= 1;
      if (e > 0 && __builtin_mul_overflow (base, base, &base))
        return int_overflow_op (vm, x, HS_BINOP_POW, y);
    }
  return hs_int_from_i64 (vm, result);
}

static HsObject *
int_binary (HsVm *vm, HsObject *a, HsObject *b, HsBinaryOp op)
{
  int64_t x, y, r;

  if (HS_UNLIKELY (!hs_num_is_int (vm, a) || !hs_num_is_int (vm, b)))
    return hs_not_implemented (vm);
  x = hs_int_value (a);
  y = hs_int_value (b);
  switch (op)
    {
    case HS_BINOP_ADD:
      if (__builtin_add_overflow (x, y, &r))
        return int_overflow_op (vm, x, op, y);
      return hs_int_from_i64 (vm, r);
    case HS_BINOP_SUB:
      if (__builtin_sub_overflow (x, y, &r))
        return int_overflow_op (vm, x, op, y);
      return hs_int_from_i64 (vm, r);
    case HS_BINOP_MUL:
      if (__builtin_mul_overflow (x, y, &r))
        return int_overflow_op (vm, x, op, y);
      return hs_int_from_i64 (vm, r);
    case HS_BINOP_TRUEDIV:
      if (y == 0)
        {
          hs_err_format (vm, HS_EXC (vm, ZERO_DIVISION_ERROR), "division by zero");
          return NULL;
        }
      return hs_float_from_double (vm, hs_int_true_divide (x, y));
    case HS_BINOP_FLOORDIV:
      if (y == 0)
        {
          hs_err_format (vm, HS_EXC (vm, ZERO_DIVISION_ERROR), "integer division or modulo by zero");
          return NULL;
        }
      if (x == INT64_MIN && y == -1)
        return int_overflow_op (vm, x, op, y);
      r = x / y;
      if (x % y != 0 && ((x < 0) != (y < 0)))
        r--;
      return hs_int_from_i64 (vm, r);
    case HS_BINOP_MOD:
      if (y == 0)
        {
          hs_err_format (vm, HS_EXC (vm, ZERO_DIVISION_ERROR), "integer modulo by zero");
          return NULL;
        }
      if (y == -1)
        return hs_int_from_i64 (vm, 0);
      r = x % y;
      if (r != 0 && ((r < 0) != (y < 0)))
        r += y;
      return hs_int_from_i64 (vm, r);
    case HS_BINOP_POW:
      return int_pow (vm, x, y);
    case HS_BINOP_LSHIFT:
      if (y < 0)
        {
          hs_err_format (vm, HS_EXC (vm, VALUE_ERROR), "negative shift count");
          return NULL;
        }
      if (x == 0)
        return hs_int_from_i64 (vm, 0);
      if (y >= 63)
        return int_overflow_op (vm, x, op, y);
      r = (int64_t) ((uint64_t) x << y);
      if ((r >> y) != x)
        return int_overflow_op (vm, x, op, y);
      return hs_int_from_i64 (vm, r);
    case HS_BINOP_RSHIFT:
      if (y < 0)
        {
          hs_err_format (vm, HS_EXC (vm, VALUE_ERROR), "negative shift count");
          return NULL;
        }
      return hs_int_from_i64 (vm, y >= 64 ? (x < 0 ? -1 : 0) : x >> y);
    case HS_BINOP_AND:
      return hs_int_from_i64 (vm, x & y);
    case HS_BINOP_OR:
      return hs_int_from_i64 (vm, x | y);
    case HS_BINOP_XOR:
      return hs_int_from_i64 (vm, x ^ y);
    default:
      return hs_not_implemented (vm);
    }
}

static HsObject *
int_unary (HsVm *vm, HsObject *self, HsUnaryOp op)
{
  int64_t x = hs_int_value (self);

  switch (op)
    {
    case HS_UNOP_NEG:
      if (x == INT64_MIN)
        return hs_int_overflow (vm, "result of -(-9223372036854775808)");
      return hs_int_from_i64 (vm, -x);
    case HS_UNOP_POS:
      if (HS_TYPE (self) == HS_T (vm, INT))
        return hs_incref (self);
      return hs_int_from_i64 (vm, x);
    case HS_UNOP_INVERT:
      return hs_int_from_i64 (vm, ~x);
    case HS_UNOP_NOT:
      return hs_bool_from (vm, x == 0);
    default:
      return hs_not_implemented (vm);
    }
}

static int
int_truth (HsVm *vm, HsObject *self)
{
  (void) vm;
  return hs_int_value (self) != 0;
}

HsObject *
hs_int_from_integral_double (HsVm *vm, double x, const char *what)
{
  if (isnan (x))
    {
      hs_err_format (vm, HS_EXC (vm, VALUE_ERROR), "cannot convert float NaN to integer");
      return NULL;
    }
  if (isinf (x))
    {
      hs_err_format (vm, HS_EXC (vm, OVERFLOW_ERROR), "cannot convert float infinity to integer");
      return NULL;
    }
  if (x >= 9223372036854775808.0 || x < -9223372036854775808.0)
    return hs_int_overflow (vm, what);
  return hs_int_from_i64 (vm, (int64_t) x);
}

/* int(x=0) / int(x, base=10) */
static HsObject *
int_from_object (HsVm *vm, HsObject *x)
{
  if (hs_num_is_int (vm, x))
    {
      if (HS_TYPE (x) == HS_T (vm, INT))
        return hs_incref (x);
      return hs_int_from_i64 (vm, hs_int_value (x));
    }
  if (hs_num_is_float (vm, x))
    {
      double d = hs_float_value (x);
      char what[64], num[32];

      hs_float_repr_buf (d, num, sizeof num);
      snprintf (what, sizeof what, "int(%s)", num);
      return hs_int_from_integral_double (vm, trunc (d), what);
    }
  if (hs_num_is_str (vm, x))
    return hs_int_from_string (vm, hs_str_data (x), hs_str_size (x), 10);
  if (HS_TYPE (x)->flags & HS_TPFLAG_HEAPTYPE)
    {
      static const char *const hooks[] = { "__int__", "__index__", "__trunc__" };

      for (size_t i = 0; i < sizeof hooks / sizeof hooks[0]; i++)
        {
          HsObject *name = hs_str_intern (vm, hooks[i], strlen (hooks[i]));
          HsObject *found = hs_type_lookup (vm, HS_TYPE (x), name);
          HsObject *r;

          HS_DECREF (vm, name);
          if (found == NULL)
            continue;
          r = hs_object_call_method (vm, x, hooks[i], NULL, 0);
          if (r == NULL)
            return NULL;
          if (!hs_num_is_int (vm, r))
            {
              hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "%s returned non-int (type %s)",
                             hooks[i], hs_object_type_name (r));
              HS_DECREF (vm, r);
              return NULL;
            }
          return r;
        }
    }
  hs_err_format (vm, HS_EXC (vm, TYPE_ERROR),
                 "int() argument must be a string, a bytes-like object or a real number, not '%s'",
                 hs_object_type_name (x));
  return NULL;
}

static HsObject *
int_new (HsVm *vm, HsType *cls, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  static const char *const names[] = { NULL, "base" };
  HsObject *a[2], *r;

  if (hs_num_parse_args (vm, "int", args, nargs, kwnames, names, 2, a) < 0)
    return NULL;
  if (a[0] == NULL)
    {
      if (a[1] != NULL)
        {
          hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "int() missing string argument");
          return NULL;
        }
      r = hs_int_from_i64 (vm, 0);
    }
  else if (a[1] != NULL)
    {
      int64_t base;

      if (hs_index_value (vm, a[1], &base) < 0)
        return NULL;
      if (!hs_num_is_str (vm, a[0]))
        {
          hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "int() can't convert non-string with explicit base");
          return NULL;
        }
      if (base != 0 && (base < 2 || base > 36))
        {
          hs_err_format (vm, HS_EXC (vm, VALUE_ERROR), "int() base must be >= 2 and <= 36, or 0");
          return NULL;
        }
      r = hs_int_from_string (vm, hs_str_data (a[0]), hs_str_size (a[0]), (int) base);
    }
  else
    r = int_from_object (vm, a[0]);

  if (r != NULL && cls != HS_T (vm, INT))
    {
      /* A subclass (class MyInt(int)): an instance of cls carrying the value. */
      size_t size = cls->basic_size > sizeof (HsInt) ? cls->basic_size : sizeof (HsInt);
      HsInt *o = hs_object_alloc (vm, cls, size);

      if (o != NULL)
        {
          /* The subclass may add fields (an attribute table): start them empty. */
          memset ((char *) o + sizeof (HsObject), 0, size - sizeof (HsObject));
          o->value = hs_int_value (r);
        }
      HS_DECREF (vm, r);
      r = (HsObject *) o;
    }
  return r;
}

static void
int_describe (HsVm *vm, HsObject *self, char *buf, size_t cap)
{
  char tmp[24];

  (void) vm;
  /* Runs for every ALLOC event of an int: no snprintf. */
  if (cap >= sizeof tmp)
    hs_int_to_decimal (hs_int_value (self), buf);
  else if (cap > 0)
    {
      size_t n = hs_int_to_decimal (hs_int_value (self), tmp);
      if (n >= cap)
        n = cap - 1;
      memcpy (buf, tmp, n);
      buf[n] = '\0';
    }
}

/* sys.getsizeof as CPython 3.11 on 64-bit: 24 bytes of header plus 4 per 30-bit digit
 * (at least one digit, so 0 is 28 too). */
static size_t
int_size_of (HsObject *self)
{
  int64_t v = hs_int_value (self);
  uint64_t mag = v < 0 ? 0 - (uint64_t) v : (uint64_t) v;

  if (mag < ((uint64_t) 1 << 30))
    return 28;
  if (mag < ((uint64_t) 1 << 60))
    return 32;
  return 36;
}

static HsObject *
int_bit_length (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  int64_t v = hs_int_value (self);

  if (nargs != 0 || kwnames != NULL)
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "int.bit_length() takes no arguments (%zu given)", nargs);
      return NULL;
    }
  return hs_int_from_i64 (vm, bit_length_u64 (v < 0 ? 0 - (uint64_t) v : (uint64_t) v));
}

static HsObject *
int_conjugate (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  if (nargs != 0 || kwnames != NULL)
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "int.conjugate() takes no arguments (%zu given)", nargs);
      return NULL;
    }
  return hs_int_from_i64 (vm, hs_int_value (self));
}

/* The number attributes (real, imag, numerator, denominator); the rest is generic. */
static HsObject *
int_getattr (HsVm *vm, HsObject *self, HsObject *name)
{
  const char *n = hs_str_data (name);

  if (strcmp (n, "real") == 0 || strcmp (n, "numerator") == 0)
    return hs_int_from_i64 (vm, hs_int_value (self));
  if (strcmp (n, "imag") == 0)
    return hs_int_from_i64 (vm, 0);
  if (strcmp (n, "denominator") == 0)
    return hs_int_from_i64 (vm, 1);
  return hs_object_generic_getattr (vm, self, name);
}

static const HsMethodDef int_methods[] = {
  { "bit_length", int_bit_length, "Number of bits necessary to represent self in binary." },
  { "conjugate", int_conjugate, "Returns self, the complex conjugate of any int." },
  { NULL, NULL, NULL },
};

static const HsType int_template = {
  .name = "int",
  .flags = HS_TPFLAG_BASETYPE | HS_TPFLAG_INT_SUBCLASS,
  .basic_size = sizeof (HsInt),
  .dealloc = hs_number_dealloc,
  .repr = int_repr,
  .str = int_repr,
  .hash = int_hash,
  .richcompare = int_richcompare,
  .binary = int_binary,
  .unary = int_unary,
  .truth = int_truth,
  .new_ = int_new,
  .methods = int_methods,
  .getattr = int_getattr,
  .describe = int_describe,
  .size_of = int_size_of,
};

/* ---- bool ---------------------------------------------------------------- */

static HsObject *
bool_repr (HsVm *vm, HsObject *self)
{
  return hs_int_value (self) ? hs_str_intern (vm, "True", 4) : hs_str_intern (vm, "False", 5);
}

static HsObject *
bool_binary (HsVm *vm, HsObject *a, HsObject *b, HsBinaryOp op)
{
  if ((op == HS_BINOP_AND || op == HS_BINOP_OR || op == HS_BINOP_XOR)
      && HS_TYPE (a) == HS_T (vm, BOOL) && HS_TYPE (b) == HS_T (vm, BOOL))
    {
      bool x = hs_int_value (a) != 0, y = hs_int_value (b) != 0;

      return hs_bool_from (vm, op == HS_BINOP_AND ? (x && y) : op == HS_BINOP_OR ? (x || y) : (x != y));
    }
  return int_binary (vm, a, b, op);
}

static HsObject *
bool_new (HsVm *vm, HsType *cls, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  int t;

  (void) cls;
  if (kwnames != NULL && hs_tuple_size (kwnames) > 0)
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "bool() takes no keyword arguments");
      return NULL;
    }
  if (nargs > 1)
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "bool expected at most 1 argument, got %zu", nargs);
      return NULL;
    }
  if (nargs == 0)
    return hs_bool_from (vm, false);
  t = hs_object_is_true (vm, args[0]);
  if (t < 0)
    return NULL;
  return hs_bool_from (vm, t != 0);
}

static void
bool_describe (HsVm *vm, HsObject *self, char *buf, size_t cap)
{
  (void) vm;
  snprintf (buf, cap, "%s", hs_int_value (self) ? "True" : "False");
}

static const HsType bool_template = {
  .name = "bool",
  .tp_base = (HsType *) &int_template,
  .flags = HS_TPFLAG_INT_SUBCLASS,
  .basic_size = sizeof (HsInt),
  .dealloc = hs_number_dealloc,
  .repr = bool_repr,
  .str = bool_repr,
  .hash = int_hash,
  .richcompare = int_richcompare,
  .binary = bool_binary,
  .unary = int_unary,
  .truth = int_truth,
  .new_ = bool_new,
  .methods = int_methods,
  .getattr = int_getattr,
  .describe = bool_describe,
  .size_of = int_size_of,
};

/* ---- None, NotImplemented, Ellipsis -------------------------------------- */

static HsObject *
none_repr (HsVm *vm, HsObject *self)
{
  (void) self;
  return hs_str_intern (vm, "None", 4);
}

static HsObject *
notimpl_repr (HsVm *vm, HsObject *self)
{
  (void) self;
  return hs_str_intern (vm, "NotImplemented", 14);
}

static HsObject *
ellipsis_repr (HsVm *vm, HsObject *self)
{
  (void) self;
  return hs_str_intern (vm, "Ellipsis", 8);
}

/* Hashed by identity, as CPython 3.11 does for these singletons. */
static bool
singleton_hash (HsVm *vm, HsObject *self, int64_t *out)
{
  (void) vm;
  *out = (int64_t) (self->id * 0x9E3779B97F4A7C15ull >> 1);
  if (*out == -1)
    *out = -2;
  return true;
}

static HsObject *
singleton_richcompare (HsVm *vm, HsObject *self, HsObject *other, HsCompareOp op)
{
  if (op == HS_CMP_EQ && self == other)
    return hs_bool_from (vm, true);
  if (op == HS_CMP_NE && self == other)
    return hs_bool_from (vm, false);
  return hs_not_implemented (vm);
}

static int
none_truth (HsVm *vm, HsObject *self)
{
  (void) vm; (void) self;
  return 0;
}

static int
always_true (HsVm *vm, HsObject *self)
{
  (void) vm; (void) self;
  return 1;
}

static HsObject *
singleton_new (HsVm *vm, HsType *cls, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  HsObject *which = cls == HS_T (vm, NONE) ? vm->none
                    : cls == HS_T (vm, NOTIMPLEMENTED) ? vm->not_implemented : vm->ellipsis;

  (void) args;
  if (nargs > 0 || (kwnames != NULL && hs_tuple_size (kwnames) > 0))
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "%s takes no arguments", cls->name);
      return NULL;
    }
  return hs_incref (which);
}

static void
singleton_describe (HsVm *vm, HsObject *self, char *buf, size_t cap)
{
  snprintf (buf, cap, "%s", self == vm->none ? "None"
            : self == vm->not_implemented ? "NotImplemented" : "Ellipsis");
}

static size_t
singleton_size_of (HsObject *self)
{
  (void) self;
  return 16;
}

static const HsType none_template = {
  .name = "NoneType",
  .basic_size = sizeof (HsObject),
  .dealloc = hs_number_dealloc,
  .repr = none_repr,
  .str = none_repr,
  .hash = singleton_hash,
  .richcompare = singleton_richcompare,
  .truth = none_truth,
  .new_ = singleton_new,
  .describe = singleton_describe,
  .size_of = singleton_size_of,
};

static const HsType notimpl_template = {
  .name = "NotImplementedType",
  .basic_size = sizeof (HsObject),
  .dealloc = hs_number_dealloc,
  .repr = notimpl_repr,
  .str = notimpl_repr,
  .hash = singleton_hash,
  .richcompare = singleton_richcompare,
  .truth = always_true,
  .new_ = singleton_new,
  .describe = singleton_describe,
  .size_of = singleton_size_of,
};

static const HsType ellipsis_template = {
  .name = "ellipsis",
  .basic_size = sizeof (HsObject),
  .dealloc = hs_number_dealloc,
  .repr = ellipsis_repr,
  .str = ellipsis_repr,
  .hash = singleton_hash,
  .richcompare = singleton_richcompare,
  .truth = always_true,
  .new_ = singleton_new,
  .describe = singleton_describe,
  .size_of = singleton_size_of,
};

/* ---- start-up ------------------------------------------------------------ */

static HsType *
register_type (HsVm *vm, HsTypeId id, const HsType *tmpl)
{
  HsType *t = hs_type_register (vm, id, tmpl);

  if (t != NULL && t->tp_base == NULL && id != HS_T_OBJECT)
    t->tp_base = vm->types[HS_T_OBJECT];
  return t;
}

static HsObject *
make_singleton (HsVm *vm, HsType *type, size_t size)
{
  HsObject *o = hs_object_alloc (vm, type, size);

  if (o != NULL)
    hs_make_immortal (o);
  return o;
}

void
hs_numbers_init (HsVm *vm)
{
  HsType *int_type, *bool_type;

  register_type (vm, HS_T_NONE, &none_template);
  register_type (vm, HS_T_NOTIMPLEMENTED, &notimpl_template);
  register_type (vm, HS_T_ELLIPSIS, &ellipsis_template);
  int_type = register_type (vm, HS_T_INT, &int_template);
  bool_type = register_type (vm, HS_T_BOOL, &bool_template);
  register_type (vm, HS_T_FLOAT, &hs_float_type_template);
  if (bool_type != NULL && int_type != NULL)
    bool_type->tp_base = int_type;

  vm->none = make_singleton (vm, HS_T (vm, NONE), sizeof (HsObject));
  vm->not_implemented = make_singleton (vm, HS_T (vm, NOTIMPLEMENTED), sizeof (HsObject));
  vm->ellipsis = make_singleton (vm, HS_T (vm, ELLIPSIS), sizeof (HsObject));
  vm->false_obj = make_singleton (vm, bool_type, sizeof (HsInt));
  if (vm->false_obj != NULL)
    ((HsInt *) vm->false_obj)->value = 0;
  vm->true_obj = make_singleton (vm, bool_type, sizeof (HsInt));
  if (vm->true_obj != NULL)
    ((HsInt *) vm->true_obj)->value = 1;
  for (int64_t v = HS_SMALL_INT_MIN; v <= HS_SMALL_INT_MAX; v++)
    {
      HsObject *o = make_singleton (vm, int_type, sizeof (HsInt));

      if (o != NULL)
        ((HsInt *) o)->value = v;
      vm->small_ints[v - HS_SMALL_INT_MIN] = o;
    }
}
