/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Unit tests of the llmp broker and client (llmp/broker.c, client.c): N
 * writers x M messages of random sizes across many page switches, each
 * received once and in its sender's order; stats consumed by the broker;
 * a late joiner getting the snapshot (each testcase once); a writer
 * SIGKILLed in the middle of a message; a reader that falls far behind;
 * a broker SIGKILLed under its clients; no segment left by any test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "llmp_util.h"

/* Nothing more arrives on c within 50 ms. */
static void assert_quiet(struct llmp_client *c) {
  struct llmp_msg m;
  usleep(50000);
  assert_int_equal(llmp_client_poll(c, &m), 0);
}

static void test_n_writers_m_messages(void **state) {
  (void)state;
  struct bthread bt;
  assert_int_equal(bthread_start(&bt, NULL), 0);
  assert_int_equal(llmp_test_nxm(&bt, 4, 600, 1), 0);
  const struct llmp_broker_stats *st = llmp_broker_stats(bt.b);
  WAIT_FOR(st->clients_left == 4);
  assert_int_equal(st->forwarded, 4 * 600);
  assert_int_equal(st->clients_died, 0);
  bthread_stop(&bt);
  assert_int_equal(llmp_test_segments(getpid()), 0);
}

static void test_stats_consumed_not_forwarded(void **state) {
  (void)state;
  struct bthread bt;
  struct llmp_client *a, *b;
  struct llmp_msg m;
  assert_int_equal(bthread_start(&bt, NULL), 0);
  assert_int_equal(llmp_client_join(bt.dir, &a), 0);
  assert_int_equal(llmp_client_join(bt.dir, &b), 0);
  assert_int_equal(llmp_client_send(a, LLMP_TAG_STATS, "execs=42", 8), 0);
  assert_int_equal(llmp_client_send(a, LLMP_TAG_USER, "hi", 2), 0);
  assert_int_equal(util_poll_wait(b, &m), 1);
  assert_int_equal(m.tag, LLMP_TAG_USER); /* the stats never came */
  assert_int_equal(m.sender, llmp_client_id(a));
  assert_int_equal(m.origin, llmp_client_broker_id(a));
  assert_quiet(a); /* its own message is not given back */
  bthread_pause(&bt);
  struct llmp_client_info info;
  unsigned slot = llmp_client_id(a) % 256;
  assert_true(llmp_broker_client(bt.b, slot, &info));
  assert_int_equal(info.stats_len, 8);
  assert_memory_equal(info.stats, "execs=42", 8);
  assert_int_equal(info.pid, getpid());
  assert_int_equal(llmp_broker_stats(bt.b)->stats_msgs, 1);
  llmp_client_free(a);
  llmp_client_free(b);
  bthread_stop(&bt);
  assert_int_equal(llmp_test_segments(getpid()), 0);
}

static void test_late_joiner_gets_snapshot(void **state) {
  (void)state;
  struct bthread bt;
  struct llmp_client *a, *b;
  struct llmp_msg m;
  assert_int_equal(bthread_start(&bt, NULL), 0);
  assert_int_equal(llmp_client_join(bt.dir, &a), 0);
  assert_int_equal(llmp_client_send(a, LLMP_TAG_TESTCASE, "one", 3), 0);
  assert_int_equal(llmp_client_send(a, LLMP_TAG_TESTCASE, "two", 3), 0);
  assert_int_equal(llmp_client_send(a, LLMP_TAG_TESTCASE, "one", 3), 0);
  assert_int_equal(llmp_client_send(a, LLMP_TAG_USER, "chat", 4), 0);
  const struct llmp_broker_stats *st = llmp_broker_stats(bt.b);
  WAIT_FOR(st->forwarded == 4);
  assert_int_equal(st->snapshot_count, 2);
  assert_int_equal(llmp_client_join(bt.dir, &b), 0);
  assert_int_equal(util_poll_wait(b, &m), 1);
  assert_memory_equal(m.data, "one", 3);
  assert_int_equal(m.sender, llmp_client_id(a));
  assert_int_equal(util_poll_wait(b, &m), 1);
  assert_memory_equal(m.data, "two", 3);
  assert_quiet(b); /* each testcase once, no chat, no history */
  assert_int_equal(llmp_client_send(a, LLMP_TAG_TESTCASE, "three", 5), 0);
  assert_int_equal(util_poll_wait(b, &m), 1);
  assert_memory_equal(m.data, "three", 5);
  assert_quiet(b);
  llmp_client_free(a);
  llmp_client_free(b);
  bthread_stop(&bt);
  assert_int_equal(llmp_test_segments(getpid()), 0);
}

/* Child: joins, sends n messages, waits until the broker attached its
   pages, starts one more and dies by SIGKILL in the middle of it. */
static void writer_then_sigkill(const char *dir, unsigned n) {
  struct llmp_client *c;
  if (llmp_client_join(dir, &c))
    _exit(2);
  uint8_t buf[3000];
  for (unsigned k = 0; k < n; k++) {
    memset(buf, (int)k, sizeof buf);
    while (llmp_client_send(c, LLMP_TAG_USER, buf, 100 + k * 7 % 2900))
      usleep(100);
  }
  while (llmp_client_pending(c))
    usleep(100);
  uint8_t *half = llmp_client_alloc(c, LLMP_TAG_USER, 2000);
  memset(half, 0xee, 1000);
  raise(SIGKILL);
}

static void test_writer_killed_mid_message(void **state) {
  (void)state;
  struct bthread bt;
  struct llmp_client *r;
  struct llmp_msg m;
  assert_int_equal(bthread_start(&bt, NULL), 0);
  assert_int_equal(llmp_client_join(bt.dir, &r), 0);
  pid_t pid = fork();
  if (pid == 0)
    writer_then_sigkill(bt.dir, 900);
  int status;
  assert_int_equal(waitpid(pid, &status, 0), pid);
  assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
  for (unsigned k = 0; k < 900; k++) {
    assert_int_equal(util_poll_wait(r, &m), 1);
    assert_int_equal(m.len, 100 + k * 7 % 2900);
    assert_int_equal(m.data[0], (uint8_t)k);
  }
  assert_quiet(r); /* the half-written message never appears */
  const struct llmp_broker_stats *st = llmp_broker_stats(bt.b);
  WAIT_FOR(st->clients_died == 1);
  char line[512];
  bthread_last(&bt, line, sizeof line);
  assert_non_null(strstr(line, "died"));
  assert_int_equal(llmp_test_segments(pid), 0);
  llmp_client_free(r);
  bthread_stop(&bt);
  assert_int_equal(llmp_test_segments(getpid()), 0);
}

static void test_reader_far_behind_resyncs(void **state) {
  (void)state;
  struct bthread bt;
  struct llmp_client *w, *slow;
  struct llmp_msg m;
  assert_int_equal(bthread_start(&bt, NULL), 0);
  assert_int_equal(llmp_client_join(bt.dir, &slow), 0);
  assert_int_equal(llmp_client_join(bt.dir, &w), 0);
  static uint8_t big[64 << 10];
  /* About 50 broadcast pages while the slow reader reads nothing. */
  for (unsigned k = 0; k < 800; k++) {
    memset(big, (int)k, sizeof big);
    while (llmp_client_send(w, LLMP_TAG_USER, big, sizeof big) == -EAGAIN)
      usleep(200);
  }
  const struct llmp_broker_stats *st = llmp_broker_stats(bt.b);
  WAIT_FOR(st->forwarded == 800);
  assert_true(st->readers_lagged >= 1);
  /* The broker kept a bounded number of pages (LLMP_BCAST_KEEP, the
     writers' spares, the clients' chains). */
  assert_true(llmp_test_segments(getpid()) <= 32 + 24);
  unsigned got = 0;
  while (llmp_client_poll(slow, &m) == 1)
    got++;
  assert_true(got < 800);
  assert_true(llmp_client_stats(slow)->resyncs >= 1);
  assert_int_equal(llmp_client_send(w, LLMP_TAG_USER, "after", 5), 0);
  assert_int_equal(util_poll_wait(slow, &m), 1);
  assert_memory_equal(m.data, "after", 5);
  llmp_client_free(w);
  llmp_client_free(slow);
  bthread_stop(&bt);
  assert_int_equal(llmp_test_segments(getpid()), 0);
}

/* Child: a broker in sock dir `dir` until killed. */
static void broker_child(const char *dir) {
  struct llmp_broker_opts o = {.sock_dir = dir};
  prctl(PR_SET_PDEATHSIG, SIGKILL); /* never outlives a failed test */
  struct llmp_broker *b;
  if (llmp_broker_new(&o, &b))
    _exit(2);
  for (;;)
    llmp_broker_poll(b, 10);
}

static void test_broker_killed(void **state) {
  (void)state;
  char dir[] = "/tmp/lop-llmp-XXXXXX";
  assert_non_null(mkdtemp(dir));
  pid_t pid = fork();
  if (pid == 0)
    broker_child(dir);
  struct llmp_client *c = NULL;
  double end = util_now() + 5;
  while (llmp_client_join(dir, &c) && util_now() < end)
    usleep(1000);
  assert_non_null(c);
  assert_int_equal(llmp_client_send(c, LLMP_TAG_TESTCASE, "x", 1), 0);
  usleep(20000);
  kill(pid, SIGKILL);
  waitpid(pid, NULL, 0);
  struct llmp_msg m;
  int r = 0;
  for (int i = 0; i < 100000 && r == 0; i++)
    r = llmp_client_poll(c, &m);
  assert_int_equal(r, -EPIPE);
  llmp_client_free(c);
  assert_int_equal(llmp_test_segments(pid), 0);
  assert_int_equal(llmp_test_segments(getpid()), 0);
  char sock[64];
  snprintf(sock, sizeof sock, "%s/llmp.sock", dir);
  unlink(sock);
  rmdir(dir);
}

static void test_socket_is_private(void **state) {
  (void)state;
  struct bthread bt;
  char sock[128];
  struct stat sb;
  assert_int_equal(bthread_start(&bt, NULL), 0);
  snprintf(sock, sizeof sock, "%s/llmp.sock", bt.dir);
  assert_int_equal(stat(sock, &sb), 0);
  assert_int_equal(sb.st_mode & 0777, 0600);
  bthread_stop(&bt);
  assert_int_equal(access(sock, F_OK), -1); /* removed by the broker */
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_n_writers_m_messages),
      cmocka_unit_test(test_stats_consumed_not_forwarded),
      cmocka_unit_test(test_late_joiner_gets_snapshot),
      cmocka_unit_test(test_writer_killed_mid_message),
      cmocka_unit_test(test_reader_far_behind_resyncs),
      cmocka_unit_test(test_broker_killed),
      cmocka_unit_test(test_socket_is_private),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
