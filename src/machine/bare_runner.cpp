#include "machine/bare_runner.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <optional>

#include "cpu/hart.h"
#include "cpu/mmu/system_mmu.h"
#include "cpu/trap.h"
#include "devices/clint.h"
#include "devices/host_clock.h"
#include "devices/syscon.h"
#include "devices/uart16550.h"
#include "machine/elf_image.h"
#include "machine/htif.h"
#include "machine/instruction_trace.h"
#include "machine/memory_map.h"
#include "mem/bus.h"
#include "mem/guest_ram.h"
#include "util/error.h"
#include "util/log.h"

namespace strata {
namespace {

// The bare machine has the virt board's RAM, syscon and CLINT, at the board's addresses.
constexpr uint64_t kRamBase = virt::kRamBase;
constexpr uint64_t kSysconBase = virt::kSyscon.base;
constexpr uint64_t kClintBase = virt::kClint.base;
constexpr uint64_t kUartBase = virt::kUart.base;

// Instructions per run slice: between slices the runner polls tohost and the syscon. Small
// enough that a finished program stops within microseconds, large enough that polling
// costs nothing measurable.
constexpr uint64_t kSlice = 20000;

// The UART's output goes to stdout, like HTIF console output; a bare program gets no input
// (and the terminal stays as it is).
class StdoutBackend final : public CharBackend {
 public:
  void write(std::span<const uint8_t> bytes) override { std::fwrite(bytes.data(), 1, bytes.size(), stdout); }
};

void write_output(int fd, const uint8_t* bytes, uint64_t size) {
  std::FILE* out = fd == 2 ? stderr : stdout;
  std::fwrite(bytes, 1, size, out);
  if (fd == 2) std::fflush(stdout);
}

class BareMachine {
 public:
  explicit BareMachine(const BareOptions& options)
      : options_(options),
        ram_(kRamBase, options.memory_bytes),
        mmu_(bus_),
        clint_(host_clock_, 1),
        uart_(&uart_output_, IrqLine{}) {
    bus_.add_ram(ram_);
    bus_.map(kSysconBase, Syscon::kSize, syscon_);
    bus_.map(kClintBase, Clint::kSize, clint_);
    bus_.map(kUartBase, Uart16550::kSize, uart_);
    const ElfImage image = load_elf(options.program, ram_);
    const auto tohost = image.symbol("tohost");
    HartConfig config;
    config.hart_id = 0;
    config.reset_pc = image.entry;
    config.engine = options.engine;
    hart_ = std::make_unique<Hart>(config, &bus_, &mmu_, &clint_.clock());
    clint_.attach(0, *hart_);
    if (tohost) {
      try {
        htif_.emplace(bus_, *tohost, image.symbol("fromhost"), write_output);
      } catch (const Error& e) {
        fail("{}: {}", options.program, e.what());
      }
    }
    if (options.trace) trace_.emplace(stderr);
  }

  int run();

 private:
  std::optional<int> finished();
  std::optional<int> wait_for_interrupt();
  uint64_t executed_in(uint64_t budget, uint64_t cycles_before, const Exit& exit) const;
  int stop(int status) {
    if (trace_) trace_->flush();
    std::fflush(stdout);
    return status;
  }

  const BareOptions& options_;
  GuestRam ram_;
  Bus bus_;
  SystemMmu mmu_;
  HostClock host_clock_;
  Clint clint_;
  Syscon syscon_;
  StdoutBackend uart_output_;
  Uart16550 uart_;
  std::unique_ptr<Hart> hart_;
  std::optional<Htif> htif_;
  std::optional<InstructionTrace> trace_;
};

// How many instructions a run() of `budget` consumed: all of it unless it left early.
uint64_t BareMachine::executed_in(uint64_t budget, uint64_t cycles_before, const Exit& exit) const {
  if (exit.reason == ExitReason::BudgetSpent) return budget;
  return std::min(budget, hart_->csr.mcycle - cycles_before);
}

// The exit status when the program has ended through HTIF or the syscon.
std::optional<int> BareMachine::finished() {
  if (htif_) {
    if (const auto exit = htif_->poll()) {
      if (exit->code == 0) return stop(kBarePass);
      std::fflush(stdout);
      fmt::print(stderr, "FAIL: test {}\n", exit->code);
      return stop(kBareFail);
    }
  }
  const Syscon::Outcome outcome = syscon_.outcome();
  switch (outcome.request) {
    case Syscon::Request::None:
      return std::nullopt;
    case Syscon::Request::PowerOff:
      return stop(kBarePass);
    case Syscon::Request::Reboot:
      std::fflush(stdout);
      note("the program asked the syscon for a reboot: stopping");
      return stop(kBarePass);
    case Syscon::Request::Fail:
      std::fflush(stdout);
      fmt::print(stderr, "FAIL: syscon code {}\n", outcome.code);
      return stop(kBareFail);
  }
  return std::nullopt;
}

// The hart executed WFI with no interrupt pending. It sleeps until a timer it enabled in
// mie fires (the CLINT's mtimecmp or Sstc's stimecmp); with none armed nothing can ever
// wake it (a bare machine has one hart and no external interrupts), which ends the run.
std::optional<int> BareMachine::wait_for_interrupt() {
  Hart& h = *hart_;
  constexpr uint64_t kSTCE = 1ull << 63;
  constexpr uint64_t kMaxSleepNs = 10'000'000;
  for (;;) {
    clint_.update_timers();
    update_timer_interrupts(h);
    if (interrupt_waiting(h)) return std::nullopt;
    const bool mtimer_armed = (h.csr.mie & (1ull << irq::kMTI)) && clint_.mtimecmp(0) != Clint::kNoDeadline;
    const bool stimer_armed =
        (h.csr.mie & (1ull << irq::kSTI)) && (h.csr.menvcfg & kSTCE) && h.csr.stimecmp != ~0ull;
    if (!mtimer_armed && !stimer_armed) {
      std::fflush(stdout);
      fmt::print(stderr,
                 "strata: wfi at 0x{:x} waits for an interrupt that nothing can raise (mie=0x{:x}, no timer "
                 "armed): stopping\n",
                 h.pc - 4, h.csr.mie);
      return stop(kBareFail);
    }
    std::fflush(stdout);
    h.wait_for_interrupt(std::min(clint_.ns_until_deadline(0), kMaxSleepNs));
  }
}

int BareMachine::run() {
  Hart& h = *hart_;
  const uint64_t limit = options_.max_instructions;
  uint64_t executed = 0;
  for (;;) {
    uint64_t budget = trace_ ? 1 : kSlice;
    if (limit) budget = std::min(budget, limit - executed);
    clint_.update_timers();
    if (trace_) trace_->before_step(h);
    const uint64_t cycles_before = h.csr.mcycle;
    const Exit exit = h.run(budget);
    executed += executed_in(budget, cycles_before, exit);
    if (const auto status = finished()) return *status;
    switch (exit.reason) {
      case ExitReason::BudgetSpent:
        break;
      case ExitReason::WaitForInterrupt:
        if (const auto status = wait_for_interrupt()) return *status;
        break;
      case ExitReason::Shutdown:
        return stop(exit.detail == 0 ? kBarePass : kBareFail);
      case ExitReason::Reset:
        return stop(kBarePass);
      default:
        std::fflush(stdout);
        fmt::print(stderr, "strata: the hart stopped at pc 0x{:x} (exit reason {}, detail {})\n", h.pc,
                   unsigned(exit.reason), exit.detail);
        return stop(kBareFail);
    }
    if (limit && executed >= limit) {
      std::fflush(stdout);
      fmt::print(stderr, "strata: stopped after {} instructions (--max-instructions) at pc 0x{:x}\n",
                 executed, h.pc);
      return stop(kBareInstructionLimit);
    }
  }
}

}  // namespace

int run_bare(const BareOptions& options) {
  std::unique_ptr<BareMachine> machine;
  try {
    machine = std::make_unique<BareMachine>(options);
  } catch (const Error& e) {
    fmt::print(stderr, "strata: {}\n", e.what());
    return kBareBadInput;
  }
  return machine->run();
}

}  // namespace strata
