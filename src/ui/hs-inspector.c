/* hs-inspector.c — everything about the selected object: value, refcount by holder, neighbours, sizes. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "hs-diagram-builder.h"
#include "hs-inspector.h"

#define MAX_LIST_ROWS      200
#define MAX_SPARK_EVENTS   (4u << 20)

struct _HsInspector
{
  GtkWidget       parent_instance;

  GtkStack       *stack;
  GtkLabel       *title;
  GtkLabel       *state;
  GtkGrid        *facts;
  GtkLabel       *breakdown;
  GtkDrawingArea *sparkline;
  GtkLabel       *why_label;
  GtkListBox     *referrers;
  GtkListBox     *referents;

  HsTraceModel   *model;
  HsId            id;
  GArray         *history;   /* gint64 refcounts, oldest first */
};

G_DEFINE_FINAL_TYPE (HsInspector, hs_inspector, GTK_TYPE_WIDGET)

enum { JUMP, WHY_ALIVE, N_SIGNALS };
static guint signals[N_SIGNALS];

static const char *
type_of (HsTraceModel *model, HsId id)
{
  const HsTraceObject *o = hs_trace_model_lookup_object (model, id);
  return o != NULL ? hs_trace_model_type_name (model, o) : "object";
}

char *
hs_inspector_describe_holder (HsTraceModel     *model,
                              const HsTraceRef *ref)
{
  g_autofree char *label = hs_trace_model_ref_label (model, ref);

  switch (ref->holder_kind)
    {
    case HS_HOLDER_LOCAL:
    case HS_HOLDER_GLOBAL:
      return g_steal_pointer (&label);
    case HS_HOLDER_STACK:
      return g_strdup (_("a temporary (argument or operand)"));
    case HS_HOLDER_ITEM:
    case HS_HOLDER_VALUE:
      return g_strdup_printf ("%s%s", type_of (model, ref->holder), label);
    case HS_HOLDER_KEY:
      if (hs_trace_type_is_set (type_of (model, ref->holder)))
        return g_strdup_printf (_("an element of a %s"), type_of (model, ref->holder));
      return g_strdup_printf (_("a key of a %s"), type_of (model, ref->holder));
    case HS_HOLDER_ATTR:
      return g_strdup_printf ("%s%s", type_of (model, ref->holder), label);
    case HS_HOLDER_CELL:
      return g_strdup (_("a closure cell"));
    case HS_HOLDER_CONST:
      return g_strdup (_("a code object's constants"));
    case HS_HOLDER_RUNTIME:
      return g_strdup (_("the runtime"));
    case HS_HOLDER_INTERNAL:
    default:
      return g_strdup_printf ("%s %s", type_of (model, ref->holder), label);
    }
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static void
add_row (GtkListBox *list,
         const char *text,
         HsId        target)
{
  GtkWidget *label = gtk_label_new (text);
  GtkWidget *row = gtk_list_box_row_new ();

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_margin_start (label, 8);
  gtk_widget_set_margin_end (label, 8);
  gtk_widget_set_margin_top (label, 5);
  gtk_widget_set_margin_bottom (label, 5);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), target != 0);
  g_object_set_data (G_OBJECT (row), "hs-target", GSIZE_TO_POINTER ((gsize) target));
  gtk_widget_set_tooltip_text (row, target != 0 ? _("Select this object") : NULL);
  gtk_list_box_append (list, row);
}

static void
add_fact (HsInspector *self,
          int          row,
          const char  *name,
          const char  *value)
{
  GtkWidget *k = gtk_label_new (name);
  GtkWidget *v = gtk_label_new (value);

  gtk_label_set_xalign (GTK_LABEL (k), 0);
  gtk_widget_add_css_class (k, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (v), 0);
  gtk_label_set_selectable (GTK_LABEL (v), TRUE);
  gtk_label_set_wrap (GTK_LABEL (v), TRUE);
  gtk_grid_attach (self->facts, k, 0, row, 1, 1);
  gtk_grid_attach (self->facts, v, 1, row, 1, 1);
}

typedef struct {
  HsId    id;
  GArray *out;
} SparkScan;

static gboolean
spark_event_cb (const HsEvent *event,
                gpointer       user_data)
{
  SparkScan *scan = user_data;
  gint64 value;

  if (event->kind != HS_EV_REF)
    return TRUE;
  if (event->u.ref.new_target == scan->id)
    value = event->u.ref.new_refcnt;
  else if (event->u.ref.old_target == scan->id)
    value = event->u.ref.old_refcnt;
  else
    return TRUE;
  g_array_append_val (scan->out, value);
  return TRUE;
}

static void
sparkline_draw (GtkDrawingArea *area,
                cairo_t        *cr,
                int             width,
                int             height,
                gpointer        user_data)
{
  HsInspector *self = user_data;
  gint64 max = 1;
  GdkRGBA fg;
  guint n = self->history->len;

  if (n == 0 || width <= 0)
    return;
  for (guint i = 0; i < n; i++)
    max = MAX (max, g_array_index (self->history, gint64, i));
G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (area)), &fg);
G_GNUC_END_IGNORE_DEPRECATIONS

  cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.1);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_fill (cr);

  /* A step line: refcounts change in whole units at events.  Light text means a
   * dark theme, where a brighter blue keeps the line readable. */
  if (0.299 * fg.red + 0.587 * fg.green + 0.114 * fg.blue > 0.5)
    cairo_set_source_rgba (cr, 0.47, 0.68, 0.93, 1.0);
  else
    cairo_set_source_rgba (cr, 0.21, 0.52, 0.89, 1.0);
  cairo_set_line_width (cr, 2);
  for (guint i = 0; i < n; i++)
    {
      double x0 = (double) i / n * width, x1 = (double) (i + 1) / n * width;
      double y = height - 3 - (height - 6) * (double) g_array_index (self->history, gint64, i) / max;

      if (i == 0)
        cairo_move_to (cr, x0, y);
      else
        cairo_line_to (cr, x0, y);
      cairo_line_to (cr, x1, y);
    }
  cairo_stroke (cr);
}

/* The list rows in the diagram's order: a list's items by index, a dict's entries
 * as they were inserted. */
static gint
referent_order (gconstpointer a,
                gconstpointer b)
{
  return hs_trace_ref_compare (a, b);
}

static void
update_history (HsInspector               *self,
                const HsTraceObject       *o)
{
  SparkScan scan = { .id = o->id, .out = self->history };
  HsTrace *trace = hs_trace_model_get_trace (self->model);
  guint64 first = o->alloc_event == G_MAXUINT64 ? 0 : o->alloc_event;
  guint64 last = hs_trace_model_get_event (self->model);

  g_array_set_size (self->history, 0);
  if (last > first)
    {
      /* A very long run: look at the most recent part only. */
      if (last - first > MAX_SPARK_EVENTS)
        first = last - MAX_SPARK_EVENTS;
      hs_trace_foreach_event (trace, first, last - first, spark_event_cb, &scan);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self->sparkline));
}

void
hs_inspector_set_object (HsInspector  *self,
                         HsTraceModel *model,
                         HsId          id)
{
  const HsTraceObject *o;
  g_autoptr(GArray) in = NULL;
  g_autoptr(GArray) out = NULL;
  g_autoptr(GString) breakdown = NULL;
  g_autofree char *title = NULL;
  GtkWidget *child;
  int row = 0;

  g_return_if_fail (HS_IS_INSPECTOR (self));

  g_set_object (&self->model, model);
  self->id = id;
  gtk_widget_set_visible (GTK_WIDGET (self->why_label), FALSE);

  o = (model != NULL && id != 0) ? hs_trace_model_lookup_object (model, id) : NULL;
  if (o == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      gtk_label_set_text (self->breakdown, "");
      return;
    }
  gtk_stack_set_visible_child_name (self->stack, "object");

  title = hs_diagram_describe_object (model, id);
  gtk_label_set_text (self->title, title);

  if (o->flags & HS_TRACE_OBJ_IMMORTAL)
    gtk_label_set_text (self->state, _("Cached: created once and shared for the whole run, never freed."));
  else if (o->state == HS_TRACE_FREED_REFCOUNT)
    gtk_label_set_text (self->state, _("Freed by reference counting: its count reached zero."));
  else if (o->state == HS_TRACE_FREED_GC)
    gtk_label_set_text (self->state, _("Freed by the garbage collector: it was part of unreachable garbage."));
  else if (hs_trace_model_is_garbage (model, id))
    gtk_label_set_text (self->state, _("Unreachable garbage: no variable leads here, but references inside a cycle keep its count above zero. The cycle collector will free it."));
  else
    gtk_label_set_text (self->state, _("Alive: reachable from a variable."));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->facts))) != NULL)
    gtk_grid_remove (self->facts, child);
  {
    g_autofree char *id_text = g_strdup_printf ("%" G_GUINT64_FORMAT, id);
    g_autofree char *size = g_strdup_printf (ngettext ("%u byte", "%u bytes", o->size), o->size);
    g_autofree char *retained = NULL;
    g_autofree char *gen = NULL;
    guint64 r = o->state == HS_TRACE_ALIVE ? hs_trace_model_retained_size (model, id) : 0;

    retained = g_strdup_printf (ngettext ("%" G_GUINT64_FORMAT " byte", "%" G_GUINT64_FORMAT " bytes", (gulong) r), r);
    if (o->generation < 0)
      gen = g_strdup (_("not tracked by the collector"));
    else if (o->generation == 3)
      gen = g_strdup (_("tracked, frozen (gc.freeze)"));
    else
      gen = g_strdup_printf (_("tracked, generation %d"), o->generation);

    add_fact (self, row++, _("id"), id_text);
    add_fact (self, row++, _("size"), size);
    add_fact (self, row++, _("retained"), retained);
    add_fact (self, row++, _("collector"), gen);
    if (o->flags & HS_TRACE_OBJ_FINALIZED)
      add_fact (self, row++, _("finalizer"), _("__del__ has run"));
  }

  /* Who holds it: the breakdown of its count, holder by holder. */
  clear_list (self->referrers);
  in = hs_trace_model_referrers (model, id);
  breakdown = g_string_new (NULL);
  if (o->flags & HS_TRACE_OBJ_IMMORTAL)
    g_string_append (breakdown, _("Cached objects are shared by everything that uses them; their count is not shown."));
  else
    {
      g_string_append_printf (breakdown, "%s %" G_GINT64_FORMAT " =", _("refcount"), o->refcnt);
      for (guint i = 0; i < in->len; i++)
        {
          const HsTraceRef *r = &g_array_index (in, HsTraceRef, i);
          g_autofree char *who = hs_inspector_describe_holder (model, r);

          g_string_append_printf (breakdown, "%s %s", i ? " +" : "", who);
          if (i < MAX_LIST_ROWS)
            add_row (self->referrers, who, r->holder_is_frame ? 0 : r->holder);
        }
      if (in->len == 0)
        g_string_append_printf (breakdown, " %s", _("nothing"));
    }
  gtk_label_set_text (self->breakdown, breakdown->str);
  if (in->len == 0)
    add_row (self->referrers, _("nothing"), 0);

  clear_list (self->referents);
  out = hs_trace_model_referents (model, id);
  g_array_sort (out, referent_order);
  for (guint i = 0; i < out->len && i < MAX_LIST_ROWS; i++)
    {
      const HsTraceRef *r = &g_array_index (out, HsTraceRef, i);
      g_autofree char *label = hs_trace_model_ref_label (model, r);
      g_autofree char *target = hs_diagram_describe_object (model, r->target);
      g_autofree char *text = g_strdup_printf ("%s → %s", label, target);
      add_row (self->referents, text, r->target);
    }
  if (out->len == 0)
    add_row (self->referents, _("nothing"), 0);

  update_history (self, o);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  title, -1);
}

HsId
hs_inspector_get_object (HsInspector *self)
{
  g_return_val_if_fail (HS_IS_INSPECTOR (self), 0);
  return self->id;
}

const char *
hs_inspector_get_breakdown (HsInspector *self)
{
  g_return_val_if_fail (HS_IS_INSPECTOR (self), NULL);
  return gtk_label_get_text (self->breakdown);
}

char *
hs_inspector_get_referents_text (HsInspector *self)
{
  GString *s = g_string_new (NULL);

  g_return_val_if_fail (HS_IS_INSPECTOR (self), g_string_free (s, FALSE));
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->referents)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (GTK_IS_LIST_BOX_ROW (row))
      g_string_append_printf (s, "%s\n", gtk_label_get_text (GTK_LABEL (gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row)))));
  return g_string_free (s, FALSE);
}

static void
on_why_button_clicked_cb (HsInspector *self)
{
  g_autoptr(GArray) path = NULL;
  g_autoptr(GString) text = NULL;

  if (self->model == NULL || self->id == 0)
    return;
  path = hs_trace_model_retainer_path (self->model, self->id);
  text = g_string_new (NULL);
  if (path == NULL || path->len == 0)
    g_string_append (text, _("Nothing reachable holds it: it is garbage waiting for the collector, or already freed."));
  else
    {
      for (guint i = 0; i < path->len; i++)
        {
          const HsTraceRef *r = &g_array_index (path, HsTraceRef, i);
          g_autofree char *who = hs_inspector_describe_holder (self->model, r);
          g_string_append_printf (text, "%s%s", i ? " → " : "", who);
        }
      g_string_append_printf (text, " → %s", _("this object"));
    }
  gtk_label_set_text (self->why_label, text->str);
  gtk_widget_set_visible (GTK_WIDGET (self->why_label), TRUE);
  g_signal_emit (self, signals[WHY_ALIVE], 0, (guint64) self->id);
}

static void
on_list_row_activated_cb (HsInspector   *self,
                          GtkListBoxRow *row)
{
  HsId target = (HsId) GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (row), "hs-target"));

  if (target != 0)
    g_signal_emit (self, signals[JUMP], 0, (guint64) target);
}

static void
hs_inspector_dispose (GObject *object)
{
  HsInspector *self = HS_INSPECTOR (object);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->model);
  g_clear_pointer (&self->history, g_array_unref);
  G_OBJECT_CLASS (hs_inspector_parent_class)->dispose (object);
}

static void
hs_inspector_class_init (HsInspectorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hs_inspector_dispose;

  /* Select another object (guint64 id). */
  signals[JUMP] = g_signal_new ("jump", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT64);
  /* Highlight the retainer path of an object (guint64 id). */
  signals[WHY_ALIVE] = g_signal_new ("why-alive", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT64);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/heapscope/Heapscope/ui/hs-inspector.ui");
  gtk_widget_class_bind_template_child (widget_class, HsInspector, stack);
  gtk_widget_class_bind_template_child (widget_class, HsInspector, title);
  gtk_widget_class_bind_template_child (widget_class, HsInspector, state);
  gtk_widget_class_bind_template_child (widget_class, HsInspector, facts);
  gtk_widget_class_bind_template_child (widget_class, HsInspector, breakdown);
  gtk_widget_class_bind_template_child (widget_class, HsInspector, sparkline);
  gtk_widget_class_bind_template_child (widget_class, HsInspector, why_label);
  gtk_widget_class_bind_template_child (widget_class, HsInspector, referrers);
  gtk_widget_class_bind_template_child (widget_class, HsInspector, referents);
  gtk_widget_class_bind_template_callback (widget_class, on_why_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_list_row_activated_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "inspector");
}

static void
hs_inspector_init (HsInspector *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->history = g_array_new (FALSE, FALSE, sizeof (gint64));
  gtk_drawing_area_set_draw_func (self->sparkline, sparkline_draw, self, NULL);
}
