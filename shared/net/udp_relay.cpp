// shared/net/udp_relay.cpp
//
// One thread, one Poller (poller.hpp): the listen socket and one connected
// upstream socket per link (udp_socket.hpp), plus a wake-up for stop and new
// conditions. Due times of every link and direction sit in one min-heap of
// timers, so a wake-up costs O(ready sockets + due packets), not O(links).
#include "shared/net/udp_relay.hpp"

#include "shared/net/poller.hpp"
#include "shared/net/udp_socket.hpp"
#include "shared/util/rate_limiter.hpp"

#include <fmt/format.h>

#include <pthread.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <ctime>
#include <functional>
#include <mutex>
#include <optional>
#include <queue>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

namespace skirmish::net {

namespace {

constexpr std::uint64_t kListenId = 0; // the poller's id of the listen socket; links count up from 1
constexpr std::uint64_t kFirstLinkId = 1;
constexpr int kReceiveBudget = 256;    // datagrams per socket per wake-up, so timers are not starved
constexpr std::size_t kBusyTimers = 32; // pending timers above which timer_slack applies

// Binds the listen socket. Bind failures get their own messages: a port in use
// is the common operational failure.
util::Result<Fd, std::string> bind_listen(Endpoint& endpoint, const RelayConfig& config) {
    auto fd = open_udp(endpoint.family(), config.socket_buffer_bytes);
    if (!fd) return util::fail(fmt::format("cannot open a UDP socket: {}", errno_text(fd.error())));
    if (auto bound = bind_udp(*fd, endpoint); !bound)
        return util::fail(explain_bind_failure(bound.error(), config.listen_port, config.listen_address, "--listen"));
    return std::move(fd).value();
}

util::Result<util::Ok, std::string> check(const RelayConfig& config) {
    if (auto conditions = validate(config.conditions); !conditions) return conditions;
    if (config.forward_port == 0)
        return util::fail(std::string("the forward port is missing: give the server as HOST:PORT, e.g. 127.0.0.1:7777"));
    if (config.max_datagram_bytes == 0 || config.max_datagram_bytes > kMaxRelayDatagramBytes)
        return util::fail(fmt::format("max datagram size must be between 1 and {} bytes, got {}",
                                      kMaxRelayDatagramBytes, config.max_datagram_bytes));
    if (config.max_links == 0) return util::fail(std::string("max links must be at least 1"));
    if (config.timer_slack < std::chrono::microseconds::zero() || config.timer_slack > std::chrono::milliseconds(10))
        return util::fail(std::string("the timer slack must be between 0 and 10 ms"));
    if (config.idle_timeout <= std::chrono::milliseconds::zero())
        return util::fail(std::string("the idle timeout must be positive"));
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
          up(c.up, derive_seed(c.seed, link_index, Direction::Up), c.limits, c.outages),
          down(c.down, derive_seed(c.seed, link_index, Direction::Down), c.limits, c.outages) {}

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
    Fd listen_fd;
    Poller poller; // waited on by the relay thread only; woken by any
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
    util::RateLimiter warn_limit{5, 0.5}; // 5 at once, then one per 2 s
    std::jthread thread; // last: joined before anything above is destroyed

    void run(const std::stop_token& stop);
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
        if (!log || !warn_limit.allow(now)) return;
        const std::uint64_t suppressed = warn_limit.take_refused();
        std::string text = fmt::format(format, std::forward<Args>(args)...);
        if (suppressed > 0) text += fmt::format(" ({} similar messages suppressed)", suppressed);
        log->warn("{}", text);
    }
};

// --- the relay loop --------------------------------------------------------------

void UdpRelay::Impl::run(const std::stop_token& stop) {
    ::pthread_setname_np(::pthread_self(), "skirmish-relay"); // for top -H and perf
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
        const auto ready = poller.wait(wake - clock.now());

        util::TimePoint now = clock.now();
        if (conditions_pending.exchange(false)) apply_new_conditions();
        for (const std::uint64_t id : ready) {
            if (id == kListenId) receive_from_clients(now);
            else receive_from_server(id, now);
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

void UdpRelay::Impl::receive_from_clients(util::TimePoint now) {
    for (int budget = kReceiveBudget; budget > 0; --budget) {
        Endpoint from;
        const auto received = receive_datagram(listen_fd, buffer, &from);
        if (!received) {
            if (!would_block(received.error())) warn(now, "receive on the listen socket: {}", errno_text(received.error()));
            return;
        }
        const std::size_t size = *received;
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
        const auto received = receive_datagram(link.upstream, buffer);
        if (!received) {
            const int error = received.error();
            if (error == ECONNREFUSED) { // an ICMP "port unreachable" for something we sent
                ++live.upstream_refused;
                warn(now, "{} refused datagrams (port unreachable): is the server running?", to_string(forward));
                continue;
            }
            if (!would_block(error)) warn(now, "receive from {}: {}", to_string(forward), errno_text(error));
            return;
        }
        const std::size_t size = *received;
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
    auto upstream = connect_udp(forward);
    if (!upstream) {
        const int error = upstream.error();
        ++live.links_refused;
        warn(now, "cannot open an upstream socket for client {}: {}{}", to_string(from), errno_text(error),
             error == EMFILE || error == ENFILE ? " (too many open files: raise `ulimit -n`)" : "");
        return nullptr;
    }
    const std::uint64_t index = live.links_opened;
    const std::uint64_t id = kFirstLinkId + index;
    if (auto watched = poller.watch(*upstream, id); !watched) {
        ++live.links_refused;
        warn(now, "cannot watch the upstream socket for client {}: {}", to_string(from), errno_text(watched.error()));
        return nullptr;
    }
    auto link = std::make_unique<Link>(id, index, from, std::move(upstream).value(), current);
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
    case Fate::CutOff: ++s.cut_off; [[fallthrough]];
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
        const auto sent = d == Direction::Up ? send_datagram(link.upstream, delivery.bytes)
                                             : send_datagram(listen_fd, delivery.bytes, &link.client);
        if (!sent) {
            ++s.send_errors;
            if (sent.error() == ECONNREFUSED) ++live.upstream_refused;
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
            it = links.erase(it); // closes the upstream socket, which leaves the poller
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
        link->up.set_outages(current.outages);
        link->down.set_outages(current.outages);
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

    auto forward = resolve_udp(config.forward_host, config.forward_port, false, "forward host");
    if (!forward) return util::fail(forward.error());
    impl->forward = forward.value();
    auto listen = resolve_udp(config.listen_address, config.listen_port, true, "listen address");
    if (!listen) return util::fail(listen.error());
    impl->listen_endpoint = listen.value();
    auto bound = bind_listen(impl->listen_endpoint, config);
    if (!bound) return util::fail(bound.error());
    impl->listen_fd = std::move(bound.value());

    if (loops_back(impl->forward, impl->listen_endpoint))
        return util::fail(fmt::format("the forward address {} is the relay's own listen address: "
                                      "forward to the server's port instead", to_string(impl->forward)));

    auto poller = Poller::create();
    if (!poller) return util::fail(fmt::format("cannot create the relay's event loop: {}", errno_text(poller.error())));
    impl->poller = std::move(poller).value();
    if (auto watched = impl->poller.watch(impl->listen_fd, kListenId); !watched)
        return util::fail(fmt::format("cannot create the relay's event loop: {}", errno_text(watched.error())));
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
    impl_->poller.wake();
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
        impl_->poller.wake();
        if (impl_->thread.joinable()) impl_->thread.join();
    });
}

} // namespace skirmish::net
