#include "jit/stats.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "isa/table.h"

namespace strata::jit {
namespace {

constexpr size_t kTopFallbacks = 10;

// "97.5% (390 of 400)", or "-" when nothing was counted (a rate of 0/0 means nothing).
std::string rate(uint64_t hits, uint64_t misses) {
  const uint64_t total = hits + misses;
  if (total == 0) return "-";
  return fmt::format("{:.1f}% ({} of {})", 100.0 * double(hits) / double(total), hits, total);
}

void row(std::string& out, std::string_view label, std::string_view value) {
  fmt::format_to(std::back_inserter(out), "  {:<24} {}\n", label, value);
}

// Op::Illegal has no row in the instruction table (spec_of would name another instruction).
std::string_view op_name(Op op) { return op == Op::Illegal ? std::string_view("illegal") : spec_of(op).name; }

}  // namespace

std::string_view exit_kind_name(ExitKind reason) {
  // In ExitKind order.
  static constexpr std::string_view kNames[kExitKindCount] = {
      "budget", "interrupt", "trap", "syscall", "leave-to-dispatcher", "code-invalidated",
  };
  return size_t(reason) < kExitKindCount ? kNames[size_t(reason)] : "?";
}

void Stats::merge(const Stats& o) {
  blocks_translated += o.blocks_translated;
  instructions_translated += o.instructions_translated;
  instructions_interpreted += o.instructions_interpreted;
  code_bytes += o.code_bytes;
  cache_flushes += o.cache_flushes;
  blocks_invalidated += o.blocks_invalidated;
  chain_hits += o.chain_hits;
  chain_misses += o.chain_misses;
  indirect_hits += o.indirect_hits;
  indirect_misses += o.indirect_misses;
  for (size_t i = 0; i < fallbacks.size(); i++) fallbacks[i] += o.fallbacks[i];
  for (size_t i = 0; i < exits.size(); i++) exits[i] += o.exits[i];
}

std::string report(const Stats& s, size_t cache_used, size_t cache_capacity) {
  std::string out = "jit statistics\n";
  row(out, "blocks translated", fmt::format("{}", s.blocks_translated));
  const double per_block =
      s.blocks_translated ? double(s.instructions_translated) / double(s.blocks_translated) : 0.0;
  row(out, "instructions translated",
      fmt::format("{} ({:.1f} per block)", s.instructions_translated, per_block));
  const double bytes_per_insn =
      s.instructions_translated ? double(s.code_bytes) / double(s.instructions_translated) : 0.0;
  row(out, "instructions interpreted", fmt::format("{}", s.instructions_interpreted));
  row(out, "code bytes", fmt::format("{} ({:.1f} per instruction)", s.code_bytes, bytes_per_insn));
  const double used_pct = cache_capacity ? 100.0 * double(cache_used) / double(cache_capacity) : 0.0;
  row(out, "code cache", fmt::format("{} of {} bytes used ({:.1f}%)", cache_used, cache_capacity, used_pct));
  row(out, "cache flushes", fmt::format("{}", s.cache_flushes));
  row(out, "blocks invalidated", fmt::format("{}", s.blocks_invalidated));
  row(out, "chain hit rate", rate(s.chain_hits, s.chain_misses));
  row(out, "indirect hit rate", rate(s.indirect_hits, s.indirect_misses));

  out += "exits\n";
  for (size_t i = 0; i < kExitKindCount; i++) {
    row(out, exit_kind_name(ExitKind(i)), fmt::format("{}", s.exits[i]));
  }

  // Ops by descending count, ties in Op order so the report is deterministic.
  std::vector<size_t> ops;
  uint64_t total_fallbacks = 0;
  for (size_t i = 0; i < kOpCount; i++) {
    total_fallbacks += s.fallbacks[i];
    if (s.fallbacks[i] != 0) ops.push_back(i);
  }
  std::stable_sort(ops.begin(), ops.end(),
                   [&](size_t a, size_t b) { return s.fallbacks[a] > s.fallbacks[b]; });
  if (ops.size() > kTopFallbacks) ops.resize(kTopFallbacks);
  out += fmt::format("interpreted runs: {}, by first instruction", total_fallbacks);
  out += ops.empty() ? "\n" : fmt::format(" (top {})\n", ops.size());
  for (size_t i : ops) {
    const double share = 100.0 * double(s.fallbacks[i]) / double(total_fallbacks);
    row(out, op_name(Op(i)), fmt::format("{} ({:.1f}%)", s.fallbacks[i], share));
  }
  return out;
}

}  // namespace strata::jit
