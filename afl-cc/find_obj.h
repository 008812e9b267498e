/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Where the wrapper finds lop's objects (the pass plugin, the runtime and
 * the libFuzzer driver).
 * Search order: <dir of the wrapper's executable>/../lib/lop (works
 * uninstalled and after `make install` with any PREFIX), then AFL_PATH,
 * then the install directory compiled in. All objects come from the first
 * directory holding afl-llvm-rt.o, so one build's pass and runtime are
 * never mixed with another's.
 */
#ifndef LOP_CC_FIND_OBJ_H
#define LOP_CC_FIND_OBJ_H

#include "args.h"

/* File names of lop's objects inside a lib/lop directory (the Makefile's
   outputs). */
#define CC_OBJ_PASS "afl-llvm-pass.so"
#define CC_OBJ_RT "afl-llvm-rt.o"
#define CC_OBJ_RT32 "afl-llvm-rt-32.o"
#define CC_OBJ_RT_SHARED "afl-llvm-rt-shared.o"
#define CC_OBJ_RT_SHARED_MAP "afl-llvm-rt-shared.map"
#define CC_OBJ_DYNLIST "afl-llvm-rt.dynlist"
#define CC_OBJ_DRIVER "libAFLDriver.a"

/* The lib/lop directory next to an executable at self_exe (an absolute
   path such as readlink("/proc/self/exe") gives): "/p/bin/x" -> "/p/lib/lop".
   Returns an allocated string, or NULL when self_exe has no directory part
   or memory ran out. */
char *cc_self_lib_dir(const char *self_exe);

/* Appends the search directories in order, skipping NULL and empty ones:
   the self lib dir of self_exe, afl_path, install_dir. Returns 0 or -1
   (out of memory). */
int cc_search_dirs(const char *self_exe, const char *afl_path,
                   const char *install_dir, struct cc_args *dirs);

/* True when dir/name exists and is readable. */
bool cc_obj_exists(const char *dir, const char *name);

/* The first of dirs that holds afl-llvm-rt.o. Returns its index, or -1 with
 *err = "afl-llvm-rt.o not found in <d1>, <d2>, ...; set AFL_PATH ...". */
int cc_find_obj_dir(struct cc_view dirs, char **err);

#endif /* LOP_CC_FIND_OBJ_H */
