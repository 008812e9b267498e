/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Internal interface of lop's libFuzzer driver (lib/lop/libAFLDriver.a):
 * the persistent loop under a fuzzer (driver.c), the runs on named files
 * by hand (by_hand.c) and the input reader both use (input.c).
 */
#ifndef LOP_DRIVER_H
#define LOP_DRIVER_H

#include <stddef.h>
#include <stdint.h>

/* The harness's entry point, LLVMFuzzerTestOneInput or what a harness
   with its own main() hands to LLVMFuzzerRunDriver. */
typedef int (*lf_callback)(const uint8_t *data, size_t size);

/* libFuzzer's entry for harnesses with their own main() (driver.c). */
int LLVMFuzzerRunDriver(int *argc, char ***argv, lf_callback cb);

/* Reads path ("-" or NULL: stdin) to its end, or to max bytes, into a
   buffer of exactly the bytes read (malloc'ed, at least one byte, so an
   ASan build catches a harness reading past the input). Returns it with
   *len set, or NULL with errno set; the caller frees it. */
uint8_t *lop_lf_read_input(const char *path, size_t max, size_t *len);

/* Run by hand: cb once on each file named in argv[1..] and on every file
   below a directory named there (sorted, hidden names skipped), with
   libFuzzer's "Running:"/"Executed ... in N ms" lines on stderr; arguments
   starting with '-' are libFuzzer flags and ignored, a lone "-" is stdin.
   With no file named, cb runs once on stdin, silently. A name that cannot
   be read is one error line and exit(1), before anything runs. Returns 0;
   a crashing input kills the process with its own signal. */
int lop_lf_run_by_hand(int argc, char **argv, lf_callback cb);

#endif /* LOP_DRIVER_H */
