#pragma once
// The 4 KiB boot ROM at 0x1000 (memory_map.h). Its contents depend on who is M-mode:
//
// - With M-mode firmware (--bios): QEMU's reset vector. Every hart resets to 0x1000 in
//   M-mode, loads a0 = mhartid, a1 = the DTB, a2 = the fw_dynamic_info that follows, and
//   jumps to the firmware, which then enters the kernel in S-mode (OpenSBI's fw_dynamic).
// - With the built-in SBI: nothing runs in M-mode. mtvec points at a catcher (wfi; j .-4)
//   so a trap that reaches M-mode stops the hart where the board sees it and reports it,
//   with mcause/mepc/mtval intact.
#include <cstdint>

namespace strata {

class GuestRam;

// OpenSBI's struct fw_dynamic_info (include/sbi/fw_dynamic.h), version 2.
struct FwDynamicInfo {
  static constexpr uint64_t kMagic = 0x4942534f;  // "OSBI"
  static constexpr uint64_t kVersion = 2;
  static constexpr uint64_t kNextModeS = 1;
  uint64_t magic = kMagic;
  uint64_t version = kVersion;
  uint64_t next_addr = 0;  // the kernel entry
  uint64_t next_mode = kNextModeS;
  uint64_t options = 0;
  uint64_t boot_hart = 0;  // the hart that boots the kernel; the others wait for HSM start
};

// Writes the reset vector and its data; returns where the harts start (the ROM base).
uint64_t write_reset_vector(GuestRam& rom, uint64_t firmware_entry, uint64_t dtb, const FwDynamicInfo& info);
// Address of the fw_dynamic_info the reset vector hands over in a2.
uint64_t fw_dynamic_info_address(const GuestRam& rom);

// Writes the M-mode trap catcher; returns its address (for mtvec).
uint64_t write_m_trap_catcher(GuestRam& rom);

}  // namespace strata
