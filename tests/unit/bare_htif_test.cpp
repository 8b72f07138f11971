// HTIF as run --bare polls it: exit codes, console output with its fromhost answer, the
// proxied write/exit system calls, and hostile commands (addresses outside RAM).
#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "machine/htif.h"
#include "mem/bus.h"
#include "mem/guest_ram.h"
#include "util/error.h"

namespace strata {
namespace {

constexpr uint64_t kRam = 0x80000000;
constexpr uint64_t kToHost = kRam + 0x1000, kFromHost = kRam + 0x1040, kMagic = kRam + 0x2000;

class HtifTest : public ::testing::Test {
 protected:
  HtifTest() : ram_(kRam, 1 << 20) {
    bus_.add_ram(ram_);
    htif_ = std::make_unique<Htif>(bus_, kToHost, kFromHost, [this](int fd, const uint8_t* b, uint64_t n) {
      (fd == 1 ? out_ : err_).append(reinterpret_cast<const char*>(b), n);
    });
  }
  uint64_t get(uint64_t pa) {
    uint64_t v;
    std::memcpy(&v, ram_.host(pa), 8);
    return v;
  }
  void put(uint64_t pa, uint64_t v) { std::memcpy(ram_.host(pa), &v, 8); }

  GuestRam ram_;
  Bus bus_;
  std::unique_ptr<Htif> htif_;
  std::string out_, err_;
};

TEST_F(HtifTest, NothingPending) { EXPECT_FALSE(htif_->poll()); }

TEST_F(HtifTest, ExitCodes) {
  put(kToHost, 1);
  auto exit = htif_->poll();
  ASSERT_TRUE(exit);
  EXPECT_EQ(exit->code, 0u);
  put(kToHost, (5 << 1) | 1);
  exit = htif_->poll();
  ASSERT_TRUE(exit);
  EXPECT_EQ(exit->code, 5u);
}

TEST_F(HtifTest, ConsoleOutputIsAnswered) {
  for (char c : std::string("ok\n")) {
    put(kToHost, (1ull << 56) | (1ull << 48) | uint8_t(c));
    EXPECT_FALSE(htif_->poll());
    EXPECT_EQ(get(kToHost), 0u);
    EXPECT_EQ(get(kFromHost), (1ull << 56) | (1ull << 48) | 0x100 | uint8_t(c));
  }
  EXPECT_EQ(out_, "ok\n");
}

TEST_F(HtifTest, ConsoleInputRequestAndUnknownCommandsAreCleared) {
  put(kToHost, 1ull << 56);  // device 1, command 0: read a character
  EXPECT_FALSE(htif_->poll());
  EXPECT_EQ(get(kToHost), 0u);
  EXPECT_EQ(get(kFromHost), 0u);
  put(kToHost, (7ull << 56) | (3ull << 48) | 1);
  EXPECT_FALSE(htif_->poll());
  EXPECT_EQ(get(kToHost), 0u);
}

TEST_F(HtifTest, ProxiedWriteAndExit) {
  std::memcpy(ram_.host(kRam + 0x3000), "hello", 5);
  const uint64_t call[4] = {64, 2, kRam + 0x3000, 5};
  std::memcpy(ram_.host(kMagic), call, sizeof call);
  put(kToHost, kMagic);
  EXPECT_FALSE(htif_->poll());
  EXPECT_EQ(err_, "hello");
  EXPECT_EQ(get(kMagic), 5u);  // the result replaces the call number
  EXPECT_EQ(get(kFromHost), 1u);
  EXPECT_EQ(get(kToHost), 0u);

  const uint64_t bad_fd[4] = {64, 7, kRam + 0x3000, 5};
  std::memcpy(ram_.host(kMagic), bad_fd, sizeof bad_fd);
  put(kToHost, kMagic);
  htif_->poll();
  EXPECT_EQ(int64_t(get(kMagic)), -9);

  const uint64_t outside[4] = {64, 1, 0x1000, 5};
  std::memcpy(ram_.host(kMagic), outside, sizeof outside);
  put(kToHost, kMagic);
  htif_->poll();
  EXPECT_EQ(int64_t(get(kMagic)), -14);

  const uint64_t unknown[4] = {1234, 0, 0, 0};
  std::memcpy(ram_.host(kMagic), unknown, sizeof unknown);
  put(kToHost, kMagic);
  htif_->poll();
  EXPECT_EQ(int64_t(get(kMagic)), -38);

  const uint64_t exit[4] = {93, 3, 0, 0};
  std::memcpy(ram_.host(kMagic), exit, sizeof exit);
  put(kToHost, kMagic);
  const auto ended = htif_->poll();
  ASSERT_TRUE(ended);
  EXPECT_EQ(ended->code, 3u);
}

TEST_F(HtifTest, SystemCallBlockOutsideRamIsIgnored) {
  put(kToHost, 0x1000);  // even payload: a "magic memory" address, here outside RAM
  EXPECT_FALSE(htif_->poll());
  EXPECT_EQ(get(kToHost), 0u);
  put(kToHost, kRam + (1 << 20) - 32);  // the 64-byte block would run past the end of RAM
  EXPECT_FALSE(htif_->poll());
}

TEST_F(HtifTest, WordsMustBeAlignedAndInRam) {
  auto sink = [](int, const uint8_t*, uint64_t) {};
  EXPECT_THROW(Htif(bus_, 0x1000, std::nullopt, sink), Error);
  EXPECT_THROW(Htif(bus_, kToHost + 4, std::nullopt, sink), Error);
  EXPECT_THROW(Htif(bus_, kToHost, kRam + (1 << 20) - 4, sink), Error);
  Htif no_fromhost(bus_, kToHost, std::nullopt, sink);
  put(kToHost, (1ull << 56) | (1ull << 48) | 'x');
  EXPECT_FALSE(no_fromhost.poll());
  EXPECT_EQ(get(kToHost), 0u);
}

}  // namespace
}  // namespace strata
