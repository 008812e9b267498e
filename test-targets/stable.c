/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * A deterministic persistent harness for the stability tests: each
 * iteration's map depends on its input alone, so every iteration of one
 * process, the first included, must give an input the same map. The body
 * branches in main, in a function entered from two call sites and in a
 * loop over the input. Built as is, the loop is the plain
 * `while (__AFL_LOOP(n))` that optimisers rotate; variants:
 *   -DSTABLE_INIT    __AFL_INIT() before the loop (deferred start-up)
 *   -DSTABLE_SHM     inputs from shared memory (__AFL_FUZZ_TESTCASE_BUF),
 *                    after __AFL_INIT()
 *   -DSTABLE_UNROLL  the loop asked to be unrolled by 2 (-Wno-pass-failed:
 *                    lop keeps the loop's call from being copied, so the
 *                    compiler says it could not)
 * Each variant reads one input per iteration and prints nothing. With
 * LOP_TEST_FORK_LOG set it appends its pid there once per process, before
 * the loop: code the first iteration's map must not show.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#ifdef STABLE_SHM
__AFL_FUZZ_INIT();
#endif

static volatile int sink; /* keeps every branch a branch */

/* Counts the input's digits; entered from two call sites in handle(). */
__attribute__((noinline)) int digits(const unsigned char *buf, size_t len) {
  int n = 0;
  for (size_t i = 0; i < len; i++)
    if (buf[i] >= '0' && buf[i] <= '9')
      n++;
  return n;
}

/* Branches on the input: a two-byte prefix, a first byte and its digits. */
static void handle(const unsigned char *buf, size_t len) {
  if (len > 0 && buf[0] == 'a') {
    if (len > 1 && buf[1] == 'b')
      sink = 2;
    else
      sink = 1;
  } else if (len > 0 && buf[0] == 'z') {
    sink = digits(buf, len);
  } else {
    sink = 3 + digits(buf, len);
  }
}

/* Appends this process's pid to $LOP_TEST_FORK_LOG: one line per fork. */
static void log_fork(void) {
  const char *log = getenv("LOP_TEST_FORK_LOG");
  FILE *f = log ? fopen(log, "a") : NULL;
  if (f) {
    fprintf(f, "%d\n", (int)getpid());
    fclose(f);
  }
}

int main(void) {
#if defined(STABLE_INIT) || defined(STABLE_SHM)
  __AFL_INIT();
#endif
  log_fork();
#ifdef STABLE_SHM
  unsigned char *buf = __AFL_FUZZ_TESTCASE_BUF;
#else
  unsigned char buf[64];
#endif
#ifdef STABLE_UNROLL
#pragma clang loop unroll_count(2)
#endif
  while (__AFL_LOOP(1000)) {
#ifdef STABLE_SHM
    size_t len = __AFL_FUZZ_TESTCASE_LEN;
#else
    ssize_t got = read(0, buf, sizeof(buf));
    size_t len = got > 0 ? (size_t)got : 0;
#endif
    handle(buf, len);
  }
  return 0;
}
