/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * The llmp broker: registers clients over a Unix socket (0600) and is the
 * one authority for their ids, drains every client's page chain, consumes
 * stats messages, copies the rest into the broadcast chain (stamped with
 * this broker's id and a sequence number), keeps the snapshot of
 * testcases for late joiners, and notices a client's death by its socket
 * closing. Broadcast pages are detached once every live reader that
 * started before them has attached them, and at most LLMP_BCAST_KEEP are
 * kept for stalled readers, so memory stays bounded.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "broker.h"

_Static_assert(sizeof(((struct llmp_client_info *)0)->stats) == LLMP_STATS_MAX,
               "llmp.h's stats buffer is LLMP_STATS_MAX bytes");

void llmp_blog(struct llmp_broker *b, const char *fmt, ...) {
  if (!b->o.log)
    return;
  char line[512];
  va_list ap;
  va_start(ap, fmt);
  /* clang-tidy's analyzer loses track of ap across the call:
     NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized) */
  vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  b->o.log(b->o.log_arg, line);
}

static int listen_unix(struct llmp_broker *b, const char *dir) {
  struct sockaddr_un sa = {.sun_family = AF_UNIX};
  b->sock_path = llmp_sock_path(dir);
  if (!b->sock_path)
    return -ENOMEM;
  if (strlen(b->sock_path) >= sizeof sa.sun_path)
    return -ENAMETOOLONG;
  memcpy(sa.sun_path, b->sock_path, strlen(b->sock_path) + 1);
  b->lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (b->lfd < 0)
    return -errno;
  unlink(b->sock_path);
  mode_t old = umask(077);
  int err = bind(b->lfd, (struct sockaddr *)&sa, sizeof sa) ? -errno : 0;
  umask(old);
  if (!err && (chmod(b->sock_path, 0600) || listen(b->lfd, 64)))
    err = -errno;
  return err;
}

int llmp_broker_new(const struct llmp_broker_opts *opts,
                    struct llmp_broker **out) {
  struct llmp_broker *b = calloc(1, sizeof *b);
  if (!b)
    return -ENOMEM;
  b->o = *opts;
  b->lfd = b->tcp_fd = -1;
  b->id = llmp_random64();
  b->snap.max = opts->snapshot_max ? opts->snapshot_max : LLMP_SNAPSHOT_MAX;
  int err = 0;
  if (opts->secret_len > LLMP_SECRET_MAX)
    err = -EINVAL;
  if (!err && opts->secret) {
    b->secret = malloc(opts->secret_len ? opts->secret_len : 1);
    if (!b->secret)
      err = -ENOMEM;
    else
      memcpy(b->secret, opts->secret, opts->secret_len);
    b->o.secret = b->secret;
  }
  if (!err)
    err = llmp_writer_init(&b->bc, LLMP_PAGE_SIZE, 0);
  if (!err)
    err = listen_unix(b, opts->sock_dir);
  if (err) {
    llmp_broker_free(b);
    return err;
  }
  *out = b;
  return 0;
}

uint64_t llmp_broker_id(const struct llmp_broker *b) { return b->id; }

const struct llmp_broker_stats *llmp_broker_stats(const struct llmp_broker *b) {
  return &b->st;
}

bool llmp_broker_client(const struct llmp_broker *b, unsigned i,
                        struct llmp_client_info *out) {
  if (i >= LLMP_MAX_CLIENTS || !b->cl[i].used)
    return false;
  const struct bclient *c = &b->cl[i];
  out->id = c->id;
  out->pid = c->pid;
  out->alive = c->alive;
  out->msgs = c->msgs;
  memcpy(out->stats, c->stats, c->stats_len);
  out->stats_len = c->stats_len;
  return true;
}

bool llmp_seen_first(struct llmp_broker *b, uint64_t origin, uint64_t seq) {
  for (size_t i = 0; i < b->nseen; i++) {
    if (b->seen[i].origin != origin)
      continue;
    if (seq <= b->seen[i].seq)
      return false;
    b->seen[i].seq = seq;
    return true;
  }
  if (b->nseen == LLMP_MAX_ORIGINS)
    return false;
  b->seen[b->nseen++] = (struct seen){origin, seq};
  return true;
}

/* Reader bits a broadcast page of sequence number seq waits for. */
static void page_mask(const struct llmp_broker *b, uint64_t seq,
                      uint64_t *mask) {
  memset(mask, 0, LLMP_JOIN_WORDS * sizeof *mask);
  for (unsigned i = 0; i < LLMP_MAX_CLIENTS; i++)
    if (b->cl[i].alive && b->cl[i].r.p && b->cl[i].start_seq <= seq)
      mask[i / 64] |= 1ULL << (i % 64);
}

/* Detaches broadcast pages every reader attached; past LLMP_BCAST_KEEP
   the oldest goes anyway and the readers not there yet resync later. */
static void bc_release(struct llmp_broker *b) {
  struct llmp_writer *w = &b->bc;
  size_t keep = 0;
  uint64_t mask[LLMP_JOIN_WORDS];
  for (size_t i = 0; i + 1 < w->n; i++) {
    struct llmp_page *p = w->pages[i].p;
    page_mask(b, p->seq, mask);
    bool all = llmp_page_all_joined(p, mask);
    if (!all && w->n - 1 - i > LLMP_BCAST_KEEP) {
      for (unsigned k = 0; k < LLMP_MAX_CLIENTS; k++)
        if ((mask[k / 64] >> (k % 64) & 1) && !llmp_page_joined(p, k))
          b->st.readers_lagged++;
      all = true;
    }
    if (all)
      llmp_writer_retire(w, w->pages[i]);
    else
      w->pages[keep++] = w->pages[i];
  }
  w->pages[keep++] = w->pages[w->n - 1];
  w->n = keep;
}

void llmp_publish(struct llmp_broker *b, const struct llmp_msg *m,
                  const struct llmp_link *from, bool replay) {
  if (b->bc.n > 1)
    bc_release(b);
  struct llmp_hdr *h = llmp_writer_alloc(&b->bc, m->len);
  if (!h)
    return;
  h->tag = m->tag;
  h->sender = m->sender;
  h->origin = m->origin;
  h->seq = m->seq;
  memcpy(h + 1, m->data, m->len);
  llmp_writer_commit(&b->bc);
  b->st.forwarded++;
  if (m->tag == LLMP_TAG_TESTCASE) {
    int r = llmp_snapshot_add(&b->snap, m);
    if (r == -ENOSPC)
      b->st.snapshot_full++;
    b->st.snapshot_count = b->snap.n;
    b->st.snapshot_bytes = b->snap.bytes;
  }
  for (size_t i = 0; i < b->nlinks; i++)
    if (b->links[i] != from)
      llmp_link_send(b, b->links[i], m, replay);
}

/* One message from a local client's chain. */
static void from_client(struct llmp_broker *b, struct bclient *c,
                        struct llmp_msg *m) {
  c->msgs++;
  if (m->tag == LLMP_TAG_STATS) {
    c->stats_len = m->len < LLMP_STATS_MAX ? m->len : LLMP_STATS_MAX;
    memcpy(c->stats, m->data, c->stats_len);
    b->st.stats_msgs++;
    return;
  }
  if (m->tag < LLMP_TAG_USER && m->tag != LLMP_TAG_TESTCASE) {
    b->st.bad_msgs++;
    return;
  }
  m->sender = c->id; /* ids come from the broker, never from the client */
  m->origin = b->id;
  m->seq = ++b->seq;
  llmp_seen_first(b, b->id, m->seq);
  llmp_publish(b, m, NULL, false);
}

/* Everything client c published so far; returns the count. */
static int drain(struct llmp_broker *b, struct bclient *c) {
  int n = 0;
  struct llmp_msg m;
  int got;
  while (c->r.p && (got = llmp_reader_next(&c->r, &m)) == 1) {
    from_client(b, c, &m);
    n++;
  }
  if (c->r.p && got < 0) {
    b->st.bad_msgs++;
    llmp_blog(b, "llmp: client %u: %s; its chain is no longer read", c->id,
              got == -ESTALE ? "next page is gone" : "invalid message");
    llmp_reader_close(&c->r);
  }
  return n;
}

static void drop_snap(struct bclient *c) {
  if (c->has_snap)
    llmp_writer_free(&c->snap);
  c->has_snap = false;
}

/* Ends client c: drain what it sent, detach, close. */
static void client_end(struct llmp_broker *b, struct bclient *c, bool died) {
  drain(b, c);
  llmp_reader_close(&c->r);
  drop_snap(c);
  if (c->fd >= 0)
    close(c->fd);
  c->fd = -1;
  if (c->alive) {
    b->st.clients--;
    if (died) {
      b->st.clients_died++;
      llmp_blog(b, "llmp: client %u (pid %d) died", c->id, c->pid);
    } else {
      b->st.clients_left++;
    }
  }
  c->alive = false;
}

/* Fills the reply to HELLO or RESYNC: where to start reading. */
static void start_reading(struct llmp_broker *b, struct bclient *c,
                          struct llmp_reply *a) {
  unsigned bit = (unsigned)(c - b->cl);
  struct llmp_page *p = llmp_writer_page(&b->bc);
  atomic_fetch_and(&p->joined[bit / 64], ~(1ULL << (bit % 64)));
  c->start_seq = p->seq;
  a->id = c->id;
  a->broker = b->id;
  a->bc_shmid = llmp_writer_shmid(&b->bc);
  a->bc_chain = b->bc.chain;
  a->bc_seq = p->seq;
  a->bc_read_id = atomic_load(&p->last_id);
  a->bc_off = b->bc.off;
  a->snap_shmid = -1;
  drop_snap(c);
  if (b->snap.n && !llmp_snapshot_page(&b->snap, &c->snap)) {
    c->has_snap = true;
    a->snap_shmid = llmp_writer_shmid(&c->snap);
    a->snap_chain = c->snap.chain;
  }
}

static void handle_request(struct llmp_broker *b, struct bclient *c,
                           const struct llmp_req *q) {
  struct llmp_reply a = {0};
  if (q->type == LLMP_REQ_BYE) {
    client_end(b, c, false);
    return;
  }
  if (q->type == LLMP_REQ_HELLO && !c->r.p) {
    c->pid = q->pid;
    a.status = llmp_reader_open(&c->r, q->shmid, q->chain, 0, 0);
  } else if (q->type != LLMP_REQ_RESYNC || !c->r.p) {
    a.status = -EPROTO;
  }
  if (!a.status)
    start_reading(b, c, &a);
  if (llmp_write_full(c->fd, &a, sizeof a) || a.status)
    client_end(b, c, true);
}

/* A request or the end of client c's socket. */
static void client_socket(struct llmp_broker *b, struct bclient *c) {
  struct llmp_req q;
  int err = llmp_read_full(c->fd, &q, sizeof q, 100);
  if (err)
    client_end(b, c, c->r.p != NULL);
  else
    handle_request(b, c, &q);
}

static void accept_clients(struct llmp_broker *b) {
  int fd;
  while ((fd = accept4(b->lfd, NULL, NULL, SOCK_CLOEXEC)) >= 0) {
    unsigned i = 0;
    while (i < LLMP_MAX_CLIENTS && (b->cl[i].alive || b->cl[i].fd >= 0) &&
           b->cl[i].used)
      i++;
    if (i == LLMP_MAX_CLIENTS) {
      llmp_blog(b, "llmp: %u clients already; one more refused",
                LLMP_MAX_CLIENTS);
      close(fd);
      continue;
    }
    struct bclient *c = &b->cl[i];
    memset(c, 0, sizeof *c);
    c->used = c->alive = true;
    c->fd = fd;
    c->id = (++b->next_gen << 8) | i;
    b->st.clients++;
  }
}

/* Drains every client and frees snapshot pages their joiner attached. */
static int drain_all(struct llmp_broker *b) {
  int n = 0;
  for (unsigned i = 0; i < LLMP_MAX_CLIENTS; i++) {
    struct bclient *c = &b->cl[i];
    if (!c->alive)
      continue;
    n += drain(b, c);
    if (c->has_snap && llmp_page_joined(llmp_writer_page(&c->snap), 0))
      drop_snap(c);
  }
  return n;
}

int llmp_broker_poll(struct llmp_broker *b, int timeout_ms) {
  int n = drain_all(b);
  struct pollfd pfd[1 + LLMP_MAX_CLIENTS + 64];
  unsigned who[LLMP_MAX_CLIENTS];
  size_t np = 0;
  pfd[np++] = (struct pollfd){b->lfd, POLLIN, 0};
  for (unsigned i = 0; i < LLMP_MAX_CLIENTS; i++)
    if (b->cl[i].used && b->cl[i].fd >= 0) {
      who[np - 1] = i;
      pfd[np++] = (struct pollfd){b->cl[i].fd, POLLIN, 0};
    }
  size_t nclient = np;
  np += llmp_links_pollfds(b, pfd + np);
  if (poll(pfd, np, n ? 0 : timeout_ms) <= 0)
    return n;
  if (pfd[0].revents)
    accept_clients(b);
  for (size_t k = 1; k < nclient; k++)
    if (pfd[k].revents)
      client_socket(b, &b->cl[who[k - 1]]);
  n += llmp_links_service(b, pfd + nclient, np - nclient);
  return n;
}

void llmp_broker_free(struct llmp_broker *b) {
  if (!b)
    return;
  for (unsigned i = 0; i < LLMP_MAX_CLIENTS; i++)
    if (b->cl[i].used) {
      llmp_reader_close(&b->cl[i].r);
      drop_snap(&b->cl[i]);
      if (b->cl[i].fd >= 0)
        close(b->cl[i].fd);
    }
  llmp_links_free(b);
  if (b->bc.pages)
    llmp_writer_free(&b->bc);
  llmp_snapshot_free(&b->snap);
  if (b->lfd >= 0) {
    close(b->lfd);
    unlink(b->sock_path);
  }
  free(b->sock_path);
  free(b->secret);
  free(b);
}
