/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * The demo target (`make demo`): a tiny parser of a made-up record format,
 * "LOP!" + version byte 2 + a tag "cnt" + a count byte, with a planted bug:
 * a count above 200 in a version-2 "cnt" record aborts. Each matching
 * byte takes a branch of its own, so a coverage-guided fuzzer climbs to
 * the bug in seconds where blind guessing would need 2^64 tries. A
 * persistent harness with shared-memory testcases; run by hand it reads
 * one input from stdin.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

__AFL_FUZZ_INIT();

/* Depth the parse reached; volatile so each check stays a branch. */
static volatile int depth;

/* The planted bug: counts above 200 are "impossible". */
static void check_count(unsigned char count) {
  if (count > 200)
    abort();
  depth = 9;
}

/* Parses one record; returns how far it got. */
static int parse(const unsigned char *b, size_t n) {
  depth = 0;
  if (n < 9 || b[0] != 'L')
    return depth;
  depth = 1;
  if (b[1] != 'O')
    return depth;
  depth = 2;
  if (b[2] != 'P')
    return depth;
  depth = 3;
  if (b[3] != '!')
    return depth;
  depth = 4;
  if (b[4] != 2)
    return depth;
  depth = 5;
  if (b[5] != 'c')
    return depth;
  depth = 6;
  if (b[6] != 'n')
    return depth;
  depth = 7;
  if (b[7] != 't')
    return depth;
  depth = 8;
  check_count(b[8]);
  return depth;
}

int main(void) {
  __AFL_INIT();
  unsigned char *buf = __AFL_FUZZ_TESTCASE_BUF;
  int last = 0;
  while (__AFL_LOOP(10000))
    last = parse(buf, (size_t)__AFL_FUZZ_TESTCASE_LEN);
  printf("parsed up to level %d\n", last);
  return 0;
}
