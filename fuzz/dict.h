/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Dictionaries (tokens the mutators insert and overwrite): AFL's `-x`
 * format (a file of `name="value"` / `"value"` lines with \xNN escapes and
 * optional `@level` suffixes, or a directory whose files are one token
 * each) and the automatic dictionary a target sends in its handshake.
 * Parsing is pure; errors come back as one line naming file and line.
 */
#ifndef LOP_FUZZ_DICT_H
#define LOP_FUZZ_DICT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Longest token kept, bytes (AFL's MAX_DICT_FILE). */
#define DICT_MAX_TOKEN 128U
/* Most tokens one dictionary holds (AFL++'s MAX_DET_EXTRAS is 256 for the
   deterministic stages; havoc uses all of them). */
#define DICT_MAX_TOKENS 4096U
/* Shortest token an automatic dictionary takes (AFL's MIN_AUTO_EXTRA). */
#define DICT_MIN_AUTO 3U

struct dict_token {
  uint8_t data[DICT_MAX_TOKEN];
  uint32_t len;
};

struct dict {
  struct dict_token *tok; /* owned, n valid entries */
  size_t n, cap;
};

/* Parse one line of an AFL dictionary file into out (at most
   DICT_MAX_TOKEN bytes). Returns 1 with *len set for a token, 0 for a line
   to skip (blank, comment, a level above max_level), -1 on a bad line with
   *why set to static text saying what is wrong. */
int dict_parse_line(const char *line, unsigned max_level, uint8_t *out,
                    uint32_t *len, const char **why);

/* Add a token (duplicates and empty or over-long tokens are ignored).
   Returns false when out of memory or the dictionary is full. */
bool dict_add(struct dict *d, const uint8_t *data, size_t len);

/* Load `path`: a dictionary file, or a directory of one-token files.
   `path@N` loads only tokens of level <= N. On error returns false and puts
   "FILE:LINE: what is wrong" (or "PATH: reason") into err. */
bool dict_load(struct dict *d, const char *path, char *err, size_t errlen);

/* Parse an automatic dictionary sent in the handshake: a sequence of
   (u8 length, bytes). Bad lengths stop the parse. Returns tokens added. */
size_t dict_load_auto(struct dict *d, const uint8_t *buf, size_t len);

void dict_free(struct dict *d);

#endif /* LOP_FUZZ_DICT_H */
