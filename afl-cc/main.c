/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * afl-clang-fast and afl-clang-fast++: run lop's clang with the coverage
 * pass, the harness macros and the runtime added. This file only talks to
 * the outside world (environment, terminal, exec); every decision is made
 * by cc_options_read() and cc_plan(). Nothing is ever printed on stdout, so
 * configure probes see plain clang's output.
 */
#include "debug.h"
#include "env.h"
#include "plan.h"

#include <limits.h>
#include <unistd.h>

const char *lop_progname = "afl-clang-fast";

/* Reads the environment, builds the command and execs the compiler;
   returns only on errors (exit 1, one line on stderr). */
int main(int argc, char **argv, char **envp) {
  if (argc > 0 && argv[0][0]) {
    const char *slash = strrchr(argv[0], '/');
    lop_progname = slash ? slash + 1 : argv[0];
  }
  if (argc < 2) {
    char *usage = cc_usage(lop_progname);
    fputs(usage ? usage : "usage: afl-clang-fast [clang options] file...\n",
          stderr);
    free(usage);
    return 1;
  }
  struct cc_options opt;
  char *err = NULL;
  if (cc_options_read(envp, &opt, &err) < 0)
    FATAL("%s", err ? err : "out of memory");
  bool tty = isatty(STDERR_FILENO);
  if (tty || opt.debug) {
    size_t pos = 0;
    for (const char *e; (e = cc_env_next_unknown(envp, &pos));)
      WARNF("%.*s is not read by lop or AFL; check its spelling (see "
            "docs/wrapper.md)",
            (int)strcspn(e, "="), e);
  }
  if (tty && !opt.quiet) {
    char *banner =
        cc_banner(lop_progname, LOP_VERSION, LOP_LLVM_MAJOR, opt.mode);
    if (banner)
      fprintf(stderr, "%s\n", banner);
    free(banner);
  }
  char self[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
  self[n > 0 ? n : 0] = '\0';
  struct cc_plan_in in = {argc,        argv,         &opt, n > 0 ? self : NULL,
                          LOP_LIB_DIR, LOP_CLANG_DIR};
  struct cc_args cmd;
  cc_args_init(&cmd);
  if (cc_plan(&in, &cmd, &err) < 0)
    FATAL("%s", err ? err : "out of memory");
  if (opt.debug) {
    char *line = cc_join(cc_args_view(&cmd));
    SAYF("%s", line ? line : cmd.v[0]);
    free(line);
  }
  execvp(cmd.v[0], cmd.v);
  FATAL("cannot run %s: %s; install clang-%d or set AFL_CC/AFL_CXX", cmd.v[0],
        strerror(errno), LOP_LLVM_MAJOR);
}
