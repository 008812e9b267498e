/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * One execution through a running forkserver (PROTOCOL.md 3): clear the
 * map, deliver the input, send was_killed, read the child pid and, within
 * the timeout, its wait status; on timeout kill the child and still read
 * the status the forkserver relays. Then the verdict, in AFL's order.
 * With lop's fast persistent protocol a run whose status was FS_LOP_ALIVE
 * leaves the child waiting on the pipe: the next command goes to it, and no
 * pid comes back (docs/protocol.md).
 */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* write() until done; pipes and files may take a buffer in pieces. */
static bool run_write_all(int fd, const uint8_t *buf, size_t len) {
  while (len) {
    ssize_t n = write(fd, buf, len);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return false;
    buf += n;
    len -= (size_t)n;
  }
  return true;
}

/* The stdin file: the new bytes written over the old at offset 0, cut
   only when shorter than before, the shared offset rewound for the child.
   Two system calls per run instead of truncating to zero and growing
   again, which costs block allocation on disk file systems (and a
   truncation every run costs ~2.5 us on ext4). That is exact because the
   target's stdin is read-only (fsrv.c): it cannot lengthen the file. */
static enum fsrv_err run_deliver_stdin(struct fsrv *f, const uint8_t *buf,
                                       size_t len) {
  size_t done = 0;
  while (done < len) {
    ssize_t n = pwrite(f->input_fd, buf + done, len - done, (off_t)done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return fsrv_fail(f, FSRV_E_SYS, "cannot write the input file: %s",
                       n < 0 ? strerror(errno) : "no space written");
    done += (size_t)n;
  }
  if ((len < f->input_len && ftruncate(f->input_fd, (off_t)len) < 0) ||
      lseek(f->input_rd_fd, 0, SEEK_SET) < 0)
    return fsrv_fail(f, FSRV_E_SYS, "cannot write the input file: %s",
                     strerror(errno));
  f->input_len = len;
  return FSRV_E_OK;
}

/* Where the input goes: testcase shm when negotiated, else the named file
   (rewritten, for "@@" / -f), else the shared stdin file rewound to 0. */
static enum fsrv_err run_deliver(struct fsrv *f, const uint8_t *buf,
                                 size_t len) {
  if (f->shm_testcase) {
    if (len > MAX_FILE)
      return fsrv_fail(f, FSRV_E_TOO_BIG,
                       "input of %zu bytes exceeds the %u byte testcase limit",
                       len, MAX_FILE);
    uint32_t l32 = (uint32_t)len;
    memcpy(f->fuzz_shm, &l32, sizeof(l32));
    memcpy(f->fuzz_shm + SHM_FUZZ_HDR, buf, len);
    return FSRV_E_OK;
  }
  if (f->input_path) {
    int fd =
        open(f->input_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    bool ok = fd >= 0 && run_write_all(fd, buf, len);
    int e = errno;
    if (fd >= 0)
      ok = (close(fd) == 0) && ok;
    return ok ? FSRV_E_OK
              : fsrv_fail(f, FSRV_E_SYS, "cannot write the input to %s: %s",
                          f->input_path, strerror(e));
  }
  return run_deliver_stdin(f, buf, len);
}

/* The forkserver is gone or broken: say how, and leave it reaped. */
static enum fsrv_err run_died(struct fsrv *f, const char *when) {
  int st;
  fsrv_reap(f, &st);
  if (WIFSIGNALED(st))
    return fsrv_fail(f, FSRV_E_FSRV_DIED,
                     "forkserver died %s (signal %d); restart it", when,
                     WTERMSIG(st));
  return fsrv_fail(f, FSRV_E_FSRV_DIED, "forkserver died %s; restart it", when);
}

/* Status of the run; a timeout kills the child and then the relayed status
   is still read, as every AFL client does, to keep the pipe in step. Only
   a child of the forkserver is killed: a pid word from a pipe out of step
   may name any process, and then the status never comes (forkserver
   died) rather than an unrelated process being killed. A
   fast persistent child that finished just as the timer fired has sent
   FS_LOP_ALIVE first: the forkserver's real status follows it. An alive
   iteration is recorded as the standard protocol's stopped status. */
static enum fsrv_err run_wait(struct fsrv *f) {
  uint32_t st;
  uint32_t wait_ms = fsrv_wait_ms(f);
  enum fsrv_io io = fsrv_read_word(f->st_fd, &st, f->timeout_ms);
  if (io == FSRV_IO_TIMEOUT) {
    if (fsrv_is_child_of(f->child_pid, f->fsrv_pid))
      kill(f->child_pid, SIGKILL);
    f->last_killed = true;
    io = fsrv_read_word(f->st_fd, &st, wait_ms);
    if (io == FSRV_IO_OK && st == FS_LOP_ALIVE)
      io = fsrv_read_word(f->st_fd, &st, wait_ms);
  }
  if (io != FSRV_IO_OK)
    return run_died(f, "while waiting for the run's status");
  f->fast_persist = st == FS_LOP_ALIVE;
  f->status = f->fast_persist ? W_STOPCODE(SIGSTOP) : (int)st;
  return FSRV_E_OK;
}

/* True when a word is already waiting on the status pipe before a run
   starts: only the forkserver relaying the death of an idle fast
   persistent child (killed from outside) writes one then. */
static bool run_status_pending(const struct fsrv *f) {
  struct pollfd p = {.fd = f->st_fd, .events = POLLIN};
  return poll(&p, 1, 0) == 1;
}

/* Before a run that would go straight to an alive fast persistent child:
   if that child died between runs, read its stale status so the pipe stays
   in step, and let the run fork a new child the usual way. */
static enum fsrv_err run_check_alive(struct fsrv *f) {
  uint32_t st;
  if (!f->fast_persist || !run_status_pending(f))
    return FSRV_E_OK;
  f->fast_persist = false;
  if (fsrv_read_word(f->st_fd, &st, fsrv_wait_ms(f)) != FSRV_IO_OK)
    return run_died(f, "between runs");
  return FSRV_E_OK;
}

/* Reads the pid of the child the forkserver forked (or woke) for this run. */
static enum fsrv_err run_read_pid(struct fsrv *f) {
  uint32_t pid;
  enum fsrv_io io = fsrv_read_word(f->st_fd, &pid, fsrv_wait_ms(f));
  if (io != FSRV_IO_OK)
    return run_died(f, "instead of reporting a child pid");
  if ((int32_t)pid <= 0) {
    fsrv_reap(f, NULL);
    return fsrv_fail(f, FSRV_E_FSRV_DIED,
                     "forkserver reported child pid %d (fork failed in the "
                     "target?); restart it",
                     (int32_t)pid);
  }
  f->child_pid = (pid_t)pid;
  return FSRV_E_OK;
}

/* Verdict order of PROTOCOL.md 3. Sanitizer exit codes count only for
   sanitizer builds, where ordinary programs cannot have chosen them. */
static enum fsrv_verdict run_verdict(const struct fsrv *f) {
  uint32_t sig;
  memcpy(&sig, f->map, sizeof(sig));
  if (sig == EXEC_FAIL_SIG)
    return FSRV_VERDICT_ERROR;
  if (f->last_killed)
    return FSRV_VERDICT_HANG;
  if (WIFSIGNALED(f->status))
    return FSRV_VERDICT_CRASH;
  if (f->uses_sanitizer && WIFEXITED(f->status) &&
      (WEXITSTATUS(f->status) == MSAN_ERROR ||
       WEXITSTATUS(f->status) == LSAN_ERROR))
    return FSRV_VERDICT_CRASH;
  return FSRV_VERDICT_OK;
}

enum fsrv_err fsrv_run(struct fsrv *f, const uint8_t *buf, size_t len,
                       enum fsrv_verdict *verdict) {
  *verdict = FSRV_VERDICT_ERROR;
  if (f->fsrv_pid <= 0 || !f->map)
    return fsrv_fail(f, FSRV_E_ARG, "the forkserver is not running");
  memset(f->map, 0, f->map_size);
  enum fsrv_err e = run_deliver(f, buf, len);
  if (e == FSRV_E_OK)
    e = run_check_alive(f);
  if (e != FSRV_E_OK)
    return e;
  if (!fsrv_write_word(f->ctl_fd, f->last_killed ? 1U : 0U))
    return run_died(f, "before the run");
  f->last_killed = false;
  /* An alive fast persistent child takes the command itself: no pid. */
  if (!f->fast_persist && (e = run_read_pid(f)) != FSRV_E_OK)
    return e;
  if ((e = run_wait(f)) != FSRV_E_OK)
    return e;
  *verdict = run_verdict(f);
  return FSRV_E_OK;
}
