// The Sv39/Sv48/Sv57 page walk: every level of every mode, superpages, each way a PTE can be
// invalid, non-canonical addresses and access faults from the walk itself.
#include "mmu_fixture.h"

namespace strata::testing {
namespace {

constexpr uint64_t kData = HartFixture::kRamBase + 0x100000;

struct ModeCase {
  uint64_t mode;
  const char* name;
};

class MmuWalkModes : public MmuFixture, public ::testing::WithParamInterface<ModeCase> {};

// A leaf at each level maps its whole range: the low VPN bits pass through to the address.
TEST_P(MmuWalkModes, LeafAtEveryLevelMapsItsRange) {
  use_mode(GetParam().mode);
  enter(Priv::S);
  for (unsigned level = 0; level < levels(); level++) {
    // A page of this size whose range contains RAM; the virtual base is a different,
    // canonical multiple of the size so the translation visibly moves the address.
    const uint64_t size = 1ull << page_shift(level);
    const uint64_t pa_base = kData & ~(size - 1);
    const uint64_t va_base = uint64_t(level + 1) << (page_shift(levels() - 1));  // a distinct top-level slot
    map(va_base, pa_base, kR | kW | kA | kD, level);
    const uint64_t offset = kData - pa_base + 0x123;
    const Translation t = tr(va_base + offset, Access::Read);
    ASSERT_TRUE(t.ok) << GetParam().name << " level " << level;
    EXPECT_EQ(t.pa, kData + 0x123) << GetParam().name << " level " << level;
    EXPECT_EQ(t.host, ram_.host(kData + 0x123));
    EXPECT_TRUE(t.cacheable);
  }
}

TEST_P(MmuWalkModes, MisalignedSuperpageIsAPageFault) {
  use_mode(GetParam().mode);
  enter(Priv::S);
  for (unsigned level = 1; level < levels(); level++) {
    const uint64_t va = uint64_t(level + 1) << page_shift(levels() - 1);
    map(va, kData + kPageSize, kR | kA, level);  // PPN with low bits set at this level
    EXPECT_EQ(tr(va, Access::Read).cause, cause::kLoadPageFault) << "level " << level;
    EXPECT_EQ(tr(va, Access::Exec).cause, cause::kInsnPageFault) << "level " << level;
  }
}

// Bits above the VA width must all equal its top bit. Each non-canonical address below has
// the same low bits as a mapped canonical one, so only the check can make it fault.
TEST_P(MmuWalkModes, NonCanonicalAddressesFault) {
  use_mode(GetParam().mode);
  enter(Priv::S);
  const unsigned bits = 12 + 9 * levels();
  const uint64_t width_mask = (1ull << bits) - 1;
  const uint64_t positive = 0x5000, negative = (~0ull << (bits - 1)) | 0x5000;
  map(positive, kData, kR | kW | kX | kA | kD);
  map(negative, kData + kPageSize, kR | kW | kX | kA | kD);
  EXPECT_EQ(tr(positive, Access::Read).pa, kData);
  EXPECT_EQ(tr(negative, Access::Read).pa, kData + kPageSize);
  for (uint64_t va :
       {positive | bit(63), positive | bit(bits), negative & width_mask, negative ^ bit(bits + 3)}) {
    EXPECT_EQ(tr(va, Access::Read).cause, cause::kLoadPageFault) << std::hex << va;
    EXPECT_EQ(tr(va, Access::Write).cause, cause::kStorePageFault) << std::hex << va;
    EXPECT_EQ(tr(va, Access::Exec).cause, cause::kInsnPageFault) << std::hex << va;
  }
}

INSTANTIATE_TEST_SUITE_P(Modes, MmuWalkModes,
                         ::testing::Values(ModeCase{satp::kSv39, "Sv39"}, ModeCase{satp::kSv48, "Sv48"},
                                           ModeCase{satp::kSv57, "Sv57"}),
                         [](const auto& info) { return std::string(info.param.name); });

class MmuWalk : public MmuFixture {
 protected:
  void SetUp() override {
    use_mode(satp::kSv39);
    enter(Priv::S);
  }
  static constexpr uint64_t kVa = 0x40001000;
};

TEST_F(MmuWalk, FaultCauseFollowsTheAccessType) {
  EXPECT_EQ(tr(kVa, Access::Read).cause, cause::kLoadPageFault);
  EXPECT_EQ(tr(kVa, Access::Write).cause, cause::kStorePageFault);
  EXPECT_EQ(tr(kVa, Access::Exec).cause, cause::kInsnPageFault);
}

TEST_F(MmuWalk, InvalidLeafEncodings) {
  const uint64_t at = map(kVa, kData, kR | kA);
  ASSERT_TRUE(tr(kVa, Access::Read).ok);
  struct Bad {
    uint64_t pte;
    const char* why;
  };
  const uint64_t ppn = (kData >> 12) << 10;
  for (const Bad& b : {Bad{ppn | kR | kA, "V clear"}, Bad{ppn | pte::kV | kW | kA | kD, "W without R"},
                       Bad{ppn | pte::kV | kW | kX | kA | kD, "W+X without R"},
                       Bad{ppn | pte::kV | kR | kA | (1ull << 54), "reserved bit 54"},
                       Bad{ppn | pte::kV | kR | kA | (1ull << 60), "reserved bit 60"},
                       Bad{ppn | pte::kV | kR | kA | (1ull << 61), "PBMT (no Svpbmt)"},
                       Bad{ppn | pte::kV | kR | kA | (1ull << 63), "N (no Svnapot)"}}) {
    write64(at, b.pte);
    mmu_.request_flush();
    EXPECT_EQ(tr(kVa, Access::Read).cause, cause::kLoadPageFault) << b.why;
  }
}

TEST_F(MmuWalk, InvalidPointerEncodings) {
  map(kVa, kData, kR | kA);
  const uint64_t top = pte_addr(kVa, 2);
  const uint64_t good = read64(top);
  for (uint64_t extra : {kA, kD, kU, bit(62)}) {
    write64(top, good | extra);
    mmu_.request_flush();
    EXPECT_EQ(tr(kVa, Access::Read).cause, cause::kLoadPageFault) << std::hex << extra;
  }
  write64(top, good & ~pte::kV);
  mmu_.request_flush();
  EXPECT_EQ(tr(kVa, Access::Read).cause, cause::kLoadPageFault);
  write64(top, good);
  mmu_.request_flush();
  EXPECT_TRUE(tr(kVa, Access::Read).ok);
  // A pointer at level 0 has nowhere to go.
  write64(pte_addr(kVa, 0), ((kData >> 12) << 10) | pte::kV);
  mmu_.request_flush();
  EXPECT_EQ(tr(kVa, Access::Read).cause, cause::kLoadPageFault);
}

// G in a pointer makes everything below it global.
TEST_F(MmuWalk, GlobalBitInAPointerIsInherited) {
  const uint64_t private_va = 0x80000000;  // another top-level slot, no G anywhere
  map(kVa, kData, kR | kA);
  map(private_va, kData, kR | kA);
  const uint64_t top = pte_addr(kVa, 2);
  write64(top, read64(top) | kG);
  ASSERT_TRUE(tr(kVa, Access::Read).ok);
  ASSERT_TRUE(tr(private_va, Access::Read).ok);
  // Another ASID with an empty table still finds the global entry in the cache, not the other.
  set_satp(7, alloc_table());
  EXPECT_TRUE(tr(kVa, Access::Read).ok);
  EXPECT_EQ(tr(private_va, Access::Read).cause, cause::kLoadPageFault);
}

// Reads as zero, so a page table placed here would be all-invalid if it were read.
class NullDevice : public MmioDevice {
 public:
  std::string_view name() const override { return "null"; }
  uint64_t read(uint64_t, unsigned) override {
    reads++;
    return 0;
  }
  void write(uint64_t, unsigned, uint64_t) override {}
  DeviceState save() const override { return {}; }
  void restore(const DeviceState&) override {}
  int reads = 0;
};

TEST_F(MmuWalk, AccessFaultsFromTheWalk) {
  // Root table outside RAM.
  set_satp(0, 0x1000000);
  EXPECT_EQ(tr(kVa, Access::Read).cause, cause::kLoadAccess);
  EXPECT_EQ(tr(kVa, Access::Write).cause, cause::kStoreAccess);
  EXPECT_EQ(tr(kVa, Access::Exec).cause, cause::kInsnAccess);
  // A pointer to a table in a device region: never read, an access fault.
  NullDevice device;
  bus_.map(0x10000000, 0x1000, device);
  set_satp(0, root_);
  map(kVa, kData, kR | kA);
  const uint64_t mid = pte_addr(kVa, 1);
  const uint64_t good = read64(mid);
  write64(mid, ((0x10000000ull >> 12) << 10) | pte::kV);
  mmu_.request_flush();
  EXPECT_EQ(tr(kVa, Access::Read).cause, cause::kLoadAccess);
  EXPECT_EQ(device.reads, 0);
  // Data in the device is fine: the leaf may point there (the bus does the access).
  write64(mid, good);
  map(kVa, 0x10000000, kR | kA);
  mmu_.request_flush();
  const Translation mmio = tr(kVa + 8, Access::Read);
  EXPECT_TRUE(mmio.ok);
  EXPECT_EQ(mmio.host, nullptr);
  EXPECT_FALSE(mmio.cacheable);
  // A leaf that maps outside RAM: the walk succeeds, the physical access does not.
  map(kVa, 0x40000000, kR | kA);
  mmu_.request_flush();
  EXPECT_EQ(tr(kVa, Access::Read).cause, cause::kLoadAccess);
}

TEST_F(MmuWalk, PmpGuardsThePageTables) {
  map(kVa, kData, kR | kA);
  // Entry 0 (highest priority): the table pool is readable only by M (no permission bits).
  csr_set(csrnum::kPmpaddr0, (kTablePool >> 2) | ((0x800000 >> 3) - 1));  // NAPOT 8 MiB
  csr_set(csrnum::kPmpaddr0 + 1, ~0ull);
  csr_set(csrnum::kPmpcfg0, (0x1full << 8) | 0x18);
  EXPECT_EQ(tr(kVa, Access::Read).cause, cause::kLoadAccess);
  EXPECT_EQ(tr(kVa, Access::Exec).cause, cause::kInsnAccess);
  // Readable but not writable: walks work, but setting A/D in a PTE faults.
  csr_set(csrnum::kPmpcfg0, (0x1full << 8) | 0x19);
  EXPECT_TRUE(tr(kVa, Access::Read).ok);
  map(kVa + kPageSize, kData, kR | kW | kA);  // D clear
  EXPECT_EQ(tr(kVa + kPageSize, Access::Write).cause, cause::kStoreAccess);
}

TEST_F(MmuWalk, BareAndMachineModeDoNotTranslate) {
  enter(Priv::M);
  EXPECT_EQ(tr(kData, Access::Read).pa, kData);
  enter(Priv::S);
  csr_set(csrnum::kSatp, 0);
  const Translation t = tr(kData + 8, Access::Write);
  EXPECT_TRUE(t.ok);
  EXPECT_EQ(t.pa, kData + 8);
}

// satp.PPN and PTE.PPN give 56-bit physical addresses; a leaf's PPN bits above that are
// reserved (bits 54+) and fault, as checked above.
TEST_F(MmuWalk, SuperpageComposesAddressFromBothSides) {
  // 2 MiB page at va 0x200000 -> pa kRamBase + 0x200000: offset bits 20:0 from va.
  map(0x200000, kRamBase + 0x200000, kR | kA, 1);
  EXPECT_EQ(tr(0x200000 + 0x1abcde, Access::Read).pa, kRamBase + 0x200000 + 0x1abcde);
  // 1 GiB page: offset bits 29:0 from va.
  map(0xc0000000, kRamBase, kR | kA, 2);
  EXPECT_EQ(tr(0xc0000000 + 0xabcdef, Access::Read).pa, kRamBase + 0xabcdef);
}

}  // namespace
}  // namespace strata::testing
