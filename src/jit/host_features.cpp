#include "jit/host_features.h"

#include <xbyak/xbyak_util.h>

namespace strata::jit {
namespace {

HostFeatures detect_with_xbyak() {
  // Xbyak's Cpu runs cpuid in its constructor and already folds in the OS checks (xgetbv for
  // the AVX state), so a reported AVX feature is usable, not merely present in silicon.
  const Xbyak::util::Cpu cpu;
  using Cpu = Xbyak::util::Cpu;
  HostFeatures f;
  f.sse41 = cpu.has(Cpu::tSSE41);
  f.popcnt = cpu.has(Cpu::tPOPCNT);
  f.lzcnt = cpu.has(Cpu::tLZCNT);
  f.bmi1 = cpu.has(Cpu::tBMI1);
  f.bmi2 = cpu.has(Cpu::tBMI2);
  f.avx = cpu.has(Cpu::tAVX);
  f.avx2 = cpu.has(Cpu::tAVX2);
  f.fma3 = cpu.has(Cpu::tFMA);
  return f;
}

// Cpu's constructor does not throw today; should a later xbyak change that, the JIT still
// starts, on the baseline path.
HostFeatures detect() {
  try {
    return detect_with_xbyak();
  } catch (...) {
    return baseline();
  }
}

}  // namespace

const HostFeatures& host_features() {
  static const HostFeatures features = detect();
  return features;
}

HostFeatures baseline() { return HostFeatures{}; }

HostFeatures limit(const HostFeatures& features, const HostFeatures& mask) {
  HostFeatures f;
  f.sse41 = features.sse41 && mask.sse41;
  f.popcnt = features.popcnt && mask.popcnt;
  f.lzcnt = features.lzcnt && mask.lzcnt;
  f.bmi1 = features.bmi1 && mask.bmi1;
  f.bmi2 = features.bmi2 && mask.bmi2;
  f.avx = features.avx && mask.avx;
  f.avx2 = features.avx2 && mask.avx2;
  f.fma3 = features.fma3 && mask.fma3;
  return f;
}

std::string describe(const HostFeatures& f) {
  const std::pair<bool, const char*> names[] = {
      {f.sse41, "sse4.1"}, {f.popcnt, "popcnt"}, {f.lzcnt, "lzcnt"}, {f.bmi1, "bmi1"},
      {f.bmi2, "bmi2"},    {f.avx, "avx"},       {f.avx2, "avx2"},   {f.fma3, "fma3"},
  };
  std::string out;
  for (const auto& [present, name] : names) {
    if (!present) continue;
    if (!out.empty()) out += ' ';
    out += name;
  }
  return out.empty() ? "baseline" : out;
}

}  // namespace strata::jit
