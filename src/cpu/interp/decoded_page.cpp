#include <sys/mman.h>

#include <new>

#include "cpu/interp/insn.h"

namespace strata {

void* DecodedPage::operator new(size_t size) {
  void* p = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  return p;
}

void DecodedPage::operator delete(void* p, size_t size) { munmap(p, size); }

}  // namespace strata
