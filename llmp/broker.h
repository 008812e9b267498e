/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * The broker's state, shared by broker.c (clients, broadcast, snapshot)
 * and link.c (TCP peers). Not part of the API: see llmp.h.
 */
#ifndef LOP_LLMP_BROKER_H
#define LOP_LLMP_BROKER_H

#include "internal.h"

struct bclient {
  bool used, alive, leaving;
  int fd; /* registration socket, -1 once closed */
  uint32_t id;
  int pid;
  struct llmp_reader r;    /* the client's chain; r.p NULL before HELLO */
  uint64_t start_seq;      /* broadcast page it started reading on */
  struct llmp_writer snap; /* its snapshot page until it attached it */
  bool has_snap;
  uint64_t msgs;
  uint8_t stats[LLMP_STATS_MAX];
  size_t stats_len;
};

struct llmp_link {
  int fd;
  int state; /* LINK_HELLO, LINK_AUTH, LINK_UP */
  bool loopback;
  char name[64];
  uint64_t peer_id;
  uint8_t my_nonce[16], peer_nonce[16];
  uint8_t *in;
  size_t in_len, in_cap;
  uint8_t *out;
  size_t out_len, out_off, out_cap;
};

struct seen {
  uint64_t origin, seq;
};

struct llmp_broker {
  struct llmp_broker_opts o;
  uint8_t *secret;
  uint64_t id, seq;
  int lfd;
  char *sock_path;
  struct bclient cl[LLMP_MAX_CLIENTS];
  uint32_t next_gen;
  struct llmp_writer bc;
  struct llmp_snapshot snap;
  struct seen seen[LLMP_MAX_ORIGINS];
  size_t nseen;
  int tcp_fd; /* listening for brokers, -1 none */
  struct llmp_link **links;
  size_t nlinks;
  struct llmp_broker_stats st;
};

void llmp_blog(struct llmp_broker *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Puts m on the broadcast chain and sends it to every linked broker but
   from (NULL: from a local client); replay: a snapshot entry sent when a
   link came up, passed on as one (deduplicated by content). */
void llmp_publish(struct llmp_broker *b, const struct llmp_msg *m,
                  const struct llmp_link *from, bool replay);
/* True (and remembered) when origin's seq was not seen before. */
bool llmp_seen_first(struct llmp_broker *b, uint64_t origin, uint64_t seq);

/* link.c */
void llmp_link_send(struct llmp_broker *b, struct llmp_link *l,
                    const struct llmp_msg *m, bool replay);
/* Adds pollfds of the listener and links; returns how many. */
size_t llmp_links_pollfds(struct llmp_broker *b, struct pollfd *p);
/* Handles what the pollfds from llmp_links_pollfds report. */
int llmp_links_service(struct llmp_broker *b, const struct pollfd *p, size_t n);
void llmp_links_free(struct llmp_broker *b);

#endif /* LOP_LLMP_BROKER_H */
