// The lobby's side of spectators without sockets (docs/PROTOCOL.md,
// "Spectators"): a room's spectator seats are apart from its players' and
// capped by its settings; a spectator never gets ready, starts or hosts, is
// not in the match order and gets a spectator's token (and no reconnect
// secret) whether the match starts or is already running, even in a room
// whose match takes no joiners; when the last player leaves, the spectators
// are let out and the room goes.
#include "server/lobby/lobby.hpp"

#include "lobby_fakes.hpp"

#include "shared/net/connect_token.hpp"
#include "shared/protocol/version.hpp"

#include <gtest/gtest.h>

using namespace skirmish;
namespace pl = protocol::lobby;
using server::SessionId;

namespace {

constexpr std::uint64_t kNowMs = 1'700'000'000'000;

class LobbySpectators : public ::testing::Test {
protected:
    LobbySpectators() {
        config.maps = {"arena"};
        config.token_key = net::generate_token_key();
        config.now_unix_ms = [] { return kNowMs; };
        lobby.emplace(config, 7777, game, out, tokens, util::Logger("test", util::LogLevel::Off));
    }
    SessionId hello(const std::string& name) {
        const SessionId id{next_++};
        lobby->on_connect(id, clock.now(), "10.0.0." + std::to_string(next_));
        lobby->on_message(id, pl::Hello{protocol::kProtocolVersion, name}, clock.now());
        return id;
    }
    void say(SessionId id, const pl::ClientMessage& m) { lobby->on_message(id, m, clock.now()); }
    sim::PlayerId id_of(SessionId s) const { return sim::PlayerId{out.last<pl::Welcome>(s)->player_id}; }
    std::optional<pl::Error> error(SessionId id) const { return out.last<pl::Error>(id); }
    net::TokenClaims claims(const pl::MatchStart& start) const {
        auto opened = net::open_token(start.connect_token, config.token_key, protocol::kProtocolVersion, kNowMs);
        EXPECT_TRUE(opened.has_value());
        return opened ? *opened : net::TokenClaims{};
    }
    // alice hosts room 1 (2 players, `seats` spectator seats), bob plays in it.
    void duel_room(std::uint8_t seats, bool join_in_progress = true) {
        protocol::MatchSettings settings;
        settings.max_players = 2;
        settings.spectator_slots = seats;
        settings.join_in_progress = join_in_progress;
        alice = hello("alice");
        bob = hello("bob");
        say(alice, pl::CreateRoom{"duel", settings});
        say(bob, pl::JoinRoom{1});
    }

    server::LobbyConfig config;
    test::LobbyRecorder out;
    test::FakeGameLink game;
    server::TokenRegistry tokens;
    util::ManualClock clock;
    std::optional<server::Lobby> lobby;
    std::uint64_t next_ = 1;
    SessionId alice{}, bob{};
};

} // namespace

TEST_F(LobbySpectators, SpectatorSeatsAreApartFromPlayersAndCapped) {
    duel_room(1);
    const SessionId carol = hello("carol");
    say(carol, pl::JoinRoom{1});
    ASSERT_TRUE(error(carol));
    EXPECT_EQ(error(carol)->code, pl::ErrorCode::RoomFull) << "both player slots are taken";
    EXPECT_NE(error(carol)->text.find("watch"), std::string::npos) << error(carol)->text;
    say(carol, pl::JoinRoom{1, true});
    const auto state = out.last<pl::RoomState>(carol);
    ASSERT_TRUE(state) << "a spectator seat was free";
    ASSERT_EQ(state->members.size(), 3u);
    EXPECT_TRUE(state->members[2].spectator);
    EXPECT_FALSE(state->members[0].spectator);
    EXPECT_EQ(state->host_id, sim::to_int(id_of(alice)));
    const SessionId dave = hello("dave");
    say(dave, pl::JoinRoom{1, true});
    ASSERT_TRUE(error(dave));
    EXPECT_EQ(error(dave)->code, pl::ErrorCode::RoomFull);
    EXPECT_NE(error(dave)->text.find("spectator seats are taken (1 of 1)"), std::string::npos) << error(dave)->text;
    say(dave, pl::ListRooms{});
    const auto list = out.last<pl::RoomList>(dave);
    ASSERT_TRUE(list && list->rooms.size() == 1);
    EXPECT_EQ(list->rooms[0].players, 2);
    EXPECT_EQ(list->rooms[0].spectators, 1);
}

TEST_F(LobbySpectators, ARoomWithoutSpectatorSeatsSaysSo) {
    duel_room(0);
    const SessionId carol = hello("carol");
    say(carol, pl::JoinRoom{1, true});
    ASSERT_TRUE(error(carol));
    EXPECT_EQ(error(carol)->code, pl::ErrorCode::RoomFull);
    EXPECT_NE(error(carol)->text.find("no spectator seats"), std::string::npos) << error(carol)->text;
}

TEST_F(LobbySpectators, ASpectatorNeverGetsReadyOrStartsAndWatchesWithASpectatorsToken) {
    duel_room(2);
    const SessionId carol = hello("carol");
    say(carol, pl::JoinRoom{1, true});
    say(carol, pl::SetReady{true});
    ASSERT_TRUE(error(carol));
    EXPECT_EQ(error(carol)->code, pl::ErrorCode::Spectating);
    say(carol, pl::StartMatch{});
    EXPECT_EQ(error(carol)->code, pl::ErrorCode::Spectating);
    EXPECT_TRUE(game.orders.empty());
    // Every player ready starts the match: the spectator is not waited for.
    say(alice, pl::SetReady{true});
    say(bob, pl::SetReady{true});
    ASSERT_EQ(game.orders.size(), 1u);
    ASSERT_EQ(game.orders[0].players.size(), 2u) << "the order names the players only";
    for (const auto& p : game.orders[0].players) EXPECT_NE(p.player_id, id_of(carol));

    const auto watching = out.last<pl::MatchStart>(carol);
    ASSERT_TRUE(watching);
    EXPECT_TRUE(watching->spectator);
    EXPECT_FALSE(watching->in_progress);
    EXPECT_TRUE(watching->reconnect_secret.empty()) << "a spectator has no seat to come back to";
    EXPECT_EQ(claims(*watching).role, net::TokenRole::Spectator);
    EXPECT_EQ(claims(*watching).player_id, sim::to_int(id_of(carol)));
    const auto playing = out.last<pl::MatchStart>(alice);
    ASSERT_TRUE(playing);
    EXPECT_FALSE(playing->spectator);
    EXPECT_EQ(claims(*playing).role, net::TokenRole::Player);
    EXPECT_EQ(playing->reconnect_secret.size(), pl::kReconnectSecretBytes);
    const auto state = out.last<pl::RoomState>(carol);
    ASSERT_TRUE(state);
    EXPECT_TRUE(state->members[2].spectator && state->members[2].in_match) << "watching the match";
}

TEST_F(LobbySpectators, ASpectatorWatchesARunningMatchThatTakesNoJoiners) {
    duel_room(2, false);
    say(alice, pl::StartMatch{});
    ASSERT_EQ(game.orders.size(), 1u);
    const SessionId carol = hello("carol");
    say(carol, pl::JoinRoom{1});
    ASSERT_TRUE(error(carol));
    EXPECT_EQ(error(carol)->code, pl::ErrorCode::RoomFull);
    say(carol, pl::JoinRoom{1, true});
    const auto start = out.last<pl::MatchStart>(carol);
    ASSERT_TRUE(start) << "watching does not join the game";
    EXPECT_TRUE(start->spectator);
    EXPECT_TRUE(start->in_progress);
    EXPECT_EQ(start->match_id, protocol::to_int(game.orders[0].match_id));
    EXPECT_EQ(claims(*start).role, net::TokenRole::Spectator);
    EXPECT_TRUE(tokens.is_live(id_of(carol), claims(*start).token_id));
    // Leaving the room withdraws the spectator's token as it does a player's.
    say(carol, pl::LeaveRoom{});
    EXPECT_FALSE(tokens.is_live(id_of(carol), claims(*start).token_id));
}

TEST_F(LobbySpectators, TheHostIsAlwaysAPlayerAndTheLastPlayerTakesTheSpectatorsOut) {
    protocol::MatchSettings settings;
    settings.spectator_slots = 2;
    alice = hello("alice");
    const SessionId carol = hello("carol");
    bob = hello("bob");
    say(alice, pl::CreateRoom{"duel", settings});
    say(carol, pl::JoinRoom{1, true}); // joins before bob
    say(bob, pl::JoinRoom{1});
    say(alice, pl::LeaveRoom{});
    auto state = out.last<pl::RoomState>(carol);
    ASSERT_TRUE(state);
    EXPECT_EQ(state->host_id, sim::to_int(id_of(bob))) << "the earliest player, not the spectator who came first";
    say(bob, pl::LeaveRoom{});
    const auto left = out.last<pl::LeftRoom>(carol);
    ASSERT_TRUE(left) << "no player is left to watch";
    EXPECT_EQ(left->room_id, 1u);
    EXPECT_EQ(lobby->find_room(protocol::RoomId{1}), nullptr);
    EXPECT_EQ(lobby->room_count(), 0u);
    // carol is in no room now: she can make her own.
    say(carol, pl::CreateRoom{"mine", {}});
    ASSERT_TRUE(out.last<pl::RoomState>(carol));
    EXPECT_EQ(out.last<pl::RoomState>(carol)->host_id, sim::to_int(id_of(carol)));
}

TEST_F(LobbySpectators, ASpectatorWhoLeavesTheRoomGivesUpItsSeatInTheMatchToo) {
    duel_room(2);
    const SessionId carol = hello("carol");
    const SessionId dave = hello("dave");
    say(carol, pl::JoinRoom{1, true});
    say(dave, pl::JoinRoom{1, true});
    say(alice, pl::StartMatch{});
    ASSERT_EQ(game.orders.size(), 1u);
    const protocol::MatchId match = game.orders[0].match_id;
    EXPECT_TRUE(game.stopped_watching.empty());
    say(carol, pl::LeaveRoom{});
    ASSERT_EQ(game.stopped_watching.size(), 1u) << "the game port frees the seat";
    EXPECT_EQ(game.stopped_watching[0], std::make_pair(match, id_of(carol)));
    lobby->on_disconnect(dave); // a lost lobby connection too
    ASSERT_EQ(game.stopped_watching.size(), 2u);
    EXPECT_EQ(game.stopped_watching[1], std::make_pair(match, id_of(dave)));
    say(bob, pl::LeaveRoom{}); // a player leaving is no spectator's business
    EXPECT_EQ(game.stopped_watching.size(), 2u);
}

TEST_F(LobbySpectators, WhenTheLastPlayerLeavesTheSpectatorsStopWatchingTheMatch) {
    duel_room(2);
    const SessionId carol = hello("carol");
    say(carol, pl::JoinRoom{1, true});
    say(alice, pl::StartMatch{});
    ASSERT_EQ(game.orders.size(), 1u);
    say(alice, pl::LeaveRoom{});
    say(bob, pl::LeaveRoom{});
    ASSERT_TRUE(out.last<pl::LeftRoom>(carol));
    ASSERT_EQ(game.stopped_watching.size(), 1u);
    EXPECT_EQ(game.stopped_watching[0].second, id_of(carol));
}
