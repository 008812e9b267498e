/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Dictionaries for lop-fuzz. The `-x` grammar is AFL++ 4.04c's
 * (load_extras_file): a line is trimmed; blank lines and `#` comments are
 * skipped; otherwise an optional label of [A-Za-z0-9_], an optional `@level`,
 * an optional `[N]`, blanks and `=`, then a value in double quotes that runs
 * to the line's last `"`, with \\, \" and \xNN escapes. Where afl-fuzz 4.04c
 * only warns about a bad line (and loops forever on a control character),
 * lop-fuzz stops with "FILE:LINE: what is wrong", as AFL 2.57b did. The
 * dictionary stays sorted by token length (stable), the order AFL's
 * deterministic dictionary stages walk.
 */
#include "dict.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The limit as it appears in the static error text below. */
_Static_assert(DICT_MAX_TOKEN == 128, "update the 'longer than' message");

/* Value of one hex digit; the caller has checked isxdigit. */
static unsigned dict_hexval(char c) {
  if (c >= '0' && c <= '9')
    return (unsigned)(c - '0');
  return (unsigned)(tolower((unsigned char)c) - 'a' + 10);
}

/* Parse the quoted value s[0..end) (quotes removed) into out. Returns 1,
   or -1 with *why set. Bytes past DICT_MAX_TOKEN are counted, not stored. */
static int dict_parse_value(const char *s, size_t end, uint8_t *out,
                            uint32_t *len, const char **why) {
  uint32_t n = 0;
  for (size_t i = 0; i < end;) {
    unsigned char c = (unsigned char)s[i];
    unsigned v = c;
    if (c < 32 || c >= 128) {
      *why = "non-printable character in the value; write it as \\xNN";
      return -1;
    }
    if (c == '\\') {
      char e = i + 1 < end ? s[i + 1] : '\0';
      if (e == '\\' || e == '"') {
        v = (unsigned char)e;
        i += 2;
      } else if (e == 'x' && i + 3 < end && isxdigit((unsigned char)s[i + 2]) &&
                 isxdigit((unsigned char)s[i + 3])) {
        v = dict_hexval(s[i + 2]) << 4 | dict_hexval(s[i + 3]);
        i += 4;
      } else {
        *why = "bad escape; only \\\\, \\\" and \\xNN are allowed";
        return -1;
      }
    } else {
      i++;
    }
    if (n < DICT_MAX_TOKEN)
      out[n] = (uint8_t)v;
    n++;
  }
  if (n > DICT_MAX_TOKEN) {
    *why = "token longer than 128 bytes";
    return -1;
  }
  *len = n;
  return 1;
}

/* Skip the label, `@level`, `[N]`, blanks and `=` before the value.
   Returns the index of the opening quote's candidate; *level gets the
   level (0 without one, as atoi gives AFL). */
static size_t dict_skip_name(const char *s, size_t end, unsigned *level) {
  size_t i = 0;
  while (i < end && (isalnum((unsigned char)s[i]) || s[i] == '_'))
    i++;
  *level = 0;
  if (i < end && s[i] == '@') {
    i++;
    *level = (unsigned)atoi(s + i);
    while (i < end && isdigit((unsigned char)s[i]))
      i++;
  }
  if (i < end && s[i] == '[') {
    do
      i++;
    while (i < end && isdigit((unsigned char)s[i]));
    if (i < end && s[i] == ']')
      i++;
  }
  while (i < end && (isspace((unsigned char)s[i]) || s[i] == '='))
    i++;
  return i;
}

int dict_parse_line(const char *line, unsigned max_level, uint8_t *out,
                    uint32_t *len, const char **why) {
  while (isspace((unsigned char)*line))
    line++;
  size_t end = strlen(line);
  while (end > 0 && isspace((unsigned char)line[end - 1]))
    end--;
  if (end == 0 || line[0] == '#')
    return 0;
  end--; /* index of the closing quote */
  if (line[end] != '"') {
    *why = "line does not end in '\"'; write name=\"value\" or \"value\"";
    return -1;
  }
  unsigned level;
  size_t i = dict_skip_name(line, end, &level);
  if (level > max_level)
    return 0;
  if (i >= end || line[i] != '"') {
    *why = "no '\"' opens the value; write name=\"value\" or \"value\"";
    return -1;
  }
  if (i + 1 == end) {
    *why = "empty value";
    return -1;
  }
  return dict_parse_value(line + i + 1, end - i - 1, out, len, why);
}

/* First index whose token is longer than len (the stable insert point). */
static size_t dict_upper(const struct dict *d, size_t len) {
  size_t lo = 0, hi = d->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (d->tok[mid].len <= len)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

/* True when a token equal to data[0..len) is in the run of tokens of that
   length ending just before index `upper`. */
static bool dict_has(const struct dict *d, size_t upper, const uint8_t *data,
                     size_t len) {
  for (size_t i = upper; i > 0 && d->tok[i - 1].len == len; i--)
    if (memcmp(d->tok[i - 1].data, data, len) == 0)
      return true;
  return false;
}

/* Make room for one more token. False when full or out of memory. */
static bool dict_grow(struct dict *d) {
  if (d->n < d->cap)
    return true;
  if (d->cap >= DICT_MAX_TOKENS)
    return false;
  size_t cap = d->cap ? d->cap * 2 : 16;
  if (cap > DICT_MAX_TOKENS)
    cap = DICT_MAX_TOKENS;
  struct dict_token *t = realloc(d->tok, cap * sizeof(*t));
  if (!t)
    return false;
  d->tok = t;
  d->cap = cap;
  return true;
}

bool dict_add(struct dict *d, const uint8_t *data, size_t len) {
  if (len == 0 || len > DICT_MAX_TOKEN)
    return true;
  size_t at = dict_upper(d, len);
  if (dict_has(d, at, data, len))
    return true;
  if (!dict_grow(d))
    return false;
  memmove(&d->tok[at + 1], &d->tok[at], (d->n - at) * sizeof(d->tok[0]));
  memcpy(d->tok[at].data, data, len);
  d->tok[at].len = (uint32_t)len;
  d->n++;
  return true;
}

/* "Dictionary full" or "out of memory" for a failed dict_add. */
static void dict_full_err(const struct dict *d, const char *where, char *err,
                          size_t errlen) {
  if (d->n >= DICT_MAX_TOKENS)
    snprintf(err, errlen, "%s: more than %u dictionary tokens", where,
             DICT_MAX_TOKENS);
  else
    snprintf(err, errlen, "%s: out of memory", where);
}

/* Parse one line of `path` and add its token. False with err set. */
static bool dict_load_line(struct dict *d, const char *line, size_t got,
                           const char *path, unsigned lineno, unsigned level,
                           char *err, size_t errlen) {
  uint8_t tok[DICT_MAX_TOKEN];
  uint32_t len = 0;
  const char *why = "NUL byte in the line; write it as \\x00";
  int r =
      strlen(line) == got ? dict_parse_line(line, level, tok, &len, &why) : -1;
  if (r < 0) {
    snprintf(err, errlen, "%s:%u: %s", path, lineno, why);
    return false;
  }
  if (r > 0 && !dict_add(d, tok, len)) {
    dict_full_err(d, path, err, errlen);
    return false;
  }
  return true;
}

/* Load a dictionary file line by line; tokens above `level` are skipped. */
static bool dict_load_file(struct dict *d, const char *path, unsigned level,
                           char *err, size_t errlen) {
  FILE *f = fopen(path, "r");
  if (!f) {
    snprintf(err, errlen, "%s: %s", path, strerror(errno));
    return false;
  }
  char *line = NULL;
  size_t cap = 0;
  ssize_t got;
  unsigned lineno = 0;
  bool ok = true;
  while (ok && (got = getline(&line, &cap, f)) >= 0)
    ok = dict_load_line(d, line, (size_t)got, path, ++lineno, level, err,
                        errlen);
  if (ok && ferror(f)) {
    snprintf(err, errlen, "%s: read error", path);
    ok = false;
  }
  free(line);
  fclose(f);
  return ok;
}

/* Read one regular file of a dictionary directory as one token. Empty
   files and anything not a regular file (symlinks included: AFL lstat()s)
   are skipped. */
static bool dict_load_entry(struct dict *d, const char *fn, char *err,
                            size_t errlen) {
  struct stat st;
  if (lstat(fn, &st) != 0) {
    snprintf(err, errlen, "%s: %s", fn, strerror(errno));
    return false;
  }
  if (!S_ISREG(st.st_mode) || st.st_size == 0)
    return true;
  if (st.st_size > (off_t)DICT_MAX_TOKEN) {
    snprintf(err, errlen, "%s: token longer than %u bytes (%lld bytes)", fn,
             DICT_MAX_TOKEN, (long long)st.st_size);
    return false;
  }
  uint8_t tok[DICT_MAX_TOKEN];
  FILE *f = fopen(fn, "rb");
  size_t n = f ? fread(tok, 1, sizeof(tok), f) : 0;
  if (!f || n != (size_t)st.st_size) {
    snprintf(err, errlen, "%s: %s", fn, f ? "short read" : strerror(errno));
    if (f)
      fclose(f);
    return false;
  }
  fclose(f);
  if (!dict_add(d, tok, n)) {
    dict_full_err(d, fn, err, errlen);
    return false;
  }
  return true;
}

/* Load every file of directory `dir` (in name order, so a campaign is the
   same on every file system) as one token each. */
static bool dict_load_dir(struct dict *d, const char *dir, char *err,
                          size_t errlen) {
  struct dirent **names;
  int n = scandir(dir, &names, NULL, alphasort);
  if (n < 0) {
    snprintf(err, errlen, "%s: %s", dir, strerror(errno));
    return false;
  }
  bool ok = true;
  for (int i = 0; i < n; i++) {
    char fn[4096];
    if (ok && snprintf(fn, sizeof(fn), "%s/%s", dir, names[i]->d_name) >=
                  (int)sizeof(fn)) {
      snprintf(err, errlen, "%s: path too long", dir);
      ok = false;
    }
    if (ok)
      ok = dict_load_entry(d, fn, err, errlen);
    free(names[i]);
  }
  free(names);
  return ok;
}

/* Length of `path` without an `@N` suffix (digits only after the last
   '@'); *level gets N, *has_level whether there was one. */
static size_t dict_split_level(const char *path, unsigned *level,
                               bool *has_level) {
  const char *at = strrchr(path, '@');
  *level = 0;
  *has_level = false;
  if (!at || !at[1] || strspn(at + 1, "0123456789") != strlen(at + 1))
    return strlen(path);
  *level = (unsigned)strtoul(at + 1, NULL, 10);
  *has_level = true;
  return (size_t)(at - path);
}

bool dict_load(struct dict *d, const char *path, char *err, size_t errlen) {
  unsigned level;
  bool has_level;
  size_t plen = dict_split_level(path, &level, &has_level);
  char *p = strndup(path, plen);
  if (!p) {
    snprintf(err, errlen, "%s: out of memory", path);
    return false;
  }
  struct stat st;
  bool ok;
  if (stat(p, &st) != 0) {
    snprintf(err, errlen, "%s: %s", p, strerror(errno));
    ok = false;
  } else if (S_ISDIR(st.st_mode) && has_level) {
    snprintf(err, errlen,
             "%s: a directory has no levels; drop the @%u or use a file", p,
             level);
    ok = false;
  } else if (S_ISDIR(st.st_mode)) {
    ok = dict_load_dir(d, p, err, errlen);
  } else {
    ok = dict_load_file(d, p, level, err, errlen);
  }
  free(p);
  return ok;
}

size_t dict_load_auto(struct dict *d, const uint8_t *buf, size_t len) {
  size_t before = d->n;
  size_t off = 0;
  /* afl-forkserver.c: a record is taken while its last byte is inside. */
  while (off < len && off + buf[off] < len) {
    if (!dict_add(d, buf + off + 1, buf[off]))
      break;
    off += 1 + (size_t)buf[off];
  }
  return d->n - before;
}

void dict_free(struct dict *d) {
  free(d->tok);
  d->tok = NULL;
  d->n = d->cap = 0;
}
