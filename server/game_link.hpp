// server/game_link.hpp
//
// The seam between the lobby (its own thread, server/lobby/) and the game
// port (the tick thread, server/game/). The lobby decides who plays which
// match and seals their connect tokens; the game runs the match and reports
// its results. Neither calls into the other's state directly.
//
// IMPORTANT: every method here is thread-safe and returns at once; work is
// queued for the other side's thread (token_live answers from a locked table).
#pragma once

#include "shared/protocol/match_types.hpp"
#include "shared/sim/types.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace skirmish::server {

struct MatchPlayer {
    sim::PlayerId player_id{};
    std::string name;
};

// Lobby → game: run this match. match_id is chosen by the lobby and unique for
// the life of the process. Players arrive on the game port with their tokens;
// `players` is who was in the room when it started (for the scoreboard).
struct MatchOrder {
    protocol::MatchId match_id{};
    protocol::RoomId room_id{};
    protocol::MatchSettings settings;
    std::vector<MatchPlayer> players;
};

// What the game side offers the lobby.
class GameLink {
public:
    virtual ~GameLink() = default;
    // Queues a match to start. The match exists on the game port before any
    // token the lobby seals afterwards for it can be presented.
    virtual void start_match(MatchOrder order) = 0;
    // A spectator left its room (or the lobby): its game connection to that
    // match, if any, is closed, so its seat is free for the next spectator
    // (a spectator has no seat to come back to; a player keeps its own).
    virtual void stop_watching(protocol::MatchId match_id, sim::PlayerId spectator_id) = 0;
};

// What the lobby offers the game side.
class LobbyLink {
public:
    virtual ~LobbyLink() = default;
    // A match ended (frag or time limit, everyone left, or shutdown): its room
    // goes back to waiting and shows the results.
    virtual void match_ended(protocol::MatchResults results) = 0;
    // A player's game connection ended (left or timed out) while the match goes on.
    virtual void player_left_match(protocol::MatchId match_id, sim::PlayerId player_id) = 0;
    // Whether the lobby still stands behind this token: the newest one sealed
    // for the player, who is still in the room and connected to the lobby.
    // Answered at once (not queued): the game port asks before it accepts.
    virtual bool token_live(sim::PlayerId player_id, std::uint64_t token_id) const = 0;
};

} // namespace skirmish::server
