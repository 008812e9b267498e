/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Power schedules and weighted entry selection (sched.h).
 */
#include "sched.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const sched_names[] = {"fast", "explore", "exploit", "coe"};

bool sched_parse(const char *name, enum sched_kind *k) {
  for (size_t i = 0; i < sizeof(sched_names) / sizeof(*sched_names); i++) {
    if (strcmp(name, sched_names[i]) == 0) {
      *k = (enum sched_kind)i;
      return true;
    }
  }
  return false;
}

const char *sched_name(enum sched_kind k) { return sched_names[k]; }

struct sched_avg sched_averages(const struct queue *q) {
  struct sched_avg a = {0, 0, 0, 0};
  uint32_t n = 0;
  for (size_t i = 0; i < q->n; i++) {
    const struct qentry *e = q->e[i];
    if (!e->cost_us || e->disabled)
      continue;
    a.exec_us += (double)e->cost_us;
    a.bitmap_size += e->bitmap_size;
    a.top_size += e->tc_ref;
    a.log_bitmap += log(e->bitmap_size > 1 ? e->bitmap_size : 1);
    n++;
  }
  if (n) {
    a.exec_us /= n;
    a.bitmap_size /= n;
    a.top_size /= n;
    a.log_bitmap /= n;
  }
  return a;
}

/* AFL's speed factor: much slower than average gets 10%, much faster 300%. */
static double sched_speed(double us, double avg) {
  if (us * 0.1 > avg)
    return 10;
  if (us * 0.25 > avg)
    return 25;
  if (us * 0.5 > avg)
    return 50;
  if (us * 0.75 > avg)
    return 75;
  if (us * 4 < avg)
    return 300;
  if (us * 3 < avg)
    return 200;
  if (us * 2 < avg)
    return 150;
  return 100;
}

/* AFL's coverage factor: more map bytes than average gets up to x3. */
static double sched_cover(double size, double avg) {
  if (size * 0.3 > avg)
    return 3;
  if (size * 0.5 > avg)
    return 2;
  if (size * 0.75 > avg)
    return 1.5;
  if (size * 3 < avg)
    return 0.25;
  if (size * 2 < avg)
    return 0.5;
  if (size * 1.5 < avg)
    return 0.75;
  return 1;
}

/* AFL's depth factor: entries many generations deep get up to x5. */
static double sched_depth(uint32_t d) {
  if (d <= 3)
    return 1;
  if (d <= 7)
    return 2;
  if (d <= 13)
    return 3;
  if (d <= 25)
    return 4;
  return 5;
}

/* AFLFast's `fast` factor as AFL++ applies it: by log2 of the path's hits. */
static double sched_fast(const struct qentry *e, uint32_t n_fuzz) {
  if (!e->fuzz_level)
    return 1;
  double f;
  uint32_t l = n_fuzz ? (uint32_t)log2(n_fuzz) : 0;
  if (l <= 1)
    f = 4;
  else if (l <= 3)
    f = 3;
  else if (l == 4)
    f = 2;
  else if (l == 5)
    f = 1;
  else
    f = e->favored ? 1 : (l == 6 ? 0.8 : (l == 7 ? 0.6 : 0.4));
  return e->favored ? f * 1.15 : f;
}

double sched_score(const struct qentry *e, const struct sched_avg *a,
                   enum sched_kind k, uint32_t n_fuzz) {
  double s = 100;
  if (a->exec_us > 0)
    s = sched_speed((double)e->cost_us, a->exec_us);
  if (a->bitmap_size > 0)
    s *= sched_cover(e->bitmap_size, a->bitmap_size);
  s *= e->handicap >= 4 ? 4 : (e->handicap ? 2 : 1);
  s *= sched_depth(e->depth);
  if (k == SCHED_FAST)
    s *= sched_fast(e, n_fuzz);
  else if (k == SCHED_EXPLOIT)
    s = SCHED_MAX_SCORE;
  else if (k == SCHED_COE && e->fuzz_level && n_fuzz > 16 && !e->favored)
    s = 0;
  return s > SCHED_MAX_SCORE ? SCHED_MAX_SCORE : s;
}

uint32_t sched_havoc_iters(double score, uint64_t avg_exec_us) {
  uint32_t div = 1;
  if (avg_exec_us > 50000)
    div = 10;
  else if (avg_exec_us > 20000)
    div = 5;
  else if (avg_exec_us > 10000)
    div = 2;
  double it = SCHED_HAVOC_CYCLES * score / div / 100;
  return it < SCHED_HAVOC_MIN ? SCHED_HAVOC_MIN : (uint32_t)it;
}

/* One entry's selection weight (AFL++'s compute_weight). */
static double sched_weight(const struct qentry *e, const struct sched_avg *a,
                           enum sched_kind k, uint32_t hits) {
  double w = 1;
  if (k == SCHED_FAST && hits)
    w /= log10(hits) + 1;
  if (e->cost_us && a->exec_us > 0)
    w *= a->exec_us / (double)e->cost_us;
  if (e->bitmap_size > 1 && a->log_bitmap > 0)
    w *= log(e->bitmap_size) / a->log_bitmap;
  if (a->top_size > 0)
    w *= 1 + e->tc_ref / a->top_size;
  if (w < 1)
    w = 1;
  if (e->favored)
    w *= 5;
  if (!e->was_fuzzed)
    w *= 2;
  return w;
}

bool sched_pick_build(struct sched_pick *p, const struct queue *q,
                      enum sched_kind k, const uint32_t *n_fuzz) {
  if (q->n > p->cap) {
    double *c = realloc(p->cum, q->n * sizeof(*c));
    if (!c)
      return false;
    p->cum = c;
    p->cap = q->n;
  }
  struct sched_avg a = sched_averages(q);
  double sum = 0;
  for (size_t i = 0; i < q->n; i++) {
    const struct qentry *e = q->e[i];
    uint32_t hits = n_fuzz ? n_fuzz[e->cksum % SCHED_NFUZZ_SIZE] : 0;
    if (!e->disabled)
      sum += sched_weight(e, &a, k, hits);
    p->cum[i] = sum;
  }
  p->n = q->n;
  return true;
}

uint32_t sched_pick_next(const struct sched_pick *p, struct rng *r) {
  if (!p->n)
    return 0;
  double total = p->cum[p->n - 1];
  double x = (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0) * total;
  size_t lo = 0, hi = p->n - 1;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (p->cum[mid] > x)
      hi = mid;
    else
      lo = mid + 1;
  }
  return (uint32_t)lo;
}

void sched_pick_free(struct sched_pick *p) {
  free(p->cum);
  memset(p, 0, sizeof(*p));
}
