/* containers-test.h — shared helpers for the container and builtin unit tests: a VM with
 * captured output and a hook that mirrors every published reference slot. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hs-internal.h"

/* The mirror: every (kind, holder, slot) the runtime published and the target it holds
 * now, plus per-target counts of ITEM/KEY/VALUE references. */
typedef struct {
  uint32_t kind;
  HsId     holder;
  uint64_t slot;
  HsId     target;   /* 0: empty */
} TSlot;

typedef struct {
  HsId    id;
  int64_t count;
} TCount;

typedef struct {
  char    out[1 << 16];
  size_t  out_len;
  TSlot  *slots;
  size_t  n_slots, cap_slots;
  TCount *counts;
  size_t  n_counts, cap_counts;
  size_t  mismatches;     /* events whose old_target was not what the slot held */
  size_t  ref_events;
  bool    mirror;
  HsId    log_holder;      /* removals from this holder are logged, in order */
  uint64_t log[256];
  size_t  n_log;
} TState;

static void
t_write (void *user_data, HsStream stream, const char *text, size_t len)
{
  TState *st = user_data;

  (void) stream;
  if (st->out_len + len >= sizeof st->out)
    len = sizeof st->out - 1 - st->out_len;
  memcpy (st->out + st->out_len, text, len);
  st->out_len += len;
  st->out[st->out_len] = '\0';
}

static TSlot *
t_slot (TState *st, uint32_t kind, HsId holder, uint64_t slot)
{
  for (size_t i = 0; i < st->n_slots; i++)
    if (st->slots[i].kind == kind && st->slots[i].holder == holder && st->slots[i].slot == slot)
      return &st->slots[i];
  if (st->n_slots == st->cap_slots)
    {
      st->cap_slots = st->cap_slots ? st->cap_slots * 2 : 1024;
      st->slots = realloc (st->slots, st->cap_slots * sizeof *st->slots);
    }
  st->slots[st->n_slots] = (TSlot) { kind, holder, slot, 0 };
  return &st->slots[st->n_slots++];
}

static TCount *
t_count (TState *st, HsId id)
{
  for (size_t i = 0; i < st->n_counts; i++)
    if (st->counts[i].id == id)
      return &st->counts[i];
  if (st->n_counts == st->cap_counts)
    {
      st->cap_counts = st->cap_counts ? st->cap_counts * 2 : 1024;
      st->counts = realloc (st->counts, st->cap_counts * sizeof *st->counts);
    }
  st->counts[st->n_counts] = (TCount) { id, 0 };
  return &st->counts[st->n_counts++];
}

static int
t_hook (void *user_data, const HsEvent *ev)
{
  TState *st = user_data;

  /* runtime-held references share holder 0 slot 0 under several names: not mirrored */
  if (ev->kind != HS_EV_REF || !st->mirror || ev->u.ref.holder_kind == HS_HOLDER_RUNTIME)
    return 0;
  st->ref_events++;
  {
    uint32_t k = ev->u.ref.holder_kind;
    TSlot *s = t_slot (st, k, ev->u.ref.holder, ev->u.ref.slot);
    if (s->target != ev->u.ref.old_target)
      {
        st->mismatches++;
        if (getenv ("T_VERBOSE") != NULL)
          fprintf (stderr, "slot mismatch: %s holder %llu slot %llu (%s): held %llu, event says %llu -> %llu\n",
                   hs_holder_kind_name (k), (unsigned long long) ev->u.ref.holder,
                   (unsigned long long) ev->u.ref.slot, ev->u.ref.name ? ev->u.ref.name : "",
                   (unsigned long long) s->target, (unsigned long long) ev->u.ref.old_target,
                   (unsigned long long) ev->u.ref.new_target);
      }
    s->target = ev->u.ref.new_target;
    if (ev->u.ref.holder == st->log_holder && ev->u.ref.new_target == 0 && st->n_log < 256)
      st->log[st->n_log++] = ev->u.ref.slot;
    if (k == HS_HOLDER_ITEM || k == HS_HOLDER_KEY || k == HS_HOLDER_VALUE)
      {
        if (ev->u.ref.old_target != 0)
          t_count (st, ev->u.ref.old_target)->count--;
        if (ev->u.ref.new_target != 0)
          t_count (st, ev->u.ref.new_target)->count++;
      }
  }
  return 0;
}

/* ITEM/KEY/VALUE references the runtime published into object `id`. */
__attribute__ ((unused)) static int64_t
t_refs (TState *st, HsId id)
{
  for (size_t i = 0; i < st->n_counts; i++)
    if (st->counts[i].id == id)
      return st->counts[i].count;
  return 0;
}

static HsVm *
t_vm_new (TState **out, bool hooked)
{
  TState *st = calloc (1, sizeof *st);
  HsConfig config;
  HsVm *vm;

  hs_config_init (&config);
  config.write = t_write;
  config.user_data = st;
  if (hooked)
    {
      config.hook = t_hook;
      config.hook_mask = HS_EVMASK (HS_EV_REF);
      st->mirror = true;
    }
  vm = hs_vm_new (&config);
  assert_non_null (vm);
  *out = st;
  return vm;
}

static void
t_vm_free (HsVm *vm, TState *st)
{
  HsMemStats final;

  hs_vm_free (vm, &final);
  assert_int_equal (final.live_objects, 0);
  assert_int_equal (final.live_bytes, 0);
  assert_int_equal (st->mismatches, 0);
  free (st->slots);
  free (st->counts);
  free (st);
}

/* Runs a program and compares its output (and its result) with what CPython printed. */
__attribute__ ((unused)) static void
t_run (const char *src, const char *expected)
{
  TState *st;
  HsVm *vm = t_vm_new (&st, true);
  HsResult r = hs_vm_run (vm, "<test>", src, strlen (src));

  if (r != HS_RESULT_OK || strcmp (st->out, expected) != 0)
    fprintf (stderr, "program:\n%s\n--- expected:\n%s--- got (result %d):\n%s\n", src, expected,
             (int) r, st->out);
  assert_int_equal (r, HS_RESULT_OK);
  assert_string_equal (st->out, expected);
  t_vm_free (vm, st);
}

/* str(o) as a C string in buf. */
__attribute__ ((unused)) static const char *
t_str (HsVm *vm, HsObject *o, char *buf, size_t cap)
{
  HsObject *s = hs_object_repr (vm, o);

  assert_non_null (s);
  snprintf (buf, cap, "%s", hs_str_data (s));
  hs_decref (vm, s);
  return buf;
}

/* The message of the current exception ("TypeError: ..."), cleared. */
__attribute__ ((unused)) static const char *
t_err (HsVm *vm, char *buf, size_t cap)
{
  HsObject *e, *s;

  assert_true (hs_err_occurred (vm));
  e = hs_err_fetch (vm);
  s = hs_object_str (vm, e);
  snprintf (buf, cap, "%s: %s", e->type->name, s ? hs_str_data (s) : "?");
  hs_xdecref (vm, s);
  hs_decref (vm, e);
  return buf;
}
