/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Unit tests of llmp's pages (llmp/page.c) and hashes (llmp/sha256.c):
 * messages 64-aligned and read back in order across page switches, pages
 * growing for large messages, every bad length in shared memory refused,
 * pages kept until their reader attached them, back-pressure instead of
 * unbounded pages, segments marked for removal at once, and SHA-256 and
 * HMAC against published vectors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/shm.h>
#include <unistd.h>

#include "../../llmp/internal.h"
#include "llmp_util.h"

static void hex(const uint8_t *d, char *out) {
  for (int i = 0; i < 32; i++)
    sprintf(out + 2 * i, "%02x", d[i]);
}

static void test_sha256_vectors(void **state) {
  (void)state;
  uint8_t d[32];
  char h[65];
  llmp_sha256((const uint8_t *)"abc", 3, d);
  hex(d, h);
  assert_string_equal(
      h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  llmp_sha256((const uint8_t *)two, strlen(two), d);
  hex(d, h);
  assert_string_equal(
      h, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  const char *msg = "what do ya want for nothing?"; /* RFC 4231 case 2 */
  llmp_hmac((const uint8_t *)"Jefe", 4, (const uint8_t *)msg, strlen(msg), d);
  hex(d, h);
  assert_string_equal(
      h, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

static void put(struct llmp_writer *w, uint32_t tag, size_t len, uint8_t fill) {
  struct llmp_hdr *h = llmp_writer_alloc(w, len);
  assert_non_null(h);
  assert_int_equal((uintptr_t)h % LLMP_ALIGN, 0);
  h->tag = tag;
  memset(h + 1, fill, len);
  llmp_writer_commit(w);
}

static void test_roundtrip_across_pages(void **state) {
  (void)state;
  struct llmp_writer w;
  struct llmp_reader r;
  assert_int_equal(llmp_writer_init(&w, 4096, 0), 0);
  assert_int_equal(llmp_reader_open(&r, llmp_writer_shmid(&w), w.chain, 0, 3),
                   0);
  for (unsigned i = 0; i < 500; i++)
    put(&w, LLMP_TAG_USER + i % 7, i * 13 % 900, (uint8_t)i);
  put(&w, LLMP_TAG_USER, 20000, 0xab); /* larger than a first page */
  assert_true(w.seq > 20);
  assert_true(llmp_writer_page(&w)->size >= 32768);
  struct llmp_msg m;
  for (unsigned i = 0; i < 500; i++) {
    assert_int_equal(llmp_reader_next(&r, &m), 1);
    assert_int_equal(m.tag, LLMP_TAG_USER + i % 7);
    assert_int_equal(m.len, i * 13 % 900);
    for (size_t k = 0; k < m.len; k++)
      assert_int_equal(m.data[k], (uint8_t)i);
  }
  assert_int_equal(llmp_reader_next(&r, &m), 1);
  assert_int_equal(m.len, 20000);
  assert_int_equal(llmp_reader_next(&r, &m), 0);
  /* Every page the reader passed was attached (bit 3) and is released. */
  uint64_t mask[LLMP_JOIN_WORDS] = {1U << 3};
  assert_int_equal(llmp_writer_release(&w, mask), 1);
  llmp_reader_close(&r);
  llmp_writer_free(&w);
  assert_int_equal(llmp_test_segments(getpid()), 0);
}

static void test_page_marked_removed_at_once(void **state) {
  (void)state;
  struct llmp_writer w;
  struct shmid_ds ds;
  assert_int_equal(llmp_writer_init(&w, 4096, 0), 0);
  assert_int_equal(shmctl(llmp_writer_shmid(&w), IPC_STAT, &ds), 0);
  assert_true(ds.shm_perm.mode & SHM_DEST);
  assert_int_equal(ds.shm_perm.mode & 0777, 0600);
  llmp_writer_free(&w);
  assert_int_equal(llmp_test_segments(getpid()), 0);
}

/* One message corrupted by `how` must be refused, never read past. */
static void corrupt_case(int how) {
  struct llmp_writer w;
  struct llmp_reader r;
  assert_int_equal(llmp_writer_init(&w, 4096, 0), 0);
  assert_int_equal(llmp_reader_open(&r, llmp_writer_shmid(&w), w.chain, 0, 0),
                   0);
  put(&w, LLMP_TAG_USER, 100, 1);
  struct llmp_hdr *h = (struct llmp_hdr *)((uint8_t *)llmp_writer_page(&w) +
                                           sizeof(struct llmp_page));
  if (how == 0)
    h->len = 100000; /* longer than the page */
  else if (how == 1)
    h->span = 64 * 1000;
  else if (how == 2)
    h->id = 7;
  else
    h->len = 500; /* longer than its span */
  struct llmp_msg m;
  assert_int_equal(llmp_reader_next(&r, &m), -EBADMSG);
  llmp_reader_close(&r);
  llmp_writer_free(&w);
}

static void test_bad_lengths_refused(void **state) {
  (void)state;
  for (int how = 0; how < 4; how++)
    corrupt_case(how);
  assert_int_equal(llmp_test_segments(getpid()), 0);
}

static void test_unjoined_pages_backpressure(void **state) {
  (void)state;
  struct llmp_writer w;
  assert_int_equal(llmp_writer_init(&w, 4096, 2), 0);
  size_t ok = 0;
  while (llmp_writer_alloc(&w, 1000)) {
    llmp_writer_commit(&w);
    ok++;
  }
  assert_int_equal(errno, EAGAIN);
  assert_int_equal(w.n, 3); /* two kept for the reader, one current */
  /* A reader arrives and reads everything: the writer can go on. */
  struct llmp_reader r;
  struct llmp_msg m;
  assert_int_equal(llmp_reader_open(&r, w.pages[0].shmid, w.chain, 0, 0), 0);
  size_t got = 0;
  while (llmp_reader_next(&r, &m) == 1)
    got++;
  assert_int_equal(got, ok);
  uint64_t mask[LLMP_JOIN_WORDS] = {1};
  assert_int_equal(llmp_writer_release(&w, mask), 1);
  assert_non_null(llmp_writer_alloc(&w, 1000));
  llmp_writer_commit(&w);
  llmp_reader_close(&r);
  llmp_writer_free(&w);
  assert_int_equal(llmp_test_segments(getpid()), 0);
}

static void test_pages_kept_until_joined(void **state) {
  (void)state;
  struct llmp_writer w;
  struct llmp_reader r;
  assert_int_equal(llmp_writer_init(&w, 4096, 0), 0);
  assert_int_equal(llmp_reader_open(&r, llmp_writer_shmid(&w), w.chain, 0, 5),
                   0);
  for (int i = 0; i < 10; i++)
    put(&w, LLMP_TAG_USER, 1000, 2);
  size_t pages = w.n;
  assert_true(pages > 2);
  uint64_t mask[LLMP_JOIN_WORDS] = {1U << 5};
  /* The reader attached only the first page: only that one may go. */
  assert_int_equal(llmp_writer_release(&w, mask), pages - 1);
  struct llmp_msg m;
  for (int i = 0; i < 10; i++)
    assert_int_equal(llmp_reader_next(&r, &m), 1);
  assert_int_equal(llmp_reader_next(&r, &m), 0);
  assert_int_equal(llmp_writer_release(&w, mask), 1);
  llmp_reader_close(&r);
  llmp_writer_free(&w);
  assert_int_equal(llmp_test_segments(getpid()), 0);
}

static void test_pages_reused_once_left(void **state) {
  (void)state;
  struct llmp_writer w;
  struct llmp_reader r;
  struct llmp_msg m;
  assert_int_equal(llmp_writer_init(&w, 4096, 0), 0);
  assert_int_equal(llmp_reader_open(&r, llmp_writer_shmid(&w), w.chain, 0, 0),
                   0);
  int first = llmp_writer_shmid(&w);
  uint64_t mask[LLMP_JOIN_WORDS] = {1};
  bool reused = false;
  for (int i = 0; i < 200; i++) {
    put(&w, LLMP_TAG_USER, 1000, (uint8_t)i);
    assert_int_equal(llmp_reader_next(&r, &m), 1);
    assert_int_equal(m.data[0], (uint8_t)i);
    llmp_writer_release(&w, mask);
    reused |= w.seq > 0 && llmp_writer_shmid(&w) == first;
  }
  assert_true(w.seq > 40);
  assert_true(reused); /* the first segment came back as a later page */
  assert_true(llmp_test_segments(getpid()) <= 2 + (int)LLMP_SPARE_PAGES);
  llmp_reader_close(&r);
  llmp_writer_free(&w);
  assert_int_equal(llmp_test_segments(getpid()), 0);
}

static void test_gone_page_is_stale(void **state) {
  (void)state;
  struct llmp_writer w;
  struct llmp_reader r;
  assert_int_equal(llmp_writer_init(&w, 4096, 0), 0);
  assert_int_equal(llmp_reader_open(&r, llmp_writer_shmid(&w), w.chain, 0, 0),
                   0);
  for (int i = 0; i < 10; i++)
    put(&w, LLMP_TAG_USER, 1000, 2);
  /* The writer lets go of the pages the reader has not reached (wrongly:
     nobody joined them), then reuses them for new pages. */
  uint64_t none[LLMP_JOIN_WORDS] = {0};
  llmp_writer_release(&w, none);
  for (int i = 0; i < 10; i++)
    put(&w, LLMP_TAG_USER, 1000, 3);
  struct llmp_msg m;
  int got;
  while ((got = llmp_reader_next(&r, &m)) == 1)
    ;
  assert_int_equal(got, -ESTALE);
  llmp_reader_close(&r);
  llmp_writer_free(&w);
  assert_int_equal(llmp_test_segments(getpid()), 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_sha256_vectors),
      cmocka_unit_test(test_roundtrip_across_pages),
      cmocka_unit_test(test_page_marked_removed_at_once),
      cmocka_unit_test(test_bad_lengths_refused),
      cmocka_unit_test(test_unjoined_pages_backpressure),
      cmocka_unit_test(test_pages_kept_until_joined),
      cmocka_unit_test(test_pages_reused_once_left),
      cmocka_unit_test(test_gone_page_is_stale),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
