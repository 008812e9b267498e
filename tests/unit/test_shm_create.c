/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Unit tests of forkserver/shm.c and cleanup.c with real SysV segments:
 * 0600 permissions, removal, and the registry removing what is left.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>

#include "forkserver.h"

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

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_create_remove),
      cmocka_unit_test(test_cleanup_all_removes),
      cmocka_unit_test(test_signal_removes),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
