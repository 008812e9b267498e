/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Unit tests of lop-fuzz --diff's pure parts: the output digest, what
 * agrees (and the options that loosen it), the partition into groups, the
 * pattern findings are de-duplicated by, the set of patterns, the report
 * text, and the command line with one "--" per implementation.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "diff_cmp.h"

static const struct diff_cmp_opts strict = {false, false};

static struct diff_res ok_out(int code, const char *out) {
  struct diff_res r = {.kind = DIFF_OK, .code = code};
  r.out_len = (uint32_t)strlen(out);
  r.digest = diff_digest((const uint8_t *)out, r.out_len);
  return r;
}

static struct diff_res crash(int sig) {
  return (struct diff_res){.kind = DIFF_CRASH, .code = sig};
}

/* Equal bytes give equal digests; any change of a byte, of the length or
   of a zero tail gives another. */
static void test_digest(void **state) {
  (void)state;
  uint8_t a[40] = {0}, b[40] = {0};
  assert_true(diff_digest(a, 40) == diff_digest(b, 40));
  assert_true(diff_digest(a, 39) != diff_digest(a, 40));
  assert_true(diff_digest(a, 0) != diff_digest(a, 1));
  for (size_t i = 0; i < sizeof(b); i++) {
    b[i] = 1;
    assert_true(diff_digest(a, 40) != diff_digest(b, 40));
    b[i] = 0;
  }
}

static void test_agree(void **state) {
  (void)state;
  struct diff_res a = ok_out(0, "2\n"), b = ok_out(0, "2\n"),
                  c = ok_out(0, "3\n"), d = ok_out(1, "2\n");
  assert_true(diff_agree(&a, &b, &strict));
  assert_false(diff_agree(&a, &c, &strict));
  assert_false(diff_agree(&a, &d, &strict));
  struct diff_cmp_opts verdicts = {.verdicts_only = true};
  assert_true(diff_agree(&a, &c, &verdicts));
  assert_false(diff_agree(&a, &d, &verdicts));
  struct diff_cmp_opts no_exit = {.ignore_exit = true};
  assert_true(diff_agree(&a, &d, &no_exit));
  assert_false(diff_agree(&a, &c, &no_exit));
  struct diff_res s = crash(SIGSEGV), s2 = crash(SIGSEGV), ab = crash(SIGABRT);
  assert_true(diff_agree(&s, &s2, &strict));
  assert_false(diff_agree(&s, &ab, &strict));
  assert_false(diff_agree(&s, &a, &verdicts));
  struct diff_res h = {.kind = DIFF_HANG}, h2 = {.kind = DIFF_HANG, .code = 3};
  assert_true(diff_agree(&h, &h2, &strict));
}

static void test_partition(void **state) {
  (void)state;
  struct diff_res r[4] = {ok_out(0, "1"), ok_out(0, "2"), ok_out(0, "1"),
                          crash(SIGSEGV)};
  uint8_t g[4];
  assert_int_equal(diff_partition(r, 4, &strict, g), 3);
  assert_int_equal(g[0], 0);
  assert_int_equal(g[1], 1);
  assert_int_equal(g[2], 0);
  assert_int_equal(g[3], 2);
  struct diff_res same[2] = {ok_out(0, "x"), ok_out(0, "x")};
  assert_int_equal(diff_partition(same, 2, &strict, g), 1);
}

/* Inputs that split the implementations the same way with the same
   verdicts are one pattern, whatever the outputs; another split, another
   signal or another exit code is another. */
static void test_pattern(void **state) {
  (void)state;
  uint8_t g1[2], g2[2], g3[2];
  struct diff_res a[2] = {ok_out(0, "1"), ok_out(0, "2")};
  struct diff_res b[2] = {ok_out(0, "7"), ok_out(0, "8")};
  struct diff_res c[2] = {ok_out(0, "1"), crash(SIGSEGV)};
  diff_partition(a, 2, &strict, g1);
  diff_partition(b, 2, &strict, g2);
  diff_partition(c, 2, &strict, g3);
  uint64_t pa = diff_pattern(a, g1, 2, &strict);
  assert_true(pa != 0);
  assert_true(pa == diff_pattern(b, g2, 2, &strict));
  assert_true(pa != diff_pattern(c, g3, 2, &strict));
  struct diff_res d[2] = {ok_out(0, "1"), crash(SIGABRT)};
  assert_true(diff_pattern(c, g3, 2, &strict) !=
              diff_pattern(d, g3, 2, &strict));
  struct diff_res e[2] = {ok_out(1, "1"), ok_out(0, "2")};
  assert_true(pa != diff_pattern(e, g1, 2, &strict));
  struct diff_cmp_opts no_exit = {.ignore_exit = true};
  assert_true(diff_pattern(a, g1, 2, &no_exit) ==
              diff_pattern(e, g1, 2, &no_exit));
}

/* Each key is new once; the set grows past its first size. */
static void test_seen(void **state) {
  (void)state;
  struct diff_seen s = {0};
  for (uint64_t k = 1; k <= 1000; k++)
    assert_true(diff_seen_add(&s, k * 0x9e3779b97f4a7c15ULL));
  for (uint64_t k = 1; k <= 1000; k++)
    assert_false(diff_seen_add(&s, k * 0x9e3779b97f4a7c15ULL));
  assert_int_equal(s.n, 1000);
  diff_seen_free(&s);
}

static void test_verdict_text(void **state) {
  (void)state;
  char b[64];
  struct diff_res r = ok_out(3, "");
  diff_verdict_text(b, sizeof(b), &r);
  assert_string_equal(b, "ok, exit 3");
  r = crash(SIGSEGV);
  diff_verdict_text(b, sizeof(b), &r);
  assert_string_equal(b, "crash, signal 11 (SEGV)");
  r = (struct diff_res){.kind = DIFF_CRASH, .exit_code = 7};
  diff_verdict_text(b, sizeof(b), &r);
  assert_string_equal(b, "crash, exit 7");
  r = (struct diff_res){.kind = DIFF_HANG};
  diff_verdict_text(b, sizeof(b), &r);
  assert_string_equal(b, "hang");
}

/* The report names the finding, the groups and who said what. */
static void test_report(void **state) {
  (void)state;
  struct diff_res r[3] = {ok_out(0, "2\n"), ok_out(0, "1\n"), ok_out(0, "2\n")};
  r[1].declared = false;
  r[0].declared = r[2].declared = true;
  r[2].truncated = true;
  uint8_t g[3];
  diff_partition(r, 3, &strict, g);
  char *a1[] = {"./a", "@@", NULL}, *a2[] = {"./b", NULL},
       *a3[] = {"./c", NULL};
  char **const argv[] = {a1, a2, a3};
  struct diff_report_info info = {
      .id = "id:000004", .input_len = 3, .pattern = 0xabc, .argv = argv};
  char *text = NULL;
  size_t n = 0;
  FILE *f = open_memstream(&text, &n);
  assert_true(diff_report(f, &info, r, g, 3));
  fclose(f);
  char want[1024];
  snprintf(want, sizeof(want),
           "finding: id:000004\n"
           "input: 3 bytes (input)\n"
           "pattern: 0000000000000abc\n"
           "verdict: the 3 implementations disagree: 2 groups\n"
           "group A: impl 1 impl 3\n"
           "  impl 1: ok, exit 0; 2 bytes of declared output (output.1), "
           "digest %016llx\n"
           "          ./a @@\n"
           "  impl 3: ok, exit 0; 2 bytes of declared output, truncated "
           "(output.3), digest %016llx\n"
           "          ./c\n"
           "group B: impl 2\n"
           "  impl 2: ok, exit 0; 2 bytes of stdout (output.2), digest "
           "%016llx\n"
           "          ./b\n",
           (unsigned long long)r[0].digest, (unsigned long long)r[2].digest,
           (unsigned long long)r[1].digest);
  assert_string_equal(text, want);
  free(text);
}

static char err[512];

static const char *no_env(const char *name) {
  (void)name;
  return NULL;
}

static enum cli_result parse(struct fz_opts *o, char **argv) {
  int argc = 0;
  while (argv[argc])
    argc++;
  err[0] = 0;
  return cli_parse(argc, argv, no_env, o, err, sizeof(err));
}

static void test_cli(void **state) {
  (void)state;
  struct fz_opts o;
  char *argv[] = {"lop-fuzz",
                  "--diff",
                  "-i",
                  "in",
                  "-o",
                  "out",
                  "--diff-ignore-exit",
                  "--diff-verdicts",
                  "--",
                  "./a",
                  "@@",
                  "--",
                  "./b",
                  "-x",
                  "--",
                  "./c",
                  NULL};
  assert_int_equal(parse(&o, argv), CLI_RUN);
  assert_true(o.diff && o.diff_ignore_exit && o.diff_verdicts);
  assert_int_equal(o.n_impls, 3);
  assert_string_equal(o.impls[0][0], "./a");
  assert_string_equal(o.impls[0][1], "@@");
  assert_null(o.impls[0][2]);
  assert_string_equal(o.impls[1][1], "-x");
  assert_null(o.impls[1][2]);
  assert_string_equal(o.impls[2][0], "./c");
  assert_ptr_equal(o.argv, o.impls[0]);
  char *replay[] = {"lop-fuzz", "--diff-replay", "d/id:000000", "--", "./a",
                    "--",       "./b",           NULL};
  assert_int_equal(parse(&o, replay), CLI_RUN);
  assert_string_equal(o.diff_replay, "d/id:000000");
  assert_int_equal(o.n_impls, 2);
}

static void test_cli_errors(void **state) {
  (void)state;
  struct fz_opts o;
  char *one[] = {"lop-fuzz", "--diff", "-i",  "in", "-o",
                 "out",      "--",     "./a", NULL};
  assert_int_equal(parse(&o, one), CLI_ERROR);
  assert_non_null(strstr(err, "--diff needs at least two implementations"));
  char *empty[] = {"lop-fuzz", "--diff", "-i",  "in", "-o",
                   "out",      "--",     "./a", "--", NULL};
  assert_int_equal(parse(&o, empty), CLI_ERROR);
  assert_non_null(strstr(err, "implementation 2 has an empty command line"));
  char *none[] = {"lop-fuzz", "--diff", "-i", "in", "-o", "out", NULL};
  assert_int_equal(parse(&o, none), CLI_ERROR);
  assert_non_null(strstr(err, "needs at least two"));
  char *bad[] = {"lop-fuzz", "--diffs", "-i", "in", NULL};
  assert_int_equal(parse(&o, bad), CLI_ERROR);
  assert_string_equal(err, "unknown option --diffs; see lop-fuzz -h");
  char *noval[] = {"lop-fuzz", "--diff-replay", NULL};
  assert_int_equal(parse(&o, noval), CLI_ERROR);
  assert_non_null(strstr(err, "--diff-replay needs a finding directory"));
  char *many[] = {"lop-fuzz", "--diff", "-i", "in", "-o", "out", "--",
                  "a",        "--",     "a",  "--", "a",  "--",  "a",
                  "--",       "a",      "--", "a",  "--", "a",   "--",
                  "a",        "--",     "a",  NULL};
  assert_int_equal(parse(&o, many), CLI_ERROR);
  assert_non_null(strstr(err, "at most 8 implementations"));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_digest),     cmocka_unit_test(test_agree),
      cmocka_unit_test(test_partition),  cmocka_unit_test(test_pattern),
      cmocka_unit_test(test_seen),       cmocka_unit_test(test_verdict_text),
      cmocka_unit_test(test_report),     cmocka_unit_test(test_cli),
      cmocka_unit_test(test_cli_errors),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
