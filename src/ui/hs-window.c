/* hs-window.c — the main window: code, heap, panels, and the session that drives them. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gtksourceview/gtksource.h>

#include "hs-gc-panel.h"
#include "hs-heap-view.h"
#include "hs-inspector.h"
#include "hs-lesson.h"
#include "hs-session.h"
#include "hs-timeline.h"
#include "hs-window.h"

#define LESSONS_RESOURCE "/org/heapscope/Heapscope/lessons"
#define MAX_CONTINUE_SPEED 1000.0
#define AUTOSAVE_DELAY_MS 1500

struct _HsWindow
{
  GtkApplicationWindow parent_instance;

  /* Template children */
  GtkToggleButton   *sidebar_button;
  GtkStack          *run_stack;
  GtkAdjustment     *speed_adjustment;
  GtkLabel          *profile_label;
  GtkRevealer       *sidebar_revealer;
  GtkListBox        *lesson_list;
  GtkRevealer       *narration_revealer;
  GtkLabel          *lesson_title;
  GtkLabel          *narration_label;
  GtkLabel          *event_narration_label;
  GtkWidget         *prediction_box;
  GtkLabel          *prediction_question;
  GtkEntry          *prediction_entry;
  GtkLabel          *prediction_result;
  GtkSourceView     *code_view;
  HsHeapView        *heap_view;
  GtkLabel          *canvas_status;
  GtkStack          *side_stack;
  HsInspector       *inspector;
  HsGcPanel         *gc_panel;
  HsTimeline        *timeline;
  GtkLabel          *step_label;
  GtkTextView       *console;
  GtkStack          *bottom_stack;
  GtkDropDown       *event_filter;
  GtkListView       *event_list;
  GMenu             *recent_menu;

  GtkSourceBuffer   *buffer;
  GtkStringList     *events;
  gboolean           events_stale;    /* the event list waits until its tab is shown */
  HsTraceCursor     *event_cursor;    /* reads each step's events on from the last ones */
  HsTrace           *console_trace;   /* the run whose output the console shows */
  gsize              console_len;     /* and how much of it */
  GtkTextTag        *stderr_tag;      /* the console's text written to stderr */
  GtkWidget         *input_bar;       /* shown while the program waits in input() */
  GtkEntry          *input_entry;
  GSettings         *settings;

  HsSession         *session;
  HsLesson          *lesson;          /* the open lesson, or NULL for a plain program */
  GFile             *file;            /* where Save writes, or NULL */
  char              *display_name;
  gboolean           source_dirty;    /* edited since the session loaded it */
  gboolean           unsaved;         /* edited since last saved/opened */
  gboolean           loading;         /* setting the buffer text ourselves */

  HsProfile          profile;
  gboolean           by_event;        /* step one memory event at a time */
  gboolean           gc_enabled;
  gboolean           inline_immutables;
  gboolean           keep_finished;
  char              *theme;           /* "system", "light" or "dark" */
  GFile             *pending_open;    /* opened once the unsaved-changes question is answered */

  guint32            last_line;       /* the line that ran last (for the "done" mark) */
  guint32            origin_line;     /* where the last forward step command started */
  guint64            origin_step;
  guint64            shown_step;
  guint64            shown_event;
  guint              continue_id;     /* timed Continue below full speed */
  guint64            play_from;       /* the step it started from */
  guint              autosave_id;

  /* A prediction waiting for the learner, then checked after its line runs. */
  const HsPrediction *pending_prediction;
  char              *prediction_answer;
  guint64            prediction_event;  /* event index when the line started */
  HsId               prediction_object; /* for "alive NAME" */
  gboolean           prediction_answered;
};

G_DEFINE_FINAL_TYPE (HsWindow, hs_window, GTK_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_PROFILE,
  PROP_STEP_MODE,
  PROP_GC_ENABLED,
  PROP_INLINE_IMMUTABLES,
  PROP_KEEP_FINISHED_FRAMES,
  PROP_THEME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void update_view (HsWindow *self);
static void load_source (HsWindow *self, const char *name, const char *text, gsize len, HsLesson *lesson);

/* ---- helpers --------------------------------------------------------------- */

static char *
buffer_text (HsWindow *self)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (GTK_TEXT_BUFFER (self->buffer), &start, &end);
  return gtk_text_buffer_get_text (GTK_TEXT_BUFFER (self->buffer), &start, &end, TRUE);
}

static void
update_title (HsWindow *self)
{
  g_autofree char *title = NULL;

  title = g_strdup_printf ("%s%s — Heapscope", self->unsaved ? "• " : "",
                           self->display_name != NULL ? self->display_name : _("Untitled"));
  gtk_window_set_title (GTK_WINDOW (self), title);
}

static void
show_message (HsWindow   *self,
              const char *primary,
              const char *secondary)
{
  GtkWidget *dialog;

G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  dialog = gtk_message_dialog_new (GTK_WINDOW (self), GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                   GTK_MESSAGE_ERROR, GTK_BUTTONS_CLOSE, "%s", primary);
  if (secondary != NULL)
    gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s", secondary);
  g_signal_connect (dialog, "response", G_CALLBACK (gtk_window_destroy), NULL);
G_GNUC_END_IGNORE_DEPRECATIONS
  gtk_window_present (GTK_WINDOW (dialog));
}

static char *
autosave_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "heapscope", "autosave.py", NULL);
}

/* Atomic: g_file_set_contents writes a temporary file and renames it. */
static gboolean
write_atomically (const char  *path,
                  const char  *text,
                  GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno),
                   _("Could not create the folder “%s”"), dir);
      return FALSE;
    }
  return g_file_set_contents (path, text, -1, error);
}

static gboolean
autosave_cb (gpointer user_data)
{
  HsWindow *self = user_data;
  g_autofree char *text = buffer_text (self);
  g_autofree char *path = autosave_path ();
  g_autoptr(GError) error = NULL;

  self->autosave_id = 0;
  if (!write_atomically (path, text, &error))
    g_warning ("autosave failed: %s", error->message);
  return G_SOURCE_REMOVE;
}

static void
clear_autosave (void)
{
  g_autofree char *path = autosave_path ();
  g_unlink (path);
}

/* ---- code view marks ----------------------------------------------------------- */

static void
set_line_mark (HsWindow   *self,
               const char *category,
               guint32     line)
{
  GtkTextBuffer *buffer = GTK_TEXT_BUFFER (self->buffer);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  gtk_source_buffer_remove_source_marks (self->buffer, &start, &end, category);
  if (line == 0 || line > (guint32) gtk_text_buffer_get_line_count (buffer))
    return;
  gtk_text_buffer_get_iter_at_line (buffer, &start, line - 1);
  gtk_source_buffer_create_source_mark (self->buffer, NULL, category, &start);
}

static void
setup_mark_attributes (HsWindow *self)
{
  static const struct {
    const char *category;
    const char *icon;
    GdkRGBA     bg;
    const char *tooltip;
  } kinds[] = {
    { "next", "go-next-symbolic", { 0.56, 0.80, 0.40, 0.35 }, N_("The line about to run") },
    { "done", NULL, { 0.55, 0.70, 0.95, 0.22 }, N_("The line that just ran") },
    { "breakpoint", "media-record-symbolic", { 0.90, 0.20, 0.20, 0.12 }, N_("Breakpoint: Continue stops here") },
    { "error", "dialog-error-symbolic", { 0.90, 0.10, 0.10, 0.30 }, N_("The error happened here") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autoptr(GtkSourceMarkAttributes) attrs = gtk_source_mark_attributes_new ();

      gtk_source_mark_attributes_set_background (attrs, &kinds[i].bg);
      if (kinds[i].icon != NULL)
        gtk_source_mark_attributes_set_icon_name (attrs, kinds[i].icon);
      g_object_set_data (G_OBJECT (attrs), "hs-tooltip", (gpointer) kinds[i].tooltip);
      /* One priority for all: GtkSourceView 5.6's gutter sorts a line's marks by priority
       * and then frees the list from its old head, leaking the nodes sorted before it.
       * With equal priorities the (stable) sort moves nothing. A breakpoint shares its
       * line with the "next" or "done" mark whenever Continue stops at it. */
      gtk_source_view_set_mark_attributes (self->code_view, kinds[i].category, attrs, 10);
    }
}

static void
on_code_view_line_mark_activated_cb (GtkSourceView   *view,
                                     const GtkTextIter *iter,
                                     guint            button,
                                     GdkModifierType  state,
                                     int              n_presses,
                                     HsWindow        *self)
{
  guint32 line = gtk_text_iter_get_line (iter) + 1;
  gboolean on = !hs_session_has_breakpoint (self->session, line);
  GtkTextIter start = *iter, end = *iter;

  if (button != 1)
    return;
  hs_session_set_breakpoint (self->session, line, on);
  gtk_text_iter_set_line_offset (&start, 0);
  if (!gtk_text_iter_ends_line (&end))
    gtk_text_iter_forward_to_line_end (&end);
  if (on)
    gtk_source_buffer_create_source_mark (self->buffer, NULL, "breakpoint", &start);
  else
    gtk_source_buffer_remove_source_marks (self->buffer, &start, &end, "breakpoint");
}

/* ---- the event list of the current step --------------------------------------- */

static gboolean
event_matches_filter (guint filter, HsEventKind kind)
{
  switch (filter)
    {
    case 1: return kind == HS_EV_ALLOC || kind == HS_EV_FREE;
    case 2: return kind == HS_EV_REF;
    case 3: return kind == HS_EV_CALL || kind == HS_EV_RETURN || kind == HS_EV_LINE || kind == HS_EV_EXCEPTION;
    case 4: return kind >= HS_EV_TRACK && kind <= HS_EV_GC_END;
    case 5: return kind == HS_EV_OUTPUT;
    default: return TRUE;
    }
}

typedef struct {
  HsWindow  *self;
  GPtrArray *lines;
  guint      filter;
} EventScan;

static gboolean
collect_event_cb (const HsEvent *ev,
                  gpointer       user_data)
{
  EventScan *scan = user_data;
  HsTraceModel *model = hs_session_get_model (scan->self->session);
  char *text = NULL;

  if (!event_matches_filter (scan->filter, ev->kind) || scan->lines->len > 5000)
    return TRUE;
  switch (ev->kind)
    {
    case HS_EV_LINE:
      text = g_strdup_printf (_("line %u"), ev->u.line.line);
      break;
    case HS_EV_CALL:
      text = g_strdup_printf (_("call %s: frame %" G_GUINT64_FORMAT " pushed"), ev->u.call.name, ev->u.call.frame);
      break;
    case HS_EV_RETURN:
      text = g_strdup_printf (_("return: frame %" G_GUINT64_FORMAT " popped"), ev->u.ret.frame);
      break;
    case HS_EV_EXCEPTION:
      text = g_strdup_printf (_("exception %s: %s"), ev->u.exception.type_name, ev->u.exception.message);
      break;
    case HS_EV_ALLOC:
      {
        char buf[HS_EVENT_INT_TEXT];
        const char *value = hs_event_alloc_describe (ev, buf);

        text = g_strdup_printf (_("alloc #%" G_GUINT64_FORMAT " %s %s (%zu bytes)"), ev->u.alloc.id,
                                ev->u.alloc.type_name, value ? value : "", ev->u.alloc.size);
      }
      break;
    case HS_EV_REF:
      {
        HsTraceRef ref = { .holder = ev->u.ref.holder, .slot = ev->u.ref.slot,
                           .holder_kind = ev->u.ref.holder_kind };
        const char *name = ev->u.ref.name;
        g_autofree char *label = name ? g_strdup (name) : hs_trace_model_ref_label (model, &ref);

        if (ev->u.ref.new_target != 0 && ev->u.ref.old_target != 0)
          text = g_strdup_printf (_("ref %s %s: #%" G_GUINT64_FORMAT " → #%" G_GUINT64_FORMAT " (refcounts %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ")"),
                                  hs_holder_kind_name (ev->u.ref.holder_kind), label,
                                  ev->u.ref.old_target, ev->u.ref.new_target, ev->u.ref.old_refcnt, ev->u.ref.new_refcnt);
        else if (ev->u.ref.new_target != 0)
          text = g_strdup_printf (_("ref %s %s → #%" G_GUINT64_FORMAT " (refcount %+" G_GINT64_FORMAT " = %" G_GINT64_FORMAT ")"),
                                  hs_holder_kind_name (ev->u.ref.holder_kind), label,
                                  ev->u.ref.new_target, (gint64) 1, ev->u.ref.new_refcnt);
        else
          text = g_strdup_printf (_("unref %s %s ✕ #%" G_GUINT64_FORMAT " (refcount −1 = %" G_GINT64_FORMAT ")"),
                                  hs_holder_kind_name (ev->u.ref.holder_kind), label,
                                  ev->u.ref.old_target, ev->u.ref.old_refcnt);
      }
      break;
    case HS_EV_FREE:
      text = g_strdup_printf (_("free #%" G_GUINT64_FORMAT " (%s)"), ev->u.free.id,
                              ev->u.free.cause == HS_FREE_GC ? _("by the garbage collector")
                              : ev->u.free.cause == HS_FREE_REFCOUNT ? _("refcount reached 0") : _("teardown"));
      break;
    case HS_EV_TRACK:
      text = g_strdup_printf (ev->u.track.tracked ? _("gc tracks #%" G_GUINT64_FORMAT " (generation %d)")
                                                  : _("gc untracks #%" G_GUINT64_FORMAT),
                              ev->u.track.id, ev->u.track.generation);
      break;
    case HS_EV_GC_START:
      text = g_strdup_printf (_("gc: collecting generation %d"), ev->u.gc_start.generation);
      break;
    case HS_EV_GC_PHASE:
      text = g_strdup_printf (_("gc phase %s: %zu objects"), hs_gc_phase_name (ev->u.gc_phase.phase), ev->u.gc_phase.n);
      break;
    case HS_EV_GC_FINALIZE:
      text = g_strdup_printf (_("gc: calling __del__ of #%" G_GUINT64_FORMAT), ev->u.gc_object.id);
      break;
    case HS_EV_GC_RESURRECT:
      text = g_strdup_printf (_("gc: #%" G_GUINT64_FORMAT " was resurrected"), ev->u.gc_object.id);
      break;
    case HS_EV_GC_END:
      text = g_strdup_printf (_("gc: done, %" G_GINT64_FORMAT " collected, %" G_GINT64_FORMAT " uncollectable"),
                              ev->u.gc_end.collected, ev->u.gc_end.uncollectable);
      break;
    case HS_EV_OUTPUT:
      text = g_strdup_printf (_("output %.*s"), (int) MIN (ev->u.output.len, 200), ev->u.output.text);
      g_strdelimit (text, "\n", ' ');
      break;
    case HS_EV_ROOT:
      text = g_strdup_printf (_("root %s #%" G_GUINT64_FORMAT), ev->u.root.name, ev->u.root.id);
      break;
    default:
      return TRUE;
    }
  g_ptr_array_add (scan->lines, text);
  return TRUE;
}

static void
update_event_list (HsWindow *self)
{
  const char *page = gtk_stack_get_visible_child_name (self->bottom_stack);
  HsTraceModel *model = hs_session_get_model (self->session);
  HsTrace *trace = hs_session_get_trace (self->session);
  guint64 step = hs_trace_model_get_step (model);
  guint64 end = hs_trace_model_get_event (model);
  guint64 start = 0;
  EventScan scan;

  /* Reading the trace back costs a frame's worth of time on a big heap: only for
   * the reader who looks at the list. */
  if (g_strcmp0 (page, "events") != 0)
    {
      self->events_stale = TRUE;
      return;
    }
  self->events_stale = FALSE;
  scan = (EventScan) { self, g_ptr_array_new_with_free_func (g_free),
                       gtk_drop_down_get_selected (self->event_filter) };
  /* What the line that just ran did, then the current step's own events: from the
   * previous step's LINE event to the model's position. */
  if (step > 1)
    start = hs_trace_get_step_event (trace, step - 1);
  if (self->event_cursor != NULL && hs_trace_cursor_get_trace (self->event_cursor) != trace)
    g_clear_pointer (&self->event_cursor, hs_trace_cursor_free);
  if (self->event_cursor == NULL)
    self->event_cursor = hs_trace_cursor_new (trace);
  if (end > start)
    hs_trace_cursor_foreach (self->event_cursor, start, MIN (end - start, 200000), collect_event_cb, &scan);
  g_ptr_array_add (scan.lines, NULL);
  gtk_string_list_splice (self->events, 0, g_list_model_get_n_items (G_LIST_MODEL (self->events)),
                          (const char * const *) scan.lines->pdata);
  g_ptr_array_unref (scan.lines);
}

static void
on_event_filter_changed_cb (HsWindow *self)
{
  update_event_list (self);
}

static void
on_bottom_page_changed_cb (HsWindow *self)
{
  if (self->events_stale)
    update_event_list (self);
}

static void
event_item_setup_cb (GtkSignalListItemFactory *factory,
                     GtkListItem              *item,
                     gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (label, "monospace");
  gtk_widget_set_margin_start (label, 12);
  gtk_list_item_set_child (item, label);
}

static void
event_item_bind_cb (GtkSignalListItemFactory *factory,
                    GtkListItem              *item,
                    gpointer                  user_data)
{
  GtkStringObject *obj = gtk_list_item_get_item (item);

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)), gtk_string_object_get_string (obj));
}

/* ---- lessons -------------------------------------------------------------------- */

static char *
lesson_progress (HsWindow   *self,
                 const char *id)
{
  g_autoptr(GVariant) dict = NULL;
  const char *value = NULL;

  if (self->settings == NULL)
    return NULL;
  dict = g_settings_get_value (self->settings, "lesson-progress");
  if (g_variant_lookup (dict, id, "&s", &value))
    return g_strdup (value);
  return NULL;
}

static void
set_lesson_progress (HsWindow   *self,
                     const char *id,
                     const char *progress)
{
  g_autoptr(GVariant) dict = NULL;
  g_autofree char *current = lesson_progress (self, id);
  GVariantBuilder builder;
  GVariantIter iter;
  const char *k, *v;

  if (self->settings == NULL || g_strcmp0 (current, progress) == 0
      || (g_strcmp0 (current, "completed") == 0))
    return;
  dict = g_settings_get_value (self->settings, "lesson-progress");
  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{ss}"));
  g_variant_iter_init (&iter, dict);
  while (g_variant_iter_next (&iter, "{&s&s}", &k, &v))
    if (!g_str_equal (k, id))
      g_variant_builder_add (&builder, "{ss}", k, v);
  g_variant_builder_add (&builder, "{ss}", id, progress);
  g_settings_set_value (self->settings, "lesson-progress", g_variant_builder_end (&builder));
}

static int
compare_names (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

static void
refresh_lesson_list (HsWindow *self)
{
  g_auto(GStrv) names = g_resources_enumerate_children (LESSONS_RESOURCE, 0, NULL);
  GtkWidget *child;
  guint n = names != NULL ? g_strv_length (names) : 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->lesson_list))) != NULL)
    gtk_list_box_remove (self->lesson_list, child);
  if (names == NULL)
    return;
  /* Resource enumeration is unordered; lessons are ordered by file name. */
  g_qsort_with_data (names, n, sizeof (char *), compare_names, NULL);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *path = g_strdup_printf ("%s/%s", LESSONS_RESOURCE, names[i]);
      g_autoptr(GBytes) bytes = g_resources_lookup_data (path, 0, NULL);
      g_autofree char *id = g_strndup (names[i], strlen (names[i]) - 3);
      g_autofree char *progress = NULL;
      g_autoptr(HsLesson) lesson = NULL;
      GtkWidget *row, *box, *title, *summary, *mark;
      gsize len;
      const char *data;

      if (bytes == NULL || !g_str_has_suffix (names[i], ".py"))
        continue;
      data = g_bytes_get_data (bytes, &len);
      lesson = hs_lesson_parse (id, data, len, NULL);
      if (lesson == NULL)
        continue;
      progress = lesson_progress (self, id);

      box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
      title = gtk_label_new (lesson->title);
      gtk_label_set_xalign (GTK_LABEL (title), 0);
      gtk_label_set_wrap (GTK_LABEL (title), TRUE);
      summary = gtk_label_new (lesson->summary);
      gtk_label_set_xalign (GTK_LABEL (summary), 0);
      gtk_label_set_wrap (GTK_LABEL (summary), TRUE);
      gtk_label_set_lines (GTK_LABEL (summary), 2);
      gtk_label_set_ellipsize (GTK_LABEL (summary), PANGO_ELLIPSIZE_END);
      gtk_widget_add_css_class (summary, "dim-label");
      gtk_widget_add_css_class (summary, "caption");
      {
        GtkWidget *top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
        /* Progress is a word as well as a symbol, never colour alone. */
        mark = gtk_label_new (g_strcmp0 (progress, "completed") == 0 ? "✓"
                              : g_strcmp0 (progress, "visited") == 0 ? "•" : "");
        gtk_widget_set_tooltip_text (mark, g_strcmp0 (progress, "completed") == 0 ? _("Completed")
                                     : g_strcmp0 (progress, "visited") == 0 ? _("Visited") : NULL);
        gtk_widget_add_css_class (mark, "lesson-progress");
        gtk_widget_set_hexpand (title, TRUE);
        gtk_box_append (GTK_BOX (top), title);
        gtk_box_append (GTK_BOX (top), mark);
        gtk_box_append (GTK_BOX (box), top);
      }
      gtk_box_append (GTK_BOX (box), summary);
      gtk_widget_set_margin_top (box, 6);
      gtk_widget_set_margin_bottom (box, 6);
      gtk_widget_set_margin_start (box, 6);
      gtk_widget_set_margin_end (box, 6);
      row = gtk_list_box_row_new ();
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
      g_object_set_data_full (G_OBJECT (row), "hs-lesson-path", g_steal_pointer (&path), g_free);
      g_object_set_data_full (G_OBJECT (row), "hs-lesson-id", g_strdup (id), g_free);
      {
        g_autofree char *a11y = g_strdup_printf ("%s, %s%s%s", lesson->title, lesson->summary,
                                                 progress ? ", " : "", progress ? progress : "");
        gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
      }
      gtk_list_box_append (self->lesson_list, row);
      if (self->lesson != NULL && g_str_equal (self->lesson->id, id))
        gtk_list_box_select_row (self->lesson_list, GTK_LIST_BOX_ROW (row));
    }
}

gboolean
hs_window_open_lesson (HsWindow   *self,
                       const char *id)
{
  g_autofree char *path = g_strdup_printf ("%s/%s.py", LESSONS_RESOURCE, id);
  g_autoptr(GBytes) bytes = g_resources_lookup_data (path, 0, NULL);
  g_autoptr(GError) error = NULL;
  HsLesson *lesson;
  const char *data;
  gsize len;

  g_return_val_if_fail (HS_IS_WINDOW (self), FALSE);

  if (bytes == NULL)
    return FALSE;
  data = g_bytes_get_data (bytes, &len);
  lesson = hs_lesson_parse (id, data, len, &error);
  if (lesson == NULL)
    {
      show_message (self, _("This lesson could not be read"), error->message);
      return FALSE;
    }
  g_clear_object (&self->file);
  load_source (self, lesson->title, data, len, lesson);
  if (self->settings != NULL)
    g_settings_set_string (self->settings, "last-lesson", id);
  set_lesson_progress (self, id, "visited");
  refresh_lesson_list (self);
  return TRUE;
}

static void
on_lesson_list_row_activated_cb (GtkListBox    *list,
                                 GtkListBoxRow *row,
                                 HsWindow      *self)
{
  const char *id = g_object_get_data (G_OBJECT (row), "hs-lesson-id");

  if (id != NULL)
    hs_window_open_lesson (self, id);
}

/* ---- narration and predictions ---------------------------------------------------- */

static char *
narration_markup (const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);
  GString *out = g_string_new (NULL);
  gboolean code = FALSE;

  /* `code` spans become monospace. */
  for (const char *p = escaped; *p != '\0'; p++)
    {
      if (*p == '`')
        {
          g_string_append (out, code ? "</tt>" : "<tt>");
          code = !code;
        }
      else
        g_string_append_c (out, *p);
    }
  if (code)
    g_string_append (out, "</tt>");
  return g_string_free (out, FALSE);
}

static HsLessonEventKind
lesson_event_for (const HsEvent *ev, gboolean *ok)
{
  *ok = TRUE;
  switch (ev->kind)
    {
    case HS_EV_ALLOC: return HS_LESSON_EVENT_ALLOC;
    case HS_EV_FREE: return ev->u.free.cause == HS_FREE_GC ? HS_LESSON_EVENT_FREE_GC : HS_LESSON_EVENT_FREE;
    case HS_EV_GC_START: return HS_LESSON_EVENT_GC;
    case HS_EV_CALL: return HS_LESSON_EVENT_CALL;
    case HS_EV_RETURN: return HS_LESSON_EVENT_RETURN;
    case HS_EV_GC_FINALIZE: return HS_LESSON_EVENT_FINALIZE;
    default: *ok = FALSE; return 0;
    }
}

typedef struct {
  guint32   line;          /* the line whose events these are */
  guint     seen;          /* bitmask of HsLessonEventKind seen */
  gboolean  freed_refcount;
  GString  *output;
  guint32   depth;         /* frames deeper than the line's own do not count as its line */
} StepScan;

static gboolean
scan_step_cb (const HsEvent *ev,
              gpointer       user_data)
{
  StepScan *scan = user_data;
  gboolean ok;
  HsLessonEventKind k = lesson_event_for (ev, &ok);

  if (ok)
    scan->seen |= 1u << k;
  if (ev->kind == HS_EV_FREE && ev->u.free.cause == HS_FREE_REFCOUNT)
    scan->freed_refcount = TRUE;
  if (ev->kind == HS_EV_OUTPUT && ev->u.output.stream == HS_STREAM_STDOUT)
    g_string_append_len (scan->output, ev->u.output.text, ev->u.output.len);
  return TRUE;
}

/* Scans the events from `from` (an event index) to the model's position. */
static void
scan_events (HsWindow *self,
             guint64   from,
             StepScan *scan)
{
  HsTraceModel *model = hs_session_get_model (self->session);
  guint64 end = hs_trace_model_get_event (model);

  if (end > from)
    hs_trace_foreach_event (hs_session_get_trace (self->session), from, end - from, scan_step_cb, scan);
}

static HsId
lookup_name (HsWindow   *self,
             const char *name)
{
  HsTraceModel *model = hs_session_get_model (self->session);
  HsId frame = hs_trace_model_get_current_frame (model);
  HsId global_hit = 0;

  /* The innermost frame's local first, then a global. */
  for (guint i = 0; i < hs_trace_model_get_n_refs (model); i++)
    {
      const HsTraceRef *r = hs_trace_model_get_ref (model, i);
      g_autofree char *label = NULL;

      if (r->holder_kind != HS_HOLDER_LOCAL && r->holder_kind != HS_HOLDER_GLOBAL)
        continue;
      label = hs_trace_model_ref_label (model, r);
      if (g_strcmp0 (label, name) != 0)
        continue;
      if (r->holder_kind == HS_HOLDER_LOCAL && r->holder == frame)
        return r->target;
      if (r->holder_kind == HS_HOLDER_GLOBAL)
        global_hit = r->target;
    }
  return global_hit;
}

static gboolean
focus_prediction_cb (gpointer user_data)
{
  HsWindow *self = user_data;
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  /* Not while the learner is editing code, nor once the question is gone. */
  if (self->pending_prediction != NULL && !self->prediction_answered
      && (focus == NULL || !GTK_IS_TEXT_VIEW (focus)))
    gtk_widget_grab_focus (GTK_WIDGET (self->prediction_entry));
  return G_SOURCE_REMOVE;
}

static void
update_prediction_prompt (HsWindow *self,
                          guint32   line)
{
  const HsPrediction *p = self->lesson != NULL ? hs_lesson_prediction_at (self->lesson, line) : NULL;

  GtkWidget *entry_row = gtk_widget_get_parent (GTK_WIDGET (self->prediction_entry));
  gboolean result_shown = gtk_widget_get_visible (GTK_WIDGET (self->prediction_result));

  if (p == self->pending_prediction && p != NULL)
    return;
  self->pending_prediction = p;
  self->prediction_answered = FALSE;
  g_clear_pointer (&self->prediction_answer, g_free);
  /* A verdict just given stays in view until the next question or step. */
  gtk_widget_set_visible (self->prediction_box, p != NULL || result_shown);
  gtk_widget_set_visible (GTK_WIDGET (self->prediction_question), p != NULL);
  gtk_widget_set_visible (entry_row, p != NULL);
  if (p == NULL)
    return;
  if (result_shown)
    {
      /* The verdict on the question before goes above the new one, saying so: below
       * the new question it would read as its answer. */
      g_autofree char *last = g_strdup_printf (_("Last question: %s"),
                                               gtk_label_get_text (self->prediction_result));
      gtk_label_set_text (self->prediction_result, last);
      gtk_box_reorder_child_after (GTK_BOX (self->prediction_box), GTK_WIDGET (self->prediction_result), NULL);
    }
  gtk_label_set_text (self->prediction_question, p->question);
  gtk_editable_set_text (GTK_EDITABLE (self->prediction_entry), "");
  gtk_entry_set_placeholder_text (self->prediction_entry,
                                  p->kind == HS_PREDICT_FREED ? _("now or later")
                                  : p->kind == HS_PREDICT_ALIVE ? _("yes or no")
                                  : p->kind == HS_PREDICT_REFCOUNT ? _("a number")
                                  : _("what it prints"));
  self->prediction_object = p->kind == HS_PREDICT_ALIVE ? lookup_name (self, p->name) : 0;
  self->prediction_event = hs_trace_model_get_event (hs_session_get_model (self->session));
  /* Keyboard first: the answer can be typed at once; again once the card is shown,
   * should the entry not take the focus yet. */
  focus_prediction_cb (self);
  g_timeout_add_full (G_PRIORITY_DEFAULT, 100, focus_prediction_cb, g_object_ref (self), g_object_unref);
}

/* After the predicted line ran: what really happened, compared with the answer. */
static void
check_prediction (HsWindow *self)
{
  const HsPrediction *p = self->pending_prediction;
  HsTraceModel *model = hs_session_get_model (self->session);
  StepScan scan = { 0 };
  g_autofree char *actual = NULL;
  g_autofree char *text = NULL;
  gboolean right;

  scan.output = g_string_new (NULL);
  scan_events (self, self->prediction_event, &scan);
  switch (p->kind)
    {
    case HS_PREDICT_OUTPUT:
      actual = g_strdup (scan.output->str);
      g_strstrip (actual);
      break;
    case HS_PREDICT_FREED:
      actual = g_strdup (scan.freed_refcount ? "now" : "later");
      break;
    case HS_PREDICT_REFCOUNT:
      {
        HsId id = lookup_name (self, p->name);
        const HsTraceObject *o = id ? hs_trace_model_lookup_object (model, id) : NULL;
        actual = o ? g_strdup_printf ("%" G_GINT64_FORMAT, o->refcnt) : g_strdup ("?");
      }
      break;
    case HS_PREDICT_ALIVE:
      {
        const HsTraceObject *o = self->prediction_object
                                 ? hs_trace_model_lookup_object (model, self->prediction_object) : NULL;
        actual = g_strdup (o != NULL && o->state == HS_TRACE_ALIVE ? "yes" : "no");
      }
      break;
    default:
      actual = g_strdup ("");
    }
  g_string_free (scan.output, TRUE);

  if (self->prediction_answer == NULL)
    text = g_strdup_printf (_("The answer was: %s"), actual);
  else
    {
      right = hs_prediction_check (p, self->prediction_answer, actual);
      text = right ? g_strdup_printf (_("✓ Right: %s"), actual)
                   : g_strdup_printf (_("✗ Not quite: it was %s (you said %s)"), actual, self->prediction_answer);
      gtk_widget_remove_css_class (GTK_WIDGET (self->prediction_result), right ? "error" : "success");
      gtk_widget_add_css_class (GTK_WIDGET (self->prediction_result), right ? "success" : "error");
    }
  gtk_label_set_text (self->prediction_result, text);
  gtk_box_reorder_child_after (GTK_BOX (self->prediction_box), GTK_WIDGET (self->prediction_result),
                               gtk_widget_get_parent (GTK_WIDGET (self->prediction_entry)));
  gtk_widget_set_visible (GTK_WIDGET (self->prediction_result), TRUE);
  self->pending_prediction = NULL;
}

static void
on_prediction_entry_activate_cb (HsWindow *self)
{
  const char *answer = gtk_editable_get_text (GTK_EDITABLE (self->prediction_entry));

  if (self->pending_prediction == NULL || *answer == '\0')
    return;
  g_free (self->prediction_answer);
  self->prediction_answer = g_strdup (answer);
  self->prediction_answered = TRUE;
  /* Run the line: the answer is checked against what the runtime really does. */
  gtk_widget_activate_action (GTK_WIDGET (self), "session.step-over", NULL);
}

/* The program waits in input(): the bar under the console asks for the line. */
static void
update_input_bar (HsWindow *self)
{
  gboolean waiting = hs_session_is_waiting_input (self->session);

  if (waiting == gtk_widget_get_visible (self->input_bar))
    return;
  gtk_widget_set_visible (self->input_bar, waiting);
  if (waiting)
    {
      gtk_stack_set_visible_child_name (self->bottom_stack, "output");
      gtk_widget_grab_focus (GTK_WIDGET (self->input_entry));
    }
}

static void
on_input_send_cb (HsWindow *self)
{
  if (!hs_session_is_waiting_input (self->session))
    return;
  hs_session_send_input (self->session, gtk_editable_get_text (GTK_EDITABLE (self->input_entry)));
  gtk_editable_set_text (GTK_EDITABLE (self->input_entry), "");
}

static void
on_input_end_cb (HsWindow *self)
{
  hs_session_send_input (self->session, NULL);
}

static void
on_prediction_skip_clicked_cb (HsWindow *self)
{
  if (self->pending_prediction == NULL)
    return;
  self->prediction_answered = TRUE;
  gtk_widget_activate_action (GTK_WIDGET (self), "session.step-over", NULL);
}

static void
update_narration (HsWindow *self,
                  guint32   line,
                  guint64   step_start_event)
{
  const HsNarration *n;
  g_autoptr(GString) events = NULL;

  gtk_revealer_set_reveal_child (self->narration_revealer, self->lesson != NULL);
  if (self->lesson == NULL)
    return;
  gtk_label_set_text (self->lesson_title, self->lesson->title);

  n = hs_lesson_narration_at (self->lesson, line);
  if (n != NULL)
    {
      g_autofree char *markup = narration_markup (n->text);
      gtk_label_set_markup (self->narration_label, markup);
    }
  else if (line == 0 || hs_session_get_step (self->session) == 0)
    {
      g_autofree char *markup = narration_markup (self->lesson->watch != NULL
                                                  ? self->lesson->watch : self->lesson->summary);
      g_autofree char *full = g_strdup_printf ("<b>%s</b> %s", _("Watch:"), markup);
      gtk_label_set_markup (self->narration_label, full);
    }

  /* Narration on the memory events of the line that just ran. */
  events = g_string_new (NULL);
  if (self->last_line != 0)
    {
      StepScan scan = { .output = g_string_new (NULL) };

      scan_events (self, step_start_event, &scan);
      for (guint k = 0; k <= HS_LESSON_EVENT_FINALIZE; k++)
        if (scan.seen & (1u << k))
          {
            g_autofree const HsEventNarration **list = hs_lesson_event_narrations (self->lesson, self->last_line, k);
            for (guint i = 0; list[i] != NULL; i++)
              {
                g_autofree char *markup = narration_markup (list[i]->text);
                g_string_append_printf (events, "%s%s", events->len ? "\n" : "", markup);
              }
          }
      g_string_free (scan.output, TRUE);
    }
  gtk_label_set_markup (self->event_narration_label, events->str);
  gtk_widget_set_visible (GTK_WIDGET (self->event_narration_label), events->len > 0);
}

/* ---- the view of the session's current state ------------------------------------ */

/* Tags what the program wrote to stderr in the console's text that came from
 * output bytes [from, len) (char offset from_char on): tracebacks and warnings
 * stand out from what it printed. */
static void
mark_stderr (GtkTextBuffer *buffer,
             HsTrace       *trace,
             const char    *out,
             gsize          from,
             int            from_char,
             gsize          len)
{
  guint n = hs_trace_get_n_stderr_spans (trace);

  for (guint i = 0; i < n; i++)
    {
      gsize start, stop;
      GtkTextIter a, b;

      hs_trace_get_stderr_span (trace, i, &start, &stop);
      if (stop <= from)
        continue;
      if (start >= len)
        break;
      start = MAX (start, from);
      stop = MIN (stop, len);
      gtk_text_buffer_get_iter_at_offset (buffer, &a, from_char + (int) g_utf8_pointer_to_offset (out + from, out + start));
      gtk_text_buffer_get_iter_at_offset (buffer, &b, from_char + (int) g_utf8_pointer_to_offset (out + from, out + stop));
      gtk_text_buffer_apply_tag_by_name (buffer, "stderr", &a, &b);
    }
}

/* `all`: the run's whole output, whatever the picture shows (at the end of a run, the
 * traceback is written after the frames it names were unwound). */
static void
update_console (HsWindow *self,
                gboolean  all)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->console);
  HsTrace *trace = hs_session_get_trace (self->session);
  gsize len = 0, from = 0;
  const char *out = hs_session_get_output (self->session, &len);
  GtkTextMark *mark;
  GtkTextIter end;
  int from_char = 0;

  if (all && trace != NULL)
    out = hs_trace_get_output (trace, &len);
  if (out == NULL)
    len = 0;
  /* The output so far is a prefix of the run's: a step adds to it, if anything;
   * setting the whole text each time would cost a long output's length per step. */
  if (trace == self->console_trace && len == self->console_len)
    return;
  if (trace == self->console_trace && len > self->console_len)
    {
      from = self->console_len;
      from_char = gtk_text_buffer_get_char_count (buffer);
      gtk_text_buffer_get_end_iter (buffer, &end);
      gtk_text_buffer_insert (buffer, &end, out + self->console_len, (int) (len - self->console_len));
    }
  else
    {
      gtk_text_buffer_set_text (buffer, out != NULL ? out : "", (int) len);
      g_clear_pointer (&self->console_trace, hs_trace_unref);
      self->console_trace = trace != NULL ? hs_trace_ref (trace) : NULL;
    }
  self->console_len = len;
  if (trace != NULL && out != NULL)
    mark_stderr (buffer, trace, out, from, from_char, len);
  /* A mark, not an iter: the new lines' heights are not known yet. */
  gtk_text_buffer_get_end_iter (buffer, &end);
  mark = gtk_text_buffer_get_mark (buffer, "console-end");
  if (mark == NULL)
    mark = gtk_text_buffer_create_mark (buffer, "console-end", &end, FALSE);
  else
    gtk_text_buffer_move_mark (buffer, mark, &end);
  gtk_text_view_scroll_to_mark (self->console, mark, 0, FALSE, 0, 1);
}

static void
update_step_label (HsWindow *self)
{
  HsSessionState state = hs_session_get_state (self->session);
  guint64 step = hs_session_get_step (self->session);
  guint64 total = hs_session_get_total_steps (self->session);
  g_autofree char *text = NULL;
  const char *suffix = "";

  switch (state)
    {
    case HS_SESSION_IDLE: suffix = _("ready"); break;
    case HS_SESSION_RUNNING:
      suffix = hs_session_is_waiting_input (self->session) ? _("waiting for input") : _("running…");
      break;
    case HS_SESSION_PAUSED:
      suffix = self->continue_id != 0 ? _("playing")
               : !hs_session_is_live (self->session) ? _("history")
               : hs_session_is_waiting_input (self->session) ? _("paused in input()")
               : _("paused");
      break;
    case HS_SESSION_FINISHED: suffix = step < total ? _("history") : _("finished"); break;
    case HS_SESSION_ERROR:
      suffix = step < total ? _("history")
               : hs_session_get_error (self->session)->result == HS_RESULT_LIMIT ? _("stopped by a limit")
               : _("stopped by an error");
      break;
    default: break;
    }
  text = g_strdup_printf (_("Step %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT " · %s"), step, total, suffix);
  gtk_label_set_text (self->step_label, text);
}

/* Playing (Continue below full speed steps on a timer, the session pauses between the
 * steps) shows Pause, as a run at full speed does. */
static void
update_run_controls (HsWindow *self)
{
  gboolean busy = hs_session_get_state (self->session) == HS_SESSION_RUNNING || self->continue_id != 0;

  gtk_stack_set_visible_child_name (self->run_stack, busy ? "pause" : "continue");
  update_step_label (self);
}

static void
update_error_mark (HsWindow *self)
{
  const HsErrorInfo *err = hs_session_get_error (self->session);
  HsSessionState state = hs_session_get_state (self->session);

  if (state == HS_SESSION_ERROR && err != NULL && (err->line > 0 || err->result == HS_RESULT_LIMIT)
      && hs_session_get_step (self->session) >= hs_session_get_total_steps (self->session))
    {
      /* A limit is no Python error: it says which one stopped the program, and where. */
      g_autofree char *status = err->result == HS_RESULT_LIMIT
        ? (err->line > 0 ? g_strdup_printf (_("Stopped at line %u: the %s"), err->line, err->message)
                         : g_strdup_printf (_("Stopped: the %s"), err->message))
        : err->column > 0
        ? g_strdup_printf (_("%s on line %u, column %u: %s"), err->type_name, err->line, err->column, err->message)
        : g_strdup_printf (_("%s on line %u: %s"), err->type_name, err->line, err->message);
      set_line_mark (self, "error", err->line);
      gtk_label_set_text (self->canvas_status, status);
      gtk_widget_add_css_class (GTK_WIDGET (self->canvas_status), "error");
      gtk_stack_set_visible_child_name (self->bottom_stack, "output");
    }
  else
    {
      set_line_mark (self, "error", 0);
      gtk_widget_remove_css_class (GTK_WIDGET (self->canvas_status), "error");
    }
}

/* At the very end the module frame has returned and teardown freed everything; a
 * learner wants the final picture instead: the state just before the module returned,
 * or, if an exception ended the run, where it was raised. */
static void
show_final_state (HsWindow *self)
{
  HsTraceModel *model = hs_session_get_model (self->session);

  if (hs_session_get_step (self->session) == 0 || hs_trace_model_get_n_frames (model) != 0)
    return;
  if (hs_session_get_state (self->session) == HS_SESSION_ERROR)
    hs_trace_model_seek_error (model);
  else
    hs_trace_model_seek_end (model);
}

/* The line over the picture: how many objects it stands for, as of the picture last
 * built (the heap view says "refreshed" when that changes; a huge heap's picture is
 * rebuilt less often than the step changes). */
static void
update_canvas_status (HsWindow *self)
{
  g_autofree char *status = NULL;
  guint drawn, n;

  if (hs_session_get_state (self->session) == HS_SESSION_ERROR)
    return;
  n = hs_heap_view_get_n_objects (self->heap_view, &drawn);
  if (hs_session_get_step (self->session) == 0)
    status = NULL;
  else if (drawn < n)
    /* Translators: the diagram draws the first objects reachable from the frames. */
    status = g_strdup_printf (ngettext ("%u object on the heap; the %u nearest the frames are drawn",
                                        "%u objects on the heap; the %u nearest the frames are drawn", n),
                              n, drawn);
  else
    status = g_strdup_printf (ngettext ("%u object on the heap", "%u objects on the heap", n), n);
  gtk_label_set_text (self->canvas_status, status != NULL ? status : _("Press Step (F10) to start"));
}

static void
update_view (HsWindow *self)
{
  HsTraceModel *model = hs_session_get_model (self->session);
  HsSessionState state = hs_session_get_state (self->session);
  guint64 step = hs_session_get_step (self->session);
  guint32 line = hs_session_get_line (self->session);
  guint64 step_start = self->shown_event;
  gboolean ended = state == HS_SESSION_FINISHED || state == HS_SESSION_ERROR;
  gboolean at_end = ended && step >= hs_session_get_total_steps (self->session);   /* nothing runs next */
  gboolean moved;
  HsId selected;

  /* Running the last line ends the program without a new step. */
  moved = step != self->shown_step || (ended && self->origin_line != 0);
  if (moved)
    {
      /* The line that just ran is where the step command started (a step over a call
       * covers the whole call); travelling through history runs nothing. */
      gboolean ran = step > self->origin_step || (ended && step == self->origin_step);

      self->last_line = (self->origin_line != 0 && ran) ? self->origin_line : 0;
      self->origin_line = 0;
    }
  if (at_end)
    show_final_state (self);
  /* While the program waits in input(), the steps so far can be browsed. */
  if (state != HS_SESSION_RUNNING || hs_session_is_waiting_input (self->session))
    {
      guint32 now = hs_trace_model_get_current_line (model);
      guint32 error_line = at_end && state == HS_SESSION_ERROR ? hs_session_get_error (self->session)->line : 0;
      guint32 next = at_end ? 0 : now;

      /* At most one of these marks on a line: nothing runs after the end, and the line
       * that raised shows its error. (GtkSourceView 5.6's gutter also leaks a list node
       * whenever it draws two marks on one line.) */
      set_line_mark (self, "next", next);
      set_line_mark (self, "done", self->last_line != next && self->last_line != error_line ? self->last_line : 0);
      if (now > 0)
        {
          GtkTextIter iter;
          gtk_text_buffer_get_iter_at_line (GTK_TEXT_BUFFER (self->buffer), &iter, now - 1);
          gtk_text_view_scroll_to_iter (GTK_TEXT_VIEW (self->code_view), &iter, 0.1, FALSE, 0, 0);
        }
      line = now;
    }

  if (self->pending_prediction != NULL && self->prediction_answered && moved)
    check_prediction (self);
  else if (moved)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->prediction_result), FALSE);
      if (self->pending_prediction == NULL)
        gtk_widget_set_visible (self->prediction_box, FALSE);
    }

  update_narration (self, line, step_start);
  /* At the end of the run no line is about to run: no question. */
  if (state != HS_SESSION_RUNNING && self->pending_prediction == NULL)
    update_prediction_prompt (self, at_end ? 0 : line);

  update_console (self, at_end);
  update_run_controls (self);
  update_error_mark (self);
  hs_timeline_update (self->timeline);
  hs_timeline_set_step (self->timeline, step);
  hs_gc_panel_update (self->gc_panel, model);
  selected = hs_heap_view_get_selected (self->heap_view);
  hs_inspector_set_object (self->inspector, model, selected);
  update_event_list (self);

  update_canvas_status (self);

  if (self->lesson != NULL && state == HS_SESSION_FINISHED && at_end)
    {
      set_lesson_progress (self, self->lesson->id, "completed");
      refresh_lesson_list (self);
    }

  self->shown_step = step;
  self->shown_event = hs_trace_model_get_event (model);
}

static void
session_changed_cb (HsWindow *self)
{
  update_view (self);
  update_input_bar (self);
}

/* ---- loading programs ----------------------------------------------------------------- */

static void
stop_continue (HsWindow *self)
{
  if (self->continue_id == 0)
    return;
  g_clear_handle_id (&self->continue_id, g_source_remove);
  if (self->run_stack != NULL)
    update_run_controls (self);
}

static void
reload_session (HsWindow *self)
{
  g_autofree char *text = buffer_text (self);
  GtkTextIter start, end;

  stop_continue (self);
  hs_session_set_profile (self->session, self->profile);
  hs_session_load (self->session, self->display_name != NULL ? self->display_name : "<program>",
                   text, -1);
  /* Breakpoints survive an edit: they are marks in the buffer. */
  hs_session_clear_breakpoints (self->session);
  gtk_text_buffer_get_bounds (GTK_TEXT_BUFFER (self->buffer), &start, &end);
  {
    GtkTextIter iter = start;
    while (gtk_source_buffer_forward_iter_to_source_mark (self->buffer, &iter, "breakpoint"))
      hs_session_set_breakpoint (self->session, gtk_text_iter_get_line (&iter) + 1, TRUE);
  }
  self->source_dirty = FALSE;
  self->shown_step = 0;
  self->shown_event = 0;
  self->last_line = 0;
  self->pending_prediction = NULL;
  hs_heap_view_set_selected (self->heap_view, 0);
  hs_heap_view_set_highlight (self->heap_view, NULL);
  hs_timeline_set_trace (self->timeline, hs_session_get_trace (self->session));
  hs_heap_view_zoom_fit (self->heap_view);
  update_view (self);
}

static void
load_source (HsWindow   *self,
             const char *name,
             const char *text,
             gsize       len,
             HsLesson   *lesson)
{
  GtkTextIter start, end;

  g_clear_pointer (&self->lesson, hs_lesson_free);
  self->lesson = lesson;
  g_free (self->display_name);
  self->display_name = g_strdup (name);
  if (lesson != NULL)
    {
      HsProfile p = g_str_equal (lesson->profile, "cpython") ? HS_PROFILE_CPYTHON : HS_PROFILE_TUTORIAL;
      if (p != self->profile)
        {
          self->profile = p;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROFILE]);
        }
    }
  self->loading = TRUE;
  gtk_text_buffer_get_bounds (GTK_TEXT_BUFFER (self->buffer), &start, &end);
  gtk_source_buffer_remove_source_marks (self->buffer, &start, &end, NULL);
  gtk_text_buffer_set_text (GTK_TEXT_BUFFER (self->buffer), text, (int) len);
  gtk_text_buffer_set_modified (GTK_TEXT_BUFFER (self->buffer), FALSE);
  self->loading = FALSE;
  self->unsaved = FALSE;
  update_title (self);
  gtk_label_set_text (self->profile_label, self->profile == HS_PROFILE_CPYTHON ? _("CPython profile") : _("Tutorial profile"));
  reload_session (self);
}

static gboolean
validate_program_text (const char  *data,
                       gsize        len,
                       GError     **error)
{
  if (len > 8 * 1024 * 1024)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("The file is %.1f MB; Heapscope opens programs up to 8 MB."), len / 1048576.0);
      return FALSE;
    }
  if (memchr (data, '\0', len) != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("The file contains NUL bytes: it looks like a binary file, not a Python program."));
      return FALSE;
    }
  if (!g_utf8_validate_len (data, len, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("The file is not valid UTF-8 text. Save it as UTF-8 and open it again."));
      return FALSE;
    }
  return TRUE;
}

gboolean
hs_window_open_file (HsWindow  *self,
                     GFile     *file,
                     GError   **error)
{
  g_autofree char *data = NULL;
  g_autofree char *basename = NULL;
  gsize len;

  g_return_val_if_fail (HS_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (!g_file_load_contents (file, NULL, &data, &len, NULL, error))
    return FALSE;
  if (!validate_program_text (data, len, error))
    return FALSE;
  basename = g_file_get_basename (file);
  g_set_object (&self->file, file);
  load_source (self, basename, data, len, NULL);
  {
    g_autofree char *uri = g_file_get_uri (file);
    gtk_recent_manager_add_item (gtk_recent_manager_get_default (), uri);
  }
  if (self->settings != NULL)
    {
      g_autofree char *path = g_file_get_path (file);
      g_settings_set_string (self->settings, "last-file", path != NULL ? path : "");
      g_settings_set_string (self->settings, "last-lesson", "");
    }
  gtk_list_box_unselect_all (self->lesson_list);
  return TRUE;
}

void
hs_window_load_text (HsWindow   *self,
                     const char *name,
                     const char *text)
{
  g_return_if_fail (HS_IS_WINDOW (self));
  g_clear_object (&self->file);
  load_source (self, name, text, strlen (text), NULL);
}

gboolean
hs_window_save_to (HsWindow  *self,
                   GFile     *file,
                   GError   **error)
{
  g_autofree char *text = buffer_text (self);
  g_autofree char *path = g_file_get_path (file);

  if (path == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, _("Only local files can be saved"));
      return FALSE;
    }
  if (!write_atomically (path, text, error))
    return FALSE;
  g_set_object (&self->file, file);
  g_free (self->display_name);
  self->display_name = g_file_get_basename (file);
  self->unsaved = FALSE;
  gtk_text_buffer_set_modified (GTK_TEXT_BUFFER (self->buffer), FALSE);
  clear_autosave ();
  update_title (self);
  return TRUE;
}

/* ---- actions ---------------------------------------------------------------------------- */

static gboolean
ensure_fresh (HsWindow *self)
{
  /* Edited code restarts the session on the next step. */
  if (self->source_dirty)
    {
      reload_session (self);
      return TRUE;
    }
  return FALSE;
}

/* A question must be answered (or skipped) before its line runs: TRUE, with the answer
 * field focused and a bell, while one waits. */
static gboolean
question_waits (HsWindow *self)
{
  if (self->pending_prediction == NULL || self->prediction_answered)
    return FALSE;
  gtk_widget_grab_focus (GTK_WIDGET (self->prediction_entry));
  gtk_widget_error_bell (GTK_WIDGET (self));
  return TRUE;
}

/* Where a forward step starts: update_view() tells from it which line ran. */
static void
mark_origin (HsWindow *self)
{
  HsTraceModel *model = hs_session_get_model (self->session);

  self->shown_event = hs_trace_model_get_event (model);
  self->origin_line = hs_trace_model_get_current_line (model);
  self->origin_step = hs_trace_model_get_step (model);
}

static void
do_step (HsWindow *self,
         void    (*line_step) (HsSession *))
{
  ensure_fresh (self);
  stop_continue (self);
  if (question_waits (self))
    return;
  mark_origin (self);
  if (self->by_event)
    hs_session_step_event (self->session, TRUE);
  else
    line_step (self->session);
}

static void
session_step_over (GtkWidget *widget, const char *action, GVariant *param)
{
  do_step (HS_WINDOW (widget), hs_session_step_over);
}

static void
session_step_into (GtkWidget *widget, const char *action, GVariant *param)
{
  do_step (HS_WINDOW (widget), hs_session_step_into);
}

static void
session_step_out (GtkWidget *widget, const char *action, GVariant *param)
{
  do_step (HS_WINDOW (widget), hs_session_step_out);
}

static void
session_back (GtkWidget *widget, const char *action, GVariant *param)
{
  HsWindow *self = HS_WINDOW (widget);

  stop_continue (self);
  self->pending_prediction = NULL;
  gtk_widget_set_visible (self->prediction_box, FALSE);
  if (self->by_event)
    hs_session_step_event (self->session, FALSE);
  else
    hs_session_back (self->session);
}

static gboolean
continue_tick_cb (gpointer user_data)
{
  HsWindow *self = user_data;
  HsSessionState state = hs_session_get_state (self->session);
  guint64 step = hs_session_get_step (self->session);
  guint32 line = hs_session_get_line (self->session);

  if (state == HS_SESSION_RUNNING)
    return G_SOURCE_CONTINUE;
  /* Stop at the end, or before a line with a breakpoint or a question, but not before
   * the one it started from. (After a step that runs the program the line is known
   * only once the step is done: here, at the next tick.) */
  if (((state == HS_SESSION_FINISHED || state == HS_SESSION_ERROR)
       && step >= hs_session_get_total_steps (self->session))
      || (step != self->play_from
          && (hs_session_has_breakpoint (self->session, line)
              || (self->lesson != NULL && hs_lesson_prediction_at (self->lesson, line) != NULL))))
    {
      self->continue_id = 0;
      update_run_controls (self);
      return G_SOURCE_REMOVE;
    }
  mark_origin (self);
  hs_session_step (self->session);
  return G_SOURCE_CONTINUE;
}

static void
session_continue (GtkWidget *widget, const char *action, GVariant *param)
{
  HsWindow *self = HS_WINDOW (widget);
  double speed = gtk_adjustment_get_value (self->speed_adjustment);

  ensure_fresh (self);
  stop_continue (self);
  if (question_waits (self))
    return;
  if (speed >= MAX_CONTINUE_SPEED)
    hs_session_continue (self->session);
  else
    {
      self->play_from = hs_session_get_step (self->session);
      self->continue_id = g_timeout_add ((guint) (1000.0 / MAX (speed, 0.5)), continue_tick_cb, self);
      update_run_controls (self);
    }
}

static void
session_pause (GtkWidget *widget, const char *action, GVariant *param)
{
  HsWindow *self = HS_WINDOW (widget);

  stop_continue (self);
  hs_session_pause (self->session);
}

static void
session_reset (GtkWidget *widget, const char *action, GVariant *param)
{
  reload_session (HS_WINDOW (widget));
}

static void
session_collect (GtkWidget *widget, const char *action, GVariant *param)
{
  HsWindow *self = HS_WINDOW (widget);
  int generation = param != NULL ? g_variant_get_int32 (param) : 2;

  stop_continue (self);
  /* The collection runs in the program at the live point: start it if it has not. */
  if (hs_session_get_state (self->session) == HS_SESSION_IDLE)
    {
      hs_session_step (self->session);
      hs_session_wait (self->session, 2000);
    }
  if (!hs_session_collect (self->session, CLAMP (generation, 0, 2)))
    hs_gc_panel_show_result (self->gc_panel, generation, -1);
}

static void
session_collected_cb (HsWindow *self,
                      gint64    collected)
{
  update_view (self);
  hs_gc_panel_show_result (self->gc_panel, 2, collected);
  gtk_stack_set_visible_child_name (self->side_stack, "gc");
}

static void
view_zoom_in (GtkWidget *widget, const char *action, GVariant *param)
{
  hs_heap_view_zoom_in (HS_WINDOW (widget)->heap_view);
}

static void
view_zoom_out (GtkWidget *widget, const char *action, GVariant *param)
{
  hs_heap_view_zoom_out (HS_WINDOW (widget)->heap_view);
}

static void
view_zoom_fit (GtkWidget *widget, const char *action, GVariant *param)
{
  hs_heap_view_zoom_fit (HS_WINDOW (widget)->heap_view);
}

static void
win_toggle_sidebar (GtkWidget *widget, const char *action, GVariant *param)
{
  HsWindow *self = HS_WINDOW (widget);
  gboolean reveal = !gtk_revealer_get_reveal_child (self->sidebar_revealer);

  gtk_revealer_set_reveal_child (self->sidebar_revealer, reveal);
  gtk_toggle_button_set_active (self->sidebar_button, reveal);
}

static void
win_why_alive (GtkWidget *widget, const char *action, GVariant *param)
{
  HsWindow *self = HS_WINDOW (widget);
  HsId id = hs_heap_view_get_selected (self->heap_view);
  g_autoptr(GArray) path = NULL;
  g_autoptr(GArray) ids = NULL;

  if (id == 0)
    return;
  path = hs_trace_model_retainer_path (hs_session_get_model (self->session), id);
  ids = g_array_new (FALSE, FALSE, sizeof (HsId));
  for (guint i = 0; path != NULL && i < path->len; i++)
    {
      const HsTraceRef *r = &g_array_index (path, HsTraceRef, i);
      if (!r->holder_is_frame)
        g_array_append_val (ids, r->holder);
    }
  g_array_append_val (ids, id);
  hs_heap_view_set_highlight (self->heap_view, ids);
}

static void
win_new (GtkWidget *widget, const char *action, GVariant *param)
{
  HsWindow *self = HS_WINDOW (widget);

  gtk_list_box_unselect_all (self->lesson_list);
  hs_window_load_text (self, _("Untitled"), "# Write a program, then press Step (F10).\n");
}

static void
open_response_cb (GtkNativeDialog *dialog,
                  int              response,
                  HsWindow        *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autoptr(GError) error = NULL;

      if (!hs_window_open_file (self, file, &error))
        {
          g_autofree char *name = g_file_get_parse_name (file);
          g_autofree char *primary = g_strdup_printf (_("Could not open “%s”"), name);
          show_message (self, primary, error->message);
        }
    }
  g_object_unref (dialog);
}

static GtkFileFilter *
python_filter (void)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Python programs"));
  gtk_file_filter_add_pattern (filter, "*.py");
  gtk_file_filter_add_mime_type (filter, "text/x-python");
  return filter;
}

static void
win_open (GtkWidget *widget, const char *action, GVariant *param)
{
  HsWindow *self = HS_WINDOW (widget);
  GtkFileChooserNative *dialog =
    gtk_file_chooser_native_new (_("Open a Python Program"), GTK_WINDOW (self),
                                 GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));

  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), python_filter ());
  g_signal_connect (dialog, "response", G_CALLBACK (open_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
save_response_cb (GtkNativeDialog *dialog,
                  int              response,
                  HsWindow        *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autoptr(GError) error = NULL;

      if (!hs_window_save_to (self, file, &error))
        show_message (self, _("Could not save the program"), error->message);
      else
        {
          g_autofree char *uri = g_file_get_uri (file);
          gtk_recent_manager_add_item (gtk_recent_manager_get_default (), uri);
        }
    }
  g_object_unref (dialog);
}

static void
win_save_as (GtkWidget *widget, const char *action, GVariant *param)
{
  HsWindow *self = HS_WINDOW (widget);
  GtkFileChooserNative *dialog =
    gtk_file_chooser_native_new (_("Save the Program"), GTK_WINDOW (self),
                                 GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  g_autofree char *name = g_strdup_printf ("%s.py", self->lesson != NULL ? self->lesson->id : "program");

  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), python_filter ());
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog),
                                     self->file != NULL ? self->display_name : name);
  g_signal_connect (dialog, "response", G_CALLBACK (save_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
win_save (GtkWidget *widget, const char *action, GVariant *param)
{
  HsWindow *self = HS_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  if (self->file == NULL)
    {
      win_save_as (widget, action, param);
      return;
    }
  if (!hs_window_save_to (self, self->file, &error))
    show_message (self, _("Could not save the program"), error->message);
}

static void
export_response_cb (GtkNativeDialog *dialog,
                    int              response,
                    HsWindow        *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);
      g_autoptr(GError) error = NULL;

      if (path == NULL || !hs_heap_view_export (self->heap_view, path, FALSE, &error))
        show_message (self, _("Could not export the diagram"), error != NULL ? error->message : NULL);
    }
  g_object_unref (dialog);
}

static void
win_export_diagram (GtkWidget *widget, const char *action, GVariant *param)
{
  HsWindow *self = HS_WINDOW (widget);
  GtkFileChooserNative *dialog =
    gtk_file_chooser_native_new (_("Export the Diagram"), GTK_WINDOW (self),
                                 GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("PNG, SVG or PDF"));
  gtk_file_filter_add_pattern (filter, "*.png");
  gtk_file_filter_add_pattern (filter, "*.svg");
  gtk_file_filter_add_pattern (filter, "*.pdf");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), "heap.png");
  g_signal_connect (dialog, "response", G_CALLBACK (export_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
win_copy_diagram (GtkWidget *widget, const char *action, GVariant *param)
{
  HsWindow *self = HS_WINDOW (widget);
  g_autoptr(GdkTexture) texture = hs_heap_view_to_texture (self->heap_view);

  if (texture != NULL)
    gdk_clipboard_set_texture (gtk_widget_get_clipboard (widget), texture);
}

/* ---- signals from children ----------------------------------------------------------- */

static void
on_heap_view_selected_cb (HsWindow *self)
{
  HsId id = hs_heap_view_get_selected (self->heap_view);

  hs_inspector_set_object (self->inspector, hs_session_get_model (self->session), id);
  if (id != 0)
    gtk_stack_set_visible_child_name (self->side_stack, "inspector");
}

static void
on_inspector_jump_cb (HsWindow *self,
                      guint64   id)
{
  hs_heap_view_set_selected (self->heap_view, id);
}

static void
on_inspector_why_alive_cb (HsWindow *self,
                           guint64   id)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.why-alive", NULL);
}

static void
on_timeline_seek_cb (HsWindow *self,
                     guint64   step)
{
  stop_continue (self);
  self->pending_prediction = NULL;
  hs_session_seek (self->session, step);
}

static void
buffer_changed_cb (HsWindow *self)
{
  if (self->loading)
    return;
  self->source_dirty = TRUE;
  if (!self->unsaved)
    {
      self->unsaved = TRUE;
      update_title (self);
    }
  g_clear_handle_id (&self->autosave_id, g_source_remove);
  self->autosave_id = g_timeout_add (AUTOSAVE_DELAY_MS, autosave_cb, self);
}

/* Opens `file`, showing what went wrong if it cannot. */
static gboolean
open_file_or_explain (HsWindow *self,
                      GFile    *file)
{
  g_autoptr(GError) error = NULL;

  if (hs_window_open_file (self, file, &error))
    return TRUE;
  {
    g_autofree char *name = g_file_get_parse_name (file);
    g_autofree char *primary = g_strdup_printf (_("Could not open “%s”"), name);
    show_message (self, primary, error->message);
  }
  return FALSE;
}

static void
replace_response_cb (GtkDialog *dialog,
                     int        response,
                     HsWindow  *self)
{
  g_autoptr(GFile) file = g_steal_pointer (&self->pending_open);

  gtk_window_destroy (GTK_WINDOW (dialog));
  if (file == NULL)
    return;
  if (response == GTK_RESPONSE_ACCEPT && self->file != NULL)   /* save, then open */
    {
      g_autoptr(GError) error = NULL;

      if (!hs_window_save_to (self, self->file, &error))
        {
          show_message (self, _("Could not save the program"), error->message);
          return;
        }
    }
  else if (response == GTK_RESPONSE_ACCEPT)
    {
      /* Nowhere to save yet: choose a place first; the learner opens again after. */
      gtk_widget_activate_action (GTK_WIDGET (self), "win.save-as", NULL);
      return;
    }
  else if (response != GTK_RESPONSE_REJECT)   /* cancel */
    return;
  self->unsaved = FALSE;
  clear_autosave ();
  open_file_or_explain (self, file);
}

/* Opens `file`, first asking what to do with unsaved edits of a program. */
static void
open_file_checked (HsWindow *self,
                   GFile    *file)
{
  GtkWidget *dialog;

  if (!self->unsaved || self->lesson != NULL)
    {
      open_file_or_explain (self, file);
      return;
    }
  g_set_object (&self->pending_open, file);
G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  dialog = gtk_message_dialog_new (GTK_WINDOW (self), GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                   GTK_MESSAGE_QUESTION, GTK_BUTTONS_NONE,
                                   _("Save changes to “%s” before opening another program?"),
                                   self->display_name ? self->display_name : _("Untitled"));
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog),
                                            _("If you discard them, your edits are lost."));
  gtk_dialog_add_buttons (GTK_DIALOG (dialog), _("_Cancel"), GTK_RESPONSE_CANCEL,
                          _("_Discard"), GTK_RESPONSE_REJECT, _("_Save"), GTK_RESPONSE_ACCEPT, NULL);
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  g_signal_connect (dialog, "response", G_CALLBACK (replace_response_cb), self);
G_GNUC_END_IGNORE_DEPRECATIONS
  gtk_window_present (GTK_WINDOW (dialog));
}

static gboolean
drop_cb (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         HsWindow      *self)
{
  GFile *file = NULL;
  GSList *files = NULL;

  /* File managers offer a file list; take its first file. */
  if (G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    {
      files = gdk_file_list_get_files (g_value_get_boxed (value));
      file = files != NULL ? files->data : NULL;
    }
  else if (G_VALUE_HOLDS (value, G_TYPE_FILE))
    file = g_value_get_object (value);
  if (file != NULL)
    open_file_checked (self, file);
  g_slist_free (files);
  return file != NULL;
}

/* ---- recent files ------------------------------------------------------------------------ */

#define MAX_RECENT 10

static int
compare_recent (gconstpointer a,
                gconstpointer b)
{
  GtkRecentInfo *ia = *(GtkRecentInfo **) a, *ib = *(GtkRecentInfo **) b;

  /* Most recently used first. */
  return g_date_time_compare (gtk_recent_info_get_modified (ib), gtk_recent_info_get_modified (ia));
}

static void
refresh_recent_menu (HsWindow *self)
{
  GList *items = gtk_recent_manager_get_items (gtk_recent_manager_get_default ());
  g_autoptr(GPtrArray) python = g_ptr_array_new ();

  g_menu_remove_all (self->recent_menu);
  for (GList *l = items; l != NULL; l = l->next)
    {
      GtkRecentInfo *info = l->data;
      const char *uri = gtk_recent_info_get_uri (info);

      if (g_str_has_suffix (uri, ".py") && gtk_recent_info_is_local (info) && gtk_recent_info_exists (info))
        g_ptr_array_add (python, info);
    }
  g_ptr_array_sort (python, compare_recent);
  for (guint i = 0; i < python->len && i < MAX_RECENT; i++)
    {
      GtkRecentInfo *info = g_ptr_array_index (python, i);
      g_auto(GStrv) parts = g_strsplit (gtk_recent_info_get_display_name (info), "_", -1);
      /* Underscores in file names are not mnemonics. */
      g_autofree char *label = g_strjoinv ("__", parts);
      g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

      g_menu_item_set_action_and_target_value (item, "win.open-recent",
                                               g_variant_new_string (gtk_recent_info_get_uri (info)));
      g_menu_append_item (self->recent_menu, item);
    }
  if (python->len == 0)
    {
      /* A disabled row says why the submenu is empty. */
      g_autoptr(GMenuItem) item = g_menu_item_new (_("No Recent Programs"), "win.no-recent");
      g_menu_append_item (self->recent_menu, item);
    }
  g_list_free_full (items, (GDestroyNotify) gtk_recent_info_unref);
}

static void
win_open_recent (GtkWidget *widget, const char *action, GVariant *param)
{
  HsWindow *self = HS_WINDOW (widget);
  g_autoptr(GFile) file = g_file_new_for_uri (g_variant_get_string (param, NULL));

  open_file_checked (self, file);
}

/* ---- theme ------------------------------------------------------------------------------- */

static gboolean
theme_is_dark (void)
{
  GtkSettings *settings = gtk_settings_get_default ();
  g_autofree char *name = NULL;
  gboolean dark = FALSE;

  if (settings == NULL)
    return FALSE;
  g_object_get (settings, "gtk-application-prefer-dark-theme", &dark, "gtk-theme-name", &name, NULL);
  return dark || (name != NULL && g_str_has_suffix (name, "-dark"));
}

/* The code view's colours follow the theme, also when it changes later. */
static void
update_style_scheme (HsWindow *self)
{
  GtkSourceStyleSchemeManager *schemes = gtk_source_style_scheme_manager_get_default ();
  gboolean dark = theme_is_dark ();
  GtkSourceStyleScheme *scheme = gtk_source_style_scheme_manager_get_scheme (schemes, dark ? "Adwaita-dark" : "Adwaita");

  if (scheme == NULL)
    scheme = gtk_source_style_scheme_manager_get_scheme (schemes, dark ? "classic-dark" : "classic");
  if (scheme != NULL && gtk_source_buffer_get_style_scheme (self->buffer) != scheme)
    gtk_source_buffer_set_style_scheme (self->buffer, scheme);
  /* The console's stderr text: GNOME's red 4 on light, red 1 on dark. */
  g_object_set (self->stderr_tag, "foreground", dark ? "#f66151" : "#c01c28", NULL);
}

static void
apply_theme (const char *theme)
{
  GtkSettings *settings = gtk_settings_get_default ();

  if (settings == NULL)
    return;
  if (g_strcmp0 (theme, "light") == 0 || g_strcmp0 (theme, "dark") == 0)
    g_object_set (settings, "gtk-application-prefer-dark-theme", g_str_equal (theme, "dark"), NULL);
  else
    gtk_settings_reset_property (settings, "gtk-application-prefer-dark-theme");
}

static void
close_response_cb (GtkDialog *dialog,
                   int        response,
                   HsWindow  *self)
{
  gtk_window_destroy (GTK_WINDOW (dialog));
  if (response == GTK_RESPONSE_REJECT)        /* discard */
    {
      self->unsaved = FALSE;
      clear_autosave ();
      gtk_window_destroy (GTK_WINDOW (self));
    }
  else if (response == GTK_RESPONSE_ACCEPT)   /* save */
    {
      if (self->file != NULL)
        {
          g_autoptr(GError) error = NULL;
          if (hs_window_save_to (self, self->file, &error))
            gtk_window_destroy (GTK_WINDOW (self));
          else
            show_message (self, _("Could not save the program"), error->message);
        }
      else
        win_save_as (GTK_WIDGET (self), NULL, NULL);
    }
}

static gboolean
hs_window_close_request (GtkWindow *window)
{
  HsWindow *self = HS_WINDOW (window);

  if (self->settings != NULL)
    {
      int w, h;
      gtk_window_get_default_size (window, &w, &h);
      g_settings_set_int (self->settings, "window-width", w);
      g_settings_set_int (self->settings, "window-height", h);
      g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
    }

  if (self->unsaved && self->lesson == NULL)
    {
      GtkWidget *dialog;

G_GNUC_BEGIN_IGNORE_DEPRECATIONS
      dialog = gtk_message_dialog_new (window, GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                       GTK_MESSAGE_QUESTION, GTK_BUTTONS_NONE,
                                       _("Save changes to “%s” before closing?"),
                                       self->display_name ? self->display_name : _("Untitled"));
      gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog),
                                                _("Your edits are kept in an autosave, but they are not in the file yet."));
      gtk_dialog_add_buttons (GTK_DIALOG (dialog), _("_Cancel"), GTK_RESPONSE_CANCEL,
                              _("_Discard"), GTK_RESPONSE_REJECT, _("_Save"), GTK_RESPONSE_ACCEPT, NULL);
      gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
      g_signal_connect (dialog, "response", G_CALLBACK (close_response_cb), self);
G_GNUC_END_IGNORE_DEPRECATIONS
      gtk_window_present (GTK_WINDOW (dialog));
      return TRUE;
    }
  return GTK_WINDOW_CLASS (hs_window_parent_class)->close_request (window);
}

/* ---- properties ------------------------------------------------------------------------ */

static void
hs_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  HsWindow *self = HS_WINDOW (object);

  switch (prop_id)
    {
    case PROP_PROFILE:
      g_value_set_string (value, self->profile == HS_PROFILE_CPYTHON ? "cpython" : "tutorial");
      break;
    case PROP_STEP_MODE:
      g_value_set_string (value, self->by_event ? "event" : "line");
      break;
    case PROP_GC_ENABLED:
      g_value_set_boolean (value, self->gc_enabled);
      break;
    case PROP_INLINE_IMMUTABLES:
      g_value_set_boolean (value, self->inline_immutables);
      break;
    case PROP_KEEP_FINISHED_FRAMES:
      g_value_set_boolean (value, self->keep_finished);
      break;
    case PROP_THEME:
      g_value_set_string (value, self->theme != NULL ? self->theme : "system");
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hs_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  HsWindow *self = HS_WINDOW (object);

  switch (prop_id)
    {
    case PROP_PROFILE:
      {
        HsProfile p = g_strcmp0 (g_value_get_string (value), "cpython") == 0 ? HS_PROFILE_CPYTHON : HS_PROFILE_TUTORIAL;
        if (p == self->profile)
          break;
        self->profile = p;
        gtk_label_set_text (self->profile_label, p == HS_PROFILE_CPYTHON ? _("CPython profile") : _("Tutorial profile"));
        if (self->settings != NULL)
          g_settings_set_string (self->settings, "profile", p == HS_PROFILE_CPYTHON ? "cpython" : "tutorial");
        reload_session (self);
        g_object_notify_by_pspec (object, pspec);
      }
      break;
    case PROP_STEP_MODE:
      self->by_event = g_strcmp0 (g_value_get_string (value), "event") == 0;
      g_object_notify_by_pspec (object, pspec);
      break;
    case PROP_GC_ENABLED:
      self->gc_enabled = g_value_get_boolean (value);
      hs_session_set_gc_enabled (self->session, self->gc_enabled);
      g_object_notify_by_pspec (object, pspec);
      break;
    case PROP_INLINE_IMMUTABLES:
      self->inline_immutables = g_value_get_boolean (value);
      hs_heap_view_set_inline_immutables (self->heap_view, self->inline_immutables);
      if (self->settings != NULL)
        g_settings_set_boolean (self->settings, "inline-immutables", self->inline_immutables);
      g_object_notify_by_pspec (object, pspec);
      break;
    case PROP_KEEP_FINISHED_FRAMES:
      self->keep_finished = g_value_get_boolean (value);
      hs_heap_view_set_keep_finished_frames (self->heap_view, self->keep_finished);
      if (self->settings != NULL)
        g_settings_set_boolean (self->settings, "keep-finished-frames", self->keep_finished);
      g_object_notify_by_pspec (object, pspec);
      break;
    case PROP_THEME:
      {
        const char *theme = g_value_get_string (value);

        if (g_strcmp0 (theme, "light") != 0 && g_strcmp0 (theme, "dark") != 0)
          theme = "system";
        if (g_strcmp0 (theme, self->theme) == 0)
          break;
        g_free (self->theme);
        self->theme = g_strdup (theme);
        apply_theme (theme);
        if (self->settings != NULL)
          g_settings_set_string (self->settings, "theme", theme);
        g_object_notify_by_pspec (object, pspec);
      }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hs_window_dispose (GObject *object)
{
  HsWindow *self = HS_WINDOW (object);

  stop_continue (self);
  if (self->autosave_id != 0)
    {
      g_clear_handle_id (&self->autosave_id, g_source_remove);
      if (self->unsaved)
        autosave_cb (self);
    }
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  /* Shared objects outlive the window: no more news from them. */
  g_signal_handlers_disconnect_by_data (gtk_recent_manager_get_default (), self);
  if (gtk_settings_get_default () != NULL)
    g_signal_handlers_disconnect_by_data (gtk_settings_get_default (), self);
  gtk_widget_dispose_template (GTK_WIDGET (self), HS_TYPE_WINDOW);
  g_clear_object (&self->session);
  g_clear_object (&self->settings);
  g_clear_object (&self->file);
  g_clear_object (&self->pending_open);
  g_clear_pointer (&self->theme, g_free);
  g_clear_object (&self->events);
  g_clear_pointer (&self->event_cursor, hs_trace_cursor_free);
  g_clear_pointer (&self->console_trace, hs_trace_unref);
  g_clear_pointer (&self->lesson, hs_lesson_free);
  g_clear_pointer (&self->display_name, g_free);
  g_clear_pointer (&self->prediction_answer, g_free);
  G_OBJECT_CLASS (hs_window_parent_class)->dispose (object);
}

static void
hs_window_class_init (HsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = hs_window_dispose;
  object_class->get_property = hs_window_get_property;
  object_class->set_property = hs_window_set_property;
  window_class->close_request = hs_window_close_request;

  properties[PROP_PROFILE] =
    g_param_spec_string ("profile", NULL, NULL, "tutorial",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STEP_MODE] =
    g_param_spec_string ("step-mode", NULL, NULL, "line",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_GC_ENABLED] =
    g_param_spec_boolean ("gc-enabled", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_INLINE_IMMUTABLES] =
    g_param_spec_boolean ("inline-immutables", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_KEEP_FINISHED_FRAMES] =
    g_param_spec_boolean ("keep-finished-frames", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_THEME] =
    g_param_spec_string ("theme", NULL, NULL, "system",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (GTK_SOURCE_TYPE_VIEW);
  g_type_ensure (HS_TYPE_HEAP_VIEW);
  g_type_ensure (HS_TYPE_INSPECTOR);
  g_type_ensure (HS_TYPE_GC_PANEL);
  g_type_ensure (HS_TYPE_TIMELINE);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/heapscope/Heapscope/ui/hs-window.ui");
  gtk_widget_class_bind_template_child (widget_class, HsWindow, sidebar_button);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, run_stack);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, speed_adjustment);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, profile_label);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, sidebar_revealer);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, lesson_list);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, narration_revealer);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, lesson_title);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, narration_label);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, event_narration_label);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, prediction_box);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, prediction_question);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, prediction_entry);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, prediction_result);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, code_view);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, heap_view);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, canvas_status);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, side_stack);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, inspector);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, gc_panel);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, timeline);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, step_label);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, console);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, event_filter);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, event_list);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, bottom_stack);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, recent_menu);
  gtk_widget_class_bind_template_callback (widget_class, on_lesson_list_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_prediction_entry_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_prediction_skip_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_input_send_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_input_end_cb);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, input_bar);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, input_entry);
  gtk_widget_class_bind_template_callback (widget_class, on_code_view_line_mark_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_heap_view_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_inspector_jump_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_inspector_why_alive_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_timeline_seek_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_event_filter_changed_cb);

  gtk_widget_class_install_action (widget_class, "session.back", NULL, session_back);
  gtk_widget_class_install_action (widget_class, "session.step-over", NULL, session_step_over);
  gtk_widget_class_install_action (widget_class, "session.step-into", NULL, session_step_into);
  gtk_widget_class_install_action (widget_class, "session.step-out", NULL, session_step_out);
  gtk_widget_class_install_action (widget_class, "session.continue", NULL, session_continue);
  gtk_widget_class_install_action (widget_class, "session.pause", NULL, session_pause);
  gtk_widget_class_install_action (widget_class, "session.reset", NULL, session_reset);
  gtk_widget_class_install_action (widget_class, "session.collect", "i", session_collect);
  gtk_widget_class_install_property_action (widget_class, "session.gc-enabled", "gc-enabled");
  gtk_widget_class_install_property_action (widget_class, "win.profile", "profile");
  gtk_widget_class_install_property_action (widget_class, "win.step-mode", "step-mode");
  gtk_widget_class_install_property_action (widget_class, "win.inline-immutables", "inline-immutables");
  gtk_widget_class_install_property_action (widget_class, "win.keep-finished-frames", "keep-finished-frames");
  gtk_widget_class_install_property_action (widget_class, "win.theme", "theme");
  gtk_widget_class_install_action (widget_class, "win.open-recent", "s", win_open_recent);
  gtk_widget_class_install_action (widget_class, "win.toggle-sidebar", NULL, win_toggle_sidebar);
  gtk_widget_class_install_action (widget_class, "win.why-alive", NULL, win_why_alive);
  gtk_widget_class_install_action (widget_class, "win.new", NULL, win_new);
  gtk_widget_class_install_action (widget_class, "win.open", NULL, win_open);
  gtk_widget_class_install_action (widget_class, "win.save", NULL, win_save);
  gtk_widget_class_install_action (widget_class, "win.save-as", NULL, win_save_as);
  gtk_widget_class_install_action (widget_class, "win.export-diagram", NULL, win_export_diagram);
  gtk_widget_class_install_action (widget_class, "win.copy-diagram", NULL, win_copy_diagram);
  gtk_widget_class_install_action (widget_class, "view.zoom-in", NULL, view_zoom_in);
  gtk_widget_class_install_action (widget_class, "view.zoom-out", NULL, view_zoom_out);
  gtk_widget_class_install_action (widget_class, "view.zoom-fit", NULL, view_zoom_fit);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK, "session.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, 0, "session.step-over", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F11, 0, "session.step-into", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F11, GDK_SHIFT_MASK, "session.step-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "session.continue", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "session.reset", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_g, GDK_CONTROL_MASK, "session.collect", "i", 2);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F9, 0, "win.toggle-sidebar", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_y, GDK_CONTROL_MASK, "win.why-alive", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "win.new", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.open", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "win.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.save-as", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "win.export-diagram", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.copy-diagram", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK, "view.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK, "view.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK, "view.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK, "view.zoom-fit", NULL);
}

static GSettings *
settings_if_installed (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  /* Running uninstalled without GSETTINGS_SCHEMA_DIR: work, just without memory. */
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  return schema != NULL ? g_settings_new (APP_ID) : NULL;
}

static void
hs_window_init (HsWindow *self)
{
  GtkSourceLanguageManager *languages = gtk_source_language_manager_get_default ();
  GtkListItemFactory *factory;
  GtkDropTarget *drop;
  g_autoptr(GtkNoSelection) selection = NULL;
  GtkSettings *gtk_settings = gtk_settings_get_default ();

  self->gc_enabled = TRUE;
  self->profile = HS_PROFILE_TUTORIAL;
  gtk_widget_init_template (GTK_WIDGET (self));

  /* F6 pauses wherever the focus is: a GtkPaned on the way up from the focus (the
   * editor's, the console's) would take it for "focus the other pane" first. */
  {
    GtkEventController *keys = gtk_shortcut_controller_new ();

    gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys),
                                          gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_F6, 0),
                                                            gtk_named_action_new ("session.pause")));
    gtk_widget_add_controller (GTK_WIDGET (self), keys);
  }

  self->settings = settings_if_installed ();
  self->session = hs_session_new ();
  g_signal_connect_object (self->session, "notify::step", G_CALLBACK (session_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::state", G_CALLBACK (session_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::total-steps", G_CALLBACK (session_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "collected", G_CALLBACK (session_collected_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::waiting-input", G_CALLBACK (session_changed_cb), self,
                           G_CONNECT_SWAPPED);
  hs_heap_view_set_model (self->heap_view, hs_session_get_model (self->session));
  g_signal_connect_object (self->heap_view, "refreshed", G_CALLBACK (update_canvas_status), self,
                           G_CONNECT_SWAPPED);

  self->buffer = GTK_SOURCE_BUFFER (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->code_view)));
  gtk_source_buffer_set_language (self->buffer, gtk_source_language_manager_get_language (languages, "python3"));
  self->stderr_tag = gtk_text_buffer_create_tag (gtk_text_view_get_buffer (self->console), "stderr", NULL);
  update_style_scheme (self);
  if (gtk_settings != NULL)
    {
      g_signal_connect_object (gtk_settings, "notify::gtk-application-prefer-dark-theme",
                               G_CALLBACK (update_style_scheme), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (gtk_settings, "notify::gtk-theme-name",
                               G_CALLBACK (update_style_scheme), self, G_CONNECT_SWAPPED);
    }
  setup_mark_attributes (self);
  g_signal_connect_object (self->buffer, "changed", G_CALLBACK (buffer_changed_cb), self, G_CONNECT_SWAPPED);

  self->events = gtk_string_list_new (NULL);
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->events)));
  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (event_item_setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (event_item_bind_cb), NULL);
  gtk_list_view_set_model (self->event_list, GTK_SELECTION_MODEL (selection));
  gtk_list_view_set_factory (self->event_list, factory);
  g_object_unref (factory);
  g_signal_connect_object (self->bottom_stack, "notify::visible-child",
                           G_CALLBACK (on_bottom_page_changed_cb), self, G_CONNECT_SWAPPED);

  drop = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY);
  gtk_drop_target_set_gtypes (drop, (GType[]) { GDK_TYPE_FILE_LIST, G_TYPE_FILE }, 2);
  g_signal_connect (drop, "drop", G_CALLBACK (drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));

  if (self->settings != NULL)
    {
      g_autofree char *profile = g_settings_get_string (self->settings, "profile");
      self->profile = g_str_equal (profile, "cpython") ? HS_PROFILE_CPYTHON : HS_PROFILE_TUTORIAL;
      self->inline_immutables = g_settings_get_boolean (self->settings, "inline-immutables");
      hs_heap_view_set_inline_immutables (self->heap_view, self->inline_immutables);
      self->keep_finished = g_settings_get_boolean (self->settings, "keep-finished-frames");
      hs_heap_view_set_keep_finished_frames (self->heap_view, self->keep_finished);
      self->theme = g_settings_get_string (self->settings, "theme");
      hs_heap_view_set_animation_speed (self->heap_view, g_settings_get_double (self->settings, "animation-speed"));
      gtk_adjustment_set_value (self->speed_adjustment, g_settings_get_double (self->settings, "continue-speed"));
      g_settings_bind (self->settings, "continue-speed", self->speed_adjustment, "value", G_SETTINGS_BIND_DEFAULT);
      gtk_window_set_default_size (GTK_WINDOW (self), g_settings_get_int (self->settings, "window-width"),
                                   g_settings_get_int (self->settings, "window-height"));
      if (g_settings_get_boolean (self->settings, "window-maximized"))
        gtk_window_maximize (GTK_WINDOW (self));
    }
  gtk_label_set_text (self->profile_label, self->profile == HS_PROFILE_CPYTHON ? _("CPython profile") : _("Tutorial profile"));
  gtk_toggle_button_set_active (self->sidebar_button, TRUE);

  refresh_lesson_list (self);
  refresh_recent_menu (self);
  g_signal_connect_object (gtk_recent_manager_get_default (), "changed",
                           G_CALLBACK (refresh_recent_menu), self, G_CONNECT_SWAPPED);
}

/* Opens what the user worked on last: an autosave left by a crash first, then the
 * last lesson or file, then the first lesson. */
void
hs_window_restore (HsWindow *self)
{
  g_autofree char *autosave = autosave_path ();
  g_autofree char *text = NULL;
  g_autofree char *last_lesson = NULL;
  g_autofree char *last_file = NULL;

  g_return_if_fail (HS_IS_WINDOW (self));

  if (g_file_get_contents (autosave, &text, NULL, NULL) && *text != '\0')
    {
      hs_window_load_text (self, _("Recovered program"), text);
      self->unsaved = TRUE;
      update_title (self);
      return;
    }
  if (self->settings != NULL)
    {
      last_lesson = g_settings_get_string (self->settings, "last-lesson");
      last_file = g_settings_get_string (self->settings, "last-file");
    }
  if (last_file != NULL && *last_file != '\0')
    {
      g_autoptr(GFile) file = g_file_new_for_path (last_file);
      if (hs_window_open_file (self, file, NULL))
        return;
    }
  if (last_lesson == NULL || *last_lesson == '\0' || !hs_window_open_lesson (self, last_lesson))
    hs_window_open_lesson (self, "01-heap-memory");
}

HsWindow *
hs_window_new (HsApplication *app)
{
  return g_object_new (HS_TYPE_WINDOW, "application", app, NULL);
}

HsSession *
hs_window_get_session (HsWindow *self)
{
  g_return_val_if_fail (HS_IS_WINDOW (self), NULL);
  return self->session;
}

HsHeapView *
hs_window_get_heap_view (HsWindow *self)
{
  g_return_val_if_fail (HS_IS_WINDOW (self), NULL);
  return self->heap_view;
}

HsGcPanel *
hs_window_get_gc_panel (HsWindow *self)
{
  g_return_val_if_fail (HS_IS_WINDOW (self), NULL);
  return self->gc_panel;
}

HsInspector *
hs_window_get_inspector (HsWindow *self)
{
  g_return_val_if_fail (HS_IS_WINDOW (self), NULL);
  return self->inspector;
}

GtkAdjustment *
hs_window_get_speed_adjustment (HsWindow *self)
{
  g_return_val_if_fail (HS_IS_WINDOW (self), NULL);
  return self->speed_adjustment;
}

const HsPrediction *
hs_window_get_prediction (HsWindow *self)
{
  g_return_val_if_fail (HS_IS_WINDOW (self), NULL);
  return self->prediction_answered ? NULL : self->pending_prediction;
}

void
hs_window_answer_prediction (HsWindow   *self,
                             const char *answer)
{
  g_return_if_fail (HS_IS_WINDOW (self));

  if (answer == NULL)
    {
      on_prediction_skip_clicked_cb (self);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->prediction_entry), answer);
  on_prediction_entry_activate_cb (self);
}

const char *
hs_window_get_prediction_result (HsWindow *self)
{
  g_return_val_if_fail (HS_IS_WINDOW (self), NULL);
  return gtk_widget_get_visible (GTK_WIDGET (self->prediction_result))
         ? gtk_label_get_text (self->prediction_result) : "";
}

const char *
hs_window_get_narration (HsWindow *self)
{
  g_return_val_if_fail (HS_IS_WINDOW (self), NULL);
  return gtk_label_get_text (self->narration_label);
}

guint32
hs_window_get_done_line (HsWindow *self)
{
  g_return_val_if_fail (HS_IS_WINDOW (self), 0);
  return self->last_line;
}

gboolean
hs_window_is_playing (HsWindow *self)
{
  g_return_val_if_fail (HS_IS_WINDOW (self), FALSE);
  return self->continue_id != 0;
}

/* The program text in the editor (caller frees). */
char *
hs_window_get_text (HsWindow *self)
{
  g_return_val_if_fail (HS_IS_WINDOW (self), NULL);
  return buffer_text (self);
}

/* Replaces the editor's text as if the user typed it (marks it unsaved, autosaves). */
void
hs_window_set_text (HsWindow   *self,
                    const char *text)
{
  g_return_if_fail (HS_IS_WINDOW (self));
  gtk_text_buffer_set_text (GTK_TEXT_BUFFER (self->buffer), text, -1);
}

gboolean
hs_window_get_unsaved (HsWindow *self)
{
  g_return_val_if_fail (HS_IS_WINDOW (self), FALSE);
  return self->unsaved;
}

/* Writes the autosave now instead of after the usual pause. */
void
hs_window_flush_autosave (HsWindow *self)
{
  g_return_if_fail (HS_IS_WINDOW (self));
  if (self->autosave_id != 0)
    {
      g_clear_handle_id (&self->autosave_id, g_source_remove);
      autosave_cb (self);
    }
}

/* The id of the code view's colour scheme ("Adwaita" or "Adwaita-dark"). */
const char *
hs_window_get_style_scheme_id (HsWindow *self)
{
  GtkSourceStyleScheme *scheme;

  g_return_val_if_fail (HS_IS_WINDOW (self), NULL);
  scheme = gtk_source_buffer_get_style_scheme (self->buffer);
  return scheme != NULL ? gtk_source_style_scheme_get_id (scheme) : NULL;
}

/* The rows of the Memory Events list (GtkStringObject items), for tests.  Shows and
 * fills the list first, as a reader opening its tab would. */
GListModel *
hs_window_get_event_list (HsWindow *self)
{
  g_return_val_if_fail (HS_IS_WINDOW (self), NULL);

  gtk_stack_set_visible_child_name (self->bottom_stack, "events");
  update_event_list (self);
  return G_LIST_MODEL (self->events);
}

GMenuModel *
hs_window_get_recent_menu (HsWindow *self)
{
  g_return_val_if_fail (HS_IS_WINDOW (self), NULL);
  return G_MENU_MODEL (self->recent_menu);
}

GtkWidget *
hs_window_get_input_entry (HsWindow *self)
{
  g_return_val_if_fail (HS_IS_WINDOW (self), NULL);
  return GTK_WIDGET (self->input_entry);
}

char *
hs_window_get_console_errors (HsWindow *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter at;
  GString *text = g_string_new (NULL);

  g_return_val_if_fail (HS_IS_WINDOW (self), NULL);
  buffer = gtk_text_view_get_buffer (self->console);
  gtk_text_buffer_get_start_iter (buffer, &at);
  do
    {
      GtkTextIter next = at;

      if (!gtk_text_iter_forward_to_tag_toggle (&next, self->stderr_tag))
        gtk_text_buffer_get_end_iter (buffer, &next);
      if (gtk_text_iter_has_tag (&at, self->stderr_tag))
        {
          g_autofree char *part = gtk_text_buffer_get_text (buffer, &at, &next, FALSE);
          g_string_append (text, part);
        }
      at = next;
    }
  while (!gtk_text_iter_is_end (&at));
  return g_string_free (text, FALSE);
}

char *
hs_window_get_console_text (HsWindow *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_val_if_fail (HS_IS_WINDOW (self), NULL);
  buffer = gtk_text_view_get_buffer (self->console);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}
