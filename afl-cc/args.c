/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * The growable argument vector of args.h. It owns copies of its strings so
 * that phases may build arguments with printf and callers free everything
 * with one call. An allocation failure is sticky: every later push is a
 * no-op, so a builder can append a whole group and check once.
 */
#include "args.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cc_args_init(struct cc_args *a) { memset(a, 0, sizeof(*a)); }

/* Takes ownership of s (already allocated) and appends it; frees s and
   marks the vector on failure. */
static int args_adopt(struct cc_args *a, char *s) {
  if (!s || a->oom)
    goto fail;
  if (a->n + 2 > a->cap) {
    size_t cap = a->cap ? a->cap * 2 : 16;
    char **v = realloc(a->v, cap * sizeof(*v));
    if (!v)
      goto fail;
    a->v = v;
    a->cap = cap;
  }
  a->v[a->n++] = s;
  a->v[a->n] = NULL;
  return 0;
fail:
  free(s);
  a->oom = true;
  return -1;
}

int cc_args_push(struct cc_args *a, const char *s) {
  return args_adopt(a, strdup(s));
}

int cc_args_pushf(struct cc_args *a, const char *fmt, ...) {
  char *s = NULL;
  va_list ap;
  va_start(ap, fmt);
  if (vasprintf(&s, fmt, ap) < 0)
    s = NULL;
  va_end(ap);
  return args_adopt(a, s);
}

int cc_args_push_view(struct cc_args *a, struct cc_view src) {
  for (size_t i = 0; i < src.n; i++)
    cc_args_push(a, src.v[i]);
  return a->oom ? -1 : 0;
}

struct cc_view cc_args_view(const struct cc_args *a) {
  struct cc_view v = {a->v, a->n};
  return v;
}

void cc_args_free(struct cc_args *a) {
  for (size_t i = 0; i < a->n; i++)
    free(a->v[i]);
  free(a->v);
  cc_args_init(a);
}
