/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * fuzzer_stats and plot_data in AFL++ 4.04c's formats (stats.h).
 */
#include "stats.h"

#include <string.h>

const char stats_plot_header[] =
    "# relative_time, cycles_done, cur_item, corpus_count, pending_total, "
    "pending_favs, map_size, saved_crashes, saved_hangs, max_depth, "
    "execs_per_sec, total_execs, edges_found\n";

void stats_shell_safe(char *buf, size_t n, const char *text) {
  size_t i = 0;
  if (!n)
    return;
  for (; text && text[i] && i + 1 < n; i++) {
    char c = text[i];
    bool bad = c == '"' || c == '$' || c == '`' || c == '\\' ||
               (unsigned char)c < 0x20 || c == 0x7f;
    buf[i] = bad ? '_' : c;
  }
  buf[i] = 0;
}

/* "key<pad to 18>: " then the value. */
#define STATS_KEY(out, k) fprintf(out, "%-18s: ", k)

static void stats_u(FILE *out, const char *k, uint64_t v) {
  STATS_KEY(out, k);
  fprintf(out, "%llu\n", (unsigned long long)v);
}

static void stats_s(FILE *out, const char *k, const char *v) {
  char safe[1024];
  stats_shell_safe(safe, sizeof(safe), v ? v : "");
  STATS_KEY(out, k);
  fprintf(out, "%s\n", safe);
}

static void stats_times(FILE *out, const struct fz_stats *s, uint64_t now) {
  stats_u(out, "start_time", s->start_time);
  stats_u(out, "last_update", now);
  stats_u(out, "run_time", now - s->start_time);
  stats_u(out, "fuzzer_pid", (uint64_t)s->pid);
  stats_u(out, "cycles_done", s->cycles_done);
  stats_u(out, "cycles_wo_finds", s->cycles_wo_finds);
  stats_u(out, "execs_done", s->execs_done);
  STATS_KEY(out, "execs_per_sec");
  fprintf(out, "%0.2f\n", s->execs_per_sec);
  STATS_KEY(out, "execs_ps_last_min");
  fprintf(out, "%0.2f\n", s->execs_ps_last_min);
}

static void stats_corpus(FILE *out, const struct fz_stats *s) {
  stats_u(out, "corpus_count", s->corpus_count);
  stats_u(out, "corpus_favored", s->corpus_favored);
  stats_u(out, "corpus_found", s->corpus_found);
  stats_u(out, "corpus_imported", s->corpus_imported);
  stats_u(out, "corpus_variable", s->corpus_variable);
  stats_u(out, "max_depth", s->max_depth);
  stats_u(out, "cur_item", s->cur_item);
  stats_u(out, "pending_favs", s->pending_favs);
  stats_u(out, "pending_total", s->pending_total);
  STATS_KEY(out, "stability");
  fprintf(out, "%0.2f%%\n", s->stability);
  STATS_KEY(out, "bitmap_cvg");
  fprintf(out, "%0.2f%%\n", s->bitmap_cvg);
}

static void stats_finds(FILE *out, const struct fz_stats *s) {
  stats_u(out, "saved_crashes", s->saved_crashes);
  stats_u(out, "saved_hangs", s->saved_hangs);
  stats_u(out, "last_find", s->last_find);
  stats_u(out, "last_crash", s->last_crash);
  stats_u(out, "last_hang", s->last_hang);
  stats_u(out, "execs_since_crash", s->execs_since_crash);
  stats_u(out, "exec_timeout", s->exec_timeout);
  stats_u(out, "slowest_exec_ms", s->slowest_exec_ms);
  stats_u(out, "peak_rss_mb", s->peak_rss_mb);
  STATS_KEY(out, "cpu_affinity");
  fprintf(out, "%d\n", s->cpu_affinity);
}

static void stats_rest(FILE *out, const struct fz_stats *s) {
  stats_u(out, "edges_found", s->edges_found);
  stats_u(out, "total_edges", s->total_edges);
  stats_u(out, "var_byte_count", s->var_byte_count);
  stats_u(out, "havoc_expansion", s->havoc_expansion);
  stats_u(out, "auto_dict_entries", s->auto_dict_entries);
  stats_u(out, "testcache_size", 0);
  stats_u(out, "testcache_count", s->corpus_count);
  stats_u(out, "testcache_evict", 0);
  stats_s(out, "afl_banner", s->banner);
  stats_s(out, "afl_version", "lop-fuzz-" LOP_VERSION);
  stats_s(out, "target_mode", s->target_mode);
  stats_s(out, "command_line", s->command_line);
  if (s->diff_impls) {
    /* lop-fuzz --diff's own keys, after afl-fuzz's. */
    stats_u(out, "saved_diffs", s->saved_diffs);
    stats_u(out, "last_diff", s->last_diff);
    stats_u(out, "diff_restarts", s->diff_restarts);
  }
}

bool stats_write(FILE *out, const struct fz_stats *s, uint64_t now) {
  stats_times(out, s, now);
  stats_corpus(out, s);
  stats_finds(out, s);
  stats_rest(out, s);
  return !ferror(out);
}

bool stats_plot_row(FILE *out, const struct fz_stats *s, uint64_t now) {
  fprintf(out,
          "%llu, %llu, %u, %u, %u, %u, %0.02f%%, %llu, %llu, %u, %0.02f, "
          "%llu, %u\n",
          (unsigned long long)(now - s->start_time),
          (unsigned long long)s->cycles_done, s->cur_item, s->corpus_count,
          s->pending_total, s->pending_favs, s->bitmap_cvg,
          (unsigned long long)s->saved_crashes,
          (unsigned long long)s->saved_hangs, s->max_depth, s->execs_per_sec,
          (unsigned long long)s->execs_done, s->edges_found);
  return !ferror(out);
}
