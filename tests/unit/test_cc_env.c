/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Unit tests of the wrapper's environment reading (afl-cc/env.c): what
 * counts as set, every rejected value with its exact message, and the
 * "unknown AFL_ variable" scan. Environments are explicit arrays.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "env.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Reads options from envp and expects failure with exactly msg. */
static void expect_error(char **envp, const char *msg) {
  struct cc_options o;
  char *err = NULL;
  assert_int_equal(cc_options_read(envp, &o, &err), -1);
  assert_non_null(err);
  assert_string_equal(err, msg);
  free(err);
}

/* Reads options from envp and expects success. */
static struct cc_options expect_ok(char **envp) {
  struct cc_options o;
  char *err = NULL;
  assert_int_equal(cc_options_read(envp, &o, &err), 0);
  assert_null(err);
  return o;
}

static void test_defaults(void **state) {
  (void)state;
  struct cc_options o = expect_ok((char *[]){"PATH=/bin", NULL});
  assert_int_equal(o.mode, CC_MODE_CLASSIC);
  assert_null(o.cc);
  assert_null(o.afl_path);
  assert_false(o.harden || o.asan || o.msan || o.ubsan || o.debug);
  o = expect_ok(NULL);
  assert_int_equal(o.mode, CC_MODE_CLASSIC);
}

static void test_set_means_nonempty_and_not_zero(void **state) {
  (void)state;
  char *envp[] = {"AFL_HARDEN=1",         "AFL_USE_ASAN=0", "AFL_USE_UBSAN=",
                  "AFL_NO_BUILTIN=yes",   "AFL_DEBUG=2",    "AFL_CC=",
                  "AFL_CXX=/opt/clang++", "AFL_PATH=/lop",  NULL};
  struct cc_options o = expect_ok(envp);
  assert_true(o.harden);
  assert_false(o.asan);
  assert_false(o.ubsan);
  assert_true(o.no_builtin);
  assert_true(o.debug);
  assert_null(o.cc);
  assert_string_equal(o.cxx, "/opt/clang++");
  assert_string_equal(o.afl_path, "/lop");
  assert_null(cc_env_get(envp, "AFL_HARD")); /* prefixes do not match */
  assert_string_equal(cc_env_get(envp, "AFL_USE_UBSAN"), "");
}

static void test_inst_ratio(void **state) {
  (void)state;
  expect_ok((char *[]){"AFL_INST_RATIO=1", NULL});
  expect_ok((char *[]){"AFL_INST_RATIO=100", NULL});
  expect_ok((char *[]){"AFL_INST_RATIO=050", NULL});
  const char *bad[] = {"0", "101", "abc", "5x", "", "-5", "1000", " 5", "0x10"};
  for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
    char var[64], msg[128];
    snprintf(var, sizeof(var), "AFL_INST_RATIO=%s", bad[i]);
    snprintf(msg, sizeof(msg),
             "AFL_INST_RATIO=%s is not a number from 1 to 100; unset it or "
             "pick a percentage",
             bad[i]);
    expect_error((char *[]){var, NULL}, msg);
  }
}

static void test_modes(void **state) {
  (void)state;
  assert_int_equal(
      expect_ok((char *[]){"AFL_LLVM_INSTRUMENT=PCGUARD", NULL}).mode,
      CC_MODE_PCGUARD);
  assert_int_equal(expect_ok((char *[]){"AFL_TRACE_PC=1", NULL}).mode,
                   CC_MODE_PCGUARD);
  assert_int_equal(expect_ok((char *[]){"AFL_LLVM_INSTRUMENT=afl", NULL}).mode,
                   CC_MODE_CLASSIC);
  assert_int_equal(
      expect_ok((char *[]){"AFL_LLVM_INSTRUMENT=Default", NULL}).mode,
      CC_MODE_CLASSIC);
  assert_int_equal(expect_ok((char *[]){"AFL_LLVM_INSTRUMENT=", NULL}).mode,
                   CC_MODE_CLASSIC);
  assert_int_equal(
      expect_ok((char *[]){"AFL_LLVM_INSTRUMENT=Compact", NULL}).mode,
      CC_MODE_COMPACT);
  expect_error((char *[]){"AFL_LLVM_INSTRUMENT=lto", NULL},
               "AFL_LLVM_INSTRUMENT=lto is not a mode; use classic, pcguard "
               "or compact");
  expect_error(
      (char *[]){"AFL_LLVM_INSTRUMENT=compact", "AFL_TRACE_PC=1", NULL},
      "AFL_TRACE_PC asks for pcguard but AFL_LLVM_INSTRUMENT=compact "
      "for compact; unset one");
  expect_error(
      (char *[]){"AFL_LLVM_INSTRUMENT=classic", "AFL_TRACE_PC=1", NULL},
      "AFL_TRACE_PC asks for pcguard but AFL_LLVM_INSTRUMENT=classic "
      "for classic; unset one");
  assert_string_equal(cc_mode_name(CC_MODE_CLASSIC), "classic");
  assert_string_equal(cc_mode_name(CC_MODE_PCGUARD), "pcguard");
  assert_string_equal(cc_mode_name(CC_MODE_COMPACT), "compact");
}

static void test_asan_msan_exclusive(void **state) {
  (void)state;
  expect_error((char *[]){"AFL_USE_ASAN=1", "AFL_USE_MSAN=1", NULL},
               "AFL_USE_ASAN and AFL_USE_MSAN are mutually exclusive; set only "
               "one");
  struct cc_options o =
      expect_ok((char *[]){"AFL_USE_ASAN=1", "AFL_USE_MSAN=0", NULL});
  assert_true(o.asan);
  assert_false(o.msan);
}

static void test_unknown_variables(void **state) {
  (void)state;
  char *envp[] = {
      "AFL_HARDEN=1",       "AFL_HARDN=1",        "PATH=/bin",
      "AFL_SKIP_CPUFREQ=1", "AFL_LLVM_LAF_ALL=1", "AFL_MAP_SIZE=65536",
      "AFL_NO_UI=1",        "XAFL_FOO=1",         NULL};
  size_t pos = 0;
  assert_string_equal(cc_env_next_unknown(envp, &pos), "AFL_HARDN=1");
  /* An AFL++ feature lop lacks is not a misspelling (the build is refused
     for it instead; see test_missing_features_refused). */
  assert_null(cc_env_next_unknown(envp, &pos));
  assert_true(cc_env_is_known("AFL_INST_RATIO"));  /* from envs.def */
  assert_true(cc_env_is_known("AFL_SEED"));        /* read by the pass */
  assert_true(cc_env_is_known("AFL_NO_AFFINITY")); /* read by afl-fuzz */
  assert_false(cc_env_is_known("AFL_INST"));
  assert_false(cc_env_is_known("AFL_INST_RATIOS"));
}

/* A build asking for an AFL++ feature lop lacks is refused in words that
   name the feature, not the user's spelling. */
static void test_missing_features_refused(void **state) {
  (void)state;
  expect_error((char *[]){"AFL_LLVM_CMPLOG=1", NULL},
               "AFL_LLVM_CMPLOG=1 asks for an AFL++ feature lop does not "
               "have: CmpLog comparison logging (afl-fuzz -c); unset it, or "
               "build this target with AFL++'s compiler");
  expect_error((char *[]){"AFL_LLVM_ALLOWLIST=/tmp/list", NULL},
               "AFL_LLVM_ALLOWLIST=/tmp/list asks for an AFL++ feature lop "
               "does not have: instrumenting only the files and functions of "
               "a list; unset it, or build this target with AFL++'s compiler");
  expect_ok((char *[]){"AFL_LLVM_CMPLOG=0", "AFL_LLVM_LAF_ALL=", NULL});
  assert_true(cc_env_is_known("AFL_LLVM_CMPLOG"));
  assert_null(cc_env_missing_feature("AFL_USE_ASAN"));
}

/* Every row of the table is refused when set, and none is also a variable
   lop reads (a feature that lands must leave the table). */
static void test_every_missing_row_refused(void **state) {
  (void)state;
  static const char *const names[] = {
#define LOP_ENV_MISSING(name, feature) #name,
#include "envs_missing.def"
  };
  static const char *const read_by_lop[] = {
#define LOP_ENV(name, reader, help) #name,
#include "envs.def"
  };
  for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++) {
    char var[128];
    snprintf(var, sizeof(var), "%s=1", names[i]);
    struct cc_options o;
    char *err = NULL;
    assert_int_equal(cc_options_read((char *[]){var, NULL}, &o, &err), -1);
    assert_non_null(strstr(err, "an AFL++ feature lop does not have: "));
    assert_non_null(strstr(err, cc_env_missing_feature(names[i])));
    free(err);
    for (size_t j = 0; j < sizeof(read_by_lop) / sizeof(*read_by_lop); j++)
      assert_string_not_equal(names[i], read_by_lop[j]);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_defaults),
      cmocka_unit_test(test_set_means_nonempty_and_not_zero),
      cmocka_unit_test(test_inst_ratio),
      cmocka_unit_test(test_modes),
      cmocka_unit_test(test_asan_msan_exclusive),
      cmocka_unit_test(test_unknown_variables),
      cmocka_unit_test(test_missing_features_refused),
      cmocka_unit_test(test_every_missing_row_refused),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
