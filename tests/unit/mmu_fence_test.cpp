// The ASID-tagged translation cache and sfence.vma. What is still cached shows by changing
// PTEs in memory without a fence: a translation that still gives the old address came from
// the cache, one that gives the new address was walked again.
#include "mmu_fixture.h"

namespace strata::testing {
namespace {

constexpr uint64_t kOld = HartFixture::kRamBase + 0x100000;  // data pages before the change
constexpr uint64_t kNew = HartFixture::kRamBase + 0x200000;  // and after
constexpr uint64_t kVa1 = 0x10000000, kVa2 = 0x20000000, kVaGlobal = 0x30000000;
constexpr uint16_t kAsidA = 1, kAsidB = 2;

class MmuFence : public MmuFixture {
 protected:
  void SetUp() override {
    mode_ = satp::kSv39;
    root_a_ = alloc_table();
    root_b_ = alloc_table();
    // Each (space, va) maps to its own page so old and new are told apart.
    for (int space = 0; space < 2; space++) {
      const uint64_t root = space ? root_b_ : root_a_;
      map(kVa1, page(kOld, space, 0), kR | kA, 0, root);
      map(kVa2, page(kOld, space, 1), kR | kA, 0, root);
      map(kVaGlobal, page(kOld, 0, 2), kR | kA | kG, 0, root);  // global: the same everywhere
    }
  }

  static uint64_t page(uint64_t base, int space, int n) { return base + (space * 4 + n) * kPageSize; }
  void switch_to(int space) { set_satp(space ? kAsidB : kAsidA, space ? root_b_ : root_a_); }
  uint64_t pa(int space, uint64_t va) {
    switch_to(space);
    const Priv saved = hart().priv;
    enter(Priv::S);
    const Translation t = tr(va, Access::Read);
    enter(saved);
    EXPECT_TRUE(t.ok);
    return t.pa;
  }
  // Fills the cache with every mapping, then moves every mapping in memory to its new page.
  void cache_then_remap() {
    for (int space = 0; space < 2; space++)
      for (uint64_t va : {kVa1, kVa2, kVaGlobal}) pa(space, va);
    for (int space = 0; space < 2; space++) {
      const uint64_t root = space ? root_b_ : root_a_;
      map(kVa1, page(kNew, space, 0), kR | kA, 0, root);
      map(kVa2, page(kNew, space, 1), kR | kA, 0, root);
      map(kVaGlobal, page(kNew, 0, 2), kR | kA | kG, 0, root);
    }
  }
  // sfence.vma executed by the hart in M-mode; rs1/rs2 are x10/x11 when given.
  void sfence(bool with_va, uint64_t va, bool with_asid, uint16_t asid) {
    enter(Priv::M);
    x(10) = va;
    x(11) = asid;
    hart().pc = kRamBase;
    load({encode(Op::SfenceVma, {.rs1 = with_va ? 10u : 0u, .rs2 = with_asid ? 11u : 0u})});
    step(1);
    ASSERT_EQ(hart().pc, kRamBase + 4);
  }
  bool is_new(int space, uint64_t va, int n) {
    const uint64_t got = pa(space, va);
    const int owner = va == kVaGlobal ? 0 : space;
    if (got == page(kNew, owner, n)) return true;
    EXPECT_EQ(got, page(kOld, owner, n));
    return false;
  }
  // The state of all six translations, A then B, each va1 va2 global: 1 = walked again.
  std::string state() {
    std::string s;
    for (int space = 0; space < 2; space++) {
      s += is_new(space, kVa1, 0) ? '1' : '0';
      s += is_new(space, kVa2, 1) ? '1' : '0';
      s += is_new(space, kVaGlobal, 2) ? '1' : '0';
      if (!space) s += ' ';
    }
    return s;
  }

  uint64_t root_a_ = 0, root_b_ = 0;
};

TEST_F(MmuFence, SwitchingAsidsKeepsTheirEntries) {
  cache_then_remap();
  EXPECT_EQ(state(), "000 000");
  EXPECT_GE(mmu_.cache().size(), 5u);
}

TEST_F(MmuFence, NoOperandsFlushesEverything) {
  cache_then_remap();
  sfence(false, 0, false, 0);
  EXPECT_EQ(state(), "111 111");
}

TEST_F(MmuFence, AddressOnlyFlushesThatAddressInEveryAsid) {
  cache_then_remap();
  sfence(true, kVa1 + 0x123, false, 0);
  EXPECT_EQ(state(), "100 100");
}

TEST_F(MmuFence, AddressOnlyFlushesGlobalMappingsToo) {
  cache_then_remap();
  sfence(true, kVaGlobal, false, 0);
  EXPECT_EQ(state(), "001 001");
}

TEST_F(MmuFence, AsidOnlyFlushesThatAsidsNonGlobalEntries) {
  cache_then_remap();
  sfence(false, 0, true, kAsidA);
  EXPECT_EQ(state(), "110 000");
}

TEST_F(MmuFence, AddressAndAsidFlushOneNonGlobalEntry) {
  cache_then_remap();
  sfence(true, kVa2, true, kAsidB);
  EXPECT_EQ(state(), "000 010");
  sfence(true, kVaGlobal, true, kAsidA);
  EXPECT_EQ(state(), "000 010");
}

TEST_F(MmuFence, AsidBitsAboveSixteenAreIgnored) {
  cache_then_remap();
  enter(Priv::M);
  x(11) = (1ull << 16) | kAsidB;
  hart().pc = kRamBase;
  load({encode(Op::SfenceVma, {.rs1 = 0, .rs2 = 11})});
  step(1);
  EXPECT_EQ(state(), "000 110");
}

// A superpage's fence can name any address inside it.
TEST_F(MmuFence, SuperpageFencedThroughAnyAddressInIt) {
  switch_to(0);
  map(0x40000000, kRamBase + 0x200000, kR | kA, 1, root_a_);
  EXPECT_EQ(pa(0, 0x40001000), kRamBase + 0x201000);
  map(0x40000000, kRamBase + 0x400000, kR | kA, 1, root_a_);
  EXPECT_EQ(pa(0, 0x40001000), kRamBase + 0x201000);
  sfence(true, 0x401ff000, false, 0);
  EXPECT_EQ(pa(0, 0x40001000), kRamBase + 0x401000);
}

TEST_F(MmuFence, RemoteFlushRequestForgetsEverything) {
  cache_then_remap();
  mmu_.request_flush();
  EXPECT_EQ(state(), "111 111");
}

// More pages than the cache holds: evictions never return a wrong translation.
TEST_F(MmuFence, EvictionKeepsTranslationsRight) {
  switch_to(0);
  constexpr unsigned kPages = 3000;
  for (unsigned p = 0; p < kPages; p++)
    map(0x50000000 + p * kPageSize, kRamBase + (p % 2048) * kPageSize, kR | kA, 0, root_a_);
  enter(Priv::S);
  for (int round = 0; round < 2; round++)
    for (unsigned p = 0; p < kPages; p += 7) {
      const Translation t = tr(0x50000000 + p * kPageSize + 8, Access::Read);
      ASSERT_TRUE(t.ok);
      ASSERT_EQ(t.pa, kRamBase + (p % 2048) * kPageSize + 8) << p;
    }
  EXPECT_LE(mmu_.cache().size(), TranslationCache::kSets * TranslationCache::kWays);
}

// --- The soft TLB in front of it, through instructions ------------------------------------

class SoftTlbFence : public MmuFixture {
 protected:
  void SetUp() override {
    use_mode(satp::kSv39, kAsidA);
    map(kRamBase, kRamBase, kR | kX | kA);  // the program, identity-mapped, S-mode
    write64(kOld + 0x1000, 0x01d);
    write64(kNew + 0x1000, 0x2e0);
  }
};

TEST_F(SoftTlbFence, PageChangeSeenOnlyAfterTheFence) {
  map(kVa1, kOld, kR | kA);
  x(5) = kVa1 + 0x1000;
  map(kVa1 + 0x1000, kOld + 0x1000, kR | kA);
  x(6) = kVa1 + 0x1000;
  load({enc_i(Op::Ld, 1, 5, 0), enc_i(Op::Ld, 2, 5, 0), encode(Op::SfenceVma, {.rs1 = 6}),
        enc_i(Op::Ld, 3, 5, 0)});
  enter(Priv::S);
  step(1);
  map(kVa1 + 0x1000, kNew + 0x1000, kR | kA);
  step(3);
  EXPECT_EQ(x(1), 0x01du);
  EXPECT_EQ(x(2), 0x01du);  // the soft TLB still maps the old page
  EXPECT_EQ(x(3), 0x2e0u);
}

TEST_F(SoftTlbFence, SuperpageChangeSeenAfterAFenceOfAnotherPageInIt) {
  const uint64_t va = 0x40000000;
  map(va, kOld + 0x100000, kR | kA, 1);  // 2 MiB at kRamBase + 0x200000
  ASSERT_EQ((kOld + 0x100000) % 0x200000, 0u);
  x(5) = va + 0x1000;
  x(6) = va + 0x1ff000;  // another 4 KiB page of the same superpage
  load({enc_i(Op::Ld, 1, 5, 0), enc_i(Op::Ld, 2, 5, 0), encode(Op::SfenceVma, {.rs1 = 6}),
        enc_i(Op::Ld, 3, 5, 0)});
  write64(kOld + 0x100000 + 0x1000, 0x3a);
  write64(kNew + 0x200000 + 0x1000, 0x4b);
  enter(Priv::S);
  step(1);
  map(va, kNew + 0x200000, kR | kA, 1);  // kRamBase + 0x400000
  step(3);
  EXPECT_EQ(x(1), 0x3au);
  EXPECT_EQ(x(2), 0x3au);
  EXPECT_EQ(x(3), 0x4bu);
}

// csrw satp between two loads of the same address: the second uses the new address space at
// once, even though the soft TLB is not tagged by ASID. Coming back to the first space finds
// its translation in the cache (the PTE changed meanwhile, without a fence).
TEST_F(SoftTlbFence, SatpWriteSwitchesTheSoftTlb) {
  const uint64_t root_b = alloc_table();
  map(kRamBase, kRamBase, kR | kX | kA, 0, root_b);
  map(kVa1, kOld + 0x1000, kR | kA);
  map(kVa1, kNew + 0x1000, kR | kA, 0, root_b);
  const uint64_t satp_a = csr_get(csrnum::kSatp);
  const uint64_t satp_b = (satp::kSv39 << 60) | (uint64_t(kAsidB) << 44) | (root_b >> 12);
  x(5) = kVa1;
  x(6) = satp_b;
  x(7) = satp_a;
  load({enc_i(Op::Ld, 1, 5, 0), enc(Op::Csrrw, 0, 6, 0, csrnum::kSatp), enc_i(Op::Ld, 2, 5, 0),
        enc(Op::Csrrw, 0, 7, 0, csrnum::kSatp), enc_i(Op::Ld, 3, 5, 0)});
  enter(Priv::S);
  step(3);
  map(kVa1, kNew + 0x1000, kR | kA);  // space A changes without a fence
  step(2);
  EXPECT_EQ(x(1), 0x01du);
  EXPECT_EQ(x(2), 0x2e0u);
  EXPECT_EQ(x(3), 0x01du);
}

TEST_F(SoftTlbFence, PrivilegeRulesOfSfenceAndSatp) {
  const uint64_t user_code = kRamBase + 0x1000;
  map(user_code, user_code, kR | kX | kA | kU);
  load({encode(Op::SfenceVma, {}), enc(Op::Csrrs, 1, 0, 0, csrnum::kSatp)}, user_code);
  load({encode(Op::SfenceVma, {}), enc(Op::Csrrs, 1, 0, 0, csrnum::kSatp)});
  for (uint64_t pc : {user_code, user_code + 4}) {  // U-mode: both illegal
    hart().pc = pc;
    enter(Priv::U);
    step(1);
    EXPECT_EQ(hart().csr.mcause, cause::kIllegalInsn);
    EXPECT_EQ(hart().csr.mepc, pc);
  }

  set_status(mstatus::kTVM, true);  // S-mode with TVM: both illegal
  for (uint64_t pc : {kRamBase, kRamBase + 4}) {
    hart().csr.mcause = 0;
    hart().pc = pc;
    enter(Priv::S);
    step(1);
    EXPECT_EQ(hart().csr.mcause, cause::kIllegalInsn);
    EXPECT_EQ(hart().csr.mepc, pc);
    EXPECT_EQ(hart().priv, Priv::M);
  }
  EXPECT_EQ(hart().csr.mtval, enc(Op::Csrrs, 1, 0, 0, csrnum::kSatp));

  set_status(mstatus::kTVM, false);  // S-mode without: both fine
  hart().csr.mcause = 0;
  hart().pc = kRamBase;
  enter(Priv::S);
  step(2);
  EXPECT_EQ(hart().csr.mcause, 0u);
  EXPECT_EQ(x(1), csr_get(csrnum::kSatp));
  EXPECT_NE(x(1), 0u);
  EXPECT_EQ(hart().pc, kRamBase + 8);
  EXPECT_EQ(hart().priv, Priv::S);
}

}  // namespace
}  // namespace strata::testing
