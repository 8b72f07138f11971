// CodeImage, the page re-sync both engines share: when a page must be checked, and exactly
// which bytes changed.
#include "cpu/code_image.h"

#include <gtest/gtest.h>

#include <array>
#include <cstring>

namespace strata {
void PrintTo(const ByteRange& r, std::ostream* os) { *os << "[" << r.begin << ", " << r.end << ")"; }
}  // namespace strata

namespace strata::testing {
namespace {

class CodeImageTest : public ::testing::Test {
 protected:
  CodeImageTest() {
    for (size_t i = 0; i < memory_.size(); i++) memory_[i] = uint8_t(i * 7);
    image_.take(memory_.data(), &writes_, 0);
  }
  std::vector<ByteRange> sync(uint64_t fences = 0) {
    std::vector<ByteRange> changed;
    image_.sync(fences, changed);
    return changed;
  }
  alignas(4096) std::array<uint8_t, 4096> memory_;
  std::atomic<uint64_t> writes_{5};
  CodeImage image_;
};

TEST_F(CodeImageTest, StaleAfterACountedWriteOrAFence) {
  EXPECT_FALSE(image_.stale(0));
  memory_[10] ^= 1;  // not counted: only a fence.i makes the page stale
  EXPECT_FALSE(image_.stale(0));
  EXPECT_TRUE(image_.stale(1));
  sync(1);
  EXPECT_FALSE(image_.stale(1));
  writes_++;
  EXPECT_TRUE(image_.stale(1));
  sync(1);
  EXPECT_FALSE(image_.stale(1));
}

TEST_F(CodeImageTest, ReportsExactlyTheChangedBytes) {
  EXPECT_TRUE(sync().empty());
  // Changes in neighbouring 8-byte words merge into one range; an unchanged word between
  // two changes separates them.
  memory_[0] ^= 0xff;     // the first byte
  memory_[21] ^= 1;       // two bytes within a word
  memory_[22] ^= 1;       //
  memory_[38] ^= 1;       // a run across a word boundary: 38..41
  memory_[41] ^= 1;       //
  memory_[4095] ^= 0x80;  // the last byte
  const std::vector<ByteRange> expected = {{0, 1}, {21, 23}, {38, 42}, {4095, 4096}};
  EXPECT_EQ(sync(), expected);
  EXPECT_TRUE(sync().empty()) << "the image took the new bytes";
  EXPECT_EQ(std::memcmp(image_.bytes(), memory_.data(), 4096), 0);
}

TEST_F(CodeImageTest, ABytePutBackIsNoChange) {
  memory_[100] ^= 1;
  memory_[100] ^= 1;
  EXPECT_TRUE(sync().empty());
}

TEST_F(CodeImageTest, AWholeNewPageIsOneRange) {
  for (uint8_t& b : memory_) b = uint8_t(~b);
  const std::vector<ByteRange> expected = {{0, 4096}};
  EXPECT_EQ(sync(), expected);
}

}  // namespace
}  // namespace strata::testing
