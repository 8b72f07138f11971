#pragma once
// Names of the standard CSRs, independent of which ones this hart implements, so that the
// disassembler prints what GNU objdump prints.
#include <cstdint>
#include <string_view>

namespace strata {

// "mstatus", "pmpaddr12", "hpmcounter3h", ...; empty for a number with no standard name.
std::string_view standard_csr_name(uint16_t number);

}  // namespace strata
