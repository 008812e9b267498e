/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Self-fuzzing harness of the wrapper's whole decision short of exec:
 * environment reading (afl-cc/env.c), response-file expansion (rsp.c) and
 * argv planning (plan.c and the phases). Testcase, in NUL-separated parts:
 * the arguments one a line (the first line is argv[0], so it picks C or
 * C++), the contents of three response files, named 100, 101 and 102 (so
 * "@100" names the first), and the environment as NAME=value lines. Checks that
 * a plan keeps the user's arguments in order after lop's and that every error
 * is one line.
 */
#include "env.h"
#include "plan.h"
#include "rsp.h"

#include "harness.h"

#include <sys/mman.h>

#define MAX_ARGS 128
#define MAX_ENV 16
#define RSP_FILES 3

/* The lop tree the harness was built in: its bin/ and lib/lop. */
#ifndef SELFFUZZ_LOP_ROOT
#error "build with -DSELFFUZZ_LOP_ROOT=<lop checkout> (make selffuzz-harnesses)"
#endif

/* The response files live in memory (memfd) on these descriptors, and the
   harness works in /proc/self/fd, so "@100" names the first: no file is
   left behind when a fuzzer kills the harness. */
#define RSP_FD0 100

/* Opens the in-memory response files and enters /proc/self/fd, once. */
static void enter_work_dir(void) {
  static bool entered;
  if (entered)
    return;
  for (int i = 0; i < RSP_FILES; i++) {
    int fd = memfd_create("lop-selffuzz-rsp", 0);
    if (fd < 0 || dup2(fd, RSP_FD0 + i) < 0)
      abort();
    close(fd);
  }
  if (chdir("/proc/self/fd") != 0)
    abort();
  entered = true;
}

/* Replaces the contents of response file i with text (NULL: empty). */
static void put_rsp(int i, const char *text) {
  size_t n = text ? strlen(text) : 0;
  if (ftruncate(RSP_FD0 + i, 0) != 0 ||
      pwrite(RSP_FD0 + i, text ? text : "", n, 0) != (ssize_t)n)
    abort();
}

/* Splits part (NUL-terminated) at newlines into v[0..max), NULL-ended. */
static size_t lines(char *part, char **v, size_t max) {
  size_t n = 0;
  char *end = part ? part + strlen(part) : NULL;
  for (char *l; n < max && (l = next_part(&part, end, '\n'));)
    v[n++] = l;
  v[n] = NULL;
  return n;
}

/* The user's arguments must follow the compiler, in order, unchanged. */
static void check_plan(char *const *argv, int argc, const struct cc_args *cmd) {
  CHECK(cmd->n >= 1 && cmd->v[0] && !cmd->v[cmd->n]);
  size_t at = 1;
  for (int i = 1; i < argc; i++) {
    while (at < cmd->n && strcmp(cmd->v[at], argv[i]) != 0)
      at++;
    CHECK(at < cmd->n);
    at++;
  }
}

/* Plans the command of argv under envp and checks the outcome. */
static void plan_once(char **argv, int argc, char **envp) {
  struct cc_options opt;
  char *err = NULL;
  if (cc_options_read(envp, &opt, &err) < 0) {
    CHECK(err && strchr(err, ';') && !strchr(err, '\n'));
    free(err);
    return;
  }
  struct cc_plan_in in = {argc,
                          argv,
                          &opt,
                          SELFFUZZ_LOP_ROOT "/bin/afl-clang-fast",
                          "/nonexistent/lib/lop",
                          "/usr/bin"};
  struct cc_args cmd;
  cc_args_init(&cmd);
  if (cc_plan(&in, &cmd, &err) == 0)
    check_plan(argv, argc, &cmd);
  else
    CHECK(!err || (strchr(err, ';') && !strchr(err, '\n')));
  free(err);
  cc_args_free(&cmd);
}

static void one_input(char *data, size_t len) {
  char *end = data + len, *rest = data;
  char *parts[RSP_FILES + 2] = {NULL};
  for (int i = 0; i < RSP_FILES + 2; i++)
    parts[i] = next_part(&rest, end, '\0');
  enter_work_dir();
  for (int i = 0; i < RSP_FILES; i++)
    put_rsp(i, parts[i + 1]);
  char *argv[MAX_ARGS + 1], *envp[MAX_ENV + 1];
  int argc = (int)lines(parts[0], argv, MAX_ARGS);
  lines(parts[RSP_FILES + 1], envp, MAX_ENV);
  if (argc == 0)
    return;
  plan_once(argv, argc, envp);
}
