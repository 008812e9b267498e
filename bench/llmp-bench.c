/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * llmp-bench: messages per second, MB/s and latency of llmp (docs/llmp.md)
 * for 64 B and 4 KiB payloads: N writer processes through one broker
 * process to one reader, the same over a TCP link between two brokers on
 * loopback, and, measured in the same run, a pipe and a Unix socket
 * between two processes. Each line: what, msgs/s, MB/s, and the median
 * and 99th percentile latency of messages sent one at a time (send to
 * receive, microseconds). The broker busy-polls (timeout 0). Part of
 * `make bench`; docs/performance.md has the numbers.
 * Usage: llmp-bench [MESSAGES]   (default 100000 per run)
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "llmp.h"

#define LAT_SAMPLES 2000
#define MAX_WRITERS 8

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void die(const char *what, int err) {
  fprintf(stderr, "llmp-bench: error: %s: %s\n", what, strerror(err));
  exit(1);
}

/* A broker child in dir; listens on TCP when port_out, links to
   connect_port when > 0. */
static pid_t broker_child(const char *dir, int *port_out, int connect_port) {
  int pfd[2];
  if (pipe(pfd))
    die("pipe", errno);
  pid_t pid = fork();
  if (pid == 0) {
    struct llmp_broker_opts o = {.sock_dir = dir};
    struct llmp_broker *b;
    char addr[32];
    int port = 0;
    if (llmp_broker_new(&o, &b))
      _exit(1);
    if (port_out)
      port = llmp_broker_listen(b, "127.0.0.1:0");
    snprintf(addr, sizeof addr, "127.0.0.1:%d", connect_port);
    if (connect_port > 0 && llmp_broker_connect(b, addr))
      _exit(1);
    if (write(pfd[1], &port, sizeof port) != sizeof port)
      _exit(1);
    /* Busy while messages flow; after a quiet while, wait in poll(2). */
    for (unsigned idle = 0;;) {
      int got = llmp_broker_poll(b, idle > 20000 ? 1 : 0);
      idle = got ? 0 : idle + 1;
      if (!got)
        sched_yield();
    }
  }
  close(pfd[1]);
  int port = 0;
  if (read(pfd[0], &port, sizeof port) != sizeof port)
    die("broker did not start", EPIPE);
  close(pfd[0]);
  if (port_out)
    *port_out = port;
  return pid;
}

static struct llmp_client *join(const char *dir) {
  struct llmp_client *c;
  int err = llmp_client_join(dir, &c);
  if (err)
    die("join", -err);
  return c;
}

/* Sends n messages of len bytes (the send time in the first 8), one every
   gap_ns (0: as fast as the broker takes them). */
static void send_n(struct llmp_client *c, unsigned n, size_t len,
                   uint64_t gap_ns) {
  for (unsigned k = 0; k < n; k++) {
    if (gap_ns)
      nanosleep(&(struct timespec){0, (long)gap_ns}, NULL);
    uint8_t *p;
    while (!(p = llmp_client_alloc(c, LLMP_TAG_USER, len)))
      sched_yield(); /* back-pressure: let the broker run */
    uint64_t t = now_ns();
    memcpy(p, &t, sizeof t);
    llmp_client_commit(c);
  }
}

static pid_t writer_child(const char *dir, unsigned n, size_t len,
                          uint64_t gap_ns) {
  pid_t pid = fork();
  if (pid == 0) {
    struct llmp_client *c = join(dir);
    usleep(50000); /* every other client has joined */
    send_n(c, n, len, gap_ns);
    llmp_client_free(c);
    _exit(0);
  }
  return pid;
}

static int cmp_u64(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return x < y ? -1 : x > y;
}

static void report(const char *what, size_t len, unsigned n, uint64_t ns,
                   uint64_t *lat, unsigned nlat) {
  qsort(lat, nlat, sizeof *lat, cmp_u64);
  double s = (double)ns / 1e9;
  printf("  %-44s %5zu B %10.0f %8.1f %8.1f %8.1f\n", what, len, n / s,
         (double)n * (double)len / s / 1e6, lat[nlat / 2] / 1e3,
         lat[nlat * 99 / 100] / 1e3);
}

/* n messages from `writers` processes on broker dir_w, read on dir_r. */
static void llmp_run(const char *what, const char *dir_w, const char *dir_r,
                     unsigned writers, unsigned n, size_t len) {
  static uint64_t lat[LAT_SAMPLES];
  struct llmp_client *r = join(dir_r);
  struct llmp_msg m;
  pid_t w[MAX_WRITERS];
  for (unsigned i = 0; i < writers; i++)
    w[i] = writer_child(dir_w, n / writers, len, 0);
  unsigned got = 0, want = n / writers * writers;
  uint64_t t0 = 0;
  while (got < want) {
    int r1 = llmp_client_poll(r, &m);
    if (r1 == 1 && got++ == 0)
      t0 = now_ns();
    else if (r1 == 0)
      sched_yield();
  }
  uint64_t ns = now_ns() - t0;
  for (unsigned i = 0; i < writers; i++)
    waitpid(w[i], NULL, 0);
  pid_t lw = writer_child(dir_w, LAT_SAMPLES, len, 100000);
  for (got = 0; got < LAT_SAMPLES;) {
    int r1 = llmp_client_poll(r, &m);
    if (r1 == 0)
      sched_yield();
    if (r1 == 1) {
      uint64_t t;
      memcpy(&t, m.data, sizeof t);
      lat[got++] = now_ns() - t;
    }
  }
  waitpid(lw, NULL, 0);
  report(what, len, want, ns, lat, LAT_SAMPLES);
  llmp_client_free(r);
}

/* The same through a pipe (stream = 0) or a Unix socket pair (1). */
static void fd_run(const char *what, bool stream, unsigned n, size_t len) {
  static uint64_t lat[LAT_SAMPLES];
  uint8_t buf[4096];
  int fd[2];
  if (stream ? socketpair(AF_UNIX, SOCK_STREAM, 0, fd) : pipe(fd))
    die("pipe", errno);
  uint64_t t0 = now_ns();
  for (int phase = 0; phase < 2; phase++) {
    unsigned count = phase ? LAT_SAMPLES : n;
    pid_t pid = fork();
    if (pid == 0) {
      close(fd[0]);
      memset(buf, 1, sizeof buf);
      for (unsigned k = 0; k < count; k++) {
        if (phase)
          nanosleep(&(struct timespec){0, 100000}, NULL);
        uint64_t t = now_ns();
        memcpy(buf, &t, sizeof t);
        if (write(fd[1], buf, len) != (ssize_t)len)
          _exit(1);
      }
      _exit(0);
    }
    for (unsigned k = 0; k < count; k++) {
      size_t have = 0;
      while (have < len) {
        ssize_t r = read(fd[0], buf + have, len - have);
        if (r <= 0)
          die("read", errno);
        have += (size_t)r;
      }
      if (phase) {
        uint64_t t;
        memcpy(&t, buf, sizeof t);
        lat[k] = now_ns() - t;
      }
    }
    waitpid(pid, NULL, 0);
    if (!phase)
      t0 = now_ns() - t0;
  }
  report(what, len, n, t0, lat, LAT_SAMPLES);
  close(fd[0]);
  close(fd[1]);
}

static void stop(pid_t pid) {
  kill(pid, SIGKILL);
  waitpid(pid, NULL, 0);
}

int main(int argc, char **argv) {
  unsigned n = argc > 1 ? (unsigned)atoi(argv[1]) : 100000;
  char a[] = "/tmp/lop-llmp-bench-XXXXXX", b[] = "/tmp/lop-llmp-bench-XXXXXX";
  if (n < 1000 || !mkdtemp(a) || !mkdtemp(b))
    die("usage: llmp-bench [MESSAGES >= 1000], or mkdtemp", EINVAL);
  setvbuf(stdout, NULL, _IOLBF, 0);
  printf("llmp-bench: %u messages per run, %d one at a time for latency\n", n,
         LAT_SAMPLES);
  printf("  %-44s %7s %10s %8s %8s %8s\n", "path", "size", "msgs/s", "MB/s",
         "p50 us", "p99 us");
  static const size_t sizes[] = {64, 4096};
  int port;
  for (unsigned s = 0; s < 2; s++) {
    size_t len = sizes[s];
    fd_run("pipe, 1 writer", false, n, len);
    fd_run("unix socket, 1 writer", true, n, len);
    pid_t pa = broker_child(a, &port, 0);
    llmp_run("llmp, 1 writer -> broker -> 1 reader", a, a, 1, n, len);
    llmp_run("llmp, 2 writers -> broker -> 1 reader", a, a, 2, n, len);
    llmp_run("llmp, 4 writers -> broker -> 1 reader", a, a, 4, n, len);
    pid_t pb = broker_child(b, NULL, port);
    usleep(100000); /* the link is up */
    llmp_run("llmp, 1 writer -> broker -TCP-> broker -> 1", a, b, 1, n, len);
    stop(pb);
    stop(pa);
  }
  char sock[64];
  snprintf(sock, sizeof sock, "%s/llmp.sock", a);
  unlink(sock);
  snprintf(sock, sizeof sock, "%s/llmp.sock", b);
  unlink(sock);
  rmdir(a);
  rmdir(b);
  return 0;
}
