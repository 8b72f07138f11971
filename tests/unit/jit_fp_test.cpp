// The JIT's inline FP code (src/jit/emit_fp.cpp) against the interpreter. A loop takes one
// entry of a table per pass: fflags (NX set or clear), frm (every mode, reserved ones too),
// mstatus.FS (Off, Initial, Clean, Dirty), x and f operands; then runs a block of random F/D
// instructions (static RNE, dynamic and other rounding modes; fflags/frm/fcsr accesses in
// one test) and stores every result, fflags and mstatus into the entry. Operands are edge
// cases: normals at and just past the exponent bounds of cpu/fp/host_fast.h, values whose
// results land at the ends of the normal range, subnormals, zeros, infinities, quiet and
// signalling NaNs, singles boxed and not. Both engines run the same budgets; their states
// and the whole table must agree after each. STRATA_JIT_FP_SEEDS=N runs N seeds per test.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <random>
#include <span>
#include <sstream>

#include "cpu/engine_kind.h"
#include "cpu/fp/host_fast.h"
#include "cpu/hart.h"
#include "cpu/mmu/system_mmu.h"
#include "engine_machine.h"
#include "isa/disasm.h"
#include "isa/encode.h"
#include "mem/bus.h"
#include "mem/code_pages.h"
#include "mem/guest_ram.h"

namespace strata::testing {
namespace {

constexpr uint64_t kBase = 0x80000000, kSize = 4 << 20;
constexpr uint64_t kCode = kBase + 0x1000;
constexpr uint64_t kTable = kBase + 0x100000;
constexpr uint64_t kEntry = 512, kEntries = 512;  // inputs in the first half, results in the second
constexpr uint64_t kFS = 3ull << 13;
constexpr unsigned kFRegs = 16, kXFirst = 10, kXCount = 8;  // f0-f15 and x10-x17 take part
constexpr int kInX = 24, kInF = kInX + 8 * kXCount, kOut = 256;

struct Machine : EngineMachine {
  explicit Machine(EngineKind kind) : EngineMachine(kind, kBase, kSize, kCode) {}
};

// What the operands concentrate on. Edges: values whose sums, products and quotients land
// on the smallest normal (where a result rounded up to it hides a tiny, inexact value: UF),
// the largest finite number, or just beside them.
enum class Profile { Mixed, Bounds, Specials, Edges };

template <typename F>
struct Values {
  using Bits = typename F::Bits;
  std::mt19937_64& rng;
  Profile profile;

  unsigned pick(unsigned n) { return unsigned(rng() % n); }

  // Exponents on both sides of the host fast path's bounds (the interpreter's), of the
  // normal range and of the single range (narrowing), and ones whose sums and differences
  // land on them (near 0 and half the bounds).
  int interesting_exponent() {
    namespace h = fp::host;
    const int bounds[] = {
        h::kLow<F>,   h::kHigh<F>,  h::kQuotientLow<F>, h::kFusedProductLow<F>, F::kEmin, F::kBias,
        F::kEmin / 2, F::kBias / 2, fp::F32::kEmin,     fp::F32::kBias,         0};
    return bounds[pick(std::size(bounds))] + int(pick(5)) - 2;
  }
  Bits significand() {
    switch (pick(4)) {
      case 0:
        return Bits(rng()) & F::kFracMask;
      case 1:
        return (Bits(rng()) & F::kFracMask) & ~(F::kFracMask >> 3);  // short: exact results
      case 2:
        return F::kFracMask;  // all ones
      default:
        return 0;
    }
  }
  Bits normal(int exponent) {
    exponent = std::clamp(exponent, F::kEmin, F::kBias);
    return (Bits(pick(2)) << (F::kExpBits + F::kFracBits)) | (Bits(exponent + F::kBias) << F::kFracBits) |
           significand();
  }
  Bits special() {
    const Bits sign = Bits(pick(2)) << (F::kExpBits + F::kFracBits);
    switch (pick(8)) {
      case 0:
        return sign;  // zero
      case 1:
        return sign | F::kInf;  // infinity
      case 2:
        return F::kCanonicalNaN | (Bits(rng()) & F::kFracMask) | sign;  // quiet NaN
      case 3:
        return F::kExpMask | ((Bits(rng()) & (F::kQuietBit - 1)) | 1) | sign;  // signalling
      case 4:
        return sign | ((Bits(rng()) & F::kFracMask) | 1);  // subnormal
      case 5:
        return sign | (pick(2) ? Bits(1) : F::kFracMask);  // smallest, largest subnormal
      case 6:
        return sign | F::kMaxFinite;
      default:
        return sign | (Bits(1) << F::kFracBits);  // smallest normal
    }
  }
  // 1 - 2^-P, 1 + 2^(1-P), 1, 1.5, 1/2, 2; the smallest normal and its neighbours, twice and
  // three times it; the largest finite numbers.
  Bits edge() {
    const Bits sign = Bits(pick(2)) << (F::kExpBits + F::kFracBits);
    const Bits one = Bits(F::kBias) << F::kFracBits, min_normal = Bits(1) << F::kFracBits;
    const Bits values[] = {one - 1,
                           one + 1,
                           one,
                           one + (Bits(1) << (F::kFracBits - 1)),
                           one - min_normal,
                           one + min_normal,
                           min_normal,
                           min_normal + 1,
                           min_normal - 1,
                           2 * min_normal,
                           2 * min_normal - 1,
                           3 * min_normal,
                           F::kMaxFinite,
                           F::kMaxFinite - 1,
                           F::kMaxFinite - min_normal};
    return sign | values[pick(std::size(values))];
  }
  Bits next() {
    const unsigned r = pick(100);
    switch (profile) {
      case Profile::Mixed:
        if (r < 45) return normal(int(pick(21)) - 10);
        if (r < 65) return normal(interesting_exponent());
        if (r < 80) return normal(F::kEmin + int(pick(2 * F::kBias)));
        return special();
      case Profile::Bounds:
        return r < 85 ? normal(interesting_exponent()) : normal(int(pick(5)) - 2);
      case Profile::Specials:
        return r < 50 ? special() : normal(r < 75 ? interesting_exponent() : int(pick(9)) - 4);
      case Profile::Edges:
        return r < 90 ? edge() : special();
    }
    return 0;
  }
};

uint64_t f_register(std::mt19937_64& rng, Profile profile) {
  const unsigned r = unsigned(rng() % 100);
  if (r < 50) return Values<fp::F64>{rng, profile}.next();
  const uint64_t single = Values<fp::F32>{rng, profile}.next();
  if (r < 90) return 0xffffffff00000000ull | single;
  return (rng() % 2 ? 0x7fffffff00000000ull : rng() & 0xffffffff00000000ull) | single;  // not boxed
}

uint64_t x_register(std::mt19937_64& rng) {
  const uint64_t edges[] = {0,
                            1,
                            ~0ull,
                            0x7fffffff,
                            0x80000000,
                            0xffffffff80000000ull,
                            1ull << 53,
                            (1ull << 53) + 1,
                            0 - (1ull << 53),
                            0 - ((1ull << 53) + 1),
                            1ull << 63,
                            (1ull << 63) - 1,
                            (1ull << 63) + 1024};
  switch (rng() % 4) {
    case 0:
      return edges[rng() % std::size(edges)];
    case 1:
      return uint64_t(int64_t(rng() % 2001) - 1000);
    case 2:
      return rng() >> (rng() % 64);
    default:
      return rng();
  }
}

struct Rounding {
  unsigned weights[4];  // RNE, DYN, another static mode, a reserved one (%)
  unsigned next(std::mt19937_64& rng) const {
    const unsigned r = unsigned(rng() % 100);
    if (r < weights[0]) return 0;
    if (r < weights[0] + weights[1]) return 7;
    if (r < weights[0] + weights[1] + weights[2]) return 1 + unsigned(rng() % 4);
    return 5 + unsigned(rng() % 2);
  }
};

constexpr Op kFpOps[] = {
    Op::FaddS,   Op::FsubS,   Op::FmulS,   Op::FdivS,   Op::FsqrtS,  Op::FmaddS,  Op::FmsubS, Op::FnmsubS,
    Op::FnmaddS, Op::FsgnjS,  Op::FsgnjnS, Op::FsgnjxS, Op::FeqS,    Op::FltS,    Op::FleS,   Op::FmvXW,
    Op::FmvWX,   Op::FaddD,   Op::FsubD,   Op::FmulD,   Op::FdivD,   Op::FsqrtD,  Op::FmaddD, Op::FmsubD,
    Op::FnmsubD, Op::FnmaddD, Op::FsgnjD,  Op::FsgnjnD, Op::FsgnjxD, Op::FeqD,    Op::FltD,   Op::FleD,
    Op::FmvXD,   Op::FmvDX,   Op::FcvtDS,  Op::FcvtSD,  Op::FcvtDW,  Op::FcvtDWu, Op::FcvtDL, Op::FcvtDLu,
};

bool csr_access(Op op) {
  return op == Op::Csrrw || op == Op::Csrrs || op == Op::Csrrc || op == Op::Csrrwi || op == Op::Csrrsi ||
         op == Op::Csrrci;
}
bool x_destination(Op op) {
  return op == Op::FeqS || op == Op::FltS || op == Op::FleS || op == Op::FeqD || op == Op::FltD ||
         op == Op::FleD || op == Op::FmvXW || op == Op::FmvXD;
}
bool x_source(Op op) {
  return op == Op::FmvWX || op == Op::FmvDX || op == Op::FcvtDW || op == Op::FcvtDWu || op == Op::FcvtDL ||
         op == Op::FcvtDLu;
}

// The loop: x30 the table, x29 the entry offset, x28 the offset mask, x26 the FS mask.
std::vector<uint32_t> program(std::mt19937_64& rng, const Rounding& rounding, std::span<const Op> ops,
                              unsigned body, unsigned fregs) {
  std::vector<uint32_t> w;
  const auto emit = [&](Op op, Operands o) { w.push_back(encode(op, o)); };
  emit(Op::Addi, {.rd = 29, .rs1 = 29, .imm = int64_t(kEntry)});
  emit(Op::And, {.rd = 29, .rs1 = 29, .rs2 = 28});
  emit(Op::Add, {.rd = 27, .rs1 = 30, .rs2 = 29});
  emit(Op::Csrrs, {.rd = 0, .rs1 = 26, .imm = 0x300});  // FS on for the set-up
  for (unsigned r = 0; r < kFRegs; r++) emit(Op::Fld, {.rd = r, .rs1 = 27, .imm = kInF + 8 * r});
  for (unsigned r = 0; r < kXCount; r++) emit(Op::Ld, {.rd = kXFirst + r, .rs1 = 27, .imm = kInX + 8 * r});
  emit(Op::Ld, {.rd = 5, .rs1 = 27, .imm = 0});
  emit(Op::Csrrw, {.rd = 0, .rs1 = 5, .imm = 0x001});  // fflags
  emit(Op::Ld, {.rd = 5, .rs1 = 27, .imm = 8});
  emit(Op::Csrrw, {.rd = 0, .rs1 = 5, .imm = 0x002});  // frm
  emit(Op::Ld, {.rd = 5, .rs1 = 27, .imm = 16});
  emit(Op::Csrrc, {.rd = 0, .rs1 = 26, .imm = 0x300});
  emit(Op::Csrrs, {.rd = 0, .rs1 = 5, .imm = 0x300});  // FS as the entry says
  for (unsigned i = 0; i < body; i++) {                // one block
    const Op op = ops[rng() % ops.size()];
    const auto f = [&] { return unsigned(rng() % fregs); };
    const auto xr = [&] { return rng() % 8 ? kXFirst + unsigned(rng() % kXCount) : 0u; };
    if (csr_access(op)) {  // fflags, frm or fcsr; the immediate forms take a uimm in rs1
      const bool immediate = op == Op::Csrrwi || op == Op::Csrrsi || op == Op::Csrrci;
      emit(op, {.rd = xr(), .rs1 = immediate ? unsigned(rng() % 32) : xr(), .imm = int64_t(1 + rng() % 3)});
      continue;
    }
    emit(op, {.rd = x_destination(op) ? xr() : f(),
              .rs1 = x_source(op) ? xr() : f(),
              .rs2 = f(),
              .rs3 = f(),
              .rm = rounding.next(rng)});
  }
  // Results: mstatus as the block left it (FS Dirty or not), fflags, x and f registers.
  emit(Op::Csrrs, {.rd = 9, .rs1 = 26, .imm = 0x300});
  emit(Op::Sd, {.rs1 = 27, .rs2 = 9, .imm = kOut});
  emit(Op::Csrrs, {.rd = 5, .rs1 = 0, .imm = 0x001});
  emit(Op::Sd, {.rs1 = 27, .rs2 = 5, .imm = kOut + 8});
  for (unsigned r = 0; r < kXCount; r++)
    emit(Op::Sd, {.rs1 = 27, .rs2 = kXFirst + r, .imm = kOut + 16 + 8 * r});
  for (unsigned r = 0; r < kFRegs; r++)
    emit(Op::Fsd, {.rs1 = 27, .rs2 = r, .imm = kOut + 16 + 8 * kXCount + 8 * r});
  emit(Op::Jal, {.rd = 0, .imm = -int64_t(4 * w.size())});
  return w;
}

std::vector<uint8_t> table(std::mt19937_64& rng, Profile profile) {
  std::vector<uint8_t> bytes(kEntry * kEntries);
  for (uint64_t e = 0; e < kEntries; e++) {
    uint64_t in[kInF / 8 + kFRegs] = {};
    const unsigned r = unsigned(rng() % 100);
    in[0] = r < 30 ? 0 : r < 75 ? fp::flag::NX : rng() % 32;                      // fflags
    in[1] = rng() % 10 < 7 ? 0 : rng() % 10 < 8 ? 1 + rng() % 4 : 5 + rng() % 3;  // frm
    in[2] = rng() % 10 < 7 ? kFS : (rng() % 3) << 13;                             // FS
    for (unsigned i = 0; i < kXCount; i++) in[kInX / 8 + i] = x_register(rng);
    for (unsigned i = 0; i < kFRegs; i++) in[kInF / 8 + i] = f_register(rng, profile);
    std::memcpy(bytes.data() + e * kEntry, in, sizeof(in));
  }
  return bytes;
}

std::string compare(const Machine& ma, const Machine& mb) {
  const Hart &a = *ma.hart, &b = *mb.hart;
  std::ostringstream out;
  out << hart_differences(a, b) << std::hex;
  const auto* ta = static_cast<const uint8_t*>(ma.ram.host(kTable));
  const auto* tb = static_cast<const uint8_t*>(mb.ram.host(kTable));
  for (uint64_t e = 0; e < kEntries; e++) {
    const uint64_t at = e * kEntry + kOut;
    if (std::memcmp(ta + at, tb + at, kEntry - kOut) == 0) continue;
    out << std::dec << " entry " << e << std::hex << ":";
    for (uint64_t i = 0; i < (kEntry - kOut) / 8; i++) {
      uint64_t va, vb;
      std::memcpy(&va, ta + at + 8 * i, 8);
      std::memcpy(&vb, tb + at + 8 * i, 8);
      if (va != vb) out << " [" << std::dec << i << std::hex << "] 0x" << va << " vs 0x" << vb;
    }
    break;
  }
  return out.str();
}

std::string listing(const std::vector<uint32_t>& words) {
  std::ostringstream out;
  for (size_t i = 0; i < words.size(); i++)
    out << std::hex << "  0x" << kCode + 4 * i << ": " << disassemble_word(words[i], kCode + 4 * i) << "\n";
  return out.str();
}

struct Case {
  Profile profile = Profile::Mixed;
  Rounding rounding{{50, 35, 15, 0}};
  std::span<const Op> ops = kFpOps;
  unsigned body = 40;       // instructions
  unsigned fregs = kFRegs;  // the body uses f0 up to this
};

void run_seeds(const Case& c, uint64_t first_seed, uint64_t seeds) {
  if (const char* more = std::getenv("STRATA_JIT_FP_SEEDS")) seeds = std::strtoull(more, nullptr, 10);
  for (uint64_t seed = first_seed; seed < first_seed + seeds; seed++) {
    std::mt19937_64 rng(seed);
    const std::vector<uint32_t> code = program(rng, c.rounding, c.ops, c.body, c.fregs);
    const std::vector<uint8_t> data = table(rng, c.profile);
    Machine interp(EngineKind::Interp), jit(EngineKind::Jit);
    for (Machine* m : {&interp, &jit}) {
      Hart& h = *m->hart;
      h.x[30] = kTable;
      h.x[29] = 0;
      h.x[28] = kEntry * kEntries - 1 - (kEntry - 1);  // offsets wrap inside the table
      h.x[26] = kFS;
      h.csr.mstatus |= kFS;
      h.csr.mtvec = kCode;  // a trap (FS off, a reserved mode) goes on with the next entry
      std::memcpy(m->ram.host(kTable), data.data(), data.size());
      std::memcpy(m->ram.host(kCode), code.data(), 4 * code.size());
      m->bus.code_pages().written(kCode, 4 * code.size());
    }
    uint64_t total = 0;
    for (int round = 0; round < 150; round++) {
      const uint64_t budget = 1 + rng() % 3000;
      const Exit ea = interp.hart->run(budget), eb = jit.hart->run(budget);
      total += budget;
      ASSERT_EQ(int(ea.reason), int(eb.reason)) << "seed " << seed;
      const std::string diff = compare(interp, jit);
      ASSERT_EQ(diff, "") << "seed " << seed << " round " << round << " after " << total
                          << " instructions (interpreter vs JIT):\n"
                          << listing(code);
    }
  }
}

TEST(JitFp, MixedOperandsAgreeWithTheInterpreter) { run_seeds({}, 1, 24); }

TEST(JitFp, OperandsAtTheExponentBoundsAgree) { run_seeds({.profile = Profile::Bounds}, 101, 24); }

TEST(JitFp, SpecialOperandsAgree) { run_seeds({.profile = Profile::Specials}, 201, 16); }

TEST(JitFp, ResultsAtTheEdgesOfTheRangeAgree) { run_seeds({.profile = Profile::Edges}, 501, 24); }

// Reserved modes in the instructions trap part way through the block.
TEST(JitFp, ReservedRoundingModesAgree) { run_seeds({.rounding = Rounding{{45, 35, 15, 5}}}, 301, 8); }

// Long stretches of arithmetic on few registers: the JIT keeps results in host registers
// within such a run and reads some of them back in the other format.
TEST(JitFp, ArithmeticRunsAgree) {
  static constexpr Op kArithmetic[] = {Op::FaddS,   Op::FsubS,   Op::FmulS,  Op::FdivS,  Op::FsqrtS,
                                       Op::FmaddS,  Op::FnmsubS, Op::FaddD,  Op::FsubD,  Op::FmulD,
                                       Op::FdivD,   Op::FsqrtD,  Op::FmaddD, Op::FmsubD, Op::FnmsubD,
                                       Op::FnmaddD, Op::FcvtDS,  Op::FcvtSD};
  run_seeds({.ops = kArithmetic, .fregs = 6}, 601, 12);
  run_seeds({.profile = Profile::Edges, .ops = kArithmetic, .fregs = 4}, 701, 12);
}

// fflags, frm and fcsr read and written (frflags, fsflags, fsrm, ...) between arithmetic.
TEST(JitFp, FpCsrAccessesAgree) {
  static constexpr Op kWithCsrs[] = {Op::Csrrw,  Op::Csrrs, Op::Csrrc, Op::Csrrwi, Op::Csrrsi, Op::Csrrci,
                                     Op::FaddD,  Op::FmulD, Op::FdivS, Op::FmaddD, Op::FltD,   Op::FeqS,
                                     Op::FsqrtD, Op::FsubS, Op::FmvXD, Op::FcvtSD};
  run_seeds({.ops = kWithCsrs, .body = 12}, 801, 12);
}

// Short blocks of instructions that never raise flags, so that whole blocks run inline from
// FS Initial or Clean: each must leave FS Dirty.
TEST(JitFp, FsBecomesDirtyAsInTheInterpreter) {
  static constexpr Op kQuiet[] = {Op::FsgnjS,  Op::FsgnjnS, Op::FsgnjxS, Op::FsgnjD, Op::FsgnjnD,
                                  Op::FsgnjxD, Op::FmvWX,   Op::FmvDX,   Op::FmvXW,  Op::FmvXD,
                                  Op::FcvtDW,  Op::FcvtDWu, Op::FeqD,    Op::FltS};
  run_seeds({.ops = kQuiet, .body = 3}, 401, 8);
}

}  // namespace
}  // namespace strata::testing
