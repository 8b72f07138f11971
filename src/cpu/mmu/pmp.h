#pragma once
// Physical memory protection (Privileged Spec 1.12, 3.7): 64 entries, grain 4 bytes (G=0),
// address matching OFF/TOR/NA4/NAPOT. The lowest-numbered entry that matches any byte of
// an access decides it, and must match every byte or the access fails. M-mode is bound
// only by locked entries; S and U fail when no entry matches (entries are implemented).
#include <cstdint>

#include "cpu/csr_state.h"
#include "cpu/priv.h"

namespace strata {

namespace pmpcfg {
constexpr uint8_t kR = 1, kW = 2, kX = 4, kA = 3 << 3, kL = 0x80;
constexpr uint8_t kOff = 0, kTor = 1, kNa4 = 2, kNapot = 3;  // values of the A field
inline uint8_t mode(uint8_t cfg) { return (cfg >> 3) & 3; }
}  // namespace pmpcfg

// Whether PMP lets `priv` make an `access` to every byte of [first, last] (inclusive).
bool pmp_allows(const CsrState& csr, uint64_t first, uint64_t last, Access access, Priv priv);

}  // namespace strata
