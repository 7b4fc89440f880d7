/* hs-diagram-builder.h — what the heap picture shows at one step, built from the trace model. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "hs-render.h"
#include "hs-trace.h"

G_BEGIN_DECLS

/* A frame that returned, with its variables as they were when it returned. */
typedef struct {
  HsId       id;
  guint32    depth;
  guint64    return_event;      /* index of its RETURN event */
  char      *name;
  GPtrArray *labels;            /* variable names */
  GArray    *targets;           /* HsId each variable referred to */
  GPtrArray *values;            /* short "type value" text of each target then */
} HsFinishedFrame;

typedef struct {
  GPtrArray  *finished;         /* HsFinishedFrame to keep greyed after the live frames, or NULL */
  gboolean    inline_small;     /* small immutables drawn inside their holder */
  gboolean    show_temporaries; /* value-stack references as faint arrows */
  HsId        selected;
  GHashTable *highlight;        /* ids on the retainer path (set of HsId as pointers), or NULL */
  guint       max_objects;      /* boxes drawn at most (default HS_DIAGRAM_MAX_OBJECTS) */
} HsDiagramOptions;

/* A picture of more boxes than this is a grey wall, and building it (text measured
 * for every box) would hold up the window: past it, objects are counted, not drawn,
 * nearest the frames first. */
#define HS_DIAGRAM_MAX_OBJECTS 2000
/* A container draws at most this many slots; its "...+N" row counts the rest. */
#define HS_DIAGRAM_MAX_SLOTS 64

void  hs_diagram_options_init (HsDiagramOptions *options);

/* A cache of finished frames for one trace: frame id -> HsFinishedFrame. */
GHashTable *hs_diagram_finished_cache_new (void);

/* The frames that returned during the last `steps` lines and whose place no later
 * call has taken, shallowest first (borrowed from `cache`, which fills as needed).
 * The module frame never counts. */
GPtrArray  *hs_diagram_collect_finished_frames (HsTraceModel *model,
                                                guint         steps,
                                                GHashTable   *cache);

/* Fills `diagram` with the frames and the objects a learner should see at the model's
 * current step: everything reachable from a frame or a global, cyclic garbage still
 * alive, and what was freed during the step (marked, to fade out where it stood).
 * Runtime roots, code objects and builtin types are left out.  `ids` (may be NULL)
 * receives the object id of each diagram object, in diagram order.  Returns how
 * many live objects the picture stands for: drawn, or past max_objects; `n_drawn`
 * (may be NULL) receives how many of them are drawn.  The ones freed during the
 * step, still drawn, count in neither. */
guint hs_diagram_build_from_model (HsDiagram              *diagram,
                                   HsTraceModel           *model,
                                   const HsDiagramOptions *options,
                                   GArray                 *ids,
                                   guint                  *n_drawn);

/* A one-line description for screen readers and tooltips:
 * "list, 3 items, refcount 2" or "int 42, cached". */
char *hs_diagram_describe_object (HsTraceModel *model, HsId id);

/* What changed the object's refcount during the line that just ran, one line per
 * change: "+1 another_message", "−1 temporary (argument)".  NULL when nothing did. */
char *hs_diagram_describe_changes (HsTraceModel *model, HsId id);

G_END_DECLS
