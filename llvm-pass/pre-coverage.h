/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * The passes that run before the coverage pass, in this order:
 *   afl-instrument-list    AFL_LLVM_ALLOWLIST / AFL_LLVM_DENYLIST
 *                          (instrument-list.cpp)
 *   afl-split-switches     AFL_LLVM_LAF_SPLIT_SWITCHES (split-switches.cpp)
 *   afl-transform-compares AFL_LLVM_LAF_TRANSFORM_COMPARES
 *                          (transform-compares.cpp)
 *   afl-split-floats       AFL_LLVM_LAF_SPLIT_FLOATS (split-floats.cpp)
 *   afl-split-compares     AFL_LLVM_LAF_SPLIT_COMPARES (split-compares.cpp)
 * AFL_LLVM_LAF_ALL switches on all four laf-intel passes. Each pass is also
 * registered under its name for `opt -passes=`, where it runs whatever the
 * environment says. The order matters: switches and string compares become
 * integer compares, floats become integer compares, and split-compares
 * then cuts every wide integer compare into byte steps that the coverage
 * pass, running last, sees as edges.
 */
#ifndef LOP_PASS_PRE_COVERAGE_H
#define LOP_PASS_PRE_COVERAGE_H

#include "instrument-list.h"

#include "llvm/IR/PassManager.h"
#include "llvm/Passes/PassBuilder.h"

#include <memory>
#include <string>

namespace lop {

/// The settings of the passes before coverage, read once per pass builder.
struct PreCoverageOptions {
  bool SplitSwitches = false;     // AFL_LLVM_LAF_SPLIT_SWITCHES
  bool TransformCompares = false; // AFL_LLVM_LAF_TRANSFORM_COMPARES
  bool SplitFloats = false;       // AFL_LLVM_LAF_SPLIT_FLOATS
  bool SplitCompares = false;     // AFL_LLVM_LAF_SPLIT_COMPARES
  unsigned SplitBits = 8;         // AFL_LLVM_LAF_SPLIT_COMPARES_BITW
  std::string Error;              // non-empty: a variable had a bad value
  std::shared_ptr<const InstrumentList> List; // never null

  /// Reads the laf variables and the instrument lists. Never fails: a bad
  /// value or list is kept in Error (or the list's own Error) and reported
  /// by the first pass that runs.
  static PreCoverageOptions fromEnvironment();
};

/// Adds the passes the settings ask for to MPM, in the order above.
void addPreCoveragePasses(llvm::ModulePassManager &MPM,
                          const PreCoverageOptions &Opts);

/// Registers each pass's name (afl-split-compares ...) for `opt -passes=`.
void registerPreCoverageNames(llvm::PassBuilder &PB,
                              const PreCoverageOptions &Opts);

} // namespace lop

#endif // LOP_PASS_PRE_COVERAGE_H
