#include "devices/char/terminal_mode.h"

#include <signal.h>
#include <termios.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <mutex>

namespace strata::terminal_mode {

namespace {

// Read by the signal handler: plain data published by the `active` flag.
termios saved_settings;
int saved_fd = -1;
std::atomic<bool> is_active{false};
std::mutex mutex;

constexpr int kSignals[] = {SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL};
struct sigaction previous[NSIG];
volatile sig_atomic_t armed[NSIG];  // our handler is installed for this signal
bool atexit_registered = false;

void restore_now() {
  if (is_active.exchange(false)) tcsetattr(saved_fd, TCSANOW, &saved_settings);
}

// Async-signal-safe: tcsetattr, sigaction and raise only.
void on_fatal_signal(int sig) {
  const int saved_errno = errno;
  restore_now();
  armed[sig] = 0;
  sigaction(sig, &previous[sig], nullptr);
  errno = saved_errno;
  // Let the previous disposition act: at once for a sent signal (it is blocked now and
  // delivered when this handler returns); a faulting instruction simply faults again.
  raise(sig);
}

void install_handlers() {
  if (!atexit_registered) {
    atexit_registered = true;
    std::atexit(restore_now);
  }
  for (int sig : kSignals) {
    if (armed[sig]) continue;
    struct sigaction action {};
    action.sa_handler = on_fatal_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESETHAND;  // one shot: the previous action is put back anyway
    sigaction(sig, &action, &previous[sig]);
    armed[sig] = 1;
    // A signal the process ignored stays ignored.
    if (!(previous[sig].sa_flags & SA_SIGINFO) && previous[sig].sa_handler == SIG_IGN) {
      sigaction(sig, &previous[sig], nullptr);
      armed[sig] = 0;
    }
  }
}

}  // namespace

bool enter_raw(int fd) {
  std::lock_guard lock(mutex);
  if (is_active) return true;
  termios settings;
  if (!isatty(fd) || tcgetattr(fd, &settings) != 0) return false;
  saved_settings = settings;
  saved_fd = fd;
  // As QEMU's stdio: no line editing, echo, signals, flow control or input translation;
  // output processing stays on (so a lone \n still returns the carriage).
  settings.c_iflag &= ~(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
  settings.c_oflag |= OPOST;
  settings.c_lflag &= ~(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
  settings.c_cflag &= ~(CSIZE | PARENB);
  settings.c_cflag |= CS8;
  settings.c_cc[VMIN] = 1;
  settings.c_cc[VTIME] = 0;
  install_handlers();
  is_active = true;
  if (tcsetattr(fd, TCSANOW, &settings) != 0) {
    is_active = false;
    return false;
  }
  return true;
}

void restore() {
  std::lock_guard lock(mutex);
  restore_now();
}

bool active() { return is_active; }

}  // namespace strata::terminal_mode
