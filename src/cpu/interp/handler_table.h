#pragma once
// Which handler runs each operation. Each group of handlers lives in its own file and
// registers itself here; an operation nobody registered raises illegal-instruction.
#include <array>

#include "cpu/interp/insn.h"

namespace strata {

using HandlerTable = std::array<Handler, kOpCount>;

const HandlerTable& handler_table();

void add_integer_handlers(HandlerTable& table);   // exec_integer.cpp: RV64I ALU, M, Zba/Zbb/Zbs, Zicond
void add_control_handlers(HandlerTable& table);   // exec_control.cpp: jal, jalr, branches
void add_memory_handlers(HandlerTable& table);    // exec_memory.cpp: loads, stores, fences
void add_atomic_handlers(HandlerTable& table);    // exec_atomic.cpp: LR/SC, AMOs
void add_system_handlers(HandlerTable& table);    // exec_system.cpp: CSRs, ecall, ebreak, xret, wfi, sfence
void add_fp_handlers(HandlerTable& table);        // exec_fp.cpp: F and D

}  // namespace strata
