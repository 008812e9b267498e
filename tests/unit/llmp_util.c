/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Helpers of the llmp tests (llmp_util.h): a broker thread, the segment
 * leak check and the N writers x M messages run with its checks.
 */
#include "llmp_util.h"

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void on_log(void *arg, const char *line) {
  struct bthread *bt = arg;
  pthread_mutex_lock(&bt->mu);
  snprintf(bt->last, sizeof bt->last, "%s", line);
  pthread_mutex_unlock(&bt->mu);
  atomic_fetch_add(&bt->lines, 1);
}

static void *loop(void *arg) {
  struct bthread *bt = arg;
  while (!atomic_load(&bt->stop))
    llmp_broker_poll(bt->b, 1);
  return NULL;
}

int bthread_new(struct bthread *bt, const struct llmp_broker_opts *opts) {
  memset(bt, 0, sizeof *bt);
  pthread_mutex_init(&bt->mu, NULL);
  snprintf(bt->dir, sizeof bt->dir, "/tmp/lop-llmp-XXXXXX");
  if (!mkdtemp(bt->dir))
    return -errno;
  struct llmp_broker_opts o = {0};
  if (opts)
    o = *opts;
  o.sock_dir = bt->dir;
  o.log = on_log;
  o.log_arg = bt;
  int err = llmp_broker_new(&o, &bt->b);
  if (err) {
    bt->b = NULL;
    rmdir(bt->dir);
  }
  atomic_store(&bt->stop, true);
  return err;
}

int bthread_run(struct bthread *bt) {
  atomic_store(&bt->stop, false);
  return -pthread_create(&bt->t, NULL, loop, bt);
}

int bthread_start(struct bthread *bt, const struct llmp_broker_opts *opts) {
  int err = bthread_new(bt, opts);
  if (!err && (err = bthread_run(bt))) {
    llmp_broker_free(bt->b);
    bt->b = NULL;
    rmdir(bt->dir);
  }
  return err;
}

void bthread_pause(struct bthread *bt) {
  if (atomic_exchange(&bt->stop, true))
    return;
  pthread_join(bt->t, NULL);
}

void bthread_stop(struct bthread *bt) {
  if (!bt->b)
    return;
  bthread_pause(bt);
  llmp_broker_free(bt->b);
  bt->b = NULL;
  rmdir(bt->dir);
  pthread_mutex_destroy(&bt->mu);
}

void bthread_last(struct bthread *bt, char *out, size_t n) {
  pthread_mutex_lock(&bt->mu);
  snprintf(out, n, "%s", bt->last);
  pthread_mutex_unlock(&bt->mu);
}

int llmp_test_segments(pid_t pid) {
  FILE *f = fopen("/proc/sysvipc/shm", "r");
  char line[512];
  int n = 0;
  if (!f)
    return -1;
  while (fgets(line, sizeof line, f)) {
    long key, id, perms, size, cpid;
    if (sscanf(line, "%ld %ld %lo %ld %ld", &key, &id, &perms, &size, &cpid) ==
            5 &&
        cpid == pid)
      n++;
  }
  fclose(f);
  return n;
}

static uint32_t mix(uint32_t x) {
  x ^= x >> 16;
  x *= 0x7feb352dU;
  x ^= x >> 15;
  x *= 0x846ca68bU;
  return x ^ (x >> 16);
}

/* Mostly small payloads, now and then one of up to 300 KiB. */
void llmp_test_payload(unsigned w, unsigned k, unsigned seed, uint8_t *buf,
                       size_t *len) {
  uint32_t r = mix(seed * 7919U + w * 104729U + k);
  size_t n = r % 61 == 0 ? 8 + r % (300U << 10) : 8 + r % 4096;
  memcpy(buf, &w, 4);
  memcpy(buf + 4, &k, 4);
  for (size_t i = 8; i < n; i++)
    buf[i] = (uint8_t)(r + i * 31);
  *len = n;
}

bool llmp_test_check(const struct llmp_msg *m, unsigned *w, unsigned *k,
                     unsigned seed) {
  static _Thread_local uint8_t want[8 + (300U << 10)];
  size_t len;
  if (m->len < 8)
    return false;
  memcpy(w, m->data, 4);
  memcpy(k, m->data + 4, 4);
  llmp_test_payload(*w, *k, seed, want, &len);
  return len == m->len && !memcmp(want, m->data, len);
}

struct wctx {
  struct bthread *bt;
  unsigned self, n, m, seed;
  pthread_barrier_t *bar;
  int err;
  char why[160];
};

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Reads what is there; checks exactly once and in order. */
static int reader_step(struct wctx *x, struct llmp_client *c, unsigned *next,
                       unsigned *got) {
  struct llmp_msg m;
  int r;
  while ((r = llmp_client_poll(c, &m)) == 1) {
    unsigned w, k;
    if (!llmp_test_check(&m, &w, &k, x->seed) || w >= x->n || w == x->self) {
      snprintf(x->why, sizeof x->why, "reader %u: bad message (len %zu)",
               x->self, m.len);
      return -1;
    }
    if (k != next[w]) {
      snprintf(x->why, sizeof x->why,
               "reader %u: from writer %u got #%u, expected #%u", x->self, w, k,
               next[w]);
      return -1;
    }
    next[w]++;
    (*got)++;
  }
  if (r < 0)
    snprintf(x->why, sizeof x->why, "reader %u: poll: %s", x->self,
             strerror(-r));
  return r;
}

static int writer_run(struct wctx *x, struct llmp_client *c) {
  uint8_t *buf = malloc(8 + (300U << 10));
  unsigned *next = calloc(x->n, sizeof *next), got = 0, sent = 0;
  unsigned want = (x->n - 1) * x->m;
  double deadline = now() + 60;
  int err = buf && next ? 0 : -1;
  while (!err && (sent < x->m || got < want)) {
    if (now() > deadline) {
      snprintf(x->why, sizeof x->why, "writer %u: timeout: sent %u, got %u/%u",
               x->self, sent, got, want);
      err = -1;
      break;
    }
    if (sent < x->m) {
      size_t len;
      llmp_test_payload(x->self, sent, x->seed, buf, &len);
      int r = llmp_client_send(c, LLMP_TAG_USER, buf, len);
      if (r == 0)
        sent++;
      else if (r == -EAGAIN)
        sched_yield(); /* the broker is behind: let it run */
      else
        err = -1;
    } else {
      sched_yield();
    }
    if (!err)
      err = reader_step(x, c, next, &got);
  }
  free(buf);
  free(next);
  return err;
}

static void *writer(void *arg) {
  struct wctx *x = arg;
  struct llmp_client *c = NULL;
  int r = llmp_client_join(x->bt->dir, &c);
  pthread_barrier_wait(x->bar);
  if (r) {
    snprintf(x->why, sizeof x->why, "join: %s", strerror(-r));
    x->err = -1;
    return NULL;
  }
  x->err = writer_run(x, c);
  llmp_client_free(c);
  return NULL;
}

int llmp_test_nxm(struct bthread *bt, unsigned n, unsigned m, unsigned seed) {
  pthread_barrier_t bar;
  pthread_t *t = calloc(n, sizeof *t);
  struct wctx *x = calloc(n, sizeof *x);
  pthread_barrier_init(&bar, NULL, n);
  for (unsigned i = 0; i < n; i++) {
    x[i] = (struct wctx){bt, i, n, m, seed, &bar, 0, ""};
    pthread_create(&t[i], NULL, writer, &x[i]);
  }
  int err = 0;
  for (unsigned i = 0; i < n; i++) {
    pthread_join(t[i], NULL);
    if (x[i].err) {
      fprintf(stderr, "llmp nxm: %s\n", x[i].why);
      err = -1;
    }
  }
  pthread_barrier_destroy(&bar);
  free(t);
  free(x);
  return err;
}

double util_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int util_poll_wait(struct llmp_client *c, struct llmp_msg *m) {
  double end = util_now() + 20;
  while (util_now() < end) {
    int r = llmp_client_poll(c, m);
    if (r)
      return r;
    usleep(200);
  }
  return 0;
}
