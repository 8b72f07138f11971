#pragma once
// The machine-mode state the built-in SBI firmware leaves behind before a hart first enters
// S-mode, as OpenSBI would: PMP open to S and U over everything (system_mmu.h explains why
// that is needed), traps and supervisor interrupts delegated, counters readable from S and
// U, Sstc enabled, and mtvec on the boot ROM's trap catcher.
#include <cstdint>

namespace strata {

class Hart;

// Exceptions delegated to S-mode: everything S can handle itself. Not delegated: ecalls from
// S (the firmware serves them) and from M (never happen).
inline constexpr uint64_t kBuiltinMedeleg = 0xb1ff;                          // causes 0-8, 12, 13, 15
inline constexpr uint64_t kBuiltinMideleg = (1 << 1) | (1 << 5) | (1 << 9);  // SSI, STI, SEI

// Call on a hart in M-mode (just reset), before enter_supervisor.
void prepare_builtin_sbi_hart(Hart& hart, uint64_t m_trap_vector);

}  // namespace strata
