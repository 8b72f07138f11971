#include "user/initial_stack.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstring>

#include "user/address_space.h"
#include "user/elf_loader.h"
#include "user/hwprobe.h"
#include "user/signals.h"
#include "util/error.h"

namespace strata::user {

StackLayout build_initial_stack(AddressSpace& as, const std::vector<std::string>& argv,
                                const std::vector<std::string>& envp, const std::string& execfn,
                                const LoadedImage& image, const std::array<uint8_t, 16>& random) {
  const uint64_t bottom = AddressSpace::kStackTop - kStackSize;
  if (as.map(bottom, kStackSize, kProtRead | kProtWrite,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0, "[stack]") < 0)
    fail("cannot map the guest stack");
  uint64_t p = AddressSpace::kStackTop;
  uint64_t strings_size = execfn.size() + 1 + 16 + 64;
  for (const auto& s : argv) strings_size += s.size() + 1;
  for (const auto& s : envp) strings_size += s.size() + 1;
  if (strings_size + 8 * (argv.size() + envp.size() + 64) > kStackSize / 4)
    fail("arguments and environment too large ({} bytes)", strings_size);

  auto push_string = [&](const std::string& s) {
    p -= s.size() + 1;
    as.write(p, s.c_str(), s.size() + 1);
    return p;
  };
  const uint64_t execfn_at = push_string(execfn);
  std::vector<uint64_t> env_at, arg_at;
  for (auto it = envp.rbegin(); it != envp.rend(); ++it) env_at.insert(env_at.begin(), push_string(*it));
  for (auto it = argv.rbegin(); it != argv.rend(); ++it) arg_at.insert(arg_at.begin(), push_string(*it));
  p -= 16;
  const uint64_t random_at = p;
  as.write(p, random.data(), 16);
  p &= ~uint64_t(15);

  StackLayout layout;
  auto& aux = layout.auxv;
  aux = {{auxv::kPhdr, image.phdr},
         {auxv::kPhent, image.phent},
         {auxv::kPhnum, image.phnum},
         {auxv::kPagesz, AddressSpace::kPage},
         {auxv::kBase, image.interp_base},
         {auxv::kFlags, 0},
         {auxv::kEntry, image.program_entry},
         {auxv::kUid, getuid()},
         {auxv::kEuid, geteuid()},
         {auxv::kGid, getgid()},
         {auxv::kEgid, getegid()},
         {auxv::kHwcap, riscv_hwcap()},
         {auxv::kHwcap2, 0},
         {auxv::kClktck, uint64_t(sysconf(_SC_CLK_TCK))},
         {auxv::kSecure, 0},
         {auxv::kRandom, random_at},
         {auxv::kExecfn, execfn_at},
         {auxv::kMinsigstksz, frame::kSize + 16},
         {auxv::kNull, 0}};

  std::vector<uint64_t> words;
  words.push_back(argv.size());
  words.insert(words.end(), arg_at.begin(), arg_at.end());
  words.push_back(0);
  words.insert(words.end(), env_at.begin(), env_at.end());
  words.push_back(0);
  for (const auto& [k, v] : aux) {
    words.push_back(k);
    words.push_back(v);
  }
  p = (p - 8 * words.size()) & ~uint64_t(15);
  as.write(p, words.data(), 8 * words.size());
  layout.sp = p;
  return layout;
}

}  // namespace strata::user
