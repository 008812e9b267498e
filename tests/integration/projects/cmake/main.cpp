// lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
// Small CMake project: multiplies two numbers read from stdin.
#include <iostream>

long lop_mul(long a, long b);

int main() {
  long a = 0, b = 0;
  if (!(std::cin >> a >> b))
    return 1;
  std::cout << lop_mul(a, b) << "\n";
  return 0;
}
