/* test-lesson.c — the lesson format: header, narration, event narration, predictions. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <glib.h>
#include <string.h>

#include "hs-lesson.h"

static HsLesson *
parse (const char *text, GError **error)
{
  return hs_lesson_parse ("test", text, strlen (text), error);
}

static void
test_header (void **state)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsLesson) l = parse ("# Title: Heap memory\n# Summary: Objects live on the heap.\n"
                                 "# Watch: the box\n# Profile: cpython\n# Future-Key: ignored\n\nx = 1\n",
                                 &error);

  assert_null (error);
  assert_non_null (l);
  assert_string_equal (l->title, "Heap memory");
  assert_string_equal (l->summary, "Objects live on the heap.");
  assert_string_equal (l->watch, "the box");
  assert_string_equal (l->profile, "cpython");
  assert_int_equal (l->narrations->len, 0);
}

static void
test_narration_attaches_to_next_code_line (void **state)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsLesson) l = parse ("# Title: T\n\n#| First line\n#| continues.\n#|\n#| Second paragraph.\n"
                                 "# an ordinary comment\n\nmessage = 'x'\n"
                                 "def f():\n    #| Indented narration.\n    return 1\n",
                                 &error);
  const HsNarration *n;

  assert_null (error);
  n = hs_lesson_narration_at (l, 9);
  assert_non_null (n);
  assert_string_equal (n->text, "First line continues.\n\nSecond paragraph.");
  assert_null (hs_lesson_narration_at (l, 8));
  n = hs_lesson_narration_at (l, 12);
  assert_non_null (n);
  assert_string_equal (n->text, "Indented narration.");
}

static void
test_events_and_predictions (void **state)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsLesson) l = parse ("# Title: T\nm = 'a'\n#? freed: Freed now?\n#@ free: Gone.\n"
                                 "#@ gc: Collected.\nm = 'b'\n#? refcount m: How many?\nprint(m)\n",
                                 &error);
  const HsPrediction *p;
  g_autofree const HsEventNarration **ev = NULL;
  g_autofree const HsEventNarration **none = NULL;

  assert_null (error);
  p = hs_lesson_prediction_at (l, 6);
  assert_non_null (p);
  assert_int_equal (p->kind, HS_PREDICT_FREED);
  assert_string_equal (p->question, "Freed now?");
  p = hs_lesson_prediction_at (l, 8);
  assert_int_equal (p->kind, HS_PREDICT_REFCOUNT);
  assert_string_equal (p->name, "m");
  ev = hs_lesson_event_narrations (l, 6, HS_LESSON_EVENT_FREE);
  assert_non_null (ev[0]);
  assert_string_equal (ev[0]->text, "Gone.");
  assert_null (ev[1]);
  none = hs_lesson_event_narrations (l, 6, HS_LESSON_EVENT_CALL);
  assert_null (none[0]);
}

static void
test_errors_name_the_line (void **state)
{
  static const struct { const char *text; const char *needle; } cases[] = {
    { "x = 1\n", "no “# Title:” line" },
    { "# Title: T\n#? guess: what?\nx = 1\n", "test:2: unknown prediction “guess”" },
    { "# Title: T\n#@ explode: boom\nx = 1\n", "test:2: unknown memory event “explode”" },
    { "# Title: T\n#? refcount: how many?\nx = 1\n", "test:2: “refcount” needs the name" },
    { "# Title: T\n#? output x: what?\nx = 1\n", "test:2: “output” takes no variable name" },
    { "# Title: T\nx = 1\n#| dangling\n", "test:3: this narration is not followed" },
    { "# Title: T\n# Profile: pypy\nx = 1\n", "unknown profile “pypy”" },
    { "# Title: T\n#? output\nx = 1\n", "test:2: expected “#? KIND: text”" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      HsLesson *l = parse (cases[i].text, &error);

      assert_null (l);
      assert_non_null (error);
      if (strstr (error->message, cases[i].needle) == NULL)
        fail_msg ("case %zu: “%s” does not contain “%s”", i, error->message, cases[i].needle);
    }
}

static void
test_invalid_utf8 (void **state)
{
  g_autoptr(GError) error = NULL;
  static const char bad[] = "# Title: T\nx = '\xff'\n";

  assert_null (hs_lesson_parse ("bad", bad, sizeof bad - 1, &error));
  assert_non_null (strstr (error->message, "UTF-8"));
}

static void
test_prediction_check (void **state)
{
  HsPrediction out = { .kind = HS_PREDICT_OUTPUT };
  HsPrediction freed = { .kind = HS_PREDICT_FREED };
  HsPrediction alive = { .kind = HS_PREDICT_ALIVE, .name = (char *) "x" };

  assert_true (hs_prediction_check (&out, " 2 ", "2\n"));
  assert_false (hs_prediction_check (&out, "3", "2\n"));
  assert_true (hs_prediction_check (&out, "Garbage  collector: collected 0 objects.",
                                    "Garbage collector: collected 0 objects.\n"));
  assert_false (hs_prediction_check (&out, "", ""));
  assert_true (hs_prediction_check (&freed, "Now", "now"));
  assert_false (hs_prediction_check (&freed, "later", "now"));
  assert_true (hs_prediction_check (&alive, "y", "yes"));
  assert_true (hs_prediction_check (&alive, "freed", "no"));
  assert_false (hs_prediction_check (&alive, "yes", "no"));
}

/* Every lesson shipped in data/lessons parses, has a title and a summary, and its
 * narration attaches to real lines of code. */
static void
test_shipped_lessons (void **state)
{
  const char *dir = g_getenv ("HS_LESSONS_DIR");
  g_autoptr(GDir) d = NULL;
  const char *name;
  guint count = 0;

  assert_non_null (dir);
  d = g_dir_open (dir, 0, NULL);
  assert_non_null (d);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(HsLesson) l = NULL;
      g_auto(GStrv) lines = NULL;

      if (!g_str_has_suffix (name, ".py"))
        continue;
      path = g_build_filename (dir, name, NULL);
      l = hs_lesson_load_file (path, &error);
      if (l == NULL)
        fail_msg ("%s: %s", name, error->message);
      assert_non_null (l->summary);
      assert_true (l->narrations->len > 0);
      lines = g_strsplit (l->source, "\n", -1);
      for (guint i = 0; i < l->narrations->len; i++)
        {
          const HsNarration *n = g_ptr_array_index (l->narrations, i);
          const char *code = g_strstrip (g_strdup (lines[n->line - 1]));
          assert_true (code[0] != '\0' && code[0] != '#');
          g_free ((char *) code);
        }
      count++;
    }
  assert_true (count >= 16);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_header),
    cmocka_unit_test (test_narration_attaches_to_next_code_line),
    cmocka_unit_test (test_events_and_predictions),
    cmocka_unit_test (test_errors_name_the_line),
    cmocka_unit_test (test_invalid_utf8),
    cmocka_unit_test (test_prediction_check),
    cmocka_unit_test (test_shipped_lessons),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
