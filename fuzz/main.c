/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * lop-fuzz: lop's coverage-guided fuzzer. Parses the command line, sets up
 * the engine (output directory, target, seeds), fuzzes until a stop
 * condition or Ctrl-C, and leaves fuzzer_stats, plot_data and fuzz_bitmap
 * written and no segment, process or temp file behind. `lop-fuzz plot`
 * draws a campaign's plot_data.
 */
#include "cli.h"
#include "debug.h"
#include "diff.h"
#include "engine.h"
#include "plot.h"
#include "ui.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *lop_progname = "lop-fuzz";

static volatile sig_atomic_t main_stop;

/* First Ctrl-C (or SIGTERM/SIGHUP): stop after the current run and save
   everything. A second one while stopping: clean up and die at once. */
static void main_on_signal(int sig) {
  if (main_stop) {
    fsrv_cleanup_all();
    signal(sig, SIG_DFL);
    raise(sig);
  }
  main_stop = sig;
}

/* Handlers for the signals the user left at their default (nohup and a
   background & keep theirs ignored). */
static void main_signals(void) {
  static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
  struct sigaction sa = {.sa_handler = main_on_signal}, old;
  sigemptyset(&sa.sa_mask);
  for (size_t i = 0; i < sizeof(sigs) / sizeof(*sigs); i++)
    if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
      sigaction(sigs[i], &sa, NULL);
}

static const char *main_getenv(const char *name) { return getenv(name); }

/* AFL_PRELOAD and AFL_TARGET_ENV reach the target through lop-fuzz's own
   environment, which the forkserver inherits. */
static void main_target_env(const struct fz_opts *o) {
  if (o->preload && *o->preload)
    setenv("LD_PRELOAD", o->preload, 1);
  if (!o->target_env)
    return;
  char *copy = strdup(o->target_env), *save = NULL;
  for (char *kv = copy ? strtok_r(copy, " ", &save) : NULL; kv;
       kv = strtok_r(NULL, " ", &save)) {
    char *eq = strchr(kv, '=');
    if (!eq || eq == kv)
      FATAL("AFL_TARGET_ENV entry '%s' is not NAME=VALUE; separate entries "
            "with spaces",
            kv);
    *eq = 0;
    setenv(kv, eq + 1, 1);
  }
  free(copy);
}

/* The end of a campaign in words, on a terminal or a log (printed after
   the screen is gone). */
static void main_summary(const struct fz_opts *o, const struct fz_stats *s) {
  if (main_stop)
    printf("lop-fuzz: stopped by %s\n", sigabbrev_np((int)main_stop)
                                            ? sigabbrev_np((int)main_stop)
                                            : "a signal");
  printf("lop-fuzz: done: %llu execs, %u corpus entries (%u new), %llu "
         "crashes, %llu hangs in %s/%s\n",
         (unsigned long long)s->execs_done, s->corpus_count, s->corpus_found,
         (unsigned long long)s->saved_crashes,
         (unsigned long long)s->saved_hangs, o->out_dir, o->name);
  if (s->saved_crashes)
    printf("lop-fuzz: crashing inputs are in %s/%s/crashes/\n", o->out_dir,
           o->name);
  if (s->diff_impls)
    printf("lop-fuzz: %llu disagreements of %u implementations in "
           "%s/%s/diffs/, %u forkserver restarts\n",
           (unsigned long long)s->saved_diffs, s->diff_impls, o->out_dir,
           o->name, s->diff_restarts);
}

int main(int argc, char **argv, char **envp) {
  struct fz_opts o;
  char err[1024];
  if (argc >= 2 && strcmp(argv[1], "plot") == 0)
    return plot_main(argc, argv);
  if (argc == 1) {
    fputs(cli_usage(), stdout);
    return 1;
  }
  switch (cli_parse(argc, argv, main_getenv, &o, err, sizeof(err))) {
  case CLI_HELP:
    fputs(cli_usage(), stdout);
    return 0;
  case CLI_ERROR:
    FATAL("%s", err);
  case CLI_RUN:
    break;
  }
  main_target_env(&o);
  if (o.diff_replay)
    return diff_replay_main(&o);
  static struct engine e;
  if (!eng_init(&e, &o, envp)) {
    fprintf(stderr, "%s: error: %s\n", lop_progname, e.err);
    eng_finish(&e);
    return 1;
  }
  /* After the client library's own handlers (installed with the first
     segment): a first Ctrl-C now ends the campaign cleanly. */
  main_signals();
  e.stop = &main_stop;
  bool ok = eng_load_seeds(&e);
  if (ok) {
    e.ui = ui_start(o.no_ui);
    ok = eng_run(&e);
  }
  char msg[sizeof(e.err)];
  struct fz_stats s;
  snprintf(msg, sizeof(msg), "%s", e.err);
  eng_snapshot(&e, &s);
  eng_finish(&e);
  if (ok)
    main_summary(&o, &s);
  else
    fprintf(stderr, "%s: error: %s\n", lop_progname, msg);
  return ok ? 0 : 1;
}
