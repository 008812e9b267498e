/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Comparison, patterns and reports of differential fuzzing (diff_cmp.h).
 */
#include "diff_cmp.h"

#include <stdlib.h>
#include <string.h>

/* Fewest slots of the pattern set; it doubles at half full. */
#define DIFF_SEEN_MIN 64U

/* A 64-bit mixer (the finaliser of splitmix64). */
static uint64_t diff_mix(uint64_t h) {
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ULL;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebULL;
  return h ^ (h >> 31);
}

uint64_t diff_digest(const uint8_t *buf, size_t len) {
  uint64_t h = diff_mix(len ^ 0x6c6f702d64696666ULL), w;
  size_t i = 0;
  for (; i + 8 <= len; i += 8) {
    memcpy(&w, buf + i, 8);
    h = diff_mix(h ^ w) + i;
  }
  w = 0;
  memcpy(&w, buf + i, len - i);
  return diff_mix(h ^ w ^ ((uint64_t)(len - i) << 56));
}

bool diff_agree(const struct diff_res *a, const struct diff_res *b,
                const struct diff_cmp_opts *o) {
  if (a->kind != b->kind)
    return false;
  switch (a->kind) {
  case DIFF_HANG:
    return true;
  case DIFF_CRASH:
    return a->code == b->code && a->exit_code == b->exit_code;
  case DIFF_OK:
    break;
  }
  if (!o->ignore_exit && a->code != b->code)
    return false;
  return o->verdicts_only ||
         (a->digest == b->digest && a->out_len == b->out_len);
}

size_t diff_partition(const struct diff_res *r, size_t n,
                      const struct diff_cmp_opts *o, uint8_t *group) {
  size_t groups = 0;
  for (size_t i = 0; i < n; i++) {
    size_t j = 0;
    while (j < i && !diff_agree(&r[j], &r[i], o))
      j++;
    group[i] = j < i ? group[j] : (uint8_t)groups++;
  }
  return groups;
}

uint64_t diff_pattern(const struct diff_res *r, const uint8_t *group, size_t n,
                      const struct diff_cmp_opts *o) {
  uint64_t h = 0x70617474ULL;
  for (size_t i = 0; i < n; i++) {
    const struct diff_res *x = &r[i];
    bool code =
        x->kind == DIFF_CRASH || (x->kind == DIFF_OK && !o->ignore_exit);
    uint64_t v = (uint64_t)group[i] | (uint64_t)x->kind << 8 |
                 (uint64_t)(uint32_t)(code ? x->code : 0) << 16 |
                 (uint64_t)(uint32_t)x->exit_code << 40;
    h = diff_mix(h ^ v) + i;
  }
  return h ? h : 1;
}

static bool diff_seen_grow(struct diff_seen *s) {
  size_t cap = s->cap ? s->cap * 2 : DIFF_SEEN_MIN;
  uint64_t *slot = calloc(cap, sizeof(*slot)), *old = s->slot;
  if (!slot)
    return false;
  for (size_t i = 0; i < s->cap; i++) {
    if (!old[i])
      continue;
    size_t k = diff_mix(old[i]) & (cap - 1);
    while (slot[k])
      k = (k + 1) & (cap - 1);
    slot[k] = old[i];
  }
  free(old);
  s->slot = slot;
  s->cap = cap;
  return true;
}

bool diff_seen_add(struct diff_seen *s, uint64_t key) {
  if ((s->n + 1) * 2 > s->cap && !diff_seen_grow(s))
    return false;
  size_t k = diff_mix(key) & (s->cap - 1);
  for (; s->slot[k]; k = (k + 1) & (s->cap - 1))
    if (s->slot[k] == key)
      return false;
  s->slot[k] = key;
  s->n++;
  return true;
}

void diff_seen_free(struct diff_seen *s) {
  free(s->slot);
  memset(s, 0, sizeof(*s));
}

void diff_verdict_text(char *buf, size_t n, const struct diff_res *r) {
  const char *name;
  switch (r->kind) {
  case DIFF_HANG:
    snprintf(buf, n, "hang");
    return;
  case DIFF_CRASH:
    if (r->code == 0) {
      snprintf(buf, n, "crash, exit %d", r->exit_code);
      return;
    }
    name = sigabbrev_np(r->code);
    snprintf(buf, n, "crash, signal %d (%s)", r->code, name ? name : "?");
    return;
  case DIFF_OK:
    break;
  }
  snprintf(buf, n, "ok, exit %d", r->code);
}

/* "impl 1 [crash, signal 11 (SEGV)]: 12 bytes of stdout, digest ..." and
   the command line under it. */
static void diff_report_impl(FILE *out, size_t i, const struct diff_res *r,
                             char *const *argv) {
  char v[64];
  diff_verdict_text(v, sizeof(v), r);
  fprintf(out,
          "  impl %zu: %s; %u bytes of %s%s (output.%zu), "
          "digest %016llx\n",
          i + 1, v, r->out_len, r->declared ? "declared output" : "stdout",
          r->truncated ? ", truncated" : "", i + 1,
          (unsigned long long)r->digest);
  fputs("          ", out);
  for (size_t k = 0; argv && argv[k]; k++)
    fprintf(out, "%s%s", k ? " " : "", argv[k]);
  fputc('\n', out);
}

bool diff_report(FILE *out, const struct diff_report_info *info,
                 const struct diff_res *r, const uint8_t *group, size_t n) {
  size_t groups = 0;
  for (size_t i = 0; i < n; i++)
    groups = group[i] + 1U > groups ? group[i] + 1U : groups;
  fprintf(out, "finding: %s\n", info->id);
  fprintf(out, "input: %zu bytes (input)\n", info->input_len);
  fprintf(out, "pattern: %016llx\n", (unsigned long long)info->pattern);
  if (groups > 1)
    fprintf(out, "verdict: the %zu implementations disagree: %zu groups\n", n,
            groups);
  else
    fprintf(out, "verdict: the %zu implementations agree\n", n);
  for (size_t g = 0; g < groups; g++) {
    fprintf(out, "group %c:", (char)('A' + g));
    for (size_t i = 0; i < n; i++)
      if (group[i] == g)
        fprintf(out, " impl %zu", i + 1);
    fputc('\n', out);
    for (size_t i = 0; i < n; i++)
      if (group[i] == g)
        diff_report_impl(out, i, &r[i], info->argv ? info->argv[i] : NULL);
  }
  return !ferror(out);
}
