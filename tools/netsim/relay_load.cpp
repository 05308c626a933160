// tools/netsim/relay_load.cpp: skirmish-relay-load, a load test of the UDP
// relay alone. N clients each send a datagram R times a second through one
// in-process UdpRelay to an echo server, for S seconds. It prints what the
// relay cost (its thread's CPU time) and what the clients saw (echo RTT, loss):
//   skirmish-relay-load --clients 256 --rate-hz 60 --seconds 5 --latency-ms 25 --jitter-ms 5 --loss-pct 1
// App layer: reads the clock. Three threads: the clients (main), the echo
// server (batched recvmmsg/sendmmsg) and the relay's own, as inside the bots.
#include "shared/net/conditioner_cli.hpp"
#include "shared/net/udp_relay.hpp"
#include "shared/util/clock.hpp"
#include "shared/util/file_limit.hpp"
#include "shared/util/stats.hpp"
#include "skirmish/version.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <ctime>
#include <string>
#include <thread>
#include <vector>

namespace {

using skirmish::util::Duration;
using skirmish::util::TimePoint;

// Sends back every datagram to where it came from, in batches, until stopped.
void run_echo(const std::stop_token& stop, int fd) {
    constexpr std::size_t kBatch = 64;
    std::vector<std::array<std::uint8_t, 2048>> buffers(kBatch);
    std::array<iovec, kBatch> iov{};
    std::array<sockaddr_in, kBatch> from{};
    std::array<mmsghdr, kBatch> messages{};
    pollfd readable{fd, POLLIN, 0};
    while (!stop.stop_requested()) {
        if (::poll(&readable, 1, 20) <= 0) continue;
        for (std::size_t i = 0; i < kBatch; ++i) {
            iov[i] = {buffers[i].data(), buffers[i].size()};
            messages[i] = {};
            messages[i].msg_hdr.msg_iov = &iov[i];
            messages[i].msg_hdr.msg_iovlen = 1;
            messages[i].msg_hdr.msg_name = &from[i];
            messages[i].msg_hdr.msg_namelen = sizeof from[i];
        }
        const int count = ::recvmmsg(fd, messages.data(), kBatch, MSG_DONTWAIT, nullptr);
        if (count <= 0) continue;
        for (std::size_t i = 0; i < static_cast<std::size_t>(count); ++i) iov[i].iov_len = messages[i].msg_len;
        ::sendmmsg(fd, messages.data(), static_cast<unsigned>(count), 0);
    }
}

sockaddr_in loopback(std::uint16_t port) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(0x7f000001); // 127.0.0.1
    return addr;
}

// A non-blocking UDP socket on 127.0.0.1, connected to `peer_port` unless 0. -1 on failure.
int open_socket(std::uint16_t peer_port) {
    const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    const int buffer = 4 << 20;
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buffer, sizeof buffer);
    const sockaddr_in local = loopback(0);
    if (::bind(fd, reinterpret_cast<const sockaddr*>(&local), sizeof local) != 0) {
        ::close(fd);
        return -1;
    }
    if (peer_port != 0) {
        const sockaddr_in peer = loopback(peer_port);
        if (::connect(fd, reinterpret_cast<const sockaddr*>(&peer), sizeof peer) != 0) {
            ::close(fd);
            return -1;
        }
    }
    return fd;
}

std::uint16_t local_port(int fd) {
    sockaddr_in addr{};
    socklen_t length = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &length);
    return ntohs(addr.sin_port);
}

timespec to_timespec(Duration d) {
    d = std::max(d, Duration::zero());
    timespec ts{};
    ts.tv_sec = static_cast<time_t>(d / std::chrono::seconds(1));
    ts.tv_nsec = static_cast<long>((d % std::chrono::seconds(1)).count());
    return ts;
}

} // namespace

int main(int argc, char** argv) {
    CLI::App app{"skirmish-relay-load: N clients at R Hz through one in-process skirmish UDP relay to an echo\n"
                 "server; prints the relay thread's CPU use and the clients' echo RTT and loss."};
    app.set_version_flag("--version", std::string("skirmish-relay-load ") + skirmish::kVersion);
    int clients = 256;
    double rate_hz = 60;
    double seconds = 5;
    int size = 100;
    skirmish::net::ConditionerConfig conditions;
    app.add_option("--clients", clients, "client links")->check(CLI::Range(1, 10000))->capture_default_str();
    app.add_option("--rate-hz", rate_hz, "datagrams per second per client")
        ->check(CLI::Range(0.1, 1000.0))
        ->capture_default_str();
    app.add_option("--seconds", seconds, "how long to send")->check(CLI::Range(0.1, 3600.0))->capture_default_str();
    app.add_option("--size", size, "datagram size in bytes")->check(CLI::Range(16, 1400))->capture_default_str();
    skirmish::net::add_conditioner_options(app, conditions);
    CLI11_PARSE(app, argc, argv);
    skirmish::util::raise_file_limit();

    const int echo = open_socket(0);
    if (echo < 0) {
        fmt::print(stderr, "skirmish-relay-load: cannot open the echo socket: {}\n", std::strerror(errno));
        return 2;
    }
    skirmish::net::RelayConfig config;
    config.forward_port = local_port(echo);
    config.conditions = conditions;
    auto started = skirmish::net::UdpRelay::start(config);
    if (!started) {
        fmt::print(stderr, "skirmish-relay-load: {}\n", started.error());
        return 2;
    }
    auto& relay = *started.value();

    const int poller = ::epoll_create1(EPOLL_CLOEXEC);
    std::vector<int> sockets;
    for (int i = 0; i < clients; ++i) {
        const int fd = open_socket(relay.port());
        if (fd < 0) {
            fmt::print(stderr, "skirmish-relay-load: cannot open client socket {}: {} (raise `ulimit -n`?)\n", i,
                       std::strerror(errno));
            return 2;
        }
        sockets.push_back(fd);
    }
    for (std::size_t i = 0; i < sockets.size(); ++i) {
        epoll_event event{};
        event.events = EPOLLIN;
        event.data.u64 = i;
        ::epoll_ctl(poller, EPOLL_CTL_ADD, sockets[i], &event);
    }
    std::jthread echo_thread([echo](const std::stop_token& stop) { run_echo(stop, echo); });

    // Client i sends at start + (k + i / N) periods: spread evenly, never in bursts.
    skirmish::util::SteadyClock clock;
    const TimePoint start = clock.now();
    const auto period = std::chrono::duration_cast<Duration>(std::chrono::duration<double>(1.0 / rate_hz));
    const TimePoint stop_sending = start + std::chrono::duration_cast<Duration>(std::chrono::duration<double>(seconds));
    const double worst_ms = conditions.up.latency_ms + conditions.up.jitter_ms + conditions.down.latency_ms +
                            conditions.down.jitter_ms + 500.0;
    const TimePoint give_up = stop_sending + std::chrono::duration_cast<Duration>(std::chrono::duration<double, std::milli>(worst_ms));
    std::uint64_t sent = 0, echoed = 0, send_failures = 0;
    std::uint64_t tick = 0; // sends so far, over all clients
    skirmish::util::Histogram rtt_ms;
    std::vector<std::uint8_t> buffer(65536);
    std::array<epoll_event, 256> events{};

    for (;;) {
        TimePoint now = clock.now();
        TimePoint next_send = start + period * static_cast<std::int64_t>(tick / sockets.size()) +
                              period * static_cast<std::int64_t>(tick % sockets.size()) / static_cast<std::int64_t>(sockets.size());
        while (next_send <= now && next_send < stop_sending) {
            const std::int64_t stamp = (clock.now() - start).count();
            std::memset(buffer.data(), 0, static_cast<std::size_t>(size));
            std::memcpy(buffer.data(), &stamp, sizeof stamp);
            if (::send(sockets[tick % sockets.size()], buffer.data(), static_cast<std::size_t>(size), 0) < 0) {
                ++send_failures;
            } else {
                ++sent;
            }
            ++tick;
            next_send = start + period * static_cast<std::int64_t>(tick / sockets.size()) +
                        period * static_cast<std::int64_t>(tick % sockets.size()) / static_cast<std::int64_t>(sockets.size());
        }
        if (now >= give_up || (now >= stop_sending && echoed + relay.stats().up.dropped + relay.stats().down.dropped >= sent)) break;
        const timespec timeout = to_timespec(std::min(next_send < stop_sending ? next_send : give_up, give_up) - now);
        const int ready = ::epoll_pwait2(poller, events.data(), static_cast<int>(events.size()), &timeout, nullptr);
        for (int e = 0; e < ready; ++e) {
            const std::uint64_t id = events[static_cast<std::size_t>(e)].data.u64;
            for (;;) {
                const ssize_t n = ::recv(sockets[id], buffer.data(), buffer.size(), 0);
                if (n < 0) break;
                if (n < 8) continue;
                std::int64_t stamp = 0;
                std::memcpy(&stamp, buffer.data(), sizeof stamp);
                ++echoed;
                rtt_ms.record(skirmish::util::to_ms(clock.now() - (start + Duration(stamp))));
            }
        }
    }
    relay.stop();
    echo_thread.request_stop();
    echo_thread.join();
    const auto stats = relay.stats();
    for (const int fd : sockets) ::close(fd);
    ::close(echo);
    ::close(poller);

    const double sent_s = skirmish::util::to_seconds(std::min(clock.now(), stop_sending) - start);
    const double relayed = static_cast<double>(stats.up.packets_in + stats.down.packets_in);
    fmt::print("skirmish-relay-load: {} clients x {:g} Hz x {} B for {:.1f} s through one relay\n", clients, rate_hz,
               size, sent_s);
    fmt::print("  up:   {}\n  down: {}\n", skirmish::net::describe(conditions.up), skirmish::net::describe(conditions.down));
    fmt::print("  clients: {} sent, {} echoed back ({:.2f} % lost, {} send failures); echo RTT p50 {:.2f}, p99 {:.2f}, "
               "max {:.2f} ms\n",
               sent, echoed, sent ? 100.0 * static_cast<double>(sent - echoed) / static_cast<double>(sent) : 0.0,
               send_failures, rtt_ms.percentile(50), rtt_ms.percentile(99), rtt_ms.max());
    fmt::print("  relay: {:.0f} datagrams/s in each direction; thread CPU {:.3f} s = {:.1f} % of one core, "
               "{:.2f} us per datagram relayed; {} overflowed, {} send errors\n",
               stats.up.packets_in / sent_s, stats.thread_cpu_ms / 1e3, stats.thread_cpu_ms / 10.0 / sent_s,
               relayed > 0 ? stats.thread_cpu_ms * 1e3 / relayed : 0.0, stats.up.overflowed + stats.down.overflowed,
               stats.up.send_errors + stats.down.send_errors);
    return 0;
}
