// Character back ends: the escape keys, the terminal on pipes and on a pseudo-terminal (raw
// mode entered and restored, also at exit and on a fatal signal), the log file, Unix sockets
// in both directions with peers coming and going, the tee and the spec parser.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <fstream>
#include <functional>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>

#include "devices/char/escape.h"
#include "devices/char/file.h"
#include "devices/char/memory.h"
#include "devices/char/open.h"
#include "devices/char/socket.h"
#include "devices/char/tee.h"
#include "devices/char/terminal.h"
#include "devices/char/terminal_mode.h"
#include "util/error.h"

namespace strata::testing {
namespace {

using namespace std::chrono_literals;

// Polls `done` until it holds or 20 s pass (a bound for a broken build, never a timing).
bool eventually(const std::function<bool()>& done) {
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(1ms);
  }
  return true;
}

// Collects what a back end delivers and whether it asked to quit.
struct Receiver {
  explicit Receiver(CharBackend& backend) {
    backend.set_input_sink([this](uint8_t b) {
      std::lock_guard lock(mutex);
      input += char(b);
    });
    backend.set_quit_handler([this] { quits++; });
  }
  std::string got() {
    std::lock_guard lock(mutex);
    return input;
  }
  std::mutex mutex;
  std::string input;
  std::atomic<int> quits{0};
};

std::string temp_dir() {
  std::string pattern = ::testing::TempDir() + "strata-char-XXXXXX";
  if (!mkdtemp(pattern.data())) ADD_FAILURE() << "mkdtemp: " << std::strerror(errno);
  return pattern;
}

std::string read_available(int fd, size_t want) {
  std::string out;
  eventually([&] {
    char buf[4096];
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 0) > 0) {
      const ssize_t n = ::read(fd, buf, sizeof buf);
      if (n > 0) out.append(buf, size_t(n));
      if (n == 0) return true;
    }
    return out.size() >= want;
  });
  return out;
}

void put(int fd, std::string_view s) { ASSERT_EQ(::write(fd, s.data(), s.size()), ssize_t(s.size())); }

TEST(EscapeFilter, CtrlAPrefix) {
  using A = EscapeFilter::Action;
  EscapeFilter f;
  EXPECT_EQ(f.feed('a'), A::Deliver);
  EXPECT_EQ(f.feed(0x01), A::Swallow);
  EXPECT_EQ(f.feed(0x01), A::Deliver);  // Ctrl-A Ctrl-A: one Ctrl-A
  EXPECT_EQ(f.feed('x'), A::Deliver);   // a plain x after that
  EXPECT_EQ(f.feed(0x01), A::Swallow);
  EXPECT_EQ(f.feed('X'), A::Quit);
  EXPECT_EQ(f.feed(0x01), A::Swallow);
  EXPECT_EQ(f.feed('h'), A::Help);
  EXPECT_EQ(f.feed(0x01), A::Swallow);
  EXPECT_EQ(f.feed('q'), A::Swallow);  // unknown keys are eaten
  EXPECT_EQ(f.feed('q'), A::Deliver);
}

TEST(MemoryCharBackend, CollectsOutputAndInjectsInput) {
  MemoryCharBackend m;
  Receiver r(m);
  const uint8_t out[] = {'h', 'i'};
  m.write(out);
  EXPECT_EQ(m.output(), "hi");
  EXPECT_EQ(m.take_output(), "hi");
  EXPECT_EQ(m.output(), "");
  m.send("typed");
  EXPECT_EQ(r.got(), "typed");
  m.send_quit();
  EXPECT_EQ(r.quits, 1);
  NullCharBackend null;
  null.write(out);
}

class Pipes {
 public:
  Pipes() {
    EXPECT_EQ(pipe2(in, O_CLOEXEC), 0);
    EXPECT_EQ(pipe2(out, O_CLOEXEC), 0);
  }
  ~Pipes() {
    for (int fd : {in[0], in[1], out[0], out[1]})
      if (fd >= 0) close(fd);
  }
  int in[2], out[2];
};

TEST(TerminalCharBackend, PipesCarryBytesAndEscapes) {
  Pipes p;
  TerminalCharBackend t(p.in[0], p.out[1]);
  Receiver r(t);
  t.start();
  EXPECT_FALSE(t.raw());  // not a tty: the modes stay as they are
  put(p.in[1],
      "ab\x01\x01"
      "c\x01z");
  EXPECT_TRUE(eventually([&] {
    return r.got() ==
           "ab\x01"
           "c";
  })) << r.got();
  EXPECT_EQ(r.quits, 0);
  put(p.in[1], "\x01x");
  EXPECT_TRUE(eventually([&] { return r.quits == 1; }));
  put(p.in[1], "\x01h");
  EXPECT_NE(read_available(p.out[0], std::strlen(EscapeFilter::kHelp)).find("C-a x"), std::string::npos);
  const std::string text = "guest output\r\n";
  t.write({reinterpret_cast<const uint8_t*>(text.data()), text.size()});
  EXPECT_EQ(read_available(p.out[0], text.size()), text);
  // The end of input does not quit; stop() still ends the reader at once.
  close(p.in[1]);
  p.in[1] = -1;
  t.stop();
  EXPECT_EQ(r.quits, 1);
  t.stop();  // idempotent
}

TEST(TerminalCharBackend, StopEndsAnIdleReader) {
  Pipes p;
  for (int i = 0; i < 20; i++) {
    TerminalCharBackend t(p.in[0], p.out[1]);
    t.start();
    t.stop();  // would hang if the reader sat in read()
  }
}

struct Pty {
  Pty() {
    if (openpty(&master, &slave, nullptr, nullptr, nullptr) != 0) master = slave = -1;
  }
  ~Pty() {
    if (master >= 0) close(master);
    if (slave >= 0) close(slave);
  }
  termios settings() const {
    termios t{};
    tcgetattr(slave, &t);
    return t;
  }
  int master = -1, slave = -1;
};

TEST(TerminalCharBackend, RawModeOnATtyIsEnteredAndRestored) {
  Pty pty;
  if (pty.master < 0) GTEST_SKIP() << "no pseudo-terminals here";
  const termios before = pty.settings();
  ASSERT_TRUE(before.c_lflag & ICANON);
  {
    TerminalCharBackend t(pty.slave, pty.slave);
    Receiver r(t);
    t.start();
    EXPECT_TRUE(t.raw());
    EXPECT_TRUE(terminal_mode::active());
    const termios raw = pty.settings();
    EXPECT_FALSE(raw.c_lflag & (ICANON | ECHO | ISIG));
    EXPECT_FALSE(raw.c_iflag & (ICRNL | IXON));
    EXPECT_TRUE(raw.c_oflag & OPOST);
    // Raw: a key arrives without a newline, Ctrl-C is a byte rather than a signal.
    put(pty.master, "k\x03");
    EXPECT_TRUE(eventually([&] { return r.got() == "k\x03"; }));
    t.stop();
    EXPECT_FALSE(terminal_mode::active());
  }
  const termios after = pty.settings();
  EXPECT_EQ(after.c_lflag, before.c_lflag);
  EXPECT_EQ(after.c_iflag, before.c_iflag);
  EXPECT_EQ(after.c_oflag, before.c_oflag);
}

// The child leaves the terminal raw and dies (or exits) without stop(): the terminal must be
// restored all the same.
void expect_restored_after(const std::function<void()>& end_child, int expected_signal) {
  Pty pty;
  if (pty.master < 0) GTEST_SKIP() << "no pseudo-terminals here";
  const termios before = pty.settings();
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    TerminalCharBackend* t = new TerminalCharBackend(pty.slave, pty.slave);
    t->start();
    if (!t->raw()) _exit(100);
    end_child();
    _exit(101);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  if (expected_signal) {
    ASSERT_TRUE(WIFSIGNALED(status)) << status;
    EXPECT_EQ(WTERMSIG(status), expected_signal);
  } else {
    ASSERT_TRUE(WIFEXITED(status)) << status;
    EXPECT_EQ(WEXITSTATUS(status), 0);
  }
  EXPECT_EQ(pty.settings().c_lflag, before.c_lflag);
}

TEST(TerminalCharBackend, RestoredOnSigterm) {
  expect_restored_after([] { raise(SIGTERM); }, SIGTERM);
}
TEST(TerminalCharBackend, RestoredOnAbort) {
  expect_restored_after([] { abort(); }, SIGABRT);
}
TEST(TerminalCharBackend, RestoredAtExit) {
  expect_restored_after([] { std::exit(0); }, 0);
}

TEST(FileCharBackend, AppendsToThePath) {
  const std::string path = temp_dir() + "/console.log";
  { std::ofstream(path) << "earlier\n"; }
  {
    FileCharBackend f(path);
    const std::string text = "booting\n";
    f.write({reinterpret_cast<const uint8_t*>(text.data()), text.size()});
    f.start();
    f.stop();
  }
  std::stringstream content;
  content << std::ifstream(path).rdbuf();
  EXPECT_EQ(content.str(), "earlier\nbooting\n");
  EXPECT_THROW(FileCharBackend("/nonexistent-dir/x.log"), Error);
}

int unix_socket() { return socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0); }
sockaddr_un unix_address(const std::string& path) {
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  std::strncpy(a.sun_path, path.c_str(), sizeof a.sun_path - 1);
  return a;
}
int connect_to(const std::string& path) {
  const int fd = unix_socket();
  const sockaddr_un a = unix_address(path);
  if (connect(fd, reinterpret_cast<const sockaddr*>(&a), sizeof a) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}
void send_text(CharBackend& b, std::string_view s) {
  b.write({reinterpret_cast<const uint8_t*>(s.data()), s.size()});
}

TEST(SocketCharBackend, ListenServesClientsOneAfterAnother) {
  const std::string path = temp_dir() + "/console.sock";
  SocketCharBackend s(path, SocketCharBackend::Mode::Listen);
  Receiver r(s);
  s.start();
  send_text(s, "before anyone");  // dropped: nobody listens
  for (int round = 0; round < 2; round++) {
    const int client = connect_to(path);
    ASSERT_GE(client, 0);
    ASSERT_TRUE(eventually([&] { return s.connected(); }));
    send_text(s, "hello");
    EXPECT_EQ(read_available(client, 5), "hello");
    put(client, "typed");
    const std::string expected = round == 0 ? "typed" : "typedtyped";
    EXPECT_TRUE(eventually([&] { return r.got() == expected; })) << r.got();
    close(client);  // the peer goes away: nothing breaks, output is dropped
    ASSERT_TRUE(eventually([&] { return !s.connected(); }));
    send_text(s, "to nobody");
  }
  EXPECT_GE(s.dropped_output(), 13u);
  EXPECT_EQ(r.quits, 0);
  s.stop();
}

TEST(SocketCharBackend, ASlowPeerNeverBlocksTheWriter) {
  const std::string path = temp_dir() + "/slow.sock";
  SocketCharBackend s(path, SocketCharBackend::Mode::Listen);
  s.start();
  const int client = connect_to(path);
  ASSERT_GE(client, 0);
  ASSERT_TRUE(eventually([&] { return s.connected(); }));
  const std::string chunk(64 * 1024, 'z');
  for (int i = 0; i < 64; i++) send_text(s, chunk);  // 4 MiB the client never reads
  EXPECT_TRUE(eventually([&] { return s.dropped_output() > 0; }));
  close(client);
  s.stop();
}

TEST(SocketCharBackend, ConnectsToAListener) {
  const std::string path = temp_dir() + "/peer.sock";
  const int listener = unix_socket();
  const sockaddr_un a = unix_address(path);
  ASSERT_EQ(bind(listener, reinterpret_cast<const sockaddr*>(&a), sizeof a), 0);
  ASSERT_EQ(listen(listener, 1), 0);
  {
    SocketCharBackend s(path, SocketCharBackend::Mode::Connect);
    Receiver r(s);
    s.start();
    const int peer = accept(listener, nullptr, nullptr);
    ASSERT_GE(peer, 0);
    send_text(s, "out");
    EXPECT_EQ(read_available(peer, 3), "out");
    put(peer, "in");
    EXPECT_TRUE(eventually([&] { return r.got() == "in"; }));
    close(peer);
    EXPECT_TRUE(eventually([&] { return !s.connected(); }));
    send_text(s, "after the peer left");
    s.stop();
  }
  close(listener);
  EXPECT_THROW(SocketCharBackend(temp_dir() + "/nobody.sock", SocketCharBackend::Mode::Connect), Error);
  EXPECT_THROW(SocketCharBackend("/tmp/" + std::string(200, 'n'), SocketCharBackend::Mode::Listen), Error);
  EXPECT_THROW(SocketCharBackend("/nonexistent-dir/s.sock", SocketCharBackend::Mode::Listen), Error);
}

TEST(TeeCharBackend, WritesToAllAndListensToAll) {
  auto a = std::make_unique<MemoryCharBackend>();
  auto b = std::make_unique<MemoryCharBackend>();
  MemoryCharBackend* pa = a.get();
  MemoryCharBackend* pb = b.get();
  std::vector<std::unique_ptr<CharBackend>> parts;
  parts.push_back(std::move(a));
  parts.push_back(std::move(b));
  TeeCharBackend tee(std::move(parts));
  Receiver r(tee);
  tee.start();
  send_text(tee, "both");
  EXPECT_EQ(pa->output(), "both");
  EXPECT_EQ(pb->output(), "both");
  pa->send("1");
  pb->send("2");
  EXPECT_EQ(r.got(), "12");
  pb->send_quit();
  EXPECT_EQ(r.quits, 1);
  tee.stop();
}

TEST(OpenCharBackend, ParsesSpecs) {
  const std::string dir = temp_dir();
  EXPECT_NE(dynamic_cast<TerminalCharBackend*>(open_char_backend("stdio").get()), nullptr);
  EXPECT_NE(dynamic_cast<NullCharBackend*>(open_char_backend("null").get()), nullptr);
  EXPECT_NE(dynamic_cast<FileCharBackend*>(open_char_backend("file:" + dir + "/log").get()), nullptr);
  {
    auto server = open_char_backend("unix:" + dir + "/s,server");
    EXPECT_NE(dynamic_cast<SocketCharBackend*>(server.get()), nullptr);
    auto client = open_char_backend("unix:" + dir + "/s");
    EXPECT_TRUE(dynamic_cast<SocketCharBackend*>(client.get())->connected());
  }
  EXPECT_NE(dynamic_cast<TeeCharBackend*>(open_char_backends({"null", "file:" + dir + "/log2"}).get()),
            nullptr);
  EXPECT_NE(dynamic_cast<NullCharBackend*>(open_char_backends({}).get()), nullptr);
  EXPECT_THROW(open_char_backend("serial0"), Error);
  EXPECT_THROW(open_char_backend("file:"), Error);
  EXPECT_THROW(open_char_backends({"stdio", "stdio"}), Error);
}

}  // namespace
}  // namespace strata::testing
