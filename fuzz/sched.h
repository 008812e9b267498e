/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Power schedules: which entry to fuzz next and how much energy (havoc
 * iterations) it gets. AFLFast's `fast` (the default, as in AFL++): entries
 * whose path is hit rarely get more; `explore` ignores path frequency;
 * `exploit` gives every entry the most; `coe` cuts entries on paths hit
 * more than average. Pure functions of the queue and the path-frequency
 * table; unit-tested.
 */
#ifndef LOP_FUZZ_SCHED_H
#define LOP_FUZZ_SCHED_H

#include "queue.h"
#include "rng.h"

#include <stdbool.h>
#include <stdint.h>

enum sched_kind { SCHED_FAST, SCHED_EXPLORE, SCHED_EXPLOIT, SCHED_COE };

/* Log2 of the path-frequency table's slots (AFL++'s N_FUZZ_SIZE). */
#define SCHED_NFUZZ_POW2 21U
#define SCHED_NFUZZ_SIZE (1U << SCHED_NFUZZ_POW2)
/* Largest energy multiplier, in percent of 100 (AFL's HAVOC_MAX_MULT x100). */
#define SCHED_MAX_SCORE 6400.0
/* Havoc iterations at score 100 (AFL's HAVOC_CYCLES) and the least. */
#define SCHED_HAVOC_CYCLES 256U
#define SCHED_HAVOC_MIN 12U

/* Name <-> kind for -p; false for an unknown name. */
bool sched_parse(const char *name, enum sched_kind *k);
const char *sched_name(enum sched_kind k);

/* Averages over the calibrated entries that scores compare against. */
struct sched_avg {
  double exec_us, bitmap_size, top_size;
  double log_bitmap; /* average of log(bitmap_size), for the weights */
};

/* Averages of the queue (entries with exec_us > 0). */
struct sched_avg sched_averages(const struct queue *q);

/* Performance score of e (100 = average): faster, larger-coverage,
   deeper and later-found entries get more; the schedule scales it by
   how often e's path was hit (n_fuzz, from the frequency table). */
double sched_score(const struct qentry *e, const struct sched_avg *a,
                   enum sched_kind k, uint32_t n_fuzz);

/* Havoc iterations for a score; slow targets get fewer (havoc_div). */
uint32_t sched_havoc_iters(double score, uint64_t avg_exec_us);

/* Selection weights: a weighted draw over entries, rebuilt when the
   queue grows or favours change. */
struct sched_pick {
  double *cum; /* cumulative weights, n entries */
  size_t n, cap;
};

/* Rebuild the weights (AFL++'s alias-table weights: rarer paths, faster
   entries, more coverage, favoured x5, never fuzzed x2). False on OOM. */
bool sched_pick_build(struct sched_pick *p, const struct queue *q,
                      enum sched_kind k, const uint32_t *n_fuzz);

/* Draw an entry id by weight. */
uint32_t sched_pick_next(const struct sched_pick *p, struct rng *r);

void sched_pick_free(struct sched_pick *p);

#endif /* LOP_FUZZ_SCHED_H */
