// `strata run`: a bare-metal program (--bare) or a Linux guest on the virt board (--kernel).
#include <CLI/CLI.hpp>
#include <memory>

#include "cli/engine_options.h"
#include "machine/bare_runner.h"
#include "machine/linux_runner.h"
#include "util/error.h"
#include "util/size_arg.h"

namespace {

struct RunArgs {
  bool bare = false;
  std::string program;
  std::string memory;  // default per mode
  bool trace = false;
  uint64_t max_instructions = 0;
  strata::LinuxOptions linux;
  strata::EngineOptions engine;
};

void run_bare(const RunArgs& args) {
  if (!args.linux.kernel.empty() || !args.linux.dump_dtb.empty())
    strata::fail("run: --bare runs a bare-metal PROGRAM.elf; --kernel and --dump-dtb are for Linux guests");
  if (args.program.empty()) strata::fail("run: --bare needs a PROGRAM.elf");
  strata::BareOptions options;
  options.program = args.program;
  options.memory_bytes = strata::parse_size(args.memory.empty() ? "128M" : args.memory, "--memory");
  options.trace = args.trace;
  options.max_instructions = args.max_instructions;
  options.engine = args.engine.config();
  if (args.engine.stats) strata::fail("run: --jit-stats goes with --kernel");
  throw CLI::RuntimeError(strata::run_bare(options));
}

void run_kernel(RunArgs& args) {
  if (!args.program.empty())
    strata::fail("run: PROGRAM ({}) goes with --bare; a Linux kernel is given with --kernel", args.program);
  if (args.trace || args.max_instructions) strata::fail("run: --trace and --max-instructions go with --bare");
  strata::LinuxOptions& o = args.linux;
  o.memory_bytes = strata::parse_size(args.memory.empty() ? "256M" : args.memory, "--memory");
  o.engine = args.engine.config();
  o.jit_stats = args.engine.stats;
  throw CLI::RuntimeError(strata::run_linux(o));
}

}  // namespace

void add_run_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("run", "Run a bare-metal RISC-V program or boot a Linux guest");
  auto args = std::make_shared<RunArgs>();
  strata::LinuxOptions& o = args->linux;
  cmd->add_option(
         "--kernel", o.kernel,
         "Boot this Linux kernel on the virt board: a RISC-V Image (uncompressed, as arch/riscv/boot/Image) "
         "or an ELF (vmlinux). The built-in SBI firmware starts it in S-mode")
      ->group("Linux guest");
  cmd->add_option("--initrd", o.initrd, "Initial ramdisk (e.g. a gzip'ed cpio), placed at the top of RAM")
      ->group("Linux guest");
  cmd->add_option("--append", o.append, "Kernel command line")->capture_default_str()->group("Linux guest");
  cmd->add_option(
         "--drive", o.drives,
         "A virtio-blk disk: FILE[,ro][,serial=ID], a raw image (repeatable: /dev/vda, /dev/vdb, ...)")
      ->group("Linux guest");
  cmd->add_option("--net", o.net,
                  "Network card (virtio-net): none, user[,hostfwd=tcp::HOSTPORT-:GUESTPORT]... (user-mode "
                  "networking, guest 10.0.2.15, host 10.0.2.2), or tap=NAME. Without --net there is no card")
      ->capture_default_str()
      ->group("Linux guest");
  cmd->add_option("--cpus", o.cpus, "Number of harts, each on its own host thread (1 to 32)")
      ->capture_default_str()
      ->group("Linux guest");
  cmd->add_option("--bios", o.bios,
                  "M-mode firmware instead of the built-in SBI, e.g. OpenSBI's "
                  "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin (loaded at 0x80000000; the "
                  "kernel goes to 0x80200000)")
      ->group("Linux guest");
  cmd->add_option("--dump-dtb", o.dump_dtb, "Write the generated device tree (DTB) to FILE and exit")
      ->group("Linux guest");
  cmd->add_option("--console", o.console,
                  "Where the serial console (and the SBI console) goes: stdio (the terminal, raw mode; "
                  "Ctrl-A X quits, Ctrl-A H lists the keys), null, file:PATH (output appended), unix:PATH "
                  "(connect) or unix:PATH,server (listen). Repeat to write to several")
      ->capture_default_str()
      ->group("Linux guest");

  cmd->add_option("--virtio-console", o.virtio_console,
                  "Add a virtio-console (the guest's hvc0, or hvc1 beside the SBI console) on this back end, "
                  "same spellings as --console, e.g. unix:/tmp/strata-hvc,server")
      ->group("Linux guest");

  cmd->add_flag("--bare", args->bare,
                "PROGRAM is a bare-metal ELF: one hart starts in M-mode at its entry point, with "
                "HTIF tohost/fromhost and the syscon poweroff register")
      ->group("Bare-metal program");
  cmd->add_option("PROGRAM", args->program, "The bare-metal ELF to run (with --bare)")
      ->group("Bare-metal program");
  cmd->add_flag("--trace", args->trace, "Print every executed instruction with its disassembly (stderr)")
      ->group("Bare-metal program");
  cmd->add_option("--max-instructions", args->max_instructions,
                  "Stop after N instructions with exit status 3 (0: no limit)")
      ->group("Bare-metal program");
  cmd->add_option(
      "-m,--memory", args->memory,
      "Guest RAM size at 0x80000000, e.g. 128M, 1G (default: 256M with --kernel, 128M with --bare)");
  strata::add_engine_options(cmd, args->engine);
  cmd->footer(
      "Exit status with --kernel: 0 the guest powered off or rebooted, or the user quit; 1 the guest "
      "reported a failure; 2 bad input (nothing ran); 3 the machine could not go on.\n"
      "Exit status with --bare: 0 the program passed (tohost=1 or syscon poweroff), 1 it failed "
      "(prints FAIL: test n), 2 bad input, 3 --max-instructions reached.");
  cmd->callback([args] {
    if (args->bare) run_bare(*args);
    if (args->linux.kernel.empty() && args->linux.dump_dtb.empty())
      strata::fail("run: give --kernel IMAGE to boot Linux, or --bare PROGRAM.elf");
    run_kernel(*args);
  });
}
