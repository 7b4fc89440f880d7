/* test-set.c — set and frozenset: CPython's iteration order, sizes, operations, hashes.
 * Expected values (orders included) were computed with CPython 3.11 (python3) when the
 * tests were written. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "containers-test.h"

static HsObject *
num (HsVm *vm, int64_t v)
{
  HsObject *o = hs_int_from_i64 (vm, v);
  assert_non_null (o);
  return o;
}

static void
test_order_and_size (void **state)
{
  TState *st;
  HsVm *vm = t_vm_new (&st, true);
  HsObject *s = hs_set_new (vm, false);
  static const int64_t v[] = { 5, 3, 17, 9, 33, 1, 65, 8, 100, 250, 1000, -7 };
  char buf[256];

  (void) state;
  assert_int_equal (hs_object_sizeof (s), 216);     /* sys.getsizeof(set()) */
  for (size_t i = 0; i < 12; i++)
    {
      HsObject *o = num (vm, v[i]);
      assert_int_equal (hs_set_add (vm, s, o), 0);
      hs_decref (vm, o);
    }
  assert_string_equal (t_str (vm, s, buf, sizeof buf),
                       "{33, 1, 3, 65, 5, 100, 8, 9, 1000, 17, -7, 250}");
  assert_int_equal (hs_object_sizeof (s), 728);
  assert_int_equal (hs_set_size (s), 12);
  assert_true (hs_gc_is_tracked (s));
  {
    HsObject *k = num (vm, 1000), *l;
    assert_int_equal (hs_set_contains (vm, s, k), 1);
    hs_decref (vm, k);
    /* every key the set holds was published as a KEY reference */
    l = hs_sequence_list (vm, s);
    for (size_t i = 0; i < hs_list_size (l); i++)
      {
        HsObject *o = hs_list_item (l, i);
        if (!hs_is_immortal (o))
          assert_int_equal (t_refs (st, o->id), o->refcnt);   /* the set's key + l's item */
      }
    hs_decref (vm, l);
  }
  hs_decref (vm, s);
  t_vm_free (vm, st);
}

static void
test_frozenset_hash (void **state)
{
  TState *st;
  HsVm *vm = t_vm_new (&st, false);
  HsObject *f = hs_set_new (vm, true), *one = num (vm, 1), *two = num (vm, 2);
  int64_t h;

  (void) state;
  assert_true (hs_object_hash (vm, f, &h));
  assert_int_equal (h, 133146708735736LL);            /* hash(frozenset()) */
  hs_decref (vm, f);
  f = hs_set_new (vm, true);
  hs_set_add (vm, f, one);
  hs_set_add (vm, f, two);
  assert_true (hs_object_hash (vm, f, &h));
  assert_int_equal (h, -1826646154956904602LL);       /* hash(frozenset({1, 2})) */
  hs_decref (vm, f);
  f = hs_set_new (vm, false);
  assert_false (hs_object_hash (vm, f, &h));
  hs_err_clear (vm);
  hs_decref (vm, f);
  hs_decref (vm, one);
  hs_decref (vm, two);
  t_vm_free (vm, st);
}

static void
test_refs (void **state)
{
  TState *st;
  HsVm *vm = t_vm_new (&st, true);
  HsObject *s = hs_set_new (vm, false), *t = hs_set_new (vm, false);
  HsObject *x = num (vm, 1001), *y = num (vm, 1002);

  (void) state;
  hs_set_add (vm, s, x);
  hs_set_add (vm, s, y);
  hs_set_add (vm, s, x);
  assert_int_equal (t_refs (st, x->id), 1);
  assert_int_equal (x->refcnt, 2);
  hs_set_add (vm, t, y);
  {
    /* s &= t swaps tables: the references move and stay exact */
    HsObject *r = hs_inplace_op (vm, s, t, HS_BINOP_AND);
    assert_non_null (r);
    hs_decref (vm, r);
  }
  assert_int_equal (hs_set_size (s), 1);
  assert_int_equal (t_refs (st, x->id), x->refcnt - 1);
  assert_int_equal (t_refs (st, y->id), y->refcnt - 1);
  hs_decref (vm, s);
  hs_decref (vm, t);
  assert_int_equal (t_refs (st, y->id), 0);
  hs_decref (vm, x);
  hs_decref (vm, y);
  t_vm_free (vm, st);
}

static void
test_programs (void **state)
{
  (void) state;
  /* expected output: python3 on the same program */
  t_run ("print({3, 1, 2}, {10, 100, 1000}, {(1, 2), (3, 4), (5, 6)}, {True, 2, -1, 0})\n"
         "a = {1, 2, 3, 4}; b = {3, 4, 5, 6}\n"
         "print(a | b, a & b, a - b, a ^ b, b ^ a, b - a)\n"
         "print(a <= b, a < a | b, a >= {1}, a > a, a == {4, 3, 2, 1})\n"
         "x = set(range(0, 100, 7)); print(x)\n"
         "for i in range(0, 100, 3): x.discard(i)\n"
         "print(x.pop(), x.pop(), x)\n"
         "print(set(), frozenset(), frozenset([3, 3, 1]), set({5: 1, 6: 2}))\n"
         "s = {1}\n"
         "try:\n"
         "    s.remove(2)\n"
         "except KeyError as e:\n"
         "    print('KeyError', e)\n",
         "{1, 2, 3} {1000, 10, 100} {(1, 2), (3, 4), (5, 6)} {0, True, 2, -1}\n"
         "{1, 2, 3, 4, 5, 6} {3, 4} {1, 2} {1, 2, 5, 6} {1, 2, 5, 6} {5, 6}\n"
         "False True True False True\n"
         "{0, 98, 35, 70, 7, 42, 77, 14, 49, 84, 21, 56, 91, 28, 63}\n"
         "98 35 {70, 7, 77, 14, 49, 56, 91, 28}\n"
         "set() frozenset() frozenset({1, 3}) {5, 6}\n"
         "KeyError 2\n");
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_order_and_size),
    cmocka_unit_test (test_frozenset_hash),
    cmocka_unit_test (test_refs),
    cmocka_unit_test (test_programs),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
