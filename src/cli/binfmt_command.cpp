// `strata binfmt install|remove|status`: binfmt_misc registration for riscv64 ELF files.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "user/binfmt.h"
#include "util/error.h"

namespace {

std::string strata_executable() {
  char buf[PATH_MAX];
  return realpath("/proc/self/exe", buf) ? std::string(buf) : std::string("/proc/self/exe");
}

// The kernel passes the registered interpreter path as argv[0]: a link with a name of its
// own lets main() tell a binfmt start from a command line.
std::string ensure_link(const std::string& dir) {
  const std::string exe = strata_executable();
  const std::string where = dir.empty() ? exe.substr(0, exe.rfind('/')) : dir;
  const std::string link = where + "/" + strata::user::kBinfmtLinkName;
  unlink(link.c_str());
  if (symlink(exe.c_str(), link.c_str()) != 0)
    strata::fail("cannot create {}: {} (choose another place with --link-dir)", link, std::strerror(errno));
  return link;
}

}  // namespace

void add_binfmt_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("binfmt", "Register Strata with binfmt_misc for riscv64 ELF programs");
  cmd->require_subcommand(1);
  auto dir = std::make_shared<std::string>(strata::user::kBinfmtDir);
  auto link_dir = std::make_shared<std::string>();
  cmd->add_option("--binfmt-misc", *dir, "Where binfmt_misc is mounted")->capture_default_str();

  auto* install = cmd->add_subcommand("install", "Register (replacing an earlier Strata registration)");
  install->add_option("--link-dir", *link_dir,
                      "Where to create the strata-riscv64-binfmt link (default: next to strata)");
  install->callback([dir, link_dir] {
    strata::user::binfmt_require_mounted(*dir);
    std::fputs(strata::user::binfmt_install(*dir, ensure_link(*link_dir)).c_str(), stdout);
    std::printf("set %s=SYSROOT in the environment to give programs a sysroot (like -L)\n",
                strata::user::kSysrootVariable);
  });
  cmd->add_subcommand("remove", "Remove the registration")->callback([dir] {
    std::fputs(strata::user::binfmt_remove(*dir).c_str(), stdout);
  });
  cmd->add_subcommand("status", "Show the registration")->callback([dir] {
    std::fputs(strata::user::binfmt_status(*dir).c_str(), stdout);
  });
}
