/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Life cycle of one forkserver client: init (argv copy, "@@", input file,
 * target lookup, signatures), start (segments, spawn, handshake, one restart
 * when the target needs a bigger map), stop and destroy. Also the names and
 * messages of the public enums.
 */
#include "internal.h"
#include "resolve.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/shm.h>
#include <unistd.h>

/* The template "$TMPDIR/lop-input-XXXXXX" (else /tmp) into buf. */
static bool fsrv_temp_name(char *buf, size_t size) {
  const char *dir = getenv("TMPDIR");
  if (!dir || !*dir)
    dir = "/tmp";
  int n = snprintf(buf, size, "%s/lop-input-XXXXXX", dir);
  if (n >= 0 && (size_t)n < size)
    return true;
  errno = ENAMETOOLONG;
  return false;
}

/* "@@" without a named file: a temp file, closed and registered for
   removal. Signals are held back from creating to registering, so none
   can leave it behind. 0, or -1 with errno. */
static int fsrv_temp_at_file(char *buf, size_t size) {
  if (!fsrv_temp_name(buf, size))
    return -1;
  sigset_t old;
  fsrv_cleanup_block(&old);
  int fd = mkostemp(buf, O_CLOEXEC);
  bool registered = fd >= 0 && fsrv_cleanup_add_path(buf);
  if (fd >= 0)
    close(fd);
  if (fd >= 0 && !registered)
    unlink(buf);
  fsrv_cleanup_unblock(&old);
  if (fd >= 0 && !registered)
    errno = ENOMEM;
  return registered ? 0 : -1;
}

/* stdin: an unlinked temp file, opened twice. The client writes through
   f->input_fd (read-write); the target gets f->input_rd_fd, read-only as
   with "prog < file", so nothing it does to its stdin can reach a later
   input, and the file need only be cut when an input is shorter than the
   one before. The forked children share that description's offset, which
   run.c rewinds. Both descriptors stay above 0-2. 0, or -1 with errno. */
static int fsrv_temp_stdin(struct fsrv *f, char *buf, size_t size) {
  if (!fsrv_temp_name(buf, size))
    return -1;
  sigset_t old;
  fsrv_cleanup_block(&old);
  int fd = mkostemp(buf, O_CLOEXEC);
  int rd = fd >= 0 ? open(buf, O_RDONLY | O_CLOEXEC) : -1;
  if (fd >= 0)
    unlink(buf);
  fsrv_cleanup_unblock(&old);
  f->input_fd = fsrv_fd_above_std(fd);
  f->input_rd_fd = fsrv_fd_above_std(rd);
  return f->input_fd >= 0 && f->input_rd_fd >= 0 ? 0 : -1;
}

/* Where the input goes: a named file, a temp file for "@@", or stdin
   (fsrv_temp_stdin). */
static enum fsrv_err fsrv_init_input(struct fsrv *f, const char *input_path,
                                     bool has_at) {
  char tmp[PATH_MAX];
  if (input_path) {
    f->input_path = strdup(input_path);
    return f->input_path ? FSRV_E_OK
                         : fsrv_fail(f, FSRV_E_SYS, "out of memory");
  }
  int r = has_at ? fsrv_temp_at_file(tmp, sizeof(tmp))
                 : fsrv_temp_stdin(f, tmp, sizeof(tmp));
  if (r < 0)
    return fsrv_fail(f, FSRV_E_SYS, "cannot create a temp file in %s: %s",
                     getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp",
                     strerror(errno));
  if (!has_at)
    return FSRV_E_OK;
  f->input_is_temp = true;
  f->input_path = strdup(tmp);
  return f->input_path ? FSRV_E_OK : fsrv_fail(f, FSRV_E_SYS, "out of memory");
}

/* Copies argv with every exact "@@" replaced by the input path. */
static enum fsrv_err fsrv_init_argv(struct fsrv *f, char *const *argv) {
  size_t n = 0;
  while (argv[n])
    n++;
  f->argv = calloc(n + 1, sizeof(char *));
  if (!f->argv)
    return fsrv_fail(f, FSRV_E_SYS, "out of memory");
  for (size_t i = 0; i < n; i++) {
    bool at = strcmp(argv[i], "@@") == 0;
    f->argv[i] = strdup(at ? f->input_path : argv[i]);
    if (!f->argv[i])
      return fsrv_fail(f, FSRV_E_SYS, "out of memory");
  }
  return FSRV_E_OK;
}

enum fsrv_err fsrv_init(struct fsrv *f, char *const *argv,
                        const char *input_path, uint32_t timeout_ms) {
  *f = (struct fsrv){.timeout_ms = timeout_ms,
                     .shm_id = -1,
                     .fuzz_shm_id = -1,
                     .fsrv_pid = -1,
                     .ctl_fd = -1,
                     .st_fd = -1,
                     .input_fd = -1,
                     .input_rd_fd = -1,
                     .stdout_fd = -1};
  if (!argv || !argv[0] || !argv[0][0])
    return fsrv_fail(f, FSRV_E_ARG, "no target program given");
  if (timeout_ms == 0)
    return fsrv_fail(f, FSRV_E_ARG, "the timeout must be at least 1 ms");
  f->target_path = fsrv_resolve_target(argv[0]);
  if (!f->target_path)
    return fsrv_fail(f, FSRV_E_NOT_FOUND,
                     "target '%s' not found or not executable; check the "
                     "path and its permissions",
                     argv[0]);
  fsrv_scan_signatures(f->target_path, &f->persistent, &f->deferred,
                       &f->uses_sanitizer);
  bool has_at = false;
  for (size_t i = 0; argv[i]; i++)
    has_at |= strcmp(argv[i], "@@") == 0;
  enum fsrv_err e = fsrv_init_input(f, input_path, has_at);
  if (e == FSRV_E_OK)
    e = fsrv_init_argv(f, argv);
  return e;
}

/* Marks a new, attached segment for removal at once. The kernel keeps it
   while the client or a target has it attached, and Linux still lets a
   target attach it by id, so nothing changes for them; but it now goes
   away with the last process using it, also when the client dies of a
   signal it cannot handle (SIGKILL, the OOM killer). The cleanup registry
   then has nothing left to do for it, and fsrv_stop only detaches it. */
static void fsrv_shm_mark_removed(int id) {
  shmctl(id, IPC_RMID, NULL);
  fsrv_cleanup_del_shm(id);
}

/* Why shmget failed, in words that name the limit that was hit. */
static enum fsrv_err fsrv_shm_fail(struct fsrv *f, uint32_t size, int e) {
  if (e == ENOSPC)
    return fsrv_fail(f, FSRV_E_SYS,
                     "cannot create a %u byte shared memory segment: the "
                     "system's shared memory limit is reached (kernel.shmmni "
                     "segments or kernel.shmall pages); remove stale "
                     "segments (ipcs -m) or raise the limit",
                     size);
  if (e == EINVAL)
    return fsrv_fail(f, FSRV_E_SYS,
                     "cannot create a shared memory segment: %u bytes is "
                     "more than kernel.shmmax allows; raise it",
                     size);
  return fsrv_fail(f, FSRV_E_SYS,
                   "cannot create a %u byte shared memory segment: %s", size,
                   strerror(e));
}

/* The coverage map and (if offered) the testcase segment. New segments
   come zeroed (shmget(2)), and are not touched here: a segment larger than
   the map a target turns out to use costs no memory beyond that map. */
static enum fsrv_err fsrv_make_segments(struct fsrv *f) {
  f->shm_id = fsrv_shm_create(f->shm_size, &f->map);
  if (f->shm_id < 0)
    return fsrv_shm_fail(f, f->shm_size, errno);
  fsrv_shm_mark_removed(f->shm_id);
  if (f->offer_shm_testcase) {
    f->fuzz_shm_id = fsrv_shm_create(SHM_FUZZ_MAP_SIZE, &f->fuzz_shm);
    if (f->fuzz_shm_id < 0)
      return fsrv_shm_fail(f, SHM_FUZZ_MAP_SIZE, errno);
    fsrv_shm_mark_removed(f->fuzz_shm_id);
  }
  return FSRV_E_OK;
}

/* One attempt at the given segment size. */
static enum fsrv_err fsrv_start_once(struct fsrv *f) {
  enum fsrv_err e = fsrv_make_segments(f);
  if (e == FSRV_E_OK)
    e = fsrv_spawn(f);
  if (e == FSRV_E_OK)
    e = fsrv_handshake(f);
  if (e != FSRV_E_OK) {
    char msg[sizeof(f->err)];
    memcpy(msg, f->err, sizeof(msg));
    fsrv_stop(f);
    memcpy(f->err, msg, sizeof(msg));
  }
  return e;
}

/* True when the target refused to start because its map does not fit in
   the segment (lop's runtime checks before its hello, so it cannot announce
   its size), and a larger segment is still possible. */
static bool fsrv_map_did_not_fit(const struct fsrv *f, enum fsrv_err e) {
  return e == FSRV_E_HELLO_ERROR && (f->hello.error_code & FS_ERROR_MAP_SIZE) &&
         f->shm_size < MAP_SIZE_MAX;
}

/* A target announcing more than the segment holds is restarted once with
   a segment of its size, as AFL++ does; it must not write past the end. A
   target that refused a segment too small for it is restarted once with
   the largest one, whose hello then tells the map size. */
enum fsrv_err fsrv_start(struct fsrv *f) {
  uint32_t req = f->map_size_req ? f->map_size_req : MAP_SIZE;
  if (!f->target_path || !f->argv)
    return fsrv_fail(f, FSRV_E_ARG, "fsrv_start needs a successful fsrv_init");
  if (req > MAP_SIZE_MAX)
    return fsrv_fail(f, FSRV_E_MAP_TOO_BIG,
                     "map size %u is above the limit of %u bytes", req,
                     MAP_SIZE_MAX);
  f->shm_size = (req + MAP_SIZE_ALIGN - 1) & ~(MAP_SIZE_ALIGN - 1);
  enum fsrv_err e = fsrv_start_once(f);
  if (fsrv_map_did_not_fit(f, e)) {
    f->shm_size = MAP_SIZE_MAX;
    e = fsrv_start_once(f);
  }
  if (e == FSRV_E_OK && f->hello.map_size > f->shm_size) {
    uint32_t want = f->hello.map_size;
    fsrv_stop(f);
    f->shm_size = want;
    e = fsrv_start_once(f);
  }
  if (e != FSRV_E_OK)
    return e;
  f->map_size = f->hello.map_size ? f->hello.map_size : f->shm_size;
  if (f->map_size > f->shm_size)
    f->map_size = f->shm_size;
  f->shm_testcase = f->hello.shm_fuzz && f->fuzz_shm_id >= 0;
  return FSRV_E_OK;
}

void fsrv_stop(struct fsrv *f) {
  fsrv_reap(f, NULL);
  if (f->ctl_fd >= 0)
    close(f->ctl_fd);
  if (f->st_fd >= 0)
    close(f->st_fd);
  f->ctl_fd = f->st_fd = -1;
  /* Marked for removal when created: detaching is all that is left (an
     IPC_RMID now could hit a new segment that reuses the id). */
  fsrv_shm_remove(-1, f->map);
  fsrv_shm_remove(-1, f->fuzz_shm);
  f->shm_id = f->fuzz_shm_id = -1;
  f->map = f->fuzz_shm = NULL;
  f->last_killed = false;
  f->fast_persist = false;
}

void fsrv_destroy(struct fsrv *f) {
  fsrv_stop(f);
  if (f->input_is_temp && f->input_path) {
    unlink(f->input_path);
    fsrv_cleanup_del_path(f->input_path);
  }
  if (f->input_fd >= 0)
    close(f->input_fd);
  if (f->input_rd_fd >= 0)
    close(f->input_rd_fd);
  for (size_t i = 0; f->argv && f->argv[i]; i++)
    free(f->argv[i]);
  free(f->argv);
  free(f->target_path);
  free(f->input_path);
  free(f->autodict);
  f->autodict = NULL;
  f->argv = NULL;
  f->target_path = f->input_path = NULL;
  f->input_fd = f->input_rd_fd = -1;
  f->input_is_temp = false;
}

const char *fsrv_strerror(enum fsrv_err e) {
  static const char *const text[] = {
      [FSRV_E_OK] = "no error",
      [FSRV_E_ARG] = "bad argument",
      [FSRV_E_SYS] = "system call failed",
      [FSRV_E_NOT_FOUND] = "target not found",
      [FSRV_E_EXEC] = "target could not be executed",
      [FSRV_E_NO_HELLO] = "target did not say hello",
      [FSRV_E_EARLY_EXIT] = "target exited during the handshake",
      [FSRV_E_HELLO_ERROR] = "target reported a forkserver error",
      [FSRV_E_HELLO_BAD] = "malformed hello",
      [FSRV_E_MAP_TOO_BIG] = "map too big",
      [FSRV_E_TOO_BIG] = "input too big",
      [FSRV_E_FSRV_DIED] = "forkserver died",
  };
  if ((size_t)e < sizeof(text) / sizeof(text[0]) && text[e])
    return text[e];
  return "unknown error";
}

const char *fsrv_verdict_name(enum fsrv_verdict v) {
  switch (v) {
  case FSRV_VERDICT_OK:
    return "ok";
  case FSRV_VERDICT_CRASH:
    return "crash";
  case FSRV_VERDICT_HANG:
    return "hang";
  case FSRV_VERDICT_ERROR:
    return "error";
  }
  return "?";
}
