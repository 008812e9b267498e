/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * The persistent loop's call, `while (__AFL_LOOP(n))`, made one place.
 * Each call of the runtime's __afl_persistent_loop ends one input and
 * starts the next, and the map is empty when it returns; an input's map
 * is then the same in every iteration only if every iteration takes the
 * same way from that call into the loop body. An optimiser that copies
 * the call breaks that: loop rotation puts a copy before the loop (the
 * first iteration then enters the body from the preheader, the later ones
 * from the latch, over edges of their own), unrolling and peeling give
 * iterations copies of the body with blocks of their own, and jump
 * threading or inlining into several callers copy it too. Marking the
 * call `noduplicate` before the optimiser runs keeps exactly one call
 * per source loop, which every iteration passes; nothing else changes,
 * and no counter is touched.
 */
#ifndef LOP_PASS_PERSISTENT_LOOP_H
#define LOP_PASS_PERSISTENT_LOOP_H

#include "llvm/IR/Module.h"

namespace lop {

/// The runtime function behind __AFL_LOOP.
constexpr const char *PersistentLoopFn = "__afl_persistent_loop";

/// Marks M's declaration of PersistentLoopFn noduplicate, which every call
/// of it honours: LLVM looks through a cast of the callee (a harness that
/// declared the function with another type) for the callee's attributes.
/// Returns true when it changed something.
bool markPersistentLoopCalls(llvm::Module &M);

} // namespace lop

#endif // LOP_PASS_PERSISTENT_LOOP_H
