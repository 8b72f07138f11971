#include "cpu/interp/handler_table.h"

namespace strata {

const Insn* illegal_instruction_handler(Hart& h, const Insn* i);  // exec_system.cpp

const HandlerTable& handler_table() {
  static const HandlerTable table = [] {
    HandlerTable t;
    t.fill<illegal_instruction_handler>();
    add_integer_handlers(t);
    add_control_handlers(t);
    add_memory_handlers(t);
    add_atomic_handlers(t);
    add_system_handlers(t);
    add_fp_handlers(t);
    return t;
  }();
  return table;
}

}  // namespace strata
