/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * The automatic dictionary (see autodict.h).
 */
#include "autodict.h"

#include "compare-calls.h"
#include "compat.h"

#include "config.h"

#include "llvm/ADT/SetVector.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/Instructions.h"
#include "llvm/Transforms/Utils/ModuleUtils.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <set>
#include <unistd.h>
#include <vector>

using namespace llvm;
using namespace lop;

namespace {

/// Named metadata marking a module whose tokens were taken (LTO pre-link
/// and link would otherwise take them twice).
constexpr const char *AutoDictMarker = "lop.autodict";

/// The tokens of one module, in the order first seen, each once.
using TokenSet =
    SetVector<std::string, std::vector<std::string>, std::set<std::string>>;

/// Adds Bytes (cut to AUTODICT_TOKEN_MAX) unless shorter than
/// AUTODICT_TOKEN_MIN or one byte repeated, which a fuzzer's own
/// mutations already try.
void addToken(TokenSet &Tokens, StringRef Bytes) {
  Bytes = Bytes.take_front(AUTODICT_TOKEN_MAX);
  if (Bytes.size() < AUTODICT_TOKEN_MIN ||
      Bytes.find_first_not_of(Bytes[0]) == StringRef::npos)
    return;
  Tokens.insert(Bytes.str());
}

/// A 4- or 8-byte integer constant as the bytes it has in memory
/// (little-endian x86-64 and AArch64 alike). Small values (-256..255: a
/// length, a character, a flag) are left out: arithmetic mutations reach
/// them, and as tokens they would only crowd the dictionary.
void addInteger(TokenSet &Tokens, const ConstantInt *C) {
  unsigned Bits = C->getBitWidth();
  if ((Bits != 32 && Bits != 64) || C->getValue().getNumSignBits() >= Bits - 8)
    return;
  uint64_t V = C->getZExtValue();
  char Bytes[8];
  for (unsigned I = 0; I < Bits / 8; ++I)
    Bytes[I] = static_cast<char>(V >> (8 * I));
  addToken(Tokens, StringRef(Bytes, Bits / 8));
}

/// The constant bytes an operand V of a comparison routine points to, as
/// far as the routine reads them: up to the NUL for strings, N bytes for
/// lengths known when compiling.
void addOperand(TokenSet &Tokens, Value *V, const CompareCall &Cmp) {
  bool IsMemory = Cmp.Kind == CompareCallKind::Memory;
  StringRef Str;
  if (!constantString(V, Str, !IsMemory))
    return;
  if (auto *N = dyn_cast_or_null<ConstantInt>(Cmp.N))
    Str = Str.take_front(N->getLimitedValue(AUTODICT_TOKEN_MAX));
  addToken(Tokens, Str);
}

/// Collects the tokens of one instruction.
void collect(TokenSet &Tokens, Instruction &I) {
  if (auto *ICmp = dyn_cast<ICmpInst>(&I)) {
    for (Value *Op : ICmp->operands())
      if (auto *C = dyn_cast<ConstantInt>(Op))
        addInteger(Tokens, C);
  } else if (auto *SI = dyn_cast<SwitchInst>(&I)) {
    for (auto &Case : SI->cases())
      addInteger(Tokens, Case.getCaseValue());
  } else if (auto *Call = dyn_cast<CallBase>(&I)) {
    CompareCall Cmp = classifyCompareCall(*Call);
    if (Cmp.Kind == CompareCallKind::None ||
        Cmp.Kind == CompareCallKind::StdStringPair)
      return;
    if (Cmp.Kind != CompareCallKind::StdString)
      addOperand(Tokens, Cmp.A, Cmp);
    addOperand(Tokens, Cmp.B, Cmp);
  }
}

/// The dictionary lines of Tokens, one `cmp="..."` each.
std::string dictLines(const TokenSet &Tokens) {
  std::string Text;
  for (const std::string &T : Tokens)
    Text += "cmp=\"" + dictEscape(T) + "\"\n";
  return Text;
}

/// Appends Text to Path in one write; false (errno set) on failure.
bool appendFile(const std::string &Path, const std::string &Text) {
  int Fd = open(Path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (Fd < 0)
    return false;
  ssize_t N = write(Fd, Text.data(), Text.size());
  int Err = errno;
  close(Fd);
  errno = Err;
  return N == static_cast<ssize_t>(Text.size());
}

/// Embeds Tokens as records [u8 L][L bytes] in a private constant of the
/// section AUTODICT_SECTION, alignment 1 so that the linker concatenates
/// the modules' records without padding; llvm.used keeps it (with
/// SHF_GNU_RETAIN where the linker knows it) through --gc-sections.
void embed(Module &M, const TokenSet &Tokens) {
  std::string Blob;
  for (const std::string &T : Tokens) {
    Blob += static_cast<char>(T.size());
    Blob += T;
  }
  Constant *Init =
      ConstantDataArray::getString(M.getContext(), Blob, /*AddNull=*/false);
  auto *GV =
      new GlobalVariable(M, Init->getType(), true, GlobalValue::PrivateLinkage,
                         Init, "__lop_autodict");
  GV->setSection(AUTODICT_SECTION);
  GV->setAlignment(Align(1));
  appendToUsed(M, {GV});
}

} // namespace

std::string lop::dictEscape(StringRef Token) {
  static const char Hex[] = "0123456789abcdef";
  std::string Out;
  for (unsigned char C : Token) {
    if (C == '"' || C == '\\') {
      Out += '\\';
      Out += static_cast<char>(C);
    } else if (C >= 0x20 && C < 0x7f) {
      Out += static_cast<char>(C);
    } else {
      Out += "\\x";
      Out += Hex[C >> 4];
      Out += Hex[C & 15];
    }
  }
  return Out;
}

unsigned lop::buildAutoDict(Module &M, const std::string &Path) {
  if (M.getNamedMetadata(AutoDictMarker))
    return 0;
  M.getOrInsertNamedMetadata(AutoDictMarker);
  TokenSet Tokens;
  for (Function &F : M)
    for (BasicBlock &BB : F)
      for (Instruction &I : BB)
        collect(Tokens, I);
  if (Tokens.empty())
    return 0;
  if (!appendFile(Path, dictLines(Tokens)))
    M.getContext().emitError("afl-llvm-pass: cannot append to "
                             "AFL_LLVM_DICT2FILE=" +
                             Path + " (" + std::strerror(errno) +
                             "); name a writable file or unset it");
  embed(M, Tokens);
  return Tokens.size();
}
