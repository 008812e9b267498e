/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Differential fuzzing, the harness side (docs/differential.md): a harness
 * that lop-fuzz --diff runs next to other implementations of the same
 * format declares what it computed with __lop_diff_output(); lop-fuzz
 * compares that output (else the program's stdout) between the
 * implementations. Each call appends to the output of the current run;
 * the fuzzer empties it before every run. Run by hand, without lop-fuzz,
 * the call does nothing and costs a test and a return.
 *
 * The declaration is weak: a harness built with another compiler than
 * lop's afl-clang-fast (without lop's runtime) still links, and
 * LOP_DIFF_OUTPUT() then does nothing.
 *
 * The rest of this header is the wire between lop's runtime and lop-fuzz:
 * the layout of the output segment whose SysV id lop-fuzz puts in
 * __LOP_DIFF_SHM_ID.
 */
#ifndef LOP_DIFF_H
#define LOP_DIFF_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Append len bytes of buf to this run's declared output. Output beyond
   the fuzzer's limit is cut, and the run's output marked truncated. Safe
   to call any number of times per run, with len 0 (declares an empty
   output), and in every process the run forks. */
void __lop_diff_output(const void *buf, size_t len) __attribute__((weak));

/* The portable call: a no-op where lop's runtime is not linked in. */
#define LOP_DIFF_OUTPUT(buf, len)                                              \
  do {                                                                         \
    if (__lop_diff_output)                                                     \
      __lop_diff_output((buf), (len));                                         \
  } while (0)

/* ---- wire: runtime <-> lop-fuzz ------------------------------------------ */

/* The environment variable naming the output segment (decimal SysV id). */
#define LOP_DIFF_SHM_ENV_VAR "__LOP_DIFF_SHM_ID"

/* Flags of struct lop_diff_hdr. */
#define LOP_DIFF_DECLARED 1U  /* the harness called __lop_diff_output */
#define LOP_DIFF_TRUNCATED 2U /* output was cut at cap bytes */

/* The segment: this header, then cap bytes of output. lop-fuzz sets cap
   when it creates the segment and zeroes len and flags before every run;
   the runtime never writes beyond min(cap, segment size - header). */
struct lop_diff_hdr {
  uint32_t len;   /* bytes of output so far in this run */
  uint32_t cap;   /* bytes of room after the header */
  uint32_t flags; /* LOP_DIFF_* */
  uint32_t reserved;
};

#ifdef __cplusplus
}
#endif

#endif /* LOP_DIFF_H */
