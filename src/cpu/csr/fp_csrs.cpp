// fflags, frm and fcsr (the two together). All three are inaccessible while mstatus.FS is
// Off; a write makes FS Dirty. frm keeps any 3-bit value: the reserved modes 5-7 are
// legal to hold and only make a dynamic-rounding instruction illegal when used.
#include "cpu/csr/csr.h"
#include "cpu/fp/fp_state.h"
#include "cpu/hart.h"

namespace strata {
namespace {

constexpr uint32_t kFlagsMask = 0x1f, kFrmMask = 0x7;

bool read_fflags(Hart& h, uint64_t& v) {
  if (!fp::fp_enabled(h)) return false;
  v = h.csr.fflags;
  return true;
}
bool write_fflags(Hart& h, uint64_t v) {
  if (!fp::fp_enabled(h)) return false;
  h.csr.fflags = uint32_t(v) & kFlagsMask;
  fp::mark_dirty(h);
  return true;
}
bool read_frm(Hart& h, uint64_t& v) {
  if (!fp::fp_enabled(h)) return false;
  v = h.csr.frm;
  return true;
}
bool write_frm(Hart& h, uint64_t v) {
  if (!fp::fp_enabled(h)) return false;
  h.csr.frm = uint32_t(v) & kFrmMask;
  fp::mark_dirty(h);
  return true;
}
bool read_fcsr(Hart& h, uint64_t& v) {
  if (!fp::fp_enabled(h)) return false;
  v = h.csr.fflags | (h.csr.frm << 5);
  return true;
}
bool write_fcsr(Hart& h, uint64_t v) {
  if (!fp::fp_enabled(h)) return false;
  h.csr.fflags = uint32_t(v) & kFlagsMask;
  h.csr.frm = uint32_t(v >> 5) & kFrmMask;
  fp::mark_dirty(h);
  return true;
}

}  // namespace

void register_fp_csrs(CsrTable& table) {
  static const Csr csrs[] = {
      {0x001, "fflags", read_fflags, write_fflags},
      {0x002, "frm", read_frm, write_frm},
      {0x003, "fcsr", read_fcsr, write_fcsr},
  };
  for (const Csr& c : csrs) table.add(c);
}

}  // namespace strata
