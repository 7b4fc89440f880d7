/* test-vm.c — the interpreter end to end: output, tracebacks, limits, and exact reference events. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hs-internal.h"

typedef struct {
  char  *out;
  size_t out_len;
  char  *err;
  size_t err_len;
} Capture;

static void
capture_write (void *user_data, HsStream stream, const char *text, size_t len)
{
  Capture *c = user_data;
  char **buf = stream == HS_STREAM_STDERR ? &c->err : &c->out;
  size_t *n = stream == HS_STREAM_STDERR ? &c->err_len : &c->out_len;

  *buf = realloc (*buf, *n + len + 1);
  memcpy (*buf + *n, text, len);
  *n += len;
  (*buf)[*n] = '\0';
}

static void
capture_clear (Capture *c)
{
  free (c->out);
  free (c->err);
  memset (c, 0, sizeof *c);
}

typedef struct {
  HsProfile profile;
  uint64_t  step_limit;
  size_t    heap_limit;
  HsHookFunc hook;
  uint32_t  hook_mask;
  void     *hook_data;
} RunOptions;

static HsResult
run_full (const char *src, const RunOptions *opt, Capture *cap, int *status)
{
  HsConfig config;
  HsVm *vm;
  HsResult r;
  HsMemStats final;

  hs_config_init (&config);
  config.write = capture_write;
  config.user_data = cap;
  if (opt != NULL)
    {
      config.profile = opt->profile;
      if (opt->step_limit != 0)
        config.step_limit = opt->step_limit;
      if (opt->heap_limit != 0)
        config.heap_limit = opt->heap_limit;
      config.hook = opt->hook;
      config.hook_mask = opt->hook_mask;
      /* The hook's data starts with the Capture, so the writer can share it. */
      if (opt->hook != NULL)
        config.user_data = opt->hook_data;
    }
  vm = hs_vm_new (&config);
  assert_non_null (vm);
  r = hs_vm_run (vm, "prog.py", src, strlen (src));
  if (status != NULL)
    *status = hs_vm_exit_status (vm);
  hs_vm_free (vm, &final);
  assert_int_equal (final.live_objects, 0);
  assert_int_equal (final.live_bytes, 0);
  return r;
}

static HsResult
run (const char *src, Capture *cap)
{
  return run_full (src, NULL, cap, NULL);
}

static void
expect_output (const char *src, const char *expected)
{
  Capture cap = { 0 };
  HsResult r = run (src, &cap);

  if (r != HS_RESULT_OK)
    fprintf (stderr, "stderr: %s\n", cap.err != NULL ? cap.err : "");
  assert_int_equal (r, HS_RESULT_OK);
  assert_string_equal (cap.out != NULL ? cap.out : "", expected);
  capture_clear (&cap);
}

static void
test_basics (void **state)
{
  expect_output ("print('hello', 1 + 2)\n", "hello 3\n");
  expect_output ("x = 7\ny = x * 6\nprint(x, y, x - y, y // x, y % 5)\n", "7 42 -35 6 2\n");
  expect_output ("i = 0\ntotal = 0\nwhile i < 100:\n    total += i\n    i += 1\nprint(total)\n", "4950\n");
  expect_output ("print(2**61 + 2**61 - 1 > 0)\n", "True\n");
}

static void
test_functions (void **state)
{
  expect_output ("def f(a, b=2, *rest, k=5, **kw):\n    return (a, b, rest, k, sorted(kw))\n"
                 "print(f(1))\nprint(f(1, 3, 4, 5, k=6, z=1))\n",
                 "(1, 2, (), 5, [])\n(1, 3, (4, 5), 6, ['z'])\n");
  expect_output ("def fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\nprint(fib(20))\n", "6765\n");
  expect_output ("def outer():\n    x = 1\n    def inner():\n        nonlocal x\n        x += 1\n        return x\n"
                 "    return inner\ng = outer()\nprint(g(), g())\n", "2 3\n");
}

static void
test_call_errors (void **state)
{
  static const struct { const char *src; const char *msg; } cases[] = {
    { "def f(x): pass\nf()\n", "TypeError: f() missing 1 required positional argument: 'x'\n" },
    { "def f(x, y): pass\nf()\n", "TypeError: f() missing 2 required positional arguments: 'x' and 'y'\n" },
    { "def f(a, b): pass\nf(1, 2, 3)\n", "TypeError: f() takes 2 positional arguments but 3 were given\n" },
    { "def f(a): pass\nf(1, z=2)\n", "TypeError: f() got an unexpected keyword argument 'z'\n" },
    { "def f(x): pass\nf(1, x=2)\n", "TypeError: f() got multiple values for argument 'x'\n" },
  };
  size_t i;

  for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
    {
      Capture cap = { 0 };
      assert_int_equal (run (cases[i].src, &cap), HS_RESULT_RUNTIME_ERROR);
      assert_non_null (cap.err);
      assert_non_null (strstr (cap.err, cases[i].msg));
      capture_clear (&cap);
    }
}

static void
test_classes (void **state)
{
  expect_output ("class A:\n    def __init__(self, x):\n        self.x = x\n    def get(self):\n        return self.x\n"
                 "class B(A):\n    def __init__(self, x):\n        super().__init__(x * 2)\n"
                 "    def __repr__(self):\n        return f'B({self.x})'\n"
                 "b = B(3)\nprint(b.get(), b, isinstance(b, A), type(b).__name__)\n",
                 "6 B(6) True B\n");
  expect_output ("class V:\n    def __init__(self, v): self.v = v\n    def __add__(self, o): return V(self.v + o.v)\n"
                 "    def __eq__(self, o): return self.v == o.v\n    def __len__(self): return self.v\n"
                 "print((V(1) + V(2)).v, V(3) == V(3), len(V(4)))\n"
                 "try:\n    hash(V(1))\nexcept TypeError as e:\n    print(e)\n",
                 "3 True 4\nunhashable type: 'V'\n");
  expect_output ("class P: pass\np = P()\ntry:\n    p.z\nexcept AttributeError as e:\n    print(e)\n",
                 "'P' object has no attribute 'z'\n");
  expect_output ("class MyError(ValueError):\n    pass\ntry:\n    raise MyError('bad')\nexcept ValueError as e:\n"
                 "    print(type(e).__name__, e, e.args)\n", "MyError bad ('bad',)\n");
  expect_output ("try:\n    {}['k']\nexcept KeyError as e:\n    print(str(e), repr(e))\n", "'k' KeyError('k')\n");
}

static void
test_del_and_deep_chain (void **state)
{
  expect_output ("class D:\n    def __init__(self, n): self.n = n\n    def __del__(self): print('del', self.n)\n"
                 "a = D(1)\nb = D(2)\ndel a\nprint('mid')\nb = None\nprint('end')\n",
                 "del 1\nmid\ndel 2\nend\n");
  expect_output ("class N:\n    def __init__(self, nxt): self.nxt = nxt\nhead = None\nfor i in range(100000):\n"
                 "    head = N(head)\nhead = None\nprint('ok')\n", "ok\n");
}

static void
test_traceback_format (void **state)
{
  Capture cap = { 0 };

  assert_int_equal (run ("def f(a, b):\n    return a / b\n\nx = f(1, 0)\n", &cap), HS_RESULT_RUNTIME_ERROR);
  assert_string_equal (cap.err,
                       "Traceback (most recent call last):\n"
                       "  File \"prog.py\", line 4, in <module>\n"
                       "    x = f(1, 0)\n"
                       "        ^^^^^^^\n"
                       "  File \"prog.py\", line 2, in f\n"
                       "    return a / b\n"
                       "           ~~^~~\n"
                       "ZeroDivisionError: division by zero\n");
  capture_clear (&cap);

  assert_int_equal (run ("try:\n    1/0\nexcept ZeroDivisionError:\n    undefined_name\n", &cap), HS_RESULT_RUNTIME_ERROR);
  assert_non_null (strstr (cap.err, "During handling of the above exception, another exception occurred:"));
  assert_non_null (strstr (cap.err, "NameError: name 'undefined_name' is not defined\n"));
  capture_clear (&cap);

  assert_int_equal (run ("try:\n    1/0\nexcept ZeroDivisionError as e:\n    raise ValueError('v') from e\n", &cap),
                    HS_RESULT_RUNTIME_ERROR);
  assert_non_null (strstr (cap.err, "The above exception was the direct cause of the following exception:"));
  capture_clear (&cap);
}

static void
test_imports_and_sys (void **state)
{
  Capture cap = { 0 };
  int status = -1;

  expect_output ("import sys\nmessage = 'Hello, Zenva learners!'\nprint(sys.getrefcount(message))\n"
                 "another = message\nprint(sys.getrefcount(message))\ndel another\nprint(sys.getrefcount(message))\n",
                 "2\n3\n2\n");
  {
    RunOptions opt = { 0 };
    opt.profile = HS_PROFILE_CPYTHON;
    assert_int_equal (run_full ("import sys\nmessage = 'Hello, Zenva learners!'\nprint(sys.getrefcount(message))\n"
                                "another = message\nprint(sys.getrefcount(message))\n", &opt, &cap, NULL), HS_RESULT_OK);
    assert_string_equal (cap.out, "3\n4\n");
    capture_clear (&cap);
  }
  expect_output ("import sys\nprint(sys.getrecursionlimit())\nsys.setrecursionlimit(50)\nprint(sys.getrecursionlimit())\n",
                 "1000\n50\n");
  assert_int_equal (run ("import os\n", &cap), HS_RESULT_RUNTIME_ERROR);
  assert_non_null (strstr (cap.err, "ModuleNotFoundError: No module named 'os'\n"));
  capture_clear (&cap);

  assert_int_equal (run_full ("import sys\nprint('a')\nsys.exit(3)\nprint('b')\n", NULL, &cap, &status), HS_RESULT_EXIT);
  assert_int_equal (status, 3);
  assert_string_equal (cap.out, "a\n");
  capture_clear (&cap);
  assert_int_equal (run_full ("import sys\nsys.exit('bye')\n", NULL, &cap, &status), HS_RESULT_EXIT);
  assert_int_equal (status, 1);
  assert_string_equal (cap.err, "bye\n");
  capture_clear (&cap);
}

static void
test_limits (void **state)
{
  Capture cap = { 0 };
  RunOptions opt = { 0 };

  opt.step_limit = 1000;
  assert_int_equal (run_full ("while True:\n    pass\n", &opt, &cap, NULL), HS_RESULT_LIMIT);
  assert_non_null (strstr (cap.err, "heapscope: step limit of 1000 line steps reached"));
  capture_clear (&cap);

  /* try/except cannot swallow the step limit. */
  assert_int_equal (run_full ("while True:\n    try:\n        pass\n    except BaseException:\n        pass\n",
                              &opt, &cap, NULL), HS_RESULT_LIMIT);
  capture_clear (&cap);

  memset (&opt, 0, sizeof opt);
  opt.heap_limit = 16 << 20;
  assert_int_equal (run_full ("try:\n    x = [0] * 10**9\nexcept MemoryError:\n    print('MemoryError')\n", &opt, &cap, NULL),
                    HS_RESULT_OK);
  assert_string_equal (cap.out, "MemoryError\n");
  capture_clear (&cap);

  assert_int_equal (run ("def f(n):\n    return f(n + 1)\nf(0)\n", &cap), HS_RESULT_RUNTIME_ERROR);
  assert_non_null (strstr (cap.err, "[Previous line repeated 996 more times]\n"));
  assert_non_null (strstr (cap.err, "RecursionError: maximum recursion depth exceeded\n"));
  capture_clear (&cap);
}

typedef struct {
  Capture cap;      /* first: run_full gives the hook data to the writer too */
  int lines;
  int stop_after;
} LineCounter;

static int
line_hook (void *user_data, const HsEvent *ev)
{
  LineCounter *lc = user_data;

  if (ev->kind == HS_EV_LINE)
    lc->lines++;
  return lc->stop_after > 0 && lc->lines >= lc->stop_after;
}

static void
test_interrupt_and_lines (void **state)
{
  LineCounter lc = { 0 };
  RunOptions opt = { 0 };

  opt.hook = line_hook;
  opt.hook_mask = HS_EVMASK (HS_EV_LINE);
  opt.hook_data = &lc;
  assert_int_equal (run_full ("x = 1\ny = 2\nfor i in range(3):\n    x += i\nprint(x)\n", &opt, &lc.cap, NULL), HS_RESULT_OK);
  /* CPython 3.11 line events: 1, 2, 3, (4, 3) x3, 5 = 10. */
  assert_int_equal (lc.lines, 10);
  assert_string_equal (lc.cap.out, "4\n");
  capture_clear (&lc.cap);

  memset (&lc, 0, sizeof lc);
  lc.stop_after = 50;
  assert_int_equal (run_full ("while True:\n    pass\n", &opt, &lc.cap, NULL), HS_RESULT_CANCELLED);
  assert_int_equal (lc.lines, 50);
  capture_clear (&lc.cap);
}

/* ---- the reference-event invariant ------------------------------------------------ */

typedef struct {
  Capture  cap;
  int64_t *counts;
  uint8_t *immortal;
  uint8_t *alive;
  size_t   cap_ids;
  long     errors;
  long     refs;
  bool     started;   /* start-up (builtins made by C code) is not checked */
  char     first_error[256];
} RefChecker;

static void
ensure (RefChecker *rc, HsId id)
{
  if (id >= rc->cap_ids)
    {
      size_t n = rc->cap_ids ? rc->cap_ids : 1024;
      while (n <= id)
        n *= 2;
      rc->counts = realloc (rc->counts, n * sizeof *rc->counts);
      rc->immortal = realloc (rc->immortal, n);
      rc->alive = realloc (rc->alive, n);
      memset (rc->counts + rc->cap_ids, 0, (n - rc->cap_ids) * sizeof *rc->counts);
      memset (rc->immortal + rc->cap_ids, 0, n - rc->cap_ids);
      memset (rc->alive + rc->cap_ids, 0, n - rc->cap_ids);
      rc->cap_ids = n;
    }
}

static void
ref_error (RefChecker *rc, const HsEvent *ev, const char *what, HsId id, int64_t have, int64_t want)
{
  if (!rc->started)
    return;
  if (getenv ("HS_TEST_VERBOSE") != NULL)
    fprintf (stderr, "  event %llu %s holder %s slot %llu name %s: %s id %llu published %lld refcount %lld\n",
             (unsigned long long) ev->seq, hs_event_kind_name (ev->kind),
             ev->kind == HS_EV_REF ? hs_holder_kind_name (ev->u.ref.holder_kind) : "-",
             ev->kind == HS_EV_REF ? (unsigned long long) ev->u.ref.slot : 0ULL,
             ev->kind == HS_EV_REF && ev->u.ref.name ? ev->u.ref.name : "-",
             what, (unsigned long long) id, (long long) have, (long long) want);
  if (rc->errors++ == 0)
    snprintf (rc->first_error, sizeof rc->first_error,
              "event %llu (%s holder %s slot %llu name %s): %s id %llu published %lld, refcount %lld",
              (unsigned long long) ev->seq, hs_event_kind_name (ev->kind),
              ev->kind == HS_EV_REF ? hs_holder_kind_name (ev->u.ref.holder_kind) : "-",
              ev->kind == HS_EV_REF ? (unsigned long long) ev->u.ref.slot : 0ULL,
              ev->kind == HS_EV_REF && ev->u.ref.name ? ev->u.ref.name : "-",
              what, (unsigned long long) id, (long long) have, (long long) want);
}

static int
ref_hook (void *user_data, const HsEvent *ev)
{
  RefChecker *rc = user_data;

  switch (ev->kind)
    {
    case HS_EV_CALL:
      rc->started = true;
      break;
    case HS_EV_ALLOC:
      ensure (rc, ev->u.alloc.id);
      rc->immortal[ev->u.alloc.id] = ev->u.alloc.immortal;
      rc->alive[ev->u.alloc.id] = 1;
      rc->counts[ev->u.alloc.id] = 0;
      break;
    case HS_EV_REF:
      rc->refs++;
      if (ev->u.ref.old_target != 0)
        {
          HsId id = ev->u.ref.old_target;
          ensure (rc, id);
          rc->counts[id]--;
          if (!rc->immortal[id] && rc->alive[id] && rc->counts[id] != ev->u.ref.old_refcnt)
            ref_error (rc, ev, "old", id, rc->counts[id], ev->u.ref.old_refcnt);
        }
      if (ev->u.ref.new_target != 0)
        {
          HsId id = ev->u.ref.new_target;
          ensure (rc, id);
          rc->counts[id]++;
          if (!rc->immortal[id] && rc->alive[id] && rc->counts[id] != ev->u.ref.new_refcnt)
            ref_error (rc, ev, "new", id, rc->counts[id], ev->u.ref.new_refcnt);
        }
      break;
    case HS_EV_FREE:
      ensure (rc, ev->u.free.id);
      if (!rc->immortal[ev->u.free.id] && ev->u.free.cause != HS_FREE_TEARDOWN && rc->counts[ev->u.free.id] != 0)
        ref_error (rc, ev, "freed", ev->u.free.id, rc->counts[ev->u.free.id], 0);
      rc->alive[ev->u.free.id] = 0;
      break;
    default:
      break;
    }
  return 0;
}

static void
check_refs (const char *src, HsProfile profile)
{
  RefChecker rc = { 0 };
  RunOptions opt = { 0 };
  HsResult r;

  opt.profile = profile;
  opt.hook = ref_hook;
  opt.hook_mask = HS_EVMASK_ALL;
  opt.hook_data = &rc;
  r = run_full (src, &opt, &rc.cap, NULL);
  if (rc.errors != 0 || r != HS_RESULT_OK)
    fprintf (stderr, "program:\n%s\nresult %d, %ld errors; first: %s\nstderr: %s\n", src, r, rc.errors,
             rc.first_error, rc.cap.err != NULL ? rc.cap.err : "");
  assert_int_equal (r, HS_RESULT_OK);
  assert_true (rc.refs > 0);
  assert_int_equal (rc.errors, 0);
  capture_clear (&rc.cap);
  free (rc.counts);
  free (rc.immortal);
  free (rc.alive);
}

static const char *const ref_programs[] = {
  "import sys\nmessage = 'Hello, Zenva learners!'\nprint(sys.getrefcount(message))\nanother = message\n"
  "print(sys.getrefcount(message))\ndel another\nprint(sys.getrefcount(message))\n",
  "x = 1000\ny = x + 1\nz = [x, y, 'abc']\nz.append(z)\nprint(len(z))\n",
  "def f(a, b=2):\n    c = a * b\n    return c\nprint(f(300), f(400, 500))\n",
  "class P:\n    def __init__(self, x):\n        self.x = x\n    def get(self):\n        return self.x\np = P(1234)\nprint(p.get())\n",
  "d = {'a': 1000, 'b': [1, 2]}\nd['c'] = d['a'] + 1\ndel d['a']\nprint(d)\n",
  "def outer():\n    v = 'cell value'\n    def inner():\n        return v\n    return inner\nprint(outer()())\n",
  "try:\n    raise ValueError('boom')\nexcept ValueError as e:\n    print(e)\nprint('after')\n",
  "t = (1000, 2000)\na, b = t\nprint(a + b)\nfor i in range(3):\n    s = str(i) + 'x'\nprint(s)\n",
  "l = [i * 1000 for i in range(10)]\nprint(sum(l), max(l))\n",
  "class D:\n    def __del__(self):\n        print('bye')\nd = D()\nd = None\nprint('end')\n",
  "s = ''\nfor w in ['x', 'y', 'z']:\n    s += w * 2\nprint(s, f'{s!r:>10}')\n",
  "import gc\na = []\na.append(a)\ndel a\nprint(gc.collect() >= 1)\n",
};

static void
test_reference_events (void **state)
{
  size_t i;

  for (i = 0; i < sizeof ref_programs / sizeof ref_programs[0]; i++)
    {
      check_refs (ref_programs[i], HS_PROFILE_TUTORIAL);
      check_refs (ref_programs[i], HS_PROFILE_CPYTHON);
    }
}

/* The fast paths of the events-off loop (inline caches, int operators, inline __init__
 * frames, the literal compare) against CPython's output, and the same programs with
 * every event on (exact reference counts). */
static const struct { const char *src; const char *out; } fast_path_programs[] = {
  { "x = 1\ndef f():\n    return x\nprint(f())\nx = 2\nprint(f())\ndel x\ntry:\n    f()\nexcept NameError as e:\n    print(e)\n"
    "x = 'back'\nprint(f())\n",
    "1\n2\nname 'x' is not defined\nback\n" },
  { "a = 1\nb = 2\nfor i in range(3):\n    a = a + b\n    c = [a]\nprint(a, c)\ndel a\na = 5\nprint(a)\n",
    "7 [7]\n5\n" },
  { "class P:\n    def __init__(self, x):\n        self.x = x\n    def get(self):\n        return self.x\n"
    "p = P(1)\nq = P(2)\nq.y = 3\nfor o in (p, q, p):\n    print(o.x, o.get())\n"
    "p.get = lambda: 'shadow'\nprint(p.get(), q.get())\ndel p.x\np.x = 9\nprint(p.x)\n"
    "P.get = lambda self: 'patched'\nprint(q.get())\n",
    "1 1\n2 2\n1 1\nshadow 2\n9\npatched\n" },
  { "print(-7 // 2, -7 % 2, 7 // -2, 7 % -2, 1 << 62, -1 >> 100, 5 >> 64, 6 & 3, 6 | 3, 6 ^ 3)\n"
    "try:\n    1 // 0\nexcept ZeroDivisionError as e:\n    print(e)\n"
    "try:\n    1 << -1\nexcept ValueError as e:\n    print(e)\n",
    "-4 1 -4 -1 4611686018427387904 -1 0 2 7 5\ninteger division or modulo by zero\nnegative shift count\n" },
  { "i = 0\nwhile i < 100000:\n    i += 7\nprint(i, i < 100000, 100000 < i)\n", "100002 False True\n" },
  { "import sys\nclass A:\n    def __init__(self, x):\n        self.x = x\nclass B(A):\n    def __init__(self, x, y):\n"
    "        A.__init__(self, x)\n        self.y = y\nclass Bad:\n    def __init__(self):\n        return 5\n"
    "class Raiser:\n    def __init__(self, v):\n        self.v = v\n        raise ValueError(v)\n"
    "a = A(1)\nb = B(2, 3)\nprint(a.x, b.x, b.y, sys.getrefcount(a), A(x=4).x)\n"
    "try:\n    Bad()\nexcept TypeError as e:\n    print(e)\n"
    "try:\n    Raiser(7)\nexcept ValueError as e:\n    print(repr(e))\n"
    "class R:\n    def __init__(self, n):\n        self.c = R(n - 1) if n > 0 else None\n"
    "try:\n    R(5000)\nexcept RecursionError as e:\n    print(e)\n",
    "1 2 3 2 4\n__init__() should return None, not 'int'\nValueError(7)\nmaximum recursion depth exceeded\n" },
  { "print({10, 100, 1000, 5, 7, 3})\nprint({33, 1, 65, 17, 9})\n", "{3, 100, 5, 7, 1000, 10}\n{65, 1, 33, 17, 9}\n" },
};

static void
test_fast_paths (void **state)
{
  size_t i;

  for (i = 0; i < sizeof fast_path_programs / sizeof fast_path_programs[0]; i++)
    {
      expect_output (fast_path_programs[i].src, fast_path_programs[i].out);
      check_refs (fast_path_programs[i].src, HS_PROFILE_TUTORIAL);
      check_refs (fast_path_programs[i].src, HS_PROFILE_CPYTHON);
    }
  /* A property on a subclass turns the instance fast paths off; super().__init__ from
   * an inline __init__.  (Events off only: with events on, HEAD already publishes one
   * stack reference too few around property getters and super() calls.) */
  expect_output ("class P:\n    def __init__(self, x):\n        self.x = x\n"
                 "class Q(P):\n    @property\n    def x(self):\n        return 'prop'\n    @x.setter\n"
                 "    def x(self, v):\n        pass\n"
                 "class S(P):\n    def __init__(self, x, y):\n        super().__init__(x)\n        self.y = y\n"
                 "print(P(1).x, Q(5).x, S(2, 3).x, S(2, 3).y)\n", "1 prop 2 3\n");
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_basics),
    cmocka_unit_test (test_functions),
    cmocka_unit_test (test_call_errors),
    cmocka_unit_test (test_classes),
    cmocka_unit_test (test_del_and_deep_chain),
    cmocka_unit_test (test_traceback_format),
    cmocka_unit_test (test_imports_and_sys),
    cmocka_unit_test (test_limits),
    cmocka_unit_test (test_interrupt_and_lines),
    cmocka_unit_test (test_reference_events),
    cmocka_unit_test (test_fast_paths),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
