/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Unit tests of the pure hello decoder (forkserver/hello.c): every hello
 * kind of PROTOCOL.md 2.6, the map size field, the reply word and the
 * error words in words.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <string.h>

#include "forkserver.h"

static void test_classic_zero(void **state) {
  (void)state;
  struct fsrv_hello h;
  fsrv_hello_decode(0, &h);
  assert_int_equal(h.kind, FSRV_HELLO_CLASSIC);
  assert_int_equal(h.map_size, 0);
  assert_false(h.shm_fuzz);
}

/* PROTOCOL.md: "anything else -> classic, 64 KiB". */
static void test_garbage_is_classic(void **state) {
  (void)state;
  static const uint32_t words[] = {0x12345678U, 0x80000000U, 0x00000001U,
                                   0x7fffffffU, 0xdeadbeeeU};
  for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
    struct fsrv_hello h;
    fsrv_hello_decode(words[i], &h);
    assert_int_equal(h.kind, FSRV_HELLO_CLASSIC);
  }
}

static void test_extended_64k(void **state) {
  (void)state;
  struct fsrv_hello h;
  fsrv_hello_decode(0xc201ffffU, &h);
  assert_int_equal(h.kind, FSRV_HELLO_EXTENDED);
  assert_int_equal(h.map_size, MAP_SIZE);
  assert_false(h.shm_fuzz);
  assert_false(h.autodict);
  assert_int_equal(fsrv_hello_reply(&h, true), 0);
}

static void test_extended_size_rounded(void **state) {
  (void)state;
  struct fsrv_hello h;
  uint32_t w = FS_OPT_ENABLED | FS_OPT_MAPSIZE | FS_OPT_SET_MAPSIZE(1000);
  fsrv_hello_decode(w, &h);
  assert_int_equal(h.map_size, 1024);
  fsrv_hello_decode(
      FS_OPT_ENABLED | FS_OPT_MAPSIZE | FS_OPT_SET_MAPSIZE(MAP_SIZE_MAX), &h);
  assert_int_equal(h.map_size, MAP_SIZE_MAX);
}

static void test_extended_without_size(void **state) {
  (void)state;
  struct fsrv_hello h;
  fsrv_hello_decode(FS_OPT_ENABLED, &h);
  assert_int_equal(h.kind, FSRV_HELLO_EXTENDED);
  assert_int_equal(h.map_size, 0);
}

static void test_extended_shm_and_dict_reply(void **state) {
  (void)state;
  struct fsrv_hello h;
  fsrv_hello_decode(0xc201ffffU | FS_OPT_SHDMEM_FUZZ, &h);
  assert_true(h.shm_fuzz);
  assert_int_equal(fsrv_hello_reply(&h, true), 0x81000001U);
  fsrv_hello_decode(0xc201ffffU | FS_OPT_AUTODICT, &h);
  assert_true(h.autodict);
  assert_int_equal(fsrv_hello_reply(&h, false),
                   FS_OPT_ENABLED | FS_OPT_AUTODICT);
}

static void test_v1(void **state) {
  (void)state;
  struct fsrv_hello h;
  fsrv_hello_decode(0x41464c01U, &h);
  assert_int_equal(h.kind, FSRV_HELLO_V1);
  fsrv_hello_v1_options(
      FS_NEW_OPT_MAPSIZE | FS_NEW_OPT_SHDMEM_FUZZ | FS_NEW_OPT_AUTODICT, &h);
  assert_true(h.shm_fuzz);
  assert_true(h.autodict);
  assert_true(fsrv_hello_set_size(70000, &h));
  assert_int_equal(h.map_size, 70016);
  assert_false(fsrv_hello_set_size(0, &h));
  assert_false(fsrv_hello_set_size(MAP_SIZE_MAX + 1, &h));
  assert_int_equal(fsrv_hello_reply(&h, true), 0);
  assert_int_equal(~FS_NEW_HELLO, 0xbeb9b3feU);
}

static void test_error_words(void **state) {
  (void)state;
  static const struct {
    uint32_t word, code;
    const char *text;
  } cases[] = {
      {0xf800008fU | (1U << 8), 1, "(map size)"},
      {0xf800008fU | (2U << 8), 2, "fixed address"},
      {0xf800008fU | (4U << 8), 4, "(shm_open)"},
      {0xf800008fU | (8U << 8), 8,
       "target could not map the shared memory (shmat)"},
      {0xf800008fU | (16U << 8), 16, "(mmap)"},
      {0xeffe0000U | 8U, 8, "(shmat)"},
      {0xeffe0000U | 4U, 4, "(shm_open)"},
      {0xeffe0000U | 1U, 1, "(map size)"},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    struct fsrv_hello h;
    fsrv_hello_decode(cases[i].word, &h);
    assert_int_equal(h.kind, FSRV_HELLO_ERROR);
    assert_int_equal(h.error_code, cases[i].code);
    assert_non_null(strstr(fsrv_hello_error_text(h.error_code), cases[i].text));
  }
  assert_non_null(strstr(fsrv_hello_error_text(0), "unknown"));
}

static void test_names(void **state) {
  (void)state;
  assert_string_equal(fsrv_hello_name(FSRV_HELLO_CLASSIC), "classic");
  assert_string_equal(fsrv_hello_name(FSRV_HELLO_EXTENDED), "extended");
  assert_string_equal(fsrv_hello_name(FSRV_HELLO_V1), "v1");
  assert_string_equal(fsrv_verdict_name(FSRV_VERDICT_HANG), "hang");
  assert_string_equal(fsrv_strerror(FSRV_E_NO_HELLO),
                      "target did not say hello");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_classic_zero),
      cmocka_unit_test(test_garbage_is_classic),
      cmocka_unit_test(test_extended_64k),
      cmocka_unit_test(test_extended_size_rounded),
      cmocka_unit_test(test_extended_without_size),
      cmocka_unit_test(test_extended_shm_and_dict_reply),
      cmocka_unit_test(test_v1),
      cmocka_unit_test(test_error_words),
      cmocka_unit_test(test_names),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
