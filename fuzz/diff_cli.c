/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * The command line of lop-fuzz --diff (cli.h): its long options, and the
 * implementations' command lines, each after its own "--":
 *   lop-fuzz --diff -i in -o out -- ./impl_a @@ -- ./impl_b @@
 * A target that needs a literal "--" argument cannot be given this way.
 */
#include "cli.h"

#include <stdio.h>
#include <string.h>

static enum cli_result cli_diff_fail(char *err, size_t len, const char *what,
                                     const char *arg) {
  snprintf(err, len, what, arg);
  return CLI_ERROR;
}

enum cli_result cli_diff_option(struct fz_opts *o, int argc, char **argv,
                                int *i, char *err, size_t errlen) {
  const char *a = argv[*i];
  if (strcmp(a, "--diff") == 0)
    o->diff = true;
  else if (strcmp(a, "--diff-verdicts") == 0)
    o->diff_verdicts = true;
  else if (strcmp(a, "--diff-ignore-exit") == 0)
    o->diff_ignore_exit = true;
  else if (strcmp(a, "--diff-replay") == 0) {
    if (*i + 1 >= argc)
      return cli_diff_fail(err, errlen,
                           "%s needs a finding directory, e.g. "
                           "out/default/diffs/id:000000",
                           a);
    o->diff_replay = argv[++*i];
  } else
    return cli_diff_fail(err, errlen, "unknown option %s; see lop-fuzz -h", a);
  return CLI_RUN;
}

/* The "needs two" error of a command line with fewer implementations. */
static enum cli_result cli_diff_need_two(const struct fz_opts *o, char *err,
                                         size_t errlen) {
  return cli_diff_fail(err, errlen,
                       "%s needs at least two implementations, each after "
                       "its own --: -- ./impl_a @@ -- ./impl_b @@",
                       o->diff_replay ? "--diff-replay" : "--diff");
}

enum cli_result cli_diff_split(struct fz_opts *o, int argc, char **argv,
                               int from, char *err, size_t errlen) {
  o->n_impls = 0;
  if (from >= argc)
    return cli_diff_need_two(o, err, errlen);
  for (int i = from; i <= argc; i++) {
    if (i < argc && strcmp(argv[i], "--") != 0)
      continue;
    if (o->n_impls == DIFF_MAX_IMPLS) {
      snprintf(err, errlen, "--diff takes at most %u implementations",
               DIFF_MAX_IMPLS);
      return CLI_ERROR;
    }
    if (i == from) {
      snprintf(err, errlen,
               "implementation %zu has an empty command line: put a program "
               "after each --",
               o->n_impls + 1);
      return CLI_ERROR;
    }
    o->impls[o->n_impls++] = argv + from;
    if (i < argc)
      argv[i] = NULL;
    from = i + 1;
  }
  o->argv = o->impls[0];
  return o->n_impls < 2 ? cli_diff_need_two(o, err, errlen) : CLI_RUN;
}
