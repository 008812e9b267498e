/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Input-to-state solving (i2s.h): encodings, edits, colouring, ranges.
 */
#include "i2s.h"

#include <stdlib.h>
#include <string.h>

/* ---- encodings ----------------------------------------------------------- */

uint64_t i2s_bswap(uint64_t v, uint32_t size) {
  uint64_t r = 0;
  for (uint32_t i = 0; i < size; i++)
    r |= (v >> (8 * i) & 0xff) << (8 * (size - 1 - i));
  return r;
}

uint64_t i2s_load(const uint8_t *p, uint32_t size, bool swap) {
  uint64_t v = 0;
  for (uint32_t i = 0; i < size; i++)
    v |= (uint64_t)p[i] << (8 * i);
  return swap ? i2s_bswap(v, size) : v;
}

void i2s_store(uint8_t *p, uint64_t v, uint32_t size, bool swap) {
  if (swap)
    v = i2s_bswap(v, size);
  for (uint32_t i = 0; i < size; i++)
    p[i] = (uint8_t)(v >> (8 * i));
}

/* v cut to size bytes. */
static uint64_t i2s_cut(uint64_t v, uint32_t size) {
  return size >= 8 ? v : v & ((1ULL << (8 * size)) - 1);
}

/* ---- edits ----------------------------------------------------------------
 */

uint32_t i2s_values(uint64_t other, uint32_t attr, uint64_t *out) {
  out[0] = other;
  if (attr < CMP_ATTR_GT || attr > CMP_ATTR_LE)
    return 1;
  out[1] = other + 1;
  out[2] = other - 1;
  return 3;
}

/* Edits writing other's values at pos with width size and byte order
   swap, skipping those that change nothing. */
static size_t i2s_put_values(uint64_t other, uint32_t attr, uint32_t size,
                             bool swap, const uint8_t *orig, size_t pos,
                             struct i2s_edit *out, size_t cap) {
  uint64_t vals[3];
  uint32_t nv = i2s_values(other, attr, vals);
  size_t n = 0;
  for (uint32_t i = 0; i < nv && n < cap; i++) {
    struct i2s_edit *e = &out[n];
    e->pos = pos;
    e->len = size;
    i2s_store(e->bytes, i2s_cut(vals[i], size), size, swap);
    n += memcmp(e->bytes, orig + pos, size) != 0;
  }
  return n;
}

/* Edits for side s (0 or 1) of c found at pos with width size. */
static size_t i2s_ins_side(const struct i2s_ins *c, int s, uint32_t size,
                           const uint8_t *orig, const uint8_t *col, size_t pos,
                           struct i2s_edit *out, size_t cap) {
  uint64_t os = s ? c->o1 : c->o0, cs = s ? c->c1 : c->c0;
  uint64_t ot = s ? c->o0 : c->o1;
  size_t n = 0;
  if (i2s_cut(os, size) != os || i2s_cut(ot, size) != ot)
    return 0;                    /* a narrower width must hold both operands */
  int orders = size > 1 ? 2 : 1; /* one byte has one byte order */
  for (int swap = 0; swap < orders; swap++)
    if (i2s_load(orig + pos, size, swap) == os &&
        i2s_load(col + pos, size, swap) == i2s_cut(cs, size))
      n += i2s_put_values(ot, c->attr, size, swap, orig, pos, out + n, cap - n);
  return n;
}

size_t i2s_ins_edits(const struct i2s_ins *c, const uint8_t *orig,
                     const uint8_t *col, size_t len, size_t pos,
                     struct i2s_edit *out, size_t cap) {
  size_t n = 0;
  if (c->size == 0 || c->size > 8 || (c->attr & CMP_ATTR_FP))
    return 0;
  for (uint32_t size = c->size; size >= 1; size /= 2) {
    if (pos + size > len)
      continue;
    for (int s = 0; s < 2 && n < cap; s++)
      n += i2s_ins_side(c, s, size, orig, col, pos, out + n, cap - n);
  }
  return n;
}

size_t i2s_rtn_edits(const struct i2s_rtn *c, const uint8_t *orig,
                     const uint8_t *col, size_t len, size_t pos,
                     struct i2s_edit *out, size_t cap) {
  size_t n = 0;
  for (int s = 0; s < 2 && n < cap; s++) {
    uint32_t m = c->olen[s], tl = c->olen[!s];
    if (m == 0 || c->clen[s] != m || pos + m > len || tl == 0 ||
        memcmp(orig + pos, c->o[s], m) != 0 ||
        memcmp(col + pos, c->c[s], m) != 0 ||
        (tl == m && memcmp(c->o[s], c->o[!s], m) == 0))
      continue;
    struct i2s_edit *e = &out[n++];
    e->pos = pos;
    e->len = tl;
    memcpy(e->bytes, c->o[!s], tl);
    if (c->str[s] && tl < m)
      e->bytes[e->len++] = 0;
  }
  return n;
}

size_t i2s_apply(const struct i2s_edit *e, uint8_t *buf, size_t len,
                 size_t cap) {
  if (e->pos >= cap)
    return len;
  size_t n = e->len < cap - e->pos ? e->len : cap - e->pos;
  memcpy(buf + e->pos, e->bytes, n);
  return e->pos + n > len ? e->pos + n : len;
}

/* ---- colourisation ---------------------------------------------------------
 */

/* A different byte of the same kind as b. */
static uint8_t i2s_colour_byte(struct rng *r, uint8_t b) {
  static const struct {
    uint8_t lo, n;
  } kinds[] = {{'0', 10}, {'a', 26}, {'A', 26}};
  for (size_t k = 0; k < sizeof(kinds) / sizeof(*kinds); k++)
    if (b >= kinds[k].lo && b < kinds[k].lo + kinds[k].n)
      return (uint8_t)(kinds[k].lo +
                       (b - kinds[k].lo + 1 + rng_below(r, kinds[k].n - 1)) %
                           kinds[k].n);
  uint8_t c;
  do
    c = (uint8_t)rng_below(r, 256);
  while (c == b || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
         (c >= 'A' && c <= 'Z'));
  return c;
}

void i2s_colour(struct rng *r, uint8_t *buf, size_t len) {
  for (size_t i = 0; i < len; i++)
    buf[i] = i2s_colour_byte(r, buf[i]);
}

bool i2s_ranges_push(struct i2s_ranges *s, size_t start, size_t end) {
  if (start >= end)
    return true;
  if (s->n == s->cap) {
    size_t cap = s->cap ? 2 * s->cap : 16;
    struct i2s_range *r = realloc(s->r, cap * sizeof(*r));
    if (!r)
      return false;
    s->r = r;
    s->cap = cap;
  }
  s->r[s->n++] = (struct i2s_range){start, end};
  return true;
}

bool i2s_ranges_pop(struct i2s_ranges *s, struct i2s_range *out) {
  if (s->n == 0)
    return false;
  size_t best = 0;
  for (size_t i = 1; i < s->n; i++)
    if (s->r[i].end - s->r[i].start > s->r[best].end - s->r[best].start)
      best = i;
  *out = s->r[best];
  s->r[best] = s->r[--s->n];
  return true;
}

void i2s_ranges_free(struct i2s_ranges *s) {
  free(s->r);
  memset(s, 0, sizeof(*s));
}
