// The F and D instructions on a hart: mstatus.FS gating and Dirty tracking, static and
// dynamic rounding modes (reserved ones are illegal), NaN boxing at the register file,
// loads and stores (including compressed and faulting ones), fflags/frm/fcsr.
#include "cpu/fp/format.h"
#include "cpu/trap.h"
#include "hart_fixture.h"

namespace strata::testing {
namespace {

constexpr uint64_t kData = HartFixture::kRamBase + 0x10000;
constexpr uint64_t kTrapVector = HartFixture::kRamBase + 0x800;
constexpr uint64_t kFsInitial = 1ull << mstatus::kFSShift, kFsDirty = mstatus::kFS;
constexpr uint64_t kOneD = 0x3ff0000000000000, kBoxedOneS = 0xffffffff3f800000;
constexpr uint16_t kFflags = 0x001, kFrm = 0x002, kFcsr = 0x003, kMstatus = 0x300;

uint32_t fp(Op op, unsigned rd, unsigned rs1, unsigned rs2 = 0, unsigned rm = 0, unsigned rs3 = 0) {
  return encode(op, {.rd = rd, .rs1 = rs1, .rs2 = rs2, .rs3 = rs3, .rm = rm});
}

class FpInterp : public HartFixture {
 protected:
  FpInterp() {
    hart().csr.mtvec = kTrapVector;
    hart().csr.mstatus |= kFsInitial;
  }
  uint64_t fs() const { return hart_->csr.mstatus & mstatus::kFS; }
  uint64_t& f(unsigned r) { return hart_->f[r]; }
  // Runs one instruction placed at the reset pc; true if it trapped as illegal.
  bool illegal_after(uint32_t word) {
    hart().pc = kRamBase;
    hart().csr.mcause = 0;
    load({word});
    hart().engine()->flush_code(hart());
    step(1);
    const bool trapped = hart().pc == kTrapVector && hart().csr.mcause == cause::kIllegalInsn;
    if (trapped) {
      EXPECT_EQ(hart().csr.mtval, word);
    }
    return trapped;
  }
};

TEST_F(FpInterp, EveryFpInstructionIsIllegalWhileFsIsOff) {
  hart().csr.mstatus &= ~mstatus::kFS;
  f(1) = kOneD;
  const uint32_t words[] = {
      fp(Op::FaddD, 2, 1, 1),
      fp(Op::FaddS, 2, 1, 1),
      fp(Op::FmaddD, 2, 1, 1, 0, 1),
      fp(Op::FsgnjD, 2, 1, 1),
      fp(Op::FeqD, 5, 1, 1),
      fp(Op::FclassS, 5, 1),
      fp(Op::FmvXD, 5, 1),
      fp(Op::FmvDX, 2, 5),
      fp(Op::FcvtDL, 2, 5),
      fp(Op::FcvtSD, 2, 1),
      encode(Op::Fld, {.rd = 2, .rs1 = 6, .imm = 0}),
      encode(Op::Fsw, {.rs1 = 6, .rs2 = 1, .imm = 0}),
      enc_i(Op::Csrrs, 5, 0, kFflags),
      enc_i(Op::Csrrw, 0, 5, kFrm),
      enc_i(Op::Csrrs, 5, 0, kFcsr),
  };
  x(5) = 77;
  x(6) = kData;
  for (uint32_t w : words) EXPECT_TRUE(illegal_after(w)) << std::hex << w;
  EXPECT_EQ(f(2), 0u);
  EXPECT_EQ(x(5), 77u);
  EXPECT_EQ(fs(), 0u);
}

TEST_F(FpInterp, WritingAnFRegisterMakesFsDirtyAndSdReadsSet) {
  f(1) = kOneD;
  load({fp(Op::FaddD, 2, 1, 1), enc_i(Op::Csrrs, 5, 0, kMstatus)});
  step(2);
  EXPECT_EQ(f(2), 0x4000000000000000u);
  EXPECT_EQ(fs(), kFsDirty);
  EXPECT_EQ(x(5) >> 63, 1u);  // SD
}

TEST_F(FpInterp, ComparesWithoutNewFlagsLeaveFsAlone) {
  f(1) = kOneD;
  f(2) = 0x7ff0000000000001;  // signalling NaN
  load({fp(Op::FeqD, 5, 1, 1), fp(Op::FclassD, 6, 1), fp(Op::FmvXD, 7, 1), fp(Op::FeqD, 8, 1, 2)});
  step(3);
  EXPECT_EQ(x(5), 1u);
  EXPECT_EQ(x(6), 1u << 6);
  EXPECT_EQ(x(7), kOneD);
  EXPECT_EQ(fs(), kFsInitial);
  step(1);  // feq with a signalling NaN: NV, which changes fcsr
  EXPECT_EQ(x(8), 0u);
  EXPECT_EQ(hart().csr.fflags, fp::flag::NV);
  EXPECT_EQ(fs(), kFsDirty);
}

TEST_F(FpInterp, StaticAndDynamicRoundingModes) {
  // 1 + 2^-24 in single precision is a tie: RNE gives 1, RMM and RUP give 1 + 2^-23.
  f(1) = kBoxedOneS;
  f(2) = 0xffffffff33800000;
  const uint32_t dynamic = fp(Op::FaddS, 3, 1, 2, fp::kDynamicRm);
  load({fp(Op::FaddS, 3, 1, 2, 0), fp(Op::FaddS, 4, 1, 2, 4), dynamic, dynamic});
  hart().csr.frm = 4;  // RMM
  step(3);
  EXPECT_EQ(f(3), 0xffffffff3f800001u);  // dynamic RMM overwrote the static RNE result
  EXPECT_EQ(f(4), 0xffffffff3f800001u);
  hart().csr.frm = 0;
  step(1);
  EXPECT_EQ(f(3), kBoxedOneS);
  EXPECT_EQ(hart().csr.fflags, fp::flag::NX);
}

TEST_F(FpInterp, ReservedRoundingModesAreIllegal) {
  f(1) = f(2) = kOneD;
  EXPECT_TRUE(illegal_after(fp(Op::FaddD, 3, 1, 2, 5)));
  EXPECT_TRUE(illegal_after(fp(Op::FmulS, 3, 1, 2, 6)));
  EXPECT_TRUE(illegal_after(fp(Op::FcvtDS, 3, 1, 0, 5)));  // exact conversions check rm too
  EXPECT_TRUE(illegal_after(fp(Op::FcvtDW, 3, 1, 0, 6)));
  for (uint32_t frm : {5u, 6u, 7u}) {
    hart().csr.frm = frm;
    EXPECT_TRUE(illegal_after(fp(Op::FsqrtD, 3, 1, 0, fp::kDynamicRm))) << frm;
    EXPECT_TRUE(illegal_after(fp(Op::FmaddS, 3, 1, 2, fp::kDynamicRm, 1))) << frm;
    EXPECT_TRUE(illegal_after(fp(Op::FcvtWD, 5, 1, 0, fp::kDynamicRm))) << frm;
    EXPECT_FALSE(illegal_after(fp(Op::FsqrtD, 3, 1, 0, 1))) << frm;  // a static mode ignores frm
    EXPECT_FALSE(illegal_after(fp(Op::FsgnjD, 3, 1, 2))) << frm;     // no rm field at all
  }
  EXPECT_EQ(f(3), kOneD);
}

TEST_F(FpInterp, SingleOperandsMustBeNaNBoxed) {
  f(1) = 0x000000003f800000;  // 1.0f, not boxed
  f(2) = 0xfffffffe3f800000;  // one upper bit clear: not boxed either
  f(6) = 0x0000000080000000;
  x(10) = kData;
  load({fp(Op::FaddS, 3, 1, 1), fp(Op::FaddS, 4, 2, 2), fp(Op::FsgnjnS, 5, 1, 1), fp(Op::FclassS, 11, 1),
        fp(Op::FmvXW, 12, 1), fp(Op::FmvXW, 13, 6), encode(Op::Fsw, {.rs1 = 10, .rs2 = 1, .imm = 0}),
        fp(Op::FcvtDS, 7, 1), fp(Op::FmaxS, 8, 1, 9)});
  f(9) = 0xffffffffbf800000;  // -1.0f, boxed
  step(9);
  EXPECT_EQ(f(3), 0xffffffff7fc00000u);  // the canonical NaN, quiet: no NV
  EXPECT_EQ(f(4), 0xffffffff7fc00000u);
  EXPECT_EQ(f(5), 0xffffffffffc00000u);   // sign injection on the canonical NaN
  EXPECT_EQ(x(11), 1u << 9);              // quiet NaN
  EXPECT_EQ(x(12), 0x3f800000u);          // moves take the low word as is
  EXPECT_EQ(x(13), 0xffffffff80000000u);  // and sign-extend it
  EXPECT_EQ(read32(kData), 0x3f800000u);  // so does fsw
  EXPECT_EQ(f(7), 0x7ff8000000000000u);
  EXPECT_EQ(f(8), 0xffffffffbf800000u);  // max(NaN, -1) = -1
  EXPECT_EQ(hart().csr.fflags, 0u);
}

TEST_F(FpInterp, LoadsBoxSinglesStoresWriteRawBits) {
  write64(kData, 0x400921fb54442d18);  // pi
  write64(kData + 8, 0x00000000c0490fdb);
  x(10) = kData;
  load({encode(Op::Fld, {.rd = 1, .rs1 = 10, .imm = 0}), encode(Op::Flw, {.rd = 2, .rs1 = 10, .imm = 8}),
        encode(Op::Fsd, {.rs1 = 10, .rs2 = 2, .imm = 16}), encode(Op::Fsw, {.rs1 = 10, .rs2 = 1, .imm = 24}),
        encode(Op::Flw, {.rd = 0, .rs1 = 10, .imm = 8})});
  step(5);
  EXPECT_EQ(f(1), 0x400921fb54442d18u);
  EXPECT_EQ(f(2), 0xffffffffc0490fdbu);
  EXPECT_EQ(read64(kData + 16), 0xffffffffc0490fdbu);
  EXPECT_EQ(read32(kData + 24), 0x54442d18u);
  EXPECT_EQ(f(0), 0xffffffffc0490fdbu);  // f0 is an ordinary register
  EXPECT_EQ(fs(), kFsDirty);
}

TEST_F(FpInterp, CompressedLoadAndStoreOfDoubles) {
  x(2) = kData;  // sp
  f(8) = 0x4005bf0a8b145769;
  write16(kRamBase, 0xa022);      // c.fsdsp f8, 0(sp)
  write16(kRamBase + 2, 0x2482);  // c.fldsp f9, 0(sp)
  step(2);
  EXPECT_EQ(read64(kData), 0x4005bf0a8b145769u);
  EXPECT_EQ(f(9), 0x4005bf0a8b145769u);
}

TEST_F(FpInterp, FaultingFpLoadTrapsAndLeavesTheRegister) {
  x(10) = 0x40000000;  // no memory there
  f(1) = kOneD;
  load({encode(Op::Fld, {.rd = 1, .rs1 = 10, .imm = 8})});
  step(1);
  EXPECT_EQ(hart().csr.mcause, cause::kLoadAccess);
  EXPECT_EQ(hart().csr.mtval, 0x40000008u);
  EXPECT_EQ(hart().pc, kTrapVector);
  EXPECT_EQ(f(1), kOneD);
  EXPECT_EQ(fs(), kFsInitial);
}

TEST_F(FpInterp, FcsrAndItsParts) {
  x(5) = 0xff;
  x(6) = 0xffff;
  load({enc_i(Op::Csrrw, 0, 5, kFcsr), enc_i(Op::Csrrs, 7, 0, kFrm), enc_i(Op::Csrrs, 8, 0, kFflags),
        enc_i(Op::Csrrw, 9, 6, kFflags), enc_i(Op::Csrrw, 0, 0, kFrm), enc_i(Op::Csrrs, 11, 0, kFcsr),
        enc_i(Op::Csrrci, 12, 0b00101, kFflags), enc_i(Op::Csrrs, 13, 0, kFcsr)});
  step(1);
  EXPECT_EQ(fs(), kFsDirty);
  step(7);
  EXPECT_EQ(x(7), 7u);
  EXPECT_EQ(x(8), 0x1fu);
  EXPECT_EQ(x(9), 0x1fu);
  EXPECT_EQ(x(11), 0x1fu);  // frm 0, fflags 0x1f (only 5 bits kept)
  EXPECT_EQ(x(12), 0x1fu);
  EXPECT_EQ(x(13), 0x1au);
  EXPECT_EQ(hart().csr.frm, 0u);
}

TEST_F(FpInterp, FlagsAccrueAndIntegerResultsAreSignExtended) {
  f(1) = 0xffffffff4f32d05e;  // 3e9f
  f(2) = 0;
  f(3) = kOneD;
  load({fp(Op::FcvtWuS, 5, 1, 0, 1), fp(Op::FcvtWS, 6, 1, 0, 1), fp(Op::FdivD, 4, 3, 2),
        fp(Op::FcvtWS, 0, 1, 0, 1), fp(Op::FcvtSW, 7, 5, 0, 0)});
  x(5) = 0;
  step(5);
  EXPECT_EQ(x(5), 0xffffffffb2d05e00u);
  EXPECT_EQ(x(6), 0x7fffffffu);
  EXPECT_EQ(x(0), 0u);
  EXPECT_EQ(f(4), 0x7ff0000000000000u);
  EXPECT_EQ(f(7), 0xffffffffce9a5f44u);  // (int32_t)0xb2d05e00 = -1294967808 (22 bits: exact)
  EXPECT_EQ(hart().csr.fflags, fp::flag::NV | fp::flag::DZ);
  EXPECT_EQ(hart().pc, kRamBase + 20);
}

}  // namespace
}  // namespace strata::testing
