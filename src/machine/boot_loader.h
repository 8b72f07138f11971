#pragma once
// Puts what a Linux boot needs into guest RAM, QEMU virt style, and says where it went:
//
//   RAM base          M-mode firmware (--bios, OpenSBI fw_dynamic), when given
//   RAM + 2 MiB       the kernel: a RISC-V Image at its header's text_offset, or an ELF
//                     (a vmlinux linked at virtual addresses is moved there)
//   ...               free
//   below the DTB     the initrd, 4 KiB aligned
//   top of RAM        the device tree, 4 KiB aligned, with 64 KiB free above it for firmware
//                     that edits the tree in place (OpenSBI grows it past its end)
//
// Everything is checked before the guest starts: a missing or unreadable file, a file that
// is not a kernel, and pieces that do not fit in RAM are one strata::Error each.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace strata {

class GuestRam;

struct BootFiles {
  std::string kernel;
  std::string initrd;    // empty: none
  std::string firmware;  // empty: the built-in SBI (no firmware in RAM)
};

struct BootLayout {
  uint64_t firmware_entry = 0, firmware_start = 0, firmware_end = 0;  // zero without firmware
  uint64_t kernel_entry = 0, kernel_start = 0, kernel_end = 0;        // end includes the bss
  uint64_t initrd_start = 0, initrd_end = 0;                          // zero without initrd
  uint64_t dtb_start = 0, dtb_end = 0;
};

// Room left above the device tree for firmware that grows it in place.
inline constexpr uint64_t kDtbSlack = 64 << 10;

// Builds the device tree once the initrd's place is known (called twice: once to learn the
// size, once for the real blob; the size must not depend on the addresses).
using DtbBuilder = std::function<std::vector<uint8_t>(uint64_t initrd_start, uint64_t initrd_end)>;

BootLayout load_boot_images(GuestRam& ram, const BootFiles& files, const DtbBuilder& build_dtb);

// Human-readable size for error messages ("3.7 MiB").
std::string format_size(uint64_t bytes);

}  // namespace strata
