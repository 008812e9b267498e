/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * The phases of phases.h. lop's flags go before the user's arguments, so a
 * user's later -O, -g0, -fno-sanitize=... or -fno-unroll-loops still wins,
 * exactly as with plain clang; the runtime object goes last, after the
 * user's objects and libraries, so it is linked exactly once. libFuzzer's
 * -fsanitize= items are taken out of the user's lists: lop's coverage
 * stands in for fuzzer-no-link, and lop's driver, linked like the
 * runtime, for fuzzer.
 */
#include "phases.h"

#include "find_obj.h"
#include "macros.h"

#include <stdlib.h>
#include <string.h>

void cc_phase_compiler(const struct cc_ctx *c, struct cc_args *out) {
  cc_args_push(out, c->compiler);
}

void cc_phase_instrument(const struct cc_ctx *c, struct cc_args *out) {
  if (!c->facts.compiles || c->facts.preprocess_only)
    return;
  if (c->opt->mode == CC_MODE_PCGUARD) {
    cc_args_push(out, "-fsanitize-coverage=trace-pc-guard");
    /* On a link, -fsanitize-coverage alone makes clang link UBSan's whole
       runtime (9 MiB of bss, forks a fifth slower) for the hooks lop's
       runtime defines. Sanitizer builds need their runtime: left alone. */
    bool sanitizer = c->opt->asan || c->opt->msan || c->opt->ubsan ||
                     c->facts.user_sanitizer;
    if (c->facts.links && !sanitizer)
      cc_args_push(out, "-fno-sanitize-link-runtime");
  }
  /* In pcguard mode the plugin adds no coverage (the pass sees the mode
     too), only its passes before coverage (laf-intel, instrument lists,
     which SanitizerCoverage then follows), CmpLog and the dictionary. */
  if (cc_wants_plugin(c->opt))
    cc_args_pushf(out, "-fpass-plugin=%s/%s", c->obj_dir, CC_OBJ_PASS);
}

void cc_phase_optimize(const struct cc_ctx *c, struct cc_args *out) {
  if (!(c->facts.compiles || c->facts.links))
    return;
  if (c->facts.has_opt_level || c->opt->dont_optimize)
    return;
  cc_args_push(out, "-g");
  cc_args_push(out, "-O3");
  cc_args_push(out, "-funroll-loops");
}

void cc_phase_macros(const struct cc_ctx *c, struct cc_args *out) {
  if (c->facts.compiles)
    cc_macros_push(out, c->facts.cxx);
}

/* True when the compile will run with optimisation on (what
   _FORTIFY_SOURCE needs to do anything). */
static bool optimizing(const struct cc_ctx *c) {
  if (c->facts.has_opt_level)
    return !c->facts.opt_zero;
  return !c->opt->dont_optimize;
}

void cc_phase_harden(const struct cc_ctx *c, struct cc_args *out) {
  static const char *const no_builtin[] = {
      "-fno-builtin-strcmp",     "-fno-builtin-strncmp",
      "-fno-builtin-strcasecmp", "-fno-builtin-strncasecmp",
      "-fno-builtin-memcmp",     "-fno-builtin-bcmp",
      "-fno-builtin-strstr",     "-fno-builtin-strcasestr"};
  if (!c->facts.compiles)
    return;
  if (c->opt->harden) {
    cc_args_push(out, "-fstack-protector-all");
    if (optimizing(c) && !c->opt->asan && !c->opt->msan &&
        !c->facts.user_fortify)
      cc_args_push(out, "-D_FORTIFY_SOURCE=2");
  }
  if (c->opt->no_builtin)
    for (size_t i = 0; i < sizeof(no_builtin) / sizeof(*no_builtin); i++)
      cc_args_push(out, no_builtin[i]);
}

void cc_phase_sanitizers(const struct cc_ctx *c, struct cc_args *out) {
  if (!(c->facts.compiles || c->facts.links))
    return;
  if ((c->opt->asan || c->opt->msan) && c->facts.compiles)
    cc_args_push(out, "-U_FORTIFY_SOURCE");
  if (c->opt->asan)
    cc_args_push(out, "-fsanitize=address");
  if (c->opt->msan)
    cc_args_push(out, "-fsanitize=memory");
  if (c->opt->ubsan) {
    cc_args_push(out, "-fsanitize=undefined");
    cc_args_push(out, "-fsanitize-trap=undefined");
    cc_args_push(out, "-fno-sanitize-recover=all");
  }
}

/* Pushes the user's -fsanitize=LIST argument without libFuzzer's items;
   nothing when no item is left, arg unchanged when it names none. */
static void push_sanitize(struct cc_args *out, const char *arg) {
  const char *list = arg + strlen("-fsanitize=");
  char *kept = calloc(1, strlen(list) + 1);
  size_t used = 0;
  bool dropped = false;
  if (!kept) {
    out->oom = true;
    return;
  }
  for (const char *p = list; *p;) {
    size_t n = strcspn(p, ",");
    bool drop = cc_is_libfuzzer_item(p, n);
    dropped |= drop;
    if (n && !drop) {
      if (used)
        kept[used++] = ',';
      memcpy(kept + used, p, n);
      used += n;
    }
    p += n + (p[n] == ',');
  }
  if (!dropped)
    cc_args_push(out, arg);
  else if (used)
    cc_args_pushf(out, "-fsanitize=%s", kept);
  free(kept);
}

/* True when some argument is a response file (@file). */
static bool has_response_file(struct cc_view v) {
  for (size_t i = 0; i < v.n; i++)
    if (v.v[i][0] == '@')
      return true;
  return false;
}

void cc_phase_user(const struct cc_ctx *c, struct cc_args *out) {
  struct cc_view u = c->user;
  for (size_t i = 0; i < u.n; i++) {
    const char *a = u.v[i];
    if (strncmp(a, "-fsanitize=", 11) == 0)
      push_sanitize(out, a);
    else
      cc_args_push(out, a);
    if (cc_takes_value(a) && i + 1 < u.n)
      cc_args_push(out, u.v[++i]);
  }
  /* A response file clang reads itself may name them too: cancel them. */
  if (c->facts.names_libfuzzer && has_response_file(u))
    cc_args_push(out, "-fno-sanitize=fuzzer,fuzzer-no-link");
}

void cc_phase_runtime(const struct cc_ctx *c, struct cc_args *out) {
  if (!c->facts.links)
    return;
  if (c->facts.x_given) {
    cc_args_push(out, "-x");
    cc_args_push(out, "none");
  }
  if (c->facts.shared) {
    cc_args_pushf(out, "%s/%s", c->obj_dir, CC_OBJ_RT_SHARED);
    /* A user version script ending in "local: *" would make the weak
       fallbacks local, and the library would count into its own map
       instead of the executable's; lop's node keeps them global. ld cannot
       mix it with an anonymous node (see docs/wrapper.md). */
    if (c->facts.named_version_script)
      cc_args_pushf(out, "-Wl,--version-script=%s/%s", c->obj_dir,
                    CC_OBJ_RT_SHARED_MAP);
    return;
  }
  if (c->facts.libfuzzer)
    cc_args_pushf(out, "%s/%s", c->obj_dir, CC_OBJ_DRIVER);
  cc_args_pushf(out, "%s/%s", c->obj_dir,
                c->facts.m32 ? CC_OBJ_RT32 : CC_OBJ_RT);
  if (!c->facts.is_static)
    cc_args_pushf(out, "-Wl,--dynamic-list=%s/%s", c->obj_dir, CC_OBJ_DYNLIST);
}

int cc_phases_run(const struct cc_ctx *c, struct cc_args *out) {
  cc_phase_compiler(c, out);
  cc_phase_instrument(c, out);
  cc_phase_optimize(c, out);
  cc_phase_macros(c, out);
  cc_phase_harden(c, out);
  cc_phase_sanitizers(c, out);
  cc_phase_user(c, out);
  cc_phase_runtime(c, out);
  return out->oom ? -1 : 0;
}
