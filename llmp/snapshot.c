/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * The broker's snapshot for late joiners: every testcase broadcast so far,
 * each kept once (keyed by its SHA-256), in arrival order, bounded in
 * bytes. A late joiner reads it from a page of its own instead of the
 * whole history, so the broker's memory does not grow with the messages
 * sent, only with the distinct testcases (up to the bound).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static size_t slot_of(const uint8_t hash[32], size_t nslots) {
  uint64_t v;
  memcpy(&v, hash, sizeof v);
  return (size_t)(v & (nslots - 1));
}

/* Index + 1 of the entry with this hash, or 0; *slot where it is or goes. */
static size_t find(const struct llmp_snapshot *s, const uint8_t hash[32],
                   size_t *slot) {
  size_t i = slot_of(hash, s->nslots);
  while (s->slots[i]) {
    if (!memcmp(s->e[s->slots[i] - 1].hash, hash, 32))
      break;
    i = (i + 1) & (s->nslots - 1);
  }
  *slot = i;
  return s->slots[i];
}

static int grow(struct llmp_snapshot *s) {
  if (s->n + 1 > s->cap) {
    size_t cap = s->cap ? 2 * s->cap : 64;
    struct llmp_snap_entry *e = realloc(s->e, cap * sizeof *e);
    if (!e)
      return -ENOMEM;
    s->e = e;
    s->cap = cap;
  }
  if (2 * (s->n + 1) <= s->nslots)
    return 0;
  size_t nslots = s->nslots ? 2 * s->nslots : 128;
  size_t *slots = calloc(nslots, sizeof *slots);
  if (!slots)
    return -ENOMEM;
  free(s->slots);
  s->slots = slots;
  s->nslots = nslots;
  for (size_t k = 0; k < s->n; k++) {
    size_t at;
    find(s, s->e[k].hash, &at);
    s->slots[at] = k + 1;
  }
  return 0;
}

bool llmp_snapshot_has(const struct llmp_snapshot *s, const uint8_t *data,
                       size_t len) {
  if (!s->nslots)
    return false;
  uint8_t hash[32];
  size_t at;
  llmp_sha256(data, len, hash);
  return find(s, hash, &at) != 0;
}

int llmp_snapshot_add(struct llmp_snapshot *s, const struct llmp_msg *m) {
  if (llmp_snapshot_has(s, m->data, m->len))
    return 0;
  if (s->bytes + m->len > s->max)
    return -ENOSPC;
  int err = grow(s);
  if (err)
    return err;
  struct llmp_snap_entry *e = &s->e[s->n];
  e->data = malloc(m->len ? m->len : 1);
  if (!e->data)
    return -ENOMEM;
  memcpy(e->data, m->data, m->len);
  llmp_sha256(m->data, m->len, e->hash);
  e->len = (uint32_t)m->len;
  e->sender = m->sender;
  e->origin = m->origin;
  e->seq = m->seq;
  size_t at;
  find(s, e->hash, &at);
  s->slots[at] = ++s->n;
  s->bytes += m->len;
  return 1;
}

int llmp_snapshot_page(const struct llmp_snapshot *s, struct llmp_writer *w) {
  size_t need = sizeof(struct llmp_page) + 2 * llmp_span(0);
  for (size_t k = 0; k < s->n; k++)
    need += llmp_span(s->e[k].len);
  size_t size = (size_t)LLMP_ALIGN * 64;
  while (size < need)
    size *= 2;
  int err = llmp_writer_init(w, size, 0);
  for (size_t k = 0; !err && k < s->n; k++) {
    const struct llmp_snap_entry *e = &s->e[k];
    struct llmp_hdr *h = llmp_writer_alloc(w, e->len);
    if (!h) {
      err = -errno;
      llmp_writer_free(w);
      return err;
    }
    h->tag = LLMP_TAG_TESTCASE;
    h->sender = e->sender;
    h->origin = e->origin;
    h->seq = e->seq;
    memcpy(h + 1, e->data, e->len);
    llmp_writer_commit(w);
  }
  return err;
}

void llmp_snapshot_free(struct llmp_snapshot *s) {
  for (size_t k = 0; k < s->n; k++)
    free(s->e[k].data);
  free(s->e);
  free(s->slots);
  memset(s, 0, sizeof *s);
}
