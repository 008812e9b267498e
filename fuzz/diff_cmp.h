/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * What differential fuzzing compares, pure (no I/O but the report into a
 * FILE): each implementation's result on one input (verdict and a digest
 * of its output), the partition of the implementations into groups that
 * agree, the pattern a disagreement is de-duplicated by (who agrees with
 * whom, and each group's verdict), the set of patterns seen, and the text
 * report of a finding (docs/differential.md).
 */
#ifndef LOP_FUZZ_DIFF_CMP_H
#define LOP_FUZZ_DIFF_CMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Most implementations one --diff campaign runs (group letters A..H). */
#define DIFF_MAX_IMPLS 8U

enum diff_kind { DIFF_OK, DIFF_CRASH, DIFF_HANG };

/* One implementation's result on one input. */
struct diff_res {
  enum diff_kind kind;
  int code;        /* ok: exit code; crash: signal (0 = AFL_CRASH_EXITCODE) */
  int exit_code;   /* crash by AFL_CRASH_EXITCODE: that exit code */
  uint64_t digest; /* diff_digest of the output */
  uint32_t out_len;
  bool declared;  /* output from __lop_diff_output, else the stdout */
  bool truncated; /* output cut at the limit */
};

/* What counts as agreement. */
struct diff_cmp_opts {
  bool verdicts_only; /* --diff-verdicts: outputs are not compared */
  bool ignore_exit;   /* --diff-ignore-exit: exit codes of ok runs neither */
};

/* 64-bit digest of an output (length included): equal bytes, equal
   digests; different outputs collide with probability about 2^-64. */
uint64_t diff_digest(const uint8_t *buf, size_t len);

/* Do a and b agree? Crashes agree on the signal (or crash exit code),
   hangs always, ok runs on the exit code and the output digest unless the
   options drop them. */
bool diff_agree(const struct diff_res *a, const struct diff_res *b,
                const struct diff_cmp_opts *o);

/* Number the groups of agreeing implementations in order of their first
   member: group[i] for each of r[0..n). Returns the number of groups (1:
   all agree). */
size_t diff_partition(const struct diff_res *r, size_t n,
                      const struct diff_cmp_opts *o, uint8_t *group);

/* The pattern of a partition: the groups and each group's verdict (kind
   and code, the exit code only where it is compared). Never 0. */
uint64_t diff_pattern(const struct diff_res *r, const uint8_t *group, size_t n,
                      const struct diff_cmp_opts *o);

/* Set of patterns seen (open addressing, grows). */
struct diff_seen {
  uint64_t *slot;
  size_t cap, n;
};

/* Add key (non-zero). True when it is new; false when it was there, or
   when memory ran out (then nothing more is ever new: no flood). */
bool diff_seen_add(struct diff_seen *s, uint64_t key);
void diff_seen_free(struct diff_seen *s);

/* "ok, exit 0", "crash, signal 11 (SEGV)", "crash, exit 3", "hang". */
void diff_verdict_text(char *buf, size_t n, const struct diff_res *r);

/* What a report names besides the results. */
struct diff_report_info {
  const char *id;     /* the finding's name, e.g. "id:000002" */
  size_t input_len;   /* bytes of the input */
  uint64_t pattern;   /* diff_pattern */
  char **const *argv; /* each implementation's command line */
};

/* Write the text report of one run of n implementations: the groups, and
   for each implementation its verdict, output and command line. False on
   a write error. */
bool diff_report(FILE *out, const struct diff_report_info *info,
                 const struct diff_res *r, const uint8_t *group, size_t n);

#endif /* LOP_FUZZ_DIFF_CMP_H */
