/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Unit tests of how the client starts and feeds a target, with the scripted
 * forkserver test-targets/conformance/fsrv-script.c: the descriptors a run
 * gets (no stray /dev/null), the input delivered exactly even when the
 * target writes into its stdin, a forked child of the client that exits
 * without harming the client's forkservers, many forkservers in one
 * process, messages that name the full system limit (shmget is wrapped),
 * and timeouts too large for poll's int (poll is wrapped). See
 * test_fsrv_spawn.ldflags.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>

#include "conformance.h"
#include "forkserver.h"

static char dir[] = "/tmp/lop-fsrv-spawn-XXXXXX";
static char script[PATH_MAX];

/* errno the wrapped shmget fails with, 0 to pass through. */
static int shmget_errno;
/* Smallest timeout the client passed to poll since the last reset. */
static int poll_min_timeout = INT_MAX;

int __real_shmget(key_t key, size_t size, int flags);
int __wrap_shmget(key_t key, size_t size, int flags);
int __real_poll(struct pollfd *fds, nfds_t n, int timeout);
int __wrap_poll(struct pollfd *fds, nfds_t n, int timeout);

int __wrap_shmget(key_t key, size_t size, int flags) {
  if (shmget_errno) {
    errno = shmget_errno;
    return -1;
  }
  return __real_shmget(key, size, flags);
}

int __wrap_poll(struct pollfd *fds, nfds_t n, int timeout) {
  if (timeout < poll_min_timeout)
    poll_min_timeout = timeout;
  return __real_poll(fds, n, timeout);
}

static int setup(void **state) {
  (void)state;
  if (!mkdtemp(dir))
    return -1;
  snprintf(script, sizeof(script), "%s/fsrv-script", dir);
  return conformance_build(script, "");
}

static int teardown(void **state) {
  (void)state;
  return conformance_remove_dir(dir);
}

/* Segments this process created and has not removed yet. */
static int my_segments(void) {
  FILE *in = fopen("/proc/sysvipc/shm", "r");
  char line[512];
  int n = 0;
  while (in && fgets(line, sizeof(line), in)) {
    long key, id, perms, size, cpid;
    if (sscanf(line, "%ld %ld %lo %ld %ld", &key, &id, &perms, &size, &cpid) ==
            5 &&
        cpid == getpid())
      n++;
  }
  if (in)
    fclose(in);
  return n;
}

static void assert_clean(void) {
  assert_int_equal(my_segments(), 0);
  assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
  assert_int_equal(errno, ECHILD);
}

static void start_mode(struct fsrv *f, const char *mode, bool shm,
                       uint32_t timeout_ms) {
  char *argv[] = {script, (char *)mode, NULL};
  assert_int_equal(fsrv_init(f, argv, NULL, timeout_ms), FSRV_E_OK);
  f->offer_shm_testcase = shm;
  if (fsrv_start(f) != FSRV_E_OK)
    fail_msg("start %s: %s", mode, f->err);
}

static enum fsrv_verdict run(struct fsrv *f, const char *input) {
  enum fsrv_verdict v;
  assert_int_equal(fsrv_run(f, (const uint8_t *)input, strlen(input), &v),
                   FSRV_E_OK);
  return v;
}

/* After a test that failed half-way: its forkservers and segments go, and
   shmget works again, so later tests start clean. */
static int stop_leftovers(void **state) {
  (void)state;
  shmget_errno = 0;
  fsrv_cleanup_all();
  while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
    ;
  return 0;
}

/* 1 + the descriptors above 2 of this process that are /dev/null and
   not close-on-exec: what a target inherits from the test itself, the
   value of the script's "fds" input when spawning adds none. */
static uint8_t inherited_null_fds(void) {
  uint8_t n = 1;
  char path[64], target[64];
  for (int fd = 3; fd < 1024; fd++) {
    snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
    ssize_t len = readlink(path, target, sizeof(target) - 1);
    if (len < 0 || (fcntl(fd, F_GETFD) & FD_CLOEXEC))
      continue;
    target[len] = 0;
    n += strcmp(target, "/dev/null") == 0;
  }
  return n;
}

/* Neither the forkserver nor a run holds a /dev/null descriptor besides
   its standard ones (and what the test process itself passes on). */
static void test_no_stray_dev_null(void **s) {
  (void)s;
  struct fsrv f;
  start_mode(&f, "classic", false, CONFORMANCE_TIMEOUT_MS);
  assert_int_equal(run(&f, "fds"), FSRV_VERDICT_OK);
  assert_int_equal(f.map[7], inherited_null_fds());
  fsrv_destroy(&f);
  char *argv[] = {script, "classic", "@@", NULL};
  assert_int_equal(fsrv_init(&f, argv, NULL, CONFORMANCE_TIMEOUT_MS),
                   FSRV_E_OK);
  assert_int_equal(fsrv_start(&f), FSRV_E_OK);
  assert_int_equal(run(&f, "fds"), FSRV_VERDICT_OK);
  assert_int_equal(f.map[7], inherited_null_fds());
  fsrv_destroy(&f);
  assert_clean();
}

/* A target's stdin is read-only, as with "prog < file": what it tries to
   write there never reaches a later input, of any length. */
static void test_stdin_write_back(void **s) {
  (void)s;
  struct fsrv f;
  start_mode(&f, "classic", false, CONFORMANCE_TIMEOUT_MS);
  assert_int_equal(run(&f, "W"), FSRV_VERDICT_OK);
  assert_int_equal(f.map[8], 0);
  assert_int_equal(run(&f, "a"), FSRV_VERDICT_OK);
  assert_int_equal(f.map[1 + 'X'], 0);
  assert_int_equal(f.map[1 + 'a'], 1);
  assert_int_equal(fsrv_map_count(f.map, f.map_size), 1);
  assert_int_equal(run(&f, "Wbb"), FSRV_VERDICT_OK);
  assert_int_equal(run(&f, "Wbbbbbb"), FSRV_VERDICT_OK);
  assert_int_equal(run(&f, "cc"), FSRV_VERDICT_OK);
  assert_int_equal(f.map[1 + 'X'], 0);
  assert_int_equal(f.map[1 + 'c'], 2);
  assert_int_equal(fsrv_map_count(f.map, f.map_size), 1);
  fsrv_destroy(&f);
  assert_clean();
}

/* A forked child of the client calling exit() (a library user's helper
   process) leaves the client's forkserver, segments and temp file alone. */
static void test_child_exit_keeps_forkserver(void **s) {
  (void)s;
  struct fsrv f;
  char *argv[] = {script, "extended", "@@", NULL};
  assert_int_equal(fsrv_init(&f, argv, NULL, CONFORMANCE_TIMEOUT_MS),
                   FSRV_E_OK);
  assert_int_equal(fsrv_start(&f), FSRV_E_OK);
  pid_t pid = fork();
  if (pid == 0)
    exit(0);
  int st;
  assert_int_equal(waitpid(pid, &st, 0), pid);
  assert_int_equal(run(&f, "ab"), FSRV_VERDICT_OK);
  assert_int_equal(f.map[1 + 'a'], 1);
  assert_int_equal(access(f.input_path, F_OK), 0);
  fsrv_destroy(&f);
  assert_clean();
}

/* More forkservers than the registry's first block holds segments for,
   each with a testcase segment: all start, run and stop cleanly. */
static void test_many_forkservers(void **s) {
  (void)s;
  enum { N = FSRV_CLEANUP_SLOTS + 4 };
  static struct fsrv f[N];
  for (int i = 0; i < N; i++)
    start_mode(&f[i], "extended", true, CONFORMANCE_TIMEOUT_MS);
  for (int i = 0; i < N; i++) {
    assert_true(f[i].shm_testcase);
    assert_int_equal(run(&f[i], "q"), FSRV_VERDICT_OK);
    assert_int_equal(f[i].map[1 + 'q'], 1);
  }
  for (int i = 0; i < N; i++)
    fsrv_destroy(&f[i]);
  assert_clean();
}

/* Start must fail with a message containing text. */
static void check_start_fails(const char *text) {
  struct fsrv f;
  char *argv[] = {script, "classic", NULL};
  assert_int_equal(fsrv_init(&f, argv, NULL, CONFORMANCE_TIMEOUT_MS),
                   FSRV_E_OK);
  assert_int_equal(fsrv_start(&f), FSRV_E_SYS);
  if (!strstr(f.err, text))
    fail_msg("message '%s' lacks '%s'", f.err, text);
  fsrv_destroy(&f);
}

/* A full system table is named as what it is. */
static void test_full_system_limits_named(void **s) {
  (void)s;
  shmget_errno = ENOSPC;
  check_start_fails("the system's shared memory limit is reached "
                    "(kernel.shmmni segments or kernel.shmall pages); "
                    "remove stale segments (ipcs -m) or raise the limit");
  shmget_errno = EINVAL;
  check_start_fails("65536 bytes is more than kernel.shmmax allows");
  shmget_errno = 0;
  assert_clean();
}

/* A timeout beyond INT_MAX ms, once multiplied for the handshake, is
   never handed to poll as a negative (= infinite) wait. */
static void test_huge_timeout_not_infinite(void **s) {
  (void)s;
  struct fsrv f;
  poll_min_timeout = INT_MAX;
  start_mode(&f, "classic", false, 300000000U);
  assert_int_equal(run(&f, "a"), FSRV_VERDICT_OK);
  assert_true(poll_min_timeout >= 0);
  fsrv_destroy(&f);
  assert_clean();
}

/* The handshake's FORK_WAIT_MULT timeouts do not wrap around 32 bits (a
   -t just above UINT32_MAX / FORK_WAIT_MULT once gave a 4 ms handshake). */
static void test_handshake_wait_does_not_wrap(void **s) {
  (void)s;
  struct fsrv f;
  start_mode(&f, "slowhello", false, UINT32_MAX / FORK_WAIT_MULT + 1);
  assert_int_equal(run(&f, "a"), FSRV_VERDICT_OK);
  fsrv_destroy(&f);
  assert_clean();
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_teardown(test_no_stray_dev_null, stop_leftovers),
      cmocka_unit_test_teardown(test_stdin_write_back, stop_leftovers),
      cmocka_unit_test_teardown(test_child_exit_keeps_forkserver,
                                stop_leftovers),
      cmocka_unit_test_teardown(test_many_forkservers, stop_leftovers),
      cmocka_unit_test_teardown(test_full_system_limits_named, stop_leftovers),
      cmocka_unit_test_teardown(test_huge_timeout_not_infinite, stop_leftovers),
      cmocka_unit_test_teardown(test_handshake_wait_does_not_wrap,
                                stop_leftovers),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
