/* test-parser.c — parser: AST dumps, positions and syntax errors checked against CPython 3.11. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "hs-parser.h"

typedef struct {
  const char *source;
  const char *expected;
} DumpCase;

typedef struct {
  const char *source;
  size_t      len;
  const char *expected;
} ErrCase;

/* From CPython 3.11: ast.dump (ast.parse (source)). */
static const DumpCase dump_cases[] = {
  { "x = 1\n",
    "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Constant(value=1))], type_ig"
    "nores=[])" },
  { "x = y = z\n",
    "Module(body=[Assign(targets=[Name(id='x', ctx=Store()), Name(id='y', ctx=Store())], value=N"
    "ame(id='z', ctx=Load()))], type_ignores=[])" },
  { "a, b = b, a\n",
    "Module(body=[Assign(targets=[Tuple(elts=[Name(id='a', ctx=Store()), Name(id='b', ctx=Store("
    "))], ctx=Store())], value=Tuple(elts=[Name(id='b', ctx=Load()), Name(id='a', ctx=Load())], "
    "ctx=Load()))], type_ignores=[])" },
  { "[a, *b] = c\n",
    "Module(body=[Assign(targets=[List(elts=[Name(id='a', ctx=Store()), Starred(value=Name(id='b"
    "', ctx=Store()), ctx=Store())], ctx=Store())], value=Name(id='c', ctx=Load()))], type_ignor"
    "es=[])" },
  { "(a, b), c = d\n",
    "Module(body=[Assign(targets=[Tuple(elts=[Tuple(elts=[Name(id='a', ctx=Store()), Name(id='b'"
    ", ctx=Store())], ctx=Store()), Name(id='c', ctx=Store())], ctx=Store())], value=Name(id='d'"
    ", ctx=Load()))], type_ignores=[])" },
  { "a.b = 1\n",
    "Module(body=[Assign(targets=[Attribute(value=Name(id='a', ctx=Load()), attr='b', ctx=Store("
    "))], value=Constant(value=1))], type_ignores=[])" },
  { "a[0] = 1\n",
    "Module(body=[Assign(targets=[Subscript(value=Name(id='a', ctx=Load()), slice=Constant(value"
    "=0), ctx=Store())], value=Constant(value=1))], type_ignores=[])" },
  { "a[1:2] = x\n",
    "Module(body=[Assign(targets=[Subscript(value=Name(id='a', ctx=Load()), slice=Slice(lower=Co"
    "nstant(value=1), upper=Constant(value=2)), ctx=Store())], value=Name(id='x', ctx=Load()))],"
    " type_ignores=[])" },
  { "x += 1\nx -= 1\nx *= 1\nx /= 1\nx //= 1\nx %= 1\nx **= 1\nx <<= 1\n"
    "x >>= 1\nx &= 1\nx |= 1\nx ^= 1\nx @= 1\n",
    "Module(body=[AugAssign(target=Name(id='x', ctx=Store()), op=Add(), value=Constant(value=1))"
    ", AugAssign(target=Name(id='x', ctx=Store()), op=Sub(), value=Constant(value=1)), AugAssign"
    "(target=Name(id='x', ctx=Store()), op=Mult(), value=Constant(value=1)), AugAssign(target=Na"
    "me(id='x', ctx=Store()), op=Div(), value=Constant(value=1)), AugAssign(target=Name(id='x', "
    "ctx=Store()), op=FloorDiv(), value=Constant(value=1)), AugAssign(target=Name(id='x', ctx=St"
    "ore()), op=Mod(), value=Constant(value=1)), AugAssign(target=Name(id='x', ctx=Store()), op="
    "Pow(), value=Constant(value=1)), AugAssign(target=Name(id='x', ctx=Store()), op=LShift(), v"
    "alue=Constant(value=1)), AugAssign(target=Name(id='x', ctx=Store()), op=RShift(), value=Con"
    "stant(value=1)), AugAssign(target=Name(id='x', ctx=Store()), op=BitAnd(), value=Constant(va"
    "lue=1)), AugAssign(target=Name(id='x', ctx=Store()), op=BitOr(), value=Constant(value=1)), "
    "AugAssign(target=Name(id='x', ctx=Store()), op=BitXor(), value=Constant(value=1)), AugAssig"
    "n(target=Name(id='x', ctx=Store()), op=MatMult(), value=Constant(value=1))], type_ignores=["
    "])" },
  { "x: int = 1\n",
    "Module(body=[AnnAssign(target=Name(id='x', ctx=Store()), annotation=Name(id='int', ctx=Load"
    "()), value=Constant(value=1), simple=1)], type_ignores=[])" },
  { "(x): int = 1\n",
    "Module(body=[AnnAssign(target=Name(id='x', ctx=Store()), annotation=Name(id='int', ctx=Load"
    "()), value=Constant(value=1), simple=0)], type_ignores=[])" },
  { "a.b: int\n",
    "Module(body=[AnnAssign(target=Attribute(value=Name(id='a', ctx=Load()), attr='b', ctx=Store"
    "()), annotation=Name(id='int', ctx=Load()), simple=0)], type_ignores=[])" },
  { "if a:\n    pass\nelif b:\n    x = 1\nelse:\n    y = 2\n",
    "Module(body=[If(test=Name(id='a', ctx=Load()), body=[Pass()], orelse=[If(test=Name(id='b', "
    "ctx=Load()), body=[Assign(targets=[Name(id='x', ctx=Store())], value=Constant(value=1))], o"
    "relse=[Assign(targets=[Name(id='y', ctx=Store())], value=Constant(value=2))])])], type_igno"
    "res=[])" },
  { "while a:\n    break\nelse:\n    continue\n",
    "Module(body=[While(test=Name(id='a', ctx=Load()), body=[Break()], orelse=[Continue()])], ty"
    "pe_ignores=[])" },
  { "for i, j in x:\n    pass\nelse:\n    pass\n",
    "Module(body=[For(target=Tuple(elts=[Name(id='i', ctx=Store()), Name(id='j', ctx=Store())], "
    "ctx=Store()), iter=Name(id='x', ctx=Load()), body=[Pass()], orelse=[Pass()])], type_ignores"
    "=[])" },
  { "def f():\n    return\n",
    "Module(body=[FunctionDef(name='f', args=arguments(posonlyargs=[], args=[], kwonlyargs=[], k"
    "w_defaults=[], defaults=[]), body=[Return()], decorator_list=[])], type_ignores=[])" },
  { "def f():\n    return 1, 2\n",
    "Module(body=[FunctionDef(name='f', args=arguments(posonlyargs=[], args=[], kwonlyargs=[], k"
    "w_defaults=[], defaults=[]), body=[Return(value=Tuple(elts=[Constant(value=1), Constant(val"
    "ue=2)], ctx=Load()))], decorator_list=[])], type_ignores=[])" },
  { "del a, b[0], c.d\n",
    "Module(body=[Delete(targets=[Name(id='a', ctx=Del()), Subscript(value=Name(id='b', ctx=Load"
    "()), slice=Constant(value=0), ctx=Del()), Attribute(value=Name(id='c', ctx=Load()), attr='d"
    "', ctx=Del())])], type_ignores=[])" },
  { "del (a, b)\n",
    "Module(body=[Delete(targets=[Tuple(elts=[Name(id='a', ctx=Del()), Name(id='b', ctx=Del())],"
    " ctx=Del())])], type_ignores=[])" },
  { "def f():\n    global a, b\n    nonlocal c\n",
    "Module(body=[FunctionDef(name='f', args=arguments(posonlyargs=[], args=[], kwonlyargs=[], k"
    "w_defaults=[], defaults=[]), body=[Global(names=['a', 'b']), Nonlocal(names=['c'])], decora"
    "tor_list=[])], type_ignores=[])" },
  { "assert x\nassert x, 'msg'\n",
    "Module(body=[Assert(test=Name(id='x', ctx=Load())), Assert(test=Name(id='x', ctx=Load()), m"
    "sg=Constant(value='msg'))], type_ignores=[])" },
  { "raise\nraise E\nraise E from c\n",
    "Module(body=[Raise(), Raise(exc=Name(id='E', ctx=Load())), Raise(exc=Name(id='E', ctx=Load("
    ")), cause=Name(id='c', ctx=Load()))], type_ignores=[])" },
  { "try:\n    pass\nexcept E:\n    pass\nexcept (A, B) as e:\n    pass\n"
    "except:\n    pass\nelse:\n    pass\nfinally:\n    pass\n",
    "Module(body=[Try(body=[Pass()], handlers=[ExceptHandler(type=Name(id='E', ctx=Load()), body"
    "=[Pass()]), ExceptHandler(type=Tuple(elts=[Name(id='A', ctx=Load()), Name(id='B', ctx=Load("
    "))], ctx=Load()), name='e', body=[Pass()]), ExceptHandler(body=[Pass()])], orelse=[Pass()],"
    " finalbody=[Pass()])], type_ignores=[])" },
  { "try:\n    pass\nfinally:\n    pass\n",
    "Module(body=[Try(body=[Pass()], handlers=[], orelse=[], finalbody=[Pass()])], type_ignores="
    "[])" },
  { "def f(a, b=1, *args, c, d=2, **kw) -> int:\n    pass\n",
    "Module(body=[FunctionDef(name='f', args=arguments(posonlyargs=[], args=[arg(arg='a'), arg(a"
    "rg='b')], vararg=arg(arg='args'), kwonlyargs=[arg(arg='c'), arg(arg='d')], kw_defaults=[Non"
    "e, Constant(value=2)], kwarg=arg(arg='kw'), defaults=[Constant(value=1)]), body=[Pass()], d"
    "ecorator_list=[], returns=Name(id='int', ctx=Load()))], type_ignores=[])" },
  { "def f(a, *, b): pass\n",
    "Module(body=[FunctionDef(name='f', args=arguments(posonlyargs=[], args=[arg(arg='a')], kwon"
    "lyargs=[arg(arg='b')], kw_defaults=[None], defaults=[]), body=[Pass()], decorator_list=[])]"
    ", type_ignores=[])" },
  { "def f(*, b=1, **k): pass\n",
    "Module(body=[FunctionDef(name='f', args=arguments(posonlyargs=[], args=[], kwonlyargs=[arg("
    "arg='b')], kw_defaults=[Constant(value=1)], kwarg=arg(arg='k'), defaults=[]), body=[Pass()]"
    ", decorator_list=[])], type_ignores=[])" },
  { "@dec\n@dec2(1)\ndef f(): pass\n",
    "Module(body=[FunctionDef(name='f', args=arguments(posonlyargs=[], args=[], kwonlyargs=[], k"
    "w_defaults=[], defaults=[]), body=[Pass()], decorator_list=[Name(id='dec', ctx=Load()), Cal"
    "l(func=Name(id='dec2', ctx=Load()), args=[Constant(value=1)], keywords=[])])], type_ignores"
    "=[])" },
  { "@d.e\nclass A(B, C, metaclass=M, **kw):\n    x = 1\n    def m(self): pass\n"
    "",
    "Module(body=[ClassDef(name='A', bases=[Name(id='B', ctx=Load()), Name(id='C', ctx=Load())],"
    " keywords=[keyword(arg='metaclass', value=Name(id='M', ctx=Load())), keyword(value=Name(id="
    "'kw', ctx=Load()))], body=[Assign(targets=[Name(id='x', ctx=Store())], value=Constant(value"
    "=1)), FunctionDef(name='m', args=arguments(posonlyargs=[], args=[arg(arg='self')], kwonlyar"
    "gs=[], kw_defaults=[], defaults=[]), body=[Pass()], decorator_list=[])], decorator_list=[At"
    "tribute(value=Name(id='d', ctx=Load()), attr='e', ctx=Load())])], type_ignores=[])" },
  { "class A: pass\n",
    "Module(body=[ClassDef(name='A', bases=[], keywords=[], body=[Pass()], decorator_list=[])], "
    "type_ignores=[])" },
  { "class A(): pass\n",
    "Module(body=[ClassDef(name='A', bases=[], keywords=[], body=[Pass()], decorator_list=[])], "
    "type_ignores=[])" },
  { "import a\nimport a.b.c as d, e\n",
    "Module(body=[Import(names=[alias(name='a')]), Import(names=[alias(name='a.b.c', asname='d')"
    ", alias(name='e')])], type_ignores=[])" },
  { "from a.b import c as d, e\nfrom . import x\nfrom .. import (y, z,)\n"
    "from .m import *\nfrom ...m import n\n",
    "Module(body=[ImportFrom(module='a.b', names=[alias(name='c', asname='d'), alias(name='e')],"
    " level=0), ImportFrom(names=[alias(name='x')], level=1), ImportFrom(names=[alias(name='y'),"
    " alias(name='z')], level=2), ImportFrom(module='m', names=[alias(name='*')], level=1), Impo"
    "rtFrom(module='m', names=[alias(name='n')], level=3)], type_ignores=[])" },
  { "with a as b, c: pass\n",
    "Module(body=[With(items=[withitem(context_expr=Name(id='a', ctx=Load()), optional_vars=Name"
    "(id='b', ctx=Store())), withitem(context_expr=Name(id='c', ctx=Load()))], body=[Pass()])], "
    "type_ignores=[])" },
  { "with (a as b, c as d): pass\n",
    "Module(body=[With(items=[withitem(context_expr=Name(id='a', ctx=Load()), optional_vars=Name"
    "(id='b', ctx=Store())), withitem(context_expr=Name(id='c', ctx=Load()), optional_vars=Name("
    "id='d', ctx=Store()))], body=[Pass()])], type_ignores=[])" },
  { "with (a, b) as c: pass\n",
    "Module(body=[With(items=[withitem(context_expr=Tuple(elts=[Name(id='a', ctx=Load()), Name(i"
    "d='b', ctx=Load())], ctx=Load()), optional_vars=Name(id='c', ctx=Store()))], body=[Pass()])"
    "], type_ignores=[])" },
  { "f = lambda: 0\ng = lambda x, y=1, *a, z, **k: x\n",
    "Module(body=[Assign(targets=[Name(id='f', ctx=Store())], value=Lambda(args=arguments(posonl"
    "yargs=[], args=[], kwonlyargs=[], kw_defaults=[], defaults=[]), body=Constant(value=0))), A"
    "ssign(targets=[Name(id='g', ctx=Store())], value=Lambda(args=arguments(posonlyargs=[], args"
    "=[arg(arg='x'), arg(arg='y')], vararg=arg(arg='a'), kwonlyargs=[arg(arg='z')], kw_defaults="
    "[None], kwarg=arg(arg='k'), defaults=[Constant(value=1)]), body=Name(id='x', ctx=Load())))]"
    ", type_ignores=[])" },
  { "x = a if b else c if d else e\n",
    "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=IfExp(test=Name(id='b', ctx="
    "Load()), body=Name(id='a', ctx=Load()), orelse=IfExp(test=Name(id='d', ctx=Load()), body=Na"
    "me(id='c', ctx=Load()), orelse=Name(id='e', ctx=Load()))))], type_ignores=[])" },
  { "x = a or b or c and d and not e\n",
    "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=BoolOp(op=Or(), values=[Name"
    "(id='a', ctx=Load()), Name(id='b', ctx=Load()), BoolOp(op=And(), values=[Name(id='c', ctx=L"
    "oad()), Name(id='d', ctx=Load()), UnaryOp(op=Not(), operand=Name(id='e', ctx=Load()))])]))]"
    ", type_ignores=[])" },
  { "x = not not a\n",
    "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=UnaryOp(op=Not(), operand=Un"
    "aryOp(op=Not(), operand=Name(id='a', ctx=Load()))))], type_ignores=[])" },
  { "x = a < b <= c == d != e > f >= g is h is not i in j not in k\n"
    "",
    "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Compare(left=Name(id='a', ct"
    "x=Load()), ops=[Lt(), LtE(), Eq(), NotEq(), Gt(), GtE(), Is(), IsNot(), In(), NotIn()], com"
    "parators=[Name(id='b', ctx=Load()), Name(id='c', ctx=Load()), Name(id='d', ctx=Load()), Nam"
    "e(id='e', ctx=Load()), Name(id='f', ctx=Load()), Name(id='g', ctx=Load()), Name(id='h', ctx"
    "=Load()), Name(id='i', ctx=Load()), Name(id='j', ctx=Load()), Name(id='k', ctx=Load())]))],"
    " type_ignores=[])" },
  { "x = a | b ^ c & d << e >> f + g - h * i / j // k % l @ m\n",
    "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=BinOp(left=Name(id='a', ctx="
    "Load()), op=BitOr(), right=BinOp(left=Name(id='b', ctx=Load()), op=BitXor(), right=BinOp(le"
    "ft=Name(id='c', ctx=Load()), op=BitAnd(), right=BinOp(left=BinOp(left=Name(id='d', ctx=Load"
    "()), op=LShift(), right=Name(id='e', ctx=Load())), op=RShift(), right=BinOp(left=BinOp(left"
    "=Name(id='f', ctx=Load()), op=Add(), right=Name(id='g', ctx=Load())), op=Sub(), right=BinOp"
    "(left=BinOp(left=BinOp(left=BinOp(left=BinOp(left=Name(id='h', ctx=Load()), op=Mult(), righ"
    "t=Name(id='i', ctx=Load())), op=Div(), right=Name(id='j', ctx=Load())), op=FloorDiv(), righ"
    "t=Name(id='k', ctx=Load())), op=Mod(), right=Name(id='l', ctx=Load())), op=MatMult(), right"
    "=Name(id='m', ctx=Load()))))))))], type_ignores=[])" },
  { "x = -a + +b - ~c\n",
    "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=BinOp(left=BinOp(left=UnaryO"
    "p(op=USub(), operand=Name(id='a', ctx=Load())), op=Add(), right=UnaryOp(op=UAdd(), operand="
    "Name(id='b', ctx=Load()))), op=Sub(), right=UnaryOp(op=Invert(), operand=Name(id='c', ctx=L"
    "oad()))))], type_ignores=[])" },
  { "x = a ** b ** c\n",
    "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=BinOp(left=Name(id='a', ctx="
    "Load()), op=Pow(), right=BinOp(left=Name(id='b', ctx=Load()), op=Pow(), right=Name(id='c', "
    "ctx=Load()))))], type_ignores=[])" },
  { "x = -a ** -b\n",
    "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=UnaryOp(op=USub(), operand=B"
    "inOp(left=Name(id='a', ctx=Load()), op=Pow(), right=UnaryOp(op=USub(), operand=Name(id='b',"
    " ctx=Load())))))], type_ignores=[])" },
  { "x = (a + b) * c\n",
    "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=BinOp(left=BinOp(left=Name(i"
    "d='a', ctx=Load()), op=Add(), right=Name(id='b', ctx=Load())), op=Mult(), right=Name(id='c'"
    ", ctx=Load())))], type_ignores=[])" },
  { "f(a, *b, c=1, **d)\n",
    "Module(body=[Expr(value=Call(func=Name(id='f', ctx=Load()), args=[Name(id='a', ctx=Load()),"
    " Starred(value=Name(id='b', ctx=Load()), ctx=Load())], keywords=[keyword(arg='c', value=Con"
    "stant(value=1)), keyword(value=Name(id='d', ctx=Load()))]))], type_ignores=[])" },
  { "f(*a, *b, **c, **d)\n",
    "Module(body=[Expr(value=Call(func=Name(id='f', ctx=Load()), args=[Starred(value=Name(id='a'"
    ", ctx=Load()), ctx=Load()), Starred(value=Name(id='b', ctx=Load()), ctx=Load())], keywords="
    "[keyword(value=Name(id='c', ctx=Load())), keyword(value=Name(id='d', ctx=Load()))]))], type"
    "_ignores=[])" },
  { "f(x for x in y)\n",
    "Module(body=[Expr(value=Call(func=Name(id='f', ctx=Load()), args=[GeneratorExp(elt=Name(id="
    "'x', ctx=Load()), generators=[comprehension(target=Name(id='x', ctx=Store()), iter=Name(id="
    "'y', ctx=Load()), ifs=[], is_async=0)])], keywords=[]))], type_ignores=[])" },
  { "f(a)(b)(c)\n",
    "Module(body=[Expr(value=Call(func=Call(func=Call(func=Name(id='f', ctx=Load()), args=[Name("
    "id='a', ctx=Load())], keywords=[]), args=[Name(id='b', ctx=Load())], keywords=[]), args=[Na"
    "me(id='c', ctx=Load())], keywords=[]))], type_ignores=[])" },
  { "a.b.c.d\n",
    "Module(body=[Expr(value=Attribute(value=Attribute(value=Attribute(value=Name(id='a', ctx=Lo"
    "ad()), attr='b', ctx=Load()), attr='c', ctx=Load()), attr='d', ctx=Load()))], type_ignores="
    "[])" },
  { "x[1]\nx[1:2]\nx[::2]\nx[a:b:c]\nx[:]\nx[1:2, 3]\nx[1,]\nx[()]\n"
    "x[*a]\n",
    "Module(body=[Expr(value=Subscript(value=Name(id='x', ctx=Load()), slice=Constant(value=1), "
    "ctx=Load())), Expr(value=Subscript(value=Name(id='x', ctx=Load()), slice=Slice(lower=Consta"
    "nt(value=1), upper=Constant(value=2)), ctx=Load())), Expr(value=Subscript(value=Name(id='x'"
    ", ctx=Load()), slice=Slice(step=Constant(value=2)), ctx=Load())), Expr(value=Subscript(valu"
    "e=Name(id='x', ctx=Load()), slice=Slice(lower=Name(id='a', ctx=Load()), upper=Name(id='b', "
    "ctx=Load()), step=Name(id='c', ctx=Load())), ctx=Load())), Expr(value=Subscript(value=Name("
    "id='x', ctx=Load()), slice=Slice(), ctx=Load())), Expr(value=Subscript(value=Name(id='x', c"
    "tx=Load()), slice=Tuple(elts=[Slice(lower=Constant(value=1), upper=Constant(value=2)), Cons"
    "tant(value=3)], ctx=Load()), ctx=Load())), Expr(value=Subscript(value=Name(id='x', ctx=Load"
    "()), slice=Tuple(elts=[Constant(value=1)], ctx=Load()), ctx=Load())), Expr(value=Subscript("
    "value=Name(id='x', ctx=Load()), slice=Tuple(elts=[], ctx=Load()), ctx=Load())), Expr(value="
    "Subscript(value=Name(id='x', ctx=Load()), slice=Tuple(elts=[Starred(value=Name(id='a', ctx="
    "Load()), ctx=Load())], ctx=Load()), ctx=Load()))], type_ignores=[])" },
  { "x = []\nx = [1, 2,]\nx = ()\nx = (1,)\nx = 1,\nx = {}\nx = {1: 2, **a}\n"
    "x = {1, 2, *a}\nx = [*a, *b]\nx = (*a, b)\n",
    "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=List(elts=[], ctx=Load())), "
    "Assign(targets=[Name(id='x', ctx=Store())], value=List(elts=[Constant(value=1), Constant(va"
    "lue=2)], ctx=Load())), Assign(targets=[Name(id='x', ctx=Store())], value=Tuple(elts=[], ctx"
    "=Load())), Assign(targets=[Name(id='x', ctx=Store())], value=Tuple(elts=[Constant(value=1)]"
    ", ctx=Load())), Assign(targets=[Name(id='x', ctx=Store())], value=Tuple(elts=[Constant(valu"
    "e=1)], ctx=Load())), Assign(targets=[Name(id='x', ctx=Store())], value=Dict(keys=[], values"
    "=[])), Assign(targets=[Name(id='x', ctx=Store())], value=Dict(keys=[Constant(value=1), None"
    "], values=[Constant(value=2), Name(id='a', ctx=Load())])), Assign(targets=[Name(id='x', ctx"
    "=Store())], value=Set(elts=[Constant(value=1), Constant(value=2), Starred(value=Name(id='a'"
    ", ctx=Load()), ctx=Load())])), Assign(targets=[Name(id='x', ctx=Store())], value=List(elts="
    "[Starred(value=Name(id='a', ctx=Load()), ctx=Load()), Starred(value=Name(id='b', ctx=Load()"
    "), ctx=Load())], ctx=Load())), Assign(targets=[Name(id='x', ctx=Store())], value=Tuple(elts"
    "=[Starred(value=Name(id='a', ctx=Load()), ctx=Load()), Name(id='b', ctx=Load())], ctx=Load("
    ")))], type_ignores=[])" },
  { "x = [i for i in y if i if j for k in i]\n",
    "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=ListComp(elt=Name(id='i', ct"
    "x=Load()), generators=[comprehension(target=Name(id='i', ctx=Store()), iter=Name(id='y', ct"
    "x=Load()), ifs=[Name(id='i', ctx=Load()), Name(id='j', ctx=Load())], is_async=0), comprehen"
    "sion(target=Name(id='k', ctx=Store()), iter=Name(id='i', ctx=Load()), ifs=[], is_async=0)])"
    ")], type_ignores=[])" },
  { "x = {i for i in y}\n",
    "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=SetComp(elt=Name(id='i', ctx"
    "=Load()), generators=[comprehension(target=Name(id='i', ctx=Store()), iter=Name(id='y', ctx"
    "=Load()), ifs=[], is_async=0)]))], type_ignores=[])" },
  { "x = {k: v for k, v in d.items() if v}\n",
    "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=DictComp(key=Name(id='k', ct"
    "x=Load()), value=Name(id='v', ctx=Load()), generators=[comprehension(target=Tuple(elts=[Nam"
    "e(id='k', ctx=Store()), Name(id='v', ctx=Store())], ctx=Store()), iter=Call(func=Attribute("
    "value=Name(id='d', ctx=Load()), attr='items', ctx=Load()), args=[], keywords=[]), ifs=[Name"
    "(id='v', ctx=Load())], is_async=0)]))], type_ignores=[])" },
  { "x = (i for i in y)\n",
    "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=GeneratorExp(elt=Name(id='i'"
    ", ctx=Load()), generators=[comprehension(target=Name(id='i', ctx=Store()), iter=Name(id='y'"
    ", ctx=Load()), ifs=[], is_async=0)]))], type_ignores=[])" },
  { "x = [(a, b) for a in c for b in d]\n",
    "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=ListComp(elt=Tuple(elts=[Nam"
    "e(id='a', ctx=Load()), Name(id='b', ctx=Load())], ctx=Load()), generators=[comprehension(ta"
    "rget=Name(id='a', ctx=Store()), iter=Name(id='c', ctx=Load()), ifs=[], is_async=0), compreh"
    "ension(target=Name(id='b', ctx=Store()), iter=Name(id='d', ctx=Load()), ifs=[], is_async=0)"
    "]))], type_ignores=[])" },
  { "if (n := 10) > 5: pass\n",
    "Module(body=[If(test=Compare(left=NamedExpr(target=Name(id='n', ctx=Store()), value=Constan"
    "t(value=10)), ops=[Gt()], comparators=[Constant(value=5)]), body=[Pass()], orelse=[])], typ"
    "e_ignores=[])" },
  { "x = [y := 1, y]\n",
    "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=List(elts=[NamedExpr(target="
    "Name(id='y', ctx=Store()), value=Constant(value=1)), Name(id='y', ctx=Load())], ctx=Load())"
    ")], type_ignores=[])" },
  { "f(a := 1)\n",
    "Module(body=[Expr(value=Call(func=Name(id='f', ctx=Load()), args=[NamedExpr(target=Name(id="
    "'a', ctx=Store()), value=Constant(value=1))], keywords=[]))], type_ignores=[])" },
  { "x = ...\nx = None\nx = True\nx = False\n",
    "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Constant(value=Ellipsis)), A"
    "ssign(targets=[Name(id='x', ctx=Store())], value=Constant(value=None)), Assign(targets=[Nam"
    "e(id='x', ctx=Store())], value=Constant(value=True)), Assign(targets=[Name(id='x', ctx=Stor"
    "e())], value=Constant(value=False))], type_ignores=[])" },
  { "x = 'a' 'b' \"c\"\n",
    "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Constant(value='abc'))], typ"
    "e_ignores=[])" },
  { "x = '\\n\\t\\\\\\'\\\"\\a\\b\\f\\v\\r\\0\\101\\x41\\u00e9\\U0001F600'\n"
    "",
    "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Constant(value='\\n\\t\\\\\\"
    "'\"\\x07\\x08\\x0c\\x0b\\r\\x00AA\303\251\360\237\230\200'))], type_ignores=[])" },
  { "x = r'\\n\\d' R'x'\n",
    "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Constant(value='\\\\n\\\\dx'"
    "))], type_ignores=[])" },
  { "x = '''a\nb''' \"\"\"c\"\"\"\n",
    "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Constant(value='a\\nbc'))], "
    "type_ignores=[])" },
  { "x = 'a\\\nb'\n",
    "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Constant(value='ab'))], type"
    "_ignores=[])" },
  { "x = '\\d\\q'\n",
    "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Constant(value='\\\\d\\\\q')"
    ")], type_ignores=[])" },
  { "x = f'a{b}c'\n",
    "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=JoinedStr(values=[Constant(v"
    "alue='a'), FormattedValue(value=Name(id='b', ctx=Load()), conversion=-1), Constant(value='c"
    "')]))], type_ignores=[])" },
  { "x = f'{a!r} {b!s:>10} {c!a}'\n",
    "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=JoinedStr(values=[FormattedV"
    "alue(value=Name(id='a', ctx=Load()), conversion=114), Constant(value=' '), FormattedValue(v"
    "alue=Name(id='b', ctx=Load()), conversion=115, format_spec=JoinedStr(values=[Constant(value"
    "='>10')])), Constant(value=' '), FormattedValue(value=Name(id='c', ctx=Load()), conversion="
    "97)]))], type_ignores=[])" },
  { "x = f'{a:{w}.{p}}'\n",
    "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=JoinedStr(values=[FormattedV"
    "alue(value=Name(id='a', ctx=Load()), conversion=-1, format_spec=JoinedStr(values=[Formatted"
    "Value(value=Name(id='w', ctx=Load()), conversion=-1), Constant(value='.'), FormattedValue(v"
    "alue=Name(id='p', ctx=Load()), conversion=-1)]))]))], type_ignores=[])" },
  { "x = f'{{}} {{a}}'\n",
    "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=JoinedStr(values=[Constant(v"
    "alue='{} {a}')]))], type_ignores=[])" },
  { "x = f'{a=}'\nx = f'{a = }'\nx = f'{a=!s}'\nx = f'{a=:>5}'\n",
    "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=JoinedStr(values=[Constant(v"
    "alue='a='), FormattedValue(value=Name(id='a', ctx=Load()), conversion=114)])), Assign(targe"
    "ts=[Name(id='x', ctx=Store())], value=JoinedStr(values=[Constant(value='a = '), FormattedVa"
    "lue(value=Name(id='a', ctx=Load()), conversion=114)])), Assign(targets=[Name(id='x', ctx=St"
    "ore())], value=JoinedStr(values=[Constant(value='a='), FormattedValue(value=Name(id='a', ct"
    "x=Load()), conversion=115)])), Assign(targets=[Name(id='x', ctx=Store())], value=JoinedStr("
    "values=[Constant(value='a='), FormattedValue(value=Name(id='a', ctx=Load()), conversion=-1,"
    " format_spec=JoinedStr(values=[Constant(value='>5')]))]))], type_ignores=[])" },
  { "x = 'a' f'{b}' 'c'\n",
    "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=JoinedStr(values=[Constant(v"
    "alue='a'), FormattedValue(value=Name(id='b', ctx=Load()), conversion=-1), Constant(value='c"
    "')]))], type_ignores=[])" },
  { "x = rf'\\n{a}' Fr'{b}'\n",
    "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=JoinedStr(values=[Constant(v"
    "alue='\\\\n'), FormattedValue(value=Name(id='a', ctx=Load()), conversion=-1), FormattedValu"
    "e(value=Name(id='b', ctx=Load()), conversion=-1)]))], type_ignores=[])" },
  { "x = f'{a[\"k\"]}' f\"{b['k']}\"\n",
    "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=JoinedStr(values=[FormattedV"
    "alue(value=Subscript(value=Name(id='a', ctx=Load()), slice=Constant(value='k'), ctx=Load())"
    ", conversion=-1), FormattedValue(value=Subscript(value=Name(id='b', ctx=Load()), slice=Cons"
    "tant(value='k'), ctx=Load()), conversion=-1)]))], type_ignores=[])" },
  { "x = f'{x:%H:%M}'\n",
    "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=JoinedStr(values=[FormattedV"
    "alue(value=Name(id='x', ctx=Load()), conversion=-1, format_spec=JoinedStr(values=[Constant("
    "value='%H:%M')]))]))], type_ignores=[])" },
  { "x = f''\n",
    "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=JoinedStr(values=[]))], type"
    "_ignores=[])" },
  { "x = f'{ a + b }'\n",
    "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=JoinedStr(values=[FormattedV"
    "alue(value=BinOp(left=Name(id='a', ctx=Load()), op=Add(), right=Name(id='b', ctx=Load())), "
    "conversion=-1)]))], type_ignores=[])" },
  { "x = f'''{a\n+ b}'''\n",
    "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=JoinedStr(values=[FormattedV"
    "alue(value=BinOp(left=Name(id='a', ctx=Load()), op=Add(), right=Name(id='b', ctx=Load())), "
    "conversion=-1)]))], type_ignores=[])" },
  { "x = 0xFF + 0o17 + 0b101 + 1_000_000 + 0\n",
    "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=BinOp(left=BinOp(left=BinOp("
    "left=BinOp(left=Constant(value=255), op=Add(), right=Constant(value=15)), op=Add(), right=C"
    "onstant(value=5)), op=Add(), right=Constant(value=1000000)), op=Add(), right=Constant(value"
    "=0)))], type_ignores=[])" },
  { "x = 1.5 + 1e10 + 1.5e-3 + .5 + 5. + 1_0.0_1 + 1E+5\n",
    "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=BinOp(left=BinOp(left=BinOp("
    "left=BinOp(left=BinOp(left=BinOp(left=Constant(value=1.5), op=Add(), right=Constant(value=1"
    "0000000000.0)), op=Add(), right=Constant(value=0.0015)), op=Add(), right=Constant(value=0.5"
    ")), op=Add(), right=Constant(value=5.0)), op=Add(), right=Constant(value=10.01)), op=Add(),"
    " right=Constant(value=100000.0)))], type_ignores=[])" },
  { "x = 9223372036854775807\n",
    "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Constant(value=9223372036854"
    "775807))], type_ignores=[])" },
  { "caf\303\251 = 1\n\317\200 = 3.14\n",
    "Module(body=[Assign(targets=[Name(id='caf\303\251', ctx=Store())], value=Constant(value=1))"
    ", Assign(targets=[Name(id='\317\200', ctx=Store())], value=Constant(value=3.14))], type_ign"
    "ores=[])" },
  { "x = 1 + \\\n    2\n",
    "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=BinOp(left=Constant(value=1)"
    ", op=Add(), right=Constant(value=2)))], type_ignores=[])" },
  { "x = (1 +\n     2)\ny = [\n  1,\n  2,\n]\n",
    "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=BinOp(left=Constant(value=1)"
    ", op=Add(), right=Constant(value=2))), Assign(targets=[Name(id='y', ctx=Store())], value=Li"
    "st(elts=[Constant(value=1), Constant(value=2)], ctx=Load()))], type_ignores=[])" },
  { "x = 1; y = 2;\n",
    "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Constant(value=1)), Assign(t"
    "argets=[Name(id='y', ctx=Store())], value=Constant(value=2))], type_ignores=[])" },
  { "x = 1\r\ny = 2\r\n",
    "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Constant(value=1)), Assign(t"
    "argets=[Name(id='y', ctx=Store())], value=Constant(value=2))], type_ignores=[])" },
  { "\357\273\277x = 1\n",
    "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Constant(value=1))], type_ig"
    "nores=[])" },
  { "x = 1",
    "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Constant(value=1))], type_ig"
    "nores=[])" },
  { "",
    "Module(body=[], type_ignores=[])" },
  { "# only a comment\n",
    "Module(body=[], type_ignores=[])" },
  { "\n\n   \n# c\n\n",
    "Module(body=[], type_ignores=[])" },
  { "if x:\n    # comment\n\n    y = 1\n",
    "Module(body=[If(test=Name(id='x', ctx=Load()), body=[Assign(targets=[Name(id='y', ctx=Store"
    "())], value=Constant(value=1))], orelse=[])], type_ignores=[])" },
  { "if x: y = 1; z = 2\n",
    "Module(body=[If(test=Name(id='x', ctx=Load()), body=[Assign(targets=[Name(id='y', ctx=Store"
    "())], value=Constant(value=1)), Assign(targets=[Name(id='z', ctx=Store())], value=Constant("
    "value=2))], orelse=[])], type_ignores=[])" },
  { "class A:\n\tdef f(self):\n\t\treturn 1\n",
    "Module(body=[ClassDef(name='A', bases=[], keywords=[], body=[FunctionDef(name='f', args=arg"
    "uments(posonlyargs=[], args=[arg(arg='self')], kwonlyargs=[], kw_defaults=[], defaults=[]),"
    " body=[Return(value=Constant(value=1))], decorator_list=[])], decorator_list=[])], type_ign"
    "ores=[])" },
  { "x = a[b](c).d[e:f]\n",
    "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Subscript(value=Attribute(va"
    "lue=Call(func=Subscript(value=Name(id='a', ctx=Load()), slice=Name(id='b', ctx=Load()), ctx"
    "=Load()), args=[Name(id='c', ctx=Load())], keywords=[]), attr='d', ctx=Load()), slice=Slice"
    "(lower=Name(id='e', ctx=Load()), upper=Name(id='f', ctx=Load())), ctx=Load()))], type_ignor"
    "es=[])" },
  { "print(*args, sep='', end='\\n')\n",
    "Module(body=[Expr(value=Call(func=Name(id='print', ctx=Load()), args=[Starred(value=Name(id"
    "='args', ctx=Load()), ctx=Load())], keywords=[keyword(arg='sep', value=Constant(value='')),"
    " keyword(arg='end', value=Constant(value='\\n'))]))], type_ignores=[])" },
  { "x = [1, [2, [3, [4]]]]\n",
    "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=List(elts=[Constant(value=1)"
    ", List(elts=[Constant(value=2), List(elts=[Constant(value=3), List(elts=[Constant(value=4)]"
    ", ctx=Load())], ctx=Load())], ctx=Load())], ctx=Load()))], type_ignores=[])" },
  { "x = 1 if 2 else 3\n",
    "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=IfExp(test=Constant(value=2)"
    ", body=Constant(value=1), orelse=Constant(value=3)))], type_ignores=[])" },
  { "x = lambda: (yield_ := 1)\n",
    "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Lambda(args=arguments(posonl"
    "yargs=[], args=[], kwonlyargs=[], kw_defaults=[], defaults=[]), body=NamedExpr(target=Name("
    "id='yield_', ctx=Store()), value=Constant(value=1))))], type_ignores=[])" },
  { "x = 1 if True else 2 or 3\n",
    "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=IfExp(test=Constant(value=Tr"
    "ue), body=Constant(value=1), orelse=BoolOp(op=Or(), values=[Constant(value=2), Constant(val"
    "ue=3)])))], type_ignores=[])" },
  { "x = a.b[c]\n",
    "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Subscript(value=Attribute(va"
    "lue=Name(id='a', ctx=Load()), attr='b', ctx=Load()), slice=Name(id='c', ctx=Load()), ctx=Lo"
    "ad()))], type_ignores=[])" },
  { "not a == b\n",
    "Module(body=[Expr(value=UnaryOp(op=Not(), operand=Compare(left=Name(id='a', ctx=Load()), op"
    "s=[Eq()], comparators=[Name(id='b', ctx=Load())])))], type_ignores=[])" },
  { "for x in 1, 2, 3: pass\n",
    "Module(body=[For(target=Name(id='x', ctx=Store()), iter=Tuple(elts=[Constant(value=1), Cons"
    "tant(value=2), Constant(value=3)], ctx=Load()), body=[Pass()], orelse=[])], type_ignores=[]"
    ")" },
  { "for x, in y: pass\n",
    "Module(body=[For(target=Tuple(elts=[Name(id='x', ctx=Store())], ctx=Store()), iter=Name(id="
    "'y', ctx=Load()), body=[Pass()], orelse=[])], type_ignores=[])" },
  { "for [a, b] in c: pass\n",
    "Module(body=[For(target=List(elts=[Name(id='a', ctx=Store()), Name(id='b', ctx=Store())], c"
    "tx=Store()), iter=Name(id='c', ctx=Load()), body=[Pass()], orelse=[])], type_ignores=[])" },
  { "return_value = 1\n",
    "Module(body=[Assign(targets=[Name(id='return_value', ctx=Store())], value=Constant(value=1)"
    ")], type_ignores=[])" },
  { "def f(\n    a,\n    b,\n):\n    pass\n",
    "Module(body=[FunctionDef(name='f', args=arguments(posonlyargs=[], args=[arg(arg='a'), arg(a"
    "rg='b')], kwonlyargs=[], kw_defaults=[], defaults=[]), body=[Pass()], decorator_list=[])], "
    "type_ignores=[])" },
  { "x = {**a, 'b': 1, **c}\n",
    "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Dict(keys=[None, Constant(va"
    "lue='b'), None], values=[Name(id='a', ctx=Load()), Constant(value=1), Name(id='c', ctx=Load"
    "())]))], type_ignores=[])" },
  { "x = (yield_)\n",
    "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Name(id='yield_', ctx=Load()"
    "))], type_ignores=[])" },
};

/* From CPython 3.11: ast.dump (ast.parse (source), include_attributes=True). */
static const DumpCase pos_cases[] = {
  { "x = 1\n",
    "Module(body=[Assign(targets=[Name(id='x', ctx=Store(), lineno=1, col_offset=0, end_lineno=1"
    ", end_col_offset=1)], value=Constant(value=1, lineno=1, col_offset=4, end_lineno=1, end_col"
    "_offset=5), lineno=1, col_offset=0, end_lineno=1, end_col_offset=5)], type_ignores=[])" },
  { "def f(a, b=2):\n    return a + b\n",
    "Module(body=[FunctionDef(name='f', args=arguments(posonlyargs=[], args=[arg(arg='a', lineno"
    "=1, col_offset=6, end_lineno=1, end_col_offset=7), arg(arg='b', lineno=1, col_offset=9, end"
    "_lineno=1, end_col_offset=10)], kwonlyargs=[], kw_defaults=[], defaults=[Constant(value=2, "
    "lineno=1, col_offset=11, end_lineno=1, end_col_offset=12)]), body=[Return(value=BinOp(left="
    "Name(id='a', ctx=Load(), lineno=2, col_offset=11, end_lineno=2, end_col_offset=12), op=Add("
    "), right=Name(id='b', ctx=Load(), lineno=2, col_offset=15, end_lineno=2, end_col_offset=16)"
    ", lineno=2, col_offset=11, end_lineno=2, end_col_offset=16), lineno=2, col_offset=4, end_li"
    "neno=2, end_col_offset=16)], decorator_list=[], lineno=1, col_offset=0, end_lineno=2, end_c"
    "ol_offset=16)], type_ignores=[])" },
  { "if a:\n    b = (1 +\n         2)\nelif c:\n    pass\nelse:\n    d[1:2] = e.f(g, *h, k=3, **"
    "m)\n",
    "Module(body=[If(test=Name(id='a', ctx=Load(), lineno=1, col_offset=3, end_lineno=1, end_col"
    "_offset=4), body=[Assign(targets=[Name(id='b', ctx=Store(), lineno=2, col_offset=4, end_lin"
    "eno=2, end_col_offset=5)], value=BinOp(left=Constant(value=1, lineno=2, col_offset=9, end_l"
    "ineno=2, end_col_offset=10), op=Add(), right=Constant(value=2, lineno=3, col_offset=9, end_"
    "lineno=3, end_col_offset=10), lineno=2, col_offset=9, end_lineno=3, end_col_offset=10), lin"
    "eno=2, col_offset=4, end_lineno=3, end_col_offset=11)], orelse=[If(test=Name(id='c', ctx=Lo"
    "ad(), lineno=4, col_offset=5, end_lineno=4, end_col_offset=6), body=[Pass(lineno=5, col_off"
    "set=4, end_lineno=5, end_col_offset=8)], orelse=[Assign(targets=[Subscript(value=Name(id='d"
    "', ctx=Load(), lineno=7, col_offset=4, end_lineno=7, end_col_offset=5), slice=Slice(lower=C"
    "onstant(value=1, lineno=7, col_offset=6, end_lineno=7, end_col_offset=7), upper=Constant(va"
    "lue=2, lineno=7, col_offset=8, end_lineno=7, end_col_offset=9), lineno=7, col_offset=6, end"
    "_lineno=7, end_col_offset=9), ctx=Store(), lineno=7, col_offset=4, end_lineno=7, end_col_of"
    "fset=10)], value=Call(func=Attribute(value=Name(id='e', ctx=Load(), lineno=7, col_offset=13"
    ", end_lineno=7, end_col_offset=14), attr='f', ctx=Load(), lineno=7, col_offset=13, end_line"
    "no=7, end_col_offset=16), args=[Name(id='g', ctx=Load(), lineno=7, col_offset=17, end_linen"
    "o=7, end_col_offset=18), Starred(value=Name(id='h', ctx=Load(), lineno=7, col_offset=21, en"
    "d_lineno=7, end_col_offset=22), ctx=Load(), lineno=7, col_offset=20, end_lineno=7, end_col_"
    "offset=22)], keywords=[keyword(arg='k', value=Constant(value=3, lineno=7, col_offset=26, en"
    "d_lineno=7, end_col_offset=27), lineno=7, col_offset=24, end_lineno=7, end_col_offset=27), "
    "keyword(value=Name(id='m', ctx=Load(), lineno=7, col_offset=31, end_lineno=7, end_col_offse"
    "t=32), lineno=7, col_offset=29, end_lineno=7, end_col_offset=32)], lineno=7, col_offset=13,"
    " end_lineno=7, end_col_offset=33), lineno=7, col_offset=4, end_lineno=7, end_col_offset=33)"
    "], lineno=4, col_offset=0, end_lineno=7, end_col_offset=33)], lineno=1, col_offset=0, end_l"
    "ineno=7, end_col_offset=33)], type_ignores=[])" },
  { "try:\n    x\nexcept (A, B) as e:\n    y\nfinally:\n    z\n",
    "Module(body=[Try(body=[Expr(value=Name(id='x', ctx=Load(), lineno=2, col_offset=4, end_line"
    "no=2, end_col_offset=5), lineno=2, col_offset=4, end_lineno=2, end_col_offset=5)], handlers"
    "=[ExceptHandler(type=Tuple(elts=[Name(id='A', ctx=Load(), lineno=3, col_offset=8, end_linen"
    "o=3, end_col_offset=9), Name(id='B', ctx=Load(), lineno=3, col_offset=11, end_lineno=3, end"
    "_col_offset=12)], ctx=Load(), lineno=3, col_offset=7, end_lineno=3, end_col_offset=13), nam"
    "e='e', body=[Expr(value=Name(id='y', ctx=Load(), lineno=4, col_offset=4, end_lineno=4, end_"
    "col_offset=5), lineno=4, col_offset=4, end_lineno=4, end_col_offset=5)], lineno=3, col_offs"
    "et=0, end_lineno=4, end_col_offset=5)], orelse=[], finalbody=[Expr(value=Name(id='z', ctx=L"
    "oad(), lineno=6, col_offset=4, end_lineno=6, end_col_offset=5), lineno=6, col_offset=4, end"
    "_lineno=6, end_col_offset=5)], lineno=1, col_offset=0, end_lineno=6, end_col_offset=5)], ty"
    "pe_ignores=[])" },
  { "x = [i * 2 for i in range(10) if i % 2]\n",
    "Module(body=[Assign(targets=[Name(id='x', ctx=Store(), lineno=1, col_offset=0, end_lineno=1"
    ", end_col_offset=1)], value=ListComp(elt=BinOp(left=Name(id='i', ctx=Load(), lineno=1, col_"
    "offset=5, end_lineno=1, end_col_offset=6), op=Mult(), right=Constant(value=2, lineno=1, col"
    "_offset=9, end_lineno=1, end_col_offset=10), lineno=1, col_offset=5, end_lineno=1, end_col_"
    "offset=10), generators=[comprehension(target=Name(id='i', ctx=Store(), lineno=1, col_offset"
    "=15, end_lineno=1, end_col_offset=16), iter=Call(func=Name(id='range', ctx=Load(), lineno=1"
    ", col_offset=20, end_lineno=1, end_col_offset=25), args=[Constant(value=10, lineno=1, col_o"
    "ffset=26, end_lineno=1, end_col_offset=28)], keywords=[], lineno=1, col_offset=20, end_line"
    "no=1, end_col_offset=29), ifs=[BinOp(left=Name(id='i', ctx=Load(), lineno=1, col_offset=33,"
    " end_lineno=1, end_col_offset=34), op=Mod(), right=Constant(value=2, lineno=1, col_offset=3"
    "7, end_lineno=1, end_col_offset=38), lineno=1, col_offset=33, end_lineno=1, end_col_offset="
    "38)], is_async=0)], lineno=1, col_offset=4, end_lineno=1, end_col_offset=39), lineno=1, col"
    "_offset=0, end_lineno=1, end_col_offset=39)], type_ignores=[])" },
  { "print(f'{a!r:>{w}} and {b}')\n",
    "Module(body=[Expr(value=Call(func=Name(id='print', ctx=Load(), lineno=1, col_offset=0, end_"
    "lineno=1, end_col_offset=5), args=[JoinedStr(values=[FormattedValue(value=Name(id='a', ctx="
    "Load(), lineno=1, col_offset=9, end_lineno=1, end_col_offset=10), conversion=114, format_sp"
    "ec=JoinedStr(values=[Constant(value='>', lineno=1, col_offset=6, end_lineno=1, end_col_offs"
    "et=27), FormattedValue(value=Name(id='w', ctx=Load(), lineno=1, col_offset=15, end_lineno=1"
    ", end_col_offset=16), conversion=-1, lineno=1, col_offset=6, end_lineno=1, end_col_offset=2"
    "7)], lineno=1, col_offset=6, end_lineno=1, end_col_offset=27), lineno=1, col_offset=6, end_"
    "lineno=1, end_col_offset=27), Constant(value=' and ', lineno=1, col_offset=6, end_lineno=1,"
    " end_col_offset=27), FormattedValue(value=Name(id='b', ctx=Load(), lineno=1, col_offset=24,"
    " end_lineno=1, end_col_offset=25), conversion=-1, lineno=1, col_offset=6, end_lineno=1, end"
    "_col_offset=27)], lineno=1, col_offset=6, end_lineno=1, end_col_offset=27)], keywords=[], l"
    "ineno=1, col_offset=0, end_lineno=1, end_col_offset=28), lineno=1, col_offset=0, end_lineno"
    "=1, end_col_offset=28)], type_ignores=[])" },
  { "x = 'caf\303\251' + \303\251t\303\251\n",
    "Module(body=[Assign(targets=[Name(id='x', ctx=Store(), lineno=1, col_offset=0, end_lineno=1"
    ", end_col_offset=1)], value=BinOp(left=Constant(value='caf\303\251', lineno=1, col_offset=4"
    ", end_lineno=1, end_col_offset=11), op=Add(), right=Name(id='\303\251t\303\251', ctx=Load()"
    ", lineno=1, col_offset=14, end_lineno=1, end_col_offset=19), lineno=1, col_offset=4, end_li"
    "neno=1, end_col_offset=19), lineno=1, col_offset=0, end_lineno=1, end_col_offset=19)], type"
    "_ignores=[])" },
  { "class A(B):\n    @staticmethod\n    def m(x, *a, y, **k): pass\n"
    "",
    "Module(body=[ClassDef(name='A', bases=[Name(id='B', ctx=Load(), lineno=1, col_offset=8, end"
    "_lineno=1, end_col_offset=9)], keywords=[], body=[FunctionDef(name='m', args=arguments(poso"
    "nlyargs=[], args=[arg(arg='x', lineno=3, col_offset=10, end_lineno=3, end_col_offset=11)], "
    "vararg=arg(arg='a', lineno=3, col_offset=14, end_lineno=3, end_col_offset=15), kwonlyargs=["
    "arg(arg='y', lineno=3, col_offset=17, end_lineno=3, end_col_offset=18)], kw_defaults=[None]"
    ", kwarg=arg(arg='k', lineno=3, col_offset=22, end_lineno=3, end_col_offset=23), defaults=[]"
    "), body=[Pass(lineno=3, col_offset=26, end_lineno=3, end_col_offset=30)], decorator_list=[N"
    "ame(id='staticmethod', ctx=Load(), lineno=2, col_offset=5, end_lineno=2, end_col_offset=17)"
    "], lineno=3, col_offset=4, end_lineno=3, end_col_offset=30)], decorator_list=[], lineno=1, "
    "col_offset=0, end_lineno=3, end_col_offset=30)], type_ignores=[])" },
  { "import a.b as c\nfrom . import (d as e)\n",
    "Module(body=[Import(names=[alias(name='a.b', asname='c', lineno=1, col_offset=7, end_lineno"
    "=1, end_col_offset=15)], lineno=1, col_offset=0, end_lineno=1, end_col_offset=15), ImportFr"
    "om(names=[alias(name='d', asname='e', lineno=2, col_offset=15, end_lineno=2, end_col_offset"
    "=21)], level=1, lineno=2, col_offset=0, end_lineno=2, end_col_offset=22)], type_ignores=[])"
    "" },
  { "x = (a)\n(a) + (b)\n((a)).b\n(a)(b)\n",
    "Module(body=[Assign(targets=[Name(id='x', ctx=Store(), lineno=1, col_offset=0, end_lineno=1"
    ", end_col_offset=1)], value=Name(id='a', ctx=Load(), lineno=1, col_offset=5, end_lineno=1, "
    "end_col_offset=6), lineno=1, col_offset=0, end_lineno=1, end_col_offset=7), Expr(value=BinO"
    "p(left=Name(id='a', ctx=Load(), lineno=2, col_offset=1, end_lineno=2, end_col_offset=2), op"
    "=Add(), right=Name(id='b', ctx=Load(), lineno=2, col_offset=7, end_lineno=2, end_col_offset"
    "=8), lineno=2, col_offset=0, end_lineno=2, end_col_offset=9), lineno=2, col_offset=0, end_l"
    "ineno=2, end_col_offset=9), Expr(value=Attribute(value=Name(id='a', ctx=Load(), lineno=3, c"
    "ol_offset=2, end_lineno=3, end_col_offset=3), attr='b', ctx=Load(), lineno=3, col_offset=0,"
    " end_lineno=3, end_col_offset=7), lineno=3, col_offset=0, end_lineno=3, end_col_offset=7), "
    "Expr(value=Call(func=Name(id='a', ctx=Load(), lineno=4, col_offset=1, end_lineno=4, end_col"
    "_offset=2), args=[Name(id='b', ctx=Load(), lineno=4, col_offset=4, end_lineno=4, end_col_of"
    "fset=5)], keywords=[], lineno=4, col_offset=0, end_lineno=4, end_col_offset=6), lineno=4, c"
    "ol_offset=0, end_lineno=4, end_col_offset=6)], type_ignores=[])" },
  { "a, b = c\n(a, b) = c\n",
    "Module(body=[Assign(targets=[Tuple(elts=[Name(id='a', ctx=Store(), lineno=1, col_offset=0, "
    "end_lineno=1, end_col_offset=1), Name(id='b', ctx=Store(), lineno=1, col_offset=3, end_line"
    "no=1, end_col_offset=4)], ctx=Store(), lineno=1, col_offset=0, end_lineno=1, end_col_offset"
    "=4)], value=Name(id='c', ctx=Load(), lineno=1, col_offset=7, end_lineno=1, end_col_offset=8"
    "), lineno=1, col_offset=0, end_lineno=1, end_col_offset=8), Assign(targets=[Tuple(elts=[Nam"
    "e(id='a', ctx=Store(), lineno=2, col_offset=1, end_lineno=2, end_col_offset=2), Name(id='b'"
    ", ctx=Store(), lineno=2, col_offset=4, end_lineno=2, end_col_offset=5)], ctx=Store(), linen"
    "o=2, col_offset=0, end_lineno=2, end_col_offset=6)], value=Name(id='c', ctx=Load(), lineno="
    "2, col_offset=9, end_lineno=2, end_col_offset=10), lineno=2, col_offset=0, end_lineno=2, en"
    "d_col_offset=10)], type_ignores=[])" },
  { "while x:\n    x -= 1\nelse:\n    pass\n",
    "Module(body=[While(test=Name(id='x', ctx=Load(), lineno=1, col_offset=6, end_lineno=1, end_"
    "col_offset=7), body=[AugAssign(target=Name(id='x', ctx=Store(), lineno=2, col_offset=4, end"
    "_lineno=2, end_col_offset=5), op=Sub(), value=Constant(value=1, lineno=2, col_offset=9, end"
    "_lineno=2, end_col_offset=10), lineno=2, col_offset=4, end_lineno=2, end_col_offset=10)], o"
    "relse=[Pass(lineno=4, col_offset=4, end_lineno=4, end_col_offset=8)], lineno=1, col_offset="
    "0, end_lineno=4, end_col_offset=8)], type_ignores=[])" },
  { "for i in x:\n    pass\n",
    "Module(body=[For(target=Name(id='i', ctx=Store(), lineno=1, col_offset=4, end_lineno=1, end"
    "_col_offset=5), iter=Name(id='x', ctx=Load(), lineno=1, col_offset=9, end_lineno=1, end_col"
    "_offset=10), body=[Pass(lineno=2, col_offset=4, end_lineno=2, end_col_offset=8)], orelse=[]"
    ", lineno=1, col_offset=0, end_lineno=2, end_col_offset=8)], type_ignores=[])" },
  { "lambda x: x\n",
    "Module(body=[Expr(value=Lambda(args=arguments(posonlyargs=[], args=[arg(arg='x', lineno=1, "
    "col_offset=7, end_lineno=1, end_col_offset=8)], kwonlyargs=[], kw_defaults=[], defaults=[])"
    ", body=Name(id='x', ctx=Load(), lineno=1, col_offset=10, end_lineno=1, end_col_offset=11), "
    "lineno=1, col_offset=0, end_lineno=1, end_col_offset=11), lineno=1, col_offset=0, end_linen"
    "o=1, end_col_offset=11)], type_ignores=[])" },
  { "x = a if b else c\n",
    "Module(body=[Assign(targets=[Name(id='x', ctx=Store(), lineno=1, col_offset=0, end_lineno=1"
    ", end_col_offset=1)], value=IfExp(test=Name(id='b', ctx=Load(), lineno=1, col_offset=9, end"
    "_lineno=1, end_col_offset=10), body=Name(id='a', ctx=Load(), lineno=1, col_offset=4, end_li"
    "neno=1, end_col_offset=5), orelse=Name(id='c', ctx=Load(), lineno=1, col_offset=16, end_lin"
    "eno=1, end_col_offset=17), lineno=1, col_offset=4, end_lineno=1, end_col_offset=17), lineno"
    "=1, col_offset=0, end_lineno=1, end_col_offset=17)], type_ignores=[])" },
  { "assert a, b\nraise E from F\ndel a, b\nglobal g\n",
    "Module(body=[Assert(test=Name(id='a', ctx=Load(), lineno=1, col_offset=7, end_lineno=1, end"
    "_col_offset=8), msg=Name(id='b', ctx=Load(), lineno=1, col_offset=10, end_lineno=1, end_col"
    "_offset=11), lineno=1, col_offset=0, end_lineno=1, end_col_offset=11), Raise(exc=Name(id='E"
    "', ctx=Load(), lineno=2, col_offset=6, end_lineno=2, end_col_offset=7), cause=Name(id='F', "
    "ctx=Load(), lineno=2, col_offset=13, end_lineno=2, end_col_offset=14), lineno=2, col_offset"
    "=0, end_lineno=2, end_col_offset=14), Delete(targets=[Name(id='a', ctx=Del(), lineno=3, col"
    "_offset=4, end_lineno=3, end_col_offset=5), Name(id='b', ctx=Del(), lineno=3, col_offset=7,"
    " end_lineno=3, end_col_offset=8)], lineno=3, col_offset=0, end_lineno=3, end_col_offset=8),"
    " Global(names=['g'], lineno=4, col_offset=0, end_lineno=4, end_col_offset=8)], type_ignores"
    "=[])" },
  { "x: int = 5\ny += 1\n",
    "Module(body=[AnnAssign(target=Name(id='x', ctx=Store(), lineno=1, col_offset=0, end_lineno="
    "1, end_col_offset=1), annotation=Name(id='int', ctx=Load(), lineno=1, col_offset=3, end_lin"
    "eno=1, end_col_offset=6), value=Constant(value=5, lineno=1, col_offset=9, end_lineno=1, end"
    "_col_offset=10), simple=1, lineno=1, col_offset=0, end_lineno=1, end_col_offset=10), AugAss"
    "ign(target=Name(id='y', ctx=Store(), lineno=2, col_offset=0, end_lineno=2, end_col_offset=1"
    "), op=Add(), value=Constant(value=1, lineno=2, col_offset=5, end_lineno=2, end_col_offset=6"
    "), lineno=2, col_offset=0, end_lineno=2, end_col_offset=6)], type_ignores=[])" },
  { "f(x for x in y)\n",
    "Module(body=[Expr(value=Call(func=Name(id='f', ctx=Load(), lineno=1, col_offset=0, end_line"
    "no=1, end_col_offset=1), args=[GeneratorExp(elt=Name(id='x', ctx=Load(), lineno=1, col_offs"
    "et=2, end_lineno=1, end_col_offset=3), generators=[comprehension(target=Name(id='x', ctx=St"
    "ore(), lineno=1, col_offset=8, end_lineno=1, end_col_offset=9), iter=Name(id='y', ctx=Load("
    "), lineno=1, col_offset=13, end_lineno=1, end_col_offset=14), ifs=[], is_async=0)], lineno="
    "1, col_offset=1, end_lineno=1, end_col_offset=15)], keywords=[], lineno=1, col_offset=0, en"
    "d_lineno=1, end_col_offset=15), lineno=1, col_offset=0, end_lineno=1, end_col_offset=15)], "
    "type_ignores=[])" },
  { "with a as b: pass\n",
    "Module(body=[With(items=[withitem(context_expr=Name(id='a', ctx=Load(), lineno=1, col_offse"
    "t=5, end_lineno=1, end_col_offset=6), optional_vars=Name(id='b', ctx=Store(), lineno=1, col"
    "_offset=10, end_lineno=1, end_col_offset=11))], body=[Pass(lineno=1, col_offset=13, end_lin"
    "eno=1, end_col_offset=17)], lineno=1, col_offset=0, end_lineno=1, end_col_offset=17)], type"
    "_ignores=[])" },
  { "x = {1: 2, **c}\ny = {1, *d}\n",
    "Module(body=[Assign(targets=[Name(id='x', ctx=Store(), lineno=1, col_offset=0, end_lineno=1"
    ", end_col_offset=1)], value=Dict(keys=[Constant(value=1, lineno=1, col_offset=5, end_lineno"
    "=1, end_col_offset=6), None], values=[Constant(value=2, lineno=1, col_offset=8, end_lineno="
    "1, end_col_offset=9), Name(id='c', ctx=Load(), lineno=1, col_offset=13, end_lineno=1, end_c"
    "ol_offset=14)], lineno=1, col_offset=4, end_lineno=1, end_col_offset=15), lineno=1, col_off"
    "set=0, end_lineno=1, end_col_offset=15), Assign(targets=[Name(id='y', ctx=Store(), lineno=2"
    ", col_offset=0, end_lineno=2, end_col_offset=1)], value=Set(elts=[Constant(value=1, lineno="
    "2, col_offset=5, end_lineno=2, end_col_offset=6), Starred(value=Name(id='d', ctx=Load(), li"
    "neno=2, col_offset=9, end_lineno=2, end_col_offset=10), ctx=Load(), lineno=2, col_offset=8,"
    " end_lineno=2, end_col_offset=10)], lineno=2, col_offset=4, end_lineno=2, end_col_offset=11"
    "), lineno=2, col_offset=0, end_lineno=2, end_col_offset=11)], type_ignores=[])" },
  { "x = -1 ** 2\n",
    "Module(body=[Assign(targets=[Name(id='x', ctx=Store(), lineno=1, col_offset=0, end_lineno=1"
    ", end_col_offset=1)], value=UnaryOp(op=USub(), operand=BinOp(left=Constant(value=1, lineno="
    "1, col_offset=5, end_lineno=1, end_col_offset=6), op=Pow(), right=Constant(value=2, lineno="
    "1, col_offset=10, end_lineno=1, end_col_offset=11), lineno=1, col_offset=5, end_lineno=1, e"
    "nd_col_offset=11), lineno=1, col_offset=4, end_lineno=1, end_col_offset=11), lineno=1, col_"
    "offset=0, end_lineno=1, end_col_offset=11)], type_ignores=[])" },
  { "x = not a or b and c\n",
    "Module(body=[Assign(targets=[Name(id='x', ctx=Store(), lineno=1, col_offset=0, end_lineno=1"
    ", end_col_offset=1)], value=BoolOp(op=Or(), values=[UnaryOp(op=Not(), operand=Name(id='a', "
    "ctx=Load(), lineno=1, col_offset=8, end_lineno=1, end_col_offset=9), lineno=1, col_offset=4"
    ", end_lineno=1, end_col_offset=9), BoolOp(op=And(), values=[Name(id='b', ctx=Load(), lineno"
    "=1, col_offset=13, end_lineno=1, end_col_offset=14), Name(id='c', ctx=Load(), lineno=1, col"
    "_offset=19, end_lineno=1, end_col_offset=20)], lineno=1, col_offset=13, end_lineno=1, end_c"
    "ol_offset=20)], lineno=1, col_offset=4, end_lineno=1, end_col_offset=20), lineno=1, col_off"
    "set=0, end_lineno=1, end_col_offset=20)], type_ignores=[])" },
  { "x = a < b < c\n",
    "Module(body=[Assign(targets=[Name(id='x', ctx=Store(), lineno=1, col_offset=0, end_lineno=1"
    ", end_col_offset=1)], value=Compare(left=Name(id='a', ctx=Load(), lineno=1, col_offset=4, e"
    "nd_lineno=1, end_col_offset=5), ops=[Lt(), Lt()], comparators=[Name(id='b', ctx=Load(), lin"
    "eno=1, col_offset=8, end_lineno=1, end_col_offset=9), Name(id='c', ctx=Load(), lineno=1, co"
    "l_offset=12, end_lineno=1, end_col_offset=13)], lineno=1, col_offset=4, end_lineno=1, end_c"
    "ol_offset=13), lineno=1, col_offset=0, end_lineno=1, end_col_offset=13)], type_ignores=[])" },
  { "s = 'a' \\\n    'b'\n",
    "Module(body=[Assign(targets=[Name(id='s', ctx=Store(), lineno=1, col_offset=0, end_lineno=1"
    ", end_col_offset=1)], value=Constant(value='ab', lineno=1, col_offset=4, end_lineno=2, end_"
    "col_offset=7), lineno=1, col_offset=0, end_lineno=2, end_col_offset=7)], type_ignores=[])" },
  { "x = \"\"\"a\nb\"\"\"\n",
    "Module(body=[Assign(targets=[Name(id='x', ctx=Store(), lineno=1, col_offset=0, end_lineno=1"
    ", end_col_offset=1)], value=Constant(value='a\\nb', lineno=1, col_offset=4, end_lineno=2, e"
    "nd_col_offset=4), lineno=1, col_offset=0, end_lineno=2, end_col_offset=4)], type_ignores=[]"
    ")" },
};

/* From CPython 3.11: what `python3 t.py` prints on stderr for each source. */
static const ErrCase error_cases[] = {
  { "x = (1,\n2\n", 10,
    "  File \"t.py\", line 1\n    x = (1,\n        ^\nSyntaxError: '(' was never closed\n"
    "" },
  { "x = \"abc\n", 9,
    "  File \"t.py\", line 1\n    x = \"abc\n        ^\nSyntaxError: unterminated string literal"
    " (detected at line 1)\n" },
  { "x = \"\"\"abc\n\n", 12,
    "  File \"t.py\", line 1\n    x = \"\"\"abc\n        ^\nSyntaxError: unterminated triple-quo"
    "ted string literal (detected at line 2)\n" },
  { "x = (1]\n", 8,
    "  File \"t.py\", line 1\n    x = (1]\n          ^\nSyntaxError: closing parenthesis ']' doe"
    "s not match opening parenthesis '('\n" },
  { "x = (1,\n     2]\n", 16,
    "  File \"t.py\", line 2\n    2]\n     ^\nSyntaxError: closing parenthesis ']' does not matc"
    "h opening parenthesis '(' on line 1\n" },
  { "x = 1)\n", 7,
    "  File \"t.py\", line 1\n    x = 1)\n         ^\nSyntaxError: unmatched ')'\n"
    "" },
  { "x = ]\n", 6,
    "  File \"t.py\", line 1\n    x = ]\n        ^\nSyntaxError: unmatched ']'\n"
    "" },
  { "if x:\n  a\n\tb\n", 13,
    "  File \"t.py\", line 3\n    b\nTabError: inconsistent use of tabs and spaces in indentatio"
    "n\n" },
  { "x = 1\\", 6,
    "  File \"t.py\", line 1\n    x = 1\\\n          ^\nSyntaxError: unexpected EOF while parsin"
    "g\n" },
  { "x = 1 \\ y\n", 10,
    "  File \"t.py\", line 1\n    x = 1 \\ y\n           ^\nSyntaxError: unexpected character af"
    "ter line continuation character\n" },
  { "x = 123abc\n", 11,
    "  File \"t.py\", line 1\n    x = 123abc\n          ^\nSyntaxError: invalid decimal literal\n"
    "" },
  { "x = 0xg\n", 8,
    "  File \"t.py\", line 1\n    x = 0xg\n         ^\nSyntaxError: invalid hexadecimal literal\n"
    "" },
  { "x = 012\n", 8,
    "  File \"t.py\", line 1\n    x = 012\n        ^\nSyntaxError: leading zeros in decimal inte"
    "ger literals are not permitted; use an 0o prefix for octal integers\n"
    "" },
  { "x = 0o8\n", 8,
    "  File \"t.py\", line 1\n    x = 0o8\n          ^\nSyntaxError: invalid digit '8' in octal "
    "literal\n" },
  { "x = 1_\n", 7,
    "  File \"t.py\", line 1\n    x = 1_\n         ^\nSyntaxError: invalid decimal literal\n"
    "" },
  { "x = 1e+\n", 8,
    "  File \"t.py\", line 1\n    x = 1e+\n          ^\nSyntaxError: invalid decimal literal\n"
    "" },
  { "x = a \342\202\254 b\n", 12,
    "  File \"t.py\", line 1\n    x = a \342\202\254 b\n          ^\n"
    "SyntaxError: invalid character '\342\202\254' (U+20AC)\n" },
  { "x = a $ b\n", 10,
    "  File \"t.py\", line 1\n    x = a $ b\n          ^\nSyntaxError: invalid syntax\n"
    "" },
  { "if x:\n    a\n  b\n", 16,
    "  File \"t.py\", line 3\n    b\n     ^\nIndentationError: unindent does not match any outer"
    " indentation level\n" },
  { "x = 1\n  y = 2\n", 14,
    "  File \"t.py\", line 2\n    y = 2\nIndentationError: unexpected indent\n"
    "" },
  { "if x\n    pass\n", 14,
    "  File \"t.py\", line 1\n    if x\n        ^\nSyntaxError: expected ':'\n"
    "" },
  { "while x\n    pass\n", 17,
    "  File \"t.py\", line 1\n    while x\n           ^\nSyntaxError: expected ':'\n"
    "" },
  { "def f()\n    pass\n", 17,
    "  File \"t.py\", line 1\n    def f()\n           ^\nSyntaxError: expected ':'\n"
    "" },
  { "class A\n    pass\n", 17,
    "  File \"t.py\", line 1\n    class A\n           ^\nSyntaxError: expected ':'\n"
    "" },
  { "if x:\npass\n", 11,
    "  File \"t.py\", line 2\n    pass\n    ^\nIndentationError: expected an indented block afte"
    "r 'if' statement on line 1\n" },
  { "elif_test = 1\nif x:\n    y\nelif z:\nw\n", 36,
    "  File \"t.py\", line 5\n    w\n    ^\nIndentationError: expected an indented block after '"
    "elif' statement on line 4\n" },
  { "if x:\n    y\nelse:\nw\n", 20,
    "  File \"t.py\", line 4\n    w\n    ^\nIndentationError: expected an indented block after '"
    "else' statement on line 3\n" },
  { "for x in y:\nz\n", 14,
    "  File \"t.py\", line 2\n    z\n    ^\nIndentationError: expected an indented block after '"
    "for' statement on line 1\n" },
  { "while x:\nz\n", 11,
    "  File \"t.py\", line 2\n    z\n    ^\nIndentationError: expected an indented block after '"
    "while' statement on line 1\n" },
  { "def f():\n\nx=1\n", 14,
    "  File \"t.py\", line 3\n    x=1\n    ^\nIndentationError: expected an indented block after"
    " function definition on line 1\n" },
  { "class A:\npass\n", 14,
    "  File \"t.py\", line 2\n    pass\n    ^\nIndentationError: expected an indented block afte"
    "r class definition on line 1\n" },
  { "try:\nx\n", 7,
    "  File \"t.py\", line 2\n    x\n    ^\nIndentationError: expected an indented block after '"
    "try' statement on line 1\n" },
  { "try:\n    x\nexcept:\npass\n", 24,
    "  File \"t.py\", line 4\n    pass\n    ^\nIndentationError: expected an indented block afte"
    "r 'except' statement on line 3\n" },
  { "try:\n    x\nfinally:\npass\n", 25,
    "  File \"t.py\", line 4\n    pass\n    ^\nIndentationError: expected an indented block afte"
    "r 'finally' statement on line 3\n" },
  { "while x:\n\n", 10,
    "  File \"t.py\", line 2\n    \nIndentationError: expected an indented block after 'while' s"
    "tatement on line 1\n" },
  { "try:\n    x\n\n", 12,
    "  File \"t.py\", line 3\n    \nSyntaxError: expected 'except' or 'finally' block\n"
    "" },
  { "with a:\nx\n", 10,
    "  File \"t.py\", line 2\n    x\n    ^\nIndentationError: expected an indented block after '"
    "with' statement on line 1\n" },
  { "x = [1 2]\n", 10,
    "  File \"t.py\", line 1\n    x = [1 2]\n         ^^^\nSyntaxError: invalid syntax. Perhaps "
    "you forgot a comma?\n" },
  { "f(a b)\n", 7,
    "  File \"t.py\", line 1\n    f(a b)\n      ^^^\nSyntaxError: invalid syntax. Perhaps you fo"
    "rgot a comma?\n" },
  { "x = (a b)\n", 10,
    "  File \"t.py\", line 1\n    x = (a b)\n         ^^^\nSyntaxError: invalid syntax. Perhaps "
    "you forgot a comma?\n" },
  { "x = 1 2\n", 8,
    "  File \"t.py\", line 1\n    x = 1 2\n          ^\nSyntaxError: invalid syntax\n"
    "" },
  { "f(a=1, b c)\n", 12,
    "  File \"t.py\", line 1\n    f(a=1, b c)\n           ^^^\nSyntaxError: invalid syntax. Perh"
    "aps you forgot a comma?\n" },
  { "1 = x\n", 6,
    "  File \"t.py\", line 1\n    1 = x\n    ^\nSyntaxError: cannot assign to literal here. Mayb"
    "e you meant '==' instead of '='?\n" },
  { "f() = 1\n", 8,
    "  File \"t.py\", line 1\n    f() = 1\n    ^^^\nSyntaxError: cannot assign to function call "
    "here. Maybe you meant '==' instead of '='?\n" },
  { "a + b = 1\n", 10,
    "  File \"t.py\", line 1\n    a + b = 1\n    ^^^^^\nSyntaxError: cannot assign to expression"
    " here. Maybe you meant '==' instead of '='?\n" },
  { "x = 1 = 2\n", 10,
    "  File \"t.py\", line 1\n    x = 1 = 2\n        ^\nSyntaxError: cannot assign to literal\n"
    "" },
  { "x = f() = 2\n", 12,
    "  File \"t.py\", line 1\n    x = f() = 2\n        ^^^\nSyntaxError: cannot assign to functi"
    "on call\n" },
  { "[a, f()] = 1\n", 13,
    "  File \"t.py\", line 1\n    [a, f()] = 1\n        ^^^\nSyntaxError: cannot assign to funct"
    "ion call\n" },
  { "a, b + 1 = 1\n", 13,
    "  File \"t.py\", line 1\n    a, b + 1 = 1\n       ^^^^^\nSyntaxError: cannot assign to expr"
    "ession here. Maybe you meant '==' instead of '='?\n" },
  { "f(), b = 1\n", 11,
    "  File \"t.py\", line 1\n    f(), b = 1\n         ^^^^^\nSyntaxError: invalid syntax. Maybe"
    " you meant '==' or ':=' instead of '='?\n" },
  { "None = 1\n", 9,
    "  File \"t.py\", line 1\n    None = 1\n    ^^^^\nSyntaxError: cannot assign to None\n"
    "" },
  { "(a := 1) = 2\n", 13,
    "  File \"t.py\", line 1\n    (a := 1) = 2\n     ^^^^^^\nSyntaxError: cannot assign to named"
    " expression here. Maybe you meant '==' instead of '='?\n" },
  { "a < b = 1\n", 10,
    "  File \"t.py\", line 1\n    a < b = 1\n    ^^^^^\nSyntaxError: cannot assign to comparison"
    "\n" },
  { "x + 1 += 1\n", 11,
    "  File \"t.py\", line 1\n    x + 1 += 1\n    ^^^^^\nSyntaxError: 'expression' is an illegal"
    " expression for augmented assignment\n" },
  { "del f()\n", 8,
    "  File \"t.py\", line 1\n    del f()\n        ^^^\nSyntaxError: cannot delete function call"
    "\n" },
  { "for f() in x: pass\n", 19,
    "  File \"t.py\", line 1\n    for f() in x: pass\n        ^^^\n"
    "SyntaxError: cannot assign to function call\n" },
  { "if x = 1:\n  pass\n", 17,
    "  File \"t.py\", line 1\n    if x = 1:\n       ^^^^^\nSyntaxError: invalid syntax. Maybe yo"
    "u meant '==' or ':=' instead of '='?\n" },
  { "a.b := 1\n", 9,
    "  File \"t.py\", line 1\n    a.b := 1\n    ^^^\nSyntaxError: cannot use assignment expressi"
    "ons with attribute\n" },
  { "f(1 = 2)\n", 9,
    "  File \"t.py\", line 1\n    f(1 = 2)\n      ^^^\nSyntaxError: expression cannot contain as"
    "signment, perhaps you meant \"==\"?\n" },
  { "f(True=1)\n", 10,
    "  File \"t.py\", line 1\n    f(True=1)\n      ^^^^^\nSyntaxError: cannot assign to True\n"
    "" },
  { "f(a=1, 2)\n", 10,
    "  File \"t.py\", line 1\n    f(a=1, 2)\n            ^\nSyntaxError: positional argument fol"
    "lows keyword argument\n" },
  { "f(**k, *a)\n", 11,
    "  File \"t.py\", line 1\n    f(**k, *a)\n           ^\nSyntaxError: iterable argument unpac"
    "king follows keyword argument unpacking\n" },
  { "f(**k, a)\n", 10,
    "  File \"t.py\", line 1\n    f(**k, a)\n            ^\nSyntaxError: positional argument fol"
    "lows keyword argument unpacking\n" },
  { "f(x for x in y, 1)\n", 19,
    "  File \"t.py\", line 1\n    f(x for x in y, 1)\n      ^^^^^^^^^^^^\n"
    "SyntaxError: Generator expression must be parenthesized\n" },
  { "def f(a=1, b): pass\n", 20,
    "  File \"t.py\", line 1\n    def f(a=1, b): pass\n               ^\n"
    "SyntaxError: non-default argument follows default argument\n" },
  { "def f(*): pass\n", 15,
    "  File \"t.py\", line 1\n    def f(*): pass\n          ^\nSyntaxError: named arguments must"
    " follow bare *\n" },
  { "x: int, y: int = 1\n", 19,
    "  File \"t.py\", line 1\n    x: int, y: int = 1\n          ^\n"
    "SyntaxError: invalid syntax\n" },
  { "print \"hi\"\n", 11,
    "  File \"t.py\", line 1\n    print \"hi\"\n    ^^^^^^^^^^\nSyntaxError: Missing parentheses"
    " in call to 'print'. Did you mean print(...)?\n" },
  { "print x, y\n", 11,
    "  File \"t.py\", line 1\n    print x, y\n    ^^^^^^^^^^\nSyntaxError: Missing parentheses i"
    "n call to 'print'. Did you mean print(...)?\n" },
  { "x = a if b\n", 11,
    "  File \"t.py\", line 1\n    x = a if b\n        ^^^^^^\nSyntaxError: expected 'else' after"
    " 'if' expression\n" },
  { "def = 1\n", 8,
    "  File \"t.py\", line 1\n    def = 1\n        ^\nSyntaxError: invalid syntax\n"
    "" },
  { "x = 1 +\n", 8,
    "  File \"t.py\", line 1\n    x = 1 +\n           ^\nSyntaxError: invalid syntax\n"
    "" },
  { "import\n", 7,
    "  File \"t.py\", line 1\n    import\n          ^\nSyntaxError: invalid syntax\n"
    "" },
  { "x = {**a, b}\n", 13,
    "  File \"t.py\", line 1\n    x = {**a, b}\n              ^\nSyntaxError: ':' expected after"
    " dictionary key\n" },
  { "x = [*a for a in b]\n", 20,
    "  File \"t.py\", line 1\n    x = [*a for a in b]\n         ^^\n"
    "SyntaxError: iterable unpacking cannot be used in comprehension\n"
    "" },
  { "x = {**a for a in b}\n", 21,
    "  File \"t.py\", line 1\n    x = {**a for a in b}\n         ^^\n"
    "SyntaxError: dict unpacking cannot be used in dict comprehension\n"
    "" },
  { "x = f\"{a\"\n", 10,
    "  File \"t.py\", line 1\n    x = f\"{a\"\n             ^\nSyntaxError: f-string: expecting "
    "'}'\n" },
  { "x = f\"{}\"\n", 10,
    "  File \"t.py\", line 1\n    x = f\"{}\"\n             ^\nSyntaxError: f-string: empty expr"
    "ession not allowed\n" },
  { "x = f\"}\"\n", 9,
    "  File \"t.py\", line 1\n    x = f\"}\"\n            ^\nSyntaxError: f-string: single '}' i"
    "s not allowed\n" },
  { "x = f\"{a!x}\"\n", 13,
    "  File \"t.py\", line 1\n    x = f\"{a!x}\"\n                ^\n"
    "SyntaxError: f-string: invalid conversion character: expected 's', 'r', or 'a'\n"
    "" },
  { "x = f\"{a b}\" + 1\n", 17,
    "  File \"t.py\", line 1\n    (a b)\n     ^^^\nSyntaxError: f-string: invalid syntax. Perhap"
    "s you forgot a comma?\n" },
  { "x = f\"{a:{b:{c}}}\"\n", 19,
    "  File \"t.py\", line 1\n    x = f\"{a:{b:{c}}}\"\n                      ^\n"
    "SyntaxError: f-string: expressions nested too deeply\n" },
  { "x = f\"{\\n}\"\n", 12,
    "  File \"t.py\", line 1\n    x = f\"{\\n}\"\n               ^\n"
    "SyntaxError: f-string expression part cannot include a backslash\n"
    "" },
  { "x = f\"{#}\"\n", 11,
    "  File \"t.py\", line 1\n    x = f\"{#}\"\n              ^\nSyntaxError: f-string expressio"
    "n part cannot include '#'\n" },
  { "x = f\"{a)}\"\n", 12,
    "  File \"t.py\", line 1\n    x = f\"{a)}\"\n               ^\n"
    "SyntaxError: f-string: unmatched ')'\n" },
  { "x = f\"{=}\"\n", 11,
    "  File \"t.py\", line 1\n    x = f\"{=}\"\n              ^\nSyntaxError: f-string: expressi"
    "on required before '='\n" },
  { "x = '\\x4'\n", 10,
    "  File \"t.py\", line 1\n    x = '\\x4'\n             ^\nSyntaxError: (unicode error) 'unic"
    "odeescape' codec can't decode bytes in position 0-2: truncated \\xXX escape\n"
    "" },
  { "x = 1\ny = \377\n", 12,
    "SyntaxError: Non-UTF-8 code starting with '\\xff' in file t.py on line 2, but no encoding d"
    "eclared; see https://peps.python.org/pep-0263/ for details\n" },
  { "x = 1\ny = 2\000\n", 13,
    "  File \"t.py\", line 2\n    y = 2\nSyntaxError: source code cannot contain null bytes\n"
    "" },
  { "x = ((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((("
    "((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((("
    "(((((((((((((((((((((((\n", 206,
    "  File \"t.py\", line 1\n    x = (((((((((((((((((((((((((((((((((((((((((((((((((((((((((("
    "((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((("
    "((((((((((((((((((((((((((((((((((((((((((((((((((((\n                                     "
    "                                                                                           "
    "                                                                                ^\n"
    "SyntaxError: too many nested parentheses\n" },
  { "x = [1, 2\ny = 3\n", 16,
    "  File \"t.py\", line 1\n    x = [1, 2\n        ^\nSyntaxError: '[' was never closed\n"
    "" },
  { "x = 'abc\ny = 1\n", 15,
    "  File \"t.py\", line 1\n    x = 'abc\n        ^\nSyntaxError: unterminated string literal "
    "(detected at line 1)\n" },
  { "else: pass\n", 11,
    "  File \"t.py\", line 1\n    else: pass\n    ^^^^\nSyntaxError: invalid syntax\n"
    "" },
  { "  x = 1\n", 8,
    "  File \"t.py\", line 1\n    x = 1\nIndentationError: unexpected indent\n"
    "" },
  { "x = 1; ; y\n", 11,
    "  File \"t.py\", line 1\n    x = 1; ; y\n           ^\nSyntaxError: invalid syntax\n"
    "" },
  { "class\n", 6,
    "  File \"t.py\", line 1\n    class\n         ^\nSyntaxError: invalid syntax\n"
    "" },
  { "x = a.1\n", 8,
    "  File \"t.py\", line 1\n    x = a.1\n         ^^\nSyntaxError: invalid syntax\n"
    "" },
  { "x = a[]\n", 8,
    "  File \"t.py\", line 1\n    x = a[]\n          ^\nSyntaxError: invalid syntax\n"
    "" },
  { "class A(B) x:\n  pass\n", 21,
    "  File \"t.py\", line 1\n    class A(B) x:\n               ^\n"
    "SyntaxError: invalid syntax\n" },
  { "x := 1\n", 7,
    "  File \"t.py\", line 1\n    x := 1\n      ^^\nSyntaxError: invalid syntax\n"
    "" },
  { "x = 1 +# comment\n", 17,
    "  File \"t.py\", line 1\n    x = 1 +# comment\n           ^^^^^^^^^\n"
    "SyntaxError: invalid syntax\n" },
  { "y = [x for x ina if x]\n", 23,
    "  File \"t.py\", line 1\n    y = [x for x ina if x]\n               ^^^^^\n"
    "SyntaxError: invalid syntax. Perhaps you forgot a comma?\n" },
  { "  lass A:\n    x = 1}\n", 21,
    "  File \"t.py\", line 1\n    lass A:\nIndentationError: unexpected indent\n"
    "" },
  { "class A:\n    def m(self):\n        try:\ndef x(): pass\n", 53,
    "  File \"t.py\", line 4\n    def x(): pass\nIndentationError: expected an indented block af"
    "ter 'try' statement on line 3\n" },
  { "i * n == 0:\n    pass\n", 21,
    "  File \"t.py\", line 1\n    i * n == 0:\n              ^\nSyntaxError: invalid syntax\n"
    "" },
  { "if x y:\n    pass\n", 17,
    "  File \"t.py\", line 1\n    if x y:\n         ^\nSyntaxError: invalid syntax\n"
    "" },
  { "try:\n    x\ny = 1\n", 17,
    "  File \"t.py\", line 3\n    y = 1\n    ^\nSyntaxError: expected 'except' or 'finally' bloc"
    "k\n" },
  { "for x in y z:\n    pass\n", 23,
    "  File \"t.py\", line 1\n    for x in y z:\n               ^\n"
    "SyntaxError: invalid syntax\n" },
  { "nonlocal\n", 9,
    "  File \"t.py\", line 1\n    nonlocal\n            ^\nSyntaxError: invalid syntax\n"
    "" },
  { "if True:\n        x = 1\n\ty = 2\n", 30,
    "  File \"t.py\", line 3\n    y = 2\nTabError: inconsistent use of tabs and spaces in indent"
    "ation\n" },
  { "def f():\n    x\n   y\n", 20,
    "  File \"t.py\", line 3\n    y\n     ^\nIndentationError: unindent does not match any outer"
    " indentation level\n" },
};

/* Parses src; returns the dump (malloc'd) or NULL with *err_out the formatted error. */
static char *
parse_to_dump (const char *src, size_t len, bool positions, char **err_out)
{
  HsArena *arena = hs_arena_new ();
  HsSyntaxError err = { 0 };
  HsModule *m = hs_parse (arena, src, len, &err);
  char *out = NULL;
  if (m != NULL)
    out = positions ? hs_ast_dump_with_positions (m) : hs_ast_dump (m);
  else if (err_out != NULL)
    *err_out = hs_syntax_error_format (&err, "t.py");
  hs_syntax_error_clear (&err);
  hs_arena_free (arena);
  return out;
}

static void
check_dumps (const DumpCase *cases, size_t n, bool positions)
{
  int failures = 0;
  for (size_t i = 0; i < n; i++)
    {
      char *err = NULL;
      char *got = parse_to_dump (cases[i].source, strlen (cases[i].source), positions, &err);
      if (got == NULL || strcmp (got, cases[i].expected) != 0)
        {
          failures++;
          print_error ("case %zu: source:\n%s\nexpected: %s\ngot: %s\n%s", i, cases[i].source,
                       cases[i].expected, got ? got : "(error)", err ? err : "");
        }
      free (got);
      free (err);
    }
  assert_int_equal (failures, 0);
}

static void
test_parser_dumps (void **state)
{
  (void) state;
  check_dumps (dump_cases, sizeof dump_cases / sizeof dump_cases[0], false);
}

static void
test_parser_positions (void **state)
{
  (void) state;
  check_dumps (pos_cases, sizeof pos_cases / sizeof pos_cases[0], true);
}

static void
test_parser_syntax_errors (void **state)
{
  (void) state;
  int failures = 0;
  for (size_t i = 0; i < sizeof error_cases / sizeof error_cases[0]; i++)
    {
      char *err = NULL;
      char *got = parse_to_dump (error_cases[i].source, error_cases[i].len, false, &err);
      bool wrong = got != NULL || err == NULL || strcmp (err, error_cases[i].expected) != 0;
      if (wrong)
        {
          failures++;
          print_error ("case %zu: source:\n%s\nexpected:\n%sgot:\n%s\n", i, error_cases[i].source,
                       error_cases[i].expected, err ? err : got);
        }
      free (got);
      free (err);
    }
  assert_int_equal (failures, 0);
}

/* The runtime's own limits, worded clearly (CPython has no such limits). */
static void
test_parser_runtime_limits (void **state)
{
  (void) state;
  static const struct { const char *src; const char *msg; } cases[] = {
    { "x = 9223372036854775808\n", "integer literal too large" },
    { "x = 1j\n", "imaginary literals are not supported" },
    { "x = b'ab'\n", "bytes literals are not supported" },
    { "x = '\\N{DASH}'\n", "\\N{...} escapes are not supported" },
    { "def f(a, /): pass\n", "positional-only parameters" },
    { "def f():\n    yield 1\n", "'yield' is not supported" },
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    {
      HsArena *arena = hs_arena_new ();
      HsSyntaxError err = { 0 };
      HsModule *m = hs_parse (arena, cases[i].src, strlen (cases[i].src), &err);
      assert_null (m);
      assert_string_equal (err.type_name, "SyntaxError");
      if (strstr (err.message, cases[i].msg) == NULL)
        fail_msg ("case %zu: message '%s' lacks '%s'", i, err.message, cases[i].msg);
      assert_true (err.lineno >= 1);
      hs_syntax_error_clear (&err);
      hs_arena_free (arena);
    }
}

/* Annotations are parsed and dropped; the u prefix is accepted. */
static void
test_parser_ignored_syntax (void **state)
{
  (void) state;
  char *err = NULL;
  char *got = parse_to_dump ("def f(x: int = 3, *y: str, **z: 'q') -> None: pass\nx = u'abc'\n",
                             62, false, &err);
  assert_non_null (got);
  assert_string_equal (got,
                       "Module(body=[FunctionDef(name='f', args=arguments(posonlyargs=[], "
                       "args=[arg(arg='x')], vararg=arg(arg='y'), kwonlyargs=[], kw_defaults=[], "
                       "kwarg=arg(arg='z'), defaults=[Constant(value=3)]), body=[Pass()], "
                       "decorator_list=[], returns=Constant(value=None)), Assign(targets=[Name(id='x', "
                       "ctx=Store())], value=Constant(value='abc'))], type_ignores=[])");
  free (got);
}

static void
test_parser_constants (void **state)
{
  (void) state;
  const char *src = "x = 9223372036854775807\ny = 0.1\nz = 'a\\x00b'\n";
  HsArena *arena = hs_arena_new ();
  HsSyntaxError err = { 0 };
  HsModule *m = hs_parse (arena, src, strlen (src), &err);
  assert_non_null (m);
  assert_int_equal (m->body.n, 3);
  const HsExpr *v = m->body.items[0]->u.assign.value;
  assert_int_equal (v->u.constant.kind, HS_CONST_INT);
  assert_true (v->u.constant.i == INT64_MAX);
  v = m->body.items[1]->u.assign.value;
  assert_int_equal (v->u.constant.kind, HS_CONST_FLOAT);
  assert_true (v->u.constant.f == 0.1);
  v = m->body.items[2]->u.assign.value;
  assert_int_equal (v->u.constant.kind, HS_CONST_STR);
  assert_int_equal (v->u.constant.len, 3);
  assert_memory_equal (v->u.constant.s, "a\0b", 3);
  hs_arena_free (arena);
}

/* ---- bad input: never a crash or a hang ---------------------------------------- */

static HsModule *
parse_buf (HsArena *arena, const char *src, size_t len, HsSyntaxError *err)
{
  return hs_parse (arena, src, len, err);
}

static char *
repeat (const char *prefix, const char *unit, size_t n, const char *suffix)
{
  size_t pl = strlen (prefix), ul = strlen (unit), sl = strlen (suffix);
  char *s = malloc (pl + ul * n + sl + 1);
  assert_non_null (s);
  memcpy (s, prefix, pl);
  for (size_t i = 0; i < n; i++)
    memcpy (s + pl + i * ul, unit, ul);
  memcpy (s + pl + ul * n, suffix, sl + 1);
  return s;
}

static void
expect_error (const char *src, size_t len, const char *type_name, const char *message)
{
  HsArena *arena = hs_arena_new ();
  HsSyntaxError err = { 0 };
  HsModule *m = parse_buf (arena, src, len, &err);
  assert_null (m);
  assert_string_equal (err.type_name, type_name);
  assert_string_equal (err.message, message);
  char *f = hs_syntax_error_format (&err, "t.py");
  assert_non_null (f);
  free (f);
  hs_syntax_error_clear (&err);
  hs_arena_free (arena);
}

static size_t
expect_ok (const char *src, size_t len)
{
  HsArena *arena = hs_arena_new ();
  HsSyntaxError err = { 0 };
  HsModule *m = parse_buf (arena, src, len, &err);
  if (m == NULL)
    fail_msg ("unexpected error: %s: %s (line %u)", err.type_name, err.message, err.lineno);
  size_t n = m->body.n;
  hs_syntax_error_clear (&err);
  hs_arena_free (arena);
  return n;
}

static void
test_bad_input_small (void **state)
{
  (void) state;
  assert_int_equal (expect_ok ("", 0), 0);
  assert_int_equal (expect_ok (NULL, 0), 0);
  assert_int_equal (expect_ok ("# c\n# d", 7), 0);
  assert_int_equal (expect_ok ("\n\n\n", 3), 0);
  assert_int_equal (expect_ok ("x = 1", 5), 1);
  assert_int_equal (expect_ok ("x = 1\r\ny = 2\r\n", 14), 2);
  assert_int_equal (expect_ok ("\xef\xbb\xbfx = 1\n", 9), 1);
  assert_int_equal (expect_ok ("if x:\n  y\n", 10), 1);
  expect_error ("x = 1\\", 6, "SyntaxError", "unexpected EOF while parsing");
  expect_error ("\\", 1, "SyntaxError", "unexpected EOF while parsing");
  expect_error ("'", 1, "SyntaxError", "unterminated string literal (detected at line 1)");
  expect_error ("'''", 3, "SyntaxError", "unterminated triple-quoted string literal (detected at line 1)");
  expect_error ("x = (", 5, "SyntaxError", "'(' was never closed");
  expect_error ("\x00", 1, "SyntaxError", "source code cannot contain null bytes");
  expect_error ("\xff", 1, "SyntaxError",
                "Non-UTF-8 code starting with '\\xff' in file \x01 on line 1, but no encoding declared; "
                "see https://peps.python.org/pep-0263/ for details");
  expect_error ("x = '\xed\xa0\x80'\n", 10, "SyntaxError",
                "Non-UTF-8 code starting with '\\xed' in file \x01 on line 1, but no encoding declared; "
                "see https://peps.python.org/pep-0263/ for details");
  expect_error ("if x:\n\ty\n        z\n", 19, "TabError",
                "inconsistent use of tabs and spaces in indentation");
  expect_error ("if x:\n  y\n    z\n", 16, "IndentationError", "unexpected indent");
  expect_error ("f(", 2, "SyntaxError", "'(' was never closed");
  expect_error ("x = f'{'", 8, "SyntaxError", "f-string: expecting '}'");
}

static void
test_bad_input_format_utf8 (void **state)
{
  (void) state;
  HsArena *arena = hs_arena_new ();
  HsSyntaxError err = { 0 };
  assert_null (hs_parse (arena, "x = 1\ny = \xff\n", 11, &err));
  char *f = hs_syntax_error_format (&err, "/tmp/t.py");
  /* What python3 3.11 prints for this file (no File line). */
  assert_string_equal (f, "SyntaxError: Non-UTF-8 code starting with '\\xff' in file /tmp/t.py on line 2, "
                          "but no encoding declared; see https://peps.python.org/pep-0263/ for details\n");
  free (f);
  hs_syntax_error_clear (&err);
  hs_arena_free (arena);
}

static void
test_bad_input_deep_nesting (void **state)
{
  (void) state;
  char *s;
  /* CPython's tokenizer allows 200 nested brackets */
  s = repeat ("x = ", "(", 10000, "1\n");
  expect_error (s, strlen (s), "SyntaxError", "too many nested parentheses");
  free (s);
  s = repeat ("x = ", "[", 10000, "\n");
  expect_error (s, strlen (s), "SyntaxError", "too many nested parentheses");
  free (s);
  s = repeat ("x = ", "{", 199, "");
  {
    char *t = repeat (s, "}", 199, "\n");
    assert_int_equal (expect_ok (t, strlen (t)), 1);
    free (t);
  }
  free (s);
  s = repeat ("x = ", "-", 10000, "1\n");
  expect_error (s, strlen (s), "SyntaxError", "too many nested expressions");
  free (s);
  s = repeat ("x = ", "not ", 10000, "1\n");
  expect_error (s, strlen (s), "SyntaxError", "too many nested expressions");
  free (s);
  s = repeat ("x = ", "lambda: ", 10000, "1\n");
  expect_error (s, strlen (s), "SyntaxError", "too many nested expressions");
  free (s);
  s = repeat ("x = 2", "**2", 10000, "\n");
  expect_error (s, strlen (s), "SyntaxError", "too many nested expressions");
  free (s);
  s = repeat ("x = 1", " if 1 else 1", 10000, "\n");
  expect_error (s, strlen (s), "SyntaxError", "too many nested expressions");
  free (s);
  /* moderate nesting is fine */
  s = repeat ("x = ", "-", 500, "1\n");
  assert_int_equal (expect_ok (s, strlen (s)), 1);
  free (s);
  /* long flat chains are iterative */
  s = repeat ("x = 1", " + 1", 100000, "\n");
  assert_int_equal (expect_ok (s, strlen (s)), 1);
  free (s);
  s = repeat ("x", " = x", 100000, "\n");
  assert_int_equal (expect_ok (s, strlen (s)), 1);
  free (s);
  /* indentation: CPython's limit is 100 levels */
  {
    size_t cap = 200 * 220;
    char *b = malloc (cap);
    size_t n = 0;
    for (int i = 0; i < 150; i++)
      {
        for (int k = 0; k < i; k++)
          b[n++] = ' ';
        memcpy (b + n, "if x:\n", 6);
        n += 6;
      }
    for (int k = 0; k < 150; k++)
      b[n++] = ' ';
    memcpy (b + n, "pass\n", 5);
    n += 5;
    expect_error (b, n, "IndentationError", "too many levels of indentation");
    free (b);
  }
}

static void
test_bad_input_big_file (void **state)
{
  (void) state;
  /* about 10 MB of statements: must parse (in linear time; not timed here) */
  const char *unit = "value_name = [1, 2.5, 'text', {'k': (3, 4)}] + other(x, y=2)\n";
  size_t ul = strlen (unit);
  size_t n = (10u * 1024 * 1024) / ul;
  char *s = malloc (n * ul + 1);
  assert_non_null (s);
  for (size_t i = 0; i < n; i++)
    memcpy (s + i * ul, unit, ul);
  s[n * ul] = '\0';
  assert_int_equal (expect_ok (s, n * ul), n);
  /* the same with an error at the very end */
  s[n * ul - 2] = '(';
  expect_error (s, n * ul, "SyntaxError", "'(' was never closed");
  free (s);
  /* one 10 MB string literal */
  size_t len = 10u * 1024 * 1024;
  s = malloc (len + 8);
  memcpy (s, "x = '", 5);
  memset (s + 5, 'a', len);
  memcpy (s + 5 + len, "'\n", 3);
  assert_int_equal (expect_ok (s, len + 7), 1);
  free (s);
}

/* Mutated programs: whatever comes out, no crash (run under ASan/UBSan in
 * the sanitizer build) and errors always formattable. */
static void
test_bad_input_mutations (void **state)
{
  (void) state;
  static const char *const seeds[] = {
    "def f(a, b=1, *c, d, **e):\n    return [x for x in a if x] + {k: v for k, v in e.items()}\n",
    "class A(B):\n    def m(self):\n        try:\n            x = f'{self.x!r:>{w}}'\n        except (E, F) as e:\n            raise G from e\n",
    "if a:\n    b = (1,\n         2)\nelif c:\n    d[1:2, ::3] = lambda q: q ** -2\nelse:\n    del e.f\n",
    "x = 'a' \"b\" '''c\nd''' + r'\\n' + 0x1f + 1_0.5e-3\nwhile x: x -= 1\n",
    "import a.b as c\nfrom .d import (e, f as g)\nwith h as i, j: pass\n",
  };
  static const char alphabet[] = "()[]{}:,;'\"\\\n\t #=+-*/%<>!@fFrRbBuUx0129._\xff\x00\xc3\xa9\xe2\x82";
  uint64_t rng = 0x9e3779b97f4a7c15u;
  char buf[512];
  for (int iter = 0; iter < 20000; iter++)
    {
      const char *seed = seeds[iter % (sizeof seeds / sizeof seeds[0])];
      size_t n = strlen (seed);
      memcpy (buf, seed, n);
      int edits = 1 + iter % 4;
      for (int e = 0; e < edits; e++)
        {
          rng ^= rng << 13;
          rng ^= rng >> 7;
          rng ^= rng << 17;
          size_t at = (size_t) (rng % (n + 1));
          int op = (int) ((rng >> 20) % 3);
          char c = alphabet[(rng >> 32) % (sizeof alphabet - 1)];
          if (op == 0 && n > 0 && at < n)
            {
              memmove (buf + at, buf + at + 1, n - at - 1);
              n--;
            }
          else if (op == 1 && n + 1 < sizeof buf)
            {
              memmove (buf + at + 1, buf + at, n - at);
              buf[at] = c;
              n++;
            }
          else if (at < n)
            buf[at] = c;
        }
      HsArena *arena = hs_arena_new ();
      HsSyntaxError err = { 0 };
      HsModule *m = hs_parse (arena, buf, n, &err);
      if (m == NULL)
        {
          assert_true (err.type_name[0] != '\0');
          char *f = hs_syntax_error_format (&err, "t.py");
          assert_non_null (f);
          free (f);
        }
      else
        {
          char *d = hs_ast_dump_with_positions (m);
          assert_non_null (d);
          free (d);
        }
      hs_syntax_error_clear (&err);
      hs_arena_free (arena);
    }
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_parser_dumps),
    cmocka_unit_test (test_parser_positions),
    cmocka_unit_test (test_parser_syntax_errors),
    cmocka_unit_test (test_parser_runtime_limits),
    cmocka_unit_test (test_parser_ignored_syntax),
    cmocka_unit_test (test_parser_constants),
    cmocka_unit_test (test_bad_input_small),
    cmocka_unit_test (test_bad_input_format_utf8),
    cmocka_unit_test (test_bad_input_deep_nesting),
    cmocka_unit_test (test_bad_input_big_file),
    cmocka_unit_test (test_bad_input_mutations),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
