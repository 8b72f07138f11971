// The `--net` option: every accepted form and the error for each kind of bad part.
#include "net/net_option.h"

#include <gtest/gtest.h>

#include "net/make_backend.h"
#include "util/error.h"

namespace strata {
namespace {

std::string error_of(std::string_view text) {
  try {
    parse_net_option(text);
  } catch (const Error& e) {
    return e.what();
  }
  return "(accepted)";
}

TEST(NetOption, None) {
  EXPECT_EQ(parse_net_option("none").kind, NetKind::None);
  EXPECT_EQ(make_net_backend(parse_net_option("none")), nullptr);
}

TEST(NetOption, UserWithDefaults) {
  NetOption o = parse_net_option("user");
  EXPECT_EQ(o.kind, NetKind::User);
  EXPECT_TRUE(o.forwards.empty());
  EXPECT_EQ(o.mac, kDefaultGuestMac);
  EXPECT_EQ(format_mac(o.mac), "52:54:00:12:34:56");
}

TEST(NetOption, UserWithForwardsAndMac) {
  NetOption o = parse_net_option(
      "user,hostfwd=tcp::2222-:22,hostfwd=tcp:127.0.0.1:8080-10.0.2.15:80,hostfwd=udp::5353-:53,"
      "hostfwd=:127.0.0.1:9000-:9001,mac=52:54:00:ab:CD:ef");
  ASSERT_EQ(o.forwards.size(), 4u);
  const HostForward& a = o.forwards[0];
  EXPECT_EQ(a.protocol, NetProtocol::Tcp);
  EXPECT_EQ(a.host_addr, 0u);
  EXPECT_EQ(a.host_port, 2222);
  EXPECT_EQ(a.guest_addr, 0u);
  EXPECT_EQ(a.guest_port, 22);
  EXPECT_EQ(a.rule, "tcp::2222-:22");
  const HostForward& b = o.forwards[1];
  EXPECT_EQ(b.host_addr, 0x7f000001u);
  EXPECT_EQ(b.host_port, 8080);
  EXPECT_EQ(b.guest_addr, 0x0a00020fu);
  EXPECT_EQ(b.guest_port, 80);
  EXPECT_EQ(o.forwards[2].protocol, NetProtocol::Udp);
  EXPECT_EQ(o.forwards[2].host_port, 5353);
  EXPECT_EQ(o.forwards[3].protocol, NetProtocol::Tcp);  // empty protocol means tcp
  EXPECT_EQ(o.forwards[3].guest_port, 9001);
  EXPECT_EQ(o.mac, (MacAddress{0x52, 0x54, 0x00, 0xab, 0xcd, 0xef}));
}

TEST(NetOption, Tap) {
  NetOption o = parse_net_option("tap=tap0");
  EXPECT_EQ(o.kind, NetKind::Tap);
  EXPECT_EQ(o.tap_name, "tap0");
  EXPECT_FALSE(o.tap_vnet_hdr);
  o = parse_net_option("tap=strata-br0,vnet_hdr=on,mac=02:00:00:00:00:01");
  EXPECT_EQ(o.tap_name, "strata-br0");
  EXPECT_TRUE(o.tap_vnet_hdr);
  EXPECT_EQ(o.mac[0], 0x02);
}

TEST(NetOption, ErrorsNameTheBadPart) {
  struct Case {
    const char* text;
    const char* expected;  // a part of the message
  };
  const Case cases[] = {
      {"", "'' is not a network kind"},
      {"usr", "'usr' is not a network kind"},
      {"tap", "tap=NAME"},
      {"tap=", "'' is not a valid interface name"},
      {"tap=a-name-that-is-far-too-long", "not a valid interface name"},
      {"none,mac=52:54:00:12:34:56", "'none' takes no settings"},
      {"user,", "setting '' needs a value"},
      {"user,hostfwd", "setting 'hostfwd' needs a value"},
      {"user,foo=1", "unknown setting 'foo' for user"},
      {"user,vnet_hdr=on", "unknown setting 'vnet_hdr' for user"},
      {"tap=tap0,hostfwd=tcp::1-:2", "unknown setting 'hostfwd' for tap"},
      {"tap=tap0,vnet_hdr=maybe", "vnet_hdr='maybe' must be on or off"},
      {"user,hostfwd=sctp::2222-:22", "protocol 'sctp' is not tcp or udp"},
      {"user,hostfwd=tcp::2222", "no '-'"},
      {"user,hostfwd=2222-22", "needs the form"},
      {"user,hostfwd=tcp::abc-:22", "host port 'abc' is not a number"},
      {"user,hostfwd=tcp::0-:22", "host port '0'"},
      {"user,hostfwd=tcp::65536-:22", "host port '65536'"},
      {"user,hostfwd=tcp::2222-:", "guest port '' is not a number"},
      {"user,hostfwd=tcp::2222-22", "the guest side '22' needs the form [ADDR]:PORT"},
      {"user,hostfwd=tcp:localhost:2222-:22", "host address 'localhost' is not an IPv4 address"},
      {"user,hostfwd=tcp::2222-10.0.2:22", "guest address '10.0.2' is not an IPv4 address"},
      {"user,mac=52:54:00:12:34", "mac '52:54:00:12:34' is not of the form"},
      {"user,mac=52:54:00:12:34:5g", "is not of the form"},
      {"user,mac=01:00:5e:00:00:01", "multicast"},
  };
  for (const Case& c : cases) {
    std::string message = error_of(c.text);
    EXPECT_NE(message.find(c.expected), std::string::npos)
        << "--net " << c.text << " gave: " << message << "\nexpected a message with: " << c.expected;
    EXPECT_EQ(message.rfind("--net", 0), 0u) << message;
  }
}

TEST(NetOption, FormatIpv4) {
  EXPECT_EQ(format_ipv4(0x0a00020f), "10.0.2.15");
  EXPECT_EQ(format_ipv4(0), "0.0.0.0");
  EXPECT_EQ(format_ipv4(0xffffffff), "255.255.255.255");
}

}  // namespace
}  // namespace strata
