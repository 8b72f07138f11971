// The built-in SBI firmware's entry and its base extension: the calling convention, which
// ecalls reach the firmware at all, versions, probing, machine IDs, unknown calls.
#include "sbi_fixture.h"

namespace strata::testing {
namespace {

using namespace sbi;

class SbiBaseTest : public SbiFixture {};

TEST_F(SbiBaseTest, SpecVersionIsTwoPointZero) {
  const Result r = call(eid::kBase, fid::kGetSpecVersion);
  EXPECT_EQ(r.exit.reason, ExitReason::BudgetSpent);
  EXPECT_EQ(r.error(), kSuccess);
  EXPECT_EQ(r.a1, 0x02000000u);
  expect_returned();
  expect_preserved(0);
}

TEST_F(SbiBaseTest, ImplementationIdAndVersion) {
  Result r = call(eid::kBase, fid::kGetImplId);
  EXPECT_EQ(r.error(), kSuccess);
  EXPECT_EQ(r.a1, 0x53545241u);  // "STRA": none of the spec's registered IDs (0..11)
  EXPECT_GT(r.a1, 11u);
  r = call(eid::kBase, fid::kGetImplVersion);
  EXPECT_EQ(r.error(), kSuccess);
  EXPECT_EQ(r.a1, kImplVersion);
}

TEST_F(SbiBaseTest, ProbeFindsEveryServedExtensionAndNothingElse) {
  const uint64_t present[] = {0x00,         0x01,      0x02,       0x03,       0x04,       0x05,
                              0x06,         0x07,      0x08,       eid::kBase, eid::kTime, eid::kIpi,
                              eid::kRfence, eid::kHsm, eid::kSrst, eid::kDbcn};
  for (uint64_t e : present) {
    const Result r = call(eid::kBase, fid::kProbeExtension, {e});
    EXPECT_EQ(r.error(), kSuccess) << std::hex << e;
    EXPECT_EQ(r.a1, 1u) << std::hex << e;
  }
  const uint64_t absent[] = {0x09,
                             0x0f,
                             0x11,
                             0x504D55 /* PMU */,
                             0x53555350 /* SUSP */,
                             0x43505043,
                             0x535441 /* STA */,
                             0x4E41434C,
                             0x1'0000'0010,
                             ~0ull};
  for (uint64_t e : absent) {
    const Result r = call(eid::kBase, fid::kProbeExtension, {e});
    EXPECT_EQ(r.error(), kSuccess) << std::hex << e;
    EXPECT_EQ(r.a1, 0u) << std::hex << e;
  }
}

TEST_F(SbiBaseTest, MachineIdsAreTheHartsCsrs) {
  for (auto [f, number] :
       {std::pair{fid::kGetMvendorid, 0xf11}, {fid::kGetMarchid, 0xf12}, {fid::kGetMimpid, 0xf13}}) {
    uint64_t expected = ~0ull;
    csr_table().find(uint16_t(number))->read(hart(), expected);
    const Result r = call(eid::kBase, f);
    EXPECT_EQ(r.error(), kSuccess);
    EXPECT_EQ(r.a1, expected) << std::hex << number;
  }
}

TEST_F(SbiBaseTest, UnknownFunctionOfAKnownExtension) {
  const Result r = call(eid::kBase, 7);
  EXPECT_EQ(r.error(), kErrNotSupported);
  expect_returned();
  expect_preserved(0);
}

TEST_F(SbiBaseTest, UnknownExtensionsAreNotSupported) {
  for (uint64_t e :
       {0x11ull, 0x504D55ull, 0x0A000000ull, 0x1'0000'0010ull /* base with upper bits */, ~0ull}) {
    const Result r = call(e, 0, {1, 2, 3});
    EXPECT_EQ(r.error(), kErrNotSupported) << std::hex << e;
    EXPECT_EQ(r.a1, 0u);
    expect_returned();
    expect_preserved(0, {12});
  }
}

TEST_F(SbiBaseTest, EveryHartReachesTheFirmware) {
  for (unsigned i = 0; i < kHarts; i++) {
    const Result r = call_on(i, eid::kBase, fid::kGetSpecVersion);
    EXPECT_EQ(r.error(), kSuccess);
    EXPECT_EQ(r.a1, kSpecVersion);
    expect_returned(i);
  }
}

TEST_F(SbiBaseTest, EcallRetiresLikeAnyInstruction) {
  const uint64_t before = hart().instret();
  call(eid::kBase, fid::kGetSpecVersion);
  EXPECT_EQ(hart().instret(), before + 1);
}

// Only S-mode ecalls that would trap to M reach the firmware.
TEST_F(SbiBaseTest, UserEcallIsAnOrdinaryTrap) {
  set_priv(hart(), Priv::U);
  hart().x[17] = eid::kBase;
  hart().x[16] = fid::kGetSpecVersion;
  hart().x[10] = 77;
  hart().pc = code_of(0);
  hart().run(1);
  EXPECT_EQ(hart().priv, Priv::M);
  EXPECT_EQ(hart().csr.mcause, cause::kEcallU);
  EXPECT_EQ(hart().pc, kTrapVector);
  EXPECT_EQ(hart().x[10], 77u);
}

TEST_F(SbiBaseTest, MachineEcallIsAnOrdinaryTrap) {
  set_priv(hart(), Priv::M);
  hart().x[17] = eid::kBase;
  hart().x[10] = 77;
  hart().pc = code_of(0);
  hart().run(1);
  EXPECT_EQ(hart().csr.mcause, cause::kEcallM);
  EXPECT_EQ(hart().csr.mepc, code_of(0));
  EXPECT_EQ(hart().x[10], 77u);
}

TEST_F(SbiBaseTest, SupervisorEcallDelegatedToSIsTheGuestsOwn) {
  m_csr(hart(), csrnum::kMedeleg, bit(cause::kEcallS));
  set_priv(hart(), Priv::S);
  hart().x[17] = eid::kLegacyPutchar;
  hart().x[10] = 'x';
  hart().pc = code_of(0);
  hart().run(1);
  EXPECT_EQ(hart().pc, kStvec);
  EXPECT_EQ(hart().csr.scause, cause::kEcallS);
  EXPECT_EQ(hart().csr.sepc, code_of(0));
  EXPECT_EQ(hart().x[10], uint64_t('x'));
  EXPECT_TRUE(platform_.console_out.empty());
}

TEST_F(SbiBaseTest, WithoutFirmwareTheEcallTrapsToM) {
  hart().firmware = nullptr;
  const Result r = call(eid::kBase, fid::kGetSpecVersion);
  EXPECT_EQ(hart().priv, Priv::M);
  EXPECT_EQ(hart().csr.mcause, cause::kEcallS);
  EXPECT_EQ(hart().csr.mepc, code_of(0));
  EXPECT_EQ(r.a0, kSentinel | 10);
}

}  // namespace
}  // namespace strata::testing
