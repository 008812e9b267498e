/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * lop-fuzz's corpus in memory: one entry per queue file with what
 * calibration measured, the per-edge "top rated" table and AFL's favoured
 * culling (for every edge the entry with the smallest exec time x length
 * that hits it; a minimal set of those covering every edge is favoured).
 * No I/O: the output room writes the files, the engine fills the entries.
 */
#ifndef LOP_FUZZ_QUEUE_H
#define LOP_FUZZ_QUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct qentry {
  char *path;           /* file in queue/ (owned) */
  uint8_t *data;        /* the input, kept in memory (owned) */
  uint32_t len;         /* bytes */
  uint32_t id;          /* index in the queue, the file name's id */
  uint64_t exec_us;     /* calibrated execution time, microseconds */
  uint64_t cost_us;     /* the run time choices compare: queue_cost_us */
  uint32_t bitmap_size; /* map bytes hit */
  uint64_t cksum;       /* checksum of its classified map */
  uint32_t depth;       /* 1 + depth of the entry it came from */
  uint32_t handicap;    /* queue cycles that passed before it was found */
  uint32_t fuzz_level;  /* times it was picked for fuzzing */
  uint32_t tc_ref;      /* edges for which it is top rated */
  uint8_t *trace_mini;  /* one bit per map byte it hits (owned) */
  bool favored, was_fuzzed, var_behavior, has_new_cov, trim_done;
  bool passed_det, disabled;
  bool passed_i2s; /* had the input-to-state stage (with -c) */
};

struct queue {
  struct qentry **e; /* n entries, index = id */
  size_t n, cap;
  uint32_t map_size;
  uint32_t *top_rated; /* per map byte: entry id + 1, 0 = none */
  bool changed;        /* top_rated changed since the last cull */
  uint32_t favored, pending_favored, pending_not_fuzzed;
  uint32_t max_depth;
};

/* Run time every entry is taken to have when choices must not depend on
   the machine (a fixed -s seed), microseconds: a nominal 10k execs/s. */
#define QUEUE_FIXED_COST_US 100U

/* What costs, scores and weights compare for an entry calibrated at us
   microseconds: us rounded down to a power of two, so that noise does not
   change choices, or QUEUE_FIXED_COST_US when fixed (a -s seed), so that
   nothing does: the same seed then makes the same choices on any machine
   under any load. */
static inline uint64_t queue_cost_us(uint64_t us, bool fixed) {
  if (fixed)
    return QUEUE_FIXED_COST_US;
  uint64_t p = 1;
  while (p <= us / 2)
    p <<= 1;
  return p;
}

/* Empty queue for maps of map_size bytes. False when out of memory. */
bool queue_init(struct queue *q, uint32_t map_size);
void queue_free(struct queue *q);

/* Append an entry taking ownership of path and data. Returns it (id set),
   or NULL when out of memory (path and data are then freed). */
struct qentry *queue_add(struct queue *q, char *path, uint8_t *data,
                         uint32_t len, uint32_t depth);

/* After calibration: record that e's classified map hits the edges of map
   and let e take every edge where it is cheaper (cost_us x len) than the
   entry rated there so far. */
void queue_update_top(struct queue *q, struct qentry *e, const uint8_t *map);

/* AFL's cull: when top_rated changed, mark as favoured a set of top rated
   entries that together hit every edge any entry hits, and recount the
   favoured and pending numbers. */
void queue_cull(struct queue *q);

/* Recount pending_favored and pending_not_fuzzed (after fuzzing one). */
void queue_recount(struct queue *q);

#endif /* LOP_FUZZ_QUEUE_H */
