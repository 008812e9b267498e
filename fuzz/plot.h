/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * `lop-fuzz plot DIR [FILE.svg]`: a picture of a campaign from its
 * plot_data (lop-fuzz's or afl-fuzz's): corpus size, edges found, crashes
 * and hangs, and execs/s over time, four panels of one SVG file with
 * labelled axes that any browser or image viewer opens.
 */
#ifndef LOP_FUZZ_PLOT_H
#define LOP_FUZZ_PLOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct plot_row {
  double t, corpus, pending, edges, crashes, hangs, eps, coverage;
};

struct plot_data {
  struct plot_row *rows;
  size_t n, cap;
};

/* Parse plot_data text (header lines start with '#'). Rows that do not
   have the 13 columns are errors: false with "line N: ..." in err. */
bool plot_parse(FILE *in, struct plot_data *d, char *err, size_t errlen);

/* Write the SVG picture of d; title names the campaign. */
bool plot_svg(FILE *out, const struct plot_data *d, const char *title);

void plot_free(struct plot_data *d);

/* The `plot` command: read DIR/plot_data, write FILE (default
   DIR/plot.svg). Returns the exit code; errors are printed as one line. */
int plot_main(int argc, char **argv);

#endif /* LOP_FUZZ_PLOT_H */
