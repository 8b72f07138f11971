#pragma once
// Raw mode for the controlling terminal, and the guarantee to leave it as found: restored
// by restore(), at exit, and on the signals that would otherwise end the process with the
// terminal still raw (the previous disposition then runs as before). One terminal at a time.
namespace strata::terminal_mode {

// Puts `fd` (a tty) in raw mode, remembering its settings. False if it is not a tty or the
// settings cannot be changed. A second call while one is active changes nothing.
bool enter_raw(int fd);
// Restores the remembered settings, if any are active; safe to call repeatedly.
void restore();
bool active();

}  // namespace strata::terminal_mode
