/* hs-code.c — the code object type and the opcode tables. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <string.h>

#include "hs-code.h"

/* ---- opcode tables ---------------------------------------------------------------- */

static const char *const opcode_names[] = {
#define HS_X(name, operand, effect, jump_effect) #name,
  HS_OPCODES (HS_X)
#undef HS_X
};

static const uint8_t opcode_operands[] = {
#define HS_X(name, operand, effect, jump_effect) HS_OPND_##operand,
  HS_OPCODES (HS_X)
#undef HS_X
};

const char *
hs_opcode_name (int op)
{
  if (op < 0 || op >= HS_OP__COUNT)
    return "<bad opcode>";
  return opcode_names[op];
}

HsOperandKind
hs_opcode_operand (int op)
{
  if (op < 0 || op >= HS_OP__COUNT)
    return HS_OPND_NONE;
  return (HsOperandKind) opcode_operands[op];
}

int
hs_opcode_stack_effect (int op, uint32_t arg, bool jump)
{
  switch (op)
    {
#define HS_X(name, operand, effect, jump_effect) \
    case HS_OP_##name: return jump ? (jump_effect) : (effect);
      HS_OPCODES (HS_X)
#undef HS_X
    default:
      return 0;
    }
}

/* ---- the code object ---------------------------------------------------------------- */

const HsExcEntry *
hs_code_find_handler (const HsCode *code, uint32_t pc)
{
  size_t lo = 0, hi = code->nexc;

  while (lo < hi)
    {
      size_t mid = lo + (hi - lo) / 2;
      const HsExcEntry *e = &code->exctable[mid];

      if (pc < e->start)
        hi = mid;
      else if (pc >= e->end)
        lo = mid + 1;
      else
        return e;
    }
  return NULL;
}

static void
code_release_tables (HsVm *vm, HsCode *co)
{
  if (co->consts != NULL)
    {
      /* Constants last to first, like a container releasing its items. */
      for (uint32_t i = co->nconsts; i-- > 0;)
        {
          HsObject *c = co->consts[i];

          if (c == NULL)
            continue;
          co->consts[i] = NULL;
          if (!hs_is_immortal (c) && hs_hooked (vm, HS_EV_REF))
            hs_emit_ref (vm, HS_HOLDER_CONST, co->base.id, i, NULL, c, NULL);
          hs_decref (vm, c);
        }
      hs_mem_free (vm, co->consts, co->nconsts * sizeof (HsObject *));
    }
  if (co->literals != NULL)
    {
      for (uint32_t i = 0; i < co->nliterals; i++)
        if (co->literals[i].kind == HS_LITERAL_STR && co->literals[i].u.s != NULL)
          hs_mem_free (vm, co->literals[i].u.s, co->literals[i].len + 1);
      hs_mem_free (vm, co->literals, co->nliterals * sizeof (HsLiteral));
    }
  /* Names are interned (immortal): only the arrays are ours. */
  if (co->varnames != NULL)
    hs_mem_free (vm, co->varnames, co->nlocals * sizeof (HsObject *));
  if (co->cellvars != NULL)
    hs_mem_free (vm, co->cellvars, co->ncellvars * sizeof (HsObject *));
  if (co->freevars != NULL)
    hs_mem_free (vm, co->freevars, co->nfreevars * sizeof (HsObject *));
  if (co->cell2arg != NULL)
    hs_mem_free (vm, co->cell2arg, co->ncellvars * sizeof (int32_t));
  if (co->names != NULL)
    hs_mem_free (vm, co->names, co->nnames * sizeof (HsObject *));
  if (co->code != NULL)
    hs_mem_free (vm, co->code, co->ninstrs * sizeof (HsInstr));
  if (co->positions != NULL)
    hs_mem_free (vm, co->positions, co->ninstrs * sizeof (HsPosition));
  if (co->exctable != NULL)
    hs_mem_free (vm, co->exctable, co->nexc * sizeof (HsExcEntry));
  if (co->caches != NULL)
    hs_mem_free (vm, co->caches, co->ncaches * sizeof (HsInlineCache));
  co->varnames = co->cellvars = co->freevars = co->names = NULL;
  co->cell2arg = NULL;
  co->literals = NULL;
  co->code = NULL;
  co->positions = NULL;
  co->exctable = NULL;
  co->caches = NULL;
}

static void
code_dealloc (HsVm *vm, HsObject *self)
{
  code_release_tables (vm, HS_CODE (self));
  hs_object_free (vm, self);
}

static int
code_traverse (HsObject *self, HsVisitProc visit, void *arg)
{
  HsCode *co = HS_CODE (self);

  for (uint32_t i = 0; i < co->nconsts; i++)
    if (co->consts[i] != NULL)
      {
        int r = visit (co->consts[i], arg);
        if (r != 0)
          return r;
      }
  return 0;
}

static void
code_describe (HsVm *vm, HsObject *self, char *buf, size_t cap)
{
  HsCode *co = HS_CODE (self);

  (void) vm;
  snprintf (buf, cap, "<code %s>", co->name != NULL ? hs_str_data (co->name) : "?");
}

static HsObject *
code_repr (HsVm *vm, HsObject *self)
{
  HsCode *co = HS_CODE (self);

  /* CPython: <code object f at 0x..., file "x.py", line 1>; ids stand in for addresses. */
  return hs_str_printf (vm, "<code object %s at 0x%llx, file \"%s\", line %u>",
                        co->name != NULL ? hs_str_data (co->name) : "?",
                        (unsigned long long) co->base.id,
                        co->filename != NULL ? hs_str_data (co->filename) : "?",
                        co->firstlineno);
}

static size_t
code_size_of (HsObject *self)
{
  HsCode *co = HS_CODE (self);

  return sizeof (HsCode) + co->ninstrs * (sizeof (HsInstr) + sizeof (HsPosition))
         + co->nlocals * sizeof (HsObject *);
}

static const HsType code_tmpl = {
  .name = "code",
  .basic_size = sizeof (HsCode),
  .dealloc = code_dealloc,
  .traverse = code_traverse,
  .repr = code_repr,
  .describe = code_describe,
  .size_of = code_size_of,
};

void
hs_code_type_init (HsVm *vm)
{
  HsType *t = hs_type_register (vm, HS_T_CODE, &code_tmpl);

  if (t != NULL && t->tp_base == NULL)
    t->tp_base = HS_T (vm, OBJECT);
}
