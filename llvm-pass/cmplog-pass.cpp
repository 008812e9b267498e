/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * CmpLog instrumentation (see cmplog-pass.h). The hooks and their arguments:
 *   __afl_cmplog_ins_hook{1,2,4,8}(a, b, i8 attr)   operands zero-extended
 *   __afl_cmplog_ins_hookn(a_lo, a_hi, b_lo, b_hi, i8 attr, i8 bytes)
 *                                       any other width up to 16 bytes
 *   __afl_cmplog_rtn_hook_n(a, b, n)    memcmp and kin
 *   __afl_cmplog_rtn_hook_str(a, b)     strcmp and kin
 *   __afl_cmplog_rtn_hook_strn(a, b, n) strncmp and kin
 *   __afl_cmplog_rtn_stdstring_cstr(s, c), _stdstring_stdstring(s, t)
 * attr is the predicate (include/cmplog.h CMP_ATTR_*).
 */
#include "cmplog-pass.h"

#include "blocks.h"
#include "compare-calls.h"
#include "compat.h"

#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/IR/MDBuilder.h"
#include "llvm/Transforms/Utils/BasicBlockUtils.h"

using namespace llvm;
using namespace lop;

namespace {

/// Attribute codes of include/cmplog.h (CMP_ATTR_*), for the C++ side.
enum : uint8_t {
  AttrNe = 0,
  AttrEq = 1,
  AttrGt = 2,
  AttrGe = 3,
  AttrLt = 4,
  AttrLe = 5
};

/// Widest integer operand logged, in bytes (the map's 128-bit entries).
constexpr unsigned MaxOperandBytes = 16;

/// The CMP_ATTR_* code of an integer predicate (signedness is not kept).
uint8_t predicateAttr(CmpInst::Predicate P) {
  switch (P) {
  case CmpInst::ICMP_EQ:
    return AttrEq;
  case CmpInst::ICMP_UGT:
  case CmpInst::ICMP_SGT:
    return AttrGt;
  case CmpInst::ICMP_UGE:
  case CmpInst::ICMP_SGE:
    return AttrGe;
  case CmpInst::ICMP_ULT:
  case CmpInst::ICMP_SLT:
    return AttrLt;
  case CmpInst::ICMP_ULE:
  case CmpInst::ICMP_SLE:
    return AttrLe;
  default:
    return AttrNe;
  }
}

/// Bytes of an integer operand type worth logging (1..16), or 0: booleans
/// and narrower types, vectors, pointers and wider integers are not.
unsigned operandBytes(Type *Ty) {
  if (!Ty->isIntegerTy() || Ty->getIntegerBitWidth() < 8)
    return 0;
  unsigned Bytes = (Ty->getIntegerBitWidth() + 7) / 8;
  return Bytes <= MaxOperandBytes ? Bytes : 0;
}

/// Places the hook calls of one module.
class CmpLog {
public:
  explicit CmpLog(Module &M);

  /// Instruments F's compares, switches and comparison calls; returns the
  /// number of hook calls placed.
  unsigned instrument(Function &F);

private:
  Instruction *logBlock(Instruction *Before);
  void logCompare(ICmpInst *Cmp);
  unsigned logSwitch(SwitchInst *SI);
  void logCall(CallBase *Call, const CompareCall &Cmp);
  void callInsHook(IRBuilder<> &IRB, Value *A, Value *B, uint8_t Attr);
  Value *bytePtr(IRBuilder<> &IRB, Value *P);

  Module &M;
  LLVMContext &Ctx;
  Type *Int8Ty, *Int64Ty, *IntPtrTy;
  PointerType *BytePtrTy;
  Constant *MapPtr;
};

CmpLog::CmpLog(Module &Mod) : M(Mod), Ctx(Mod.getContext()) {
  Int8Ty = Type::getInt8Ty(Ctx);
  Int64Ty = Type::getInt64Ty(Ctx);
  IntPtrTy = M.getDataLayout().getIntPtrType(Ctx);
  BytePtrTy = bytePtrType(Ctx);
  // External and not dso_local: in a shared library it resolves to the
  // executable's runtime (or the weak fallback of afl-llvm-rt-shared.o).
  MapPtr = M.getOrInsertGlobal("__afl_cmp_map", BytePtrTy, [&] {
    return new GlobalVariable(M, BytePtrTy, false, GlobalValue::ExternalLinkage,
                              nullptr, "__afl_cmp_map");
  });
}

/// Splits Before's block so that a new block, entered only when the CmpLog
/// map is there, runs just before Before; returns the point to log at.
Instruction *CmpLog::logBlock(Instruction *Before) {
  IRBuilder<> IRB(Before);
  Value *Map = noSanitize(IRB.CreateLoad(BytePtrTy, MapPtr));
  Value *On = IRB.CreateIsNotNull(Map);
  MDNode *Unlikely = MDBuilder(Ctx).createBranchWeights(1, 1000);
  return SplitBlockAndInsertIfThen(On, Before, false, Unlikely);
}

/// Calls the hook for operands A and B (the same integer type, 1..16
/// bytes): a fixed-width hook when the width is 1, 2, 4 or 8 bytes, else
/// the n-byte hook with each operand split into two 64-bit halves.
void CmpLog::callInsHook(IRBuilder<> &IRB, Value *A, Value *B, uint8_t Attr) {
  unsigned Bytes = operandBytes(A->getType());
  Constant *AttrC = ConstantInt::get(Int8Ty, Attr);
  if (Bytes == 1 || Bytes == 2 || Bytes == 4 || Bytes == 8) {
    Type *Ty = IRB.getIntNTy(Bytes * 8);
    FunctionCallee Hook =
        M.getOrInsertFunction("__afl_cmplog_ins_hook" + std::to_string(Bytes),
                              IRB.getVoidTy(), Ty, Ty, Int8Ty);
    IRB.CreateCall(Hook, {IRB.CreateZExt(A, Ty), IRB.CreateZExt(B, Ty), AttrC});
    return;
  }
  Type *WideTy = IRB.getIntNTy(Bytes > 8 ? 128 : 64);
  Value *Lo[2], *Hi[2];
  Value *Ops[2] = {IRB.CreateZExt(A, WideTy), IRB.CreateZExt(B, WideTy)};
  for (unsigned I = 0; I < 2; ++I) {
    Lo[I] = IRB.CreateTrunc(Ops[I], Int64Ty);
    Hi[I] = Bytes > 8 ? IRB.CreateTrunc(IRB.CreateLShr(Ops[I], 64), Int64Ty)
                      : static_cast<Value *>(ConstantInt::get(Int64Ty, 0));
  }
  FunctionCallee Hook =
      M.getOrInsertFunction("__afl_cmplog_ins_hookn", IRB.getVoidTy(), Int64Ty,
                            Int64Ty, Int64Ty, Int64Ty, Int8Ty, Int8Ty);
  IRB.CreateCall(Hook, {Lo[0], Hi[0], Lo[1], Hi[1], AttrC,
                        ConstantInt::get(Int8Ty, Bytes)});
}

void CmpLog::logCompare(ICmpInst *Cmp) {
  IRBuilder<> IRB(logBlock(Cmp));
  callInsHook(IRB, Cmp->getOperand(0), Cmp->getOperand(1),
              predicateAttr(Cmp->getPredicate()));
}

/// One hook call per case, each its own call site (so its own map slot),
/// all behind one guard. Returns the number of calls.
unsigned CmpLog::logSwitch(SwitchInst *SI) {
  IRBuilder<> IRB(logBlock(SI));
  unsigned Count = 0;
  for (auto &Case : SI->cases()) {
    callInsHook(IRB, SI->getCondition(), Case.getCaseValue(), AttrEq);
    ++Count;
  }
  return Count;
}

Value *CmpLog::bytePtr(IRBuilder<> &IRB, Value *P) {
  return IRB.CreatePointerCast(P, BytePtrTy);
}

void CmpLog::logCall(CallBase *Call, const CompareCall &Cmp) {
  using K = CompareCallKind;
  IRBuilder<> IRB(logBlock(Call));
  Type *VoidTy = IRB.getVoidTy();
  SmallVector<Value *, 3> Args = {bytePtr(IRB, Cmp.A), bytePtr(IRB, Cmp.B)};
  SmallVector<Type *, 3> Params = {BytePtrTy, BytePtrTy};
  if (Cmp.N) {
    Args.push_back(IRB.CreateZExtOrTrunc(Cmp.N, IntPtrTy));
    Params.push_back(IntPtrTy);
  }
  const char *Name = Cmp.Kind == K::Memory    ? "__afl_cmplog_rtn_hook_n"
                     : Cmp.Kind == K::String  ? "__afl_cmplog_rtn_hook_str"
                     : Cmp.Kind == K::StringN ? "__afl_cmplog_rtn_hook_strn"
                     : Cmp.Kind == K::StdString
                         ? "__afl_cmplog_rtn_stdstring_cstr"
                         : "__afl_cmplog_rtn_stdstring_stdstring";
  FunctionCallee Hook =
      M.getOrInsertFunction(Name, FunctionType::get(VoidTy, Params, false));
  IRB.CreateCall(Hook, Args);
}

/// Work is listed first and done afterwards: logging splits blocks.
unsigned CmpLog::instrument(Function &F) {
  SmallVector<ICmpInst *, 32> Compares;
  SmallVector<SwitchInst *, 8> Switches;
  SmallVector<std::pair<CallBase *, CompareCall>, 8> Calls;
  for (BasicBlock &BB : F)
    for (Instruction &I : BB) {
      if (auto *ICmp = dyn_cast<ICmpInst>(&I)) {
        if (operandBytes(ICmp->getOperand(0)->getType()) &&
            !(isa<Constant>(ICmp->getOperand(0)) &&
              isa<Constant>(ICmp->getOperand(1))))
          Compares.push_back(ICmp);
      } else if (auto *SI = dyn_cast<SwitchInst>(&I)) {
        if (operandBytes(SI->getCondition()->getType()) && SI->getNumCases())
          Switches.push_back(SI);
      } else if (auto *Call = dyn_cast<CallBase>(&I)) {
        CompareCall Cmp = classifyCompareCall(*Call);
        if (Cmp.Kind != CompareCallKind::None)
          Calls.push_back({Call, Cmp});
      }
    }
  for (ICmpInst *Cmp : Compares)
    logCompare(Cmp);
  unsigned Count = Compares.size() + Calls.size();
  for (SwitchInst *SI : Switches)
    Count += logSwitch(SI);
  for (auto &C : Calls)
    logCall(C.first, C.second);
  return Count;
}

} // namespace

unsigned lop::instrumentCmpLog(Module &M) {
  SmallVector<Function *, 32> Work;
  for (Function &F : M)
    if (!F.isDeclaration() && !F.getMetadata(CmpLogMarker) &&
        !isRuntimeFunction(F) && !F.hasFnAttribute(Attribute::Naked))
      Work.push_back(&F);
  if (Work.empty())
    return 0;
  CmpLog Logger(M);
  unsigned Count = 0;
  for (Function *F : Work) {
    Count += Logger.instrument(*F);
    F->setMetadata(CmpLogMarker, MDNode::get(M.getContext(), {}));
  }
  return Count;
}
