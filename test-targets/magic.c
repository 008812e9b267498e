/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * A crash behind two comparisons a fuzzer cannot guess byte by byte: a
 * 32-bit magic value at offset 0, then a 16-byte string compared with
 * memcmp. Plain edge coverage sees no progress until all 4 (then all 16)
 * bytes match; CmpLog hands the fuzzer both operands. Persistent, with
 * shared-memory testcases, so fuzzing it is cheap; run by hand it reads
 * one input from stdin and prints which comparisons passed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

__AFL_FUZZ_INIT();

/* The input's first word, in host order. */
static uint32_t word_at(const uint8_t *p) {
  uint32_t v;
  memcpy(&v, p, sizeof(v));
  return v;
}

/* Returns how many of the two checks buf passes; aborts when both do. */
static int check(const uint8_t *buf, size_t len) {
  if (len < 20 || word_at(buf) != 0x5eedf00dU)
    return 0;
  if (memcmp(buf + 4, "open-sesame-lop!", 16) != 0)
    return 1;
  abort();
}

int main(void) {
  __AFL_INIT();
  const uint8_t *buf = __AFL_FUZZ_TESTCASE_BUF;
  int passed = 0;
  while (__AFL_LOOP(10000))
    passed = check(buf, __AFL_FUZZ_TESTCASE_LEN);
  printf("passed %d\n", passed);
  return 0;
}
