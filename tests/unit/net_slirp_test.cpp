// The libslirp back end driven with hand-made frames, without a guest: DHCP, ARP, a guest TCP
// connection to a host listener, host port forwards (TCP and UDP) and their errors.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <map>

#include "net/net_option.h"
#include "net/slirp_backend.h"
#include "net_test_frames.h"
#include "util/error.h"

namespace strata {
namespace {

using namespace strata::testing;

constexpr MacAddress kGuestMac = kDefaultGuestMac;
constexpr MacAddress kSlirpHostMac{0x52, 0x55, 0x0a, 0x00, 0x02, 0x02};

// A host socket bound to 127.0.0.1 on a kernel-chosen port.
struct HostSocket {
  int fd = -1;
  uint16_t port = 0;
  HostSocket(int type, bool listening) {
    fd = socket(AF_INET, type | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    socklen_t len = sizeof addr;
    getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    port = ntohs(addr.sin_port);
    if (listening) {
      EXPECT_EQ(listen(fd, 4), 0);
    }
  }
  ~HostSocket() { close(fd); }
};

// A port that was free a moment ago (released before slirp binds it).
uint16_t free_port(int type) { return HostSocket(type, false).port; }

bool readable(int fd, int timeout_ms) {
  pollfd p{fd, POLLIN, 0};
  return poll(&p, 1, timeout_ms) == 1;
}

class SlirpTest : public ::testing::Test {
 protected:
  void start(const std::vector<HostForward>& forwards = {}) {
    backend_ = std::make_unique<SlirpBackend>(forwards);
    backend_->set_receiver(frames_.receiver());
    backend_->start();
  }
  // Makes slirp learn the guest's MAC (it answers an ARP request and records the sender).
  void introduce_guest() {
    backend_->send(arp_request(kGuestMac, kSlirpGuest, kSlirpHost));
    ASSERT_TRUE(frames_.wait_for([](const Bytes& f) { return get16(f, 12) == kEtherArp; }));
  }

  FrameCollector frames_;
  std::unique_ptr<SlirpBackend> backend_;
};

TEST_F(SlirpTest, DhcpDiscoverIsOfferedTheGuestAddress) {
  start();
  backend_->send(dhcp_discover(kGuestMac, 0xc0ffee01));
  auto offer = frames_.wait_for([](const Bytes& f) {
    auto u = as_transport(f, 17);
    return u && u->sport == 67 && u->dport == 68;
  });
  ASSERT_TRUE(offer);
  auto u = *as_transport(*offer, 17);
  auto bootp = u.segment.subspan(8);
  ASSERT_GE(bootp.size(), 244u);
  EXPECT_EQ(bootp[0], 2);                   // BOOTREPLY
  EXPECT_EQ(get32(bootp, 4), 0xc0ffee01u);  // our transaction
  EXPECT_EQ(get32(bootp, 16), kSlirpGuest) << format_ipv4(get32(bootp, 16));
  EXPECT_EQ(get_mac(bootp, 28), kGuestMac);
  EXPECT_EQ(u.src, kSlirpHost);
  ASSERT_EQ(get32(bootp, 236), 0x63825363u);
  // Walk the options: message type OFFER, router 10.0.2.2, DNS 10.0.2.3, netmask /24.
  std::map<uint8_t, std::span<const uint8_t>> options;
  for (size_t i = 240; i < bootp.size() && bootp[i] != 255;) {
    if (bootp[i] == 0) {
      i++;
      continue;
    }
    ASSERT_LT(i + 1, bootp.size());
    size_t len = bootp[i + 1];
    ASSERT_LE(i + 2 + len, bootp.size());
    options[bootp[i]] = bootp.subspan(i + 2, len);
    i += 2 + len;
  }
  ASSERT_TRUE(options.count(53));
  EXPECT_EQ(options[53][0], 2);  // OFFER
  ASSERT_TRUE(options.count(1) && options.count(3) && options.count(6));
  EXPECT_EQ(get32(options[1], 0), kSlirpNetmask);
  EXPECT_EQ(get32(options[3], 0), kSlirpHost);
  EXPECT_EQ(get32(options[6], 0), kSlirpDns);
}

TEST_F(SlirpTest, ArpForTheHostIsAnswered) {
  start();
  backend_->send(arp_request(kGuestMac, kSlirpGuest, kSlirpHost));
  auto reply =
      frames_.wait_for([](const Bytes& f) { return get16(f, 12) == kEtherArp && get16(f, 20) == 2; });
  ASSERT_TRUE(reply);
  const Bytes& f = *reply;
  EXPECT_EQ(get_mac(f, 0), kGuestMac);       // to us
  EXPECT_EQ(get_mac(f, 22), kSlirpHostMac);  // sender hardware address
  EXPECT_EQ(get32(f, 28), kSlirpHost);       // sender protocol address
  EXPECT_EQ(get_mac(f, 32), kGuestMac);
  EXPECT_EQ(get32(f, 38), kSlirpGuest);
}

TEST_F(SlirpTest, ArpForAnAddressNobodyHasIsNotAnswered) {
  start();
  backend_->send(arp_request(kGuestMac, kSlirpGuest, 0x0a000263));  // 10.0.2.99
  backend_->send(arp_request(kGuestMac, kSlirpGuest, kSlirpDns));   // answered: marks the end
  auto reply = frames_.wait_for([](const Bytes& f) { return get16(f, 12) == kEtherArp; });
  ASSERT_TRUE(reply);
  EXPECT_EQ(get32(*reply, 28), kSlirpDns);
  EXPECT_EQ(frames_.count(), 1u);
}

TEST_F(SlirpTest, GuestTcpSynReachesAListenerOnHostLoopback) {
  HostSocket listener(SOCK_STREAM, true);
  start();
  introduce_guest();
  backend_->send(ethernet(kSlirpHostMac, kGuestMac, kEtherIpv4,
                          tcp_syn(kSlirpGuest, kSlirpHost, 40000, listener.port, 1000)));
  auto syn_ack = frames_.wait_for([&](const Bytes& f) {
    auto t = as_transport(f, 6);
    return t && t->sport == listener.port && t->dport == 40000;
  });
  ASSERT_TRUE(syn_ack);
  auto t = *as_transport(*syn_ack, 6);
  EXPECT_EQ(t.src, kSlirpHost);
  EXPECT_EQ(t.dst, kSlirpGuest);
  EXPECT_EQ(t.segment[13] & 0x12, 0x12);       // SYN+ACK
  EXPECT_EQ(get32(t.segment, 8), 1001u);       // acknowledges our SYN
  EXPECT_EQ(get_mac(*syn_ack, 0), kGuestMac);  // slirp learned our MAC from the ARP
  ASSERT_TRUE(readable(listener.fd, 10000));   // and the host saw the connection
  int conn = accept(listener.fd, nullptr, nullptr);
  EXPECT_GE(conn, 0);
  close(conn);
}

TEST_F(SlirpTest, TcpHostForwardConnectsToTheGuestPort) {
  uint16_t port = free_port(SOCK_STREAM);
  start({parse_host_forward(fmt::format("tcp:127.0.0.1:{}-:22", port))});
  introduce_guest();
  int client = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  ASSERT_EQ(connect(client, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  auto syn = frames_.wait_for([](const Bytes& f) {
    auto t = as_transport(f, 6);
    return t && t->dport == 22;
  });
  close(client);
  ASSERT_TRUE(syn);
  auto t = *as_transport(*syn, 6);
  EXPECT_EQ(t.dst, kSlirpGuest);
  EXPECT_EQ(t.segment[13] & 0x12, 0x02);  // SYN
}

TEST_F(SlirpTest, UdpHostForwardDeliversADatagramToTheGuest) {
  uint16_t port = free_port(SOCK_DGRAM);
  start({parse_host_forward(fmt::format("udp:127.0.0.1:{}-10.0.2.15:5353", port))});
  introduce_guest();
  int client = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  ASSERT_EQ(sendto(client, "ping", 4, 0, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 4);
  auto datagram = frames_.wait_for([](const Bytes& f) {
    auto u = as_transport(f, 17);
    return u && u->dport == 5353;
  });
  close(client);
  ASSERT_TRUE(datagram);
  auto u = *as_transport(*datagram, 17);
  EXPECT_EQ(u.dst, kSlirpGuest);
  ASSERT_EQ(u.segment.size(), 12u);
  EXPECT_EQ(std::string(u.segment.begin() + 8, u.segment.end()), "ping");
}

TEST(SlirpErrors, BusyHostPortIsAClearError) {
  HostSocket taken(SOCK_STREAM, true);
  std::string rule = fmt::format("tcp:127.0.0.1:{}-:22", taken.port);
  try {
    SlirpBackend backend({parse_host_forward(rule)});
    FAIL() << "a forward from a busy port was accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(rule), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("already in use"), std::string::npos) << e.what();
  }
}

TEST(SlirpErrors, GuestAddressOutsideTheGuestNetworkIsRefused) {
  EXPECT_THROW(SlirpBackend({parse_host_forward("tcp::2222-192.168.1.5:22")}), Error);
  EXPECT_THROW(SlirpBackend({parse_host_forward("tcp::2222-10.0.2.255:22")}), Error);
  EXPECT_THROW(SlirpBackend({parse_host_forward("tcp::2222-10.0.2.2:22")}), Error);  // slirp's own host
}

TEST(SlirpLifecycle, StartStopAreIdempotentAndFramesBeforeStartWait) {
  FrameCollector frames;
  SlirpBackend backend({});
  backend.set_receiver(frames.receiver());
  backend.stop();  // never started
  backend.send(arp_request(kGuestMac, kSlirpGuest, kSlirpHost));
  backend.send(Bytes(10));  // a runt: dropped, not passed to slirp
  EXPECT_EQ(backend.dropped_frames(), 1u);
  backend.start();
  backend.start();
  EXPECT_TRUE(frames.wait_for([](const Bytes& f) { return get16(f, 12) == kEtherArp; }));
  backend.stop();
  backend.stop();
}

}  // namespace
}  // namespace strata
