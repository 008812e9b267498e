/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * The tiny harness make bench measures executions per second with: a few
 * branches on the first input bytes, so an execution costs almost nothing
 * but the protocol. Built three ways: plain (-UBENCH_PERSIST, one input per
 * process through the forkserver), -DBENCH_PERSIST (__AFL_LOOP) and
 * -DBENCH_PERSIST -DBENCH_SHM (testcases in shared memory).
 */
#include <stddef.h>
#include <unistd.h>

/* Iterations per persistent process: what afl-fuzz users commonly pick. */
#define BENCH_LOOP_ITERS 10000

#ifdef BENCH_SHM
__AFL_FUZZ_INIT();
#endif

/* Path number taken; volatile so every if stays a real branch. */
static volatile int path;

/* Branches on the first bytes of one input. */
static void handle(const unsigned char *buf, size_t len) {
  path = 0;
  if (len > 0 && buf[0] == 'b') {
    path = 1;
    if (len > 1 && buf[1] == 'e')
      path = 2;
  }
  if (len > 4)
    path += 10;
}

int main(void) {
#ifdef BENCH_PERSIST
#ifdef BENCH_SHM
  __AFL_INIT();
  unsigned char *shm_buf = __AFL_FUZZ_TESTCASE_BUF;
  while (__AFL_LOOP(BENCH_LOOP_ITERS))
    handle(shm_buf, __AFL_FUZZ_TESTCASE_LEN);
#else
  unsigned char buf[64];
  while (__AFL_LOOP(BENCH_LOOP_ITERS)) {
    ssize_t n = read(0, buf, sizeof(buf));
    handle(buf, n > 0 ? (size_t)n : 0);
  }
#endif
#else
  unsigned char buf[64];
  ssize_t n = read(0, buf, sizeof(buf));
  handle(buf, n > 0 ? (size_t)n : 0);
#endif
  return 0;
}
