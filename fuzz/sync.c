/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Import from other instances of one sync directory, as afl-fuzz does
 * (FUZZER.md): every other directory not starting with '.', secondaries
 * only from main instances; its queue/id:NNNNNN* files from the id stored
 * in .synced/<name> (a native-endian u32), each run and kept when it is
 * new here. Ids are not assumed contiguous: every file at or above the
 * stored id is looked at, in name order.
 */
#include "engine.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The next id to import from instance `name` (0 when never synced). */
static uint32_t sync_next_id(const struct engine *e, const char *name) {
  char path[PATH_MAX];
  uint32_t id = 0;
  snprintf(path, sizeof(path), "%s/.synced/%s", e->out.dir, name);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd >= 0) {
    if (read(fd, &id, sizeof(id)) != (ssize_t)sizeof(id))
      id = 0;
    close(fd);
  }
  return id;
}

static void sync_store_id(struct engine *e, const char *name, uint32_t id) {
  char dir[PATH_MAX], last[PATH_MAX], err[256];
  snprintf(dir, sizeof(dir), "%s/.synced", e->out.dir);
  out_save(dir, name, (const uint8_t *)&id, sizeof(id), err, sizeof(err));
  snprintf(last, sizeof(last), "%s.last", name);
  out_save(dir, last, (const uint8_t *)"", 0, err, sizeof(err));
}

/* Id of a queue file name "id:NNNNNN...", or -1. */
static long sync_file_id(const char *name) {
  if (strncmp(name, "id:", 3) != 0)
    return -1;
  char *end;
  long id = strtol(name + 3, &end, 10);
  return end == name + 3 ? -1 : id;
}

/* Read a file of 1..MAX_FILE bytes into a new buffer (*data, owned by
   the caller); its length, or 0 with *data NULL. A buffer of its own: an
   import may run in the middle of a stage that keeps state in e->buf. */
static size_t sync_read(const char *path, uint8_t **data) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  struct stat st;
  size_t len = 0;
  *data = NULL;
  if (fd < 0)
    return 0;
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
      (uint64_t)st.st_size <= MAX_FILE &&
      (*data = malloc((size_t)st.st_size)) &&
      read(fd, *data, (size_t)st.st_size) == st.st_size)
    len = (size_t)st.st_size;
  close(fd);
  if (!len) {
    free(*data);
    *data = NULL;
  }
  return len;
}

static int sync_cmp(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Run and judge one file of instance `name`. */
static void sync_one(struct engine *e, const char *name, const char *qdir,
                     const char *file, long id) {
  char path[PATH_MAX];
  snprintf(path, sizeof(path), "%s/%s", qdir, file);
  uint8_t *data;
  size_t len = sync_read(path, &data);
  if (!len)
    return;
  enum exec_result r = exec_run(&e->x, data, len);
  struct out_desc d = {.src = (uint32_t)id, .sync = name, .pos = -1};
  eng_save_if_interesting(e, data, len, r, &d);
  free(data);
}

/* Import instance `name`'s new queue entries. */
static void sync_instance(struct engine *e, const char *name) {
  char qdir[PATH_MAX];
  snprintf(qdir, sizeof(qdir), "%s/%s/queue", e->out.sync, name);
  DIR *d = opendir(qdir);
  if (!d)
    return;
  uint32_t next = sync_next_id(e, name), top = next;
  char **files = NULL;
  size_t n = 0, cap = 0;
  struct dirent *de;
  while ((de = readdir(d))) {
    long id = sync_file_id(de->d_name);
    if (id < (long)next)
      continue;
    if (n == cap) {
      cap = cap ? cap * 2 : 64;
      char **nf = realloc(files, cap * sizeof(*nf));
      if (!nf)
        break;
      files = nf;
    }
    files[n++] = strdup(de->d_name);
  }
  closedir(d);
  if (n)
    qsort(files, n, sizeof(*files), sync_cmp);
  for (size_t i = 0; i < n; i++) {
    long id = sync_file_id(files[i]);
    if (!*e->stop)
      sync_one(e, name, qdir, files[i], id);
    if ((uint32_t)id + 1 > top)
      top = (uint32_t)id + 1;
    free(files[i]);
  }
  free(files);
  if (top != next)
    sync_store_id(e, name, top);
}

/* Other instances worth importing from. */
static bool sync_wanted(const struct engine *e, const char *name) {
  char path[PATH_MAX];
  struct stat st;
  if (name[0] == '.' || strcmp(name, e->o->name) == 0)
    return false;
  snprintf(path, sizeof(path), "%s/%s/queue", e->out.sync, name);
  if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
    return false;
  if (!e->o->is_secondary)
    return true;
  snprintf(path, sizeof(path), "%s/%s/is_main_node", e->out.sync, name);
  return access(path, F_OK) == 0;
}

void eng_sync(struct engine *e) {
  DIR *d = opendir(e->out.sync);
  struct dirent *de;
  if (!d)
    return;
  const char *old = e->stage;
  e->stage = "sync";
  while ((de = readdir(d)) && !*e->stop)
    if (sync_wanted(e, de->d_name))
      sync_instance(e, de->d_name);
  closedir(d);
  e->stage = old;
  e->last_sync_ms = eng_now_ms();
}
