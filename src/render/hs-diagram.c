/* hs-diagram.c — the drawable description of one step: frames, objects, rows. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "hs-render-private.h"

#include <stdlib.h>
#include <string.h>

static uint32_t
str_add (HsDiagram *d, const char *s)
{
  size_t n;
  uint32_t off;

  if (s == NULL)
    return HS_NOSTR;
  n = strlen (s) + 1;
  if (d->n_str + n > d->cap_str)
    {
      size_t cap = d->cap_str ? d->cap_str : 4096;
      char *p;

      while (cap < d->n_str + n)
        cap *= 2;
      p = realloc (d->str, cap);
      if (p == NULL)
        abort ();
      d->str = p;
      d->cap_str = cap;
    }
  memcpy (d->str + d->n_str, s, n);
  off = (uint32_t) d->n_str;
  d->n_str += n;
  return off;
}

static void *
grow_array (void *p, size_t *cap, size_t need, size_t elem)
{
  size_t n;

  if (need <= *cap)
    return p;
  n = *cap ? *cap * 2 : 64;
  while (n < need)
    n *= 2;
  p = realloc (p, n * elem);
  if (p == NULL)
    abort ();
  *cap = n;
  return p;
}

HsDiagram *
hs_diagram_new (void)
{
  HsDiagram *d = calloc (1, sizeof (HsDiagram));

  if (d == NULL)
    return NULL;
  d->max_rows = 8;
  d->graph = hs_layout_graph_new ();
  return d;
}

void
hs_diagram_free (HsDiagram *d)
{
  if (d == NULL)
    return;
  free (d->frames);
  free (d->objects);
  free (d->rows);
  free (d->str);
  free (d->graph_to_obj);
  free (d->ref_row);
  hs_layout_graph_free (d->graph);
  free (d);
}

void
hs_diagram_clear (HsDiagram *d)
{
  d->n_frames = d->n_objects = d->n_rows = 0;
  d->n_str = 0;
  d->n_offsets = 0;
  d->built = false;
  hs_layout_graph_clear (d->graph);
}

void
hs_diagram_set_inline (HsDiagram *d, bool inline_small)
{
  d->inline_small = inline_small;
  d->built = false;
}

void
hs_diagram_set_max_rows (HsDiagram *d, unsigned max_rows)
{
  d->max_rows = max_rows < 2 ? 2 : max_rows;
  d->built = false;
}

static HsDNode *
node_new (HsDiagram *d, bool frame, size_t *index)
{
  HsDNode *n;

  if (frame)
    {
      d->frames = grow_array (d->frames, &d->cap_frames, d->n_frames + 1,
                              sizeof (HsDNode));
      *index = d->n_frames;
      n = &d->frames[d->n_frames++];
    }
  else
    {
      d->objects = grow_array (d->objects, &d->cap_objects, d->n_objects + 1,
                               sizeof (HsDNode));
      *index = d->n_objects;
      n = &d->objects[d->n_objects++];
    }
  memset (n, 0, sizeof *n);
  n->frame = frame;
  n->name = n->value = n->badge = n->note = n->pulse = HS_NOSTR;
  n->alpha = 1;
  n->first_row = (uint32_t) d->n_rows;
  n->graph = -1;
  d->built = false;
  return n;
}

size_t
hs_diagram_add_frame (HsDiagram *d, HsLayoutId id, const char *function_name,
                      unsigned flags)
{
  size_t i;
  HsDNode *n = node_new (d, true, &i);

  n->id = id;
  n->flags = flags;
  n->name = str_add (d, function_name ? function_name : "?");
  d->last_frame = i;
  d->last_is_frame = true;
  return i;
}

size_t
hs_diagram_add_object (HsDiagram *d, HsLayoutId id, const char *type_name,
                       const char *value_text, const char *badge_text,
                       unsigned flags)
{
  size_t i;
  HsDNode *n = node_new (d, false, &i);
  uint32_t name, value, badge;

  /* str_add may move d->str, never d->objects. */
  name = str_add (d, type_name ? type_name : "object");
  value = str_add (d, value_text && *value_text ? value_text : NULL);
  badge = str_add (d, badge_text);
  n = &d->objects[i];
  n->id = id;
  n->flags = flags;
  n->name = name;
  n->value = value;
  n->badge = badge;
  n->kind = hs_render_kind_for_type (d->str + name);
  d->last_is_frame = false;
  return i;
}

static void
row_add (HsDiagram *d, const char *label, HsLayoutId target,
         HsLayoutRefKind kind, bool temporary)
{
  HsDNode *owner;
  HsDRow *r;
  uint32_t lab;

  if (d->last_is_frame ? d->n_frames == 0 : d->n_objects == 0)
    return;
  lab = str_add (d, label);
  d->rows = grow_array (d->rows, &d->cap_rows, d->n_rows + 1, sizeof (HsDRow));
  r = &d->rows[d->n_rows++];
  r->label = lab;
  r->target = target;
  r->kind = (uint8_t) kind;
  r->temporary = temporary;
  r->edge = -1;
  r->inline_obj = -1;
  owner = d->last_is_frame ? &d->frames[d->last_frame]
                           : &d->objects[d->n_objects - 1];
  r->owner_frame = d->last_is_frame;
  r->owner = (int32_t) (d->last_is_frame ? d->last_frame : d->n_objects - 1);
  r->target_obj = -1;
  r->shown = 0;
  owner->n_rows++;
  if (temporary)
    owner->n_temps++;
  d->built = false;
}

void
hs_diagram_add_variable (HsDiagram *d, const char *name, HsLayoutId target,
                         HsLayoutRefKind kind)
{
  if (!d->last_is_frame)
    return;
  row_add (d, name, target, kind, false);
}

void
hs_diagram_add_temporary (HsDiagram *d, HsLayoutId target)
{
  if (!d->last_is_frame)
    return;
  row_add (d, NULL, target, HS_LAYOUT_REF_TEMPORARY, true);
}

void
hs_diagram_add_slot (HsDiagram *d, const char *label, HsLayoutId target,
                     HsLayoutRefKind kind)
{
  if (d->last_is_frame)
    return;
  row_add (d, label, target, kind, false);
}

void
hs_diagram_object_set_alpha (HsDiagram *d, size_t object, double alpha)
{
  if (object < d->n_objects)
    d->objects[object].alpha = (float) (alpha < 0 ? 0 : alpha > 1 ? 1 : alpha);
}

void
hs_diagram_object_set_offset (HsDiagram *d, size_t object, double dx, double dy)
{
  if (object < d->n_objects)
    {
      HsDNode *n = &d->objects[object];
      bool was = n->dx != 0 || n->dy != 0;

      n->dx = (float) dx;
      n->dy = (float) dy;
      if (was != (n->dx != 0 || n->dy != 0))
        d->n_offsets += was ? (size_t) -1 : 1;
    }
}

void
hs_diagram_object_set_more_rows (HsDiagram *d, size_t object, unsigned n)
{
  if (object < d->n_objects)
    d->objects[object].more_rows = n;
}

void
hs_diagram_object_set_note (HsDiagram *d, size_t object, const char *note)
{
  if (object < d->n_objects)
    {
      uint32_t s = str_add (d, note);

      d->objects[object].note = s;
    }
}

void
hs_diagram_object_set_pulse (HsDiagram *d, size_t object,
                             const char *delta_text, double strength)
{
  if (object < d->n_objects)
    {
      uint32_t s = str_add (d, delta_text);

      d->objects[object].pulse = s;
      d->objects[object].pulse_strength = (float) strength;
    }
}

void
hs_diagram_object_set_flags (HsDiagram *d, size_t object, unsigned flags)
{
  if (object < d->n_objects)
    {
      /* Changing the inline state changes the graph. */
      if ((d->objects[object].flags ^ flags) & HS_DIAGRAM_INLINABLE)
        d->built = false;
      d->objects[object].flags = flags;
    }
}

size_t
hs_diagram_n_objects (const HsDiagram *d)
{
  return d->n_objects;
}

size_t
hs_diagram_n_frames (const HsDiagram *d)
{
  return d->n_frames;
}

char *
hs_diagram_rows_text (const HsDiagram *d, bool frame, size_t index)
{
  const HsDNode *n;
  size_t len = 1, at = 0;
  char *text;

  if (frame ? index >= d->n_frames : index >= d->n_objects)
    return NULL;
  n = frame ? &d->frames[index] : &d->objects[index];
  for (uint32_t r = 0; r < n->n_rows; r++)
    {
      uint32_t label = d->rows[n->first_row + r].label;
      len += (label != HS_NOSTR ? strlen (d->str + label) : 0) + 1;
    }
  text = malloc (len);
  if (text == NULL)
    return NULL;
  for (uint32_t r = 0; r < n->n_rows; r++)
    {
      uint32_t label = d->rows[n->first_row + r].label;
      size_t k = label != HS_NOSTR ? strlen (d->str + label) : 0;

      if (k > 0)
        memcpy (text + at, d->str + label, k);
      at += k;
      text[at++] = '\n';
    }
  text[at] = '\0';
  return text;
}

HsLayoutId
hs_diagram_object_id (const HsDiagram *d, size_t object)
{
  return object < d->n_objects ? d->objects[object].id : 0;
}

size_t
hs_diagram_object_for_graph (const HsDiagram *d, size_t graph_index)
{
  if (!d->built || graph_index >= d->n_graph_obj)
    return (size_t) -1;
  return d->graph_to_obj[graph_index];
}

size_t
hs_diagram_graph_for_object (const HsDiagram *d, size_t object)
{
  if (!d->built || object >= d->n_objects || d->objects[object].graph < 0)
    return (size_t) -1;
  return (size_t) d->objects[object].graph;
}
