// Player, match and room ids are distinct types on the game side and at the
// lobby/game seam (issue 9): one kind cannot be passed for another, nor a
// bare number for any of them. These are facts about signatures, so they are
// checked when this file compiles: loosening one back to uint32_t, or
// swapping two parameters' types, fails the build of this test.
#include "server/game/match.hpp"
#include "server/game/matches.hpp"
#include "server/game/sessions.hpp"
#include "server/game_link.hpp"
#include "support/test_ids.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <type_traits>

namespace {

using namespace skirmish;
using protocol::MatchId;
using protocol::RoomId;
using sim::PlayerId;
using test::ids::takes;

TEST(TypedIds, TheGameSideTakesEachKindOfIdAndNothingElse) {
    using server::Match;
    static_assert(takes<&Match::add_player, Match&, PlayerId, const std::string&>);
    static_assert(!takes<&Match::add_player, Match&, std::uint32_t, const std::string&>);
    static_assert(!takes<&Match::add_player, Match&, MatchId, const std::string&>);
    static_assert(takes<&Match::snapshot_for, Match&, PlayerId, bool>);
    static_assert(!takes<&Match::snapshot_for, Match&, RoomId, bool>);
    static_assert(std::is_same_v<decltype(std::declval<const Match&>().id()), MatchId>);
    static_assert(std::is_same_v<decltype(std::declval<const Match&>().room_id()), RoomId>);

    using server::Matches;
    static_assert(takes<&Matches::find, Matches&, MatchId>);
    static_assert(!takes<&Matches::find, Matches&, PlayerId>);
    static_assert(!takes<&Matches::find, Matches&, std::uint32_t>);

    using server::Sessions;
    static_assert(takes<&Sessions::of_player, Sessions&, PlayerId>);
    static_assert(!takes<&Sessions::of_player, Sessions&, MatchId>);
    static_assert(takes<&Sessions::bind, Sessions&, server::Session&, PlayerId, MatchId, bool>);
    static_assert(!takes<&Sessions::bind, Sessions&, server::Session&, MatchId, PlayerId, bool>);
    static_assert(std::is_same_v<decltype(server::Session::player_id), PlayerId>);
    static_assert(std::is_same_v<decltype(server::Session::match_id), MatchId>);
    SUCCEED();
}

TEST(TypedIds, TheSeamBetweenLobbyAndGameKeepsThemApart) {
    using server::GameLink;
    using server::LobbyLink;
    static_assert(takes<&GameLink::stop_watching, GameLink&, MatchId, PlayerId>);
    static_assert(!takes<&GameLink::stop_watching, GameLink&, PlayerId, MatchId>);
    static_assert(takes<&LobbyLink::player_left_match, LobbyLink&, MatchId, PlayerId>);
    static_assert(!takes<&LobbyLink::player_left_match, LobbyLink&, PlayerId, MatchId>);
    static_assert(takes<&LobbyLink::token_live, const LobbyLink&, PlayerId, std::uint64_t>);
    static_assert(!takes<&LobbyLink::token_live, const LobbyLink&, std::uint32_t, std::uint64_t>);
    static_assert(std::is_same_v<decltype(server::MatchOrder::match_id), MatchId>);
    static_assert(std::is_same_v<decltype(server::MatchOrder::room_id), RoomId>);
    static_assert(std::is_same_v<decltype(server::MatchPlayer::player_id), PlayerId>);
    SUCCEED();
}

} // namespace
