/* test-ui-window.c — drives the main window through lessons: step, back, seek, collect, gc switch. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <math.h>
#include <string.h>

#include "hs-application.h"
#include "hs-diagram-builder.h"
#include "hs-window.h"
#include "test-record.h"

/* Lets the session's worker and the main loop settle: the VM has stopped and every
 * notification reached the widgets. */
static void
settle (HsWindow *window)
{
  HsSession *session = hs_window_get_session (window);

  for (int i = 0; i < 400; i++)
    {
      hs_session_wait (session, 50);
      while (g_main_context_iteration (NULL, FALSE))
        ;
      if (hs_session_get_state (session) != HS_SESSION_RUNNING || hs_session_is_waiting_input (session))
        break;
    }
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
act (HsWindow   *window,
     const char *action)
{
  assert_true (gtk_widget_activate_action (GTK_WIDGET (window), action, NULL));
  settle (window);
}

/* Runs the window's shortcut for `keyval` (no modifiers) as the key would.  It has
 * to be in a capture-phase shortcut controller on the window itself, so that no
 * widget around the focus sees the key first (a GtkPaned takes F6).  GTK 4 has no
 * way to synthesize the key press itself. */
static void
press_window_shortcut (HsWindow *window,
                       guint     keyval)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (window));
  guint i, j;

  for (i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) c = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (c) || gtk_event_controller_get_propagation_phase (c) != GTK_PHASE_CAPTURE)
        continue;
      for (j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (c)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (c), j);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

          if (!GTK_IS_KEYVAL_TRIGGER (trigger)
              || gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) != keyval
              || gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) != 0)
            continue;
          assert_true (gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, GTK_WIDGET (window),
                                                     gtk_shortcut_get_arguments (shortcut)));
          settle (window);
          return;
        }
    }
  fail_msg ("no capture-phase shortcut for %s on the window", gdk_keyval_name (keyval));
}

static HsWindow *
new_window (void)
{
  HsWindow *window = g_object_new (HS_TYPE_WINDOW, NULL);

  gtk_window_present (GTK_WINDOW (window));
  settle (window);
  return window;
}

static void
destroy_window (HsWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* The diagram index of the first drawn object of type `type` (NULL: any) whose short
 * value is `describe` (NULL: any), or -1. */
static int
drawn_index (HsWindow   *window,
             const char *type,
             const char *describe)
{
  HsHeapView *view = hs_window_get_heap_view (window);
  HsTraceModel *model = hs_session_get_model (hs_window_get_session (window));
  GArray *ids = hs_heap_view_get_object_ids (view);

  for (guint i = 0; i < ids->len; i++)
    {
      const HsTraceObject *o = hs_trace_model_lookup_object (model, g_array_index (ids, HsId, i));

      if (o != NULL
          && (type == NULL || g_str_equal (hs_trace_model_type_name (model, o), type))
          && (describe == NULL || g_strcmp0 (hs_trace_model_describe (model, o), describe) == 0))
        return (int) i;
    }
  return -1;
}

/* The first drawn object of type `type` (NULL: any) whose short value is `describe`
 * (NULL: any), or 0. */
static HsId
find_drawn_typed (HsWindow   *window,
                  const char *type,
                  const char *describe)
{
  int i = drawn_index (window, type, describe);

  return i >= 0 ? g_array_index (hs_heap_view_get_object_ids (hs_window_get_heap_view (window)), HsId, i) : 0;
}

/* The drawn object whose short value is `describe`, or 0. */
static HsId
find_drawn (HsWindow   *window,
            const char *describe)
{
  return find_drawn_typed (window, NULL, describe);
}

static void
step_to_line (HsWindow *window,
              guint32   line)
{
  HsSession *session = hs_window_get_session (window);

  /* Lessons stop at predictions: skip them, as a learner in a hurry would. */
  for (int i = 0; i < 200 && hs_session_get_line (session) != line; i++)
    {
      if (hs_window_get_prediction (window) != NULL)
        hs_window_answer_prediction (window, NULL);
      else
        act (window, "session.step-over");
      settle (window);
    }
  assert_int_equal (hs_session_get_line (session), line);
}

/* Lesson 3: the first string is freed by reference counting on the reassignment line;
 * Back brings it back, and seeking the timeline moves both ways without re-running. */
static void
test_reassignment_step_back_seek (void **state)
{
  HsWindow *window = new_window ();
  HsSession *session = hs_window_get_session (window);
  HsTraceModel *model = hs_session_get_model (session);
  HsId first;
  const HsTraceObject *o;
  guint64 step_before;

  assert_true (hs_window_open_lesson (window, "03-reassignment"));
  settle (window);
  assert_int_equal (hs_session_get_step (session), 0);

  step_to_line (window, 12);          /* the reassignment is about to run */
  first = find_drawn (window, "'Hello, Zenva learners!'");
  assert_true (first != 0);
  o = hs_trace_model_lookup_object (model, first);
  assert_int_equal (o->refcnt, 1);
  assert_int_equal (o->state, HS_TRACE_ALIVE);

  step_before = hs_session_get_step (session);
  /* Line 12 asks whether the string is freed now or later: answer, and the line runs. */
  assert_non_null (hs_window_get_prediction (window));
  hs_window_answer_prediction (window, "now");
  settle (window);
  if (strstr (hs_window_get_prediction_result (window), "Right") == NULL)
    fail_msg ("prediction result: “%s”", hs_window_get_prediction_result (window));
  o = hs_trace_model_lookup_object (model, first);
  assert_non_null (o);                /* freed during this step: still drawn, fading out */
  assert_int_equal (o->state, HS_TRACE_FREED_REFCOUNT);
  assert_true (find_drawn (window, "'Hello, Zenva learners!'") == first);
  assert_true (find_drawn (window, "\"How's your learning journey?\"") != 0);

  act (window, "session.back");
  assert_int_equal (hs_session_get_step (session), step_before);
  o = hs_trace_model_lookup_object (model, first);
  assert_non_null (o);
  assert_int_equal (o->state, HS_TRACE_ALIVE);

  hs_session_seek (session, 1);
  settle (window);
  assert_int_equal (hs_session_get_step (session), 1);
  assert_int_equal (find_drawn (window, "'Hello, Zenva learners!'"), 0);

  destroy_window (window);
}

/* Lesson 11: after `del a, b` the two nodes are garbage; Collect frees them by gc and
 * the GC panel records the collection. */
static void
test_cycles_collect (void **state)
{
  HsWindow *window = new_window ();
  HsSession *session = hs_window_get_session (window);
  HsTraceModel *model = hs_session_get_model (session);
  GArray *ids;
  guint garbage = 0, freed_by_gc = 0;
  guint history_before;

  assert_true (hs_window_open_lesson (window, "11-cycles"));
  settle (window);
  step_to_line (window, 28);         /* print(gc.collect()) is next: the cycle is garbage */

  ids = hs_heap_view_get_object_ids (hs_window_get_heap_view (window));
  for (guint i = 0; i < ids->len; i++)
    if (hs_trace_model_is_garbage (model, g_array_index (ids, HsId, i)))
      garbage++;
  assert_int_equal (garbage, 2);

  history_before = hs_gc_panel_get_n_history (hs_window_get_gc_panel (window));
  assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "session.collect", "i", 2));
  settle (window);
  if (hs_gc_panel_get_n_history (hs_window_get_gc_panel (window)) <= history_before)
    fail_msg ("collections: panel %u before, %u after; model %u, trace %u; state %d",
              history_before, hs_gc_panel_get_n_history (hs_window_get_gc_panel (window)),
              hs_trace_model_get_n_collections (model),
              hs_trace_get_n_collections (hs_session_get_trace (session)),
              hs_session_get_state (session));

  ids = hs_heap_view_get_object_ids (hs_window_get_heap_view (window));
  for (guint i = 0; i < ids->len; i++)
    {
      const HsTraceObject *o = hs_trace_model_lookup_object (model, g_array_index (ids, HsId, i));
      if (o != NULL && o->state == HS_TRACE_FREED_GC)
        freed_by_gc++;
    }
  assert_int_equal (freed_by_gc, 2);
  destroy_window (window);
}

/* The gc switch calls gc.disable() in the running program. */
static void
test_gc_switch (void **state)
{
  HsWindow *window = new_window ();
  g_autofree char *console = NULL;

  hs_window_load_text (window, "switch.py", "import gc\nx = 1\nprint('enabled', gc.isenabled())\n");
  settle (window);
  act (window, "session.step-over");
  act (window, "session.step-over");
  assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "session.gc-enabled", NULL));
  settle (window);
  act (window, "session.step-over");
  act (window, "session.step-over");
  console = hs_window_get_console_text (window);
  assert_non_null (strstr (console, "enabled False"));
  destroy_window (window);
}

/* The inspector's refcount breakdown names every holder. */
static void
test_inspector_breakdown (void **state)
{
  HsWindow *window = new_window ();
  HsHeapView *view = hs_window_get_heap_view (window);
  HsId id;
  const char *breakdown;

  hs_window_load_text (window, "alias.py", "message = [1, 2]\nanother = message\nprint(len(message))\n");
  settle (window);
  act (window, "session.step-over");
  act (window, "session.step-over");
  act (window, "session.step-over");
  /* The list's short text is the runtime's, taken when it was empty: find it by type. */
  id = find_drawn_typed (window, "list", NULL);
  assert_true (id != 0);
  hs_heap_view_set_selected (view, id);
  settle (window);
  assert_int_equal (hs_inspector_get_object (hs_window_get_inspector (window)), id);
  breakdown = hs_inspector_get_breakdown (hs_window_get_inspector (window));
  if (strstr (breakdown, "refcount 2 =") == NULL)
    fail_msg ("breakdown: %s", breakdown);
  assert_non_null (strstr (breakdown, "message"));
  assert_non_null (strstr (breakdown, "another"));
  /* The title counts what the list holds now (its text was taken when it was empty),
   * and its items are listed by index. */
  {
    HsTraceModel *model = hs_session_get_model (hs_window_get_session (window));
    g_autofree char *title = hs_diagram_describe_object (model, id);
    g_autofree char *rows = hs_inspector_get_referents_text (hs_window_get_inspector (window));

    assert_string_equal (title, "list, 2 items, refcount 2");
    assert_string_equal (rows, "[0] → int 1, cached\n[1] → int 2, cached\n");
  }
  destroy_window (window);
}

/* A set's elements are drawn with arrows from the set (its references are KEY
 * references, which a dict's picture leaves out), and the inspector calls them elements. */
static void
test_set_elements (void **state)
{
  HsWindow *window = new_window ();
  HsTraceModel *model;
  HsId set = 0, element;

  hs_window_load_text (window, "set.py", "s = {1000, 2000}\nd = {3000: 4000}\nprint(len(s))\n");
  settle (window);
  act (window, "session.step-over");
  act (window, "session.step-over");
  act (window, "session.step-over");
  model = hs_session_get_model (hs_window_get_session (window));
  element = find_drawn (window, "1000");
  assert_true (element != 0);
  assert_true (find_drawn (window, "2000") != 0);
  /* The dict's value is drawn, its key is the slot's label. */
  assert_true (find_drawn (window, "4000") != 0);
  assert_int_equal (find_drawn (window, "3000"), 0);
  set = find_drawn_typed (window, "set", NULL);
  hs_heap_view_set_selected (hs_window_get_heap_view (window), set);
  settle (window);
  {
    g_autofree char *rows = hs_inspector_get_referents_text (hs_window_get_inspector (window));
    g_autoptr(GArray) in = hs_trace_model_referrers (model, element);
    g_autofree char *holder = NULL;

    assert_string_equal (rows, "element → int 1000, refcount 1\nelement → int 2000, refcount 1\n");
    for (guint i = 0; i < in->len && holder == NULL; i++)
      if (g_array_index (in, HsTraceRef, i).holder == set)
        holder = hs_inspector_describe_holder (model, &g_array_index (in, HsTraceRef, i));
    assert_string_equal (holder, "an element of a set");
  }
  destroy_window (window);
}

/* The rows of the drawn object of type `type` (the first one), or NULL. */
static char *
drawn_rows (HsWindow   *window,
            const char *type)
{
  int i = drawn_index (window, type, NULL);

  return i >= 0 ? hs_diagram_rows_text (hs_heap_view_get_diagram (hs_window_get_heap_view (window)), false,
                                        (size_t) i)
                : NULL;
}

/* Variables and dict entries are drawn in the order they were bound, after
 * deletions too (the model moves references around when it removes one); a dict's
 * key that is an object gets its own arrow, on the row above its value. */
static void
test_rows_keep_their_order (void **state)
{
  HsWindow *window = new_window ();
  HsSession *session = hs_window_get_session (window);
  const char *source =
    "class Key:\n    pass\n"
    "a = 1\nb = 2\nc = 3\n"
    "d = {'p': 1, 'q': 2, 'r': 3}\n"
    "del a, d['p']\n"
    "a = 4\n"
    "d['p'] = 5\nd['q'] = 6\n"
    "k = Key()\nd[k] = 7\nd[(1, 2)] = 8\n"
    "e = 9\n";
  char *frame, *dict;

  hs_window_load_text (window, "order.py", source);
  settle (window);
  for (int i = 0; i < 20 && hs_session_get_line (session) != 14; i++)
    {
      act (window, "session.step-over");
      settle (window);
    }
  assert_int_equal (hs_session_get_line (session), 14);
  frame = hs_diagram_rows_text (hs_heap_view_get_diagram (hs_window_get_heap_view (window)), true, 0);
  assert_string_equal (frame, "Key\nb\nc\nd\na\nk\n");
  dict = drawn_rows (window, "dict");
  assert_non_null (dict);
  assert_string_equal (dict, "['q']\n['r']\n['p']\nkey\n[Key object]\nkey\n[(1, 2)]\n");
  free (frame);
  free (dict);
  destroy_window (window);
}

/* input(): a bar under the console asks for the line while the program waits; the
 * answer is echoed in the console, as a terminal shows it; End Input raises EOFError. */
/* The first label under root whose text starts with prefix. */
static GtkLabel *
find_label_prefixed (GtkWidget *root, const char *prefix)
{
  GtkWidget *child;

  if (GTK_IS_LABEL (root) && g_str_has_prefix (gtk_label_get_text (GTK_LABEL (root)), prefix))
    return GTK_LABEL (root);
  for (child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *found = find_label_prefixed (child, prefix);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_input_bar (void **state)
{
  HsWindow *window = new_window ();
  HsSession *session = hs_window_get_session (window);
  GtkWidget *entry = hs_window_get_input_entry (window);
  GtkWidget *bar = gtk_widget_get_parent (entry);
  g_autofree char *console = NULL;
  g_autofree char *errors = NULL;

  hs_window_load_text (window, "ask.py",
                       "name = input('Name? ')\nprint('Hi', name)\nagain = input('More? ')\n");
  settle (window);
  assert_false (gtk_widget_get_visible (bar));
  hs_session_continue (session);
  settle (window);
  assert_true (hs_session_is_waiting_input (session));
  assert_true (gtk_widget_get_visible (bar));
  console = hs_window_get_console_text (window);
  assert_string_equal (console, "Name? ");
  g_clear_pointer (&console, g_free);

  /* Pause (F6) while it waits: paused there at once, and the bar still asks. */
  press_window_shortcut (window, GDK_KEY_F6);
  settle (window);
  assert_int_equal (hs_session_get_state (session), HS_SESSION_PAUSED);
  assert_true (gtk_widget_get_visible (bar));
  assert_true (g_str_has_suffix (gtk_label_get_text (find_label_prefixed (GTK_WIDGET (window), "Step ")),
                                 "paused in input()"));

  gtk_editable_set_text (GTK_EDITABLE (entry), "Ada");
  g_signal_emit_by_name (entry, "activate");   /* Enter */
  settle (window);
  assert_string_equal (gtk_editable_get_text (GTK_EDITABLE (entry)), "");
  /* Answered while paused: the line ran, and the program paused on the next. */
  assert_int_equal (hs_session_get_state (session), HS_SESSION_PAUSED);
  assert_int_equal (hs_session_get_line (session), 2);
  hs_session_continue (session);
  settle (window);
  console = hs_window_get_console_text (window);
  assert_string_equal (console, "Name? Ada\nHi Ada\nMore? ");
  assert_true (gtk_widget_get_visible (bar));

  /* End Input: EOFError, and the bar goes away. */
  hs_session_send_input (session, NULL);
  settle (window);
  assert_int_equal (hs_session_get_state (session), HS_SESSION_ERROR);
  assert_false (gtk_widget_get_visible (bar));
  errors = hs_window_get_console_errors (window);
  assert_true (g_str_has_suffix (errors, "EOFError: EOF when reading a line\n"));
  destroy_window (window);
}

/* The canvas exported at two steps shows different pictures, and a non-empty one. */
static void
test_render_png (void **state)
{
  HsWindow *window = new_window ();
  g_autofree char *dir = g_dir_make_tmp ("hs-ui-XXXXXX", NULL);
  g_autofree char *a = g_build_filename (dir, "a.png", NULL);
  g_autofree char *b = g_build_filename (dir, "b.png", NULL);
  g_autoptr(GdkPixbuf) pa = NULL;
  g_autoptr(GdkPixbuf) pb = NULL;
  g_autoptr(GError) error = NULL;

  hs_window_load_text (window, "pic.py", "x = [1, 2, 3]\ny = {'k': x}\nz = 0\n");
  settle (window);
  act (window, "session.step-over");
  act (window, "session.step-over");
  assert_true (hs_heap_view_export (hs_window_get_heap_view (window), a, FALSE, &error));
  act (window, "session.step-over");
  assert_true (hs_heap_view_export (hs_window_get_heap_view (window), b, FALSE, &error));
  pa = gdk_pixbuf_new_from_file (a, &error);
  assert_non_null (pa);
  pb = gdk_pixbuf_new_from_file (b, &error);
  assert_non_null (pb);
  /* A dict joined the picture: it grew. */
  assert_true (gdk_pixbuf_get_width (pb) * gdk_pixbuf_get_height (pb)
               > gdk_pixbuf_get_width (pa) * gdk_pixbuf_get_height (pa));
  g_unlink (a);
  g_unlink (b);
  g_rmdir (dir);
  destroy_window (window);
}

/* A prediction waits for an answer, then is checked against what the runtime did. */
static void
test_prediction (void **state)
{
  HsWindow *window = new_window ();
  HsSession *session = hs_window_get_session (window);
  guint64 step;

  assert_true (hs_window_open_lesson (window, "07-getrefcount"));
  settle (window);
  for (int i = 0; i < 50 && hs_window_get_prediction (window) == NULL; i++)
    act (window, "session.step-over");
  assert_non_null (hs_window_get_prediction (window));
  /* Keyboard first: the answer field has the focus. */
  {
    GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));
    if (focus == NULL || !GTK_IS_TEXT (focus))
      fail_msg ("focus on %s", focus != NULL ? G_OBJECT_TYPE_NAME (focus) : "nothing");
  }
  step = hs_session_get_step (session);
  act (window, "session.step-over");      /* refused: the question is not answered */
  assert_int_equal (hs_session_get_step (session), step);
  hs_window_answer_prediction (window, "2");
  settle (window);
  assert_int_equal (hs_session_get_step (session), step + 1);
  if (strstr (hs_window_get_prediction_result (window), "Right") == NULL)
    fail_msg ("prediction result: “%s”", hs_window_get_prediction_result (window));
  destroy_window (window);
}

/* Lesson 13 ends with a question on its last line: the answer is checked although
 * running that line ends the program without a new step. */
static void
test_prediction_on_last_line (void **state)
{
  HsWindow *window = new_window ();
  HsSession *session = hs_window_get_session (window);

  assert_true (hs_window_open_lesson (window, "13-finalizers"));
  settle (window);
  step_to_line (window, 45);
  assert_non_null (hs_window_get_prediction (window));
  hs_window_answer_prediction (window, "second collect 1");
  settle (window);
  assert_int_equal (hs_session_get_state (session), HS_SESSION_FINISHED);
  if (strstr (hs_window_get_prediction_result (window), "Right") == NULL)
    fail_msg ("prediction result: “%s”", hs_window_get_prediction_result (window));
  destroy_window (window);
}

/* Lesson 11 asks on line 22 and again on line 28, the next line that runs: the verdict
 * on the first question moves above the second and says which question it answers. */
static void
test_prediction_verdict_before_next_question (void **state)
{
  HsWindow *window = new_window ();
  HsSession *session = hs_window_get_session (window);
  GtkWidget *box = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (window), HS_TYPE_WINDOW, "prediction_box"));
  GtkWidget *result = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (window), HS_TYPE_WINDOW, "prediction_result"));

  assert_true (hs_window_open_lesson (window, "11-cycles"));
  settle (window);
  step_to_line (window, 22);
  assert_non_null (hs_window_get_prediction (window));
  hs_window_answer_prediction (window, "later");
  settle (window);
  assert_int_equal (hs_session_get_line (session), 28);
  assert_non_null (hs_window_get_prediction (window));          /* the next question */
  assert_string_equal (hs_window_get_prediction_result (window), "Last question: ✓ Right: later");
  assert_ptr_equal (gtk_widget_get_first_child (box), result);
  /* Answering the new one puts its own verdict back under it. */
  hs_window_answer_prediction (window, "2");
  settle (window);
  assert_int_equal (hs_session_get_state (session), HS_SESSION_FINISHED);
  if (strstr (hs_window_get_prediction_result (window), "Last question") != NULL)
    fail_msg ("result: %s", hs_window_get_prediction_result (window));
  assert_ptr_equal (gtk_widget_get_last_child (box), result);
  assert_null (hs_window_get_prediction (window));             /* the run is over: no question */
  destroy_window (window);
}

/* A program that never ends keeps the window responsive, and Pause stops it. */
static void
test_pause_infinite_loop (void **state)
{
  HsWindow *window = new_window ();
  HsSession *session = hs_window_get_session (window);
  GtkAdjustment *speed = NULL;
  gint64 deadline;

  hs_window_load_text (window, "forever.py", "n = 0\nwhile True:\n    n += 1\n");
  settle (window);
  speed = hs_window_get_speed_adjustment (window);
  gtk_adjustment_set_value (speed, gtk_adjustment_get_upper (speed));
  assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "session.continue", NULL));
  /* Let it run a little while the main loop keeps turning. */
  deadline = g_get_monotonic_time () + 300 * 1000;
  while (g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  assert_int_equal (hs_session_get_state (session), HS_SESSION_RUNNING);
  assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "session.pause", NULL));
  settle (window);
  assert_int_equal (hs_session_get_state (session), HS_SESSION_PAUSED);
  assert_true (hs_session_get_step (session) > 10);
  destroy_window (window);
}

/* Playing at a learner's pace (Continue below full speed) shows Pause and "playing",
 * though the session rests between the steps; Pause ends it. */
static void
test_play_shows_pause (void **state)
{
  HsWindow *window = new_window ();
  HsSession *session = hs_window_get_session (window);
  GtkAdjustment *speed = hs_window_get_speed_adjustment (window);
  GtkStack *run_stack = GTK_STACK (gtk_widget_get_template_child (GTK_WIDGET (window), HS_TYPE_WINDOW, "run_stack"));
  GtkLabel *step_label = GTK_LABEL (gtk_widget_get_template_child (GTK_WIDGET (window), HS_TYPE_WINDOW, "step_label"));
  guint64 step;
  gint64 deadline;

  hs_window_load_text (window, "count.py", "n = 0\nwhile n < 1000:\n    n += 1\n");
  settle (window);
  gtk_adjustment_set_value (speed, 20);
  assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "session.continue", NULL));
  deadline = g_get_monotonic_time () + 400 * 1000;
  while (g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  assert_string_equal (gtk_stack_get_visible_child_name (run_stack), "pause");
  /* Between two steps "playing"; during one, "running…". */
  if (!g_str_has_suffix (gtk_label_get_text (step_label), "playing")
      && !g_str_has_suffix (gtk_label_get_text (step_label), "running…"))
    fail_msg ("step label: %s", gtk_label_get_text (step_label));
  assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "session.pause", NULL));
  settle (window);
  step = hs_session_get_step (session);
  assert_true (step > 1);
  assert_string_equal (gtk_stack_get_visible_child_name (run_stack), "continue");
  if (!g_str_has_suffix (gtk_label_get_text (step_label), "paused"))
    fail_msg ("step label: %s", gtk_label_get_text (step_label));
  /* Paused means paused: no more steps. */
  deadline = g_get_monotonic_time () + 200 * 1000;
  while (g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  assert_int_equal (hs_session_get_step (session), step);
  destroy_window (window);
}

/* A breakpoint stops Continue on its line, which then carries two marks: the breakpoint
 * and "next", and at the end the breakpoint and the error raised there. The gutter draws
 * them (the sanitizer run checks that this leaks nothing). */
static void
test_breakpoint_stop (void **state)
{
  HsWindow *window = new_window ();
  HsSession *session = hs_window_get_session (window);
  GtkWidget *code_view = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (window), HS_TYPE_WINDOW, "code_view"));
  GtkAdjustment *speed = hs_window_get_speed_adjustment (window);
  GtkTextIter iter;

  hs_window_load_text (window, "loop.py", "n = 0\nfor i in range(3):\n    n += 10 // (2 - i)\nprint(n)\n");
  settle (window);
  gtk_text_buffer_get_iter_at_line (gtk_text_view_get_buffer (GTK_TEXT_VIEW (code_view)), &iter, 2);
  g_signal_emit_by_name (code_view, "line-mark-activated", &iter, 1u, (GdkModifierType) 0, 1);
  assert_true (hs_session_has_breakpoint (session, 3));
  gtk_adjustment_set_value (speed, gtk_adjustment_get_upper (speed));
  for (int k = 0; k < 4 && hs_session_get_state (session) != HS_SESSION_ERROR; k++)
    {
      gint64 deadline = g_get_monotonic_time () + 150 * 1000;

      act (window, "session.continue");
      while (g_get_monotonic_time () < deadline)          /* frames are drawn */
        g_main_context_iteration (NULL, FALSE);
      assert_int_equal (hs_session_get_line (session), 3);
    }
  assert_int_equal (hs_session_get_state (session), HS_SESSION_ERROR);
  assert_int_equal (hs_session_get_error (session)->line, 3);

  /* Playing at a learner's pace stops before the breakpoint's line too: at step 3,
   * with line 3 about to run, then at step 5 (the loop's second turn). */
  act (window, "session.reset");
  gtk_adjustment_set_value (speed, 50);
  for (guint64 want = 3; want <= 5; want += 2)
    {
      gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

      assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "session.continue", NULL));
      while (g_get_monotonic_time () < deadline
             && (hs_window_is_playing (window) || hs_session_get_state (session) == HS_SESSION_RUNNING))
        g_main_context_iteration (NULL, FALSE);
      settle (window);
      assert_int_equal (hs_session_get_line (session), 3);
      assert_int_equal (hs_session_get_step (session), want);
    }
  destroy_window (window);
}

/* Open, edit, save: the text round-trips, the title shows unsaved work, and bad files
 * give a clear error without touching what is open. */
static void
test_files (void **state)
{
  HsWindow *window = new_window ();
  g_autofree char *dir = g_dir_make_tmp ("hs-ui-files-XXXXXX", NULL);
  g_autofree char *good = g_build_filename (dir, "good.py", NULL);
  g_autofree char *binary = g_build_filename (dir, "binary.py", NULL);
  g_autofree char *latin1 = g_build_filename (dir, "latin1.py", NULL);
  g_autofree char *huge = g_build_filename (dir, "huge.py", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.py", NULL);
  g_autofree char *text = NULL;
  g_autofree char *saved = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (good);
  static const char bin[] = "x = 1\0\0\x01\x02";
  static const char lat[] = "s = 'caf\xe9'\n";

  assert_true (g_file_set_contents (good, "a = [1]\nprint(a)\n", -1, NULL));
  assert_true (g_file_set_contents (binary, bin, sizeof bin, NULL));
  assert_true (g_file_set_contents (latin1, lat, sizeof lat - 1, NULL));
  {
    GString *big = g_string_new (NULL);
    while (big->len < 9 * 1024 * 1024)
      g_string_append (big, "x = 1  # padding padding padding padding padding padding\n");
    assert_true (g_file_set_contents (huge, big->str, big->len, NULL));
    g_string_free (big, TRUE);
  }

  assert_true (hs_window_open_file (window, file, NULL));
  settle (window);
  text = hs_window_get_text (window);
  assert_string_equal (text, "a = [1]\nprint(a)\n");
  assert_false (hs_window_get_unsaved (window));

  for (guint i = 0; i < 4; i++)
    {
      const char *path = (const char *[]) { binary, latin1, huge, missing }[i];
      g_autoptr(GFile) bad = g_file_new_for_path (path);
      g_autoptr(GError) error = NULL;
      g_autofree char *still = NULL;

      assert_false (hs_window_open_file (window, bad, &error));
      assert_non_null (error);
      assert_true (strlen (error->message) > 10);
      still = hs_window_get_text (window);
      assert_string_equal (still, "a = [1]\nprint(a)\n");   /* nothing lost */
    }

  hs_window_set_text (window, "b = 2\n");
  assert_true (hs_window_get_unsaved (window));
  assert_true (hs_window_save_to (window, file, NULL));
  assert_false (hs_window_get_unsaved (window));
  assert_true (g_file_get_contents (good, &saved, NULL, NULL));
  assert_string_equal (saved, "b = 2\n");

  g_unlink (good);
  g_unlink (binary);
  g_unlink (latin1);
  g_unlink (huge);
  g_rmdir (dir);
  destroy_window (window);
}

/* Edits are autosaved; a new window after a crash restores them. */
static void
test_autosave_restore (void **state)
{
  HsWindow *window = new_window ();
  HsWindow *again;
  g_autofree char *restored = NULL;

  hs_window_load_text (window, "draft.py", "print('first')\n");
  hs_window_set_text (window, "print('unsaved work')\n");
  hs_window_flush_autosave (window);
  /* A crash: the window goes without a chance to ask. */
  g_object_run_dispose (G_OBJECT (window));
  again = new_window ();
  hs_window_restore (again);
  settle (again);
  restored = hs_window_get_text (again);
  assert_string_equal (restored, "print('unsaved work')\n");
  assert_true (hs_window_get_unsaved (again));
  hs_window_set_text (again, "");
  hs_window_flush_autosave (again);
  destroy_window (again);
}

/* `heapscope FILE.py` opens the file in a window (GApplication's open). */
static void
test_command_line_file (void **state)
{
  g_autoptr(HsApplication) app = hs_application_new ();
  g_autofree char *dir = g_dir_make_tmp ("hs-ui-open-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "argv.py", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  GtkWindow *window;
  g_autofree char *text = NULL;

  assert_true (g_file_set_contents (path, "opened = 'from the command line'\n", -1, NULL));
  assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_application_open (G_APPLICATION (app), &file, 1, "");
  while (g_main_context_iteration (NULL, FALSE))
    ;
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  assert_non_null (window);
  assert_true (HS_IS_WINDOW (window));
  text = hs_window_get_text (HS_WINDOW (window));
  assert_string_equal (text, "opened = 'from the command line'\n");
  assert_non_null (strstr (gtk_window_get_title (window), "argv.py"));
  gtk_window_destroy (window);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_unlink (path);
  g_rmdir (dir);
}

static void
texture_ready_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GdkTexture **texture = user_data;

  *texture = gdk_clipboard_read_texture_finish (GDK_CLIPBOARD (source), result, NULL);
  if (*texture == NULL)
    *texture = GINT_TO_POINTER (1);   /* finished, without a texture */
}

/* Copy Diagram puts a picture of the heap on the clipboard. */
static void
test_copy_diagram (void **state)
{
  HsWindow *window = new_window ();
  GdkTexture *texture = NULL;
  gint64 deadline;

  hs_window_load_text (window, "clip.py", "x = [1, 2]\ny = x\n");
  settle (window);
  act (window, "session.step-over");
  act (window, "session.step-over");
  assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.copy-diagram", NULL));
  gdk_clipboard_read_texture_async (gtk_widget_get_clipboard (GTK_WIDGET (window)), NULL,
                                    texture_ready_cb, &texture);
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (texture == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  assert_true (texture != NULL && texture != GINT_TO_POINTER (1));
  assert_true (gdk_texture_get_width (texture) > 100);
  assert_true (gdk_texture_get_height (texture) > 50);
  g_object_unref (texture);
  destroy_window (window);
}

/* Every lesson runs to its end in the window without an error. */
static void
test_every_lesson_finishes (void **state)
{
  g_auto(GStrv) names = g_resources_enumerate_children ("/org/heapscope/Heapscope/lessons", 0, NULL);
  HsWindow *window = new_window ();
  HsSession *session = hs_window_get_session (window);

  assert_non_null (names);
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *id = g_strndup (names[i], strlen (names[i]) - 3);

      assert_true (hs_window_open_lesson (window, id));
      settle (window);
      hs_session_continue (session);
      settle (window);
      if (hs_session_get_state (session) != HS_SESSION_FINISHED)
        fail_msg ("lesson %s ended in state %d", id, hs_session_get_state (session));
    }
  destroy_window (window);

  /* Progress is remembered in the settings: every lesson run to its end is completed. */
  {
    g_autoptr(GSettings) settings = g_settings_new ("org.heapscope.Heapscope");
    g_autoptr(GVariant) progress = g_settings_get_value (settings, "lesson-progress");

    for (guint i = 0; names[i] != NULL; i++)
      {
        g_autofree char *id = g_strndup (names[i], strlen (names[i]) - 3);
        const char *value = NULL;

        if (!g_variant_lookup (progress, id, "&s", &value) || g_strcmp0 (value, "completed") != 0)
          fail_msg ("lesson %s has progress %s", id, value ? value : "(none)");
      }
  }
}

/* Lesson 1 run to its end: the window shows the final picture, the state just before
 * the module returned: the global frame and the string it names, drawn and placed. */
static void
test_final_picture (void **state)
{
  HsWindow *window = new_window ();
  HsHeapView *view = hs_window_get_heap_view (window);
  HsSession *session = hs_window_get_session (window);
  const HsDiagram *diagram;
  graphene_point_t origin;
  HsId text;

  assert_true (hs_window_open_lesson (window, "01-heap-memory"));
  settle (window);
  for (int i = 0; i < 20 && hs_session_get_state (session) != HS_SESSION_FINISHED; i++)
    {
      if (hs_window_get_prediction (window) != NULL)
        hs_window_answer_prediction (window, NULL);
      else
        act (window, "session.step-over");
      settle (window);
    }
  assert_int_equal (hs_session_get_state (session), HS_SESSION_FINISHED);
  assert_int_equal (hs_window_get_done_line (window), 15);    /* print(string) ran last */
  /* Another Step at the end changes nothing. */
  act (window, "session.step-over");
  assert_int_equal (hs_session_get_state (session), HS_SESSION_FINISHED);

  diagram = hs_heap_view_get_diagram (view);
  assert_int_equal (hs_diagram_n_frames (diagram), 1);
  text = find_drawn (window, "'Hello, Zenva learners!'");
  assert_true (text != 0);
  assert_true (hs_heap_view_get_object_bounds (view, text, &origin));
  /* Before the module's implicit "return None" pushed None: no stack temporary. */
  assert_int_equal (find_drawn (window, "None"), 0);
  assert_int_equal (hs_window_get_done_line (window), 15);
  destroy_window (window);
}

/* Zoom to fit keeps the picture clear of the status line over the view's top and of the
 * zoom buttons over its bottom: a tall diagram in a short view, nothing under either. */
static void
test_fit_clears_overlays (void **state)
{
  static const char source[] = "rows = [[i] for i in range(8)]\nx = 1\n";
  g_autoptr(HsTrace) trace = test_record (source, HS_RESULT_OK);
  g_autoptr(HsTraceModel) model = NULL;
  GtkWidget *window = gtk_window_new ();
  GtkWidget *widget = hs_heap_view_new ();
  HsHeapView *view = HS_HEAP_VIEW (widget);
  int w, h, found = 0;

  model = hs_trace_model_new (trace);
  hs_trace_model_seek_end (model);

  gtk_window_set_default_size (GTK_WINDOW (window), 500, 320);
  gtk_window_set_child (GTK_WINDOW (window), widget);
  gtk_window_present (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  hs_heap_view_set_model (view, model);
  hs_heap_view_refresh (view);
  hs_heap_view_zoom_fit (view);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  w = gtk_widget_get_width (widget);
  h = gtk_widget_get_height (widget);
  assert_true (hs_diagram_n_objects (hs_heap_view_get_diagram (view)) >= 9);
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x += 2)
      if (hs_heap_view_lookup_object (view, x, y) != 0)
        {
          if (y < 36 || y >= h - 52)
            fail_msg ("an object at %d,%d of a %dx%d view, under an overlay", x, y, w, h);
          found++;
        }
  assert_true (found > 0);
  hs_heap_view_set_model (view, NULL);
  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* A run ended by an uncaught exception shows where it was raised: every frame it
 * unwound, with its locals, and the whole traceback in the output, scrolled to. */
static void
test_error_picture (void **state)
{
  static const char source[] =
    "def f(x):\n    return g(x) + 1\n\ndef g(y):\n    items = [1, 2, 3]\n    return items[y]\n\n"
    "print(f(1))\nprint(f(5))\n";
  HsWindow *window = new_window ();
  HsSession *session = hs_window_get_session (window);
  HsHeapView *view = hs_window_get_heap_view (window);
  g_autofree char *console = NULL;

  hs_window_load_text (window, "err.py", source);
  settle (window);
  hs_session_continue (session);
  settle (window);
  assert_int_equal (hs_session_get_state (session), HS_SESSION_ERROR);
  /* <module>, f and g */
  assert_int_equal (hs_diagram_n_frames (hs_heap_view_get_diagram (view)), 3);
  {
    HsTraceModel *model = hs_session_get_model (session);
    HsId items = find_drawn (window, "[]");
    const HsTraceObject *o = items != 0 ? hs_trace_model_lookup_object (model, items) : NULL;

    assert_non_null (o);                     /* g's list, alive while g runs */
    assert_int_equal (o->state, HS_TRACE_ALIVE);
  }
  console = hs_window_get_console_text (window);
  if (strstr (console, "Traceback (most recent call last):") == NULL
      || strstr (console, "line 6, in g") == NULL
      || !g_str_has_suffix (console, "IndexError: list index out of range\n"))
    fail_msg ("console: “%s”", console);
  /* The traceback went to stderr and stands out; what print() wrote does not. */
  {
    g_autofree char *errors = hs_window_get_console_errors (window);

    assert_true (g_str_has_prefix (console, "3\n"));
    assert_string_equal (errors, console + 2);
  }
  destroy_window (window);
}

/* A program stopped by a limit says which limit, and marks the line it stopped at. */
static void
test_limit_banner (void **state)
{
  HsWindow *window = new_window ();
  HsSession *session = hs_window_get_session (window);
  GtkLabel *banner;
  const HsErrorInfo *err;
  g_autofree char *want = NULL;

  hs_session_set_limits (session, 500, 0, 0);
  hs_window_load_text (window, "loop.py", "total = 0\nwhile True:\n    total += 1\n");
  settle (window);
  hs_session_continue (session);
  settle (window);
  assert_int_equal (hs_session_get_state (session), HS_SESSION_ERROR);
  err = hs_session_get_error (session);
  assert_int_equal (err->result, HS_RESULT_LIMIT);
  assert_true (err->line == 2 || err->line == 3);
  want = g_strdup_printf ("Stopped at line %u: the step limit of 500 line steps reached", err->line);
  banner = find_label_prefixed (GTK_WIDGET (window), "Stopped at line");
  assert_non_null (banner);
  assert_string_equal (gtk_label_get_text (banner), want);
  assert_true (g_str_has_suffix (gtk_label_get_text (find_label_prefixed (GTK_WIDGET (window), "Step ")),
                                 "stopped by a limit"));
  destroy_window (window);
}

/* Lesson 10 with "Keep Returned Frames": the frame of describe() stays, greyed, after it
 * returned; a later call takes its place; switching the option off removes it. */
static void
test_finished_frames (void **state)
{
  HsWindow *window = new_window ();
  HsHeapView *view = hs_window_get_heap_view (window);
  HsSession *session = hs_window_get_session (window);
  HsTraceModel *model = hs_session_get_model (session);

  assert_true (hs_window_open_lesson (window, "10-function-calls"));
  settle (window);
  act (window, "win.keep-finished-frames");
  assert_true (hs_heap_view_get_keep_finished_frames (view));

  step_to_line (window, 14);
  assert_int_equal (hs_heap_view_get_n_finished_frames (view), 0);
  step_to_line (window, 16);          /* describe(data) ran and returned */
  assert_int_equal (hs_heap_view_get_n_finished_frames (view), 1);
  assert_int_equal (hs_diagram_n_frames (hs_heap_view_get_diagram (view)),
                    hs_trace_model_get_n_frames (model) + 1);

  /* countdown(5) pushes and pops six frames: they replace describe's. */
  step_to_line (window, 29);
  assert_int_equal (hs_heap_view_get_n_finished_frames (view), 6);

  act (window, "win.keep-finished-frames");
  assert_false (hs_heap_view_get_keep_finished_frames (view));
  assert_int_equal (hs_heap_view_get_n_finished_frames (view), 0);
  assert_int_equal (hs_diagram_n_frames (hs_heap_view_get_diagram (view)),
                    hs_trace_model_get_n_frames (model));
  destroy_window (window);
}

/* An object pushed down by a growing list glides: half way through the animation it
 * is drawn between its old and its new place, and lands on the new one. */
static void
test_move_glides (void **state)
{
  HsWindow *window = new_window ();
  HsHeapView *view = hs_window_get_heap_view (window);
  HsSession *session = hs_window_get_session (window);
  graphene_point_t before, mid, start, end;
  HsId below;

  /* Slow, so the main loop cannot finish the glide before it is looked at. */
  hs_heap_view_set_animation_speed (view, 0.05);
  hs_window_load_text (window, "moving.py",
                       "a = []\nb = ['below']\na.append(1)\na.append(2)\na.append(3)\nx = 0\n");
  settle (window);
  step_to_line (window, 3);
  below = 0;
  {
    HsTraceModel *model = hs_session_get_model (session);
    GArray *ids = hs_heap_view_get_object_ids (view);
    for (guint i = 0; i < ids->len; i++)
      {
        const HsTraceObject *o = hs_trace_model_lookup_object (model, g_array_index (ids, HsId, i));
        if (o != NULL && g_strcmp0 (hs_trace_model_type_name (model, o), "list") == 0)
          below = o->id;    /* the last list drawn: b, under a */
      }
  }
  assert_true (below != 0);
  hs_heap_view_set_animation_progress (view, 1.0);
  assert_true (hs_heap_view_get_object_bounds (view, below, &before));

  act (window, "session.step-over");      /* a.append(1): a grows by a row */
  hs_heap_view_get_diagram (view);
  hs_heap_view_set_animation_progress (view, 0.0);
  assert_true (hs_heap_view_get_object_bounds (view, below, &start));
  hs_heap_view_set_animation_progress (view, 0.5);
  assert_true (hs_heap_view_get_object_bounds (view, below, &mid));
  hs_heap_view_set_animation_progress (view, 1.0);
  assert_true (hs_heap_view_get_object_bounds (view, below, &end));

  if (end.y == before.y && end.x == before.x)
    fail_msg ("b did not move (%g, %g)", end.x, end.y);
  assert_true (fabs (start.y - before.y) < 0.01 && fabs (start.x - before.x) < 0.01);
  assert_true ((mid.y - before.y) * (end.y - mid.y) > 0 || (mid.x - before.x) * (end.x - mid.x) > 0);
  destroy_window (window);
}

/* A big diagram laid out afresh is arranged on a worker thread: the view says
 * so until the layout is back, then every object has its place.  A lesson-sized
 * one is laid out at once, and an export does not wait for the worker. */
static void
test_big_heap_arranged_off_thread (void **state)
{
  HsWindow *window = new_window ();
  HsHeapView *view = hs_window_get_heap_view (window);
  HsTraceModel *model = hs_session_get_model (hs_window_get_session (window));
  g_autofree char *dir = g_dir_make_tmp ("heapscope-test-XXXXXX", NULL);
  g_autofree char *png = g_build_filename (dir, "big.png", NULL);
  graphene_point_t p;
  GArray *ids;
  int turns = 0;

  hs_window_load_text (window, "big.py",
                       "data = [[[i + 1000] for i in range(50)] for j in range(50)]\nx = 1\n");
  settle (window);
  step_to_line (window, 2);
  /* 5,051 objects: the picture draws as many as it may, nearest the frames first,
   * and says how many there are. */
  ids = hs_heap_view_get_object_ids (view);
  assert_int_equal (ids->len, HS_DIAGRAM_MAX_OBJECTS);
  {
    guint drawn, n = hs_heap_view_get_n_objects (view, &drawn);
    g_autofree char *want = NULL;
    GtkLabel *status;

    assert_int_equal (n, 5051);
    assert_true (drawn < HS_DIAGRAM_MAX_OBJECTS);   /* what line 1 freed is drawn too */
    assert_true (drawn > HS_DIAGRAM_MAX_OBJECTS - 10);
    want = g_strdup_printf ("5051 objects on the heap; the %u nearest the frames are drawn", drawn);
    status = find_label_prefixed (GTK_WIDGET (window), "5051 objects on the heap");
    assert_non_null (status);
    assert_string_equal (gtk_label_get_text (status), want);
  }

  hs_heap_view_set_model (view, NULL);
  hs_heap_view_set_model (view, model);
  assert_true (hs_heap_view_is_arranging (view));
  ids = hs_heap_view_get_object_ids (view);
  assert_false (hs_heap_view_get_object_bounds (view, g_array_index (ids, HsId, 0), &p));
  while (hs_heap_view_is_arranging (view) && turns++ < 100000)
    g_main_context_iteration (NULL, TRUE);
  assert_false (hs_heap_view_is_arranging (view));
  for (guint i = 0; i < ids->len; i++)
    assert_true (hs_heap_view_get_object_bounds (view, g_array_index (ids, HsId, i), &p));

  /* Export in the middle of an arrangement: laid out there and then. */
  hs_heap_view_set_model (view, NULL);
  hs_heap_view_set_model (view, model);
  assert_true (hs_heap_view_is_arranging (view));
  assert_true (hs_heap_view_export (view, png, FALSE, NULL));
  assert_false (hs_heap_view_is_arranging (view));
  assert_true (hs_heap_view_get_object_bounds (view, g_array_index (ids, HsId, 0), &p));
  g_unlink (png);
  g_rmdir (dir);

  /* Lesson-sized: at once. */
  assert_true (hs_window_open_lesson (window, "11-cycles"));
  settle (window);
  hs_heap_view_set_model (view, NULL);
  hs_heap_view_set_model (view, model);
  assert_false (hs_heap_view_is_arranging (view));
  destroy_window (window);
}

/* The theme menu switches light and dark at once: the code view's scheme follows. */
static void
test_theme_follows (void **state)
{
  HsWindow *window = new_window ();
  gboolean dark = FALSE;

  assert_true (hs_window_open_lesson (window, "11-cycles"));
  settle (window);
  assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.theme", "s", "dark"));
  settle (window);
  g_object_get (gtk_settings_get_default (), "gtk-application-prefer-dark-theme", &dark, NULL);
  assert_true (dark);
  assert_string_equal (hs_window_get_style_scheme_id (window), "Adwaita-dark");

  assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.theme", "s", "light"));
  settle (window);
  g_object_get (gtk_settings_get_default (), "gtk-application-prefer-dark-theme", &dark, NULL);
  assert_false (dark);
  assert_string_equal (hs_window_get_style_scheme_id (window), "Adwaita");

  /* Remembered for the next start. */
  {
    g_autoptr(GSettings) settings = g_settings_new ("org.heapscope.Heapscope");
    g_autofree char *theme = g_settings_get_string (settings, "theme");
    assert_string_equal (theme, "light");
  }
  assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.theme", "s", "system"));
  settle (window);
  destroy_window (window);
}

static char *
write_program (const char *name,
               const char *text)
{
  g_autofree char *dir = g_dir_make_tmp ("heapscope-ui-XXXXXX", NULL);
  char *path;

  assert_non_null (dir);
  path = g_build_filename (dir, name, NULL);
  assert_true (g_file_set_contents (path, text, -1, NULL));
  return path;
}

static void
remove_program (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);

  g_unlink (path);
  g_rmdir (dir);
}

static gboolean
drop_on (HsWindow     *window,
         const GValue *value)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (window));
  gboolean handled = FALSE;
  guint found = 0;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) c = g_list_model_get_item (controllers, i);
      if (GTK_IS_DROP_TARGET (c))
        {
          g_signal_emit_by_name (c, "drop", value, 10.0, 10.0, &handled);
          found++;
        }
    }
  assert_int_equal (found, 1);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  return handled;
}

/* The question asked before unsaved edits are replaced, or NULL. */
static GtkDialog *
find_question (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();   /* borrowed */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);
      if (GTK_IS_DIALOG (w) && gtk_widget_get_visible (GTK_WIDGET (w)))
        return GTK_DIALOG (w);
    }
  return NULL;
}

/* Dropping a .py file (as a file manager offers it, a file list, or as one file)
 * opens it; with unsaved edits the window asks first. */
static void
test_drop_file (void **state)
{
  HsWindow *window = new_window ();
  g_autofree char *path = write_program ("dropped.py", "dropped = [1, 2]\nprint(len(dropped))\n");
  g_autofree char *path2 = write_program ("second.py", "second = 'two'\n");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) file2 = g_file_new_for_path (path2);
  GValue value = G_VALUE_INIT;
  g_autofree char *text = NULL;
  GtkDialog *question;

  {
    GSList *list = g_slist_prepend (NULL, file);
    g_value_init (&value, GDK_TYPE_FILE_LIST);
    g_value_take_boxed (&value, gdk_file_list_new_from_list (list));
    g_slist_free (list);
  }
  assert_true (drop_on (window, &value));
  g_value_unset (&value);
  settle (window);
  text = hs_window_get_text (window);
  assert_string_equal (text, "dropped = [1, 2]\nprint(len(dropped))\n");
  assert_false (hs_window_get_unsaved (window));
  g_clear_pointer (&text, g_free);

  /* Edited, then another file dropped: nothing is replaced before the answer. */
  hs_window_set_text (window, "dropped = [1, 2, 3]\n");
  assert_true (hs_window_get_unsaved (window));
  g_value_init (&value, G_TYPE_FILE);
  g_value_set_object (&value, file2);
  assert_true (drop_on (window, &value));
  g_value_unset (&value);
  question = find_question ();
  assert_non_null (question);
  text = hs_window_get_text (window);
  assert_string_equal (text, "dropped = [1, 2, 3]\n");
  g_clear_pointer (&text, g_free);
  gtk_dialog_response (question, GTK_RESPONSE_REJECT);    /* discard */
  settle (window);
  assert_null (find_question ());
  text = hs_window_get_text (window);
  assert_string_equal (text, "second = 'two'\n");

  destroy_window (window);
  remove_program (path);
  remove_program (path2);
}

/* File ▸ Open Recent lists recent .py files, newest first, and opens one. */
static void
test_open_recent (void **state)
{
  HsWindow *window = new_window ();
  g_autofree char *path = write_program ("recent_one.py", "recent = {'a': 1}\n");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *uri = g_file_get_uri (file);
  GMenuModel *menu = hs_window_get_recent_menu (window);
  g_autofree char *label = NULL;
  g_autofree char *target = NULL;
  g_autofree char *text = NULL;
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  assert_true (gtk_recent_manager_add_item (gtk_recent_manager_get_default (), uri));
  /* The manager announces the change from the main loop. */
  while (g_get_monotonic_time () < deadline)
    {
      g_autoptr(GVariant) t = NULL;
      g_main_context_iteration (NULL, FALSE);
      if (g_menu_model_get_n_items (menu) > 0
          && (t = g_menu_model_get_item_attribute_value (menu, 0, G_MENU_ATTRIBUTE_TARGET, G_VARIANT_TYPE_STRING)) != NULL
          && g_str_equal (g_variant_get_string (t, NULL), uri))
        break;
      g_usleep (10000);
    }
  assert_true (g_menu_model_get_item_attribute (menu, 0, G_MENU_ATTRIBUTE_LABEL, "s", &label));
  assert_string_equal (label, "recent__one.py");    /* the underscore is not a mnemonic */
  assert_true (g_menu_model_get_item_attribute (menu, 0, G_MENU_ATTRIBUTE_TARGET, "s", &target));
  assert_string_equal (target, uri);

  assert_true (hs_window_open_lesson (window, "01-heap-memory"));
  settle (window);
  assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-recent", "s", uri));
  settle (window);
  text = hs_window_get_text (window);
  assert_string_equal (text, "recent = {'a': 1}\n");

  destroy_window (window);
  gtk_recent_manager_remove_item (gtk_recent_manager_get_default (), uri, NULL);
  remove_program (path);
}

/* The Memory Events list shows what the line that just ran did: after the
 * reassignment, the new string's allocation and the old string's free by refcount. */
static void
test_event_list_shows_last_line (void **state)
{
  HsWindow *window = new_window ();
  HsId first;
  GListModel *rows;
  gboolean line12 = FALSE, alloc = FALSE, freed = FALSE;
  char *want_free;

  assert_true (hs_window_open_lesson (window, "03-reassignment"));
  settle (window);
  step_to_line (window, 12);
  first = find_drawn (window, "'Hello, Zenva learners!'");
  assert_true (first != 0);
  hs_window_answer_prediction (window, "now");
  settle (window);

  want_free = g_strdup_printf ("free #%" G_GUINT64_FORMAT " (refcount reached 0)", first);
  rows = hs_window_get_event_list (window);
  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr (GtkStringObject) row = g_list_model_get_item (rows, i);
      const char *text = gtk_string_object_get_string (row);

      line12 |= g_str_equal (text, "line 12");
      alloc |= g_str_has_prefix (text, "alloc #") && strstr (text, "How's your learning journey?") != NULL;
      freed |= g_str_equal (text, want_free);
    }
  if (!line12 || !alloc || !freed)
    fail_msg ("event list (%u rows) lacks: %s%s%s", g_list_model_get_n_items (rows),
              line12 ? "" : "line 12 ", alloc ? "" : "alloc ", freed ? "" : want_free);
  g_free (want_free);
  destroy_window (window);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_reassignment_step_back_seek),
    cmocka_unit_test (test_event_list_shows_last_line),
    cmocka_unit_test (test_cycles_collect),
    cmocka_unit_test (test_gc_switch),
    cmocka_unit_test (test_inspector_breakdown),
    cmocka_unit_test (test_render_png),
    cmocka_unit_test (test_prediction),
    cmocka_unit_test (test_prediction_on_last_line),
    cmocka_unit_test (test_prediction_verdict_before_next_question),
    cmocka_unit_test (test_pause_infinite_loop),
    cmocka_unit_test (test_play_shows_pause),
    cmocka_unit_test (test_breakpoint_stop),
    cmocka_unit_test (test_files),
    cmocka_unit_test (test_autosave_restore),
    cmocka_unit_test (test_command_line_file),
    cmocka_unit_test (test_copy_diagram),
    cmocka_unit_test (test_set_elements),
    cmocka_unit_test (test_input_bar),
    cmocka_unit_test (test_rows_keep_their_order),
    cmocka_unit_test (test_every_lesson_finishes),
    cmocka_unit_test (test_finished_frames),
    cmocka_unit_test (test_final_picture),
    cmocka_unit_test (test_error_picture),
    cmocka_unit_test (test_fit_clears_overlays),
    cmocka_unit_test (test_move_glides),
    cmocka_unit_test (test_big_heap_arranged_off_thread),
    cmocka_unit_test (test_limit_banner),
    cmocka_unit_test (test_theme_follows),
    cmocka_unit_test (test_drop_file),
    cmocka_unit_test (test_open_recent),
  };

  gtk_init ();
  /* The recent-files manager only records files for a named application. */
  g_set_prgname ("test-ui-window");
  g_set_application_name ("Heapscope");
  return cmocka_run_group_tests (tests, NULL, NULL);
}
