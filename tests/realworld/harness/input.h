/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Input reading shared by the real-world harnesses: the whole testcase from
 * the file named by argv[1] (afl-fuzz's @@) or from stdin, at most
 * HARNESS_MAX_INPUT bytes, NUL-terminated so text parsers can use it.
 */
#ifndef LOP_HARNESS_INPUT_H
#define LOP_HARNESS_INPUT_H

#include <stdio.h>
#include <stdlib.h>

/* AFL++'s testcase limit (MAX_FILE): larger inputs are cut there. */
#define HARNESS_MAX_INPUT (1u << 20)

/* Reads the testcase into a malloc'd buffer (caller frees) and stores its
   length in *len; NULL when the file cannot be opened or memory runs out. */
static inline unsigned char *harness_read_input(int argc, char **argv,
                                                size_t *len) {
  FILE *f = argc > 1 ? fopen(argv[1], "rb") : stdin;
  unsigned char *buf =
      f ? (unsigned char *)malloc(HARNESS_MAX_INPUT + 1) : NULL;
  if (!buf) {
    if (f && f != stdin)
      fclose(f);
    return NULL;
  }
  *len = fread(buf, 1, HARNESS_MAX_INPUT, f);
  buf[*len] = 0;
  if (f != stdin)
    fclose(f);
  return buf;
}

#endif
