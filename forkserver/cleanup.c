/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Registry of everything the client library creates that must not outlive
 * the process: SysV segments, forkserver process groups, temp files. An
 * atexit hook and SIGINT/SIGTERM/SIGHUP handlers empty it, so Ctrl-C or an
 * error exit in a tool leaves nothing behind. Fixed slots, no allocation:
 * the handler may run at any moment.
 */
#include "forkserver.h"
#include "internal.h"

#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/shm.h>
#include <unistd.h>

static volatile int cleanup_shm[FSRV_CLEANUP_SLOTS];
static volatile pid_t cleanup_pgid[FSRV_CLEANUP_SLOTS];
static char cleanup_path[FSRV_CLEANUP_SLOTS][PATH_MAX];
static bool cleanup_installed;

/* Runs the cleanup, then dies of the same signal so the parent shell sees
   the usual status (130 for Ctrl-C). */
static void cleanup_on_signal(int sig) {
  fsrv_cleanup_all();
  signal(sig, SIG_DFL);
  raise(sig);
}

/* Installed once, lazily: a program that never creates a resource keeps
   its own signal dispositions. SIGPIPE is ignored so a dead forkserver
   shows up as EPIPE instead of killing the tool before cleanup. */
static void cleanup_install(void) {
  static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
  if (cleanup_installed)
    return;
  cleanup_installed = true;
  for (size_t i = 0; i < FSRV_CLEANUP_SLOTS; i++) {
    cleanup_shm[i] = -1;
    cleanup_pgid[i] = 0;
  }
  atexit(fsrv_cleanup_all);
  struct sigaction sa = {.sa_handler = cleanup_on_signal};
  sigemptyset(&sa.sa_mask);
  for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
    sigaction(sigs[i], &sa, NULL);
  struct sigaction old;
  if (sigaction(SIGPIPE, NULL, &old) == 0 && old.sa_handler == SIG_DFL)
    signal(SIGPIPE, SIG_IGN);
}

bool fsrv_cleanup_add_shm(int id) {
  cleanup_install();
  for (size_t i = 0; i < FSRV_CLEANUP_SLOTS; i++)
    if (cleanup_shm[i] < 0) {
      cleanup_shm[i] = id;
      return true;
    }
  return false;
}

bool fsrv_cleanup_add_pgid(pid_t pgid) {
  cleanup_install();
  for (size_t i = 0; i < FSRV_CLEANUP_SLOTS; i++)
    if (cleanup_pgid[i] == 0) {
      cleanup_pgid[i] = pgid;
      return true;
    }
  return false;
}

/* The path is stored complete before the slot becomes visible (first
   byte last), so a handler never unlinks half a name. */
bool fsrv_cleanup_add_path(const char *path) {
  size_t len = strlen(path);
  cleanup_install();
  if (len == 0 || len >= PATH_MAX)
    return false;
  for (size_t i = 0; i < FSRV_CLEANUP_SLOTS; i++)
    if (cleanup_path[i][0] == 0) {
      memcpy(cleanup_path[i] + 1, path + 1, len);
      cleanup_path[i][0] = path[0];
      return true;
    }
  return false;
}

void fsrv_cleanup_del_shm(int id) {
  for (size_t i = 0; cleanup_installed && i < FSRV_CLEANUP_SLOTS; i++)
    if (cleanup_shm[i] == id)
      cleanup_shm[i] = -1;
}

void fsrv_cleanup_del_pgid(pid_t pgid) {
  for (size_t i = 0; cleanup_installed && i < FSRV_CLEANUP_SLOTS; i++)
    if (cleanup_pgid[i] == pgid)
      cleanup_pgid[i] = 0;
}

void fsrv_cleanup_del_path(const char *path) {
  for (size_t i = 0; cleanup_installed && i < FSRV_CLEANUP_SLOTS; i++)
    if (cleanup_path[i][0] && strcmp(cleanup_path[i], path) == 0)
      cleanup_path[i][0] = 0;
}

/* Only async-signal-safe calls: kill, shmctl, unlink. */
void fsrv_cleanup_all(void) {
  for (size_t i = 0; cleanup_installed && i < FSRV_CLEANUP_SLOTS; i++) {
    if (cleanup_pgid[i] > 0) {
      kill(-cleanup_pgid[i], SIGKILL);
      cleanup_pgid[i] = 0;
    }
    if (cleanup_shm[i] >= 0) {
      shmctl(cleanup_shm[i], IPC_RMID, NULL);
      cleanup_shm[i] = -1;
    }
    if (cleanup_path[i][0]) {
      unlink(cleanup_path[i]);
      cleanup_path[i][0] = 0;
    }
  }
}
