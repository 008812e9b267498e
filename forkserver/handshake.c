/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * The client side of the hello (PROTOCOL.md 2): read the first word within
 * FORK_WAIT_MULT exec timeouts, decode it, answer what needs an answer (the
 * extended option reply, the v1 NOT and its follow-up words) and turn every
 * way a target can fail here into one sentence a user can act on.
 */
#include "internal.h"

#include "env_flag.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

/* A target that closed the pipe usually exits right after; wait for it up
   to one exec timeout so its exit code makes it into the message. */
static int handshake_wait_exit(struct fsrv *f) {
  struct timespec ms = {0, 1000000};
  int st = 0;
  for (uint32_t i = 0; i < f->timeout_ms; i++) {
    if (waitpid(f->fsrv_pid, &st, WNOHANG) == f->fsrv_pid) {
      fsrv_cleanup_del_pgid(f->fsrv_pid);
      kill(-f->fsrv_pid, SIGKILL);
      f->fsrv_pid = -1;
      return st;
    }
    nanosleep(&ms, NULL);
  }
  fsrv_reap(f, NULL);
  return -1;
}

/* EOF before or inside the hello: exec failure, early exit or crash. A
   target asked for its map size only (AFL_DUMP_MAP_SIZE in the environment
   it inherits) exits with DUMP_MAP_SIZE_EXIT before any hello. */
static enum fsrv_err handshake_eof(struct fsrv *f) {
  int st = handshake_wait_exit(f);
  uint32_t sig;
  memcpy(&sig, f->map, sizeof(sig));
  if (sig == EXEC_FAIL_SIG)
    return fsrv_fail(f, FSRV_E_EXEC,
                     "cannot execute target '%s'; is it a valid executable "
                     "for this machine?",
                     f->target_path);
  if (st >= 0 && WIFSIGNALED(st))
    return fsrv_fail(f, FSRV_E_EARLY_EXIT,
                     "target exited during the handshake (signal %d)",
                     WTERMSIG(st));
  if (st >= 0 && WIFEXITED(st) && WEXITSTATUS(st) == DUMP_MAP_SIZE_EXIT &&
      lop_env_flag(getenv(DUMP_MAP_SIZE_ENV_VAR)))
    return fsrv_fail(f, FSRV_E_EARLY_EXIT,
                     "target only printed its map size and exited: "
                     "AFL_DUMP_MAP_SIZE is set; unset it to run the target");
  if (st >= 0 && WIFEXITED(st))
    return fsrv_fail(f, FSRV_E_EARLY_EXIT,
                     "target exited during the handshake (exit code %d): "
                     "not built with afl-clang-fast?",
                     WEXITSTATUS(st));
  return fsrv_fail(f, FSRV_E_EARLY_EXIT,
                   "target closed the forkserver pipe during the handshake");
}

/* Reads one handshake word; every failure is final for the handshake. */
static enum fsrv_err handshake_read(struct fsrv *f, uint32_t *w,
                                    uint32_t wait_ms) {
  switch (fsrv_read_word(f->st_fd, w, wait_ms)) {
  case FSRV_IO_OK:
    return FSRV_E_OK;
  case FSRV_IO_TIMEOUT:
    return fsrv_fail(f, FSRV_E_NO_HELLO,
                     "target did not say hello within %u ms: not built with "
                     "afl-clang-fast?",
                     wait_ms);
  case FSRV_IO_EOF:
    return handshake_eof(f);
  case FSRV_IO_ERROR:
    break;
  }
  return fsrv_fail(f, FSRV_E_SYS, "cannot read from the forkserver: %s",
                   strerror(errno));
}

/* The dictionary is read (the target blocks until it is) and kept in
   f->autodict for a fuzzer (lop-fuzz adds its tokens to -x's); a restart
   replaces it. */
static enum fsrv_err handshake_dict(struct fsrv *f, uint32_t wait_ms) {
  uint32_t len;
  enum fsrv_err e = handshake_read(f, &len, wait_ms);
  if (e != FSRV_E_OK)
    return e;
  if (len > MAX_FILE)
    return fsrv_fail(f, FSRV_E_HELLO_BAD,
                     "target announced a %u byte dictionary (limit %u)", len,
                     MAX_FILE);
  uint8_t *buf = malloc(len ? len : 1);
  if (!buf)
    return fsrv_fail(f, FSRV_E_SYS, "out of memory");
  enum fsrv_io io = fsrv_read_bytes(f->st_fd, buf, len, wait_ms);
  if (io != FSRV_IO_OK) {
    free(buf);
    return io == FSRV_IO_EOF ? handshake_eof(f)
                             : fsrv_fail(f, FSRV_E_HELLO_BAD,
                                         "target's dictionary was cut short");
  }
  free(f->autodict);
  f->autodict = buf;
  f->autodict_len = len;
  return FSRV_E_OK;
}

/* v1: NOT reply, option word, raw map size, dictionary, closing hello. */
static enum fsrv_err handshake_v1(struct fsrv *f, uint32_t wait_ms) {
  uint32_t w;
  enum fsrv_err e;
  if (!fsrv_write_word(f->ctl_fd, ~FS_NEW_HELLO))
    return handshake_eof(f);
  if ((e = handshake_read(f, &w, wait_ms)) != FSRV_E_OK)
    return e;
  fsrv_hello_v1_options(w, &f->hello);
  if (w & FS_NEW_OPT_MAPSIZE) {
    if ((e = handshake_read(f, &w, wait_ms)) != FSRV_E_OK)
      return e;
    if (!fsrv_hello_set_size(w, &f->hello))
      return fsrv_fail(f, FSRV_E_MAP_TOO_BIG,
                       "target announced a map of %u bytes (limit %u)", w,
                       MAP_SIZE_MAX);
  }
  if (f->hello.shm_fuzz && f->fuzz_shm_id < 0)
    return fsrv_fail(f, FSRV_E_HELLO_BAD,
                     "target asks for shared-memory testcases that were not "
                     "offered");
  if (f->hello.autodict && (e = handshake_dict(f, wait_ms)) != FSRV_E_OK)
    return e;
  if ((e = handshake_read(f, &w, wait_ms)) != FSRV_E_OK)
    return e;
  if (w != FS_NEW_HELLO)
    return fsrv_fail(f, FSRV_E_HELLO_BAD,
                     "target ended its v1 hello with 0x%08x, not 0x%08x", w,
                     FS_NEW_HELLO);
  return FSRV_E_OK;
}

/* Extended hello: answer the feature requests in one word (AFL++ 4.04c). */
static enum fsrv_err handshake_extended(struct fsrv *f, uint32_t wait_ms) {
  uint32_t reply = fsrv_hello_reply(&f->hello, f->fuzz_shm_id >= 0);
  if (f->hello.shm_fuzz && f->fuzz_shm_id < 0)
    return fsrv_fail(f, FSRV_E_HELLO_BAD,
                     "target asks for shared-memory testcases that were not "
                     "offered");
  if (reply && !fsrv_write_word(f->ctl_fd, reply))
    return handshake_eof(f);
  if (f->hello.autodict)
    return handshake_dict(f, wait_ms);
  return FSRV_E_OK;
}

enum fsrv_err fsrv_handshake(struct fsrv *f) {
  uint32_t wait_ms = fsrv_wait_ms(f), w;
  enum fsrv_err e = handshake_read(f, &w, wait_ms);
  if (e != FSRV_E_OK)
    return e;
  fsrv_hello_decode(w, &f->hello);
  switch (f->hello.kind) {
  case FSRV_HELLO_V1:
    return handshake_v1(f, wait_ms);
  case FSRV_HELLO_EXTENDED:
    return handshake_extended(f, wait_ms);
  case FSRV_HELLO_ERROR:
    return fsrv_fail(f, FSRV_E_HELLO_ERROR,
                     "%s (forkserver error 0x%08x); check that the target and "
                     "the fuzzer agree on the map",
                     fsrv_hello_error_text(f->hello.error_code), w);
  case FSRV_HELLO_CLASSIC:
    break;
  }
  return FSRV_E_OK;
}
