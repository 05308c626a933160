// The lobby's side of reconnect without sockets (docs/PROTOCOL.md,
// "Reconnect"): a MatchStart carries a secret; a player whose connection
// ended comes back with its name and that secret and gets its old id, its
// room and a token for the same match; a wrong secret is refused and spends
// the address's budget of wrong guesses; a secret of a match that ended is
// refused as expired; a half-dead old connection gives way; leaving on
// purpose gives the seat up.
#include "server/lobby/lobby.hpp"

#include "lobby_fakes.hpp"

#include "shared/net/connect_token.hpp"
#include "shared/protocol/version.hpp"

#include <gtest/gtest.h>

using namespace skirmish;
using namespace std::chrono_literals;
namespace pl = protocol::lobby;
using server::SessionId;

namespace {

class LobbyReconnect : public ::testing::Test {
protected:
    LobbyReconnect() {
        config.maps = {"arena"};
        config.token_key = net::generate_token_key();
        config.now_unix_ms = [] { return std::uint64_t{1'700'000'000'000}; };
        lobby.emplace(config, 7777, game, out, tokens, util::Logger("test", util::LogLevel::Off));
        alice = hello("alice");
        bob = hello("bob");
        say(alice, pl::CreateRoom{"room", {}});
        say(bob, pl::JoinRoom{1});
        say(alice, pl::StartMatch{});
        start = *out.last<pl::MatchStart>(alice);
        alice_id = out.last<pl::Welcome>(alice)->player_id;
    }
    SessionId hello(const std::string& name, std::uint32_t match_id = 0, std::vector<std::uint8_t> secret = {},
                    const std::string& address = "10.0.0.1") {
        const SessionId id{next_++};
        lobby->on_connect(id, clock.now(), address);
        lobby->on_message(id, pl::Hello{protocol::kProtocolVersion, name, "", match_id, std::move(secret)},
                          clock.now());
        return id;
    }
    void say(SessionId id, const pl::ClientMessage& m) { lobby->on_message(id, m, clock.now()); }
    std::optional<pl::ErrorCode> refusal(SessionId id) const {
        auto e = out.last<pl::Error>(id);
        return e ? std::optional(e->code) : std::nullopt;
    }

    server::LobbyConfig config;
    test::LobbyRecorder out;
    test::FakeGameLink game;
    server::TokenRegistry tokens;
    util::ManualClock clock;
    std::optional<server::Lobby> lobby;
    std::uint64_t next_ = 1;
    SessionId alice{}, bob{};
    std::uint32_t alice_id = 0;
    pl::MatchStart start;
};

} // namespace

TEST_F(LobbyReconnect, ADroppedPlayerComesBackWithItsIdRoomAndMatch) {
    ASSERT_EQ(start.reconnect_secret.size(), pl::kReconnectSecretBytes);
    EXPECT_NE(start.reconnect_secret, out.last<pl::MatchStart>(bob)->reconnect_secret);
    lobby->on_disconnect(alice); // killed: no LeaveRoom
    EXPECT_EQ(lobby->seat_count(), 2u);
    const auto back = hello("Alice", start.match_id, start.reconnect_secret); // names ignore ASCII case
    ASSERT_TRUE(out.last<pl::Welcome>(back));
    EXPECT_EQ(out.last<pl::Welcome>(back)->player_id, alice_id);
    const auto state = out.last<pl::RoomState>(back);
    ASSERT_TRUE(state);
    EXPECT_EQ(state->members.size(), 2u);
    const auto again = out.last<pl::MatchStart>(back);
    ASSERT_TRUE(again);
    EXPECT_TRUE(again->in_progress);
    EXPECT_EQ(again->match_id, start.match_id);
    EXPECT_NE(again->reconnect_secret, start.reconnect_secret) << "each MatchStart has a fresh secret";
    auto claims = net::open_token(again->connect_token, config.token_key, protocol::kProtocolVersion,
                                  config.now_unix_ms());
    ASSERT_TRUE(claims);
    EXPECT_EQ(claims->player_id, alice_id) << "the game port sees the same player";
    EXPECT_EQ(claims->match_id, start.match_id);
    EXPECT_TRUE(tokens.is_live(sim::PlayerId{alice_id}, claims->token_id));
    EXPECT_EQ(lobby->reconnects(), 1u);
    // The old secret is spent: the newest one is the only way back.
    lobby->on_disconnect(back);
    EXPECT_EQ(refusal(hello("alice", start.match_id, start.reconnect_secret)), pl::ErrorCode::ReconnectRefused);
    EXPECT_TRUE(out.last<pl::Welcome>(hello("alice", start.match_id, again->reconnect_secret)));
}

TEST_F(LobbyReconnect, AWrongSecretIsRefusedAndSpendsTheAddresssGuesses) {
    lobby->on_disconnect(alice);
    std::vector<std::uint8_t> wrong = start.reconnect_secret;
    wrong[0] ^= 1;
    const auto guess = hello("alice", start.match_id, wrong, "10.0.0.66");
    ASSERT_EQ(refusal(guess), pl::ErrorCode::ReconnectRefused);
    EXPECT_EQ(out.last<pl::Error>(guess)->text,
              "'alice' cannot rejoin match 1: the secret is wrong, or 'alice' was not in it; connect without "
              "rejoining");
    EXPECT_FALSE(out.last<pl::Welcome>(guess));
    EXPECT_FALSE(pl::closes_connection(pl::ErrorCode::ReconnectRefused)) << "the client may say Hello again";
    for (int i = 0; i < 4; ++i) hello("alice", start.match_id, wrong, "10.0.0.66");
    // The budget is spent: even the right secret waits, from that address only.
    const auto blocked = hello("alice", start.match_id, start.reconnect_secret, "10.0.0.66");
    ASSERT_EQ(refusal(blocked), pl::ErrorCode::ReconnectRefused);
    EXPECT_EQ(out.last<pl::Error>(blocked)->text,
              "too many wrong secrets from 10.0.0.66: wait 2 s before rejoining, or connect without rejoining");
    clock.advance(2s);
    EXPECT_TRUE(out.last<pl::Welcome>(hello("alice", start.match_id, start.reconnect_secret, "10.0.0.66")));
    EXPECT_EQ(lobby->reconnects_refused(), 6u);
}

// On a server with a password, the password check comes first and reads the
// same budget: once wrong secrets have spent it, that address is answered
// WrongPassword (which closes), even with the right password, the right
// secret, or no rejoin at all (docs/PROTOCOL.md, "Reconnect", step 1).
TEST_F(LobbyReconnect, OnAPasswordServerSpentGuessesAreAnsweredWrongPassword) {
    config.hosting.password = "friday";
    lobby->on_disconnect(alice);
    std::vector<std::uint8_t> wrong = start.reconnect_secret;
    wrong[0] ^= 1;
    const auto with_password = [&](std::vector<std::uint8_t> secret, std::uint32_t match_id) {
        const SessionId id{next_++};
        lobby->on_connect(id, clock.now(), "10.0.0.77");
        lobby->on_message(id, pl::Hello{protocol::kProtocolVersion, "alice", "friday", match_id, std::move(secret)},
                          clock.now());
        return id;
    };
    for (int i = 0; i < 5; ++i)
        ASSERT_EQ(refusal(with_password(wrong, start.match_id)), pl::ErrorCode::ReconnectRefused);
    const auto right = with_password(start.reconnect_secret, start.match_id);
    const auto closed = out.closed_with(right);
    ASSERT_TRUE(closed) << "WrongPassword closes the connection";
    EXPECT_EQ(closed->code, pl::ErrorCode::WrongPassword);
    EXPECT_NE(closed->text.find("too many wrong passwords from 10.0.0.77"), std::string::npos) << closed->text;
    EXPECT_FALSE(out.last<pl::Welcome>(right));
    const auto plain = out.closed_with(with_password({}, 0));
    ASSERT_TRUE(plain) << "a plain Hello waits too";
    EXPECT_EQ(plain->code, pl::ErrorCode::WrongPassword);
    clock.advance(2s);
    const auto later = with_password(start.reconnect_secret, start.match_id);
    EXPECT_FALSE(refusal(later)) << "one guess back after 2 s: the right secret gets in";
    EXPECT_TRUE(out.last<pl::Welcome>(later));
}

TEST_F(LobbyReconnect, ASecretOfAMatchThatEndedIsExpired) {
    lobby->on_disconnect(alice);
    protocol::MatchResults results;
    results.match_id = start.match_id;
    results.room_id = start.room_id;
    lobby->on_match_ended(results);
    EXPECT_EQ(lobby->seat_count(), 0u) << "the lobby remembers seats for the match's duration only";
    const auto late = hello("alice", start.match_id, start.reconnect_secret);
    ASSERT_EQ(refusal(late), pl::ErrorCode::ReconnectExpired);
    EXPECT_EQ(out.last<pl::Error>(late)->text,
              "match 1 is over (or its room is gone): connect without rejoining and join a room");
    // Expired secrets spend no guesses; a plain Hello on the same connection is welcome.
    lobby->on_message(late, pl::Hello{protocol::kProtocolVersion, "alice", ""}, clock.now());
    EXPECT_TRUE(out.last<pl::Welcome>(late));
}

TEST_F(LobbyReconnect, AHalfDeadConnectionGivesWayToTheReturningPlayer) {
    // The lobby has not seen alice's old connection end (no FIN came).
    const auto back = hello("alice", start.match_id, start.reconnect_secret);
    ASSERT_TRUE(out.last<pl::Welcome>(back));
    ASSERT_EQ(out.closed.size(), 1u);
    EXPECT_EQ(out.closed[0].first, alice);
    EXPECT_EQ(out.closed[0].second.code, pl::ErrorCode::Replaced);
    EXPECT_TRUE(pl::closes_connection(pl::ErrorCode::Replaced));
    // When the old connection finally ends, the player stays.
    lobby->on_disconnect(alice);
    EXPECT_EQ(lobby->player_count(), 2u);
    EXPECT_EQ(lobby->find_room(protocol::RoomId{start.room_id})->members.size(), 2u);
    say(back, pl::Chat{"back"});
    EXPECT_EQ(out.last<pl::ChatMessage>(bob)->from_player_id, alice_id);
}

TEST_F(LobbyReconnect, LeavingOnPurposeGivesUpTheSeat) {
    say(alice, pl::LeaveRoom{});
    lobby->on_disconnect(alice);
    EXPECT_EQ(refusal(hello("alice", start.match_id, start.reconnect_secret)), pl::ErrorCode::ReconnectRefused);
}
