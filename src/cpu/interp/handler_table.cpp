#include "cpu/interp/handler_table.h"

#include "cpu/sem/all_semantics.h"

namespace strata {

const HandlerTable& handler_table() {
  static const HandlerTable table = [] {
    HandlerTable t;
    t.fill<illegal>();
    add_integer_handlers(t);
    add_control_handlers(t);
    sem::add_all_semantics(t);
    return t;
  }();
  return table;
}

}  // namespace strata
