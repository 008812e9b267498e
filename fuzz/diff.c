/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * The differential executor (diff.h): start, run, compare, stop. Each
 * implementation's output segment is private (0600, fsrv_shm_create) and
 * marked for removal as soon as it is attached, so it goes away with the
 * last process using it even when lop-fuzz is killed; stdout is captured
 * in a memfd (no file, nothing to leave behind), emptied after each run
 * that wrote to it.
 */
#include "diff.h"

#include "output.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static bool diff_fail(struct exec *x, size_t i, const char *what) {
  snprintf(x->err, sizeof(x->err), "--diff implementation %zu (%s): %s", i + 1,
           x->diff->impl[i].argv[0], what);
  return false;
}

/* The output segment and the stdout memfd of one implementation. */
static bool diff_impl_io(struct diff_impl *im) {
  uint8_t *mem;
  im->shm_id =
      fsrv_shm_create(sizeof(struct lop_diff_hdr) + DIFF_OUT_MAX, &mem);
  if (im->shm_id < 0)
    return false;
  shmctl(im->shm_id, IPC_RMID, NULL);
  fsrv_cleanup_del_shm(im->shm_id);
  im->hdr = (struct lop_diff_hdr *)mem;
  im->hdr->cap = DIFF_OUT_MAX;
  snprintf(im->env, sizeof(im->env), "%s=%d", LOP_DIFF_SHM_ENV_VAR, im->shm_id);
  im->envv[0] = im->env;
  im->out_fd = memfd_create("lop-diff-stdout", MFD_CLOEXEC);
  im->out_buf = malloc(DIFF_OUT_MAX);
  return im->out_fd >= 0 && im->out_buf;
}

/* The file "@@" names for implementation i: -f for all, else its own
   .cur_input.<i> next to .cur_input, else NULL (stdin, or a private temp
   file without an output directory). */
static char *diff_input(const struct fz_opts *o, const char *out_dir,
                        size_t i) {
  bool at = false;
  for (size_t k = 0; o->impls[i][k]; k++)
    at |= strcmp(o->impls[i][k], "@@") == 0;
  if (o->file)
    return strdup(o->file);
  if (!at || !out_dir)
    return NULL;
  char name[32];
  snprintf(name, sizeof(name), ".cur_input.%zu", i + 1);
  return out_path(o->tmpdir ? o->tmpdir : out_dir, name);
}

static bool diff_start_one(struct exec *x, const struct fz_opts *o,
                           const char *out_dir, uint32_t timeout_ms, size_t i) {
  struct diff_impl *im = &x->diff->impl[i];
  struct fz_opts oi = *o;
  im->argv = oi.argv = o->impls[i];
  im->shm_id = im->out_fd = -1;
  if (!diff_impl_io(im))
    return diff_fail(x, i, "cannot create its output segment or memfd");
  im->input = diff_input(o, out_dir, i);
  if (!exec_start_io(&im->x, &oi, im->input, timeout_ms, im->out_fd, im->envv))
    return diff_fail(x, i, im->x.err);
  /* Whatever the forkserver printed while starting is no run's output. */
  if (ftruncate(im->out_fd, 0) != 0)
    return diff_fail(x, i, "cannot empty its stdout capture");
  return true;
}

/* The shown map: every implementation's map, one after the other. */
static bool diff_alloc_map(struct exec *x) {
  struct diff *d = x->diff;
  uint32_t total = 0;
  for (size_t i = 0; i < d->n; i++) {
    d->impl[i].map_off = total;
    total += exec_map_size(&d->impl[i].x);
  }
  x->dmap = aligned_alloc(MAP_SIZE_ALIGN, total);
  x->dmap_size = total;
  if (x->dmap)
    memset(x->dmap, 0, total);
  return x->dmap != NULL;
}

static void diff_mode_text(struct diff *d) {
  size_t at = (size_t)snprintf(d->mode, sizeof(d->mode), "diff:");
  for (size_t i = 0; i < d->n && at < sizeof(d->mode); i++)
    at += (size_t)snprintf(d->mode + at, sizeof(d->mode) - at, "%s%s",
                           i ? ", " : " ", exec_mode(&d->impl[i].x));
}

bool diff_start(struct exec *x, const struct fz_opts *o, const char *out_dir,
                uint32_t timeout_ms) {
  memset(x, 0, sizeof(*x));
  x->crash_exitcode = o->crash_exitcode;
  x->diff = calloc(1, sizeof(*x->diff));
  if (!x->diff) {
    snprintf(x->err, sizeof(x->err), "out of memory");
    return false;
  }
  struct diff *d = x->diff;
  d->cmp.verdicts_only = o->diff_verdicts;
  d->cmp.ignore_exit = o->diff_ignore_exit;
  d->timeout_ms = timeout_ms;
  d->hang_ms = o->hang_tmout_ms ? o->hang_tmout_ms : DIFF_HANG_MS;
  for (size_t i = 0; i < o->n_impls; i++) {
    d->n = i + 1;
    if (!diff_start_one(x, o, out_dir, timeout_ms, i))
      return false;
  }
  if (out_dir && !(d->dir = out_path(out_dir, "diffs"))) {
    snprintf(x->err, sizeof(x->err), "out of memory");
    return false;
  }
  if (!diff_alloc_map(x)) {
    snprintf(x->err, sizeof(x->err), "out of memory");
    return false;
  }
  diff_mode_text(d);
  return true;
}

/* The stdout of the last run into im->out_buf, and the capture emptied
   when the run wrote to it. Returns its length (at most DIFF_OUT_MAX);
   *cut when there was more. */
static uint32_t diff_stdout(struct diff_impl *im, bool *cut) {
  off_t size = lseek(im->out_fd, 0, SEEK_END);
  *cut = false;
  if (size <= 0)
    return 0;
  size_t want = (size_t)size < DIFF_OUT_MAX ? (size_t)size : DIFF_OUT_MAX;
  ssize_t got = pread(im->out_fd, im->out_buf, want, 0);
  *cut = (size_t)size > want;
  if (ftruncate(im->out_fd, 0) != 0 || lseek(im->out_fd, 0, SEEK_SET) != 0)
    *cut = true;
  return got > 0 ? (uint32_t)got : 0;
}

/* Fill im->res and im->out from the verdict r and the output. */
static void diff_collect(struct diff_impl *im, enum exec_result r) {
  struct diff_res *res = &im->res;
  int st = im->x.f.status;
  memset(res, 0, sizeof(*res));
  res->kind = r == EXEC_OK ? DIFF_OK : r == EXEC_CRASH ? DIFF_CRASH : DIFF_HANG;
  if (r == EXEC_OK)
    res->code = WIFEXITED(st) ? WEXITSTATUS(st) : 0;
  if (r == EXEC_CRASH) {
    res->code = im->x.last_signal;
    res->exit_code = !res->code && WIFEXITED(st) ? WEXITSTATUS(st) : 0;
  }
  bool cut = false;
  uint32_t n = diff_stdout(im, &cut);
  const struct lop_diff_hdr *h = im->hdr;
  if (h->flags & LOP_DIFF_DECLARED) {
    res->declared = true;
    n = h->len < DIFF_OUT_MAX ? h->len : DIFF_OUT_MAX;
    cut = (h->flags & LOP_DIFF_TRUNCATED) != 0;
  }
  im->out = res->declared ? (const uint8_t *)(h + 1) : im->out_buf;
  res->out_len = n;
  res->truncated = cut;
  res->digest = diff_digest(im->out, n);
}

/* Copy a map of n bytes (a multiple of 8, 8-aligned) into dst, writing
   only the words that change: maps are mostly zero, and a read costs less
   than a write. */
static void diff_copy_map(uint64_t *dst, const uint64_t *src, size_t n) {
  for (size_t i = 0; i < n / 8; i++) {
    uint64_t v = src[i];
    if (v != dst[i])
      dst[i] = v;
  }
}

/* One implementation's run: output emptied, run, map copied, result. */
static enum exec_result diff_run_one(struct exec *x, struct diff_impl *im,
                                     const uint8_t *buf, size_t len) {
  im->hdr->len = 0;
  im->hdr->flags = 0;
  enum exec_result r = exec_run(&im->x, buf, len);
  if (r == EXEC_FAIL)
    return r;
  diff_copy_map((uint64_t *)(void *)(x->dmap + im->map_off),
                (const uint64_t *)(void *)exec_map(&im->x),
                exec_map_size(&im->x));
  diff_collect(im, r);
  return r;
}

/* A run of im that timed out, once more with the hang timeout: only one
   that times out again is a hang. */
static enum exec_result diff_confirm_hang(struct exec *x, struct diff_impl *im,
                                          const uint8_t *buf, size_t len) {
  struct diff *d = x->diff;
  if (d->hang_ms <= d->timeout_ms)
    return EXEC_HANG;
  exec_set_timeout(&im->x, d->hang_ms);
  enum exec_result r = diff_run_one(x, im, buf, len);
  exec_set_timeout(&im->x, d->timeout_ms);
  return r;
}

/* Compare the last run and save it when its pattern is new. */
static bool diff_judge(struct exec *x, const uint8_t *buf, size_t len) {
  struct diff *d = x->diff;
  struct diff_res res[DIFF_MAX_IMPLS];
  for (size_t i = 0; i < d->n; i++)
    res[i] = d->impl[i].res;
  d->groups = diff_partition(res, d->n, &d->cmp, d->group);
  d->pattern = diff_pattern(res, d->group, d->n, &d->cmp);
  if (d->groups < 2 || !d->dir || d->saved >= DIFF_MAX_SAVED ||
      !diff_seen_add(&d->seen, d->pattern))
    return true;
  char err[512];
  if (!diff_save(d, buf, len, err, sizeof(err))) {
    snprintf(x->err, sizeof(x->err), "%s", err);
    return false;
  }
  d->saved++;
  d->last_unix = (uint64_t)time(NULL);
  return true;
}

enum exec_result diff_run(struct exec *x, const uint8_t *buf, size_t len) {
  struct diff *d = x->diff;
  enum exec_result out = EXEC_OK;
  x->last_signal = 0;
  x->execs++;
  for (size_t i = 0; i < d->n; i++) {
    struct diff_impl *im = &d->impl[i];
    enum exec_result r = diff_run_one(x, im, buf, len);
    if (r == EXEC_HANG)
      r = diff_confirm_hang(x, im, buf, len);
    if (r == EXEC_FAIL) {
      diff_fail(x, i, im->x.err);
      return EXEC_FAIL;
    }
    if (r == EXEC_CRASH && out != EXEC_CRASH) {
      out = EXEC_CRASH;
      x->last_signal = im->x.last_signal;
    } else if (r == EXEC_HANG && out == EXEC_OK) {
      out = EXEC_HANG;
    }
  }
  return diff_judge(x, buf, len) ? out : EXEC_FAIL;
}

void diff_set_timeout(struct exec *x, uint32_t ms) {
  x->diff->timeout_ms = ms;
  for (size_t i = 0; i < x->diff->n; i++)
    exec_set_timeout(&x->diff->impl[i].x, ms);
}

const char *diff_mode(const struct exec *x) { return x->diff->mode; }

void diff_stop(struct exec *x) {
  struct diff *d = x->diff;
  for (size_t i = 0; i < d->n; i++) {
    struct diff_impl *im = &d->impl[i];
    exec_stop(&im->x);
    if (im->hdr)
      shmdt(im->hdr);
    if (im->out_fd >= 0)
      close(im->out_fd);
    free(im->out_buf);
    free(im->input);
  }
  diff_seen_free(&d->seen);
  free(d->dir);
  free(d);
  free(x->dmap);
  x->diff = NULL;
  x->dmap = NULL;
}

void diff_snapshot(const struct exec *x, struct fz_stats *s) {
  const struct diff *d = x->diff;
  if (!d)
    return;
  s->diff_impls = (uint32_t)d->n;
  s->saved_diffs = d->saved;
  s->last_diff = d->last_unix;
  for (size_t i = 0; i < d->n; i++)
    s->diff_restarts += d->impl[i].x.restarts;
}

uint64_t diff_saved(const struct exec *x) {
  return x->diff ? x->diff->saved : 0;
}
