/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Unit tests of the wrapper's command-line predicates (afl-cc/predicates.c):
 * each predicate with the edge cases build systems produce, and the facts
 * with response files hiding the decisive flag.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "predicates.h"
#include "rsp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A view of a NULL-terminated array literal. */
static struct cc_view V(char **argv) {
  struct cc_view v = {argv, 0};
  while (argv[v.n])
    v.n++;
  return v;
}
#define ARGS(...) V((char *[]){__VA_ARGS__, NULL})

/* cc_is_link_step for the C driver. */
static bool
links(struct cc_view v) {
  return cc_is_link_step(v, false);
}

static void test_cxx_name(void **state) {
  (void)state;
  assert_true(cc_is_cxx_name("afl-clang-fast++"));
  assert_true(cc_is_cxx_name("/usr/bin/afl-clang-fast++"));
  assert_false(cc_is_cxx_name("afl-clang-fast"));
  assert_false(cc_is_cxx_name("/opt/c++/bin/afl-clang-fast"));
  assert_false(cc_is_cxx_name("+"));
}

static void test_link_step(void **state) {
  (void)state;
  assert_true(links(ARGS("a.c", "-o", "a")));
  assert_true(links(ARGS("a.o", "b.o", "-lm", "-o", "prog")));
  assert_false(links(ARGS("-c", "a.c", "-o", "x.o")));
  assert_false(links(ARGS("-S", "a.c")));
  assert_false(links(ARGS("-E", "a.c")));
  assert_false(links(ARGS("-M", "a.c")));
  assert_false(links(ARGS("-MM", "a.c")));
  assert_false(links(ARGS("-M", "-MF", "a.d", "a.c")));
  assert_true(links(ARGS("-MD", "-MF", "a.d", "a.c", "-o", "a")));
  assert_true(links(ARGS("-MMD", "a.c")));
  assert_false(links(ARGS("-fsyntax-only", "a.c")));
  assert_false(links(ARGS("-r", "a.o", "-o", "all.o")));
  assert_false(links(ARGS("-Wl,-r", "a.o", "-o", "all.o")));
  assert_false(links(ARGS("-Wl,--relocatable", "a.o")));
  assert_false(links(ARGS("-Xlinker", "-r", "a.o")));
  assert_true(links(ARGS("-shared", "-fPIC", "a.c", "-o", "liba.so")));
  assert_true(links(ARGS("-x", "c", "-", "-o", "a")));
  /* no inputs: configure probes and version queries */
  assert_false(links(ARGS("-v")));
  assert_false(links(ARGS("--version")));
  assert_false(links(ARGS("-dumpversion")));
  assert_false(links(ARGS("-print-prog-name=ld")));
  /* values of options are not inputs */
  assert_false(links(ARGS("-o", "out", "-I", "inc", "-include", "cfg.h")));
  /* precompiled headers are not linked */
  assert_false(links(ARGS("-x", "c-header", "pch.h")));
  assert_false(links(ARGS("all.h", "-o", "all.h.gch")));
}

static void test_inputs_and_languages(void **state) {
  (void)state;
  struct cc_inputs in =
      cc_count_inputs(ARGS("a.c", "b.cpp", "c.s", "d.S", "e.o", "-lm", "libx.a",
                           "-x", "c++", "f.inc", "-x", "none", "g.so"),
                      false);
  assert_int_equal(in.total, 8); /* -lm is an option, not an input */
  assert_int_equal(in.code, 4);  /* a.c, b.cpp, d.S and f.inc (-x c++) */
  assert_int_equal(in.cxx, 2);   /* b.cpp, f.inc */
  in = cc_count_inputs(ARGS("-xc++", "f.inc"), false);
  assert_int_equal(in.cxx, 1);
  assert_int_equal(cc_lang_of_path("a.c", true), CC_LANG_CXX);
  assert_int_equal(cc_lang_of_path("a.c", false), CC_LANG_C);
  assert_int_equal(cc_lang_of_path("dir.d/noext", false), CC_LANG_LINKER);
  assert_int_equal(cc_lang_of_path("libz.so.1", false), CC_LANG_LINKER);
  assert_int_equal(cc_lang_of_path("-", false), CC_LANG_C);
  assert_int_equal(cc_lang_of_path("x.ll", false), CC_LANG_C);
  assert_int_equal(cc_lang_of_x("assembler"), CC_LANG_ASM);
  assert_int_equal(cc_lang_of_x("assembler-with-cpp"), CC_LANG_ASM_CPP);
  assert_int_equal(cc_lang_of_x("c++-header"), CC_LANG_HEADER);
  assert_int_equal(cc_lang_of_x("objective-c"), CC_LANG_C);
}

static void test_opt_level(void **state) {
  (void)state;
  assert_null(cc_last_opt_level(ARGS("-c", "a.c")));
  assert_string_equal(cc_last_opt_level(ARGS("-O", "a.c")), "-O");
  assert_string_equal(cc_last_opt_level(ARGS("-O2", "-O0", "a.c")), "-O0");
  assert_string_equal(cc_last_opt_level(ARGS("-Ofast")), "-Ofast");
  assert_string_equal(cc_last_opt_level(ARGS("-Os")), "-Os");
  assert_string_equal(cc_last_opt_level(ARGS("-Oz")), "-Oz");
  assert_string_equal(cc_last_opt_level(ARGS("-Og")), "-Og");
  /* a value that looks like a level is not one; -o is the output */
  assert_null(cc_last_opt_level(ARGS("-o", "-O3", "a.c")));
  assert_null(cc_last_opt_level(ARGS("-o", "O2", "a.c")));
}

static void test_m32_shared_static(void **state) {
  (void)state;
  assert_true(cc_has_m32(ARGS("-m32", "a.c")));
  assert_false(cc_has_m32(ARGS("-m32", "-m64", "a.c")));
  assert_true(cc_has_m32(ARGS("-mx32", "-m32")));
  assert_false(cc_has_m32(ARGS("a.c")));
  assert_true(cc_is_shared(ARGS("-shared", "a.o")));
  assert_true(cc_is_shared(ARGS("-Wl,-shared", "a.o")));
  assert_true(cc_is_shared(ARGS("-Wl,--as-needed,-Bshareable", "a.o")));
  assert_false(cc_is_shared(ARGS("-shared-libgcc", "a.o")));
  assert_false(cc_is_shared(ARGS("-Wl,-shared-foo", "a.o")));
  assert_true(cc_is_static(ARGS("-static", "a.o")));
  assert_true(cc_is_static(ARGS("-static-pie", "a.o")));
  assert_false(cc_is_static(ARGS("-static-libgcc", "a.o")));
}

static void test_x_and_macros(void **state) {
  (void)state;
  assert_true(cc_has_x(ARGS("-x", "c", "-")));
  assert_true(cc_has_x(ARGS("-xc", "-")));
  assert_false(cc_has_x(ARGS("-x", "c", "a", "-x", "none", "b.o")));
  assert_false(cc_has_x(ARGS("a.c")));
  assert_true(
      cc_mentions_macro(ARGS("-D_FORTIFY_SOURCE=3"), "_FORTIFY_SOURCE"));
  assert_true(cc_mentions_macro(ARGS("-U_FORTIFY_SOURCE"), "_FORTIFY_SOURCE"));
  assert_true(
      cc_mentions_macro(ARGS("-D", "_FORTIFY_SOURCE"), "_FORTIFY_SOURCE"));
  assert_false(
      cc_mentions_macro(ARGS("-D_FORTIFY_SOURCEX"), "_FORTIFY_SOURCE"));
  assert_false(
      cc_mentions_macro(ARGS("-o", "-D_FORTIFY_SOURCE"), "_FORTIFY_SOURCE"));
}

/* Any -fsanitize=LIST counts (lop does not judge which need a runtime)
   but one of libFuzzer's items only, which the wrapper strips; coverage
   options, a value of -o and a later -fno-sanitize=all do not. */
static void test_asks_sanitizer(void **state) {
  (void)state;
  assert_true(cc_asks_sanitizer(ARGS("-fsanitize=address", "a.c")));
  assert_true(cc_asks_sanitizer(ARGS("-fsanitize=fuzzer,address", "a.c")));
  assert_false(cc_asks_sanitizer(ARGS("-fsanitize=fuzzer-no-link", "a.c")));
  assert_false(cc_asks_sanitizer(ARGS("-fsanitize=fuzzer", "a.c")));
  assert_false(cc_asks_sanitizer(ARGS("-fsanitize-coverage=edge", "a.c")));
  assert_false(cc_asks_sanitizer(ARGS("-o", "-fsanitize=address", "a.c")));
  assert_false(cc_asks_sanitizer(
      ARGS("-fsanitize=undefined", "-fno-sanitize=all", "a.c")));
  assert_false(cc_asks_sanitizer(ARGS("a.c")));
}

static void test_facts(void **state) {
  (void)state;
  struct cc_facts f;
  cc_facts_collect(ARGS("-c", "a.s"), false, &f);
  assert_true(f.has_input);
  assert_false(f.compiles); /* plain assembly: nothing for lop to add */
  cc_facts_collect(ARGS("-O0", "-E", "a.c"), false, &f);
  assert_true(f.compiles && f.preprocess_only && f.opt_zero && !f.links);
  cc_facts_collect(ARGS("a.c"), true, &f);
  assert_true(f.cxx && f.links && !f.has_opt_level);
  cc_facts_collect(ARGS("b.cc", "-c"), false, &f);
  assert_true(f.cxx);
  cc_facts_collect(ARGS("--version"), false, &f);
  assert_false(f.has_input || f.compiles || f.links);
}

static void test_asks_libfuzzer(void **state) {
  (void)state;
  assert_true(cc_asks_libfuzzer(ARGS("-fsanitize=fuzzer", "h.c")));
  assert_true(cc_asks_libfuzzer(ARGS("-fsanitize=address,fuzzer", "h.c")));
  assert_false(cc_asks_libfuzzer(ARGS("-fsanitize=fuzzer-no-link", "h.c")));
  assert_false(cc_asks_libfuzzer(ARGS("-fsanitize=address", "h.c")));
  assert_false(
      cc_asks_libfuzzer(ARGS("-fsanitize=fuzzer", "-fno-sanitize=all", "h.c")));
  assert_false(cc_asks_libfuzzer(
      ARGS("-fsanitize=fuzzer", "-fno-sanitize=undefined,fuzzer", "h.c")));
  assert_false(cc_asks_libfuzzer(ARGS("-o", "-fsanitize=fuzzer", "h.c")));
}

static void test_names_libfuzzer(void **state) {
  (void)state;
  assert_true(cc_names_libfuzzer(ARGS("-fsanitize=fuzzer-no-link", "h.c")));
  assert_true(cc_names_libfuzzer(ARGS("-fsanitize=address,fuzzer", "h.c")));
  assert_false(cc_names_libfuzzer(ARGS("-fsanitize=address", "h.c")));
  assert_false(cc_names_libfuzzer(ARGS("-fsanitize=fuzzerx", "h.c")));
  assert_false(cc_names_libfuzzer(ARGS("-o", "-fsanitize=fuzzer", "h.c")));
  assert_true(cc_is_libfuzzer_item("fuzzer,address", 6));
  assert_false(cc_is_libfuzzer_item("fuzzer", 5));
}

/* Commands whose stderr configure scripts and build systems may read. */
static void test_build_probes(void **state) {
  (void)state;
  assert_true(cc_is_build_probe(ARGS("--version"), false));
  assert_true(cc_is_build_probe(ARGS("-v"), false));
  assert_true(cc_is_build_probe(ARGS("-E", "a.c"), false));
  assert_true(cc_is_build_probe(ARGS("-c", "conftest.c"), false));
  assert_true(cc_is_build_probe(ARGS("-o", "conftest", "conftest.c"), false));
  assert_true(
      cc_is_build_probe(ARGS("-c", "x.c", "-o", "out/conftest2.o"), false));
  assert_true(cc_is_build_probe(
      ARGS("-c", "/b/CMakeFiles/CMakeScratch/TryCompile-x/src.c"), false));
  assert_true(cc_is_build_probe(
      ARGS("/b/CMakeFiles/3.25.1/CompilerIdC/CMakeCCompilerId.c"), false));
  assert_true(cc_is_build_probe(ARGS("meson-private/sanitycheckc.c", "-o", "x"),
                                false));
  assert_false(cc_is_build_probe(ARGS("-c", "main.c", "-o", "main.o"), false));
  assert_false(cc_is_build_probe(
      ARGS("-c", "../src/a.c", "-o", "CMakeFiles/app.dir/a.c.o"), false));
  assert_false(cc_is_build_probe(ARGS("a.o", "b.o", "-o", "prog"), false));
}

/* Response files are looked into: a -c inside one is not a link step. */
static void test_facts_through_response_files(void **state) {
  (void)state;
  char dir[] = "/tmp/lop-pred-XXXXXX";
  assert_non_null(mkdtemp(dir));
  char inner[64], outer[64], text[96], arg[80];
  snprintf(inner, sizeof(inner), "%s/in.rsp", dir);
  snprintf(outer, sizeof(outer), "%s/out.rsp", dir);
  FILE *f = fopen(inner, "w");
  fputs("-c -O2", f);
  fclose(f);
  snprintf(text, sizeof(text), "a.c @%s", inner);
  f = fopen(outer, "w");
  fputs(text, f);
  fclose(f);
  snprintf(arg, sizeof(arg), "@%s", outer);
  char *argv[] = {arg, NULL};
  struct cc_args ex;
  cc_args_init(&ex);
  char *err = NULL;
  assert_int_equal(cc_rsp_expand(V(argv), &ex, &err), 0);
  struct cc_facts facts;
  cc_facts_collect(cc_args_view(&ex), false, &facts);
  assert_true(facts.compiles);
  assert_false(facts.links);
  assert_true(facts.has_opt_level);
  cc_args_free(&ex);
  unlink(inner);
  unlink(outer);
  rmdir(dir);
}

/* Every spelling of a version script that reaches the linker. */
static void test_version_script_forms(void **state) {
  (void)state;
  char buf[256];
  assert_null(cc_version_script(ARGS("-shared", "a.o"), buf, sizeof(buf)));
  assert_string_equal(
      cc_version_script(ARGS("-Wl,--version-script=v.map"), buf, sizeof(buf)),
      "v.map");
  assert_string_equal(cc_version_script(ARGS("-Wl,-z,defs,--version-script,w"),
                                        buf, sizeof(buf)),
                      "w");
  assert_string_equal(
      cc_version_script(ARGS("-Wl,-version-script=x"), buf, sizeof(buf)), "x");
  assert_string_equal(cc_version_script(ARGS("-Xlinker", "--version-script=y"),
                                        buf, sizeof(buf)),
                      "y");
  assert_string_equal(
      cc_version_script(ARGS("-Xlinker", "--version-script", "-Xlinker", "z"),
                        buf, sizeof(buf)),
      "z");
  /* The last one wins; an -o value is never a linker argument. */
  assert_string_equal(cc_version_script(ARGS("-Wl,--version-script=a", "-o",
                                             "-Wl,--version-script=o",
                                             "-Wl,--version-script=b"),
                                        buf, sizeof(buf)),
                      "b");
}

/* Writes text to a temp file and asks whether its first node is named. */
static bool named(const char *text) {
  char path[] = "/tmp/lop-vs-XXXXXX";
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
  close(fd);
  bool r = cc_version_script_is_named(path);
  unlink(path);
  return r;
}

static void test_version_script_named(void **state) {
  (void)state;
  assert_true(named("V1 { global: f; local: *; };"));
  assert_true(named("/* c */\n# hash comment\n  LIBX_2.0 {\n};"));
  assert_false(named("{ global: f; local: *; };"));
  assert_false(named("/* a { b */ { f; };"));
  assert_false(named(""));
  assert_false(cc_version_script_is_named(NULL));
  assert_false(cc_version_script_is_named("/nonexistent/lop.map"));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_cxx_name),
      cmocka_unit_test(test_link_step),
      cmocka_unit_test(test_asks_sanitizer),
      cmocka_unit_test(test_inputs_and_languages),
      cmocka_unit_test(test_opt_level),
      cmocka_unit_test(test_m32_shared_static),
      cmocka_unit_test(test_x_and_macros),
      cmocka_unit_test(test_facts),
      cmocka_unit_test(test_facts_through_response_files),
      cmocka_unit_test(test_asks_libfuzzer),
      cmocka_unit_test(test_names_libfuzzer),
      cmocka_unit_test(test_build_probes),
      cmocka_unit_test(test_version_script_forms),
      cmocka_unit_test(test_version_script_named),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
