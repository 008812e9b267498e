/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Reads the pass settings from the environment, once, into CoverageOptions.
 * Values are validated here so that `opt` users, who do not go through the
 * wrapper's checks, get the same clear message for a bad value.
 */
#include "options.h"

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <strings.h>
#include <unistd.h>

using namespace lop;

/// Returns the value of Name, or nullptr when it is unset or empty: an
/// empty assignment (`AFL_SEED= make`) means "not given" in build scripts.
static const char *envValue(const char *Name) {
  const char *Value = std::getenv(Name);
  return (Value && *Value) ? Value : nullptr;
}

/// A switch variable is on when it is set, non-empty and not "0", so that
/// `AFL_QUIET=0` switches quiet mode off as users expect.
static bool envFlag(const char *Name) {
  const char *Value = envValue(Name);
  return Value && std::strcmp(Value, "0") != 0;
}

bool lop::parseU64(const char *Text, uint64_t &Out) {
  int Base = 10;
  if (Text[0] == '0' && (Text[1] == 'x' || Text[1] == 'X')) {
    Base = 16;
    Text += 2;
  }
  // strtoull accepts a sign and leading blanks; a number here must not.
  if (!std::isxdigit(static_cast<unsigned char>(Text[0])))
    return false;
  char *End = nullptr;
  errno = 0;
  unsigned long long Value = std::strtoull(Text, &End, Base);
  if (errno != 0 || *End != '\0')
    return false;
  Out = Value;
  return true;
}

CoverageOptions CoverageOptions::fromEnvironment() {
  CoverageOptions Opts;
  Opts.NeverZero = !envFlag("AFL_LLVM_SKIP_NEVERZERO");
  Opts.RegisterCache = !envFlag("AFL_LLVM_NO_REGISTER_CACHE");
  // The wrapper rejects unknown modes; pcguard never loads the pass.
  const char *Mode = envValue("AFL_LLVM_INSTRUMENT");
  Opts.Compact = Mode && strcasecmp(Mode, "compact") == 0;
  // In pcguard mode the wrapper loads the plugin only for the passes before
  // coverage (laf-intel, instrument lists), CmpLog or the dictionary.
  Opts.Pcguard =
      (Mode && strcasecmp(Mode, "pcguard") == 0) || envFlag("AFL_TRACE_PC");
  Opts.Coverage = !Opts.Pcguard;
  // Configure scripts parse compiler output: talk only on a terminal, or
  // when asked to with AFL_DEBUG, and never under AFL_QUIET.
  Opts.Report =
      !envFlag("AFL_QUIET") && (isatty(STDERR_FILENO) || envFlag("AFL_DEBUG"));

  if (const char *Seed = envValue("AFL_SEED")) {
    if (!parseU64(Seed, Opts.Seed)) {
      Opts.Seed = 0;
      Opts.Error = std::string("AFL_SEED=") + Seed +
                   " is not a number; unset it or use a decimal or 0x hex "
                   "integer";
      return Opts;
    }
  }
  if (const char *Ratio = envValue("AFL_INST_RATIO")) {
    uint64_t Value = 0;
    if (!parseU64(Ratio, Value) || Value < 1 || Value > 100) {
      Opts.Error = std::string("AFL_INST_RATIO=") + Ratio +
                   " is not a percentage from 1 to 100; unset it or use a "
                   "whole number from 1 to 100";
      return Opts;
    }
    Opts.Ratio = static_cast<unsigned>(Value);
  }
  if (const char *Log = envValue("LOP_EDGE_LOG")) {
    // Open it now, once, so a bad path is one clear error, not one per
    // function.
    int Fd = open(Log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (Fd < 0) {
      Opts.Error = std::string("LOP_EDGE_LOG=") + Log +
                   " cannot be opened for appending (" + std::strerror(errno) +
                   "); name a writable file or unset it";
      return Opts;
    }
    close(Fd);
    Opts.EdgeLogPath = Log;
  }
  return Opts;
}
