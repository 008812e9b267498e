/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Unit tests of what the client leaves to chance when things go wrong,
 * with the scripted forkserver test-targets/conformance/fsrv-script.c: a
 * pid word out of step never gets an unrelated process killed, and the
 * segments are marked for removal from the start, so a client killed by
 * SIGKILL leaves none behind.
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
#include <sys/wait.h>
#include <unistd.h>

#include "conformance.h"
#include "forkserver.h"

/* Run timeout of the "foreign" test, ms: the status never comes, so the
   test lasts about FORK_WAIT_MULT + 1 times this. */
#define LIFE_FOREIGN_TIMEOUT_MS 300

static char dir[] = "/tmp/lop-fsrv-life-XXXXXX";
static char script[PATH_MAX];

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

/* True while process pid exists and is not a zombie. */
static bool running(pid_t pid) {
  char path[64], line[256];
  snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
  FILE *f = fopen(path, "r");
  if (!f)
    return false;
  char *got = fgets(line, sizeof(line), f);
  fclose(f);
  char *end = got ? strrchr(line, ')') : NULL;
  return end && end[1] == ' ' && end[2] != 'Z' && end[2] != 'X';
}

/* A forkserver whose pipe is out of step hands over the pid of a process
   that is not its child, and no status: the run fails with "forkserver
   died" after the timeout, and that process is left alone. */
static void test_never_kills_a_foreign_pid(void **state) {
  (void)state;
  struct fsrv f;
  char *argv[] = {script, "foreign", NULL};
  assert_int_equal(fsrv_init(&f, argv, NULL, LIFE_FOREIGN_TIMEOUT_MS),
                   FSRV_E_OK);
  assert_int_equal(fsrv_start(&f), FSRV_E_OK);
  enum fsrv_verdict v;
  assert_int_equal(fsrv_run(&f, (const uint8_t *)"a", 1, &v), FSRV_E_FSRV_DIED);
  pid_t foreign = f.child_pid;
  assert_true(foreign > 0);
  bool alive = running(foreign);
  kill(foreign, SIGKILL);
  fsrv_destroy(&f);
  assert_true(alive);
}

/* True when segment id exists and is marked for removal. */
static bool marked_for_removal(int id) {
  struct shmid_ds ds;
  return shmctl(id, IPC_STAT, &ds) == 0 && (ds.shm_perm.mode & SHM_DEST);
}

/* Once started, both segments are marked for removal (the target still
   attached them by id and runs use them), so they cannot outlive the
   client's death by SIGKILL. */
static void test_segments_marked_for_removal(void **state) {
  (void)state;
  struct fsrv f;
  char *argv[] = {script, "extended", NULL};
  assert_int_equal(fsrv_init(&f, argv, NULL, CONFORMANCE_TIMEOUT_MS),
                   FSRV_E_OK);
  f.offer_shm_testcase = true;
  assert_int_equal(fsrv_start(&f), FSRV_E_OK);
  assert_true(f.shm_testcase);
  bool map_marked = marked_for_removal(f.shm_id);
  bool testcase_marked = marked_for_removal(f.fuzz_shm_id);
  enum fsrv_verdict v;
  assert_int_equal(fsrv_run(&f, (const uint8_t *)"abca", 4, &v), FSRV_E_OK);
  assert_int_equal(v, FSRV_VERDICT_OK);
  assert_int_equal(f.map[1 + 'a'], 2);
  int map_id = f.shm_id;
  fsrv_destroy(&f);
  assert_true(map_marked);
  assert_true(testcase_marked);
  /* Gone once the last script process has died of the group kill. */
  struct shmid_ds ds;
  for (int i = 0; i < 10000 && shmctl(map_id, IPC_STAT, &ds) == 0; i++)
    usleep(1000);
  assert_int_equal(shmctl(map_id, IPC_STAT, &ds), -1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_never_kills_a_foreign_pid),
      cmocka_unit_test(test_segments_marked_for_removal),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
