// tests/server/lobby_fakes.hpp: what a Lobby talks to, recorded, for the tests
// that drive a Lobby without sockets (lobby_hosting_test, lobby_reconnect_test).
#pragma once

#include "server/lobby/lobby.hpp"

#include <optional>
#include <span>
#include <utility>
#include <variant>
#include <vector>

namespace skirmish::test {

// Everything the lobby sent and closed, by session.
struct LobbyRecorder final : server::LobbyOutput {
    std::vector<std::pair<server::SessionId, protocol::lobby::ServerMessage>> sent;
    std::vector<std::pair<server::SessionId, protocol::lobby::Error>> closed;

    void send(std::span<const server::SessionId> to, const protocol::lobby::ServerMessage& message) override {
        for (auto id : to) sent.emplace_back(id, message);
    }
    void close(server::SessionId id, const protocol::lobby::Error& error) override { closed.emplace_back(id, error); }

    // The last message of type T sent to `id`.
    template <typename T>
    std::optional<T> last(server::SessionId id) const {
        std::optional<T> out;
        for (const auto& [to, m] : sent)
            if (to == id)
                if (const auto* t = std::get_if<T>(&m)) out = *t;
        return out;
    }
    // The Error `id` was closed with, if it was.
    std::optional<protocol::lobby::Error> closed_with(server::SessionId id) const {
        for (const auto& [to, e] : closed)
            if (to == id) return e;
        return std::nullopt;
    }
};

// The game port as the lobby sees it: the matches it was told to start.
struct FakeGameLink final : server::GameLink {
    std::vector<server::MatchOrder> orders;
    std::vector<std::pair<protocol::MatchId, sim::PlayerId>> stopped_watching; // (match, spectator)
    void start_match(server::MatchOrder order) override { orders.push_back(std::move(order)); }
    void stop_watching(protocol::MatchId match_id, sim::PlayerId spectator_id) override {
        stopped_watching.emplace_back(match_id, spectator_id);
    }
};

} // namespace skirmish::test
