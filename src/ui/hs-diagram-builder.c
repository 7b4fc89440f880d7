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
  options->max_objects = HS_DIAGRAM_MAX_OBJECTS;
}

static void
finished_frame_free (gpointer data)
{
  HsFinishedFrame *ff = data;

  g_free (ff->name);
  g_ptr_array_unref (ff->labels);
  g_array_unref (ff->targets);
  g_ptr_array_unref (ff->values);
  g_free (ff);
}

GHashTable *
hs_diagram_finished_cache_new (void)
{
  return g_hash_table_new_full (NULL, NULL, NULL, finished_frame_free);
}

#define FINISHED_SCAN_LIMIT  200000   /* events looked at for returns, at most */
#define FINISHED_CACHE_LIMIT 512

typedef struct {
  guint64  index;       /* of the event being looked at */
  GArray  *returns;     /* of HsId frame, event index pairs (guint64 each) */
} ReturnScan;

static gboolean
return_scan_cb (const HsEvent *ev,
                gpointer       user_data)
{
  ReturnScan *scan = user_data;

  /* A call takes the place of every frame that returned before it. */
  if (ev->kind == HS_EV_CALL)
    g_array_set_size (scan->returns, 0);
  else if (ev->kind == HS_EV_RETURN)
    {
      guint64 pair[2] = { ev->u.ret.frame, scan->index };
      g_array_append_vals (scan->returns, pair, 2);
    }
  scan->index++;
  return TRUE;
}

/* The frame as it was just before its RETURN event: locals still in place. */
static HsFinishedFrame *
finished_frame_new (HsTraceModel *at_return,
                    HsId          frame_id,
                    guint64       return_event)
{
  const HsTraceFrame *frame = hs_trace_model_lookup_frame (at_return, frame_id);
  g_autoptr(GArray) refs = NULL;
  HsFinishedFrame *ff;

  if (frame == NULL)
    return NULL;
  ff = g_new0 (HsFinishedFrame, 1);
  ff->id = frame_id;
  ff->depth = frame->depth;
  ff->return_event = return_event;
  ff->name = g_strdup (hs_trace_model_frame_name (at_return, frame));
  ff->labels = g_ptr_array_new_with_free_func (g_free);
  ff->targets = g_array_new (FALSE, FALSE, sizeof (HsId));
  ff->values = g_ptr_array_new_with_free_func (g_free);
  refs = hs_trace_model_frame_refs (at_return, frame_id);
  for (guint i = 0; refs != NULL && i < refs->len; i++)
    {
      const HsTraceRef *r = &g_array_index (refs, HsTraceRef, i);
      const HsTraceObject *t;
      const char *type, *value;

      if (r->holder_kind != HS_HOLDER_LOCAL && r->holder_kind != HS_HOLDER_CELL)
        continue;
      t = hs_trace_model_lookup_object (at_return, r->target);
      type = t != NULL ? hs_trace_model_type_name (at_return, t) : NULL;
      value = t != NULL ? hs_trace_model_describe (at_return, t) : NULL;
      g_ptr_array_add (ff->labels, hs_trace_model_ref_label (at_return, r));
      g_array_append_val (ff->targets, r->target);
      if (type != NULL && value != NULL && *value != '\0' && g_utf8_strlen (value, -1) <= 16)
        g_ptr_array_add (ff->values, g_strdup (value));
      else
        g_ptr_array_add (ff->values, g_strdup (type != NULL ? type : "?"));
    }
  return ff;
}

static int
compare_finished (gconstpointer a,
                  gconstpointer b)
{
  const HsFinishedFrame *fa = *(HsFinishedFrame *const *) a;
  const HsFinishedFrame *fb = *(HsFinishedFrame *const *) b;

  if (fa->depth != fb->depth)
    return fa->depth < fb->depth ? -1 : 1;
  return fa->return_event < fb->return_event ? -1 : fa->return_event > fb->return_event;
}

GPtrArray *
hs_diagram_collect_finished_frames (HsTraceModel *model,
                                    guint         steps,
                                    GHashTable   *cache)
{
  HsTrace *trace;
  guint64 step, end, start;
  ReturnScan scan;
  g_autoptr(HsTraceModel) at_return = NULL;
  GPtrArray *out = g_ptr_array_new ();

  g_return_val_if_fail (HS_IS_TRACE_MODEL (model), out);
  g_return_val_if_fail (cache != NULL, out);

  trace = hs_trace_model_get_trace (model);
  step = hs_trace_model_get_step (model);
  end = hs_trace_model_get_event (model);
  if (steps == 0 || trace == NULL || step == 0)
    return out;
  start = step > steps ? hs_trace_get_step_event (trace, step - steps) : 0;
  /* Busy lines (big loops in one statement) must not make every step slow. */
  if (end > start + FINISHED_SCAN_LIMIT)
    start = end - FINISHED_SCAN_LIMIT;
  if (end <= start)
    return out;
  if (g_hash_table_size (cache) > FINISHED_CACHE_LIMIT)
    g_hash_table_remove_all (cache);

  scan.index = start;
  scan.returns = g_array_new (FALSE, FALSE, sizeof (guint64));
  hs_trace_foreach_event (trace, start, end - start, return_scan_cb, &scan);
  for (guint i = 0; i + 1 < scan.returns->len; i += 2)
    {
      HsId id = g_array_index (scan.returns, guint64, i);
      guint64 at = g_array_index (scan.returns, guint64, i + 1);
      HsFinishedFrame *ff = g_hash_table_lookup (cache, GSIZE_TO_POINTER ((gsize) id));

      if (ff == NULL)
        {
          if (at_return == NULL)
            at_return = hs_trace_model_new (trace);
          hs_trace_model_seek_event_quiet (at_return, at);
          ff = finished_frame_new (at_return, id, at);
          if (ff == NULL)
            continue;
          g_hash_table_insert (cache, GSIZE_TO_POINTER ((gsize) id), ff);
        }
      /* The module frame returning ends the program: nothing to keep. */
      if (ff->depth > 0)
        g_ptr_array_add (out, ff);
    }
  g_array_unref (scan.returns);
  g_ptr_array_sort (out, compare_finished);
  return out;
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

/* What the builder needs to know of a type, worked out once per type and build:
 * a 10,000-object heap would otherwise compare type names tens of thousands of times. */
enum {
  TYPE_HIDDEN = 1 << 0,
  TYPE_SMALL  = 1 << 1,   /* a small immutable */
  TYPE_TYPE   = 1 << 2,
  TYPE_MODULE = 1 << 3,
  TYPE_FUNC   = 1 << 4,
  TYPE_ITEMS  = 1 << 5,   /* list, tuple: counts items */
  TYPE_DICT   = 1 << 6,
  TYPE_SET    = 1 << 7,
};

#define TYPE_CACHE 16

/* An object waiting for its box; the model does not change while a picture is
 * built, so the pointer saves looking the id up again. */
typedef struct {
  HsId                 id;
  const HsTraceObject *obj;
  gboolean             draw;   /* FALSE: past the picture's budget, only counted */
} Queued;

typedef struct {
  HsTraceModel *model;
  GHashTable   *by_holder;   /* holder id -> GArray of ref indices */
  GHashTable   *hidden;      /* object ids never drawn */
  GHashTable   *shown;       /* object id -> TRUE once queued */
  GHashTable   *hidden_refs; /* ref index + 1 of slots left out */
  GArray       *queue;       /* of Queued, breadth first; `head` is the next one */
  guint         head;
  guint         budget;      /* objects the picture may still draw */
  GHashTable   *garbage;     /* live objects no root reaches, or NULL when none */
  guint32       type_key[TYPE_CACHE];
  guint         type_bits[TYPE_CACHE];
  guint         n_types;
} Builder;

static guint
type_bits_of_name (const char *type)
{
  guint bits = 0;

  if (type_is_hidden (type))
    bits |= TYPE_HIDDEN;
  if (type_is_small_immutable (type))
    bits |= TYPE_SMALL;
  if (g_strcmp0 (type, "type") == 0)
    bits |= TYPE_TYPE;
  if (g_strcmp0 (type, "module") == 0)
    bits |= TYPE_MODULE;
  if (g_strcmp0 (type, "function") == 0)
    bits |= TYPE_FUNC;
  if (g_strcmp0 (type, "list") == 0 || g_strcmp0 (type, "tuple") == 0)
    bits |= TYPE_ITEMS;
  if (g_strcmp0 (type, "dict") == 0)
    bits |= TYPE_DICT;
  if (hs_trace_type_is_set (type))
    bits |= TYPE_SET;
  return bits;
}

static guint
type_bits (Builder *b, const HsTraceObject *o)
{
  guint32 key = (o->flags & HS_TRACE_OBJ_UNKNOWN) ? G_MAXUINT32 : o->type_name;
  guint bits;

  for (guint i = 0; i < b->n_types; i++)
    if (b->type_key[i] == key)
      return b->type_bits[i];
  bits = type_bits_of_name (hs_trace_model_type_name (b->model, o));
  if (b->n_types < TYPE_CACHE)
    {
      b->type_key[b->n_types] = key;
      b->type_bits[b->n_types++] = bits;
    }
  return bits;
}

/* References that only clutter the picture: a function's globals and code, an
 * instance's class, a dict's hold on a key that its slot label shows in full (a
 * str, a number...).  A set's keys are its elements, and are drawn; so is a dict's
 * key that is an object in its own right (an instance, a tuple), or its count
 * would have no arrow to explain it. */
static gboolean
ref_is_hidden (Builder *b, const HsTraceRef *ref, guint holder_bits)
{
  const HsTraceObject *key;
  const char *name;

  switch (ref->holder_kind)
    {
    case HS_HOLDER_KEY:
      if (holder_bits & TYPE_SET)
        return FALSE;
      if (!(holder_bits & TYPE_DICT))
        return TRUE;
      key = hs_trace_model_lookup_object (b->model, ref->target);
      return key == NULL || (type_bits (b, key) & TYPE_SMALL);
    case HS_HOLDER_CONST:
    case HS_HOLDER_RUNTIME:
      return TRUE;
    case HS_HOLDER_INTERNAL:
      name = ref->name ? hs_trace_string (hs_trace_model_get_trace (b->model), ref->name - 1) : NULL;
      return name != NULL && (g_str_equal (name, "__globals__") || g_str_equal (name, "__code__")
                              || g_str_equal (name, "__class__") || g_str_equal (name, "__builtins__")
                              || g_str_equal (name, "__name__") || g_str_equal (name, "__qualname__")
                              || g_str_equal (name, "__module__") || g_str_equal (name, "__doc__"));
    default:
      return FALSE;
    }
}

static GArray *
refs_of (Builder *b, HsId holder)
{
  return g_hash_table_lookup (b->by_holder, GSIZE_TO_POINTER ((gsize) holder));
}

/* The object if the picture draws it, else NULL. */
static const HsTraceObject *
visible_object (Builder *b, HsId id)
{
  const HsTraceObject *o;
  guint bits;

  if (id == 0 || g_hash_table_contains (b->hidden, GSIZE_TO_POINTER ((gsize) id)))
    return NULL;
  o = hs_trace_model_lookup_object (b->model, id);
  if (o == NULL)
    return NULL;
  if (o->flags & HS_TRACE_OBJ_ROOT)
    return NULL;
  bits = type_bits (b, o);
  if (bits & TYPE_HIDDEN)
    return NULL;
  /* Builtin classes (int, list, ...) are immortal types: not part of the program's heap. */
  if ((o->flags & HS_TRACE_OBJ_IMMORTAL) && (bits & TYPE_TYPE))
    return NULL;
  return o;
}

static gboolean
object_visible (Builder *b, HsId id)
{
  return visible_object (b, id) != NULL;
}

/* Queues o once: to be drawn while the budget lasts and `draw` allows, else only
 * to be counted (and what it holds with it). */
static void
enqueue_visible (Builder *b, const HsTraceObject *o, gboolean draw)
{
  Queued q = { o->id, o, draw && b->budget > 0 };

  if (!g_hash_table_add (b->shown, GSIZE_TO_POINTER ((gsize) o->id)))
    return;
  if (q.draw)
    b->budget--;
  g_array_append_val (b->queue, q);
}

static void
enqueue (Builder *b, HsId id)
{
  const HsTraceObject *o = visible_object (b, id);

  if (o != NULL)
    enqueue_visible (b, o, TRUE);
}

static int
compare_refs_by_slot (gconstpointer a, gconstpointer b, gpointer user_data)
{
  HsTraceModel *model = user_data;
  gint order = hs_trace_ref_compare (hs_trace_model_get_ref (model, *(const guint *) a),
                                     hs_trace_model_get_ref (model, *(const guint *) b));

  if (order != 0)
    return order;
  return *(const guint *) a < *(const guint *) b ? -1 : 1;
}

/* Decimal text of `v` into `buf` (at least 24 bytes): no printf for each of 10,000 objects. */
static const char *
format_int (char *buf, gsize size, gint64 v)
{
  char *p = buf + size;
  guint64 u = v < 0 ? -(guint64) v : (guint64) v;

  *--p = '\0';
  do
    {
      *--p = (char) ('0' + u % 10);
      u /= 10;
    }
  while (u != 0);
  if (v < 0)
    *--p = '-';
  return p;
}

static const char *
badge_for (const HsTraceObject *o, char *buf, gsize size)
{
  if (o->flags & HS_TRACE_OBJ_IMMORTAL)
    return _("cached");
  if (o->state != HS_TRACE_ALIVE)
    return "0";
  return format_int (buf, size, o->refcnt);
}

/* hs_trace_model_ref_label, without an allocation for list items (the bulk of a big heap). */
static const char *
slot_label (HsTraceModel *model, const HsTraceRef *r, char *buf, gsize size, char **owned)
{
  const char *digits;
  gsize n;

  if (r->holder_kind != HS_HOLDER_ITEM || r->slot > G_MAXINT64)
    return *owned = hs_trace_model_ref_label (model, r);
  digits = format_int (buf, size - 1, (gint64) r->slot);
  n = strlen (digits);
  memmove (buf + 1, digits, n);
  buf[0] = '[';
  buf[n + 1] = ']';
  buf[n + 2] = '\0';
  return buf;
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
               guint       bits,
               GArray     *own)
{
  g_autofree char *name = NULL;

  if (bits & TYPE_FUNC)
    {
      name = internal_name (b, own, "__qualname__");
      if (name == NULL)
        name = internal_name (b, own, "__name__");
      return name != NULL ? g_strdup_printf ("%s()", name) : NULL;
    }
  if (bits & TYPE_TYPE)
    {
      name = internal_name (b, own, "__qualname__");
      if (name == NULL)
        name = internal_name (b, own, "__name__");
      return name != NULL ? g_strdup_printf ("class %s", name) : NULL;
    }
  return NULL;
}

/* The references a container's items are: a list's or tuple's items, a dict's values, a
 * set's keys.  FALSE for a type that is no container. */
static gboolean
counted_kind (guint         bits,
              HsHolderKind *kind)
{
  if (bits & TYPE_ITEMS)
    *kind = HS_HOLDER_ITEM;
  else if (bits & TYPE_DICT)
    *kind = HS_HOLDER_VALUE;
  else if (bits & TYPE_SET)
    *kind = HS_HOLDER_KEY;
  else
    return FALSE;
  return TRUE;
}

/* "empty" or "3 items". */
static char *
items_text (guint n)
{
  if (n == 0)
    return g_strdup (_("empty"));
  return g_strdup_printf (ngettext ("%u item", "%u items", n), n);
}

/* A container's size as it is now (the short text recorded at allocation is stale). */
static char *
container_text (Builder    *b,
                guint       bits,
                GArray     *own)
{
  HsHolderKind counted;
  guint n = 0;

  if (!counted_kind (bits, &counted))
    return NULL;
  for (guint i = 0; own != NULL && i < own->len; i++)
    if (hs_trace_model_get_ref (b->model, g_array_index (own, guint, i))->holder_kind == counted)
      n++;
  return items_text (n);
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

/* What ref `ref_index` of a box of type `bits` leads to, when the picture draws
 * that ref as a slot; else NULL. */
static const HsTraceObject *
slot_target (Builder *b, guint ref_index, guint bits)
{
  const HsTraceRef *r = hs_trace_model_get_ref (b->model, ref_index);

  if (ref_is_hidden (b, r, bits)
      || (g_hash_table_size (b->hidden_refs) > 0
          && g_hash_table_contains (b->hidden_refs, GUINT_TO_POINTER (ref_index + 1))))
    return NULL;
  return visible_object (b, r->target);
}

/* The refs a box of type `bits` draws as slots, from the holder's refs `own`:
 * a class's namespace, or `own` itself; NULL if it draws none. */
static GArray *
slot_refs (Builder *b, guint bits, GArray *own)
{
  /* A module is one box: its namespace is the runtime's business. */
  if (own == NULL || (bits & TYPE_MODULE))
    return NULL;
  /* A class shows what its body defined (methods, class attributes) as its own
   * slots, not the machinery of its namespace dict. */
  if (bits & TYPE_TYPE)
    return class_namespace_refs (b, own);
  return own;
}

static unsigned
flags_for (Builder *b, const HsTraceObject *o, const HsDiagramOptions *options)
{
  guint8 gc = hs_trace_model_object_gc_flags (b->model, o);
  unsigned flags = 0;

  if (o->flags & HS_TRACE_OBJ_IMMORTAL)
    flags |= HS_DIAGRAM_CACHED;
  if (type_bits (b, o) & TYPE_SMALL)
    {
      const char *text = hs_trace_model_describe (b->model, o);

      if (text == NULL || strnlen (text, 13) <= 12)
        flags |= HS_DIAGRAM_INLINABLE;
    }
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

/* `t` is the target, looked up already. */
static HsLayoutRefKind
ref_kind_to (Builder *b, const HsTraceRef *ref, const HsTraceObject *t)
{
  if (ref->holder_kind == HS_HOLDER_STACK)
    return HS_LAYOUT_REF_TEMPORARY;
  if (t != NULL && (type_bits (b, t) & TYPE_SMALL))
    return HS_LAYOUT_REF_INLINE;
  return HS_LAYOUT_REF_NORMAL;
}

static HsLayoutRefKind
ref_kind_for (Builder *b, const HsTraceRef *ref)
{
  return ref_kind_to (b, ref, hs_trace_model_lookup_object (b->model, ref->target));
}

/* Puts the refs in compare_refs_by_slot's order.  A list's items (slots 0..n-1, each
 * once) go straight to their place: a comparison sort of a 10,000-item list on
 * every step costs more than the rest of its picture. */
static void
sort_refs (HsTraceModel *model, GArray *own)
{
  guint n = own->len;
  guint *placed;

  if (n < 2)
    return;
  placed = g_new (guint, n);
  memset (placed, 0xff, n * sizeof (guint));
  for (guint i = 0; i < n; i++)
    {
      guint index = g_array_index (own, guint, i);
      const HsTraceRef *r = hs_trace_model_get_ref (model, index);

      if (r->holder_kind != HS_HOLDER_ITEM || r->slot >= n || placed[r->slot] != G_MAXUINT)
        {
          g_free (placed);
          g_array_sort_with_data (own, compare_refs_by_slot, model);
          return;
        }
      placed[r->slot] = index;
    }
  memcpy (own->data, placed, n * sizeof (guint));
  g_free (placed);
}

guint
hs_diagram_build_from_model (HsDiagram              *diagram,
                             HsTraceModel           *model,
                             const HsDiagramOptions *options,
                             GArray                 *ids,
                             guint                  *n_drawn)
{
  HsDiagramOptions defaults;
  Builder b = { .model = model };
  HsId globals = 0, current;
  guint n_refs, n_frames, n_objects, total, drawn;

  g_return_val_if_fail (diagram != NULL, 0);
  g_return_val_if_fail (HS_IS_TRACE_MODEL (model), 0);

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
  b.queue = g_array_new (FALSE, FALSE, sizeof (Queued));
  b.budget = options->max_objects;

  n_refs = hs_trace_model_get_n_refs (model);
  {
    /* Refs mostly come grouped by holder (a big list's items in a row):
     * the previous ref's list is found again without hashing. */
    GArray *last_list = NULL;
    HsId last_holder = 0;

    for (guint i = 0; i < n_refs; i++)
      {
        const HsTraceRef *r = hs_trace_model_get_ref (model, i);
        gpointer key = GSIZE_TO_POINTER ((gsize) r->holder);
        GArray *list = last_list != NULL && r->holder == last_holder
                       ? last_list : g_hash_table_lookup (b.by_holder, key);

        if (list == NULL)
          {
            list = g_array_new (FALSE, FALSE, sizeof (guint));
            g_hash_table_insert (b.by_holder, key, list);
          }
        last_list = list;
        last_holder = r->holder;
        g_array_append_val (list, i);
        if (r->holder_kind == HS_HOLDER_GLOBAL)
          globals = r->holder;
      }
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
      /* Variables in the order they were bound (the model's own order is not kept). */
      g_array_sort_with_data (rows, compare_refs_by_slot, model);

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
  {
    /* One pass over the heap rather than a question per object (in model order). */
    g_autoptr(GArray) garbage = hs_trace_model_garbage (model);

    n_objects = garbage->len;
    for (guint i = 0; i < n_objects; i++)
      {
        HsId id = g_array_index (garbage, HsId, i);
        const HsTraceObject *o = hs_trace_model_lookup_object (model, id);

        if (b.garbage == NULL)
          b.garbage = g_hash_table_new (NULL, NULL);
        g_hash_table_add (b.garbage, GSIZE_TO_POINTER ((gsize) id));
        if (o != NULL && !(o->flags & (HS_TRACE_OBJ_IMMORTAL | HS_TRACE_OBJ_ROOT))
            && !g_hash_table_contains (b.shown, GSIZE_TO_POINTER ((gsize) id)))
          enqueue (&b, id);
      }
  }
  for (guint i = 0; i < hs_trace_model_get_n_freed (model); i++)
    enqueue (&b, hs_trace_model_get_freed (model, i)->id);

  /* Breadth first from the frames: each object then its slots.  Past the budget,
   * objects are only counted. */
  while (b.head < b.queue->len)
    {
      const Queued *q = &g_array_index (b.queue, Queued, b.head++);
      HsId id = q->id;
      const HsTraceObject *o = q->obj;
      gboolean draw = q->draw;
      GArray *own = refs_of (&b, id);
      guint n_slots = 0, n_more = 0;
      char badge_buf[24];
      const char *badge;
      g_autofree char *note = NULL;
      g_autofree char *value = NULL;
      const char *type;
      guint bits;
      unsigned flags;
      size_t index;
      guint8 gc;

      if (o == NULL)
        continue;
      if (!draw)
        {
          bits = type_bits (&b, o);
          own = slot_refs (&b, bits, own);
          for (guint i = 0; own != NULL && i < own->len; i++)
            {
              const HsTraceObject *t = slot_target (&b, g_array_index (own, guint, i), bits);
              if (t != NULL)
                enqueue_visible (&b, t, FALSE);
            }
          continue;
        }
      flags = flags_for (&b, o, options);
      if (!(o->flags & HS_TRACE_OBJ_IMMORTAL) && o->state == HS_TRACE_ALIVE
          && b.garbage != NULL && g_hash_table_contains (b.garbage, GSIZE_TO_POINTER ((gsize) id)))
        flags |= HS_DIAGRAM_GARBAGE;
      badge = badge_for (o, badge_buf, sizeof badge_buf);
      type = hs_trace_model_type_name (model, o);
      bits = type_bits (&b, o);
      value = container_text (&b, bits, own);
      if (value == NULL)
        value = callable_text (&b, bits, own);
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

      own = slot_refs (&b, bits, own);
      if (own == NULL)
        continue;
      sort_refs (model, own);
      for (guint i = 0; i < own->len; i++)
        {
          guint ref_index = g_array_index (own, guint, i);
          const HsTraceRef *r = hs_trace_model_get_ref (model, ref_index);
          const HsTraceObject *t = slot_target (&b, ref_index, bits);
          char label_buf[32];
          g_autofree char *owned = NULL;
          const char *label;

          if (t == NULL)
            continue;
          /* A huge container: its first slots, then a count; what the rest hold is
           * counted, not drawn (no arrow would lead to it). */
          if (n_slots == HS_DIAGRAM_MAX_SLOTS)
            {
              n_more++;
              enqueue_visible (&b, t, FALSE);
              continue;
            }
          n_slots++;
          label = slot_label (model, r, label_buf, sizeof label_buf, &owned);
          hs_diagram_add_slot (diagram, label, r->target, ref_kind_to (&b, r, t));
          enqueue_visible (&b, t, TRUE);
        }
      if (n_more > 0)
        hs_diagram_object_set_more_rows (diagram, index, n_more);
    }

  /* Returned frames, greyed after the live ones: arrows to what is still drawn,
   * the last value as text for what is gone. */
  for (guint f = 0; options->finished != NULL && f < options->finished->len; f++)
    {
      const HsFinishedFrame *ff = g_ptr_array_index (options->finished, f);

      hs_diagram_add_frame (diagram, ff->id, ff->name, HS_DIAGRAM_FINISHED);
      for (guint i = 0; i < ff->targets->len; i++)
        {
          HsId target = g_array_index (ff->targets, HsId, i);
          const char *label = g_ptr_array_index (ff->labels, i);

          if (g_hash_table_contains (b.shown, GSIZE_TO_POINTER ((gsize) target)))
            {
              const HsTraceObject *t = hs_trace_model_lookup_object (model, target);
              HsLayoutRefKind kind = t != NULL && type_is_small_immutable (hs_trace_model_type_name (model, t))
                                     ? HS_LAYOUT_REF_INLINE : HS_LAYOUT_REF_NORMAL;
              hs_diagram_add_variable (diagram, label, target, kind);
            }
          else
            {
              g_autofree char *text = g_strdup_printf ("%s = %s", label,
                                                       (const char *) g_ptr_array_index (ff->values, i));
              hs_diagram_add_variable (diagram, text, 0, HS_LAYOUT_REF_NORMAL);
            }
        }
    }

  total = drawn = 0;
  for (guint i = 0; i < b.queue->len; i++)
    {
      const Queued *q = &g_array_index (b.queue, Queued, i);

      if (q->obj->state == HS_TRACE_ALIVE)
        {
          total++;
          drawn += q->draw;
        }
    }
  if (n_drawn != NULL)
    *n_drawn = drawn;
  g_array_unref (b.queue);
  g_clear_pointer (&b.garbage, g_hash_table_unref);
  g_hash_table_unref (b.shown);
  g_hash_table_unref (b.hidden_refs);
  g_hash_table_unref (b.hidden);
  g_hash_table_unref (b.by_holder);
  return total;
}

char *
hs_diagram_describe_object (HsTraceModel *model,
                            HsId          id)
{
  const HsTraceObject *o = hs_trace_model_lookup_object (model, id);
  const char *type, *value;
  HsHolderKind counted;
  GString *s;

  if (o == NULL)
    return g_strdup (_("no object"));
  type = hs_trace_model_type_name (model, o);
  value = hs_trace_model_describe (model, o);
  s = g_string_new (type);
  if (o->state == HS_TRACE_ALIVE && counted_kind (type_bits_of_name (type), &counted))
    {
      /* A container's text was taken when it was made, empty: count what it holds now. */
      g_autoptr(GArray) out = hs_trace_model_referents (model, id);
      g_autofree char *items = NULL;
      guint n = 0;

      for (guint i = 0; i < out->len; i++)
        n += g_array_index (out, HsTraceRef, i).holder_kind == counted;
      items = items_text (n);
      g_string_append_printf (s, ", %s", items);
    }
  else if (value != NULL && *value != '\0')
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
