#pragma once
// Builds the host network back end a `--net` option asks for.
#include <memory>

#include "net/net_backend.h"
#include "net/net_option.h"

namespace strata {

// nullptr for `none`; SlirpBackend for `user`; TapBackend for `tap=NAME`. Not started.
// Throws strata::Error when the back end cannot be set up (busy forward port, TAP refused).
std::unique_ptr<NetBackend> make_net_backend(const NetOption& option);

}  // namespace strata
