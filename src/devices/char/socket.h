#pragma once
// A Unix stream socket as a character back end: `Listen` binds PATH and serves one client at
// a time (a new one may connect after the previous left); `Connect` connects to PATH when
// made (an error if nobody listens). Output while no peer is connected is dropped, as is
// output beyond kBacklog bytes a slow peer has not read yet; a peer going away never
// disturbs the guest. All socket I/O happens on a thread of ours, so write() never blocks.
#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "devices/char/wake_fd.h"
#include "devices/char_backend.h"

namespace strata {

class SocketCharBackend final : public CharBackend {
 public:
  enum class Mode { Listen, Connect };
  static constexpr size_t kBacklog = 1 << 20;

  SocketCharBackend(const std::string& path, Mode mode);
  ~SocketCharBackend() override;
  SocketCharBackend(const SocketCharBackend&) = delete;
  SocketCharBackend& operator=(const SocketCharBackend&) = delete;

  void write(std::span<const uint8_t> bytes) override;
  void start() override;
  void stop() override;

  bool connected() const { return peer_fd_ >= 0; }
  size_t dropped_output() const { return dropped_; }

 private:
  void io_loop();
  void drop_peer();
  bool flush();  // false: the peer went away

  std::string path_;
  Mode mode_;
  int listen_fd_ = -1;
  std::atomic<int> peer_fd_{-1};  // written by the I/O thread only (and before start)
  WakeFd wake_;
  std::atomic<bool> stopping_{false};
  std::thread io_;
  bool started_ = false;

  std::mutex out_mutex_;
  std::vector<uint8_t> outbox_;
  std::atomic<size_t> dropped_{0};
};

}  // namespace strata
