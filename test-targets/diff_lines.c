/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Two implementations of one tiny format for lop-fuzz --diff: "how many
 * lines does the input have", printed as a decimal and a newline. They
 * disagree on one input class, a last line without its newline ("a\nb"):
 *   -DLINES_API       counts it (a line is what text editors show); says its
 *                     answer through __lop_diff_output, in a persistent
 *                     loop with shared-memory testcases (reads stdin when
 *                     run by hand) — or, with -DLINES_FORK too, once per
 *                     process from the file in argv[1]
 *   (default)         counts newline bytes only (wc -l); prints the answer
 *                     on stdout, once per process, reading argv[1] or stdin
 * Both abort on an input starting with "!!" and spin on one starting with
 * "~~" (a crash and a hang all implementations share); with -DLINES_SEGV
 * the stdout one instead crashes on an input starting with "##".
 */
#include "lop_diff.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile int sink;

static unsigned count_lines(const unsigned char *buf, size_t len) {
  unsigned n = 0;
  if (len >= 2 && buf[0] == '!' && buf[1] == '!')
    abort();
  if (len >= 2 && buf[0] == '~' && buf[1] == '~')
    for (;;)
      sink++;
#ifdef LINES_SEGV
  if (len >= 2 && buf[0] == '#' && buf[1] == '#')
    *(volatile int *)(size_t)sink = 1;
#endif
  for (size_t i = 0; i < len; i++)
    n += buf[i] == '\n';
#ifdef LINES_API
  if (len && buf[len - 1] != '\n')
    n++;
#endif
  return n;
}

/* The whole of path (stdin for NULL), at most cap bytes. */
static size_t read_all(const char *path, unsigned char *buf, size_t cap) {
  FILE *f = path ? fopen(path, "rb") : stdin;
  size_t n = f ? fread(buf, 1, cap, f) : 0;
  if (f && path)
    fclose(f);
  return n;
}

#if defined(LINES_API) && !defined(LINES_FORK)
__AFL_FUZZ_INIT();

int main(void) {
  static unsigned char tmp[1 << 16];
  __AFL_INIT();
  unsigned char *buf = __AFL_FUZZ_TESTCASE_BUF;
  while (__AFL_LOOP(10000)) {
    size_t len = __AFL_FUZZ_TESTCASE_LEN;
    if (!__afl_fuzz_ptr) /* run by hand */
      len = read_all(NULL, buf = tmp, sizeof(tmp));
    char out[16];
    int n = snprintf(out, sizeof(out), "%u\n", count_lines(buf, len));
    LOP_DIFF_OUTPUT(out, (size_t)n);
  }
  return 0;
}
#else
int main(int argc, char **argv) {
  static unsigned char buf[1 << 16];
  size_t len = read_all(argc > 1 ? argv[1] : NULL, buf, sizeof(buf));
  unsigned n = count_lines(buf, len);
#ifdef LINES_API
  char out[16];
  int w = snprintf(out, sizeof(out), "%u\n", n);
  LOP_DIFF_OUTPUT(out, (size_t)w);
#else
  printf("%u\n", n);
#endif
  return 0;
}
#endif
