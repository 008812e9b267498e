/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Reads the settings of the passes before coverage and puts those passes
 * into pipelines (see pre-coverage.h).
 */
#include "pre-coverage.h"

#include "laf.h"

#include "config.h"

#include "llvm/IR/Module.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

using namespace llvm;
using namespace lop;

namespace {

/// On when set, non-empty and not "0" (include/env_flag.h's rule).
bool envFlag(const char *Name) {
  const char *Value = std::getenv(Name);
  return Value && *Value && std::strcmp(Value, "0") != 0;
}

/// Reports a bad setting through the compiler's diagnostics, once per
/// module, so clang prints it as an error and fails the compile.
class ReportErrorPass : public PassInfoMixin<ReportErrorPass> {
public:
  explicit ReportErrorPass(std::string Error) : Error(std::move(Error)) {}
  PreservedAnalyses run(Module &M, ModuleAnalysisManager &) {
    M.getContext().emitError("afl-llvm-pass: " + Error);
    return PreservedAnalyses::all();
  }
  static bool isRequired() { return true; }

private:
  std::string Error;
};

/// Reads AFL_LLVM_LAF_SPLIT_COMPARES_BITW into Opts (8, 16 or 32).
void readSplitBits(PreCoverageOptions &Opts) {
  const char *Bits = std::getenv("AFL_LLVM_LAF_SPLIT_COMPARES_BITW");
  if (!Bits || !*Bits)
    return;
  if (std::strcmp(Bits, "8") != 0 && std::strcmp(Bits, "16") != 0 &&
      std::strcmp(Bits, "32") != 0) {
    Opts.Error = std::string("AFL_LLVM_LAF_SPLIT_COMPARES_BITW=") + Bits +
                 " is not a width to split compares into; use 8, 16 or 32";
    return;
  }
  Opts.SplitBits = static_cast<unsigned>(std::atoi(Bits));
}

} // namespace

PreCoverageOptions PreCoverageOptions::fromEnvironment() {
  PreCoverageOptions Opts;
  bool All = envFlag("AFL_LLVM_LAF_ALL");
  Opts.SplitSwitches = All || envFlag("AFL_LLVM_LAF_SPLIT_SWITCHES");
  Opts.TransformCompares = All || envFlag("AFL_LLVM_LAF_TRANSFORM_COMPARES");
  Opts.SplitFloats = All || envFlag("AFL_LLVM_LAF_SPLIT_FLOATS");
  Opts.SplitCompares = All || envFlag("AFL_LLVM_LAF_SPLIT_COMPARES");
  Opts.SplitBits = LAF_SPLIT_BITW_DEFAULT;
  readSplitBits(Opts);
  Opts.List =
      std::make_shared<const InstrumentList>(InstrumentList::fromEnvironment());
  return Opts;
}

void lop::addPreCoveragePasses(ModulePassManager &MPM,
                               const PreCoverageOptions &Opts) {
  if (!Opts.Error.empty()) {
    MPM.addPass(ReportErrorPass(Opts.Error));
    return;
  }
  MPM.addPass(InstrumentListPass(Opts.List));
  if (Opts.SplitSwitches)
    MPM.addPass(SplitSwitchesPass());
  if (Opts.TransformCompares)
    MPM.addPass(TransformComparesPass());
  if (Opts.SplitFloats)
    MPM.addPass(SplitFloatsPass());
  if (Opts.SplitCompares)
    MPM.addPass(SplitComparesPass(Opts.SplitBits));
}

void lop::registerPreCoverageNames(PassBuilder &PB,
                                   const PreCoverageOptions &Opts) {
  PB.registerPipelineParsingCallback(
      [Opts](StringRef Name, ModulePassManager &MPM,
             ArrayRef<PassBuilder::PipelineElement>) {
        static const char *const Names[] = {
            "afl-instrument-list", "afl-split-switches",
            "afl-transform-compares", "afl-split-floats", "afl-split-compares"};
        if (std::find(std::begin(Names), std::end(Names), Name) ==
            std::end(Names))
          return false;
        if (!Opts.Error.empty())
          MPM.addPass(ReportErrorPass(Opts.Error));
        if (Name == "afl-instrument-list")
          MPM.addPass(InstrumentListPass(Opts.List));
        else if (Name == "afl-split-switches")
          MPM.addPass(SplitSwitchesPass());
        else if (Name == "afl-transform-compares")
          MPM.addPass(TransformComparesPass());
        else if (Name == "afl-split-floats")
          MPM.addPass(SplitFloatsPass());
        else
          MPM.addPass(SplitComparesPass(Opts.SplitBits));
        return true;
      });
}
