#pragma once
#include "cpu/interp/insn.h"

namespace strata {

// Fills a new page with slots that decode themselves when first run, and takes its image.
void init_decoded_page(DecodedPage& page);

// Makes the slots agree with the page's bytes in memory again: the slots that cover a byte
// that changed since the image was taken decode themselves afresh.
void resync_decoded_page(DecodedPage& page);

// Whether a slot holds a decoded instruction (rather than waiting to decode itself).
bool slot_decoded(const Insn& slot);

}  // namespace strata
