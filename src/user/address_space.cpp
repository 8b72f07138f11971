#include "user/address_space.h"

#include <fmt/format.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>

#include "util/error.h"

namespace strata::user {
namespace {

constexpr uint64_t kPage = AddressSpace::kPage;
// Like the host's vm.mmap_min_addr: the lowest page a hint-less mmap may return.
constexpr uint64_t kMinMmap = 0x10000;
// Past the region's end: a PROT_NONE guard so a kernel that reads a guest string running
// off the end of the region faults instead of reading Strata's memory.
constexpr uint64_t kGuard = 1ull << 20;

uint64_t page_up(uint64_t v) { return (v + kPage - 1) & ~(kPage - 1); }

uint8_t normalize(int prot) {
  uint8_t p = prot & (kProtRead | kProtWrite | kProtExec);
  if (p & kProtWrite) p |= kProtRead;  // RISC-V has no write-only pages
  return p;
}

std::string fd_path(int fd) {
  char link[64], target[4096];
  std::snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  const ssize_t n = readlink(link, target, sizeof target - 1);
  return n > 0 ? std::string(target, size_t(n)) : std::string();
}

}  // namespace

int host_prot(uint8_t prot) {
  int p = PROT_NONE;
  if (prot & (kProtRead | kProtExec)) p |= PROT_READ;
  if (prot & kProtWrite) p |= PROT_WRITE;
  return p;
}

AddressSpace::AddressSpace() {
  void* region = mmap(nullptr, kSize + kGuard, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (region == MAP_FAILED)
    fail("cannot reserve {} GiB of address space for the guest: {}", kSize >> 30, std::strerror(errno));
  base_ = static_cast<uint8_t*>(region);
  void* table = mmap(nullptr, kSize / kPage, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (table == MAP_FAILED) fail("cannot allocate the guest page table: {}", std::strerror(errno));
  prot_table_ = static_cast<uint8_t*>(table);
}

AddressSpace::~AddressSpace() {
  munmap(base_, kSize + kGuard);
  munmap(prot_table_, kSize / kPage);
}

uint8_t AddressSpace::page_prot(uint64_t va) const {
  if (va >= kSize) return 0;
  return std::atomic_ref<uint8_t>(prot_table_[va / kPage]).load(std::memory_order_relaxed);
}

void AddressSpace::set_prot_table(uint64_t start, uint64_t end, uint8_t prot) {
  if ((prot & (kProtRead | kProtExec)) == kProtExec && start < end && !exec_only_seen_.exchange(true))
    flat_view_lost_ = true;  // translations that load through the flat view must go
  fill_prot_table(start, end, prot | kMapped);
}

void AddressSpace::clear_prot_table(uint64_t start, uint64_t end) { fill_prot_table(start, end, 0); }

void AddressSpace::fill_prot_table(uint64_t start, uint64_t end, uint8_t value) {
  for (uint64_t p = start / kPage; p < end / kPage; ++p)
    std::atomic_ref<uint8_t>(prot_table_[p]).store(value, std::memory_order_relaxed);
}

Translation AddressSpace::translate(Hart&, uint64_t va, Access access) {
  Translation t;
  const uint8_t prot = page_prot(va);
  const uint8_t need = access == Access::Read ? kProtRead : access == Access::Write ? kProtWrite : kProtExec;
  if (!(prot & need)) {
    t.cause = access == Access::Read ? 13 : access == Access::Write ? 15 : 12;
    return t;
  }
  t.ok = true;
  t.pa = va;
  t.host = base_ + va;
  t.cacheable = true;
  return t;
}

bool AddressSpace::accessible(uint64_t va, uint64_t len, uint8_t prot) const {
  if (!in_region(va, len)) return false;
  if (len == 0) return true;
  for (uint64_t p = va & ~(kPage - 1); p < va + len; p += kPage)
    if ((page_prot(p) & prot) != prot) return false;
  return true;
}

void* AddressSpace::host_range(uint64_t va, uint64_t len, bool& ok) const {
  ok = true;
  if (va == 0) return nullptr;
  if (!in_region(va, len)) {
    ok = false;
    return nullptr;
  }
  return base_ + va;
}

bool AddressSpace::read(uint64_t va, void* out, uint64_t len) const {
  if (!accessible(va, len, kProtRead)) return false;
  std::memcpy(out, base_ + va, len);
  return true;
}

bool AddressSpace::write(uint64_t va, const void* in, uint64_t len) {
  if (!accessible(va, len, kProtWrite)) return false;
  std::memcpy(base_ + va, in, len);
  return true;
}

bool AddressSpace::read_string(uint64_t va, std::string& out, uint64_t max) const {
  out.clear();
  while (out.size() < max) {
    if (va >= kSize || !(page_prot(va) & kProtRead)) return false;
    const uint64_t chunk = std::min<uint64_t>(kPage - (va & (kPage - 1)), max - out.size());
    const char* p = reinterpret_cast<const char*>(base_ + va);
    const void* nul = std::memchr(p, 0, chunk);
    if (nul) {
      out.append(p, static_cast<const char*>(nul) - p);
      return true;
    }
    out.append(p, chunk);
    va += chunk;
  }
  return false;
}

void AddressSpace::reserve(uint64_t start, uint64_t end) {
  if (end <= start) return;
  mmap(base_ + start, end - start, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0);
}

void AddressSpace::carve(uint64_t start, uint64_t end) {
  auto it = vmas_.lower_bound(start);
  if (it != vmas_.begin()) --it;
  while (it != vmas_.end() && it->first < end) {
    const uint64_t s = it->first;
    Vma v = it->second;
    if (v.end <= start) {
      ++it;
      continue;
    }
    if (v.prot & kProtExec) code_changed_ = true;
    it = vmas_.erase(it);
    if (s < start) {
      Vma head = v;
      head.end = start;
      vmas_.emplace(s, head);
    }
    if (v.end > end) {
      Vma tail = v;
      if (!tail.name.empty() && tail.inode) tail.offset += end - s;
      vmas_.emplace(end, tail);
      break;
    }
  }
}

bool AddressSpace::range_free(uint64_t start, uint64_t end) const {
  auto it = vmas_.lower_bound(start);
  if (it != vmas_.end() && it->first < end) return false;
  if (it != vmas_.begin() && std::prev(it)->second.end > start) return false;
  return true;
}

uint64_t AddressSpace::find_free(uint64_t len, uint64_t top) const {
  uint64_t hi = top;
  for (auto it = vmas_.rbegin(); it != vmas_.rend(); ++it) {
    const uint64_t s = it->first, e = it->second.end;
    if (s >= hi) continue;
    if (e <= hi && hi - e >= len) return hi - len;
    hi = s;
  }
  return hi >= kMinMmap + len ? hi - len : 0;
}

int64_t AddressSpace::map(uint64_t addr, uint64_t len, int prot, int flags, int fd, uint64_t offset,
                          const std::string& name) {
  std::lock_guard lock(mutex_);
  return map_locked(addr, len, prot, flags, fd, offset, name);
}

int64_t AddressSpace::map_locked(uint64_t addr, uint64_t len, int prot, int flags, int fd, uint64_t offset,
                                 const std::string& name) {
  constexpr int kFixed = MAP_FIXED, kNoReplace = 0x100000;
  const bool anonymous = flags & MAP_ANONYMOUS;
  if (len == 0 || (offset & (kPage - 1))) return -EINVAL;
  if (len > kSize) return -ENOMEM;
  len = page_up(len);
  const int type = flags & 0x0f;
  if (type != MAP_SHARED && type != MAP_PRIVATE && type != MAP_SHARED_VALIDATE) return -EINVAL;
  if (flags & (kFixed | kNoReplace)) {
    if (addr & (kPage - 1)) return -EINVAL;
    if (!in_region(addr, len)) return -ENOMEM;
    if (addr < kMinMmap) return -EPERM;  // like vm.mmap_min_addr: page 0 stays unmapped
    if ((flags & kNoReplace) && !(flags & kFixed) && !range_free(addr, addr + len)) return -EEXIST;
  } else {
    addr = page_up(addr);
    if (addr < kMinMmap || !in_region(addr, len) || !range_free(addr, addr + len))
      addr = find_free(len, mmap_top_);
    if (addr == 0) return -ENOMEM;
  }
  int host_flags = type | MAP_FIXED | (flags & (MAP_POPULATE | MAP_NORESERVE | MAP_LOCKED | MAP_NONBLOCK));
  if (anonymous) host_flags |= MAP_ANONYMOUS;
  const uint8_t gprot = normalize(prot);
  void* r =
      mmap(base_ + addr, len, host_prot(gprot), host_flags, anonymous ? -1 : fd, anonymous ? 0 : offset);
  if (r == MAP_FAILED) return -errno;
  carve(addr, addr + len);
  Vma v;
  v.end = addr + len;
  v.prot = gprot;
  v.shared = type != MAP_PRIVATE;
  v.name = name;
  if (!anonymous) {
    struct stat st;
    if (fstat(fd, &st) == 0) {
      v.dev = st.st_dev;
      v.inode = st.st_ino;
    }
    v.offset = offset;
    if (v.name.empty()) v.name = fd_path(fd);
  }
  vmas_[addr] = v;
  set_prot_table(addr, addr + len, gprot);
  return int64_t(addr);
}

int64_t AddressSpace::unmap(uint64_t addr, uint64_t len) {
  if ((addr & (kPage - 1)) || len == 0) return -EINVAL;
  len = page_up(len);
  if (!in_region(addr, len)) return -EINVAL;
  std::lock_guard lock(mutex_);
  carve(addr, addr + len);
  reserve(addr, addr + len);
  clear_prot_table(addr, addr + len);
  return 0;
}

int64_t AddressSpace::protect(uint64_t addr, uint64_t len, int prot) {
  if (addr & (kPage - 1)) return -EINVAL;
  if (prot & ~(kProtRead | kProtWrite | kProtExec | 0x01000000 /*PROT_GROWSDOWN*/ | 0x02000000))
    return -EINVAL;
  len = page_up(len);
  if (!in_region(addr, len)) return -ENOMEM;
  if (len == 0) return 0;
  std::lock_guard lock(mutex_);
  // Every page must belong to some VMA.
  uint64_t covered = addr;
  for (auto it = vmas_.upper_bound(addr) == vmas_.begin() ? vmas_.begin()
                                                          : std::prev(vmas_.upper_bound(addr));
       it != vmas_.end() && it->first < addr + len && covered < addr + len; ++it) {
    if (it->first > covered) break;
    covered = std::max(covered, it->second.end);
  }
  if (covered < addr + len) return -ENOMEM;
  const uint8_t gprot = normalize(prot);
  if (mprotect(base_ + addr, len, host_prot(gprot)) != 0) return -errno;
  // Split the VMAs at the edges, then set the protection of everything inside.
  std::map<uint64_t, Vma> inside;
  for (auto it = vmas_.lower_bound(addr) == vmas_.begin() ? vmas_.begin()
                                                          : std::prev(vmas_.lower_bound(addr));
       it != vmas_.end() && it->first < addr + len; ++it) {
    if (it->second.end <= addr) continue;
    Vma v = it->second;
    const uint64_t s = std::max(it->first, addr);
    if (v.inode) v.offset += s - it->first;
    v.end = std::min(v.end, addr + len);
    v.prot = gprot;
    inside.emplace(s, v);
  }
  const bool had_code = code_changed_;
  carve(addr, addr + len);
  code_changed_ = had_code;  // the contents stay: decoded code is still valid
  vmas_.insert(inside.begin(), inside.end());
  set_prot_table(addr, addr + len, gprot);
  return 0;
}

int64_t AddressSpace::remap(uint64_t old_addr, uint64_t old_len, uint64_t new_len, int flags,
                            uint64_t new_addr) {
  constexpr int kMayMove = 1, kFixed = 2;
  if ((old_addr & (kPage - 1)) || (flags & ~(kMayMove | kFixed)) || ((flags & kFixed) && !(flags & kMayMove)))
    return -EINVAL;
  old_len = page_up(old_len);
  new_len = page_up(new_len);
  if (old_len == 0 || new_len == 0) return -EINVAL;
  if (!in_region(old_addr, old_len) || new_len > kSize) return -EFAULT;
  std::lock_guard lock(mutex_);
  auto it = vmas_.upper_bound(old_addr);
  if (it == vmas_.begin()) return -EFAULT;
  --it;
  if (it->second.end < old_addr + old_len) return -EFAULT;
  Vma v = it->second;
  if (v.inode) v.offset += old_addr - it->first;

  // Private anonymous memory (nearly every mremap: realloc of large blocks) moves by
  // mapping the target over the reservation and copying, so no range of the reservation is
  // ever unmapped, even for a moment another host thread's mmap could fill. Shared and file
  // mappings need the host's mremap.
  const bool private_anonymous = !v.shared && v.inode == 0 && (v.prot & kProtRead);
  auto move_to = [&](uint64_t target) -> int64_t {
    if (private_anonymous) {
      void* r = mmap(base_ + target, new_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
      if (r == MAP_FAILED) return -errno;
      std::memcpy(base_ + target, base_ + old_addr, std::min(old_len, new_len));
      mprotect(base_ + target, new_len, host_prot(v.prot));
    } else {
      void* r = mremap(base_ + old_addr, old_len, new_len, MREMAP_MAYMOVE | MREMAP_FIXED, base_ + target);
      if (r == MAP_FAILED) return -errno;
    }
    carve(old_addr, old_addr + old_len);
    clear_prot_table(old_addr, old_addr + old_len);
    reserve(old_addr, old_addr + old_len);
    carve(target, target + new_len);
    v.end = target + new_len;
    vmas_[target] = v;
    set_prot_table(target, target + new_len, v.prot);
    return int64_t(target);
  };

  if (flags & kFixed) {
    if ((new_addr & (kPage - 1)) || !in_region(new_addr, new_len)) return -EINVAL;
    if (new_addr < old_addr + old_len && old_addr < new_addr + new_len) return -EINVAL;
    return move_to(new_addr);
  }
  if (new_len <= old_len) {
    const uint64_t cut = old_addr + new_len, end = old_addr + old_len;
    carve(cut, end);
    reserve(cut, end);
    clear_prot_table(cut, end);
    return int64_t(old_addr);
  }
  const uint64_t tail = old_addr + old_len, end = old_addr + new_len;
  if (in_region(old_addr, new_len) && range_free(tail, end) && private_anonymous) {
    if (mmap(base_ + tail, end - tail, host_prot(v.prot), MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) ==
        MAP_FAILED)
      return -errno;
    carve(old_addr, old_addr + old_len);
    v.end = end;
    vmas_[old_addr] = v;
    set_prot_table(old_addr, end, v.prot);
    return int64_t(old_addr);
  }
  if (in_region(old_addr, new_len) && range_free(tail, end)) {
    munmap(base_ + tail, end - tail);  // make room in the reservation for in-place growth
    void* r = mremap(base_ + old_addr, old_len, new_len, 0);
    if (r != MAP_FAILED) {
      carve(old_addr, old_addr + old_len);
      v.end = end;
      vmas_[old_addr] = v;
      set_prot_table(old_addr, end, v.prot);
      return int64_t(old_addr);
    }
    reserve(tail, end);
  }
  if (!(flags & kMayMove)) return -ENOMEM;
  const uint64_t target = find_free(new_len, mmap_top_);
  if (target == 0) return -ENOMEM;
  return move_to(target);
}

void AddressSpace::set_brk_start(uint64_t start) {
  std::lock_guard lock(mutex_);
  brk_start_ = brk_ = page_up(start);
}

uint64_t AddressSpace::brk(uint64_t request) {
  std::lock_guard lock(mutex_);
  if (request < brk_start_ || request >= kSize) return brk_;
  const uint64_t old_top = page_up(brk_), new_top = page_up(request);
  if (new_top > old_top) {
    if (!range_free(old_top, new_top)) return brk_;
    if (map_locked(old_top, new_top - old_top, kProtRead | kProtWrite,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0, "[heap]") < 0)
      return brk_;
  } else if (new_top < old_top) {
    carve(new_top, old_top);
    reserve(new_top, old_top);
    clear_prot_table(new_top, old_top);
  }
  brk_ = request;
  return brk_;
}

std::string AddressSpace::maps_text() const {
  std::lock_guard lock(mutex_);
  std::string out;
  auto emit = [&](uint64_t s, const Vma& v) {
    std::string line = fmt::format("{:08x}-{:08x} {}{}{}{} {:08x} {:02x}:{:02x} {} ", s, v.end,
                                   v.prot & kProtRead ? 'r' : '-', v.prot & kProtWrite ? 'w' : '-',
                                   v.prot & kProtExec ? 'x' : '-', v.shared ? 's' : 'p', v.offset,
                                   major(v.dev), minor(v.dev), v.inode);
    if (!v.name.empty()) {
      if (line.size() < 73) line.append(73 - line.size(), ' ');
      line += v.name;
    }
    out += line;
    out += '\n';
  };
  // Adjacent pieces of one mapping (split by brk steps or mprotect round trips) show as one.
  bool have = false;
  uint64_t cur_start = 0;
  Vma cur;
  for (const auto& [s, v] : vmas_) {
    const bool joins = have && cur.end == s && cur.prot == v.prot && cur.shared == v.shared &&
                       cur.name == v.name && cur.inode == v.inode &&
                       (!v.inode || cur.offset + (s - cur_start) == v.offset);
    if (joins) {
      cur.end = v.end;
      continue;
    }
    if (have) emit(cur_start, cur);
    cur_start = s;
    cur = v;
    have = true;
  }
  if (have) emit(cur_start, cur);
  return out;
}

}  // namespace strata::user
