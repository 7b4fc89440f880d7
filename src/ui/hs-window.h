/* hs-window.h — the main window: code, heap, panels, and the session that drives them. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "hs-application.h"
#include "hs-gc-panel.h"
#include "hs-heap-view.h"
#include "hs-inspector.h"
#include "hs-lesson.h"
#include "hs-session.h"

G_BEGIN_DECLS

#define HS_TYPE_WINDOW (hs_window_get_type ())
G_DECLARE_FINAL_TYPE (HsWindow, hs_window, HS, WINDOW, GtkApplicationWindow)

HsWindow    *hs_window_new (HsApplication *app);
/* Opens the autosave left by a crash, else the last lesson or file, else lesson 1. */
void         hs_window_restore (HsWindow *self);
gboolean     hs_window_open_lesson (HsWindow *self, const char *id);
gboolean     hs_window_open_file (HsWindow *self, GFile *file, GError **error);
void         hs_window_load_text (HsWindow *self, const char *name, const char *text);
/* Saves atomically (write to a temporary file, then rename). */
gboolean     hs_window_save_to (HsWindow *self, GFile *file, GError **error);
char        *hs_window_get_text (HsWindow *self);
void         hs_window_set_text (HsWindow *self, const char *text);
gboolean     hs_window_get_unsaved (HsWindow *self);
void         hs_window_flush_autosave (HsWindow *self);

/* For tests. */
HsSession   *hs_window_get_session (HsWindow *self);
HsHeapView  *hs_window_get_heap_view (HsWindow *self);
HsGcPanel   *hs_window_get_gc_panel (HsWindow *self);
HsInspector *hs_window_get_inspector (HsWindow *self);
const char  *hs_window_get_narration (HsWindow *self);
/* The line marked as the one that ran last (0: none). */
guint32      hs_window_get_done_line (HsWindow *self);
/* Continue below full speed is stepping on its timer. */
gboolean     hs_window_is_playing (HsWindow *self);
GtkAdjustment *hs_window_get_speed_adjustment (HsWindow *self);
/* The question waiting for an answer, or NULL. */
const HsPrediction *hs_window_get_prediction (HsWindow *self);
/* Answers it (NULL: skip) and runs its line. */
void         hs_window_answer_prediction (HsWindow *self, const char *answer);
const char  *hs_window_get_prediction_result (HsWindow *self);
char        *hs_window_get_console_text (HsWindow *self);
/* The entry under the console where the user answers input() (shown while the
 * program waits for a line). */
GtkWidget   *hs_window_get_input_entry (HsWindow *self);
/* The console's text that the program wrote to stderr, run together. */
char        *hs_window_get_console_errors (HsWindow *self);
/* The File ▸ Open Recent submenu: recent .py files, newest first. */
GMenuModel  *hs_window_get_recent_menu (HsWindow *self);
GListModel  *hs_window_get_event_list (HsWindow *self);
const char  *hs_window_get_style_scheme_id (HsWindow *self);

G_END_DECLS
