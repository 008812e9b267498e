/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * The edge-coverage pass. AFL's classic update at the start of every block,
 *   map[cur_loc ^ prev_loc]++ (NeverZero by default); prev_loc = cur_loc >> 1
 * against `__afl_area_ptr` and the thread-local `__afl_prev_loc` (both
 * defined by lop's runtime), is done with the bytes worked out when
 * compiling: within a function the previous block is known, so each edge
 * out of a branching block (critical edges split) counts in its constant
 * byte (cur_P >> 1) ^ cur_B, blocks entered only over edges that are
 * implied get nothing, and only the entry reads prev_loc, which callers set
 * to their block's cur_loc >> 1 before each call. The map pointer lives in
 * a register within a function, reloaded after calls. Each module
 * registers with the runtime at start-up, so the runtime knows the process
 * needs the full 64 KiB map.
 * With AFL_LLVM_INSTRUMENT=compact, compact.cpp instruments instead.
 * CmpLog and the automatic dictionary (compare-pass.h) run after it.
 * AFLCoverage does the work on one module, AFLCoveragePass adapts it to the
 * new pass manager, and the block at the end registers it for
 * `opt -passes=afl-coverage` and for clang's -fpass-plugin=, together with
 * PersistentLoopPass, which runs before the optimiser and keeps it from
 * copying the persistent loop's call (persistent-loop.h).
 */
#include "block-id.h"
#include "blocks.h"
#include "compact.h"
#include "compare-pass.h"
#include "compat.h"
#include "edge-log.h"
#include "options.h"
#include "persistent-loop.h"
#include "pre-coverage.h"

#include "config.h"

#include "llvm/IR/Constants.h"
#include "llvm/IR/DiagnosticInfo.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/PassManager.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Passes/PassPlugin.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;
using namespace lop;

namespace {

/// Instruments the edges of one module with AFL's classic edge coverage.
class AFLCoverage {
public:
  explicit AFLCoverage(const CoverageOptions &Opts) : Opts(Opts) {}

  /// Instruments every eligible function of M once. Returns the number of
  /// counters placed; Candidates counts the places there were.
  unsigned instrument(Module &M, unsigned &Candidates);

private:
  void declareRuntime(Module &M);
  unsigned instrumentFunction(Function &F, BlockIdGenerator &Ids,
                              unsigned &Candidates);
  void setPrevLocBeforeCalls(Function &F, const BlockIdGenerator &Ids,
                             const DenseMap<BasicBlock *, uint32_t> &Position);
  Value *entryIndex(IRBuilder<> &IRB, uint32_t CurLoc);
  void placeCounters(Function &F, const BlockIdGenerator &Ids,
                     ArrayRef<CounterBlock> Picked, ArrayRef<StaticEdge> Edges);

  const CoverageOptions &Opts;
  Type *Int32Ty = nullptr;
  Type *Int64Ty = nullptr;
  PointerType *BytePtrTy = nullptr;
  Constant *AreaPtr = nullptr;
  Constant *PrevLoc = nullptr;
};

/// Declares the runtime's globals: external, default visibility and not
/// dso_local, because in a shared library they resolve to the executable's
/// definitions at run time. prev_loc is initial-exec TLS: inside a shared
/// library general-dynamic would cost a __tls_get_addr call per access, and
/// the variable lives in the executable's (static) TLS block anyway.
void AFLCoverage::declareRuntime(Module &M) {
  LLVMContext &C = M.getContext();
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
                              GlobalVariable::InitialExecTLSModel);
  });
}

/// prev_loc matters only where a function is entered: before each call the
/// caller's block stores its cur_loc >> 1 there, as AFL's update at the
/// start of that block would have. Intrinsics and inline assembly enter no
/// instrumented code.
void AFLCoverage::setPrevLocBeforeCalls(
    Function &F, const BlockIdGenerator &Ids,
    const DenseMap<BasicBlock *, uint32_t> &Position) {
  for (BasicBlock &BB : F) {
    Constant *Prev =
        ConstantInt::get(Int32Ty, Ids.location(Position.lookup(&BB)) >> 1);
    for (Instruction &I : BB) {
      auto *Call = dyn_cast<CallBase>(&I);
      if (!Call || isa<IntrinsicInst>(Call) || isa<CallBrInst>(Call) ||
          Call->isInlineAsm())
        continue;
      // Such a callee's entry has no counter: it reads no prev_loc.
      const Function *Callee = Call->getCalledFunction();
      if (Callee && enteredOnlyByLocalCalls(*Callee))
        continue;
      noSanitize(new StoreInst(Prev, PrevLoc, Call));
    }
  }
}

/// The map byte of a function's entry: the one place whose prev_loc comes
/// from another function (the caller's block), so it is read at run time.
Value *AFLCoverage::entryIndex(IRBuilder<> &IRB, uint32_t CurLoc) {
  Value *Prev = noSanitize(IRB.CreateLoad(Int32Ty, PrevLoc));
  return IRB.CreateZExt(IRB.CreateXor(Prev, ConstantInt::get(Int32Ty, CurLoc)),
                        Int64Ty);
}

/// Counts every picked edge of F in map byte cur_loc ^ prev_loc, where
/// prev_loc is known when compiling: the cur_loc >> 1 of the block the edge
/// leaves. Only
/// the entry reads prev_loc at run time; a block entered over edges that
/// cannot be split (landing pads) counts in its own cur_loc. Calls store
/// the caller's block, even in a function with no counter of its own.
unsigned AFLCoverage::instrumentFunction(Function &F, BlockIdGenerator &Ids,
                                         unsigned &Candidates) {
  Ids.beginFunction(F.getName());
  SmallVector<CounterBlock, 32> Picked;
  pickCounterBlocks(F, Ids, Opts.Ratio, true, Picked, Candidates);
  DenseMap<BasicBlock *, uint32_t> Position;
  for (BasicBlock &BB : F)
    Position[&BB] = Position.size();
  SmallVector<StaticEdge, 32> Edges;
  for (const CounterBlock &C : Picked)
    if (C.From)
      Edges.push_back(staticEdge(Ids, Position.lookup(C.From), C.Position));
  logEdges(Opts.EdgeLogPath, F, Edges);
  markInstrumented(F);
  setPrevLocBeforeCalls(F, Ids, Position);
  if (!Picked.empty())
    placeCounters(F, Ids, Picked, Edges);
  return Picked.size();
}

/// Emits the counters of Picked (Edges: the static edges among them, in
/// the same order), against the map pointer kept in a register within the
/// function when it may be.
void AFLCoverage::placeCounters(Function &F, const BlockIdGenerator &Ids,
                                ArrayRef<CounterBlock> Picked,
                                ArrayRef<StaticEdge> Edges) {
  CachedGlobal Area[] = {{AreaPtr, BytePtrTy}};
  bool Cache = Opts.RegisterCache && canCacheInRegisters(F);
  Instruction *EntryPt = Cache ? cacheGlobals(F, Area) : nullptr;
  Value *AreaPtrAt = Cache ? static_cast<Value *>(Area[0].Slot) : AreaPtr;
  const StaticEdge *Edge = Edges.begin();
  for (const CounterBlock &C : Picked) {
    bool IsEntry = C.BB == &F.getEntryBlock();
    IRBuilder<> IRB(IsEntry && EntryPt ? EntryPt
                                       : &*C.BB->getFirstInsertionPt());
    uint32_t CurLoc = Ids.location(C.Position);
    Value *Index = IsEntry  ? entryIndex(IRB, CurLoc)
                   : C.From ? IRB.getInt64((Edge++)->byte())
                            : IRB.getInt64(CurLoc);
    Value *Map = noSanitize(IRB.CreateLoad(BytePtrTy, AreaPtrAt));
    emitCounterIncrement(IRB, IRB.CreateGEP(IRB.getInt8Ty(), Map, Index),
                         Opts.NeverZero);
  }
  if (Cache)
    syncCachedGlobals(F, Area);
}

/// Besides the updates, every instrumented module registers at start-up:
/// its indices reach MAP_SIZE - 1, so the runtime must never announce a
/// smaller map for the process.
unsigned AFLCoverage::instrument(Module &M, unsigned &Candidates) {
  Candidates = 0;
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
  if (Count)
    addRegisterCtor(M, "__afl_lop_register_classic", nullptr);
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
    if (!Opts.Coverage)
      return PreservedAnalyses::all();
    unsigned Candidates = 0;
    unsigned Count = Opts.Compact ? instrumentCompact(M, Opts, Candidates)
                                  : AFLCoverage(Opts).instrument(M, Candidates);
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
           << (Opts.Compact ? "compact map, " : "")
           << (Opts.NeverZero ? "NeverZero" : "wrapping") << " counters, ratio "
           << Opts.Ratio << "%)";
    if (Count == 0)
      errs() << ": AFL_INST_RATIO skipped all " << Candidates
             << " blocks; raise it to get coverage";
    errs() << "\n";
  }

  CoverageOptions Opts;
};

/// New-pass-manager adapter of markPersistentLoopCalls. It must run before
/// the optimiser, at the start of the pipeline.
class PersistentLoopPass : public PassInfoMixin<PersistentLoopPass> {
public:
  PreservedAnalyses run(Module &M, ModuleAnalysisManager &) {
    if (!markPersistentLoopCalls(M))
      return PreservedAnalyses::all();
    // Only attributes change: the CFG and every analysis of it stand.
    PreservedAnalyses PA;
    PA.preserveSet<CFGAnalyses>();
    return PA;
  }

  // Like the coverage itself: -O0's optnone must not drop it (an optnone
  // function can still be inlined into an optimised caller under LTO).
  static bool isRequired() { return true; }
};

/// Adds the passes for every pipeline clang and opt build, with the
/// settings read once for this pass builder: the passes that must see the
/// code first (instrument lists, laf-intel; pre-coverage.h), coverage, then
/// the comparison features when asked for.
void registerCallbacks(PassBuilder &PB) {
  CoverageOptions Opts = CoverageOptions::fromEnvironment();
  PreCoverageOptions Pre = PreCoverageOptions::fromEnvironment();
  CompareOptions Cmp = CompareOptions::fromEnvironment();
  bool WithCmp = AFLComparePass::wanted(Cmp);
  registerPreCoverageNames(PB, Pre);
  PB.registerPipelineParsingCallback(
      [Opts, Pre, Cmp](StringRef Name, ModulePassManager &MPM,
                       ArrayRef<PassBuilder::PipelineElement>) {
        if (Name == "afl-persistent-loop") {
          MPM.addPass(PersistentLoopPass());
          return true;
        }
        if (Name == "afl-cmplog") {
          MPM.addPass(AFLComparePass(Cmp));
          return true;
        }
        if (Name != "afl-coverage")
          return false;
        addPreCoveragePasses(MPM, Pre);
        MPM.addPass(AFLCoveragePass(Opts));
        return true;
      });
  // PipelineStart comes before any pass that could copy the loop's call,
  // at every -O level and in the LTO pre-link pipelines.
  PB.registerPipelineStartEPCallback(
      [](ModulePassManager &MPM, OptimizationLevel) {
        MPM.addPass(PersistentLoopPass());
      });
  // OptimizerLast runs at every -O level, -O0 included, and in the LTO
  // pre-link pipelines, so each object file is instrumented when compiled.
  PB.registerOptimizerLastEPCallback(
      [Opts, Pre, Cmp, WithCmp](ModulePassManager &MPM, OptimizationLevel) {
        addPreCoveragePasses(MPM, Pre);
        MPM.addPass(AFLCoveragePass(Opts));
        if (WithCmp)
          MPM.addPass(AFLComparePass(Cmp));
      });
#if LOP_HAVE_FULL_LTO_LAST_EP
  PB.registerFullLinkTimeOptimizationLastEPCallback(
      [Opts, Pre, Cmp, WithCmp](ModulePassManager &MPM, OptimizationLevel) {
        addPreCoveragePasses(MPM, Pre);
        MPM.addPass(AFLCoveragePass(Opts));
        if (WithCmp)
          MPM.addPass(AFLComparePass(Cmp));
      });
#endif
}

} // namespace

extern "C" LLVM_ATTRIBUTE_WEAK PassPluginLibraryInfo llvmGetPassPluginInfo() {
  return {LLVM_PLUGIN_API_VERSION, "afl-coverage", LLVM_VERSION_STRING,
          registerCallbacks};
}
