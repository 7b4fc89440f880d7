/* test-trace-seek.c — time travel: seeking through checkpoints equals replaying from the start. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "hs-trace-private.h"
#include "test-record.h"
#include "test-trace-stream.h"

/* ---- a random but consistent program ----------------------------------------------- */

typedef struct {
  Stream  s;
  GRand  *rand;
  HsId    next_id;
  GArray *frames;      /* HsId, the call stack */
  GArray *containers;  /* HsId of live lists (may be freed: checked via rc) */
  GArray *live;        /* HsId of objects that may be alive */
} Gen;

/* Releases one reference already dropped from the shadow count: frees
 * whatever reaches zero, releasing what it held first (a work list). */
static void
gen_collect_zero (Gen *g, HsId first)
{
  g_autoptr(GArray) work = g_array_new (FALSE, FALSE, sizeof (HsId));

  if (g->s.rc[first] != 0)
    return;
  g_array_append_val (work, first);
  while (work->len > 0)
    {
      HsId id = g_array_index (work, HsId, work->len - 1);
      g_autofree char *prefix = g_strdup_printf ("%d:%" G_GUINT64_FORMAT ":", HS_HOLDER_ITEM, id);
      g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
      GHashTableIter it;
      gpointer k;
      guint i;

      g_array_set_size (work, work->len - 1);
      g_hash_table_iter_init (&it, g->s.slots);
      while (g_hash_table_iter_next (&it, &k, NULL))
        if (g_str_has_prefix (k, prefix))
          g_ptr_array_add (keys, g_strdup (k));
      /* Last to first, as lists release their items. */
      g_ptr_array_sort (keys, (GCompareFunc) g_strcmp0);
      for (i = keys->len; i-- > 0;)
        {
          guint64 slot = g_ascii_strtoull ((char *) g_ptr_array_index (keys, i) + strlen (prefix), NULL, 10);
          HsId old = stream_store (&g->s, HS_HOLDER_ITEM, id, slot, NULL, 0, FALSE);
          if (old != 0 && g->s.rc[old] == 0)
            g_array_append_val (work, old);
        }
      stream_free (&g->s, id, HS_FREE_REFCOUNT);
    }
}

static void
gen_store (Gen *g, HsHolderKind kind, HsId holder, guint64 slot, const char *name, HsId target,
           gboolean steal)
{
  HsId old = stream_store (&g->s, kind, holder, slot, name, target, steal);

  if (old != 0)
    gen_collect_zero (g, old);
}

static HsId
gen_pick_live (Gen *g)
{
  guint tries;

  for (tries = 0; tries < 8 && g->live->len > 0; tries++)
    {
      HsId id = g_array_index (g->live, HsId, g_rand_int_range (g->rand, 0, g->live->len));
      if (g->s.rc[id] > 0)
        return id;
    }
  return 0;
}

static HsId
gen_pick_container (Gen *g)
{
  guint tries;

  for (tries = 0; tries < 8 && g->containers->len > 0; tries++)
    {
      HsId id = g_array_index (g->containers, HsId, g_rand_int_range (g->rand, 0, g->containers->len));
      if (g->s.rc[id] > 0)
        return id;
    }
  return 0;
}

static const char *const names[] = { "a", "b", "c", "d", "e" };

static void
gen_random_slot (Gen *g, HsHolderKind *kind, HsId *holder, guint64 *slot, const char **name)
{
  HsId c = g_rand_boolean (g->rand) ? gen_pick_container (g) : 0;

  if (c != 0)
    {
      *kind = HS_HOLDER_ITEM;
      *holder = c;
      *slot = g_rand_int_range (g->rand, 0, 4);
      *name = NULL;
    }
  else
    {
      guint k = g_rand_int_range (g->rand, 0, G_N_ELEMENTS (names));
      *kind = HS_HOLDER_LOCAL;
      *holder = g->s.frame;
      *slot = k;
      *name = names[k];
    }
}

static void
gen_return (Gen *g)
{
  HsId frame = g->s.frame, parent;
  guint k;

  for (k = 0; k < G_N_ELEMENTS (names); k++)
    if (stream_slot (&g->s, HS_HOLDER_LOCAL, frame, k) != 0)
      gen_store (g, HS_HOLDER_LOCAL, frame, k, names[k], 0, FALSE);
  g_array_set_size (g->frames, g->frames->len - 1);
  parent = g_array_index (g->frames, HsId, g->frames->len - 1);
  stream_return (&g->s, 0, parent, g->s.line);
}

static void
gen_program (Gen *g, guint steps)
{
  guint i, j;

  g->rand = g_rand_new_with_seed (12345);
  g->next_id = 100;
  g->frames = g_array_new (FALSE, FALSE, sizeof (HsId));
  g->containers = g_array_new (FALSE, FALSE, sizeof (HsId));
  g->live = g_array_new (FALSE, FALSE, sizeof (HsId));
  stream_init (&g->s);
  hs_trace_set_checkpoint_policy (g->s.trace, 61, 1, 61, G_MAXUINT);
  stream_call (&g->s, 1, "<module>", 1);
  g_array_append_val (g->frames, (HsId) { 1 });

  for (i = 0; i < steps; i++)
    {
      guint ops = g_rand_int_range (g->rand, 1, 8);

      stream_line (&g->s, g_rand_int_range (g->rand, 1, 40));
      for (j = 0; j < ops; j++)
        {
          guint what = g_rand_int_range (g->rand, 0, 100);
          HsHolderKind kind;
          HsId holder, target;
          guint64 slot;
          const char *name;

          if (g->next_id >= 65000)
            break;
          gen_random_slot (g, &kind, &holder, &slot, &name);
          if (what < 35)
            {
              gboolean list = g_rand_int_range (g->rand, 0, 3) == 0;
              char desc[32];
              HsId id = g->next_id++;

              g_snprintf (desc, sizeof desc, "%" G_GUINT64_FORMAT, id);
              stream_alloc (&g->s, id, list ? "list" : "int", list ? "[]" : desc, list ? 56 : 28);
              g_array_append_val (g->live, id);
              if (list)
                g_array_append_val (g->containers, id);
              gen_store (g, kind, holder, slot, name, id, TRUE);
            }
          else if (what < 65 && (target = gen_pick_live (g)) != 0)
            gen_store (g, kind, holder, slot, name, target, FALSE);
          else if (what < 85)
            {
              if (stream_slot (&g->s, kind, holder, slot) != 0)
                gen_store (g, kind, holder, slot, name, 0, FALSE);
            }
          else if (what < 90 && g->frames->len < 30)
            {
              HsId f = g->next_id++;
              stream_call (&g->s, f, g_rand_boolean (g->rand) ? "f" : "g", g->s.line);
              g_array_append_val (g->frames, f);
            }
          else if (what < 95 && g->frames->len > 1)
            gen_return (g);
          else if (what < 97)
            stream_output (&g->s, "out\n");
          else
            {
              /* A value-stack temporary pushed and popped. */
              if ((target = gen_pick_live (g)) != 0)
                {
                  gen_store (g, HS_HOLDER_STACK, g->s.frame, 0, NULL, target, FALSE);
                  gen_store (g, HS_HOLDER_STACK, g->s.frame, 0, NULL, 0, FALSE);
                }
            }
        }
    }
  while (g->frames->len > 1)
    gen_return (g);
  stream_line (&g->s, 99);
  stream_finish (&g->s);
}

static void
gen_clear (Gen *g)
{
  stream_clear (&g->s);
  g_rand_free (g->rand);
  g_array_unref (g->frames);
  g_array_unref (g->containers);
  g_array_unref (g->live);
}

/* ---- comparing states ---------------------------------------------------------------- */

static gint
cmp_obj (gconstpointer a, gconstpointer b)
{
  const HsTraceObject *x = a, *y = b;
  return x->id < y->id ? -1 : x->id > y->id;
}

static gint
cmp_ref (gconstpointer a, gconstpointer b)
{
  const HsTraceRef *x = a, *y = b;
  if (x->holder_kind != y->holder_kind)
    return x->holder_kind < y->holder_kind ? -1 : 1;
  if (x->holder != y->holder)
    return x->holder < y->holder ? -1 : 1;
  return x->slot < y->slot ? -1 : x->slot > y->slot;
}

static const char *
describe_or (HsTraceModel *m, const HsTraceObject *o, const char *none)
{
  const char *text = hs_trace_model_describe (m, o);

  return text != NULL ? text : none;
}

static void
dump_obj (HsTraceModel *m, GString *s, const HsTraceObject *o)
{
  g_string_append_printf (s, "o %" G_GUINT64_FORMAT " %s %s rc=%" G_GINT64_FORMAT " in=%u f=%u st=%u g=%d a=%"
                          G_GUINT64_FORMAT " fr=%" G_GUINT64_FORMAT "\n", o->id,
                          hs_trace_model_type_name (m, o), describe_or (m, o, "-"),
                          o->refcnt, o->inrefs, o->flags, o->state, o->generation,
                          o->alloc_event, o->free_event);
}

static char *
dump_state (HsTraceModel *m)
{
  GString *s = g_string_new (NULL);
  g_autoptr(GArray) objs = g_array_new (FALSE, FALSE, sizeof (HsTraceObject));
  g_autoptr(GArray) freed = g_array_new (FALSE, FALSE, sizeof (HsTraceObject));
  g_autoptr(GArray) refs = g_array_new (FALSE, FALSE, sizeof (HsTraceRef));
  gint64 counts[3];
  guint i;

  hs_trace_model_get_gc_counts (m, counts, NULL);
  g_string_append_printf (s, "event=%" G_GUINT64_FORMAT " step=%" G_GUINT64_FORMAT " frame=%"
                          G_GUINT64_FORMAT " line=%u out=%" G_GSIZE_FORMAT " gc=%" G_GINT64_FORMAT "\n",
                          hs_trace_model_get_event (m), hs_trace_model_get_step (m),
                          hs_trace_model_get_current_frame (m), hs_trace_model_get_current_line (m),
                          hs_trace_model_get_output_len (m), counts[0]);
  for (i = 0; i < hs_trace_model_get_n_objects (m); i++)
    g_array_append_val (objs, *hs_trace_model_get_object (m, i));
  for (i = 0; i < hs_trace_model_get_n_freed (m); i++)
    g_array_append_val (freed, *hs_trace_model_get_freed (m, i));
  for (i = 0; i < hs_trace_model_get_n_refs (m); i++)
    g_array_append_val (refs, *hs_trace_model_get_ref (m, i));
  g_array_sort (objs, cmp_obj);
  g_array_sort (freed, cmp_obj);
  g_array_sort (refs, cmp_ref);
  for (i = 0; i < objs->len; i++)
    dump_obj (m, s, &g_array_index (objs, HsTraceObject, i));
  for (i = 0; i < freed->len; i++)
    {
      g_string_append (s, "freed ");
      dump_obj (m, s, &g_array_index (freed, HsTraceObject, i));
    }
  for (i = 0; i < hs_trace_model_get_n_frames (m); i++)
    {
      const HsTraceFrame *f = hs_trace_model_get_frame (m, i);
      g_string_append_printf (s, "frame %" G_GUINT64_FORMAT " %s line=%u depth=%u\n", f->id,
                              hs_trace_model_frame_name (m, f), f->line, f->depth);
    }
  for (i = 0; i < refs->len; i++)
    {
      HsTraceRef *r = &g_array_index (refs, HsTraceRef, i);
      g_autofree char *label = hs_trace_model_ref_label (m, r);
      g_string_append_printf (s, "ref %u %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " -> %"
                              G_GUINT64_FORMAT " %s born %" G_GUINT64_FORMAT "\n", r->holder_kind,
                              r->holder, r->slot, r->target, label, r->born);
    }
  return g_string_free (s, FALSE);
}

/* A trace with no checkpoints: a long seek leaves the model a snapshot of its own
 * before the target; stepping back from there through it, and forward again, gives
 * the state a replay from the start gives. */
static void
test_near_snapshot (void **state)
{
  Gen g;
  g_autoptr(HsTrace) plain = hs_trace_new ();
  g_autoptr(HsTraceModel) seeker = NULL;
  guint64 n_events, target;
  guint i;

  memset (&g, 0, sizeof g);
  gen_program (&g, 40000);
  n_events = hs_trace_get_n_events (g.s.trace);
  assert_true (n_events > 100000);
  test_record_copy_without_checkpoints (g.s.trace, plain);

  seeker = hs_trace_model_new (plain);
  target = n_events;
  for (i = 0; i < 40; i++)
    {
      g_autoptr(HsTraceModel) replay = hs_trace_model_new (plain);
      g_autofree char *a = NULL;
      g_autofree char *b = NULL;

      hs_trace_model_seek_event_quiet (seeker, target);
      hs_trace_model_seek_event_quiet (replay, target);
      a = dump_state (seeker);
      b = dump_state (replay);
      if (!g_str_equal (a, b))
        fail_msg ("state at event %" G_GUINT64_FORMAT " differs", target);
      /* Mostly back, by up to a few thousand events; now and then forward. */
      if (i % 5 == 4)
        target = MIN (n_events, target + g_rand_int_range (g.rand, 1, 3000));
      else
        target -= g_rand_int_range (g.rand, 1, 3000);
    }
  gen_clear (&g);
}

/* The state `seeker` is in equals the state a replay from the start reaches. */
static void
assert_same_as_replay (HsTraceModel *seeker, HsTrace *plain)
{
  g_autoptr(HsTraceModel) replay = hs_trace_model_new (plain);
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;

  hs_trace_model_seek_event_quiet (replay, hs_trace_model_get_event (seeker));
  a = dump_state (seeker);
  b = dump_state (replay);
  assert_string_equal (a, b);
}

/* Forward, a model replays the short way past a checkpoint rather than copy its
 * snapshot in, and restores the snapshot when it saves a long replay. */
static void
test_forward_restore_cost (void **state)
{
  Gen g;
  g_autoptr(HsTrace) plain = hs_trace_new ();
  g_autoptr(HsTraceModel) m = NULL;
  const HsTraceCheckpoint *cp;
  guint restores;

  memset (&g, 0, sizeof g);
  gen_program (&g, 4000);
  test_record_copy_without_checkpoints (g.s.trace, plain);
  cp = hs_trace_find_checkpoint (g.s.trace, hs_trace_get_n_events (g.s.trace) / 2);
  assert_non_null (cp);
  /* Copying the snapshot costs more than replaying a handful of events, and less
   * than replaying everything before it. */
  assert_true (cp->bytes > 16 * 256);
  assert_true (cp->st.event * 16 > cp->bytes);

  m = hs_trace_model_new (g.s.trace);
  hs_trace_model_seek_event_quiet (m, cp->st.event - 2);
  restores = m->n_restores;
  hs_trace_model_seek_event_quiet (m, cp->st.event + 3);
  assert_int_equal (m->n_restores, restores);
  assert_same_as_replay (m, plain);

  hs_trace_model_seek_event_quiet (m, 1);
  restores = m->n_restores;
  hs_trace_model_seek_event_quiet (m, cp->st.event + 3);
  assert_int_equal (m->n_restores, restores + 1);
  assert_same_as_replay (m, plain);
  gen_clear (&g);
}

static void
test_seek_equals_replay (void **state)
{
  Gen g;
  g_autoptr(HsTrace) plain = hs_trace_new ();
  g_autoptr(HsTraceModel) seeker = NULL;
  GRand *rand = g_rand_new_with_seed (777);
  HsTraceMismatch mm;
  HsTraceMemory mem;
  guint64 n_events;
  guint i;

  memset (&g, 0, sizeof g);
  /* Checkpoints every few hundred events, so seeks cross many of them. */
  gen_program (&g, 4000);
  n_events = hs_trace_get_n_events (g.s.trace);
  assert_true (n_events > 10000);

  /* The same events, recorded again with no checkpoints at all. */
  test_record_copy_without_checkpoints (g.s.trace, plain);
  assert_int_equal (hs_trace_get_n_events (plain), n_events);
  hs_trace_get_memory (plain, &mem);
  assert_int_equal (mem.n_checkpoints, 0);

  hs_trace_get_memory (g.s.trace, &mem);
  assert_true (mem.n_checkpoints > 10);
  seeker = hs_trace_model_new (g.s.trace);
  for (i = 0; i < 300; i++)
    {
      guint64 target = i == 0 ? n_events : g_rand_int_range (g.rand, 0, (gint32) n_events + 1);
      g_autoptr(HsTraceModel) replay = hs_trace_model_new (plain);
      g_autofree char *a = NULL;
      g_autofree char *b = NULL;

      if (i % 3 == 1)
        target = hs_trace_model_get_event (seeker) + g_rand_int_range (rand, 0, 50);
      target = MIN (target, n_events);
      hs_trace_model_seek_event_quiet (seeker, target);
      hs_trace_model_seek_event_quiet (replay, target);
      assert_int_equal (hs_trace_model_get_event (seeker), target);
      a = dump_state (seeker);
      b = dump_state (replay);
      if (!g_str_equal (a, b))
        fail_msg ("state at event %" G_GUINT64_FORMAT " differs:\n--- seek\n%.2000s\n--- replay\n%.2000s",
                  target, a, b);
      /* Queries agree too. */
      {
        g_autoptr(GArray) ga = hs_trace_model_garbage (seeker);
        g_autoptr(GArray) gb = hs_trace_model_garbage (replay);
        assert_int_equal (ga->len, gb->len);
      }
    }
  g_rand_free (rand);

  /* The generated program is consistent: the invariant holds at every event. */
  {
    g_autoptr(HsTraceModel) m = hs_trace_model_new (g.s.trace);
    for (i = 1; i <= n_events; i++)
      {
        hs_trace_model_seek_event_quiet (m, i);
        if (!hs_trace_model_check (m, &mm))
          fail_msg ("invariant broken at %" G_GUINT64_FORMAT ": %" G_GUINT64_FORMAT " %s %"
                    G_GINT64_FORMAT " vs %" G_GINT64_FORMAT, mm.event, mm.id, mm.what,
                    mm.expected, mm.counted);
      }
  }
  gen_clear (&g);
}

/* Stepping back one step at a time from the end matches stepping forward. */
static void
test_step_back_and_forth (void **state)
{
  Gen g;
  g_autoptr(HsTraceModel) fwd = NULL;
  g_autoptr(HsTraceModel) back = NULL;
  g_autoptr(GPtrArray) states = g_ptr_array_new_with_free_func (g_free);
  guint64 steps, k;

  memset (&g, 0, sizeof g);
  gen_program (&g, 600);
  steps = hs_trace_get_n_steps (g.s.trace);
  fwd = hs_trace_model_new (g.s.trace);
  back = hs_trace_model_new (g.s.trace);
  for (k = 0; k <= steps; k++)
    {
      hs_trace_model_seek_step (fwd, k);
      g_ptr_array_add (states, dump_state (fwd));
    }
  for (k = steps + 1; k-- > 0;)
    {
      g_autofree char *s = NULL;
      hs_trace_model_seek_step (back, k);
      assert_int_equal (hs_trace_model_get_step (back), k);
      s = dump_state (back);
      assert_string_equal (s, g_ptr_array_index (states, k));
    }
  gen_clear (&g);
}

static void
emit_raw (Stream *s, HsEvent *ev)
{
  stream_emit (s, ev);
}

/* Ids are sparse and keep growing through a run (every int a loop makes gets
 * one); the model maps only live ids, so far-apart ids cost nothing and a
 * seek back finds exactly the objects alive then. */
static void
test_sparse_ids (void **state)
{
  Stream s;
  g_autoptr(HsTraceModel) m = NULL;
  const HsId base = G_GUINT64_CONSTANT (1) << 40, stride = 1000003;
  const guint n = 20000;
  guint64 mid_event = 0;
  guint i;

  stream_init (&s);
  hs_trace_set_checkpoint_policy (s.trace, 512, 1, 4096, G_MAXUINT);
  stream_call (&s, 1, "<module>", 1);
  for (i = 0; i < n; i++)
    {
      HsEvent ev = { .kind = HS_EV_ALLOC };
      HsId id = base + (HsId) i * stride;

      if (i % 10 == 0)
        stream_line (&s, 1 + i / 10);
      ev.u.alloc.id = id;
      ev.u.alloc.type_name = "str";
      ev.u.alloc.size = 50;
      emit_raw (&s, &ev);
      memset (&ev, 0, sizeof ev);
      ev.kind = HS_EV_REF;
      ev.u.ref.holder_kind = HS_HOLDER_LOCAL;
      ev.u.ref.holder = 1;
      ev.u.ref.slot = i;
      ev.u.ref.new_target = id;
      ev.u.ref.new_refcnt = 1;
      emit_raw (&s, &ev);
      /* Every other object dies again a little later. */
      if (i >= 5 && (i - 5) % 2 == 0)
        {
          HsId old = base + (HsId) (i - 5) * stride;
          memset (&ev, 0, sizeof ev);
          ev.kind = HS_EV_REF;
          ev.u.ref.holder_kind = HS_HOLDER_LOCAL;
          ev.u.ref.holder = 1;
          ev.u.ref.slot = i - 5;
          ev.u.ref.old_target = old;
          emit_raw (&s, &ev);
          memset (&ev, 0, sizeof ev);
          ev.kind = HS_EV_FREE;
          ev.u.free.id = old;
          emit_raw (&s, &ev);
        }
      if (i == n / 2)
        mid_event = s.seq;
    }
  stream_line (&s, 1 + n / 10);
  stream_finish (&s);

  m = hs_trace_model_new (s.trace);
  hs_trace_model_seek_event (m, hs_trace_get_n_events (s.trace));
  assert_true (hs_trace_model_check (m, NULL));
  assert_int_equal (hs_trace_model_get_n_objects (m), n - (n - 5 + 1) / 2);
  for (i = 0; i < n; i++)
    {
      const HsTraceObject *o = hs_trace_model_lookup_object (m, base + (HsId) i * stride);
      gboolean freed = i + 5 < n && i % 2 == 0;
      /* Lately freed objects stay visible, no longer alive. */
      if (freed)
        assert_true (o == NULL || o->state != HS_TRACE_ALIVE);
      else
        {
          assert_non_null (o);
          assert_int_equal (o->state, HS_TRACE_ALIVE);
          assert_int_equal (o->id, base + (HsId) i * stride);
          assert_int_equal (o->inrefs, 1);
        }
    }
  /* Back to the middle, through a checkpoint. */
  hs_trace_model_seek_event (m, mid_event);
  assert_true (hs_trace_model_check (m, NULL));
  for (i = 0; i < n; i++)
    {
      const HsTraceObject *o = hs_trace_model_lookup_object (m, base + (HsId) i * stride);
      gboolean alive = i <= n / 2 && !(i + 5 <= n / 2 && i % 2 == 0);
      if (alive)
        assert_true (o != NULL && o->state == HS_TRACE_ALIVE);
      else
        assert_true (o == NULL || o->state != HS_TRACE_ALIVE);
    }
  assert_null (hs_trace_model_lookup_object (m, 7));
  stream_clear (&s);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_seek_equals_replay),
    cmocka_unit_test (test_near_snapshot),
    cmocka_unit_test (test_forward_restore_cost),
    cmocka_unit_test (test_step_back_and_forth),
    cmocka_unit_test (test_sparse_ids),
  };

  return cmocka_run_group_tests_name ("trace-seek", tests, NULL, NULL);
}
