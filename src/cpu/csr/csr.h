#pragma once
// CSRs as objects: each knows its number, its name and how to read and write (legalise)
// itself. The privilege and read-only checks implied by the number are done once, in
// csr_read/csr_write; an object's own functions refuse what else is illegal (e.g. a CSR
// that a counter-enable bit hides) by returning false.
#include <array>
#include <cstdint>
#include <string_view>

namespace strata {

class Hart;

struct Csr {
  uint16_t number;
  std::string_view name;
  bool (*read)(Hart& hart, uint64_t& value);
  bool (*write)(Hart& hart, uint64_t value);  // null: read-only
  // For CSRRS/CSRRC: the value whose bits they set or clear, when that is not what a read
  // returns (mip.SEIP: only the software-written bit takes part). Null: the read value.
  bool (*update_base)(Hart& hart, uint64_t& value) = nullptr;
};

class CsrTable {
 public:
  void add(const Csr& csr);  // a number registered twice is a bug: aborts
  const Csr* find(uint16_t number) const { return number < 4096 ? entries_[number] : nullptr; }

 private:
  std::array<const Csr*, 4096> entries_{};
};

// The table of every CSR this hart implements, built once from the registrations below.
const CsrTable& csr_table();

// Each module registers the CSRs it owns (each in its own file under cpu/csr/ or cpu/fp/).
void register_machine_csrs(CsrTable& table);     // mstatus, misa, mtvec, medeleg, mie, mip, ...
void register_supervisor_csrs(CsrTable& table);  // sstatus, sie, stvec, satp, stimecmp, ...
void register_counter_csrs(CsrTable& table);     // cycle, time, instret, mcycle, minstret, ...
void register_pmp_csrs(CsrTable& table);         // pmpcfg0..15, pmpaddr0..63
void register_fp_csrs(CsrTable& table);          // fflags, frm, fcsr
void register_trigger_csrs(CsrTable& table);     // tselect, tdata1..3, tinfo (no triggers)

// The access an instruction makes. False: the access is illegal (raise illegal-instruction).
bool csr_read(Hart& hart, uint16_t number, uint64_t& value);
bool csr_write(Hart& hart, uint16_t number, uint64_t value);
// Replaces `value` (what csr_read gave) with the base a CSRRS/CSRRC modifies, if different.
void csr_update_base(Hart& hart, uint16_t number, uint64_t& value);

// Name for the disassembler ("mstatus"), or empty when the number is not implemented.
std::string_view csr_name(uint16_t number);

}  // namespace strata
