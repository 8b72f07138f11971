#include "machine/boot_rom.h"

#include <cstring>
#include <vector>

#include "isa/encode.h"
#include "mem/guest_ram.h"
#include "util/error.h"

namespace strata {

namespace {

constexpr unsigned kT0 = 5, kA0 = 10, kA1 = 11, kA2 = 12;
constexpr uint16_t kMhartid = 0xf14;
// Layout of the reset vector: six instructions, then the data they load.
constexpr uint64_t kEntryOffset = 24, kDtbOffset = 32, kInfoOffset = 40;

void put(GuestRam& rom, uint64_t offset, const void* bytes, size_t size) {
  const auto slice = rom.slice(rom.base() + offset, size);
  if (!slice) fail("boot ROM: {} bytes at offset {:#x} do not fit", size, offset);
  std::memcpy(slice->data(), bytes, size);
}

void put_words(GuestRam& rom, uint64_t offset, const std::vector<uint32_t>& words) {
  put(rom, offset, words.data(), words.size() * 4);
}

}  // namespace

uint64_t write_reset_vector(GuestRam& rom, uint64_t firmware_entry, uint64_t dtb, const FwDynamicInfo& info) {
  const std::vector<uint32_t> code = {
      encode(Op::Auipc, {.rd = kT0, .imm = 0}),                       // t0 = this ROM
      encode(Op::Addi, {.rd = kA2, .rs1 = kT0, .imm = kInfoOffset}),  // a2 = &fw_dynamic_info
      encode(Op::Csrrs, {.rd = kA0, .rs1 = 0, .imm = kMhartid}),      // a0 = mhartid
      encode(Op::Ld, {.rd = kA1, .rs1 = kT0, .imm = kDtbOffset}),     // a1 = DTB
      encode(Op::Ld, {.rd = kT0, .rs1 = kT0, .imm = kEntryOffset}),   // t0 = firmware entry
      encode(Op::Jalr, {.rd = 0, .rs1 = kT0, .imm = 0}),              // jump
  };
  put_words(rom, 0, code);
  put(rom, kEntryOffset, &firmware_entry, 8);
  put(rom, kDtbOffset, &dtb, 8);
  put(rom, kInfoOffset, &info, sizeof info);
  return rom.base();
}

uint64_t fw_dynamic_info_address(const GuestRam& rom) { return rom.base() + kInfoOffset; }

uint64_t write_m_trap_catcher(GuestRam& rom) {
  const std::vector<uint32_t> code = {
      encode(Op::Wfi, {}),
      encode(Op::Jal, {.rd = 0, .imm = -4}),
  };
  put_words(rom, 0, code);
  return rom.base();
}

}  // namespace strata
