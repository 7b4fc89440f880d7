/* test-lesson-facts.c — every lesson run headless: the memory facts it teaches, checked through the trace. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "hs-lesson.h"
#include "hs-trace.h"

/* ---- known failures ------------------------------------------------------------------
 *
 * Facts that fail because the runtime or the trace is wrong, not the lesson or this
 * test.  Each is still evaluated: a failure prints "KNOWN FAILURE: ..." and is skipped;
 * a known failure that starts passing fails the test, so the list stays honest. */

typedef struct {
  const char *lesson;
  const char *fact;
} KnownFailure;

static const KnownFailure known_failures[] = {
  { NULL, NULL }
};

/* ---- counters over the whole suite ---------------------------------------------------- */

static guint n_checked, n_passed, n_known;

/* ---- one recorded run of a lesson ------------------------------------------------------ */

typedef struct {
  const char    *name;        /* lesson id, e.g. "03-reassignment" */
  const char    *label;       /* name, or name + " (cpython)" */
  HsProfile      profile;
  HsLesson      *lesson;
  HsTrace       *trace;
  HsTraceModel  *model;
  GArray        *events;      /* HsEvent; strings point into the trace */
  GPtrArray     *owned;       /* copies of GC_PHASE id arrays */
  GArray        *depth;       /* guint per event: depth of the event's frame (0: module) */
  GHashTable    *frame_depth; /* frame id -> depth + 1 */
  GString       *out;         /* stdout */
  HsResult       result;
  HsMemStats     stats;
  guint          failures;
} Run;

static char *
lessons_dir (void)
{
  const char *env = g_getenv ("HS_LESSONS_DIR");
  g_autofree char *here = g_path_get_dirname (__FILE__);
  g_autofree char *rel = g_build_filename (here, "..", "..", "data", "lessons", NULL);

  if (env != NULL && g_file_test (env, G_FILE_TEST_IS_DIR))
    return g_strdup (env);
  return g_canonicalize_filename (rel, NULL);
}

static char *
expected_dir (void)
{
  g_autofree char *lessons = lessons_dir ();

  return g_build_filename (lessons, "..", "..", "tests", "lessons", NULL);
}

/* The program's output is read back from the trace's OUTPUT events. */
static void
write_cb (void *user_data, HsStream stream, const char *text, size_t len)
{
}

static gboolean
copy_event_cb (const HsEvent *ev, gpointer user_data)
{
  Run *run = user_data;
  HsEvent copy = *ev;
  guint d = 0;
  gpointer v;

  if (ev->kind == HS_EV_GC_PHASE)
    {
      HsId *ids = g_memdup2 (ev->u.gc_phase.ids, MAX (ev->u.gc_phase.n, 1) * sizeof (HsId));
      g_ptr_array_add (run->owned, ids);
      copy.u.gc_phase.ids = ids;
      copy.u.gc_phase.values = NULL;
    }
  if (ev->kind == HS_EV_CALL)
    {
      guint pd = 0;
      if (ev->u.call.parent != 0
          && (v = g_hash_table_lookup (run->frame_depth, &ev->u.call.parent)) != NULL)
        pd = GPOINTER_TO_UINT (v);
      HsId *key = g_new (HsId, 1);
      *key = ev->u.call.frame;
      g_hash_table_insert (run->frame_depth, key, GUINT_TO_POINTER (ev->u.call.parent ? pd + 1 : 1));
    }
  if (ev->frame != 0 && (v = g_hash_table_lookup (run->frame_depth, &ev->frame)) != NULL)
    d = GPOINTER_TO_UINT (v) - 1;
  if (ev->kind == HS_EV_OUTPUT && ev->u.output.stream == HS_STREAM_STDOUT)
    g_string_append_len (run->out, ev->u.output.text, ev->u.output.len);
  g_array_append_val (run->events, copy);
  g_array_append_val (run->depth, d);
  return TRUE;
}

static Run *
run_lesson (const char *name, HsProfile profile)
{
  g_autofree char *dir = lessons_dir ();
  g_autofree char *file = g_strconcat (name, ".py", NULL);
  g_autofree char *path = g_build_filename (dir, file, NULL);
  g_autoptr(GError) error = NULL;
  HsTraceRecorder *rec;
  HsConfig config;
  HsVm *vm;
  Run *run = g_new0 (Run, 1);

  run->name = name;
  run->label = profile == HS_PROFILE_CPYTHON ? g_strconcat (name, " (cpython)", NULL) : g_strdup (name);
  run->profile = profile;
  run->lesson = hs_lesson_load_file (path, &error);
  if (run->lesson == NULL)
    fail_msg ("%s: %s", path, error != NULL ? error->message : "cannot load");

  run->trace = hs_trace_new ();
  hs_trace_set_checkpoint_policy (run->trace, 256, 1, 4096, G_MAXUINT);
  rec = hs_trace_recorder_new (run->trace);
  hs_config_init (&config);
  config.write = write_cb;
  config.hook = hs_trace_recorder_hook;
  config.hook_mask = HS_EVMASK_ALL;
  config.user_data = rec;
  config.profile = profile;
  vm = hs_vm_new (&config);
  assert_non_null (vm);
  run->result = hs_vm_run (vm, path, run->lesson->source, strlen (run->lesson->source));
  hs_trace_recorder_finish (rec);
  hs_vm_free (vm, &run->stats);
  hs_trace_recorder_free (rec);
  hs_trace_sync (run->trace);

  run->events = g_array_new (FALSE, FALSE, sizeof (HsEvent));
  run->depth = g_array_new (FALSE, FALSE, sizeof (guint));
  run->owned = g_ptr_array_new_with_free_func (g_free);
  run->frame_depth = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  run->out = g_string_new (NULL);
  hs_trace_foreach_event (run->trace, 0, hs_trace_get_n_events (run->trace), copy_event_cb, run);
  run->model = hs_trace_model_new (run->trace);
  return run;
}

static void
run_free (Run *run)
{
  g_object_unref (run->model);
  hs_trace_unref (run->trace);
  hs_lesson_free (run->lesson);
  g_array_unref (run->events);
  g_array_unref (run->depth);
  g_ptr_array_unref (run->owned);
  g_hash_table_unref (run->frame_depth);
  g_string_free (run->out, TRUE);
  g_free ((char *) run->label);
  g_free (run);
}

/* Ends the lesson's test: every fact that is not a known failure must have held. */
static void
run_finish (Run *run)
{
  guint failures = run->failures;

  run_free (run);
  assert_int_equal (failures, 0);
}

/* ---- facts ----------------------------------------------------------------------------- */

static gboolean
is_known (const Run *run, const char *fact)
{
  for (guint i = 0; known_failures[i].lesson != NULL; i++)
    if (g_str_equal (known_failures[i].lesson, run->label) && g_str_equal (known_failures[i].fact, fact))
      return TRUE;
  return FALSE;
}

/* Records one fact.  `detail` (may be NULL) says what the trace showed. */
static void
fact (Run *run, const char *what, gboolean ok, const char *detail)
{
  gboolean known = is_known (run, what);

  n_checked++;
  if (ok && !known)
    n_passed++;
  else if (ok && known)
    {
      print_error ("KNOWN FAILURE NOW PASSES (remove it from known_failures): %s: %s\n", run->label, what);
      run->failures++;
    }
  else if (known)
    {
      n_known++;
      print_message ("KNOWN FAILURE: %s: %s: %s\n", run->label, what, detail ? detail : "");
    }
  else
    {
      print_error ("FACT FAILED: %s: %s: %s\n", run->label, what, detail ? detail : "");
      run->failures++;
    }
}

static void
factf (Run *run, const char *what, gboolean ok, const char *fmt, ...) G_GNUC_PRINTF (4, 5);

static void
factf (Run *run, const char *what, gboolean ok, const char *fmt, ...)
{
  g_autofree char *detail = NULL;
  va_list ap;

  va_start (ap, fmt);
  detail = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  fact (run, what, ok, detail);
}

/* ---- reading the events --------------------------------------------------------------- */

static const HsEvent *
ev_at (Run *run, guint64 i)
{
  return &g_array_index (run->events, HsEvent, i);
}

static guint
depth_at (Run *run, guint64 i)
{
  return g_array_index (run->depth, guint, i);
}

static guint64
n_events (Run *run)
{
  return run->events->len;
}

/* The events of the `nth` (0-based) run of `line`: from its LINE event up to the next
 * LINE event of its own frame or a shallower one (calls it makes belong to it), or to
 * the end of its frame's RETURN and what follows in the caller before the next line.
 * FALSE when the line never ran that often. */
static gboolean
line_span (Run *run, guint32 line, guint nth, guint64 *start, guint64 *end)
{
  guint64 i, j;
  guint seen = 0;

  for (i = 0; i < n_events (run); i++)
    {
      const HsEvent *e = ev_at (run, i);
      guint d;

      if (e->kind != HS_EV_LINE || e->u.line.line != line || seen++ != nth)
        continue;
      d = depth_at (run, i);
      for (j = i + 1; j < n_events (run); j++)
        {
          const HsEvent *f = ev_at (run, j);
          if (f->kind == HS_EV_LINE && depth_at (run, j) <= d)
            break;
          if (f->kind == HS_EV_RETURN && f->u.ret.frame == e->frame)
            {
              /* The frame's last line: what happens until the caller's next line
               * (popping the frame, freeing its locals) is still this line's doing. */
              for (j++; j < n_events (run); j++)
                if (ev_at (run, j)->kind == HS_EV_LINE)
                  break;
              break;
            }
        }
      *start = i;
      *end = j;
      return TRUE;
    }
  return FALSE;
}

/* All the runs of the lines first..last (a loop), from the first one's start to the
 * first LINE event of the module frame outside that range. */
static gboolean
lines_span (Run *run, guint32 first, guint32 last, guint64 *start, guint64 *end)
{
  guint64 s, e, j;

  if (!line_span (run, first, 0, &s, &e))
    return FALSE;
  for (j = s + 1; j < n_events (run); j++)
    {
      const HsEvent *f = ev_at (run, j);
      if (f->kind == HS_EV_LINE && depth_at (run, j) <= depth_at (run, s)
          && (f->u.line.line < first || f->u.line.line > last))
        break;
    }
  *start = s;
  *end = j;
  return TRUE;
}

/* Stdout written between two event indexes. */
static char *
output_between (Run *run, guint64 start, guint64 end)
{
  GString *s = g_string_new (NULL);

  for (guint64 i = start; i < end; i++)
    {
      const HsEvent *e = ev_at (run, i);
      if (e->kind == HS_EV_OUTPUT && e->u.output.stream == HS_STREAM_STDOUT)
        g_string_append_len (s, e->u.output.text, e->u.output.len);
    }
  return g_string_free (s, FALSE);
}

static char *
line_output (Run *run, guint32 line)
{
  guint64 s, e;

  if (!line_span (run, line, 0, &s, &e))
    return g_strdup ("<line never ran>");
  return output_between (run, s, e);
}

/* Index of the FREE event of `id` (G_MAXUINT64 if never freed while recording). */
static guint64
free_event_of (Run *run, HsId id, HsFreeCause *cause)
{
  for (guint64 i = 0; i < n_events (run); i++)
    {
      const HsEvent *e = ev_at (run, i);
      if (e->kind == HS_EV_FREE && e->u.free.id == id)
        {
          if (cause != NULL)
            *cause = e->u.free.cause;
          return i;
        }
    }
  return G_MAXUINT64;
}

static const char *
cause_name (HsFreeCause cause)
{
  switch (cause)
    {
    case HS_FREE_REFCOUNT: return "refcount";
    case HS_FREE_GC: return "gc";
    case HS_FREE_TEARDOWN: return "teardown";
    default: return "?";
    }
}

/* The first ALLOC of an object of `type` (and `describe`, when not NULL) in [from, to). */
static HsId
find_alloc (Run *run, const char *type, const char *describe, guint64 from, guint64 to, guint64 *where)
{
  char buf[HS_EVENT_INT_TEXT];

  for (guint64 i = from; i < to && i < n_events (run); i++)
    {
      const HsEvent *e = ev_at (run, i);
      if (e->kind == HS_EV_ALLOC && g_strcmp0 (e->u.alloc.type_name, type) == 0
          && (describe == NULL || g_strcmp0 (hs_event_alloc_describe (e, buf), describe) == 0))
        {
          if (where != NULL)
            *where = i;
          return e->u.alloc.id;
        }
    }
  return 0;
}

/* Counts events of `kind` in [from, to). */
static guint
count_kind (Run *run, HsEventKind kind, guint64 from, guint64 to)
{
  guint n = 0;

  for (guint64 i = from; i < to && i < n_events (run); i++)
    if (ev_at (run, i)->kind == kind)
      n++;
  return n;
}

/* ---- reading the model ---------------------------------------------------------------- */

/* The state after the first `n` events. */
static void
seek (Run *run, guint64 n)
{
  hs_trace_model_seek_event_quiet (run->model, n);
}

/* The object a name refers to at the model's position: the current frame's local,
 * else a global (as the lesson panel looks names up). */
static HsId
lookup_name (Run *run, const char *name)
{
  HsId frame = hs_trace_model_get_current_frame (run->model);
  HsId global_hit = 0;

  for (guint i = 0; i < hs_trace_model_get_n_refs (run->model); i++)
    {
      const HsTraceRef *r = hs_trace_model_get_ref (run->model, i);
      g_autofree char *label = NULL;

      if (r->holder_kind != HS_HOLDER_LOCAL && r->holder_kind != HS_HOLDER_GLOBAL)
        continue;
      label = hs_trace_model_ref_label (run->model, r);
      if (g_strcmp0 (label, name) != 0)
        continue;
      if (r->holder_kind == HS_HOLDER_LOCAL && r->holder == frame)
        return r->target;
      if (r->holder_kind == HS_HOLDER_GLOBAL)
        global_hit = r->target;
    }
  return global_hit;
}

static gint64
refcnt_of (Run *run, HsId id)
{
  const HsTraceObject *o = id != 0 ? hs_trace_model_lookup_object (run->model, id) : NULL;

  return o != NULL ? o->refcnt : -1;
}

static gboolean
alive (Run *run, HsId id)
{
  const HsTraceObject *o = id != 0 ? hs_trace_model_lookup_object (run->model, id) : NULL;

  return o != NULL && o->state == HS_TRACE_ALIVE;
}

static guint8
obj_flags (Run *run, HsId id)
{
  const HsTraceObject *o = id != 0 ? hs_trace_model_lookup_object (run->model, id) : NULL;

  return o != NULL ? o->flags : 0;
}

/* Describes the referrers of `id` at the model's position, e.g. "global string, [1]". */
static char *
referrers_text (Run *run, HsId id)
{
  g_autoptr(GArray) refs = hs_trace_model_referrers (run->model, id);
  GString *s = g_string_new (NULL);

  for (guint i = 0; refs != NULL && i < refs->len; i++)
    {
      const HsTraceRef *r = &g_array_index (refs, HsTraceRef, i);
      g_autofree char *label = hs_trace_model_ref_label (run->model, r);
      g_string_append_printf (s, "%s%s %s", i ? ", " : "", hs_holder_kind_name (r->holder_kind), label);
    }
  return g_string_free (s, FALSE);
}

/* Whether `id` has a referrer of `kind` labelled `label` (any label when NULL). */
static gboolean
has_referrer (Run *run, HsId id, HsHolderKind kind, const char *label, HsId *holder)
{
  g_autoptr(GArray) refs = hs_trace_model_referrers (run->model, id);

  for (guint i = 0; refs != NULL && i < refs->len; i++)
    {
      const HsTraceRef *r = &g_array_index (refs, HsTraceRef, i);
      g_autofree char *l = hs_trace_model_ref_label (run->model, r);
      if (r->holder_kind == kind && (label == NULL || g_strcmp0 (l, label) == 0))
        {
          if (holder != NULL)
            *holder = r->holder;
          return TRUE;
        }
    }
  return FALSE;
}

static guint
n_referrers (Run *run, HsId id)
{
  g_autoptr(GArray) refs = hs_trace_model_referrers (run->model, id);

  return refs != NULL ? refs->len : 0;
}

/* ---- checks every lesson gets -------------------------------------------------------- */

static void
check_run_and_output (Run *run, const char *expected_name)
{
  g_autofree char *dir = expected_dir ();
  g_autofree char *file = g_strconcat (expected_name, ".out", NULL);
  g_autofree char *path = g_build_filename (dir, file, NULL);
  g_autofree char *expected = NULL;

  factf (run, "the program runs to its end", run->result == HS_RESULT_OK, "result %d", run->result);
  if (!g_file_get_contents (path, &expected, NULL, NULL))
    fail_msg ("cannot read %s", path);
  factf (run, "stdout is CPython's (tests/lessons/*.out)", g_str_equal (expected, run->out->str),
         "got \"%s\", expected \"%s\"", run->out->str, expected);
  factf (run, "no leak after hs_vm_free", run->stats.live_objects == 0 && run->stats.live_bytes == 0,
         "%zu objects, %zu bytes left", run->stats.live_objects, run->stats.live_bytes);
}

/* The model's invariant at every event (which includes every step). */
static void
check_invariant (Run *run)
{
  HsTraceMismatch mm = { 0 };
  gboolean step_ok = TRUE, event_ok = TRUE;
  HsTraceMismatch step_mm = { 0 }, event_mm = { 0 };
  guint64 n = hs_trace_get_n_steps (run->trace);

  for (guint64 s = 1; s <= n && step_ok; s++)
    {
      hs_trace_model_seek_step (run->model, s);
      if (!hs_trace_model_check (run->model, &mm))
        {
          step_ok = FALSE;
          step_mm = mm;
        }
    }
  seek (run, 0);
  for (guint64 i = 1; i <= n_events (run) && event_ok; i++)
    {
      seek (run, i);
      if (!hs_trace_model_check (run->model, &mm))
        {
          event_ok = FALSE;
          event_mm = mm;
        }
    }
  factf (run, "invariant holds at every step", step_ok,
         "first mismatch after event seq %" G_GUINT64_FORMAT ": object %" G_GUINT64_FORMAT
         " (%s): the runtime said %" G_GINT64_FORMAT ", the model counted %" G_GINT64_FORMAT,
         step_mm.event, step_mm.id, step_mm.what ? step_mm.what : "", step_mm.expected, step_mm.counted);
  factf (run, "invariant holds at every event", event_ok,
         "first mismatch after event seq %" G_GUINT64_FORMAT ": object %" G_GUINT64_FORMAT
         " (%s): the runtime said %" G_GINT64_FORMAT ", the model counted %" G_GINT64_FORMAT,
         event_mm.event, event_mm.id, event_mm.what ? event_mm.what : "", event_mm.expected, event_mm.counted);
}

/* What the lesson's narration expects each prediction's answer to be. */
typedef struct {
  guint       line;
  const char *answer;
} Expectation;

/* The actual answer, computed as the lesson format says (README.md): measured over
 * the line's run, never read from the lesson. */
static char *
actual_answer (Run *run, const HsPrediction *p)
{
  guint64 s, e;
  HsId before;

  if (!line_span (run, p->line, 0, &s, &e))
    return NULL;
  switch (p->kind)
    {
    case HS_PREDICT_OUTPUT:
      {
        char *text = output_between (run, s, e);
        return g_strstrip (text);
      }
    case HS_PREDICT_FREED:
      for (guint64 i = s; i < e; i++)
        if (ev_at (run, i)->kind == HS_EV_FREE && ev_at (run, i)->u.free.cause == HS_FREE_REFCOUNT)
          return g_strdup ("now");
      return g_strdup ("later");
    case HS_PREDICT_REFCOUNT:
      seek (run, e);
      return g_strdup_printf ("%" G_GINT64_FORMAT, refcnt_of (run, lookup_name (run, p->name)));
    case HS_PREDICT_ALIVE:
      seek (run, s + 1);
      before = lookup_name (run, p->name);
      seek (run, e);
      return g_strdup (before != 0 && alive (run, before) ? "yes" : "no");
    default:
      return NULL;
    }
}

static void
check_predictions (Run *run, const Expectation *expected)
{
  GPtrArray *ps = run->lesson->predictions;

  for (guint i = 0; i < ps->len; i++)
    {
      const HsPrediction *p = g_ptr_array_index (ps, i);
      const Expectation *x = NULL;
      g_autofree char *what = NULL;
      g_autofree char *actual = NULL;

      for (guint k = 0; expected != NULL && expected[k].answer != NULL; k++)
        if (expected[k].line == p->line)
          x = &expected[k];
      what = g_strdup_printf ("prediction on line %u (%s%s%s) is answered \"%s\"", p->line,
                              hs_prediction_kind_name (p->kind), p->name ? " " : "",
                              p->name ? p->name : "", x ? x->answer : "?");
      actual = actual_answer (run, p);
      factf (run, what,
             x != NULL && actual != NULL && hs_prediction_check (p, x->answer, actual)
             && hs_lesson_prediction_at (run->lesson, p->line) == p,
             "the trace says \"%s\"%s", actual ? actual : "<line never ran>",
             x == NULL ? " (the test has no expectation for it)" : "");
    }
  /* Every expectation names a real prediction. */
  for (guint k = 0; expected != NULL && expected[k].answer != NULL; k++)
    factf (run, "the lesson has each expected prediction",
           hs_lesson_prediction_at (run->lesson, expected[k].line) != NULL,
           "no prediction on line %u", expected[k].line);
}

/* Every `#@ EVENT:` narration's event really happens while its line runs. */
static void
check_event_narrations (Run *run)
{
  GPtrArray *ns = run->lesson->event_narrations;

  for (guint i = 0; i < ns->len; i++)
    {
      const HsEventNarration *n = g_ptr_array_index (ns, i);
      g_autofree char *what = g_strdup_printf ("'#@ %s' narration's event happens on line %u",
                                               hs_lesson_event_kind_name (n->event), n->line);
      gboolean seen = FALSE;
      guint nth = 0;
      guint64 s, e;

      while (!seen && line_span (run, n->line, nth++, &s, &e))
        for (guint64 k = s; k < e && !seen; k++)
          {
            const HsEvent *ev = ev_at (run, k);
            switch (n->event)
              {
              case HS_LESSON_EVENT_ALLOC: seen = ev->kind == HS_EV_ALLOC; break;
              case HS_LESSON_EVENT_FREE:
                seen = ev->kind == HS_EV_FREE && ev->u.free.cause != HS_FREE_GC;
                break;
              case HS_LESSON_EVENT_FREE_GC:
                seen = ev->kind == HS_EV_FREE && ev->u.free.cause == HS_FREE_GC;
                break;
              case HS_LESSON_EVENT_GC: seen = ev->kind == HS_EV_GC_START; break;
              case HS_LESSON_EVENT_CALL: seen = ev->kind == HS_EV_CALL && k > s; break;
              case HS_LESSON_EVENT_RETURN: seen = ev->kind == HS_EV_RETURN; break;
              case HS_LESSON_EVENT_FINALIZE: seen = ev->kind == HS_EV_GC_FINALIZE; break;
              default: break;
              }
          }
      factf (run, what, seen, "no such event in the line's %u run(s)", nth - 1);
    }
}

static void
check_common (Run *run, const char *expected_name, const Expectation *expected)
{
  check_run_and_output (run, expected_name);
  check_invariant (run);
  check_predictions (run, expected);
  check_event_narrations (run);
}

/* ---- the lessons --------------------------------------------------------------------- */

#define HELLO "'Hello, Zenva learners!'"

static void
test_01_heap_memory (void **state)
{
  Run *run = run_lesson ("01-heap-memory", HS_PROFILE_TUTORIAL);
  guint64 s, e;
  HsId str = 0;
  HsId holder = 0;
  g_autofree char *refs = NULL;

  check_common (run, run->name, NULL);
  assert_true (line_span (run, 11, 0, &s, &e));
  str = find_alloc (run, "str", HELLO, s, e, NULL);
  seek (run, e);
  refs = referrers_text (run, str);
  factf (run, "after line 11 a str 'Hello, Zenva learners!' is alive", str != 0 && alive (run, str),
         "str id %" G_GUINT64_FORMAT, str);
  factf (run, "it is referred to by the global `string` only, refcount 1",
         str != 0 && n_referrers (run, str) == 1 && has_referrer (run, str, HS_HOLDER_GLOBAL, "string", &holder)
         && refcnt_of (run, str) == 1,
         "refcount %" G_GINT64_FORMAT ", referrers: %s", refcnt_of (run, str), refs);
  factf (run, "`string` names that object", lookup_name (run, "string") == str && str != 0,
         "string -> %" G_GUINT64_FORMAT, lookup_name (run, "string"));
  run_finish (run);
}

static void
test_02_stack_memory (void **state)
{
  static const Expectation ex[] = { { 18, "now" }, { 0, NULL } };
  Run *run = run_lesson ("02-stack-memory", HS_PROFILE_TUTORIAL);
  guint64 s, e, call = G_MAXUINT64, ret = G_MAXUINT64, alloc = 0, freed;
  HsId frame = 0, str = 0;
  HsFreeCause cause = HS_FREE_TEARDOWN;
  guint frames_in = 0, frames_after = 0;
  gboolean line_between = FALSE;

  check_common (run, run->name, ex);
  assert_true (line_span (run, 18, 0, &s, &e));
  for (guint64 i = s; i < e; i++)
    {
      const HsEvent *ev = ev_at (run, i);
      if (ev->kind == HS_EV_CALL && g_strcmp0 (ev->u.call.name, "greet") == 0 && frame == 0)
        {
          call = i;
          frame = ev->u.call.frame;
        }
      if (ev->kind == HS_EV_RETURN && ev->u.ret.frame == frame && frame != 0)
        ret = i;
    }
  if (call != G_MAXUINT64)
    {
      seek (run, call + 1);
      frames_in = hs_trace_model_get_n_frames (run->model);
    }
  factf (run, "line 18 has a CALL of `greet` that pushes a second frame", frame != 0 && frames_in == 2,
         "frame %" G_GUINT64_FORMAT ", %u frames after the call", frame, frames_in);
  for (guint64 i = s; i < e && frame != 0; i++)
    {
      const HsEvent *ev = ev_at (run, i);
      if (ev->kind == HS_EV_ALLOC && ev->frame == frame && g_strcmp0 (ev->u.alloc.type_name, "str") == 0
          && g_strcmp0 (ev->u.alloc.describe, HELLO) == 0)
        {
          str = ev->u.alloc.id;
          alloc = i;
          break;
        }
    }
  factf (run, "the string is allocated inside the greet frame", str != 0, "no str alloc in frame");
  if (str != 0)
    {
      seek (run, alloc + 1);
      while (hs_trace_model_get_event (run->model) < ret && ret != G_MAXUINT64
             && !has_referrer (run, str, HS_HOLDER_LOCAL, "message", NULL))
        seek (run, hs_trace_model_get_event (run->model) + 1);
    }
  factf (run, "the local `message` of greet's frame refers to it",
         str != 0 && has_referrer (run, str, HS_HOLDER_LOCAL, "message", NULL), "no LOCAL message ref");
  freed = free_event_of (run, str, &cause);
  for (guint64 i = ret; i < freed && freed != G_MAXUINT64 && ret != G_MAXUINT64; i++)
    if (ev_at (run, i)->kind == HS_EV_LINE)
      line_between = TRUE;
  factf (run, "the string is freed by refcount during the RETURN of greet, in line 18's step",
         str != 0 && freed != G_MAXUINT64 && cause == HS_FREE_REFCOUNT && ret != G_MAXUINT64
         && freed > ret && freed < e && !line_between,
         "return at %" G_GUINT64_FORMAT ", free at %" G_GUINT64_FORMAT " (cause %s), line 18 ends at %" G_GUINT64_FORMAT,
         ret, freed, cause_name (cause), e);
  seek (run, e);
  frames_after = hs_trace_model_get_n_frames (run->model);
  factf (run, "after the call only the module frame is left", frames_after == 1, "%u frames", frames_after);
  run_finish (run);
}

static void
test_03_reassignment (void **state)
{
  static const Expectation ex[] = { { 12, "now" }, { 0, NULL } };
  Run *run = run_lesson ("03-reassignment", HS_PROFILE_TUTORIAL);
  guint64 s, e, s6, e6, freed;
  HsId str;
  HsFreeCause cause = HS_FREE_TEARDOWN;
  g_autofree char *out20 = NULL;

  check_common (run, run->name, ex);
  assert_true (line_span (run, 6, 0, &s6, &e6));
  assert_true (line_span (run, 12, 0, &s, &e));
  str = find_alloc (run, "str", HELLO, s6, e6, NULL);
  seek (run, e6);
  factf (run, "after line 6 the first string has refcount 1", str != 0 && refcnt_of (run, str) == 1,
         "refcount %" G_GINT64_FORMAT, refcnt_of (run, str));
  freed = free_event_of (run, str, &cause);
  factf (run, "the first string is freed by refcount while line 12 runs",
         str != 0 && freed >= s && freed < e && cause == HS_FREE_REFCOUNT,
         "freed at event %" G_GUINT64_FORMAT " (line 12 is [%" G_GUINT64_FORMAT ", %" G_GUINT64_FORMAT ")), cause %s",
         freed, s, e, cause_name (cause));
  factf (run, "no collection runs during line 12", count_kind (run, HS_EV_GC_START, s, e) == 0,
         "%u collections", count_kind (run, HS_EV_GC_START, s, e));
  out20 = line_output (run, 20);
  factf (run, "gc.is_tracked(message) printed False", g_str_equal (out20, "False\n"), "printed \"%s\"", out20);
  run_finish (run);
}

static void
test_04_controlling_the_collector (void **state)
{
  static const Expectation ex[] = { { 15, "now" }, { 0, NULL } };
  Run *run = run_lesson ("04-controlling-the-collector", HS_PROFILE_TUTORIAL);
  guint64 s8, e8, s11, e11, s, e, freed, s19, e19;
  HsId str;
  HsFreeCause cause = HS_FREE_TEARDOWN;
  const HsEvent *start = NULL, *end = NULL, *unreach = NULL;

  check_common (run, run->name, ex);
  assert_true (line_span (run, 8, 0, &s8, &e8));
  assert_true (line_span (run, 11, 0, &s11, &e11));
  assert_true (line_span (run, 15, 0, &s, &e));
  assert_true (line_span (run, 19, 0, &s19, &e19));
  str = find_alloc (run, "str", HELLO, s11, e11, NULL);
  freed = free_event_of (run, str, &cause);
  factf (run, "the first string is freed by refcount during line 15, after gc.disable() ran",
         str != 0 && e8 <= s && freed >= s && freed < e && cause == HS_FREE_REFCOUNT,
         "freed at %" G_GUINT64_FORMAT " cause %s, line 15 is [%" G_GUINT64_FORMAT ", %" G_GUINT64_FORMAT ")",
         freed, cause_name (cause), s, e);
  factf (run, "no collection runs between gc.disable() and gc.collect()",
         count_kind (run, HS_EV_GC_START, s8, s19) == 0, "%u", count_kind (run, HS_EV_GC_START, s8, s19));
  for (guint64 i = s19; i < e19; i++)
    {
      const HsEvent *ev = ev_at (run, i);
      if (ev->kind == HS_EV_GC_START && start == NULL)
        start = ev;
      if (ev->kind == HS_EV_GC_END && start != NULL && end == NULL)
        end = ev;
      if (ev->kind == HS_EV_GC_PHASE && ev->u.gc_phase.phase == HS_GC_PHASE_UNREACHABLE && unreach == NULL)
        unreach = ev;
    }
  factf (run, "the collection on the gc.collect() line is generation 2 and collects 0",
         start != NULL && end != NULL && start->u.gc_start.generation == 2 && end->u.gc_end.collected == 0
         && end->u.gc_end.uncollectable == 0,
         "start gen %d, collected %" G_GINT64_FORMAT,
         start ? start->u.gc_start.generation : -1, end ? end->u.gc_end.collected : -1);
  factf (run, "it finds nothing unreachable", unreach == NULL || unreach->u.gc_phase.n == 0,
         "%zu unreachable", unreach ? unreach->u.gc_phase.n : 0);
  run_finish (run);
}

static void
test_05_assigning_none (void **state)
{
  static const Expectation ex[] = { { 11, "now" }, { 0, NULL } };
  Run *run = run_lesson ("05-assigning-none", HS_PROFILE_TUTORIAL);
  guint64 s5, e5, s, e, freed;
  HsId str, none;
  HsFreeCause cause = HS_FREE_TEARDOWN;

  check_common (run, run->name, ex);
  assert_true (line_span (run, 5, 0, &s5, &e5));
  assert_true (line_span (run, 11, 0, &s, &e));
  str = find_alloc (run, "str", HELLO, s5, e5, NULL);
  freed = free_event_of (run, str, &cause);
  factf (run, "the string is freed by refcount during `message = None`",
         str != 0 && freed >= s && freed < e && cause == HS_FREE_REFCOUNT,
         "freed at %" G_GUINT64_FORMAT " cause %s", freed, cause_name (cause));
  seek (run, e);
  none = lookup_name (run, "message");
  factf (run, "`message` then refers to the cached (immortal) None",
         none != 0 && (obj_flags (run, none) & HS_TRACE_OBJ_IMMORTAL) != 0
         && g_strcmp0 (hs_trace_model_type_name (run->model, hs_trace_model_lookup_object (run->model, none)),
                       "NoneType") == 0,
         "message -> %" G_GUINT64_FORMAT " flags %u", none, obj_flags (run, none));
  run_finish (run);
}

static void
test_06_del_keyword (void **state)
{
  static const Expectation ex[] = { { 12, "yes" }, { 16, "now" }, { 0, NULL } };
  Run *run = run_lesson ("06-del-keyword", HS_PROFILE_TUTORIAL);
  guint64 s5, e5, s7, e7, s12, e12, s16, e16, freed;
  HsId str;
  HsFreeCause cause = HS_FREE_TEARDOWN;
  g_autofree char *refs = NULL;

  check_common (run, run->name, ex);
  assert_true (line_span (run, 5, 0, &s5, &e5));
  assert_true (line_span (run, 7, 0, &s7, &e7));
  assert_true (line_span (run, 12, 0, &s12, &e12));
  assert_true (line_span (run, 16, 0, &s16, &e16));
  str = find_alloc (run, "str", HELLO, s5, e5, NULL);
  seek (run, e7);
  factf (run, "after `other = message` the string's refcount is 2", refcnt_of (run, str) == 2 && str != 0,
         "refcount %" G_GINT64_FORMAT, refcnt_of (run, str));
  seek (run, e12);
  refs = referrers_text (run, str);
  factf (run, "after `del message` it is alive with refcount 1, held by `other`",
         str != 0 && alive (run, str) && refcnt_of (run, str) == 1 && n_referrers (run, str) == 1
         && has_referrer (run, str, HS_HOLDER_GLOBAL, "other", NULL),
         "refcount %" G_GINT64_FORMAT ", referrers %s", refcnt_of (run, str), refs);
  factf (run, "`message` no longer exists", lookup_name (run, "message") == 0, "still bound");
  freed = free_event_of (run, str, &cause);
  factf (run, "freed by refcount only during the second del",
         str != 0 && freed >= s16 && freed < e16 && cause == HS_FREE_REFCOUNT,
         "freed at %" G_GUINT64_FORMAT " cause %s", freed, cause_name (cause));
  run_finish (run);
}

static void
lesson_07 (HsProfile profile, const char *a, const char *b, const char *c)
{
  const Expectation ex[] = { { 17, a }, { 21, b }, { 25, c }, { 0, NULL } };
  Run *run = run_lesson ("07-getrefcount", profile);
  guint64 s, e, s17, e17;
  HsId str;
  gboolean temp = FALSE;
  gboolean cpython = profile == HS_PROFILE_CPYTHON;
  g_autofree char *refs = NULL;

  check_common (run, cpython ? "07-getrefcount.cpython" : "07-getrefcount", ex);
  assert_true (line_span (run, 7, 0, &s, &e));
  str = find_alloc (run, "str", HELLO, 0, e, NULL);
  seek (run, e);
  refs = referrers_text (run, str);
  if (cpython)
    factf (run, "cpython profile: after line 7 the code object's constant holds the string too",
           str != 0 && refcnt_of (run, str) == 2 && has_referrer (run, str, HS_HOLDER_CONST, NULL, NULL)
           && has_referrer (run, str, HS_HOLDER_GLOBAL, "message", NULL),
           "refcount %" G_GINT64_FORMAT ", referrers %s", refcnt_of (run, str), refs);
  else
    factf (run, "tutorial profile: after line 7 only `message` holds the string",
           str != 0 && refcnt_of (run, str) == 1 && n_referrers (run, str) == 1
           && has_referrer (run, str, HS_HOLDER_GLOBAL, "message", NULL),
           "refcount %" G_GINT64_FORMAT ", referrers %s", refcnt_of (run, str), refs);
  /* The faint arrow: while getrefcount runs, a temporary refers to the string. */
  assert_true (line_span (run, 17, 0, &s17, &e17));
  for (guint64 i = s17; i < e17 && !temp; i++)
    {
      const HsEvent *ev = ev_at (run, i);
      temp = ev->kind == HS_EV_REF && ev->u.ref.new_target == str && ev->u.ref.holder_kind == HS_HOLDER_STACK;
    }
  factf (run, "a value-stack temporary refers to the string during the getrefcount call", temp && str != 0,
         "no STACK ref to it on line 17");
  run_finish (run);
}

static void
test_07_getrefcount_tutorial (void **state)
{
  lesson_07 (HS_PROFILE_TUTORIAL, "2", "3", "2");
}

static void
test_07_getrefcount_cpython (void **state)
{
  lesson_07 (HS_PROFILE_CPYTHON, "3", "4", "3");
}

static void
test_08_gc_collect (void **state)
{
  static const Expectation ex[] = { { 16, "Garbage collector: collected 0 objects." }, { 0, NULL } };
  Run *run = run_lesson ("08-gc-collect", HS_PROFILE_TUTORIAL);
  guint64 s, e;
  const HsEvent *start = NULL, *end = NULL;
  guint n_gc;

  check_common (run, run->name, ex);
  assert_true (line_span (run, 12, 0, &s, &e));
  n_gc = count_kind (run, HS_EV_GC_START, s, e);
  for (guint64 i = s; i < e; i++)
    {
      const HsEvent *ev = ev_at (run, i);
      if (ev->kind == HS_EV_GC_START && start == NULL)
        start = ev;
      if (ev->kind == HS_EV_GC_END && start != NULL && end == NULL)
        end = ev;
    }
  factf (run, "the collection started on the gc.collect() line is generation 2 and ends with collected 0",
         n_gc == 1 && start != NULL && end != NULL && start->u.gc_start.generation == 2
         && end->u.gc_end.generation == 2 && end->u.gc_end.collected == 0 && end->u.gc_end.uncollectable == 0,
         "%u collections; gen %d, collected %" G_GINT64_FORMAT, n_gc, start ? start->u.gc_start.generation : -1,
         end ? end->u.gc_end.collected : -1);
  seek (run, e);
  {
    HsId collected = lookup_name (run, "collected");
    const HsTraceObject *o = collected != 0 ? hs_trace_model_lookup_object (run->model, collected) : NULL;
    factf (run, "`collected` is the int 0 afterwards",
           o != NULL && g_strcmp0 (hs_trace_model_describe (run->model, o), "0") == 0,
           "collected -> %s", o != NULL ? hs_trace_model_describe (run->model, o) : "(nothing)");
  }
  run_finish (run);
}

static void
test_09_containers (void **state)
{
  static const Expectation ex[] = { { 12, "3" }, { 0, NULL } };
  static const struct { guint line; gint64 count; } prints[] = { { 12, 3 }, { 24, 6 }, { 28, 7 }, { 34, 2 } };
  Run *run = run_lesson ("09-containers", HS_PROFILE_TUTORIAL);
  guint64 s, e, s7, e7;
  HsId point;

  check_common (run, run->name, ex);
  assert_true (line_span (run, 7, 0, &s7, &e7));
  seek (run, e7);
  point = lookup_name (run, "point");
  for (guint i = 0; i < G_N_ELEMENTS (prints); i++)
    {
      g_autofree char *what = g_strdup_printf ("the list `point` has refcount %" G_GINT64_FORMAT
                                               " when line %u prints it", prints[i].count, prints[i].line);
      g_autofree char *out = NULL;
      g_autofree char *want = g_strdup_printf ("%" G_GINT64_FORMAT "\n", prints[i].count);
      g_autofree char *refs = NULL;

      assert_true (line_span (run, prints[i].line, 0, &s, &e));
      seek (run, s + 1);
      out = output_between (run, s, e);
      refs = referrers_text (run, point);
      factf (run, what, point != 0 && refcnt_of (run, point) == prints[i].count
             && n_referrers (run, point) == prints[i].count && g_str_equal (out, want),
             "refcount %" G_GINT64_FORMAT " (%s), printed \"%s\"", refcnt_of (run, point), refs, out);
    }
  /* Two slots, one object. */
  assert_true (line_span (run, 23, 0, &s, &e));
  seek (run, e);
  {
    HsId box = lookup_name (run, "box"), same = lookup_name (run, "same");
    g_autoptr(GArray) refs = hs_trace_model_referrers (run->model, point);
    guint from_box = 0;
    for (guint i = 0; refs != NULL && i < refs->len; i++)
      if (g_array_index (refs, HsTraceRef, i).holder == box && g_array_index (refs, HsTraceRef, i).holder_kind == HS_HOLDER_ITEM)
        from_box++;
    factf (run, "`same` is the same list and `box` holds it in two slots",
           same == point && point != 0 && from_box == 2, "same %" G_GUINT64_FORMAT ", %u slots of box", same, from_box);
  }
  run_finish (run);
}

static void
test_10_function_calls (void **state)
{
  static const Expectation ex[] = { { 14, "2" }, { 0, NULL } };
  Run *run = run_lesson ("10-function-calls", HS_PROFILE_TUTORIAL);
  guint64 s, e, s9, e9;
  HsId data = 0, items = 0, frame;
  guint calls = 0, max_frames = 0, exc = 0;
  g_autofree char *out16 = NULL;

  check_common (run, run->name, ex);
  assert_true (line_span (run, 9, 0, &s9, &e9));
  seek (run, s9 + 1);
  frame = hs_trace_model_get_current_frame (run->model);
  data = lookup_name (run, "data");
  {
    g_autoptr(GArray) locals = hs_trace_model_frame_refs (run->model, frame);
    for (guint i = 0; locals != NULL && i < locals->len; i++)
      {
        const HsTraceRef *r = &g_array_index (locals, HsTraceRef, i);
        g_autofree char *label = hs_trace_model_ref_label (run->model, r);
        if (r->holder_kind == HS_HOLDER_LOCAL && g_strcmp0 (label, "items") == 0)
          items = r->target;
      }
  }
  factf (run, "during describe() the parameter `items` is a LOCAL reference to the global `data`'s list",
         data != 0 && items == data && refcnt_of (run, data) >= 2,
         "items -> %" G_GUINT64_FORMAT ", data -> %" G_GUINT64_FORMAT ", refcount %" G_GINT64_FORMAT,
         items, data, refcnt_of (run, data));
  assert_true (line_span (run, 16, 0, &s, &e));
  seek (run, s + 1);
  out16 = output_between (run, s, e);
  factf (run, "after the call the list is back to one reference", refcnt_of (run, data) == 1
         && g_str_equal (out16, "1\n"), "refcount %" G_GINT64_FORMAT ", printed %s", refcnt_of (run, data), out16);

  assert_true (line_span (run, 25, 0, &s, &e));
  for (guint64 i = s; i < e; i++)
    {
      const HsEvent *ev = ev_at (run, i);
      if (ev->kind == HS_EV_CALL && g_strcmp0 (ev->u.call.name, "countdown") == 0)
        {
          calls++;
          seek (run, i + 1);
          max_frames = MAX (max_frames, hs_trace_model_get_n_frames (run->model));
        }
    }
  factf (run, "countdown(5) pushes 6 frames on top of the module's", calls == 6 && max_frames == 7,
         "%u calls, at most %u frames", calls, max_frames);

  assert_true (line_span (run, 34, 0, &s, &e));
  for (guint64 i = s; i < e; i++)
    {
      const HsEvent *ev = ev_at (run, i);
      if (ev->kind == HS_EV_EXCEPTION && g_strcmp0 (ev->u.exception.type_name, "RecursionError") == 0)
        exc++;
    }
  factf (run, "forever(0) raises a RecursionError (an exception event)", exc >= 1, "%u events", exc);
  assert_true (line_span (run, 36, 0, &s, &e));
  seek (run, s + 1);
  factf (run, "after the RecursionError every forever frame is popped",
         hs_trace_model_get_n_frames (run->model) == 1, "%u frames", hs_trace_model_get_n_frames (run->model));
  run_finish (run);
}

static void
test_11_cycles (void **state)
{
  static const Expectation ex[] = { { 22, "later" }, { 28, "2" }, { 0, NULL } };
  Run *run = run_lesson ("11-cycles", HS_PROFILE_TUTORIAL);
  guint64 s, e, fa, fb;
  HsId a, b;
  HsFreeCause ca = HS_FREE_TEARDOWN, cb = HS_FREE_TEARDOWN;
  const HsEvent *start = NULL, *end = NULL, *unreach = NULL;
  gboolean both_unreachable = FALSE;

  check_common (run, run->name, ex);
  assert_true (line_span (run, 16, 0, &s, &e));
  seek (run, e);
  a = lookup_name (run, "a");
  b = lookup_name (run, "b");
  factf (run, "after the cycle is built each node has refcount 2", a != 0 && b != 0 && a != b
         && refcnt_of (run, a) == 2 && refcnt_of (run, b) == 2,
         "a %" G_GINT64_FORMAT ", b %" G_GINT64_FORMAT, refcnt_of (run, a), refcnt_of (run, b));
  assert_true (line_span (run, 22, 0, &s, &e));
  seek (run, e);
  factf (run, "after `del a, b` both nodes are alive with refcount 1",
         alive (run, a) && alive (run, b) && refcnt_of (run, a) == 1 && refcnt_of (run, b) == 1,
         "a %" G_GINT64_FORMAT ", b %" G_GINT64_FORMAT, refcnt_of (run, a), refcnt_of (run, b));
  factf (run, "after `del a, b` both nodes are garbage (unreachable)",
         hs_trace_model_is_garbage (run->model, a) && hs_trace_model_is_garbage (run->model, b), NULL);
  {
    g_autoptr(GPtrArray) cycles = hs_trace_model_cycles (run->model);
    gboolean found = FALSE;
    for (guint i = 0; cycles != NULL && i < cycles->len; i++)
      {
        GArray *c = g_ptr_array_index (cycles, i);
        gboolean has_a = FALSE, has_b = FALSE;
        for (guint k = 0; k < c->len; k++)
          {
            has_a |= g_array_index (c, HsId, k) == a;
            has_b |= g_array_index (c, HsId, k) == b;
          }
        found |= has_a && has_b;
      }
    factf (run, "the two nodes form one cycle", found, NULL);
  }
  assert_true (line_span (run, 28, 0, &s, &e));
  fa = free_event_of (run, a, &ca);
  fb = free_event_of (run, b, &cb);
  factf (run, "both nodes are freed by the gc during the gc.collect() line",
         fa >= s && fa < e && fb >= s && fb < e && ca == HS_FREE_GC && cb == HS_FREE_GC,
         "a freed at %" G_GUINT64_FORMAT " (%s), b at %" G_GUINT64_FORMAT " (%s); line is [%" G_GUINT64_FORMAT
         ", %" G_GUINT64_FORMAT ")", fa, cause_name (ca), fb, cause_name (cb), s, e);
  for (guint64 i = s; i < e; i++)
    {
      const HsEvent *ev = ev_at (run, i);
      if (ev->kind == HS_EV_GC_START && start == NULL)
        start = ev;
      if (ev->kind == HS_EV_GC_END && end == NULL && start != NULL)
        end = ev;
      if (ev->kind == HS_EV_GC_PHASE && ev->u.gc_phase.phase == HS_GC_PHASE_UNREACHABLE && unreach == NULL)
        unreach = ev;
    }
  if (unreach != NULL)
    {
      gboolean ha = FALSE, hb = FALSE;
      for (gsize k = 0; k < unreach->u.gc_phase.n; k++)
        {
          ha |= unreach->u.gc_phase.ids[k] == a;
          hb |= unreach->u.gc_phase.ids[k] == b;
        }
      both_unreachable = ha && hb && unreach->u.gc_phase.n == 2;
    }
  factf (run, "the collection's unreachable set is exactly the two nodes", both_unreachable,
         "%zu unreachable", unreach ? unreach->u.gc_phase.n : 0);
  factf (run, "the collection returns 2 (generation 2)", start != NULL && end != NULL
         && start->u.gc_start.generation == 2 && end->u.gc_end.collected + end->u.gc_end.uncollectable == 2,
         "collected %" G_GINT64_FORMAT, end ? end->u.gc_end.collected : -1);
  run_finish (run);
}

static void
test_12_generations (void **state)
{
  Run *run = run_lesson ("12-generations", HS_PROFILE_TUTORIAL);
  guint64 s, e;
  const HsEvent *auto_gc = NULL;
  guint64 auto_at = 0;
  gboolean promoted = FALSE, end_seen = FALSE;
  g_autofree char *out10 = NULL;
  gint64 counts[3], thresholds[3];

  check_common (run, run->name, NULL);
  out10 = line_output (run, 10);
  factf (run, "the thresholds are (700, 10, 10)", g_str_equal (out10, "(700, 10, 10)\n"), "printed %s", out10);
  assert_true (line_span (run, 19, 0, &s, &e));
  seek (run, s);
  hs_trace_model_get_gc_counts (run->model, counts, thresholds);
  factf (run, "before set_threshold the model shows (700, 10, 10)",
         thresholds[0] == 700 && thresholds[1] == 10 && thresholds[2] == 10,
         "(%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ")", thresholds[0],
         thresholds[1], thresholds[2]);
  seek (run, e);
  hs_trace_model_get_gc_counts (run->model, counts, thresholds);
  factf (run, "after set_threshold the model shows threshold 50", thresholds[0] == 50,
         "%" G_GINT64_FORMAT, thresholds[0]);
  assert_true (lines_span (run, 23, 25, &s, &e));
  for (guint64 i = s; i < e && auto_gc == NULL; i++)
    if (ev_at (run, i)->kind == HS_EV_GC_START)
      {
        auto_gc = ev_at (run, i);
        auto_at = i;
      }
  factf (run, "an automatic collection of generation 0 starts inside the loop (lines 23-25), not on a gc.collect() line",
         auto_gc != NULL && auto_gc->u.gc_start.generation == 0
         && (auto_gc->line == 23 || auto_gc->line == 25) && auto_gc->u.gc_start.count0 > 50,
         "gen %d on line %u, count0 %" G_GINT64_FORMAT, auto_gc ? auto_gc->u.gc_start.generation : -1,
         auto_gc ? auto_gc->line : 0, auto_gc ? auto_gc->u.gc_start.count0 : 0);
  factf (run, "the automatic collection reports threshold 50",
         auto_gc != NULL && auto_gc->u.gc_start.threshold0 == 50,
         "%" G_GINT64_FORMAT, auto_gc ? auto_gc->u.gc_start.threshold0 : -1);
  /* Survivors of that collection move to generation 1. */
  for (guint64 i = auto_at + 1; auto_gc != NULL && i < e && !end_seen; i++)
    {
      const HsEvent *ev = ev_at (run, i);
      if (ev->kind == HS_EV_GC_PHASE && ev->u.gc_phase.phase == HS_GC_PHASE_PROMOTE
          && ev->u.gc_phase.generation == 1 && ev->u.gc_phase.n > 0)
        promoted = TRUE;
      if (ev->kind == HS_EV_GC_END)
        end_seen = TRUE;
    }
  factf (run, "its survivors are promoted to generation 1", promoted, NULL);
  assert_true (line_span (run, 28, 0, &s, &e));
  seek (run, e);
  hs_trace_model_get_gc_counts (run->model, counts, thresholds);
  factf (run, "set_threshold(700, 10, 10) restores the model's threshold 700", thresholds[0] == 700,
         "%" G_GINT64_FORMAT, thresholds[0]);
  run_finish (run);
}

static void
test_13_finalizers (void **state)
{
  static const Expectation ex[] = { { 45, "second collect 1" }, { 0, NULL } };
  Run *run = run_lesson ("13-finalizers", HS_PROFILE_TUTORIAL);
  guint64 s, e, s14, e14, fr;
  HsId r, x, y, p;
  HsFreeCause cause = HS_FREE_TEARDOWN, cx = HS_FREE_TEARDOWN, cy = HS_FREE_TEARDOWN;
  guint fin_x = 0, fin_y = 0, fin_p = 0, res_p = 0, fin_p2 = 0;
  g_autofree char *out16 = NULL;
  g_autofree char *out25 = NULL;
  g_autofree char *out41 = NULL;
  guint64 fx, fy, fp;

  check_common (run, run->name, ex);
  assert_true (line_span (run, 14, 0, &s14, &e14));
  seek (run, e14);
  r = lookup_name (run, "r");
  assert_true (line_span (run, 16, 0, &s, &e));
  fr = free_event_of (run, r, &cause);
  out16 = output_between (run, s, e);
  factf (run, "with no cycle __del__ runs and the object is freed by refcount on `r = None`",
         r != 0 && fr >= s && fr < e && cause == HS_FREE_REFCOUNT && g_str_equal (out16, "finalizing file\n"),
         "freed at %" G_GUINT64_FORMAT " (%s), printed \"%s\"", fr, cause_name (cause), out16);

  assert_true (line_span (run, 24, 0, &s, &e));
  seek (run, s + 1);
  x = lookup_name (run, "x");
  y = lookup_name (run, "y");
  assert_true (line_span (run, 25, 0, &s, &e));
  for (guint64 i = s; i < e; i++)
    if (ev_at (run, i)->kind == HS_EV_GC_FINALIZE)
      {
        fin_x += ev_at (run, i)->u.gc_object.id == x;
        fin_y += ev_at (run, i)->u.gc_object.id == y;
      }
  fx = free_event_of (run, x, &cx);
  fy = free_event_of (run, y, &cy);
  out25 = output_between (run, s, e);
  factf (run, "in the cycle the collector finalizes x and y once each, then frees both (gc)",
         x != 0 && y != 0 && fin_x == 1 && fin_y == 1 && fx >= s && fx < e && fy >= s && fy < e
         && cx == HS_FREE_GC && cy == HS_FREE_GC,
         "finalize events x %u y %u; x freed at %" G_GUINT64_FORMAT " (%s), y at %" G_GUINT64_FORMAT " (%s)",
         fin_x, fin_y, fx, cause_name (cx), fy, cause_name (cy));
  factf (run, "it prints both finalizers then collected 2",
         g_str_equal (out25, "finalizing x\nfinalizing y\ncollected 2\n"), "printed \"%s\"", out25);

  assert_true (line_span (run, 38, 0, &s, &e));
  seek (run, s + 1);
  p = lookup_name (run, "p");
  assert_true (line_span (run, 41, 0, &s, &e));
  for (guint64 i = s; i < e; i++)
    {
      const HsEvent *ev = ev_at (run, i);
      if (ev->kind == HS_EV_GC_FINALIZE && ev->u.gc_object.id == p)
        fin_p++;
      if (ev->kind == HS_EV_GC_RESURRECT && ev->u.gc_object.id == p)
        res_p++;
    }
  seek (run, e);
  out41 = output_between (run, s, e);
  factf (run, "the Phoenix is finalized and resurrected (GC_RESURRECT) by the first collection",
         p != 0 && fin_p == 1 && res_p == 1 && alive (run, p) && g_str_equal (out41, "phoenix finalizer\nfirst collect 0\n"),
         "finalize %u, resurrect %u, alive %d, printed \"%s\"", fin_p, res_p, alive (run, p), out41);
  factf (run, "it is marked finalized and `saved` refers to it",
         (obj_flags (run, p) & HS_TRACE_OBJ_FINALIZED) != 0 && lookup_name (run, "saved") == p,
         "flags %u, saved -> %" G_GUINT64_FORMAT, obj_flags (run, p), lookup_name (run, "saved"));
  assert_true (line_span (run, 45, 0, &s, &e));
  for (guint64 i = s; i < e; i++)
    if (ev_at (run, i)->kind == HS_EV_GC_FINALIZE && ev_at (run, i)->u.gc_object.id == p)
      fin_p2++;
  fp = free_event_of (run, p, &cause);
  factf (run, "the second collection frees it (gc) without running __del__ again",
         fp >= s && fp < e && cause == HS_FREE_GC && fin_p2 == 0,
         "freed at %" G_GUINT64_FORMAT " (%s), %u finalize events", fp, cause_name (cause), fin_p2);
  run_finish (run);
}

static void
test_14_cached_objects (void **state)
{
  Run *run = run_lesson ("14-cached-objects", HS_PROFILE_CPYTHON);
  guint64 s, e;
  HsId a, b, x, y, nothing, big, other;

  factf (run, "the lesson asks for the cpython profile", g_strcmp0 (run->lesson->profile, "cpython") == 0,
         "%s", run->lesson->profile);
  check_common (run, run->name, NULL);
  assert_true (line_span (run, 8, 0, &s, &e));
  seek (run, e);
  a = lookup_name (run, "a");
  b = lookup_name (run, "b");
  factf (run, "`a` and `b` are two different lists", a != 0 && b != 0 && a != b, NULL);
  assert_true (line_span (run, 14, 0, &s, &e));
  seek (run, e);
  x = lookup_name (run, "x");
  y = lookup_name (run, "y");
  factf (run, "x and y are the same cached (immortal) int 256",
         x != 0 && x == y && (obj_flags (run, x) & HS_TRACE_OBJ_IMMORTAL) != 0
         && g_strcmp0 (hs_trace_model_describe (run->model, hs_trace_model_lookup_object (run->model, x)),
                       "256") == 0,
         "x %" G_GUINT64_FORMAT " y %" G_GUINT64_FORMAT " flags %u", x, y, obj_flags (run, x));
  assert_true (line_span (run, 19, 0, &s, &e));
  seek (run, e);
  nothing = lookup_name (run, "nothing");
  factf (run, "None is cached (immortal)", nothing != 0 && (obj_flags (run, nothing) & HS_TRACE_OBJ_IMMORTAL) != 0,
         "flags %u", obj_flags (run, nothing));
  assert_true (line_span (run, 25, 0, &s, &e));
  seek (run, e);
  big = lookup_name (run, "big");
  other = lookup_name (run, "other");
  factf (run, "1000 and big + 0 are two different, ordinary (not cached) int objects",
         big != 0 && other != 0 && big != other && (obj_flags (run, big) & HS_TRACE_OBJ_IMMORTAL) == 0
         && (obj_flags (run, other) & HS_TRACE_OBJ_IMMORTAL) == 0
         && g_strcmp0 (hs_trace_model_describe (run->model, hs_trace_model_lookup_object (run->model, big)),
                       "1000") == 0
         && g_strcmp0 (hs_trace_model_describe (run->model, hs_trace_model_lookup_object (run->model, other)),
                       "1000") == 0,
         "big %" G_GUINT64_FORMAT " other %" G_GUINT64_FORMAT, big, other);
  run_finish (run);
}

/* The list `remember`'s defaults tuple holds, at the model's position (0 if none). */
static HsId
default_list (Run *run)
{
  HsId fn = lookup_name (run, "remember");
  g_autoptr(GArray) out = fn ? hs_trace_model_referents (run->model, fn) : NULL;

  for (guint i = 0; out != NULL && i < out->len; i++)
    {
      const HsTraceRef *r = &g_array_index (out, HsTraceRef, i);
      const HsTraceObject *t = hs_trace_model_lookup_object (run->model, r->target);
      if (t != NULL && g_strcmp0 (hs_trace_model_type_name (run->model, t), "tuple") == 0)
        {
          g_autoptr(GArray) items = hs_trace_model_referents (run->model, t->id);
          for (guint k = 0; items != NULL && k < items->len; k++)
            {
              const HsTraceRef *ri = &g_array_index (items, HsTraceRef, k);
              const HsTraceObject *l = hs_trace_model_lookup_object (run->model, ri->target);
              if (l != NULL && g_strcmp0 (hs_trace_model_type_name (run->model, l), "list") == 0)
                return l->id;
            }
        }
    }
  return 0;
}

static void
test_15_closures_defaults (void **state)
{
  Run *run = run_lesson ("15-closures-defaults", HS_PROFILE_TUTORIAL);
  guint64 s, e, fd;
  HsId l13, l18, l19, data = 0;
  HsFreeCause cause = HS_FREE_TEARDOWN;
  gboolean via_cell = FALSE;
  g_autofree char *out35 = NULL;

  check_common (run, run->name, NULL);
  assert_true (line_span (run, 13, 0, &s, &e));
  seek (run, e);
  l13 = default_list (run);
  assert_true (line_span (run, 18, 0, &s, &e));
  seek (run, e);
  l18 = default_list (run);
  assert_true (line_span (run, 19, 0, &s, &e));
  seek (run, e);
  l19 = default_list (run);
  factf (run, "the function's defaults tuple holds one list, the same before and across both calls",
         l13 != 0 && l13 == l18 && l18 == l19 && alive (run, l19),
         "lists %" G_GUINT64_FORMAT ", %" G_GUINT64_FORMAT ", %" G_GUINT64_FORMAT, l13, l18, l19);
  {
    g_autoptr(GArray) items = l19 != 0 ? hs_trace_model_referents (run->model, l19) : NULL;
    guint n_items = 0;
    for (guint i = 0; items != NULL && i < items->len; i++)
      n_items += g_array_index (items, HsTraceRef, i).holder_kind == HS_HOLDER_ITEM;
    factf (run, "after two calls that one list holds 2 items (both calls appended to it)",
           l19 != 0 && n_items == 2, "%u items", n_items);
  }

  assert_true (line_span (run, 31, 0, &s, &e));
  seek (run, s + 1);
  for (guint i = 0; i < hs_trace_model_get_n_objects (run->model); i++)
    {
      const HsTraceObject *o = hs_trace_model_get_object (run->model, i);
      if (g_strcmp0 (hs_trace_model_type_name (run->model, o), "Tracked") == 0)
        data = o->id;
    }
  if (data != 0)
    {
      g_autoptr(GArray) path = hs_trace_model_retainer_path (run->model, data);
      for (guint i = 0; path != NULL && i < path->len; i++)
        if (g_array_index (path, HsTraceRef, i).holder_kind == HS_HOLDER_CELL)
          via_cell = TRUE;
    }
  factf (run, "after make_reader returned, `data` (a Tracked) is alive only through a cell",
         data != 0 && alive (run, data) && via_cell && has_referrer (run, data, HS_HOLDER_CELL, NULL, NULL)
         && n_referrers (run, data) == 1,
         "Tracked %" G_GUINT64_FORMAT ", path through a cell %d", data, via_cell);
  assert_true (line_span (run, 35, 0, &s, &e));
  fd = free_event_of (run, data, &cause);
  out35 = output_between (run, s, e);
  factf (run, "`reader = None` frees it by refcount (and its __del__ prints)",
         data != 0 && fd >= s && fd < e && cause == HS_FREE_REFCOUNT && g_str_equal (out35, "freed data\n"),
         "freed at %" G_GUINT64_FORMAT " (%s), line [%" G_GUINT64_FORMAT ", %" G_GUINT64_FORMAT "), printed \"%s\"",
         fd, cause_name (cause), s, e, out35);
  run_finish (run);
}

static void
test_16_hunting_a_leak (void **state)
{
  Run *run = run_lesson ("16-hunting-a-leak", HS_PROFILE_TUTORIAL);
  guint64 s, e;
  HsId cache, target = 0;
  guint n_values = 0;
  gboolean through_cache = FALSE, via_global = FALSE;
  g_autofree char *path_text = NULL;

  check_common (run, run->name, NULL);
  assert_true (line_span (run, 21, 0, &s, &e));
  seek (run, e);
  cache = lookup_name (run, "_cache");
  {
    g_autoptr(GArray) vals = cache ? hs_trace_model_referents (run->model, cache) : NULL;
    for (guint i = 0; vals != NULL && i < vals->len; i++)
      {
        const HsTraceRef *r = &g_array_index (vals, HsTraceRef, i);
        const HsTraceObject *o = hs_trace_model_lookup_object (run->model, r->target);
        if (r->holder_kind != HS_HOLDER_VALUE || o == NULL
            || g_strcmp0 (hs_trace_model_type_name (run->model, o), "list") != 0)
          continue;
        n_values++;
        /* A VALUE slot is named by its key object: _cache[3] is stored under the int 3. */
        {
          const HsTraceObject *key = hs_trace_model_lookup_object (run->model, (HsId) r->slot);
          if (key != NULL && g_strcmp0 (hs_trace_model_describe (run->model, key), "3") == 0)
            target = o->id;
        }
      }
  }
  factf (run, "twenty result lists are alive as values of `_cache`", n_values == 20 && cache != 0,
         "%u list values", n_values);
  if (target != 0)
    {
      g_autoptr(GArray) path = hs_trace_model_retainer_path (run->model, target);
      GString *text = g_string_new (NULL);

      for (guint i = 0; path != NULL && i < path->len; i++)
        {
          const HsTraceRef *r = &g_array_index (path, HsTraceRef, i);
          g_autofree char *label = hs_trace_model_ref_label (run->model, r);
          g_string_append_printf (text, "%s%s %s", i ? " -> " : "", hs_holder_kind_name (r->holder_kind), label);
          /* The global `_cache` is on the path, and the last step is the dict's value slot. */
          if (r->holder_kind == HS_HOLDER_GLOBAL && g_strcmp0 (label, "_cache") == 0 && r->target == cache)
            via_global = TRUE;
          if (i == path->len - 1)
            through_cache = r->holder == cache && r->target == target && r->holder_kind == HS_HOLDER_VALUE;
        }
      path_text = g_string_free (text, FALSE);
      if (g_getenv ("HS_LESSON_FACTS_VERBOSE") != NULL)
        print_message ("16: retainer path of _cache[3]: %s\n", path_text);
    }
  factf (run, "the retainer path of _cache[3] runs from the global `_cache` through the dict",
         target != 0 && via_global && through_cache,
         "list %" G_GUINT64_FORMAT ", path: %s", target, path_text ? path_text : "(none)");
  seek (run, e);
  factf (run, "_cache[3] has exactly one reference (the dict's value slot)",
         target != 0 && refcnt_of (run, target) == 1, "refcount %" G_GINT64_FORMAT, refcnt_of (run, target));
  {
    HsId result = lookup_name (run, "result");
    g_autoptr(GArray) vals = cache ? hs_trace_model_referents (run->model, cache) : NULL;
    guint freed_now = 0, others = 0;

    assert_true (line_span (run, 25, 0, &s, &e));
    for (guint i = 0; vals != NULL && i < vals->len; i++)
      {
        const HsTraceRef *r = &g_array_index (vals, HsTraceRef, i);
        HsFreeCause cause = HS_FREE_TEARDOWN;
        guint64 at;

        if (r->holder_kind != HS_HOLDER_VALUE || r->target == result)
          continue;
        others++;
        at = free_event_of (run, r->target, &cause);
        freed_now += at >= s && at < e && cause == HS_FREE_REFCOUNT;
      }
    seek (run, e);
    factf (run, "_cache.clear() frees the 19 other lists by refcount; `result`'s list survives",
           others == 19 && freed_now == 19 && result != 0 && alive (run, result) && refcnt_of (run, result) == 1,
           "%u of %u freed, result alive %d refcount %" G_GINT64_FORMAT, freed_now, others, alive (run, result),
           refcnt_of (run, result));
  }
  run_finish (run);
}

static int
print_totals (void **state)
{
  print_message ("lesson facts: %u checked, %u passing, %u known failures\n", n_checked, n_passed, n_known);
  return 0;
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_01_heap_memory),
    cmocka_unit_test (test_02_stack_memory),
    cmocka_unit_test (test_03_reassignment),
    cmocka_unit_test (test_04_controlling_the_collector),
    cmocka_unit_test (test_05_assigning_none),
    cmocka_unit_test (test_06_del_keyword),
    cmocka_unit_test (test_07_getrefcount_tutorial),
    cmocka_unit_test (test_07_getrefcount_cpython),
    cmocka_unit_test (test_08_gc_collect),
    cmocka_unit_test (test_09_containers),
    cmocka_unit_test (test_10_function_calls),
    cmocka_unit_test (test_11_cycles),
    cmocka_unit_test (test_12_generations),
    cmocka_unit_test (test_13_finalizers),
    cmocka_unit_test (test_14_cached_objects),
    cmocka_unit_test (test_15_closures_defaults),
    cmocka_unit_test (test_16_hunting_a_leak),
  };

  return cmocka_run_group_tests (tests, NULL, print_totals);
}
