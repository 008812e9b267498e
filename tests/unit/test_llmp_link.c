/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Unit tests of llmp's broker-to-broker links (llmp/link.c) on loopback:
 * two brokers exchanging in both directions, three in a ring where nothing
 * loops or arrives twice, a broker linked late getting the other's
 * testcases, and bad peers (garbage, a huge length, a truncated frame, a
 * wrong or missing secret) each dropped with one log line while the broker
 * keeps serving.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <arpa/inet.h>
#include <cmocka.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "llmp_util.h"

static void assert_quiet(struct llmp_client *c) {
  struct llmp_msg m;
  usleep(100000);
  assert_int_equal(llmp_client_poll(c, &m), 0);
}

/* Starts n brokers; broker i listens, and links to broker (i+1) % n when
   ring, else broker 0 to 1 only. */
static void start_linked(struct bthread *bt, unsigned n, bool ring,
                         const struct llmp_broker_opts *opts) {
  int port[3];
  char addr[32];
  for (unsigned i = 0; i < n; i++) {
    assert_int_equal(bthread_new(&bt[i], opts), 0);
    port[i] = llmp_broker_listen(bt[i].b, ":0");
    assert_true(port[i] > 0);
  }
  for (unsigned i = 0; i < (ring ? n : 1); i++) {
    snprintf(addr, sizeof addr, "127.0.0.1:%d", port[(i + 1) % n]);
    assert_int_equal(llmp_broker_connect(bt[i].b, addr), 0);
  }
  for (unsigned i = 0; i < n; i++)
    assert_int_equal(bthread_run(&bt[i]), 0);
  for (unsigned i = 0; i < n; i++)
    WAIT_FOR(llmp_broker_stats(bt[i].b)->links == (ring ? 2U : 1U));
}

static void stop_all(struct bthread *bt, unsigned n) {
  for (unsigned i = 0; i < n; i++)
    bthread_stop(&bt[i]);
  assert_int_equal(llmp_test_segments(getpid()), 0);
}

static void test_two_brokers_both_ways(void **state) {
  (void)state;
  struct bthread bt[2];
  struct llmp_client *a, *b;
  struct llmp_msg m;
  start_linked(bt, 2, false, NULL);
  assert_int_equal(llmp_client_join(bt[0].dir, &a), 0);
  assert_int_equal(llmp_client_join(bt[1].dir, &b), 0);
  assert_int_equal(llmp_client_send(a, LLMP_TAG_TESTCASE, "from-a", 6), 0);
  assert_int_equal(util_poll_wait(b, &m), 1);
  assert_memory_equal(m.data, "from-a", 6);
  assert_int_equal(m.origin, llmp_broker_id(bt[0].b));
  assert_int_equal(m.sender, llmp_client_id(a));
  assert_int_equal(llmp_client_send(b, LLMP_TAG_USER, "from-b", 6), 0);
  assert_int_equal(util_poll_wait(a, &m), 1);
  assert_memory_equal(m.data, "from-b", 6);
  assert_quiet(a);
  assert_quiet(b);
  llmp_client_free(a);
  llmp_client_free(b);
  stop_all(bt, 2);
}

static void test_ring_of_three_never_loops(void **state) {
  (void)state;
  struct bthread bt[3];
  struct llmp_client *c[3];
  struct llmp_msg m;
  start_linked(bt, 3, true, NULL);
  for (int i = 0; i < 3; i++)
    assert_int_equal(llmp_client_join(bt[i].dir, &c[i]), 0);
  for (unsigned k = 0; k < 50; k++)
    assert_int_equal(llmp_client_send(c[0], LLMP_TAG_USER, &k, sizeof k), 0);
  for (int i = 1; i < 3; i++) {
    for (unsigned k = 0; k < 50; k++) {
      assert_int_equal(util_poll_wait(c[i], &m), 1);
      unsigned got;
      memcpy(&got, m.data, sizeof got);
      assert_int_equal(got, k); /* in order, each once */
    }
  }
  for (int i = 0; i < 3; i++)
    assert_quiet(c[i]);
  uint64_t dups = 0;
  for (int i = 0; i < 3; i++)
    dups += llmp_broker_stats(bt[i].b)->duplicates;
  assert_true(dups >= 50); /* the ring brought them back and they stopped */
  for (int i = 0; i < 3; i++)
    assert_int_equal(llmp_broker_stats(bt[i].b)->forwarded, 50);
  for (int i = 0; i < 3; i++)
    llmp_client_free(c[i]);
  stop_all(bt, 3);
}

static void test_late_link_gets_testcases(void **state) {
  (void)state;
  struct bthread a, b;
  struct llmp_client *ca, *cb;
  struct llmp_msg m;
  char addr[32];
  assert_int_equal(bthread_start(&a, NULL), 0);
  assert_int_equal(llmp_client_join(a.dir, &ca), 0);
  assert_int_equal(llmp_client_send(ca, LLMP_TAG_TESTCASE, "old", 3), 0);
  WAIT_FOR(llmp_broker_stats(a.b)->snapshot_count == 1);
  assert_int_equal(bthread_new(&b, NULL), 0);
  int port = llmp_broker_listen(b.b, "127.0.0.1:0");
  assert_true(port > 0);
  assert_int_equal(bthread_run(&b), 0);
  assert_int_equal(llmp_client_join(b.dir, &cb), 0);
  bthread_pause(&a);
  snprintf(addr, sizeof addr, "127.0.0.1:%d", port);
  assert_int_equal(llmp_broker_connect(a.b, addr), 0);
  assert_int_equal(bthread_run(&a), 0);
  assert_int_equal(util_poll_wait(cb, &m), 1);
  assert_memory_equal(m.data, "old", 3);
  assert_quiet(cb);
  assert_quiet(ca);
  llmp_client_free(ca);
  llmp_client_free(cb);
  bthread_stop(&a);
  bthread_stop(&b);
  assert_int_equal(llmp_test_segments(getpid()), 0);
}

/* A raw TCP peer of port that sends n bytes, then closes. */
static void raw_peer(int port, const void *data, size_t n) {
  struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(port)};
  inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
  assert_int_equal(send(fd, data, n, MSG_NOSIGNAL), (ssize_t)n);
  usleep(20000);
  close(fd);
}

/* A hello and an (unchecked, loopback) proof, then extra bytes. */
static size_t handshake_then(uint8_t *buf, const void *extra, size_t n) {
  memcpy(buf, "LOPLINK\1", 8);
  memset(buf + 8, 0x5a, 24);
  memset(buf + 32, 0, 32);
  memcpy(buf + 64, extra, n);
  return 64 + n;
}

/* The broker dropped one more peer, logged why, and still links. */
static void assert_dropped(struct bthread *bt, int port, uint64_t before,
                           const char *why) {
  char line[512];
  WAIT_FOR(llmp_broker_stats(bt->b)->peers_dropped == before + 1);
  bthread_last(bt, line, sizeof line);
  if (!strstr(line, why))
    fail_msg("log line \"%s\" does not say \"%s\"", line, why);
  assert_non_null(strstr(line, "127.0.0.1:"));
  (void)port;
}

static void test_bad_peers_dropped(void **state) {
  (void)state;
  struct bthread bt;
  uint8_t buf[256];
  assert_int_equal(bthread_new(&bt, NULL), 0);
  int port = llmp_broker_listen(bt.b, "127.0.0.1:0");
  assert_int_equal(bthread_run(&bt), 0);
  static const char get[] = "GET / HTTP/1.1\r\nHost: x\r\n\r\n......";
  raw_peer(port, get, sizeof get - 1);
  assert_dropped(&bt, port, 0, "bad hello");
  uint8_t huge[4] = {0xff, 0xff, 0xff, 0xff};
  raw_peer(port, buf, handshake_then(buf, huge, 4));
  assert_dropped(&bt, port, 1, "frame length 4294967295 out of range");
  uint8_t trunc[14] = {100, 0, 0, 0, 16, 0, 0, 0, 1, 0, 0, 0, 1, 0};
  raw_peer(port, buf, handshake_then(buf, trunc, sizeof trunc));
  assert_dropped(&bt, port, 2, "truncated frame");
  raw_peer(port, "LOPLINK\1abc", 11);
  assert_dropped(&bt, port, 3, "truncated frame");
  /* Still serving: a real broker links and its messages arrive. */
  struct bthread peer;
  struct llmp_client *c, *local;
  struct llmp_msg m;
  char addr[32];
  assert_int_equal(llmp_client_join(bt.dir, &local), 0);
  assert_int_equal(bthread_new(&peer, NULL), 0);
  snprintf(addr, sizeof addr, "127.0.0.1:%d", port);
  assert_int_equal(llmp_broker_connect(peer.b, addr), 0);
  assert_int_equal(bthread_run(&peer), 0);
  WAIT_FOR(llmp_broker_stats(bt.b)->links == 1);
  assert_int_equal(llmp_client_join(peer.dir, &c), 0);
  assert_int_equal(llmp_client_send(c, LLMP_TAG_USER, "ok", 2), 0);
  assert_int_equal(util_poll_wait(local, &m), 1);
  assert_memory_equal(m.data, "ok", 2);
  llmp_client_free(c);
  llmp_client_free(local);
  bthread_stop(&peer);
  bthread_stop(&bt);
  assert_int_equal(llmp_test_segments(getpid()), 0);
}

/* Broker a (secret sa) links to b (secret sb). Returns the peers both
   dropped as bad (either side may notice first) and in line the log line
   of the one that did; -1 when the link came up. */
static int try_secret(const char *sa, const char *sb, bool trust, char *line,
                      size_t n) {
  struct llmp_broker_opts oa = {0}, ob = {0};
  oa.secret = (const uint8_t *)sa;
  oa.secret_len = sa ? strlen(sa) : 0;
  ob.secret = (const uint8_t *)sb;
  ob.secret_len = sb ? strlen(sb) : 0;
  ob.no_loopback_trust = oa.no_loopback_trust = !trust;
  struct bthread a, b;
  char addr[32];
  assert_int_equal(bthread_new(&a, &oa), 0);
  assert_int_equal(bthread_new(&b, &ob), 0);
  int port = llmp_broker_listen(b.b, "127.0.0.1:0");
  snprintf(addr, sizeof addr, "127.0.0.1:%d", port);
  assert_int_equal(llmp_broker_connect(a.b, addr), 0);
  assert_int_equal(bthread_run(&a), 0);
  assert_int_equal(bthread_run(&b), 0);
  const struct llmp_broker_stats *x = llmp_broker_stats(a.b);
  const struct llmp_broker_stats *y = llmp_broker_stats(b.b);
  WAIT_FOR((x->links && y->links) ||
           (atomic_load(&a.lines) && atomic_load(&b.lines)));
  bthread_pause(&a);
  bthread_pause(&b);
  int up = x->links && y->links;
  int drops = (int)(x->peers_dropped + y->peers_dropped);
  bthread_last(y->peers_dropped ? &b : &a, line, n);
  bthread_stop(&a);
  bthread_stop(&b);
  return up ? -1 : drops;
}

static void test_secret_required(void **state) {
  (void)state;
  char line[512];
  assert_int_equal(try_secret("s3cret", "s3cret", false, line, sizeof line),
                   -1);
  assert_true(try_secret("guess", "s3cret", false, line, sizeof line) >= 1);
  assert_non_null(strstr(line, "wrong secret"));
  assert_true(try_secret(NULL, "s3cret", true, line, sizeof line) >= 1);
  assert_non_null(strstr(line, "wrong secret"));
  /* No secret set: only loopback peers (here: loopback not trusted). */
  assert_true(try_secret(NULL, NULL, false, line, sizeof line) >= 1);
  assert_non_null(strstr(line, "not on loopback and no secret"));
  assert_int_equal(try_secret(NULL, NULL, true, line, sizeof line), -1);
  assert_int_equal(llmp_test_segments(getpid()), 0);
}

static void test_secret_file(void **state) {
  (void)state;
  char path[] = "/tmp/lop-llmp-secret-XXXXXX";
  int fd = mkstemp(path);
  uint8_t *s;
  size_t len;
  assert_true(fd >= 0);
  assert_int_equal(write(fd, "hunter2\n", 8), 8);
  assert_int_equal(llmp_secret_load(path, &s, &len), 0);
  assert_int_equal(len, 7);
  assert_memory_equal(s, "hunter2", 7);
  free(s);
  assert_int_equal(ftruncate(fd, 0), 0);
  assert_int_equal(llmp_secret_load(path, &s, &len), -EINVAL);
  assert_int_equal(pwrite(fd, "k", 1, 0), 1);
  setenv("LOP_LLMP_SECRET_FILE", path, 1);
  assert_int_equal(llmp_secret_from_env(&s, &len), 0);
  assert_int_equal(len, 1);
  free(s);
  close(fd);
  unlink(path);
  assert_int_equal(llmp_secret_load(path, &s, &len), -ENOENT);
  assert_int_equal(llmp_secret_from_env(&s, &len), -ENOENT);
  unsetenv("LOP_LLMP_SECRET_FILE");
  assert_int_equal(llmp_secret_from_env(&s, &len), 0);
  assert_null(s);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_two_brokers_both_ways),
      cmocka_unit_test(test_ring_of_three_never_loops),
      cmocka_unit_test(test_late_link_gets_testcases),
      cmocka_unit_test(test_bad_peers_dropped),
      cmocka_unit_test(test_secret_required),
      cmocka_unit_test(test_secret_file),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
