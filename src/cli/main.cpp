// strata: the command-line front end. Each subcommand lives in its own file under cli/.
#include <CLI/CLI.hpp>

#include <cstdio>

#include "user/binfmt.h"
#include "util/error.h"

void add_user_command(CLI::App& app);
void add_binfmt_command(CLI::App& app);
void add_run_command(CLI::App& app);

int main(int argc, char** argv) {
  if (strata::user::is_binfmt_invocation(argv[0])) return strata::user::binfmt_main(argc, argv);
  CLI::App app{"Strata: a RISC-V (RV64GC) virtual machine monitor for x86-64 Linux hosts"};
  app.require_subcommand(1);
  add_user_command(app);
  add_binfmt_command(app);
  add_run_command(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const strata::Error& e) {
    std::fprintf(stderr, "strata: %s\n", e.what());
    return 1;
  }
  return 0;
}
