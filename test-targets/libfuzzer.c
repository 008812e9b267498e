/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * A libFuzzer harness as projects ship them, built with -fsanitize=fuzzer
 * and lop's driver: LLVMFuzzerInitialize records that it ran (and how
 * often, in $LOP_TEST_INIT_LOG), LLVMFuzzerTestOneInput parses "FUZ" +
 * a byte above 0xf0 and aborts there, each byte a branch of its own; an
 * input starting with 'O' reads one byte past its end (what an ASan build
 * reports, as the driver hands each input over in a buffer of its exact
 * size). With LOP_TEST_ECHO set it prints each input's length and first
 * byte on stdout.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static int initialised;
static volatile int depth; /* keeps each check a branch of its own */

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  const char *log = getenv("LOP_TEST_INIT_LOG");
  FILE *f = log ? fopen(log, "a") : NULL;
  if (f) {
    fputs("init\n", f);
    fclose(f);
  }
  initialised = 1;
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!initialised)
    abort();
  if (getenv("LOP_TEST_ECHO"))
    printf("len=%zu first=%c\n", size, size ? data[0] : '-');
  depth = 0;
  if (size > 0 && data[0] == 'O')
    depth = data[size]; /* the planted overflow */
  if (size < 4 || data[0] != 'F')
    return 0;
  depth = 1;
  if (data[1] != 'U')
    return 0;
  depth = 2;
  if (data[2] != 'Z')
    return 0;
  depth = 3;
  if (data[3] > 0xf0)
    abort(); /* the planted bug */
  return 0;
}
