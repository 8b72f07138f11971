// The dispatch table and the --strace printer.
#include <fmt/format.h>

#include <algorithm>
#include <cstring>

#include "user/syscalls/syscalls.h"
#include "util/log.h"

namespace strata::user {
namespace {

SyscallTable build_table() {
  SyscallTable t{};
  register_fs_syscalls(t);
  register_mm_syscalls(t);
  register_process_syscalls(t);
  register_signal_syscalls(t);
  register_net_syscalls(t);
  register_time_syscalls(t);
  register_misc_syscalls(t);
  return t;
}

std::string escape(const std::string& s, size_t limit) {
  std::string out = "\"";
  for (size_t i = 0; i < s.size() && i < limit; ++i) {
    const unsigned char c = s[i];
    switch (c) {
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      default:
        if (c >= 32 && c < 127)
          out += char(c);
        else
          out += fmt::format("\\{:o}", c);
    }
  }
  out += '"';
  if (s.size() > limit) out += "...";
  return out;
}

std::string buffer_arg(GuestThread& t, uint64_t va, int64_t len) {
  if (va == 0) return "NULL";
  if (len < 0) return fmt::format("0x{:x}", va);
  std::string s(size_t(std::min<int64_t>(len, 33)), '\0');
  if (!t.proc.mem.read(va, s.data(), s.size())) return fmt::format("0x{:x}", va);
  std::string e = escape(s, 32);
  if (len > 32 && e.back() != '.') e += "...";
  return e;
}

// Flag words the way strace spells them: known bits by name, the rest in hex.
struct FlagName {
  uint64_t bit;
  const char* name;
};
std::string flag_names(uint64_t v, std::initializer_list<FlagName> names, const char* zero) {
  std::string out;
  for (const auto& n : names)
    if (n.bit && (v & n.bit) == n.bit) {
      out += out.empty() ? "" : "|";
      out += n.name;
      v &= ~n.bit;
    }
  if (v) out += (out.empty() ? "" : "|") + fmt::format("0x{:x}", v);
  return out.empty() ? zero : out;
}

std::string open_flags(uint64_t v) {
  static const char* modes[] = {"O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE"};
  std::string out = modes[v & 3];
  const std::string rest = flag_names(v & ~3ull,
                                      {{0100, "O_CREAT"},
                                       {0200, "O_EXCL"},
                                       {0400, "O_NOCTTY"},
                                       {01000, "O_TRUNC"},
                                       {02000, "O_APPEND"},
                                       {04000, "O_NONBLOCK"},
                                       {010000, "O_DSYNC"},
                                       {040000, "O_DIRECT"},
                                       {0200000, "O_DIRECTORY"},
                                       {0400000, "O_NOFOLLOW"},
                                       {01000000, "O_NOATIME"},
                                       {02000000, "O_CLOEXEC"},
                                       {010000000, "O_PATH"}},
                                      "");
  return rest.empty() ? out : out + "|" + rest;
}

std::string format_args(GuestThread& t, const SyscallEntry& e, const uint64_t* a, int64_t result) {
  std::string out;
  const char* f = e.format;
  for (unsigned i = 0; f[i] && i < 6; ++i) {
    if (i) out += ", ";
    const uint64_t v = a[i];
    switch (f[i]) {
      case 'd':
        out += fmt::format("{}", int64_t(v));
        break;
      case 'u':
        out += fmt::format("{}", v);
        break;
      case 'O':
        out += fmt::format("0{:o}", v);
        break;
      case 'f':
        out += int32_t(v) == -100 ? std::string("AT_FDCWD") : fmt::format("{}", int32_t(v));
        break;
      case 'S': {
        const char* name = int(v) > 0 && int(v) < 32 ? sigabbrev_np(int(v)) : nullptr;
        out += name ? fmt::format("SIG{}", name) : fmt::format("{}", int64_t(v));
        break;
      }
      case 'p':
        out += v ? fmt::format("0x{:x}", v) : std::string("NULL");
        break;
      case 'F':
        out += open_flags(v);
        break;
      case 'P':
        out += flag_names(v, {{1, "PROT_READ"}, {2, "PROT_WRITE"}, {4, "PROT_EXEC"}}, "PROT_NONE");
        break;
      case 'M':
        out += flag_names(v,
                          {{3, "MAP_SHARED_VALIDATE"},
                           {1, "MAP_SHARED"},
                           {2, "MAP_PRIVATE"},
                           {0x10, "MAP_FIXED"},
                           {0x20, "MAP_ANONYMOUS"},
                           {0x100, "MAP_GROWSDOWN"},
                           {0x800, "MAP_DENYWRITE"},
                           {0x4000, "MAP_NORESERVE"},
                           {0x8000, "MAP_POPULATE"},
                           {0x20000, "MAP_STACK"},
                           {0x100000, "MAP_FIXED_NOREPLACE"}},
                          "0");
        break;
      case 's': {
        std::string s;
        out += v == 0                         ? std::string("NULL")
               : t.proc.mem.read_string(v, s) ? escape(s, 256)
                                              : fmt::format("0x{:x}", v);
        break;
      }
      case 'i':
        out += buffer_arg(t, v, i + 1 < 6 ? int64_t(a[i + 1]) : -1);
        break;
      case 'o':
        out += buffer_arg(t, v, result);
        break;
      default:
        out += fmt::format("0x{:x}", v);
        break;
    }
  }
  return out;
}

std::string format_result(const SyscallEntry* e, int64_t r) {
  if (r < 0 && r >= -4095) {
    const char* name = strerrorname_np(int(-r));
    return fmt::format("-1 {} ({})", name ? name : "E?", std::strerror(int(-r)));
  }
  if (e && e->hex_result) return fmt::format("0x{:x}", r);
  return fmt::format("{}", r);
}

void trace_line(GuestThread& t, const std::string& text) {
  const std::string prefix = t.tid != getpid() ? fmt::format("[pid {}] ", t.tid) : std::string();
  const std::string line = prefix + text + "\n";
  [[maybe_unused]] ssize_t n = write(2, line.data(), line.size());
}

constexpr uint64_t kRtSigreturn = 139;

}  // namespace

const SyscallTable& syscall_table() {
  static const SyscallTable table = build_table();
  return table;
}

// The host kernel wrote the output buffers ('o' in the format: length = result) straight into
// guest memory: code translated from those bytes must hear of it, as of a guest store (a JIT
// or loader that read()s code into an executable page).
static void report_output_buffers(GuestThread& t, const SyscallEntry& e, const uint64_t* a, uint64_t result) {
  for (unsigned i = 0; i < 6 && e.format[i]; i++)
    if (e.format[i] == 'o' && a[i])  // between instructions: no block to leave, whatever it says
      t.hart->code_written(a[i], unsigned(std::min<uint64_t>(result, ~0u)));
}

void do_syscall(GuestThread& t) {
  Hart& h = *t.hart;
  const uint64_t nr = h.x[17];
  const uint64_t a[6] = {h.x[10], h.x[11], h.x[12], h.x[13], h.x[14], h.x[15]};
  const SyscallTable& table = syscall_table();
  // A signal that arrived while the guest ran is taken before the syscall, as if it had
  // come just before the ecall; the ecall runs after the handler returns.
  if (nr != kRtSigreturn && signal_deliverable(t)) {
    h.pc -= 4;
    return;
  }
  const SyscallEntry* e = nr < kMaxSyscall && table[nr].fn ? &table[nr] : nullptr;
  const bool trace = t.proc.options.strace;
  if (!e) {
    if (t.proc.first_unknown(nr)) warn("unsupported syscall {} (returns ENOSYS)", nr);
    h.x[10] = uint64_t(-int64_t(ENOSYS));
    if (trace)
      trace_line(t, fmt::format("syscall_{}(0x{:x}, 0x{:x}, 0x{:x}) = -1 ENOSYS (Function not implemented)",
                                nr, a[0], a[1], a[2]));
    return;
  }
  if (trace && e->trace_before) trace_line(t, fmt::format("{}({}) = ?", e->name, format_args(t, *e, a, -1)));
  const int64_t r = e->fn(t, a);
  if (r == -EINTR && !e->no_restart && restart_pending(t)) {
    h.pc -= 4;  // run the ecall again after the handler (a0..a7 are unchanged)
    if (trace) trace_line(t, fmt::format("{}({}) = ? ERESTARTSYS", e->name, format_args(t, *e, a, -1)));
    return;
  }
  if (r != kNoResult) h.x[10] = uint64_t(r);
  if (r > 0) report_output_buffers(t, *e, a, uint64_t(r));
  if (trace && !e->trace_before)
    trace_line(t, fmt::format("{}({}) = {}", e->name, format_args(t, *e, a, r),
                              r == kNoResult ? std::string("?") : format_result(e, r)));
}

}  // namespace strata::user
