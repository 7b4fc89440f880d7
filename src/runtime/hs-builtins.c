/* hs-builtins.c — builtin functions and methods as objects, argument checks, and the
 * builtins namespace. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hs-containers.h"
#include "hs-scanner.h"

#define F(o) ((HsCFunc *) (o))

/* ---- argument checks ------------------------------------------------------------------
 * fname "len()" (ends in "()"): METH_O / METH_NOARGS wording, "len() takes exactly one
 * argument (2 given)".  fname "pop": the argument-clinic wording, "pop expected at most
 * 1 argument, got 2". */

int
hs_check_nargs (HsVm *vm, const char *fname, size_t nargs, size_t min, size_t max)
{
  size_t fl = strlen (fname);
  bool meth = fl >= 2 && strcmp (fname + fl - 2, "()") == 0;
  HsType *te = HS_EXC (vm, TYPE_ERROR);

  if (HS_LIKELY (nargs >= min && nargs <= max))
    return 0;
  if (meth)
    {
      if (max == 0)
        hs_err_format (vm, te, "%s takes no arguments (%zu given)", fname, nargs);
      else if (min == 1 && max == 1)
        hs_err_format (vm, te, "%s takes exactly one argument (%zu given)", fname, nargs);
      else if (nargs < min)
        hs_err_format (vm, te, "%s takes at least %zu argument%s (%zu given)", fname, min,
                       min == 1 ? "" : "s", nargs);
      else
        hs_err_format (vm, te, "%s takes at most %zu argument%s (%zu given)", fname, max,
                       max == 1 ? "" : "s", nargs);
    }
  else if (min == max)
    hs_err_format (vm, te, "%s expected %zu argument%s, got %zu", fname, min, min == 1 ? "" : "s",
                   nargs);
  else if (nargs < min)
    hs_err_format (vm, te, "%s expected at least %zu argument%s, got %zu", fname, min,
                   min == 1 ? "" : "s", nargs);
  else
    hs_err_format (vm, te, "%s expected at most %zu argument%s, got %zu", fname, max,
                   max == 1 ? "" : "s", nargs);
  return -1;
}

int
hs_check_no_kwargs (HsVm *vm, const char *fname, HsObject *kwnames)
{
  size_t fl;

  if (HS_LIKELY (kwnames == NULL || hs_tuple_size (kwnames) == 0))
    return 0;
  fl = strlen (fname);
  if (fl >= 2 && strcmp (fname + fl - 2, "()") == 0)
    hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "%s takes no keyword arguments", fname);
  else
    hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "%s() takes no keyword arguments", fname);
  return -1;
}

/* ---- builtin_function_or_method and method_descriptor ---------------------------------- */

HsObject *
hs_cfunction_new (HsVm *vm, const HsMethodDef *def, HsObject *self)
{
  HsCFunc *f = hs_object_alloc (vm, HS_T (vm, BUILTIN_FUNCTION), sizeof (HsCFunc));

  if (f == NULL)
    return NULL;
  f->def = def;
  f->objclass = NULL;
  f->self = NULL;
  if (self != NULL)
    hs_slot_init (vm, &f->self, hs_incref (self), HS_HOLDER_INTERNAL, f->base.id, 0, "__self__");
  hs_gc_track (vm, &f->base);
  return &f->base;
}

static void
cfunc_dealloc (HsVm *vm, HsObject *self)
{
  hs_slot_clear (vm, &F (self)->self, HS_HOLDER_INTERNAL, self->id, 0, "__self__");
  hs_object_free (vm, self);
}

static int
cfunc_traverse (HsObject *self, HsVisitProc visit, void *arg)
{
  return F (self)->self != NULL ? visit (F (self)->self, arg) : 0;
}

static void
cfunc_clear (HsVm *vm, HsObject *self)
{
  hs_slot_clear (vm, &F (self)->self, HS_HOLDER_INTERNAL, self->id, 0, "__self__");
}

static HsObject *
cfunc_call (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  HsCFunc *f = F (self);
  return f->def->fn (vm, f->self, args, nargs, kwnames);
}

static HsObject *
cfunc_repr (HsVm *vm, HsObject *self)
{
  HsCFunc *f = F (self);

  if (f->self == NULL)
    return hs_str_printf (vm, "<built-in function %s>", f->def->name);
  return hs_str_printf (vm, "<built-in method %s of %s object at 0x%llx>", f->def->name,
                        f->self->type->name, (unsigned long long) f->self->id);
}

static HsObject *
cfunc_richcompare (HsVm *vm, HsObject *self, HsObject *other, HsCompareOp op)
{
  bool eq;

  if (!HS_IS_TYPE (vm, other, BUILTIN_FUNCTION) || (op != HS_CMP_EQ && op != HS_CMP_NE))
    return hs_not_implemented (vm);
  eq = F (self)->def == F (other)->def && F (self)->self == F (other)->self;
  return hs_bool_from (vm, op == HS_CMP_EQ ? eq : !eq);
}

static HsObject *
cfunc_getattr (HsVm *vm, HsObject *self, HsObject *name)
{
  const char *s = hs_str_data (name);
  HsCFunc *f = F (self);

  if (strcmp (s, "__name__") == 0)
    return hs_str_from_cstr (vm, f->def->name);
  if (strcmp (s, "__qualname__") == 0)
    return f->objclass ? hs_str_printf (vm, "%s.%s", f->objclass->name, f->def->name)
                       : hs_str_from_cstr (vm, f->def->name);
  if (strcmp (s, "__self__") == 0)
    return hs_incref (f->self ? f->self : vm->none);
  if (strcmp (s, "__doc__") == 0)
    return f->def->doc ? hs_str_from_cstr (vm, f->def->doc) : hs_none (vm);
  return hs_builtin_getattr (vm, self, name);
}

static void
cfunc_describe (HsVm *vm, HsObject *self, char *buf, size_t cap)
{
  HsCFunc *f = F (self);

  (void) vm;
  if (f->def == NULL)
    snprintf (buf, cap, "<built-in function>");
  else if (f->self == NULL)
    snprintf (buf, cap, "<built-in function %s>", f->def->name);
  else
    snprintf (buf, cap, "<built-in method %s>", f->def->name);
}

static size_t
cfunc_size_of (HsObject *self)
{
  (void) self;
  return 56;
}

static HsObject *
descr_call (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  HsCFunc *d = F (self);

  if (hs_npos (nargs, kwnames) < 1)
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "unbound method %s.%s() needs an argument",
                     d->objclass->name, d->def->name);
      return NULL;
    }
  if (!hs_type_is_subtype (args[0]->type, d->objclass))
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR),
                     "descriptor '%s' for '%s' objects doesn't apply to a '%s' object",
                     d->def->name, d->objclass->name, args[0]->type->name);
      return NULL;
    }
  return d->def->fn (vm, args[0], args + 1, nargs - 1, kwnames);
}

static HsObject *
descr_repr (HsVm *vm, HsObject *self)
{
  return hs_str_printf (vm, "<method '%s' of '%s' objects>", F (self)->def->name,
                        F (self)->objclass->name);
}

static void
descr_dealloc (HsVm *vm, HsObject *self)
{
  hs_object_free (vm, self);
}

static const HsType cfunc_tmpl = {
  .name = "builtin_function_or_method",
  .flags = HS_TPFLAG_GC,
  .basic_size = sizeof (HsCFunc),
  .dealloc = cfunc_dealloc,
  .traverse = cfunc_traverse,
  .clear = cfunc_clear,
  .repr = cfunc_repr,
  .richcompare = cfunc_richcompare,
  .call = cfunc_call,
  .getattr = cfunc_getattr,
  .describe = cfunc_describe,
  .size_of = cfunc_size_of,
};

static const HsType descr_tmpl = {
  .name = "method_descriptor",
  .basic_size = sizeof (HsCFunc),
  .dealloc = descr_dealloc,
  .repr = descr_repr,
  .call = descr_call,
};

void
hs_cfunc_types_init (HsVm *vm)
{
  hs_register (vm, HS_T_BUILTIN_FUNCTION, &cfunc_tmpl);
  hs_register (vm, HS_T_METHOD_DESCRIPTOR, &descr_tmpl);
}

/* ---- helpers ----------------------------------------------------------------------------- */

static HsObject *
raise_new (HsVm *vm, HsType *type, HsObject *const *args, size_t nargs)
{
  HsObject *exc = hs_object_call (vm, (HsObject *) type, args, nargs, NULL);

  if (exc != NULL)
    {
      hs_err_set_object (vm, exc);
      hs_decref (vm, exc);
    }
  return NULL;
}

static bool
is_str (HsVm *vm, HsObject *o)
{
  return HS_IS_SUBTYPE (vm, o, STR);
}

/* ---- the builtins -------------------------------------------------------------------------- */

#define BUILTIN(name) \
  static HsObject *bi_##name (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, \
                              HsObject *kwnames)

#define ONE_ARG(fname)                                                         \
  do {                                                                         \
    (void) self;                                                               \
    if (HS_UNLIKELY (kwnames != NULL || nargs != 1))                           \
      if (hs_check_no_kwargs (vm, fname, kwnames) < 0                          \
          || hs_check_nargs (vm, fname, nargs, 1, 1) < 0)                      \
        return NULL;                                                           \
  } while (0)

BUILTIN (print)
{
  static const char *const allowed[] = { "sep", "end", "file", "flush", NULL };
  size_t npos = hs_npos (nargs, kwnames);
  HsObject *sep = hs_kwarg (args, nargs, kwnames, "sep");
  HsObject *end = hs_kwarg (args, nargs, kwnames, "end");
  HsObject *file = hs_kwarg (args, nargs, kwnames, "file");
  HsBuf b;

  (void) self;
  if (hs_check_kwargs (vm, "print", kwnames, allowed) < 0)
    return NULL;
  if (sep == vm->none)
    sep = NULL;
  if (end == vm->none)
    end = NULL;
  if (file == vm->none)
    file = NULL;
  if (sep != NULL && !is_str (vm, sep))
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "sep must be None or a string, not %s",
                     sep->type->name);
      return NULL;
    }
  if (end != NULL && !is_str (vm, end))
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "end must be None or a string, not %s",
                     end->type->name);
      return NULL;
    }
  hs_buf_init (&b);
  for (size_t i = 0; i < npos; i++)
    {
      HsObject *s;
      bool ok;
      if (i > 0 && !(sep ? hs_buf_add_str (vm, &b, sep) : hs_buf_add (vm, &b, " ", 1)))
        goto fail;
      s = hs_object_str (vm, args[i]);
      if (s == NULL)
        goto fail;
      ok = hs_buf_add_str (vm, &b, s);
      hs_decref (vm, s);
      if (!ok)
        goto fail;
    }
  if (!(end ? hs_buf_add_str (vm, &b, end) : hs_buf_add (vm, &b, "\n", 1)))
    goto fail;
  if (file != NULL)
    {
      HsObject *text = hs_str_from_utf8 (vm, b.data, b.len), *r;
      hs_buf_free (vm, &b);
      if (text == NULL)
        return NULL;
      r = hs_object_call_method (vm, file, "write", &text, 1);
      hs_decref (vm, text);
      if (r == NULL)
        return NULL;
      hs_decref (vm, r);
      return hs_none (vm);
    }
  hs_vm_write (vm, HS_STREAM_STDOUT, b.data, b.len);
  hs_buf_free (vm, &b);
  if (hs_err_occurred (vm))
    return NULL;
  return hs_none (vm);
fail:
  hs_buf_free (vm, &b);
  return NULL;
}

/* A line of the process's stdin without its newline, or NULL at its end. */
static char *
read_stdin_line (size_t *len)
{
  char *line = NULL;
  size_t cap = 0;
  ssize_t n;

  fflush (stdout);   /* the prompt, before waiting */
  n = getline (&line, &cap, stdin);

  if (n < 0)
    {
      free (line);
      return NULL;
    }
  if (n > 0 && line[n - 1] == '\n')
    line[--n] = '\0';
  *len = (size_t) n;
  return line;
}

/* input(prompt): the prompt to stdout, then a line of input (config.read_line). */
BUILTIN (input)
{
  HsObject *result;
  HsBuf b;
  char *line;
  size_t len = 0;

  (void) self;
  if (hs_check_no_kwargs (vm, "input()", kwnames) < 0 || hs_check_nargs (vm, "input", nargs, 0, 1) < 0)
    return NULL;
  if (nargs == 1)
    {
      HsObject *prompt = hs_object_str (vm, args[0]);

      if (prompt == NULL)
        return NULL;
      hs_vm_write (vm, HS_STREAM_STDOUT, hs_str_data (prompt), hs_str_size (prompt));
      hs_decref (vm, prompt);
      if (hs_err_occurred (vm))
        return NULL;
    }
  line = vm->config.read_line != NULL ? vm->config.read_line (vm->config.user_data, &len)
                                      : read_stdin_line (&len);
  if (line == NULL)
    {
      if (!hs_err_occurred (vm))
        hs_err_format (vm, HS_EXC (vm, EOF_ERROR), "EOF when reading a line");
      return NULL;
    }
  /* Bytes that are not UTF-8 become U+FFFD, as a terminal shows them. */
  hs_buf_init (&b);
  for (size_t i = 0; i < len;)
    {
      const unsigned char *p = (const unsigned char *) line;
      uint32_t cp;
      size_t k = (size_t) hs_utf8_valid_len (p + i, p + len, &cp);
      bool ok = k > 0 ? hs_buf_add (vm, &b, line + i, k) : hs_buf_add (vm, &b, "\xef\xbf\xbd", 3);

      if (!ok)
        {
          free (line);
          hs_buf_free (vm, &b);
          return NULL;
        }
      i += k > 0 ? k : 1;
    }
  free (line);
  result = hs_str_from_utf8 (vm, b.data != NULL ? b.data : "", b.len);
  if (result != NULL && vm->config.echo_input)
    {
      hs_vm_write (vm, HS_STREAM_STDOUT, b.data != NULL ? b.data : "", b.len);
      hs_vm_write (vm, HS_STREAM_STDOUT, "\n", 1);
    }
  hs_buf_free (vm, &b);
  return result;
}

BUILTIN (len)
{
  int64_t n;

  ONE_ARG ("len()");
  n = hs_object_len (vm, args[0]);
  return n < 0 ? NULL : hs_int_from_i64 (vm, n);
}

BUILTIN (id)
{
  ONE_ARG ("id()");
  return hs_int_from_i64 (vm, (int64_t) args[0]->id);
}

BUILTIN (repr)
{
  ONE_ARG ("repr()");
  return hs_object_repr (vm, args[0]);
}

BUILTIN (ascii)
{
  ONE_ARG ("ascii()");
  return hs_object_ascii (vm, args[0]);
}

BUILTIN (hash)
{
  int64_t h;

  ONE_ARG ("hash()");
  if (!hs_object_hash (vm, args[0], &h))
    return NULL;
  return hs_int_from_i64 (vm, h);
}

BUILTIN (callable)
{
  ONE_ARG ("callable()");
  return hs_bool_from (vm, args[0]->type->call != NULL);
}

BUILTIN (isinstance)
{
  int err;
  bool r;

  (void) self;
  if (hs_check_no_kwargs (vm, "isinstance()", kwnames) < 0
      || hs_check_nargs (vm, "isinstance", nargs, 2, 2) < 0)
    return NULL;
  r = hs_object_is_instance (vm, args[0], args[1], &err);
  return err ? NULL : hs_bool_from (vm, r);
}

static int
subclass_check (HsVm *vm, HsType *c, HsObject *cls)
{
  if (HS_IS_SUBTYPE (vm, cls, TUPLE))
    {
      for (size_t i = 0; i < hs_tuple_size (cls); i++)
        {
          int r = subclass_check (vm, c, hs_tuple_item (cls, i));
          if (r != 0)
            return r;
        }
      return 0;
    }
  if (!HS_IS_SUBTYPE (vm, cls, TYPE))
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR),
                     "issubclass() arg 2 must be a class, a tuple of classes, or a union");
      return -1;
    }
  return hs_type_is_subtype (c, (HsType *) cls);
}

BUILTIN (issubclass)
{
  int r;

  (void) self;
  if (hs_check_no_kwargs (vm, "issubclass()", kwnames) < 0
      || hs_check_nargs (vm, "issubclass", nargs, 2, 2) < 0)
    return NULL;
  if (!HS_IS_SUBTYPE (vm, args[0], TYPE))
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "issubclass() arg 1 must be a class");
      return NULL;
    }
  r = subclass_check (vm, (HsType *) args[0], args[1]);
  return r < 0 ? NULL : hs_bool_from (vm, r);
}

BUILTIN (abs)
{
  HsObject *o;

  ONE_ARG ("abs()");
  o = args[0];
  if (HS_IS_SUBTYPE (vm, o, INT) || HS_IS_SUBTYPE (vm, o, BOOL))
    {
      int64_t v = hs_int_value (o);
      if (v == INT64_MIN)
        return hs_int_overflow (vm, "abs()");
      return hs_int_from_i64 (vm, v < 0 ? -v : v);
    }
  if (HS_IS_SUBTYPE (vm, o, FLOAT))
    return hs_float_from_double (vm, fabs (hs_float_value (o)));
  if (hs_type_lookup (vm, o->type, hs_str_intern (vm, "__abs__", 7)) != NULL)
    return hs_object_call_method (vm, o, "__abs__", NULL, 0);
  hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "bad operand type for abs(): '%s'", o->type->name);
  return NULL;
}

/* A reference a builtin keeps in a C variable while Python code may run (a key
 * function, __lt__): published as a runtime slot, so the counts stay exact.
 * `key` (an object the call owns) tells nested calls apart.  Steals `value`. */
static inline void
c_hold (HsVm *vm, HsObject **var, HsObject *value, HsId key, const char *label)
{
  hs_slot_store (vm, var, value, HS_HOLDER_RUNTIME, 0, key, label);
}

/* Takes the reference out of its published slot, for the caller to keep. */
static inline HsObject *
c_take (HsVm *vm, HsObject **var, HsId key, const char *label)
{
  HsObject *v = *var;

  *var = NULL;
  if (v != NULL && hs_hooked (vm, HS_EV_REF))
    hs_emit_ref (vm, HS_HOLDER_RUNTIME, 0, key, label, v, NULL);
  return v;
}

static HsObject *
min_max (HsVm *vm, HsObject *const *args, size_t nargs, HsObject *kwnames, bool is_max)
{
  const char *name = is_max ? "max" : "min";
  const char *l_item = is_max ? "max() item" : "min() item";
  const char *l_ikey = is_max ? "max() item key" : "min() item key";
  const char *l_best = is_max ? "max() so far" : "min() so far";
  const char *l_bkey = is_max ? "max() key so far" : "min() key so far";
  static const char *const allowed[] = { "key", "default", NULL };
  size_t npos = hs_npos (nargs, kwnames);
  HsObject *key = hs_kwarg (args, nargs, kwnames, "key");
  HsObject *dflt = hs_kwarg (args, nargs, kwnames, "default");
  HsObject *it, *x, *item = NULL, *ikey = NULL, *best = NULL, *best_key = NULL;
  HsCompareOp op = is_max ? HS_CMP_GT : HS_CMP_LT;
  HsId hk;

  if (npos == 0)
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "%s expected at least 1 argument, got 0", name);
      return NULL;
    }
  if (kwnames != NULL && hs_tuple_size (kwnames) > 2)
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "%s() takes at most 2 keyword arguments (%zu given)",
                     name, hs_tuple_size (kwnames));
      return NULL;
    }
  if (hs_check_kwargs (vm, name, kwnames, allowed) < 0)
    return NULL;
  if (key == vm->none)
    key = NULL;
  if (npos > 1 && dflt != NULL)
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR),
                     "Cannot specify a default for %s() with multiple positional arguments", name);
      return NULL;
    }
  if (npos > 1)
    {
      HsObject *t = hs_tuple_from_array (vm, args, npos);
      if (t == NULL)
        return NULL;
      it = hs_object_iter (vm, t);
      hs_decref (vm, t);
    }
  else
    it = hs_object_iter (vm, args[0]);
  if (it == NULL)
    return NULL;
  hk = it->id;
  while ((x = hs_iter_next (vm, it)) != NULL)
    {
      int c = 1;

      c_hold (vm, &item, x, hk, l_item);
      if (key != NULL)
        {
          HsObject *k = hs_object_call (vm, key, &item, 1, NULL);
          if (k == NULL)
            goto fail;
          c_hold (vm, &ikey, k, hk, l_ikey);
        }
      if (best != NULL)
        c = hs_object_richcompare_bool (vm, key != NULL ? ikey : item, key != NULL ? best_key : best, op);
      if (c < 0)
        goto fail;
      if (c > 0)
        {
          c_hold (vm, &best, c_take (vm, &item, hk, l_item), hk, l_best);
          if (key != NULL)
            c_hold (vm, &best_key, c_take (vm, &ikey, hk, l_ikey), hk, l_bkey);
        }
      else
        {
          c_hold (vm, &ikey, NULL, hk, l_ikey);
          c_hold (vm, &item, NULL, hk, l_item);
        }
    }
  if (hs_err_occurred (vm))
    goto fail;
  c_hold (vm, &best_key, NULL, hk, l_bkey);
  x = c_take (vm, &best, hk, l_best);
  hs_decref (vm, it);
  if (x == NULL)
    {
      if (dflt != NULL)
        return hs_incref (dflt);
      hs_err_format (vm, HS_EXC (vm, VALUE_ERROR), "%s() arg is an empty sequence", name);
      return NULL;
    }
  return x;
fail:
  c_hold (vm, &ikey, NULL, hk, l_ikey);
  c_hold (vm, &item, NULL, hk, l_item);
  c_hold (vm, &best_key, NULL, hk, l_bkey);
  c_hold (vm, &best, NULL, hk, l_best);
  hs_decref (vm, it);
  return NULL;
}

BUILTIN (min)
{
  (void) self;
  return min_max (vm, args, nargs, kwnames, false);
}

BUILTIN (max)
{
  (void) self;
  return min_max (vm, args, nargs, kwnames, true);
}

BUILTIN (sum)
{
  static const char *const allowed[] = { "start", NULL };
  size_t npos = hs_npos (nargs, kwnames);
  HsObject *start = npos > 1 ? args[1] : hs_kwarg (args, nargs, kwnames, "start");
  HsObject *it, *item, *result;
  int64_t isum = 0;
  bool int_mode;

  (void) self;
  if (hs_check_kwargs (vm, "sum", kwnames, allowed) < 0)
    return NULL;
  if (npos == 0)
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "sum() takes at least 1 positional argument (0 given)");
      return NULL;
    }
  if (nargs > 2)
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "sum() takes at most 2 arguments (%zu given)", nargs);
      return NULL;
    }
  if (start != NULL && is_str (vm, start))
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "sum() can't sum strings [use ''.join(seq) instead]");
      return NULL;
    }
  it = hs_object_iter (vm, args[0]);
  if (it == NULL)
    return NULL;
  result = start != NULL ? hs_incref (start) : hs_int_from_i64 (vm, 0);
  /* exact ints add in C until one does not fit or is not an int */
  int_mode = HS_IS_TYPE (vm, result, INT) || HS_IS_TYPE (vm, result, BOOL);
  if (int_mode)
    isum = hs_int_value (result);
  while ((item = hs_iter_next (vm, it)) != NULL)
    {
      HsObject *r;
      if (int_mode)
        {
          int64_t v;
          if ((HS_IS_TYPE (vm, item, INT) || HS_IS_TYPE (vm, item, BOOL))
              && !__builtin_add_overflow (isum, hs_int_value (item), &v))
            {
              isum = v;
              hs_decref (vm, item);
              continue;
            }
          int_mode = false;
          hs_decref (vm, result);
          result = hs_int_from_i64 (vm, isum);
          if (result == NULL)
            {
              hs_decref (vm, item);
              hs_decref (vm, it);
              return NULL;
            }
        }
      if (HS_IS_TYPE (vm, result, FLOAT) && (HS_IS_TYPE (vm, item, FLOAT) || HS_IS_TYPE (vm, item, INT)))
        {
          double d = hs_float_value (result)
                     + (HS_IS_TYPE (vm, item, FLOAT) ? hs_float_value (item)
                                                     : (double) hs_int_value (item));
          r = hs_float_from_double (vm, d);
        }
      else
        r = hs_binary_op (vm, result, item, HS_BINOP_ADD);
      hs_decref (vm, item);
      hs_decref (vm, result);
      result = r;
      if (result == NULL)
        {
          hs_decref (vm, it);
          return NULL;
        }
    }
  hs_decref (vm, it);
  if (hs_err_occurred (vm))
    {
      hs_decref (vm, result);
      return NULL;
    }
  if (int_mode)
    {
      hs_decref (vm, result);
      return hs_int_from_i64 (vm, isum);
    }
  return result;
}

BUILTIN (sorted)
{
  static const char *const allowed[] = { "key", "reverse", NULL };
  size_t npos = hs_npos (nargs, kwnames);
  HsObject *key = hs_kwarg (args, nargs, kwnames, "key");
  HsObject *rev = hs_kwarg (args, nargs, kwnames, "reverse");
  HsObject *list;
  int64_t r = 0;

  (void) self;
  if (hs_check_nargs (vm, "sorted", npos, 1, 1) < 0
      || hs_check_kwargs (vm, "sort", kwnames, allowed) < 0)
    return NULL;
  list = hs_sequence_list (vm, args[0]);
  if (list == NULL)
    return NULL;
  if ((rev != NULL && hs_index_value (vm, rev, &r) < 0) || hs_list_sort (vm, list, key, r != 0) < 0)
    {
      hs_decref (vm, list);
      return NULL;
    }
  return list;
}

static HsObject *
any_all (HsVm *vm, HsObject *iterable, bool any)
{
  HsObject *it = hs_object_iter (vm, iterable), *x;

  if (it == NULL)
    return NULL;
  while ((x = hs_iter_next (vm, it)) != NULL)
    {
      int t = hs_object_is_true (vm, x);
      hs_decref (vm, x);
      if (t < 0 || (t > 0) == any)
        {
          hs_decref (vm, it);
          return t < 0 ? NULL : hs_bool_from (vm, any);
        }
    }
  hs_decref (vm, it);
  if (hs_err_occurred (vm))
    return NULL;
  return hs_bool_from (vm, !any);
}

BUILTIN (any)
{
  ONE_ARG ("any()");
  return any_all (vm, args[0], true);
}

BUILTIN (all)
{
  ONE_ARG ("all()");
  return any_all (vm, args[0], false);
}

/* decodes one UTF-8 code point */
static uint32_t
utf8_decode (const unsigned char *s, size_t *len)
{
  if (s[0] < 0x80)
    {
      *len = 1;
      return s[0];
    }
  if ((s[0] & 0xe0) == 0xc0)
    {
      *len = 2;
      return ((uint32_t) (s[0] & 0x1f) << 6) | (s[1] & 0x3f);
    }
  if ((s[0] & 0xf0) == 0xe0)
    {
      *len = 3;
      return ((uint32_t) (s[0] & 0x0f) << 12) | ((uint32_t) (s[1] & 0x3f) << 6) | (s[2] & 0x3f);
    }
  *len = 4;
  return ((uint32_t) (s[0] & 0x07) << 18) | ((uint32_t) (s[1] & 0x3f) << 12)
         | ((uint32_t) (s[2] & 0x3f) << 6) | (s[3] & 0x3f);
}

BUILTIN (ord)
{
  HsObject *o;
  size_t n;
  uint32_t c;

  ONE_ARG ("ord()");
  o = args[0];
  if (!is_str (vm, o))
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "ord() expected string of length 1, but %s found",
                     o->type->name);
      return NULL;
    }
  if (((HsStr *) o)->length != 1)
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR),
                     "ord() expected a character, but string of length %zu found",
                     ((HsStr *) o)->length);
      return NULL;
    }
  c = utf8_decode ((const unsigned char *) hs_str_data (o), &n);
  return hs_int_from_i64 (vm, c);
}

BUILTIN (chr)
{
  int64_t c;
  char buf[4];
  size_t n;

  ONE_ARG ("chr()");
  if (hs_index_value (vm, args[0], &c) < 0)
    return NULL;
  if (c < 0 || c > 0x10ffff)
    {
      hs_err_format (vm, HS_EXC (vm, VALUE_ERROR), "chr() arg not in range(0x110000)");
      return NULL;
    }
  if (c >= 0xd800 && c <= 0xdfff)
    c = 0xfffd;   /* lone surrogates cannot be UTF-8 */
  if (c < 0x80)
    {
      buf[0] = (char) c;
      n = 1;
    }
  else if (c < 0x800)
    {
      buf[0] = (char) (0xc0 | (c >> 6));
      buf[1] = (char) (0x80 | (c & 0x3f));
      n = 2;
    }
  else if (c < 0x10000)
    {
      buf[0] = (char) (0xe0 | (c >> 12));
      buf[1] = (char) (0x80 | ((c >> 6) & 0x3f));
      buf[2] = (char) (0x80 | (c & 0x3f));
      n = 3;
    }
  else
    {
      buf[0] = (char) (0xf0 | (c >> 18));
      buf[1] = (char) (0x80 | ((c >> 12) & 0x3f));
      buf[2] = (char) (0x80 | ((c >> 6) & 0x3f));
      buf[3] = (char) (0x80 | (c & 0x3f));
      n = 4;
    }
  return hs_str_from_utf8 (vm, buf, n);
}

static int64_t
pow10_i64 (int64_t n)
{
  int64_t r = 1;
  while (n-- > 0)
    r *= 10;
  return r;
}

/* round(float, ndigits): correctly rounded through the shortest decimal text, as CPython
 * rounds the exact binary value half-to-even. */
static double
round_double (double x, int64_t nd)
{
  char buf[400];

  if (!isfinite (x) || x == 0.0)
    return x;
  if (nd > 323)
    return x;
  if (nd >= 0)
    {
      snprintf (buf, sizeof buf, "%.*f", (int) nd, x);
      return strtod (buf, NULL);
    }
  if (nd < -308)
    return 0.0 * x;
  {
    double p = pow (10.0, (double) -nd), y = x / p, z = nearbyint (y);
    if (fabs (y - trunc (y)) == 0.5)
      z = 2.0 * nearbyint (y / 2.0);
    return z * p;
  }
}

BUILTIN (round)
{
  static const char *const allowed[] = { "number", "ndigits", NULL };
  size_t npos = hs_npos (nargs, kwnames);
  HsObject *num = npos > 0 ? args[0] : hs_kwarg (args, nargs, kwnames, "number");
  HsObject *nd = npos > 1 ? args[1] : hs_kwarg (args, nargs, kwnames, "ndigits");
  int64_t d = 0;

  (void) self;
  if (hs_check_kwargs (vm, "round", kwnames, allowed) < 0)
    return NULL;
  if (nargs > 2)
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "round() takes at most 2 arguments (%zu given)", nargs);
      return NULL;
    }
  if (num == NULL)
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "round() missing required argument 'number' (pos 1)");
      return NULL;
    }
  if (nd == vm->none)
    nd = NULL;
  if (HS_IS_SUBTYPE (vm, num, FLOAT))
    {
      double x = hs_float_value (num);
      if (nd == NULL)
        {
          /* The default rounding mode: half to even. */
          return hs_int_from_integral_double (vm, nearbyint (x), "round()");
        }
      if (hs_index_value (vm, nd, &d) < 0)
        return NULL;
      return hs_float_from_double (vm, round_double (x, d));
    }
  if (HS_IS_SUBTYPE (vm, num, INT) || HS_IS_SUBTYPE (vm, num, BOOL))
    {
      int64_t v = hs_int_value (num), p, q, r;
      if (nd == NULL)
        return hs_int_from_i64 (vm, v);
      if (hs_index_value (vm, nd, &d) < 0)
        return NULL;
      if (d >= 0)
        return hs_int_from_i64 (vm, v);
      if (d < -18)
        return hs_int_from_i64 (vm, 0);
      p = pow10_i64 (-d);
      q = v / p;
      r = v % p;
      if (r < 0)
        {
          r += p;
          q -= 1;
        }
      /* half to even */
      if (2 * r > p || (2 * r == p && (q & 1) != 0))
        q += 1;
      return hs_int_from_i64 (vm, q * p);
    }
  if (hs_type_lookup (vm, num->type, hs_str_intern (vm, "__round__", 9)) != NULL)
    return hs_object_call_method (vm, num, "__round__", nd ? &nd : NULL, nd ? 1 : 0);
  hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "type %s doesn't define __round__ method",
                 num->type->name);
  return NULL;
}

BUILTIN (iter)
{
  (void) self;
  if (hs_check_no_kwargs (vm, "iter()", kwnames) < 0 || hs_check_nargs (vm, "iter", nargs, 1, 2) < 0)
    return NULL;
  if (nargs == 2)
    {
      if (args[0]->type->call == NULL)
        hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "iter(v, w): v must be callable");
      else
        hs_err_format (vm, HS_EXC (vm, NOT_IMPLEMENTED_ERROR),
                       "iter(callable, sentinel) is not supported by Heapscope");
      return NULL;
    }
  return hs_object_iter (vm, args[0]);
}

BUILTIN (next)
{
  HsObject *r;

  (void) self;
  if (hs_check_no_kwargs (vm, "next()", kwnames) < 0 || hs_check_nargs (vm, "next", nargs, 1, 2) < 0)
    return NULL;
  if (args[0]->type->iternext == NULL)
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "'%s' object is not an iterator",
                     args[0]->type->name);
      return NULL;
    }
  r = hs_iter_next (vm, args[0]);
  if (r != NULL || hs_err_occurred (vm))
    return r;
  if (nargs == 2)
    return hs_incref (args[1]);
  return raise_new (vm, HS_EXC (vm, STOP_ITERATION), NULL, 0);
}

static bool
check_attr_name (HsVm *vm, HsObject *name)
{
  if (is_str (vm, name))
    return true;
  hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "attribute name must be string, not '%s'",
                 name->type->name);
  return false;
}

BUILTIN (getattr)
{
  HsObject *r;

  (void) self;
  if (hs_check_no_kwargs (vm, "getattr()", kwnames) < 0
      || hs_check_nargs (vm, "getattr", nargs, 2, 3) < 0 || !check_attr_name (vm, args[1]))
    return NULL;
  r = hs_object_getattr (vm, args[0], args[1]);
  if (r == NULL && nargs == 3 && hs_err_matches (vm, HS_EXC (vm, ATTRIBUTE_ERROR)))
    {
      hs_err_clear (vm);
      return hs_incref (args[2]);
    }
  return r;
}

BUILTIN (setattr)
{
  (void) self;
  if (hs_check_no_kwargs (vm, "setattr()", kwnames) < 0
      || hs_check_nargs (vm, "setattr", nargs, 3, 3) < 0 || !check_attr_name (vm, args[1])
      || hs_object_setattr (vm, args[0], args[1], args[2]) < 0)
    return NULL;
  return hs_none (vm);
}

BUILTIN (delattr)
{
  (void) self;
  if (hs_check_no_kwargs (vm, "delattr()", kwnames) < 0
      || hs_check_nargs (vm, "delattr", nargs, 2, 2) < 0 || !check_attr_name (vm, args[1])
      || hs_object_setattr (vm, args[0], args[1], NULL) < 0)
    return NULL;
  return hs_none (vm);
}

BUILTIN (hasattr)
{
  HsObject *r;

  (void) self;
  if (hs_check_no_kwargs (vm, "hasattr()", kwnames) < 0
      || hs_check_nargs (vm, "hasattr", nargs, 2, 2) < 0 || !check_attr_name (vm, args[1]))
    return NULL;
  r = hs_object_getattr (vm, args[0], args[1]);
  if (r != NULL)
    {
      hs_decref (vm, r);
      return hs_bool_from (vm, true);
    }
  if (hs_err_matches (vm, HS_EXC (vm, ATTRIBUTE_ERROR)))
    {
      hs_err_clear (vm);
      return hs_bool_from (vm, false);
    }
  return NULL;
}

static bool
is_number (HsVm *vm, HsObject *o)
{
  return HS_IS_SUBTYPE (vm, o, INT) || HS_IS_SUBTYPE (vm, o, BOOL) || HS_IS_SUBTYPE (vm, o, FLOAT);
}

BUILTIN (divmod)
{
  HsObject *q, *r, *t;

  (void) self;
  if (hs_check_no_kwargs (vm, "divmod()", kwnames) < 0
      || hs_check_nargs (vm, "divmod", nargs, 2, 2) < 0)
    return NULL;
  if ((!is_number (vm, args[0]) || !is_number (vm, args[1]))
      && (args[0]->type->flags & HS_TPFLAG_HEAPTYPE) == 0
      && (args[1]->type->flags & HS_TPFLAG_HEAPTYPE) == 0)
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR),
                     "unsupported operand type(s) for divmod(): '%s' and '%s'",
                     args[0]->type->name, args[1]->type->name);
      return NULL;
    }
  q = hs_binary_op (vm, args[0], args[1], HS_BINOP_FLOORDIV);
  if (q == NULL)
    return NULL;
  r = hs_binary_op (vm, args[0], args[1], HS_BINOP_MOD);
  if (r == NULL)
    {
      hs_decref (vm, q);
      return NULL;
    }
  t = hs_tuple_new (vm, 2);
  if (t == NULL)
    {
      hs_decref (vm, q);
      hs_decref (vm, r);
      return NULL;
    }
  hs_tuple_init_item (vm, t, 0, q);
  hs_tuple_init_item (vm, t, 1, r);
  return t;
}

static int64_t
mulmod (int64_t a, int64_t b, int64_t m)
{
  __int128 r = ((__int128) a * b) % m;
  if (r < 0)
    r += m;
  return (int64_t) r;
}

BUILTIN (pow)
{
  static const char *const allowed[] = { "base", "exp", "mod", NULL };
  size_t npos = hs_npos (nargs, kwnames);
  HsObject *base = npos > 0 ? args[0] : hs_kwarg (args, nargs, kwnames, "base");
  HsObject *exp = npos > 1 ? args[1] : hs_kwarg (args, nargs, kwnames, "exp");
  HsObject *mod = npos > 2 ? args[2] : hs_kwarg (args, nargs, kwnames, "mod");
  int64_t b, e, m, r = 1;

  (void) self;
  if (hs_check_kwargs (vm, "pow", kwnames, allowed) < 0)
    return NULL;
  if (nargs > 3)
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "pow() takes at most 3 arguments (%zu given)", nargs);
      return NULL;
    }
  if (base == NULL)
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "pow() missing required argument 'base' (pos 1)");
      return NULL;
    }
  if (exp == NULL)
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "pow() missing required argument 'exp' (pos 2)");
      return NULL;
    }
  if (mod == NULL || mod == vm->none)
    return hs_binary_op (vm, base, exp, HS_BINOP_POW);
  if (!(HS_IS_SUBTYPE (vm, base, INT) || HS_IS_SUBTYPE (vm, base, BOOL))
      || !(HS_IS_SUBTYPE (vm, exp, INT) || HS_IS_SUBTYPE (vm, exp, BOOL))
      || !(HS_IS_SUBTYPE (vm, mod, INT) || HS_IS_SUBTYPE (vm, mod, BOOL)))
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR),
                     "pow() 3rd argument not allowed unless all arguments are integers");
      return NULL;
    }
  b = hs_int_value (base);
  e = hs_int_value (exp);
  m = hs_int_value (mod);
  if (m == 0)
    {
      hs_err_format (vm, HS_EXC (vm, VALUE_ERROR), "pow() 3rd argument cannot be 0");
      return NULL;
    }
  {
    bool neg_mod = m < 0;
    int64_t am = neg_mod ? -m : m;
    b %= am;
    if (b < 0)
      b += am;
    if (e < 0)
      {
        /* the modular inverse, by extended Euclid */
        int64_t t0 = 0, t1 = 1, r0 = am, r1 = b;
        while (r1 != 0)
          {
            int64_t qq = r0 / r1, tmp;
            tmp = t0 - qq * t1; t0 = t1; t1 = tmp;
            tmp = r0 - qq * r1; r0 = r1; r1 = tmp;
          }
        if (r0 != 1)
          {
            hs_err_format (vm, HS_EXC (vm, VALUE_ERROR), "base is not invertible for the given modulus");
            return NULL;
          }
        b = t0 < 0 ? t0 + am : t0;
        e = -e;
      }
    r = am == 1 ? 0 : 1;
    while (e > 0)
      {
        if (e & 1)
          r = mulmod (r, b, am);
        b = mulmod (b, b, am);
        e >>= 1;
      }
    if (neg_mod && r != 0)
      r -= am;
  }
  return hs_int_from_i64 (vm, r);
}

BUILTIN (format)
{
  HsObject *spec;
  HsObject *r;

  (void) self;
  if (hs_check_no_kwargs (vm, "format()", kwnames) < 0
      || hs_check_nargs (vm, "format", nargs, 1, 2) < 0)
    return NULL;
  if (nargs == 2 && !is_str (vm, args[1]))
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "format() argument 2 must be str, not %s",
                     args[1]->type->name);
      return NULL;
    }
  spec = nargs == 2 ? hs_incref (args[1]) : hs_str_from_cstr (vm, "");
  if (spec == NULL)
    return NULL;
  r = hs_format (vm, args[0], spec);
  hs_decref (vm, spec);
  return r;
}

BUILTIN (vars)
{
  HsObject *d;

  (void) self;
  if (hs_check_no_kwargs (vm, "vars()", kwnames) < 0 || hs_check_nargs (vm, "vars", nargs, 1, 1) < 0)
    return NULL;
  d = hs_object_getattr_str (vm, args[0], "__dict__");
  if (d == NULL && hs_err_matches (vm, HS_EXC (vm, ATTRIBUTE_ERROR)))
    {
      hs_err_clear (vm);
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "vars() argument must have __dict__ attribute");
    }
  return d;
}

static int
dir_add_dict (HsVm *vm, HsObject *set, HsObject *dict)
{
  size_t pos = 0;
  HsObject *k;

  while (hs_dict_next (dict, &pos, &k, NULL))
    if (hs_set_add (vm, set, k) < 0)
      return -1;
  return 0;
}

BUILTIN (dir)
{
  HsObject *names, *list, *d;
  HsObject *o;
  HsType *t;

  (void) self;
  if (hs_check_no_kwargs (vm, "dir()", kwnames) < 0 || hs_check_nargs (vm, "dir", nargs, 1, 1) < 0)
    return NULL;
  o = args[0];
  names = hs_set_new (vm, false);
  if (names == NULL)
    return NULL;
  t = HS_IS_SUBTYPE (vm, o, TYPE) ? (HsType *) o : o->type;
  for (; t != NULL; t = t->tp_base)
    {
      if (t->dict != NULL && dir_add_dict (vm, names, t->dict) < 0)
        goto fail;
      if (t->methods != NULL)
        for (const HsMethodDef *m = t->methods; m->name != NULL; m++)
          {
            HsObject *n = hs_str_intern (vm, m->name, strlen (m->name));
            if (n == NULL || hs_set_add (vm, names, n) < 0)
              goto fail;
          }
    }
  d = hs_object_getattr_str (vm, o, "__dict__");
  if (d != NULL)
    {
      int r = HS_IS_SUBTYPE (vm, d, DICT) ? dir_add_dict (vm, names, d) : 0;
      hs_decref (vm, d);
      if (r < 0)
        goto fail;
    }
  else
    hs_err_clear (vm);
  list = hs_sequence_list (vm, names);
  hs_decref (vm, names);
  if (list != NULL && hs_list_sort (vm, list, NULL, false) < 0)
    {
      hs_decref (vm, list);
      return NULL;
    }
  return list;
fail:
  hs_decref (vm, names);
  return NULL;
}

static const HsMethodDef builtin_defs[] = {
  { "print", bi_print, "Prints the values to a stream, or to sys.stdout by default." },
  { "input", bi_input, "Read a string from standard input.  The trailing newline is stripped." },
  { "len", bi_len, "Return the number of items in a container." },
  { "id", bi_id, "Return the identity of an object." },
  { "repr", bi_repr, "Return the canonical string representation of the object." },
  { "ascii", bi_ascii, "Return an ASCII-only representation of an object." },
  { "hash", bi_hash, "Return the hash value for the given object." },
  { "callable", bi_callable, "Return whether the object is callable." },
  { "isinstance", bi_isinstance, "Return whether an object is an instance of a class." },
  { "issubclass", bi_issubclass, "Return whether 'cls' is derived from another class." },
  { "abs", bi_abs, "Return the absolute value of the argument." },
  { "min", bi_min, "Return the smallest item." },
  { "max", bi_max, "Return the largest item." },
  { "sum", bi_sum, "Return the sum of a 'start' value (default: 0) plus an iterable of numbers." },
  { "sorted", bi_sorted, "Return a new list containing all items from the iterable in ascending order." },
  { "any", bi_any, "Return True if bool(x) is True for any x in the iterable." },
  { "all", bi_all, "Return True if bool(x) is True for all values x in the iterable." },
  { "ord", bi_ord, "Return the Unicode code point for a one-character string." },
  { "chr", bi_chr, "Return a Unicode string of one character with ordinal i." },
  { "round", bi_round, "Round a number to a given precision in decimal digits." },
  { "iter", bi_iter, "Get an iterator from an object." },
  { "next", bi_next, "Return the next item from the iterator." },
  { "getattr", bi_getattr, "Get a named attribute from an object." },
  { "setattr", bi_setattr, "Sets the named attribute on the given object to the specified value." },
  { "delattr", bi_delattr, "Deletes the named attribute from the given object." },
  { "hasattr", bi_hasattr, "Return whether the object has an attribute with the given name." },
  { "divmod", bi_divmod, "Return the tuple (x//y, x%y)." },
  { "pow", bi_pow, "Equivalent to base**exp with 2 arguments or base**exp % mod with 3 arguments." },
  { "format", bi_format, "Return value.__format__(format_spec)." },
  { "vars", bi_vars, "Return the __dict__ attribute for a module, class, instance, or object." },
  { "dir", bi_dir, "Return an alphabetized list of names comprising (some of) the attributes of the given object." },
  { NULL, NULL, NULL },
};

/* builtin types published under their names */
static const HsTypeId builtin_type_ids[] = {
  HS_T_OBJECT, HS_T_TYPE, HS_T_INT, HS_T_BOOL, HS_T_FLOAT, HS_T_STR, HS_T_TUPLE, HS_T_LIST,
  HS_T_DICT, HS_T_SET, HS_T_FROZENSET, HS_T_RANGE, HS_T_SLICE, HS_T_ENUMERATE, HS_T_ZIP,
  HS_T_MAP, HS_T_FILTER, HS_T_REVERSED, HS_T_SUPER, HS_T_PROPERTY, HS_T_STATICMETHOD,
  HS_T_CLASSMETHOD,
};

static void
add_builtin (HsVm *vm, const char *name, HsObject *value)
{
  if (value != NULL)
    hs_dict_set_str (vm, vm->builtins, name, value);
}

void
hs_builtins_init (HsVm *vm)
{
  if (vm->builtins == NULL)
    vm->builtins = hs_dict_new (vm);
  if (vm->builtins == NULL)
    return;
  for (const HsMethodDef *d = builtin_defs; d->name != NULL; d++)
    {
      HsObject *f = hs_cfunction_new (vm, d, NULL);
      if (f == NULL)
        return;
      hs_dict_set_stolen (vm, vm->builtins, hs_str_intern (vm, d->name, strlen (d->name)), f);
    }
  for (size_t i = 0; i < sizeof builtin_type_ids / sizeof builtin_type_ids[0]; i++)
    {
      HsType *t = vm->types[builtin_type_ids[i]];
      if (t != NULL)
        add_builtin (vm, t->name, &t->base);
    }
  for (int i = 0; i < HS_EXC__COUNT; i++)
    if (vm->exc_types[i] != NULL)
      add_builtin (vm, vm->exc_types[i]->name, &vm->exc_types[i]->base);
  add_builtin (vm, "NotImplemented", vm->not_implemented);
  add_builtin (vm, "Ellipsis", vm->ellipsis);
  /* every builtin type's methods become descriptors now, before the program runs */
  hs_method_caches_fill (vm);
  for (int i = 0; i < HS_EXC__COUNT; i++)
    if (vm->exc_types[i] != NULL && vm->exc_types[i]->methods != NULL
        && vm->exc_types[i]->methods[0].name != NULL)
      hs_type_lookup (vm, vm->exc_types[i], hs_str_intern (vm, "__init__", 8));
}
