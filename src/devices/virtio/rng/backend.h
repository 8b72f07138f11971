#pragma once
// Where virtio-rng's bytes come from: the host kernel's getrandom() by default; tests may
// supply a deterministic source.
#include <cstdint>
#include <span>

namespace strata::virtio {

class EntropySource {
 public:
  virtual ~EntropySource() = default;
  // Fills all of `out` (blocks only while the host pool is uninitialised, never after boot).
  virtual void fill(std::span<uint8_t> out) = 0;
};

class HostEntropy final : public EntropySource {
 public:
  void fill(std::span<uint8_t> out) override;
};

}  // namespace strata::virtio
