/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * lop-fuzz's second executor: the CmpLog build of the target (-c), with
 * the CmpLog map (include/cmplog.h) it logs its comparisons into. The map
 * is a private 0600 SysV segment registered with the client library's
 * cleanup (removed at exit and on Ctrl-C, like the coverage map), named to
 * this target only through __AFL_CMPLOG_SHM_ID. Also the pure readers of
 * the map the input-to-state stage needs.
 */
#ifndef LOP_FUZZ_CMPEXEC_H
#define LOP_FUZZ_CMPEXEC_H

#include "cmplog.h"
#include "exec.h"

#include <stdbool.h>
#include <stddef.h>

struct cmp_exec {
  struct exec x;
  struct cmp_map *map; /* the shared segment */
  int shm_id;          /* -1 = none */
  char **argv;         /* owned: the target's argv with the CmpLog binary */
  char env[48];        /* __AFL_CMPLOG_SHM_ID=<id> */
  char *envv[2]; /* {env, NULL}: what the executor adds to its environment */
  bool on;       /* started: -c was given */
};

/* Start the CmpLog build named by o->cmplog ("0": o->argv[0] itself) with
   the target's arguments, the same input file and timeout. False with err
   set to one line naming the binary on failure (everything started is
   stopped again by cmpx_stop). */
bool cmpx_start(struct cmp_exec *c, const struct fz_opts *o,
                const char *input_file, uint32_t timeout_ms, char *err,
                size_t errlen);

/* Run buf with an empty map (the headers cleared): afterwards c->map holds
   the comparisons of this run. */
enum exec_result cmpx_run(struct cmp_exec *c, const uint8_t *buf, size_t len);

/* Stop the target, remove the segment, free. Safe on a never-started c. */
void cmpx_stop(struct cmp_exec *c);

/* ---- the map, read (pure) ------------------------------------------------ */

/* Slots of m that hold at least one logged compare. */
uint32_t cmpx_used_slots(const struct cmp_map *m);

/* Copy the headers of src and the logs of its used slots into dst (the
   rest of dst's log is left alone: only used slots are ever read). */
void cmpx_snapshot(struct cmp_map *dst, const struct cmp_map *src);

/* Length of a logged routine operand: the CMP_FN_STR_LEN bit stripped, at
   most CMP_FN_BYTES, and for a C string without its terminating NUL. */
uint32_t cmpx_fn_len(const uint8_t *v, uint8_t logged);

#endif /* LOP_FUZZ_CMPEXEC_H */
