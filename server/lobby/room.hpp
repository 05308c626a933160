// server/lobby/room.hpp
//
// A lobby room: who is in it (in join order), who hosts, its match settings,
// whether its match is running, and the previous match's results. Plain data
// with the few rules that must always hold (the host is a player; the earliest
// remaining player takes over when the host leaves). Spectators are members
// in spectator seats (settings.spectator_slots, apart from max_players): they
// watch the matches, never get ready, never host.
//
// IMPORTANT: owned and used by the Lobby on the lobby thread only.
#pragma once

#include "shared/protocol/lobby_codec.hpp"
#include "shared/protocol/match_types.hpp"
#include "shared/sim/types.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace skirmish::server {

struct RoomMember {
    sim::PlayerId player_id{};
    bool ready = false;
    bool in_match = false; // holds a token for the running match and has not left it
    bool spectator = false; // in a spectator seat
};

struct Room {
    protocol::RoomId id{};
    std::string name;
    protocol::MatchSettings settings;
    sim::PlayerId host_id{};
    protocol::lobby::RoomPhase phase = protocol::lobby::RoomPhase::Waiting;
    protocol::MatchId match_id{}; // the running match, when phase is InMatch
    std::vector<RoomMember> members;
    std::optional<protocol::MatchResults> last_results;
    bool quick_play = false; // made by QuickPlay: its map follows the server's map rotation
    std::optional<std::string> next_map; // an administrator's `map NAME ROOM` during a match: for the next one

    std::size_t players() const noexcept;
    std::size_t spectators() const noexcept { return members.size() - players(); }
    bool full() const noexcept { return players() >= settings.max_players; }
    bool spectator_seats_full() const noexcept { return spectators() >= settings.spectator_slots; }
    // Waiting, or running a match that takes joiners; and a free slot.
    bool takes_joiners() const noexcept;
    // At least two players and every one ready.
    bool all_ready() const noexcept;
    RoomMember* find(sim::PlayerId player_id) noexcept;
    const RoomMember* find(sim::PlayerId player_id) const noexcept;

    // Adds a member (the first player becomes host).
    RoomMember& add(sim::PlayerId player_id, bool spectator = false);
    // Removes a member; if it was the host, the earliest remaining player
    // becomes host (kNoPlayer when only spectators remain). Returns false if the
    // player was not a member.
    bool remove(sim::PlayerId player_id);
};

} // namespace skirmish::server
