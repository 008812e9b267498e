/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * The corpus and favoured culling (queue.h).
 */
#include "queue.h"

#include "cov.h"

#include <stdlib.h>
#include <string.h>

bool queue_init(struct queue *q, uint32_t map_size) {
  memset(q, 0, sizeof(*q));
  q->map_size = map_size;
  q->top_rated = calloc(map_size, sizeof(*q->top_rated));
  return q->top_rated != NULL;
}

static void queue_entry_free(struct qentry *e) {
  free(e->path);
  free(e->data);
  free(e->trace_mini);
  free(e);
}

void queue_free(struct queue *q) {
  for (size_t i = 0; i < q->n; i++)
    queue_entry_free(q->e[i]);
  free(q->e);
  free(q->top_rated);
  memset(q, 0, sizeof(*q));
}

static bool queue_grow(struct queue *q) {
  if (q->n < q->cap)
    return true;
  size_t cap = q->cap ? q->cap * 2 : 64;
  struct qentry **e = realloc(q->e, cap * sizeof(struct qentry *));
  if (!e)
    return false;
  q->e = e;
  q->cap = cap;
  return true;
}

struct qentry *queue_add(struct queue *q, char *path, uint8_t *data,
                         uint32_t len, uint32_t depth) {
  struct qentry *e = calloc(1, sizeof(*e));
  if (!e || !queue_grow(q)) {
    free(e);
    free(path);
    free(data);
    return NULL;
  }
  e->path = path;
  e->data = data;
  e->len = len;
  e->depth = depth;
  e->id = (uint32_t)q->n;
  q->e[q->n++] = e;
  if (depth > q->max_depth)
    q->max_depth = depth;
  q->pending_not_fuzzed++;
  return e;
}

/* AFL's fav_factor: cheaper entries win an edge. */
static uint64_t queue_cost(const struct qentry *e) {
  return e->cost_us * (e->len ? e->len : 1);
}

void queue_update_top(struct queue *q, struct qentry *e, const uint8_t *map) {
  uint64_t cost = queue_cost(e);
  if (!e->trace_mini)
    e->trace_mini = calloc((q->map_size + 7) / 8, 1);
  if (e->trace_mini)
    cov_minimise(map, e->trace_mini, q->map_size);
  for (uint32_t i = 0; i < q->map_size; i++) {
    if (!map[i])
      continue;
    uint32_t t = q->top_rated[i];
    if (t) {
      struct qentry *old = q->e[t - 1];
      if (queue_cost(old) <= cost)
        continue;
      old->tc_ref--;
    }
    q->top_rated[i] = e->id + 1;
    e->tc_ref++;
    q->changed = true;
  }
}

void queue_recount(struct queue *q) {
  q->favored = q->pending_favored = q->pending_not_fuzzed = 0;
  for (size_t i = 0; i < q->n; i++) {
    const struct qentry *e = q->e[i];
    if (e->disabled)
      continue;
    q->favored += e->favored;
    q->pending_favored += e->favored && !e->was_fuzzed;
    q->pending_not_fuzzed += !e->was_fuzzed;
  }
}

void queue_cull(struct queue *q) {
  if (!q->changed)
    return;
  size_t nbytes = (q->map_size + 7) / 8;
  uint8_t *todo = malloc(nbytes);
  if (!todo)
    return;
  memset(todo, 0xff, nbytes);
  q->changed = false;
  for (size_t i = 0; i < q->n; i++)
    q->e[i]->favored = false;
  for (uint32_t i = 0; i < q->map_size; i++) {
    uint32_t t = q->top_rated[i];
    if (!t || !(todo[i >> 3] & (1U << (i & 7))))
      continue;
    struct qentry *e = q->e[t - 1];
    if (!e->trace_mini)
      continue;
    for (size_t k = 0; k < nbytes; k++)
      todo[k] &= (uint8_t)~e->trace_mini[k];
    e->favored = true;
  }
  free(todo);
  queue_recount(q);
}
