#include "machine/host_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "util/error.h"

namespace strata {

HostFile::HostFile(std::string path, std::string role) : path_(std::move(path)), role_(std::move(role)) {
  fd_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) fail("{} {}: {}", role_, path_, std::strerror(errno));
  struct stat st;
  if (fstat(fd_, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd_);
    fail("{} {}: not a regular file", role_, path_);
  }
  size_ = uint64_t(st.st_size);
  if (size_ == 0) {
    ::close(fd_);
    fail("{} {}: the file is empty", role_, path_);
  }
}

HostFile::~HostFile() {
  if (fd_ >= 0) ::close(fd_);
}

void HostFile::read_at(uint64_t offset, std::span<uint8_t> out) const {
  size_t done = 0;
  while (done < out.size()) {
    const ssize_t n = ::pread(fd_, out.data() + done, out.size() - done, off_t(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail("{} {}: {}", role_, path_, std::strerror(errno));
    if (n == 0) fail("{} {}: the file ended early (it changed while being read?)", role_, path_);
    done += size_t(n);
  }
}

std::vector<uint8_t> HostFile::head(size_t n) const {
  std::vector<uint8_t> bytes(std::min<uint64_t>(n, size_));
  read_at(0, bytes);
  return bytes;
}

std::vector<uint8_t> HostFile::read_all() const {
  std::vector<uint8_t> bytes(size_);
  read_at(0, bytes);
  return bytes;
}

}  // namespace strata
