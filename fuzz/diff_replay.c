/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * lop-fuzz --diff-replay DIR -- ./impl_a @@ -- ./impl_b @@ (diff.h): runs a
 * saved disagreement again in the implementations given (the same builds,
 * or fixed ones) and prints its report, to confirm and triage a finding.
 * The command lines are given again rather than read from the finding, so
 * a finding replays against any build of the implementations.
 */
#include "diff.h"

#include "output.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Timeout of each replayed run without -t, ms (the calibration timeout). */
#define DIFF_REPLAY_TIMEOUT_MS 1000U

static int diff_replay_fail(const char *fmt, const char *a, const char *b) {
  fprintf(stderr, "lop-fuzz: error: ");
  fprintf(stderr, fmt, a, b);
  fputc('\n', stderr);
  return 1;
}

/* Read dir/input (at most MAX_FILE bytes) into a new buffer. */
static uint8_t *diff_replay_input(const char *dir, size_t *len) {
  char *p = out_path(dir, "input");
  FILE *f = p ? fopen(p, "rb") : NULL;
  uint8_t *buf = f ? malloc(MAX_FILE + 1) : NULL;
  *len = buf ? fread(buf, 1, MAX_FILE + 1, f) : 0;
  if (f)
    fclose(f);
  free(p);
  if (buf && *len > MAX_FILE) {
    free(buf);
    errno = EFBIG;
    return NULL;
  }
  return buf;
}

/* The pattern the saved report.txt names, 0 when it names none. */
static uint64_t diff_replay_saved_pattern(const char *dir) {
  char *p = out_path(dir, "report.txt"), line[256];
  FILE *f = p ? fopen(p, "r") : NULL;
  uint64_t pat = 0;
  while (f && fgets(line, sizeof(line), f))
    if (sscanf(line, "pattern: %" SCNx64, &pat) == 1)
      break;
  if (f)
    fclose(f);
  free(p);
  return pat;
}

/* Run buf once in every implementation and print the report. */
static int diff_replay_run(const struct fz_opts *o, const char *id,
                           const uint8_t *buf, size_t len, uint64_t saved) {
  struct exec x;
  uint32_t t = o->timeout_ms ? o->timeout_ms : DIFF_REPLAY_TIMEOUT_MS;
  bool ok = diff_start(&x, o, NULL, t) && exec_run(&x, buf, len) != EXEC_FAIL;
  if (!ok) {
    char msg[sizeof(x.err)];
    snprintf(msg, sizeof(msg), "%s", x.err);
    exec_stop(&x);
    return diff_replay_fail("%s%s", msg, "");
  }
  const struct diff *d = x.diff;
  diff_write_report(stdout, d, id, len);
  bool same = d->groups > 1 && d->pattern == saved;
  printf("replay: %s\n", same ? "reproduced: the same disagreement as saved"
                         : d->groups > 1
                             ? "not reproduced: the implementations disagree "
                               "otherwise now"
                             : "not reproduced: the implementations agree now");
  exec_stop(&x);
  return same ? 0 : 2;
}

int diff_replay_main(const struct fz_opts *o) {
  size_t len;
  const char *dir = o->diff_replay;
  uint8_t *buf = diff_replay_input(dir, &len);
  if (!buf)
    return diff_replay_fail("cannot read %s/input (%s): give a finding "
                            "directory out/NAME/diffs/id:NNNNNN",
                            dir, strerror(errno));
  const char *slash = strrchr(dir, '/');
  char id[256];
  snprintf(id, sizeof(id), "%s", slash && slash[1] ? slash + 1 : dir);
  int rc = diff_replay_run(o, id, buf, len, diff_replay_saved_pattern(dir));
  free(buf);
  return rc;
}
