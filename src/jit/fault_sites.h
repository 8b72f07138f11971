#pragma once
// Host faults in generated code that are guest faults. In user mode blocks load straight from
// the flat view of guest memory (cpu/translator.h): an unmapped or protected guest page faults
// on the host. Each such host instruction is recorded with the address of its instruction's
// slow path, which calls the semantic function; the host's SIGSEGV/SIGBUS handler moves the
// faulting thread there, and the semantic function repeats the access through translate()
// and raises the exact guest trap (pc, cause, tval) as the interpreter would. The faulting
// instruction changed nothing, so the slow path finds every register as its fast path left it.
//
// One table per JIT (per hart), written only by its own thread between blocks and read by
// the signal handler of the same thread while a block runs: no lock is needed.
#include <cstddef>
#include <cstdint>
#include <unordered_map>

namespace strata::jit {

class FaultSites {
 public:
  void add(const uint8_t* access, const uint8_t* resume) {
    sites_[reinterpret_cast<uintptr_t>(access)] = reinterpret_cast<uintptr_t>(resume);
  }
  void clear() { sites_.clear(); }
  size_t size() const { return sites_.size(); }
  // Where to resume after a fault at host pc `rip`, or 0 when it is not a recorded site.
  uintptr_t resume_for(uintptr_t rip) const {
    const auto it = sites_.find(rip);
    return it == sites_.end() ? 0 : it->second;
  }

 private:
  std::unordered_map<uintptr_t, uintptr_t> sites_;
};

// While an engine runs blocks on this thread, its table answers the thread's host faults.
class ActiveFaultSites {
 public:
  explicit ActiveFaultSites(const FaultSites& sites);
  ~ActiveFaultSites();
  ActiveFaultSites(const ActiveFaultSites&) = delete;
  ActiveFaultSites& operator=(const ActiveFaultSites&) = delete;

 private:
  const FaultSites* previous_;
};

// For a host SIGSEGV/SIGBUS handler (async-signal-safe): when `rip` is a recorded site of the
// table active on this thread, sets it to the site's slow path and returns true.
bool redirect_host_fault(uintptr_t& rip);

}  // namespace strata::jit
