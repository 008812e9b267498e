/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Every kind of comparison the laf-intel passes rewrite, on values read
 * from stdin, with the results printed: built with and without
 * AFL_LLVM_LAF_ALL it must print the same. Each stdin line is either
 * "A B" (two hex 64-bit values: integer compares of 16, 24, 32, 64 and 128
 * bits, signed and unsigned, switches, float and double compares of the
 * same bits) or "s WORD" (WORD against constants with strcmp & co.).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define NOINLINE __attribute__((noinline))

/* The six integer predicates of a and b as bits 0..5. */
#define PREDICATES(a, b)                                                       \
  ((unsigned)((a) == (b)) | (unsigned)((a) != (b)) << 1 |                      \
   (unsigned)((a) < (b)) << 2 | (unsigned)((a) <= (b)) << 3 |                  \
   (unsigned)((a) > (b)) << 4 | (unsigned)((a) >= (b)) << 5)

NOINLINE static unsigned u16(uint16_t a, uint16_t b) {
  return PREDICATES(a, b);
}
NOINLINE static unsigned s16(int16_t a, int16_t b) { return PREDICATES(a, b); }
NOINLINE static unsigned u32(uint32_t a, uint32_t b) {
  return PREDICATES(a, b);
}
NOINLINE static unsigned s32(int32_t a, int32_t b) { return PREDICATES(a, b); }
NOINLINE static unsigned u64(uint64_t a, uint64_t b) {
  return PREDICATES(a, b);
}
NOINLINE static unsigned s64(int64_t a, int64_t b) { return PREDICATES(a, b); }
NOINLINE static unsigned u128(unsigned __int128 a, unsigned __int128 b) {
  return PREDICATES(a, b);
}
NOINLINE static unsigned s128(__int128 a, __int128 b) {
  return PREDICATES(a, b);
}

/* 24-bit fields: a width that is not a power of two. */
struct bits24 {
  unsigned u : 24;
  int s : 24;
};
NOINLINE static unsigned w24(struct bits24 a, struct bits24 b) {
  return PREDICATES(a.u, b.u) | PREDICATES(a.s, b.s) << 6;
}

/* Against constants, as the magic values of real parsers. */
NOINLINE static unsigned constants(uint64_t a) {
  return PREDICATES((uint32_t)a, 0x5eedf00du) |
         PREDICATES((int32_t)a, -5) << 6 |
         PREDICATES(a, 0x8000000000000000ull) << 12 |
         PREDICATES((int64_t)a, -1000000000ll) << 18 |
         PREDICATES((uint16_t)a, 0x1234) << 24;
}

/* Floating-point predicates, the unordered ones included. */
#define FPREDICATES(a, b)                                                      \
  (PREDICATES(a, b) | (unsigned)__builtin_isless(a, b) << 6 |                  \
   (unsigned)!__builtin_isgreaterequal(a, b) << 7 |                            \
   (unsigned)__builtin_islessgreater(a, b) << 8 |                              \
   (unsigned)!__builtin_islessgreater(a, b) << 9 |                             \
   (unsigned)__builtin_isunordered(a, b) << 10 |                               \
   (unsigned)!((a) <= (b)) << 11 | (unsigned)!((a) > (b)) << 12)

NOINLINE static unsigned f32(float a, float b) { return FPREDICATES(a, b); }
NOINLINE static unsigned f64(double a, double b) { return FPREDICATES(a, b); }
NOINLINE static unsigned fconst(double a, float b) {
  return FPREDICATES(a, 3.25) | FPREDICATES(b, -0.0f) << 13;
}

NOINLINE static int sw32(uint32_t x) {
  switch (x) {
  case 0:
    return 1;
  case 7:
    return 2;
  case 0x100:
    return 3;
  case 0x11223344:
    return 4;
  case 0x11223355:
    return 5;
  case 0x1122ff00:
    return 6;
  case 0x5eedf00d:
    return 7;
  case 0xdeadbeef:
    return 8;
  case 0xffffffff:
    return 9;
  default:
    return -1;
  }
}

NOINLINE static int sw64(uint64_t x) {
  switch (x) {
  case 1:
    return 1;
  case 0x8000000000000000ull:
    return 2;
  case 0x7fffffffffffffffull:
    return 3;
  case 0x400a000000000000ull:
    return 2; /* shares a destination */
  case 0xffffffff:
    return 4;
  case 0x100000000ull:
    return 5;
  default:
    return 0;
  }
}

NOINLINE static int sw16(int16_t x) {
  switch (x) {
  case -1:
    return 1;
  case -32768:
    return 2;
  case 0x7fff:
    return 3;
  case 0x1234:
    return 4;
  case 0x1200:
    return 5;
  default:
    return 0;
  }
}

static void numbers(uint64_t a, uint64_t b) {
  float fa, fb;
  double da, db;
  uint32_t a32 = (uint32_t)a, b32 = (uint32_t)b;
  memcpy(&fa, &a32, 4);
  memcpy(&fb, &b32, 4);
  memcpy(&da, &a, 8);
  memcpy(&db, &b, 8);
  unsigned __int128 wa = (unsigned __int128)a << 64 | b;
  unsigned __int128 wb = (unsigned __int128)b << 64 | a;
  struct bits24 xa = {(unsigned)a & 0xffffff, (int)(a & 0xffffff) - 0x800000};
  struct bits24 xb = {(unsigned)b & 0xffffff, (int)(b & 0xffffff) - 0x800000};
  printf("%x %x %x %x %x %x %x %x %x %x %x %x %x %x %d %d %d %d\n",
         u16((uint16_t)a, (uint16_t)b), s16((int16_t)a, (int16_t)b),
         u32(a32, b32), s32((int32_t)a32, (int32_t)b32), u64(a, b),
         s64((int64_t)a, (int64_t)b), u128(wa, wb),
         s128((__int128)wa, (__int128)wb), w24(xa, xb), constants(a),
         f32(fa, fb), f64(da, db), fconst(da, fb), u128(wa, wa), sw32(a32),
         sw64(a), sw16((int16_t)a), sw32(b32));
}

/* The sign of r: what the C standard promises of strcmp & co. */
static int sign(int r) { return (r > 0) - (r < 0); }

NOINLINE static void words(const char *s) {
  printf("%d %d %d %d %d %d %d %d %d %d %d\n", sign(strcmp(s, "open-sesame")),
         sign(strcmp("hello", s)), sign(strncmp(s, "magic", 3)),
         sign(strncmp("magic", s, 8)), sign(strcasecmp(s, "Hello")),
         sign(strncasecmp("MaGiC", s, 4)), sign(memcmp(s, "ABCD", 4)),
         sign(memcmp("ABCD\0EF", s, 7)), memcmp(s, "ABC", 3) == 0,
         sign(strcmp(s, "")), sign(strncmp(s, "x", 0)));
}

int main(void) {
  char line[256];
  while (fgets(line, sizeof(line), stdin)) {
    line[strcspn(line, "\n")] = '\0';
    if (line[0] == 's' && line[1] == ' ') {
      char word[64] = {0}; /* memcmp reads up to 7 bytes of it */
      strncpy(word, line + 2, sizeof(word) - 1);
      words(word);
      continue;
    }
    char *end = NULL;
    uint64_t a = strtoull(line, &end, 16);
    uint64_t b = strtoull(end, NULL, 16);
    numbers(a, b);
  }
  return 0;
}
