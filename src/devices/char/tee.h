#pragma once
// Several back ends as one: output goes to each (e.g. the terminal and a log file), input
// and quit requests come from any of them.
#include <memory>
#include <vector>

#include "devices/char_backend.h"

namespace strata {

class TeeCharBackend final : public CharBackend {
 public:
  explicit TeeCharBackend(std::vector<std::unique_ptr<CharBackend>> parts) : parts_(std::move(parts)) {
    for (auto& part : parts_) {
      part->set_input_sink([this](uint8_t byte) { deliver(byte); });
      part->set_quit_handler([this] { quit(); });
    }
  }
  ~TeeCharBackend() override { stop(); }

  void write(std::span<const uint8_t> bytes) override {
    for (auto& part : parts_) part->write(bytes);
  }
  void start() override {
    for (auto& part : parts_) part->start();
  }
  void stop() override {
    for (auto& part : parts_) part->stop();
  }

 private:
  std::vector<std::unique_ptr<CharBackend>> parts_;
};

}  // namespace strata
