/* test-compiler.c — the symbol table, the bytecode compiler and code objects. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hs-compiler.h"

/* ---- helpers -------------------------------------------------------------------- */

typedef struct {
  HsVm         *vm;
  HsArena      *arena;
  HsSyntaxError err;
} Ctx;

static void
ctx_init (Ctx *t, HsProfile profile)
{
  HsConfig cfg;

  hs_config_init (&cfg);
  cfg.profile = profile;
  memset (t, 0, sizeof *t);
  t->vm = hs_vm_new (&cfg);
  assert_non_null (t->vm);
  t->arena = hs_arena_new ();
  assert_non_null (t->arena);
}

static void
ctx_fini (Ctx *t)
{
  HsMemStats st;

  hs_syntax_error_clear (&t->err);
  hs_arena_free (t->arena);
  hs_vm_free (t->vm, &st);
  assert_int_equal (st.live_objects, 0);
  assert_int_equal (st.live_bytes, 0);
}

/* Compiles src; returns the module code (new ref) or NULL with t->err filled. */
static HsObject *
compile_src (Ctx *t, const char *src)
{
  HsModule *mod;

  hs_syntax_error_clear (&t->err);
  memset (&t->err, 0, sizeof t->err);
  mod = hs_parse (t->arena, src, strlen (src), &t->err);
  if (mod == NULL)
    return NULL;
  return hs_compile (t->vm, mod, "test.py", src, strlen (src), &t->err);
}

static HsObject *
must_compile (Ctx *t, const char *src)
{
  HsObject *code = compile_src (t, src);

  if (code == NULL)
    fail_msg ("compile failed: %s: %s (line %u)", t->err.type_name, t->err.message,
              t->err.lineno);
  return code;
}

/* The nested code object named `name` among the constants (depth first, iterative). */
static HsCode *
find_code (HsObject *root, const char *name)
{
  HsCode *stack[64];
  int n = 0;

  stack[n++] = HS_CODE (root);
  while (n > 0)
    {
      HsCode *co = stack[--n];
      if (strcmp (hs_str_data (co->name), name) == 0)
        return co;
      for (uint32_t i = 0; i < co->nconsts; i++)
        if (co->consts[i] != NULL && strcmp (HS_TYPE (co->consts[i])->name, "code") == 0
            && n < 64)
          stack[n++] = HS_CODE (co->consts[i]);
    }
  return NULL;
}

static int
count_op (const HsCode *co, HsOpcode op)
{
  int n = 0;

  for (uint32_t i = 0; i < co->ninstrs; i++)
    n += co->code[i].op == op;
  return n;
}

static int
find_op (const HsCode *co, HsOpcode op)
{
  for (uint32_t i = 0; i < co->ninstrs; i++)
    if (co->code[i].op == op)
      return (int) i;
  return -1;
}

/* ---- tests -------------------------------------------------------------------------- */

static void
test_module_listing (void **state)
{
  Ctx t;
  (void) state;
  ctx_init (&t, HS_PROFILE_TUTORIAL);
  HsObject *code = must_compile (&t, "x = 1\nprint(x + 2)\n");
  char *dis = hs_code_disassemble (code);
  assert_string_equal (dis,
    "Disassembly of <code <module>>:\n"
    "   1       0 LOAD_CONST                0 (1)\n"
    "           1 STORE_NAME                0 (x)\n"
    "\n"
    "   2       2 LOAD_NAME                 1 (print)\n"
    "           3 LOAD_NAME                 0 (x)\n"
    "           4 LOAD_CONST                1 (2)\n"
    "           5 BINARY_ADD\n"
    "           6 CALL                      1\n"
    "           7 POP_TOP\n"
    "           8 LOAD_CONST                2 (None)\n"
    "           9 RETURN_VALUE\n");
  free (dis);
  assert_int_equal (HS_CODE (code)->stacksize, 3);
  assert_true (HS_CODE (code)->flags & HS_CODE_MODULE);
  HS_DECREF (t.vm, code);
  ctx_fini (&t);
}

static void
test_function_fast_locals (void **state)
{
  Ctx t;
  (void) state;
  ctx_init (&t, HS_PROFILE_TUTORIAL);
  HsObject *code = must_compile (&t,
    "def f(a, b=2, *args, c, d=4, **kw):\n"
    "    e = a + b\n"
    "    return e\n");
  HsCode *f = find_code (code, "f");
  assert_non_null (f);
  assert_int_equal (f->argcount, 2);
  assert_int_equal (f->kwonlyargcount, 2);
  assert_true (f->flags & HS_CODE_VARARGS);
  assert_true (f->flags & HS_CODE_VARKEYWORDS);
  assert_true (f->flags & HS_CODE_OPTIMIZED);
  /* CPython's co_varnames order: ('a', 'b', 'c', 'd', 'args', 'kw', 'e'). */
  const char *expect[] = { "a", "b", "c", "d", "args", "kw", "e" };
  assert_int_equal (f->nlocals, 7);
  for (int i = 0; i < 7; i++)
    assert_string_equal (hs_str_data (f->varnames[i]), expect[i]);
  assert_int_equal (count_op (f, HS_OP_LOAD_FAST), 3);
  assert_int_equal (count_op (f, HS_OP_STORE_FAST), 1);
  /* Module: defaults tuple and kw-defaults dict before the code. */
  HsCode *m = HS_CODE (code);
  int mk = find_op (m, HS_OP_MAKE_FUNCTION);
  assert_true (mk > 0);
  assert_int_equal (m->code[mk].arg, HS_MAKE_FUNCTION_DEFAULTS | HS_MAKE_FUNCTION_KWDEFAULTS);
  HS_DECREF (t.vm, code);
  ctx_fini (&t);
}

static void
test_closure_scopes (void **state)
{
  Ctx t;
  (void) state;
  ctx_init (&t, HS_PROFILE_TUTORIAL);
  HsObject *code = must_compile (&t,
    "g = 0\n"
    "def outer(p):\n"
    "    x = 1\n"
    "    def inner():\n"
    "        nonlocal x\n"
    "        x += p\n"
    "        return g\n"
    "    return inner\n");
  HsCode *outer = find_code (code, "outer");
  HsCode *inner = find_code (code, "inner");
  assert_non_null (outer);
  assert_non_null (inner);
  /* outer: p and x are cells (sorted by name), p starts from the argument. */
  assert_int_equal (outer->ncellvars, 2);
  assert_string_equal (hs_str_data (outer->cellvars[0]), "p");
  assert_string_equal (hs_str_data (outer->cellvars[1]), "x");
  assert_non_null (outer->cell2arg);
  assert_int_equal (outer->cell2arg[0], 0);
  assert_int_equal (outer->cell2arg[1], -1);
  assert_int_equal (count_op (outer, HS_OP_STORE_DEREF), 1);
  assert_int_equal (count_op (outer, HS_OP_LOAD_CLOSURE), 2);
  int mk = find_op (outer, HS_OP_MAKE_FUNCTION);
  assert_int_equal (outer->code[mk].arg, HS_MAKE_FUNCTION_CLOSURE);
  /* inner: p, x free; g global. */
  assert_int_equal (inner->nfreevars, 2);
  assert_string_equal (hs_str_data (inner->freevars[0]), "p");
  assert_string_equal (hs_str_data (inner->freevars[1]), "x");
  assert_int_equal (count_op (inner, HS_OP_LOAD_DEREF), 2);
  assert_int_equal (count_op (inner, HS_OP_STORE_DEREF), 1);
  assert_int_equal (count_op (inner, HS_OP_LOAD_GLOBAL), 1);
  assert_true (inner->flags & HS_CODE_NESTED);
  assert_string_equal (hs_str_data (inner->qualname), "outer.<locals>.inner");
  HS_DECREF (t.vm, code);
  ctx_fini (&t);
}

static void
test_global_and_class (void **state)
{
  Ctx t;
  (void) state;
  ctx_init (&t, HS_PROFILE_TUTORIAL);
  HsObject *code = must_compile (&t,
    "count = 0\n"
    "def bump():\n"
    "    global count\n"
    "    count += 1\n"
    "class A:\n"
    "    size = 1\n"
    "class B(A):\n"
    "    def __init__(self):\n"
    "        super().__init__()\n"
    "        self.v = 2\n");
  HsCode *bump = find_code (code, "bump");
  assert_int_equal (count_op (bump, HS_OP_LOAD_GLOBAL), 1);
  assert_int_equal (count_op (bump, HS_OP_STORE_GLOBAL), 1);
  HsCode *a = find_code (code, "A");
  assert_true (a->flags & HS_CODE_CLASS_BODY);
  assert_false (a->flags & HS_CODE_OPTIMIZED);
  assert_int_equal (count_op (a, HS_OP_STORE_NAME), 3);   /* __module__ __qualname__ size */
  assert_int_equal (a->ncellvars, 0);
  HsCode *b = find_code (code, "B");
  assert_int_equal (b->ncellvars, 1);
  assert_string_equal (hs_str_data (b->cellvars[0]), "__class__");
  assert_int_equal (count_op (b, HS_OP_LOAD_CLOSURE), 2);  /* closure of __init__, return */
  HsCode *init = find_code (code, "__init__");
  assert_int_equal (init->nfreevars, 1);
  assert_string_equal (hs_str_data (init->freevars[0]), "__class__");
  assert_string_equal (hs_str_data (init->qualname), "B.__init__");
  assert_int_equal (count_op (init, HS_OP_LOAD_METHOD), 1);
  assert_int_equal (count_op (init, HS_OP_CALL_METHOD), 1);
  assert_int_equal (count_op (init, HS_OP_STORE_ATTR), 1);
  HsCode *m = HS_CODE (code);
  assert_int_equal (count_op (m, HS_OP_LOAD_BUILD_CLASS), 2);
  HS_DECREF (t.vm, code);
  ctx_fini (&t);
}

static void
test_comprehension_scope (void **state)
{
  Ctx t;
  (void) state;
  ctx_init (&t, HS_PROFILE_TUTORIAL);
  HsObject *code = must_compile (&t,
    "def f(n, k):\n"
    "    return [x * k for x in range(n) if x], {y: y for y in n}\n");
  HsCode *lc = find_code (code, "<listcomp>");
  HsCode *dc = find_code (code, "<dictcomp>");
  HsCode *f = find_code (code, "f");
  assert_non_null (lc);
  assert_non_null (dc);
  assert_int_equal (lc->argcount, 1);
  assert_string_equal (hs_str_data (lc->varnames[0]), ".0");
  assert_string_equal (hs_str_data (lc->qualname), "f.<locals>.<listcomp>");
  assert_int_equal (lc->nfreevars, 1);           /* k */
  assert_int_equal (f->ncellvars, 1);
  assert_int_equal (count_op (lc, HS_OP_LIST_APPEND), 1);
  assert_int_equal (lc->code[find_op (lc, HS_OP_LIST_APPEND)].arg, 2);
  assert_int_equal (count_op (dc, HS_OP_MAP_ADD), 1);
  /* The first iterable is evaluated in f: range(n) then GET_ITER then CALL 1. */
  assert_int_equal (count_op (f, HS_OP_GET_ITER), 2);
  assert_int_equal (lc->stacksize, 4);
  HS_DECREF (t.vm, code);
  ctx_fini (&t);
}

typedef struct {
  const char *src;
  const char *message;
  uint32_t    lineno, offset, end_offset;
} SynCase;

static void
test_syntax_errors (void **state)
{
  /* Each expectation is what CPython 3.11 reports (msg, lineno, offset, end_offset). */
  static const SynCase cases[] = {
    { "def f():\n    x = 1\n    global x\n", "name 'x' is assigned to before global declaration", 3, 5, 13 },
    { "def f():\n    print(x)\n    global x\n", "name 'x' is used prior to global declaration", 3, 5, 13 },
    { "def f():\n    nonlocal y\n", "no binding for nonlocal 'y' found", 2, 5, 15 },
    { "nonlocal y\n", "nonlocal declaration not allowed at module level", 1, 1, 11 },
    { "def f(a, a): pass\n", "duplicate argument 'a' in function definition", 1, 10, 11 },
    { "return 5\n", "'return' outside function", 1, 1, 9 },
    { "while 1:\n    pass\nbreak\n", "'break' outside loop", 3, 1, 6 },
    { "continue\n", "'continue' not properly in loop", 1, 1, 9 },
    { "def f(a):\n    global a\n", "name 'a' is parameter and global", 2, 5, 13 },
    { "class A:\n    return 1\n", "'return' outside function", 2, 5, 13 },
    { "def f():\n  from gc import *\n", "import * only allowed at module level", 2, 18, 19 },
    { "def f():\n  x=1\n  def g():\n    nonlocal x\n    global x\n", "name 'x' is nonlocal and global", 4, 5, 15 },
    { "f(a=1, a=2)\n", "keyword argument repeated: a", 1, 8, 11 },
    { "a, *b, *c = d\n", "multiple starred expressions in assignment", 1, 1, 10 },
  };
  Ctx t;
  (void) state;
  ctx_init (&t, HS_PROFILE_TUTORIAL);
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    {
      HsObject *code = compile_src (&t, cases[i].src);
      if (code != NULL)
        fail_msg ("case %zu compiled", i);
      assert_string_equal (t.err.type_name, "SyntaxError");
      assert_string_equal (t.err.message, cases[i].message);
      assert_int_equal (t.err.lineno, cases[i].lineno);
      assert_int_equal (t.err.col_offset, cases[i].offset);
      assert_int_equal (t.err.end_col_offset, cases[i].end_offset);
      assert_non_null (t.err.text);
    }
  ctx_fini (&t);
}

static void
test_unsupported (void **state)
{
  Ctx t;
  (void) state;
  ctx_init (&t, HS_PROFILE_TUTORIAL);
  assert_null (compile_src (&t, "x = 1\nwith open('f') as g:\n    pass\n"));
  assert_string_equal (t.err.message, "'with' statements are not supported by Heapscope");
  assert_int_equal (t.err.lineno, 2);
  assert_int_equal (t.err.col_offset, 1);
  assert_null (compile_src (&t, "print(sum(x for x in range(3)))\n"));
  assert_string_equal (t.err.message, "generator expressions are not supported by Heapscope");
  assert_int_equal (t.err.lineno, 1);
  assert_int_equal (t.err.col_offset, 10);
  ctx_fini (&t);
}

static void
test_line_marks (void **state)
{
  Ctx t;
  (void) state;
  ctx_init (&t, HS_PROFILE_TUTORIAL);
  HsObject *code = must_compile (&t,
    "total = 0\n"
    "for i in range(3):\n"
    "    total += i\n"
    "print(total)\n");
  HsCode *m = HS_CODE (code);
  int fi = find_op (m, HS_OP_FOR_ITER);
  int jb = find_op (m, HS_OP_JUMP_BACKWARD);
  assert_true (fi > 0 && jb > fi);
  /* FOR_ITER: line 2, a jump target, so a line start (one step per iteration). */
  assert_int_equal (m->positions[fi].lineno, 2);
  assert_true (m->code[fi].flags & HS_INSTR_LINE_START);
  assert_int_equal (m->code[jb].arg, (uint32_t) fi);
  /* The loop's closing jump has no line: no extra step. */
  assert_int_equal (m->positions[jb].lineno, 0);
  assert_false (m->code[jb].flags & HS_INSTR_LINE_START);
  /* Lines in code order: 1, 2 (the iterable, GET_ITER and FOR_ITER), 3, 4. */
  uint32_t lines[8];
  int n = 0;
  for (uint32_t i = 0; i < m->ninstrs && n < 8; i++)
    if ((m->code[i].flags & HS_INSTR_LINE_START)
        && (n == 0 || lines[n - 1] != m->positions[i].lineno))
      lines[n++] = m->positions[i].lineno;
  assert_int_equal (n, 4);
  assert_int_equal (lines[0], 1);
  assert_int_equal (lines[1], 2);
  assert_int_equal (lines[2], 3);
  assert_int_equal (lines[3], 4);
  /* Positions: `print(total)` call spans columns 0..12 of line 4. */
  int call = -1;
  for (uint32_t i = 0; i < m->ninstrs; i++)
    if (m->code[i].op == HS_OP_CALL && m->positions[i].lineno == 4)
      call = (int) i;
  assert_true (call > 0);
  assert_int_equal (m->positions[call].col_offset, 0);
  assert_int_equal (m->positions[call].end_col_offset, 12);
  HS_DECREF (t.vm, code);
  ctx_fini (&t);
}

static void
test_profiles (void **state)
{
  const char *src =
    "message = 'Hello, Zenva learners!'\n"
    "other = 'Hello, Zenva learners!'\n"
    "big = 1000\n"
    "t = (1, 2)\n"
    "def f():\n"
    "    return 'Hello, Zenva learners!'\n";
  Ctx t;
  (void) state;

  /* tutorial: literals are made when evaluated; no constant object exists. */
  ctx_init (&t, HS_PROFILE_TUTORIAL);
  HsObject *code = must_compile (&t, src);
  HsCode *m = HS_CODE (code);
  assert_int_equal (count_op (m, HS_OP_LOAD_LITERAL), 3);
  assert_int_equal (m->nliterals, 2);          /* the str and 1000, deduplicated */
  assert_int_equal (count_op (m, HS_OP_BUILD_TUPLE), 1);
  for (uint32_t i = 0; i < m->nconsts; i++)
    {
      const char *tn = HS_TYPE (m->consts[i])->name;
      assert_true (strcmp (tn, "code") == 0 || hs_is_immortal (m->consts[i]));
    }
  HS_DECREF (t.vm, code);
  ctx_fini (&t);

  /* cpython: constants are objects held by the code, shared module-wide. */
  ctx_init (&t, HS_PROFILE_CPYTHON);
  code = must_compile (&t, src);
  m = HS_CODE (code);
  assert_int_equal (count_op (m, HS_OP_LOAD_LITERAL), 0);
  int first = find_op (m, HS_OP_LOAD_CONST);
  HsObject *s1 = m->consts[m->code[first].arg];
  assert_string_equal (HS_TYPE (s1)->name, "str");
  /* the second assignment loads the same constant */
  assert_int_equal (m->code[first + 2].op, HS_OP_LOAD_CONST);
  assert_int_equal (m->code[first + 2].arg, m->code[first].arg);
  HsCode *f = find_code (code, "f");
  assert_ptr_equal (f->consts[f->code[0].arg], s1);
  assert_int_equal (s1->refcnt, 2);            /* module code + f's code */
  assert_int_equal (count_op (m, HS_OP_BUILD_TUPLE), 0);   /* (1, 2) folded */
  HS_DECREF (t.vm, code);
  ctx_fini (&t);
}

static void
test_exception_table (void **state)
{
  Ctx t;
  (void) state;
  ctx_init (&t, HS_PROFILE_TUTORIAL);
  HsObject *code = must_compile (&t,
    "def f(xs):\n"
    "    for x in xs:\n"
    "        try:\n"
    "            if x == 1:\n"
    "                continue\n"
    "            if x == 2:\n"
    "                break\n"
    "            if x == 3:\n"
    "                return x\n"
    "        except ValueError as e:\n"
    "            print(e)\n"
    "        finally:\n"
    "            print('fin')\n"
    "    return 0\n");
  HsCode *f = find_code (code, "f");
  assert_non_null (f);
  assert_true (f->nexc >= 3);
  for (uint32_t i = 0; i < f->nexc; i++)
    {
      const HsExcEntry *e = &f->exctable[i];
      assert_true (e->start < e->end);
      assert_true (e->target < f->ninstrs);
      /* inside the for loop: the iterator stays below every handler */
      assert_true (e->depth >= 1);
      if (i > 0)
        assert_true (f->exctable[i - 1].end <= e->start);
      assert_ptr_equal (hs_code_find_handler (f, e->start), e);
    }
  /* 'fin' is printed on the normal path, on continue, break and return, and on
   * the exceptional path: five copies of the finally body. */
  int prints = 0;
  for (uint32_t i = 0; i < f->ninstrs; i++)
    if (f->code[i].op == HS_OP_LOAD_LITERAL)
      prints++;
  assert_int_equal (prints, 5);
  assert_true (f->stacksize <= 8);
  HS_DECREF (t.vm, code);
  ctx_fini (&t);
}

static void
test_stack_effects (void **state)
{
  (void) state;
  assert_int_equal (hs_opcode_stack_effect (HS_OP_CALL, 3, false), -3);
  assert_int_equal (hs_opcode_stack_effect (HS_OP_CALL_METHOD, 2, false), -3);
  assert_int_equal (hs_opcode_stack_effect (HS_OP_FOR_ITER, 0, false), 1);
  assert_int_equal (hs_opcode_stack_effect (HS_OP_FOR_ITER, 0, true), -1);
  assert_int_equal (hs_opcode_stack_effect (HS_OP_JUMP_IF_FALSE_OR_POP, 0, true), 0);
  assert_int_equal (hs_opcode_stack_effect (HS_OP_JUMP_IF_FALSE_OR_POP, 0, false), -1);
  assert_int_equal (hs_opcode_stack_effect (HS_OP_BUILD_MAP, 2, false), -3);
  assert_int_equal (hs_opcode_stack_effect (HS_OP_UNPACK_EX, HS_UNPACK_EX_ARG (1, 2), false), 3);
  assert_int_equal (hs_opcode_stack_effect (HS_OP_MAKE_FUNCTION,
                                            HS_MAKE_FUNCTION_DEFAULTS | HS_MAKE_FUNCTION_CLOSURE,
                                            false), -2);
  assert_int_equal (hs_opcode_stack_effect (HS_OP_FORMAT_VALUE, HS_FORMAT_HAVE_SPEC | 2, false), -1);
  assert_string_equal (hs_opcode_name (HS_OP_LOAD_FAST), "LOAD_FAST");
}

static void
test_folding_and_swap (void **state)
{
  Ctx t;
  (void) state;
  ctx_init (&t, HS_PROFILE_TUTORIAL);
  HsObject *code = must_compile (&t,
    "a = 1 + 2 * 3\n"
    "b = -7\n"
    "a, b = b, a\n"
    "s = 'ab' * 2\n");
  HsCode *m = HS_CODE (code);
  assert_int_equal (count_op (m, HS_OP_BINARY_ADD), 0);
  assert_int_equal (count_op (m, HS_OP_UNARY_NEGATIVE), 0);
  assert_int_equal (count_op (m, HS_OP_SWAP), 1);
  assert_int_equal (count_op (m, HS_OP_BUILD_TUPLE), 0);
  assert_int_equal (count_op (m, HS_OP_UNPACK_SEQUENCE), 0);
  char *dis = hs_code_disassemble (code);
  assert_non_null (strstr (dis, "LOAD_CONST                0 (7)"));
  assert_non_null (strstr (dis, "LOAD_LITERAL              0 (-7)"));
  assert_non_null (strstr (dis, "LOAD_LITERAL              1 ('abab')"));
  free (dis);
  HS_DECREF (t.vm, code);
  ctx_fini (&t);
}

static void
test_private_names (void **state)
{
  Ctx t;
  (void) state;
  ctx_init (&t, HS_PROFILE_TUTORIAL);
  HsObject *code = must_compile (&t,
    "class _Acct:\n"
    "    def __init__(self):\n"
    "        self.__bal = 1\n"
    "        self.__dunder__ = 2\n");
  HsCode *init = find_code (code, "__init__");
  bool mangled = false, dunder = false;
  for (uint32_t i = 0; i < init->nnames; i++)
    {
      mangled |= strcmp (hs_str_data (init->names[i]), "_Acct__bal") == 0;
      dunder |= strcmp (hs_str_data (init->names[i]), "__dunder__") == 0;
    }
  assert_true (mangled);
  assert_true (dunder);
  HS_DECREF (t.vm, code);
  ctx_fini (&t);
}

/* A hand-built tree far deeper than the parser allows: a clean error, no crash. */
static void
test_depth_guard (void **state)
{
  Ctx t;
  (void) state;
  ctx_init (&t, HS_PROFILE_TUTORIAL);
  HsExpr *e = hs_arena_alloc (t.arena, sizeof *e);
  e->kind = HS_EXPR_NAME;
  e->u.name.id = "x";
  e->u.name.ctx = HS_CTX_LOAD;
  e->pos = (HsPos) { 1, 0, 1, 1 };
  for (int i = 0; i < 100000; i++)
    {
      HsExpr *u = hs_arena_alloc (t.arena, sizeof *u);
      u->kind = HS_EXPR_UNARYOP;
      u->u.unaryop.op = HS_UNOP_INVERT;
      u->u.unaryop.operand = e;
      u->pos = (HsPos) { 1, 0, 1, 1 };
      e = u;
    }
  HsStmt *s = hs_arena_alloc (t.arena, sizeof *s);
  s->kind = HS_STMT_EXPR;
  s->u.expr.value = e;
  s->pos = (HsPos) { 1, 0, 1, 1 };
  HsModule mod = { { 1, &s } };
  memset (&t.err, 0, sizeof t.err);
  assert_null (hs_compile (t.vm, &mod, "deep.py", "x\n", 2, &t.err));
  assert_string_equal (t.err.type_name, "RecursionError");
  assert_string_equal (t.err.message, "maximum recursion depth exceeded during compilation");
  ctx_fini (&t);
}

/* Everything in the language list compiles with a consistent stack (the compiler's
 * own flow check fails the compile otherwise). */
static void
test_language_coverage (void **state)
{
  Ctx t;
  (void) state;
  ctx_init (&t, HS_PROFILE_CPYTHON);
  HsObject *code = must_compile (&t,
    "import gc\nimport sys\nfrom gc import collect\n"
    "a, *b, c = [1, 2, 3, 4]\n"
    "[d, e] = 'xy'\n"
    "x = y = {1: 2, **{3: 4}}\n"
    "x[1] += 5; x[1] //= 2\n"
    "class P:\n"
    "    def __init__(self): self.v = 1\n"
    "    def __repr__(self): return f'P({self.v!r:>4})'\n"
    "p = P(); p.v -= 1; p.v *= 3\n"
    "del x[1], p.v\n"
    "ok = 1 < 2 < 3 and not (4 in [5]) or None is None\n"
    "z = (lambda q, *r, k=2, **kw: (q, r, k, kw))(1, *[2, 3], k=4, **{'w': 5})\n"
    "s = {i for i in range(3)}\n"
    "print(*s, sep=', ', end='\\n')\n"
    "def g(n):\n"
    "    assert n >= 0, 'negative'\n"
    "    try:\n"
    "        if n == 0: raise ValueError('zero') from None\n"
    "    except (ValueError, TypeError) as err:\n"
    "        raise\n"
    "    else:\n"
    "        return n if n > 1 else -n\n"
    "    finally:\n"
    "        pass\n"
    "i = 0\n"
    "while i < 10:\n"
    "    i += 1\n"
    "    if i % 2: continue\n"
    "else:\n"
    "    i = -1\n"
    "sl = [0, 1, 2][::2][1:]\n");
  char *dis = hs_code_disassemble (code);
  assert_non_null (dis);
  assert_non_null (strstr (dis, "UNPACK_EX"));
  assert_non_null (strstr (dis, "CALL_EX"));
  assert_non_null (strstr (dis, "FORMAT_VALUE"));
  assert_non_null (strstr (dis, "COMPARE_JUMP_IF_FALSE"));
  assert_non_null (strstr (dis, "IMPORT_FROM"));
  assert_non_null (strstr (dis, "RAISE_VARARGS             2"));
  assert_non_null (strstr (dis, "BUILD_SLICE"));
  free (dis);
  HS_DECREF (t.vm, code);
  ctx_fini (&t);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_module_listing),
    cmocka_unit_test (test_function_fast_locals),
    cmocka_unit_test (test_closure_scopes),
    cmocka_unit_test (test_global_and_class),
    cmocka_unit_test (test_comprehension_scope),
    cmocka_unit_test (test_syntax_errors),
    cmocka_unit_test (test_unsupported),
    cmocka_unit_test (test_line_marks),
    cmocka_unit_test (test_profiles),
    cmocka_unit_test (test_exception_table),
    cmocka_unit_test (test_stack_effects),
    cmocka_unit_test (test_folding_and_swap),
    cmocka_unit_test (test_private_names),
    cmocka_unit_test (test_depth_guard),
    cmocka_unit_test (test_language_coverage),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
