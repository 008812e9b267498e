/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Persistent-mode target: many inputs per process with __AFL_LOOP. It keeps
 * a counter across iterations; each iteration starts with the same map
 * state, so the same input gives the same map whatever ran before it.
 * With LOP_TEST_FORK_LOG set it logs each process start (one per fork).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static unsigned iterations;
static volatile int sink; /* keeps handle() from being optimised away */

/* Branches on the first bytes of one input. */
static int handle(const unsigned char *buf, ssize_t len) {
  if (len > 0 && buf[0] == 'A') {
    if (len > 1 && buf[1] == 'B')
      return 2;
    return 1;
  }
  if (len > 0 && buf[0] == 'Z')
    return 26;
  return 0;
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
  unsigned char buf[256];
  log_fork();
  while (__AFL_LOOP(1000)) {
    iterations++;
    ssize_t len = read(0, buf, sizeof(buf));
    sink = handle(buf, len);
  }
  if (getenv("LOP_TEST_VERBOSE"))
    printf("iterations=%u\n", iterations);
  return 0;
}
