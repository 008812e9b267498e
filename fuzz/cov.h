/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Coverage judgement of lop-fuzz, pure and built for speed (it runs on
 * every execution): AFL's hit-count buckets, virgin maps that tell a new
 * edge from a new count, the crash/hang form of a map, a map checksum and
 * byte counts. All work on 64-bit words and skip zero words, so a compact
 * map or a sparse 64 KiB classic map costs little. Maps are the client's:
 * their size is a multiple of 8 (MAP_SIZE_ALIGN) and 8-byte aligned.
 */
#ifndef LOP_FUZZ_COV_H
#define LOP_FUZZ_COV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What cov_new_bits found. */
enum cov_news {
  COV_NONE = 0,  /* nothing the virgin map had not seen */
  COV_COUNT = 1, /* a known edge in a hit-count bucket not seen before */
  COV_EDGE = 2,  /* an edge never seen before */
};

/* Replace every count of map[0..n) by its AFL bucket (1, 2, 4, 8, 16, 32,
   64, 128) in place. */
void cov_classify(uint8_t *map, size_t n);

/* Compare a classified map with a virgin map (0xff = never seen), clear
   the seen bits in virgin and say what was new. */
enum cov_news cov_new_bits(const uint8_t *map, uint8_t *virgin, size_t n);

/* Like cov_new_bits but leaves virgin alone. */
enum cov_news cov_peek_bits(const uint8_t *map, const uint8_t *virgin,
                            size_t n);

/* The form crashes and hangs are de-duplicated by: every hit byte becomes
   0x80 and every other byte 0x01 (AFL's simplify_trace), in place. */
void cov_simplify(uint8_t *map, size_t n);

/* Number of non-zero bytes of map[0..n). */
uint32_t cov_count_bytes(const uint8_t *map, size_t n);

/* Number of bytes of a virgin map that were seen (not 0xff). */
uint32_t cov_count_seen(const uint8_t *virgin, size_t n);

/* 64-bit checksum of map[0..n): equal maps give equal sums. */
uint64_t cov_hash(const uint8_t *map, size_t n);

/* Mark in var[] (one byte per map byte, non-zero = variable) every byte
   where a and b differ as hit/not hit or in bucket. Returns how many bytes
   became variable now. */
uint32_t cov_mark_variable(const uint8_t *a, const uint8_t *b, uint8_t *var,
                           size_t n);

/* Clear the map bytes listed in idx[0..count) (the variable ones), so
   unstable edges never count as novelty. A list, not a mask: few bytes
   are variable, and this runs on every execution. */
void cov_mask_list(uint8_t *map, const uint32_t *idx, size_t count);

/* Set bit i of bits (n/8 bytes) for every non-zero map[i]: the minimal
   trace kept per queue entry for favoured culling. */
void cov_minimise(const uint8_t *map, uint8_t *bits, size_t n);

#endif /* LOP_FUZZ_COV_H */
