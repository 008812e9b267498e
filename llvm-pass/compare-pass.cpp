/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Runs the comparison features on a module (see compare-pass.h).
 */
#include "compare-pass.h"

#include "autodict.h"
#include "cmplog-pass.h"

#include "llvm/IR/LLVMContext.h"

using namespace llvm;
using namespace lop;

PreservedAnalyses AFLComparePass::run(Module &M, ModuleAnalysisManager &) {
  if (!Opts.Error.empty()) {
    M.getContext().emitError("afl-llvm-pass: " + Opts.Error);
    return PreservedAnalyses::all();
  }
  unsigned Changed = 0;
  if (!Opts.DictPath.empty())
    Changed += buildAutoDict(M, Opts.DictPath);
  if (Opts.CmpLog)
    Changed += instrumentCmpLog(M);
  return Changed ? PreservedAnalyses::none() : PreservedAnalyses::all();
}
