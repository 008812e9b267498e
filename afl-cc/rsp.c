/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Response-file expansion for the wrapper's argument predicates. Build
 * systems (CMake, Meson, libtool) put long command lines into @file
 * arguments; a wrapper that ignored them would, for example, link the
 * runtime into a `-c` compile hidden in a response file.
 */
#include "rsp.h"

#include "error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

/* What one expansion has spent and which files it is inside. */
struct rsp_walk {
  struct cc_args *out;
  size_t args;  /* arguments read from response files so far */
  size_t bytes; /* bytes read from response files so far */
  size_t reads; /* response files opened and read so far */
  unsigned depth;
  dev_t dev[RSP_MAX_DEPTH]; /* the files being expanded, outermost first */
  ino_t ino[RSP_MAX_DEPTH];
  char **err;
};

/* True when the file st describes is already being expanded (clang's
   test: same device and inode), so it must stay a literal argument. */
static bool on_stack(const struct rsp_walk *w, const struct stat *st) {
  for (unsigned i = 0; i < w->depth; i++)
    if (w->dev[i] == st->st_dev && w->ino[i] == st->st_ino)
      return true;
  return false;
}

/* Reads what is left of f into a NUL-terminated buffer the caller frees,
   spending w's byte budget. NULL with *over false: a read error (the
   @file stays literal, as clang leaves it) or out of memory (*oom);
   NULL with *over true: the budget ran out. */
static char *read_capped(FILE *f, struct rsp_walk *w, bool *over, bool *oom) {
  size_t left = RSP_MAX_BYTES - w->bytes, n = 0, cap = 4096;
  char *buf = malloc(cap);
  while (buf && n <= left && !ferror(f) && !feof(f)) {
    if (n + 1 == cap) {
      char *grown = realloc(buf, cap * 2);
      if (!grown)
        free(buf);
      buf = grown;
      cap *= 2;
      continue;
    }
    size_t want = cap - n - 1 < left + 1 - n ? cap - n - 1 : left + 1 - n;
    n += fread(buf + n, 1, want, f);
  }
  *oom = !buf;
  *over = buf && n > left;
  if (!buf || ferror(f) || *over) {
    free(buf);
    return NULL;
  }
  w->bytes += n;
  buf[n] = '\0';
  return buf;
}

static int walk(struct cc_view src, struct rsp_walk *w);

/* Expands the response file path, already open as f with status st, into
   w->out. Returns 1 when it stays literal (unreadable), 0 when expanded,
   -1 on error (*w->err set; NULL when out of memory). */
static int expand_file(const char *path, FILE *f, const struct stat *st,
                       struct rsp_walk *w) {
  bool over = false, oom = false;
  if (++w->reads > RSP_MAX_READS)
    return cc_fail(w->err,
                   "response files are read more than %u times, reached in "
                   "@%s; check the @file references for a loop",
                   RSP_MAX_READS, path);
  char *text = read_capped(f, w, &over, &oom);
  if (over)
    return cc_fail(w->err,
                   "response files hold more than %u MiB, reached in @%s; "
                   "check that it is a response file and not a device or a "
                   "growing file",
                   RSP_MAX_BYTES >> 20, path);
  if (!text)
    return oom ? cc_fail_oom(w->err) : 1;
  struct cc_args inner;
  cc_args_init(&inner);
  int rc = cc_rsp_split(text, &inner) < 0 ? cc_fail_oom(w->err) : 0;
  free(text);
  w->args += inner.n;
  if (rc == 0 && w->args > RSP_MAX_ARGS)
    rc = cc_fail(w->err,
                 "response files expand to more than %u arguments, reached "
                 "in @%s; check the @file references for a loop or split "
                 "the command",
                 RSP_MAX_ARGS, path);
  if (rc == 0 && w->depth == RSP_MAX_DEPTH)
    rc = cc_fail(w->err,
                 "response files nest more than %u deep, reached in @%s; "
                 "flatten the @file references",
                 RSP_MAX_DEPTH, path);
  if (rc == 0) {
    w->dev[w->depth] = st->st_dev;
    w->ino[w->depth++] = st->st_ino;
    rc = walk(cc_args_view(&inner), w);
    w->depth--;
  }
  cc_args_free(&inner);
  return rc;
}

/* Expands one argument that starts with '@'. Returns 1 when it stays
   literal, else as expand_file(). */
static int expand_ref(const char *arg, struct rsp_walk *w) {
  struct stat st;
  FILE *f = arg[1] ? fopen(arg + 1, "rb") : NULL;
  if (!f)
    return 1;
  int rc = 1;
  if (fstat(fileno(f), &st) == 0 && !on_stack(w, &st))
    rc = expand_file(arg + 1, f, &st, w);
  fclose(f);
  return rc;
}

/* Appends src to w->out, expanding each @file that is readable and not
   already being expanded. */
static int walk(struct cc_view src, struct rsp_walk *w) {
  for (size_t i = 0; i < src.n; i++) {
    int rc = src.v[i][0] == '@' ? expand_ref(src.v[i], w) : 1;
    if (rc < 0)
      return -1;
    if (rc == 1 && cc_args_push(w->out, src.v[i]) < 0)
      return cc_fail_oom(w->err);
  }
  return 0;
}

int cc_rsp_expand(struct cc_view src, struct cc_args *out, char **err) {
  struct rsp_walk w = {.out = out, .err = err};
  return walk(src, &w);
}
