#pragma once
// Loads a riscv64 Linux ELF executable (static or dynamic) and its program interpreter into
// an AddressSpace. Every problem with the input files is a one-line strata::Error.
#include <cstdint>
#include <string>
#include <vector>

namespace strata::user {

class AddressSpace;

struct LoadedImage {
  uint64_t entry = 0;          // where the guest starts: the interpreter's entry if there is one
  uint64_t program_entry = 0;  // AT_ENTRY
  uint64_t phdr = 0, phent = 0, phnum = 0;
  uint64_t interp_base = 0;  // AT_BASE (0 without an interpreter)
  uint64_t brk_start = 0;
  std::string interp_path;  // the host path the interpreter was loaded from
};

// What the header of a file says, for execve's decision between Strata and the host.
enum class FileKind { Riscv64Elf, OtherElf, Script, Unknown };
FileKind classify_file(const std::string& path);

// Checks an ELF image held in memory; fail()s with "<what>: <why>" when it is unusable.
void check_elf(const std::vector<uint8_t>& file, const std::string& what);

// Loads `path` (and its PT_INTERP, looked up under `sysroot` first when that is non-empty).
LoadedImage load_program(AddressSpace& as, const std::string& path, const std::string& sysroot);

// The host path to use for a guest's absolute path under `sysroot`: sysroot + path when
// that exists, else path itself (the way qemu-user's -L works).
std::string resolve_in_sysroot(const std::string& sysroot, const std::string& path);

}  // namespace strata::user
