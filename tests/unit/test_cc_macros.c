/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Unit tests of the harness macros (afl-cc/macros.c): their exact spelling
 * where users and fuzzers depend on it, and real clang (the one lop was
 * built against) compiling a persistent, deferred, shared-memory harness
 * with them in C, pedantic C99 and C++ under -Wall -Wextra -Werror, with
 * the fuzzers' signature strings surviving -O3.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "config.h"
#include "macros.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char harness[] =
    "#include <unistd.h>\n"
    "__AFL_FUZZ_INIT();\n"
    "int main(void) {\n"
    "  int hits = 0;\n"
    "  __AFL_INIT();\n"
    "  unsigned char *buf = __AFL_FUZZ_TESTCASE_BUF;\n"
    "  while (__AFL_LOOP(1000)) {\n"
    "    int len = __AFL_FUZZ_TESTCASE_LEN;\n"
    "    if (len > 0 && buf[0] == 'x')\n"
    "      hits++;\n"
    "  }\n"
    "#if __AFL_HAVE_MANUAL_CONTROL && __AFL_COMPILER && "
    "FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION\n"
    "  return hits;\n"
    "#else\n"
    "#error feature macros missing\n"
    "#endif\n"
    "}\n";

/* The argument starting with prefix; fails the test when there is none. */
static const char *find_arg(const struct cc_args *a, const char *prefix) {
  for (size_t i = 0; i < a->n; i++)
    if (strncmp(a->v[i], prefix, strlen(prefix)) == 0)
      return a->v[i];
  fail_msg("no argument starts with %s", prefix);
  return NULL;
}

static void test_spelling(void **state) {
  (void)state;
  struct cc_args a;
  cc_args_init(&a);
  assert_int_equal(cc_macros_push(&a, false), 0);
  assert_string_equal(a.v[0], "-D__AFL_HAVE_MANUAL_CONTROL=1");
  assert_string_equal(a.v[1], "-D__AFL_COMPILER=1");
  assert_string_equal(a.v[2], "-DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION=1");
  assert_non_null(
      strstr(find_arg(&a, "-D__AFL_LOOP(_A)="), "\"##SIG_AFL_PERSISTENT##\""));
  assert_non_null(strstr(find_arg(&a, "-D__AFL_LOOP(_A)="),
                         "__asm__(\"__afl_persistent_loop\"); _L(_A); })"));
  assert_non_null(
      strstr(find_arg(&a, "-D__AFL_INIT()="), "\"##SIG_AFL_DEFER_FORKSRV##\""));
  assert_non_null(strstr(find_arg(&a, "-D__AFL_INIT()="),
                         "__asm__(\"__afl_manual_init\")"));
  assert_string_equal(find_arg(&a, "-D__AFL_FUZZ_TESTCASE_BUF="),
                      "-D__AFL_FUZZ_TESTCASE_BUF=(__afl_fuzz_ptr ? "
                      "__afl_fuzz_ptr : __afl_fuzz_alt_ptr)");
  assert_null(strstr(find_arg(&a, "-D__AFL_FUZZ_INIT()="), "extern \"C\""));
  cc_args_free(&a);
  assert_int_equal(cc_macros_push(&a, true), 0);
  assert_non_null(
      strstr(find_arg(&a, "-D__AFL_FUZZ_INIT()="), "extern \"C\" {"));
  cc_args_free(&a);
}

/* Runs argv (NULL-terminated) and returns its exit status (-1 on signal). */
static int run(char **argv) {
  pid_t pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    execv(argv[0], argv);
    _exit(127);
  }
  int st = 0;
  assert_int_equal(waitpid(pid, &st, 0), pid);
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* True when file holds the bytes of s including its trailing NUL. */
static bool file_has(const char *file, const char *s) {
  FILE *f = fopen(file, "rb");
  assert_non_null(f);
  static char buf[1 << 20];
  size_t n = fread(buf, 1, sizeof(buf), f);
  fclose(f);
  return memmem(buf, n, s, strlen(s) + 1) != NULL;
}

/* Compiles the harness with lop's clang (clang++ when cxx) and the extra
   flags; checks success and the signatures in the object. */
static void compile_harness(bool cxx, const char *const *flags) {
  char dir[] = "/tmp/lop-macros-XXXXXX";
  assert_non_null(mkdtemp(dir));
  char src[64], obj[64];
  snprintf(src, sizeof(src), "%s/h.%s", dir, cxx ? "cpp" : "c");
  snprintf(obj, sizeof(obj), "%s/h.o", dir);
  FILE *f = fopen(src, "w");
  fputs(harness, f);
  fclose(f);
  struct cc_args a;
  cc_args_init(&a);
  cc_args_pushf(&a, "%s/%s", LOP_CLANG_DIR, cxx ? "clang++" : "clang");
  cc_macros_push(&a, cxx);
  for (size_t i = 0; flags[i]; i++)
    cc_args_push(&a, flags[i]);
  const char *tail[] = {"-Wall", "-Wextra", "-Werror", "-Wshadow", "-O3",
                        "-c",    src,       "-o",      obj,        NULL};
  for (size_t i = 0; tail[i]; i++)
    cc_args_push(&a, tail[i]);
  assert_false(a.oom);
  assert_int_equal(run(a.v), 0);
  assert_true(file_has(obj, PERSIST_SIG));
  assert_true(file_has(obj, DEFER_SIG));
  cc_args_free(&a);
  unlink(src);
  unlink(obj);
  rmdir(dir);
}

static void test_compiles_as_gnu_c(void **state) {
  (void)state;
  compile_harness(false, (const char *const[]){"-std=gnu11", NULL});
}

static void test_compiles_as_pedantic_c99(void **state) {
  (void)state;
  compile_harness(false, (const char *const[]){"-std=c99", "-pedantic", NULL});
}

static void test_compiles_as_cxx(void **state) {
  (void)state;
  compile_harness(true, (const char *const[]){"-std=c++17", "-pedantic", NULL});
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_spelling),
      cmocka_unit_test(test_compiles_as_gnu_c),
      cmocka_unit_test(test_compiles_as_pedantic_c99),
      cmocka_unit_test(test_compiles_as_cxx),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
