/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Builds the scripted conformance target for the unit tests (see
 * conformance.h).
 */
#include "conformance.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

int conformance_build(const char *out, const char *extra_flags) {
  const char *root = getenv("LOP_ROOT") ? getenv("LOP_ROOT") : ".";
  char cmd[4 * PATH_MAX];
  int n = snprintf(cmd, sizeof(cmd),
                   "cc -O0 -I%s/include %s -o %s "
                   "%s/test-targets/conformance/fsrv-script.c",
                   root, extra_flags, out, root);
  if (n < 0 || (size_t)n >= sizeof(cmd))
    return -1;
  return system(cmd) == 0 ? 0 : -1;
}

int conformance_remove_dir(const char *dir) {
  char cmd[PATH_MAX + 16];
  int n = snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
  if (n < 0 || (size_t)n >= sizeof(cmd))
    return -1;
  return system(cmd) == 0 ? 0 : -1;
}
