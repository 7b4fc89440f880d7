/* hs-abstract.h — the generic object protocol (what the VM calls for any object) and errors. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "hs-object.h"
#include "hs-types.h"

/* ---- errors (hs-error.c) --------------------------------------------------
 * As in CPython: a function that fails sets the VM's current exception and returns
 * NULL / -1.  Exception types are in vm->exc_types[] (hs-internal.h). */

void      hs_err_format (HsVm *vm, HsType *type, const char *fmt, ...) __attribute__ ((format (printf, 3, 4)));
void      hs_err_set_object (HsVm *vm, HsObject *exc);   /* borrowed exception instance */
bool      hs_err_occurred (HsVm *vm);
bool      hs_err_matches (HsVm *vm, HsType *type);        /* current exception is type or a subclass */
HsObject *hs_err_fetch (HsVm *vm);                        /* takes the exception (new ref), clears it */
void      hs_err_clear (HsVm *vm);
HsObject *hs_err_no_memory (HsVm *vm);                    /* MemoryError; returns NULL */

/* ---- generic protocol (hs-abstract.c) ------------------------------------ */

HsObject *hs_object_repr (HsVm *vm, HsObject *o);          /* str object */
HsObject *hs_object_str (HsVm *vm, HsObject *o);
bool      hs_object_hash (HsVm *vm, HsObject *o, int64_t *out);
HsObject *hs_object_richcompare (HsVm *vm, HsObject *a, HsObject *b, HsCompareOp op);
int       hs_object_richcompare_bool (HsVm *vm, HsObject *a, HsObject *b, HsCompareOp op); /* 1/0/-1 */
int       hs_object_is_true (HsVm *vm, HsObject *o);                                         /* 1/0/-1 */
HsObject *hs_binary_op (HsVm *vm, HsObject *a, HsObject *b, HsBinaryOp op);
HsObject *hs_inplace_op (HsVm *vm, HsObject *a, HsObject *b, HsBinaryOp op);
HsObject *hs_unary_op (HsVm *vm, HsObject *o, HsUnaryOp op);
int64_t   hs_object_len (HsVm *vm, HsObject *o);                                            /* -1 on error */
HsObject *hs_object_getitem (HsVm *vm, HsObject *o, HsObject *key);
int       hs_object_setitem (HsVm *vm, HsObject *o, HsObject *key, HsObject *value);
int       hs_object_delitem (HsVm *vm, HsObject *o, HsObject *key);
int       hs_object_contains (HsVm *vm, HsObject *container, HsObject *item);                /* 1/0/-1 */
HsObject *hs_object_iter (HsVm *vm, HsObject *o);
/* Next item (new ref); NULL with no exception set when exhausted. */
HsObject *hs_iter_next (HsVm *vm, HsObject *iter);
HsObject *hs_object_getattr (HsVm *vm, HsObject *o, HsObject *name);   /* name: str */
HsObject *hs_object_getattr_str (HsVm *vm, HsObject *o, const char *name);
int       hs_object_setattr (HsVm *vm, HsObject *o, HsObject *name, HsObject *value);  /* value NULL: del */
/* Calls any callable: functions run on the VM (re-entrantly), C functions directly. */
HsObject *hs_object_call (HsVm *vm, HsObject *callable, HsObject *const *args, size_t nargs,
                          HsObject *kwnames);
HsObject *hs_object_call_method (HsVm *vm, HsObject *self, const char *name,
                                 HsObject *const *args, size_t nargs);
bool      hs_object_is_instance (HsVm *vm, HsObject *o, HsObject *cls_or_tuple, int *error);
/* The object's type name as users see it ("int", or the class name). */
const char *hs_object_type_name (const HsObject *o);
/* Collects an iterable into a new list (new ref). */
HsObject *hs_sequence_list (HsVm *vm, HsObject *iterable);
/* Converts an index-like object to int64 (int, bool), TypeError otherwise. */
int       hs_index_value (HsVm *vm, HsObject *o, int64_t *out);
/* Generic lookup of a name on a type and its bases: the type's methods table, then
 * its dict for heap types.  Returns a borrowed object or NULL (no exception set). */
HsObject *hs_type_lookup (HsVm *vm, HsType *type, HsObject *name);
