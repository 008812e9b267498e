/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Havoc and splice: AFL++ 4.04c's havoc operator set with its weights, as a
 * table of small operators (the shape of libFuzzer's FuzzerMutate, not of
 * afl-fuzz-one.c's switch), a stack of them per mutation, and AFL's splice
 * of two entries between their first and last differing bytes. Every
 * operator works in place inside the caller's buffer and clips what it
 * adds to the buffer's capacity.
 */
#include "mutate.h"

#include <string.h>

const int8_t mut_interesting8[MUT_N_INTERESTING8] = {-128, -1, 0,   1,  16,
                                                     32,   64, 100, 127};
const int16_t mut_interesting16[MUT_N_INTERESTING16] = {
    -128, -1,  0,   1,   16,  32,   64,   100,  127,  -32768,
    -129, 128, 255, 256, 512, 1000, 1024, 4096, 32767};
const int32_t mut_interesting32[MUT_N_INTERESTING32] = {
    -128,   -1,    0,      1,     16,        32,        64,
    100,    127,   -32768, -129,  128,       255,       256,
    512,    1000,  1024,   4096,  32767,     INT32_MIN, -100663046,
    -32769, 32768, 65535,  65536, 100663045, INT32_MAX};

/* ---- helpers ------------------------------------------------------------ */

static size_t mut_min(size_t a, size_t b) { return a < b ? a : b; }

static uint16_t mut_load16(const uint8_t *p, bool be) {
  uint16_t v;
  memcpy(&v, p, sizeof(v));
  return be ? __builtin_bswap16(v) : v;
}

static void mut_store16(uint8_t *p, uint16_t v, bool be) {
  if (be)
    v = __builtin_bswap16(v);
  memcpy(p, &v, sizeof(v));
}

static uint32_t mut_load32(const uint8_t *p, bool be) {
  uint32_t v;
  memcpy(&v, p, sizeof(v));
  return be ? __builtin_bswap32(v) : v;
}

static void mut_store32(uint8_t *p, uint32_t v, bool be) {
  if (be)
    v = __builtin_bswap32(v);
  memcpy(p, &v, sizeof(v));
}

/* AFL's choose_block_len: a block length in [1, limit] from the size
   ranges `tier` allows (see struct mut_dicts); 0 when limit is 0. */
static size_t mut_block_len(struct rng *r, size_t limit, uint32_t tier) {
  size_t lo = 1, hi = HAVOC_BLK_SMALL;
  if (limit == 0)
    return 0;
  switch (rng_below(r, tier < 1 ? 1 : tier > 3 ? 3 : tier)) {
  case 0:
    break;
  case 1:
    lo = HAVOC_BLK_SMALL;
    hi = HAVOC_BLK_MEDIUM;
    break;
  default:
    lo = rng_below(r, 10) ? HAVOC_BLK_MEDIUM : HAVOC_BLK_LARGE;
    hi = lo == HAVOC_BLK_MEDIUM ? HAVOC_BLK_LARGE : HAVOC_BLK_XL;
  }
  if (lo >= limit)
    lo = 1;
  return lo + rng_below(r, mut_min(hi, limit) - lo + 1);
}

/* Open a gap of n bytes at `to` (the caller checked len + n <= capacity). */
static void mut_open_gap(uint8_t *buf, size_t len, size_t to, size_t n) {
  memmove(buf + to + n, buf + to, len - to);
}

/* Insert a copy of buf[from, from + n) at `to` in place: after the gap is
   open, source bytes before `to` are where they were and the rest moved up
   by n, and neither part overlaps the gap. */
static void mut_insert_self(uint8_t *buf, size_t len, size_t from, size_t to,
                            size_t n) {
  size_t head = from < to ? mut_min(to - from, n) : 0;
  mut_open_gap(buf, len, to, n);
  memcpy(buf + to, buf + from, head);
  memcpy(buf + to + head, buf + from + head + n, n - head);
}

/* One byte value for the constant-block operators: random, or (half the
   time) a byte of the input, as AFL does. */
static uint8_t mut_fill_byte(struct rng *r, const uint8_t *buf, size_t len) {
  if (rng_below(r, 2))
    return (uint8_t)rng_below(r, 256);
  return buf[rng_below(r, len)];
}

/* ---- bit, byte and integer operators ------------------------------------ */

static size_t op_flip_bit(struct rng *r, uint8_t *buf, size_t len,
                          size_t max_len, const struct mut_dicts *d) {
  (void)max_len, (void)d;
  size_t bit = rng_below(r, (uint64_t)len << 3);
  buf[bit >> 3] ^= (uint8_t)(128U >> (bit & 7));
  return len;
}

static size_t op_interest8(struct rng *r, uint8_t *buf, size_t len,
                           size_t max_len, const struct mut_dicts *d) {
  (void)max_len, (void)d;
  size_t pos = rng_below(r, len);
  buf[pos] = (uint8_t)mut_interesting8[rng_below(r, MUT_N_INTERESTING8)];
  return len;
}

/* A 16-bit interesting value at a random position, either endian. */
static size_t mut_interest16(struct rng *r, uint8_t *buf, size_t len, bool be) {
  if (len < 2)
    return len;
  size_t pos = rng_below(r, len - 1);
  int16_t v = mut_interesting16[rng_below(r, MUT_N_INTERESTING16)];
  mut_store16(buf + pos, (uint16_t)v, be);
  return len;
}

static size_t op_interest16(struct rng *r, uint8_t *buf, size_t len,
                            size_t max_len, const struct mut_dicts *d) {
  (void)max_len, (void)d;
  return mut_interest16(r, buf, len, false);
}

static size_t op_interest16_be(struct rng *r, uint8_t *buf, size_t len,
                               size_t max_len, const struct mut_dicts *d) {
  (void)max_len, (void)d;
  return mut_interest16(r, buf, len, true);
}

/* A 32-bit interesting value at a random position, either endian. */
static size_t mut_interest32(struct rng *r, uint8_t *buf, size_t len, bool be) {
  if (len < 4)
    return len;
  size_t pos = rng_below(r, len - 3);
  int32_t v = mut_interesting32[rng_below(r, MUT_N_INTERESTING32)];
  mut_store32(buf + pos, (uint32_t)v, be);
  return len;
}

static size_t op_interest32(struct rng *r, uint8_t *buf, size_t len,
                            size_t max_len, const struct mut_dicts *d) {
  (void)max_len, (void)d;
  return mut_interest32(r, buf, len, false);
}

static size_t op_interest32_be(struct rng *r, uint8_t *buf, size_t len,
                               size_t max_len, const struct mut_dicts *d) {
  (void)max_len, (void)d;
  return mut_interest32(r, buf, len, true);
}

/* Add (sign +1) or subtract (-1) 1..ARITH_MAX at a random byte. */
static size_t mut_arith8(struct rng *r, uint8_t *buf, size_t len, int sign) {
  size_t pos = rng_below(r, len);
  uint8_t n = (uint8_t)(1 + rng_below(r, ARITH_MAX));
  buf[pos] = (uint8_t)(sign > 0 ? buf[pos] + n : buf[pos] - n);
  return len;
}

static size_t op_sub8(struct rng *r, uint8_t *buf, size_t len, size_t max_len,
                      const struct mut_dicts *d) {
  (void)max_len, (void)d;
  return mut_arith8(r, buf, len, -1);
}

static size_t op_add8(struct rng *r, uint8_t *buf, size_t len, size_t max_len,
                      const struct mut_dicts *d) {
  (void)max_len, (void)d;
  return mut_arith8(r, buf, len, 1);
}

/* Add or subtract 1..ARITH_MAX at a random 16-bit word, either endian. */
static size_t mut_arith16(struct rng *r, uint8_t *buf, size_t len, int sign,
                          bool be) {
  if (len < 2)
    return len;
  size_t pos = rng_below(r, len - 1);
  uint16_t n = (uint16_t)(1 + rng_below(r, ARITH_MAX));
  uint16_t v = mut_load16(buf + pos, be);
  mut_store16(buf + pos, (uint16_t)(sign > 0 ? v + n : v - n), be);
  return len;
}

static size_t op_sub16(struct rng *r, uint8_t *buf, size_t len, size_t max_len,
                       const struct mut_dicts *d) {
  (void)max_len, (void)d;
  return mut_arith16(r, buf, len, -1, false);
}

static size_t op_sub16_be(struct rng *r, uint8_t *buf, size_t len,
                          size_t max_len, const struct mut_dicts *d) {
  (void)max_len, (void)d;
  return mut_arith16(r, buf, len, -1, true);
}

static size_t op_add16(struct rng *r, uint8_t *buf, size_t len, size_t max_len,
                       const struct mut_dicts *d) {
  (void)max_len, (void)d;
  return mut_arith16(r, buf, len, 1, false);
}

static size_t op_add16_be(struct rng *r, uint8_t *buf, size_t len,
                          size_t max_len, const struct mut_dicts *d) {
  (void)max_len, (void)d;
  return mut_arith16(r, buf, len, 1, true);
}

/* Add or subtract 1..ARITH_MAX at a random 32-bit word, either endian. */
static size_t mut_arith32(struct rng *r, uint8_t *buf, size_t len, int sign,
                          bool be) {
  if (len < 4)
    return len;
  size_t pos = rng_below(r, len - 3);
  uint32_t n = (uint32_t)(1 + rng_below(r, ARITH_MAX));
  uint32_t v = mut_load32(buf + pos, be);
  mut_store32(buf + pos, sign > 0 ? v + n : v - n, be);
  return len;
}

static size_t op_sub32(struct rng *r, uint8_t *buf, size_t len, size_t max_len,
                       const struct mut_dicts *d) {
  (void)max_len, (void)d;
  return mut_arith32(r, buf, len, -1, false);
}

static size_t op_sub32_be(struct rng *r, uint8_t *buf, size_t len,
                          size_t max_len, const struct mut_dicts *d) {
  (void)max_len, (void)d;
  return mut_arith32(r, buf, len, -1, true);
}

static size_t op_add32(struct rng *r, uint8_t *buf, size_t len, size_t max_len,
                       const struct mut_dicts *d) {
  (void)max_len, (void)d;
  return mut_arith32(r, buf, len, 1, false);
}

static size_t op_add32_be(struct rng *r, uint8_t *buf, size_t len,
                          size_t max_len, const struct mut_dicts *d) {
  (void)max_len, (void)d;
  return mut_arith32(r, buf, len, 1, true);
}

/* XOR a random byte with 1..255, so it always changes. */
static size_t op_rand8(struct rng *r, uint8_t *buf, size_t len, size_t max_len,
                       const struct mut_dicts *d) {
  (void)max_len, (void)d;
  size_t pos = rng_below(r, len);
  buf[pos] ^= (uint8_t)(1 + rng_below(r, 255));
  return len;
}

static size_t op_inc8(struct rng *r, uint8_t *buf, size_t len, size_t max_len,
                      const struct mut_dicts *d) {
  (void)max_len, (void)d;
  buf[rng_below(r, len)]++;
  return len;
}

static size_t op_dec8(struct rng *r, uint8_t *buf, size_t len, size_t max_len,
                      const struct mut_dicts *d) {
  (void)max_len, (void)d;
  buf[rng_below(r, len)]--;
  return len;
}

static size_t op_flip8(struct rng *r, uint8_t *buf, size_t len, size_t max_len,
                       const struct mut_dicts *d) {
  (void)max_len, (void)d;
  buf[rng_below(r, len)] ^= 0xff;
  return len;
}

/* ---- block operators ------------------------------------------------------
 */

/* Insert a copy of a block of the input at a random place (AFL's clone). */
static size_t op_clone(struct rng *r, uint8_t *buf, size_t len, size_t max_len,
                       const struct mut_dicts *d) {
  size_t n = mut_block_len(r, mut_min(len, max_len - len), d->blk_tier);
  if (n == 0)
    return len;
  size_t from = rng_below(r, len - n + 1);
  size_t to = rng_below(r, len);
  mut_insert_self(buf, len, from, to, n);
  return len + n;
}

/* Insert a block of one repeated byte at a random place. */
static size_t op_insert_const(struct rng *r, uint8_t *buf, size_t len,
                              size_t max_len, const struct mut_dicts *d) {
  size_t n =
      mut_block_len(r, mut_min(HAVOC_BLK_XL, max_len - len), d->blk_tier);
  if (n == 0)
    return len;
  size_t to = rng_below(r, len);
  uint8_t v = mut_fill_byte(r, buf, len);
  mut_open_gap(buf, len, to, n);
  memset(buf + to, v, n);
  return len + n;
}

/* Copy a block of the input over another place of it. */
static size_t op_overwrite_copy(struct rng *r, uint8_t *buf, size_t len,
                                size_t max_len, const struct mut_dicts *d) {
  (void)max_len;
  if (len < 2)
    return len;
  size_t n = mut_block_len(r, len - 1, d->blk_tier);
  size_t from = rng_below(r, len - n + 1);
  size_t to = rng_below(r, len - n + 1);
  memmove(buf + to, buf + from, n);
  return len;
}

/* Overwrite a block with one repeated byte. */
static size_t op_overwrite_const(struct rng *r, uint8_t *buf, size_t len,
                                 size_t max_len, const struct mut_dicts *d) {
  (void)max_len;
  if (len < 2)
    return len;
  size_t n = mut_block_len(r, len - 1, d->blk_tier);
  size_t to = rng_below(r, len - n + 1);
  memset(buf + to, mut_fill_byte(r, buf, len), n);
  return len;
}

/* Swap two non-overlapping blocks of the input (AFL++'s switch bytes). */
static size_t op_swap(struct rng *r, uint8_t *buf, size_t len, size_t max_len,
                      const struct mut_dicts *d) {
  (void)max_len;
  if (len < 4)
    return len;
  size_t a = rng_below(r, len), b;
  do
    b = rng_below(r, len);
  while (b == a);
  size_t lo = a < b ? a : b, hi = a < b ? b : a;
  size_t n = mut_block_len(r, mut_min(hi - lo, len - hi), d->blk_tier);
  for (size_t i = 0; i < n; i++) {
    uint8_t t = buf[a + i];
    buf[a + i] = buf[b + i];
    buf[b + i] = t;
  }
  return len;
}

/* Delete a block, keeping at least one byte. */
static size_t op_delete(struct rng *r, uint8_t *buf, size_t len, size_t max_len,
                        const struct mut_dicts *d) {
  (void)max_len;
  if (len < 2)
    return len;
  size_t n = mut_block_len(r, len - 1, d->blk_tier);
  size_t from = rng_below(r, len - n + 1);
  memmove(buf + from, buf + from + n, len - from - n);
  return len - n;
}

/* ---- dictionary operators ------------------------------------------------ */

/* Overwrite a random place with a random token of dict (if it fits). */
static size_t mut_dict_over(struct rng *r, uint8_t *buf, size_t len,
                            const struct dict *dict) {
  if (!dict || dict->n == 0)
    return len;
  const struct dict_token *t = &dict->tok[rng_below(r, dict->n)];
  if (t->len > len)
    return len;
  memcpy(buf + rng_below(r, len - t->len + 1), t->data, t->len);
  return len;
}

/* Insert a random token of dict at a random place (if there is room). */
static size_t mut_dict_insert(struct rng *r, uint8_t *buf, size_t len,
                              size_t max_len, const struct dict *dict) {
  if (!dict || dict->n == 0)
    return len;
  const struct dict_token *t = &dict->tok[rng_below(r, dict->n)];
  if (t->len > max_len - len)
    return len;
  size_t to = rng_below(r, len + 1);
  mut_open_gap(buf, len, to, t->len);
  memcpy(buf + to, t->data, t->len);
  return len + t->len;
}

static size_t op_extra_over(struct rng *r, uint8_t *buf, size_t len,
                            size_t max_len, const struct mut_dicts *d) {
  (void)max_len;
  return mut_dict_over(r, buf, len, d->user);
}

static size_t op_extra_insert(struct rng *r, uint8_t *buf, size_t len,
                              size_t max_len, const struct mut_dicts *d) {
  return mut_dict_insert(r, buf, len, max_len, d->user);
}

static size_t op_auto_over(struct rng *r, uint8_t *buf, size_t len,
                           size_t max_len, const struct mut_dicts *d) {
  (void)max_len;
  return mut_dict_over(r, buf, len, d->autod);
}

static size_t op_auto_insert(struct rng *r, uint8_t *buf, size_t len,
                             size_t max_len, const struct mut_dicts *d) {
  return mut_dict_insert(r, buf, len, max_len, d->autod);
}

/* ---- operators on another entry ------------------------------------------ */

/* Copy a block of d->other over a random place of the input. */
static size_t op_splice_over(struct rng *r, uint8_t *buf, size_t len,
                             size_t max_len, const struct mut_dicts *d) {
  (void)max_len;
  if (!d->other || d->other_len < 2 || len < 2)
    return len;
  size_t n = mut_min(mut_block_len(r, d->other_len - 1, d->blk_tier), len);
  size_t from = rng_below(r, d->other_len - n + 1);
  size_t to = rng_below(r, len - n + 1);
  memcpy(buf + to, d->other + from, n);
  return len;
}

/* Insert a block of d->other at a random place of the input. */
static size_t op_splice_insert(struct rng *r, uint8_t *buf, size_t len,
                               size_t max_len, const struct mut_dicts *d) {
  if (!d->other || d->other_len == 0)
    return len;
  size_t n =
      mut_block_len(r, mut_min(d->other_len, max_len - len), d->blk_tier);
  if (n == 0)
    return len;
  size_t from = rng_below(r, d->other_len - n + 1);
  size_t to = rng_below(r, len + 1);
  mut_open_gap(buf, len, to, n);
  memcpy(buf + to, d->other + from, n);
  return len + n;
}

/* ---- the table and the stack ----------------------------------------------
 */

/* Weights are the case ranges of AFL++ 4.04c's havoc switch: 65 for the
   operators every input gets, 4 for each dictionary, 4 for the other
   entry. */
const struct mut_op mut_havoc_ops[] = {
    {"flip_bit", 4, MUT_NEED_NONE, op_flip_bit},
    {"interest8", 4, MUT_NEED_NONE, op_interest8},
    {"interest16", 2, MUT_NEED_NONE, op_interest16},
    {"interest16_be", 2, MUT_NEED_NONE, op_interest16_be},
    {"interest32", 2, MUT_NEED_NONE, op_interest32},
    {"interest32_be", 2, MUT_NEED_NONE, op_interest32_be},
    {"sub8", 4, MUT_NEED_NONE, op_sub8},
    {"add8", 4, MUT_NEED_NONE, op_add8},
    {"sub16", 2, MUT_NEED_NONE, op_sub16},
    {"sub16_be", 2, MUT_NEED_NONE, op_sub16_be},
    {"add16", 2, MUT_NEED_NONE, op_add16},
    {"add16_be", 2, MUT_NEED_NONE, op_add16_be},
    {"sub32", 2, MUT_NEED_NONE, op_sub32},
    {"sub32_be", 2, MUT_NEED_NONE, op_sub32_be},
    {"add32", 2, MUT_NEED_NONE, op_add32},
    {"add32_be", 2, MUT_NEED_NONE, op_add32_be},
    {"rand8", 4, MUT_NEED_NONE, op_rand8},
    {"clone", 3, MUT_NEED_NONE, op_clone},
    {"insert_const", 1, MUT_NEED_NONE, op_insert_const},
    {"overwrite_copy", 3, MUT_NEED_NONE, op_overwrite_copy},
    {"overwrite_const", 1, MUT_NEED_NONE, op_overwrite_const},
    {"inc8", 1, MUT_NEED_NONE, op_inc8},
    {"dec8", 1, MUT_NEED_NONE, op_dec8},
    {"flip8", 1, MUT_NEED_NONE, op_flip8},
    {"swap", 2, MUT_NEED_NONE, op_swap},
    {"delete", 8, MUT_NEED_NONE, op_delete},
    {"extra_over", 2, MUT_NEED_USER, op_extra_over},
    {"extra_insert", 2, MUT_NEED_USER, op_extra_insert},
    {"auto_over", 2, MUT_NEED_AUTO, op_auto_over},
    {"auto_insert", 2, MUT_NEED_AUTO, op_auto_insert},
    {"splice_over", 2, MUT_NEED_OTHER, op_splice_over},
    {"splice_insert", 2, MUT_NEED_OTHER, op_splice_insert},
};
const size_t mut_havoc_nops = sizeof(mut_havoc_ops) / sizeof(mut_havoc_ops[0]);

const struct mut_op *mut_op_find(const char *name) {
  for (size_t i = 0; i < mut_havoc_nops; i++)
    if (strcmp(mut_havoc_ops[i].name, name) == 0)
      return &mut_havoc_ops[i];
  return NULL;
}

/* Whether an operator can be drawn with these dictionaries. */
static bool mut_enabled(const struct mut_op *op, const struct mut_dicts *d) {
  switch (op->need) {
  case MUT_NEED_USER:
    return d->user && d->user->n;
  case MUT_NEED_AUTO:
    return d->autod && d->autod->n;
  case MUT_NEED_OTHER:
    return d->other && d->other_len;
  case MUT_NEED_NONE:
    break;
  }
  return true;
}

/* Sum of the weights of the operators that can be drawn. */
static uint32_t mut_total_weight(const struct mut_dicts *d) {
  uint32_t total = 0;
  for (size_t i = 0; i < mut_havoc_nops; i++)
    if (mut_enabled(&mut_havoc_ops[i], d))
      total += mut_havoc_ops[i].weight;
  return total;
}

/* Draw one enabled operator with probability weight / total. */
static const struct mut_op *mut_pick(struct rng *r, uint32_t total,
                                     const struct mut_dicts *d) {
  uint32_t x = (uint32_t)rng_below(r, total);
  for (size_t i = 0;; i++) {
    const struct mut_op *op = &mut_havoc_ops[i];
    if (!mut_enabled(op, d))
      continue;
    if (x < op->weight)
      return op;
    x -= op->weight;
  }
}

uint32_t mut_havoc(struct rng *r, uint8_t *buf, size_t *len, size_t max_len,
                   const struct mut_dicts *d) {
  static const struct mut_dicts none;
  if (!d)
    d = &none;
  uint32_t stack = 1U << (1 + rng_below(r, HAVOC_STACK_POW2));
  uint32_t total = mut_total_weight(d);
  if (*len == 0 || *len > max_len)
    return stack;
  for (uint32_t i = 0; i < stack; i++)
    *len = mut_pick(r, total, d)->fn(r, buf, *len, max_len, d);
  return stack;
}

bool mut_splice(struct rng *r, uint8_t *buf, size_t *len, size_t max_len,
                const uint8_t *other, size_t other_len) {
  size_t n = mut_min(*len, other_len);
  size_t first = SIZE_MAX, last = 0;
  for (size_t i = 0; i < n; i++)
    if (buf[i] != other[i]) {
      if (first == SIZE_MAX)
        first = i;
      last = i;
    }
  /* AFL's bail-out: no difference, a single differing byte, or the last
     difference among the first two bytes. */
  if (first == SIZE_MAX || last < 2 || first == last)
    return false;
  size_t split = first + rng_below(r, last - first);
  size_t out = mut_min(other_len, max_len);
  if (out > split)
    memcpy(buf + split, other + split, out - split);
  *len = out;
  return true;
}
