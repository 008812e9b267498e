/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Crashing target: aborts when the input starts with "CRASH", segfaults on
 * "SEGV", exits 0 otherwise. Tests check the crash verdicts.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(void) {
  char buf[16] = {0};
  ssize_t len = read(0, buf, sizeof(buf) - 1);
  if (len >= 5 && memcmp(buf, "CRASH", 5) == 0)
    abort();
  if (len >= 4 && memcmp(buf, "SEGV", 4) == 0) {
    volatile int *p = (volatile int *)(size_t)(len / 1024);
    *p = 1;
  }
  return 0;
}
