#pragma once
// The device tree of the virt board, generated from the devices the board actually has
// (see memory_map.h for where each one lives). Node names, compatibles and interrupt wiring
// follow QEMU's virt machine so Linux and OpenSBI find what they expect.
#include <cstdint>
#include <string>
#include <vector>

namespace strata {

struct BoardFdtConfig {
  unsigned harts = 1;
  uint64_t ram_base = 0;
  uint64_t ram_size = 0;
  std::string bootargs;
  uint64_t initrd_start = 0, initrd_end = 0;  // no initrd when equal
  std::vector<unsigned> virtio_slots;         // slots (0..7) that hold a virtio-mmio device
  std::vector<uint8_t> rng_seed;              // /chosen/rng-seed when not empty
};

// Phandles the tree uses (fixed, so tests and fixups can name them).
inline constexpr uint32_t kPhandlePlic = 1;
inline constexpr uint32_t kPhandleSyscon = 2;
inline constexpr uint32_t phandle_cpu(unsigned hart) { return 0x10 + 2 * hart; }
inline constexpr uint32_t phandle_cpu_intc(unsigned hart) { return 0x11 + 2 * hart; }

// The flattened tree (a DTB). Throws strata::Error on a configuration it cannot describe.
std::vector<uint8_t> build_board_fdt(const BoardFdtConfig& config);

}  // namespace strata
