/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Shared by the client and afl-showmap unit tests: builds the scripted
 * conformance target test-targets/conformance/fsrv-script.c into a temp
 * directory and removes that directory again.
 */
#ifndef LOP_TESTS_CONFORMANCE_H
#define LOP_TESTS_CONFORMANCE_H

/* The client tests' run timeout, ms. Only "hang" and "late" runs should
   reach it; ordinary runs of the script take well under a millisecond but
   must not be taken for hangs on a loaded machine either. */
#define CONFORMANCE_TIMEOUT_MS 1000

/* Compiles fsrv-script.c (found under $LOP_ROOT, else ".") with cc into
   out, adding extra_flags (shell words, may be ""). Returns 0, or -1 when
   the compiler failed. */
int conformance_build(const char *out, const char *extra_flags);

/* Removes the test's temp directory dir and everything in it. Returns 0,
   or -1 when rm failed. */
int conformance_remove_dir(const char *dir);

#endif /* LOP_TESTS_CONFORMANCE_H */
