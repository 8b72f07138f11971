// `strata user [-L SYSROOT] [-E VAR=VALUE] [--strace] PROGRAM [ARGS...]`
#include <CLI/CLI.hpp>
#include <memory>

#include "cli/engine_options.h"
#include "user/launcher.h"
#include "util/error.h"

void add_user_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("user", "Run a riscv64 Linux program on this host (like qemu-riscv64)");
  auto opts = std::make_shared<strata::user::UserOptions>();
  cmd->add_option("-L", opts->sysroot, "Look up the program interpreter and absolute paths here first");
  cmd->add_option("-E", opts->env, "Set VAR=VALUE in the guest environment (VAR alone removes it)")
      ->allow_extra_args(false);
  cmd->add_option("-0,--argv0", opts->argv0, "argv[0] for the program (default: PROGRAM)");
  cmd->add_flag("--strace", opts->strace, "Print every syscall on stderr, the way strace does");
  auto engine = std::make_shared<strata::EngineOptions>();
  strata::add_engine_options(cmd, *engine);
  cmd->prefix_command();
  cmd->footer("PROGRAM and everything after it are passed to the guest untouched.");
  cmd->callback([cmd, opts, engine] {
    std::vector<std::string> rest = cmd->remaining();
    if (rest.empty()) strata::fail("user: no PROGRAM given (strata user [OPTIONS] PROGRAM [ARGS...])");
    opts->program = rest.front();
    opts->args.assign(rest.begin() + 1, rest.end());
    opts->engine = engine->config();
    opts->jit_stats = engine->stats;
    strata::user::run_user_program(*opts);
  });
}
