// tools/netsim/main.cpp: skirmish-netsim, the network conditioner as a
// standalone UDP relay between clients and a server:
//   skirmish-netsim --listen 9000 --forward 127.0.0.1:7777 --latency-ms 50 --loss-pct 2
// Clients connect to port 9000 instead of 7777. A status line every second,
// a summary on SIGINT/SIGTERM (exit 0) or at the end of --duration.
// App layer: reads the clock, handles signals, prints for people. Settings:
// docs/NETCODE.md, "The network conditioner".
#include "shared/net/conditioner_cli.hpp"
#include "shared/net/udp_relay.hpp"
#include "shared/util/clock.hpp"
#include "shared/util/file_limit.hpp"
#include "shared/util/log_cli.hpp"
#include "shared/util/result.hpp"
#include "skirmish/version.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <csignal>
#include <ctime>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <utility>

namespace {

using skirmish::net::RelayDirectionStats;
using skirmish::net::RelayStats;

struct HostPort {
    std::string host;
    std::uint16_t port = 0;
};

// "HOST:PORT" or "[IPv6]:PORT".
skirmish::util::Result<HostPort, std::string> parse_host_port(std::string_view text) {
    const auto bad = [text] {
        return skirmish::util::fail(
            fmt::format("--forward wants HOST:PORT, e.g. 127.0.0.1:7777 or [::1]:7777 (got '{}')", text));
    };
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos || colon == 0) return bad();
    std::string_view host = text.substr(0, colon);
    const std::string_view port_text = text.substr(colon + 1);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    unsigned port = 0;
    const auto [end, error] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (error != std::errc{} || end != port_text.data() + port_text.size() || port == 0 || port > 65535 || host.empty()) {
        return bad();
    }
    return HostPort{std::string(host), static_cast<std::uint16_t>(port)};
}

RelayDirectionStats since(const RelayDirectionStats& now, const RelayDirectionStats& before) {
    RelayDirectionStats d;
    d.packets_in = now.packets_in - before.packets_in;
    d.bytes_in = now.bytes_in - before.bytes_in;
    d.dropped = now.dropped - before.dropped;
    d.overflowed = now.overflowed - before.overflowed;
    d.duplicated = now.duplicated - before.duplicated;
    d.reordered = now.reordered - before.reordered;
    d.delivered = now.delivered - before.delivered;
    d.bytes_out = now.bytes_out - before.bytes_out;
    d.send_errors = now.send_errors - before.send_errors;
    d.added_delay_ms_sum = now.added_delay_ms_sum - before.added_delay_ms_sum;
    return d;
}

// "60 in, 57 out, 5.0 % lost, +50.2 ms" (+ duplicates, reorders, overflow when any).
std::string brief(const RelayDirectionStats& s) {
    std::string text = fmt::format("{} in, {} out, {:.1f} % lost, +{:.1f} ms", s.packets_in, s.delivered,
                                   s.loss_pct(), s.mean_added_delay_ms());
    if (s.duplicated > 0) text += fmt::format(", {} dup", s.duplicated);
    if (s.reordered > 0) text += fmt::format(", {} reordered", s.reordered);
    if (s.overflowed > 0) text += fmt::format(", {} overflowed", s.overflowed);
    if (s.cut_off > 0) text += fmt::format(", {} cut off by outages", s.cut_off);
    if (s.send_errors > 0) text += fmt::format(", {} send errors", s.send_errors);
    return text;
}

void print_summary_line(std::string_view label, const RelayDirectionStats& s) {
    fmt::print("  {:<21} {} in ({} B), {} delivered ({} B), {} dropped ({:.2f} %, {} by queue overflow, {} by "
               "outages), {} duplicated, {} reordered, {} send errors; added delay mean {:.2f} ms, max {:.2f} ms\n",
               label, s.packets_in, s.bytes_in, s.delivered, s.bytes_out, s.dropped, s.loss_pct(), s.overflowed,
               s.cut_off, s.duplicated, s.reordered, s.send_errors, s.mean_added_delay_ms(), s.added_delay_ms_max);
}

timespec to_timespec(skirmish::util::Duration d) {
    d = std::max(d, skirmish::util::Duration::zero());
    timespec ts{};
    ts.tv_sec = static_cast<time_t>(d / std::chrono::seconds(1));
    ts.tv_nsec = static_cast<long>((d % std::chrono::seconds(1)).count());
    return ts;
}

} // namespace

int main(int argc, char** argv) {
    CLI::App app{"skirmish-netsim: a UDP relay that makes the network worse on purpose, per direction:\n"
                 "loss, latency, jitter, duplication and reordering, from a seeded generator so a run repeats.\n"
                 "Point clients at --listen instead of the server; the relay forwards to --forward."};
    app.set_version_flag("--version", std::string("skirmish-netsim ") + skirmish::kVersion);
    app.footer("Example: skirmish-netsim --listen 9000 --forward 127.0.0.1:7777 --latency-ms 50 --jitter-ms 10 "
               "--loss-pct 2\n(100 ms RTT: --latency-ms is one-way.) Details: docs/NETCODE.md, \"The network conditioner\".");

    skirmish::net::RelayConfig config;
    int listen_port = 0;
    std::string forward;
    double duration_s = 0;
    double idle_timeout_s = 60;
    skirmish::util::LogLevel level = skirmish::util::LogLevel::Info;
    app.add_option("--listen", listen_port, "UDP port clients send to (0: any free port, printed at start)")
        ->required()
        ->check(CLI::Range(0, 65535));
    app.add_option("--bind", config.listen_address, "address to listen on (0.0.0.0: every interface)")
        ->capture_default_str();
    app.add_option("--forward", forward, "where to relay to: the server's HOST:PORT")->required();
    app.add_option("--duration", duration_s, "stop after this many seconds (0: until Ctrl-C)")
        ->check(CLI::NonNegativeNumber)
        ->capture_default_str();
    app.add_option("--idle-timeout-s", idle_timeout_s, "close a client's link after this many idle seconds")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    skirmish::util::add_log_level_option(app, level);
    skirmish::net::add_conditioner_options(app, config.conditions);
    CLI11_PARSE(app, argc, argv);

    const auto target = parse_host_port(forward);
    if (!target) {
        fmt::print(stderr, "skirmish-netsim: {}\n", target.error());
        return 2;
    }
    skirmish::util::Logger logger("netsim", level);
    config.listen_port = static_cast<std::uint16_t>(listen_port);
    config.forward_host = target->host;
    config.forward_port = target->port;
    config.idle_timeout = std::chrono::milliseconds(static_cast<std::int64_t>(idle_timeout_s * 1000.0));
    config.logger = &logger;
    skirmish::util::raise_file_limit(); // every client link has its own socket

    // SIGINT and SIGTERM are taken synchronously with sigtimedwait() below; they
    // are blocked before the relay thread starts so it inherits the mask. Their
    // disposition is reset first: a shell starts background jobs with SIGINT
    // ignored, and an ignored signal is discarded instead of becoming pending.
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

    auto started = skirmish::net::UdpRelay::start(config);
    if (!started) {
        fmt::print(stderr, "skirmish-netsim: {}\n", started.error());
        return 2;
    }
    auto& relay = *started.value();
    const auto& c = config.conditions;
    fmt::print("skirmish-netsim {}: relaying UDP {} (seed {})\n", skirmish::kVersion, relay.describe_route(), c.seed);
    fmt::print("  up   (client→server): {}\n", skirmish::net::describe(c.up));
    fmt::print("  down (server→client): {}\n", skirmish::net::describe(c.down));
    if (c.outages.enabled()) fmt::print("  both directions:      {}\n", skirmish::net::describe(c.outages));
    std::fflush(stdout);

    skirmish::util::SteadyClock clock;
    const auto start = clock.now();
    const auto end = duration_s > 0 ? start + std::chrono::duration_cast<skirmish::util::Duration>(
                                                  std::chrono::duration<double>(duration_s))
                                    : skirmish::util::TimePoint::max();
    auto next_status = start + std::chrono::seconds(1);
    RelayStats previous;
    std::string ended_by = "--duration";
    for (;;) {
        const timespec timeout = to_timespec(std::min(next_status, end) - clock.now());
        const int signal = sigtimedwait(&stop_signals, nullptr, &timeout);
        if (signal == SIGINT || signal == SIGTERM) {
            ended_by = signal == SIGINT ? "SIGINT" : "SIGTERM";
            break;
        }
        const auto now = clock.now();
        if (now >= end) break;
        if (now >= next_status) {
            const RelayStats current = relay.stats();
            fmt::print("[{:5.0f} s] links {} | up {} | down {} | cpu {:.0f} %\n",
                       skirmish::util::to_seconds(now - start), current.links,
                       brief(since(current.up, previous.up)), brief(since(current.down, previous.down)),
                       (current.thread_cpu_ms - previous.thread_cpu_ms) / 10.0); // per 1000 ms
            std::fflush(stdout);
            previous = current;
            next_status += std::chrono::seconds(1);
        }
    }

    relay.stop();
    const RelayStats total = relay.stats();
    const double seconds = skirmish::util::to_seconds(clock.now() - start);
    fmt::print("skirmish-netsim: stopped by {} after {:.1f} s; links: {} opened, {} closed idle, {} open; "
               "relay thread CPU {:.2f} s ({:.1f} % of one core)\n",
               ended_by, seconds, total.links_opened, total.links_reaped, total.links, total.thread_cpu_ms / 1e3,
               seconds > 0 ? total.thread_cpu_ms / 10.0 / seconds : 0.0);
    print_summary_line("up   (client→server):", total.up);
    print_summary_line("down (server→client):", total.down);
    if (total.oversized + total.links_refused + total.upstream_refused > 0) {
        fmt::print("  {} oversized datagrams dropped, {} datagrams from refused clients, {} 'port unreachable' "
                   "from the server\n",
                   total.oversized, total.links_refused, total.upstream_refused);
    }
    return 0;
}
