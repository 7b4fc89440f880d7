/* hs-diagram-builder.c — what the heap picture shows at one step, built from the trace model. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "hs-diagram-builder.h"

void
hs_diagram_options_init (HsDiagramOptions *options)
{
  memset (options, 0, sizeof *options);
  options->show_temporaries = TRUE;
}

/* Types that are machinery rather than data a learner created. */
static gboolean
type_is_hidden (const char *type_name)
{
  static const char *const hidden[] = {
    "code", "builtin_function_or_method", "method_descriptor", NULL,
  };
  return type_name != NULL && g_strv_contains (hidden, type_name);
}

static gboolean
type_is_small_immutable (const char *type_name)
{
  static const char *const small[] = { "int", "float", "bool", "NoneType", "str", NULL };
  return type_name != NULL && g_strv_contains (small, type_name);
}

/* References that only clutter the picture: a function's globals and code, an
 * instance's class, a dict's hold on its keys (the key is in the slot label). */
static gboolean
ref_is_hidden (HsTraceModel *model, const HsTraceRef *ref)
{
  const char *name;

  switch (ref->holder_kind)
    {
    case HS_HOLDER_KEY:
    case HS_HOLDER_CONST:
    case HS_HOLDER_RUNTIME:
      return TRUE;
    case HS_HOLDER_INTERNAL:
      name = ref->name ? hs_trace_string (hs_trace_model_get_trace (model), ref->name - 1) : NULL;
      return name != NULL && (g_str_equal (name, "__globals__") || g_str_equal (name, "__code__")
                              || g_str_equal (name, "__class__") || g_str_equal (name, "__builtins__")
                              || g_str_equal (name, "__name__") || g_str_equal (name, "__qualname__")
                              || g_str_equal (name, "__module__") || g_str_equal (name, "__doc__"));
    default:
      return FALSE;
    }
}

typedef struct {
  HsTraceModel *model;
  GHashTable   *by_holder;   /* holder id -> GArray of ref indices */
  GHashTable   *hidden;      /* object ids never drawn */
  GHashTable   *shown;       /* object id -> TRUE once queued */
  GHashTable   *hidden_refs; /* ref index + 1 of slots left out */
  GQueue        queue;
} Builder;

static GArray *
refs_of (Builder *b, HsId holder)
{
  return g_hash_table_lookup (b->by_holder, GSIZE_TO_POINTER ((gsize) holder));
}

static gboolean
object_visible (Builder *b, HsId id)
{
  const HsTraceObject *o;

  if (id == 0 || g_hash_table_contains (b->hidden, GSIZE_TO_POINTER ((gsize) id)))
    return FALSE;
  o = hs_trace_model_lookup_object (b->model, id);
  if (o == NULL)
    return FALSE;
  if (o->flags & HS_TRACE_OBJ_ROOT)
    return FALSE;
  if (type_is_hidden (hs_trace_model_type_name (b->model, o)))
    return FALSE;
  /* Builtin classes (int, list, ...) are immortal types: not part of the program's heap. */
  if ((o->flags & HS_TRACE_OBJ_IMMORTAL) && g_strcmp0 (hs_trace_model_type_name (b->model, o), "type") == 0)
    return FALSE;
  return TRUE;
}

static void
enqueue (Builder *b, HsId id)
{
  gpointer key = GSIZE_TO_POINTER ((gsize) id);

  if (!object_visible (b, id) || g_hash_table_contains (b->shown, key))
    return;
  g_hash_table_add (b->shown, key);
  g_queue_push_tail (&b->queue, key);
}

static int
compare_refs_by_slot (gconstpointer a, gconstpointer b, gpointer user_data)
{
  HsTraceModel *model = user_data;
  const HsTraceRef *ra = hs_trace_model_get_ref (model, *(const guint *) a);
  const HsTraceRef *rb = hs_trace_model_get_ref (model, *(const guint *) b);

  /* Items in index order; everything else keeps the order it was made in. */
  if (ra->holder_kind == HS_HOLDER_ITEM && rb->holder_kind == HS_HOLDER_ITEM)
    return ra->slot < rb->slot ? -1 : ra->slot > rb->slot;
  return *(const guint *) a < *(const guint *) b ? -1 : 1;
}

static char *
badge_for (HsTraceModel *model, const HsTraceObject *o)
{
  if (o->flags & HS_TRACE_OBJ_IMMORTAL)
    return g_strdup (_("cached"));
  if (o->state != HS_TRACE_ALIVE)
    return g_strdup ("0");
  return g_strdup_printf ("%" G_GINT64_FORMAT, o->refcnt);
}

/* The text of the str an internal slot ("__qualname__") refers to, without quotes. */
static char *
internal_name (Builder    *b,
               GArray     *own,
               const char *slot)
{
  HsTrace *trace = hs_trace_model_get_trace (b->model);

  for (guint i = 0; own != NULL && i < own->len; i++)
    {
      const HsTraceRef *r = hs_trace_model_get_ref (b->model, g_array_index (own, guint, i));
      const char *name = r->name ? hs_trace_string (trace, r->name - 1) : NULL;
      const HsTraceObject *t;
      const char *d;
      gsize len;

      if (r->holder_kind != HS_HOLDER_INTERNAL || g_strcmp0 (name, slot) != 0)
        continue;
      t = hs_trace_model_lookup_object (b->model, r->target);
      d = t != NULL ? hs_trace_model_describe (b->model, t) : NULL;
      if (d == NULL || (len = strlen (d)) < 2)
        return NULL;
      return g_strndup (d + 1, len - 2);
    }
  return NULL;
}

/* Functions and classes are named by their slots: the short text recorded when they
 * were created predates their name. */
static char *
callable_text (Builder    *b,
               const char *type,
               GArray     *own)
{
  g_autofree char *name = NULL;

  if (g_strcmp0 (type, "function") == 0)
    {
      name = internal_name (b, own, "__qualname__");
      if (name == NULL)
        name = internal_name (b, own, "__name__");
      return name != NULL ? g_strdup_printf ("%s()", name) : NULL;
    }
  if (g_strcmp0 (type, "type") == 0)
    {
      name = internal_name (b, own, "__qualname__");
      if (name == NULL)
        name = internal_name (b, own, "__name__");
      return name != NULL ? g_strdup_printf ("class %s", name) : NULL;
    }
  return NULL;
}

/* A container's size as it is now (the short text recorded at allocation is stale). */
static char *
container_text (Builder    *b,
                const char *type,
                GArray     *own)
{
  HsHolderKind counted;
  guint n = 0;

  if (g_strcmp0 (type, "list") == 0 || g_strcmp0 (type, "tuple") == 0)
    counted = HS_HOLDER_ITEM;
  else if (g_strcmp0 (type, "dict") == 0)
    counted = HS_HOLDER_VALUE;
  else if (g_strcmp0 (type, "set") == 0 || g_strcmp0 (type, "frozenset") == 0)
    counted = HS_HOLDER_KEY;
  else
    return NULL;
  for (guint i = 0; own != NULL && i < own->len; i++)
    if (hs_trace_model_get_ref (b->model, g_array_index (own, guint, i))->holder_kind == counted)
      n++;
  if (n == 0)
    return g_strdup (_("empty"));
  return g_strdup_printf (ngettext ("%u item", "%u items", n), n);
}

/* The refs of a class's namespace dict that a learner wrote: no dunder names. */
static GArray *
class_namespace_refs (Builder *b,
                      GArray  *own)
{
  HsTrace *trace = hs_trace_model_get_trace (b->model);
  HsId dict = 0;
  GArray *refs;

  for (guint i = 0; i < own->len; i++)
    {
      const HsTraceRef *r = hs_trace_model_get_ref (b->model, g_array_index (own, guint, i));
      const char *name = r->name ? hs_trace_string (trace, r->name - 1) : NULL;

      if (r->holder_kind == HS_HOLDER_INTERNAL && g_strcmp0 (name, "__dict__") == 0)
        dict = r->target;
    }
  refs = dict != 0 ? refs_of (b, dict) : NULL;
  if (refs == NULL)
    return NULL;
  g_hash_table_add (b->hidden, GSIZE_TO_POINTER ((gsize) dict));
  for (guint i = 0; i < refs->len; i++)
    {
      const HsTraceRef *r = hs_trace_model_get_ref (b->model, g_array_index (refs, guint, i));
      g_autofree char *label = hs_trace_model_ref_label (b->model, r);

      static const char *const machinery[] = {
        "['__module__']", "['__qualname__']", "['__doc__']", "['__dict__']",
        "['__weakref__']", "['__classcell__']", NULL,
      };

      if (r->holder_kind == HS_HOLDER_VALUE && g_strv_contains (machinery, label))
        g_hash_table_add (b->hidden_refs, GUINT_TO_POINTER (g_array_index (refs, guint, i) + 1));
    }
  return refs;
}

static unsigned
flags_for (Builder *b, const HsTraceObject *o, const HsDiagramOptions *options)
{
  const char *type = hs_trace_model_type_name (b->model, o);
  guint8 gc = hs_trace_model_object_gc_flags (b->model, o);
  unsigned flags = 0;

  if (o->flags & HS_TRACE_OBJ_IMMORTAL)
    flags |= HS_DIAGRAM_CACHED;
  if (type_is_small_immutable (type) && (o->describe == NULL || strlen (o->describe) <= 12))
    flags |= HS_DIAGRAM_INLINABLE;
  if (o->state == HS_TRACE_FREED_REFCOUNT)
    flags |= HS_DIAGRAM_FREED_REFCOUNT;
  else if (o->state == HS_TRACE_FREED_GC || o->state == HS_TRACE_FREED_TEARDOWN)
    flags |= HS_DIAGRAM_FREED_GC;
  if (gc & HS_TRACE_GC_UNREACHABLE)
    flags |= HS_DIAGRAM_GC_UNREACHABLE;
  if ((gc & HS_TRACE_GC_FINALIZING) || (o->flags & HS_TRACE_OBJ_FINALIZED))
    flags |= HS_DIAGRAM_GC_FINALIZED;
  if (gc & HS_TRACE_GC_CLEARED)
    flags |= HS_DIAGRAM_GC_CLEARED;
  if (options->selected == o->id)
    flags |= HS_DIAGRAM_SELECTED;
  if (options->highlight != NULL
      && g_hash_table_contains (options->highlight, GSIZE_TO_POINTER ((gsize) o->id)))
    flags |= HS_DIAGRAM_HIGHLIGHT;
  return flags;
}

static HsLayoutRefKind
ref_kind_for (Builder *b, const HsTraceRef *ref)
{
  const HsTraceObject *t;

  if (ref->holder_kind == HS_HOLDER_STACK)
    return HS_LAYOUT_REF_TEMPORARY;
  t = hs_trace_model_lookup_object (b->model, ref->target);
  if (t != NULL && type_is_small_immutable (hs_trace_model_type_name (b->model, t)))
    return HS_LAYOUT_REF_INLINE;
  return HS_LAYOUT_REF_NORMAL;
}

void
hs_diagram_build_from_model (HsDiagram              *diagram,
                             HsTraceModel           *model,
                             const HsDiagramOptions *options,
                             GArray                 *ids)
{
  HsDiagramOptions defaults;
  Builder b = { .model = model };
  HsId globals = 0, current;
  guint n_refs, n_frames, n_objects;

  g_return_if_fail (diagram != NULL);
  g_return_if_fail (HS_IS_TRACE_MODEL (model));

  if (options == NULL)
    {
      hs_diagram_options_init (&defaults);
      options = &defaults;
    }

  hs_diagram_clear (diagram);
  hs_diagram_set_inline (diagram, options->inline_small);
  if (ids != NULL)
    g_array_set_size (ids, 0);

  b.by_holder = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_array_unref);
  b.hidden = g_hash_table_new (NULL, NULL);
  b.shown = g_hash_table_new (NULL, NULL);
  b.hidden_refs = g_hash_table_new (NULL, NULL);
  g_queue_init (&b.queue);

  n_refs = hs_trace_model_get_n_refs (model);
  for (guint i = 0; i < n_refs; i++)
    {
      const HsTraceRef *r = hs_trace_model_get_ref (model, i);
      gpointer key = GSIZE_TO_POINTER ((gsize) r->holder);
      GArray *list = g_hash_table_lookup (b.by_holder, key);

      if (list == NULL)
        {
          list = g_array_new (FALSE, FALSE, sizeof (guint));
          g_hash_table_insert (b.by_holder, key, list);
        }
      g_array_append_val (list, i);
      if (r->holder_kind == HS_HOLDER_GLOBAL)
        globals = r->holder;
    }

  /* Frames, module first; the module frame lists the globals. */
  current = hs_trace_model_get_current_frame (model);
  n_frames = hs_trace_model_get_n_frames (model);
  for (guint f = 0; f < n_frames; f++)
    {
      const HsTraceFrame *frame = hs_trace_model_get_frame (model, f);
      GArray *rows = g_array_new (FALSE, FALSE, sizeof (guint));
      GArray *own = refs_of (&b, frame->id);
      const char *name = hs_trace_model_frame_name (model, frame);
      g_autofree char *title = NULL;

      if (frame->depth == 0 && globals != 0 && refs_of (&b, globals) != NULL)
        g_array_append_vals (rows, refs_of (&b, globals)->data, refs_of (&b, globals)->len);
      if (own != NULL)
        g_array_append_vals (rows, own->data, own->len);

      title = frame->depth == 0 ? g_strdup (_("Global frame")) : g_strdup (name);
      hs_diagram_add_frame (diagram, frame->id, title,
                            frame->id == current ? HS_DIAGRAM_CURRENT : 0);
      for (guint i = 0; i < rows->len; i++)
        {
          const HsTraceRef *r = hs_trace_model_get_ref (model, g_array_index (rows, guint, i));

          if (r->holder_kind == HS_HOLDER_STACK)
            {
              if (options->show_temporaries && object_visible (&b, r->target))
                hs_diagram_add_temporary (diagram, r->target);
            }
          else if (r->holder_kind == HS_HOLDER_LOCAL || r->holder_kind == HS_HOLDER_GLOBAL
                   || r->holder_kind == HS_HOLDER_CELL)
            {
              g_autofree char *label = hs_trace_model_ref_label (model, r);

              /* __name__ and friends are the runtime's, not the learner's. */
              if (r->holder_kind == HS_HOLDER_GLOBAL && g_str_has_prefix (label, "__")
                  && g_str_has_suffix (label, "__"))
                continue;
              hs_diagram_add_variable (diagram, label,
                                       object_visible (&b, r->target) ? r->target : 0,
                                       ref_kind_for (&b, r));
            }
          else
            continue;
          enqueue (&b, r->target);
        }
      g_array_unref (rows);
    }

  /* Cyclic garbage still alive, and what this step freed, keep their place too. */
  n_objects = hs_trace_model_get_n_objects (model);
  for (guint i = 0; i < n_objects; i++)
    {
      const HsTraceObject *o = hs_trace_model_get_object (model, i);
      if (!(o->flags & (HS_TRACE_OBJ_IMMORTAL | HS_TRACE_OBJ_ROOT))
          && !g_hash_table_contains (b.shown, GSIZE_TO_POINTER ((gsize) o->id))
          && hs_trace_model_is_garbage (model, o->id))
        enqueue (&b, o->id);
    }
  for (guint i = 0; i < hs_trace_model_get_n_freed (model); i++)
    enqueue (&b, hs_trace_model_get_freed (model, i)->id);

  /* Breadth first from the frames: each object then its slots. */
  while (!g_queue_is_empty (&b.queue))
    {
      HsId id = (HsId) GPOINTER_TO_SIZE (g_queue_pop_head (&b.queue));
      const HsTraceObject *o = hs_trace_model_lookup_object (model, id);
      GArray *own = refs_of (&b, id);
      g_autofree char *badge = NULL;
      g_autofree char *note = NULL;
      g_autofree char *value = NULL;
      const char *type;
      unsigned flags;
      size_t index;
      guint8 gc;

      if (o == NULL)
        continue;
      flags = flags_for (&b, o, options);
      if (!(o->flags & HS_TRACE_OBJ_IMMORTAL) && o->state == HS_TRACE_ALIVE
          && hs_trace_model_is_garbage (model, id))
        flags |= HS_DIAGRAM_GARBAGE;
      badge = badge_for (model, o);
      type = hs_trace_model_type_name (model, o);
      value = container_text (&b, type, own);
      if (value == NULL)
        value = callable_text (&b, type, own);
      index = hs_diagram_add_object (diagram, id, type,
                                     value != NULL ? value : hs_trace_model_describe (model, o),
                                     badge, flags);
      if (ids != NULL)
        g_array_append_val (ids, id);

      gc = hs_trace_model_object_gc_flags (model, o);
      if (gc & HS_TRACE_GC_EXAMINED)
        note = g_strdup_printf ("gc_refs %" G_GINT64_FORMAT, o->gc_refs);
      if (note != NULL)
        hs_diagram_object_set_note (diagram, index, note);

      /* A module is one box: its namespace is the runtime's business. */
      if (own == NULL || g_strcmp0 (type, "module") == 0)
        continue;
      /* A class shows what its body defined (methods, class attributes) as its own
       * slots, not the machinery of its namespace dict. */
      if (g_strcmp0 (type, "type") == 0)
        {
          own = class_namespace_refs (&b, own);
          if (own == NULL)
            continue;
        }
      g_array_sort_with_data (own, compare_refs_by_slot, model);
      for (guint i = 0; i < own->len; i++)
        {
          guint ref_index = g_array_index (own, guint, i);
          const HsTraceRef *r = hs_trace_model_get_ref (model, ref_index);
          g_autofree char *label = NULL;

          if (ref_is_hidden (model, r) || !object_visible (&b, r->target)
              || g_hash_table_contains (b.hidden_refs, GUINT_TO_POINTER (ref_index + 1)))
            continue;
          label = hs_trace_model_ref_label (model, r);
          hs_diagram_add_slot (diagram, label, r->target, ref_kind_for (&b, r));
          enqueue (&b, r->target);
        }
    }

  g_queue_clear (&b.queue);
  g_hash_table_unref (b.shown);
  g_hash_table_unref (b.hidden_refs);
  g_hash_table_unref (b.hidden);
  g_hash_table_unref (b.by_holder);
}

char *
hs_diagram_describe_object (HsTraceModel *model,
                            HsId          id)
{
  const HsTraceObject *o = hs_trace_model_lookup_object (model, id);
  const char *type, *value;
  GString *s;

  if (o == NULL)
    return g_strdup (_("no object"));
  type = hs_trace_model_type_name (model, o);
  value = hs_trace_model_describe (model, o);
  s = g_string_new (type);
  if (value != NULL && *value != '\0')
    g_string_append_printf (s, " %s", value);
  if (o->flags & HS_TRACE_OBJ_IMMORTAL)
    g_string_append_printf (s, ", %s", _("cached"));
  else if (o->state == HS_TRACE_FREED_REFCOUNT)
    g_string_append_printf (s, ", %s", _("freed by reference counting"));
  else if (o->state == HS_TRACE_FREED_GC)
    g_string_append_printf (s, ", %s", _("freed by the garbage collector"));
  else
    g_string_append_printf (s, ", %s %" G_GINT64_FORMAT, _("refcount"), o->refcnt);
  if (hs_trace_model_is_garbage (model, id) && !(o->flags & HS_TRACE_OBJ_IMMORTAL)
      && o->state == HS_TRACE_ALIVE)
    g_string_append_printf (s, ", %s", _("unreachable garbage"));
  return g_string_free (s, FALSE);
}

typedef struct {
  HsTraceModel *model;
  HsId          id;
  GString      *out;
  guint         n;
} ChangeScan;

static gboolean
change_cb (const HsEvent *ev,
           gpointer       user_data)
{
  ChangeScan *scan = user_data;
  HsTraceRef ref;
  g_autofree char *label = NULL;
  gboolean gained;

  if (ev->kind != HS_EV_REF || scan->n >= 12)
    return TRUE;
  if (ev->u.ref.new_target == scan->id && ev->u.ref.old_target != scan->id)
    gained = TRUE;
  else if (ev->u.ref.old_target == scan->id && ev->u.ref.new_target != scan->id)
    gained = FALSE;
  else
    return TRUE;
  memset (&ref, 0, sizeof ref);
  ref.holder = ev->u.ref.holder;
  ref.slot = ev->u.ref.slot;
  ref.holder_kind = ev->u.ref.holder_kind;
  label = ev->u.ref.name != NULL && ev->u.ref.holder_kind != HS_HOLDER_ATTR
          ? g_strdup (ev->u.ref.name) : hs_trace_model_ref_label (scan->model, &ref);
  g_string_append_printf (scan->out, "%s%s %s", scan->out->len ? "\n" : "",
                          gained ? "+1" : "−1", label);
  if (ev->u.ref.holder_kind == HS_HOLDER_STACK)
    g_string_append_printf (scan->out, " %s", _("(a temporary: an argument or operand)"));
  scan->n++;
  return TRUE;
}

char *
hs_diagram_describe_changes (HsTraceModel *model,
                             HsId          id)
{
  HsTrace *trace = hs_trace_model_get_trace (model);
  guint64 step = hs_trace_model_get_step (model);
  guint64 end = hs_trace_model_get_event (model);
  guint64 start = step > 1 ? hs_trace_get_step_event (trace, step - 1) : 0;
  ChangeScan scan = { model, id, g_string_new (NULL), 0 };

  /* From the previous line's start to now: what the line that just ran did. */
  if (end > start)
    hs_trace_foreach_event (trace, start, MIN (end - start, 100000), change_cb, &scan);
  if (scan.out->len == 0)
    {
      g_string_free (scan.out, TRUE);
      return NULL;
    }
  return g_string_free (scan.out, FALSE);
}
