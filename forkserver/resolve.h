/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Target lookup and signature scan used by fsrv_init (resolve.c).
 */
#ifndef LOP_FORKSERVER_RESOLVE_H
#define LOP_FORKSERVER_RESOLVE_H

#include "types.h"

/* Path of an executable regular file for name (searched in PATH when it has
   no '/'); malloc'd, or NULL when there is none. */
char *fsrv_resolve_target(const char *name);

/* Whether the file at path holds PERSIST_SIG / DEFER_SIG (with NUL), and
   whether it is a sanitizer build (its exit codes 86/23 are findings). */
void fsrv_scan_signatures(const char *path, bool *persistent, bool *deferred,
                          bool *sanitizer);

#endif /* LOP_FORKSERVER_RESOLVE_H */
