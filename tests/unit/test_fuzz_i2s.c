/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Unit tests of the input-to-state solver (fuzz/i2s.c) and the CmpLog map
 * readers (fuzz/cmpexec.c) on hand-made maps: encodings, where an operand
 * is found (both byte orders, narrower widths, confirmed by the colourised
 * run), what goes in its place (+-1 for ordered compares, strings with
 * their NUL), colouring, the ranges colourisation splits.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "cmpexec.h"
#include "i2s.h"

/* ---- encodings ----------------------------------------------------------- */

static void test_encodings(void **state) {
  (void)state;
  uint8_t b[8] = {0x0d, 0xf0, 0xed, 0x5e, 1, 2, 3, 4};
  assert_int_equal(i2s_load(b, 4, false), 0x5eedf00d);
  assert_int_equal(i2s_load(b, 4, true), 0x0df0ed5e);
  assert_int_equal(i2s_load(b, 2, false), 0xf00d);
  assert_int_equal(i2s_load(b, 8, false), 0x040302015eedf00dULL);
  assert_int_equal(i2s_bswap(0x1122, 2), 0x2211);
  assert_int_equal(i2s_bswap(0x11223344, 4), 0x44332211);
  assert_int_equal(i2s_bswap(0xab, 1), 0xab);
  uint8_t o[4] = {0};
  i2s_store(o, 0x5eedf00d, 4, true);
  assert_memory_equal(o, "\x5e\xed\xf0\x0d", 4);
  i2s_store(o, 0x5eedf00d, 4, false);
  assert_memory_equal(o, "\x0d\xf0\xed\x5e", 4);
}

static void test_values(void **state) {
  (void)state;
  uint64_t v[3];
  assert_int_equal(i2s_values(100, CMP_ATTR_EQ, v), 1);
  assert_int_equal(v[0], 100);
  assert_int_equal(i2s_values(100, CMP_ATTR_NE, v), 1);
  assert_int_equal(i2s_values(100, CMP_ATTR_LT, v), 3);
  assert_true(v[0] == 100 && v[1] == 101 && v[2] == 99);
  assert_int_equal(i2s_values(7, CMP_ATTR_GE, v), 3);
  assert_int_equal(i2s_values(7, CMP_ATTR_EQ | CMP_ATTR_FP, v), 1);
}

/* ---- integer compares ------------------------------------------------------
 */

static const uint8_t orig[] = "AAAABBBBCCCCDDDD";
static const uint8_t col[] = "xyzwBBBBCCCCDDDD";

/* The input's first word against a magic value, as magic.c compares it. */
static struct i2s_ins magic_cmp(uint32_t attr) {
  return (struct i2s_ins){.o0 = 0x41414141,
                          .o1 = 0x5eedf00d,
                          .c0 = i2s_load(col, 4, false),
                          .c1 = 0x5eedf00d,
                          .size = 4,
                          .attr = attr};
}

static void test_ins_found_le(void **state) {
  (void)state;
  struct i2s_ins c = magic_cmp(CMP_ATTR_EQ);
  struct i2s_edit e[8];
  size_t n = i2s_ins_edits(&c, orig, col, 16, 0, e, 8);
  assert_int_equal(n, 1);
  assert_int_equal(e[0].pos, 0);
  assert_int_equal(e[0].len, 4);
  assert_memory_equal(e[0].bytes, "\x0d\xf0\xed\x5e", 4);
  /* Nowhere else: the colourised bytes confirm position 0 only. */
  for (size_t pos = 1; pos < 16; pos++)
    assert_int_equal(i2s_ins_edits(&c, orig, col, 16, pos, e, 8), 0);
}

static void test_ins_needs_colour_match(void **state) {
  (void)state;
  struct i2s_ins c = magic_cmp(CMP_ATTR_EQ);
  c.c0 = 0x12345678; /* the colourised run saw something else there */
  struct i2s_edit e[8];
  assert_int_equal(i2s_ins_edits(&c, orig, col, 16, 0, e, 8), 0);
}

static void test_ins_found_big_endian(void **state) {
  (void)state;
  uint8_t in[8] = {9, 0x12, 0x34, 0x56, 0x78, 9, 9, 9};
  struct i2s_ins c = {.o0 = 0x12345678,
                      .o1 = 0xcafebabe,
                      .c0 = 0x12345678,
                      .c1 = 0xcafebabe,
                      .size = 4,
                      .attr = CMP_ATTR_EQ};
  struct i2s_edit e[8];
  assert_int_equal(i2s_ins_edits(&c, in, in, 8, 1, e, 8), 1);
  assert_memory_equal(e[0].bytes, "\xca\xfe\xba\xbe", 4);
  uint8_t out[8];
  memcpy(out, in, 8);
  assert_int_equal(i2s_apply(&e[0], out, 8, 8), 8);
  assert_memory_equal(out, "\x09\xca\xfe\xba\xbe\x09\x09\x09", 8);
}

static void test_ins_second_operand(void **state) {
  (void)state;
  /* The constant first, the input's value second. */
  struct i2s_ins c = magic_cmp(CMP_ATTR_EQ);
  struct i2s_ins r = {.o0 = c.o1,
                      .o1 = c.o0,
                      .c0 = c.c1,
                      .c1 = c.c0,
                      .size = 4,
                      .attr = CMP_ATTR_EQ};
  struct i2s_edit e[8];
  assert_int_equal(i2s_ins_edits(&r, orig, col, 16, 0, e, 8), 1);
  assert_memory_equal(e[0].bytes, "\x0d\xf0\xed\x5e", 4);
}

static void test_ins_ordered_plus_minus(void **state) {
  (void)state;
  struct i2s_ins c = magic_cmp(CMP_ATTR_LT);
  struct i2s_edit e[8];
  assert_int_equal(i2s_ins_edits(&c, orig, col, 16, 0, e, 8), 3);
  assert_int_equal(i2s_load(e[0].bytes, 4, false), 0x5eedf00d);
  assert_int_equal(i2s_load(e[1].bytes, 4, false), 0x5eedf00e);
  assert_int_equal(i2s_load(e[2].bytes, 4, false), 0x5eedf00c);
  assert_int_equal(i2s_ins_edits(&c, orig, col, 16, 0, e, 2), 2);
}

static void test_ins_narrower_width(void **state) {
  (void)state;
  /* An 8-byte compare of a zero-extended 2-byte field. */
  uint8_t in[6] = {'x', 0x34, 0x12, 'y', 'z', 'w'};
  struct i2s_ins c = {.o0 = 0x1234,
                      .o1 = 0xbeef,
                      .c0 = 0x1234,
                      .c1 = 0xbeef,
                      .size = 8,
                      .attr = CMP_ATTR_EQ};
  struct i2s_edit e[8];
  assert_int_equal(i2s_ins_edits(&c, in, in, 6, 1, e, 8), 1);
  assert_int_equal(e[0].len, 2);
  assert_memory_equal(e[0].bytes, "\xef\xbe", 2);
  /* A value that needs 8 bytes is not looked for in 2. */
  c.o1 = c.c1 = 0x100000000ULL;
  assert_int_equal(i2s_ins_edits(&c, in, in, 6, 1, e, 8), 0);
}

static void test_ins_edges(void **state) {
  (void)state;
  struct i2s_ins c = magic_cmp(CMP_ATTR_EQ);
  struct i2s_edit e[8];
  /* Past the end, floats, widths above 8. */
  assert_int_equal(i2s_ins_edits(&c, orig, col, 3, 0, e, 8), 0);
  c.attr = CMP_ATTR_EQ | CMP_ATTR_FP;
  assert_int_equal(i2s_ins_edits(&c, orig, col, 16, 0, e, 8), 0);
  c = magic_cmp(CMP_ATTR_EQ);
  c.size = 16;
  assert_int_equal(i2s_ins_edits(&c, orig, col, 16, 0, e, 8), 0);
}

/* ---- routine compares ------------------------------------------------------
 */

static void test_rtn_memcmp(void **state) {
  (void)state;
  const uint8_t in[] = "\x0d\xf0\xed\x5e"
                       "BBBBCCCCDDDDEEEE";
  const uint8_t cin[] = "\x0d\xf0\xed\x5e"
                        "qrstuvwxyzabcdef";
  struct i2s_rtn c = {.o = {in + 4, (const uint8_t *)"open-sesame-lop!"},
                      .c = {cin + 4, (const uint8_t *)"open-sesame-lop!"},
                      .olen = {16, 16},
                      .clen = {16, 16}};
  struct i2s_edit e[4];
  assert_int_equal(i2s_rtn_edits(&c, in, cin, 20, 4, e, 4), 1);
  assert_int_equal(e[0].pos, 4);
  assert_int_equal(e[0].len, 16);
  assert_memory_equal(e[0].bytes, "open-sesame-lop!", 16);
  for (size_t pos = 0; pos < 20; pos++)
    if (pos != 4)
      assert_int_equal(i2s_rtn_edits(&c, in, cin, 20, pos, e, 4), 0);
}

static void test_rtn_string_grows_input(void **state) {
  (void)state;
  /* strcmp("hi", "hello"): the input ends with "hi"; "hello" grows it. */
  const uint8_t in[] = "cmd:hi";
  struct i2s_rtn c = {.o = {in + 4, (const uint8_t *)"hello"},
                      .c = {in + 4, (const uint8_t *)"hello"},
                      .olen = {2, 5},
                      .clen = {2, 5},
                      .str = {true, true}};
  struct i2s_edit e[4];
  assert_int_equal(i2s_rtn_edits(&c, in, in, 6, 4, e, 4), 1);
  uint8_t buf[16];
  memcpy(buf, in, 6);
  assert_int_equal(i2s_apply(&e[0], buf, 6, sizeof(buf)), 9);
  assert_memory_equal(buf, "cmd:hello", 9);
  /* The other way: a shorter string ends with a NUL. */
  const uint8_t in2[] = "cmd:hello";
  struct i2s_rtn d = {.o = {in2 + 4, (const uint8_t *)"hi"},
                      .c = {in2 + 4, (const uint8_t *)"hi"},
                      .olen = {5, 2},
                      .clen = {5, 2},
                      .str = {true, true}};
  assert_int_equal(i2s_rtn_edits(&d, in2, in2, 9, 4, e, 4), 1);
  assert_int_equal(e[0].len, 3);
  assert_memory_equal(e[0].bytes, "hi\0", 3);
}

static void test_rtn_skips_equal_and_empty(void **state) {
  (void)state;
  const uint8_t in[] = "samesame";
  struct i2s_rtn c = {
      .o = {in, in + 4}, .c = {in, in + 4}, .olen = {4, 4}, .clen = {4, 4}};
  struct i2s_edit e[4];
  assert_int_equal(i2s_rtn_edits(&c, in, in, 8, 0, e, 4), 0);
  c.olen[1] = c.clen[1] = 0;
  assert_int_equal(i2s_rtn_edits(&c, in, in, 8, 0, e, 4), 0);
}

static void test_apply_capacity(void **state) {
  (void)state;
  struct i2s_edit e = {.pos = 6, .len = 4};
  memcpy(e.bytes, "WXYZ", 4);
  uint8_t buf[8] = "abcdefgh";
  assert_int_equal(i2s_apply(&e, buf, 8, 8), 8);
  assert_memory_equal(buf, "abcdefWX", 8);
  e.pos = 9;
  assert_int_equal(i2s_apply(&e, buf, 8, 8), 8);
}

/* ---- colourisation ---------------------------------------------------------
 */

static void test_colour_keeps_kind(void **state) {
  (void)state;
  struct rng r;
  rng_seed(&r, 7);
  uint8_t in[256], out[256];
  for (int i = 0; i < 256; i++)
    in[i] = (uint8_t)i;
  memcpy(out, in, sizeof(in));
  i2s_colour(&r, out, sizeof(out));
  for (int i = 0; i < 256; i++) {
    assert_int_not_equal(out[i], in[i]);
    if (in[i] >= '0' && in[i] <= '9')
      assert_true(out[i] >= '0' && out[i] <= '9');
    else if (in[i] >= 'a' && in[i] <= 'z')
      assert_true(out[i] >= 'a' && out[i] <= 'z');
    else if (in[i] >= 'A' && in[i] <= 'Z')
      assert_true(out[i] >= 'A' && out[i] <= 'Z');
    else
      assert_false((out[i] >= '0' && out[i] <= '9') ||
                   (out[i] >= 'a' && out[i] <= 'z') ||
                   (out[i] >= 'A' && out[i] <= 'Z'));
  }
}

static void test_ranges_biggest_first(void **state) {
  (void)state;
  struct i2s_ranges s = {0};
  struct i2s_range r;
  assert_false(i2s_ranges_pop(&s, &r));
  assert_true(i2s_ranges_push(&s, 0, 4));
  assert_true(i2s_ranges_push(&s, 4, 4)); /* empty: ignored */
  assert_true(i2s_ranges_push(&s, 10, 30));
  for (size_t i = 100; i < 140; i += 2)
    assert_true(i2s_ranges_push(&s, i, i + 1));
  assert_true(i2s_ranges_pop(&s, &r));
  assert_true(r.start == 10 && r.end == 30);
  assert_true(i2s_ranges_pop(&s, &r));
  assert_true(r.start == 0 && r.end == 4);
  size_t left = 0;
  while (i2s_ranges_pop(&s, &r))
    left++;
  assert_int_equal(left, 20);
  i2s_ranges_free(&s);
}

/* ---- the map, read ---------------------------------------------------------
 */

static void test_map_used_and_snapshot(void **state) {
  (void)state;
  struct cmp_map *m = calloc(1, sizeof(*m)), *d = calloc(1, sizeof(*d));
  assert_non_null(m);
  assert_non_null(d);
  assert_int_equal(cmpx_used_slots(m), 0);
  cmp_hdr_hit(&m->headers[7], CMP_TYPE_INS, 3, CMP_ATTR_EQ);
  m->log[7][0] = (struct cmp_operands){.v0 = 1, .v1 = 2};
  cmp_hdr_hit(&m->headers[65535], CMP_TYPE_RTN, 15, 0);
  memcpy(cmp_fn_log(m, 65535)[0].v0, "abc", 3);
  m->log[9][0].v0 = 99; /* no header: never copied */
  assert_int_equal(cmpx_used_slots(m), 2);
  cmpx_snapshot(d, m);
  assert_int_equal(cmpx_used_slots(d), 2);
  assert_int_equal(d->log[7][0].v1, 2);
  assert_int_equal(cmp_hdr_shape(&d->headers[7]), 3);
  assert_memory_equal(cmp_fn_log(d, 65535)[0].v0, "abc", 3);
  assert_int_equal(d->log[9][0].v0, 0);
  free(m);
  free(d);
}

static void test_fn_len(void **state) {
  (void)state;
  const uint8_t s[] = "hello\0junk";
  assert_int_equal(cmpx_fn_len(s, 10), 10);                /* memcmp */
  assert_int_equal(cmpx_fn_len(s, CMP_FN_STR_LEN | 6), 5); /* strcmp */
  assert_int_equal(cmpx_fn_len(s, CMP_FN_STR_LEN | 3), 3); /* cut */
  uint8_t big[32] = {1};
  assert_int_equal(cmpx_fn_len(big, 0x7f), CMP_FN_BYTES);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_encodings),
      cmocka_unit_test(test_values),
      cmocka_unit_test(test_ins_found_le),
      cmocka_unit_test(test_ins_needs_colour_match),
      cmocka_unit_test(test_ins_found_big_endian),
      cmocka_unit_test(test_ins_second_operand),
      cmocka_unit_test(test_ins_ordered_plus_minus),
      cmocka_unit_test(test_ins_narrower_width),
      cmocka_unit_test(test_ins_edges),
      cmocka_unit_test(test_rtn_memcmp),
      cmocka_unit_test(test_rtn_string_grows_input),
      cmocka_unit_test(test_rtn_skips_equal_and_empty),
      cmocka_unit_test(test_apply_capacity),
      cmocka_unit_test(test_colour_keeps_kind),
      cmocka_unit_test(test_ranges_biggest_first),
      cmocka_unit_test(test_map_used_and_snapshot),
      cmocka_unit_test(test_fn_len),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
