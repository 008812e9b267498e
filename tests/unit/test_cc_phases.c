/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Golden tests of the wrapper's phases (afl-cc/phases.c): a fixed options
 * struct, a fixed object directory and a user command line in, the exact
 * compiler command line out. In the expected lists the token "MACROS"
 * stands for the harness macros (checked on their own in test_cc_macros).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "macros.h"
#include "phases.h"

#include <stdio.h>
#include <string.h>

#define CLANG "/llvm/bin/clang"
#define PLUGIN "-fpass-plugin=/lop/afl-llvm-pass.so"
#define RT "/lop/afl-llvm-rt.o"
#define DYNLIST "-Wl,--dynamic-list=/lop/afl-llvm-rt.dynlist"
#define OPT3 "-g", "-O3", "-funroll-loops"

/* Runs every phase for user (NULL-terminated) and compares the command line
   with want, where "MACROS" expands to the C or C++ harness macros. */
static void golden(const struct cc_options *o, bool cxx_driver, char **user,
                   const char *const *want) {
  struct cc_ctx c = {.opt = o, .compiler = CLANG, .obj_dir = "/lop"};
  c.user.v = user;
  while (user[c.user.n])
    c.user.n++;
  cc_facts_collect(c.user, cxx_driver, &c.facts);
  struct cc_args got, exp, macros;
  cc_args_init(&got);
  cc_args_init(&exp);
  cc_args_init(&macros);
  assert_int_equal(cc_phases_run(&c, &got), 0);
  assert_int_equal(cc_macros_push(&macros, c.facts.cxx), 0);
  for (size_t i = 0; want[i]; i++)
    if (strcmp(want[i], "MACROS") == 0)
      cc_args_push_view(&exp, cc_args_view(&macros));
    else
      cc_args_push(&exp, want[i]);
  for (size_t i = 0; i < got.n && i < exp.n; i++) {
    if (strcmp(got.v[i], exp.v[i]) != 0)
      print_error("argument %zu: got \"%s\", want \"%s\"\n", i, got.v[i],
                  exp.v[i]);
    assert_string_equal(got.v[i], exp.v[i]);
  }
  if (got.n != exp.n)
    print_error("got %zu arguments, want %zu (last got: %s)\n", got.n, exp.n,
                got.n ? got.v[got.n - 1] : "-");
  assert_int_equal(got.n, exp.n);
  cc_args_free(&got);
  cc_args_free(&exp);
  cc_args_free(&macros);
}
#define U(...) ((char *[]){__VA_ARGS__, NULL})
#define W(...) ((const char *const[]){__VA_ARGS__, NULL})

static const struct cc_options plain = {.mode = CC_MODE_CLASSIC};

static void test_compile_and_link(void **state) {
  (void)state;
  golden(
      &plain, false, U("hello.c", "-o", "hello"),
      W(CLANG, PLUGIN, OPT3, "MACROS", "hello.c", "-o", "hello", RT, DYNLIST));
}

static void test_compile_only(void **state) {
  (void)state;
  golden(&plain, false, U("-c", "a.c", "-o", "x.o"),
         W(CLANG, PLUGIN, OPT3, "MACROS", "-c", "a.c", "-o", "x.o"));
}

static void test_link_only(void **state) {
  (void)state;
  golden(&plain, false, U("a.o", "b.o", "-lm", "-o", "prog"),
         W(CLANG, OPT3, "a.o", "b.o", "-lm", "-o", "prog", RT, DYNLIST));
}

static void test_user_opt_level_kept(void **state) {
  (void)state;
  golden(&plain, false, U("-O0", "-c", "a.c"),
         W(CLANG, PLUGIN, "MACROS", "-O0", "-c", "a.c"));
  golden(&plain, false, U("-O", "-c", "a.c"),
         W(CLANG, PLUGIN, "MACROS", "-O", "-c", "a.c"));
  struct cc_options o = plain;
  o.dont_optimize = true;
  golden(&o, false, U("-c", "a.c"), W(CLANG, PLUGIN, "MACROS", "-c", "a.c"));
}

static void test_no_inputs_passthrough(void **state) {
  (void)state;
  golden(&plain, false, U("--version"), W(CLANG, "--version"));
  golden(&plain, false, U("-v"), W(CLANG, "-v"));
  golden(&plain, false, U("-print-prog-name=ld"),
         W(CLANG, "-print-prog-name=ld"));
  golden(&plain, false, U("-dumpversion"), W(CLANG, "-dumpversion"));
}

static void test_preprocess(void **state) {
  (void)state;
  golden(&plain, false, U("-E", "-dM", "-"),
         W(CLANG, OPT3, "MACROS", "-E", "-dM", "-"));
  golden(&plain, false, U("-MM", "a.c"),
         W(CLANG, OPT3, "MACROS", "-MM", "a.c"));
}

static void test_assembly_only(void **state) {
  (void)state;
  golden(&plain, false, U("-c", "start.s"), W(CLANG, "-c", "start.s"));
}

static void test_stdin_with_x_closes_language(void **state) {
  (void)state;
  golden(&plain, false, U("-x", "c", "-", "-o", "t"),
         W(CLANG, PLUGIN, OPT3, "MACROS", "-x", "c", "-", "-o", "t", "-x",
           "none", RT, DYNLIST));
}

static void test_shared_library(void **state) {
  (void)state;
  golden(&plain, false, U("-shared", "-fPIC", "l.c", "-o", "libl.so"),
         W(CLANG, PLUGIN, OPT3, "MACROS", "-shared", "-fPIC", "l.c", "-o",
           "libl.so", "/lop/afl-llvm-rt-shared.o"));
}

static void test_static_m32_relocatable(void **state) {
  (void)state;
  golden(&plain, false, U("-static", "a.o"),
         W(CLANG, OPT3, "-static", "a.o", RT));
  golden(&plain, false, U("-m32", "a.o"),
         W(CLANG, OPT3, "-m32", "a.o", "/lop/afl-llvm-rt-32.o", DYNLIST));
  golden(&plain, false, U("-r", "a.o", "b.o", "-o", "ab.o"),
         W(CLANG, "-r", "a.o", "b.o", "-o", "ab.o"));
}

/* AFL_LLVM_CMPLOG or AFL_LLVM_DICT2FILE in pcguard mode: the plugin is
   loaded beside trace-pc-guard (for those features alone); classic mode
   loads it anyway. */
static void test_compare_pass_loads_plugin(void **state) {
  (void)state;
  struct cc_options o = plain;
  o.mode = CC_MODE_PCGUARD;
  o.compare_pass = true;
  golden(&o, false, U("-c", "a.c"),
         W(CLANG, "-fsanitize-coverage=trace-pc-guard", PLUGIN, OPT3, "MACROS",
           "-c", "a.c"));
  golden(&o, false, U("-E", "a.c"), W(CLANG, OPT3, "MACROS", "-E", "a.c"));
  o.mode = CC_MODE_CLASSIC;
  golden(&o, false, U("-c", "a.c"),
         W(CLANG, PLUGIN, OPT3, "MACROS", "-c", "a.c"));
}

static void test_pcguard(void **state) {
  (void)state;
  struct cc_options o = plain;
  o.mode = CC_MODE_PCGUARD;
  golden(&o, false, U("-c", "a.c"),
         W(CLANG, "-fsanitize-coverage=trace-pc-guard", OPT3, "MACROS", "-c",
           "a.c"));
  golden(&o, false, U("a.o", "-o", "p"),
         W(CLANG, OPT3, "a.o", "-o", "p", RT, DYNLIST));
  golden(&o, false, U("-E", "a.c"), W(CLANG, OPT3, "MACROS", "-E", "a.c"));
  /* Compile and link in one: no UBSan runtime pulled in by the coverage
     flag, unless a sanitizer is asked for (it needs its runtime). */
  golden(&o, false, U("a.c", "-o", "p"),
         W(CLANG, "-fsanitize-coverage=trace-pc-guard",
           "-fno-sanitize-link-runtime", OPT3, "MACROS", "a.c", "-o", "p", RT,
           DYNLIST));
  golden(&o, false, U("-fsanitize=address", "a.c", "-o", "p"),
         W(CLANG, "-fsanitize-coverage=trace-pc-guard", OPT3, "MACROS",
           "-fsanitize=address", "a.c", "-o", "p", RT, DYNLIST));
  o.asan = true;
  golden(&o, false, U("a.c", "-o", "p"),
         W(CLANG, "-fsanitize-coverage=trace-pc-guard", OPT3, "MACROS",
           "-U_FORTIFY_SOURCE", "-fsanitize=address", "a.c", "-o", "p", RT,
           DYNLIST));
}

/* laf-intel and instrument lists are passes of lop's plugin: a pcguard
   compile that asks for them loads it too (not a link). */
static void test_pcguard_pre_passes(void **state) {
  (void)state;
  struct cc_options o = plain;
  o.mode = CC_MODE_PCGUARD;
  o.pre_passes = true;
  golden(&o, false, U("-c", "a.c"),
         W(CLANG, "-fsanitize-coverage=trace-pc-guard", PLUGIN, OPT3, "MACROS",
           "-c", "a.c"));
  golden(&o, false, U("a.o", "-o", "p"),
         W(CLANG, OPT3, "a.o", "-o", "p", RT, DYNLIST));
  o.mode = CC_MODE_CLASSIC;
  golden(&o, false, U("-c", "a.c"),
         W(CLANG, PLUGIN, OPT3, "MACROS", "-c", "a.c"));
}

static void test_harden(void **state) {
  (void)state;
  struct cc_options o = plain;
  o.harden = true;
  golden(&o, false, U("-c", "a.c"),
         W(CLANG, PLUGIN, OPT3, "MACROS", "-fstack-protector-all",
           "-D_FORTIFY_SOURCE=2", "-c", "a.c"));
  golden(
      &o, false, U("-O0", "-c", "a.c"),
      W(CLANG, PLUGIN, "MACROS", "-fstack-protector-all", "-O0", "-c", "a.c"));
  golden(&o, false, U("-D_FORTIFY_SOURCE=3", "-c", "a.c"),
         W(CLANG, PLUGIN, OPT3, "MACROS", "-fstack-protector-all",
           "-D_FORTIFY_SOURCE=3", "-c", "a.c"));
  o.dont_optimize = true;
  golden(&o, false, U("-c", "a.c"),
         W(CLANG, PLUGIN, "MACROS", "-fstack-protector-all", "-c", "a.c"));
}

static void test_sanitizers(void **state) {
  (void)state;
  struct cc_options o = plain;
  o.asan = true;
  o.harden = true;
  golden(&o, false, U("-c", "a.c"),
         W(CLANG, PLUGIN, OPT3, "MACROS", "-fstack-protector-all",
           "-U_FORTIFY_SOURCE", "-fsanitize=address", "-c", "a.c"));
  golden(&o, false, U("a.o"),
         W(CLANG, OPT3, "-fsanitize=address", "a.o", RT, DYNLIST));
  o = plain;
  o.msan = true;
  golden(&o, false, U("-O1", "-c", "a.c"),
         W(CLANG, PLUGIN, "MACROS", "-U_FORTIFY_SOURCE", "-fsanitize=memory",
           "-O1", "-c", "a.c"));
  o = plain;
  o.ubsan = true;
  golden(&o, false, U("-O2", "a.o"),
         W(CLANG, "-fsanitize=undefined", "-fsanitize-trap=undefined",
           "-fno-sanitize-recover=all", "-O2", "a.o", RT, DYNLIST));
}

/* -fsanitize=fuzzer: stripped from the lists clang gets (the rest kept),
   the driver linked before the runtime on executable links only;
   fuzzer-no-link is stripped and links nothing. */
static void test_libfuzzer(void **state) {
  (void)state;
  golden(&plain, false, U("-fsanitize=fuzzer", "h.c", "l.a", "-o", "h"),
         W(CLANG, PLUGIN, OPT3, "MACROS", "h.c", "l.a", "-o", "h",
           "/lop/libAFLDriver.a", RT, DYNLIST));
  golden(&plain, false, U("-fsanitize=address,fuzzer,undefined", "h.o"),
         W(CLANG, OPT3, "-fsanitize=address,undefined", "h.o",
           "/lop/libAFLDriver.a", RT, DYNLIST));
  golden(&plain, false, U("-fsanitize=fuzzer", "-c", "h.c"),
         W(CLANG, PLUGIN, OPT3, "MACROS", "-c", "h.c"));
  golden(&plain, false, U("-fsanitize=fuzzer-no-link", "-c", "h.c"),
         W(CLANG, PLUGIN, OPT3, "MACROS", "-c", "h.c"));
  golden(&plain, false, U("-fsanitize=fuzzer-no-link", "h.o", "m.o"),
         W(CLANG, OPT3, "h.o", "m.o", RT, DYNLIST));
  golden(&plain, false, U("-fsanitize=fuzzer", "-shared", "h.o"),
         W(CLANG, OPT3, "-shared", "h.o", "/lop/afl-llvm-rt-shared.o"));
  golden(&plain, false, U("-fsanitize=fuzzer", "@h.rsp", "h.o"),
         W(CLANG, OPT3, "@h.rsp", "h.o", "-fno-sanitize=fuzzer,fuzzer-no-link",
           "/lop/libAFLDriver.a", RT, DYNLIST));
  golden(&plain, false, U("-o", "-fsanitize=fuzzer", "h.o"),
         W(CLANG, OPT3, "-o", "-fsanitize=fuzzer", "h.o", RT, DYNLIST));
  /* pcguard: nothing left asks for a sanitizer runtime */
  struct cc_options o = plain;
  o.mode = CC_MODE_PCGUARD;
  golden(&o, false, U("-fsanitize=fuzzer", "h.c"),
         W(CLANG, "-fsanitize-coverage=trace-pc-guard",
           "-fno-sanitize-link-runtime", OPT3, "MACROS", "h.c",
           "/lop/libAFLDriver.a", RT, DYNLIST));
}

static void test_no_builtin(void **state) {
  (void)state;
  struct cc_options o = plain;
  o.no_builtin = true;
  golden(&o, false, U("-O2", "-c", "a.c"),
         W(CLANG, PLUGIN, "MACROS", "-fno-builtin-strcmp",
           "-fno-builtin-strncmp", "-fno-builtin-strcasecmp",
           "-fno-builtin-strncasecmp", "-fno-builtin-memcmp",
           "-fno-builtin-bcmp", "-fno-builtin-strstr",
           "-fno-builtin-strcasestr", "-O2", "-c", "a.c"));
  golden(&o, false, U("-O2", "a.o"), W(CLANG, "-O2", "a.o", RT, DYNLIST));
}

static void test_cxx_driver_and_rsp_passthrough(void **state) {
  (void)state;
  struct cc_ctx c = {
      .opt = &plain, .compiler = "/llvm/bin/clang++", .obj_dir = "/lop"};
  char *user[] = {"-O2", "@/nonexistent/args.rsp", "x.cc"};
  c.user.v = user;
  c.user.n = 3;
  cc_facts_collect(c.user, true, &c.facts);
  assert_true(c.facts.cxx);
  struct cc_args got;
  cc_args_init(&got);
  assert_int_equal(cc_phases_run(&c, &got), 0);
  assert_string_equal(got.v[0], "/llvm/bin/clang++");
  /* the @file is given to clang unchanged, right after -O2 */
  size_t i = 0;
  while (i < got.n && strcmp(got.v[i], "-O2") != 0)
    i++;
  assert_true(i + 2 < got.n);
  assert_string_equal(got.v[i + 1], "@/nonexistent/args.rsp");
  assert_string_equal(got.v[got.n - 1], DYNLIST);
  cc_args_free(&got);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_compile_and_link),
      cmocka_unit_test(test_compile_only),
      cmocka_unit_test(test_link_only),
      cmocka_unit_test(test_user_opt_level_kept),
      cmocka_unit_test(test_no_inputs_passthrough),
      cmocka_unit_test(test_preprocess),
      cmocka_unit_test(test_assembly_only),
      cmocka_unit_test(test_stdin_with_x_closes_language),
      cmocka_unit_test(test_shared_library),
      cmocka_unit_test(test_static_m32_relocatable),
      cmocka_unit_test(test_pcguard),
      cmocka_unit_test(test_pcguard_pre_passes),
      cmocka_unit_test(test_compare_pass_loads_plugin),
      cmocka_unit_test(test_harden),
      cmocka_unit_test(test_sanitizers),
      cmocka_unit_test(test_libfuzzer),
      cmocka_unit_test(test_no_builtin),
      cmocka_unit_test(test_cxx_driver_and_rsp_passthrough),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
