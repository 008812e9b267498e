/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Self-fuzzing harness of afl-showmap's option parser
 * (tools/showmap/opts.c). Testcase: the arguments one a line, then after a
 * NUL byte the environment as NAME=value lines (AFL_MAP_SIZE,
 * AFL_CMIN_CRASHES_ONLY, AFL_CMIN_ALLOW_ANY). Checks that every outcome is
 * complete: a run has an output and a target, an error has a message.
 */
#include "config.h"
#include "showmap/opts.h"

#include "harness.h"

/* Arguments and environment lines a testcase may give. */
#define MAX_ARGS 64
#define MAX_ENV 8

static char *env_lines[MAX_ENV + 1];

/* getenv() over the testcase's NAME=value lines. */
static const char *fake_getenv(const char *name) {
  size_t n = strlen(name);
  for (size_t i = 0; env_lines[i]; i++)
    if (strncmp(env_lines[i], name, n) == 0 && env_lines[i][n] == '=')
      return env_lines[i] + n + 1;
  return NULL;
}

static void one_input(char *data, size_t len) {
  char *end = data + len, *rest = data;
  char *args = next_part(&rest, end, '\0');
  char *env = next_part(&rest, end, '\0');
  char *argv[MAX_ARGS + 2] = {"afl-showmap"};
  int argc = 1;
  char *args_end = args ? args + strlen(args) : NULL;
  for (char *a; argc < MAX_ARGS + 1 && (a = next_part(&args, args_end, '\n'));)
    argv[argc++] = a;
  size_t n = 0;
  char *env_end = env ? env + strlen(env) : NULL;
  for (char *e; n < MAX_ENV && (e = next_part(&env, env_end, '\n'));)
    env_lines[n++] = e;
  env_lines[n] = NULL;
  struct showmap_opts o;
  char *err = NULL;
  enum showmap_parsed rc =
      showmap_opts_parse(argc, argv, fake_getenv, &o, &err);
  if (rc == SHOWMAP_RUN) {
    CHECK(o.out && o.argv && o.argv[0] && o.argv >= argv + 1);
    CHECK(o.timeout_ms >= 1 && o.mem_mb <= (1U << 20));
    CHECK(o.map_size == 0 || (o.map_size >= 2 && o.map_size <= MAP_SIZE_MAX));
    CHECK(!o.collect || o.in_dir);
  }
  if (rc == SHOWMAP_ERROR) /* one line: what is wrong; what to do */
    CHECK(err && strchr(err, ';') && !strchr(err, '\n'));
  free(err);
}
