/* hs-gcmodule.c — the gc module: the collector's interface for programs. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <limits.h>
#include <string.h>

#include "hs-internal.h"

#define GEN_HEAD(vm, i) (&(vm)->gc.generations[(i)].head)

/* ---- argument checks, worded as CPython 3.11 words them for each function ---- */

static size_t
n_kwargs (HsObject *kwnames)
{
  return kwnames != NULL ? hs_tuple_size (kwnames) : 0;
}

/* METH_NOARGS functions: "gc.enable() takes no arguments (1 given)". */
static bool
check_noargs (HsVm *vm, const char *name, size_t nargs, HsObject *kwnames)
{
  if (n_kwargs (kwnames) > 0)
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "gc.%s() takes no keyword arguments", name);
      return false;
    }
  if (nargs != 0)
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "gc.%s() takes no arguments (%zu given)",
                     name, nargs);
      return false;
    }
  return true;
}

/* METH_O functions: "gc.is_tracked() takes exactly one argument (0 given)". */
static bool
check_onearg (HsVm *vm, const char *name, size_t nargs, HsObject *kwnames)
{
  if (n_kwargs (kwnames) > 0)
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "gc.%s() takes no keyword arguments", name);
      return false;
    }
  if (nargs != 1)
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR),
                     "gc.%s() takes exactly one argument (%zu given)", name, nargs);
      return false;
    }
  return true;
}

/* METH_VARARGS functions reject keywords: "get_referrers() takes no keyword arguments". */
static bool
check_no_kw (HsVm *vm, const char *name, HsObject *kwnames)
{
  if (n_kwargs (kwnames) > 0)
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "%s() takes no keyword arguments", name);
      return false;
    }
  return true;
}

/* One optional argument named "generation", by position or keyword (Argument Clinic).
 * *arg is left untouched when it is not given. */
static bool
parse_generation_arg (HsVm *vm, const char *name, HsObject *const *args, size_t nargs,
                      HsObject *kwnames, HsObject **arg)
{
  size_t nkw = n_kwargs (kwnames);

  if (nargs > 1)
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "%s() takes at most 1 argument (%zu given)",
                     name, nargs);
      return false;
    }
  if (nkw == 1)
    {
      HsObject *kw = hs_tuple_item (kwnames, 0);
      if (strcmp (hs_str_data (kw), "generation") != 0)
        {
          hs_err_format (vm, HS_EXC (vm, TYPE_ERROR),
                         "'%s' is an invalid keyword argument for %s()", hs_str_data (kw), name);
          return false;
        }
    }
  if (nargs == 1)
    *arg = args[0];
  return true;
}

static bool
is_int (HsVm *vm, HsObject *o)
{
  return hs_type_is_subtype (o->type, HS_T (vm, INT));
}

static bool
int_arg (HsVm *vm, HsObject *o, int64_t *out)
{
  if (!is_int (vm, o))
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "'%s' object cannot be interpreted as an integer",
                     hs_object_type_name (o));
      return false;
    }
  *out = hs_int_value (o);
  return true;
}

/* Argument Clinic's `int` converter. */
static bool
c_int_arg (HsVm *vm, HsObject *o, int *out)
{
  int64_t v;

  if (!int_arg (vm, o, &v))
    return false;
  if (v < INT_MIN || v > INT_MAX)
    {
      hs_err_format (vm, HS_EXC (vm, OVERFLOW_ERROR), "Python int too large to convert to C int");
      return false;
    }
  *out = (int) v;
  return true;
}

static HsObject *
new_none (HsVm *vm)
{
  return hs_incref (vm->none);
}

/* ---- the functions -------------------------------------------------------- */

static HsObject *
gc_collect_fn (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  HsObject *arg = NULL;
  int generation = HS_GC_GENERATIONS - 1;
  int64_t n;

  if (!parse_generation_arg (vm, "collect", args, nargs, kwnames, &arg))
    return NULL;
  if (arg != NULL && !c_int_arg (vm, arg, &generation))
    return NULL;
  n = hs_gc_collect (vm, generation);
  if (n < 0)
    return NULL;
  return hs_int_from_i64 (vm, n);
}

static HsObject *
gc_enable_fn (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  if (!check_noargs (vm, "enable", nargs, kwnames))
    return NULL;
  vm->gc.enabled = true;
  return new_none (vm);
}

static HsObject *
gc_disable_fn (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  if (!check_noargs (vm, "disable", nargs, kwnames))
    return NULL;
  vm->gc.enabled = false;
  return new_none (vm);
}

static HsObject *
gc_isenabled_fn (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  if (!check_noargs (vm, "isenabled", nargs, kwnames))
    return NULL;
  return hs_bool_from (vm, vm->gc.enabled);
}

static HsObject *
int_triple (HsVm *vm, int64_t a, int64_t b, int64_t c)
{
  int64_t v[3] = { a, b, c };
  HsObject *t = hs_tuple_new (vm, 3);
  size_t i;

  if (t == NULL)
    return NULL;
  for (i = 0; i < 3; i++)
    {
      HsObject *item = hs_int_from_i64 (vm, v[i]);
      if (item == NULL)
        {
          /* Fill the rest so the tuple can be released whole. */
          for (; i < 3; i++)
            hs_tuple_init_item (vm, t, i, hs_incref (vm->none));
          hs_decref (vm, t);
          return NULL;
        }
      hs_tuple_init_item (vm, t, i, item);
    }
  return t;
}

static HsObject *
gc_get_count_fn (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  if (!check_noargs (vm, "get_count", nargs, kwnames))
    return NULL;
  return int_triple (vm, vm->gc.generations[0].count, vm->gc.generations[1].count,
                     vm->gc.generations[2].count);
}

static HsObject *
gc_get_threshold_fn (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs,
                     HsObject *kwnames)
{
  if (!check_noargs (vm, "get_threshold", nargs, kwnames))
    return NULL;
  return int_triple (vm, vm->gc.generations[0].threshold, vm->gc.generations[1].threshold,
                     vm->gc.generations[2].threshold);
}

static HsObject *
gc_set_threshold_fn (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs,
                     HsObject *kwnames)
{
  size_t i;

  if (!check_no_kw (vm, "set_threshold", kwnames))
    return NULL;
  if (nargs < 1)
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR),
                     "set_threshold() takes at least 1 argument (%zu given)", nargs);
      return NULL;
    }
  if (nargs > 3)
    {
      hs_err_format (vm, HS_EXC (vm, TYPE_ERROR),
                     "set_threshold() takes at most 3 arguments (%zu given)", nargs);
      return NULL;
    }
  /* As PyArg_ParseTuple("i|ii") does: each value is stored as soon as it converts. */
  for (i = 0; i < nargs; i++)
    {
      int64_t v;

      if (!int_arg (vm, args[i], &v))
        break;
      if (v > INT_MAX)
        {
          hs_err_format (vm, HS_EXC (vm, OVERFLOW_ERROR), "signed integer is greater than maximum");
          break;
        }
      if (v < INT_MIN)
        {
          hs_err_format (vm, HS_EXC (vm, OVERFLOW_ERROR), "signed integer is less than minimum");
          break;
        }
      vm->gc.generations[i].threshold = (int) v;
    }
  /* Values stored before an error stay set: publish whatever changed. */
  if (i > 0)
    hs_gc_emit_thresholds (vm);
  if (i < nargs)
    return NULL;
  return new_none (vm);
}

static HsObject *
gc_get_stats_fn (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  HsGcGenStats stats[HS_GC_GENERATIONS];
  HsObject *result;
  int i;

  if (!check_noargs (vm, "get_stats", nargs, kwnames))
    return NULL;
  /* A snapshot first: building the result may itself trigger a collection. */
  memcpy (stats, vm->gc.stats, sizeof stats);
  result = hs_list_new (vm, HS_GC_GENERATIONS);
  if (result == NULL)
    return NULL;
  for (i = 0; i < HS_GC_GENERATIONS; i++)
    {
      const char *keys[3] = { "collections", "collected", "uncollectable" };
      int64_t values[3] = { stats[i].collections, stats[i].collected, stats[i].uncollectable };
      HsObject *d = hs_dict_new (vm);
      int k;

      if (d == NULL)
        goto fail;
      for (k = 0; k < 3; k++)
        {
          HsObject *v = hs_int_from_i64 (vm, values[k]);
          if (v == NULL || hs_dict_set_str (vm, d, keys[k], v) < 0)
            {
              hs_xdecref (vm, v);
              hs_decref (vm, d);
              goto fail;
            }
          hs_decref (vm, v);
        }
      if (hs_list_append (vm, result, d) < 0)
        {
          hs_decref (vm, d);
          goto fail;
        }
      hs_decref (vm, d);
    }
  return result;

fail:
  hs_decref (vm, result);
  return NULL;
}

static int
append_list_objects (HsVm *vm, HsObject *result, HsGcHead *list)
{
  HsGcHead *g;

  for (g = list->next; g != list; g = g->next)
    {
      HsObject *op = HS_GC_OBJECT (g);
      if (op == result)
        continue;
      if (hs_list_append (vm, result, op) < 0)
        return -1;
    }
  return 0;
}

static HsObject *
gc_get_objects_fn (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs,
                   HsObject *kwnames)
{
  HsObject *arg = NULL;
  int64_t generation = -1;
  HsObject *result;
  int i;

  if (!parse_generation_arg (vm, "get_objects", args, nargs, kwnames, &arg))
    return NULL;
  if (arg != NULL && arg != vm->none)
    {
      if (!is_int (vm, arg))
        {
          hs_err_format (vm, HS_EXC (vm, TYPE_ERROR), "argument should be integer or None, not '%s'",
                         hs_object_type_name (arg));
          return NULL;
        }
      generation = hs_int_value (arg);
      if (generation >= HS_GC_GENERATIONS)
        {
          hs_err_format (vm, HS_EXC (vm, VALUE_ERROR),
                         "generation parameter must be less than the number of available "
                         "generations (%d)", HS_GC_GENERATIONS);
          return NULL;
        }
      /* As 3.11: -1 means "all", like None. */
      if (generation < -1)
        {
          hs_err_format (vm, HS_EXC (vm, VALUE_ERROR), "generation parameter cannot be negative");
          return NULL;
        }
    }
  result = hs_list_new (vm, 0);
  if (result == NULL)
    return NULL;
  for (i = 0; i < HS_GC_GENERATIONS; i++)
    {
      if (generation >= 0 && i != generation)
        continue;
      if (append_list_objects (vm, result, GEN_HEAD (vm, i)) < 0)
        {
          hs_decref (vm, result);
          return NULL;
        }
    }
  return result;
}

typedef struct {
  HsObject *const *objs;
  size_t           n;
} ReferrersArg;

static int
visit_referrer (HsObject *target, void *arg)
{
  ReferrersArg *r = arg;
  size_t i;

  for (i = 0; i < r->n; i++)
    if (r->objs[i] == target)
      return 1;
  return 0;
}

static HsObject *
gc_get_referrers_fn (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs,
                     HsObject *kwnames)
{
  ReferrersArg r = { args, nargs };
  HsObject *result;
  int i;

  if (!check_no_kw (vm, "get_referrers", kwnames))
    return NULL;
  result = hs_list_new (vm, 0);
  if (result == NULL)
    return NULL;
  for (i = 0; i < HS_GC_GENERATIONS; i++)
    {
      HsGcHead *list = GEN_HEAD (vm, i);
      HsGcHead *g;

      for (g = list->next; g != list; g = g->next)
        {
          HsObject *op = HS_GC_OBJECT (g);

          if (op == result || op->type->traverse == NULL)
            continue;
          if (op->type->traverse (op, visit_referrer, &r) != 0
              && hs_list_append (vm, result, op) < 0)
            {
              hs_decref (vm, result);
              return NULL;
            }
        }
    }
  return result;
}

typedef struct {
  HsVm     *vm;
  HsObject *result;
} ReferentsArg;

static int
visit_referent (HsObject *target, void *arg)
{
  ReferentsArg *r = arg;

  return hs_list_append (r->vm, r->result, target) < 0 ? -1 : 0;
}

static HsObject *
gc_get_referents_fn (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs,
                     HsObject *kwnames)
{
  ReferentsArg r;
  size_t i;

  if (!check_no_kw (vm, "get_referents", kwnames))
    return NULL;
  r.vm = vm;
  r.result = hs_list_new (vm, 0);
  if (r.result == NULL)
    return NULL;
  for (i = 0; i < nargs; i++)
    {
      HsObject *o = args[i];

      if (!(o->type->flags & HS_TPFLAG_GC) || o->type->traverse == NULL)
        continue;
      if (o->type->traverse (o, visit_referent, &r) != 0)
        {
          hs_decref (vm, r.result);
          return NULL;
        }
    }
  return r.result;
}

static HsObject *
gc_is_tracked_fn (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs,
                  HsObject *kwnames)
{
  if (!check_onearg (vm, "is_tracked", nargs, kwnames))
    return NULL;
  return hs_bool_from (vm, hs_gc_is_tracked (args[0]));
}

static HsObject *
gc_is_finalized_fn (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs,
                    HsObject *kwnames)
{
  HsObject *o;

  if (!check_onearg (vm, "is_finalized", nargs, kwnames))
    return NULL;
  o = args[0];
  return hs_bool_from (vm, (o->type->flags & HS_TPFLAG_GC) && (o->flags & HS_OBJ_FINALIZED));
}

static HsObject *
gc_freeze_fn (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  if (!check_noargs (vm, "freeze", nargs, kwnames))
    return NULL;
  hs_gc_freeze (vm);
  return new_none (vm);
}

static HsObject *
gc_unfreeze_fn (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  if (!check_noargs (vm, "unfreeze", nargs, kwnames))
    return NULL;
  hs_gc_unfreeze (vm);
  return new_none (vm);
}

static HsObject *
gc_get_freeze_count_fn (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs,
                        HsObject *kwnames)
{
  if (!check_noargs (vm, "get_freeze_count", nargs, kwnames))
    return NULL;
  return hs_int_from_i64 (vm, hs_gc_list_size (&vm->gc.permanent.head));
}

static HsObject *
gc_set_debug_fn (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  int flags;

  if (!check_onearg (vm, "set_debug", nargs, kwnames))
    return NULL;
  if (!c_int_arg (vm, args[0], &flags))
    return NULL;
  vm->gc.debug = flags;
  return new_none (vm);
}

static HsObject *
gc_get_debug_fn (HsVm *vm, HsObject *self, HsObject *const *args, size_t nargs, HsObject *kwnames)
{
  if (!check_noargs (vm, "get_debug", nargs, kwnames))
    return NULL;
  return hs_int_from_i64 (vm, vm->gc.debug);
}

static const HsMethodDef gc_functions[] = {
  { "enable", gc_enable_fn, "Enable automatic garbage collection." },
  { "disable", gc_disable_fn, "Disable automatic garbage collection." },
  { "isenabled", gc_isenabled_fn, "Returns true if automatic garbage collection is enabled." },
  { "set_debug", gc_set_debug_fn, "Set the garbage collection debugging flags." },
  { "get_debug", gc_get_debug_fn, "Get the garbage collection debugging flags." },
  { "get_count", gc_get_count_fn, "Return a three-tuple of the current collection counts." },
  { "set_threshold", gc_set_threshold_fn, "Set the collection thresholds." },
  { "get_threshold", gc_get_threshold_fn, "Return the current collection thresholds." },
  { "collect", gc_collect_fn, "Run the garbage collector." },
  { "get_objects", gc_get_objects_fn, "Return a list of objects tracked by the collector." },
  { "get_stats", gc_get_stats_fn, "Return a list of dictionaries containing per-generation statistics." },
  { "is_tracked", gc_is_tracked_fn, "Returns true if the object is tracked by the garbage collector." },
  { "is_finalized", gc_is_finalized_fn, "Returns true if the object has been already finalized by the GC." },
  { "get_referrers", gc_get_referrers_fn, "Return the list of objects that directly refer to any of objs." },
  { "get_referents", gc_get_referents_fn, "Return the list of objects that are directly referred to by objs." },
  { "freeze", gc_freeze_fn, "Freeze all current tracked objects and ignore them for future collections." },
  { "unfreeze", gc_unfreeze_fn, "Unfreeze all objects in the permanent generation." },
  { "get_freeze_count", gc_get_freeze_count_fn, "Return the number of objects in the permanent generation." },
  { NULL, NULL, NULL },
};

static bool
set_value (HsVm *vm, HsObject *dict, const char *name, HsObject *value)
{
  int rc;

  if (value == NULL)
    return false;
  rc = hs_dict_set_str (vm, dict, name, value);
  hs_decref (vm, value);
  return rc == 0;
}

void
hs_gcmodule_init (HsVm *vm)
{
  static const struct { const char *name; int value; } constants[] = {
    { "DEBUG_STATS", HS_GC_DEBUG_STATS },
    { "DEBUG_COLLECTABLE", HS_GC_DEBUG_COLLECTABLE },
    { "DEBUG_UNCOLLECTABLE", HS_GC_DEBUG_UNCOLLECTABLE },
    { "DEBUG_SAVEALL", HS_GC_DEBUG_SAVEALL },
    { "DEBUG_LEAK", HS_GC_DEBUG_LEAK },
  };
  HsObject *module = hs_module_new (vm, "gc");
  HsObject *dict;
  size_t i;

  if (module == NULL)
    {
      hs_err_clear (vm);
      return;
    }
  dict = hs_module_dict (module);
  for (i = 0; gc_functions[i].name != NULL; i++)
    if (!set_value (vm, dict, gc_functions[i].name, hs_cfunction_new (vm, &gc_functions[i], NULL)))
      goto out;
  for (i = 0; i < sizeof constants / sizeof constants[0]; i++)
    if (!set_value (vm, dict, constants[i].name, hs_int_from_i64 (vm, constants[i].value)))
      goto out;
  if (vm->gc.garbage != NULL && hs_dict_set_str (vm, dict, "garbage", vm->gc.garbage) < 0)
    goto out;
  if (vm->gc.callbacks != NULL)
    hs_dict_set_str (vm, dict, "callbacks", vm->gc.callbacks);

out:
  if (hs_err_occurred (vm))
    hs_err_clear (vm);
  hs_decref (vm, module);
}
