#include "devices/char/file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "devices/char/fd_io.h"
#include "util/error.h"
#include "util/log.h"

namespace strata {

FileCharBackend::FileCharBackend(const std::string& path)
    : fd_(open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644)) {
  if (fd_ < 0) fail("cannot open console log {}: {}", path, std::strerror(errno));
}

FileCharBackend::~FileCharBackend() { close(fd_); }

void FileCharBackend::write(std::span<const uint8_t> bytes) {
  if (failed_) return;
  if (!write_all(fd_, bytes.data(), bytes.size()) && !failed_.exchange(true)) {
    warn("console log: {}; further output to it is dropped", std::strerror(errno));
  }
}

}  // namespace strata
