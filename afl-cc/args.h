/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * A growable, NULL-terminated argument vector that owns copies of its
 * strings. The wrapper builds the compiler's command line in one of these,
 * and the response-file expander builds its expanded view in another.
 */
#ifndef LOP_CC_ARGS_H
#define LOP_CC_ARGS_H

#include "types.h"

struct cc_args {
  char **v;   /* v[n] is always NULL once anything was pushed */
  size_t n;   /* strings held */
  size_t cap; /* slots allocated, the NULL included */
  bool oom;   /* a push failed; the vector is incomplete */
};

/* A read-only view of arguments (argv without argv[0], or an expansion). */
struct cc_view {
  char *const *v;
  size_t n;
};

/* Empties a fresh vector; no allocation until the first push. */
void cc_args_init(struct cc_args *a);

/* Appends a copy of s. Returns 0, or -1 and sets a->oom when out of memory
   (later pushes then do nothing, so callers may check once at the end). */
int cc_args_push(struct cc_args *a, const char *s);

/* Appends the printf-formatted string; same errors as cc_args_push. */
int cc_args_pushf(struct cc_args *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Appends copies of every string of the view, in order. */
int cc_args_push_view(struct cc_args *a, struct cc_view src);

/* The vector's strings as a view (valid until the next push or free). */
struct cc_view cc_args_view(const struct cc_args *a);

/* Frees the strings and the vector and leaves it empty and reusable. */
void cc_args_free(struct cc_args *a);

#endif /* LOP_CC_ARGS_H */
