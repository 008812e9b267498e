/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * AFL_LLVM_LAF_TRANSFORM_COMPARES: a call of strcmp, strncmp, strcasecmp,
 * strncasecmp, memcmp or bcmp with one operand a constant (and, for the
 * n-variants, a constant length) becomes one block per byte:
 *   d = s[i] - c[i] (both through tolower for the case-blind ones);
 *   d != 0, or c[i] is the constant's NUL: the result is d; else next byte.
 * The result has the sign the C standard gives the call (its value is the
 * difference of the first differing bytes as unsigned char), and the
 * program reads no byte of s the call would not have read. Constants
 * longer than LAF_TRANSFORM_MAX_LEN bytes keep their call.
 */
#include "blocks.h"
#include "laf.h"

#include "config.h"

#include "llvm/IR/Constants.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/Module.h"

#include <algorithm>
#include <cstring>

using namespace llvm;
using namespace lop;

namespace {

/// A comparison routine: its name, whether it takes a length, stops at a
/// NUL, and ignores case.
struct Routine {
  const char *Name;
  bool HasLength;
  bool StopsAtNul;
  bool IgnoresCase;
};

const Routine Routines[] = {
    {"strcmp", false, true, false},    {"strncmp", true, true, false},
    {"strcasecmp", false, true, true}, {"strncasecmp", true, true, true},
    {"memcmp", true, false, false},    {"bcmp", true, false, false},
};

/// The routine CI calls, when it is a direct call of a declared library
/// routine above with the C signature; else nullptr.
const Routine *routineOf(const CallInst &CI) {
  const Function *Callee = CI.getCalledFunction();
  if (!Callee || !Callee->isDeclaration() || !CI.getType()->isIntegerTy(32))
    return nullptr;
  for (const Routine &R : Routines) {
    if (Callee->getName() != R.Name)
      continue;
    if (CI.arg_size() != (R.HasLength ? 3U : 2U) ||
        !CI.getArgOperand(0)->getType()->isPointerTy() ||
        !CI.getArgOperand(1)->getType()->isPointerTy())
      return nullptr;
    if (R.HasLength && !CI.getArgOperand(2)->getType()->isIntegerTy())
      return nullptr;
    return &R;
  }
  return nullptr;
}

/// The bytes of the constant V points into, from where it points to the
/// end of its global; false when V is not such a pointer.
bool constantBytes(const Value *V, const DataLayout &DL, StringRef &Out) {
  APInt Offset(DL.getIndexTypeSizeInBits(V->getType()), 0);
  const Value *Base = V->stripAndAccumulateConstantOffsets(DL, Offset, true);
  const auto *GV = dyn_cast<GlobalVariable>(Base);
  if (!GV || !GV->isConstant() || !GV->hasDefinitiveInitializer())
    return false;
  const auto *Data = dyn_cast<ConstantDataArray>(GV->getInitializer());
  if (!Data || !Data->getElementType()->isIntegerTy(8))
    return false;
  StringRef All = Data->getRawDataValues();
  if (Offset.isNegative() || Offset.uge(All.size()))
    return false;
  Out = All.substr(Offset.getZExtValue());
  return true;
}

/// What one call becomes: which operand is constant, its bytes, and how
/// many bytes at most are compared.
struct Plan {
  const Routine *R;
  Value *Var;
  StringRef Const;
  bool ConstFirst;
  uint64_t Count;
};

/// Fills P for CI, or returns false when CI stays a call: no constant
/// operand (or two), a length that is not constant, a constant string
/// without its NUL, nothing or too much to compare.
bool planCall(CallInst &CI, const DataLayout &DL, Plan &P) {
  P.R = routineOf(CI);
  if (!P.R)
    return false;
  StringRef S0, S1;
  bool C0 = constantBytes(CI.getArgOperand(0), DL, S0);
  bool C1 = constantBytes(CI.getArgOperand(1), DL, S1);
  if (C0 == C1)
    return false;
  P.ConstFirst = C0;
  P.Const = C0 ? S0 : S1;
  P.Var = CI.getArgOperand(C0 ? 1 : 0);
  uint64_t Limit = UINT64_MAX;
  if (P.R->HasLength) {
    auto *Len = dyn_cast<ConstantInt>(CI.getArgOperand(2));
    if (!Len || Len->getValue().getActiveBits() > 64)
      return false;
    Limit = Len->getZExtValue();
  }
  if (P.R->StopsAtNul) {
    size_t Nul = P.Const.find('\0');
    if (Nul == StringRef::npos)
      return false;
    P.Count = std::min<uint64_t>(Limit, Nul + 1);
  } else {
    if (Limit > P.Const.size())
      return false;
    P.Count = Limit;
  }
  return P.Count > 0 && P.Count <= LAF_TRANSFORM_MAX_LEN;
}

/// Byte B as the routine compares it: zero-extended, through tolower()
/// for the case-blind routines (the locale's, as the routine's own).
Value *compared(IRBuilder<> &IRB, Value *B, const Plan &P, Module &M) {
  Value *Wide = IRB.CreateZExt(B, IRB.getInt32Ty());
  if (!P.R->IgnoresCase)
    return Wide;
  FunctionCallee ToLower =
      M.getOrInsertFunction("tolower", IRB.getInt32Ty(), IRB.getInt32Ty());
  return IRB.CreateCall(ToLower, {Wide});
}

/// Replaces CI by one block per compared byte, joined in a PHI of the
/// differences.
void transformCall(CallInst *CI, const Plan &P) {
  Module &M = *CI->getModule();
  BasicBlock *Head = CI->getParent();
  BasicBlock *End = Head->splitBasicBlock(CI, "laf.str.end");
  Head->getTerminator()->eraseFromParent();
  IRBuilder<> EndB(CI);
  PHINode *Phi =
      EndB.CreatePHI(EndB.getInt32Ty(), static_cast<unsigned>(P.Count));
  BasicBlock *Step = Head;
  for (uint64_t I = 0; I < P.Count; I++) {
    IRBuilder<> SB(Step);
    Value *Addr = SB.CreateConstGEP1_64(SB.getInt8Ty(), P.Var, I);
    Value *V = compared(SB, SB.CreateLoad(SB.getInt8Ty(), Addr), P, M);
    Value *C = compared(SB, SB.getInt8(P.Const[I]), P, M);
    Value *Diff = P.ConstFirst ? SB.CreateSub(C, V) : SB.CreateSub(V, C);
    Phi->addIncoming(Diff, Step);
    if (I + 1 == P.Count) {
      SB.CreateBr(End);
      break;
    }
    BasicBlock *Next =
        BasicBlock::Create(CI->getContext(), "laf.str", Head->getParent(), End);
    SB.CreateCondBr(SB.CreateICmpEQ(Diff, SB.getInt32(0)), Next, End);
    Step = Next;
  }
  Phi->takeName(CI);
  CI->replaceAllUsesWith(Phi);
  CI->eraseFromParent();
}

} // namespace

PreservedAnalyses TransformComparesPass::run(Module &M,
                                             ModuleAnalysisManager &) {
  SmallVector<std::pair<CallInst *, Plan>, 16> Work;
  for (Function &F : M)
    if (shouldInstrument(F))
      for (BasicBlock &BB : F)
        for (Instruction &I : BB)
          if (auto *CI = dyn_cast<CallInst>(&I)) {
            Plan P;
            if (planCall(*CI, M.getDataLayout(), P))
              Work.push_back({CI, P});
          }
  for (auto &W : Work)
    transformCall(W.first, W.second);
  return Work.empty() ? PreservedAnalyses::all() : PreservedAnalyses::none();
}
