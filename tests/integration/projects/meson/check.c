/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 * Small Meson project: prints how much of "MAGIC" the input (the first
 * argument, else stdin) matches; exits 0 on all of it. */
#include <stdio.h>
#include <string.h>

#include "magic.h"

int main(int argc, char **argv) {
  char buf[64];
  size_t len;
  if (argc > 1) {
    len = strlen(argv[1]);
    memcpy(buf, argv[1], len < sizeof(buf) ? len : sizeof(buf));
  } else {
    len = fread(buf, 1, sizeof(buf), stdin);
  }
  int n = lop_magic_prefix(buf, len < sizeof(buf) ? len : sizeof(buf));
  printf("%d\n", n);
  return n == 5 ? 0 : 1;
}
