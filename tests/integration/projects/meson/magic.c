/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 * Small Meson project: the shared library, one branch per matching byte. */
#include "magic.h"

int lop_magic_prefix(const char *buf, size_t len) {
  if (len < 1 || buf[0] != 'M')
    return 0;
  if (len < 2 || buf[1] != 'A')
    return 1;
  if (len < 3 || buf[2] != 'G')
    return 2;
  if (len < 4 || buf[3] != 'I')
    return 3;
  if (len < 5 || buf[4] != 'C')
    return 4;
  return 5;
}
