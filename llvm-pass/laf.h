/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * The laf-intel passes: each rewrites one kind of comparison that edge
 * coverage sees as a single all-or-nothing branch into a chain of small
 * comparisons, one block each, so that an input matching part of the value
 * reaches edges one matching no part does not. The program computes the
 * same results as before. They change only functions the coverage pass
 * would instrument (lop::shouldInstrument), and run before it
 * (pre-coverage.h gives the order). One file per pass.
 */
#ifndef LOP_PASS_LAF_H
#define LOP_PASS_LAF_H

#include "llvm/IR/PassManager.h"

namespace lop {

/// AFL_LLVM_LAF_SPLIT_SWITCHES: a switch on an integer wider than a byte
/// becomes a tree of byte compares, most significant byte first
/// (split-switches.cpp).
class SplitSwitchesPass : public llvm::PassInfoMixin<SplitSwitchesPass> {
public:
  llvm::PreservedAnalyses run(llvm::Module &M, llvm::ModuleAnalysisManager &);
  static bool isRequired() { return true; }
};

/// AFL_LLVM_LAF_TRANSFORM_COMPARES: strcmp, strncmp, strcasecmp,
/// strncasecmp, memcmp and bcmp against a constant become a byte-by-byte
/// comparison (transform-compares.cpp).
class TransformComparesPass
    : public llvm::PassInfoMixin<TransformComparesPass> {
public:
  llvm::PreservedAnalyses run(llvm::Module &M, llvm::ModuleAnalysisManager &);
  static bool isRequired() { return true; }
};

/// AFL_LLVM_LAF_SPLIT_FLOATS: a float or double compare becomes a NaN test
/// and an integer compare of order-preserving keys of the two values
/// (split-floats.cpp), which split-compares then cuts into bytes.
class SplitFloatsPass : public llvm::PassInfoMixin<SplitFloatsPass> {
public:
  llvm::PreservedAnalyses run(llvm::Module &M, llvm::ModuleAnalysisManager &);
  static bool isRequired() { return true; }
};

/// AFL_LLVM_LAF_SPLIT_COMPARES: an integer compare wider than Bits becomes
/// a chain of Bits-wide compares, most significant first
/// (split-compares.cpp).
class SplitComparesPass : public llvm::PassInfoMixin<SplitComparesPass> {
public:
  explicit SplitComparesPass(unsigned Bits) : Bits(Bits) {}
  llvm::PreservedAnalyses run(llvm::Module &M, llvm::ModuleAnalysisManager &);
  static bool isRequired() { return true; }

private:
  unsigned Bits;
};

} // namespace lop

#endif // LOP_PASS_LAF_H
