/* hs-disasm.c — readable listings of code objects, for tests and execution tracing. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hs-code.h"

/* A growing malloc'd text buffer (not program memory). */
typedef struct {
  char  *data;
  size_t len;
  size_t cap;
} TextBuf;

static void tb_vappend (TextBuf *tb, const char *fmt, va_list ap) __attribute__ ((format (printf, 2, 0)));

static void
tb_vappend (TextBuf *tb, const char *fmt, va_list ap)
{
  va_list ap2;
  int n;

  va_copy (ap2, ap);
  n = vsnprintf (NULL, 0, fmt, ap2);
  va_end (ap2);
  if (n < 0)
    return;
  if (tb->len + (size_t) n + 1 > tb->cap)
    {
      size_t cap = tb->cap ? tb->cap : 256;
      while (tb->len + (size_t) n + 1 > cap)
        cap *= 2;
      char *d = realloc (tb->data, cap);
      if (d == NULL)
        return;
      tb->data = d;
      tb->cap = cap;
    }
  vsnprintf (tb->data + tb->len, tb->cap - tb->len, fmt, ap);
  tb->len += (size_t) n;
}

static void __attribute__ ((format (printf, 2, 3)))
tb_append (TextBuf *tb, const char *fmt, ...)
{
  va_list ap;

  va_start (ap, fmt);
  tb_vappend (tb, fmt, ap);
  va_end (ap);
}

static const char *const cmp_names[] = { "<", "<=", "==", "!=", ">", ">=" };
static const char *const binop_names[] = {
  "+", "-", "*", "/", "//", "%", "**", "<<", ">>", "&", "|", "^", "@",
};

/* Short text for a constant, without a VM: by type name. */
static void
format_const (HsObject *o, char *buf, size_t cap)
{
  const char *tn;

  if (o == NULL)
    {
      snprintf (buf, cap, "NULL");
      return;
    }
  tn = HS_TYPE (o)->name;
  if (strcmp (tn, "NoneType") == 0)
    snprintf (buf, cap, "None");
  else if (strcmp (tn, "bool") == 0)
    snprintf (buf, cap, "%s", hs_int_value (o) ? "True" : "False");
  else if (strcmp (tn, "int") == 0)
    snprintf (buf, cap, "%lld", (long long) hs_int_value (o));
  else if (strcmp (tn, "float") == 0)
    snprintf (buf, cap, "%.17g", hs_float_value (o));
  else if (strcmp (tn, "ellipsis") == 0)
    snprintf (buf, cap, "Ellipsis");
  else if (strcmp (tn, "str") == 0)
    snprintf (buf, cap, "'%.*s'", (int) (hs_str_size (o) > 40 ? 40 : hs_str_size (o)),
              hs_str_data (o));
  else if (strcmp (tn, "code") == 0)
    snprintf (buf, cap, "<code %s>", hs_str_data (HS_CODE (o)->name));
  else if (strcmp (tn, "tuple") == 0)
    {
      size_t n = hs_tuple_size (o), used;

      used = (size_t) snprintf (buf, cap, "(");
      for (size_t i = 0; i < n && used < cap; i++)
        {
          char item[64];
          format_const (hs_tuple_item (o, i), item, sizeof item);
          used += (size_t) snprintf (buf + used, cap - used, "%s%s", i ? ", " : "", item);
        }
      if (used < cap)
        snprintf (buf + used, cap - used, n == 1 ? ",)" : ")");
    }
  else
    snprintf (buf, cap, "<%s>", tn);
}

static void
format_literal (const HsLiteral *lit, char *buf, size_t cap)
{
  switch (lit->kind)
    {
    case HS_LITERAL_INT:
      snprintf (buf, cap, "%lld", (long long) lit->u.i);
      break;
    case HS_LITERAL_FLOAT:
      snprintf (buf, cap, "%.17g", lit->u.f);
      break;
    case HS_LITERAL_STR:
      snprintf (buf, cap, "'%.*s'", (int) (lit->len > 40 ? 40 : lit->len), lit->u.s);
      break;
    }
}

static const char *
deref_name (const HsCode *co, uint32_t i)
{
  if (i < co->ncellvars)
    return hs_str_data (co->cellvars[i]);
  if (i - co->ncellvars < co->nfreevars)
    return hs_str_data (co->freevars[i - co->ncellvars]);
  return "?";
}

void
hs_code_format_instr (const HsCode *co, uint32_t pc, char *buf, size_t cap)
{
  const HsInstr *in = &co->code[pc];
  char detail[128] = "";
  char c[100];

  switch (hs_opcode_operand (in->op))
    {
    case HS_OPND_LOCAL:
      snprintf (detail, sizeof detail, "(%s)",
                in->arg < co->nlocals ? hs_str_data (co->varnames[in->arg]) : "?");
      break;
    case HS_OPND_DEREF:
      snprintf (detail, sizeof detail, "(%s)", deref_name (co, in->arg));
      break;
    case HS_OPND_NAME:
      snprintf (detail, sizeof detail, "(%s)",
                in->arg < co->nnames ? hs_str_data (co->names[in->arg]) : "?");
      break;
    case HS_OPND_CONST:
      format_const (in->arg < co->nconsts ? co->consts[in->arg] : NULL, c, sizeof c);
      snprintf (detail, sizeof detail, "(%s)", c);
      break;
    case HS_OPND_LITERAL:
      if (in->arg < co->nliterals)
        format_literal (&co->literals[in->arg], c, sizeof c);
      else
        snprintf (c, sizeof c, "?");
      snprintf (detail, sizeof detail, "(%s)", c);
      break;
    case HS_OPND_JUMP:
      if (in->op == HS_OP_COMPARE_JUMP_IF_FALSE)
        snprintf (detail, sizeof detail, "(%s, to %u)",
                  in->arg2 < 6 ? cmp_names[in->arg2] : "?", in->arg);
      else
        snprintf (detail, sizeof detail, "(to %u)", in->arg);
      break;
    case HS_OPND_BINOP:
      if (in->arg < HS_BINOP_COUNT)
        snprintf (detail, sizeof detail, "(%s)", binop_names[in->arg]);
      else if (in->arg < 2 * HS_BINOP_COUNT)
        snprintf (detail, sizeof detail, "(%s=)", binop_names[in->arg - HS_BINOP_COUNT]);
      break;
    case HS_OPND_CMPOP:
      snprintf (detail, sizeof detail, "(%s)", in->arg < 6 ? cmp_names[in->arg] : "?");
      break;
    default:
      break;
    }
  if (hs_opcode_operand (in->op) == HS_OPND_NONE)
    snprintf (buf, cap, "%5u %s", pc, hs_opcode_name (in->op));
  else
    snprintf (buf, cap, "%5u %-22s %4u %s", pc, hs_opcode_name (in->op), in->arg, detail);
  /* Trim trailing blanks so listings compare cleanly in tests. */
  size_t n = strlen (buf);
  while (n > 0 && buf[n - 1] == ' ')
    buf[--n] = '\0';
}

static void
disassemble_one (TextBuf *tb, const HsCode *co)
{
  char line[256];
  uint32_t prev_line = 0;
  bool *targets = calloc (co->ninstrs + 1, sizeof *targets);

  if (targets == NULL)
    return;
  for (uint32_t k = 0; k < co->nexc; k++)
    if (co->exctable[k].target < co->ninstrs)
      targets[co->exctable[k].target] = true;
  for (uint32_t k = 0; k < co->ninstrs; k++)
    if (hs_opcode_operand (co->code[k].op) == HS_OPND_JUMP && co->code[k].arg < co->ninstrs)
      targets[co->code[k].arg] = true;
  tb_append (tb, "Disassembly of <code %s>:\n", hs_str_data (co->name));
  for (uint32_t pc = 0; pc < co->ninstrs; pc++)
    {
      uint32_t ln = co->positions[pc].lineno;
      char lcol[16] = "";
      bool target = targets[pc];

      if ((co->code[pc].flags & HS_INSTR_LINE_START) && ln != prev_line)
        {
          if (pc > 0)
            tb_append (tb, "\n");
          snprintf (lcol, sizeof lcol, "%u", ln);
          prev_line = ln;
        }
      hs_code_format_instr (co, pc, line, sizeof line);
      tb_append (tb, "%4s %2s%s\n", lcol, target ? ">>" : "", line);
    }
  if (co->nexc > 0)
    {
      tb_append (tb, "ExceptionTable:\n");
      for (uint32_t k = 0; k < co->nexc; k++)
        tb_append (tb, "  %u to %u -> %u [%u]\n", co->exctable[k].start,
                   co->exctable[k].end, co->exctable[k].target, co->exctable[k].depth);
    }
  free (targets);
}

char *
hs_code_disassemble (HsObject *code)
{
  TextBuf tb = { 0 };
  /* Nested code objects, breadth first with an explicit queue: no C recursion. */
  size_t qn = 0, qcap = 16, qi = 0;
  const HsCode **queue = malloc (qcap * sizeof *queue);

  if (queue == NULL)
    return NULL;
  queue[qn++] = HS_CODE (code);
  while (qi < qn)
    {
      const HsCode *co = queue[qi++];

      if (qi > 1)
        tb_append (&tb, "\n");
      disassemble_one (&tb, co);
      for (uint32_t i = 0; i < co->nconsts; i++)
        {
          HsObject *c = co->consts[i];

          if (c == NULL || strcmp (HS_TYPE (c)->name, "code") != 0)
            continue;
          if (qn == qcap)
            {
              const HsCode **q2 = realloc (queue, qcap * 2 * sizeof *queue);
              if (q2 == NULL)
                break;
              queue = q2;
              qcap *= 2;
            }
          queue[qn++] = HS_CODE (c);
        }
    }
  free (queue);
  if (tb.data == NULL)
    return strdup ("");
  return tb.data;
}
