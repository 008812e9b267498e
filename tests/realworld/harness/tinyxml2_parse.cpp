/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * tinyxml2 harness (C++): parses the testcase as XML and walks every
 * element and attribute, so both the parser and the DOM accessors run.
 * Built with afl-clang-fast++ against the instrumented libtinyxml2.a.
 */
#include "input.h"
#include <tinyxml2.h>

/* Visits el, its attributes and (recursively) its children; returns the
   number of elements seen. Depth is bounded by tinyxml2's own limit. */
static unsigned walk(const tinyxml2::XMLElement *el) {
  unsigned n = 0;
  for (; el; el = el->NextSiblingElement()) {
    n++;
    for (const tinyxml2::XMLAttribute *a = el->FirstAttribute(); a;
         a = a->Next())
      n += a->IntValue() == 42;
    if (el->GetText())
      n++;
    n += walk(el->FirstChildElement());
  }
  return n;
}

int main(int argc, char **argv) {
  size_t len = 0;
  unsigned char *buf = harness_read_input(argc, argv, &len);
  if (!buf)
    return 1;
  tinyxml2::XMLDocument doc;
  if (doc.Parse(reinterpret_cast<const char *>(buf), len) ==
      tinyxml2::XML_SUCCESS)
    walk(doc.RootElement());
  free(buf);
  return 0;
}
