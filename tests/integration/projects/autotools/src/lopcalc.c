/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 * Small autotools project: adds two numbers read from stdin. */
#include <stdio.h>

int main(void) {
  long a = 0, b = 0;
  if (scanf("%ld %ld", &a, &b) != 2)
    return 1;
  printf("%ld\n", a + b);
  return 0;
}
