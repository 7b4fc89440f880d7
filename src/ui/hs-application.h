/* hs-application.h — the GtkApplication: window creation and app-wide actions. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define HS_TYPE_APPLICATION (hs_application_get_type ())
G_DECLARE_FINAL_TYPE (HsApplication, hs_application, HS, APPLICATION, GtkApplication)

HsApplication *hs_application_new (void);
/* The lesson the first window opens (from --lesson). */
void           hs_application_set_initial_lesson (HsApplication *self, const char *id);

G_END_DECLS
