/* hs-gc-panel.c — the collector's switch, generation gauges, Collect button and history. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "hs-gc-panel.h"

struct _HsGcPanel
{
  GtkWidget    parent_instance;

  GtkWidget   *scroller;
  GtkGrid     *gauges;
  GtkDropDown *generation_dropdown;
  GtkLabel    *result_label;
  GtkListBox  *history;

  GtkLevelBar *bars[3];
  GtkLabel    *texts[3];
  guint        n_history;
};

G_DEFINE_FINAL_TYPE (HsGcPanel, hs_gc_panel, GTK_TYPE_WIDGET)

static void
on_collect_button_clicked_cb (HsGcPanel *self)
{
  guint generation = gtk_drop_down_get_selected (self->generation_dropdown);

  gtk_widget_activate_action (GTK_WIDGET (self), "session.collect", "i", (gint32) MIN (generation, 2));
}

void
hs_gc_panel_show_result (HsGcPanel *self,
                         int        generation,
                         gint64     collected)
{
  g_autofree char *text = NULL;

  g_return_if_fail (HS_IS_GC_PANEL (self));

  if (collected < 0)
    text = g_strdup (_("The collection could not run: the program has finished or is not paused."));
  else
    text = g_strdup_printf (ngettext ("gc.collect(%d) found %" G_GINT64_FORMAT " unreachable object",
                                      "gc.collect(%d) found %" G_GINT64_FORMAT " unreachable objects",
                                      (gulong) collected),
                            generation, collected);
  gtk_label_set_text (self->result_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->result_label), TRUE);
}

void
hs_gc_panel_update (HsGcPanel    *self,
                    HsTraceModel *model)
{
  /* The thresholds in force at this step (gc.set_threshold() is an event); CPython's
   * defaults only when there is no model yet. */
  gint64 counts[3] = { 0 }, thresholds[3] = { 700, 10, 10 };
  HsTrace *trace;
  guint n;

  g_return_if_fail (HS_IS_GC_PANEL (self));

  if (model != NULL)
    hs_trace_model_get_gc_counts (model, counts, thresholds);
  for (guint g = 0; g < 3; g++)
    {
      /* A threshold of 0 turns automatic collection of generation 0 off, as in CPython. */
      g_autofree char *text = thresholds[g] == 0 && g == 0
                                ? g_strdup_printf ("%" G_GINT64_FORMAT " / 0 %s", counts[g],
                                                   _("(automatic collection off)"))
                                : g_strdup_printf ("%" G_GINT64_FORMAT " / %" G_GINT64_FORMAT,
                                                   counts[g], thresholds[g]);
      double max = MAX (thresholds[g], 1);

      gtk_level_bar_set_max_value (self->bars[g], max);
      gtk_level_bar_set_value (self->bars[g], CLAMP ((double) counts[g], 0, max));
      gtk_label_set_text (self->texts[g], text);
    }

  /* History: the collections that happened up to this step. */
  n = model != NULL ? hs_trace_model_get_n_collections (model) : 0;
  trace = model != NULL ? hs_trace_model_get_trace (model) : NULL;
  if (n != self->n_history)
    {
      GtkWidget *child;

      while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->history))) != NULL
             && GTK_IS_LIST_BOX_ROW (child))
        gtk_list_box_remove (self->history, child);
      for (guint i = n; i > 0 && n - i < 50; i--)
        {
          const HsTraceCollection *c = hs_trace_get_collection (trace, i - 1);
          g_autofree char *text = NULL;
          GtkWidget *label;

          if (c == NULL)
            continue;
          text = g_strdup_printf (_("#%u · generation %d · %" G_GINT64_FORMAT " collected, %" G_GINT64_FORMAT " uncollectable"),
                                  i, c->generation, c->collected, c->uncollectable);
          label = gtk_label_new (text);
          gtk_label_set_xalign (GTK_LABEL (label), 0);
          gtk_label_set_wrap (GTK_LABEL (label), TRUE);
          gtk_widget_set_margin_start (label, 8);
          gtk_widget_set_margin_end (label, 8);
          gtk_widget_set_margin_top (label, 6);
          gtk_widget_set_margin_bottom (label, 6);
          gtk_list_box_append (self->history, label);
        }
      self->n_history = n;
    }
}

const char *
hs_gc_panel_get_gauge_text (HsGcPanel *self,
                            guint      generation)
{
  g_return_val_if_fail (HS_IS_GC_PANEL (self), NULL);
  g_return_val_if_fail (generation < 3, NULL);
  return gtk_label_get_text (self->texts[generation]);
}

guint
hs_gc_panel_get_n_history (HsGcPanel *self)
{
  g_return_val_if_fail (HS_IS_GC_PANEL (self), 0);
  return self->n_history;
}

static void
hs_gc_panel_dispose (GObject *object)
{
  HsGcPanel *self = HS_GC_PANEL (object);

  g_clear_pointer (&self->scroller, gtk_widget_unparent);
  G_OBJECT_CLASS (hs_gc_panel_parent_class)->dispose (object);
}

static void
hs_gc_panel_class_init (HsGcPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hs_gc_panel_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/heapscope/Heapscope/ui/hs-gc-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, HsGcPanel, scroller);
  gtk_widget_class_bind_template_child (widget_class, HsGcPanel, gauges);
  gtk_widget_class_bind_template_child (widget_class, HsGcPanel, generation_dropdown);
  gtk_widget_class_bind_template_child (widget_class, HsGcPanel, result_label);
  gtk_widget_class_bind_template_child (widget_class, HsGcPanel, history);
  gtk_widget_class_bind_template_callback (widget_class, on_collect_button_clicked_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "gcpanel");
}

static void
hs_gc_panel_init (HsGcPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint g = 0; g < 3; g++)
    {
      g_autofree char *name = g_strdup_printf (_("Gen %u"), g);
      GtkWidget *label = gtk_label_new (name);
      GtkWidget *bar = gtk_level_bar_new ();
      GtkWidget *text = gtk_label_new ("");

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_set_hexpand (bar, TRUE);
      gtk_widget_set_valign (bar, GTK_ALIGN_CENTER);
      gtk_level_bar_set_mode (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_MODE_CONTINUOUS);
      /* The default offsets colour a full bar as "good"; a full gauge here means a collection is due. */
      gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_LOW);
      gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_HIGH);
      gtk_label_set_width_chars (GTK_LABEL (text), 11);
      gtk_label_set_xalign (GTK_LABEL (text), 1);
      gtk_widget_add_css_class (text, "numeric");
      gtk_accessible_update_property (GTK_ACCESSIBLE (bar), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
      gtk_grid_attach (self->gauges, label, 0, g, 1, 1);
      gtk_grid_attach (self->gauges, bar, 1, g, 1, 1);
      gtk_grid_attach (self->gauges, text, 2, g, 1, 1);
      self->bars[g] = GTK_LEVEL_BAR (bar);
      self->texts[g] = GTK_LABEL (text);
    }
  hs_gc_panel_update (self, NULL);
}
