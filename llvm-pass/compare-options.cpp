/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Reads AFL_LLVM_CMPLOG and AFL_LLVM_DICT2FILE into CompareOptions.
 */
#include "compare-options.h"

#include "env_flag.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

using namespace lop;

CompareOptions CompareOptions::fromEnvironment() {
  CompareOptions Opts;
  Opts.CmpLog = lop_env_flag(std::getenv("AFL_LLVM_CMPLOG"));
  const char *Dict = std::getenv("AFL_LLVM_DICT2FILE");
  if (!Dict || !*Dict)
    return Opts;
  // Opened now, once, so a bad path is one clear error for the compile,
  // not one per module, and no module is compiled without its tokens.
  int Fd = open(Dict, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (Fd < 0) {
    Opts.Error = std::string("AFL_LLVM_DICT2FILE=") + Dict +
                 " cannot be opened for appending (" + std::strerror(errno) +
                 "); name a writable file or unset it";
    return Opts;
  }
  close(Fd);
  Opts.DictPath = Dict;
  return Opts;
}
