/* hs-sys.c — the sys module: refcounts, sizes, the recursion limit, exit. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdint.h>
#include <string.h>

#include "hs-internal.h"
#include "hs-vm.h"

static HsObject *
sys_getrefcount (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  if (hs_check_no_kwargs (vm, "getrefcount", kwnames) < 0)
    return NULL;
  if (nargs != 1)
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "sys.getrefcount() takes exactly one argument (%zu given)", nargs);
      return NULL;
    }
  /* The argument is borrowed from the caller's value stack: its count already
   * includes that temporary reference, as CPython's does. */
  return hs_int_from_i64 (vm, (int64_t) args[0]->refcnt);
}

static HsObject *
sys_getsizeof (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  if (hs_check_no_kwargs (vm, "getsizeof", kwnames) < 0
      || hs_check_nargs (vm, "getsizeof", nargs, 1, 2) < 0)
    return NULL;
  return hs_int_from_i64 (vm, (int64_t) hs_object_sizeof (args[0]));
}

static HsObject *
sys_getrecursionlimit (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  if (hs_check_nargs (vm, "getrecursionlimit", nargs, 0, 0) < 0)
    return NULL;
  return hs_int_from_i64 (vm, vm->config.recursion_limit);
}

static HsObject *
sys_setrecursionlimit (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  int64_t n;

  if (hs_check_no_kwargs (vm, "setrecursionlimit", kwnames) < 0
      || hs_check_nargs (vm, "setrecursionlimit", nargs, 1, 1) < 0)
    return NULL;
  if (args[0]->type == HS_T (vm, FLOAT))
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "'float' object cannot be interpreted as an integer");
      return NULL;
    }
  if (hs_index_value (vm, args[0], &n) < 0)
    return NULL;
  if (n < 1)
    {
      hs_err_format (vm, HS_EXC (vm, VALUE_ERROR), "recursion limit must be greater or equal than 1");
      return NULL;
    }
  if (n > 1000000)
    n = 1000000;   /* frames are not on the C stack, but memory still is finite */
  if (n <= vm->depth)
    {
      hs_err_format (vm, HS_EXC (vm, RECURSION_ERROR),
                     "cannot set the recursion limit to %d at the recursion depth %d: the limit is too low",
                     (int) n, vm->depth);
      return NULL;
    }
  vm->config.recursion_limit = (int) n;
  return hs_incref (vm->none);
}

static HsObject *
sys_exit (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  HsObject *exc, *t;

  if (hs_check_no_kwargs (vm, "exit", kwnames) < 0
      || hs_check_nargs (vm, "exit", nargs, 0, 1) < 0)
    return NULL;
  t = nargs == 1 ? hs_tuple_pack (vm, 1, args[0]) : hs_incref (vm->empty_tuple);
  if (t == NULL)
    return NULL;
  exc = hs_exception_new (vm, HS_EXC (vm, SYSTEM_EXIT), t);
  hs_decref (vm, t);
  if (exc == NULL)
    return NULL;
  hs_err_set_object (vm, exc);
  hs_decref (vm, exc);
  return NULL;
}

static HsObject *
sys_intern (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  if (hs_check_nargs (vm, "intern", nargs, 1, 1) < 0)
    return NULL;
  if (args[0]->type != HS_T (vm, STR))
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "intern() argument must be str, not %s", hs_object_type_name (args[0]));
      return NULL;
    }
  return hs_incref (hs_str_intern (vm, hs_str_data (args[0]), hs_str_size (args[0])));
}

static const HsMethodDef sys_functions[] = {
  { "getrefcount", sys_getrefcount, NULL },
  { "getsizeof", sys_getsizeof, NULL },
  { "getrecursionlimit", sys_getrecursionlimit, NULL },
  { "setrecursionlimit", sys_setrecursionlimit, NULL },
  { "exit", sys_exit, NULL },
  { "intern", sys_intern, NULL },
  { NULL, NULL, NULL },
};

void
hs_sys_init (HsVm *vm)
{
  HsInterp *in = HS_INTERP (vm);
  HsObject *m = hs_module_new (vm, "sys");
  HsObject *d;
  const HsMethodDef *def;

  if (m == NULL)
    return;
  in->sys_module = m;
  d = hs_module_dict (m);
  for (def = sys_functions; def->name != NULL; def++)
    hs_module_set_new (vm, d, def->name, hs_cfunction_new (vm, def, NULL));
  hs_module_set_new (vm, d, "maxsize", hs_int_from_i64 (vm, INT64_MAX));
  hs_module_set_new (vm, d, "byteorder", hs_str_from_cstr (vm, "little"));
  hs_module_set_new (vm, d, "platform", hs_str_from_cstr (vm, "linux"));
  hs_module_set_new (vm, d, "version", hs_str_from_cstr (vm, "3.11.0 (Heapscope " "0.1" ")"));
  {
    HsObject *major = hs_int_from_i64 (vm, 3), *minor = hs_int_from_i64 (vm, 11);
    HsObject *micro = hs_int_from_i64 (vm, 0), *rel = hs_str_from_cstr (vm, "final");
    if (major && minor && micro && rel)
      hs_module_set_new (vm, d, "version_info", hs_tuple_pack (vm, 5, major, minor, micro, rel, micro));
    HS_XDECREF (vm, major);
    HS_XDECREF (vm, minor);
    HS_XDECREF (vm, micro);
    HS_XDECREF (vm, rel);
  }
  if (hs_err_occurred (vm))
    hs_err_clear (vm);
  /* sys.modules holds it; the interpreter's pointer is borrowed. */
  hs_decref (vm, m);
}
