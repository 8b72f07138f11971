#pragma once
// Loading a RISC-V ELF64 executable into guest RAM: bare-metal programs (`run --bare`) and
// ELF kernels on the virt board. The file is hostile input: every header, offset and size is
// checked before a byte is copied, and each failure is one strata::Error naming the file.
//
// Segments are placed at their physical address (p_paddr), as QEMU and Spike do. A caller
// whose file is linked at other addresses (a vmlinux with virtual p_paddr) passes
// `translate`, applied to each segment's address and to the entry point.
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>

namespace strata {

class GuestRam;

struct ElfLoadOptions {
  // Every PT_LOAD segment must lie inside [lowest, highest) once translated; by default the
  // whole of the RAM it is loaded into.
  std::optional<uint64_t> lowest, highest;
  std::function<uint64_t(uint64_t)> translate;  // file address -> guest physical address
};

class ElfImage {
 public:
  uint64_t entry = 0;          // translated
  uint64_t low = 0, high = 0;  // the span the segments occupy (translated)
  // The value of a symbol of .symtab (untranslated, as the file says), if the file has one.
  std::optional<uint64_t> symbol(std::string_view name) const;

  std::unordered_map<std::string, uint64_t> symbols;  // defined, named symbols only
};

// Reads `path` and loads it into `ram`.
ElfImage load_elf(const std::string& path, GuestRam& ram, const ElfLoadOptions& options = {});

// The same from bytes already in memory; `what` names the file in error messages.
ElfImage load_elf_bytes(std::span<const uint8_t> file, const std::string& what, GuestRam& ram,
                        const ElfLoadOptions& options = {});

}  // namespace strata
