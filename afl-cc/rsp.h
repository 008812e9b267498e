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
   recursively up to RSP_MAX_DEPTH. An unreadable @file (and a lone "@") is
   kept unchanged. Returns 0, or -1 when out of memory. */
int cc_rsp_expand(struct cc_view src, struct cc_args *out);

#endif /* LOP_CC_RSP_H */
