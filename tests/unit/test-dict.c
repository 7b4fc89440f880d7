/* test-dict.c — dict: values, sizes, tracking, messages, published KEY/VALUE references.
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

static void
test_sizes (void **state)
{
  TState *st;
  HsVm *vm = t_vm_new (&st, false);
  HsObject *d = hs_dict_new (vm), *s = hs_dict_new (vm);
  /* python3: d = {}; for i in range(12): print(sys.getsizeof(d)); d[i] = i  (and d[str(i)]) */
  static const size_t isz[12] = { 64, 224, 224, 224, 224, 224, 352, 352, 352, 352, 352, 632 };
  static const size_t ssz[12] = { 64, 184, 184, 184, 184, 184, 272, 272, 272, 272, 272, 464 };

  (void) state;
  for (int64_t i = 0; i < 12; i++)
    {
      HsObject *k = num (vm, i), *ks = hs_str_printf (vm, "%lld", (long long) i);
      assert_int_equal (hs_object_sizeof (d), isz[i]);
      assert_int_equal (hs_object_sizeof (s), ssz[i]);
      assert_int_equal (hs_dict_set (vm, d, k, k), 0);
      assert_int_equal (hs_dict_set (vm, s, ks, k), 0);
      hs_decref (vm, k);
      hs_decref (vm, ks);
    }
  assert_int_equal (hs_dict_size (d), 12);
  assert_int_equal (hs_int_value (hs_dict_get_str (vm, s, "7")), 7);
  hs_decref (vm, d);
  hs_decref (vm, s);
  t_vm_free (vm, st);
}

static void
test_api_and_order (void **state)
{
  TState *st;
  HsVm *vm = t_vm_new (&st, true);
  HsObject *d = hs_dict_new (vm), *v = num (vm, 5000), *k1 = num (vm, 1000), *k, *val;
  char buf[256];
  size_t pos = 0;
  int n = 0;

  (void) state;
  assert_int_equal (hs_dict_set_str (vm, d, "b", v), 0);
  assert_int_equal (hs_dict_set (vm, d, k1, v), 0);
  assert_int_equal (hs_dict_set_str (vm, d, "a", v), 0);
  assert_string_equal (t_str (vm, d, buf, sizeof buf), "{'b': 5000, 1000: 5000, 'a': 5000}");
  /* VALUE references are counted per target; KEY references too */
  assert_int_equal (t_refs (st, v->id), 3);
  assert_int_equal (v->refcnt, 4);
  assert_int_equal (t_refs (st, k1->id), 1);
  assert_int_equal (hs_dict_del (vm, d, k1), 0);
  assert_int_equal (t_refs (st, k1->id), 0);
  assert_int_equal (k1->refcnt, 1);
  assert_int_equal (hs_dict_del (vm, d, k1), -1);
  assert_string_equal (t_err (vm, buf, sizeof buf), "KeyError: 1000");
  assert_null (hs_dict_get (vm, d, k1));
  assert_false (hs_err_occurred (vm));
  assert_int_equal (hs_dict_set (vm, d, k1, k1), 0);
  while (hs_dict_next (d, &pos, &k, &val))
    n++;
  assert_int_equal (n, 3);
  assert_string_equal (t_str (vm, d, buf, sizeof buf), "{'b': 5000, 'a': 5000, 1000: 1000}");
  assert_int_equal (t_refs (st, k1->id), 2);   /* the key and the value */
  {
    HsObject *l = hs_list_new (vm, 0);
    assert_int_equal (hs_dict_set (vm, d, l, v), -1);
    assert_string_equal (t_err (vm, buf, sizeof buf), "TypeError: unhashable type: 'list'");
    hs_decref (vm, l);
  }
  hs_decref (vm, d);
  assert_int_equal (t_refs (st, v->id), 0);
  assert_int_equal (v->refcnt, 1);
  hs_decref (vm, v);
  hs_decref (vm, k1);
  t_vm_free (vm, st);
}

/* As CPython 3.11: a dict is tracked only once it holds something that may be tracked. */
static void
test_tracking (void **state)
{
  TState *st;
  HsVm *vm = t_vm_new (&st, false);
  HsObject *d = hs_dict_new (vm), *one = num (vm, 1), *l = hs_list_new (vm, 0);

  (void) state;
  assert_false (hs_gc_is_tracked (d));                 /* gc.is_tracked({}) */
  hs_dict_set_str (vm, d, "a", one);
  assert_false (hs_gc_is_tracked (d));                 /* gc.is_tracked({'a': 1}) */
  hs_dict_set_str (vm, d, "b", l);
  assert_true (hs_gc_is_tracked (d));                  /* gc.is_tracked({'a': []}) */
  hs_decref (vm, d);
  hs_decref (vm, l);
  hs_decref (vm, one);
  t_vm_free (vm, st);
}

static void
test_holder_kind (void **state)
{
  TState *st;
  HsVm *vm = t_vm_new (&st, true);
  HsObject *d = hs_dict_new (vm), *v = num (vm, 7777);
  TSlot *s;

  (void) state;
  hs_dict_set_holder_kind (d, HS_HOLDER_GLOBAL);
  hs_dict_set_str (vm, d, "x", v);
  s = t_slot (st, HS_HOLDER_GLOBAL, d->id, hs_str_intern (vm, "x", 1)->id);
  assert_int_equal (s->target, v->id);
  hs_decref (vm, d);
  assert_int_equal (s->target, 0);
  hs_decref (vm, v);
  t_vm_free (vm, st);
}

static void
test_programs (void **state)
{
  (void) state;
  /* expected output: python3 on the same program */
  t_run ("d = {}\n"
         "d['a'] = 1; d['b'] = [2]; d[3] = 'c'; d[(1, 2)] = None\n"
         "print(d, len(d), d['a'], d[3], d[(1, 2)])\n"
         "print(d.get('a'), d.get('zz'), d.get('zz', 5), 'a' in d, 'zz' in d, 3 not in d)\n"
         "print(d.keys(), d.values(), d.items())\n"
         "del d['a']; d['a'] = 9; print(d)\n"
         "print(d.pop('a'), d.pop('zz', 'dflt'), d.popitem(), d)\n"
         "print(d.setdefault('x', []), d.setdefault('x', 5), d)\n"
         "d.update({'y': 1}, z=2); d.update([('w', 0)]); print(d)\n"
         "e = d.copy(); e.clear(); print(e, d == d.copy(), d != e, {1: 2} == {1: 3})\n"
         "print(dict(a=1, b=2), dict([(1, 2), (3, 4)]), dict.fromkeys('ab'), dict.fromkeys([1, 2], 0))\n"
         "r = {}; r['self'] = r; print(r)\n"
         "for k, v in {'p': 1, 'q': 2}.items(): print(k, v)\n"
         "print({1: 'a', True: 'b', 1.0: 'c'})\n",
         "{'a': 1, 'b': [2], 3: 'c', (1, 2): None} 4 1 c None\n"
         "1 None 5 True False False\n"
         "dict_keys(['a', 'b', 3, (1, 2)]) dict_values([1, [2], 'c', None]) "
         "dict_items([('a', 1), ('b', [2]), (3, 'c'), ((1, 2), None)])\n"
         "{'b': [2], 3: 'c', (1, 2): None, 'a': 9}\n"
         "9 dflt ((1, 2), None) {'b': [2], 3: 'c'}\n"
         "[] [] {'b': [2], 3: 'c', 'x': []}\n"
         "{'b': [2], 3: 'c', 'x': [], 'y': 1, 'z': 2, 'w': 0}\n"
         "{} True True False\n"
         "{'a': 1, 'b': 2} {1: 2, 3: 4} {'a': None, 'b': None} {1: 0, 2: 0}\n"
         "{'self': {...}}\n"
         "p 1\n"
         "q 2\n"
         "{1: 'c'}\n");
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_sizes),
    cmocka_unit_test (test_api_and_order),
    cmocka_unit_test (test_tracking),
    cmocka_unit_test (test_holder_kind),
    cmocka_unit_test (test_programs),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
