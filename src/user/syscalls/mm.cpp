// Memory: brk, mmap, munmap, mremap, mprotect and the advisory calls. Every mapping change
// goes through AddressSpace, then the harts drop what they cached about the old mappings.
#include <sys/mman.h>

#include "user/syscalls/syscalls.h"

namespace strata::user {
namespace {

bool has_exec_page(GuestThread& t, uint64_t addr, uint64_t len) {
  for (uint64_t p = addr & ~(AddressSpace::kPage - 1); p < addr + len; p += AddressSpace::kPage)
    if (t.proc.mem.prot_at(p) & kProtExec) return true;
  return false;
}

// Every thread drops its TLBs; decoded and translated code goes only when executable pages
// in [lo, hi) that some engine derived code from changed (a loader mapping a library's data
// over the tail of its fresh text keeps everything translated so far), or everywhere when
// the flat view of memory ended.
void after_mapping_change(GuestThread& t, uint64_t lo, uint64_t hi) {
  const bool code = t.proc.mem.take_code_changed();
  const bool everywhere = t.proc.mem.take_flat_view_lost();
  t.proc.mappings_changed(t, everywhere || (code && t.proc.code_pages.any_held(lo, hi)));
}

uint64_t end_of(uint64_t addr, uint64_t len) { return addr + len < addr ? ~uint64_t(0) : addr + len; }

int64_t sys_brk(GuestThread& t, const uint64_t* a) {
  const uint64_t before = t.proc.mem.brk(0);
  const uint64_t r = t.proc.mem.brk(a[0]);
  if (r < before) after_mapping_change(t, r, before);
  return int64_t(r);
}

int64_t sys_mmap(GuestThread& t, const uint64_t* a) {
  const int flags = int(a[3]);
  const int64_t r = t.proc.mem.map(a[0], a[1], int(a[2]), flags, int(a[4]), a[5]);
  if (r >= 0 && (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)))
    after_mapping_change(t, uint64_t(r), end_of(r, a[1]));
  return r;
}

int64_t sys_munmap(GuestThread& t, const uint64_t* a) {
  const int64_t r = t.proc.mem.unmap(a[0], a[1]);
  if (r == 0) after_mapping_change(t, a[0], end_of(a[0], a[1]));
  return r;
}

int64_t sys_mprotect(GuestThread& t, const uint64_t* a) {
  const int64_t r = t.proc.mem.protect(a[0], a[1], int(a[2]));
  if (r == 0) after_mapping_change(t, a[0], end_of(a[0], a[1]));
  return r;
}

int64_t sys_mremap(GuestThread& t, const uint64_t* a) {
  const int64_t r = t.proc.mem.remap(a[0], a[1], a[2], int(a[3]), a[4]);
  if (r >= 0) {
    // The old range, and where it went (MREMAP_FIXED may have replaced code there).
    after_mapping_change(t, a[0], end_of(a[0], a[1]));
    if (uint64_t(r) != a[0])
      t.proc.mappings_changed(t, t.proc.code_pages.any_held(uint64_t(r), end_of(r, a[2])));
  }
  return r;
}

int64_t sys_madvise(GuestThread& t, const uint64_t* a) {
  const int advice = int(a[2]);
  if (!AddressSpace::in_region(a[0], a[1])) return -ENOMEM;
  switch (advice) {
    case MADV_NORMAL:
    case MADV_RANDOM:
    case MADV_SEQUENTIAL:
    case MADV_WILLNEED:
    case MADV_DONTNEED:
    case MADV_FREE:
    case MADV_REMOVE:
    case MADV_DONTFORK:
    case MADV_DOFORK:
    case MADV_MERGEABLE:
    case MADV_UNMERGEABLE:
    case MADV_HUGEPAGE:
    case MADV_NOHUGEPAGE:
    case MADV_DONTDUMP:
    case MADV_DODUMP:
    case MADV_WIPEONFORK:
    case MADV_KEEPONFORK:
    case MADV_COLD:
    case MADV_PAGEOUT:
      break;
    default:
      return -EINVAL;
  }
  const bool drops = advice == MADV_DONTNEED || advice == MADV_FREE || advice == MADV_REMOVE;
  const int64_t r = host(SYS_madvise, t.proc.mem.base() + a[0], a[1], advice);
  if (r == 0 && drops && has_exec_page(t, a[0], a[1])) t.proc.flush_code_everywhere(t);
  return r;
}

// (addr, len, int): ranges the kernel checks against the host mapping, which mirrors the guest's.
template <long Number>
int64_t sys_range(GuestThread& t, const uint64_t* a) {
  if (!AddressSpace::in_region(a[0], a[1])) return -ENOMEM;
  return host(Number, t.proc.mem.base() + a[0], a[1], a[2]);
}

int64_t sys_mincore(GuestThread& t, const uint64_t* a) {
  if (!AddressSpace::in_region(a[0], a[1])) return -ENOMEM;
  GUEST_PTR(vec, a[2], (a[1] + AddressSpace::kPage - 1) / AddressSpace::kPage);
  return host(SYS_mincore, t.proc.mem.base() + a[0], a[1], vec);
}

int64_t sys_ints(GuestThread& t, const uint64_t* a) { return host(SYS_mlockall, int(a[0])); }

}  // namespace

void register_mm_syscalls(SyscallTable& t) {
  t[214] = {"brk", sys_brk, "p", true};
  t[215] = {"munmap", sys_munmap, "pu"};
  t[216] = {"mremap", sys_mremap, "puuxp", true};
  t[222] = {"mmap", sys_mmap, "puPMdx", true};
  t[226] = {"mprotect", sys_mprotect, "puP"};
  t[227] = {"msync", sys_range<SYS_msync>, "pux"};
  t[228] = {"mlock", sys_range<SYS_mlock>, "pu"};
  t[229] = {"munlock", sys_range<SYS_munlock>, "pu"};
  t[230] = {"mlockall", sys_ints, "x"};
  t[231] = {"munlockall", [](GuestThread&, const uint64_t*) -> int64_t { return host(SYS_munlockall); }, ""};
  t[232] = {"mincore", sys_mincore, "pup"};
  t[233] = {"madvise", sys_madvise, "pud"};
  t[284] = {"mlock2", sys_range<SYS_mlock2>, "pux"};
}

}  // namespace strata::user
