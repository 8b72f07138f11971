#pragma once
// The host side of a network card: where the guest's Ethernet frames go and where frames for
// the guest come from. Implementations: SlirpBackend (user-mode networking, the default, no
// root needed), TapBackend (a host TAP interface for bridged setups), and in-memory back ends
// in tests.
//
// Frames are whole Ethernet frames (destination MAC first, no FCS, no virtio header).
// Threading: send() may be called from any thread (a vCPU thread notifying the device) and
// never blocks for long: a back end that cannot take a frame drops it, as a busy wire would.
// Frames for the guest are handed to the receiver on the back end's own thread, one at a
// time; the receiver copies what it keeps and must not call back into the back end's stop().
#include <cstdint>
#include <functional>
#include <span>
#include <string_view>

namespace strata {

class NetBackend {
 public:
  using Receiver = std::function<void(std::span<const uint8_t> frame)>;

  virtual ~NetBackend() = default;
  virtual std::string_view name() const = 0;

  // Set once, before start().
  void set_receiver(Receiver receiver) { receiver_ = std::move(receiver); }

  // A frame from the guest to the host side. Never calls the receiver itself: the device
  // calls this with its lock held, and the receiver takes that lock.
  virtual void send(std::span<const uint8_t> frame) = 0;

  // start() begins delivering frames to the receiver; stop() ends it and joins the back end's
  // thread, so no delivery runs once it returns. Both are idempotent; the destructor stops.
  virtual void start() = 0;
  virtual void stop() = 0;

 protected:
  void deliver(std::span<const uint8_t> frame) const {
    if (receiver_) receiver_(frame);
  }

 private:
  Receiver receiver_;
};

}  // namespace strata
