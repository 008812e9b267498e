/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Pure arithmetic of the in-target runtime: the hello word, the map size a
 * build needs, the AFL_INST_RATIO guard selection and the parsing of the
 * numbers fuzzers hand over in the environment. No state and no system
 * calls, so the unit tests include this header directly (the runtime object
 * itself is never linked into them).
 */
#ifndef LOP_RT_CALC_H
#define LOP_RT_CALC_H

#include "config.h"
#include "types.h"

/* Map bytes a target needs when its highest trace-pc-guard or compact id
   is final_loc: final_loc + 1 rounded up to MAP_SIZE_ALIGN, capped at what a
   hello can announce; never less than MAP_SIZE when classic code (whose
   edges index up to MAP_SIZE - 1) is in the process. */
static inline uint32_t rt_map_size_for(uint32_t final_loc, bool classic) {
  uint64_t need = (uint64_t)final_loc + 1;
  if (classic && need <= MAP_SIZE)
    return MAP_SIZE;
  need = (need + MAP_SIZE_ALIGN - 1) & ~(uint64_t)(MAP_SIZE_ALIGN - 1);
  return need > MAP_SIZE_MAX ? MAP_SIZE_MAX : (uint32_t)need;
}

/* The extended hello of PROTOCOL.md 2.2 for a map of map_size bytes
   (2..MAP_SIZE_MAX); shm_fuzz adds the request for shared-memory testcases. */
static inline uint32_t rt_hello_word(uint32_t map_size, bool shm_fuzz) {
  uint32_t w = FS_OPT_ENABLED | FS_OPT_MAPSIZE | FS_OPT_NEWCMPLOG |
               FS_OPT_SET_MAPSIZE(map_size);
  return shm_fuzz ? w | FS_OPT_SHDMEM_FUZZ : w;
}

/* True when the fuzzer's answer to a SHDMEM_FUZZ hello means "map the
   testcase shm"; any other word is a fuzzer that never replies and whose
   word is already the first was_killed command. */
static inline bool rt_reply_maps_testcase(uint32_t reply) {
  return (reply & FS_OPT_REPLY_MASK) == FS_OPT_REPLY_MASK;
}

/* Parses a decimal number in [lo, hi] (0 <= lo <= hi); NULL, empty text,
   trailing junk or a value out of range gives -1 (callers pick their own
   fallback). Never overflows, whatever the width of long: with a 32-bit
   long, "4294967297" is out of range, not 1. */
static inline long rt_parse_num(const char *s, long lo, long hi) {
  long v = 0;
  if (!s || !*s)
    return -1;
  for (; *s; s++) {
    if (*s < '0' || *s > '9')
      return -1;
    long digit = *s - '0';
    if (digit > hi || v > (hi - digit) / 10)
      return -1;
    v = v * 10 + digit;
  }
  return v < lo ? -1 : v;
}

/* AFL_INST_RATIO as the runtime applies it: 1..100, anything else (unset or
   invalid; the wrapper already rejected bad values at build time) is 100. */
static inline uint32_t rt_inst_ratio(const char *s) {
  long v = rt_parse_num(s, 1, 100);
  return v < 0 ? INST_RATIO_DEFAULT : (uint32_t)v;
}

/* Whether guard n (0, 1, 2... within one module's guard range) gets an id
   at the given percent (1..100). Deterministic and evenly spread: exactly
   ratio of every 100 consecutive guards are kept, and guard 0 always is, so
   an initialised range never starts with 0 and is not initialised twice. */
static inline bool rt_ratio_keep(uint64_t n, uint32_t ratio) {
  return (n * ratio) % 100 < ratio;
}

#endif /* LOP_RT_CALC_H */
