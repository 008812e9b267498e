/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * llmp internals shared by its files: the page and message layout in
 * shared memory (docs/llmp.md), single-writer chains and their readers,
 * the registration wire, SHA-256, the testcase snapshot and TCP links.
 */
#ifndef LOP_LLMP_INTERNAL_H
#define LOP_LLMP_INTERNAL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "llmp.h"

#define LLMP_PAGE_MAGIC 0x31504d4c4c504f4cULL /* "LOPLLMP1" */
#define LLMP_ALIGN 64U
#define LLMP_JOIN_WORDS (LLMP_MAX_CLIENTS / 64U)
/* Retired pages a writer keeps for reuse (each at least a first page). */
#define LLMP_SPARE_PAGES 4U

/* Page header: 128 bytes, messages follow. Only the writer stores to it,
   except joined (readers set their bit on attach) and left. */
struct llmp_page {
  uint64_t magic;
  uint64_t chain; /* random per chain: a stale shm id is never mistaken */
  uint64_t seq;   /* page number in its chain */
  uint64_t size;  /* bytes of the segment */
  _Atomic uint64_t last_id; /* publish word: messages 1..last_id are there */
  _Atomic uint64_t left;    /* readers that moved past this page */
  _Atomic uint64_t joined[LLMP_JOIN_WORDS]; /* reader bits, set on attach */
  uint8_t pad[128 - 48 - 8 * LLMP_JOIN_WORDS];
};

/* Message header: 48 bytes, the payload follows; span (header, payload and
   padding) is a multiple of 64, so every message starts 64-aligned. */
struct llmp_hdr {
  uint32_t tag;
  uint32_t sender;
  uint64_t origin;
  uint64_t seq;
  uint64_t id; /* 1, 2, ... within the page */
  uint32_t len;
  uint32_t span;
  uint64_t pad;
};

/* Payload of an end-of-page message. */
struct llmp_eop {
  int32_t shmid;
  uint32_t pad;
  uint64_t size;
  uint64_t seq;
  uint64_t chain;
};

/* A writer's chain: the current page and older ones kept until every
   expected reader attached them. */
struct llmp_wpage {
  int shmid;
  struct llmp_page *p;
};

struct llmp_writer {
  uint64_t chain;
  uint64_t seq;             /* seq of the current page */
  size_t off;               /* where the next message goes */
  size_t base_size;         /* first page size */
  size_t largest;           /* largest span ever allocated */
  struct llmp_hdr *pending; /* allocated, not committed */
  struct llmp_wpage *pages; /* pages[n-1] is current */
  size_t n, cap;
  /* Pages every reader attached, kept for reuse once all have left: a
     reused page is already faulted in, a new segment is not. */
  struct llmp_wpage spare[LLMP_SPARE_PAGES];
  size_t nspare;
  unsigned max_kept; /* unjoined pages kept at most; 0 = no bound */
};

struct llmp_reader {
  int shmid;
  struct llmp_page *p;
  uint64_t chain;
  uint64_t seq;
  uint64_t read_id; /* last id consumed */
  size_t off;       /* offset of message read_id + 1 */
  unsigned bit;     /* this reader's joined bit */
};

/* page.c */
int llmp_writer_init(struct llmp_writer *w, size_t size, unsigned max_kept);
struct llmp_hdr *llmp_writer_alloc(struct llmp_writer *w, size_t len);
void llmp_writer_commit(struct llmp_writer *w);
/* Detaches kept pages that every reader in mask (LLMP_JOIN_WORDS words)
   attached; returns how many are kept. */
size_t llmp_writer_release(struct llmp_writer *w, const uint64_t *mask);
/* Takes a page off the writer: kept for reuse, or detached. */
void llmp_writer_retire(struct llmp_writer *w, struct llmp_wpage wp);
struct llmp_page *llmp_writer_page(const struct llmp_writer *w);
int llmp_writer_shmid(const struct llmp_writer *w);
void llmp_writer_free(struct llmp_writer *w);
int llmp_reader_open(struct llmp_reader *r, int shmid, uint64_t chain,
                     uint64_t seq, unsigned bit);
void llmp_reader_seek(struct llmp_reader *r, uint64_t read_id, size_t off);
/* Next message: 1 and *m (its length checked against the page), 0 none
   yet, -EBADMSG invalid message, -ESTALE the next page is gone. Follows
   end-of-page messages. */
int llmp_reader_next(struct llmp_reader *r, struct llmp_msg *m);
void llmp_reader_close(struct llmp_reader *r);
bool llmp_page_joined(const struct llmp_page *p, unsigned bit);
bool llmp_page_all_joined(const struct llmp_page *p, const uint64_t *mask);
size_t llmp_span(size_t len);
uint64_t llmp_random64(void);
/* shmat/shmdt, made visible to ThreadSanitizer as allocation and free. */
void *llmp_shm_attach(int shmid);
void llmp_shm_detach(void *p);

/* wire.c: registration over the Unix socket. */
enum { LLMP_REQ_HELLO = 1, LLMP_REQ_RESYNC = 2, LLMP_REQ_BYE = 3 };
struct llmp_req {
  uint32_t type;
  int32_t pid;
  int32_t shmid; /* HELLO: the client's first page */
  uint32_t pad;
  uint64_t chain;
};
struct llmp_reply {
  int32_t status; /* 0 or negative errno */
  uint32_t id;
  uint64_t broker;
  int32_t bc_shmid; /* broadcast page to start on */
  uint32_t pad;
  uint64_t bc_chain, bc_seq, bc_read_id, bc_off;
  int32_t snap_shmid; /* -1: no snapshot */
  uint32_t pad2;
  uint64_t snap_chain;
};
char *llmp_sock_path(const char *dir);
int llmp_write_full(int fd, const void *buf, size_t n);
int llmp_read_full(int fd, void *buf, size_t n, int timeout_ms);

/* sha256.c */
void llmp_sha256(const uint8_t *data, size_t len, uint8_t out[32]);
void llmp_hmac(const uint8_t *key, size_t klen, const uint8_t *msg, size_t mlen,
               uint8_t out[32]);

/* snapshot.c: every testcase once, bounded by bytes. */
struct llmp_snap_entry {
  uint8_t hash[32];
  uint32_t sender;
  uint64_t origin, seq;
  uint8_t *data;
  uint32_t len;
};
struct llmp_snapshot {
  struct llmp_snap_entry *e; /* in arrival order */
  size_t n, cap;
  size_t *slots; /* open addressing: index + 1, 0 empty */
  size_t nslots;
  size_t bytes, max;
};
/* 1 added, 0 already there, -ENOSPC at the bound, -ENOMEM. */
int llmp_snapshot_add(struct llmp_snapshot *s, const struct llmp_msg *m);
bool llmp_snapshot_has(const struct llmp_snapshot *s, const uint8_t *data,
                       size_t len);
/* A fresh page holding every entry, for one late joiner. */
int llmp_snapshot_page(const struct llmp_snapshot *s, struct llmp_writer *w);
void llmp_snapshot_free(struct llmp_snapshot *s);

#endif /* LOP_LLMP_INTERNAL_H */
