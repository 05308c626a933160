// server/main.cpp: skirmish-server's command line. Loads the maps, starts the
// TCP lobby (its own thread) and the UDP game port (the tick thread) on one
// port number, and runs until SIGINT or SIGTERM: then every client is told
// why, everything is flushed, and it exits 0 within about two seconds.
// Exit 1: could not start (port in use, ...); exit 2: bad arguments or maps.
#include "server/server.hpp"
#include "shared/protocol/map_codec.hpp"
#include "shared/sim/rules.hpp"
#include "shared/util/file_limit.hpp"
#include "shared/util/log_cli.hpp"
#include "skirmish/version.hpp"

#include <CLI/CLI.hpp>
#include <asio.hpp>
#include <fmt/format.h>

#include <csignal>

namespace {

using namespace skirmish;

bool parse_on_off(const std::string& text, bool& out) {
    if (text == "on") out = true;
    else if (text == "off") out = false;
    else return false;
    return true;
}

} // namespace

int main(int argc, char** argv) {
    CLI::App app{"skirmish-server: the authoritative Skirmish game server (TCP lobby + UDP game port)"};
    app.set_version_flag("--version", std::string("skirmish-server ") + skirmish::kVersion);
    server::ServerConfig config;
    std::string maps_dir = std::string(skirmish::kSourceDir) + "/assets/maps";
    std::string token_key_hex;
    util::LogLevel level = util::LogLevel::Info;
    std::string delta = "on", lag_compensation = "on", range_coder = "on";
    app.add_option("--port", config.port, "TCP lobby port; the UDP game port uses the same number (0: any free)")
        ->capture_default_str();
    app.add_option("--bind", config.bind_address, "Address to listen on")->capture_default_str();
    app.add_option("--server-name", config.server_name, "Name shown to players")->capture_default_str();
    app.add_option("--maps", maps_dir, "Directory of *.json maps")->capture_default_str();
    app.add_option("--token-key", token_key_hex,
                   "64 hex digits: the connect-token key, to share with a separate lobby or game server "
                   "(default: a fresh random key)");
    util::add_log_level_option(app, level);
    app.add_option("--tick-rate", config.game.tick_rate_hz,
                   fmt::format("Simulation ticks per second ({}..{})", sim::kMinTickRateHz, sim::kMaxTickRateHz))
        ->capture_default_str();
    app.add_option("--snapshot-rate", config.game.snapshot_rate_hz, "Snapshots per second to each client")
        ->capture_default_str();
    app.add_option("--delta", delta, "Delta-encode snapshots: on, or off to send every snapshot full")
        ->capture_default_str();
    app.add_option("--lag-compensation", lag_compensation, "Check shots where the shooter saw targets: on or off")
        ->capture_default_str();
    app.add_option("--max-rewind-ms", config.game.max_rewind_ms,
                   "Most latency a shot is compensated for (the client's interpolation delay, up to 100 ms, comes "
                   "on top)")
        ->capture_default_str();
    app.add_option("--range-coder", range_coder,
                   "Range-code what the server sends (ENet's compressor): on or off (docs/NETCODE.md)")
        ->capture_default_str();
    app.add_option("--record-dir", config.game.record_dir,
                   "Write a demo of every match to this directory, as <match id>-<UTC time>.skdemo "
                   "(docs/DEMO.md; skirmish-replay verifies and prints them)");
    app.add_option("--record-state-every", config.game.record_state_interval_ticks,
                   "Ticks between the full states a demo records (0: one a second)")
        ->capture_default_str();
    app.add_option("--silence-timeout-ms", config.game.silence_timeout_ms,
                   "A player from whom nothing arrives for this long is gone (200..120000; docs/OPERATIONS.md)")
        ->capture_default_str();
    app.add_option("--max-peers", config.game.max_peers, "Game-port connections (ENet peers), up to 4095")
        ->capture_default_str();
    app.add_option("--challenges-per-second", config.game.admission.challenges_per_second,
                   "Game-port Challenges sent per second in total (Hellos beyond it get no answer)")
        ->check(CLI::Range(1.0, 1e6))
        ->capture_default_str();
    app.add_option("--challenges-per-address", config.game.admission.challenges_per_address_per_second,
                   "Game-port Challenges per second toward one IPv4 address (twice as many at once)")
        ->check(CLI::Range(1.0, 1e6))
        ->capture_default_str();
    app.add_option("--max-connections", config.lobby.max_connections, "Lobby connections in total")
        ->capture_default_str();
    app.add_option("--max-per-address", config.lobby.max_connections_per_address,
                   "Lobby connections from one address")
        ->capture_default_str();
    CLI11_PARSE(app, argc, argv);
    config.game.admission.challenges_burst = config.game.admission.challenges_per_second;
    config.game.admission.challenges_per_address_burst = 2 * config.game.admission.challenges_per_address_per_second;

    if (!parse_on_off(delta, config.game.delta) || !parse_on_off(lag_compensation, config.game.lag_compensation) ||
        !parse_on_off(range_coder, config.game.range_coder)) {
        fmt::print(stderr, "skirmish-server: --delta, --lag-compensation and --range-coder take 'on' or 'off'\n");
        return 2;
    }
    if (auto valid = server::validate_config(config.game); !valid) {
        fmt::print(stderr, "skirmish-server: {}\n", valid.error());
        return 2;
    }
    const util::Logger log("skirmish-server", level);

    const sim::Rules rules;
    auto maps = protocol::load_map_directory(maps_dir, rules.player_radius);
    if (!maps) {
        fmt::print(stderr, "skirmish-server: {}\n", maps.error());
        return 2;
    }
    config.maps = std::move(maps).value();
    if (!token_key_hex.empty()) {
        auto key = net::parse_token_key_hex(token_key_hex);
        if (!key) {
            fmt::print(stderr, "skirmish-server: --token-key: {}\n", key.error());
            return 2;
        }
        config.token_key = *key;
    }
    util::raise_file_limit(); // each player holds a TCP socket (lobby)
    auto enet = net::EnetLibrary::initialize();
    if (!enet) {
        fmt::print(stderr, "skirmish-server: {}\n", enet.error());
        return 1;
    }

    // asio's signal_set catches SIGINT/SIGTERM whichever thread they land on
    // and hands them to this (main) thread's loop; set up before the threads.
    asio::io_context signals_io;
    asio::signal_set signals(signals_io, SIGINT, SIGTERM);
    const std::size_t map_count = config.maps.size();
    auto server = server::Server::start(*enet, std::move(config), log);
    if (!server) {
        fmt::print(stderr, "skirmish-server: {}\n", server.error());
        return 1;
    }
    fmt::print("skirmish-server {}: lobby on TCP and game on UDP port {}, {} maps. Ctrl+C stops it.\n",
               skirmish::kVersion, (*server)->port(), map_count);
    std::fflush(stdout);

    signals.async_wait([&](const std::error_code& ec, int signal) {
        if (!ec) log.info("signal {}: shutting down", signal);
    });
    signals_io.run();
    (*server)->stop();
    const auto game = (*server)->game_stats();
    const auto lobby = (*server)->lobby_stats();
    const auto& run = game.whole_run;
    log.info("stopped: {} lobby connections, {} matches; ticks with players: {}, work p50 {:.3f} p99 {:.3f} max "
             "{:.3f} ms, {} overruns; p50/p99 by phase: network {:.3f}/{:.3f}, step {:.3f}/{:.3f}, snapshots "
             "{:.3f}/{:.3f}, flush {:.3f}/{:.3f} ms",
             lobby.connections_accepted, lobby.matches_started, run.ticks, run.work_ms_p50, run.work_ms_p99,
             run.work_ms_max, run.overruns, run.phase_ms_p50[0], run.phase_ms_p99[0], run.phase_ms_p50[1],
             run.phase_ms_p99[1], run.phase_ms_p50[2], run.phase_ms_p99[2], run.phase_ms_p50[3], run.phase_ms_p99[3]);
    const auto& a = game.admission;
    std::uint64_t dropped = 0;
    for (const auto n : a.dropped) dropped += n;
    log.info("game port admission: {} Challenges sent ({} Hellos over the rate limits, {} malformed, {} of another "
             "version); {} CONNECTs let in, {} without their cookie dropped; {} datagrams dropped by the rules, {} "
             "with a wrong MAC, {} bandwidth or throttle requests pinned",
             a.challenges, a.hellos_rate_limited, a.hellos_malformed, a.hellos_wrong_version, a.connects,
             a.connects_bad_cookie, dropped, a.bad_mac, a.limits_pinned);
    return 0;
}
