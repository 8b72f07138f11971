// The sifive_test-compatible syscon: which writes power off, fail or reboot, which are
// ignored, the callback, and its versioned state.
#include "devices/syscon.h"

#include <gtest/gtest.h>

#include "mem/bus.h"
#include "mem/guest_ram.h"
#include "util/error.h"

namespace strata {
namespace {

using Request = Syscon::Request;

TEST(Syscon, PowerOffFailAndReboot) {
  Syscon s;
  EXPECT_EQ(s.outcome().request, Request::None);
  s.write(0, 4, 0x5555);
  EXPECT_EQ(s.outcome(), (Syscon::Outcome{Request::PowerOff, 0}));
  s.write(0, 4, 0x3333 | (7u << 16));
  EXPECT_EQ(s.outcome(), (Syscon::Outcome{Request::Fail, 7}));
  s.write(0, 4, 0x7777);
  EXPECT_EQ(s.outcome().request, Request::Reboot);
  s.clear();
  EXPECT_EQ(s.outcome().request, Request::None);
  s.write(0, 2, 0x5555);  // 16-bit writes too, as QEMU
  EXPECT_EQ(s.outcome().request, Request::PowerOff);
}

TEST(Syscon, IgnoresOtherValuesOffsetsAndSizes) {
  Syscon s;
  s.write(0, 4, 0x1234);
  s.write(0, 4, 0x55550000);  // the command is the low half
  s.write(4, 4, 0x5555);
  s.write(0, 1, 0x55);
  s.write(0, 8, 0x5555);
  s.write(0xffc, 4, 0x5555);
  EXPECT_EQ(s.outcome().request, Request::None);
  EXPECT_EQ(s.read(0, 4), 0u);
  EXPECT_EQ(s.read(0xff8, 8), 0u);
}

TEST(Syscon, CallbackAndBus) {
  Syscon s;
  Bus bus;
  bus.map(0x100000, Syscon::kSize, s);
  std::vector<Syscon::Outcome> seen;
  s.set_callback([&](const Syscon::Outcome& o) { seen.push_back(o); });
  EXPECT_TRUE(bus.write(0x100000, 4, 0x3333 | (0xffffu << 16)));
  EXPECT_TRUE(bus.write(0x100000, 4, 0x9999));
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0], (Syscon::Outcome{Request::Fail, 0xffff}));
}

TEST(Syscon, SaveRestore) {
  Syscon a, b;
  a.write(0, 4, 0x3333 | (42u << 16));
  const DeviceState state = a.save();
  EXPECT_EQ(state.kind, "syscon");
  EXPECT_EQ(state.version, 1u);
  b.restore(state);
  EXPECT_EQ(b.outcome(), (Syscon::Outcome{Request::Fail, 42}));

  DeviceState wrong = state;
  wrong.version = 2;
  EXPECT_THROW(b.restore(wrong), Error);
  wrong = state;
  wrong.kind = "uart16550";
  EXPECT_THROW(b.restore(wrong), Error);
  wrong = state;
  wrong.data.pop_back();
  EXPECT_THROW(b.restore(wrong), Error);
  wrong = state;
  wrong.data.push_back(0);
  EXPECT_THROW(b.restore(wrong), Error);
  wrong = state;
  wrong.data[0] = 9;  // no such request
  EXPECT_THROW(b.restore(wrong), Error);
  EXPECT_EQ(b.outcome(), (Syscon::Outcome{Request::Fail, 42})) << "a refused state changes nothing";
}

}  // namespace
}  // namespace strata
