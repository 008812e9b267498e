/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * lop-fuzz's engine: the state of one fuzzing instance and the loop that
 * picks an entry, gives it energy, mutates, runs, judges and saves. The
 * parts live in rooms of their own (cov, queue, sched, mutate, exec,
 * output, stats, sync); this header ties them together. The engine does no
 * terminal I/O: it calls the ui hook with a stats snapshot.
 */
#ifndef LOP_FUZZ_ENGINE_H
#define LOP_FUZZ_ENGINE_H

#include "cli.h"
#include "cmpexec.h"
#include "dict.h"
#include "exec.h"
#include "mutate.h"
#include "output.h"
#include "queue.h"
#include "rng.h"
#include "sched.h"
#include "stats.h"

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* Calibration runs of a new entry, and of one whose map varies (AFL's). */
#define ENG_CAL_CYCLES 7U
#define ENG_CAL_CYCLES_LONG 20U
/* Timeout while calibrating seeds when -t was not given, ms (AFL's). */
#define ENG_CAL_TIMEOUT_MS 1000U
/* Derived timeout: 5x the average seed, rounded up to 20 ms (AFL's). */
#define ENG_TIMEOUT_MULT 5U
#define ENG_TIMEOUT_ROUND_MS 20U
/* Most crashes and hangs kept (AFL++'s). */
#define ENG_MAX_CRASHES 10000U
#define ENG_MAX_HANGS 500U
/* How often the screen, the stats file and plot_data are refreshed, ms. */
#define ENG_UI_MS 250U
#define ENG_PLOT_MS 5000U
#define ENG_STATS_MS 60000U
/* Default time between imports from other instances, seconds. */
#define ENG_SYNC_SECS 30U
/* Trimming steps (AFL's TRIM_START_STEPS, TRIM_END_STEPS, TRIM_MIN_BYTES). */
#define ENG_TRIM_START 16U
#define ENG_TRIM_END 1024U
#define ENG_TRIM_MIN 4U
/* Havoc's block operators use small blocks only this long, ms (AFL++). */
#define ENG_SMALL_BLOCKS_MS 600000U
/* Seconds without a find after which havoc also copies chunks of other
   entries (AFL++'s rule). */
#define ENG_DRY_SECS 5U
/* Most inputs the input-to-state stage tries on one entry (AFL++ has no
   such cap; it bounds the stage on inputs full of compares). */
#define ENG_I2S_MAX_TRIES 16384U
/* Edits one position of one compare can give (two operands, two byte
   orders, three values, four widths). */
#define ENG_I2S_EDITS 48U
/* One havoc iteration in this many splices first (when the queue has two
   entries or more). */
#define ENG_SPLICE_ONE_IN 8U

struct engine;
/* Called about every ENG_UI_MS with a fresh snapshot, and once at the end
   (final = true). */
typedef void (*eng_ui_fn)(const struct engine *e, const struct fz_stats *s,
                          bool final);

struct engine {
  struct fz_opts *o;
  struct out_dir out;
  struct exec x;
  struct cmp_exec cx;       /* the CmpLog build (-c); cx.on when given */
  struct cmp_map *cmp_orig; /* CmpLog map of the original input's run */
  uint8_t *col;             /* the colourised input, MAX_FILE bytes */
  struct queue q;
  struct rng rng;
  struct dict user, autod;
  struct mut_dicts dicts;
  struct sched_pick pick;
  bool pick_dirty;
  uint32_t map_size;
  uint8_t *virgin, *virgin_crash, *virgin_hang; /* 0xff = never seen */
  uint8_t *var_bytes;                           /* 1 = variable byte */
  uint32_t *var_list;                           /* the same, as a list */
  uint32_t n_var;
  uint32_t *n_fuzz; /* path frequency, by map checksum */
  uint8_t *buf;     /* the testcase being built, MAX_FILE bytes */
  uint8_t *first_map;
  uint32_t timeout_ms, hang_ms;
  /* counters */
  uint64_t start_ms, start_unix, crashes, hangs, found, imported;
  uint64_t cycles, cycles_wo_finds, runs_in_cycle, found_at_cycle_start;
  uint64_t last_find, last_crash, last_hang, execs_at_last_crash;
  uint64_t last_find_clock; /* eng_clock_ms at the last find */
  uint64_t total_cal_us, total_cal_runs, slowest_us;
  /* finds (queue entries + crashes) and execs of colourisation and of
     input-to-state, as afl-fuzz's screen shows them */
  uint64_t colour_finds, colour_execs, its_finds, its_execs;
  uint64_t last_ui_ms, last_plot_ms, last_stats_ms, last_sync_ms;
  uint64_t ui_execs, ui_ms; /* for the execs/s of the last interval */
  double eps_now;
  uint32_t cur_entry;
  size_t autodict_n; /* tokens the target's dictionary added */
  const char *stage;
  char *cmdline; /* lop-fuzz's command line, for fuzzer_stats */
  bool crash_readme_done;
  FILE *plot;
  eng_ui_fn ui;
  volatile sig_atomic_t *stop; /* set by the signal handlers */
  bool failed;                 /* the campaign cannot go on: err says why */
  char err[1024];
};

/* Set up everything: output directory (refusing or resuming an earlier
   run), dictionaries, the target. False with e->err set. */
bool eng_init(struct engine *e, struct fz_opts *o, char **envp);

/* Load, run and calibrate the seeds (or the resumed queue); a seed that
   crashes or times out is an error naming it (unless -t ms+ for slow
   ones). False with e->err set. */
bool eng_load_seeds(struct engine *e);

/* Fuzz until a stop condition (-V, -E, Ctrl-C, AFL_BENCH_UNTIL_CRASH,
   AFL_EXIT_WHEN_DONE). False with e->err set when the target broke. */
bool eng_run(struct engine *e);

/* Write the final stats, plot row and fuzz_bitmap, stop the target,
   free everything. */
void eng_finish(struct engine *e);

/* ---- parts shared between the engine's files ----------------------------- */

/* Milliseconds on the monotonic clock / seconds since the epoch. */
uint64_t eng_now_ms(void);
/* The clock the engine's choices follow, ms since the start: wall time, or
   with a fixed -s seed the executions so far at QUEUE_FIXED_COST_US each,
   so that the same seed makes the same choices under any load. */
uint64_t eng_clock_ms(const struct engine *e);
uint64_t eng_unix(void);

/* Judge the last run of buf (its map and verdict) and save it when it is
   new: a queue entry, a crash or a hang. Returns true when a queue entry
   was added. */
bool eng_save_if_interesting(struct engine *e, const uint8_t *buf, size_t len,
                             enum exec_result r, const struct out_desc *d);

/* Calibrate e->q.e[id]: run it ENG_CAL_CYCLES times (more when it varies),
   record exec time, map size, checksum, variable bytes, top-rated edges.
   False when the target failed to run. */
bool eng_calibrate(struct engine *e, struct qentry *q);

/* AFL's trim: drop blocks that leave the map's checksum unchanged. */
bool eng_trim(struct engine *e, struct qentry *q);

/* Start the CmpLog executor when -c was given. False with e->err set. */
bool eng_cmplog_start(struct engine *e);

/* After the seeds: the CmpLog build must run each seed without crashing
   and log comparisons on at least one (else it is no CmpLog build). */
bool eng_cmplog_check(struct engine *e);

/* The input-to-state stage on entry q (once per entry, with -c):
   colourise, run the CmpLog build on both inputs, try the other operand
   of each compare where the input holds one. False when the loop must
   end. */
bool eng_i2s_stage(struct engine *e, struct qentry *q);

/* Run e->buf[0..len) as a mutation described by d and judge it; with
   cksum, also the checksum of the run's classified map (0 for a run that
   did not end normally). False when the loop must end (stop condition or
   a broken target). */
bool eng_try(struct engine *e, size_t len, struct out_desc *d, uint64_t *cksum);

/* Import new entries of other instances in the sync directory. */
void eng_sync(struct engine *e);

/* Refresh the snapshot s from the engine's state. */
void eng_snapshot(const struct engine *e, struct fz_stats *s);

/* Periodic work: screen, plot_data, fuzzer_stats, sync. Cheap when
   nothing is due. */
void eng_tick(struct engine *e);

/* Mark byte positions of the classified map as variable. */
void eng_add_variable(struct engine *e, const uint8_t *a, const uint8_t *b);

/* Record a run's path for the schedule (n_fuzz) from its classified map. */
uint64_t eng_path_seen(struct engine *e, const uint8_t *map);

/* A new queue entry from buf: saved under queue/ with desc d, added,
   calibrated. False when saving failed (e->err set). */
bool eng_add_entry(struct engine *e, const uint8_t *buf, size_t len,
                   const char *name, uint32_t depth);

#endif /* LOP_FUZZ_ENGINE_H */
