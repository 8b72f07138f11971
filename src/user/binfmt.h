#pragma once
// Registration of Strata with the kernel's binfmt_misc for riscv64 ELF executables, so that
// running a riscv64 program (or chrooting into a riscv64 root) goes through `strata user`.
// The kernel runs a registered interpreter as `INTERPRETER PROGRAM ARGS...`; Strata's entry
// for that is a link named kBinfmtLinkName to the strata executable, recognised by main().
#include <string>

namespace strata::user {

constexpr const char* kBinfmtName = "strata-riscv64";
constexpr const char* kBinfmtLinkName = "strata-riscv64-binfmt";
constexpr const char* kBinfmtDir = "/proc/sys/fs/binfmt_misc";
// Like QEMU_LD_PREFIX: the sysroot for programs started through binfmt_misc.
constexpr const char* kSysrootVariable = "STRATA_LD_PREFIX";

// The line written to binfmt_misc's `register` file ('F': the interpreter is opened now, so
// it also works inside chroots and containers).
std::string binfmt_registration(const std::string& interpreter);

// Whether binfmt_misc is mounted at `dir`; fail()s with how to mount it when not.
void binfmt_require_mounted(const std::string& dir);

// Each returns a human-readable report; they fail() with an explanation when binfmt_misc is
// not mounted or not writable.
std::string binfmt_install(const std::string& dir, const std::string& interpreter);
std::string binfmt_remove(const std::string& dir);
std::string binfmt_status(const std::string& dir);

// main()'s hook: true when argv[0] is the binfmt link, then binfmt_main runs the program.
bool is_binfmt_invocation(const char* argv0);
int binfmt_main(int argc, char** argv);

}  // namespace strata::user
