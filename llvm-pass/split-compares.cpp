/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * AFL_LLVM_LAF_SPLIT_COMPARES: `icmp` on integers wider than Bits (8 by
 * default, AFL_LLVM_LAF_SPLIT_COMPARES_BITW) becomes one block per
 * Bits-wide piece, most significant piece first; each block either
 * decides the result or, when its pieces are equal, goes on to the next.
 * Every predicate is first brought to EQ, ULT or UGT: NE, ULE and UGE are
 * the negation of one of those, and a signed compare is the unsigned one
 * of its operands with the sign bits flipped. A width that is not a
 * multiple of Bits is widened first (sign-extended for signed compares).
 */
#include "blocks.h"
#include "laf.h"

#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Instructions.h"
#include "llvm/Support/MathExtras.h"

using namespace llvm;
using namespace lop;

namespace {

/// A compare as EQ, ULT or UGT (Pred), to be inverted when Negate, on
/// operands whose sign bits are flipped first when Signed.
struct Normal {
  CmpInst::Predicate Pred;
  bool Negate;
  bool Signed;
};

Normal normalize(CmpInst::Predicate P) {
  switch (P) {
  case CmpInst::ICMP_NE:
    return {CmpInst::ICMP_EQ, true, false};
  case CmpInst::ICMP_UGT:
  case CmpInst::ICMP_ULT:
    return {P, false, false};
  case CmpInst::ICMP_UGE:
    return {CmpInst::ICMP_ULT, true, false};
  case CmpInst::ICMP_ULE:
    return {CmpInst::ICMP_UGT, true, false};
  case CmpInst::ICMP_SGT:
    return {CmpInst::ICMP_UGT, false, true};
  case CmpInst::ICMP_SLT:
    return {CmpInst::ICMP_ULT, false, true};
  case CmpInst::ICMP_SGE:
    return {CmpInst::ICMP_ULT, true, true};
  case CmpInst::ICMP_SLE:
    return {CmpInst::ICMP_UGT, true, true};
  default:
    return {CmpInst::ICMP_EQ, false, false};
  }
}

/// The Bits-wide piece K (0 = least significant) of V.
Value *piece(IRBuilder<> &IRB, Value *V, unsigned K, unsigned Bits) {
  Value *Shifted = K ? IRB.CreateLShr(V, uint64_t{K} * Bits) : V;
  return IRB.CreateTrunc(Shifted, IRB.getIntNTy(Bits));
}

/// V as a Wide-bit integer with its sign bit flipped when Signed: the
/// unsigned order of the results is the signed order of the inputs.
Value *prepare(IRBuilder<> &IRB, Value *V, unsigned Wide, bool Signed) {
  Type *Ty = IRB.getIntNTy(Wide);
  if (V->getType() != Ty)
    V = Signed ? IRB.CreateSExt(V, Ty) : IRB.CreateZExt(V, Ty);
  if (Signed)
    V = IRB.CreateXor(V, ConstantInt::get(Ty, APInt::getSignMask(Wide)));
  return V;
}

/// Replaces I by the chain of piece compares; the result comes together in
/// a PHI where I was.
void splitCompare(ICmpInst *I, unsigned Bits) {
  Normal N = normalize(I->getPredicate());
  unsigned Width = I->getOperand(0)->getType()->getIntegerBitWidth();
  unsigned Wide = static_cast<unsigned>(alignTo(Width, Bits));
  IRBuilder<> IRB(I);
  Value *A = prepare(IRB, I->getOperand(0), Wide, N.Signed);
  Value *B = prepare(IRB, I->getOperand(1), Wide, N.Signed);
  unsigned Pieces = Wide / Bits;

  BasicBlock *Head = I->getParent();
  BasicBlock *End = Head->splitBasicBlock(I, "laf.cmp.end");
  Head->getTerminator()->eraseFromParent();
  SmallVector<BasicBlock *, 16> Steps{Head};
  for (unsigned S = 1; S < Pieces; S++)
    Steps.push_back(
        BasicBlock::Create(I->getContext(), "laf.cmp", Head->getParent(), End));
  IRBuilder<> EndB(I);
  PHINode *Phi = EndB.CreatePHI(EndB.getInt1Ty(), Pieces);
  for (unsigned S = 0; S < Pieces; S++) {
    IRBuilder<> SB(Steps[S]);
    unsigned K = Pieces - 1 - S;
    Value *PA = piece(SB, A, K, Bits);
    Value *PB = piece(SB, B, K, Bits);
    Value *Decided = SB.CreateICmp(N.Pred, PA, PB);
    if (S + 1 == Pieces) {
      SB.CreateBr(End);
      Phi->addIncoming(Decided, Steps[S]);
      continue;
    }
    bool IsEq = N.Pred == CmpInst::ICMP_EQ;
    Value *Same = IsEq ? Decided : SB.CreateICmpEQ(PA, PB);
    SB.CreateCondBr(Same, Steps[S + 1], End);
    Phi->addIncoming(IsEq ? SB.getFalse() : Decided, Steps[S]);
  }
  Value *Result = N.Negate ? EndB.CreateNot(Phi) : Phi;
  Result->takeName(I);
  I->replaceAllUsesWith(Result);
  I->eraseFromParent();
}

/// True for a scalar integer compare wider than Bits that is not folded
/// already (two constants).
bool worthSplitting(const ICmpInst &I, unsigned Bits) {
  Type *Ty = I.getOperand(0)->getType();
  if (!Ty->isIntegerTy() || Ty->getIntegerBitWidth() <= Bits)
    return false;
  return !(isa<Constant>(I.getOperand(0)) && isa<Constant>(I.getOperand(1)));
}

} // namespace

PreservedAnalyses SplitComparesPass::run(Module &M, ModuleAnalysisManager &) {
  SmallVector<ICmpInst *, 64> Work;
  for (Function &F : M)
    if (shouldInstrument(F))
      for (BasicBlock &BB : F)
        for (Instruction &I : BB)
          if (auto *Cmp = dyn_cast<ICmpInst>(&I))
            if (worthSplitting(*Cmp, Bits))
              Work.push_back(Cmp);
  for (ICmpInst *I : Work)
    splitCompare(I, Bits);
  return Work.empty() ? PreservedAnalyses::all() : PreservedAnalyses::none();
}
