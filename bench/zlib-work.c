/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * zlib workload of make bench: compresses and decompresses a deterministic,
 * partly compressible buffer ROUNDS times (argv[1], default 40) at two
 * levels and checks the round trip. Prints a checksum so no build can skip
 * the work.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define WORK_BYTES (256 * 1024)

/* Text-like data: words from a small vocabulary picked by an LCG. */
static void fill(unsigned char *buf, size_t n) {
  static const char *const words[] = {"fuzz ",  "edge ", "map ",  "coverage ",
                                      "block ", "\n",    "0x1f ", "lop "};
  unsigned int x = 12345;
  size_t i = 0;
  while (i < n) {
    x = x * 1103515245U + 12345U;
    const char *w = words[(x >> 16) % 8];
    for (; *w && i < n; w++)
      buf[i++] = (unsigned char)(((x >> 8) & 63) == 0 ? (x >> 3) : *w);
  }
}

int main(int argc, char **argv) {
  int rounds = argc > 1 ? atoi(argv[1]) : 40;
  unsigned char *in = malloc(WORK_BYTES), *out = malloc(WORK_BYTES);
  uLongf zcap = compressBound(WORK_BYTES);
  unsigned char *z = malloc(zcap);
  if (!in || !out || !z)
    return 1;
  fill(in, WORK_BYTES);
  unsigned long sum = 0;
  for (int r = 0; r < rounds; r++) {
    uLongf zlen = zcap, olen = WORK_BYTES;
    if (compress2(z, &zlen, in, WORK_BYTES, r % 2 ? 9 : 6) != Z_OK ||
        uncompress(out, &olen, z, zlen) != Z_OK || olen != WORK_BYTES ||
        memcmp(in, out, WORK_BYTES) != 0)
      return 2;
    sum += zlen;
  }
  printf("zlib rounds=%d sum=%lu\n", rounds, sum);
  free(in);
  free(out);
  free(z);
  return 0;
}
