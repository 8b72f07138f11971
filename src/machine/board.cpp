#include "machine/board.h"

#include <fmt/format.h>
#include <sys/random.h>

#include <cstdio>

#include "devices/char_backend.h"
#include "devices/virtio/blk/device.h"
#include "devices/virtio/console/device.h"
#include "devices/virtio/net/make_virtio_net.h"
#include "devices/virtio/rng/device.h"
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
      plic_(config.harts),
      uart_(config.console, IrqLine{&plic_, virt::kUartIrq}),
      firmware_(*this) {
  if (config.harts == 0 || config.harts > virt::kMaxHarts)
    fail("--cpus: the virt board has 1 to {} harts, not {}", virt::kMaxHarts, config.harts);
  bus_.add_ram(ram_);
  bus_.add_ram(rom_);
  bus_.map(virt::kClint.base, virt::kClint.size, clint_);
  bus_.map(virt::kSyscon.base, virt::kSyscon.size, syscon_);
  bus_.map(virt::kPlic.base, virt::kPlic.size, plic_);
  bus_.map(virt::kUart.base, virt::kUart.size, uart_);
  syscon_.set_callback([this](const Syscon::Outcome& outcome) { on_syscon(outcome); });
  if (config.console) config.console->set_input_sink([this](uint8_t byte) { console_input(byte); });

  for (unsigned i = 0; i < config.harts; i++) {
    HartConfig hc;
    hc.hart_id = i;
    hc.reset_pc = virt::kBootRom.base;
    hc.engine = config.engine;
    vcpus_.push_back(std::make_unique<Vcpu>(*this, i, hc, bus_, clint_.clock()));
    clint_.attach(i, vcpus_.back()->hart());
    plic_.attach(i, vcpus_.back()->hart());
  }

  for (const virtio::blk::DriveOptions& drive : config.drives) add_virtio(virtio::BlockDevice::open(drive));
  if (config.net.kind != NetKind::None) add_virtio(virtio::make_virtio_net(config.net));
  if (config.virtio_console) add_virtio(std::make_unique<virtio::ConsoleDevice>(*config.virtio_console));
  if (config.rng) add_virtio(std::make_unique<virtio::RngDevice>());
}

void Board::add_virtio(std::unique_ptr<virtio::Device> device) {
  const unsigned slot = unsigned(virtio_devices_.size());
  if (slot >= virt::kVirtioSlots) fail("too many virtio devices: the board has {} slots", virt::kVirtioSlots);
  auto transport =
      std::make_unique<virtio::MmioTransport>(*device, bus_, IrqLine{&plic_, virt::virtio_irq(slot)});
  const virt::Region r = virt::virtio_slot(slot);
  bus_.map(r.base, r.size, *transport);
  virtio_transports_.push_back(std::move(transport));
  virtio_devices_.push_back(std::move(device));
}

std::vector<unsigned> Board::virtio_slots() const {
  std::vector<unsigned> slots;
  for (unsigned i = 0; i < virtio_devices_.size(); i++) slots.push_back(i);
  return slots;
}

virtio::Device& Board::virtio_device(unsigned slot) { return *virtio_devices_.at(slot); }

Board::~Board() {
  request_stop(kGuestDone);
  for (auto& v : vcpus_) v->join();
  // Device threads (disk workers, network back ends) end before the transports go.
  virtio_devices_.clear();
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
  c.virtio_slots = virtio_slots();
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
