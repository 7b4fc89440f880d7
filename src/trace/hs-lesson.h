/* hs-lesson.h — lesson files: header, narration, event narration and predictions. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  HS_PREDICT_OUTPUT,    /* the text the line prints */
  HS_PREDICT_FREED,     /* "now" or "later": is an object freed by refcounting during the line */
  HS_PREDICT_REFCOUNT,  /* the refcount of NAME's object after the line (no getrefcount +1) */
  HS_PREDICT_ALIVE,     /* "yes" or "no": is NAME's object (before the line) alive after it */
} HsPredictionKind;

typedef enum {
  HS_LESSON_EVENT_ALLOC,
  HS_LESSON_EVENT_FREE,
  HS_LESSON_EVENT_FREE_GC,
  HS_LESSON_EVENT_GC,
  HS_LESSON_EVENT_CALL,
  HS_LESSON_EVENT_RETURN,
  HS_LESSON_EVENT_FINALIZE,
} HsLessonEventKind;

typedef struct {
  guint   line;        /* the code line the narration is attached to (1-based) */
  char   *text;        /* paragraphs separated by "\n\n" */
} HsNarration;

typedef struct {
  guint             line;
  HsLessonEventKind event;
  char             *text;
} HsEventNarration;

typedef struct {
  guint            line;
  HsPredictionKind kind;
  char            *name;      /* for REFCOUNT and ALIVE, else NULL */
  char            *question;
} HsPrediction;

typedef struct {
  char      *id;          /* file name without .py */
  char      *title;
  char      *summary;
  char      *watch;
  char      *profile;     /* "tutorial" or "cpython" */
  char      *source;      /* the whole file */
  GPtrArray *narrations;  /* HsNarration*, by line */
  GPtrArray *event_narrations;
  GPtrArray *predictions;
} HsLesson;

/* Parses a lesson from its text.  Returns NULL with an error naming the line for a
 * malformed directive (an unknown prediction or event kind, a missing title). */
HsLesson          *hs_lesson_parse (const char *id, const char *text, gsize len, GError **error);
HsLesson          *hs_lesson_load_file (const char *path, GError **error);
void               hs_lesson_free (HsLesson *lesson);

const HsNarration *hs_lesson_narration_at (const HsLesson *lesson, guint line);
const HsPrediction *hs_lesson_prediction_at (const HsLesson *lesson, guint line);
/* Event narrations for `line` and `event` (NULL-terminated array owned by the caller,
 * elements owned by the lesson). */
const HsEventNarration **hs_lesson_event_narrations (const HsLesson *lesson, guint line,
                                                     HsLessonEventKind event);

const char        *hs_lesson_event_kind_name (HsLessonEventKind kind);
const char        *hs_prediction_kind_name (HsPredictionKind kind);

/* Checks a learner's answer against what the runtime did.  `actual` is what the trace
 * measured (the printed text, "now"/"later", a number, "yes"/"no"); comparison ignores
 * surrounding whitespace and case, and accepts numbers written differently ("2", " 2 "). */
gboolean           hs_prediction_check (const HsPrediction *prediction, const char *answer,
                                        const char *actual);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsLesson, hs_lesson_free)

G_END_DECLS
