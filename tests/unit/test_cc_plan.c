/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Unit tests of object lookup (afl-cc/find_obj.c) and of the whole
 * decision cc_plan() (afl-cc/plan.c) with real temporary directories:
 * search order, every "not found" message, the -m32 error, compiler
 * choice, and the texts main() prints.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "find_obj.h"
#include "plan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A scratch tree: root/bin (the wrapper), root/lib/lop, root/afl, root/inst. */
struct tree {
  char root[64];
  char self[128], self_lib[128], afl[128], inst[128];
};

/* Creates dir/name as an empty file. */
static void touch(const char *dir, const char *name) {
  char p[256];
  snprintf(p, sizeof(p), "%s/%s", dir, name);
  FILE *f = fopen(p, "w");
  assert_non_null(f);
  fclose(f);
}

/* Removes dir/name. */
static void unlink_obj(const char *dir, const char *name) {
  char p[256];
  snprintf(p, sizeof(p), "%s/%s", dir, name);
  assert_int_equal(unlink(p), 0);
}

/* Creates dir/name unless already there. */
static void mkdir_in(const char *dir, const char *name) {
  char p[256];
  snprintf(p, sizeof(p), "%s/%s", dir, name);
  assert_true(mkdir(p, 0700) == 0);
}

static int tree_setup(void **state) {
  struct tree *t = calloc(1, sizeof(*t));
  strcpy(t->root, "/tmp/lop-plan-XXXXXX");
  if (!mkdtemp(t->root))
    return -1;
  mkdir_in(t->root, "bin");
  mkdir_in(t->root, "lib");
  mkdir_in(t->root, "lib/lop");
  mkdir_in(t->root, "afl");
  mkdir_in(t->root, "inst");
  snprintf(t->self, sizeof(t->self), "%s/bin/afl-clang-fast", t->root);
  snprintf(t->self_lib, sizeof(t->self_lib), "%s/lib/lop", t->root);
  snprintf(t->afl, sizeof(t->afl), "%s/afl", t->root);
  snprintf(t->inst, sizeof(t->inst), "%s/inst", t->root);
  *state = t;
  return 0;
}

static int tree_teardown(void **state) {
  struct tree *t = *state;
  char cmd[128];
  snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t->root);
  int rc = system(cmd);
  free(t);
  return rc == 0 ? 0 : -1;
}

/* Puts a complete 64-bit object set into dir. */
static void full_set(const char *dir) {
  touch(dir, CC_OBJ_PASS);
  touch(dir, CC_OBJ_RT);
  touch(dir, CC_OBJ_RT_SHARED);
  touch(dir, CC_OBJ_DYNLIST);
}

static void test_self_lib_dir(void **state) {
  (void)state;
  char *d = cc_self_lib_dir("/usr/local/bin/afl-clang-fast");
  assert_string_equal(d, "/usr/local/lib/lop");
  free(d);
  d = cc_self_lib_dir("/afl-clang-fast");
  assert_string_equal(d, "/lib/lop");
  free(d);
  assert_null(cc_self_lib_dir("afl-clang-fast"));
  assert_null(cc_self_lib_dir(NULL));
}

static void test_search_order(void **state) {
  struct tree *t = *state;
  struct cc_args dirs;
  cc_args_init(&dirs);
  assert_int_equal(cc_search_dirs(t->self, t->afl, t->inst, &dirs), 0);
  assert_int_equal(dirs.n, 3);
  assert_string_equal(dirs.v[0], t->self_lib);
  assert_string_equal(dirs.v[1], t->afl);
  assert_string_equal(dirs.v[2], t->inst);
  char *err = NULL;
  touch(t->inst, CC_OBJ_RT);
  assert_int_equal(cc_find_obj_dir(cc_args_view(&dirs), &err), 2);
  touch(t->afl, CC_OBJ_RT);
  assert_int_equal(cc_find_obj_dir(cc_args_view(&dirs), &err), 1);
  touch(t->self_lib, CC_OBJ_RT);
  assert_int_equal(cc_find_obj_dir(cc_args_view(&dirs), &err), 0);
  cc_args_free(&dirs);
  /* unset and empty directories are skipped */
  assert_int_equal(cc_search_dirs(NULL, "", t->inst, &dirs), 0);
  assert_int_equal(dirs.n, 1);
  cc_args_free(&dirs);
}

static void test_not_found_names_every_dir(void **state) {
  struct tree *t = *state;
  struct cc_args dirs;
  cc_args_init(&dirs);
  cc_search_dirs(t->self, t->afl, t->inst, &dirs);
  char *err = NULL;
  assert_int_equal(cc_find_obj_dir(cc_args_view(&dirs), &err), -1);
  char want[512];
  snprintf(want, sizeof(want),
           "afl-llvm-rt.o not found in %s, %s, %s; set AFL_PATH to the "
           "directory holding lop's lib/lop objects",
           t->self_lib, t->afl, t->inst);
  assert_string_equal(err, want);
  free(err);
  cc_args_free(&dirs);
}

/* Runs cc_plan for argv (NULL-terminated) with options o; returns its code
   and leaves the command in out, the message in *err. */
static int plan(struct tree *t, const struct cc_options *o, char **argv,
                struct cc_args *out, char **err) {
  int argc = 0;
  while (argv[argc])
    argc++;
  struct cc_plan_in in = {argc, argv, o, t->self, t->inst, "/llvm/bin"};
  cc_args_init(out);
  *err = NULL;
  return cc_plan(&in, out, err);
}
#define A(...) ((char *[]){__VA_ARGS__, NULL})

static void test_plan_uses_first_complete_dir(void **state) {
  struct tree *t = *state;
  full_set(t->afl);
  struct cc_options o = {.mode = CC_MODE_CLASSIC, .afl_path = t->afl};
  struct cc_args out;
  char *err;
  assert_int_equal(plan(t, &o, A("afl-clang-fast", "-O2", "a.c"), &out, &err),
                   0);
  assert_string_equal(out.v[0], "/llvm/bin/clang");
  char want[256];
  snprintf(want, sizeof(want), "-fpass-plugin=%s/afl-llvm-pass.so", t->afl);
  assert_string_equal(out.v[1], want);
  snprintf(want, sizeof(want), "-Wl,--dynamic-list=%s/afl-llvm-rt.dynlist",
           t->afl);
  assert_string_equal(out.v[out.n - 1], want);
  cc_args_free(&out);
}

static void test_plan_without_objects_needed(void **state) {
  struct tree *t = *state; /* no objects anywhere */
  struct cc_options o = {.mode = CC_MODE_CLASSIC, .cxx = "/opt/my-clang++"};
  struct cc_args out;
  char *err;
  assert_int_equal(plan(t, &o, A("afl-clang-fast++", "--version"), &out, &err),
                   0);
  assert_int_equal(out.n, 2);
  assert_string_equal(out.v[0], "/opt/my-clang++");
  cc_args_free(&out);
  o.mode = CC_MODE_PCGUARD; /* pcguard compiles need no plugin */
  assert_int_equal(plan(t, &o, A("x/afl-clang-fast", "-c", "a.c"), &out, &err),
                   0);
  assert_string_equal(out.v[0], "/llvm/bin/clang");
  cc_args_free(&out);
}

static void test_plan_errors(void **state) {
  struct tree *t = *state;
  struct cc_options o = {.mode = CC_MODE_CLASSIC};
  struct cc_args out;
  char *err;
  assert_int_equal(plan(t, &o, A("afl-clang-fast"), &out, &err), -1);
  assert_string_equal(err,
                      "no arguments; use afl-clang-fast like clang, e.g. "
                      "CC=afl-clang-fast ./configure, or see docs/wrapper.md");
  free(err);
  assert_int_equal(plan(t, &o, A("afl-clang-fast", "-c", "a.c"), &out, &err),
                   -1);
  assert_non_null(strstr(err, "afl-llvm-rt.o not found in "));
  free(err);
  cc_args_free(&out);
  touch(t->inst, CC_OBJ_RT); /* runtime but no plugin */
  assert_int_equal(plan(t, &o, A("afl-clang-fast", "-c", "a.c"), &out, &err),
                   -1);
  char want[256];
  snprintf(want, sizeof(want),
           "afl-llvm-pass.so not found in %s; rebuild lop (make all) or set "
           "AFL_PATH to a complete lib/lop directory",
           t->inst);
  assert_string_equal(err, want);
  free(err);
  cc_args_free(&out);
  full_set(t->inst);
  assert_int_equal(plan(t, &o, A("afl-clang-fast", "-m32", "a.c"), &out, &err),
                   -1);
  assert_string_equal(err,
                      "-m32 needs the 32-bit runtime afl-llvm-rt-32.o, which "
                      "this lop build lacks; install gcc-multilib and "
                      "rebuild lop");
  free(err);
  cc_args_free(&out);
  /* -m32 compiles need no 32-bit runtime */
  assert_int_equal(
      plan(t, &o, A("afl-clang-fast", "-m32", "-c", "a.c"), &out, &err), 0);
  cc_args_free(&out);
  touch(t->inst, CC_OBJ_RT32);
  assert_int_equal(plan(t, &o, A("afl-clang-fast", "-m32", "a.c"), &out, &err),
                   0);
  cc_args_free(&out);
  /* A libFuzzer link needs the driver; instrumentation-only
     (fuzzer-no-link) and compile steps do not. */
  touch(t->inst, CC_OBJ_DRIVER);
  assert_int_equal(
      plan(t, &o, A("afl-clang-fast", "-fsanitize=fuzzer", "h.c"), &out, &err),
      0);
  cc_args_free(&out);
  assert_int_equal(plan(t, &o,
                        A("afl-clang-fast", "-m32", "-fsanitize=fuzzer", "h.c"),
                        &out, &err),
                   -1);
  assert_string_equal(err, "-fsanitize=fuzzer with -m32: lop's libFuzzer "
                           "driver is 64-bit only; build the harness without "
                           "-m32");
  free(err);
  cc_args_free(&out);
  unlink_obj(t->inst, CC_OBJ_DRIVER);
  assert_int_equal(
      plan(t, &o, A("afl-clang-fast", "-fsanitize=fuzzer", "h.c"), &out, &err),
      -1);
  assert_non_null(strstr(err, "libAFLDriver.a not found in "));
  free(err);
  cc_args_free(&out);
  assert_int_equal(
      plan(t, &o, A("afl-clang-fast", "-fsanitize=address,fuzzer", "-c", "h.c"),
           &out, &err),
      0);
  cc_args_free(&out);
  assert_int_equal(plan(t, &o,
                        A("afl-clang-fast", "-fsanitize=fuzzer-no-link", "h.c"),
                        &out, &err),
                   0);
  cc_args_free(&out);
}

static void test_texts(void **state) {
  (void)state;
  char *s = cc_banner("afl-clang-fast++", "0.1.0", 14, CC_MODE_PCGUARD);
  assert_string_equal(s, "afl-clang-fast++ 0.1.0 (lop, LLVM 14, pcguard mode)");
  free(s);
  char *argv[] = {"clang", "-c", "a b.c"};
  s = cc_join((struct cc_view){argv, 3});
  assert_string_equal(s, "clang -c a b.c");
  free(s);
  s = cc_usage("afl-clang-fast", NULL);
  assert_non_null(strstr(s, "CC=afl-clang-fast CXX=afl-clang-fast++"));
  assert_non_null(strstr(s, "docs/wrapper.md"));
  assert_non_null(strstr(s, "(lop"));
  free(s);
  /* With its own path it tells users to build by that path, not by a bare
     name that may find AFL++'s afl-clang-fast on PATH. */
  s = cc_usage("afl-clang-fast", "/opt/lop/bin/afl-clang-fast");
  assert_non_null(strstr(s, "CC=/opt/lop/bin/afl-clang-fast "
                            "CXX=/opt/lop/bin/afl-clang-fast++ ./configure"));
  assert_non_null(strstr(s, "AFL_LLVM_INSTRUMENT"));
  free(s);
  struct cc_options o = {.mode = CC_MODE_CLASSIC};
  s = cc_compiler_path(&o, true, "/usr/lib/llvm-14/bin");
  assert_string_equal(s, "/usr/lib/llvm-14/bin/clang++");
  free(s);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_self_lib_dir),
      cmocka_unit_test_setup_teardown(test_search_order, tree_setup,
                                      tree_teardown),
      cmocka_unit_test_setup_teardown(test_not_found_names_every_dir,
                                      tree_setup, tree_teardown),
      cmocka_unit_test_setup_teardown(test_plan_uses_first_complete_dir,
                                      tree_setup, tree_teardown),
      cmocka_unit_test_setup_teardown(test_plan_without_objects_needed,
                                      tree_setup, tree_teardown),
      cmocka_unit_test_setup_teardown(test_plan_errors, tree_setup,
                                      tree_teardown),
      cmocka_unit_test(test_texts),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
