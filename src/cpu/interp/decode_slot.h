#pragma once
#include <vector>

#include "cpu/interp/insn.h"

namespace strata {

// Fills a new page with slots that decode themselves when first run (its image is taken
// by the caller).
void init_decoded_page(DecodedPage& page);

// The slots that cover a byte of `changed` (CodeImage::sync) decode themselves afresh.
void forget_decoded(DecodedPage& page, const std::vector<ByteRange>& changed);

// Whether a slot holds a decoded instruction (rather than waiting to decode itself).
bool slot_decoded(const Insn& slot);

}  // namespace strata
