/* hs-render-private.h — shared internals of the diagram and the renderer. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <stdint.h>

#include "hs-render.h"

#define HS_NOSTR ((uint32_t) -1)

/* Type families: each has its own colours and corner shape. */
typedef enum
{
  HS_KIND_NUMBER,
  HS_KIND_STR,
  HS_KIND_LIST,
  HS_KIND_TUPLE,
  HS_KIND_DICT,
  HS_KIND_SET,
  HS_KIND_NONE,
  HS_KIND_CALLABLE,
  HS_KIND_CLASS,
  HS_KIND_OTHER,
  HS_N_KINDS
} HsKind;

typedef struct
{
  uint32_t label;               /* string, or HS_NOSTR */
  HsLayoutId target;
  uint8_t kind;                 /* HsLayoutRefKind */
  bool temporary;
  int32_t edge;                 /* graph ref index, -1: none */
  int32_t inline_obj;           /* object drawn inside this row, -1: none */
  int32_t shown;                /* row it is drawn in */
  int32_t owner;                /* frame or object index */
  bool owner_frame;
  int32_t target_obj;           /* diagram object index, -1: not drawn */
} HsDRow;

typedef struct
{
  HsLayoutId id;
  uint32_t name, value, badge, note, pulse;
  unsigned flags;
  float alpha, pulse_strength;
  float dx, dy;                 /* drawn this far from the layout position (a glide) */
  uint32_t first_row, n_rows, n_temps;
  int32_t graph;                /* graph index, -1 when hidden */
  uint8_t kind;                 /* HsKind */
  bool frame;
  /* Measured by hs_render_build_graph. */
  float w, h, rows_top;
  uint32_t shown_rows;          /* rows drawn, summary and stack rows included */
  uint32_t hidden_rows;         /* slots folded into the "...+N" row */
  uint32_t more_rows;           /* slots it stands for beyond those added (set_more_rows) */
} HsDNode;

struct HsDiagram
{
  HsDNode *frames, *objects;
  size_t n_frames, cap_frames, n_objects, cap_objects;
  HsDRow *rows;
  size_t n_rows, cap_rows;
  char *str;
  size_t n_str, cap_str;
  size_t last_frame;
  bool last_is_frame;
  bool inline_small;
  unsigned max_rows;
  size_t n_offsets;             /* objects with dx or dy set (a glide in progress) */

  bool built;
  HsLayoutGraph *graph;
  size_t *graph_to_obj;         /* graph object index -> diagram object */
  size_t n_graph_obj, cap_graph_obj;
  size_t *ref_row;              /* graph ref index -> row index */
  size_t cap_ref_row;
};

HsKind          hs_render_kind_for_type       (const char *type_name);

/* Geometry shared by measuring and drawing (layout units). */
#define HS_R_PAD        8.0
#define HS_R_HEADER_H   22.0
#define HS_R_VALUE_H    22.0
#define HS_R_ROW_H      20.0
#define HS_R_FRAME_HEADER_H 26.0
#define HS_R_MIN_W      60.0
#define HS_R_FRAME_MIN_W 150.0
