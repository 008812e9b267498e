/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * afl-showmap: run a target once (or every file of a directory) through the
 * forkserver and write its coverage map, with AFL's flags, text format,
 * buckets and exit codes (PROTOCOL.md 6), including the afl-cmin format of
 * -Z and its AFL_CMIN_* switches. Outputs are written to a temp file and
 * renamed, so a reader never sees half a map.
 */
#include "debug.h"
#include "forkserver.h"
#include "showmap/opts.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *lop_progname = "afl-showmap";

/* Map statistics printed in the status line. */
struct showmap_stats {
  uint32_t tuples, highest;
  uint64_t total;
};

static void showmap_usage(void) {
  printf(
      "usage: afl-showmap [options] -- /path/to/target [args, @@ = input "
      "file]\n"
      "\n"
      "Runs the target on one input (stdin of afl-showmap) or on every file\n"
      "of -i dir and writes the coverage map as \"edge:count\" lines.\n"
      "\n"
      "  -o file   output file (\"-\" = stdout); with -i: output directory\n"
      "  -i dir    run every file in dir, one output file per input in -o dir\n"
      "  -C        with -i: write every edge any input hit (as 1) to -o file\n"
      "  -f file   deliver the input through this file (\"@@\" becomes it)\n"
      "  -H file   read the input from file instead of stdin (with -i: as -f)\n"
      "  -t ms     timeout per run, or \"none\" (default %u)\n"
      "  -m MB     memory limit of the target, or \"none\" (default none)\n"
      "  -e        edges only: every hit edge counts as 1\n"
      "  -r        raw hit counts, no bucketing\n"
      "  -s        do not classify the map at all (not even -e)\n"
      "  -b        binary map output (afl-fuzz buckets, byte 0 cleared)\n"
      "  -Z        afl-cmin format: \"<value><index>\" lines; implies -q\n"
      "  -c        allow the target to dump core\n"
      "  -q        quiet: no status lines\n"
      "  -h        this help\n"
      "\n"
      "Exit code: 0 ok (and after a whole -i dir), 1 timeout or error, 2 "
      "crash.\n"
      "Environment: AFL_MAP_SIZE sets the map offered to a target that\n"
      "announces no size; with -Z, AFL_CMIN_CRASHES_ONLY keeps only crashing\n"
      "inputs and AFL_CMIN_ALLOW_ANY keeps crashing inputs too.\n",
      EXEC_TIMEOUT_MS);
}

/* The bucket table the flags ask for; -s wins over -e wins over -r wins
   over -b. */
static enum fsrv_bucket showmap_bucket(const struct showmap_opts *o) {
  if (o->no_classify)
    return FSRV_BUCKET_RAW;
  if (o->edges)
    return FSRV_BUCKET_EDGES;
  if (o->raw)
    return FSRV_BUCKET_RAW;
  return o->binary ? FSRV_BUCKET_FUZZER : FSRV_BUCKET_HUMAN;
}

static struct showmap_stats showmap_stats(const uint8_t *map, size_t n) {
  struct showmap_stats s = {0, 0, 0};
  for (size_t i = 1; i < n; i++) {
    if (!map[i])
      continue;
    s.tuples++;
    s.total += map[i];
    if (map[i] > s.highest)
      s.highest = map[i];
  }
  return s;
}

/* afl-cmin's format: value then index, no separator (AFL 2.57b and AFL++
   4.04c print "%u%u"); byte 0 is never an edge. */
static bool showmap_emit_cmin(FILE *out, const uint8_t *map, size_t n) {
  for (size_t i = 1; i < n; i++)
    if (map[i] && fprintf(out, "%u%zu\n", map[i], i) < 0)
      return false;
  return true;
}

/* Text, cmin or binary map to an open stream. */
static bool showmap_emit(FILE *out, const uint8_t *map, size_t n,
                         const struct showmap_opts *o) {
  if (o->binary)
    return fwrite(map, 1, n, out) == n && fflush(out) == 0;
  if (o->cmin)
    return showmap_emit_cmin(out, map, n) && fflush(out) == 0;
  return fsrv_map_write_text(out, map, n) >= 0 && fflush(out) == 0;
}

/* Writes straight into an existing non-regular file (/dev/null, a FIFO,
   a terminal): renaming a temp file over it would replace the device. */
static void showmap_write_special(const char *path, const uint8_t *map,
                                  size_t n, const struct showmap_opts *o) {
  FILE *out = fopen(path, "wb");
  if (!out)
    PFATAL("cannot open output '%s'", path);
  bool ok = showmap_emit(out, map, n, o);
  if (fclose(out) != 0 || !ok)
    PFATAL("cannot write output '%s'", path);
}

/* Creates the temp file tmp (a mkstemp template) for output path and
   registers it for removal, with signals held back in between so Ctrl-C
   cannot leave it behind. Returns its descriptor; FATAL on failure. */
static int showmap_mktemp(char *tmp, const char *path) {
  sigset_t old;
  fsrv_cleanup_block(&old);
  int fd = mkstemp(tmp);
  bool registered = fd >= 0 && fsrv_cleanup_add_path(tmp);
  if (fd >= 0 && !registered)
    unlink(tmp);
  fsrv_cleanup_unblock(&old);
  if (fd < 0)
    PFATAL("cannot create a temp file for '%s'; check the directory", path);
  if (!registered)
    FATAL("out of memory registering a temp file for '%s'", path);
  return fd;
}

/* Writes to a temp file next to path and renames it over path, so the
   output is complete or absent. The temp file is registered for removal
   on Ctrl-C. */
static void showmap_write(const char *path, const uint8_t *map, size_t n,
                          const struct showmap_opts *o) {
  if (!strcmp(path, "-")) {
    if (!showmap_emit(stdout, map, n, o))
      PFATAL("cannot write the map to stdout");
    return;
  }
  struct stat st;
  if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
    showmap_write_special(path, map, n, o);
    return;
  }
  char tmp[PATH_MAX];
  const char *slash = strrchr(path, '/');
  int dlen = slash ? (int)(slash - path + 1) : 0;
  if (snprintf(tmp, sizeof(tmp), "%.*s.afl-showmap.XXXXXX", dlen, path) >=
      (int)sizeof(tmp))
    FATAL("output path '%s' is too long", path);
  int fd = showmap_mktemp(tmp, path);
  FILE *out = fdopen(fd, "wb");
  bool ok = out && showmap_emit(out, map, n, o);
  ok = (out ? fclose(out) == 0 : (close(fd), false)) && ok;
  if (!ok || rename(tmp, path) < 0) {
    int e = errno;
    unlink(tmp);
    fsrv_cleanup_del_path(tmp);
    errno = e;
    PFATAL("cannot write output '%s'", path);
  }
  fsrv_cleanup_del_path(tmp);
}

/* Whole file (or stdin for NULL) into memory; FATAL when unreadable. */
static uint8_t *showmap_slurp(const char *path, size_t *len) {
  FILE *in = path ? fopen(path, "rb") : stdin;
  if (!in)
    PFATAL("cannot read input '%s'", path);
  size_t cap = 65536, n = 0, got;
  uint8_t *buf = malloc(cap);
  while (buf && (got = fread(buf + n, 1, cap - n, in)) > 0) {
    if ((n += got) < cap)
      continue;
    uint8_t *bigger = realloc(buf, cap *= 2);
    if (!bigger)
      free(buf); /* the FATAL below exits; no half state left */
    buf = bigger;
  }
  if (!buf)
    FATAL("out of memory reading '%s'", path ? path : "stdin");
  if (ferror(in))
    PFATAL("cannot read input '%s'", path ? path : "stdin");
  if (path)
    fclose(in);
  *len = n;
  return buf;
}

/* Starts the forkserver; persistent and deferred targets are detected by
   the client, testcases go through shared memory when the target asks. In
   batch mode -H names the delivery file as -f does. */
static void showmap_start(struct fsrv *f, const struct showmap_opts *o) {
  const char *file = o->file || !o->in_dir ? o->file : o->in_file;
  if (fsrv_init(f, o->argv, file, o->timeout_ms) != FSRV_E_OK)
    FATAL("%s", f->err);
  f->mem_limit_mb = o->mem_mb;
  f->map_size_req = o->map_size;
  f->keep_cores = o->keep_cores;
  f->offer_shm_testcase = true;
  if (fsrv_start(f) != FSRV_E_OK)
    FATAL("%s", f->err);
}

/* The bytes of an input a run delivers: all of them, except through the
   shared-memory testcase, which holds MAX_FILE; a longer input is cut to
   that, as afl-fuzz does, with one warning per afl-showmap run. */
static size_t showmap_fit(const struct fsrv *f, size_t len) {
  static bool warned;
  if (!f->shm_testcase || len <= MAX_FILE)
    return len;
  if (!warned)
    WARNF("input of %zu bytes truncated to the %u byte shared-memory "
          "testcase limit, as afl-fuzz does",
          len, MAX_FILE);
  warned = true;
  return MAX_FILE;
}

/* One run; FATAL on client errors and when the first run shows a map
   without a single edge (the target speaks the protocol but records
   nothing). Returns the verdict. */
static enum fsrv_verdict showmap_run(struct fsrv *f, const uint8_t *buf,
                                     size_t len, bool first) {
  enum fsrv_verdict v;
  if (fsrv_run(f, buf, showmap_fit(f, len), &v) != FSRV_E_OK)
    FATAL("%s", f->err);
  if (v == FSRV_VERDICT_ERROR)
    FATAL("cannot execute target '%s'; check that it runs", f->target_path);
  if (first && v == FSRV_VERDICT_OK && fsrv_map_count(f->map, f->map_size) == 0)
    FATAL("no instrumentation detected in %s; build it with afl-clang-fast",
          f->target_path);
  return v;
}

/* -Z leaves out timed-out runs, and crashing runs unless
   AFL_CMIN_ALLOW_ANY; AFL_CMIN_CRASHES_ONLY keeps only crashing runs. */
static bool showmap_cmin_drops(const struct showmap_opts *o,
                               enum fsrv_verdict v) {
  bool crashed = v == FSRV_VERDICT_CRASH;
  return o->cmin && (v == FSRV_VERDICT_HANG ||
                     (!o->allow_any && crashed != o->crashes_only));
}

/* Classified copy of the map with the alive byte cleared; all zero when
   -Z drops the run (afl-cmin then reads an empty file). */
static uint8_t *showmap_result(const struct fsrv *f,
                               const struct showmap_opts *o,
                               enum fsrv_verdict v) {
  uint8_t *m = calloc(1, f->map_size);
  if (!m)
    FATAL("out of memory");
  if (showmap_cmin_drops(o, v))
    return m;
  memcpy(m, f->map, f->map_size);
  m[0] = 0;
  fsrv_map_classify(m, f->map_size, showmap_bucket(o));
  return m;
}

static int showmap_single(const struct showmap_opts *o) {
  struct fsrv f;
  size_t len;
  uint8_t *buf = showmap_slurp(o->in_file, &len);
  showmap_start(&f, o);
  enum fsrv_verdict v = showmap_run(&f, buf, len, true);
  uint8_t *m = showmap_result(&f, o, v);
  size_t n = f.map_size;
  fsrv_destroy(&f);
  showmap_write(o->out, m, n, o);
  struct showmap_stats s = showmap_stats(m, n);
  if (!o->quiet) {
    if (v == FSRV_VERDICT_HANG)
      SAYF("target timed out after %u ms", o->timeout_ms);
    if (v == FSRV_VERDICT_CRASH)
      SAYF("target crashed");
    SAYF("captured %u tuples (highest value %u, total values %" PRIu64
         ") in \"%s\"",
         s.tuples, s.highest, s.total, o->out);
  }
  free(buf);
  free(m);
  if (o->cmin && o->crashes_only) /* AFL++: a crash is what was asked for */
    return v == FSRV_VERDICT_HANG;
  return (v == FSRV_VERDICT_CRASH) * 2 + (v == FSRV_VERDICT_HANG);
}

/* Non-hidden entries, in a stable (alphabetical) order; non-regular
   files are skipped later. */
static int showmap_filter(const struct dirent *d) {
  return d->d_name[0] != '.';
}

/* The union a corpus covers: every edge any input hit, as 1 (AFL++'s -C
   counts edges, not hit counts). */
static void showmap_union(uint8_t *acc, const uint8_t *m, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (m[i])
      acc[i] = 1;
}

static void showmap_batch_one(struct fsrv *f, const struct showmap_opts *o,
                              const char *name, uint8_t **acc, size_t *acc_n,
                              int *counts) {
  char in[PATH_MAX], out[PATH_MAX];
  struct stat st;
  snprintf(in, sizeof(in), "%s/%s", o->in_dir, name);
  if (stat(in, &st) < 0 || !S_ISREG(st.st_mode))
    return;
  size_t len;
  uint8_t *buf = showmap_slurp(in, &len);
  enum fsrv_verdict v = showmap_run(f, buf, len, counts[0] == 0);
  uint8_t *m = showmap_result(f, o, v);
  counts[0]++;
  counts[1] += v == FSRV_VERDICT_CRASH;
  counts[2] += v == FSRV_VERDICT_HANG;
  if (o->collect) {
    if (!*acc && !(*acc = calloc(1, f->map_size)))
      FATAL("out of memory");
    *acc_n = f->map_size;
    showmap_union(*acc, m, f->map_size);
  } else {
    if (snprintf(out, sizeof(out), "%s/%s", o->out, name) >= (int)sizeof(out))
      FATAL("output path for '%s' is too long", name);
    showmap_write(out, m, f->map_size, o);
  }
  free(buf);
  free(m);
}

/* With -i (and no -C), -o is a directory: made when missing, refused
   before any run when it is something else. */
static void showmap_out_dir(const char *path) {
  struct stat st;
  if (mkdir(path, 0700) < 0 && errno != EEXIST)
    PFATAL("cannot create output directory '%s'", path);
  if (stat(path, &st) < 0)
    PFATAL("cannot use output directory '%s'", path);
  if (!S_ISDIR(st.st_mode))
    FATAL("with -i, -o must be a directory: '%s' is not one; give a "
          "directory (or -C for one union map)",
          path);
}

static int showmap_batch(const struct showmap_opts *o) {
  struct dirent **ents;
  int n = scandir(o->in_dir, &ents, showmap_filter, alphasort);
  if (n < 0)
    PFATAL("cannot read input directory '%s'", o->in_dir);
  if (!o->collect)
    showmap_out_dir(o->out);
  struct fsrv f;
  showmap_start(&f, o);
  uint8_t *acc = NULL;
  size_t acc_n = 0;
  int counts[3] = {0, 0, 0};
  for (int i = 0; i < n; i++) {
    showmap_batch_one(&f, o, ents[i]->d_name, &acc, &acc_n, counts);
    free(ents[i]);
  }
  free(ents);
  fsrv_destroy(&f);
  if (counts[0] == 0)
    FATAL("no input files in '%s'; put at least one file there", o->in_dir);
  if (o->collect) {
    showmap_write(o->out, acc, acc_n, o);
    struct showmap_stats s = showmap_stats(acc, acc_n);
    if (!o->quiet)
      SAYF("captured %u tuples (highest value %u, total values %" PRIu64
           ") in \"%s\"",
           s.tuples, s.highest, s.total, o->out);
    free(acc);
  }
  if (!o->quiet)
    SAYF("processed %d input files (%d crashes, %d timeouts) into \"%s\"",
         counts[0], counts[1], counts[2], o->out);
  return 0;
}

/* getenv() for showmap_opts_parse(). */
static const char *showmap_getenv(const char *name) { return getenv(name); }

int main(int argc, char **argv) {
  struct showmap_opts o;
  char *err = NULL;
  switch (showmap_opts_parse(argc, argv, showmap_getenv, &o, &err)) {
  case SHOWMAP_HELP:
    showmap_usage();
    return 0;
  case SHOWMAP_ERROR:
    FATAL("%s", err ? err : "out of memory");
  case SHOWMAP_RUN:
    break;
  }
  return o.in_dir ? showmap_batch(&o) : showmap_single(&o);
}
