/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Fixed-width types used across lop: uint8_t for bytes, uint32_t for wire
 * words, char * for text (no u8 * strings).
 */
#ifndef LOP_TYPES_H
#define LOP_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#endif /* LOP_TYPES_H */
