/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Unit tests of the runtime's pure arithmetic (runtime/rt_calc.h): the
 * hello word fuzzers decode, the map size a build announces, the
 * AFL_INST_RATIO guard selection and the parsing of environment numbers.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include <cmocka.h>

#include "../../runtime/rt_calc.h"
#include "env_flag.h"

/* A classic 64 KiB map gives the word AFL++ 4.04c expects, and the size
   decodes back exactly. */
static void test_hello_classic(void **state) {
  (void)state;
  assert_int_equal(rt_hello_word(MAP_SIZE, false), 0xc201ffffU);
  assert_int_equal(FS_OPT_GET_MAPSIZE(rt_hello_word(MAP_SIZE, false)),
                   MAP_SIZE);
}

/* SHDMEM_FUZZ is added only on request; no bit 26/27 or SNAPSHOT ever. */
static void test_hello_shm_fuzz(void **state) {
  (void)state;
  uint32_t w = rt_hello_word(MAP_SIZE, true);
  assert_int_equal(w, 0xc301ffffU);
  assert_int_equal(w & (FS_OPT_SNAPSHOT | 0x0c000000U), 0);
  assert_int_equal(w & FS_OPT_ENABLED, FS_OPT_ENABLED);
}

/* Large pcguard maps travel in the hello up to the 8 MiB limit. */
static void test_hello_big_map(void **state) {
  (void)state;
  assert_int_equal(FS_OPT_GET_MAPSIZE(rt_hello_word(80448, false)), 80448);
  assert_int_equal(FS_OPT_GET_MAPSIZE(rt_hello_word(MAP_SIZE_MAX, false)),
                   MAP_SIZE_MAX);
}

/* With classic code never below MAP_SIZE, else ids + 1 aligned to 64,
   capped at what a hello can carry. */
static void test_map_size_for(void **state) {
  (void)state;
  assert_int_equal(rt_map_size_for(0, true), MAP_SIZE);
  assert_int_equal(rt_map_size_for(MAP_SIZE - 1, true), MAP_SIZE);
  assert_int_equal(rt_map_size_for(MAP_SIZE, true), MAP_SIZE + MAP_SIZE_ALIGN);
  assert_int_equal(rt_map_size_for(80402, true), 80448);
  assert_int_equal(rt_map_size_for(80447, true), 80448);
  assert_int_equal(rt_map_size_for(80448, true), 80512);
  assert_int_equal(rt_map_size_for(UINT32_MAX, true), MAP_SIZE_MAX);
}

/* Without classic code (compact and trace-pc-guard builds) the map is
   exactly as large as the ids need, in MAP_SIZE_ALIGN steps. */
static void test_map_size_exact(void **state) {
  (void)state;
  assert_int_equal(rt_map_size_for(0, false), MAP_SIZE_ALIGN);
  assert_int_equal(rt_map_size_for(63, false), 64);
  assert_int_equal(rt_map_size_for(64, false), 128);
  assert_int_equal(rt_map_size_for(1000, false), 1024);
  assert_int_equal(rt_map_size_for(80447, false), 80448);
  assert_int_equal(rt_map_size_for(UINT32_MAX, false), MAP_SIZE_MAX);
}

/* Only a word with all reply bits set maps the testcase segment; 0 (a
   2.57b was_killed) and 1 do not. */
static void test_reply(void **state) {
  (void)state;
  assert_true(rt_reply_maps_testcase(FS_OPT_REPLY_MASK));
  assert_true(rt_reply_maps_testcase(0xffffffffU));
  assert_false(rt_reply_maps_testcase(0));
  assert_false(rt_reply_maps_testcase(1));
  assert_false(rt_reply_maps_testcase(FS_OPT_ENABLED));
}

/* Numbers: decimal only, in range, no junk; otherwise -1. */
static void test_parse_num(void **state) {
  (void)state;
  assert_int_equal(rt_parse_num("0", 0, 10), 0);
  assert_int_equal(rt_parse_num("2147483647", 0, 2147483647L), 2147483647L);
  assert_int_equal(rt_parse_num("2147483648", 0, 2147483647L), -1);
  assert_int_equal(rt_parse_num("99999999999999999999999", 0, 100), -1);
  assert_int_equal(rt_parse_num(NULL, 0, 10), -1);
  assert_int_equal(rt_parse_num("", 0, 10), -1);
  assert_int_equal(rt_parse_num("12x", 0, 100), -1);
  assert_int_equal(rt_parse_num("-1", 0, 100), -1);
  assert_int_equal(rt_parse_num("/afl_shm", 0, 100), -1);
  assert_int_equal(rt_parse_num("7", 0, 5), -1);
  assert_int_equal(rt_parse_num("5", 0, 5), 5);
}

/* The bound is the long's own limit, as INT_MAX is on 32-bit targets:
   one digit more must be out of range, not wrap around. On i386 an
   __AFL_SHM_ID of id + 2^32 used to attach segment id. */
static void test_parse_num_at_long_limit(void **state) {
  (void)state;
  char text[32];
  snprintf(text, sizeof(text), "%ld", LONG_MAX);
  assert_true(rt_parse_num(text, 0, LONG_MAX) == LONG_MAX);
  snprintf(text, sizeof(text), "%ld0", LONG_MAX / 10 + 1);
  assert_int_equal(rt_parse_num(text, 0, LONG_MAX), -1);
  assert_int_equal(rt_parse_num("9223372036854775808", 0, LONG_MAX), -1);
  assert_int_equal(rt_parse_num("18446744073709551617", 0, LONG_MAX), -1);
}

/* A switch variable is on when non-empty and not "0" (include/env_flag.h,
   which the runtime shares with the wrapper and the client). */
static void test_env_flag(void **state) {
  (void)state;
  assert_false(lop_env_flag(NULL));
  assert_false(lop_env_flag(""));
  assert_false(lop_env_flag("0"));
  assert_true(lop_env_flag("1"));
  assert_true(lop_env_flag("00"));
  assert_true(lop_env_flag("yes"));
}

/* AFL_INST_RATIO: 1..100 as given, anything else the default 100. */
static void test_inst_ratio(void **state) {
  (void)state;
  assert_int_equal(rt_inst_ratio("1"), 1);
  assert_int_equal(rt_inst_ratio("100"), 100);
  assert_int_equal(rt_inst_ratio("37"), 37);
  assert_int_equal(rt_inst_ratio(NULL), INST_RATIO_DEFAULT);
  assert_int_equal(rt_inst_ratio("0"), INST_RATIO_DEFAULT);
  assert_int_equal(rt_inst_ratio("101"), INST_RATIO_DEFAULT);
  assert_int_equal(rt_inst_ratio("abc"), INST_RATIO_DEFAULT);
}

/* Exactly ratio of every 100 guards are kept, the first always. */
static void test_ratio_keep(void **state) {
  (void)state;
  for (uint32_t ratio = 1; ratio <= 100; ratio++) {
    uint32_t kept = 0;
    for (uint64_t n = 0; n < 1000; n++)
      kept += rt_ratio_keep(n, ratio);
    assert_int_equal(kept, ratio * 10);
    assert_true(rt_ratio_keep(0, ratio));
  }
  assert_false(rt_ratio_keep(1, 50));
  assert_true(rt_ratio_keep(2, 50));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_hello_classic),
      cmocka_unit_test(test_hello_shm_fuzz),
      cmocka_unit_test(test_hello_big_map),
      cmocka_unit_test(test_map_size_for),
      cmocka_unit_test(test_map_size_exact),
      cmocka_unit_test(test_reply),
      cmocka_unit_test(test_parse_num),
      cmocka_unit_test(test_parse_num_at_long_limit),
      cmocka_unit_test(test_env_flag),
      cmocka_unit_test(test_inst_ratio),
      cmocka_unit_test(test_ratio_keep),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
