/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * The phases that build the compiler's command line. Each appends one group
 * of arguments and is a pure function of the context: no environment, no
 * file system, so every phase is tested with golden argv-in/argv-out cases.
 * cc_phases_run() calls them in the order the command line gets them.
 */
#ifndef LOP_CC_PHASES_H
#define LOP_CC_PHASES_H

#include "args.h"
#include "env.h"
#include "predicates.h"

/* Everything a phase may look at, decided before the first phase runs. */
struct cc_ctx {
  const struct cc_options *opt;
  struct cc_facts facts; /* from the response-file expanded arguments */
  const char *compiler;  /* what to exec: AFL_CC/AFL_CXX or lop's clang */
  const char *obj_dir;   /* lop's objects (NULL when nothing needs them) */
  struct cc_view user;   /* the user's arguments after argv[0], as given */
};

/* The compiler itself, as argv[0]. */
void cc_phase_compiler(const struct cc_ctx *c, struct cc_args *out);

/* Classic: -fpass-plugin=<obj_dir>/afl-llvm-pass.so; pcguard:
   -fsanitize-coverage=trace-pc-guard. Only when something is compiled
   (not for pure links, -E/-M/-MM, assembly or commands without inputs). */
void cc_phase_instrument(const struct cc_ctx *c, struct cc_args *out);

/* -g -O3 -funroll-loops when the user chose no -O level and
   AFL_DONT_OPTIMIZE is off; only for commands that compile or link. */
void cc_phase_optimize(const struct cc_ctx *c, struct cc_args *out);

/* The feature and harness macros, for commands that compile. */
void cc_phase_macros(const struct cc_ctx *c, struct cc_args *out);

/* AFL_HARDEN (-fstack-protector-all, and -D_FORTIFY_SOURCE=2 when
   optimising without a sanitizer and the user leaves _FORTIFY_SOURCE
   alone) and AFL_NO_BUILTIN, for commands that compile. */
void cc_phase_harden(const struct cc_ctx *c, struct cc_args *out);

/* AFL_USE_ASAN / MSAN / UBSAN, on compile and on link steps (the
   sanitizer runtimes come in at the link). */
void cc_phase_sanitizers(const struct cc_ctx *c, struct cc_args *out);

/* The user's own arguments, in order (@file kept as is), except that
   -fsanitize= lists lose "fuzzer" and "fuzzer-no-link" (an argument left
   empty is dropped); when such a list may sit in a response file,
   -fno-sanitize=fuzzer,fuzzer-no-link follows. */
void cc_phase_user(const struct cc_ctx *c, struct cc_args *out);

/* On link steps only: afl-llvm-rt-shared.o for -shared; otherwise
   libAFLDriver.a when -fsanitize=fuzzer asks for a libFuzzer harness,
   afl-llvm-rt.o (afl-llvm-rt-32.o with -m32) and, unless -static,
   -Wl,--dynamic-list=afl-llvm-rt.dynlist. Preceded by -x none when the
   user left a -x language in effect. */
void cc_phase_runtime(const struct cc_ctx *c, struct cc_args *out);

/* Runs every phase in order into out. Returns 0 or -1 (out of memory). */
int cc_phases_run(const struct cc_ctx *c, struct cc_args *out);

#endif /* LOP_CC_PHASES_H */
