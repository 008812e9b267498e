/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * The CmpLog map (AFL++ 4.04c layout, PROTOCOL.md 7.1): the shared segment
 * a fuzzer creates and names in __AFL_CMPLOG_SHM_ID, into which a CmpLog
 * build logs the operands of its comparisons. Both sides include this
 * header: the in-target runtime writes the map (runtime/cmplog.c), a
 * fuzzer reads it. Plain C, no state.
 *
 * The map has CMP_MAP_W slots; a comparison's slot is a hash of its call
 * site. Each slot has an 8-byte header and CMP_MAP_H operand entries of 32
 * bytes. An instruction slot (integer compare) fills entry hits % CMP_MAP_H
 * with both operands; a routine slot (memcmp, strcmp...) reads the same 1024
 * bytes as CMP_MAP_RTN_H entries of struct cmp_fn_operands.
 */
#ifndef LOP_CMPLOG_H
#define LOP_CMPLOG_H

#include "types.h"

/* ---- Sizes and codes (AFL contract) ------------------------------------- */

/* Environment variable holding the decimal SysV id of the CmpLog map. */
#define CMPLOG_SHM_ENV_VAR "__AFL_CMPLOG_SHM_ID"
/* Slots in the map (one per hashed call site). */
#define CMP_MAP_W 65536U
/* Operand entries per instruction slot (a ring: the last 32 hits). */
#define CMP_MAP_H 32U
/* Operand entries per routine slot (the same bytes, 64 per entry). */
#define CMP_MAP_RTN_H 8U
/* Slot types in the header. */
#define CMP_TYPE_INS 1U
#define CMP_TYPE_RTN 2U
/* Bytes of a routine operand kept in an entry. */
#define CMP_FN_BYTES 31U
/* A routine operand length with this bit set was measured as a C string
   (the logged bytes include its terminating NUL when it fit); fuzzers
   strip the bit. */
#define CMP_FN_STR_LEN 0x80U

/* Attribute codes of an instruction compare: the predicate the program
   tested (signedness is not recorded). */
#define CMP_ATTR_NE 0U
#define CMP_ATTR_EQ 1U
#define CMP_ATTR_GT 2U
#define CMP_ATTR_GE 3U
#define CMP_ATTR_LT 4U
#define CMP_ATTR_LE 5U
/* Added to the above for floating-point compares. */
#define CMP_ATTR_FP 8U

/* ---- Layout ------------------------------------------------------------- */

/* One slot's header, as a little-endian u64 (AFL++ declares it as packed
   bit fields): hits in bits 0-23, id 24-47 (unused), shape 48-52 (operand
   bytes - 1), type 53-54, attribute 55-58, overflow 59, reserved 60-63. */
struct cmp_header {
  uint64_t bits;
} __attribute__((packed));

/* One logged integer compare: v0/v1 the operands' low 64 bits, v0_128 and
   v1_128 the high 64 bits of 16-byte operands. */
struct cmp_operands {
  uint64_t v0;
  uint64_t v1;
  uint64_t v0_128;
  uint64_t v1_128;
} __attribute__((packed));

/* One logged routine call: up to CMP_FN_BYTES bytes of each operand and
   their lengths (CMP_FN_STR_LEN set for C strings). */
struct cmp_fn_operands {
  uint8_t v0[CMP_FN_BYTES];
  uint8_t v0_len;
  uint8_t v1[CMP_FN_BYTES];
  uint8_t v1_len;
} __attribute__((packed));

/* The whole segment: 524288 bytes of headers, then the operand log; 67633152
   bytes in all. */
struct cmp_map {
  struct cmp_header headers[CMP_MAP_W];
  struct cmp_operands log[CMP_MAP_W][CMP_MAP_H];
} __attribute__((packed));

/* ---- Header fields ------------------------------------------------------ */

#define CMP_HDR_HITS_SHIFT 0U
#define CMP_HDR_HITS_MASK 0xffffffU
#define CMP_HDR_SHAPE_SHIFT 48U
#define CMP_HDR_SHAPE_MASK 0x1fU
#define CMP_HDR_TYPE_SHIFT 53U
#define CMP_HDR_TYPE_MASK 0x3U
#define CMP_HDR_ATTR_SHIFT 55U
#define CMP_HDR_ATTR_MASK 0xfU

/* The field of header word h at shift s with mask m. */
static inline uint32_t cmp_hdr_get(uint64_t h, unsigned s, uint32_t m) {
  return (uint32_t)(h >> s) & m;
}

/* h with its field at shift s and mask m replaced by v (cut to the mask). */
static inline uint64_t cmp_hdr_set(uint64_t h, unsigned s, uint32_t m,
                                   uint32_t v) {
  return (h & ~((uint64_t)m << s)) | ((uint64_t)(v & m) << s);
}

/* Hits recorded in the slot (the writer's count, wrapping at 2^24). */
static inline uint32_t cmp_hdr_hits(const struct cmp_header *h) {
  return cmp_hdr_get(h->bits, CMP_HDR_HITS_SHIFT, CMP_HDR_HITS_MASK);
}

/* Operand bytes - 1 (the widest operand the slot has logged). */
static inline uint32_t cmp_hdr_shape(const struct cmp_header *h) {
  return cmp_hdr_get(h->bits, CMP_HDR_SHAPE_SHIFT, CMP_HDR_SHAPE_MASK);
}

/* CMP_TYPE_INS, CMP_TYPE_RTN, or 0 for a slot never written. */
static inline uint32_t cmp_hdr_type(const struct cmp_header *h) {
  return cmp_hdr_get(h->bits, CMP_HDR_TYPE_SHIFT, CMP_HDR_TYPE_MASK);
}

/* CMP_ATTR_* of the last compare logged in the slot. */
static inline uint32_t cmp_hdr_attr(const struct cmp_header *h) {
  return cmp_hdr_get(h->bits, CMP_HDR_ATTR_SHIFT, CMP_HDR_ATTR_MASK);
}

/* Entries of the slot that hold data: min(hits, ring size of its type). */
static inline uint32_t cmp_hdr_entries(const struct cmp_header *h) {
  uint32_t ring = cmp_hdr_type(h) == CMP_TYPE_RTN ? CMP_MAP_RTN_H : CMP_MAP_H;
  uint32_t hits = cmp_hdr_hits(h);
  return hits < ring ? hits : ring;
}

/* The routine entries of slot k (the slot's log read as CMP_MAP_RTN_H
   struct cmp_fn_operands). */
static inline struct cmp_fn_operands *cmp_fn_log(struct cmp_map *m,
                                                 uint32_t k) {
  return (struct cmp_fn_operands *)(void *)m->log[k];
}

/* Records one hit of a compare of the given type, shape (operand bytes -
   1) and attribute in header h, as AFL++'s runtime does: a slot of another
   type starts over with one hit, otherwise hits grows by one and shape
   never shrinks. Returns the hits before this one (the caller's entry
   index, before reducing it to the ring). */
static inline uint32_t cmp_hdr_hit(struct cmp_header *h, uint32_t type,
                                   uint32_t shape, uint32_t attr) {
  uint64_t w = h->bits;
  uint32_t before = 0;
  if (cmp_hdr_get(w, CMP_HDR_TYPE_SHIFT, CMP_HDR_TYPE_MASK) != type) {
    w = cmp_hdr_set(w, CMP_HDR_TYPE_SHIFT, CMP_HDR_TYPE_MASK, type);
    w = cmp_hdr_set(w, CMP_HDR_SHAPE_SHIFT, CMP_HDR_SHAPE_MASK, shape);
    w = cmp_hdr_set(w, CMP_HDR_HITS_SHIFT, CMP_HDR_HITS_MASK, 1);
  } else {
    before = cmp_hdr_get(w, CMP_HDR_HITS_SHIFT, CMP_HDR_HITS_MASK);
    w = cmp_hdr_set(w, CMP_HDR_HITS_SHIFT, CMP_HDR_HITS_MASK, before + 1);
    if (cmp_hdr_get(w, CMP_HDR_SHAPE_SHIFT, CMP_HDR_SHAPE_MASK) < shape)
      w = cmp_hdr_set(w, CMP_HDR_SHAPE_SHIFT, CMP_HDR_SHAPE_MASK, shape);
  }
  h->bits = cmp_hdr_set(w, CMP_HDR_ATTR_SHIFT, CMP_HDR_ATTR_MASK, attr);
  return before;
}

/* The slot of a call site: a 64-bit mix of its return address, cut to the
   map width. (AFL++ hashes with XXH3; fuzzers only scan the slots, so any
   well-spread hash is compatible.) */
static inline uint32_t cmp_slot(uint64_t site) {
  site ^= site >> 33;
  site *= 0xff51afd7ed558ccdULL;
  site ^= site >> 33;
  site *= 0xc4ceb9fe1a85ec53ULL;
  site ^= site >> 33;
  return (uint32_t)site & (CMP_MAP_W - 1);
}

_Static_assert(sizeof(struct cmp_header) == 8, "cmp_header is 8 bytes");
_Static_assert(sizeof(struct cmp_operands) == 32, "cmp_operands is 32 bytes");
_Static_assert(sizeof(struct cmp_fn_operands) == 64,
               "cmp_fn_operands is 64 bytes");
_Static_assert(sizeof(struct cmp_map) == 67633152, "cmp_map is 67633152 B");

#endif /* LOP_CMPLOG_H */
