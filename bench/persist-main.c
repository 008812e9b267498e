/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * The persistent driver of the coverage bench (bench/fuzz-cov): a real-world
 * harness of tests/realworld/harness/, compiled with -Dmain=harness_main,
 * runs once per testcase in an __AFL_LOOP, reading stdin as it does when
 * started by hand. Both fuzzers run the same driver, each built by its own
 * toolchain, so the bench compares the engines on an equal footing.
 */
#include <stdio.h>

/* Iterations per process, as the execs/s harness (bench/harness.c). */
#define PERSIST_ITERS 10000

int harness_main(int argc, char **argv);

int main(int argc, char **argv) {
  (void)argc;
  char *stdin_argv[] = {argv[0], NULL};
  while (__AFL_LOOP(PERSIST_ITERS)) {
    /* The fuzzer rewinds the testcase file behind fd 0 for each run; the
       FILE saw end-of-file in the run before, so forget it. */
    clearerr(stdin);
    harness_main(1, stdin_argv);
  }
  return 0;
}
