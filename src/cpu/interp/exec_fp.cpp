// F and D handlers. The arithmetic is the exact software core in cpu/fp/; these handlers
// add what the ISA wraps around it: mstatus.FS gating, static and dynamic rounding modes,
// NaN boxing of single-precision values, fflags accrual and FS = Dirty.
#include <type_traits>

#include "cpu/fp/fp.h"
#include "cpu/fp/fp_state.h"
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

// fadd, fsub, fmul, fdiv.
template <typename F, Bits<F> (*Fn)(Bits<F>, Bits<F>, Rm, uint32_t&)>
const Insn* rounded_binary(Hart& h, const Insn* i) {
  Rm rm;
  if (!fp_enabled(h) || !rounding_mode(h, i, rm)) return illegal(h, i);
  uint32_t flags = 0;
  const Bits<F> r = Fn(read_f<F>(h, i->rs1), read_f<F>(h, i->rs2), rm, flags);
  write_f<F>(h, i->rd, r);
  raise_flags(h, flags);
  return next(i);
}

template <typename F>
const Insn* fsqrt(Hart& h, const Insn* i) {
  Rm rm;
  if (!fp_enabled(h) || !rounding_mode(h, i, rm)) return illegal(h, i);
  uint32_t flags = 0;
  const Bits<F> r = fp::sqrt<F>(read_f<F>(h, i->rs1), rm, flags);
  write_f<F>(h, i->rd, r);
  raise_flags(h, flags);
  return next(i);
}

template <typename F, bool kNegateProduct, bool kNegateAddend>
const Insn* fused(Hart& h, const Insn* i) {
  Rm rm;
  if (!fp_enabled(h) || !rounding_mode(h, i, rm)) return illegal(h, i);
  uint32_t flags = 0;
  const Bits<F> r = fma<F>(read_f<F>(h, i->rs1), read_f<F>(h, i->rs2), read_f<F>(h, i->rs3), kNegateProduct,
                           kNegateAddend, rm, flags);
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
template <typename F>
const Insn* fp_load(Hart& h, const Insn* i) {
  if (!fp_enabled(h)) return illegal(h, i);
  Bits<F> v;
  if (!load(h, i, h.x[i->rs1] + uint64_t(int64_t(i->imm)), v)) return nullptr;
  write_f<F>(h, i->rd, v);
  return next(i);
}
template <typename F>
const Insn* fp_store(Hart& h, const Insn* i) {
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
  t[size_t(o.load)] = fp_load<F>;
  t[size_t(o.store)] = fp_store<F>;
  t[size_t(o.madd)] = fused<F, false, false>;
  t[size_t(o.msub)] = fused<F, false, true>;
  t[size_t(o.nmsub)] = fused<F, true, false>;
  t[size_t(o.nmadd)] = fused<F, true, true>;
  t[size_t(o.add)] = rounded_binary<F, add<F>>;
  t[size_t(o.sub)] = rounded_binary<F, sub<F>>;
  t[size_t(o.mul)] = rounded_binary<F, mul<F>>;
  t[size_t(o.div)] = rounded_binary<F, fp::div<F>>;
  t[size_t(o.sqrt)] = fsqrt<F>;
  t[size_t(o.sgnj)] = sign_injection<F, fsgnj<F>>;
  t[size_t(o.sgnjn)] = sign_injection<F, fsgnjn<F>>;
  t[size_t(o.sgnjx)] = sign_injection<F, fsgnjx<F>>;
  t[size_t(o.min)] = min_max<F, fmin<F>>;
  t[size_t(o.max)] = min_max<F, fmax<F>>;
  t[size_t(o.cvt_w)] = to_integer<F, true, 32>;
  t[size_t(o.cvt_wu)] = to_integer<F, false, 32>;
  t[size_t(o.cvt_l)] = to_integer<F, true, 64>;
  t[size_t(o.cvt_lu)] = to_integer<F, false, 64>;
  t[size_t(o.eq)] = compare<F, feq<F>>;
  t[size_t(o.lt)] = compare<F, flt<F>>;
  t[size_t(o.le)] = compare<F, fle<F>>;
  t[size_t(o.fclass)] = classify<F>;
  t[size_t(o.from_w)] = from_integer<F, IntSource::W>;
  t[size_t(o.from_wu)] = from_integer<F, IntSource::Wu>;
  t[size_t(o.from_l)] = from_integer<F, IntSource::L>;
  t[size_t(o.from_lu)] = from_integer<F, IntSource::Lu>;
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
  t[size_t(Op::FmvXW)] = fmv_x_w;
  t[size_t(Op::FmvWX)] = fmv_w_x;
  t[size_t(Op::FmvXD)] = fmv_x_d;
  t[size_t(Op::FmvDX)] = fmv_d_x;
  t[size_t(Op::FcvtSD)] = convert_format<F32, F64>;
  t[size_t(Op::FcvtDS)] = convert_format<F64, F32>;
}

}  // namespace strata
