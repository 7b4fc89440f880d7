/* hs-event-names.c — printable names of event, holder and gc-phase kinds; an alloc's text. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "hs-event.h"
#include "hs-numbers-private.h"

size_t
hs_event_format_int (int64_t value, char buf[HS_EVENT_INT_TEXT])
{
  return hs_int_to_decimal (value, buf);
}

const char *
hs_event_alloc_describe (const HsEvent *event, char buf[HS_EVENT_INT_TEXT])
{
  if (event->kind != HS_EV_ALLOC)
    return NULL;
  if (!event->u.alloc.has_int)
    return event->u.alloc.describe;
  hs_event_format_int (event->u.alloc.int_value, buf);
  return buf;
}

const char *
hs_event_kind_name (HsEventKind kind)
{
  static const char *const names[HS_EV__COUNT] = {
    [HS_EV_LINE] = "line",
    [HS_EV_CALL] = "call",
    [HS_EV_RETURN] = "return",
    [HS_EV_EXCEPTION] = "exception",
    [HS_EV_ALLOC] = "alloc",
    [HS_EV_REF] = "ref",
    [HS_EV_FREE] = "free",
    [HS_EV_TRACK] = "track",
    [HS_EV_GC_START] = "gc_start",
    [HS_EV_GC_PHASE] = "gc_phase",
    [HS_EV_GC_FINALIZE] = "gc_finalize",
    [HS_EV_GC_RESURRECT] = "gc_resurrect",
    [HS_EV_GC_END] = "gc_end",
    [HS_EV_OUTPUT] = "output",
    [HS_EV_ROOT] = "root",
    [HS_EV_GC_THRESHOLD] = "gc_threshold",
  };
  return (unsigned) kind < HS_EV__COUNT ? names[kind] : "unknown";
}

const char *
hs_holder_kind_name (HsHolderKind kind)
{
  switch (kind)
    {
    case HS_HOLDER_LOCAL: return "local";
    case HS_HOLDER_STACK: return "stack";
    case HS_HOLDER_GLOBAL: return "global";
    case HS_HOLDER_ITEM: return "item";
    case HS_HOLDER_KEY: return "key";
    case HS_HOLDER_VALUE: return "value";
    case HS_HOLDER_ATTR: return "attr";
    case HS_HOLDER_CELL: return "cell";
    case HS_HOLDER_CONST: return "const";
    case HS_HOLDER_INTERNAL: return "internal";
    case HS_HOLDER_RUNTIME: return "runtime";
    default: return "unknown";
    }
}

const char *
hs_gc_phase_name (HsGcPhase phase)
{
  switch (phase)
    {
    case HS_GC_PHASE_UPDATE_REFS: return "update_refs";
    case HS_GC_PHASE_SUBTRACT_REFS: return "subtract_refs";
    case HS_GC_PHASE_UNREACHABLE: return "unreachable";
    case HS_GC_PHASE_FINALIZERS: return "finalizers";
    case HS_GC_PHASE_RESURRECTED: return "resurrected";
    case HS_GC_PHASE_CLEAR: return "clear";
    case HS_GC_PHASE_PROMOTE: return "promote";
    default: return "unknown";
    }
}
