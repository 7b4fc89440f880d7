/* hs-traceback.c — CPython 3.11's traceback text, carets and exception chains included. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hs-code.h"
#include "hs-internal.h"
#include "hs-vm.h"

typedef struct {
  char  *data;
  size_t len;
  size_t cap;
} TbText;

static void
tb_add (TbText *t, const char *s, size_t n)
{
  if (t->len + n + 1 > t->cap)
    {
      size_t cap = t->cap ? t->cap * 2 : 512;
      char *d;
      while (cap < t->len + n + 1)
        cap *= 2;
      d = realloc (t->data, cap);
      if (d == NULL)
        return;
      t->data = d;
      t->cap = cap;
    }
  memcpy (t->data + t->len, s, n);
  t->len += n;
  t->data[t->len] = '\0';
}

static void
tb_adds (TbText *t, const char *s)
{
  tb_add (t, s, strlen (s));
}

/* Display width of UTF-8 bytes [0, n) of s, counting characters (3.11 does the same). */
static size_t
char_count (const char *s, size_t n)
{
  size_t i, c = 0;

  for (i = 0; i < n; i++)
    if (((unsigned char) s[i] & 0xC0) != 0x80)
      c++;
  return c;
}

/* The operator of a binary expression inside [start, end): CPython 3.11's
 * traceback finds it with the tokenizer; here a scan that skips brackets and strings. */
static bool
find_binop (const char *s, size_t start, size_t end, size_t *op_start, size_t *op_end)
{
  int depth = 0;
  size_t i = start;
  bool seen_operand = false;

  while (i < end)
    {
      char c = s[i];
      if (c == '(' || c == '[' || c == '{')
        depth++, seen_operand = true;
      else if (c == ')' || c == ']' || c == '}')
        depth--;
      else if (c == '\'' || c == '"')
        {
          char q = c;
          i++;
          while (i < end && s[i] != q)
            {
              if (s[i] == '\\')
                i++;
              i++;
            }
          seen_operand = true;
        }
      else if (depth == 0 && seen_operand && strchr ("+-*/%@&|^<>", c) != NULL)
        {
          size_t j = i + 1;
          while (j < end && strchr ("*/<>=", s[j]) != NULL && j - i < 3)
            j++;
          *op_start = i;
          *op_end = j;
          return true;
        }
      else if (c != ' ' && c != '\t')
        seen_operand = true;
      i++;
    }
  return false;
}

static void
print_frame (HsVm *vm, TbText *t, HsCode *co, uint32_t offset)
{
  HsInterp *in = HS_INTERP (vm);
  HsPosition pos = offset < co->ninstrs ? co->positions[offset] : (HsPosition) { 0, 0, 0, 0 };
  char buf[1024];
  const char *line;
  size_t len = 0;

  snprintf (buf, sizeof buf, "  File \"%s\", line %u, in %s\n",
            co->filename != NULL ? hs_str_data (co->filename) : (in->filename ? in->filename : "<string>"),
            pos.lineno, hs_str_data (co->name));
  tb_adds (t, buf);
  line = hs_vm_source_line (vm, pos.lineno, &len);
  if (line == NULL)
    return;
  {
    size_t lead = 0, trail = len;
    while (lead < len && (line[lead] == ' ' || line[lead] == '\t' || line[lead] == '\f'))
      lead++;
    while (trail > lead && (line[trail - 1] == ' ' || line[trail - 1] == '\t'))
      trail--;
    if (trail == lead)
      return;
    tb_adds (t, "    ");
    tb_add (t, line + lead, trail - lead);
    tb_adds (t, "\n");

    /* 3.11's carets: only when the failing expression is on one line (or the first
     * line of several) and does not cover the whole stripped line. */
    if (pos.end_lineno >= pos.lineno && pos.col_offset < len)
      {
        size_t cs = pos.col_offset, ce = pos.end_lineno == pos.lineno ? pos.end_col_offset : trail;
        size_t os = 0, oe = 0, i;
        HsInstr ins = co->code[offset];
        bool binop;

        if (ce > trail)
          ce = trail;
        if (cs < lead || ce <= cs)
          return;
        binop = (ins.op == HS_OP_BINARY_OP || ins.op == HS_OP_BINARY_ADD || ins.op == HS_OP_BINARY_SUBTRACT
                 || ins.op == HS_OP_BINARY_MULTIPLY || ins.op == HS_OP_INPLACE_ADD || ins.op == HS_OP_INPLACE_SUBTRACT)
                && find_binop (line, cs, ce, &os, &oe);
        /* 3.11 shows the markers when they say more than the line itself: the
         * expression is part of the line, or a binary operator or subscript is marked. */
        if (cs == lead && ce == trail && !binop && ins.op != HS_OP_BINARY_SUBSCR)
          return;
        if (ins.op == HS_OP_BINARY_SUBSCR && !binop)
          {
            /* a[b]: ~ under the value, ^ under the subscript (3.11). */
            size_t k = ce;
            int depth = 0;
            while (k > cs)
              {
                k--;
                if (line[k] == ']')
                  depth++;
                else if (line[k] == '[')
                  {
                    if (--depth == 0)
                      break;
                  }
              }
            if (k > cs && line[k] == '[')
              {
                os = k;
                oe = ce;
                tb_adds (t, "    ");
                for (i = char_count (line + lead, cs - lead); i > 0; i--)
                  tb_adds (t, " ");
                for (i = char_count (line + cs, os - cs); i > 0; i--)
                  tb_adds (t, "~");
                for (i = char_count (line + os, oe - os); i > 0; i--)
                  tb_adds (t, "^");
                tb_adds (t, "\n");
                return;
              }
          }
        tb_adds (t, "    ");
        for (i = char_count (line + lead, cs - lead); i > 0; i--)
          tb_adds (t, " ");
        if (binop)
          {
            for (i = char_count (line + cs, os - cs); i > 0; i--)
              tb_adds (t, "~");
            for (i = char_count (line + os, oe - os); i > 0; i--)
              tb_adds (t, "^");
            for (i = char_count (line + oe, ce - oe); i > 0; i--)
              tb_adds (t, "~");
          }
        else
          for (i = char_count (line + cs, ce - cs); i > 0; i--)
            tb_adds (t, "^");
        tb_adds (t, "\n");
      }
  }
}

HsObject *
hs_exception_format_only (HsVm *vm, HsObject *exc)
{
  HsObject *msg = NULL, *res;
  const char *name = hs_object_type_name (exc);
  HsType *tp = exc->type;

  if (hs_is_exception (vm, exc))
    {
      msg = tp->str != NULL ? tp->str (vm, exc) : hs_exception_str (vm, exc);
      if (msg == NULL)
        {
          hs_err_clear (vm);
          return hs_str_printf (vm, "%s: <exception str() failed>", name);
        }
    }
  if (msg != NULL && hs_str_size (msg) > 0)
    res = hs_str_printf (vm, "%s: %s", name, hs_str_data (msg));
  else
    res = hs_str_printf (vm, "%s", name);
  HS_XDECREF (vm, msg);
  return res;
}

static void
print_one (HsVm *vm, TbText *t, HsObject *exc)
{
  HsException *e = (HsException *) exc;
  HsObject *line;
  uint32_t i;

  if (hs_is_exception (vm, exc) && e->tb_n > 0)
    {
      /* Identical consecutive frames beyond three are summarised, as CPython does. */
      uint32_t repeat = 0, last_line = 0;
      HsCode *last_code = NULL;
      char buf[96];

      tb_adds (t, "Traceback (most recent call last):\n");
      for (i = 0; i < e->tb_n; i++)
        {
          HsCode *co = HS_CODE (e->tb[i].code);
          uint32_t line = e->tb[i].offset < co->ninstrs ? co->positions[e->tb[i].offset].lineno : 0;
          if (last_code != NULL && co->filename == last_code->filename && co->name == last_code->name
              && line == last_line)
            repeat++;
          else
            {
              if (repeat > 3)
                {
                  snprintf (buf, sizeof buf, "  [Previous line repeated %u more time%s]\n", repeat - 3,
                            repeat - 3 == 1 ? "" : "s");
                  tb_adds (t, buf);
                }
              repeat = 1;
            }
          last_code = co;
          last_line = line;
          if (repeat <= 3)
            print_frame (vm, t, co, e->tb[i].offset);
        }
      if (repeat > 3)
        {
          snprintf (buf, sizeof buf, "  [Previous line repeated %u more time%s]\n", repeat - 3,
                    repeat - 3 == 1 ? "" : "s");
          tb_adds (t, buf);
        }
    }
  line = hs_exception_format_only (vm, exc);
  if (line != NULL)
    {
      tb_add (t, hs_str_data (line), hs_str_size (line));
      hs_decref (vm, line);
    }
  tb_adds (t, "\n");
}

void
hs_traceback_print (HsVm *vm, HsObject *exc)
{
  HsObject *chain[64];
  int kinds[64];
  int n = 0, i;
  TbText t = { NULL, 0, 0 };
  HsObject *saved = vm->exc;

  vm->exc = NULL;
  /* Walk the chain outward (cause, or context unless suppressed), then print oldest first. */
  chain[n] = exc;
  kinds[n++] = 0;
  while (n < 64)
    {
      HsException *e = (HsException *) chain[n - 1];
      HsObject *next = NULL;
      int kind = 0;
      int k;
      if (!hs_is_exception (vm, chain[n - 1]))
        break;
      if (e->cause != NULL)
        next = e->cause, kind = 1;
      else if (e->context != NULL && !e->suppress_context)
        next = e->context, kind = 2;
      if (next == NULL)
        break;
      for (k = 0; k < n; k++)
        if (chain[k] == next)
          break;
      if (k < n)
        break;
      kinds[n - 1] = kind;
      chain[n] = next;
      kinds[n++] = 0;
    }
  for (i = n; i-- > 0;)
    {
      print_one (vm, &t, chain[i]);
      if (i > 0)
        tb_adds (&t, kinds[i - 1] == 1
                 ? "\nThe above exception was the direct cause of the following exception:\n\n"
                 : "\nDuring handling of the above exception, another exception occurred:\n\n");
    }
  if (t.data != NULL)
    {
      hs_vm_write (vm, HS_STREAM_STDERR, t.data, t.len);
      free (t.data);
    }
  if (vm->exc != NULL)
    hs_err_clear (vm);
  vm->exc = saved;
}
