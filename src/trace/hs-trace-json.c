/* hs-trace-json.c — the trace as JSON Lines: a header, then one object per event. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <string.h>

#include <gio/gio.h>

#include "hs-trace-private.h"

static void
json_string (GString *s, const char *text, gssize len)
{
  g_autofree char *valid = NULL;
  const char *p, *end;

  if (text == NULL)
    {
      g_string_append (s, "null");
      return;
    }
  if (len < 0)
    len = (gssize) strlen (text);
  if (!g_utf8_validate_len (text, (gsize) len, NULL))
    {
      valid = g_utf8_make_valid (text, len);
      text = valid;
      len = (gssize) strlen (valid);
    }
  g_string_append_c (s, '"');
  for (p = text, end = text + len; p < end; p++)
    {
      guchar c = (guchar) *p;
      switch (c)
        {
        case '"': g_string_append (s, "\\\""); break;
        case '\\': g_string_append (s, "\\\\"); break;
        case '\n': g_string_append (s, "\\n"); break;
        case '\r': g_string_append (s, "\\r"); break;
        case '\t': g_string_append (s, "\\t"); break;
        default:
          if (c < 0x20 || c == 0x7f)
            g_string_append_printf (s, "\\u%04x", c);
          else
            g_string_append_c (s, (char) c);
        }
    }
  g_string_append_c (s, '"');
}

static void
key (GString *s, const char *name)
{
  g_string_append_printf (s, ",\"%s\":", name);
}

static void
key_u64 (GString *s, const char *name, guint64 v)
{
  g_string_append_printf (s, ",\"%s\":%" G_GUINT64_FORMAT, name, v);
}

static void
key_i64 (GString *s, const char *name, gint64 v)
{
  g_string_append_printf (s, ",\"%s\":%" G_GINT64_FORMAT, name, v);
}

static void
key_thresholds (GString *s, gint64 t0, gint64 t1, gint64 t2)
{
  g_string_append_printf (s, ",\"thresholds\":[%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT ",%"
                          G_GINT64_FORMAT "]", t0, t1, t2);
}

static void
key_str (GString *s, const char *name, const char *v)
{
  key (s, name);
  json_string (s, v, -1);
}

static void
key_bool (GString *s, const char *name, gboolean v)
{
  g_string_append_printf (s, ",\"%s\":%s", name, v ? "true" : "false");
}

static const char *
free_cause_name (HsFreeCause c)
{
  switch (c)
    {
    case HS_FREE_REFCOUNT: return "refcount";
    case HS_FREE_GC: return "gc";
    case HS_FREE_TEARDOWN: return "teardown";
    default: return "unknown";
    }
}

void
hs_trace_event_to_json (const HsEvent *ev, GString *s)
{
  gsize i;

  g_string_append_printf (s, "{\"seq\":%" G_GUINT64_FORMAT, (guint64) ev->seq);
  key_str (s, "kind", hs_event_kind_name (ev->kind));
  key_u64 (s, "line", ev->line);
  key_u64 (s, "frame", ev->frame);
  switch (ev->kind)
    {
    case HS_EV_LINE:
      break;
    case HS_EV_CALL:
      key_u64 (s, "new_frame", ev->u.call.frame);
      key_u64 (s, "parent", ev->u.call.parent);
      key_u64 (s, "function", ev->u.call.function);
      key_str (s, "name", ev->u.call.name);
      key_u64 (s, "first_line", ev->u.call.line);
      break;
    case HS_EV_RETURN:
      key_u64 (s, "returning_frame", ev->u.ret.frame);
      key_u64 (s, "value", ev->u.ret.value);
      break;
    case HS_EV_EXCEPTION:
      key_u64 (s, "exc", ev->u.exception.exc);
      key_str (s, "type", ev->u.exception.type_name);
      key_str (s, "message", ev->u.exception.message);
      break;
    case HS_EV_ALLOC:
      key_u64 (s, "id", ev->u.alloc.id);
      key_str (s, "type", ev->u.alloc.type_name);
      key_u64 (s, "size", ev->u.alloc.size);
      key_bool (s, "tracked", ev->u.alloc.tracked);
      key_bool (s, "immortal", ev->u.alloc.immortal);
      {
        char buf[HS_EVENT_INT_TEXT];

        key_str (s, "describe", hs_event_alloc_describe (ev, buf));
      }
      break;
    case HS_EV_REF:
      key_str (s, "holder_kind", hs_holder_kind_name (ev->u.ref.holder_kind));
      key_u64 (s, "holder", ev->u.ref.holder);
      key_u64 (s, "slot", ev->u.ref.slot);
      key_str (s, "name", ev->u.ref.name);
      key_u64 (s, "old", ev->u.ref.old_target);
      key_u64 (s, "new", ev->u.ref.new_target);
      key_i64 (s, "old_refcnt", ev->u.ref.old_refcnt);
      key_i64 (s, "new_refcnt", ev->u.ref.new_refcnt);
      break;
    case HS_EV_FREE:
      key_u64 (s, "id", ev->u.free.id);
      key_str (s, "cause", free_cause_name (ev->u.free.cause));
      break;
    case HS_EV_TRACK:
      key_u64 (s, "id", ev->u.track.id);
      key_bool (s, "tracked", ev->u.track.tracked);
      key_i64 (s, "generation", ev->u.track.generation);
      break;
    case HS_EV_GC_START:
      key_i64 (s, "generation", ev->u.gc_start.generation);
      g_string_append_printf (s, ",\"counts\":[%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT ",%"
                              G_GINT64_FORMAT "]", (gint64) ev->u.gc_start.count0,
                              (gint64) ev->u.gc_start.count1, (gint64) ev->u.gc_start.count2);
      key_thresholds (s, ev->u.gc_start.threshold0, ev->u.gc_start.threshold1,
                      ev->u.gc_start.threshold2);
      break;
    case HS_EV_GC_PHASE:
      key_str (s, "phase", hs_gc_phase_name (ev->u.gc_phase.phase));
      key_i64 (s, "generation", ev->u.gc_phase.generation);
      g_string_append (s, ",\"ids\":[");
      for (i = 0; i < ev->u.gc_phase.n; i++)
        g_string_append_printf (s, "%s%" G_GUINT64_FORMAT, i ? "," : "",
                                (guint64) ev->u.gc_phase.ids[i]);
      g_string_append_c (s, ']');
      if (ev->u.gc_phase.values != NULL)
        {
          g_string_append (s, ",\"values\":[");
          for (i = 0; i < ev->u.gc_phase.n; i++)
            g_string_append_printf (s, "%s%" G_GINT64_FORMAT, i ? "," : "",
                                    (gint64) ev->u.gc_phase.values[i]);
          g_string_append_c (s, ']');
        }
      break;
    case HS_EV_GC_FINALIZE:
    case HS_EV_GC_RESURRECT:
      key_u64 (s, "id", ev->u.gc_object.id);
      break;
    case HS_EV_GC_END:
      key_i64 (s, "generation", ev->u.gc_end.generation);
      key_i64 (s, "collected", ev->u.gc_end.collected);
      key_i64 (s, "uncollectable", ev->u.gc_end.uncollectable);
      key_thresholds (s, ev->u.gc_end.threshold0, ev->u.gc_end.threshold1, ev->u.gc_end.threshold2);
      break;
    case HS_EV_GC_THRESHOLD:
      key_thresholds (s, ev->u.gc_threshold.threshold0, ev->u.gc_threshold.threshold1,
                      ev->u.gc_threshold.threshold2);
      break;
    case HS_EV_OUTPUT:
      key_str (s, "stream", ev->u.output.stream == HS_STREAM_STDERR ? "stderr" : "stdout");
      key (s, "text");
      json_string (s, ev->u.output.text, (gssize) ev->u.output.len);
      break;
    case HS_EV_ROOT:
      key_u64 (s, "id", ev->u.root.id);
      key_str (s, "name", ev->u.root.name);
      break;
    default:
      break;
    }
  g_string_append_c (s, '}');
}

typedef struct {
  FILE    *out;
  GString *line;
  gboolean failed;
} WriteCtx;

static gboolean
write_event_cb (const HsEvent *ev, gpointer user_data)
{
  WriteCtx *ctx = user_data;

  g_string_truncate (ctx->line, 0);
  hs_trace_event_to_json (ev, ctx->line);
  g_string_append_c (ctx->line, '\n');
  if (fwrite (ctx->line->str, 1, ctx->line->len, ctx->out) != ctx->line->len)
    {
      ctx->failed = TRUE;
      return FALSE;
    }
  return TRUE;
}

gboolean
hs_trace_write_jsonl (HsTrace *trace, FILE *out, const char *program, const char *result,
                      GError **error)
{
  WriteCtx ctx = { out, g_string_new (NULL), FALSE };

  g_return_val_if_fail (trace != NULL && out != NULL, FALSE);
  hs_trace_sync (trace);
  g_string_append_printf (ctx.line, "{\"schema\":\"heapscope-trace\",\"version\":%d,\"minor\":%d",
                          HS_TRACE_SCHEMA_VERSION, HS_TRACE_SCHEMA_MINOR);
  key_str (ctx.line, "generator", "heapscope " PACKAGE_VERSION);
  key_str (ctx.line, "program", program);
  if (result != NULL)
    key_str (ctx.line, "result", result);
  key_u64 (ctx.line, "events", hs_trace_get_n_events (trace));
  key_u64 (ctx.line, "steps", hs_trace_get_n_steps (trace));
  g_string_append (ctx.line, "}\n");
  if (fwrite (ctx.line->str, 1, ctx.line->len, out) != ctx.line->len)
    ctx.failed = TRUE;
  if (!ctx.failed)
    hs_trace_foreach_event (trace, 0, G_MAXUINT64, write_event_cb, &ctx);
  if (!ctx.failed && fflush (out) != 0)
    ctx.failed = TRUE;
  g_string_free (ctx.line, TRUE);
  if (ctx.failed)
    {
      int err = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (err), "%s", g_strerror (err));
      return FALSE;
    }
  return TRUE;
}
