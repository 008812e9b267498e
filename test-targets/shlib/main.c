/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Executable using libtarget.so: its own code is trivial, so the edges that
 * depend on the input come from the shared library. With LOP_DLOPEN=path it
 * loads the library with dlopen() instead of linking it.
 */
#include <dlfcn.h>
#include <stdlib.h>
#include <unistd.h>

int lop_shlib_check(const char *buf, int len);

typedef int (*check_fn)(const char *, int);

/* Returns the library's check function, linked or dlopen()ed. */
static check_fn find_check(void) {
#ifdef LOP_DLOPEN
  void *lib = dlopen(getenv("LOP_SHLIB"), RTLD_NOW);
  return lib ? (check_fn)dlsym(lib, "lop_shlib_check") : NULL;
#else
  return lop_shlib_check;
#endif
}

int main(void) {
  char buf[16];
  int len = (int)read(0, buf, sizeof(buf));
  check_fn check = find_check();
  if (!check)
    return 99;
  return check(buf, len) == 2 ? 0 : 0;
}
