/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Word I/O on the forkserver pipes with deadlines: every read the client
 * does can time out, because a target may hang at any point of the
 * protocol, and a fuzzer must never hang with it.
 */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

/* Monotonic milliseconds, immune to wall-clock changes. */
static uint64_t io_now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000U + (uint64_t)ts.tv_nsec / 1000000U;
}

/* The deadline covers all pieces together, so a target dribbling bytes
   cannot stretch the timeout. */
enum fsrv_io fsrv_read_bytes(int fd, uint8_t *buf, size_t len,
                             uint32_t timeout_ms) {
  uint64_t deadline = io_now_ms() + timeout_ms;
  size_t got = 0;
  while (got < len) {
    uint64_t now = io_now_ms();
    if (now >= deadline)
      return FSRV_IO_TIMEOUT;
    struct pollfd p = {.fd = fd, .events = POLLIN};
    /* poll takes an int: a longer wait goes round this loop again rather
       than turn negative, which would mean forever. */
    uint64_t left = deadline - now;
    int r = poll(&p, 1, left > INT_MAX ? INT_MAX : (int)left);
    if (r < 0 && errno == EINTR)
      continue;
    if (r < 0)
      return FSRV_IO_ERROR;
    if (r == 0)
      return FSRV_IO_TIMEOUT;
    ssize_t n = read(fd, buf + got, len - got);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return FSRV_IO_ERROR;
    if (n == 0)
      return FSRV_IO_EOF;
    got += (size_t)n;
  }
  return FSRV_IO_OK;
}

enum fsrv_io fsrv_read_word(int fd, uint32_t *w, uint32_t timeout_ms) {
  return fsrv_read_bytes(fd, (uint8_t *)w, sizeof(*w), timeout_ms);
}

uint32_t fsrv_wait_ms(const struct fsrv *f) {
  uint64_t ms = (uint64_t)f->timeout_ms * FORK_WAIT_MULT;
  return ms > UINT32_MAX ? UINT32_MAX : (uint32_t)ms;
}

bool fsrv_write_word(int fd, uint32_t w) {
  ssize_t n;
  do
    n = write(fd, &w, sizeof(w));
  while (n < 0 && errno == EINTR);
  return n == (ssize_t)sizeof(w);
}

int fsrv_fd_above_std(int fd) {
  if (fd < 0 || fd > STDERR_FILENO)
    return fd;
  int high = fcntl(fd, F_DUPFD_CLOEXEC, STDERR_FILENO + 1);
  int e = errno;
  close(fd);
  errno = e;
  return high;
}

enum fsrv_err fsrv_fail(struct fsrv *f, enum fsrv_err e, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  /* va_start above initialises ap; clang-analyzer 14 reports it wrongly.
     NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized) */
  vsnprintf(f->err, sizeof(f->err), fmt, ap);
  va_end(ap);
  return e;
}
