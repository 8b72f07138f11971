#pragma once
// The optional x86-64 extensions the JIT may use. They are detected once (cpuid through
// Xbyak::util::Cpu) and then read everywhere; the translator receives a HostFeatures by value
// so tests can force the baseline x86-64 path with baseline() on any host.
#include <string>

namespace strata::jit {

struct HostFeatures {
  bool sse41 = false;   // pextr/pinsr, roundsd
  bool popcnt = false;  // cpop
  bool lzcnt = false;   // clz (bsr otherwise)
  bool bmi1 = false;    // andn, tzcnt
  bool bmi2 = false;    // shlx/shrx/sarx/rorx: shifts without cl, flags untouched
  bool avx = false;     // VEX encodings (three-operand scalar fp)
  bool avx2 = false;
  bool fma3 = false;  // fused fmadd with a single rounding, as RISC-V requires

  bool operator==(const HostFeatures&) const = default;
};

// What this host supports, detected on the first call (thread-safe static initialisation).
const HostFeatures& host_features();

// Plain x86-64 (SSE2 only): every optional feature off.
HostFeatures baseline();

// `features` with everything `mask` lacks turned off, e.g. limit(host_features(), baseline()).
HostFeatures limit(const HostFeatures& features, const HostFeatures& mask);

// "sse4.1 popcnt lzcnt bmi1 bmi2 avx avx2 fma3" for what is present, "baseline" when none.
std::string describe(const HostFeatures& features);

}  // namespace strata::jit
