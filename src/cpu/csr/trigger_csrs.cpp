// Trigger-module CSRs (Sdtrig) for a hart with no triggers: tselect, tdata1..3 and tinfo.
// They exist so that M-mode software may probe for triggers without trapping (debuggers,
// firmware and the official breakpoint tests do); what they report is the architected
// "no trigger here": tselect holds only 0, tdata1 reads type 0, tinfo reads 1.
#include "cpu/csr/csr.h"
#include "cpu/csr/csr_util.h"
#include "cpu/hart.h"

namespace strata {
namespace {

// tinfo.info has one bit per supported tdata1.type; 1 (type 0) when no trigger exists.
bool read_tinfo(Hart&, uint64_t& v) {
  v = 1;
  return true;
}

const Csr kCsrs[] = {
    {0x7a0, "tselect", read_zero, ignore_write}, {0x7a1, "tdata1", read_zero, ignore_write},
    {0x7a2, "tdata2", read_zero, ignore_write},  {0x7a3, "tdata3", read_zero, ignore_write},
    {0x7a4, "tinfo", read_tinfo, ignore_write},
};

}  // namespace

void register_trigger_csrs(CsrTable& table) {
  for (const Csr& c : kCsrs) table.add(c);
}

}  // namespace strata
