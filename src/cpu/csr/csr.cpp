#include "cpu/csr/csr.h"

#include <cstdio>
#include <cstdlib>

#include "cpu/hart.h"

namespace strata {

void CsrTable::add(const Csr& csr) {
  if (entries_[csr.number]) {
    std::fprintf(stderr, "CSR %#x registered twice\n", csr.number);
    std::abort();
  }
  entries_[csr.number] = &csr;
}

const CsrTable& csr_table() {
  static const CsrTable table = [] {
    CsrTable t;
    register_machine_csrs(t);
    register_supervisor_csrs(t);
    register_counter_csrs(t);
    register_pmp_csrs(t);
    register_fp_csrs(t);
    register_trigger_csrs(t);
    return t;
  }();
  return table;
}

namespace {
// The number encodes the lowest privilege that may access it (bits 9:8) and whether it
// is read-only (bits 11:10 == 3).
bool privileged_enough(const Hart& h, uint16_t number) { return unsigned(h.priv) >= ((number >> 8) & 3); }
bool read_only(uint16_t number) { return ((number >> 10) & 3) == 3; }
}  // namespace

bool csr_read(Hart& h, uint16_t number, uint64_t& value) {
  const Csr* c = csr_table().find(number);
  if (!c || !privileged_enough(h, number)) return false;
  return c->read(h, value);
}

bool csr_write(Hart& h, uint16_t number, uint64_t value) {
  const Csr* c = csr_table().find(number);
  if (!c || !c->write || read_only(number) || !privileged_enough(h, number)) return false;
  return c->write(h, value);
}

void csr_update_base(Hart& h, uint16_t number, uint64_t& value) {
  const Csr* c = csr_table().find(number);
  if (c && c->update_base) c->update_base(h, value);
}

std::string_view csr_name(uint16_t number) {
  const Csr* c = csr_table().find(number);
  return c ? c->name : std::string_view();
}

}  // namespace strata
