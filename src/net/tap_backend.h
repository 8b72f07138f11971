#pragma once
// A host TAP interface as the guest's wire (bridged setups). The interface must exist or be
// creatable: creating one needs CAP_NET_ADMIN, while a persistent TAP made beforehand for the
// user (`ip tuntap add dev tap0 mode tap user $USER`) can be opened without root.
//
// With vnet_hdr the TAP carries a 12-byte virtio_net_hdr before each frame (IFF_VNET_HDR,
// TUNSETVNETHDRSZ 12); no offloads are enabled, so the header is always empty and this back
// end adds and strips it. It is there for hosts whose bridge tooling expects the flag.
//
// Threading: send() writes to the non-blocking TAP descriptor from the caller's thread (a
// frame that does not fit is dropped); a reader thread delivers frames for the guest.
#include <atomic>
#include <string>
#include <thread>

#include "net/net_backend.h"
#include "net/wakeup.h"

namespace strata {

class TapBackend final : public NetBackend {
 public:
  // Opens /dev/net/tun and attaches to (or creates) interface `ifname`. Throws strata::Error
  // with the reason and a hint when that is not permitted or not possible.
  TapBackend(const std::string& ifname, bool vnet_hdr);
  ~TapBackend() override;

  std::string_view name() const override { return "tap"; }
  const std::string& ifname() const { return ifname_; }
  void send(std::span<const uint8_t> frame) override;
  void start() override;
  void stop() override;

  uint64_t dropped_frames() const { return dropped_.load(std::memory_order_relaxed); }

 private:
  void run();

  std::string ifname_;  // as the kernel named it
  bool vnet_hdr_;
  int fd_ = -1;
  Wakeup wakeup_;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  std::atomic<uint64_t> dropped_{0};
};

}  // namespace strata
