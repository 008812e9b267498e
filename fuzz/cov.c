/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Coverage judgement (cov.h): 64-bit words at a time, zero words skipped,
 * the buckets through a 65536-entry table of 16-bit pairs built once.
 */
#include "cov.h"

#include "forkserver.h"

#include <string.h>

static uint16_t cov_lookup16[65536];
static bool cov_lookup_ready;

/* afl-fuzz's count_class_lookup8, from the client library's one table. */
static uint8_t cov_bucket8(uint8_t c) {
  return fsrv_map_bucket(c, FSRV_BUCKET_FUZZER);
}

static void cov_init_lookup(void) {
  for (uint32_t i = 0; i < 65536; i++)
    cov_lookup16[i] = (uint16_t)((cov_bucket8((uint8_t)(i >> 8)) << 8) |
                                 cov_bucket8(i & 0xff));
  cov_lookup_ready = true;
}

static inline uint64_t cov_load(const uint8_t *p) {
  uint64_t w;
  memcpy(&w, p, sizeof(w));
  return w;
}

static inline void cov_store(uint8_t *p, uint64_t w) {
  memcpy(p, &w, sizeof(w));
}

void cov_classify(uint8_t *map, size_t n) {
  if (!cov_lookup_ready)
    cov_init_lookup();
  for (size_t i = 0; i + 8 <= n; i += 8) {
    uint64_t w = cov_load(map + i);
    if (!w)
      continue;
    uint16_t h[4];
    memcpy(h, &w, sizeof(h));
    for (int k = 0; k < 4; k++)
      h[k] = cov_lookup16[h[k]];
    memcpy(&w, h, sizeof(w));
    cov_store(map + i, w);
  }
  for (size_t i = n & ~(size_t)7; i < n; i++)
    map[i] = cov_bucket8(map[i]);
}

/* New edge if a byte the word hits was 0xff in virgin, else new count. */
static enum cov_news cov_word_news(uint64_t cur, uint64_t vir) {
  if (!(cur & vir))
    return COV_NONE;
  for (int k = 0; k < 8; k++) {
    uint8_t c = (uint8_t)(cur >> (8 * k)), v = (uint8_t)(vir >> (8 * k));
    if (c && v == 0xff)
      return COV_EDGE;
  }
  return COV_COUNT;
}

/* One byte at a time, for the tail of a map whose size is not a multiple
   of 8 (maps from the client never have one; tests may). */
static enum cov_news cov_tail_news(const uint8_t *map, uint8_t *virgin,
                                   size_t from, size_t n, bool update) {
  enum cov_news r = COV_NONE;
  for (size_t i = from; i < n; i++) {
    if (!(map[i] & virgin[i]))
      continue;
    enum cov_news b = virgin[i] == 0xff ? COV_EDGE : COV_COUNT;
    r = b > r ? b : r;
    if (update)
      virgin[i] &= (uint8_t)~map[i];
  }
  return r;
}

static enum cov_news cov_scan(const uint8_t *map, uint8_t *virgin, size_t n,
                              bool update) {
  enum cov_news r = COV_NONE;
  size_t i;
  for (i = 0; i + 8 <= n; i += 8) {
    uint64_t cur = cov_load(map + i);
    if (!cur)
      continue;
    uint64_t vir = cov_load(virgin + i);
    if (!(cur & vir))
      continue;
    if (r != COV_EDGE) {
      enum cov_news w = cov_word_news(cur, vir);
      r = w > r ? w : r;
    }
    if (update)
      cov_store(virgin + i, vir & ~cur);
    else if (r == COV_EDGE)
      return r;
  }
  enum cov_news t = cov_tail_news(map, virgin, i, n, update);
  return t > r ? t : r;
}

enum cov_news cov_new_bits(const uint8_t *map, uint8_t *virgin, size_t n) {
  return cov_scan(map, virgin, n, true);
}

enum cov_news cov_peek_bits(const uint8_t *map, const uint8_t *virgin,
                            size_t n) {
  return cov_scan(map, (uint8_t *)virgin, n, false);
}

void cov_simplify(uint8_t *map, size_t n) {
  for (size_t i = 0; i < n; i++)
    map[i] = map[i] ? 0x80 : 0x01;
}

uint32_t cov_count_bytes(const uint8_t *map, size_t n) {
  uint32_t c = 0;
  size_t i;
  for (i = 0; i + 8 <= n; i += 8) {
    uint64_t w = cov_load(map + i);
    if (!w)
      continue;
    for (int k = 0; k < 8; k++)
      c += ((w >> (8 * k)) & 0xff) != 0;
  }
  for (; i < n; i++)
    c += map[i] != 0;
  return c;
}

uint32_t cov_count_seen(const uint8_t *virgin, size_t n) {
  uint32_t c = 0;
  for (size_t i = 0; i < n; i++)
    c += virgin[i] != 0xff;
  return c;
}

uint64_t cov_hash(const uint8_t *map, size_t n) {
  uint64_t h = 0xa5b35705f2d3c8e1ULL ^ n;
  size_t i;
  for (i = 0; i + 8 <= n; i += 8) {
    uint64_t w = cov_load(map + i);
    if (!w)
      continue;
    h ^= (w + i) * 0x9e3779b97f4a7c15ULL;
    h = (h << 27 | h >> 37) * 0xff51afd7ed558ccdULL;
  }
  for (; i < n; i++)
    h = (h ^ map[i]) * 0x100000001b3ULL;
  return h ^ (h >> 33);
}

uint32_t cov_mark_variable(const uint8_t *a, const uint8_t *b, uint8_t *var,
                           size_t n) {
  uint32_t added = 0;
  for (size_t i = 0; i < n; i++) {
    if (a[i] != b[i] && !var[i]) {
      var[i] = 1;
      added++;
    }
  }
  return added;
}

void cov_mask_list(uint8_t *map, const uint32_t *idx, size_t count) {
  for (size_t i = 0; i < count; i++)
    map[idx[i]] = 0;
}

void cov_minimise(const uint8_t *map, uint8_t *bits, size_t n) {
  memset(bits, 0, (n + 7) / 8);
  for (size_t i = 0; i < n; i++)
    if (map[i])
      bits[i >> 3] |= (uint8_t)(1U << (i & 7));
}
