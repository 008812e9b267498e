/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * llmp stress test: one broker thread and N client threads, each writing
 * M messages of random sizes (many page switches, now and then a page
 * larger than the first) and reading every other client's, each exactly
 * once and in its sender's order; then no segment may be left. Built
 * plain, with ThreadSanitizer and with ASan+UBSan by the Makefile
 * (make test-llmp-stress, test-llmp-tsan, test-llmp-asan).
 * Usage: llmp-stress [N [M [SEED]]]; prints one line, exits 0 when sound.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "llmp_util.h"

int main(int argc, char **argv) {
  unsigned n = argc > 1 ? (unsigned)atoi(argv[1]) : 4;
  unsigned m = argc > 2 ? (unsigned)atoi(argv[2]) : 2000;
  unsigned seed = argc > 3 ? (unsigned)atoi(argv[3]) : 1;
  if (n < 2 || n > 64 || m < 1) {
    fprintf(stderr, "llmp-stress: error: N must be 2..64 and M > 0\n");
    return 2;
  }
  struct bthread bt;
  struct timespec t0, t1;
  int err = bthread_start(&bt, NULL);
  if (err) {
    fprintf(stderr, "llmp-stress: error: broker: %d\n", err);
    return 1;
  }
  clock_gettime(CLOCK_MONOTONIC, &t0);
  err = llmp_test_nxm(&bt, n, m, seed);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  bthread_pause(&bt); /* the stats are the broker thread's */
  const struct llmp_broker_stats *st = llmp_broker_stats(bt.b);
  unsigned long long fwd = (unsigned long long)st->forwarded;
  bthread_stop(&bt);
  int left = llmp_test_segments(getpid());
  double s = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
  printf("llmp-stress: %u writers x %u messages (seed %u): %s, %llu forwarded, "
         "%d segments left, %.2f s\n",
         n, m, seed, err ? "FAILED" : "each received once, in order", fwd,
         left, s);
  return err || left || fwd != (unsigned long long)n * m;
}
