#include "cpu/mmu/pmp.h"

namespace strata {
namespace {

// The byte range [first, last] an active entry covers; false when it covers nothing.
bool entry_range(const CsrState& csr, unsigned n, uint64_t& first, uint64_t& last) {
  const uint64_t addr = csr.pmpaddr[n];
  switch (pmpcfg::mode(csr.pmpcfg[n])) {
    case pmpcfg::kTor: {
      const uint64_t low = n == 0 ? 0 : csr.pmpaddr[n - 1] << 2;
      const uint64_t high = addr << 2;  // exclusive
      if (low >= high) return false;
      first = low;
      last = high - 1;
      return true;
    }
    case pmpcfg::kNa4:
      first = addr << 2;
      last = first + 3;
      return true;
    case pmpcfg::kNapot: {
      // Trailing ones of pmpaddr give the size: t ones = 2^(t+3) bytes. pmpaddr keeps 54
      // bits, so the size stays below 2^58; the clamp only guards a state set by hand.
      const unsigned ones = addr == ~0ull ? 64 : unsigned(__builtin_ctzll(~addr));
      if (ones + 3 >= 64) {
        first = 0;
        last = ~0ull;
        return true;
      }
      const uint64_t size = 1ull << (ones + 3);
      first = (addr << 2) & ~(size - 1);
      last = first + (size - 1);
      return true;
    }
    default:
      return false;
  }
}

bool permits(uint8_t cfg, Access access) {
  switch (access) {
    case Access::Read:
      return cfg & pmpcfg::kR;
    case Access::Write:
      return cfg & pmpcfg::kW;
    case Access::Exec:
      return cfg & pmpcfg::kX;
  }
  return false;
}

}  // namespace

bool pmp_allows(const CsrState& csr, uint64_t first, uint64_t last, Access access, Priv priv) {
  for (unsigned n = 0; n < csr.pmpcfg.size(); n++) {
    const uint8_t cfg = csr.pmpcfg[n];
    if (!(cfg & pmpcfg::kA)) continue;
    uint64_t lo, hi;
    if (!entry_range(csr, n, lo, hi)) continue;
    if (last < lo || first > hi) continue;      // no byte matches
    if (first < lo || last > hi) return false;  // some bytes match: fails whatever the bits
    if (priv == Priv::M && !(cfg & pmpcfg::kL)) return true;
    return permits(cfg, access);
  }
  return priv == Priv::M;
}

}  // namespace strata
