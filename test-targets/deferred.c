/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Deferred-init target: an expensive set-up runs before __AFL_INIT(), so
 * under a forkserver it runs once, not once per input. Each run of the
 * set-up appends a line to the file named by LOP_TEST_INIT_LOG.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* The set-up a fuzzer should not repeat: logs that it ran. */
static void expensive_init(void) {
  const char *log = getenv("LOP_TEST_INIT_LOG");
  if (!log)
    return;
  FILE *f = fopen(log, "a");
  if (f) {
    fprintf(f, "init %d\n", (int)getpid());
    fclose(f);
  }
}

/* Path taken; volatile so each if stays a branch with its own edge. */
static volatile int path;

int main(void) {
  expensive_init();
  __AFL_INIT();
  unsigned char buf[64];
  ssize_t len = read(0, buf, sizeof(buf));
  if (len > 0 && buf[0] == 'D') {
    path = 1;
    if (len > 1 && buf[1] == 'E')
      path = 2;
  }
  return path;
}
