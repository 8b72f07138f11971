#include "user/binfmt.h"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "user/launcher.h"
#include "util/error.h"

namespace strata::user {
namespace {

// ELF64, little-endian, version 1, any OS ABI, e_type EXEC or DYN (mask 0xfe), EM_RISCV.
constexpr unsigned char kMagic[20] = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0xf3, 0};
constexpr unsigned char kMask[20] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0xff, 0xff,
                                     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe, 0xff, 0xff, 0xff};

std::string hex_escaped(const unsigned char* bytes, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out += fmt::format("\\x{:02x}", bytes[i]);
  return out;
}

bool exists(const std::string& p) {
  struct stat st;
  return stat(p.c_str(), &st) == 0;
}

}  // namespace

void binfmt_require_mounted(const std::string& dir) {
  if (!exists(dir + "/register"))
    fail("binfmt_misc is not mounted at {}; mount it first (as root): mount -t binfmt_misc binfmt_misc {}",
         dir, dir);
}

namespace {

void write_file(const std::string& path, const std::string& text) {
  FILE* f = std::fopen(path.c_str(), "w");
  if (!f) {
    const int e = errno;
    fail("cannot write {}: {}{}", path, std::strerror(e),
         e == EACCES || e == EPERM || e == EROFS ? " (binfmt_misc needs root, and a writable mount)" : "");
  }
  const bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  const bool closed = std::fclose(f) == 0;
  if (!ok || !closed) fail("the kernel refused the write to {}: {}", path, std::strerror(errno));
}

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

std::string binfmt_registration(const std::string& interpreter) {
  return fmt::format(":{}:M::{}:{}:{}:F", kBinfmtName, hex_escaped(kMagic, sizeof kMagic),
                     hex_escaped(kMask, sizeof kMask), interpreter);
}

std::string binfmt_install(const std::string& dir, const std::string& interpreter) {
  binfmt_require_mounted(dir);
  if (access(interpreter.c_str(), X_OK) != 0) fail("interpreter {} is not executable", interpreter);
  const std::string entry = dir + "/" + kBinfmtName;
  if (exists(entry)) write_file(entry, "-1");
  write_file(dir + "/register", binfmt_registration(interpreter));
  return fmt::format("registered {} -> {} (flags F)\n", kBinfmtName, interpreter);
}

std::string binfmt_remove(const std::string& dir) {
  binfmt_require_mounted(dir);
  const std::string entry = dir + "/" + kBinfmtName;
  if (!exists(entry)) return fmt::format("{} is not registered\n", kBinfmtName);
  write_file(entry, "-1");
  return fmt::format("removed {}\n", kBinfmtName);
}

std::string binfmt_status(const std::string& dir) {
  if (!exists(dir + "/register"))
    return fmt::format("binfmt_misc is not mounted at {} (mount -t binfmt_misc binfmt_misc {})\n", dir, dir);
  const std::string entry = dir + "/" + kBinfmtName;
  std::string out;
  if (!exists(entry))
    out = fmt::format("{}: not registered\n", kBinfmtName);
  else
    out = fmt::format("{}:\n{}", kBinfmtName, read_text(entry));
  // Another handler for the same magic (qemu-user-binfmt) would win if registered first.
  if (exists(dir + "/qemu-riscv64")) out += "note: qemu-riscv64 is also registered for riscv64 ELF files\n";
  return out;
}

bool is_binfmt_invocation(const char* argv0) {
  if (!argv0) return false;
  const char* base = std::strrchr(argv0, '/');
  return std::strcmp(base ? base + 1 : argv0, kBinfmtLinkName) == 0;
}

int binfmt_main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "%s: run by binfmt_misc as `%s PROGRAM [ARGS...]`\n", kBinfmtLinkName,
                 kBinfmtLinkName);
    return 1;
  }
  UserOptions o;
  o.program = argv[1];
  for (int i = 2; i < argc; ++i) o.args.emplace_back(argv[i]);
  if (const char* root = std::getenv(kSysrootVariable)) o.sysroot = root;
  try {
    run_user_program(o);
  } catch (const Error& e) {
    std::fprintf(stderr, "strata: %s\n", e.what());
    return 1;
  }
}

}  // namespace strata::user
