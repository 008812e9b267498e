/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * afl-showmap: run a target once (or every file of a directory) through the
 * forkserver and write its coverage map, with AFL's flags, text format,
 * buckets and exit codes (PROTOCOL.md 6). Outputs are written to a temp
 * file and renamed, so a reader never sees half a map.
 */
#include "debug.h"
#include "forkserver.h"

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

/* Command line, as parsed. */
struct showmap_opts {
  const char *out;    /* -o: file, "-" or (batch) directory */
  const char *in_dir; /* -i */
  const char *file;   /* -f */
  uint32_t timeout_ms, mem_mb, map_size;
  bool quiet, edges, raw, binary, collect;
  char **argv; /* target */
};

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
      "  -C        with -i: write the union coverage of all inputs to -o file\n"
      "  -f file   deliver the input through this file (\"@@\" becomes it)\n"
      "  -t ms     timeout per run (default %u)\n"
      "  -m MB     memory limit of the target, or \"none\" (default none)\n"
      "  -e        edges only: every hit edge counts as 1\n"
      "  -r        raw hit counts, no bucketing\n"
      "  -b        binary map output (afl-fuzz buckets, byte 0 cleared)\n"
      "  -q        quiet: no status lines\n"
      "  -h        this help\n"
      "\n"
      "Exit code: 0 ok, 1 timeout or error, 2 crash.\n"
      "Environment: AFL_MAP_SIZE sets the map offered to a target that\n"
      "announces no size.\n",
      EXEC_TIMEOUT_MS);
}

/* Decimal u32 in [min, max]; FATAL naming the option otherwise. */
static uint32_t showmap_num(const char *s, char opt, uint32_t min,
                            uint32_t max) {
  char *end;
  errno = 0;
  unsigned long v = strtoul(s, &end, 10);
  if (errno || end == s || *end || v < min || v > max)
    FATAL("bad value '%s' for -%c; give a number from %u to %u", s, opt, min,
          max);
  return (uint32_t)v;
}

static void showmap_parse(int argc, char **argv, struct showmap_opts *o) {
  int c;
  *o = (struct showmap_opts){.timeout_ms = EXEC_TIMEOUT_MS,
                             .mem_mb = MEM_LIMIT_MB};
  opterr = 0;
  while ((c = getopt(argc, argv, "+o:i:f:t:m:qerbCh")) != -1) {
    switch (c) {
    case 'o':
      o->out = optarg;
      break;
    case 'i':
      o->in_dir = optarg;
      break;
    case 'f':
      o->file = optarg;
      break;
    case 't':
      o->timeout_ms = showmap_num(optarg, 't', 1, UINT32_MAX / FORK_WAIT_MULT);
      break;
    case 'm':
      o->mem_mb =
          strcmp(optarg, "none") ? showmap_num(optarg, 'm', 1, 1U << 20) : 0;
      break;
    case 'q':
      o->quiet = true;
      break;
    case 'e':
      o->edges = true;
      break;
    case 'r':
      o->raw = true;
      break;
    case 'b':
      o->binary = true;
      break;
    case 'C':
      o->collect = true;
      break;
    case 'h':
      showmap_usage();
      exit(0);
    case ':':
      FATAL("option -%c needs a value; see afl-showmap -h", optopt);
    default:
      if (strchr("oiftm", optopt))
        FATAL("option -%c needs a value; see afl-showmap -h", optopt);
      FATAL("unknown option '-%c'; see afl-showmap -h", optopt);
    }
  }
  if (optind >= argc)
    FATAL("no target given; usage: afl-showmap [options] -- /path/to/target");
  if (!o->out)
    FATAL("no output given; use -o file (or -o - for stdout)");
  if (o->collect && !o->in_dir)
    FATAL("-C needs -i dir; see afl-showmap -h");
  o->argv = argv + optind;
  const char *ms = getenv("AFL_MAP_SIZE");
  if (ms && *ms)
    o->map_size = showmap_num(ms, 'M', 2, MAP_SIZE_MAX);
}

/* The bucket table the flags ask for; -e wins over -r wins over -b. */
static enum fsrv_bucket showmap_bucket(const struct showmap_opts *o) {
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

/* Text or binary map to an open stream. */
static bool showmap_emit(FILE *out, const uint8_t *map, size_t n, bool binary) {
  if (binary)
    return fwrite(map, 1, n, out) == n && fflush(out) == 0;
  return fsrv_map_write_text(out, map, n) >= 0 && fflush(out) == 0;
}

/* Writes straight into an existing non-regular file (/dev/null, a FIFO,
   a terminal): renaming a temp file over it would replace the device. */
static void showmap_write_special(const char *path, const uint8_t *map,
                                  size_t n, bool binary) {
  FILE *out = fopen(path, "wb");
  if (!out)
    PFATAL("cannot open output '%s'", path);
  bool ok = showmap_emit(out, map, n, binary);
  if (fclose(out) != 0 || !ok)
    PFATAL("cannot write output '%s'", path);
}

/* Writes to a temp file next to path and renames it over path, so the
   output is complete or absent. The temp file is registered for removal
   on Ctrl-C. */
static void showmap_write(const char *path, const uint8_t *map, size_t n,
                          bool binary) {
  if (!strcmp(path, "-")) {
    if (!showmap_emit(stdout, map, n, binary))
      PFATAL("cannot write the map to stdout");
    return;
  }
  struct stat st;
  if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
    showmap_write_special(path, map, n, binary);
    return;
  }
  char tmp[PATH_MAX];
  const char *slash = strrchr(path, '/');
  int dlen = slash ? (int)(slash - path + 1) : 0;
  if (snprintf(tmp, sizeof(tmp), "%.*s.afl-showmap.XXXXXX", dlen, path) >=
      (int)sizeof(tmp))
    FATAL("output path '%s' is too long", path);
  int fd = mkstemp(tmp);
  if (fd < 0)
    PFATAL("cannot create a temp file for '%s'; check the directory", path);
  fsrv_cleanup_add_path(tmp);
  FILE *out = fdopen(fd, "wb");
  bool ok = out && showmap_emit(out, map, n, binary);
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

static void showmap_start(struct fsrv *f, const struct showmap_opts *o) {
  if (fsrv_init(f, o->argv, o->file, o->timeout_ms) != FSRV_E_OK)
    FATAL("%s", f->err);
  f->mem_limit_mb = o->mem_mb;
  f->map_size_req = o->map_size;
  if (fsrv_start(f) != FSRV_E_OK)
    FATAL("%s", f->err);
}

/* One run; FATAL on client errors and when the first run shows a map
   without a single edge (the target speaks the protocol but records
   nothing). Returns the verdict. */
static enum fsrv_verdict showmap_run(struct fsrv *f, const uint8_t *buf,
                                     size_t len, bool first) {
  enum fsrv_verdict v;
  if (fsrv_run(f, buf, len, &v) != FSRV_E_OK)
    FATAL("%s", f->err);
  if (v == FSRV_VERDICT_ERROR)
    FATAL("cannot execute target '%s'; check that it runs", f->target_path);
  if (first && v == FSRV_VERDICT_OK && fsrv_map_count(f->map, f->map_size) == 0)
    FATAL("no instrumentation detected in %s; build it with afl-clang-fast",
          f->target_path);
  return v;
}

/* Classified copy of the map with the alive byte cleared. */
static uint8_t *showmap_result(const struct fsrv *f,
                               const struct showmap_opts *o) {
  uint8_t *m = malloc(f->map_size);
  if (!m)
    FATAL("out of memory");
  memcpy(m, f->map, f->map_size);
  m[0] = 0;
  fsrv_map_classify(m, f->map_size, showmap_bucket(o));
  return m;
}

static int showmap_single(const struct showmap_opts *o) {
  struct fsrv f;
  size_t len;
  uint8_t *buf = showmap_slurp(NULL, &len);
  showmap_start(&f, o);
  enum fsrv_verdict v = showmap_run(&f, buf, len, true);
  uint8_t *m = showmap_result(&f, o);
  size_t n = f.map_size;
  fsrv_destroy(&f);
  showmap_write(o->out, m, n, o->binary);
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
  return (v == FSRV_VERDICT_CRASH) * 2 + (v == FSRV_VERDICT_HANG);
}

/* Non-hidden entries, in a stable (alphabetical) order; non-regular
   files are skipped later. */
static int showmap_filter(const struct dirent *d) {
  return d->d_name[0] != '.';
}

/* Max per index: the union a corpus covers, in the chosen buckets. */
static void showmap_union(uint8_t *acc, const uint8_t *m, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (m[i] > acc[i])
      acc[i] = m[i];
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
  uint8_t *m = showmap_result(f, o);
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
    showmap_write(out, m, f->map_size, o->binary);
  }
  free(buf);
  free(m);
}

static int showmap_batch(const struct showmap_opts *o) {
  struct dirent **ents;
  int n = scandir(o->in_dir, &ents, showmap_filter, alphasort);
  if (n < 0)
    PFATAL("cannot read input directory '%s'", o->in_dir);
  if (!o->collect && mkdir(o->out, 0700) < 0 && errno != EEXIST)
    PFATAL("cannot create output directory '%s'", o->out);
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
    showmap_write(o->out, acc, acc_n, o->binary);
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

int main(int argc, char **argv) {
  struct showmap_opts o;
  showmap_parse(argc, argv, &o);
  return o.in_dir ? showmap_batch(&o) : showmap_single(&o);
}
