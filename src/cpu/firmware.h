#pragma once
// A firmware living in the host: ecalls from S-mode that would trap to M-mode are handed to
// it instead (the built-in SBI). Without one, the trap is taken normally (M-mode firmware
// such as OpenSBI runs in the guest).
namespace strata {

class Hart;

class Firmware {
 public:
  virtual ~Firmware() = default;
  // Handles the call described by the hart's a0..a7; returns false to take the trap instead.
  virtual bool ecall(Hart& hart) = 0;
};

}  // namespace strata
