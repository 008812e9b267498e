/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * The deterministic stages: every single-step mutation of one input in
 * AFL++ 4.04c's order and under its stage names (flip1 .. flip32, arith8 ..
 * arith32, int8 .. int32, ext_UO, ext_UI, ext_AO, ext_AI), with AFL's rules
 * for skipping a mutation an earlier stage already tried (could_be_bitflip,
 * could_be_arith, could_be_interest). A stage is a table row: how many
 * candidate slots it has and a function that describes slot k (or says to
 * skip it); one writer applies a description to the caller's buffer.
 */
#include "mutate.h"

#include <string.h>

/* One deterministic mutation, described: `patch_len` bytes at `at`, or a
   token written over or inserted at `at`. */
struct det_edit {
  size_t at;
  uint8_t patch[4];
  uint32_t patch_len;
  const struct dict_token *tok;
  bool insert;
  int val;
  bool be;
};

struct det_stage {
  const char *name;
  bool has_val; /* file names carry `val:` */
  uint64_t (*slots)(const struct mut_det *m);
  bool (*describe)(const struct mut_det *m, uint64_t slot, struct det_edit *e);
};

/* ---- AFL's redundancy rules ------------------------------------------------
 */

/* True when new = old ^ x is what a walking 1, 2 or 4-bit flip or a byte
   aligned 8, 16 or 32-bit flip gives (or x is 0: nothing changes). */
static bool det_bitflip(uint32_t x) {
  unsigned sh = 0;
  if (!x)
    return true;
  while (!(x & 1)) {
    sh++;
    x >>= 1;
  }
  if (x == 1 || x == 3 || x == 15)
    return true;
  if (sh & 7)
    return false;
  return x == 0xff || x == 0xffff || x == 0xffffffff;
}

static bool det_near(uint32_t a, uint32_t b, uint32_t mask) {
  return ((a - b) & mask) <= ARITH_MAX || ((b - a) & mask) <= ARITH_MAX;
}

/* The one differing unit (w bytes wide) of old and new within blen bytes:
   true with *o, *n set when exactly one differs. */
static bool det_one_diff(uint32_t old, uint32_t nw, unsigned blen, unsigned w,
                         uint32_t *o, uint32_t *n) {
  uint32_t mask = w == 1 ? 0xffU : 0xffffU;
  unsigned diffs = 0;
  for (unsigned i = 0; i < blen / w; i++) {
    uint32_t a = old >> (8 * w * i) & mask, b = nw >> (8 * w * i) & mask;
    if (a != b) {
      diffs++;
      *o = a;
      *n = b;
    }
  }
  return diffs == 1;
}

/* True when arith8/16/32 (either endian) could turn old into new (blen
   bytes, little-endian values). */
static bool det_arith(uint32_t old, uint32_t nw, unsigned blen) {
  uint32_t o, n;
  if (old == nw)
    return true;
  if (det_one_diff(old, nw, blen, 1, &o, &n) && det_near(o, n, 0xff))
    return true;
  if (blen == 1)
    return false;
  if (det_one_diff(old, nw, blen, 2, &o, &n) &&
      (det_near(o, n, 0xffff) ||
       det_near(__builtin_bswap16((uint16_t)o), __builtin_bswap16((uint16_t)n),
                0xffff)))
    return true;
  return blen == 4 &&
         (det_near(old, nw, 0xffffffff) ||
          det_near(__builtin_bswap32(old), __builtin_bswap32(nw), 0xffffffff));
}

/* True when an int8 (or, for check_le or blen 4, an int16 in either order,
   or with check_le at blen 4 an int32 LE) over old gives new. */
static bool det_interest(uint32_t old, uint32_t nw, unsigned blen,
                         bool check_le) {
  if (old == nw)
    return true;
  for (unsigned i = 0; i < blen; i++)
    for (unsigned j = 0; j < MUT_N_INTERESTING8; j++) {
      uint32_t v = (uint8_t)mut_interesting8[j];
      if (nw == ((old & ~(0xffU << (i * 8))) | v << (i * 8)))
        return true;
    }
  if (blen == 2 && !check_le)
    return false;
  for (unsigned i = 0; i + 1 < blen; i++)
    for (unsigned j = 0; j < MUT_N_INTERESTING16; j++) {
      uint16_t v = (uint16_t)mut_interesting16[j];
      uint32_t keep = old & ~(0xffffU << (i * 8));
      if (nw == (keep | (uint32_t)v << (i * 8)))
        return true;
      if (blen > 2 && nw == (keep | (uint32_t)__builtin_bswap16(v) << (i * 8)))
        return true;
    }
  if (blen == 4 && check_le)
    for (unsigned j = 0; j < MUT_N_INTERESTING32; j++)
      if (nw == (uint32_t)mut_interesting32[j])
        return true;
  return false;
}

/* ---- helpers
 * ------------------------------------------------------------------ */

static uint64_t det_span(size_t len, size_t w) {
  return len >= w ? len - w + 1 : 0;
}

static uint32_t det_load(const uint8_t *p, unsigned w) {
  uint32_t v = 0;
  memcpy(&v, p, w); /* little-endian host, as AFL assumes */
  return v;
}

static uint32_t det_swap(uint32_t v, unsigned w) {
  return w == 2 ? __builtin_bswap16((uint16_t)v) : __builtin_bswap32(v);
}

/* A w-byte patch of value v (little-endian) at `at`. */
static void det_patch(struct det_edit *e, size_t at, uint32_t v, unsigned w) {
  e->at = at;
  memcpy(e->patch, &v, w);
  e->patch_len = w;
}

/* ---- bit and byte flips
 * -------------------------------------------------------- */

/* Flip `nbits` walking bits starting at bit `bit` (AFL's bit order: the
   top bit of byte 0 first). */
static bool det_flip_bits(const struct mut_det *m, uint64_t bit, unsigned nbits,
                          struct det_edit *e) {
  size_t first = bit >> 3, last = (bit + nbits - 1) >> 3;
  e->at = first;
  e->patch_len = (uint32_t)(last - first + 1);
  memcpy(e->patch, m->orig + first, e->patch_len);
  for (uint64_t b = bit; b < bit + nbits; b++)
    e->patch[(b >> 3) - first] ^= (uint8_t)(128U >> (b & 7));
  return true;
}

static uint64_t slots_flip1(const struct mut_det *m) {
  return (uint64_t)m->orig_len * 8;
}
static uint64_t slots_flip2(const struct mut_det *m) {
  return det_span((size_t)m->orig_len * 8, 2);
}
static uint64_t slots_flip4(const struct mut_det *m) {
  return det_span((size_t)m->orig_len * 8, 4);
}
static bool desc_flip1(const struct mut_det *m, uint64_t k,
                       struct det_edit *e) {
  return det_flip_bits(m, k, 1, e);
}
static bool desc_flip2(const struct mut_det *m, uint64_t k,
                       struct det_edit *e) {
  return det_flip_bits(m, k, 2, e);
}
static bool desc_flip4(const struct mut_det *m, uint64_t k,
                       struct det_edit *e) {
  return det_flip_bits(m, k, 4, e);
}

static uint64_t slots_w1(const struct mut_det *m) { return m->orig_len; }
static uint64_t slots_w2(const struct mut_det *m) {
  return det_span(m->orig_len, 2);
}
static uint64_t slots_w4(const struct mut_det *m) {
  return det_span(m->orig_len, 4);
}

/* Invert w whole bytes at k. */
static bool det_flip_bytes(const struct mut_det *m, uint64_t k, unsigned w,
                           struct det_edit *e) {
  det_patch(e, k, ~det_load(m->orig + k, w), w);
  return true;
}
static bool desc_flip8(const struct mut_det *m, uint64_t k,
                       struct det_edit *e) {
  return det_flip_bytes(m, k, 1, e);
}
static bool desc_flip16(const struct mut_det *m, uint64_t k,
                        struct det_edit *e) {
  return det_flip_bytes(m, k, 2, e);
}
static bool desc_flip32(const struct mut_det *m, uint64_t k,
                        struct det_edit *e) {
  return det_flip_bytes(m, k, 4, e);
}

/* ---- arithmetic
 * --------------------------------------------------------------- */

/* Slots per position: +j and -j for j in 1..ARITH_MAX, and for words both
   endians: AFL's order is j outer, then LE+, LE-, BE+, BE-. */
#define DET_ARITH8_SLOTS ((uint64_t)2 * ARITH_MAX)
#define DET_ARITH_W_SLOTS ((uint64_t)4 * ARITH_MAX)

static uint64_t slots_arith8(const struct mut_det *m) {
  return slots_w1(m) * DET_ARITH8_SLOTS;
}
static uint64_t slots_arith16(const struct mut_det *m) {
  return slots_w2(m) * DET_ARITH_W_SLOTS;
}
static uint64_t slots_arith32(const struct mut_det *m) {
  return slots_w4(m) * DET_ARITH_W_SLOTS;
}

static bool desc_arith8(const struct mut_det *m, uint64_t k,
                        struct det_edit *e) {
  size_t i = k / DET_ARITH8_SLOTS;
  unsigned r = (unsigned)(k % DET_ARITH8_SLOTS), j = r / 2 + 1;
  uint8_t old = m->orig[i], nw = (uint8_t)(r & 1 ? old - j : old + j);
  if (det_bitflip((uint32_t)(old ^ nw)))
    return false;
  det_patch(e, i, nw, 1);
  e->val = r & 1 ? -(int)j : (int)j;
  return true;
}

/* Add or subtract j to the w-byte word at k in one endian. AFL tries it
   only when the carry or borrow reaches past the lowest byte (word) of
   that endian, and the result is no bit flip. */
static bool det_arith_word(const struct mut_det *m, uint64_t k, unsigned w,
                           struct det_edit *e) {
  size_t i = k / DET_ARITH_W_SLOTS;
  unsigned r = (unsigned)(k % DET_ARITH_W_SLOTS), j = r / 4 + 1;
  bool minus = r & 1, be = r & 2;
  uint32_t mask = w == 2 ? 0xffffU : 0xffffffffU,
           low = w == 2 ? 0xffU : 0xffffU;
  uint32_t old = det_load(m->orig + i, w), v = be ? det_swap(old, w) : old;
  if (minus ? (v & low) >= j : (v & low) + j <= low)
    return false;
  v = (minus ? v - j : v + j) & mask;
  uint32_t nw = be ? det_swap(v, w) : v;
  if (det_bitflip(old ^ nw))
    return false;
  det_patch(e, i, nw, w);
  e->val = minus ? -(int)j : (int)j;
  e->be = be;
  return true;
}
static bool desc_arith16(const struct mut_det *m, uint64_t k,
                         struct det_edit *e) {
  return det_arith_word(m, k, 2, e);
}
static bool desc_arith32(const struct mut_det *m, uint64_t k,
                         struct det_edit *e) {
  return det_arith_word(m, k, 4, e);
}

/* ---- interesting values
 * -------------------------------------------------------- */

static uint64_t slots_int8(const struct mut_det *m) {
  return slots_w1(m) * MUT_N_INTERESTING8;
}
static uint64_t slots_int16(const struct mut_det *m) {
  return slots_w2(m) * 2 * (uint64_t)MUT_N_INTERESTING16;
}
static uint64_t slots_int32(const struct mut_det *m) {
  return slots_w4(m) * 2 * (uint64_t)MUT_N_INTERESTING32;
}

static bool desc_int8(const struct mut_det *m, uint64_t k, struct det_edit *e) {
  size_t i = k / MUT_N_INTERESTING8;
  int8_t v = mut_interesting8[k % MUT_N_INTERESTING8];
  uint8_t old = m->orig[i], nw = (uint8_t)v;
  if (det_bitflip((uint32_t)(old ^ nw)) || det_arith(old, nw, 1))
    return false;
  det_patch(e, i, nw, 1);
  e->val = v; // NOLINT(bugprone-signed-char-misuse): the signed value is meant
  return true;
}

/* Put interesting value v in the w-byte word at i, LE then BE, unless a
   bit flip, arithmetic or a narrower interesting value gives the same (and
   BE only when it differs from LE). */
static bool det_int_word(const struct mut_det *m, size_t i, int32_t v, bool be,
                         unsigned w, struct det_edit *e) {
  uint32_t mask = w == 2 ? 0xffffU : 0xffffffffU;
  uint32_t old = det_load(m->orig + i, w), le = (uint32_t)v & mask;
  uint32_t nw = be ? det_swap(le, w) : le;
  if (be && nw == le)
    return false;
  if (det_bitflip(old ^ nw) || det_arith(old, nw, w) ||
      det_interest(old, nw, w, be))
    return false;
  det_patch(e, i, nw, w);
  e->val = v;
  e->be = be;
  return true;
}
static bool desc_int16(const struct mut_det *m, uint64_t k,
                       struct det_edit *e) {
  uint64_t r = k % ((uint64_t)2 * MUT_N_INTERESTING16);
  return det_int_word(m, k / ((uint64_t)2 * MUT_N_INTERESTING16),
                      mut_interesting16[r / 2], r & 1, 2, e);
}
static bool desc_int32(const struct mut_det *m, uint64_t k,
                       struct det_edit *e) {
  uint64_t r = k % ((uint64_t)2 * MUT_N_INTERESTING32);
  return det_int_word(m, k / ((uint64_t)2 * MUT_N_INTERESTING32),
                      mut_interesting32[r / 2], r & 1, 4, e);
}

/* ---- dictionary tokens
 * ---------------------------------------------------------- */

static size_t det_ntok(const struct dict *d) { return d ? d->n : 0; }

static uint64_t slots_ext_uo(const struct mut_det *m) {
  return (uint64_t)m->orig_len * det_ntok(m->dicts->user);
}
static uint64_t slots_ext_ui(const struct mut_det *m) {
  return ((uint64_t)m->orig_len + 1) * det_ntok(m->dicts->user);
}
static uint64_t slots_ext_ao(const struct mut_det *m) {
  return (uint64_t)m->orig_len * det_ntok(m->dicts->autod);
}
static uint64_t slots_ext_ai(const struct mut_det *m) {
  return ((uint64_t)m->orig_len + 1) * det_ntok(m->dicts->autod);
}

/* AFL++'s "skip extras probabilistically" for more than DET_MAX_EXTRAS
   tokens, from a hash of the slot instead of the random state. */
static bool det_sampled_out(uint64_t slot, size_t ntok) {
  if (ntok <= DET_MAX_EXTRAS)
    return false;
  uint64_t z = slot + 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return (z ^ (z >> 31)) % ntok >= DET_MAX_EXTRAS;
}

/* Token k % n over position k / n, unless it does not fit before the end
   or the input already holds it there. (afl-fuzz compares with its buffer
   after the previous token at that position was written over it, so it
   now and then runs the input itself, or skips a token the input lacks.) */
static bool det_over(const struct mut_det *m, const struct dict *d, uint64_t k,
                     struct det_edit *e) {
  size_t i = k / d->n;
  const struct dict_token *t = &d->tok[k % d->n];
  if (t->len > m->orig_len - i || !memcmp(t->data, m->orig + i, t->len))
    return false;
  e->at = i;
  e->tok = t;
  return true;
}
static bool desc_ext_uo(const struct mut_det *m, uint64_t k,
                        struct det_edit *e) {
  if (det_sampled_out(k, m->dicts->user->n))
    return false;
  return det_over(m, m->dicts->user, k, e);
}
static bool desc_ext_ao(const struct mut_det *m, uint64_t k,
                        struct det_edit *e) {
  return det_over(m, m->dicts->autod, k, e);
}

/* Token k % n inserted before position k / n (0..len). */
static bool det_insert(const struct dict *d, uint64_t k, struct det_edit *e) {
  e->at = k / d->n;
  e->tok = &d->tok[k % d->n];
  e->insert = true;
  return true;
}
static bool desc_ext_ui(const struct mut_det *m, uint64_t k,
                        struct det_edit *e) {
  return det_insert(m->dicts->user, k, e);
}
static bool desc_ext_ai(const struct mut_det *m, uint64_t k,
                        struct det_edit *e) {
  return det_insert(m->dicts->autod, k, e);
}

/* ---- the walk
 * ---------------------------------------------------------------------- */

/* AFL++ 4.04c's order and stage_short names. */
static const struct det_stage det_stages[] = {
    {"flip1", false, slots_flip1, desc_flip1},
    {"flip2", false, slots_flip2, desc_flip2},
    {"flip4", false, slots_flip4, desc_flip4},
    {"flip8", false, slots_w1, desc_flip8},
    {"flip16", false, slots_w2, desc_flip16},
    {"flip32", false, slots_w4, desc_flip32},
    {"arith8", true, slots_arith8, desc_arith8},
    {"arith16", true, slots_arith16, desc_arith16},
    {"arith32", true, slots_arith32, desc_arith32},
    {"int8", true, slots_int8, desc_int8},
    {"int16", true, slots_int16, desc_int16},
    {"int32", true, slots_int32, desc_int32},
    {"ext_UO", false, slots_ext_uo, desc_ext_uo},
    {"ext_UI", false, slots_ext_ui, desc_ext_ui},
    {"ext_AO", false, slots_ext_ao, desc_ext_ao},
    {"ext_AI", false, slots_ext_ai, desc_ext_ai},
};
#define DET_NSTAGES (sizeof(det_stages) / sizeof(det_stages[0]))

static const struct mut_dicts det_no_dicts;

void mut_det_init(struct mut_det *m, const uint8_t *orig, size_t len,
                  const struct mut_dicts *d) {
  memset(m, 0, sizeof(*m));
  m->orig = orig;
  m->orig_len = len;
  m->dicts = d ? d : &det_no_dicts;
}

/* Describe the next mutation after (stage, pos) that is not skipped,
   advancing them. False when the walk is over. */
static bool det_advance(uint32_t *stage, uint64_t *pos, const struct mut_det *m,
                        struct det_edit *e) {
  while (*stage < DET_NSTAGES) {
    const struct det_stage *st = &det_stages[*stage];
    if (*pos >= st->slots(m)) {
      (*stage)++;
      *pos = 0;
      continue;
    }
    memset(e, 0, sizeof(*e));
    if (st->describe(m, (*pos)++, e))
      return true;
  }
  return false;
}

/* Write e over (or into) a copy of the input in out. Overwrites restore
   only what the previous overwrite into the same out changed. */
static void det_write(struct mut_det *m, const struct det_edit *e, uint8_t *out,
                      size_t *out_len) {
  size_t n = e->tok ? e->tok->len : e->patch_len;
  const uint8_t *src = e->tok ? e->tok->data : e->patch;
  if (e->insert) {
    memcpy(out, m->orig, e->at);
    memcpy(out + e->at, src, n);
    memcpy(out + e->at + n, m->orig + e->at, m->orig_len - e->at);
    *out_len = m->orig_len + n;
    m->last_out = NULL;
    return;
  }
  if (out == m->last_out)
    memcpy(out + m->last_at, m->orig + m->last_at, m->last_n);
  else
    memcpy(out, m->orig, m->orig_len);
  memcpy(out + e->at, src, n);
  *out_len = m->orig_len;
  m->last_out = out;
  m->last_at = e->at;
  m->last_n = n;
}

bool mut_det_next(struct mut_det *m, uint8_t *out, size_t *out_len,
                  size_t max_len) {
  struct det_edit e;
  if (max_len < m->orig_len)
    return false;
  while (det_advance(&m->stage, &m->pos, m, &e)) {
    if (e.insert && e.tok->len > max_len - m->orig_len)
      continue;
    det_write(m, &e, out, out_len);
    m->name = det_stages[m->stage].name;
    m->at = e.at;
    m->val = e.val;
    m->val_be = e.be;
    m->has_val = det_stages[m->stage].has_val;
    return true;
  }
  return false;
}

uint64_t mut_det_total(const struct mut_det *m) {
  uint32_t stage = 0;
  uint64_t pos = 0, n = 0;
  struct det_edit e;
  while (det_advance(&stage, &pos, m, &e))
    n++;
  return n;
}
