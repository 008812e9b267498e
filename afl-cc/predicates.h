/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Small named questions about a compiler command line (is it a link step?
 * does it give an -O level? is it -shared?). Each takes a view of the
 * arguments after argv[0], already response-file expanded, and knows which
 * clang options take a separate value so that values are never mistaken for
 * flags or inputs. cc_facts_collect() answers all of them once.
 */
#ifndef LOP_CC_PREDICATES_H
#define LOP_CC_PREDICATES_H

#include "args.h"

/* What clang does with an input file. */
enum cc_lang {
  CC_LANG_LINKER,  /* objects, archives, libraries: only the linker sees it */
  CC_LANG_ASM,     /* plain assembly (.s): assembled, never preprocessed */
  CC_LANG_ASM_CPP, /* assembly that is preprocessed (.S, .sx) */
  CC_LANG_C,       /* C, Objective-C, preprocessed C, LLVM IR */
  CC_LANG_CXX,     /* C++ and Objective-C++ */
  CC_LANG_HEADER   /* a header compiled into a precompiled header */
};

/* Input files of a command line, counted by what clang does with them. */
struct cc_inputs {
  size_t total;   /* every input, "-" (stdin) included */
  size_t code;    /* inputs that go through the compiler front end */
  size_t cxx;     /* C++ inputs (a subset of code) */
  size_t headers; /* precompiled-header inputs (a subset of code) */
};

/* Every answer the phases need, computed once per command line. */
struct cc_facts {
  bool has_input;            /* at least one input: otherwise add nothing */
  bool compiles;             /* some input reaches the compiler front end */
  bool links;                /* the command ends in a link (cc_is_link_step) */
  bool preprocess_only;      /* -E, -M or -MM */
  bool shared;               /* -shared */
  bool named_version_script; /* a version script with named nodes exports */
  bool is_static;       /* -static or -static-pie: no dynamic symbol list */
  bool m32;             /* -m32 wins over -m64/-mx32 */
  bool x_given;         /* a -x language was set and must be closed */
  bool cxx;             /* the harness macros must be C++ (extern "C") */
  bool has_opt_level;   /* the user chose an -O level */
  bool opt_zero;        /* ... and the last one is -O0 */
  bool user_fortify;    /* the user defines or undefines _FORTIFY_SOURCE */
  bool user_sanitizer;  /* the user asks for a sanitizer (-fsanitize=...) */
  bool libfuzzer;       /* -fsanitize=fuzzer: link lop's libFuzzer driver */
  bool names_libfuzzer; /* some -fsanitize= names fuzzer or fuzzer-no-link */
};

/* True when the basename of argv0 ends in "++" (afl-clang-fast++). */
bool cc_is_cxx_name(const char *argv0);

/* True when clang reads the next argument as this option's value
   (-o FILE, -I DIR, -x LANG, -Xlinker ARG, -include FILE, ...). */
bool cc_takes_value(const char *arg);

/* The language of an input named path when no -x applies; cxx_driver is
   true for clang++, which compiles .c files and headers as C++. */
enum cc_lang cc_lang_of_path(const char *path, bool cxx_driver);

/* The language of a `-x NAME` setting; CC_LANG_LINKER for "none". */
enum cc_lang cc_lang_of_x(const char *name);

/* True when the exact option flag occurs (values of other options skipped). */
bool cc_has_flag(struct cc_view v, const char *flag);

/* True when any linker argument (-Wl,a,b or -Xlinker a) equals name. */
bool cc_has_linker_flag(struct cc_view v, const char *name);

/* The file of the last linker version script (--version-script=FILE,
   --version-script FILE, -version-script..., via -Wl or -Xlinker), copied
   into buf; NULL when there is none. */
const char *cc_version_script(struct cc_view v, char *buf, size_t size);

/* True when the version script at path (NULL: false) starts with a named
   node ("V1 { ... };"); false when its first node is anonymous or the file
   cannot be read. GNU ld cannot combine an anonymous node with others. */
bool cc_version_script_is_named(const char *path);

/* The last -O level given (-O, -O0..3, -Os, -Oz, -Ofast, -Og), or NULL. */
const char *cc_last_opt_level(struct cc_view v);

/* True when -m32 is the last of -m32/-m64/-mx32. */
bool cc_has_m32(struct cc_view v);

/* True for -shared, -Wl,-shared and -Wl,-Bshareable. */
bool cc_is_shared(struct cc_view v);

/* True for -static and -static-pie. */
bool cc_is_static(struct cc_view v);

/* True for a relocatable link: -r, -Wl,-r, -Wl,--relocatable. */
bool cc_is_relocatable(struct cc_view v);

/* True for -E, -M and -MM (-MD and -MMD still compile and link). */
bool cc_is_preprocess_only(struct cc_view v);

/* True when the command stops before linking: -c, -S, -E, -M, -MM,
   -fsyntax-only, --precompile, --analyze, or a relocatable link. */
bool cc_stops_before_link(struct cc_view v);

/* True when some -x LANG (other than a final "none") is in effect. */
bool cc_has_x(struct cc_view v);

/* True when the user defines or undefines macro name (-DNAME, -DNAME=v,
   -D NAME, -UNAME, -U NAME). */
bool cc_mentions_macro(struct cc_view v, const char *name);

/* True when the n bytes at item are one of libFuzzer's -fsanitize= items,
   "fuzzer" or "fuzzer-no-link", which the wrapper takes out of the lists
   it passes to clang: lop's coverage and driver stand in for them. */
bool cc_is_libfuzzer_item(const char *item, size_t n);

/* True when some -fsanitize=LIST names a sanitizer other than libFuzzer's
   items and is not cancelled by a later -fno-sanitize=all: a sanitizer
   whose runtime clang must link. */
bool cc_asks_sanitizer(struct cc_view v);

/* True when some -fsanitize=LIST names "fuzzer" (a harness to link with
   the driver; not "fuzzer-no-link") and no later -fno-sanitize=fuzzer or
   =all cancels it. */
bool cc_asks_libfuzzer(struct cc_view v);

/* True when some -fsanitize=LIST names "fuzzer" or "fuzzer-no-link". */
bool cc_names_libfuzzer(struct cc_view v);

/* True for commands configure scripts and build systems run to learn about
   the compiler, whose stderr they may read: no input files (-v,
   --version, -print-*), -E/-M/-MM, or a file of autoconf/libtool
   (conftest*), CMake (CMakeTmp/, CMakeScratch/, *CompilerId*) or Meson
   (meson-private/). */
bool cc_is_build_probe(struct cc_view v, bool cxx_driver);

/* Counts the inputs (non-option arguments and "-"), honouring -x. */
struct cc_inputs cc_count_inputs(struct cc_view v, bool cxx_driver);

/* True when clang will link: some input, nothing that stops before the
   link, and not only headers (that builds a precompiled header). */
bool cc_is_link_step(struct cc_view v, bool cxx_driver);

/* Fills f from the expanded arguments; cxx_driver as for cc_lang_of_path. */
void cc_facts_collect(struct cc_view v, bool cxx_driver, struct cc_facts *f);

#endif /* LOP_CC_PREDICATES_H */
