/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Reads the wrapper's environment variables (declared in include/envs.def)
 * into struct cc_options and rejects bad values before clang runs, so a
 * typo fails the build with a clear message instead of building a binary
 * that silently lacks what the user asked for.
 */
#include "env.h"

#include "env_flag.h"
#include "error.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Every variable some part of lop reads, from the shared table. */
static const char *const lop_env_names[] = {
#define LOP_ENV(name, reader, help) #name,
#include "envs.def"
    NULL};

/* AFL++ build variables for features lop lacks, and what each asks for. */
static const struct {
  const char *name, *feature;
} missing_envs[] = {
#define LOP_ENV_MISSING(name, feature) {#name, feature},
#include "envs_missing.def"
    {NULL, NULL}};

/* Variables read by afl-fuzz and the other AFL tools that users commonly
   export for a whole session, including while they build. */
static const char *const fuzzer_env_names[] = {
    "AFL_SKIP_CPUFREQ",
    "AFL_NO_UI",
    "AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES",
    "AFL_BENCH_UNTIL_CRASH",
    "AFL_BENCH_JUST_ONE",
    "AFL_NO_AFFINITY",
    "AFL_TRY_AFFINITY",
    "AFL_TMPDIR",
    "AFL_AUTORESUME",
    "AFL_SKIP_CRASHES",
    "AFL_HANG_TMOUT",
    "AFL_FAST_CAL",
    "AFL_EXIT_WHEN_DONE",
    "AFL_EXIT_ON_TIME",
    "AFL_NO_FORKSRV",
    "AFL_PRELOAD",
    "AFL_SKIP_BIN_CHECK",
    "AFL_FORKSRV_INIT_TMOUT",
    "AFL_KILL_SIGNAL",
    "AFL_CRASH_EXITCODE",
    "AFL_IGNORE_PROBLEMS",
    "AFL_NO_CRASH_README",
    "AFL_STATSD",
    "AFL_CUSTOM_MUTATOR_LIBRARY",
    "AFL_PYTHON_MODULE",
    "AFL_IMPORT_FIRST",
    "AFL_SHUFFLE_QUEUE",
    "AFL_DISABLE_TRIM",
    "AFL_CMIN_CRASHES_ONLY",
    "AFL_CMIN_ALLOW_ANY",
    "AFL_PERSISTENT",
    "AFL_DEFER_FORKSRV",
    "AFL_TESTCACHE_SIZE",
    "AFL_FINAL_SYNC",
    "AFL_NO_STARTUP_CALIBRATION",
    NULL};

const char *cc_env_get(char *const *envp, const char *name) {
  size_t n = strlen(name);
  for (size_t i = 0; envp && envp[i]; i++)
    if (strncmp(envp[i], name, n) == 0 && envp[i][n] == '=')
      return envp[i] + n + 1;
  return NULL;
}

bool cc_env_is_set(char *const *envp, const char *name) {
  return lop_env_flag(cc_env_get(envp, name));
}

/* The value of name, or NULL when unset or empty. */
static const char *env_text(char *const *envp, const char *name) {
  const char *v = cc_env_get(envp, name);
  return v && *v ? v : NULL;
}

/* True when s is a plain decimal number from 1 to 100. */
static bool is_percentage(const char *s) {
  unsigned long n = 0;
  size_t len = strlen(s);
  if (len == 0 || len > 3)
    return false;
  for (size_t i = 0; i < len; i++) {
    if (s[i] < '0' || s[i] > '9')
      return false;
    n = n * 10 + (unsigned long)(s[i] - '0');
  }
  return n >= 1 && n <= 100;
}

/* Picks the instrumentation mode from AFL_LLVM_INSTRUMENT / AFL_TRACE_PC. */
static int read_mode(char *const *envp, enum cc_mode *mode, char **err) {
  const char *v = env_text(envp, "AFL_LLVM_INSTRUMENT");
  bool trace_pc = cc_env_is_set(envp, "AFL_TRACE_PC");
  *mode = trace_pc ? CC_MODE_PCGUARD : CC_MODE_CLASSIC;
  if (!v)
    return 0;
  if (strcasecmp(v, "pcguard") == 0) {
    *mode = CC_MODE_PCGUARD;
    return 0;
  }
  enum cc_mode asked = CC_MODE_CLASSIC;
  if (strcasecmp(v, "compact") == 0)
    asked = CC_MODE_COMPACT;
  else if (strcasecmp(v, "classic") != 0 && strcasecmp(v, "afl") != 0 &&
           strcasecmp(v, "default") != 0)
    return cc_fail(err,
                   "AFL_LLVM_INSTRUMENT=%s is not a mode; use classic, "
                   "pcguard or compact",
                   v);
  if (trace_pc)
    return cc_fail(err,
                   "AFL_TRACE_PC asks for pcguard but "
                   "AFL_LLVM_INSTRUMENT=%s for %s; unset one",
                   v, cc_mode_name(asked));
  *mode = asked;
  return 0;
}

const char *cc_env_missing_feature(const char *name) {
  for (size_t i = 0; missing_envs[i].name; i++)
    if (strcmp(name, missing_envs[i].name) == 0)
      return missing_envs[i].feature;
  return NULL;
}

/* Fails for the first variable of envs_missing.def that envp sets: the
   build would silently lack the feature it asks for. */
static int refuse_missing(char *const *envp, char **err) {
  for (size_t i = 0; missing_envs[i].name; i++)
    if (cc_env_is_set(envp, missing_envs[i].name))
      return cc_fail(err,
                     "%s=%s asks for an AFL++ feature lop does not have: %s; "
                     "unset it, or build this target with AFL++'s compiler",
                     missing_envs[i].name,
                     cc_env_get(envp, missing_envs[i].name),
                     missing_envs[i].feature);
  return 0;
}

int cc_options_read(char *const *envp, struct cc_options *o, char **err) {
  memset(o, 0, sizeof(*o));
  const char *ratio = cc_env_get(envp, "AFL_INST_RATIO");
  if (ratio && !is_percentage(ratio))
    return cc_fail(err,
                   "AFL_INST_RATIO=%s is not a number from 1 to 100; unset it "
                   "or pick a percentage",
                   ratio);
  if (read_mode(envp, &o->mode, err) < 0)
    return -1;
  o->cc = env_text(envp, "AFL_CC");
  o->cxx = env_text(envp, "AFL_CXX");
  o->afl_path = env_text(envp, "AFL_PATH");
  o->dont_optimize = cc_env_is_set(envp, "AFL_DONT_OPTIMIZE");
  o->harden = cc_env_is_set(envp, "AFL_HARDEN");
  o->asan = cc_env_is_set(envp, "AFL_USE_ASAN");
  o->msan = cc_env_is_set(envp, "AFL_USE_MSAN");
  o->ubsan = cc_env_is_set(envp, "AFL_USE_UBSAN");
  o->no_builtin = cc_env_is_set(envp, "AFL_NO_BUILTIN");
  o->quiet = cc_env_is_set(envp, "AFL_QUIET");
  o->debug = cc_env_is_set(envp, "AFL_DEBUG");
  if (o->asan && o->msan)
    return cc_fail(err, "AFL_USE_ASAN and AFL_USE_MSAN are mutually "
                        "exclusive; set only one");
  return refuse_missing(envp, err);
}

const char *cc_mode_name(enum cc_mode mode) {
  static const char *const names[] = {"classic", "pcguard", "compact"};
  return names[mode];
}

/* True when the first n characters of name equal an entry of the
   NULL-terminated list (so "NAME=value" can be checked in place). */
static bool listed(const char *name, size_t n, const char *const *list) {
  for (size_t i = 0; list[i]; i++)
    if (strncmp(name, list[i], n) == 0 && list[i][n] == '\0')
      return true;
  return false;
}

/* cc_env_is_known() for the first n characters of name. */
static bool known_n(const char *name, size_t n) {
  for (size_t i = 0; missing_envs[i].name; i++)
    if (strncmp(name, missing_envs[i].name, n) == 0 &&
        missing_envs[i].name[n] == '\0')
      return true;
  return listed(name, n, lop_env_names) || listed(name, n, fuzzer_env_names);
}

bool cc_env_is_known(const char *name) { return known_n(name, strlen(name)); }

const char *cc_env_next_unknown(char *const *envp, size_t *pos) {
  for (; envp && envp[*pos]; (*pos)++) {
    const char *e = envp[*pos];
    const char *eq = strchr(e, '=');
    if (strncmp(e, "AFL_", 4) != 0 || !eq)
      continue;
    if (!known_n(e, (size_t)(eq - e)))
      return envp[(*pos)++];
  }
  return NULL;
}
