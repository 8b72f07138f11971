// F and D instructions, and the fflags/frm/fcsr CSR accesses, as host SSE/FMA code where
// that provably gives the bits and fflags of the semantic function (cpu/sem/fp.h,
// cpu/csr/fp_csrs.cpp); everything else there calls that function, as does every guard
// that fails.
//
// Rounded arithmetic (add, sub, mul, div, sqrt, the fused forms, fcvt.s.d) runs on the host
// when the rounding mode is RNE (static, or DYN with frm == 0) and fflags.NX is already set,
// and keeps the host result only if it is finite and normal with an exponent above the
// smallest normal one. The host's IEEE result is then the RISC-V result: no NaN went in or
// came out (no payload or NV question: NaN or infinite operands, 0 * inf, inf - inf, x / 0
// give a NaN, an infinity or a zero), a finite result had no overflow, and a result of at least
// 2^(emin+1) was not tiny however the exact value rounds, so there is no UF. The only flag
// left is NX, which is sticky and already set. (This needs no bounds on the operands:
// subnormal ones are exact on the host without DAZ.) Singles must be NaN-boxed, as read_f
// would otherwise give the canonical NaN, and results are written boxed.
//
// Consecutive such instructions form a run, emitted at its first instruction: the guards
// are checked once, results stay in xmm registers for the instructions after them and are
// stored only once every result of the run passed its check; any failure runs the whole
// run again from the unchanged registers, one semantic call per instruction. (Nothing a run
// does can change frm or clear NX, so one check holds for all of it.)
//
// Every instruction that writes f registers or fcsr needs mstatus.FS Dirty (Off traps;
// Initial and Clean become Dirty in the semantic call, once); those that only read need it
// not Off. Within a block nothing but a block end can clean FS, so after an earlier
// instruction of the block that wrote an f register (its semantic call or inline code left
// FS Dirty, or it trapped and left) the check is dropped.
//
// The host must round to nearest without FTZ/DAZ (checked when translating: the process
// default, which nothing here changes) and the fused forms need FMA3.
#include <xbyak/xbyak.h>

#include <array>
#include <optional>
#include <utility>

#include "cpu/fp/host_fast.h"
#include "cpu/fp/nan_box.h"
#include "cpu/sem/operands.h"
#include "cpu/trap.h"
#include "jit/emitter.h"
#include "jit/guest_operand.h"
#include "jit/host_features.h"

namespace strata::jit {
namespace {

using namespace Xbyak::util;
using Gen = Xbyak::CodeGenerator;
using Label = Xbyak::Label;

enum class Family { Arith, Sqrt, Fused, SignInject, ToX, FromX, Compare, Widen, Narrow, FromInt, Csr };

struct FpOp {
  Family family;
  bool dbl = false;      // double precision (Widen, FromInt: the destination; Narrow: the source;
                         // Csr: the immediate form)
  unsigned variant = 0;  // which one of the family, in the order kFamilies lists them
};

// Each family's single then double forms, in variant order (Widen and Narrow: the one
// conversion; FromInt: to double; Csr: the register then the immediate forms).
struct FamilyOps {
  Family family;
  Op ops[2][4];
};
constexpr FamilyOps kFamilies[] = {
    {Family::Arith,
     {{Op::FaddS, Op::FsubS, Op::FmulS, Op::FdivS}, {Op::FaddD, Op::FsubD, Op::FmulD, Op::FdivD}}},
    {Family::Sqrt, {{Op::FsqrtS}, {Op::FsqrtD}}},
    {Family::Fused,
     {{Op::FmaddS, Op::FmsubS, Op::FnmsubS, Op::FnmaddS},
      {Op::FmaddD, Op::FmsubD, Op::FnmsubD, Op::FnmaddD}}},
    {Family::SignInject, {{Op::FsgnjS, Op::FsgnjnS, Op::FsgnjxS}, {Op::FsgnjD, Op::FsgnjnD, Op::FsgnjxD}}},
    {Family::ToX, {{Op::FmvXW}, {Op::FmvXD}}},
    {Family::FromX, {{Op::FmvWX}, {Op::FmvDX}}},
    {Family::Compare, {{Op::FeqS, Op::FltS, Op::FleS}, {Op::FeqD, Op::FltD, Op::FleD}}},
    {Family::Widen, {{}, {Op::FcvtDS}}},
    {Family::Narrow, {{}, {Op::FcvtSD}}},
    {Family::FromInt, {{}, {Op::FcvtDW, Op::FcvtDWu, Op::FcvtDL, Op::FcvtDLu}}},
    {Family::Csr, {{Op::Csrrw, Op::Csrrs, Op::Csrrc}, {Op::Csrrwi, Op::Csrrsi, Op::Csrrci}}},
};

std::optional<FpOp> classify(Op op) {
  static const auto table = [] {
    std::array<std::optional<FpOp>, kOpCount> t{};
    for (const FamilyOps& f : kFamilies)
      for (unsigned dbl = 0; dbl < 2; dbl++)
        for (unsigned v = 0; v < 4; v++)
          if (f.ops[dbl][v] != Op::Illegal) t[size_t(f.ops[dbl][v])] = FpOp{f.family, dbl == 1, v};
    return t;
  }();
  return size_t(op) < kOpCount ? table[size_t(op)] : std::nullopt;
}

constexpr uint32_t kFS = uint32_t(mstatus::kFS);
constexpr unsigned kFflags = 0x001, kFrm = 0x002, kFcsr = 0x003;
constexpr uint32_t kFlagsMask = 0x1f, kFrmMask = 0x7;  // as fp_csrs.cpp keeps them
// A run keeps each result in its own register, xmm0 up; xmm14 and xmm15 are scratch.
constexpr unsigned kRunRegs = 14;

bool rounds(Family f) {
  return f == Family::Arith || f == Family::Sqrt || f == Family::Fused || f == Family::Narrow;
}

// Whether the host code may stand for the instruction with this rm field. Host rounding is
// checked when translating, on the thread that runs the code.
bool eligible(const FpOp& op, unsigned rm) {
  const Family f = op.family;
  const bool legal = rm <= unsigned(fp::Rm::RMM) || rm == fp::kDynamicRm;  // else illegal
  if (f == Family::SignInject || f == Family::ToX || f == Family::FromX || f == Family::Csr) return true;
  if (f == Family::FromInt) return legal;       // exact, else the semantic call
  if (!fp::host::ieee_nearest()) return false;  // DAZ would even make subnormals compare as zero
  if (f == Family::Compare) return true;
  if (f == Family::Widen) return legal;  // exact in every mode
  const bool nearest = rm == unsigned(fp::Rm::RNE) || rm == fp::kDynamicRm;
  return nearest && (f != Family::Fused || host_features().fma3);
}

// A run instruction: its sources, the format it reads them in and the one it writes.
struct RunInsn {
  FpOp op;
  sem::Operands o;
  unsigned sources[3];
  unsigned count;
  bool in_dbl, out_dbl;
};

std::optional<RunInsn> run_insn(const Decoded& d) {
  const std::optional<FpOp> op = classify(d.op);
  if (!op || !(rounds(op->family) || op->family == Family::Widen) || !eligible(*op, d.rm))
    return std::nullopt;
  const Family f = op->family;
  const sem::Operands o = sem::operands_of(d);
  const unsigned count = f == Family::Fused ? 3 : f == Family::Arith ? 2 : 1;
  return RunInsn{
      *op, o, {o.rs1, o.rs2, o.rs3}, count, f != Family::Widen && op->dbl, f != Family::Narrow && op->dbl};
}

// The run holding run instruction k, [first, end): runs are maximal from the block's start,
// split where the registers run out or a result is read in the other format (that read
// then goes through the f register, whose bits the semantic layer defines).
std::pair<unsigned, unsigned> run_of(const GuestBlock& b, unsigned k) {
  unsigned first = 0;
  std::array<uint8_t, 32> written{};  // by the run so far: 1 a single, 2 a double
  for (unsigned i = 0; i <= b.insns.size(); i++) {
    const std::optional<RunInsn> r = i < b.insns.size() ? run_insn(b.insns[i]) : std::nullopt;
    bool joins = r && i - first < kRunRegs;
    for (unsigned s = 0; joins && s < r->count; s++)
      joins = !written[r->sources[s]] || written[r->sources[s]] == 1 + r->in_dbl;
    if (!joins) {
      if (k < i) return {first, i};
      written.fill(0);
      first = r ? i : i + 1;
    }
    if (r) written[r->o.rd] = 1 + r->out_dbl;
  }
  return {k, k + 1};  // not reached
}

// Emits guards and host code; every failed guard jumps to `slow`.
struct FpCode {
  Gen& g;
  const HartLayout& l;
  Label& slow;
  bool dbl = false;

  void fs_on() {
    g.test(dword[rbx + l.mstatus], kFS);
    g.jz(slow, Gen::T_NEAR);
  }
  void fs_dirty() {
    g.mov(eax, dword[rbx + l.mstatus]);
    g.not_(eax);
    g.test(eax, kFS);
    g.jnz(slow, Gen::T_NEAR);
  }
  void nearest() {  // DYN: frm must be RNE
    g.cmp(dword[rbx + l.frm], 0);
    g.jne(slow, Gen::T_NEAR);
  }
  void legal_rm() {  // DYN: frm must not be reserved
    g.cmp(dword[rbx + l.frm], unsigned(fp::Rm::RMM));
    g.ja(slow, Gen::T_NEAR);
  }
  void nx_set() {
    g.test(byte[rbx + l.fflags], uint8_t(fp::flag::NX));
    g.jz(slow, Gen::T_NEAR);
  }
  void boxed(unsigned r) {  // a single: otherwise read_f would give the canonical NaN
    g.cmp(dword[rbx + l.fr(r) + 4], -1);
    g.jne(slow, Gen::T_NEAR);
  }
  Xbyak::Address at(unsigned r, bool d) const { return d ? qword[rbx + l.fr(r)] : dword[rbx + l.fr(r)]; }
  Xbyak::Address at(unsigned r) const { return at(r, dbl); }
  void load(const Xbyak::Xmm& x, const Xbyak::Operand& src, bool d) {
    if (!src.isMEM()) return g.movaps(x, src);
    d ? g.movsd(x, src) : g.movss(x, src);
  }
  // One 8-byte store (a later 8-byte load of the register forwards from it): singles boxed.
  void store(unsigned r, const Xbyak::Xmm& x, bool d) {
    if (!d) {
      g.pcmpeqd(xmm15, xmm15);
      g.unpcklps(x, xmm15);
    }
    g.movsd(qword[rbx + l.fr(r)], x);
  }
};

// A run's host code: results in xmm0 up, sources from those or the f registers.
struct Run {
  FpCode& c;
  std::array<int, 32> reg;  // the xmm holding f[r] in the run, or -1
  std::array<bool, 32> dbl{}, box_checked{};
  unsigned used = 0;
  bool limits_loaded = false;

  explicit Run(FpCode& code) : c(code) { reg.fill(-1); }

  // Calls fn with f[r] as an operand: its run register, else its slot (a single's boxing
  // checked on its first read).
  template <typename Fn>
  void with(unsigned r, bool d, Fn&& fn) {
    if (reg[r] >= 0) return fn(Xbyak::Xmm(reg[r]));
    if (!d && !box_checked[r]) {
      c.boxed(r);
      box_checked[r] = true;
    }
    fn(c.at(r, d));
  }

  // The result must be finite and normal with a biased exponent of at least 2: twice its
  // bits, less 2 << (fraction bits + 1), below (max biased - 2) << (fraction bits + 1).
  void check(const Xbyak::Xmm& x, bool d) {
    Gen& g = c.g;
    if (!d) {
      g.movd(eax, x);
      g.lea(eax, ptr[rax * 2 - (2 << 24)]);
      g.cmp(eax, uint32_t(fp::F32::kMaxBiased - 2) << 24);
      g.jae(c.slow, Gen::T_NEAR);
      return;
    }
    if (!limits_loaded) {  // no call in a run: rcx and rdx keep them
      g.mov(rcx, -(int64_t(2) << 53));
      g.mov(rdx, uint64_t(fp::F64::kMaxBiased - 2) << 53);
      limits_loaded = true;
    }
    g.movq(rax, x);
    g.lea(rax, ptr[rcx + rax * 2]);
    g.cmp(rax, rdx);
    g.jae(c.slow, Gen::T_NEAR);
  }

  void insn(const RunInsn& r) {
    Gen& g = c.g;
    const Xbyak::Xmm x(int(used++));
    const bool d = r.in_dbl;
    const unsigned v = r.op.variant;
    with(r.sources[0], d, [&](const Xbyak::Operand& a) { c.load(x, a, d); });
    switch (r.op.family) {
      case Family::Arith: {
        using Op2 = void (Gen::*)(const Xbyak::Xmm&, const Xbyak::Operand&);
        static constexpr Op2 kDouble[] = {&Gen::addsd, &Gen::subsd, &Gen::mulsd, &Gen::divsd};
        static constexpr Op2 kSingle[] = {&Gen::addss, &Gen::subss, &Gen::mulss, &Gen::divss};
        with(r.sources[1], d, [&](const Xbyak::Operand& b) { (g.*(d ? kDouble : kSingle)[v])(x, b); });
        break;
      }
      case Family::Sqrt:
        d ? g.sqrtsd(x, x) : g.sqrtss(x, x);
        break;
      case Family::Fused: {
        // The RISC-V negations mapped to the x86 forms (negating is exact, so the host rounds
        // the same value): fmadd a*b+c, fmsub a*b-c, fnmsub -(a*b)+c, fnmadd -(a*b)-c.
        using Op3 = void (Gen::*)(const Xbyak::Xmm&, const Xbyak::Xmm&, const Xbyak::Operand&);
        static constexpr Op3 kDouble[] = {&Gen::vfmadd213sd, &Gen::vfmsub213sd, &Gen::vfnmadd213sd,
                                          &Gen::vfnmsub213sd};
        static constexpr Op3 kSingle[] = {&Gen::vfmadd213ss, &Gen::vfmsub213ss, &Gen::vfnmadd213ss,
                                          &Gen::vfnmsub213ss};
        with(r.sources[1], d, [&](const Xbyak::Operand& b) {
          if (b.isMEM()) c.load(xmm14, b, d);
          const Xbyak::Xmm& bx = b.isMEM() ? xmm14 : static_cast<const Xbyak::Xmm&>(b);
          with(r.sources[2], d,
               [&](const Xbyak::Operand& cc) { (g.*(d ? kDouble : kSingle)[v])(x, bx, cc); });
        });
        break;
      }
      case Family::Narrow:
        g.cvtsd2ss(x, x);
        break;
      case Family::Widen:  // exact for every non-NaN single (no DAZ); a NaN is canonicalised
        g.ucomiss(x, x);
        g.jp(c.slow, Gen::T_NEAR);
        g.cvtss2sd(x, x);
        break;
      default:
        break;
    }
    if (rounds(r.op.family)) check(x, r.out_dbl);
    reg[r.o.rd] = x.getIdx();
    dbl[r.o.rd] = r.out_dbl;
  }

  // Every result passed: the last value of each register written goes to the hart.
  void store() {
    for (unsigned r = 0; r < 32; r++)
      if (reg[r] >= 0) c.store(r, Xbyak::Xmm(reg[r]), dbl[r]);
  }
};

// fsgnj, fsgnjn, fsgnjx on the raw bits, into rax; singles read unboxed (an improperly
// boxed one is the canonical NaN, as read_f gives it) and come out boxed.
void sign_inject(FpCode& c, unsigned variant, const sem::Operands& o) {
  Gen& g = c.g;
  if (c.dbl) {
    g.mov(rax, qword[rbx + c.l.fr(o.rs1)]);
    g.mov(rcx, qword[rbx + c.l.fr(o.rs2)]);
    if (variant == 1) g.not_(rcx);
    g.shr(rcx, 63);
    g.shl(rcx, 63);
    if (variant != 2) g.btr(rax, 63);
    variant == 2 ? g.xor_(rax, rcx) : g.or_(rax, rcx);
    return;
  }
  g.mov(edx, fp::F32::kCanonicalNaN);
  g.mov(eax, dword[rbx + c.l.fr(o.rs1)]);
  g.cmp(dword[rbx + c.l.fr(o.rs1) + 4], -1);
  g.cmovne(eax, edx);
  g.mov(ecx, dword[rbx + c.l.fr(o.rs2)]);
  g.cmp(dword[rbx + c.l.fr(o.rs2) + 4], -1);
  g.cmovne(ecx, edx);
  if (variant == 1) g.not_(ecx);
  g.and_(ecx, fp::F32::kSignMask);
  if (variant != 2) g.and_(eax, ~fp::F32::kSignMask);
  variant == 2 ? g.xor_(eax, ecx) : g.or_(eax, ecx);  // the upper half of rax is zero
  g.mov(rcx, fp::kBoxBits);
  g.or_(rax, rcx);
}

// feq, flt, fle without NaN operands: no flags, and ucomis orders -0 and +0 as equal as
// RISC-V does. A NaN (unordered) takes the semantic call for its NV rules. Result in rax.
void compare(FpCode& c, unsigned variant, const sem::Operands& o) {
  Gen& g = c.g;
  if (!c.dbl) {
    c.boxed(o.rs1);
    c.boxed(o.rs2);
  }
  c.load(xmm0, c.at(o.rs1), c.dbl);
  c.dbl ? g.ucomisd(xmm0, c.at(o.rs2)) : g.ucomiss(xmm0, c.at(o.rs2));
  g.jp(c.slow, Gen::T_NEAR);
  if (variant == 0) g.sete(al);
  if (variant == 1) g.setb(al);
  if (variant == 2) g.setbe(al);
  g.movzx(eax, al);
}

// fcvt.d.{w,wu,l,lu} into xmm0: 32-bit sources are always exact; 64-bit ones only when
// converting back gives the same integer (else rounding and NX: the semantic call).
void from_int(FpCode& c, unsigned variant, const GuestOperand& source) {
  Gen& g = c.g;
  if (variant == 0) g.movsxd(rax, source.d());
  if (variant == 1) g.mov(eax, source.d());
  if (variant >= 2) g.mov(rax, source.q());
  if (variant == 3) {
    g.test(rax, rax);
    g.js(c.slow, Gen::T_NEAR);
  }
  g.xorps(xmm0, xmm0);  // cvtsi2sd keeps the upper lanes: no false dependency
  g.cvtsi2sd(xmm0, rax);
  if (variant >= 2) {
    g.cvttsd2si(rcx, xmm0);
    g.cmp(rcx, rax);
    g.jne(c.slow, Gen::T_NEAR);
  }
}

// The old value of fflags, frm or fcsr into eax; the new one (in ecx) stored, masked as
// fp_csrs.cpp masks it.
void csr_read(Gen& g, const HartLayout& l, unsigned csr) {
  if (csr == kFflags) g.mov(eax, dword[rbx + l.fflags]);
  if (csr == kFrm) g.mov(eax, dword[rbx + l.frm]);
  if (csr == kFcsr) {
    g.mov(eax, dword[rbx + l.frm]);
    g.shl(eax, 5);
    g.or_(eax, dword[rbx + l.fflags]);
  }
}
void csr_write(Gen& g, const HartLayout& l, unsigned csr) {
  if (csr == kFrm) {
    g.and_(ecx, kFrmMask);
    g.mov(dword[rbx + l.frm], ecx);
    return;
  }
  g.mov(edx, ecx);
  g.and_(edx, kFlagsMask);
  g.mov(dword[rbx + l.fflags], edx);
  if (csr == kFcsr) {
    g.shr(ecx, 5);
    g.and_(ecx, kFrmMask);
    g.mov(dword[rbx + l.frm], ecx);
  }
}

}  // namespace

bool BlockEmitter::emit_fp(unsigned k, const Decoded& d, const sem::Operands& o) {
  const std::optional<FpOp> op = classify(d.op);
  if (!op || !eligible(*op, o.rm)) return false;
  const Family fam = op->family;
  const auto csr = unsigned(o.imm);
  if (fam == Family::Csr && csr != kFflags && csr != kFrm && csr != kFcsr) return false;
  const std::optional<RunInsn> in_run = run_insn(d);
  const auto [first, end] = in_run ? run_of(b_, k) : std::pair{k, k + 1};
  if (k != first) return true;  // emitted with its run

  // csrrw reads only with an rd; csrrs/csrrc write only with a nonzero source (register or
  // immediate), as sem::csr_op decides.
  const bool csr_reads = op->variant != 0 || o.rd != sem::kZeroSink;
  const bool csr_writes = op->variant == 0 || o.rs1 != 0;
  const bool reads_only = fam == Family::ToX || fam == Family::Compare || (fam == Family::Csr && !csr_writes);

  Gen& g = g_;
  Label &slow = new_label(), &done = new_label();
  FpCode c{g, l_, slow, op->dbl};
  if (!fs_known_dirty(k)) reads_only ? c.fs_on() : c.fs_dirty();
  if (in_run) {
    bool dynamic_rounding = false, dynamic_exact = false, rounding = false;
    for (unsigned i = first; i < end; i++) {
      const std::optional<RunInsn> r = run_insn(b_.insns[i]);
      const bool dynamic = r->o.rm == fp::kDynamicRm, rnd = rounds(r->op.family);
      dynamic_rounding |= dynamic && rnd;
      dynamic_exact |= dynamic && !rnd;
      rounding |= rnd;
    }
    if (dynamic_rounding) c.nearest();  // which also makes frm legal
    if (dynamic_exact && !dynamic_rounding) c.legal_rm();
    if (rounding) c.nx_set();
    Run run(c);
    for (unsigned i = first; i < end; i++) run.insn(*run_insn(b_.insns[i]));
    run.store();
  } else if ((fam == Family::Widen || fam == Family::FromInt) && o.rm == fp::kDynamicRm) {
    c.legal_rm();
  }
  switch (in_run ? Family::Arith : fam) {
    case Family::Arith:  // a run: done above
      break;
    case Family::FromInt:
      from_int(c, op->variant, x(o.rs1));
      c.store(o.rd, xmm0, true);
      break;
    case Family::SignInject:
      sign_inject(c, op->variant, o);
      g.mov(qword[rbx + l_.fr(o.rd)], rax);
      break;
    case Family::ToX:  // raw bits; fmv.x.w sign-extends the low word, boxed or not
      op->dbl ? g.mov(rax, qword[rbx + l_.fr(o.rs1)]) : g.movsxd(rax, dword[rbx + l_.fr(o.rs1)]);
      g.mov(dst(o.rd).q(), rax);
      break;
    case Family::FromX:
      g.mov(rax, x(o.rs1).q());
      if (!op->dbl) {
        g.mov(rcx, fp::kBoxBits);
        g.or_(rax, rcx);
      }
      g.mov(qword[rbx + l_.fr(o.rd)], rax);
      break;
    case Family::Compare:
      compare(c, op->variant, o);
      g.mov(dst(o.rd).q(), rax);
      break;
    case Family::Csr:
      // Nothing here changes interrupt or translation state (which is why the semantic call
      // leaves the block); the block ends after a write anyway.
      if (csr_writes) op->dbl ? g.mov(ecx, o.rs1) : g.mov(rcx, x(o.rs1).q());
      csr_read(g, l_, csr);  // the source is read first: rd may be rs1
      if (csr_writes && op->variant == 1) g.or_(ecx, eax);
      if (csr_writes && op->variant == 2) {
        g.not_(ecx);
        g.and_(ecx, eax);
      }
      if (csr_writes) csr_write(g, l_, csr);
      if (csr_reads) g.mov(dst(o.rd).q(), rax);
      break;
    default:
      break;
  }
  g.L(done);
  // As in emit_memory, out of line: the slow path stores and reloads what it touches; past
  // the join, the registers the fast path left dirty must still be stored at the exits. A
  // run's slow path runs each of its instructions in turn, from the f registers its fast
  // path left unchanged.
  defer_cold([this, first = first, end = end, &slow, &done] {
    g_.L(slow);
    for (unsigned i = first; i < end; i++) emit_semantic(i, sem::operands_of(b_.insns[i]));
    g_.jmp(done, Gen::T_NEAR);
  });
  return true;
}

}  // namespace strata::jit
