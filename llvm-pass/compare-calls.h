/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Which calls compare memory or strings, and which of their arguments are
 * the operands: memcmp/bcmp and their constant-time kin (pointer, pointer,
 * length), strcmp/strcasecmp and the common library wrappers (two C
 * strings), strncmp/strncasecmp and theirs (two C strings, a length), and
 * libstdc++'s std::string compare() and operator== (a std::string against a
 * C string or another std::string). CmpLog logs these operands, the
 * automatic dictionary takes their constant strings.
 */
#ifndef LOP_PASS_COMPARE_CALLS_H
#define LOP_PASS_COMPARE_CALLS_H

#include "llvm/IR/InstrTypes.h"

namespace lop {

/// The shape of a comparison routine's operands.
enum class CompareCallKind {
  None,         // not a comparison routine
  Memory,       // (a, b, n): n bytes each
  String,       // (a, b): NUL-terminated strings
  StringN,      // (a, b, n): strings, at most n bytes
  StdString,    // (std::string *a, const char *b)
  StdStringPair // (std::string *a, std::string *b)
};

/// A call to a comparison routine: its kind and operands (A, B, and the
/// length N for Memory and StringN, else null). For StdString, A is always
/// the std::string and B the C string, whatever their order in the call.
struct CompareCall {
  CompareCallKind Kind = CompareCallKind::None;
  llvm::Value *A = nullptr;
  llvm::Value *B = nullptr;
  llvm::Value *N = nullptr;
};

/// Classifies Call by its direct callee's name and prototype (pointer
/// operands, integer length). Indirect calls and anything unknown give
/// Kind None.
CompareCall classifyCompareCall(llvm::CallBase &Call);

} // namespace lop

#endif // LOP_PASS_COMPARE_CALLS_H
