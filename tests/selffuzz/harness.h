/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * The shape every self-fuzzing harness shares: a persistent loop over
 * shared-memory testcases (stdin when run by hand), each testcase copied
 * into a NUL-terminated buffer and handed to the harness's one_input().
 * A broken invariant aborts, so fuzzers count it as a crash.
 */
#ifndef LOP_SELFFUZZ_HARNESS_H
#define LOP_SELFFUZZ_HARNESS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Inputs per process before the fuzzer starts a fresh one. */
#define SELFFUZZ_ITERATIONS 10000

/* Runs one testcase: data[len] is '\0' (data may hold more NULs). */
static void one_input(char *data, size_t len);

/* Aborts with the broken invariant when cond is false. */
#define CHECK(cond)                                                            \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__,     \
              #cond);                                                          \
      abort();                                                                 \
    }                                                                          \
  } while (0)

/* The next part of data up to the byte sep (replaced by '\0'), or NULL when
 *rest is used up; *rest moves past it. */
static inline char *next_part(char **rest, char *end, char sep) {
  char *p = *rest;
  if (!p || p > end)
    return NULL;
  char *stop = memchr(p, sep, (size_t)(end - p));
  if (stop) {
    *stop = '\0';
    *rest = stop + 1;
  } else {
    *rest = end + 1;
  }
  return p;
}

__AFL_FUZZ_INIT();

/* Copies each testcase (it may lack a final NUL) and runs it. */
int main(void) {
  __AFL_INIT();
  unsigned char *buf = __AFL_FUZZ_TESTCASE_BUF;
  char *copy = NULL;
  while (__AFL_LOOP(SELFFUZZ_ITERATIONS)) {
    size_t len = (size_t)__AFL_FUZZ_TESTCASE_LEN;
    char *grown = realloc(copy, len + 1);
    if (!grown)
      abort();
    copy = grown;
    memcpy(copy, buf, len);
    copy[len] = '\0';
    one_input(copy, len);
  }
  free(copy);
  return 0;
}

#endif /* LOP_SELFFUZZ_HARNESS_H */
