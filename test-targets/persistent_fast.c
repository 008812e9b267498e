/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Persistent target for the tests of lop's fast persistent protocol: each
 * __AFL_LOOP(LOOP_ITERS) iteration reads one input from stdin. "crash"
 * segfaults, "hang" waits forever, inputs starting with 'A' or 'Z' take
 * branches of their own. With LOP_TEST_ITER_LOG set it counts the SIGCONTs
 * it receives (the standard protocol wakes the stopped child with one each
 * iteration; the handler's own edge then shows in the map) and appends
 * "pid=P iteration=N conts=C env=E" per iteration, where E says whether
 * lop's protocol variable is still visible to the program (it must not be).
 * Code after the loop branches too, so a map that was not switched back to the
 * fallback would show it.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef LOOP_ITERS
#define LOOP_ITERS 1000
#endif

static volatile sig_atomic_t conts;
static volatile int sink; /* keeps the branches from being optimised away */

static void on_cont(int sig) {
  (void)sig;
  conts++;
}

/* Branches on the first bytes of one input; crashes or hangs on request. */
static void handle(const char *buf, ssize_t len) {
  if (len == 5 && !memcmp(buf, "crash", 5))
    raise(SIGSEGV);
  if (len == 4 && !memcmp(buf, "hang", 4))
    for (;;)
      pause();
  if (len > 0 && buf[0] == 'A')
    sink = len > 1 && buf[1] == 'B' ? 2 : 1;
  else if (len > 0 && buf[0] == 'Z')
    sink = 26;
  else
    sink = 0;
}

/* One line per iteration in $LOP_TEST_ITER_LOG, if set. */
static void log_iteration(unsigned n) {
  const char *path = getenv("LOP_TEST_ITER_LOG");
  FILE *f = path ? fopen(path, "a") : NULL;
  if (f) {
    fprintf(f, "pid=%d iteration=%u conts=%d env=%d\n", (int)getpid(), n,
            (int)conts, getenv("__LOP_FAST_PERSIST") != NULL);
    fclose(f);
  }
}

int main(void) {
  char buf[256];
  unsigned iterations = 0;
  if (getenv("LOP_TEST_ITER_LOG"))
    signal(SIGCONT, on_cont);
  while (__AFL_LOOP(LOOP_ITERS)) {
    log_iteration(++iterations);
    ssize_t len = read(0, buf, sizeof(buf));
    handle(buf, len);
  }
  if (iterations > 1)
    sink = 100;
  else
    sink = 101;
  return 0;
}
