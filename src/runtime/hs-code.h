/* hs-code.h — the code object: bytecode, tables, positions and exception table. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <stdint.h>

#include "hs-internal.h"
#include "hs-opcodes.h"

/* ---- instructions ---------------------------------------------------------------
 * One 8-byte word per instruction (see hs-opcodes.h for the operands). */
typedef struct {
  uint8_t  op;      /* HsOpcode */
  uint8_t  flags;   /* HS_INSTR_* */
  uint16_t arg2;    /* inline-cache index (HS_NO_CACHE if none), fused compare op, import bits */
  uint32_t arg;
} HsInstr;

/* HsInstr.flags */
enum {
  /* The line may change here: set on every instruction with a line (lineno != 0)
   * whose line differs from the previous instruction's in code order, that follows an
   * instruction without a line, that starts the code, or that is a jump target or a
   * handler entry.  An instruction without the flag has the same line as the one
   * executed just before it.
   *
   * How the VM produces CPython's sys.settrace "line" events at zero cost when line
   * events are off: it runs a second dispatch table (or a `tracing` branch taken only
   * once per instruction in the traced loop) only while HS_EV_LINE is hooked.  There,
   * before executing instruction pc:
   *     if (instr.flags & HS_INSTR_LINE_START) {
   *       uint32_t line = code->positions[pc].lineno;
   *       if (line != 0) {
   *         if (line != frame->prev_line || reached_by_JUMP_BACKWARD)
   *           emit HS_EV_LINE (line);
   *         frame->prev_line = line;
   *       }
   *     }
   * with frame->prev_line = 0 when the frame starts.  This is CPython 3.11's rule (an
   * event when the line differs from the previous instruction's, or after a backward
   * jump).  Instructions CPython emits "without a line" (the jump closing a loop, the
   * implicit `return None`, handler clean-ups) have lineno 0 here: they never make an
   * event and leave prev_line alone, which is what CPython's inheritance of the
   * predecessor's line amounts to.  The `for` header's FOR_ITER is reached by the
   * backward edge, hence one step per iteration.  Instructions that can raise always
   * have a line (tracebacks); for the others, the frame's line is prev_line. */
  HS_INSTR_LINE_START = 1u << 0,
};

/* Where an instruction comes from, as CPython's co_positions(): 1-based lines,
 * 0-based UTF-8 byte columns, end exclusive.  The traceback printer draws 3.11's
 * ^~~~ markers from these.  lineno 0: no position. */
typedef struct {
  uint32_t lineno;
  uint32_t end_lineno;
  uint32_t col_offset;
  uint32_t end_col_offset;
} HsPosition;

/* Exception table entry, as 3.11's: an exception raised by an instruction with index
 * in [start, end) pops the value stack down to `depth` items (releasing them), pushes
 * the exception and jumps to `target`.  Entries are sorted by start and never overlap
 * (each instruction is covered by its innermost handler only), so a binary search finds
 * the one entry; no entry: the frame is popped and the exception propagates.  The
 * traceback entry for this frame is added when the exception is raised in it (never by
 * RERAISE or a bare `raise`), before the table is consulted. */
typedef struct {
  uint32_t start;
  uint32_t end;
  uint32_t target;
  uint32_t depth;
} HsExcEntry;

/* A literal for LOAD_LITERAL (tutorial profile): recreated every time it runs. */
typedef enum {
  HS_LITERAL_INT,     /* outside -5..256 */
  HS_LITERAL_FLOAT,
  HS_LITERAL_STR,
} HsLiteralKind;

typedef struct {
  HsLiteralKind kind;
  size_t        len;      /* STR: bytes (may hold NUL bytes) */
  union {
    int64_t     i;
    double      f;
    char       *s;        /* STR: hs_mem_alloc'd, len + 1 bytes, NUL-terminated */
  } u;
} HsLiteral;

/* One inline cache per caching instruction (LOAD_GLOBAL, LOAD_ATTR, STORE_ATTR,
 * LOAD_METHOD); zeroed by the compiler, owned and interpreted by the VM alone.  It must
 * hold no counted reference (only versions, indexes, borrowed type pointers checked
 * by version). */
typedef struct {
  uintptr_t w[4];
} HsInlineCache;

/* HsCode.flags */
enum {
  HS_CODE_OPTIMIZED  = 1u << 0,  /* fast locals (a function); off for module and class bodies */
  HS_CODE_NEWLOCALS  = 1u << 1,  /* a fresh locals namespace per call */
  HS_CODE_VARARGS    = 1u << 2,  /* has *args (its local slot follows the kw-only ones) */
  HS_CODE_VARKEYWORDS = 1u << 3, /* has **kwargs (its slot follows *args, if any) */
  HS_CODE_NESTED     = 1u << 4,  /* defined inside a function (has or may have free vars) */
  HS_CODE_MODULE     = 1u << 5,  /* a module body: locals are the globals dict */
  HS_CODE_CLASS_BODY = 1u << 6,  /* a class body: called by __build_class__ with the namespace as locals */
  HS_CODE_LAMBDA     = 1u << 7,
  HS_CODE_COMPREHENSION = 1u << 8, /* <listcomp> and friends: one positional arg `.0`, an iterator */
  HS_CODE_NOFREE     = 1u << 9,  /* no free and no cell variables */
};

/* The code object: an ordinary program object (type vm->types[HS_T_CODE]) so that the
 * heap view can show it.  Every table is counted memory (hs_mem_alloc) and freed in
 * dealloc.  Names (name, qualname, filename, varnames, cellvars, freevars, names) are
 * interned str (immortal): held without reference events.
 *
 * Frame layout the VM builds from it: nlocals fast slots (parameters first, in the
 * order argcount positional-or-keyword, kwonlyargcount keyword-only, then *args if
 * HS_CODE_VARARGS, then **kwargs if HS_CODE_VARKEYWORDS, then the other locals), then
 * ncellvars + nfreevars cell slots (DEREF operands index these), then at most
 * stacksize value-stack slots.  At frame entry the VM creates one empty cell per
 * cellvar; when cell2arg[i] >= 0 the cell starts with that parameter's value and the
 * parameter's fast slot is left empty (the variable lives in the cell only).  Free
 * cells are copied from the function's closure tuple (same order as freevars). */
typedef struct HsCode {
  HsObject        base;
  HsObject       *name;           /* "<module>", "greet", "<lambda>", "<listcomp>", "Dog" */
  HsObject       *qualname;       /* "Dog.__init__", "outer.<locals>.inner" */
  HsObject       *filename;
  uint32_t        firstlineno;
  uint32_t        flags;          /* HS_CODE_* */
  uint32_t        argcount;       /* positional-or-keyword parameters */
  uint32_t        kwonlyargcount;
  uint32_t        nlocals;
  uint32_t        ncellvars;
  uint32_t        nfreevars;
  uint32_t        nnames;
  uint32_t        nconsts;
  uint32_t        nliterals;
  uint32_t        ninstrs;
  uint32_t        nexc;
  uint32_t        ncaches;
  uint32_t        stacksize;      /* exact maximum value-stack depth */
  HsObject      **varnames;       /* nlocals */
  HsObject      **cellvars;       /* ncellvars */
  HsObject      **freevars;       /* nfreevars */
  int32_t        *cell2arg;       /* ncellvars entries (NULL if none is a parameter) */
  HsObject      **names;          /* nnames: globals, attributes, imported names */
  /* nconsts: held references.  Every non-immortal constant (the literals in the
   * cpython profile; nested code objects and kw-names tuples in both profiles) is
   * published as HS_HOLDER_CONST (holder = this code object, slot = index) when the
   * code is made, and released the same way in dealloc. */
  HsObject      **consts;
  HsLiteral      *literals;       /* nliterals (tutorial profile) */
  HsInstr        *code;           /* ninstrs */
  HsPosition     *positions;      /* ninstrs, one per instruction */
  HsExcEntry     *exctable;       /* nexc */
  HsInlineCache  *caches;         /* ncaches, zeroed */
} HsCode;

#define HS_CODE(o) ((HsCode *) (o))

/* Registers the code type as vm->types[HS_T_CODE] (called from hs_vm_new, after the
 * str type and before anything compiles). */
void      hs_code_type_init (HsVm *vm);

/* Net stack-depth change of one instruction (hs-opcodes.h), fall-through or jump. */
int       hs_opcode_stack_effect (int op, uint32_t arg, bool jump);
const char *hs_opcode_name (int op);
HsOperandKind hs_opcode_operand (int op);

/* The exception-table entry covering instruction pc, or NULL. */
const HsExcEntry *hs_code_find_handler (const HsCode *code, uint32_t pc);

/* Line of instruction pc (0 if none). */
static inline uint32_t
hs_code_line (const HsCode *code, uint32_t pc)
{
  return pc < code->ninstrs ? code->positions[pc].lineno : 0;
}

/* Human-readable listing (malloc'd; free()), recursive into nested code objects:
 *   "Disassembly of <code greet>:"
 *   "  3     0 LOAD_FAST          0 (name)" ...
 * Used by tests and by HS_DEBUG_TRACE_EXECUTION. */
char     *hs_code_disassemble (HsObject *code);
/* One instruction, for execution tracing: "   12 LOAD_GLOBAL        1 (print)". */
void      hs_code_format_instr (const HsCode *code, uint32_t pc, char *buf, size_t cap);
