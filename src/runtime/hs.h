/* hs.h — the embedding API of Heapscope's mini-runtime (plain C, no GLib). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hs-event.h"

typedef struct HsVm HsVm;

typedef enum {
  HS_PROFILE_TUTORIAL, /* literals are created when evaluated; code keeps no reference */
  HS_PROFILE_CPYTHON,  /* code constants hold a reference, as CPython's co_consts do */
} HsProfile;

typedef enum {
  HS_RESULT_OK,
  HS_RESULT_SYNTAX_ERROR,   /* SyntaxError / IndentationError / TabError, reported on stderr */
  HS_RESULT_RUNTIME_ERROR,  /* an uncaught exception, traceback reported on stderr */
  HS_RESULT_EXIT,           /* sys.exit(); hs_vm_exit_status() tells the status */
  HS_RESULT_LIMIT,          /* step limit or output cap reached (message on stderr) */
  HS_RESULT_CANCELLED,      /* the hook or hs_vm_interrupt() asked to stop */
} HsResult;

typedef enum {
  HS_STREAM_STDOUT = 1,
  HS_STREAM_STDERR = 2,
} HsStream;

typedef struct {
  /* Program output.  NULL: stdout/stderr of the process. */
  void     (*write) (void *user_data, HsStream stream, const char *text, size_t len);
  /* input(): the next line of input without its newline, malloc()ed (*len bytes, any
   * encoding errors are replaced), or NULL at the end of the input (EOFError).  It may
   * block.  NULL: a line of the process's stdin. */
  char    *(*read_line) (void *user_data, size_t *len);
  /* input() writes the line it read, and a newline, to stdout: the transcript a
   * terminal shows (for a host that has no terminal to echo it). */
  bool       echo_input;
  /* Event hook and the kinds it wants (HS_EVMASK(...)).  NULL or 0: no events, near-zero cost. */
  HsHookFunc hook;
  uint32_t   hook_mask;
  void      *user_data;

  HsProfile  profile;
  uint64_t   step_limit;       /* line events; 0 = unlimited.  Default 10,000,000 */
  size_t     heap_limit;       /* bytes of program objects; 0 = unlimited.  Default 256 MiB */
  size_t     output_limit;     /* bytes of program output; 0 = unlimited.  Default 16 MiB */
  int        recursion_limit;  /* sys.getrecursionlimit(); default 1000 */
} HsConfig;

/* Where and what the last error was, for the UI to mark a line. */
typedef struct {
  HsResult    result;
  char        type_name[64];  /* "SyntaxError", "ZeroDivisionError", ... */
  char        message[256];
  uint32_t    line;           /* 1-based; 0 if unknown */
  uint32_t    column;         /* 1-based, in characters; 0 if unknown */
} HsErrorInfo;

typedef struct {
  size_t   live_objects;
  size_t   live_bytes;
  size_t   peak_bytes;
  uint64_t total_allocations;
} HsMemStats;

void        hs_config_init (HsConfig *config);

HsVm       *hs_vm_new (const HsConfig *config);
/* Destroys the VM: clears the globals, collects cycles, frees the cached objects.
 * `final` (may be NULL) receives the counters after everything is released:
 * live_objects and live_bytes must both be 0. */
void        hs_vm_free (HsVm *vm, HsMemStats *final);

/* Compiles and runs a whole program as the __main__ module.  filename is shown in
 * tracebacks.  The source need not be NUL-terminated. */
HsResult    hs_vm_run (HsVm *vm, const char *filename, const char *source, size_t len);

int         hs_vm_exit_status (HsVm *vm);
void        hs_vm_last_error (HsVm *vm, HsErrorInfo *info);
void        hs_vm_mem_stats (HsVm *vm, HsMemStats *stats);

/* Thread-safe: asks the running program to stop at the next instruction boundary. */
void        hs_vm_interrupt (HsVm *vm);

/* Runs gc.collect(generation) in the program's VM between two steps (from the hook,
 * or after a run).  Returns collected + uncollectable, or -1. */
int64_t     hs_vm_collect (HsVm *vm, int generation);
void        hs_vm_set_gc_enabled (HsVm *vm, bool enabled);
bool        hs_vm_gc_enabled (HsVm *vm);

const char *hs_version (void);
