/* test-memory.c — the allocator: exact counts, the heap cap, free lists, events, teardown. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "hs-internal.h"

static HsVm *
new_vm (size_t heap_limit)
{
  HsConfig config;
  HsVm *vm;

  hs_config_init (&config);
  config.heap_limit = heap_limit;
  vm = hs_vm_new (&config);
  assert_non_null (vm);
  return vm;
}

static void
free_vm (HsVm *vm)
{
  HsMemStats final;

  hs_vm_free (vm, &final);
  assert_int_equal (final.live_objects, 0);
  assert_int_equal (final.live_bytes, 0);
}

static void
test_counts_exact (void **state)
{
  HsVm *vm = new_vm (0);
  HsMemStats before, during, after;
  void *p;
  HsObject *s;

  hs_vm_mem_stats (vm, &before);
  p = hs_mem_alloc (vm, 100);
  assert_non_null (p);
  hs_vm_mem_stats (vm, &during);
  assert_int_equal (during.live_bytes, before.live_bytes + 100);
  assert_int_equal (during.live_objects, before.live_objects);
  hs_mem_free (vm, p, 100);
  hs_vm_mem_stats (vm, &after);
  assert_int_equal (after.live_bytes, before.live_bytes);

  s = hs_str_from_cstr (vm, "a string that is not interned");
  assert_non_null (s);
  hs_vm_mem_stats (vm, &during);
  assert_int_equal (during.live_objects, before.live_objects + 1);
  assert_int_equal (during.live_bytes, before.live_bytes + s->alloc_size);
  assert_true (during.total_allocations > before.total_allocations);
  hs_decref (vm, s);
  hs_vm_mem_stats (vm, &after);
  assert_int_equal (after.live_objects, before.live_objects);
  assert_int_equal (after.live_bytes, before.live_bytes);
  free_vm (vm);
}

static void
test_realloc_counts (void **state)
{
  HsVm *vm = new_vm (0);
  HsMemStats before, after;
  char *p;
  int i;

  hs_vm_mem_stats (vm, &before);
  p = hs_mem_alloc (vm, 8);
  memcpy (p, "abcdefg", 8);
  for (i = 1; i < 12; i++)
    {
      p = hs_mem_realloc (vm, p, (size_t) 8 << (i - 1), (size_t) 8 << i);
      assert_non_null (p);
      assert_string_equal (p, "abcdefg");
    }
  hs_vm_mem_stats (vm, &after);
  assert_int_equal (after.live_bytes, before.live_bytes + ((size_t) 8 << 11));
  p = hs_mem_realloc (vm, p, (size_t) 8 << 11, 16);
  assert_string_equal (p, "abcdefg");
  hs_mem_free (vm, p, 16);
  hs_vm_mem_stats (vm, &after);
  assert_int_equal (after.live_bytes, before.live_bytes);
  free_vm (vm);
}

static void
test_heap_cap (void **state)
{
  HsVm *vm = new_vm (1 << 20);
  void *p;
  HsMemStats s;

  hs_vm_mem_stats (vm, &s);
  p = hs_mem_alloc (vm, 2 << 20);
  assert_null (p);
  assert_true (hs_err_matches (vm, HS_EXC (vm, MEMORY_ERROR)));
  hs_err_clear (vm);
  /* A huge size must not wrap around. */
  p = hs_mem_alloc (vm, SIZE_MAX - 8);
  assert_null (p);
  assert_true (hs_err_matches (vm, HS_EXC (vm, MEMORY_ERROR)));
  hs_err_clear (vm);
  p = hs_mem_realloc (vm, NULL, 0, 4 << 20);
  assert_null (p);
  hs_err_clear (vm);
  /* Below the cap it works. */
  p = hs_mem_alloc (vm, 1000);
  assert_non_null (p);
  hs_mem_free (vm, p, 1000);
  free_vm (vm);
}

static void
test_free_lists_reuse (void **state)
{
  HsVm *vm = new_vm (0);
  void *blocks[64];
  void *again;
  HsMemStats before, after;
  int i;

  hs_vm_mem_stats (vm, &before);
  for (i = 0; i < 64; i++)
    blocks[i] = hs_mem_alloc (vm, 48);
  for (i = 0; i < 64; i++)
    hs_mem_free (vm, blocks[i], 48);
  hs_vm_mem_stats (vm, &after);
  assert_int_equal (after.live_bytes, before.live_bytes);   /* free lists are not live */
  again = hs_mem_alloc (vm, 40);     /* same size class (48) */
  assert_ptr_equal (again, blocks[63]);
  hs_mem_free (vm, again, 40);
  free_vm (vm);
}

typedef struct {
  int allocs;
  int frees;
  int refs;
  HsId last_alloc;
  HsId last_free;
  uint64_t last_seq;
  bool seq_ok;
} Counter;

static int
count_hook (void *user_data, const HsEvent *ev)
{
  Counter *c = user_data;

  if (ev->seq != c->last_seq + 1)
    c->seq_ok = false;
  c->last_seq = ev->seq;
  if (ev->kind == HS_EV_ALLOC)
    {
      c->allocs++;
      c->last_alloc = ev->u.alloc.id;
    }
  else if (ev->kind == HS_EV_FREE)
    {
      c->frees++;
      c->last_free = ev->u.free.id;
    }
  else if (ev->kind == HS_EV_REF)
    c->refs++;
  return 0;
}

static void
test_alloc_free_events (void **state)
{
  HsConfig config;
  Counter c = { 0 };
  HsVm *vm;
  HsObject *s;
  HsMemStats final;
  int allocs0;

  c.seq_ok = true;
  hs_config_init (&config);
  config.hook = count_hook;
  config.hook_mask = HS_EVMASK (HS_EV_ALLOC) | HS_EVMASK (HS_EV_FREE);
  config.user_data = &c;
  vm = hs_vm_new (&config);
  assert_non_null (vm);
  allocs0 = c.allocs;
  assert_true (allocs0 > 0);             /* start-up objects were published */
  s = hs_str_from_cstr (vm, "event test string");
  /* Published lazily: not yet. */
  assert_int_equal (c.allocs, allocs0);
  hs_decref (vm, s);
  /* Freeing publishes the pending ALLOC first, then FREE. */
  assert_int_equal (c.allocs, allocs0 + 1);
  assert_int_equal (c.last_alloc, c.last_free);
  hs_vm_free (vm, &final);
  assert_int_equal (final.live_objects, 0);
  assert_int_equal (final.live_bytes, 0);
  assert_int_equal (c.allocs, c.frees);
  assert_true (c.seq_ok);
}

/* An int's alloc event carries its value, not a text; hs_event_alloc_describe writes
 * the text, every digit count and sign included. Other objects keep their describe. */
static int
keep_int_hook (void *user_data, const HsEvent *ev)
{
  HsEvent *last = user_data;

  if (ev->kind == HS_EV_ALLOC && ev->u.alloc.has_int)
    *last = *ev;
  return 0;
}

static void
test_int_alloc_text (void **state)
{
  static const struct { int64_t v; const char *text; } cases[] = {
    { 257, "257" }, { 1000, "1000" }, { 99999, "99999" }, { -257, "-257" },
    { -1000000, "-1000000" }, { INT64_MAX, "9223372036854775807" },
    { INT64_MIN, "-9223372036854775808" }, { 1234567890123, "1234567890123" },
  };
  char buf[HS_EVENT_INT_TEXT];
  HsEvent ev = { .kind = HS_EV_ALLOC };
  HsConfig config;
  HsVm *vm;

  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    {
      ev.u.alloc.has_int = true;
      ev.u.alloc.int_value = cases[i].v;
      assert_string_equal (hs_event_alloc_describe (&ev, buf), cases[i].text);
    }
  ev.u.alloc.has_int = false;
  ev.u.alloc.describe = "'text'";
  assert_string_equal (hs_event_alloc_describe (&ev, buf), "'text'");
  ev.u.alloc.describe = NULL;
  assert_null (hs_event_alloc_describe (&ev, buf));

  /* From a running program: the int 12345 is published with its value. */
  memset (&ev, 0, sizeof ev);
  hs_config_init (&config);
  config.hook = keep_int_hook;
  config.hook_mask = HS_EVMASK (HS_EV_ALLOC);
  config.user_data = &ev;
  vm = hs_vm_new (&config);
  {
    static const char src[] = "x = 12340\ny = x + 5\n";
    assert_int_equal (hs_vm_run (vm, "<t>", src, strlen (src)), HS_RESULT_OK);
  }
  assert_true (ev.u.alloc.has_int);
  assert_null (ev.u.alloc.describe);
  assert_string_equal (hs_event_alloc_describe (&ev, buf), "12345");
  free_vm (vm);
}

/* Appends the text of each class a program creates (not the runtime's own types). */
static int
class_text_hook (void *user_data, const HsEvent *ev)
{
  char *texts = user_data;

  if (ev->kind == HS_EV_ALLOC && !ev->u.alloc.immortal && strcmp (ev->u.alloc.type_name, "type") == 0
      && ev->u.alloc.describe != NULL)
    {
      strncat (texts, ev->u.alloc.describe, 255 - strlen (texts));
      strncat (texts, ";", 255 - strlen (texts));
    }
  return 0;
}

/* A class is published as it is being made, from a copy of its base: its ALLOC
 * text must name the class itself, not the base. */
static void
test_class_alloc_text (void **state)
{
  static const char src[] = "class Point:\n    pass\nclass Dog(Point):\n    pass\n";
  char texts[256] = "";
  HsConfig config;
  HsVm *vm;

  hs_config_init (&config);
  config.hook = class_text_hook;
  config.hook_mask = HS_EVMASK_ALL;
  config.user_data = texts;
  vm = hs_vm_new (&config);
  assert_int_equal (hs_vm_run (vm, "<t>", src, strlen (src)), HS_RESULT_OK);
  assert_string_equal (texts, "<class '__main__.Point'>;<class '__main__.Dog'>;");
  free_vm (vm);
}

static void
test_ids_never_reused (void **state)
{
  HsVm *vm = new_vm (0);
  HsObject *a = hs_str_from_cstr (vm, "first object here");
  HsId ida = a->id;
  HsObject *b;

  hs_decref (vm, a);
  b = hs_str_from_cstr (vm, "second object here");
  assert_true (b->id > ida);
  hs_decref (vm, b);
  free_vm (vm);
}

static void
test_deep_chain_dealloc (void **state)
{
  HsVm *vm = new_vm (0);
  HsObject *head = hs_list_new (vm, 0);
  HsMemStats before, after;
  int i;

  hs_vm_mem_stats (vm, &before);
  /* 200,000 nested lists: freeing must not recurse on the C stack. */
  for (i = 0; i < 200000; i++)
    {
      HsObject *outer = hs_list_new (vm, 1);
      assert_non_null (outer);
      assert_int_equal (hs_list_append (vm, outer, head), 0);
      hs_decref (vm, head);
      head = outer;
    }
  hs_decref (vm, head);
  hs_vm_mem_stats (vm, &after);
  assert_true (after.live_objects < before.live_objects);
  free_vm (vm);
}

static void
test_recursion_guard (void **state)
{
  HsVm *vm = new_vm (0);
  int i, ok = 0;

  for (i = 0; i < 5000; i++)
    {
      if (!hs_enter_recursive_call (vm, "while testing"))
        break;
      ok++;
    }
  assert_true (ok < 5000);
  assert_true (hs_err_matches (vm, HS_EXC (vm, RECURSION_ERROR)));
  hs_err_clear (vm);
  for (i = 0; i < ok; i++)
    hs_leave_recursive_call (vm);
  assert_int_equal (vm->c_depth, 0);
  free_vm (vm);
}

static void
test_zero_at_teardown (void **state)
{
  HsVm *vm = new_vm (0);
  HsMemStats s;

  hs_vm_mem_stats (vm, &s);
  assert_true (s.live_objects > 100);    /* types, small ints, singletons... */
  free_vm (vm);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_counts_exact),
    cmocka_unit_test (test_int_alloc_text),
    cmocka_unit_test (test_class_alloc_text),
    cmocka_unit_test (test_realloc_counts),
    cmocka_unit_test (test_heap_cap),
    cmocka_unit_test (test_free_lists_reuse),
    cmocka_unit_test (test_alloc_free_events),
    cmocka_unit_test (test_ids_never_reused),
    cmocka_unit_test (test_deep_chain_dealloc),
    cmocka_unit_test (test_recursion_guard),
    cmocka_unit_test (test_zero_at_teardown),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
