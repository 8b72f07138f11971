#include "user/hwprobe.h"

#include <cerrno>

#include "user/address_space.h"
#include "user/process.h"

namespace strata::user {
namespace {

bool value_of(int64_t key, uint64_t& v) {
  using namespace hwprobe;
  switch (key) {
    case kMvendorid:
    case kMarchid:
    case kMimpid:
      v = 0;
      return true;
    case kBaseBehavior:
      v = kBaseIma;
      return true;
    case kImaExt0:
      v = kImaFd | kImaC | kZba | kZbb | kZbs | kZicond;
      return true;
    case kCpuperf0:
    case kMisalignedScalarPerf:
      v = kMisalignedSlow;
      return true;
    case kZicbozBlockSize:
      v = 0;
      return true;  // no Zicboz
    case kHighestVirtAddress:
      v = AddressSpace::kSize - 1;
      return true;
    case kTimeCsrFreq:
      v = UserClock::kFrequency;
      return true;
    case kMisalignedVectorPerf:
      v = kMisalignedVectorUnsupported;
      return true;
    default:
      return false;
  }
}

}  // namespace

int riscv_hwprobe(std::vector<HwprobePair>& pairs, std::vector<uint8_t>& cpus, uint64_t flags) {
  if (flags & ~hwprobe::kWhichCpus) return -EINVAL;
  if (flags == 0) {
    for (auto& p : pairs) {
      uint64_t v;
      if (value_of(p.key, v)) {
        p.value = v;
      } else {
        p.key = -1;
        p.value = 0;
      }
    }
    return 0;
  }
  // Which CPUs have all these values: all of them (the harts are identical) or none.
  if (cpus.empty()) return -EINVAL;
  bool all_match = true;
  for (auto& p : pairs) {
    uint64_t v;
    if (!value_of(p.key, v)) {
      p.key = -1;
      p.value = 0;
      all_match = false;
      continue;
    }
    const bool bitmask = p.key == hwprobe::kBaseBehavior || p.key == hwprobe::kImaExt0;
    if (bitmask ? (v & p.value) != p.value : v != p.value) all_match = false;
  }
  if (!all_match) cpus.assign(cpus.size(), 0);
  return 0;
}

uint64_t riscv_hwcap() {
  uint64_t caps = 0;
  for (char c : {'i', 'm', 'a', 'f', 'd', 'c'}) caps |= 1ull << (c - 'a');
  return caps;
}

}  // namespace strata::user
