#pragma once
// `strata user`: loads the program into a fresh process and runs its main thread on the
// calling host thread. The guest's exit ends the host process with the same status (or
// signal), so this returns only by throwing strata::Error for setup problems.
#include <string>
#include <vector>

#include "user/process.h"

namespace strata::user {

[[noreturn]] void run_user_program(const UserOptions& options);

// The guest environment: the host's, with -E VAR=VALUE set and -E VAR removed.
std::vector<std::string> guest_environment(char** host_env, const std::vector<std::string>& changes);

}  // namespace strata::user
