// The JIT's engine-independent pieces: host feature detection, the code cache (emission with
// xbyak, overflow, flush, host-pc lookup), the perf map file and the --jit-stats report.
#include <gtest/gtest.h>
#include <unistd.h>
#include <xbyak/xbyak.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "jit/code_cache.h"
#include "jit/host_features.h"
#include "jit/perf_map.h"
#include "jit/stats.h"

namespace strata::jit {
namespace {

namespace fs = std::filesystem;

using AddFn = int64_t (*)(int64_t, int64_t);

// mov rax, rdi; add rax, rsi; ret (System V: the arguments arrive in rdi and rsi).
bool emit_add(Xbyak::CodeGenerator& g) {
  g.mov(g.rax, g.rdi);
  g.add(g.rax, g.rsi);
  g.ret();
  return true;
}

// `bytes` bytes of nop ending in ret: a block of a known size.
EmitBody sized_block(size_t bytes) {
  return [bytes](Xbyak::CodeGenerator& g) {
    for (size_t i = 0; i + 1 < bytes; i++) g.nop();
    g.ret();
    return true;
  };
}

std::unique_ptr<CodeCache> make_cache(size_t capacity) {
  std::string error;
  auto cache = CodeCache::create(capacity, &error);
  EXPECT_TRUE(cache) << error;
  return cache;
}

TEST(JitHostFeatures, BaselineIsAllFalse) {
  const HostFeatures b = baseline();
  EXPECT_FALSE(b.sse41 || b.popcnt || b.lzcnt || b.bmi1 || b.bmi2 || b.avx || b.avx2 || b.fma3);
  EXPECT_EQ(describe(b), "baseline");
  EXPECT_EQ(limit(host_features(), b), b);
  EXPECT_EQ(limit(host_features(), host_features()), host_features());
}

TEST(JitHostFeatures, DetectsThisHost) {
  const HostFeatures& f = host_features();
  EXPECT_EQ(&f, &host_features()) << "detected once, then shared";
  // GCC's own cpuid reading is an independent witness.
  __builtin_cpu_init();
  EXPECT_EQ(f.sse41, bool(__builtin_cpu_supports("sse4.1")));
  EXPECT_EQ(f.popcnt, bool(__builtin_cpu_supports("popcnt")));
  EXPECT_EQ(f.avx2, bool(__builtin_cpu_supports("avx2")));
  EXPECT_EQ(f.bmi2, bool(__builtin_cpu_supports("bmi2")));
  if (!f.sse41 || !f.popcnt) GTEST_SKIP() << "host lacks SSE4.1 or POPCNT: " << describe(f);
  const std::string text = describe(f);
  EXPECT_NE(text.find("sse4.1"), std::string::npos) << text;
  EXPECT_NE(text.find("popcnt"), std::string::npos) << text;
  EXPECT_EQ(text.find("baseline"), std::string::npos) << text;
}

TEST(JitCodeCache, EmitsAndRunsAFunction) {
  auto cache = make_cache(CodeCache::kDefaultCapacity);
  ASSERT_TRUE(cache);
  EXPECT_EQ(cache->capacity(), CodeCache::kDefaultCapacity);
  EXPECT_EQ(cache->used(), 0u);
  const Emitted e = cache->emit(emit_add);
  ASSERT_TRUE(e) << e.error;
  EXPECT_EQ(e.code, cache->base());
  EXPECT_EQ(e.size, 7u);  // 48 89 f8, 48 01 f0, c3
  EXPECT_EQ(cache->used(), 7u);
  const auto add = reinterpret_cast<AddFn>(const_cast<uint8_t*>(e.code));
  EXPECT_EQ(add(40, 2), 42);
  EXPECT_EQ(add(-5, 3), -2);

  // The next unit starts on the next 16-byte boundary; the gap traps.
  const Emitted second = cache->emit(emit_add);
  ASSERT_TRUE(second) << second.error;
  EXPECT_EQ(second.code, cache->base() + 16);
  EXPECT_EQ(cache->base()[7], 0xCC);
  EXPECT_EQ(reinterpret_cast<AddFn>(const_cast<uint8_t*>(second.code))(1, 1), 2);
}

TEST(JitCodeCache, CapacityIsClamped) {
  auto small = make_cache(1);
  ASSERT_TRUE(small);
  EXPECT_EQ(small->capacity(), CodeCache::kMinCapacity);
  auto odd = make_cache(CodeCache::kMinCapacity + 1);
  ASSERT_TRUE(odd);
  EXPECT_EQ(odd->capacity() % 4096, 0u);
  EXPECT_GT(odd->capacity(), CodeCache::kMinCapacity);
}

TEST(JitCodeCache, OverflowIsReportedThenResetMakesRoom) {
  auto cache = make_cache(CodeCache::kMinCapacity);
  ASSERT_TRUE(cache);
  const size_t block = 4000;  // takes 4000 bytes, 4000 rounded to 16 = 4000 stride
  size_t emitted = 0;
  Emitted last;
  for (;;) {
    const size_t before = cache->used();
    EXPECT_NO_THROW(last = cache->emit(sized_block(block), emitted));
    if (!last) {
      EXPECT_EQ(cache->used(), before) << "a failed emit commits nothing";
      break;
    }
    emitted++;
    ASSERT_LT(emitted, 1000u) << "the cache never filled";
  }
  EXPECT_TRUE(last.cache_full) << last.error;
  EXPECT_FALSE(last.error.empty());
  EXPECT_EQ(emitted, CodeCache::kMinCapacity / block);
  EXPECT_TRUE(cache->full(block));
  EXPECT_FALSE(cache->full(CodeCache::kMinCapacity - emitted * block));
  EXPECT_EQ(cache->flushes(), 0u);
  EXPECT_TRUE(cache->find(reinterpret_cast<uintptr_t>(cache->base())));

  cache->reset();
  EXPECT_EQ(cache->flushes(), 1u);
  EXPECT_EQ(cache->used(), 0u);
  EXPECT_FALSE(cache->full(block));
  EXPECT_FALSE(cache->find(reinterpret_cast<uintptr_t>(cache->base()))) << "reset drops the side table";
  const Emitted again = cache->emit(emit_add);
  ASSERT_TRUE(again) << again.error;
  EXPECT_EQ(again.code, cache->base());
  EXPECT_EQ(reinterpret_cast<AddFn>(const_cast<uint8_t*>(again.code))(20, 22), 42);
}

TEST(JitCodeCache, UnitLargerThanTheCacheIsReportedFull) {
  auto cache = make_cache(CodeCache::kMinCapacity);
  ASSERT_TRUE(cache);
  Emitted e;
  EXPECT_NO_THROW(e = cache->emit(sized_block(CodeCache::kMinCapacity + 1)));
  EXPECT_FALSE(e);
  EXPECT_TRUE(e.cache_full);
  EXPECT_EQ(cache->used(), 0u);
}

TEST(JitCodeCache, OtherFailuresAreNotCacheFull) {
  auto cache = make_cache(CodeCache::kMinCapacity);
  ASSERT_TRUE(cache);
  // The body gives up.
  Emitted abandoned = cache->emit([](Xbyak::CodeGenerator& g) {
    g.nop();
    return false;
  });
  EXPECT_FALSE(abandoned);
  EXPECT_FALSE(abandoned.cache_full);
  // A memory operand without a size: xbyak throws, emit reports.
  Emitted bad;
  EXPECT_NO_THROW(bad = cache->emit([](Xbyak::CodeGenerator& g) {
    g.inc(g.ptr[g.rax]);
    return true;
  }));
  EXPECT_FALSE(bad);
  EXPECT_FALSE(bad.cache_full);
  EXPECT_NE(bad.error.find("xbyak"), std::string::npos) << bad.error;
  // A jump to a label that is never placed.
  Emitted dangling = cache->emit([](Xbyak::CodeGenerator& g) {
    Xbyak::Label nowhere;
    g.jmp(nowhere, Xbyak::CodeGenerator::T_NEAR);
    return true;
  });
  EXPECT_FALSE(dangling);
  EXPECT_FALSE(dangling.cache_full);
  EXPECT_EQ(cache->used(), 0u);
  EXPECT_TRUE(cache->emit(emit_add));
}

TEST(JitCodeCache, FindMapsHostAddressesToTags) {
  auto cache = make_cache(CodeCache::kMinCapacity);
  ASSERT_TRUE(cache);
  const Emitted a = cache->emit(sized_block(40), 0x80200000);
  const Emitted untagged = cache->emit(sized_block(8));
  const Emitted b = cache->emit(sized_block(100), 0x80200040);
  ASSERT_TRUE(a && untagged && b);
  const auto at = [&](const uint8_t* p) { return cache->find(reinterpret_cast<uintptr_t>(p)); };

  ASSERT_TRUE(at(a.code));
  EXPECT_EQ(at(a.code)->tag, 0x80200000u);
  EXPECT_EQ(at(a.code)->start, reinterpret_cast<uintptr_t>(a.code));
  EXPECT_EQ(at(a.code)->size, 40u);
  ASSERT_TRUE(at(a.code + 39));
  EXPECT_EQ(at(a.code + 39)->tag, 0x80200000u);
  EXPECT_FALSE(at(a.code + 40)) << "alignment padding belongs to no block";
  EXPECT_FALSE(at(untagged.code));
  ASSERT_TRUE(at(b.code + 50));
  EXPECT_EQ(at(b.code + 50)->tag, 0x80200040u);
  EXPECT_FALSE(at(b.code + 100));
  EXPECT_FALSE(at(cache->base() - 1));
  EXPECT_FALSE(cache->find(0));

  EXPECT_TRUE(cache->contains(reinterpret_cast<uintptr_t>(b.code)));
  EXPECT_TRUE(cache->contains(reinterpret_cast<uintptr_t>(cache->base() + cache->capacity() - 1)));
  EXPECT_FALSE(cache->contains(reinterpret_cast<uintptr_t>(cache->base() + cache->capacity())));
}

TEST(JitCodeCache, Rel32Reach) {
  auto cache = make_cache(CodeCache::kMinCapacity);
  ASSERT_TRUE(cache);
  const uint8_t* base = cache->base();
  EXPECT_TRUE(cache->reachable_rel32(base));
  EXPECT_TRUE(cache->reachable_rel32(base + cache->capacity()));
  const auto far = reinterpret_cast<uintptr_t>(base) + (uintptr_t(3) << 30);
  EXPECT_FALSE(cache->reachable_rel32(reinterpret_cast<const void*>(far)));
}

struct TempDir {
  std::string path;
  TempDir() {
    std::string pattern = ::testing::TempDir() + "strata-perfmap-XXXXXX";
    if (mkdtemp(pattern.data())) path = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    if (!path.empty()) fs::remove_all(path, ignored);
  }
};

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(JitPerfMap, WritesPerfLines) {
  TempDir dir;
  ASSERT_FALSE(dir.path.empty()) << std::strerror(errno);
  PerfMap map(dir.path);
  EXPECT_EQ(map.path(), dir.path + "/perf-" + std::to_string(getpid()) + ".map");
  EXPECT_FALSE(fs::exists(map.path())) << "opened on demand";
  map.add_block(reinterpret_cast<const void*>(0x7f3a5c000040), 0x9c, 0x80200000);
  EXPECT_EQ(slurp(map.path()), "7f3a5c000040 9c riscv:0x80200000\n") << "flushed per line";
  map.add(reinterpret_cast<const void*>(0x7f3a5c001000), 16, "dispatcher");
  EXPECT_TRUE(map.enabled());
  EXPECT_EQ(slurp(map.path()),
            "7f3a5c000040 9c riscv:0x80200000\n"
            "7f3a5c001000 10 dispatcher\n");
}

TEST(JitPerfMap, UnwritableDirectoryWarnsOnceAndDisables) {
  PerfMap map("/nonexistent-strata-dir");
  ::testing::internal::CaptureStderr();
  map.add_block(reinterpret_cast<const void*>(0x1000), 4, 0x80000000);
  map.add_block(reinterpret_cast<const void*>(0x2000), 4, 0x80000004);
  const std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_FALSE(map.enabled());
  EXPECT_NE(err.find("perf map"), std::string::npos) << err;
  EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
}

TEST(JitStats, ReportShowsRatesAndTopFallbacks) {
  Stats s;
  s.blocks_translated = 4;
  s.instructions_translated = 10;
  s.code_bytes = 250;
  s.chain_hits = 3;
  s.chain_misses = 1;
  for (int i = 0; i < 9; i++) s.fallback(Op::FsqrtD);
  for (int i = 0; i < 5; i++) s.fallback(Op::Div);
  // Eleven more ops with one fallback each: only the first eight (in Op order) make the top 10.
  const Op singles[] = {Op::Add, Op::Sub, Op::Sll, Op::Slt, Op::Sltu, Op::Xor,
                        Op::Srl, Op::Sra, Op::Or,  Op::And, Op::Mul};
  for (Op op : singles) s.fallback(op);
  s.exit(ExitKind::Budget);
  s.exit(ExitKind::Budget);
  s.exit(ExitKind::CodeInvalidated);

  const std::string text = report(s, 1024, 4096);
  EXPECT_NE(text.find("75.0% (3 of 4)"), std::string::npos) << text;
  EXPECT_NE(text.find("25.0%)"), std::string::npos) << "cache use\n" << text;
  EXPECT_NE(text.find("2.5 per block"), std::string::npos) << text;
  const size_t fsqrt = text.find("fsqrt.d");
  const size_t div = text.find(" div ");
  ASSERT_NE(fsqrt, std::string::npos) << text;
  ASSERT_NE(div, std::string::npos) << text;
  EXPECT_LT(fsqrt, div) << "sorted by count\n" << text;
  EXPECT_NE(text.find("interpreted runs: 25, by first instruction (top 10)"), std::string::npos) << text;
  EXPECT_NE(text.find(" sra "), std::string::npos) << text;
  EXPECT_EQ(text.find(" or "), std::string::npos) << "11th and later are cut\n" << text;
  EXPECT_EQ(text.find(" and "), std::string::npos) << text;
  EXPECT_EQ(text.find(" mul "), std::string::npos) << text;
  EXPECT_NE(text.find("code-invalidated"), std::string::npos) << text;

  // No lookups at all is no rate, not 0% or a division by zero.
  EXPECT_NE(report(Stats{}, 0, 0).find("indirect hit rate        -"), std::string::npos)
      << report(Stats{}, 0, 0);
}

TEST(JitStats, MergeSums) {
  Stats a, b;
  a.blocks_translated = 1;
  a.indirect_hits = 2;
  a.fallback(Op::Ecall);
  b.blocks_translated = 10;
  b.indirect_misses = 7;
  b.cache_flushes = 3;
  b.fallback(Op::Ecall);
  b.exit(ExitKind::Trap);
  a.merge(b);
  EXPECT_EQ(a.blocks_translated, 11u);
  EXPECT_EQ(a.indirect_hits, 2u);
  EXPECT_EQ(a.indirect_misses, 7u);
  EXPECT_EQ(a.cache_flushes, 3u);
  EXPECT_EQ(a.fallbacks[size_t(Op::Ecall)], 2u);
  EXPECT_EQ(a.exits[size_t(ExitKind::Trap)], 1u);
  EXPECT_EQ(exit_kind_name(ExitKind::Leave), "leave-to-dispatcher");
  // Op::Illegal has no table row; it must not borrow another instruction's name.
  a.fallback(Op::Illegal);
  EXPECT_NE(report(a, 0, 0).find("  illegal "), std::string::npos) << report(a, 0, 0);
}

}  // namespace
}  // namespace strata::jit
