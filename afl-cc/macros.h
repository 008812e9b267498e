/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * The harness macros every lop compile defines (PROTOCOL.md section 5):
 * __AFL_LOOP, __AFL_INIT, the shared-memory testcase macros and the
 * feature-test macros harnesses check for. They are the ABI user code
 * compiles against, so they match AFL++'s spelling and work in C (also
 * -std=c99 -pedantic) and C++ under -Wall -Wextra -Werror.
 */
#ifndef LOP_CC_MACROS_H
#define LOP_CC_MACROS_H

#include "args.h"

/* Appends the -D options defining the harness macros; cxx selects C++
   linkage for the __AFL_FUZZ_INIT() globals. Returns 0 or -1 (out of
   memory). */
int cc_macros_push(struct cc_args *out, bool cxx);

#endif /* LOP_CC_MACROS_H */
