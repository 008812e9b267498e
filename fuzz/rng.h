/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * lop-fuzz's random numbers: xoshiro256** with an explicit state, so every
 * mutator is a pure function of (state, input) and a fixed -s seed gives
 * the same campaign. Header-only: these run millions of times a second.
 */
#ifndef LOP_FUZZ_RNG_H
#define LOP_FUZZ_RNG_H

#include <stddef.h>
#include <stdint.h>

struct rng {
  uint64_t s[4];
};

static inline uint64_t rng_rotl(uint64_t x, int k) {
  return (x << k) | (x >> (64 - k));
}

/* Seed the state from one 64-bit value through splitmix64 (never all zero). */
static inline void rng_seed(struct rng *r, uint64_t seed) {
  for (int i = 0; i < 4; i++) {
    uint64_t z = (seed += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    r->s[i] = z ^ (z >> 31);
  }
}

/* Next 64 random bits. */
static inline uint64_t rng_next(struct rng *r) {
  uint64_t *s = r->s;
  uint64_t out = rng_rotl(s[1] * 5, 7) * 9;
  uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rng_rotl(s[3], 45);
  return out;
}

/* Uniform in [0, n); n == 0 gives 0. Lemire's multiply-shift, no modulo
   bias worth measuring for the n a fuzzer uses. */
static inline uint64_t rng_below(struct rng *r, uint64_t n) {
  if (n == 0)
    return 0;
  return (uint64_t)(((__uint128_t)rng_next(r) * n) >> 64);
}

#endif /* LOP_FUZZ_RNG_H */
