/* hs-heap-view.c — the heap canvas: frames, objects, references and their changes, animated. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <math.h>

#include "hs-diagram-builder.h"
#include "hs-heap-view.h"
#include "hs-layout.h"

#define ANIMATION_USEC  (450 * 1000)
#define MIN_ZOOM        0.05
#define MAX_ZOOM        4.0
/* Returned frames stay greyed for this many lines (unless a call takes their place). */
#define FINISHED_STEPS  12

/* An object that moved between two pictures, gliding from its old place. */
typedef struct
{
  HsId   id;
  guint  index;                   /* diagram object */
  double dx, dy;                  /* old position minus new, at the start */
} Move;

struct _HsHeapView
{
  GtkWidget      parent_instance;

  HsTraceModel  *model;
  HsDiagram     *diagram;
  HsRender      *render;
  HsLayout      *layout;
  GArray        *ids;             /* diagram object index -> HsId */
  guint          n_reachable;     /* live objects the picture stands for, drawn or not */
  guint          n_drawn;         /* live objects it draws */
  gint64         refreshed_at;    /* monotonic µs at the end of the last rebuild */
  gint64         refresh_us;      /* what that rebuild took */
  GHashTable    *prev_refcnt;     /* HsId -> refcount + 1 at the previous picture */

  HsRenderView   view;
  gboolean       user_moved;      /* the user panned or zoomed: stop auto-fitting */
  gboolean       view_anim;       /* the fitted view glides from view_from to view_to */
  HsRenderView   view_from, view_to;
  gboolean       dirty;           /* the model changed since the last rebuild */
  gboolean       inline_small;
  double         speed;

  HsId           selected;
  GHashTable    *highlight;

  /* Animation of the last change: fades and badge pulses. */
  gint64         anim_start;
  guint          tick_id;
  GArray        *fade_in;         /* diagram indices */
  GArray        *fade_out;
  GArray        *pulse;
  GArray        *moves;           /* Move */
  double         anim_t;          /* progress of the animation last applied */

  /* Finished frames kept greyed after the live ones. */
  gboolean       keep_finished;
  GHashTable    *finished_cache;  /* for cache_trace */
  HsTrace       *cache_trace;
  guint          n_finished;

  GskRenderNode *node;            /* cached picture; dropped when anything changes */

  /* A big diagram laid out afresh is arranged on a worker thread; meanwhile
   * `layout` is empty and the view says what it is doing. */
  gboolean       arranging;
  gboolean       arrange_stale;   /* the diagram changed since it was handed over */
  guint          arrange_gen;     /* the arrangement the view waits for */

  double         drag_x, drag_y;  /* view origin when a pan began */
  double         zoom_begin;
};

G_DEFINE_FINAL_TYPE (HsHeapView, hs_heap_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_MODEL,
  PROP_SELECTED,
  PROP_INLINE_IMMUTABLES,
  PROP_KEEP_FINISHED_FRAMES,
  N_PROPS
};

enum {
  OBJECT_ACTIVATED,
  REFRESHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
invalidate (HsHeapView *self)
{
  g_clear_pointer (&self->node, gsk_render_node_unref);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

#define FIT_TOP    36   /* px: the "N objects on the heap" line */
#define FIT_BOTTOM 52   /* px: the zoom buttons */

static void
fit_view (HsHeapView *self)
{
  int w = gtk_widget_get_width (GTK_WIDGET (self));
  int h = gtk_widget_get_height (GTK_WIDGET (self));
  HsLayoutRect b;

  if (w <= 0 || h <= 0 || self->layout == NULL)
    return;
  /* The picture goes between the status line over the view's top and the zoom
   * buttons over its bottom, so neither covers a box; a tag sticking out of a box
   * on the right stays in view too. */
  hs_render_get_extent (self->render, self->diagram, self->layout, &b);
  hs_render_fit_rect (&b, w, MAX (h - FIT_TOP - FIT_BOTTOM, h / 2), &self->view);
  self->view.height = h;
  self->view.y -= FIT_TOP / self->view.scale;
  /* Lessons are small: never blow them up past a comfortable reading size. */
  if (self->view.scale > 1.4)
    {
      self->view.scale = 1.4;
      self->view.x = b.x - (w / 1.4 - b.width) / 2;
      self->view.y = b.y - FIT_TOP / 1.4;
    }
}

static double
anim_progress (HsHeapView *self, gint64 now)
{
  double t;

  if (self->anim_start == 0)
    return 1.0;
  t = (double) (now - self->anim_start) / (ANIMATION_USEC / MAX (self->speed, 0.05));
  return CLAMP (t, 0.0, 1.0);
}

static void
apply_animation (HsHeapView *self, double t)
{
  /* Ease out: fast start, gentle landing. */
  double e = 1.0 - (1.0 - t) * (1.0 - t);

  for (guint i = 0; i < self->fade_in->len; i++)
    hs_diagram_object_set_alpha (self->diagram, g_array_index (self->fade_in, guint, i), e);
  for (guint i = 0; i < self->fade_out->len; i++)
    hs_diagram_object_set_alpha (self->diagram, g_array_index (self->fade_out, guint, i),
                                 1.0 - 0.65 * e);
  self->anim_t = t;
  if (self->view_anim)
    {
      /* The picture re-fits as smoothly as its objects move. */
      self->view.x = self->view_from.x + (self->view_to.x - self->view_from.x) * e;
      self->view.y = self->view_from.y + (self->view_to.y - self->view_from.y) * e;
      self->view.scale = self->view_from.scale + (self->view_to.scale - self->view_from.scale) * e;
      if (t >= 1.0)
        self->view_anim = FALSE;
    }
  for (guint i = 0; i < self->moves->len; i++)
    {
      const Move *m = &g_array_index (self->moves, Move, i);
      hs_diagram_object_set_offset (self->diagram, m->index, m->dx * (1.0 - e), m->dy * (1.0 - e));
    }
  for (guint i = 0; i < self->pulse->len; i += 2)
    {
      guint index = g_array_index (self->pulse, guint, i);
      gint delta = (gint) g_array_index (self->pulse, guint, i + 1);
      g_autofree char *text = g_strdup_printf ("%+d", delta);
      hs_diagram_object_set_pulse (self->diagram, index, text, 1.0 - e * 0.8);
    }
}

/* A slow rebuild waits this many times what the last one took (see tick_cb). */
#define REFRESH_SPACING 4

static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       user_data)
{
  HsHeapView *self = HS_HEAP_VIEW (widget);
  double t;

  /* A picture that is slow to build (a huge heap, the program running) is rebuilt
   * at most every REFRESH_SPACING times what it took: the window keeps most of
   * its time for input and drawing. */
  if (self->dirty
      && gdk_frame_clock_get_frame_time (clock) >= self->refreshed_at + REFRESH_SPACING * self->refresh_us)
    hs_heap_view_refresh (self);

  t = anim_progress (self, gdk_frame_clock_get_frame_time (clock));
  apply_animation (self, t);
  invalidate (self);
  if (t >= 1.0 && !self->dirty)
    {
      self->tick_id = 0;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
ensure_tick (HsHeapView *self)
{
  if (self->tick_id == 0)
    self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), tick_cb, NULL, NULL);
}

static void
model_changed_cb (HsHeapView *self)
{
  /* Bursts of changes merge into one rebuild per frame. */
  self->dirty = TRUE;
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    ensure_tick (self);
}

/* From this many objects, a diagram laid out afresh is arranged off the main
 * thread (the picture draws at most HS_DIAGRAM_MAX_OBJECTS). */
#define ARRANGE_ASYNC_MIN 1000

typedef struct
{
  HsLayoutGraph *graph;
  HsLayoutParams params;
  guint          gen;
} Arrangement;

static void
arrangement_free (Arrangement *a)
{
  hs_layout_graph_free (a->graph);
  g_free (a);
}

static gboolean wants_async_arrangement (HsHeapView *self, const HsLayoutGraph *graph);
static void     start_arrangement       (HsHeapView *self, const HsLayoutGraph *graph);

static void
arrange_thread (GTask        *task,
                gpointer      source,
                gpointer      data,
                GCancellable *cancellable)
{
  Arrangement *a = data;
  HsLayout *layout = hs_layout_new (&a->params);

  if (layout == NULL || hs_layout_compute (layout, a->graph) < 0)
    {
      g_clear_pointer (&layout, hs_layout_free);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, "out of memory");
      return;
    }
  g_task_return_pointer (task, layout, (GDestroyNotify) hs_layout_free);
}

static void
arrange_done (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  HsHeapView *self = HS_HEAP_VIEW (source);
  Arrangement *a = g_task_get_task_data (G_TASK (result));
  HsLayout *layout = g_task_propagate_pointer (G_TASK (result), NULL);

  /* A newer arrangement is on its way, or the view was done with this one. */
  if (!self->arranging || a->gen != self->arrange_gen || self->layout == NULL)
    {
      g_clear_pointer (&layout, hs_layout_free);
      return;
    }
  self->arranging = FALSE;
  if (layout != NULL)
    {
      hs_layout_free (self->layout);
      self->layout = layout;
    }
  if (layout == NULL || self->arrange_stale)
    {
      /* Steps went on meanwhile (or the worker ran out of memory): on from
       * this arrangement, on the worker again if it is still far off. */
      const HsLayoutGraph *graph = hs_render_build_graph (self->render, self->diagram);

      self->arrange_stale = FALSE;
      if (layout != NULL && wants_async_arrangement (self, graph))
        {
          start_arrangement (self, graph);
          invalidate (self);
          return;
        }
      hs_layout_update (self->layout, graph);
    }
  if (!self->user_moved)
    fit_view (self);
  invalidate (self);
}

/* Whether `graph` is big and mostly unknown to the current layout. */
static gboolean
wants_async_arrangement (HsHeapView          *self,
                         const HsLayoutGraph *graph)
{
  guint known = 0;
  size_t gi;

  if (hs_layout_graph_n_objects (graph) < ARRANGE_ASYNC_MIN)
    return FALSE;
  if (hs_layout_n_objects (self->layout) == 0)
    return TRUE;
  for (guint i = 0; i < self->ids->len; i++)
    if (hs_layout_lookup_object (self->layout, g_array_index (self->ids, HsId, i), &gi))
      known++;
  return known < self->ids->len / 2;
}

static void
start_arrangement (HsHeapView          *self,
                   const HsLayoutGraph *graph)
{
  Arrangement *a = g_new0 (Arrangement, 1);
  g_autoptr(GTask) task = NULL;

  a->graph = hs_layout_graph_copy (graph);
  if (a->graph == NULL)
    {
      g_free (a);
      hs_layout_update (self->layout, graph);
      return;
    }
  a->params = *hs_layout_get_params (self->layout);
  a->gen = ++self->arrange_gen;
  self->arranging = TRUE;
  hs_layout_reset (self->layout);
  task = g_task_new (self, NULL, arrange_done, NULL);
  g_task_set_task_data (task, a, (GDestroyNotify) arrangement_free);
  g_task_set_name (task, "heapscope arrange");
  g_task_run_in_thread (task, arrange_thread);
}

/* Waits no longer: lays the diagram out here (exports need the picture now). */
static void
finish_arrangement (HsHeapView *self)
{
  if (!self->arranging)
    return;
  self->arranging = FALSE;
  self->arrange_stale = FALSE;
  self->arrange_gen++;
  hs_layout_update (self->layout, hs_render_build_graph (self->render, self->diagram));
  if (!self->user_moved)
    fit_view (self);
}

gboolean
hs_heap_view_is_arranging (HsHeapView *self)
{
  g_return_val_if_fail (HS_IS_HEAP_VIEW (self), FALSE);
  return self->arranging;
}

static void refresh_picture (HsHeapView *self);

void
hs_heap_view_refresh (HsHeapView *self)
{
  gint64 t0;

  g_return_if_fail (HS_IS_HEAP_VIEW (self));
  t0 = g_get_monotonic_time ();
  refresh_picture (self);
  self->refreshed_at = g_get_monotonic_time ();
  self->refresh_us = self->refreshed_at - t0;
  g_signal_emit (self, signals[REFRESHED], 0);
}

static void
refresh_picture (HsHeapView *self)
{
  HsDiagramOptions options;
  g_autoptr(GHashTable) next_refcnt = NULL;
  g_autoptr(GPtrArray) finished = NULL;
  g_autoptr(GArray) old_pos = NULL;
  const HsLayoutGraph *graph;
  gboolean had_picture;

  self->dirty = FALSE;
  if (self->model == NULL)
    {
      hs_diagram_clear (self->diagram);
      g_array_set_size (self->ids, 0);
      invalidate (self);
      return;
    }

  hs_diagram_options_init (&options);
  options.inline_small = self->inline_small;
  options.selected = self->selected;
  options.highlight = self->highlight;
  if (self->keep_finished)
    {
      HsTrace *trace = hs_trace_model_get_trace (self->model);

      /* Frame ids are only unique within one run. */
      if (trace != self->cache_trace)
        {
          g_hash_table_remove_all (self->finished_cache);
          g_clear_pointer (&self->cache_trace, hs_trace_unref);
          self->cache_trace = trace != NULL ? hs_trace_ref (trace) : NULL;
        }
      finished = hs_diagram_collect_finished_frames (self->model, FINISHED_STEPS, self->finished_cache);
      options.finished = finished;
    }
  self->n_finished = finished != NULL ? finished->len : 0;
  self->n_reachable = hs_diagram_build_from_model (self->diagram, self->model, &options, self->ids,
                                                   &self->n_drawn);

  /* What changed since the previous picture: new objects fade in, freed ones fade
   * out where they stood, refcount changes pulse their badge. */
  had_picture = g_hash_table_size (self->prev_refcnt) > 0;
  g_array_set_size (self->fade_in, 0);
  g_array_set_size (self->fade_out, 0);
  g_array_set_size (self->pulse, 0);
  next_refcnt = g_hash_table_new (NULL, NULL);
  for (guint i = 0; i < self->ids->len; i++)
    {
      HsId id = g_array_index (self->ids, HsId, i);
      const HsTraceObject *o = hs_trace_model_lookup_object (self->model, id);
      gpointer prev;

      if (o == NULL)
        continue;
      if (o->state != HS_TRACE_ALIVE)
        {
          g_array_append_val (self->fade_out, i);
          continue;
        }
      g_hash_table_insert (next_refcnt, GSIZE_TO_POINTER ((gsize) id),
                           GSIZE_TO_POINTER ((gsize) (o->refcnt + 1)));
      if (!g_hash_table_lookup_extended (self->prev_refcnt, GSIZE_TO_POINTER ((gsize) id), NULL, &prev))
        {
          if (had_picture)
            g_array_append_val (self->fade_in, i);
        }
      else if (!(o->flags & HS_TRACE_OBJ_IMMORTAL)
               && (gint64) GPOINTER_TO_SIZE (prev) - 1 != o->refcnt)
        {
          guint delta = (guint) (gint) (o->refcnt - ((gint64) GPOINTER_TO_SIZE (prev) - 1));
          g_array_append_val (self->pulse, i);
          g_array_append_val (self->pulse, delta);
        }
    }
  g_hash_table_unref (self->prev_refcnt);
  self->prev_refcnt = g_steal_pointer (&next_refcnt);

  /* Where each object is drawn now (mid-glide included), to glide on from there. */
  old_pos = g_array_sized_new (FALSE, FALSE, sizeof (graphene_point_t), self->ids->len);
  g_array_set_size (old_pos, self->ids->len);
  {
    /* As hs_heap_view_get_object_bounds, with the glides looked up by id: a big heap
     * can have thousands of objects on the move. */
    g_autoptr(GHashTable) moving = g_hash_table_new (NULL, NULL);   /* id -> move index + 1 */
    double e = 1.0 - (1.0 - self->anim_t) * (1.0 - self->anim_t);

    for (guint i = 0; i < self->moves->len; i++)
      {
        gpointer key = GSIZE_TO_POINTER ((gsize) g_array_index (self->moves, Move, i).id);

        if (!g_hash_table_contains (moving, key))
          g_hash_table_insert (moving, key, GUINT_TO_POINTER (i + 1));
      }
    for (guint i = 0; i < self->ids->len; i++)
      {
        HsId id = g_array_index (self->ids, HsId, i);
        graphene_point_t *p = &g_array_index (old_pos, graphene_point_t, i);
        guint move = GPOINTER_TO_UINT (g_hash_table_lookup (moving, GSIZE_TO_POINTER ((gsize) id)));
        HsLayoutRect rect;
        size_t gi;

        if (!hs_layout_lookup_object (self->layout, id, &gi) || !hs_layout_get_object (self->layout, gi, &rect))
          {
            p->x = p->y = NAN;
            continue;
          }
        p->x = rect.x;
        p->y = rect.y;
        if (move != 0)
          {
            const Move *m = &g_array_index (self->moves, Move, move - 1);
            p->x += m->dx * (1.0 - e);
            p->y += m->dy * (1.0 - e);
          }
      }
  }

  graph = hs_render_build_graph (self->render, self->diagram);
  if (self->arranging)
    self->arrange_stale = TRUE;     /* taken up when the worker is done */
  else if (wants_async_arrangement (self, graph))
    start_arrangement (self, graph);
  else
    hs_layout_update (self->layout, graph);
  if (!self->user_moved && !self->arranging)
    {
      HsRenderView before = self->view;

      fit_view (self);
      self->view_anim = had_picture && before.scale > 0
                        && (fabs (before.scale - self->view.scale) > 1e-3
                            || fabs (before.x - self->view.x) > 0.5 || fabs (before.y - self->view.y) > 0.5);
      self->view_from = before;
      self->view_to = self->view;
    }

  g_array_set_size (self->moves, 0);
  for (guint i = 0; i < self->ids->len; i++)
    {
      const graphene_point_t *p = &g_array_index (old_pos, graphene_point_t, i);
      size_t gi = hs_diagram_graph_for_object (self->diagram, i);
      HsLayoutRect now;
      Move m;

      if (isnan (p->x) || gi == (size_t) -1 || !hs_layout_get_object (self->layout, gi, &now))
        continue;
      m.id = g_array_index (self->ids, HsId, i);
      m.index = i;
      m.dx = p->x - now.x;
      m.dy = p->y - now.y;
      if (fabs (m.dx) > 0.5 || fabs (m.dy) > 0.5)
        g_array_append_val (self->moves, m);
    }

  if ((self->fade_in->len + self->fade_out->len + self->pulse->len + self->moves->len > 0
       || self->view_anim) && self->speed > 0)
    {
      self->anim_start = g_get_monotonic_time ();
      apply_animation (self, 0.0);
      if (gtk_widget_get_mapped (GTK_WIDGET (self)))
        ensure_tick (self);
    }
  else
    {
      self->anim_start = 0;
      apply_animation (self, 1.0);
    }

  {
    g_autofree char *desc = g_strdup_printf (ngettext ("Heap diagram: %u object, %zu frames",
                                                       "Heap diagram: %u objects, %zu frames",
                                                       self->ids->len),
                                             self->ids->len, hs_diagram_n_frames (self->diagram));
    gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, desc, -1);
  }
  invalidate (self);
}

/* The theme's text colour (GTK 4.8 has no gtk_widget_get_color). */
static void
text_color (HsHeapView *self,
            GdkRGBA    *fg)
{
G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (self)), fg);
G_GNUC_END_IGNORE_DEPRECATIONS
}

static gboolean
is_dark (HsHeapView *self)
{
  GdkRGBA fg;

  text_color (self, &fg);
  /* Light text means a dark theme. */
  return 0.299 * fg.red + 0.587 * fg.green + 0.114 * fg.blue > 0.5;
}

/* While a big diagram is arranged: a short line in the middle of the view. */
static void
draw_arranging (HsHeapView *self,
                cairo_t    *cr,
                int         w,
                int         h)
{
  g_autoptr(PangoLayout) text = NULL;
  g_autofree char *msg = NULL;
  GdkRGBA fg;
  int tw, th;

  text_color (self, &fg);
  msg = g_strdup_printf (ngettext ("Arranging %u object…", "Arranging %u objects…", self->ids->len),
                         self->ids->len);
  text = gtk_widget_create_pango_layout (GTK_WIDGET (self), msg);
  pango_layout_get_pixel_size (text, &tw, &th);
  cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.7);
  cairo_move_to (cr, (w - tw) / 2.0, (h - th) / 2.0);
  pango_cairo_show_layout (cr, text);
}

static void
hs_heap_view_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  HsHeapView *self = HS_HEAP_VIEW (widget);
  int w = gtk_widget_get_width (widget);
  int h = gtk_widget_get_height (widget);

  if (w <= 0 || h <= 0)
    return;

  if (self->node == NULL)
    {
      g_autoptr(GtkSnapshot) inner = gtk_snapshot_new ();
      cairo_t *cr = gtk_snapshot_append_cairo (inner, &GRAPHENE_RECT_INIT (0, 0, w, h));

      self->view.width = w;
      self->view.height = h;
      self->view.dark = is_dark (self);
      if (self->view.scale <= 0)
        self->view.scale = 1;
      if (self->arranging)
        draw_arranging (self, cr, w, h);
      else if (hs_diagram_n_frames (self->diagram) + hs_diagram_n_objects (self->diagram) > 0)
        hs_render_draw (self->render, cr, self->diagram, self->layout, &self->view);
      cairo_destroy (cr);
      self->node = gtk_snapshot_free_to_node (g_steal_pointer (&inner));
    }
  if (self->node != NULL)
    gtk_snapshot_append_node (snapshot, self->node);
}

/* A theme switch changes the palette: draw again. */
static void
hs_heap_view_css_changed (GtkWidget         *widget,
                          GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (hs_heap_view_parent_class)->css_changed (widget, change);
  invalidate (HS_HEAP_VIEW (widget));
}

static void
hs_heap_view_size_allocate (GtkWidget *widget,
                            int        width,
                            int        height,
                            int        baseline)
{
  HsHeapView *self = HS_HEAP_VIEW (widget);

  if (!self->user_moved)
    {
      HsRenderView now = self->view;

      fit_view (self);
      /* A glide under way ends on the fit for the new size. */
      if (self->view_anim)
        {
          self->view_to = self->view;
          self->view = now;
        }
    }
  g_clear_pointer (&self->node, gsk_render_node_unref);
}

static void
hs_heap_view_map (GtkWidget *widget)
{
  HsHeapView *self = HS_HEAP_VIEW (widget);

  GTK_WIDGET_CLASS (hs_heap_view_parent_class)->map (widget);
  if (self->dirty)
    ensure_tick (self);
}

/* Where object `id` is drawn (its box's top left, diagram units), glide included. */
gboolean
hs_heap_view_get_object_bounds (HsHeapView       *self,
                                HsId              id,
                                graphene_point_t *origin)
{
  HsLayoutRect rect;
  size_t gi;
  double e;

  g_return_val_if_fail (HS_IS_HEAP_VIEW (self), FALSE);

  if (!hs_layout_lookup_object (self->layout, id, &gi) || !hs_layout_get_object (self->layout, gi, &rect))
    return FALSE;
  origin->x = rect.x;
  origin->y = rect.y;
  e = 1.0 - (1.0 - self->anim_t) * (1.0 - self->anim_t);
  for (guint i = 0; i < self->moves->len; i++)
    {
      const Move *m = &g_array_index (self->moves, Move, i);
      if (m->id == id)
        {
          origin->x += m->dx * (1.0 - e);
          origin->y += m->dy * (1.0 - e);
          break;
        }
    }
  return TRUE;
}

void
hs_heap_view_set_animation_progress (HsHeapView *self,
                                     double      t)
{
  g_return_if_fail (HS_IS_HEAP_VIEW (self));
  apply_animation (self, CLAMP (t, 0.0, 1.0));
  invalidate (self);
}

guint
hs_heap_view_get_n_finished_frames (HsHeapView *self)
{
  g_return_val_if_fail (HS_IS_HEAP_VIEW (self), 0);
  if (self->dirty)
    hs_heap_view_refresh (self);
  return self->n_finished;
}

void
hs_heap_view_set_keep_finished_frames (HsHeapView *self,
                                       gboolean    keep)
{
  g_return_if_fail (HS_IS_HEAP_VIEW (self));

  keep = !!keep;
  if (self->keep_finished == keep)
    return;
  self->keep_finished = keep;
  hs_heap_view_refresh (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEEP_FINISHED_FRAMES]);
}

gboolean
hs_heap_view_get_keep_finished_frames (HsHeapView *self)
{
  g_return_val_if_fail (HS_IS_HEAP_VIEW (self), FALSE);
  return self->keep_finished;
}

HsId
hs_heap_view_lookup_object (HsHeapView *self,
                            double      x,
                            double      y)
{
  size_t graph_index, object;

  g_return_val_if_fail (HS_IS_HEAP_VIEW (self), 0);

  if (self->view.scale <= 0 || hs_layout_n_objects (self->layout) == 0)
    return 0;
  if (!hs_layout_hit_object (self->layout, self->view.x + x / self->view.scale,
                             self->view.y + y / self->view.scale, &graph_index))
    return 0;
  object = hs_diagram_object_for_graph (self->diagram, graph_index);
  if (object == (size_t) -1 || object >= self->ids->len)
    return 0;
  return g_array_index (self->ids, HsId, object);
}

static void
zoom_at (HsHeapView *self,
         double      factor,
         double      px,
         double      py)
{
  double old = self->view.scale, scale = CLAMP (old * factor, MIN_ZOOM, MAX_ZOOM);

  if (old <= 0)
    return;
  /* Keep the diagram point under the pointer where it is. */
  self->view.x += px / old - px / scale;
  self->view.y += py / old - py / scale;
  self->view.scale = scale;
  self->user_moved = TRUE;
  self->view_anim = FALSE;
  invalidate (self);
}

static void
click_pressed_cb (GtkGestureClick *gesture,
                  int              n_press,
                  double           x,
                  double           y,
                  HsHeapView      *self)
{
  HsId id = hs_heap_view_lookup_object (self, x, y);

  gtk_widget_grab_focus (GTK_WIDGET (self));
  hs_heap_view_set_selected (self, id);
  if (n_press == 2 && id != 0)
    g_signal_emit (self, signals[OBJECT_ACTIVATED], 0, (guint64) id);
}

static void
drag_begin_cb (GtkGestureDrag *gesture,
               double          x,
               double          y,
               HsHeapView     *self)
{
  self->drag_x = self->view.x;
  self->drag_y = self->view.y;
}

static void
drag_update_cb (GtkGestureDrag *gesture,
                double          dx,
                double          dy,
                HsHeapView     *self)
{
  if (self->view.scale <= 0 || (fabs (dx) < 3 && fabs (dy) < 3))
    return;
  self->view.x = self->drag_x - dx / self->view.scale;
  self->view.y = self->drag_y - dy / self->view.scale;
  self->user_moved = TRUE;
  self->view_anim = FALSE;
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "grabbing");
  invalidate (self);
}

static void
drag_end_cb (GtkGestureDrag *gesture,
             double          dx,
             double          dy,
             HsHeapView     *self)
{
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), NULL);
}

static gboolean
scroll_cb (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           HsHeapView               *self)
{
  GdkModifierType mods = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));
  double px = gtk_widget_get_width (GTK_WIDGET (self)) / 2.0;
  double py = gtk_widget_get_height (GTK_WIDGET (self)) / 2.0;
  GdkEvent *event = gtk_event_controller_get_current_event (GTK_EVENT_CONTROLLER (controller));

  if (event != NULL)
    gdk_event_get_position (event, &px, &py);

  if (mods & GDK_CONTROL_MASK)
    {
      zoom_at (self, dy < 0 ? 1.15 : 1 / 1.15, px, py);
      return TRUE;
    }
  if (self->view.scale <= 0)
    return FALSE;
  /* Plain scrolling pans. */
  self->view.x += dx * 40 / self->view.scale;
  self->view.y += dy * 40 / self->view.scale;
  self->user_moved = TRUE;
  self->view_anim = FALSE;
  invalidate (self);
  return TRUE;
}

static void
zoom_begin_cb (GtkGesture       *gesture,
               GdkEventSequence *sequence,
               HsHeapView       *self)
{
  self->zoom_begin = self->view.scale;
}

static void
zoom_scale_changed_cb (GtkGestureZoom *gesture,
                       double          scale,
                       HsHeapView     *self)
{
  double cx, cy;

  if (!gtk_gesture_get_bounding_box_center (GTK_GESTURE (gesture), &cx, &cy))
    cx = cy = 0;
  zoom_at (self, self->zoom_begin * scale / MAX (self->view.scale, 1e-6), cx, cy);
}

static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                HsHeapView            *self)
{
  double step = 60 / MAX (self->view.scale, 1e-6);

  switch (keyval)
    {
    case GDK_KEY_plus: case GDK_KEY_equal: case GDK_KEY_KP_Add:
      hs_heap_view_zoom_in (self);
      return TRUE;
    case GDK_KEY_minus: case GDK_KEY_KP_Subtract:
      hs_heap_view_zoom_out (self);
      return TRUE;
    case GDK_KEY_0: case GDK_KEY_KP_0:
      hs_heap_view_zoom_fit (self);
      return TRUE;
    case GDK_KEY_Left: self->view.x -= step; break;
    case GDK_KEY_Right: self->view.x += step; break;
    case GDK_KEY_Up: self->view.y -= step; break;
    case GDK_KEY_Down: self->view.y += step; break;
    case GDK_KEY_Escape:
      hs_heap_view_set_selected (self, 0);
      return TRUE;
    default:
      return FALSE;
    }
  self->user_moved = TRUE;
  self->view_anim = FALSE;
  invalidate (self);
  return TRUE;
}

static gboolean
query_tooltip_cb (GtkWidget  *widget,
                  int         x,
                  int         y,
                  gboolean    keyboard,
                  GtkTooltip *tooltip,
                  HsHeapView *self)
{
  g_autofree char *text = NULL;
  HsId id = keyboard ? self->selected : hs_heap_view_lookup_object (self, x, y);

  if (id == 0 || self->model == NULL)
    return FALSE;
  text = hs_diagram_describe_object (self->model, id);
  {
    g_autofree char *changes = hs_diagram_describe_changes (self->model, id);
    if (changes != NULL)
      {
        char *both = g_strdup_printf ("%s\n%s\n%s", text, _("Refcount changes in the last line:"), changes);
        g_free (text);
        text = both;
      }
  }
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
hs_heap_view_dispose (GObject *object)
{
  HsHeapView *self = HS_HEAP_VIEW (object);

  if (self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
      self->tick_id = 0;
    }
  g_clear_object (&self->model);
  g_clear_pointer (&self->node, gsk_render_node_unref);
  self->arranging = FALSE;
  G_OBJECT_CLASS (hs_heap_view_parent_class)->dispose (object);
}

static void
hs_heap_view_finalize (GObject *object)
{
  HsHeapView *self = HS_HEAP_VIEW (object);

  g_clear_pointer (&self->diagram, hs_diagram_free);
  g_clear_pointer (&self->layout, hs_layout_free);
  g_clear_pointer (&self->render, hs_render_free);
  g_clear_pointer (&self->ids, g_array_unref);
  g_clear_pointer (&self->prev_refcnt, g_hash_table_unref);
  g_clear_pointer (&self->highlight, g_hash_table_unref);
  g_clear_pointer (&self->fade_in, g_array_unref);
  g_clear_pointer (&self->fade_out, g_array_unref);
  g_clear_pointer (&self->pulse, g_array_unref);
  g_clear_pointer (&self->moves, g_array_unref);
  g_clear_pointer (&self->finished_cache, g_hash_table_unref);
  g_clear_pointer (&self->cache_trace, hs_trace_unref);
  G_OBJECT_CLASS (hs_heap_view_parent_class)->finalize (object);
}

static void
hs_heap_view_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  HsHeapView *self = HS_HEAP_VIEW (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;
    case PROP_SELECTED:
      g_value_set_uint64 (value, self->selected);
      break;
    case PROP_INLINE_IMMUTABLES:
      g_value_set_boolean (value, self->inline_small);
      break;
    case PROP_KEEP_FINISHED_FRAMES:
      g_value_set_boolean (value, self->keep_finished);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hs_heap_view_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  HsHeapView *self = HS_HEAP_VIEW (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      hs_heap_view_set_model (self, g_value_get_object (value));
      break;
    case PROP_SELECTED:
      hs_heap_view_set_selected (self, g_value_get_uint64 (value));
      break;
    case PROP_INLINE_IMMUTABLES:
      hs_heap_view_set_inline_immutables (self, g_value_get_boolean (value));
      break;
    case PROP_KEEP_FINISHED_FRAMES:
      hs_heap_view_set_keep_finished_frames (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hs_heap_view_class_init (HsHeapViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hs_heap_view_dispose;
  object_class->finalize = hs_heap_view_finalize;
  object_class->get_property = hs_heap_view_get_property;
  object_class->set_property = hs_heap_view_set_property;

  widget_class->snapshot = hs_heap_view_snapshot;
  widget_class->size_allocate = hs_heap_view_size_allocate;
  widget_class->map = hs_heap_view_map;
  widget_class->css_changed = hs_heap_view_css_changed;

  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL, HS_TYPE_TRACE_MODEL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SELECTED] =
    g_param_spec_uint64 ("selected", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_INLINE_IMMUTABLES] =
    g_param_spec_boolean ("inline-immutables", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_KEEP_FINISHED_FRAMES] =
    g_param_spec_boolean ("keep-finished-frames", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* A double click on an object (id as guint64). */
  signals[OBJECT_ACTIVATED] =
    g_signal_new ("object-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT64);
  /* The picture was rebuilt: what hs_heap_view_get_n_objects() says may have changed. */
  signals[REFRESHED] =
    g_signal_new ("refreshed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_css_name (widget_class, "heapview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
hs_heap_view_init (HsHeapView *self)
{
  GtkEventController *controller;
  GtkGesture *gesture;

  self->diagram = hs_diagram_new ();
  self->render = hs_render_new ();
  self->layout = hs_layout_new (NULL);
  self->ids = g_array_new (FALSE, FALSE, sizeof (HsId));
  self->prev_refcnt = g_hash_table_new (NULL, NULL);
  self->fade_in = g_array_new (FALSE, FALSE, sizeof (guint));
  self->fade_out = g_array_new (FALSE, FALSE, sizeof (guint));
  self->pulse = g_array_new (FALSE, FALSE, sizeof (guint));
  self->moves = g_array_new (FALSE, FALSE, sizeof (Move));
  self->anim_t = 1.0;
  self->finished_cache = hs_diagram_finished_cache_new ();
  self->speed = 1.0;
  self->view.scale = 1.0;

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (query_tooltip_cb), self);

  gesture = gtk_gesture_click_new ();
  g_signal_connect (gesture, "pressed", G_CALLBACK (click_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  gesture = gtk_gesture_drag_new ();
  g_signal_connect (gesture, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (gesture, "drag-update", G_CALLBACK (drag_update_cb), self);
  g_signal_connect (gesture, "drag-end", G_CALLBACK (drag_end_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  gesture = gtk_gesture_zoom_new ();
  g_signal_connect (gesture, "begin", G_CALLBACK (zoom_begin_cb), self);
  g_signal_connect (gesture, "scale-changed", G_CALLBACK (zoom_scale_changed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  g_signal_connect (controller, "scroll", G_CALLBACK (scroll_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_key_new ();
  g_signal_connect (controller, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Heap diagram"), -1);
}

GtkWidget *
hs_heap_view_new (void)
{
  return g_object_new (HS_TYPE_HEAP_VIEW, NULL);
}

void
hs_heap_view_set_model (HsHeapView   *self,
                        HsTraceModel *model)
{
  g_return_if_fail (HS_IS_HEAP_VIEW (self));
  g_return_if_fail (model == NULL || HS_IS_TRACE_MODEL (model));

  if (self->model == model)
    return;
  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  g_set_object (&self->model, model);
  if (model != NULL)
    g_signal_connect_object (model, "changed", G_CALLBACK (model_changed_cb), self, G_CONNECT_SWAPPED);
  g_hash_table_remove_all (self->prev_refcnt);
  hs_layout_reset (self->layout);
  /* An arrangement still on the worker was for the other model. */
  self->arranging = FALSE;
  self->arrange_stale = FALSE;
  self->arrange_gen++;
  self->user_moved = FALSE;
  self->selected = 0;
  hs_heap_view_refresh (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
}

HsTraceModel *
hs_heap_view_get_model (HsHeapView *self)
{
  g_return_val_if_fail (HS_IS_HEAP_VIEW (self), NULL);
  return self->model;
}

HsId
hs_heap_view_get_selected (HsHeapView *self)
{
  g_return_val_if_fail (HS_IS_HEAP_VIEW (self), 0);
  return self->selected;
}

void
hs_heap_view_set_selected (HsHeapView *self,
                           HsId        id)
{
  g_return_if_fail (HS_IS_HEAP_VIEW (self));

  if (self->selected == id)
    return;
  self->selected = id;
  if (self->model != NULL)
    {
      g_autofree char *desc = id ? hs_diagram_describe_object (self->model, id) : NULL;
      if (desc != NULL)
        gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                        GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, desc, -1);
    }
  model_changed_cb (self);
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    hs_heap_view_refresh (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
}

void
hs_heap_view_set_highlight (HsHeapView *self,
                            GArray     *ids)
{
  g_return_if_fail (HS_IS_HEAP_VIEW (self));

  g_clear_pointer (&self->highlight, g_hash_table_unref);
  if (ids != NULL && ids->len > 0)
    {
      self->highlight = g_hash_table_new (NULL, NULL);
      for (guint i = 0; i < ids->len; i++)
        g_hash_table_add (self->highlight, GSIZE_TO_POINTER ((gsize) g_array_index (ids, HsId, i)));
    }
  hs_heap_view_refresh (self);
}

void
hs_heap_view_set_inline_immutables (HsHeapView *self,
                                    gboolean    inline_small)
{
  g_return_if_fail (HS_IS_HEAP_VIEW (self));

  inline_small = !!inline_small;
  if (self->inline_small == inline_small)
    return;
  self->inline_small = inline_small;
  hs_heap_view_refresh (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INLINE_IMMUTABLES]);
}

gboolean
hs_heap_view_get_inline_immutables (HsHeapView *self)
{
  g_return_val_if_fail (HS_IS_HEAP_VIEW (self), FALSE);
  return self->inline_small;
}

void
hs_heap_view_set_animation_speed (HsHeapView *self,
                                  double      speed)
{
  g_return_if_fail (HS_IS_HEAP_VIEW (self));
  self->speed = CLAMP (speed, 0.0, 8.0);
}

void
hs_heap_view_zoom_in (HsHeapView *self)
{
  zoom_at (self, 1.25, gtk_widget_get_width (GTK_WIDGET (self)) / 2.0,
           gtk_widget_get_height (GTK_WIDGET (self)) / 2.0);
}

void
hs_heap_view_zoom_out (HsHeapView *self)
{
  zoom_at (self, 1 / 1.25, gtk_widget_get_width (GTK_WIDGET (self)) / 2.0,
           gtk_widget_get_height (GTK_WIDGET (self)) / 2.0);
}

void
hs_heap_view_zoom_fit (HsHeapView *self)
{
  g_return_if_fail (HS_IS_HEAP_VIEW (self));
  self->user_moved = FALSE;
  self->view_anim = FALSE;
  fit_view (self);
  invalidate (self);
}

double
hs_heap_view_get_zoom (HsHeapView *self)
{
  g_return_val_if_fail (HS_IS_HEAP_VIEW (self), 1.0);
  return self->view.scale;
}

gboolean
hs_heap_view_export (HsHeapView  *self,
                     const char  *path,
                     gboolean     visible_only,
                     GError     **error)
{
  HsRenderExportOptions options = { 0 };
  HsRenderView view = self->view;

  g_return_val_if_fail (HS_IS_HEAP_VIEW (self), FALSE);

  if (self->dirty)
    hs_heap_view_refresh (self);
  finish_arrangement (self);
  options.dark = FALSE;
  options.scale = 2.0;
  if (visible_only)
    options.view = &view;
  if (hs_render_export (self->diagram, self->layout, path, &options) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("Could not write “%s”: use a name ending in .png, .svg or .pdf in a folder you can write to"),
                   path);
      return FALSE;
    }
  return TRUE;
}

GdkTexture *
hs_heap_view_to_texture (HsHeapView *self)
{
  g_autofree char *dir = g_dir_make_tmp ("heapscope-XXXXXX", NULL);
  g_autofree char *path = NULL;
  GdkTexture *texture = NULL;

  g_return_val_if_fail (HS_IS_HEAP_VIEW (self), NULL);

  if (dir == NULL)
    return NULL;
  path = g_build_filename (dir, "heap.png", NULL);
  if (hs_heap_view_export (self, path, FALSE, NULL))
    texture = gdk_texture_new_from_filename (path, NULL);
  g_unlink (path);
  g_rmdir (dir);
  return texture;
}

const HsDiagram *
hs_heap_view_get_diagram (HsHeapView *self)
{
  g_return_val_if_fail (HS_IS_HEAP_VIEW (self), NULL);
  if (self->dirty)
    hs_heap_view_refresh (self);
  return self->diagram;
}

GArray *
hs_heap_view_get_object_ids (HsHeapView *self)
{
  g_return_val_if_fail (HS_IS_HEAP_VIEW (self), NULL);
  if (self->dirty)
    hs_heap_view_refresh (self);
  return self->ids;
}

guint
hs_heap_view_get_n_objects (HsHeapView *self, guint *n_drawn)
{
  g_return_val_if_fail (HS_IS_HEAP_VIEW (self), 0);
  if (n_drawn != NULL)
    *n_drawn = self->n_drawn;
  return self->n_reachable;
}
