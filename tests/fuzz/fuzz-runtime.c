/* fuzz-runtime.c — libFuzzer target: arbitrary bytes as a program for the whole runtime. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Scanner, parser, compiler and VM run under a small step limit and heap cap, with
 * every event kind hooked (so the emission paths run too) and output discarded.
 * After hs_vm_free() nothing may be left: a leaked object or byte aborts. */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hs.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
discard_output (void *user_data, HsStream stream, const char *text, size_t len)
{
  size_t *total = user_data;

  /* Read every byte, so a bad pointer or length shows up under ASan. */
  for (size_t i = 0; i < len; i++)
    *total += (unsigned char) text[i];
}

static size_t
touch_string (const char *s)
{
  return s != NULL ? strlen (s) : 0;
}

static int
touch_event (void *user_data, const HsEvent *ev)
{
  size_t *total = user_data;

  switch (ev->kind)
    {
    case HS_EV_CALL:
      *total += touch_string (ev->u.call.name);
      break;
    case HS_EV_EXCEPTION:
      *total += touch_string (ev->u.exception.type_name) + touch_string (ev->u.exception.message);
      break;
    case HS_EV_ALLOC:
      {
        char text[HS_EVENT_INT_TEXT];
        *total += touch_string (ev->u.alloc.type_name) + touch_string (hs_event_alloc_describe (ev, text));
      }
      break;
    case HS_EV_REF:
      *total += touch_string (ev->u.ref.name);
      break;
    case HS_EV_GC_PHASE:
      for (size_t i = 0; i < ev->u.gc_phase.n; i++)
        *total += ev->u.gc_phase.ids[i] + (ev->u.gc_phase.values ? (size_t) ev->u.gc_phase.values[i] : 0);
      break;
    case HS_EV_OUTPUT:
      for (size_t i = 0; i < ev->u.output.len; i++)
        *total += (unsigned char) ev->u.output.text[i];
      break;
    case HS_EV_ROOT:
      *total += touch_string (ev->u.root.name);
      break;
    default:
      break;
    }
  return 0;
}

/* input() always meets the end of its input: a fuzzer must never wait on stdin. */
static char *
no_input (void *user_data, size_t *len)
{
  return NULL;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  HsConfig config;
  HsMemStats stats;
  HsErrorInfo info;
  size_t total = 0;
  HsVm *vm;

  hs_config_init (&config);
  config.write = discard_output;
  config.read_line = no_input;
  config.hook = touch_event;
  config.hook_mask = HS_EVMASK_ALL;
  config.user_data = &total;
  config.step_limit = 20000;
  config.heap_limit = 16u << 20;
  config.output_limit = 64u << 10;
  /* Odd sizes use the cpython profile, so both constant policies are covered. */
  config.profile = (size & 1) ? HS_PROFILE_CPYTHON : HS_PROFILE_TUTORIAL;

  vm = hs_vm_new (&config);
  if (vm == NULL)
    abort ();
  hs_vm_run (vm, "<fuzz>", (const char *) data, size);
  hs_vm_last_error (vm, &info);
  hs_vm_collect (vm, 2);
  memset (&stats, 0, sizeof stats);
  hs_vm_free (vm, &stats);
  if (stats.live_objects != 0 || stats.live_bytes != 0)
    {
      fprintf (stderr, "fuzz-runtime: leaked %zu objects, %zu bytes after hs_vm_free\n",
               stats.live_objects, stats.live_bytes);
      abort ();
    }
  return 0;
}
