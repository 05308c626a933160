// server/main.cpp: skirmish-server's command line. Loads the maps, starts the
// TCP lobby on its own thread and runs until SIGINT or SIGTERM (exit 0).
// Exit 1: could not start (port in use, ...); exit 2: bad arguments or maps.
#include "server/game_link.hpp"
#include "server/lobby/lobby_server.hpp"
#include "shared/net/connect_token.hpp"
#include "shared/protocol/map_codec.hpp"
#include "shared/sim/rules.hpp"
#include "shared/util/log.hpp"
#include "skirmish/version.hpp"

#include <CLI/CLI.hpp>
#include <asio.hpp>
#include <fmt/format.h>

#include <chrono>
#include <csignal>

namespace {

using namespace skirmish;

// Until the game port exists: logs each match order so a lobby-only server is
// still useful for trying the lobby and its clients.
class LoggingGameLink final : public server::GameLink {
public:
    explicit LoggingGameLink(util::Logger log) : log_(std::move(log)) {}
    void start_match(server::MatchOrder order) override {
        log_.info("match {} of room {} ordered on {} for {} players (no game port in this build yet)", order.match_id,
                  order.room_id, order.settings.map, order.players.size());
    }

private:
    util::Logger log_;
};

std::uint64_t unix_ms_now() {
    return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                          std::chrono::system_clock::now().time_since_epoch())
                                          .count());
}

} // namespace

int main(int argc, char** argv) {
    CLI::App app{"skirmish-server: the authoritative Skirmish game server (TCP lobby + UDP game port)"};
    app.set_version_flag("--version", std::string("skirmish-server ") + skirmish::kVersion);
    server::LobbyConfig config;
    std::string maps_dir = std::string(skirmish::kSourceDir) + "/assets/maps";
    std::string token_key_hex;
    std::string log_level = "info";
    app.add_option("--port", config.port, "TCP lobby port (the UDP game port uses the same number); 0 = any free port")
        ->capture_default_str();
    app.add_option("--bind", config.bind_address, "Address to listen on")->capture_default_str();
    app.add_option("--server-name", config.server_name, "Name shown to players")->capture_default_str();
    app.add_option("--maps", maps_dir, "Directory of *.json maps")->capture_default_str();
    app.add_option("--token-key", token_key_hex,
                   "64 hex digits: the connect-token key shared with a separate game server (default: a fresh key)");
    app.add_option("--log-level", log_level, "debug, info, warn, error or off")->capture_default_str();
    app.add_option("--max-connections", config.limits.max_connections, "Lobby connections in total")
        ->capture_default_str();
    app.add_option("--max-per-address", config.limits.max_connections_per_address,
                   "Lobby connections from one address")
        ->capture_default_str();
    CLI11_PARSE(app, argc, argv);

    util::LogLevel level{};
    if (!util::parse_log_level(log_level, level)) {
        fmt::print(stderr, "skirmish-server: unknown log level '{}': use debug, info, warn, error or off\n", log_level);
        return 2;
    }
    const util::Logger log("skirmish-server", level);

    const sim::Rules rules;
    auto maps = protocol::load_map_directory(maps_dir, rules.player_radius);
    if (!maps) {
        fmt::print(stderr, "skirmish-server: {}\n", maps.error());
        return 2;
    }
    for (const auto& map : *maps) config.maps.push_back(map.name);

    if (token_key_hex.empty()) {
        config.token_key = net::generate_token_key();
    } else {
        auto key = net::parse_token_key_hex(token_key_hex);
        if (!key) {
            fmt::print(stderr, "skirmish-server: --token-key: {}\n", key.error());
            return 2;
        }
        config.token_key = *key;
    }
    config.now_unix_ms = unix_ms_now;

    LoggingGameLink game(log.child("game"));
    server::LobbyServer lobby(config, game, log.child("lobby"));
    auto port = lobby.start();
    if (!port) {
        fmt::print(stderr, "skirmish-server: {}\n", port.error());
        return 1;
    }
    fmt::print("skirmish-server {}: lobby on TCP {}:{} with {} maps. Ctrl+C stops it.\n", skirmish::kVersion,
               config.bind_address, *port, config.maps.size());
    std::fflush(stdout);

    // The main thread only waits for a signal; the lobby runs on its own thread.
    asio::io_context signals_io;
    asio::signal_set signals(signals_io, SIGINT, SIGTERM);
    signals.async_wait([&](const std::error_code& ec, int signal) {
        if (!ec) log.info("signal {}: shutting down", signal);
    });
    signals_io.run();
    lobby.stop();
    const auto stats = lobby.stats();
    log.info("stopped: {} connections, {} matches started", stats.connections_accepted, stats.matches_started);
    return 0;
}
