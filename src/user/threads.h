#pragma once
// clone for guest threads (a new Hart on a new host thread, sharing the address space) and
// for new processes (host fork), and the end of a thread.
#include <cstdint>

namespace strata::user {

class GuestThread;

// clone(flags, newsp, ptid, tls, ctid) as the riscv64 kernel takes it. Returns the new
// tid/pid in the parent (0 in a forked child) or -errno.
int64_t guest_clone(GuestThread& t, uint64_t flags, uint64_t newsp, uint64_t ptid, uint64_t tls,
                    uint64_t ctid);

// Called when a guest thread's run() returned: clears the child tid, and ends the process
// when it was the last thread. Returns only on a host thread Strata created (which then
// returns from its entry function).
void finish_thread(GuestThread& t);

}  // namespace strata::user
