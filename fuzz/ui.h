/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * What a person sees while lop-fuzz runs: on a terminal, a status screen
 * of 80x25 drawn on the alternate screen (one write per frame, no
 * flicker) and the terminal returned as it was at the end; otherwise (or
 * with AFL_NO_UI) one plain status line every few seconds. The formatting
 * helpers are pure and unit-tested.
 */
#ifndef LOP_FUZZ_UI_H
#define LOP_FUZZ_UI_H

#include "engine.h"
#include "stats.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Screen size the status screen needs. */
#define UI_COLS 80
#define UI_ROWS 25
/* Seconds between plain status lines. */
#define UI_PLAIN_SECS 5U

/* "1h 02m 03s" / "3d 04h 05m" for a duration in seconds. */
void ui_fmt_duration(char *buf, size_t n, uint64_t secs);

/* "12.3k", "4.56M": a count in at most 6 characters. */
void ui_fmt_count(char *buf, size_t n, uint64_t v);

/* Time since a unix time, or "none yet" for 0. */
void ui_fmt_since(char *buf, size_t n, uint64_t when, uint64_t now);

/* Draw the 25 lines of the status screen into buf (at most n bytes,
   NUL-terminated), each line UI_COLS columns wide and ending in "\n". */
void ui_render(char *buf, size_t n, const struct fz_stats *s, const char *stage,
               uint64_t now);

/* The plain status line (no newline). */
void ui_plain_line(char *buf, size_t n, const struct fz_stats *s, uint64_t now);

/* Choose the screen (stdout a terminal of at least 80x25 and no AFL_NO_UI)
   or plain lines, and return the engine's ui hook. */
eng_ui_fn ui_start(bool no_ui);

/* Give the terminal back (alternate screen off, cursor on); idempotent,
   also registered with atexit. */
void ui_restore(void);

#endif /* LOP_FUZZ_UI_H */
