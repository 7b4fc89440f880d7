/* hs-render.c — measure and draw a heap diagram with Cairo and Pango. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "hs-render-private.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>
#include <pango/pangocairo.h>
#include <cairo-pdf.h>
#include <cairo-svg.h>

/* ------------------------------------------------------------ palette */

typedef struct
{
  double r, g, b;
} Rgb;

#define RGB(hex) { ((hex) >> 16 & 0xff) / 255.0, ((hex) >> 8 & 0xff) / 255.0, ((hex) & 0xff) / 255.0 }

typedef struct
{
  Rgb bg, text, text_dim, edge, edge_temp, highlight, select;
  Rgb frame_fill, frame_header, frame_border, frame_current;
  Rgb badge_fill, badge_text, cached_border, cached_text;
  Rgb garbage, freed, gc_tag, plus, minus, row_line, port;
  Rgb fill[HS_N_KINDS], header[HS_N_KINDS], border[HS_N_KINDS];
} Palette;

static const Palette palette_light = {
  .bg = RGB (0xfafaf8), .text = RGB (0x1f2328), .text_dim = RGB (0x6a7178),
  .edge = RGB (0x3b4754), .edge_temp = RGB (0x7d8790),
  .highlight = RGB (0xe8590c), .select = RGB (0x1c71d8),
  .frame_fill = RGB (0xffffff), .frame_header = RGB (0xe9ecef),
  .frame_border = RGB (0x9aa3ab), .frame_current = RGB (0x1c71d8),
  .badge_fill = RGB (0x2e3440), .badge_text = RGB (0xffffff),
  .cached_border = RGB (0x8a929a), .cached_text = RGB (0x4d555d),
  .garbage = RGB (0xc01c28), .freed = RGB (0x77767b), .gc_tag = RGB (0x613583),
  .plus = RGB (0x26a269), .minus = RGB (0xc01c28),
  .row_line = RGB (0xd8dde2), .port = RGB (0x3b4754),
  .fill = { RGB (0xeef4fd), RGB (0xedf7ef), RGB (0xfff6e8), RGB (0xf5eefd),
            RGB (0xe9f6f6), RGB (0xfdeef3), RGB (0xf2f2f2), RGB (0xf0f2f5),
            RGB (0xfcf7e1), RGB (0xf3efe9) },
  .header = { RGB (0xcfe0fb), RGB (0xcdebd4), RGB (0xffe2b8), RGB (0xe2d2fa),
              RGB (0xc2e8e8), RGB (0xf9cddc), RGB (0xdcdcdc), RGB (0xd9dee6),
              RGB (0xf3e7ad), RGB (0xe2d9cb) },
  .border = { RGB (0x4a6fa5), RGB (0x3d7a4f), RGB (0xb06d14), RGB (0x7b4fb0),
              RGB (0x2d7f84), RGB (0xa8466b), RGB (0x7c7c7c), RGB (0x5a6270),
              RGB (0x8a7520), RGB (0x7a6a55) },
};

static const Palette palette_dark = {
  .bg = RGB (0x1e1f22), .text = RGB (0xe8e8e8), .text_dim = RGB (0xa0a6ad),
  .edge = RGB (0xb8c2cc), .edge_temp = RGB (0x7f8891),
  .highlight = RGB (0xffa348), .select = RGB (0x78aeed),
  .frame_fill = RGB (0x2a2c30), .frame_header = RGB (0x383b40),
  .frame_border = RGB (0x6b737b), .frame_current = RGB (0x78aeed),
  .badge_fill = RGB (0xe8e8e8), .badge_text = RGB (0x1e1f22),
  .cached_border = RGB (0x8f979f), .cached_text = RGB (0xc0c6cc),
  .garbage = RGB (0xff7b72), .freed = RGB (0x9a9996), .gc_tag = RGB (0xc9a0f0),
  .plus = RGB (0x57e389), .minus = RGB (0xff7b72),
  .row_line = RGB (0x40444a), .port = RGB (0xb8c2cc),
  .fill = { RGB (0x1f2b3d), RGB (0x1d3024), RGB (0x3a2c17), RGB (0x2d2240),
            RGB (0x193333), RGB (0x3a1f2a), RGB (0x2c2c2c), RGB (0x262a30),
            RGB (0x35301a), RGB (0x302b25) },
  .header = { RGB (0x2c4468), RGB (0x2a4d35), RGB (0x5c4219), RGB (0x46326a),
              RGB (0x225252), RGB (0x5e2c40), RGB (0x3d3d3d), RGB (0x363c46),
              RGB (0x544a22), RGB (0x4a4135) },
  .border = { RGB (0x8fb3ea), RGB (0x7fcf96), RGB (0xf0b35e), RGB (0xbf9af0),
              RGB (0x6fd0d4), RGB (0xef93b4), RGB (0xa8a8a8), RGB (0x9aa3b0),
              RGB (0xd8c25e), RGB (0xc2b39b) },
};

HsKind
hs_render_kind_for_type (const char *t)
{
  static const struct { const char *name; HsKind kind; } map[] = {
    { "int", HS_KIND_NUMBER }, { "float", HS_KIND_NUMBER },
    { "bool", HS_KIND_NUMBER }, { "complex", HS_KIND_NUMBER },
    { "str", HS_KIND_STR }, { "bytes", HS_KIND_STR },
    { "list", HS_KIND_LIST }, { "tuple", HS_KIND_TUPLE },
    { "dict", HS_KIND_DICT }, { "set", HS_KIND_SET },
    { "frozenset", HS_KIND_SET }, { "NoneType", HS_KIND_NONE },
    { "function", HS_KIND_CALLABLE }, { "builtin_function_or_method", HS_KIND_CALLABLE },
    { "method", HS_KIND_CALLABLE }, { "code", HS_KIND_CALLABLE },
    { "cell", HS_KIND_CALLABLE }, { "type", HS_KIND_CLASS },
    { "module", HS_KIND_CLASS },
  };

  for (size_t i = 0; i < G_N_ELEMENTS (map); i++)
    if (strcmp (t, map[i].name) == 0)
      return map[i].kind;
  return HS_KIND_OTHER;
}

/* Immutable values get round corners, mutable containers square ones, so
 * the two read differently without colour. */
static double
kind_radius (uint8_t kind)
{
  switch (kind)
    {
    case HS_KIND_NUMBER: case HS_KIND_STR: case HS_KIND_TUPLE: case HS_KIND_NONE:
      return 9;
    default:
      return 2.5;
    }
}

/* ------------------------------------------------------------ text cache */

/* Text whose line is shorter than this on the device cannot be read: it is
 * drawn as a faint bar instead ("greeking"), as map and PCB viewers do. */
#define HS_R_GREEK_PX 4.5

typedef enum
{
  ROLE_HEADER, ROLE_VALUE, ROLE_LABEL, ROLE_BADGE, ROLE_FRAME, ROLE_TAG,
  ROLE_INLINE, N_ROLES
} Role;

/* A run of shaped glyphs, ready for cairo_show_glyphs: drawing text this
 * way skips Pango's renderer, several times faster for short labels. */
typedef struct
{
  cairo_scaled_font_t *font;
  cairo_glyph_t *glyphs;
  int n;
} GlyphRun;

typedef struct
{
  PangoLayout *layout;
  double w, h;
  GlyphRun *runs;
  int n_runs;                   /* -1: draw through Pango */
  /* Its key in the cache: role and string (kept inline, one cache line
   * fewer to fetch on a hit). */
  size_t len;
  Role role;
  char s[];
} Text;

/* A slot of the text cache: the hash, and a short string whole, beside the
 * pointer, so that most lookups never touch the Text (one cache miss
 * fewer per label on a big heap whose labels are mostly short). */
#define TEXT_HEAD 9

typedef struct
{
  uint64_t hash;
  Text *t;
  float w;                      /* t->w: exact, Pango units are integers */
  uint16_t len;                 /* capped; the Text has the real one */
  uint8_t role;
  char head[TEXT_HEAD];
} TextSlot;

/* A straight run of an edge, drawn as a filled rectangle (see run_add). */
typedef struct
{
  double x, y, w, h;
} Run;

struct HsRender
{
  PangoFontMap *fontmap;
  PangoContext *ctx;
  PangoFontDescription *fonts[N_ROLES];
  /* The text cache, kept across builds and draws: open addressing over
   * (role, string), probed with a hash computed in the same pass as the
   * length (no key to assemble, no second pass to compare). */
  TextSlot *texts;
  size_t cap_texts, n_texts;
  size_t *idx;
  size_t cap_idx;
  size_t *kind_idx;             /* draw_overview's objects grouped by kind */
  size_t cap_kind_idx;
  /* hs_render_build_graph's id -> object index + 1 (0: empty), kept
   * between builds so a step allocates nothing. */
  struct
  {
    HsLayoutId id;
    size_t val;
  } *ids;
  size_t cap_ids;
  double max_w, frame_max_w;
  cairo_glyph_t *scratch;
  int cap_scratch;
  double device_scale;          /* of the draw in progress */
  Run *runs;
  size_t n_runs, cap_runs;
  /* The last text of each role: a diagram mostly repeats it from one box
   * to the next ("int", "1", "[0]"), found again without hashing. */
  struct
  {
    char s[40];
    const Text *t;
  } memo[N_ROLES];
};

static void
text_free (gpointer p)
{
  Text *t = p;

  for (int i = 0; i < t->n_runs; i++)
    {
      cairo_scaled_font_destroy (t->runs[i].font);
      g_free (t->runs[i].glyphs);
    }
  g_free (t->runs);
  g_object_unref (t->layout);
  g_free (t);
}

static void
texts_clear (HsRender *r)
{
  for (size_t i = 0; i < r->cap_texts; i++)
    if (r->texts[i].t != NULL)
      {
        text_free (r->texts[i].t);
        r->texts[i].t = NULL;
      }
  r->n_texts = 0;
}

/* FNV-1a over the role and the bytes, then a final mix; also measures
 * the string. */
static inline uint64_t
text_hash (Role role, const char *s, size_t *len)
{
  uint64_t h = 0xcbf29ce484222325u ^ (uint64_t) role;
  const unsigned char *p = (const unsigned char *) s;

  h *= 0x100000001b3u;
  for (; *p; p++)
    h = (h ^ *p) * 0x100000001b3u;
  *len = (size_t) (p - (const unsigned char *) s);
  /* FNV's multiplications only carry upwards: mix the high bits back into
   * the low ones the table indexes with, or similar labels cluster. */
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdu;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53u;
  return h ^ (h >> 33);
}

static void
texts_insert (HsRender *r, uint64_t hash, Text *t)
{
  size_t mask, i;

  if (2 * (r->n_texts + 1) > r->cap_texts)
    {
      size_t cap = r->cap_texts ? 2 * r->cap_texts : 1024;
      TextSlot *slots = g_new0 (TextSlot, cap);

      for (size_t k = 0; k < r->cap_texts; k++)
        if (r->texts[k].t != NULL)
          {
            for (i = r->texts[k].hash & (cap - 1); slots[i].t != NULL;
                 i = (i + 1) & (cap - 1))
              ;
            slots[i] = r->texts[k];
          }
      g_free (r->texts);
      r->texts = slots;
      r->cap_texts = cap;
    }
  mask = r->cap_texts - 1;
  for (i = hash & mask; r->texts[i].t != NULL; i = (i + 1) & mask)
    ;
  r->texts[i].hash = hash;
  r->texts[i].t = t;
  r->texts[i].w = (float) t->w;
  r->texts[i].len = (uint16_t) MIN (t->len, (size_t) UINT16_MAX);
  r->texts[i].role = (uint8_t) t->role;
  memcpy (r->texts[i].head, t->s, MIN (t->len, (size_t) TEXT_HEAD));
  r->n_texts++;
}

/* Copies the shaped glyphs of a one-line layout, positioned relative to the
 * layout's top-left corner. */
static void
text_extract_glyphs (Text *t)
{
  PangoLayoutIter *it = pango_layout_get_iter (t->layout);
  GArray *runs = g_array_new (FALSE, TRUE, sizeof (GlyphRun));

  do
    {
      PangoLayoutRun *run = pango_layout_iter_get_run_readonly (it);
      PangoRectangle logical;
      PangoGlyphString *gs;
      GlyphRun gr = { 0 };
      double base;
      int x = 0;

      if (run == NULL)
        continue;
      gs = run->glyphs;
      pango_layout_iter_get_run_extents (it, NULL, &logical);
      base = (double) pango_layout_iter_get_baseline (it) / PANGO_SCALE;
      gr.font = pango_cairo_font_get_scaled_font (PANGO_CAIRO_FONT (run->item->analysis.font));
      if (gr.font == NULL)
        goto fallback;
      cairo_scaled_font_reference (gr.font);
      gr.glyphs = g_new (cairo_glyph_t, gs->num_glyphs + 1);
      for (int i = 0; i < gs->num_glyphs; i++)
        {
          PangoGlyphInfo *gi = &gs->glyphs[i];

          if (gi->glyph != PANGO_GLYPH_EMPTY
              && !(gi->glyph & PANGO_GLYPH_UNKNOWN_FLAG))
            {
              cairo_glyph_t *cg = &gr.glyphs[gr.n++];

              cg->index = gi->glyph;
              cg->x = (double) (logical.x + x + gi->geometry.x_offset) / PANGO_SCALE;
              cg->y = base + (double) gi->geometry.y_offset / PANGO_SCALE;
            }
          x += gi->geometry.width;
        }
      g_array_append_val (runs, gr);
    }
  while (pango_layout_iter_next_run (it));
  pango_layout_iter_free (it);
  t->n_runs = (int) runs->len;
  t->runs = (GlyphRun *) (void *) g_array_free (runs, FALSE);
  return;

fallback:
  pango_layout_iter_free (it);
  for (guint i = 0; i < runs->len; i++)
    {
      GlyphRun *gr = &g_array_index (runs, GlyphRun, i);

      cairo_scaled_font_destroy (gr->font);
      g_free (gr->glyphs);
    }
  g_array_free (runs, TRUE);
  t->runs = NULL;
  t->n_runs = -1;
}

HsRender *
hs_render_new (void)
{
  static const char *const font_names[N_ROLES] = {
    "DejaVu Sans, Sans Bold 8.5", "DejaVu Sans Mono, Monospace 9.5",
    "DejaVu Sans Mono, Monospace 8.5", "DejaVu Sans, Sans Bold 7.5",
    "DejaVu Sans, Sans Bold 9", "DejaVu Sans, Sans 7.5",
    "DejaVu Sans Mono, Monospace 8.5",
  };
  HsRender *r = g_new0 (HsRender, 1);
  cairo_font_options_t *fo;
  HsLayoutParams p;

  /* A font map of our own: Pango's default one is per thread anyway, and
   * this keeps the renderer usable from a worker thread. */
  r->fontmap = pango_cairo_font_map_new ();
  r->ctx = pango_font_map_create_context (r->fontmap);
  pango_cairo_context_set_resolution (r->ctx, 96);
  fo = cairo_font_options_create ();
  /* Unhinted metrics: the same widths at every zoom level and on every
   * surface (PNG, SVG, PDF). */
  cairo_font_options_set_hint_metrics (fo, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (fo, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options (r->ctx, fo);
  cairo_font_options_destroy (fo);
  pango_context_set_round_glyph_positions (r->ctx, FALSE);
  for (int i = 0; i < N_ROLES; i++)
    r->fonts[i] = pango_font_description_from_string (font_names[i]);
  hs_layout_params_init (&p);
  r->max_w = p.object_max_width;
  r->frame_max_w = p.frame_width;
  return r;
}

void
hs_render_free (HsRender *r)
{
  if (r == NULL)
    return;
  texts_clear (r);
  g_free (r->texts);
  for (int i = 0; i < N_ROLES; i++)
    pango_font_description_free (r->fonts[i]);
  g_object_unref (r->ctx);
  g_object_unref (r->fontmap);
  g_free (r->idx);
  g_free (r->kind_idx);
  g_free (r->ids);
  g_free (r->scratch);
  g_free (r->runs);
  g_free (r);
}

static const TextSlot *
text_find (const HsRender *r, Role role, const char *s, uint64_t hash,
           size_t len)
{
  size_t mask = r->cap_texts - 1;

  if (r->cap_texts == 0)
    return NULL;
  for (size_t i = hash & mask; r->texts[i].t != NULL; i = (i + 1) & mask)
    {
      const TextSlot *e = &r->texts[i];

      if (e->hash != hash || e->role != role
          || e->len != MIN (len, (size_t) UINT16_MAX))
        continue;
      if (len <= TEXT_HEAD ? memcmp (e->head, s, len) == 0
          : e->t->len == len && memcmp (e->t->s, s, len) == 0)
        return e;
    }
  return NULL;
}

static const Text *
text_get (HsRender *r, Role role, const char *s)
{
  Text *t = NULL;
  const TextSlot *e;
  size_t len;
  uint64_t hash;

  if (r->memo[role].t != NULL && strcmp (r->memo[role].s, s) == 0)
    return r->memo[role].t;
  hash = text_hash (role, s, &len);
  e = text_find (r, role, s, hash, len);
  if (e != NULL)
    t = e->t;
  else
    {
      PangoRectangle logical;
      double limit = 0;

      if (r->n_texts > 60000)
        {
          texts_clear (r);
          memset (r->memo, 0, sizeof r->memo);
        }
      t = g_malloc0 (sizeof (Text) + len + 1);
      t->len = len;
      t->role = role;
      memcpy (t->s, s, len + 1);
      t->layout = pango_layout_new (r->ctx);
      pango_layout_set_font_description (t->layout, r->fonts[role]);
      pango_layout_set_single_paragraph_mode (t->layout, TRUE);
      switch (role)
        {
        case ROLE_VALUE:
          limit = r->max_w - 2 * HS_R_PAD;
          break;
        case ROLE_LABEL:
          limit = r->frame_max_w - 2 * HS_R_PAD - 28;
          break;
        case ROLE_INLINE:
          limit = r->max_w * 0.4;
          break;
        case ROLE_HEADER:
          limit = r->max_w - 2 * HS_R_PAD - 30;
          break;
        case ROLE_FRAME:
          limit = r->frame_max_w - 2 * HS_R_PAD;
          break;
        default:
          break;
        }
      if (limit > 0)
        {
          pango_layout_set_width (t->layout, (int) (limit * PANGO_SCALE));
          pango_layout_set_ellipsize (t->layout, PANGO_ELLIPSIZE_END);
        }
      pango_layout_set_text (t->layout, s, -1);
      pango_layout_get_extents (t->layout, NULL, &logical);
      t->w = (double) logical.width / PANGO_SCALE;
      t->h = (double) logical.height / PANGO_SCALE;
      text_extract_glyphs (t);
      texts_insert (r, hash, t);
    }
  if (len < sizeof r->memo[role].s)
    {
      memcpy (r->memo[role].s, s, len + 1);
      r->memo[role].t = t;
    }
  return t;
}

/* A text's width, for measuring: read from the cache's slot, never
 * touching the Text itself (one cache miss fewer a label). */
static double
text_w (HsRender *r, Role role, const char *s)
{
  const TextSlot *e;
  size_t len;
  uint64_t hash;

  if (r->memo[role].t != NULL && strcmp (r->memo[role].s, s) == 0)
    return r->memo[role].t->w;
  hash = text_hash (role, s, &len);
  e = text_find (r, role, s, hash, len);
  if (e != NULL)
    return e->w;
  return text_get (r, role, s)->w;
}

/* ------------------------------------------------------------ building */

static size_t *
grow_checked_size_array (size_t *p, size_t *cap, size_t need)
{
  size_t n;

  if (need <= *cap)
    return p;
  n = *cap ? *cap * 2 : 64;
  while (n < need)
    n *= 2;
  *cap = n;
  return g_renew (size_t, p, n);
}

static inline const char *
S (const HsDiagram *d, uint32_t off)
{
  return off == HS_NOSTR ? NULL : d->str + off;
}

static void
measure_object (HsRender *r, HsDiagram *d, HsDNode *n)
{
  double w, h;
  uint32_t shown = n->n_rows;
  const char *badge = S (d, n->badge);

  w = HS_R_PAD + text_w (r, ROLE_HEADER, S (d, n->name)) + 12;
  if (n->flags & HS_DIAGRAM_CACHED)
    badge = "cached";
  if (badge)
    w += text_w (r, ROLE_BADGE, badge) + 10;
  /* Room on the right of the header for an arrow coming back. */
  w += 8;
  w += HS_R_PAD;
  h = HS_R_HEADER_H;
  n->hidden_rows = 0;
  if (shown >= d->max_rows)
    shown += n->more_rows;
  if (shown > d->max_rows)
    {
      n->hidden_rows = shown - (d->max_rows - 1);
      shown = d->max_rows;
    }
  if (n->value != HS_NOSTR)
    {
      w = fmax (w, 2 * HS_R_PAD + text_w (r, ROLE_VALUE, S (d, n->value)));
      h += HS_R_VALUE_H;
    }
  n->rows_top = (float) h;
  for (uint32_t i = 0; i < n->n_rows && i < shown; i++)
    {
      HsDRow *row = &d->rows[n->first_row + i];
      double rw = 2 * HS_R_PAD + 18;

      if (n->hidden_rows && i == shown - 1)
        break;
      if (row->label != HS_NOSTR)
        rw += text_w (r, ROLE_LABEL, S (d, row->label));
      if (row->inline_obj >= 0 && d->objects[row->inline_obj].value != HS_NOSTR)
        rw += 10 + text_get (r, ROLE_INLINE,
                             S (d, d->objects[row->inline_obj].value))->w;
      w = fmax (w, rw);
    }
  /* A little space under the last line for the state tags that may sit
   * on the bottom border later (a box never changes size for a state). */
  if (shown)
    h += shown * HS_R_ROW_H + 4;
  else
    h += n->value == HS_NOSTR ? 8 : 4;
  n->shown_rows = shown;
  n->w = (float) fmin (fmax (ceil (w), HS_R_MIN_W), r->max_w);
  n->h = (float) h;
}

static void
measure_frame (HsRender *r, HsDiagram *d, HsDNode *n)
{
  double w = 2 * HS_R_PAD + text_w (r, ROLE_FRAME, S (d, n->name)) + 16;
  uint32_t vars = n->n_rows - n->n_temps;

  for (uint32_t i = 0; i < n->n_rows; i++)
    {
      HsDRow *row = &d->rows[n->first_row + i];
      double rw = 2 * HS_R_PAD + 24;

      if (row->temporary)
        continue;
      if (row->label != HS_NOSTR)
        rw += text_w (r, ROLE_LABEL, S (d, row->label));
      if (row->inline_obj >= 0 && d->objects[row->inline_obj].value != HS_NOSTR)
        rw += 10 + text_get (r, ROLE_INLINE,
                             S (d, d->objects[row->inline_obj].value))->w;
      w = fmax (w, rw);
    }
  n->shown_rows = vars + (n->n_temps ? 1 : 0);
  n->rows_top = (float) HS_R_FRAME_HEADER_H;
  n->h = (float) (HS_R_FRAME_HEADER_H + n->shown_rows * HS_R_ROW_H + 6);
  n->w = (float) fmin (fmax (ceil (w), HS_R_FRAME_MIN_W), r->frame_max_w);
}

static inline size_t
ids_slot (const HsRender *r, HsLayoutId id)
{
  uint64_t z = id * 0x9e3779b97f4a7c15ull;
  size_t mask = r->cap_ids - 1, i;

  for (i = (size_t) (z ^ (z >> 32)) & mask; r->ids[i].val && r->ids[i].id != id;
       i = (i + 1) & mask)
    ;
  return i;
}

/* The object index + 1 of an id (the first object with it), or 0. */
static inline size_t
ids_get (const HsRender *r, HsLayoutId id)
{
  return r->ids[ids_slot (r, id)].val;
}

const HsLayoutGraph *
hs_render_build_graph (HsRender *r, HsDiagram *d)
{
  uint32_t *in_ref, *in_inline;
  HsLayoutGraph *g = d->graph;
  size_t n_graph = 0;
  size_t want = 64;

  hs_layout_graph_clear (g);
  while (want < 2 * d->n_objects + 2)
    want *= 2;
  if (r->cap_ids < want)
    {
      g_free (r->ids);
      r->ids = g_malloc (want * sizeof r->ids[0]);
      r->cap_ids = want;
    }
  memset (r->ids, 0, r->cap_ids * sizeof r->ids[0]);
  for (size_t i = 0; i < d->n_objects; i++)
    {
      size_t k = ids_slot (r, d->objects[i].id);

      if (!r->ids[k].val)
        {
          r->ids[k].id = d->objects[i].id;
          r->ids[k].val = i + 1;
        }
    }
  in_ref = g_new0 (uint32_t, d->n_objects + 1);
  in_inline = g_new0 (uint32_t, d->n_objects + 1);

  for (size_t i = 0; i < d->n_rows; i++)
    {
      HsDRow *row = &d->rows[i];
      size_t t = ids_get (r, row->target);

      row->inline_obj = -1;
      row->edge = -1;
      row->target_obj = t ? (int32_t) (t - 1) : -1;
      if (!t)
        continue;
      if (d->inline_small && row->kind == HS_LAYOUT_REF_INLINE
          && (d->objects[t - 1].flags & HS_DIAGRAM_INLINABLE)
          && d->objects[t - 1].value != HS_NOSTR)
        {
          row->inline_obj = (int32_t) (t - 1);
          in_inline[t - 1]++;
        }
      else
        in_ref[t - 1]++;
    }

  /* Objects, then frames, then refs in frame-then-object row order. */
  d->graph_to_obj = grow_checked_size_array (d->graph_to_obj, &d->cap_graph_obj,
                                             d->n_objects + 1);
  for (size_t i = 0; i < d->n_objects; i++)
    {
      HsDNode *n = &d->objects[i];

      n->graph = -1;
      if (in_inline[i] > 0 && in_ref[i] == 0)
        continue;
      if (ids_get (r, n->id) != i + 1)
        continue;
      measure_object (r, d, n);
      n->graph = (int32_t) hs_layout_graph_add_object (g, n->id, n->w, n->h,
                                                      n->rows_top, HS_R_ROW_H);
      d->graph_to_obj[n_graph++] = i;
    }
  d->n_graph_obj = n_graph;
  for (size_t f = 0; f < d->n_frames; f++)
    {
      HsDNode *n = &d->frames[f];

      measure_frame (r, d, n);
      n->graph = (int32_t) hs_layout_graph_add_frame (g, n->id, n->w, n->h,
                                                     n->rows_top, HS_R_ROW_H);
    }
  d->ref_row = grow_checked_size_array (d->ref_row, &d->cap_ref_row,
                                        d->n_rows + 1);
  for (size_t f = 0; f < d->n_frames; f++)
    {
      HsDNode *n = &d->frames[f];
      uint32_t var = 0, stack = n->n_rows - n->n_temps;

      for (uint32_t i = 0; i < n->n_rows; i++)
        {
          HsDRow *row = &d->rows[n->first_row + i];

          row->shown = (int32_t) (row->temporary ? stack : var++);
          if (row->inline_obj >= 0)
            continue;
          row->edge = (int32_t) hs_layout_graph_add_ref (
              g, HS_LAYOUT_FROM_FRAME, n->id, row->shown, row->target,
              row->temporary ? HS_LAYOUT_REF_TEMPORARY : (HsLayoutRefKind) row->kind);
          d->ref_row[row->edge] = n->first_row + i;
        }
    }
  for (size_t j = 0; j < n_graph; j++)
    {
      HsDNode *n = &d->objects[d->graph_to_obj[j]];

      for (uint32_t i = 0; i < n->n_rows; i++)
        {
          HsDRow *row = &d->rows[n->first_row + i];

          row->shown = (int32_t) (n->hidden_rows && i >= n->shown_rows - 1
                                  ? n->shown_rows - 1 : i);
          if (row->inline_obj >= 0)
            continue;
          row->edge = (int32_t) hs_layout_graph_add_ref (
              g, HS_LAYOUT_FROM_OBJECT, n->id, row->shown, row->target,
              (HsLayoutRefKind) row->kind);
          d->ref_row[row->edge] = n->first_row + i;
        }
    }
  g_free (in_ref);
  g_free (in_inline);
  d->built = true;
  return g;
}

/* ------------------------------------------------------------ drawing */

static inline void
set_rgb (cairo_t *cr, Rgb c, double a)
{
  cairo_set_source_rgba (cr, c.r, c.g, c.b, a);
}

/* Rounded corners as one cubic each (no trigonometry, few segments once
 * flattened); square corners when the rounding would not show. */
#define KAPPA 0.4477  /* 1 - 0.5523: where a quarter-circle cubic's controls sit */

static void
rrect (cairo_t *cr, double x, double y, double w, double h, double r)
{
  r = fmin (r, fmin (w, h) / 2);
  if (r < 0.75)
    {
      cairo_rectangle (cr, x, y, w, h);
      return;
    }
  cairo_move_to (cr, x + r, y);
  cairo_line_to (cr, x + w - r, y);
  cairo_curve_to (cr, x + w - r * KAPPA, y, x + w, y + r * KAPPA, x + w, y + r);
  cairo_line_to (cr, x + w, y + h - r);
  cairo_curve_to (cr, x + w, y + h - r * KAPPA, x + w - r * KAPPA, y + h, x + w - r, y + h);
  cairo_line_to (cr, x + r, y + h);
  cairo_curve_to (cr, x + r * KAPPA, y + h, x, y + h - r * KAPPA, x, y + h - r);
  cairo_line_to (cr, x, y + r);
  cairo_curve_to (cr, x, y + r * KAPPA, x + r * KAPPA, y, x + r, y);
  cairo_close_path (cr);
}

/* Rounded at the top only: the header band of a box. */
static void
rrect_top (cairo_t *cr, double x, double y, double w, double h, double r)
{
  r = fmin (r, fmin (w / 2, h));
  if (r < 0.75)
    {
      cairo_rectangle (cr, x, y, w, h);
      return;
    }
  cairo_move_to (cr, x + r, y);
  cairo_line_to (cr, x + w - r, y);
  cairo_curve_to (cr, x + w - r * KAPPA, y, x + w, y + r * KAPPA, x + w, y + r);
  cairo_line_to (cr, x + w, y + h);
  cairo_line_to (cr, x, y + h);
  cairo_line_to (cr, x, y + r);
  cairo_curve_to (cr, x, y + r * KAPPA, x + r * KAPPA, y, x + r, y);
  cairo_close_path (cr);
}

/* Shows text t with its top-left corner at (x, y).  Text too small to read
 * on the device becomes a faint bar ("greeking"). */
static void
show_text (HsRender *r, cairo_t *cr, const Text *t, double x, double y)
{
  if (t->h * r->device_scale < HS_R_GREEK_PX)
    {
      cairo_rectangle (cr, x, y + t->h * 0.3, t->w, t->h * 0.4);
      cairo_fill (cr);
      return;
    }
  if (t->n_runs < 0)
    {
      cairo_move_to (cr, x, y);
      pango_cairo_show_layout (cr, t->layout);
      return;
    }
  for (int i = 0; i < t->n_runs; i++)
    {
      const GlyphRun *gr = &t->runs[i];

      if (gr->n > r->cap_scratch)
        {
          r->cap_scratch = gr->n * 2;
          r->scratch = g_renew (cairo_glyph_t, r->scratch, r->cap_scratch);
        }
      for (int k = 0; k < gr->n; k++)
        {
          r->scratch[k].index = gr->glyphs[k].index;
          r->scratch[k].x = gr->glyphs[k].x + x;
          r->scratch[k].y = gr->glyphs[k].y + y;
        }
      cairo_set_scaled_font (cr, gr->font);
      cairo_show_glyphs (cr, r->scratch, gr->n);
    }
}

static double
draw_text (HsRender *r, cairo_t *cr, Role role, const char *s, double x,
           double y, double box_h, Rgb c, double a)
{
  const Text *t = text_get (r, role, s);

  set_rgb (cr, c, a);
  show_text (r, cr, t, x, y + (box_h - t->h) / 2);
  return t->w;
}

/* A tag's width beyond its text's. */
#define TAG_PAD 10

/* A small rounded label ("garbage", "gc_refs 2") centred on height y. */
static double
draw_tag (HsRender *r, cairo_t *cr, const char *s, double x, double y,
          Rgb fg, Rgb bg, double a, bool filled)
{
  const Text *t = text_get (r, ROLE_TAG, s);
  double w = t->w + TAG_PAD, h = 14;

  rrect (cr, x, y - h / 2, w, h, h / 2);
  set_rgb (cr, filled ? fg : bg, a);
  cairo_fill_preserve (cr);
  set_rgb (cr, fg, a);
  cairo_set_line_width (cr, 1);
  cairo_stroke (cr);
  set_rgb (cr, filled ? bg : fg, a);
  show_text (r, cr, t, x + TAG_PAD / 2, y - t->h / 2);
  return w;
}

/* The state tags a box can wear on its bottom border, left to right: the state in
 * words, not only colour. */
typedef enum { TAG_FREED, TAG_FREED_GC, TAG_GARBAGE, TAG_GC } TagStyle;

static const struct
{
  unsigned    flag;
  const char *text;
  TagStyle    style;
} state_tags[] = {
  { HS_DIAGRAM_FREED_REFCOUNT, "\xe2\x9c\x95 freed by refcount", TAG_FREED },
  { HS_DIAGRAM_FREED_GC, "\xe2\x9c\x95 freed by gc", TAG_FREED_GC },
  { HS_DIAGRAM_GARBAGE, "garbage", TAG_GARBAGE },
  { HS_DIAGRAM_GC_UNREACHABLE, "unreachable", TAG_GC },
  { HS_DIAGRAM_GC_FINALIZED, "finalized", TAG_GC },
  { HS_DIAGRAM_GC_CLEARED, "cleared", TAG_GC },
};

/* Centred a little below the border, clear of the last line of text; the box keeps
 * its size, so marking an object never moves anything. */
#define TAGS_INSET 6
#define TAG_GAP    3

/* How far right of the box's left edge its tags reach (0: it has none). */
static double
state_tags_reach (HsRender *r, const HsDiagram *d, const HsDNode *n)
{
  double x = TAGS_INSET;

  for (size_t i = 0; i < G_N_ELEMENTS (state_tags); i++)
    if (n->flags & state_tags[i].flag)
      x += text_get (r, ROLE_TAG, state_tags[i].text)->w + TAG_PAD + TAG_GAP;
  if (n->note != HS_NOSTR)
    x += text_get (r, ROLE_TAG, S (d, n->note))->w + TAG_PAD + TAG_GAP;
  return x > TAGS_INSET ? x - TAG_GAP : 0;
}

static void
draw_state_tags (HsRender *r, cairo_t *cr, const Palette *P, const HsDiagram *d,
                 const HsDNode *n, const HsLayoutRect *b, double a)
{
  double gx = b->x + TAGS_INSET, gy = b->y + b->height + 1.5;

  for (size_t i = 0; i < G_N_ELEMENTS (state_tags); i++)
    {
      Rgb fg;

      if (!(n->flags & state_tags[i].flag))
        continue;
      fg = state_tags[i].style == TAG_FREED ? P->freed
           : state_tags[i].style == TAG_GARBAGE ? P->garbage : P->gc_tag;
      gx += TAG_GAP + draw_tag (r, cr, state_tags[i].text, gx, gy, fg, P->bg,
                                state_tags[i].style <= TAG_FREED_GC ? fmax (a, 0.6) : a,
                                state_tags[i].style != TAG_GC);
    }
  if (n->note != HS_NOSTR)
    draw_tag (r, cr, S (d, n->note), gx, gy, P->gc_tag, P->bg, a, false);
}

static void
draw_object (HsRender *r, cairo_t *cr, const Palette *P, const HsDiagram *d,
             const HsDNode *n, const HsLayoutRect *b)
{
  double a = n->alpha, rad = kind_radius (n->kind);
  double x = b->x, y = b->y, w = b->width, h = b->height;
  unsigned f = n->flags;
  Rgb border = P->border[n->kind];
  const char *badge = S (d, n->badge);
  double tx;

  if (a <= 0.01)
    return;
  if (f & HS_DIAGRAM_SELECTED)
    {
      rrect (cr, x - 5, y - 5, w + 10, h + 10, rad + 5);
      set_rgb (cr, P->select, 0.22 * a);
      cairo_fill (cr);
    }
  if (f & HS_DIAGRAM_HIGHLIGHT)
    {
      rrect (cr, x - 4, y - 4, w + 8, h + 8, rad + 4);
      set_rgb (cr, P->highlight, 0.25 * a);
      cairo_fill (cr);
    }

  rrect (cr, x, y, w, h, rad);
  set_rgb (cr, P->fill[n->kind], a);
  cairo_fill (cr);
  rrect_top (cr, x, y, w, HS_R_HEADER_H, rad);
  set_rgb (cr, P->header[n->kind], a);
  cairo_fill (cr);

  /* Header: type, then the refcount badge on the right. */
  draw_text (r, cr, ROLE_HEADER, S (d, n->name), x + HS_R_PAD, y,
             HS_R_HEADER_H, P->text, a);
  if (badge || (f & HS_DIAGRAM_CACHED))
    {
      bool cached = (f & HS_DIAGRAM_CACHED) != 0;
      const Text *t = text_get (r, ROLE_BADGE, cached ? "cached" : badge);
      double grow = 1 + 0.35 * n->pulse_strength;
      double bh = 15 * grow, bw = fmax (t->w + 9, 15) * grow;
      double bx = x + w - 14 - bw, by = y + (HS_R_HEADER_H - bh) / 2;

      rrect (cr, bx, by, bw, bh, bh / 2);
      if (cached)
        {
          set_rgb (cr, P->fill[n->kind], a);
          cairo_fill_preserve (cr);
          set_rgb (cr, P->cached_border, a);
          cairo_set_line_width (cr, 1);
          cairo_set_dash (cr, (double[]) { 2, 1.5 }, 2, 0);
          cairo_stroke (cr);
          cairo_set_dash (cr, NULL, 0, 0);
          set_rgb (cr, P->cached_text, a);
        }
      else
        {
          set_rgb (cr, P->badge_fill, a);
          cairo_fill (cr);
          set_rgb (cr, P->badge_text, a);
        }
      if (grow == 1)
        show_text (r, cr, t, bx + (bw - t->w) / 2, by + (bh - t->h) / 2);
      else
        {
          cairo_save (cr);
          cairo_translate (cr, bx + (bw - t->w * grow) / 2, by + (bh - t->h * grow) / 2);
          cairo_scale (cr, grow, grow);
          cairo_move_to (cr, 0, 0);
          pango_cairo_show_layout (cr, t->layout);
          cairo_restore (cr);
        }
      if (n->pulse != HS_NOSTR && n->pulse_strength > 0)
        {
          const char *delta = S (d, n->pulse);

          /* It stays, readable, for the whole step: a learner looks for it after
           * the pulse has settled. */
          draw_text (r, cr, ROLE_BADGE, delta, bx + bw + 2, y - 14, 14,
                     delta[0] == '-' ? P->minus : P->plus,
                     a * fmin (1, 0.6 + n->pulse_strength));
        }
    }

  tx = y + HS_R_HEADER_H;
  if (n->value != HS_NOSTR)
    {
      draw_text (r, cr, ROLE_VALUE, S (d, n->value), x + HS_R_PAD, tx,
                 HS_R_VALUE_H, P->text, a);
      tx += HS_R_VALUE_H;
    }

  /* Slot rows. */
  if (n->shown_rows)
    {
      set_rgb (cr, P->row_line, a);
      cairo_set_line_width (cr, 1);
      for (uint32_t i = 0; i < n->shown_rows; i++)
        {
          double ry = y + n->rows_top + i * HS_R_ROW_H;

          cairo_move_to (cr, x + 1, ry + 0.5);
          cairo_line_to (cr, x + w - 1, ry + 0.5);
        }
      cairo_stroke (cr);
      for (uint32_t i = 0; i < n->shown_rows && i < n->n_rows; i++)
        {
          const HsDRow *row = &d->rows[n->first_row + i];
          double ry = y + n->rows_top + i * HS_R_ROW_H;

          if (n->hidden_rows && i == n->shown_rows - 1)
            {
              char more[48];

              snprintf (more, sizeof more, "\xe2\x80\xa6+%u", n->hidden_rows);
              draw_text (r, cr, ROLE_LABEL, more, x + HS_R_PAD, ry, HS_R_ROW_H,
                         P->text_dim, a);
              break;
            }
          tx = x + HS_R_PAD;
          if (row->label != HS_NOSTR)
            tx += draw_text (r, cr, ROLE_LABEL, S (d, row->label), tx, ry,
                             HS_R_ROW_H, P->text_dim, a);
          if (row->inline_obj >= 0)
            {
              const char *v = S (d, d->objects[row->inline_obj].value);
              const Text *t = text_get (r, ROLE_INLINE, v);

              draw_text (r, cr, ROLE_INLINE, v, x + w - HS_R_PAD - t->w, ry,
                         HS_R_ROW_H, P->text, a);
            }
        }
    }

  /* Outline: its dash tells the state even without colour. */
  rrect (cr, x + 0.5, y + 0.5, w - 1, h - 1, rad);
  if (f & HS_DIAGRAM_GARBAGE)
    {
      set_rgb (cr, P->garbage, a);
      cairo_set_line_width (cr, 2);
      cairo_set_dash (cr, (double[]) { 6, 3.5 }, 2, 0);
    }
  else if (f & (HS_DIAGRAM_FREED_REFCOUNT | HS_DIAGRAM_FREED_GC))
    {
      set_rgb (cr, P->freed, a);
      cairo_set_line_width (cr, 1.5);
      cairo_set_dash (cr, (double[]) { 1.5, 2.5 }, 2, 0);
    }
  else if (f & HS_DIAGRAM_SELECTED)
    {
      set_rgb (cr, P->select, a);
      cairo_set_line_width (cr, 2.5);
    }
  else if (f & HS_DIAGRAM_HIGHLIGHT)
    {
      set_rgb (cr, P->highlight, a);
      cairo_set_line_width (cr, 2.5);
    }
  else
    {
      set_rgb (cr, border, a);
      cairo_set_line_width (cr, 1.2);
    }
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);

  draw_state_tags (r, cr, P, d, n, b, a);
}

static void
draw_frame (HsRender *r, cairo_t *cr, const Palette *P, const HsDiagram *d,
            const HsDNode *n, const HsLayoutRect *b)
{
  bool finished = (n->flags & HS_DIAGRAM_FINISHED) != 0;
  bool current = (n->flags & HS_DIAGRAM_CURRENT) != 0;
  double a = finished ? 0.5 : 1;
  double x = b->x, y = b->y, w = b->width, h = b->height, tx;
  uint32_t var = 0;

  rrect (cr, x, y, w, h, 5);
  set_rgb (cr, P->frame_fill, a);
  cairo_fill (cr);
  rrect_top (cr, x, y, w, HS_R_FRAME_HEADER_H, 5);
  set_rgb (cr, P->frame_header, a);
  cairo_fill (cr);
  tx = x + HS_R_PAD + (current ? 4 : 0);
  tx += draw_text (r, cr, ROLE_FRAME, S (d, n->name), tx, y,
                   HS_R_FRAME_HEADER_H, P->text, a);
  if (finished)
    draw_text (r, cr, ROLE_LABEL, "returned", tx + 6, y, HS_R_FRAME_HEADER_H,
               P->text_dim, 1);

  set_rgb (cr, P->row_line, a);
  cairo_set_line_width (cr, 1);
  for (uint32_t i = 1; i < n->shown_rows; i++)
    {
      double ry = y + n->rows_top + i * HS_R_ROW_H;

      cairo_move_to (cr, x + 6, ry + 0.5);
      cairo_line_to (cr, x + w - 6, ry + 0.5);
    }
  cairo_stroke (cr);
  for (uint32_t i = 0; i < n->n_rows; i++)
    {
      const HsDRow *row = &d->rows[n->first_row + i];
      double ry;

      if (row->temporary)
        continue;
      ry = y + n->rows_top + var++ * HS_R_ROW_H;
      if (row->label != HS_NOSTR)
        draw_text (r, cr, ROLE_LABEL, S (d, row->label), x + HS_R_PAD + 4, ry,
                   HS_R_ROW_H, P->text, a);
      if (row->inline_obj >= 0)
        {
          const char *v = S (d, d->objects[row->inline_obj].value);
          const Text *t = text_get (r, ROLE_INLINE, v);

          draw_text (r, cr, ROLE_INLINE, v, x + w - HS_R_PAD - t->w, ry,
                     HS_R_ROW_H, P->text, a);
        }
    }
  if (n->n_temps)
    draw_text (r, cr, ROLE_TAG, "value stack", x + HS_R_PAD + 4,
               y + n->rows_top + var * HS_R_ROW_H, HS_R_ROW_H, P->text_dim, a);

  rrect (cr, x + 0.5, y + 0.5, w - 1, h - 1, 5);
  if (n->flags & HS_DIAGRAM_HIGHLIGHT)
    {
      set_rgb (cr, P->highlight, a);
      cairo_set_line_width (cr, 2.5);
    }
  else
    {
      set_rgb (cr, current ? P->frame_current : P->frame_border, a);
      cairo_set_line_width (cr, current ? 1.6 : 1);
    }
  if (finished)
    cairo_set_dash (cr, (double[]) { 4, 3 }, 2, 0);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);
  if (current)
    {
      rrect (cr, x + 3, y + 5, 3.5, h - 10, 1.75);
      set_rgb (cr, P->frame_current, 1);
      cairo_fill (cr);
    }
}

/* Straight runs of edges, drawn as thin filled rectangles: Cairo fills
 * rectangles far faster than it strokes, and the long runs of a big heap
 * (an arrow dropping down a street past hundreds of boxes) are most of
 * what a view of it draws. */
static void
run_add (HsRender *r, const HsLayoutRect *area, double x0, double y0,
         double x1, double y1, double lw)
{
  Run *u;

  if (x0 > x1)
    {
      double t = x0;

      x0 = x1;
      x1 = t;
    }
  if (y0 > y1)
    {
      double t = y0;

      y0 = y1;
      y1 = t;
    }
  /* Only what shows; the ends reach half a width into the curves they
   * join, so no seam shows where a run meets one. */
  x0 = fmax (x0 - lw / 2, area->x);
  x1 = fmin (x1 + lw / 2, area->x + area->width);
  y0 = fmax (y0 - lw / 2, area->y);
  y1 = fmin (y1 + lw / 2, area->y + area->height);
  if (x1 <= x0 || y1 <= y0)
    return;
  if (r->n_runs == r->cap_runs)
    {
      r->cap_runs = r->cap_runs ? 2 * r->cap_runs : 256;
      r->runs = g_renew (Run, r->runs, r->cap_runs);
    }
  u = &r->runs[r->n_runs++];
  u->x = x0;
  u->y = y0;
  u->w = x1 - x0;
  u->h = y1 - y0;
}

static void
runs_fill (HsRender *r, cairo_t *cr)
{
  if (r->n_runs == 0)
    return;
  cairo_new_path (cr);
  for (size_t i = 0; i < r->n_runs; i++)
    cairo_rectangle (cr, r->runs[i].x, r->runs[i].y, r->runs[i].w, r->runs[i].h);
  cairo_fill (cr);
  r->n_runs = 0;
}

/* The path of a route; the last point is pulled back under the arrowhead.
 * A segment between two points at different heights is a curve; when it
 * drops much more than it goes across, it turns into a vertical run down
 * the middle of the street and out again, with rounded corners.
 * Segments wholly outside `area` are skipped: a long route crossing a
 * zoomed-in view then costs only what shows of it.  With `runs`, the
 * straight runs go to the renderer's runs (filled later, width lw)
 * instead of the path.  Returns whether anything shows. */
static bool
edge_path (HsRender *r, cairo_t *cr, const HsLayout *l, const HsLayoutPoint *pt,
           size_t n, const HsLayoutRect *area, bool runs, double lw)
{
  bool gap = false, any = true;

  if (pt[0].x < area->x || pt[0].x - 9 > area->x + area->width
      || pt[0].y < area->y || pt[0].y > area->y + area->height)
    {
      gap = true;
      any = false;
    }
  else if (runs)
    run_add (r, area, pt[0].x - 9, pt[0].y, pt[0].x, pt[0].y, lw);
  else
    {
      cairo_move_to (cr, pt[0].x - 9, pt[0].y);
      cairo_line_to (cr, pt[0].x, pt[0].y);
    }
  if (runs)
    gap = true;
  for (size_t k = 1; k < n; k++)
    {
      const HsLayoutPoint *p = &pt[k - 1], *q = &pt[k];
      double ex = k == n - 1 ? q->x - q->dir * 7 : q->x;
      bool line = p->y == q->y && p->dir == q->dir;
      double c[4], x0, x1, y0, y1, xv, r1, r2;

      if (!line)
        hs_layout_segment_controls (l, p, q, c);
      /* The curve stays inside the box of its end and control points. */
      x0 = fmin (p->x, ex);
      x1 = fmax (p->x, ex);
      y0 = fmin (p->y, q->y);
      y1 = fmax (p->y, q->y);
      if (!line)
        {
          x0 = fmin (x0, fmin (c[0], c[2]));
          x1 = fmax (x1, fmax (c[0], c[2]));
        }
      if (x1 < area->x || x0 > area->x + area->width
          || y1 < area->y || y0 > area->y + area->height)
        {
          gap = true;
          continue;
        }
      any = true;
      if (line && runs)
        {
          run_add (r, area, p->x, p->y, ex, q->y, lw);
          gap = true;
          continue;
        }
      if (gap)
        {
          cairo_move_to (cr, p->x, p->y);
          gap = false;
        }
      if (line)
        {
          cairo_line_to (cr, ex, q->y);
          continue;
        }
      /* Where a tall curve runs straight down (or up), and the radii of
       * its two rounded corners: mid-street for an S, just beside the
       * boxes for a U-turn (within the curve's own bulge). */
      if (p->dir == q->dir)
        {
          xv = (p->x + ex) / 2;
          r1 = r2 = fabs (ex - p->x) / 2;
        }
      else
        {
          double k = 0.75 * fabs (c[0] - p->x);

          xv = p->dir > 0 ? fmax (p->x, ex) + k : fmin (p->x, ex) - k;
          r1 = fabs (xv - p->x);
          r2 = fabs (xv - ex);
        }
      if (fabs (q->y - p->y) > r1 + r2 + 8)
        {
          double sg = q->y > p->y ? 1 : -1;
          double ya = p->y + sg * r1, yb = q->y - sg * r2;

          cairo_curve_to (cr, p->x + p->dir * r1 * 0.55, p->y,
                          xv, ya - sg * r1 * 0.55, xv, ya);
          if (runs)
            {
              run_add (r, area, xv, ya, xv, yb, lw);
              cairo_move_to (cr, xv, yb);
            }
          else
            cairo_line_to (cr, xv, yb);
          cairo_curve_to (cr, xv, yb + sg * r2 * 0.55,
                          ex - q->dir * r2 * 0.55, q->y, ex, q->y);
        }
      else
        cairo_curve_to (cr, c[0], c[1], c[2], c[3], ex, q->y);
    }
  return any;
}

static void
edge_head (cairo_t *cr, const HsLayoutPoint *pt, size_t n, bool dot)
{
  const HsLayoutPoint *q = &pt[n - 1];

  cairo_move_to (cr, q->x, q->y);
  cairo_line_to (cr, q->x - q->dir * 10, q->y - 4.5);
  cairo_line_to (cr, q->x - q->dir * 10, q->y + 4.5);
  cairo_close_path (cr);
  if (dot)
    {
      cairo_new_sub_path (cr);
      cairo_arc (cr, pt[0].x - 9, pt[0].y, 3, 0, 2 * G_PI);
    }
}

#define EDGE_BATCH 32

static inline bool
meets (const HsLayoutRect *a, const HsLayoutRect *b)
{
  return a->x <= b->x + b->width && b->x <= a->x + a->width
         && a->y <= b->y + b->height && b->y <= a->y + a->height;
}

typedef struct
{
  double alpha;
  bool temp, hl;
} EdgeStyle;

static EdgeStyle
edge_style (const HsDiagram *d, size_t ref)
{
  const HsDRow *row = &d->rows[d->ref_row[ref]];
  const HsDNode *o = row->owner_frame ? &d->frames[row->owner]
                                      : &d->objects[row->owner];
  EdgeStyle s;
  double a = row->owner_frame ? ((o->flags & HS_DIAGRAM_FINISHED) ? 0.5 : 1)
                              : o->alpha;
  bool hl = (o->flags & HS_DIAGRAM_HIGHLIGHT) != 0;

  if (row->target_obj >= 0)
    {
      const HsDNode *t = &d->objects[row->target_obj];

      a = fmin (a, t->alpha);
      hl = hl && (t->flags & HS_DIAGRAM_HIGHLIGHT);
    }
  else
    hl = false;
  s.alpha = a;
  s.temp = row->temporary || row->kind == HS_LAYOUT_REF_TEMPORARY;
  s.hl = hl;
  return s;
}

static size_t
visible_objects (HsRender *r, const HsLayout *l, const HsLayoutRect *area)
{
  size_t n = hs_layout_query_objects (l, area, r->idx, r->cap_idx);

  if (n > r->cap_idx)
    {
      r->cap_idx = n + n / 2 + 64;
      r->idx = g_renew (size_t, r->idx, r->cap_idx);
      n = hs_layout_query_objects (l, area, r->idx, r->cap_idx);
    }
  return n;
}

static void
draw_overview (HsRender *r, cairo_t *cr, const Palette *P, const HsDiagram *d,
               const HsLayout *l, const HsLayoutRect *area, double scale)
{
  size_t n = visible_objects (r, l, area);
  size_t ne = hs_layout_n_edges (l);
  HsLayoutRect b;

  for (size_t f = 0; f < d->n_frames; f++)
    if (hs_layout_get_frame (l, (size_t) d->frames[f].graph, &b) && meets (&b, area))
      cairo_rectangle (cr, b.x, b.y, b.width, b.height);
  set_rgb (cr, P->frame_header, 1);
  cairo_fill (cr);

  /* One fill per type family: the visible objects grouped by kind in one
   * counting pass, rather than one pass over them all per kind. */
  size_t start[HS_N_KINDS + 1] = { 0 };

  if (n > r->cap_kind_idx)
    {
      r->cap_kind_idx = n + n / 2 + 64;
      r->kind_idx = g_renew (size_t, r->kind_idx, r->cap_kind_idx);
    }
  for (size_t i = 0; i < n; i++)
    {
      const HsDNode *o = &d->objects[d->graph_to_obj[r->idx[i]]];

      if (o->kind < HS_N_KINDS && o->alpha > 0.01)
        start[o->kind + 1]++;
    }
  for (int k = 0; k < HS_N_KINDS; k++)
    start[k + 1] += start[k];
  {
    size_t fill[HS_N_KINDS];

    memcpy (fill, start, sizeof fill);
    for (size_t i = 0; i < n; i++)
      {
        const HsDNode *o = &d->objects[d->graph_to_obj[r->idx[i]]];

        if (o->kind < HS_N_KINDS && o->alpha > 0.01)
          r->kind_idx[fill[o->kind]++] = r->idx[i];
      }
  }
  for (int k = 0; k < HS_N_KINDS; k++)
    {
      bool any = start[k + 1] > start[k];

      for (size_t i = start[k]; i < start[k + 1]; i++)
        {
          hs_layout_get_object (l, r->kind_idx[i], &b);
          /* Never thinner than a device pixel: far out, a heap of ten
           * thousand objects must still show where its objects are. */
          cairo_rectangle (cr, b.x, b.y, fmax (b.width, 1 / scale),
                           fmax (b.height, 1 / scale));
        }
      if (any)
        {
          set_rgb (cr, P->header[k], 1);
          /* Outlines only while boxes are big enough to show them:
           * strokes cost far more than fills in Cairo. */
          if (HS_R_HEADER_H * scale < 6)
            cairo_fill (cr);
          else
            {
              cairo_fill_preserve (cr);
              set_rgb (cr, P->border[k], 1);
              cairo_set_line_width (cr, fmin (1.0, 1 / scale));
              cairo_stroke (cr);
            }
        }
    }
  /* Marked states stay visible in the overview: garbage dashed, selected
   * and highlighted thick. */
  for (size_t i = 0; i < n; i++)
    {
      const HsDNode *o = &d->objects[d->graph_to_obj[r->idx[i]]];

      if (!(o->flags & (HS_DIAGRAM_GARBAGE | HS_DIAGRAM_SELECTED | HS_DIAGRAM_HIGHLIGHT)))
        continue;
      hs_layout_get_object (l, r->idx[i], &b);
      cairo_rectangle (cr, b.x - 3 / scale, b.y - 3 / scale,
                       b.width + 6 / scale, b.height + 6 / scale);
      set_rgb (cr, (o->flags & HS_DIAGRAM_GARBAGE) ? P->garbage
                   : (o->flags & HS_DIAGRAM_SELECTED) ? P->select : P->highlight, 1);
      cairo_set_line_width (cr, 2 / scale);
      if (o->flags & HS_DIAGRAM_GARBAGE)
        cairo_set_dash (cr, (double[]) { 4 / scale, 3 / scale }, 2, 0);
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
    }

  /* Edges: one straight line from each arrow's origin to its end, one
   * stroke.  Far out the route's detour around boxes is a pixel or two, and
   * a route across many columns would cost two points per column (a
   * 10,000-element list: a million points a frame). */
  for (size_t e = 0; e < ne; e++)
    {
      const HsLayoutPoint *pt;
      size_t np;

      if (!hs_layout_get_edge_bounds (l, e, &b) || !meets (&b, area))
        continue;
      np = hs_layout_get_edge (l, e, &pt);
      cairo_move_to (cr, pt[0].x, pt[0].y);
      if (np == 2 || pt[np - 1].dir == pt[0].dir)
        cairo_line_to (cr, pt[np - 1].x, pt[np - 1].y);
      else
        {
          /* Into the right side of its target (a cycle, a shared object):
           * out to the street and back, so it still reads as a loop. */
          cairo_line_to (cr, pt[1].x, pt[1].y);
          cairo_line_to (cr, pt[np - 2].x, pt[np - 2].y);
          cairo_line_to (cr, pt[np - 1].x, pt[np - 1].y);
        }
    }
  set_rgb (cr, P->edge, 0.45);
  cairo_set_line_width (cr, fmin (1.0, 1 / scale));
  /* Hairlines: the fast rasterizer is plenty, and several times faster. */
  cairo_set_antialias (cr, CAIRO_ANTIALIAS_FAST);
  cairo_stroke (cr);
  cairo_set_antialias (cr, CAIRO_ANTIALIAS_DEFAULT);
}

/* ------------------------------------------------------------ batches */

/* Glyphs of many labels in one cairo_show_glyphs call, flushed only when
 * the font changes; unreadably small text becomes bars filled at the end. */
typedef struct
{
  HsRender *r;
  cairo_t *cr;
  cairo_scaled_font_t *font;
  int n;
  bool greek;
} TextBatch;

static void
tb_flush (TextBatch *b)
{
  if (b->n)
    {
      cairo_set_scaled_font (b->cr, b->font);
      cairo_show_glyphs (b->cr, b->r->scratch, b->n);
      b->n = 0;
    }
}

static void
tb_begin (TextBatch *b, HsRender *r, cairo_t *cr, Rgb c)
{
  b->r = r;
  b->cr = cr;
  b->font = NULL;
  b->n = 0;
  b->greek = false;
  cairo_new_path (cr);
  set_rgb (cr, c, 1);
}

static void
tb_add (TextBatch *b, const Text *t, double x, double y)
{
  HsRender *r = b->r;

  if (t->h * r->device_scale < HS_R_GREEK_PX)
    {
      cairo_rectangle (b->cr, x, y + t->h * 0.3, t->w, t->h * 0.4);
      b->greek = true;
      return;
    }
  if (t->n_runs < 0)
    {
      tb_flush (b);
      cairo_save (b->cr);
      cairo_new_path (b->cr);
      cairo_move_to (b->cr, x, y);
      pango_cairo_show_layout (b->cr, t->layout);
      cairo_restore (b->cr);
      return;
    }
  for (int i = 0; i < t->n_runs; i++)
    {
      const GlyphRun *gr = &t->runs[i];

      if (gr->font != b->font || b->n > 4096)
        {
          tb_flush (b);
          b->font = gr->font;
        }
      if (b->n + gr->n > r->cap_scratch)
        {
          r->cap_scratch = 2 * (b->n + gr->n) + 64;
          r->scratch = g_renew (cairo_glyph_t, r->scratch, r->cap_scratch);
        }
      for (int k = 0; k < gr->n; k++)
        {
          cairo_glyph_t *g = &r->scratch[b->n++];

          g->index = gr->glyphs[k].index;
          g->x = gr->glyphs[k].x + x;
          g->y = gr->glyphs[k].y + y;
        }
    }
}

static void
tb_end (TextBatch *b)
{
  tb_flush (b);
  if (b->greek)
    {
      /* Bars at a third of the text's colour: a hint, not a shout.  They
       * never overlap, so one translucent fill is exact. */
      double red, green, blue, alpha;

      cairo_pattern_get_rgba (cairo_get_source (b->cr), &red, &green, &blue, &alpha);
      cairo_set_source_rgba (b->cr, red, green, blue, alpha * 0.35);
      /* A bar a pixel or two high: whole pixels are as good a hint and
       * take Cairo's fast path for pixel-aligned boxes. */
      cairo_set_antialias (b->cr, CAIRO_ANTIALIAS_NONE);
      cairo_fill (b->cr);
      cairo_set_antialias (b->cr, CAIRO_ANTIALIAS_DEFAULT);
      cairo_set_source_rgba (b->cr, red, green, blue, alpha);
    }
  cairo_new_path (b->cr);
}

static void
badge_geometry (const HsDNode *n, const HsLayoutRect *b, const Text *t,
                double *bx, double *by, double *bw, double *bh)
{
  *bh = 15;
  *bw = fmax (t->w + 9, 15);
  *bx = b->x + b->width - 14 - *bw;
  *by = b->y + (HS_R_HEADER_H - *bh) / 2;
}

typedef enum
{
  OUT_NORMAL, OUT_GARBAGE, OUT_FREED, OUT_SELECTED, OUT_HIGHLIGHT
} Outline;

static Outline
outline_of (unsigned f)
{
  if (f & HS_DIAGRAM_GARBAGE)
    return OUT_GARBAGE;
  if (f & (HS_DIAGRAM_FREED_REFCOUNT | HS_DIAGRAM_FREED_GC))
    return OUT_FREED;
  if (f & HS_DIAGRAM_SELECTED)
    return OUT_SELECTED;
  if (f & HS_DIAGRAM_HIGHLIGHT)
    return OUT_HIGHLIGHT;
  return OUT_NORMAL;
}

static double
outline_width (Outline o)
{
  switch (o)
    {
    case OUT_SELECTED: case OUT_HIGHLIGHT:
      return 2.5;
    case OUT_GARBAGE:
      return 2;
    case OUT_FREED:
      return 1.5;
    default:
      return 1.2;
    }
}

/* Draws the opaque objects of the view with a few dozen Cairo calls in all:
 * each fill, stroke and text run is shared by every box that looks alike.
 * rect[i] and node[i] describe object i of n. */
static void
draw_objects_batched (HsRender *r, cairo_t *cr, const Palette *P,
                      const HsDiagram *d, const HsDNode **node,
                      const HsLayoutRect *rect, size_t n)
{
  TextBatch tb;

  /* Halos under the boxes. */
  for (size_t i = 0; i < n; i++)
    {
      const HsLayoutRect *b = &rect[i];
      double rad = kind_radius (node[i]->kind);

      if (node[i]->flags & HS_DIAGRAM_SELECTED)
        {
          rrect (cr, b->x - 5, b->y - 5, b->width + 10, b->height + 10, rad + 5);
          set_rgb (cr, P->select, 0.22);
          cairo_fill (cr);
        }
      if (node[i]->flags & HS_DIAGRAM_HIGHLIGHT)
        {
          rrect (cr, b->x - 4, b->y - 4, b->width + 8, b->height + 8, rad + 4);
          set_rgb (cr, P->highlight, 0.25);
          cairo_fill (cr);
        }
    }
  /* Boxes as nested fills, not strokes (a Cairo stroke costs ten fills):
   * the outline colour, then the body inset by the outline width, then the
   * header band.  Dashed outlines (garbage, freed) are stroked after. */
  for (int pass = 0; pass < 3; pass++)
    for (int k = 0; k < HS_N_KINDS + 4; k++)
      {
        bool any = false;

        for (size_t i = 0; i < n; i++)
          {
            const HsLayoutRect *b = &rect[i];
            const HsDNode *o = node[i];
            Outline ol = outline_of (o->flags);
            double rad = kind_radius (o->kind), lw = outline_width (ol);

            /* A corner under a device pixel does not show: plain
             * rectangles fill several times faster. */
            if (rad * r->device_scale < 1)
              rad = 0;

            if (pass == 0)
              {
                /* Group by outline colour: family, or marked state. */
                if (k < HS_N_KINDS ? (ol != OUT_NORMAL || o->kind != k)
                                   : (ol == OUT_GARBAGE || ol == OUT_FREED
                                      || (int) ol != k - HS_N_KINDS + 1))
                  continue;
                rrect (cr, b->x, b->y, b->width, b->height, rad);
              }
            else
              {
                if (k >= HS_N_KINDS || o->kind != k)
                  continue;
                if (ol == OUT_GARBAGE || ol == OUT_FREED)
                  lw = 0;
                if (pass == 1)
                  rrect (cr, b->x + lw, b->y + lw, b->width - 2 * lw,
                         b->height - 2 * lw, fmax (rad - lw, 0));
                else
                  rrect_top (cr, b->x + lw, b->y + lw, b->width - 2 * lw,
                             HS_R_HEADER_H - lw, fmax (rad - lw, 0));
              }
            any = true;
          }
        if (!any)
          continue;
        if (pass == 0)
          {
            if (k < HS_N_KINDS)
              set_rgb (cr, P->border[k], 1);
            else
              set_rgb (cr, (Outline) (k - HS_N_KINDS + 1) == OUT_SELECTED
                           ? P->select : P->highlight, 1);
          }
        else
          set_rgb (cr, pass == 1 ? P->fill[k] : P->header[k], 1);
        cairo_fill (cr);
      }
  for (int pass = 0; pass < 2; pass++)
    {
      bool any = false;
      Outline want = pass == 0 ? OUT_GARBAGE : OUT_FREED;

      for (size_t i = 0; i < n; i++)
        if (outline_of (node[i]->flags) == want)
          {
            const HsLayoutRect *b = &rect[i];

            rrect (cr, b->x + 0.5, b->y + 0.5, b->width - 1, b->height - 1,
                   kind_radius (node[i]->kind));
            any = true;
          }
      if (!any)
        continue;
      if (want == OUT_GARBAGE)
        {
          set_rgb (cr, P->garbage, 1);
          cairo_set_line_width (cr, 2);
          cairo_set_dash (cr, (double[]) { 6, 3.5 }, 2, 0);
        }
      else
        {
          set_rgb (cr, P->freed, 1);
          cairo_set_line_width (cr, 1.5);
          cairo_set_dash (cr, (double[]) { 1.5, 2.5 }, 2, 0);
        }
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
    }
  /* Row separators: hairline rectangles. */
  for (size_t i = 0; i < n; i++)
    for (uint32_t k = 0; k < node[i]->shown_rows; k++)
      cairo_rectangle (cr, rect[i].x + 1.5,
                       rect[i].y + node[i]->rows_top + k * HS_R_ROW_H,
                       rect[i].width - 3, 1);
  set_rgb (cr, P->row_line, 1);
  cairo_fill (cr);
  /* Badges: dark pills for counts, dashed ones for "cached". */
  for (int pass = 0; pass < 2; pass++)
    {
      bool any = false;

      for (size_t i = 0; i < n; i++)
        {
          const HsDNode *o = node[i];
          bool cached = (o->flags & HS_DIAGRAM_CACHED) != 0;
          double bx, by, bw, bh;

          if (cached != (pass == 1) || (!cached && o->badge == HS_NOSTR))
            continue;
          badge_geometry (o, &rect[i],
                          text_get (r, ROLE_BADGE, cached ? "cached" : S (d, o->badge)),
                          &bx, &by, &bw, &bh);
          rrect (cr, bx, by, bw, bh, bh / 2);
          any = true;
        }
      if (!any)
        continue;
      if (pass == 0)
        {
          set_rgb (cr, P->badge_fill, 1);
          cairo_fill (cr);
        }
      else
        {
          set_rgb (cr, P->cached_border, 1);
          cairo_set_line_width (cr, 1);
          cairo_set_dash (cr, (double[]) { 2, 1.5 }, 2, 0);
          cairo_stroke (cr);
          cairo_set_dash (cr, NULL, 0, 0);
        }
    }

  /* Text, one batch per role and colour. */
  tb_begin (&tb, r, cr, P->text);
  for (size_t i = 0; i < n; i++)
    {
      const Text *t = text_get (r, ROLE_HEADER, S (d, node[i]->name));

      tb_add (&tb, t, rect[i].x + HS_R_PAD, rect[i].y + (HS_R_HEADER_H - t->h) / 2);
    }
  tb_end (&tb);
  tb_begin (&tb, r, cr, P->text);
  for (size_t i = 0; i < n; i++)
    {
      const HsDNode *o = node[i];

      if (o->value != HS_NOSTR)
        {
          const Text *t = text_get (r, ROLE_VALUE, S (d, o->value));

          tb_add (&tb, t, rect[i].x + HS_R_PAD,
                  rect[i].y + HS_R_HEADER_H + (HS_R_VALUE_H - t->h) / 2);
        }
      for (uint32_t k = 0; k < o->shown_rows && k < o->n_rows; k++)
        {
          const HsDRow *row = &d->rows[o->first_row + k];
          const Text *t;

          if (row->inline_obj < 0 || (o->hidden_rows && k == o->shown_rows - 1))
            continue;
          t = text_get (r, ROLE_INLINE, S (d, d->objects[row->inline_obj].value));
          tb_add (&tb, t, rect[i].x + rect[i].width - HS_R_PAD - t->w,
                  rect[i].y + o->rows_top + k * HS_R_ROW_H + (HS_R_ROW_H - t->h) / 2);
        }
    }
  tb_end (&tb);
  tb_begin (&tb, r, cr, P->text_dim);
  for (size_t i = 0; i < n; i++)
    {
      const HsDNode *o = node[i];

      for (uint32_t k = 0; k < o->shown_rows && k < o->n_rows; k++)
        {
          const HsDRow *row = &d->rows[o->first_row + k];
          double ry = rect[i].y + o->rows_top + k * HS_R_ROW_H;
          const Text *t;

          if (o->hidden_rows && k == o->shown_rows - 1)
            {
              char more[48];

              snprintf (more, sizeof more, "\xe2\x80\xa6+%u", o->hidden_rows);
              t = text_get (r, ROLE_LABEL, more);
            }
          else if (row->label != HS_NOSTR)
            t = text_get (r, ROLE_LABEL, S (d, row->label));
          else
            continue;
          tb_add (&tb, t, rect[i].x + HS_R_PAD, ry + (HS_R_ROW_H - t->h) / 2);
        }
    }
  tb_end (&tb);
  for (int pass = 0; pass < 2; pass++)
    {
      tb_begin (&tb, r, cr, pass == 0 ? P->badge_text : P->cached_text);
      for (size_t i = 0; i < n; i++)
        {
          const HsDNode *o = node[i];
          bool cached = (o->flags & HS_DIAGRAM_CACHED) != 0;
          double bx, by, bw, bh;
          const Text *t;

          if (cached != (pass == 1) || (!cached && o->badge == HS_NOSTR))
            continue;
          t = text_get (r, ROLE_BADGE, cached ? "cached" : S (d, o->badge));
          badge_geometry (o, &rect[i], t, &bx, &by, &bw, &bh);
          tb_add (&tb, t, bx + (bw - t->w) / 2, by + (bh - t->h) / 2);
        }
      tb_end (&tb);
    }
  for (size_t i = 0; i < n; i++)
    draw_state_tags (r, cr, P, d, node[i], &rect[i], 1);
}

/* How far edge e's two ends are displaced from their laid-out places while their
 * objects glide (a frame end never moves). */
static void
edge_end_offsets (const HsDiagram *d, size_t e, double *sx, double *sy, double *tx, double *ty)
{
  const HsDRow *row = &d->rows[d->ref_row[e]];

  *sx = *sy = *tx = *ty = 0;
  if (!row->owner_frame)
    {
      *sx = d->objects[row->owner].dx;
      *sy = d->objects[row->owner].dy;
    }
  if (row->target_obj >= 0)
    {
      *tx = d->objects[row->target_obj].dx;
      *ty = d->objects[row->target_obj].dy;
    }
}

/* The route of edge e; while objects glide (offsets set), a copy whose ends
 * follow them, the points between shifted in proportion (caller frees *moved). */
static size_t
edge_points (const HsDiagram *d, const HsLayout *l, size_t e,
             const HsLayoutPoint **pt, HsLayoutPoint **moved)
{
  size_t np = hs_layout_get_edge (l, e, pt);
  double sx, sy, tx, ty;

  *moved = NULL;
  if (d->n_offsets == 0 || np == 0)
    return np;
  edge_end_offsets (d, e, &sx, &sy, &tx, &ty);
  if (sx == 0 && sy == 0 && tx == 0 && ty == 0)
    return np;
  *moved = g_new (HsLayoutPoint, np);
  for (size_t k = 0; k < np; k++)
    {
      double f = np > 1 ? (double) k / (double) (np - 1) : 0;

      (*moved)[k] = (*pt)[k];
      (*moved)[k].x += sx + (tx - sx) * f;
      (*moved)[k].y += sy + (ty - sy) * f;
    }
  *pt = *moved;
  return np;
}

/* Grows edge e's bounds `b` to cover its route while its ends glide (edge_points
 * shifts each point by between its two ends' offsets). */
static void
edge_glide_bounds (const HsDiagram *d, size_t e, HsLayoutRect *b)
{
  double sx, sy, tx, ty;

  edge_end_offsets (d, e, &sx, &sy, &tx, &ty);
  b->x += fmin (sx, tx);
  b->y += fmin (sy, ty);
  b->width += fabs (tx - sx);
  b->height += fabs (ty - sy);
}

void
hs_render_draw (HsRender *r, cairo_t *cr, const HsDiagram *d,
                const HsLayout *l, const HsRenderView *view)
{
  const Palette *P = view->dark ? &palette_dark : &palette_light;
  double s = view->scale > 0 ? view->scale : 1;
  HsLayoutRect area, b;
  HsRenderLod lod = view->lod;
  size_t n, ne;
  size_t *eidx;
  size_t n_eidx = 0;
  double lw;

  cairo_save (cr);
  if (!view->no_background)
    {
      set_rgb (cr, P->bg, 1);
      cairo_rectangle (cr, 0, 0, view->width, view->height);
      cairo_fill (cr);
    }
  if (!d->built || hs_layout_n_objects (l) != d->n_graph_obj
      || hs_layout_n_frames (l) != d->n_frames
      || hs_layout_n_edges (l) != hs_layout_graph_n_refs (d->graph))
    {
      cairo_restore (cr);
      return;
    }
  cairo_rectangle (cr, 0, 0, view->width, view->height);
  cairo_clip (cr);
  r->device_scale = s;
  {
    /* The target may already be scaled (a widget's snapshot, HiDPI). */
    double ux = 1, uy = 0;

    cairo_user_to_device_distance (cr, &ux, &uy);
    r->device_scale = s * hypot (ux, uy);
  }
  /* Zoomed out, curves need far fewer segments to look right. */
  if (r->device_scale < 0.35)
    cairo_set_tolerance (cr, 0.8);  /* corners of a pixel or two */
  else if (r->device_scale < 0.6)
    cairo_set_tolerance (cr, 0.3);
  cairo_scale (cr, s, s);
  cairo_translate (cr, -view->x, -view->y);
  /* Tags, halos and arrowheads reach a little outside their boxes. */
  area.x = view->x - 16;
  area.y = view->y - 16;
  area.width = view->width / s + 32;
  area.height = view->height / s + 32;
  if (lod == HS_RENDER_LOD_AUTO)
    lod = s < 0.42 ? HS_RENDER_LOD_OVERVIEW : HS_RENDER_LOD_FULL;
  if (lod == HS_RENDER_LOD_OVERVIEW)
    {
      draw_overview (r, cr, P, d, l, &area, s);
      cairo_restore (cr);
      return;
    }

  for (size_t f = 0; f < d->n_frames; f++)
    if (hs_layout_get_frame (l, (size_t) d->frames[f].graph, &b) && meets (&b, &area))
      draw_frame (r, cr, P, d, &d->frames[f], &b);
  n = visible_objects (r, l, &area);
  {
    /* Opaque objects in batches; fading or pulsing ones one by one. */
    const HsDNode **node = g_new (const HsDNode *, n + 1);
    HsLayoutRect *rect = g_new (HsLayoutRect, n + 1);
    size_t m = 0;

    for (size_t i = 0; i < n; i++)
      {
        const HsDNode *o = &d->objects[d->graph_to_obj[r->idx[i]]];

        hs_layout_get_object (l, r->idx[i], &b);
        b.x += o->dx;
        b.y += o->dy;
        if (o->alpha >= 0.999f && o->pulse_strength <= 0)
          {
            node[m] = o;
            rect[m++] = b;
          }
        else
          draw_object (r, cr, P, d, o, &b);
      }
    draw_objects_batched (r, cr, P, d, node, rect, m);
    g_free (node);
    g_free (rect);
  }

  /* Edges on top: routes never cross a box, so only arrowheads touch one.
   * Plain opaque edges share one stroke and one fill. */
  ne = hs_layout_n_edges (l);
  eidx = g_new (size_t, ne + 1);
  for (size_t e = 0; e < ne; e++)
    if (hs_layout_get_edge_bounds (l, e, &b))
      {
        /* Only the arrows of gliding objects move off their route. */
        if (d->n_offsets > 0)
          edge_glide_bounds (d, e, &b);
        if (meets (&b, &area))
          eidx[n_eidx++] = e;
      }
  /* Zoomed out, arrows are thin: rasterize them with the fast antialiasing. */
  if (r->device_scale < 0.35)
    cairo_set_antialias (cr, CAIRO_ANTIALIAS_NONE);
  else if (r->device_scale < 0.6)
    cairo_set_antialias (cr, CAIRO_ANTIALIAS_FAST);
  set_rgb (cr, P->edge, 1);
  /* At least a device pixel wide, or unsmoothed lines break up. */
  lw = fmax (1.4, 1 / r->device_scale);
  cairo_set_line_width (cr, lw);
  for (int pass = 0; pass < 2; pass++)
    {
      size_t in_path = 0;

      for (size_t i = 0; i < n_eidx; i++)
        {
          EdgeStyle st = edge_style (d, eidx[i]);
          const HsLayoutPoint *pt;
          g_autofree HsLayoutPoint *moved = NULL;
          size_t np = edge_points (d, l, eidx[i], &pt, &moved);

          if (st.alpha < 0.999 || st.temp || st.hl)
            continue;
          if (pass == 0)
            {
              if (!edge_path (r, cr, l, pt, np, &area, true, lw))
                continue;
              /* Stroke in batches: the cost of one stroke grows faster
               * than its length where many arrows cross (wrapped heaps). */
              if (++in_path == EDGE_BATCH)
                {
                  cairo_stroke (cr);
                  in_path = 0;
                }
            }
          else
            edge_head (cr, pt, np, true);
        }
      if (pass == 0)
        {
          cairo_stroke (cr);
          runs_fill (r, cr);
        }
      else
        cairo_fill (cr);
    }
  cairo_set_antialias (cr, CAIRO_ANTIALIAS_DEFAULT);
  for (size_t i = 0; i < n_eidx; i++)
    {
      EdgeStyle st = edge_style (d, eidx[i]);
      const HsLayoutPoint *pt;
      g_autofree HsLayoutPoint *moved = NULL;
      size_t np = edge_points (d, l, eidx[i], &pt, &moved);
      Rgb c = st.hl ? P->highlight : st.temp ? P->edge_temp : P->edge;
      double a = st.alpha * (st.temp ? 0.6 : 1);

      if (!(st.alpha < 0.999 || st.temp || st.hl) || a <= 0.01)
        continue;
      edge_path (r, cr, l, pt, np, &area, false, 0);
      set_rgb (cr, c, a);
      cairo_set_line_width (cr, st.hl ? 3 : st.temp ? 1.2 : 1.4);
      if (st.temp)
        cairo_set_dash (cr, (double[]) { 4, 3 }, 2, 0);
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
      edge_head (cr, pt, np, !st.temp);
      cairo_fill (cr);
    }
  g_free (eidx);
  cairo_restore (cr);
}

void
hs_render_view_to_diagram (const HsRenderView *view, double px, double py,
                           double *x, double *y)
{
  double s = view->scale > 0 ? view->scale : 1;

  *x = view->x + px / s;
  *y = view->y + py / s;
}

bool
hs_render_hit_object (const HsLayout *l, const HsRenderView *view, double px,
                      double py, size_t *graph_index)
{
  double x, y;

  hs_render_view_to_diagram (view, px, py, &x, &y);
  return hs_layout_hit_object (l, x, y, graph_index);
}

void
hs_render_fit_view (const HsLayout *l, double width, double height,
                    HsRenderView *view)
{
  HsLayoutRect b;

  hs_layout_get_bounds (l, &b);
  hs_render_fit_rect (&b, width, height, view);
}

void
hs_render_get_extent (HsRender *r, const HsDiagram *d, const HsLayout *l, HsLayoutRect *out)
{
  double right;

  hs_layout_get_bounds (l, out);
  right = out->x + out->width;
  for (size_t i = 0; d->built && i < d->n_objects; i++)
    {
      const HsDNode *n = &d->objects[i];
      HsLayoutRect b;
      double reach;

      if (n->graph < 0 || !hs_layout_get_object (l, (size_t) n->graph, &b))
        continue;
      reach = state_tags_reach (r, d, n);
      if (reach > 0)
        right = fmax (right, b.x + reach);
    }
  out->width = right - out->x;
}

void
hs_render_fit_rect (const HsLayoutRect *bounds, double width, double height, HsRenderView *view)
{
  HsLayoutRect b = *bounds;
  double s;

  memset (view, 0, sizeof *view);
  if (b.width <= 0 || b.height <= 0)
    b.width = b.height = 1;
  s = fmin (width / b.width, height / b.height);
  if (s > 2)
    s = 2;
  view->scale = s;
  view->width = width;
  view->height = height;
  view->x = b.x - (width / s - b.width) / 2;
  view->y = b.y - (height / s - b.height) / 2;
  view->lod = HS_RENDER_LOD_AUTO;
}

int
hs_render_export (const HsDiagram *d, const HsLayout *l, const char *path,
                  const HsRenderExportOptions *options)
{
  const char *ext = strrchr (path, '.');
  HsRenderView view;
  cairo_surface_t *surface;
  cairo_status_t status;
  HsRender *r;
  cairo_t *cr;
  enum { PNG, SVG, PDF } kind;

  if (ext == NULL)
    return -1;
  if (g_ascii_strcasecmp (ext, ".png") == 0)
    kind = PNG;
  else if (g_ascii_strcasecmp (ext, ".svg") == 0)
    kind = SVG;
  else if (g_ascii_strcasecmp (ext, ".pdf") == 0)
    kind = PDF;
  else
    return -1;
  if (!d->built)
    return -1;

  if (options && options->view)
    view = *options->view;
  else
    {
      HsLayoutRect b;
      double s = options && options->scale > 0 ? options->scale : 1;

      hs_layout_get_bounds (l, &b);
      /* Cairo image surfaces stop at 32767 pixels a side. */
      if (kind == PNG && fmax (b.width, b.height) * s > 16000)
        s = 16000 / fmax (b.width, b.height);
      memset (&view, 0, sizeof view);
      view.x = b.x;
      view.y = b.y;
      view.scale = s;
      view.width = ceil (fmax (b.width, 1) * s);
      view.height = ceil (fmax (b.height, 1) * s);
      view.lod = HS_RENDER_LOD_FULL;
      view.dark = options && options->dark;
    }

  switch (kind)
    {
    case PNG:
      surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32,
                                            (int) view.width, (int) view.height);
      break;
    case SVG:
      surface = cairo_svg_surface_create (path, view.width, view.height);
      break;
    default:
      surface = cairo_pdf_surface_create (path, view.width, view.height);
      break;
    }
  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_destroy (surface);
      return -1;
    }
  r = hs_render_new ();
  cr = cairo_create (surface);
  hs_render_draw (r, cr, d, l, &view);
  status = cairo_status (cr);
  cairo_destroy (cr);
  hs_render_free (r);
  if (status == CAIRO_STATUS_SUCCESS && kind == PNG)
    status = cairo_surface_write_to_png (surface, path);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  return status == CAIRO_STATUS_SUCCESS ? 0 : -1;
}
