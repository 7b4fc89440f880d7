/* test-trace-corpus.c — real runs of the language corpus and every lesson: the invariant at every event, seek = replay. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hs-trace.h"
#include "test-record.h"

static char *
find_corpus (void)
{
  const char *env = g_getenv ("HEAPSCOPE_LANG_DIR");
  g_autofree char *here = g_path_get_dirname (__FILE__);
  g_autofree char *rel = g_build_filename (here, "..", "lang", NULL);

  if (env != NULL && g_file_test (env, G_FILE_TEST_IS_DIR))
    return g_strdup (env);
  if (g_file_test (rel, G_FILE_TEST_IS_DIR))
    return g_canonicalize_filename (rel, NULL);
  return NULL;
}

static char *
find_lessons (void)
{
  const char *env = g_getenv ("HS_LESSONS_DIR");
  g_autofree char *here = g_path_get_dirname (__FILE__);
  g_autofree char *rel = g_build_filename (here, "..", "..", "data", "lessons", NULL);

  if (env != NULL && g_file_test (env, G_FILE_TEST_IS_DIR))
    return g_strdup (env);
  if (g_file_test (rel, G_FILE_TEST_IS_DIR))
    return g_canonicalize_filename (rel, NULL);
  return NULL;
}

static void
write_nothing (void *user_data, HsStream stream, const char *text, size_t len)
{
}

/* What input() reads: the lines of the program's NAME.in, then the end of input. */
typedef struct {
  char  *text;
  gsize  len, at;
} Input;

static char *
read_input_line (void *user_data, size_t *len)
{
  Input *in = user_data;
  const char *start, *nl;
  char *line;

  if (in->text == NULL || in->at >= in->len)
    return NULL;
  start = in->text + in->at;
  nl = memchr (start, '\n', in->len - in->at);
  *len = nl != NULL ? (size_t) (nl - start) : in->len - in->at;
  in->at += *len + (nl != NULL);
  line = malloc (*len + 1);
  memcpy (line, start, *len);
  line[*len] = '\0';
  return line;
}

/* The hook's data and input()'s come through one pointer. */
typedef struct {
  HsTraceRecorder *rec;
  Input            input;
} RunData;

static int
record_hook (void *user_data, const HsEvent *ev)
{
  return hs_trace_recorder_hook (((RunData *) user_data)->rec, ev);
}

static char *
run_read_line (void *user_data, size_t *len)
{
  return read_input_line (&((RunData *) user_data)->input, len);
}

/* Runs `path` recording every event; NULL when the runtime cannot start. */
static HsTrace *
record_program (const char *path, HsProfile profile, HsResult *result, HsMemStats *stats)
{
  g_autofree char *source = NULL;
  g_autofree char *in_path = g_strdup_printf ("%.*s.in", (int) strlen (path) - 3, path);
  gsize len;
  HsTrace *trace;
  HsTraceRecorder *rec;
  HsConfig config;
  RunData run = { 0 };
  HsVm *vm;

  if (!g_file_get_contents (path, &source, &len, NULL))
    return NULL;
  g_file_get_contents (in_path, &run.input.text, &run.input.len, NULL);
  trace = hs_trace_new ();
  hs_trace_set_checkpoint_policy (trace, 256, 1, 1024, G_MAXUINT);
  rec = hs_trace_recorder_new (trace);
  run.rec = rec;
  hs_config_init (&config);
  config.write = write_nothing;
  config.read_line = run_read_line;
  config.hook = record_hook;
  config.hook_mask = HS_EVMASK_ALL;
  config.user_data = &run;
  config.profile = profile;
  config.step_limit = 2000000;
  vm = hs_vm_new (&config);
  if (vm == NULL)
    {
      g_free (run.input.text);
      hs_trace_recorder_free (rec);
      hs_trace_unref (trace);
      return NULL;
    }
  *result = hs_vm_run (vm, path, source, len);
  g_free (run.input.text);
  hs_trace_recorder_finish (rec);
  hs_vm_free (vm, stats);
  hs_trace_recorder_free (rec);
  hs_trace_sync (trace);
  return trace;
}

static gboolean
same_state (HsTraceModel *a, HsTraceModel *b)
{
  guint i;

  if (hs_trace_model_get_event (a) != hs_trace_model_get_event (b)
      || hs_trace_model_get_n_objects (a) != hs_trace_model_get_n_objects (b)
      || hs_trace_model_get_n_refs (a) != hs_trace_model_get_n_refs (b)
      || hs_trace_model_get_n_frames (a) != hs_trace_model_get_n_frames (b)
      || hs_trace_model_get_current_line (a) != hs_trace_model_get_current_line (b))
    return FALSE;
  for (i = 0; i < hs_trace_model_get_n_objects (a); i++)
    {
      const HsTraceObject *x = hs_trace_model_get_object (a, i);
      const HsTraceObject *y = hs_trace_model_lookup_object (b, x->id);
      if (y == NULL || x->refcnt != y->refcnt || x->inrefs != y->inrefs || x->flags != y->flags
          || x->state != y->state || x->generation != y->generation)
        return FALSE;
    }
  return TRUE;
}

/* Checks one program; returns NULL when consistent, else what went wrong.
 * *trace_bug tells a fault of the trace (log, seeking) from one of the runtime. */
static char *
check_program (const char *dir, const char *file, HsProfile profile, GRand *rand, gboolean *trace_bug)
{
  g_autofree char *path = g_build_filename (dir, file, NULL);
  HsResult result = HS_RESULT_OK;
  HsMemStats stats = { 0 };
  g_autoptr(HsTrace) trace = record_program (path, profile, &result, &stats);
  g_autoptr(HsTrace) plain = hs_trace_new ();
  g_autoptr(HsTraceModel) m = NULL;
  HsTraceMismatch mm;
  char *invariant = NULL;
  guint64 n, k;

  *trace_bug = FALSE;
  if (trace == NULL)
    return g_strdup ("could not run");
  n = hs_trace_get_n_events (trace);
  m = hs_trace_model_new (trace);
  hs_trace_model_seek_event_quiet (m, n);
  if (!hs_trace_model_check (m, &mm))
    invariant = g_strdup_printf ("event %" G_GUINT64_FORMAT " object %" G_GUINT64_FORMAT " %s: runtime says %"
                                 G_GINT64_FORMAT ", model counts %" G_GINT64_FORMAT, mm.event, mm.id,
                                 mm.what, mm.expected, mm.counted);
  *trace_bug = TRUE;

  /* Seeking through checkpoints equals replaying from the start. */
  test_record_copy_without_checkpoints (trace, plain);
  if (hs_trace_get_n_events (plain) != n)
    {
      g_free (invariant);
      return g_strdup ("the log does not read back whole");
    }
  for (k = 0; k < 8 && n > 0; k++)
    {
      guint64 target = g_rand_int_range (rand, 0, (gint32) MIN (n, G_MAXINT32 - 1) + 1);
      g_autoptr(HsTraceModel) r = hs_trace_model_new (plain);

      hs_trace_model_seek_event_quiet (m, target);
      hs_trace_model_seek_event_quiet (r, target);
      if (!same_state (m, r))
        {
          g_free (invariant);
          return g_strdup_printf ("seek to event %" G_GUINT64_FORMAT " differs from replay", target);
        }
    }
  *trace_bug = FALSE;
  if (invariant != NULL)
    return invariant;
  if (stats.live_objects != 0 || stats.live_bytes != 0)
    g_printerr ("  %s: runtime leak: %" G_GSIZE_FORMAT " objects, %" G_GSIZE_FORMAT
                " bytes after hs_vm_free (not a trace failure)\n", file, stats.live_objects,
                stats.live_bytes);
  return NULL;
}

typedef struct {
  char      *dir;
  char      *file;
  HsProfile  profile;
} Program;

static void
program_free (Program *p)
{
  g_free (p->dir);
  g_free (p->file);
  g_free (p);
}

static void
add_programs (GPtrArray *programs, const char *dir, gboolean lessons)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  assert_non_null (d);
  while ((name = g_dir_read_name (d)) != NULL)
    if (g_str_has_suffix (name, ".py") && !g_str_has_prefix (name, "check-")
        && !g_str_has_prefix (name, "run-") && !g_str_has_prefix (name, "list-"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
  for (guint i = 0; i < names->len; i++)
    {
      const char *file = g_ptr_array_index (names, i);
      /* Lessons run in both profiles (lesson 7 teaches the difference). */
      for (int k = 0; k < (lessons ? 2 : 1); k++)
        {
          Program *p = g_new0 (Program, 1);
          p->dir = g_strdup (dir);
          p->file = g_strdup (file);
          p->profile = (lessons ? k == 1 : g_str_has_prefix (file, "cpython_profile"))
                         ? HS_PROFILE_CPYTHON : HS_PROFILE_TUTORIAL;
          g_ptr_array_add (programs, p);
        }
    }
}

/* Every program runs in a child process, so a runtime crash is reported as
 * one failure instead of ending the test.  Any failure fails the test: a
 * broken invariant is a bug of the runtime's events (or of the model). */
static void
check_programs (GPtrArray *programs)
{
  g_autoptr(GString) failures = g_string_new (NULL);
  guint i, n_ok = 0, n_failed = 0, n_trace = 0;

  for (i = 0; i < programs->len; i++)
    {
      const Program *p = g_ptr_array_index (programs, i);
      const char *file = p->file;
      const char *label = p->profile == HS_PROFILE_CPYTHON ? " (cpython)" : "";
      int fds[2], status = 0;
      char buf[512];
      ssize_t got;
      pid_t pid;

      assert_int_equal (pipe (fds), 0);
      fflush (NULL);
      pid = fork ();
      assert_true (pid >= 0);
      if (pid == 0)
        {
          GRand *rand = g_rand_new_with_seed (42 + i);
          gboolean trace_bug = FALSE;
          char *why;

          close (fds[0]);
          /* Crashes must reach the parent, not cmocka's handlers. */
          signal (SIGSEGV, SIG_DFL);
          signal (SIGABRT, SIG_DFL);
          signal (SIGBUS, SIG_DFL);
          signal (SIGFPE, SIG_DFL);
          signal (SIGILL, SIG_DFL);
          alarm (120);
          why = check_program (p->dir, file, p->profile, rand, &trace_bug);
          if (why != NULL && write (fds[1], why, strlen (why)) < 0)
            _exit (3);
          _exit (why == NULL ? 0 : trace_bug ? 2 : 1);
        }
      close (fds[1]);
      got = read (fds[0], buf, sizeof buf - 1);
      buf[got > 0 ? got : 0] = '\0';
      close (fds[0]);
      waitpid (pid, &status, 0);
      if (WIFEXITED (status) && WEXITSTATUS (status) == 0)
        n_ok++;
      else
        {
          n_failed++;
          if (WIFEXITED (status) && WEXITSTATUS (status) == 2)
            n_trace++;
          if (WIFSIGNALED (status))
            g_string_append_printf (failures, "  %s%s: crashed (signal %d) while recording\n", file,
                                    label, WTERMSIG (status));
          else
            g_string_append_printf (failures, "  %s%s: %s\n", file, label, buf);
        }
    }
  printf ("corpus: %u programs consistent, %u not (%u by the trace itself)\n%s", n_ok, n_failed,
          n_trace, failures->str);
  fflush (stdout);
  if (n_trace > 0)
    fail_msg ("%u programs: seeking differs from replaying or the log is damaged", n_trace);
  if (n_failed > 0)
    fail_msg ("%u of %u programs broke the refcount invariant or crashed", n_failed, programs->len);
}

static void
test_corpus_invariant (void **state)
{
  g_autofree char *dir = find_corpus ();
  g_autoptr(GPtrArray) programs = g_ptr_array_new_with_free_func ((GDestroyNotify) program_free);

  if (dir == NULL)
    skip ();
  add_programs (programs, dir, FALSE);
  check_programs (programs);
}

static void
test_lessons_invariant (void **state)
{
  g_autofree char *dir = find_lessons ();
  g_autoptr(GPtrArray) programs = g_ptr_array_new_with_free_func ((GDestroyNotify) program_free);

  if (dir == NULL)
    skip ();
  add_programs (programs, dir, TRUE);
  assert_true (programs->len >= 32);
  check_programs (programs);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_corpus_invariant),
    cmocka_unit_test (test_lessons_invariant),
  };

  return cmocka_run_group_tests_name ("trace-corpus", tests, NULL, NULL);
}
