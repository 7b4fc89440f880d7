/* bench-pause.c — how fast Pause takes effect on a running program, and how long the
 * main loop is ever kept waiting while the session runs.  Prints numbers, asserts none. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib.h>
#include <stdio.h>

#include "hs-session.h"

typedef struct
{
  gint64 last;      /* when the ticker last ran */
  gint64 worst;     /* the longest the main loop made it wait beyond its 5 ms period */
} Ticker;

static gboolean
tick_cb (gpointer data)
{
  Ticker *t = data;
  gint64 now = g_get_monotonic_time ();

  if (t->last != 0 && now - t->last - 5000 > t->worst)
    t->worst = now - t->last - 5000;
  t->last = now;
  return G_SOURCE_CONTINUE;
}

static int
compare_i64 (const void *a, const void *b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

/* Runs `source` for `run_ms`, pauses it, and returns how long pausing took (µs). */
static gint64
pause_once (const char *source, guint run_ms, Ticker *ticker)
{
  g_autoptr(HsSession) s = hs_session_new ();
  gint64 t0;
  guint id;

  hs_session_load (s, "bench.py", source, -1);
  ticker->last = 0;
  id = g_timeout_add (5, tick_cb, ticker);
  hs_session_continue (s);
  hs_session_wait (s, run_ms);
  g_source_remove (id);
  if (hs_session_get_state (s) != HS_SESSION_RUNNING)
    {
      fprintf (stderr, "bench-pause: the program stopped by itself\n");
      return -1;
    }
  t0 = g_get_monotonic_time ();
  hs_session_pause (s);
  while (hs_session_get_state (s) == HS_SESSION_RUNNING)
    g_main_context_iteration (NULL, TRUE);
  return g_get_monotonic_time () - t0;
}

int
main (void)
{
  static const struct { const char *name, *source; } programs[] = {
    { "endless loop", "i = 0\nwhile True:\n    i = i + 1\n" },
    { "a million objects", "xs = []\nwhile True:\n    xs.append([len(xs)])\n    if len(xs) == 1000000:\n        xs = []\n" },
  };
  enum { RUNS = 9 };

  printf ("%-20s %10s %10s %14s  (target: pause <= 100 ms)\n",
          "program", "median ms", "worst ms", "UI wait ms");
  for (guint p = 0; p < G_N_ELEMENTS (programs); p++)
    {
      gint64 times[RUNS];
      Ticker ticker = { 0, 0 };

      for (int r = 0; r < RUNS; r++)
        {
          times[r] = pause_once (programs[p].source, 300 + 100 * r, &ticker);
          if (times[r] < 0)
            return 1;
        }
      qsort (times, RUNS, sizeof times[0], compare_i64);
      printf ("%-20s %10.2f %10.2f %14.2f\n", programs[p].name, times[RUNS / 2] / 1000.0,
              times[RUNS - 1] / 1000.0, ticker.worst / 1000.0);
    }
  printf ("UI wait: the longest a 5 ms main-loop timer was late while the program ran.\n");
  return 0;
}
