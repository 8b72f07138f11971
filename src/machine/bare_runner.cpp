#include "machine/bare_runner.h"

#include <fmt/format.h>
#include <time.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <optional>

#include "cpu/hart.h"
#include "cpu/mmu/system_mmu.h"
#include "cpu/trap.h"
#include "devices/syscon.h"
#include "machine/elf_image.h"
#include "machine/htif.h"
#include "machine/instruction_trace.h"
#include "mem/bus.h"
#include "mem/guest_ram.h"
#include "util/error.h"
#include "util/log.h"

namespace strata {
namespace {

// The bare machine's map: the virt board's addresses for the devices it has.
constexpr uint64_t kRamBase = 0x80000000;
constexpr uint64_t kSysconBase = 0x100000;

// Instructions per run slice: between slices the runner polls tohost and the syscon. Small
// enough that a finished program stops within microseconds, large enough that polling
// costs nothing measurable.
constexpr uint64_t kSlice = 20000;

// Host CLOCK_MONOTONIC at the virt board's 10 MHz timebase, from zero at start.
class MonotonicClock final : public Clock {
 public:
  MonotonicClock() : start_(raw()) {}
  uint64_t now() const override { return (raw() - start_) / 100; }

 private:
  static uint64_t raw() {
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return uint64_t(ts.tv_sec) * 1'000'000'000 + uint64_t(ts.tv_nsec);
  }
  uint64_t start_;
};

void write_output(int fd, const uint8_t* bytes, uint64_t size) {
  std::FILE* out = fd == 2 ? stderr : stdout;
  std::fwrite(bytes, 1, size, out);
  if (fd == 2) std::fflush(stdout);
}

class BareMachine {
 public:
  explicit BareMachine(const BareOptions& options)
      : options_(options), ram_(kRamBase, options.memory_bytes), mmu_(bus_) {
    bus_.add_ram(ram_);
    bus_.map(kSysconBase, Syscon::kSize, syscon_);
    const ElfImage image = load_elf(options.program, ram_);
    const auto tohost = image.symbol("tohost");
    HartConfig config;
    config.hart_id = 0;
    config.reset_pc = image.entry;
    hart_ = std::make_unique<Hart>(config, &bus_, &mmu_, &clock_);
    if (tohost) htif_.emplace(bus_, *tohost, image.symbol("fromhost"), write_output);
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
  MonotonicClock clock_;
  Syscon syscon_;
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
// mie fires; with none armed nothing can ever wake it, which ends the run.
std::optional<int> BareMachine::wait_for_interrupt() {
  Hart& h = *hart_;
  constexpr uint64_t kSTCE = 1ull << 63;
  for (;;) {
    update_timer_interrupts(h);
    if (interrupt_waiting(h)) return std::nullopt;
    const bool sstc_armed =
        (h.csr.mie & (1ull << irq::kSTI)) && (h.csr.menvcfg & kSTCE) && h.csr.stimecmp != ~0ull;
    if (!sstc_armed) {
      std::fflush(stdout);
      fmt::print(stderr,
                 "strata: wfi at 0x{:x} waits for an interrupt that nothing can raise (mie=0x{:x}, no timer "
                 "armed): stopping\n",
                 h.pc - 4, h.csr.mie);
      return stop(kBareFail);
    }
    const uint64_t now = clock_.now();
    const uint64_t ticks = h.csr.stimecmp > now ? h.csr.stimecmp - now : 0;
    std::fflush(stdout);
    h.wait_for_interrupt(std::min<uint64_t>(ticks, 100'000) * 100);  // at most 10 ms at a time
  }
}

int BareMachine::run() {
  Hart& h = *hart_;
  const uint64_t limit = options_.max_instructions;
  uint64_t executed = 0;
  for (;;) {
    uint64_t budget = trace_ ? 1 : kSlice;
    if (limit) budget = std::min(budget, limit - executed);
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
