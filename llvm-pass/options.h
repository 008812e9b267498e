/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * The settings of the coverage pass, read once from the environment when
 * the pass is created (AFL_SEED, AFL_INST_RATIO, AFL_LLVM_SKIP_NEVERZERO,
 * AFL_LLVM_NO_REGISTER_CACHE, AFL_LLVM_INSTRUMENT, AFL_TRACE_PC, AFL_QUIET,
 * AFL_DEBUG, LOP_EDGE_LOG; see include/envs.def). A bad value does not stop the
 * reading: it is kept as a message the pass reports through the compiler's
 * diagnostics, so clang prints it as a normal error.
 */
#ifndef LOP_PASS_OPTIONS_H
#define LOP_PASS_OPTIONS_H

#include "config.h"

#include <cstdint>
#include <string>

namespace lop {

struct CoverageOptions {
  uint64_t Seed = 0; // mixed into every block id (AFL_SEED)
  unsigned Ratio =
      INST_RATIO_DEFAULT;    // percent of blocks instrumented (AFL_INST_RATIO)
  bool NeverZero = true;     // counters skip 0 on overflow
  bool RegisterCache = true; // map (compact: base) pointer in a register
  bool Compact = false;    // AFL_LLVM_INSTRUMENT=compact: one counter per edge
  bool Pcguard = false;    // pcguard mode: clang counts, the pass does not
  bool Coverage = true;    // !Pcguard: this pass places the counters
  bool Report = false;     // print the "Instrumented N locations" line
  std::string EdgeLogPath; // append static edges here (LOP_EDGE_LOG)
  std::string Error;       // non-empty: a variable had a bad value

  /// Reads every variable the pass uses. Never fails: the first bad value
  /// is described in Error and the other fields keep their defaults.
  static CoverageOptions fromEnvironment();
};

/// Parses Text as an unsigned 64-bit decimal or 0x-prefixed hex integer,
/// all of it, without sign or spaces. Returns false on anything else.
bool parseU64(const char *Text, uint64_t &Out);

} // namespace lop

#endif // LOP_PASS_OPTIONS_H
