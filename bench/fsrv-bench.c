/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * fsrv-bench: executions per second under lop's own client. Starts the
 * target through the client library (build/libfsrv.a), runs one small input
 * N times and prints "execs_per_sec=R edges=E" (edges of the last run, so a
 * caller can see the target really was instrumented).
 */
#include "debug.h"
#include "forkserver.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

const char *lop_progname = "fsrv-bench";

/* Seconds on the monotonic clock. */
static double bench_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Parses a positive count, or dies with a one-line error. */
static long bench_count(const char *text) {
  char *end;
  long n = strtol(text, &end, 10);
  if (*end || n <= 0)
    FATAL("bad count '%s'; give a positive number of executions", text);
  return n;
}

int main(int argc, char **argv) {
  long n = 10000;
  bool shm = false;
  int opt;
  opterr = 0;
  while ((opt = getopt(argc, argv, "+n:s")) != -1) {
    if (opt == 'n')
      n = bench_count(optarg);
    else if (opt == 's')
      shm = true;
    else
      FATAL("unknown option '-%c'; usage: fsrv-bench [-s] [-n N] -- target",
            optopt);
  }
  if (optind >= argc)
    FATAL("no target given; usage: fsrv-bench [-s] [-n N] -- target");
  struct fsrv f;
  if (fsrv_init(&f, argv + optind, NULL, EXEC_TIMEOUT_MS) != FSRV_E_OK)
    FATAL("%s", f.err);
  f.offer_shm_testcase = shm;
  if (fsrv_start(&f) != FSRV_E_OK)
    FATAL("%s", f.err);
  static const uint8_t input[] = "bench";
  enum fsrv_verdict v;
  double t0 = bench_now();
  for (long i = 0; i < n; i++)
    if (fsrv_run(&f, input, sizeof(input) - 1, &v) != FSRV_E_OK ||
        v != FSRV_VERDICT_OK)
      FATAL("run %ld failed: %s", i, f.err[0] ? f.err : fsrv_verdict_name(v));
  double secs = bench_now() - t0;
  printf("execs_per_sec=%.0f edges=%u shm=%d\n", (double)n / secs,
         fsrv_map_count(f.map, f.map_size), f.shm_testcase);
  fsrv_destroy(&f);
  return 0;
}
