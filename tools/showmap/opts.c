/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * afl-showmap's option parser (see opts.h): AFL's flags, their values
 * checked, and the switches afl-cmin passes through the environment.
 */
#include "opts.h"

#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Stores the formatted message in *err and returns SHOWMAP_ERROR. */
__attribute__((format(printf, 2, 3))) static enum showmap_parsed
opts_fail(char **err, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  if (vasprintf(err, fmt, ap) < 0)
    *err = NULL;
  va_end(ap);
  return SHOWMAP_ERROR;
}

/* Decimal u32 in [min, max] into *v; false otherwise. */
static bool opts_num(const char *s, uint32_t min, uint32_t max, uint32_t *v) {
  char *end;
  errno = 0;
  unsigned long n = strtoul(s, &end, 10);
  if (errno || end == s || *end || s[0] == '-' || n < min || n > max)
    return false;
  *v = (uint32_t)n;
  return true;
}

/* Sets the value of option c ("oifHtm") from arg. */
static enum showmap_parsed opts_value(int c, const char *arg,
                                      struct showmap_opts *o, char **err) {
  const char *none = strcmp(arg, "none") == 0 ? arg : NULL;
  uint32_t max = c == 't' ? UINT32_MAX / FORK_WAIT_MULT : 1U << 20;
  uint32_t *slot = c == 't' ? &o->timeout_ms : &o->mem_mb;
  if (c == 'o' || c == 'i' || c == 'f' || c == 'H') {
    const char **s = c == 'o'   ? &o->out
                     : c == 'i' ? &o->in_dir
                     : c == 'f' ? &o->file
                                : &o->in_file;
    *s = arg;
    return SHOWMAP_RUN;
  }
  if (none) /* -t none: the default, as AFL++ applies it; -m none: no limit */
    *slot = c == 't' ? EXEC_TIMEOUT_MS : 0;
  else if (!opts_num(arg, 1, max, slot))
    return opts_fail(err, "bad value '%s' for -%c; give a number from 1 to %u",
                     arg, c, max);
  return SHOWMAP_RUN;
}

/* Sets the switch c ("qerbCsZc"). */
static void opts_switch(int c, struct showmap_opts *o) {
  switch (c) {
  case 'q':
    o->quiet = true;
    break;
  case 'e':
    o->edges = true;
    break;
  case 'r':
    o->raw = true;
    break;
  case 'b':
    o->binary = true;
    break;
  case 'C':
    o->collect = true;
    break;
  case 's':
    o->no_classify = true;
    break;
  case 'Z':
    o->cmin = o->quiet = true;
    break;
  default: /* 'c' */
    o->keep_cores = true;
    break;
  }
}

/* Checks the combination of options once all are read. */
static enum showmap_parsed opts_check(const struct showmap_opts *o,
                                      bool has_target, char **err) {
  if (!has_target)
    return opts_fail(
        err,
        "no target given; usage: afl-showmap [options] -- /path/to/target");
  if (!o->out)
    return opts_fail(err, "no output given; use -o file (or -o - for stdout)");
  if (o->collect && !o->in_dir)
    return opts_fail(err, "-C needs -i dir; see afl-showmap -h");
  if (o->in_dir && o->in_file && o->file)
    return opts_fail(
        err, "-H and -f both name the input file for -i; give one of them");
  return SHOWMAP_RUN;
}

/* A switch variable: set and non-empty. */
static bool opts_env_flag(const char *(*getenv_fn)(const char *),
                          const char *name) {
  const char *v = getenv_fn(name);
  return v && *v;
}

/* Reads the environment part of the options. */
static enum showmap_parsed opts_env(const char *(*getenv_fn)(const char *),
                                    struct showmap_opts *o, char **err) {
  const char *ms = getenv_fn("AFL_MAP_SIZE");
  if (ms && *ms && !opts_num(ms, 2, MAP_SIZE_MAX, &o->map_size))
    return opts_fail(err,
                     "bad value '%s' for AFL_MAP_SIZE; give a number from 2 "
                     "to %u",
                     ms, MAP_SIZE_MAX);
  o->crashes_only = opts_env_flag(getenv_fn, "AFL_CMIN_CRASHES_ONLY");
  o->allow_any = opts_env_flag(getenv_fn, "AFL_CMIN_ALLOW_ANY");
  return SHOWMAP_RUN;
}

enum showmap_parsed showmap_opts_parse(int argc, char **argv,
                                       const char *(*getenv_fn)(const char *),
                                       struct showmap_opts *o, char **err) {
  *o = (struct showmap_opts){.timeout_ms = EXEC_TIMEOUT_MS,
                             .mem_mb = MEM_LIMIT_MB};
  *err = NULL;
  opterr = 0;
  optind = 0; /* glibc: start over, also after an earlier parse */
  for (int c; (c = getopt(argc, argv, "+o:i:f:H:t:m:qerbCsZch")) != -1;) {
    enum showmap_parsed rc = SHOWMAP_RUN;
    if (c == 'h')
      return SHOWMAP_HELP;
    if (c == '?' && strchr("oifHtm", optopt))
      return opts_fail(err, "option -%c needs a value; see afl-showmap -h",
                       optopt);
    if (c == '?' || c == ':')
      return opts_fail(err, "unknown option '-%c'; see afl-showmap -h", optopt);
    if (strchr("oifHtm", c))
      rc = opts_value(c, optarg, o, err);
    else
      opts_switch(c, o);
    if (rc != SHOWMAP_RUN)
      return rc;
  }
  if (opts_check(o, optind < argc, err) != SHOWMAP_RUN)
    return SHOWMAP_ERROR;
  o->argv = argv + optind;
  return opts_env(getenv_fn, o, err);
}
