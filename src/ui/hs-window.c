/* hs-window.c — the main window. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "hs-window.h"

struct _HsWindow
{
  GtkApplicationWindow parent_instance;
};

G_DEFINE_FINAL_TYPE (HsWindow, hs_window, GTK_TYPE_APPLICATION_WINDOW)

static void
hs_window_class_init (HsWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/heapscope/Heapscope/ui/hs-window.ui");
}

static void
hs_window_init (HsWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

HsWindow *
hs_window_new (HsApplication *app)
{
  return g_object_new (HS_TYPE_WINDOW, "application", app, NULL);
}
