/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Persistent target that takes its inputs from AFL++'s shared-memory
 * testcase buffer (__AFL_FUZZ_TESTCASE_BUF/_LEN) when a fuzzer offers one,
 * and from stdin when run by hand or by a fuzzer without it.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

__AFL_FUZZ_INIT();

/* Path taken; volatile so each if stays a branch with its own edge. */
static volatile int path;

/* Branches on the input's first bytes; returns a path number. */
static int handle(const unsigned char *buf, size_t len) {
  path = 0;
  if (len > 8)
    path = 1;
  if (len >= 2 && buf[0] == 'S') {
    if (buf[1] == 'H') {
      path = 2;
      if (len >= 3 && buf[2] == 'M')
        path = 3;
    }
  }
  return path;
}

int main(void) {
  __AFL_INIT();
  unsigned char *buf = __AFL_FUZZ_TESTCASE_BUF;
  int last = 0;
  while (__AFL_LOOP(1000)) {
    size_t len = __AFL_FUZZ_TESTCASE_LEN;
    last = handle(buf, len);
  }
  if (last == 3)
    puts("shm");
  return 0;
}
