/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * The one error constructor of the wrapper library (see error.h).
 */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>

int cc_fail(char **err, const char *fmt, ...) {
  char *msg = NULL;
  va_list ap;
  va_start(ap, fmt);
  if (vasprintf(&msg, fmt, ap) < 0)
    msg = NULL;
  va_end(ap);
  *err = msg;
  return -1;
}

int cc_fail_oom(char **err) {
  *err = NULL;
  return -1;
}
