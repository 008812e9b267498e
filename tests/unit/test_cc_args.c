/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Unit tests of the wrapper's argument vector (afl-cc/args.c) and of
 * response-file splitting and expansion (afl-cc/rsp.c), with real files in
 * a temporary directory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "args.h"
#include "rsp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Fails the test unless got holds exactly the NULL-terminated want. */
static void assert_args(const struct cc_args *got, const char *const *want) {
  size_t n = 0;
  while (want[n])
    n++;
  for (size_t i = 0; i < got->n && i < n; i++)
    assert_string_equal(got->v[i], want[i]);
  assert_int_equal(got->n, n);
  if (got->v)
    assert_null(got->v[got->n]);
}

/* Writes text to path, failing the test on error. */
static void write_file(const char *path, const char *text) {
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
}

static void test_push_copies_and_terminates(void **state) {
  (void)state;
  struct cc_args a;
  cc_args_init(&a);
  char buf[8] = "abc";
  assert_int_equal(cc_args_push(&a, buf), 0);
  buf[0] = 'X'; /* the vector owns a copy */
  assert_int_equal(cc_args_pushf(&a, "-O%d", 3), 0);
  for (int i = 0; i < 40; i++) /* grows past the first allocation */
    cc_args_push(&a, "x");
  assert_int_equal(a.n, 42);
  assert_string_equal(a.v[0], "abc");
  assert_string_equal(a.v[1], "-O3");
  assert_null(a.v[42]);
  assert_false(a.oom);
  cc_args_free(&a);
  assert_int_equal(a.n, 0);
  assert_null(a.v);
}

static void test_push_view(void **state) {
  (void)state;
  char *src[] = {"-c", "a.c"};
  struct cc_view v = {src, 2};
  struct cc_args a;
  cc_args_init(&a);
  cc_args_push(&a, "clang");
  assert_int_equal(cc_args_push_view(&a, v), 0);
  assert_args(&a, (const char *[]){"clang", "-c", "a.c", NULL});
  cc_args_free(&a);
}

/* Splits text and compares with want. */
static void check_split(const char *text, const char *const *want) {
  struct cc_args a;
  cc_args_init(&a);
  assert_int_equal(cc_rsp_split(text, &a), 0);
  assert_args(&a, want);
  cc_args_free(&a);
}

static void test_split_gnu_quoting(void **state) {
  (void)state;
  check_split("", (const char *[]){NULL});
  check_split("  \n\t ", (const char *[]){NULL});
  check_split("-c  a.c\n-o\tb.o\n",
              (const char *[]){"-c", "a.c", "-o", "b.o", NULL});
  check_split("'a b' \"c d\"", (const char *[]){"a b", "c d", NULL});
  check_split("a\\ b", (const char *[]){"a b", NULL});
  check_split("\"x\\\"y\"", (const char *[]){"x\"y", NULL});
  check_split("'x\\y'", (const char *[]){"x\\y", NULL});
  check_split("-DA='1 2'B", (const char *[]){"-DA=1 2B", NULL});
  check_split("'' \"\"", (const char *[]){"", "", NULL});
  check_split("trailing\\", (const char *[]){"trailing\\", NULL});
}

static void test_expand_plain_and_nested(void **state) {
  (void)state;
  char dir[] = "/tmp/lop-rsp-XXXXXX";
  assert_non_null(mkdtemp(dir));
  char outer[64], inner[64], arg[80];
  snprintf(outer, sizeof(outer), "%s/outer.rsp", dir);
  snprintf(inner, sizeof(inner), "%s/inner.rsp", dir);
  char text[128];
  snprintf(text, sizeof(text), "-O2 @%s 'x y.c'", inner);
  write_file(outer, text);
  write_file(inner, "-c -o out.o");
  snprintf(arg, sizeof(arg), "@%s", outer);
  char *src[] = {"-g", arg, "@/nonexistent/lop.rsp", "@"};
  struct cc_args a;
  cc_args_init(&a);
  assert_int_equal(cc_rsp_expand((struct cc_view){src, 4}, &a), 0);
  assert_args(&a, (const char *[]){"-g", "-O2", "-c", "-o", "out.o", "x y.c",
                                   "@/nonexistent/lop.rsp", "@", NULL});
  cc_args_free(&a);
  unlink(outer);
  unlink(inner);
  rmdir(dir);
}

static void test_expand_self_reference_is_bounded(void **state) {
  (void)state;
  char dir[] = "/tmp/lop-rsp-XXXXXX";
  assert_non_null(mkdtemp(dir));
  char path[64], text[80];
  snprintf(path, sizeof(path), "%s/loop.rsp", dir);
  snprintf(text, sizeof(text), "-c @%s", path);
  write_file(path, text);
  char *src[] = {text + 3};
  struct cc_args a;
  cc_args_init(&a);
  assert_int_equal(cc_rsp_expand((struct cc_view){src, 1}, &a), 0);
  /* RSP_MAX_DEPTH levels of "-c", then the @file stays literal. */
  assert_int_equal(a.n, RSP_MAX_DEPTH + 1);
  assert_string_equal(a.v[0], "-c");
  assert_string_equal(a.v[a.n - 1], text + 3);
  cc_args_free(&a);
  unlink(path);
  rmdir(dir);
}

static void test_expand_directory_stays_literal(void **state) {
  (void)state;
  char *src[] = {"@/tmp"};
  struct cc_args a;
  cc_args_init(&a);
  assert_int_equal(cc_rsp_expand((struct cc_view){src, 1}, &a), 0);
  assert_args(&a, (const char *[]){"@/tmp", NULL});
  cc_args_free(&a);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_push_copies_and_terminates),
      cmocka_unit_test(test_push_view),
      cmocka_unit_test(test_split_gnu_quoting),
      cmocka_unit_test(test_expand_plain_and_nested),
      cmocka_unit_test(test_expand_self_reference_is_bounded),
      cmocka_unit_test(test_expand_directory_stays_literal),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
