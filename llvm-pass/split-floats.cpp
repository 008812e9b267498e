/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * AFL_LLVM_LAF_SPLIT_FLOATS: `fcmp` on float or double becomes
 *   if (a or b is NaN) result = <the predicate's answer for NaN>
 *   else               result = icmp key(a), key(b)
 * where key maps a non-NaN value to an unsigned integer of the same width
 * with the same order: bits | sign for positive values, -bits (two's
 * complement) for negative ones, so -0.0 and +0.0 get the same key. The
 * integer compare is what split-compares then cuts into bytes: sign and
 * exponent first, then the mantissa, each matching byte a new edge.
 */
#include "blocks.h"
#include "laf.h"

#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Instructions.h"

using namespace llvm;
using namespace lop;

namespace {

/// The unsigned integer predicate that orders keys as P orders non-NaN
/// values.
CmpInst::Predicate keyPredicate(CmpInst::Predicate P) {
  switch (P) {
  case CmpInst::FCMP_OEQ:
  case CmpInst::FCMP_UEQ:
    return CmpInst::ICMP_EQ;
  case CmpInst::FCMP_ONE:
  case CmpInst::FCMP_UNE:
    return CmpInst::ICMP_NE;
  case CmpInst::FCMP_OGT:
  case CmpInst::FCMP_UGT:
    return CmpInst::ICMP_UGT;
  case CmpInst::FCMP_OGE:
  case CmpInst::FCMP_UGE:
    return CmpInst::ICMP_UGE;
  case CmpInst::FCMP_OLT:
  case CmpInst::FCMP_ULT:
    return CmpInst::ICMP_ULT;
  default:
    return CmpInst::ICMP_ULE;
  }
}

/// The order-preserving key of floating-point V (not NaN).
Value *key(IRBuilder<> &IRB, Value *V, IntegerType *Ty) {
  unsigned W = Ty->getBitWidth();
  Value *Bits = IRB.CreateBitCast(V, Ty);
  Value *Negative = IRB.CreateAShr(Bits, W - 1); // all ones or zero
  Value *Flip =
      IRB.CreateOr(Negative, ConstantInt::get(Ty, APInt::getSignMask(W)));
  return IRB.CreateSub(IRB.CreateXor(Bits, Flip), Negative);
}

/// Replaces I by the NaN test and the key compare, joined in a PHI.
void splitFloat(FCmpInst *I) {
  Value *A = I->getOperand(0);
  Value *B = I->getOperand(1);
  auto *Ty =
      IntegerType::get(I->getContext(), A->getType()->getPrimitiveSizeInBits());
  BasicBlock *Head = I->getParent();
  BasicBlock *End = Head->splitBasicBlock(I, "laf.fcmp.end");
  Head->getTerminator()->eraseFromParent();
  BasicBlock *Keys =
      BasicBlock::Create(I->getContext(), "laf.fcmp", Head->getParent(), End);
  IRBuilder<> HB(Head);
  HB.CreateCondBr(HB.CreateFCmpUNO(A, B), End, Keys);
  IRBuilder<> KB(Keys);
  Value *Ordered = KB.CreateICmp(keyPredicate(I->getPredicate()),
                                 key(KB, A, Ty), key(KB, B, Ty));
  KB.CreateBr(End);
  IRBuilder<> EndB(I);
  PHINode *Phi = EndB.CreatePHI(EndB.getInt1Ty(), 2);
  Phi->addIncoming(EndB.getInt1(CmpInst::isUnordered(I->getPredicate())), Head);
  Phi->addIncoming(Ordered, Keys);
  Phi->takeName(I);
  I->replaceAllUsesWith(Phi);
  I->eraseFromParent();
}

/// True for a scalar float or double compare with an order to split
/// (not true/false/ord/uno) that is not folded already.
bool worthSplitting(const FCmpInst &I) {
  Type *Ty = I.getOperand(0)->getType();
  if (!Ty->isFloatTy() && !Ty->isDoubleTy())
    return false;
  switch (I.getPredicate()) {
  case CmpInst::FCMP_FALSE:
  case CmpInst::FCMP_TRUE:
  case CmpInst::FCMP_ORD:
  case CmpInst::FCMP_UNO:
    return false;
  default:
    break;
  }
  return !(isa<Constant>(I.getOperand(0)) && isa<Constant>(I.getOperand(1)));
}

} // namespace

PreservedAnalyses SplitFloatsPass::run(Module &M, ModuleAnalysisManager &) {
  SmallVector<FCmpInst *, 32> Work;
  for (Function &F : M)
    if (shouldInstrument(F))
      for (BasicBlock &BB : F)
        for (Instruction &I : BB)
          if (auto *Cmp = dyn_cast<FCmpInst>(&I))
            if (worthSplitting(*Cmp))
              Work.push_back(Cmp);
  for (FCmpInst *I : Work)
    splitFloat(I);
  return Work.empty() ? PreservedAnalyses::all() : PreservedAnalyses::none();
}
