#pragma once
// Unicorn (QEMU's RISC-V translator as a library) as the oracle for unprivileged
// instruction semantics.
#include <unicorn/unicorn.h>

#include <array>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace strata::testing {

struct ArchState {
  std::array<uint64_t, 32> x{};
  std::array<uint64_t, 32> f{};
  uint64_t fflags = 0, frm = 0;
  uint64_t pc = 0;
};

class UnicornHart {
 public:
  UnicornHart(uint64_t base, uint64_t size) {
    check(uc_open(UC_ARCH_RISCV, UC_MODE_RISCV64, &uc_), "uc_open");
    check(uc_mem_map(uc_, base, size, UC_PROT_ALL), "uc_mem_map");
    uint64_t mstatus = 1ull << 13;  // FS = Initial, so F/D instructions are legal
    check(uc_reg_write(uc_, UC_RISCV_REG_MSTATUS, &mstatus), "mstatus");
  }
  ~UnicornHart() { uc_close(uc_); }
  UnicornHart(const UnicornHart&) = delete;
  UnicornHart& operator=(const UnicornHart&) = delete;

  void write(uint64_t addr, const void* data, size_t len) { check(uc_mem_write(uc_, addr, data, len), "mem_write"); }
  void read(uint64_t addr, void* data, size_t len) { check(uc_mem_read(uc_, addr, data, len), "mem_read"); }

  void set_state(const ArchState& s) {
    ArchState copy = s;
    for (int r = 1; r < 32; r++) reg(UC_RISCV_REG_X0 + r, copy.x[r], true);
    for (int r = 0; r < 32; r++) reg(UC_RISCV_REG_F0 + r, copy.f[r], true);
    uint64_t fflags = s.fflags, frm = s.frm;
    reg(UC_RISCV_REG_FFLAGS, fflags, true);
    reg(UC_RISCV_REG_FRM, frm, true);
    uint64_t pc = s.pc;
    reg(UC_RISCV_REG_PC, pc, true);
  }
  ArchState state() {
    ArchState s;
    for (int r = 1; r < 32; r++) reg(UC_RISCV_REG_X0 + r, s.x[r], false);
    for (int r = 0; r < 32; r++) reg(UC_RISCV_REG_F0 + r, s.f[r], false);
    reg(UC_RISCV_REG_FFLAGS, s.fflags, false);
    reg(UC_RISCV_REG_FRM, s.frm, false);
    reg(UC_RISCV_REG_PC, s.pc, false);
    return s;
  }

  // Runs from `begin` until pc reaches `end` (or `count` instructions when non-zero).
  uc_err run(uint64_t begin, uint64_t end, size_t count = 0) { return uc_emu_start(uc_, begin, end, 0, count); }

  // Drops translated code for [begin, end): needed before single-stepping code that already
  // ran, because a cached translation ignores the instruction count.
  void forget_code(uint64_t begin, uint64_t end) { check(uc_ctl_remove_cache(uc_, begin, end), "remove_cache"); }

 private:
  void reg(int id, uint64_t& value, bool write) {
    check(write ? uc_reg_write(uc_, id, &value) : uc_reg_read(uc_, id, &value), "reg");
  }
  static void check(uc_err e, const char* what) {
    if (e != UC_ERR_OK) throw std::runtime_error(std::string("unicorn ") + what + ": " + uc_strerror(e));
  }
  uc_engine* uc_ = nullptr;
};

}  // namespace strata::testing
