// server/lobby/lobby_results.cpp
//
// The lobby's answers to GetStats and GetRecentMatches (docs/PROTOCOL.md,
// "Results and stats"): read from the results database through
// LobbyConfig::results, already capped to a page; a server without one
// answers with available = false.
#include "server/lobby/lobby.hpp"

namespace skirmish::server {

namespace pl = protocol::lobby;

void Lobby::handle(Player& player, const pl::GetStats& request) {
    reply(player.session, config_.results ? config_.results->stats(request) : pl::Stats{});
}

void Lobby::handle(Player& player, const pl::GetRecentMatches& request) {
    reply(player.session, config_.results ? config_.results->recent_matches(request) : pl::RecentMatches{});
}

} // namespace skirmish::server
