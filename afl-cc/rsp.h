/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Response files (`@file` arguments), expanded the way GNU tools and clang
 * read them, so the wrapper's decisions (is this a link step? is there an
 * -O level?) see what clang will see. The expansion is only a view for
 * those decisions: clang itself still gets the original @file argument.
 */
#ifndef LOP_CC_RSP_H
#define LOP_CC_RSP_H

#include "args.h"
#include "config.h"

/* Splits text into arguments like libiberty's buildargv: whitespace
   separates, '...' is literal, "..." and a bare backslash escape the next
   character, quotes may join pieces of one argument. Appends to out.
   Returns 0, or -1 when out of memory. */
int cc_rsp_split(const char *text, struct cc_args *out);

/* Appends src to out with every readable @file replaced by its arguments,
   recursively, the way clang's driver expands them: an unreadable @file
   (and a lone "@") is kept unchanged, and so is a reference to a file
   already being expanded (same device and inode), which clang then reports
   as a missing input. Nested names are relative to the working directory,
   as clang reads them. Returns 0, or -1 with *err set (NULL when out of
   memory) when the files nest deeper than RSP_MAX_DEPTH or hold more than
   RSP_MAX_ARGS arguments or RSP_MAX_BYTES bytes in all. */
int cc_rsp_expand(struct cc_view src, struct cc_args *out, char **err);

#endif /* LOP_CC_RSP_H */
