/* test-int.c — int, bool, None and the small-int cache, through the runtime's C API. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Every expected value and message below was produced by CPython 3.11 (python3 -c ...)
 * when the test was written and is checked in as a literal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <math.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "hs-internal.h"

#include "runtime-fixture.h"

/* ---- helpers: call the type slots as the VM does ---- */

static HsObject *
I (int64_t v)
{
  return hs_int_from_i64 (vm, v);
}

/* a op b with the reflected try, as the VM's binary operation does. */
static HsObject *
binop (HsObject *a, HsBinaryOp op, HsObject *b)
{
  HsObject *r = HS_TYPE (a)->binary != NULL ? HS_TYPE (a)->binary (vm, a, b, op) : hs_incref (vm->not_implemented);

  if (r == vm->not_implemented && HS_TYPE (b) != HS_TYPE (a))
    {
      HS_DECREF (vm, r);
      r = HS_TYPE (b)->binary != NULL ? HS_TYPE (b)->binary (vm, a, b, op) : hs_incref (vm->not_implemented);
    }
  return r;
}

/* Checks repr(o) and releases o. */
static void
check_repr (HsObject *o, const char *expected)
{
  HsObject *r;

  assert_non_null (o);
  r = HS_TYPE (o)->repr (vm, o);
  assert_non_null (r);
  assert_string_equal (hs_str_data (r), expected);
  HS_DECREF (vm, r);
  HS_DECREF (vm, o);
}

/* (a op b) with ints, checking the repr of the result; operands released. */
static void
check_op (HsObject *a, HsBinaryOp op, HsObject *b, const char *expected)
{
  HsObject *r = binop (a, op, b);

  if (r == NULL)
    {
      HsObject *e = hs_err_fetch (vm);
      HsObject *m = hs_exception_str (vm, e);
      fail_msg ("unexpected exception: %s", hs_str_data (m));
    }
  check_repr (r, expected);
  HS_DECREF (vm, a);
  HS_DECREF (vm, b);
}

/* Checks that r is NULL with the given exception type and message. */
static void
check_error (HsObject *r, HsType *type, const char *message)
{
  HsObject *exc, *msg;

  if (r != NULL)
    {
      HsObject *rep = HS_TYPE (r)->repr (vm, r);
      fail_msg ("expected an exception, got %s", hs_str_data (rep));
    }
  assert_true (hs_err_occurred (vm));
  exc = hs_err_fetch (vm);
  assert_non_null (exc);
  assert_string_equal (HS_TYPE (exc)->name, type->name);
  msg = hs_exception_str (vm, exc);
  assert_string_equal (hs_str_data (msg), message);
  HS_DECREF (vm, msg);
  HS_DECREF (vm, exc);
}

static void
check_op_error (HsObject *a, HsBinaryOp op, HsObject *b, HsType *type, const char *message)
{
  check_error (binop (a, op, b), type, message);
  HS_DECREF (vm, a);
  HS_DECREF (vm, b);
}

static bool
cmp (HsObject *a, HsCompareOp op, HsObject *b)
{
  HsObject *r = HS_TYPE (a)->richcompare (vm, a, b, op);
  bool v;

  if (r == vm->not_implemented)
    {
      HS_DECREF (vm, r);
      r = HS_TYPE (b)->richcompare (vm, b, a, op == HS_CMP_LT ? HS_CMP_GT : op == HS_CMP_GT ? HS_CMP_LT
                                              : op == HS_CMP_LE ? HS_CMP_GE : op == HS_CMP_GE ? HS_CMP_LE : op);
    }
  assert_true (r == vm->true_obj || r == vm->false_obj);
  v = r == vm->true_obj;
  HS_DECREF (vm, r);
  return v;
}

static HsObject *
construct (HsTypeId id, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  return vm->types[id]->new_ (vm, vm->types[id], args, nargs, kwnames);
}

/* ---- tests ---- */

static void
test_small_int_cache (void **state)
{
  HsObject *a = I (256), *b = I (256), *c = I (257), *d = I (257), *m = I (-5), *n = I (-6);
  HsObject *min = I (INT64_MIN);

  (void) state;
  assert_ptr_equal (a, b);
  assert_ptr_equal (a, vm->small_ints[256 - HS_SMALL_INT_MIN]);
  assert_true (hs_is_immortal (a));
  assert_true (hs_is_immortal (m));
  assert_ptr_not_equal (c, d);
  assert_false (hs_is_immortal (c));
  assert_false (hs_is_immortal (n));
  assert_int_equal (c->refcnt, 1);
  assert_true (hs_is_immortal (vm->none));
  assert_true (hs_is_immortal (vm->true_obj));
  assert_true (hs_is_immortal (vm->false_obj));
  assert_true (vm->none->refcnt > 1000000);
  assert_string_equal (HS_TYPE (vm->true_obj)->name, "bool");
  assert_int_equal (hs_int_value (min), INT64_MIN);
  HS_DECREF (vm, min);
  assert_ptr_equal (HS_TYPE (vm->true_obj)->tp_base, vm->types[HS_T_INT]);
  HS_DECREF (vm, a); HS_DECREF (vm, b); HS_DECREF (vm, c); HS_DECREF (vm, d); HS_DECREF (vm, m); HS_DECREF (vm, n);
}

static void
test_arithmetic (void **state)
{
  (void) state;
  check_op (I (7), HS_BINOP_ADD, I (5), "12");
  check_op (I (7), HS_BINOP_SUB, I (50), "-43");
  check_op (I (-7), HS_BINOP_MUL, I (6), "-42");
  check_op (I (-7), HS_BINOP_FLOORDIV, I (2), "-4");
  check_op (I (7), HS_BINOP_FLOORDIV, I (-2), "-4");
  check_op (I (-7), HS_BINOP_MOD, I (2), "1");
  check_op (I (7), HS_BINOP_MOD, I (-2), "-1");
  check_op (I (INT64_MIN), HS_BINOP_MOD, I (-1), "0");
  check_op (I (7), HS_BINOP_TRUEDIV, I (-2), "-3.5");
  check_op (I (10), HS_BINOP_TRUEDIV, I (4), "2.5");
  check_op (I (1), HS_BINOP_TRUEDIV, I (3), "0.3333333333333333");
  /* True division stays exactly rounded beyond 2**53. */
  check_op (I (4611686018427387905), HS_BINOP_TRUEDIV, I (3), "1.5372286728091292e+18");
  check_op (I (9007199254740993), HS_BINOP_TRUEDIV, I (1), "9007199254740992.0");
  check_op (I (INT64_MAX), HS_BINOP_TRUEDIV, I (3), "3.0744573456182584e+18");
  check_op (I (INT64_MAX), HS_BINOP_TRUEDIV, I (4611686018427387907), "2.0");
  check_op (I (-9223372036854775807), HS_BINOP_TRUEDIV, I (10), "-9.223372036854776e+17");
  check_op (I (3), HS_BINOP_POW, I (4), "81");
  check_op (I (-2), HS_BINOP_POW, I (63), "-9223372036854775808");
  check_op (I (2), HS_BINOP_POW, I (-1), "0.5");
  check_op (I (1), HS_BINOP_LSHIFT, I (62), "4611686018427387904");
  check_op (I (-1), HS_BINOP_RSHIFT, I (100), "-1");
  check_op (I (-8), HS_BINOP_RSHIFT, I (1), "-4");
  check_op (I (12), HS_BINOP_AND, I (10), "8");
  check_op (I (12), HS_BINOP_OR, I (10), "14");
  check_op (I (12), HS_BINOP_XOR, I (10), "6");
  check_repr (HS_TYPE (vm->small_ints[5])->unary (vm, vm->small_ints[5 + 5], HS_UNOP_INVERT), "-6");
  check_repr (HS_TYPE (vm->small_ints[5])->unary (vm, vm->small_ints[5 + 5], HS_UNOP_NEG), "-5");
  check_repr (I (INT64_MIN), "-9223372036854775808");
  check_repr (I (INT64_MAX), "9223372036854775807");
}

static void
test_overflow_and_errors (void **state)
{
  HsType *ovf = vm->exc_types[HS_EXC_OVERFLOW_ERROR];
  HsType *zde = vm->exc_types[HS_EXC_ZERO_DIVISION_ERROR];
  HsType *ve = vm->exc_types[HS_EXC_VALUE_ERROR];

  (void) state;
  check_op_error (I (2), HS_BINOP_POW, I (70), ovf,
                  "int too large: Heapscope ints are 64-bit (result of 2 ** 70 does not fit)");
  check_op_error (I (INT64_MAX), HS_BINOP_ADD, I (1), ovf,
                  "int too large: Heapscope ints are 64-bit (result of 9223372036854775807 + 1 does not fit)");
  check_op_error (I (INT64_MIN), HS_BINOP_SUB, I (1), ovf,
                  "int too large: Heapscope ints are 64-bit (result of -9223372036854775808 - 1 does not fit)");
  check_op_error (I (4294967296), HS_BINOP_MUL, I (4294967296), ovf,
                  "int too large: Heapscope ints are 64-bit (result of 4294967296 * 4294967296 does not fit)");
  check_op_error (I (1), HS_BINOP_LSHIFT, I (63), ovf,
                  "int too large: Heapscope ints are 64-bit (result of 1 << 63 does not fit)");
  check_op_error (I (INT64_MIN), HS_BINOP_FLOORDIV, I (-1), ovf,
                  "int too large: Heapscope ints are 64-bit (result of -9223372036854775808 // -1 does not fit)");
  check_op_error (I (1), HS_BINOP_TRUEDIV, I (0), zde, "division by zero");
  check_op_error (I (1), HS_BINOP_FLOORDIV, I (0), zde, "integer division or modulo by zero");
  check_op_error (I (1), HS_BINOP_MOD, I (0), zde, "integer modulo by zero");
  check_op_error (I (0), HS_BINOP_POW, I (-1), zde, "0.0 cannot be raised to a negative power");
  check_op_error (I (1), HS_BINOP_LSHIFT, I (-1), ve, "negative shift count");
  check_op_error (I (1), HS_BINOP_RSHIFT, I (-1), ve, "negative shift count");
  {
    HsObject *min = I (INT64_MIN);
    check_error (HS_TYPE (min)->unary (vm, min, HS_UNOP_NEG), ovf,
                 "int too large: Heapscope ints are 64-bit (result of -(-9223372036854775808) does not fit)");
    HS_DECREF (vm, min);
  }
}

static void
test_compare_and_hash (void **state)
{
  HsObject *a = I (3), *b = I (5), *big = I (9007199254740993);
  HsObject *f = hs_float_from_double (vm, 9007199254740992.0), *half = hs_float_from_double (vm, 0.5);
  HsObject *nan = hs_float_from_double (vm, NAN), *three = hs_float_from_double (vm, 3.0);
  HsObject *imax = I (INT64_MAX), *fmax = hs_float_from_double (vm, 9223372036854775807.0);
  struct { int64_t v; int64_t h; } hashes[] = {
    { -1, -2 }, { 2305843009213693952, 1 }, { 2305843009213693951, 0 }, { -2305843009213693952, -2 },
    { INT64_MAX, 3 }, { INT64_MIN, -4 }, { 12345678901234567, 12345678901234567 }, { -5, -5 },
  };

  (void) state;
  assert_true (cmp (a, HS_CMP_LT, b));
  assert_false (cmp (a, HS_CMP_GE, b));
  assert_true (cmp (a, HS_CMP_EQ, three));       /* 3 == 3.0 */
  assert_false (cmp (big, HS_CMP_EQ, f));        /* 2**53 + 1 != float(2**53) */
  assert_true (cmp (big, HS_CMP_GT, f));
  assert_true (cmp (imax, HS_CMP_LT, fmax));     /* 2**63 - 1 < 9.223372036854775807e18 */
  assert_true (cmp (vm->true_obj, HS_CMP_GT, half));
  assert_false (cmp (a, HS_CMP_EQ, nan));
  assert_true (cmp (a, HS_CMP_NE, nan));
  assert_false (cmp (a, HS_CMP_LT, nan));
  for (size_t i = 0; i < sizeof hashes / sizeof hashes[0]; i++)
    {
      HsObject *o = I (hashes[i].v);
      int64_t h = 0;
      assert_true (HS_TYPE (o)->hash (vm, o, &h));
      assert_int_equal (h, hashes[i].h);
      HS_DECREF (vm, o);
    }
  HS_DECREF (vm, a); HS_DECREF (vm, b); HS_DECREF (vm, big); HS_DECREF (vm, f); HS_DECREF (vm, half);
  HS_DECREF (vm, nan); HS_DECREF (vm, three); HS_DECREF (vm, imax); HS_DECREF (vm, fmax);
}

static void
test_from_string (void **state)
{
  HsType *ve = vm->exc_types[HS_EXC_VALUE_ERROR];
  HsType *ovf = vm->exc_types[HS_EXC_OVERFLOW_ERROR];

  (void) state;
  check_repr (hs_int_from_string (vm, " 1_000 ", 7, 10), "1000");
  check_repr (hs_int_from_string (vm, "-42", 3, 10), "-42");
  check_repr (hs_int_from_string (vm, "0x1f", 4, 16), "31");
  check_repr (hs_int_from_string (vm, "0x_1f", 5, 16), "31");
  check_repr (hs_int_from_string (vm, "0b101", 5, 0), "5");
  check_repr (hs_int_from_string (vm, "0o17", 4, 0), "15");
  check_repr (hs_int_from_string (vm, "00", 2, 0), "0");
  check_repr (hs_int_from_string (vm, "zz", 2, 36), "1295");
  check_repr (hs_int_from_string (vm, "-9223372036854775808", 20, 10), "-9223372036854775808");
  check_error (hs_int_from_string (vm, "x", 1, 10), ve, "invalid literal for int() with base 10: 'x'");
  check_error (hs_int_from_string (vm, " x ", 3, 10), ve, "invalid literal for int() with base 10: ' x '");
  check_error (hs_int_from_string (vm, "", 0, 10), ve, "invalid literal for int() with base 10: ''");
  check_error (hs_int_from_string (vm, "1__0", 4, 10), ve, "invalid literal for int() with base 10: '1__0'");
  check_error (hs_int_from_string (vm, "_1", 2, 10), ve, "invalid literal for int() with base 10: '_1'");
  check_error (hs_int_from_string (vm, "1_", 2, 10), ve, "invalid literal for int() with base 10: '1_'");
  check_error (hs_int_from_string (vm, "012", 3, 0), ve, "invalid literal for int() with base 0: '012'");
  check_error (hs_int_from_string (vm, "0b102", 5, 0), ve, "invalid literal for int() with base 0: '0b102'");
  check_error (hs_int_from_string (vm, "+ 1", 3, 10), ve, "invalid literal for int() with base 10: '+ 1'");
  check_error (hs_int_from_string (vm, "12", 2, 1), ve, "int() base must be >= 2 and <= 36, or 0");
  check_error (hs_int_from_string (vm, "9223372036854775808", 19, 10), ovf,
               "int too large: Heapscope ints are 64-bit (9223372036854775808 does not fit)");
}

static void
test_constructor (void **state)
{
  HsType *te = vm->exc_types[HS_EXC_TYPE_ERROR];
  HsType *ve = vm->exc_types[HS_EXC_VALUE_ERROR];
  HsType *ovf = vm->exc_types[HS_EXC_OVERFLOW_ERROR];
  HsObject *args[2], *kw, *list;

  (void) state;
  check_repr (construct (HS_T_INT, NULL, 0, NULL), "0");
  args[0] = hs_float_from_double (vm, 3.9);
  check_repr (construct (HS_T_INT, args, 1, NULL), "3");
  HS_DECREF (vm, args[0]);
  args[0] = hs_float_from_double (vm, -3.9);
  check_repr (construct (HS_T_INT, args, 1, NULL), "-3");
  HS_DECREF (vm, args[0]);
  args[0] = vm->true_obj;
  check_repr (construct (HS_T_INT, args, 1, NULL), "1");
  args[0] = hs_str_from_cstr (vm, "ff");
  args[1] = I (16);
  check_repr (construct (HS_T_INT, args, 2, NULL), "255");
  kw = hs_tuple_pack (vm, 1, hs_str_intern (vm, "base", 4));
  check_repr (construct (HS_T_INT, args, 2, kw), "255");
  HS_DECREF (vm, hs_tuple_item (kw, 0));
  HS_DECREF (vm, kw);
  HS_DECREF (vm, args[0]);
  HS_DECREF (vm, args[1]);
  args[0] = hs_float_from_double (vm, 1e300);
  check_error (construct (HS_T_INT, args, 1, NULL), ovf,
               "int too large: Heapscope ints are 64-bit (int(1e+300) does not fit)");
  HS_DECREF (vm, args[0]);
  args[0] = hs_float_from_double (vm, INFINITY);
  check_error (construct (HS_T_INT, args, 1, NULL), ovf, "cannot convert float infinity to integer");
  HS_DECREF (vm, args[0]);
  args[0] = hs_float_from_double (vm, NAN);
  check_error (construct (HS_T_INT, args, 1, NULL), ve, "cannot convert float NaN to integer");
  args[1] = I (10);
  check_error (construct (HS_T_INT, args, 2, NULL), te, "int() can't convert non-string with explicit base");
  HS_DECREF (vm, args[0]);
  HS_DECREF (vm, args[1]);
  list = hs_list_new (vm, 0);
  check_error (construct (HS_T_INT, &list, 1, NULL), te,
               "int() argument must be a string, a bytes-like object or a real number, not 'list'");
  HS_DECREF (vm, list);
  args[0] = I (1); args[1] = I (2);
  {
    HsObject *three[3] = { args[0], args[1], args[1] };
    check_error (construct (HS_T_INT, three, 3, NULL), te, "int() takes at most 2 arguments (3 given)");
  }
  /* bool() */
  check_repr (construct (HS_T_BOOL, args, 1, NULL), "True");
  check_repr (construct (HS_T_BOOL, NULL, 0, NULL), "False");
  check_error (construct (HS_T_BOOL, args, 2, NULL), te, "bool expected at most 1 argument, got 2");
  HS_DECREF (vm, args[0]); HS_DECREF (vm, args[1]);
}

static void
test_bool (void **state)
{
  HsObject *r;

  (void) state;
  check_op (hs_bool_from (vm, true), HS_BINOP_ADD, I (1), "2");
  check_op (hs_bool_from (vm, true), HS_BINOP_ADD, hs_bool_from (vm, true), "2");
  check_op (hs_bool_from (vm, true), HS_BINOP_TRUEDIV, I (2), "0.5");
  check_op (hs_bool_from (vm, true), HS_BINOP_OR, I (1), "1");
  r = binop (vm->true_obj, HS_BINOP_AND, vm->false_obj);
  assert_ptr_equal (r, vm->false_obj);
  HS_DECREF (vm, r);
  r = binop (vm->true_obj, HS_BINOP_XOR, vm->false_obj);
  assert_ptr_equal (r, vm->true_obj);
  HS_DECREF (vm, r);
  check_repr (HS_TYPE (vm->true_obj)->unary (vm, vm->true_obj, HS_UNOP_INVERT), "-2");
  check_repr (HS_TYPE (vm->true_obj)->unary (vm, vm->true_obj, HS_UNOP_NEG), "-1");
  check_repr (hs_bool_from (vm, false), "False");
  assert_int_equal (HS_TYPE (vm->true_obj)->truth (vm, vm->true_obj), 1);
  assert_int_equal (HS_TYPE (vm->false_obj)->truth (vm, vm->false_obj), 0);
}

static void
test_singletons (void **state)
{
  char buf[32];

  (void) state;
  check_repr (hs_incref (vm->none), "None");
  check_repr (hs_incref (vm->not_implemented), "NotImplemented");
  check_repr (hs_incref (vm->ellipsis), "Ellipsis");
  assert_int_equal (HS_TYPE (vm->none)->truth (vm, vm->none), 0);
  assert_string_equal (HS_TYPE (vm->none)->name, "NoneType");
  assert_int_equal (HS_TYPE (vm->none)->size_of (vm->none), 16);
  check_repr (construct (HS_T_NONE, NULL, 0, NULL), "None");
  HS_TYPE (vm->none)->describe (vm, vm->none, buf, sizeof buf);
  assert_string_equal (buf, "None");
}

static void
test_size_and_describe (void **state)
{
  struct { int64_t v; size_t size; } sizes[] = {
    { 0, 28 }, { 1, 28 }, { 1073741823, 28 }, { 1073741824, 32 }, { -1073741824, 32 },
    { 1152921504606846976, 36 }, { INT64_MIN, 36 },
  };
  char buf[32];
  HsObject *o;

  (void) state;
  for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
    {
      o = I (sizes[i].v);
      assert_int_equal (HS_TYPE (o)->size_of (o), sizes[i].size);
      HS_DECREF (vm, o);
    }
  assert_int_equal (HS_TYPE (vm->true_obj)->size_of (vm->true_obj), 28);
  assert_int_equal (HS_TYPE (vm->false_obj)->size_of (vm->false_obj), 28);
  o = I (42);
  HS_TYPE (o)->describe (vm, o, buf, sizeof buf);
  assert_string_equal (buf, "42");
  HS_DECREF (vm, o);
  HS_TYPE (vm->true_obj)->describe (vm, vm->true_obj, buf, sizeof buf);
  assert_string_equal (buf, "True");
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_small_int_cache, setup, teardown),
    cmocka_unit_test_setup_teardown (test_arithmetic, setup, teardown),
    cmocka_unit_test_setup_teardown (test_overflow_and_errors, setup, teardown),
    cmocka_unit_test_setup_teardown (test_compare_and_hash, setup, teardown),
    cmocka_unit_test_setup_teardown (test_from_string, setup, teardown),
    cmocka_unit_test_setup_teardown (test_constructor, setup, teardown),
    cmocka_unit_test_setup_teardown (test_bool, setup, teardown),
    cmocka_unit_test_setup_teardown (test_singletons, setup, teardown),
    cmocka_unit_test_setup_teardown (test_size_and_describe, setup, teardown),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
