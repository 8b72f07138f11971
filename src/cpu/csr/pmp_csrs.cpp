// PMP configuration registers: pmpcfg0,2,..,14 (RV64 uses even numbers) and pmpaddr0..63.
#include "cpu/csr/csr.h"
#include "cpu/hart.h"

namespace strata {
namespace {

bool locked(const Hart& h, unsigned entry) { return h.csr.pmpcfg[entry] & 0x80; }

template <unsigned Reg>  // pmpcfg<Reg>, Reg even: entries 4*Reg .. 4*Reg+7
bool read_cfg(Hart& h, uint64_t& v) {
  v = 0;
  for (unsigned b = 0; b < 8; b++) v |= uint64_t(h.csr.pmpcfg[Reg * 4 + b]) << (8 * b);
  return true;
}
template <unsigned Reg>
bool write_cfg(Hart& h, uint64_t v) {
  for (unsigned b = 0; b < 8; b++) {
    const unsigned entry = Reg * 4 + b;
    if (locked(h, entry)) continue;
    uint8_t cfg = uint8_t(v >> (8 * b)) & 0x9f;  // L, A, X, W, R
    if ((cfg & 3) == 2) cfg &= ~3;               // W without R is reserved: drop both
    h.csr.pmpcfg[entry] = cfg;
  }
  h.flush_tlbs();
  return true;
}

template <unsigned N>
bool read_addr(Hart& h, uint64_t& v) {
  v = h.csr.pmpaddr[N];
  return true;
}
template <unsigned N>
bool write_addr(Hart& h, uint64_t v) {
  // Locked entries, and the address below a locked TOR entry, ignore writes.
  if (locked(h, N)) return true;
  if (N + 1 < 64 && locked(h, N + 1) && ((h.csr.pmpcfg[N + 1] >> 3) & 3) == 1) return true;
  h.csr.pmpaddr[N] = v & ((1ull << 54) - 1);  // physical addresses are 56 bits
  h.flush_tlbs();
  return true;
}

template <unsigned... N>
void add_addrs(CsrTable& t, std::integer_sequence<unsigned, N...>) {
  static const Csr addrs[] = {{uint16_t(0x3b0 + N), "pmpaddr", read_addr<N>, write_addr<N>}...};
  for (const Csr& c : addrs) t.add(c);
}
template <unsigned... R>
void add_cfgs(CsrTable& t, std::integer_sequence<unsigned, R...>) {
  static const Csr cfgs[] = {{uint16_t(0x3a0 + 2 * R), "pmpcfg", read_cfg<2 * R>, write_cfg<2 * R>}...};
  for (const Csr& c : cfgs) t.add(c);
}

}  // namespace

void register_pmp_csrs(CsrTable& table) {
  add_cfgs(table, std::make_integer_sequence<unsigned, 8>());
  add_addrs(table, std::make_integer_sequence<unsigned, 64>());
}

}  // namespace strata
