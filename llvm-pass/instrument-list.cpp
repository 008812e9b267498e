/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Reads and applies AFL_LLVM_ALLOWLIST / AFL_LLVM_DENYLIST (see
 * instrument-list.h for the format and the matching rules).
 */
#include "instrument-list.h"

#include "llvm/Demangle/Demangle.h"
#include "llvm/IR/DebugInfoMetadata.h"
#include "llvm/IR/Module.h"

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fnmatch.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace llvm;
using namespace lop;

namespace {

/// Reads the whole file Path into Text. Returns an empty string, or why it
/// could not (errno's text, or "is a directory").
std::string readFile(const std::string &Path, std::string &Text) {
  int Fd = open(Path.c_str(), O_RDONLY | O_CLOEXEC);
  if (Fd < 0)
    return std::strerror(errno);
  struct stat St;
  if (fstat(Fd, &St) == 0 && S_ISDIR(St.st_mode)) {
    close(Fd);
    return "it is a directory";
  }
  char Buf[4096];
  ssize_t N;
  while ((N = read(Fd, Buf, sizeof(Buf))) > 0)
    Text.append(Buf, static_cast<size_t>(N));
  std::string Why = N < 0 ? std::strerror(errno) : "";
  close(Fd);
  return Why;
}

/// Line with every whitespace character removed, as AFL++ reads entries.
std::string withoutSpace(StringRef Line) {
  std::string Out;
  for (char C : Line)
    if (!std::isspace(static_cast<unsigned char>(C)))
      Out += C;
  return Out;
}

/// The length of Entry's "word:" prefix (letters, then one colon not
/// followed by another, so `ns::f` has none), or 0.
size_t prefixLength(const std::string &Entry) {
  size_t I = 0;
  while (I < Entry.size() && std::isalpha(static_cast<unsigned char>(Entry[I])))
    I++;
  if (I == 0 || I >= Entry.size() || Entry[I] != ':')
    return 0;
  if (I + 1 < Entry.size() && Entry[I + 1] == ':')
    return 0;
  return I + 1;
}

/// True when every `[` of Glob opens a bracket expression that is closed.
bool bracketsClosed(const std::string &Glob) {
  for (size_t I = 0; I < Glob.size(); I++) {
    if (Glob[I] == '\\') {
      I++;
      continue;
    }
    if (Glob[I] != '[')
      continue;
    size_t J = I + 1;
    if (J < Glob.size() && (Glob[J] == '!' || Glob[J] == '^'))
      J++;
    if (J < Glob.size() && Glob[J] == ']')
      J++; // a leading ] is a member of the set
    J = Glob.find(']', J);
    if (J == std::string::npos)
      return false;
    I = J;
  }
  return true;
}

/// Files one entry (prefix already checked) into Out. Returns an empty
/// string or what is wrong with it.
std::string addEntry(const std::string &Entry, ListEntries &Out) {
  size_t Len = prefixLength(Entry);
  std::string Kind = Entry.substr(0, Len);
  std::string Glob = Entry.substr(Len);
  if (Len && Kind != "fun:" && Kind != "function:" && Kind != "src:" &&
      Kind != "source:")
    return "unknown prefix '" + Kind + "' in '" + Entry +
           "'; write fun:NAME for a function or src:PATH for a source file";
  if (Glob.empty())
    return "'" + Entry + "' names nothing; write a name or glob after it";
  if (!bracketsClosed(Glob))
    return "'" + Entry + "' has a [ without its ]; close the set or write \\[";
  bool IsFile =
      Len ? Kind[0] == 's' : Glob.find_first_of("/.") != std::string::npos;
  (IsFile ? Out.Files : Out.Functions).push_back(Glob);
  return "";
}

/// True when Name ends in something Glob matches, AFL++'s rule.
bool suffixMatch(const std::string &Glob, const std::string &Name) {
  return fnmatch(("*" + Glob).c_str(), Name.c_str(), 0) == 0;
}

/// The names F is matched by: mangled, demangled, demangled without
/// parameters (`ns::f` for `_ZN2ns1fEi`).
SmallVector<std::string, 3> functionNames(const Function &F) {
  SmallVector<std::string, 3> Names;
  std::string Mangled = F.getName().str();
  if (!Mangled.empty() && Mangled[0] == '\1')
    Mangled.erase(0, 1); // asm label marker
  Names.push_back(Mangled);
  std::string Demangled = demangle(Mangled);
  if (Demangled == Mangled)
    return Names;
  Names.push_back(Demangled);
  ItaniumPartialDemangler D;
  if (!D.partialDemangle(Mangled.c_str())) {
    size_t N = 0;
    if (char *Base = D.getFunctionName(nullptr, &N)) {
      Names.push_back(Base);
      std::free(Base);
    }
  }
  return Names;
}

/// The source paths F is matched by: the module's, as given to the
/// compiler, and the file its debug info places it in (a header).
SmallVector<std::string, 2> sourceNames(const Function &F) {
  SmallVector<std::string, 2> Names;
  Names.push_back(F.getParent()->getSourceFileName());
  if (const DISubprogram *SP = F.getSubprogram()) {
    std::string File = SP->getFilename().str();
    if (!File.empty() && File != Names[0])
      Names.push_back(File);
  }
  return Names;
}

/// Reads list file Path (named by variable Var) into Out. Returns an empty
/// string or the one error line.
std::string readList(const char *Var, const char *Path, ListEntries &Out) {
  std::string Text;
  std::string Why = readFile(Path, Text);
  if (!Why.empty())
    return std::string(Var) + "=" + Path + " cannot be read (" + Why +
           "); name a readable list file or unset it";
  std::string Error = InstrumentList::parse(Path, Text, Out);
  return Error.empty() ? Error : Error + " (" + Var + ")";
}

} // namespace

std::string InstrumentList::parse(const std::string &Path,
                                  const std::string &Text, ListEntries &Out) {
  SmallVector<StringRef, 64> Lines;
  StringRef(Text).split(Lines, '\n');
  for (size_t I = 0; I < Lines.size(); I++) {
    std::string Entry = withoutSpace(Lines[I]);
    if (Entry.empty() || Entry[0] == '#')
      continue;
    std::string Why = addEntry(Entry, Out);
    if (Why.empty())
      continue;
    std::string Where = Path;
    Where += ":";
    Where += std::to_string(I + 1);
    Where += ": ";
    return Where + Why;
  }
  return "";
}

InstrumentList InstrumentList::fromEnvironment() {
  InstrumentList L;
  const char *Allow = std::getenv("AFL_LLVM_ALLOWLIST");
  const char *Deny = std::getenv("AFL_LLVM_DENYLIST");
  if (Allow && *Allow)
    L.Error = readList("AFL_LLVM_ALLOWLIST", Allow, L.Allow);
  if (L.Error.empty() && Deny && *Deny)
    L.Error = readList("AFL_LLVM_DENYLIST", Deny, L.Deny);
  if (!L.Error.empty())
    L.Allow = L.Deny = ListEntries();
  return L;
}

bool InstrumentList::matches(const ListEntries &L, const Function &F) const {
  if (!L.Functions.empty())
    for (const std::string &Name : functionNames(F))
      for (const std::string &Glob : L.Functions)
        if (suffixMatch(Glob, Name))
          return true;
  if (!L.Files.empty())
    for (const std::string &Name : sourceNames(F))
      for (const std::string &Glob : L.Files)
        if (suffixMatch(Glob, Name))
          return true;
  return false;
}

bool InstrumentList::allows(const Function &F) const {
  if (!Deny.empty() && matches(Deny, F))
    return false;
  return Allow.empty() || matches(Allow, F);
}

PreservedAnalyses InstrumentListPass::run(Module &M, ModuleAnalysisManager &) {
  if (!List->Error.empty()) {
    M.getContext().emitError("afl-llvm-pass: " + List->Error);
    return PreservedAnalyses::all();
  }
  if (List->empty())
    return PreservedAnalyses::all();
  bool Changed = false;
  for (Function &F : M) {
    if (F.isDeclaration() || F.hasFnAttribute(Attribute::NoSanitizeCoverage))
      continue;
    if (!List->allows(F)) {
      F.addFnAttr(Attribute::NoSanitizeCoverage);
      Changed = true;
    }
  }
  return Changed ? PreservedAnalyses::none() : PreservedAnalyses::all();
}
