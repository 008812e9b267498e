/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * The ceilings of make bench: how many executions per second this machine
 * allows at best, whatever the instrumentation. `ceilings MODE N` does N
 * rounds and prints rounds per second:
 *   fork  fork() + _exit() + waitpid(), no pipes
 *   fsrv  a pipe forkserver with nothing instrumented: client -> server
 *         word, server forks, reports pid and wait status
 *   exit  the same, but the child leaves through exit() as a program
 *         returning from main() does: libc's exit handlers and the
 *         destructors of every loaded object (this program is linked
 *         dynamically, as targets usually are)
 *   stop  the standard persistent protocol: the server wakes a stopped
 *         child with SIGCONT, the child stops itself again with SIGSTOP
 *   pipe  a bare pipe round trip of one word between two processes
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int ctl[2], st[2]; /* client -> server, server -> client */

/* Seconds on the monotonic clock. */
static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One word over a pipe; any short transfer ends the program. */
static void put(int fd, uint32_t w) {
  if (write(fd, &w, 4) != 4)
    _exit(1);
}
static uint32_t get(int fd) {
  uint32_t w;
  if (read(fd, &w, 4) != 4)
    _exit(1);
  return w;
}

/* Server side of fsrv/exit/stop/pipe: answers each command word. */
static void serve(const char *mode) {
  pid_t child = 0;
  uint32_t cmd;
  /* The client closing its end is the signal to stop. */
  while (read(ctl[0], &cmd, 4) == 4) {
    if (!strcmp(mode, "pipe")) {
      put(st[1], 0);
      continue;
    }
    if (!strcmp(mode, "stop") && child > 0) {
      kill(child, SIGCONT);
    } else if ((child = fork()) == 0) {
      if (!strcmp(mode, "stop"))
        for (;;)
          raise(SIGSTOP);
      if (!strcmp(mode, "exit"))
        exit(0);
      _exit(0);
    }
    int status;
    put(st[1], (uint32_t)child);
    waitpid(child, &status, !strcmp(mode, "stop") ? WUNTRACED : 0);
    put(st[1], (uint32_t)status);
  }
  if (child > 0 && !strcmp(mode, "stop")) {
    kill(child, SIGKILL);
    waitpid(child, NULL, 0);
  }
  _exit(0);
}

/* Client side: n commands, each answered by one word (pipe) or two. */
static void drive(const char *mode, long n) {
  for (long i = 0; i < n; i++) {
    put(ctl[1], 0);
    get(st[0]);
    if (strcmp(mode, "pipe"))
      get(st[0]);
  }
}

int main(int argc, char **argv) {
  long n = argc > 2 ? atol(argv[2]) : 0;
  const char *mode = argc > 1 ? argv[1] : "";
  if (n <= 0 ||
      (strcmp(mode, "fork") && strcmp(mode, "fsrv") && strcmp(mode, "exit") &&
       strcmp(mode, "stop") && strcmp(mode, "pipe"))) {
    fprintf(stderr, "usage: ceilings fork|fsrv|exit|stop|pipe ROUNDS\n");
    return 2;
  }
  double t0 = now();
  if (!strcmp(mode, "fork")) {
    for (long i = 0; i < n; i++) {
      pid_t p = fork();
      if (p == 0)
        _exit(0);
      waitpid(p, NULL, 0);
    }
  } else {
    if (pipe(ctl) || pipe(st))
      return 1;
    pid_t server = fork();
    if (server == 0) {
      close(ctl[1]);
      close(st[0]);
      serve(mode);
    }
    close(ctl[0]);
    close(st[1]);
    t0 = now();
    drive(mode, n);
    double t1 = now();
    close(ctl[1]);
    waitpid(server, NULL, 0);
    printf("%.0f\n", (double)n / (t1 - t0));
    return 0;
  }
  printf("%.0f\n", (double)n / (now() - t0));
  return 0;
}
