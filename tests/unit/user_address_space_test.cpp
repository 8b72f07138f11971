// The user-mode address space: placement, protections, the permission table behind
// translate(), mremap, brk and /proc/self/maps text.
#include <gtest/gtest.h>
#include <sys/mman.h>

#include <cstring>

#include "cpu/hart.h"
#include "user/address_space.h"

namespace strata::user {
namespace {

constexpr uint64_t kPage = AddressSpace::kPage;
constexpr int kPrivAnon = MAP_PRIVATE | MAP_ANONYMOUS;

class NoClock : public Clock {
 public:
  uint64_t now() const override { return 0; }
};

Translation probe(AddressSpace& as, uint64_t va, Access a) {
  static NoClock clock;
  HartConfig config;
  config.user_abi = true;
  Hart hart(config, nullptr, &as, &clock);
  return as.translate(hart, va, a);
}

TEST(UserAddressSpace, AnonymousMapIsZeroedWritableAndTranslates) {
  AddressSpace as;
  const int64_t at = as.map(0, 3 * kPage, kProtRead | kProtWrite, kPrivAnon, -1, 0);
  ASSERT_GT(at, 0);
  EXPECT_EQ(uint64_t(at) % kPage, 0u);
  EXPECT_LT(uint64_t(at), as.mmap_top());
  uint64_t v = 1;
  ASSERT_TRUE(as.read(uint64_t(at) + 8, &v, 8));
  EXPECT_EQ(v, 0u);
  v = 0x1122334455667788;
  ASSERT_TRUE(as.write(uint64_t(at) + 2 * kPage, &v, 8));
  const Translation t = probe(as, uint64_t(at) + 2 * kPage, Access::Write);
  ASSERT_TRUE(t.ok);
  EXPECT_TRUE(t.cacheable);
  EXPECT_EQ(t.host, as.base() + at + 2 * kPage);
  uint64_t back;
  std::memcpy(&back, t.host, 8);
  EXPECT_EQ(back, v);
  EXPECT_FALSE(probe(as, uint64_t(at), Access::Exec).ok);
  EXPECT_EQ(probe(as, uint64_t(at), Access::Exec).cause, 12u);
}

TEST(UserAddressSpace, FaultCausesFollowTheAccess) {
  AddressSpace as;
  const uint64_t at = uint64_t(as.map(0x100000, kPage, kProtRead, kPrivAnon | MAP_FIXED, -1, 0));
  EXPECT_EQ(at, 0x100000u);
  EXPECT_TRUE(probe(as, at, Access::Read).ok);
  EXPECT_EQ(probe(as, at, Access::Write).cause, 15u);
  EXPECT_EQ(probe(as, at + kPage, Access::Read).cause, 13u);
  EXPECT_EQ(probe(as, AddressSpace::kSize + 5, Access::Read).cause, 13u);
  uint8_t b = 0;
  EXPECT_FALSE(as.write(at, &b, 1));
  EXPECT_FALSE(as.read(at + kPage - 1, &b, 2));  // second byte unmapped
}

TEST(UserAddressSpace, MunmapSplitsAndFreesTheMiddle) {
  AddressSpace as;
  const uint64_t at = uint64_t(as.map(0, 4 * kPage, kProtRead | kProtWrite, kPrivAnon, -1, 0));
  ASSERT_EQ(as.unmap(at + kPage, kPage), 0);
  EXPECT_TRUE(as.accessible(at, kPage, kProtWrite));
  EXPECT_FALSE(as.accessible(at + kPage, 1, kProtRead));
  EXPECT_TRUE(as.accessible(at + 2 * kPage, 2 * kPage, kProtWrite));
  EXPECT_EQ(as.unmap(at + 1, kPage), -EINVAL);
  EXPECT_EQ(as.unmap(at, 0), -EINVAL);
  // A later MAP_FIXED into the hole sees zeroes, not old contents.
  uint32_t x = 0xdeadbeef;
  ASSERT_TRUE(as.write(at + 2 * kPage, &x, 4));
  ASSERT_EQ(as.unmap(at + 2 * kPage, kPage), 0);
  ASSERT_EQ(as.map(at + 2 * kPage, kPage, kProtRead, kPrivAnon | MAP_FIXED, -1, 0), int64_t(at + 2 * kPage));
  ASSERT_TRUE(as.read(at + 2 * kPage, &x, 4));
  EXPECT_EQ(x, 0u);
}

TEST(UserAddressSpace, FixedNoReplaceRefusesOverlap) {
  AddressSpace as;
  const uint64_t at = uint64_t(as.map(0, 2 * kPage, kProtRead, kPrivAnon, -1, 0));
  EXPECT_EQ(as.map(at + kPage, kPage, kProtRead, kPrivAnon | 0x100000, -1, 0), -EEXIST);
  EXPECT_EQ(as.map(at + 1, kPage, kProtRead, kPrivAnon | MAP_FIXED, -1, 0), -EINVAL);
  EXPECT_EQ(as.map(0, 0, kProtRead, kPrivAnon, -1, 0), -EINVAL);
  EXPECT_EQ(as.map(0, kPage, kProtRead, MAP_ANONYMOUS, -1, 0), -EINVAL);  // neither shared nor private
  EXPECT_EQ(as.map(0, kPage, kProtRead, kPrivAnon | MAP_FIXED, -1, 0), -EPERM);  // below mmap_min_addr
  EXPECT_EQ(as.map(AddressSpace::kSize - kPage, 2 * kPage, kProtRead, kPrivAnon | MAP_FIXED, -1, 0), -ENOMEM);
}

TEST(UserAddressSpace, HintIsHonouredWhenFree) {
  AddressSpace as;
  EXPECT_EQ(as.map(0x200000000, kPage, kProtRead, kPrivAnon, -1, 0), 0x200000000);
  // Taken: placed elsewhere.
  const int64_t again = as.map(0x200000000, kPage, kProtRead, kPrivAnon, -1, 0);
  EXPECT_GT(again, 0);
  EXPECT_NE(again, 0x200000000);
}

TEST(UserAddressSpace, MprotectChangesTranslationAndRequiresMapping) {
  AddressSpace as;
  const uint64_t at = uint64_t(as.map(0, 2 * kPage, kProtRead | kProtWrite, kPrivAnon, -1, 0));
  ASSERT_EQ(as.protect(at, kPage, kProtRead | kProtExec), 0);
  EXPECT_TRUE(probe(as, at, Access::Exec).ok);
  EXPECT_FALSE(probe(as, at, Access::Write).ok);
  EXPECT_TRUE(probe(as, at + kPage, Access::Write).ok);
  EXPECT_EQ(as.protect(at, 3 * kPage, kProtRead), -ENOMEM);  // third page unmapped
  EXPECT_EQ(as.protect(at + 1, kPage, kProtRead), -EINVAL);
  const std::string maps = as.maps_text();
  EXPECT_NE(maps.find("r-xp"), std::string::npos) << maps;
  EXPECT_NE(maps.find("rw-p"), std::string::npos) << maps;
}

TEST(UserAddressSpace, MremapGrowsInPlaceOrMovesKeepingContents) {
  AddressSpace as;
  const uint64_t at =
      uint64_t(as.map(0x300000000, kPage, kProtRead | kProtWrite, kPrivAnon | MAP_FIXED, -1, 0));
  uint64_t v = 42;
  ASSERT_TRUE(as.write(at, &v, 8));
  EXPECT_EQ(as.remap(at, kPage, 3 * kPage, 0, 0), int64_t(at));  // room after it: in place
  EXPECT_TRUE(as.accessible(at, 3 * kPage, kProtWrite));
  // Block growth in place, then move.
  ASSERT_EQ(as.map(at + 3 * kPage, kPage, kProtRead, kPrivAnon | MAP_FIXED, -1, 0), int64_t(at + 3 * kPage));
  EXPECT_EQ(as.remap(at, 3 * kPage, 6 * kPage, 0, 0), -ENOMEM);
  const int64_t moved = as.remap(at, 3 * kPage, 6 * kPage, 1 /*MAYMOVE*/, 0);
  ASSERT_GT(moved, 0);
  EXPECT_NE(moved, int64_t(at));
  uint64_t back = 0;
  ASSERT_TRUE(as.read(uint64_t(moved), &back, 8));
  EXPECT_EQ(back, 42u);
  EXPECT_FALSE(as.accessible(at, 1, kProtRead));
  EXPECT_TRUE(as.accessible(uint64_t(moved), 6 * kPage, kProtWrite));
  // Shrink.
  EXPECT_EQ(as.remap(uint64_t(moved), 6 * kPage, kPage, 0, 0), moved);
  EXPECT_FALSE(as.accessible(uint64_t(moved) + kPage, 1, kProtRead));
}

TEST(UserAddressSpace, MremapOfSharedMemoryMovesTheHostMapping) {
  AddressSpace as;
  const int64_t at = as.map(0, 2 * kPage, kProtRead | kProtWrite, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  ASSERT_GT(at, 0);
  uint64_t v = 77;
  ASSERT_TRUE(as.write(uint64_t(at) + kPage, &v, 8));
  const int64_t moved = as.remap(uint64_t(at), 2 * kPage, 4 * kPage, 3 /*MAYMOVE|FIXED*/, 0x400000000);
  ASSERT_EQ(moved, 0x400000000);
  uint64_t back = 0;
  ASSERT_TRUE(as.read(uint64_t(moved) + kPage, &back, 8));
  EXPECT_EQ(back, 77u);
  EXPECT_FALSE(as.accessible(uint64_t(at), 1, kProtRead));
  EXPECT_NE(as.maps_text().find("rw-s"), std::string::npos);
  // The old range is reserved again: a fixed mapping there works and reads zero.
  ASSERT_EQ(as.map(uint64_t(at), kPage, kProtRead, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0), at);
  ASSERT_TRUE(as.read(uint64_t(at), &back, 8));
  EXPECT_EQ(back, 0u);
}

TEST(UserAddressSpace, BrkGrowsAndShrinks) {
  AddressSpace as;
  as.set_brk_start(0x500123);
  EXPECT_EQ(as.brk(0), 0x501000u);
  EXPECT_EQ(as.brk(0x503010), 0x503010u);
  EXPECT_TRUE(as.accessible(0x501000, 0x3000, kProtWrite));
  EXPECT_FALSE(as.accessible(0x504000, 1, kProtRead));
  EXPECT_EQ(as.brk(0x502000), 0x502000u);
  EXPECT_FALSE(as.accessible(0x502000, 1, kProtRead));
  EXPECT_EQ(as.brk(0x100), 0x502000u);  // below the start: unchanged
  EXPECT_NE(as.maps_text().find("[heap]"), std::string::npos);
}

TEST(UserAddressSpace, ReadStringStopsAtFaultsAndLimits) {
  AddressSpace as;
  const uint64_t at = uint64_t(as.map(0, kPage, kProtRead | kProtWrite, kPrivAnon, -1, 0));
  const char text[] = "hello";
  as.write(at, text, sizeof text);
  std::string s;
  ASSERT_TRUE(as.read_string(at, s));
  EXPECT_EQ(s, "hello");
  EXPECT_FALSE(as.read_string(at, s, 3));
  // No terminator before the end of the mapping.
  std::string filler(kPage - 10, 'x');
  as.write(at + 10, filler.data(), filler.size());
  EXPECT_FALSE(as.read_string(at + 10, s));
  EXPECT_FALSE(as.read_string(0, s));
}

TEST(UserAddressSpace, HostRangeChecksTheRegion) {
  AddressSpace as;
  bool ok;
  EXPECT_EQ(as.host_range(0, 10, ok), nullptr);
  EXPECT_TRUE(ok);
  EXPECT_EQ(as.host_range(0x1000, 10, ok), as.base() + 0x1000);
  EXPECT_TRUE(ok);
  as.host_range(AddressSpace::kSize - 4, 8, ok);
  EXPECT_FALSE(ok);
  as.host_range(~0ull - 2, 8, ok);
  EXPECT_FALSE(ok);
}

TEST(UserAddressSpace, MapsTextNamesFilesAndMergesBrkSteps) {
  AddressSpace as;
  as.set_brk_start(0x600000);
  as.brk(0x601000);
  as.brk(0x603000);
  const std::string maps = as.maps_text();
  EXPECT_NE(maps.find("00600000-00603000 rw-p 00000000 00:00 0"), std::string::npos) << maps;
}

}  // namespace
}  // namespace strata::user
