/* bench-heap.h — a synthetic heap of N objects for the layout and render benchmarks. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <stdint.h>
#include <stdio.h>
#include <time.h>

static inline double
bench_now_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* CPU time of this thread: on a shared, loaded machine wall-clock times
 * mostly measure the other processes.  Both are printed. */
static inline double
bench_cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Object i of a heap of n: what it is and what it points at.  The shape:
 * 40 frames with 6 variables each; 25% of the objects are lists of about
 * 20 items, plus linked lists and binary trees, the rest are scalars. */
typedef struct
{
  int kind;                     /* 0 scalar, 1 list, 2 node, 3 tree node */
  int n_refs;
  uint64_t refs[24];
} BenchObj;

static inline void
bench_obj (uint64_t n, uint64_t i, BenchObj *o)
{
  uint64_t q = i % 100;

  o->n_refs = 0;
  if (q < 4)
    {
      /* A list holding the next 20 ids. */
      o->kind = 1;
      for (uint64_t k = 1; k <= 20 && i + k < n; k++)
        o->refs[o->n_refs++] = i + k;
    }
  else if (q >= 30 && q < 50)
    {
      /* Linked list nodes: value, next. */
      o->kind = 2;
      if (i + 50 < n)
        o->refs[o->n_refs++] = i + 50;
      if (q < 49 && i + 1 < n)
        o->refs[o->n_refs++] = i + 1;
    }
  else if (q >= 60 && q < 91)
    {
      /* A binary tree over ids 60..90 of each hundred. */
      uint64_t base = i - q + 60, k = q - 60 + 1;

      o->kind = 3;
      if (2 * k <= 31 && base + 2 * k - 1 < n)
        o->refs[o->n_refs++] = base + 2 * k - 1;
      if (2 * k + 1 <= 31 && base + 2 * k < n)
        o->refs[o->n_refs++] = base + 2 * k;
    }
  else
    o->kind = 0;
}
