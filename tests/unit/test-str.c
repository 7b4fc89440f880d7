/* test-str.c — str: creation, interning, repr, indexing, iteration, methods, sizes. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Every expected value and message below was produced by CPython 3.11 when the test was
 * written (the method table by running each call in python3) and is checked in as a literal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "hs-internal.h"

#include "runtime-fixture.h"

static HsObject *
S (const char *s)
{
  return hs_str_from_cstr (vm, s);
}

/* Text of an exception ("Type: message") or of repr(o); releases o. */
static char *
outcome (HsObject *o)
{
  char *text;
  HsObject *r;

  if (o == NULL)
    {
      HsObject *exc = hs_err_fetch (vm), *msg;
      size_t n;

      assert_non_null (exc);
      msg = hs_exception_str (vm, exc);
      n = strlen (HS_TYPE (exc)->name) + hs_str_size (msg) + 4;
      text = malloc (n);
      snprintf (text, n, "!%s: %s", HS_TYPE (exc)->name, hs_str_data (msg));
      HS_DECREF (vm, msg);
      HS_DECREF (vm, exc);
      return text;
    }
  r = hs_object_repr (vm, o);
  assert_non_null (r);
  text = strdup (hs_str_data (r));
  HS_DECREF (vm, r);
  HS_DECREF (vm, o);
  return text;
}

static void
check (HsObject *o, const char *expected)
{
  char *got = outcome (o);

  assert_string_equal (got, expected);
  free (got);
}

static HsObject *
call_method (HsObject *self, const char *name, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  for (const HsMethodDef *m = HS_TYPE (self)->methods; m->name != NULL; m++)
    if (strcmp (m->name, name) == 0)
      return m->fn (vm, self, args, nargs, kwnames);
  fail_msg ("no method %s", name);
  return NULL;
}

/* One argument from "s:text", "i:42", "f:1.5", "N", "t:a;b" (tuple of str), "l:a;b" (list
 * of str), "T:"/"L:" (items that are digits become ints). */
static HsObject *
make_arg (const char *spec)
{
  const char *v = spec + 2;

  switch (spec[0])
    {
    case 's': return S (v);
    case 'i': return hs_int_from_i64 (vm, strtoll (v, NULL, 10));
    case 'f': return hs_float_from_double (vm, strtod (v, NULL));
    case 'N': return hs_incref (vm->none);
    default:
      {
        HsObject *list = hs_list_new (vm, 0), *r;
        char *copy = strdup (v), *save = NULL;
        bool digits = spec[0] == 'T' || spec[0] == 'L';

        for (char *tok = strtok_r (copy, ";", &save); tok != NULL; tok = strtok_r (NULL, ";", &save))
          {
            HsObject *item = digits && tok[0] >= '0' && tok[0] <= '9' ? hs_int_from_i64 (vm, atoll (tok)) : S (tok);
            hs_list_append (vm, list, item);
            HS_DECREF (vm, item);
          }
        free (copy);
        if (spec[0] == 'l' || spec[0] == 'L')
          return list;
        r = hs_tuple_new (vm, hs_list_size (list));
        for (size_t i = 0; i < hs_list_size (list); i++)
          hs_tuple_init_item (vm, r, i, hs_incref (hs_list_item (list, i)));
        HS_DECREF (vm, list);
        return r;
      }
    }
}

static const struct {
  const char *self;
  const char *method;
  const char *args;       /* make_arg() specs separated by '|' */
  const char *expected;   /* repr of the result, or "!Type: message" */
} method_cases[] = {
  { "Stra\303\237e", "casefold", "", "'strasse'" },
  { "\304\260stanbul", "lower", "", "'i\314\207stanbul'" },
  { "\307\205emal", "swapcase", "", "'\307\205EMAL'" },
  { "\303\237", "swapcase", "", "'SS'" },
  { "\303\237a", "capitalize", "", "'Ssa'" },
  { "Hello, World", "upper", "", "'HELLO, WORLD'" },
  { "Hello, World", "lower", "", "'hello, world'" },
  { "hELLO wORLD", "capitalize", "", "'Hello world'" },
  { "they're bill's", "title", "", "\"They'Re Bill'S\"" },
  { "HeLLo", "swapcase", "", "'hEllO'" },
  { "\303\251a", "upper", "", "'\303\211A'" },
  { "\303\211COLE", "lower", "", "'\303\251cole'" },
  { "\303\237", "upper", "", "'SS'" },
  { "stra\303\237e", "title", "", "'Stra\303\237e'" },
  { "  padded \012", "strip", "", "'padded'" },
  { "xxaxx", "strip", "s:x", "'a'" },
  { "  a  ", "lstrip", "", "'a  '" },
  { "  a  ", "rstrip", "", "'  a'" },
  { "abcab", "lstrip", "s:ab", "'cab'" },
  { "a", "strip", "N", "'a'" },
  { "a b  c ", "split", "", "['a', 'b', 'c']" },
  { "a,b,,c", "split", "s:,", "['a', 'b', '', 'c']" },
  { " a b ", "split", "N|i:1", "['a', 'b ']" },
  { " a b ", "rsplit", "N|i:1", "[' a', 'b']" },
  { "a,b,,c", "rsplit", "s:,|i:1", "['a,b,', 'c']" },
  { "a::b::c", "split", "s:::", "['a', 'b', 'c']" },
  { "h\303\251llo w\303\266rld", "split", "s:\303\266", "['h\303\251llo w', 'rld']" },
  { "a\343\200\200b\302\240c", "split", "", "['a', 'b', 'c']" },
  { "a\012b\015\012c\015d\013e\034f\342\200\250g\012", "splitlines", "", "['a', 'b', 'c', 'd', 'e', 'f', 'g']" },
  { "a\012b\012", "splitlines", "i:1", "['a\\n', 'b\\n']" },
  { "-", "join", "l:a;b;c", "'a-b-c'" },
  { "", "join", "l:", "''" },
  { ", ", "join", "t:x", "'x'" },
  { "\303\251", "join", "l:a;\342\202\254", "'a\303\251\342\202\254'" },
  { "abc", "replace", "s:|s:-", "'-a-b-c-'" },
  { "abc", "replace", "s:|s:-|i:2", "'-a-bc'" },
  { "aaa", "replace", "s:a|s:bb|i:2", "'bbbba'" },
  { "h\303\251llo", "replace", "s:l|s:L", "'h\303\251LLo'" },
  { "abc", "replace", "s:x|s:y", "'abc'" },
  { "abc", "startswith", "s:ab", "True" },
  { "abc", "startswith", "t:x;b|i:1", "True" },
  { "abc", "startswith", "s:|i:3", "True" },
  { "abc", "startswith", "s:|i:4", "False" },
  { "abc", "endswith", "s:bc", "True" },
  { "abc", "endswith", "s:a|i:0|i:1", "True" },
  { "abcabc", "find", "s:c", "2" },
  { "abcabc", "rfind", "s:c|i:0|i:5", "2" },
  { "abc", "find", "s:b|i:-2", "1" },
  { "abc", "find", "s:|i:3", "3" },
  { "abc", "find", "s:|i:4", "-1" },
  { "h\303\251llo", "find", "s:l", "2" },
  { "h\303\251llo", "rfind", "s:l", "3" },
  { "h\303\251llo", "index", "s:o", "4" },
  { "abc", "count", "s:", "4" },
  { "abc", "count", "s:|i:4", "0" },
  { "aaaa", "count", "s:aa", "2" },
  { "123", "isdigit", "", "True" },
  { "\302\262", "isdigit", "", "True" },
  { "\331\241\331\242\331\243", "isdecimal", "", "True" },
  { "abc", "isalpha", "", "True" },
  { "ab1", "isalnum", "", "True" },
  { " \011\012", "isspace", "", "True" },
  { "", "isspace", "", "False" },
  { "A1", "isupper", "", "True" },
  { "Ab", "isupper", "", "False" },
  { "a1", "islower", "", "True" },
  { "_ident1", "isidentifier", "", "True" },
  { "1bad", "isidentifier", "", "False" },
  { "_\303\251", "isidentifier", "", "True" },
  { "Title Case", "istitle", "", "True" },
  { "abc", "center", "i:6", "' abc  '" },
  { "ab", "center", "i:5|s:*", "'**ab*'" },
  { "abc", "ljust", "i:6|s:.", "'abc...'" },
  { "abc", "rjust", "i:2", "'abc'" },
  { "\303\251", "center", "i:4|s:\342\202\254", "'\342\202\254\303\251\342\202\254\342\202\254'" },
  { "-42", "zfill", "i:5", "'-0042'" },
  { "+4", "zfill", "i:5", "'+0004'" },
  { "abc", "zfill", "i:2", "'abc'" },
  { "a,b,c", "partition", "s:,", "('a', ',', 'b,c')" },
  { "a,b,c", "rpartition", "s:,", "('a,b', ',', 'c')" },
  { "abc", "partition", "s:,", "('abc', '', '')" },
  { "abc", "rpartition", "s:,", "('', '', 'abc')" },
  { "a\011bc\011d", "expandtabs", "", "'a       bc      d'" },
  { "a\011b", "expandtabs", "i:4", "'a   b'" },
  { "hello", "removeprefix", "s:he", "'llo'" },
  { "hello", "removesuffix", "s:lo", "'hel'" },
  { "{} {}", "format", "i:1|i:2", "'1 2'" },
  { "{0}{1}{0}", "format", "s:a|s:b", "'aba'" },
  { "{!r:>6}|{:^7}", "format", "s:a|s:bc", "\"   'a'|  bc   \"" },
  { "{0[1]}", "format", "l:x;y", "'y'" },
  { "{{}}", "format", "", "'{}'" },
  { "{:,}", "format", "i:1234567", "'1,234,567'" },
  { "{:.2f}", "format", "f:3.14159", "'3.14'" },
  { "abc", "index", "s:z", "!ValueError: substring not found" },
  { "abc", "rindex", "s:z", "!ValueError: substring not found" },
  { "a", "split", "s:", "!ValueError: empty separator" },
  { "a", "partition", "s:", "!ValueError: empty separator" },
  { "", "join", "L:1", "!TypeError: sequence item 0: expected str instance, int found" },
  { "x", "join", "L:a;2", "!TypeError: sequence item 1: expected str instance, int found" },
  { "abc", "center", "i:8|s:xy", "!TypeError: The fill character must be exactly one character long" },
  { "a", "upper", "i:1", "!TypeError: str.upper() takes no arguments (1 given)" },
  { "a", "strip", "i:1", "!TypeError: strip arg must be None or str" },
  { "a", "split", "i:1", "!TypeError: must be str or None, not int" },
  { "a", "split", "s:,|i:1|i:2", "!TypeError: split() takes at most 2 arguments (3 given)" },
  { "a", "replace", "s:a", "!TypeError: replace expected at least 2 arguments, got 1" },
  { "a", "replace", "i:1|i:2", "!TypeError: replace() argument 1 must be str, not int" },
  { "a", "startswith", "", "!TypeError: startswith() takes at least 1 argument (0 given)" },
  { "a", "startswith", "i:1", "!TypeError: startswith first arg must be str or a tuple of str, not int" },
  { "a", "find", "i:1", "!TypeError: must be str, not int" },
  { "a", "center", "", "!TypeError: center expected at least 1 argument, got 0" },
  { "a", "zfill", "", "!TypeError: str.zfill() takes exactly one argument (0 given)" },
  { "a", "join", "", "!TypeError: str.join() takes exactly one argument (0 given)" },
  { "a", "partition", "i:1", "!TypeError: must be str, not int" },
  { "a", "ljust", "i:5|s:", "!TypeError: The fill character must be exactly one character long" },
  { "a", "splitlines", "i:1|i:2", "!TypeError: splitlines() takes at most 1 argument (2 given)" },
  { "a", "isdigit", "i:1", "!TypeError: str.isdigit() takes no arguments (1 given)" },
  { "a", "startswith", "T:a;1", "True" },
  { "{", "format", "", "!ValueError: Single '{' encountered in format string" },
  { "}", "format", "", "!ValueError: Single '}' encountered in format string" },
  { "{0}{}", "format", "i:1|i:2", "!ValueError: cannot switch from manual field specification to automatic field numbering" },
  { "{}{0}", "format", "i:1|i:2", "!ValueError: cannot switch from automatic field numbering to manual field specification" },
  { "{1}", "format", "i:1", "!IndexError: Replacement index 1 out of range for positional args tuple" },
  { "{0!x}", "format", "i:1", "!ValueError: Unknown conversion specifier x" },
  { "{0[}", "format", "i:1", "!ValueError: expected '}' before end of string" },
  { "{:d}", "format", "s:a", "!ValueError: Unknown format code 'd' for object of type 'str'" },
};

static void
test_methods (void **state)
{
  (void) state;
  for (size_t i = 0; i < sizeof method_cases / sizeof method_cases[0]; i++)
    {
      HsObject *args[8], *self = S (method_cases[i].self);
      size_t n = 0;
      char *copy = strdup (method_cases[i].args), *p = copy, *got;

      while (*p != '\0')
        {
          char *bar = strchr (p, '|');
          if (bar != NULL)
            *bar = '\0';
          args[n++] = make_arg (p);
          if (bar == NULL)
            break;
          p = bar + 1;
        }
      free (copy);
      got = outcome (call_method (self, method_cases[i].method, args, n, NULL));
      if (strcmp (got, method_cases[i].expected) != 0)
        fail_msg ("%s.%s(%s): got %s, want %s", method_cases[i].self, method_cases[i].method,
                  method_cases[i].args, got, method_cases[i].expected);
      free (got);
      for (size_t k = 0; k < n; k++)
        HS_DECREF (vm, args[k]);
      HS_DECREF (vm, self);
    }
}

static void
test_keywords (void **state)
{
  HsObject *self = S (" a b c "), *args[2], *kw;

  (void) state;
  args[0] = hs_incref (vm->none);
  args[1] = hs_int_from_i64 (vm, 1);
  kw = hs_tuple_pack (vm, 2, hs_str_intern (vm, "sep", 3), hs_str_intern (vm, "maxsplit", 8));
  check (call_method (self, "split", args, 2, kw), "['a', 'b c ']");
  HS_DECREF (vm, kw);
  kw = hs_tuple_pack (vm, 1, hs_str_intern (vm, "maxsplit", 8));
  check (call_method (self, "rsplit", args + 1, 1, kw), "[' a b', 'c']");
  HS_DECREF (vm, kw);
  kw = hs_tuple_pack (vm, 1, hs_str_intern (vm, "x", 1));
  check (call_method (self, "split", args + 1, 1, kw), "!TypeError: 'x' is an invalid keyword argument for split()");
  check (call_method (self, "strip", args, 1, kw), "!TypeError: str.strip() takes no keyword arguments");
  HS_DECREF (vm, kw);
  /* str.format with keywords: '{x}-{0}'.format(1, x=5) */
  {
    HsObject *fmt = S ("{x}-{0}-{x:>3}"), *fa[2];
    fa[0] = hs_int_from_i64 (vm, 1);
    fa[1] = hs_int_from_i64 (vm, 5);
    kw = hs_tuple_pack (vm, 1, hs_str_intern (vm, "x", 1));
    check (call_method (fmt, "format", fa, 2, kw), "'5-1-  5'");
    check (call_method (fmt, "format", fa, 1, NULL), "!KeyError: 'x'");
    HS_DECREF (vm, kw);
    HS_DECREF (vm, fa[0]);
    HS_DECREF (vm, fa[1]);
    HS_DECREF (vm, fmt);
  }
  HS_DECREF (vm, args[0]);
  HS_DECREF (vm, args[1]);
  HS_DECREF (vm, self);
}

static void
test_create_and_intern (void **state)
{
  HsObject *a = S ("héllo"), *b = S ("héllo"), *c, *d, *i1, *i2, *ch1, *ch2;
  const HsStr *s = (const HsStr *) a;

  (void) state;
  assert_int_equal (s->size, 6);
  assert_int_equal (s->length, 5);
  assert_false (s->ascii);
  assert_ptr_not_equal (a, b);
  assert_true (hs_str_equal (a, b));
  assert_int_equal (hs_str_hash (a), hs_str_hash (b));
  assert_int_not_equal (hs_str_hash (a), -1);
  c = hs_str_concat (vm, a, b);
  assert_string_equal (hs_str_data (c), "héllohéllo");
  assert_int_equal (((HsStr *) c)->length, 10);
  d = hs_str_printf (vm, "%s=%d", "x", 42);
  assert_string_equal (hs_str_data (d), "x=42");
  i1 = hs_str_intern (vm, "name", 4);
  i2 = hs_str_intern (vm, "name", 4);
  assert_ptr_equal (i1, i2);
  assert_true (hs_is_immortal (i1));
  assert_true (((HsStr *) i1)->interned);
  /* One-character ASCII strings are shared, as in CPython: 'cab'[1] is 'a'. */
  {
    HsObject *cab = S ("cab"), *one = hs_int_from_i64 (vm, 1);
    ch1 = S ("a");
    ch2 = HS_TYPE (cab)->getitem (vm, cab, one);
    assert_ptr_equal (ch1, ch2);
    HS_DECREF (vm, ch2);
    HS_DECREF (vm, ch1);
    HS_DECREF (vm, cab);
    HS_DECREF (vm, one);
  }
  HS_DECREF (vm, a); HS_DECREF (vm, b); HS_DECREF (vm, c); HS_DECREF (vm, d); HS_DECREF (vm, i1); HS_DECREF (vm, i2);
}

static void
test_repr (void **state)
{
  static const struct { const char *in, *out; } cases[] = {
    { "", "''" }, { "abc", "'abc'" }, { "'", "\"'\"" }, { "\"", "'\"'" }, { "'\"", "'\\'\"'" },
    { "a\\b", "'a\\\\b'" }, { "\n\t\r", "'\\n\\t\\r'" }, { "\x7f\x01\x1b", "'\\x7f\\x01\\x1b'" },
    { "\xc2\xa0", "'\\xa0'" },                       /* U+00A0 no-break space */
    { "\xc3\xa9\xc2\x80\xc2\xad", "'\xc3\xa9\\x80\\xad'" },   /* é U+0080 U+00AD */
    { "\xe2\x80\x8b\xe3\x80\x80\xe2\x80\xa8", "'\\u200b\\u3000\\u2028'" },
    { "\xf0\x9f\x98\x80", "'\xf0\x9f\x98\x80'" },     /* 😀 is printable */
  };

  (void) state;
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    check (S (cases[i].in), cases[i].out);
  /* ascii() escapes everything outside ASCII */
  {
    HsObject *o = S ("\xc3\xa9\xf0\x9f\x98\x80\n"), *r = hs_object_ascii (vm, o);
    assert_string_equal (hs_str_data (r), "'\\xe9\\U0001f600\\n'");
    HS_DECREF (vm, r);
    HS_DECREF (vm, o);
  }
}

static void
test_index_and_slice (void **state)
{
  HsObject *s = S ("h\xc3\xa9llo"), *a = S ("abcdef"), *k, *sl, *st, *en, *step;

  (void) state;
  k = hs_int_from_i64 (vm, 1);
  check (HS_TYPE (s)->getitem (vm, s, k), "'\xc3\xa9'");
  HS_DECREF (vm, k);
  k = hs_int_from_i64 (vm, -1);
  check (HS_TYPE (s)->getitem (vm, s, k), "'o'");
  HS_DECREF (vm, k);
  k = hs_int_from_i64 (vm, 5);
  check (HS_TYPE (s)->getitem (vm, s, k), "!IndexError: string index out of range");
  HS_DECREF (vm, k);
  k = hs_float_from_double (vm, 1.0);
  check (HS_TYPE (s)->getitem (vm, s, k), "!TypeError: string indices must be integers, not 'float'");
  HS_DECREF (vm, k);
  /* s[::-1], s[1:4], a[::2], a[-2:], a[::-3] */
  step = hs_int_from_i64 (vm, -1);
  sl = hs_slice_new (vm, vm->none, vm->none, step);
  check (HS_TYPE (s)->getitem (vm, s, sl), "'oll\xc3\xa9h'");
  HS_DECREF (vm, sl);
  HS_DECREF (vm, step);
  st = hs_int_from_i64 (vm, 1);
  en = hs_int_from_i64 (vm, 4);
  sl = hs_slice_new (vm, st, en, vm->none);
  check (HS_TYPE (s)->getitem (vm, s, sl), "'\xc3\xa9ll'");
  HS_DECREF (vm, sl);
  step = hs_int_from_i64 (vm, 2);
  sl = hs_slice_new (vm, vm->none, vm->none, step);
  check (HS_TYPE (a)->getitem (vm, a, sl), "'ace'");
  HS_DECREF (vm, sl);
  HS_DECREF (vm, step);
  step = hs_int_from_i64 (vm, -3);
  sl = hs_slice_new (vm, vm->none, vm->none, step);
  check (HS_TYPE (s)->getitem (vm, s, sl), "'o\xc3\xa9'");
  HS_DECREF (vm, sl);
  HS_DECREF (vm, step);
  HS_DECREF (vm, st);
  HS_DECREF (vm, en);
  assert_int_equal (HS_TYPE (s)->len (vm, s), 5);
  /* s[i] forwards, backwards and jumping on a non-ASCII string ('h\xe9llo' + '\u20ac') */
  {
    HsObject *u = S ("h\xc3\xa9llo\xe2\x82\xac");
    static const char *const chars[] = { "'h'", "'\xc3\xa9'", "'l'", "'l'", "'o'", "'\xe2\x82\xac'" };
    static const int order[] = { 0, 1, 2, 3, 4, 5, 5, 4, 3, 2, 1, 0, 5, 0, 3, 1, 4 };

    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
      {
        HsObject *idx = hs_int_from_i64 (vm, order[i]);
        check (HS_TYPE (u)->getitem (vm, u, idx), chars[order[i]]);
        HS_DECREF (vm, idx);
      }
    HS_DECREF (vm, u);
  }
  HS_DECREF (vm, s);
  HS_DECREF (vm, a);
}

static void
test_operators (void **state)
{
  HsObject *ab = S ("ab"), *three = hs_int_from_i64 (vm, 3), *one = hs_int_from_i64 (vm, 1), *x = S ("b");
  HsObject *e = S ("\xc3\xa9"), *z = S ("z"), *r;

  (void) state;
  check (HS_TYPE (ab)->binary (vm, ab, three, HS_BINOP_MUL), "'ababab'");
  check (HS_TYPE (ab)->binary (vm, three, ab, HS_BINOP_MUL), "'ababab'");
  check (HS_TYPE (ab)->binary (vm, ab, x, HS_BINOP_ADD), "'abb'");
  check (HS_TYPE (ab)->binary (vm, ab, one, HS_BINOP_ADD), "!TypeError: can only concatenate str (not \"int\") to str");
  check (HS_TYPE (ab)->binary (vm, ab, x, HS_BINOP_MUL), "!TypeError: can't multiply sequence by non-int of type 'str'");
  r = HS_TYPE (ab)->binary (vm, one, ab, HS_BINOP_ADD);
  assert_ptr_equal (r, vm->not_implemented);
  HS_DECREF (vm, r);
  assert_int_equal (HS_TYPE (ab)->contains (vm, ab, x), 1);
  assert_int_equal (HS_TYPE (ab)->contains (vm, ab, z), 0);
  assert_int_equal (HS_TYPE (ab)->contains (vm, ab, one), -1);
  check (NULL, "!TypeError: 'in <string>' requires string as left operand, not int");
  r = HS_TYPE (e)->richcompare (vm, e, z, HS_CMP_GT);   /* 'é' > 'z' */
  assert_ptr_equal (r, vm->true_obj);
  HS_DECREF (vm, r);
  r = HS_TYPE (ab)->richcompare (vm, ab, x, HS_CMP_LT);  /* 'ab' < 'b' */
  assert_ptr_equal (r, vm->true_obj);
  HS_DECREF (vm, r);
  r = HS_TYPE (ab)->richcompare (vm, ab, one, HS_CMP_LT);
  assert_ptr_equal (r, vm->not_implemented);
  HS_DECREF (vm, r);
  /* printf-style: '%s %d|%5.2f|%-4x|' % ('a', 3, 3.14159, 255) */
  {
    HsObject *fmt = S ("%s %d|%5.2f|%-4x|%%"), *t;
    HsObject *a = S ("a"), *pi = hs_float_from_double (vm, 3.14159), *ff = hs_int_from_i64 (vm, 255);
    t = hs_tuple_pack (vm, 4, a, three, pi, ff);
    check (HS_TYPE (fmt)->binary (vm, fmt, t, HS_BINOP_MOD), "'a 3| 3.14|ff  |%'");
    HS_DECREF (vm, t);
    t = hs_tuple_pack (vm, 1, a);
    check (HS_TYPE (fmt)->binary (vm, fmt, t, HS_BINOP_MOD), "!TypeError: not enough arguments for format string");
    HS_DECREF (vm, t);
    HS_DECREF (vm, fmt);
    fmt = S ("%.3d|%05.3d|%#8.2x|%c|%-4s|");
    t = hs_tuple_pack (vm, 5, three, three, ff, ff, a);
    /* '%.3d|%05.3d|%#8.2x|%c|%-4s|' % (3, 3, 255, 255, 'a') */
    check (HS_TYPE (fmt)->binary (vm, fmt, t, HS_BINOP_MOD), "'003|00003|    0xff|\xc3\xbf|a   |'");
    HS_DECREF (vm, t);
    HS_DECREF (vm, fmt);
    fmt = S ("%d");
    check (HS_TYPE (fmt)->binary (vm, fmt, a, HS_BINOP_MOD), "!TypeError: %d format: a real number is required, not str");
    HS_DECREF (vm, fmt);
    HS_DECREF (vm, a); HS_DECREF (vm, pi); HS_DECREF (vm, ff);
  }
  HS_DECREF (vm, ab); HS_DECREF (vm, three); HS_DECREF (vm, one); HS_DECREF (vm, x); HS_DECREF (vm, e); HS_DECREF (vm, z);
}

static void
test_iteration (void **state)
{
  HsObject *s = S ("h\xc3\xa9!"), *it, *c;
  intptr_t before = s->refcnt;
  const char *expected[] = { "'h'", "'\xc3\xa9'", "'!'" };

  (void) state;
  it = HS_TYPE (s)->iter (vm, s);
  assert_non_null (it);
  assert_string_equal (HS_TYPE (it)->name, "str_ascii_iterator");
  assert_int_equal (s->refcnt, before + 1);
  for (int i = 0; i < 3; i++)
    {
      c = HS_TYPE (it)->iternext (vm, it);
      check (c, expected[i]);
    }
  assert_null (HS_TYPE (it)->iternext (vm, it));
  assert_false (hs_err_occurred (vm));
  /* An exhausted iterator lets go of its string, as CPython's does. */
  assert_int_equal (s->refcnt, before);
  HS_DECREF (vm, it);
  HS_DECREF (vm, s);
}

static void
test_size_and_describe (void **state)
{
  static const struct { const char *s; size_t size; } sizes[] = {
    { "", 49 }, { "a", 50 }, { "hello", 54 }, { "\xc3\xa9", 74 }, { "\xc3\xa9\xc3\xa9", 75 },
    { "\xe2\x82\xac", 76 }, { "\xe2\x82\xac\xe2\x82\xac", 78 }, { "\xf0\x9f\x98\x80", 80 },
    { "\xf0\x9f\x98\x80\xf0\x9f\x98\x80", 84 },
  };
  char buf[16];
  HsObject *o;

  (void) state;
  for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
    {
      o = S (sizes[i].s);
      assert_int_equal (HS_TYPE (o)->size_of (o), sizes[i].size);
      HS_DECREF (vm, o);
    }
  o = S ("Hello, Zenva learners!");
  HS_TYPE (o)->describe (vm, o, buf, sizeof buf);
  assert_string_equal (buf, "'Hello, Zen\xe2\x80\xa6");   /* cut with an ellipsis */
  HS_DECREF (vm, o);
  o = S ("hi");
  HS_TYPE (o)->describe (vm, o, buf, sizeof buf);
  assert_string_equal (buf, "'hi'");
  HS_DECREF (vm, o);
}

static void
test_constructor (void **state)
{
  HsType *str = vm->types[HS_T_STR];
  HsObject *args[4], *n = hs_int_from_i64 (vm, 42), *f = hs_float_from_double (vm, 0.1);

  (void) state;
  check (str->new_ (vm, str, NULL, 0, NULL), "''");
  check (str->new_ (vm, str, &n, 1, NULL), "'42'");
  check (str->new_ (vm, str, &f, 1, NULL), "'0.1'");
  args[0] = args[1] = args[2] = args[3] = n;
  check (str->new_ (vm, str, args, 4, NULL), "!TypeError: str() takes at most 3 arguments (4 given)");
  HS_DECREF (vm, n);
  HS_DECREF (vm, f);
}

/* The iterator's reference to its string is published (REF events), as the trace needs. */
typedef struct { int adds, removes; HsId holder, target; } RefLog;

static int
ref_hook (void *user_data, const HsEvent *ev)
{
  RefLog *log = user_data;

  if (ev->kind == HS_EV_REF && ev->u.ref.holder_kind == HS_HOLDER_INTERNAL && ev->u.ref.holder == log->holder)
    {
      if (ev->u.ref.new_target == log->target && ev->u.ref.old_target == 0)
        log->adds++;
      if (ev->u.ref.old_target == log->target && ev->u.ref.new_target == 0)
        log->removes++;
    }
  return 0;
}

static void
test_iterator_events (void **state)
{
  HsConfig config;
  HsMemStats stats;
  RefLog log = { 0, 0, 0, 0 };
  HsVm *v;
  HsObject *s, *it, *c;

  (void) state;
  hs_config_init (&config);
  config.hook = ref_hook;
  config.hook_mask = HS_EVMASK_MEMORY;
  config.user_data = &log;
  v = hs_vm_new (&config);
  assert_non_null (v);
  s = hs_str_from_cstr (v, "xy");
  /* The hook filters on the iterator's id, known only once it exists: the next id. */
  log.holder = v->next_id + 1;
  log.target = s->id;
  it = HS_TYPE (s)->iter (v, s);
  assert_int_equal (it->id, log.holder);
  while ((c = HS_TYPE (it)->iternext (v, it)) != NULL)
    HS_DECREF (v, c);
  assert_int_equal (log.adds, 1);
  assert_int_equal (log.removes, 1);
  HS_DECREF (v, it);
  HS_DECREF (v, s);
  hs_vm_free (v, &stats);
  assert_int_equal (stats.live_objects, 0);
  assert_int_equal (stats.live_bytes, 0);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_create_and_intern, setup, teardown),
    cmocka_unit_test_setup_teardown (test_repr, setup, teardown),
    cmocka_unit_test_setup_teardown (test_index_and_slice, setup, teardown),
    cmocka_unit_test_setup_teardown (test_operators, setup, teardown),
    cmocka_unit_test_setup_teardown (test_iteration, setup, teardown),
    cmocka_unit_test_setup_teardown (test_methods, setup, teardown),
    cmocka_unit_test_setup_teardown (test_keywords, setup, teardown),
    cmocka_unit_test_setup_teardown (test_size_and_describe, setup, teardown),
    cmocka_unit_test_setup_teardown (test_constructor, setup, teardown),
    cmocka_unit_test (test_iterator_events),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
