/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * lop-fuzz's output directory in AFL++ 4.04c's layout (FUZZER.md):
 * out/<name>/{queue,crashes,hangs,.synced}, fuzzer_stats, plot_data,
 * fuzz_bitmap, cmdline, fuzzer_setup, is_main_node; the file names of
 * entries, crashes and hangs; atomic saves (temp file + rename, so no
 * reader and no crash ever sees half a file); resume (-i -).
 */
#ifndef LOP_FUZZ_OUTPUT_H
#define LOP_FUZZ_OUTPUT_H

#include "cli.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Where a new file's name comes from. */
struct out_desc {
  uint32_t src, src2; /* parent entry ids; src2 valid when has_src2 */
  bool has_src2;
  const char *op; /* stage: "havoc", "splice", "flip1", ... */
  int64_t pos;    /* -1 = none */
  int val;        /* arithmetic / interesting value */
  bool has_val, val_be;
  uint32_t rep;     /* havoc stack depth; 0 = none */
  uint64_t time_ms; /* since the campaign started */
  uint64_t execs;   /* total executions so far */
  const char *sync; /* imported from this instance (NULL = not) */
};

/* Longest file name lop-fuzz writes, bytes. */
#define OUT_NAME_MAX 256U

/* Seed name: id:%06u,time:0,execs:%llu,orig:<basename>. */
void out_name_seed(char *buf, size_t n, uint32_t id, uint64_t execs,
                   const char *orig);

/* Entry name: id:%06u,src:...,time:...,execs:...,op:...[,pos:N[,val:V]]
   [,rep:N][,+cov]; imported: id:%06u,sync:NAME,src:%06u[,+cov]. */
void out_name_entry(char *buf, size_t n, uint32_t id, const struct out_desc *d,
                    bool new_cov);

/* Crash name: id:%06u,sig:%02u,<description>; hang: id:%06u,<description>. */
void out_name_crash(char *buf, size_t n, uint32_t id, int sig,
                    const struct out_desc *d);
void out_name_hang(char *buf, size_t n, uint32_t id, const struct out_desc *d);

/* Write buf to dir/name through a temp file in dir and rename(2). On error
   nothing is left and err says what failed (a full disk included). */
bool out_save(const char *dir, const char *name, const uint8_t *buf, size_t len,
              char *err, size_t errlen);

/* The instance directory and its parts. */
struct out_dir {
  char *sync;   /* -o */
  char *dir;    /* -o/<name> */
  char *resume; /* with resume: the old queue, moved aside (input dir) */
};

/* Create (or, resuming, reopen) the instance directory. An existing one
   that holds an earlier run is refused unless o->resume or AFL_AUTORESUME;
   resuming moves the old queue aside as the new input (d->resume), keeps
   old crashes and hangs under crashes.<time>/hangs.<time> and plot_data,
   clears the rest. False with err set on any problem. */
bool out_setup(struct out_dir *d, struct fz_opts *o, char *err, size_t errlen);

/* cmdline and fuzzer_setup (environment and shell-quoted command line),
   and is_main_node for -M. */
bool out_write_meta(const struct out_dir *d, const struct fz_opts *o,
                    char **envp, char *err, size_t errlen);

/* crashes/README.txt, written with the first crash as afl-fuzz does. */
bool out_crash_readme_once(const struct out_dir *d, char *err, size_t errlen);

/* Remove what only a running instance has (is_main_node). */
void out_finish(const struct out_dir *d);

/* dir/<rel> in a new string (NULL on OOM). */
char *out_path(const char *dir, const char *rel);

/* Remove dir/resume (the moved-aside queue) once its entries are in the
   new queue. */
void out_drop_resume(struct out_dir *d);

void out_free(struct out_dir *d);

#endif /* LOP_FUZZ_OUTPUT_H */
