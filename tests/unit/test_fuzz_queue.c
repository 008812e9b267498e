/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Unit tests of fuzz/queue.c and fuzz/sched.c: top-rated edges go to the
 * cheapest entry, culling favours a minimal covering set, pending counts;
 * the schedules' scores (faster, wider, deeper entries get more; `fast`
 * gives rarely hit paths more; exploit the most), havoc iterations for
 * slow targets, and the weighted pick (favoured and unfuzzed entries are
 * drawn more often; a fixed seed draws the same sequence).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "queue.h"
#include "sched.h"

#define MAPN 64

/* Add an entry of len bytes, exec_us, hitting the listed map bytes. */
static struct qentry *add(struct queue *q, uint32_t len, uint64_t us,
                          const int *edges, size_t n) {
  uint8_t map[MAPN] = {0};
  struct qentry *e = queue_add(q, strdup("x"), calloc(1, len), len, 1);
  assert_non_null(e);
  e->exec_us = us;
  e->cost_us = us;
  for (size_t i = 0; i < n; i++)
    map[edges[i]] = 1;
  e->bitmap_size = (uint32_t)n;
  queue_update_top(q, e, map);
  return e;
}

static void test_top_rated_goes_to_cheapest(void **state) {
  (void)state;
  struct queue q;
  assert_true(queue_init(&q, MAPN));
  const int ab[] = {1, 2}, b[] = {2};
  struct qentry *big = add(&q, 100, 100, ab, 2);
  struct qentry *small = add(&q, 10, 100, b, 1);
  assert_int_equal(q.top_rated[1], big->id + 1);
  assert_int_equal(q.top_rated[2], small->id + 1);
  assert_int_equal(big->tc_ref, 1);
  assert_int_equal(small->tc_ref, 1);
  queue_free(&q);
}

static void test_cull_favours_minimal_cover(void **state) {
  (void)state;
  struct queue q;
  assert_true(queue_init(&q, MAPN));
  const int e1[] = {1, 2, 3}, e2[] = {1}, e3[] = {4};
  struct qentry *wide = add(&q, 10, 10, e1, 3);
  struct qentry *cheap = add(&q, 1, 1, e2, 1); /* wins edge 1 only */
  struct qentry *other = add(&q, 10, 10, e3, 1);
  queue_cull(&q);
  assert_true(cheap->favored);
  assert_true(wide->favored); /* still the best for edges 2 and 3 */
  assert_true(other->favored);
  assert_int_equal(q.favored, 3);
  assert_int_equal(q.pending_favored, 3);
  wide->was_fuzzed = true;
  queue_recount(&q);
  assert_int_equal(q.pending_favored, 2);
  assert_int_equal(q.pending_not_fuzzed, 2);
  queue_free(&q);
}

static void test_cull_skips_covered(void **state) {
  (void)state;
  struct queue q;
  assert_true(queue_init(&q, MAPN));
  const int all[] = {5, 6}, one[] = {6};
  struct qentry *a = add(&q, 1, 1, all, 2);
  struct qentry *b = add(&q, 5, 5, one, 1); /* loses edge 6 to a */
  queue_cull(&q);
  assert_true(a->favored);
  assert_false(b->favored);
  queue_free(&q);
}

static struct qentry entry(uint64_t us, uint32_t size, uint32_t depth) {
  struct qentry e;
  memset(&e, 0, sizeof(e));
  e.exec_us = us;
  e.cost_us = us;
  e.bitmap_size = size;
  e.depth = depth;
  return e;
}

static void test_scores(void **state) {
  (void)state;
  struct sched_avg a = {.exec_us = 100, .bitmap_size = 50};
  struct qentry avg = entry(100, 50, 1), fast = entry(20, 50, 1),
                slow = entry(2000, 50, 1), wide = entry(100, 200, 1),
                deep = entry(100, 50, 30);
  double base = sched_score(&avg, &a, SCHED_EXPLORE, 0);
  assert_true(base == 100);
  assert_true(sched_score(&fast, &a, SCHED_EXPLORE, 0) > base);
  assert_true(sched_score(&slow, &a, SCHED_EXPLORE, 0) < base);
  assert_true(sched_score(&wide, &a, SCHED_EXPLORE, 0) > base);
  assert_true(sched_score(&deep, &a, SCHED_EXPLORE, 0) == 5 * base);
  assert_true(sched_score(&avg, &a, SCHED_EXPLOIT, 0) == SCHED_MAX_SCORE);
}

static void test_fast_prefers_rare_paths(void **state) {
  (void)state;
  struct sched_avg a = {.exec_us = 100, .bitmap_size = 50};
  struct qentry e = entry(100, 50, 1);
  /* Never fuzzed: not scaled. */
  assert_true(sched_score(&e, &a, SCHED_FAST, 1000) == 100);
  e.fuzz_level = 1;
  double rare = sched_score(&e, &a, SCHED_FAST, 1);
  double common = sched_score(&e, &a, SCHED_FAST, 1000);
  assert_true(rare > common);
  e.favored = true;
  assert_true(sched_score(&e, &a, SCHED_FAST, 1000) > common);
}

/* Costs are run times rounded down to a power of two, or one fixed value
   for every entry when a -s seed asks for the same choices under any load. */
static void test_cost_classes(void **state) {
  (void)state;
  assert_int_equal(queue_cost_us(1, false), 1);
  assert_int_equal(queue_cost_us(100, false), 64);
  assert_int_equal(queue_cost_us(127, false), 64);
  assert_int_equal(queue_cost_us(128, false), 128);
  assert_int_equal(queue_cost_us(5000, false), 4096);
  assert_int_equal(queue_cost_us(1, true), QUEUE_FIXED_COST_US);
  assert_int_equal(queue_cost_us(5000, true), QUEUE_FIXED_COST_US);
}

static void test_havoc_iters(void **state) {
  (void)state;
  assert_int_equal(sched_havoc_iters(100, 100), SCHED_HAVOC_CYCLES);
  assert_int_equal(sched_havoc_iters(100, 60000), SCHED_HAVOC_CYCLES / 10);
  assert_int_equal(sched_havoc_iters(1, 100), SCHED_HAVOC_MIN);
}

static void test_parse_names(void **state) {
  (void)state;
  enum sched_kind k;
  assert_true(sched_parse("explore", &k));
  assert_int_equal(k, SCHED_EXPLORE);
  assert_string_equal(sched_name(k), "explore");
  assert_false(sched_parse("fastest", &k));
}

static void test_pick_weights(void **state) {
  (void)state;
  struct queue q;
  struct sched_pick p = {0};
  struct rng r;
  assert_true(queue_init(&q, MAPN));
  const int e1[] = {1}, e2[] = {2};
  struct qentry *a = add(&q, 10, 10, e1, 1);
  struct qentry *b = add(&q, 10, 10, e2, 1);
  a->was_fuzzed = b->was_fuzzed = true;
  a->favored = true;
  assert_true(sched_pick_build(&p, &q, SCHED_EXPLORE, NULL));
  rng_seed(&r, 7);
  unsigned hits[2] = {0, 0};
  for (int i = 0; i < 6000; i++)
    hits[sched_pick_next(&p, &r)]++;
  /* favoured x5: about 5000 against 1000 */
  assert_true(hits[0] > 4 * hits[1] - 600 && hits[0] < 6 * hits[1] + 600);
  struct rng r1, r2;
  rng_seed(&r1, 3);
  rng_seed(&r2, 3);
  for (int i = 0; i < 100; i++)
    assert_int_equal(sched_pick_next(&p, &r1), sched_pick_next(&p, &r2));
  b->disabled = true;
  assert_true(sched_pick_build(&p, &q, SCHED_EXPLORE, NULL));
  for (int i = 0; i < 100; i++)
    assert_int_equal(sched_pick_next(&p, &r), 0);
  sched_pick_free(&p);
  queue_free(&q);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_top_rated_goes_to_cheapest),
      cmocka_unit_test(test_cull_favours_minimal_cover),
      cmocka_unit_test(test_cull_skips_covered),
      cmocka_unit_test(test_scores),
      cmocka_unit_test(test_fast_prefers_rare_paths),
      cmocka_unit_test(test_cost_classes),
      cmocka_unit_test(test_havoc_iters),
      cmocka_unit_test(test_parse_names),
      cmocka_unit_test(test_pick_weights),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
