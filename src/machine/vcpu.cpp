#include "machine/vcpu.h"

#include <fmt/format.h>

#include <algorithm>
#include <exception>

#include "cpu/trap.h"
#include "devices/host_clock.h"
#include "machine/board.h"
#include "machine/sbi/hart_entry.h"

namespace strata {

namespace {

constexpr uint64_t kMenvcfgSTCE = 1ull << 63;

// The vCPU whose thread this is (null on other threads): a hart waiting for a remote fence
// honours the fences others asked of it meanwhile, so two harts fencing each other at the
// same moment cannot wait for each other forever.
thread_local Vcpu* current_vcpu = nullptr;

const char* exit_name(ExitReason r) {
  switch (r) {
    case ExitReason::BudgetSpent:
      return "budget spent";
    case ExitReason::WaitForInterrupt:
      return "wfi";
    case ExitReason::Breakpoint:
      return "breakpoint";
    case ExitReason::Shutdown:
      return "shutdown";
    case ExitReason::Reset:
      return "reset";
    case ExitReason::Syscall:
      return "user-mode syscall";
    case ExitReason::UserTrap:
      return "user-mode trap";
    case ExitReason::Fatal:
      return "fatal";
  }
  return "?";
}

}  // namespace

Vcpu::Vcpu(Board& board, unsigned index, const HartConfig& config, Bus& bus, const Clock& clock)
    : board_(board), index_(index), mmu_(bus), hart_(config, &bus, &mmu_, &clock) {}

Vcpu::~Vcpu() { join(); }

void Vcpu::start_thread() {
  thread_ = std::thread([this] { thread_main(); });
}

void Vcpu::join() {
  if (thread_.joinable()) thread_.join();
}

void Vcpu::wake() {
  hart_.kick();
  { std::lock_guard lock(park_mutex_); }
  park_cv_.notify_all();
}

bool Vcpu::request_start(uint64_t start_addr, uint64_t opaque) {
  std::lock_guard lock(park_mutex_);
  sbi::HartState expected = sbi::HartState::Stopped;
  if (!state_.compare_exchange_strong(expected, sbi::HartState::StartPending)) return false;
  start_addr_ = start_addr;
  start_opaque_ = opaque;
  park_cv_.notify_all();
  return true;
}

void Vcpu::thread_main() {
  current_vcpu = this;
  try {
    loop();
  } catch (const std::exception& e) {
    board_.request_stop(kGuestFatal, fmt::format("hart {}: {}", index_, e.what()));
  }
  current_vcpu = nullptr;
}

void Vcpu::loop() {
  while (!board_.stopping()) {
    const sbi::HartState s = state_.load();
    if (s == sbi::HartState::Stopped || s == sbi::HartState::StartPending) {
      park_until_started();
      continue;
    }
    if (s == sbi::HartState::Suspended) {
      after_slice();
      if (interrupt_waiting(hart_)) {
        state_ = sbi::HartState::Started;
      } else {
        sleep(ns_until_next_timer());
      }
      continue;
    }
    in_run_.store(true);
    const Exit exit = hart_.run(kSlice);
    in_run_.store(false);
    after_slice();
    handle_exit(exit);
  }
}

void Vcpu::park_until_started() {
  std::unique_lock lock(park_mutex_);
  park_cv_.wait(lock, [this] { return state_.load() == sbi::HartState::StartPending || board_.stopping(); });
  if (board_.stopping()) return;
  const uint64_t addr = start_addr_, opaque = start_opaque_;
  lock.unlock();
  enter_supervisor(hart_, addr, hart_.csr.mhartid, opaque);
  state_ = sbi::HartState::Started;
}

void Vcpu::after_slice() {
  board_.clint().update_timers();
  update_timer_interrupts(hart_);
  const uint64_t deadline = sbi_deadline_.load();
  if (deadline != kNever && hart_.clock->now() >= deadline) {
    sbi_deadline_ = kNever;
    hart_.set_pending(irq::kSTI, true);
  }
  if (board_.builtin_sbi() && hart_.priv == Priv::M && !board_.stopping())
    board_.request_stop(kGuestFatal, describe_m_trap());
}

void Vcpu::handle_exit(const Exit& exit) {
  switch (exit.reason) {
    case ExitReason::BudgetSpent:
      return;
    case ExitReason::WaitForInterrupt:
      // hart_stop and hart_suspend also leave run() this way, with the state already changed.
      if (state_.load() == sbi::HartState::Started) idle();
      return;
    case ExitReason::Shutdown:
      board_.request_stop(exit.detail == 0 ? kGuestDone : kGuestFailed,
                          exit.detail == 0 ? "" : "the guest reported a system failure");
      return;
    case ExitReason::Reset:
      board_.request_stop(kGuestDone);
      return;
    default:
      board_.request_stop(kGuestFatal, fmt::format("hart {}: stopped by {} (detail {:#x}) at pc {:#x}",
                                                   index_, exit_name(exit.reason), exit.detail, hart_.pc));
  }
}

void Vcpu::idle() {
  const uint64_t ns = ns_until_next_timer();
  if (ns == 0) return;
  sleep(ns);
}

void Vcpu::sleep(uint64_t ns) {
  if (ns > kReleaseCodeAfterNs) {
    if (hart_.wait_for_interrupt(kReleaseCodeAfterNs)) return;
    release_code();
    ns -= kReleaseCodeAfterNs;
  }
  hart_.wait_for_interrupt(ns);
}

void Vcpu::release_code() {
  hart_.engine()->flush_code(hart_);
  // The engine frees dropped pages when run() ends (a handler may still be using one while
  // it runs); an empty run() lets it do that before the thread sleeps.
  hart_.run(0);
}

uint64_t Vcpu::ns_until_next_timer() const {
  // A timer whose interrupt is already pending needs no wake-up (it would only spin).
  const uint64_t mip = hart_.csr.mip.load();
  uint64_t deadline = kNever;
  if (!(mip & (1ull << irq::kMTI))) deadline = std::min(deadline, board_.clint().mtimecmp(index_));
  if ((hart_.csr.menvcfg & kMenvcfgSTCE) && !(mip & (1ull << irq::kSTI)))
    deadline = std::min(deadline, hart_.csr.stimecmp);
  deadline = std::min(deadline, sbi_deadline_.load());
  if (deadline == kNever) return UINT64_MAX;
  const uint64_t now = hart_.clock->now();
  return deadline <= now ? 0 : ticks_to_ns(deadline - now);
}

void Vcpu::wait_until_consumed(const std::atomic<bool>& request) {
  // The request is taken at the target's next fetch of a new page, or at its next run() if
  // it is outside run() now (a sleeping or parked hart is never waited for).
  for (unsigned spins = 0; request.load() && in_run_.load() && !board_.stopping(); spins++) {
    if (current_vcpu) current_vcpu->hart().honour_requests();  // the ecall leaves to the dispatcher
    if (spins < 100)
      std::this_thread::yield();
    else
      std::this_thread::sleep_for(std::chrono::microseconds(20));
  }
}

void Vcpu::ask_fence_i() { hart_.code_sync_request.store(true); }
void Vcpu::await_fence_i() { wait_until_consumed(hart_.code_sync_request); }

void Vcpu::ask_sfence_vma() {
  mmu_.request_flush();
  hart_.tlb_flush_request.store(true);
}
void Vcpu::await_sfence_vma() { wait_until_consumed(hart_.tlb_flush_request); }

std::string Vcpu::describe_m_trap() const {
  const Hart& h = hart_;
  return fmt::format(
      "hart {}: a trap reached M-mode, where the built-in SBI has no firmware: mcause {:#x}, mepc {:#x}, "
      "mtval {:#x}",
      index_, h.csr.mcause, h.csr.mepc, h.csr.mtval);
}

}  // namespace strata
