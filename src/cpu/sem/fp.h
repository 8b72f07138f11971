#pragma once
// F and D semantics. The arithmetic is the exact software core in cpu/fp/, with the host's
// own floating point as a fast path where it provably gives the same bits and flags
// (cpu/fp/host_fast.h); these functions add what the ISA wraps around it: mstatus.FS gating,
// static and dynamic rounding modes, NaN boxing of single-precision values, fflags accrual
// and FS = Dirty.
#include <type_traits>

#include "cpu/fp/fp.h"
#include "cpu/fp/fp_state.h"
#include "cpu/fp/host_fast.h"
#include "cpu/sem/memory.h"
#include "cpu/sem/semantic.h"

namespace strata::sem {
namespace fp_sem {

using namespace fp;

// The rounding mode an instruction uses: its rm field, or frm when that is 7 (dynamic).
// False when the mode is reserved (5 or 6 in the instruction, 5-7 in frm): illegal.
inline bool rounding_mode(const Hart& h, const Operands& o, Rm& rm) {
  const unsigned mode = o.rm == kDynamicRm ? h.csr.frm : o.rm;
  rm = Rm(mode);
  return mode <= unsigned(Rm::RMM);
}

// Operands and results in the f registers: single precision is NaN-boxed.
template <typename F>
typename F::Bits read_f(const Hart& h, unsigned r) {
  if constexpr (std::is_same_v<F, F32>)
    return unbox(h.f[r]);
  else
    return h.f[r];
}
template <typename F>
void write_f(Hart& h, unsigned r, typename F::Bits v) {
  if constexpr (std::is_same_v<F, F32>)
    h.f[r] = box(v);
  else
    h.f[r] = v;
  mark_dirty(h);
}

template <typename F>
using Bits = typename F::Bits;

template <typename F>
using HostBinary = bool (*)(Bits<F>, Bits<F>, Bits<F>&, uint32_t&, bool);

template <typename F>
bool host_sub(Bits<F> a, Bits<F> b, Bits<F>& r, uint32_t& flags, bool want_nx) {
  return host::add<F>(a, b ^ F::kSignMask, r, flags, want_nx);
}

// NX only matters to the host fast paths while fflags lacks it (it is sticky).
inline bool want_nx(const Hart& h) { return !(h.csr.fflags & flag::NX); }

// The software core behind the host fast paths, called out of line so that the handlers
// stay small enough to be inlined into their chain handlers.
template <typename F, Bits<F> (*Fn)(Bits<F>, Bits<F>, Rm, uint32_t&)>
[[gnu::noinline]] Bits<F> soft_binary(Bits<F> a, Bits<F> b, Rm rm, uint32_t& flags) {
  return Fn(a, b, rm, flags);
}
template <typename F>
[[gnu::noinline]] Bits<F> soft_sqrt(Bits<F> a, Rm rm, uint32_t& flags) {
  return fp::sqrt<F>(a, rm, flags);
}
template <typename F, bool kNegateProduct, bool kNegateAddend>
[[gnu::noinline]] Bits<F> soft_fma(Bits<F> a, Bits<F> b, Bits<F> c, Rm rm, uint32_t& flags) {
  return fma<F>(a, b, c, kNegateProduct, kNegateAddend, rm, flags);
}

// fadd, fsub, fmul, fdiv: the host answers in round-to-nearest-even where it can.
template <typename F, Bits<F> (*Fn)(Bits<F>, Bits<F>, Rm, uint32_t&), HostBinary<F> Host>
[[gnu::always_inline]] inline Flow rounded_binary(Hart& h, const Operands& o, uint64_t pc) {
  Rm rm;
  if (!fp_enabled(h) || !rounding_mode(h, o, rm)) return illegal(h, o, pc);
  uint32_t flags = 0;
  const Bits<F> a = read_f<F>(h, o.rs1), b = read_f<F>(h, o.rs2);
  Bits<F> r;
  if (rm != Rm::RNE || !Host(a, b, r, flags, want_nx(h))) r = soft_binary<F, Fn>(a, b, rm, flags);
  write_f<F>(h, o.rd, r);
  raise_flags(h, flags);
  return Flow::Continue;
}

template <typename F>
Flow fsqrt(Hart& h, const Operands& o, uint64_t pc) {
  Rm rm;
  if (!fp_enabled(h) || !rounding_mode(h, o, rm)) return illegal(h, o, pc);
  uint32_t flags = 0;
  const Bits<F> a = read_f<F>(h, o.rs1);
  Bits<F> r;
  if (rm != Rm::RNE || !host::sqrt<F>(a, r, flags, want_nx(h))) r = soft_sqrt<F>(a, rm, flags);
  write_f<F>(h, o.rd, r);
  raise_flags(h, flags);
  return Flow::Continue;
}

template <typename F, bool kNegateProduct, bool kNegateAddend>
[[gnu::always_inline]] inline Flow fused(Hart& h, const Operands& o, uint64_t pc) {
  Rm rm;
  if (!fp_enabled(h) || !rounding_mode(h, o, rm)) return illegal(h, o, pc);
  uint32_t flags = 0;
  const Bits<F> a = read_f<F>(h, o.rs1), b = read_f<F>(h, o.rs2), c = read_f<F>(h, o.rs3);
  Bits<F> r;
  // Negating a and c is exact, so the host computes the negated forms as a plain a*b+c.
  const Bits<F> host_a = kNegateProduct ? a ^ F::kSignMask : a, host_c = kNegateAddend ? c ^ F::kSignMask : c;
  if (rm != Rm::RNE || !host::fma<F>(host_a, b, host_c, r, flags, want_nx(h)))
    r = soft_fma<F, kNegateProduct, kNegateAddend>(a, b, c, rm, flags);
  write_f<F>(h, o.rd, r);
  raise_flags(h, flags);
  return Flow::Continue;
}

// fsgnj, fsgnjn, fsgnjx: no rounding mode, no flags.
template <typename F, Bits<F> (*Fn)(Bits<F>, Bits<F>)>
Flow sign_injection(Hart& h, const Operands& o, uint64_t pc) {
  if (!fp_enabled(h)) return illegal(h, o, pc);
  write_f<F>(h, o.rd, Fn(read_f<F>(h, o.rs1), read_f<F>(h, o.rs2)));
  return Flow::Continue;
}

// fmin, fmax.
template <typename F, Bits<F> (*Fn)(Bits<F>, Bits<F>, uint32_t&)>
Flow min_max(Hart& h, const Operands& o, uint64_t pc) {
  if (!fp_enabled(h)) return illegal(h, o, pc);
  uint32_t flags = 0;
  const Bits<F> r = Fn(read_f<F>(h, o.rs1), read_f<F>(h, o.rs2), flags);
  write_f<F>(h, o.rd, r);
  raise_flags(h, flags);
  return Flow::Continue;
}

// feq, flt, fle: an x register result.
template <typename F, bool (*Fn)(Bits<F>, Bits<F>, uint32_t&)>
Flow compare(Hart& h, const Operands& o, uint64_t pc) {
  if (!fp_enabled(h)) return illegal(h, o, pc);
  uint32_t flags = 0;
  h.x[o.rd] = Fn(read_f<F>(h, o.rs1), read_f<F>(h, o.rs2), flags);
  raise_flags(h, flags);
  return Flow::Continue;
}

template <typename F>
Flow classify(Hart& h, const Operands& o, uint64_t pc) {
  if (!fp_enabled(h)) return illegal(h, o, pc);
  h.x[o.rd] = fclass<F>(read_f<F>(h, o.rs1));
  return Flow::Continue;
}

// fcvt.{w,wu,l,lu}.{s,d}.
template <typename F, bool kSigned, unsigned kWidth>
Flow to_integer(Hart& h, const Operands& o, uint64_t pc) {
  Rm rm;
  if (!fp_enabled(h) || !rounding_mode(h, o, rm)) return illegal(h, o, pc);
  uint32_t flags = 0;
  h.x[o.rd] = to_int<F>(read_f<F>(h, o.rs1), rm, kSigned, kWidth, flags);
  raise_flags(h, flags);
  return Flow::Continue;
}

// fcvt.{s,d}.{w,wu,l,lu}: the 32-bit sources are the low word of rs1, extended by kind.
enum class IntSource { W, Wu, L, Lu };
template <typename F, IntSource kSource>
Flow from_integer(Hart& h, const Operands& o, uint64_t pc) {
  Rm rm;
  if (!fp_enabled(h) || !rounding_mode(h, o, rm)) return illegal(h, o, pc);
  const uint64_t v = h.x[o.rs1];
  uint32_t flags = 0;
  Bits<F> r;
  switch (kSource) {
    case IntSource::W:
      r = from_int<F>(int32_t(uint32_t(v)), rm, flags);
      break;
    case IntSource::Wu:
      r = from_uint<F>(uint32_t(v), rm, flags);
      break;
    case IntSource::L:
      r = from_int<F>(int64_t(v), rm, flags);
      break;
    case IntSource::Lu:
      r = from_uint<F>(v, rm, flags);
      break;
  }
  write_f<F>(h, o.rd, r);
  raise_flags(h, flags);
  return Flow::Continue;
}

// fcvt.s.d and fcvt.d.s.
template <typename To, typename From>
Flow convert_format(Hart& h, const Operands& o, uint64_t pc) {
  Rm rm;
  if (!fp_enabled(h) || !rounding_mode(h, o, rm)) return illegal(h, o, pc);
  uint32_t flags = 0;
  const Bits<To> r = convert<To, From>(read_f<From>(h, o.rs1), rm, flags);
  write_f<To>(h, o.rd, r);
  raise_flags(h, flags);
  return Flow::Continue;
}

// Moves between register files transfer raw bits: fmv.x.w takes the low word whether or not
// it is boxed, and sign-extends it.
inline Flow fmv_x_w(Hart& h, const Operands& o, uint64_t pc) {
  if (!fp_enabled(h)) return illegal(h, o, pc);
  h.x[o.rd] = uint64_t(int64_t(int32_t(uint32_t(h.f[o.rs1]))));
  return Flow::Continue;
}
inline Flow fmv_x_d(Hart& h, const Operands& o, uint64_t pc) {
  if (!fp_enabled(h)) return illegal(h, o, pc);
  h.x[o.rd] = h.f[o.rs1];
  return Flow::Continue;
}
inline Flow fmv_w_x(Hart& h, const Operands& o, uint64_t pc) {
  if (!fp_enabled(h)) return illegal(h, o, pc);
  write_f<F32>(h, o.rd, uint32_t(h.x[o.rs1]));
  return Flow::Continue;
}
inline Flow fmv_d_x(Hart& h, const Operands& o, uint64_t pc) {
  if (!fp_enabled(h)) return illegal(h, o, pc);
  write_f<F64>(h, o.rd, h.x[o.rs1]);
  return Flow::Continue;
}

// flw/fld and fsw/fsd: raw bits (fsw stores the low word, boxed or not).
// Inlined into their chain handlers like the integer loads (the compiler would otherwise
// split off a call per load).
template <typename F>
[[gnu::always_inline]] inline Flow fp_load(Hart& h, const Operands& o, uint64_t pc) {
  if (!fp_enabled(h)) return illegal(h, o, pc);
  Bits<F> v;
  if (const Flow f = load(h, pc, o.len, h.x[o.rs1] + uint64_t(int64_t(o.imm)), v); f != Flow::Continue)
    return f;
  write_f<F>(h, o.rd, v);
  return Flow::Continue;
}
template <typename F>
[[gnu::always_inline]] inline Flow fp_store(Hart& h, const Operands& o, uint64_t pc) {
  if (!fp_enabled(h)) return illegal(h, o, pc);
  return store(h, pc, o.len, h.x[o.rs1] + uint64_t(int64_t(o.imm)), Bits<F>(h.f[o.rs2]));
}

// Registers the handlers of one format; `ops` lists that format's operations in order.
struct FormatOps {
  Op load, store, madd, msub, nmsub, nmadd, add, sub, mul, div, sqrt, sgnj, sgnjn, sgnjx, min, max, cvt_w,
      cvt_wu, cvt_l, cvt_lu, eq, lt, le, fclass, from_w, from_wu, from_l, from_lu;
};

template <typename F, class Sink>
void add_format(Sink& s, const FormatOps& o) {
  s.template add<fp_load<F>>(o.load);
  s.template add<fp_store<F>>(o.store);
  s.template add<fused<F, false, false>>(o.madd);
  s.template add<fused<F, false, true>>(o.msub);
  s.template add<fused<F, true, false>>(o.nmsub);
  s.template add<fused<F, true, true>>(o.nmadd);
  s.template add<rounded_binary<F, add<F>, host::add<F>>>(o.add);
  s.template add<rounded_binary<F, sub<F>, host_sub<F>>>(o.sub);
  s.template add<rounded_binary<F, mul<F>, host::mul<F>>>(o.mul);
  s.template add<rounded_binary<F, fp::div<F>, host::div<F>>>(o.div);
  s.template add<fsqrt<F>>(o.sqrt);
  s.template add<sign_injection<F, fsgnj<F>>>(o.sgnj);
  s.template add<sign_injection<F, fsgnjn<F>>>(o.sgnjn);
  s.template add<sign_injection<F, fsgnjx<F>>>(o.sgnjx);
  s.template add<min_max<F, fmin<F>>>(o.min);
  s.template add<min_max<F, fmax<F>>>(o.max);
  s.template add<to_integer<F, true, 32>>(o.cvt_w);
  s.template add<to_integer<F, false, 32>>(o.cvt_wu);
  s.template add<to_integer<F, true, 64>>(o.cvt_l);
  s.template add<to_integer<F, false, 64>>(o.cvt_lu);
  s.template add<compare<F, feq<F>>>(o.eq);
  s.template add<compare<F, flt<F>>>(o.lt);
  s.template add<compare<F, fle<F>>>(o.le);
  s.template add<classify<F>>(o.fclass);
  s.template add<from_integer<F, IntSource::W>>(o.from_w);
  s.template add<from_integer<F, IntSource::Wu>>(o.from_wu);
  s.template add<from_integer<F, IntSource::L>>(o.from_l);
  s.template add<from_integer<F, IntSource::Lu>>(o.from_lu);
}

}  // namespace fp_sem

// Hands every F and D semantic function to `s` (see sem/table.h for sinks).
template <class Sink>
void add_fp_semantics(Sink& s) {
  using namespace fp_sem;
  add_format<F32>(s, {Op::Flw,   Op::Fsw,   Op::FmaddS,  Op::FmsubS,  Op::FnmsubS, Op::FnmaddS, Op::FaddS,
                      Op::FsubS, Op::FmulS, Op::FdivS,   Op::FsqrtS,  Op::FsgnjS,  Op::FsgnjnS, Op::FsgnjxS,
                      Op::FminS, Op::FmaxS, Op::FcvtWS,  Op::FcvtWuS, Op::FcvtLS,  Op::FcvtLuS, Op::FeqS,
                      Op::FltS,  Op::FleS,  Op::FclassS, Op::FcvtSW,  Op::FcvtSWu, Op::FcvtSL,  Op::FcvtSLu});
  add_format<F64>(s, {Op::Fld,   Op::Fsd,   Op::FmaddD,  Op::FmsubD,  Op::FnmsubD, Op::FnmaddD, Op::FaddD,
                      Op::FsubD, Op::FmulD, Op::FdivD,   Op::FsqrtD,  Op::FsgnjD,  Op::FsgnjnD, Op::FsgnjxD,
                      Op::FminD, Op::FmaxD, Op::FcvtWD,  Op::FcvtWuD, Op::FcvtLD,  Op::FcvtLuD, Op::FeqD,
                      Op::FltD,  Op::FleD,  Op::FclassD, Op::FcvtDW,  Op::FcvtDWu, Op::FcvtDL,  Op::FcvtDLu});
  s.template add<fmv_x_w>(Op::FmvXW);
  s.template add<fmv_w_x>(Op::FmvWX);
  s.template add<fmv_x_d>(Op::FmvXD);
  s.template add<fmv_d_x>(Op::FmvDX);
  s.template add<convert_format<F32, F64>>(Op::FcvtSD);
  s.template add<convert_format<F64, F32>>(Op::FcvtDS);
}

}  // namespace strata::sem
