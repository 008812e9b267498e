/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 * Small Meson project: the library's interface. */
#ifndef LOPMAGIC_H
#define LOPMAGIC_H
#include <stddef.h>
#ifdef __cplusplus
extern "C" {
#endif
/* How many leading bytes of "MAGIC" BUF (LEN bytes) matches, 0 to 5. */
int lop_magic_prefix(const char *buf, size_t len);
#ifdef __cplusplus
}
#endif
#endif
