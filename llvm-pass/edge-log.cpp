/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Writes the static edge log (see edge-log.h). One line per edge:
 *   BYTE CUR_P CUR_B P B FUNCTION MODULE
 * BYTE is the map byte (CUR_P >> 1) ^ CUR_B, P and B the blocks' positions
 * in the function, MODULE the module's source file name (last, so it may
 * hold spaces). Function, positions and module make every line of a program
 * distinct, also when two edges have the same ids.
 */
#include "edge-log.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/IR/CFG.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

using namespace llvm;

namespace {

/// The blocks of one function: position of every block, cur_loc of the
/// instrumented ones.
struct BlockInfo {
  DenseMap<const BasicBlock *, unsigned> Position;
  DenseMap<const BasicBlock *, uint32_t> CurLoc;
};

/// The instrumented blocks reached from P's successors through
/// uninstrumented blocks only, sorted by position. P itself is among them
/// when a path leads back to it (a loop).
SmallVector<const BasicBlock *, 8> edgeTargets(const BasicBlock *P,
                                               const BlockInfo &Info) {
  SmallVector<const BasicBlock *, 8> Targets;
  SmallPtrSet<const BasicBlock *, 16> Seen;
  SmallVector<const BasicBlock *, 16> Work;
  for (const BasicBlock *S : successors(P))
    Work.push_back(S);
  while (!Work.empty()) {
    const BasicBlock *BB = Work.pop_back_val();
    if (!Seen.insert(BB).second)
      continue;
    if (Info.CurLoc.count(BB))
      Targets.push_back(BB);
    else
      for (const BasicBlock *S : successors(BB))
        Work.push_back(S);
  }
  std::sort(Targets.begin(), Targets.end(),
            [&](const BasicBlock *A, const BasicBlock *B) {
              return Info.Position.lookup(A) < Info.Position.lookup(B);
            });
  return Targets;
}

/// F's edge lines, in the order of the instrumented blocks.
std::string edgeLines(const Function &F, ArrayRef<lop::PickedBlock> Picked) {
  BlockInfo Info;
  unsigned Index = 0;
  for (const BasicBlock &BB : F)
    Info.Position[&BB] = Index++;
  for (const auto &P : Picked)
    Info.CurLoc[P.first] = P.second;
  std::string Text;
  raw_string_ostream OS(Text);
  StringRef Module = F.getParent()->getSourceFileName();
  for (const auto &P : Picked) {
    uint32_t Prev = P.second >> 1;
    for (const BasicBlock *B : edgeTargets(P.first, Info)) {
      uint32_t Cur = Info.CurLoc.lookup(B);
      OS << (Prev ^ Cur) << ' ' << P.second << ' ' << Cur << ' '
         << Info.Position.lookup(P.first) << ' ' << Info.Position.lookup(B)
         << ' ' << F.getName() << ' ' << Module << '\n';
    }
  }
  return OS.str();
}

/// Appends Text to Path in one write. Returns 0, or the errno of the failure.
int appendWhole(const std::string &Path, const std::string &Text) {
  int Fd = open(Path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (Fd < 0)
    return errno;
  ssize_t Written = write(Fd, Text.data(), Text.size());
  int Err = Written < 0 ? errno : 0;
  if (!Err && static_cast<size_t>(Written) != Text.size())
    Err = ENOSPC;
  if (close(Fd) != 0 && !Err)
    Err = errno;
  return Err;
}

} // namespace

void lop::logEdges(const std::string &Path, Function &F,
                   ArrayRef<PickedBlock> Picked) {
  if (Path.empty() || Picked.empty())
    return;
  std::string Text = edgeLines(F, Picked);
  if (Text.empty())
    return;
  // One error per module is enough: the compile fails either way.
  static const Module *Reported = nullptr;
  int Err = appendWhole(Path, Text);
  if (Err && Reported != F.getParent()) {
    Reported = F.getParent();
    F.getContext().emitError(
        "afl-llvm-pass: cannot append to LOP_EDGE_LOG=" + Path + ": " +
        std::strerror(Err) + "; name a writable file or unset it");
  }
}
