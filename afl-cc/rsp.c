/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Response-file expansion for the wrapper's argument predicates. Build
 * systems (CMake, Meson, libtool) put long command lines into @file
 * arguments; a wrapper that ignored them would, for example, link the
 * runtime into a `-c` compile hidden in a response file.
 */
#include "rsp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A token being assembled character by character. */
struct rsp_tok {
  char *s;
  size_t n, cap;
  bool started; /* true once anything (even an empty "") was seen */
};

/* Appends c to the token; returns -1 when out of memory. */
static int tok_put(struct rsp_tok *t, char c) {
  if (t->n + 2 > t->cap) {
    size_t cap = t->cap ? t->cap * 2 : 64;
    char *s = realloc(t->s, cap);
    if (!s)
      return -1;
    t->s = s;
    t->cap = cap;
  }
  t->s[t->n++] = c;
  t->s[t->n] = '\0';
  t->started = true;
  return 0;
}

/* Moves a finished token into out and starts a new one. */
static int tok_flush(struct rsp_tok *t, struct cc_args *out) {
  if (!t->started)
    return 0;
  int rc = cc_args_push(out, t->n ? t->s : "");
  t->n = 0;
  t->started = false;
  return rc;
}

/* Consumes one character of text at *p (plus the escaped one after a
   backslash), tracking the quote state in *quote ('\0' when outside). */
static int rsp_step(const char **p, char *quote, struct rsp_tok *t,
                    struct cc_args *out) {
  char c = **p;
  (*p)++;
  if (*quote == '\'') {
    if (c == '\'') {
      *quote = '\0';
      return 0;
    }
    return tok_put(t, c);
  }
  if (c == '\\' && **p) {
    c = **p;
    (*p)++;
    return tok_put(t, c);
  }
  if (*quote == '"') {
    if (c == '"') {
      *quote = '\0';
      return 0;
    }
    return tok_put(t, c);
  }
  if (c == '\'' || c == '"') {
    *quote = c;
    t->started = true;
    return 0;
  }
  if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f')
    return tok_flush(t, out);
  return tok_put(t, c);
}

int cc_rsp_split(const char *text, struct cc_args *out) {
  struct rsp_tok t = {0};
  char quote = '\0';
  int rc = 0;
  const char *p = text;
  while (*p && rc == 0)
    rc = rsp_step(&p, &quote, &t, out);
  if (rc == 0)
    rc = tok_flush(&t, out);
  free(t.s);
  return rc;
}

/* Reads a whole file into a NUL-terminated buffer the caller frees, or
   returns NULL (unreadable file or out of memory). */
static char *read_all(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  size_t n = 0, cap = 4096;
  char *buf = malloc(cap);
  while (buf) {
    n += fread(buf + n, 1, cap - n - 1, f);
    if (ferror(f) || feof(f))
      break;
    char *grown = realloc(buf, cap * 2);
    if (!grown) {
      free(buf);
      buf = NULL;
      break;
    }
    buf = grown;
    cap *= 2;
  }
  if (buf && ferror(f)) {
    free(buf);
    buf = NULL;
  }
  fclose(f);
  if (buf)
    buf[n] = '\0';
  return buf;
}

/* Expands src into out; depth counts the @file levels already opened. */
static int rsp_expand_depth(struct cc_view src, struct cc_args *out,
                            unsigned depth) {
  for (size_t i = 0; i < src.n; i++) {
    const char *a = src.v[i];
    char *text = NULL;
    if (a[0] == '@' && a[1] && depth < RSP_MAX_DEPTH)
      text = read_all(a + 1);
    if (!text) {
      if (cc_args_push(out, a) < 0)
        return -1;
      continue;
    }
    struct cc_args inner;
    cc_args_init(&inner);
    int rc = cc_rsp_split(text, &inner);
    free(text);
    if (rc == 0)
      rc = rsp_expand_depth(cc_args_view(&inner), out, depth + 1);
    cc_args_free(&inner);
    if (rc < 0)
      return -1;
  }
  return out->oom ? -1 : 0;
}

int cc_rsp_expand(struct cc_view src, struct cc_args *out) {
  return rsp_expand_depth(src, out, 0);
}
