/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * The static edge log, a measurement aid (LOP_EDGE_LOG): for every
 * instrumented function, the intra-procedural edges the classic map counts.
 * An edge leaves a branching block P for a block B (after critical edges
 * are split, B's only predecessor) and counts in map byte
 * (cur_P >> 1) ^ cur_B, fixed when compiling. Edges into a function's
 * entry take prev_loc from the caller and are not listed, nor are the rare
 * blocks entered over edges that cannot be split (landing pads), which
 * count in byte cur_B. bench/collisions.sh counts the edges that share a
 * map byte.
 */
#ifndef LOP_PASS_EDGE_LOG_H
#define LOP_PASS_EDGE_LOG_H

#include "block-id.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/IR/Function.h"

#include <cstdint>
#include <string>

namespace lop {

/// An edge from the block at position FromPos to the one at ToPos, with
/// their cur_locs.
struct StaticEdge {
  uint32_t FromPos, ToPos, FromLoc, ToLoc;

  /// The map byte the edge counts in.
  uint32_t byte() const { return (FromLoc >> 1) ^ ToLoc; }
};

/// The edge between the blocks at positions From and To of the function
/// Ids is at.
StaticEdge staticEdge(const BlockIdGenerator &Ids, uint32_t From, uint32_t To);

/// Appends one line per edge of F to the file Path, all of F's lines in one
/// O_APPEND write so parallel compiles never interleave them. Does nothing
/// when Path is empty or F has no edge. A failure to write is reported as a
/// compiler error through F's context.
void logEdges(const std::string &Path, llvm::Function &F,
              llvm::ArrayRef<StaticEdge> Edges);

} // namespace lop

#endif // LOP_PASS_EDGE_LOG_H
