#pragma once
// A readable name for an ELF e_machine value, for "this is an ELF file for x86-64" errors.
namespace strata {

const char* elf_machine_name(unsigned machine);

}  // namespace strata
