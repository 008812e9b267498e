/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Shared library with its own branches: built -shared with afl-clang-fast,
 * its edges must show up in the map of the executable that uses it.
 */
int lop_shlib_check(const char *buf, int len);

/* Returns a path number that depends on the first bytes of buf. */
int lop_shlib_check(const char *buf, int len) {
  if (len > 0 && buf[0] == 'x') {
    if (len > 1 && buf[1] == 'y')
      return 2;
    return 1;
  }
  return 0;
}
