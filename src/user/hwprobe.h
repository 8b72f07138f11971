#pragma once
// riscv_hwprobe (syscall 258): what Strata's harts implement, in the kernel's key/value form.
#include <cstdint>
#include <vector>

namespace strata::user {

struct HwprobePair {
  int64_t key;
  uint64_t value;
};

namespace hwprobe {
constexpr int64_t kMvendorid = 0, kMarchid = 1, kMimpid = 2, kBaseBehavior = 3, kImaExt0 = 4, kCpuperf0 = 5,
                  kZicbozBlockSize = 6, kHighestVirtAddress = 7, kTimeCsrFreq = 8, kMisalignedScalarPerf = 9,
                  kMisalignedVectorPerf = 10;
constexpr uint64_t kBaseIma = 1;
constexpr uint64_t kImaFd = 1ull << 0, kImaC = 1ull << 1, kZba = 1ull << 3, kZbb = 1ull << 4,
                   kZbs = 1ull << 5, kZicond = 1ull << 35;
constexpr uint64_t kMisalignedSlow = 2, kMisalignedVectorUnsupported = 4;
constexpr uint64_t kWhichCpus = 1;
}  // namespace hwprobe

// Fills the values (unknown keys become -1), or with kWhichCpus clears `cpus` unless every
// pair matches. Returns 0 or -errno.
int riscv_hwprobe(std::vector<HwprobePair>& pairs, std::vector<uint8_t>& cpus, uint64_t flags);

// AT_HWCAP: one bit per single-letter extension (bit 'x' - 'a').
uint64_t riscv_hwcap();

}  // namespace strata::user
