/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Predicates over a compiler command line (see predicates.h). They decide
 * what the wrapper adds, so they err towards behaving like plain clang: a
 * command without inputs (-v, --version, -print-prog-name=ld) gets nothing,
 * and the runtime is linked only when clang will really link.
 */
#include "predicates.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

/* Options whose value is the next argument when written alone. */
static const char *const separate_value_opts[] = {"-o",
                                                  "-x",
                                                  "-I",
                                                  "-L",
                                                  "-l",
                                                  "-D",
                                                  "-U",
                                                  "-A",
                                                  "-F",
                                                  "-T",
                                                  "-u",
                                                  "-z",
                                                  "-e",
                                                  "-B",
                                                  "-G",
                                                  "-MF",
                                                  "-MT",
                                                  "-MQ",
                                                  "-MJ",
                                                  "-include",
                                                  "-imacros",
                                                  "-isystem",
                                                  "-idirafter",
                                                  "-iquote",
                                                  "-iprefix",
                                                  "-iwithprefix",
                                                  "-iwithprefixbefore",
                                                  "-isysroot",
                                                  "-ivfsoverlay",
                                                  "-iframework",
                                                  "-isystem-after",
                                                  "-cxx-isystem",
                                                  "-Xclang",
                                                  "-Xlinker",
                                                  "-Xassembler",
                                                  "-Xpreprocessor",
                                                  "-Xanalyzer",
                                                  "-Xopenmp-target",
                                                  "-mllvm",
                                                  "-target",
                                                  "-arch",
                                                  "--param",
                                                  "-aux-info",
                                                  "-dependency-file",
                                                  "-dependency-dot",
                                                  "-working-directory",
                                                  "-serialize-diagnostics",
                                                  "-resource-dir",
                                                  "--sysroot",
                                                  "--target",
                                                  "--include-directory",
                                                  "--output",
                                                  NULL};

bool cc_is_cxx_name(const char *argv0) {
  const char *base = strrchr(argv0, '/');
  base = base ? base + 1 : argv0;
  size_t n = strlen(base);
  return n >= 2 && strcmp(base + n - 2, "++") == 0;
}

bool cc_takes_value(const char *arg) {
  for (size_t i = 0; separate_value_opts[i]; i++)
    if (strcmp(arg, separate_value_opts[i]) == 0)
      return true;
  return false;
}

/* True when s equals one of the NULL-terminated list. */
static bool in_list(const char *s, const char *const *list) {
  for (size_t i = 0; list[i]; i++)
    if (strcmp(s, list[i]) == 0)
      return true;
  return false;
}

enum cc_lang cc_lang_of_path(const char *path, bool cxx_driver) {
  static const char *const c_ext[] = {"c", "i", "m", "mi", "ll", "bc", NULL};
  static const char *const cxx_ext[] = {"cc", "cp", "cxx", "cpp", "CPP", "c++",
                                        "C",  "ii", "mm",  "M",   "mii", NULL};
  static const char *const hdr_ext[] = {"h",  "hh", "hpp", "hxx",
                                        "hp", "H",  "h++", NULL};
  if (strcmp(path, "-") == 0)
    return cxx_driver ? CC_LANG_CXX : CC_LANG_C;
  const char *base = strrchr(path, '/');
  const char *dot = strrchr(base ? base : path, '.');
  if (!dot)
    return CC_LANG_LINKER;
  const char *ext = dot + 1;
  if (in_list(ext, hdr_ext))
    return CC_LANG_HEADER;
  if (in_list(ext, cxx_ext))
    return CC_LANG_CXX;
  if (in_list(ext, c_ext))
    return cxx_driver && strcmp(ext, "c") == 0 ? CC_LANG_CXX : CC_LANG_C;
  if (strcmp(ext, "s") == 0)
    return CC_LANG_ASM;
  if (strcmp(ext, "S") == 0 || strcmp(ext, "sx") == 0)
    return CC_LANG_ASM_CPP;
  return CC_LANG_LINKER;
}

enum cc_lang cc_lang_of_x(const char *name) {
  if (strcmp(name, "none") == 0)
    return CC_LANG_LINKER;
  if (strstr(name, "header"))
    return CC_LANG_HEADER;
  if (strcmp(name, "assembler") == 0)
    return CC_LANG_ASM;
  if (strcmp(name, "assembler-with-cpp") == 0)
    return CC_LANG_ASM_CPP;
  if (strstr(name, "c++"))
    return CC_LANG_CXX;
  return CC_LANG_C;
}

bool cc_has_flag(struct cc_view v, const char *flag) {
  for (size_t i = 0; i < v.n; i++) {
    if (strcmp(v.v[i], flag) == 0)
      return true;
    if (cc_takes_value(v.v[i]))
      i++;
  }
  return false;
}

/* True when the comma-separated list (the part after "-Wl,") holds name. */
static bool comma_list_has(const char *list, const char *name) {
  size_t n = strlen(name);
  for (const char *p = list; p; p = strchr(p, ',')) {
    if (*p == ',')
      p++;
    if (strncmp(p, name, n) == 0 && (p[n] == ',' || p[n] == '\0'))
      return true;
  }
  return false;
}

bool cc_has_linker_flag(struct cc_view v, const char *name) {
  for (size_t i = 0; i < v.n; i++) {
    const char *a = v.v[i];
    if (strncmp(a, "-Wl,", 4) == 0 && comma_list_has(a + 4, name))
      return true;
    if (cc_takes_value(a)) {
      if (strcmp(a, "-Xlinker") == 0 && i + 1 < v.n &&
          strcmp(v.v[i + 1], name) == 0)
        return true;
      i++;
    }
  }
  return false;
}

/* The file of a version-script linker argument: "OPT=FILE" or, when the
   argument is the bare option, the next linker argument. */
static const char *version_script_in(const char *arg, const char *next) {
  static const char *const opts[] = {"--version-script", "-version-script"};
  for (size_t k = 0; k < 2; k++) {
    size_t n = strlen(opts[k]);
    if (strncmp(arg, opts[k], n) == 0 && arg[n] == '=')
      return arg + n + 1;
    if (strcmp(arg, opts[k]) == 0)
      return next;
  }
  return NULL;
}

/* Splits one -Wl,a,b,c argument into items and looks for a version
   script among them; copies its file name into buf. */
static const char *version_script_in_wl(const char *list, char *buf,
                                        size_t size) {
  const char *found = NULL;
  char prev[PATH_MAX + 32] = "";
  for (const char *p = list; *p;) {
    size_t len = strcspn(p, ",");
    char item[PATH_MAX + 32];
    snprintf(item, sizeof(item), "%.*s", (int)len, p);
    const char *f = version_script_in(prev, item);
    f = f ? f : version_script_in(item, NULL);
    if (f && *f) {
      snprintf(buf, size, "%s", f);
      found = buf;
    }
    snprintf(prev, sizeof(prev), "%s", item);
    p += len + (p[len] == ',');
  }
  return found;
}

const char *cc_version_script(struct cc_view v, char *buf, size_t size) {
  const char *found = NULL;
  for (size_t i = 0; i < v.n; i++) {
    const char *a = v.v[i];
    if (strncmp(a, "-Wl,", 4) == 0) {
      const char *f = version_script_in_wl(a + 4, buf, size);
      found = f ? f : found;
    } else if (strcmp(a, "-Xlinker") == 0 && i + 1 < v.n) {
      const char *next = i + 3 < v.n && strcmp(v.v[i + 2], "-Xlinker") == 0
                             ? v.v[i + 3]
                             : NULL;
      const char *f = version_script_in(v.v[i + 1], next);
      if (f) {
        snprintf(buf, size, "%s", f);
        found = buf;
      }
      i++;
    } else if (cc_takes_value(a)) {
      i++;
    }
  }
  return found;
}

bool cc_version_script_is_named(const char *path) {
  FILE *in = path ? fopen(path, "r") : NULL;
  if (!in)
    return false;
  int c, prev = 0;
  bool comment = false, named = false;
  while ((c = fgetc(in)) != EOF) {
    if (comment) {
      comment = !(prev == '*' && c == '/');
    } else if (prev == '/' && c == '*') {
      comment = true;
      c = 0;
    } else if (c == '#') {
      while ((c = fgetc(in)) != EOF && c != '\n')
        ;
    } else if (c != '/' && !isspace(c)) {
      named = c != '{';
      break;
    }
    prev = c;
  }
  fclose(in);
  return named;
}

const char *cc_last_opt_level(struct cc_view v) {
  const char *last = NULL;
  for (size_t i = 0; i < v.n; i++) {
    if (strncmp(v.v[i], "-O", 2) == 0)
      last = v.v[i];
    else if (cc_takes_value(v.v[i]))
      i++;
  }
  return last;
}

bool cc_has_m32(struct cc_view v) {
  bool m32 = false;
  for (size_t i = 0; i < v.n; i++) {
    const char *a = v.v[i];
    if (strcmp(a, "-m32") == 0)
      m32 = true;
    else if (strcmp(a, "-m64") == 0 || strcmp(a, "-mx32") == 0)
      m32 = false;
    else if (cc_takes_value(a))
      i++;
  }
  return m32;
}

bool cc_is_shared(struct cc_view v) {
  return cc_has_flag(v, "-shared") || cc_has_linker_flag(v, "-shared") ||
         cc_has_linker_flag(v, "-Bshareable");
}

bool cc_is_static(struct cc_view v) {
  return cc_has_flag(v, "-static") || cc_has_flag(v, "-static-pie");
}

bool cc_is_relocatable(struct cc_view v) {
  return cc_has_flag(v, "-r") || cc_has_linker_flag(v, "-r") ||
         cc_has_linker_flag(v, "--relocatable");
}

bool cc_is_preprocess_only(struct cc_view v) {
  return cc_has_flag(v, "-E") || cc_has_flag(v, "-M") || cc_has_flag(v, "-MM");
}

bool cc_stops_before_link(struct cc_view v) {
  static const char *const stops[] = {
      "-c", "-S", "-fsyntax-only", "--precompile", "--analyze", NULL};
  for (size_t i = 0; stops[i]; i++)
    if (cc_has_flag(v, stops[i]))
      return true;
  return cc_is_preprocess_only(v) || cc_is_relocatable(v);
}

/* The language name of a -x option at v.v[*i] (separate or joined), or NULL
   when v.v[*i] is not -x; advances *i past a separate value. */
static const char *x_language(struct cc_view v, size_t *i) {
  const char *a = v.v[*i];
  if (strcmp(a, "-x") == 0) {
    if (*i + 1 >= v.n)
      return NULL;
    return v.v[++*i];
  }
  if (strncmp(a, "-x", 2) == 0 && a[2])
    return a + 2;
  return NULL;
}

bool cc_has_x(struct cc_view v) {
  const char *lang = NULL;
  for (size_t i = 0; i < v.n; i++) {
    const char *x = x_language(v, &i);
    if (x)
      lang = x;
    else if (cc_takes_value(v.v[i]))
      i++;
  }
  return lang && strcmp(lang, "none") != 0;
}

/* True when arg (the text after -D or -U) names macro name. */
static bool names_macro(const char *arg, const char *name) {
  size_t n = strlen(name);
  return strncmp(arg, name, n) == 0 && (arg[n] == '\0' || arg[n] == '=');
}

bool cc_is_libfuzzer_item(const char *item, size_t n) {
  return (n == 6 && strncmp(item, "fuzzer", 6) == 0) ||
         (n == 14 && strncmp(item, "fuzzer-no-link", 14) == 0);
}

/* True when the comma-separated list names a sanitizer other than
   libFuzzer's items, which lop strips (cc_is_libfuzzer_item). */
static bool list_has_sanitizer(const char *list) {
  for (const char *p = list; *p;) {
    size_t n = strcspn(p, ",");
    if (n && !cc_is_libfuzzer_item(p, n))
      return true;
    p += n + (p[n] == ',');
  }
  return false;
}

bool cc_asks_sanitizer(struct cc_view v) {
  bool asks = false;
  for (size_t i = 0; i < v.n; i++) {
    const char *a = v.v[i];
    if (strncmp(a, "-fsanitize=", 11) == 0 && list_has_sanitizer(a + 11))
      asks = true;
    else if (strcmp(a, "-fno-sanitize=all") == 0)
      asks = false;
    else if (cc_takes_value(a))
      i++;
  }
  return asks;
}

/* True when the comma-separated list names item exactly. */
static bool list_has(const char *list, const char *item) {
  size_t n = strlen(item);
  for (const char *p = list; p; p = strchr(p, ',')) {
    p += *p == ',';
    if (strncmp(p, item, n) == 0 && (p[n] == ',' || p[n] == '\0'))
      return true;
  }
  return false;
}

bool cc_names_libfuzzer(struct cc_view v) {
  for (size_t i = 0; i < v.n; i++) {
    const char *a = v.v[i];
    if (strncmp(a, "-fsanitize=", 11) == 0 &&
        (list_has(a + 11, "fuzzer") || list_has(a + 11, "fuzzer-no-link")))
      return true;
    if (cc_takes_value(a))
      i++;
  }
  return false;
}

bool cc_asks_libfuzzer(struct cc_view v) {
  bool asks = false;
  for (size_t i = 0; i < v.n; i++) {
    const char *a = v.v[i];
    if (strncmp(a, "-fsanitize=", 11) == 0 && list_has(a + 11, "fuzzer"))
      asks = true;
    else if (strncmp(a, "-fno-sanitize=", 14) == 0 &&
             (list_has(a + 14, "fuzzer") || list_has(a + 14, "all")))
      asks = false;
    else if (cc_takes_value(a))
      i++;
  }
  return asks;
}

/* True when an argument names a file only configure scripts and build
   systems compile: autoconf's and libtool's conftest*, CMake's compiler
   identification and try_compile directories, Meson's sanity checks. */
static bool is_probe_path(const char *a) {
  const char *base = strrchr(a, '/');
  base = base ? base + 1 : a;
  return strstr(base, "conftest") || strstr(a, "CMakeTmp/") ||
         strstr(a, "CMakeScratch/") || strstr(a, "CompilerId") ||
         strstr(a, "meson-private/");
}

bool cc_is_build_probe(struct cc_view v, bool cxx_driver) {
  if (cc_count_inputs(v, cxx_driver).total == 0 || cc_is_preprocess_only(v))
    return true;
  for (size_t i = 0; i < v.n; i++)
    if (is_probe_path(v.v[i]))
      return true;
  return false;
}

bool cc_mentions_macro(struct cc_view v, const char *name) {
  for (size_t i = 0; i < v.n; i++) {
    const char *a = v.v[i];
    bool du = strcmp(a, "-D") == 0 || strcmp(a, "-U") == 0;
    if (du && i + 1 < v.n && names_macro(v.v[i + 1], name))
      return true;
    if ((strncmp(a, "-D", 2) == 0 || strncmp(a, "-U", 2) == 0) &&
        names_macro(a + 2, name))
      return true;
    if (cc_takes_value(a))
      i++;
  }
  return false;
}

/* Adds one input of language lang to the counts. */
static void count_input(struct cc_inputs *in, enum cc_lang lang) {
  in->total++;
  if (lang == CC_LANG_C || lang == CC_LANG_CXX || lang == CC_LANG_ASM_CPP ||
      lang == CC_LANG_HEADER)
    in->code++;
  if (lang == CC_LANG_CXX)
    in->cxx++;
  if (lang == CC_LANG_HEADER)
    in->headers++;
}

struct cc_inputs cc_count_inputs(struct cc_view v, bool cxx_driver) {
  struct cc_inputs in = {0, 0, 0, 0};
  const char *x = NULL; /* -x in effect, NULL or "none" for by-extension */
  for (size_t i = 0; i < v.n; i++) {
    const char *a = v.v[i];
    const char *lang = x_language(v, &i);
    if (lang) {
      x = strcmp(lang, "none") == 0 ? NULL : lang;
      continue;
    }
    if (a[0] == '-' && a[1]) {
      if (cc_takes_value(a))
        i++;
      continue;
    }
    count_input(&in, x ? cc_lang_of_x(x) : cc_lang_of_path(a, cxx_driver));
  }
  return in;
}

bool cc_is_link_step(struct cc_view v, bool cxx_driver) {
  struct cc_inputs in = cc_count_inputs(v, cxx_driver);
  if (in.total == 0 || cc_stops_before_link(v))
    return false;
  return in.headers < in.total;
}

void cc_facts_collect(struct cc_view v, bool cxx_driver, struct cc_facts *f) {
  struct cc_inputs in = cc_count_inputs(v, cxx_driver);
  const char *opt = cc_last_opt_level(v);
  f->has_input = in.total > 0;
  f->compiles = in.code > 0;
  f->links = cc_is_link_step(v, cxx_driver);
  f->preprocess_only = cc_is_preprocess_only(v);
  f->shared = cc_is_shared(v);
  char script[PATH_MAX];
  f->named_version_script =
      cc_version_script_is_named(cc_version_script(v, script, sizeof(script)));
  f->is_static = cc_is_static(v);
  f->m32 = cc_has_m32(v);
  f->x_given = cc_has_x(v);
  f->cxx = cxx_driver || in.cxx > 0;
  f->has_opt_level = opt != NULL;
  f->opt_zero = opt && strcmp(opt, "-O0") == 0;
  f->user_fortify = cc_mentions_macro(v, "_FORTIFY_SOURCE");
  f->user_sanitizer = cc_asks_sanitizer(v);
  f->libfuzzer = cc_asks_libfuzzer(v);
  f->names_libfuzzer = cc_names_libfuzzer(v);
}
