/* test-record.h — runs a program with every event recorded, for the tests that need a real trace; copies a trace without checkpoints. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <string.h>

#include "hs-trace.h"

static void
test_record_write_nothing (void *user_data, HsStream stream, const char *text, size_t len)
{
}

/* Runs `source` with every event recorded and checks that it ends with `expect` and
 * that the VM is freed with no object and no byte left.  The trace is indexed. */
static inline HsTrace *
test_record (const char *source, HsResult expect)
{
  HsTrace *trace = hs_trace_new ();
  HsTraceRecorder *rec = hs_trace_recorder_new (trace);
  HsMemStats stats = { 0 };
  HsConfig config;
  HsVm *vm;

  hs_config_init (&config);
  config.write = test_record_write_nothing;
  config.hook = hs_trace_recorder_hook;
  config.hook_mask = HS_EVMASK_ALL;
  config.user_data = rec;
  vm = hs_vm_new (&config);
  assert_non_null (vm);
  assert_int_equal (hs_vm_run (vm, "t.py", source, strlen (source)), expect);
  hs_trace_recorder_finish (rec);
  hs_vm_free (vm, &stats);
  hs_trace_recorder_free (rec);
  hs_trace_sync (trace);
  assert_int_equal (stats.live_objects, 0);
  assert_int_equal (stats.live_bytes, 0);
  return trace;
}

static inline gboolean
test_record_copy_event_cb (const HsEvent *ev, gpointer user_data)
{
  hs_trace_recorder_add (user_data, ev);
  return TRUE;
}

/* Records the events of `from` again into `to`, which takes no checkpoints at all. */
static inline void
test_record_copy_without_checkpoints (HsTrace *from,
                                      HsTrace *to)
{
  HsTraceRecorder *rec;

  hs_trace_set_checkpoint_policy (to, G_MAXUINT, 1, G_MAXUINT, G_MAXUINT);
  rec = hs_trace_recorder_new (to);
  hs_trace_foreach_event (from, 0, G_MAXUINT64, test_record_copy_event_cb, rec);
  hs_trace_recorder_finish (rec);
  hs_trace_recorder_free (rec);
  hs_trace_sync (to);
}
