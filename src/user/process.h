#pragma once
// One emulated riscv64 Linux process: its address space, its threads (each a Hart on a host
// thread), its signal dispositions, and the options it was started with.
#include <array>
#include <atomic>
#include <bitset>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "cpu/hart.h"
#include "mem/code_pages.h"
#include "user/address_space.h"
#include "user/signals.h"

namespace strata::user {

struct UserOptions {
  std::string program;            // the path as given
  std::vector<std::string> args;  // argv[1..]
  std::string argv0;              // argv[0]; empty means `program`
  std::string sysroot;            // -L
  std::vector<std::string> env;   // -E VAR=VALUE (VAR alone removes VAR)
  bool strace = false;
  EngineConfig engine = {default_engine()};  // every thread's hart runs on this engine
  bool jit_stats = false;                    // --jit-stats: the exiting thread's JIT report on stderr
};

// The `time` CSR: a 10 MHz count of host monotonic time.
class UserClock final : public Clock {
 public:
  static constexpr uint64_t kFrequency = 10'000'000;
  uint64_t now() const override;
};

class GuestThread;

class Process {
 public:
  explicit Process(UserOptions options);
  ~Process();
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  UserOptions options;
  AddressSpace mem;
  UserClock clock;
  // Which guest pages hold code decoded or translated by any thread's hart (threads share
  // memory, so a store on one thread into another's code must be seen).
  CodePages code_pages;
  SignalTable signals;
  std::string exe_path;           // absolute host path of the guest program (/proc/self/exe)
  std::string strata_path;        // this executable, for execve
  std::vector<std::string> argv;  // the guest's argv, for /proc/self/cmdline
  std::vector<uint64_t> auxv;     // key, value pairs as on the initial stack, for /proc/self/auxv
  uint64_t sigreturn_trampoline = 0;

  // Every live thread; the lock also orders thread creation against cross-thread requests.
  std::mutex threads_mutex;
  std::vector<GuestThread*> threads;
  std::atomic<int> live_threads{0};

  // After a mapping change: drop cached translations (and decoded code when `code`) on
  // every hart, directly on `self`, through requests on the others.
  void mappings_changed(GuestThread& self, bool code);
  void flush_code_everywhere(GuestThread& self);
  // riscv_flush_icache: every hart's decoded code agrees with memory again (a fence.i each).
  void sync_code_everywhere(GuestThread& self);

  // --jit-stats, printed by the thread that ends the process.
  void print_jit_stats(GuestThread& self);

  // One warning per unknown syscall number.
  bool first_unknown(uint64_t number);

 private:
  int report_fd_ = -1;  // where print_jit_stats writes
  std::mutex warned_mutex_;
  std::bitset<4096> warned_;
};

// Prepares a fresh hart for user mode: U privilege, FP on, counters readable.
void init_user_hart(Hart& hart);

}  // namespace strata::user
