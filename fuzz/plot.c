/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * The campaign picture (plot.h): SVG by hand, no library.
 */
#include "plot.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Picture geometry, pixels. */
#define PLOT_W 900
#define PLOT_PANEL_H 190
#define PLOT_LEFT 80
#define PLOT_RIGHT 30
#define PLOT_TOP 50
#define PLOT_GAP 40
#define PLOT_TICKS 5

static bool plot_fail(char *err, size_t n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static bool plot_fail(char *err, size_t n, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  /* va_start above initialises ap; clang-analyzer 14 reports it wrongly.
     NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized) */
  vsnprintf(err, n, fmt, ap);
  va_end(ap);
  return false;
}

static bool plot_push(struct plot_data *d, const struct plot_row *r) {
  if (d->n == d->cap) {
    size_t cap = d->cap ? d->cap * 2 : 256;
    struct plot_row *nr = realloc(d->rows, cap * sizeof(*nr));
    if (!nr)
      return false;
    d->rows = nr;
    d->cap = cap;
  }
  d->rows[d->n++] = *r;
  return true;
}

bool plot_parse(FILE *in, struct plot_data *d, char *err, size_t errlen) {
  char line[1024];
  size_t no = 0;
  memset(d, 0, sizeof(*d));
  while (fgets(line, sizeof(line), in)) {
    no++;
    if (line[0] == '#' || line[0] == '\n')
      continue;
    double v[13];
    char *p = line;
    int k = 0;
    for (; k < 13; k++) {
      char *end;
      v[k] = strtod(p, &end);
      if (end == p)
        break;
      p = end + strspn(end, "%, \t");
    }
    if (k != 13)
      return plot_fail(err, errlen,
                       "line %zu: expected 13 comma-separated columns of "
                       "plot_data",
                       no);
    struct plot_row r = {v[0], v[3], v[4], v[12], v[7], v[8], v[10], v[6]};
    if (!plot_push(d, &r))
      return plot_fail(err, errlen, "out of memory");
  }
  return true;
}

void plot_free(struct plot_data *d) {
  free(d->rows);
  memset(d, 0, sizeof(*d));
}

/* A "nice" axis maximum (1, 2 or 5 times a power of ten) >= v. */
static double plot_nice(double v) {
  if (v <= 0)
    return 1;
  static const double steps[] = {1, 2, 5, 10};
  double p = pow(10, floor(log10(v)));
  for (size_t i = 0; i < sizeof(steps) / sizeof(*steps); i++)
    if (steps[i] * p >= v)
      return steps[i] * p;
  return 10 * p;
}

/* Axis label: 1234 -> "1234", 12345 -> "12.3k", 1.5e6 -> "1.5M". */
static void plot_label(char *b, size_t n, double v) {
  if (v >= 1e6)
    snprintf(b, n, "%.3gM", v / 1e6);
  else if (v >= 1e4)
    snprintf(b, n, "%.3gk", v / 1e3);
  else
    snprintf(b, n, "%.4g", v);
}

struct plot_series {
  const char *name, *color;
  size_t field; /* offset into struct plot_row */
};

static double plot_get(const struct plot_row *r, size_t off) {
  double v;
  memcpy(&v, (const char *)r + off, sizeof(v));
  return v;
}

static void plot_axes(FILE *o, int y0, double tmax, double vmax,
                      const char *title) {
  int w = PLOT_W - PLOT_LEFT - PLOT_RIGHT;
  fprintf(o,
          "<rect x='%d' y='%d' width='%d' height='%d' fill='#fafafa' "
          "stroke='#888'/>\n",
          PLOT_LEFT, y0, w, PLOT_PANEL_H);
  fprintf(o,
          "<text x='%d' y='%d' font-size='14' font-weight='bold'>%s</text>\n",
          PLOT_LEFT, y0 - 8, title);
  for (int i = 0; i <= PLOT_TICKS; i++) {
    char lab[32];
    int y = y0 + PLOT_PANEL_H - i * PLOT_PANEL_H / PLOT_TICKS;
    int x = PLOT_LEFT + i * w / PLOT_TICKS;
    plot_label(lab, sizeof(lab), vmax * i / PLOT_TICKS);
    fprintf(o,
            "<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='#ddd'/>\n"
            "<text x='%d' y='%d' font-size='11' text-anchor='end'>%s</text>\n",
            PLOT_LEFT, y, PLOT_LEFT + w, y, PLOT_LEFT - 6, y + 4, lab);
    plot_label(lab, sizeof(lab), tmax * i / PLOT_TICKS);
    fprintf(o,
            "<text x='%d' y='%d' font-size='11' "
            "text-anchor='middle'>%ss</text>\n",
            x, y0 + PLOT_PANEL_H + 14, lab);
  }
}

static void plot_line(FILE *o, const struct plot_data *d, int y0, double tmax,
                      double vmax, const struct plot_series *s) {
  int w = PLOT_W - PLOT_LEFT - PLOT_RIGHT;
  fprintf(o, "<polyline fill='none' stroke='%s' stroke-width='2' points='",
          s->color);
  for (size_t i = 0; i < d->n; i++) {
    double x = PLOT_LEFT + d->rows[i].t / tmax * w;
    double y = y0 + PLOT_PANEL_H -
               plot_get(&d->rows[i], s->field) / vmax * PLOT_PANEL_H;
    fprintf(o, "%.1f,%.1f ", x, y);
  }
  fputs("'/>\n", o);
}

/* One panel with up to two series and their legend. */
static void plot_panel(FILE *o, const struct plot_data *d, int y0, double tmax,
                       const char *title, const struct plot_series *s,
                       size_t ns) {
  double vmax = 0;
  for (size_t k = 0; k < ns; k++)
    for (size_t i = 0; i < d->n; i++)
      vmax = fmax(vmax, plot_get(&d->rows[i], s[k].field));
  vmax = plot_nice(vmax);
  plot_axes(o, y0, tmax, vmax, title);
  for (size_t k = 0; k < ns; k++) {
    plot_line(o, d, y0, tmax, vmax, &s[k]);
    fprintf(o,
            "<text x='%d' y='%d' font-size='12' fill='%s' "
            "text-anchor='end'>%s</text>\n",
            PLOT_W - PLOT_RIGHT - 4, y0 + 16 + 14 * (int)k, s[k].color,
            s[k].name);
  }
}

bool plot_svg(FILE *o, const struct plot_data *d, const char *title) {
  static const struct plot_series corpus[] = {
      {"corpus count", "#1f77b4", offsetof(struct plot_row, corpus)},
      {"not fuzzed yet", "#aec7e8", offsetof(struct plot_row, pending)}};
  static const struct plot_series edges[] = {
      {"edges found", "#2ca02c", offsetof(struct plot_row, edges)}};
  static const struct plot_series finds[] = {
      {"saved crashes", "#d62728", offsetof(struct plot_row, crashes)},
      {"saved hangs", "#ff7f0e", offsetof(struct plot_row, hangs)}};
  static const struct plot_series speed[] = {
      {"execs per second", "#9467bd", offsetof(struct plot_row, eps)}};
  int h = PLOT_TOP + 4 * (PLOT_PANEL_H + PLOT_GAP + 14);
  double tmax = d->n ? plot_nice(d->rows[d->n - 1].t) : 1;
  fprintf(o,
          "<?xml version='1.0' encoding='UTF-8'?>\n<svg "
          "xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' "
          "font-family='sans-serif'>\n<rect width='100%%' height='100%%' "
          "fill='white'/>\n<text x='%d' y='28' font-size='18'>lop-fuzz: "
          "%s</text>\n",
          PLOT_W, h, PLOT_LEFT, title);
  int step = PLOT_PANEL_H + PLOT_GAP + 14;
  plot_panel(o, d, PLOT_TOP + 20, tmax, "Corpus", corpus, 2);
  plot_panel(o, d, PLOT_TOP + 20 + step, tmax, "Coverage", edges, 1);
  plot_panel(o, d, PLOT_TOP + 20 + 2 * step, tmax, "Crashes and hangs", finds,
             2);
  plot_panel(o, d, PLOT_TOP + 20 + 3 * step, tmax, "Speed", speed, 1);
  fputs("</svg>\n", o);
  return !ferror(o);
}

/* Escape &, < and > of a title for XML. */
static void plot_xml_text(char *b, size_t n, const char *s) {
  size_t i = 0;
  for (; *s && i + 6 < n; s++) {
    const char *r = *s == '&'   ? "&amp;"
                    : *s == '<' ? "&lt;"
                    : *s == '>' ? "&gt;"
                                : NULL;
    if (r) {
      memcpy(b + i, r, strlen(r));
      i += strlen(r);
    } else {
      b[i++] = *s;
    }
  }
  b[i] = 0;
}

int plot_main(int argc, char **argv) {
  if (argc < 3 || argc > 4) {
    fprintf(stderr, "lop-fuzz: error: usage: lop-fuzz plot OUT/NAME "
                    "[FILE.svg] (the directory that holds plot_data)\n");
    return 1;
  }
  char in_path[4096], out_path[4096], err[256], title[512];
  snprintf(in_path, sizeof(in_path), "%s/plot_data", argv[2]);
  snprintf(out_path, sizeof(out_path), "%s", argc == 4 ? argv[3] : "");
  if (argc == 3)
    snprintf(out_path, sizeof(out_path), "%s/plot.svg", argv[2]);
  FILE *in = fopen(in_path, "r");
  if (!in) {
    fprintf(stderr,
            "lop-fuzz: error: cannot read %s: %s; give the instance "
            "directory (e.g. out/default)\n",
            in_path, strerror(errno));
    return 1;
  }
  struct plot_data d;
  bool ok = plot_parse(in, &d, err, sizeof(err));
  fclose(in);
  if (!ok) {
    fprintf(stderr, "lop-fuzz: error: %s: %s\n", in_path, err);
    plot_free(&d);
    return 1;
  }
  char tmp[4200];
  snprintf(tmp, sizeof(tmp), "%s.tmp", out_path);
  FILE *out = fopen(tmp, "w");
  plot_xml_text(title, sizeof(title), argv[2]);
  ok = out && plot_svg(out, &d, title);
  ok = out && fclose(out) == 0 && ok && rename(tmp, out_path) == 0;
  size_t rows = d.n;
  plot_free(&d);
  if (!ok) {
    fprintf(stderr, "lop-fuzz: error: cannot write %s: %s\n", out_path,
            strerror(errno));
    unlink(tmp);
    return 1;
  }
  printf("lop-fuzz: wrote %s (%zu rows of %s)\n", out_path, rows, in_path);
  return 0;
}
