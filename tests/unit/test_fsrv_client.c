/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Unit tests of the client with real processes: the scripted forkserver
 * test-targets/conformance/fsrv-script.c (compiled here with cc) speaks
 * each hello of PROTOCOL.md 2.6 and serves runs that pass, crash, hang or
 * exit. Checks verdicts, delivery modes, error messages, and that no
 * segment, child or temp file survives any path.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "conformance.h"
#include "forkserver.h"

static char dir[] = "/tmp/lop-fsrv-test-XXXXXX";
static char script[PATH_MAX];
static char persist[PATH_MAX];

/* Segments this process created and has not removed yet. */
static int my_segments(void) {
  FILE *in = fopen("/proc/sysvipc/shm", "r");
  char line[512];
  int n = 0;
  if (!in)
    return -1;
  while (fgets(line, sizeof(line), in)) {
    long key, id, perms, size, cpid;
    if (sscanf(line, "%ld %ld %lo %ld %ld", &key, &id, &perms, &size, &cpid) ==
            5 &&
        cpid == getpid())
      n++;
  }
  fclose(in);
  return n;
}

static int setup(void **state) {
  (void)state;
  if (!mkdtemp(dir))
    return -1;
  snprintf(script, sizeof(script), "%s/fsrv-script", dir);
  snprintf(persist, sizeof(persist), "%s/fsrv-persist", dir);
  /* The second build carries both signatures (with their trailing NUL). */
  const char *sigs = "-DEXTRA='\"" PERSIST_SIG "\" \"\\0\" \"" DEFER_SIG "\"'";
  return conformance_build(script, "") == 0 &&
                 conformance_build(persist, sigs) == 0
             ? 0
             : -1;
}

static int teardown(void **state) {
  (void)state;
  return conformance_remove_dir(dir);
}

/* Start the script in a mode; asserts success. */
static void start(struct fsrv *f, const char *mode, bool shm) {
  char *argv[] = {script, (char *)mode, NULL};
  assert_int_equal(fsrv_init(f, argv, NULL, CONFORMANCE_TIMEOUT_MS), FSRV_E_OK);
  f->offer_shm_testcase = shm;
  enum fsrv_err e = fsrv_start(f);
  if (e != FSRV_E_OK)
    fail_msg("start %s: %s", mode, f->err);
}

static enum fsrv_verdict run(struct fsrv *f, const char *input) {
  enum fsrv_verdict v;
  assert_int_equal(fsrv_run(f, (const uint8_t *)input, strlen(input), &v),
                   FSRV_E_OK);
  return v;
}

/* Everything is gone: no segment of ours, no child left. */
static void assert_clean(void) {
  assert_int_equal(my_segments(), 0);
  assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
  assert_int_equal(errno, ECHILD);
}

static void check_mode(const char *mode, enum fsrv_hello_kind kind,
                       uint32_t size, bool shm) {
  struct fsrv f;
  start(&f, mode, shm);
  assert_int_equal(f.hello.kind, kind);
  assert_int_equal(f.map_size, size);
  assert_int_equal(f.shm_testcase, shm);
  assert_int_equal(run(&f, "abca"), FSRV_VERDICT_OK);
  assert_int_equal(fsrv_map_count(f.map, f.map_size), 3 + (size > MAP_SIZE));
  assert_int_equal(f.map[1 + 'a'], 2);
  assert_int_equal(f.status, 0);
  assert_true(f.child_pid > 0);
  fsrv_destroy(&f);
  assert_clean();
}

static void test_hello_classic(void **s) {
  (void)s;
  check_mode("classic", FSRV_HELLO_CLASSIC, MAP_SIZE, false);
}
static void test_hello_garbage(void **s) {
  (void)s;
  check_mode("garbage", FSRV_HELLO_CLASSIC, MAP_SIZE, false);
}
static void test_hello_extended(void **s) {
  (void)s;
  check_mode("extended", FSRV_HELLO_EXTENDED, MAP_SIZE, false);
}
static void test_hello_extended_shm(void **s) {
  (void)s;
  check_mode("extended", FSRV_HELLO_EXTENDED, MAP_SIZE, true);
}
static void test_hello_big_map(void **s) {
  (void)s;
  check_mode("big", FSRV_HELLO_EXTENDED, 2 * MAP_SIZE, false);
}
/* A target that refuses the first segment as too small (lop's runtime
   with a map over 64 KiB) gets the largest one, then runs on its map. */
static void test_map_did_not_fit(void **s) {
  (void)s;
  check_mode("needbig", FSRV_HELLO_EXTENDED, 3 * MAP_SIZE / 2, false);
}
static void test_hello_v1(void **s) {
  (void)s;
  check_mode("v1", FSRV_HELLO_V1, MAP_SIZE, false);
}
static void test_hello_v1_shm(void **s) {
  (void)s;
  check_mode("v1", FSRV_HELLO_V1, MAP_SIZE, true);
}

static void test_hello_dict(void **s) {
  (void)s;
  struct fsrv f;
  start(&f, "dict", false);
  assert_true(f.hello.autodict);
  assert_int_equal(f.autodict_len, 5);
  assert_int_equal(run(&f, "x"), FSRV_VERDICT_OK);
  fsrv_destroy(&f);
  assert_clean();
}

/* Start must fail with code e and a message containing text. */
static void check_fail(char **argv, enum fsrv_err e, const char *text) {
  struct fsrv f;
  enum fsrv_err got = fsrv_init(&f, argv, NULL, 50);
  if (got == FSRV_E_OK)
    got = fsrv_start(&f);
  assert_int_equal(got, e);
  if (!strstr(f.err, text))
    fail_msg("message '%s' lacks '%s'", f.err, text);
  fsrv_destroy(&f);
  assert_clean();
}

static void test_fail_silent(void **s) {
  (void)s;
  char *argv[] = {script, "silent", NULL};
  check_fail(argv, FSRV_E_NO_HELLO,
             "target did not say hello within 500 ms: not built with "
             "afl-clang-fast?");
}

static void test_fail_exit(void **s) {
  (void)s;
  char *argv[] = {script, "die", NULL};
  check_fail(argv, FSRV_E_EARLY_EXIT,
             "target exited during the handshake (exit code 3)");
  char *sig[] = {script, "diesig", NULL};
  check_fail(sig, FSRV_E_EARLY_EXIT,
             "target exited during the handshake (signal 11)");
  char *plain[] = {"true", NULL};
  check_fail(plain, FSRV_E_EARLY_EXIT, "(exit code 0)");
}

static void test_fail_error_words(void **s) {
  (void)s;
  char *a[] = {script, "errshmat", NULL};
  check_fail(a, FSRV_E_HELLO_ERROR,
             "target could not map the shared memory (shmat)");
  char *b[] = {script, "errv1", NULL};
  check_fail(b, FSRV_E_HELLO_ERROR, "(shm_open)");
  /* Refused again with the largest segment: the error, nothing left. */
  char *c[] = {script, "errmapsize", NULL};
  check_fail(c, FSRV_E_HELLO_ERROR,
             "target's coverage map is larger than the shared memory");
}

static void test_fail_not_found(void **s) {
  (void)s;
  char *a[] = {"/nonexistent/lop-target", NULL};
  check_fail(a, FSRV_E_NOT_FOUND, "'/nonexistent/lop-target' not found");
  char *b[] = {"lop-no-such-program-in-path", NULL};
  check_fail(b, FSRV_E_NOT_FOUND, "not found");
  char *c[] = {dir, NULL};
  check_fail(c, FSRV_E_NOT_FOUND, "not found or not executable");
}

/* Executable bit but no valid format: execv fails in the child, which
   leaves EXEC_FAIL_SIG in the map. */
static void test_fail_exec(void **s) {
  (void)s;
  char path[PATH_MAX];
  snprintf(path, sizeof(path), "%s/not-a-program", dir);
  FILE *out = fopen(path, "w");
  assert_non_null(out);
  fputs("\x01\x02garbage", out);
  fclose(out);
  chmod(path, 0755);
  char *a[] = {path, NULL};
  check_fail(a, FSRV_E_EXEC, "cannot execute target");
}

static void test_verdicts(void **s) {
  (void)s;
  struct fsrv f;
  start(&f, "extended", false);
  assert_int_equal(run(&f, "crash"), FSRV_VERDICT_CRASH);
  assert_true(WIFSIGNALED(f.status) && WTERMSIG(f.status) == SIGSEGV);
  assert_int_equal(run(&f, "hang"), FSRV_VERDICT_HANG);
  assert_int_equal(f.status, SIGKILL);
  assert_true(f.last_killed);
  assert_int_equal(run(&f, "exit:7"), FSRV_VERDICT_OK);
  assert_int_equal(f.status, 7 << 8);
  f.uses_sanitizer = true;
  assert_int_equal(run(&f, "exit:86"), FSRV_VERDICT_CRASH);
  assert_int_equal(run(&f, "exit:23"), FSRV_VERDICT_CRASH);
  assert_int_equal(run(&f, "nocov"), FSRV_VERDICT_OK);
  assert_int_equal(fsrv_map_count(f.map, f.map_size), 0);
  assert_int_equal(run(&f, "b"), FSRV_VERDICT_OK);
  assert_int_equal(f.map[1 + 'b'], 1);
  fsrv_destroy(&f);
  assert_clean();
}

/* "@@" gets a temp file that is rewritten per run and removed at the end. */
static void test_at_file(void **s) {
  (void)s;
  char *argv[] = {script, "classic", "@@", NULL};
  struct fsrv f;
  assert_int_equal(fsrv_init(&f, argv, NULL, CONFORMANCE_TIMEOUT_MS),
                   FSRV_E_OK);
  char *path = strdup(f.argv[2]);
  assert_string_not_equal(path, "@@");
  assert_int_equal(fsrv_start(&f), FSRV_E_OK);
  assert_int_equal(run(&f, "zz"), FSRV_VERDICT_OK);
  assert_int_equal(f.map[1 + 'z'], 2);
  assert_int_equal(run(&f, "y"), FSRV_VERDICT_OK);
  assert_int_equal(f.map[1 + 'z'], 0);
  assert_int_equal(f.map[1 + 'y'], 1);
  fsrv_destroy(&f);
  assert_int_equal(access(path, F_OK), -1);
  free(path);
  assert_clean();
}

/* Inputs through stdin that grow and shrink: each run reads exactly its
   own bytes, never the tail of a longer input before it. */
static void test_stdin_lengths(void **s) {
  (void)s;
  struct fsrv f;
  start(&f, "classic", false);
  assert_int_equal(run(&f, "aaaa"), FSRV_VERDICT_OK);
  assert_int_equal(f.map[1 + 'a'], 4);
  assert_int_equal(run(&f, "b"), FSRV_VERDICT_OK);
  assert_int_equal(f.map[1 + 'a'], 0);
  assert_int_equal(f.map[1 + 'b'], 1);
  assert_int_equal(run(&f, ""), FSRV_VERDICT_OK);
  assert_int_equal(fsrv_map_count(f.map, f.map_size), 0);
  assert_int_equal(run(&f, "cccccc"), FSRV_VERDICT_OK);
  assert_int_equal(f.map[1 + 'c'], 6);
  assert_int_equal(run(&f, "cc"), FSRV_VERDICT_OK);
  assert_int_equal(f.map[1 + 'c'], 2);
  fsrv_destroy(&f);
  assert_clean();
}

static void test_signatures_set_env(void **s) {
  (void)s;
  char *argv[] = {persist, "classic", NULL};
  struct fsrv f;
  assert_int_equal(fsrv_init(&f, argv, NULL, CONFORMANCE_TIMEOUT_MS),
                   FSRV_E_OK);
  assert_true(f.persistent);
  assert_true(f.deferred);
  assert_int_equal(fsrv_start(&f), FSRV_E_OK);
  assert_int_equal(run(&f, "env"), FSRV_VERDICT_OK);
  assert_int_equal(f.map[1], 2);
  assert_int_equal(f.map[2], 2);
  fsrv_destroy(&f);
  struct fsrv g;
  start(&g, "classic", false);
  assert_false(g.persistent);
  assert_int_equal(run(&g, "env"), FSRV_VERDICT_OK);
  assert_int_equal(g.map[1], 1);
  fsrv_destroy(&g);
  assert_clean();
}

static void test_forkserver_death(void **s) {
  (void)s;
  struct fsrv f;
  start(&f, "classic", false);
  kill(f.fsrv_pid, SIGKILL);
  enum fsrv_verdict v;
  assert_int_equal(fsrv_run(&f, (const uint8_t *)"a", 1, &v), FSRV_E_FSRV_DIED);
  assert_non_null(strstr(f.err, "forkserver died"));
  fsrv_destroy(&f);
  assert_clean();
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_hello_classic),
      cmocka_unit_test(test_hello_garbage),
      cmocka_unit_test(test_hello_extended),
      cmocka_unit_test(test_hello_extended_shm),
      cmocka_unit_test(test_hello_big_map),
      cmocka_unit_test(test_map_did_not_fit),
      cmocka_unit_test(test_hello_v1),
      cmocka_unit_test(test_hello_v1_shm),
      cmocka_unit_test(test_hello_dict),
      cmocka_unit_test(test_fail_silent),
      cmocka_unit_test(test_fail_exit),
      cmocka_unit_test(test_fail_error_words),
      cmocka_unit_test(test_fail_not_found),
      cmocka_unit_test(test_fail_exec),
      cmocka_unit_test(test_verdicts),
      cmocka_unit_test(test_at_file),
      cmocka_unit_test(test_stdin_lengths),
      cmocka_unit_test(test_signatures_set_env),
      cmocka_unit_test(test_forkserver_death),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
