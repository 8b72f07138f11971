// The trigger-module CSRs of a hart without triggers: M-mode may probe them without a
// trap and reads "no trigger" back, as the official breakpoint test and debuggers expect;
// lower privileges cannot reach them.
#include "csr_fixture.h"

namespace strata::testing {
namespace {

constexpr uint16_t kTselect = 0x7a0, kTdata1 = 0x7a1, kTdata2 = 0x7a2, kTdata3 = 0x7a3, kTinfo = 0x7a4;

class CsrTrigger : public CsrFixture {};

TEST_F(CsrTrigger, TselectHoldsOnlyTriggerZero) {
  EXPECT_EQ(write_read(kTselect, 0), 0u);
  EXPECT_EQ(write_read(kTselect, 1), 0u) << "a debugger learns there is no trigger 1 by reading back";
}

TEST_F(CsrTrigger, TriggerZeroDoesNotExist) {
  // An mcontrol breakpoint on M-mode execution (type 2, m, execute): type 0 reads back.
  const uint64_t mcontrol = (2ull << 60) | (1u << 6) | (1u << 2);
  EXPECT_EQ(write_read(kTdata1, mcontrol), 0u);
  EXPECT_EQ(write_read(kTdata2, 0x80000000), 0u);
  EXPECT_EQ(write_read(kTdata3, 5), 0u);
  uint64_t info = 0;
  EXPECT_TRUE(read_at(Priv::M, kTinfo, &info));
  EXPECT_EQ(info, 1u) << "tinfo.info is 1 when the selected trigger does not exist";
}

TEST_F(CsrTrigger, OnlyMachineModeReachesThem) {
  for (uint16_t n : {kTselect, kTdata1, kTdata2, kTdata3, kTinfo}) {
    EXPECT_TRUE(read_at(Priv::M, n)) << std::hex << n;
    EXPECT_FALSE(read_at(Priv::S, n)) << std::hex << n;
    EXPECT_FALSE(read_at(Priv::U, n)) << std::hex << n;
  }
}

}  // namespace
}  // namespace strata::testing
