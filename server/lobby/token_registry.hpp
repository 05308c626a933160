// server/lobby/token_registry.hpp
//
// Which connect tokens the lobby still stands behind. A token is sealed for a
// player in a room whose match runs; it stays good only while that player is
// still in that room and connected to the lobby, and only the newest token
// sealed for a player is good at all. The game port asks here before it
// accepts a token (docs/PROTOCOL.md, "Connect"), so leaving the room or the
// lobby withdraws the ticket, and leaving and rejoining cannot farm tokens.
//
// IMPORTANT: thread-safe: the lobby thread issues and revokes, the tick thread
// asks. At most one live token per player, so the table is bounded by the
// lobby's player cap.
#pragma once

#include "shared/sim/types.hpp"

#include <cstdint>
#include <mutex>
#include <unordered_map>

namespace skirmish::server {

class TokenRegistry {
public:
    // The token just sealed for this player; any older one is withdrawn.
    void issue(sim::PlayerId player_id, std::uint64_t token_id);
    // The player left its room or the lobby: its token is withdrawn.
    void revoke(sim::PlayerId player_id);
    // Whether this is the player's live token.
    bool is_live(sim::PlayerId player_id, std::uint64_t token_id) const;
    std::size_t size() const;

private:
    mutable std::mutex mutex_;
    std::unordered_map<sim::PlayerId, std::uint64_t> live_; // player id → token id
};

} // namespace skirmish::server
