/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * llmp: low-level message passing between fuzzer processes (docs/llmp.md).
 *
 * A client (one fuzzer worker) writes messages into a chain of SysV
 * shared-memory pages that only it writes; one broker process reads every
 * client's chain and copies what it accepts into one broadcast chain that
 * every client reads. Sending and receiving are plain loads and stores
 * (no syscall) except when a page is full. Brokers link over TCP.
 *
 * Broker:  llmp_broker_new, then llmp_broker_poll in a loop; optionally
 *          llmp_broker_listen / llmp_broker_connect for other brokers.
 * Client:  llmp_client_join, llmp_client_send (or alloc + commit),
 *          llmp_client_poll for other clients' messages.
 * Every function returns 0 or a positive count on success and a negative
 * errno value on failure; none prints (the broker logs through a callback)
 * and none exits. Objects are single-threaded: one thread per object.
 */
#ifndef LOP_LLMP_H
#define LOP_LLMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Message tags. Tags below LLMP_TAG_USER are llmp's own. */
enum {
  LLMP_TAG_EOP = 1,      /* end of page: names the next page (internal) */
  LLMP_TAG_TESTCASE = 2, /* forwarded to all, kept once for late joiners */
  LLMP_TAG_STATS = 3,    /* consumed by the broker (its screen), not sent on */
  LLMP_TAG_USER = 16     /* first free tag: forwarded, not kept */
};

/* A received message. data points into shared memory and stays valid
   until the next llmp_client_poll on the same client. */
struct llmp_msg {
  uint32_t tag;
  uint32_t sender; /* client id given by the origin broker */
  uint64_t origin; /* id of the broker the sender is attached to */
  uint64_t seq;    /* per-origin sequence number, 1, 2, ... */
  const uint8_t *data;
  size_t len;
};

/* ---- broker ---------------------------------------------------------- */

struct llmp_broker;

struct llmp_broker_opts {
  /* Directory for the registration socket "llmp.sock" (mode 0600). */
  const char *sock_dir;
  /* Secret every TCP peer must prove (HMAC-SHA256 challenge); NULL: only
     loopback peers are accepted. */
  const uint8_t *secret;
  size_t secret_len;
  /* Tests: treat loopback peers like remote ones (secret required). */
  bool no_loopback_trust;
  /* Bytes of testcases kept for late joiners; 0: LLMP_SNAPSHOT_MAX. */
  size_t snapshot_max;
  /* Called with one line (no newline) per event worth telling a user:
     a dropped peer, a dead client. NULL: silent. */
  void (*log)(void *arg, const char *line);
  void *log_arg;
};

/* Counters for the screen and the tests. */
struct llmp_broker_stats {
  uint64_t forwarded;    /* messages put on the broadcast chain */
  uint64_t stats_msgs;   /* stats messages consumed */
  uint64_t duplicates;   /* messages from links already seen */
  uint64_t bad_msgs;     /* invalid messages in a client's chain */
  uint64_t clients_died; /* clients gone without saying goodbye */
  uint64_t clients_left; /* clients that left cleanly */
  uint64_t
      readers_lagged; /* broadcast pages dropped before a reader got there */
  uint64_t peers_dropped;  /* TCP peers dropped (bad frame, secret, ...) */
  uint64_t link_dropped;   /* messages not sent to a slow TCP peer */
  uint64_t snapshot_count; /* testcases kept for late joiners */
  uint64_t snapshot_bytes;
  uint64_t snapshot_full; /* testcases not kept: snapshot at its bound */
  uint32_t clients;       /* clients attached now */
  uint32_t links;         /* TCP peers linked now (handshake done) */
};

/* One client as the broker sees it. */
struct llmp_client_info {
  uint32_t id;
  int pid;
  bool alive;
  uint64_t msgs;      /* messages received from it */
  uint8_t stats[512]; /* its last stats payload (LLMP_STATS_MAX) */
  size_t stats_len;
};

/* Creates a broker listening for clients in opts->sock_dir. */
int llmp_broker_new(const struct llmp_broker_opts *opts,
                    struct llmp_broker **out);
/* Listens for brokers on "ADDR:PORT" (ADDR may be empty: 127.0.0.1; PORT
   0: any); returns the port bound (> 0) or a negative errno. */
int llmp_broker_listen(struct llmp_broker *b, const char *addr_port);
/* Links to the broker listening on "HOST:PORT" (numeric IPv4). */
int llmp_broker_connect(struct llmp_broker *b, const char *host_port);
/* One round: registrations, every client's new messages, TCP peers.
   Waits up to timeout_ms when there is nothing to do. Returns the number
   of messages handled. */
int llmp_broker_poll(struct llmp_broker *b, int timeout_ms);
uint64_t llmp_broker_id(const struct llmp_broker *b);
const struct llmp_broker_stats *llmp_broker_stats(const struct llmp_broker *b);
/* Client slot i (0 .. LLMP_MAX_CLIENTS-1); false when the slot was never
   used. A dead client's slot keeps its last info until reused. */
bool llmp_broker_client(const struct llmp_broker *b, unsigned i,
                        struct llmp_client_info *out);
/* Detaches every page, closes every socket, removes the socket file. */
void llmp_broker_free(struct llmp_broker *b);

/* ---- client ---------------------------------------------------------- */

struct llmp_client;

struct llmp_client_stats {
  uint64_t sent;
  uint64_t received;
  uint64_t backpressure; /* sends refused: the broker is behind */
  uint64_t resyncs;      /* fell behind the broadcast; snapshot read again */
  uint64_t bad_msgs;     /* invalid messages skipped in the broadcast */
};

/* Registers with the broker whose socket is in sock_dir. The first
   messages llmp_client_poll returns are the broker's snapshot (every
   testcase sent before), then everything broadcast after joining. */
int llmp_client_join(const char *sock_dir, struct llmp_client **out);
uint32_t llmp_client_id(const struct llmp_client *c);
uint64_t llmp_client_broker_id(const struct llmp_client *c);
/* Reserves a message of len bytes and returns where to write it, or NULL
   with errno set (EAGAIN: the broker is behind, try later or drop;
   EMSGSIZE: len > LLMP_MSG_MAX). Nothing is visible before commit. */
void *llmp_client_alloc(struct llmp_client *c, uint32_t tag, size_t len);
/* Publishes the message reserved last. */
void llmp_client_commit(struct llmp_client *c);
/* alloc + copy + commit. */
int llmp_client_send(struct llmp_client *c, uint32_t tag, const void *data,
                     size_t len);
/* Next message from another client: 1 and *m filled, 0 when none is
   waiting, negative errno when the broker is gone (-EPIPE). Skips the
   client's own messages. */
int llmp_client_poll(struct llmp_client *c, struct llmp_msg *m);
/* True while the broker still has not attached pages this client wrote. */
bool llmp_client_pending(struct llmp_client *c);
const struct llmp_client_stats *llmp_client_stats(const struct llmp_client *c);
/* Says goodbye to the broker and detaches. */
void llmp_client_free(struct llmp_client *c);

/* ---- secret ---------------------------------------------------------- */

/* Reads the secret from a file (its bytes, a trailing newline dropped).
 *out is malloc'ed. -ENOENT, -EINVAL (empty or > LLMP_SECRET_MAX). */
int llmp_secret_load(const char *path, uint8_t **out, size_t *len);
/* llmp_secret_load of the file LOP_LLMP_SECRET_FILE names; 0 with *out
   NULL when the variable is unset or empty. */
int llmp_secret_from_env(uint8_t **out, size_t *len);

#endif /* LOP_LLMP_H */
