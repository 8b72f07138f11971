// fflags, frm, fcsr: being written with the F/D work.
#include "cpu/csr/csr.h"

namespace strata {

void register_fp_csrs(CsrTable&) {}

}  // namespace strata
