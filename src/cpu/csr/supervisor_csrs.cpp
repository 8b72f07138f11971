// Supervisor-mode CSRs. sstatus, sie and sip are views of the machine registers.
#include "cpu/csr/csr.h"
#include "cpu/csr/csr_util.h"
#include "cpu/hart.h"
#include "cpu/trap.h"

namespace strata {
namespace {

using namespace mstatus;

constexpr uint64_t kUXL = 3ull << 32;
constexpr uint64_t kSstatusVisible = kSIE | kSPIE | kSPP | kFS | kSUM | kMXR | kUXL | kSD;
constexpr uint64_t kSstatusWritable = kSIE | kSPIE | kSPP | kFS | kSUM | kMXR;
constexpr uint64_t kMenvcfgSTCE = 1ull << 63;

bool read_sstatus(Hart& h, uint64_t& v) {
  v = with_sd(h.csr.mstatus) & kSstatusVisible;
  return true;
}
bool write_sstatus(Hart& h, uint64_t v) {
  set_mstatus(h, (h.csr.mstatus & ~kSstatusWritable) | (v & kSstatusWritable));
  return true;
}
bool read_sie(Hart& h, uint64_t& v) {
  v = h.csr.mie & h.csr.mideleg;
  return true;
}
bool write_sie(Hart& h, uint64_t v) {
  const uint64_t mask = h.csr.mideleg;
  h.csr.mie = (h.csr.mie & ~mask) | (v & mask);
  h.irq_check = true;
  return true;
}
// sip and sie show only the delegated interrupts; the others read as zero.
bool read_sip(Hart& h, uint64_t& v) {
  v = pending_interrupts(h) & h.csr.mideleg;
  return true;
}
bool write_sip(Hart& h, uint64_t v) {
  // Only SSIP is writable through sip, and only when delegated; STIP and SEIP are read-only.
  if (h.csr.mideleg & (1ull << irq::kSSI)) h.set_pending(irq::kSSI, (v >> irq::kSSI) & 1);
  h.irq_check = true;
  return true;
}
bool read_stvec(Hart& h, uint64_t& v) {
  v = h.csr.stvec;
  return true;
}
bool write_stvec(Hart& h, uint64_t v) {
  h.csr.stvec = legal_tvec(v, h.csr.stvec);
  return true;
}
bool read_scounteren(Hart& h, uint64_t& v) {
  v = h.csr.scounteren;
  return true;
}
bool write_scounteren(Hart& h, uint64_t v) {
  h.csr.scounteren = uint32_t(v);
  return true;
}
bool read_senvcfg(Hart& h, uint64_t& v) {
  v = h.csr.senvcfg;
  return true;
}
bool write_senvcfg(Hart& h, uint64_t v) {
  h.csr.senvcfg = v & 1;  // FIOM
  return true;
}
bool read_sscratch(Hart& h, uint64_t& v) {
  v = h.csr.sscratch;
  return true;
}
bool write_sscratch(Hart& h, uint64_t v) {
  h.csr.sscratch = v;
  return true;
}
bool read_sepc(Hart& h, uint64_t& v) {
  v = h.csr.sepc;
  return true;
}
bool write_sepc(Hart& h, uint64_t v) {
  h.csr.sepc = v & ~1ull;
  return true;
}
bool read_scause(Hart& h, uint64_t& v) {
  v = h.csr.scause;
  return true;
}
bool write_scause(Hart& h, uint64_t v) {
  h.csr.scause = v;
  return true;
}
bool read_stval(Hart& h, uint64_t& v) {
  v = h.csr.stval;
  return true;
}
bool write_stval(Hart& h, uint64_t v) {
  h.csr.stval = v;
  return true;
}

// satp is illegal in S-mode when mstatus.TVM is set.
bool satp_accessible(const Hart& h) { return !(h.priv == Priv::S && (h.csr.mstatus & kTVM)); }
bool read_satp(Hart& h, uint64_t& v) {
  if (!satp_accessible(h)) return false;
  v = h.csr.satp;
  return true;
}
// WARL: a write selecting a MODE we lack (anything but Bare, Sv39, Sv48, Sv57) changes no
// field. All 16 ASID bits and all 44 PPN bits are implemented. The soft TLB is not tagged by
// ASID, so its translating contexts (U, S, MPRV) empty; the MMU's ASID-tagged cache stays.
bool write_satp(Hart& h, uint64_t v) {
  if (!satp_accessible(h)) return false;
  const uint64_t mode = v >> 60;
  if (mode != 0 && mode != 8 && mode != 9 && mode != 10) return true;
  h.csr.satp = v;
  for (unsigned ctx = 0; ctx < 3; ctx++) h.tlbs[ctx].flush();
  h.update_contexts();
  return true;
}

// Sstc: stimecmp is reachable from S only when menvcfg.STCE and mcounteren.TM allow it.
bool stimecmp_accessible(const Hart& h) {
  if (h.priv == Priv::M) return true;
  return (h.csr.menvcfg & kMenvcfgSTCE) && (h.csr.mcounteren & 2);
}
bool read_stimecmp(Hart& h, uint64_t& v) {
  if (!stimecmp_accessible(h)) return false;
  v = h.csr.stimecmp;
  return true;
}
bool write_stimecmp(Hart& h, uint64_t v) {
  if (!stimecmp_accessible(h)) return false;
  h.csr.stimecmp = v;
  update_timer_interrupts(h);
  return true;
}

const Csr kCsrs[] = {
    {0x100, "sstatus", read_sstatus, write_sstatus},
    {0x104, "sie", read_sie, write_sie},
    {0x105, "stvec", read_stvec, write_stvec},
    {0x106, "scounteren", read_scounteren, write_scounteren},
    {0x10a, "senvcfg", read_senvcfg, write_senvcfg},
    {0x140, "sscratch", read_sscratch, write_sscratch},
    {0x141, "sepc", read_sepc, write_sepc},
    {0x142, "scause", read_scause, write_scause},
    {0x143, "stval", read_stval, write_stval},
    {0x144, "sip", read_sip, write_sip},
    {0x14d, "stimecmp", read_stimecmp, write_stimecmp},
    {0x180, "satp", read_satp, write_satp},
};

}  // namespace

void register_supervisor_csrs(CsrTable& table) {
  for (const Csr& c : kCsrs) table.add(c);
}

}  // namespace strata
