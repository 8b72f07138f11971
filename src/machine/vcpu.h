#pragma once
// One hart of the board on its own host thread. The loop runs the hart in slices of
// instructions; between slices it brings the timers up to date and handles why the slice
// ended. An idle guest costs no host CPU: on WFI the thread sleeps in
// Hart::wait_for_interrupt until the hart's next timer deadline (CLINT mtimecmp, Sstc
// stimecmp, or an SBI timer without Sstc) or a kick (an interrupt line, an IPI, the machine
// stopping). A hart in the HSM STOPPED state parks until hart_start; a SUSPENDED one sleeps
// until an interrupt is pending and enabled.
//
// Everything that touches the hart's architectural state runs on this thread; other threads
// only set interrupt lines, flush requests and the HSM state, and wake the thread.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "cpu/hart.h"
#include "cpu/mmu/system_mmu.h"
#include "machine/sbi/sbi_abi.h"

namespace strata {

class Board;

class Vcpu {
 public:
  // Instructions per run() slice: timers are checked between slices, so this bounds the
  // timer latency (a fraction of a millisecond at interpreter speed).
  static constexpr uint64_t kSlice = 50'000;
  static constexpr uint64_t kNever = ~0ull;
  // A hart that has slept this long gives its decoded-code cache back to the host: an idle
  // guest then costs little memory as well as no CPU. Re-decoding what the next wake-up runs
  // costs about a millisecond; shorter naps (an SMP guest's harts wake each other all the
  // time) keep the cache.
  static constexpr uint64_t kReleaseCodeAfterNs = 100'000'000;

  Vcpu(Board& board, unsigned index, const HartConfig& config, Bus& bus, const Clock& clock);
  ~Vcpu();
  Vcpu(const Vcpu&) = delete;
  Vcpu& operator=(const Vcpu&) = delete;

  unsigned index() const { return index_; }
  Hart& hart() { return hart_; }
  SystemMmu& mmu() { return mmu_; }

  void start_thread();
  void join();
  // Wakes the thread wherever it sleeps (WFI, parked, suspended).
  void wake();

  // --- HSM (any thread) ---------------------------------------------------------------
  sbi::HartState state() const { return state_.load(); }
  void set_state(sbi::HartState s) { state_.store(s); }
  // STOPPED -> START_PENDING with the entry the thread applies before running. False when
  // the hart was not STOPPED.
  bool request_start(uint64_t start_addr, uint64_t opaque);

  // --- Timer without Sstc (the caller's own thread) ------------------------------------
  void set_sbi_deadline(uint64_t deadline) { sbi_deadline_.store(deadline); }

  // --- Remote fences (another hart's thread) -------------------------------------------
  // ask_* requests the fence; await_* waits until this hart has honoured it or is outside
  // run() (then it honours it before it runs again). Asking several harts before awaiting
  // any lets them work in parallel.
  void ask_fence_i();
  void await_fence_i();
  void ask_sfence_vma();
  void await_sfence_vma();

 private:
  void thread_main();
  void loop();
  void park_until_started();
  void after_slice();
  void handle_exit(const Exit& exit);
  void idle();
  // Sleeps until an interrupt or a kick, at most `ns`; the code cache goes after kReleaseCodeAfterNs.
  void sleep(uint64_t ns);
  void release_code();
  uint64_t ns_until_next_timer() const;
  void wait_until_consumed(const std::atomic<bool>& request);
  std::string describe_m_trap() const;

  Board& board_;
  unsigned index_;
  SystemMmu mmu_;
  Hart hart_;
  std::thread thread_;

  std::atomic<sbi::HartState> state_{sbi::HartState::Stopped};
  std::mutex park_mutex_;
  std::condition_variable park_cv_;
  uint64_t start_addr_ = 0, start_opaque_ = 0;  // guarded by park_mutex_

  std::atomic<uint64_t> sbi_deadline_{kNever};
  std::atomic<bool> in_run_{false};
};

}  // namespace strata
