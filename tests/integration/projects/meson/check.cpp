// lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
// Small Meson project: the C++ program, input from stdin.
#include <iostream>
#include <iterator>
#include <string>

#include "magic.h"

int main() {
  std::string in((std::istreambuf_iterator<char>(std::cin)),
                 std::istreambuf_iterator<char>());
  int n = lop_magic_prefix(in.data(), in.size());
  std::cout << n << "\n";
  return n == 5 ? 0 : 1;
}
