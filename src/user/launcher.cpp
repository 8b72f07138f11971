#include "user/launcher.h"

#include <sys/mman.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <cstring>

#include "user/elf_loader.h"
#include "user/guest_thread.h"
#include "user/initial_stack.h"
#include "user/threads.h"
#include "util/error.h"

extern char** environ;

namespace strata::user {
namespace {

std::string real_path(const std::string& p) {
  char buf[PATH_MAX];
  return realpath(p.c_str(), buf) ? std::string(buf) : p;
}

// The page rt_sigreturn trampolines live in (Linux puts them in the vDSO).
uint64_t map_trampoline(AddressSpace& as) {
  const int64_t at =
      as.map(0, AddressSpace::kPage, kProtRead | kProtWrite, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0, "[vdso]");
  if (at < 0) fail("cannot map the signal trampoline");
  const uint32_t code[] = {0x08b00893, 0x00000073};  // li a7, 139 (rt_sigreturn); ecall
  as.write(uint64_t(at), code, sizeof code);
  as.protect(uint64_t(at), AddressSpace::kPage, kProtRead | kProtExec);
  return uint64_t(at);
}

}  // namespace

std::vector<std::string> guest_environment(char** host_env, const std::vector<std::string>& changes) {
  std::vector<std::string> env;
  for (char** e = host_env; e && *e; ++e) env.emplace_back(*e);
  for (const auto& c : changes) {
    const std::string name = c.substr(0, c.find('='));
    std::erase_if(env, [&](const std::string& e) { return e.compare(0, name.size() + 1, name + "=") == 0; });
    if (c.find('=') != std::string::npos) env.push_back(c);
  }
  return env;
}

void run_user_program(const UserOptions& options) {
  auto* proc = new Process(options);  // lives until the process exits
  proc->strata_path = real_path("/proc/self/exe");
  proc->exe_path = real_path(options.program);
  const LoadedImage image = load_program(proc->mem, options.program, options.sysroot);
  proc->mem.set_brk_start(image.brk_start);
  proc->sigreturn_trampoline = map_trampoline(proc->mem);

  proc->argv = {options.argv0.empty() ? options.program : options.argv0};
  proc->argv.insert(proc->argv.end(), options.args.begin(), options.args.end());
  const std::vector<std::string> envp = guest_environment(environ, options.env);
  std::array<uint8_t, 16> random{};
  if (getrandom(random.data(), random.size(), 0) != ssize_t(random.size())) fail("getrandom failed");
  const StackLayout stack = build_initial_stack(proc->mem, proc->argv, envp, options.program, image, random);
  for (const auto& [key, value] : stack.auxv) proc->auxv.insert(proc->auxv.end(), {key, value});

  auto* main_thread = new GuestThread(*proc);
  main_thread->tid = int(syscall(SYS_gettid));
  Hart& h = *main_thread->hart;
  h.pc = image.entry;
  h.x[2] = stack.sp;
  main_thread->sigmask = read_host_mask() & ~kUnblockable;
  proc->threads.push_back(main_thread);
  proc->live_threads = 1;
  main_thread->run();
  finish_thread(*main_thread);
  std::exit(main_thread->exit_status);  // not reached: the last thread ends the process
}

}  // namespace strata::user
