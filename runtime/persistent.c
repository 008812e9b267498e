/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Persistent mode: __AFL_LOOP(n) runs many inputs in one process. After
 * each iteration the child stops itself with SIGSTOP; the forkserver
 * reports the stop to the fuzzer as the end of that input and sends
 * SIGCONT for the next. Under lop's own client (fast persistent protocol)
 * the child instead tells the client itself that the iteration is over and
 * reads the next command, one pipe round trip per input. Run by hand, or
 * when the fuzzer did not ask for persistent mode, the loop body runs
 * exactly once. A process the harness forks from the persistent child
 * runs the rest of its iteration and then leaves the loop.
 */
#include "rt.h"

#include <signal.h>
#include <string.h>

/* Returns 1 while the harness should run its body for another input and 0
   when it should leave the loop. max_cnt is the number of inputs per
   process (0 means PERSIST_DEFAULT_ITERS). After the last iteration the map
   pointer goes back to the fallback map, so code after the loop does not
   pollute the fuzzer's map. */
RT_EXPORT int __afl_persistent_loop(unsigned int max_cnt) {
  static bool first_pass = true;
  static bool looping;
  static unsigned int cycles_left;

  if (first_pass) {
    first_pass = false;
    /* Without a connected fuzzer nobody would send SIGCONT: run once. */
    looping = rt_persistent && __afl_connected;
    if (looping) {
      memset(__afl_area_ptr, 0, __afl_map_size);
      __afl_area_ptr[0] = 1;
      __afl_prev_loc = 0;
      cycles_left = max_cnt ? max_cnt : PERSIST_DEFAULT_ITERS;
    }
    return 1;
  }
  if (!looping)
    return 0;
  /* A process the harness forked inside the loop is not the one the
     fuzzer runs: it leaves the loop as after the last iteration, and never
     stops itself or speaks on the forkserver pipes. */
  if (--cycles_left && rt_fsrv_is_run_process()) {
    if (rt_fast_persist)
      rt_fsrv_next_input();
    else
      raise(SIGSTOP);
    __afl_area_ptr[0] = 1;
    __afl_prev_loc = 0;
    return 1;
  }
  looping = false;
  rt_map_use(rt_map_fallback());
  if (rt_fast_persist)
    rt_fsrv_child_detach();
  return 0;
}
