/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Unit tests of fuzz/mutate.c and fuzz/det.c: every havoc operator does
 * what its name says on small known inputs and never leaves its buffer
 * (each buffer is allocated at exactly its capacity, so ASan sees one byte
 * too far), the operator table carries AFL++ 4.04c's weights, the same
 * seed gives the same havoc, splice's too-alike rule, and the deterministic
 * stages' order, names, values, skip rules and counts against AFL's.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mutate.h"

/* ---- helpers ------------------------------------------------------------- */

#define SEEDS 300U

/* A buffer of exactly cap bytes holding len distinct bytes base, base+1.. */
static uint8_t *distinct(size_t len, size_t cap, uint8_t base) {
  uint8_t *b = malloc(cap);
  assert_non_null(b);
  for (size_t i = 0; i < len; i++)
    b[i] = (uint8_t)(base + i);
  return b;
}

static struct dict one_token(const char *tok) {
  struct dict d = {0};
  assert_true(dict_add(&d, (const uint8_t *)tok, strlen(tok)));
  return d;
}

/* Run operator `name` once with seed s on a copy of orig (capacity cap). */
static size_t run_op(const char *name, uint64_t s, const uint8_t *orig,
                     size_t len, size_t cap, const struct mut_dicts *d,
                     uint8_t **out) {
  const struct mut_op *op = mut_op_find(name);
  assert_non_null(op);
  struct rng r;
  rng_seed(&r, s);
  *out = malloc(cap);
  assert_non_null(*out);
  memcpy(*out, orig, len);
  size_t n = op->fn(&r, *out, len, cap, d);
  assert_true(n >= 1 && n <= cap);
  return n;
}

/* Positions where a and b (same length) differ: count, first, last. */
static size_t diffs(const uint8_t *a, const uint8_t *b, size_t n, size_t *lo,
                    size_t *hi) {
  size_t c = 0;
  *lo = *hi = 0;
  for (size_t i = 0; i < n; i++)
    if (a[i] != b[i]) {
      if (!c)
        *lo = i;
      *hi = i;
      c++;
    }
  return c;
}

static bool contains(const uint8_t *hay, size_t hn, const uint8_t *needle,
                     size_t nn) {
  return memmem(hay, hn, needle, nn) != NULL;
}

/* out is orig with n bytes inserted at some place; returns that place's
   inserted bytes through *ins (NULL when out is not such an insertion). */
static const uint8_t *inserted(const uint8_t *orig, size_t len,
                               const uint8_t *out, size_t out_len) {
  size_t n = out_len - len, p = 0;
  if (out_len <= len)
    return NULL;
  while (p < len && out[p] == orig[p])
    p++;
  /* the insertion point may be anywhere in a run of equal bytes; take the
     first mismatch and check the tail from there */
  for (size_t at = 0; at <= p; at++)
    if (memcmp(out + at + n, orig + at, len - at) == 0 &&
        memcmp(out, orig, at) == 0)
      return out + at;
  return NULL;
}

/* ---- the table ------------------------------------------------------------
 */

static void test_table_weights(void **state) {
  (void)state;
  uint32_t need[4] = {0};
  for (size_t i = 0; i < mut_havoc_nops; i++) {
    need[mut_havoc_ops[i].need] += mut_havoc_ops[i].weight;
    assert_ptr_equal(mut_op_find(mut_havoc_ops[i].name), &mut_havoc_ops[i]);
  }
  /* AFL++ 4.04c: cases 0..64 for every input, +4 per dictionary, +4 when
     splicing inside havoc */
  assert_int_equal(need[MUT_NEED_NONE], 65);
  assert_int_equal(need[MUT_NEED_USER], 4);
  assert_int_equal(need[MUT_NEED_AUTO], 4);
  assert_int_equal(need[MUT_NEED_OTHER], 4);
  assert_null(mut_op_find("no_such_op"));
  assert_int_equal(mut_interesting16[MUT_N_INTERESTING16 - 1], 32767);
  assert_int_equal(mut_interesting32[MUT_N_INTERESTING32 - 1], INT32_MAX);
}

/* ---- bounds: every operator, every small length, tight capacities ----------
 */

static void test_every_op_in_bounds(void **state) {
  (void)state;
  struct dict user = one_token("USERTOKEN"), autod = one_token("AU");
  uint8_t *other = distinct(7, 7, 0xc0);
  for (size_t k = 0; k < mut_havoc_nops; k++)
    for (size_t len = 1; len <= 12; len++)
      for (size_t extra = 0; extra <= 10; extra += 5)
        for (uint32_t tier = 0; tier <= 3; tier++)
          for (uint64_t s = 0; s < 20; s++) {
            struct mut_dicts d = {&user, &autod, other, 7, tier};
            uint8_t *orig = distinct(len, len, 1), *out;
            size_t n = run_op(mut_havoc_ops[k].name, s, orig, len, len + extra,
                              &d, &out);
            assert_true(n <= len + extra);
            free(orig);
            free(out);
          }
  free(other);
  dict_free(&user);
  dict_free(&autod);
}

/* ---- what each operator does ----------------------------------------------
 */

static void test_flip_bit(void **state) {
  (void)state;
  uint8_t *orig = distinct(8, 8, 0x30), *out;
  for (uint64_t s = 0; s < SEEDS; s++) {
    assert_int_equal(run_op("flip_bit", s, orig, 8, 8, NULL, &out), 8);
    unsigned bits = 0;
    for (size_t i = 0; i < 8; i++)
      bits += (unsigned)__builtin_popcount(orig[i] ^ out[i]);
    assert_int_equal(bits, 1);
    free(out);
  }
  free(orig);
}

/* One byte changed, to a value `ok` accepts given the old value. */
static void one_byte_op(const char *name, bool (*ok)(uint8_t, uint8_t)) {
  uint8_t *orig = distinct(8, 8, 0x50), *out;
  for (uint64_t s = 0; s < SEEDS; s++) {
    assert_int_equal(run_op(name, s, orig, 8, 8, NULL, &out), 8);
    size_t lo, hi;
    size_t c = diffs(orig, out, 8, &lo, &hi);
    assert_true(c <= 1);
    if (c == 1 && !ok(orig[lo], out[lo]))
      fail_msg("%s: %02x -> %02x", name, orig[lo], out[lo]);
    if (c == 0 && strcmp(name, "interest8") != 0)
      fail_msg("%s changed nothing", name);
    free(out);
  }
  free(orig);
}

static bool is_interest8(uint8_t o, uint8_t n) {
  (void)o;
  for (size_t i = 0; i < MUT_N_INTERESTING8; i++)
    if (n == (uint8_t)mut_interesting8[i])
      return true;
  return false;
}
static bool is_add8(uint8_t o, uint8_t n) {
  return (uint8_t)(n - o) >= 1 && (uint8_t)(n - o) <= ARITH_MAX;
}
static bool is_sub8(uint8_t o, uint8_t n) { return is_add8(n, o); }
static bool is_inc8(uint8_t o, uint8_t n) { return (uint8_t)(o + 1) == n; }
static bool is_dec8(uint8_t o, uint8_t n) { return (uint8_t)(o - 1) == n; }
static bool is_flip8(uint8_t o, uint8_t n) { return (o ^ n) == 0xff; }
static bool is_any(uint8_t o, uint8_t n) { return o != n; }

static void test_byte_ops(void **state) {
  (void)state;
  one_byte_op("interest8", is_interest8);
  one_byte_op("add8", is_add8);
  one_byte_op("sub8", is_sub8);
  one_byte_op("inc8", is_inc8);
  one_byte_op("dec8", is_dec8);
  one_byte_op("flip8", is_flip8);
  one_byte_op("rand8", is_any);
}

static uint32_t load(const uint8_t *p, size_t w, bool be) {
  uint32_t v = 0;
  for (size_t i = 0; i < w; i++)
    v |= (uint32_t)p[be ? w - 1 - i : i] << (8 * i);
  return v;
}

/* On a w-byte input (one window only), the window's value read in the
   operator's endianness is an interesting value (set) or old +- 1..35. */
static void word_op(const char *name, size_t w, bool be, int kind) {
  uint8_t *orig = distinct(w, w, 0x10), *out;
  uint32_t mask = w == 2 ? 0xffffU : 0xffffffffU;
  for (uint64_t s = 0; s < SEEDS; s++) {
    assert_int_equal(run_op(name, s, orig, w, w, NULL, &out), w);
    uint32_t o = load(orig, w, be), n = load(out, w, be);
    bool good = false;
    if (kind == 0) {
      for (size_t i = 0; i < MUT_N_INTERESTING32 && !good; i++) {
        int32_t v = w == 2 && i < MUT_N_INTERESTING16 ? mut_interesting16[i]
                                                      : mut_interesting32[i];
        if (w == 2 && i >= MUT_N_INTERESTING16)
          break;
        good = n == ((uint32_t)v & mask);
      }
    } else {
      uint32_t delta = (kind > 0 ? n - o : o - n) & mask;
      good = delta >= 1 && delta <= ARITH_MAX;
    }
    if (!good)
      fail_msg("%s: %08x -> %08x", name, o, n);
    free(out);
  }
  free(orig);
}

static void test_word_ops(void **state) {
  (void)state;
  word_op("interest16", 2, false, 0);
  word_op("interest16_be", 2, true, 0);
  word_op("interest32", 4, false, 0);
  word_op("interest32_be", 4, true, 0);
  word_op("add16", 2, false, 1);
  word_op("add16_be", 2, true, 1);
  word_op("sub16", 2, false, -1);
  word_op("sub16_be", 2, true, -1);
  word_op("add32", 4, false, 1);
  word_op("add32_be", 4, true, 1);
  word_op("sub32", 4, false, -1);
  word_op("sub32_be", 4, true, -1);
}

/* Word operators leave inputs shorter than their word alone. */
static void test_word_ops_short_input(void **state) {
  (void)state;
  static const char *const w2[] = {"interest16", "interest16_be", "add16",
                                   "sub16_be"};
  static const char *const w4[] = {"interest32", "add32_be", "sub32", "swap"};
  uint8_t *orig = distinct(3, 3, 0x70), *out;
  for (size_t i = 0; i < 4; i++) {
    assert_int_equal(run_op(w2[i], 1, orig, 1, 1, NULL, &out), 1);
    assert_memory_equal(out, orig, 1);
    free(out);
    assert_int_equal(run_op(w4[i], 1, orig, 3, 3, NULL, &out), 3);
    assert_memory_equal(out, orig, 3);
    free(out);
  }
  free(orig);
}

static void test_clone_and_insert_const(void **state) {
  (void)state;
  uint8_t *orig = distinct(16, 16, 0x40), *out;
  struct mut_dicts d = {0};
  for (uint64_t s = 0; s < SEEDS; s++) {
    size_t n = run_op("clone", s, orig, 16, 64, &d, &out);
    const uint8_t *ins = inserted(orig, 16, out, n);
    assert_non_null(ins);
    assert_true(n - 16 <= 16);
    assert_true(contains(orig, 16, ins, n - 16));
    free(out);
    n = run_op("insert_const", s, orig, 16, 64, &d, &out);
    ins = inserted(orig, 16, out, n);
    assert_non_null(ins);
    for (size_t i = 1; i < n - 16; i++)
      assert_int_equal(ins[i], ins[0]);
    free(out);
  }
  /* no room: nothing happens */
  assert_int_equal(run_op("clone", 3, orig, 16, 16, &d, &out), 16);
  assert_memory_equal(out, orig, 16);
  free(out);
  assert_int_equal(run_op("insert_const", 3, orig, 16, 16, &d, &out), 16);
  free(out);
  free(orig);
}

/* Every block range of the top tier appears, and the clone fits the room. */
static void test_block_tiers(void **state) {
  (void)state;
  size_t len = 4000, cap = len + 2000, seen_big = 0, seen_small = 0;
  uint8_t *orig = distinct(len, len, 0), *out;
  struct mut_dicts small = {0}, all = {.blk_tier = 3};
  for (uint64_t s = 0; s < 200; s++) {
    size_t n = run_op("clone", s, orig, len, cap, &small, &out);
    assert_true(n - len <= HAVOC_BLK_SMALL);
    seen_small += n - len;
    free(out);
    n = run_op("clone", s, orig, len, cap, &all, &out);
    assert_true(n <= cap);
    if (n - len > HAVOC_BLK_MEDIUM)
      seen_big++;
    free(out);
  }
  assert_true(seen_small > 0);
  assert_true(seen_big > 0);
  free(orig);
}

static void test_overwrite_ops(void **state) {
  (void)state;
  uint8_t *orig = distinct(16, 16, 0x20), *out;
  struct mut_dicts d = {0};
  for (uint64_t s = 0; s < SEEDS; s++) {
    size_t lo, hi;
    assert_int_equal(run_op("overwrite_copy", s, orig, 16, 16, &d, &out), 16);
    if (diffs(orig, out, 16, &lo, &hi))
      assert_true(contains(orig, 16, out + lo, hi - lo + 1));
    free(out);
    assert_int_equal(run_op("overwrite_const", s, orig, 16, 16, &d, &out), 16);
    if (diffs(orig, out, 16, &lo, &hi))
      for (size_t i = lo; i <= hi; i++)
        assert_int_equal(out[i], out[lo]);
    free(out);
  }
  free(orig);
}

static int cmp_u8(const void *a, const void *b) {
  return *(const uint8_t *)a - *(const uint8_t *)b;
}

static void test_swap_and_delete(void **state) {
  (void)state;
  uint8_t *orig = distinct(16, 16, 0x60), *out;
  struct mut_dicts d = {0};
  for (uint64_t s = 0; s < SEEDS; s++) {
    assert_int_equal(run_op("swap", s, orig, 16, 16, &d, &out), 16);
    assert_memory_not_equal(out, orig, 16);
    qsort(out, 16, 1, cmp_u8);
    assert_memory_equal(out, orig, 16); /* same bytes, moved */
    free(out);
    size_t n = run_op("delete", s, orig, 16, 16, &d, &out);
    assert_true(n >= 1 && n < 16);
    assert_non_null(inserted(out, n, orig, 16)); /* put back = orig */
    free(out);
  }
  assert_int_equal(run_op("delete", 1, orig, 1, 1, &d, &out), 1);
  free(out);
  free(orig);
}

static void test_dict_ops(void **state) {
  (void)state;
  struct dict user = one_token("USER"), autod = one_token("AUTOTOK");
  struct mut_dicts d = {.user = &user, .autod = &autod};
  uint8_t *orig = distinct(8, 8, 0x30), *out;
  for (uint64_t s = 0; s < 50; s++) {
    assert_int_equal(run_op("extra_over", s, orig, 8, 8, &d, &out), 8);
    assert_true(contains(out, 8, (const uint8_t *)"USER", 4));
    free(out);
    assert_int_equal(run_op("extra_insert", s, orig, 8, 12, &d, &out), 12);
    assert_memory_equal(inserted(orig, 8, out, 12), "USER", 4);
    free(out);
    assert_int_equal(run_op("auto_over", s, orig, 8, 8, &d, &out), 8);
    assert_true(contains(out, 8, (const uint8_t *)"AUTOTOK", 7));
    free(out);
    assert_int_equal(run_op("auto_insert", s, orig, 8, 15, &d, &out), 15);
    assert_memory_equal(inserted(orig, 8, out, 15), "AUTOTOK", 7);
    free(out);
  }
  /* token longer than the input / no room / no dictionary: unchanged */
  assert_int_equal(run_op("auto_over", 1, orig, 4, 4, &d, &out), 4);
  assert_memory_equal(out, orig, 4);
  free(out);
  assert_int_equal(run_op("extra_insert", 1, orig, 8, 11, &d, &out), 8);
  free(out);
  struct mut_dicts none = {0};
  assert_int_equal(run_op("extra_insert", 1, orig, 8, 20, &none, &out), 8);
  assert_memory_equal(out, orig, 8);
  free(out);
  free(orig);
  dict_free(&user);
  dict_free(&autod);
}

static void test_splice_ops(void **state) {
  (void)state;
  uint8_t *other = distinct(10, 10, 0xa0);
  struct mut_dicts d = {.other = other, .other_len = 10};
  uint8_t *orig = distinct(8, 8, 0x10), *out;
  for (uint64_t s = 0; s < SEEDS; s++) {
    size_t lo, hi;
    assert_int_equal(run_op("splice_over", s, orig, 8, 8, &d, &out), 8);
    assert_true(diffs(orig, out, 8, &lo, &hi) > 0);
    assert_true(contains(other, 10, out + lo, hi - lo + 1));
    free(out);
    size_t n = run_op("splice_insert", s, orig, 8, 30, &d, &out);
    const uint8_t *ins = inserted(orig, 8, out, n);
    assert_non_null(ins);
    assert_true(contains(other, 10, ins, n - 8));
    free(out);
  }
  free(orig);
  free(other);
}

/* ---- the stack --------------------------------------------------------------
 */

static void test_havoc_deterministic(void **state) {
  (void)state;
  struct dict user = one_token("GET /"), autod = one_token("\xff\xfe");
  struct mut_dicts d = {&user, &autod, NULL, 0, 3};
  size_t cap = 4096;
  uint8_t *a = distinct(64, cap, 0), *b = distinct(64, cap, 0);
  struct rng ra, rb, rc;
  rng_seed(&ra, 42);
  rng_seed(&rb, 42);
  rng_seed(&rc, 43);
  size_t la = 64, lb = 64, lc = 64;
  uint8_t *c = distinct(64, cap, 0);
  bool differ = false;
  for (int i = 0; i < 2000; i++) {
    uint32_t sa = mut_havoc(&ra, a, &la, cap, &d);
    uint32_t sb = mut_havoc(&rb, b, &lb, cap, &d);
    mut_havoc(&rc, c, &lc, cap, &d);
    assert_int_equal(sa, sb);
    assert_true(sa >= 2 && sa <= (1U << HAVOC_STACK_POW2) && !(sa & (sa - 1)));
    assert_int_equal(la, lb);
    assert_memory_equal(a, b, la);
    assert_true(la >= 1 && la <= cap);
    differ |= la != lc || memcmp(a, c, la) != 0;
  }
  assert_true(differ);
  free(a);
  free(b);
  free(c);
  dict_free(&user);
  dict_free(&autod);
}

/* Long campaigns on a tight buffer: lengths stay in [1, cap]. */
static void test_havoc_tight(void **state) {
  (void)state;
  uint8_t *other = distinct(40, 40, 7);
  struct dict user = one_token("0123456789abcdef");
  struct mut_dicts d = {&user, NULL, other, 40, 3};
  for (size_t cap = 1; cap <= 24; cap++) {
    uint8_t *buf = distinct(1, cap, 9);
    size_t len = 1;
    struct rng r;
    rng_seed(&r, cap);
    for (int i = 0; i < 500; i++) {
      mut_havoc(&r, buf, &len, cap, &d);
      assert_true(len >= 1 && len <= cap);
    }
    free(buf);
  }
  free(other);
  dict_free(&user);
}

/* ---- splice
 * --------------------------------------------------------------------- */

static void test_splice(void **state) {
  (void)state;
  const uint8_t a[] = "AAAAxxxxxxxxAAAA";
  const uint8_t b[] = "AAAAyyyyyyyyBBBBBBBB";
  for (uint64_t s = 0; s < SEEDS; s++) {
    struct rng r;
    rng_seed(&r, s);
    uint8_t buf[64];
    size_t len = 16;
    memcpy(buf, a, 16);
    assert_true(mut_splice(&r, buf, &len, sizeof(buf), b, 20));
    assert_int_equal(len, 20);
    /* split in [first diff 4, last diff 15): head of a, tail of b */
    size_t split = 0;
    while (split < 16 && buf[split] == a[split])
      split++;
    assert_true(split >= 4 && split < 15);
    assert_memory_equal(buf + split, b + split, 20 - split);
    assert_memory_equal(buf, a, split);
  }
  /* capped at max_len */
  struct rng r;
  rng_seed(&r, 1);
  uint8_t buf[18];
  size_t len = 16;
  memcpy(buf, a, 16);
  assert_true(mut_splice(&r, buf, &len, 18, b, 20));
  assert_int_equal(len, 18);
}

static void splice_refused(const char *x, const char *y) {
  struct rng r;
  rng_seed(&r, 5);
  uint8_t buf[32];
  size_t len = strlen(x);
  memcpy(buf, x, len);
  assert_false(
      mut_splice(&r, buf, &len, sizeof(buf), (const uint8_t *)y, strlen(y)));
  assert_int_equal(len, strlen(x));
  assert_memory_equal(buf, x, len);
}

static void test_splice_too_alike(void **state) {
  (void)state;
  splice_refused("abcdefgh", "abcdefgh");     /* identical */
  splice_refused("abcdefgh", "abcdefghijkl"); /* a prefix of the other */
  splice_refused("abcdefgh", "abcXefgh");     /* one differing byte */
  splice_refused("abcdefgh", "XYcdefgh");     /* last difference at 1 */
  splice_refused("abcdefgh", "aXcdefgh");     /* last difference at 1 */
  /* two differences ending at byte 2 are enough */
  struct rng r;
  rng_seed(&r, 5);
  uint8_t buf[8] = "abcdefgh";
  size_t len = 8;
  assert_true(mut_splice(&r, buf, &len, 8, (const uint8_t *)"aXYdefgh", 8));
}

/* ---- deterministic stages
 * ------------------------------------------------------ */

static const char *const stage_names[] = {
    "flip1",  "flip2",   "flip4",   "flip8", "flip16", "flip32",
    "arith8", "arith16", "arith32", "int8",  "int16",  "int32",
    "ext_UO", "ext_UI",  "ext_AO",  "ext_AI"};
#define NSTAGES (sizeof(stage_names) / sizeof(stage_names[0]))

/* Walk every deterministic mutation of in[0..len) and count them by stage;
   checks on the way that stages come in order, every mutation changes the
   input and total() agrees. */
static void det_counts(const uint8_t *in, size_t len, const struct mut_dicts *d,
                       uint64_t counts[NSTAGES]) {
  struct mut_det m;
  uint8_t out[512];
  size_t out_len, stage = 0;
  uint64_t n = 0;
  memset(counts, 0, NSTAGES * sizeof(counts[0]));
  mut_det_init(&m, in, len, d);
  while (mut_det_next(&m, out, &out_len, sizeof(out))) {
    while (stage < NSTAGES && strcmp(m.name, stage_names[stage]) != 0)
      stage++;
    assert_true(stage < NSTAGES);
    counts[stage]++;
    n++;
    assert_false(out_len == len && memcmp(out, in, len) == 0);
  }
  assert_int_equal(mut_det_total(&m), n);
}

/* Expected counts were worked out from afl-fuzz-one.c (AFL++ 4.04c):
   stage_max after every skip, with the effector map all set (as for every
   input under 128 bytes), for the inputs and -x tokens below. One
   deliberate difference: ext_UO skips a token the input already holds at
   that position, where afl-fuzz compares with the previous token it wrote
   there (and so runs "ABCD" itself once in the first case: 7 for it). */
struct det_case {
  const char *in;
  size_t len;
  uint64_t want[NSTAGES];
};

static void test_det_counts_afl(void **state) {
  (void)state;
  static const struct det_case cases[] = {
      {"ABCD", 4, {32, 31, 29, 4, 3, 1, 224, 0, 0, 23, 84, 44, 6, 15}},
      {"\0\0\0\0", 4, {32, 31, 29, 4, 3, 1, 224, 204, 68, 8, 18, 10, 8, 15}},
      {"\xff\x7f\x01\x80",
       4,
       {32, 31, 29, 4, 3, 1, 224, 101, 0, 16, 70, 41, 8, 15}},
      {"\0", 1, {8, 7, 5, 1, 0, 0, 56, 0, 0, 2, 0, 0, 0, 6}},
      {"\x7f", 1, {8, 7, 5, 1, 0, 0, 56, 0, 0, 5, 0, 0, 0, 6}},
      {"AB", 2, {16, 15, 13, 2, 1, 0, 112, 0, 0, 11, 28, 0, 1, 9}},
      {"\0\0", 2, {16, 15, 13, 2, 1, 0, 112, 68, 0, 4, 6, 0, 2, 9}},
  };
  struct dict user = {0};
  /* "AB" over "AB" (and "BC" over "BC") is skipped: already there */
  assert_true(dict_add(&user, (const uint8_t *)"AB", 2));
  assert_true(dict_add(&user, (const uint8_t *)"BC", 2));
  assert_true(dict_add(&user, (const uint8_t *)"XYZ", 3));
  struct mut_dicts d = {.user = &user};
  for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
    uint64_t got[NSTAGES];
    det_counts((const uint8_t *)cases[c].in, cases[c].len, &d, got);
    for (size_t st = 0; st < NSTAGES; st++)
      if (got[st] != cases[c].want[st])
        fail_msg("case %zu %s: %llu, AFL %llu", c, stage_names[st],
                 (unsigned long long)got[st],
                 (unsigned long long)cases[c].want[st]);
  }
  dict_free(&user);
}

/* could_be_bitflip by hand for the byte 0x00: +j is skipped when j is one
   bit, two adjacent bits or four adjacent bits (1 2 3 4 6 8 12 15 16 24
   30 32); -j when 0x100 - j is a whole byte (j 1) or four adjacent bits
   (0xf0, j 16). The other 56 of the 70 are run, in AFL's order. */
static void test_det_arith8_skips(void **state) {
  (void)state;
  static const int skip_plus[] = {1, 2, 3, 4, 6, 8, 12, 15, 16, 24, 30, 32};
  int want[70], n_want = 0;
  for (int j = 1; j <= ARITH_MAX; j++) {
    bool skip = false;
    for (size_t k = 0; k < sizeof(skip_plus) / sizeof(skip_plus[0]); k++)
      skip |= skip_plus[k] == j;
    if (!skip)
      want[n_want++] = j;
    if (j != 1 && j != 16)
      want[n_want++] = -j;
  }
  assert_int_equal(n_want, 56);
  struct mut_det m;
  uint8_t out[8];
  size_t n;
  int got = 0;
  mut_det_init(&m, (const uint8_t *)"", 1, NULL);
  while (mut_det_next(&m, out, &n, sizeof(out)))
    if (!strcmp(m.name, "arith8")) {
      assert_true(got < n_want);
      assert_int_equal(m.val, want[got]);
      assert_int_equal(out[0], (uint8_t)want[got]);
      got++;
    }
  assert_int_equal(got, n_want);
}

/* Walk to the first mutation of `stage` (with val_be == be if be >= 0). */
static bool det_find(struct mut_det *m, const char *stage, int be, uint8_t *out,
                     size_t *out_len) {
  while (mut_det_next(m, out, out_len, 64))
    if (!strcmp(m->name, stage) && (be < 0 || m->val_be == (be > 0)))
      return true;
  return false;
}

static void test_det_names_and_values(void **state) {
  (void)state;
  static const uint8_t in[4] = "ABCD";
  struct mut_det m;
  uint8_t out[64];
  size_t n;
  mut_det_init(&m, in, 4, NULL);
  assert_int_equal(mut_det_total(&m),
                   32 + 31 + 29 + 4 + 3 + 1 + 224 + 23 + 84 + 44);
  assert_true(mut_det_next(&m, out, &n, sizeof(out)));
  assert_string_equal(m.name, "flip1");
  assert_int_equal(m.at, 0);
  assert_false(m.has_val);
  assert_memory_equal(out,
                      "\xc1"
                      "BCD",
                      4);
  assert_true(det_find(&m, "flip2", -1, out, &n)); /* bits 0 and 1 */
  assert_memory_equal(out,
                      "\x81"
                      "BCD",
                      4);
  for (int k = 0; k < 7; k++) /* bit 7 of byte 0 and bit 0 of byte 1 */
    assert_true(mut_det_next(&m, out, &n, sizeof(out)));
  assert_int_equal(m.at, 0);
  assert_memory_equal(out,
                      "\x40\xc2"
                      "CD",
                      4);
  /* 'A'+-1 and +2 are bit flips: the first arith8 is 'A'-2 */
  assert_true(det_find(&m, "arith8", -1, out, &n));
  assert_int_equal(m.at, 0);
  assert_int_equal(m.val, -2);
  assert_true(m.has_val);
  assert_false(m.val_be);
  assert_memory_equal(out, "?BCD", 4);
  assert_true(det_find(&m, "int16", 1, out, &n));
  assert_true(m.has_val);
  uint16_t v = (uint16_t)m.val;
  assert_int_equal(out[m.at], v >> 8);
  assert_int_equal(out[m.at + 1], v & 0xff);
  assert_true(det_find(&m, "int32", 0, out, &n));
  uint32_t w = (uint32_t)m.val;
  assert_memory_equal(out, &w, 4);
  while (mut_det_next(&m, out, &n, sizeof(out))) /* no dictionary: int32 ends */
    assert_string_equal(m.name, "int32");
}

/* The same walk into one reused buffer (restoring only the last edit) and
   into a fresh buffer every time gives the same bytes. */
static void test_det_reused_buffer(void **state) {
  (void)state;
  struct dict user = one_token("TOK"), autod = one_token("Z");
  struct mut_dicts d = {.user = &user, .autod = &autod};
  static const uint8_t in[] = "\x00\xff\x7f\x80GIF8";
  struct mut_det a, b;
  mut_det_init(&a, in, 8, &d);
  mut_det_init(&b, in, 8, &d);
  uint8_t keep[16];
  size_t na, nb;
  while (mut_det_next(&a, keep, &na, sizeof(keep))) {
    uint8_t *fresh = malloc(16);
    memset(fresh, 0xee, 16);
    assert_true(mut_det_next(&b, fresh, &nb, 16));
    assert_int_equal(na, nb);
    assert_memory_equal(keep, fresh, na);
    free(fresh);
  }
  assert_false(mut_det_next(&b, keep, &nb, sizeof(keep)));
  dict_free(&user);
  dict_free(&autod);
}

/* Inserts that would pass max_len are skipped; overwrites still run. */
static void test_det_insert_room(void **state) {
  (void)state;
  struct dict user = {0};
  assert_true(dict_add(&user, (const uint8_t *)"X", 1));
  assert_true(dict_add(&user, (const uint8_t *)"LONG", 4));
  struct mut_dicts d = {.user = &user};
  static const uint8_t in[3] = "abc";
  struct mut_det m;
  uint8_t *out = malloc(4); /* room for one more byte only */
  size_t n, ui = 0, uo = 0;
  mut_det_init(&m, in, 3, &d);
  while (mut_det_next(&m, out, &n, 4)) {
    assert_true(n <= 4);
    ui += !strcmp(m.name, "ext_UI");
    uo += !strcmp(m.name, "ext_UO");
    if (!strcmp(m.name, "ext_UI"))
      assert_true(memchr(out, 'X', n) != NULL);
  }
  assert_int_equal(ui, 4); /* "X" at 0..3; "LONG" never fits */
  assert_int_equal(uo, 3); /* "X" over a, b, c; "LONG" is longer */
  free(out);
  dict_free(&user);
}

static void test_det_auto_tokens(void **state) {
  (void)state;
  struct dict autod = one_token("ab");
  struct mut_dicts d = {.autod = &autod};
  uint64_t got[NSTAGES];
  det_counts((const uint8_t *)"abab", 4, &d, got);
  assert_int_equal(got[12], 0);
  assert_int_equal(got[13], 0);
  assert_int_equal(got[14], 1); /* at 1 only: "ab" is already at 0 and 2 */
  assert_int_equal(got[15], 5);
  dict_free(&autod);
}

/* With more than DET_MAX_EXTRAS tokens, ext_UO keeps about
   DET_MAX_EXTRAS / tokens of its slots, the same ones every time. */
static void test_det_many_tokens(void **state) {
  (void)state;
  struct dict user = {0};
  for (uint32_t i = 0; i < 2 * DET_MAX_EXTRAS; i++)
    assert_true(dict_add(&user, (const uint8_t *)&i, 2));
  struct mut_dicts d = {.user = &user};
  uint8_t in[64];
  memset(in, 0xaa, sizeof(in));
  uint64_t a[NSTAGES], b[NSTAGES];
  det_counts(in, sizeof(in), &d, a);
  det_counts(in, sizeof(in), &d, b);
  assert_int_equal(a[12], b[12]);
  uint64_t slots = (sizeof(in) - 1) * 2 * DET_MAX_EXTRAS, half = slots / 2;
  assert_true(a[12] > half - half / 10 && a[12] < half + half / 10);
  assert_int_equal(a[13], (sizeof(in) + 1) * 2 * DET_MAX_EXTRAS);
  dict_free(&user);
}

/* An input longer than the capacity gives nothing; an empty one only
   inserts. */
static void test_det_edges(void **state) {
  (void)state;
  struct mut_det m;
  uint8_t out[8];
  size_t n;
  mut_det_init(&m, (const uint8_t *)"abcdef", 6, NULL);
  assert_false(mut_det_next(&m, out, &n, 5));
  struct dict user = one_token("k");
  struct mut_dicts d = {.user = &user};
  mut_det_init(&m, (const uint8_t *)"", 0, &d);
  assert_int_equal(mut_det_total(&m), 1);
  assert_true(mut_det_next(&m, out, &n, sizeof(out)));
  assert_string_equal(m.name, "ext_UI");
  assert_int_equal(n, 1);
  assert_false(mut_det_next(&m, out, &n, sizeof(out)));
  dict_free(&user);
}

#define MUTATE_HAVOC_TESTS                                                     \
  cmocka_unit_test(test_table_weights),                                        \
      cmocka_unit_test(test_every_op_in_bounds),                               \
      cmocka_unit_test(test_flip_bit), cmocka_unit_test(test_byte_ops),        \
      cmocka_unit_test(test_word_ops),                                         \
      cmocka_unit_test(test_word_ops_short_input),                             \
      cmocka_unit_test(test_clone_and_insert_const),                           \
      cmocka_unit_test(test_block_tiers),                                      \
      cmocka_unit_test(test_overwrite_ops),                                    \
      cmocka_unit_test(test_swap_and_delete), cmocka_unit_test(test_dict_ops), \
      cmocka_unit_test(test_splice_ops),                                       \
      cmocka_unit_test(test_havoc_deterministic),                              \
      cmocka_unit_test(test_havoc_tight), cmocka_unit_test(test_splice),       \
      cmocka_unit_test(test_splice_too_alike),                                 \
      cmocka_unit_test(test_det_counts_afl),                                   \
      cmocka_unit_test(test_det_arith8_skips),                                 \
      cmocka_unit_test(test_det_names_and_values),                             \
      cmocka_unit_test(test_det_reused_buffer),                                \
      cmocka_unit_test(test_det_insert_room),                                  \
      cmocka_unit_test(test_det_auto_tokens),                                  \
      cmocka_unit_test(test_det_many_tokens), cmocka_unit_test(test_det_edges)

int main(void) {
  const struct CMUnitTest tests[] = {MUTATE_HAVOC_TESTS};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
