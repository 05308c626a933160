// server/server.hpp
//
// A whole skirmish-server: the TCP lobby (its own thread) and the UDP game
// port (the tick thread) on one port number, sharing a connect-token key,
// each reporting to the other through server/game_link.hpp. main() runs one;
// integration tests run several in one process on ephemeral ports.
//
// IMPORTANT: start() returns with both threads running; stop() shuts the game
// port down first (clients told why, results to the lobby), then the lobby,
// and returns within about two seconds. Both are called from one thread.
#pragma once

#include "server/game/game_server.hpp"
#include "server/lobby/lobby_server.hpp"

#include <atomic>
#include <memory>
#include <optional>
#include <thread>

namespace skirmish::server {

struct ServerConfig {
    std::string bind_address = "0.0.0.0";
    std::uint16_t port = 7777; // TCP lobby and UDP game; 0: a free number for both
    std::string server_name = "Skirmish";
    std::vector<sim::Map> maps;
    std::optional<net::TokenKey> token_key; // none: a fresh random key
    GameConfig game;                        // bind address and port are taken from above
    LobbyLimits lobby;
    std::chrono::milliseconds shutdown_grace{1500};
};

class Server {
public:
    static util::Result<std::unique_ptr<Server>, std::string> start(const net::EnetLibrary& enet, ServerConfig config,
                                                                    util::Logger log);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    std::uint16_t port() const noexcept { return port_; }
    const net::TokenKey& token_key() const noexcept { return key_; }
    void stop();

    GameStats game_stats() const { return game_->stats(); }
    LobbyStats lobby_stats() const { return lobby_->stats(); }

private:
    Server() = default;

    util::SteadyClock clock_;
    net::TokenKey key_{};
    std::uint16_t port_ = 0;
    std::unique_ptr<GameServer> game_;
    std::unique_ptr<LobbyServer> lobby_;
    std::atomic<bool> stop_{false};
    std::thread game_thread_;
    std::chrono::milliseconds shutdown_grace_{1500};
    bool stopped_ = false;
};

} // namespace skirmish::server
