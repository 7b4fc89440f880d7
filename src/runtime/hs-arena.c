/* hs-arena.c — bump allocator for the syntax tree, freed all at once. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdlib.h>
#include <string.h>

#include "hs-ast.h"

#define HS_ARENA_CHUNK_SIZE (64 * 1024)
#define HS_ARENA_ALIGN      16

typedef struct HsArenaChunk HsArenaChunk;
struct HsArenaChunk
{
  HsArenaChunk *next;
  size_t        size;   /* usable bytes in data */
  size_t        used;
  /* Keep data 16-byte aligned whatever the header size is. */
  _Alignas (HS_ARENA_ALIGN) unsigned char data[];
};

struct HsArena
{
  HsArenaChunk *chunks;   /* newest first */
};

HsArena *
hs_arena_new (void)
{
  return calloc (1, sizeof (HsArena));
}

void
hs_arena_free (HsArena *arena)
{
  if (arena == NULL)
    return;
  HsArenaChunk *c = arena->chunks;
  while (c != NULL)
    {
      HsArenaChunk *next = c->next;
      free (c);
      c = next;
    }
  free (arena);
}

void *
hs_arena_alloc (HsArena *arena, size_t size)
{
  if (size == 0)
    size = 1;
  if (size > SIZE_MAX - 2 * HS_ARENA_ALIGN - sizeof (HsArenaChunk))
    return NULL;
  size_t rounded = (size + HS_ARENA_ALIGN - 1) & ~(size_t) (HS_ARENA_ALIGN - 1);
  HsArenaChunk *c = arena->chunks;
  if (c == NULL || c->size - c->used < rounded)
    {
      size_t want = rounded > HS_ARENA_CHUNK_SIZE / 4 ? rounded : HS_ARENA_CHUNK_SIZE;
      HsArenaChunk *nc = malloc (sizeof (HsArenaChunk) + want);
      if (nc == NULL)
        return NULL;
      nc->size = want;
      nc->used = 0;
      if (want == rounded && c != NULL)
        {
          /* A big block gets its own chunk behind the current one, so the
           * current chunk's free space is not wasted. */
          nc->next = c->next;
          c->next = nc;
          nc->used = rounded;
          memset (nc->data, 0, rounded);
          return nc->data;
        }
      nc->next = c;
      arena->chunks = nc;
      c = nc;
    }
  void *p = c->data + c->used;
  c->used += rounded;
  memset (p, 0, rounded);
  return p;
}

char *
hs_arena_strndup (HsArena *arena, const char *s, size_t len)
{
  char *p = hs_arena_alloc (arena, len + 1);
  if (p == NULL)
    return NULL;
  if (len > 0)
    memcpy (p, s, len);
  p[len] = '\0';
  return p;
}
