/* hs-session.h — runs a program on a worker thread, records it, and steps through it. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "hs-trace.h"

G_BEGIN_DECLS

typedef enum {
  HS_SESSION_IDLE,      /* nothing ran yet (or reset) */
  HS_SESSION_RUNNING,   /* the VM runs on its thread */
  HS_SESSION_PAUSED,    /* the VM waits inside its hook at the recorded frontier */
  HS_SESSION_FINISHED,  /* the program ended normally (or by sys.exit) */
  HS_SESSION_ERROR,     /* it ended with an error, a limit, or was cancelled */
} HsSessionState;

#define HS_TYPE_SESSION_STATE (hs_session_state_get_type ())
GType hs_session_state_get_type (void) G_GNUC_CONST;

#define HS_TYPE_SESSION (hs_session_get_type ())
G_DECLARE_FINAL_TYPE (HsSession, hs_session, HS, SESSION, GObject)

HsSession      *hs_session_new (void);

/* Sets the program (the session resets).  Nothing runs until a command. */
void            hs_session_load (HsSession *self, const char *filename, const char *source,
                                 gssize len);
void            hs_session_set_profile (HsSession *self, HsProfile profile);
/* 0 = unlimited.  Defaults: 10,000,000 steps, 256 MiB heap, 16 MiB output. */
void            hs_session_set_limits (HsSession *self, guint64 step_limit, gsize heap_limit,
                                       gsize output_limit);

HsSessionState  hs_session_get_state (HsSession *self);
/* The model the UI draws: the state at the current step (history or live). */
HsTraceModel   *hs_session_get_model (HsSession *self);
/* Changes on reset/load (signal "reset"): fetch it again then. */
HsTrace        *hs_session_get_trace (HsSession *self);
guint64         hs_session_get_step (HsSession *self);
guint64         hs_session_get_total_steps (HsSession *self);
guint32         hs_session_get_line (HsSession *self);
/* Program output up to the current step (not NUL-terminated at len). */
const char     *hs_session_get_output (HsSession *self, gsize *len);
/* How the run ended (valid in FINISHED and ERROR). */
const HsErrorInfo *hs_session_get_error (HsSession *self);
gboolean        hs_session_is_live (HsSession *self);  /* current step is the frontier */

/* Stepping.  Through recorded history first; past the frontier the VM resumes. */
void            hs_session_step (HsSession *self);           /* one line (= step into) */
void            hs_session_step_over (HsSession *self);
void            hs_session_step_into (HsSession *self);
void            hs_session_step_out (HsSession *self);
void            hs_session_back (HsSession *self);           /* one line back, history only */
void            hs_session_continue (HsSession *self);       /* to a breakpoint or the end */
void            hs_session_run_to_line (HsSession *self, guint32 line);
void            hs_session_pause (HsSession *self);
void            hs_session_reset (HsSession *self);
void            hs_session_seek (HsSession *self, guint64 step);
void            hs_session_step_event (HsSession *self, gboolean forward);

/* The program waits in input() (property "waiting-input"; the prompt is in the
 * output).  send_input answers with one line (NULL: the end of input, EOFError). */
gboolean        hs_session_is_waiting_input (HsSession *self);
void            hs_session_send_input (HsSession *self, const char *text);

/* At the live point (a history view returns there first); only while paused. */
gboolean        hs_session_collect (HsSession *self, int generation);
void            hs_session_set_gc_enabled (HsSession *self, gboolean enabled);

void            hs_session_set_breakpoint (HsSession *self, guint32 line, gboolean on);
gboolean        hs_session_has_breakpoint (HsSession *self, guint32 line);
void            hs_session_clear_breakpoints (HsSession *self);

/* Blocks (iterating the default main context) until the session leaves RUNNING
 * or `timeout_ms` passes.  For tests and headless tools. */
gboolean        hs_session_wait (HsSession *self, guint timeout_ms);

G_END_DECLS
