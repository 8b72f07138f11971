#include "isa/disasm.h"

#include <fmt/format.h>

#include <iterator>

#include "isa/csr_names.h"
#include "isa/decoder.h"
#include "isa/disasm_forms.h"
#include "isa/table.h"

namespace strata {
namespace {

using disasm::Form;

constexpr std::string_view kXNames[32] = {
    "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0",  "a1",  "a2", "a3", "a4", "a5",
    "a6",   "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6"};
constexpr std::string_view kFNames[32] = {"ft0", "ft1", "ft2",  "ft3",  "ft4", "ft5", "ft6",  "ft7",
                                          "fs0", "fs1", "fa0",  "fa1",  "fa2", "fa3", "fa4",  "fa5",
                                          "fa6", "fa7", "fs2",  "fs3",  "fs4", "fs5", "fs6",  "fs7",
                                          "fs8", "fs9", "fs10", "fs11", "ft8", "ft9", "ft10", "ft11"};
// objdump prints "unknown" for the reserved rounding modes and an empty fence set.
constexpr std::string_view kRoundingModes[8] = {"rne", "rtz",     "rdn",     "rup",
                                                "rmm", "unknown", "unknown", "dyn"};
constexpr std::string_view kFenceSets[16] = {"unknown", "w",  "r",  "rw",  "o",  "ow",  "or",  "orw",
                                             "i",       "iw", "ir", "irw", "io", "iow", "ior", "iorw"};

std::string_view reg(uint8_t number, bool fp) { return (fp ? kFNames : kXNames)[number & 31]; }

void append_csr(std::string& out, uint16_t number) {
  std::string_view name = standard_csr_name(number);
  if (name.empty())
    fmt::format_to(std::back_inserter(out), "0x{:x}", number);
  else
    out += name;
}

// Expands an operand pattern (see disasm_forms.h) over the decoded fields.
std::string render(const Decoded& d, uint8_t fregs, const Form& form, uint64_t pc) {
  std::string out = form.mnemonic;
  if (form.operands.empty()) return out;
  out += '\t';
  auto it = std::back_inserter(out);
  for (char c : form.operands) {
    switch (c) {
      case 'd':
        out += reg(d.rd, fregs & kFRd);
        break;
      case 's':
        out += reg(d.rs1, fregs & kFRs1);
        break;
      case 't':
        out += reg(d.rs2, fregs & kFRs2);
        break;
      case 'r':
        out += reg(d.rs3, fregs & kFRs3);
        break;
      case 'j':
        fmt::format_to(it, "{}", d.imm);
        break;
      case '>':
        fmt::format_to(it, "0x{:x}", uint64_t(d.imm));
        break;
      case 'u':
        fmt::format_to(it, "0x{:x}", (uint64_t(d.imm) >> 12) & 0xfffff);
        break;
      case 'p':
        fmt::format_to(it, "0x{:x}", pc + uint64_t(d.imm));
        break;
      case 'E':
        append_csr(out, uint16_t(d.imm & 0xfff));
        break;
      case 'Z':
        fmt::format_to(it, "{}", d.rs1);
        break;
      case 'm':
        out += kRoundingModes[d.rm & 7];
        break;
      case 'P':
        out += kFenceSets[(d.imm >> 4) & 15];
        break;
      case 'Q':
        out += kFenceSets[d.imm & 15];
        break;
      default:
        out += c;
        break;
    }
  }
  return out;
}

// Encodings our decoder accepts (the hart executes them) but objdump 2.40 prints as data.
bool objdump_rejects(const Decoded& d) {
  switch (d.op) {
    case Op::Fence:  // rd, rs1 and fm must be zero, except the fence.tso encoding
      return (d.rd != 0 || d.rs1 != 0 || (d.imm >> 8) != 0) && d.raw != 0x8330000f;
    case Op::FenceI:  // objdump wants imm, rs1 and rd zero
      return d.raw != 0x0000100f;
    case Op::FcvtDS:  // exact conversions: objdump knows only rm = 0 (rne)
    case Op::FcvtDW:
    case Op::FcvtDWu:
      return d.rm != 0;
    default:
      return false;
  }
}

// Exact encodings that objdump names in both styles.
std::optional<Form> special_word(uint32_t raw) {
  switch (raw) {
    case 0xc0001073:
      return Form{"unimp", ""};  // csrrw zero, cycle, zero
    case 0x8330000f:
      return Form{"fence.tso", ""};
    case 0x0100000f:
      return Form{"pause", ""};  // fence w, 0 (Zihintpause)
    default:
      return std::nullopt;
  }
}

std::string data_directive(const Decoded& d) {
  if (d.len == 2) return fmt::format(".2byte\t0x{:x}", d.raw & 0xffff);
  return fmt::format(".4byte\t0x{:x}", d.raw);
}

// The c.* spelling (objdump -M no-aliases) of a compressed instruction.
Form compressed_plain_form(const Decoded& d) {
  const InstrSpec& s = *d.spec;
  std::string name(s.name);
  switch (s.format) {
    case Format::CAddi4spn:
      return {name, "d,s,j"};
    case Format::CLw:
    case Format::CLd:
    case Format::CLwsp:
    case Format::CLdsp:
      return {name, "d,j(s)"};
    case Format::CSw:
    case Format::CSd:
    case Format::CSwsp:
    case Format::CSdsp:
      return {name, "t,j(s)"};
    case Format::CAddi:
    case Format::CLi:
    case Format::CAddi16sp:
    case Format::CAndi:
      return {name, "d,j"};
    case Format::CLui:
      return {name, "d,u"};
    case Format::CShiftR:
    case Format::CSlli:  // a zero shift is the RV128 "64" form, kept as a hint
      return d.imm == 0 ? Form{name + "64", "d"} : Form{name, "d,>"};
    case Format::CA:
    case Format::CMv:
    case Format::CAdd:
      return {name, "d,t"};
    case Format::CJ:
      return {name, "p"};
    case Format::CB:
      return {name, "s,p"};
    case Format::CJr:
    case Format::CJalr:
      return {name, "s"};
    default:
      return {name, ""};
  }
}

}  // namespace

namespace disasm {

Form plain_form(const Decoded& d, const InstrSpec& row) {
  std::string name(row.name);
  const bool rm = d.rm != 7;  // objdump leaves out the dynamic rounding mode
  switch (row.format) {
    case Format::R:
      return {name, "d,s,t"};
    case Format::R1:
      return {name, "d,s"};
    case Format::RRm:
      return {name, rm ? "d,s,t,m" : "d,s,t"};
    case Format::R1Rm:
      if (d.op == Op::FcvtDS || d.op == Op::FcvtDW || d.op == Op::FcvtDWu) return {name, "d,s"};
      return {name, rm ? "d,s,m" : "d,s"};
    case Format::R4:
      return {name, rm ? "d,s,t,r,m" : "d,s,t,r"};
    case Format::I:
      return {name, "d,s,j"};
    case Format::IShift:
    case Format::IShiftW:
      return {name, "d,s,>"};
    case Format::Load:
    case Format::Jalr:
      return {name, "d,j(s)"};
    case Format::Store:
      return {name, "t,j(s)"};
    case Format::Branch:
      return {name, "s,t,p"};
    case Format::U:
      return {name, "d,u"};
    case Format::J:
      return {name, "d,p"};
    case Format::Amo:
    case Format::Lr: {
      constexpr std::string_view kOrdering[4] = {"", ".rl", ".aq", ".aqrl"};
      name += kOrdering[d.rm & 3];
      return {name, row.format == Format::Amo ? "d,t,(s)" : "d,(s)"};
    }
    case Format::Csr:
      return {name, "d,E,s"};
    case Format::CsrI:
      return {name, "d,E,Z"};
    case Format::Fence:
      return {name, "P,Q"};
    case Format::SfenceVma:
      return {name, "s,t"};
    default:
      return {name, ""};
  }
}

}  // namespace disasm

std::string disassemble(const Decoded& d, uint64_t pc, DisasmStyle style) {
  const bool aliases = style == DisasmStyle::Objdump;
  if (d.spec == nullptr || objdump_rejects(d)) {
    if (d.len == 2 && (d.raw & 0xffff) == 0) return aliases ? "unimp" : "c.unimp";
    return data_directive(d);
  }
  if (d.spec->compressed()) {
    if (aliases) return render(d, spec_of(d.op).fregs, disasm::compressed_alias_form(d), pc);
    return render(d, d.spec->fregs, compressed_plain_form(d), pc);
  }
  if (auto special = special_word(d.raw)) return render(d, kXAll, *special, pc);
  if (aliases)
    if (auto alias = disasm::alias_form(d)) return render(d, d.spec->fregs, *alias, pc);
  return render(d, d.spec->fregs, disasm::plain_form(d, *d.spec), pc);
}

std::string disassemble_word(uint32_t raw, uint64_t pc, DisasmStyle style) {
  return disassemble(decode(raw), pc, style);
}

}  // namespace strata
