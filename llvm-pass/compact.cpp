/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * The compact map mode; see compact.h for the layout it emits.
 */
#include "compact.h"

#include "block-id.h"
#include "blocks.h"
#include "compat.h"

#include "llvm/IR/Constants.h"
#include "llvm/IR/IRBuilder.h"

using namespace llvm;
using namespace lop;

namespace {

/// Instruments one module: CompactCoverage(M, Opts).run(Candidates).
class CompactCoverage {
public:
  CompactCoverage(Module &M, const CoverageOptions &Opts);

  /// Instruments every eligible function, then gives the descriptor its
  /// counter count. Returns the number of counters.
  unsigned run(unsigned &Candidates);

private:
  void instrumentFunction(Function &F, ArrayRef<CounterBlock> Picked);
  void finishDescriptor();

  Module &M;
  const CoverageOptions &Opts;
  PointerType *BytePtrTy;
  Type *Int32Ty;
  StructType *DescTy;
  GlobalVariable *Desc;
  Constant *BaseAt;  // &Desc->base
  uint32_t Next = 0; // id of the next counter within the module
};

CompactCoverage::CompactCoverage(Module &M, const CoverageOptions &Opts)
    : M(M), Opts(Opts) {
  LLVMContext &C = M.getContext();
  BytePtrTy = bytePtrType(C);
  Int32Ty = Type::getInt32Ty(C);
  DescTy = StructType::get(C, {BytePtrTy, Int32Ty, Int32Ty, BytePtrTy});
  // Internal: every module has its own; the initializer comes once the
  // number of counters is known.
  Desc = new GlobalVariable(M, DescTy, false, GlobalValue::InternalLinkage,
                            nullptr, "__afl_lop_compact_module");
  Constant *Zero = ConstantInt::get(Int32Ty, 0);
  BaseAt = ConstantExpr::getInBoundsGetElementPtr(
      DescTy, Desc, ArrayRef<Constant *>{Zero, Zero});
}

/// Emits `base[id]++` in each picked block, base loaded from the
/// descriptor (once per function and after calls, when it may be cached).
void CompactCoverage::instrumentFunction(Function &F,
                                         ArrayRef<CounterBlock> Picked) {
  CachedGlobal Base[] = {{BaseAt, BytePtrTy}};
  bool Cache = Opts.RegisterCache && canCacheInRegisters(F);
  Instruction *EntryPt = Cache ? cacheGlobals(F, Base) : nullptr;
  Value *From = Cache ? static_cast<Value *>(Base[0].Slot) : BaseAt;
  for (const CounterBlock &C : Picked) {
    Instruction *At = C.BB == &F.getEntryBlock() && EntryPt
                          ? EntryPt
                          : &*C.BB->getFirstInsertionPt();
    IRBuilder<> IRB(At);
    Value *Counters = noSanitize(IRB.CreateLoad(BytePtrTy, From));
    Value *Slot = IRB.CreateConstGEP1_32(IRB.getInt8Ty(), Counters, Next++);
    emitCounterIncrement(IRB, Slot, Opts.NeverZero);
  }
  if (Cache)
    syncCachedGlobals(F, Base);
}

/// The descriptor starts pointing at a private array of its counters, so
/// code running before the constructor (or with no runtime to register
/// with) counts somewhere harmless.
void CompactCoverage::finishDescriptor() {
  LLVMContext &C = M.getContext();
  ArrayType *ArrTy = ArrayType::get(Type::getInt8Ty(C), Next);
  // A new global, not getOrInsertGlobal: after an LTO merge another
  // module's array may hold the name, and it is renamed, never shared. The
  // module owns it (the analyzer cannot see that).
  // NOLINTBEGIN(clang-analyzer-cplusplus.NewDeleteLeaks)
  auto *Private = new GlobalVariable(
      M, ArrTy, false, GlobalValue::InternalLinkage,
      ConstantAggregateZero::get(ArrTy), "__afl_lop_compact_counters");
  Desc->setInitializer(ConstantStruct::get(
      DescTy, {ConstantExpr::getPointerCast(Private, BytePtrTy),
               ConstantInt::get(Int32Ty, Next), ConstantInt::get(Int32Ty, 0),
               ConstantPointerNull::get(BytePtrTy)}));
  // NOLINTEND(clang-analyzer-cplusplus.NewDeleteLeaks)
  addRegisterCtor(M, "__afl_lop_register_compact", Desc);
}

unsigned CompactCoverage::run(unsigned &Candidates) {
  SmallVector<Function *, 32> Work;
  for (Function &F : M)
    if (shouldInstrument(F))
      Work.push_back(&F);
  BlockIdGenerator Ids(Opts.Seed, M.getSourceFileName());
  for (Function *F : Work) {
    SmallVector<CounterBlock, 32> Picked;
    Ids.beginFunction(F->getName());
    pickCounterBlocks(*F, Ids, Opts.Ratio, false, Picked, Candidates);
    markInstrumented(*F);
    if (!Picked.empty())
      instrumentFunction(*F, Picked);
  }
  if (Next)
    finishDescriptor();
  else
    Desc->eraseFromParent();
  return Next;
}

} // namespace

unsigned lop::instrumentCompact(Module &M, const CoverageOptions &Opts,
                                unsigned &Candidates) {
  Candidates = 0;
  return CompactCoverage(M, Opts).run(Candidates);
}
