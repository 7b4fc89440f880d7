/* hs-trace-query.c — questions about the heap at one step: referrers, retainers, cycles, sizes. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "hs-trace-private.h"

#define NONE G_MAXUINT32

/* The object graph of one state, in compressed rows.  Node i < n_objs is the
 * model's object i; node `root` is a virtual root with an edge to everything a
 * root holds: frame variables and temporaries, the runtime, root containers,
 * immortal objects and newborn objects (the C code holds them). */
typedef struct {
  guint    n;            /* nodes, the root included */
  guint    root;
  guint   *off, *dst, *eref;     /* successors; eref = ref index or NONE */
  guint   *poff, *psrc;          /* predecessors */
  guint8  *reach;                /* reachable from the root's real edges */
  guint   *idom;                 /* NULL until computed */
  guint64 *retained;
} Graph;

void
hs_trace_graph_free (gpointer data)
{
  Graph *g = data;

  if (g == NULL)
    return;
  g_free (g->off);
  g_free (g->dst);
  g_free (g->eref);
  g_free (g->poff);
  g_free (g->psrc);
  g_free (g->reach);
  g_free (g->idom);
  g_free (g->retained);
  g_free (g);
}

static inline guint
node_of (HsTraceModel *self, HsId id)
{
  guint32 v = hs_trace_idmap_get (self, id);

  if (v == 0 || (v & HS_TRACE_FRAME_BIT))
    return NONE;
  return v - 1;
}

static Graph *
graph_get (HsTraceModel *self)
{
  Graph *g;
  guint n_objs = self->objs->len, i, e, n_edges;
  guint *src;
  guint *queue, head = 0, tail = 0;

  if (self->graph != NULL && self->cache_event == self->st.event)
    return self->graph;
  g_clear_pointer (&self->graph, hs_trace_graph_free);

  g = g_new0 (Graph, 1);
  g->n = n_objs + 1;
  g->root = n_objs;
  /* Edges: one per ref at most, plus the synthetic root edges. */
  src = g_new (guint, self->refs->len + n_objs);
  g->dst = g_new (guint, self->refs->len + n_objs);
  g->eref = g_new (guint, self->refs->len + n_objs);
  n_edges = 0;
  for (i = 0; i < self->refs->len; i++)
    {
      HsTraceRef *r = &g_array_index (self->refs, HsTraceRef, i);
      guint t = node_of (self, r->target), h;

      if (t == NONE)
        continue;
      h = r->holder_is_frame ? NONE : node_of (self, r->holder);
      /* A holder that is no live object (a frame, the runtime) is a root. */
      src[n_edges] = h == NONE ? g->root : h;
      g->dst[n_edges] = t;
      g->eref[n_edges] = i;
      n_edges++;
    }
  for (i = 0; i < n_objs; i++)
    {
      HsTraceObject *o = &g_array_index (self->objs, HsTraceObject, i);
      if (o->flags & (HS_TRACE_OBJ_ROOT | HS_TRACE_OBJ_IMMORTAL | HS_TRACE_OBJ_NEWBORN
                      | HS_TRACE_OBJ_UNKNOWN))
        {
          src[n_edges] = g->root;
          g->dst[n_edges] = i;
          g->eref[n_edges] = NONE;
          n_edges++;
        }
    }

  /* Counting sort into rows; keep the root's ref edges before its synthetic ones. */
  g->off = g_new0 (guint, g->n + 1);
  g->poff = g_new0 (guint, g->n + 1);
  for (e = 0; e < n_edges; e++)
    {
      g->off[src[e] + 1]++;
      g->poff[g->dst[e] + 1]++;
    }
  for (i = 0; i < g->n; i++)
    {
      g->off[i + 1] += g->off[i];
      g->poff[i + 1] += g->poff[i];
    }
  {
    guint *fill = g_memdup2 (g->off, (g->n + 1) * sizeof (guint));
    guint *pfill = g_memdup2 (g->poff, (g->n + 1) * sizeof (guint));
    guint *dst = g_new (guint, MAX (n_edges, 1));
    guint *eref = g_new (guint, MAX (n_edges, 1));

    g->psrc = g_new (guint, MAX (n_edges, 1));
    for (e = 0; e < n_edges; e++)
      {
        guint k = fill[src[e]]++;
        dst[k] = g->dst[e];
        eref[k] = g->eref[e];
        g->psrc[pfill[g->dst[e]]++] = src[e];
      }
    g_free (g->dst);
    g_free (g->eref);
    g->dst = dst;
    g->eref = eref;
    g_free (fill);
    g_free (pfill);
  }
  g_free (src);

  /* Reachability from the root. */
  g->reach = g_new0 (guint8, g->n);
  queue = g_new (guint, g->n);
  g->reach[g->root] = 1;
  queue[tail++] = g->root;
  while (head < tail)
    {
      guint u = queue[head++];
      for (e = g->off[u]; e < g->off[u + 1]; e++)
        if (!g->reach[g->dst[e]])
          {
            g->reach[g->dst[e]] = 1;
            queue[tail++] = g->dst[e];
          }
    }
  g_free (queue);

  self->graph = g;
  self->cache_event = self->st.event;
  return g;
}

GArray *
hs_trace_model_referrers (HsTraceModel *self, HsId id)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (HsTraceRef));
  guint i;

  g_return_val_if_fail (HS_IS_TRACE_MODEL (self), out);
  for (i = 0; i < self->refs->len; i++)
    {
      HsTraceRef *r = &g_array_index (self->refs, HsTraceRef, i);
      if (r->target == id)
        g_array_append_val (out, *r);
    }
  return out;
}

GArray *
hs_trace_model_referents (HsTraceModel *self, HsId id)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (HsTraceRef));
  guint i;

  g_return_val_if_fail (HS_IS_TRACE_MODEL (self), out);
  for (i = 0; i < self->refs->len; i++)
    {
      HsTraceRef *r = &g_array_index (self->refs, HsTraceRef, i);
      if (r->holder == id && r->holder_is_frame == 0)
        g_array_append_val (out, *r);
    }
  return out;
}

GArray *
hs_trace_model_retainer_path (HsTraceModel *self, HsId id)
{
  Graph *g;
  guint target, *parent_edge, *parent_node, *queue, head = 0, tail = 0, e, u;
  GArray *path = NULL;
  guint8 *seen;

  g_return_val_if_fail (HS_IS_TRACE_MODEL (self), NULL);
  g = graph_get (self);
  target = node_of (self, id);
  if (target == NONE || !g->reach[target])
    return NULL;

  parent_edge = g_new (guint, g->n);
  parent_node = g_new (guint, g->n);
  seen = g_new0 (guint8, g->n);
  queue = g_new (guint, g->n);
  seen[g->root] = 1;
  queue[tail++] = g->root;
  while (head < tail && !seen[target])
    {
      u = queue[head++];
      for (e = g->off[u]; e < g->off[u + 1]; e++)
        {
          guint v = g->dst[e];
          if (seen[v])
            continue;
          seen[v] = 1;
          parent_edge[v] = e;
          parent_node[v] = u;
          queue[tail++] = v;
        }
    }
  if (seen[target])
    {
      GArray *rev = g_array_new (FALSE, FALSE, sizeof (guint));

      for (u = target; u != g->root; u = parent_node[u])
        g_array_append_val (rev, parent_edge[u]);
      path = g_array_new (FALSE, FALSE, sizeof (HsTraceRef));
      for (e = rev->len; e-- > 0;)
        {
          guint er = g->eref[g_array_index (rev, guint, e)];
          if (er != NONE)
            g_array_append_val (path, g_array_index (self->refs, HsTraceRef, er));
        }
      g_array_unref (rev);
    }
  g_free (parent_node);
  g_free (parent_edge);
  g_free (seen);
  g_free (queue);
  return path;
}

GArray *
hs_trace_model_garbage (HsTraceModel *self)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (HsId));
  Graph *g;
  guint i;

  g_return_val_if_fail (HS_IS_TRACE_MODEL (self), out);
  g = graph_get (self);
  for (i = 0; i < self->objs->len; i++)
    if (!g->reach[i])
      g_array_append_val (out, g_array_index (self->objs, HsTraceObject, i).id);
  return out;
}

gboolean
hs_trace_model_is_garbage (HsTraceModel *self, HsId id)
{
  Graph *g;
  guint n;

  g_return_val_if_fail (HS_IS_TRACE_MODEL (self), FALSE);
  g = graph_get (self);
  n = node_of (self, id);
  return n != NONE && !g->reach[n];
}

/* Tarjan's algorithm with an explicit stack of (node, next edge). */
GPtrArray *
hs_trace_model_cycles (HsTraceModel *self)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  Graph *g;
  guint n, *index, *low, *stack, sp = 0, *cs_node, *cs_edge, csp = 0, counter = 1, s;
  guint8 *on_stack;

  g_return_val_if_fail (HS_IS_TRACE_MODEL (self), out);
  g = graph_get (self);
  n = g->root;  /* objects only */
  index = g_new0 (guint, n + 1);
  low = g_new0 (guint, n + 1);
  stack = g_new (guint, n + 1);
  cs_node = g_new (guint, n + 1);
  cs_edge = g_new (guint, n + 1);
  on_stack = g_new0 (guint8, n + 1);

  for (s = 0; s < n; s++)
    {
      if (index[s] != 0)
        continue;
      index[s] = low[s] = counter++;
      stack[sp++] = s;
      on_stack[s] = 1;
      cs_node[csp] = s;
      cs_edge[csp] = g->off[s];
      csp++;
      while (csp > 0)
        {
          guint u = cs_node[csp - 1];

          if (cs_edge[csp - 1] < g->off[u + 1])
            {
              guint v = g->dst[cs_edge[csp - 1]++];

              if (v >= n)
                continue;
              if (index[v] == 0)
                {
                  index[v] = low[v] = counter++;
                  stack[sp++] = v;
                  on_stack[v] = 1;
                  cs_node[csp] = v;
                  cs_edge[csp] = g->off[v];
                  csp++;
                }
              else if (on_stack[v] && index[v] < low[u])
                low[u] = index[v];
              continue;
            }
          /* u is finished. */
          csp--;
          if (csp > 0)
            {
              guint p = cs_node[csp - 1];
              if (low[u] < low[p])
                low[p] = low[u];
            }
          if (low[u] == index[u])
            {
              GArray *comp = g_array_new (FALSE, FALSE, sizeof (HsId));
              gboolean self_loop = FALSE;
              guint w, e;

              do
                {
                  w = stack[--sp];
                  on_stack[w] = 0;
                  g_array_append_val (comp, g_array_index (self->objs, HsTraceObject, w).id);
                }
              while (w != u);
              if (comp->len == 1)
                for (e = g->off[u]; e < g->off[u + 1]; e++)
                  if (g->dst[e] == u)
                    self_loop = TRUE;
              if (comp->len > 1 || self_loop)
                g_ptr_array_add (out, comp);
              else
                g_array_unref (comp);
            }
        }
    }
  g_free (index);
  g_free (low);
  g_free (stack);
  g_free (cs_node);
  g_free (cs_edge);
  g_free (on_stack);
  return out;
}

/* Dominators by Cooper, Harvey and Kennedy's iterative algorithm.  Objects
 * unreachable from the roots hang under the virtual root too, through the
 * first of them met in each unreachable region, so garbage gets sizes. */
static void
graph_dominators (HsTraceModel *self, Graph *g)
{
  guint n = g->n, *post, *order, *cs_node, *cs_edge, csp, count = 0, s, i;
  guint8 *seen, *extra;
  gboolean changed = TRUE;

  post = g_new (guint, n);
  order = g_new (guint, n);
  cs_node = g_new (guint, n);
  cs_edge = g_new (guint, n);
  seen = g_new0 (guint8, n);
  extra = g_new0 (guint8, n);
  g->idom = g_new (guint, n);
  g->retained = g_new0 (guint64, n);

  /* Post-order numbering, the root's tree first, then each unreachable region. */
  for (s = 0; s <= n - 1; s++)
    {
      guint start = s == 0 ? g->root : s - 1;

      if (seen[start])
        continue;
      if (start != g->root)
        extra[start] = 1;
      seen[start] = 1;
      csp = 0;
      cs_node[csp] = start;
      cs_edge[csp] = g->off[start];
      csp++;
      while (csp > 0)
        {
          guint u = cs_node[csp - 1];
          if (cs_edge[csp - 1] < g->off[u + 1])
            {
              guint v = g->dst[cs_edge[csp - 1]++];
              if (!seen[v])
                {
                  seen[v] = 1;
                  cs_node[csp] = v;
                  cs_edge[csp] = g->off[v];
                  csp++;
                }
              continue;
            }
          csp--;
          post[u] = count;
          order[count++] = u;
        }
    }
  /* The root must come last in post-order: renumber it after the others. */
  {
    guint rp = post[g->root], k;
    for (k = rp; k + 1 < count; k++)
      {
        order[k] = order[k + 1];
        post[order[k]] = k;
      }
    order[count - 1] = g->root;
    post[g->root] = count - 1;
  }

  for (i = 0; i < n; i++)
    g->idom[i] = NONE;
  g->idom[g->root] = g->root;
  while (changed)
    {
      changed = FALSE;
      /* Reverse post-order, skipping the root. */
      for (i = count - 1; i-- > 0;)
        {
          guint b = order[i], new_idom = NONE, e;

          if (extra[b])
            new_idom = g->root;
          for (e = g->poff[b]; e < g->poff[b + 1]; e++)
            {
              guint p = g->psrc[e];
              if (g->idom[p] == NONE)
                continue;
              if (new_idom == NONE)
                new_idom = p;
              else
                {
                  guint f1 = p, f2 = new_idom;
                  while (f1 != f2)
                    {
                      while (post[f1] < post[f2])
                        f1 = g->idom[f1];
                      while (post[f2] < post[f1])
                        f2 = g->idom[f2];
                    }
                  new_idom = f1;
                }
            }
          if (new_idom != NONE && g->idom[b] != new_idom)
            {
              g->idom[b] = new_idom;
              changed = TRUE;
            }
        }
    }

  for (i = 0; i < g->root; i++)
    g->retained[i] = g_array_index (self->objs, HsTraceObject, i).size;
  /* Post-order visits children before their dominators. */
  for (i = 0; i + 1 < count; i++)
    {
      guint b = order[i];
      if (g->idom[b] != NONE && g->idom[b] != b)
        g->retained[g->idom[b]] += g->retained[b];
    }

  g_free (post);
  g_free (order);
  g_free (cs_node);
  g_free (cs_edge);
  g_free (seen);
  g_free (extra);
}

guint64
hs_trace_model_retained_size (HsTraceModel *self, HsId id)
{
  Graph *g;
  guint n;

  g_return_val_if_fail (HS_IS_TRACE_MODEL (self), 0);
  g = graph_get (self);
  n = node_of (self, id);
  if (n == NONE)
    return 0;
  if (g->idom == NULL)
    graph_dominators (self, g);
  return g->retained[n];
}

HsId
hs_trace_model_idom (HsTraceModel *self, HsId id)
{
  Graph *g;
  guint n, d;

  g_return_val_if_fail (HS_IS_TRACE_MODEL (self), 0);
  g = graph_get (self);
  n = node_of (self, id);
  if (n == NONE)
    return 0;
  if (g->idom == NULL)
    graph_dominators (self, g);
  d = g->idom[n];
  if (d == NONE || d == g->root)
    return 0;
  return g_array_index (self->objs, HsTraceObject, d).id;
}

typedef struct {
  HsId    id;
  guint64 first;
  GArray *out;
} HistoryCtx;

static gboolean
history_cb (const HsEvent *ev, gpointer data)
{
  HistoryCtx *ctx = data;
  HsTraceRefcountPoint pt;

  pt.event = ev->seq - 1;
  if (ev->kind == HS_EV_ALLOC && ev->u.alloc.id == ctx->id)
    {
      pt.refcnt = 1;
      g_array_append_val (ctx->out, pt);
    }
  else if (ev->kind == HS_EV_REF)
    {
      /* New before old: for the same object the old count is the final one. */
      if (ev->u.ref.new_target == ctx->id)
        {
          pt.refcnt = ev->u.ref.new_refcnt;
          if (ctx->out->len > 0
              && g_array_index (ctx->out, HsTraceRefcountPoint, ctx->out->len - 1).event == pt.event)
            g_array_set_size (ctx->out, ctx->out->len - 1);
          g_array_append_val (ctx->out, pt);
        }
      if (ev->u.ref.old_target == ctx->id)
        {
          pt.refcnt = ev->u.ref.old_refcnt;
          if (ctx->out->len > 0
              && g_array_index (ctx->out, HsTraceRefcountPoint, ctx->out->len - 1).event == pt.event)
            g_array_set_size (ctx->out, ctx->out->len - 1);
          g_array_append_val (ctx->out, pt);
        }
    }
  else if (ev->kind == HS_EV_FREE && ev->u.free.id == ctx->id)
    {
      pt.refcnt = 0;
      g_array_append_val (ctx->out, pt);
      return FALSE;
    }
  return TRUE;
}

GArray *
hs_trace_model_refcount_history (HsTraceModel *self, HsId id)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (HsTraceRefcountPoint));
  const HsTraceObject *o;
  HistoryCtx ctx;

  g_return_val_if_fail (HS_IS_TRACE_MODEL (self), out);
  o = hs_trace_model_lookup_object (self, id);
  if (o == NULL || o->alloc_event == G_MAXUINT64)
    return out;
  ctx.id = id;
  ctx.first = o->alloc_event;
  ctx.out = out;
  hs_trace_foreach_event (self->trace, o->alloc_event, self->st.event - o->alloc_event,
                          history_cb, &ctx);
  return out;
}

typedef struct {
  guint32  line;
  gboolean found;
} LineCtx;

static gboolean
line_cb (const HsEvent *ev, gpointer data)
{
  LineCtx *ctx = data;

  ctx->line = ev->line;
  ctx->found = TRUE;
  return FALSE;
}

gboolean
hs_trace_get_event_line (HsTrace *trace, guint64 event, guint32 *line)
{
  LineCtx ctx = { 0, FALSE };

  hs_trace_foreach_event (trace, event, 1, line_cb, &ctx);
  if (line != NULL)
    *line = ctx.line;
  return ctx.found;
}
