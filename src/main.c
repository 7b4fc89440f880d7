/* main.c — Heapscope's entry point: the GUI by default, headless tools by option. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "hs.h"
#include "hs-application.h"
#include "hs-diagram-builder.h"
#include "hs-layout.h"
#include "hs-render.h"
#include "hs-trace.h"

typedef struct {
  char     *run_file;
  char     *trace_file;
  char     *output_file;
  char     *render_file;
  gint64    step;
  char     *lesson;
  gint64    step_limit;
  gint64    heap_limit_mib;
  char     *profile;
  gboolean  version;
} Options;

static Options options;

static void
write_cb (void *user_data, HsStream stream, const char *text, size_t len)
{
  FILE *f = stream == HS_STREAM_STDERR ? stderr : stdout;

  if (stream == HS_STREAM_STDERR)
    fflush (stdout);
  fwrite (text, 1, len, f);
  if (stream == HS_STREAM_STDERR)
    fflush (stderr);
}

/* --step-limit and --heap-limit (0: none); -1 means "not given", the defaults stay. */
static void
apply_limits (HsConfig *config)
{
  if (options.step_limit >= 0)
    config->step_limit = (uint64_t) options.step_limit;
  if (options.heap_limit_mib >= 0)
    config->heap_limit = (size_t) options.heap_limit_mib << 20;
}

static gboolean
parse_profile (const char *name, HsProfile *profile)
{
  if (name == NULL || g_str_equal (name, "tutorial"))
    *profile = HS_PROFILE_TUTORIAL;
  else if (g_str_equal (name, "cpython"))
    *profile = HS_PROFILE_CPYTHON;
  else
    return FALSE;
  return TRUE;
}

static int
exit_status_for (HsVm *vm, HsResult result)
{
  switch (result)
    {
    case HS_RESULT_OK: return 0;
    case HS_RESULT_EXIT: return hs_vm_exit_status (vm);
    case HS_RESULT_CANCELLED: return 130;
    default: return 1;
    }
}

/* `heapscope --run FILE.py`: like `python3 FILE.py`. */
static int
run_headless (const char *path, HsProfile profile)
{
  g_autofree char *source = NULL;
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  HsConfig config;
  HsMemStats final;
  HsResult result;
  HsVm *vm;
  int status;

  if (!g_file_get_contents (path, &source, &len, &error))
    {
      int err = error->domain == G_FILE_ERROR ? ENOENT : EIO;
      if (g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_ACCES))
        err = EACCES;
      else if (g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_ISDIR))
        err = EISDIR;
      fprintf (stderr, "heapscope: can't open file '%s': [Errno %d] %s\n", path, err, g_strerror (err));
      return 2;
    }

  hs_config_init (&config);
  apply_limits (&config);
  config.write = write_cb;
  config.profile = profile;

  vm = hs_vm_new (&config);
  if (vm == NULL)
    {
      fprintf (stderr, "heapscope: could not start the runtime\n");
      return 1;
    }

  result = hs_vm_run (vm, path, source, len);
  status = exit_status_for (vm, result);
  fflush (stdout);

  hs_vm_free (vm, &final);
  if ((final.live_objects != 0 || final.live_bytes != 0) && g_getenv ("HEAPSCOPE_CHECK_LEAKS") != NULL)
    {
      fprintf (stderr, "heapscope: runtime leak: %zu objects, %zu bytes still live after teardown\n",
               final.live_objects, final.live_bytes);
      return 3;
    }
  return status;
}

static const char *
result_name (HsResult result)
{
  switch (result)
    {
    case HS_RESULT_OK: return "ok";
    case HS_RESULT_SYNTAX_ERROR: return "syntax-error";
    case HS_RESULT_RUNTIME_ERROR: return "runtime-error";
    case HS_RESULT_EXIT: return "exit";
    case HS_RESULT_LIMIT: return "limit";
    case HS_RESULT_CANCELLED: return "cancelled";
    default: return "unknown";
    }
}

static void
write_nothing_cb (void *user_data, HsStream stream, const char *text, size_t len)
{
}

/* Runs a program headless with every event recorded into a new trace (teardown is not
 * part of the program and is not recorded).  Returns FALSE after printing why it could
 * not run; *status is the program's exit status otherwise. */
static gboolean
record_program (const char *path, HsProfile profile, void (*write) (void *, HsStream, const char *, size_t),
                HsTrace **trace_out, HsResult *result_out, int *status)
{
  g_autofree char *source = NULL;
  g_autoptr(GError) error = NULL;
  HsTraceRecorder *rec;
  HsConfig config;
  gsize len = 0;
  HsVm *vm;

  if (!g_file_get_contents (path, &source, &len, &error))
    {
      fprintf (stderr, "heapscope: can't open file '%s': %s\n", path, error->message);
      *status = 2;
      return FALSE;
    }
  *trace_out = hs_trace_new ();
  rec = hs_trace_recorder_new (*trace_out);
  hs_config_init (&config);
  apply_limits (&config);
  config.write = write;
  config.hook = hs_trace_recorder_hook;
  config.hook_mask = HS_EVMASK_ALL;
  config.user_data = rec;
  config.profile = profile;

  vm = hs_vm_new (&config);
  if (vm == NULL)
    {
      fprintf (stderr, "heapscope: could not start the runtime\n");
      hs_trace_recorder_free (rec);
      g_clear_pointer (trace_out, hs_trace_unref);
      *status = 1;
      return FALSE;
    }
  *result_out = hs_vm_run (vm, path, source, len);
  *status = exit_status_for (vm, *result_out);
  hs_trace_recorder_finish (rec);
  hs_vm_free (vm, NULL);
  hs_trace_recorder_free (rec);
  fflush (stdout);
  return TRUE;
}

/* `heapscope --trace FILE.py [-o out.jsonl]`: the event stream as JSON Lines
 * (src/trace/TRACE-SCHEMA.md).  Without -o the trace goes to stdout and the
 * program's own output is only in the trace. */
static int
trace_headless (const char *path, const char *out_path, HsProfile profile)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsTrace) trace = NULL;
  HsResult result;
  FILE *out = stdout;
  int status;

  /* Without -o stdout carries the trace: the program's output stays in it. */
  if (!record_program (path, profile, out_path != NULL ? write_cb : write_nothing_cb,
                       &trace, &result, &status))
    return status;

  if (out_path != NULL && (out = fopen (out_path, "w")) == NULL)
    {
      fprintf (stderr, "heapscope: can't write '%s': %s\n", out_path, g_strerror (errno));
      return 2;
    }
  if (!hs_trace_write_jsonl (trace, out, path, result_name (result), &error))
    {
      fprintf (stderr, "heapscope: writing the trace failed: %s\n", error->message);
      status = 2;
    }
  if (out != stdout)
    fclose (out);
  return status;
}

/* `heapscope --render FILE.py --step N -o out.{png,svg,pdf}`: the heap and stack
 * diagram at step N (0: the end), drawn as the window draws it, without a display. */
static int
render_headless (const char *path, gint64 step, const char *out_path, HsProfile profile)
{
  g_autoptr(HsTrace) trace = NULL;
  g_autoptr(HsTraceModel) model = NULL;
  HsDiagram *diagram;
  HsRender *render;
  HsLayout *layout;
  HsResult result;
  guint64 n_steps;
  int status = 0;

  if (out_path == NULL)
    {
      fprintf (stderr, "heapscope: --render needs -o OUT.png, OUT.svg or OUT.pdf\n");
      return 2;
    }
  /* The picture is wanted whatever the program's own exit status. */
  if (!record_program (path, profile, write_nothing_cb, &trace, &result, &status))
    return status;
  status = 0;
  hs_trace_sync (trace);

  n_steps = hs_trace_get_n_steps (trace);
  if (step < 0 || (guint64) step > n_steps)
    {
      fprintf (stderr, "heapscope: step %" G_GINT64_FORMAT " is out of range: the program ran %" G_GUINT64_FORMAT " steps\n",
               step, n_steps);
      return 2;
    }
  model = hs_trace_model_new (trace);
  if (step == 0 && result == HS_RESULT_RUNTIME_ERROR)
    hs_trace_model_seek_error (model);
  else if (step == 0)
    hs_trace_model_seek_end (model);
  else
    hs_trace_model_seek_step (model, (guint64) step);

  diagram = hs_diagram_new ();
  render = hs_render_new ();
  layout = hs_layout_new (NULL);
  hs_diagram_build_from_model (diagram, model, NULL, NULL, NULL);
  hs_layout_compute (layout, hs_render_build_graph (render, diagram));
  {
    HsRenderExportOptions export_options = { .scale = 2.0 };
    if (hs_render_export (diagram, layout, out_path, &export_options) != 0)
      {
        fprintf (stderr, "heapscope: could not write '%s' (use a .png, .svg or .pdf name)\n", out_path);
        status = 2;
      }
  }
  hs_layout_free (layout);
  hs_render_free (render);
  hs_diagram_free (diagram);
  return status;
}

static int
handle_local_options_cb (GApplication *app,
                         GVariantDict *dict,
                         gpointer      user_data)
{
  HsProfile profile;

  if (options.version)
    {
      printf ("heapscope %s\n", PACKAGE_VERSION);
      return 0;
    }
  if (!parse_profile (options.profile, &profile))
    {
      fprintf (stderr, "heapscope: unknown profile '%s' (use 'tutorial' or 'cpython')\n", options.profile);
      return 2;
    }
  if (options.run_file != NULL)
    return run_headless (options.run_file, profile);
  if (options.trace_file != NULL)
    return trace_headless (options.trace_file, options.output_file, profile);
  if (options.render_file != NULL)
    return render_headless (options.render_file, options.step, options.output_file, profile);
  if (options.lesson != NULL)
    hs_application_set_initial_lesson (HS_APPLICATION (app), options.lesson);
  return -1;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(HsApplication) app = NULL;
  const GOptionEntry entries[] = {
    { "run", 0, 0, G_OPTION_ARG_FILENAME, &options.run_file,
      N_("Run a program headless, like python3 FILE"), N_("FILE") },
    { "trace", 0, 0, G_OPTION_ARG_FILENAME, &options.trace_file,
      N_("Run a program headless and write its events as JSON Lines"), N_("FILE") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &options.output_file,
      N_("Where --trace or --render writes (--trace default: standard output)"), N_("OUT") },
    { "render", 0, 0, G_OPTION_ARG_FILENAME, &options.render_file,
      N_("Run a program headless and draw its heap diagram to -o OUT.png, .svg or .pdf"), N_("FILE") },
    { "step", 0, 0, G_OPTION_ARG_INT64, &options.step,
      N_("The step --render draws (default: the end of the program)"), N_("N") },
    { "step-limit", 0, 0, G_OPTION_ARG_INT64, &options.step_limit,
      N_("Stop a headless run after N line steps (default 10,000,000; 0: no limit)"), N_("N") },
    { "heap-limit", 0, 0, G_OPTION_ARG_INT64, &options.heap_limit_mib,
      N_("MemoryError past N MiB of program objects (default 256; 0: no limit)"), N_("MIB") },
    { "lesson", 0, 0, G_OPTION_ARG_STRING, &options.lesson,
      N_("Open the window on a lesson, e.g. 11-cycles"), N_("ID") },
    { "profile", 0, 0, G_OPTION_ARG_STRING, &options.profile,
      N_("Memory profile: tutorial (default) or cpython"), N_("PROFILE") },
    { "version", 0, 0, G_OPTION_ARG_NONE, &options.version,
      N_("Print the version and exit"), NULL },
    { NULL }
  };

  options.step_limit = -1;
  options.heap_limit_mib = -1;
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = hs_application_new ();
  g_application_add_main_option_entries (G_APPLICATION (app), entries);
  g_signal_connect (app, "handle-local-options", G_CALLBACK (handle_local_options_cb), NULL);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
