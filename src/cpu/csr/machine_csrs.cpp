// Machine-mode CSRs.
#include "cpu/csr/csr.h"
#include "cpu/csr/csr_util.h"
#include "cpu/hart.h"
#include "cpu/trap.h"

namespace strata {
namespace {

using namespace mstatus;

// Delegable exceptions: all but ecall from M (11) and the reserved numbers.
constexpr uint64_t kDelegableExceptions = 0xb3ff;
constexpr uint64_t kSupervisorInterrupts = (1u << irq::kSSI) | (1u << irq::kSTI) | (1u << irq::kSEI);
constexpr uint64_t kAllInterrupts =
    kSupervisorInterrupts | (1u << irq::kMSI) | (1u << irq::kMTI) | (1u << irq::kMEI);
constexpr uint64_t kMstatusWritable =
    kSIE | kMIE | kSPIE | kMPIE | kSPP | kMPP | kFS | kMPRV | kSUM | kMXR | kTVM | kTW | kTSR;
constexpr uint64_t kMenvcfgFIOM = 1, kMenvcfgADUE = 1ull << 61, kMenvcfgSTCE = 1ull << 63;

bool read_mstatus(Hart& h, uint64_t& v) {
  v = with_sd(h.csr.mstatus);
  return true;
}
bool write_mstatus(Hart& h, uint64_t v) {
  // MPP is WARL: the reserved value 2 (no H-mode) keeps the previous mode.
  if (((v & kMPP) >> kMPPShift) == 2) v = (v & ~kMPP) | (h.csr.mstatus & kMPP);
  set_mstatus(h, (h.csr.mstatus & ~kMstatusWritable) | (v & kMstatusWritable));
  return true;
}

bool read_misa(Hart& h, uint64_t& v) {
  v = h.csr.misa;
  return true;
}

bool read_medeleg(Hart& h, uint64_t& v) {
  v = h.csr.medeleg;
  return true;
}
bool write_medeleg(Hart& h, uint64_t v) {
  h.csr.medeleg = v & kDelegableExceptions;
  return true;
}
bool read_mideleg(Hart& h, uint64_t& v) {
  v = h.csr.mideleg;
  return true;
}
bool write_mideleg(Hart& h, uint64_t v) {
  h.csr.mideleg = v & kSupervisorInterrupts;
  h.irq_check = true;
  return true;
}
bool read_mie(Hart& h, uint64_t& v) {
  v = h.csr.mie;
  return true;
}
bool write_mie(Hart& h, uint64_t v) {
  h.csr.mie = v & kAllInterrupts;
  h.irq_check = true;
  return true;
}
bool read_mip(Hart& h, uint64_t& v) {
  v = pending_interrupts(h);
  return true;
}
// CSRRS/CSRRC on mip modify the software-written SEIP, not the OR with the PLIC's line.
bool mip_update_base(Hart& h, uint64_t& v) {
  v = h.csr.mip.load() & ~(1ull << irq::kSEI);
  if (h.csr.seip_software) v |= 1ull << irq::kSEI;
  return true;
}
bool write_mip(Hart& h, uint64_t v) {
  // SSIP and STIP are software-writable (STIP belongs to stimecmp while Sstc is enabled);
  // SEIP writes the software bit that is ORed with the PLIC's line. MSIP, MTIP and MEIP
  // follow the CLINT and the PLIC.
  h.set_pending(irq::kSSI, (v >> irq::kSSI) & 1);
  if (!(h.csr.menvcfg & kMenvcfgSTCE)) h.set_pending(irq::kSTI, (v >> irq::kSTI) & 1);
  h.csr.seip_software = (v >> irq::kSEI) & 1;
  h.irq_check = true;
  return true;
}
bool read_mtvec(Hart& h, uint64_t& v) {
  v = h.csr.mtvec;
  return true;
}
bool write_mtvec(Hart& h, uint64_t v) {
  h.csr.mtvec = legal_tvec(v, h.csr.mtvec);
  return true;
}
bool read_mcounteren(Hart& h, uint64_t& v) {
  v = h.csr.mcounteren;
  return true;
}
bool write_mcounteren(Hart& h, uint64_t v) {
  h.csr.mcounteren = uint32_t(v);
  return true;
}
bool read_mcountinhibit(Hart& h, uint64_t& v) {
  v = h.csr.mcountinhibit;
  return true;
}
bool write_mcountinhibit(Hart& h, uint64_t v) {
  h.csr.mcountinhibit = uint32_t(v) & ~2u;  // bit 1 (time) is hardwired to zero
  return true;
}
// menvcfg: FIOM and STCE (Sstc) are writable. ADUE (Svadu) is fixed by the hart's
// configuration: 1 when the walker updates A/D, 0 when A/D faults (Svade). CBIE/CBCFE/CBZE
// and PBMTE are zero: no Zicbom/Zicboz/Svpbmt.
bool read_menvcfg(Hart& h, uint64_t& v) {
  v = h.csr.menvcfg | (h.config.hardware_ad ? kMenvcfgADUE : 0);
  return true;
}
bool write_menvcfg(Hart& h, uint64_t v) {
  h.csr.menvcfg = v & (kMenvcfgFIOM | kMenvcfgSTCE);
  update_timer_interrupts(h);
  h.irq_check = true;
  return true;
}
bool read_mscratch(Hart& h, uint64_t& v) {
  v = h.csr.mscratch;
  return true;
}
bool write_mscratch(Hart& h, uint64_t v) {
  h.csr.mscratch = v;
  return true;
}
bool read_mepc(Hart& h, uint64_t& v) {
  v = h.csr.mepc;
  return true;
}
bool write_mepc(Hart& h, uint64_t v) {
  h.csr.mepc = v & ~1ull;  // IALIGN is 16 (C is always on)
  return true;
}
bool read_mcause(Hart& h, uint64_t& v) {
  v = h.csr.mcause;
  return true;
}
bool write_mcause(Hart& h, uint64_t v) {
  h.csr.mcause = v;
  return true;
}
bool read_mtval(Hart& h, uint64_t& v) {
  v = h.csr.mtval;
  return true;
}
bool write_mtval(Hart& h, uint64_t v) {
  h.csr.mtval = v;
  return true;
}
bool read_mhartid(Hart& h, uint64_t& v) {
  v = h.csr.mhartid;
  return true;
}
const Csr kCsrs[] = {
    {0x300, "mstatus", read_mstatus, write_mstatus},
    {0x301, "misa", read_misa, ignore_write},
    {0x302, "medeleg", read_medeleg, write_medeleg},
    {0x303, "mideleg", read_mideleg, write_mideleg},
    {0x304, "mie", read_mie, write_mie},
    {0x305, "mtvec", read_mtvec, write_mtvec},
    {0x306, "mcounteren", read_mcounteren, write_mcounteren},
    {0x30a, "menvcfg", read_menvcfg, write_menvcfg},
    {0x320, "mcountinhibit", read_mcountinhibit, write_mcountinhibit},
    {0x340, "mscratch", read_mscratch, write_mscratch},
    {0x341, "mepc", read_mepc, write_mepc},
    {0x342, "mcause", read_mcause, write_mcause},
    {0x343, "mtval", read_mtval, write_mtval},
    {0x344, "mip", read_mip, write_mip, mip_update_base},
    {0xf11, "mvendorid", read_zero, nullptr},
    {0xf12, "marchid", read_zero, nullptr},
    {0xf13, "mimpid", read_zero, nullptr},
    {0xf14, "mhartid", read_mhartid, nullptr},
    {0xf15, "mconfigptr", read_zero, nullptr},
};

}  // namespace

void register_machine_csrs(CsrTable& table) {
  for (const Csr& c : kCsrs) table.add(c);
}

}  // namespace strata
