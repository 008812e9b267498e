/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Unit tests of fuzz/ui.c and fuzz/plot.c: durations and counts as the
 * screen shows them, the status screen's size (25 lines of exactly 80
 * columns) and labels, the plain status line, and plot_data parsing (also
 * of a bad line) and the SVG's panels and labels.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plot.h"
#include "ui.h"

static void test_formats(void **state) {
  (void)state;
  char b[64];
  ui_fmt_duration(b, sizeof(b), 3723);
  assert_string_equal(b, "1h 02m 03s");
  ui_fmt_duration(b, sizeof(b), 2 * 86400 + 5 * 3600 + 60);
  assert_string_equal(b, "2d 05h 01m");
  ui_fmt_count(b, sizeof(b), 9999);
  assert_string_equal(b, "9999");
  ui_fmt_count(b, sizeof(b), 123456);
  assert_string_equal(b, "123.5k");
  ui_fmt_count(b, sizeof(b), 45600000);
  assert_string_equal(b, "45.60M");
  ui_fmt_since(b, sizeof(b), 0, 100);
  assert_string_equal(b, "none yet");
  ui_fmt_since(b, sizeof(b), 90, 100);
  assert_string_equal(b, "0h 00m 10s ago");
}

static struct fz_stats sample(void) {
  struct fz_stats s;
  memset(&s, 0, sizeof(s));
  s.start_time = 1000;
  s.execs_done = 1234567;
  s.execs_per_sec = 98765.4;
  s.execs_ps_last_min = 100000;
  s.corpus_count = 42;
  s.corpus_found = 41;
  s.saved_crashes = 3;
  s.last_crash = 1050;
  s.stability = 100;
  s.bitmap_cvg = 12.5;
  s.edges_found = 512;
  s.banner = "./a-rather-long-target-name-that-must-not-break-the-frame";
  s.target_mode = "persistent shmem";
  return s;
}

static void test_screen_fits_80x25(void **state) {
  (void)state;
  char frame[4096];
  struct fz_stats s = sample();
  ui_render(frame, sizeof(frame), &s, "havoc", 1100);
  int lines = 0;
  for (char *p = frame, *nl; (nl = strchr(p, '\n')); p = nl + 1) {
    assert_int_equal(nl - p, UI_COLS);
    /* The boxes close at the right edge, at the same columns. */
    if (lines >= 1 && lines <= 17) {
      assert_true(p[0] == '|' || p[0] == '+');
      assert_true(p[44] == '|' || p[44] == '+');
      assert_true(p[79] == '|' || p[79] == '+');
    }
    lines++;
  }
  assert_int_equal(lines, UI_ROWS - 1); /* the last row stays free */
  assert_non_null(strstr(frame, "run time : 0h 01m 40s"));
  assert_non_null(strstr(frame, "saved crashes : 3"));
  assert_non_null(strstr(frame, "last crash : 0h 00m 50s ago"));
  assert_non_null(strstr(frame, "stability : 100.00%"));
  assert_non_null(strstr(frame, "map density : 12.50%"));
  assert_non_null(strstr(frame, "(havoc)"));
  assert_non_null(strstr(frame, "colour, i2s : unused (no -c)"));
}

/* With -c the stages box shows colourisation's and input-to-state's
   finds/execs, as afl-fuzz's "py/custom/rq" line does. */
static void test_screen_cmplog_stages(void **state) {
  (void)state;
  char frame[4096];
  struct fz_stats s = sample();
  s.cmplog = true;
  s.colour_finds = 1;
  s.colour_execs = 48;
  s.its_finds = 2;
  s.its_execs = 300;
  s.auto_dict_entries = 5;
  ui_render(frame, sizeof(frame), &s, "input-to-state", 1100);
  assert_non_null(strstr(frame, "colour, i2s : 1/48, 2/300"));
  assert_non_null(strstr(frame, "auto : 5 tokens"));
  assert_non_null(strstr(frame, "(input-to-state)"));
  char line[512];
  ui_plain_line(line, sizeof(line), &s, 1010);
  assert_non_null(strstr(line, ", input-to-state 2/300 finds/execs"));
  s.cmplog = false;
  ui_plain_line(line, sizeof(line), &s, 1010);
  assert_null(strstr(line, "input-to-state"));
}

static void test_plain_line(void **state) {
  (void)state;
  char line[512];
  struct fz_stats s = sample();
  ui_plain_line(line, sizeof(line), &s, 1010);
  assert_non_null(strstr(line, "lop-fuzz: 0h 00m 10s, 1234567 execs"));
  assert_non_null(strstr(line, "corpus 42 (41 new"));
  assert_non_null(strstr(line, "crashes 3"));
  assert_null(strchr(line, '\n'));
}

static const char plot_text[] =
    "# relative_time, cycles_done, cur_item, corpus_count, pending_total, "
    "pending_favs, map_size, saved_crashes, saved_hangs, max_depth, "
    "execs_per_sec, total_execs, edges_found\n"
    "0, 0, 0, 1, 1, 1, 0.01%, 0, 0, 1, 0.00, 10, 4\n"
    "5, 1, 2, 7, 3, 1, 0.05%, 1, 0, 3, 51234.50, 250000, 30\n";

static void test_plot_parse_and_svg(void **state) {
  (void)state;
  FILE *in = fmemopen((void *)plot_text, sizeof(plot_text) - 1, "r");
  struct plot_data d;
  char err[128];
  assert_true(plot_parse(in, &d, err, sizeof(err)));
  fclose(in);
  assert_int_equal(d.n, 2);
  assert_true(d.rows[1].t == 5 && d.rows[1].corpus == 7 &&
              d.rows[1].edges == 30 && d.rows[1].crashes == 1 &&
              d.rows[1].eps == 51234.5);
  char *svg = NULL;
  size_t n = 0;
  FILE *out = open_memstream(&svg, &n);
  assert_true(plot_svg(out, &d, "out/default"));
  fclose(out);
  assert_non_null(strstr(svg, "<svg"));
  assert_non_null(strstr(svg, "Corpus"));
  assert_non_null(strstr(svg, "Coverage"));
  assert_non_null(strstr(svg, "Crashes and hangs"));
  assert_non_null(strstr(svg, "execs per second"));
  assert_non_null(strstr(svg, "</svg>"));
  free(svg);
  plot_free(&d);
}

static void test_plot_bad_line(void **state) {
  (void)state;
  static const char bad[] = "# header\n1, 2, 3\n";
  FILE *in = fmemopen((void *)bad, sizeof(bad) - 1, "r");
  struct plot_data d;
  char err[128];
  assert_false(plot_parse(in, &d, err, sizeof(err)));
  fclose(in);
  assert_non_null(strstr(err, "line 2"));
  plot_free(&d);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_formats),
      cmocka_unit_test(test_screen_fits_80x25),
      cmocka_unit_test(test_screen_cmplog_stages),
      cmocka_unit_test(test_plain_line),
      cmocka_unit_test(test_plot_parse_and_svg),
      cmocka_unit_test(test_plot_bad_line),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
