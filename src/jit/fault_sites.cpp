#include "jit/fault_sites.h"

namespace strata::jit {
namespace {
thread_local const FaultSites* t_active = nullptr;
}

ActiveFaultSites::ActiveFaultSites(const FaultSites& sites) : previous_(t_active) { t_active = &sites; }
ActiveFaultSites::~ActiveFaultSites() { t_active = previous_; }

bool redirect_host_fault(uintptr_t& rip) {
  const FaultSites* sites = t_active;
  if (!sites) return false;
  const uintptr_t resume = sites->resume_for(rip);
  if (!resume) return false;
  rip = resume;
  return true;
}

}  // namespace strata::jit
