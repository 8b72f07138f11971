// The TAP back end: a clear error without permission, and (where this process may create TAP
// interfaces) frames in both directions through a temporary TAP, with and without vnet_hdr.
#include <gtest/gtest.h>
#include <linux/capability.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <fstream>
#include <thread>

#include "net/tap_backend.h"
#include "net_test_frames.h"
#include "util/error.h"

namespace strata {
namespace {

using namespace strata::testing;

// Drops CAP_NET_ADMIN from the calling thread only (capabilities are per thread in Linux; the
// raw syscall avoids libc's process-wide synchronisation).
void drop_net_admin_in_this_thread() {
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[2]{};
  ASSERT_EQ(syscall(SYS_capget, &header, data), 0);
  data[CAP_NET_ADMIN / 32].effective &= ~(1u << (CAP_NET_ADMIN % 32));
  ASSERT_EQ(syscall(SYS_capset, &header, data), 0);
}

TEST(TapBackend, WithoutPermissionTheErrorSaysWhyAndWhatToDo) {
  std::string message;
  std::thread attempt([&] {
    drop_net_admin_in_this_thread();
    try {
      TapBackend tap("strata-noperm", false);
      message = "(created)";
    } catch (const Error& e) {
      message = e.what();
    }
  });
  attempt.join();
  EXPECT_NE(message.find("--net tap=strata-noperm"), std::string::npos) << message;
  bool explains = message.find("CAP_NET_ADMIN") != std::string::npos ||
                  message.find("/dev/net/tun is missing") != std::string::npos;
  EXPECT_TRUE(explains) << message;
}

TEST(TapBackend, BadNameIsRefused) { EXPECT_THROW(TapBackend("", false), Error); }

// Brings the interface up so the kernel accepts and transmits frames on it.
bool set_up(const std::string& ifname) {
  int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  ifreq req{};
  std::snprintf(req.ifr_name, IFNAMSIZ, "%s", ifname.c_str());
  bool ok = ioctl(s, SIOCGIFFLAGS, &req) == 0;
  req.ifr_flags |= IFF_UP;
  ok = ok && ioctl(s, SIOCSIFFLAGS, &req) == 0;
  close(s);
  return ok;
}

uint64_t rx_packets(const std::string& ifname) {
  std::ifstream in("/sys/class/net/" + ifname + "/statistics/rx_packets");
  uint64_t n = 0;
  in >> n;
  return n;
}

class TapRoundTrip : public ::testing::TestWithParam<bool> {};

TEST_P(TapRoundTrip, FramesGoBothWays) {
  bool vnet_hdr = GetParam();
  // Unique per process, so concurrent test runs do not fight over one interface.
  std::string ifname = fmt::format("strata-{}{}", vnet_hdr ? 'v' : 'p', getpid() % 100000);
  std::unique_ptr<TapBackend> tap;
  try {
    tap = std::make_unique<TapBackend>(ifname, vnet_hdr);
  } catch (const Error& e) {
    GTEST_SKIP() << "cannot create a TAP here: " << e.what();
  }
  FrameCollector frames;
  tap->set_receiver(frames.receiver());
  tap->start();
  ASSERT_TRUE(set_up(ifname));

  // Guest -> host: the kernel counts the frame as received on the interface.
  MacAddress guest{0x52, 0x54, 0x00, 0x12, 0x34, 0x56};
  uint64_t before = rx_packets(ifname);
  tap->send(arp_request(guest, 0x0a000202, 0x0a000201));
  EXPECT_EQ(rx_packets(ifname), before + 1);
  EXPECT_EQ(tap->dropped_frames(), 0u);

  // Host -> guest: a frame transmitted on the interface through a packet socket.
  int raw = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
  if (raw < 0) GTEST_SKIP() << "no packet socket (CAP_NET_RAW) to transmit on the TAP";
  sockaddr_ll to{};
  to.sll_family = AF_PACKET;
  to.sll_ifindex = int(if_nametoindex(ifname.c_str()));
  to.sll_halen = 6;
  Bytes frame =
      ethernet(guest, MacAddress{0x02, 0, 0, 0, 0, 9}, 0x88b5, Bytes(46, 0xa5));  // local experimental
  ASSERT_EQ(sendto(raw, frame.data(), frame.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof to),
            ssize_t(frame.size()));
  close(raw);
  auto got = frames.wait_for([](const Bytes& f) { return f.size() >= 14 && get16(f, 12) == 0x88b5; });
  ASSERT_TRUE(got);
  EXPECT_EQ(*got, frame);
  tap->stop();
}

INSTANTIATE_TEST_SUITE_P(VnetHeader, TapRoundTrip, ::testing::Bool(),
                         [](const auto& info) { return info.param ? "WithVnetHdr" : "Plain"; });

}  // namespace
}  // namespace strata
