/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Messages of the command-line programs (wrapper, tools). Each error is one
 * line, "<prog>: error: what happened; what to do", and a non-zero exit.
 * Library code never includes this to die: it returns errors instead. The
 * in-target runtime never prints.
 */
#ifndef LOP_DEBUG_H
#define LOP_DEBUG_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Program name used as message prefix; each program sets it in main(). */
extern const char *lop_progname;

/* One-line error, then exit(1). */
#define FATAL(...)                                                             \
  do {                                                                         \
    fprintf(stderr, "%s: error: ", lop_progname);                              \
    fprintf(stderr, __VA_ARGS__);                                              \
    fputc('\n', stderr);                                                       \
    exit(1);                                                                   \
  } while (0)

/* Like FATAL, with strerror(errno) appended. */
#define PFATAL(...)                                                            \
  do {                                                                         \
    int pfatal_errno_ = errno;                                                 \
    fprintf(stderr, "%s: error: ", lop_progname);                              \
    fprintf(stderr, __VA_ARGS__);                                              \
    fprintf(stderr, ": %s\n", strerror(pfatal_errno_));                        \
    exit(1);                                                                   \
  } while (0)

/* One-line warning; the program goes on. */
#define WARNF(...)                                                             \
  do {                                                                         \
    fprintf(stderr, "%s: warning: ", lop_progname);                            \
    fprintf(stderr, __VA_ARGS__);                                              \
    fputc('\n', stderr);                                                       \
  } while (0)

/* Informational line on stderr (callers decide whether they may talk). */
#define SAYF(...)                                                              \
  do {                                                                         \
    fprintf(stderr, "%s: ", lop_progname);                                     \
    fprintf(stderr, __VA_ARGS__);                                              \
    fputc('\n', stderr);                                                       \
  } while (0)

#endif /* LOP_DEBUG_H */
