// The aliases GNU objdump 2.40 prints by default. objdump takes the first entry of its opcode
// list that matches, and its list puts aliases before the instructions they stand for; these
// rules reproduce the outcome of that search for every row of our table.
#include "isa/disasm_forms.h"
#include "isa/table.h"

namespace strata::disasm {
namespace {

constexpr uint16_t kFflags = 0x001, kFrm = 0x002, kFcsr = 0x003;
constexpr uint16_t kCycle = 0xc00, kTime = 0xc01, kInstret = 0xc02;

// objdump 2.40 spells an immediate instruction with the name of its register form
// ("add a0,a1,5", "sll a0,a1,0x3"): its alias entries for them come first in its list.
std::optional<Op> register_form(Op op) {
  switch (op) {
    case Op::Addi:
      return Op::Add;
    case Op::Xori:
      return Op::Xor;
    case Op::Ori:
      return Op::Or;
    case Op::Andi:
      return Op::And;
    case Op::Slli:
      return Op::Sll;
    case Op::Srli:
      return Op::Srl;
    case Op::Srai:
      return Op::Sra;
    case Op::Addiw:
      return Op::Addw;
    case Op::Slliw:
      return Op::Sllw;
    case Op::Srliw:
      return Op::Srlw;
    case Op::Sraiw:
      return Op::Sraw;
    case Op::Rori:
      return Op::Ror;
    case Op::Roriw:
      return Op::Rorw;
    case Op::Bclri:
      return Op::Bclr;
    case Op::Bseti:
      return Op::Bset;
    case Op::Binvi:
      return Op::Binv;
    case Op::Bexti:
      return Op::Bext;
    default:
      return std::nullopt;
  }
}

std::optional<Form> csr_alias(const Decoded& d) {
  const uint16_t csr = uint16_t(d.imm & 0xfff);
  switch (d.op) {
    case Op::Csrrs:
      if (d.rs1 == 0) {
        switch (csr) {
          case kFflags:
            return Form{"frflags", "d"};
          case kFrm:
            return Form{"frrm", "d"};
          case kFcsr:
            return Form{"frcsr", "d"};
          case kCycle:
            return Form{"rdcycle", "d"};
          case kTime:
            return Form{"rdtime", "d"};
          case kInstret:
            return Form{"rdinstret", "d"};
          default:
            return Form{"csrr", "d,E"};
        }
      }
      if (d.rd == 0) return Form{"csrs", "E,s"};
      return std::nullopt;
    case Op::Csrrw: {
      const char* fp_name = csr == kFflags ? "fsflags"
                            : csr == kFrm  ? "fsrm"
                            : csr == kFcsr ? "fscsr"
                                           : nullptr;
      if (fp_name) return Form{fp_name, d.rd == 0 ? "s" : "d,s"};
      if (d.rd == 0) return Form{"csrw", "E,s"};
      return std::nullopt;
    }
    case Op::Csrrc:
      if (d.rd == 0) return Form{"csrc", "E,s"};
      return std::nullopt;
    // The immediate forms print under the register forms' names, like the I-type ALU ops.
    case Op::Csrrwi:
      if (csr == kFflags) return Form{"fsflagsi", "d,Z"};
      if (csr == kFrm) return Form{"fsrmi", "d,Z"};
      return d.rd == 0 ? Form{"csrw", "E,Z"} : Form{"csrrw", "d,E,Z"};
    case Op::Csrrsi:
      return d.rd == 0 ? Form{"csrs", "E,Z"} : Form{"csrrs", "d,E,Z"};
    case Op::Csrrci:
      return d.rd == 0 ? Form{"csrc", "E,Z"} : Form{"csrrc", "d,E,Z"};
    default:
      return std::nullopt;
  }
}

std::optional<Form> control_alias(const Decoded& d) {
  switch (d.op) {
    case Op::Beq:
      if (d.rs2 == 0) return Form{"beqz", "s,p"};
      return std::nullopt;
    case Op::Bne:
      if (d.rs2 == 0) return Form{"bnez", "s,p"};
      return std::nullopt;
    case Op::Bge:
      if (d.rs1 == 0) return Form{"blez", "t,p"};
      if (d.rs2 == 0) return Form{"bgez", "s,p"};
      return std::nullopt;
    case Op::Blt:
      if (d.rs2 == 0) return Form{"bltz", "s,p"};
      if (d.rs1 == 0) return Form{"bgtz", "t,p"};
      return std::nullopt;
    case Op::Jal:
      if (d.rd == 0) return Form{"j", "p"};
      if (d.rd == 1) return Form{"jal", "p"};
      return std::nullopt;
    case Op::Jalr:
      if (d.rd == 0) {
        if (d.rs1 == 1 && d.imm == 0) return Form{"ret", ""};
        return Form{"jr", d.imm == 0 ? "s" : "j(s)"};
      }
      if (d.rd == 1) return Form{"jalr", d.imm == 0 ? "s" : "j(s)"};
      if (d.imm == 0) return Form{"jalr", "d,s"};
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

}  // namespace

std::optional<Form> alias_form(const Decoded& d) {
  if (auto csr = csr_alias(d)) return csr;
  if (auto control = control_alias(d)) return control;
  switch (d.op) {
    case Op::Addi:
      if (d.rd == 0 && d.rs1 == 0 && d.imm == 0) return Form{"nop", ""};
      if (d.rs1 == 0) return Form{"li", "d,j"};
      if (d.imm == 0) return Form{"mv", "d,s"};
      break;
    case Op::Andi:
      if (d.imm == 255) return Form{"zext.b", "d,s"};
      break;
    case Op::Xori:
      if (d.imm == -1) return Form{"not", "d,s"};
      break;
    case Op::Sltiu:
      if (d.imm == 1) return Form{"seqz", "d,s"};
      break;
    case Op::Addiw:
      if (d.imm == 0) return Form{"sext.w", "d,s"};
      break;
    case Op::Sub:
      if (d.rs1 == 0) return Form{"neg", "d,t"};
      break;
    case Op::Subw:
      if (d.rs1 == 0) return Form{"negw", "d,t"};
      break;
    case Op::Sltu:
      if (d.rs1 == 0) return Form{"snez", "d,t"};
      break;
    case Op::Slt:
      if (d.rs2 == 0) return Form{"sltz", "d,s"};
      if (d.rs1 == 0) return Form{"sgtz", "d,t"};
      break;
    case Op::AddUw:
      if (d.rs2 == 0) return Form{"zext.w", "d,s"};
      break;
    case Op::FsgnjS:
    case Op::FsgnjD:
    case Op::FsgnjnS:
    case Op::FsgnjnD:
    case Op::FsgnjxS:
    case Op::FsgnjxD:
      if (d.rs1 == d.rs2) {
        const bool single = d.op == Op::FsgnjS || d.op == Op::FsgnjnS || d.op == Op::FsgnjxS;
        std::string name = d.op == Op::FsgnjS || d.op == Op::FsgnjD     ? "fmv"
                           : d.op == Op::FsgnjnS || d.op == Op::FsgnjnD ? "fneg"
                                                                        : "fabs";
        return Form{name + (single ? ".s" : ".d"), "d,s"};
      }
      break;
    case Op::Fence:
      if (d.imm == 0x0ff) return Form{"fence", ""};  // iorw, iorw
      break;
    case Op::SfenceVma:
      if (d.rs2 == 0) return Form{"sfence.vma", d.rs1 == 0 ? "" : "s"};
      break;
    default:
      break;
  }
  if (auto reg_op = register_form(d.op)) {
    const InstrSpec& own = spec_of(d.op);
    return Form{std::string(spec_of(*reg_op).name), own.format == Format::I ? "d,s,j" : "d,s,>"};
  }
  return std::nullopt;
}

Form compressed_alias_form(const Decoded& d) {
  const InstrSpec& c = *d.spec;
  switch (c.format) {
    case Format::CAddi:
      if (d.op != Op::Addi) break;  // c.addiw prints as its expansion
      if (d.rd == 0) return d.imm == 0 ? Form{"nop", ""} : Form{"c.nop", "j"};
      return Form{"add", "d,s,j"};  // even with a zero immediate (not "mv")
    case Format::CLi:
      if (d.rd == 0) return Form{"c.li", "d,j"};
      break;
    case Format::CLui:
      if (d.rd == 0) return Form{"c.lui", "d,u"};
      break;
    case Format::CShiftR:
      if (d.imm == 0) return Form{std::string(c.name) + "64", "d"};
      break;
    case Format::CSlli:
      if (d.imm == 0) return Form{"c.slli64", "d"};
      if (d.rd == 0) return Form{"c.slli", "d,>"};
      break;
    case Format::CMv:
      return d.rd == 0 ? Form{"c.mv", "d,t"} : Form{"mv", "d,t"};
    case Format::CAdd:
      if (d.rd == 0) return Form{"c.add", "d,t"};
      break;
    default:
      break;
  }
  if (auto alias = alias_form(d)) return *alias;
  return plain_form(d, spec_of(d.op));
}

}  // namespace strata::disasm
