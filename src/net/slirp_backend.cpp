#include "net/slirp_backend.h"

#include <slirp/libslirp.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <ctime>

#include "util/error.h"
#include "util/log.h"

namespace strata {
namespace {

// Frames larger than this cannot come from a NIC without segmentation offloads.
constexpr size_t kMaxFrameBytes = 65536;

int64_t monotonic_ns() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return int64_t(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

in_addr to_in_addr(uint32_t host_order) { return in_addr{htonl(host_order)}; }

short to_poll_events(int slirp_events) {
  short events = 0;
  if (slirp_events & SLIRP_POLL_IN) events |= POLLIN;
  if (slirp_events & SLIRP_POLL_OUT) events |= POLLOUT;
  if (slirp_events & SLIRP_POLL_PRI) events |= POLLPRI;
  if (slirp_events & SLIRP_POLL_ERR) events |= POLLERR;
  if (slirp_events & SLIRP_POLL_HUP) events |= POLLHUP;
  return events;
}

int to_slirp_events(short revents) {
  int events = 0;
  if (revents & POLLIN) events |= SLIRP_POLL_IN;
  if (revents & POLLOUT) events |= SLIRP_POLL_OUT;
  if (revents & POLLPRI) events |= SLIRP_POLL_PRI;
  if (revents & POLLERR) events |= SLIRP_POLL_ERR;
  if (revents & POLLHUP) events |= SLIRP_POLL_HUP;
  return events;
}

}  // namespace

// A slirp timer: due at expire_ms on the monotonic clock, or disarmed (-1).
struct SlirpBackend::Timer {
  SlirpTimerId id;
  SlirpTimerCb callback;  // set for timers made through timer_new, else null
  void* cb_opaque;
  int64_t expire_ms = -1;
};

struct SlirpBackend::Glue {
  static SlirpBackend& self(void* opaque) { return *static_cast<SlirpBackend*>(opaque); }

  static ssize_t send_packet(const void* buf, size_t len, void* opaque) {
    self(opaque).deliver(std::span(static_cast<const uint8_t*>(buf), len));
    return ssize_t(len);
  }
  static void guest_error(const char* msg, void*) { warn("user network: guest error: {}", msg); }
  static int64_t clock_get_ns(void*) { return monotonic_ns(); }

  static void* add_timer(SlirpBackend& backend, std::unique_ptr<Timer> timer) {
    backend.timers_.push_back(std::move(timer));
    return backend.timers_.back().get();
  }
  static void* timer_new(SlirpTimerCb cb, void* cb_opaque, void* opaque) {
    return add_timer(self(opaque), std::unique_ptr<Timer>(new Timer{SLIRP_TIMER_NUM, cb, cb_opaque}));
  }
  static void* timer_new_opaque(SlirpTimerId id, void* cb_opaque, void* opaque) {
    return add_timer(self(opaque), std::unique_ptr<Timer>(new Timer{id, nullptr, cb_opaque}));
  }
  static void timer_free(void* timer, void* opaque) {
    auto& timers = self(opaque).timers_;
    std::erase_if(timers, [timer](const std::unique_ptr<Timer>& t) { return t.get() == timer; });
  }
  static void timer_mod(void* timer, int64_t expire_ms, void*) {
    static_cast<Timer*>(timer)->expire_ms = std::max<int64_t>(expire_ms, 0);
  }
  // The poll set is rebuilt by slirp_pollfds_fill on every iteration, so there is nothing to
  // track here.
  static void register_poll_fd(int, void*) {}
  static void unregister_poll_fd(int, void*) {}
  static void notify(void* opaque) { self(opaque).wakeup_.signal(); }

  static int add_poll(int fd, int events, void* opaque) {
    auto& fds = self(opaque).pollfds_;
    fds.push_back(pollfd{fd, to_poll_events(events), 0});
    return int(fds.size() - 1);
  }
  static int get_revents(int index, void* opaque) {
    auto& fds = self(opaque).pollfds_;
    if (index < 0 || size_t(index) >= fds.size()) return 0;
    return to_slirp_events(fds[index].revents);
  }

  static const SlirpCb callbacks;
};

const SlirpCb SlirpBackend::Glue::callbacks = {
    .send_packet = send_packet,
    .guest_error = guest_error,
    .clock_get_ns = clock_get_ns,
    .timer_new = timer_new,
    .timer_free = timer_free,
    .timer_mod = timer_mod,
    .register_poll_fd = register_poll_fd,
    .unregister_poll_fd = unregister_poll_fd,
    .notify = notify,
    .init_completed = nullptr,
    .timer_new_opaque = timer_new_opaque,
};

SlirpBackend::SlirpBackend(const std::vector<HostForward>& forwards) : slirp_(nullptr, slirp_cleanup) {
  SlirpConfig config{};
  config.version = 4;
  config.restricted = 0;
  config.in_enabled = true;
  config.vnetwork = to_in_addr(kSlirpNetwork);
  config.vnetmask = to_in_addr(kSlirpNetmask);
  config.vhost = to_in_addr(kSlirpHost);
  config.vdhcp_start = to_in_addr(kSlirpGuest);
  config.vnameserver = to_in_addr(kSlirpDns);
  // IPv6 as QEMU sets it up: fec0::/64, host fec0::2, DNS fec0::3.
  config.in6_enabled = true;
  inet_pton(AF_INET6, "fec0::", &config.vprefix_addr6);
  config.vprefix_len = 64;
  inet_pton(AF_INET6, "fec0::2", &config.vhost6);
  inet_pton(AF_INET6, "fec0::3", &config.vnameserver6);
  config.vhostname = "strata";
  config.if_mtu = 0;  // slirp's defaults: 1500
  config.if_mru = 0;
  slirp_.reset(slirp_new(&config, &Glue::callbacks, this));
  if (!slirp_) fail("--net user: libslirp could not set up the user network");
  for (const HostForward& forward : forwards) add_forward(forward);
}

void SlirpBackend::add_forward(const HostForward& forward) {
  uint32_t guest = forward.guest_addr ? forward.guest_addr : kSlirpGuest;
  if ((guest & kSlirpNetmask) != kSlirpNetwork || guest == kSlirpNetwork || guest == (kSlirpNetwork | 0xff) ||
      guest == kSlirpHost || guest == kSlirpDns)
    fail("--net: hostfwd '{}': guest address {} is not a guest address in 10.0.2.0/24", forward.rule,
         format_ipv4(guest));
  bool udp = forward.protocol == NetProtocol::Udp;
  errno = 0;
  if (slirp_add_hostfwd(slirp_.get(), udp, to_in_addr(forward.host_addr), forward.host_port,
                        to_in_addr(guest), forward.guest_port) < 0) {
    int err = errno;
    fail("--net: hostfwd '{}': cannot listen on host {} {}:{}{}", forward.rule, udp ? "udp" : "tcp",
         format_ipv4(forward.host_addr), forward.host_port,
         err == EADDRINUSE ? ": the port is already in use"
         : err             ? fmt::format(": {}", std::strerror(err))
                           : std::string());
  }
}

SlirpBackend::~SlirpBackend() { stop(); }

void SlirpBackend::send(std::span<const uint8_t> frame) {
  if (frame.size() < 14 || frame.size() > kMaxFrameBytes) {
    dropped_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  bool was_empty;
  {
    std::lock_guard lock(pending_mutex_);
    if (pending_.size() >= kMaxPendingFrames) {
      dropped_.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    was_empty = pending_.empty();
    pending_.emplace_back(frame.begin(), frame.end());
  }
  // A non-empty queue already has a wakeup on its way: the thread drains it whole.
  if (was_empty) wakeup_.signal();
}

void SlirpBackend::start() {
  if (thread_.joinable()) return;
  stopping_.store(false);
  thread_ = std::thread([this] { run(); });
}

void SlirpBackend::stop() {
  if (!thread_.joinable()) return;
  stopping_.store(true);
  wakeup_.signal();
  thread_.join();
}

int SlirpBackend::poll_timeout_ms(uint32_t slirp_timeout_ms) const {
  int64_t timeout = slirp_timeout_ms == UINT32_MAX ? -1 : int64_t(slirp_timeout_ms);
  int64_t now_ms = monotonic_ns() / 1'000'000;
  for (const auto& timer : timers_) {
    if (timer->expire_ms < 0) continue;
    int64_t wait = std::max<int64_t>(timer->expire_ms - now_ms, 0);
    if (timeout < 0 || wait < timeout) timeout = wait;
  }
  return int(std::min<int64_t>(timeout, INT_MAX));
}

void SlirpBackend::fire_due_timers() {
  int64_t now_ms = monotonic_ns() / 1'000'000;
  std::vector<Timer*> due;
  for (const auto& timer : timers_)
    if (timer->expire_ms >= 0 && timer->expire_ms <= now_ms) due.push_back(timer.get());
  for (Timer* timer : due) {
    // A callback may free or re-arm another timer: only fire what is still present and due.
    bool alive =
        std::any_of(timers_.begin(), timers_.end(), [timer](const auto& t) { return t.get() == timer; });
    if (!alive || timer->expire_ms < 0 || timer->expire_ms > now_ms) continue;
    timer->expire_ms = -1;
    if (timer->callback)
      timer->callback(timer->cb_opaque);
    else
      slirp_handle_timer(slirp_.get(), timer->id, timer->cb_opaque);
  }
}

void SlirpBackend::run() {
  std::deque<std::vector<uint8_t>> frames;
  while (!stopping_.load()) {
    pollfds_.clear();
    pollfds_.push_back(pollfd{wakeup_.fd(), POLLIN, 0});
    uint32_t slirp_timeout = UINT32_MAX;
    slirp_pollfds_fill(slirp_.get(), &slirp_timeout, Glue::add_poll, this);
    int ready = poll(pollfds_.data(), pollfds_.size(), poll_timeout_ms(slirp_timeout));
    if (ready < 0 && errno != EINTR) warn("user network: poll failed: {}", std::strerror(errno));
    slirp_pollfds_poll(slirp_.get(), ready < 0, Glue::get_revents, this);
    if (ready > 0 && (pollfds_[0].revents & POLLIN)) wakeup_.drain();
    {
      std::lock_guard lock(pending_mutex_);
      frames.swap(pending_);
    }
    for (const auto& frame : frames) slirp_input(slirp_.get(), frame.data(), int(frame.size()));
    frames.clear();
    fire_due_timers();
  }
}

}  // namespace strata
