#include "machine/builtin_boot.h"

#include "cpu/csr/csr.h"
#include "cpu/hart.h"
#include "util/error.h"

namespace strata {

namespace {

constexpr uint16_t kMedeleg = 0x302, kMideleg = 0x303, kMcounteren = 0x306, kMtvec = 0x305, kMenvcfg = 0x30a,
                   kScounteren = 0x106, kPmpcfg0 = 0x3a0, kPmpaddr0 = 0x3b0;
constexpr uint64_t kMenvcfgSTCE = 1ull << 63;
constexpr uint64_t kCountersCyTmIr = 7;
constexpr uint64_t kPmpNapotRwx = 0x1f;  // R | W | X | A=NAPOT

void write(Hart& h, uint16_t csr, uint64_t value) {
  if (!csr_write(h, csr, value)) fail("built-in SBI: the hart refused CSR {:#x} (a bug)", csr);
}

}  // namespace

void prepare_builtin_sbi_hart(Hart& h, uint64_t m_trap_vector) {
  write(h, kPmpaddr0, ~0ull);
  write(h, kPmpcfg0, kPmpNapotRwx);
  write(h, kMedeleg, kBuiltinMedeleg);
  write(h, kMideleg, kBuiltinMideleg);
  write(h, kMcounteren, kCountersCyTmIr);
  write(h, kScounteren, kCountersCyTmIr);
  write(h, kMenvcfg, kMenvcfgSTCE);
  write(h, kMtvec, m_trap_vector);
}

}  // namespace strata
