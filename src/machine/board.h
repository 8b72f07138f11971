#pragma once
// The virt board: guest RAM at 0x80000000, the boot ROM, the devices of memory_map.h on one
// bus, and N harts each on its own host thread (vcpu.h). It is also the SbiPlatform the
// built-in SBI firmware runs on (board_sbi.cpp).
//
// Life cycle: construct (devices, harts in reset), load the boot images into ram() (see
// boot_loader.h), prepare_boot(), run() until the guest powers off or reboots, a fatal
// error, or request_stop() from another thread (Ctrl-A X, a signal).
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "devices/clint.h"
#include "devices/host_clock.h"
#include "devices/plic.h"
#include "devices/syscon.h"
#include "devices/uart16550.h"
#include "devices/virtio/blk/drive_option.h"
#include "devices/virtio/mmio_transport.h"
#include "devices/virtio/virtio_device.h"
#include "machine/board_fdt.h"
#include "machine/boot_loader.h"
#include "machine/sbi/sbi_firmware.h"
#include "machine/sbi/sbi_platform.h"
#include "machine/vcpu.h"
#include "mem/bus.h"
#include "mem/guest_ram.h"
#include "net/net_option.h"

namespace strata {

class CharBackend;

// Exit statuses of `strata run --kernel` (also in its --help).
inline constexpr int kGuestDone = 0;    // powered off, rebooted, or the user quit
inline constexpr int kGuestFailed = 1;  // the guest reported a failure (SRST system failure, syscon)
inline constexpr int kBadInput = 2;     // refused before the guest started
inline constexpr int kGuestFatal = 3;   // the machine cannot go on (e.g. a trap into absent M-mode firmware)

struct BoardConfig {
  unsigned harts = 1;
  uint64_t ram_size = 256ull << 20;
  bool builtin_sbi = true;         // false: M-mode firmware (--bios) runs from the reset vector
  CharBackend* console = nullptr;  // the UART's and the SBI console's host side (null: discard)
  std::vector<virtio::blk::DriveOptions> drives;  // virtio-blk, in slot order (vda, vdb, ...)
  NetOption net = [] {                            // one virtio-net card unless None (the default)
    NetOption none;
    none.kind = NetKind::None;
    return none;
  }();
  CharBackend* virtio_console = nullptr;  // a virtio-console (hvc) on this back end, when set
  bool rng = true;                        // virtio-rng (host getrandom)
  EngineConfig engine;                    // what runs every hart's instructions
};

class Board final : public SbiPlatform {
 public:
  explicit Board(const BoardConfig& config);
  ~Board() override;
  Board(const Board&) = delete;
  Board& operator=(const Board&) = delete;

  const BoardConfig& config() const { return config_; }
  GuestRam& ram() { return ram_; }
  GuestRam& boot_rom() { return rom_; }
  Bus& bus() { return bus_; }
  Clint& clint() { return clint_; }
  Vcpu& vcpu(unsigned index) { return *vcpus_.at(index); }
  unsigned harts() const { return unsigned(vcpus_.size()); }
  bool builtin_sbi() const { return config_.builtin_sbi; }

  // The virtio-mmio slots in use, ascending.
  std::vector<unsigned> virtio_slots() const;
  virtio::Device& virtio_device(unsigned slot);

  // What the device tree describes: this board's harts, RAM and devices.
  BoardFdtConfig fdt_config(const std::string& bootargs, uint64_t initrd_start, uint64_t initrd_end) const;

  // Puts the harts where the boot images want them: with the built-in SBI, hart 0 in S-mode
  // at the kernel (a0 = 0, a1 = DTB) and the others STOPPED; with firmware, every hart at
  // the reset vector in M-mode.
  void prepare_boot(const BootLayout& layout);

  // Runs the harts until the machine stops; returns the exit status.
  int run();
  // Stops the machine (any thread; the first request wins). A message is printed on stderr
  // when run() returns.
  void request_stop(int status, const std::string& message = {});
  bool stopping() const { return stopping_.load(std::memory_order_acquire); }

  // --- SbiPlatform ---------------------------------------------------------------------
  uint64_t hart_count() const override { return vcpus_.size(); }
  Hart& hart(uint64_t hartid) override { return vcpus_.at(hartid)->hart(); }
  sbi::HartState hart_state(uint64_t hartid) const override { return vcpus_.at(hartid)->state(); }
  int64_t hart_start(uint64_t hartid, uint64_t start_addr, uint64_t opaque) override;
  int64_t hart_stop(Hart& caller) override;
  int64_t hart_suspend(Hart& caller, bool retentive) override;
  void set_timer(Hart& caller, uint64_t deadline) override;
  void send_ipi(uint64_t hartid) override;
  void remote_fence_i(std::span<const uint64_t> hartids) override;
  void remote_sfence_vma(std::span<const uint64_t> hartids, const sbi::FenceRange& range) override;
  void console_write(std::span<const uint8_t> bytes) override;
  int console_read() override;
  int64_t system_reset(sbi::ResetType type, sbi::ResetReason reason) override;

 private:
  void on_syscon(const Syscon::Outcome& outcome);
  void console_input(uint8_t byte);
  void add_virtio(std::unique_ptr<virtio::Device> device);

  BoardConfig config_;
  GuestRam ram_;
  GuestRam rom_;
  Bus bus_;
  HostClock host_clock_;
  Clint clint_;
  Syscon syscon_;
  Plic plic_;
  Uart16550 uart_;
  SbiFirmware firmware_;
  std::vector<std::unique_ptr<Vcpu>> vcpus_;
  // Transports are destroyed after their devices (a device's threads reach its transport).
  std::vector<std::unique_ptr<virtio::MmioTransport>> virtio_transports_;
  std::vector<std::unique_ptr<virtio::Device>> virtio_devices_;

  // Console input goes to the UART, and also, once the guest has read the SBI console (an
  // hvc0 console polls it), to this buffer that SBI reads drain. Whichever the guest does not
  // read only fills up to its limit: a guest may use either console, or both.
  static constexpr size_t kSbiInputLimit = 64 * 1024;
  std::atomic<bool> sbi_console_in_use_{false};
  std::mutex sbi_input_mutex_;
  std::deque<uint8_t> sbi_input_;  // guarded by sbi_input_mutex_

  std::atomic<bool> stopping_{false};
  std::mutex stop_mutex_;
  std::condition_variable stop_cv_;
  int exit_status_ = kGuestDone;  // guarded by stop_mutex_
  std::string stop_message_;      // guarded by stop_mutex_
};

}  // namespace strata
