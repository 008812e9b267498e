/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * The forkserver's signals, part of the runtime object. While it serves
 * runs the forkserver owns two signals of the program it lives in:
 * SIGCHLD at its default, so a harness that ignored it or installed a
 * handler reaping every child (waitpid(-1)) before __AFL_INIT() cannot take
 * a run's status away; and SIGALRM, raised by an interval timer without
 * SA_RESTART, so a waitpid() for a run that never ends wakes up now and
 * then to check that the fuzzer is still there. Each forked child gets the
 * harness's dispositions and signal mask back (timers are not inherited)
 * and is killed when its forkserver dies.
 */
#include "../runtime/rt.h"

#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/time.h>
#include <unistd.h>

/* The harness's dispositions and mask, restored in every child; the
   SIGCHLD disposition and the mask only when they differ from the
   forkserver's, to spare each fork two system calls. */
static struct sigaction rt_harness_chld;
static struct sigaction rt_harness_alrm;
static sigset_t rt_harness_mask;
static bool rt_restore_chld;
static bool rt_restore_mask;

/* Does nothing: its only effect is to interrupt a blocking waitpid(). */
static void rt_fsrv_on_alarm(int sig) { (void)sig; }

void rt_fsrv_own_signals(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof(sa));
  sigemptyset(&sa.sa_mask);
  sa.sa_handler = SIG_DFL;
  sigaction(SIGCHLD, &sa, &rt_harness_chld);
  sa.sa_handler = rt_fsrv_on_alarm; /* no SA_RESTART: waitpid gets EINTR */
  sigaction(SIGALRM, &sa, &rt_harness_alrm);
  sigset_t ours;
  sigemptyset(&ours);
  sigaddset(&ours, SIGCHLD);
  sigaddset(&ours, SIGALRM);
  sigprocmask(SIG_UNBLOCK, &ours, &rt_harness_mask);
  rt_restore_chld =
      rt_harness_chld.sa_handler != SIG_DFL || rt_harness_chld.sa_flags != 0;
  rt_restore_mask = sigismember(&rt_harness_mask, SIGCHLD) == 1 ||
                    sigismember(&rt_harness_mask, SIGALRM) == 1;
  struct itimerval every = {
      .it_interval = {.tv_sec = FSRV_WATCH_MS / 1000,
                      .tv_usec = (suseconds_t)(FSRV_WATCH_MS % 1000) * 1000},
  };
  every.it_value = every.it_interval;
  setitimer(ITIMER_REAL, &every, NULL);
}

void rt_fsrv_child_signals(pid_t forkserver) {
  if (rt_restore_chld)
    sigaction(SIGCHLD, &rt_harness_chld, NULL);
  sigaction(SIGALRM, &rt_harness_alrm, NULL);
  if (rt_restore_mask)
    sigprocmask(SIG_SETMASK, &rt_harness_mask, NULL);
  /* A forkserver that died before the prctl would leave the child alone. */
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != forkserver)
    _exit(1);
}

/* The fuzzer holds the only write end of the command pipe: once every
   writer is gone, poll() reports POLLHUP on fd 198 even with no event
   asked for, and a command still waiting in the pipe does not wake it. */
bool rt_fsrv_client_gone(void) {
  struct pollfd p = {.fd = FORKSRV_FD, .events = 0};
  return poll(&p, 1, 0) == 1 && (p.revents & (POLLHUP | POLLERR | POLLNVAL));
}
