// server/server.cpp
#include "server/server.hpp"

#include <fmt/format.h>

namespace skirmish::server {

namespace {

std::uint64_t unix_ms_now() {
    return static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count());
}

constexpr int kEphemeralAttempts = 8; // UDP got a free number the TCP side may not have

} // namespace

util::Result<std::unique_ptr<Server>, std::string> Server::start(const net::EnetLibrary& enet, ServerConfig config,
                                                                  util::Logger log) {
    std::unique_ptr<Server> server(new Server());
    server->key_ = config.token_key ? *config.token_key : net::generate_token_key();
    server->shutdown_grace_ = config.shutdown_grace;
    std::vector<std::string> map_names;
    for (const auto& map : config.maps) map_names.push_back(map.name);

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
        lobby_config.server_name = config.server_name;
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
        server->port_ = *port;
        server->game_ = std::move(game).value();
        server->lobby_ = std::move(lobby);
        Server* s = server.get();
        server->game_thread_ = std::thread([s] { s->game_->run(s->stop_, s->shutdown_grace_); });
        return server;
    }
    return util::fail(last_error);
}

Server::~Server() { stop(); }

void Server::stop() {
    if (stopped_) return;
    stopped_ = true;
    stop_ = true;
    if (game_thread_.joinable()) game_thread_.join();
    if (lobby_) lobby_->stop();
}

} // namespace skirmish::server
