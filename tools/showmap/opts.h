/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * afl-showmap's command line and environment, parsed into struct
 * showmap_opts without printing or exiting, so the parser is unit tested
 * and fuzzed on its own; the tool's main() prints and exits.
 */
#ifndef LOP_SHOWMAP_OPTS_H
#define LOP_SHOWMAP_OPTS_H

#include <stdbool.h>
#include <stdint.h>

/* Command line, as parsed. */
struct showmap_opts {
  const char *out;     /* -o: file, "-" or (batch) directory */
  const char *in_dir;  /* -i */
  const char *file;    /* -f */
  const char *in_file; /* -H: input file instead of stdin */
  uint32_t timeout_ms, mem_mb, map_size;
  bool quiet, edges, raw, binary, collect, keep_cores;
  bool no_classify;  /* -s: counts exactly as the target left them */
  bool cmin;         /* -Z: afl-cmin's "<value><index>" lines */
  bool crashes_only; /* AFL_CMIN_CRASHES_ONLY: -Z keeps crashing inputs */
  bool allow_any;    /* AFL_CMIN_ALLOW_ANY: -Z keeps crashing inputs too */
  char **argv;       /* target: points into the argv given */
};

/* What showmap_opts_parse() found. */
enum showmap_parsed {
  SHOWMAP_RUN = 0,   /* *o is complete: run the target */
  SHOWMAP_HELP = 1,  /* -h: print the usage and exit 0 */
  SHOWMAP_ERROR = -1 /* *err holds "what is wrong; what to do" */
};

/* Parses argv (argv[0] is the program) and the variables getenv_fn returns
   (AFL_MAP_SIZE, AFL_CMIN_CRASHES_ONLY, AFL_CMIN_ALLOW_ANY) into *o. Uses
   getopt, which it resets first, so it may be called again. On
   SHOWMAP_ERROR *err is allocated (NULL when out of memory). */
enum showmap_parsed showmap_opts_parse(int argc, char **argv,
                                       const char *(*getenv_fn)(const char *),
                                       struct showmap_opts *o, char **err);

#endif /* LOP_SHOWMAP_OPTS_H */
