/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * The compact map mode (AFL_LLVM_INSTRUMENT=compact): one 8-bit counter per
 * edge, numbered 0..N-1 within the module, no prev_loc and no hashing, so
 * no two edges ever share a map byte. Critical edges are split so that each
 * edge has a block of its own; a block whose count its predecessors or
 * its successors already give needs no counter (blocks.h).
 *
 * Each module carries a descriptor the runtime reads at start-up:
 *   struct { uint8_t *base; uint32_t count; uint32_t first; void *next; }
 * `base` starts at a private array of `count` bytes and the runtime's
 * __afl_lop_register_compact() points it into the coverage map at the
 * module's first id; a block's update is `base[i] += 1` (NeverZero), with
 * base kept in a register within the function.
 */
#ifndef LOP_PASS_COMPACT_H
#define LOP_PASS_COMPACT_H

#include "options.h"

#include "llvm/IR/Module.h"

namespace lop {

/// Instruments every eligible function of M in compact mode and adds the
/// module's descriptor and registering constructor. Returns the number of
/// counters; Candidates counts the edges that could have had one (they
/// differ under AFL_INST_RATIO).
unsigned instrumentCompact(llvm::Module &M, const CoverageOptions &Opts,
                           unsigned &Candidates);

} // namespace lop

#endif // LOP_PASS_COMPACT_H
