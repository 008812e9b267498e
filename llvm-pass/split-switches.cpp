/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * AFL_LLVM_LAF_SPLIT_SWITCHES: a switch on an integer of 9 to 64 bits
 * becomes a tree of one-byte compares, most significant byte first. At
 * each byte the cases still possible are grouped by that byte's value; a
 * single group is one equality test (on to the next byte, or to the case
 * at the last byte; else the default), several groups a binary search
 * with `ult` at the middle group's value. An input that has the first
 * bytes of a case right therefore reaches edges an input with none right
 * does not. The bytes are extracted once, in the switch's block, and every
 * PHI of a destination gets one entry per new edge into it.
 */
#include "blocks.h"
#include "laf.h"

#include "config.h"

#include "llvm/ADT/SetVector.h"
#include "llvm/IR/CFG.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Instructions.h"
#include "llvm/Support/MathExtras.h"

#include <algorithm>
#include <vector>

using namespace llvm;
using namespace lop;

namespace {

struct Case {
  uint64_t Value;
  BasicBlock *Dest;
};

/// The cases that share one value of the byte being tested.
struct Group {
  uint8_t Byte;
  ArrayRef<Case> Cases;
};

/// Builds the byte tree of one switch and puts it in the switch's place.
class SwitchTree {
public:
  explicit SwitchTree(SwitchInst *SI)
      : SI(SI), Head(SI->getParent()), Default(SI->getDefaultDest()) {}

  /// Replaces the switch by the tree.
  void build();

private:
  Value *byteAt(unsigned K);
  BasicBlock *newBlock();
  BasicBlock *node(ArrayRef<Case> Cases, unsigned K);
  BasicBlock *search(ArrayRef<Group> Groups, unsigned K);
  void fixPhis(ArrayRef<BasicBlock *> OldSuccs);

  SwitchInst *SI;
  BasicBlock *Head;
  BasicBlock *Default;
  Value *Cond = nullptr;
  SmallVector<Value *, 8> Bytes;
  SmallVector<BasicBlock *, 32> Created;
};

/// Byte K (0 = least significant) of the condition, computed in the
/// switch's block (which dominates the whole tree) the first time.
Value *SwitchTree::byteAt(unsigned K) {
  if (!Bytes[K]) {
    IRBuilder<> IRB(SI);
    Value *Shifted = K ? IRB.CreateLShr(Cond, uint64_t{K} * 8) : Cond;
    Bytes[K] = IRB.CreateTrunc(Shifted, IRB.getInt8Ty());
  }
  return Bytes[K];
}

BasicBlock *SwitchTree::newBlock() {
  BasicBlock *BB = BasicBlock::Create(SI->getContext(), "laf.switch",
                                      Head->getParent(), Default);
  Created.push_back(BB);
  return BB;
}

/// The block that tests byte K for Cases (sorted, equal above byte K).
BasicBlock *SwitchTree::node(ArrayRef<Case> Cases, unsigned K) {
  std::vector<Group> Groups;
  size_t Start = 0;
  for (size_t I = 1; I <= Cases.size(); I++) {
    uint8_t B = static_cast<uint8_t>(Cases[Start].Value >> (K * 8));
    if (I < Cases.size() &&
        static_cast<uint8_t>(Cases[I].Value >> (K * 8)) == B)
      continue;
    Groups.push_back({B, Cases.slice(Start, I - Start)});
    Start = I;
  }
  return search(Groups, K);
}

/// A binary search over Groups on byte K, ending in equality tests.
BasicBlock *SwitchTree::search(ArrayRef<Group> Groups, unsigned K) {
  BasicBlock *BB = newBlock();
  IRBuilder<> IRB(BB);
  if (Groups.size() == 1) {
    const Group &G = Groups[0];
    BasicBlock *Match = K ? node(G.Cases, K - 1) : G.Cases[0].Dest;
    IRB.CreateCondBr(IRB.CreateICmpEQ(byteAt(K), IRB.getInt8(G.Byte)), Match,
                     Default);
    return BB;
  }
  size_t Mid = Groups.size() / 2;
  BasicBlock *Low = search(Groups.take_front(Mid), K);
  BasicBlock *High = search(Groups.drop_front(Mid), K);
  IRB.CreateCondBr(IRB.CreateICmpULT(byteAt(K), IRB.getInt8(Groups[Mid].Byte)),
                   Low, High);
  return BB;
}

/// Each PHI of a former successor had entries from the switch's block; it
/// gets the same value from every new edge into it instead.
void SwitchTree::fixPhis(ArrayRef<BasicBlock *> OldSuccs) {
  for (BasicBlock *Succ : OldSuccs)
    for (PHINode &Phi : Succ->phis()) {
      Value *V = Phi.getIncomingValueForBlock(Head);
      while (Phi.getBasicBlockIndex(Head) >= 0)
        Phi.removeIncomingValue(Head, false);
      for (BasicBlock *BB : Created)
        for (BasicBlock *To : successors(BB))
          if (To == Succ)
            Phi.addIncoming(V, BB);
    }
}

void SwitchTree::build() {
  SmallSetVector<BasicBlock *, 16> OldSuccs;
  for (BasicBlock *Succ : successors(Head))
    OldSuccs.insert(Succ);
  std::vector<Case> Cases;
  for (auto &C : SI->cases())
    Cases.push_back({C.getCaseValue()->getZExtValue(), C.getCaseSuccessor()});
  std::sort(Cases.begin(), Cases.end(),
            [](const Case &A, const Case &B) { return A.Value < B.Value; });
  unsigned Width = SI->getCondition()->getType()->getIntegerBitWidth();
  unsigned Wide = static_cast<unsigned>(alignTo(Width, 8));
  IRBuilder<> IRB(SI);
  Cond = IRB.CreateZExt(SI->getCondition(), IRB.getIntNTy(Wide));
  Bytes.assign(Wide / 8, nullptr);
  BasicBlock *Root = node(Cases, Wide / 8 - 1);
  IRB.SetInsertPoint(SI);
  IRB.CreateBr(Root);
  SI->eraseFromParent();
  fixPhis(OldSuccs.getArrayRef());
}

/// True for a switch on 9 to LAF_SWITCH_MAX_BITS bits with cases on a
/// value not known when compiling; a one-byte switch already has an edge
/// per case.
bool worthSplitting(const SwitchInst &SI) {
  unsigned Width = SI.getCondition()->getType()->getIntegerBitWidth();
  return Width > 8 && Width <= LAF_SWITCH_MAX_BITS && SI.getNumCases() > 0 &&
         !isa<Constant>(SI.getCondition());
}

} // namespace

PreservedAnalyses SplitSwitchesPass::run(Module &M, ModuleAnalysisManager &) {
  SmallVector<SwitchInst *, 16> Work;
  for (Function &F : M)
    if (shouldInstrument(F))
      for (BasicBlock &BB : F)
        if (auto *SI = dyn_cast<SwitchInst>(BB.getTerminator()))
          if (worthSplitting(*SI))
            Work.push_back(SI);
  for (SwitchInst *SI : Work)
    SwitchTree(SI).build();
  return Work.empty() ? PreservedAnalyses::all() : PreservedAnalyses::none();
}
