/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * lop-fuzz's executor: one target behind lop's client library (standard
 * forkserver for any AFL-built target, lop's fast persistent protocol and
 * shared-memory testcases where the target offers them). Runs one input,
 * returns the verdict with AFL_CRASH_EXITCODE applied, leaves the map with
 * byte 0 (the runtime's alive marker) cleared, and restarts a forkserver
 * that died. Several executors can live side by side (one per target).
 */
#ifndef LOP_FUZZ_EXEC_H
#define LOP_FUZZ_EXEC_H

#include "cli.h"
#include "forkserver.h"

#include <stdbool.h>
#include <stdint.h>

enum exec_result { EXEC_OK, EXEC_CRASH, EXEC_HANG, EXEC_FAIL };

struct diff;

struct exec {
  struct fsrv f;
  bool inited;        /* f went through fsrv_init: exec_stop may free it */
  int crash_exitcode; /* -1 = none */
  uint64_t execs;     /* runs so far */
  uint32_t restarts;  /* forkserver restarts after it died */
  uint64_t last_us;   /* duration of the last run when timed, microseconds */
  int last_signal;    /* signal of the last crash (0 = exit code) */
  char err[600];      /* message of the last EXEC_FAIL */
  /* --diff: this executor runs every implementation (diff.h) and shows
     their maps side by side in dmap; f is unused */
  struct diff *diff;
  uint8_t *dmap;
  uint32_t dmap_size;
};

/* Set up and start the target of o (argv, -f or input_file, -m, timeout
   ms, AFL_MAP_SIZE); false with x->err set to one line on failure. */
bool exec_start(struct exec *x, const struct fz_opts *o, const char *input_file,
                uint32_t timeout_ms);

/* exec_start with the target's stdout sent to stdout_fd (-1: /dev/null)
   and env_add (NULL-terminated NAME=VALUE, or NULL) added to its
   environment; both must outlive x. */
bool exec_start_io(struct exec *x, const struct fz_opts *o,
                   const char *input_file, uint32_t timeout_ms, int stdout_fd,
                   char *const *env_add);

/* Run buf once. EXEC_FAIL means the target could not be run even after
   one restart (x->err says why). */
enum exec_result exec_run(struct exec *x, const uint8_t *buf, size_t len);

/* Like exec_run, and measure the run's wall time into x->last_us. */
enum exec_result exec_run_timed(struct exec *x, const uint8_t *buf, size_t len);

/* Change the per-run timeout (ms). */
void exec_set_timeout(struct exec *x, uint32_t ms);

/* The map of the last run and its size. */
static inline uint8_t *exec_map(struct exec *x) {
  return x->diff ? x->dmap : x->f.map;
}
static inline uint32_t exec_map_size(const struct exec *x) {
  return x->diff ? x->dmap_size : x->f.map_size;
}

/* "fast persistent, shared-memory testcases" etc., for stats and the UI. */
const char *exec_mode(const struct exec *x);

void exec_stop(struct exec *x);

#endif /* LOP_FUZZ_EXEC_H */
