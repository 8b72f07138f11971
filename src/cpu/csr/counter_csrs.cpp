// Counters: cycle, time, instret and the (unimplemented, zero) hpm counters, with the
// mcounteren/scounteren gates on the user-level views.
#include <utility>

#include "cpu/csr/csr.h"
#include "cpu/csr/csr_util.h"
#include "cpu/hart.h"

namespace strata {
namespace {

// Whether the current privilege may read user counter `index` (0 cycle, 1 time, 2 instret...).
bool counter_visible(const Hart& h, unsigned index) {
  if (h.priv == Priv::M) return true;
  if (!((h.csr.mcounteren >> index) & 1)) return false;
  if (h.priv == Priv::U && !((h.csr.scounteren >> index) & 1)) return false;
  return true;
}

uint64_t counter_value(const Hart& h, unsigned index) {
  switch (index) {
    case 0:
      return h.cycles();
    case 1:
      return h.clock ? h.clock->now() : 0;
    case 2:
      return h.instret();
    default:
      return 0;
  }
}

template <unsigned Index>
bool read_user_counter(Hart& h, uint64_t& v) {
  if (!counter_visible(h, Index)) return false;
  v = counter_value(h, Index);
  return true;
}

template <unsigned Index>
bool read_machine_counter(Hart& h, uint64_t& v) {
  v = counter_value(h, Index);
  return true;
}

bool write_mcycle(Hart& h, uint64_t v) {
  h.csr.mcycle = v - h.live_steps();  // the live part of the current run is added on read
  return true;
}
bool write_minstret(Hart& h, uint64_t v) {
  // This instruction itself retires after the write, so it is not counted on top.
  h.csr.minstret = v - (h.live_steps() - h.not_retired) - 1;
  return true;
}

template <unsigned Index>
constexpr Csr user_counter(std::string_view name) {
  return {uint16_t(0xc00 + Index), name, read_user_counter<Index>, nullptr};
}

// hpmcounter3..31 (gated like the others), their machine versions and the event selectors:
// present, no events implemented, so they read zero.
template <unsigned... K>
void add_hpm(CsrTable& table, std::integer_sequence<unsigned, K...>) {
  static const Csr hpm[] = {
      user_counter<K + 3>("hpmcounter")...,
      Csr{uint16_t(0xb03 + K), "mhpmcounter", read_zero, ignore_write}...,
      Csr{uint16_t(0x323 + K), "mhpmevent", read_zero, ignore_write}...,
  };
  for (const Csr& c : hpm) table.add(c);
}

}  // namespace

void register_counter_csrs(CsrTable& table) {
  static const Csr fixed[] = {
      user_counter<0>("cycle"),
      user_counter<1>("time"),
      user_counter<2>("instret"),
      {0xb00, "mcycle", read_machine_counter<0>, write_mcycle},
      {0xb02, "minstret", read_machine_counter<2>, write_minstret},
  };
  for (const Csr& c : fixed) table.add(c);
  add_hpm(table, std::make_integer_sequence<unsigned, 29>());
}

}  // namespace strata
