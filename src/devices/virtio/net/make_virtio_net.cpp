#include "devices/virtio/net/make_virtio_net.h"

#include "net/make_backend.h"

namespace strata::virtio {

std::unique_ptr<NetDevice> make_virtio_net(const NetOption& option) {
  std::unique_ptr<NetBackend> backend = make_net_backend(option);
  if (!backend) return nullptr;
  return std::make_unique<NetDevice>(std::move(backend), option.mac);
}

}  // namespace strata::virtio
