/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * zlib harness: inflates the testcase as a zlib or gzip stream (detected by
 * its header) into a small window, chunk by chunk, until the stream ends or
 * zlib reports an error. Built with afl-clang-fast against the instrumented
 * libz.a of the real-world tier.
 */
#include "input.h"
#include <zlib.h>

/* Output chunk: small, so long streams take many inflate() rounds. */
#define OUT_CHUNK 4096

/* Inflates len bytes of buf; returns zlib's final status code. */
static int inflate_all(unsigned char *buf, size_t len) {
  unsigned char out[OUT_CHUNK];
  z_stream zs = {0};
  int rc;
  if (inflateInit2(&zs, 15 + 32) != Z_OK) /* 15 + 32: zlib or gzip */
    return Z_MEM_ERROR;
  zs.next_in = buf;
  zs.avail_in = (uInt)len;
  do {
    zs.next_out = out;
    zs.avail_out = sizeof(out);
    rc = inflate(&zs, Z_NO_FLUSH);
  } while (rc == Z_OK);
  inflateEnd(&zs);
  return rc;
}

int main(int argc, char **argv) {
  size_t len = 0;
  unsigned char *buf = harness_read_input(argc, argv, &len);
  if (!buf)
    return 1;
  inflate_all(buf, len);
  free(buf);
  return 0;
}
