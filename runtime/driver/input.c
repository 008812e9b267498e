/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Reads one whole input for the libFuzzer driver (see driver.h): a file,
 * or stdin to its end. The buffer is cut to the exact size, as libFuzzer
 * hands inputs to harnesses, so a read past the end is a heap overflow
 * that a sanitizer build reports.
 */
#include "driver.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Doubles buf's capacity *cap; frees it and returns NULL when out of
   memory. */
static uint8_t *lf_grow(uint8_t *buf, size_t *cap) {
  uint8_t *grown = realloc(buf, *cap * 2);
  if (!grown) {
    free(buf);
    errno = ENOMEM;
    return NULL;
  }
  *cap *= 2;
  return grown;
}

/* Reads fd to its end or to max bytes; NULL with errno set on failure. */
static uint8_t *lf_read_fd(int fd, size_t max, size_t *len) {
  size_t cap = 4096, n = 0;
  uint8_t *buf = malloc(cap);
  ssize_t got = 1;
  if (!buf)
    return NULL;
  while (n < max && got > 0) {
    if (n == cap && !(buf = lf_grow(buf, &cap)))
      return NULL;
    got = read(fd, buf + n, cap - n < max - n ? cap - n : max - n);
    if (got > 0)
      n += (size_t)got;
    else if (got < 0 && errno == EINTR)
      got = 1;
  }
  if (got < 0) {
    int saved = errno;
    free(buf);
    errno = saved;
    return NULL;
  }
  *len = n;
  uint8_t *exact = realloc(buf, n ? n : 1);
  return exact ? exact : buf;
}

uint8_t *lop_lf_read_input(const char *path, size_t max, size_t *len) {
  if (!path || strcmp(path, "-") == 0)
    return lf_read_fd(STDIN_FILENO, max, len);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return NULL;
  uint8_t *data = lf_read_fd(fd, max, len);
  int saved = errno;
  close(fd);
  errno = saved;
  return data;
}
