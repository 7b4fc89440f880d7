/* hs-math.c — the math module, made on its first import: CPython 3.11's functions
 * on floats and on (64-bit) ints, with its error messages. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "hs-containers.h"
#include "hs-numbers-private.h"
#include "hs-vm.h"

/* The only argument of `fname` ("math.sqrt()"), no keywords. */
static int
one_arg (HsVm *vm, const char *fname, size_t nargs, HsObject *kwnames)
{
  if (hs_check_no_kwargs (vm, fname, kwnames) < 0 || hs_check_nargs (vm, fname, nargs, 1, 1) < 0)
    return -1;
  return 0;
}

static int
one_real_arg (HsVm *vm, const char *fname, HsObject *const *args, size_t nargs, HsObject *kwnames,
              double *x)
{
  if (one_arg (vm, fname, nargs, kwnames) < 0)
    return -1;
  return hs_num_as_double (vm, args[0], x);
}

static int
one_int_arg (HsVm *vm, const char *fname, HsObject *const *args, size_t nargs, HsObject *kwnames,
             int64_t *n)
{
  if (one_arg (vm, fname, nargs, kwnames) < 0)
    return -1;
  return hs_index_value (vm, args[0], n);
}

static HsObject *
domain_error (HsVm *vm)
{
  hs_err_format (vm, HS_EXC (vm, VALUE_ERROR), "math domain error");
  return NULL;
}

/* A float result: a nan from numbers that were not, or an infinity from finite
 * ones, is an error as in CPython (`overflow`: the kind of error an infinity is). */
static HsObject *
float_result (HsVm *vm, double r, double x, double y, bool overflow)
{
  if (isnan (r) && !isnan (x) && !isnan (y))
    return domain_error (vm);
  if (isinf (r) && isfinite (x) && isfinite (y))
    {
      if (!overflow)
        return domain_error (vm);
      hs_err_format (vm, HS_EXC (vm, OVERFLOW_ERROR), "math range error");
      return NULL;
    }
  return hs_float_from_double (vm, r);
}

/* ---- functions of one float ------------------------------------------------------ */

/* fn applied to the one argument of `fname`; an infinite result from a finite
 * argument is an OverflowError if `overflow` (exp), else a domain error (log of 0). */
static HsObject *
math_unary (HsVm *vm, const char *fname, double (*fn) (double), bool overflow, HsObject *const *args,
            size_t nargs, HsObject *kwnames)
{
  double x;

  if (one_real_arg (vm, fname, args, nargs, kwnames, &x) < 0)
    return NULL;
  /* log2(0), log10(0), log1p(-1): C gives -inf, CPython a domain error. */
  if (((fn == log2 || fn == log10) && x == 0.0) || (fn == log1p && x == -1.0))
    return domain_error (vm);
  return float_result (vm, fn (x), x, 0.0, overflow);
}

#define UNARY(cname, overflow) \
  static HsObject * \
  math_##cname (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames) \
  { \
    return math_unary (vm, "math." #cname "()", cname, overflow, args, nargs, kwnames); \
  }
UNARY (sqrt, false)
UNARY (exp, true)
UNARY (log2, false)
UNARY (log10, false)
UNARY (sin, false)
UNARY (cos, false)
UNARY (tan, false)
UNARY (asin, false)
UNARY (acos, false)
UNARY (atan, false)
UNARY (fabs, false)
UNARY (sinh, true)
UNARY (cosh, true)
UNARY (tanh, false)
UNARY (expm1, true)
UNARY (log1p, false)
#undef UNARY

static HsObject *
math_degrees (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  double x;

  if (one_real_arg (vm, "math.degrees()", args, nargs, kwnames, &x) < 0)
    return NULL;
  return hs_float_from_double (vm, x * (180.0 / M_PI));
}

static HsObject *
math_radians (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  double x;

  if (one_real_arg (vm, "math.radians()", args, nargs, kwnames, &x) < 0)
    return NULL;
  return hs_float_from_double (vm, x * (M_PI / 180.0));
}

/* log(x[, base]) */
static HsObject *
math_log (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  double x, base = 0.0, r;

  if (hs_check_no_kwargs (vm, "log", kwnames) < 0)
    return NULL;
  if (nargs < 1 || nargs > 2)
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "math.log requires 1 to 2 arguments");
      return NULL;
    }
  if (hs_num_as_double (vm, args[0], &x) < 0 || (nargs == 2 && hs_num_as_double (vm, args[1], &base) < 0))
    return NULL;
  if (x <= 0.0 || (nargs == 2 && base <= 0.0))
    return domain_error (vm);
  r = log (x);
  if (nargs == 2)
    {
      double d = log (base);
      if (d == 0.0)
        {
          hs_err_format (vm, HS_EXC (vm, ZERO_DIVISION_ERROR), "float division by zero");
          return NULL;
        }
      r /= d;
    }
  return hs_float_from_double (vm, r);
}

/* ---- functions of two floats ------------------------------------------------------- */

/* The two real-number arguments of `fname`, no keywords. */
static int
two_real_args (HsVm *vm, const char *fname, HsObject *const *args, size_t nargs, HsObject *kwnames,
               double *x, double *y)
{
  if (hs_check_no_kwargs (vm, fname, kwnames) < 0 || hs_check_nargs (vm, fname, nargs, 2, 2) < 0
      || hs_num_as_double (vm, args[0], x) < 0 || hs_num_as_double (vm, args[1], y) < 0)
    return -1;
  return 0;
}

static HsObject *
math_pow (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  double x, y;

  if (two_real_args (vm, "pow", args, nargs, kwnames, &x, &y) < 0)
    return NULL;
  if (x == 0.0 && y < 0.0)
    return domain_error (vm);
  return float_result (vm, pow (x, y), x, y, true);
}

static HsObject *
math_atan2 (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  double y, x;

  if (two_real_args (vm, "atan2", args, nargs, kwnames, &y, &x) < 0)
    return NULL;
  return hs_float_from_double (vm, atan2 (y, x));
}

static HsObject *
math_copysign (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  double x, y;

  if (two_real_args (vm, "copysign", args, nargs, kwnames, &x, &y) < 0)
    return NULL;
  return hs_float_from_double (vm, copysign (x, y));
}

static HsObject *
math_fmod (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  double x, y;

  if (two_real_args (vm, "fmod", args, nargs, kwnames, &x, &y) < 0)
    return NULL;
  if (y == 0.0 || isinf (x))
    {
      if (!isnan (x) && !isnan (y))
        return domain_error (vm);
    }
  return hs_float_from_double (vm, fmod (x, y));
}

/* hypot(*coordinates): the distance from the origin, scaled by the largest
 * coordinate so that no square overflows. */
static HsObject *
math_hypot (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  double v[16], big = 0.0, sum = 0.0;

  if (hs_check_no_kwargs (vm, "hypot", kwnames) < 0)
    return NULL;
  if (nargs > (sizeof v / sizeof v[0]))
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "hypot() takes at most %zu arguments here",
                     (sizeof v / sizeof v[0]));
      return NULL;
    }
  for (size_t i = 0; i < nargs; i++)
    {
      if (hs_num_as_double (vm, args[i], &v[i]) < 0)
        return NULL;
      big = fmax (big, fabs (v[i]));
    }
  if (nargs == 2)
    return hs_float_from_double (vm, hypot (v[0], v[1]));
  if (isinf (big) || big == 0.0)
    return hs_float_from_double (vm, big);
  for (size_t i = 0; i < nargs; i++)
    sum += (v[i] / big) * (v[i] / big);
  return hs_float_from_double (vm, big * sqrt (sum));
}

/* isclose(a, b, *, rel_tol=1e-09, abs_tol=0.0) */
static HsObject *
math_isclose (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  static const char *const allowed[] = { "rel_tol", "abs_tol", NULL };
  size_t npos = hs_npos (nargs, kwnames);
  HsObject *rel = hs_kwarg (args, nargs, kwnames, "rel_tol");
  HsObject *abs_ = hs_kwarg (args, nargs, kwnames, "abs_tol");
  double a, b, rel_tol = 1e-09, abs_tol = 0.0, diff;

  if (hs_check_kwargs (vm, "isclose", kwnames, allowed) < 0
      || hs_check_nargs (vm, "isclose", npos, 2, 2) < 0
      || hs_num_as_double (vm, args[0], &a) < 0 || hs_num_as_double (vm, args[1], &b) < 0
      || (rel != NULL && hs_num_as_double (vm, rel, &rel_tol) < 0)
      || (abs_ != NULL && hs_num_as_double (vm, abs_, &abs_tol) < 0))
    return NULL;
  if (rel_tol < 0.0 || abs_tol < 0.0)
    {
      hs_err_format (vm, HS_EXC (vm, VALUE_ERROR), "tolerances must be non-negative");
      return NULL;
    }
  if (a == b)
    return hs_bool_from (vm, true);
  if (isinf (a) || isinf (b))
    return hs_bool_from (vm, false);
  diff = fabs (b - a);
  return hs_bool_from (vm, diff <= fabs (rel_tol * b) || diff <= fabs (rel_tol * a) || diff <= abs_tol);
}

/* ---- float to int --------------------------------------------------------------------- */

static HsObject *
to_int (HsVm *vm, const char *fname, HsObject *const *args, size_t nargs, HsObject *kwnames,
        double (*round_fn) (double))
{
  double x;

  if (one_arg (vm, fname, nargs, kwnames) < 0)
    return NULL;
  if (hs_num_is_int (vm, args[0]))
    return hs_int_from_i64 (vm, hs_int_value (args[0]));
  if (hs_num_as_double (vm, args[0], &x) < 0)
    return NULL;
  {
    char what[64], num[32];

    hs_float_repr_buf (x, num, sizeof num);
    snprintf (what, sizeof what, "%.*s(%s)", (int) (strlen (fname) - 2), fname, num);
    return hs_int_from_integral_double (vm, round_fn (x), what);
  }
}

static HsObject *
math_floor (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  return to_int (vm, "math.floor()", args, nargs, kwnames, floor);
}

static HsObject *
math_ceil (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  return to_int (vm, "math.ceil()", args, nargs, kwnames, ceil);
}

static HsObject *
math_trunc (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  return to_int (vm, "math.trunc()", args, nargs, kwnames, trunc);
}

static HsObject *
float_predicate (HsVm *vm, const char *fname, HsObject *const *args, size_t nargs, HsObject *kwnames,
                 int (*test) (double))
{
  double x;

  if (one_real_arg (vm, fname, args, nargs, kwnames, &x) < 0)
    return NULL;
  return hs_bool_from (vm, test (x));
}

static int test_nan (double x) { return isnan (x); }
static int test_inf (double x) { return isinf (x); }
static int test_finite (double x) { return isfinite (x); }

static HsObject *
math_isnan (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  return float_predicate (vm, "math.isnan()", args, nargs, kwnames, test_nan);
}

static HsObject *
math_isinf (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  return float_predicate (vm, "math.isinf()", args, nargs, kwnames, test_inf);
}

static HsObject *
math_isfinite (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  return float_predicate (vm, "math.isfinite()", args, nargs, kwnames, test_finite);
}

/* ---- integer functions ----------------------------------------------------------------- */

static HsObject *
int_overflow (HsVm *vm, const char *fname)
{
  char what[64];

  snprintf (what, sizeof what, "the result of %s", fname);
  return hs_int_overflow (vm, what);
}

static HsObject *
math_factorial (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  int64_t n, r = 1;

  if (one_int_arg (vm, "math.factorial()", args, nargs, kwnames, &n) < 0)
    return NULL;
  if (n < 0)
    {
      hs_err_format (vm, HS_EXC (vm, VALUE_ERROR), "factorial() not defined for negative values");
      return NULL;
    }
  for (int64_t i = 2; i <= n; i++)
    if (__builtin_mul_overflow (r, i, &r))
      return int_overflow (vm, "factorial()");
  return hs_int_from_i64 (vm, r);
}

static HsObject *
math_isqrt (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  int64_t n;
  uint64_t r;

  if (one_int_arg (vm, "math.isqrt()", args, nargs, kwnames, &n) < 0)
    return NULL;
  if (n < 0)
    {
      hs_err_format (vm, HS_EXC (vm, VALUE_ERROR), "isqrt() argument must be nonnegative");
      return NULL;
    }
  r = (uint64_t) sqrt ((double) n);
  while (r * r > (uint64_t) n)
    r--;
  while ((r + 1) * (r + 1) <= (uint64_t) n)
    r++;
  return hs_int_from_i64 (vm, (int64_t) r);
}

static uint64_t
gcd_u64 (uint64_t a, uint64_t b)
{
  while (b != 0)
    {
      uint64_t t = a % b;
      a = b;
      b = t;
    }
  return a;
}

static uint64_t
magnitude (int64_t v)
{
  return v < 0 ? -(uint64_t) v : (uint64_t) v;
}

/* gcd(*integers) and lcm(*integers) */
static HsObject *
gcd_lcm (HsVm *vm, const char *fname, HsObject *const *args, size_t nargs, HsObject *kwnames, bool lcm)
{
  uint64_t acc = lcm ? 1 : 0;

  if (hs_check_no_kwargs (vm, fname, kwnames) < 0)
    return NULL;
  for (size_t i = 0; i < nargs; i++)
    {
      int64_t v;
      uint64_t m;

      if (hs_index_value (vm, args[i], &v) < 0)
        return NULL;
      m = magnitude (v);
      if (!lcm)
        acc = gcd_u64 (acc, m);
      else if (acc == 0 || m == 0)
        acc = 0;
      else if (__builtin_mul_overflow (acc / gcd_u64 (acc, m), m, &acc))
        return int_overflow (vm, "lcm()");
    }
  if (acc > (uint64_t) INT64_MAX)
    return int_overflow (vm, fname);
  return hs_int_from_i64 (vm, (int64_t) acc);
}

static HsObject *
math_gcd (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  return gcd_lcm (vm, "gcd()", args, nargs, kwnames, false);
}

static HsObject *
math_lcm (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  return gcd_lcm (vm, "lcm()", args, nargs, kwnames, true);
}

/* comb(n, k) and perm(n, k=None) */
static HsObject *
comb_perm (HsVm *vm, const char *fname, HsObject *const *args, size_t nargs, HsObject *kwnames, bool comb)
{
  int64_t n, k;
  uint64_t r = 1;

  if (hs_check_no_kwargs (vm, fname, kwnames) < 0
      || hs_check_nargs (vm, fname, nargs, comb ? 2 : 1, 2) < 0 || hs_index_value (vm, args[0], &n) < 0)
    return NULL;
  if (nargs == 1 || args[1] == vm->none)
    k = n;
  else if (hs_index_value (vm, args[1], &k) < 0)
    return NULL;
  if (n < 0 || k < 0)
    {
      hs_err_format (vm, HS_EXC (vm, VALUE_ERROR), "%s must be a non-negative integer", n < 0 ? "n" : "k");
      return NULL;
    }
  if (k > n)
    return hs_int_from_i64 (vm, 0);
  if (comb && k > n - k)
    k = n - k;
  for (int64_t i = 1; i <= k; i++)
    {
      uint64_t f = (uint64_t) (n - k + i);

      if (comb)
        {
          /* r * f / i stays exact: r is C(n-k+i-1, i-1), and r * f is divisible by i. */
          uint64_t g = gcd_u64 (r, (uint64_t) i), q = (uint64_t) i / g;
          if (__builtin_mul_overflow (r / g, f / q, &r))
            return int_overflow (vm, fname);
        }
      else if (__builtin_mul_overflow (r, f, &r))
        return int_overflow (vm, fname);
    }
  if (r > (uint64_t) INT64_MAX)
    return int_overflow (vm, fname);
  return hs_int_from_i64 (vm, (int64_t) r);
}

static HsObject *
math_comb (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  return comb_perm (vm, "comb", args, nargs, kwnames, true);
}

static HsObject *
math_perm (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  return comb_perm (vm, "perm", args, nargs, kwnames, false);
}

static const HsMethodDef math_functions[] = {
  { "sqrt", math_sqrt, NULL },       { "exp", math_exp, NULL },         { "log", math_log, NULL },
  { "log2", math_log2, NULL },       { "log10", math_log10, NULL },     { "sin", math_sin, NULL },
  { "cos", math_cos, NULL },         { "tan", math_tan, NULL },         { "asin", math_asin, NULL },
  { "acos", math_acos, NULL },       { "atan", math_atan, NULL },       { "atan2", math_atan2, NULL },
  { "sinh", math_sinh, NULL },       { "cosh", math_cosh, NULL },       { "tanh", math_tanh, NULL },
  { "expm1", math_expm1, NULL },     { "log1p", math_log1p, NULL },     { "fabs", math_fabs, NULL },
  { "pow", math_pow, NULL },         { "copysign", math_copysign, NULL }, { "fmod", math_fmod, NULL },
  { "hypot", math_hypot, NULL },     { "degrees", math_degrees, NULL }, { "radians", math_radians, NULL },
  { "floor", math_floor, NULL },     { "ceil", math_ceil, NULL },       { "trunc", math_trunc, NULL },
  { "isnan", math_isnan, NULL },     { "isinf", math_isinf, NULL },     { "isfinite", math_isfinite, NULL },
  { "isclose", math_isclose, NULL }, { "factorial", math_factorial, NULL }, { "isqrt", math_isqrt, NULL },
  { "gcd", math_gcd, NULL },         { "lcm", math_lcm, NULL },         { "comb", math_comb, NULL },
  { "perm", math_perm, NULL },
  { NULL, NULL, NULL },
};

HsObject *
hs_math_module_new (HsVm *vm)
{
  HsObject *m = hs_module_new (vm, "math");
  HsObject *d;

  if (m == NULL)
    return NULL;
  d = hs_module_dict (m);
  for (const HsMethodDef *def = math_functions; def->name != NULL; def++)
    if (hs_module_set_new (vm, d, def->name, hs_cfunction_new (vm, def, NULL)) < 0)
      goto fail;
  if (hs_module_set_new (vm, d, "pi", hs_float_from_double (vm, M_PI)) < 0
      || hs_module_set_new (vm, d, "e", hs_float_from_double (vm, M_E)) < 0
      || hs_module_set_new (vm, d, "tau", hs_float_from_double (vm, 2 * M_PI)) < 0
      || hs_module_set_new (vm, d, "inf", hs_float_from_double (vm, INFINITY)) < 0
      || hs_module_set_new (vm, d, "nan", hs_float_from_double (vm, NAN)) < 0)
    goto fail;
  return m;

fail:
  hs_decref (vm, m);
  return NULL;
}
