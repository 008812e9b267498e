/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * The fuzzer-side client library (build/libfsrv.a): create the coverage map,
 * start an instrumented target as a forkserver, decode its hello, run inputs
 * through it and read the map back. Tools (afl-showmap, fsrv-probe) are built
 * on this API. Library functions never print and never exit: they return an
 * enum fsrv_err and leave a one-line message in fsrv->err (or return it via
 * fsrv_strerror). Every segment, child and temp file the library creates is
 * registered for removal at exit and on SIGINT/SIGTERM/SIGHUP (those at their
 * default action), by the process that created it only.
 */
#ifndef LOP_FORKSERVER_H
#define LOP_FORKSERVER_H

#include "config.h"
#include "types.h"

#include <signal.h>
#include <stdio.h>

/* Error codes of the library; FSRV_E_OK is 0. */
enum fsrv_err {
  FSRV_E_OK = 0,
  FSRV_E_ARG,         /* bad argument (empty argv, zero timeout...) */
  FSRV_E_SYS,         /* a system call failed; message names it */
  FSRV_E_NOT_FOUND,   /* target missing or not executable */
  FSRV_E_EXEC,        /* execv() failed in the child */
  FSRV_E_NO_HELLO,    /* no hello within the handshake timeout */
  FSRV_E_EARLY_EXIT,  /* target exited during the handshake */
  FSRV_E_HELLO_ERROR, /* target sent an error word instead of a hello */
  FSRV_E_HELLO_BAD,   /* hello sequence malformed (v1, dictionary) */
  FSRV_E_MAP_TOO_BIG, /* target announced a map larger than 8 MiB */
  FSRV_E_TOO_BIG,     /* input larger than the testcase shm */
  FSRV_E_FSRV_DIED,   /* forkserver died between runs */
};

/* How the target said hello (PROTOCOL.md 2.6). */
enum fsrv_hello_kind {
  FSRV_HELLO_CLASSIC,  /* AFL 2.57b: any word that is none of the others */
  FSRV_HELLO_EXTENDED, /* AFL++ 4.04c option word */
  FSRV_HELLO_V1,       /* AFL++ >= 4.20c 0x41464c01 sequence */
  FSRV_HELLO_ERROR,    /* 0xf800008f | code << 8, or 0xeffe0000 | code */
};

/* Outcome of one run, in AFL's order of precedence. */
enum fsrv_verdict {
  FSRV_VERDICT_OK,
  FSRV_VERDICT_CRASH, /* signalled, or MSan/LSan exit code */
  FSRV_VERDICT_HANG,  /* timed out and killed */
  FSRV_VERDICT_ERROR, /* the child could not execv() the target */
};

/* Which bucket table fsrv_map_classify applies. */
enum fsrv_bucket {
  FSRV_BUCKET_RAW,    /* leave the counts alone */
  FSRV_BUCKET_HUMAN,  /* afl-showmap text classes 0..8 */
  FSRV_BUCKET_FUZZER, /* afl-fuzz classes 1,2,4,8,...,128 */
  FSRV_BUCKET_EDGES,  /* every non-zero count becomes 1 */
};

/* A decoded hello. error_code is valid for FSRV_HELLO_ERROR only. */
struct fsrv_hello {
  enum fsrv_hello_kind kind;
  uint32_t
      map_size;  /* announced size, rounded up to MAP_SIZE_ALIGN; 0 = none */
  bool shm_fuzz; /* target asks for shared-memory testcases */
  bool autodict; /* target sends an automatic dictionary */
  uint32_t error_code; /* FS_ERROR_* bits */
};

/* One forkserver client. Fill it with fsrv_init, adjust the public knobs,
   then fsrv_start. Fields below "filled by fsrv_start" are read-only. */
struct fsrv {
  /* knobs */
  char **argv;           /* owned copy, "@@" replaced by input_path */
  char *target_path;     /* resolved executable, owned */
  uint32_t timeout_ms;   /* per-run timeout; handshake gets x FORK_WAIT_MULT */
  uint32_t mem_limit_mb; /* RLIMIT_AS of the target, 0 = none */
  uint32_t map_size_req; /* map offered when the hello carries no size */
  char *input_path;      /* NULL = stdin; else file written per run, owned */
  bool offer_shm_testcase; /* create a testcase shm and offer it */
  bool show_output;        /* keep the target's stdout/stderr */
  bool keep_cores;         /* let the target dump core (default: never) */
  bool no_fast_persist;    /* speak only the standard persistent protocol */
  int stdout_fd; /* >= 0 (and not show_output): the target's stdout goes to
                    this descriptor, e.g. a memfd that captures it; -1 (the
                    default): /dev/null. Not owned. */
  char *const *env_add; /* NULL-terminated NAME=VALUE strings added to the
                           target's environment; NULL = none. Not owned. */
  /* filled by fsrv_start */
  struct fsrv_hello hello;
  uint32_t map_size;     /* bytes of the map the target uses */
  bool shm_testcase;     /* testcases travel through shm */
  bool persistent;       /* PERSIST_SIG found in the target file */
  bool deferred;         /* DEFER_SIG found in the target file */
  bool uses_sanitizer;   /* __asan_init/__msan_init/__lsan_init in the file */
  uint32_t autodict_len; /* bytes of the dictionary the target sent */
  uint8_t *autodict;     /* those bytes ((u8 length, token) records), owned;
                            NULL when none was sent */
  uint8_t *map;          /* the coverage map (map_size valid bytes) */
  /* filled by fsrv_run */
  pid_t child_pid;   /* pid the forkserver reported for the last run */
  int status;        /* raw wait status of the last run; a persistent
                        iteration that ended alive reads 0x137f (stopped by
                        SIGSTOP) in both persistent protocols */
  bool last_killed;  /* the last run timed out and was killed */
  bool fast_persist; /* the last run ended alive in lop's fast persistent
                        protocol: the next run goes to child_pid directly */
  /* private */
  uint32_t shm_size; /* bytes of the segment actually created */
  int shm_id, fuzz_shm_id;
  uint8_t *fuzz_shm;
  pid_t fsrv_pid;
  int ctl_fd, st_fd, input_fd;
  size_t input_len; /* bytes now in the stdin input file */
  int input_rd_fd;  /* read-only descriptor of it: the target's stdin */
  bool input_is_temp;
  char err[512]; /* message of the last error */
};

/* Fill f for target argv (NULL-terminated, copied). "@@" in argv is
   replaced by input_path, or by a fresh temp file when input_path is NULL;
   input_path NULL without "@@" means stdin. Resolves the target in PATH.
   Returns FSRV_E_NOT_FOUND when it is missing or not executable. */
enum fsrv_err fsrv_init(struct fsrv *f, char *const *argv,
                        const char *input_path, uint32_t timeout_ms);

/* Create the map, spawn the target, run the handshake. On success the
   hello, map size and testcase mode are filled. On error everything started
   is torn down again and f->err says what happened. */
enum fsrv_err fsrv_start(struct fsrv *f);

/* Run one input through the forkserver: clear the map, deliver buf, wait at
   most timeout_ms. Sets *verdict, f->status and f->child_pid. Returns an
   error only when the forkserver itself failed (then stop and start again). */
enum fsrv_err fsrv_run(struct fsrv *f, const uint8_t *buf, size_t len,
                       enum fsrv_verdict *verdict);

/* Kill the forkserver and its children, remove segments and temp files.
   Safe to call twice and on a never-started f. */
void fsrv_stop(struct fsrv *f);

/* fsrv_stop plus freeing everything fsrv_init allocated. */
void fsrv_destroy(struct fsrv *f);

/* Static text for an error code (f->err has the detailed message). */
const char *fsrv_strerror(enum fsrv_err e);

/* Lower-case name of a hello kind / verdict: "classic", "crash"... */
const char *fsrv_hello_name(enum fsrv_hello_kind k);
const char *fsrv_verdict_name(enum fsrv_verdict v);

/* ---- hello decoding (pure, PROTOCOL.md 2.6) ---------------------------- */

/* Decode the first word of a hello. For FSRV_HELLO_V1 only the kind is set:
   the option word comes next (fsrv_hello_v1_options). */
void fsrv_hello_decode(uint32_t word, struct fsrv_hello *h);

/* Apply a v1 option word to h (shm_fuzz, autodict; map size comes as its
   own word, see fsrv_hello_set_size). */
void fsrv_hello_v1_options(uint32_t options, struct fsrv_hello *h);

/* Record an announced map size, rounded up to MAP_SIZE_ALIGN. Returns false
   when it is 0 or larger than MAP_SIZE_MAX. */
bool fsrv_hello_set_size(uint32_t size, struct fsrv_hello *h);

/* The word a client replies to an extended hello, or 0 when the hello asks
   for no reply. with_shm: the client offers a testcase shm. */
uint32_t fsrv_hello_reply(const struct fsrv_hello *h, bool with_shm);

/* Describe FS_ERROR_* bits in words, e.g. "target could not map the shared
   memory (shmat)". Static text. */
const char *fsrv_hello_error_text(uint32_t code);

/* ---- shared memory ----------------------------------------------------- */

/* Create a private 0600 SysV segment of size bytes, attach it, register it
   for cleanup. Returns the id (>= 0) and *mem, or -1 with errno set. */
int fsrv_shm_create(size_t size, uint8_t **mem);

/* Detach mem and remove segment id (either may be -1/NULL). */
void fsrv_shm_remove(int id, uint8_t *mem);

/* ---- cleanup registry ---------------------------------------------------- */

/* Register a resource to be removed at exit or on SIGINT/SIGTERM/SIGHUP.
   The first call installs the atexit hook and a handler for each of those
   signals still at its default action (an ignored signal, or one the
   program handles, is left alone). The registry grows as needed; returns
   false only when memory for it runs out (the resource then is the
   caller's alone to clean). Cleanup acts only in the process that
   registered: a forked child that exits removes nothing of its parent's,
   and its first registration starts a registry of its own. */
bool fsrv_cleanup_add_shm(int id);
bool fsrv_cleanup_add_pgid(pid_t pgid);
bool fsrv_cleanup_add_path(const char *path);

/* Forget a resource the caller has removed itself. */
void fsrv_cleanup_del_shm(int id);
void fsrv_cleanup_del_pgid(pid_t pgid);
void fsrv_cleanup_del_path(const char *path);

/* Remove every registered resource now (what the handlers do); nothing in
   a forked child that has registered nothing itself. */
void fsrv_cleanup_all(void);

/* Hold back the registry's signals (installing its handlers first) until
   fsrv_cleanup_unblock(old): create a resource and register it in between,
   and no signal can land before it is registered. Both keep errno. */
void fsrv_cleanup_block(sigset_t *old);
void fsrv_cleanup_unblock(const sigset_t *old);

/* ---- map ----------------------------------------------------------------- */

/* Classify map[0..n) in place with table b. */
void fsrv_map_classify(uint8_t *map, size_t n, enum fsrv_bucket b);

/* Bucket of one count (for tests and tools). */
uint8_t fsrv_map_bucket(uint8_t count, enum fsrv_bucket b);

/* Non-zero bytes of map[1..n): the edges (byte 0 is the alive marker). */
uint32_t fsrv_map_count(const uint8_t *map, size_t n);

/* Write "%06u:%u\n" for every non-zero byte of map[1..n) in index order.
   Returns the number of lines, or -1 on a write error. */
long fsrv_map_write_text(FILE *out, const uint8_t *map, size_t n);

/* 64-bit FNV-1a of map[1..n). */
uint64_t fsrv_map_hash(const uint8_t *map, size_t n);

#endif /* LOP_FORKSERVER_H */
