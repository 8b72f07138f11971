// The board as the built-in SBI firmware's platform: HSM states kept by the vCPUs, timers,
// IPIs, remote fences, the console and system reset.
#include "cpu/csr/csr.h"
#include "cpu/trap.h"
#include "devices/char_backend.h"
#include "machine/board.h"

namespace strata {

namespace {
constexpr uint16_t kStimecmp = 0x14d;
constexpr uint64_t kMenvcfgSTCE = 1ull << 63;
}  // namespace

int64_t Board::hart_start(uint64_t hartid, uint64_t start_addr, uint64_t opaque) {
  if (hartid >= vcpus_.size()) return sbi::kErrInvalidParam;
  return vcpus_[hartid]->request_start(start_addr, opaque) ? sbi::kSuccess : sbi::kErrAlreadyAvailable;
}

int64_t Board::hart_stop(Hart& caller) {
  Vcpu& v = *vcpus_.at(caller.csr.mhartid);
  if (v.state() != sbi::HartState::Started) return sbi::kErrFailed;
  v.set_state(sbi::HartState::Stopped);
  return sbi::kSuccess;
}

int64_t Board::hart_suspend(Hart& caller, bool retentive) {
  Vcpu& v = *vcpus_.at(caller.csr.mhartid);
  if (v.state() != sbi::HartState::Started) return sbi::kErrFailed;
  v.set_state(sbi::HartState::Suspended);
  return sbi::kSuccess;
}

void Board::set_timer(Hart& caller, uint64_t deadline) {
  // With Sstc enabled STIP follows stimecmp alone, so the SBI timer is stimecmp, as
  // OpenSBI does it; otherwise the vCPU raises STIP itself when the deadline passes.
  if (caller.csr.menvcfg & kMenvcfgSTCE) {
    const Priv priv = caller.priv;
    caller.priv = Priv::M;  // firmware's access: no mcounteren/STCE gate
    csr_write(caller, kStimecmp, deadline);
    caller.priv = priv;
    return;
  }
  Vcpu& v = *vcpus_.at(caller.csr.mhartid);
  v.set_sbi_deadline(deadline);
  if (caller.clock && caller.clock->now() >= deadline) {
    v.set_sbi_deadline(Vcpu::kNever);
    caller.set_pending(irq::kSTI, true);
  }
}

void Board::send_ipi(uint64_t hartid) {
  Vcpu& v = *vcpus_.at(hartid);
  v.hart().set_pending(irq::kSSI, true);
  v.wake();
}

// Remote fences ask every target first and only then wait for each, so the targets honour
// them in parallel: one round trip for the call, not one per hart.
void Board::remote_fence_i(std::span<const uint64_t> hartids) {
  for (uint64_t id : hartids) vcpus_.at(id)->ask_fence_i();
  for (uint64_t id : hartids) vcpus_.at(id)->await_fence_i();
}

void Board::remote_sfence_vma(std::span<const uint64_t> hartids, const sbi::FenceRange& range) {
  // Every translation goes: simpler than ranges, and allowed.
  for (uint64_t id : hartids) vcpus_.at(id)->ask_sfence_vma();
  for (uint64_t id : hartids) vcpus_.at(id)->await_sfence_vma();
}

void Board::console_write(std::span<const uint8_t> bytes) {
  if (config_.console) config_.console->write(bytes);
}

int Board::console_read() {
  sbi_console_in_use_.store(true);
  std::lock_guard lock(sbi_input_mutex_);
  if (sbi_input_.empty()) return -1;
  const uint8_t byte = sbi_input_.front();
  sbi_input_.pop_front();
  return byte;
}

void Board::console_input(uint8_t byte) {
  uart_.receive(byte);
  if (!sbi_console_in_use_.load()) return;
  std::lock_guard lock(sbi_input_mutex_);
  if (sbi_input_.size() < kSbiInputLimit) sbi_input_.push_back(byte);
}

int64_t Board::system_reset(sbi::ResetType type, sbi::ResetReason reason) {
  if (type == sbi::ResetType::Shutdown && reason == sbi::ResetReason::SystemFailure)
    request_stop(kGuestFailed, "the guest shut down reporting a system failure");
  else
    request_stop(kGuestDone);
  return sbi::kSuccess;
}

}  // namespace strata
