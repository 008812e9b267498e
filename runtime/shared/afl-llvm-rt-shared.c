/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Weak stand-ins for the runtime, linked into instrumented shared libraries
 * instead of the runtime itself. Loaded into an instrumented executable
 * (which exports the real symbols via afl-llvm-rt.dynlist) the executable's
 * definitions win at dynamic link time and the library's edges land in the
 * fuzzer's map; loaded into anything else the library writes its classic
 * edges into a private dummy map and its trace-pc-guard hooks do nothing.
 */
#include "config.h"
#include "types.h"

#define RT_WEAK __attribute__((weak, visibility("default")))

void __afl_lop_register_classic(void);
void __afl_lop_register_compact(void *module);
void __sanitizer_cov_trace_pc_guard(uint32_t *guard);
void __sanitizer_cov_trace_pc_guard_init(uint32_t *start, uint32_t *stop);

/* CmpLog (runtime/cmplog.c): without the executable's runtime there is no
   CmpLog map; the pointer stays NULL, so instrumented code never calls the
   hooks, and the hooks do nothing. */
struct cmp_map;
RT_WEAK struct cmp_map *__afl_cmp_map;
void __afl_cmplog_ins_hook1(uint8_t a, uint8_t b, uint8_t attr);
void __afl_cmplog_ins_hook2(uint16_t a, uint16_t b, uint8_t attr);
void __afl_cmplog_ins_hook4(uint32_t a, uint32_t b, uint8_t attr);
void __afl_cmplog_ins_hook8(uint64_t a, uint64_t b, uint8_t attr);
void __afl_cmplog_ins_hookn(uint64_t a, uint64_t a_hi, uint64_t b,
                            uint64_t b_hi, uint8_t attr, uint8_t size);
void __afl_cmplog_rtn_hook_n(const void *a, const void *b, size_t n);
void __afl_cmplog_rtn_hook_str(const char *a, const char *b);
void __afl_cmplog_rtn_hook_strn(const char *a, const char *b, size_t n);
void __afl_cmplog_rtn_stdstring_cstr(const void *s, const char *c);
void __afl_cmplog_rtn_stdstring_stdstring(const void *a, const void *b);

/* Private sink for classic edges (indices < MAP_SIZE) when no instrumented
   executable provides the real map. */
static uint8_t rt_shared_dummy_map[MAP_SIZE];

RT_WEAK uint8_t *__afl_area_ptr = rt_shared_dummy_map;
RT_WEAK __thread uint32_t __afl_prev_loc;

/* No-op: without the executable's runtime classic edges count into the
   private map above. */
RT_WEAK void __afl_lop_register_classic(void) {}

/* No-op: a compact module keeps counting into its own private array. */
RT_WEAK void __afl_lop_register_compact(void *module) { (void)module; }

/* No-op: without the executable's runtime there is no map to count in. */
RT_WEAK void __sanitizer_cov_trace_pc_guard(uint32_t *guard) { (void)guard; }

/* No-op: guards stay 0; the hook above never reads them. */
RT_WEAK void __sanitizer_cov_trace_pc_guard_init(uint32_t *start,
                                                 uint32_t *stop) {
  (void)start;
  (void)stop;
}

/* No-ops: see __afl_cmp_map above. */
RT_WEAK void __afl_cmplog_ins_hook1(uint8_t a, uint8_t b, uint8_t attr) {
  (void)a, (void)b, (void)attr;
}
RT_WEAK void __afl_cmplog_ins_hook2(uint16_t a, uint16_t b, uint8_t attr) {
  (void)a, (void)b, (void)attr;
}
RT_WEAK void __afl_cmplog_ins_hook4(uint32_t a, uint32_t b, uint8_t attr) {
  (void)a, (void)b, (void)attr;
}
RT_WEAK void __afl_cmplog_ins_hook8(uint64_t a, uint64_t b, uint8_t attr) {
  (void)a, (void)b, (void)attr;
}
RT_WEAK void __afl_cmplog_ins_hookn(uint64_t a, uint64_t a_hi, uint64_t b,
                                    uint64_t b_hi, uint8_t attr,
                                    uint8_t size) {
  (void)a, (void)a_hi, (void)b, (void)b_hi, (void)attr, (void)size;
}
RT_WEAK void __afl_cmplog_rtn_hook_n(const void *a, const void *b, size_t n) {
  (void)a, (void)b, (void)n;
}
RT_WEAK void __afl_cmplog_rtn_hook_str(const char *a, const char *b) {
  (void)a, (void)b;
}
RT_WEAK void __afl_cmplog_rtn_hook_strn(const char *a, const char *b,
                                        size_t n) {
  (void)a, (void)b, (void)n;
}
RT_WEAK void __afl_cmplog_rtn_stdstring_cstr(const void *s, const char *c) {
  (void)s, (void)c;
}
RT_WEAK void __afl_cmplog_rtn_stdstring_stdstring(const void *a,
                                                  const void *b) {
  (void)a, (void)b;
}
