/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Unit tests of forkserver/shm.c and cleanup.c with real SysV segments:
 * 0600 permissions, removal, and the registry removing what is left: in
 * the process that registered it only (not in a forked child that exits),
 * also for a signal that lands between shmget and registration (shmget is
 * wrapped, see test_shm_create.ldflags), for hundreds of resources, and
 * without touching signals the program ignores or handles itself. Cases
 * that need a process which never used the registry run in a fresh copy
 * of this program (run_fresh).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>

#include "forkserver.h"

/* Signal the wrapped shmget raises right after creating a segment, 0 for
   none: the moment between creation and registration. */
static int raise_after_shmget;

int __real_shmget(key_t key, size_t size, int flags);
int __wrap_shmget(key_t key, size_t size, int flags);

int __wrap_shmget(key_t key, size_t size, int flags) {
  int id = __real_shmget(key, size, flags);
  if (id >= 0 && raise_after_shmget)
    raise(raise_after_shmget);
  return id;
}

/* Segments created by process pid that still exist. */
static int segments_of(pid_t pid) {
  FILE *in = fopen("/proc/sysvipc/shm", "r");
  char line[512];
  int n = 0;
  while (in && fgets(line, sizeof(line), in)) {
    long key, id, perms, size, cpid;
    if (sscanf(line, "%ld %ld %lo %ld %ld", &key, &id, &perms, &size, &cpid) ==
            5 &&
        cpid == pid)
      n++;
  }
  if (in)
    fclose(in);
  return n;
}

/* Runs this program again with argument mode (see main) and returns its
   wait status, and its pid in *pid. */
static int run_fresh(const char *mode, pid_t *pid) {
  int st;
  *pid = fork();
  if (*pid == 0) {
    execl("/proc/self/exe", "test_shm_create", mode, (char *)NULL);
    _exit(127);
  }
  waitpid(*pid, &st, 0);
  return st;
}

static bool shm_exists(int id) {
  struct shmid_ds ds;
  return shmctl(id, IPC_STAT, &ds) == 0 && !(ds.shm_perm.mode & SHM_DEST);
}

static void test_create_remove(void **state) {
  (void)state;
  uint8_t *mem = NULL;
  int id = fsrv_shm_create(MAP_SIZE, &mem);
  assert_true(id >= 0);
  assert_non_null(mem);
  struct shmid_ds ds;
  assert_int_equal(shmctl(id, IPC_STAT, &ds), 0);
  assert_int_equal(ds.shm_perm.mode & 0777, 0600);
  assert_int_equal(ds.shm_segsz, MAP_SIZE);
  mem[MAP_SIZE - 1] = 1;
  fsrv_shm_remove(id, mem);
  assert_false(shm_exists(id));
}

static void test_cleanup_all_removes(void **state) {
  (void)state;
  uint8_t *mem = NULL;
  int id = fsrv_shm_create(4096, &mem);
  assert_true(id >= 0);
  char path[] = "/tmp/lop-test-cleanup-XXXXXX";
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  close(fd);
  assert_true(fsrv_cleanup_add_path(path));
  fsrv_cleanup_all();
  assert_false(shm_exists(id));
  assert_int_equal(access(path, F_OK), -1);
  shmdt(mem);
}

/* A tool killed by SIGTERM removes its segment in the handler. */
static void test_signal_removes(void **state) {
  (void)state;
  int p[2];
  assert_int_equal(pipe(p), 0);
  pid_t pid = fork();
  if (pid == 0) {
    uint8_t *mem;
    int id = fsrv_shm_create(4096, &mem);
    if (write(p[1], &id, sizeof(id)) != sizeof(id))
      _exit(1);
    for (;;)
      pause();
  }
  int id = -1;
  assert_int_equal(read(p[0], &id, sizeof(id)), sizeof(id));
  assert_true(id >= 0);
  assert_true(shm_exists(id));
  kill(pid, SIGTERM);
  int st;
  waitpid(pid, &st, 0);
  assert_true(WIFSIGNALED(st));
  assert_int_equal(WTERMSIG(st), SIGTERM);
  assert_false(shm_exists(id));
  close(p[0]);
  close(p[1]);
}

/* A forked child of a library user that calls exit() runs the inherited
   atexit hook: it must not remove the parent's segments or files. */
static void test_child_exit_keeps_parent_resources(void **state) {
  (void)state;
  uint8_t *mem = NULL;
  int id = fsrv_shm_create(4096, &mem);
  assert_true(id >= 0);
  char path[] = "/tmp/lop-test-child-exit-XXXXXX";
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  close(fd);
  assert_true(fsrv_cleanup_add_path(path));
  pid_t pid = fork();
  if (pid == 0)
    exit(0);
  int st;
  waitpid(pid, &st, 0);
  assert_true(WIFEXITED(st));
  assert_true(shm_exists(id));
  assert_int_equal(access(path, F_OK), 0);
  fsrv_shm_remove(id, mem);
  unlink(path);
  fsrv_cleanup_del_path(path);
}

/* A forked child that creates resources of its own cleans up those, and
   still not the parent's. */
static void test_child_cleans_its_own(void **state) {
  (void)state;
  uint8_t *mem = NULL;
  int id = fsrv_shm_create(4096, &mem);
  assert_true(id >= 0);
  int p[2];
  assert_int_equal(pipe(p), 0);
  pid_t pid = fork();
  if (pid == 0) {
    uint8_t *own;
    int child_id = fsrv_shm_create(4096, &own);
    if (write(p[1], &child_id, sizeof(child_id)) != sizeof(child_id))
      _exit(1);
    exit(0);
  }
  int child_id = -1, st;
  assert_int_equal(read(p[0], &child_id, sizeof(child_id)), sizeof(child_id));
  waitpid(pid, &st, 0);
  assert_true(child_id >= 0);
  assert_false(shm_exists(child_id));
  assert_true(shm_exists(id));
  fsrv_shm_remove(id, mem);
  close(p[0]);
  close(p[1]);
}

/* Fresh process: SIGTERM lands right after shmget, before the segment is
   registered; the segment must still be removed. */
static int fresh_signal_after_shmget(void) {
  uint8_t *mem;
  raise_after_shmget = SIGTERM;
  fsrv_shm_create(4096, &mem);
  return 3; /* not reached when SIGTERM was handled */
}

static void test_signal_between_create_and_register(void **state) {
  (void)state;
  pid_t pid;
  int st = run_fresh("signal-after-shmget", &pid);
  assert_true(WIFSIGNALED(st));
  assert_int_equal(WTERMSIG(st), SIGTERM);
  assert_int_equal(segments_of(pid), 0);
}

static void on_usr(int sig) { (void)sig; }

/* Fresh process: signals ignored at start (nohup, a background job's
   SIGINT) and a handler of the program's own stay as they were; a signal
   at its default gets the cleanup handler. Exit code: a bit per wrong
   disposition. */
static int fresh_dispositions(void) {
  struct sigaction own = {.sa_handler = on_usr}, now;
  sigemptyset(&own.sa_mask);
  signal(SIGHUP, SIG_IGN);
  signal(SIGINT, SIG_IGN);
  sigaction(SIGTERM, &own, NULL);
  uint8_t *mem;
  int id = fsrv_shm_create(4096, &mem);
  fsrv_shm_remove(id, mem);
  int bad = id < 0;
  sigaction(SIGHUP, NULL, &now);
  bad |= (now.sa_handler != SIG_IGN) << 1;
  sigaction(SIGINT, NULL, &now);
  bad |= (now.sa_handler != SIG_IGN) << 2;
  sigaction(SIGTERM, NULL, &now);
  bad |= (now.sa_handler != on_usr) << 3;
  return bad;
}

/* Fresh process: with SIGTERM at its default, the registry handles it. */
static int fresh_default_handled(void) {
  uint8_t *mem;
  struct sigaction now;
  int id = fsrv_shm_create(4096, &mem);
  fsrv_shm_remove(id, mem);
  sigaction(SIGTERM, NULL, &now);
  return now.sa_handler == SIG_DFL || now.sa_handler == SIG_IGN;
}

static void test_ignored_and_own_signals_kept(void **state) {
  (void)state;
  pid_t pid;
  int st = run_fresh("dispositions", &pid);
  assert_true(WIFEXITED(st));
  assert_int_equal(WEXITSTATUS(st), 0);
  st = run_fresh("default-handled", &pid);
  assert_true(WIFEXITED(st));
  assert_int_equal(WEXITSTATUS(st), 0);
}

/* More resources than one block of the registry holds (the library once
   had 32 slots, 16 forkservers): every registration succeeds and
   fsrv_cleanup_all removes them all. */
static void test_many_resources(void **state) {
  (void)state;
  enum { N = 5 * FSRV_CLEANUP_SLOTS };
  static int ids[N];
  static uint8_t *mems[N];
  static char paths[N][64];
  for (int i = 0; i < N; i++) {
    ids[i] = fsrv_shm_create(4096, &mems[i]);
    assert_true(ids[i] >= 0);
    snprintf(paths[i], sizeof(paths[i]), "/tmp/lop-test-many-XXXXXX");
    int fd = mkstemp(paths[i]);
    assert_true(fd >= 0);
    close(fd);
    assert_true(fsrv_cleanup_add_path(paths[i]));
  }
  fsrv_cleanup_all();
  for (int i = 0; i < N; i++) {
    assert_false(shm_exists(ids[i]));
    assert_int_equal(access(paths[i], F_OK), -1);
    shmdt(mems[i]);
  }
}

int main(int argc, char **argv) {
  if (argc > 1 && !strcmp(argv[1], "signal-after-shmget"))
    return fresh_signal_after_shmget();
  if (argc > 1 && !strcmp(argv[1], "dispositions"))
    return fresh_dispositions();
  if (argc > 1 && !strcmp(argv[1], "default-handled"))
    return fresh_default_handled();
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_create_remove),
      cmocka_unit_test(test_cleanup_all_removes),
      cmocka_unit_test(test_signal_removes),
      cmocka_unit_test(test_child_exit_keeps_parent_resources),
      cmocka_unit_test(test_child_cleans_its_own),
      cmocka_unit_test(test_signal_between_create_and_register),
      cmocka_unit_test(test_ignored_and_own_signals_kept),
      cmocka_unit_test(test_many_resources),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
