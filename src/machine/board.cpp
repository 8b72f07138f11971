#include "machine/board.h"

#include <fmt/format.h>
#include <sys/random.h>

#include <cstdio>

#include "devices/char_backend.h"
#include "machine/boot_rom.h"
#include "machine/builtin_boot.h"
#include "machine/memory_map.h"
#include "machine/sbi/hart_entry.h"
#include "util/error.h"

namespace strata {

namespace {

std::vector<uint8_t> random_seed(size_t n) {
  std::vector<uint8_t> seed(n);
  size_t got = 0;
  while (got < n) {
    const ssize_t r = getrandom(seed.data() + got, n - got, 0);
    if (r <= 0) return {};  // no seed is better than a weak one: the guest gathers its own
    got += size_t(r);
  }
  return seed;
}

}  // namespace

Board::Board(const BoardConfig& config)
    : config_(config),
      ram_(virt::kRamBase, config.ram_size),
      rom_(virt::kBootRom.base, virt::kBootRom.size),
      clint_(host_clock_, config.harts),
      firmware_(*this) {
  if (config.harts == 0 || config.harts > virt::kMaxHarts)
    fail("--cpus: the virt board has 1 to {} harts, not {}", virt::kMaxHarts, config.harts);
  bus_.add_ram(ram_);
  bus_.add_ram(rom_);
  bus_.map(virt::kClint.base, virt::kClint.size, clint_);
  bus_.map(virt::kSyscon.base, virt::kSyscon.size, syscon_);
  syscon_.set_callback([this](const Syscon::Outcome& outcome) { on_syscon(outcome); });

  for (unsigned i = 0; i < config.harts; i++) {
    HartConfig hc;
    hc.hart_id = i;
    hc.reset_pc = virt::kBootRom.base;
    vcpus_.push_back(std::make_unique<Vcpu>(*this, i, hc, bus_, clint_.clock()));
    clint_.attach(i, vcpus_.back()->hart());
  }
}

Board::~Board() {
  request_stop(kGuestDone);
  for (auto& v : vcpus_) v->join();
}

BoardFdtConfig Board::fdt_config(const std::string& bootargs, uint64_t initrd_start,
                                 uint64_t initrd_end) const {
  static const std::vector<uint8_t> seed = random_seed(32);
  BoardFdtConfig c;
  c.harts = unsigned(vcpus_.size());
  c.ram_base = ram_.base();
  c.ram_size = ram_.size();
  c.bootargs = bootargs;
  c.initrd_start = initrd_start;
  c.initrd_end = initrd_end;
  c.rng_seed = seed;
  return c;
}

void Board::prepare_boot(const BootLayout& layout) {
  if (config_.builtin_sbi) {
    const uint64_t catcher = write_m_trap_catcher(rom_);
    for (auto& v : vcpus_) {
      prepare_builtin_sbi_hart(v->hart(), catcher);
      v->hart().firmware = &firmware_;
      v->set_state(sbi::HartState::Stopped);
    }
    enter_supervisor(vcpus_[0]->hart(), layout.kernel_entry, 0, layout.dtb_start);
    vcpus_[0]->set_state(sbi::HartState::Started);
    return;
  }
  FwDynamicInfo info;
  info.next_addr = layout.kernel_entry;
  info.boot_hart = 0;
  const uint64_t reset = write_reset_vector(rom_, layout.firmware_entry, layout.dtb_start, info);
  for (auto& v : vcpus_) {
    v->hart().reset();
    v->hart().pc = reset;
    v->set_state(sbi::HartState::Started);
  }
}

int Board::run() {
  for (auto& v : vcpus_) v->start_thread();
  {
    std::unique_lock lock(stop_mutex_);
    stop_cv_.wait(lock, [this] { return stopping(); });
  }
  for (auto& v : vcpus_) v->join();
  std::lock_guard lock(stop_mutex_);
  if (!stop_message_.empty()) std::fprintf(stderr, "strata: %s\n", stop_message_.c_str());
  return exit_status_;
}

void Board::request_stop(int status, const std::string& message) {
  {
    std::lock_guard lock(stop_mutex_);
    if (stopping_.load()) return;
    exit_status_ = status;
    stop_message_ = message;
    stopping_.store(true, std::memory_order_release);
  }
  stop_cv_.notify_all();
  for (auto& v : vcpus_) v->wake();
}

void Board::on_syscon(const Syscon::Outcome& outcome) {
  switch (outcome.request) {
    case Syscon::Request::PowerOff:
    case Syscon::Request::Reboot:
      request_stop(kGuestDone);
      break;
    case Syscon::Request::Fail:
      request_stop(kGuestFailed,
                   fmt::format("the guest reported failure {} through the syscon", outcome.code));
      break;
    case Syscon::Request::None:
      break;
  }
}

}  // namespace strata
