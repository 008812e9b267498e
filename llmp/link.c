/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Broker-to-broker links over TCP (docs/llmp.md, "Links"). Each side sends
 * a hello (magic, broker id, random nonce), then a proof: HMAC-SHA256 of
 * the shared secret over both nonces and its id. Without a secret only
 * loopback peers are accepted. Then length-prefixed frames, each carrying
 * the origin broker and its sequence number; a message already seen from
 * that origin is dropped, so rings of brokers never loop. Every length is
 * bounded before anything is allocated; a peer that breaks the protocol is
 * dropped with one log line and the broker goes on.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "broker.h"

/* Linked brokers at most (their pollfds are part of each broker round). */
#define MAX_LINKS 63U
#define HELLO_LEN 32U
#define AUTH_LEN 32U
#define FRAME_HDR 24U /* tag, sender, origin, seq */
#define REPLAY_FLAG 0x80000000U
static const uint8_t hello_magic[8] = {'L', 'O', 'P', 'L', 'I', 'N', 'K', 1};

enum { LINK_HELLO, LINK_AUTH, LINK_UP, LINK_DEAD };

static void put32(uint8_t *p, uint32_t v) {
  for (int i = 0; i < 4; i++)
    p[i] = (uint8_t)(v >> (8 * i));
}
static void put64(uint8_t *p, uint64_t v) {
  for (int i = 0; i < 8; i++)
    p[i] = (uint8_t)(v >> (8 * i));
}
static uint32_t get32(const uint8_t *p) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; i--)
    v = v << 8 | p[i];
  return v;
}
static uint64_t get64(const uint8_t *p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; i--)
    v = v << 8 | p[i];
  return v;
}

/* Appends n bytes to l's output; false when that would pass the bound. */
static bool out_put(struct llmp_link *l, const void *data, size_t n) {
  if (l->out_off && l->out_off == l->out_len)
    l->out_off = l->out_len = 0;
  if (l->out_len - l->out_off + n > LLMP_LINK_OUT_MAX)
    return false;
  if (l->out_len + n > l->out_cap) {
    if (l->out_off) {
      memmove(l->out, l->out + l->out_off, l->out_len - l->out_off);
      l->out_len -= l->out_off;
      l->out_off = 0;
    }
    size_t cap = l->out_cap ? l->out_cap : 65536;
    while (cap < l->out_len + n)
      cap *= 2;
    uint8_t *o = realloc(l->out, cap);
    if (!o)
      return false;
    l->out = o;
    l->out_cap = cap;
  }
  memcpy(l->out + l->out_len, data, n);
  l->out_len += n;
  return true;
}

/* The proof that `id`, whose nonce is `mine`, knows the secret. */
static void proof(const struct llmp_broker *b, const uint8_t *challenge,
                  const uint8_t *mine, uint64_t id, uint8_t out[32]) {
  uint8_t msg[13 + 16 + 16 + 8] = "lop-llmp-link";
  memcpy(msg + 13, challenge, 16);
  memcpy(msg + 29, mine, 16);
  put64(msg + 45, id);
  llmp_hmac(b->o.secret, b->o.secret ? b->o.secret_len : 0, msg, sizeof msg,
            out);
}

void llmp_link_send(struct llmp_broker *b, struct llmp_link *l,
                    const struct llmp_msg *m, bool replay) {
  if (l->state != LINK_UP || m->tag == LLMP_TAG_STATS)
    return;
  uint8_t hdr[4 + FRAME_HDR];
  put32(hdr, (uint32_t)(FRAME_HDR + m->len));
  put32(hdr + 4, m->tag | (replay ? REPLAY_FLAG : 0));
  put32(hdr + 8, m->sender);
  put64(hdr + 12, m->origin);
  put64(hdr + 20, m->seq);
  if (l->out_len - l->out_off + sizeof hdr + m->len > LLMP_LINK_OUT_MAX ||
      !out_put(l, hdr, sizeof hdr) || !out_put(l, m->data, m->len))
    b->st.link_dropped++;
}

static struct llmp_link *link_add(struct llmp_broker *b, int fd,
                                  const struct sockaddr_in *sa) {
  if (b->nlinks == MAX_LINKS) {
    llmp_blog(b, "llmp: %u broker links already; one more refused", MAX_LINKS);
    close(fd);
    return NULL;
  }
  struct llmp_link *l = calloc(1, sizeof *l);
  struct llmp_link **ls =
      realloc(b->links, (b->nlinks + 1) * sizeof(struct llmp_link *));
  if (!l || !ls) {
    free(l);
    if (ls)
      b->links = ls;
    close(fd);
    return NULL;
  }
  b->links = ls;
  b->links[b->nlinks++] = l;
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  l->fd = fd;
  l->loopback = (ntohl(sa->sin_addr.s_addr) >> 24) == 127;
  snprintf(l->name, sizeof l->name, "%s:%u", inet_ntoa(sa->sin_addr),
           ntohs(sa->sin_port));
  uint64_t n0 = llmp_random64(), n1 = llmp_random64();
  memcpy(l->my_nonce, &n0, 8);
  memcpy(l->my_nonce + 8, &n1, 8);
  uint8_t hello[HELLO_LEN];
  memcpy(hello, hello_magic, 8);
  put64(hello + 8, b->id);
  memcpy(hello + 16, l->my_nonce, 16);
  out_put(l, hello, sizeof hello);
  return l;
}

/* "ADDR:PORT" into sa; ADDR empty means 127.0.0.1. */
static int parse_addr(const char *s, struct sockaddr_in *sa) {
  const char *colon = strrchr(s, ':');
  char host[64];
  if (!colon || (size_t)(colon - s) >= sizeof host)
    return -EINVAL;
  memcpy(host, s, (size_t)(colon - s));
  host[colon - s] = 0;
  char *end;
  unsigned long port = strtoul(colon + 1, &end, 10);
  if (!colon[1] || *end || port > 65535)
    return -EINVAL;
  memset(sa, 0, sizeof *sa);
  sa->sin_family = AF_INET;
  sa->sin_port = htons((uint16_t)port);
  if (inet_pton(AF_INET, host[0] ? host : "127.0.0.1", &sa->sin_addr) != 1)
    return -EINVAL;
  return 0;
}

int llmp_broker_listen(struct llmp_broker *b, const char *addr_port) {
  struct sockaddr_in sa;
  socklen_t len = sizeof sa;
  int err = parse_addr(addr_port, &sa);
  if (err || b->tcp_fd >= 0)
    return err ? err : -EBUSY;
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  int one = 1;
  if (fd < 0)
    return -errno;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (bind(fd, (struct sockaddr *)&sa, sizeof sa) || listen(fd, 16) ||
      getsockname(fd, (struct sockaddr *)&sa, &len)) {
    err = -errno;
    close(fd);
    return err;
  }
  b->tcp_fd = fd;
  return ntohs(sa.sin_port);
}

int llmp_broker_connect(struct llmp_broker *b, const char *host_port) {
  struct sockaddr_in sa;
  int err = parse_addr(host_port, &sa);
  if (err)
    return err;
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return -errno;
  if (connect(fd, (struct sockaddr *)&sa, sizeof sa)) {
    err = -errno;
    close(fd);
    return err;
  }
  return link_add(b, fd, &sa) ? 0 : -ENOMEM;
}

/* Drops link l: one log line, counted when the peer did wrong. */
static void link_drop(struct llmp_broker *b, struct llmp_link *l, bool bad,
                      const char *why) {
  llmp_blog(b, "llmp: broker peer %s: %s; link dropped", l->name, why);
  if (bad)
    b->st.peers_dropped++;
  if (l->state == LINK_UP)
    b->st.links--;
  l->state = LINK_DEAD;
  close(l->fd);
  l->fd = -1;
}

/* The peer proved itself: the link is up, send it our snapshot. */
static void link_up(struct llmp_broker *b, struct llmp_link *l) {
  l->state = LINK_UP;
  b->st.links++;
  for (size_t k = 0; k < b->snap.n; k++) {
    const struct llmp_snap_entry *e = &b->snap.e[k];
    struct llmp_msg m = {LLMP_TAG_TESTCASE, e->sender, e->origin, e->seq,
                         e->data,           e->len};
    llmp_link_send(b, l, &m, true);
  }
}

/* Handles the peer's hello or proof in the have bytes at in; returns bytes
   used, 0 when more are needed, -1 when l was dropped. */
static ssize_t handshake(struct llmp_broker *b, struct llmp_link *l,
                         const uint8_t *in, size_t have) {
  if (l->state == LINK_HELLO) {
    if (have < HELLO_LEN)
      return 0;
    if (memcmp(in, hello_magic, 8) != 0)
      return link_drop(b, l, true, "not an llmp broker (bad hello)"), -1;
    l->peer_id = get64(in + 8);
    memcpy(l->peer_nonce, in + 16, 16);
    if (l->peer_id == b->id)
      return link_drop(b, l, false, "is this broker itself"), -1;
    uint8_t mac[AUTH_LEN];
    proof(b, l->peer_nonce, l->my_nonce, b->id, mac);
    out_put(l, mac, sizeof mac);
    l->state = LINK_AUTH;
    return HELLO_LEN;
  }
  if (have < AUTH_LEN)
    return 0;
  uint8_t want[AUTH_LEN], diff = 0;
  proof(b, l->my_nonce, l->peer_nonce, l->peer_id, want);
  for (unsigned i = 0; i < AUTH_LEN; i++)
    diff |= want[i] ^ in[i];
  bool trusted = l->loopback && !b->o.no_loopback_trust;
  if (!b->o.secret && !trusted)
    return link_drop(b, l, true,
                     "not on loopback and no secret is set "
                     "(LOP_LLMP_SECRET_FILE)"),
           -1;
  if (b->o.secret && diff)
    return link_drop(b, l, true, "wrong secret"), -1;
  link_up(b, l);
  return AUTH_LEN;
}

/* One complete frame body (len bytes at p) from link l. */
static void frame(struct llmp_broker *b, struct llmp_link *l, const uint8_t *p,
                  size_t len) {
  uint32_t tag = get32(p);
  bool replay = tag & REPLAY_FLAG;
  struct llmp_msg m = {tag & ~REPLAY_FLAG, get32(p + 4),  get64(p + 8),
                       get64(p + 16),      p + FRAME_HDR, len - FRAME_HDR};
  if ((m.tag < LLMP_TAG_USER && m.tag != LLMP_TAG_TESTCASE) || !m.origin) {
    b->st.bad_msgs++;
    return;
  }
  bool fresh = replay ? m.tag == LLMP_TAG_TESTCASE &&
                            !llmp_snapshot_has(&b->snap, m.data, m.len)
                      : llmp_seen_first(b, m.origin, m.seq);
  if (!fresh) {
    b->st.duplicates++;
    return;
  }
  llmp_publish(b, &m, l, replay);
}

/* Frames and handshake steps in l->in; returns messages handled or -1. */
static int consume(struct llmp_broker *b, struct llmp_link *l) {
  size_t used = 0;
  int n = 0;
  for (;;) {
    const uint8_t *p = l->in + used;
    size_t have = l->in_len - used;
    if (l->state != LINK_UP) {
      ssize_t r = handshake(b, l, p, have);
      if (r <= 0)
        break;
      used += (size_t)r;
      continue;
    }
    if (have < 4)
      break;
    uint32_t len = get32(p);
    if (len < FRAME_HDR || len > FRAME_HDR + LLMP_MSG_MAX) {
      char why[96];
      snprintf(why, sizeof why, "frame length %u out of range (%u..%u)", len,
               FRAME_HDR, FRAME_HDR + LLMP_MSG_MAX);
      link_drop(b, l, true, why);
      return -1;
    }
    if (have < 4 + (size_t)len)
      break;
    frame(b, l, p + 4, len);
    used += 4 + (size_t)len;
    n++;
  }
  if (l->fd < 0)
    return -1;
  memmove(l->in, l->in + used, l->in_len - used);
  l->in_len -= used;
  return n;
}

/* Reads what l's socket has; returns messages handled or -1 (dropped). */
static int link_read(struct llmp_broker *b, struct llmp_link *l) {
  for (;;) {
    if (l->in_cap - l->in_len < 65536) {
      size_t cap = l->in_cap ? 2 * l->in_cap : 131072;
      if (cap > 2 * (4 + FRAME_HDR + (size_t)LLMP_MSG_MAX))
        cap = l->in_cap; /* consume() has bounded every frame already */
      uint8_t *in = cap > l->in_cap ? realloc(l->in, cap) : l->in;
      if (!in)
        return link_drop(b, l, false, "out of memory"), -1;
      l->in = in;
      l->in_cap = cap;
    }
    ssize_t r = read(l->fd, l->in + l->in_len, l->in_cap - l->in_len);
    if (r < 0 && errno == EINTR)
      continue;
    if (r < 0 && errno == EAGAIN)
      return consume(b, l);
    if (r <= 0) {
      int n = consume(b, l);
      if (n >= 0)
        link_drop(b, l, l->in_len > 0,
                  l->in_len ? "truncated frame at end of stream"
                            : "closed the connection");
      return -1;
    }
    l->in_len += (size_t)r;
    if (l->in_cap - l->in_len < 65536 && consume(b, l) < 0)
      return -1;
  }
}

static void link_flush(struct llmp_broker *b, struct llmp_link *l) {
  while (l->fd >= 0 && l->out_off < l->out_len) {
    ssize_t w =
        send(l->fd, l->out + l->out_off, l->out_len - l->out_off, MSG_NOSIGNAL);
    if (w < 0 && errno == EINTR)
      continue;
    if (w < 0 && errno == EAGAIN)
      return;
    if (w <= 0)
      return link_drop(b, l, false, "write failed");
    l->out_off += (size_t)w;
  }
}

size_t llmp_links_pollfds(struct llmp_broker *b, struct pollfd *p) {
  size_t n = 0;
  p[n++] = (struct pollfd){b->tcp_fd, POLLIN, 0}; /* -1: ignored by poll */
  for (size_t i = 0; i < b->nlinks; i++) {
    struct llmp_link *l = b->links[i];
    link_flush(b, l);
    short ev = POLLIN | (l->out_off < l->out_len ? POLLOUT : 0);
    p[n++] = (struct pollfd){l->fd, ev, 0};
  }
  return n;
}

static void link_free(struct llmp_link *l) {
  if (l->fd >= 0)
    close(l->fd);
  free(l->in);
  free(l->out);
  free(l);
}

/* Removes dropped links. */
static void links_sweep(struct llmp_broker *b) {
  size_t keep = 0;
  for (size_t i = 0; i < b->nlinks; i++) {
    if (b->links[i]->fd >= 0)
      b->links[keep++] = b->links[i];
    else
      link_free(b->links[i]);
  }
  b->nlinks = keep;
}

int llmp_links_service(struct llmp_broker *b, const struct pollfd *p,
                       size_t n) {
  int msgs = 0;
  size_t nl = b->nlinks; /* links accepted below have no pollfd yet */
  for (size_t i = 1; i < n && i - 1 < nl; i++) {
    struct llmp_link *l = b->links[i - 1];
    if (l->fd >= 0 && p[i].revents & (POLLIN | POLLHUP | POLLERR)) {
      int r = link_read(b, l);
      msgs += r > 0 ? r : 0;
    }
    if (l->fd >= 0)
      link_flush(b, l);
  }
  if (p[0].fd >= 0 && p[0].revents & POLLIN) {
    struct sockaddr_in sa = {0};
    socklen_t len = sizeof sa;
    int fd;
    while ((fd = accept4(b->tcp_fd, (struct sockaddr *)&sa, &len,
                         SOCK_CLOEXEC)) >= 0) {
      struct llmp_link *l = link_add(b, fd, &sa);
      if (l)
        link_flush(b, l);
      len = sizeof sa;
    }
  }
  links_sweep(b);
  return msgs;
}

void llmp_links_free(struct llmp_broker *b) {
  for (size_t i = 0; i < b->nlinks; i++)
    link_free(b->links[i]);
  free(b->links);
  b->links = NULL;
  b->nlinks = 0;
  if (b->tcp_fd >= 0)
    close(b->tcp_fd);
  b->tcp_fd = -1;
}
