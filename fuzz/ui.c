/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * The status screen and the plain status line (ui.h).
 */
#include "ui.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

static bool ui_screen_on;
static uint64_t ui_last_plain;

void ui_fmt_duration(char *buf, size_t n, uint64_t s) {
  if (s >= 86400)
    snprintf(buf, n, "%llud %02lluh %02llum", (unsigned long long)(s / 86400),
             (unsigned long long)(s / 3600 % 24),
             (unsigned long long)(s / 60 % 60));
  else
    snprintf(buf, n, "%lluh %02llum %02llus", (unsigned long long)(s / 3600),
             (unsigned long long)(s / 60 % 60), (unsigned long long)(s % 60));
}

void ui_fmt_count(char *buf, size_t n, uint64_t v) {
  if (v < 10000)
    snprintf(buf, n, "%llu", (unsigned long long)v);
  else if (v < 10000000)
    snprintf(buf, n, "%.1fk", (double)v / 1e3);
  else if (v < 10000000000ULL)
    snprintf(buf, n, "%.2fM", (double)v / 1e6);
  else
    snprintf(buf, n, "%.2fG", (double)v / 1e9);
}

void ui_fmt_since(char *buf, size_t n, uint64_t when, uint64_t now) {
  if (!when) {
    snprintf(buf, n, "none yet");
    return;
  }
  char d[32];
  ui_fmt_duration(d, sizeof(d), now > when ? now - when : 0);
  snprintf(buf, n, "%s ago", d);
}

/* Append one screen line of exactly UI_COLS columns. */
static void ui_line(char **p, size_t *left, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void ui_line(char **p, size_t *left, const char *fmt, ...) {
  char line[256];
  va_list ap;
  va_start(ap, fmt);
  /* va_start above initialises ap; clang-analyzer 14 reports it wrongly.
     NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized) */
  vsnprintf(line, sizeof(line), fmt, ap);
  va_end(ap);
  int w = snprintf(*p, *left, "%-*.*s\n", UI_COLS, UI_COLS, line);
  if (w > 0 && (size_t)w < *left) {
    *p += w;
    *left -= (size_t)w;
  }
}

/* Two labelled columns in boxes: "|" at columns 0, 44 and 79. */
static void ui_pair(char **p, size_t *left, const char *l1, const char *v1,
                    const char *l2, const char *v2) {
  ui_line(p, left, "| %14s : %-24.24s | %13s : %-17.17s|", l1, v1, l2, v2);
}

/* One side of a box rule: "+- title ----" padded with '-' to width. */
static void ui_rule_part(char *buf, size_t width, const char *title) {
  int n = snprintf(buf, width + 1, *title ? "+- %s " : "+", title);
  memset(buf + n, '-', width - (size_t)n);
  buf[width] = 0;
}

/* A box rule with titles, 80 wide: "+" at columns 0, 44 and 79. */
static void ui_rule_line(char **p, size_t *left, const char *l, const char *r) {
  char a[48], b[40];
  ui_rule_part(a, 44, l);
  ui_rule_part(b, 35, r);
  ui_line(p, left, "%s%s+", a, b);
}

static void ui_render_times(char **p, size_t *left, const struct fz_stats *s,
                            uint64_t now) {
  char run[32], find[48], crash[48], hang[48], cyc[32], corp[32], cr[32],
      hg[32];
  ui_fmt_duration(run, sizeof(run), now - s->start_time);
  ui_fmt_since(find, sizeof(find), s->last_find, now);
  ui_fmt_since(crash, sizeof(crash), s->last_crash, now);
  ui_fmt_since(hang, sizeof(hang), s->last_hang, now);
  snprintf(cyc, sizeof(cyc), "%llu", (unsigned long long)s->cycles_done);
  snprintf(corp, sizeof(corp), "%u", s->corpus_count);
  snprintf(cr, sizeof(cr), "%llu", (unsigned long long)s->saved_crashes);
  snprintf(hg, sizeof(hg), "%llu", (unsigned long long)s->saved_hangs);
  ui_rule_line(p, left, "time", "results");
  ui_pair(p, left, "run time", run, "cycles done", cyc);
  ui_pair(p, left, "last new find", find, "corpus count", corp);
  ui_pair(p, left, "last crash", crash, "saved crashes", cr);
  ui_pair(p, left, "last hang", hang, "saved hangs", hg);
}

static void ui_render_progress(char **p, size_t *left, const struct fz_stats *s,
                               const char *stage) {
  char now[48], execs[32], eps[32], dens[32], edges[32], stab[32], fav[48],
      pend[32], found[32], imp[32], depth[32], tmo[32], var[32];
  snprintf(now, sizeof(now), "entry %u (%s)", s->cur_item, stage);
  ui_fmt_count(execs, sizeof(execs), s->execs_done);
  snprintf(eps, sizeof(eps), "%.0f/s (avg %.0f/s)", s->execs_ps_last_min,
           s->execs_per_sec);
  snprintf(dens, sizeof(dens), "%.2f%%", s->bitmap_cvg);
  snprintf(edges, sizeof(edges), "%u", s->edges_found);
  snprintf(stab, sizeof(stab), "%.2f%%", s->stability);
  snprintf(fav, sizeof(fav), "%u of %u", s->corpus_favored, s->corpus_count);
  snprintf(pend, sizeof(pend), "%u (%u favs)", s->pending_total,
           s->pending_favs);
  snprintf(found, sizeof(found), "%u", s->corpus_found);
  snprintf(imp, sizeof(imp), "%u", s->corpus_imported);
  snprintf(depth, sizeof(depth), "%u", s->max_depth);
  snprintf(tmo, sizeof(tmo), "%u ms", s->exec_timeout);
  snprintf(var, sizeof(var), "%u bytes", s->var_byte_count);
  ui_rule_line(p, left, "progress", "coverage");
  ui_pair(p, left, "now fuzzing", now, "map density", dens);
  ui_pair(p, left, "total execs", execs, "edges found", edges);
  ui_pair(p, left, "exec speed", eps, "stability", stab);
  ui_rule_line(p, left, "corpus", "target");
  ui_pair(p, left, "favoured", fav, "timeout", tmo);
  ui_pair(p, left, "not fuzzed yet", pend, "mode", s->target_mode);
  ui_pair(p, left, "new finds", found, "max depth", depth);
  ui_pair(p, left, "imported", imp, "unstable", var);
}

/* The stages box: colourisation and input-to-state finds/execs (afl-fuzz's
   "py/custom/rq" line) and the automatic dictionary. */
static void ui_render_stages(char **p, size_t *left, const struct fz_stats *s) {
  char rq[64], dict[32];
  if (s->cmplog)
    snprintf(rq, sizeof(rq), "%llu/%llu, %llu/%llu",
             (unsigned long long)s->colour_finds,
             (unsigned long long)s->colour_execs,
             (unsigned long long)s->its_finds,
             (unsigned long long)s->its_execs);
  else
    snprintf(rq, sizeof(rq), "unused (no -c)");
  snprintf(dict, sizeof(dict), "%u tokens", s->auto_dict_entries);
  ui_rule_line(p, left, "stages: finds/execs", "dictionary");
  ui_pair(p, left, "colour, i2s", rq, "auto", dict);
}

/* --diff: disagreements found, the last, and forkserver restarts. */
static void ui_render_diff(char **p, size_t *left, const struct fz_stats *s,
                           uint64_t now) {
  char last[48];
  if (!s->diff_impls)
    return;
  ui_fmt_since(last, sizeof(last), s->last_diff, now);
  ui_line(p, left,
          " disagreements: %llu in diffs/ (last %s), %u impls, %u "
          "restarts",
          (unsigned long long)s->saved_diffs, last, s->diff_impls,
          s->diff_restarts);
}

void ui_render(char *buf, size_t n, const struct fz_stats *s, const char *stage,
               uint64_t now) {
  char *p = buf;
  size_t left = n;
  char title[128];
  buf[0] = 0;
  snprintf(title, sizeof(title), " lop-fuzz %s  %.50s", LOP_VERSION,
           s->banner ? s->banner : "");
  ui_line(&p, &left, "%s", title);
  ui_render_times(&p, &left, s, now);
  ui_render_progress(&p, &left, s, stage);
  ui_render_stages(&p, &left, s);
  ui_rule_line(&p, &left, "", "");
  ui_line(&p, &left,
          " Crashes are in crashes/, hangs in hangs/ of the "
          "output directory.");
  ui_line(&p, &left, " Ctrl-C stops and saves the statistics.");
  ui_render_diff(&p, &left, s, now);
  while (left > UI_COLS + 2 && (size_t)(p - buf) / (UI_COLS + 1) < UI_ROWS - 1)
    ui_line(&p, &left, "%s", "");
}

void ui_plain_line(char *buf, size_t n, const struct fz_stats *s,
                   uint64_t now) {
  char run[32];
  ui_fmt_duration(run, sizeof(run), now - s->start_time);
  snprintf(buf, n,
           "lop-fuzz: %s, %llu execs (%.0f/s), corpus %u (%u new, %u "
           "imported), favoured %u, edges %u (%.2f%%), crashes %llu, hangs "
           "%llu, stability %.2f%%, cycle %llu",
           run, (unsigned long long)s->execs_done, s->execs_per_sec,
           s->corpus_count, s->corpus_found, s->corpus_imported,
           s->corpus_favored, s->edges_found, s->bitmap_cvg,
           (unsigned long long)s->saved_crashes,
           (unsigned long long)s->saved_hangs, s->stability,
           (unsigned long long)s->cycles_done);
  size_t at = strlen(buf);
  if (s->cmplog && at < n)
    snprintf(buf + at, n - at, ", input-to-state %llu/%llu finds/execs",
             (unsigned long long)s->its_finds,
             (unsigned long long)s->its_execs);
  at = strlen(buf);
  char last[48];
  ui_fmt_since(last, sizeof(last), s->last_diff, now);
  if (s->diff_impls && at < n)
    snprintf(buf + at, n - at, ", diffs %llu (last %s), restarts %u",
             (unsigned long long)s->saved_diffs, last, s->diff_restarts);
}

void ui_restore(void) {
  if (!ui_screen_on)
    return;
  ui_screen_on = false;
  fputs("\033[?25h\033[?1049l", stdout);
  fflush(stdout);
}

static void ui_screen(const struct engine *e, const struct fz_stats *s,
                      bool final) {
  static char frame[UI_ROWS * (UI_COLS + 8) + 64];
  if (final) {
    ui_restore();
    return;
  }
  ui_render(frame, sizeof(frame), s, e->stage, eng_unix());
  fputs("\033[H", stdout);
  for (char *line = frame, *nl; (nl = strchr(line, '\n')); line = nl + 1)
    fprintf(stdout, "%.*s\033[K%s", (int)(nl - line), line, nl[1] ? "\n" : "");
  fflush(stdout);
}

static void ui_plain(const struct engine *e, const struct fz_stats *s,
                     bool final) {
  uint64_t now = eng_unix();
  (void)e;
  if (!final && now - ui_last_plain < UI_PLAIN_SECS)
    return;
  ui_last_plain = now;
  char line[512];
  ui_plain_line(line, sizeof(line), s, now);
  printf("%s\n", line);
  fflush(stdout);
}

eng_ui_fn ui_start(bool no_ui) {
  struct winsize w;
  ui_last_plain = eng_unix();
  if (no_ui || !isatty(STDOUT_FILENO) ||
      ioctl(STDOUT_FILENO, TIOCGWINSZ, &w) != 0 || w.ws_col < UI_COLS ||
      w.ws_row < UI_ROWS)
    return ui_plain;
  ui_screen_on = true;
  atexit(ui_restore);
  fputs("\033[?1049h\033[?25l\033[H\033[2J", stdout);
  fflush(stdout);
  return ui_screen;
}
