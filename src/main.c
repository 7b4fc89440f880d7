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

typedef struct {
  char     *run_file;
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
  config.write = write_cb;
  config.profile = profile;

  vm = hs_vm_new (&config);
  if (vm == NULL)
    {
      fprintf (stderr, "heapscope: could not start the runtime\n");
      return 1;
    }

  result = hs_vm_run (vm, path, source, len);
  switch (result)
    {
    case HS_RESULT_OK: status = 0; break;
    case HS_RESULT_EXIT: status = hs_vm_exit_status (vm); break;
    case HS_RESULT_CANCELLED: status = 130; break;
    default: status = 1; break;
    }
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
    { "profile", 0, 0, G_OPTION_ARG_STRING, &options.profile,
      N_("Memory profile: tutorial (default) or cpython"), N_("PROFILE") },
    { "version", 0, 0, G_OPTION_ARG_NONE, &options.version,
      N_("Print the version and exit"), NULL },
    { NULL }
  };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = hs_application_new ();
  g_application_add_main_option_entries (G_APPLICATION (app), entries);
  g_signal_connect (app, "handle-local-options", G_CALLBACK (handle_local_options_cb), NULL);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
