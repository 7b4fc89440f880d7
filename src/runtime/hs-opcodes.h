/* hs-opcodes.h — the instruction set: one X-macro with operand kind and stack effect. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Stability: frozen at 06:50 UTC (2026-11-24).  From then on no opcode changes its
 * meaning, operand or stack effect; new opcodes are only appended at the end of the
 * list, each with the time it was added.
 *
 * ---- Encoding -------------------------------------------------------------------
 * Every instruction is one 8-byte HsInstr (hs-code.h): op (8 bits), flags (8 bits,
 * HS_INSTR_LINE_START), arg2 (16 bits, a second small operand: an inline-cache index
 * or a fused compare operator) and arg (32 bits).  No EXTENDED_ARG.  Jump targets are
 * absolute instruction indexes (not bytes).  Every conditional jump and FOR_ITER jumps
 * forward; JUMP_BACKWARD is the only backward jump, so it is the one place where the
 * VM checks vm->interrupt and (when tracing) treats the next instruction as reached
 * by a backward edge.
 *
 * ---- The value stack ------------------------------------------------------------
 * "[a, b] -> [c]" means: b is on top; the instruction pops b then a and pushes c.
 * Every slot holds a counted reference (HS_HOLDER_STACK) or NULL where a comment says
 * so (LOAD_METHOD).  An instruction that fails releases what it popped and raises;
 * the exception table (hs-code.h) then decides where execution goes.
 *
 * ---- Frame slots ----------------------------------------------------------------
 * LOCAL operands index the fast locals 0..nlocals-1.  DEREF operands index the cell
 * slots: 0..ncellvars-1 are the frame's own cells (code->cellvars), ncellvars.. are the
 * free variables (code->freevars, copied from the function's closure tuple).  At frame
 * entry the VM makes the cells itself (no MAKE_CELL/COPY_FREE_VARS opcodes): see
 * HsCode.cell2arg.
 *
 * ---- Stack effect columns -------------------------------------------------------
 * HS_OPCODE (NAME, OPERAND, EFFECT, JUMP_EFFECT): EFFECT is the net change of the stack
 * depth when execution falls through, JUMP_EFFECT when the jump is taken (equal to
 * EFFECT for instructions that never jump).  Both are C expressions of `arg` (uint32_t).
 * hs_opcode_stack_effect() (hs-code.c) evaluates them; the compiler's max-depth
 * computation uses nothing else.
 *
 * ---- Messages --------------------------------------------------------------------
 * Errors are CPython 3.11's: LOAD_FAST on an empty slot raises UnboundLocalError
 * "cannot access local variable 'x' where it is not associated with a value";
 * LOAD_DEREF on an empty free variable NameError "cannot access free variable 'x' where
 * it is not associated with a value in enclosing scope"; LOAD_GLOBAL/LOAD_NAME
 * NameError "name 'x' is not defined".
 */

/* What the 32-bit arg means (for the disassembler and the VM's reader). */
typedef enum {
  HS_OPND_NONE,     /* arg is 0 */
  HS_OPND_LOCAL,    /* fast local index (code->varnames) */
  HS_OPND_DEREF,    /* cell slot index (cellvars then freevars) */
  HS_OPND_NAME,     /* index into code->names (interned str) */
  HS_OPND_CONST,    /* index into code->consts */
  HS_OPND_LITERAL,  /* index into code->literals (tutorial profile only) */
  HS_OPND_JUMP,     /* absolute target instruction index */
  HS_OPND_COUNT,    /* a count of stack items */
  HS_OPND_BINOP,    /* HsBinaryOp; + HS_BINOP_COUNT for the in-place form */
  HS_OPND_CMPOP,    /* HsCompareOp (rich comparisons only) */
  HS_OPND_IMM,      /* a small immediate whose meaning the comment gives */
} HsOperandKind;

/* In-place binary operators: BINARY_OP arg = HS_BINOP_INPLACE (op). */
#define HS_BINOP_INPLACE(op) ((uint32_t) (op) + (uint32_t) HS_BINOP_COUNT)

/* MAKE_FUNCTION flags (arg). */
#define HS_MAKE_FUNCTION_DEFAULTS   0x01u  /* a tuple of positional defaults */
#define HS_MAKE_FUNCTION_KWDEFAULTS 0x02u  /* a dict {kw-only name: default} */
#define HS_MAKE_FUNCTION_CLOSURE    0x08u  /* a tuple of cells */

/* FORMAT_VALUE flags (arg), as CPython's. */
#define HS_FORMAT_CONV_MASK 0x03u          /* 0 none, 1 str (!s), 2 repr (!r), 3 ascii (!a) */
#define HS_FORMAT_HAVE_SPEC 0x04u          /* a format spec str is on top of the value */

/* IMPORT_NAME arg2 bits. */
#define HS_IMPORT_FROM       0x01u         /* push the named module itself, not its top package */
#define HS_IMPORT_LEVEL(a2)  ((a2) >> 1)   /* relative import level (dots) */

/* UNPACK_EX arg = before | (after << 16). */
#define HS_UNPACK_EX_ARG(before, after) ((uint32_t) (before) | ((uint32_t) (after) << 16))

/* BUILD_SET arg2: the items are a constant display's, in source order; the set is then
 * laid out again from its own iteration order, as CPython's constant frozenset is
 * rebuilt (so `{33, 1, 65}` iterates as in CPython). */
#define HS_BUILD_SET_CONSTANT 1u

/* arg2 value of a caching instruction that got no cache slot (more than 65535 sites). */
#define HS_NO_CACHE 0xFFFFu

#define HS_OPCODES(HS_OPCODE) \
  /* ---- stack manipulation ---------------------------------------------------- */ \
  /* Does nothing.  Carries a line position for statements with no other code     \
   * (`pass`), so that stepping stops there as in CPython. */                        \
  HS_OPCODE (NOP,                 NONE,    0, 0)                                      \
  /* [a] -> []: releases a. */                                                      \
  HS_OPCODE (POP_TOP,             NONE,   -1, -1)                                     \
  /* [.. x(arg) .. top] -> [.. x .. top, x]: pushes another reference to the arg-th   \
   * item from the top (arg >= 1; COPY 1 duplicates the top). */                     \
  HS_OPCODE (COPY,                IMM,     1, 1)                                      \
  /* Swaps the top with the arg-th item from the top (arg >= 2).  No refcount change, \
   * but both stack slots change holder: publish the two moves. */                   \
  HS_OPCODE (SWAP,                IMM,     0, 0)                                      \
                                                                                      \
  /* ---- constants and variables ---------------------------------------------- */ \
  /* [] -> [consts[arg]]: a new reference to a constant held by the code object     \
   * (None, True, False, Ellipsis, small ints and interned names in every profile;    \
   * every literal in the cpython profile; nested code objects; kw-names tuples). */ \
  HS_OPCODE (LOAD_CONST,          CONST,   1, 1)                                      \
  /* [] -> [obj]: the tutorial profile's literal: creates a fresh int (outside        \
   * -5..256), float or str from literals[arg] each time it runs (ALLOC event). */    \
  HS_OPCODE (LOAD_LITERAL,        LITERAL, 1, 1)                                      \
  /* [] -> [locals[arg]]: UnboundLocalError if the slot is empty. */                 \
  HS_OPCODE (LOAD_FAST,           LOCAL,   1, 1)                                      \
  /* [v] -> []: locals[arg] = v (HS_HOLDER_LOCAL), releasing the old value. */        \
  HS_OPCODE (STORE_FAST,          LOCAL,  -1, -1)                                     \
  /* [] -> []: empties locals[arg]; UnboundLocalError if it was empty. */            \
  HS_OPCODE (DELETE_FAST,         LOCAL,   0, 0)                                      \
  /* [] -> [value]: names[arg] in globals, then builtins; NameError if in neither.    \
   * arg2: inline-cache index (HsInlineCache, owned by the VM) or HS_NO_CACHE. */     \
  HS_OPCODE (LOAD_GLOBAL,         NAME,    1, 1)                                      \
  /* [v] -> []: globals[names[arg]] = v (HS_HOLDER_GLOBAL). */                        \
  HS_OPCODE (STORE_GLOBAL,        NAME,   -1, -1)                                     \
  /* [] -> []: del globals[names[arg]]; NameError "name 'x' is not defined". */       \
  HS_OPCODE (DELETE_GLOBAL,       NAME,    0, 0)                                      \
  /* [] -> [value]: names[arg] in the frame's locals dict (a class namespace; the     \
   * module's globals at module level), then globals, then builtins; NameError. */   \
  HS_OPCODE (LOAD_NAME,           NAME,    1, 1)                                      \
  /* [v] -> []: frame locals dict[names[arg]] = v. */                                \
  HS_OPCODE (STORE_NAME,          NAME,   -1, -1)                                     \
  /* [] -> []: del frame locals dict[names[arg]]; NameError if missing. */           \
  HS_OPCODE (DELETE_NAME,         NAME,    0, 0)                                      \
  /* [] -> [cell]: pushes the cell object of slot arg itself (to build a closure). */ \
  HS_OPCODE (LOAD_CLOSURE,        DEREF,   1, 1)                                      \
  /* [] -> [cell contents]: UnboundLocalError (own cell) or NameError (free var)      \
   * when the cell is empty. */                                                      \
  HS_OPCODE (LOAD_DEREF,          DEREF,   1, 1)                                      \
  /* [] -> [value]: in a class body: the name in the class namespace first, then the  \
   * cell (a free variable of the class body). */                                    \
  HS_OPCODE (LOAD_CLASSDEREF,     DEREF,   1, 1)                                      \
  /* [v] -> []: cell contents = v (HS_HOLDER_CELL). */                                \
  HS_OPCODE (STORE_DEREF,         DEREF,  -1, -1)                                     \
  /* [] -> []: empties the cell; same errors as LOAD_DEREF when already empty. */    \
  HS_OPCODE (DELETE_DEREF,        DEREF,   0, 0)                                      \
                                                                                      \
  /* ---- attributes ------------------------------------------------------------ */ \
  /* [obj] -> [obj.names[arg]].  arg2: inline-cache index or HS_NO_CACHE. */         \
  HS_OPCODE (LOAD_ATTR,           NAME,    0, 0)                                      \
  /* [value, obj] -> []: obj.names[arg] = value.  arg2: cache or HS_NO_CACHE. */      \
  HS_OPCODE (STORE_ATTR,          NAME,   -2, -2)                                     \
  /* [obj] -> []: del obj.names[arg]. */                                              \
  HS_OPCODE (DELETE_ATTR,         NAME,   -1, -1)                                     \
  /* [obj] -> [meth, obj] when obj's type has a plain function (or method             \
   * descriptor) names[arg] and the instance does not shadow it: no bound method is   \
   * made (3.11's LOAD_METHOD); otherwise [NULL, obj.names[arg]] (the NULL slot holds  \
   * no reference).  Always followed by CALL_METHOD.  arg2: cache or HS_NO_CACHE. */  \
  HS_OPCODE (LOAD_METHOD,         NAME,    1, 1)                                      \
                                                                                      \
  /* ---- operators -------------------------------------------------------------- */ \
  /* [a, b] -> [a op b], op = arg (HsBinaryOp), or the in-place form `a op= b` when   \
   * arg >= HS_BINOP_COUNT (op = arg - HS_BINOP_COUNT).  Reflected operands, errors   \
   * and messages as hs_binary_op()/hs_inplace_op(). */                              \
  HS_OPCODE (BINARY_OP,           BINOP,  -1, -1)                                     \
  /* Dedicated forms of BINARY_OP (same semantics, arg unused) so that the VM can     \
   * inline its int/float/str fast paths without a second switch. */                 \
  HS_OPCODE (BINARY_ADD,          NONE,   -1, -1)                                     \
  HS_OPCODE (BINARY_SUBTRACT,     NONE,   -1, -1)                                     \
  HS_OPCODE (BINARY_MULTIPLY,     NONE,   -1, -1)                                     \
  HS_OPCODE (INPLACE_ADD,         NONE,   -1, -1)                                     \
  HS_OPCODE (INPLACE_SUBTRACT,    NONE,   -1, -1)                                     \
  /* [a] -> [-a], [+a], [~a], [not a] (not: truth value, result True/False). */      \
  HS_OPCODE (UNARY_NEGATIVE,      NONE,    0, 0)                                      \
  HS_OPCODE (UNARY_POSITIVE,      NONE,    0, 0)                                      \
  HS_OPCODE (UNARY_INVERT,        NONE,    0, 0)                                      \
  HS_OPCODE (UNARY_NOT,           NONE,    0, 0)                                      \
  /* [a, b] -> [a cmp b], cmp = arg (HsCompareOp): rich comparison, any result. */   \
  HS_OPCODE (COMPARE_OP,          CMPOP,  -1, -1)                                     \
  /* [a, b] -> [a is b] (arg 0) or [a is not b] (arg 1): True/False. */              \
  HS_OPCODE (IS_OP,               IMM,    -1, -1)                                     \
  /* [a, b] -> [a in b] (arg 0) or [a not in b] (arg 1): True/False. */              \
  HS_OPCODE (CONTAINS_OP,         IMM,    -1, -1)                                     \
  /* Fused COMPARE_OP + POP_JUMP_IF_FALSE for `if a < b:` / `while i < n:`:           \
   * [a, b] -> []; compares with arg2 (HsCompareOp), takes the truth value of the     \
   * result (released at once) and jumps to arg when false. */                       \
  HS_OPCODE (COMPARE_JUMP_IF_FALSE, JUMP, -2, -2)                                     \
                                                                                      \
  /* ---- subscripts, slices ----------------------------------------------------- */ \
  /* [container, key] -> [container[key]]. */                                        \
  HS_OPCODE (BINARY_SUBSCR,       NONE,   -1, -1)                                     \
  /* [value, container, key] -> []: container[key] = value. */                       \
  HS_OPCODE (STORE_SUBSCR,        NONE,   -3, -3)                                     \
  /* [container, key] -> []: del container[key]. */                                  \
  HS_OPCODE (DELETE_SUBSCR,       NONE,   -2, -2)                                     \
  /* arg 2: [start, stop] -> [slice]; arg 3: [start, stop, step] -> [slice]. */       \
  HS_OPCODE (BUILD_SLICE,         COUNT,   1 - (int) (arg), 1 - (int) (arg))          \
                                                                                      \
  /* ---- building containers ---------------------------------------------------- */ \
  /* [x1 .. xn] -> [(x1, .., xn)] / [[x1, .., xn]] / [{x1, .., xn}]; n = arg. */      \
  HS_OPCODE (BUILD_TUPLE,         COUNT,   1 - (int) (arg), 1 - (int) (arg))          \
  HS_OPCODE (BUILD_LIST,          COUNT,   1 - (int) (arg), 1 - (int) (arg))          \
  HS_OPCODE (BUILD_SET,           COUNT,   1 - (int) (arg), 1 - (int) (arg))          \
  /* [k1, v1, .., kn, vn] -> [{k1: v1, ..}]; n = arg pairs, inserted in order. */     \
  HS_OPCODE (BUILD_MAP,           COUNT,   1 - 2 * (int) (arg), 1 - 2 * (int) (arg))  \
  /* [s1 .. sn] -> [s1 + .. + sn]: n = arg strs joined (f-strings). */                \
  HS_OPCODE (BUILD_STRING,        COUNT,   1 - (int) (arg), 1 - (int) (arg))          \
  /* [.. list .. , v] -> [.. list ..]: list.append(v) where the list is the (arg+1)-th \
   * item from the top before the pop (comprehensions: LIST_APPEND 2 with the         \
   * iterator between).  SET_ADD likewise; MAP_ADD: [.. map .., k, v] -> [.. map ..],  \
   * map = the (arg+2)-th item from the top before the pops. */                      \
  HS_OPCODE (LIST_APPEND,         IMM,    -1, -1)                                     \
  HS_OPCODE (SET_ADD,             IMM,    -1, -1)                                     \
  HS_OPCODE (MAP_ADD,             IMM,    -2, -2)                                     \
  /* [.. list .., iterable] -> [.. list ..]: list.extend(iterable), list = (arg+1)-th \
   * from the top before the pop.  Used for [*a, *b] and f(*a).  SET_UPDATE:          \
   * set.update; DICT_UPDATE: dict.update (for {**m}: TypeError "'int' object is not  \
   * a mapping"); DICT_MERGE: like DICT_UPDATE for f(**m), but a repeated key raises  \
   * TypeError "f() got multiple values for keyword argument 'k'" (the callable is    \
   * the (arg+3)-th item from the top before the pop, for the name). */              \
  HS_OPCODE (LIST_EXTEND,         IMM,    -1, -1)                                     \
  HS_OPCODE (SET_UPDATE,          IMM,    -1, -1)                                     \
  HS_OPCODE (DICT_UPDATE,         IMM,    -1, -1)                                     \
  HS_OPCODE (DICT_MERGE,          IMM,    -1, -1)                                     \
  /* [list] -> [tuple(list)]. */                                                      \
  HS_OPCODE (LIST_TO_TUPLE,       NONE,    0, 0)                                      \
  /* [seq] -> [x_arg .. x_2, x_1]: pushes the arg items last first, so x_1 is on top  \
   * and the following stores run left to right.  ValueError "not enough values to    \
   * unpack (expected 2, got 1)" / "too many values to unpack (expected 2)";          \
   * TypeError "cannot unpack non-iterable int object". */                           \
  HS_OPCODE (UNPACK_SEQUENCE,     COUNT,  (int) (arg) - 1, (int) (arg) - 1)           \
  /* a, *b, c = seq: before = arg & 0xFFFF, after = arg >> 16:                         \
   * [seq] -> [after items.., list of the middle, before items..], first item on top. \
   * ValueError "not enough values to unpack (expected at least 2, got 1)". */        \
  HS_OPCODE (UNPACK_EX,           IMM,    (int) ((arg) & 0xFFFF) + (int) ((arg) >> 16), \
                                          (int) ((arg) & 0xFFFF) + (int) ((arg) >> 16)) \
                                                                                      \
  /* ---- control flow ----------------------------------------------------------- */ \
  /* Unconditional forward jump to arg. */                                           \
  HS_OPCODE (JUMP_FORWARD,        JUMP,    0, 0)                                      \
  /* Unconditional jump to arg <= this instruction: loops.  Checks vm->interrupt;     \
   * with line events on, the target counts as reached by a backward edge. */         \
  HS_OPCODE (JUMP_BACKWARD,       JUMP,    0, 0)                                      \
  /* [x] -> []: jumps to arg when x is false (resp. true).  Truth errors propagate.   \
   * True/False/None are tested by pointer before calling the truth slot. */           \
  HS_OPCODE (POP_JUMP_IF_FALSE,   JUMP,   -1, -1)                                     \
  HS_OPCODE (POP_JUMP_IF_TRUE,    JUMP,   -1, -1)                                     \
  /* and / or: [x] -> [x] and jump to arg when x is false (resp. true); otherwise     \
   * [x] -> [] and fall through. */                                                  \
  HS_OPCODE (JUMP_IF_FALSE_OR_POP, JUMP,  -1, 0)                                      \
  HS_OPCODE (JUMP_IF_TRUE_OR_POP, JUMP,   -1, 0)                                      \
  /* [iterable] -> [iter(iterable)]. */                                               \
  HS_OPCODE (GET_ITER,            NONE,    0, 0)                                      \
  /* [it] -> [it, next(it)]; when exhausted (iternext returned NULL with no exception \
   * set; a StopIteration raised by a Python __next__ counts as exhaustion too)       \
   * [it] -> [] and jump to arg. */                                                  \
  HS_OPCODE (FOR_ITER,            JUMP,    1, -1)                                     \
                                                                                      \
  /* ---- calls and functions ---------------------------------------------------- */ \
  /* [callable, a1 .. an] -> [result], n = arg.  After KW_NAMES the last              \
   * len(kwnames) arguments are passed by keyword (HsCFunction's kwnames). */         \
  HS_OPCODE (CALL,                COUNT,  -(int) (arg), -(int) (arg))                 \
  /* [X, Y, a1 .. an] -> [result] after LOAD_METHOD: X != NULL: X(Y, a1 .. an)        \
   * (Y is self, the arguments are contiguous from Y); X == NULL: Y(a1 .. an).        \
   * KW_NAMES applies as for CALL. */                                                 \
  HS_OPCODE (CALL_METHOD,         COUNT,  -1 - (int) (arg), -1 - (int) (arg))         \
  /* [] -> []: the next CALL / CALL_METHOD passes its last len(consts[arg]) arguments \
   * by keyword; consts[arg] is a tuple of interned str.  Must directly precede it;   \
   * the VM keeps the (borrowed) tuple in a register, not on the stack. */            \
  HS_OPCODE (KW_NAMES,            CONST,   0, 0)                                      \
  /* arg 0: [callable, args] -> [result]; arg 1: [callable, args, kwargs] ->          \
   * [result].  args is a tuple (anything else goes through tuple(); TypeError        \
   * "f() argument after * must be an iterable, not int"), kwargs a dict of str keys. */ \
  HS_OPCODE (CALL_EX,             IMM,    -1 - (int) (arg), -1 - (int) (arg))         \
  /* [defaults?, kwdefaults?, closure?, code] -> [function], bottom to top in that     \
   * order, each present when its HS_MAKE_FUNCTION_* flag is in arg.  The function's  \
   * globals are the running frame's; name and qualname come from the code. */        \
  HS_OPCODE (MAKE_FUNCTION,       IMM,    -(int) __builtin_popcount ((arg) & 0x0Bu),  \
                                          -(int) __builtin_popcount ((arg) & 0x0Bu))  \
  /* [value] -> (frame ends): returns value to the caller. */                         \
  HS_OPCODE (RETURN_VALUE,        NONE,   -1, -1)                                     \
  /* [] -> [builtins.__build_class__].  A class statement compiles to                 \
   * LOAD_BUILD_CLASS; LOAD_CONST body-code; MAKE_FUNCTION; LOAD_CONST/LITERAL 'Name';\
   * bases..; [KW_NAMES]; CALL 2+n.  The body code (HS_CODE_CLASS_BODY) runs with the \
   * new namespace dict as its locals (LOAD_NAME/STORE_NAME), starts with             \
   * __module__ = __name__ and __qualname__ = '...', and returns the __class__ cell   \
   * (also stored as __classcell__) when a method uses super() or __class__, else     \
   * None; __build_class__ then sets that cell to the new class. */                   \
  HS_OPCODE (LOAD_BUILD_CLASS,    NONE,    1, 1)                                      \
                                                                                      \
  /* ---- f-strings -------------------------------------------------------------- */ \
  /* [value] or [value, spec] (HS_FORMAT_HAVE_SPEC) -> [str]: applies the conversion \
   * (arg & 3) then hs_format (value, spec or ''). */                                  \
  HS_OPCODE (FORMAT_VALUE,        IMM,    -(int) (((arg) & 0x04u) >> 2),              \
                                          -(int) (((arg) & 0x04u) >> 2))              \
                                                                                      \
  /* ---- imports -------------------------------------------------------------------*/ \
  /* [] -> [module]: imports names[arg] (a dotted name).  arg2: HS_IMPORT_FROM and    \
   * the level.  Only the runtime's own modules exist: anything else raises           \
   * ModuleNotFoundError "No module named 'x'". */                                    \
  HS_OPCODE (IMPORT_NAME,         NAME,    1, 1)                                      \
  /* [module] -> [module, module.names[arg]]: ImportError "cannot import name 'x'     \
   * from 'gc' (unknown location)" as CPython words it for a builtin module. */        \
  HS_OPCODE (IMPORT_FROM,         NAME,    1, 1)                                      \
  /* [module] -> []: from module import * into the module's globals. */              \
  HS_OPCODE (IMPORT_STAR,         NONE,   -1, -1)                                     \
                                                                                      \
  /* ---- exceptions ------------------------------------------------------------- */ \
  /* arg 0: [] -> re-raise the exception being handled (RuntimeError "No active      \
   * exception to reraise"); arg 1: [exc]; arg 2: [exc, cause] (raise X from Y:       \
   * sets __cause__, __suppress_context__).  A class is instantiated with no args;    \
   * TypeError "exceptions must derive from BaseException".  A new exception gets     \
   * __context__ = the exception being handled.  Bare re-raise adds no traceback      \
   * entry for this frame. */                                                        \
  HS_OPCODE (RAISE_VARARGS,       COUNT,  -(int) (arg), -(int) (arg))                 \
  /* [exc] -> [prev, exc]: entering a handler: prev is the exception that was being   \
   * handled (None if none), and exc becomes the one being handled (sys.exc_info(),   \
   * bare raise, implicit __context__). */                                            \
  HS_OPCODE (PUSH_EXC_INFO,       NONE,    1, 1)                                      \
  /* [prev] -> []: leaving a handler: the handled exception goes back to prev. */     \
  HS_OPCODE (POP_EXCEPT,          NONE,   -1, -1)                                     \
  /* [exc, type] -> [exc, bool]: isinstance (exc, type), type a class or a tuple of   \
   * classes; TypeError "catching classes that do not inherit from BaseException is   \
   * not allowed". */                                                                 \
  HS_OPCODE (CHECK_EXC_MATCH,     NONE,    0, 0)                                      \
  /* [.., exc] -> raises exc again (pops it), with no new traceback entry for this    \
   * frame.  arg is 0 (kept for the shape of CPython's RERAISE). */                   \
  HS_OPCODE (RERAISE,             IMM,    -1, -1)                                     \
  /* [] -> [AssertionError] (the class, for `assert`). */                             \
  HS_OPCODE (LOAD_ASSERTION_ERROR, NONE,   1, 1)                                      \
  /* ---- appended after the freeze (each with its time) ------------------------- */ \
  /* (none yet) */

typedef enum {
#define HS_X(name, operand, effect, jump_effect) HS_OP_##name,
  HS_OPCODES (HS_X)
#undef HS_X
  HS_OP__COUNT
} HsOpcode;

_Static_assert (HS_OP__COUNT <= 256, "opcodes must fit in HsInstr.op");
