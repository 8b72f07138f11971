#pragma once
// The one entry point the board uses to build its network card from the `--net` option:
//
//   NetOption option = parse_net_option(text);                  // net/net_option.h
//   std::unique_ptr<virtio::NetDevice> nic = make_virtio_net(option);
//   if (nic) { transport = MmioTransport(*nic, bus, irq); ... }  // nullptr for `--net none`
//
// The host back end (slirp or TAP) is set up here, so a busy forward port or a refused TAP
// is a strata::Error before the guest starts; it starts delivering frames once the
// transport attaches the device. Destroy the device before its transport, or call
// NetDevice::stop_backend() first: the back end's thread reaches the transport until then.
#include <memory>

#include "devices/virtio/net/device.h"
#include "net/net_option.h"

namespace strata::virtio {

std::unique_ptr<NetDevice> make_virtio_net(const NetOption& option);

}  // namespace strata::virtio
