#pragma once
// Guest output appended to a file (a console log); no input. The file is created if
// missing; an unwritable path is an error before the guest starts.
#include <atomic>
#include <string>

#include "devices/char_backend.h"

namespace strata {

class FileCharBackend final : public CharBackend {
 public:
  explicit FileCharBackend(const std::string& path);
  ~FileCharBackend() override;
  FileCharBackend(const FileCharBackend&) = delete;
  FileCharBackend& operator=(const FileCharBackend&) = delete;

  void write(std::span<const uint8_t> bytes) override;

 private:
  int fd_;
  std::atomic<bool> failed_{false};  // a write failed (disk full...): warned once, output dropped
};

}  // namespace strata
