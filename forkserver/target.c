/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * The target side of the forkserver wire (PROTOCOL.md sections 2.2 and 3),
 * linked into every instrumented program as part of the runtime object.
 * The process that says hello becomes the forkserver: for each command
 * from the fuzzer it forks a child that runs main() on one input (or wakes
 * the stopped persistent child), reports the child's pid and then its wait
 * status. Any broken pipe ends the forkserver; it never prints.
 *
 * It starts only when a fuzzer is really there: fds 198 and 199 are both
 * pipes and the fuzzer set __AFL_SHM_ID (or AFL_DUMB_FORKSRV, the one mode
 * in which afl-fuzz drives the forkserver without a map). Otherwise the
 * program runs once, as if it were not instrumented.
 *
 * While it waits for a child the forkserver owns SIGCHLD (a harness that
 * ignores it or reaps every child must not take the child's status away)
 * and watches fd 198: when the fuzzer dies the running child is killed and
 * the forkserver leaves. Each child gets the harness's signal dispositions
 * and mask back, and dies with its forkserver (PR_SET_PDEATHSIG).
 *
 * Under lop's fast persistent protocol (rt_fast_persist) the persistent
 * child keeps the pipes and answers the client itself at the end of each
 * iteration (rt_fsrv_next_input); the forkserver then just waits for the
 * child to die, drops any command the dead child left unread, and relays
 * that status as usual. Only that child speaks: a process the harness
 * forks from it leaves the persistent loop silently (rt_fsrv_is_run_process).
 */
#include "../runtime/rt.h"
#include "../runtime/rt_calc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

RT_EXPORT uint8_t __afl_connected;

/* The persistent child stopped between two runs, or -1. */
static pid_t rt_stopped_child = -1;

/* The process the forkserver started for the current run (set in that
   child), or 0 outside a run. */
static pid_t rt_run_pid;

/* A page the kernel zeroes in every process forked from its owner
   (MADV_WIPEONFORK), set to 1 in the run's child: a process the harness
   forks from it reads 0, at the cost of a load instead of a getpid()
   system call per persistent iteration. NULL where the kernel lacks it. */
static volatile uint8_t *rt_run_mark;

/* Maps rt_run_mark, in the forkserver before its first fork. */
static void rt_fsrv_mark_init(void) {
#ifdef MADV_WIPEONFORK
  size_t page = (size_t)sysconf(_SC_PAGESIZE);
  void *p = mmap(NULL, page, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED)
    return;
  if (madvise(p, page, MADV_WIPEONFORK) != 0) {
    munmap(p, page);
    return;
  }
  rt_run_mark = p;
#endif
}

/* Ends the forkserver. A stopped persistent child would otherwise stay
   stopped forever once its forkserver is gone, so it is killed first. */
static void rt_fsrv_leave(int code) {
  if (rt_stopped_child > 0) {
    kill(rt_stopped_child, SIGKILL);
    (void)waitpid(rt_stopped_child, NULL, 0);
  }
  _exit(code);
}

/* True when fd is open and a pipe (or FIFO). */
static bool rt_fd_is_pipe(int fd) {
  struct stat st;
  return fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode);
}

bool rt_fsrv_fuzzer_present(void) {
  static int present = -1;
  if (present < 0)
    present = (getenv(SHM_ENV_VAR) || getenv(DUMB_FORKSRV_ENV_VAR)) &&
              rt_fd_is_pipe(FORKSRV_FD) && rt_fd_is_pipe(FORKSRV_FD + 1);
  return present;
}

/* Writes one wire word to the fuzzer; false when the pipe is not there. */
static bool rt_fsrv_send(uint32_t word) {
  ssize_t n;
  while ((n = write(FORKSRV_FD + 1, &word, sizeof(word))) < 0 && errno == EINTR)
    ;
  return n == sizeof(word);
}

/* Reads one command word into *word, retrying after signals; false when
   the pipe is closed or missing (the fuzzer went away). */
static bool rt_fsrv_read_cmd(uint32_t *word) {
  ssize_t n;
  while ((n = read(FORKSRV_FD, word, sizeof(*word))) < 0 && errno == EINTR)
    ;
  return n == sizeof(*word);
}

/* Reads one command word; a closed or missing pipe means the fuzzer went
   away, and the forkserver leaves quietly. */
static uint32_t rt_fsrv_recv(void) {
  uint32_t word;
  if (!rt_fsrv_read_cmd(&word))
    rt_fsrv_leave(0);
  return word;
}

bool rt_fsrv_is_run_process(void) {
  return rt_run_mark ? *rt_run_mark == 1 : getpid() == rt_run_pid;
}

void rt_fsrv_next_input(void) {
  uint32_t cmd;
  /* A dead client: SIGPIPE or a failed write; either way this run is over. */
  if (!rt_fsrv_send(FS_LOP_ALIVE))
    _exit(1);
  /* The command is always 0: a child the client killed reads nothing. */
  if (!rt_fsrv_read_cmd(&cmd))
    _exit(0);
}

void rt_fsrv_child_detach(void) {
  close(FORKSRV_FD);
  close(FORKSRV_FD + 1);
}

/* Prepares a freshly forked child: the harness's signals back, death with
   the forkserver, and the pipes. The standard child must not hold the
   pipes; the fast persistent one keeps them to talk to the client, but not
   across an exec of another program. */
static void rt_fsrv_child_setup(pid_t forkserver) {
  rt_fsrv_child_signals(forkserver);
  rt_run_pid = getpid();
  if (rt_run_mark)
    *rt_run_mark = 1;
  if (rt_fast_persist) {
    fcntl(FORKSRV_FD, F_SETFD, FD_CLOEXEC);
    fcntl(FORKSRV_FD + 1, F_SETFD, FD_CLOEXEC);
    /* Its own pid first, so it always precedes the alive word. */
    if (!rt_fsrv_send((uint32_t)rt_run_pid))
      _exit(1);
  } else {
    rt_fsrv_child_detach();
  }
  /* The fuzzer cleared the map: mark this run alive again. */
  __afl_area_ptr[0] = 1;
}

void rt_fsrv_fail(uint32_t code, const char *fmt, ...) {
  if (rt_fsrv_fuzzer_present()) {
    /* The fuzzer says why in its own words. */
    (void)rt_fsrv_send(FS_OPT_SET_ERROR(code));
    _exit(1);
  }
  /* Nobody else would explain the exit: one line on stderr. */
  char line[512];
  va_list ap;
  va_start(ap, fmt);
  /* NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized) */
  int n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
  va_end(ap);
  if (n < 0)
    n = 0;
  if ((size_t)n > sizeof(line) - 2)
    n = (int)sizeof(line) - 2;
  line[n++] = '\n';
  (void)!write(STDERR_FILENO, line, (size_t)n);
  _exit(1);
}

/* A fast persistent child killed while it waited for a command (stopped,
   or not scheduled before the client's timer fired) leaves that command
   unread in the pipe. While the client waits for this child's status it
   writes nothing else, so every word there now was the dead child's: taken
   for the next run's command it would fork a child nobody asked for and
   put every later reply one run behind. */
static void rt_fsrv_drop_unread(void) {
  struct pollfd p = {.fd = FORKSRV_FD, .events = POLLIN};
  uint32_t word;
  for (;;) {
    int r = poll(&p, 1, 0);
    if (r < 0 && errno == EINTR)
      continue;
    if (r != 1 || !(p.revents & POLLIN) ||
        read(FORKSRV_FD, &word, sizeof(word)) != sizeof(word))
      return;
  }
}

/* waitpid() for the run's child. Signals interrupt it (the forkserver's
   watch timer among them): each time, a fuzzer that went away ends the
   run's child and the forkserver, so neither outlives the fuzzer.
   _exit(1) on real failure. */
static int rt_fsrv_wait(pid_t pid, int options) {
  int status;
  while (waitpid(pid, &status, options) < 0) {
    if (errno != EINTR)
      rt_fsrv_leave(1);
    if (rt_fsrv_client_gone()) {
      kill(pid, SIGKILL);
      (void)waitpid(pid, NULL, 0);
      rt_fsrv_leave(0);
    }
  }
  return status;
}

/* Serves run commands forever (PROTOCOL.md section 3). pending, when
   has_pending is set, is a command already read during the handshake.
   Returns only in a freshly forked child, which then runs main(). */
static void rt_fsrv_loop(uint32_t pending, bool has_pending) {
  pid_t self = getpid();
  for (;;) {
    uint32_t was_killed = has_pending ? pending : rt_fsrv_recv();
    has_pending = false;
    /* The fuzzer killed a timed-out persistent child: reap it. */
    if (rt_stopped_child > 0 && was_killed) {
      (void)rt_fsrv_wait(rt_stopped_child, 0);
      rt_stopped_child = -1;
    }
    pid_t child = rt_stopped_child;
    if (child > 0) {
      kill(child, SIGCONT);
      rt_stopped_child = -1;
    } else {
      child = fork();
      if (child < 0)
        _exit(1);
      if (child == 0) {
        rt_fsrv_child_setup(self);
        return;
      }
    }
    /* A fast persistent child reports its own pid (rt_fsrv_child_setup):
       sent from here, it could arrive after the child's first alive word
       whenever the child runs before the parent after fork(). */
    if (!rt_fast_persist && !rt_fsrv_send((uint32_t)child))
      rt_fsrv_leave(1);
    /* A fast persistent child never stops itself: wait for its death only
       (a stop by someone else then ends in the client's timeout). */
    bool untraced = rt_persistent && !rt_fast_persist;
    int status = rt_fsrv_wait(child, untraced ? WUNTRACED : 0);
    if (WIFSTOPPED(status))
      rt_stopped_child = child;
    if (rt_fast_persist)
      rt_fsrv_drop_unread();
    if (!rt_fsrv_send((uint32_t)status))
      rt_fsrv_leave(1);
  }
}

void rt_fsrv_start(void) {
  if (!rt_fsrv_fuzzer_present())
    return; /* no fuzzer: run normally, once */
  bool shm_fuzz = rt_shm_fuzz_wanted();
  if (!rt_fsrv_send(rt_hello_word(__afl_map_size, shm_fuzz)))
    return;
  __afl_connected = 1;
  uint32_t pending = 0;
  bool has_pending = false;
  if (shm_fuzz) {
    uint32_t reply = rt_fsrv_recv();
    if (rt_reply_maps_testcase(reply))
      rt_shm_fuzz_attach();
    else
      has_pending = true, pending = reply;
  }
  rt_fsrv_own_signals();
  rt_fsrv_mark_init();
  rt_fsrv_loop(pending, has_pending);
}
