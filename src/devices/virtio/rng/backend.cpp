#include "devices/virtio/rng/backend.h"

#include <sys/random.h>

#include <cerrno>

#include "util/error.h"

namespace strata::virtio {

void HostEntropy::fill(std::span<uint8_t> out) {
  size_t done = 0;
  while (done < out.size()) {
    const ssize_t n = getrandom(out.data() + done, out.size() - done, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("getrandom failed: errno {}", errno);  // only ENOSYS or EFAULT: not recoverable
    }
    done += size_t(n);
  }
}

}  // namespace strata::virtio
