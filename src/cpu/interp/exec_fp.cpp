// F and D handlers. The arithmetic is the exact software core in cpu/fp/, with the host's
// own floating point as a fast path where it provably gives the same bits and flags
// (cpu/fp/host_fast.h); these handlers add what the ISA wraps around it: mstatus.FS gating,
// static and dynamic rounding modes, NaN boxing of single-precision values, fflags accrual
// and FS = Dirty.
#include <type_traits>

#include "cpu/fp/fp.h"
#include "cpu/fp/fp_state.h"
#include "cpu/fp/host_fast.h"
#include "cpu/interp/handler_table.h"
#include "cpu/interp/handler_util.h"
#include "cpu/interp/memory_ops.h"

namespace strata {
namespace {

using namespace fp;

// The rounding mode an instruction uses: its rm field, or frm when that is 7 (dynamic).
// False when the mode is reserved (5 or 6 in the instruction, 5-7 in frm): illegal.
inline bool rounding_mode(const Hart& h, const Insn* i, Rm& rm) {
  const unsigned mode = i->rm == kDynamicRm ? h.csr.frm : i->rm;
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
[[gnu::always_inline]] inline const Insn* rounded_binary(Hart& h, const Insn* i) {
  Rm rm;
  if (!fp_enabled(h) || !rounding_mode(h, i, rm)) return illegal(h, i);
  uint32_t flags = 0;
  const Bits<F> a = read_f<F>(h, i->rs1), b = read_f<F>(h, i->rs2);
  Bits<F> r;
  if (rm != Rm::RNE || !Host(a, b, r, flags, want_nx(h))) r = soft_binary<F, Fn>(a, b, rm, flags);
  write_f<F>(h, i->rd, r);
  raise_flags(h, flags);
  return next(i);
}

template <typename F>
const Insn* fsqrt(Hart& h, const Insn* i) {
  Rm rm;
  if (!fp_enabled(h) || !rounding_mode(h, i, rm)) return illegal(h, i);
  uint32_t flags = 0;
  const Bits<F> a = read_f<F>(h, i->rs1);
  Bits<F> r;
  if (rm != Rm::RNE || !host::sqrt<F>(a, r, flags, want_nx(h))) r = soft_sqrt<F>(a, rm, flags);
  write_f<F>(h, i->rd, r);
  raise_flags(h, flags);
  return next(i);
}

template <typename F, bool kNegateProduct, bool kNegateAddend>
[[gnu::always_inline]] inline const Insn* fused(Hart& h, const Insn* i) {
  Rm rm;
  if (!fp_enabled(h) || !rounding_mode(h, i, rm)) return illegal(h, i);
  uint32_t flags = 0;
  const Bits<F> a = read_f<F>(h, i->rs1), b = read_f<F>(h, i->rs2), c = read_f<F>(h, i->rs3);
  Bits<F> r;
  // Negating a and c is exact, so the host computes the negated forms as a plain a*b+c.
  const Bits<F> host_a = kNegateProduct ? a ^ F::kSignMask : a, host_c = kNegateAddend ? c ^ F::kSignMask : c;
  if (rm != Rm::RNE || !host::fma<F>(host_a, b, host_c, r, flags, want_nx(h)))
    r = soft_fma<F, kNegateProduct, kNegateAddend>(a, b, c, rm, flags);
  write_f<F>(h, i->rd, r);
  raise_flags(h, flags);
  return next(i);
}

// fsgnj, fsgnjn, fsgnjx: no rounding mode, no flags.
template <typename F, Bits<F> (*Fn)(Bits<F>, Bits<F>)>
const Insn* sign_injection(Hart& h, const Insn* i) {
  if (!fp_enabled(h)) return illegal(h, i);
  write_f<F>(h, i->rd, Fn(read_f<F>(h, i->rs1), read_f<F>(h, i->rs2)));
  return next(i);
}

// fmin, fmax.
template <typename F, Bits<F> (*Fn)(Bits<F>, Bits<F>, uint32_t&)>
const Insn* min_max(Hart& h, const Insn* i) {
  if (!fp_enabled(h)) return illegal(h, i);
  uint32_t flags = 0;
  const Bits<F> r = Fn(read_f<F>(h, i->rs1), read_f<F>(h, i->rs2), flags);
  write_f<F>(h, i->rd, r);
  raise_flags(h, flags);
  return next(i);
}

// feq, flt, fle: an x register result.
template <typename F, bool (*Fn)(Bits<F>, Bits<F>, uint32_t&)>
const Insn* compare(Hart& h, const Insn* i) {
  if (!fp_enabled(h)) return illegal(h, i);
  uint32_t flags = 0;
  h.x[i->rd] = Fn(read_f<F>(h, i->rs1), read_f<F>(h, i->rs2), flags);
  raise_flags(h, flags);
  return next(i);
}

template <typename F>
const Insn* classify(Hart& h, const Insn* i) {
  if (!fp_enabled(h)) return illegal(h, i);
  h.x[i->rd] = fclass<F>(read_f<F>(h, i->rs1));
  return next(i);
}

// fcvt.{w,wu,l,lu}.{s,d}.
template <typename F, bool kSigned, unsigned kWidth>
const Insn* to_integer(Hart& h, const Insn* i) {
  Rm rm;
  if (!fp_enabled(h) || !rounding_mode(h, i, rm)) return illegal(h, i);
  uint32_t flags = 0;
  h.x[i->rd] = to_int<F>(read_f<F>(h, i->rs1), rm, kSigned, kWidth, flags);
  raise_flags(h, flags);
  return next(i);
}

// fcvt.{s,d}.{w,wu,l,lu}: the 32-bit sources are the low word of rs1, extended by kind.
enum class IntSource { W, Wu, L, Lu };
template <typename F, IntSource kSource>
const Insn* from_integer(Hart& h, const Insn* i) {
  Rm rm;
  if (!fp_enabled(h) || !rounding_mode(h, i, rm)) return illegal(h, i);
  const uint64_t v = h.x[i->rs1];
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
  write_f<F>(h, i->rd, r);
  raise_flags(h, flags);
  return next(i);
}

// fcvt.s.d and fcvt.d.s.
template <typename To, typename From>
const Insn* convert_format(Hart& h, const Insn* i) {
  Rm rm;
  if (!fp_enabled(h) || !rounding_mode(h, i, rm)) return illegal(h, i);
  uint32_t flags = 0;
  const Bits<To> r = convert<To, From>(read_f<From>(h, i->rs1), rm, flags);
  write_f<To>(h, i->rd, r);
  raise_flags(h, flags);
  return next(i);
}

// Moves between register files transfer raw bits: fmv.x.w takes the low word whether or not
// it is boxed, and sign-extends it.
const Insn* fmv_x_w(Hart& h, const Insn* i) {
  if (!fp_enabled(h)) return illegal(h, i);
  h.x[i->rd] = uint64_t(int64_t(int32_t(uint32_t(h.f[i->rs1]))));
  return next(i);
}
const Insn* fmv_x_d(Hart& h, const Insn* i) {
  if (!fp_enabled(h)) return illegal(h, i);
  h.x[i->rd] = h.f[i->rs1];
  return next(i);
}
const Insn* fmv_w_x(Hart& h, const Insn* i) {
  if (!fp_enabled(h)) return illegal(h, i);
  write_f<F32>(h, i->rd, uint32_t(h.x[i->rs1]));
  return next(i);
}
const Insn* fmv_d_x(Hart& h, const Insn* i) {
  if (!fp_enabled(h)) return illegal(h, i);
  write_f<F64>(h, i->rd, h.x[i->rs1]);
  return next(i);
}

// flw/fld and fsw/fsd: raw bits (fsw stores the low word, boxed or not).
// Inlined into their chain handlers like the integer loads (the compiler would otherwise
// split off a call per load).
template <typename F>
[[gnu::always_inline]] inline const Insn* fp_load(Hart& h, const Insn* i) {
  if (!fp_enabled(h)) return illegal(h, i);
  Bits<F> v;
  if (!load(h, i, h.x[i->rs1] + uint64_t(int64_t(i->imm)), v)) return nullptr;
  write_f<F>(h, i->rd, v);
  return next(i);
}
template <typename F>
[[gnu::always_inline]] inline const Insn* fp_store(Hart& h, const Insn* i) {
  if (!fp_enabled(h)) return illegal(h, i);
  if (!store(h, i, h.x[i->rs1] + uint64_t(int64_t(i->imm)), Bits<F>(h.f[i->rs2]))) return nullptr;
  return next(i);
}

// Registers the handlers of one format; `ops` lists that format's operations in order.
struct FormatOps {
  Op load, store, madd, msub, nmsub, nmadd, add, sub, mul, div, sqrt, sgnj, sgnjn, sgnjx, min, max, cvt_w,
      cvt_wu, cvt_l, cvt_lu, eq, lt, le, fclass, from_w, from_wu, from_l, from_lu;
};

template <typename F>
void add_format(HandlerTable& t, const FormatOps& o) {
  t.set<fp_load<F>>(o.load);
  t.set<fp_store<F>>(o.store);
  t.set<fused<F, false, false>>(o.madd);
  t.set<fused<F, false, true>>(o.msub);
  t.set<fused<F, true, false>>(o.nmsub);
  t.set<fused<F, true, true>>(o.nmadd);
  t.set<rounded_binary<F, add<F>, host::add<F>>>(o.add);
  t.set<rounded_binary<F, sub<F>, host_sub<F>>>(o.sub);
  t.set<rounded_binary<F, mul<F>, host::mul<F>>>(o.mul);
  t.set<rounded_binary<F, fp::div<F>, host::div<F>>>(o.div);
  t.set<fsqrt<F>>(o.sqrt);
  t.set<sign_injection<F, fsgnj<F>>>(o.sgnj);
  t.set<sign_injection<F, fsgnjn<F>>>(o.sgnjn);
  t.set<sign_injection<F, fsgnjx<F>>>(o.sgnjx);
  t.set<min_max<F, fmin<F>>>(o.min);
  t.set<min_max<F, fmax<F>>>(o.max);
  t.set<to_integer<F, true, 32>>(o.cvt_w);
  t.set<to_integer<F, false, 32>>(o.cvt_wu);
  t.set<to_integer<F, true, 64>>(o.cvt_l);
  t.set<to_integer<F, false, 64>>(o.cvt_lu);
  t.set<compare<F, feq<F>>>(o.eq);
  t.set<compare<F, flt<F>>>(o.lt);
  t.set<compare<F, fle<F>>>(o.le);
  t.set<classify<F>>(o.fclass);
  t.set<from_integer<F, IntSource::W>>(o.from_w);
  t.set<from_integer<F, IntSource::Wu>>(o.from_wu);
  t.set<from_integer<F, IntSource::L>>(o.from_l);
  t.set<from_integer<F, IntSource::Lu>>(o.from_lu);
}

}  // namespace

void add_fp_handlers(HandlerTable& t) {
  add_format<F32>(t, {Op::Flw,   Op::Fsw,   Op::FmaddS,  Op::FmsubS,  Op::FnmsubS, Op::FnmaddS, Op::FaddS,
                      Op::FsubS, Op::FmulS, Op::FdivS,   Op::FsqrtS,  Op::FsgnjS,  Op::FsgnjnS, Op::FsgnjxS,
                      Op::FminS, Op::FmaxS, Op::FcvtWS,  Op::FcvtWuS, Op::FcvtLS,  Op::FcvtLuS, Op::FeqS,
                      Op::FltS,  Op::FleS,  Op::FclassS, Op::FcvtSW,  Op::FcvtSWu, Op::FcvtSL,  Op::FcvtSLu});
  add_format<F64>(t, {Op::Fld,   Op::Fsd,   Op::FmaddD,  Op::FmsubD,  Op::FnmsubD, Op::FnmaddD, Op::FaddD,
                      Op::FsubD, Op::FmulD, Op::FdivD,   Op::FsqrtD,  Op::FsgnjD,  Op::FsgnjnD, Op::FsgnjxD,
                      Op::FminD, Op::FmaxD, Op::FcvtWD,  Op::FcvtWuD, Op::FcvtLD,  Op::FcvtLuD, Op::FeqD,
                      Op::FltD,  Op::FleD,  Op::FclassD, Op::FcvtDW,  Op::FcvtDWu, Op::FcvtDL,  Op::FcvtDLu});
  t.set<fmv_x_w>(Op::FmvXW);
  t.set<fmv_w_x>(Op::FmvWX);
  t.set<fmv_x_d>(Op::FmvXD);
  t.set<fmv_d_x>(Op::FmvDX);
  t.set<convert_format<F32, F64>>(Op::FcvtSD);
  t.set<convert_format<F64, F32>>(Op::FcvtDS);
}

}  // namespace strata
