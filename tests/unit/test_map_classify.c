/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Unit tests of forkserver/map.c: both bucket tables for every count
 * 0..255, edges-only and raw modes, edge counting without byte 0, the
 * "%06u:%u" text format and the map hash.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forkserver.h"

/* PROTOCOL.md 6, written as ranges so the test is not the code again. */
static uint8_t expect_human(unsigned c) {
  static const struct {
    unsigned lo, hi, v;
  } r[] = {{0, 0, 0},  {1, 1, 1},   {2, 2, 2},    {3, 3, 3},    {4, 7, 4},
           {8, 15, 5}, {16, 31, 6}, {32, 127, 7}, {128, 255, 8}};
  for (size_t i = 0; i < sizeof(r) / sizeof(r[0]); i++)
    if (c >= r[i].lo && c <= r[i].hi)
      return (uint8_t)r[i].v;
  return 0xff;
}

static uint8_t expect_fuzzer(unsigned c) {
  static const struct {
    unsigned lo, hi, v;
  } r[] = {{0, 0, 0},   {1, 1, 1},    {2, 2, 2},     {3, 3, 4},      {4, 7, 8},
           {8, 15, 16}, {16, 31, 32}, {32, 127, 64}, {128, 255, 128}};
  for (size_t i = 0; i < sizeof(r) / sizeof(r[0]); i++)
    if (c >= r[i].lo && c <= r[i].hi)
      return (uint8_t)r[i].v;
  return 0xff;
}

static void test_every_count(void **state) {
  (void)state;
  uint8_t h[256], fz[256], e[256], raw[256];
  for (unsigned c = 0; c < 256; c++)
    h[c] = fz[c] = e[c] = raw[c] = (uint8_t)c;
  fsrv_map_classify(h, 256, FSRV_BUCKET_HUMAN);
  fsrv_map_classify(fz, 256, FSRV_BUCKET_FUZZER);
  fsrv_map_classify(e, 256, FSRV_BUCKET_EDGES);
  fsrv_map_classify(raw, 256, FSRV_BUCKET_RAW);
  for (unsigned c = 0; c < 256; c++) {
    assert_int_equal(h[c], expect_human(c));
    assert_int_equal(fz[c], expect_fuzzer(c));
    assert_int_equal(e[c], c ? 1 : 0);
    assert_int_equal(raw[c], c);
    assert_int_equal(fsrv_map_bucket((uint8_t)c, FSRV_BUCKET_HUMAN),
                     expect_human(c));
  }
}

/* AFL++ 4.04c's buggy table maps 5 to 0; lop must not. */
static void test_not_the_404c_bug(void **state) {
  (void)state;
  assert_int_equal(fsrv_map_bucket(5, FSRV_BUCKET_HUMAN), 4);
  assert_int_equal(fsrv_map_bucket(9, FSRV_BUCKET_HUMAN), 5);
}

static void test_count_skips_byte0(void **state) {
  (void)state;
  uint8_t m[16] = {1, 0, 3, 0, 0, 255};
  assert_int_equal(fsrv_map_count(m, sizeof(m)), 2);
  memset(m, 0, sizeof(m));
  m[0] = 1;
  assert_int_equal(fsrv_map_count(m, sizeof(m)), 0);
}

static void test_text_format(void **state) {
  (void)state;
  uint8_t m[MAP_SIZE] = {0};
  m[0] = 1;
  m[5] = 2;
  m[1234] = 255;
  m[MAP_SIZE - 1] = 7;
  char *text = NULL;
  size_t len = 0;
  FILE *out = open_memstream(&text, &len);
  assert_int_equal(fsrv_map_write_text(out, m, sizeof(m)), 3);
  fclose(out);
  assert_string_equal(text, "000005:2\n001234:255\n065535:7\n");
  free(text);
}

static void test_hash(void **state) {
  (void)state;
  uint8_t a[64] = {0}, b[64] = {0};
  a[0] = 1;
  assert_true(fsrv_map_hash(a, 64) == fsrv_map_hash(b, 64));
  a[10] = 1;
  assert_true(fsrv_map_hash(a, 64) != fsrv_map_hash(b, 64));
  b[10] = 1;
  assert_true(fsrv_map_hash(a, 64) == fsrv_map_hash(b, 64));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_every_count),
      cmocka_unit_test(test_not_the_404c_bug),
      cmocka_unit_test(test_count_skips_byte0),
      cmocka_unit_test(test_text_format),
      cmocka_unit_test(test_hash),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
