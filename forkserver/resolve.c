/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Finding the target and learning what it is before starting it: resolve
 * argv[0] through PATH (the client uses execv, so it needs a path), and
 * memmem the file for the persistent and deferred signatures the way
 * afl-fuzz does, trailing NUL included.
 */
#include "resolve.h"
#include "forkserver.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* A directory is executable too; only a regular file can be a target. */
static bool resolve_is_exec(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

/* Like execvp's search, minus the shell fallback. Returns a malloc'd path
   or NULL. An empty PATH element means the current directory. */
char *fsrv_resolve_target(const char *name) {
  if (strchr(name, '/'))
    return resolve_is_exec(name) ? strdup(name) : NULL;
  const char *path = getenv("PATH");
  if (!path || !*path)
    path = "/usr/local/bin:/usr/bin:/bin";
  char buf[PATH_MAX];
  while (*path) {
    size_t n = strcspn(path, ":");
    int len = snprintf(buf, sizeof(buf), "%.*s%s%s", (int)n, path, n ? "/" : "",
                       name);
    if (len > 0 && (size_t)len < sizeof(buf) && resolve_is_exec(buf))
      return strdup(buf);
    path += n + (path[n] == ':');
  }
  return NULL;
}

/* Unreadable or empty files simply have no signatures; the exec will then
   tell the user what is wrong with them. */
void fsrv_scan_signatures(const char *path, bool *persistent, bool *deferred,
                          bool *sanitizer) {
  static const char *const san[] = {"__asan_init", "__msan_init",
                                    "__lsan_init"};
  *persistent = *deferred = *sanitizer = false;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return;
  struct stat st;
  if (fstat(fd, &st) == 0 && st.st_size > 0) {
    void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (p != MAP_FAILED) {
      size_t n = (size_t)st.st_size;
      *persistent = memmem(p, n, PERSIST_SIG, sizeof(PERSIST_SIG)) != NULL;
      *deferred = memmem(p, n, DEFER_SIG, sizeof(DEFER_SIG)) != NULL;
      for (size_t i = 0; i < sizeof(san) / sizeof(san[0]); i++)
        *sanitizer |= memmem(p, n, san[i], strlen(san[i])) != NULL;
      munmap(p, n);
    }
  }
  close(fd);
}
