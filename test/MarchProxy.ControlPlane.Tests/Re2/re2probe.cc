// Reads one pattern per line (hex-encoded UTF-8) and prints "ok <program size>" or "err <code>",
// compiling each with RE2's default options, as Envoy compiles safe_regex.
#include <re2/re2.h>
#include <iostream>
#include <string>

static int HexValue(char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; }

int main() {
  std::string line;
  while (std::getline(std::cin, line)) {
    std::string pattern;
    for (size_t i = 0; i + 1 < line.size(); i += 2)
      pattern.push_back(static_cast<char>(HexValue(line[i]) * 16 + HexValue(line[i + 1])));
    RE2 re(pattern, RE2::Quiet);
    if (re.ok())
      std::cout << "ok " << re.ProgramSize() << "\n";
    else
      std::cout << "err " << re.error_code() << "\n";
    std::cout.flush();
  }
  return 0;
}
