/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Start-up of an instrumented program: an early constructor reads the
 * fuzzer's mode variables and, unless the harness defers start-up with
 * __AFL_INIT(), calls __afl_manual_init, which attaches the coverage map,
 * marks it alive and runs the forkserver. Run by hand (no fuzzer variables,
 * or fds 198/199 not both pipes) all of this is silent and the program runs
 * normally; only an __AFL_SHM_ID naming no usable segment stops it, with
 * one line on stderr.
 * With AFL_DUMP_MAP_SIZE set the constructor only prints the map size the
 * hello would announce, and the program does not run.
 */
#include "rt.h"

#include "env_flag.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

bool rt_persistent;
bool rt_fast_persist;

/* Set once __afl_manual_init has run in this process (or its parent). */
static bool rt_init_done;

/* Attaches the map and starts the forkserver, once per process: the
   constructor and a harness's __AFL_INIT() may both call it. Returns in
   each forked child (and at once without a fuzzer); never returns in the
   forkserver parent. */
RT_EXPORT void __afl_manual_init(void) {
  if (rt_init_done)
    return;
  rt_init_done = true;
  rt_map_attach();
  rt_cmplog_attach();
  rt_diff_attach();
  /* A fuzzer takes an all-zero first map for "no instrumentation". */
  __afl_area_ptr[0] = 1;
  rt_fsrv_start();
}

/* AFL_DUMP_MAP_SIZE: prints the map size the hello would announce and
   leaves without running the program (nor its atexit handlers). */
static void rt_dump_map_size(void) {
  char line[16];
  int n = snprintf(line, sizeof(line), "%u\n", (unsigned)__afl_map_size);
  (void)!write(STDOUT_FILENO, line, (size_t)n);
  _exit(DUMP_MAP_SIZE_EXIT);
}

/* Runs before user constructors of default priority, after the
   trace-pc-guard module constructors (priority 2) have assigned ids, so the
   map size is known when the hello goes out. Harmless when the program is
   started again without a fuzzer pipe (AFL++ 4.04c's afl-showmap does).
   The fast persistent variable is removed at once so programs this one
   starts never take it for their own. */
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wunknown-warning-option"
#pragma clang diagnostic ignored "-Wprio-ctor-dtor"
__attribute__((constructor(5))) static void rt_auto_init(void) {
  if (lop_env_flag(getenv(DUMP_MAP_SIZE_ENV_VAR)))
    rt_dump_map_size();
  rt_persistent = getenv(PERSIST_ENV_VAR) != NULL;
  rt_fast_persist = rt_persistent && getenv(FAST_PERSIST_ENV_VAR) != NULL;
  unsetenv(FAST_PERSIST_ENV_VAR);
  if (getenv(DEFER_ENV_VAR))
    return;
  __afl_manual_init();
}
#pragma clang diagnostic pop
