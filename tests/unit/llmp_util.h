/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Shared by the llmp unit tests and the llmp stress program: a broker
 * running in a thread of the test, a temp directory for its socket, the
 * check that no segment is left, and the N writers x M messages run.
 */
#ifndef LOP_TESTS_LLMP_UTIL_H
#define LOP_TESTS_LLMP_UTIL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <sys/types.h>

#include "llmp.h"

struct bthread {
  struct llmp_broker *b;
  pthread_t t;
  atomic_bool stop;
  atomic_int lines; /* log lines */
  char last[512];   /* the last log line */
  pthread_mutex_t mu;
  char dir[64];
};

/* Creates a temp directory and a broker in it with opts (sock_dir and
   the log are filled in; opts may be NULL), then polls it in a thread
   until bthread_stop. 0 or a negative errno. */
int bthread_start(struct bthread *bt, const struct llmp_broker_opts *opts);
/* bthread_start in two steps: the broker (not polled yet), then the
   thread, so a test can link brokers before they run. */
int bthread_new(struct bthread *bt, const struct llmp_broker_opts *opts);
int bthread_run(struct bthread *bt);
/* Stops the thread (the broker stays, for checks). */
void bthread_pause(struct bthread *bt);
/* Stops the thread if running, frees the broker, removes the directory. */
void bthread_stop(struct bthread *bt);
/* Copy of the last log line. */
void bthread_last(struct bthread *bt, char *out, size_t n);

/* Segments created by process pid that still exist. */
int llmp_test_segments(pid_t pid);

/* Payload of message k of writer w (seeded), len in *len, in buf. */
void llmp_test_payload(unsigned w, unsigned k, unsigned seed, uint8_t *buf,
                       size_t *len);
/* True when m is message k of writer w as llmp_test_payload made it. */
bool llmp_test_check(const struct llmp_msg *m, unsigned *w, unsigned *k,
                     unsigned seed);

/* Runs n writer threads of m messages each through bt's broker; every
   writer also reads, and must get each other writer's messages exactly
   once, in order. Returns 0, or -1 with a reason on stderr. */
int llmp_test_nxm(struct bthread *bt, unsigned n, unsigned m, unsigned seed);

/* Seconds on the monotonic clock. */
double util_now(void);
/* Polls c until a message comes (its result), or 20 s pass (0). */
int util_poll_wait(struct llmp_client *c, struct llmp_msg *m);

/* Waits up to 20 s for cond, then asserts it (cmocka tests only). */
#define WAIT_FOR(cond)                                                         \
  do {                                                                         \
    double end_ = util_now() + 20;                                             \
    while (!(cond) && util_now() < end_)                                       \
      usleep(500);                                                             \
    assert_true(cond);                                                         \
  } while (0)

#endif /* LOP_TESTS_LLMP_UTIL_H */
