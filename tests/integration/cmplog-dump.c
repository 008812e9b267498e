/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * cmplog-dump: the integration tests' window into the CmpLog map. Creates
 * a CmpLog segment as afl-fuzz does, runs the target once with it named in
 * __AFL_CMPLOG_SHM_ID (stdin passed through, no forkserver), prints the
 * target's exit status and every used slot's entries, one line each:
 *   ins size=N attr=A hits=H v0=0x... v1=0x...   (v0/v1: 128-bit as hi:lo)
 *   rtn len0=L len1=L v0="..." v1="..."          (bytes escaped as \xNN)
 * and removes the segment.
 */
#include "cmplog.h"
#include "debug.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>

const char *lop_progname = "cmplog-dump";

/* Prints n bytes of p, printable ones as they are. */
static void dump_bytes(const uint8_t *p, uint32_t n) {
  putchar('"');
  for (uint32_t i = 0; i < n; i++)
    printf(p[i] >= 0x20 && p[i] < 0x7f && p[i] != '"' && p[i] != '\\'
               ? "%c"
               : "\\x%02x",
           p[i]);
  putchar('"');
}

/* Prints the entries of slot k. */
static void dump_slot(struct cmp_map *m, uint32_t k) {
  const struct cmp_header *h = &m->headers[k];
  uint32_t n = cmp_hdr_entries(h);
  for (uint32_t i = 0; i < n; i++) {
    if (cmp_hdr_type(h) == CMP_TYPE_INS) {
      const struct cmp_operands *o = &m->log[k][i];
      printf("ins size=%u attr=%u hits=%u v0=0x%" PRIx64 ":%016" PRIx64
             " v1=0x%" PRIx64 ":%016" PRIx64 "\n",
             cmp_hdr_shape(h) + 1, cmp_hdr_attr(h), cmp_hdr_hits(h), o->v0_128,
             o->v0, o->v1_128, o->v1);
      continue;
    }
    const struct cmp_fn_operands *f = &cmp_fn_log(m, k)[i];
    uint32_t l0 = f->v0_len & ~CMP_FN_STR_LEN, l1 = f->v1_len & ~CMP_FN_STR_LEN;
    printf("rtn len0=0x%x len1=0x%x v0=", f->v0_len, f->v1_len);
    dump_bytes(f->v0, l0 < CMP_FN_BYTES ? l0 : CMP_FN_BYTES);
    printf(" v1=");
    dump_bytes(f->v1, l1 < CMP_FN_BYTES ? l1 : CMP_FN_BYTES);
    putchar('\n');
  }
}

int main(int argc, char **argv) {
  if (argc < 2)
    FATAL("usage: cmplog-dump target [args...] <input");
  int id = shmget(IPC_PRIVATE, sizeof(struct cmp_map), IPC_CREAT | 0600);
  if (id < 0)
    PFATAL("shmget");
  struct cmp_map *m = shmat(id, NULL, 0);
  shmctl(id, IPC_RMID, NULL); /* gone once both sides detach */
  if (m == (void *)-1)
    PFATAL("shmat");
  char text[16];
  snprintf(text, sizeof(text), "%d", id);
  setenv(CMPLOG_SHM_ENV_VAR, text, 1);
  pid_t pid = fork();
  if (pid == 0) {
    execv(argv[1], argv + 1);
    _exit(127);
  }
  int status = 0;
  if (pid < 0 || waitpid(pid, &status, 0) < 0)
    PFATAL("cannot run %s", argv[1]);
  printf("status=0x%x\n", (unsigned)status);
  for (uint32_t k = 0; k < CMP_MAP_W; k++)
    if (cmp_hdr_type(&m->headers[k]))
      dump_slot(m, k);
  return 0;
}
