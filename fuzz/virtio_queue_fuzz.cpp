// libFuzzer target for the split virtqueue behind the virtio-mmio transport: the input
// becomes guest RAM (descriptor tables, rings, indirect tables, buffers) and a few
// register values (features, queue size, avail index moves); an inline device pops every
// chain, gathers its readable bytes and scatters them into its writable ones. Any crash,
// sanitizer report, or a used element the driver never offered is a bug.
//
// Not part of the default build (it needs clang's libFuzzer). Build and run:
//   clang++ -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -Isrc \
//     fuzz/virtio_queue_fuzz.cpp src/devices/virtio/{queue,mmio_transport,virtio_device}.cpp \
//     src/mem/{bus,guest_ram,device_state}.cpp -lfmt -o build/virtio_queue_fuzz
//   build/virtio_queue_fuzz -max_total_time=60
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "devices/virtio/mmio_transport.h"
#include "devices/virtio/queue.h"
#include "devices/virtio/spec.h"
#include "mem/bus.h"
#include "mem/guest_ram.h"

using namespace strata;
using namespace strata::virtio;

namespace {

constexpr uint64_t kRamBase = 0x80000000;
constexpr uint64_t kRamSize = 64 << 10;
constexpr uint16_t kMaxQueue = 64;

class SinkDevice final : public Device {
 public:
  std::string_view name() const override { return "virtio-fuzz"; }
  uint32_t device_id() const override { return 42; }
  uint64_t device_features() const override { return 0; }
  unsigned queue_count() const override { return 1; }
  uint16_t queue_max_size(unsigned) const override { return kMaxQueue; }
  uint64_t queue_max_chain_bytes(unsigned) const override { return 32 << 10; }
  void activate() override { serve(); }
  void notify(unsigned) override { serve(); }
  void reset() override {}
  DeviceState save_state() const override { return StateWriter().finish("virtio-fuzz", 1); }
  void restore_state(const DeviceState&) override {}

  void serve() {
    std::lock_guard lock(mutex());
    Queue& queue = transport_->queue(0);
    bool any = false;
    while (auto chain = queue.pop()) {
      if (chain->head >= queue.size()) abort();  // the walk must have refused it
      std::vector<uint8_t> bytes(chain->readable_bytes);
      if (chain->read(0, bytes) != bytes.size()) abort();
      const size_t n = chain->write(0, bytes);
      queue.push(chain->head, uint32_t(n));
      any = true;
    }
    if (any) transport_->notify_used(0);
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 8) return 0;
  static GuestRam ram(kRamBase, kRamSize);
  static Bus bus = [] {
    Bus b;
    b.add_ram(ram);
    return b;
  }();
  std::memset(ram.host_base(), 0, kRamSize);
  const uint8_t* program = data;
  std::memcpy(ram.host_base(), data + 8, std::min<size_t>(size - 8, kRamSize));

  SinkDevice device;
  MmioTransport transport(device, bus, IrqLine{});
  auto w = [&](uint32_t reg, uint32_t v) { transport.write(reg, 4, v); };
  // Features: VERSION_1 always, indirect and event idx from the input.
  w(mmio::kStatus, kStatusAcknowledge | kStatusDriver);
  w(mmio::kDriverFeaturesSel, 0);
  w(mmio::kDriverFeatures,
    (program[0] & 1 ? 1u << kFeatureIndirectDesc : 0) | (program[0] & 2 ? 1u << kFeatureEventIdx : 0));
  w(mmio::kDriverFeaturesSel, 1);
  w(mmio::kDriverFeatures, 1);
  w(mmio::kStatus, kStatusAcknowledge | kStatusDriver | kStatusFeaturesOk);
  // Queue size straight from the input (often invalid); rings at fixed places.
  w(mmio::kQueueSel, 0);
  w(mmio::kQueueNum, program[1] | (program[2] & 0x80 ? program[2] << 8 : 0));
  w(mmio::kQueueDescLow, uint32_t(kRamBase));
  w(mmio::kQueueDriverLow, uint32_t(kRamBase + 0x2000));
  w(mmio::kQueueDeviceLow, uint32_t(kRamBase + 0x3000));
  w(mmio::kQueueReady, 1);
  w(mmio::kStatus, kStatusAcknowledge | kStatusDriver | kStatusFeaturesOk | kStatusDriverOk);
  // Move avail->idx a few times and notify; reset once in the middle if asked.
  for (int i = 3; i < 8; i++) {
    uint16_t idx;
    std::memcpy(&idx, ram.host(kRamBase + 0x2002), 2);
    idx = uint16_t(idx + (program[i] & 0x7f));
    std::memcpy(ram.host(kRamBase + 0x2002), &idx, 2);
    w(mmio::kQueueNotify, 0);
    if (program[i] & 0x80) transport.read(mmio::kInterruptStatus, 4);
  }
  return 0;
}
