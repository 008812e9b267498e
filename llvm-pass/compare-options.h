/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * The settings of the comparison passes (CmpLog and the automatic
 * dictionary), read once from the environment when the passes are created:
 * AFL_LLVM_CMPLOG and AFL_LLVM_DICT2FILE (include/envs.def). As with the
 * coverage pass's options, a bad value is kept as a message the pass
 * reports through the compiler's diagnostics.
 */
#ifndef LOP_PASS_COMPARE_OPTIONS_H
#define LOP_PASS_COMPARE_OPTIONS_H

#include <string>

namespace lop {

struct CompareOptions {
  bool CmpLog = false;  // AFL_LLVM_CMPLOG: log compare operands
  std::string DictPath; // AFL_LLVM_DICT2FILE: append tokens here, embed them
  std::string Error;    // non-empty: a variable had a bad value

  /// Reads both variables. Never fails: a dictionary file that cannot be
  /// opened for appending is described in Error and DictPath stays empty.
  static CompareOptions fromEnvironment();
};

} // namespace lop

#endif // LOP_PASS_COMPARE_OPTIONS_H
