// lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
//
// std::string compares CmpLog logs: == against a C string, compare() with
// a C string and == against another std::string. Reads one line; prints a
// bit per comparison that passed.
#include <iostream>
#include <string>

int main() {
  std::string s;
  std::getline(std::cin, s);
  const std::string pair = "string-pair-token";
  int r = 0;
  if (s == "cxx-eq-token")
    r |= 1;
  if (s.compare("cxx-compare-token") == 0)
    r |= 2;
  if (s == pair)
    r |= 4;
  std::cout << r << "\n";
  return 0;
}
