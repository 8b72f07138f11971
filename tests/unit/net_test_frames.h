#pragma once
// Ethernet/ARP/IPv4/UDP/TCP/DHCP frames built and read by hand, for driving network back ends
// and the virtio-net device without a guest. Addresses are in host byte order.
#include <arpa/inet.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <span>
#include <vector>

#include "net/mac_address.h"
#include "net/net_backend.h"

namespace strata::testing {

using Bytes = std::vector<uint8_t>;

inline constexpr uint16_t kEtherIpv4 = 0x0800;
inline constexpr uint16_t kEtherArp = 0x0806;
inline constexpr MacAddress kBroadcastMac{0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

inline void put16(Bytes& b, size_t at, uint16_t v) {
  b[at] = uint8_t(v >> 8);
  b[at + 1] = uint8_t(v);
}
inline void put32(Bytes& b, size_t at, uint32_t v) {
  put16(b, at, uint16_t(v >> 16));
  put16(b, at + 2, uint16_t(v));
}
inline uint16_t get16(std::span<const uint8_t> b, size_t at) { return uint16_t(b[at] << 8 | b[at + 1]); }
inline uint32_t get32(std::span<const uint8_t> b, size_t at) {
  return uint32_t(get16(b, at)) << 16 | get16(b, at + 2);
}
inline MacAddress get_mac(std::span<const uint8_t> b, size_t at) {
  MacAddress m;
  for (int i = 0; i < 6; i++) m[i] = b[at + i];
  return m;
}

// RFC 1071 ones' complement sum, folded.
inline uint16_t inet_checksum(std::span<const uint8_t> data, uint32_t sum = 0) {
  for (size_t i = 0; i + 1 < data.size(); i += 2) sum += uint32_t(data[i] << 8 | data[i + 1]);
  if (data.size() & 1) sum += uint32_t(data.back() << 8);
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return uint16_t(~sum);
}

inline Bytes ethernet(const MacAddress& dst, const MacAddress& src, uint16_t type, const Bytes& payload) {
  Bytes f(14);
  for (int i = 0; i < 6; i++) f[i] = dst[i], f[6 + i] = src[i];
  put16(f, 12, type);
  f.insert(f.end(), payload.begin(), payload.end());
  return f;
}

inline Bytes arp_request(const MacAddress& sender_mac, uint32_t sender_ip, uint32_t target_ip) {
  Bytes a(28);
  put16(a, 0, 1);       // Ethernet
  put16(a, 2, 0x0800);  // IPv4
  a[4] = 6, a[5] = 4;
  put16(a, 6, 1);  // request
  for (int i = 0; i < 6; i++) a[8 + i] = sender_mac[i];
  put32(a, 14, sender_ip);
  put32(a, 24, target_ip);
  return ethernet(kBroadcastMac, sender_mac, kEtherArp, a);
}

inline Bytes ipv4(uint32_t src, uint32_t dst, uint8_t protocol, const Bytes& payload) {
  Bytes p(20);
  p[0] = 0x45;
  put16(p, 2, uint16_t(20 + payload.size()));
  put16(p, 4, 0x1234);  // id
  p[8] = 64;            // ttl
  p[9] = protocol;
  put32(p, 12, src);
  put32(p, 16, dst);
  put16(p, 10, inet_checksum(p));
  p.insert(p.end(), payload.begin(), payload.end());
  return p;
}

// The TCP/UDP checksum over the IPv4 pseudo header and the segment.
inline uint16_t transport_checksum(uint32_t src, uint32_t dst, uint8_t protocol, const Bytes& segment) {
  uint32_t sum =
      (src >> 16) + (src & 0xffff) + (dst >> 16) + (dst & 0xffff) + protocol + uint32_t(segment.size());
  return inet_checksum(segment, sum);
}

inline Bytes udp(uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport, const Bytes& data,
                 bool checksum = true) {
  Bytes u(8);
  put16(u, 0, sport);
  put16(u, 2, dport);
  put16(u, 4, uint16_t(8 + data.size()));
  u.insert(u.end(), data.begin(), data.end());
  if (checksum) {
    uint16_t c = transport_checksum(src, dst, 17, u);
    put16(u, 6, c ? c : 0xffff);
  }
  return ipv4(src, dst, 17, u);
}

inline Bytes tcp_syn(uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport, uint32_t seq) {
  Bytes t(20);
  put16(t, 0, sport);
  put16(t, 2, dport);
  put32(t, 4, seq);
  t[12] = 5 << 4;  // data offset
  t[13] = 0x02;    // SYN
  put16(t, 14, 64240);
  put16(t, 16, transport_checksum(src, dst, 6, t));
  return ipv4(src, dst, 6, t);
}

// A DHCPDISCOVER as a client with no address broadcasts it, padded to the 548-byte BOOTP
// payload many servers (slirp included) expect.
inline Bytes dhcp_discover(const MacAddress& mac, uint32_t xid) {
  Bytes d(548);
  d[0] = 1, d[1] = 1, d[2] = 6;  // BOOTREQUEST, Ethernet, hlen
  put32(d, 4, xid);
  put16(d, 10, 0x8000);  // broadcast reply
  for (int i = 0; i < 6; i++) d[28 + i] = mac[i];
  put32(d, 236, 0x63825363);            // magic cookie
  d[240] = 53, d[241] = 1, d[242] = 1;  // DHCP message type: DISCOVER
  d[243] = 255;
  return ethernet(kBroadcastMac, mac, kEtherIpv4, udp(0, 0xffffffff, 68, 67, d, false));
}

// Frame readers (return nullopt when the frame is not of that kind).
struct Ipv4View {
  uint32_t src, dst;
  uint8_t protocol;
  std::span<const uint8_t> payload;
};
inline std::optional<Ipv4View> as_ipv4(std::span<const uint8_t> f) {
  if (f.size() < 34 || get16(f, 12) != kEtherIpv4 || (f[14] >> 4) != 4) return std::nullopt;
  size_t ihl = (f[14] & 15) * 4u;
  size_t total = get16(f, 16);
  if (ihl < 20 || total < ihl || 14 + total > f.size()) return std::nullopt;
  return Ipv4View{get32(f, 26), get32(f, 30), f[23], f.subspan(14 + ihl, total - ihl)};
}

struct PortsView {
  uint32_t src, dst;
  uint16_t sport, dport;
  std::span<const uint8_t> segment;  // whole TCP or UDP segment, header included
};
inline std::optional<PortsView> as_transport(std::span<const uint8_t> f, uint8_t protocol) {
  auto ip = as_ipv4(f);
  if (!ip || ip->protocol != protocol || ip->payload.size() < 8) return std::nullopt;
  return PortsView{ip->src, ip->dst, get16(ip->payload, 0), get16(ip->payload, 2), ip->payload};
}

// Collects the frames a back end delivers (on its own thread) and lets a test wait for one.
class FrameCollector {
 public:
  NetBackend::Receiver receiver() {
    return [this](std::span<const uint8_t> frame) {
      std::lock_guard lock(mutex_);
      frames_.emplace_back(frame.begin(), frame.end());
      changed_.notify_all();
    };
  }
  // The first frame (in arrival order) matching `match`, waiting up to `timeout` for it.
  std::optional<Bytes> wait_for(const std::function<bool(const Bytes&)>& match,
                                std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    std::unique_lock lock(mutex_);
    std::optional<Bytes> found;
    changed_.wait_for(lock, timeout, [&] {
      for (const auto& f : frames_)
        if (match(f)) return found = f, true;
      return false;
    });
    return found;
  }
  size_t count() {
    std::lock_guard lock(mutex_);
    return frames_.size();
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<Bytes> frames_;
};

}  // namespace strata::testing
