/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * AFL_LLVM_ALLOWLIST and AFL_LLVM_DENYLIST, in AFL++'s format: one entry a
 * line, whitespace ignored, `#` starts a comment line; `fun:` or
 * `function:` names functions, `src:` or `source:` source files, and an
 * entry without a prefix is a file when it holds a `/` or a `.`, else a
 * function. Entries are globs matched against the end of the name
 * (fnmatch of "*" + entry): functions by their mangled name, their
 * demangled name and their demangled name without parameters; files by the
 * module's source path as given to the compiler and by the function's
 * debug-info file. A denied function, or with an allowlist a function
 * neither it nor its file is listed for, is not instrumented by any lop
 * pass: afl-instrument-list gives it the `nosanitize_coverage` attribute,
 * which every pass (and clang's own SanitizerCoverage) leaves alone.
 */
#ifndef LOP_PASS_INSTRUMENT_LIST_H
#define LOP_PASS_INSTRUMENT_LIST_H

#include "llvm/IR/Function.h"
#include "llvm/IR/PassManager.h"

#include <memory>
#include <string>
#include <vector>

namespace lop {

/// The entries of one list file, split by kind.
struct ListEntries {
  std::vector<std::string> Files;
  std::vector<std::string> Functions;
  bool empty() const { return Files.empty() && Functions.empty(); }
};

/// Both lists, read once. A list that cannot be read or has a bad line
/// leaves Error set ("FILE:LINE: what; what to do") and allows everything.
class InstrumentList {
public:
  /// Reads the files AFL_LLVM_ALLOWLIST and AFL_LLVM_DENYLIST name.
  static InstrumentList fromEnvironment();

  /// Parses Text, the contents of list file Path, into Out. Returns an
  /// empty string, or the error for the first bad line.
  static std::string parse(const std::string &Path, const std::string &Text,
                           ListEntries &Out);

  /// True when F may be instrumented: not denied (by name or file) and,
  /// when there is an allowlist, allowed by name or by file.
  bool allows(const llvm::Function &F) const;

  /// True when neither list was given.
  bool empty() const { return Allow.empty() && Deny.empty(); }

  std::string Error;

private:
  bool matches(const ListEntries &L, const llvm::Function &F) const;

  ListEntries Allow, Deny;
};

/// Marks every function the lists exclude `nosanitize_coverage`, or
/// reports the lists' error through the compiler's diagnostics.
class InstrumentListPass : public llvm::PassInfoMixin<InstrumentListPass> {
public:
  explicit InstrumentListPass(std::shared_ptr<const InstrumentList> List)
      : List(std::move(List)) {}
  llvm::PreservedAnalyses run(llvm::Module &M, llvm::ModuleAnalysisManager &);
  static bool isRequired() { return true; }

private:
  std::shared_ptr<const InstrumentList> List;
};

} // namespace lop

#endif // LOP_PASS_INSTRUMENT_LIST_H
