/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Hanging target: spins forever when the input starts with "HANG", exits 0
 * otherwise. Tests check the hang verdict and that the child is killed.
 */
#include <string.h>
#include <unistd.h>

int main(void) {
  char buf[16] = {0};
  ssize_t len = read(0, buf, sizeof(buf) - 1);
  if (len >= 4 && memcmp(buf, "HANG", 4) == 0)
    for (volatile int spin = 1; spin;)
      ;
  return 0;
}
