/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Deterministic block ids: FNV-1a over (seed, source file, function name),
 * then a splitmix64 mix with the block index. The id and the
 * AFL_INST_RATIO choice use different salts, so which blocks are skipped
 * does not correlate with where the kept ones land in the map.
 */
#include "block-id.h"

#include "config.h"

using namespace lop;

static const uint64_t FnvOffset = 0xcbf29ce484222325ULL;
static const uint64_t FnvPrime = 0x100000001b3ULL;
// Salts that separate the two uses of one block hash.
static const uint64_t LocationSalt = 0x6c6f702d6c6f6361ULL; // "lop-loca"
static const uint64_t RatioSalt = 0x6c6f702d72617469ULL;    // "lop-rati"

uint64_t lop::fnv1a(uint64_t Hash, llvm::StringRef Bytes) {
  for (unsigned char C : Bytes) {
    Hash ^= C;
    Hash *= FnvPrime;
  }
  return Hash;
}

uint64_t lop::mix64(uint64_t X) {
  X += 0x9e3779b97f4a7c15ULL;
  X = (X ^ (X >> 30)) * 0xbf58476d1ce4e5b9ULL;
  X = (X ^ (X >> 27)) * 0x94d049bb133111ebULL;
  return X ^ (X >> 31);
}

BlockIdGenerator::BlockIdGenerator(uint64_t Seed, llvm::StringRef SourceFile) {
  // The NUL separates the fields, so ("ab", "c") and ("a", "bc") differ.
  ModuleHash = fnv1a(mix64(Seed) ^ FnvOffset, SourceFile);
  ModuleHash = fnv1a(ModuleHash, llvm::StringRef("\0", 1));
}

void BlockIdGenerator::beginFunction(llvm::StringRef Name) {
  FunctionHash = fnv1a(fnv1a(ModuleHash, Name), llvm::StringRef("\0", 1));
}

uint32_t BlockIdGenerator::location(uint32_t Index) const {
  uint64_t H = mix64(FunctionHash ^ LocationSalt ^ Index);
  return static_cast<uint32_t>(H) & (MAP_SIZE - 1);
}

bool BlockIdGenerator::picked(uint32_t Index, unsigned Ratio) const {
  if (Ratio >= 100)
    return true;
  uint64_t H = mix64(FunctionHash ^ RatioSalt ^ Index);
  return H % 100 < Ratio;
}
