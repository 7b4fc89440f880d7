/* test-list.c — list (and tuple): values, sizes, messages, sort, published references.
 * Expected values were computed with CPython 3.11 (python3) when the tests were written. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "containers-test.h"

static HsObject *
num (HsVm *vm, int64_t v)
{
  HsObject *o = hs_int_from_i64 (vm, v);
  assert_non_null (o);
  return o;
}

/* A list of ints (new ref). */
static HsObject *
make_list (HsVm *vm, const int64_t *v, size_t n)
{
  HsObject *l = hs_list_new (vm, 0);

  assert_non_null (l);
  for (size_t i = 0; i < n; i++)
    {
      HsObject *o = num (vm, v[i]);
      assert_int_equal (hs_list_append (vm, l, o), 0);
      hs_decref (vm, o);
    }
  return l;
}

static HsObject *
call (HsVm *vm, HsObject *self, const char *name, size_t n, ...)
{
  HsObject *args[4];
  va_list ap;

  va_start (ap, n);
  for (size_t i = 0; i < n; i++)
    args[i] = va_arg (ap, HsObject *);
  va_end (ap);
  return hs_object_call_method (vm, self, name, args, n);
}

static void
test_append_and_size (void **state)
{
  TState *st;
  HsVm *vm = t_vm_new (&st, false);
  HsObject *l = hs_list_new (vm, 0);
  /* python3: l = []; for i in range(12): print(sys.getsizeof(l)); l.append(i) */
  static const size_t sizes[12] = { 56, 88, 88, 88, 88, 120, 120, 120, 120, 184, 184, 184 };
  char buf[256];

  (void) state;
  for (int64_t i = 0; i < 12; i++)
    {
      HsObject *o = num (vm, i * 100);
      assert_int_equal (hs_object_sizeof (l), sizes[i]);
      assert_int_equal (hs_list_append (vm, l, o), 0);
      hs_decref (vm, o);
    }
  assert_int_equal (hs_list_size (l), 12);
  assert_int_equal (hs_int_value (hs_list_item (l, 11)), 1100);
  assert_string_equal (t_str (vm, l, buf, sizeof buf),
                       "[0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 1100]");
  assert_int_equal (hs_gc_is_tracked (l), true);
  hs_decref (vm, l);
  t_vm_free (vm, st);
}

static void
test_methods (void **state)
{
  TState *st;
  HsVm *vm = t_vm_new (&st, true);
  static const int64_t v[] = { 5, 3, 8, 3 };
  HsObject *l = make_list (vm, v, 4), *r, *a = num (vm, 3), *b = num (vm, 0), *c = num (vm, 42);
  char buf[256];

  (void) state;
  r = call (vm, l, "insert", 2, b, c);     /* [42, 5, 3, 8, 3] */
  assert_non_null (r);
  hs_decref (vm, r);
  r = call (vm, l, "count", 1, a);
  assert_int_equal (hs_int_value (r), 2);
  hs_decref (vm, r);
  r = call (vm, l, "index", 1, a);
  assert_int_equal (hs_int_value (r), 2);
  hs_decref (vm, r);
  r = call (vm, l, "remove", 1, a);          /* [42, 5, 8, 3] */
  hs_decref (vm, r);
  r = call (vm, l, "pop", 1, b);             /* 42 */
  assert_int_equal (hs_int_value (r), 42);
  hs_decref (vm, r);
  r = call (vm, l, "reverse", 0);
  hs_decref (vm, r);
  assert_string_equal (t_str (vm, l, buf, sizeof buf), "[3, 8, 5]");
  r = call (vm, l, "sort", 0);
  hs_decref (vm, r);
  assert_string_equal (t_str (vm, l, buf, sizeof buf), "[3, 5, 8]");
  /* every reference into the ints is one the list published */
  assert_int_equal (t_refs (st, hs_list_item (l, 2)->id), 1);

  /* messages, as python3 prints them */
  assert_null (call (vm, l, "pop", 2, a, a));
  assert_string_equal (t_err (vm, buf, sizeof buf), "TypeError: pop expected at most 1 argument, got 2");
  assert_null (call (vm, l, "append", 0));
  assert_string_equal (t_err (vm, buf, sizeof buf),
                       "TypeError: list.append() takes exactly one argument (0 given)");
  assert_null (call (vm, l, "index", 1, c));
  assert_string_equal (t_err (vm, buf, sizeof buf), "ValueError: 42 is not in list");
  assert_null (call (vm, l, "remove", 1, c));
  assert_string_equal (t_err (vm, buf, sizeof buf), "ValueError: list.remove(x): x not in list");
  assert_null (call (vm, l, "insert", 1, a));
  assert_string_equal (t_err (vm, buf, sizeof buf), "TypeError: insert expected 2 arguments, got 1");
  r = call (vm, l, "clear", 0);
  hs_decref (vm, r);
  assert_null (call (vm, l, "pop", 0));
  assert_string_equal (t_err (vm, buf, sizeof buf), "IndexError: pop from empty list");

  hs_decref (vm, a);
  hs_decref (vm, b);
  hs_decref (vm, c);
  hs_decref (vm, l);
  t_vm_free (vm, st);
}

/* Every ITEM reference the list publishes matches the refcounts, through inserts at 0,
 * deletions, slice assignment, extended deletion, sort and reverse. */
static void
test_published_refs (void **state)
{
  TState *st;
  HsVm *vm = t_vm_new (&st, true);
  HsObject *l = hs_list_new (vm, 0);
  HsObject *x = num (vm, 1000), *y = num (vm, 2000), *z = num (vm, 3000);
  HsObject *zero = num (vm, 0), *sl, *seq, *r;

  (void) state;
  for (int i = 0; i < 3; i++)
    {
      hs_list_append (vm, l, x);
      hs_list_append (vm, l, y);
    }
  assert_int_equal (t_refs (st, x->id), 3);
  assert_int_equal (x->refcnt, 4);
  r = call (vm, l, "insert", 2, zero, z);      /* republishes every shifted slot */
  hs_decref (vm, r);
  assert_int_equal (t_refs (st, z->id), z->refcnt - 1);
  assert_int_equal (t_refs (st, x->id), x->refcnt - 1);
  r = call (vm, l, "pop", 1, zero);
  hs_decref (vm, r);
  assert_int_equal (t_refs (st, z->id), 0);
  assert_int_equal (z->refcnt, 1);
  /* l[1:3] = (z, z, z) */
  {
    HsObject *one = num (vm, 1), *three = num (vm, 3);
    sl = hs_slice_new (vm, one, three, NULL);
    hs_decref (vm, one);
    hs_decref (vm, three);
  }
  seq = hs_tuple_pack (vm, 3, z, z, z);
  assert_int_equal (hs_object_setitem (vm, l, sl, seq), 0);
  hs_decref (vm, seq);
  hs_decref (vm, sl);
  assert_int_equal (t_refs (st, z->id), 3);
  assert_int_equal (z->refcnt, 4);
  assert_int_equal (t_refs (st, y->id), y->refcnt - 1);
  /* del l[::2] */
  {
    HsObject *two = num (vm, 2);
    sl = hs_slice_new (vm, NULL, NULL, two);
    hs_decref (vm, two);
  }
  assert_int_equal (hs_object_delitem (vm, l, sl), 0);
  hs_decref (vm, sl);
  r = call (vm, l, "sort", 0);
  hs_decref (vm, r);
  r = call (vm, l, "reverse", 0);
  hs_decref (vm, r);
  assert_int_equal (t_refs (st, x->id), x->refcnt - 1);
  assert_int_equal (t_refs (st, y->id), y->refcnt - 1);
  assert_int_equal (t_refs (st, z->id), z->refcnt - 1);
  hs_decref (vm, l);
  assert_int_equal (t_refs (st, x->id), 0);
  assert_int_equal (t_refs (st, y->id), 0);
  assert_int_equal (t_refs (st, z->id), 0);
  assert_int_equal (x->refcnt, 1);
  hs_decref (vm, x);
  hs_decref (vm, y);
  hs_decref (vm, z);
  hs_decref (vm, zero);
  t_vm_free (vm, st);
}

/* A list releases its items last to first (as CPython's list_dealloc). */
static void
test_dealloc_order (void **state)
{
  TState *st;
  HsVm *vm = t_vm_new (&st, true);
  static const int64_t v[] = { 1000, 1001, 1002, 1003 };
  HsObject *l = make_list (vm, v, 4);

  (void) state;
  st->log_holder = l->id;
  hs_decref (vm, l);
  assert_int_equal (st->n_log, 4);
  assert_int_equal (st->log[0], 3);
  assert_int_equal (st->log[1], 2);
  assert_int_equal (st->log[2], 1);
  assert_int_equal (st->log[3], 0);
  t_vm_free (vm, st);
}

static void
test_sort (void **state)
{
  TState *st;
  HsVm *vm = t_vm_new (&st, true);
  HsObject *l = hs_list_new (vm, 0), *s;
  char buf[512];

  (void) state;
  /* a longer list than one insertion-sort run, with duplicates: stable merge */
  for (int64_t i = 0; i < 100; i++)
    {
      HsObject *o = num (vm, (i * 37) % 50);
      hs_list_append (vm, l, o);
      hs_decref (vm, o);
    }
  assert_int_equal (hs_list_sort (vm, l, NULL, false), 0);
  for (size_t i = 1; i < 100; i++)
    assert_true (hs_int_value (hs_list_item (l, i - 1)) <= hs_int_value (hs_list_item (l, i)));
  assert_int_equal (hs_list_sort (vm, l, NULL, true), 0);
  assert_int_equal (hs_int_value (hs_list_item (l, 0)), 49);
  s = hs_str_from_cstr (vm, "a");
  hs_list_append (vm, l, s);
  hs_decref (vm, s);
  assert_int_equal (hs_list_sort (vm, l, NULL, false), -1);
  /* python3: [3, 'a'].sort() */
  assert_string_equal (t_err (vm, buf, sizeof buf),
                       "TypeError: '<' not supported between instances of 'str' and 'int'");
  hs_decref (vm, l);
  t_vm_free (vm, st);
}

static void
test_tuple (void **state)
{
  TState *st;
  HsVm *vm = t_vm_new (&st, true);
  HsObject *a = num (vm, 1), *b = num (vm, 2), *t = hs_tuple_pack (vm, 2, a, b), *one;
  int64_t h;
  char buf[128];

  (void) state;
  assert_true (hs_object_hash (vm, t, &h));
  assert_int_equal (h, -3550055125485641917LL);     /* python3: hash((1, 2)) */
  assert_string_equal (t_str (vm, t, buf, sizeof buf), "(1, 2)");
  one = hs_tuple_pack (vm, 1, t);
  assert_string_equal (t_str (vm, one, buf, sizeof buf), "((1, 2),)");
  assert_true (hs_object_hash (vm, vm->empty_tuple, &h));
  assert_int_equal (h, 5740354900026072187LL);      /* python3: hash(()) */
  assert_int_equal (hs_object_sizeof (t), 56);      /* sys.getsizeof((1, 2)) */
  assert_int_equal (hs_object_sizeof (vm->empty_tuple), 40);
  assert_true (hs_gc_is_tracked (t));
  assert_int_equal (t_refs (st, t->id), 1);
  hs_decref (vm, one);
  assert_int_equal (t_refs (st, t->id), 0);
  hs_decref (vm, t);
  hs_decref (vm, a);
  hs_decref (vm, b);
  t_vm_free (vm, st);
}

static void
test_programs (void **state)
{
  (void) state;
  /* expected output: python3 on the same program */
  t_run ("l = [5, 3, 8]\n"
         "l.append(1); l.insert(0, 9); l.extend([7, 7])\n"
         "print(l, l.pop(), l.pop(0), l.index(8), l.count(7))\n"
         "l.sort(); print(l)\n"
         "l.sort(key=lambda x: -x); print(l)\n"
         "l[1:3] = ['a', 'b', 'c']; print(l)\n"
         "del l[::2]; print(l)\n"
         "l.reverse(); print(l, l[::-1], l[-2:], len(l))\n"
         "m = l * 2 + [0]; m += (1,); print(m, m == m[:], m < [], [1, 2] < [1, 2, 3])\n"
         "x = [1]; x.append(x); print(x)\n"
         "pairs = [(2, 'b'), (1, 'z'), (2, 'a'), (1, 'y')]\n"
         "print(sorted(pairs, key=lambda p: p[0]), sorted(pairs, key=lambda p: p[0], reverse=True))\n"
         "print(list(reversed(l)), 3 in l, 'a' in l)\n",
         "[5, 3, 8, 1, 7] 7 9 2 1\n"
         "[1, 3, 5, 7, 8]\n"
         "[8, 7, 5, 3, 1]\n"
         "[8, 'a', 'b', 'c', 3, 1]\n"
         "['a', 'c', 1]\n"
         "[1, 'c', 'a'] ['a', 'c', 1] ['c', 'a'] 3\n"
         "[1, 'c', 'a', 1, 'c', 'a', 0, 1] True False True\n"
         "[1, [...]]\n"
         "[(1, 'z'), (1, 'y'), (2, 'b'), (2, 'a')] [(2, 'b'), (2, 'a'), (1, 'z'), (1, 'y')]\n"
         "['a', 'c', 1] False True\n");
  t_run ("t = (1, 2, 3)\n"
         "print(t, t[0], t[-1], t[1:], t[::-1], t + (4,), t * 2, 3 in t, len(t), t.count(2), t.index(3))\n"
         "print((), (1,), tuple([1, 2]), (1, 2) < (1, 3), (1, 2) == (1, 2), hash((1, 2)))\n",
         "(1, 2, 3) 1 3 (2, 3) (3, 2, 1) (1, 2, 3, 4) (1, 2, 3, 1, 2, 3) True 3 1 2\n"
         "() (1,) (1, 2) True True -3550055125485641917\n");
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_append_and_size),
    cmocka_unit_test (test_methods),
    cmocka_unit_test (test_published_refs),
    cmocka_unit_test (test_dealloc_order),
    cmocka_unit_test (test_sort),
    cmocka_unit_test (test_tuple),
    cmocka_unit_test (test_programs),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
