#pragma once
// Helpers for the board, loader and device-tree tests: temporary files, RISC-V Image files
// built around hand-assembled code, a console back end that records guest output, and a
// few instruction sequences (li, SBI calls).
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <vector>

#include "bare_elf_builder.h"
#include "devices/char_backend.h"
#include "isa/encode.h"

namespace strata::testing {

class TempFile {
 public:
  explicit TempFile(const std::vector<uint8_t>& bytes, const std::string& suffix = "") {
    std::string pattern = (std::filesystem::temp_directory_path() / "strata-board-XXXXXX").string() + suffix;
    const int fd = mkstemps(pattern.data(), int(suffix.size()));
    if (fd < 0) throw std::runtime_error("mkstemps failed");
    if (!bytes.empty() && ::write(fd, bytes.data(), bytes.size()) != ssize_t(bytes.size()))
      throw std::runtime_error("write failed");
    ::close(fd);
    path_ = pattern;
  }
  ~TempFile() { std::filesystem::remove(path_); }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

inline std::vector<uint8_t> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

// A RISC-V Linux Image: the 64-byte header (its first instruction jumps over it), then `code`.
inline std::vector<uint8_t> make_image(const std::vector<uint32_t>& code, uint64_t text_offset = 0x200000,
                                       uint64_t image_size = 0) {
  std::vector<uint8_t> bytes(64 + 4 * code.size(), 0);
  const uint32_t jump = encode(Op::Jal, {.rd = 0, .imm = 64});
  auto put = [&](size_t off, uint64_t v, size_t n) {
    for (size_t i = 0; i < n; i++) bytes[off + i] = uint8_t(v >> (8 * i));
  };
  put(0, jump, 4);
  put(8, text_offset, 8);
  put(16, image_size ? image_size : bytes.size(), 8);
  put(32, 0x2, 4);  // version 0.2
  std::memcpy(&bytes[0x30], "RISCV\0\0\0", 8);
  std::memcpy(&bytes[0x38], "RSC\x05", 4);
  std::memcpy(&bytes[64], code.data(), 4 * code.size());
  return bytes;
}

// A RISC-V ELF64 executable with one PT_LOAD segment (virtual and physical addresses may
// differ, as in a vmlinux), `memsz` >= the code's size for a bss.
inline std::vector<uint8_t> make_elf(const std::vector<uint32_t>& code, uint64_t vaddr, uint64_t paddr,
                                     uint64_t entry, uint64_t memsz = 0) {
  ElfBuilder elf;
  elf.entry = entry;
  return elf.code(paddr, code, memsz).at_virtual(vaddr).build();
}

// Register numbers.
constexpr unsigned kZero = 0, kT0 = 5, kT1 = 6, kS0 = 8, kS1 = 9, kA0 = 10, kA1 = 11, kA2 = 12, kA6 = 16,
                   kA7 = 17;

// li for any value that fits in 32 bits, sign-extended (lui + addiw).
inline void li(std::vector<uint32_t>& code, unsigned rd, int64_t value) {
  const int32_t v = int32_t(value);
  const int32_t lo = (v << 20) >> 20;
  const int32_t hi = int32_t(uint32_t(v) - uint32_t(lo));
  if (hi != 0) {
    code.push_back(encode(Op::Lui, {.rd = rd, .imm = hi}));
    code.push_back(encode(Op::Addiw, {.rd = rd, .rs1 = rd, .imm = lo}));
  } else {
    code.push_back(encode(Op::Addi, {.rd = rd, .rs1 = kZero, .imm = lo}));
  }
}

// An SBI call: a7 = eid, a6 = fid, a0/a1 as given.
inline void sbi_call(std::vector<uint32_t>& code, int64_t eid, int64_t fid, int64_t a0, int64_t a1 = 0) {
  li(code, kA7, eid);
  li(code, kA6, fid);
  li(code, kA0, a0);
  li(code, kA1, a1);
  code.push_back(encode(Op::Ecall, {}));
}

inline void legacy_putchar(std::vector<uint32_t>& code, char c) { sbi_call(code, 0x01, 0, c); }
inline void dbcn_write_byte(std::vector<uint32_t>& code, char c) { sbi_call(code, 0x4442434E, 2, c); }
inline void srst(std::vector<uint32_t>& code, unsigned type, unsigned reason) {
  sbi_call(code, 0x53525354, 0, type, reason);
}

// Records what the guest writes.
class CaptureBackend final : public CharBackend {
 public:
  void write(std::span<const uint8_t> bytes) override {
    std::lock_guard lock(mutex_);
    out_.append(bytes.begin(), bytes.end());
  }
  std::string output() const {
    std::lock_guard lock(mutex_);
    return out_;
  }
  void type(char c) const { deliver(uint8_t(c)); }  // as if typed on the host side

 private:
  mutable std::mutex mutex_;
  std::string out_;
};

}  // namespace strata::testing

namespace strata::testing {

// Hand-assembled code with labels that are positions (instruction indexes).
struct Program {
  std::vector<uint32_t> code;
  size_t here() const { return code.size(); }
  void emit(uint32_t word) { code.push_back(word); }
  int64_t to(size_t target) const { return (int64_t(target) - int64_t(here())) * 4; }
  // A jump whose target is set later with patch_jump.
  size_t jump_placeholder() {
    code.push_back(0);
    return code.size() - 1;
  }
  void patch_jump(size_t at, size_t target) {
    code[at] = encode(Op::Jal, {.rd = 0, .imm = (int64_t(target) - int64_t(at)) * 4});
  }
  void bne(unsigned a, unsigned b, size_t target) {
    emit(encode(Op::Bne, {.rs1 = a, .rs2 = b, .imm = to(target)}));
  }
  void beq(unsigned a, unsigned b, size_t target) {
    emit(encode(Op::Beq, {.rs1 = a, .rs2 = b, .imm = to(target)}));
  }
  void j(size_t target) { emit(encode(Op::Jal, {.rd = 0, .imm = to(target)})); }
  void csrr(unsigned rd, uint16_t csr) { emit(encode(Op::Csrrs, {.rd = rd, .rs1 = 0, .imm = csr})); }
  void csrw(uint16_t csr, unsigned rs) { emit(encode(Op::Csrrw, {.rd = 0, .rs1 = rs, .imm = csr})); }
  void csrs(uint16_t csr, unsigned rs) { emit(encode(Op::Csrrs, {.rd = 0, .rs1 = rs, .imm = csr})); }
  void li(unsigned rd, int64_t v) { testing::li(code, rd, v); }
  void putchar(char c) { legacy_putchar(code, c); }
  void ecall() { emit(encode(Op::Ecall, {})); }
};

}  // namespace strata::testing
