/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * CmpLog instrumentation (AFL_LLVM_CMPLOG=1): before every integer compare
 * of 1 to 16 bytes, every switch (one call per case) and every call to a
 * comparison routine (compare-calls.h), a call to a runtime hook
 * (runtime/cmplog.c) hands both operands to the fuzzer's CmpLog map. Each
 * call is guarded by `if (__afl_cmp_map != NULL)`, so without a fuzzer the
 * program pays one load and one branch per compare and calls nothing:
 *
 *   %map = load ptr, ptr @__afl_cmp_map
 *   br (icmp ne %map, null), label %log, label %cont   ; weighted unlikely
 * log:
 *   call void @__afl_cmplog_ins_hook4(i32 %a, i32 %b, i8 ATTR)
 *
 * Runs after the coverage pass, so the guard blocks get no counters and a
 * CmpLog build's coverage map is the same as a plain build's.
 */
#ifndef LOP_PASS_CMPLOG_PASS_H
#define LOP_PASS_CMPLOG_PASS_H

#include "llvm/IR/Module.h"

namespace lop {

/// Function metadata marking a function whose compares are logged: it is
/// never instrumented twice (LTO pre-link and link).
constexpr const char *CmpLogMarker = "lop.cmplog";

/// Adds the CmpLog hooks to every eligible function of M. Returns the
/// number of hook calls placed.
unsigned instrumentCmpLog(llvm::Module &M);

} // namespace lop

#endif // LOP_PASS_CMPLOG_PASS_H
