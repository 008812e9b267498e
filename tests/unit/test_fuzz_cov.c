/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Unit tests of fuzz/cov.c: AFL's buckets for every count, new edge vs new
 * count against a virgin map, the peek that leaves virgin alone, crash
 * simplification, counts, checksums, variable bytes and the minimal trace;
 * map sizes that are not a multiple of 8 use the byte-wise tail.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <string.h>

#include "cov.h"

/* AFL's classes written as ranges, so the test is not the code again. */
static uint8_t expect_bucket(unsigned c) {
  static const struct {
    unsigned lo, hi, v;
  } r[] = {{0, 0, 0},   {1, 1, 1},    {2, 2, 2},     {3, 3, 4},      {4, 7, 8},
           {8, 15, 16}, {16, 31, 32}, {32, 127, 64}, {128, 255, 128}};
  for (size_t i = 0; i < sizeof(r) / sizeof(r[0]); i++)
    if (c >= r[i].lo && c <= r[i].hi)
      return (uint8_t)r[i].v;
  return 0xff;
}

static void test_classify_every_count(void **state) {
  (void)state;
  uint8_t m[259];
  for (unsigned c = 0; c < 256; c++)
    m[c] = (uint8_t)c;
  m[256] = 3, m[257] = 200, m[258] = 0;
  cov_classify(m, sizeof(m));
  for (unsigned c = 0; c < 256; c++)
    assert_int_equal(m[c], expect_bucket(c));
  assert_int_equal(m[256], 4);
  assert_int_equal(m[257], 128);
  assert_int_equal(m[258], 0);
}

static void test_new_edge_then_count_then_nothing(void **state) {
  (void)state;
  uint8_t virgin[64], m[64] = {0};
  memset(virgin, 0xff, sizeof(virgin));
  m[10] = 1;
  assert_int_equal(cov_new_bits(m, virgin, 64), COV_EDGE);
  assert_int_equal(cov_new_bits(m, virgin, 64), COV_NONE);
  m[10] = 2; /* same edge, another bucket */
  assert_int_equal(cov_new_bits(m, virgin, 64), COV_COUNT);
  m[10] = 1;
  m[63] = 8; /* a new edge in the last word */
  assert_int_equal(cov_new_bits(m, virgin, 64), COV_EDGE);
  assert_int_equal(cov_count_seen(virgin, 64), 2);
}

static void test_new_edge_wins_within_a_word(void **state) {
  (void)state;
  uint8_t virgin[16], m[16] = {0};
  memset(virgin, 0xff, sizeof(virgin));
  m[1] = 1;
  cov_new_bits(m, virgin, 16);
  m[1] = 4; /* new count in byte 1 ... */
  m[2] = 1; /* ... and a new edge in byte 2 of the same word */
  assert_int_equal(cov_new_bits(m, virgin, 16), COV_EDGE);
}

static void test_peek_leaves_virgin(void **state) {
  (void)state;
  uint8_t virgin[24], m[24] = {0};
  memset(virgin, 0xff, sizeof(virgin));
  m[20] = 1;
  assert_int_equal(cov_peek_bits(m, virgin, 24), COV_EDGE);
  assert_int_equal(cov_peek_bits(m, virgin, 24), COV_EDGE);
  assert_int_equal(cov_count_seen(virgin, 24), 0);
}

static void test_odd_size_tail(void **state) {
  (void)state;
  uint8_t virgin[13], m[13] = {0};
  memset(virgin, 0xff, sizeof(virgin));
  m[12] = 5;
  cov_classify(m, 13);
  assert_int_equal(m[12], 8);
  assert_int_equal(cov_new_bits(m, virgin, 13), COV_EDGE);
  assert_int_equal(cov_new_bits(m, virgin, 13), COV_NONE);
  assert_int_equal(cov_count_bytes(m, 13), 1);
}

static void test_simplify(void **state) {
  (void)state;
  uint8_t m[8] = {0, 1, 0, 128, 0, 0, 0, 3};
  cov_simplify(m, 8);
  const uint8_t want[8] = {1, 0x80, 1, 0x80, 1, 1, 1, 0x80};
  assert_memory_equal(m, want, 8);
}

static void test_counts_and_hash(void **state) {
  (void)state;
  uint8_t a[32] = {0}, b[32] = {0};
  a[0] = a[9] = a[31] = 1;
  memcpy(b, a, sizeof(a));
  assert_int_equal(cov_count_bytes(a, 32), 3);
  assert_true(cov_hash(a, 32) == cov_hash(b, 32));
  b[9] = 2;
  assert_true(cov_hash(a, 32) != cov_hash(b, 32));
  b[9] = 1;
  b[17] = 1; /* a byte in a word that was zero */
  assert_true(cov_hash(a, 32) != cov_hash(b, 32));
}

static void test_variable_bytes(void **state) {
  (void)state;
  uint8_t a[16] = {0}, b[16] = {0}, var[16] = {0};
  a[3] = 1, b[3] = 1;
  a[5] = 1;           /* hit only in a */
  a[7] = 1, b[7] = 2; /* different bucket */
  assert_int_equal(cov_mark_variable(a, b, var, 16), 2);
  assert_int_equal(cov_mark_variable(a, b, var, 16), 0);
  assert_true(var[5] && var[7] && !var[3]);
  uint32_t list[] = {5, 7};
  cov_mask_list(a, list, 2);
  assert_int_equal(a[5], 0);
  assert_int_equal(a[7], 0);
  assert_int_equal(a[3], 1);
}

static void test_minimise(void **state) {
  (void)state;
  uint8_t m[20] = {0}, bits[3];
  m[0] = 1, m[9] = 64, m[19] = 2;
  cov_minimise(m, bits, 20);
  assert_int_equal(bits[0], 0x01);
  assert_int_equal(bits[1], 0x02);
  assert_int_equal(bits[2], 0x08);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_classify_every_count),
      cmocka_unit_test(test_new_edge_then_count_then_nothing),
      cmocka_unit_test(test_new_edge_wins_within_a_word),
      cmocka_unit_test(test_peek_leaves_virgin),
      cmocka_unit_test(test_odd_size_tail),
      cmocka_unit_test(test_simplify),
      cmocka_unit_test(test_counts_and_hash),
      cmocka_unit_test(test_variable_bytes),
      cmocka_unit_test(test_minimise),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
