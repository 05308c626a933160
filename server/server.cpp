// server/server.cpp
#include "server/server.hpp"

#include "server/metrics/prometheus_text.hpp"
#include "shared/protocol/version.hpp"
#include "skirmish/version.hpp"

#include <fmt/format.h>

#include <cmath>

namespace skirmish::server {

namespace {

std::uint64_t unix_ms_now() {
    return static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count());
}

constexpr int kEphemeralAttempts = 8; // UDP got a free number the TCP side may not have
// /readyz: a tick loop that has not finished a tick for this long, or woke this
// late, is off its schedule (a second is 60 ticks at the default rate).
constexpr util::Duration kMaxTickSilence = std::chrono::seconds(1);
constexpr util::Duration kMaxBehindSchedule = std::chrono::seconds(1);

} // namespace

util::Result<std::unique_ptr<Server>, std::string> Server::start(const net::EnetLibrary& enet, ServerConfig config,
                                                                  util::Logger log) {
    std::unique_ptr<Server> server(new Server());
    server->key_ = config.token_key ? *config.token_key : net::generate_token_key();
    server->shutdown_grace_ = config.shutdown_grace;
    std::vector<std::string> map_names;
    for (const auto& map : config.maps) map_names.push_back(map.name);

    server->admin_ = std::make_unique<Admin>(log.child("admin"));
    const int attempts = config.port == 0 ? kEphemeralAttempts : 1;
    std::string last_error;
    for (int attempt = 0; attempt < attempts; ++attempt) {
        // The game port first: with port 0 it picks the number the lobby then takes too.
        GameConfig game_config = config.game;
        game_config.bind_address = config.bind_address;
        game_config.port = config.port;
        auto game = GameServer::create(enet, game_config, config.maps, server->key_, log.child("game"),
                                       server->clock_, &unix_ms_now);
        if (!game) return util::fail(game.error());

        LobbyConfig lobby_config;
        lobby_config.bind_address = config.bind_address;
        lobby_config.port = (*game)->port();
        lobby_config.game_port = (*game)->port();
        lobby_config.hosting = config.hosting;
        lobby_config.events = config.events;
        lobby_config.results = config.results;
        lobby_config.bans = config.bans;
        lobby_config.admin = server->admin_.get();
        lobby_config.maps = map_names;
        lobby_config.token_key = server->key_;
        lobby_config.tick_rate_hz = static_cast<std::uint16_t>(config.game.tick_rate_hz);
        lobby_config.snapshot_rate_hz = static_cast<std::uint16_t>(config.game.snapshot_rate_hz);
        lobby_config.limits = config.lobby;
        lobby_config.now_unix_ms = &unix_ms_now;
        auto lobby = std::make_unique<LobbyServer>(lobby_config, **game, log.child("lobby"));
        auto port = lobby->start();
        if (!port) {
            last_error = port.error();
            continue; // with a fixed port this ends the loop; with 0, try another number
        }
        (*game)->set_lobby(lobby.get());
        (*game)->set_event_log(config.events);
        (*game)->set_results(config.results);
        server->port_ = *port;
        server->game_ = std::move(game).value();
        server->lobby_ = std::move(lobby);
        server->events_ = config.events;
        server->results_ = config.results;
        server->started_at_ = server->clock_.now();
        server->info_name_ = config.hosting.server_name;
        server->info_password_ = !config.hosting.password.empty();
        server->map_names_ = map_names;
        if (config.bind_address != "0.0.0.0" && config.bind_address != "::" && !config.bind_address.empty())
            server->advertised_address_ = config.bind_address;
        server->max_players_ = static_cast<std::uint16_t>(std::min<std::size_t>(config.lobby.max_connections, 65535));
        Server* s = server.get();
        server->game_->set_info_source([s] { return s->server_info(); });
        server->game_thread_ = std::thread([s] { s->game_->run(s->stop_, s->shutdown_grace_); });
        server->admin_->start({s->lobby_.get(), s->game_.get(), config.bans, config.events, config.admin_hooks,
                               &unix_ms_now});
        if (config.metrics) {
            auto metrics = MetricsEndpoint::start(
                *config.metrics, {[s] { return s->metrics_text(); }, [s] { return s->readiness(); }}, log.child("metrics"));
            if (!metrics) return util::fail(metrics.error()); // ~Server stops what started
            server->metrics_ = std::move(metrics).value();
        }
        if (config.discovery.enabled) {
            auto discovery = DiscoveryResponder::start(config.discovery, [s] { return s->server_info(); },
                                                       log.child("discovery"));
            if (discovery) {
                server->discovery_ = std::move(discovery).value();
            } else {
                log.warn("{}; the server runs without it (players type its address)", discovery.error());
            }
        }
        EventFields start = EventFields::object();
        start["version"] = kVersion;
        start["server_name"] = config.hosting.server_name;
        start["bind"] = config.bind_address;
        start["port"] = server->port_;
        start["tick_rate"] = config.game.tick_rate_hz;
        start["maps"] = map_names;
        start["password"] = !config.hosting.password.empty();
        if (server->metrics_) start["metrics_port"] = server->metrics_->port();
        if (server->discovery_) start["discovery_port"] = server->discovery_->port();
        emit_event(config.events, "server_start", std::move(start));
        return server;
    }
    return util::fail(last_error);
}

Server::~Server() { stop(); }

void Server::stop() {
    if (stopped_) return;
    stopped_ = true;
    if (admin_) admin_->stop(); // before what its commands reach
    stop_ = true; // from here /readyz says 503
    if (discovery_) discovery_->stop();
    if (game_thread_.joinable()) game_thread_.join();
    if (lobby_) lobby_->stop();
    if (metrics_) metrics_->stop();
    if (lobby_) {
        const LobbyStats lobby = lobby_->stats();
        emit_event(events_, "server_stop",
                   {{"uptime_s", std::round(util::to_seconds(clock_.now() - started_at_) * 1000.0) / 1000.0},
                    {"matches_started", lobby.matches_started},
                    {"lobby_connections_accepted", lobby.connections_accepted}});
    }
}

util::Result<util::Ok, std::string> Server::reconfigure(LobbyHosting hosting) {
    const std::string name = hosting.server_name;
    const bool password = !hosting.password.empty();
    auto applied = lobby_->reconfigure(std::move(hosting));
    if (applied) {
        std::lock_guard lock(info_mutex_);
        info_name_ = name;
        info_password_ = password;
    }
    return applied;
}

protocol::discovery::ServerInfo Server::server_info() const {
    protocol::discovery::ServerInfo info;
    {
        std::lock_guard lock(info_mutex_);
        info.name = info_name_;
        info.password = info_password_;
    }
    const auto narrow = [](std::uint64_t n) { return static_cast<std::uint16_t>(std::min<std::uint64_t>(n, 65535)); };
    const LobbyStats lobby = lobby_->stats();
    const GameStats game = game_->stats();
    info.address = advertised_address_;
    info.port = port_;
    info.protocol_version = protocol::kProtocolVersion;
    const std::size_t maps = std::min(map_names_.size(), protocol::discovery::kMaxMaps);
    info.maps.assign(map_names_.begin(), map_names_.begin() + static_cast<std::ptrdiff_t>(maps));
    info.map_count = static_cast<std::uint16_t>(maps);
    info.players = narrow(lobby.players);
    info.max_players = max_players_;
    info.rooms = narrow(lobby.rooms);
    info.matches = narrow(game.matches);
    info.tick_rate_hz = static_cast<std::uint16_t>(game_->config().tick_rate_hz);
    return info;
}

std::string Server::metrics_text() const {
    MetricsSample sample;
    sample.game = game_->stats();
    sample.lobby = lobby_->stats();
    if (events_) sample.events = events_->counters();
    if (results_) sample.results = results_->counters();
    sample.uptime_seconds = util::to_seconds(clock_.now() - started_at_);
    sample.tick_rate_hz = game_->config().tick_rate_hz;
    return render_prometheus(sample);
}

Readiness Server::readiness() const {
    if (stop_.load()) return {false, "not ready: the server is shutting down"};
    if (lobby_->port() == 0) return {false, "not ready: the lobby is not listening"};
    const GameServer::Heartbeat beat = game_->heartbeat();
    if (!beat.running) return {false, "not ready: the tick loop has not started"};
    const auto since = clock_.now() - beat.last_tick;
    if (since > kMaxTickSilence)
        return {false, fmt::format("not ready: the tick loop last finished a tick {:.0f} ms ago (stalled)",
                                   util::to_ms(since))};
    if (beat.behind_schedule > kMaxBehindSchedule)
        return {false, fmt::format("not ready: the tick loop woke {:.0f} ms behind its schedule (overloaded)",
                                   util::to_ms(beat.behind_schedule))};
    return {true, fmt::format("ready: lobby on TCP port {} and game on UDP port {}; last tick {:.1f} ms ago, "
                              "{:.2f} ms behind schedule",
                              lobby_->port(), game_->port(), util::to_ms(since), util::to_ms(beat.behind_schedule))};
}

} // namespace skirmish::server
