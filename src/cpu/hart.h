#pragma once
// One RISC-V hart (RV64GC + Zba/Zbb/Zbs/Zicond, M/S/U). Its state is public so engines
// and tests can reach it; privileged state changes go through the functions in trap.h,
// csr/csr.h and the setters here, never by hand elsewhere.
#include <array>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "cpu/csr_state.h"
#include "cpu/engine.h"
#include "cpu/engine_kind.h"
#include "cpu/exit.h"
#include "cpu/priv.h"
#include "cpu/tlb.h"
#include "cpu/translator.h"

namespace strata {

class Bus;
class CodePages;
class Firmware;

// A source of the `time` CSR and timer comparisons, in ticks of the timebase.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual uint64_t now() const = 0;
};

struct HartConfig {
  uint64_t hart_id = 0;
  bool user_abi = false;         // user-mode emulation: ecalls and faults leave run()
  bool trap_misaligned = false;  // misaligned loads/stores: trap (true) or emulate (false)
  bool hardware_ad = true;       // update PTE A/D bits in hardware (false: page fault)
  uint64_t reset_pc = 0x1000;
  EngineConfig engine;  // the interpreter unless a front end chooses
};

class Hart {
 public:
  // The bus (when given) must outlive the hart: its code-page tracker does.
  Hart(const HartConfig& config, Bus* bus, Translator* translator, const Clock* clock);
  ~Hart();
  Hart(const Hart&) = delete;
  Hart& operator=(const Hart&) = delete;

  // Runs at most `budget` instructions. Never throws.
  Exit run(uint64_t budget) { return engine_->run(*this, budget); }
  void reset();

  // --- Architectural state -------------------------------------------------------------
  std::array<uint64_t, 33> x{};  // x[32] is the sink for writes to x0 (see kZeroSink)
  std::array<uint64_t, 32> f{};  // NaN-boxed
  uint64_t pc = 0;
  Priv priv = Priv::M;
  CsrState csr;

  // LR/SC: the reserved address and the value seen by LR (SC compares-and-swaps it).
  bool reserved = false;
  unsigned reserved_size = 0;  // an SC of another width than its LR fails
  uint64_t reserved_addr = 0;
  uint64_t reserved_value = 0;

  // Set when a fault leaves run() in user-ABI mode.
  uint64_t trap_tval = 0;

  HartConfig config;
  Bus* bus;
  Translator* translator;
  const Clock* clock;
  Firmware* firmware = nullptr;
  Engine* engine() { return engine_.get(); }
  // The tracker of code pages this hart shares with the others of its machine or process:
  // the bus's when there is one, else the hart's own until set_code_pages() (user mode
  // gives every thread's hart the process's tracker).
  CodePages* code_pages = nullptr;
  void set_code_pages(CodePages* pages);
  // Guest memory [pa, pa+size) was written (a store's slow path, a firmware or emulator
  // write): the tracker counts it, and this hart's engine drops code it derived from those
  // bytes. True when it did, so a running instruction must leave to the dispatcher.
  bool code_written(uint64_t pa, unsigned size);
  void set_engine(std::unique_ptr<Engine> engine) { engine_ = std::move(engine); }

  // --- Soft TLB ----------------------------------------------------------------------------
  // One TLB per privilege context; `itlb` serves fetches at the current privilege and
  // `dtlb` data accesses at the effective data privilege (MPRV).
  std::array<Tlb, 4> tlbs;
  Tlb* itlb = &tlbs[3];
  Tlb* dtlb = &tlbs[3];
  Priv data_priv() const;  // privilege used for loads and stores (MPRV/MPP)
  void update_contexts();  // call after priv, mstatus or satp change
  void flush_tlbs();       // every entry of every context
  void flush_tlb_page(uint64_t va);
  // Stores into physical page `pa_page` leave the fast path of every context, so an engine
  // that just derived code from it hears of each one.
  void stop_fast_writes(uint64_t pa_page);

  // --- What the engine running this hart shares with the rest of the emulator ----------
  // Requests that stop the current run() at the next dispatch point.
  bool exit_pending = false;
  Exit pending_exit{ExitReason::BudgetSpent};
  void request_exit(Exit e) {
    exit_pending = true;
    pending_exit = e;
  }
  // Set when interrupt state may have changed: the dispatcher re-evaluates interrupts.
  std::atomic<bool> irq_check{true};
  // Instructions attempted in the current run() and how many of those trapped (they do not
  // retire). The counters CSRs add the live part of the current run through these.
  // `steps` is brought up to date when the engine returns to its dispatcher from a stretch
  // of instructions it runs without counting each (a chain of interpreter handlers, a
  // translated block); while one runs, chain_len - chain_left of its instructions have
  // finished as far as the engine has said.
  uint64_t steps = 0;
  uint64_t not_retired = 0;
  uint32_t chain_len = 0;
  uint32_t chain_left = 0;
  uint64_t live_steps() const { return steps + chain_len - chain_left; }
  uint64_t instret() const { return csr.minstret + live_steps() - not_retired; }
  uint64_t cycles() const { return csr.mcycle + live_steps(); }
  // The bookkeeping every engine's run() starts and ends with: begin_run() clears the run's
  // counts and exit requests, honours requests from other threads and refreshes timer bits;
  // commit_steps() adds the instructions counted so far to minstret and mcycle (an engine that
  // hands part of its run to another commits first); end_run() commits and gives the exit
  // that was requested, or BudgetSpent.
  void begin_run();
  void commit_steps();
  Exit end_run();
  // Requests from other threads (user-mode mmap changes, remote fence.i), honoured at the
  // next dispatch point.
  std::atomic<bool> tlb_flush_request{false};
  std::atomic<bool> code_flush_request{false};
  // A fence.i asked by another thread (an SBI remote fence, riscv_flush_icache).
  std::atomic<bool> code_sync_request{false};
  // Carries out the requests above; only on the hart's own thread, outside any handler.
  // Also notices pages that became code since the last call (on any hart): stores into
  // them must leave this hart's soft-TLB fast path.
  void honour_requests();

  // --- Interrupt lines (callable from device threads) -----------------------------------
  void set_pending(unsigned bit, bool level);
  // Blocks until an interrupt is pending-and-enabled-for-wakeup, kick() is called, or
  // `timeout_ns` passes; false when the time ran out.
  bool wait_for_interrupt(uint64_t timeout_ns);
  // Wakes a waiting hart (external events, a changed timer deadline, the machine stopping);
  // a kick while the hart runs makes its next wait return at once.
  void kick();

 private:
  std::unique_ptr<CodePages> own_code_pages_;  // before engine_: it outlives the engine
  std::unique_ptr<Engine> engine_;
  uint64_t code_epoch_seen_ = 0;
  std::mutex wake_mutex_;
  std::condition_variable wake_;
  bool kicked_ = false;  // guarded by wake_mutex_
};

}  // namespace strata
