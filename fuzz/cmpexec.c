/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * The CmpLog executor and map readers (cmpexec.h).
 */
#include "cmpexec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The target's argv with argv[0] replaced by the CmpLog binary. */
static char **cmpx_argv(const struct fz_opts *o) {
  size_t n = 0;
  while (o->argv[n])
    n++;
  char **a = calloc(n + 1, sizeof(*a));
  if (!a)
    return NULL;
  memcpy(a, o->argv, n * sizeof(*a));
  if (strcmp(o->cmplog, "0") != 0)
    a[0] = (char *)o->cmplog;
  return a;
}

bool cmpx_start(struct cmp_exec *c, const struct fz_opts *o,
                const char *input_file, uint32_t timeout_ms, char *err,
                size_t errlen) {
  uint8_t *mem = NULL;
  memset(c, 0, sizeof(*c));
  c->shm_id = -1;
  c->on = true;
  c->argv = cmpx_argv(o);
  if (!c->argv) {
    snprintf(err, errlen, "out of memory");
    return false;
  }
  c->shm_id = fsrv_shm_create(sizeof(struct cmp_map), &mem);
  if (c->shm_id < 0) {
    snprintf(err, errlen,
             "cannot create the CmpLog map (%zu bytes of shared memory): %m; "
             "raise kernel.shmmax or drop -c",
             sizeof(struct cmp_map));
    return false;
  }
  c->map = (struct cmp_map *)(void *)mem;
  snprintf(c->env, sizeof(c->env), "%s=%d", CMPLOG_SHM_ENV_VAR, c->shm_id);
  c->envv[0] = c->env;
  struct fz_opts oc = *o;
  oc.argv = c->argv;
  if (exec_start_io(&c->x, &oc, input_file, timeout_ms, -1, c->envv))
    return true;
  snprintf(err, errlen, "CmpLog binary (-c %s): %s", o->cmplog, c->x.err);
  return false;
}

enum exec_result cmpx_run(struct cmp_exec *c, const uint8_t *buf, size_t len) {
  memset(c->map->headers, 0, sizeof(c->map->headers));
  return exec_run(&c->x, buf, len);
}

void cmpx_stop(struct cmp_exec *c) {
  if (!c->on)
    return;
  exec_stop(&c->x);
  fsrv_shm_remove(c->shm_id, (uint8_t *)(void *)c->map);
  free(c->argv);
  c->map = NULL;
  c->argv = NULL;
  c->shm_id = -1;
  c->on = false;
}

uint32_t cmpx_used_slots(const struct cmp_map *m) {
  uint32_t n = 0;
  for (uint32_t k = 0; k < CMP_MAP_W; k++)
    n += cmp_hdr_type(&m->headers[k]) != 0 && cmp_hdr_hits(&m->headers[k]);
  return n;
}

void cmpx_snapshot(struct cmp_map *dst, const struct cmp_map *src) {
  memcpy(dst->headers, src->headers, sizeof(src->headers));
  for (uint32_t k = 0; k < CMP_MAP_W; k++)
    if (cmp_hdr_hits(&src->headers[k]))
      memcpy(dst->log[k], src->log[k], sizeof(src->log[k]));
}

uint32_t cmpx_fn_len(const uint8_t *v, uint8_t logged) {
  uint32_t n = logged & ~CMP_FN_STR_LEN;
  if (n > CMP_FN_BYTES)
    n = CMP_FN_BYTES;
  if (logged & CMP_FN_STR_LEN) {
    uint32_t s = 0;
    while (s < n && v[s])
      s++;
    n = s;
  }
  return n;
}
