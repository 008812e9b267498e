/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * lop-fuzz's mutators: pure functions over a byte buffer with an explicit
 * random state. Havoc stacks 2^(1..HAVOC_STACK_POW2) operators drawn from
 * AFL++'s set (bit and byte flips, interesting values, arithmetic, random
 * bytes, block delete/insert/clone/overwrite, dictionary insert and
 * overwrite); splice crosses two entries; the deterministic stages walk an
 * input in AFL's order (flip1..flip32, arith8..32, int8..32, extras;
 * fuzz/det.c). The engine owns every buffer: callers pass a buffer of `cap`
 * bytes and the mutators never write past it or grow an input beyond
 * max_len.
 */
#ifndef LOP_FUZZ_MUTATE_H
#define LOP_FUZZ_MUTATE_H

#include "dict.h"
#include "rng.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* log2 of the largest havoc stack: AFL++ 4.04c's HAVOC_STACK_POW2 (stacks
   of 2..16 operators; AFL 2.57b's 7 gave 2..128, which AFL++ measured as
   worse). */
#define HAVOC_STACK_POW2 4U
/* Block sizes havoc's block operators draw from, bytes (AFL's
   HAVOC_BLK_SMALL/MEDIUM/LARGE): 1..32 always, 32..128 and 128..1500 only
   once the engine raises mut_dicts.blk_tier (see there). */
#define HAVOC_BLK_SMALL 32U
#define HAVOC_BLK_MEDIUM 128U
#define HAVOC_BLK_LARGE 1500U
/* Largest block havoc inserts or clones, bytes (AFL's HAVOC_BLK_XL), drawn
   one time in ten in the top tier. */
#define HAVOC_BLK_XL 32768U
/* Largest difference arithmetic operators add or subtract (AFL's). */
#define ARITH_MAX 35

/* What the havoc operators may draw tokens from; either may be empty. */
struct mut_dicts {
  const struct dict *user;  /* -x dictionaries */
  const struct dict *autod; /* the target's automatic dictionary */
  /* Optional, zero when unused: another queue entry havoc's splice
     operators copy or insert chunks of (AFL++ turns them on after 5 s
     without finds or a cycle without finds); must not alias the buffer. */
  const uint8_t *other;
  size_t other_len;
  /* How many of AFL's block-size ranges the block operators use: 0 or 1
     small (1..32), 2 up to medium (..128), 3 all (..1500, rarely ..32768).
     AFL++ uses 1 for its first 10 minutes, then min(queue cycle, 3). */
  uint32_t blk_tier;
};

/* A havoc operator: mutate buf[0..len) in place (capacity max_len,
   len >= 1) and return the new length (never above max_len). Operators
   that cannot apply (input too short, no room, empty dictionary) return
   len unchanged. */
typedef size_t (*mut_op_fn)(struct rng *r, uint8_t *buf, size_t len,
                            size_t max_len, const struct mut_dicts *d);

/* What an operator needs to be drawn at all. */
enum mut_need { MUT_NEED_NONE, MUT_NEED_USER, MUT_NEED_AUTO, MUT_NEED_OTHER };

struct mut_op {
  const char *name;
  uint32_t weight; /* AFL++ 4.04c's share of its havoc switch */
  enum mut_need need;
  mut_op_fn fn;
};

/* AFL++ 4.04c's havoc operators in its order, mut_havoc_nops of them. */
extern const struct mut_op mut_havoc_ops[];
extern const size_t mut_havoc_nops;

/* The operator called `name`, or NULL. */
const struct mut_op *mut_op_find(const char *name);

/* AFL's interesting values: INTERESTING_8; INTERESTING_8 and _16 as 16-bit
   values; all three as 32-bit values (afl-fuzz-state.c). */
#define MUT_N_INTERESTING8 9U
#define MUT_N_INTERESTING16 19U
#define MUT_N_INTERESTING32 27U
extern const int8_t mut_interesting8[MUT_N_INTERESTING8];
extern const int16_t mut_interesting16[MUT_N_INTERESTING16];
extern const int32_t mut_interesting32[MUT_N_INTERESTING32];

/* Apply one havoc stack to buf[0..*len) (capacity max_len; *len >= 1).
   Returns the stack depth used (for the `rep:` field of file names). */
uint32_t mut_havoc(struct rng *r, uint8_t *buf, size_t *len, size_t max_len,
                   const struct mut_dicts *d);

/* Splice: keep buf's head up to a random point inside the region where buf
   and other differ, take other's tail from there (result length is
   other's, capped at max_len). Returns false when the two are too alike to
   splice (AFL's rule: within their common length they differ nowhere, in
   one byte only, or only in bytes 0 and 1); buf is then unchanged. */
bool mut_splice(struct rng *r, uint8_t *buf, size_t *len, size_t max_len,
                const uint8_t *other, size_t other_len);

/* ---- deterministic stages ------------------------------------------------ */

/* Walks every deterministic mutation of one input in AFL's order. Fill
   with mut_det_init, then call mut_det_next until it returns false. */
struct mut_det {
  const uint8_t *orig; /* the input (not owned), orig_len bytes */
  size_t orig_len;
  const struct mut_dicts *dicts;
  uint32_t stage;   /* index into the stage table */
  uint64_t pos;     /* position within the stage */
  const char *name; /* AFL++ stage name of the last mutation ("flip1"...) */
  size_t at;        /* byte position of the last mutation (`pos:` field) */
  int val;          /* value of arithmetic / interesting stages (`val:`) */
  bool val_be;      /* the value was applied big-endian (`val:be:`) */
  bool has_val;     /* the stage has a value: name files with `val:` */
  /* Private: the bytes the last overwrite changed in last_out, restored
     from orig on the next call instead of copying the whole input. */
  uint8_t *last_out;
  size_t last_at, last_n;
};

/* At most this many -x tokens are tried at every position in ext_UO
   (AFL++'s MAX_DET_EXTRAS); with more, each (position, token) pair is kept
   with probability DET_MAX_EXTRAS / tokens, as AFL++ does, but drawn from
   a hash of the pair so that the walk stays a pure function. */
#define DET_MAX_EXTRAS 256U

void mut_det_init(struct mut_det *m, const uint8_t *orig, size_t len,
                  const struct mut_dicts *d);

/* Write the next deterministic mutation into out (capacity max_len) and
   its length into *out_len; m->name, m->at, m->val describe it. Skips
   mutations whose result equals one an earlier stage produced where AFL
   does (e.g. arith results a bit flip gives), and inserts that do not fit
   max_len. Between two calls with the same out, leave out as this wrote
   it: only the bytes the last mutation changed are restored. Returns
   false when done. All of AFL's effector map is taken as set (what AFL
   does for inputs under 128 bytes): every position is tried. */
bool mut_det_next(struct mut_det *m, uint8_t *out, size_t *out_len,
                  size_t max_len);

/* Number of mutations mut_det_next will produce, for progress display
   (inserts counted as if they fit). Walks every candidate once without
   writing: O(input length x (ARITH_MAX + interesting values + tokens)). */
uint64_t mut_det_total(const struct mut_det *m);

#endif /* LOP_FUZZ_MUTATE_H */
