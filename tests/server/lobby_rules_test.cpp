// The lobby's rules without sockets: a Lobby driven with decoded messages and
// a manual clock, its output recorded. Fast and exact about ordering and time.
#include "server/lobby/lobby.hpp"

#include "shared/net/connect_token.hpp"
#include "shared/protocol/version.hpp"

#include <gtest/gtest.h>

using namespace skirmish;
using namespace std::chrono_literals;
namespace pl = protocol::lobby;
using server::SessionId;

namespace {

struct Recorder final : server::LobbyOutput {
    struct Sent {
        SessionId to;
        pl::ServerMessage message;
    };
    std::vector<Sent> sent;
    std::vector<std::pair<SessionId, pl::Error>> closed;

    void send(std::span<const SessionId> to, const pl::ServerMessage& message) override {
        for (auto id : to) sent.push_back({id, message});
    }
    void close(SessionId id, const pl::Error& error) override { closed.emplace_back(id, error); }

    template <typename T>
    std::vector<T> to(SessionId id) const {
        std::vector<T> out;
        for (const auto& s : sent)
            if (s.to == id)
                if (const auto* m = std::get_if<T>(&s.message)) out.push_back(*m);
        return out;
    }
    template <typename T>
    std::optional<T> last(SessionId id) const {
        auto all = to<T>(id);
        if (all.empty()) return std::nullopt;
        return all.back();
    }
    std::optional<pl::ErrorCode> last_error(SessionId id) const {
        auto e = last<pl::Error>(id);
        return e ? std::optional(e->code) : std::nullopt;
    }
};

struct FakeGame final : server::GameLink {
    Recorder* recorder = nullptr;
    std::vector<server::MatchOrder> orders;
    std::vector<std::size_t> match_starts_sent_before; // MatchStarts already out when each order came in
    void start_match(server::MatchOrder order) override {
        std::size_t starts = 0;
        for (const auto& s : recorder->sent) starts += std::holds_alternative<pl::MatchStart>(s.message);
        match_starts_sent_before.push_back(starts);
        orders.push_back(std::move(order));
    }
    void stop_watching(protocol::MatchId, sim::PlayerId) override {} // no spectators in these rules
};

class LobbyRules : public ::testing::Test {
protected:
    LobbyRules() {
        config.maps = {"courtyard", "arena"};
        config.token_key = net::generate_token_key();
        config.now_unix_ms = [this] { return unix_ms; };
        game.recorder = &out;
    }

    server::Lobby& lobby() {
        if (!lobby_) lobby_.emplace(config, 7777, game, out, tokens, util::Logger("test", util::LogLevel::Off));
        return *lobby_;
    }
    SessionId connect(const std::string& name) {
        const SessionId id{next_session_++};
        lobby().on_connect(id, clock.now());
        say(id, pl::Hello{protocol::kProtocolVersion, name});
        return id;
    }
    void say(SessionId id, const pl::ClientMessage& m) { lobby().on_message(id, m, clock.now()); }
    sim::PlayerId player(SessionId id) { return sim::PlayerId{out.to<pl::Welcome>(id).at(0).player_id}; }
    std::uint32_t create(SessionId host, protocol::MatchSettings settings = {}) {
        say(host, pl::CreateRoom{"room", std::move(settings)});
        return out.last<pl::RoomState>(host)->room_id;
    }

    server::LobbyConfig config;
    Recorder out;
    FakeGame game;
    server::TokenRegistry tokens;
    util::ManualClock clock;
    std::uint64_t unix_ms = 1'700'000'000'000;

private:
    std::optional<server::Lobby> lobby_;
    std::uint64_t next_session_ = 1;
};

} // namespace

TEST_F(LobbyRules, PlayerIdsRoomIdsAndMatchIdsAreUnique) {
    auto a = connect("a"), b = connect("b"), c = connect("c"), d = connect("d");
    EXPECT_NE(player(a), player(b));
    const auto r1 = create(a);
    const auto r2 = create(c);
    EXPECT_NE(r1, r2);
    say(b, pl::JoinRoom{r1});
    say(d, pl::JoinRoom{r2});
    say(a, pl::StartMatch{});
    say(c, pl::StartMatch{});
    ASSERT_EQ(game.orders.size(), 2u);
    EXPECT_NE(game.orders[0].match_id, game.orders[1].match_id);
}

TEST_F(LobbyRules, TheGameHearsOfAMatchBeforeAnyTokenGoesOut) {
    auto a = connect("a"), b = connect("b");
    const auto room = create(a);
    say(b, pl::JoinRoom{room});
    say(a, pl::SetReady{true});
    EXPECT_TRUE(game.orders.empty());
    say(b, pl::SetReady{true});
    ASSERT_EQ(game.orders.size(), 1u);
    EXPECT_EQ(game.match_starts_sent_before[0], 0u);
    EXPECT_EQ(out.to<pl::MatchStart>(a).size(), 1u);
    EXPECT_EQ(out.to<pl::MatchStart>(b).size(), 1u);
}

TEST_F(LobbyRules, TokensExpireAfterTheConfiguredLifetime) {
    config.token_lifetime_ms = 2'500;
    auto a = connect("a"), b = connect("b");
    say(b, pl::JoinRoom{create(a)});
    say(a, pl::StartMatch{});
    const auto start = out.last<pl::MatchStart>(b);
    ASSERT_TRUE(start);
    auto claims = net::open_token(start->connect_token, config.token_key, protocol::kProtocolVersion, unix_ms);
    ASSERT_TRUE(claims.has_value());
    EXPECT_EQ(claims->expires_unix_ms, unix_ms + 2'500);
    EXPECT_EQ(claims->player_id, sim::to_int(player(b)));
    EXPECT_EQ(
        net::open_token(start->connect_token, config.token_key, protocol::kProtocolVersion, unix_ms + 2'500).error(),
        net::TokenError::Expired);
}

// Issue 10 item 9: the lobby stands behind a token only while its player is in
// the room and connected, and only behind the newest one.
TEST_F(LobbyRules, ATokenStaysLiveOnlyWhileItsPlayerIsInTheRoom) {
    auto a = connect("a"), b = connect("b"), c = connect("c");
    const auto room = create(a);
    say(b, pl::JoinRoom{room});
    say(c, pl::JoinRoom{room});
    say(a, pl::StartMatch{});
    const auto token_of = [&](SessionId who) {
        return net::open_token(out.last<pl::MatchStart>(who)->connect_token, config.token_key,
                               protocol::kProtocolVersion, unix_ms)
            .value();
    };
    const auto first_b = token_of(b);
    EXPECT_TRUE(tokens.is_live(player(a), token_of(a).token_id));
    EXPECT_TRUE(tokens.is_live(player(b), first_b.token_id));
    EXPECT_FALSE(tokens.is_live(player(a), first_b.token_id)) << "a token is live only for its own player";

    say(b, pl::LeaveRoom{});
    EXPECT_FALSE(tokens.is_live(player(b), first_b.token_id));
    say(b, pl::JoinRoom{room}); // rejoins the running match: a new token, the old one stays dead
    const auto second_b = token_of(b);
    EXPECT_NE(second_b.token_id, first_b.token_id);
    EXPECT_TRUE(tokens.is_live(player(b), second_b.token_id));
    EXPECT_FALSE(tokens.is_live(player(b), first_b.token_id));

    const auto c_token = token_of(c);
    const auto c_id = player(c);
    lobby().on_disconnect(c);
    EXPECT_FALSE(tokens.is_live(c_id, c_token.token_id));
    EXPECT_EQ(tokens.size(), 2u) << "one live token per player in the match, no more";

    protocol::MatchResults over;
    over.match_id = protocol::to_int(game.orders.at(0).match_id);
    over.room_id = room;
    lobby().on_match_ended(over);
    EXPECT_EQ(tokens.size(), 0u) << "a finished match's tokens open nothing";
}

TEST_F(LobbyRules, ChatRateLimitRefillsWithTime) {
    config.limits.chat_burst = 2;
    config.limits.chat_per_second = 1;
    auto a = connect("a");
    create(a);
    say(a, pl::Chat{"1"});
    say(a, pl::Chat{"2"});
    say(a, pl::Chat{"3"});
    EXPECT_EQ(out.to<pl::ChatMessage>(a).size(), 2u);
    EXPECT_EQ(out.last_error(a), pl::ErrorCode::RateLimited);
    clock.advance(999ms);
    say(a, pl::Chat{"4"});
    EXPECT_EQ(out.to<pl::ChatMessage>(a).size(), 2u);
    clock.advance(1ms);
    say(a, pl::Chat{"5"});
    EXPECT_EQ(out.to<pl::ChatMessage>(a).size(), 3u);
    EXPECT_EQ(lobby().rate_limited(), 2u);
}

TEST_F(LobbyRules, MessageRateLimitCoversEveryMessage) {
    config.limits.message_burst = 3;
    config.limits.messages_per_second = 10;
    auto a = connect("a"); // 1
    say(a, pl::Ping{1});   // 2
    say(a, pl::Ping{2});   // 3
    say(a, pl::Ping{3});   // dropped
    EXPECT_EQ(out.to<pl::Pong>(a).size(), 2u);
    EXPECT_EQ(out.last_error(a), pl::ErrorCode::RateLimited);
    clock.advance(100ms);
    say(a, pl::Ping{4});
    EXPECT_EQ(out.to<pl::Pong>(a).size(), 3u);
}

TEST_F(LobbyRules, HostHandOverFollowsJoinOrder) {
    auto a = connect("a"), b = connect("b"), c = connect("c");
    const auto room = create(a);
    say(c, pl::JoinRoom{room});
    say(b, pl::JoinRoom{room});
    say(a, pl::LeaveRoom{});
    EXPECT_EQ(lobby().find_room(protocol::RoomId{room})->host_id, player(c)); // c joined before b
    EXPECT_EQ(out.last<pl::LeftRoom>(a)->room_id, room);
    lobby().on_disconnect(c);
    EXPECT_EQ(lobby().find_room(protocol::RoomId{room})->host_id, player(b));
    EXPECT_EQ(out.last<pl::RoomState>(b)->host_id, sim::to_int(player(b)));
    say(b, pl::LeaveRoom{});
    EXPECT_EQ(lobby().find_room(protocol::RoomId{room}), nullptr);
    EXPECT_EQ(lobby().room_count(), 0u);
}

TEST_F(LobbyRules, QuickPlayPicksTheFullestJoinableRoom) {
    auto a = connect("a"), b = connect("b"), c = connect("c"), d = connect("d"), e = connect("e"), f = connect("f");
    protocol::MatchSettings closed;
    closed.join_in_progress = false;
    const auto running_closed = create(a, closed);
    say(b, pl::JoinRoom{running_closed});
    say(a, pl::StartMatch{}); // 2 members, running, no joiners
    const auto small = create(c);
    const auto bigger = create(d);
    say(e, pl::JoinRoom{bigger});
    say(f, pl::QuickPlay{});
    EXPECT_EQ(out.last<pl::RoomState>(f)->room_id, bigger);
    (void)small;
}

TEST_F(LobbyRules, QuickPlayCreatesARoomOnArenaWhenNothingFits) {
    auto a = connect("a");
    say(a, pl::QuickPlay{3});
    auto state = out.last<pl::RoomState>(a);
    ASSERT_TRUE(state);
    EXPECT_EQ(state->settings.map, "arena"); // the default, since this server has it
    EXPECT_EQ(state->settings.max_players, 3);
    EXPECT_EQ(state->name, "Quick play " + std::to_string(state->room_id));
    EXPECT_EQ(state->host_id, sim::to_int(player(a)));
}

TEST_F(LobbyRules, QuickPlayUsesTheFirstMapWithoutArena) {
    config.maps = {"courtyard"};
    auto a = connect("a");
    say(a, pl::QuickPlay{});
    EXPECT_EQ(out.last<pl::RoomState>(a)->settings.map, "courtyard");
}

TEST_F(LobbyRules, JoinInProgressMarksTheJoinerInMatch) {
    auto a = connect("a"), b = connect("b"), c = connect("c");
    const auto room = create(a);
    say(b, pl::JoinRoom{room});
    say(a, pl::StartMatch{});
    say(c, pl::JoinRoom{room});
    auto start = out.last<pl::MatchStart>(c);
    ASSERT_TRUE(start);
    EXPECT_TRUE(start->in_progress);
    EXPECT_EQ(start->match_id, protocol::to_int(game.orders.at(0).match_id));
    auto state = out.last<pl::RoomState>(a);
    ASSERT_EQ(state->members.size(), 3u);
    EXPECT_TRUE(state->members[2].in_match);
    EXPECT_EQ(game.orders.size(), 1u); // no new order for a joiner
}

TEST_F(LobbyRules, LateOrStaleMatchEndsAreIgnored) {
    auto a = connect("a"), b = connect("b");
    const auto room = create(a);
    say(b, pl::JoinRoom{room});
    say(a, pl::StartMatch{});
    protocol::MatchResults stale;
    stale.match_id = protocol::to_int(game.orders[0].match_id) + 100;
    stale.room_id = room;
    lobby().on_match_ended(stale);
    EXPECT_EQ(lobby().find_room(protocol::RoomId{room})->phase, pl::RoomPhase::InMatch);
    protocol::MatchResults unknown_room;
    unknown_room.match_id = protocol::to_int(game.orders[0].match_id);
    unknown_room.room_id = room + 100;
    lobby().on_match_ended(unknown_room);
    EXPECT_EQ(lobby().find_room(protocol::RoomId{room})->phase, pl::RoomPhase::InMatch);
    protocol::MatchResults right;
    right.match_id = protocol::to_int(game.orders[0].match_id);
    right.room_id = room;
    lobby().on_match_ended(right);
    EXPECT_EQ(lobby().find_room(protocol::RoomId{room})->phase, pl::RoomPhase::Waiting);
    EXPECT_EQ(out.to<pl::MatchEnded>(b).size(), 1u);
    lobby().on_match_ended(right); // twice: no second MatchEnded
    EXPECT_EQ(out.to<pl::MatchEnded>(b).size(), 1u);
}

TEST_F(LobbyRules, RoomListPutsJoinableRoomsFirstAndIsCapped) {
    std::vector<SessionId> hosts;
    for (int i = 0; i < 130; ++i) {
        hosts.push_back(connect("p" + std::to_string(i)));
        create(hosts.back());
    }
    auto guest = connect("guest");
    const auto first_room = out.last<pl::RoomState>(hosts[0])->room_id;
    say(guest, pl::JoinRoom{first_room});
    say(hosts[0], pl::StartMatch{}); // running, and still joinable (join in progress)
    say(guest, pl::ListRooms{});
    auto list = out.last<pl::RoomList>(guest);
    ASSERT_TRUE(list);
    EXPECT_EQ(list->total_rooms, 130u);
    EXPECT_EQ(list->rooms.size(), pl::kMaxListedRooms);
    EXPECT_EQ(list->rooms.front().room_id, first_room);
    EXPECT_EQ(list->rooms.front().phase, pl::RoomPhase::InMatch);
}

TEST_F(LobbyRules, DecodeFailuresBeforeHelloClose) {
    const SessionId s{77};
    lobby().on_connect(s, clock.now());
    lobby().on_bad_message(s, {pl::LobbyDecodeError::BadSettings, pl::MessageKind::CreateRoom}, clock.now());
    ASSERT_EQ(out.closed.size(), 1u);
    EXPECT_EQ(out.closed[0].second.code, pl::ErrorCode::NotWelcomed);
}

TEST_F(LobbyRules, ABadNameInHelloIsAnsweredNotClosed) {
    const SessionId s{78};
    lobby().on_connect(s, clock.now());
    lobby().on_bad_message(s, {pl::LobbyDecodeError::BadName, pl::MessageKind::Hello}, clock.now());
    EXPECT_TRUE(out.closed.empty());
    EXPECT_EQ(out.last_error(s), pl::ErrorCode::BadName);
    say(s, pl::Hello{protocol::kProtocolVersion, "fixed"});
    EXPECT_EQ(out.to<pl::Welcome>(s).size(), 1u);
}

TEST_F(LobbyRules, StructuralDecodeFailuresClose) {
    auto a = connect("a");
    lobby().on_bad_message(a, {pl::LobbyDecodeError::NotVerified, pl::MessageKind::None}, clock.now());
    ASSERT_EQ(out.closed.size(), 1u);
    EXPECT_EQ(out.closed[0].second.code, pl::ErrorCode::BadFrame);
}

TEST_F(LobbyRules, DisconnectingFreesTheName) {
    auto a = connect("Zed");
    lobby().on_disconnect(a);
    EXPECT_EQ(lobby().player_count(), 0u);
    auto b = connect("zed");
    EXPECT_EQ(out.to<pl::Welcome>(b).size(), 1u);
    lobby().on_disconnect(SessionId{12345}); // unknown: ignored
}

TEST_F(LobbyRules, StatsRequestsAreAnsweredFromTheResultsSourceOrSayThereIsNone) {
    auto a = connect("a");
    say(a, pl::GetStats{0, 10, ""});
    say(a, pl::GetRecentMatches{0, 10});
    ASSERT_TRUE(out.last<pl::Stats>(a));
    EXPECT_FALSE(out.last<pl::Stats>(a)->available) << "no database: nothing kept";
    EXPECT_FALSE(out.last<pl::RecentMatches>(a)->available);

    struct FakeResults final : server::ResultsSource {
        pl::GetStats asked_stats;
        pl::Stats stats(const pl::GetStats& request) override {
            asked_stats = request;
            return {true, {{"ada", 1, 3, 2, 9, 4, 30, 12}}, 1};
        }
        pl::RecentMatches recent_matches(const pl::GetRecentMatches&) override { return {true, {}, 0}; }
    } results;
    config.results = &results;
    auto b = connect("b");
    say(b, pl::GetStats{5, 7, "ada"});
    EXPECT_EQ(results.asked_stats, (pl::GetStats{5, 7, "ada"}));
    EXPECT_EQ(out.last<pl::Stats>(b)->players.at(0).name, "ada");
    say(b, pl::GetRecentMatches{0, 1});
    EXPECT_TRUE(out.last<pl::RecentMatches>(b)->available);
}
