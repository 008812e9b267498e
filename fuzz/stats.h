/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * The numbers of a campaign and their AFL++ 4.04c file forms: fuzzer_stats
 * (key padded to 18, ": ", value; the key order afl-fuzz's resume and
 * afl-whatsup read) and plot_data (its header and row format). Pure
 * formatting into a FILE; the output room decides where and when.
 */
#ifndef LOP_FUZZ_STATS_H
#define LOP_FUZZ_STATS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

struct fz_stats {
  uint64_t start_time, last_update; /* unix seconds */
  pid_t pid;
  uint64_t cycles_done, cycles_wo_finds, execs_done;
  double execs_per_sec, execs_ps_last_min;
  uint32_t corpus_count, corpus_favored, corpus_found, corpus_imported;
  uint32_t corpus_variable, max_depth, cur_item, pending_favs, pending_total;
  double stability, bitmap_cvg; /* percent */
  uint64_t saved_crashes, saved_hangs;
  uint64_t last_find, last_crash, last_hang; /* unix seconds, 0 = never */
  uint64_t execs_since_crash;
  uint32_t exec_timeout, slowest_exec_ms, peak_rss_mb;
  int cpu_affinity; /* -1 = not bound */
  uint32_t edges_found, total_edges, var_byte_count, auto_dict_entries;
  uint32_t havoc_expansion;
  const char *banner, *target_mode, *command_line;
  /* with -c: finds and execs of colourisation and input-to-state */
  bool cmplog;
  uint64_t colour_finds, colour_execs, its_finds, its_execs;
  /* --diff only (diff_impls 0 otherwise) */
  uint32_t diff_impls, diff_restarts;
  uint64_t saved_diffs, last_diff; /* last_diff: unix seconds, 0 = never */
};

/* The header line of plot_data, newline included. */
extern const char stats_plot_header[];

/* Write s as fuzzer_stats to out at time now (unix seconds). Returns false
   on a write error. */
bool stats_write(FILE *out, const struct fz_stats *s, uint64_t now);

/* One plot_data row for s at time now. */
bool stats_plot_row(FILE *out, const struct fz_stats *s, uint64_t now);

/* Copy text into buf (size n), replacing what a shell must not see in a
   fuzzer_stats value (afl-whatsup sources the file): `"`, `$`, backquote,
   backslash and control characters become '_'. */
void stats_shell_safe(char *buf, size_t n, const char *text);

#endif /* LOP_FUZZ_STATS_H */
