#pragma once
// What Strata's hart implements, as the device tree tells the guest: the ISA string, the
// extension list and the largest paging mode. Keep in step with src/cpu (misa in hart.cpp,
// the instruction table's extensions, the CSRs): the board test compares them with misa.
#include <array>
#include <string_view>

namespace strata {

// RV64IMAFDC (misa) with the counters (cycle/time/instret), Zicsr, Zifencei, the bit
// manipulation subsets Zba/Zbb/Zbs, Zicond, and Sstc (stimecmp). Not advertised: Zihpm (its
// counters are present but count nothing) and Svadu (the walker sets A/D, but menvcfg.ADUE
// is not writable as Svadu asks).
inline constexpr std::string_view kHartIsa = "rv64imafdc_zicntr_zicsr_zifencei_zba_zbb_zbs_zicond_sstc";
inline constexpr std::string_view kHartIsaBase = "rv64i";
inline constexpr std::array<std::string_view, 14> kHartIsaExtensions = {
    "i", "m", "a", "f", "d", "c", "zicntr", "zicsr", "zifencei", "zba", "zbb", "zbs", "zicond", "sstc"};
// satp accepts Bare, Sv39, Sv48 and Sv57.
inline constexpr std::string_view kHartMmuType = "riscv,sv57";

}  // namespace strata
