/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * afl-clang-fast and afl-clang-fast++: run lop's clang with the coverage
 * pass, the harness macros and the runtime added. This file only talks to
 * the outside world (environment, terminal, exec); every decision is made
 * by cc_options_read() and cc_plan(). Nothing is printed on stdout except
 * for -h/--help and, when stdout is a terminal, lop's line before clang's
 * --version, so configure probes see plain clang's output.
 */
#include "debug.h"
#include "env.h"
#include "plan.h"
#include "predicates.h"

#include <limits.h>
#include <unistd.h>

const char *lop_progname = "afl-clang-fast";

/* Prints the usage text on f. */
static void print_usage(FILE *f) {
  char self[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
  self[n > 0 ? n : 0] = '\0';
  /* afl-clang-fast++ is a link to the same program: name the C one. */
  char *usage = cc_usage(lop_progname, n > 0 ? self : NULL);
  fputs(usage ? usage : "usage: afl-clang-fast [clang options] file...\n", f);
  free(usage);
}

/* Warns about every AFL_* variable nothing reads (a typo, most likely). */
static void warn_unknown(char *const *envp) {
  size_t pos = 0;
  for (const char *e; (e = cc_env_next_unknown(envp, &pos));)
    WARNF("%.*s is not read by lop or AFL; check its spelling (see "
          "docs/environment.md)",
          (int)strcspn(e, "="), e);
}

/* True when argv is the one argument a (any of the NULL-ended names). */
static bool only_arg(int argc, char **argv, const char *a, const char *b) {
  return argc == 2 &&
         (strcmp(argv[1], a) == 0 || (b && strcmp(argv[1], b) == 0));
}

/* Says what main() may print on stderr: the banner on a terminal (not for
   --version, whose own line says it), unknown-variable warnings also in
   logs, but never for configure and build-system probes, which may read
   stderr. */
static void talk(int argc, char **argv, char *const *envp,
                 const struct cc_options *opt, bool version_line) {
  bool tty = isatty(STDERR_FILENO);
  struct cc_view user = {argv + 1, (size_t)argc - 1};
  if (tty || opt->debug || !cc_is_build_probe(user, cc_is_cxx_name(argv[0])))
    warn_unknown(envp);
  if (tty && !opt->quiet && !version_line) {
    char *banner =
        cc_banner(lop_progname, LOP_VERSION, LOP_LLVM_MAJOR, opt->mode);
    if (banner)
      fprintf(stderr, "%s\n", banner);
    free(banner);
  }
}

/* Reads the environment, builds the command and execs the compiler;
   returns only on errors (exit 1, one line on stderr). */
int main(int argc, char **argv, char **envp) {
  if (argc > 0 && argv[0][0]) {
    const char *slash = strrchr(argv[0], '/');
    lop_progname = slash ? slash + 1 : argv[0];
  }
  if (argc < 2) {
    print_usage(stderr);
    return 1;
  }
  if (only_arg(argc, argv, "-h", "--help")) {
    print_usage(stdout);
    return 0;
  }
  struct cc_options opt;
  char *err = NULL;
  if (cc_options_read(envp, &opt, &err) < 0)
    FATAL("%s", err ? err : "out of memory");
  /* lop's version line before clang's only for a person at a terminal:
     Meson takes the first version number of the output for clang's. */
  bool version_line =
      only_arg(argc, argv, "--version", NULL) && isatty(STDOUT_FILENO);
  talk(argc, argv, envp, &opt, version_line);
  if (version_line) {
    char *banner =
        cc_banner(lop_progname, LOP_VERSION, LOP_LLVM_MAJOR, opt.mode);
    printf("%s\n", banner ? banner : LOP_VERSION);
    fflush(stdout);
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
