// The A extension under real concurrency: several harts on host threads share one RAM and
// hammer the same words with AMOs, LR/SC loops and an amoswap spinlock around a plain
// load/add/store. Any lost update shows up as a wrong final count.
#include <gtest/gtest.h>

#include <atomic>
#include <cstring>
#include <memory>
#include <thread>
#include <vector>

#include "cpu/engine_kind.h"
#include "cpu/hart.h"
#include "cpu/mmu/system_mmu.h"
#include "hart_fixture.h"

namespace strata::testing {
namespace {

constexpr uint64_t kRamBase = 0x80000000;
constexpr uint64_t kData = kRamBase + 0x10000;  // counters, one per cache line
constexpr uint64_t kAmoCounter = kData;
constexpr uint64_t kLrScCounter = kData + 64;
constexpr uint64_t kLock = kData + 128;
constexpr uint64_t kLockedCounter = kData + 192;
constexpr uint64_t kWordCounter = kData + 256;
constexpr int kIterations = 100000;
constexpr int kHarts = 4;

// a0 = data base, a1 = iterations left; x5..x7 scratch. Ends in a `j .` at the returned pc.
uint64_t write_program(GuestRam& ram) {
  std::vector<uint32_t> p;
  auto at = [&] { return int64_t(p.size() * 4); };
  const unsigned a0 = 10, a1 = 11, t0 = 5, t1 = 6, t2 = 7, one = 12;
  p.push_back(enc_i(Op::Addi, one, 0, 1));
  const int64_t loop = at();
  // amoadd.d on the first counter.
  p.push_back(enc(Op::AmoaddD, 0, a0, one));
  // lr.d/sc.d increment of the second counter.
  p.push_back(enc_i(Op::Addi, t2, a0, 64));
  const int64_t retry = at();
  p.push_back(enc(Op::LrD, t0, t2, 0));
  p.push_back(enc_i(Op::Addi, t0, t0, 1));
  p.push_back(enc(Op::ScD, t1, t2, t0));
  p.push_back(enc(Op::Bne, 0, t1, 0, retry - at()));
  // Spinlock (amoswap.w with aq) around a non-atomic increment, released with amoswap rl.
  p.push_back(enc_i(Op::Addi, t2, a0, 128));
  const int64_t spin = at();
  p.push_back(encode(Op::AmoswapW, Operands{.rd = t0, .rs1 = t2, .rs2 = one, .rm = 2}));
  p.push_back(enc(Op::Bne, 0, t0, 0, spin - at()));
  p.push_back(enc_i(Op::Ld, t1, a0, 192));
  p.push_back(enc_i(Op::Addi, t1, t1, 1));
  p.push_back(enc(Op::Sd, 0, a0, t1, 192));
  p.push_back(encode(Op::AmoswapW, Operands{.rd = 0, .rs1 = t2, .rs2 = 0, .rm = 1}));
  // 32-bit amoadd.w on a word whose neighbour the other harts do not touch.
  p.push_back(enc_i(Op::Addi, t2, a0, 256));
  p.push_back(enc(Op::AmoaddW, 0, t2, one));
  p.push_back(enc_i(Op::Addi, a1, a1, -1));
  p.push_back(enc(Op::Bne, 0, a1, 0, loop - at()));
  const uint64_t end = kRamBase + uint64_t(at());
  p.push_back(enc_i(Op::Jal, 0, 0, 0));
  std::memcpy(ram.host(kRamBase), p.data(), p.size() * 4);
  return end;
}

// Under both engines; the JIT's run repeated, since races show only sometimes.
class AtomicMultiHart : public ::testing::TestWithParam<EngineKind> {};

TEST_P(AtomicMultiHart, NoLostUpdatesAcrossHostThreads) {
  for (int repeat = 0; repeat < (GetParam() == EngineKind::Jit ? 3 : 1); repeat++) {
    GuestRam ram(kRamBase, 1 << 20);
    Bus bus;
    bus.add_ram(ram);
    const uint64_t end = write_program(ram);
    const uint64_t guard = 0x5a5a5a5a;
    std::memcpy(ram.host(kWordCounter + 4), &guard, 4);

    FixedClock clock;
    std::vector<std::unique_ptr<SystemMmu>> mmus;
    std::vector<std::unique_ptr<Hart>> harts;
    for (int i = 0; i < kHarts; i++) {
      mmus.push_back(std::make_unique<SystemMmu>(bus));
      HartConfig config;
      config.hart_id = uint64_t(i);
      config.reset_pc = kRamBase;
      config.engine.kind = GetParam();
      harts.push_back(std::make_unique<Hart>(config, &bus, mmus.back().get(), &clock));
      harts.back()->x[10] = kData;
      harts.back()->x[11] = kIterations;
    }
    // All threads start together so the harts really overlap.
    std::atomic<int> ready{0};
    std::vector<std::thread> threads;
    for (auto& h : harts)
      threads.emplace_back([&h, &ready, end] {
        ready++;
        while (ready.load() < kHarts) std::this_thread::yield();
        // Small slices so the harts interleave at many points.
        for (int slice = 0; slice < 200000 && h->pc != end; slice++) h->run(97);
      });
    for (auto& t : threads) t.join();

    for (auto& h : harts) ASSERT_EQ(h->pc, end) << "hart " << h->config.hart_id << " did not finish";
    uint64_t v;
    const uint64_t want = uint64_t(kHarts) * kIterations;
    std::memcpy(&v, ram.host(kAmoCounter), 8);
    EXPECT_EQ(v, want) << "amoadd.d";
    std::memcpy(&v, ram.host(kLrScCounter), 8);
    EXPECT_EQ(v, want) << "lr.d/sc.d";
    std::memcpy(&v, ram.host(kLockedCounter), 8);
    EXPECT_EQ(v, want) << "amoswap.w spinlock around ld/sd";
    std::memcpy(&v, ram.host(kLock), 8);
    EXPECT_EQ(v, 0u) << "lock released";
    std::memcpy(&v, ram.host(kWordCounter), 8);
    EXPECT_EQ(uint32_t(v), want) << "amoadd.w";
    EXPECT_EQ(uint32_t(v >> 32), guard) << "amoadd.w touched the neighbouring word";
  }
}

INSTANTIATE_TEST_SUITE_P(Engines, AtomicMultiHart, ::testing::Values(EngineKind::Interp, EngineKind::Jit),
                         [](const auto& info) { return std::string(engine_name(info.param)); });

}  // namespace
}  // namespace strata::testing
