/* hs-types.h — the builtin object types: layouts of the simple ones, APIs of all. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <stdarg.h>

#include "hs-object.h"

/* Every builtin type has a slot in vm->types[].  Type objects are created once per VM
 * (immortal) from static templates with hs_type_register(). */
#define HS_BUILTIN_TYPES(X) \
  X (OBJECT, "object")                  \
  X (TYPE, "type")                      \
  X (NONE, "NoneType")                  \
  X (NOTIMPLEMENTED, "NotImplementedType") \
  X (ELLIPSIS, "ellipsis")              \
  X (INT, "int")                        \
  X (BOOL, "bool")                      \
  X (FLOAT, "float")                    \
  X (STR, "str")                        \
  X (TUPLE, "tuple")                    \
  X (LIST, "list")                      \
  X (DICT, "dict")                      \
  X (SET, "set")                        \
  X (FROZENSET, "frozenset")            \
  X (RANGE, "range")                    \
  X (SLICE, "slice")                    \
  X (STR_ITER, "str_ascii_iterator")    \
  X (TUPLE_ITER, "tuple_iterator")      \
  X (LIST_ITER, "list_iterator")        \
  X (LIST_REVITER, "list_reverseiterator") \
  X (DICT_KEYS, "dict_keys")            \
  X (DICT_VALUES, "dict_values")        \
  X (DICT_ITEMS, "dict_items")          \
  X (DICT_KEYITER, "dict_keyiterator")  \
  X (DICT_VALUEITER, "dict_valueiterator") \
  X (DICT_ITEMITER, "dict_itemiterator") \
  X (SET_ITER, "set_iterator")          \
  X (RANGE_ITER, "range_iterator")      \
  X (ENUMERATE, "enumerate")            \
  X (ZIP, "zip")                        \
  X (MAP, "map")                        \
  X (FILTER, "filter")                  \
  X (REVERSED, "reversed")              \
  X (SEQ_ITER, "iterator")              \
  X (BUILTIN_FUNCTION, "builtin_function_or_method") \
  X (METHOD_DESCRIPTOR, "method_descriptor") \
  X (FUNCTION, "function")              \
  X (CODE, "code")                      \
  X (CELL, "cell")                      \
  X (METHOD, "method")                  \
  X (MODULE, "module")                  \
  X (SUPER, "super")                    \
  X (PROPERTY, "property")              \
  X (STATICMETHOD, "staticmethod")      \
  X (CLASSMETHOD, "classmethod")

typedef enum {
#define HS_X(id, name) HS_T_##id,
  HS_BUILTIN_TYPES (HS_X)
#undef HS_X
  HS_T__COUNT
} HsTypeId;

/* Registers a builtin type: allocates an immortal type object copied from `tmpl`
 * into vm->types[id].  tmpl->tp_base may name another builtin by pointer to its
 * template; hs_type_register() resolves it (register bases first). */
HsType *hs_type_register (HsVm *vm, HsTypeId id, const HsType *tmpl);

#define HS_T(vm, id) ((vm)->types[HS_T_##id])
#define HS_IS_TYPE(vm, o, id) (HS_TYPE (o) == HS_T (vm, id))
#define HS_IS_SUBTYPE(vm, o, id) hs_type_is_subtype (HS_TYPE (o), HS_T (vm, id))

/* ---- int, bool (hs-int.c) ------------------------------------------------ */

typedef struct { HsObject base; int64_t value; } HsInt;   /* bool uses the same layout */

#define HS_SMALL_INT_MIN (-5)
#define HS_SMALL_INT_MAX 256

HsObject *hs_int_from_i64 (HsVm *vm, int64_t v);          /* cached for -5..256 */
static inline int64_t hs_int_value (const HsObject *o) { return ((const HsInt *) o)->value; }
HsObject *hs_bool_from (HsVm *vm, bool b);                  /* new ref to True/False */
/* Parses int("...", base) text; sets ValueError with CPython's message on failure. */
HsObject *hs_int_from_string (HsVm *vm, const char *s, size_t len, int base);
/* Raises OverflowError("Heapscope ints are 64-bit: ... ") style messages. */
HsObject *hs_int_overflow (HsVm *vm, const char *what);
/* The int of x, a float with an integral value (or NaN or an infinity: CPython's
 * ValueError and OverflowError); past 64 bits hs_int_overflow (vm, what). */
HsObject *hs_int_from_integral_double (HsVm *vm, double x, const char *what);

/* ---- float (hs-float.c) -------------------------------------------------- */

typedef struct { HsObject base; double value; } HsFloat;

HsObject *hs_float_from_double (HsVm *vm, double v);
static inline double hs_float_value (const HsObject *o) { return ((const HsFloat *) o)->value; }
/* repr(float) exactly as CPython: shortest round-trip ("0.1", "1e+16", "inf", "nan"). */
size_t    hs_float_repr_buf (double v, char *buf, size_t cap);

/* ---- str (hs-str.c, hs-format.c) ----------------------------------------- */

typedef struct {
  HsObject base;
  size_t   size;      /* bytes of UTF-8, excluding the terminating NUL */
  size_t   length;    /* code points */
  int64_t  hash;      /* -1 until computed */
  bool     ascii;
  bool     interned;
  char     data[];    /* UTF-8, NUL-terminated */
} HsStr;

HsObject   *hs_str_from_utf8 (HsVm *vm, const char *s, size_t len);  /* s must be valid UTF-8 */
HsObject   *hs_str_from_cstr (HsVm *vm, const char *s);
HsObject   *hs_str_printf (HsVm *vm, const char *fmt, ...) __attribute__ ((format (printf, 2, 3)));
/* Interned str for names (attribute names, globals, keywords): one object per text per VM,
 * immortal, so comparing names is comparing pointers. */
HsObject   *hs_str_intern (HsVm *vm, const char *s, size_t len);
static inline const char *hs_str_data (const HsObject *o) { return ((const HsStr *) o)->data; }
static inline size_t      hs_str_size (const HsObject *o) { return ((const HsStr *) o)->size; }
bool        hs_str_equal (const HsObject *a, const HsObject *b);
int64_t     hs_str_hash (HsObject *s);
HsObject   *hs_str_concat (HsVm *vm, HsObject *a, HsObject *b);
/* format(value, spec): the format-spec mini-language for int, float, str and bool;
 * other objects: spec must be empty, then str(value).  Used by f-strings and str.format. */
HsObject   *hs_format (HsVm *vm, HsObject *value, HsObject *spec);

/* ---- tuple (hs-tuple.c) -------------------------------------------------- */

typedef struct { HsObject base; size_t size; HsObject *items[]; } HsTuple;

HsObject *hs_tuple_new (HsVm *vm, size_t size);   /* items NULL; fill with hs_tuple_init_item */
/* Stores a new reference (stolen) at index i of a tuple being built; publishes the REF event. */
void      hs_tuple_init_item (HsVm *vm, HsObject *tuple, size_t i, HsObject *item);
HsObject *hs_tuple_pack (HsVm *vm, size_t n, ...);   /* borrowed args */
static inline size_t    hs_tuple_size (const HsObject *t) { return ((const HsTuple *) t)->size; }
static inline HsObject *hs_tuple_item (const HsObject *t, size_t i) { return ((const HsTuple *) t)->items[i]; }

/* ---- list (hs-list.c) ---------------------------------------------------- */

typedef struct { HsObject base; size_t size; size_t capacity; HsObject **items; } HsList;

HsObject *hs_list_new (HsVm *vm, size_t capacity);
int       hs_list_append (HsVm *vm, HsObject *list, HsObject *item);   /* borrowed item; -1 on error */
int       hs_list_set_item (HsVm *vm, HsObject *list, size_t i, HsObject *item); /* borrowed */
int       hs_list_sort (HsVm *vm, HsObject *list, HsObject *key, bool reverse);
static inline size_t    hs_list_size (const HsObject *l) { return ((const HsList *) l)->size; }
static inline HsObject *hs_list_item (const HsObject *l, size_t i) { return ((const HsList *) l)->items[i]; }

/* ---- dict (hs-dict.c): insertion ordered --------------------------------- */

HsObject *hs_dict_new (HsVm *vm);
/* Borrowed result, NULL if missing (no exception) or on error (exception set: check hs_err_occurred). */
HsObject *hs_dict_get (HsVm *vm, HsObject *dict, HsObject *key);
HsObject *hs_dict_get_str (HsVm *vm, HsObject *dict, const char *key);
int       hs_dict_set (HsVm *vm, HsObject *dict, HsObject *key, HsObject *value);  /* borrowed */
int       hs_dict_set_str (HsVm *vm, HsObject *dict, const char *key, HsObject *value);
int       hs_dict_del (HsVm *vm, HsObject *dict, HsObject *key);   /* KeyError if missing */
int64_t   hs_dict_size (HsObject *dict);
/* Iteration in insertion order: *pos starts at 0; borrowed key/value. */
bool      hs_dict_next (HsObject *dict, size_t *pos, HsObject **key, HsObject **value);
/* Which HS_HOLDER_* kind its values are reported with (GLOBAL for module namespaces). */
void      hs_dict_set_holder_kind (HsObject *dict, HsHolderKind kind);

/* ---- set (hs-set.c) ------------------------------------------------------ */

HsObject *hs_set_new (HsVm *vm, bool frozen);
int       hs_set_add (HsVm *vm, HsObject *set, HsObject *key);
int       hs_set_contains (HsVm *vm, HsObject *set, HsObject *key);
int64_t   hs_set_size (HsObject *set);

/* ---- range, slice (hs-range.c, hs-slice.c) -------------------------------- */

HsObject *hs_slice_new (HsVm *vm, HsObject *start, HsObject *stop, HsObject *step);  /* borrowed */
/* Resolves a slice against a length as PySlice_GetIndicesEx does. */
int       hs_slice_indices (HsVm *vm, HsObject *slice, int64_t length,
                            int64_t *start, int64_t *stop, int64_t *step, int64_t *slicelength);

/* ---- builtin functions and methods (hs-builtins.c) ------------------------ */

/* A C function as a Python object; self may be NULL (a plain builtin) or the bound object. */
HsObject *hs_cfunction_new (HsVm *vm, const HsMethodDef *def, HsObject *self);
/* Argument helpers with CPython's TypeError wording. */
int       hs_check_nargs (HsVm *vm, const char *fname, size_t nargs, size_t min, size_t max);
int       hs_check_no_kwargs (HsVm *vm, const char *fname, HsObject *kwnames);

/* ---- added by the containers helper ---------------------------------------- */
/* A method_descriptor (as returned by hs_type_lookup() for a builtin type's method)
 * bound to self: a builtin method object (new ref).  Other objects: returned as they are. */
HsObject *hs_method_descriptor_bind (HsVm *vm, HsObject *descr, HsObject *self);

/* Added by the numbers helper (hs-format.c): ascii(o), i.e. repr(o) with every non-ASCII
 * character escaped (\xe9, \u20ac, \U0001f600); for the ascii() builtin and f"{x!a}". */
HsObject   *hs_object_ascii (HsVm *vm, HsObject *o);
