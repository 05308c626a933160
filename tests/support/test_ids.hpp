// Literals for the typed ids, so a test can write a player, a match or a room
// by its number and still not pass one for another:
// `match.add_player(1_player, "a")`, `order.match_id = 3_match`. A file
// brings them in with `using namespace skirmish::test::ids;`. Including this
// header also makes a failed EXPECT_EQ print an id as "player 3" rather than
// as four bytes.
// IMPORTANT: literals, printing and `takes` only; the types are sim::PlayerId,
// protocol::MatchId and protocol::RoomId.
#pragma once

#include "shared/protocol/match_types.hpp"
#include "shared/sim/types.hpp"

#include <cstdint>
#include <limits>
#include <ostream>
#include <type_traits>

namespace skirmish::test::ids {

namespace detail {
// A number that does not fit an id does not compile (consteval: the throw is
// never a constant expression).
consteval std::uint32_t id_number(unsigned long long n) {
    if (n > std::numeric_limits<std::uint32_t>::max()) throw "an id is a 32-bit number";
    return static_cast<std::uint32_t>(n);
}
} // namespace detail

consteval sim::PlayerId operator""_player(unsigned long long n) { return sim::PlayerId{detail::id_number(n)}; }
consteval protocol::MatchId operator""_match(unsigned long long n) { return protocol::MatchId{detail::id_number(n)}; }
consteval protocol::RoomId operator""_room(unsigned long long n) { return protocol::RoomId{detail::id_number(n)}; }

// Whether `Method` can be called with `Args` (the object first): for the
// TypedIds tests' static_asserts on which ids a signature takes.
template <auto Method, typename... Args>
inline constexpr bool takes = std::is_invocable_v<decltype(Method), Args...>;

} // namespace skirmish::test::ids

// GoogleTest's printers, found by argument-dependent lookup.
namespace skirmish::sim {
inline void PrintTo(PlayerId id, std::ostream* os) { *os << "player " << to_int(id); }
} // namespace skirmish::sim
namespace skirmish::protocol {
inline void PrintTo(MatchId id, std::ostream* os) { *os << "match " << to_int(id); }
inline void PrintTo(RoomId id, std::ostream* os) { *os << "room " << to_int(id); }
} // namespace skirmish::protocol
