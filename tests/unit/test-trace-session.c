/* test-trace-session.c — the session driving a real VM: step, back, continue, pause, collect. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "hs-session.h"

static gboolean
runtime_works (void)
{
  static int works = -1;

  if (works < 0)
    {
      g_autoptr(HsSession) s = hs_session_new ();
      hs_session_load (s, "probe.py", "x = 1\n", -1);
      hs_session_continue (s);
      hs_session_wait (s, 20000);
      works = hs_session_get_state (s) == HS_SESSION_FINISHED;
    }
  return works;
}

static void
wait_not_running (HsSession *s)
{
  assert_true (hs_session_wait (s, 60000));
}

static const char program[] =
  "def greet(name):\n"          /* 1 */
  "    message = 'Hi ' + name\n" /* 2 */
  "    return message\n"         /* 3 */
  "a = 'x'\n"                    /* 4 */
  "b = greet(a)\n"               /* 5 */
  "print(b)\n"                   /* 6 */
  "c = [1, 2]\n";                /* 7 */

static void
test_step_back_continue (void **state)
{
  g_autoptr(HsSession) s = NULL;
  HsTraceModel *m;
  gsize len;
  const char *out;

  if (!runtime_works ())
    skip ();
  s = hs_session_new ();
  m = hs_session_get_model (s);
  hs_session_load (s, "greet.py", program, -1);
  assert_int_equal (hs_session_get_state (s), HS_SESSION_IDLE);

  /* The first step starts the VM and pauses on line 1. */
  hs_session_step (s);
  wait_not_running (s);
  assert_int_equal (hs_session_get_state (s), HS_SESSION_PAUSED);
  assert_int_equal (hs_session_get_step (s), 1);
  assert_int_equal (hs_session_get_line (s), 1);
  assert_true (hs_session_is_live (s));

  hs_session_step (s);     /* line 4 (the def ran) */
  wait_not_running (s);
  assert_int_equal (hs_session_get_line (s), 4);
  hs_session_step (s);     /* line 5 */
  wait_not_running (s);
  assert_int_equal (hs_session_get_line (s), 5);
  hs_session_step_into (s); /* into greet: line 2 */
  wait_not_running (s);
  assert_int_equal (hs_session_get_line (s), 2);
  assert_int_equal (hs_trace_model_get_n_frames (m), 2);
  assert_string_equal (hs_trace_model_frame_name (m, hs_trace_model_get_frame (m, 1)), "greet");

  /* Back is history: no VM involved. */
  hs_session_back (s);
  assert_int_equal (hs_session_get_state (s), HS_SESSION_PAUSED);
  assert_int_equal (hs_session_get_line (s), 5);
  assert_int_equal (hs_trace_model_get_n_frames (m), 1);
  assert_false (hs_session_is_live (s));
  hs_session_step (s);
  assert_int_equal (hs_session_get_line (s), 2);
  assert_true (hs_session_is_live (s));

  /* Step out goes back to the caller's line. */
  hs_session_step_out (s);
  wait_not_running (s);
  assert_int_equal (hs_trace_model_get_n_frames (m), 1);
  assert_int_equal (hs_session_get_line (s), 6);

  hs_session_continue (s);
  wait_not_running (s);
  assert_int_equal (hs_session_get_state (s), HS_SESSION_FINISHED);
  out = hs_session_get_output (s, &len);
  assert_int_equal (len, 5);
  assert_memory_equal (out, "Hi x\n", 5);

  /* History still works after the end; seek back to the print line. */
  hs_session_seek (s, 1);
  assert_int_equal (hs_session_get_line (s), 1);
  hs_session_get_output (s, &len);
  assert_int_equal (len, 0);
  hs_session_seek (s, hs_session_get_total_steps (s));
  assert_int_equal (hs_session_get_line (s), 7);

  hs_session_reset (s);
  assert_int_equal (hs_session_get_state (s), HS_SESSION_IDLE);
  assert_int_equal (hs_session_get_total_steps (s), 0);
}

static void
test_breakpoint_and_run_to_line (void **state)
{
  g_autoptr(HsSession) s = NULL;

  if (!runtime_works ())
    skip ();
  s = hs_session_new ();
  hs_session_load (s, "greet.py", program, -1);
  hs_session_set_breakpoint (s, 3, TRUE);
  assert_true (hs_session_has_breakpoint (s, 3));
  hs_session_step (s);
  wait_not_running (s);
  hs_session_continue (s);
  wait_not_running (s);
  assert_int_equal (hs_session_get_state (s), HS_SESSION_PAUSED);
  assert_int_equal (hs_session_get_line (s), 3);
  hs_session_set_breakpoint (s, 3, FALSE);
  hs_session_run_to_line (s, 7);
  wait_not_running (s);
  assert_int_equal (hs_session_get_line (s), 7);
  /* Seeking past the frontier resumes the VM up to that step. */
  hs_session_reset (s);
  hs_session_seek (s, 3);
  wait_not_running (s);
  assert_int_equal (hs_session_get_step (s), 3);
  assert_int_equal (hs_session_get_line (s), 5);
}

/* Runs an endless program for `ms`, then pauses it: paused, not finished. */
static void
run_then_pause (HsSession *s, const char *name, const char *source, guint ms)
{
  hs_session_load (s, name, source, -1);
  hs_session_continue (s);
  assert_int_equal (hs_session_get_state (s), HS_SESSION_RUNNING);
  hs_session_wait (s, ms);
  assert_int_equal (hs_session_get_state (s), HS_SESSION_RUNNING);
  hs_session_pause (s);
  wait_not_running (s);
  assert_int_equal (hs_session_get_state (s), HS_SESSION_PAUSED);
}

/* A big heap has snapshots too big for frequent checkpoints, so the view of the
 * running program follows it by at most so many events a tick.  Paused, the view
 * is at the frontier all the same, and a step goes on live. */
static void
test_pause_big_heap (void **state)
{
  g_autoptr(HsSession) s = NULL;
  HsTraceModel *m;
  HsTrace *trace;
  guint64 before;

  if (!runtime_works ())
    skip ();
  s = hs_session_new ();
  m = hs_session_get_model (s);
  run_then_pause (s, "big.py", "big = list(range(300000))\ni = 0\nwhile True:\n    i = i + 1\n", 400);
  trace = hs_trace_model_get_trace (m);
  assert_true (hs_trace_model_get_event (m) == hs_trace_get_n_events (trace));
  assert_true (hs_session_is_live (s));
  before = hs_session_get_total_steps (s);
  hs_session_step (s);
  wait_not_running (s);
  assert_int_equal (hs_session_get_total_steps (s), before + 1);
  assert_true (hs_trace_model_get_event (m) == hs_trace_get_n_events (trace));
  hs_session_reset (s);
}

/* An endless loop: pause must take effect; reset must cancel it. */
static void
test_pause_infinite_loop (void **state)
{
  g_autoptr(HsSession) s = NULL;
  guint64 before;

  if (!runtime_works ())
    skip ();
  s = hs_session_new ();
  run_then_pause (s, "loop.py", "i = 0\nwhile True:\n    i = i + 1\n", 200);
  before = hs_session_get_total_steps (s);
  assert_true (before > 2);
  /* Paused means paused: nothing more is recorded. */
  hs_session_wait (s, 100);
  g_usleep (50000);
  assert_int_equal (hs_session_get_total_steps (s), before);
  /* Step one more line from there, then cancel the whole run. */
  hs_session_step (s);
  wait_not_running (s);
  assert_int_equal (hs_session_get_total_steps (s), before + 1);
  hs_session_continue (s);
  hs_session_wait (s, 100);
  hs_session_reset (s);
  assert_int_equal (hs_session_get_state (s), HS_SESSION_IDLE);
}

static void
test_step_limit_message (void **state)
{
  g_autoptr(HsSession) s = NULL;
  const HsErrorInfo *err;

  if (!runtime_works ())
    skip ();
  s = hs_session_new ();
  hs_session_set_limits (s, 1000, 0, 0);
  hs_session_load (s, "loop.py", "while True:\n    pass\n", -1);
  hs_session_continue (s);
  wait_not_running (s);
  assert_int_equal (hs_session_get_state (s), HS_SESSION_ERROR);
  err = hs_session_get_error (s);
  assert_int_equal (err->result, HS_RESULT_LIMIT);
  assert_true (hs_session_get_total_steps (s) <= 1001);
  /* Which limit, and where: the window shows no more than this. */
  assert_string_equal (err->message, "step limit of 1000 line steps reached");
  assert_true (err->line == 1 || err->line == 2);

  hs_session_set_limits (s, 0, 0, 100);
  hs_session_load (s, "spam.py", "while True:\n    print('spam')\n", -1);
  hs_session_continue (s);
  wait_not_running (s);
  err = hs_session_get_error (s);
  assert_int_equal (err->result, HS_RESULT_LIMIT);
  assert_string_equal (err->message, "output limit of 100 bytes reached");
  assert_int_equal (err->line, 2);
}

/* Iterates the main context until the program waits in input(), or 20 s pass. */
static gboolean
wait_for_input (HsSession *s)
{
  gint64 end = g_get_monotonic_time () + 20 * G_TIME_SPAN_SECOND;

  while (!hs_session_is_waiting_input (s) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
  return hs_session_is_waiting_input (s);
}

/* input() waits for the user: the prompt is shown first, the answer is echoed as a
 * terminal would, and the end of input raises EOFError; a reset while it waits stops it. */
static void
test_input (void **state)
{
  static const char program[] =
    "name = input('Name? ')\nprint('Hi', name)\nage = input('Age? ')\nprint(age)\n";
  g_autoptr(HsSession) s = NULL;
  gsize len;
  const char *out;

  if (!runtime_works ())
    skip ();
  s = hs_session_new ();
  hs_session_load (s, "ask.py", program, -1);
  hs_session_continue (s);
  assert_true (wait_for_input (s));
  out = hs_session_get_output (s, &len);
  assert_int_equal (len, strlen ("Name? "));
  assert_memory_equal (out, "Name? ", len);
  assert_int_equal (hs_session_get_state (s), HS_SESSION_RUNNING);

  hs_session_send_input (s, "Ada\nignored");
  assert_false (hs_session_is_waiting_input (s));
  assert_true (wait_for_input (s));
  out = hs_session_get_output (s, &len);
  assert_int_equal (len, strlen ("Name? Ada\nHi Ada\nAge? "));
  assert_memory_equal (out, "Name? Ada\nHi Ada\nAge? ", len);

  hs_session_send_input (s, NULL);
  wait_not_running (s);
  assert_int_equal (hs_session_get_state (s), HS_SESSION_ERROR);
  assert_string_equal (hs_session_get_error (s)->type_name, "EOFError");

  /* While it waits, the steps so far can be browsed; the answer brings the view back
   * to the program, which goes on. */
  hs_session_load (s, "wait.py", "a = 1\nb = 2\nname = input()\nprint(name * 2)\n", -1);
  hs_session_continue (s);
  assert_true (wait_for_input (s));
  assert_int_equal (hs_session_get_step (s), 3);
  hs_session_back (s);
  assert_int_equal (hs_session_get_step (s), 2);
  assert_false (hs_session_is_live (s));
  hs_session_send_input (s, "ab");
  wait_not_running (s);
  assert_int_equal (hs_session_get_state (s), HS_SESSION_FINISHED);
  assert_true (hs_session_is_live (s));
  out = hs_session_get_output (s, &len);
  assert_int_equal (len, strlen ("ab\nabab\n"));
  assert_memory_equal (out, "ab\nabab\n", len);

  /* Reset while it waits: the worker stops, and the session can run again. */
  hs_session_reset (s);
  hs_session_continue (s);
  assert_true (wait_for_input (s));
  hs_session_reset (s);
  assert_false (hs_session_is_waiting_input (s));
  assert_int_equal (hs_session_get_state (s), HS_SESSION_IDLE);
}

static void
on_collected (HsSession *s, gint64 n, gpointer data)
{
  *(gint64 *) data = n;
}


/* After an answer given while input() waited: the run is paused on `line`, no
 * longer waiting, with `output` written so far (the answer's echo included). */
static void
expect_paused_after_answer (HsSession *s, guint32 line, const char *output)
{
  const char *out;
  gsize len;

  wait_not_running (s);
  assert_int_equal (hs_session_get_state (s), HS_SESSION_PAUSED);
  assert_false (hs_session_is_waiting_input (s));
  assert_int_equal (hs_session_get_line (s), line);
  out = hs_session_get_output (s, &len);
  assert_int_equal (len, strlen (output));
  assert_memory_equal (out, output, len);
}

/* Continues to the end: finished, with `output` written in all. */
static void
continue_to_end (HsSession *s, const char *output)
{
  const char *out;
  gsize len;

  hs_session_continue (s);
  wait_not_running (s);
  assert_int_equal (hs_session_get_state (s), HS_SESSION_FINISHED);
  out = hs_session_get_output (s, &len);
  assert_int_equal (len, strlen (output));
  assert_memory_equal (out, output, len);
}

/* Pause while the program waits in input() takes effect at once: the run is paused
 * inside input(), a collection can run there, Continue goes back to waiting, and an
 * answer given while paused runs the program to its next line only. */
static void
test_pause_in_input (void **state)
{
  g_autoptr(HsSession) s = NULL;
  gint64 collected = -1;

  if (!runtime_works ())
    skip ();
  s = hs_session_new ();
  g_signal_connect (s, "collected", G_CALLBACK (on_collected), &collected);
  hs_session_set_gc_enabled (s, FALSE);
  hs_session_load (s, "pause.py", "a = []\na.append(a)\ndel a\nname = input()\nprint(name)\nb = 2\n", -1);
  hs_session_continue (s);
  assert_true (wait_for_input (s));
  assert_int_equal (hs_session_get_state (s), HS_SESSION_RUNNING);

  hs_session_pause (s);
  wait_not_running (s);
  assert_int_equal (hs_session_get_state (s), HS_SESSION_PAUSED);
  assert_true (hs_session_is_waiting_input (s));
  assert_true (hs_session_is_live (s));
  assert_int_equal (hs_session_get_line (s), 4);

  /* The cycle of lines 1-3 is garbage, and gc is off: collecting now frees it. */
  assert_true (hs_session_collect (s, 2));
  assert_int_equal (collected, 1);
  assert_int_equal (hs_session_get_state (s), HS_SESSION_PAUSED);

  /* Continue: waiting again, running; a second pause works as the first. */
  hs_session_continue (s);
  assert_int_equal (hs_session_get_state (s), HS_SESSION_RUNNING);
  assert_true (wait_for_input (s));
  hs_session_pause (s);
  wait_not_running (s);
  assert_int_equal (hs_session_get_state (s), HS_SESSION_PAUSED);

  /* The answer runs line 4 and stops on line 5. */
  hs_session_send_input (s, "hi");
  expect_paused_after_answer (s, 5, "hi\n");
  continue_to_end (s, "hi\nhi\n");
}

/* Pause pressed and an answer typed back to back, before the worker has seen the
 * pause: whichever it takes first, the answer is used once and the run stops on
 * the line after input().  Repeated, so that both orders get their turn. */
static void
test_pause_races_answer (void **state)
{
  guint round;

  if (!runtime_works ())
    skip ();
  for (round = 0; round < 20; round++)
    {
      g_autoptr(HsSession) s = hs_session_new ();

      hs_session_load (s, "race.py", "name = input()\nprint(name)\nb = 2\n", -1);
      hs_session_continue (s);
      assert_true (wait_for_input (s));
      hs_session_pause (s);
      hs_session_send_input (s, "x");
      expect_paused_after_answer (s, 2, "x\n");
      continue_to_end (s, "x\nx\n");
    }
}

/* Collect now, at the live point: the cycle made on line 3 is freed by gc. */
static void
test_collect_now (void **state)
{
  g_autoptr(HsSession) s = NULL;
  HsTraceModel *m;
  gint64 collected = -1;
  guint n_before;

  if (!runtime_works ())
    skip ();
  s = hs_session_new ();
  m = hs_session_get_model (s);
  g_signal_connect (s, "collected", G_CALLBACK (on_collected), &collected);
  hs_session_set_gc_enabled (s, FALSE);
  hs_session_load (s, "cycle.py", "a = []\na.append(a)\ndel a\nb = 1\n", -1);
  hs_session_run_to_line (s, 4);
  wait_not_running (s);
  assert_int_equal (hs_session_get_line (s), 4);
  {
    g_autoptr(GArray) garbage = hs_trace_model_garbage (m);
    g_autoptr(GPtrArray) cycles = hs_trace_model_cycles (m);
    assert_true (garbage->len >= 1);
    assert_true (cycles->len >= 1);
  }
  n_before = hs_trace_model_get_n_collections (m);
  assert_true (hs_session_collect (s, 2));
  assert_int_equal (collected, 1);
  assert_int_equal (hs_trace_model_get_n_collections (m), n_before + 1);
  assert_true (hs_session_is_live (s));
  {
    g_autoptr(GArray) garbage = hs_trace_model_garbage (m);
    assert_int_equal (garbage->len, 0);
  }
  hs_session_continue (s);
  wait_not_running (s);
  assert_int_equal (hs_session_get_state (s), HS_SESSION_FINISHED);
}

/* One memory event at a time, live and through history; step over a call. */
static void
test_step_by_event_and_over (void **state)
{
  g_autoptr(HsSession) s = NULL;
  HsTraceModel *m;
  guint64 ev0, ev1;

  if (!runtime_works ())
    skip ();
  s = hs_session_new ();
  m = hs_session_get_model (s);
  hs_session_load (s, "greet.py", program, -1);
  hs_session_run_to_line (s, 5);
  wait_not_running (s);
  assert_int_equal (hs_session_get_line (s), 5);
  ev0 = hs_trace_model_get_event (m);

  hs_session_step_event (s, TRUE);       /* past the frontier: the VM runs one event */
  wait_not_running (s);
  ev1 = hs_trace_model_get_event (m);
  assert_int_equal (ev1, ev0 + 1);
  assert_int_equal (hs_trace_get_n_events (hs_session_get_trace (s)), ev1);
  hs_session_step_event (s, FALSE);      /* history */
  assert_int_equal (hs_trace_model_get_event (m), ev0);
  hs_session_step_event (s, TRUE);
  assert_int_equal (hs_trace_model_get_event (m), ev1);

  /* Over the call to greet: next line of this frame. */
  hs_session_step_over (s);
  wait_not_running (s);
  assert_int_equal (hs_session_get_line (s), 6);
  assert_int_equal (hs_trace_model_get_n_frames (m), 1);
  /* Back then over again: now found in history. */
  hs_session_seek (s, 3);
  assert_int_equal (hs_session_get_line (s), 5);
  hs_session_step_over (s);
  assert_int_equal (hs_session_get_state (s), HS_SESSION_PAUSED);
  assert_int_equal (hs_session_get_line (s), 6);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_step_back_continue),
    cmocka_unit_test (test_breakpoint_and_run_to_line),
    cmocka_unit_test (test_pause_infinite_loop),
    cmocka_unit_test (test_step_limit_message),
    cmocka_unit_test (test_input),
    cmocka_unit_test (test_pause_big_heap),
    cmocka_unit_test (test_pause_in_input),
    cmocka_unit_test (test_pause_races_answer),
    cmocka_unit_test (test_collect_now),
    cmocka_unit_test (test_step_by_event_and_over),
  };

  return cmocka_run_group_tests_name ("trace-session", tests, NULL, NULL);
}
