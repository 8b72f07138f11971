#pragma once
// Numbers from the virtio 1.2 specification shared by the transport, the queue and the
// devices. Device-specific numbers live with each device.
#include <cstdint>

namespace strata::virtio {

// Device status bits (2.1).
inline constexpr uint32_t kStatusAcknowledge = 1;
inline constexpr uint32_t kStatusDriver = 2;
inline constexpr uint32_t kStatusDriverOk = 4;
inline constexpr uint32_t kStatusFeaturesOk = 8;
inline constexpr uint32_t kStatusNeedsReset = 64;
inline constexpr uint32_t kStatusFailed = 128;

// Interrupt status bits of the MMIO transport (4.2.2).
inline constexpr uint32_t kInterruptUsedBuffer = 1;
inline constexpr uint32_t kInterruptConfigChange = 2;

// Reserved feature bits (6) that the transport and the queue implement for every device.
inline constexpr unsigned kFeatureIndirectDesc = 28;  // VIRTIO_F_INDIRECT_DESC
inline constexpr unsigned kFeatureEventIdx = 29;      // VIRTIO_F_EVENT_IDX
inline constexpr unsigned kFeatureVersion1 = 32;      // VIRTIO_F_VERSION_1

constexpr uint64_t feature_bit(unsigned bit) { return uint64_t(1) << bit; }

// Device ids (5).
inline constexpr uint32_t kDeviceIdNet = 1;
inline constexpr uint32_t kDeviceIdBlock = 2;
inline constexpr uint32_t kDeviceIdConsole = 3;
inline constexpr uint32_t kDeviceIdEntropy = 4;

// Split virtqueue layout (2.7).
inline constexpr uint16_t kDescFlagNext = 1;
inline constexpr uint16_t kDescFlagWrite = 2;
inline constexpr uint16_t kDescFlagIndirect = 4;
inline constexpr uint16_t kAvailFlagNoInterrupt = 1;
inline constexpr uint64_t kDescSize = 16;         // addr u64, len u32, flags u16, next u16
inline constexpr uint64_t kUsedElemSize = 8;      // id u32, len u32
inline constexpr uint16_t kMaxQueueSize = 32768;  // the largest power of two below 2^16

}  // namespace strata::virtio
