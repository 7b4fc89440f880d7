/* test-format.c — format(value, spec), the format-spec mini-language, through hs_format(). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Every expected string and message below was produced by CPython 3.11 (format(value, spec)
 * in python3) when the test was written and is checked in as a literal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "hs-internal.h"

#include "runtime-fixture.h"

/* The str result, or "!Type: message"; malloc'd. */
static char *
format_text (HsObject *value, const char *spec)
{
  HsObject *s = hs_str_from_cstr (vm, spec), *r = hs_format (vm, value, s);
  char *text;

  HS_DECREF (vm, s);
  if (r == NULL)
    {
      HsObject *exc = hs_err_fetch (vm), *msg = hs_exception_str (vm, exc);
      size_t n = strlen (HS_TYPE (exc)->name) + hs_str_size (msg) + 4;

      text = malloc (n);
      snprintf (text, n, "!%s: %s", HS_TYPE (exc)->name, hs_str_data (msg));
      HS_DECREF (vm, msg);
      HS_DECREF (vm, exc);
      return text;
    }
  assert_true (HS_TYPE (r) == vm->types[HS_T_STR]);
  text = strdup (hs_str_data (r));
  HS_DECREF (vm, r);
  return text;
}

static const struct {
  char kind;   /* i int, b bool, f float, s str */
  union { int64_t i; double f; const char *s; } v;
  const char *spec;
  const char *expected;
} cases[] = {
  { 'f', { .f = 3.14159 }, ".2f", "3.14" },
  { 'i', { .i = 42LL }, ">8", "      42" },
  { 'i', { .i = 1234567LL }, ",", "1,234,567" },
  { 'f', { .f = 0.5 }, "%", "50.000000%" },
  { 'i', { .i = 255LL }, "#x", "0xff" },
  { 'f', { .f = 1e+20 }, "g", "1e+20" },
  { 'f', { .f = 1e+20 }, "", "1e+20" },
  { 'f', { .f = 1.0 }, ".3", "1.0" },
  { 'f', { .f = 1234.5 }, ".2", "1.2e+03" },
  { 'f', { .f = -NAN }, "f", "nan" },
  { 'f', { .f = INFINITY }, "F", "INF" },
  { 'b', { .i = 1 }, "", "True" },
  { 'b', { .i = 1 }, ">5", "    1" },
  { 'b', { .i = 1 }, "d", "1" },
  { 'b', { .i = 0 }, "s", "!ValueError: Unknown format code 's' for object of type 'bool'" },
  { 'i', { .i = 42LL }, "f", "42.000000" },
  { 'i', { .i = 42LL }, "c", "*" },
  { 'i', { .i = -1LL }, "c", "!OverflowError: %c arg not in range(0x110000)" },
  { 'i', { .i = 42LL }, "s", "!ValueError: Unknown format code 's' for object of type 'int'" },
  { 's', { .s = "a" }, "d", "!ValueError: Unknown format code 'd' for object of type 'str'" },
  { 's', { .s = "a" }, "+", "!ValueError: Sign not allowed in string format specifier" },
  { 's', { .s = "a" }, " ", "!ValueError: Space not allowed in string format specifier" },
  { 's', { .s = "a" }, "#", "!ValueError: Alternate form (#) not allowed in string format specifier" },
  { 's', { .s = "a" }, ",", "!ValueError: Cannot specify ',' with 's'." },
  { 's', { .s = "a" }, "=5", "!ValueError: '=' alignment not allowed in string format specifier" },
  { 'i', { .i = 1LL }, ".2", "!ValueError: Precision not allowed in integer format specifier" },
  { 'f', { .f = 1.0 }, ".", "!ValueError: Format specifier missing precision" },
  { 'i', { .i = 1LL }, ",_", "!ValueError: Cannot specify both ',' and '_'." },
  { 'i', { .i = 1LL }, ",x", "!ValueError: Cannot specify ',' with 'x'." },
  { 'i', { .i = 255LL }, "_b", "1111_1111" },
  { 'i', { .i = 1LL }, "z", "!ValueError: Negative zero coercion (z) not allowed in integer format specifier" },
  { 'f', { .f = -0.0 }, "z.1f", "0.0" },
  { 'f', { .f = 1.5 }, "x", "!ValueError: Unknown format code 'x' for object of type 'float'" },
  { 'i', { .i = 1LL }, "abc", "!ValueError: Invalid format specifier 'abc' for object of type 'int'" },
  { 'i', { .i = 1LL }, "<<<", "!ValueError: Unknown format code '<' for object of type 'int'" },
  { 'f', { .f = 1.0 }, "n", "1" },
  { 'f', { .f = 12345.678 }, ",.2f", "12,345.68" },
  { 'f', { .f = 1000000.0 }, ",", "1,000,000.0" },
  { 'i', { .i = -42LL }, "=+10", "-       42" },
  { 'i', { .i = 42LL }, "010", "0000000042" },
  { 'i', { .i = -42LL }, "010,", "-0,000,042" },
  { 'i', { .i = 3LL }, "*^9", "****3****" },
  { 's', { .s = "ab" }, "^5", " ab  " },
  { 's', { .s = "abcdef" }, ".3", "abc" },
  { 'i', { .i = 1234567LL }, "_d", "1_234_567" },
  { 'i', { .i = 3735928559LL }, "_x", "dead_beef" },
  { 'i', { .i = 10LL }, "#o", "0o12" },
  { 'i', { .i = 10LL }, "#b", "0b1010" },
  { 'i', { .i = 10LL }, "#X", "0XA" },
  { 'i', { .i = -10LL }, "#x", "-0xa" },
  { 'f', { .f = 1e-05 }, "", "1e-05" },
  { 'f', { .f = 0.0001 }, "g", "0.0001" },
  { 'f', { .f = 123456789.0 }, "g", "1.23457e+08" },
  { 'f', { .f = 1.5 }, "e", "1.500000e+00" },
  { 'f', { .f = 1.5 }, "E", "1.500000E+00" },
  { 'f', { .f = 1.5 }, "#.0f", "2." },
  { 'f', { .f = 2.5 }, ".0f", "2" },
  { 'f', { .f = 1e+16 }, ".3", "1e+16" },
  { 'f', { .f = 1000000000000000.0 }, "", "1000000000000000.0" },
  { 'f', { .f = 12.0 }, ".0%", "1200%" },
  { 'i', { .i = 1LL }, "%", "100.000000%" },
  { 'f', { .f = 1.0 }, "#g", "1.00000" },
  { 'f', { .f = 1.0 }, "#", "1.0" },
  { 'f', { .f = 100.0 }, ".2", "1e+02" },
  { 'i', { .i = 1234567LL }, "n", "1234567" },
  { 's', { .s = "x" }, "10", "x         " },
  { 'i', { .i = 5LL }, "10", "         5" },
  { 'f', { .f = 1.5 }, "010", "00000001.5" },
  { 'f', { .f = -1.5 }, "010", "-0000001.5" },
  { 'f', { .f = NAN }, "010", "0000000nan" },
  { 'f', { .f = INFINITY }, "=+10", "+      inf" },
  { 's', { .s = "a" }, "0>5", "0000a" },
  { 's', { .s = "a" }, "05", "a0000" },
  { 'i', { .i = 3LL }, "-^ 9", "--- 3----" },
  { 'i', { .i = 1LL }, " ", " 1" },
  { 'i', { .i = -1LL }, " ", "-1" },
  { 'i', { .i = 1000000000000000000LL }, ",", "1,000,000,000,000,000,000" },
  { 'b', { .i = 1 }, "^7", "   1   " },
  { 'f', { .f = 1.2345 }, ".3g", "1.23" },
  { 'f', { .f = 1.2345e-05 }, ".3g", "1.23e-05" },
  { 'f', { .f = 0.1 }, ".25f", "0.1000000000000000055511151" },
  { 'f', { .f = 5e-324 }, "", "5e-324" },
  { 'i', { .i = 1LL }, "04,", "0,001" },
  { 'i', { .i = 1LL }, "06,", "00,001" },
  { 'i', { .i = 1LL }, "#010_x", "0x000_0001" },
  { 'i', { .i = 255LL }, "#012_b", "0b0_1111_1111" },
  { 'f', { .f = 1.5 }, "09,", "000,001.5" },
  { 'f', { .f = 1234.5 }, "010,.1f", "0,001,234.5" },
  { 's', { .s = "a" }, "z", "!ValueError: Negative zero coercion (z) not allowed in string format specifier" },
  { 's', { .s = "a" }, ".0", "" },
  { 's', { .s = "abc" }, "x<5", "abcxx" },
  { 'f', { .f = -0.0 }, "z", "0.0" },
  { 'f', { .f = -0.0001 }, "z.2f", "0.00" },
  { 'f', { .f = -0.0001 }, "z.2e", "-1.00e-04" },
  { 'f', { .f = INFINITY }, "+,", "+inf" },
  { 'f', { .f = 1e+300 }, ",.0f", "1,000,000,000,000,000,052,504,760,255,204,420,248,704,468,581,108,159,154,915,854,115,511,802,457,988,908,195,786,371,375,080,447,864,043,704,443,832,883,878,176,942,523,235,360,430,575,644,792,184,786,706,982,848,387,200,926,575,803,737,830,233,794,788,090,059,368,953,234,970,799,945,081,119,038,967,640,880,074,652,742,780,142,494,579,258,788,820,056,842,838,115,669,472,196,386,865,459,400,540,160" },
  { 'f', { .f = 3.14159 }, "+#1,.0", "+3.e+00" },
  { 'f', { .f = 1e+16 }, "#1_", "1.e+16" },
  { 'i', { .i = 65LL }, "+c", "!ValueError: Sign not allowed with integer format specifier 'c'" },
  { 'i', { .i = 65LL }, "#c", "!ValueError: Alternate form (#) not allowed with integer format specifier 'c'" },
  { 'i', { .i = 65LL }, "c<5", "65ccc" },
  { 's', { .s = "h\303\251llo" }, "\303\251^9", "\303\251\303\251h\303\251llo\303\251\303\251" },
  { 's', { .s = "h\303\251llo" }, ".2", "h\303\251" },
  { 'i', { .i = INT64_MIN }, ",", "-9,223,372,036,854,775,808" },
  { 'i', { .i = 9223372036854775807LL }, "_x", "7fff_ffff_ffff_ffff" },
  { 'f', { .f = 1e-07 }, ".3", "1e-07" },
  { 'f', { .f = 0.5 }, ".0%", "50%" },
  { 'f', { .f = 2.675 }, ".2f", "2.67" },
};

static void
test_spec_table (void **state)
{
  (void) state;
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    {
      HsObject *v;
      char *got;

      switch (cases[i].kind)
        {
        case 'i': v = hs_int_from_i64 (vm, cases[i].v.i); break;
        case 'b': v = hs_bool_from (vm, cases[i].v.i != 0); break;
        case 'f': v = hs_float_from_double (vm, cases[i].v.f); break;
        default:  v = hs_str_from_cstr (vm, cases[i].v.s); break;
        }
      got = format_text (v, cases[i].spec);
      if (strcmp (got, cases[i].expected) != 0)
        fail_msg ("case %zu (kind %c, spec '%s'): got '%s', want '%s'", i, cases[i].kind, cases[i].spec,
                  got, cases[i].expected);
      free (got);
      HS_DECREF (vm, v);
    }
}

static void
test_other_objects (void **state)
{
  HsObject *list = hs_list_new (vm, 0), *none = hs_incref (vm->none);
  char *got;

  (void) state;
  got = format_text (list, "");
  assert_string_equal (got, "[]");
  free (got);
  got = format_text (list, "x");
  assert_string_equal (got, "!TypeError: unsupported format string passed to list.__format__");
  free (got);
  got = format_text (none, "");
  assert_string_equal (got, "None");
  free (got);
  got = format_text (none, ">5");
  assert_string_equal (got, "!TypeError: unsupported format string passed to NoneType.__format__");
  free (got);
  HS_DECREF (vm, list);
  HS_DECREF (vm, none);
}

static void
test_empty_spec_is_str (void **state)
{
  HsObject *s = hs_str_from_cstr (vm, "same"), *r;

  (void) state;
  /* format(s, '') returns s itself, as CPython does for exact str. */
  r = hs_format (vm, s, NULL);
  assert_ptr_equal (r, s);
  HS_DECREF (vm, r);
  HS_DECREF (vm, s);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_spec_table, setup, teardown),
    cmocka_unit_test_setup_teardown (test_other_objects, setup, teardown),
    cmocka_unit_test_setup_teardown (test_empty_spec_is_str, setup, teardown),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
