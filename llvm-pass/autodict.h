/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * The automatic dictionary (AFL_LLVM_DICT2FILE=path): the tokens a fuzzer
 * would have to guess, as the compiler sees them, collected per module:
 * the 4- and 8-byte constants of integer compares and switch cases (in
 * memory order), and the constant strings passed to comparison routines
 * (compare-calls.h), 3 to 32 bytes each. Each module appends them to the
 * file as AFL dictionary lines (`cmp="..."`, \xNN escapes) and embeds them
 * as records [u8 L][L bytes] in the section AUTODICT_SECTION, from which
 * the runtime sends them to fuzzers that ask (FS_OPT_AUTODICT).
 */
#ifndef LOP_PASS_AUTODICT_H
#define LOP_PASS_AUTODICT_H

#include "llvm/IR/Module.h"

#include <string>

namespace lop {

/// Collects M's tokens, appends them to the file Path in one O_APPEND
/// write (parallel compiles never interleave) and embeds them in M. Done
/// once per module; a module without tokens gets nothing. A failed write is
/// a compiler error through M's context. Returns the number of tokens.
unsigned buildAutoDict(llvm::Module &M, const std::string &Path);

/// One token as the value of an AFL dictionary line: printable ASCII kept,
/// `"` and `\` escaped, every other byte as \xNN.
std::string dictEscape(llvm::StringRef Token);

} // namespace lop

#endif // LOP_PASS_AUTODICT_H
