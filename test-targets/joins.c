/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Target made of if/else diamonds whose join blocks lop leaves
 * uninstrumented (their edges are implied by the arms): each of the first
 * two input bytes picks an arm, and every combination must still give its
 * own map.
 */
#include <unistd.h>

/* Path code; volatile, and a different number of stores per arm, so the
   optimiser cannot turn an if/else into a select. */
static volatile int path, extra;

int main(void) {
  char buf[2] = {0, 0};
  if (read(0, buf, sizeof(buf)) < 0)
    return 1;
  if (buf[0] == 'a') {
    path = 1;
    extra = 1;
  } else
    path = 2;
  path *= 3; /* the join of the first diamond */
  if (buf[1] == 'b') {
    path += 10;
    extra = 2;
  } else
    path += 20;
  return 0;
}
