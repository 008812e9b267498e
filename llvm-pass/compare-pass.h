/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * The new-pass-manager adapter of the comparison features: the automatic
 * dictionary (autodict.h) when AFL_LLVM_DICT2FILE is set, then CmpLog
 * (cmplog-pass.h) when AFL_LLVM_CMPLOG is. Registered beside the coverage
 * pass (afl-llvm-pass.cpp), after it, and by name as `afl-cmplog` for opt.
 */
#ifndef LOP_PASS_COMPARE_PASS_H
#define LOP_PASS_COMPARE_PASS_H

#include "compare-options.h"

#include "llvm/IR/Module.h"
#include "llvm/IR/PassManager.h"

namespace lop {

class AFLComparePass : public llvm::PassInfoMixin<AFLComparePass> {
public:
  explicit AFLComparePass(CompareOptions Opts) : Opts(std::move(Opts)) {}

  /// True when the settings ask for any of the features, so a pipeline
  /// needs the pass at all.
  static bool wanted(const CompareOptions &Opts) {
    return Opts.CmpLog || !Opts.DictPath.empty() || !Opts.Error.empty();
  }

  /// Reports a bad setting, else builds the dictionary and logs compares.
  llvm::PreservedAnalyses run(llvm::Module &M, llvm::ModuleAnalysisManager &);

  // The hooks are part of the build's contract with the fuzzer (opt-bisect
  // and optnone must not drop them).
  static bool isRequired() { return true; }

private:
  CompareOptions Opts;
};

} // namespace lop

#endif // LOP_PASS_COMPARE_PASS_H
