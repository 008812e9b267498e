/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * The one rule for switch variables, shared by the wrapper, the runtime and
 * the client library: a variable counts as set when it is non-empty and not
 * "0" (docs/environment.md).
 */
#ifndef LOP_ENV_FLAG_H
#define LOP_ENV_FLAG_H

#include <stdbool.h>

/* True when the value v of a switch variable (NULL when unset) is on. */
static inline bool lop_env_flag(const char *v) {
  return v && *v && !(v[0] == '0' && !v[1]);
}

#endif /* LOP_ENV_FLAG_H */
