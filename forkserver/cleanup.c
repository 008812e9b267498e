/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Registry of everything the client library creates that must not outlive
 * the process: SysV segments, forkserver process groups, temp files. An
 * atexit hook and SIGINT/SIGTERM/SIGHUP handlers empty it, so Ctrl-C or an
 * error exit in a tool leaves nothing behind. The handler may run at any
 * moment, so it only reads: slots live in blocks of FSRV_CLEANUP_SLOTS,
 * chained, never freed, each published complete; a new block is allocated
 * by the registering code, never by the handler. The registry belongs to
 * the process that filled it: a forked child (a library user's helper, a
 * target before its execv) that exits or takes a signal removes nothing of
 * its parent's.
 */
#include "forkserver.h"
#include "internal.h"

#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/shm.h>
#include <unistd.h>

/* What a slot holds. */
enum cleanup_kind { CLEANUP_FREE, CLEANUP_SHM, CLEANUP_PGID, CLEANUP_PATH };

/* One resource. kind is written last when a slot is filled and first when
   it is emptied, so a handler sees a slot whole or not at all. */
struct cleanup_slot {
  volatile sig_atomic_t kind;
  int num;    /* segment id or process group */
  char *path; /* owned copy, CLEANUP_PATH only */
};

struct cleanup_block {
  struct cleanup_slot slot[FSRV_CLEANUP_SLOTS];
  struct cleanup_block *volatile next;
};

static struct cleanup_block cleanup_first;
/* The process whose resources the registry holds; 0 before the first. */
static volatile pid_t cleanup_owner;

/* The signals the registry handles. */
static const int cleanup_sigs[] = {SIGINT, SIGTERM, SIGHUP};

/* Runs the cleanup, then dies of the same signal so the parent shell sees
   the usual status (130 for Ctrl-C). */
static void cleanup_on_signal(int sig) {
  fsrv_cleanup_all();
  signal(sig, SIG_DFL);
  raise(sig);
}

/* Only a signal at its default action gets the handler: one the program
   ignores (nohup, a background job's SIGINT) or handles itself stays so.
   SIGPIPE at its default is ignored so a dead forkserver shows up as EPIPE
   instead of killing the tool before cleanup. */
static void cleanup_install_handlers(void) {
  struct sigaction sa = {.sa_handler = cleanup_on_signal}, old;
  sigemptyset(&sa.sa_mask);
  for (size_t i = 0; i < sizeof(cleanup_sigs) / sizeof(cleanup_sigs[0]); i++)
    if (sigaction(cleanup_sigs[i], NULL, &old) == 0 &&
        old.sa_handler == SIG_DFL)
      sigaction(cleanup_sigs[i], &sa, NULL);
  if (sigaction(SIGPIPE, NULL, &old) == 0 && old.sa_handler == SIG_DFL)
    signal(SIGPIPE, SIG_IGN);
}

/* Empties every slot without acting on it: what a forked child inherits
   describes its parent's resources, not its own. */
static void cleanup_forget(void) {
  for (struct cleanup_block *b = &cleanup_first; b; b = b->next)
    for (size_t i = 0; i < FSRV_CLEANUP_SLOTS; i++) {
      b->slot[i].kind = CLEANUP_FREE;
      free(b->slot[i].path);
      b->slot[i].path = NULL;
    }
}

/* Makes this process the registry's owner: the first time, installs the
   atexit hook and the handlers (a program that never creates a resource
   keeps its own dispositions); in a forked child, which inherits both,
   forgets the parent's entries. */
static void cleanup_install(void) {
  pid_t me = getpid();
  if (cleanup_owner == me)
    return;
  if (cleanup_owner == 0) {
    atexit(fsrv_cleanup_all);
    cleanup_install_handlers();
  } else {
    cleanup_forget();
  }
  cleanup_owner = me;
}

/* A free slot, chaining a new block when every one is taken. NULL only
   when that allocation fails (errno ENOMEM). */
static struct cleanup_slot *cleanup_free_slot(void) {
  struct cleanup_block *b = &cleanup_first;
  for (;; b = b->next) {
    for (size_t i = 0; i < FSRV_CLEANUP_SLOTS; i++)
      if (b->slot[i].kind == CLEANUP_FREE)
        return &b->slot[i];
    if (!b->next)
      break;
  }
  struct cleanup_block *fresh = calloc(1, sizeof(*fresh));
  if (!fresh)
    return NULL;
  atomic_signal_fence(memory_order_seq_cst);
  b->next = fresh;
  return &fresh->slot[0];
}

/* Fills a free slot; kind last, after a fence, so a handler never sees a
   half-written slot. */
static bool cleanup_add(enum cleanup_kind kind, int num, char *path) {
  sigset_t old;
  fsrv_cleanup_block(&old);
  struct cleanup_slot *s = cleanup_free_slot();
  if (s) {
    free(s->path); /* left by fsrv_cleanup_all, which cannot free */
    s->num = num;
    s->path = path;
    atomic_signal_fence(memory_order_seq_cst);
    s->kind = kind;
  }
  fsrv_cleanup_unblock(&old);
  return s != NULL;
}

bool fsrv_cleanup_add_shm(int id) { return cleanup_add(CLEANUP_SHM, id, NULL); }

bool fsrv_cleanup_add_pgid(pid_t pgid) {
  return cleanup_add(CLEANUP_PGID, pgid, NULL);
}

bool fsrv_cleanup_add_path(const char *path) {
  char *copy = path && *path ? strdup(path) : NULL;
  if (!copy || !cleanup_add(CLEANUP_PATH, 0, copy)) {
    free(copy);
    return false;
  }
  return true;
}

/* Empties the first slot of kind that matches num (or path). */
static void cleanup_del(enum cleanup_kind kind, int num, const char *path) {
  if (cleanup_owner != getpid())
    return;
  for (struct cleanup_block *b = &cleanup_first; b; b = b->next)
    for (size_t i = 0; i < FSRV_CLEANUP_SLOTS; i++) {
      struct cleanup_slot *s = &b->slot[i];
      if (s->kind != (sig_atomic_t)kind ||
          (path ? strcmp(s->path, path) != 0 : s->num != num))
        continue;
      s->kind = CLEANUP_FREE;
      atomic_signal_fence(memory_order_seq_cst);
      free(s->path);
      s->path = NULL;
      return;
    }
}

void fsrv_cleanup_del_shm(int id) { cleanup_del(CLEANUP_SHM, id, NULL); }

void fsrv_cleanup_del_pgid(pid_t pgid) {
  cleanup_del(CLEANUP_PGID, pgid, NULL);
}

void fsrv_cleanup_del_path(const char *path) {
  if (path)
    cleanup_del(CLEANUP_PATH, 0, path);
}

/* Only async-signal-safe calls: getpid, kill, shmctl, unlink. A slot is
   emptied before it is acted on, so a signal arriving during an exit-time
   cleanup does not act twice. Paths are not freed here (free is not
   async-signal-safe); the process is ending. */
void fsrv_cleanup_all(void) {
  if (cleanup_owner != getpid())
    return;
  for (struct cleanup_block *b = &cleanup_first; b; b = b->next)
    for (size_t i = 0; i < FSRV_CLEANUP_SLOTS; i++) {
      struct cleanup_slot *s = &b->slot[i];
      sig_atomic_t kind = s->kind;
      s->kind = CLEANUP_FREE;
      if (kind == CLEANUP_PGID && s->num > 0)
        kill(-s->num, SIGKILL);
      else if (kind == CLEANUP_SHM)
        shmctl(s->num, IPC_RMID, NULL);
      else if (kind == CLEANUP_PATH)
        unlink(s->path);
    }
}

/* Installing first means a signal held back here finds the handler (and
   the registry) ready when it is let through. */
void fsrv_cleanup_block(sigset_t *old) {
  sigset_t set;
  int e = errno;
  cleanup_install();
  sigemptyset(&set);
  for (size_t i = 0; i < sizeof(cleanup_sigs) / sizeof(cleanup_sigs[0]); i++)
    sigaddset(&set, cleanup_sigs[i]);
  sigprocmask(SIG_BLOCK, &set, old);
  errno = e;
}

void fsrv_cleanup_unblock(const sigset_t *old) {
  int e = errno;
  sigprocmask(SIG_SETMASK, old, NULL);
  errno = e;
}
