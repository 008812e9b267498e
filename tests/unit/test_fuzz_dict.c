/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Unit tests of fuzz/dict.c: every rule of AFL++ 4.04c's `-x` line grammar
 * (labels, levels, [N], blanks, escapes, comments), every error with its
 * "FILE:LINE: what" message, `path@N`, dictionary directories, the sorted
 * and de-duplicated token list, and the handshake's automatic dictionary.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dict.h"

/* ---- helpers ------------------------------------------------------------- */

static char tmpdir[64];

static int make_tmp(void **state) {
  (void)state;
  strcpy(tmpdir, "/tmp/lop-dict-XXXXXX");
  return mkdtemp(tmpdir) ? 0 : -1;
}

static int remove_tmp(void **state) {
  (void)state;
  char cmd[128];
  snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
  return system(cmd) == 0 ? 0 : -1;
}

/* Write n bytes to tmpdir/name; returns the path (static buffer). */
static const char *put(const char *name, const void *data, size_t n) {
  static char path[256];
  snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  assert_int_equal(fwrite(data, 1, n, f), n);
  fclose(f);
  return path;
}

static const char *put_text(const char *name, const char *text) {
  return put(name, text, strlen(text));
}

/* Parse one line, expecting a token equal to want[0..wn). */
static void parse_ok(const char *line, unsigned level, const char *want,
                     size_t wn) {
  uint8_t out[DICT_MAX_TOKEN];
  uint32_t len = 0;
  const char *why = NULL;
  assert_int_equal(dict_parse_line(line, level, out, &len, &why), 1);
  assert_int_equal(len, wn);
  assert_memory_equal(out, want, wn);
}

static void parse_skip(const char *line, unsigned level) {
  uint8_t out[DICT_MAX_TOKEN];
  uint32_t len = 0;
  const char *why = NULL;
  assert_int_equal(dict_parse_line(line, level, out, &len, &why), 0);
}

/* Parse one line, expecting an error whose text contains `what`. */
static void parse_bad(const char *line, const char *what) {
  uint8_t out[DICT_MAX_TOKEN];
  uint32_t len = 0;
  const char *why = NULL;
  assert_int_equal(dict_parse_line(line, 0, out, &len, &why), -1);
  assert_non_null(why);
  if (!strstr(why, what))
    fail_msg("'%s' gave '%s', expected '%s'", line, why, what);
}

/* ---- one line ------------------------------------------------------------ */

static void test_line_forms(void **state) {
  (void)state;
  parse_ok("kw=\"abc\"", 0, "abc", 3);
  parse_ok("\"abc\"", 0, "abc", 3);
  parse_ok("key_1 = \"abc\"", 0, "abc", 3);
  parse_ok("  \t kw=\"a b\"  \t\r\n", 0, "a b", 3);
  parse_ok("kw[3]=\"x\"", 0, "x", 1);
  parse_ok("=\"x\"", 0, "x", 1);
  /* the value runs to the last quote: a bare quote inside is kept */
  parse_ok("\"a\"b\"", 0, "a\"b", 3);
  parse_ok("\"#not a comment\"", 0, "#not a comment", 14);
  parse_ok("\"\x7f\"", 0, "\x7f", 1);
}

static void test_line_escapes(void **state) {
  (void)state;
  parse_ok("\"\\\\\"", 0, "\\", 1);
  parse_ok("\"\\\"\"", 0, "\"", 1);
  parse_ok("\"\\x41\\x6a\\xFf\\x00\"", 0, "Aj\xff\x00", 4);
  parse_ok("\"a\\x0ab\"", 0, "a\nb", 3);
}

static void test_line_skipped(void **state) {
  (void)state;
  parse_skip("", 0);
  parse_skip("   \t\r\n", 0);
  parse_skip("# comment \"x\"", 0);
  parse_skip("   # indented comment", 0);
}

static void test_line_levels(void **state) {
  (void)state;
  parse_skip("kw@1=\"abc\"", 0);
  parse_ok("kw@1=\"abc\"", 1, "abc", 3);
  parse_ok("kw@1=\"abc\"", 5, "abc", 3);
  parse_ok("kw@0=\"abc\"", 0, "abc", 3);
  parse_skip("@12\"abc\"", 11);
  parse_ok("@12\"abc\"", 12, "abc", 3);
  /* an '@' without digits is level 0, as atoi gives AFL */
  parse_ok("kw@=\"abc\"", 0, "abc", 3);
}

static void test_line_errors(void **state) {
  (void)state;
  parse_bad("kw=\"abc", "does not end in '\"'");
  parse_bad("abc", "does not end in '\"'");
  parse_bad("kw=abc\"", "no '\"' opens the value");
  parse_bad("\"", "no '\"' opens the value");
  parse_bad("kw-1=\"abc\"", "no '\"' opens the value");
  parse_bad("kw=\"\"", "empty value");
  parse_bad("\"a\\qb\"", "bad escape");
  parse_bad("\"a\\x4\"", "bad escape");
  parse_bad("\"a\\xg0\"", "bad escape");
  parse_bad("\"a\\\"", "bad escape"); /* the last quote closes the value */
  parse_bad("\"a\tb\"", "non-printable");
  parse_bad("\"a\x01\"", "non-printable");
  parse_bad("\"a\xc3\xa9\"", "non-printable");
}

static void test_line_token_length(void **state) {
  (void)state;
  char line[4 * 130 + 8];
  char want[130];
  memset(want, 'A', sizeof(want));
  /* 128 bytes written as \x41 each: 512 characters, still one token */
  strcpy(line, "\"");
  for (int i = 0; i < 128; i++)
    strcat(line, "\\x41");
  strcat(line, "\"");
  parse_ok(line, 0, want, 128);
  line[0] = '"';
  memset(line + 1, 'A', 129);
  strcpy(line + 130, "\"");
  parse_bad(line, "longer than 128 bytes");
}

/* ---- the token list ------------------------------------------------------ */

static void test_add_sorted_dedup(void **state) {
  (void)state;
  struct dict d = {0};
  assert_true(dict_add(&d, (const uint8_t *)"ccc", 3));
  assert_true(dict_add(&d, (const uint8_t *)"a", 1));
  assert_true(dict_add(&d, (const uint8_t *)"bbb", 3));
  assert_true(dict_add(&d, (const uint8_t *)"ccc", 3));
  assert_true(dict_add(&d, (const uint8_t *)"dd", 2));
  assert_true(dict_add(&d, (const uint8_t *)"", 0));
  uint8_t big[DICT_MAX_TOKEN + 1] = {0};
  assert_true(dict_add(&d, big, sizeof(big)));
  assert_int_equal(d.n, 4);
  const char *want[] = {"a", "dd", "ccc", "bbb"};
  for (size_t i = 0; i < 4; i++) {
    assert_int_equal(d.tok[i].len, strlen(want[i]));
    assert_memory_equal(d.tok[i].data, want[i], d.tok[i].len);
  }
  dict_free(&d);
  assert_null(d.tok);
  assert_int_equal(d.n, 0);
}

static void test_add_full(void **state) {
  (void)state;
  struct dict d = {0};
  for (uint32_t i = 0; i < DICT_MAX_TOKENS; i++)
    assert_true(dict_add(&d, (const uint8_t *)&i, sizeof(i)));
  assert_int_equal(d.n, DICT_MAX_TOKENS);
  uint32_t one_more = DICT_MAX_TOKENS;
  assert_false(dict_add(&d, (const uint8_t *)&one_more, sizeof(one_more)));
  uint32_t dup = 7; /* a duplicate is no error even when full */
  assert_true(dict_add(&d, (const uint8_t *)&dup, sizeof(dup)));
  dict_free(&d);
}

/* ---- files -----------------------------------------------------------------
 */

static void load_bad(const char *path, const char *want) {
  struct dict d = {0};
  char err[512] = "";
  assert_false(dict_load(&d, path, err, sizeof(err)));
  if (strcmp(err, want) != 0)
    fail_msg("got '%s', expected '%s'", err, want);
  dict_free(&d);
}

static void test_file(void **state) {
  (void)state;
  const char *p = put_text("ok.dict", "# header\n"
                                      "\n"
                                      "kw1=\"GET\"\n"
                                      "kw2@2=\"POST\"\n"
                                      "\"\\x00\\x01\"   \n"
                                      "kw3=\"GET\"\n"
                                      "last=\"x\""); /* no final newline */
  struct dict d = {0};
  char err[256] = "";
  assert_true(dict_load(&d, p, err, sizeof(err)));
  assert_int_equal(d.n, 3); /* x, \0\1, GET; POST is level 2 */
  assert_memory_equal(d.tok[0].data, "x", 1);
  assert_memory_equal(d.tok[1].data, "\x00\x01", 2);
  assert_memory_equal(d.tok[2].data, "GET", 3);
  dict_free(&d);
  char lv[300];
  snprintf(lv, sizeof(lv), "%s@2", p);
  assert_true(dict_load(&d, lv, err, sizeof(err)));
  assert_int_equal(d.n, 4);
  assert_memory_equal(d.tok[3].data, "POST", 4);
  dict_free(&d);
}

static void test_file_errors(void **state) {
  (void)state;
  char want[512];
  const char *p = put_text("bad1.dict", "a=\"1\"\n# c\n\nb=\"2\n");
  snprintf(want, sizeof(want),
           "%s:4: line does not end in '\"'; write name=\"value\" or "
           "\"value\"",
           p);
  load_bad(p, want);
  p = put_text("bad2.dict", "\"\\q\"\n");
  snprintf(want, sizeof(want),
           "%s:1: bad escape; only \\\\, \\\" and \\xNN are allowed", p);
  load_bad(p, want);
  p = put_text("bad3.dict", "a=\"1\"\n\"x\ty\"\n");
  snprintf(want, sizeof(want),
           "%s:2: non-printable character in the value; write it as \\xNN", p);
  load_bad(p, want);
  p = put("bad4.dict", "\"a\"\n\"a\0b\"\n", 10);
  snprintf(want, sizeof(want), "%s:2: NUL byte in the line; write it as \\x00",
           p);
  load_bad(p, want);
  char big[200] = "\n\n\n\"";
  memset(big + 4, 'z', 129);
  strcpy(big + 133, "\"\n");
  p = put_text("bad5.dict", big);
  snprintf(want, sizeof(want), "%s:4: token longer than 128 bytes", p);
  load_bad(p, want);
  p = put_text("bad6.dict", "k=\"\"\n");
  snprintf(want, sizeof(want), "%s:1: empty value", p);
  load_bad(p, want);
  snprintf(want, sizeof(want), "%s/missing.dict: No such file or directory",
           tmpdir);
  char missing[300];
  snprintf(missing, sizeof(missing), "%s/missing.dict", tmpdir);
  load_bad(missing, want);
}

/* A dictionary holds at most DICT_MAX_TOKENS tokens. */
static void test_file_too_many(void **state) {
  (void)state;
  char *text = malloc((DICT_MAX_TOKENS + 1) * 12);
  assert_non_null(text);
  text[0] = '\0';
  for (unsigned i = 0; i <= DICT_MAX_TOKENS; i++)
    sprintf(text + strlen(text), "\"t%u\"\n", i);
  char want[512];
  const char *p = put_text("many.dict", text);
  snprintf(want, sizeof(want), "%s: more than 4096 dictionary tokens", p);
  load_bad(p, want);
  free(text);
}

/* A file that opens but cannot be read is an error, not an empty
   dictionary (reading /proc/self/mem at offset 0 fails with EIO). */
static void test_file_read_error(void **state) {
  (void)state;
  load_bad("/proc/self/mem", "/proc/self/mem: read error");
}

/* An error on a later line keeps the tokens read before it in d (the
   caller stops anyway); a second -x file adds to the same dictionary. */
static void test_two_files(void **state) {
  (void)state;
  char a[300], b[300], err[256];
  snprintf(a, sizeof(a), "%s", put_text("a.dict", "\"one\"\n\"two\"\n"));
  snprintf(b, sizeof(b), "%s", put_text("b.dict", "\"two\"\n\"three\"\n"));
  struct dict d = {0};
  assert_true(dict_load(&d, a, err, sizeof(err)));
  assert_true(dict_load(&d, b, err, sizeof(err)));
  assert_int_equal(d.n, 3);
  dict_free(&d);
}

/* ---- directories ------------------------------------------------------------
 */

static void test_dir(void **state) {
  (void)state;
  char dir[300], path[400], err[256];
  snprintf(dir, sizeof(dir), "%s/tokens", tmpdir);
  assert_int_equal(mkdir(dir, 0700), 0);
  put("tokens/b", "\x89PNG", 4);
  put("tokens/a", "IHDR\"\\", 6); /* raw bytes, no escapes in files */
  put("tokens/empty", "", 0);
  snprintf(path, sizeof(path), "%s/sub", dir);
  assert_int_equal(mkdir(path, 0700), 0);
  snprintf(path, sizeof(path), "%s/link", dir);
  assert_int_equal(symlink("b", path), 0);
  struct dict d = {0};
  assert_true(dict_load(&d, dir, err, sizeof(err)));
  assert_int_equal(d.n, 2);
  assert_memory_equal(d.tok[0].data, "\x89PNG", 4);
  assert_memory_equal(d.tok[1].data, "IHDR\"\\", 6);
  dict_free(&d);

  char big[DICT_MAX_TOKEN + 1];
  memset(big, 'q', sizeof(big));
  const char *p = put("tokens/zbig", big, sizeof(big));
  char want[512];
  snprintf(want, sizeof(want), "%s: token longer than 128 bytes (129 bytes)",
           p);
  load_bad(dir, want);

  snprintf(path, sizeof(path), "%s@1", dir);
  snprintf(want, sizeof(want),
           "%s: a directory has no levels; drop the @1 or use a file", dir);
  load_bad(path, want);
}

/* A path whose '@' is not followed by digits only is taken as it is. */
static void test_at_in_path(void **state) {
  (void)state;
  char dir[300], err[256];
  snprintf(dir, sizeof(dir), "%s/at@home", tmpdir);
  assert_int_equal(mkdir(dir, 0700), 0);
  const char *p = put_text("at@home/d@x", "\"tok\"\n");
  struct dict d = {0};
  assert_true(dict_load(&d, p, err, sizeof(err)));
  assert_int_equal(d.n, 1);
  dict_free(&d);
}

/* ---- the automatic dictionary
 * ------------------------------------------------ */

static void test_auto(void **state) {
  (void)state;
  struct dict d = {0};
  static const uint8_t blob[] = {3,   'a', 'b', 'c', 0,   4,   'W',
                                 'X', 'Y', 'Z', 3,   'a', 'b', 'c'};
  assert_int_equal(dict_load_auto(&d, blob, sizeof(blob)), 2);
  assert_int_equal(d.n, 2);
  assert_memory_equal(d.tok[0].data, "abc", 3);
  assert_memory_equal(d.tok[1].data, "WXYZ", 4);
  dict_free(&d);
}

/* A record running past the end stops the parse (afl-forkserver.c keeps a
   record only while its last byte is inside the blob). */
static void test_auto_truncated(void **state) {
  (void)state;
  struct dict d = {0};
  static const uint8_t blob[] = {3, 'a', 'b', 'c', 5, 'x', 'y', 3, 'd'};
  assert_int_equal(dict_load_auto(&d, blob, sizeof(blob)), 1);
  assert_int_equal(dict_load_auto(&d, blob, 3), 0);
  assert_int_equal(dict_load_auto(&d, blob, 0), 0);
  dict_free(&d);
}

/* Records longer than DICT_MAX_TOKEN are skipped, the parse goes on. */
static void test_auto_long_record(void **state) {
  (void)state;
  uint8_t blob[1 + 200 + 4];
  blob[0] = 200;
  memset(blob + 1, 'L', 200);
  memcpy(blob + 201, "\x03xyz", 4);
  struct dict d = {0};
  assert_int_equal(dict_load_auto(&d, blob, sizeof(blob)), 1);
  assert_memory_equal(d.tok[0].data, "xyz", 3);
  dict_free(&d);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_line_forms),
      cmocka_unit_test(test_line_escapes),
      cmocka_unit_test(test_line_skipped),
      cmocka_unit_test(test_line_levels),
      cmocka_unit_test(test_line_errors),
      cmocka_unit_test(test_line_token_length),
      cmocka_unit_test(test_add_sorted_dedup),
      cmocka_unit_test(test_add_full),
      cmocka_unit_test(test_file),
      cmocka_unit_test(test_file_errors),
      cmocka_unit_test(test_file_too_many),
      cmocka_unit_test(test_file_read_error),
      cmocka_unit_test(test_two_files),
      cmocka_unit_test(test_dir),
      cmocka_unit_test(test_at_in_path),
      cmocka_unit_test(test_auto),
      cmocka_unit_test(test_auto_truncated),
      cmocka_unit_test(test_auto_long_record),
  };
  return cmocka_run_group_tests(tests, make_tmp, remove_tmp);
}
