/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * The static edge log, a measurement aid (LOP_EDGE_LOG): for every
 * instrumented function, the intra-procedural edges the classic map can
 * count. An edge is a pair (P, B) of instrumented blocks where control can
 * flow from P to B through uninstrumented blocks only (blocks implied by
 * their predecessors, blocks AFL_INST_RATIO left out), so entering B finds
 * prev_loc = cur_P >> 1 and counts in map byte (cur_P >> 1) ^ cur_B. Edges
 * into a function's entry and out of its returns take prev_loc from another
 * function and are not listed. bench/collisions.sh counts the edges that
 * share a map byte.
 */
#ifndef LOP_PASS_EDGE_LOG_H
#define LOP_PASS_EDGE_LOG_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/IR/Function.h"

#include <cstdint>
#include <string>
#include <utility>

namespace lop {

/// An instrumented block and its cur_loc.
using PickedBlock = std::pair<llvm::BasicBlock *, uint32_t>;

/// Appends one line per edge of F to the file Path, all of F's lines in one
/// O_APPEND write so parallel compiles never interleave them. Does nothing
/// when Path is empty or F has no edge. A failure to write is reported as a
/// compiler error through F's context.
void logEdges(const std::string &Path, llvm::Function &F,
              llvm::ArrayRef<PickedBlock> Picked);

} // namespace lop

#endif // LOP_PASS_EDGE_LOG_H
