#pragma once
// The virt board's physical memory map: the one place that says where each device lives and
// which PLIC source it raises. It follows QEMU's `-M virt` (hw/riscv/virt.c) so the same
// kernels, OpenSBI builds and test suites run unchanged:
//
// | region                      | base          | size          | PLIC source        |
// | --------------------------- | ------------- | ------------- | ------------------ |
// | boot ROM / reset vector     | 0x0000_1000   | 4 KiB         |                    |
// | syscon (poweroff / reboot)  | 0x0010_0000   | 4 KiB         |                    |
// | CLINT                       | 0x0200_0000   | 64 KiB        |                    |
// | PLIC                        | 0x0c00_0000   | 64 MiB        |                    |
// | UART 16550A                 | 0x1000_0000   | 256 B         | 10                 |
// | virtio-mmio slot n (0..7)   | 0x1000_1000 + n * 0x1000 | 4 KiB each | 1 + n     |
// | RAM                         | 0x8000_0000   | --memory      |                    |
//
// The board test checks that no two regions overlap and that the device tree says the same.
#include <cstdint>

namespace strata::virt {

struct Region {
  uint64_t base;
  uint64_t size;
};

inline constexpr Region kBootRom{0x1000, 0x1000};
inline constexpr Region kSyscon{0x100000, 0x1000};
inline constexpr Region kClint{0x2000000, 0x10000};
inline constexpr Region kPlic{0xc000000, 0x4000000};
inline constexpr Region kUart{0x10000000, 0x100};
inline constexpr uint64_t kVirtioBase = 0x10001000;
inline constexpr uint64_t kVirtioStride = 0x1000;
inline constexpr unsigned kVirtioSlots = 8;
inline constexpr uint64_t kRamBase = 0x80000000;

inline constexpr Region virtio_slot(unsigned slot) {
  return {kVirtioBase + slot * kVirtioStride, kVirtioStride};
}

// PLIC interrupt sources (source 0 means "none" in the PLIC).
inline constexpr unsigned kUartIrq = 10;
inline constexpr unsigned kVirtioIrqBase = 1;  // slot n raises source 1 + n
inline constexpr unsigned virtio_irq(unsigned slot) { return kVirtioIrqBase + slot; }
inline constexpr unsigned kPlicSources = 95;  // riscv,ndev: sources 1..95, as QEMU's virt

// The syscon register and the values that power off or reboot (QEMU's sifive_test).
inline constexpr uint32_t kSysconPoweroff = 0x5555;
inline constexpr uint32_t kSysconReboot = 0x7777;

// CLINT timebase: the `time` CSR and mtime count at 10 MHz, as on QEMU's virt.
inline constexpr uint64_t kTimebaseHz = 10'000'000;

// Harts: the PLIC has two contexts per hart (M then S external interrupts). The CLINT and PLIC
// regions have room for many more; 32 is what a 2-core host was seen to boot Debian's kernel
// with in reasonable time (each hart is a host thread, and Linux's stop_machine needs them all).
inline constexpr unsigned kMaxHarts = 32;

// Boot: an rv64 kernel Image asks for RAM + 2 MiB; firmware (OpenSBI) sits at the base of RAM.
inline constexpr uint64_t kKernelOffset = 0x200000;

}  // namespace strata::virt
