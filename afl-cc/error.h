/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * How the wrapper's library functions report failure: they return -1 and
 * hand back one allocated line "what happened; what to do" (without the
 * "afl-clang-fast: error: " prefix, which only main() prints).
 */
#ifndef LOP_CC_ERROR_H
#define LOP_CC_ERROR_H

/* Stores a newly allocated formatted message in *err (NULL when even that
   allocation fails; callers then report "out of memory") and returns -1,
   so an error path reads `return cc_fail(err, "...", ...);`. */
int cc_fail(char **err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The out-of-memory case of cc_fail(): sets *err to NULL, returns -1. */
int cc_fail_oom(char **err);

#endif /* LOP_CC_ERROR_H */
