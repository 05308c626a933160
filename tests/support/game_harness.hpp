// tests/support/game_harness.hpp
//
// A real game server on 127.0.0.1 (ephemeral port) running its tick loop on
// its own thread, plus what a lobby would do for it (start matches, seal
// tokens), and helpers to drive GameClients until a condition holds or a
// deadline passes. No sleeping as synchronisation: every wait is a bounded
// loop on a condition.
#pragma once

#include "client/core/game_client.hpp"
#include "server/game/game_server.hpp"
#include "shared/net/connect_token.hpp"
#include "shared/net/enet_library.hpp"
#include "shared/protocol/map_codec.hpp"
#include "shared/protocol/version.hpp"
#include "support/test_maps.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <thread>

namespace skirmish::test {

inline std::uint64_t unix_now_ms() {
    return static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count());
}

inline sim::Map arena_map() {
    auto map = protocol::load_map_file(source_dir() / "assets" / "maps" / "arena.json", 14.0f);
    if (!map) ADD_FAILURE() << map.error();
    return map ? *map : sim::Map{};
}

// Records what the game side tells the lobby.
class RecordingLobby final : public server::LobbyLink {
public:
    void match_ended(protocol::MatchResults results) override {
        const std::lock_guard lock(mutex_);
        ended_.push_back(std::move(results));
    }
    void player_left_match(protocol::MatchId, sim::PlayerId player_id) override {
        const std::lock_guard lock(mutex_);
        left_.push_back(sim::to_int(player_id));
    }
    // The harness seals tokens itself, with no lobby behind them to withdraw
    // one (withdrawal is tested through the real lobby: LobbyToMatch).
    bool token_live(sim::PlayerId, std::uint64_t) const override { return true; }
    std::vector<protocol::MatchResults> ended() const {
        const std::lock_guard lock(mutex_);
        return ended_;
    }
    std::vector<std::uint32_t> left() const {
        const std::lock_guard lock(mutex_);
        return left_;
    }

private:
    mutable std::mutex mutex_;
    std::vector<protocol::MatchResults> ended_;
    std::vector<std::uint32_t> left_;
};

class GameHarness {
public:
    explicit GameHarness(server::GameConfig config = {}, std::vector<sim::Map> maps = {})
        : enet_(net::EnetLibrary::initialize().value()),
          log_("test", std::getenv("SKIRMISH_TEST_LOG") ? util::LogLevel::Debug : util::LogLevel::Warn) {
        config.bind_address = "127.0.0.1";
        config.port = 0;
        if (maps.empty()) maps.push_back(arena_map());
        key_ = net::generate_token_key();
        auto server = server::GameServer::create(enet_, config, std::move(maps), key_, log_.child("game"), clock_,
                                                 &unix_now_ms);
        if (!server) throw std::runtime_error(server.error());
        server_ = std::move(server).value();
        server_->set_lobby(&lobby_);
        thread_ = std::thread([this] { server_->run(stop_, std::chrono::milliseconds(500)); });
    }
    ~GameHarness() { stop(); }

    void stop() {
        if (!thread_.joinable()) return;
        stop_ = true;
        thread_.join();
    }

    // What the lobby does when a room starts (the room has the match's number).
    // Ids here are the numbers the lobby writes into tokens.
    void start_match(std::uint32_t match_id, protocol::MatchSettings settings = {}) {
        server::MatchOrder order;
        order.match_id = protocol::MatchId{match_id};
        order.room_id = protocol::RoomId{match_id};
        order.settings = settings;
        server_->start_match(order);
    }

    client::MatchTicket ticket(std::uint32_t player_id, std::uint32_t match_id, std::uint64_t lifetime_ms = 10'000,
                               net::TokenRole role = net::TokenRole::Player) {
        net::TokenClaims claims;
        claims.player_id = player_id;
        claims.room_id = match_id;
        claims.match_id = match_id;
        claims.role = role;
        claims.player_name = "player-" + std::to_string(player_id);
        claims.expires_unix_ms = unix_now_ms() + lifetime_ms;
        return {"127.0.0.1", server_->port(), net::seal_token(claims, key_, protocol::kProtocolVersion),
                claims.player_name};
    }

    std::unique_ptr<client::GameClient> client(client::ClientOptions options = {}) {
        return std::make_unique<client::GameClient>(enet_, options, log_.child("client"));
    }

    server::GameServer& server() { return *server_; }
    RecordingLobby& lobby() { return lobby_; }
    const net::EnetLibrary& enet() const { return enet_; }
    const net::TokenKey& key() const { return key_; }
    util::Logger& log() { return log_; }

private:
    net::EnetLibrary enet_;
    util::Logger log_;
    util::SteadyClock clock_;
    net::TokenKey key_{};
    RecordingLobby lobby_;
    std::unique_ptr<server::GameServer> server_;
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

// Updates every client about every millisecond with the intent the callback
// gives, until `done` returns true or the deadline passes. Returns done().
inline bool drive(const std::vector<client::GameClient*>& clients, std::chrono::milliseconds deadline,
                  const std::function<bool()>& done,
                  const std::function<client::InputIntent(std::size_t)>& intent = {}) {
    const auto end = std::chrono::steady_clock::now() + deadline;
    while (std::chrono::steady_clock::now() < end) {
        const auto now = std::chrono::steady_clock::now();
        for (std::size_t i = 0; i < clients.size(); ++i)
            clients[i]->update(now, intent ? intent(i) : client::InputIntent{});
        if (done()) return true;
        // Pace the loop like a frame: this waits for time to pass, it does not synchronise.
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return done();
}

// As drive(), for a fixed time, calling `frame` after every update with the
// time the clients were updated at: what a render loop would draw then.
inline void drive_frames(const std::vector<client::GameClient*>& clients, std::chrono::milliseconds duration,
                         const std::function<void(std::chrono::steady_clock::time_point)>& frame,
                         const std::function<client::InputIntent(std::size_t)>& intent = {}) {
    const auto end = std::chrono::steady_clock::now() + duration;
    while (std::chrono::steady_clock::now() < end) {
        const auto now = std::chrono::steady_clock::now();
        for (std::size_t i = 0; i < clients.size(); ++i)
            clients[i]->update(now, intent ? intent(i) : client::InputIntent{});
        frame(now);
        // Pace the loop like a frame: this waits for time to pass, it does not synchronise.
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
}

inline bool all_in_match(const std::vector<client::GameClient*>& clients) {
    for (auto* c : clients) {
        if (c->state() != client::ConnectionState::InMatch || !c->latest_snapshot()) return false;
    }
    return true;
}

} // namespace skirmish::test
