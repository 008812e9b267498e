/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Deterministic block ids. A block's id and whether it is picked under
 * AFL_INST_RATIO depend only on the seed, the module's source file name,
 * the function name and the block's position in the function, so two
 * builds of the same source give byte-identical output (reproducible
 * builds) while AFL_SEED changes every id on purpose.
 */
#ifndef LOP_PASS_BLOCK_ID_H
#define LOP_PASS_BLOCK_ID_H

#include "llvm/ADT/StringRef.h"

#include <cstdint>

namespace lop {

class BlockIdGenerator {
public:
  /// Ids for the functions of one module; Seed is AFL_SEED.
  BlockIdGenerator(uint64_t Seed, llvm::StringRef SourceFile);

  /// Starts the blocks of function Name; ids depend on the block index.
  void beginFunction(llvm::StringRef Name);

  /// The cur_loc of block Index of the current function, in [0, MAP_SIZE).
  uint32_t location(uint32_t Index) const;

  /// True when block Index is instrumented at Ratio percent (1..100).
  bool picked(uint32_t Index, unsigned Ratio) const;

private:
  uint64_t ModuleHash;
  uint64_t FunctionHash = 0;
};

/// 64-bit FNV-1a of Bytes continued from Hash: fixed by its definition, so
/// ids never change with the compiler, the host or the LLVM version.
uint64_t fnv1a(uint64_t Hash, llvm::StringRef Bytes);

/// The splitmix64 finaliser: spreads every input bit over the result, so
/// neighbouring block indexes get unrelated ids.
uint64_t mix64(uint64_t X);

} // namespace lop

#endif // LOP_PASS_BLOCK_ID_H
