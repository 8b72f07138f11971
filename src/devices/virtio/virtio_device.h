#pragma once
// The two sides of a virtio device: `Device` is what a device type (block, net, console,
// rng, ...) implements; `Transport` is what the device sees of the transport it sits on
// (virtio-mmio today). The transport owns the queues and the common registers (features,
// status, interrupts); the device owns its configuration space and the work.
//
// Threading and locking (the rules every device follows):
// - The transport calls the hooks below from vCPU threads, one at a time (MMIO accesses
//   are serialised), never with the device's mutex held, except where marked.
// - `mutex()` guards the device's queues and the device's own state. A device holds it
//   whenever it pops or pushes, on whatever thread does the work (the vCPU inside
//   notify(), a worker thread, a back end's thread). The transport takes it to change
//   queue configuration, to reset, and to save or restore, so a worker in the middle of a
//   batch delays those until the batch ends. Never block on anything that waits for this
//   mutex while holding it.
// - Transport::notify_used and Transport::fail are called with mutex() held; they only
//   take the transport's interrupt lock, never an MMIO lock, so any thread may call them.
// - Device back ends must not block a vCPU for long: slow host I/O belongs on a worker
//   thread (see worker.h) that notify() wakes.
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>

#include "mem/device_state.h"

namespace strata::virtio {

class Queue;

class Transport {
 public:
  virtual ~Transport() = default;
  virtual Queue& queue(unsigned index) = 0;
  // The features the driver accepted (valid once FEATURES_OK was set).
  virtual uint64_t driver_features() const = 0;
  // After pushing used buffers on `queue` (mutex held): raises the used-buffer interrupt
  // unless the driver suppressed it.
  virtual void notify_used(unsigned queue) = 0;
  // The device's configuration space changed: bumps the config generation and raises the
  // configuration-change interrupt.
  virtual void notify_config_change() = 0;
  // Called by the device's destructor: the transport forgets it (MMIO then reads 0).
  virtual void device_destroyed() = 0;
  // The driver's requests cannot be served (mutex held): sets DEVICE_NEEDS_RESET, raises
  // the configuration-change interrupt and halts every queue until the driver resets the
  // device. The VM keeps running. Queues call this themselves on a malformed chain.
  virtual void fail(const std::string& why) = 0;
};

class Device {
 public:
  // Tells the transport, if it still exists, that the device is gone. Either may be
  // destroyed first; stop the device's own threads in the derived destructor.
  virtual ~Device();

  virtual std::string_view name() const = 0;  // "virtio-blk"
  virtual uint32_t device_id() const = 0;     // spec.h kDeviceId*
  // Device-type feature bits. The transport adds VERSION_1, INDIRECT_DESC and EVENT_IDX.
  virtual uint64_t device_features() const = 0;
  virtual unsigned queue_count() const = 0;
  virtual uint16_t queue_max_size(unsigned queue) const = 0;  // a power of two
  // The most bytes one chain on `queue` may hold; a longer chain breaks the device.
  virtual uint64_t queue_max_chain_bytes(unsigned queue) const { return 1 << 20; }

  // The device configuration space (at 0x100 on virtio-mmio). Offsets and sizes are the
  // driver's and unchecked: reads outside the space give 0, writes there are ignored.
  virtual uint64_t config_read(uint32_t offset, unsigned size) { return 0; }
  virtual void config_write(uint32_t offset, unsigned size, uint64_t value) {}

  // Called once by the transport's constructor.
  virtual void attach(Transport& transport) { transport_ = &transport; }
  // Called by the transport's destructor with mutex() held. Device threads that run on
  // their own (workers, back-end input) must check transport_ after taking the mutex.
  void detach() { transport_ = nullptr; }
  // The queues run: after DRIVER_OK, and after restoring a running device. Process what is
  // already available (drivers may add buffers before DRIVER_OK and not notify again).
  virtual void activate() = 0;
  // The driver notified `queue` (only ever a queue index < queue_count(), after DRIVER_OK).
  virtual void notify(unsigned queue) = 0;
  // Called with mutex() held when the driver resets the device: forget driver-visible
  // state; the queues are reset by the transport.
  virtual void reset() = 0;

  // The device's own part of a snapshot, called with mutex() held (the transport saves
  // the common registers and the queues around it). restore_state throws strata::Error on
  // a foreign kind or version.
  virtual DeviceState save_state() const = 0;
  virtual void restore_state(const DeviceState& state) = 0;

  std::mutex& mutex() const { return mutex_; }

 protected:
  Transport* transport_ = nullptr;

 private:
  mutable std::mutex mutex_;
};

// Reads `size` bytes (1, 2, 4 or 8) little-endian at `offset` of a configuration space
// laid out as bytes; 0 for any part outside it.
uint64_t read_config_bytes(const uint8_t* bytes, size_t length, uint32_t offset, unsigned size);

}  // namespace strata::virtio
