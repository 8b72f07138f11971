// `strata run`: a bare-metal program (--bare) or a Linux guest on the virt board (--kernel).
#include <CLI/CLI.hpp>
#include <memory>

#include "machine/bare_runner.h"
#include "util/error.h"
#include "util/size_arg.h"

namespace {

struct RunArgs {
  bool bare = false;
  std::string program;
  std::string memory = "128M";
  bool trace = false;
  uint64_t max_instructions = 0;
};

}  // namespace

void add_run_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("run", "Run a bare-metal RISC-V program or boot a Linux guest");
  auto args = std::make_shared<RunArgs>();
  cmd->add_flag("--bare", args->bare,
                "PROGRAM is a bare-metal ELF: one hart starts in M-mode at its entry point, with "
                "HTIF tohost/fromhost and the syscon poweroff register");
  cmd->add_option("PROGRAM", args->program, "The bare-metal ELF to run (with --bare)");
  cmd->add_option("-m,--memory", args->memory, "Guest RAM size at 0x80000000 (e.g. 128M, 1G)")
      ->capture_default_str();
  cmd->add_flag("--trace", args->trace, "Print every executed instruction with its disassembly (stderr)");
  cmd->add_option("--max-instructions", args->max_instructions,
                  "Stop after N instructions with exit status 3 (0: no limit)");
  cmd->footer(
      "Exit status of --bare: 0 the program passed (tohost=1 or syscon poweroff), 1 it failed "
      "(prints FAIL: test n), 2 bad input, 3 --max-instructions reached.");
  cmd->callback([args] {
    if (!args->bare) strata::fail("run: give --bare PROGRAM.elf");
    if (args->program.empty()) strata::fail("run: --bare needs a PROGRAM.elf");
    strata::BareOptions options;
    options.program = args->program;
    options.memory_bytes = strata::parse_size(args->memory, "--memory");
    options.trace = args->trace;
    options.max_instructions = args->max_instructions;
    throw CLI::RuntimeError(strata::run_bare(options));
  });
}
