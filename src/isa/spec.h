#pragma once
// What one row of the instruction table says about an instruction.
#include <cstdint>
#include <string_view>

#include "isa/op.h"

namespace strata {

// How operands are laid out in the encoding (and so how the disassembler prints them).
enum class Format : uint8_t {
  // 32-bit
  R,        // rd, rs1, rs2
  R1,       // rd, rs1 (rs2 field fixed by the encoding)
  RRm,      // rd, rs1, rs2, rounding mode
  R1Rm,     // rd, rs1, rounding mode
  R4,       // rd, rs1, rs2, rs3, rounding mode
  I,        // rd, rs1, imm[11:0]
  IShift,   // rd, rs1, shamt[5:0]
  IShiftW,  // rd, rs1, shamt[4:0]
  Load,     // rd, imm(rs1)
  Store,    // rs2, imm(rs1)
  Branch,   // rs1, rs2, pc-relative target
  U,        // rd, imm[31:12]
  J,        // rd, pc-relative target
  Jalr,     // rd, imm(rs1)
  Amo,      // rd, rs2, (rs1), aq/rl
  Lr,       // rd, (rs1), aq/rl
  Csr,      // rd, csr, rs1
  CsrI,     // rd, csr, uimm5 (held in rs1)
  Fence,    // pred, succ, fm (held in imm)
  None,     // no operands
  SfenceVma,  // rs1, rs2
  // 16-bit (compressed); each decodes to the operands of its 32-bit expansion
  CAddi4spn, CLw, CLd, CSw, CSd, CAddi, CLi, CLui, CAddi16sp, CShiftR, CAndi, CA, CJ, CB,
  CSlli, CLwsp, CLdsp, CSwsp, CSdsp, CJr, CJalr, CMv, CAdd, CNone,
};

enum class Ext : uint8_t { I, M, A, F, D, C, Zicsr, Zifencei, Zba, Zbb, Zbs, Zicond, Priv };

// Register files of the operands: which of rd/rs1/rs2/rs3 name f registers.
enum RegFile : uint8_t { kXAll = 0, kFRd = 1, kFRs1 = 2, kFRs2 = 4, kFRs3 = 8 };

// Field conditions that masks cannot express (compressed reserved encodings and the
// compressed code points that share a mask).
enum Require : uint8_t {
  kNoRequire = 0,
  kRdNonZero = 1,
  kRs1NonZero = 2,
  kRs2NonZero = 4,
  kImmNonZero = 8,
  kRdNot2 = 16,
};

// What an engine does after the instruction: whether it ends a translated block, and how.
enum class BlockEnd : uint8_t {
  None,          // falls through to the next instruction; the block may go on
  Branch,        // conditional: pc + imm or the next instruction, both known when translating
  Jump,          // jal: pc + imm, known when translating (the block may chain to it)
  IndirectJump,  // jalr: the target is known only when it runs
  System,        // privilege, translation, interrupt or code state may change: back to the dispatcher
  // Zicsr: System when the access writes its CSR (satp, mstatus, mie... change what later
  // instructions mean), None when it only reads. csr_writes() in properties.h decides.
  IfCsrWrites,
};

enum class MemKind : uint8_t { None, Load, Store, Lr, Sc, Amo };

// The data access an instruction makes (one access: AMOs read and write the same bytes).
struct MemAccess {
  MemKind kind = MemKind::None;
  uint8_t size = 0;          // bytes: 1, 2, 4 or 8
  bool sign_extend = false;  // the value put in x rd is sign- (true) or zero-extended from size bytes
  bool f_data = false;       // the data register (rd of a load, rs2 of a store) is an f register
};

// The floating-point state an instruction touches. Any bit set means the instruction is
// illegal while mstatus.FS is Off. CSR accesses to fflags/frm/fcsr are the CSR file's business.
enum FpUse : uint8_t {
  kFpNone = 0,
  kFpReadsF = 1,        // reads an f register
  kFpWritesF = 2,       // writes an f register: FS becomes Dirty
  kFpRoundingMode = 4,  // has an rm field: DYN reads frm, a reserved value is illegal
  kFpSetsFlags = 8,     // may accrue fflags: FS becomes Dirty
};

struct InstrSpec {
  std::string_view name;
  uint32_t match;
  uint32_t mask;
  Format format;
  Ext ext;
  Op op;
  uint8_t fregs = kXAll;
  uint8_t require = kNoRequire;
  // Execution columns, so engines need no switch of their own over Op. A compressed row
  // carries the columns of the 32-bit instruction it expands to.
  BlockEnd block_end = BlockEnd::None;
  // Can raise a synchronous exception itself (fetching the next instruction is not counted;
  // with C always on, no jump target is misaligned).
  bool may_trap = false;
  MemAccess mem = {};
  uint8_t fp = kFpNone;  // FpUse bits

  constexpr bool compressed() const { return (mask & 3) == 3 && (match & 3) != 3; }
  constexpr unsigned length() const { return compressed() ? 2 : 4; }
};

}  // namespace strata
