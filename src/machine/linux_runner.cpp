#include "machine/linux_runner.h"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <mutex>
#include <thread>

#include "devices/char/open.h"
#include "devices/char_backend.h"
#include "jit/jit_engine.h"
#include "machine/board.h"
#include "machine/board_fdt.h"
#include "machine/boot_loader.h"
#include "util/error.h"

namespace strata {

namespace {

void write_file(const std::string& path, const std::vector<uint8_t>& bytes) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) fail("--dump-dtb {}: {}", path, std::strerror(errno));
  const bool ok = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
  if (std::fclose(f) != 0 || !ok) fail("--dump-dtb {}: write failed", path);
}

// SIGINT, SIGTERM and SIGHUP stop the machine cleanly (the terminal is restored on the way
// out). They are blocked before any thread exists, so every thread inherits the mask, and
// one waiter takes them; SIGUSR2 ends the waiter. A signal before the board runs is kept.
class SignalStopper {
 public:
  SignalStopper() {
    sigemptyset(&set_);
    for (int s : {SIGINT, SIGTERM, SIGHUP, SIGUSR2}) sigaddset(&set_, s);
    pthread_sigmask(SIG_BLOCK, &set_, &old_);
    thread_ = std::thread([this] {
      int sig = 0;
      while (sigwait(&set_, &sig) == 0 && sig != SIGUSR2) {
        std::lock_guard lock(mutex_);
        signal_ = sig;
        if (board_) stop_board();
      }
    });
  }
  ~SignalStopper() {
    pthread_kill(thread_.native_handle(), SIGUSR2);
    thread_.join();
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }
  void attach(Board* board) {
    std::lock_guard lock(mutex_);
    board_ = board;
    if (board_ && signal_) stop_board();
  }

 private:
  void stop_board() {
    board_->request_stop(kGuestDone, fmt::format("stopped by signal {} ({})", signal_, strsignal(signal_)));
  }
  sigset_t set_, old_;
  std::thread thread_;
  std::mutex mutex_;
  Board* board_ = nullptr;  // guarded by mutex_
  int signal_ = 0;          // guarded by mutex_
};

}  // namespace

int run_linux(const LinuxOptions& o) {
  SignalStopper signals;  // first: before any device or vCPU thread exists
  std::unique_ptr<CharBackend> console, virtio_console;
  std::unique_ptr<Board> board;
  try {
    if (o.kernel.empty() && o.dump_dtb.empty()) fail("run: give --kernel IMAGE (or --bare PROGRAM.elf)");
    BoardConfig config;
    config.harts = o.cpus;
    config.ram_size = o.memory_bytes;
    config.builtin_sbi = o.bios.empty();
    config.engine = o.engine;
    for (const std::string& d : o.drives) config.drives.push_back(virtio::blk::parse_drive_option(d));
    config.net = parse_net_option(o.net);
    if (o.dump_dtb.empty()) console = open_char_backends(o.console);
    config.console = console.get();
    if (!o.virtio_console.empty() && o.dump_dtb.empty())
      virtio_console = open_char_backends(o.virtio_console);
    config.virtio_console = virtio_console.get();
    board = std::make_unique<Board>(config);

    const auto build_dtb = [&](uint64_t initrd_start, uint64_t initrd_end) {
      return build_board_fdt(board->fdt_config(o.append, initrd_start, initrd_end));
    };
    if (o.kernel.empty()) {  // --dump-dtb alone: the tree without boot images
      write_file(o.dump_dtb, build_dtb(0, 0));
      return kGuestDone;
    }
    BootFiles files;
    files.kernel = o.kernel;
    files.initrd = o.initrd;
    files.firmware = o.bios;
    const BootLayout layout = load_boot_images(board->ram(), files, build_dtb);
    if (!o.dump_dtb.empty()) {
      write_file(o.dump_dtb, build_dtb(layout.initrd_start, layout.initrd_end));
      return kGuestDone;
    }
    board->prepare_boot(layout);
  } catch (const Error& e) {
    std::fprintf(stderr, "strata: %s\n", e.what());
    return kBadInput;
  }

  signals.attach(board.get());
  console->set_quit_handler([b = board.get()] { b->request_stop(kGuestDone); });
  console->start();
  if (virtio_console) {
    virtio_console->set_quit_handler([b = board.get()] { b->request_stop(kGuestDone); });
    virtio_console->start();
  }
  const int status = board->run();
  if (virtio_console) virtio_console->stop();
  console->stop();
  if (o.jit_stats)
    for (unsigned i = 0; i < board->harts(); i++)
      std::fprintf(stderr, "hart %u:\n%s", i, jit::jit_report(*board->vcpu(i).hart().engine()).c_str());
  signals.attach(nullptr);
  return status;
}

}  // namespace strata
