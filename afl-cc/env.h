/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * The wrapper's environment, read and validated once into struct
 * cc_options, so that everything after it is a pure function of (options,
 * arguments). Functions take an explicit envp so tests need no setenv().
 */
#ifndef LOP_CC_ENV_H
#define LOP_CC_ENV_H

#include "types.h"

/* How edges are counted. */
enum cc_mode {
  CC_MODE_CLASSIC, /* lop's pass plugin: AFL's map[cur ^ prev]++ */
  CC_MODE_PCGUARD, /* clang's -fsanitize-coverage=trace-pc-guard */
  CC_MODE_COMPACT  /* lop's pass plugin: one counter per edge, exact map */
};

/* Everything the wrapper takes from the environment. Strings point into
   envp and are NULL when unset or empty. */
struct cc_options {
  enum cc_mode mode;
  const char *cc;       /* AFL_CC */
  const char *cxx;      /* AFL_CXX */
  const char *afl_path; /* AFL_PATH */
  bool dont_optimize;   /* AFL_DONT_OPTIMIZE */
  bool harden;          /* AFL_HARDEN */
  bool asan;            /* AFL_USE_ASAN */
  bool msan;            /* AFL_USE_MSAN */
  bool ubsan;           /* AFL_USE_UBSAN */
  bool no_builtin;      /* AFL_NO_BUILTIN */
  bool quiet;           /* AFL_QUIET */
  bool debug;           /* AFL_DEBUG */
};

/* The value of name in envp (the text after "name="), or NULL. */
const char *cc_env_get(char *const *envp, const char *name);

/* True when name is set to something other than "" and "0". */
bool cc_env_is_set(char *const *envp, const char *name);

/* Reads and validates the wrapper's variables from envp into *o. Returns 0,
   or -1 with *err set (bad AFL_INST_RATIO, unknown AFL_LLVM_INSTRUMENT mode,
   AFL_USE_ASAN with AFL_USE_MSAN, AFL_TRACE_PC against classic, or a
   variable of include/envs_missing.def set: an AFL++ feature lop lacks). */
int cc_options_read(char *const *envp, struct cc_options *o, char **err);

/* The mode's name as users write it ("classic", "pcguard", "compact"). */
const char *cc_mode_name(enum cc_mode mode);

/* The feature an AFL++ variable lop does not implement asks for (its row
   of include/envs_missing.def), or NULL for any other name. */
const char *cc_env_missing_feature(const char *name);

/* True when an AFL_* variable name (without "=value") is read by some part
   of lop (include/envs.def), is an AFL++ feature lop lacks
   (include/envs_missing.def) or is read by the AFL fuzzers;
   others deserve a warning because nothing will read them. */
bool cc_env_is_known(const char *name);

/* The next AFL_* variable in envp from *pos on that cc_env_is_known()
   rejects, as "NAME=value"; advances *pos past it. NULL when none is left. */
const char *cc_env_next_unknown(char *const *envp, size_t *pos);

#endif /* LOP_CC_ENV_H */
