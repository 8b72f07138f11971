// F and D handlers: being written (see the F/D work); until then every F/D operation
// stays illegal through the default handler.
#include "cpu/interp/handler_table.h"

namespace strata {

void add_fp_handlers(HandlerTable&) {}

}  // namespace strata
