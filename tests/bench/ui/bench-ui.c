/* bench-ui.c — the live window's frame rate while stepping through a 10,000-object program. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

/*
 * Builds the real window, runs a program to the point where it holds
 * 10,000 objects (the picture draws its most, HS_DIAGRAM_MAX_OBJECTS, and
 * counts the rest), then steps it (Step Over, one step per frame whenever the
 * session is waiting) for a few seconds and counts the frames the frame
 * clock actually painted.  Run under Xvfb with GSK_RENDERER=cairo (meson
 * sets the environment; build-aux/test.sh --benchmark runs Xvfb).  Prints
 * the numbers and the 50 fps target; asserts nothing about time.
 */

#include <gtk/gtk.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "hs-application.h"
#include "hs-diagram-builder.h"
#include "hs-window.h"

#define N_OBJECTS 10201
#define SECONDS 4.0
#define TARGET_FPS 50.0

/* Line 6 is the loop body; every pass replaces one int, so each step frees
 * one object and allocates another in a heap of 10,201: 200 lists of 50 ints. */
static const char program[] =
  "data = []\n"
  "for j in range(200):\n"
  "    data.append([j * 1000 + i + 100000 for i in range(50)])\n"
  "k = 0\n"
  "while k < 10000000:\n"
  "    data[k % 200][k % 50] = k * 7 + 1000000\n"
  "    k += 1\n";

typedef struct
{
  HsWindow *window;
  HsSession *session;
  guint64 paints, new_step_paints, steps_asked;
  guint64 last_painted_step;
  gint64 first_paint, last_paint;
  double worst_gap_ms;
  gboolean measuring;
} Bench;

static double
cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void
iterate (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* Waits until the session's worker has stopped and the window has seen it. */
static void
settle (Bench *b, int max_ms)
{
  for (int waited = 0; waited < max_ms; waited += 20)
    {
      hs_session_wait (b->session, 20);
      iterate ();
      if (hs_session_get_state (b->session) != HS_SESSION_RUNNING)
        break;
    }
  iterate ();
}

static void
on_paint (GdkFrameClock *clock,
          Bench         *b)
{
  gint64 now = g_get_monotonic_time ();
  guint64 step;

  if (!b->measuring)
    return;
  step = hs_session_get_step (b->session);
  if (b->paints > 0)
    {
      double gap = (now - b->last_paint) / 1000.0;

      if (gap > b->worst_gap_ms)
        b->worst_gap_ms = gap;
    }
  else
    b->first_paint = now;
  b->last_paint = now;
  b->paints++;
  if (step != b->last_painted_step)
    {
      b->new_step_paints++;
      b->last_painted_step = step;
    }
}

/* One step per frame: ask for the next as soon as the session waits again. */
static gboolean
on_tick (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       data)
{
  Bench *b = data;

  if (b->measuring && hs_session_get_state (b->session) == HS_SESSION_PAUSED)
    {
      gtk_widget_activate_action (GTK_WIDGET (b->window), "session.step-over", NULL);
      b->steps_asked++;
    }
  return G_SOURCE_CONTINUE;
}

int
main (int    argc,
      char **argv)
{
  Bench b = { 0 };
  GdkFrameClock *clock;
  const HsDiagram *diagram;
  gint64 t0, t1;
  double c0, c1, secs, fps, step_fps;
  guint tick;
  /* HS_BENCH_SECONDS: a longer run, to profile the stepping alone. */
  double seconds = g_getenv ("HS_BENCH_SECONDS") ? g_ascii_strtod (g_getenv ("HS_BENCH_SECONDS"), NULL) : SECONDS;

  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL
      && g_getenv ("HS_BENCH_UNDER_XVFB") == NULL)
    {
      /* No display: the same program again under Xvfb. */
      char *args[] = { g_strdup ("xvfb-run"), g_strdup ("-a"), g_strdup ("-s"),
                       g_strdup ("-screen 0 1920x1080x24"), argv[0], NULL };

      g_setenv ("HS_BENCH_UNDER_XVFB", "1", TRUE);
      g_setenv ("GSK_RENDERER", "cairo", FALSE);
      execvp (args[0], args);
      perror ("xvfb-run");
      return 77;
    }
  (void) argc;
  gtk_init ();
  g_set_application_name ("Heapscope");
  b.window = g_object_new (HS_TYPE_WINDOW, NULL);
  gtk_window_set_default_size (GTK_WINDOW (b.window), 1600, 1000);
  gtk_window_present (GTK_WINDOW (b.window));
  b.session = hs_window_get_session (b.window);
  iterate ();

  /* Run to the loop body: the heap then holds data, its 200 lists and their 10,000 ints. */
  hs_window_load_text (b.window, "bench-10000.py", program);
  iterate ();
  hs_session_set_breakpoint (b.session, 6, TRUE);
  {
    /* Full speed: Continue runs straight to the breakpoint. */
    GtkAdjustment *speed = hs_window_get_speed_adjustment (b.window);

    gtk_adjustment_set_value (speed, gtk_adjustment_get_upper (speed));
  }
  gtk_widget_activate_action (GTK_WIDGET (b.window), "session.continue", NULL);
  settle (&b, 120000);
  hs_session_clear_breakpoints (b.session);
  /* The heap view rebuilds on the next frame. */
  for (int i = 0; i < 50; i++)
    {
      g_usleep (10000);
      iterate ();
    }
  diagram = hs_heap_view_get_diagram (hs_window_get_heap_view (b.window));
  printf ("program state %d at line %u, step %" G_GUINT64_FORMAT "; heap view shows %zu objects, %zu frames\n",
          hs_session_get_state (b.session), hs_session_get_line (b.session),
          hs_session_get_step (b.session), hs_diagram_n_objects (diagram),
          hs_diagram_n_frames (diagram));
  if (hs_diagram_n_objects (diagram) < HS_DIAGRAM_MAX_OBJECTS
      || hs_heap_view_get_n_objects (hs_window_get_heap_view (b.window), NULL) < N_OBJECTS)
    {
      printf ("the heap view does not stand for %d objects, drawing %d: nothing measured\n",
              N_OBJECTS, HS_DIAGRAM_MAX_OBJECTS);
      gtk_window_destroy (GTK_WINDOW (b.window));
      iterate ();
      return 1;
    }

  clock = gtk_widget_get_frame_clock (GTK_WIDGET (b.window));
  g_signal_connect (clock, "paint", G_CALLBACK (on_paint), &b);
  tick = gtk_widget_add_tick_callback (GTK_WIDGET (b.window), on_tick, &b, NULL);
  b.last_painted_step = hs_session_get_step (b.session);
  b.measuring = TRUE;
  t0 = g_get_monotonic_time ();
  c0 = cpu_ms ();
  do
    {
      g_main_context_iteration (NULL, TRUE);
      t1 = g_get_monotonic_time ();
    }
  while (t1 - t0 < seconds * G_USEC_PER_SEC);
  c1 = cpu_ms ();
  b.measuring = FALSE;
  gtk_widget_remove_tick_callback (GTK_WIDGET (b.window), tick);
  g_signal_handlers_disconnect_by_func (clock, on_paint, &b);

  secs = (t1 - t0) / (double) G_USEC_PER_SEC;
  fps = b.paints / secs;
  step_fps = b.new_step_paints / secs;
  printf ("stepping for %.2f s: %" G_GUINT64_FORMAT " steps asked, %" G_GUINT64_FORMAT
          " frames painted, %" G_GUINT64_FORMAT " of them showing a new step\n",
          secs, b.steps_asked, b.paints, b.new_step_paints);
  printf ("frames painted per second: %.1f (target %.0f); frames with a new step per second: %.1f; "
          "frame clock fps %.1f; longest gap between painted frames %.1f ms\n",
          fps, TARGET_FPS, step_fps, gdk_frame_clock_get_fps (clock), b.worst_gap_ms);
  printf ("process cpu per painted frame: %.2f ms (all threads)\n",
          b.paints ? (c1 - c0) / b.paints : 0.0);
  printf ("live window, 10,000-object program: %.1f fps painted, %.1f fps of new steps (target >= %.0f)\n",
          fps, step_fps, TARGET_FPS);

  gtk_window_destroy (GTK_WINDOW (b.window));
  iterate ();
  return 0;
}
