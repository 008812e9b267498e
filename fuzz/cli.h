/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * lop-fuzz's command line and AFL_* environment, parsed into one options
 * struct by pure functions (no printing, no exiting): afl-fuzz's everyday
 * options and the variables users set for it (include/envs.def rows with
 * reader "lop-fuzz").
 */
#ifndef LOP_FUZZ_CLI_H
#define LOP_FUZZ_CLI_H

#include "diff_cmp.h"
#include "sched.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Most -x dictionaries one command line may name. */
#define CLI_MAX_DICTS 16U
/* Longest instance name (-M/-S), characters (AFL++'s limit). */
#define CLI_NAME_MAX 32U
/* Largest -t, ms: poll()'s int timeout times FORK_WAIT_MULT must not
   overflow (about 2.4 days is more than any run needs). */
#define CLI_TIMEOUT_MAX 200000000U

struct fz_opts {
  const char *in_dir;  /* -i; NULL with resume */
  bool resume;         /* -i - (or AFL_AUTORESUME with an earlier run) */
  const char *out_dir; /* -o: the sync directory */
  const char *name;    /* -M/-S name, "default" without either */
  bool is_main;        /* -M */
  bool is_secondary;   /* -S */
  const char *dicts[CLI_MAX_DICTS];
  size_t n_dicts;
  uint32_t timeout_ms; /* -t; 0 = derived from calibration */
  bool skip_slow;      /* -t N+: seeds slower than the timeout are skipped */
  uint32_t mem_mb;     /* -m; 0 = none */
  uint64_t max_secs;   /* -V; 0 = no limit */
  uint64_t max_execs;  /* -E; 0 = no limit */
  uint64_t seed;       /* -s */
  bool seed_given;
  const char *file; /* -f */
  bool det;         /* -D */
  /* -c: the CmpLog build of the target for the input-to-state stage; "0"
     means the target itself is one (afl-fuzz's -c 0); NULL = no stage */
  const char *cmplog;
  enum sched_kind sched;
  char **argv;      /* the target's command line (points into argv) */
  char **fuzz_argv; /* lop-fuzz's own command line, whole (argv of main) */
  /* environment */
  bool no_ui, autoresume, bench_until_crash, exit_when_done;
  bool no_affinity, try_affinity, import_first;
  uint32_t map_size;      /* AFL_MAP_SIZE; 0 = the target's */
  const char *tmpdir;     /* AFL_TMPDIR */
  uint32_t hang_tmout_ms; /* AFL_HANG_TMOUT; 0 = default */
  int crash_exitcode;     /* AFL_CRASH_EXITCODE; -1 = none */
  const char *preload;    /* AFL_PRELOAD */
  const char *target_env; /* AFL_TARGET_ENV */
  uint32_t sync_secs;     /* AFL_SYNC_TIME (minutes) in seconds */
  /* --diff (docs/differential.md; fuzz/diff_cli.c) */
  bool diff, diff_verdicts, diff_ignore_exit;
  const char *diff_replay;      /* --diff-replay DIR */
  size_t n_impls;               /* implementations given */
  char **impls[DIFF_MAX_IMPLS]; /* their command lines; [0] = argv */
};

/* What cli_parse decided. */
enum cli_result { CLI_RUN, CLI_HELP, CLI_ERROR };

/* Parse argv (argv[0] is the program) and the environment through get
   (getenv in lop-fuzz, a table in tests). On CLI_ERROR err holds one line
   saying what is wrong and what to do. */
enum cli_result cli_parse(int argc, char **argv,
                          const char *(*get)(const char *), struct fz_opts *o,
                          char *err, size_t errlen);

/* diff_cli.c: the --diff option at argv[*i] ("--diff", "--diff-replay
   DIR", "--diff-verdicts", "--diff-ignore-exit"); *i moves past a value. */
enum cli_result cli_diff_option(struct fz_opts *o, int argc, char **argv,
                                int *i, char *err, size_t errlen);

/* diff_cli.c: with --diff or --diff-replay, cut the command lines from
   argv[from] on at each further "--" (replaced by NULL) into o->impls;
   at least two, none empty. */
enum cli_result cli_diff_split(struct fz_opts *o, int argc, char **argv,
                               int from, char *err, size_t errlen);

/* The usage text of -h and of lop-fuzz without arguments. */
const char *cli_usage(void);

#endif /* LOP_FUZZ_CLI_H */
