/* hs-trace.c — the trace model (not written yet). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
typedef int hs_trace_placeholder_unit;
