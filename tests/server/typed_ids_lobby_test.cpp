// The lobby's ids are distinct types (issue 9): its rooms, the players in
// them and the matches they play cannot be mixed up, nor a bare number (a
// wire field) used without saying which kind it is. Checked when this file
// compiles, as tests/game/typed_ids_test.cpp does for the game side.
#include "server/lobby/lobby.hpp"
#include "server/lobby/room.hpp"
#include "server/lobby/token_registry.hpp"
#include "support/test_ids.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <type_traits>

namespace {

using namespace skirmish;
using test::ids::takes;

TEST(TypedIds, TheLobbyTakesEachKindOfIdAndNothingElse) {
    using protocol::MatchId;
    using protocol::RoomId;
    using server::Lobby;
    using server::Room;
    using server::TokenRegistry;
    using sim::PlayerId;
    static_assert(takes<&Lobby::find_room, const Lobby&, RoomId>);
    static_assert(!takes<&Lobby::find_room, const Lobby&, MatchId>);
    static_assert(!takes<&Lobby::find_room, const Lobby&, std::uint32_t>);
    static_assert(takes<&Lobby::on_player_left_match, Lobby&, MatchId, PlayerId>);
    static_assert(!takes<&Lobby::on_player_left_match, Lobby&, PlayerId, MatchId>);
    static_assert(takes<&TokenRegistry::issue, TokenRegistry&, PlayerId, std::uint64_t>);
    static_assert(!takes<&TokenRegistry::issue, TokenRegistry&, std::uint32_t, std::uint64_t>);
    static_assert(takes<&Room::add, Room&, PlayerId, bool>);
    static_assert(!takes<&Room::add, Room&, RoomId, bool>);
    static_assert(std::is_same_v<decltype(Room::id), RoomId>);
    static_assert(std::is_same_v<decltype(Room::host_id), PlayerId>);
    static_assert(std::is_same_v<decltype(Room::match_id), MatchId>);
    static_assert(std::is_same_v<decltype(Lobby::AdminPlayer::id), PlayerId>);
    static_assert(std::is_same_v<decltype(Lobby::AdminRoom::match_id), MatchId>);
    SUCCEED();
}

} // namespace
