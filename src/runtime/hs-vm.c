/* hs-vm.c — the VM: start-up and teardown, frames, calls, the interpreter loop, running programs. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hs-code.h"
#include "hs-compiler.h"
#include "hs-containers.h"
#include "hs-internal.h"
#include "hs-vm.h"

/* ---- frames ------------------------------------------------------------------ */

struct HsFrame {
  HsFrame   *back;
  HsCode    *code;
  HsObject  *func;        /* counted ("function"), NULL for the module */
  HsObject  *globals;     /* borrowed (the function or the module holds it) */
  HsObject  *locals;      /* namespace dict of module and class bodies, else NULL (borrowed) */
  HsInstr   *pc;          /* the instruction running (saved when leaving the loop) */
  HsObject **sp;
  HsObject **stack;       /* value stack base: localsplus + nlocals + ncells */
  HsId       id;
  uint32_t   prev_line;
  bool       entry;       /* returning from it leaves the eval loop */
  bool       backjump;    /* reached the current instruction by JUMP_BACKWARD */
  HsObject  *init_self;   /* an __init__ run inline (events off): the new instance, counted,
                             given to the caller when the frame returns None */
  void      *mem_chunk;   /* frame-stack bookkeeping */
  char      *mem_prev_top;
  HsObject  *localsplus[];
};

typedef struct HsFrameChunk HsFrameChunk;
struct HsFrameChunk {
  HsFrameChunk *prev;
  HsFrameChunk *next;
  char         *end;
  char         *top;
  char          data[];
};

#define HS_FRAME_CHUNK (256 * 1024)

static HsFrame *
frame_alloc (HsVm *vm, size_t nslots)
{
  HsInterp *in = HS_INTERP (vm);
  HsFrameChunk *c = in->frames_base;
  size_t size = sizeof (HsFrame) + nslots * sizeof (HsObject *);
  HsFrame *f;

  size = (size + 15) & ~(size_t) 15;
  if (c == NULL || c->top + size > c->end)
    {
      HsFrameChunk *n = c != NULL ? c->next : NULL;
      if (n == NULL || (size_t) (n->end - n->data) < size)
        {
          size_t cap = size > HS_FRAME_CHUNK ? size : HS_FRAME_CHUNK;
          if (n != NULL)
            {
              /* Too small for this frame: drop the spare chunk(s). */
              HsFrameChunk *x = n, *nx;
              for (; x != NULL; x = nx)
                {
                  nx = x->next;
                  free (x);
                }
            }
          n = malloc (sizeof *n + cap);
          if (n == NULL)
            return NULL;
          n->prev = c;
          n->next = NULL;
          n->end = n->data + cap;
          if (c != NULL)
            c->next = n;
        }
      n->top = n->data;
      c = n;
      in->frames_base = c;
    }
  f = (HsFrame *) c->top;
  f->mem_chunk = c;
  f->mem_prev_top = c->top;
  c->top += size;
  return f;
}

static void
frame_release_mem (HsVm *vm, HsFrame *f)
{
  HsInterp *in = HS_INTERP (vm);
  HsFrameChunk *c = f->mem_chunk;

  c->top = f->mem_prev_top;
  if (c->top == c->data && c->prev != NULL)
    in->frames_base = c->prev;
  else
    in->frames_base = c;
}

static void
frames_free_all (HsInterp *in)
{
  HsFrameChunk *c = in->frames_base, *n;

  if (c == NULL)
    return;
  while (c->prev != NULL)
    c = c->prev;
  for (; c != NULL; c = n)
    {
      n = c->next;
      free (c);
    }
  in->frames_base = NULL;
}

static inline size_t
code_nslots (const HsCode *co)
{
  return co->nlocals + co->ncellvars + co->nfreevars + co->stacksize + 1;
}

static inline const char *
local_name (const HsCode *co, size_t i)
{
  if (i < co->nlocals)
    return hs_str_data (co->varnames[i]);
  i -= co->nlocals;
  if (i < co->ncellvars)
    return hs_str_data (co->cellvars[i]);
  i -= co->ncellvars;
  if (i < co->nfreevars)
    return hs_str_data (co->freevars[i]);
  return NULL;
}

static void
emit_call (HsVm *vm, HsFrame *f)
{
  HsEvent ev;

  memset (&ev, 0, sizeof ev);
  ev.kind = HS_EV_CALL;
  ev.u.call.frame = f->id;
  ev.u.call.parent = f->back != NULL ? f->back->id : 0;
  ev.u.call.function = f->func != NULL ? f->func->id : 0;
  ev.u.call.name = hs_str_data (f->code->name);
  ev.u.call.line = f->code->firstlineno;
  hs_emit (vm, &ev);
}

/* A new frame's header for code co, with a new id; its nslots locals, cells and free
 * variables come first in localsplus, its value stack after them. */
static inline void
frame_setup (HsVm *vm, HsFrame *f, HsFrame *back, HsCode *co, HsObject *func, HsObject *globals,
             HsObject *locals, size_t nslots)
{
  f->back = back;
  f->code = co;
  f->func = func;
  f->globals = globals;
  f->locals = locals;
  f->pc = co->code;
  f->stack = f->localsplus + nslots;
  f->sp = f->stack;
  f->id = ++vm->next_id;
  f->prev_line = 0;
  f->entry = false;
  f->backjump = false;
  f->init_self = NULL;
}

/* Fills a plain function's new frame (the calls' fast paths): its first nargs
 * locals are args, the caller's references moved in; the others are empty.
 * The frame holds func's reference the caller had. */
static inline void
plain_frame_init (HsVm *vm, HsFrame *nf, HsFrame *back, HsObject *func, HsObject *const *args,
                  size_t nargs)
{
  HsCode *co = HS_CODE (((HsFunction *) func)->code);
  size_t nl = co->nlocals;

  frame_setup (vm, nf, back, co, func, ((HsFunction *) func)->globals, NULL, nl);
  memcpy (nf->localsplus, args, nargs * sizeof (HsObject *));
  if (nl > nargs)
    memset (nf->localsplus + nargs, 0, (nl - nargs) * sizeof (HsObject *));
}

/* Makes a frame for code (args already bound by the caller into localsplus). */
static HsFrame *
frame_new (HsVm *vm, HsCode *co, HsObject *func, HsObject *globals, HsObject *locals)
{
  size_t n = code_nslots (co);
  HsFrame *f = frame_alloc (vm, n);

  if (f == NULL)
    {
      hs_err_no_memory (vm);
      return NULL;
    }
  frame_setup (vm, f, vm->frame, co, func, globals, locals, co->nlocals + co->ncellvars + co->nfreevars);
  if (func != NULL)
    hs_incref (func);
  memset (f->localsplus, 0, (co->nlocals + co->ncellvars + co->nfreevars) * sizeof (HsObject *));
  if (func != NULL && hs_hooked (vm, HS_EV_REF))
    hs_emit_ref (vm, HS_HOLDER_INTERNAL, f->id, 0, "function", NULL, func);
  return f;
}

/* Releases everything a frame holds, publishes RETURN, pops it. */
static void
frame_pop (HsVm *vm, HsFrame *f, HsObject *retval)
{
  HsCode *co = f->code;
  size_t i, nl = co->nlocals + co->ncellvars + co->nfreevars;
  bool refs = hs_hooked (vm, HS_EV_REF);

  hs_emit_flush (vm);
  if (hs_hooked (vm, HS_EV_RETURN))
    {
      HsEvent ev;
      memset (&ev, 0, sizeof ev);
      ev.kind = HS_EV_RETURN;
      ev.u.ret.frame = f->id;
      ev.u.ret.value = retval != NULL ? retval->id : 0;
      hs_emit (vm, &ev);
    }
  while (f->sp > f->stack)
    {
      HsObject *v = *--f->sp;
      if (v != NULL)
        {
          if (refs)
            hs_emit_ref (vm, HS_HOLDER_STACK, f->id, (uint64_t) (f->sp - f->stack), NULL, v, NULL);
          hs_decref (vm, v);
        }
    }
  for (i = nl; i-- > 0;)
    {
      HsObject *v = f->localsplus[i];
      if (v != NULL)
        {
          f->localsplus[i] = NULL;
          if (refs)
            hs_emit_ref (vm, HS_HOLDER_LOCAL, f->id, i, local_name (co, i), v, NULL);
          hs_decref (vm, v);
        }
    }
  if (f->func != NULL)
    {
      HsObject *fn = f->func;
      f->func = NULL;
      if (refs)
        hs_emit_ref (vm, HS_HOLDER_INTERNAL, f->id, 0, "function", fn, NULL);
      hs_decref (vm, fn);
    }
  if (HS_UNLIKELY (f->init_self != NULL))
    {
      /* An inline __init__ unwound by an exception: the instance is dropped, as
       * type_call drops it. */
      HsObject *o = f->init_self;
      f->init_self = NULL;
      vm->c_depth--;
      hs_decref (vm, o);
    }
  vm->frame = f->back;
  frame_release_mem (vm, f);
  if (vm->frame != NULL)
    {
      vm->cur_frame_id = vm->frame->id;
      vm->cur_line = vm->frame->prev_line;
    }
  else
    {
      vm->cur_frame_id = 0;
      vm->cur_line = 0;
    }
}

/* ---- argument binding ------------------------------------------------------------- */

static void
store_local (HsVm *vm, HsFrame *f, size_t i, HsObject *v)   /* v: new reference, stolen */
{
  f->localsplus[i] = v;
  if (hs_hooked (vm, HS_EV_REF))
    hs_emit_ref (vm, HS_HOLDER_LOCAL, f->id, i, local_name (f->code, i), NULL, v);
}

static void
missing_args (HsVm *vm, HsCode *co, HsFrame *f, size_t from, size_t to, bool kwonly)
{
  char names[512];
  size_t n = 0, k = 0, i, len = 0;

  for (i = from; i < to; i++)
    if (f->localsplus[i] == NULL)
      n++;
  names[0] = '\0';
  for (i = from; i < to; i++)
    if (f->localsplus[i] == NULL)
      {
        const char *sep = k == 0 ? "" : (n == 2 ? " and " : (k == n - 1 ? ", and " : ", "));
        int w = snprintf (names + len, sizeof names - len, "%s'%s'", sep, hs_str_data (co->varnames[i]));
        if (w > 0 && len + (size_t) w < sizeof names)
          len += (size_t) w;
        k++;
      }
  hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "%s() missing %zu required %s argument%s: %s",
                 hs_str_data (co->qualname), n, kwonly ? "keyword-only" : "positional",
                 n == 1 ? "" : "s", names);
}

static int
bind_args (HsVm *vm, HsFrame *f, HsFunction *fn, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  HsCode *co = f->code;
  size_t nkw = kwnames != NULL ? hs_tuple_size (kwnames) : 0;
  size_t npos = nargs - nkw;
  size_t argc = co->argcount, total = argc + co->kwonlyargcount;
  size_t i, n = npos < argc ? npos : argc;
  HsObject *kwdict = NULL;
  size_t varargs_slot = total, kwargs_slot = total + ((co->flags & HS_CODE_VARARGS) ? 1 : 0);

  for (i = 0; i < n; i++)
    store_local (vm, f, i, hs_incref (args[i]));
  if (co->flags & HS_CODE_VARARGS)
    {
      HsObject *t = hs_tuple_from_array (vm, args + n, npos - n);
      if (t == NULL)
        return -1;
      store_local (vm, f, varargs_slot, t);
    }
  else if (npos > argc)
    {
      size_t ndef = fn->defaults != NULL ? hs_tuple_size (fn->defaults) : 0;
      if (ndef > 0)
        hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "%s() takes from %zu to %zu positional arguments but %zu %s given",
                       hs_str_data (co->qualname), argc - ndef, argc, npos, npos == 1 ? "was" : "were");
      else
        hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "%s() takes %zu positional argument%s but %zu %s given",
                       hs_str_data (co->qualname), argc, argc == 1 ? "" : "s", npos, npos == 1 ? "was" : "were");
      return -1;
    }
  if (co->flags & HS_CODE_VARKEYWORDS)
    {
      kwdict = hs_dict_new (vm);
      if (kwdict == NULL)
        return -1;
      store_local (vm, f, kwargs_slot, kwdict);
    }
  for (i = 0; i < nkw; i++)
    {
      HsObject *key = hs_tuple_item (kwnames, i);
      size_t j;
      for (j = 0; j < total; j++)
        if (co->varnames[j] == key)
          break;
      if (j == total)
        for (j = 0; j < total; j++)
          if (hs_str_equal (co->varnames[j], key))
            break;
      if (j < total)
        {
          if (f->localsplus[j] != NULL)
            {
              hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "%s() got multiple values for argument '%s'",
                             hs_str_data (co->qualname), hs_str_data (key));
              return -1;
            }
          store_local (vm, f, j, hs_incref (args[npos + i]));
        }
      else if (kwdict != NULL)
        {
          if (hs_dict_set (vm, kwdict, key, args[npos + i]) < 0)
            return -1;
        }
      else
        {
          hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "%s() got an unexpected keyword argument '%s'",
                         hs_str_data (co->qualname), hs_str_data (key));
          return -1;
        }
    }
  if (npos < argc)
    {
      size_t ndef = fn->defaults != NULL ? hs_tuple_size (fn->defaults) : 0;
      size_t first_def = argc - ndef;
      bool missing = false;
      for (i = npos; i < argc; i++)
        if (f->localsplus[i] == NULL)
          {
            if (i >= first_def)
              store_local (vm, f, i, hs_incref (hs_tuple_item (fn->defaults, i - first_def)));
            else
              missing = true;
          }
      if (missing)
        {
          missing_args (vm, co, f, 0, argc, false);
          return -1;
        }
    }
  if (co->kwonlyargcount > 0)
    {
      bool missing = false;
      for (i = argc; i < total; i++)
        if (f->localsplus[i] == NULL)
          {
            HsObject *d = fn->kwdefaults != NULL ? hs_dict_get (vm, fn->kwdefaults, co->varnames[i]) : NULL;
            if (d != NULL)
              store_local (vm, f, i, hs_incref (d));
            else
              missing = true;
          }
      if (missing)
        {
          missing_args (vm, co, f, argc, total, true);
          return -1;
        }
    }
  /* Cells: own cells (possibly holding a parameter), then free variables. */
  if (!(co->flags & HS_CODE_NOFREE))
    {
      for (i = 0; i < co->ncellvars; i++)
        {
          HsObject *init = NULL, *cell;
          int32_t a = co->cell2arg != NULL ? co->cell2arg[i] : -1;
          if (a >= 0)
            init = f->localsplus[a];
          cell = hs_cell_new (vm, init);
          if (cell == NULL)
            return -1;
          if (a >= 0 && init != NULL)
            {
              f->localsplus[a] = NULL;
              if (hs_hooked (vm, HS_EV_REF))
                hs_emit_ref (vm, HS_HOLDER_LOCAL, f->id, (uint64_t) a, local_name (co, (size_t) a), init, NULL);
              hs_decref (vm, init);
            }
          store_local (vm, f, co->nlocals + i, cell);
        }
      for (i = 0; i < co->nfreevars; i++)
        {
          HsObject *cell = fn->closure != NULL && i < hs_tuple_size (fn->closure)
                           ? hs_tuple_item (fn->closure, i) : NULL;
          if (cell != NULL)
            store_local (vm, f, co->nlocals + co->ncellvars + i, hs_incref (cell));
        }
    }
  return 0;
}

/* ---- the interpreter ------------------------------------------------------------------ */

static void release_handling (HsVm *vm);
static HsObject *eval_fast (HsVm *vm, HsFrame *entry);
static HsObject *eval_traced (HsVm *vm, HsFrame *entry);

static inline bool
use_traced (HsVm *vm)
{
  return (vm->hook_mask & (HS_EVMASK (HS_EV_LINE) | HS_EVMASK (HS_EV_CALL) | HS_EVMASK (HS_EV_RETURN)
                           | HS_EVMASK (HS_EV_REF) | HS_EVMASK (HS_EV_EXCEPTION))) != 0;
}

/* Python calls made from C (dunders, builtins calling back) nest the loop on the C
 * stack: bounded here whatever the recursion limit says. */
#define HS_MAX_EVAL_NESTING 1200

static HsObject *
run_frame (HsVm *vm, HsFrame *f)
{
  HsInterp *in = HS_INTERP (vm);
  HsObject *r;

  f->entry = true;
  if (HS_UNLIKELY (in->eval_nesting >= HS_MAX_EVAL_NESTING))
    {
      hs_err_format (vm, HS_EXC (vm, RECURSION_ERROR), "maximum recursion depth exceeded while calling a Python object");
      frame_pop (vm, f, NULL);
      vm->depth--;
      return NULL;
    }
  in->eval_nesting++;
  r = use_traced (vm) ? eval_traced (vm, f) : eval_fast (vm, f);
  in->eval_nesting--;
  return r;
}

static bool
enter_depth (HsVm *vm)
{
  if (HS_UNLIKELY (vm->depth + vm->c_depth >= vm->config.recursion_limit))
    {
      hs_err_format (vm, HS_EXC (vm, RECURSION_ERROR), "maximum recursion depth exceeded");
      return false;
    }
  vm->depth++;
  return true;
}

/* Sets up a frame for a Python function call; NULL with an exception on failure. */
static HsFrame *
push_function_frame (HsVm *vm, HsObject *func, HsObject *const *args, size_t nargs, HsObject *kwnames,
                     HsObject *locals)
{
  HsFunction *fn = (HsFunction *) func;
  HsCode *co = HS_CODE (fn->code);
  HsFrame *f;

  if (!enter_depth (vm))
    return NULL;
  f = frame_new (vm, co, func, fn->globals, locals);
  if (f == NULL)
    {
      vm->depth--;
      return NULL;
    }
  vm->frame = f;
  vm->cur_frame_id = f->id;
  vm->cur_line = co->firstlineno;
  if (hs_hooked (vm, HS_EV_CALL))
    emit_call (vm, f);
  if (bind_args (vm, f, fn, args, nargs, kwnames) < 0)
    {
      frame_pop (vm, f, NULL);
      vm->depth--;
      return NULL;
    }
  return f;
}

HsObject *
hs_vm_call_function (HsVm *vm, HsObject *func, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  HsFrame *f = push_function_frame (vm, func, args, nargs, kwnames, NULL);

  if (f == NULL)
    return NULL;
  return run_frame (vm, f);
}

static HsObject *
call_with_locals (HsVm *vm, HsObject *func, HsObject *locals)
{
  HsFrame *f = push_function_frame (vm, func, NULL, 0, NULL, locals);

  if (f == NULL)
    return NULL;
  return run_frame (vm, f);
}

HsObject *
hs_vm_handled_exception (HsVm *vm)
{
  return HS_INTERP (vm)->handling;
}

int
hs_vm_super_args (HsVm *vm, HsType **type, HsObject **obj)
{
  HsFrame *f = vm->frame;
  HsCode *co;
  uint32_t i;

  if (f == NULL)
    {
      hs_err_format (vm, HS_EXC (vm, RUNTIME_ERROR), "super(): no current frame");
      return -1;
    }
  co = f->code;
  if (co->argcount == 0 || !(co->flags & HS_CODE_OPTIMIZED))
    {
      hs_err_format (vm, HS_EXC (vm, RUNTIME_ERROR), "super(): no arguments");
      return -1;
    }
  *obj = f->localsplus[0];
  if (*obj == NULL && co->cell2arg != NULL)
    for (i = 0; i < co->ncellvars; i++)
      if (co->cell2arg[i] == 0)
        *obj = ((HsCell *) f->localsplus[co->nlocals + i])->ref;
  if (*obj == NULL)
    {
      hs_err_format (vm, HS_EXC (vm, RUNTIME_ERROR), "super(): arg[0] deleted");
      return -1;
    }
  for (i = 0; i < co->nfreevars; i++)
    if (strcmp (hs_str_data (co->freevars[i]), "__class__") == 0)
      {
        HsCell *c = (HsCell *) f->localsplus[co->nlocals + co->ncellvars + i];
        if (c == NULL || c->ref == NULL)
          {
            hs_err_format (vm, HS_EXC (vm, RUNTIME_ERROR), "super(): empty __class__ cell");
            return -1;
          }
        if (c->ref->type != HS_T (vm, TYPE))
          {
            hs_err_format (vm, HS_EXC (vm, RUNTIME_ERROR), "super(): __class__ is not a type (%s)",
                           hs_object_type_name (c->ref));
            return -1;
          }
        *type = (HsType *) c->ref;
        return 0;
      }
  hs_err_format (vm, HS_EXC (vm, RUNTIME_ERROR), "super(): __class__ cell not found");
  return -1;
}

/* builtins.__build_class__(func, name, *bases) */
static HsObject *
build_class (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  HsObject *ns, *cell, *bases, *cls;
  size_t npos = nargs - (kwnames != NULL ? hs_tuple_size (kwnames) : 0);

  if (npos < 2 || args[0]->type != HS_T (vm, FUNCTION) || !HS_IS_SUBTYPE (vm, args[1], STR))
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "__build_class__: func and name are required");
      return NULL;
    }
  ns = hs_dict_new (vm);
  if (ns == NULL)
    return NULL;
  cell = call_with_locals (vm, args[0], ns);
  if (cell == NULL)
    {
      hs_decref (vm, ns);
      return NULL;
    }
  bases = hs_tuple_from_array (vm, args + 2, npos - 2);
  if (bases == NULL)
    {
      hs_decref (vm, cell);
      hs_decref (vm, ns);
      return NULL;
    }
  if (hs_dict_get_str (vm, ns, "__classcell__") != NULL)
    {
      HsObject *k = hs_str_from_cstr (vm, "__classcell__");
      if (k != NULL)
        {
          hs_dict_del (vm, ns, k);
          hs_decref (vm, k);
        }
    }
  cls = hs_class_new (vm, args[1], bases, ns);
  if (cls != NULL && cell->type == HS_T (vm, CELL))
    hs_cell_set (vm, cell, cls);
  hs_decref (vm, bases);
  hs_decref (vm, cell);
  hs_decref (vm, ns);
  return cls;
}

static const HsMethodDef build_class_def = { "__build_class__", build_class, NULL };

/* ---- helpers used by the loop ----------------------------------------------------------- */

static HsObject *
load_global_slow (HsVm *vm, HsObject *globals, HsObject *name)
{
  HsObject *v = hs_dict_get (vm, globals, name);

  /* During teardown the builtins are gone: a late finalizer or gc callback sees a
   * NameError, never a NULL dict. */
  if (v == NULL && !hs_err_occurred (vm) && vm->builtins != NULL)
    v = hs_dict_get (vm, vm->builtins, name);
  if (v == NULL)
    {
      if (!hs_err_occurred (vm))
        hs_err_format (vm, HS_EXC (vm, NAME_ERROR), "name '%s' is not defined", hs_str_data (name));
      return NULL;
    }
  return hs_incref (v);
}

/* sys.modules[name] (borrowed), or NULL.  The math module is made on its first
 * import, as CPython loads it: a program that never imports it pays nothing. */
static HsObject *
find_module (HsVm *vm, HsObject *name)
{
  HsObject *m = hs_dict_get (vm, vm->modules, name);

  if (m == NULL && !hs_err_occurred (vm) && strcmp (hs_str_data (name), "math") == 0)
    {
      m = hs_math_module_new (vm);
      if (m != NULL)
        hs_decref (vm, m);   /* hs_module_new registered it in sys.modules */
    }
  return m;
}

static HsObject *
import_name (HsVm *vm, HsObject *name)
{
  const char *n = hs_str_data (name);
  const char *dot = strchr (n, '.');
  HsObject *m;

  if (dot != NULL)
    {
      HsObject *top = hs_str_from_utf8 (vm, n, (size_t) (dot - n));
      if (top == NULL)
        return NULL;
      m = find_module (vm, top);
      if (m == NULL && hs_err_occurred (vm))
        {
          hs_decref (vm, top);
          return NULL;
        }
      if (m != NULL)
        hs_err_format (vm, HS_EXC (vm, MODULE_NOT_FOUND_ERROR), "No module named '%s'; '%s' is not a package",
                       n, hs_str_data (top));
      else
        hs_err_format (vm, HS_EXC (vm, MODULE_NOT_FOUND_ERROR), "No module named '%s'", hs_str_data (top));
      hs_decref (vm, top);
      return NULL;
    }
  m = find_module (vm, name);
  if (m == NULL && hs_err_occurred (vm))
    return NULL;
  if (m == NULL || strcmp (n, "__main__") == 0)
    {
      if (m != NULL)
        return hs_incref (m);
      hs_err_format (vm, HS_EXC (vm, MODULE_NOT_FOUND_ERROR), "No module named '%s'", n);
      return NULL;
    }
  return hs_incref (m);
}

static int
import_star (HsVm *vm, HsObject *module, HsObject *dest)
{
  HsObject *d = module->type == HS_T (vm, MODULE) ? hs_module_dict (module) : NULL;
  size_t pos = 0;
  HsObject *k, *v;

  if (d == NULL)
    return 0;
  while (hs_dict_next (d, &pos, &k, &v))
    if (hs_str_data (k)[0] != '_')
      if (hs_dict_set (vm, dest, k, v) < 0)
        return -1;
  return 0;
}

static int
unpack_into (HsVm *vm, HsObject *seq, HsObject **out, size_t n, bool *done)
{
  HsObject *it, *x;
  size_t i = 0;

  (void) done;
  if (seq->type == HS_T (vm, TUPLE) || seq->type == HS_T (vm, LIST))
    {
      size_t len = seq->type == HS_T (vm, TUPLE) ? hs_tuple_size (seq) : hs_list_size (seq);
      if (len != n)
        {
          if (len < n)
            hs_err_format (vm, HS_EXC (vm, VALUE_ERROR), "not enough values to unpack (expected %zu, got %zu)", n, len);
          else
            hs_err_format (vm, HS_EXC (vm, VALUE_ERROR), "too many values to unpack (expected %zu)", n);
          return -1;
        }
      for (i = 0; i < n; i++)
        out[i] = hs_incref (seq->type == HS_T (vm, TUPLE) ? hs_tuple_item (seq, i) : hs_list_item (seq, i));
      return 0;
    }
  if (seq->type->iter == NULL && seq->type->getitem == NULL)
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "cannot unpack non-iterable %s object", hs_object_type_name (seq));
      return -1;
    }
  it = hs_object_iter (vm, seq);
  if (it == NULL)
    return -1;
  for (i = 0; i < n; i++)
    {
      x = hs_iter_next (vm, it);
      if (x == NULL)
        {
          size_t j;
          if (!hs_err_occurred (vm))
            hs_err_format (vm, HS_EXC (vm, VALUE_ERROR), "not enough values to unpack (expected %zu, got %zu)", n, i);
          for (j = 0; j < i; j++)
            hs_decref (vm, out[j]);
          hs_decref (vm, it);
          return -1;
        }
      out[i] = x;
    }
  x = hs_iter_next (vm, it);
  if (x != NULL || hs_err_occurred (vm))
    {
      size_t j;
      if (x != NULL)
        {
          hs_decref (vm, x);
          hs_err_format (vm, HS_EXC (vm, VALUE_ERROR), "too many values to unpack (expected %zu)", n);
        }
      for (j = 0; j < n; j++)
        hs_decref (vm, out[j]);
      hs_decref (vm, it);
      return -1;
    }
  hs_decref (vm, it);
  return 0;
}

static HsObject *
check_exc_match (HsVm *vm, HsObject *exc, HsObject *type)
{
  if (type->type == HS_T (vm, TUPLE))
    {
      size_t i;
      for (i = 0; i < hs_tuple_size (type); i++)
        if (!hs_is_exception_type (vm, hs_tuple_item (type, i)))
          goto bad;
      for (i = 0; i < hs_tuple_size (type); i++)
        if (hs_type_is_subtype (exc->type, (HsType *) hs_tuple_item (type, i)))
          return hs_incref (vm->true_obj);
      return hs_incref (vm->false_obj);
    }
  if (!hs_is_exception_type (vm, type))
    goto bad;
  return hs_bool_from (vm, hs_type_is_subtype (exc->type, (HsType *) type));
bad:
  hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "catching classes that do not inherit from BaseException is not allowed");
  return NULL;
}

static HsObject *
format_value (HsVm *vm, HsObject *v, uint32_t flags, HsObject *spec)
{
  HsObject *conv = NULL, *r;

  switch (flags & HS_FORMAT_CONV_MASK)
    {
    case 1: conv = hs_object_str (vm, v); break;
    case 2: case 3: conv = hs_object_repr (vm, v); break;
    default: break;
    }
  if ((flags & HS_FORMAT_CONV_MASK) != 0 && conv == NULL)
    return NULL;
  if (conv != NULL)
    v = conv;
  if (spec == NULL && v->type == HS_T (vm, STR))
    r = hs_incref (v);
  else
    {
      HsObject *empty = NULL;
      if (spec == NULL)
        {
          empty = hs_str_from_cstr (vm, "");
          if (empty == NULL)
            {
              HS_XDECREF (vm, conv);
              return NULL;
            }
        }
      r = hs_format (vm, v, spec != NULL ? spec : empty);
      HS_XDECREF (vm, empty);
    }
  HS_XDECREF (vm, conv);
  return r;
}

/* Steps, interrupts and limits: called at line starts and backward jumps. */
static void
stop_error (HsVm *vm)
{
  HsInterp *in = HS_INTERP (vm);

  if (in->stop_result == HS_RESULT_OK)
    in->stop_result = HS_RESULT_CANCELLED;
  if (in->stop_exc != NULL)
    hs_err_set_object (vm, in->stop_exc);
}

/* A limit (its message already in in->limit_message) stops the run at `line`: says
 * so on stderr after `lead`, keeps it for the error record, and interrupts. */
static void
stop_at_limit (HsVm *vm, uint32_t line, const char *lead)
{
  HsInterp *in = HS_INTERP (vm);
  char msg[128];
  int n = snprintf (msg, sizeof msg, "%sheapscope: %s\n", lead, in->limit_message);

  in->limit_line = line;
  in->stop_result = HS_RESULT_LIMIT;
  if (vm->config.write != NULL)
    vm->config.write (vm->config.user_data, HS_STREAM_STDERR, msg, (size_t) n);
  else
    fputs (msg, stderr);
  atomic_store (&vm->interrupt, 1);
}

static void
step_limit_reached (HsVm *vm, uint32_t line)
{
  HsInterp *in = HS_INTERP (vm);

  snprintf (in->limit_message, sizeof in->limit_message, "step limit of %llu line steps reached",
            (unsigned long long) vm->config.step_limit);
  stop_at_limit (vm, line, "");
}

static void
emit_line (HsVm *vm, HsFrame *f, uint32_t line)
{
  HsEvent ev;

  /* Deferred stack events belong to the line that made them. */
  hs_emit_flush (vm);
  vm->cur_line = line;
  vm->cur_frame_id = f->id;
  ev.kind = HS_EV_LINE;     /* no memset: a LINE event has no other field */
  ev.u.line.line = line;
  hs_emit (vm, &ev);
}

static void
emit_exception (HsVm *vm, HsObject *exc)
{
  HsEvent ev;
  HsException *e = (HsException *) exc;
  HsObject *a0 = NULL;

  if (exc == NULL)
    return;
  memset (&ev, 0, sizeof ev);
  ev.kind = HS_EV_EXCEPTION;
  ev.u.exception.exc = exc->id;
  ev.u.exception.type_name = hs_object_type_name (exc);
  if (hs_is_exception (vm, exc) && e->args != NULL && hs_tuple_size (e->args) == 1)
    a0 = hs_tuple_item (e->args, 0);
  ev.u.exception.message = a0 != NULL && a0->type == HS_T (vm, STR) ? hs_str_data (a0) : "";
  hs_emit (vm, &ev);
}

static inline HsObject *
small_int (HsVm *vm, int64_t v)
{
  /* Unsigned arithmetic: v - MIN overflows int64 for values near INT64_MAX. */
  if ((uint64_t) v - (uint64_t) (int64_t) HS_SMALL_INT_MIN <= (uint64_t) (HS_SMALL_INT_MAX - HS_SMALL_INT_MIN))
    return hs_incref (vm->small_ints[v - HS_SMALL_INT_MIN]);
  return hs_int_from_i64 (vm, v);
}

static HsObject *
literal_new (HsVm *vm, const HsLiteral *l)
{
  switch (l->kind)
    {
    case HS_LITERAL_INT: return hs_int_from_i64 (vm, l->u.i);
    case HS_LITERAL_FLOAT: return hs_float_from_double (vm, l->u.f);
    case HS_LITERAL_STR: return hs_str_from_utf8 (vm, l->u.s, l->len);
    default: break;
    }
  hs_err_format (vm, HS_EXC (vm, SYSTEM_EXIT), "bad literal");
  return NULL;
}

static HsObject *
call_object_c (HsVm *vm, HsObject *callable, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  HsType *t = callable->type;

  if (t == HS_T (vm, BUILTIN_FUNCTION))
    {
      HsCFunc *cf = (HsCFunc *) callable;
      return cf->def->fn (vm, cf->self, args, nargs, kwnames);
    }
  if (t == HS_T (vm, METHOD_DESCRIPTOR) && nargs >= 1
      && hs_type_is_subtype (args[0]->type, ((HsCFunc *) callable)->objclass))
    {
      HsCFunc *cf = (HsCFunc *) callable;
      return cf->def->fn (vm, args[0], args + 1, nargs - 1, kwnames);
    }
  return hs_object_call (vm, callable, args, nargs, kwnames);
}

/* Calls any callable with arguments from the stack (borrowed).  A call into C (a
 * builtin, a type, a method descriptor) counts one level of recursion while it runs,
 * as CPython's C calls do: recursion through repr() and friends stops there, with
 * CPython's wording. */
static inline HsObject *
call_object (HsVm *vm, HsObject *callable, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  HsType *t = callable->type;
  HsObject *r;

  if (t == HS_T (vm, METHOD) || t == HS_T (vm, FUNCTION))
    return hs_object_call (vm, callable, args, nargs, kwnames);
  if (HS_UNLIKELY (vm->depth + vm->c_depth >= vm->config.recursion_limit))
    {
      hs_err_format (vm, HS_EXC (vm, RECURSION_ERROR), "maximum recursion depth exceeded while calling a Python object");
      return NULL;
    }
  vm->c_depth++;
  r = call_object_c (vm, callable, args, nargs, kwnames);
  vm->c_depth--;
  return r;
}

/* Where LOAD_METHOD finds a plain function on the class: borrowed, or NULL. */
static HsObject *
method_lookup (HsVm *vm, HsObject *obj, HsObject *name)
{
  HsType *t = obj->type;
  HsObject *found;

  if (t->flags & HS_TPFLAG_HEAPTYPE)
    {
      HsAttrTable *attrs = &((HsInstance *) obj)->attrs;
      if (attrs->n > 0 && hs_attrs_get (attrs, name) != NULL)
        return NULL;
      if (t->getattr != NULL && t->getattr != hs_object_generic_getattr)
        {
          /* Classes with a custom builtin base getattr (exceptions): plain path. */
          if (t->flags & HS_TPFLAG_EXCEPTION)
            return NULL;
        }
      found = hs_class_lookup (vm, t, name);
      if (found != NULL && (found->type == HS_T (vm, FUNCTION) || found->type == HS_T (vm, METHOD_DESCRIPTOR)))
        return found;
      return NULL;
    }
  if (t == HS_T (vm, TYPE) || t == HS_T (vm, MODULE) || t->methods == NULL)
    return NULL;
  found = hs_type_lookup (vm, t, name);
  if (found != NULL && found->type == HS_T (vm, METHOD_DESCRIPTOR))
    return found;
  return NULL;
}

/* ---- inline caches ------------------------------------------------------------------
 * A name cache holds an entry index of a dict (w[0]); an attribute cache an index into
 * an instance's attribute table.  Nothing is trusted: a hit needs the entry's key to be
 * the very (interned) name object, so a stale or shared cache only costs a lookup. */

/* The entry index of `name` in d, or -1 (names are str: no exception). */
static int64_t
dict_index_of (HsVm *vm, HsDict *d, HsObject *name)
{
  int64_t h;
  size_t mask, i;
  uint64_t perturb;

  if (d->log2size == 0 || !hs_hash_fast (vm, name, &h))
    return -1;
  mask = ((size_t) 1 << d->log2size) - 1;
  i = (size_t) h & mask;
  perturb = (uint64_t) h;
  for (;;)
    {
      int32_t ix = d->indices[i];
      if (ix == -1)
        return -1;
      if (ix >= 0)
        {
          HsObject *k = d->entries[ix].key;
          if (k == name)
            return ix;
          if (d->entries[ix].hash == h && k->type == HS_T (vm, STR) && hs_str_equal (k, name))
            return ix;
        }
      perturb >>= 5;
      i = (i * 5 + perturb + 1) & mask;
    }
}

/* Points cache word *w at the entry of `name` in d; returns its index, or -1 (then
 * *w is left as it was). */
static inline int64_t
dict_cache_fill (HsVm *vm, HsDict *d, uintptr_t *w, HsObject *name)
{
  int64_t k = dict_index_of (vm, d, name);

  if (k >= 0)
    *w = (uintptr_t) k;
  return k;
}

/* Borrowed value of `name` in d through the cache, filling it on a miss; NULL if absent. */
static inline HsObject *
dict_cached_get (HsVm *vm, HsDict *d, HsInlineCache *ic, HsObject *name)
{
  uintptr_t ix = ic->w[0];
  int64_t found;

  if (HS_LIKELY (ix < (uintptr_t) d->nentries && d->entries[ix].key == name))
    return d->entries[ix].value;
  found = dict_cache_fill (vm, d, &ic->w[0], name);
  return found >= 0 ? d->entries[found].value : NULL;
}

/* A class instance whose attribute lookups start with its own attributes (no property
 * anywhere in the class chain, not an exception): slot_getattr's fast path. */
static inline bool
plain_instance (HsType *t)
{
  return (t->flags & (HS_TPFLAG_HEAPTYPE | HS_TPFLAG_EXCEPTION)) == HS_TPFLAG_HEAPTYPE
         && !((HsHeapType *) t)->has_descriptors;
}

/* Index of `name` (interned, as every attribute name is) in an attribute table, or -1. */
static inline int64_t
attrs_index (HsAttrTable *at, HsInlineCache *ic, HsObject *name)
{
  uintptr_t i = ic->w[0];

  if (HS_LIKELY (i < at->n && at->items[i].name == name))
    return (int64_t) i;
  for (i = 0; i < at->n; i++)
    if (at->items[i].name == name)
      {
        ic->w[0] = i;
        return (int64_t) i;
      }
  return -1;
}

/* LOAD_METHOD on a plain instance: the function `name` in its class's own namespace,
 * not shadowed by an instance attribute (borrowed), or NULL to take the general path. */
static inline HsObject *
method_cached (HsVm *vm, HsObject *obj, HsInlineCache *ic, HsObject *name)
{
  HsType *t = obj->type;
  HsAttrTable *at = &((HsInstance *) obj)->attrs;
  HsDict *cd = (HsDict *) t->dict;
  uintptr_t ix = ic->w[1];
  HsObject *found;
  uint32_t i;

  if (cd == NULL)
    return NULL;
  for (i = 0; i < at->n; i++)
    if (at->items[i].name == name)
      return NULL;
  if (HS_LIKELY (ix < (uintptr_t) cd->nentries && cd->entries[ix].key == name))
    found = cd->entries[ix].value;
  else
    {
      int64_t k = dict_cache_fill (vm, cd, &ic->w[1], name);
      if (k < 0)
        return NULL;
      found = cd->entries[k].value;
    }
  return found->type == HS_T (vm, FUNCTION) ? found : NULL;
}

/* int op int without allocation beyond the result: false when the general path must
 * run (overflow, division by zero, negative or huge shifts...). */
static inline bool
int_binop_fast (uint32_t op, int64_t a, int64_t b, int64_t *out)
{
  switch (op)
    {
    case HS_BINOP_ADD: return !__builtin_add_overflow (a, b, out);
    case HS_BINOP_SUB: return !__builtin_sub_overflow (a, b, out);
    case HS_BINOP_MUL: return !__builtin_mul_overflow (a, b, out);
    case HS_BINOP_AND: *out = a & b; return true;
    case HS_BINOP_OR: *out = a | b; return true;
    case HS_BINOP_XOR: *out = a ^ b; return true;
    case HS_BINOP_FLOORDIV:
    case HS_BINOP_MOD:
      if (b == 0 || (b == -1 && a == INT64_MIN))
        return false;
      {
        int64_t q = a / b, r = a % b;
        if (r != 0 && ((r < 0) != (b < 0)))
          {
            q--;
            r += b;
          }
        *out = op == HS_BINOP_FLOORDIV ? q : r;
      }
      return true;
    case HS_BINOP_RSHIFT:
      if (b < 0)
        return false;
      *out = b >= 64 ? (a < 0 ? -1 : 0) : a >> b;
      return true;
    case HS_BINOP_LSHIFT:
      if (b < 0 || b >= 63)
        return false;
      *out = (int64_t) ((uint64_t) a << b);
      return (*out >> b) == a;
    default:
      return false;
    }
}

/* ---- the loop, twice: without events and with them ---------------------------------- */

/* GCC would merge every computed-goto dispatch into one shared indirect jump (global
 * CSE, cross-jumping) and shuffle pc/sp through vector registers: each opcode keeps its
 * own dispatch branch only with these off (CPython builds its loop with -fno-gcse). */
#if defined(__GNUC__) && !defined(__clang__)
# pragma GCC push_options
# pragma GCC optimize ("no-gcse", "no-crossjumping", "no-tree-slp-vectorize")
#endif

#define HS_TRACED 0
#define HS_EVAL_NAME eval_fast
#include "hs-vm-eval.inc"
#undef HS_TRACED
#undef HS_EVAL_NAME

#define HS_TRACED 1
#define HS_EVAL_NAME eval_traced
#include "hs-vm-eval.inc"
#undef HS_TRACED
#undef HS_EVAL_NAME

#if defined(__GNUC__) && !defined(__clang__)
# pragma GCC pop_options
#endif

/* ---- configuration, start-up, teardown ------------------------------------------------- */

void
hs_config_init (HsConfig *config)
{
  memset (config, 0, sizeof *config);
  config->profile = HS_PROFILE_TUTORIAL;
  config->step_limit = 10000000;
  config->heap_limit = 256u << 20;
  config->output_limit = 16u << 20;
  config->recursion_limit = 1000;
}

static void
emit_root (HsVm *vm, HsObject *o, const char *name)
{
  HsEvent ev;

  if (o == NULL || !hs_hooked (vm, HS_EV_ROOT))
    return;
  memset (&ev, 0, sizeof ev);
  ev.kind = HS_EV_ROOT;
  ev.u.root.id = o->id;
  ev.u.root.name = name;
  hs_emit (vm, &ev);
}

HsVm *
hs_vm_new (const HsConfig *config)
{
  HsVm *vm = calloc (1, sizeof *vm);
  HsInterp *in;

  if (vm == NULL)
    return NULL;
  if (config != NULL)
    vm->config = *config;
  else
    hs_config_init (&vm->config);
  if (vm->config.recursion_limit <= 0)
    vm->config.recursion_limit = 1000;
  vm->hook_mask = vm->config.hook != NULL ? vm->config.hook_mask : 0;
  atomic_init (&vm->interrupt, 0);
  in = calloc (1, sizeof *in);
  if (in == NULL)
    {
      free (vm);
      return NULL;
    }
  vm->interp = in;
  hs_memory_init (vm);

  /* Start-up must not hit the program's heap cap. */
  {
    size_t limit = vm->config.heap_limit;
    vm->config.heap_limit = 0;
    hs_object_types_init (vm);
    hs_numbers_init (vm);
    hs_str_init (vm);
    hs_containers_init (vm);
    hs_func_types_init (vm);
    hs_code_type_init (vm);
    hs_errors_init (vm);
    hs_gc_init (vm);

    vm->builtins = hs_dict_new (vm);
    vm->modules = hs_dict_new (vm);
    hs_builtins_init (vm);
    if (vm->builtins != NULL)
      {
        HsObject *bc = hs_cfunction_new (vm, &build_class_def, NULL);
        if (bc != NULL)
          {
            hs_dict_set_str (vm, vm->builtins, "__build_class__", bc);
            hs_decref (vm, bc);
          }
      }
    hs_sys_init (vm);
    hs_gcmodule_init (vm);
    in->main_module = hs_module_new (vm, "__main__");
    if (in->main_module != NULL)
      vm->main_globals = hs_incref (hs_module_dict (in->main_module));
    {
      HsObject *args = hs_tuple_pack (vm, 1, vm->none);
      in->stop_exc = hs_exception_new (vm, HS_EXC (vm, KEYBOARD_INTERRUPT), args);
      HS_XDECREF (vm, args);
    }
    if (vm->main_globals != NULL)
      {
        HsObject *n = hs_str_from_cstr (vm, "__main__");
        if (n != NULL)
          {
            hs_dict_set_str (vm, vm->main_globals, "__name__", n);
            hs_decref (vm, n);
          }
        hs_dict_set_str (vm, vm->main_globals, "__builtins__", in->main_module);
        hs_dict_del (vm, vm->main_globals, hs_str_intern (vm, "__builtins__", 12));
      }
    vm->config.heap_limit = limit;
  }
  if (hs_err_occurred (vm))
    hs_err_clear (vm);
  if (vm->types[HS_T_STR] == NULL || vm->builtins == NULL || vm->main_globals == NULL)
    {
      hs_vm_free (vm, NULL);
      return NULL;
    }
  hs_dict_set_holder_kind (vm->main_globals, HS_HOLDER_GLOBAL);
  /* The VM's own references to its namespaces. */
  if (hs_hooked (vm, HS_EV_REF))
    {
      hs_emit_ref (vm, HS_HOLDER_RUNTIME, 0, 4, "__main__ globals", NULL, vm->main_globals);
      hs_emit_ref (vm, HS_HOLDER_RUNTIME, 0, 5, "builtins", NULL, vm->builtins);
      hs_emit_ref (vm, HS_HOLDER_RUNTIME, 0, 6, "sys.modules", NULL, vm->modules);
      if (in->stop_exc != NULL)
        hs_emit_ref (vm, HS_HOLDER_RUNTIME, 0, 7, "stop", NULL, in->stop_exc);
      hs_emit_ref (vm, HS_HOLDER_RUNTIME, 0, 8, "__main__ module", NULL, in->main_module);
    }
  emit_root (vm, vm->main_globals, "globals");
  emit_root (vm, vm->builtins, "builtins");
  emit_root (vm, vm->modules, "sys.modules");
  hs_memory_flush_allocs (vm);
  return vm;
}

static void
clear_namespace (HsVm *vm, HsObject *d)
{
  HsObject *keys;
  size_t pos = 0, i;
  HsObject *k, *v;
  int pass;

  if (d == NULL)
    return;
  keys = hs_list_new (vm, 0);
  if (keys == NULL)
    return;
  while (hs_dict_next (d, &pos, &k, &v))
    hs_list_append (vm, keys, k);
  /* As CPython's module cleanup: names with one leading underscore first, then the rest. */
  for (pass = 0; pass < 2; pass++)
    for (i = 0; i < hs_list_size (keys); i++)
      {
        const char *s;
        bool under;
        k = hs_list_item (keys, i);
        if (!HS_IS_SUBTYPE (vm, k, STR))
          continue;
        s = hs_str_data (k);
        under = s[0] == '_' && s[1] != '_';
        if ((pass == 0) != under)
          continue;
        if (hs_dict_get (vm, d, k) != NULL)
          hs_dict_set (vm, d, k, vm->none);
        if (hs_err_occurred (vm))
          hs_err_clear (vm);
      }
  for (i = hs_list_size (keys); i-- > 0;)
    {
      hs_dict_del (vm, d, hs_list_item (keys, i));
      if (hs_err_occurred (vm))
        hs_err_clear (vm);
    }
  hs_decref (vm, keys);
}

static void
drop_runtime_ref (HsVm *vm, HsObject **slot, uint64_t n, const char *label)
{
  HsObject *o = *slot;

  if (o == NULL)
    return;
  *slot = NULL;
  if (hs_hooked (vm, HS_EV_REF))
    hs_emit_ref (vm, HS_HOLDER_RUNTIME, 0, n, label, o, NULL);
  hs_decref (vm, o);
}

void
hs_vm_free (HsVm *vm, HsMemStats *final)
{
  HsInterp *in;
  int i;

  if (vm == NULL)
    {
      if (final != NULL)
        memset (final, 0, sizeof *final);
      return;
    }
  in = HS_INTERP (vm);
  vm->config.heap_limit = 0;
  if (vm->exc != NULL)
    hs_err_clear (vm);
  release_handling (vm);
  hs_memory_set_teardown (vm, true);

  /* The program's namespaces, as CPython's finalisation does. */
  if (vm->main_globals != NULL)
    clear_namespace (vm, vm->main_globals);
  if (vm->modules != NULL)
    {
      size_t pos = 0;
      HsObject *k, *m;
      while (hs_dict_next (vm->modules, &pos, &k, &m))
        if (m->type == HS_T (vm, MODULE) && m != in->main_module)
          clear_namespace (vm, hs_module_dict (m));
    }
  if (vm->exc != NULL)
    hs_err_clear (vm);
  if (vm->types[HS_T_OBJECT] != NULL)
    {
      hs_gc_collect (vm, 2);
      if (vm->exc != NULL)
        hs_err_clear (vm);
    }
  drop_runtime_ref (vm, &vm->main_globals, 4, "__main__ globals");
  drop_runtime_ref (vm, &in->main_module, 8, "__main__ module");
  in->sys_module = NULL;
  in->gc_module = NULL;
  drop_runtime_ref (vm, &vm->modules, 6, "sys.modules");
  if (vm->builtins != NULL)
    clear_namespace (vm, vm->builtins);
  drop_runtime_ref (vm, &vm->builtins, 5, "builtins");
  if (vm->exc != NULL)
    hs_err_clear (vm);
  if (vm->types[HS_T_OBJECT] != NULL)
    {
      hs_gc_collect (vm, 2);
      if (vm->exc != NULL)
        hs_err_clear (vm);
    }
  drop_runtime_ref (vm, &in->stop_exc, 7, "stop");
  HS_XDECREF (vm, in->memory_error);
  in->memory_error = NULL;
  if (vm->exc != NULL)
    hs_err_clear (vm);

  hs_gc_fini (vm);
  hs_containers_fini (vm);
  hs_str_fini (vm);
  {
    HsObject **singles[] = { &vm->empty_tuple, &vm->ellipsis, &vm->not_implemented, &vm->false_obj,
                             &vm->true_obj, &vm->none };
    size_t k;
    for (k = 0; k < sizeof singles / sizeof singles[0]; k++)
      if (*singles[k] != NULL)
        {
          hs_object_free (vm, *singles[k]);
          *singles[k] = NULL;
        }
    for (k = 0; k < sizeof vm->small_ints / sizeof vm->small_ints[0]; k++)
      if (vm->small_ints[k] != NULL)
        {
          hs_object_free (vm, vm->small_ints[k]);
          vm->small_ints[k] = NULL;
        }
  }
  hs_errors_fini (vm);
  for (i = HS_T__COUNT; i-- > 0;)
    if (vm->types[i] != NULL && i != HS_T_TYPE && i != HS_T_OBJECT)
      {
        hs_object_free (vm, (HsObject *) vm->types[i]);
        vm->types[i] = NULL;
      }
  if (vm->types[HS_T_OBJECT] != NULL)
    hs_object_free (vm, (HsObject *) vm->types[HS_T_OBJECT]);
  if (vm->types[HS_T_TYPE] != NULL)
    hs_object_free (vm, (HsObject *) vm->types[HS_T_TYPE]);
  vm->types[HS_T_OBJECT] = vm->types[HS_T_TYPE] = NULL;
  hs_memory_flush_allocs (vm);

  if (final != NULL)
    {
      final->live_objects = vm->live_objects;
      final->live_bytes = vm->live_bytes;
      final->peak_bytes = vm->peak_bytes;
      final->total_allocations = vm->total_allocations;
    }
  hs_class_fini (vm);
  frames_free_all (in);
  hs_memory_fini (vm);
  free (in);
  free (vm);
}

/* ---- running a program ------------------------------------------------------------------ */

void
hs_vm_write (HsVm *vm, HsStream stream, const char *text, size_t len)
{
  HsInterp *in = HS_INTERP (vm);
  size_t limit = vm->config.output_limit;
  bool over = false;

  if (in->output_stopped)
    return;
  if (limit != 0 && vm->output_bytes + len > limit)
    {
      len = limit > vm->output_bytes ? limit - vm->output_bytes : 0;
      over = true;
    }
  vm->output_bytes += len;
  if (len > 0)
    {
      if (hs_hooked (vm, HS_EV_OUTPUT))
        {
          HsEvent ev;
          memset (&ev, 0, sizeof ev);
          ev.kind = HS_EV_OUTPUT;
          ev.u.output.stream = (int) stream;
          ev.u.output.text = text;
          ev.u.output.len = len;
          hs_emit (vm, &ev);
        }
      if (vm->config.write != NULL)
        vm->config.write (vm->config.user_data, stream, text, len);
      else
        {
          fwrite (text, 1, len, stream == HS_STREAM_STDERR ? stderr : stdout);
          if (stream == HS_STREAM_STDERR)
            fflush (stderr);
        }
    }
  if (over)
    {
      snprintf (in->limit_message, sizeof in->limit_message, "output limit of %zu bytes reached", limit);
      in->output_stopped = true;
      stop_at_limit (vm, vm->cur_line, "\n");
    }
}

static void
write_err (HsVm *vm, const char *s)
{
  hs_vm_write (vm, HS_STREAM_STDERR, s, strlen (s));
}

static void
fill_last_error (HsVm *vm, HsResult result, const char *type_name, const char *message,
                 uint32_t line, uint32_t column)
{
  HsErrorInfo *e = &vm->last_error;

  memset (e, 0, sizeof *e);
  e->result = result;
  snprintf (e->type_name, sizeof e->type_name, "%s", type_name != NULL ? type_name : "");
  snprintf (e->message, sizeof e->message, "%s", message != NULL ? message : "");
  e->line = line;
  e->column = column;
}

/* What the last error says of the limit that stopped the run. */
static const char *
limit_message (HsVm *vm)
{
  HsInterp *in = HS_INTERP (vm);

  return in->limit_message[0] != '\0' ? in->limit_message : "limit reached";
}

/* Column (1-based, characters) of a byte offset in a line of the source. */
static uint32_t
char_column (HsVm *vm, uint32_t lineno, uint32_t byte_col)
{
  HsInterp *in = HS_INTERP (vm);
  const char *s = in->source, *end = in->source + in->source_len;
  uint32_t line = 1, col = 0, b = 0;

  if (s == NULL || lineno == 0)
    return 0;
  while (s < end && line < lineno)
    if (*s++ == '\n')
      line++;
  while (s < end && *s != '\n' && b < byte_col)
    {
      if (((unsigned char) *s & 0xC0) != 0x80)
        col++;
      s++;
      b++;
    }
  return col + 1;
}

/* A run that stopped inside an except block leaves its handled exception behind. */
static void
release_handling (HsVm *vm)
{
  HsInterp *in = HS_INTERP (vm);
  HsObject *h = in->handling;

  if (h == NULL)
    return;
  in->handling = NULL;
  if (hs_hooked (vm, HS_EV_REF))
    hs_emit_ref (vm, HS_HOLDER_RUNTIME, 0, 3, "handled exception", h, NULL);
  hs_decref (vm, h);
}

static HsResult
handle_uncaught (HsVm *vm)
{
  HsInterp *in = HS_INTERP (vm);
  HsObject *exc = hs_err_fetch (vm);
  HsResult res = HS_RESULT_RUNTIME_ERROR;

  if (in->stop_result != HS_RESULT_OK)
    {
      res = in->stop_result;
      if (res == HS_RESULT_LIMIT)
        fill_last_error (vm, res, "", limit_message (vm), in->limit_line, 0);
      else
        fill_last_error (vm, res, "", "cancelled", vm->cur_line, 0);
      HS_XDECREF (vm, exc);
      return res;
    }
  if (exc == NULL)
    return HS_RESULT_RUNTIME_ERROR;
  if (hs_is_exception (vm, exc) && hs_type_is_subtype (exc->type, HS_EXC (vm, SYSTEM_EXIT)))
    {
      HsException *e = (HsException *) exc;
      HsObject *code = e->args != NULL && hs_tuple_size (e->args) > 0 ? hs_tuple_item (e->args, 0) : vm->none;
      if (e->args != NULL && hs_tuple_size (e->args) > 1)
        code = e->args;
      if (code == vm->none)
        vm->exit_status = 0;
      else if (code->type == HS_T (vm, INT) || code->type == HS_T (vm, BOOL))
        vm->exit_status = (int) (hs_int_value (code) & 0xff);
      else
        {
          HsObject *s = hs_object_str (vm, code);
          if (s != NULL)
            {
              write_err (vm, hs_str_data (s));
              write_err (vm, "\n");
              hs_decref (vm, s);
            }
          hs_err_clear (vm);
          vm->exit_status = 1;
        }
      fill_last_error (vm, HS_RESULT_EXIT, "SystemExit", "", 0, 0);
      hs_decref (vm, exc);
      return HS_RESULT_EXIT;
    }
  {
    HsException *e = (HsException *) exc;
    HsObject *msg = hs_is_exception (vm, exc) ? hs_exception_str (vm, exc) : NULL;
    uint32_t line = 0, col = 0;
    if (msg == NULL)
      hs_err_clear (vm);
    if (hs_is_exception (vm, exc) && e->tb_n > 0)
      {
        HsTbEntry *t = &e->tb[e->tb_n - 1];
        HsCode *co = HS_CODE (t->code);
        if (t->offset < co->ninstrs)
          {
            line = co->positions[t->offset].lineno;
            col = char_column (vm, line, co->positions[t->offset].col_offset);
          }
      }
    fill_last_error (vm, res, hs_object_type_name (exc), msg != NULL ? hs_str_data (msg) : "", line, col);
    HS_XDECREF (vm, msg);
  }
  hs_traceback_print (vm, exc);
  hs_decref (vm, exc);
  if (vm->exc != NULL)
    hs_err_clear (vm);
  return res;
}

HsResult
hs_vm_run (HsVm *vm, const char *filename, const char *source, size_t len)
{
  HsInterp *in = HS_INTERP (vm);
  HsArena *arena;
  HsModule *mod;
  HsSyntaxError err;
  HsObject *code, *r;
  HsFrame *f;
  HsResult res;

  memset (&err, 0, sizeof err);
  in->stop_result = HS_RESULT_OK;
  in->output_stopped = false;
  in->limit_message[0] = '\0';
  in->limit_line = 0;
  atomic_store (&vm->interrupt, 0);
  in->source = source;
  in->source_len = len;
  in->filename = filename;
  fill_last_error (vm, HS_RESULT_OK, "", "", 0, 0);

  arena = hs_arena_new ();
  if (arena == NULL)
    return HS_RESULT_RUNTIME_ERROR;
  mod = hs_parse (arena, source, len, &err);
  code = NULL;
  if (mod != NULL)
    code = hs_compile (vm, mod, filename, source, len, &err);
  hs_arena_free (arena);
  if (code == NULL)
    {
      if (err.type_name[0] != '\0')
        {
          char *text = hs_syntax_error_format (&err, filename);
          if (text != NULL)
            {
              write_err (vm, text);
              free (text);
            }
          fill_last_error (vm, HS_RESULT_SYNTAX_ERROR, err.type_name, err.message, err.lineno, err.col_offset);
          hs_syntax_error_clear (&err);
          return HS_RESULT_SYNTAX_ERROR;
        }
      hs_syntax_error_clear (&err);
      if (hs_err_occurred (vm))
        return handle_uncaught (vm);
      return HS_RESULT_RUNTIME_ERROR;
    }
  hs_syntax_error_clear (&err);

  vm->depth = 0;
  vm->c_depth = 0;
  if (hs_hooked (vm, HS_EV_REF))
    hs_emit_ref (vm, HS_HOLDER_RUNTIME, 0, 9, "module code", NULL, code);
  f = frame_new (vm, HS_CODE (code), NULL, vm->main_globals, vm->main_globals);
  if (f == NULL)
    {
      drop_runtime_ref (vm, &code, 9, "module code");
      return handle_uncaught (vm);
    }
  vm->frame = f;
  vm->cur_frame_id = f->id;
  vm->depth++;
  if (hs_hooked (vm, HS_EV_CALL))
    emit_call (vm, f);
  r = run_frame (vm, f);
  vm->depth = 0;
  if (r != NULL)
    {
      hs_decref (vm, r);
      res = in->stop_result != HS_RESULT_OK ? in->stop_result : HS_RESULT_OK;
      if (res != HS_RESULT_OK)
        fill_last_error (vm, res, "", limit_message (vm), in->limit_line, 0);
    }
  else
    res = handle_uncaught (vm);
  release_handling (vm);
  drop_runtime_ref (vm, &code, 9, "module code");
  hs_memory_flush_allocs (vm);
  hs_emit_flush (vm);
  in->source = NULL;
  in->source_len = 0;
  return res;
}

int
hs_vm_exit_status (HsVm *vm)
{
  return vm->exit_status;
}

void
hs_vm_last_error (HsVm *vm, HsErrorInfo *info)
{
  *info = vm->last_error;
}

void
hs_vm_mem_stats (HsVm *vm, HsMemStats *stats)
{
  stats->live_objects = vm->live_objects;
  stats->live_bytes = vm->live_bytes;
  stats->peak_bytes = vm->peak_bytes;
  stats->total_allocations = vm->total_allocations;
}

void
hs_vm_interrupt (HsVm *vm)
{
  atomic_store (&vm->interrupt, 1);
}

const char *
hs_version (void)
{
  return "0.1.0";
}

/* Source text of a line (for tracebacks); NULL if unknown.  *len gets its length. */
const char *
hs_vm_source_line (HsVm *vm, uint32_t lineno, size_t *len)
{
  HsInterp *in = HS_INTERP (vm);
  const char *s = in->source, *end, *e;
  uint32_t line = 1;

  if (s == NULL || lineno == 0)
    return NULL;
  end = s + in->source_len;
  while (s < end && line < lineno)
    if (*s++ == '\n')
      line++;
  if (line != lineno || s >= end)
    return NULL;
  e = memchr (s, '\n', (size_t) (end - s));
  if (e == NULL)
    e = end;
  *len = (size_t) (e - s);
  if (*len > 0 && s[*len - 1] == '\r')
    (*len)--;
  return s;
}
