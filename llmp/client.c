/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * The client side of llmp: registration with the broker over its Unix
 * socket, the client's own page chain (written here, read by the broker),
 * and reading the broker's snapshot and then its broadcast chain. The
 * socket stays open while the client lives, so the broker sees its death
 * at once; nothing else on the send and poll paths is a syscall.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "internal.h"

/* Empty polls between two checks that the broker is still there. */
#define ALIVE_CHECK_EVERY 1024U

struct llmp_client {
  int fd;
  uint32_t id;
  uint64_t broker;
  struct llmp_writer w;
  struct llmp_reader snap; /* snap.p NULL once read */
  struct llmp_reader bc;
  unsigned idle;
  struct llmp_client_stats st;
};

static int sock_connect(const char *dir) {
  struct sockaddr_un sa = {.sun_family = AF_UNIX};
  char *path = llmp_sock_path(dir);
  if (!path)
    return -ENOMEM;
  int err = strlen(path) < sizeof sa.sun_path ? 0 : -ENAMETOOLONG;
  if (!err)
    memcpy(sa.sun_path, path, strlen(path) + 1);
  free(path);
  int fd = err ? -1 : socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (!err && fd < 0)
    err = -errno;
  if (!err && connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0)
    err = -errno;
  if (err && fd >= 0)
    close(fd);
  return err ? err : fd;
}

/* Sends a request and attaches what the reply names. */
static int request(struct llmp_client *c, uint32_t type) {
  struct llmp_req q = {type, (int32_t)getpid(), llmp_writer_shmid(&c->w), 0,
                       c->w.chain};
  struct llmp_reply a = {0};
  int err = llmp_write_full(c->fd, &q, sizeof q);
  if (!err)
    err = llmp_read_full(c->fd, &a, sizeof a, LLMP_REGISTER_TIMEOUT_MS);
  if (!err)
    err = a.status;
  if (err)
    return err;
  c->id = a.id;
  c->broker = a.broker;
  unsigned bit = a.id % LLMP_MAX_CLIENTS;
  llmp_reader_close(&c->snap);
  llmp_reader_close(&c->bc);
  if (a.snap_shmid >= 0)
    err = llmp_reader_open(&c->snap, a.snap_shmid, a.snap_chain, 0, 0);
  if (!err)
    err = llmp_reader_open(&c->bc, a.bc_shmid, a.bc_chain, a.bc_seq, bit);
  if (!err && (a.bc_off % LLMP_ALIGN || a.bc_off > c->bc.p->size))
    err = -EBADMSG;
  if (!err)
    llmp_reader_seek(&c->bc, a.bc_read_id, a.bc_off);
  return err;
}

int llmp_client_join(const char *sock_dir, struct llmp_client **out) {
  struct llmp_client *c = calloc(1, sizeof *c);
  if (!c)
    return -ENOMEM;
  c->fd = sock_connect(sock_dir);
  int err = c->fd < 0 ? c->fd : 0;
  if (!err)
    err = llmp_writer_init(&c->w, LLMP_PAGE_SIZE, LLMP_MAX_UNJOINED);
  if (!err)
    err = request(c, LLMP_REQ_HELLO);
  if (err) {
    if (c->w.pages)
      llmp_writer_free(&c->w);
    llmp_reader_close(&c->snap);
    llmp_reader_close(&c->bc);
    if (c->fd >= 0)
      close(c->fd);
    free(c);
    return err;
  }
  *out = c;
  return 0;
}

uint32_t llmp_client_id(const struct llmp_client *c) { return c->id; }
uint64_t llmp_client_broker_id(const struct llmp_client *c) {
  return c->broker;
}

/* The broker reads client chains with joined bit 0. */
static const uint64_t broker_mask[LLMP_JOIN_WORDS] = {1};

void *llmp_client_alloc(struct llmp_client *c, uint32_t tag, size_t len) {
  if (c->w.n > 1)
    llmp_writer_release(&c->w, broker_mask);
  struct llmp_hdr *h = llmp_writer_alloc(&c->w, len);
  if (!h) {
    if (errno == EAGAIN)
      c->st.backpressure++;
    return NULL;
  }
  h->tag = tag;
  h->sender = c->id;
  return h + 1;
}

void llmp_client_commit(struct llmp_client *c) {
  if (c->w.pending)
    c->st.sent++;
  llmp_writer_commit(&c->w);
}

int llmp_client_send(struct llmp_client *c, uint32_t tag, const void *data,
                     size_t len) {
  void *p = llmp_client_alloc(c, tag, len);
  if (!p)
    return -errno;
  memcpy(p, data, len);
  llmp_client_commit(c);
  return 0;
}

bool llmp_client_pending(struct llmp_client *c) {
  llmp_writer_release(&c->w, broker_mask);
  return c->w.n > 1 || !llmp_page_joined(llmp_writer_page(&c->w), 0);
}

/* -EPIPE once the broker's end of the socket is closed. */
static int broker_alive(struct llmp_client *c) {
  if (++c->idle % ALIVE_CHECK_EVERY)
    return 0;
  struct pollfd pfd = {c->fd, POLLIN, 0};
  if (poll(&pfd, 1, 0) > 0 && (pfd.revents & (POLLIN | POLLHUP)))
    return -EPIPE;
  return 0;
}

/* Next message of the snapshot, then of the broadcast chain. */
static int next_any(struct llmp_client *c, struct llmp_msg *m) {
  if (c->snap.p) {
    int got = llmp_reader_next(&c->snap, m);
    if (got)
      return got;
    llmp_reader_close(&c->snap);
  }
  return llmp_reader_next(&c->bc, m);
}

int llmp_client_poll(struct llmp_client *c, struct llmp_msg *m) {
  for (int tries = 0;; tries++) {
    int got = next_any(c, m);
    if (got == 0)
      return broker_alive(c);
    if (got < 0) {
      if (got == -EBADMSG)
        c->st.bad_msgs++;
      if (tries == 3)
        return got;
      c->st.resyncs++;
      int err = request(c, LLMP_REQ_RESYNC);
      if (err)
        return err;
      continue;
    }
    if (m->origin == c->broker && m->sender == c->id)
      continue;
    c->st.received++;
    return 1;
  }
}

const struct llmp_client_stats *llmp_client_stats(const struct llmp_client *c) {
  return &c->st;
}

/* Waits (bounded) until the broker attached every page this client
   wrote: a page nobody else attached goes with the writer. */
static void wait_flushed(struct llmp_client *c) {
  for (int ms = 0; ms < LLMP_REGISTER_TIMEOUT_MS && llmp_client_pending(c);
       ms++) {
    struct pollfd pfd = {c->fd, POLLIN, 0};
    if (poll(&pfd, 1, 1) > 0)
      break; /* the broker is gone or answering nothing we asked */
  }
}

void llmp_client_free(struct llmp_client *c) {
  if (!c)
    return;
  wait_flushed(c);
  struct llmp_req q = {LLMP_REQ_BYE, (int32_t)getpid(), -1, 0, 0};
  llmp_write_full(c->fd, &q, sizeof q);
  close(c->fd);
  llmp_reader_close(&c->snap);
  llmp_reader_close(&c->bc);
  llmp_writer_free(&c->w);
  free(c);
}
