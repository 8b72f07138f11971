#include "devices/virtio/mmio_transport.h"

#include "devices/virtio/spec.h"
#include "util/error.h"
#include "util/log.h"

namespace strata::virtio {
namespace {

constexpr char kStateKind[] = "virtio-mmio";
constexpr uint32_t kStateVersion = 1;
constexpr unsigned kMaxFailureReports = 8;

// Features every device gets from the transport and the queue implementation.
constexpr uint64_t kTransportFeatures =
    feature_bit(kFeatureVersion1) | feature_bit(kFeatureIndirectDesc) | feature_bit(kFeatureEventIdx);

uint64_t set_half(uint64_t value, bool high, uint32_t half) {
  return high ? (value & 0xffffffffu) | (uint64_t(half) << 32) : (value & ~uint64_t(0xffffffffu)) | half;
}

}  // namespace

MmioTransport::MmioTransport(Device& device, const Bus& bus, IrqLine irq)
    : device_(&device),
      name_(device.name()),
      irq_(irq),
      offered_features_(device.device_features() | kTransportFeatures) {
  for (unsigned q = 0; q < device.queue_count(); q++)
    queues_.push_back(std::make_unique<Queue>(bus, device.queue_max_size(q), device.queue_max_chain_bytes(q),
                                              [this](const std::string& why) { fail(why); }));
  device.attach(*this);
}

Queue* MmioTransport::selected_queue() const {
  return queue_sel_ < queues_.size() ? queues_[queue_sel_].get() : nullptr;
}

uint32_t MmioTransport::interrupt_status() const {
  std::lock_guard lock(irq_mutex_);
  return interrupt_status_;
}

void MmioTransport::raise(uint32_t bits) {
  std::lock_guard lock(irq_mutex_);
  interrupt_status_ |= bits;
  irq_.set(true);
}

void MmioTransport::notify_used(unsigned queue) {
  if (queue < queues_.size() && queues_[queue]->needs_interrupt()) raise(kInterruptUsedBuffer);
}

void MmioTransport::notify_config_change() {
  config_generation_++;
  raise(kInterruptConfigChange);
}

void MmioTransport::fail(const std::string& why) {
  for (auto& q : queues_) q->halt();
  status_.fetch_or(kStatusNeedsReset);
  {
    std::lock_guard lock(irq_mutex_);
    if (!failure_reported_ && failure_reports_ < kMaxFailureReports) {
      warn("{}: device needs reset: {}{}", name_, why,
           ++failure_reports_ == kMaxFailureReports ? " (further failures are not reported)" : "");
    }
    failure_reported_ = true;
  }
  raise(kInterruptConfigChange);
}

MmioTransport::~MmioTransport() {
  std::lock_guard lock(mmio_mutex_);
  if (!device_) return;
  std::lock_guard device_lock(device_->mutex());  // waits for a device thread's batch
  device_->detach();
}

void MmioTransport::device_destroyed() {
  std::lock_guard lock(mmio_mutex_);
  device_ = nullptr;
}

uint64_t MmioTransport::read(uint64_t offset, unsigned size) {
  std::lock_guard lock(mmio_mutex_);
  if (!device_) return 0;
  if (offset >= mmio::kConfig) return device_->config_read(uint32_t(offset - mmio::kConfig), size);
  if (size != 4 || offset % 4) return 0;
  return read_register(uint32_t(offset));
}

void MmioTransport::write(uint64_t offset, unsigned size, uint64_t value) {
  std::lock_guard lock(mmio_mutex_);
  if (!device_) return;
  if (offset >= mmio::kConfig) {
    device_->config_write(uint32_t(offset - mmio::kConfig), size, value);
    return;
  }
  if (size != 4 || offset % 4) return;
  write_register(uint32_t(offset), uint32_t(value));
}

uint32_t MmioTransport::read_register(uint32_t offset) {
  using namespace mmio;
  switch (offset) {
    case kMagicValue:
      return kMagic;
    case kVersion:
      return 2;
    case kDeviceId:
      return device_->device_id();
    case kVendorId:
      return kVendor;
    case kDeviceFeatures:
      return device_features_sel_ == 0   ? uint32_t(offered_features_)
             : device_features_sel_ == 1 ? uint32_t(offered_features_ >> 32)
                                         : 0;
    case kQueueNumMax: {
      Queue* q = selected_queue();
      return q ? q->max_size() : 0;  // 0: no such queue
    }
    case kQueueReady: {
      Queue* q = selected_queue();
      if (!q) return 0;
      std::lock_guard lock(device_->mutex());
      return q->ready();
    }
    case kInterruptStatus:
      return interrupt_status();
    case kStatus:
      return status_.load();
    case kShmLenLow:
    case kShmLenHigh:
    case kShmBaseLow:
    case kShmBaseHigh:
      return 0xffffffff;  // no shared memory regions
    case kConfigGeneration:
      return config_generation_.load();
    default:
      return 0;
  }
}

void MmioTransport::write_register(uint32_t offset, uint32_t value) {
  using namespace mmio;
  switch (offset) {
    case kDeviceFeaturesSel:
      device_features_sel_ = value;
      return;
    case kDriverFeatures:
      // Frozen once FEATURES_OK was accepted.
      if (!(status_.load() & kStatusFeaturesOk) && driver_features_sel_ < 2)
        driver_features_.store(set_half(driver_features_.load(), driver_features_sel_ == 1, value));
      return;
    case kDriverFeaturesSel:
      driver_features_sel_ = value;
      return;
    case kQueueSel:
      queue_sel_ = value;
      return;
    case kQueueNotify: {
      const uint32_t q = value & 0xffff;
      const uint32_t s = status_.load();
      // Notifications before DRIVER_OK are ignored (3.1.1); activate() picks up whatever
      // the driver queued by then.
      if (q < queues_.size() && (s & kStatusDriverOk) && !(s & kStatusNeedsReset)) device_->notify(q);
      return;
    }
    case kInterruptAck: {
      std::lock_guard lock(irq_mutex_);
      interrupt_status_ &= ~value;
      irq_.set(interrupt_status_ != 0);
      return;
    }
    case kStatus:
      write_status(value);
      return;
    case kShmSel:
      shm_sel_ = value;
      return;
    case kQueueNum:
    case kQueueReady:
    case kQueueDescLow:
    case kQueueDescHigh:
    case kQueueDriverLow:
    case kQueueDriverHigh:
    case kQueueDeviceLow:
    case kQueueDeviceHigh:
      write_queue_register(offset, value);
      return;
    default:
      return;
  }
}

void MmioTransport::write_queue_register(uint32_t offset, uint32_t value) {
  using namespace mmio;
  Queue* q = selected_queue();
  if (!q) return;
  std::lock_guard lock(device_->mutex());
  if (offset == kQueueReady) {
    q->set_ready(value & 1);
    if (q->ready() && (status_.load() & kStatusDriverOk)) q->set_active(true);
    return;
  }
  if (q->ready()) return;  // the driver must not reconfigure a live queue (4.2.3.2)
  switch (offset) {
    case kQueueNum:
      q->set_size(value);
      return;
    case kQueueDescLow:
    case kQueueDescHigh:
      q->set_desc_addr(set_half(q->desc_addr(), offset == kQueueDescHigh, value));
      return;
    case kQueueDriverLow:
    case kQueueDriverHigh:
      q->set_driver_addr(set_half(q->driver_addr(), offset == kQueueDriverHigh, value));
      return;
    case kQueueDeviceLow:
    case kQueueDeviceHigh:
      q->set_device_addr(set_half(q->device_addr(), offset == kQueueDeviceHigh, value));
      return;
    default:
      return;
  }
}

void MmioTransport::write_status(uint32_t value) {
  if (value == 0) {
    reset();
    return;
  }
  const uint32_t old = status_.load();
  uint32_t add = value & ~old & ~kStatusNeedsReset;
  const uint64_t driver_features = driver_features_.load();
  if (add & kStatusFeaturesOk) {
    const bool acceptable =
        !(driver_features & ~offered_features_) && (driver_features & feature_bit(kFeatureVersion1));
    if (!acceptable) {
      add &= ~kStatusFeaturesOk;  // the driver reads Status back and gives up (3.1.1)
    } else {
      std::lock_guard lock(device_->mutex());
      for (auto& q : queues_) q->set_features(driver_features);
    }
  }
  if ((add & kStatusDriverOk) && !((old | add) & kStatusFeaturesOk)) {
    std::lock_guard lock(device_->mutex());
    fail("DRIVER_OK without FEATURES_OK");
    add &= ~kStatusDriverOk;
  }
  status_.fetch_or(add);
  if (add & kStatusDriverOk) {
    {
      std::lock_guard lock(device_->mutex());
      for (auto& q : queues_) q->set_active(true);
    }
    if (!(status_.load() & kStatusNeedsReset)) device_->activate();
  }
}

void MmioTransport::reset() {
  // Taking the device mutex waits for any worker to finish its batch; after it no device
  // thread touches the queues, and the queues refuse work until set up again.
  std::lock_guard lock(device_->mutex());
  device_->reset();
  for (auto& q : queues_) q->reset();
  status_.store(0);
  driver_features_ = 0;
  device_features_sel_ = driver_features_sel_ = queue_sel_ = shm_sel_ = 0;
  std::lock_guard irq_lock(irq_mutex_);
  interrupt_status_ = 0;
  failure_reported_ = false;
  irq_.set(false);
}

DeviceState MmioTransport::save() const {
  std::lock_guard lock(mmio_mutex_);
  if (!device_) strata::fail("{}: the device is gone", name_);
  std::lock_guard device_lock(device_->mutex());
  StateWriter out;
  out.u32(status_.load());
  out.u64(driver_features_.load());
  out.u32(device_features_sel_);
  out.u32(driver_features_sel_);
  out.u32(queue_sel_);
  out.u32(shm_sel_);
  out.u32(config_generation_.load());
  {
    std::lock_guard irq_lock(irq_mutex_);
    out.u32(interrupt_status_);
    out.u8(failure_reported_);
  }
  out.u32(uint32_t(queues_.size()));
  for (const auto& q : queues_) q->save(out);
  const DeviceState inner = device_->save_state();
  out.blob(std::span(reinterpret_cast<const uint8_t*>(inner.kind.data()), inner.kind.size()));
  out.u32(inner.version);
  out.blob(inner.data);
  return out.finish(kStateKind, kStateVersion);
}

void MmioTransport::restore(const DeviceState& state) {
  bool running = false;
  {
    std::lock_guard lock(mmio_mutex_);
    if (!device_) strata::fail("{}: the device is gone", name_);
    std::lock_guard device_lock(device_->mutex());
    StateReader in(state, kStateKind, kStateVersion);
    const uint32_t status = in.u32();
    driver_features_.store(in.u64());
    device_features_sel_ = in.u32();
    driver_features_sel_ = in.u32();
    queue_sel_ = in.u32();
    shm_sel_ = in.u32();
    config_generation_.store(in.u32());
    const uint32_t interrupts = in.u32();
    const bool reported = in.u8();
    const uint32_t count = in.u32();
    if (count != queues_.size())
      strata::fail("{} state has {} queues, this device has {}", name_, count, queues_.size());
    for (auto& q : queues_) q->restore(in);
    DeviceState inner;
    const std::vector<uint8_t> kind = in.blob();
    inner.kind.assign(kind.begin(), kind.end());
    inner.version = in.u32();
    inner.data = in.blob();
    in.expect_end();
    device_->restore_state(inner);
    status_.store(status);
    std::lock_guard irq_lock(irq_mutex_);
    interrupt_status_ = interrupts;
    failure_reported_ = reported;
    irq_.set(interrupt_status_ != 0);
    running = (status & kStatusDriverOk) && !(status & kStatusNeedsReset);
  }
  std::lock_guard lock(mmio_mutex_);
  if (running && device_) device_->activate();  // requests that were available when saved
}

}  // namespace strata::virtio
