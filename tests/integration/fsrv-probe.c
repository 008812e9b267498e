/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * fsrv-probe: the integration tests' window into the forkserver client.
 * Starts the target once, prints what the handshake found, then runs every
 * input file named on stdin (one path a line) and prints pid, raw status,
 * verdict, edge count, map hash and whether the run ended in lop's fast
 * persistent protocol, per run, in a format shell tests grep.
 */
#include "debug.h"
#include "forkserver.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *lop_progname = "fsrv-probe";

static void usage(void) {
  printf("usage: fsrv-probe [-t ms] [-f file] [-s] [-S] [-n] -- target args\n"
         "  reads input file paths from stdin, one a line\n"
         "  -t ms    per-run timeout (default %u)\n"
         "  -f file  deliver inputs through this file (\"@@\" becomes it)\n"
         "  -s       use shared-memory testcases if the target offers them\n"
         "  -S       standard persistent protocol only (no fast protocol)\n"
         "  -n       handshake only: print the hello line and stop\n",
         EXEC_TIMEOUT_MS);
}

/* Reads a whole input file; exits with a one-line error when it cannot. */
static uint8_t *probe_read(const char *path, size_t *len) {
  FILE *in = fopen(path, "rb");
  if (!in)
    PFATAL("cannot read input '%s'", path);
  size_t cap = 4096, n = 0;
  uint8_t *buf = malloc(cap);
  size_t got;
  while (buf && (got = fread(buf + n, 1, cap - n, in)) > 0) {
    n += got;
    if (n == cap)
      buf = realloc(buf, cap *= 2);
  }
  if (!buf || ferror(in))
    FATAL("cannot read input '%s'", path);
  fclose(in);
  *len = n;
  return buf;
}

static void probe_one(struct fsrv *f, const char *path) {
  size_t len;
  uint8_t *buf = probe_read(path, &len);
  enum fsrv_verdict v;
  if (fsrv_run(f, buf, len, &v) != FSRV_E_OK)
    FATAL("%s", f->err);
  free(buf);
  printf("pid=%d status=0x%x verdict=%s edges=%u hash=%016" PRIx64 " fast=%d\n",
         (int)f->child_pid, (unsigned)f->status, fsrv_verdict_name(v),
         fsrv_map_count(f->map, f->map_size),
         fsrv_map_hash(f->map, f->map_size), f->fast_persist);
  fflush(stdout);
}

int main(int argc, char **argv) {
  uint32_t timeout = EXEC_TIMEOUT_MS;
  const char *file = NULL;
  bool shm = false, only_hello = false, standard = false;
  int opt;
  opterr = 0;
  while ((opt = getopt(argc, argv, "+t:f:sSnh")) != -1) {
    switch (opt) {
    case 't': {
      char *end;
      unsigned long t = strtoul(optarg, &end, 10);
      if (*end || t == 0 || t > UINT32_MAX / FORK_WAIT_MULT)
        FATAL("bad timeout '%s'; give milliseconds, e.g. -t 1000", optarg);
      timeout = (uint32_t)t;
      break;
    }
    case 'f':
      file = optarg;
      break;
    case 's':
      shm = true;
      break;
    case 'S':
      standard = true;
      break;
    case 'n':
      only_hello = true;
      break;
    case 'h':
      usage();
      return 0;
    default:
      FATAL("unknown option '-%c'; see fsrv-probe -h", optopt);
    }
  }
  if (optind >= argc)
    FATAL("no target given; usage: fsrv-probe [options] -- target args");
  struct fsrv f;
  if (fsrv_init(&f, argv + optind, file, timeout) != FSRV_E_OK)
    FATAL("%s", f.err);
  f.offer_shm_testcase = shm;
  f.no_fast_persist = standard;
  if (fsrv_start(&f) != FSRV_E_OK)
    FATAL("%s", f.err);
  printf("hello=%s map_size=%u shm_testcase=%d persistent=%d deferred=%d "
         "autodict=%u\n",
         fsrv_hello_name(f.hello.kind), f.map_size, f.shm_testcase,
         f.persistent, f.deferred, (unsigned)f.autodict_len);
  fflush(stdout);
  char *line = NULL;
  size_t cap = 0;
  ssize_t n;
  while (!only_hello && (n = getline(&line, &cap, stdin)) > 0) {
    if (line[n - 1] == '\n')
      line[--n] = 0;
    if (n > 0)
      probe_one(&f, line);
  }
  free(line);
  fsrv_destroy(&f);
  return 0;
}
