#pragma once
// The `--net` option: which host network back end a guest NIC uses.
//
//   none                                   no network card
//   user[,hostfwd=RULE]...[,mac=MAC]       user-mode networking (libslirp), the default
//   tap=NAME[,vnet_hdr=on|off][,mac=MAC]   the host TAP interface NAME (bridged setups)
//
// RULE is QEMU's: [tcp|udp]:[HOSTADDR]:HOSTPORT-[GUESTADDR]:GUESTPORT, for example
// `tcp::2222-:22` (host port 2222 on every address to the guest's port 22) or
// `udp:127.0.0.1:5353-10.0.2.15:53`. An empty protocol means tcp, an empty host address
// 0.0.0.0, an empty guest address the guest's DHCP address.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "net/mac_address.h"

namespace strata {

enum class NetKind { None, User, Tap };
enum class NetProtocol { Tcp, Udp };

// IPv4 addresses are held in host byte order (10.0.2.15 is 0x0a00020f).
struct HostForward {
  NetProtocol protocol = NetProtocol::Tcp;
  uint32_t host_addr = 0;  // 0: every host address
  uint16_t host_port = 0;
  uint32_t guest_addr = 0;  // 0: the guest's DHCP address
  uint16_t guest_port = 0;
  std::string rule;  // as the user wrote it, for error messages
};

struct NetOption {
  NetKind kind = NetKind::User;
  std::vector<HostForward> forwards;  // user only
  std::string tap_name;               // tap only
  bool tap_vnet_hdr = false;          // tap only: frames on the TAP carry a virtio_net_hdr
  MacAddress mac = kDefaultGuestMac;
};

// Throws strata::Error naming the part of `text` that is wrong.
NetOption parse_net_option(std::string_view text);

// One hostfwd RULE (without the "hostfwd=" prefix).
HostForward parse_host_forward(std::string_view rule);

// "52:54:00:12:34:56" (unicast only); throws strata::Error otherwise.
MacAddress parse_mac(std::string_view text);

std::string format_ipv4(uint32_t addr);

}  // namespace strata
