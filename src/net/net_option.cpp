#include "net/net_option.h"

#include <arpa/inet.h>

#include <charconv>

#include "util/error.h"

namespace strata {
namespace {

// Splits "a,b,c" into its parts (empty parts kept, so "user,,x" is reported).
std::vector<std::string_view> split(std::string_view text, char sep) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (;;) {
    size_t end = text.find(sep, start);
    parts.push_back(text.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

uint16_t parse_port(std::string_view text, std::string_view what, std::string_view rule) {
  unsigned value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value == 0 || value > 65535)
    fail("--net: hostfwd '{}': {} port '{}' is not a number from 1 to 65535", rule, what, text);
  return uint16_t(value);
}

uint32_t parse_addr(std::string_view text, std::string_view what, std::string_view rule) {
  if (text.empty()) return 0;
  in_addr addr{};
  if (inet_pton(AF_INET, std::string(text).c_str(), &addr) != 1)
    fail("--net: hostfwd '{}': {} address '{}' is not an IPv4 address", rule, what, text);
  return ntohl(addr.s_addr);
}

// "ADDR:PORT" where ADDR may be empty.
std::pair<uint32_t, uint16_t> parse_endpoint(std::string_view text, std::string_view what,
                                             std::string_view rule) {
  size_t colon = text.rfind(':');
  if (colon == std::string_view::npos)
    fail("--net: hostfwd '{}': the {} side '{}' needs the form [ADDR]:PORT", rule, what, text);
  return {parse_addr(text.substr(0, colon), what, rule), parse_port(text.substr(colon + 1), what, rule)};
}

bool parse_on_off(std::string_view key, std::string_view value) {
  if (value == "on" || value == "yes" || value == "true") return true;
  if (value == "off" || value == "no" || value == "false") return false;
  fail("--net: {}='{}' must be on or off", key, value);
}

}  // namespace

HostForward parse_host_forward(std::string_view rule) {
  HostForward fwd;
  fwd.rule = std::string(rule);
  // protocol ':' host-endpoint '-' guest-endpoint
  size_t first_colon = rule.find(':');
  if (first_colon == std::string_view::npos)
    fail("--net: hostfwd '{}' needs the form [tcp|udp]:[HOSTADDR]:HOSTPORT-[GUESTADDR]:GUESTPORT", rule);
  std::string_view protocol = rule.substr(0, first_colon);
  if (protocol.empty() || protocol == "tcp")
    fwd.protocol = NetProtocol::Tcp;
  else if (protocol == "udp")
    fwd.protocol = NetProtocol::Udp;
  else
    fail("--net: hostfwd '{}': protocol '{}' is not tcp or udp", rule, protocol);
  std::string_view rest = rule.substr(first_colon + 1);
  size_t dash = rest.find('-');
  if (dash == std::string_view::npos)
    fail("--net: hostfwd '{}' has no '-' between the host and the guest side", rule);
  std::tie(fwd.host_addr, fwd.host_port) = parse_endpoint(rest.substr(0, dash), "host", rule);
  std::tie(fwd.guest_addr, fwd.guest_port) = parse_endpoint(rest.substr(dash + 1), "guest", rule);
  return fwd;
}

MacAddress parse_mac(std::string_view text) {
  MacAddress mac{};
  auto parts = split(text, ':');
  bool ok = parts.size() == 6;
  for (size_t i = 0; ok && i < 6; i++) {
    auto [end, ec] = std::from_chars(parts[i].data(), parts[i].data() + parts[i].size(), mac[i], 16);
    ok = parts[i].size() == 2 && ec == std::errc() && end == parts[i].data() + 2;
  }
  if (!ok) fail("--net: mac '{}' is not of the form 52:54:00:12:34:56", text);
  if (mac[0] & 1) fail("--net: mac '{}' is a multicast address (the first byte must be even)", text);
  return mac;
}

std::string format_ipv4(uint32_t addr) {
  return fmt::format("{}.{}.{}.{}", addr >> 24, (addr >> 16) & 0xff, (addr >> 8) & 0xff, addr & 0xff);
}

NetOption parse_net_option(std::string_view text) {
  NetOption option;
  auto parts = split(text, ',');
  std::string_view head = parts[0];
  if (head == "none") {
    if (parts.size() > 1) fail("--net: 'none' takes no settings, got '{}'", text.substr(5));
    option.kind = NetKind::None;
    return option;
  }
  if (head == "user") {
    option.kind = NetKind::User;
  } else if (head.starts_with("tap=")) {
    option.kind = NetKind::Tap;
    option.tap_name = std::string(head.substr(4));
    // IFNAMSIZ is 16 including the terminating NUL.
    if (option.tap_name.empty() || option.tap_name.size() > 15 ||
        option.tap_name.find_first_of("/ \t:") != std::string::npos)
      fail("--net: tap interface name '{}' is not a valid interface name (1 to 15 characters)",
           option.tap_name);
  } else if (head == "tap") {
    fail("--net: tap needs the interface name: tap=NAME");
  } else {
    fail("--net: '{}' is not a network kind (use user, tap=NAME or none)", head);
  }
  for (size_t i = 1; i < parts.size(); i++) {
    std::string_view part = parts[i];
    size_t eq = part.find('=');
    std::string_view key = part.substr(0, eq);
    if (eq == std::string_view::npos) fail("--net: setting '{}' needs a value (KEY=VALUE)", part);
    std::string_view value = part.substr(eq + 1);
    if (key == "mac") {
      option.mac = parse_mac(value);
    } else if (key == "hostfwd" && option.kind == NetKind::User) {
      option.forwards.push_back(parse_host_forward(value));
    } else if (key == "vnet_hdr" && option.kind == NetKind::Tap) {
      option.tap_vnet_hdr = parse_on_off(key, value);
    } else {
      fail("--net: unknown setting '{}' for {} (known: {})", key,
           option.kind == NetKind::User ? "user" : "tap",
           option.kind == NetKind::User ? "hostfwd, mac" : "vnet_hdr, mac");
    }
  }
  return option;
}

}  // namespace strata
