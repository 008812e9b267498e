/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Puts the wrapper's pieces together (see plan.h): response-file expansion
 * for the predicates, object lookup only when the command needs an object,
 * then the phases. Missing objects are reported before clang runs, with
 * what to do about them.
 */
#include "plan.h"

#include "error.h"
#include "find_obj.h"
#include "phases.h"
#include "rsp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *cc_compiler_path(const struct cc_options *opt, bool cxx,
                       const char *clang_dir) {
  const char *chosen = cxx ? opt->cxx : opt->cc;
  if (chosen)
    return strdup(chosen);
  char *path = NULL;
  if (asprintf(&path, "%s/%s", clang_dir, cxx ? "clang++" : "clang") < 0)
    return NULL;
  return path;
}

/* The object the runtime phase links for these facts. */
static const char *runtime_obj(const struct cc_facts *f) {
  if (f->shared)
    return CC_OBJ_RT_SHARED;
  return f->m32 ? CC_OBJ_RT32 : CC_OBJ_RT;
}

/* Checks that dir holds every object the phases will name for c. */
static int check_objects(const struct cc_ctx *c, char **err) {
  const struct cc_facts *f = &c->facts;
  const char *need[4] = {NULL, NULL, NULL, NULL};
  if (f->compiles && !f->preprocess_only && cc_wants_plugin(c->opt))
    need[0] = CC_OBJ_PASS;
  if (f->links)
    need[1] = runtime_obj(f);
  if (f->links && !f->shared && !f->is_static)
    need[2] = CC_OBJ_DYNLIST;
  if (f->links && !f->shared && f->libfuzzer)
    need[3] = CC_OBJ_DRIVER;
  if (f->links && !f->shared && f->m32 && f->libfuzzer)
    return cc_fail(err, "-fsanitize=fuzzer with -m32: lop's libFuzzer driver "
                        "is 64-bit only; build the harness without -m32");
  if (f->links && !f->shared && f->m32 &&
      !cc_obj_exists(c->obj_dir, CC_OBJ_RT32))
    return cc_fail(err,
                   "-m32 needs the 32-bit runtime %s, which this lop build "
                   "lacks; install gcc-multilib and rebuild lop",
                   CC_OBJ_RT32);
  for (size_t i = 0; i < 4; i++)
    if (need[i] && !cc_obj_exists(c->obj_dir, need[i]))
      return cc_fail(err,
                     "%s not found in %s; rebuild lop (make all) or set "
                     "AFL_PATH to a complete lib/lop directory",
                     need[i], c->obj_dir);
  return 0;
}

/* True when the phases will name any of lop's objects. */
static bool needs_objects(const struct cc_ctx *c) {
  const struct cc_facts *f = &c->facts;
  bool plugin = f->compiles && !f->preprocess_only && cc_wants_plugin(c->opt);
  return plugin || f->links;
}

/* Finds the object directory into dirs and sets c->obj_dir into it. */
static int locate(const struct cc_plan_in *in, struct cc_ctx *c,
                  struct cc_args *dirs, char **err) {
  if (cc_search_dirs(in->self_exe, in->opt->afl_path, in->install_dir, dirs) <
      0) {
    *err = NULL;
    return -1;
  }
  int at = cc_find_obj_dir(cc_args_view(dirs), err);
  if (at < 0)
    return -1;
  c->obj_dir = dirs->v[at];
  return check_objects(c, err);
}

/* Fills the context after the response files are expanded into view. */
static int plan_with(const struct cc_plan_in *in, struct cc_view view,
                     struct cc_ctx *c, struct cc_args *out, char **err) {
  bool cxx = cc_is_cxx_name(in->argv[0]);
  struct cc_args dirs;
  cc_args_init(&dirs);
  cc_facts_collect(view, cxx, &c->facts);
  char *compiler = cc_compiler_path(in->opt, cxx, in->clang_dir);
  int rc = compiler ? 0 : -1;
  if (!compiler)
    *err = NULL;
  c->compiler = compiler;
  if (rc == 0 && needs_objects(c))
    rc = locate(in, c, &dirs, err);
  if (rc == 0 && cc_phases_run(c, out) < 0) {
    *err = NULL;
    rc = -1;
  }
  free(compiler);
  cc_args_free(&dirs);
  return rc;
}

int cc_plan(const struct cc_plan_in *in, struct cc_args *out, char **err) {
  if (in->argc < 2)
    return cc_fail(err,
                   "no arguments; use %s like clang, e.g. CC=%s "
                   "./configure, or see docs/wrapper.md",
                   in->argc ? in->argv[0] : "afl-clang-fast",
                   in->argc ? in->argv[0] : "afl-clang-fast");
  struct cc_ctx c = {.opt = in->opt};
  c.user.v = in->argv + 1;
  c.user.n = (size_t)in->argc - 1;
  struct cc_args view;
  cc_args_init(&view);
  int rc = cc_rsp_expand(c.user, &view, err);
  if (rc == 0)
    rc = plan_with(in, cc_args_view(&view), &c, out, err);
  cc_args_free(&view);
  return rc;
}

char *cc_usage(const char *progname, const char *self_exe) {
  const char *cc = self_exe ? self_exe : progname;
  char *s = NULL;
  if (asprintf(
          &s,
          "%s %s (lop): AFL-compatible coverage compiler, a drop-in for clang "
          "(LLVM %d)\n"
          "usage: %s [clang options] file...\n"
          "\n"
          "Build a project (by this path: the bare name may find AFL++'s "
          "compiler on PATH):\n"
          "  CC=%s CXX=%s++ ./configure && make\n"
          "\n"
          "Key environment variables (all: docs/environment.md):\n"
          "  AFL_LLVM_INSTRUMENT  classic (default), compact or pcguard\n"
          "  AFL_USE_ASAN, AFL_USE_MSAN, AFL_USE_UBSAN  sanitizer builds\n"
          "  AFL_HARDEN           -fstack-protector-all and _FORTIFY_SOURCE\n"
          "  AFL_DONT_OPTIMIZE    do not add -g -O3 -funroll-loops\n"
          "  AFL_INST_RATIO       percent of blocks to instrument\n"
          "  AFL_QUIET, AFL_DEBUG print nothing / print the clang command\n"
          "\n"
          "Docs: docs/usage.md and docs/wrapper.md in lop's source tree "
          "(installed: share/doc/lop).\n",
          progname, LOP_VERSION, LOP_LLVM_MAJOR, progname, cc, cc) < 0)
    return NULL;
  return s;
}

char *cc_banner(const char *progname, const char *version, int llvm_major,
                enum cc_mode mode) {
  char *s = NULL;
  if (asprintf(&s, "%s %s (lop, LLVM %d, %s mode)", progname, version,
               llvm_major, cc_mode_name(mode)) < 0)
    return NULL;
  return s;
}

char *cc_join(struct cc_view v) {
  size_t len = 1;
  for (size_t i = 0; i < v.n; i++)
    len += strlen(v.v[i]) + 1;
  char *s = calloc(1, len);
  if (!s)
    return NULL;
  char *end = s;
  for (size_t i = 0; i < v.n; i++) {
    if (i)
      *end++ = ' ';
    end = stpcpy(end, v.v[i]);
  }
  return s;
}
