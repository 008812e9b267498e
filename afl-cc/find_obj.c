/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Object lookup for the wrapper (see find_obj.h). The error names every
 * directory tried, because "runtime not found" alone sends users guessing
 * which install or build tree the wrapper looked at.
 */
#include "find_obj.h"

#include "error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char *cc_self_lib_dir(const char *self_exe) {
  if (!self_exe || !strchr(self_exe, '/'))
    return NULL;
  char *dir = strdup(self_exe);
  if (!dir)
    return NULL;
  for (int up = 0; up < 2; up++) { /* drop the file, then its bin/ dir */
    char *slash = strrchr(dir, '/');
    if (slash)
      *slash = '\0';
    else
      dir[0] = '\0';
  }
  char *lib = NULL;
  if (asprintf(&lib, "%s/lib/lop", dir) < 0)
    lib = NULL;
  free(dir);
  return lib;
}

int cc_search_dirs(const char *self_exe, const char *afl_path,
                   const char *install_dir, struct cc_args *dirs) {
  char *self = cc_self_lib_dir(self_exe);
  if (self)
    cc_args_push(dirs, self);
  free(self);
  if (afl_path && *afl_path)
    cc_args_push(dirs, afl_path);
  if (install_dir && *install_dir)
    cc_args_push(dirs, install_dir);
  return dirs->oom ? -1 : 0;
}

bool cc_obj_exists(const char *dir, const char *name) {
  char *path = NULL;
  if (asprintf(&path, "%s/%s", dir, name) < 0)
    return false;
  bool ok = access(path, R_OK) == 0;
  free(path);
  return ok;
}

int cc_find_obj_dir(struct cc_view dirs, char **err) {
  for (size_t i = 0; i < dirs.n; i++)
    if (cc_obj_exists(dirs.v[i], CC_OBJ_RT))
      return (int)i;
  size_t len = 1;
  for (size_t i = 0; i < dirs.n; i++)
    len += strlen(dirs.v[i]) + 2;
  char *list = calloc(1, len);
  if (!list) {
    *err = NULL;
    return -1;
  }
  size_t used = 0;
  for (size_t i = 0; i < dirs.n; i++)
    used += (size_t)snprintf(list + used, len - used, "%s%s", i ? ", " : "",
                             dirs.v[i]);
  cc_fail(err,
          "%s not found in %s; set AFL_PATH to the directory holding lop's "
          "lib/lop objects",
          CC_OBJ_RT, dirs.n ? list : "(no directory)");
  free(list);
  return -1;
}
