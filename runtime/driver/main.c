/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * The driver's main(): runs the harness's LLVMFuzzerTestOneInput through
 * LLVMFuzzerRunDriver (driver.c). In an archive member of its own, pulled
 * in only when the program has no main() of its own; weak besides, so a
 * main() that comes later still wins (docs/wrapper.md).
 */
#include "driver.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int main(int argc, char **argv);

__attribute__((weak, visibility("default"))) int main(int argc, char **argv) {
  return LLVMFuzzerRunDriver(&argc, &argv, LLVMFuzzerTestOneInput);
}
