/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * The wrapper's whole decision, short of exec: from the options, the
 * command line and where the wrapper lives, the exact argv to run. Also the
 * texts main() prints (usage, banner, the AFL_DEBUG command line). Nothing
 * here prints or exits, so every outcome is unit tested.
 */
#ifndef LOP_CC_PLAN_H
#define LOP_CC_PLAN_H

#include "args.h"
#include "env.h"

/* What cc_plan() works from. */
struct cc_plan_in {
  int argc;                     /* as main() got it, argv[0] included */
  char *const *argv;            /* argv[0] decides C or C++ ("...++") */
  const struct cc_options *opt; /* from cc_options_read() */
  const char *self_exe;         /* the wrapper's own path (NULL if unknown) */
  const char *install_dir;      /* compiled-in object directory (LOP_LIB_DIR) */
  const char *clang_dir;        /* bindir of lop's LLVM (LOP_CLANG_DIR) */
};

/* Builds the compiler command into out (empty on entry). Returns 0, or -1
   with *err set: no arguments, response files over their limits (see
   cc_rsp_expand), objects not found, the 32-bit runtime
   missing for an -m32 link, or out of memory (*err NULL). */
int cc_plan(const struct cc_plan_in *in, struct cc_args *out, char **err);

/* The compiler cc_plan() runs: AFL_CXX/AFL_CC, else clang_dir/clang++ or
   clang_dir/clang. Allocated; NULL when out of memory. */
char *cc_compiler_path(const struct cc_options *opt, bool cxx,
                       const char *clang_dir);

/* Usage text for -h/--help and a run without arguments (several lines):
   what lop is, how to build a project with the wrapper at self_exe (its
   full path, or progname when NULL), the key variables, where the docs
   are. Allocated; NULL when out of memory. */
char *cc_usage(const char *progname, const char *self_exe);

/* The terminal banner: "<prog> <version> (lop, LLVM <major>, <mode> mode)". */
char *cc_banner(const char *progname, const char *version, int llvm_major,
                enum cc_mode mode);

/* The arguments joined by single spaces (what AFL_DEBUG prints). */
char *cc_join(struct cc_view v);

#endif /* LOP_CC_PLAN_H */
