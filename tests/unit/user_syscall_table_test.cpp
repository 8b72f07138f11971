// The syscall table's numbers against the riscv64 kernel headers of the cross toolchain:
// every entry's name must be the kernel's name for that number.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include "user/syscalls/syscalls.h"

namespace strata::user {
namespace {

// Evaluates what the preprocessor leaves of a __NR_ value: a number or a sum in parentheses.
bool evaluate(std::string expr, long& out) {
  std::string clean;
  for (char c : expr)
    if (c != '(' && c != ')' && c != ' ') clean += c;
  if (clean.empty()) return false;
  out = 0;
  std::stringstream parts(clean);
  std::string term;
  while (std::getline(parts, term, '+')) {
    char* end;
    const long v = std::strtol(term.c_str(), &end, 0);
    if (*end || term.empty()) return false;
    out += v;
  }
  return true;
}

TEST(UserSyscallTable, NumbersMatchTheRiscv64KernelHeaders) {
  const SyscallTable& table = syscall_table();
  std::string input;
  for (size_t n = 0; n < table.size(); ++n)
    if (table[n].name)
      input += std::string("strata_check ") + table[n].name + " __NR_" + table[n].name + "\n";
  const std::string in_path = ::testing::TempDir() + "strata_syscalls.c";
  FILE* f = std::fopen(in_path.c_str(), "w");
  ASSERT_TRUE(f);
  std::fputs(input.c_str(), f);
  std::fclose(f);
  const std::string cmd = "riscv64-linux-gnu-gcc -E -P -include asm/unistd.h " + in_path + " 2>/dev/null";
  FILE* p = popen(cmd.c_str(), "r");
  ASSERT_TRUE(p);
  std::map<std::string, long> numbers;
  char line[512];
  while (std::fgets(line, sizeof line, p)) {
    std::string s(line);
    if (s.rfind("strata_check ", 0) != 0) continue;
    std::stringstream ss(s.substr(13));
    std::string name, rest, piece;
    ss >> name;
    while (ss >> piece) rest += piece;
    long v;
    if (evaluate(rest, v)) numbers[name] = v;
  }
  const int status = pclose(p);
  if (status != 0 || numbers.empty())
    GTEST_SKIP() << "riscv64-linux-gnu-gcc or its kernel headers are missing";
  // renameat: not in riscv64's table (it has renameat2) but harmless to serve.
  // riscv_hwprobe: 258 since Linux 6.4, newer than Debian 12's cross headers.
  const std::set<std::string> extra = {"renameat", "riscv_hwprobe"};
  for (size_t n = 0; n < table.size(); ++n) {
    if (!table[n].name) continue;
    const auto it = numbers.find(table[n].name);
    if (it == numbers.end()) {
      EXPECT_TRUE(extra.count(table[n].name)) << table[n].name << " at " << n << " is not a riscv64 syscall";
      continue;
    }
    EXPECT_EQ(it->second, long(n)) << table[n].name;
  }
  EXPECT_GE(numbers.size(), 200u);
}

}  // namespace
}  // namespace strata::user
