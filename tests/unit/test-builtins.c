/* test-builtins.c — the builtin functions, argument-count messages, builtin methods and
 * descriptors.  Expected outputs were produced by CPython 3.11 (python3) on the same
 * programs when the tests were written. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "containers-test.h"

static void
test_nargs_messages (void **state)
{
  TState *st;
  HsVm *vm = t_vm_new (&st, false);
  char buf[256];

  (void) state;
  assert_int_equal (hs_check_nargs (vm, "len()", 1, 1, 1), 0);
  assert_int_equal (hs_check_nargs (vm, "len()", 2, 1, 1), -1);
  assert_string_equal (t_err (vm, buf, sizeof buf), "TypeError: len() takes exactly one argument (2 given)");
  assert_int_equal (hs_check_nargs (vm, "list.append()", 0, 1, 1), -1);
  assert_string_equal (t_err (vm, buf, sizeof buf),
                       "TypeError: list.append() takes exactly one argument (0 given)");
  assert_int_equal (hs_check_nargs (vm, "pop", 2, 0, 1), -1);
  assert_string_equal (t_err (vm, buf, sizeof buf), "TypeError: pop expected at most 1 argument, got 2");
  assert_int_equal (hs_check_nargs (vm, "getattr", 1, 2, 3), -1);
  assert_string_equal (t_err (vm, buf, sizeof buf),
                       "TypeError: getattr expected at least 2 arguments, got 1");
  assert_int_equal (hs_check_nargs (vm, "divmod", 1, 2, 2), -1);
  assert_string_equal (t_err (vm, buf, sizeof buf), "TypeError: divmod expected 2 arguments, got 1");
  assert_int_equal (hs_check_nargs (vm, "list.clear()", 1, 0, 0), -1);
  assert_string_equal (t_err (vm, buf, sizeof buf),
                       "TypeError: list.clear() takes no arguments (1 given)");
  {
    HsObject *k = hs_str_intern (vm, "x", 1), *kw = hs_tuple_pack (vm, 1, k);
    assert_int_equal (hs_check_no_kwargs (vm, "list.append()", kw), -1);
    assert_string_equal (t_err (vm, buf, sizeof buf),
                         "TypeError: list.append() takes no keyword arguments");
    hs_decref (vm, kw);
  }
  t_vm_free (vm, st);
}

static void
test_builtin_objects (void **state)
{
  TState *st;
  HsVm *vm = t_vm_new (&st, true);
  HsObject *len = hs_dict_get_str (vm, vm->builtins, "len"), *l = hs_list_new (vm, 0);
  HsObject *append, *r, *descr;
  char buf[256];

  (void) state;
  assert_non_null (len);
  assert_string_equal (t_str (vm, len, buf, sizeof buf), "<built-in function len>");
  r = hs_object_call (vm, len, &l, 1, NULL);
  assert_int_equal (hs_int_value (r), 0);
  hs_decref (vm, r);
  /* [].append is a bound builtin method holding the list ("__self__") */
  append = hs_object_getattr_str (vm, l, "append");
  assert_non_null (append);
  assert_true (HS_IS_TYPE (vm, append, BUILTIN_FUNCTION));
  assert_int_equal (l->refcnt, 2);
  assert_int_equal (t_slot (st, HS_HOLDER_INTERNAL, append->id, 0)->target, l->id);
  r = hs_object_call (vm, append, &len, 1, NULL);
  hs_decref (vm, r);
  assert_int_equal (hs_list_size (l), 1);
  hs_decref (vm, append);
  assert_int_equal (l->refcnt, 1);
  /* list.append is the unbound method_descriptor */
  descr = hs_type_lookup (vm, HS_T (vm, LIST), hs_str_intern (vm, "append", 6));
  assert_non_null (descr);
  assert_true (HS_IS_TYPE (vm, descr, METHOD_DESCRIPTOR));
  assert_string_equal (t_str (vm, descr, buf, sizeof buf), "<method 'append' of 'list' objects>");
  assert_null (hs_object_call (vm, descr, &len, 1, NULL));
  assert_string_equal (t_err (vm, buf, sizeof buf),
                       "TypeError: descriptor 'append' for 'list' objects doesn't apply to a "
                       "'builtin_function_or_method' object");
  hs_decref (vm, l);
  /* every exception class and type is there by name */
  assert_non_null (hs_dict_get_str (vm, vm->builtins, "KeyError"));
  assert_non_null (hs_dict_get_str (vm, vm->builtins, "frozenset"));
  assert_non_null (hs_dict_get_str (vm, vm->builtins, "enumerate"));
  assert_non_null (hs_dict_get_str (vm, vm->builtins, "input"));
  assert_non_null (hs_dict_get_str (vm, vm->builtins, "EOFError"));
  assert_null (hs_dict_get_str (vm, vm->builtins, "open"));   /* no files */
  t_vm_free (vm, st);
}

static void
test_protocol (void **state)
{
  TState *st;
  HsVm *vm = t_vm_new (&st, false);
  HsObject *one = hs_int_from_i64 (vm, 1), *s = hs_str_from_cstr (vm, "a"), *l = hs_list_new (vm, 0);
  char buf[256];

  (void) state;
  assert_null (hs_binary_op (vm, one, s, HS_BINOP_ADD));
  assert_string_equal (t_err (vm, buf, sizeof buf),
                       "TypeError: unsupported operand type(s) for +: 'int' and 'str'");
  assert_int_equal (hs_object_richcompare_bool (vm, one, s, HS_CMP_LT), -1);
  assert_string_equal (t_err (vm, buf, sizeof buf),
                       "TypeError: '<' not supported between instances of 'int' and 'str'");
  assert_int_equal (hs_object_richcompare_bool (vm, one, s, HS_CMP_EQ), 0);
  assert_int_equal (hs_object_len (vm, one), -1);
  assert_string_equal (t_err (vm, buf, sizeof buf), "TypeError: object of type 'int' has no len()");
  assert_null (hs_object_getitem (vm, one, one));
  assert_string_equal (t_err (vm, buf, sizeof buf), "TypeError: 'int' object is not subscriptable");
  assert_null (hs_object_iter (vm, one));
  assert_string_equal (t_err (vm, buf, sizeof buf), "TypeError: 'int' object is not iterable");
  assert_null (hs_object_call (vm, one, NULL, 0, NULL));
  assert_string_equal (t_err (vm, buf, sizeof buf), "TypeError: 'int' object is not callable");
  assert_int_equal (hs_object_contains (vm, one, one), -1);
  assert_string_equal (t_err (vm, buf, sizeof buf), "TypeError: argument of type 'int' is not iterable");
  assert_null (hs_inplace_op (vm, l, one, HS_BINOP_ADD));
  assert_string_equal (t_err (vm, buf, sizeof buf), "TypeError: 'int' object is not iterable");
  assert_null (hs_unary_op (vm, l, HS_UNOP_NEG));
  assert_string_equal (t_err (vm, buf, sizeof buf), "TypeError: bad operand type for unary -: 'list'");
  assert_int_equal (hs_object_is_true (vm, l), 0);
  hs_decref (vm, one);
  hs_decref (vm, s);
  hs_decref (vm, l);
  t_vm_free (vm, st);
}

static void
test_programs (void **state)
{
  (void) state;
  /* expected output: python3 on the same programs */
  t_run ("print(len([1, 2]), len(\"héllo\"), len({1: 2}), len(range(10)), id(None) == id(None))\n"
         "print(abs(-5), abs(2.5), round(2.5), round(3.5), round(-2.5), round(0.125, 2), round(2.675, 2), round(1250, -2), round(1350, -2))\n"
         "print(min(3, 1, 2), max(\"abc\"), min([1, 2], key=lambda x: -x), max([], default=\"d\"), sum([1, 2, 3]), sum([1, 2], 10), sum([0.5, 0.25]))\n"
         "print(sorted([3, 1, 2], reverse=True), sorted(\"bca\"), list(reversed([1, 2, 3])), list(enumerate(\"ab\", start=5)))\n"
         "print(list(zip([1, 2, 3], \"ab\")), list(map(abs, [-1, 2])), list(filter(None, [0, 1, \"\", \"a\"])), any([0, 1]), all([1, 0]))\n"
         "print(ord(\"a\"), ord(\"€\"), chr(97), chr(8364), divmod(7, 2), divmod(-7, 2), pow(2, 10), pow(2, 10, 1000), pow(3, -1, 7))\n"
         "print(isinstance(1, int), isinstance(True, (str, int)), issubclass(bool, int), callable(len), callable(1), hash(1), hash(-1))\n"
         "print(type(1), type([]) is list, repr(\"a\"), str(1.5), format(3.14159, \".2f\"), bool([]), bool([0]), int(\"12\"), float(\"1.5\"))\n"
         "print(list(range(3)), tuple(range(3)), set([1, 2, 2]), frozenset([1]), dict(a=1))\n"
         "it = iter([1, 2]); print(next(it), next(it), next(it, \"done\"))\n"
         "print(getattr([], \"append\").__name__, hasattr([], \"append\"), hasattr([], \"zz\"), getattr(1, \"zz\", 0))\n"
         "print(1, 2, 3, sep=\"-\", end=\"!\\n\")\n"
         "print(\"a\", \"b\", sep=\"\")\n"
         "print()\n",
         "2 5 1 10 True\n"
         "5 2.5 2 4 -2 0.12 2.67 1200 1400\n"
         "1 c 2 d 6 13 0.75\n"
         "[3, 2, 1] ['a', 'b', 'c'] [3, 2, 1] [(5, 'a'), (6, 'b')]\n"
         "[(1, 'a'), (2, 'b')] [1, 2] [1, 'a'] True False\n"
         "97 8364 a € (3, 1) (-4, 1) 1024 24 5\n"
         "True True True True False 1 -2\n"
         "<class 'int'> True 'a' 1.5 3.14 False True 12 1.5\n"
         "[0, 1, 2] (0, 1, 2) {1, 2} frozenset({1}) {'a': 1}\n"
         "1 2 done\n"
         "append True False 0\n"
         "1-2-3!\n"
         "ab\n"
         "\n");
  t_run ("try:\n"
         "    max([])\n"
         "except ValueError as e:\n"
         "    print(e)\n"
         "try:\n"
         "    sum([\"a\"], \"\")\n"
         "except TypeError as e:\n"
         "    print(e)\n"
         "try:\n"
         "    next(iter([]))\n"
         "except StopIteration as e:\n"
         "    print(\"StopIteration\", repr(e))\n"
         "try:\n"
         "    print(1, foo=2)\n"
         "except TypeError as e:\n"
         "    print(e)\n"
         "try:\n"
         "    sorted([1, \"a\"])\n"
         "except TypeError as e:\n"
         "    print(e)\n"
         "try:\n"
         "    {}[\"missing\"]\n"
         "except KeyError as e:\n"
         "    print(\"KeyError\", e)\n",
         "max() arg is an empty sequence\n"
         "sum() can't sum strings [use ''.join(seq) instead]\n"
         "StopIteration StopIteration()\n"
         "'foo' is an invalid keyword argument for print()\n"
         "'<' not supported between instances of 'str' and 'int'\n"
         "KeyError 'missing'\n");
  t_run ("try:\n"
         "    [1, 2, 3][10]\n"
         "except IndexError as e:\n"
         "    print(e)\n"
         "try:\n"
         "    1 + \"a\"\n"
         "except TypeError as e:\n"
         "    print(e)\n"
         "try:\n"
         "    [] + ()\n"
         "except TypeError as e:\n"
         "    print(e)\n"
         "try:\n"
         "    None()\n"
         "except TypeError as e:\n"
         "    print(e)\n"
         "try:\n"
         "    iter(5)\n"
         "except TypeError as e:\n"
         "    print(e)\n"
         "try:\n"
         "    hash([])\n"
         "except TypeError as e:\n"
         "    print(e)\n",
         "list index out of range\n"
         "unsupported operand type(s) for +: 'int' and 'str'\n"
         "can only concatenate list (not \"tuple\") to list\n"
         "'NoneType' object is not callable\n"
         "'int' object is not iterable\n"
         "unhashable type: 'list'\n");
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_nargs_messages),
    cmocka_unit_test (test_builtin_objects),
    cmocka_unit_test (test_protocol),
    cmocka_unit_test (test_programs),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
