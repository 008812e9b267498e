/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Internal interface between the files of the in-target runtime (map,
 * init, persistent loop, trace-pc-guard hooks, shm testcases and the
 * target side of the forkserver in forkserver/target.c). Everything here is
 * hidden (the runtime is built with -fvisibility=hidden); only symbols
 * marked RT_EXPORT form the ABI instrumented code and harnesses link to.
 */
#ifndef LOP_RT_H
#define LOP_RT_H

#include "config.h"
#include "types.h"

#include <sys/types.h>

/* Marks the exported runtime ABI (__afl_* and the sanitizer hooks). */
#define RT_EXPORT __attribute__((visibility("default")))

/* Exported globals, defined in runtime/map.c, pcguard.c, shm_fuzz.c and
   forkserver/target.c. */
extern RT_EXPORT uint8_t __afl_area_initial[MAP_SIZE];
extern RT_EXPORT uint8_t *__afl_area_ptr;
extern RT_EXPORT __thread uint32_t __afl_prev_loc;
extern RT_EXPORT uint32_t __afl_map_size;
extern RT_EXPORT uint32_t __afl_final_loc;
extern RT_EXPORT uint8_t __afl_connected;
extern RT_EXPORT uint8_t *__afl_fuzz_ptr;
extern RT_EXPORT uint32_t *__afl_fuzz_len;

/* Exported functions: harness macros and clang's trace-pc-guard
   instrumentation call these by name. */
RT_EXPORT void __afl_manual_init(void);
RT_EXPORT int __afl_persistent_loop(unsigned int max_cnt);
RT_EXPORT void __sanitizer_cov_trace_pc_guard(uint32_t *guard);
RT_EXPORT void __afl_lop_register_classic(void);
RT_EXPORT void __sanitizer_cov_trace_pc_guard_init(uint32_t *start,
                                                   uint32_t *stop);

/* CmpLog (runtime/cmplog.c): the map, NULL unless a fuzzer named one, and
   the hooks CmpLog builds call before compares (llvm-pass/cmplog.cpp). */
struct cmp_map;
extern RT_EXPORT struct cmp_map *__afl_cmp_map;
RT_EXPORT void __afl_cmplog_ins_hook1(uint8_t a, uint8_t b, uint8_t attr);
RT_EXPORT void __afl_cmplog_ins_hook2(uint16_t a, uint16_t b, uint8_t attr);
RT_EXPORT void __afl_cmplog_ins_hook4(uint32_t a, uint32_t b, uint8_t attr);
RT_EXPORT void __afl_cmplog_ins_hook8(uint64_t a, uint64_t b, uint8_t attr);
RT_EXPORT void __afl_cmplog_ins_hookn(uint64_t a, uint64_t a_hi, uint64_t b,
                                      uint64_t b_hi, uint8_t attr,
                                      uint8_t size);
RT_EXPORT void __afl_cmplog_rtn_hook_n(const void *a, const void *b, size_t n);
RT_EXPORT void __afl_cmplog_rtn_hook_str(const char *a, const char *b);
RT_EXPORT void __afl_cmplog_rtn_hook_strn(const char *a, const char *b,
                                          size_t n);
RT_EXPORT void __afl_cmplog_rtn_stdstring_cstr(const void *s, const char *c);
RT_EXPORT void __afl_cmplog_rtn_stdstring_stdstring(const void *a,
                                                    const void *b);

/* cmplog.c: attaches the CmpLog map named by __AFL_CMPLOG_SHM_ID, if set,
   to __afl_cmp_map; on a bad id, failed shmat or a segment smaller than
   struct cmp_map it sends the error hello and _exit(1)s. */
void rt_cmplog_attach(void);

/* diff.c: attaches the output segment named by __LOP_DIFF_SHM_ID (lop-fuzz
   --diff), if set, for __lop_diff_output; on a bad id or failed shmat it
   sends the error hello and _exit(1)s. */
void rt_diff_attach(void);

/* autodict.c: the dictionary the build embedded (records of a length byte
   and that many token bytes, at most FS_AUTODICT_MAX bytes in all, cut at a
   record), and its length in *len; NULL and 0 when the build has none. */
const uint8_t *rt_autodict(uint32_t *len);

/* True when the fuzzer asked for persistent mode (__AFL_PERSISTENT set);
   read once by the constructor in init.c. */
extern bool rt_persistent;

/* True when rt_persistent and lop's client asked for its fast persistent
   protocol (FAST_PERSIST_ENV_VAR); read once by the constructor in init.c.
   The child then ends each iteration with rt_fsrv_next_input() instead of
   SIGSTOP, and the forkserver waits for it without WUNTRACED. */
extern bool rt_fast_persist;

/* map.c: attaches the fuzzer's coverage map named by __AFL_SHM_ID, if set.
   On a bad id, failed shmat or a segment smaller than __afl_map_size it
   sends the error hello and _exit(1)s; without the variable it does
   nothing (the program runs by hand on the fallback map). */
void rt_map_attach(void);

/* map.c: makes area the map all instrumented code writes to: classic code
   through __afl_area_ptr, compact modules through their rebased
   descriptors. */
void rt_map_use(uint8_t *area);

/* compact.c: points every registered compact module into area. */
void rt_compact_rebase(uint8_t *area);

/* map.c: the map instrumented code writes to when no fuzzer map is in use
   (at least __afl_map_size bytes); persistent mode returns to it after the
   last iteration. */
uint8_t *rt_map_fallback(void);

/* map.c: makes room for trace-pc-guard ids up to want_final and returns the
   highest id that may be handed out (<= want_final). Before a fuzzer map is
   attached the fallback map grows as needed and __afl_map_size follows;
   afterwards the attached segment's real size is the limit. */
uint32_t rt_map_reserve(uint32_t want_final);

/* shm_fuzz.c: true when the harness opted in to shared-memory testcases and
   the fuzzer offers a valid testcase segment id. */
bool rt_shm_fuzz_wanted(void);

/* shm_fuzz.c: maps the testcase segment and points __afl_fuzz_len and
   __afl_fuzz_ptr into it; _exit(1) when it cannot. */
void rt_shm_fuzz_attach(void);

/* forkserver/target.c: true when a fuzzer is really on the other end:
   fds FORKSRV_FD and FORKSRV_FD + 1 are both pipes, and __AFL_SHM_ID (or
   AFL_DUMB_FORKSRV, afl-fuzz's forkserver mode without a map) is set.
   Decided once per process. */
bool rt_fsrv_fuzzer_present(void);

/* forkserver/target.c: with a fuzzer present, says hello on FORKSRV_FD + 1
   and serves fork requests forever; returns only in each forked child, or
   at once when no fuzzer is there. */
void rt_fsrv_start(void);

/* forkserver/target.c: true in the process the forkserver started for the
   current run, false in a process the harness forked from it (which must
   never speak on the forkserver pipes). */
bool rt_fsrv_is_run_process(void);

/* forkserver/target.c, fast persistent child only: reports the end of an
   iteration by writing FS_LOP_ALIVE to the status pipe and blocks until the
   fuzzer's next command arrives. _exit(0)s when the fuzzer went away. */
void rt_fsrv_next_input(void);

/* forkserver/target.c, fast persistent child only: closes the forkserver
   pipes once the persistent loop is over, so the rest of the program (and
   anything it starts) does not hold them. */
void rt_fsrv_child_detach(void);

/* forkserver/target.c: the program cannot run under the fuzzer; _exit(1)s.
   With a fuzzer present it sends the error hello with the FS_ERROR_* code
   (the fuzzer explains it); without one it writes the line formatted from
   fmt (no newline needed) on stderr, since nobody else would. */
__attribute__((noreturn, format(printf, 2, 3))) void
rt_fsrv_fail(uint32_t code, const char *fmt, ...);

/* forkserver/target_sig.c, in the forkserver before its first fork: takes
   SIGCHLD (default disposition) and SIGALRM (a watch timer every
   FSRV_WATCH_MS that interrupts waitpid) from the harness, unblocked. */
void rt_fsrv_own_signals(void);

/* forkserver/target_sig.c, in each forked child: gives back the harness's
   SIGCHLD and SIGALRM dispositions and signal mask, and makes the child die
   with the forkserver (pid forkserver); _exit(1)s if it is already gone. */
void rt_fsrv_child_signals(pid_t forkserver);

/* forkserver/target_sig.c: true once the fuzzer closed its end of the
   command pipe (it exited or was killed). */
bool rt_fsrv_client_gone(void);

#endif /* LOP_RT_H */
