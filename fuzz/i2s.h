/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Input-to-state (RedQueen) solving, pure: the colouring of an input
 * (bytes replaced by random ones of the same kind), the ranges
 * colourisation tries, and the edits that put a compare's other operand
 * where its first operand sits in the input. A compare is seen twice: in
 * the CmpLog run of the original input and in the run of the colourised
 * one; an operand counts as found at a position only when the original
 * input holds its first value there and the colourised input its second,
 * which rules out chance matches in bytes colourisation could change.
 */
#ifndef LOP_FUZZ_I2S_H
#define LOP_FUZZ_I2S_H

#include "cmplog.h"
#include "rng.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Longest edit: a routine operand (CMP_FN_BYTES) and a terminating NUL. */
#define I2S_EDIT_MAX (CMP_FN_BYTES + 1U)

/* Write len bytes at pos (past the input's end grows it). */
struct i2s_edit {
  size_t pos;
  uint32_t len;
  uint8_t bytes[I2S_EDIT_MAX];
};

/* One logged integer compare: operands in the original run (o0, o1) and
   the colourised run (c0, c1), width in bytes (1..8), CMP_ATTR_*. */
struct i2s_ins {
  uint64_t o0, o1, c0, c1;
  uint32_t size, attr;
};

/* One logged routine compare: operand bytes and lengths (cmpx_fn_len) of
   both runs, and whether the first / second operand was a C string. */
struct i2s_rtn {
  const uint8_t *o[2], *c[2];
  uint32_t olen[2], clen[2];
  bool str[2];
};

/* ---- encodings ----------------------------------------------------------- */

/* v's low size bytes in reverse order. */
uint64_t i2s_bswap(uint64_t v, uint32_t size);

/* The size-byte integer at p, little-endian, or big-endian when swap. */
uint64_t i2s_load(const uint8_t *p, uint32_t size, bool swap);

/* Store v's low size bytes at p, little-endian or big-endian. */
void i2s_store(uint8_t *p, uint64_t v, uint32_t size, bool swap);

/* ---- edits ----------------------------------------------------------------
 */

/* Values to try in place of an operand compared with `other` under attr:
   other itself, and other +1 and -1 for ordered integer compares (so a <
   or > test flips too). Returns how many (1 or 3) went to out[3]. */
uint32_t i2s_values(uint64_t other, uint32_t attr, uint64_t *out);

/* The edits for integer compare c at position pos of orig and col (both
   len bytes): either operand found there (little- or big-endian, at its
   width or a narrower one both operands fit in) gives edits writing the
   other operand's values. At most cap go to out; returns how many. */
size_t i2s_ins_edits(const struct i2s_ins *c, const uint8_t *orig,
                     const uint8_t *col, size_t len, size_t pos,
                     struct i2s_edit *out, size_t cap);

/* The same for a routine compare (memcmp, strcmp...): an operand found
   whole at pos is overwritten by the other (then a NUL when the found one
   was a longer C string). */
size_t i2s_rtn_edits(const struct i2s_rtn *c, const uint8_t *orig,
                     const uint8_t *col, size_t len, size_t pos,
                     struct i2s_edit *out, size_t cap);

/* Apply e to buf (len bytes, capacity cap): returns the new length. */
size_t i2s_apply(const struct i2s_edit *e, uint8_t *buf, size_t len,
                 size_t cap);

/* ---- colourisation ---------------------------------------------------------
 */

/* Replace every byte of buf by a different random one of the same kind
   (digit, lower-case, upper-case letter, other), so that a parser takes
   the same path more often than with any byte. */
void i2s_colour(struct rng *r, uint8_t *buf, size_t len);

/* The ranges still to colour: [start, end) pairs. */
struct i2s_range {
  size_t start, end;
};
struct i2s_ranges {
  struct i2s_range *r;
  size_t n, cap;
};

/* Add [start, end) (ignored when empty). False when out of memory. */
bool i2s_ranges_push(struct i2s_ranges *s, size_t start, size_t end);

/* Take out a largest range (ties in no set order). False when
   none is left. */
bool i2s_ranges_pop(struct i2s_ranges *s, struct i2s_range *out);

void i2s_ranges_free(struct i2s_ranges *s);

#endif /* LOP_FUZZ_I2S_H */
