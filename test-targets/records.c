/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * A planted bug that needs structure (the harder target of the fuzzing
 * bench, after demo.c): a little binary container, "RC" + a version byte
 * (1 or 2) + a record count, then that many records of tag, length and
 * payload, every length checked against what is left. A version-2 file
 * whose "D" (data) record holds at least two bytes, the first 0xde, and is
 * followed directly by an "E" (end) record aborts. A fuzzer must keep the lengths and the count consistent while it
 * climbs the checks. A persistent harness with shared-memory testcases;
 * run by hand it reads one input from stdin.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

__AFL_FUZZ_INIT();

/* Records a file may declare. */
#define MAX_RECORDS 8

/* How far the parse got; volatile so every check stays a branch. */
static volatile int depth;

struct record {
  unsigned char tag;
  unsigned char len;
  const unsigned char *data;
};

/* The planted bug: a dead data record closed at once by an end record. */
static void check_pair(const struct record *d, const struct record *e) {
  if (d->tag != 'D' || d->len < 2)
    return;
  depth = 10;
  if (d->data[0] != 0xde)
    return;
  depth = 11;
  if (e->tag == 'E')
    abort();
}

/* Splits b into count records; returns how many were whole. */
static int split(const unsigned char *b, size_t n, int count,
                 struct record *r) {
  size_t at = 0;
  int i;
  for (i = 0; i < count; i++) {
    if (n - at < 2)
      break;
    r[i].tag = b[at];
    r[i].len = b[at + 1];
    at += 2;
    if (r[i].len > n - at)
      break;
    r[i].data = b + at;
    at += r[i].len;
  }
  return i;
}

static void parse(const unsigned char *b, size_t n) {
  struct record r[MAX_RECORDS];
  depth = 0;
  if (n < 4 || b[0] != 'R' || b[1] != 'C')
    return;
  depth = 1;
  if (b[2] != 1 && b[2] != 2)
    return;
  depth = 2;
  int count = b[3];
  if (count < 1 || count > MAX_RECORDS)
    return;
  depth = 3;
  int whole = split(b + 4, n - 4, count, r);
  if (whole != count)
    return;
  depth = 4;
  if (b[2] != 2)
    return;
  depth = 5;
  for (int i = 0; i + 1 < count; i++)
    check_pair(&r[i], &r[i + 1]);
}

int main(void) {
  __AFL_INIT();
  unsigned char *buf = __AFL_FUZZ_TESTCASE_BUF;
  while (__AFL_LOOP(10000))
    parse(buf, (size_t)__AFL_FUZZ_TESTCASE_LEN);
  printf("parsed up to level %d\n", depth);
  return 0;
}
