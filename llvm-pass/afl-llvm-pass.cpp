/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * The edge-coverage pass. Every basic block of every instrumented function
 * gets, at its first insertion point, AFL's classic edge update:
 *   map[cur_loc ^ prev_loc]++ (NeverZero by default); prev_loc = cur_loc >> 1
 * against `__afl_area_ptr` and the thread-local `__afl_prev_loc`, both
 * defined by lop's runtime. Blocks entered only from predecessors that
 * jump nowhere else are left out: their edges are implied. Within a
 * function prev_loc and the map pointer live in registers (stack slots
 * promoted to SSA values), written back to the globals before calls and
 * returns and reloaded after calls, so a block's update touches memory only
 * for its counter.
 * AFLCoverage does the work on one module, AFLCoveragePass adapts it to the
 * new pass manager, and the block at the end registers it for
 * `opt -passes=afl-coverage` and for clang's -fpass-plugin=.
 */
#include "block-id.h"
#include "compat.h"
#include "edge-log.h"
#include "options.h"

#include "config.h"

#include "llvm/IR/CFG.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/DiagnosticInfo.h"
#include "llvm/IR/Dominators.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/IR/Metadata.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/PassManager.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Passes/PassPlugin.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Transforms/Utils/PromoteMemToReg.h"

#include <cstring>

using namespace llvm;
using namespace lop;

namespace {

// Function metadata marking work already done: a function carrying it is
// never instrumented again (pass listed twice, LTO pre-link and link).
const char *const DoneMarker = "lop.instrumented";

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

/// True when entering BB adds no edge information: BB has predecessors and
/// each of them has BB as its only successor, so every entry into BB is
/// implied by the predecessor's own update. Leaving BB uninstrumented keeps
/// prev_loc at the predecessor's id, so the next instrumented block still
/// tells the paths through different predecessors apart.
bool impliedByPredecessors(const BasicBlock &BB) {
  if (pred_empty(&BB))
    return false;
  for (const BasicBlock *Pred : predecessors(&BB))
    if (Pred->getTerminator()->getNumSuccessors() != 1)
      return false;
  return true;
}

/// True when F may keep prev_loc and the map pointer in registers: no
/// invoke or callbr (their unwind and indirect edges leave no place to
/// reload after the call), no musttail call (nothing may follow it) and no
/// returns_twice call (setjmp would resume with stale registers).
bool canCacheInRegisters(const Function &F) {
  for (const BasicBlock &BB : F)
    for (const Instruction &I : BB) {
      if (isa<InvokeInst>(I) || isa<CallBrInst>(I))
        return false;
      if (const auto *CI = dyn_cast<CallInst>(&I))
        if (CI->isMustTailCall() || CI->canReturnTwice())
          return false;
    }
  return true;
}

/// Where the updates of one function read and write prev_loc and the map
/// pointer: the runtime's globals, or stack slots promoted to registers.
struct UpdateTargets {
  Value *PrevLoc;
  Value *AreaPtr;
};

/// Instruments the blocks of one module with AFL edge coverage.
class AFLCoverage {
public:
  explicit AFLCoverage(const CoverageOptions &Opts) : Opts(Opts) {}

  /// Instruments every eligible function of M once. Returns the number of
  /// blocks instrumented; Candidates counts the blocks that could have been.
  unsigned instrument(Module &M, unsigned &Candidates);

private:
  bool shouldInstrument(const Function &F) const;
  void declareRuntime(Module &M);
  unsigned instrumentFunction(Function &F, BlockIdGenerator &Ids,
                              unsigned &Candidates);
  void instrumentBlock(Instruction *InsertPt, uint32_t CurLoc,
                       const UpdateTargets &To);
  Instruction *cacheInRegisters(Function &F, UpdateTargets &To);
  void syncCachedValues(Function &F, const UpdateTargets &To);
  void copy(IRBuilder<> &IRB, Type *Ty, Value *From, Value *To);
  template <typename InstT> InstT *noSanitize(InstT *I);

  const CoverageOptions &Opts;
  Type *Int8Ty = nullptr;
  Type *Int32Ty = nullptr;
  Type *Int64Ty = nullptr;
  PointerType *BytePtrTy = nullptr;
  Constant *AreaPtr = nullptr;
  Constant *PrevLoc = nullptr;
  MDNode *EmptyNode = nullptr;
  unsigned NoSanitizeKind = 0;
  unsigned DoneKind = 0;
};

/// True for functions with a body that are not runtime code, not marked
/// no_sanitize("coverage"), not naked (a naked body must stay pure asm) and
/// not instrumented before.
bool AFLCoverage::shouldInstrument(const Function &F) const {
  if (F.isDeclaration() || F.getMetadata(DoneKind))
    return false;
  if (F.hasFnAttribute(Attribute::Naked) ||
      F.hasFnAttribute(Attribute::NoSanitizeCoverage))
    return false;
  for (const char *Prefix : SkippedPrefixes)
    if (F.getName().substr(0, std::strlen(Prefix)) == Prefix)
      return false;
  return true;
}

/// Declares the runtime's globals: external, default visibility and not
/// dso_local, because in a shared library they resolve to the executable's
/// definitions at run time.
void AFLCoverage::declareRuntime(Module &M) {
  LLVMContext &C = M.getContext();
  Int8Ty = Type::getInt8Ty(C);
  Int32Ty = Type::getInt32Ty(C);
  Int64Ty = Type::getInt64Ty(C);
  BytePtrTy = bytePtrType(C);
  AreaPtr = M.getOrInsertGlobal("__afl_area_ptr", BytePtrTy, [&] {
    return new GlobalVariable(M, BytePtrTy, false, GlobalValue::ExternalLinkage,
                              nullptr, "__afl_area_ptr");
  });
  PrevLoc = M.getOrInsertGlobal("__afl_prev_loc", Int32Ty, [&] {
    return new GlobalVariable(M, Int32Ty, false, GlobalValue::ExternalLinkage,
                              nullptr, "__afl_prev_loc", nullptr,
                              GlobalVariable::GeneralDynamicTLSModel);
  });
  EmptyNode = MDNode::get(C, {});
  NoSanitizeKind = C.getMDKindID("nosanitize");
}

/// Marks an inserted memory access so sanitizers leave it alone: the map
/// update is lop's, not the program's.
template <typename InstT> InstT *AFLCoverage::noSanitize(InstT *I) {
  I->setMetadata(NoSanitizeKind, EmptyNode);
  return I;
}

/// Emits the edge update before InsertPt (a block's first insertion point,
/// after PHIs and landingpads), so it runs whenever the block is entered.
void AFLCoverage::instrumentBlock(Instruction *InsertPt, uint32_t CurLoc,
                                  const UpdateTargets &To) {
  IRBuilder<> IRB(InsertPt);
  Value *Prev = noSanitize(IRB.CreateLoad(Int32Ty, To.PrevLoc));
  Value *Index = IRB.CreateXor(Prev, ConstantInt::get(Int32Ty, CurLoc));
  Value *Map = noSanitize(IRB.CreateLoad(BytePtrTy, To.AreaPtr));
  Value *Slot = IRB.CreateGEP(Int8Ty, Map, IRB.CreateZExt(Index, Int64Ty));
  Value *Count = noSanitize(IRB.CreateLoad(Int8Ty, Slot));
  Value *Inc = IRB.CreateAdd(Count, ConstantInt::get(Int8Ty, 1));
  if (Opts.NeverZero) {
    // x + 1 + (x == 255): a counter that wraps lands on 1, not 0, so an
    // edge hit 256n times still shows up.
    Value *Wrapped = IRB.CreateICmpEQ(Inc, ConstantInt::get(Int8Ty, 0));
    Inc = IRB.CreateAdd(Inc, IRB.CreateZExt(Wrapped, Int8Ty));
  }
  noSanitize(IRB.CreateStore(Inc, Slot));
  noSanitize(
      IRB.CreateStore(ConstantInt::get(Int32Ty, CurLoc >> 1), To.PrevLoc));
}

/// Emits *To = *From (of type Ty) with both accesses marked nosanitize.
void AFLCoverage::copy(IRBuilder<> &IRB, Type *Ty, Value *From, Value *To) {
  noSanitize(IRB.CreateStore(noSanitize(IRB.CreateLoad(Ty, From)), To));
}

/// Creates F's two slots in the entry block, filled from the globals, and
/// points To at them. Returns where the entry block's update must go (after
/// that set-up).
Instruction *AFLCoverage::cacheInRegisters(Function &F, UpdateTargets &To) {
  BasicBlock &Entry = F.getEntryBlock();
  IRBuilder<> IRB(&Entry, Entry.getFirstInsertionPt());
  AllocaInst *PrevSlot = IRB.CreateAlloca(Int32Ty, nullptr, "afl.prev");
  AllocaInst *MapSlot = IRB.CreateAlloca(BytePtrTy, nullptr, "afl.area");
  copy(IRB, Int32Ty, PrevLoc, PrevSlot);
  copy(IRB, BytePtrTy, AreaPtr, MapSlot);
  To = {PrevSlot, MapSlot};
  return &*IRB.GetInsertPoint();
}

/// Writes the cached prev_loc back before every call and return (callees
/// and callers see the current value) and reloads both values after every
/// call (the callee moved prev_loc on; __afl_manual_init and
/// __afl_persistent_loop move the map pointer), then promotes the slots to
/// SSA registers.
void AFLCoverage::syncCachedValues(Function &F, const UpdateTargets &To) {
  SmallVector<Instruction *, 16> Calls, Returns;
  for (BasicBlock &BB : F)
    for (Instruction &I : BB) {
      if (isa<CallInst>(I) && !isa<IntrinsicInst>(I))
        Calls.push_back(&I);
      else if (isa<ReturnInst>(I))
        Returns.push_back(&I);
    }
  for (Instruction *I : Calls) {
    IRBuilder<> Before(I);
    copy(Before, Int32Ty, To.PrevLoc, PrevLoc);
    IRBuilder<> After(I->getNextNode());
    copy(After, Int32Ty, PrevLoc, To.PrevLoc);
    copy(After, BytePtrTy, AreaPtr, To.AreaPtr);
  }
  for (Instruction *I : Returns) {
    IRBuilder<> Before(I);
    copy(Before, Int32Ty, To.PrevLoc, PrevLoc);
  }
  DominatorTree DT(F);
  PromoteMemToReg({cast<AllocaInst>(To.PrevLoc), cast<AllocaInst>(To.AreaPtr)},
                  DT);
}

/// Instruments the picked blocks of F (all but the implied ones) and marks F
/// done. Blocks are numbered in layout order whether or not they are
/// picked, so ids do not depend on AFL_INST_RATIO.
unsigned AFLCoverage::instrumentFunction(Function &F, BlockIdGenerator &Ids,
                                         unsigned &Candidates) {
  Ids.beginFunction(F.getName());
  SmallVector<std::pair<BasicBlock *, uint32_t>, 32> Picked;
  uint32_t Index = 0;
  for (BasicBlock &BB : F) {
    uint32_t BlockIndex = Index++;
    // A block holding only a catchswitch has no place for code.
    if (BB.getFirstInsertionPt() == BB.end() || impliedByPredecessors(BB))
      continue;
    ++Candidates;
    if (Ids.picked(BlockIndex, Opts.Ratio))
      Picked.push_back({&BB, Ids.location(BlockIndex)});
  }
  logEdges(Opts.EdgeLogPath, F, Picked);
  F.setMetadata(DoneKind, EmptyNode);
  if (Picked.empty())
    return 0;
  UpdateTargets To = {PrevLoc, AreaPtr};
  bool Cache = Opts.RegisterCache && canCacheInRegisters(F);
  Instruction *EntryPt = Cache ? cacheInRegisters(F, To) : nullptr;
  for (const auto &P : Picked)
    instrumentBlock(P.first == &F.getEntryBlock() && EntryPt
                        ? EntryPt
                        : &*P.first->getFirstInsertionPt(),
                    P.second, To);
  if (Cache)
    syncCachedValues(F, To);
  return Picked.size();
}

unsigned AFLCoverage::instrument(Module &M, unsigned &Candidates) {
  Candidates = 0;
  DoneKind = M.getContext().getMDKindID(DoneMarker);
  SmallVector<Function *, 32> Work;
  for (Function &F : M)
    if (shouldInstrument(F))
      Work.push_back(&F);
  if (Work.empty())
    return 0;
  declareRuntime(M);
  BlockIdGenerator Ids(Opts.Seed, M.getSourceFileName());
  unsigned Count = 0;
  for (Function *F : Work)
    Count += instrumentFunction(*F, Ids, Candidates);
  return Count;
}

/// New-pass-manager adapter: reports bad settings, runs AFLCoverage and
/// prints the summary line when the user may see it.
class AFLCoveragePass : public PassInfoMixin<AFLCoveragePass> {
public:
  explicit AFLCoveragePass(CoverageOptions Opts) : Opts(std::move(Opts)) {}

  PreservedAnalyses run(Module &M, ModuleAnalysisManager &) {
    if (!Opts.Error.empty()) {
      M.getContext().emitError("afl-llvm-pass: " + Opts.Error);
      return PreservedAnalyses::all();
    }
    unsigned Candidates = 0;
    unsigned Count = AFLCoverage(Opts).instrument(M, Candidates);
    if (Opts.Report && Candidates > 0)
      report(Count, Candidates);
    return Count ? PreservedAnalyses::none() : PreservedAnalyses::all();
  }

  // Coverage is part of the program's contract with the fuzzer: the pass
  // manager must not drop it (opt-bisect, optnone at -O0).
  static bool isRequired() { return true; }

private:
  void report(unsigned Count, unsigned Candidates) const {
    errs() << "afl-llvm-pass: Instrumented " << Count << " locations ("
           << (Opts.NeverZero ? "NeverZero" : "wrapping") << " counters, ratio "
           << Opts.Ratio << "%)";
    if (Count == 0)
      errs() << ": AFL_INST_RATIO skipped all " << Candidates
             << " blocks; raise it to get coverage";
    errs() << "\n";
  }

  CoverageOptions Opts;
};

/// Adds the pass for every pipeline clang and opt build, with the settings
/// read once for this pass builder.
void registerCallbacks(PassBuilder &PB) {
  CoverageOptions Opts = CoverageOptions::fromEnvironment();
  PB.registerPipelineParsingCallback(
      [Opts](StringRef Name, ModulePassManager &MPM,
             ArrayRef<PassBuilder::PipelineElement>) {
        if (Name != "afl-coverage")
          return false;
        MPM.addPass(AFLCoveragePass(Opts));
        return true;
      });
  // OptimizerLast runs at every -O level, -O0 included, and in the LTO
  // pre-link pipelines, so each object file is instrumented when compiled.
  PB.registerOptimizerLastEPCallback(
      [Opts](ModulePassManager &MPM, OptimizationLevel) {
        MPM.addPass(AFLCoveragePass(Opts));
      });
#if LOP_HAVE_FULL_LTO_LAST_EP
  PB.registerFullLinkTimeOptimizationLastEPCallback(
      [Opts](ModulePassManager &MPM, OptimizationLevel) {
        MPM.addPass(AFLCoveragePass(Opts));
      });
#endif
}

} // namespace

extern "C" LLVM_ATTRIBUTE_WEAK PassPluginLibraryInfo llvmGetPassPluginInfo() {
  return {LLVM_PLUGIN_API_VERSION, "afl-coverage", LLVM_VERSION_STRING,
          registerCallbacks};
}
