/* hs-module.c — module objects: a name and a namespace dict. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <string.h>

#include "hs-internal.h"

HsObject *
hs_module_dict (HsObject *module)
{
  return ((HsModuleObj *) module)->dict;
}

HsObject *
hs_module_new (HsVm *vm, const char *name)
{
  HsModuleObj *m;
  HsObject *n, *d;

  n = hs_str_from_cstr (vm, name);
  if (n == NULL)
    return NULL;
  d = hs_dict_new (vm);
  if (d == NULL)
    {
      hs_decref (vm, n);
      return NULL;
    }
  hs_dict_set_holder_kind (d, HS_HOLDER_GLOBAL);
  m = hs_object_alloc (vm, HS_T (vm, MODULE), sizeof (HsModuleObj));
  if (m == NULL)
    {
      hs_decref (vm, n);
      hs_decref (vm, d);
      return NULL;
    }
  m->name = n;
  m->dict = d;
  if (hs_hooked (vm, HS_EV_REF))
    {
      hs_emit_ref (vm, HS_HOLDER_INTERNAL, m->base.id, 0, "__name__", NULL, n);
      hs_emit_ref (vm, HS_HOLDER_INTERNAL, m->base.id, 1, "__dict__", NULL, d);
    }
  if (hs_dict_set_str (vm, d, "__name__", n) < 0
      || (vm->modules != NULL && hs_dict_set_str (vm, vm->modules, name, &m->base) < 0))
    {
      hs_decref (vm, &m->base);
      return NULL;
    }
  hs_gc_track (vm, &m->base);
  return &m->base;
}

static void
module_clear (HsVm *vm, HsObject *self)
{
  HsModuleObj *m = (HsModuleObj *) self;

  hs_slot_store (vm, &m->dict, NULL, HS_HOLDER_INTERNAL, self->id, 1, "__dict__");
}

static void
module_dealloc (HsVm *vm, HsObject *self)
{
  HsModuleObj *m = (HsModuleObj *) self;

  module_clear (vm, self);
  hs_slot_store (vm, &m->name, NULL, HS_HOLDER_INTERNAL, self->id, 0, "__name__");
  hs_object_free (vm, self);
}

static int
module_traverse (HsObject *self, HsVisitProc visit, void *arg)
{
  HsModuleObj *m = (HsModuleObj *) self;
  int r;

  if (m->name != NULL && (r = visit (m->name, arg)) != 0)
    return r;
  return m->dict != NULL ? visit (m->dict, arg) : 0;
}

static HsObject *
module_repr (HsVm *vm, HsObject *self)
{
  HsModuleObj *m = (HsModuleObj *) self;

  if (strcmp (hs_str_data (m->name), "__main__") == 0)
    return hs_str_printf (vm, "<module '__main__'>");
  return hs_str_printf (vm, "<module '%s' (built-in)>", hs_str_data (m->name));
}

static HsObject *
module_getattr (HsVm *vm, HsObject *self, HsObject *name)
{
  HsModuleObj *m = (HsModuleObj *) self;
  HsObject *v;

  if (m->dict != NULL)
    {
      v = hs_dict_get (vm, m->dict, name);
      if (v != NULL)
        return hs_incref (v);
      if (hs_err_occurred (vm))
        return NULL;
    }
  if (strcmp (hs_str_data (name), "__dict__") == 0 && m->dict != NULL)
    return hs_incref (m->dict);
  if (strcmp (hs_str_data (name), "__class__") == 0)
    return hs_incref ((HsObject *) self->type);
  hs_err_format (vm, HS_EXC (vm, ATTRIBUTE_ERROR), "module '%s' has no attribute '%s'",
                 hs_str_data (m->name), hs_str_data (name));
  return NULL;
}

static int
module_setattr (HsVm *vm, HsObject *self, HsObject *name, HsObject *value)
{
  HsModuleObj *m = (HsModuleObj *) self;

  if (value == NULL)
    {
      if (hs_dict_get (vm, m->dict, name) == NULL)
        {
          hs_err_format (vm, HS_EXC (vm, ATTRIBUTE_ERROR), "module '%s' has no attribute '%s'",
                         hs_str_data (m->name), hs_str_data (name));
          return -1;
        }
      return hs_dict_del (vm, m->dict, name);
    }
  return hs_dict_set (vm, m->dict, name, value);
}

static void
module_describe (HsVm *vm, HsObject *self, char *buf, size_t cap)
{
  HsModuleObj *m = (HsModuleObj *) self;

  snprintf (buf, cap, "module %s", m->name != NULL ? hs_str_data (m->name) : "?");
}

static const HsType module_template = {
  .name = "module",
  .flags = HS_TPFLAG_GC | HS_TPFLAG_BASETYPE,
  .basic_size = sizeof (HsModuleObj),
  .dealloc = module_dealloc,
  .traverse = module_traverse,
  .clear = module_clear,
  .repr = module_repr,
  .getattr = module_getattr,
  .setattr = module_setattr,
  .describe = module_describe,
};

void
hs_module_type_init (HsVm *vm)
{
  hs_type_register (vm, HS_T_MODULE, &module_template);
}

int
hs_module_set_new (HsVm *vm, HsObject *dict, const char *name, HsObject *value)
{
  int r;

  if (value == NULL)
    return -1;
  r = hs_dict_set_str (vm, dict, name, value);
  hs_decref (vm, value);
  return r;
}
