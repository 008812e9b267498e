/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Unit tests of fuzz/output.c and fuzz/stats.c: AFL++ 4.04c's file names
 * for seeds, entries, imports, crashes and hangs; atomic saves (no temp
 * file left, an error naming the path); the output directory refused,
 * created and resumed (old queue moved aside, old crashes kept);
 * fuzzer_stats' keys, order and formats; plot_data's header and rows.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "output.h"
#include "stats.h"

static void test_names(void **state) {
  (void)state;
  char b[OUT_NAME_MAX];
  out_name_seed(b, sizeof(b), 3, 0, "seeds/hello.txt");
  assert_string_equal(b, "id:000003,time:0,execs:0,orig:hello.txt");
  struct out_desc d = {.src = 1,
                       .op = "havoc",
                       .pos = -1,
                       .rep = 8,
                       .time_ms = 1234,
                       .execs = 5678};
  out_name_entry(b, sizeof(b), 12, &d, true);
  assert_string_equal(
      b, "id:000012,src:000001,time:1234,execs:5678,op:havoc,rep:8,+cov");
  d.op = "splice", d.src2 = 4, d.has_src2 = true;
  out_name_entry(b, sizeof(b), 13, &d, false);
  assert_string_equal(
      b, "id:000013,src:000001+000004,time:1234,execs:5678,op:splice,rep:8");
  struct out_desc a = {.src = 2,
                       .op = "arith8",
                       .pos = 7,
                       .val = -3,
                       .has_val = true,
                       .time_ms = 1,
                       .execs = 2};
  out_name_entry(b, sizeof(b), 14, &a, false);
  assert_string_equal(
      b, "id:000014,src:000002,time:1,execs:2,op:arith8,pos:7,val:-3");
  a.val_be = true, a.val = 256, a.op = "int16";
  out_name_entry(b, sizeof(b), 15, &a, false);
  assert_non_null(strstr(b, ",op:int16,pos:7,val:be:+256"));
  struct out_desc s = {.src = 41, .sync = "other", .pos = -1};
  out_name_entry(b, sizeof(b), 16, &s, true);
  assert_string_equal(b, "id:000016,sync:other,src:000041,+cov");
  out_name_crash(b, sizeof(b), 0, 6, &d);
  assert_string_equal(
      b, "id:000000,sig:06,src:000001+000004,time:1234,execs:5678,op:splice,"
         "rep:8");
  out_name_hang(b, sizeof(b), 2, &s);
  assert_string_equal(b, "id:000002,sync:other,src:000041");
}

static char tmpdir[64];

static int make_tmp(void **state) {
  (void)state;
  snprintf(tmpdir, sizeof(tmpdir), "/tmp/lop-out-test.XXXXXX");
  return mkdtemp(tmpdir) ? 0 : -1;
}

static int rm_tmp(void **state) {
  (void)state;
  char cmd[128];
  snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
  return system(cmd) == 0 ? 0 : -1;
}

/* Number of entries of dir other than . and .. */
static int count_files(const char *dir) {
  DIR *d = opendir(dir);
  int n = 0;
  struct dirent *de;
  while (d && (de = readdir(d)))
    n += strcmp(de->d_name, ".") && strcmp(de->d_name, "..");
  if (d)
    closedir(d);
  return n;
}

static void test_save_atomic(void **state) {
  (void)state;
  char err[256], path[128], got[8] = {0};
  assert_true(
      out_save(tmpdir, "f", (const uint8_t *)"abc", 3, err, sizeof(err)));
  assert_int_equal(count_files(tmpdir), 1);
  snprintf(path, sizeof(path), "%s/f", tmpdir);
  FILE *f = fopen(path, "r");
  assert_non_null(f);
  assert_int_equal(fread(got, 1, sizeof(got), f), 3);
  fclose(f);
  assert_string_equal(got, "abc");
  struct stat st;
  assert_int_equal(stat(path, &st), 0);
  assert_int_equal(st.st_mode & 0777, 0600);
  assert_false(out_save("/nonexistent-dir", "f", (const uint8_t *)"a", 1, err,
                        sizeof(err)));
  assert_non_null(strstr(err, "/nonexistent-dir"));
}

static struct fz_opts opts(const char *out, bool resume) {
  struct fz_opts o;
  memset(&o, 0, sizeof(o));
  o.out_dir = out;
  o.name = "default";
  o.resume = resume;
  o.in_dir = resume ? NULL : "seeds";
  return o;
}

static void touch(const char *dir, const char *name) {
  char err[128];
  assert_true(out_save(dir, name, (const uint8_t *)"x", 1, err, sizeof(err)));
}

static void test_setup_refuse_and_resume(void **state) {
  (void)state;
  char out[128], q[160], c[160], err[512];
  struct out_dir d;
  snprintf(out, sizeof(out), "%s/out", tmpdir);
  struct fz_opts o = opts(out, true);
  assert_false(out_setup(&d, &o, err, sizeof(err)));
  assert_non_null(strstr(err, "holds none"));
  out_free(&d);
  o = opts(out, false);
  assert_true(out_setup(&d, &o, err, sizeof(err)));
  snprintf(q, sizeof(q), "%s/default/queue", out);
  snprintf(c, sizeof(c), "%s/default/crashes", out);
  touch(q, "id:000000,time:0,execs:0,orig:a");
  touch(c, "id:000000,sig:06,src:000000,time:1,execs:1,op:havoc,rep:2");
  out_free(&d);
  o = opts(out, false);
  assert_false(out_setup(&d, &o, err, sizeof(err)));
  assert_non_null(strstr(err, "holds an earlier run"));
  assert_non_null(strstr(err, "-i -"));
  out_free(&d);
  o = opts(out, true);
  assert_true(out_setup(&d, &o, err, sizeof(err)));
  assert_non_null(d.resume);
  assert_int_equal(count_files(d.resume), 2); /* the entry and .state */
  assert_int_equal(count_files(q), 1);        /* the new queue: only .state */
  assert_int_equal(count_files(c), 0);
  /* default/ now: queue crashes hangs .synced _resume crashes.<date> */
  char dir[160];
  snprintf(dir, sizeof(dir), "%s/default", out);
  assert_int_equal(count_files(dir), 6);
  out_drop_resume(&d);
  assert_int_equal(count_files(dir), 5);
  out_free(&d);
  o = opts(out, false);
  o.autoresume = true;
  assert_true(out_setup(&d, &o, err, sizeof(err))); /* no run: a fresh one */
  out_free(&d);
}

static void test_stats_format(void **state) {
  (void)state;
  struct fz_stats s;
  memset(&s, 0, sizeof(s));
  s.start_time = 1000;
  s.pid = 42;
  s.execs_done = 12345;
  s.execs_per_sec = 1234.5;
  s.corpus_count = 7;
  s.stability = 99.5;
  s.bitmap_cvg = 1.25;
  s.cpu_affinity = -1;
  s.banner = "./t $(rm -rf x) \"q\"";
  s.target_mode = "persistent";
  char *buf = NULL;
  size_t n = 0;
  FILE *f = open_memstream(&buf, &n);
  assert_true(stats_write(f, &s, 1100));
  fclose(f);
  assert_non_null(strstr(buf, "start_time        : 1000\n"
                              "last_update       : 1100\n"
                              "run_time          : 100\n"
                              "fuzzer_pid        : 42\n"));
  assert_non_null(strstr(buf, "execs_per_sec     : 1234.50\n"));
  assert_non_null(strstr(buf, "stability         : 99.50%\n"));
  assert_non_null(strstr(buf, "bitmap_cvg        : 1.25%\n"));
  assert_non_null(strstr(buf, "cpu_affinity      : -1\n"));
  assert_null(strchr(buf, '$'));
  assert_null(strchr(buf, '"'));
  assert_non_null(strstr(buf, "afl_version       : lop-fuzz-"));
  /* The order afl-fuzz's resume and afl-whatsup rely on. */
  static const char *const keys[] = {
      "start_time",      "last_update",       "run_time",
      "fuzzer_pid",      "cycles_done",       "cycles_wo_finds",
      "execs_done",      "execs_per_sec",     "execs_ps_last_min",
      "corpus_count",    "corpus_favored",    "corpus_found",
      "corpus_imported", "corpus_variable",   "max_depth",
      "cur_item",        "pending_favs",      "pending_total",
      "stability",       "bitmap_cvg",        "saved_crashes",
      "saved_hangs",     "last_find",         "last_crash",
      "last_hang",       "execs_since_crash", "exec_timeout",
      "slowest_exec_ms", "peak_rss_mb",       "cpu_affinity",
      "edges_found",     "total_edges",       "var_byte_count",
      "havoc_expansion", "auto_dict_entries", "testcache_size",
      "testcache_count", "testcache_evict",   "afl_banner",
      "afl_version",     "target_mode",       "command_line"};
  char *line = buf;
  for (size_t i = 0; i < sizeof(keys) / sizeof(*keys); i++) {
    char want[32];
    snprintf(want, sizeof(want), "%-18s: ", keys[i]);
    assert_true(strncmp(line, want, strlen(want)) == 0);
    line = strchr(line, '\n') + 1;
  }
  assert_int_equal(*line, 0);
  free(buf);
}

static void test_plot_rows(void **state) {
  (void)state;
  struct fz_stats s;
  memset(&s, 0, sizeof(s));
  s.start_time = 100;
  s.cycles_done = 2, s.cur_item = 3, s.corpus_count = 4;
  s.pending_total = 5, s.pending_favs = 1, s.bitmap_cvg = 0.5;
  s.saved_crashes = 6, s.saved_hangs = 7, s.max_depth = 8;
  s.execs_per_sec = 9.25, s.execs_done = 10, s.edges_found = 11;
  char *buf = NULL;
  size_t n = 0;
  FILE *f = open_memstream(&buf, &n);
  assert_true(stats_plot_row(f, &s, 160));
  fclose(f);
  assert_string_equal(buf, "60, 2, 3, 4, 5, 1, 0.50%, 6, 7, 8, 9.25, 10, 11\n");
  free(buf);
  assert_string_equal(
      stats_plot_header,
      "# relative_time, cycles_done, cur_item, corpus_count, pending_total, "
      "pending_favs, map_size, saved_crashes, saved_hangs, max_depth, "
      "execs_per_sec, total_execs, edges_found\n");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_names),
      cmocka_unit_test_setup_teardown(test_save_atomic, make_tmp, rm_tmp),
      cmocka_unit_test_setup_teardown(test_setup_refuse_and_resume, make_tmp,
                                      rm_tmp),
      cmocka_unit_test(test_stats_format),
      cmocka_unit_test(test_plot_rows),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
