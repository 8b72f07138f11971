#pragma once
#include <cstdint>

namespace strata {

enum class Priv : uint8_t { U = 0, S = 1, M = 3 };

enum class Access : uint8_t { Read, Write, Exec };

// Exception causes (mcause with the interrupt bit clear).
namespace cause {
constexpr uint64_t kInsnMisaligned = 0, kInsnAccess = 1, kIllegalInsn = 2, kBreakpoint = 3,
                   kLoadMisaligned = 4, kLoadAccess = 5, kStoreMisaligned = 6, kStoreAccess = 7,
                   kEcallU = 8, kEcallS = 9, kEcallM = 11, kInsnPageFault = 12, kLoadPageFault = 13,
                   kStorePageFault = 15;
constexpr uint64_t kInterrupt = 1ull << 63;
}  // namespace cause

// Interrupt numbers (bit positions in mip/mie).
namespace irq {
constexpr unsigned kSSI = 1, kMSI = 3, kSTI = 5, kMTI = 7, kSEI = 9, kMEI = 11;
}  // namespace irq

}  // namespace strata
