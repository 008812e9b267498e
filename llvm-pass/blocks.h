/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * What both map modes of the pass (classic and compact) share: which
 * functions and blocks are worth instrumenting, how runtime globals are
 * kept in registers within a function, and how a module registers itself
 * with the runtime at start-up.
 */
#ifndef LOP_PASS_BLOCKS_H
#define LOP_PASS_BLOCKS_H

#include "block-id.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/Module.h"

namespace lop {

/// Priority of the constructors modules register with the runtime: before
/// the runtime's own start-up (5) and every user constructor.
constexpr int RegisterCtorPriority = 2;

/// Function metadata marking work already done: a function carrying it is
/// never instrumented again (pass listed twice, LTO pre-link and link).
constexpr const char *DoneMarker = "lop.instrumented";

/// True for functions of lop's or a sanitizer's runtime (by name prefix),
/// which no instrumentation may touch.
bool isRuntimeFunction(const llvm::Function &F);

/// True for functions with a body that are not runtime code, not marked
/// no_sanitize("coverage"), not naked and not instrumented before.
bool shouldInstrument(const llvm::Function &F);

/// Marks F as instrumented (see DoneMarker).
void markInstrumented(llvm::Function &F);

/// True when entering BB adds no edge information: BB has predecessors and
/// each of them has BB as its only successor.
bool impliedByPredecessors(const llvm::BasicBlock &BB);

/// A block that gets a counter: its position in F's layout (the index its
/// ids come from) and, when it has exactly one, its predecessor (the
/// branching block whose edge it counts).
struct CounterBlock {
  llvm::BasicBlock *BB;
  uint32_t Position;
  llvm::BasicBlock *From; // null for the entry, landing pads and the like
};

/// True when F can be entered only by direct calls from its own module (it
/// is internal and its address is never taken): the count of its entry is
/// then the count of the blocks that call it, which are counted already.
bool enteredOnlyByLocalCalls(const llvm::Function &F);

/// Splits F's critical edges, so that every edge out of a branching block
/// ends in a block of its own, then lists the blocks that need a counter,
/// each kept with AFL_INST_RATIO percent's chance (Ids.picked): the blocks
/// that are neither implied by their predecessors (all of them jump only
/// there: its count is theirs) nor by their successors (it branches to
/// blocks it alone enters: its count is their sum). With CountEntry the
/// entry is listed unless F is entered only by local calls (classic mode
/// counts the caller's edge there); without, the entry is treated like any
/// other block, and left out if F is entered only by local calls.
/// Candidates counts the blocks there were to pick. Ids must be at F
/// (BlockIdGenerator::beginFunction).
void pickCounterBlocks(llvm::Function &F, const BlockIdGenerator &Ids,
                       unsigned Ratio, bool CountEntry,
                       llvm::SmallVectorImpl<CounterBlock> &Picked,
                       unsigned &Candidates);

/// True when F may keep runtime globals in registers: no callbr, no funclet
/// pads, no musttail call and no returns_twice call.
bool canCacheInRegisters(const llvm::Function &F);

/// Marks an inserted memory access so sanitizers leave it alone: the map
/// update is lop's, not the program's. Returns I.
template <typename InstT> InstT *noSanitize(InstT *I) {
  I->setMetadata(I->getContext().getMDKindID("nosanitize"),
                 llvm::MDNode::get(I->getContext(), {}));
  return I;
}

/// Emits `*Slot += 1` on an 8-bit counter at IRB's insertion point; with
/// NeverZero a counter that wraps lands on 1, not 0, so an edge hit 256n
/// times still shows up.
void emitCounterIncrement(llvm::IRBuilder<> &IRB, llvm::Value *Slot,
                          bool NeverZero);

/// A runtime pointer one function keeps in a stack slot, promoted to an
/// SSA register once the updates are in place. Nothing is written back: the
/// function only reads it.
struct CachedGlobal {
  llvm::Value *Global;
  llvm::Type *Ty;
  llvm::AllocaInst *Slot = nullptr; // filled by cacheGlobals
};

/// Creates a slot per global in F's entry block, loaded from the global.
/// Returns the point after that set-up, where the entry block's own update
/// must go.
llvm::Instruction *cacheGlobals(llvm::Function &F,
                                llvm::MutableArrayRef<CachedGlobal> Globals);

/// Reloads every slot after every call and invoke (at both of its
/// destinations: the runtime moves the map during start-up and after a
/// persistent loop), then promotes the slots to registers.
void syncCachedGlobals(llvm::Function &F, llvm::ArrayRef<CachedGlobal> Globals);

/// Adds a module constructor at RegisterCtorPriority that calls the
/// runtime function Callee with Arg (a `uint8_t *`), or with no argument
/// when Arg is null.
void addRegisterCtor(llvm::Module &M, llvm::StringRef Callee,
                     llvm::Constant *Arg);

} // namespace lop

#endif // LOP_PASS_BLOCKS_H
