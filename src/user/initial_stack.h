#pragma once
// The process's initial stack as the riscv64 Linux kernel builds it: argc, argv, envp, the
// auxiliary vector, and the strings and random bytes they point to.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace strata::user {

class AddressSpace;
struct LoadedImage;

namespace auxv {
constexpr uint64_t kNull = 0, kPhdr = 3, kPhent = 4, kPhnum = 5, kPagesz = 6, kBase = 7, kFlags = 8,
                   kEntry = 9, kUid = 11, kEuid = 12, kGid = 13, kEgid = 14, kHwcap = 16, kClktck = 17,
                   kSecure = 23, kRandom = 25, kHwcap2 = 26, kExecfn = 31, kMinsigstksz = 51;
}

struct StackLayout {
  uint64_t sp = 0;                                  // points at argc
  std::vector<std::pair<uint64_t, uint64_t>> auxv;  // as written, for tests
};

constexpr uint64_t kStackSize = 8ull << 20;

// Maps the stack below AddressSpace::kStackTop and fills it.
StackLayout build_initial_stack(AddressSpace& as, const std::vector<std::string>& argv,
                                const std::vector<std::string>& envp, const std::string& execfn,
                                const LoadedImage& image, const std::array<uint8_t, 16>& random);

}  // namespace strata::user
