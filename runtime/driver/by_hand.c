/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * The libFuzzer driver started by hand (see driver.h): the harness runs
 * once on each named file, and on the files of named directories, with
 * the lines a libFuzzer user knows from reproducing a crash. No signal
 * handler is installed, so a crashing input kills the process with its own
 * signal and a sanitizer's report appears as usual.
 */
#include "driver.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* The inputs to run, in order. */
struct lf_list {
  char **v;
  size_t n, cap;
};

/* Prints "error: <msg>" on stderr and exits 1. */
__attribute__((noreturn, format(printf, 1, 2))) static void
lf_fail(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("error: ", stderr);
  /* NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized) */
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  exit(1);
}

/* Appends a copy of path to l. */
static void lf_add(struct lf_list *l, const char *path) {
  if (l->n == l->cap) {
    l->cap = l->cap ? l->cap * 2 : 16;
    l->v = realloc(l->v, l->cap * sizeof(*l->v));
  }
  if (!l->v || !(l->v[l->n++] = strdup(path)))
    lf_fail("out of memory listing the inputs");
}

/* scandir filter: leaves out ".", ".." and hidden entries (AFL's
   queue/.state). */
static int lf_visible(const struct dirent *e) { return e->d_name[0] != '.'; }

/* Adds path to l, or every file below it when it is a directory. */
static void lf_walk(struct lf_list *l, const char *path) {
  struct stat st;
  struct dirent **names;
  if (stat(path, &st) != 0)
    lf_fail("cannot read input %s (%s); name readable files or directories, "
            "or none to read stdin",
            path, strerror(errno));
  if (!S_ISDIR(st.st_mode)) {
    lf_add(l, path);
    return;
  }
  int n = scandir(path, &names, lf_visible, alphasort);
  if (n < 0)
    lf_fail("cannot list directory %s (%s); name a readable directory", path,
            strerror(errno));
  for (int i = 0; i < n; i++) {
    char *child = NULL;
    if (asprintf(&child, "%s/%s", path, names[i]->d_name) < 0)
      lf_fail("out of memory listing %s", path);
    lf_walk(l, child);
    free(child);
    free(names[i]);
  }
  free(names);
}

/* Milliseconds on the monotonic clock. */
static long long lf_now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Runs cb once on the file at path, between libFuzzer's two lines. */
static void lf_run_file(const char *path, lf_callback cb) {
  size_t len;
  uint8_t *data = lop_lf_read_input(path, SIZE_MAX, &len);
  if (!data)
    lf_fail("cannot read input %s (%s); name readable files", path,
            strerror(errno));
  fprintf(stderr, "Running: %s\n", path);
  long long start = lf_now_ms();
  cb(data, len);
  fprintf(stderr, "Executed %s in %lld ms\n", path, lf_now_ms() - start);
  free(data);
}

/* Runs cb once on stdin, with nothing printed. */
static void lf_run_stdin(lf_callback cb) {
  size_t len;
  uint8_t *data = lop_lf_read_input(NULL, SIZE_MAX, &len);
  if (!data)
    lf_fail("cannot read stdin (%s)", strerror(errno));
  cb(data, len);
  free(data);
}

int lop_lf_run_by_hand(int argc, char **argv, lf_callback cb) {
  struct lf_list l = {NULL, 0, 0};
  bool named = false;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "-") == 0) {
      lf_add(&l, argv[i]);
      named = true;
    } else if (argv[i][0] != '-') {
      lf_walk(&l, argv[i]);
      named = true;
    }
  }
  if (!named) {
    free(l.v);
    lf_run_stdin(cb);
    return 0;
  }
  fprintf(stderr, "%s: Running %zu inputs 1 time(s) each.\n", argv[0], l.n);
  for (size_t i = 0; i < l.n; i++) {
    lf_run_file(l.v[i], cb);
    free(l.v[i]);
  }
  free(l.v);
  fputs("***\n*** NOTE: fuzzing was not performed, you have only\n"
        "***       executed the target code on a fixed set of inputs.\n***\n",
        stderr);
  return 0;
}
