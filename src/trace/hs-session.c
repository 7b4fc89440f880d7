/* hs-session.c — runs a program on a worker thread, records it, and steps through it. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "hs-session.h"
#include "hs-trace-private.h"

/* Events indexed per main-loop turn: keeps each turn to a few milliseconds. */
#define TICK_MS     16
/* The main thread indexes recorded events in chunks of SYNC_CHUNK for at most
 * SYNC_MS per tick, so a tick never keeps the window waiting much longer. */
#define SYNC_CHUNK  4096
#define SYNC_MS     8
/* The most events a tick replays to bring the view of a running program forward. */
#define VIEW_CATCH_UP 65536
/* The worker waits while more than MAX_BACKLOG recorded events are not yet
 * indexed: Pause then shows the live point after a few ticks of indexing, not
 * after the whole backlog of a program that records faster than it is indexed. */
#define MAX_BACKLOG 65536

typedef enum {
  MODE_LINE,      /* the next line */
  MODE_OVER,      /* the next line at depth <= arg_depth */
  MODE_OUT,       /* the next line at depth < arg_depth */
  MODE_CONTINUE,  /* a breakpoint */
  MODE_TO_LINE,   /* line == arg, or a breakpoint */
  MODE_TO_STEP,   /* step count == arg */
  MODE_EVENT,     /* the next event of any kind */
} RunMode;

struct _HsSession {
  GObject         parent_instance;

  char           *filename;
  char           *source;
  gsize           len;
  HsProfile       profile;
  guint64         step_limit;
  gsize           heap_limit;
  gsize           output_limit;
  gboolean        gc_enabled;

  HsTrace        *trace;
  HsTraceModel   *model;     /* the view */
  HsTraceModel   *scratch;   /* searches through history */
  HsSessionState  state;
  HsErrorInfo     error;
  GArray         *breakpoints;  /* guint32, sorted */
  guint           tick_id;
  GSource        *wake;         /* the worker makes it ready when it pauses or ends */
  GSource        *backlog;      /* ... and when it waits for the main thread's indexing */
  gboolean        live;         /* the view follows the frontier */
  guint64         lag_event;    /* where view_follow() stopped short of it, or G_MAXUINT64 */

  /* Last values notified. */
  guint64         n_step, n_total;
  guint32         n_line;
  gsize           n_output;
  gboolean        n_waiting_input;

  /* Worker thread.  Fields below `lock` are shared; the worker reads the
   * run-mode fields only while it runs, and the main thread writes them only
   * while the worker is blocked or not started. */
  GThread        *thread;
  HsTraceRecorder *rec;
  GMutex          lock;
  GCond           cond;
  HsVm           *vm;
  gboolean        w_paused;
  gboolean        w_resume;
  gboolean        w_done;
  gint            w_cancel;        /* atomic */
  gint            w_pause_request; /* atomic */
  gint            w_gc_pending;    /* atomic: w_gc_value waits to be applied */
  gboolean        w_gc_value;
  guint64         w_indexed;       /* events the main thread has caught up with (it writes) */
  int             w_collect;       /* generation to collect, -1 none */
  gboolean        w_collect_done;
  gboolean        w_input_wait;    /* the worker is blocked in input() */
  char           *w_input;         /* the line the main thread answered, or NULL */
  gboolean        w_input_eof;     /* the main thread answered "end of input" */
  gint64          w_collect_result;
  HsResult        w_result;
  HsErrorInfo     w_error;
  RunMode         mode;
  guint64         arg;
  guint           arg_depth;
  guint8         *bp_bits;         /* breakpoint bitmap copy the worker reads */
  gsize           bp_len;
  /* Worker-private. */
  guint64         recorded;        /* events recorded in this run */
  guint64         indexed_seen;    /* the last w_indexed the worker read */
  guint           depth;
  guint64         steps;
  gboolean        in_command;
  gboolean        recording;
};

G_DEFINE_FINAL_TYPE (HsSession, hs_session, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (HsSessionState, hs_session_state,
  G_DEFINE_ENUM_VALUE (HS_SESSION_IDLE, "idle"),
  G_DEFINE_ENUM_VALUE (HS_SESSION_RUNNING, "running"),
  G_DEFINE_ENUM_VALUE (HS_SESSION_PAUSED, "paused"),
  G_DEFINE_ENUM_VALUE (HS_SESSION_FINISHED, "finished"),
  G_DEFINE_ENUM_VALUE (HS_SESSION_ERROR, "error"))

enum {
  PROP_0,
  PROP_STATE,
  PROP_STEP,
  PROP_TOTAL_STEPS,
  PROP_LINE,
  PROP_OUTPUT,
  PROP_LIVE,
  PROP_MODEL,
  PROP_ERROR_MESSAGE,
  PROP_WAITING_INPUT,
  N_PROPS
};

enum {
  COLLECTED,
  RESET,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* ---- the worker thread ------------------------------------------------------------ */

static void
write_nothing_cb (void *user_data, HsStream stream, const char *text, size_t len)
{
  /* Output reaches the session through OUTPUT events. */
}

static inline gboolean
bp_hit (HsSession *self, guint32 line)
{
  return line < self->bp_len * 8 && (self->bp_bits[line / 8] & (1u << (line % 8))) != 0;
}

static gboolean
should_pause (HsSession *self, const HsEvent *ev)
{
  if (self->mode == MODE_EVENT)
    return TRUE;
  if (ev->kind != HS_EV_LINE)
    return FALSE;
  if (g_atomic_int_get (&self->w_pause_request))
    return TRUE;
  switch (self->mode)
    {
    case MODE_LINE:
      return TRUE;
    case MODE_OVER:
      return self->depth <= self->arg_depth || bp_hit (self, ev->u.line.line);
    case MODE_OUT:
      return self->depth < self->arg_depth || bp_hit (self, ev->u.line.line);
    case MODE_CONTINUE:
      return bp_hit (self, ev->u.line.line);
    case MODE_TO_LINE:
      return ev->u.line.line == self->arg || bp_hit (self, ev->u.line.line);
    case MODE_TO_STEP:
      return self->steps >= self->arg;
    default:
      return FALSE;
    }
}

/* The worker, holding the lock, stops where it is: the main thread sees a pause. */
static void
worker_mark_paused (HsSession *self)
{
  self->w_paused = TRUE;
  self->w_resume = FALSE;
  g_atomic_int_set (&self->w_pause_request, 0);
  g_cond_broadcast (&self->cond);
  g_source_set_ready_time (self->wake, 0);
}

/* Runs one command that must happen at the live point while the worker is paused
 * (called and returning with the lock held); FALSE if none was waiting. */
static gboolean
worker_serve_command (HsSession *self)
{
  if (self->w_collect >= 0)
    {
      int gen = self->w_collect;
      gint64 r;

      self->w_collect = -1;
      g_mutex_unlock (&self->lock);
      self->in_command = TRUE;
      r = hs_vm_collect (self->vm, gen);
      self->in_command = FALSE;
      g_mutex_lock (&self->lock);
      self->w_collect_result = r;
      self->w_collect_done = TRUE;
      g_cond_broadcast (&self->cond);
      return TRUE;
    }
  if (g_atomic_int_get (&self->w_gc_pending))
    {
      g_atomic_int_set (&self->w_gc_pending, 0);
      hs_vm_set_gc_enabled (self->vm, self->w_gc_value);
      g_cond_broadcast (&self->cond);
      return TRUE;
    }
  return FALSE;
}

/* Blocks the VM inside its hook until the main thread resumes or cancels it;
 * runs the commands that must happen at the live point meanwhile. */
static int
worker_pause (HsSession *self)
{
  gboolean cancel;

  g_mutex_lock (&self->lock);
  worker_mark_paused (self);
  while (!self->w_resume && !g_atomic_int_get (&self->w_cancel))
    if (!worker_serve_command (self))
      g_cond_wait (&self->cond, &self->lock);
  self->w_paused = FALSE;
  cancel = g_atomic_int_get (&self->w_cancel);
  g_mutex_unlock (&self->lock);
  return cancel ? 1 : 0;
}

/* Backpressure: waits until the main thread has indexed all but half of the
 * backlog, or a pause or cancel is requested. */
static void
worker_throttle (HsSession *self)
{
  g_mutex_lock (&self->lock);
  /* Index now, not at the next tick: the run would otherwise go at one backlog a tick. */
  g_source_set_ready_time (self->backlog, 0);
  while (self->recorded - self->w_indexed > MAX_BACKLOG / 2
         && !g_atomic_int_get (&self->w_cancel) && !g_atomic_int_get (&self->w_pause_request))
    g_cond_wait_until (&self->cond, &self->lock, g_get_monotonic_time () + 50 * G_TIME_SPAN_MILLISECOND);
  self->indexed_seen = self->w_indexed;
  g_mutex_unlock (&self->lock);
}

static int
session_hook (void *user_data, const HsEvent *ev)
{
  HsSession *self = user_data;

  if (!self->recording)
    return 0;
  hs_trace_recorder_add (self->rec, ev);
  self->recorded++;
  switch (ev->kind)
    {
    case HS_EV_CALL: self->depth++; break;
    case HS_EV_RETURN: if (self->depth > 0) self->depth--; break;
    case HS_EV_LINE:
      self->steps++;
      if (G_UNLIKELY (self->recorded - self->indexed_seen > MAX_BACKLOG) && !self->in_command)
        worker_throttle (self);
      break;
    default: break;
    }
  if (self->in_command)
    return 0;
  if (G_UNLIKELY (g_atomic_int_get (&self->w_cancel)))
    return 1;
  if (G_UNLIKELY (g_atomic_int_get (&self->w_gc_pending)) && self->vm != NULL)
    {
      g_mutex_lock (&self->lock);
      g_atomic_int_set (&self->w_gc_pending, 0);
      hs_vm_set_gc_enabled (self->vm, self->w_gc_value);
      g_mutex_unlock (&self->lock);
    }
  if (!should_pause (self, ev))
    return 0;
  return worker_pause (self);
}

/* input() on the worker: waits for the main thread's hs_session_send_input(), or a
 * cancel (then the end of input: the run is stopping anyway).  A pause asked for
 * meanwhile takes effect at once: the program is paused inside input(), where
 * collections can run and the main thread may resume it, still waiting. */
static char *
session_read_line (void *user_data, size_t *len)
{
  HsSession *self = user_data;
  char *line = NULL;

  g_mutex_lock (&self->lock);
  self->w_input_wait = TRUE;
  g_cond_broadcast (&self->cond);
  g_source_set_ready_time (self->wake, 0);
  while (self->w_input == NULL && !self->w_input_eof && !g_atomic_int_get (&self->w_cancel))
    {
      if (!self->w_paused && g_atomic_int_get (&self->w_pause_request))
        worker_mark_paused (self);
      else if (self->w_paused && self->w_resume)
        self->w_paused = FALSE;
      else if (!self->w_paused || !worker_serve_command (self))
        g_cond_wait (&self->cond, &self->lock);
    }
  /* An answer given while paused resumed the run first (hs_session_send_input); one
   * that raced the main thread's notice of the pause still stops at the next line. */
  if (self->w_paused && !self->w_resume)
    g_atomic_int_set (&self->w_pause_request, 1);
  self->w_paused = FALSE;
  if (self->w_input != NULL && !g_atomic_int_get (&self->w_cancel))
    {
      /* The runtime frees it with free(). */
      line = strdup (self->w_input);
      if (line != NULL)
        *len = strlen (line);
    }
  g_clear_pointer (&self->w_input, g_free);
  self->w_input_eof = FALSE;
  self->w_input_wait = FALSE;
  g_mutex_unlock (&self->lock);
  return line;
}

static gpointer
worker_main (gpointer data)
{
  HsSession *self = data;
  HsConfig config;
  HsResult result = HS_RESULT_RUNTIME_ERROR;
  HsErrorInfo err;
  HsVm *vm;

  memset (&err, 0, sizeof err);
  hs_config_init (&config);
  config.write = write_nothing_cb;
  config.read_line = session_read_line;
  config.echo_input = true;   /* the console is the transcript a terminal would show */
  config.hook = session_hook;
  config.hook_mask = HS_EVMASK_ALL;
  config.user_data = self;
  config.profile = self->profile;
  config.step_limit = self->step_limit;
  config.heap_limit = self->heap_limit;
  config.output_limit = self->output_limit;

  self->recording = TRUE;
  vm = hs_vm_new (&config);
  if (vm != NULL)
    {
      g_mutex_lock (&self->lock);
      self->vm = vm;
      g_mutex_unlock (&self->lock);
      if (!self->gc_enabled)
        hs_vm_set_gc_enabled (vm, FALSE);
      result = hs_vm_run (vm, self->filename, self->source, self->len);
      hs_vm_last_error (vm, &err);
      err.result = result;
    }
  else
    {
      err.result = result;
      g_strlcpy (err.message, "could not start the runtime", sizeof err.message);
    }
  /* The teardown is not part of the program: stop recording first. */
  self->recording = FALSE;
  hs_trace_recorder_finish (self->rec);
  g_mutex_lock (&self->lock);
  self->vm = NULL;
  g_mutex_unlock (&self->lock);
  if (vm != NULL)
    hs_vm_free (vm, NULL);

  g_mutex_lock (&self->lock);
  self->w_result = result;
  self->w_error = err;
  self->w_done = TRUE;
  g_cond_broadcast (&self->cond);
  g_source_set_ready_time (self->wake, 0);
  g_mutex_unlock (&self->lock);
  return NULL;
}

/* ---- main-thread side ---------------------------------------------------------------- */

static void
set_state (HsSession *self, HsSessionState state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
notify_view (HsSession *self)
{
  guint64 step = hs_trace_model_get_step (self->model);
  guint64 total = hs_trace_get_n_steps (self->trace);
  guint32 line = hs_trace_model_get_current_line (self->model);
  gsize out = hs_trace_model_get_output_len (self->model);
  guint64 at = hs_trace_model_get_event (self->model);
  gboolean live = at == hs_trace_get_n_events (self->trace) || at == self->lag_event;

  if (step != self->n_step)
    {
      self->n_step = step;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STEP]);
    }
  if (total != self->n_total)
    {
      self->n_total = total;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL_STEPS]);
    }
  if (line != self->n_line)
    {
      self->n_line = line;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LINE]);
    }
  if (out != self->n_output)
    {
      self->n_output = out;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OUTPUT]);
    }
  if (live != self->live)
    {
      self->live = live;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LIVE]);
    }
}

static void
view_to_frontier (HsSession *self)
{
  self->lag_event = G_MAXUINT64;
  hs_trace_model_seek_event (self->model, hs_trace_get_n_events (self->trace));
}

/* A tick's view of a running program: the frontier, unless getting there means
 * replaying more than VIEW_CATCH_UP events (a big heap, whose snapshots are too
 * big for checkpoints, or dearer to copy than that replay): then that far towards
 * it, so one tick stays short.  The view reaches the frontier when the run pauses
 * or ends. */
static void
view_follow (HsSession *self)
{
  guint64 n = hs_trace_get_n_events (self->trace);
  guint64 at = hs_trace_model_get_event (self->model);

  self->lag_event = G_MAXUINT64;
  if (n > at && n - hs_trace_model_seek_start (self->model, n) > VIEW_CATCH_UP)
    self->lag_event = n = at + VIEW_CATCH_UP;   /* still live: notify_view() */
  hs_trace_model_seek_event (self->model, n);
}

static void
finish_worker (HsSession *self)
{
  g_thread_join (self->thread);
  self->thread = NULL;
  hs_trace_sync (self->trace);
  g_clear_pointer (&self->rec, hs_trace_recorder_free);
  self->error = self->w_error;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR_MESSAGE]);
}

/* Indexes recorded events for up to SYNC_MS and brings a live view forward
 * (view_follow); returns the size of the last chunk indexed (below SYNC_CHUNK:
 * everything recorded so far is indexed).  The worker learns how far that got:
 * the indexed frontier, or where the view stopped short of it (a big heap, with no
 * checkpoints to jump by), so a run never gets further ahead than the view can
 * follow, and a pause never waits for a long catch-up. */
static guint64
catch_up (HsSession *self)
{
  gint64 until = g_get_monotonic_time () + SYNC_MS * G_TIME_SPAN_MILLISECOND;
  guint64 n, done;

  do
    n = hs_trace_sync_some (self->trace, SYNC_CHUNK);
  while (n == SYNC_CHUNK && g_get_monotonic_time () < until);
  if (self->live)
    view_follow (self);
  /* lag_event is G_MAXUINT64 unless view_follow() just stopped short: every other
   * seek of the view clears it. */
  done = MIN (hs_trace_get_n_events (self->trace), self->lag_event);
  g_mutex_lock (&self->lock);
  self->w_indexed = done;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
  return n;
}

static gboolean
tick_cb (gpointer data)
{
  HsSession *self = data;
  gboolean paused, done;
  guint64 n;

  g_mutex_lock (&self->lock);
  /* Paused inside input() with an answer already given is not paused: the worker
   * is about to take the answer and run on to the next line, where it pauses again
   * (session_read_line). */
  paused = self->w_paused && !self->w_resume
           && !(self->w_input_wait && (self->w_input != NULL || self->w_input_eof));
  done = self->w_done;
  g_mutex_unlock (&self->lock);

  n = catch_up (self);
  {
    gboolean waiting;

    g_mutex_lock (&self->lock);
    waiting = self->w_input_wait && self->w_input == NULL && !self->w_input_eof;
    g_mutex_unlock (&self->lock);
    if (waiting != self->n_waiting_input && (n < SYNC_CHUNK || !waiting))
      {
        self->n_waiting_input = waiting;
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WAITING_INPUT]);
      }
  }
  if (n < SYNC_CHUNK && (paused || done))
    {
      if (done)
        finish_worker (self);
      if (done || self->live)
        view_to_frontier (self);   /* view_follow() may have stopped short of it */
      notify_view (self);
      self->tick_id = 0;
      if (done)
        set_state (self, self->w_result == HS_RESULT_OK || self->w_result == HS_RESULT_EXIT
                         ? HS_SESSION_FINISHED : HS_SESSION_ERROR);
      else
        set_state (self, HS_SESSION_PAUSED);
      return G_SOURCE_REMOVE;
    }
  notify_view (self);
  return G_SOURCE_CONTINUE;
}

/* The worker has just paused or ended: run the tick now rather than at its next
 * timeout, so a step shows up in the next frame instead of up to TICK_MS later. */
static gboolean
wake_cb (gpointer data)
{
  HsSession *self = g_object_ref (data);
  guint id = self->tick_id;

  g_source_set_ready_time (self->wake, -1);
  if (id != 0 && tick_cb (self) == G_SOURCE_REMOVE)
    g_source_remove (id);
  g_object_unref (self);
  return G_SOURCE_CONTINUE;
}

/* The worker waits for the main thread to catch up: catch up for a while.  At idle
 * priority, so input and redraws go first; the window hears of it at each tick. */
static gboolean
backlog_cb (gpointer data)
{
  HsSession *self = data;

  g_source_set_ready_time (self->backlog, -1);
  if (self->tick_id != 0)
    catch_up (self);
  return G_SOURCE_CONTINUE;
}

static gboolean
wake_dispatch (GSource *source, GSourceFunc callback, gpointer data)
{
  return callback (data);
}

static GSourceFuncs wake_funcs = { .dispatch = wake_dispatch };

/* A source on the main context that the worker makes ready (g_source_set_ready_time). */
static GSource *
ready_source_new (HsSession *self, GSourceFunc callback, const char *name, int priority)
{
  GSource *source = g_source_new (&wake_funcs, sizeof (GSource));

  g_source_set_callback (source, callback, self, NULL);
  g_source_set_name (source, name);
  g_source_set_priority (source, priority);
  g_source_attach (source, NULL);
  return source;
}

static void
ready_source_free (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

static void
start_tick (HsSession *self)
{
  if (self->tick_id == 0)
    self->tick_id = g_timeout_add (TICK_MS, tick_cb, self);
}

static void
copy_breakpoints (HsSession *self)
{
  guint32 max = 0;
  guint i;

  for (i = 0; i < self->breakpoints->len; i++)
    max = MAX (max, g_array_index (self->breakpoints, guint32, i));
  g_free (self->bp_bits);
  self->bp_len = max / 8 + 1;
  self->bp_bits = g_new0 (guint8, self->bp_len);
  for (i = 0; i < self->breakpoints->len; i++)
    {
      guint32 l = g_array_index (self->breakpoints, guint32, i);
      self->bp_bits[l / 8] |= 1u << (l % 8);
    }
}

/* Lets the VM run (starting it if needed) until the mode says to pause. */
static void
go_live (HsSession *self, RunMode mode, guint64 arg, guint arg_depth)
{
  if (self->state == HS_SESSION_FINISHED || self->state == HS_SESSION_ERROR
      || self->state == HS_SESSION_RUNNING || self->source == NULL)
    return;
  if (self->state == HS_SESSION_IDLE)
    {
      self->mode = mode;
      self->arg = arg;
      self->arg_depth = arg_depth;
      copy_breakpoints (self);
      self->rec = hs_trace_recorder_new (self->trace);
      self->w_done = FALSE;
      self->w_paused = FALSE;
      self->w_resume = FALSE;
      self->w_collect = -1;
      self->depth = 0;
      self->steps = 0;
      self->recorded = 0;
      self->indexed_seen = 0;
      self->w_indexed = 0;       /* a run starts on a new, empty trace */
      g_atomic_int_set (&self->w_cancel, 0);
      self->live = TRUE;
      set_state (self, HS_SESSION_RUNNING);
      self->thread = g_thread_new ("heapscope-vm", worker_main, self);
      start_tick (self);
      return;
    }
  /* Paused: the worker is blocked, so the mode fields are ours to write. */
  view_to_frontier (self);
  self->live = TRUE;
  g_mutex_lock (&self->lock);
  self->mode = mode;
  self->arg = arg;
  self->arg_depth = arg_depth;
  copy_breakpoints (self);
  self->w_resume = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
  set_state (self, HS_SESSION_RUNNING);
  start_tick (self);
}

static void
stop_worker (HsSession *self)
{
  if (self->thread == NULL)
    return;
  g_mutex_lock (&self->lock);
  g_atomic_int_set (&self->w_cancel, 1);
  if (self->vm != NULL)
    hs_vm_interrupt (self->vm);
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
  g_thread_join (self->thread);
  self->thread = NULL;
  g_clear_pointer (&self->rec, hs_trace_recorder_free);
  g_clear_pointer (&self->w_input, g_free);
  if (self->n_waiting_input)
    {
      self->n_waiting_input = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WAITING_INPUT]);
    }
}

static void
hs_session_dispose (GObject *object)
{
  HsSession *self = HS_SESSION (object);

  stop_worker (self);
  g_clear_handle_id (&self->tick_id, g_source_remove);
  ready_source_free (&self->wake);
  ready_source_free (&self->backlog);
  G_OBJECT_CLASS (hs_session_parent_class)->dispose (object);
}

static void
hs_session_finalize (GObject *object)
{
  HsSession *self = HS_SESSION (object);

  g_clear_object (&self->model);
  g_clear_object (&self->scratch);
  g_clear_pointer (&self->trace, hs_trace_unref);
  g_clear_pointer (&self->breakpoints, g_array_unref);
  g_free (self->bp_bits);
  g_free (self->filename);
  g_free (self->source);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  G_OBJECT_CLASS (hs_session_parent_class)->finalize (object);
}

static void
hs_session_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  HsSession *self = HS_SESSION (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_STEP:
      g_value_set_uint64 (value, hs_session_get_step (self));
      break;
    case PROP_TOTAL_STEPS:
      g_value_set_uint64 (value, hs_session_get_total_steps (self));
      break;
    case PROP_LINE:
      g_value_set_uint (value, hs_session_get_line (self));
      break;
    case PROP_OUTPUT:
      {
        gsize len;
        const char *text = hs_session_get_output (self, &len);
        g_value_take_string (value, g_strndup (text, len));
      }
      break;
    case PROP_LIVE:
      g_value_set_boolean (value, hs_session_is_live (self));
      break;
    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;
    case PROP_ERROR_MESSAGE:
      g_value_set_string (value, self->error.message);
      break;
    case PROP_WAITING_INPUT:
      g_value_set_boolean (value, self->n_waiting_input);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hs_session_class_init (HsSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = hs_session_dispose;
  object_class->finalize = hs_session_finalize;
  object_class->get_property = hs_session_get_property;

  properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, HS_TYPE_SESSION_STATE,
                                              HS_SESSION_IDLE, ro);
  properties[PROP_STEP] = g_param_spec_uint64 ("step", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  properties[PROP_TOTAL_STEPS] = g_param_spec_uint64 ("total-steps", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  properties[PROP_LINE] = g_param_spec_uint ("line", NULL, NULL, 0, G_MAXUINT32, 0, ro);
  properties[PROP_OUTPUT] = g_param_spec_string ("output", NULL, NULL, NULL, ro);
  properties[PROP_LIVE] = g_param_spec_boolean ("live", NULL, NULL, FALSE, ro);
  properties[PROP_MODEL] = g_param_spec_object ("model", NULL, NULL, HS_TYPE_TRACE_MODEL, ro);
  properties[PROP_ERROR_MESSAGE] = g_param_spec_string ("error-message", NULL, NULL, NULL, ro);
  /* The program waits in input() for hs_session_send_input(). */
  properties[PROP_WAITING_INPUT] = g_param_spec_boolean ("waiting-input", NULL, NULL, FALSE, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* A collection asked with hs_session_collect() finished: collected + uncollectable. */
  signals[COLLECTED] = g_signal_new ("collected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  /* The session dropped its run: hs_session_get_trace() is a new, empty trace
   * (the model stays the same object, now at its start). */
  signals[RESET] = g_signal_new ("reset", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
hs_session_init (HsSession *self)
{
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  self->profile = HS_PROFILE_TUTORIAL;
  self->step_limit = 10000000;
  self->heap_limit = 256u << 20;
  self->output_limit = 16u << 20;
  self->gc_enabled = TRUE;
  self->breakpoints = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->trace = hs_trace_new ();
  self->model = hs_trace_model_new (self->trace);
  self->scratch = hs_trace_model_new (self->trace);
  self->w_collect = -1;
  self->live = TRUE;
  self->lag_event = G_MAXUINT64;
  self->wake = ready_source_new (self, wake_cb, "HsSession wake", G_PRIORITY_DEFAULT);
  self->backlog = ready_source_new (self, backlog_cb, "HsSession backlog", G_PRIORITY_DEFAULT_IDLE);
}

HsSession *
hs_session_new (void)
{
  return g_object_new (HS_TYPE_SESSION, NULL);
}

void
hs_session_reset (HsSession *self)
{
  HsTrace *trace;

  g_return_if_fail (HS_IS_SESSION (self));
  stop_worker (self);
  g_clear_handle_id (&self->tick_id, g_source_remove);
  trace = hs_trace_new ();
  hs_trace_model_set_trace (self->model, trace);
  hs_trace_model_set_trace (self->scratch, trace);
  g_clear_pointer (&self->trace, hs_trace_unref);
  self->trace = trace;
  memset (&self->error, 0, sizeof self->error);
  self->live = TRUE;
  set_state (self, HS_SESSION_IDLE);
  g_signal_emit (self, signals[RESET], 0);
  g_signal_emit_by_name (self->model, "changed");
  notify_view (self);
}

void
hs_session_load (HsSession *self, const char *filename, const char *source, gssize len)
{
  g_return_if_fail (HS_IS_SESSION (self));
  g_return_if_fail (source != NULL);
  if (len < 0)
    len = (gssize) strlen (source);
  g_free (self->filename);
  g_free (self->source);
  self->filename = g_strdup (filename ? filename : "<string>");
  self->source = g_strndup (source, (gsize) len);
  self->len = (gsize) len;
  hs_session_reset (self);
}

void
hs_session_set_profile (HsSession *self, HsProfile profile)
{
  g_return_if_fail (HS_IS_SESSION (self));
  if (self->profile == profile)
    return;
  self->profile = profile;
  hs_session_reset (self);
}

void
hs_session_set_limits (HsSession *self, guint64 step_limit, gsize heap_limit, gsize output_limit)
{
  g_return_if_fail (HS_IS_SESSION (self));
  self->step_limit = step_limit;
  self->heap_limit = heap_limit;
  self->output_limit = output_limit;
}

HsSessionState
hs_session_get_state (HsSession *self)
{
  g_return_val_if_fail (HS_IS_SESSION (self), HS_SESSION_IDLE);
  return self->state;
}

HsTraceModel *
hs_session_get_model (HsSession *self)
{
  g_return_val_if_fail (HS_IS_SESSION (self), NULL);
  return self->model;
}

HsTrace *
hs_session_get_trace (HsSession *self)
{
  g_return_val_if_fail (HS_IS_SESSION (self), NULL);
  return self->trace;
}

guint64
hs_session_get_step (HsSession *self)
{
  return hs_trace_model_get_step (self->model);
}

guint64
hs_session_get_total_steps (HsSession *self)
{
  return hs_trace_get_n_steps (self->trace);
}

guint32
hs_session_get_line (HsSession *self)
{
  return hs_trace_model_get_current_line (self->model);
}

const char *
hs_session_get_output (HsSession *self, gsize *len)
{
  const char *text = hs_trace_get_output (self->trace, NULL);

  if (len != NULL)
    *len = hs_trace_model_get_output_len (self->model);
  return text;
}

const HsErrorInfo *
hs_session_get_error (HsSession *self)
{
  return &self->error;
}

gboolean
hs_session_is_live (HsSession *self)
{
  return hs_trace_model_get_event (self->model) == hs_trace_get_n_events (self->trace);
}

/* ---- commands ------------------------------------------------------------------------- */

static void
view_seek_step (HsSession *self, guint64 step)
{
  self->lag_event = G_MAXUINT64;   /* the learner's choice, not a lagging follow */
  hs_trace_model_seek_step (self->model, step);
  notify_view (self);
}

typedef gboolean (*StepPredicate) (HsSession *self, HsTraceModel *m, guint64 arg);

/* The first recorded step after the current one that satisfies `pred`, or 0. */
static guint64
find_in_history (HsSession *self, StepPredicate pred, guint64 arg)
{
  guint64 total = hs_trace_get_n_steps (self->trace), k;

  for (k = hs_trace_model_get_step (self->model) + 1; k <= total; k++)
    {
      hs_trace_model_seek_event_quiet (self->scratch, hs_trace_get_step_event (self->trace, k) + 1);
      if (pred (self, self->scratch, arg))
        return k;
    }
  return 0;
}

static gboolean
pred_depth_le (HsSession *self, HsTraceModel *m, guint64 depth)
{
  return hs_trace_model_get_n_frames (m) <= depth
         || hs_session_has_breakpoint (self, hs_trace_model_get_current_line (m));
}

static gboolean
pred_depth_lt (HsSession *self, HsTraceModel *m, guint64 depth)
{
  return hs_trace_model_get_n_frames (m) < depth
         || hs_session_has_breakpoint (self, hs_trace_model_get_current_line (m));
}

static gboolean
pred_breakpoint (HsSession *self, HsTraceModel *m, guint64 unused)
{
  return hs_session_has_breakpoint (self, hs_trace_model_get_current_line (m));
}

static gboolean
pred_line (HsSession *self, HsTraceModel *m, guint64 line)
{
  return hs_trace_model_get_current_line (m) == line
         || hs_session_has_breakpoint (self, hs_trace_model_get_current_line (m));
}

/* A finished run has nothing more in history: a step goes to its last step. At the last
 * step it changes nothing, so the view keeps the picture it shows there. */
static void
show_end (HsSession *self)
{
  if (hs_trace_model_get_step (self->model) >= hs_trace_get_n_steps (self->trace))
    return;
  view_to_frontier (self);
  notify_view (self);
}

static void
step_with (HsSession *self, StepPredicate pred, guint64 arg, RunMode mode)
{
  guint64 k;

  if (self->state == HS_SESSION_RUNNING)
    return;
  k = find_in_history (self, pred, arg);
  if (k != 0)
    {
      view_seek_step (self, k);
      return;
    }
  if (self->state == HS_SESSION_FINISHED || self->state == HS_SESSION_ERROR)
    show_end (self);
  else
    go_live (self, mode, arg, (guint) arg);
}

/* History can be browsed unless the VM is busy running: while it waits in input()
 * for the user, the steps so far are there to look at. */
static gboolean
browsable (HsSession *self)
{
  return self->state != HS_SESSION_RUNNING || self->n_waiting_input;
}

void
hs_session_step (HsSession *self)
{
  g_return_if_fail (HS_IS_SESSION (self));
  if (!browsable (self))
    return;
  if (hs_trace_model_get_step (self->model) < hs_trace_get_n_steps (self->trace))
    view_seek_step (self, hs_trace_model_get_step (self->model) + 1);
  else if (self->state == HS_SESSION_IDLE || self->state == HS_SESSION_PAUSED)
    go_live (self, MODE_LINE, 0, 0);
  else
    show_end (self);
}

void
hs_session_step_into (HsSession *self)
{
  hs_session_step (self);
}

void
hs_session_step_over (HsSession *self)
{
  g_return_if_fail (HS_IS_SESSION (self));
  if (self->state == HS_SESSION_IDLE)
    {
      hs_session_step (self);
      return;
    }
  step_with (self, pred_depth_le, hs_trace_model_get_n_frames (self->model), MODE_OVER);
}

void
hs_session_step_out (HsSession *self)
{
  g_return_if_fail (HS_IS_SESSION (self));
  if (self->state == HS_SESSION_IDLE)
    {
      hs_session_step (self);
      return;
    }
  step_with (self, pred_depth_lt, hs_trace_model_get_n_frames (self->model), MODE_OUT);
}

void
hs_session_back (HsSession *self)
{
  guint64 step;

  g_return_if_fail (HS_IS_SESSION (self));
  if (!browsable (self))
    return;
  step = hs_trace_model_get_step (self->model);
  if (step > 1)
    view_seek_step (self, step - 1);
}

void
hs_session_continue (HsSession *self)
{
  g_return_if_fail (HS_IS_SESSION (self));
  step_with (self, pred_breakpoint, 0, MODE_CONTINUE);
}

void
hs_session_run_to_line (HsSession *self, guint32 line)
{
  g_return_if_fail (HS_IS_SESSION (self));
  step_with (self, pred_line, line, MODE_TO_LINE);
}

gboolean
hs_session_is_waiting_input (HsSession *self)
{
  g_return_val_if_fail (HS_IS_SESSION (self), FALSE);
  return self->n_waiting_input;
}

void
hs_session_send_input (HsSession *self, const char *text)
{
  g_return_if_fail (HS_IS_SESSION (self));
  if (!self->n_waiting_input)
    return;
  /* Paused inside input(): the answer runs the program to its next line, as a step. */
  if (self->state == HS_SESSION_PAUSED)
    go_live (self, MODE_LINE, 0, 0);
  g_mutex_lock (&self->lock);
  if (self->w_input_wait)
    {
      g_clear_pointer (&self->w_input, g_free);
      if (text != NULL)
        {
          /* One line: what follows a newline is not part of it. */
          self->w_input = g_strndup (text, strcspn (text, "\n"));
        }
      else
        self->w_input_eof = TRUE;
      g_cond_broadcast (&self->cond);
    }
  g_mutex_unlock (&self->lock);
  self->n_waiting_input = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WAITING_INPUT]);
  /* The program goes on: the view follows it again, from wherever it was. */
  view_to_frontier (self);
  notify_view (self);
  start_tick (self);
}

void
hs_session_pause (HsSession *self)
{
  g_return_if_fail (HS_IS_SESSION (self));
  if (self->state != HS_SESSION_RUNNING)
    return;
  g_mutex_lock (&self->lock);
  g_atomic_int_set (&self->w_pause_request, 1);
  /* A worker waiting in input() pauses there, now. */
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
}

void
hs_session_seek (HsSession *self, guint64 step)
{
  g_return_if_fail (HS_IS_SESSION (self));
  if (!browsable (self))
    return;
  if (step <= hs_trace_get_n_steps (self->trace))
    view_seek_step (self, MAX (step, 1));
  else if (self->state == HS_SESSION_IDLE || self->state == HS_SESSION_PAUSED)
    go_live (self, MODE_TO_STEP, step, 0);
  else
    view_seek_step (self, hs_trace_get_n_steps (self->trace));
}

void
hs_session_step_event (HsSession *self, gboolean forward)
{
  guint64 ev;

  g_return_if_fail (HS_IS_SESSION (self));
  if (!browsable (self))
    return;
  ev = hs_trace_model_get_event (self->model);
  self->lag_event = G_MAXUINT64;
  if (!forward)
    {
      if (ev > 1)
        hs_trace_model_seek_event (self->model, ev - 1);
    }
  else if (ev < hs_trace_get_n_events (self->trace))
    hs_trace_model_seek_event (self->model, ev + 1);
  else if (self->state == HS_SESSION_PAUSED)
    go_live (self, MODE_EVENT, 0, 0);
  else if (self->state == HS_SESSION_IDLE)
    go_live (self, MODE_LINE, 0, 0);
  notify_view (self);
}

gboolean
hs_session_collect (HsSession *self, int generation)
{
  gint64 result;

  g_return_val_if_fail (HS_IS_SESSION (self), FALSE);
  if (self->state != HS_SESSION_PAUSED || self->thread == NULL)
    return FALSE;
  g_mutex_lock (&self->lock);
  self->w_collect_done = FALSE;
  self->w_collect = CLAMP (generation, 0, 2);
  g_cond_broadcast (&self->cond);
  while (!self->w_collect_done && !self->w_done)
    g_cond_wait (&self->cond, &self->lock);
  result = self->w_collect_result;
  g_mutex_unlock (&self->lock);
  hs_trace_sync (self->trace);
  view_to_frontier (self);
  notify_view (self);
  g_signal_emit (self, signals[COLLECTED], 0, result);
  return TRUE;
}

void
hs_session_set_gc_enabled (HsSession *self, gboolean enabled)
{
  g_return_if_fail (HS_IS_SESSION (self));
  self->gc_enabled = enabled;
  if (self->thread == NULL)
    return;
  g_mutex_lock (&self->lock);
  self->w_gc_value = enabled;
  g_atomic_int_set (&self->w_gc_pending, 1);
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
}

void
hs_session_set_breakpoint (HsSession *self, guint32 line, gboolean on)
{
  guint i;

  g_return_if_fail (HS_IS_SESSION (self));
  for (i = 0; i < self->breakpoints->len; i++)
    if (g_array_index (self->breakpoints, guint32, i) == line)
      break;
  if (on && i == self->breakpoints->len)
    g_array_append_val (self->breakpoints, line);
  else if (!on && i < self->breakpoints->len)
    g_array_remove_index_fast (self->breakpoints, i);
  /* A running worker sees the change at its next pause. */
}

gboolean
hs_session_has_breakpoint (HsSession *self, guint32 line)
{
  guint i;

  for (i = 0; i < self->breakpoints->len; i++)
    if (g_array_index (self->breakpoints, guint32, i) == line)
      return TRUE;
  return FALSE;
}

void
hs_session_clear_breakpoints (HsSession *self)
{
  g_return_if_fail (HS_IS_SESSION (self));
  g_array_set_size (self->breakpoints, 0);
}

static gboolean
wait_timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
hs_session_wait (HsSession *self, guint timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id;

  g_return_val_if_fail (HS_IS_SESSION (self), FALSE);
  id = g_timeout_add (timeout_ms, wait_timeout_cb, &timed_out);
  while (self->state == HS_SESSION_RUNNING && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return self->state != HS_SESSION_RUNNING;
}
