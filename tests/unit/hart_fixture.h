#pragma once
// A bare machine for CPU tests: RAM at 0x80000000, the system MMU, one hart starting in
// M-mode at the base of RAM. Programs are lists of 32-bit words (from isa/encode.h) or
// raw halfwords for compressed code.
#include <gtest/gtest.h>

#include <cstring>
#include <initializer_list>
#include <memory>

#include "cpu/hart.h"
#include "cpu/mmu/system_mmu.h"
#include "isa/encode.h"
#include "mem/bus.h"
#include "mem/guest_ram.h"

namespace strata::testing {

class FixedClock : public Clock {
 public:
  uint64_t now() const override { return ticks; }
  uint64_t ticks = 0;
};

class HartFixture : public ::testing::Test {
 public:
  static constexpr uint64_t kRamBase = 0x80000000;
  static constexpr uint64_t kRamSize = 16 << 20;

 protected:

  HartFixture() : ram_(kRamBase, kRamSize), mmu_(bus_) {
    bus_.add_ram(ram_);
    HartConfig config;
    config.reset_pc = kRamBase;
    hart_ = std::make_unique<Hart>(config, &bus_, &mmu_, &clock_);
  }

  Hart& hart() { return *hart_; }
  uint64_t& x(unsigned r) { return hart_->x[r]; }

  void write32(uint64_t addr, uint32_t word) { std::memcpy(ram_.host(addr), &word, 4); }
  void write16(uint64_t addr, uint16_t half) { std::memcpy(ram_.host(addr), &half, 2); }
  void write64(uint64_t addr, uint64_t v) { std::memcpy(ram_.host(addr), &v, 8); }
  uint64_t read64(uint64_t addr) {
    uint64_t v;
    std::memcpy(&v, ram_.host(addr), 8);
    return v;
  }
  uint32_t read32(uint64_t addr) {
    uint32_t v;
    std::memcpy(&v, ram_.host(addr), 4);
    return v;
  }

  // Places the words at `addr` (default: the reset pc).
  void load(std::initializer_list<uint32_t> words, uint64_t addr = kRamBase) {
    for (uint32_t w : words) {
      write32(addr, w);
      addr += 4;
    }
  }

  // Runs exactly `n` instructions from the current pc.
  Exit step(uint64_t n = 1) { return hart_->run(n); }

  GuestRam ram_;
  Bus bus_;
  SystemMmu mmu_;
  FixedClock clock_;
  std::unique_ptr<Hart> hart_;
};

inline uint32_t enc(Op op, unsigned rd, unsigned rs1, unsigned rs2, int64_t imm = 0) {
  return encode(op, Operands{.rd = rd, .rs1 = rs1, .rs2 = rs2, .imm = imm});
}
inline uint32_t enc_i(Op op, unsigned rd, unsigned rs1, int64_t imm) {
  return encode(op, Operands{.rd = rd, .rs1 = rs1, .imm = imm});
}

}  // namespace strata::testing
