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

#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/raw_ostream.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

using namespace llvm;

namespace {

/// F's edge lines, in the order given.
std::string edgeLines(const Function &F, ArrayRef<lop::StaticEdge> Edges) {
  std::string Text;
  raw_string_ostream OS(Text);
  StringRef Module = F.getParent()->getSourceFileName();
  for (const lop::StaticEdge &E : Edges)
    OS << E.byte() << ' ' << E.FromLoc << ' ' << E.ToLoc << ' ' << E.FromPos
       << ' ' << E.ToPos << ' ' << F.getName() << ' ' << Module << '\n';
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

lop::StaticEdge lop::staticEdge(const BlockIdGenerator &Ids, uint32_t From,
                                uint32_t To) {
  return {From, To, Ids.location(From), Ids.location(To)};
}

void lop::logEdges(const std::string &Path, Function &F,
                   ArrayRef<StaticEdge> Edges) {
  if (Path.empty() || Edges.empty())
    return;
  std::string Text = edgeLines(F, Edges);
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
