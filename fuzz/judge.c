/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * What the engine does with a run: decide whether it is new (a queue entry,
 * a crash or a hang, each against its own virgin map), save it atomically,
 * and calibrate new entries (exec time, map size, variable bytes).
 */
#include "cov.h"
#include "engine.h"

#include <stdlib.h>
#include <string.h>

uint64_t eng_path_seen(struct engine *e, const uint8_t *map) {
  uint64_t h = cov_hash(map, e->map_size);
  uint32_t *slot = &e->n_fuzz[h % SCHED_NFUZZ_SIZE];
  if (*slot < UINT32_MAX)
    (*slot)++;
  return h;
}

void eng_add_variable(struct engine *e, const uint8_t *a, const uint8_t *b) {
  for (uint32_t i = 0; i < e->map_size; i++) {
    if (a[i] == b[i] || e->var_bytes[i])
      continue;
    e->var_bytes[i] = 1;
    e->var_list[e->n_var++] = i;
  }
}

/* One calibration run; false when the target could not run at all. */
static bool eng_cal_run(struct engine *e, const struct qentry *q,
                        enum exec_result *r) {
  *r = exec_run_timed(&e->x, q->data, q->len);
  if (*r == EXEC_FAIL) {
    snprintf(e->err, sizeof(e->err), "%s", e->x.err);
    e->failed = true;
    return false;
  }
  cov_classify(exec_map(&e->x), e->map_size);
  return true;
}

bool eng_calibrate(struct engine *e, struct qentry *q) {
  uint8_t *map = exec_map(&e->x);
  uint64_t us = 0;
  uint32_t runs = ENG_CAL_CYCLES, done = 0;
  enum exec_result r = EXEC_OK;
  bool varied = false;
  const char *old_stage = e->stage;
  e->stage = "calibration";
  for (; done < runs; done++) {
    if (!eng_cal_run(e, q, &r))
      return false;
    us += e->x.last_us;
    if (r != EXEC_OK)
      break;
    if (done == 0) {
      memcpy(e->first_map, map, e->map_size);
      continue;
    }
    if (memcmp(e->first_map, map, e->map_size) != 0) {
      eng_add_variable(e, e->first_map, map);
      varied = true;
      runs = ENG_CAL_CYCLES_LONG;
    }
  }
  if (r != EXEC_OK)
    memset(e->first_map, 0, e->map_size);
  q->exec_us = us / (done ? done : 1) + (us / (done ? done : 1) == 0);
  q->cost_us = queue_cost_us(q->exec_us, e->o->seed_given);
  q->var_behavior = varied;
  cov_mask_list(e->first_map, e->var_list, e->n_var);
  q->bitmap_size = cov_count_bytes(e->first_map, e->map_size);
  q->cksum = cov_hash(e->first_map, e->map_size);
  q->handicap = (uint32_t)e->cycles;
  e->total_cal_us += us;
  e->total_cal_runs += done ? done : 1;
  if (q->exec_us > e->slowest_us)
    e->slowest_us = q->exec_us;
  cov_new_bits(e->first_map, e->virgin, e->map_size);
  queue_update_top(&e->q, q, e->first_map);
  e->pick_dirty = true;
  e->stage = old_stage;
  return true;
}

bool eng_add_entry(struct engine *e, const uint8_t *buf, size_t len,
                   const char *name, uint32_t depth) {
  char *qdir = out_path(e->out.dir, "queue");
  bool ok = qdir && out_save(qdir, name, buf, len, e->err, sizeof(e->err));
  char *full = ok ? out_path(qdir, name) : NULL;
  uint8_t *data = ok ? malloc(len ? len : 1) : NULL;
  free(qdir);
  if (!ok)
    return false;
  if (!full || !data) {
    free(full);
    free(data);
    snprintf(e->err, sizeof(e->err), "out of memory");
    return false;
  }
  memcpy(data, buf, len);
  struct qentry *q = queue_add(&e->q, full, data, (uint32_t)len, depth);
  if (!q) {
    snprintf(e->err, sizeof(e->err), "out of memory");
    return false;
  }
  return eng_calibrate(e, q);
}

/* A crash or hang whose simplified map is new to virgin: save it. */
static void eng_save_fault(struct engine *e, const uint8_t *buf, size_t len,
                           bool crash, const struct out_desc *d) {
  uint8_t *map = exec_map(&e->x);
  uint64_t *count = crash ? &e->crashes : &e->hangs;
  if (*count >= (crash ? ENG_MAX_CRASHES : ENG_MAX_HANGS))
    return;
  cov_simplify(map, e->map_size);
  if (!cov_new_bits(map, crash ? e->virgin_crash : e->virgin_hang, e->map_size))
    return;
  char name[OUT_NAME_MAX];
  if (crash)
    out_name_crash(name, sizeof(name), (uint32_t)*count, e->x.last_signal, d);
  else
    out_name_hang(name, sizeof(name), (uint32_t)*count, d);
  char *dir = out_path(e->out.dir, crash ? "crashes" : "hangs");
  char err[512];
  if (dir && crash && !e->crash_readme_done)
    e->crash_readme_done = out_crash_readme_once(&e->out, err, sizeof(err));
  if (dir && out_save(dir, name, buf, len, err, sizeof(err))) {
    (*count)++;
    *(crash ? &e->last_crash : &e->last_hang) = eng_unix();
    if (crash)
      e->execs_at_last_crash = e->x.execs;
  } else {
    snprintf(e->err, sizeof(e->err), "%s", dir ? err : "out of memory");
    e->failed = true;
  }
  free(dir);
}

/* A timeout with the fuzzing timeout is run again with the longer hang
   timeout; only a run that times out then too is a hang (AFL's rule). */
static enum exec_result eng_confirm_hang(struct engine *e, const uint8_t *buf,
                                         size_t len) {
  if (e->hang_ms <= e->timeout_ms)
    return EXEC_HANG;
  exec_set_timeout(&e->x, e->hang_ms);
  enum exec_result r = exec_run(&e->x, buf, len);
  exec_set_timeout(&e->x, e->timeout_ms);
  return r;
}

bool eng_save_if_interesting(struct engine *e, const uint8_t *buf, size_t len,
                             enum exec_result r, const struct out_desc *d) {
  uint8_t *map = exec_map(&e->x);
  if (r == EXEC_HANG && (r = eng_confirm_hang(e, buf, len)) == EXEC_OK)
    return false;
  if (r == EXEC_CRASH || r == EXEC_HANG) {
    eng_save_fault(e, buf, len, r == EXEC_CRASH, d);
    return false;
  }
  if (r != EXEC_OK)
    return false;
  cov_classify(map, e->map_size);
  cov_mask_list(map, e->var_list, e->n_var);
  eng_path_seen(e, map);
  enum cov_news news = cov_new_bits(map, e->virgin, e->map_size);
  if (news == COV_NONE)
    return false;
  char name[OUT_NAME_MAX];
  out_name_entry(name, sizeof(name), (uint32_t)e->q.n, d, news == COV_EDGE);
  uint32_t depth = d->sync ? 1 : e->q.e[d->src]->depth + 1;
  if (!eng_add_entry(e, buf, len, name, depth)) {
    e->failed = true;
    return false;
  }
  e->q.e[e->q.n - 1]->has_new_cov = news == COV_EDGE;
  if (d->sync)
    e->imported++;
  else
    e->found++;
  e->last_find = eng_unix();
  e->last_find_clock = eng_clock_ms(e);
  return true;
}

/* One trim step: buf without [pos, pos+n) gives the same checksum? */
static bool eng_trim_try(struct engine *e, struct qentry *q, size_t pos,
                         size_t n, bool *same) {
  size_t tail = q->len - pos - n;
  memcpy(e->buf, q->data, pos);
  memcpy(e->buf + pos, q->data + pos + n, tail);
  enum exec_result r = exec_run(&e->x, e->buf, pos + tail);
  if (r == EXEC_FAIL) {
    snprintf(e->err, sizeof(e->err), "%s", e->x.err);
    e->failed = true;
    return false;
  }
  uint8_t *map = exec_map(&e->x);
  cov_classify(map, e->map_size);
  cov_mask_list(map, e->var_list, e->n_var);
  *same = r == EXEC_OK && cov_hash(map, e->map_size) == q->cksum;
  return true;
}

static size_t eng_pow2(size_t n) {
  size_t p = 1;
  while (p < n)
    p <<= 1;
  return p;
}

bool eng_trim(struct engine *e, struct qentry *q) {
  q->trim_done = true;
  if (q->len < 5 || q->var_behavior)
    return true;
  e->stage = "trim";
  size_t p2 = eng_pow2(q->len), old_len = q->len;
  size_t step =
      p2 / ENG_TRIM_START > ENG_TRIM_MIN ? p2 / ENG_TRIM_START : ENG_TRIM_MIN;
  size_t end =
      p2 / ENG_TRIM_END > ENG_TRIM_MIN ? p2 / ENG_TRIM_END : ENG_TRIM_MIN;
  for (; step >= end && !*e->stop; step >>= 1) {
    for (size_t pos = step; pos < q->len && !*e->stop;) {
      size_t n = q->len - pos < step ? q->len - pos : step;
      bool same;
      if (!eng_trim_try(e, q, pos, n, &same))
        return false;
      if (!same) {
        pos += step;
        continue;
      }
      memmove(q->data + pos, q->data + pos + n, q->len - pos - n);
      q->len -= (uint32_t)n;
    }
  }
  if (q->len == old_len)
    return true;
  char *slash = strrchr(q->path, '/');
  *slash = 0;
  bool ok =
      out_save(q->path, slash + 1, q->data, q->len, e->err, sizeof(e->err));
  *slash = '/';
  e->failed |= !ok;
  return ok && eng_calibrate(e, q);
}
