/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * The fuzz loop (engine.h): set-up, the choice of entry and its energy,
 * the deterministic, havoc and splice stages, the stop conditions and the
 * periodic work (screen, stats, plot, sync). Judging and calibration are
 * in judge.c, seeds in seeds.c, imports in sync.c.
 */
#include "engine.h"

#include "cov.h"
#include "diff.h"

#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

uint64_t eng_now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (uint64_t)t.tv_sec * 1000 + (uint64_t)t.tv_nsec / 1000000;
}

uint64_t eng_unix(void) { return (uint64_t)time(NULL); }

uint64_t eng_clock_ms(const struct engine *e) {
  if (e->o->seed_given)
    return e->x.execs * QUEUE_FIXED_COST_US / 1000;
  return eng_now_ms() - e->start_ms;
}

/* ---- set-up
 * ------------------------------------------------------------------ */

static bool eng_fail(struct engine *e, const char *what) {
  snprintf(e->err, sizeof(e->err), "%s", what);
  e->failed = true;
  return false;
}

static bool eng_load_dicts(struct engine *e) {
  for (size_t i = 0; i < e->o->n_dicts; i++)
    if (!dict_load(&e->user, e->o->dicts[i], e->err, sizeof(e->err)))
      return false;
  e->dicts.user = &e->user;
  e->dicts.autod = &e->autod;
  return true;
}

/* Where the target reads its input: -f, else out/<name>/.cur_input for
   "@@" (in AFL_TMPDIR when set), else NULL (stdin, a private temp file). */
static char *eng_input_file(const struct engine *e) {
  if (e->o->file)
    return strdup(e->o->file);
  for (size_t i = 0; e->o->argv[i]; i++)
    if (strcmp(e->o->argv[i], "@@") == 0)
      return out_path(e->o->tmpdir ? e->o->tmpdir : e->out.dir, ".cur_input");
  return NULL;
}

static bool eng_start_target(struct engine *e) {
  char *input = eng_input_file(e);
  uint32_t t = e->o->timeout_ms ? e->o->timeout_ms : ENG_CAL_TIMEOUT_MS;
  bool ok = e->o->diff ? diff_start(&e->x, e->o, e->out.dir, t)
                       : exec_start(&e->x, e->o, input, t);
  free(input);
  if (!ok)
    return eng_fail(e, e->x.err);
  e->timeout_ms = t;
  e->hang_ms = e->o->hang_tmout_ms ? e->o->hang_tmout_ms : ENG_CAL_TIMEOUT_MS;
  if (e->hang_ms < t)
    e->hang_ms = t;
  e->map_size = exec_map_size(&e->x);
  /* The target's own dictionary joins -x's, as afl-fuzz adds it. */
  if (e->x.f.autodict)
    e->autodict_n =
        dict_load_auto(&e->user, e->x.f.autodict, e->x.f.autodict_len);
  return true;
}

static bool eng_alloc_maps(struct engine *e) {
  uint32_t n = e->map_size;
  e->virgin = malloc(n);
  e->virgin_crash = malloc(n);
  e->virgin_hang = malloc(n);
  e->var_bytes = calloc(n, 1);
  e->var_list = calloc(n, sizeof(*e->var_list));
  e->first_map = malloc(n);
  e->n_fuzz = calloc(SCHED_NFUZZ_SIZE, sizeof(*e->n_fuzz));
  e->buf = malloc(MAX_FILE);
  if (!e->virgin || !e->virgin_crash || !e->virgin_hang || !e->var_bytes ||
      !e->var_list || !e->first_map || !e->n_fuzz || !e->buf ||
      !queue_init(&e->q, n))
    return eng_fail(e, "out of memory");
  memset(e->virgin, 0xff, n);
  memset(e->virgin_crash, 0xff, n);
  memset(e->virgin_hang, 0xff, n);
  return true;
}

static bool eng_open_plot(struct engine *e) {
  char *p = out_path(e->out.dir, "plot_data");
  bool fresh = p && access(p, F_OK) != 0;
  e->plot = p ? fopen(p, "a") : NULL;
  free(p);
  if (!e->plot)
    return eng_fail(e, "cannot open plot_data for writing");
  if (fresh)
    fputs(stats_plot_header, e->plot);
  fflush(e->plot);
  return true;
}

/* lop-fuzz's command line joined by spaces (afl-fuzz's command_line in
   fuzzer_stats); NULL when out of memory. */
static char *eng_cmdline(const struct fz_opts *o) {
  char *buf = NULL;
  size_t n = 0;
  FILE *f = open_memstream(&buf, &n);
  if (!f)
    return NULL;
  char **argv = o->fuzz_argv ? o->fuzz_argv : o->argv;
  for (size_t i = 0; argv[i]; i++)
    fprintf(f, "%s%s", i ? " " : "", argv[i]);
  fclose(f);
  return buf;
}

bool eng_init(struct engine *e, struct fz_opts *o, char **envp) {
  static volatile sig_atomic_t never;
  memset(e, 0, sizeof(*e));
  e->o = o;
  e->stop = &never;
  e->stage = "init";
  e->start_ms = eng_now_ms();
  e->start_unix = eng_unix();
  uint64_t seed = o->seed_given ? o->seed : (uint64_t)time(NULL) ^ getpid();
  rng_seed(&e->rng, seed);
  if (!out_setup(&e->out, o, e->err, sizeof(e->err)))
    return false;
  e->cmdline = eng_cmdline(o);
  return eng_load_dicts(e) && eng_start_target(e) && eng_cmplog_start(e) &&
         eng_alloc_maps(e) &&
         out_write_meta(&e->out, o, envp, e->err, sizeof(e->err)) &&
         eng_open_plot(e);
}

/* ---- stop conditions and periodic work ------------------------------------
 */

/* True when the campaign should end now. */
static bool eng_should_stop(const struct engine *e) {
  const struct fz_opts *o = e->o;
  if (*e->stop)
    return true;
  if (o->max_execs && e->x.execs >= o->max_execs)
    return true;
  if (o->max_secs && eng_now_ms() - e->start_ms >= o->max_secs * 1000)
    return true;
  if (o->bench_until_crash && (e->crashes || diff_saved(&e->x)))
    return true;
  return o->exit_when_done && e->cycles && e->q.pending_favored == 0 &&
         e->cycles_wo_finds > 0;
}

static uint32_t eng_rss_mb(void) {
  struct rusage u;
  if (getrusage(RUSAGE_CHILDREN, &u) != 0)
    return 0;
  return (uint32_t)(u.ru_maxrss / 1024);
}

void eng_snapshot(const struct engine *e, struct fz_stats *s) {
  uint64_t ms = eng_now_ms() - e->start_ms;
  uint32_t seen = cov_count_seen(e->virgin, e->map_size);
  memset(s, 0, sizeof(*s));
  s->start_time = eng_unix() - ms / 1000;
  s->pid = getpid();
  s->cycles_done = e->cycles;
  s->cycles_wo_finds = e->cycles_wo_finds;
  s->execs_done = e->x.execs;
  s->execs_per_sec = ms ? (double)e->x.execs * 1000.0 / (double)ms : 0;
  s->execs_ps_last_min = e->eps_now;
  s->corpus_count = (uint32_t)e->q.n;
  s->corpus_favored = e->q.favored;
  s->corpus_found = (uint32_t)e->found;
  s->corpus_imported = (uint32_t)e->imported;
  for (size_t i = 0; i < e->q.n; i++)
    s->corpus_variable += e->q.e[i]->var_behavior;
  s->max_depth = e->q.max_depth;
  s->cur_item = e->cur_entry;
  s->pending_favs = e->q.pending_favored;
  s->pending_total = e->q.pending_not_fuzzed;
  s->stability =
      seen ? 100.0 * (double)(seen - (e->n_var < seen ? e->n_var : seen)) / seen
           : 100.0;
  s->bitmap_cvg = e->map_size ? 100.0 * seen / e->map_size : 0;
  s->saved_crashes = e->crashes;
  s->saved_hangs = e->hangs;
  s->last_find = e->last_find;
  s->last_crash = e->last_crash;
  s->last_hang = e->last_hang;
  s->execs_since_crash = e->x.execs - e->execs_at_last_crash;
  s->exec_timeout = e->timeout_ms;
  s->slowest_exec_ms = (uint32_t)(e->slowest_us / 1000);
  s->peak_rss_mb = eng_rss_mb();
  s->cpu_affinity = -1;
  s->edges_found = seen;
  s->total_edges = e->map_size;
  s->var_byte_count = e->n_var;
  s->auto_dict_entries = (uint32_t)e->autodict_n;
  s->banner = e->o->argv[0];
  s->target_mode = exec_mode(&e->x);
  s->command_line = e->cmdline;
  s->cmplog = e->cx.on;
  s->colour_finds = e->colour_finds;
  s->colour_execs = e->colour_execs;
  s->its_finds = e->its_finds;
  s->its_execs = e->its_execs;
  diff_snapshot(&e->x, s);
}

/* fuzzer_stats, rewritten whole through a temp file. */
static void eng_write_stats(struct engine *e, const struct fz_stats *s) {
  char *text = NULL;
  size_t n = 0;
  FILE *f = open_memstream(&text, &n);
  if (!f)
    return;
  stats_write(f, s, eng_unix());
  fclose(f);
  char err[256];
  out_save(e->out.dir, "fuzzer_stats", (const uint8_t *)text, n, err,
           sizeof(err));
  free(text);
}

static void eng_write_plot(struct engine *e, const struct fz_stats *s) {
  stats_plot_row(e->plot, s, eng_unix());
  fflush(e->plot);
}

void eng_tick(struct engine *e) {
  uint64_t now = eng_now_ms();
  if (now - e->last_ui_ms < ENG_UI_MS)
    return;
  struct fz_stats s;
  if (now > e->ui_ms)
    e->eps_now =
        (double)(e->x.execs - e->ui_execs) * 1000.0 / (double)(now - e->ui_ms);
  e->ui_execs = e->x.execs;
  e->ui_ms = now;
  e->last_ui_ms = now;
  eng_snapshot(e, &s);
  if (e->ui)
    e->ui(e, &s, false);
  if (now - e->last_plot_ms >= ENG_PLOT_MS || !e->last_plot_ms) {
    e->last_plot_ms = now;
    eng_write_plot(e, &s);
  }
  if (now - e->last_stats_ms >= ENG_STATS_MS || !e->last_stats_ms) {
    e->last_stats_ms = now;
    eng_write_stats(e, &s);
  }
  uint64_t sync_ms =
      (uint64_t)(e->o->sync_secs ? e->o->sync_secs : ENG_SYNC_SECS) * 1000;
  if (now - e->last_sync_ms >= sync_ms)
    eng_sync(e);
}

/* ---- stages
 * --------------------------------------------------------------------- */

bool eng_try(struct engine *e, size_t len, struct out_desc *d,
             uint64_t *cksum) {
  enum exec_result r = exec_run(&e->x, e->buf, len);
  if (r == EXEC_FAIL)
    return eng_fail(e, e->x.err);
  d->time_ms = eng_now_ms() - e->start_ms;
  d->execs = e->x.execs;
  eng_save_if_interesting(e, e->buf, len, r, d);
  if (cksum)
    *cksum = r == EXEC_OK ? cov_hash(exec_map(&e->x), e->map_size) : 0;
  if ((e->x.execs & 63) == 0)
    eng_tick(e);
  return !e->failed && !eng_should_stop(e);
}

static bool eng_det_stage(struct engine *e, struct qentry *q) {
  struct mut_det m;
  size_t len;
  mut_det_init(&m, q->data, q->len, &e->dicts);
  e->stage = "deterministic";
  while (mut_det_next(&m, e->buf, &len, MAX_FILE)) {
    struct out_desc d = {.src = q->id,
                         .op = m.name,
                         .pos = (int64_t)m.at,
                         .val = m.val,
                         .has_val = m.val != 0,
                         .val_be = m.val_be};
    if (!eng_try(e, len, &d, NULL))
      return false;
  }
  q->passed_det = true;
  return true;
}

/* One havoc (or splice + havoc) iteration on entry q. */
static bool eng_havoc_one(struct engine *e, struct qentry *q) {
  struct out_desc d = {.src = q->id, .op = "havoc", .pos = -1};
  size_t len = q->len;
  memcpy(e->buf, q->data, len);
  if (e->q.n > 1 && rng_below(&e->rng, ENG_SPLICE_ONE_IN) == 0) {
    struct qentry *o = e->q.e[rng_below(&e->rng, e->q.n)];
    if (o != q &&
        mut_splice(&e->rng, e->buf, &len, MAX_FILE, o->data, o->len)) {
      d.op = "splice";
      d.src2 = o->id;
      d.has_src2 = true;
    }
  }
  /* Chunks of other entries join havoc once finds dry up (AFL++: five
     seconds without a find, or a cycle without one). */
  struct qentry *other = e->q.e[rng_below(&e->rng, e->q.n)];
  bool dry = e->cycles_wo_finds ||
             eng_clock_ms(e) - e->last_find_clock >= ENG_DRY_SECS * 1000ULL;
  e->dicts.other = dry && other != q ? other->data : NULL;
  e->dicts.other_len = dry && other != q ? other->len : 0;
  d.rep = mut_havoc(&e->rng, e->buf, &len, MAX_FILE, &e->dicts);
  return eng_try(e, len, &d, NULL);
}

static bool eng_havoc_stage(struct engine *e, struct qentry *q) {
  struct sched_avg a = sched_averages(&e->q);
  uint32_t hits = e->n_fuzz[q->cksum % SCHED_NFUZZ_SIZE];
  double score = sched_score(q, &a, e->o->sched, hits);
  uint64_t iters = sched_havoc_iters(score, (uint64_t)a.exec_us);
  size_t before = e->q.n;
  e->stage = "havoc";
  /* AFL++'s block sizes: small for the first ten minutes, then larger as
     the queue cycles. */
  e->dicts.blk_tier = eng_clock_ms(e) < ENG_SMALL_BLOCKS_MS
                          ? 1
                          : (uint32_t)(e->cycles < 3 ? e->cycles + 1 : 3);
  for (uint64_t i = 0; i < iters; i++) {
    if (!eng_havoc_one(e, q))
      return false;
    /* A find doubles the stage, as afl-fuzz does: the area pays off. */
    if (e->q.n > before && iters < 16ULL * SCHED_HAVOC_CYCLES) {
      before = e->q.n;
      iters *= 2;
    }
  }
  return true;
}

/* Fuzz one entry: trim it the first time, deterministic stages with -D,
   then havoc with the schedule's energy. */
static bool eng_fuzz_one(struct engine *e, struct qentry *q) {
  e->cur_entry = q->id;
  if (!q->trim_done && !eng_trim(e, q))
    return false;
  if (e->cx.on && !q->passed_i2s && !eng_i2s_stage(e, q))
    return false;
  if (e->o->det && !q->passed_det && !eng_det_stage(e, q))
    return false;
  if (!eng_havoc_stage(e, q))
    return false;
  if (!q->was_fuzzed) {
    q->was_fuzzed = true;
    e->pick_dirty = true;
  }
  q->fuzz_level++;
  queue_recount(&e->q);
  return true;
}

/* A queue cycle is as many picks as there are entries (AFL++'s rule for
   weighted selection). */
static void eng_cycle_check(struct engine *e) {
  if (++e->runs_in_cycle <= e->q.n)
    return;
  e->runs_in_cycle = 0;
  e->cycles++;
  e->cycles_wo_finds = e->found + e->imported == e->found_at_cycle_start
                           ? e->cycles_wo_finds + 1
                           : 0;
  e->found_at_cycle_start = e->found + e->imported;
  eng_sync(e);
}

static struct qentry *eng_pick(struct engine *e) {
  if (e->q.changed) {
    queue_cull(&e->q);
    e->pick_dirty = true;
  }
  if (e->pick_dirty) {
    sched_pick_build(&e->pick, &e->q, e->o->sched, e->n_fuzz);
    e->pick_dirty = false;
  }
  for (int tries = 0; tries < 64; tries++) {
    struct qentry *q = e->q.e[sched_pick_next(&e->pick, &e->rng)];
    if (!q->disabled)
      return q;
  }
  return e->q.e[0];
}

bool eng_run(struct engine *e) {
  if (e->o->import_first)
    eng_sync(e);
  e->last_sync_ms = eng_now_ms();
  while (!eng_should_stop(e)) {
    eng_cycle_check(e);
    if (!eng_fuzz_one(e, eng_pick(e)) && e->failed)
      return false;
  }
  return !e->failed;
}

void eng_finish(struct engine *e) {
  struct fz_stats s;
  e->stage = "done";
  if (e->plot && e->map_size) {
    eng_snapshot(e, &s);
    eng_write_stats(e, &s);
    eng_write_plot(e, &s);
    if (e->ui)
      e->ui(e, &s, true);
    char err[256];
    out_save(e->out.dir, "fuzz_bitmap", e->virgin, e->map_size, err,
             sizeof(err));
  }
  if (e->plot)
    fclose(e->plot);
  exec_stop(&e->x);
  cmpx_stop(&e->cx);
  out_finish(&e->out);
  out_free(&e->out);
  queue_free(&e->q);
  sched_pick_free(&e->pick);
  dict_free(&e->user);
  dict_free(&e->autod);
  free(e->virgin), free(e->virgin_crash), free(e->virgin_hang);
  free(e->var_bytes), free(e->var_list), free(e->first_map);
  free(e->n_fuzz), free(e->buf);
  free(e->cmp_orig), free(e->col), free(e->cmdline);
}
