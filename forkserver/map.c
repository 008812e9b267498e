/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * What tools do with a coverage map once a run is over: bucket the hit
 * counts (afl-showmap's human classes or afl-fuzz's power-of-two classes,
 * PROTOCOL.md 6), count edges, print the "%06u:%u" text format and hash.
 * Byte 0 is the runtime's "alive" marker, never an edge.
 */
#include "forkserver.h"

/* The human classes of AFL 2.57b and AFL++ >= 4.08c, not 4.04c's table
   that loses counts 5-7, 9-15 and so on. */
static uint8_t map_human(uint8_t c) {
  if (c <= 3)
    return c;
  if (c <= 7)
    return 4;
  if (c <= 15)
    return 5;
  if (c <= 31)
    return 6;
  if (c <= 127)
    return 7;
  return 8;
}

/* afl-fuzz's count_class_lookup8: one bit per class. */
static uint8_t map_fuzzer(uint8_t c) {
  if (c <= 2)
    return c;
  if (c == 3)
    return 4;
  if (c <= 7)
    return 8;
  if (c <= 15)
    return 16;
  if (c <= 31)
    return 32;
  if (c <= 127)
    return 64;
  return 128;
}

uint8_t fsrv_map_bucket(uint8_t count, enum fsrv_bucket b) {
  switch (b) {
  case FSRV_BUCKET_RAW:
    return count;
  case FSRV_BUCKET_HUMAN:
    return map_human(count);
  case FSRV_BUCKET_FUZZER:
    return map_fuzzer(count);
  case FSRV_BUCKET_EDGES:
    return count ? 1 : 0;
  }
  return count;
}

/* A 256-entry table per call keeps the per-byte cost to one load for
   8 MiB maps. */
void fsrv_map_classify(uint8_t *map, size_t n, enum fsrv_bucket b) {
  uint8_t table[256];
  if (b == FSRV_BUCKET_RAW)
    return;
  for (unsigned i = 0; i < 256; i++)
    table[i] = fsrv_map_bucket((uint8_t)i, b);
  for (size_t i = 0; i < n; i++)
    map[i] = table[map[i]];
}

uint32_t fsrv_map_count(const uint8_t *map, size_t n) {
  uint32_t c = 0;
  for (size_t i = 1; i < n; i++)
    c += map[i] != 0;
  return c;
}

long fsrv_map_write_text(FILE *out, const uint8_t *map, size_t n) {
  long lines = 0;
  for (size_t i = 1; i < n; i++) {
    if (!map[i])
      continue;
    if (fprintf(out, "%06u:%u\n", (unsigned)i, (unsigned)map[i]) < 0)
      return -1;
    lines++;
  }
  return ferror(out) ? -1 : lines;
}

/* FNV-1a, 64-bit: offset basis and prime from the FNV specification. */
uint64_t fsrv_map_hash(const uint8_t *map, size_t n) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (size_t i = 1; i < n; i++) {
    h ^= map[i];
    h *= 0x100000001b3ULL;
  }
  return h;
}
