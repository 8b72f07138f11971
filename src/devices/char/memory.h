#pragma once
// Character back ends without a host device: an in-memory one for tests and tools (output
// collected in a string, input injected by the caller as if typed) and a null one (output
// dropped, no input) for a device the user left unconnected.
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

#include "devices/char_backend.h"

namespace strata {

class MemoryCharBackend final : public CharBackend {
 public:
  void write(std::span<const uint8_t> bytes) override {
    std::lock_guard lock(mutex_);
    output_.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  }
  std::string output() const {
    std::lock_guard lock(mutex_);
    return output_;
  }
  std::string take_output() {
    std::lock_guard lock(mutex_);
    return std::exchange(output_, {});
  }
  // Hands `bytes` to the input sink from the calling thread.
  void send(std::string_view bytes) const {
    for (char c : bytes) deliver(uint8_t(c));
  }
  void send_quit() const { quit(); }

 private:
  mutable std::mutex mutex_;
  std::string output_;
};

class NullCharBackend final : public CharBackend {
 public:
  void write(std::span<const uint8_t>) override {}
};

}  // namespace strata
