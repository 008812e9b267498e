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

/* A temporary directory the expansion tests write their files into. */
static char rsp_dir[64];

static int make_rsp_dir(void **state) {
  (void)state;
  snprintf(rsp_dir, sizeof(rsp_dir), "/tmp/lop-rsp-XXXXXX");
  return mkdtemp(rsp_dir) ? 0 : -1;
}

static int remove_rsp_dir(void **state) {
  (void)state;
  char cmd[96];
  snprintf(cmd, sizeof(cmd), "rm -rf '%s'", rsp_dir);
  return system(cmd) == 0 ? 0 : -1;
}

/* "@<rsp_dir>/name" into buf (size 128). */
static char *ref(char *buf, const char *name) {
  snprintf(buf, 128, "@%s/%s", rsp_dir, name);
  return buf;
}

/* Writes the printf-formatted text to rsp_dir/name. */
__attribute__((format(printf, 2, 3))) static void put(const char *name,
                                                      const char *fmt, ...) {
  char path[128], text[4096];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(text, sizeof(text), fmt, ap);
  va_end(ap);
  snprintf(path, sizeof(path), "%s/%s", rsp_dir, name);
  write_file(path, text);
}

/* Expands the one argument arg into a (initialised here); returns what
   cc_rsp_expand returned, with its message (or NULL) in *err. */
static int expand1(const char *arg, struct cc_args *a, char **err) {
  char *src[] = {(char *)arg};
  cc_args_init(a);
  *err = NULL;
  return cc_rsp_expand((struct cc_view){src, 1}, a, err);
}

static void test_expand_plain_and_nested(void **state) {
  (void)state;
  char outer[128], inner[128];
  put("inner.rsp", "-c -o out.o");
  put("outer.rsp", "-O2 %s 'x y.c'", ref(inner, "inner.rsp"));
  char *src[] = {"-g", ref(outer, "outer.rsp"), "@/nonexistent/lop.rsp", "@"};
  struct cc_args a;
  cc_args_init(&a);
  char *err = NULL;
  assert_int_equal(cc_rsp_expand((struct cc_view){src, 4}, &a, &err), 0);
  assert_args(&a, (const char *[]){"-g", "-O2", "-c", "-o", "out.o", "x y.c",
                                   "@/nonexistent/lop.rsp", "@", NULL});
  cc_args_free(&a);
}

/* clang 14 leaves a reference to a file it is inside literal (and reports
   it as a missing input; clang 19 stops with "recursive expansion of"); the
   wrapper must see the same arguments, and clang then says which. */
static void test_expand_file_naming_itself(void **state) {
  (void)state;
  char r[128];
  put("self.rsp", "-c %s -O1", ref(r, "self.rsp"));
  struct cc_args a;
  char *err;
  assert_int_equal(expand1(r, &a, &err), 0);
  assert_args(&a, (const char *[]){"-c", r, "-O1", NULL});
  cc_args_free(&a);
}

/* The same file under another name (./ in the path) is still the same
   file: identity is device and inode, not the spelling. */
static void test_expand_two_files_naming_each_other(void **state) {
  (void)state;
  char ra[128], rb[128], again[160];
  ref(ra, "a.rsp");
  snprintf(again, sizeof(again), "@%s/./a.rsp", rsp_dir);
  put("a.rsp", "-DA %s", ref(rb, "b.rsp"));
  put("b.rsp", "-DB %s", again);
  struct cc_args a;
  char *err;
  assert_int_equal(expand1(ra, &a, &err), 0);
  assert_args(&a, (const char *[]){"-DA", "-DB", again, NULL});
  cc_args_free(&a);
}

/* k references to itself: read once, k literal references (the old
   expander read the file about k^16 times). */
static void test_expand_k_self_references(void **state) {
  (void)state;
  enum { K = 8 };
  char r[128], text[4096] = "";
  ref(r, "k.rsp");
  for (int i = 0; i < K; i++)
    snprintf(text + strlen(text), sizeof(text) - strlen(text), "%s\n", r);
  put("k.rsp", "%s", text);
  struct cc_args a;
  char *err;
  assert_int_equal(expand1(r, &a, &err), 0);
  assert_int_equal(a.n, K);
  for (size_t i = 0; i < a.n; i++)
    assert_string_equal(a.v[i], r);
  cc_args_free(&a);
}

/* A file named twice side by side (not inside itself) is expanded twice,
   as clang does. */
static void test_expand_sibling_references_both_expand(void **state) {
  (void)state;
  char r[128];
  put("twice.rsp", "-g");
  char *src[] = {ref(r, "twice.rsp"), r};
  struct cc_args a;
  cc_args_init(&a);
  char *err = NULL;
  assert_int_equal(cc_rsp_expand((struct cc_view){src, 2}, &a, &err), 0);
  assert_args(&a, (const char *[]){"-g", "-g", NULL});
  cc_args_free(&a);
}

/* Writes chain<i>.rsp for i in [0, n): 100 arguments each, the last
   without a further reference. */
static void write_chain(unsigned n) {
  char name[32], next[128], text[2048];
  for (unsigned i = 0; i < n; i++) {
    text[0] = '\0';
    for (int j = 0; j < 100; j++)
      snprintf(text + strlen(text), sizeof(text) - strlen(text), "-DL%u_%d ", i,
               j);
    snprintf(name, sizeof(name), "chain%u.rsp", i + 1);
    if (i + 1 < n)
      snprintf(text + strlen(text), sizeof(text) - strlen(text), "%s",
               ref(next, name));
    snprintf(name, sizeof(name), "chain%u.rsp", i);
    put(name, "%s", text);
  }
}

/* A chain of files each naming the next, as deep as allowed (clang
   expands any depth; 41 checked by hand), gives every argument. */
static void test_expand_long_chain_within_the_cap(void **state) {
  (void)state;
  char r[128];
  write_chain(RSP_MAX_DEPTH);
  struct cc_args a;
  char *err;
  assert_int_equal(expand1(ref(r, "chain0.rsp"), &a, &err), 0);
  assert_int_equal(a.n, RSP_MAX_DEPTH * 100);
  assert_string_equal(a.v[0], "-DL0_0");
  char last[32];
  snprintf(last, sizeof(last), "-DL%u_99", RSP_MAX_DEPTH - 1);
  assert_string_equal(a.v[a.n - 1], last);
  cc_args_free(&a);
}

/* One level deeper is an error naming the file where it happened. */
static void test_expand_too_deep_is_an_error(void **state) {
  (void)state;
  char r[128], deepest[32];
  write_chain(RSP_MAX_DEPTH + 1);
  struct cc_args a;
  char *err;
  assert_int_equal(expand1(ref(r, "chain0.rsp"), &a, &err), -1);
  assert_non_null(err);
  snprintf(deepest, sizeof(deepest), "chain%u.rsp;", RSP_MAX_DEPTH);
  assert_non_null(strstr(err, "nest more than"));
  assert_non_null(strstr(err, deepest));
  free(err);
  cc_args_free(&a);
}

/* clang reads /dev/zero until it runs out of memory and aborts; the
   wrapper stops at its byte limit with one error naming the file. */
static void test_expand_dev_zero_is_an_error(void **state) {
  (void)state;
  struct cc_args a;
  char *err;
  assert_int_equal(expand1("@/dev/zero", &a, &err), -1);
  assert_non_null(err);
  assert_non_null(strstr(err, "@/dev/zero;"));
  assert_non_null(strstr(err, "more than 64 MiB"));
  free(err);
  cc_args_free(&a);
}

/* More arguments in all than the cap: an error naming the file. */
static void test_expand_too_many_arguments_is_an_error(void **state) {
  (void)state;
  char path[128], r[128];
  snprintf(path, sizeof(path), "%s/many.rsp", rsp_dir);
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  for (unsigned i = 0; i <= RSP_MAX_ARGS; i++)
    fputs("x\n", f);
  fclose(f);
  struct cc_args a;
  char *err;
  assert_int_equal(expand1(ref(r, "many.rsp"), &a, &err), -1);
  assert_non_null(err);
  assert_non_null(strstr(err, "more than 1048576 arguments"));
  assert_non_null(strstr(err, "many.rsp;"));
  free(err);
  cc_args_free(&a);
}

/* Files naming each other many times, without a loop: the number of
   reads is capped (1000 x 1000 here), so it ends at once with an error. */
static void test_expand_fan_out_is_an_error(void **state) {
  (void)state;
  char r[128], text[128 * 1000] = "";
  ref(r, "fan2.rsp");
  for (int i = 0; i < 1000; i++)
    snprintf(text + strlen(text), sizeof(text) - strlen(text), "%s ", r);
  put("fan1.rsp", "%s", text);
  put("fan2.rsp", "-c");
  text[0] = '\0';
  ref(r, "fan1.rsp");
  for (int i = 0; i < 1000; i++)
    snprintf(text + strlen(text), sizeof(text) - strlen(text), "%s ", r);
  put("fan0.rsp", "%s", text);
  struct cc_args a;
  char *err;
  assert_int_equal(expand1(ref(r, "fan0.rsp"), &a, &err), -1);
  assert_non_null(err);
  assert_non_null(strstr(err, "read more than"));
  free(err);
  cc_args_free(&a);
}

static void test_expand_directory_stays_literal(void **state) {
  (void)state;
  struct cc_args a;
  char *err;
  assert_int_equal(expand1("@/tmp", &a, &err), 0);
  assert_args(&a, (const char *[]){"@/tmp", NULL});
  cc_args_free(&a);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_push_copies_and_terminates),
      cmocka_unit_test(test_push_view),
      cmocka_unit_test(test_split_gnu_quoting),
      cmocka_unit_test(test_expand_plain_and_nested),
      cmocka_unit_test(test_expand_file_naming_itself),
      cmocka_unit_test(test_expand_two_files_naming_each_other),
      cmocka_unit_test(test_expand_k_self_references),
      cmocka_unit_test(test_expand_sibling_references_both_expand),
      cmocka_unit_test(test_expand_long_chain_within_the_cap),
      cmocka_unit_test(test_expand_too_deep_is_an_error),
      cmocka_unit_test(test_expand_dev_zero_is_an_error),
      cmocka_unit_test(test_expand_too_many_arguments_is_an_error),
      cmocka_unit_test(test_expand_fan_out_is_an_error),
      cmocka_unit_test(test_expand_directory_stays_literal),
  };
  return cmocka_run_group_tests(tests, make_rsp_dir, remove_rsp_dir);
}
