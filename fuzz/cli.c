/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Options and environment of lop-fuzz (cli.h). A small parser of its own
 * instead of getopt: pure, re-entrant for tests, and it stops at "--" or
 * at the first non-option, where the target's command line begins.
 */
#include "cli.h"

#include "config.h"
#include "env_flag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Options that take a value (afl-fuzz's letters). */
#define CLI_VALUE_OPTS "ioMSxtmVEsfpc"

static enum cli_result cli_fail(char *err, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static enum cli_result cli_fail(char *err, size_t len, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  /* va_start above initialises ap; clang-analyzer 14 reports it wrongly.
     NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized) */
  vsnprintf(err, len, fmt, ap);
  va_end(ap);
  return CLI_ERROR;
}

/* Decimal in [min, max], the whole string. */
static bool cli_num(const char *s, uint64_t min, uint64_t max, uint64_t *out) {
  char *end;
  if (!s || *s < '0' || *s > '9')
    return false;
  unsigned long long v = strtoull(s, &end, 10);
  if (*end || v < min || v > max)
    return false;
  *out = v;
  return true;
}

/* [A-Za-z0-9_-], 1..CLI_NAME_MAX characters: it becomes a directory. */
static bool cli_name_ok(const char *s) {
  size_t n = strlen(s);
  if (n == 0 || n > CLI_NAME_MAX)
    return false;
  return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                   "0123456789_-") == n;
}

static enum cli_result cli_timeout(struct fz_opts *o, const char *v, char *err,
                                   size_t len) {
  char buf[32];
  size_t n = strlen(v);
  if (n && n < sizeof(buf) && v[n - 1] == '+') {
    memcpy(buf, v, n - 1);
    buf[n - 1] = 0;
    o->skip_slow = true;
    v = buf;
  }
  uint64_t t;
  if (!cli_num(v, 1, CLI_TIMEOUT_MAX, &t))
    return cli_fail(err, len,
                    "-t needs a timeout in ms from 1 to %u (optionally "
                    "followed by '+'), not '%s'",
                    CLI_TIMEOUT_MAX, v);
  o->timeout_ms = (uint32_t)t;
  return CLI_RUN;
}

static enum cli_result cli_mem(struct fz_opts *o, const char *v, char *err,
                               size_t len) {
  uint64_t m;
  if (strcmp(v, "none") == 0 || strcmp(v, "0") == 0) {
    o->mem_mb = 0;
    return CLI_RUN;
  }
  if (!cli_num(v, 1, 1U << 30, &m))
    return cli_fail(err, len, "-m needs a limit in MB or 'none', not '%s'", v);
  o->mem_mb = (uint32_t)m;
  return CLI_RUN;
}

static enum cli_result cli_instance(struct fz_opts *o, char opt, const char *v,
                                    char *err, size_t len) {
  if (o->is_main || o->is_secondary)
    return cli_fail(err, len,
                    "-M and -S may be given only once, together "
                    "with one name");
  if (!cli_name_ok(v))
    return cli_fail(err, len,
                    "-%c name '%s' must be 1 to %u of A-Z a-z 0-9 _ -", opt, v,
                    CLI_NAME_MAX);
  o->name = v;
  o->is_main = opt == 'M';
  o->is_secondary = opt == 'S';
  return CLI_RUN;
}

/* One option with its value (NULL for flags). */
static enum cli_result cli_option(struct fz_opts *o, char opt, const char *v,
                                  char *err, size_t len) {
  uint64_t n;
  switch (opt) {
  case 'i':
    o->resume = strcmp(v, "-") == 0;
    o->in_dir = o->resume ? NULL : v;
    return CLI_RUN;
  case 'o':
    o->out_dir = v;
    return CLI_RUN;
  case 'M':
  case 'S':
    return cli_instance(o, opt, v, err, len);
  case 'x':
    if (o->n_dicts == CLI_MAX_DICTS)
      return cli_fail(err, len, "at most %u -x dictionaries", CLI_MAX_DICTS);
    o->dicts[o->n_dicts++] = v;
    return CLI_RUN;
  case 't':
    return cli_timeout(o, v, err, len);
  case 'm':
    return cli_mem(o, v, err, len);
  case 'V':
  case 'E':
    if (!cli_num(v, 1, UINT64_MAX / 2, &n))
      return cli_fail(err, len, "-%c needs a positive number, not '%s'", opt,
                      v);
    *(opt == 'V' ? &o->max_secs : &o->max_execs) = n;
    return CLI_RUN;
  case 's':
    if (!cli_num(v, 0, UINT64_MAX, &o->seed))
      return cli_fail(err, len, "-s needs a number, not '%s'", v);
    o->seed_given = true;
    return CLI_RUN;
  case 'f':
    o->file = v;
    return CLI_RUN;
  case 'p':
    if (!sched_parse(v, &o->sched))
      return cli_fail(err, len,
                      "-p '%s' is not a schedule: use fast, explore, exploit "
                      "or coe",
                      v);
    return CLI_RUN;
  case 'D':
    o->det = true;
    return CLI_RUN;
  case 'c':
    if (!*v)
      return cli_fail(err, len,
                      "-c needs the CmpLog build of the target (built with "
                      "AFL_LLVM_CMPLOG=1), or 0 when the target is one");
    o->cmplog = v;
    return CLI_RUN;
  case 'h':
    return CLI_HELP;
  default:
    return cli_fail(err, len, "unknown option -%c; see lop-fuzz -h", opt);
  }
}

/* Environment switches and values (afl-fuzz's meanings). */
static enum cli_result cli_env(struct fz_opts *o,
                               const char *(*get)(const char *), char *err,
                               size_t len) {
  uint64_t n;
  const char *v;
  o->no_ui = lop_env_flag(get("AFL_NO_UI"));
  o->autoresume = lop_env_flag(get("AFL_AUTORESUME"));
  o->bench_until_crash = lop_env_flag(get("AFL_BENCH_UNTIL_CRASH"));
  o->exit_when_done = lop_env_flag(get("AFL_EXIT_WHEN_DONE"));
  o->no_affinity = lop_env_flag(get("AFL_NO_AFFINITY"));
  o->try_affinity = lop_env_flag(get("AFL_TRY_AFFINITY"));
  o->import_first = lop_env_flag(get("AFL_IMPORT_FIRST"));
  o->tmpdir = get("AFL_TMPDIR");
  o->preload = get("AFL_PRELOAD");
  o->target_env = get("AFL_TARGET_ENV");
  if ((v = get("AFL_MAP_SIZE")) && *v) {
    if (!cli_num(v, 1, MAP_SIZE_MAX, &n))
      return cli_fail(err, len, "AFL_MAP_SIZE must be from 1 to %u, not '%s'",
                      MAP_SIZE_MAX, v);
    o->map_size = ((uint32_t)n + MAP_SIZE_ALIGN - 1) & ~(MAP_SIZE_ALIGN - 1);
  }
  if ((v = get("AFL_HANG_TMOUT")) && *v) {
    if (!cli_num(v, 1, CLI_TIMEOUT_MAX, &n))
      return cli_fail(err, len,
                      "AFL_HANG_TMOUT must be a timeout in ms from 1 to %u, "
                      "not '%s'",
                      CLI_TIMEOUT_MAX, v);
    o->hang_tmout_ms = (uint32_t)n;
  }
  if ((v = get("AFL_CRASH_EXITCODE")) && *v) {
    if (!cli_num(v, 0, 255, &n))
      return cli_fail(err, len,
                      "AFL_CRASH_EXITCODE must be an exit code from 0 to 255, "
                      "not '%s'",
                      v);
    o->crash_exitcode = (int)n;
  }
  if ((v = get("AFL_SYNC_TIME")) && *v) {
    if (!cli_num(v, 1, 24ULL * 60, &n))
      return cli_fail(err, len,
                      "AFL_SYNC_TIME must be minutes from 1 to 1440, not '%s'",
                      v);
    o->sync_secs = (uint32_t)n * 60U;
  }
  return CLI_RUN;
}

/* What must hold once everything is read. */
static enum cli_result cli_check(const struct fz_opts *o, char *err,
                                 size_t len) {
  if (!o->in_dir && !o->resume)
    return cli_fail(err, len,
                    "no seed directory: give -i DIR (or -i - to resume)");
  if (!o->out_dir)
    return cli_fail(err, len, "no output directory: give -o DIR");
  if (!o->argv || !o->argv[0])
    return cli_fail(err, len,
                    "no target: put its command line after the options, "
                    "e.g. -- ./target @@");
  return CLI_RUN;
}

/* The value of option opt at argv[*i]: attached ("-t100") or the next
   argument. NULL when missing. */
static const char *cli_value(int argc, char **argv, int *i) {
  const char *a = argv[*i];
  if (a[2])
    return a + 2;
  if (*i + 1 >= argc)
    return NULL;
  return argv[++*i];
}

static void cli_defaults(struct fz_opts *o) {
  memset(o, 0, sizeof(*o));
  o->name = "default";
  o->sched = SCHED_FAST;
  o->crash_exitcode = -1;
  o->sync_secs = 0;
}

enum cli_result cli_parse(int argc, char **argv,
                          const char *(*get)(const char *), struct fz_opts *o,
                          char *err, size_t errlen) {
  cli_defaults(o);
  o->fuzz_argv = argv;
  int i = 1;
  for (; i < argc; i++) {
    const char *a = argv[i];
    if (strcmp(a, "--") == 0) {
      i++;
      break;
    }
    if (a[0] != '-' || !a[1])
      break;
    if (strncmp(a, "--diff", 6) == 0) {
      enum cli_result r = cli_diff_option(o, argc, argv, &i, err, errlen);
      if (r != CLI_RUN)
        return r;
      continue;
    }
    char opt = a[1];
    const char *v = NULL;
    if (strchr(CLI_VALUE_OPTS, opt) && !(v = cli_value(argc, argv, &i)))
      return cli_fail(err, errlen, "option -%c needs a value", opt);
    if (!strchr(CLI_VALUE_OPTS, opt) && a[2])
      return cli_fail(err, errlen, "unknown option %s; see lop-fuzz -h", a);
    enum cli_result r = cli_option(o, opt, v ? v : "", err, errlen);
    if (r != CLI_RUN)
      return r;
  }
  o->argv = i < argc ? argv + i : NULL;
  enum cli_result r = cli_env(o, get, err, errlen);
  if (r == CLI_RUN && (o->diff || o->diff_replay))
    r = cli_diff_split(o, argc, argv, i, err, errlen);
  return r == CLI_RUN && !o->diff_replay ? cli_check(o, err, errlen) : r;
}

const char *cli_usage(void) {
  return "usage: lop-fuzz -i seeds -o out [options] -- /path/to/target "
         "[args, @@ = input file]\n"
         "       lop-fuzz plot out/default [file.svg]\n"
         "\n"
         "Coverage-guided fuzzer for targets built with afl-clang-fast\n"
         "(lop's or AFL++'s). Writes AFL++'s output layout under out/NAME/.\n"
         "\n"
         "  -i dir      seed inputs (-i - resumes the run in -o)\n"
         "  -o dir      output (sync) directory\n"
         "  -M name     main instance of a parallel run / -S name: secondary\n"
         "  -x path     dictionary file or directory (AFL format), repeatable\n"
         "  -t ms       timeout per run (default: from calibration, at most "
         "1000);\n"
         "              'ms+' skips seeds that time out instead of failing\n"
         "  -m MB       memory limit of the target, or none (default none)\n"
         "  -V secs     stop after this many seconds\n"
         "  -E execs    stop after this many executions\n"
         "  -s seed     random seed (same seed, same campaign)\n"
         "  -f file     the target reads its input from this file\n"
         "  -D          run the deterministic stages too\n"
         "  -c prog     CmpLog build of the target (AFL_LLVM_CMPLOG=1) for "
         "the\n"
         "              input-to-state stage; -c 0: the target is one\n"
         "  -p sched    power schedule: fast (default), explore, exploit, coe\n"
         "  --diff      differential: -- ./impl_a @@ -- ./impl_b @@ [-- ...]\n"
         "              (--diff-verdicts, --diff-ignore-exit, --diff-replay "
         "DIR;\n"
         "              docs/differential.md)\n"
         "  -h          this help\n"
         "\n"
         "First steps:\n"
         "  bin/afl-clang-fast -o target target.c      # build\n"
         "  mkdir seeds; echo hi >seeds/a\n"
         "  bin/lop-fuzz -i seeds -o out -- ./target   # fuzz (Ctrl-C stops)\n"
         "  ./target <out/default/crashes/id:000000*   # reproduce a crash\n"
         "\n"
         "Environment: AFL_NO_UI, AFL_AUTORESUME, AFL_BENCH_UNTIL_CRASH,\n"
         "AFL_EXIT_WHEN_DONE, AFL_MAP_SIZE, AFL_TMPDIR, AFL_HANG_TMOUT,\n"
         "AFL_CRASH_EXITCODE, AFL_PRELOAD, AFL_TARGET_ENV, AFL_IMPORT_FIRST,\n"
         "AFL_SYNC_TIME, AFL_NO_AFFINITY, AFL_TRY_AFFINITY "
         "(docs/lop-fuzz.md).\n";
}
