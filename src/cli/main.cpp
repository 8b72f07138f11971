// strata: the command-line front end. Each subcommand lives in its own file under cli/.
#include <CLI/CLI.hpp>

#include <cstdio>

#include "util/error.h"

int main(int argc, char** argv) {
  CLI::App app{"Strata: a RISC-V (RV64GC) virtual machine monitor for x86-64 Linux hosts"};
  app.require_subcommand(1);
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
