#include "jit/perf_map.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "util/log.h"

namespace strata::jit {

PerfMap::PerfMap(std::string directory) : path_(fmt::format("{}/perf-{}.map", directory, long(getpid()))) {}

PerfMap::~PerfMap() {
  if (file_) std::fclose(file_);
}

bool PerfMap::open() {
  if (file_) return true;
  if (!enabled_) return false;
  // Append, not truncate: several PerfMaps of one process (one per code cache) share the file.
  // Each line goes out in one write(), so O_APPEND keeps their lines whole.
  file_ = std::fopen(path_.c_str(), "a");
  if (!file_) disable("open");
  return file_ != nullptr;
}

void PerfMap::disable(const char* what) {
  warn("cannot {} the perf map {}: {}; JIT code will not be named in perf", what, path_,
       std::strerror(errno));
  if (file_) std::fclose(file_);
  file_ = nullptr;
  enabled_ = false;
}

void PerfMap::add(const void* start, size_t size, std::string_view name) {
  if (!open()) return;
  const std::string line = fmt::format("{:x} {:x} {}\n", reinterpret_cast<uintptr_t>(start), size, name);
  if (std::fwrite(line.data(), 1, line.size(), file_) != line.size() || std::fflush(file_) != 0) {
    disable("write");
  }
}

void PerfMap::add_block(const void* start, size_t size, uint64_t guest_pc) {
  add(start, size, fmt::format("riscv:{:#x}", guest_pc));
}

}  // namespace strata::jit
