#include <sys/mman.h>

#include <new>

#include "cpu/interp/insn.h"

namespace strata {

// mmap gives page alignment only: map twice the alignment and give back the parts outside
// one aligned block.
void* DecodedPage::operator new(size_t) {
  const size_t span = 2 * kDecodedPageAlign;
  void* p = mmap(nullptr, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  const uintptr_t start = reinterpret_cast<uintptr_t>(p);
  const uintptr_t aligned = (start + kDecodedPageAlign - 1) & ~(kDecodedPageAlign - 1);
  if (aligned > start) munmap(p, aligned - start);
  const uintptr_t end = start + span, block_end = aligned + kDecodedPageAlign;
  if (end > block_end) munmap(reinterpret_cast<void*>(block_end), end - block_end);
  return reinterpret_cast<void*>(aligned);
}

void DecodedPage::operator delete(void* p, size_t) { munmap(p, kDecodedPageAlign); }

}  // namespace strata
