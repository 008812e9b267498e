/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Findings of lop-fuzz --diff on disk, and --diff-replay (diff.h). A
 * finding is a directory out/<name>/diffs/id:NNNNNN holding the input, each
 * implementation's output (output.1, output.2, ...) and report.txt. It is
 * written whole in a hidden temp directory next to it and renamed into
 * place, so a reader (or a crash of lop-fuzz) never sees half a finding.
 */
#include "diff.h"

#include "output.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Tries at a free finding name when an earlier run's are in the way. */
#define DIFF_NAME_TRIES 100000U

bool diff_write_report(FILE *out, const struct diff *d, const char *id,
                       size_t len) {
  char **argv[DIFF_MAX_IMPLS];
  struct diff_res res[DIFF_MAX_IMPLS];
  for (size_t i = 0; i < d->n; i++) {
    argv[i] = d->impl[i].argv;
    res[i] = d->impl[i].res;
  }
  struct diff_report_info info = {
      .id = id, .input_len = len, .pattern = d->pattern, .argv = argv};
  return diff_report(out, &info, res, d->group, d->n);
}

/* The report as a string of n bytes (the caller frees it). */
static char *diff_report_text(const struct diff *d, const char *id, size_t len,
                              size_t *n) {
  char *text = NULL;
  FILE *f = open_memstream(&text, n);
  if (!f)
    return NULL;
  bool ok = diff_write_report(f, d, id, len);
  if (fclose(f) != 0 || !ok) {
    free(text);
    return NULL;
  }
  return text;
}

/* Fill the temp directory tmp with the finding named id. */
static bool diff_fill(const struct diff *d, const char *tmp, const char *id,
                      const uint8_t *buf, size_t len, char *err,
                      size_t errlen) {
  if (!out_save(tmp, "input", buf, len, err, errlen))
    return false;
  for (size_t i = 0; i < d->n; i++) {
    char name[32];
    snprintf(name, sizeof(name), "output.%zu", i + 1);
    if (!out_save(tmp, name, d->impl[i].out, d->impl[i].res.out_len, err,
                  errlen))
      return false;
  }
  size_t n = 0;
  char *text = diff_report_text(d, id, len, &n);
  bool ok = text &&
            out_save(tmp, "report.txt", (const uint8_t *)text, n, err, errlen);
  if (!text)
    snprintf(err, errlen, "out of memory");
  free(text);
  return ok;
}

/* Remove the temp directory tmp and what diff_fill put in it. */
static void diff_drop(const struct diff *d, const char *tmp) {
  char p[PATH_MAX];
  static const char *const fixed[] = {"input", "report.txt"};
  for (size_t i = 0; i < 2; i++) {
    snprintf(p, sizeof(p), "%s/%s", tmp, fixed[i]);
    unlink(p);
  }
  for (size_t i = 0; i < d->n; i++) {
    snprintf(p, sizeof(p), "%s/output.%zu", tmp, i + 1);
    unlink(p);
  }
  rmdir(tmp);
}

/* The first id:NNNNNN from d->saved on that is not taken (an earlier
   run's findings stay when a campaign resumes), and its path. */
static void diff_free_name(const struct diff *d, char *id, size_t idlen,
                           char *dst, size_t dstlen) {
  for (uint64_t k = d->saved; k < d->saved + DIFF_NAME_TRIES; k++) {
    snprintf(id, idlen, "id:%06llu", (unsigned long long)k);
    snprintf(dst, dstlen, "%s/%s", d->dir, id);
    if (access(dst, F_OK) != 0)
      return;
  }
}

bool diff_save(struct diff *d, const uint8_t *buf, size_t len, char *err,
               size_t errlen) {
  char tmp[PATH_MAX], dst[PATH_MAX], id[32];
  if (mkdir(d->dir, 0700) != 0 && errno != EEXIST) {
    snprintf(err, errlen, "cannot create %s: %s", d->dir, strerror(errno));
    return false;
  }
  snprintf(tmp, sizeof(tmp), "%s/.lop-diff.XXXXXX", d->dir);
  if (!mkdtemp(tmp)) {
    snprintf(err, errlen, "cannot create a directory in %s: %s", d->dir,
             strerror(errno));
    return false;
  }
  diff_free_name(d, id, sizeof(id), dst, sizeof(dst));
  if (!diff_fill(d, tmp, id, buf, len, err, errlen)) {
    diff_drop(d, tmp);
    return false;
  }
  if (rename(tmp, dst) == 0)
    return true;
  snprintf(err, errlen, "cannot save the disagreement as %s: %s", dst,
           strerror(errno));
  diff_drop(d, tmp);
  return false;
}
