/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * The first queue: every file of -i (or of the resumed queue) in name
 * order, each run and calibrated; a seed that crashes or times out stops
 * the start with a line naming it, as afl-fuzz does; the timeout is then
 * derived from the seeds' speed unless -t was given.
 */
#include "cov.h"
#include "engine.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int seeds_cmp(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Names of the regular, non-hidden files of dir, sorted. */
static char **seeds_list(struct engine *e, const char *dir, size_t *n) {
  DIR *d = opendir(dir);
  if (!d) {
    snprintf(e->err, sizeof(e->err), "cannot read seed directory %s: %s%s", dir,
             strerror(errno),
             errno == ENOENT ? "; create it and put at least one input in it"
                             : "");
    return NULL;
  }
  char **names = NULL;
  size_t cap = 0;
  struct dirent *de;
  *n = 0;
  while ((de = readdir(d))) {
    if (de->d_name[0] == '.' || !strcmp(de->d_name, "README.txt"))
      continue;
    if (*n == cap) {
      cap = cap ? cap * 2 : 64;
      char **nn = realloc(names, cap * sizeof(*nn));
      if (!nn)
        break;
      names = nn;
    }
    names[(*n)++] = strdup(de->d_name);
  }
  closedir(d);
  if (*n)
    qsort(names, *n, sizeof(*names), seeds_cmp);
  return names;
}

/* Read dir/name into a new buffer. 0 = read, 1 = skipped (not a regular
   file, empty), -1 = error (e->err set). */
static int seeds_read(struct engine *e, const char *path, uint8_t **data,
                      size_t *len) {
  struct stat st;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0 || fstat(fd, &st) < 0) {
    snprintf(e->err, sizeof(e->err), "cannot read seed %s: %s", path,
             strerror(errno));
    if (fd >= 0)
      close(fd);
    return -1;
  }
  if (!S_ISREG(st.st_mode) || st.st_size == 0) {
    close(fd);
    return 1;
  }
  if ((uint64_t)st.st_size > MAX_FILE) {
    close(fd);
    snprintf(e->err, sizeof(e->err),
             "seed %s is %lld bytes, more than the %u byte limit; shorten it "
             "or leave it out",
             path, (long long)st.st_size, MAX_FILE);
    return -1;
  }
  *len = (size_t)st.st_size;
  *data = malloc(*len);
  bool ok = *data && read(fd, *data, *len) == (ssize_t)*len;
  close(fd);
  if (!ok) {
    free(*data);
    *data = NULL;
    snprintf(e->err, sizeof(e->err), "cannot read seed %s", path);
    return -1;
  }
  return 0;
}

/* Run one seed; a crash or hang is an error (or, for a slow seed with
   -t ms+, a skip). Returns 0 = keep, 1 = skip, -1 = error. */
static int seeds_check(struct engine *e, const char *path, const uint8_t *buf,
                       size_t len) {
  enum exec_result r = exec_run(&e->x, buf, len);
  if (r == EXEC_FAIL) {
    snprintf(e->err, sizeof(e->err), "%s", e->x.err);
    return -1;
  }
  if (r == EXEC_HANG && e->o->skip_slow)
    return 1;
  if (r == EXEC_HANG) {
    snprintf(e->err, sizeof(e->err),
             "seed %s times out (%u ms); raise -t, use -t %u+ to skip slow "
             "seeds, or leave it out",
             path, e->timeout_ms, e->timeout_ms);
    return -1;
  }
  if (r == EXEC_CRASH) {
    snprintf(e->err, sizeof(e->err),
             "seed %s crashes the target%s; fix the target or leave the seed "
             "out (it is a crash already)",
             path, e->x.last_signal ? "" : " (AFL_CRASH_EXITCODE)");
    return -1;
  }
  return 0;
}

/* A resumed entry keeps its name when its id is still its place in the
   queue (afl-fuzz's rule); anything else becomes `id:N,time:0,execs:0,
   orig:NAME`. */
static void seeds_name(const struct engine *e, const char *name, char *buf,
                       size_t n) {
  char want[16];
  snprintf(want, sizeof(want), "id:%06u", (uint32_t)e->q.n);
  if (e->o->resume && strncmp(name, want, strlen(want)) == 0 &&
      (name[strlen(want)] == ',' || !name[strlen(want)]) && strlen(name) < n) {
    snprintf(buf, n, "%s", name);
    return;
  }
  out_name_seed(buf, n, (uint32_t)e->q.n, 0, name);
}

/* Add one seed file as queue entry `id:N,time:0,execs:0,orig:NAME`. */
static int seeds_one(struct engine *e, const char *dir, const char *name) {
  char *path = out_path(dir, name);
  uint8_t *data = NULL;
  size_t len = 0;
  int rc = path ? seeds_read(e, path, &data, &len) : -1;
  if (rc == 0 && (rc = seeds_check(e, path, data, len)) == 0) {
    char fname[OUT_NAME_MAX];
    seeds_name(e, name, fname, sizeof(fname));
    rc = eng_add_entry(e, data, len, fname, 1) ? 0 : -1;
  }
  free(data);
  free(path);
  return rc;
}

/* AFL's derived timeout: 5x the average calibrated seed, rounded up to
   20 ms, at most the calibration timeout. */
static void seeds_timeout(struct engine *e) {
  if (e->o->timeout_ms)
    return;
  uint64_t avg = e->total_cal_us / (e->total_cal_runs ? e->total_cal_runs : 1);
  uint64_t ms = avg * ENG_TIMEOUT_MULT / 1000 + 1;
  ms = (ms + ENG_TIMEOUT_ROUND_MS - 1) / ENG_TIMEOUT_ROUND_MS *
       ENG_TIMEOUT_ROUND_MS;
  e->timeout_ms = ms < ENG_CAL_TIMEOUT_MS ? (uint32_t)ms : ENG_CAL_TIMEOUT_MS;
  exec_set_timeout(&e->x, e->timeout_ms);
}

bool eng_load_seeds(struct engine *e) {
  const char *dir = e->o->resume ? e->out.resume : e->o->in_dir;
  size_t n = 0, skipped = 0;
  char **names = seeds_list(e, dir, &n);
  if (!names && e->err[0])
    return false;
  n = names ? n : 0;
  int rc = 0;
  e->stage = "loading seeds";
  for (size_t i = 0; i < n && rc >= 0; i++) {
    rc = seeds_one(e, dir, names[i]);
    skipped += rc == 1;
  }
  for (size_t i = 0; i < n; i++)
    free(names[i]);
  free(names);
  if (rc < 0)
    return false;
  if (e->q.n == 0) {
    snprintf(e->err, sizeof(e->err),
             "no usable seed in %s%s; put at least one non-empty file in it",
             dir, skipped ? " (every seed was empty or skipped)" : "");
    return false;
  }
  seeds_timeout(e);
  if (!eng_cmplog_check(e))
    return false;
  queue_cull(&e->q);
  if (e->o->resume)
    out_drop_resume(&e->out);
  return true;
}
