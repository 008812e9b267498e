/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * A scripted, uninstrumented forkserver for the client's tests: argv[1]
 * picks the exact hello bytes it speaks on fd 199 (classic, extended, v1,
 * error words, silence, death, half a word, a v1 map too big, a map that
 * does not fit the segment), then it serves
 * runs like the real runtime. Each run reads its input (testcase shm, the file
 * argv[2], or stdin) and acts on it: "crash", "hang", "exit:N", "nocov", "env"
 * (map[1..3] and, when lop's fast persistent variable is set, map[5]),
 * "core" (map[4] is 2 when core dumps are allowed, else 1), or else counts
 * map[1 + byte]++ for every input byte (and then crashes if the input was
 * "crashcov"). Two inputs check the descriptors a run gets: "fds" sets
 * map[7] to 1 + the number of descriptors above 2 that are /dev/null, and
 * an input starting with "W" tries to write WRITE_BACK bytes into its own
 * stdin before counting (map[8] = 2 when it could). Mode "slowhello" waits SLOW_HELLO_US before a classic
 * hello. Built by the tests with cc.
 *
 * Mode "fast", when the client offers lop's fast persistent protocol,
 * serves every input in one child that ends each run by writing
 * FS_LOP_ALIVE itself, as lop's runtime does. There "late" hangs like
 * "hang", and once the client has killed the child the forkserver sends
 * FS_LOP_ALIVE before the real status: the byte order of a child that
 * finished just as the client's timer fired.
 *
 * Mode "foreign" reports, for each run, the pid of a process that is not
 * its child (a grandchild in a session of its own, left running) and never
 * a status: the pipe of a forkserver out of step.
 */
#include "config.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdbool.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>

/* Built with -DEXTRA='"sig"' to carry the persistent/deferred markers. */
#ifdef EXTRA
__attribute__((used)) static const char extra[] = EXTRA;
#endif

static uint8_t *map;
static uint8_t *fuzz;
static size_t map_len = MAP_SIZE;

/* map[LATE_BYTE] = LATE_MARK: the child is in a "late" run. */
#define LATE_BYTE 6
#define LATE_MARK 0x1a

static uint32_t rd(void) {
  uint32_t w;
  if (read(FORKSRV_FD, &w, 4) != 4)
    _exit(0);
  return w;
}

static void wr(uint32_t w) {
  if (write(FORKSRV_FD + 1, &w, 4) != 4)
    _exit(1);
}

static void *attach(const char *env) {
  const char *id = getenv(env);
  void *p = id ? shmat(atoi(id), NULL, 0) : (void *)-1;
  return p == (void *)-1 ? NULL : p;
}

/* Input "fds": the byte it sets. */
#define FDS_BYTE 7
/* Bytes an input starting with "W" tries to write into its stdin, and the
   map byte it sets to 2 when that succeeded. */
#define WRITE_BYTE 8
#define WRITE_BACK "XXXXXXXXXXXXXXXXXX"
/* Delay of mode "slowhello" before its hello, microseconds. */
#define SLOW_HELLO_US 200000

/* 1 + the descriptors above 2 that lead to /dev/null. */
static uint8_t stray_null_fds(void) {
  DIR *d = opendir("/proc/self/fd");
  struct dirent *e;
  uint8_t n = 1;
  while (d && (e = readdir(d))) {
    char path[64], target[64];
    int fd = atoi(e->d_name);
    snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
    ssize_t len = readlink(path, target, sizeof(target) - 1);
    if (fd <= 2 || fd == dirfd(d) || len < 0)
      continue;
    target[len] = 0;
    n += strcmp(target, "/dev/null") == 0;
  }
  if (d)
    closedir(d);
  return n;
}

/* Map size of mode "needbig": more than the client's first segment. */
#define NEED_SIZE (3 * MAP_SIZE / 2)

/* Size of the map segment the client made, 0 without one. */
static size_t segment_size(void) {
  const char *id = getenv(SHM_ENV_VAR);
  struct shmid_ds ds;
  return id && shmctl(atoi(id), IPC_STAT, &ds) == 0 ? ds.shm_segsz : 0;
}

/* One run, in the child (or alone when no fuzzer is attached). */
static void run_once(const char *path) {
  static uint8_t buf[4096];
  size_t n = 0;
  if (fuzz) {
    memcpy(&n, fuzz, 4);
    n = n > sizeof(buf) - 1 ? sizeof(buf) - 1 : n;
    memcpy(buf, fuzz + 4, n);
  } else {
    FILE *in = path ? fopen(path, "rb") : stdin;
    if (in == stdin) /* a fast child reads stdin again after its EOF */
      clearerr(stdin);
    n = in ? fread(buf, 1, sizeof(buf) - 1, in) : 0;
    if (in && in != stdin)
      fclose(in);
  }
  buf[n] = 0;
  if (!map)
    return;
  if (!strcmp((char *)buf, "crash"))
    kill(getpid(), SIGSEGV);
  if (!strcmp((char *)buf, "late"))
    map[LATE_BYTE] = LATE_MARK;
  if (!strcmp((char *)buf, "hang") || !strcmp((char *)buf, "late"))
    for (;;)
      pause();
  if (!strncmp((char *)buf, "exit:", 5))
    _exit(atoi((char *)buf + 5));
  if (!strcmp((char *)buf, "nocov"))
    return;
  if (!strcmp((char *)buf, "env")) {
    map[1] = getenv(PERSIST_ENV_VAR) ? 2 : 1;
    map[2] = getenv(DEFER_ENV_VAR) ? 2 : 1;
    map[3] = getenv(SHM_FUZZ_ENV_VAR) ? 2 : 1;
    if (getenv(FAST_PERSIST_ENV_VAR)) /* only then: older tests count 3 */
      map[5] = 2;
    return;
  }
  if (!strcmp((char *)buf, "fds")) {
    map[FDS_BYTE] = stray_null_fds();
    return;
  }
  if (buf[0] == 'W' && !path && /* map[8]: 2 when the write went through */
      write(0, WRITE_BACK, sizeof(WRITE_BACK) - 1) > 0)
    map[WRITE_BYTE] = 2;
  if (!strcmp((char *)buf, "core")) {
    struct rlimit r;
    map[4] = getrlimit(RLIMIT_CORE, &r) == 0 && r.rlim_cur ? 2 : 1;
    return;
  }
  for (size_t i = 0; i < n; i++)
    if (map[1 + buf[i]] < 255)
      map[1 + buf[i]]++;
  if (!strcmp((char *)buf, "crashcov")) /* crash after recording coverage */
    kill(getpid(), SIGSEGV);
  if (map_len > MAP_SIZE)
    map[map_len - 1] = 1;
}

static uint32_t extended(uint32_t size, uint32_t extra) {
  return FS_OPT_ENABLED | FS_OPT_MAPSIZE | FS_OPT_SET_MAPSIZE(size) | extra;
}

/* Sends the hello of mode; returns the first was_killed if one was
   consumed as a reply, else -1. */
static int64_t hello(const char *mode) {
  int want_shm = getenv(SHM_FUZZ_ENV_VAR) != NULL;
  if (!strcmp(mode, "silent"))
    for (;;)
      pause();
  if (!strcmp(mode, "slowhello"))
    usleep(SLOW_HELLO_US), mode = "classic";
  if (!strcmp(mode, "die"))
    exit(3);
  if (!strcmp(mode, "diesig"))
    kill(getpid(), SIGSEGV);
  if (!strcmp(mode, "errshmat"))
    wr(FS_OPT_SET_ERROR(FS_ERROR_SHMAT)), exit(1);
  if (!strcmp(mode, "errmapsize"))
    wr(FS_OPT_SET_ERROR(FS_ERROR_MAP_SIZE)), exit(1);
  /* As lop's runtime: a segment too small is refused before the hello. */
  if (!strcmp(mode, "needbig") && segment_size() < NEED_SIZE)
    wr(FS_OPT_SET_ERROR(FS_ERROR_MAP_SIZE)), exit(1);
  if (!strcmp(mode, "errv1"))
    wr(FS_NEW_ERROR | FS_ERROR_SHM_OPEN), exit(1);
  if (!strcmp(mode, "short")) /* half a word, then gone */
    exit(write(FORKSRV_FD + 1, "\x01\x02", 2) == 2 ? 0 : 1);
  if (!strcmp(mode, "v1huge")) { /* v1 announcing a 256 MiB map */
    wr(FS_NEW_HELLO);
    rd();
    wr(FS_NEW_OPT_MAPSIZE);
    wr(0x10000000U);
    wr(FS_NEW_HELLO);
  }
  if (!strcmp(mode, "classic"))
    wr(0);
  else if (!strcmp(mode, "garbage"))
    wr(0x12345678U);
  else if (!strcmp(mode, "big"))
    map_len = 2 * MAP_SIZE, wr(extended(2 * MAP_SIZE, 0));
  else if (!strcmp(mode, "needbig"))
    map_len = NEED_SIZE, wr(extended(NEED_SIZE, 0));
  else if (!strcmp(mode, "dict")) {
    wr(extended(MAP_SIZE, FS_OPT_AUTODICT));
    rd();
    wr(5);
    if (write(FORKSRV_FD + 1, "hello", 5) != 5)
      _exit(1);
  } else if (!strcmp(mode, "v1")) {
    wr(FS_NEW_HELLO);
    if (rd() != ~FS_NEW_HELLO)
      _exit(1);
    wr(FS_NEW_OPT_MAPSIZE | (want_shm ? FS_NEW_OPT_SHDMEM_FUZZ : 0));
    wr(MAP_SIZE);
    wr(FS_NEW_HELLO);
    if (want_shm)
      fuzz = attach(SHM_FUZZ_ENV_VAR);
  } else {
    wr(extended(MAP_SIZE, want_shm ? FS_OPT_SHDMEM_FUZZ : 0));
    if (want_shm) {
      uint32_t r = rd();
      if ((r & FS_OPT_REPLY_MASK) != FS_OPT_REPLY_MASK)
        return r;
      fuzz = attach(SHM_FUZZ_ENV_VAR);
    }
  }
  return -1;
}

/* The forked child's runs: one, or in fast mode one per command until the
   client goes away or a run ends the process. */
static void child(const char *path, bool fast) {
  if (!fast) {
    close(FORKSRV_FD);
    close(FORKSRV_FD + 1);
  } else {
    /* Its own pid, as lop's runtime does: from the parent it could come
       after this child's first alive word. */
    wr((uint32_t)getpid());
  }
  map[0] = 1;
  run_once(path);
  while (fast) {
    wr(FS_LOP_ALIVE);
    rd();
    map[0] = 1;
    run_once(path);
  }
  _exit(0);
}

/* Mode "foreign": the pid of a new process that is not our child (its
   parent exits at once) and outlives every kill of our process group. */
static pid_t foreign_pid(void) {
  int p[2];
  pid_t pid = 0;
  if (pipe(p) < 0)
    _exit(1);
  pid_t mid = fork();
  if (mid == 0) {
    pid_t far = fork();
    if (far == 0) {
      setsid();
      for (;;)
        pause();
    }
    _exit(write(p[1], &far, sizeof(far)) == sizeof(far) ? 0 : 1);
  }
  if (read(p[0], &pid, sizeof(pid)) != sizeof(pid))
    _exit(1);
  waitpid(mid, NULL, 0);
  close(p[0]);
  close(p[1]);
  return pid;
}

int main(int argc, char **argv) {
  const char *path = argc > 2 ? argv[2] : NULL;
  map = attach(SHM_ENV_VAR);
  if (!map || argc < 2 || fcntl(FORKSRV_FD + 1, F_GETFD) < 0) {
    run_once(path);
    return 0;
  }
  bool fast = !strcmp(argv[1], "fast") && getenv(PERSIST_ENV_VAR) &&
              getenv(FAST_PERSIST_ENV_VAR);
  int64_t first = hello(argv[1]);
  for (;;) {
    if (first < 0)
      rd();
    first = -1;
    if (!strcmp(argv[1], "foreign")) {
      wr((uint32_t)foreign_pid());
      for (;;)
        pause();
    }
    pid_t pid = fork();
    if (pid == 0)
      child(path, fast);
    int st;
    if (!fast)
      wr((uint32_t)pid);
    waitpid(pid, &st, 0);
    if (fast && map[LATE_BYTE] == LATE_MARK && WIFSIGNALED(st))
      wr(FS_LOP_ALIVE);
    wr((uint32_t)st);
  }
}
