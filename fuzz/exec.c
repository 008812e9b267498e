/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * The executor (exec.h) on lop's client library.
 */
#include "exec.h"
#include "diff.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

static bool exec_fail(struct exec *x, const char *what) {
  snprintf(x->err, sizeof(x->err), "%s%s", what, x->f.err);
  return false;
}

bool exec_start(struct exec *x, const struct fz_opts *o, const char *input_file,
                uint32_t timeout_ms) {
  return exec_start_io(x, o, input_file, timeout_ms, -1, NULL);
}

bool exec_start_io(struct exec *x, const struct fz_opts *o,
                   const char *input_file, uint32_t timeout_ms, int stdout_fd,
                   char *const *env_add) {
  memset(x, 0, sizeof(*x));
  x->crash_exitcode = o->crash_exitcode;
  enum fsrv_err e = fsrv_init(&x->f, o->argv, input_file, timeout_ms);
  x->inited = true;
  if (e != FSRV_E_OK)
    return exec_fail(x, "");
  x->f.stdout_fd = stdout_fd;
  x->f.env_add = env_add;
  x->f.mem_limit_mb = o->mem_mb;
  x->f.offer_shm_testcase = true;
  if (o->map_size)
    x->f.map_size_req = o->map_size;
  if (fsrv_start(&x->f) != FSRV_E_OK)
    return exec_fail(x, "");
  return true;
}

/* Verdict of the client plus AFL_CRASH_EXITCODE and the crash's signal. */
static enum exec_result exec_judge(struct exec *x, enum fsrv_verdict v) {
  int st = x->f.status;
  x->last_signal = 0;
  x->f.map[0] = 0;
  switch (v) {
  case FSRV_VERDICT_OK:
    if (x->crash_exitcode >= 0 && WIFEXITED(st) &&
        WEXITSTATUS(st) == x->crash_exitcode)
      return EXEC_CRASH;
    return EXEC_OK;
  case FSRV_VERDICT_CRASH:
    x->last_signal = WIFSIGNALED(st) ? WTERMSIG(st) : 0;
    return EXEC_CRASH;
  case FSRV_VERDICT_HANG:
    return EXEC_HANG;
  case FSRV_VERDICT_ERROR:
    break;
  }
  snprintf(x->err, sizeof(x->err),
           "the target could not be executed (execv failed in the child)");
  return EXEC_FAIL;
}

enum exec_result exec_run(struct exec *x, const uint8_t *buf, size_t len) {
  enum fsrv_verdict v;
  if (x->diff)
    return diff_run(x, buf, len);
  if (len > MAX_FILE && x->f.shm_testcase)
    len = MAX_FILE;
  enum fsrv_err e = fsrv_run(&x->f, buf, len, &v);
  if (e == FSRV_E_FSRV_DIED) {
    /* Once: a target whose forkserver dies on every run is broken. */
    fsrv_stop(&x->f);
    x->restarts++;
    e = fsrv_start(&x->f);
    if (e == FSRV_E_OK)
      e = fsrv_run(&x->f, buf, len, &v);
  }
  x->execs++;
  if (e != FSRV_E_OK) {
    exec_fail(x, "");
    return EXEC_FAIL;
  }
  return exec_judge(x, v);
}

static uint64_t exec_now_us(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (uint64_t)t.tv_sec * 1000000ULL + (uint64_t)t.tv_nsec / 1000;
}

enum exec_result exec_run_timed(struct exec *x, const uint8_t *buf,
                                size_t len) {
  uint64_t t0 = exec_now_us();
  enum exec_result r = exec_run(x, buf, len);
  x->last_us = exec_now_us() - t0;
  return r;
}

void exec_set_timeout(struct exec *x, uint32_t ms) {
  if (x->diff)
    diff_set_timeout(x, ms);
  x->f.timeout_ms = ms;
}

const char *exec_mode(const struct exec *x) {
  if (x->diff)
    return diff_mode(x);
  if (x->f.persistent && !x->f.no_fast_persist && x->f.shm_testcase)
    return "persistent shmem";
  if (x->f.persistent)
    return "persistent";
  if (x->f.shm_testcase)
    return "forkserver shmem";
  return "forkserver";
}

void exec_stop(struct exec *x) {
  if (x->diff)
    diff_stop(x);
  if (x->inited)
    fsrv_destroy(&x->f);
  x->inited = false;
}
