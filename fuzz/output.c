/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * The output directory and its file names (output.h).
 */
#include "output.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static bool out_fail(char *err, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static bool out_fail(char *err, size_t len, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  /* va_start above initialises ap; clang-analyzer 14 reports it wrongly.
     NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized) */
  vsnprintf(err, len, fmt, ap);
  va_end(ap);
  return false;
}

char *out_path(const char *dir, const char *rel) {
  char *p = NULL;
  if (asprintf(&p, "%s/%s", dir, rel) < 0)
    return NULL;
  return p;
}

/* ---- names -----------------------------------------------------------------
 */

void out_name_seed(char *buf, size_t n, uint32_t id, uint64_t execs,
                   const char *orig) {
  const char *base = strrchr(orig, '/');
  base = base ? base + 1 : orig;
  snprintf(buf, n, "id:%06u,time:0,execs:%llu,orig:%s", id,
           (unsigned long long)execs, base);
}

/* AFL++'s describe_op, appended at buf + strlen(buf). */
static void out_describe(char *buf, size_t n, const struct out_desc *d) {
  size_t l = strlen(buf);
  if (d->sync) {
    snprintf(buf + l, n - l, "sync:%s,src:%06u", d->sync, d->src);
    return;
  }
  l += (size_t)snprintf(buf + l, n - l, "src:%06u", d->src);
  if (d->has_src2 && l < n)
    l += (size_t)snprintf(buf + l, n - l, "+%06u", d->src2);
  if (l < n)
    l += (size_t)snprintf(buf + l, n - l, ",time:%llu,execs:%llu,op:%s",
                          (unsigned long long)d->time_ms,
                          (unsigned long long)d->execs, d->op);
  if (l >= n)
    return;
  if (d->pos >= 0) {
    l += (size_t)snprintf(buf + l, n - l, ",pos:%lld", (long long)d->pos);
    if (d->has_val && l < n)
      snprintf(buf + l, n - l, ",val:%s%+d", d->val_be ? "be:" : "", d->val);
  } else {
    snprintf(buf + l, n - l, ",rep:%u", d->rep);
  }
}

void out_name_entry(char *buf, size_t n, uint32_t id, const struct out_desc *d,
                    bool new_cov) {
  snprintf(buf, n, "id:%06u,", id);
  out_describe(buf, n, d);
  size_t l = strlen(buf);
  if (new_cov && l + 5 < n)
    memcpy(buf + l, ",+cov", 6);
}

void out_name_crash(char *buf, size_t n, uint32_t id, int sig,
                    const struct out_desc *d) {
  snprintf(buf, n, "id:%06u,sig:%02d,", id, sig);
  out_describe(buf, n, d);
}

void out_name_hang(char *buf, size_t n, uint32_t id, const struct out_desc *d) {
  snprintf(buf, n, "id:%06u,", id);
  out_describe(buf, n, d);
}

/* ---- atomic saves ----------------------------------------------------------
 */

static bool out_write_fd(int fd, const uint8_t *buf, size_t len) {
  while (len) {
    ssize_t w = write(fd, buf, len);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0) {
      if (w == 0)
        errno = ENOSPC;
      return false;
    }
    buf += w;
    len -= (size_t)w;
  }
  return true;
}

bool out_save(const char *dir, const char *name, const uint8_t *buf, size_t len,
              char *err, size_t errlen) {
  char tmp[PATH_MAX], dst[PATH_MAX];
  snprintf(tmp, sizeof(tmp), "%s/.lop-save.XXXXXX", dir);
  snprintf(dst, sizeof(dst), "%s/%s", dir, name);
  int fd = mkostemp(tmp, O_CLOEXEC);
  if (fd < 0)
    return out_fail(err, errlen, "cannot create a file in %s: %s", dir,
                    strerror(errno));
  bool ok = out_write_fd(fd, buf, len) && fchmod(fd, 0600) == 0;
  int e = errno;
  ok = close(fd) == 0 && ok;
  if (ok && rename(tmp, dst) == 0)
    return true;
  e = ok ? errno : e;
  unlink(tmp);
  return out_fail(err, errlen, "cannot save %s: %s", dst, strerror(e));
}

/* ---- directory set-up
 * -------------------------------------------------------- */

static bool out_mkdir(const char *path, char *err, size_t len) {
  if (mkdir(path, 0700) == 0 || errno == EEXIST)
    return true;
  return out_fail(err, len, "cannot create %s: %s", path, strerror(errno));
}

/* True when dir/queue holds at least one file: an earlier run. */
static bool out_has_run(const char *dir) {
  char *q = out_path(dir, "queue");
  DIR *d = q ? opendir(q) : NULL;
  bool found = false;
  struct dirent *de;
  while (d && !found && (de = readdir(d)))
    found = strncmp(de->d_name, "id:", 3) == 0;
  if (d)
    closedir(d);
  free(q);
  return found;
}

/* Remove a tree (only what lop-fuzz creates: files and directories). */
static void out_rm_tree(const char *path) {
  DIR *d = opendir(path);
  struct dirent *de;
  if (!d) {
    unlink(path);
    return;
  }
  while ((de = readdir(d))) {
    if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
      continue;
    char *p = out_path(path, de->d_name);
    if (p)
      out_rm_tree(p);
    free(p);
  }
  closedir(d);
  rmdir(path);
}

/* Keep a non-empty crashes/ or hangs/ of the earlier run under
   <kind>.<date>, as afl-fuzz does on resume: findings are never lost. */
static bool out_keep_findings(const char *dir, const char *kind, char *err,
                              size_t len) {
  char *p = out_path(dir, kind);
  if (!p)
    return out_fail(err, len, "out of memory");
  if (rmdir(p) == 0 || errno == ENOENT) {
    free(p);
    return true;
  }
  char stamp[32], to[PATH_MAX];
  time_t t = time(NULL);
  strftime(stamp, sizeof(stamp), "%Y-%m-%d-%H:%M:%S", localtime(&t));
  snprintf(to, sizeof(to), "%s.%s", p, stamp);
  bool ok = rename(p, to) == 0;
  int e = errno;
  free(p);
  return ok || out_fail(err, len, "cannot move %s/%s aside: %s", dir, kind,
                        strerror(e));
}

/* Clear an earlier run for a resume: the old queue becomes the input. */
static bool out_clear_for_resume(struct out_dir *d, char *err, size_t len) {
  static const char *const drop[] = {
      "fuzzer_stats", "fuzz_bitmap",  "cmdline", "fuzzer_setup",
      ".cur_input",   "is_main_node", ".synced"};
  char *q = out_path(d->dir, "queue");
  d->resume = out_path(d->dir, "_resume");
  if (!q || !d->resume)
    return out_fail(err, len, "out of memory");
  out_rm_tree(d->resume);
  bool ok = rename(q, d->resume) == 0;
  int e = errno;
  free(q);
  if (!ok)
    return out_fail(err, len, "cannot move the old queue of %s aside: %s",
                    d->dir, strerror(e));
  for (size_t i = 0; i < sizeof(drop) / sizeof(*drop); i++) {
    char *p = out_path(d->dir, drop[i]);
    if (p)
      out_rm_tree(p);
    free(p);
  }
  return out_keep_findings(d->dir, "crashes", err, len) &&
         out_keep_findings(d->dir, "hangs", err, len);
}

static bool out_make_tree(const struct out_dir *d, char *err, size_t len) {
  static const char *const sub[] = {"queue", "queue/.state", "crashes", "hangs",
                                    ".synced"};
  if (!out_mkdir(d->sync, err, len) || !out_mkdir(d->dir, err, len))
    return false;
  for (size_t i = 0; i < sizeof(sub) / sizeof(*sub); i++) {
    char *p = out_path(d->dir, sub[i]);
    bool ok = p && out_mkdir(p, err, len);
    free(p);
    if (!ok)
      return p ? false : out_fail(err, len, "out of memory");
  }
  return true;
}

bool out_setup(struct out_dir *d, struct fz_opts *o, char *err, size_t errlen) {
  memset(d, 0, sizeof(*d));
  d->sync = strdup(o->out_dir);
  d->dir = out_path(o->out_dir, o->name);
  if (!d->sync || !d->dir)
    return out_fail(err, errlen, "out of memory");
  bool earlier = out_has_run(d->dir);
  if (o->resume && !earlier)
    return out_fail(err, errlen,
                    "-i - resumes a run, but %s holds none; give -i with a "
                    "seed directory",
                    d->dir);
  if (earlier && !o->resume && !o->autoresume)
    return out_fail(err, errlen,
                    "%s holds an earlier run; resume it with -i - (or "
                    "AFL_AUTORESUME=1), or choose another -o",
                    d->dir);
  if (earlier) {
    o->resume = true;
    if (!out_clear_for_resume(d, err, errlen))
      return false;
  }
  return out_make_tree(d, err, errlen);
}

/* ---- cmdline, fuzzer_setup, README
 * ------------------------------------------- */

static bool out_text(const struct out_dir *d, const char *name,
                     const char *text, char *err, size_t len) {
  return out_save(d->dir, name, (const uint8_t *)text, strlen(text), err, len);
}

/* Append s to a growing buffer (open_memstream). */
static void out_shell_quote(FILE *f, const char *s) {
  fputc('\'', f);
  for (; *s; s++) {
    if (*s == '\'')
      fputs("'\\''", f);
    else
      fputc(*s, f);
  }
  fputc('\'', f);
}

static char *out_setup_text(const struct fz_opts *o, char **envp) {
  char *buf = NULL;
  size_t n = 0;
  FILE *f = open_memstream(&buf, &n);
  if (!f)
    return NULL;
  fputs("# environment variables:\n", f);
  for (size_t i = 0; envp && envp[i]; i++)
    if (strncmp(envp[i], "AFL_", 4) == 0)
      fprintf(f, "%s\n", envp[i]);
  /* The whole command line, options included (afl-fuzz's form), or the
     target's alone when the caller did not keep lop-fuzz's. */
  fputs("# command line:\n", f);
  char **argv = o->fuzz_argv ? o->fuzz_argv + 1 : o->argv;
  out_shell_quote(f, "lop-fuzz");
  for (size_t i = 0; argv[i]; i++) {
    fputc(' ', f);
    out_shell_quote(f, argv[i]);
  }
  fputc('\n', f);
  fclose(f);
  return buf;
}

static char *out_cmdline_text(const struct fz_opts *o) {
  char *buf = NULL;
  size_t n = 0;
  FILE *f = open_memstream(&buf, &n);
  if (!f)
    return NULL;
  for (size_t i = 0; o->argv[i]; i++)
    fprintf(f, "%s\n", o->argv[i]);
  fclose(f);
  return buf;
}

static const char out_crash_readme[] =
    "Inputs in this directory crashed the target (the sig: field is the\n"
    "signal). Reproduce one by running the target on it as lop-fuzz did,\n"
    "e.g. ./target < crashes/id:000000,... or with the file for @@.\n"
    "Minimise with afl-tmin; the command line is in ../cmdline.\n";

bool out_write_meta(const struct out_dir *d, const struct fz_opts *o,
                    char **envp, char *err, size_t errlen) {
  char *setup = out_setup_text(o, envp), *cmd = out_cmdline_text(o);
  bool ok = setup && cmd && out_text(d, "fuzzer_setup", setup, err, errlen) &&
            out_text(d, "cmdline", cmd, err, errlen);
  if (!setup || !cmd)
    out_fail(err, errlen, "out of memory");
  free(setup);
  free(cmd);
  if (ok && o->is_main)
    ok = out_text(d, "is_main_node", "", err, errlen);
  return ok;
}

bool out_crash_readme_once(const struct out_dir *d, char *err, size_t errlen) {
  char *crashes = out_path(d->dir, "crashes");
  bool ok = crashes &&
            out_save(crashes, "README.txt", (const uint8_t *)out_crash_readme,
                     sizeof(out_crash_readme) - 1, err, errlen);
  free(crashes);
  return ok;
}

void out_finish(const struct out_dir *d) {
  char *p = out_path(d->dir, "is_main_node");
  if (p)
    unlink(p);
  free(p);
}

void out_drop_resume(struct out_dir *d) {
  if (d->resume)
    out_rm_tree(d->resume);
}

void out_free(struct out_dir *d) {
  free(d->sync);
  free(d->dir);
  free(d->resume);
  memset(d, 0, sizeof(*d));
}
