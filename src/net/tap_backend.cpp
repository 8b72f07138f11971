#include "net/tap_backend.h"

#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "util/error.h"
#include "util/log.h"

namespace strata {
namespace {

// struct virtio_net_hdr_v1 (with num_buffers): what TUNSETVNETHDRSZ is set to.
constexpr int kVnetHeaderBytes = 12;
constexpr size_t kMaxFrameBytes = 65536;

std::string permission_hint(const std::string& ifname) {
  return fmt::format(
      " (creating a TAP needs CAP_NET_ADMIN; without root, create it once for your user: "
      "sudo ip tuntap add dev {} mode tap user $USER)",
      ifname);
}

}  // namespace

TapBackend::TapBackend(const std::string& ifname, bool vnet_hdr) : ifname_(ifname), vnet_hdr_(vnet_hdr) {
  if (ifname.empty() || ifname.size() >= IFNAMSIZ)
    fail("--net tap: '{}' is not a valid interface name (1 to {} characters)", ifname, IFNAMSIZ - 1);
  fd_ = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
  if (fd_ < 0) {
    int err = errno;
    if (err == ENOENT || err == ENODEV || err == ENXIO)
      fail("--net tap={}: /dev/net/tun is missing on this host (is the tun module loaded?)", ifname);
    fail("--net tap={}: cannot open /dev/net/tun: {}{}", ifname, std::strerror(err),
         err == EACCES || err == EPERM ? permission_hint(ifname) : std::string());
  }
  ifreq request{};
  std::memcpy(request.ifr_name, ifname.data(), ifname.size());
  request.ifr_flags = IFF_TAP | IFF_NO_PI | (vnet_hdr ? IFF_VNET_HDR : 0);
  if (ioctl(fd_, TUNSETIFF, &request) < 0) {
    int err = errno;
    close(fd_);
    if (err == EPERM || err == EACCES)
      fail("--net tap={}: not permitted to use the interface{}", ifname, permission_hint(ifname));
    if (err == EBUSY)
      fail("--net tap={}: the interface is in use by another process (or is not a TAP)", ifname);
    fail("--net tap={}: cannot attach to the interface: {}", ifname, std::strerror(err));
  }
  ifname_ = request.ifr_name;
  if (vnet_hdr) {
    int size = kVnetHeaderBytes;
    if (ioctl(fd_, TUNSETVNETHDRSZ, &size) < 0) {
      int err = errno;
      close(fd_);
      fail("--net tap={}: cannot set the virtio header size: {}", ifname, std::strerror(err));
    }
  }
}

TapBackend::~TapBackend() {
  stop();
  close(fd_);
}

void TapBackend::send(std::span<const uint8_t> frame) {
  if (frame.size() < 14 || frame.size() > kMaxFrameBytes) {
    dropped_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  uint8_t header[kVnetHeaderBytes] = {};  // no checksum or segmentation offload requested
  iovec parts[2] = {{header, sizeof header}, {const_cast<uint8_t*>(frame.data()), frame.size()}};
  iovec* first = vnet_hdr_ ? &parts[0] : &parts[1];
  int count = vnet_hdr_ ? 2 : 1;
  // One writev is one frame; a full TAP queue (EAGAIN) or a down link drops it.
  if (writev(fd_, first, count) < 0) dropped_.fetch_add(1, std::memory_order_relaxed);
}

void TapBackend::start() {
  if (thread_.joinable()) return;
  stopping_.store(false);
  thread_ = std::thread([this] { run(); });
}

void TapBackend::stop() {
  if (!thread_.joinable()) return;
  stopping_.store(true);
  wakeup_.signal();
  thread_.join();
}

void TapBackend::run() {
  std::vector<uint8_t> buffer(kMaxFrameBytes + kVnetHeaderBytes);
  size_t skip = vnet_hdr_ ? kVnetHeaderBytes : 0;
  while (!stopping_.load()) {
    pollfd fds[2] = {{fd_, POLLIN, 0}, {wakeup_.fd(), POLLIN, 0}};
    int ready = poll(fds, 2, -1);
    if (ready < 0) {
      if (errno == EINTR) continue;
      warn("--net tap={}: poll failed: {}", ifname_, std::strerror(errno));
      return;
    }
    if (fds[1].revents & POLLIN) wakeup_.drain();
    if (fds[0].revents & (POLLERR | POLLHUP | POLLNVAL)) {
      warn("--net tap={}: the interface went away", ifname_);
      return;
    }
    if (!(fds[0].revents & POLLIN)) continue;
    // Drain what is queued, one frame per read; a bounded batch keeps stop() responsive.
    for (int batch = 0; batch < 256; batch++) {
      ssize_t n = read(fd_, buffer.data(), buffer.size());
      if (n < 0) break;  // EAGAIN: queue empty
      if (size_t(n) < skip + 14) continue;
      deliver(std::span(buffer.data() + skip, size_t(n) - skip));
    }
  }
}

}  // namespace strata
