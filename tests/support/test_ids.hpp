// Literals for the server's typed ids, so a test can write a player, a match
// or a room by its number and still not pass one for another:
// `match.add_player(1_player, "a")`, `order.match_id = 3_match`. A file
// brings them in with `using namespace skirmish::test::ids;`.
// IMPORTANT: literals only; the types are sim::PlayerId, protocol::MatchId
// and protocol::RoomId.
#pragma once

#include "shared/protocol/match_types.hpp"
#include "shared/sim/types.hpp"

#include <cstdint>

namespace skirmish::test::ids {

constexpr sim::PlayerId operator""_player(unsigned long long n) { return sim::PlayerId{static_cast<std::uint32_t>(n)}; }
constexpr protocol::MatchId operator""_match(unsigned long long n) {
    return protocol::MatchId{static_cast<std::uint32_t>(n)};
}
constexpr protocol::RoomId operator""_room(unsigned long long n) {
    return protocol::RoomId{static_cast<std::uint32_t>(n)};
}

} // namespace skirmish::test::ids
