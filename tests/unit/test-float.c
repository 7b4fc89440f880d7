/* test-float.c — float: repr, arithmetic, hash, parsing, errors, through the runtime's C API. */
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

static HsObject *
F (double v)
{
  return hs_float_from_double (vm, v);
}

static HsObject *
I (int64_t v)
{
  return hs_int_from_i64 (vm, v);
}

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

static void
check_op (HsObject *a, HsBinaryOp op, HsObject *b, const char *expected)
{
  HsObject *r = binop (a, op, b);

  assert_non_null (r);
  check_repr (r, expected);
  HS_DECREF (vm, a);
  HS_DECREF (vm, b);
}

static void
check_error (HsObject *r, HsType *type, const char *message)
{
  HsObject *exc, *msg;

  assert_null (r);
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

static void
test_repr (void **state)
{
  struct { double v; const char *repr; } cases[] = {
    { 0.1, "0.1" }, { 1e16, "1e+16" }, { 1.5e-7, "1.5e-07" }, { INFINITY, "inf" }, { -INFINITY, "-inf" },
    { NAN, "nan" }, { -0.0, "-0.0" }, { 0.0, "0.0" }, { 1e22, "1e+22" }, { 5e-324, "5e-324" },
    { 1.7976931348623157e308, "1.7976931348623157e+308" }, { 0.30000000000000004, "0.30000000000000004" },
    { 123456789012345678.0, "1.2345678901234568e+17" }, { 1e-5, "1e-05" }, { 1e-4, "0.0001" },
    { 1.0 / 3.0, "0.3333333333333333" }, { 2.5e-310, "2.5e-310" }, { 100.0, "100.0" },
    { 1e15, "1000000000000000.0" }, { -1.5, "-1.5" },
  };
  char buf[64];

  (void) state;
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    {
      hs_float_repr_buf (cases[i].v, buf, sizeof buf);
      assert_string_equal (buf, cases[i].repr);
      check_repr (F (cases[i].v), cases[i].repr);
    }
  /* describe() is the repr, size_of CPython's 24 */
  {
    HsObject *o = F (2.5);
    HS_TYPE (o)->describe (vm, o, buf, sizeof buf);
    assert_string_equal (buf, "2.5");
    assert_int_equal (HS_TYPE (o)->size_of (o), 24);
    HS_DECREF (vm, o);
  }
}

static void
test_arithmetic (void **state)
{
  (void) state;
  check_op (F (0.1), HS_BINOP_ADD, F (0.2), "0.30000000000000004");
  check_op (F (1.5), HS_BINOP_MUL, I (2), "3.0");
  check_op (I (2), HS_BINOP_MUL, F (1.5), "3.0");
  check_op (hs_bool_from (vm, true), HS_BINOP_ADD, F (0.5), "1.5");
  check_op (F (7.5), HS_BINOP_FLOORDIV, I (2), "3.0");
  check_op (F (-7.5), HS_BINOP_FLOORDIV, I (2), "-4.0");
  check_op (F (-7.5), HS_BINOP_MOD, I (2), "0.5");
  check_op (F (7.5), HS_BINOP_MOD, I (-2), "-0.5");
  check_op (F (-0.0), HS_BINOP_MOD, I (5), "0.0");
  check_op (F (1.0), HS_BINOP_FLOORDIV, F (0.3), "3.0");
  check_op (F (-1.0), HS_BINOP_FLOORDIV, F (0.3), "-4.0");
  check_op (F (INFINITY), HS_BINOP_MOD, I (2), "nan");
  check_op (F (1.5), HS_BINOP_MOD, F (INFINITY), "1.5");
  check_op (F (-1.5), HS_BINOP_MOD, F (INFINITY), "inf");
  check_op (F (2.0), HS_BINOP_POW, F (0.5), "1.4142135623730951");
  check_op (I (2), HS_BINOP_POW, F (0.5), "1.4142135623730951");
  check_op (F (10.0), HS_BINOP_POW, I (-2), "0.01");
  check_op (F (-2.0), HS_BINOP_POW, I (3), "-8.0");
  check_op (F (3.0), HS_BINOP_POW, I (-1), "0.3333333333333333");
  check_op (F (0.0), HS_BINOP_POW, I (0), "1.0");
  check_op (F (NAN), HS_BINOP_POW, I (0), "1.0");
  check_op (F (1.0), HS_BINOP_POW, F (NAN), "1.0");
  check_op (F (-1.0), HS_BINOP_POW, F (INFINITY), "1.0");
  check_op (F (0.5), HS_BINOP_POW, F (-INFINITY), "inf");
  check_op (F (-INFINITY), HS_BINOP_POW, I (3), "-inf");
  check_op (F (-INFINITY), HS_BINOP_POW, I (-3), "-0.0");
  check_op (F (-0.0), HS_BINOP_POW, I (3), "-0.0");
  check_op (F (1e308), HS_BINOP_MUL, I (10), "inf");
  check_op (F (INFINITY), HS_BINOP_SUB, F (INFINITY), "nan");
  check_op (I (7), HS_BINOP_TRUEDIV, F (2.0), "3.5");
}

static void
test_errors (void **state)
{
  HsType *zde = vm->exc_types[HS_EXC_ZERO_DIVISION_ERROR];
  HsType *ovf = vm->exc_types[HS_EXC_OVERFLOW_ERROR];
  HsType *ve = vm->exc_types[HS_EXC_VALUE_ERROR];

  (void) state;
  check_op_error (F (1.0), HS_BINOP_TRUEDIV, I (0), zde, "float division by zero");
  check_op_error (I (1), HS_BINOP_TRUEDIV, F (0.0), zde, "float division by zero");
  check_op_error (F (1.0), HS_BINOP_FLOORDIV, F (0.0), zde, "float floor division by zero");
  check_op_error (F (1.0), HS_BINOP_MOD, F (0.0), zde, "float modulo");
  check_op_error (I (5), HS_BINOP_MOD, F (-0.0), zde, "float modulo");
  check_op_error (F (0.0), HS_BINOP_POW, I (-1), zde, "0.0 cannot be raised to a negative power");
  check_op_error (I (0), HS_BINOP_POW, F (-1.0), zde, "0.0 cannot be raised to a negative power");
  check_op_error (F (10.0), HS_BINOP_POW, I (400), ovf, "(34, 'Numerical result out of range')");
  /* CPython returns a complex here; Heapscope has none and says so. */
  check_op_error (F (-8.0), HS_BINOP_POW, F (0.5), ve,
                  "negative number cannot be raised to a fractional power "
                  "(the result is complex, which Heapscope does not support)");
}

static void
test_compare_and_hash (void **state)
{
  struct { double v; int64_t h; } hashes[] = {
    { 0.5, 1152921504606846976 }, { -2.5, -1152921504606846978 }, { 1e-300, 482449582752280463 },
    { 1180591620717411303424.0 /* 2.0**70 */, 512 }, { 123.456, 1051464412201451643 }, { -0.0, 0 },
    { 1e100, 1822893315824342674 }, { 0.1, 230584300921369408 }, { -1.0, -2 }, { INFINITY, 314159 },
    { -INFINITY, -314159 }, { 3.0, 3 },
  };
  HsObject *a = F (1.5), *b = F (2.5), *n = F (NAN), *i = I (2);
  HsObject *r;

  (void) state;
  for (size_t k = 0; k < sizeof hashes / sizeof hashes[0]; k++)
    {
      HsObject *o = F (hashes[k].v);
      int64_t h = 0;
      assert_true (HS_TYPE (o)->hash (vm, o, &h));
      assert_int_equal (h, hashes[k].h);
      HS_DECREF (vm, o);
    }
  r = HS_TYPE (a)->richcompare (vm, a, b, HS_CMP_LT);
  assert_ptr_equal (r, vm->true_obj);
  HS_DECREF (vm, r);
  r = HS_TYPE (n)->richcompare (vm, n, n, HS_CMP_EQ);
  assert_ptr_equal (r, vm->false_obj);
  HS_DECREF (vm, r);
  r = HS_TYPE (n)->richcompare (vm, n, n, HS_CMP_NE);
  assert_ptr_equal (r, vm->true_obj);
  HS_DECREF (vm, r);
  r = HS_TYPE (b)->richcompare (vm, b, i, HS_CMP_GT);   /* 2.5 > 2 */
  assert_ptr_equal (r, vm->true_obj);
  HS_DECREF (vm, r);
  r = HS_TYPE (a)->richcompare (vm, a, vm->none, HS_CMP_LT);
  assert_ptr_equal (r, vm->not_implemented);
  HS_DECREF (vm, r);
  assert_int_equal (HS_TYPE (a)->truth (vm, a), 1);
  HS_DECREF (vm, a); HS_DECREF (vm, b); HS_DECREF (vm, n); HS_DECREF (vm, i);
}

static HsObject *
float_of (const char *text)
{
  HsObject *s = hs_str_from_cstr (vm, text), *r;

  r = vm->types[HS_T_FLOAT]->new_ (vm, vm->types[HS_T_FLOAT], &s, 1, NULL);
  HS_DECREF (vm, s);
  return r;
}

static void
test_parse_and_construct (void **state)
{
  HsType *ve = vm->exc_types[HS_EXC_VALUE_ERROR];
  HsType *te = vm->exc_types[HS_EXC_TYPE_ERROR];
  HsObject *args[2], *list;

  (void) state;
  check_repr (float_of (" 1_0.5 "), "10.5");
  check_repr (float_of ("-inf"), "-inf");
  check_repr (float_of ("Infinity"), "inf");
  check_repr (float_of ("+nan"), "nan");
  check_repr (float_of ("nAn"), "nan");
  check_repr (float_of ("1e500"), "inf");
  check_repr (float_of (".5"), "0.5");
  check_repr (float_of ("5."), "5.0");
  check_repr (float_of ("1E5"), "100000.0");
  check_repr (float_of ("-1.5e-3"), "-0.0015");
  check_repr (float_of ("-0"), "-0.0");
  check_error (float_of ("x"), ve, "could not convert string to float: 'x'");
  check_error (float_of ("1_e5"), ve, "could not convert string to float: '1_e5'");
  check_error (float_of ("1e_5"), ve, "could not convert string to float: '1e_5'");
  check_error (float_of ("."), ve, "could not convert string to float: '.'");
  check_error (float_of ("1.5e"), ve, "could not convert string to float: '1.5e'");
  check_error (float_of ("0x10"), ve, "could not convert string to float: '0x10'");
  check_error (float_of (""), ve, "could not convert string to float: ''");
  check_repr (vm->types[HS_T_FLOAT]->new_ (vm, vm->types[HS_T_FLOAT], NULL, 0, NULL), "0.0");
  args[0] = I (3);
  args[1] = I (4);
  check_repr (vm->types[HS_T_FLOAT]->new_ (vm, vm->types[HS_T_FLOAT], args, 1, NULL), "3.0");
  check_error (vm->types[HS_T_FLOAT]->new_ (vm, vm->types[HS_T_FLOAT], args, 2, NULL), te,
               "float expected at most 1 argument, got 2");
  HS_DECREF (vm, args[0]);
  HS_DECREF (vm, args[1]);
  list = hs_list_new (vm, 0);
  check_error (vm->types[HS_T_FLOAT]->new_ (vm, vm->types[HS_T_FLOAT], &list, 1, NULL), te,
               "float() argument must be a string or a real number, not 'list'");
  HS_DECREF (vm, list);
}

static void
test_methods (void **state)
{
  HsObject *a = F (2.0), *b = F (-1.5), *r;
  const HsMethodDef *m = vm->types[HS_T_FLOAT]->methods;

  (void) state;
  while (m->name != NULL && strcmp (m->name, "is_integer") != 0)
    m++;
  assert_non_null (m->fn);
  r = m->fn (vm, a, NULL, 0, NULL);
  assert_ptr_equal (r, vm->true_obj);
  HS_DECREF (vm, r);
  r = m->fn (vm, b, NULL, 0, NULL);
  assert_ptr_equal (r, vm->false_obj);
  HS_DECREF (vm, r);
  HS_DECREF (vm, a);
  HS_DECREF (vm, b);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_repr, setup, teardown),
    cmocka_unit_test_setup_teardown (test_arithmetic, setup, teardown),
    cmocka_unit_test_setup_teardown (test_errors, setup, teardown),
    cmocka_unit_test_setup_teardown (test_compare_and_hash, setup, teardown),
    cmocka_unit_test_setup_teardown (test_parse_and_construct, setup, teardown),
    cmocka_unit_test_setup_teardown (test_methods, setup, teardown),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
