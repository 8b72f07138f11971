#include "net/make_backend.h"

#include "net/slirp_backend.h"
#include "net/tap_backend.h"

namespace strata {

std::unique_ptr<NetBackend> make_net_backend(const NetOption& option) {
  switch (option.kind) {
    case NetKind::None:
      return nullptr;
    case NetKind::User:
      return std::make_unique<SlirpBackend>(option.forwards);
    case NetKind::Tap:
      return std::make_unique<TapBackend>(option.tap_name, option.tap_vnet_hdr);
  }
  return nullptr;
}

}  // namespace strata
