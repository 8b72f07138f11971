#include "machine/bare_runner.h"

#include "util/error.h"

namespace strata {

int run_bare(const BareOptions& options) { fail("run --bare: not built yet"); }

}  // namespace strata
