/* hs-application.c — the GtkApplication: window creation and app-wide actions. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "hs-application.h"
#include "hs-window.h"

struct _HsApplication
{
  GtkApplication parent_instance;

  GtkWindow     *help;
  char          *initial_lesson;
};

G_DEFINE_FINAL_TYPE (HsApplication, hs_application, GTK_TYPE_APPLICATION)

static void
hs_application_activate (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    {
      HsApplication *self = HS_APPLICATION (app);

      window = GTK_WINDOW (hs_window_new (self));
      if (self->initial_lesson == NULL || !hs_window_open_lesson (HS_WINDOW (window), self->initial_lesson))
        hs_window_restore (HS_WINDOW (window));
    }
  gtk_window_present (window);
}

static void
hs_application_open (GApplication  *app,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  HsWindow *window = hs_window_new (HS_APPLICATION (app));
  g_autoptr(GError) error = NULL;

  /* One program at a time: the last file named wins. */
  if (n_files > 0 && !hs_window_open_file (window, files[n_files - 1], &error))
    {
      g_autofree char *name = g_file_get_parse_name (files[n_files - 1]);
      g_printerr ("heapscope: could not open %s: %s\n", name, error->message);
      hs_window_restore (window);
    }
  gtk_window_present (GTK_WINDOW (window));
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *param,
                 gpointer       user_data)
{
  static const char *const authors[] = { "The Heapscope developers", NULL };
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (user_data));

  gtk_show_about_dialog (parent,
                         "program-name", "Heapscope",
                         "logo-icon-name", APP_ID,
                         "version", PACKAGE_VERSION,
                         "comments", _("Step through Python programs and watch how Python manages memory: the heap, the stack, reference counts and the garbage collector."),
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "authors", authors,
                         "website", "https://heapscope.org/",
                         NULL);
}

static void
help_activated (GSimpleAction *action,
                GVariant      *param,
                gpointer       user_data)
{
  HsApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (self->help == NULL)
    {
      g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource ("/org/heapscope/Heapscope/ui/hs-help.ui");
      self->help = GTK_WINDOW (g_object_ref (gtk_builder_get_object (builder, "help_window")));
    }
  gtk_window_set_transient_for (self->help, parent);
  gtk_window_present (self->help);
}

static void
quit_activated (GSimpleAction *action,
                GVariant      *param,
                gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

/* The "theme" setting: follow the system, or force light or dark. */
static void
apply_theme_setting (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = source ? g_settings_schema_source_lookup (source, APP_ID, TRUE) : NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autofree char *theme = NULL;

  if (schema == NULL)
    return;
  settings = g_settings_new (APP_ID);
  theme = g_settings_get_string (settings, "theme");
  if (!g_str_equal (theme, "system"))
    g_object_set (gtk_settings_get_default (), "gtk-application-prefer-dark-theme",
                  g_str_equal (theme, "dark"), NULL);
}

static void
hs_application_startup (GApplication *app)
{
  static const GActionEntry entries[] = {
    { .name = "quit", .activate = quit_activated },
    { .name = "about", .activate = about_activated },
    { .name = "help", .activate = help_activated },
  };
  static const char *const quit_accels[] = { "<Control>q", NULL };
  static const char *const help_accels[] = { "F1", NULL };
  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

  G_APPLICATION_CLASS (hs_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), entries, G_N_ELEMENTS (entries), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.help", help_accels);

  gtk_css_provider_load_from_resource (css, "/org/heapscope/Heapscope/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                    "/org/heapscope/Heapscope/icons");
  gtk_window_set_default_icon_name (APP_ID);
  apply_theme_setting ();
}

static void
hs_application_dispose (GObject *object)
{
  HsApplication *self = HS_APPLICATION (object);

  if (self->help != NULL)
    gtk_window_destroy (self->help);
  g_clear_object (&self->help);
  g_clear_pointer (&self->initial_lesson, g_free);
  G_OBJECT_CLASS (hs_application_parent_class)->dispose (object);
}

static void
hs_application_class_init (HsApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = hs_application_dispose;
  app_class->activate = hs_application_activate;
  app_class->open = hs_application_open;
  app_class->startup = hs_application_startup;
}

static void
hs_application_init (HsApplication *self)
{
}

HsApplication *
hs_application_new (void)
{
  return g_object_new (HS_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE,
                       NULL);
}

void
hs_application_set_initial_lesson (HsApplication *self,
                                   const char    *id)
{
  g_return_if_fail (HS_IS_APPLICATION (self));
  g_free (self->initial_lesson);
  self->initial_lesson = g_strdup (id);
}
