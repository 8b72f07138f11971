#include "isa/table.h"

#include <array>

#include "isa/table_builders.h"

namespace strata {
namespace {

using namespace table_builders;

constexpr auto kRows = std::to_array<InstrSpec>({
    // RV64I
    op_u("lui", LUI, Format::U, Op::Lui),
    op_u("auipc", AUIPC, Format::U, Op::Auipc),
    ends(op_u("jal", JAL, Format::J, Op::Jal), BlockEnd::Jump),
    ends(op_i("jalr", JALR, 0, Format::Jalr, Ext::I, Op::Jalr), BlockEnd::IndirectJump),
    branch("beq", 0, Op::Beq),
    branch("bne", 1, Op::Bne),
    branch("blt", 4, Op::Blt),
    branch("bge", 5, Op::Bge),
    branch("bltu", 6, Op::Bltu),
    branch("bgeu", 7, Op::Bgeu),
    load("lb", LOAD, 0, Ext::I, Op::Lb),
    load("lh", LOAD, 1, Ext::I, Op::Lh),
    load("lw", LOAD, 2, Ext::I, Op::Lw),
    load("ld", LOAD, 3, Ext::I, Op::Ld),
    load("lbu", LOAD, 4, Ext::I, Op::Lbu),
    load("lhu", LOAD, 5, Ext::I, Op::Lhu),
    load("lwu", LOAD, 6, Ext::I, Op::Lwu),
    store("sb", STORE, 0, Ext::I, Op::Sb),
    store("sh", STORE, 1, Ext::I, Op::Sh),
    store("sw", STORE, 2, Ext::I, Op::Sw),
    store("sd", STORE, 3, Ext::I, Op::Sd),
    op_i("addi", OP_IMM, 0, Format::I, Ext::I, Op::Addi),
    op_i("slti", OP_IMM, 2, Format::I, Ext::I, Op::Slti),
    op_i("sltiu", OP_IMM, 3, Format::I, Ext::I, Op::Sltiu),
    op_i("xori", OP_IMM, 4, Format::I, Ext::I, Op::Xori),
    op_i("ori", OP_IMM, 6, Format::I, Ext::I, Op::Ori),
    op_i("andi", OP_IMM, 7, Format::I, Ext::I, Op::Andi),
    op_sh("slli", OP_IMM, 1, 0x00, Ext::I, Op::Slli),
    op_sh("srli", OP_IMM, 5, 0x00, Ext::I, Op::Srli),
    op_sh("srai", OP_IMM, 5, 0x10, Ext::I, Op::Srai),
    op_r("add", OP, 0, 0x00, Ext::I, Op::Add),
    op_r("sub", OP, 0, 0x20, Ext::I, Op::Sub),
    op_r("sll", OP, 1, 0x00, Ext::I, Op::Sll),
    op_r("slt", OP, 2, 0x00, Ext::I, Op::Slt),
    op_r("sltu", OP, 3, 0x00, Ext::I, Op::Sltu),
    op_r("xor", OP, 4, 0x00, Ext::I, Op::Xor),
    op_r("srl", OP, 5, 0x00, Ext::I, Op::Srl),
    op_r("sra", OP, 5, 0x20, Ext::I, Op::Sra),
    op_r("or", OP, 6, 0x00, Ext::I, Op::Or),
    op_r("and", OP, 7, 0x00, Ext::I, Op::And),
    op_i("addiw", OP_IMM_32, 0, Format::I, Ext::I, Op::Addiw),
    op_shw("slliw", OP_IMM_32, 1, 0x00, Ext::I, Op::Slliw),
    op_shw("srliw", OP_IMM_32, 5, 0x00, Ext::I, Op::Srliw),
    op_shw("sraiw", OP_IMM_32, 5, 0x20, Ext::I, Op::Sraiw),
    op_r("addw", OP_32, 0, 0x00, Ext::I, Op::Addw),
    op_r("subw", OP_32, 0, 0x20, Ext::I, Op::Subw),
    op_r("sllw", OP_32, 1, 0x00, Ext::I, Op::Sllw),
    op_r("srlw", OP_32, 5, 0x00, Ext::I, Op::Srlw),
    op_r("sraw", OP_32, 5, 0x20, Ext::I, Op::Sraw),
    op_i("fence", MISC_MEM, 0, Format::Fence, Ext::I, Op::Fence),
    ends(op_i("fence.i", MISC_MEM, 1, Format::None, Ext::Zifencei, Op::FenceI), BlockEnd::System),
    op_sys("ecall", 0x00000073, Ext::I, Op::Ecall, kMayTrap),
    op_sys("ebreak", 0x00100073, Ext::I, Op::Ebreak, kMayTrap),
    // Zicsr
    csr("csrrw", 1, Format::Csr, Op::Csrrw),
    csr("csrrs", 2, Format::Csr, Op::Csrrs),
    csr("csrrc", 3, Format::Csr, Op::Csrrc),
    csr("csrrwi", 5, Format::CsrI, Op::Csrrwi),
    csr("csrrsi", 6, Format::CsrI, Op::Csrrsi),
    csr("csrrci", 7, Format::CsrI, Op::Csrrci),
    // M
    op_r("mul", OP, 0, 0x01, Ext::M, Op::Mul),
    op_r("mulh", OP, 1, 0x01, Ext::M, Op::Mulh),
    op_r("mulhsu", OP, 2, 0x01, Ext::M, Op::Mulhsu),
    op_r("mulhu", OP, 3, 0x01, Ext::M, Op::Mulhu),
    op_r("div", OP, 4, 0x01, Ext::M, Op::Div),
    op_r("divu", OP, 5, 0x01, Ext::M, Op::Divu),
    op_r("rem", OP, 6, 0x01, Ext::M, Op::Rem),
    op_r("remu", OP, 7, 0x01, Ext::M, Op::Remu),
    op_r("mulw", OP_32, 0, 0x01, Ext::M, Op::Mulw),
    op_r("divw", OP_32, 4, 0x01, Ext::M, Op::Divw),
    op_r("divuw", OP_32, 5, 0x01, Ext::M, Op::Divuw),
    op_r("remw", OP_32, 6, 0x01, Ext::M, Op::Remw),
    op_r("remuw", OP_32, 7, 0x01, Ext::M, Op::Remuw),
    // A
    op_lr("lr.w", W, Op::LrW),
    op_amo("sc.w", W, 0x03, Op::ScW),
    op_amo("amoswap.w", W, 0x01, Op::AmoswapW),
    op_amo("amoadd.w", W, 0x00, Op::AmoaddW),
    op_amo("amoxor.w", W, 0x04, Op::AmoxorW),
    op_amo("amoand.w", W, 0x0c, Op::AmoandW),
    op_amo("amoor.w", W, 0x08, Op::AmoorW),
    op_amo("amomin.w", W, 0x10, Op::AmominW),
    op_amo("amomax.w", W, 0x14, Op::AmomaxW),
    op_amo("amominu.w", W, 0x18, Op::AmominuW),
    op_amo("amomaxu.w", W, 0x1c, Op::AmomaxuW),
    op_lr("lr.d", DW, Op::LrD),
    op_amo("sc.d", DW, 0x03, Op::ScD),
    op_amo("amoswap.d", DW, 0x01, Op::AmoswapD),
    op_amo("amoadd.d", DW, 0x00, Op::AmoaddD),
    op_amo("amoxor.d", DW, 0x04, Op::AmoxorD),
    op_amo("amoand.d", DW, 0x0c, Op::AmoandD),
    op_amo("amoor.d", DW, 0x08, Op::AmoorD),
    op_amo("amomin.d", DW, 0x10, Op::AmominD),
    op_amo("amomax.d", DW, 0x14, Op::AmomaxD),
    op_amo("amominu.d", DW, 0x18, Op::AmominuD),
    op_amo("amomaxu.d", DW, 0x1c, Op::AmomaxuD),
    // F
    load("flw", LOAD_FP, 2, Ext::F, Op::Flw, kFRd),
    store("fsw", STORE_FP, 2, Ext::F, Op::Fsw, kFRs2),
    fp_r4("fmadd.s", MADD, S, Ext::F, Op::FmaddS),
    fp_r4("fmsub.s", MSUB, S, Ext::F, Op::FmsubS),
    fp_r4("fnmsub.s", NMSUB, S, Ext::F, Op::FnmsubS),
    fp_r4("fnmadd.s", NMADD, S, Ext::F, Op::FnmaddS),
    fp_rm("fadd.s", 0x00, S, Ext::F, Op::FaddS),
    fp_rm("fsub.s", 0x01, S, Ext::F, Op::FsubS),
    fp_rm("fmul.s", 0x02, S, Ext::F, Op::FmulS),
    fp_rm("fdiv.s", 0x03, S, Ext::F, Op::FdivS),
    fp_r1rm("fsqrt.s", 0x0b, S, 0, Ext::F, Op::FsqrtS, kFRd | kFRs1),
    fp_r("fsgnj.s", 0x04, S, 0, Ext::F, Op::FsgnjS, kFF),
    fp_r("fsgnjn.s", 0x04, S, 1, Ext::F, Op::FsgnjnS, kFF),
    fp_r("fsgnjx.s", 0x04, S, 2, Ext::F, Op::FsgnjxS, kFF),
    fp_cmp("fmin.s", 0x05, S, 0, Ext::F, Op::FminS, kFF),
    fp_cmp("fmax.s", 0x05, S, 1, Ext::F, Op::FmaxS, kFF),
    fp_r1rm("fcvt.w.s", 0x18, S, 0, Ext::F, Op::FcvtWS, kFRs1),
    fp_r1rm("fcvt.wu.s", 0x18, S, 1, Ext::F, Op::FcvtWuS, kFRs1),
    fp_r1rm("fcvt.l.s", 0x18, S, 2, Ext::F, Op::FcvtLS, kFRs1),
    fp_r1rm("fcvt.lu.s", 0x18, S, 3, Ext::F, Op::FcvtLuS, kFRs1),
    fp_r1("fmv.x.w", 0x1c, S, 0, Ext::F, Op::FmvXW, kFRs1),
    fp_cmp("feq.s", 0x14, S, 2, Ext::F, Op::FeqS, kXFF),
    fp_cmp("flt.s", 0x14, S, 1, Ext::F, Op::FltS, kXFF),
    fp_cmp("fle.s", 0x14, S, 0, Ext::F, Op::FleS, kXFF),
    fp_r1("fclass.s", 0x1c, S, 1, Ext::F, Op::FclassS, kFRs1),
    fp_r1rm("fcvt.s.w", 0x1a, S, 0, Ext::F, Op::FcvtSW, kFRd),
    fp_r1rm("fcvt.s.wu", 0x1a, S, 1, Ext::F, Op::FcvtSWu, kFRd),
    fp_r1rm("fcvt.s.l", 0x1a, S, 2, Ext::F, Op::FcvtSL, kFRd),
    fp_r1rm("fcvt.s.lu", 0x1a, S, 3, Ext::F, Op::FcvtSLu, kFRd),
    fp_r1("fmv.w.x", 0x1e, S, 0, Ext::F, Op::FmvWX, kFRd),
    // D
    load("fld", LOAD_FP, 3, Ext::D, Op::Fld, kFRd),
    store("fsd", STORE_FP, 3, Ext::D, Op::Fsd, kFRs2),
    fp_r4("fmadd.d", MADD, D, Ext::D, Op::FmaddD),
    fp_r4("fmsub.d", MSUB, D, Ext::D, Op::FmsubD),
    fp_r4("fnmsub.d", NMSUB, D, Ext::D, Op::FnmsubD),
    fp_r4("fnmadd.d", NMADD, D, Ext::D, Op::FnmaddD),
    fp_rm("fadd.d", 0x00, D, Ext::D, Op::FaddD),
    fp_rm("fsub.d", 0x01, D, Ext::D, Op::FsubD),
    fp_rm("fmul.d", 0x02, D, Ext::D, Op::FmulD),
    fp_rm("fdiv.d", 0x03, D, Ext::D, Op::FdivD),
    fp_r1rm("fsqrt.d", 0x0b, D, 0, Ext::D, Op::FsqrtD, kFRd | kFRs1),
    fp_r("fsgnj.d", 0x04, D, 0, Ext::D, Op::FsgnjD, kFF),
    fp_r("fsgnjn.d", 0x04, D, 1, Ext::D, Op::FsgnjnD, kFF),
    fp_r("fsgnjx.d", 0x04, D, 2, Ext::D, Op::FsgnjxD, kFF),
    fp_cmp("fmin.d", 0x05, D, 0, Ext::D, Op::FminD, kFF),
    fp_cmp("fmax.d", 0x05, D, 1, Ext::D, Op::FmaxD, kFF),
    fp_r1rm("fcvt.s.d", 0x08, S, 1, Ext::D, Op::FcvtSD, kFRd | kFRs1),
    fp_r1rm("fcvt.d.s", 0x08, D, 0, Ext::D, Op::FcvtDS, kFRd | kFRs1),
    fp_r1rm("fcvt.w.d", 0x18, D, 0, Ext::D, Op::FcvtWD, kFRs1),
    fp_r1rm("fcvt.wu.d", 0x18, D, 1, Ext::D, Op::FcvtWuD, kFRs1),
    fp_r1rm("fcvt.l.d", 0x18, D, 2, Ext::D, Op::FcvtLD, kFRs1),
    fp_r1rm("fcvt.lu.d", 0x18, D, 3, Ext::D, Op::FcvtLuD, kFRs1),
    fp_r1("fmv.x.d", 0x1c, D, 0, Ext::D, Op::FmvXD, kFRs1),
    fp_cmp("feq.d", 0x14, D, 2, Ext::D, Op::FeqD, kXFF),
    fp_cmp("flt.d", 0x14, D, 1, Ext::D, Op::FltD, kXFF),
    fp_cmp("fle.d", 0x14, D, 0, Ext::D, Op::FleD, kXFF),
    fp_r1("fclass.d", 0x1c, D, 1, Ext::D, Op::FclassD, kFRs1),
    fp_r1rm("fcvt.d.w", 0x1a, D, 0, Ext::D, Op::FcvtDW, kFRd, kExact),
    fp_r1rm("fcvt.d.wu", 0x1a, D, 1, Ext::D, Op::FcvtDWu, kFRd, kExact),
    fp_r1rm("fcvt.d.l", 0x1a, D, 2, Ext::D, Op::FcvtDL, kFRd),
    fp_r1rm("fcvt.d.lu", 0x1a, D, 3, Ext::D, Op::FcvtDLu, kFRd),
    fp_r1("fmv.d.x", 0x1e, D, 0, Ext::D, Op::FmvDX, kFRd),
    // Zba
    op_r("add.uw", OP_32, 0, 0x04, Ext::Zba, Op::AddUw),
    op_r("sh1add", OP, 2, 0x10, Ext::Zba, Op::Sh1add),
    op_r("sh2add", OP, 4, 0x10, Ext::Zba, Op::Sh2add),
    op_r("sh3add", OP, 6, 0x10, Ext::Zba, Op::Sh3add),
    op_r("sh1add.uw", OP_32, 2, 0x10, Ext::Zba, Op::Sh1addUw),
    op_r("sh2add.uw", OP_32, 4, 0x10, Ext::Zba, Op::Sh2addUw),
    op_r("sh3add.uw", OP_32, 6, 0x10, Ext::Zba, Op::Sh3addUw),
    op_sh("slli.uw", OP_IMM_32, 1, 0x02, Ext::Zba, Op::SlliUw),
    // Zbb
    op_r("andn", OP, 7, 0x20, Ext::Zbb, Op::Andn),
    op_r("orn", OP, 6, 0x20, Ext::Zbb, Op::Orn),
    op_r("xnor", OP, 4, 0x20, Ext::Zbb, Op::Xnor),
    op_r1("clz", OP_IMM, 1, 0x30, 0, Ext::Zbb, Op::Clz),
    op_r1("clzw", OP_IMM_32, 1, 0x30, 0, Ext::Zbb, Op::Clzw),
    op_r1("ctz", OP_IMM, 1, 0x30, 1, Ext::Zbb, Op::Ctz),
    op_r1("ctzw", OP_IMM_32, 1, 0x30, 1, Ext::Zbb, Op::Ctzw),
    op_r1("cpop", OP_IMM, 1, 0x30, 2, Ext::Zbb, Op::Cpop),
    op_r1("cpopw", OP_IMM_32, 1, 0x30, 2, Ext::Zbb, Op::Cpopw),
    op_r("max", OP, 6, 0x05, Ext::Zbb, Op::Max),
    op_r("maxu", OP, 7, 0x05, Ext::Zbb, Op::Maxu),
    op_r("min", OP, 4, 0x05, Ext::Zbb, Op::Min),
    op_r("minu", OP, 5, 0x05, Ext::Zbb, Op::Minu),
    op_r1("sext.b", OP_IMM, 1, 0x30, 4, Ext::Zbb, Op::SextB),
    op_r1("sext.h", OP_IMM, 1, 0x30, 5, Ext::Zbb, Op::SextH),
    op_r1("zext.h", OP_32, 4, 0x04, 0, Ext::Zbb, Op::ZextH),
    op_r("rol", OP, 1, 0x30, Ext::Zbb, Op::Rol),
    op_r("rolw", OP_32, 1, 0x30, Ext::Zbb, Op::Rolw),
    op_r("ror", OP, 5, 0x30, Ext::Zbb, Op::Ror),
    op_sh("rori", OP_IMM, 5, 0x18, Ext::Zbb, Op::Rori),
    op_shw("roriw", OP_IMM_32, 5, 0x30, Ext::Zbb, Op::Roriw),
    op_r("rorw", OP_32, 5, 0x30, Ext::Zbb, Op::Rorw),
    op_r1("orc.b", OP_IMM, 5, 0x14, 7, Ext::Zbb, Op::OrcB),
    op_r1("rev8", OP_IMM, 5, 0x35, 24, Ext::Zbb, Op::Rev8),
    // Zbs
    op_r("bclr", OP, 1, 0x24, Ext::Zbs, Op::Bclr),
    op_sh("bclri", OP_IMM, 1, 0x12, Ext::Zbs, Op::Bclri),
    op_r("bext", OP, 5, 0x24, Ext::Zbs, Op::Bext),
    op_sh("bexti", OP_IMM, 5, 0x12, Ext::Zbs, Op::Bexti),
    op_r("binv", OP, 1, 0x34, Ext::Zbs, Op::Binv),
    op_sh("binvi", OP_IMM, 1, 0x1a, Ext::Zbs, Op::Binvi),
    op_r("bset", OP, 1, 0x14, Ext::Zbs, Op::Bset),
    op_sh("bseti", OP_IMM, 1, 0x0a, Ext::Zbs, Op::Bseti),
    // Zicond
    op_r("czero.eqz", OP, 5, 0x07, Ext::Zicond, Op::CzeroEqz),
    op_r("czero.nez", OP, 7, 0x07, Ext::Zicond, Op::CzeroNez),
    // Privileged
    op_sys("sret", 0x10200073, Ext::Priv, Op::Sret, kMayTrap),
    op_sys("mret", 0x30200073, Ext::Priv, Op::Mret, kMayTrap),
    op_sys("wfi", 0x10500073, Ext::Priv, Op::Wfi, kMayTrap),
    ends({"sfence.vma", 0x12000073, 0xfe007fff, Format::SfenceVma, Ext::Priv, Op::SfenceVma},
         BlockEnd::System, kMayTrap),
    // C, quadrant 0
    c_op("c.addi4spn", 0, 0, Format::CAddi4spn, Op::Addi, 0, 0, kImmNonZero),
    c_op("c.fld", 0, 1, Format::CLd, Op::Fld, 0, 0, kNoRequire, kFRd),
    c_op("c.lw", 0, 2, Format::CLw, Op::Lw),
    c_op("c.ld", 0, 3, Format::CLd, Op::Ld),
    c_op("c.fsd", 0, 5, Format::CSd, Op::Fsd, 0, 0, kNoRequire, kFRs2),
    c_op("c.sw", 0, 6, Format::CSw, Op::Sw),
    c_op("c.sd", 0, 7, Format::CSd, Op::Sd),
    // C, quadrant 1
    c_op("c.addi", 1, 0, Format::CAddi, Op::Addi),
    c_op("c.addiw", 1, 1, Format::CAddi, Op::Addiw, 0, 0, kRdNonZero),
    c_op("c.li", 1, 2, Format::CLi, Op::Addi),
    c_op("c.addi16sp", 1, 3, Format::CAddi16sp, Op::Addi, 2 << 7, 0x1f << 7, kImmNonZero),
    c_op("c.lui", 1, 3, Format::CLui, Op::Lui, 0, 0, kRdNot2 | kImmNonZero),
    c_op("c.srli", 1, 4, Format::CShiftR, Op::Srli, 0 << 10, 3 << 10),
    c_op("c.srai", 1, 4, Format::CShiftR, Op::Srai, 1 << 10, 3 << 10),
    c_op("c.andi", 1, 4, Format::CAndi, Op::Andi, 2 << 10, 3 << 10),
    c_op("c.sub", 1, 4, Format::CA, Op::Sub, 0x0c00, 0x1c60),
    c_op("c.xor", 1, 4, Format::CA, Op::Xor, 0x0c20, 0x1c60),
    c_op("c.or", 1, 4, Format::CA, Op::Or, 0x0c40, 0x1c60),
    c_op("c.and", 1, 4, Format::CA, Op::And, 0x0c60, 0x1c60),
    c_op("c.subw", 1, 4, Format::CA, Op::Subw, 0x1c00, 0x1c60),
    c_op("c.addw", 1, 4, Format::CA, Op::Addw, 0x1c20, 0x1c60),
    c_op("c.j", 1, 5, Format::CJ, Op::Jal),
    c_op("c.beqz", 1, 6, Format::CB, Op::Beq),
    c_op("c.bnez", 1, 7, Format::CB, Op::Bne),
    // C, quadrant 2
    c_op("c.slli", 2, 0, Format::CSlli, Op::Slli),
    c_op("c.fldsp", 2, 1, Format::CLdsp, Op::Fld, 0, 0, kNoRequire, kFRd),
    c_op("c.lwsp", 2, 2, Format::CLwsp, Op::Lw, 0, 0, kRdNonZero),
    c_op("c.ldsp", 2, 3, Format::CLdsp, Op::Ld, 0, 0, kRdNonZero),
    c_op("c.jr", 2, 4, Format::CJr, Op::Jalr, 0x0000, 0x107c, kRs1NonZero),
    c_op("c.mv", 2, 4, Format::CMv, Op::Add, 0x0000, 0x1000, kRs2NonZero),
    c_op("c.ebreak", 2, 4, Format::CNone, Op::Ebreak, 0x1000, 0x1ffc),
    c_op("c.jalr", 2, 4, Format::CJalr, Op::Jalr, 0x1000, 0x107c, kRs1NonZero),
    c_op("c.add", 2, 4, Format::CAdd, Op::Add, 0x1000, 0x1000, kRs2NonZero),
    c_op("c.fsdsp", 2, 5, Format::CSdsp, Op::Fsd, 0, 0, kNoRequire, kFRs2),
    c_op("c.swsp", 2, 6, Format::CSwsp, Op::Sw),
    c_op("c.sdsp", 2, 7, Format::CSdsp, Op::Sd),
});

// Columns that follow from other columns, filled here once for every row: FP use from the
// register files and the format, and a compressed row's execution columns from its 32-bit
// row, so the two cannot disagree.
template <size_t N>
constexpr std::array<InstrSpec, N> finish_rows(std::array<InstrSpec, N> rows) {
  for (InstrSpec& s : rows) {
    if (s.fregs & (kFRs1 | kFRs2 | kFRs3)) s.fp |= kFpReadsF;
    if (s.fregs & kFRd) s.fp |= kFpWritesF;
    const bool has_rm = s.format == Format::RRm || s.format == Format::R1Rm || s.format == Format::R4;
    if (has_rm) s.fp |= kFpRoundingMode;
    if (s.fp != kFpNone) s.may_trap = true;  // illegal while mstatus.FS is Off, or with a reserved rm
  }
  for (InstrSpec& c : rows) {
    if (!c.compressed()) continue;
    for (const InstrSpec& w : rows) {
      if (w.compressed() || w.op != c.op) continue;
      c.block_end = w.block_end;
      c.may_trap = w.may_trap;
      c.mem = w.mem;
      c.fp = w.fp;
    }
  }
  return rows;
}
constexpr auto kTable = finish_rows(kRows);

constexpr std::array<uint16_t, kOpCount> build_op_index() {
  std::array<uint16_t, kOpCount> index{};
  for (size_t i = kTable.size(); i-- > 0;)
    if (!kTable[i].compressed()) index[size_t(kTable[i].op)] = uint16_t(i);
  return index;
}
constexpr auto kOpIndex = build_op_index();

}  // namespace

std::span<const InstrSpec> instruction_table() { return kTable; }

const InstrSpec& spec_of(Op op) { return kTable[kOpIndex[size_t(op)]]; }

}  // namespace strata
