/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Unit tests of the client's side of lop's fast persistent protocol, with
 * the scripted forkserver test-targets/conformance/fsrv-script.c in its
 * "fast" mode (a child that answers FS_LOP_ALIVE itself): when the client
 * offers the protocol, when it reads a pid and when not, what status and
 * verdict an alive run gets, and how it keeps the pipe in step when the
 * child dies at awkward moments.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "conformance.h"
#include "forkserver.h"

/* The stopped status an alive persistent iteration is reported as. */
#define FAST_STOPPED 0x137f

static char dir[] = "/tmp/lop-fsrv-fast-XXXXXX";
static char plain[PATH_MAX];
static char persist[PATH_MAX];

static int setup(void **state) {
  (void)state;
  if (!mkdtemp(dir))
    return -1;
  snprintf(plain, sizeof(plain), "%s/fsrv-script", dir);
  snprintf(persist, sizeof(persist), "%s/fsrv-persist", dir);
  const char *sig = "-DEXTRA='\"" PERSIST_SIG "\"'";
  return conformance_build(plain, "") == 0 &&
                 conformance_build(persist, sig) == 0
             ? 0
             : -1;
}

static int teardown(void **state) {
  (void)state;
  return conformance_remove_dir(dir);
}

/* The client of the test running now, until finish(): a test that fails
   half-way leaves it to stop_leftover, so its forkserver and children do
   not fail every later test's finish() as well. */
static struct fsrv *live;

static int stop_leftover(void **state) {
  (void)state;
  if (live)
    fsrv_destroy(live);
  live = NULL;
  return 0;
}

/* Starts target in mode; standard: do not offer the fast protocol. */
static void start(struct fsrv *f, char *target, const char *mode,
                  bool standard) {
  char *argv[] = {target, (char *)mode, NULL};
  assert_int_equal(fsrv_init(f, argv, NULL, CONFORMANCE_TIMEOUT_MS), FSRV_E_OK);
  live = f;
  f->no_fast_persist = standard;
  if (fsrv_start(f) != FSRV_E_OK)
    fail_msg("start %s: %s", mode, f->err);
}

static enum fsrv_verdict run(struct fsrv *f, const char *input) {
  enum fsrv_verdict v;
  enum fsrv_err e = fsrv_run(f, (const uint8_t *)input, strlen(input), &v);
  if (e != FSRV_E_OK)
    fail_msg("run '%s': %s", input, f->err);
  return v;
}

/* Stops f and checks no child of ours is left. */
static void finish(struct fsrv *f) {
  live = NULL;
  fsrv_destroy(f);
  assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
  assert_int_equal(errno, ECHILD);
}

/* The client offers the protocol to persistent targets only, and not when
   told to speak the standard protocol. */
static void test_offered_to_persistent_only(void **s) {
  (void)s;
  struct fsrv f;
  start(&f, persist, "extended", false);
  assert_int_equal(run(&f, "env"), FSRV_VERDICT_OK);
  assert_int_equal(f.map[5], 2);
  finish(&f);
  start(&f, persist, "extended", true);
  assert_int_equal(run(&f, "env"), FSRV_VERDICT_OK);
  assert_int_equal(f.map[5], 0);
  finish(&f);
  setenv(FAST_PERSIST_ENV_VAR, "1", 1); /* not passed on to others */
  start(&f, plain, "extended", false);
  unsetenv(FAST_PERSIST_ENV_VAR);
  assert_int_equal(run(&f, "env"), FSRV_VERDICT_OK);
  assert_int_equal(f.map[5], 0);
  finish(&f);
}

/* After an alive run the next input goes to the same child with no pid
   read: every run is ok, stopped-looking, in one process; each map is the
   run's own. */
static void test_alive_runs_share_one_child(void **s) {
  (void)s;
  struct fsrv f;
  start(&f, persist, "fast", false);
  assert_int_equal(run(&f, "aa"), FSRV_VERDICT_OK);
  pid_t pid = f.child_pid;
  for (int i = 0; i < 50; i++) {
    const char *in = i % 2 ? "bbb" : "c";
    assert_int_equal(run(&f, in), FSRV_VERDICT_OK);
    assert_true(f.fast_persist);
    assert_int_equal(f.status, FAST_STOPPED);
    assert_int_equal(f.child_pid, pid);
    assert_int_equal(f.map[1 + (i % 2 ? 'b' : 'c')], i % 2 ? 3 : 1);
    assert_int_equal(f.map[1 + 'a'], 0);
    assert_int_equal(f.map[0], 1);
  }
  finish(&f);
}

/* A child that ends (exit or crash) in the middle of the fast protocol:
   its real status and verdict, then the next input gets a fresh child
   through the forkserver, which reports its pid again. */
static void test_end_of_child_falls_back_to_fork(void **s) {
  (void)s;
  struct fsrv f;
  start(&f, persist, "fast", false);
  assert_int_equal(run(&f, "a"), FSRV_VERDICT_OK);
  pid_t first = f.child_pid;
  assert_int_equal(run(&f, "exit:5"), FSRV_VERDICT_OK);
  assert_false(f.fast_persist);
  assert_int_equal(f.status, 5 << 8);
  assert_int_equal(f.child_pid, first);
  assert_int_equal(run(&f, "b"), FSRV_VERDICT_OK);
  assert_true(f.fast_persist);
  pid_t second = f.child_pid;
  assert_true(second != first);
  assert_int_equal(run(&f, "crash"), FSRV_VERDICT_CRASH);
  assert_true(WIFSIGNALED(f.status) && WTERMSIG(f.status) == SIGSEGV);
  assert_int_equal(run(&f, "c"), FSRV_VERDICT_OK);
  assert_true(f.child_pid != second);
  assert_int_equal(f.map[1 + 'c'], 1);
  finish(&f);
}

/* A hang in an alive child: killed, reported as a hang with the relayed
   SIGKILL status; the next command says was_killed and gets a new child. */
static void test_hang_then_more_inputs(void **s) {
  (void)s;
  struct fsrv f;
  start(&f, persist, "fast", false);
  assert_int_equal(run(&f, "a"), FSRV_VERDICT_OK);
  pid_t first = f.child_pid;
  assert_int_equal(run(&f, "hang"), FSRV_VERDICT_HANG);
  assert_int_equal(f.status, SIGKILL);
  assert_false(f.fast_persist);
  assert_int_equal(run(&f, "dd"), FSRV_VERDICT_OK);
  assert_true(f.child_pid != first);
  assert_true(f.fast_persist);
  assert_int_equal(f.map[1 + 'd'], 2);
  assert_int_equal(run(&f, "e"), FSRV_VERDICT_OK);
  assert_int_equal(f.map[1 + 'e'], 1);
  finish(&f);
}

/* FS_LOP_ALIVE read after the kill (the child finished as the timer
   fired) is not the run's end: the client reads on to the real status,
   and the next runs stay in step. */
static void test_alive_after_kill_is_skipped(void **s) {
  (void)s;
  struct fsrv f;
  start(&f, persist, "fast", false);
  assert_int_equal(run(&f, "a"), FSRV_VERDICT_OK);
  assert_int_equal(run(&f, "late"), FSRV_VERDICT_HANG);
  assert_int_equal(f.status, SIGKILL);
  assert_false(f.fast_persist);
  assert_int_equal(run(&f, "exit:9"), FSRV_VERDICT_OK);
  assert_int_equal(f.status, 9 << 8);
  assert_int_equal(run(&f, "ff"), FSRV_VERDICT_OK);
  assert_int_equal(f.map[1 + 'f'], 2);
  finish(&f);
}

/* An alive child killed from outside between two runs: the forkserver's
   report of its death is read before the next run, which then forks a
   fresh child instead of taking that stale status for its own. */
static void test_child_killed_between_runs(void **s) {
  (void)s;
  struct fsrv f;
  start(&f, persist, "fast", false);
  assert_int_equal(run(&f, "a"), FSRV_VERDICT_OK);
  pid_t first = f.child_pid;
  assert_int_equal(kill(first, SIGKILL), 0);
  struct pollfd p = {.fd = f.st_fd, .events = POLLIN};
  assert_int_equal(poll(&p, 1, 10000), 1); /* the death is reported */
  assert_int_equal(run(&f, "gg"), FSRV_VERDICT_OK);
  assert_true(f.child_pid != first);
  assert_int_equal(f.map[1 + 'g'], 2);
  assert_int_equal(run(&f, "exit:4"), FSRV_VERDICT_OK);
  assert_int_equal(f.status, 4 << 8);
  finish(&f);
}

/* The standard protocol for the same script: a fork per run, no alive
   word, and fast_persist never set. */
static void test_standard_when_not_offered(void **s) {
  (void)s;
  struct fsrv f;
  start(&f, persist, "fast", true);
  assert_int_equal(run(&f, "a"), FSRV_VERDICT_OK);
  pid_t first = f.child_pid;
  assert_int_equal(f.status, 0);
  assert_false(f.fast_persist);
  assert_int_equal(run(&f, "a"), FSRV_VERDICT_OK);
  assert_true(f.child_pid != first);
  finish(&f);
}

/* A restarted client starts without an alive child. */
static void test_restart_forgets_alive_child(void **s) {
  (void)s;
  struct fsrv f;
  start(&f, persist, "fast", false);
  assert_int_equal(run(&f, "a"), FSRV_VERDICT_OK);
  assert_true(f.fast_persist);
  fsrv_stop(&f);
  assert_false(f.fast_persist);
  assert_int_equal(fsrv_start(&f), FSRV_E_OK);
  assert_int_equal(run(&f, "hh"), FSRV_VERDICT_OK);
  assert_int_equal(f.map[1 + 'h'], 2);
  finish(&f);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_teardown(test_offered_to_persistent_only, stop_leftover),
      cmocka_unit_test_teardown(test_alive_runs_share_one_child, stop_leftover),
      cmocka_unit_test_teardown(test_end_of_child_falls_back_to_fork,
                                stop_leftover),
      cmocka_unit_test_teardown(test_hang_then_more_inputs, stop_leftover),
      cmocka_unit_test_teardown(test_alive_after_kill_is_skipped,
                                stop_leftover),
      cmocka_unit_test_teardown(test_child_killed_between_runs, stop_leftover),
      cmocka_unit_test_teardown(test_standard_when_not_offered, stop_leftover),
      cmocka_unit_test_teardown(test_restart_forgets_alive_child,
                                stop_leftover),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
