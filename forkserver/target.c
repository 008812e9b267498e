/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * The target side of the forkserver wire (PROTOCOL.md sections 2.2 and 3),
 * linked into every instrumented program as part of the runtime object.
 * The process that says hello becomes the forkserver: for each command
 * from the fuzzer it forks a child that runs main() on one input (or wakes
 * the stopped persistent child), reports the child's pid and then its wait
 * status. Any broken pipe ends the forkserver; it never prints.
 *
 * Under lop's fast persistent protocol (rt_fast_persist) the persistent
 * child keeps the pipes and answers the client itself at the end of each
 * iteration (rt_fsrv_next_input); the forkserver then just waits for the
 * child to die, drops any command the dead child left unread, and relays
 * that status as usual.
 */
#include "../runtime/rt.h"
#include "../runtime/rt_calc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

RT_EXPORT uint8_t __afl_connected;

/* The persistent child stopped between two runs, or -1. */
static pid_t rt_stopped_child = -1;

/* Ends the forkserver. A stopped persistent child would otherwise stay
   stopped forever once its forkserver is gone, so it is killed first. */
static void rt_fsrv_leave(int code) {
  if (rt_stopped_child > 0) {
    kill(rt_stopped_child, SIGKILL);
    (void)waitpid(rt_stopped_child, NULL, 0);
  }
  _exit(code);
}

/* Writes one wire word to the fuzzer; false when the pipe is not there. */
static bool rt_fsrv_send(uint32_t word) {
  return write(FORKSRV_FD + 1, &word, sizeof(word)) == sizeof(word);
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

/* Prepares a freshly forked child. The standard child must not hold the
   pipes; the fast persistent one keeps them to talk to the client, but not
   across an exec of another program. */
static void rt_fsrv_child_setup(void) {
  if (rt_fast_persist) {
    fcntl(FORKSRV_FD, F_SETFD, FD_CLOEXEC);
    fcntl(FORKSRV_FD + 1, F_SETFD, FD_CLOEXEC);
    /* Its own pid first, so it always precedes the alive word. */
    if (!rt_fsrv_send((uint32_t)getpid()))
      _exit(1);
  } else {
    rt_fsrv_child_detach();
  }
  /* The fuzzer cleared the map: mark this run alive again. */
  __afl_area_ptr[0] = 1;
}

void rt_fsrv_fail(uint32_t code) {
  /* With no fuzzer listening the write fails; exiting is all that's left. */
  (void)rt_fsrv_send(FS_OPT_SET_ERROR(code));
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
  while (poll(&p, 1, 0) == 1 && (p.revents & POLLIN) &&
         read(FORKSRV_FD, &word, sizeof(word)) == sizeof(word))
    ;
}

/* waitpid() that survives signals a deferred harness may have set up
   without SA_RESTART; _exit(1) on real failure. */
static int rt_fsrv_wait(pid_t pid, int options) {
  int status;
  while (waitpid(pid, &status, options) < 0)
    if (errno != EINTR)
      rt_fsrv_leave(1);
  return status;
}

/* Serves run commands forever (PROTOCOL.md section 3). pending, when
   has_pending is set, is a command already read during the handshake.
   Returns only in a freshly forked child, which then runs main(). */
static void rt_fsrv_loop(uint32_t pending, bool has_pending) {
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
        rt_fsrv_child_setup();
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

/* Sends the dictionary: its length word, then the records; a broken pipe
   ends the forkserver. */
static void rt_fsrv_send_dict(const uint8_t *dict, uint32_t len) {
  if (!rt_fsrv_send(len))
    rt_fsrv_leave(1);
  while (len > 0) {
    ssize_t n = write(FORKSRV_FD + 1, dict, len);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      rt_fsrv_leave(1);
    dict += n;
    len -= (uint32_t)n;
  }
}

/* Handles the fuzzer's answer to a hello that asked for a testcase segment
   (shm_fuzz) or offered a dictionary (dict_len > 0): maps the segment and
   sends the dictionary where the answer says so. Returns true, with the
   word in *pending, when the word was no answer but already the first run
   command (fuzzers that do not reply). */
static bool rt_fsrv_answer(bool shm_fuzz, const uint8_t *dict,
                           uint32_t dict_len, uint32_t *pending) {
  uint32_t reply = rt_fsrv_recv();
  if (!rt_reply_is_answer(reply)) {
    *pending = reply;
    return true;
  }
  if (shm_fuzz && rt_reply_maps_testcase(reply))
    rt_shm_fuzz_attach();
  if (dict_len && (reply & FS_OPT_AUTODICT))
    rt_fsrv_send_dict(dict, dict_len);
  return false;
}

void rt_fsrv_start(void) {
  bool shm_fuzz = rt_shm_fuzz_wanted();
  uint32_t dict_len;
  const uint8_t *dict = rt_autodict(&dict_len);
  uint32_t hello = rt_hello_word(__afl_map_size, shm_fuzz);
  if (!rt_fsrv_send(dict_len ? hello | FS_OPT_AUTODICT : hello))
    return; /* no fuzzer: run normally, once */
  __afl_connected = 1;
  uint32_t pending = 0;
  bool has_pending = false;
  if (shm_fuzz || dict_len)
    has_pending = rt_fsrv_answer(shm_fuzz, dict, dict_len, &pending);
  rt_fsrv_loop(pending, has_pending);
}
