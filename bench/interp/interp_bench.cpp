// Runs a flat bare-metal workload image on one hart with the interpreter and prints
// "<instructions> <seconds> <checksum>". The workload ends with ecall (a0 = checksum).
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <vector>

#include "cpu/hart.h"
#include "cpu/mmu/system_mmu.h"
#include "mem/bus.h"
#include "mem/guest_ram.h"

using namespace strata;

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s IMAGE.bin\n", argv[0]);
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  std::vector<char> image((std::istreambuf_iterator<char>(in)), {});
  if (!in.good() && !in.eof()) return 2;
  constexpr uint64_t kBase = 0x80000000;
  GuestRam ram(kBase, 64 << 20);
  if (image.empty() || image.size() > ram.size()) {
    std::fprintf(stderr, "%s: empty or too large\n", argv[1]);
    return 2;
  }
  Bus bus;
  bus.add_ram(ram);
  SystemMmu mmu(bus);
  HartConfig config;
  config.reset_pc = kBase;
  config.user_abi = true;  // the closing ecall leaves run()
  Hart hart(config, &bus, &mmu, nullptr);
  std::copy(image.begin(), image.end(), ram.host(kBase));

  const auto start = std::chrono::steady_clock::now();
  Exit e;
  do e = hart.run(1ull << 40);
  while (e.reason == ExitReason::BudgetSpent);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (e.reason != ExitReason::Syscall) {
    std::fprintf(stderr, "workload stopped with exit reason %d (detail %#llx) at pc %#llx\n", int(e.reason),
                 (unsigned long long)e.detail, (unsigned long long)hart.pc);
    return 1;
  }
  std::printf("%llu %.6f %llu\n", (unsigned long long)hart.instret(), seconds, (unsigned long long)hart.x[10]);
  return 0;
}
