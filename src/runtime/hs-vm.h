/* hs-vm.h — the interpreter's private state (frames, exception state, deferred frees). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "hs-internal.h"

typedef struct {
  /* Deferred deallocation (like CPython's trashcan): deep chains are freed in a loop. */
  HsObject **trash;
  size_t     n_trash;
  size_t     cap_trash;
  int        dealloc_depth;

  /* The exception being handled by an `except` block (borrowed; the frame holds it). */
  HsObject  *handling;
  /* A preallocated MemoryError: raising it never needs memory. */
  HsObject  *memory_error;

  /* The frame stack: frames and their value stacks live in one preallocated block. */
  void      *frames_base;
  size_t     frames_size;
  void      *frames_top;

  /* The interpreter's own module objects. */
  HsObject  *sys_module;
  HsObject  *gc_module;
  HsObject  *main_module;

  void      *class_state;     /* hs-class.c: interned dunder names */

  HsObject  *stop_exc;        /* preallocated: unwinds the program on a limit or interrupt */
  int        eval_nesting;    /* interpreter loops nested on the C stack */
  int        stop_result;     /* HsResult once a limit or interrupt stops the run, else 0 */
  bool       output_stopped;
  char       limit_message[96]; /* which limit stopped the run ("step limit of ... reached") */
  uint32_t   limit_line;        /* and where: the line about to run, or the one writing */

  const char *source;         /* the running program's text, for tracebacks */
  size_t      source_len;
  const char *filename;
} HsInterp;

#define HS_INTERP(vm) ((HsInterp *) (vm)->interp)

/* The exception currently handled by an except block, or NULL (borrowed). */
HsObject *hs_vm_handled_exception (HsVm *vm);

/* Source text of a line of the running program (tracebacks); NULL if unknown. */
const char *hs_vm_source_line (HsVm *vm, uint32_t lineno, size_t *len);

/* hs-class.c: when calling class cls is object.__new__ then a Python __init__ (a plain
 * class, no custom __new__), that __init__ (borrowed); else NULL.  The VM then runs the
 * __init__ frame inline instead of through type_call. */
HsObject *hs_class_simple_init (HsVm *vm, HsType *cls);
