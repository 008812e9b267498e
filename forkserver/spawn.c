/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Starting the target: a pipe pair, fork, and in the child the plumbing a
 * forkserver expects (pipes on FORKSRV_FD / FORKSRV_FD + 1, __AFL_SHM_ID and
 * friends in the environment, stdin from the input file, limits) before
 * execv. The child runs in its own session so one kill of the process group
 * stops the forkserver and every child it forked. Correct whatever
 * descriptors the tool inherited (0-2 closed, everything up to 199 open),
 * and the target gets no descriptor of the client's but those.
 */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

/* Sanitizer settings AFL's tools give targets, so findings end in a signal
   (crash verdict) instead of an ordinary exit code. Set only when the user
   has not set them. */
static const char *const spawn_san_env[][2] = {
    {"ASAN_OPTIONS", "abort_on_error=1:detect_leaks=0:malloc_context_size=0:"
                     "symbolize=0:allocator_may_return_null=1"},
    {"UBSAN_OPTIONS", "halt_on_error=1:abort_on_error=1:malloc_context_size=0:"
                      "allocator_may_return_null=1:symbolize=0"},
    {"MSAN_OPTIONS", "exit_code=86:abort_on_error=1:symbolize=0:"
                     "allocator_may_return_null=1:malloc_context_size=0"},
    {"LSAN_OPTIONS", "exitcode=23:fast_unwind_on_malloc=0:symbolize=0"},
};

/* Everything the target reads from its environment about the fuzzer. */
static void spawn_child_env(const struct fsrv *f) {
  char num[32];
  snprintf(num, sizeof(num), "%d", f->shm_id);
  setenv(SHM_ENV_VAR, num, 1);
  if (f->fuzz_shm_id >= 0) {
    snprintf(num, sizeof(num), "%d", f->fuzz_shm_id);
    setenv(SHM_FUZZ_ENV_VAR, num, 1);
  } else {
    unsetenv(SHM_FUZZ_ENV_VAR);
  }
  if (f->persistent)
    setenv(PERSIST_ENV_VAR, "1", 1);
  /* Offer lop's fast persistent protocol; a target that does not know it
     ignores the variable and stops itself as usual. */
  if (f->persistent && !f->no_fast_persist)
    setenv(FAST_PERSIST_ENV_VAR, "1", 1);
  else
    unsetenv(FAST_PERSIST_ENV_VAR);
  if (f->deferred)
    setenv(DEFER_ENV_VAR, "1", 1);
  /* Resolve every symbol when the forkserver starts, not again in each
     forked child (AFL's tools do the same); LD_BIND_LAZY keeps it lazy. */
  if (!getenv("LD_BIND_LAZY"))
    setenv("LD_BIND_NOW", "1", 0);
  for (size_t i = 0; i < sizeof(spawn_san_env) / sizeof(spawn_san_env[0]); i++)
    setenv(spawn_san_env[i][0], spawn_san_env[i][1], 0);
  /* The child's own copy of the strings: putenv keeps the pointer. */
  for (size_t i = 0; f->env_add && f->env_add[i]; i++)
    putenv(f->env_add[i]);
}

/* Limits: RLIMIT_AS for -m (AFL semantics); no core dump (slow, and
   litters the working directory) unless keep_cores, which raises the soft
   core limit to the hard one. */
static void spawn_child_limits(const struct fsrv *f) {
  struct rlimit r = {0, 0};
  if (f->keep_cores && getrlimit(RLIMIT_CORE, &r) == 0)
    r.rlim_cur = r.rlim_max;
  setrlimit(RLIMIT_CORE, &r);
  if (f->mem_limit_mb) {
    r.rlim_cur = r.rlim_max = (rlim_t)f->mem_limit_mb << 20;
    setrlimit(RLIMIT_AS, &r);
  }
}

/* A close-on-exec copy of fd at SPAWN_FD_MIN or above: clear of 0-2 and
   of the forkserver's 198/199, whatever descriptors the tool inherited. */
static int spawn_fd_high(int fd) {
  return fd < 0 ? -1 : fcntl(fd, F_DUPFD_CLOEXEC, SPAWN_FD_MIN);
}

/* The child's descriptors: the pipes on FORKSRV_FD / FORKSRV_FD + 1, stdin
   from the input file (or /dev/null), stdout/stderr to /dev/null unless
   show_output (stdout to stdout_fd when one is given). Every source is first
   copied above SPAWN_FD_MIN, so no dup2 can overwrite a source still needed or
   be a no-op that keeps close-on-exec (fd 0 closed in the tool makes the input
   file fd 0); the copies and the /dev/null descriptor close at exec. */
static bool spawn_child_fds(const struct fsrv *f, int ctl_rd, int st_wr) {
  int null_fd = spawn_fd_high(open("/dev/null", O_RDWR | O_CLOEXEC));
  int ctl = spawn_fd_high(ctl_rd), st = spawn_fd_high(st_wr);
  int in = f->input_path ? null_fd : spawn_fd_high(f->input_rd_fd);
  int out = f->stdout_fd >= 0 ? spawn_fd_high(f->stdout_fd) : null_fd;
  if (null_fd < 0 || ctl < 0 || st < 0 || in < 0 || out < 0)
    return false;
  if (dup2(ctl, FORKSRV_FD) < 0 || dup2(st, FORKSRV_FD + 1) < 0 ||
      dup2(in, STDIN_FILENO) < 0)
    return false;
  if (!f->show_output &&
      (dup2(out, STDOUT_FILENO) < 0 || dup2(null_fd, STDERR_FILENO) < 0))
    return false;
  return true;
}

/* Runs in the child only; never returns. The parent's signal mask (held
   back around fork) is restored first. A failed execv leaves EXEC_FAIL_SIG
   in the map, which the parent turns into a clear error. */
static void spawn_child(const struct fsrv *f, int ctl_rd, int st_wr,
                        const sigset_t *mask) {
  sigprocmask(SIG_SETMASK, mask, NULL);
  setsid();
  if (!spawn_child_fds(f, ctl_rd, st_wr))
    _exit(EXIT_FAILURE);
  spawn_child_limits(f);
  spawn_child_env(f);
  signal(SIGPIPE, SIG_DFL);
  execv(f->target_path, f->argv);
  memcpy(f->map, &(uint32_t){EXEC_FAIL_SIG}, sizeof(uint32_t));
  _exit(EXIT_FAILURE);
}

/* The child copies its descriptors above SPAWN_FD_MIN: the open file limit
   must leave room there. */
static enum fsrv_err spawn_check_fd_limit(struct fsrv *f) {
  struct rlimit r;
  if (getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur <= SPAWN_FD_MIN + 3)
    return fsrv_fail(f, FSRV_E_SYS,
                     "the open file limit is %llu; a forkserver needs "
                     "descriptors up to %u: raise it (ulimit -n)",
                     (unsigned long long)r.rlim_cur, SPAWN_FD_MIN + 3);
  return FSRV_E_OK;
}

/* A pipe pair, close-on-exec (a second forkserver or any other child of
   the tool never inherits it), both ends above the standard descriptors. */
static bool spawn_pipe(int p[2]) {
  if (pipe2(p, O_CLOEXEC) < 0)
    return false;
  p[0] = fsrv_fd_above_std(p[0]);
  p[1] = fsrv_fd_above_std(p[1]);
  if (p[0] >= 0 && p[1] >= 0)
    return true;
  int e = errno;
  if (p[0] >= 0)
    close(p[0]);
  if (p[1] >= 0)
    close(p[1]);
  errno = e;
  return false;
}

/* Forks the child and registers its process group with the registry's
   signals held back, so a signal in between cannot leave the forkserver
   running. Returns the pid, or -1 with errno set (ENOMEM: registry). */
static pid_t spawn_fork(struct fsrv *f, int ctl_rd, int st_wr) {
  sigset_t old;
  fsrv_cleanup_block(&old);
  pid_t pid = fork();
  if (pid == 0)
    spawn_child(f, ctl_rd, st_wr, &old);
  if (pid > 0 && !fsrv_cleanup_add_pgid(pid)) {
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    pid = -1;
    errno = ENOMEM;
  }
  fsrv_cleanup_unblock(&old);
  return pid;
}

enum fsrv_err fsrv_spawn(struct fsrv *f) {
  int ctl[2], st[2];
  enum fsrv_err err = spawn_check_fd_limit(f);
  if (err != FSRV_E_OK)
    return err;
  if (!spawn_pipe(ctl))
    return fsrv_fail(f, FSRV_E_SYS, "cannot create a pipe: %s",
                     strerror(errno));
  if (!spawn_pipe(st)) {
    int e = errno;
    close(ctl[0]), close(ctl[1]);
    return fsrv_fail(f, FSRV_E_SYS, "cannot create a pipe: %s", strerror(e));
  }
  pid_t pid = spawn_fork(f, ctl[0], st[1]);
  int e = errno;
  close(ctl[0]);
  close(st[1]);
  if (pid < 0) {
    close(ctl[1]), close(st[0]);
    return fsrv_fail(f, FSRV_E_SYS, "cannot start the target: %s", strerror(e));
  }
  f->fsrv_pid = pid;
  f->ctl_fd = ctl[1];
  f->st_fd = st[0];
  return FSRV_E_OK;
}

/* The group kill also reaches children a dying forkserver leaves behind
   (a hung run), which init would otherwise inherit alive. */
void fsrv_reap(struct fsrv *f, int *status) {
  int st = 0;
  if (status)
    *status = 0;
  if (f->fsrv_pid <= 0)
    return;
  if (waitpid(f->fsrv_pid, &st, WNOHANG) == f->fsrv_pid) {
    if (status)
      *status = st;
    kill(-f->fsrv_pid, SIGKILL);
  } else {
    kill(-f->fsrv_pid, SIGKILL);
    kill(f->fsrv_pid, SIGKILL);
    while (waitpid(f->fsrv_pid, &st, 0) < 0 && errno == EINTR)
      ;
  }
  fsrv_cleanup_del_pgid(f->fsrv_pid);
  f->fsrv_pid = -1;
}
