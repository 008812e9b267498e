/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Small I/O helpers of llmp: the registration socket's path, whole-buffer
 * reads and writes on blocking descriptors (registration is rare and
 * small), and reading the TCP links' shared secret from a file.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

char *llmp_sock_path(const char *dir) {
  char *path = NULL;
  if (asprintf(&path, "%s/llmp.sock", dir) < 0)
    return NULL;
  return path;
}

int llmp_write_full(int fd, const void *buf, size_t n) {
  const uint8_t *p = buf;
  while (n) {
    ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0)
      return w < 0 ? -errno : -EPIPE;
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

/* Reads n bytes, waiting at most timeout_ms for each part (-1: forever).
   -EPIPE on end of file, -ETIMEDOUT. */
int llmp_read_full(int fd, void *buf, size_t n, int timeout_ms) {
  uint8_t *p = buf;
  while (n) {
    struct pollfd pfd = {fd, POLLIN, 0};
    int ready = poll(&pfd, 1, timeout_ms);
    if (ready < 0 && errno == EINTR)
      continue;
    if (ready == 0)
      return -ETIMEDOUT;
    ssize_t r = read(fd, p, n);
    if (r < 0 && errno == EINTR)
      continue;
    if (r <= 0)
      return r < 0 ? -errno : -EPIPE;
    p += r;
    n -= (size_t)r;
  }
  return 0;
}

int llmp_secret_load(const char *path, uint8_t **out, size_t *len) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return -errno;
  uint8_t *buf = malloc(LLMP_SECRET_MAX + 1);
  ssize_t n = buf ? read(fd, buf, LLMP_SECRET_MAX + 1) : -1;
  int err = n < 0 ? (buf ? -errno : -ENOMEM) : 0;
  close(fd);
  while (!err && n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
    n--;
  if (!err && (n <= 0 || n > (ssize_t)LLMP_SECRET_MAX))
    err = -EINVAL;
  if (err) {
    free(buf);
    return err;
  }
  *out = buf;
  *len = (size_t)n;
  return 0;
}

int llmp_secret_from_env(uint8_t **out, size_t *len) {
  const char *path = getenv("LOP_LLMP_SECRET_FILE");
  *out = NULL;
  *len = 0;
  return path && *path ? llmp_secret_load(path, out, len) : 0;
}
