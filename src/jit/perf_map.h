#pragma once
// Linux perf's map of JIT code: `perf report` reads /tmp/perf-PID.map to name samples that fall
// into anonymous executable memory. Each line is "START SIZE NAME" (hex start and size without
// 0x), e.g. "7f3a5c000040 9c riscv:0x80200000". The file is opened on the first block, each
// line is flushed at once (perf may read the file while strata still runs, or after it is
// killed), and a file that cannot be opened costs one warning and disables the map.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace strata::jit {

class PerfMap {
 public:
  // Writes `directory`/perf-PID.map; perf itself only looks in /tmp.
  explicit PerfMap(std::string directory = "/tmp");
  ~PerfMap();
  PerfMap(const PerfMap&) = delete;
  PerfMap& operator=(const PerfMap&) = delete;

  // Appends "START SIZE NAME". Does nothing once disabled.
  void add(const void* start, size_t size, std::string_view name);

  // Appends a translated block under the name "riscv:0xGUESTPC".
  void add_block(const void* start, size_t size, uint64_t guest_pc);

  // False after a failed open or write; no more lines are attempted.
  bool enabled() const { return enabled_; }

  // The file written (or to be written) for this process.
  const std::string& path() const { return path_; }

 private:
  bool open();
  void disable(const char* what);

  std::string path_;
  std::FILE* file_ = nullptr;
  bool enabled_ = true;
};

}  // namespace strata::jit
