/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * lop-fuzz --diff (docs/differential.md): an executor that runs each input
 * in every implementation, one executor (and forkserver) each, and shows
 * the engine one run: their coverage maps side by side in one map (so an
 * input is new when it is new for any implementation), and one verdict
 * (a crash of any is a crash, else a hang of any is a hang). After each
 * run it compares the implementations' verdicts and outputs (declared
 * through __lop_diff_output, else stdout) and saves every new pattern of
 * disagreement under out/<name>/diffs/. The engine sees only struct exec.
 */
#ifndef LOP_FUZZ_DIFF_H
#define LOP_FUZZ_DIFF_H

#include "cli.h"
#include "diff_cmp.h"
#include "exec.h"
#include "stats.h"

#include "lop_diff.h"

#include <stdbool.h>
#include <stdint.h>

/* Output kept per implementation and run, bytes: as large as the largest
   input (MAX_FILE, 1 MiB); more is cut and the run marked truncated. */
#define DIFF_OUT_MAX MAX_FILE
/* A run that timed out is given this long again before it counts as a
   hang in a comparison, ms, unless AFL_HANG_TMOUT says otherwise (the
   engine's rule for hangs, ENG_CAL_TIMEOUT_MS): a loaded machine must not
   make a slow run a disagreement. */
#define DIFF_HANG_MS 1000U
/* Most disagreements saved (as many as crashes). */
#define DIFF_MAX_SAVED 10000U

/* One implementation: its executor, output segment and stdout capture. */
struct diff_impl {
  struct exec x;
  char **argv;
  int shm_id;               /* output segment, -1 = none */
  struct lop_diff_hdr *hdr; /* attached output segment */
  int out_fd;               /* memfd the target's stdout goes to */
  uint8_t *out_buf;         /* stdout of the last run, DIFF_OUT_MAX bytes */
  char env[48], *envv[2];   /* __LOP_DIFF_SHM_ID=<id> for the target */
  char *input;              /* the file "@@" names, NULL = stdin / temp */
  uint32_t map_off;         /* where its map starts in the shown map */
  struct diff_res res;      /* of the last run */
  const uint8_t *out;       /* its output bytes (res.out_len of them) */
};

struct diff {
  size_t n;
  struct diff_impl impl[DIFF_MAX_IMPLS];
  struct diff_cmp_opts cmp;
  char *dir; /* out/<name>/diffs; NULL: compare only (replay) */
  uint32_t timeout_ms, hang_ms; /* per run; to confirm a hang */
  struct diff_seen seen;
  uint8_t group[DIFF_MAX_IMPLS];
  size_t groups;
  uint64_t pattern;          /* of the last run */
  uint64_t saved, last_unix; /* findings saved, time of the last */
  char mode[80];
};

/* Start every implementation of o (o->impls) under x, with out_dir the
   instance directory (findings go to out_dir/diffs, testcase files of @@
   implementations next to .cur_input) or NULL to only compare. False with
   x->err naming the implementation that failed; everything started is
   stopped again by exec_stop. */
bool diff_start(struct exec *x, const struct fz_opts *o, const char *out_dir,
                uint32_t timeout_ms);

/* Run buf in every implementation (exec_run calls this). EXEC_FAIL when
   one could not run even after a restart, or a finding could not be
   saved (x->err says which). */
enum exec_result diff_run(struct exec *x, const uint8_t *buf, size_t len);

void diff_set_timeout(struct exec *x, uint32_t ms);
const char *diff_mode(const struct exec *x);
void diff_stop(struct exec *x);

/* Disagreements, time of the last and restarts into s (nothing without
   --diff). */
void diff_snapshot(const struct exec *x, struct fz_stats *s);

/* Findings saved so far (0 without --diff). */
uint64_t diff_saved(const struct exec *x);

/* diff_save.c: save the last run of buf as finding number d->saved under
   d->dir: a directory id:NNNNNN with input, output.<i> and report.txt,
   made in a hidden temp directory and renamed whole. False with err. */
bool diff_save(struct diff *d, const uint8_t *buf, size_t len, char *err,
               size_t errlen);

/* diff_save.c: write the report of the last run (id names it). */
bool diff_write_report(FILE *out, const struct diff *d, const char *id,
                       size_t len);

/* diff_save.c: lop-fuzz --diff-replay DIR: run DIR/input in o's
   implementations, print the report; 0 when they disagree as saved
   before, 2 when they now agree or disagree otherwise, 1 on an error
   (one line on stderr). */
int diff_replay_main(const struct fz_opts *o);

#endif /* LOP_FUZZ_DIFF_H */
