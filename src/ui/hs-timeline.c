/* hs-timeline.c — a scrubber over every recorded step, showing allocation, free and gc density. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "hs-timeline.h"

#define N_BUCKETS 512

struct _HsTimeline
{
  GtkWidget  parent_instance;

  HsTrace   *trace;
  HsTraceCursor *cursor;      /* stays at `scanned`: each update reads only new events */
  guint64    scanned;         /* events already counted */
  guint64    steps;           /* LINE events seen */
  guint64    steps_per_bucket;
  guint32    allocs[N_BUCKETS];
  guint32    frees[N_BUCKETS];
  guint32    collections[N_BUCKETS];
  guint64    step;            /* the current step */
  gboolean   dragging;
};

G_DEFINE_FINAL_TYPE (HsTimeline, hs_timeline, GTK_TYPE_WIDGET)

enum { SEEK, N_SIGNALS };
static guint signals[N_SIGNALS];

/* Halves the resolution when the run outgrows the buckets, so a million steps fit. */
static void
merge_buckets (HsTimeline *self)
{
  for (guint i = 0; i < N_BUCKETS / 2; i++)
    {
      self->allocs[i] = self->allocs[2 * i] + self->allocs[2 * i + 1];
      self->frees[i] = self->frees[2 * i] + self->frees[2 * i + 1];
      self->collections[i] = self->collections[2 * i] + self->collections[2 * i + 1];
    }
  memset (self->allocs + N_BUCKETS / 2, 0, sizeof self->allocs / 2);
  memset (self->frees + N_BUCKETS / 2, 0, sizeof self->frees / 2);
  memset (self->collections + N_BUCKETS / 2, 0, sizeof self->collections / 2);
  self->steps_per_bucket *= 2;
}

static gboolean
count_event (const HsEvent *event,
             gpointer       user_data)
{
  HsTimeline *self = user_data;
  guint64 bucket;

  if (event->kind == HS_EV_LINE)
    self->steps++;
  while (self->steps / self->steps_per_bucket >= N_BUCKETS)
    merge_buckets (self);
  bucket = self->steps / self->steps_per_bucket;
  switch (event->kind)
    {
    case HS_EV_ALLOC: self->allocs[bucket]++; break;
    case HS_EV_FREE: self->frees[bucket]++; break;
    case HS_EV_GC_START: self->collections[bucket]++; break;
    default: break;
    }
  return TRUE;
}

void
hs_timeline_update (HsTimeline *self)
{
  guint64 n;

  g_return_if_fail (HS_IS_TIMELINE (self));

  if (self->trace == NULL)
    return;
  n = hs_trace_get_n_events (self->trace);
  if (n > self->scanned)
    {
      if (self->cursor == NULL)
        self->cursor = hs_trace_cursor_new (self->trace);
      hs_trace_cursor_foreach (self->cursor, self->scanned, n - self->scanned, count_event, self);
      self->scanned = n;
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

static void
reset (HsTimeline *self)
{
  self->scanned = 0;
  self->steps = 0;
  self->steps_per_bucket = 1;
  self->step = 0;
  memset (self->allocs, 0, sizeof self->allocs);
  memset (self->frees, 0, sizeof self->frees);
  memset (self->collections, 0, sizeof self->collections);
}

static double
max_of (const guint32 *v, guint n)
{
  guint32 m = 1;
  for (guint i = 0; i < n; i++)
    m = MAX (m, v[i]);
  return m;
}

static void
hs_timeline_snapshot (GtkWidget   *widget,
                      GtkSnapshot *snapshot)
{
  HsTimeline *self = HS_TIMELINE (widget);
  double w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);
  double used, bw, am, fm, x;
  guint n_used;
  GdkRGBA fg;
  cairo_t *cr;
  gboolean dark;

  if (w <= 0 || h <= 0)
    return;
G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
G_GNUC_END_IGNORE_DEPRECATIONS
  /* Light text means a dark theme: brighter bars keep their contrast there. */
  dark = 0.299 * fg.red + 0.587 * fg.green + 0.114 * fg.blue > 0.5;
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, w, h));

  /* The track. */
  cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.08);
  cairo_rectangle (cr, 0, 2, w, h - 4);
  cairo_fill (cr);

  n_used = self->steps == 0 ? 0 : MIN (N_BUCKETS, self->steps / self->steps_per_bucket + 1);
  if (n_used > 0)
    {
      used = w;
      bw = used / n_used;
      am = max_of (self->allocs, n_used);
      fm = max_of (self->frees, n_used);
      for (guint i = 0; i < n_used; i++)
        {
          double ah = (h / 2 - 3) * sqrt (self->allocs[i] / am);
          double fh = (h / 2 - 3) * sqrt (self->frees[i] / fm);

          /* Allocations grow up from the middle, frees down: two shapes, not only two colours. */
          if (dark)
            cairo_set_source_rgba (cr, 0.47, 0.68, 0.93, 0.85);
          else
            cairo_set_source_rgba (cr, 0.21, 0.52, 0.89, 0.75);
          cairo_rectangle (cr, i * bw, h / 2 - ah, MAX (bw - 0.5, 0.5), ah);
          cairo_fill (cr);
          if (dark)
            cairo_set_source_rgba (cr, 1.0, 0.64, 0.28, 0.85);
          else
            cairo_set_source_rgba (cr, 0.90, 0.38, 0.0, 0.75);
          cairo_rectangle (cr, i * bw, h / 2, MAX (bw - 0.5, 0.5), fh);
          cairo_fill (cr);
          if (self->collections[i] > 0)
            {
              if (dark)
                cairo_set_source_rgba (cr, 1.0, 0.48, 0.45, 1.0);
              else
                cairo_set_source_rgba (cr, 0.75, 0.11, 0.16, 0.95);
              cairo_move_to (cr, i * bw + bw / 2, 2);
              cairo_line_to (cr, i * bw + bw / 2 - 4, 2 + 6);
              cairo_line_to (cr, i * bw + bw / 2 + 4, 2 + 6);
              cairo_close_path (cr);
              cairo_fill (cr);
            }
        }
    }

  /* The current step. */
  if (self->steps > 0)
    {
      x = w * MIN (1.0, (double) self->step / (double) self->steps);
      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.9);
      cairo_rectangle (cr, x - 1.5, 0, 3, h);
      cairo_fill (cr);
      cairo_arc (cr, x, h / 2, 5, 0, 2 * G_PI);
      cairo_fill (cr);
    }
  cairo_destroy (cr);
}

static void
hs_timeline_measure (GtkWidget      *widget,
                     GtkOrientation  orientation,
                     int             for_size,
                     int            *minimum,
                     int            *natural,
                     int            *minimum_baseline,
                     int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *minimum = 100, *natural = 400;
  else
    *minimum = *natural = 34;
}

static void
seek_to_x (HsTimeline *self,
           double      x)
{
  double w = gtk_widget_get_width (GTK_WIDGET (self));
  guint64 step;

  if (self->steps == 0 || w <= 0)
    return;
  step = (guint64) llround (CLAMP (x / w, 0.0, 1.0) * self->steps);
  step = CLAMP (step, 1, self->steps);
  if (step != self->step)
    g_signal_emit (self, signals[SEEK], 0, step);
}

static void
drag_begin_cb (GtkGestureDrag *gesture,
               double          x,
               double          y,
               HsTimeline     *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self));
  seek_to_x (self, x);
}

static void
drag_update_cb (GtkGestureDrag *gesture,
                double          dx,
                double          dy,
                HsTimeline     *self)
{
  double x, y;

  gtk_gesture_drag_get_start_point (gesture, &x, &y);
  seek_to_x (self, x + dx);
}

static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                HsTimeline            *self)
{
  guint64 target = self->step;
  guint64 page = MAX (1, self->steps / 20);

  switch (keyval)
    {
    case GDK_KEY_Left: target = target > 1 ? target - 1 : 1; break;
    case GDK_KEY_Right: target = MIN (target + 1, self->steps); break;
    case GDK_KEY_Page_Up: target = target > page ? target - page : 1; break;
    case GDK_KEY_Page_Down: target = MIN (target + page, self->steps); break;
    case GDK_KEY_Home: target = 1; break;
    case GDK_KEY_End: target = self->steps; break;
    default: return FALSE;
    }
  if (target != self->step && self->steps > 0)
    g_signal_emit (self, signals[SEEK], 0, target);
  return TRUE;
}

static gboolean
query_tooltip_cb (GtkWidget  *widget,
                  int         x,
                  int         y,
                  gboolean    keyboard,
                  GtkTooltip *tooltip,
                  HsTimeline *self)
{
  double w = gtk_widget_get_width (widget);
  guint64 step, bucket;
  g_autofree char *text = NULL;

  if (self->steps == 0 || w <= 0)
    return FALSE;
  step = keyboard ? self->step : (guint64) llround (CLAMP (x / w, 0.0, 1.0) * self->steps);
  bucket = MIN (step / self->steps_per_bucket, N_BUCKETS - 1);
  text = g_strdup_printf (_("Step %" G_GUINT64_FORMAT ": %u allocations, %u frees, %u collections"),
                          MAX (step, 1), self->allocs[bucket], self->frees[bucket],
                          self->collections[bucket]);
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
hs_timeline_dispose (GObject *object)
{
  HsTimeline *self = HS_TIMELINE (object);

  g_clear_pointer (&self->cursor, hs_trace_cursor_free);
  g_clear_pointer (&self->trace, hs_trace_unref);
  G_OBJECT_CLASS (hs_timeline_parent_class)->dispose (object);
}

static void
hs_timeline_class_init (HsTimelineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hs_timeline_dispose;
  widget_class->snapshot = hs_timeline_snapshot;
  widget_class->measure = hs_timeline_measure;

  /* The user asked for a step (guint64, 1-based). */
  signals[SEEK] = g_signal_new ("seek", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT64);

  gtk_widget_class_set_css_name (widget_class, "timeline");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_SLIDER);
}

static void
hs_timeline_init (HsTimeline *self)
{
  GtkGesture *drag = gtk_gesture_drag_new ();
  GtkEventController *keys = gtk_event_controller_key_new ();

  reset (self);
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (query_tooltip_cb), self);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (drag_update_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));
  g_signal_connect (keys, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Timeline of recorded steps"), -1);
}

GtkWidget *
hs_timeline_new (void)
{
  return g_object_new (HS_TYPE_TIMELINE, NULL);
}

void
hs_timeline_set_trace (HsTimeline *self,
                       HsTrace    *trace)
{
  g_return_if_fail (HS_IS_TIMELINE (self));

  g_clear_pointer (&self->cursor, hs_trace_cursor_free);
  g_clear_pointer (&self->trace, hs_trace_unref);
  if (trace != NULL)
    self->trace = hs_trace_ref (trace);
  reset (self);
  hs_timeline_update (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
hs_timeline_set_step (HsTimeline *self,
                      guint64     step)
{
  g_return_if_fail (HS_IS_TIMELINE (self));

  if (self->step == step)
    return;
  self->step = step;
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_MAX, (double) self->steps,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_MIN, 0.0,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_NOW, (double) step, -1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint64
hs_timeline_get_step (HsTimeline *self)
{
  g_return_val_if_fail (HS_IS_TIMELINE (self), 0);
  return self->step;
}

guint64
hs_timeline_get_total_steps (HsTimeline *self)
{
  g_return_val_if_fail (HS_IS_TIMELINE (self), 0);
  return self->steps;
}
