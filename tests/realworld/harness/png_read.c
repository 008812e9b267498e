/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * libpng harness: decodes the testcase with libpng's simplified API into
 * RGBA, refusing images over MAX_PIXELS so a forged header cannot make it
 * allocate gigabytes. Linked against the instrumented libpng16.so, so its
 * coverage reaches the map through the executable's runtime.
 */
#include "input.h"
#include <png.h>
#include <string.h>

/* Largest image decoded (pixels); bigger ones stop after the header. */
#define MAX_PIXELS (1u << 22)

/* Decodes one PNG held in memory; returns 0 when the whole image decoded. */
static int decode(const unsigned char *buf, size_t len) {
  png_image img;
  memset(&img, 0, sizeof(img));
  img.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_memory(&img, buf, len))
    return 1;
  if ((size_t)img.width * img.height > MAX_PIXELS) {
    png_image_free(&img);
    return 1;
  }
  img.format = PNG_FORMAT_RGBA;
  unsigned char *pixels = malloc(PNG_IMAGE_SIZE(img));
  int ok = pixels && png_image_finish_read(&img, NULL, pixels, 0, NULL);
  free(pixels);
  png_image_free(&img);
  return ok ? 0 : 1;
}

int main(int argc, char **argv) {
  size_t len = 0;
  unsigned char *buf = harness_read_input(argc, argv, &len);
  if (!buf)
    return 1;
  decode(buf, len);
  free(buf);
  return 0;
}
