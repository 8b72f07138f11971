// Every F and D instruction, one at a time, on our hart and on Unicorn (QEMU's RISC-V
// translator and softfloat, which has RMM and RISC-V's NaN rules) from the same random
// operands, in each static rounding mode and the dynamic one: result bits and fflags must
// agree (single results: the low word; Unicorn 2.0.1 does not NaN-box them). This also runs our handlers end
// to end (decoding, rounding-mode selection, NaN boxing of results, flag accrual).
#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <sstream>
#include <vector>

#include "cpu/fp/fp.h"
#include "cpu/hart.h"
#include "cpu/mmu/system_mmu.h"
#include "fp_operands.h"
#include "isa/disasm.h"
#include "isa/encode.h"
#include "mem/bus.h"
#include "mem/guest_ram.h"
#include "unicorn_oracle.h"

namespace strata::testing {
namespace {

using namespace strata::fp;

constexpr uint64_t kBase = 0x10000000, kSize = 1 << 20;
constexpr int kRunsPerMode = 1500;

// Where an operation's operands and result live: f registers of a format, or x registers.
enum class Reg { S, D, X };

struct Case {
  Op op;
  Reg dst, src;
  int sources;  // number of register sources (1-3)
  bool has_rm;
};

const Case kCases[] = {
    {Op::FaddS, Reg::S, Reg::S, 2, true},    {Op::FsubS, Reg::S, Reg::S, 2, true},
    {Op::FmulS, Reg::S, Reg::S, 2, true},    {Op::FdivS, Reg::S, Reg::S, 2, true},
    {Op::FsqrtS, Reg::S, Reg::S, 1, true},   {Op::FmaddS, Reg::S, Reg::S, 3, true},
    {Op::FmsubS, Reg::S, Reg::S, 3, true},   {Op::FnmsubS, Reg::S, Reg::S, 3, true},
    {Op::FnmaddS, Reg::S, Reg::S, 3, true},  {Op::FsgnjS, Reg::S, Reg::S, 2, false},
    {Op::FsgnjnS, Reg::S, Reg::S, 2, false}, {Op::FsgnjxS, Reg::S, Reg::S, 2, false},
    {Op::FminS, Reg::S, Reg::S, 2, false},   {Op::FmaxS, Reg::S, Reg::S, 2, false},
    {Op::FeqS, Reg::X, Reg::S, 2, false},    {Op::FltS, Reg::X, Reg::S, 2, false},
    {Op::FleS, Reg::X, Reg::S, 2, false},    {Op::FclassS, Reg::X, Reg::S, 1, false},
    {Op::FmvXW, Reg::X, Reg::S, 1, false},   {Op::FmvWX, Reg::S, Reg::X, 1, false},
    {Op::FcvtWS, Reg::X, Reg::S, 1, true},   {Op::FcvtWuS, Reg::X, Reg::S, 1, true},
    {Op::FcvtLS, Reg::X, Reg::S, 1, true},   {Op::FcvtLuS, Reg::X, Reg::S, 1, true},
    {Op::FcvtSW, Reg::S, Reg::X, 1, true},   {Op::FcvtSWu, Reg::S, Reg::X, 1, true},
    {Op::FcvtSL, Reg::S, Reg::X, 1, true},   {Op::FcvtSLu, Reg::S, Reg::X, 1, true},
    {Op::FaddD, Reg::D, Reg::D, 2, true},    {Op::FsubD, Reg::D, Reg::D, 2, true},
    {Op::FmulD, Reg::D, Reg::D, 2, true},    {Op::FdivD, Reg::D, Reg::D, 2, true},
    {Op::FsqrtD, Reg::D, Reg::D, 1, true},   {Op::FmaddD, Reg::D, Reg::D, 3, true},
    {Op::FmsubD, Reg::D, Reg::D, 3, true},   {Op::FnmsubD, Reg::D, Reg::D, 3, true},
    {Op::FnmaddD, Reg::D, Reg::D, 3, true},  {Op::FsgnjD, Reg::D, Reg::D, 2, false},
    {Op::FsgnjnD, Reg::D, Reg::D, 2, false}, {Op::FsgnjxD, Reg::D, Reg::D, 2, false},
    {Op::FminD, Reg::D, Reg::D, 2, false},   {Op::FmaxD, Reg::D, Reg::D, 2, false},
    {Op::FeqD, Reg::X, Reg::D, 2, false},    {Op::FltD, Reg::X, Reg::D, 2, false},
    {Op::FleD, Reg::X, Reg::D, 2, false},    {Op::FclassD, Reg::X, Reg::D, 1, false},
    {Op::FmvXD, Reg::X, Reg::D, 1, false},   {Op::FmvDX, Reg::D, Reg::X, 1, false},
    {Op::FcvtWD, Reg::X, Reg::D, 1, true},   {Op::FcvtWuD, Reg::X, Reg::D, 1, true},
    {Op::FcvtLD, Reg::X, Reg::D, 1, true},   {Op::FcvtLuD, Reg::X, Reg::D, 1, true},
    {Op::FcvtDW, Reg::D, Reg::X, 1, true},   {Op::FcvtDWu, Reg::D, Reg::X, 1, true},
    {Op::FcvtDL, Reg::D, Reg::X, 1, true},   {Op::FcvtDLu, Reg::D, Reg::X, 1, true},
    {Op::FcvtSD, Reg::S, Reg::D, 1, true},   {Op::FcvtDS, Reg::D, Reg::S, 1, true},
};

// Operand registers: f1-f3 or x5, results in f4 or x6.
constexpr unsigned kFSrc[] = {1, 2, 3}, kFDst = 4, kXSrc = 5, kXDst = 6;

class OurHart {
 public:
  OurHart() : ram_(kBase, kSize), mmu_(bus_) {
    bus_.add_ram(ram_);
    hart_ = std::make_unique<Hart>(HartConfig{}, &bus_, &mmu_, nullptr);
    hart_->csr.mstatus |= 1ull << 13;  // FS = Initial
  }
  void write(uint64_t addr, const void* data, size_t len) { std::memcpy(ram_.host(addr), data, len); }
  // Runs the one instruction at `pc`; false if it trapped.
  bool run_one(const ArchState& s) {
    for (int r = 1; r < 32; r++) hart_->x[r] = s.x[r];
    hart_->f = s.f;
    hart_->csr.fflags = uint32_t(s.fflags);
    hart_->csr.frm = uint32_t(s.frm);
    hart_->pc = s.pc;
    hart_->run(1);
    return hart_->pc == s.pc + 4;
  }
  ArchState state() const {
    ArchState s;
    for (int r = 0; r < 32; r++) s.x[r] = hart_->x[r];
    s.f = hart_->f;
    s.fflags = hart_->csr.fflags;
    s.frm = hart_->csr.frm;
    s.pc = hart_->pc;
    return s;
  }

 private:
  GuestRam ram_;
  Bus bus_;
  SystemMmu mmu_;
  std::unique_ptr<Hart> hart_;
};

uint64_t random_integer(std::mt19937_64& rng) {
  const uint64_t r = rng();
  switch (rng() % 6) {
    case 0:
      return r >> (rng() % 64);
    case 1:
      return r & ~((uint64_t(1) << (rng() % 40)) - 1);  // low zeros: exact or halfway
    case 2:
      return uint64_t(int64_t(int32_t(r)));  // sign-extended words
    case 3:
      return (r >> (rng() % 64)) | (uint64_t(1) << (rng() % 64));
    case 4:
      return uint64_t(int64_t(rng() % 9) - 4) << (rng() % 64);
    default:
      return r;
  }
}

uint64_t random_source(Reg r, std::mt19937_64& rng) {
  switch (r) {
    case Reg::S:
      return box(random_operand<F32>(rng));
    case Reg::D:
      return random_operand<F64>(rng);
    default:
      return random_integer(rng);
  }
}

// Fills the sources of one run; the fused addend is often close to minus the product.
ArchState random_state(const Case& c, uint64_t pc, std::mt19937_64& rng) {
  ArchState s;
  s.pc = pc;
  s.frm = rng() % 5;
  s.fflags = rng() % 4 == 0 ? rng() & 0x1f : 0;  // flags accrue: some runs start with flags set
  s.x[kXSrc] = random_integer(rng);
  for (unsigned k = 0; k < 3; k++) s.f[kFSrc[k]] = random_source(c.src == Reg::X ? Reg::D : c.src, rng);
  if (c.src != Reg::X && c.sources >= 2 && rng() % 2) {
    if (c.src == Reg::S)
      s.f[kFSrc[1]] = box(related_operand<F32>(uint32_t(s.f[kFSrc[0]]), rng));
    else
      s.f[kFSrc[1]] = related_operand<F64>(s.f[kFSrc[0]], rng);
  }
  if (c.sources == 3 && rng() % 2) {
    uint32_t ignored = 0;
    if (c.src == Reg::S) {
      const uint32_t p = mul<F32>(uint32_t(s.f[1]), uint32_t(s.f[2]), Rm(rng() % 5), ignored);
      s.f[3] = box((rng() % 2 ? p ^ F32::kSignMask : p) ^ uint32_t(rng() % 4));
    } else {
      const uint64_t p = mul<F64>(s.f[1], s.f[2], Rm(rng() % 5), ignored);
      s.f[3] = (rng() % 2 ? p ^ F64::kSignMask : p) ^ (rng() % 4);
    }
  }
  return s;
}

// Unicorn 2.0.1 implements fmin/fmax as IEEE 754-2008 minNum/maxNum (QEMU before 6.1): a
// signalling NaN operand gives the canonical NaN. RISC-V (since F 2.2) returns the other
// operand. Only the flags are compared then.
bool unicorn_minmax_differs(const Case& c, const ArchState& in) {
  if (c.op != Op::FminS && c.op != Op::FmaxS && c.op != Op::FminD && c.op != Op::FmaxD) return false;
  const uint64_t a = in.f[kFSrc[0]], b = in.f[kFSrc[1]];
  if (c.src == Reg::S) return is_snan<F32>(uint32_t(a)) || is_snan<F32>(uint32_t(b));
  return is_snan<F64>(a) || is_snan<F64>(b);
}

std::string describe(const Case& c, uint32_t word, const ArchState& in, const ArchState& ours,
                     const ArchState& theirs) {
  std::ostringstream out;
  out << std::hex << disassemble_word(word, in.pc) << " (frm " << in.frm << ", fflags before 0x" << in.fflags
      << ")";
  if (c.src == Reg::X)
    out << " x5=0x" << in.x[kXSrc];
  else
    for (int k = 0; k < c.sources; k++) out << " f" << kFSrc[k] << "=0x" << in.f[kFSrc[k]];
  if (c.dst == Reg::X)
    out << ": x6 ours 0x" << ours.x[kXDst] << " unicorn 0x" << theirs.x[kXDst];
  else
    out << ": f4 ours 0x" << ours.f[kFDst] << " unicorn 0x" << theirs.f[kFDst];
  out << "; fflags ours 0x" << ours.fflags << " unicorn 0x" << theirs.fflags;
  return out.str();
}

TEST(FpUnicorn, EveryInstructionEveryRoundingMode) {
  OurHart ours;
  UnicornHart unicorn(kBase, kSize);
  std::mt19937_64 rng(2024);
  uint64_t pc = kBase;
  int failures = 0, runs = 0;
  for (const Case& c : kCases) {
    std::vector<unsigned> modes = {0};
    if (c.has_rm) modes = {0, 1, 2, 3, 4, kDynamicRm};
    for (unsigned rm : modes) {
      const uint32_t word = encode(c.op, {.rd = c.dst == Reg::X ? kXDst : kFDst,
                                          .rs1 = c.src == Reg::X ? kXSrc : kFSrc[0],
                                          .rs2 = kFSrc[1],
                                          .rs3 = kFSrc[2],
                                          .rm = rm});
      ours.write(pc, &word, 4);
      unicorn.write(pc, &word, 4);
      for (int n = 0; n < kRunsPerMode; n++, runs++) {
        const ArchState in = random_state(c, pc, rng);
        unicorn.set_state(in);
        const uc_err err = unicorn.run(pc, pc + 4);
        const ArchState theirs = unicorn.state();
        const bool ours_ok = ours.run_one(in);
        const ArchState mine = ours.state();
        bool same;
        if (c.dst == Reg::X)
          same = mine.x[kXDst] == theirs.x[kXDst];
        else if (c.dst == Reg::D)
          same = mine.f[kFDst] == theirs.f[kFDst];
        else  // Unicorn 2.0.1 (QEMU 5.0) does not NaN-box single results: we must, it need not
          same = uint32_t(mine.f[kFDst]) == uint32_t(theirs.f[kFDst]) && (mine.f[kFDst] >> 32) == 0xffffffff;
        if (unicorn_minmax_differs(c, in)) same = true;  // the value is checked by fp_compare_test
        if (err != UC_ERR_OK || !ours_ok || !same || mine.fflags != theirs.fflags) {
          if (failures++ < 20)
            ADD_FAILURE() << describe(c, word, in, mine, theirs) << (ours_ok ? "" : " [our hart trapped]")
                          << (err == UC_ERR_OK ? "" : std::string(" [unicorn: ") + uc_strerror(err) + "]");
        }
      }
      pc += 4;
    }
  }
  EXPECT_EQ(failures, 0) << "of " << runs << " runs";
}

}  // namespace
}  // namespace strata::testing
