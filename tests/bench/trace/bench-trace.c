/* bench-trace.c — recording cost, history size per step, seek time; prints numbers, asserts none. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <glib.h>

#include "hs-trace-private.h"

/* The runtime benchmarks' shapes, sized so a recorded run stays well under a
 * million or so steps. */
static const struct {
  const char *name;
  const char *source;
} programs[] = {
  { "fib", "def fib(n):\n    if n < 2:\n        return n\n    return fib(n - 1) + fib(n - 2)\nprint(fib(22))\n" },
  { "loop", "i = 0\ntotal = 0\nwhile i < 300000:\n    total += i & 7\n    i += 1\nprint(total)\n" },
  { "methods", "class C:\n    def __init__(self):\n        self.n = 0\n    def inc(self, k):\n"
               "        self.n += k\n        return self\nc = C()\nfor i in range(200000):\n"
               "    c.inc(i)\nprint(c.n)\n" },
  { "binary_trees", "def make(d):\n    if d == 0:\n        return (None, None)\n    d -= 1\n"
                    "    return (make(d), make(d))\ndef check(t):\n    l, r = t\n    if l is None:\n"
                    "        return 1\n    return 1 + check(l) + check(r)\ntotal = 0\n"
                    "for i in range(8):\n    total += check(make(12))\nprint(total)\n" },
};

static void
write_nothing (void *user_data, HsStream stream, const char *text, size_t len)
{
}

typedef struct {
  double   seconds;
  HsResult result;
  guint64  events;
} RunInfo;

/* The machine running the benchmarks is shared: CPU time of this process (the VM
 * and the recorder run on this thread) is far steadier than wall time. */
static double
cpu_seconds (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
noop_hook (void *user_data, const HsEvent *event)
{
  return 0;
}

/* rec NULL: events off; rec == NOOP: events on, hook does nothing. */
#define NOOP ((HsTraceRecorder *) 1)

static RunInfo
run_program (const char *source, HsTraceRecorder *rec)
{
  HsConfig config;
  RunInfo info = { 0 };
  double t0;
  HsVm *vm;

  hs_config_init (&config);
  config.write = write_nothing;
  config.step_limit = 0;
  if (rec == NOOP)
    {
      config.hook = noop_hook;
      config.hook_mask = HS_EVMASK_ALL;
    }
  else if (rec != NULL)
    {
      config.hook = hs_trace_recorder_hook;
      config.hook_mask = HS_EVMASK_ALL;
      config.user_data = rec;
    }
  vm = hs_vm_new (&config);
  t0 = cpu_seconds ();
  info.result = hs_vm_run (vm, "<bench>", source, strlen (source));
  info.seconds = cpu_seconds () - t0;
  if (rec != NULL && rec != NOOP)
    hs_trace_recorder_finish (rec);
  hs_vm_free (vm, NULL);
  return info;
}

/* CPU seconds python3 spends running the program, measured inside python3: the
 * interpreter's start-up (a third of a second behind a pyenv shim) is left out, as the
 * runtime's own set-up is left out of run_program. */
static double
python_seconds (const char *source)
{
  static const char driver[] =
    "import sys, time\n"
    "code = compile(sys.argv[1], '<bench>', 'exec')\n"
    "t = time.process_time()\n"
    "exec(code, {'__name__': '__main__'})\n"
    "sys.stderr.write('%.6f' % (time.process_time() - t))\n";
  const char *argv[] = { "python3", "-c", driver, source, NULL };
  g_autofree char *err = NULL;
  int status;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                     NULL, NULL, NULL, &err, &status, NULL)
      || !g_spawn_check_wait_status (status, NULL))
    return 0;
  return g_ascii_strtod (err, NULL);
}

static gint
cmp_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

/* This thread's CPU time in ms: unlike wall time, not inflated by other processes. */
static double
thread_cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Seeks a model to random steps; returns the worst and mean time in ms and
 * prints the percentiles (a loaded machine makes the worst one noisy). */
static void
measure_seeks (HsTrace *trace, guint n, double *worst_ms, double *mean_ms)
{
  g_autoptr(HsTraceModel) m = hs_trace_model_new (trace);
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  GRand *rand = g_rand_new_with_seed (99);
  guint64 steps = hs_trace_get_n_steps (trace);
  double total = 0, worst = 0, worst_cpu = 0;
  guint i;

  for (i = 0; i < n && steps > 0; i++)
    {
      guint64 step = 1 + (guint64) g_rand_double_range (rand, 0, (double) steps);
      gint64 t0 = g_get_monotonic_time ();
      double c0 = thread_cpu_ms ();
      double ms;

      hs_trace_model_seek_step (m, MIN (step, steps));
      ms = (g_get_monotonic_time () - t0) / 1e3;
      worst_cpu = MAX (worst_cpu, thread_cpu_ms () - c0);
      g_array_append_val (times, ms);
      total += ms;
      worst = MAX (worst, ms);
    }
  g_rand_free (rand);
  if (times->len > 0)
    {
      g_array_sort (times, cmp_double);
      printf ("seek times: median %.2f ms, p90 %.2f ms, p99 %.2f ms; worst CPU time %.2f ms\n",
              g_array_index (times, double, times->len / 2),
              g_array_index (times, double, times->len * 9 / 10),
              g_array_index (times, double, times->len * 99 / 100), worst_cpu);
    }
  *worst_ms = worst;
  *mean_ms = n ? total / n : 0;
}

static void
print_memory (const char *what, HsTrace *trace)
{
  HsTraceMemory mem;
  guint64 steps = hs_trace_get_n_steps (trace);
  gsize total;

  hs_trace_get_memory (trace, &mem);
  total = mem.log_bytes + mem.checkpoint_bytes + mem.index_bytes;
  printf ("%-14s steps %9" G_GUINT64_FORMAT "  events %10" G_GUINT64_FORMAT "  log %7.1f MiB  checkpoints %6.1f MiB (%u)"
          "  index %5.1f MiB  total %7.1f MiB  = %6.1f bytes/step (target <= 64)\n",
          what, steps, hs_trace_get_n_events (trace), mem.log_bytes / 1048576.0,
          mem.checkpoint_bytes / 1048576.0, mem.n_checkpoints, mem.index_bytes / 1048576.0,
          total / 1048576.0, steps ? (double) total / steps : 0.0);
}

/* A synthetic million-step loop shaped like `i = i + 1` with a comparison
 * line: what the runtime publishes for it, built directly. */
static void
bench_synthetic (void)
{
  g_autoptr(HsTrace) trace = hs_trace_new ();
  HsTraceRecorder *rec = hs_trace_recorder_new (trace);
  HsEvent ev;
  HsId next = 1000, cur = 0;
  guint64 seq = 0, i;
  gint64 t0;
  double rec_s, index_s, worst, mean;
  const guint64 steps = 1000000;

#define EMIT() (ev.seq = ++seq, ev.frame = 1, ev.line = ev.kind == HS_EV_LINE ? ev.u.line.line : ev.line, \
                hs_trace_recorder_add (rec, &ev))
  t0 = g_get_monotonic_time ();
  memset (&ev, 0, sizeof ev);
  ev.kind = HS_EV_CALL;
  ev.u.call.frame = 1;
  ev.u.call.name = "<module>";
  ev.u.call.line = 1;
  EMIT ();
  for (i = 0; i < steps; i++)
    {
      guint32 line = 2 + (i & 1);
      HsId obj = ++next;

      memset (&ev, 0, sizeof ev);
      ev.kind = HS_EV_LINE;
      ev.u.line.line = line;
      EMIT ();
      ev.line = line;
      /* push i, push 1 (immortal), add: pop, pop, alloc, push, store, free old */
      ev.kind = HS_EV_REF;
      ev.u.ref.holder_kind = HS_HOLDER_STACK;
      ev.u.ref.holder = 1;
      ev.u.ref.new_target = cur ? cur : 5;
      ev.u.ref.new_refcnt = 2;
      EMIT ();
      ev.u.ref.slot = 1;
      ev.u.ref.new_target = 6;
      ev.u.ref.new_refcnt = 1000;
      EMIT ();
      ev.u.ref.new_target = 0;
      ev.u.ref.old_target = 6;
      ev.u.ref.old_refcnt = 999;
      ev.u.ref.new_refcnt = 0;
      EMIT ();
      ev.u.ref.slot = 0;
      ev.u.ref.old_target = cur ? cur : 5;
      ev.u.ref.old_refcnt = 1;
      EMIT ();
      memset (&ev.u, 0, sizeof ev.u);
      ev.kind = HS_EV_ALLOC;
      ev.u.alloc.id = obj;
      ev.u.alloc.type_name = "int";
      ev.u.alloc.size = 28;
      {
        char desc[24];
        g_snprintf (desc, sizeof desc, "%" G_GUINT64_FORMAT, i + 257);
        ev.u.alloc.describe = desc;
        EMIT ();
      }
      memset (&ev.u, 0, sizeof ev.u);
      ev.kind = HS_EV_REF;
      ev.u.ref.holder_kind = HS_HOLDER_GLOBAL;
      ev.u.ref.holder = 3;
      ev.u.ref.slot = 40;
      ev.u.ref.name = "i";
      ev.u.ref.old_target = cur;
      ev.u.ref.old_refcnt = 0;
      ev.u.ref.new_target = obj;
      ev.u.ref.new_refcnt = 1;
      EMIT ();
      if (cur != 0)
        {
          memset (&ev.u, 0, sizeof ev.u);
          ev.kind = HS_EV_FREE;
          ev.u.free.id = cur;
          EMIT ();
        }
      cur = obj;
    }
  hs_trace_recorder_finish (rec);
  rec_s = (g_get_monotonic_time () - t0) / 1e6;
  t0 = g_get_monotonic_time ();
  hs_trace_sync (trace);
  index_s = (g_get_monotonic_time () - t0) / 1e6;
  hs_trace_recorder_free (rec);
  printf ("synthetic loop: record %.0f ns/event, index %.0f ns/event\n",
          rec_s * 1e9 / seq, index_s * 1e9 / seq);
  print_memory ("synthetic", trace);
  measure_seeks (trace, 200, &worst, &mean);
  printf ("synthetic seek: worst %.2f ms, mean %.2f ms (target <= 50 ms)\n", worst, mean);
#undef EMIT
}

/* CPU seconds to get `bytes` of fresh memory and write it once, the way the
 * recorder gets its chunks: what any log of that size costs before a single
 * byte is encoded.  Best of three. */
static double
fresh_memory_seconds (gsize bytes)
{
  const gsize chunk = HS_TRACE_CHUNK_SIZE;
  gsize n = (bytes + chunk - 1) / chunk, i;
  g_autofree guchar **maps = g_new0 (guchar *, n);
  double best = G_MAXDOUBLE;
  guint r;

  for (r = 0; r < 3; r++)
    {
      double t0 = cpu_seconds ();

      for (i = 0; i < n; i++)
        {
          maps[i] = hs_trace_chunk_memory_new (chunk);
          memset (maps[i], (int) (i + r) | 1, chunk);
        }
      best = MIN (best, cpu_seconds () - t0);
      for (i = 0; i < n; i++)
        hs_trace_chunk_memory_free (maps[i], chunk);
    }
  return best;
}

static void
bench_runtime (void)
{
  guint i;

  printf ("\n%-14s %8s %8s %9s %9s %7s %7s %9s %7s %10s %7s\n", "program", "off s", "noop s",
          "record s", "+index s", "ratio", "noop", "python3 s", "vs py", "bytes/step", "logmem");
  for (i = 0; i < G_N_ELEMENTS (programs); i++)
    {
      g_autoptr(HsTrace) trace = hs_trace_new ();
      HsTraceRecorder *rec = hs_trace_recorder_new (trace);
      RunInfo off, noop, on;
      HsTraceMemory mem;
      double py, index_s, logmem;
      gint64 t0;
      guint r;

      /* Best of three, the modes interleaved: the ratios come from one run. */
      off = run_program (programs[i].source, NULL);
      noop = run_program (programs[i].source, NOOP);
      for (r = 0; r < 2; r++)
        {
          g_autoptr(HsTrace) spare = hs_trace_new ();
          HsTraceRecorder *srec = hs_trace_recorder_new (spare);
          RunInfo x;

          x = run_program (programs[i].source, NULL);
          off.seconds = MIN (off.seconds, x.seconds);
          x = run_program (programs[i].source, NOOP);
          noop.seconds = MIN (noop.seconds, x.seconds);
          x = run_program (programs[i].source, srec);
          hs_trace_recorder_free (srec);
          if (r == 0)
            on = x;
          else
            on.seconds = MIN (on.seconds, x.seconds);
        }
      {
        RunInfo x = run_program (programs[i].source, rec);
        on.seconds = MIN (on.seconds, x.seconds);
        on.result = x.result;
      }
      t0 = g_get_monotonic_time ();
      hs_trace_sync (trace);
      index_s = (g_get_monotonic_time () - t0) / 1e6;
      hs_trace_recorder_free (rec);
      py = python_seconds (programs[i].source);
      for (r = 0; r < 2; r++)
        py = MIN (py, python_seconds (programs[i].source));
      hs_trace_get_memory (trace, &mem);
      if (off.result != HS_RESULT_OK || on.result != HS_RESULT_OK)
        {
          printf ("%-14s did not run (result %d/%d)\n", programs[i].name, off.result, on.result);
          continue;
        }
      logmem = fresh_memory_seconds (mem.log_bytes);
      printf ("%-14s %8.3f %8.3f %9.3f %9.3f %6.2fx %6.2fx %9.3f %6.2fx %10.1f", programs[i].name,
              off.seconds, noop.seconds, on.seconds, index_s, on.seconds / MAX (off.seconds, 1e-9),
              noop.seconds / MAX (off.seconds, 1e-9), py,
              on.seconds / MAX (py, 1e-9),
              hs_trace_get_n_steps (trace)
                ? (double) (mem.log_bytes + mem.checkpoint_bytes + mem.index_bytes)
                  / hs_trace_get_n_steps (trace) : 0.0);
      printf (" %6.2fx\n", logmem / MAX (off.seconds, 1e-9));
    }
  printf ("times: CPU seconds, best of 3; +index s: indexing the recorded trace afterwards (wall)\n");
  printf ("ratio = recording / events off (target <= 1.5x); noop = events on with an empty hook / off\n"
          "(the runtime's own cost of publishing); python3 s: CPU seconds of the program inside python3 (start-up left out);\n"
          "vs py = recording / python3; logmem = getting and writing once fresh memory the size of the\n"
          "log, as the recorder gets it, / off: part of (ratio - 1) that no encoder can save\n");
}

/* Records and indexes `source`, and prints the history's size under `what`; NULL
 * (said so) if the program failed. */
static HsTrace *
record_program (const char *source, const char *what)
{
  HsTrace *trace = hs_trace_new ();
  HsTraceRecorder *rec = hs_trace_recorder_new (trace);
  RunInfo on;

  on = run_program (source, rec);
  hs_trace_sync (trace);
  hs_trace_recorder_free (rec);
  if (on.result != HS_RESULT_OK)
    {
      printf ("\n%s: the program did not run (result %d)\n", what, on.result);
      hs_trace_unref (trace);
      return NULL;
    }
  printf ("\n");
  print_memory (what, trace);
  return trace;
}

/* A real program of a million line steps: history size and seek time. */
static void
bench_million (void)
{
  g_autoptr(HsTrace) trace = record_program ("i = 0\nwhile i < 500000:\n    i = i + 1\n", "1M-step run");
  double worst, mean;

  if (trace == NULL)
    return;
  measure_seeks (trace, 200, &worst, &mean);
  printf ("1M-step seek: worst %.2f ms, mean %.2f ms (target <= 50 ms)\n", worst, mean);
}

/* A million objects alive for the whole run: every snapshot is large, so the trace
 * keeps few checkpoints, and stepping back leans on the model's own near snapshot. */
static void
bench_big_heap (void)
{
  g_autoptr(HsTrace) trace = record_program ("big = list(range(1000000))\ni = 0\nwhile i < 100000:\n    i += 1\n",
                                             "1M-object heap");
  g_autoptr(HsTraceModel) m = NULL;
  guint64 steps, mid;
  double worst, mean, c0;
  guint k;

  if (trace == NULL)
    return;
  measure_seeks (trace, 20, &worst, &mean);
  printf ("1M-object heap random seek: worst %.0f ms, mean %.0f ms\n", worst, mean);
  m = hs_trace_model_new (trace);
  steps = hs_trace_get_n_steps (trace);
  mid = steps / 2;
  hs_trace_model_seek_step (m, mid);
  hs_trace_model_seek_step (m, mid - 1);   /* the first step back takes the near snapshot */
  c0 = thread_cpu_ms ();
  for (k = 2; k < 22; k++)
    hs_trace_model_seek_step (m, mid - k);
  printf ("1M-object heap step back: %.1f ms each (CPU, mean of 20)\n", (thread_cpu_ms () - c0) / 20);
}

int
main (int argc, char **argv)
{
  gboolean runtime = argc < 2 || g_strcmp0 (argv[1], "--synthetic-only") != 0;

  bench_synthetic ();
  if (runtime)
    {
      bench_runtime ();
      bench_million ();
      bench_big_heap ();
    }
  return 0;
}
