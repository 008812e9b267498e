/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * The parts of instrumentation both map modes share (see blocks.h).
 */
#include "blocks.h"

#include "compat.h"

#include "llvm/IR/CFG.h"
#include "llvm/IR/Dominators.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/Transforms/Utils/BasicBlockUtils.h"
#include "llvm/Transforms/Utils/ModuleUtils.h"
#include "llvm/Transforms/Utils/PromoteMemToReg.h"

#include <cstring>

using namespace llvm;

namespace {

// Functions whose names start with these belong to lop's or a sanitizer's
// runtime: instrumenting them would count the runtime's own work as target
// coverage, or recurse into the map update itself.
const char *const SkippedPrefixes[] = {
    "__afl_",           "__sanitizer_",
    "__asan",           "__msan",
    "__ubsan",          "__lsan",
    "asan.module_ctor", "asan.module_dtor",
    "msan.module_ctor", "sancov.module_ctor",
};

/// Emits *To = *From (of type Ty) with both accesses marked nosanitize.
void copy(IRBuilder<> &IRB, Type *Ty, Value *From, Value *To) {
  lop::noSanitize(
      IRB.CreateStore(lop::noSanitize(IRB.CreateLoad(Ty, From)), To));
}

} // namespace

bool lop::isRuntimeFunction(const Function &F) {
  for (const char *Prefix : SkippedPrefixes)
    if (F.getName().substr(0, std::strlen(Prefix)) == Prefix)
      return true;
  return false;
}

bool lop::shouldInstrument(const Function &F) {
  if (F.isDeclaration() || F.getMetadata(DoneMarker))
    return false;
  if (F.hasFnAttribute(Attribute::Naked) ||
      F.hasFnAttribute(Attribute::NoSanitizeCoverage))
    return false;
  return !isRuntimeFunction(F);
}

void lop::markInstrumented(Function &F) {
  F.setMetadata(DoneMarker, MDNode::get(F.getContext(), {}));
}

/// Such a block's count is the sum of its predecessors' counts, and every
/// path into it is told apart by them, so it needs no counter.
bool lop::impliedByPredecessors(const BasicBlock &BB) {
  if (pred_empty(&BB))
    return false;
  for (const BasicBlock *Pred : predecessors(&BB))
    if (Pred->getTerminator()->getNumSuccessors() != 1)
      return false;
  return true;
}

/// True when every way out of BB is an edge with a count of its own: BB
/// branches, and each successor has BB as its only predecessor and room for
/// a counter. BB's count is then their sum (short of a call in BB that
/// never returns).
static bool impliedBySuccessors(const BasicBlock &BB) {
  if (BB.getTerminator()->getNumSuccessors() < 2)
    return false;
  for (const BasicBlock *Succ : successors(&BB))
    if (Succ->getUniquePredecessor() != &BB ||
        Succ->getFirstInsertionPt() == Succ->end())
      return false;
  return true;
}

bool lop::enteredOnlyByLocalCalls(const Function &F) {
  return F.hasLocalLinkage() && !F.hasAddressTaken();
}

/// After the split, the blocks not implied by their predecessors are
/// exactly the entry and the targets of the branching blocks' edges; only
/// edges that cannot be split (into landing pads, out of indirectbr) leave
/// a picked block with several predecessors. Of those, a block that
/// branches on needs no counter: its successors count it.
void lop::pickCounterBlocks(Function &F, const BlockIdGenerator &Ids,
                            unsigned Ratio, bool CountEntry,
                            SmallVectorImpl<CounterBlock> &Picked,
                            unsigned &Candidates) {
  SplitAllCriticalEdges(F);
  bool ImpliedByCallers = enteredOnlyByLocalCalls(F);
  uint32_t Position = 0;
  for (BasicBlock &BB : F) {
    uint32_t At = Position++;
    // A block holding only a catchswitch has no place for code.
    if (BB.getFirstInsertionPt() == BB.end() || impliedByPredecessors(BB))
      continue;
    bool IsEntry = &BB == &F.getEntryBlock();
    if (IsEntry && ImpliedByCallers)
      continue;
    if (!(IsEntry && CountEntry) && impliedBySuccessors(BB))
      continue;
    ++Candidates;
    if (Ids.picked(At, Ratio))
      Picked.push_back({&BB, At, BB.getUniquePredecessor()});
  }
}

/// callbr leaves no single place to reload after the call, funclet pads
/// (Windows C++ EH) none that dominates the handler, nothing may follow a
/// musttail call, and setjmp would resume with stale registers.
bool lop::canCacheInRegisters(const Function &F) {
  for (const BasicBlock &BB : F)
    for (const Instruction &I : BB) {
      if (isa<CallBrInst>(I) || isa<FuncletPadInst>(I) ||
          isa<CatchSwitchInst>(I))
        return false;
      if (const auto *CI = dyn_cast<CallInst>(&I))
        if (CI->isMustTailCall() || CI->canReturnTwice())
          return false;
    }
  return true;
}

/// NeverZero is x + 1 + carry, written with llvm.uadd.with.overflow: the
/// same `add $1; adc $0` on x86-64 as `x + 1 + (x + 1 == 0)`, but written
/// that way CodeGenPrepare would turn each compare into the intrinsic
/// itself and restart its walk over the function every time, which is
/// quadratic in the counters of a function (sqlite3.c compiled twice as
/// slowly).
void lop::emitCounterIncrement(IRBuilder<> &IRB, Value *Slot, bool NeverZero) {
  Type *Int8Ty = IRB.getInt8Ty();
  Value *Count = noSanitize(IRB.CreateLoad(Int8Ty, Slot));
  Value *One = ConstantInt::get(Int8Ty, 1);
  Value *Inc;
  if (NeverZero) {
    Value *Sum =
        IRB.CreateBinaryIntrinsic(Intrinsic::uadd_with_overflow, Count, One);
    Value *Carry = IRB.CreateZExt(IRB.CreateExtractValue(Sum, 1), Int8Ty);
    Inc = IRB.CreateAdd(IRB.CreateExtractValue(Sum, 0), Carry);
  } else {
    Inc = IRB.CreateAdd(Count, One);
  }
  noSanitize(IRB.CreateStore(Inc, Slot));
}

Instruction *lop::cacheGlobals(Function &F,
                               MutableArrayRef<CachedGlobal> Globals) {
  BasicBlock &Entry = F.getEntryBlock();
  IRBuilder<> IRB(&Entry, Entry.getFirstInsertionPt());
  for (CachedGlobal &G : Globals)
    G.Slot = IRB.CreateAlloca(G.Ty, nullptr, "afl.cache");
  for (CachedGlobal &G : Globals)
    copy(IRB, G.Ty, G.Global, G.Slot);
  return &*IRB.GetInsertPoint();
}

void lop::syncCachedGlobals(Function &F, ArrayRef<CachedGlobal> Globals) {
  // After an invoke: at the start of both destinations. A reload where
  // control also comes from elsewhere is only a redundant load.
  SmallVector<Instruction *, 16> Reloads;
  SmallPtrSet<BasicBlock *, 8> Starts;
  for (BasicBlock &BB : F)
    for (Instruction &I : BB) {
      if (isa<CallInst>(I) && !isa<IntrinsicInst>(I))
        Reloads.push_back(I.getNextNode());
      else if (isa<InvokeInst>(I))
        for (BasicBlock *Dest : successors(&BB))
          if (Starts.insert(Dest).second)
            Reloads.push_back(&*Dest->getFirstInsertionPt());
    }
  for (Instruction *At : Reloads) {
    IRBuilder<> After(At);
    for (const CachedGlobal &G : Globals)
      copy(After, G.Ty, G.Global, G.Slot);
  }
  SmallVector<AllocaInst *, 2> Slots;
  for (const CachedGlobal &G : Globals)
    Slots.push_back(G.Slot);
  DominatorTree DT(F);
  PromoteMemToReg(Slots, DT);
}

void lop::addRegisterCtor(Module &M, StringRef Callee, Constant *Arg) {
  LLVMContext &C = M.getContext();
  Type *VoidTy = Type::getVoidTy(C);
  SmallVector<Type *, 1> Params;
  if (Arg)
    Params.push_back(bytePtrType(C));
  FunctionCallee Register =
      M.getOrInsertFunction(Callee, FunctionType::get(VoidTy, Params, false));
  Function *Ctor =
      Function::Create(FunctionType::get(VoidTy, false),
                       GlobalValue::InternalLinkage, "lop.register", &M);
  markInstrumented(*Ctor);
  IRBuilder<> IRB(BasicBlock::Create(C, "", Ctor));
  if (Arg)
    IRB.CreateCall(Register,
                   {ConstantExpr::getPointerCast(Arg, bytePtrType(C))});
  else
    IRB.CreateCall(Register, {});
  IRB.CreateRetVoid();
  appendToGlobalCtors(M, Ctor, RegisterCtorPriority);
}
