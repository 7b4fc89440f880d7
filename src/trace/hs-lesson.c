/* hs-lesson.c — lesson files: header, narration, event narration and predictions. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "hs-lesson.h"

#define HS_LESSON_ERROR (hs_lesson_error_quark ())
G_DEFINE_QUARK (hs-lesson-error-quark, hs_lesson_error)

static const char *const event_names[] = {
  [HS_LESSON_EVENT_ALLOC] = "alloc",
  [HS_LESSON_EVENT_FREE] = "free",
  [HS_LESSON_EVENT_FREE_GC] = "free-gc",
  [HS_LESSON_EVENT_GC] = "gc",
  [HS_LESSON_EVENT_CALL] = "call",
  [HS_LESSON_EVENT_RETURN] = "return",
  [HS_LESSON_EVENT_FINALIZE] = "finalize",
};

static const char *const prediction_names[] = {
  [HS_PREDICT_OUTPUT] = "output",
  [HS_PREDICT_FREED] = "freed",
  [HS_PREDICT_REFCOUNT] = "refcount",
  [HS_PREDICT_ALIVE] = "alive",
};

const char *
hs_lesson_event_kind_name (HsLessonEventKind kind)
{
  return (guint) kind < G_N_ELEMENTS (event_names) ? event_names[kind] : "unknown";
}

const char *
hs_prediction_kind_name (HsPredictionKind kind)
{
  return (guint) kind < G_N_ELEMENTS (prediction_names) ? prediction_names[kind] : "unknown";
}

static void
narration_free (gpointer p)
{
  HsNarration *n = p;

  g_free (n->text);
  g_free (n);
}

static void
event_narration_free (gpointer p)
{
  HsEventNarration *n = p;

  g_free (n->text);
  g_free (n);
}

static void
prediction_free (gpointer p)
{
  HsPrediction *n = p;

  g_free (n->name);
  g_free (n->question);
  g_free (n);
}

void
hs_lesson_free (HsLesson *lesson)
{
  if (lesson == NULL)
    return;
  g_free (lesson->id);
  g_free (lesson->title);
  g_free (lesson->summary);
  g_free (lesson->watch);
  g_free (lesson->profile);
  g_free (lesson->source);
  g_ptr_array_unref (lesson->narrations);
  g_ptr_array_unref (lesson->event_narrations);
  g_ptr_array_unref (lesson->predictions);
  g_free (lesson);
}

/* "# Key: value" with Key made of letters and dashes. */
static gboolean
parse_header_line (const char *line, char **key, char **value)
{
  const char *p = line, *k, *colon;

  if (*p != '#')
    return FALSE;
  p++;
  while (*p == ' ')
    p++;
  k = p;
  while (g_ascii_isalpha (*p) || *p == '-')
    p++;
  if (p == k || *p != ':')
    return FALSE;
  colon = p;
  *key = g_ascii_strdown (k, colon - k);
  *value = g_strstrip (g_strdup (colon + 1));
  return TRUE;
}

static int
lookup_name (const char *const *names, gsize n, const char *word)
{
  for (gsize i = 0; i < n; i++)
    if (g_strcmp0 (names[i], word) == 0)
      return (int) i;
  return -1;
}

typedef struct {
  GString   *narration;     /* pending #| text, or NULL */
  GPtrArray *events;        /* pending HsEventNarration* */
  GPtrArray *predictions;   /* pending HsPrediction* */
  guint      first_line;    /* where the pending directives start, for errors */
} Pending;

static gboolean
pending_is_empty (const Pending *p)
{
  return p->narration == NULL && p->events->len == 0 && p->predictions->len == 0;
}

static void
attach_pending (HsLesson *lesson, Pending *p, guint line)
{
  if (p->narration != NULL)
    {
      HsNarration *n = g_new0 (HsNarration, 1);

      /* Trailing paragraph breaks carry no meaning. */
      while (g_str_has_suffix (p->narration->str, "\n"))
        g_string_truncate (p->narration, p->narration->len - 1);
      n->line = line;
      n->text = g_string_free (p->narration, FALSE);
      p->narration = NULL;
      g_ptr_array_add (lesson->narrations, n);
    }
  for (guint i = 0; i < p->events->len; i++)
    {
      HsEventNarration *e = g_ptr_array_index (p->events, i);
      e->line = line;
      g_ptr_array_add (lesson->event_narrations, e);
    }
  g_ptr_array_set_size (p->events, 0);
  for (guint i = 0; i < p->predictions->len; i++)
    {
      HsPrediction *e = g_ptr_array_index (p->predictions, i);
      e->line = line;
      g_ptr_array_add (lesson->predictions, e);
    }
  g_ptr_array_set_size (p->predictions, 0);
}

static void
add_narration_text (Pending *p, const char *text)
{
  if (p->narration == NULL)
    {
      if (*text == '\0')
        return;
      p->narration = g_string_new (NULL);
    }
  if (*text == '\0')
    {
      if (!g_str_has_suffix (p->narration->str, "\n\n"))
        g_string_append (p->narration, "\n\n");
      return;
    }
  if (p->narration->len > 0 && !g_str_has_suffix (p->narration->str, "\n\n"))
    g_string_append_c (p->narration, ' ');
  g_string_append (p->narration, text);
}

/* "kind[ NAME]: text" */
static gboolean
split_directive (const char *body, char **kind, char **name, char **text)
{
  const char *colon = strchr (body, ':');
  g_auto(GStrv) words = NULL;
  g_autofree char *head = NULL;

  if (colon == NULL)
    return FALSE;
  head = g_strstrip (g_strndup (body, colon - body));
  words = g_strsplit_set (head, " \t", -1);
  if (words[0] == NULL || words[0][0] == '\0')
    return FALSE;
  *kind = g_strdup (words[0]);
  *name = NULL;
  for (guint i = 1; words[i] != NULL; i++)
    if (words[i][0] != '\0')
      {
        if (*name != NULL)
          {
            g_clear_pointer (kind, g_free);
            g_clear_pointer (name, g_free);
            return FALSE;
          }
        *name = g_strdup (words[i]);
      }
  *text = g_strstrip (g_strdup (colon + 1));
  return TRUE;
}

HsLesson *
hs_lesson_parse (const char  *id,
                 const char  *text,
                 gsize        len,
                 GError     **error)
{
  g_autoptr(HsLesson) lesson = g_new0 (HsLesson, 1);
  g_auto(GStrv) lines = NULL;
  Pending pending = { 0 };
  gboolean in_header = TRUE, ok = TRUE;

  g_return_val_if_fail (text != NULL, NULL);

  lesson->id = g_strdup (id);
  lesson->source = g_strndup (text, len);
  lesson->profile = g_strdup ("tutorial");
  lesson->narrations = g_ptr_array_new_with_free_func (narration_free);
  lesson->event_narrations = g_ptr_array_new_with_free_func (event_narration_free);
  lesson->predictions = g_ptr_array_new_with_free_func (prediction_free);
  pending.events = g_ptr_array_new ();
  pending.predictions = g_ptr_array_new ();

  if (!g_utf8_validate (lesson->source, -1, NULL) || strlen (lesson->source) != len)
    {
      g_set_error (error, HS_LESSON_ERROR, 1, "%s: the lesson is not valid UTF-8 text", id);
      ok = FALSE;
      goto out;
    }

  lines = g_strsplit (lesson->source, "\n", -1);
  for (guint i = 0; lines[i] != NULL && ok; i++)
    {
      guint lineno = i + 1;
      char *line = lines[i];
      const char *s;
      gsize l = strlen (line);

      if (l > 0 && line[l - 1] == '\r')
        line[l - 1] = '\0';
      s = line;
      while (*s == ' ' || *s == '\t')
        s++;

      if (in_header)
        {
          g_autofree char *key = NULL, *value = NULL;

          if (*s == '\0' && lesson->title == NULL)
            continue;
          if (s == line && parse_header_line (line, &key, &value))
            {
              if (g_str_equal (key, "title"))
                g_free (lesson->title), lesson->title = g_steal_pointer (&value);
              else if (g_str_equal (key, "summary"))
                g_free (lesson->summary), lesson->summary = g_steal_pointer (&value);
              else if (g_str_equal (key, "watch"))
                g_free (lesson->watch), lesson->watch = g_steal_pointer (&value);
              else if (g_str_equal (key, "profile"))
                {
                  if (!g_str_equal (value, "tutorial") && !g_str_equal (value, "cpython"))
                    {
                      g_set_error (error, HS_LESSON_ERROR, 2,
                                   "%s:%u: unknown profile “%s” (use tutorial or cpython)",
                                   id, lineno, value);
                      ok = FALSE;
                    }
                  g_free (lesson->profile), lesson->profile = g_steal_pointer (&value);
                }
              continue;
            }
          in_header = FALSE;
        }

      if (g_str_has_prefix (s, "#|"))
        {
          g_autofree char *t = g_strstrip (g_strdup (s + 2));
          if (pending_is_empty (&pending))
            pending.first_line = lineno;
          add_narration_text (&pending, t);
        }
      else if (g_str_has_prefix (s, "#@") || g_str_has_prefix (s, "#?"))
        {
          g_autofree char *kind = NULL, *name = NULL, *body = NULL;
          gboolean is_event = s[1] == '@';
          int k;

          if (pending_is_empty (&pending))
            pending.first_line = lineno;
          if (!split_directive (s + 2, &kind, &name, &body) || *body == '\0')
            {
              g_set_error (error, HS_LESSON_ERROR, 3,
                           "%s:%u: expected “%s KIND: text”", id, lineno, is_event ? "#@" : "#?");
              ok = FALSE;
              break;
            }
          if (is_event)
            {
              HsEventNarration *e;

              k = lookup_name (event_names, G_N_ELEMENTS (event_names), kind);
              if (k < 0 || name != NULL)
                {
                  g_set_error (error, HS_LESSON_ERROR, 4,
                               "%s:%u: unknown memory event “%s” (use alloc, free, free-gc, gc, call, return or finalize)",
                               id, lineno, kind);
                  ok = FALSE;
                  break;
                }
              e = g_new0 (HsEventNarration, 1);
              e->event = k;
              e->text = g_steal_pointer (&body);
              g_ptr_array_add (pending.events, e);
            }
          else
            {
              HsPrediction *pr;
              gboolean wants_name;

              k = lookup_name (prediction_names, G_N_ELEMENTS (prediction_names), kind);
              wants_name = k == HS_PREDICT_REFCOUNT || k == HS_PREDICT_ALIVE;
              if (k < 0)
                {
                  g_set_error (error, HS_LESSON_ERROR, 5,
                               "%s:%u: unknown prediction “%s” (use output, freed, refcount NAME or alive NAME)",
                               id, lineno, kind);
                  ok = FALSE;
                  break;
                }
              if (wants_name != (name != NULL))
                {
                  g_set_error (error, HS_LESSON_ERROR, 6,
                               wants_name ? "%s:%u: “%s” needs the name of a variable"
                                          : "%s:%u: “%s” takes no variable name",
                               id, lineno, kind);
                  ok = FALSE;
                  break;
                }
              pr = g_new0 (HsPrediction, 1);
              pr->kind = k;
              pr->name = g_steal_pointer (&name);
              pr->question = g_steal_pointer (&body);
              g_ptr_array_add (pending.predictions, pr);
            }
        }
      else if (*s == '\0' || *s == '#')
        continue;
      else if (!pending_is_empty (&pending))
        attach_pending (lesson, &pending, lineno);
    }

  if (ok && lesson->title == NULL)
    {
      g_set_error (error, HS_LESSON_ERROR, 7, "%s: the lesson has no “# Title:” line", id);
      ok = FALSE;
    }
  if (ok && !pending_is_empty (&pending))
    {
      g_set_error (error, HS_LESSON_ERROR, 8,
                   "%s:%u: this narration is not followed by any line of code", id, pending.first_line);
      ok = FALSE;
    }

out:
  if (pending.narration != NULL)
    g_string_free (pending.narration, TRUE);
  for (guint i = 0; i < pending.events->len; i++)
    event_narration_free (g_ptr_array_index (pending.events, i));
  for (guint i = 0; i < pending.predictions->len; i++)
    prediction_free (g_ptr_array_index (pending.predictions, i));
  g_ptr_array_unref (pending.events);
  g_ptr_array_unref (pending.predictions);
  return ok ? g_steal_pointer (&lesson) : NULL;
}

HsLesson *
hs_lesson_load_file (const char  *path,
                     GError     **error)
{
  g_autofree char *text = NULL;
  g_autofree char *base = NULL;
  gsize len;

  if (!g_file_get_contents (path, &text, &len, error))
    return NULL;
  base = g_path_get_basename (path);
  if (g_str_has_suffix (base, ".py"))
    base[strlen (base) - 3] = '\0';
  return hs_lesson_parse (base, text, len, error);
}

const HsNarration *
hs_lesson_narration_at (const HsLesson *lesson,
                        guint           line)
{
  for (guint i = 0; i < lesson->narrations->len; i++)
    {
      const HsNarration *n = g_ptr_array_index (lesson->narrations, i);
      if (n->line == line)
        return n;
    }
  return NULL;
}

const HsPrediction *
hs_lesson_prediction_at (const HsLesson *lesson,
                         guint           line)
{
  for (guint i = 0; i < lesson->predictions->len; i++)
    {
      const HsPrediction *p = g_ptr_array_index (lesson->predictions, i);
      if (p->line == line)
        return p;
    }
  return NULL;
}

const HsEventNarration **
hs_lesson_event_narrations (const HsLesson    *lesson,
                            guint              line,
                            HsLessonEventKind  event)
{
  GPtrArray *found = g_ptr_array_new ();

  for (guint i = 0; i < lesson->event_narrations->len; i++)
    {
      const HsEventNarration *e = g_ptr_array_index (lesson->event_narrations, i);
      if (e->line == line && e->event == event)
        g_ptr_array_add (found, (gpointer) e);
    }
  g_ptr_array_add (found, NULL);
  return (const HsEventNarration **) g_ptr_array_free (found, FALSE);
}

static char *
normalize_answer (const char *s)
{
  g_autofree char *down = g_utf8_casefold (s != NULL ? s : "", -1);
  GString *out = g_string_new (NULL);
  gboolean space = FALSE;

  /* Collapse runs of white space so "  3  4 " equals "3 4". */
  for (const char *p = down; *p != '\0'; p++)
    {
      if (g_ascii_isspace (*p))
        space = out->len > 0;
      else
        {
          if (space)
            g_string_append_c (out, ' ');
          space = FALSE;
          g_string_append_c (out, *p);
        }
    }
  return g_string_free (out, FALSE);
}

gboolean
hs_prediction_check (const HsPrediction *prediction,
                     const char         *answer,
                     const char         *actual)
{
  g_autofree char *a = normalize_answer (answer);
  g_autofree char *b = normalize_answer (actual);
  char *end_a, *end_b;
  gint64 na, nb;

  g_return_val_if_fail (prediction != NULL, FALSE);

  if (*a == '\0' || actual == NULL)
    return FALSE;
  if (g_str_equal (a, b))
    return TRUE;

  na = g_ascii_strtoll (a, &end_a, 10);
  nb = g_ascii_strtoll (b, &end_b, 10);
  if (*end_a == '\0' && *end_b == '\0' && end_a != a && end_b != b)
    return na == nb;

  if (prediction->kind == HS_PREDICT_ALIVE || prediction->kind == HS_PREDICT_FREED)
    {
      /* Accept the obvious synonyms of the two answers. */
      static const char *const yes[] = { "yes", "y", "true", "alive", "now", NULL };
      static const char *const no[] = { "no", "n", "false", "dead", "freed", "later", NULL };
      const char *const *set_a = NULL;

      if (g_strv_contains (yes, a))
        set_a = yes;
      else if (g_strv_contains (no, a))
        set_a = no;
      if (prediction->kind == HS_PREDICT_FREED)
        return g_str_equal (a, b);
      return set_a != NULL && g_strv_contains (set_a, b);
    }
  return FALSE;
}
