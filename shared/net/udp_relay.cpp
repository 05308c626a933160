// shared/net/udp_relay.cpp
//
// One thread, one epoll set: the listen socket, one connected upstream socket
// per link, and an eventfd to wake the loop (stop, new conditions). Due times
// of every link and direction sit in one min-heap of timers, so a wake-up costs
// O(ready sockets + due packets), not O(links).
#include "shared/net/udp_relay.hpp"

#include <fmt/format.h>

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <functional>
#include <mutex>
#include <optional>
#include <queue>
#include <system_error>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

namespace skirmish::net {

namespace {

constexpr std::uint64_t kListenId = 0; // epoll data for the listen socket
constexpr std::uint64_t kWakeId = 1;   // ... for the eventfd; links count up from 2
constexpr std::uint64_t kFirstLinkId = 2;
constexpr int kReceiveBudget = 256;    // datagrams per socket per wake-up, so timers are not starved
constexpr std::size_t kMaxEvents = 256;
constexpr std::size_t kBusyTimers = 32; // pending timers above which timer_slack applies

std::string errno_text(int error) { return std::system_category().message(error); }

// --- sockets -------------------------------------------------------------------

class Fd {
public:
    Fd() = default;
    explicit Fd(int fd) : fd_(fd) {}
    Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
    Fd& operator=(Fd&& other) noexcept {
        if (this != &other) {
            reset();
            fd_ = std::exchange(other.fd_, -1);
        }
        return *this;
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd() { reset(); }
    int get() const noexcept { return fd_; }
    explicit operator bool() const noexcept { return fd_ >= 0; }

private:
    void reset() noexcept {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
    }
    int fd_ = -1;
};

struct Endpoint {
    sockaddr_storage storage{};
    socklen_t length = 0;

    const sockaddr* addr() const noexcept { return reinterpret_cast<const sockaddr*>(&storage); }
    sockaddr* addr() noexcept { return reinterpret_cast<sockaddr*>(&storage); }
    int family() const noexcept { return storage.ss_family; }
};

std::uint16_t port_of(const Endpoint& e) {
    if (e.family() == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in*>(&e.storage)->sin_port);
    if (e.family() == AF_INET6) return ntohs(reinterpret_cast<const sockaddr_in6*>(&e.storage)->sin6_port);
    return 0;
}

std::string to_string(const Endpoint& e) {
    std::array<char, INET6_ADDRSTRLEN> text{};
    if (e.family() == AF_INET) {
        const auto* v4 = reinterpret_cast<const sockaddr_in*>(&e.storage);
        ::inet_ntop(AF_INET, &v4->sin_addr, text.data(), text.size());
        return fmt::format("{}:{}", text.data(), port_of(e));
    }
    if (e.family() == AF_INET6) {
        const auto* v6 = reinterpret_cast<const sockaddr_in6*>(&e.storage);
        ::inet_ntop(AF_INET6, &v6->sin6_addr, text.data(), text.size());
        return fmt::format("[{}]:{}", text.data(), port_of(e));
    }
    return "?";
}

// The hash key of a client address (family, port, address bytes).
struct AddressKey {
    std::array<std::uint8_t, 16> address{};
    std::uint16_t port = 0;
    std::uint8_t family = 0;
    friend bool operator==(const AddressKey&, const AddressKey&) = default;
};

AddressKey key_of(const Endpoint& e) {
    AddressKey key;
    key.family = static_cast<std::uint8_t>(e.family());
    key.port = port_of(e);
    if (e.family() == AF_INET) {
        std::memcpy(key.address.data(), &reinterpret_cast<const sockaddr_in*>(&e.storage)->sin_addr, 4);
    } else if (e.family() == AF_INET6) {
        std::memcpy(key.address.data(), &reinterpret_cast<const sockaddr_in6*>(&e.storage)->sin6_addr, 16);
    }
    return key;
}

struct AddressKeyHash {
    std::size_t operator()(const AddressKey& key) const noexcept {
        std::uint64_t h = 0xcbf29ce484222325ULL; // FNV-1a
        const auto mix = [&h](std::uint8_t byte) { h = (h ^ byte) * 0x100000001b3ULL; };
        for (auto byte : key.address) mix(byte);
        mix(static_cast<std::uint8_t>(key.port));
        mix(static_cast<std::uint8_t>(key.port >> 8));
        mix(key.family);
        return static_cast<std::size_t>(h);
    }
};

bool is_wildcard(const Endpoint& e) {
    const AddressKey key = key_of(e);
    return std::all_of(key.address.begin(), key.address.end(), [](std::uint8_t byte) { return byte == 0; });
}

bool is_loopback(const Endpoint& e) {
    const AddressKey key = key_of(e);
    if (e.family() == AF_INET) return key.address[0] == 127;
    return e.family() == AF_INET6 && key.address[15] == 1 &&
           std::all_of(key.address.begin(), key.address.end() - 1, [](std::uint8_t byte) { return byte == 0; });
}

// Resolves host:port for UDP, preferring IPv4 (servers commonly bind 0.0.0.0,
// and "localhost" may list ::1 first).
util::Result<Endpoint, std::string> resolve(const std::string& host, std::uint16_t port, bool passive,
                                             std::string_view what) {
    if (host.empty()) return util::fail(fmt::format("the {} is empty: give a host name or address", what));
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_DGRAM;
    hints.ai_flags = passive ? AI_PASSIVE : 0;
    addrinfo* found = nullptr;
    const std::string service = std::to_string(port);
    if (const int rc = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &found); rc != 0) {
        const std::string reason = rc == EAI_SYSTEM ? errno_text(errno) : ::gai_strerror(rc);
        return util::fail(fmt::format("cannot resolve {} '{}': {}", what, host, reason));
    }
    const addrinfo* pick = found;
    for (const addrinfo* ai = found; ai != nullptr; ai = ai->ai_next) {
        if (ai->ai_family == AF_INET) {
            pick = ai;
            break;
        }
    }
    Endpoint endpoint;
    std::memcpy(&endpoint.storage, pick->ai_addr, pick->ai_addrlen);
    endpoint.length = pick->ai_addrlen;
    ::freeaddrinfo(found);
    return endpoint;
}

void set_buffers(int fd, int bytes) {
    if (bytes <= 0) return;
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof bytes);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &bytes, sizeof bytes);
}

// Binds the listen socket. Bind failures get their own messages: a port in use
// is the common operational failure.
util::Result<Fd, std::string> bind_listen(Endpoint& endpoint, const RelayConfig& config) {
    Fd fd(::socket(endpoint.family(), SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (!fd) return util::fail(fmt::format("cannot open a UDP socket: {}", errno_text(errno)));
    set_buffers(fd.get(), config.socket_buffer_bytes);
    if (::bind(fd.get(), endpoint.addr(), endpoint.length) != 0) {
        const int error = errno;
        const std::string where = fmt::format("UDP port {} on {}", config.listen_port, config.listen_address);
        switch (error) {
        case EADDRINUSE:
            return util::fail(fmt::format("{} is already in use: pick another with --listen", where));
        case EACCES:
            return util::fail(fmt::format("{} needs privileges to bind: pick a port above 1023", where));
        case EADDRNOTAVAIL:
            return util::fail(fmt::format("cannot listen on {}: '{}' is not an address of this machine "
                                          "(use 127.0.0.1, or 0.0.0.0 for every interface)",
                                          where, config.listen_address));
        default: return util::fail(fmt::format("cannot bind {}: {}", where, errno_text(error)));
        }
    }
    endpoint.length = sizeof endpoint.storage;
    ::getsockname(fd.get(), endpoint.addr(), &endpoint.length);
    return fd;
}

util::Result<util::Ok, std::string> check(const RelayConfig& config) {
    if (auto conditions = validate(config.conditions); !conditions) return conditions;
    if (config.forward_port == 0) {
        return util::fail(std::string("the forward port is missing: give the server as HOST:PORT, e.g. 127.0.0.1:7777"));
    }
    if (config.max_datagram_bytes == 0 || config.max_datagram_bytes > kMaxRelayDatagramBytes) {
        return util::fail(fmt::format("max datagram size must be between 1 and {} bytes, got {}",
                                      kMaxRelayDatagramBytes, config.max_datagram_bytes));
    }
    if (config.max_links == 0) return util::fail(std::string("max links must be at least 1"));
    if (config.timer_slack < std::chrono::microseconds::zero() || config.timer_slack > std::chrono::milliseconds(10)) {
        return util::fail(std::string("the timer slack must be between 0 and 10 ms"));
    }
    if (config.idle_timeout <= std::chrono::milliseconds::zero()) {
        return util::fail(std::string("the idle timeout must be positive"));
    }
    return util::Ok{};
}

// --- the relay's state -----------------------------------------------------------

// One client address, its upstream socket and its two directions.
struct Link {
    Link(std::uint64_t link_id, std::uint64_t link_index, const Endpoint& client_address, Fd upstream_socket,
         const ConditionerConfig& c)
        : id(link_id),
          index(link_index),
          client(client_address),
          upstream(std::move(upstream_socket)),
          up(c.up, derive_seed(c.seed, link_index, Direction::Up), c.limits),
          down(c.down, derive_seed(c.seed, link_index, Direction::Down), c.limits) {}

    LinkConditioner& conditioner(Direction d) { return d == Direction::Up ? up : down; }
    util::TimePoint& scheduled(Direction d) { return scheduled_at[d == Direction::Up ? 0 : 1]; }

    std::uint64_t id;
    std::uint64_t index; // 0 for the first client address the relay saw
    Endpoint client;
    Fd upstream;         // connected to the forward address
    LinkConditioner up;
    LinkConditioner down;
    util::TimePoint last_activity{};
    // The due time of this direction's pending timer, max() when none.
    std::array<util::TimePoint, 2> scheduled_at{util::TimePoint::max(), util::TimePoint::max()};
};

struct Timer {
    util::TimePoint due;
    std::uint64_t link_id;
    Direction direction;
    friend bool operator>(const Timer& a, const Timer& b) { return a.due > b.due; }
};

} // namespace

struct UdpRelay::Impl {
    explicit Impl(const RelayConfig& c) : config(c), conditions(c.conditions), current(c.conditions) {
        if (c.logger != nullptr) log.emplace(c.logger->child("relay"));
        buffer.resize(kMaxRelayDatagramBytes);
        housekeeping_period = std::clamp<util::Duration>(config.idle_timeout / 4, std::chrono::milliseconds(10),
                                                         std::chrono::seconds(1));
    }

    // --- set before the thread starts, read-only afterwards
    RelayConfig config;
    Fd listen_fd, epoll_fd, wake_fd;
    Endpoint listen_endpoint, forward;
    std::string route;
    std::optional<util::Logger> log;
    util::Duration housekeeping_period{};

    // --- shared with callers, under `mutex`
    mutable std::mutex mutex;
    ConditionerConfig conditions;
    RelayStats published;
    std::atomic<bool> conditions_pending{false};
    std::once_flag stopped;

    // --- the relay thread's own
    util::SteadyClock clock;
    ConditionerConfig current;
    std::unordered_map<AddressKey, Link*, AddressKeyHash> by_address;
    std::unordered_map<std::uint64_t, std::unique_ptr<Link>> links;
    std::priority_queue<Timer, std::vector<Timer>, std::greater<>> timers;
    std::vector<std::uint8_t> buffer;
    Delivery delivery;
    RelayStats live;
    util::TimePoint next_cpu_sample{};
    util::RateLimitedLog warn_limit{5, std::chrono::seconds(10)};
    bool use_epoll_pwait2 = true;
    std::jthread thread; // last: joined before anything above is destroyed

    void run(const std::stop_token& stop);
    int wait(util::TimePoint wake, util::TimePoint now, std::array<epoll_event, kMaxEvents>& events);
    void receive_from_clients(util::TimePoint now);
    void receive_from_server(std::uint64_t link_id, util::TimePoint now);
    Link* find_or_open_link(const Endpoint& from, util::TimePoint now);
    void count_submit(Direction d, SubmitOutcome outcome, std::size_t bytes);
    void schedule(Link& link, Direction d);
    void run_due_timers(util::TimePoint now);
    void flush(Link& link, Direction d, util::TimePoint now);
    void reap_idle(util::TimePoint now);
    void apply_new_conditions();
    void publish(util::TimePoint now, bool final = false);
    RelayDirectionStats& stats_of(Direction d) { return d == Direction::Up ? live.up : live.down; }

    template <typename... Args>
    void warn(util::TimePoint now, fmt::format_string<Args...> format, Args&&... args) {
        std::uint64_t suppressed = 0;
        if (!log || !warn_limit.allow(now.time_since_epoch(), suppressed)) return;
        std::string text = fmt::format(format, std::forward<Args>(args)...);
        if (suppressed > 0) text += fmt::format(" ({} similar messages suppressed)", suppressed);
        log->warn("{}", text);
    }
};

// --- the relay loop --------------------------------------------------------------

void UdpRelay::Impl::run(const std::stop_token& stop) {
    ::pthread_setname_np(::pthread_self(), "skirmish-relay"); // for top -H and perf
    std::array<epoll_event, kMaxEvents> events{};
    util::TimePoint next_housekeeping = clock.now() + housekeeping_period;
    while (!stop.stop_requested()) {
        util::TimePoint wake = next_housekeeping;
        // When many links have packets in flight, waking a little after the first
        // due time lets one wake-up send every packet due in that window instead
        // of one wake-up per packet; with few, the wake-up is on the due time.
        if (!timers.empty()) {
            const bool busy = timers.size() > kBusyTimers;
            wake = std::min(wake, timers.top().due + (busy ? config.timer_slack : util::Duration::zero()));
        }
        const int ready = wait(wake, clock.now(), events);

        util::TimePoint now = clock.now();
        if (conditions_pending.exchange(false)) apply_new_conditions();
        for (int i = 0; i < ready; ++i) {
            const std::uint64_t id = events[static_cast<std::size_t>(i)].data.u64;
            if (id == kListenId) {
                receive_from_clients(now);
            } else if (id == kWakeId) {
                std::uint64_t count = 0;
                [[maybe_unused]] const auto n = ::read(wake_fd.get(), &count, sizeof count);
            } else {
                receive_from_server(id, now);
            }
        }
        now = clock.now();
        run_due_timers(now);
        if (now >= next_housekeeping) {
            reap_idle(now);
            next_housekeeping = now + housekeeping_period;
        }
        publish(now);
    }
    publish(clock.now(), true);
}

int UdpRelay::Impl::wait(util::TimePoint wake, util::TimePoint now, std::array<epoll_event, kMaxEvents>& events) {
    const util::Duration timeout = std::max(wake - now, util::Duration::zero());
    const int max_events = static_cast<int>(events.size());
    if (use_epoll_pwait2) {
        timespec ts{};
        ts.tv_sec = static_cast<time_t>(timeout / std::chrono::seconds(1));
        ts.tv_nsec = static_cast<long>((timeout % std::chrono::seconds(1)).count());
        const int ready = ::epoll_pwait2(epoll_fd.get(), events.data(), max_events, &ts, nullptr);
        if (ready >= 0) return ready;
        if (errno != ENOSYS) return 0; // EINTR: go round again
        use_epoll_pwait2 = false;      // kernel before 5.11: millisecond timeouts, rounded up
    }
    const auto ms = std::chrono::ceil<std::chrono::milliseconds>(timeout).count();
    const int ready = ::epoll_wait(epoll_fd.get(), events.data(), max_events,
                                   static_cast<int>(std::min<long long>(ms, 60'000)));
    return std::max(ready, 0);
}

void UdpRelay::Impl::receive_from_clients(util::TimePoint now) {
    for (int budget = kReceiveBudget; budget > 0; --budget) {
        Endpoint from;
        from.length = sizeof from.storage;
        // MSG_TRUNC: the result is the datagram's real size, even beyond the buffer.
        const ssize_t received =
            ::recvfrom(listen_fd.get(), buffer.data(), buffer.size(), MSG_TRUNC, from.addr(), &from.length);
        if (received < 0) {
            if (errno == EINTR) continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK) warn(now, "receive on the listen socket: {}", errno_text(errno));
            return;
        }
        const auto size = static_cast<std::size_t>(received);
        if (size > config.max_datagram_bytes) {
            ++live.oversized;
            continue;
        }
        Link* link = find_or_open_link(from, now);
        if (link == nullptr) continue;
        link->last_activity = now;
        count_submit(Direction::Up, link->up.submit({buffer.data(), size}, now), size);
        schedule(*link, Direction::Up);
    }
}

void UdpRelay::Impl::receive_from_server(std::uint64_t link_id, util::TimePoint now) {
    const auto found = links.find(link_id);
    if (found == links.end()) return;
    Link& link = *found->second;
    for (int budget = kReceiveBudget; budget > 0; --budget) {
        const ssize_t received = ::recv(link.upstream.get(), buffer.data(), buffer.size(), MSG_TRUNC);
        if (received < 0) {
            if (errno == EINTR) continue;
            if (errno == ECONNREFUSED) { // an ICMP "port unreachable" for something we sent
                ++live.upstream_refused;
                warn(now, "{} refused datagrams (port unreachable): is the server running?", to_string(forward));
                continue;
            }
            if (errno != EAGAIN && errno != EWOULDBLOCK) warn(now, "receive from {}: {}", to_string(forward), errno_text(errno));
            return;
        }
        const auto size = static_cast<std::size_t>(received);
        if (size > config.max_datagram_bytes) {
            ++live.oversized;
            continue;
        }
        link.last_activity = now;
        count_submit(Direction::Down, link.down.submit({buffer.data(), size}, now), size);
        schedule(link, Direction::Down);
    }
}

Link* UdpRelay::Impl::find_or_open_link(const Endpoint& from, util::TimePoint now) {
    const AddressKey key = key_of(from);
    if (const auto it = by_address.find(key); it != by_address.end()) return it->second;

    if (links.size() >= config.max_links) {
        ++live.links_refused;
        warn(now, "dropping datagrams from {}: {} links are open, the most this relay takes", to_string(from),
             links.size());
        return nullptr;
    }
    Fd upstream(::socket(forward.family(), SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (!upstream || ::connect(upstream.get(), forward.addr(), forward.length) != 0) {
        const int error = errno;
        ++live.links_refused;
        warn(now, "cannot open an upstream socket for client {}: {}{}", to_string(from), errno_text(error),
             error == EMFILE || error == ENFILE ? " (too many open files: raise `ulimit -n`)" : "");
        return nullptr;
    }
    const std::uint64_t index = live.links_opened;
    const std::uint64_t id = kFirstLinkId + index;
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.u64 = id;
    if (::epoll_ctl(epoll_fd.get(), EPOLL_CTL_ADD, upstream.get(), &event) != 0) {
        ++live.links_refused;
        warn(now, "cannot watch the upstream socket for client {}: {}", to_string(from), errno_text(errno));
        return nullptr;
    }
    auto link = std::make_unique<Link>(id, index, from, std::move(upstream), current);
    Link* raw = link.get();
    links.emplace(id, std::move(link));
    by_address.emplace(key, raw);
    ++live.links_opened;
    if (log) log->debug("link {} opened for client {}", index, to_string(from));
    return raw;
}

void UdpRelay::Impl::count_submit(Direction d, SubmitOutcome outcome, std::size_t bytes) {
    RelayDirectionStats& s = stats_of(d);
    ++s.packets_in;
    s.bytes_in += bytes;
    switch (outcome.fate) {
    case Fate::Lost: ++s.dropped; break;
    case Fate::Overflowed:
        ++s.dropped;
        ++s.overflowed;
        break;
    case Fate::Queued:
        s.duplicated += outcome.duplicated ? 1 : 0;
        s.reordered += outcome.reordered ? 1 : 0;
        break;
    }
}

// Keeps one pending timer per link and direction at its earliest due time;
// timers made stale by an earlier one are skipped when they come up.
void UdpRelay::Impl::schedule(Link& link, Direction d) {
    const std::optional<util::TimePoint> due = link.conditioner(d).next_due();
    if (due && *due < link.scheduled(d)) {
        timers.push(Timer{*due, link.id, d});
        link.scheduled(d) = *due;
    }
}

void UdpRelay::Impl::run_due_timers(util::TimePoint now) {
    while (!timers.empty() && timers.top().due <= now) {
        const Timer timer = timers.top();
        timers.pop();
        const auto found = links.find(timer.link_id);
        if (found == links.end()) continue;
        Link& link = *found->second;
        if (link.scheduled(timer.direction) != timer.due) continue;
        link.scheduled(timer.direction) = util::TimePoint::max();
        flush(link, timer.direction, now);
        schedule(link, timer.direction);
    }
}

void UdpRelay::Impl::flush(Link& link, Direction d, util::TimePoint now) {
    RelayDirectionStats& s = stats_of(d);
    while (link.conditioner(d).pop_due(now, delivery)) {
        const ssize_t sent =
            d == Direction::Up
                ? ::send(link.upstream.get(), delivery.bytes.data(), delivery.bytes.size(), 0)
                : ::sendto(listen_fd.get(), delivery.bytes.data(), delivery.bytes.size(), 0, link.client.addr(),
                           link.client.length);
        if (sent < 0) {
            ++s.send_errors;
            if (errno == ECONNREFUSED) ++live.upstream_refused;
            continue;
        }
        ++s.delivered;
        s.bytes_out += delivery.bytes.size();
        const double delay_ms = util::to_ms(now - delivery.submitted_at);
        s.added_delay_ms_sum += delay_ms;
        s.added_delay_ms_max = std::max(s.added_delay_ms_max, delay_ms);
    }
}

void UdpRelay::Impl::reap_idle(util::TimePoint now) {
    for (auto it = links.begin(); it != links.end();) {
        Link& link = *it->second;
        if (now - link.last_activity >= config.idle_timeout && link.up.idle() && link.down.idle()) {
            if (log) log->debug("link {} for client {} closed after {} ms idle", link.index, to_string(link.client),
                                config.idle_timeout.count());
            by_address.erase(key_of(link.client));
            ++live.links_reaped;
            it = links.erase(it); // closes the upstream socket, which leaves the epoll set
        } else {
            ++it;
        }
    }
}

void UdpRelay::Impl::apply_new_conditions() {
    {
        const std::lock_guard lock(mutex);
        current = conditions;
    }
    for (auto& [id, link] : links) {
        link->up.set_conditions(current.up);
        link->down.set_conditions(current.down);
        link->up.set_limits(current.limits);
        link->down.set_limits(current.limits);
    }
}

void UdpRelay::Impl::publish(util::TimePoint now, bool final) {
    live.links = links.size();
    if (final || now >= next_cpu_sample) { // a system call: every 10 ms is enough
        timespec cpu{};
        ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu);
        live.thread_cpu_ms = static_cast<double>(cpu.tv_sec) * 1e3 + static_cast<double>(cpu.tv_nsec) / 1e6;
        next_cpu_sample = now + std::chrono::milliseconds(10);
    }
    const std::lock_guard lock(mutex);
    published = live;
}

// --- UdpRelay ---------------------------------------------------------------------

util::Result<std::unique_ptr<UdpRelay>, std::string> UdpRelay::start(const RelayConfig& config) {
    if (auto ok = check(config); !ok) return util::fail(ok.error());
    auto impl = std::make_unique<Impl>(config);

    auto forward = resolve(config.forward_host, config.forward_port, false, "forward host");
    if (!forward) return util::fail(forward.error());
    impl->forward = forward.value();
    auto listen = resolve(config.listen_address, config.listen_port, true, "listen address");
    if (!listen) return util::fail(listen.error());
    impl->listen_endpoint = listen.value();
    auto bound = bind_listen(impl->listen_endpoint, config);
    if (!bound) return util::fail(bound.error());
    impl->listen_fd = std::move(bound.value());

    const Endpoint& here = impl->listen_endpoint;
    if (port_of(impl->forward) == port_of(here) &&
        (key_of(impl->forward) == key_of(here) || (is_wildcard(here) && is_loopback(impl->forward)))) {
        return util::fail(fmt::format("the forward address {} is the relay's own listen address: "
                                      "forward to the server's port instead", to_string(impl->forward)));
    }

    impl->epoll_fd = Fd(::epoll_create1(EPOLL_CLOEXEC));
    impl->wake_fd = Fd(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
    if (!impl->epoll_fd || !impl->wake_fd) {
        return util::fail(fmt::format("cannot create the relay's event loop: {}", errno_text(errno)));
    }
    for (const auto& [fd, id] : {std::pair{impl->listen_fd.get(), kListenId}, std::pair{impl->wake_fd.get(), kWakeId}}) {
        epoll_event event{};
        event.events = EPOLLIN;
        event.data.u64 = id;
        if (::epoll_ctl(impl->epoll_fd.get(), EPOLL_CTL_ADD, fd, &event) != 0) {
            return util::fail(fmt::format("cannot create the relay's event loop: {}", errno_text(errno)));
        }
    }
    impl->route = fmt::format("{} -> {}", to_string(impl->listen_endpoint), to_string(impl->forward));
    if (impl->log) impl->log->info("relaying UDP {}", impl->route);

    Impl* raw = impl.get();
    impl->thread = std::jthread([raw](const std::stop_token& stop) { raw->run(stop); });
    return std::unique_ptr<UdpRelay>(new UdpRelay(std::move(impl)));
}

UdpRelay::UdpRelay(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

UdpRelay::~UdpRelay() { stop(); }

std::uint16_t UdpRelay::port() const noexcept { return port_of(impl_->listen_endpoint); }

std::string UdpRelay::describe_route() const { return impl_->route; }

util::Result<util::Ok, std::string> UdpRelay::set_conditions(const ConditionerConfig& conditions) {
    if (auto ok = validate(conditions); !ok) return ok;
    {
        const std::lock_guard lock(impl_->mutex);
        impl_->conditions = conditions;
    }
    impl_->conditions_pending.store(true);
    const std::uint64_t one = 1;
    [[maybe_unused]] const auto n = ::write(impl_->wake_fd.get(), &one, sizeof one);
    return util::Ok{};
}

ConditionerConfig UdpRelay::conditions() const {
    const std::lock_guard lock(impl_->mutex);
    return impl_->conditions;
}

RelayStats UdpRelay::stats() const {
    const std::lock_guard lock(impl_->mutex);
    return impl_->published;
}

void UdpRelay::stop() {
    std::call_once(impl_->stopped, [this] {
        impl_->thread.request_stop();
        const std::uint64_t one = 1;
        [[maybe_unused]] const auto n = ::write(impl_->wake_fd.get(), &one, sizeof one);
        if (impl_->thread.joinable()) impl_->thread.join();
    });
}

} // namespace skirmish::net
