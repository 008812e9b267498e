/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Unit tests of fuzz/cli.c: every option and its value forms, the target's
 * command line after "--" or the first non-option, the AFL_* variables
 * through a table instead of the real environment, and one test per
 * error with its message.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <string.h>

#include "cli.h"

static const char *const *test_env;

/* getenv over test_env ("NAME=VALUE" strings, NULL-terminated). */
static const char *fake_get(const char *name) {
  size_t n = strlen(name);
  for (size_t i = 0; test_env && test_env[i]; i++)
    if (strncmp(test_env[i], name, n) == 0 && test_env[i][n] == '=')
      return test_env[i] + n + 1;
  return NULL;
}

static char err[512];

static enum cli_result parse(struct fz_opts *o, const char *const *argv,
                             const char *const *env) {
  int argc = 0;
  while (argv[argc])
    argc++;
  test_env = env;
  err[0] = 0;
  return cli_parse(argc, (char **)argv, fake_get, o, err, sizeof(err));
}

static void test_everyday_options(void **state) {
  (void)state;
  struct fz_opts o;
  const char *argv[] = {"lop-fuzz", "-i",      "in",     "-o",  "out", "-M",
                        "main1",    "-x",      "a.dict", "-x",  "dir", "-t",
                        "200+",     "-m",      "64",     "-V",  "30",  "-E",
                        "1000",     "-s",      "42",     "-f",  "cur", "-D",
                        "-p",       "explore", "--",     "./t", "@@",  NULL};
  assert_int_equal(parse(&o, argv, NULL), CLI_RUN);
  assert_string_equal(o.in_dir, "in");
  assert_string_equal(o.out_dir, "out");
  assert_string_equal(o.name, "main1");
  assert_true(o.is_main && !o.is_secondary);
  assert_int_equal(o.n_dicts, 2);
  assert_string_equal(o.dicts[1], "dir");
  assert_int_equal(o.timeout_ms, 200);
  assert_true(o.skip_slow);
  assert_int_equal(o.mem_mb, 64);
  assert_int_equal(o.max_secs, 30);
  assert_int_equal(o.max_execs, 1000);
  assert_true(o.seed_given && o.seed == 42);
  assert_string_equal(o.file, "cur");
  assert_true(o.det);
  assert_int_equal(o.sched, SCHED_EXPLORE);
  assert_string_equal(o.argv[0], "./t");
  assert_string_equal(o.argv[1], "@@");
  assert_null(o.argv[2]);
}

static void test_defaults_and_attached_values(void **state) {
  (void)state;
  struct fz_opts o;
  const char *argv[] = {"lop-fuzz", "-iin", "-oout", "-t50",
                        "-Sworker", "./t",  "-x",    NULL};
  assert_int_equal(parse(&o, argv, NULL), CLI_RUN);
  assert_string_equal(o.in_dir, "in");
  assert_int_equal(o.timeout_ms, 50);
  assert_false(o.skip_slow);
  assert_true(o.is_secondary);
  /* The target's own options are not lop-fuzz's. */
  assert_string_equal(o.argv[1], "-x");
  assert_int_equal(o.sched, SCHED_FAST);
  assert_int_equal(o.crash_exitcode, -1);
  assert_int_equal(o.mem_mb, 0);
  const char *argv2[] = {"lop-fuzz", "-i", "s", "-o", "o", "./t", NULL};
  assert_int_equal(parse(&o, argv2, NULL), CLI_RUN);
  assert_string_equal(o.name, "default");
  assert_false(o.is_main || o.is_secondary);
}

static void test_resume_and_help(void **state) {
  (void)state;
  struct fz_opts o;
  const char *argv[] = {"lop-fuzz", "-i", "-", "-o", "o", "./t", NULL};
  assert_int_equal(parse(&o, argv, NULL), CLI_RUN);
  assert_true(o.resume);
  assert_null(o.in_dir);
  const char *h[] = {"lop-fuzz", "-h", NULL};
  assert_int_equal(parse(&o, h, NULL), CLI_HELP);
  assert_non_null(strstr(cli_usage(), "-i dir"));
}

static void test_environment(void **state) {
  (void)state;
  struct fz_opts o;
  const char *argv[] = {"lop-fuzz", "-i", "s", "-o", "o", "./t", NULL};
  const char *env[] = {
      "AFL_NO_UI=1",          "AFL_AUTORESUME=1",   "AFL_BENCH_UNTIL_CRASH=1",
      "AFL_EXIT_WHEN_DONE=0", "AFL_MAP_SIZE=1000",  "AFL_HANG_TMOUT=5000",
      "AFL_CRASH_EXITCODE=7", "AFL_SYNC_TIME=2",    "AFL_TMPDIR=/dev/shm",
      "AFL_IMPORT_FIRST=1",   "AFL_SKIP_CPUFREQ=1", NULL};
  assert_int_equal(parse(&o, argv, env), CLI_RUN);
  assert_true(o.no_ui && o.autoresume && o.bench_until_crash);
  assert_false(o.exit_when_done);     /* "0" is off */
  assert_int_equal(o.map_size, 1024); /* rounded up to 64 */
  assert_int_equal(o.hang_tmout_ms, 5000);
  assert_int_equal(o.crash_exitcode, 7);
  assert_int_equal(o.sync_secs, 120);
  assert_string_equal(o.tmpdir, "/dev/shm");
  assert_true(o.import_first);
}

/* Each bad command line: CLI_ERROR and a message naming the problem. */
static void expect_error(const char *const *argv, const char *const *env,
                         const char *text) {
  struct fz_opts o;
  assert_int_equal(parse(&o, argv, env), CLI_ERROR);
  if (!strstr(err, text))
    fail_msg("message '%s' lacks '%s'", err, text);
}

static void test_errors(void **state) {
  (void)state;
  const char *no_in[] = {"lop-fuzz", "-o", "o", "./t", NULL};
  expect_error(no_in, NULL, "no seed directory");
  const char *no_out[] = {"lop-fuzz", "-i", "i", "./t", NULL};
  expect_error(no_out, NULL, "no output directory");
  const char *no_target[] = {"lop-fuzz", "-i", "i", "-o", "o", "--", NULL};
  expect_error(no_target, NULL, "no target");
  const char *unknown[] = {"lop-fuzz", "-q", "-i", "i", NULL};
  expect_error(unknown, NULL, "unknown option -q");
  const char *missing[] = {"lop-fuzz", "-i", "i", "-o", NULL};
  expect_error(missing, NULL, "-o needs a value");
  const char *bad_t[] = {"lop-fuzz", "-t", "0", NULL};
  expect_error(bad_t, NULL, "-t needs a timeout");
  const char *big_t[] = {"lop-fuzz", "-t", "4000000000", NULL};
  expect_error(big_t, NULL, "-t needs a timeout");
  const char *bad_m[] = {"lop-fuzz", "-m", "lots", NULL};
  expect_error(bad_m, NULL, "-m needs a limit");
  const char *bad_p[] = {"lop-fuzz", "-p", "quick", NULL};
  expect_error(bad_p, NULL, "not a schedule");
  const char *bad_name[] = {"lop-fuzz", "-M", "a/b", NULL};
  expect_error(bad_name, NULL, "-M name 'a/b'");
  const char *two[] = {"lop-fuzz", "-M", "a", "-S", "b", NULL};
  expect_error(two, NULL, "only once");
  const char *bad_e[] = {"lop-fuzz", "-E", "-5", NULL};
  expect_error(bad_e, NULL, "-E needs a positive number");
  const char *ok[] = {"lop-fuzz", "-i", "i", "-o", "o", "./t", NULL};
  const char *map[] = {"AFL_MAP_SIZE=9999999999", NULL};
  expect_error(ok, map, "AFL_MAP_SIZE must be");
  const char *code[] = {"AFL_CRASH_EXITCODE=300", NULL};
  expect_error(ok, code, "AFL_CRASH_EXITCODE must be");
  const char *hang[] = {"AFL_HANG_TMOUT=x", NULL};
  expect_error(ok, hang, "AFL_HANG_TMOUT must be");
}

static void test_cmplog_option(void **state) {
  (void)state;
  struct fz_opts o;
  const char *argv[] = {"lop-fuzz", "-i", "s", "-o", "o", "./t", NULL};
  assert_int_equal(parse(&o, argv, NULL), CLI_RUN);
  assert_null(o.cmplog);
  assert_ptr_equal(o.fuzz_argv, argv);
  const char *c[] = {"lop-fuzz", "-c", "./t.cmplog", "-i",  "s",
                     "-o",       "o",  "--",         "./t", NULL};
  assert_int_equal(parse(&o, c, NULL), CLI_RUN);
  assert_string_equal(o.cmplog, "./t.cmplog");
  assert_string_equal(o.argv[0], "./t");
  const char *zero[] = {"lop-fuzz", "-c0", "-i", "s", "-o", "o", "./t", NULL};
  assert_int_equal(parse(&o, zero, NULL), CLI_RUN);
  assert_string_equal(o.cmplog, "0");
  const char *empty[] = {"lop-fuzz", "-c", "", "-i", "s", NULL};
  expect_error(empty, NULL, "-c needs the CmpLog build");
  const char *missing[] = {"lop-fuzz", "-c", NULL};
  expect_error(missing, NULL, "-c needs a value");
  assert_non_null(strstr(cli_usage(), "-c prog"));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_everyday_options),
      cmocka_unit_test(test_defaults_and_attached_values),
      cmocka_unit_test(test_resume_and_help),
      cmocka_unit_test(test_environment),
      cmocka_unit_test(test_errors),
      cmocka_unit_test(test_cmplog_option),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
