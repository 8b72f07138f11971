#pragma once
// User-mode networking with libslirp: the guest sees a private network and reaches the host
// and the outside world through ordinary host sockets, so no root and no host configuration
// are needed. The network is QEMU's, so guest setups written for QEMU work unchanged:
//
//   10.0.2.0/24   guest network        10.0.2.2   the host (gateway; 127.0.0.1 on the host)
//   10.0.2.3      DNS forwarder        10.0.2.15  the guest's address from slirp's DHCP
//
// Threading: one thread owns the Slirp instance and runs a poll loop over slirp's sockets and
// timers. send() only queues the frame (bounded, dropped when full) and wakes that thread
// through an eventfd, so vCPU threads never touch slirp. Frames for the guest are delivered
// from the slirp thread.
#include <poll.h>

#include <atomic>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "net/net_backend.h"
#include "net/net_option.h"
#include "net/wakeup.h"

struct Slirp;

namespace strata {

inline constexpr uint32_t kSlirpNetwork = 0x0a000200;  // 10.0.2.0
inline constexpr uint32_t kSlirpNetmask = 0xffffff00;  // /24
inline constexpr uint32_t kSlirpHost = 0x0a000202;     // 10.0.2.2
inline constexpr uint32_t kSlirpDns = 0x0a000203;      // 10.0.2.3
inline constexpr uint32_t kSlirpGuest = 0x0a00020f;    // 10.0.2.15, the first DHCP lease

class SlirpBackend final : public NetBackend {
 public:
  // Sets up the port forwards at once, so a busy host port is an error before the guest
  // starts. Throws strata::Error.
  explicit SlirpBackend(const std::vector<HostForward>& forwards);
  ~SlirpBackend() override;

  std::string_view name() const override { return "user"; }
  void send(std::span<const uint8_t> frame) override;
  void start() override;
  void stop() override;

  // Frames from the guest dropped because the slirp thread had fallen behind.
  uint64_t dropped_frames() const { return dropped_.load(std::memory_order_relaxed); }

  struct Timer;
  struct Glue;  // the C callbacks libslirp calls

 private:
  static constexpr size_t kMaxPendingFrames = 512;

  void add_forward(const HostForward& forward);
  void run();
  void fire_due_timers();
  int poll_timeout_ms(uint32_t slirp_timeout_ms) const;

  Wakeup wakeup_;
  std::vector<std::unique_ptr<Timer>> timers_;  // before slirp_: slirp_cleanup frees timers
  std::unique_ptr<Slirp, void (*)(Slirp*)> slirp_;
  std::vector<pollfd> pollfds_;  // slirp thread only, rebuilt every iteration

  std::mutex pending_mutex_;
  std::deque<std::vector<uint8_t>> pending_;  // guest -> slirp, drained by the slirp thread
  std::atomic<uint64_t> dropped_{0};

  std::thread thread_;
  std::atomic<bool> stopping_{false};
};

}  // namespace strata
