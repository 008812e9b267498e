/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Unit tests of afl-showmap's option parser (tools/showmap/opts.c): values,
 * switches, every error line, -h, the environment switches, and parsing
 * twice in one process (as the self-fuzzing harness does).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "config.h"
#include "showmap/opts.h"

#include <stdlib.h>
#include <string.h>

/* The environment the parser sees: one variable, or none. */
static const char *env_name, *env_value;

static const char *fake_getenv(const char *name) {
  return env_name && strcmp(name, env_name) == 0 ? env_value : NULL;
}

#define PARSE(o, err, ...)                                                     \
  showmap_opts_parse((int)(sizeof((char *[]){__VA_ARGS__}) / sizeof(char *)),  \
                     (char *[]){__VA_ARGS__, NULL}, fake_getenv, o, err)

/* Parses and expects an error containing want. */
#define EXPECT_ERROR(want, ...)                                                \
  do {                                                                         \
    struct showmap_opts o_;                                                    \
    char *err_ = NULL;                                                         \
    assert_int_equal(PARSE(&o_, &err_, __VA_ARGS__), SHOWMAP_ERROR);           \
    assert_non_null(err_);                                                     \
    assert_non_null(strstr(err_, want));                                       \
    free(err_);                                                                \
  } while (0)

static void test_values_and_switches(void **state) {
  (void)state;
  struct showmap_opts o;
  char *err;
  assert_int_equal(PARSE(&o, &err, "afl-showmap", "-o", "-", "-t", "250", "-m",
                         "none", "-e", "-Z", "--", "./t", "@@"),
                   SHOWMAP_RUN);
  assert_string_equal(o.out, "-");
  assert_int_equal(o.timeout_ms, 250);
  assert_int_equal(o.mem_mb, 0);
  assert_true(o.edges && o.cmin && o.quiet);
  assert_string_equal(o.argv[0], "./t");
  assert_string_equal(o.argv[1], "@@");
  /* A second parse starts over (getopt reset). */
  assert_int_equal(PARSE(&o, &err, "afl-showmap", "-o", "x", "./t"),
                   SHOWMAP_RUN);
  assert_int_equal(o.timeout_ms, EXEC_TIMEOUT_MS);
  assert_false(o.edges);
}

static void test_help(void **state) {
  (void)state;
  struct showmap_opts o;
  char *err;
  assert_int_equal(PARSE(&o, &err, "afl-showmap", "-h"), SHOWMAP_HELP);
}

static void test_errors(void **state) {
  (void)state;
  EXPECT_ERROR("unknown option '-y'", "afl-showmap", "-y", "-o", "x", "./t");
  EXPECT_ERROR("option -o needs a value", "afl-showmap", "-o");
  EXPECT_ERROR("bad value '0' for -t", "afl-showmap", "-t", "0", "-o", "x",
               "./t");
  EXPECT_ERROR("bad value '-1' for -m", "afl-showmap", "-m", "-1", "-o", "x",
               "./t");
  EXPECT_ERROR("no target given", "afl-showmap", "-o", "x");
  EXPECT_ERROR("no output given", "afl-showmap", "./t");
  EXPECT_ERROR("-C needs -i dir", "afl-showmap", "-C", "-o", "x", "./t");
  EXPECT_ERROR("-H and -f both", "afl-showmap", "-i", "d", "-H", "a", "-f", "b",
               "-o", "x", "./t");
}

static void test_environment(void **state) {
  (void)state;
  struct showmap_opts o;
  char *err;
  env_name = "AFL_MAP_SIZE";
  env_value = "131072";
  assert_int_equal(PARSE(&o, &err, "afl-showmap", "-o", "x", "./t"),
                   SHOWMAP_RUN);
  assert_int_equal(o.map_size, 131072);
  env_value = "1";
  EXPECT_ERROR("bad value '1' for AFL_MAP_SIZE", "afl-showmap", "-o", "x",
               "./t");
  env_name = "AFL_CMIN_ALLOW_ANY";
  assert_int_equal(PARSE(&o, &err, "afl-showmap", "-o", "x", "./t"),
                   SHOWMAP_RUN);
  assert_true(o.allow_any);
  env_name = NULL;
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_values_and_switches),
      cmocka_unit_test(test_help),
      cmocka_unit_test(test_errors),
      cmocka_unit_test(test_environment),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
