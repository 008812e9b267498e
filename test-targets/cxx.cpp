// lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
//
// C++ target: templates, std::string, std::map and exceptions, so the pass
// meets landing pads and the wrapper links libstdc++ with the runtime.
#include <iostream>
#include <map>
#include <stdexcept>
#include <string>

namespace {

template <typename T> T parse_number(const std::string &s) {
  if (s.empty() || s[0] < '0' || s[0] > '9')
    throw std::invalid_argument("not a number");
  return static_cast<T>(std::stol(s));
}

int classify(const std::string &word) {
  static const std::map<std::string, int> keywords = {
      {"alpha", 1}, {"beta", 2}, {"gamma", 3}};
  auto it = keywords.find(word);
  if (it != keywords.end())
    return it->second;
  try {
    return parse_number<int>(word) > 10 ? 10 : 11;
  } catch (const std::exception &) {
    return 0;
  }
}

} // namespace

int main() {
  std::string word;
  std::getline(std::cin, word);
  int kind = classify(word);
  if (kind == 3)
    std::cout << "gamma\n";
  return 0;
}
