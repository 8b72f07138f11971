#include "devices/virtio/blk/backend.h"

#include <fcntl.h>
#include <linux/fs.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <vector>

#include "util/error.h"
#include "util/log.h"

namespace strata::virtio {

std::unique_ptr<RawFileBackend> RawFileBackend::open(const std::string& path, bool read_only) {
  const int fd = ::open(path.c_str(), (read_only ? O_RDONLY : O_RDWR) | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    if (!read_only && (err == EACCES || err == EROFS || err == EPERM))
      fail("cannot open disk image {} for writing: {} (add ,ro to use it read-only)", path,
           std::strerror(err));
    fail("cannot open disk image {}: {}", path, std::strerror(err));
  }
  auto close_and_fail = [&](const std::string& message) {
    ::close(fd);
    throw Error(message);
  };
  struct stat st;
  if (fstat(fd, &st) != 0)
    close_and_fail(fmt::format("cannot stat disk image {}: {}", path, std::strerror(errno)));
  uint64_t bytes = 0;
  if (S_ISREG(st.st_mode)) {
    bytes = uint64_t(st.st_size);
  } else if (S_ISBLK(st.st_mode)) {
    if (ioctl(fd, BLKGETSIZE64, &bytes) != 0)
      close_and_fail(fmt::format("cannot get the size of block device {}: {}", path, std::strerror(errno)));
  } else {
    close_and_fail(fmt::format("disk image {} is not a regular file or block device", path));
  }
  if (flock(fd, (read_only ? LOCK_SH : LOCK_EX) | LOCK_NB) != 0)
    close_and_fail(
        fmt::format("disk image {} is in use by another process ({})", path, std::strerror(errno)));
  if (bytes < 512) close_and_fail(fmt::format("disk image {} is smaller than one 512-byte sector", path));
  if (bytes % 512) {
    warn("disk image {} is {} bytes, not a multiple of 512: the last {} bytes are not used", path, bytes,
         bytes % 512);
    bytes -= bytes % 512;
  }
  return std::unique_ptr<RawFileBackend>(new RawFileBackend(fd, path, bytes, read_only));
}

RawFileBackend::~RawFileBackend() { ::close(fd_); }

bool RawFileBackend::transfer(bool write, uint64_t offset, std::span<const iovec> iov) {
  std::vector<iovec> rest(iov.begin(), iov.end());
  size_t first = 0;
  while (first < rest.size()) {
    const int count = int(std::min<size_t>(rest.size() - first, IOV_MAX));
    const ssize_t n = write ? pwritev(fd_, rest.data() + first, count, off_t(offset))
                            : preadv(fd_, rest.data() + first, count, off_t(offset));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      // 0 from a read: the image shrank under us.
      warn("disk image {}: {} at byte {} failed: {}", path_, write ? "write" : "read", offset,
           n == 0 ? "unexpected end of file" : std::strerror(errno));
      return false;
    }
    offset += uint64_t(n);
    size_t done = size_t(n);
    while (first < rest.size() && done >= rest[first].iov_len) done -= rest[first++].iov_len;
    if (done) {
      rest[first].iov_base = static_cast<uint8_t*>(rest[first].iov_base) + done;
      rest[first].iov_len -= done;
    }
  }
  return true;
}

bool RawFileBackend::read(uint64_t offset, std::span<const iovec> iov) {
  return transfer(false, offset, iov);
}

bool RawFileBackend::write(uint64_t offset, std::span<const iovec> iov) {
  if (read_only_) return false;
  return transfer(true, offset, iov);
}

bool RawFileBackend::flush() {
  if (read_only_) return true;
  while (fsync(fd_) != 0) {
    if (errno == EINTR) continue;
    warn("disk image {}: fsync failed: {}", path_, std::strerror(errno));
    return false;
  }
  return true;
}

std::string RawFileBackend::identity() const {
  const size_t slash = path_.rfind('/');
  return slash == std::string::npos ? path_ : path_.substr(slash + 1);
}

}  // namespace strata::virtio
