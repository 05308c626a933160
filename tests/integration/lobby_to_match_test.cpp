// The whole path a player takes, on a real server (lobby + game port on one
// port number): Hello, create and join a room, chat, ready, MatchStart with a
// token each, the match on the game port until its frag limit, the scoreboard,
// and back in the room with the results. Also joining a match in progress,
// getting back into one after a crash (reconnect), watching one as a
// spectator, and what an administrator does to a running match (say, map,
// kick, end).
#include "client/bots/bot.hpp"
#include "client/core/player_session.hpp"
#include "server/server.hpp"
#include "shared/sim/quantise.hpp"
#include "support/test_maps.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <thread>

using namespace skirmish;
using namespace std::chrono_literals;
namespace lobby = protocol::lobby;

namespace {

// One player: the client core's PlayerSession (a lobby connection, and a game
// connection once the match starts), and what the lobby said.
struct Player {
    client::PlayerSession session;
    std::vector<lobby::ServerMessage> inbox;
    std::optional<lobby::MatchStart> start;
    bool hold_game = false; // keep the token unused: the test presents it to the game port itself
    std::optional<client::Disconnected> gone; // how the lobby connection ended

    Player(const net::EnetLibrary& enet, asio::io_context& io, const util::Logger& log)
        : session(enet, io, client::PlayerSessionOptions{}, log) {}

    client::GameClient* game() { return session.game(); }

    template <typename T>
    const T* last() const {
        for (auto it = inbox.rbegin(); it != inbox.rend(); ++it) {
            if (const T* m = std::get_if<T>(&*it)) return m;
        }
        return nullptr;
    }
};

class World {
public:
    explicit World(std::vector<sim::Map> maps = {*test::open_map()})
        : enet_(net::EnetLibrary::initialize().value()), log_("test", util::LogLevel::Warn) {
        server::ServerConfig config;
        config.bind_address = "127.0.0.1";
        config.port = 0;
        config.maps = std::move(maps);
        config.game.match_linger = 300ms;
        config.shutdown_grace = 300ms;
        server_ = server::Server::start(enet_, config, log_).value();
    }

    Player& add(const std::string& name, const client::RejoinTicket& rejoin = {}) {
        players_.push_back(std::make_unique<Player>(enet_, io_, log_));
        players_.back()->session.connect("127.0.0.1", server_->port(), name, "", rejoin);
        return *players_.back();
    }

    // Runs everyone (lobby events, game updates with `intent`) until `done`.
    bool run_until(std::chrono::milliseconds limit, const std::function<bool()>& done,
                   const std::function<client::InputIntent(Player&)>& intent = {},
                   const std::function<void(util::TimePoint)>& also = {}) {
        const auto end = std::chrono::steady_clock::now() + limit;
        while (std::chrono::steady_clock::now() < end) {
            io_.poll();
            const auto now = std::chrono::steady_clock::now();
            for (auto& p : players_) {
                while (auto event = p->session.next_event(now)) {
                    if (auto* m = std::get_if<lobby::ServerMessage>(&*event)) p->inbox.push_back(std::move(*m));
                    if (auto* started = std::get_if<client::GameStarted>(&*event)) {
                        p->start = started->start;
                        if (p->hold_game) p->session.end_game(); // before it sent anything: the test presents the token
                    }
                    if (auto* refused = std::get_if<client::GameNotStarted>(&*event)) ADD_FAILURE() << refused->text;
                    if (auto* ended = std::get_if<client::Disconnected>(&*event)) p->gone = *ended;
                }
                p->session.update_game(now, intent ? intent(*p) : client::InputIntent{});
            }
            if (also) also(now);
            if (done()) return true;
            std::this_thread::sleep_for(1ms); // frame pacing, not synchronisation
        }
        return done();
    }

    server::Server& server() { return *server_; }
    asio::io_context& io() { return io_; }
    const net::EnetLibrary& enet() const { return enet_; }
    std::vector<std::unique_ptr<Player>>& players() { return players_; }

private:
    net::EnetLibrary enet_;
    util::Logger log_;
    asio::io_context io_;
    std::unique_ptr<server::Server> server_;
    std::vector<std::unique_ptr<Player>> players_;
};

// Aim at the nearest other player and hold the trigger.
client::InputIntent fight(Player& p) {
    client::InputIntent in;
    if (!p.game()) return in;
    const auto& view = p.game()->view();
    const auto* me = view.local();
    float best = 1e9f;
    for (const auto& other : view.players) {
        if (other.local || !me || !other.state.alive) continue;
        const sim::Vec2 d = other.state.position - me->state.position;
        if (sim::length(d) < best) {
            best = sim::length(d);
            in.aim = sim::aim_from_radians(std::atan2(d.y, d.x));
            in.fire = true;
        }
    }
    return in;
}

} // namespace

TEST(LobbyToMatch, CreateJoinChatReadyPlayToTheScoreboardAndBack) {
    World w;
    Player& host = w.add("host");
    Player& guest = w.add("guest");
    Player& third = w.add("third");
    ASSERT_TRUE(w.run_until(5s, [&] { return host.session.lobby_state() == client::LobbyState::Ready &&
                                             guest.session.lobby_state() == client::LobbyState::Ready &&
                                             third.session.lobby_state() == client::LobbyState::Ready; }));

    lobby::CreateRoom create;
    create.name = "duel";
    create.settings.map = "open";
    create.settings.max_players = 3;
    create.settings.frag_limit = 1;
    create.settings.time_limit_s = 60;
    host.session.send(create);
    ASSERT_TRUE(w.run_until(5s, [&] { return host.last<lobby::RoomState>() != nullptr; }));
    const std::uint32_t room = host.last<lobby::RoomState>()->room_id;

    guest.session.send(lobby::ListRooms{});
    ASSERT_TRUE(w.run_until(5s, [&] { return guest.last<lobby::RoomList>() != nullptr; }));
    ASSERT_EQ(guest.last<lobby::RoomList>()->rooms.size(), 1u);
    EXPECT_EQ(guest.last<lobby::RoomList>()->rooms[0].name, "duel");
    guest.session.send(lobby::JoinRoom{room});
    third.session.send(lobby::JoinRoom{room});
    ASSERT_TRUE(w.run_until(5s, [&] {
        const auto* state = host.last<lobby::RoomState>();
        return state && state->members.size() == 3;
    }));

    host.session.send(lobby::Chat{"good luck"});
    ASSERT_TRUE(w.run_until(5s, [&] {
        const auto* chat = third.last<lobby::ChatMessage>();
        return chat && chat->text == "good luck" && chat->from_name == "host";
    }));

    for (Player* p : {&host, &guest, &third}) p->session.send(lobby::SetReady{true});
    ASSERT_TRUE(w.run_until(5s, [&] { return host.start && guest.start && third.start; }));
    EXPECT_NE(host.start->connect_token, guest.start->connect_token);
    EXPECT_NE(guest.start->connect_token, third.start->connect_token);
    EXPECT_EQ(host.start->port, w.server().port()); // the game port shares the lobby's number
    EXPECT_EQ(host.start->settings.frag_limit, 1);

    // Everyone in the match, all seeing all.
    ASSERT_TRUE(w.run_until(10s, [&] {
        for (auto& p : w.players()) {
            if (!p->game() || p->game()->state() != client::ConnectionState::InMatch || p->game()->view().players.size() != 3)
                return false;
        }
        return true;
    }));
    // They fight until the frag limit ends it; everyone sees the scoreboard.
    ASSERT_TRUE(w.run_until(30s, [&] {
        for (auto& p : w.players()) {
            if (!p->game()->view().results) return false;
        }
        return true;
    }, fight));
    const protocol::MatchResults results = *host.game()->view().results;
    EXPECT_EQ(results.reason, protocol::MatchEndReason::FragLimit);
    ASSERT_EQ(results.scores.size(), 3u);
    EXPECT_EQ(results.scores[0].frags, 1);

    // Back in the room: the lobby has the same results and the room waits again.
    ASSERT_TRUE(w.run_until(10s, [&] {
        const auto* ended = third.last<lobby::MatchEnded>();
        const auto* state = third.last<lobby::RoomState>();
        return ended && state && state->phase == lobby::RoomPhase::Waiting && state->last_results;
    }));
    EXPECT_EQ(third.last<lobby::MatchEnded>()->results.scores, results.scores);
    EXPECT_EQ(third.last<lobby::RoomState>()->last_results->match_id, results.match_id);
    ASSERT_TRUE(w.run_until(5s, [&] { return host.game()->state() == client::ConnectionState::Disconnected; }));
    EXPECT_EQ(host.game()->view().status, "the match is over");
}

TEST(LobbyToMatch, APlayerJoiningARunningMatchDropsIn) {
    World w;
    Player& a = w.add("a");
    Player& b = w.add("b");
    ASSERT_TRUE(w.run_until(5s, [&] { return a.session.lobby_state() == client::LobbyState::Ready &&
                                             b.session.lobby_state() == client::LobbyState::Ready; }));
    lobby::CreateRoom create;
    create.name = "open room";
    create.settings.map = "open";
    create.settings.max_players = 4;
    a.session.send(create);
    ASSERT_TRUE(w.run_until(5s, [&] { return a.last<lobby::RoomState>() != nullptr; }));
    b.session.send(lobby::JoinRoom{a.last<lobby::RoomState>()->room_id});
    ASSERT_TRUE(w.run_until(5s, [&] { const auto* s = a.last<lobby::RoomState>(); return s && s->members.size() == 2; }));
    a.session.send(lobby::StartMatch{}); // the host starts without waiting for ready
    ASSERT_TRUE(w.run_until(10s, [&] {
        return a.game() && b.game() && a.game()->state() == client::ConnectionState::InMatch &&
               b.game()->state() == client::ConnectionState::InMatch;
    }));

    Player& late = w.add("late");
    ASSERT_TRUE(w.run_until(5s, [&] { return late.session.lobby_state() == client::LobbyState::Ready; }));
    late.session.send(lobby::QuickPlay{4}); // the fullest room with room: the running one
    ASSERT_TRUE(w.run_until(10s, [&] {
        return late.start && late.game() && late.game()->state() == client::ConnectionState::InMatch &&
               late.game()->view().players.size() == 3;
    }));
    EXPECT_TRUE(late.start->in_progress);
    EXPECT_EQ(late.start->match_id, a.start->match_id);
    ASSERT_TRUE(w.run_until(5s, [&] { return a.game()->view().players.size() == 3; }));
}

// Issue 11 item 9: a friend takes a spectator seat in a room whose match is
// running (and takes no joiners), watches it to its end without an entity of
// their own, and is on the players' scoreboard.
TEST(LobbyToMatch, AFriendWatchesARunningMatchToItsEnd) {
    World w;
    Player& a = w.add("a");
    Player& b = w.add("b");
    Player& friend_ = w.add("friend");
    ASSERT_TRUE(w.run_until(5s, [&] {
        for (auto& p : w.players())
            if (p->session.lobby_state() != client::LobbyState::Ready) return false;
        return true;
    }));
    lobby::CreateRoom create;
    create.name = "final";
    create.settings.map = "open";
    create.settings.max_players = 2;
    create.settings.frag_limit = 1;
    create.settings.join_in_progress = false;
    create.settings.spectator_slots = 1;
    a.session.send(create);
    ASSERT_TRUE(w.run_until(5s, [&] { return a.last<lobby::RoomState>() != nullptr; }));
    const std::uint32_t room = a.last<lobby::RoomState>()->room_id;
    b.session.send(lobby::JoinRoom{room});
    ASSERT_TRUE(w.run_until(5s, [&] { const auto* s = a.last<lobby::RoomState>(); return s && s->members.size() == 2; }));
    a.session.send(lobby::StartMatch{});
    ASSERT_TRUE(w.run_until(10s, [&] {
        return a.game() && b.game() && a.game()->state() == client::ConnectionState::InMatch &&
               b.game()->state() == client::ConnectionState::InMatch;
    }));

    friend_.session.send(lobby::ListRooms{});
    ASSERT_TRUE(w.run_until(5s, [&] { return friend_.last<lobby::RoomList>() != nullptr; }));
    ASSERT_EQ(friend_.last<lobby::RoomList>()->rooms.size(), 1u);
    EXPECT_EQ(friend_.last<lobby::RoomList>()->rooms[0].spectators, 0);
    friend_.session.send(lobby::JoinRoom{room, true});
    ASSERT_TRUE(w.run_until(10s, [&] {
        return friend_.game() && friend_.game()->state() == client::ConnectionState::InMatch &&
               friend_.game()->view().players.size() == 2;
    }));
    ASSERT_TRUE(friend_.start);
    EXPECT_TRUE(friend_.start->spectator);
    EXPECT_TRUE(friend_.start->in_progress);
    EXPECT_TRUE(friend_.game()->view().spectating);
    EXPECT_EQ(friend_.game()->view().local(), nullptr);
    const auto* state = a.last<lobby::RoomState>();
    ASSERT_TRUE(w.run_until(5s, [&] {
        state = a.last<lobby::RoomState>();
        return state && state->members.size() == 3;
    }));
    EXPECT_TRUE(state->members[2].spectator);
    EXPECT_TRUE(state->members[2].in_match);
    ASSERT_TRUE(w.run_until(5s, [&] { return a.game()->view().spectators.size() == 1; }));
    EXPECT_EQ(a.game()->view().spectators[0].second, "friend");

    // They fight to the frag limit; the friend sees it all and the scoreboard.
    ASSERT_TRUE(w.run_until(30s, [&] { return friend_.game()->view().results.has_value(); }, fight));
    const protocol::MatchResults& results = *friend_.game()->view().results;
    EXPECT_EQ(results.reason, protocol::MatchEndReason::FragLimit);
    EXPECT_EQ(results.scores.size(), 2u);
    for (const auto& s : results.scores) EXPECT_NE(s.name, "friend");
    EXPECT_EQ(friend_.game()->stats().snapshots_undecodable, 0u);
}

// Issue 10 item 9: a connect token is good only while its player is still in
// the room and connected to the lobby, and only the newest one sealed for it:
// leaving the room or the lobby withdraws it, and leaving and rejoining cannot
// farm tokens. Each refusal is the game port's Rejected, seen by a real client.
TEST(LobbyToMatch, ATokenIsWithdrawnWhenItsPlayerLeavesTheRoomOrTheLobby) {
    World w;
    Player& a = w.add("a");
    Player& b = w.add("b");
    Player& c = w.add("c");
    b.hold_game = c.hold_game = true;
    ASSERT_TRUE(w.run_until(5s, [&] {
        return a.session.lobby_state() == client::LobbyState::Ready && b.session.lobby_state() == client::LobbyState::Ready &&
               c.session.lobby_state() == client::LobbyState::Ready;
    }));
    lobby::CreateRoom create;
    create.name = "withdrawals";
    create.settings.map = "open";
    create.settings.max_players = 4;
    a.session.send(create);
    ASSERT_TRUE(w.run_until(5s, [&] { return a.last<lobby::RoomState>() != nullptr; }));
    const std::uint32_t room = a.last<lobby::RoomState>()->room_id;
    b.session.send(lobby::JoinRoom{room});
    c.session.send(lobby::JoinRoom{room});
    ASSERT_TRUE(w.run_until(5s, [&] { const auto* s = a.last<lobby::RoomState>(); return s && s->members.size() == 3; }));
    a.session.send(lobby::StartMatch{});
    ASSERT_TRUE(w.run_until(10s, [&] {
        return a.game() && a.game()->state() == client::ConnectionState::InMatch && b.start && c.start;
    }));

    // Presents a token on the game port as a client would; returns what the client ends in.
    const auto present = [&](const lobby::MatchStart& start) {
        auto game = std::make_unique<client::GameClient>(w.enet(), client::ClientOptions{}, util::Logger("t", util::LogLevel::Off));
        EXPECT_TRUE(game->connect({"127.0.0.1", start.port, start.connect_token, "x"}, std::chrono::steady_clock::now())
                        .has_value());
        w.run_until(5s, [&] {
            return game->state() == client::ConnectionState::InMatch || game->state() == client::ConnectionState::Disconnected;
        }, {}, [&](util::TimePoint now) { game->update(now, {}); });
        return game;
    };

    // b leaves the room: the token it was given no longer opens the match.
    const lobby::MatchStart b_first = *b.start;
    b.session.send(lobby::LeaveRoom{});
    ASSERT_TRUE(w.run_until(5s, [&] { return b.last<lobby::LeftRoom>() != nullptr; }));
    auto refused = present(b_first);
    EXPECT_EQ(refused->state(), client::ConnectionState::Disconnected);
    EXPECT_NE(refused->view().status.find("withdrawn"), std::string::npos) << refused->view().status;

    // b joins again and gets a new token: the old one stays withdrawn, the new one plays.
    b.start.reset();
    b.session.send(lobby::JoinRoom{room});
    ASSERT_TRUE(w.run_until(5s, [&] { return b.start.has_value(); }));
    EXPECT_NE(b.start->connect_token, b_first.connect_token);
    refused = present(b_first);
    EXPECT_NE(refused->view().status.find("withdrawn"), std::string::npos) << refused->view().status;
    auto admitted = present(*b.start);
    EXPECT_EQ(admitted->state(), client::ConnectionState::InMatch) << admitted->view().status;

    // c closes its lobby connection: its token is withdrawn with it.
    const lobby::MatchStart c_start = *c.start;
    c.session.close();
    ASSERT_TRUE(w.run_until(5s, [&] { const auto* s = a.last<lobby::RoomState>(); return s && s->members.size() == 2; }));
    refused = present(c_start);
    EXPECT_NE(refused->view().status.find("withdrawn"), std::string::npos) << refused->view().status;
}

// A match that has run for 30 s (well over the 1,024 ticks that once made a
// newcomer's snapshot header undecodable): a player joining by quick play and
// a bot joining the same way both receive every snapshot, at the full rate.
TEST(LobbyToMatch, APlayerAndABotJoiningAMatchThirtySecondsInGetEverySnapshot) {
    World w;
    Player& a = w.add("a");
    Player& b = w.add("b");
    ASSERT_TRUE(w.run_until(5s, [&] { return a.session.lobby_state() == client::LobbyState::Ready &&
                                             b.session.lobby_state() == client::LobbyState::Ready; }));
    lobby::CreateRoom create;
    create.name = "long match";
    create.settings.map = "open";
    create.settings.max_players = 4;
    create.settings.time_limit_s = 600;
    a.session.send(create);
    ASSERT_TRUE(w.run_until(5s, [&] { return a.last<lobby::RoomState>() != nullptr; }));
    b.session.send(lobby::JoinRoom{a.last<lobby::RoomState>()->room_id});
    ASSERT_TRUE(w.run_until(5s, [&] { const auto* s = a.last<lobby::RoomState>(); return s && s->members.size() == 2; }));
    a.session.send(lobby::StartMatch{});
    ASSERT_TRUE(w.run_until(10s, [&] {
        return a.game() && b.game() && a.game()->state() == client::ConnectionState::InMatch &&
               b.game()->state() == client::ConnectionState::InMatch;
    }));
    const auto match_started = std::chrono::steady_clock::now();
    // The match runs; a and b stay in it (they idle, so nobody reaches the frag limit).
    w.run_until(30s, [&] { return std::chrono::steady_clock::now() - match_started >= 30s; });
    ASSERT_EQ(a.game()->state(), client::ConnectionState::InMatch);
    ASSERT_GT(a.game()->latest_snapshot()->tick, 30u * 60u - 120u);

    Player& late = w.add("late");
    bots::BotOptions options;
    options.server_port = w.server().port();
    options.name = "late-bot";
    options.room_size = 4;
    bots::Bot bot(w.enet(), w.io(), options, util::Logger("bot", util::LogLevel::Warn));
    bot.start();
    bots::LiveWindow window;
    const auto drive_bot = [&](util::TimePoint now) { bot.update(now, window); };
    ASSERT_TRUE(w.run_until(5s, [&] { return late.session.lobby_state() == client::LobbyState::Ready; }, {}, drive_bot));
    late.session.send(lobby::QuickPlay{4});
    // Both get in, and within 2 s of being accepted snapshots arrive at the full rate.
    ASSERT_TRUE(w.run_until(10s, [&] {
        return late.game() && late.game()->state() == client::ConnectionState::InMatch &&
               bot.state() == bots::BotState::Match;
    }, {}, drive_bot));
    EXPECT_EQ(late.start->match_id, a.start->match_id);
    ASSERT_TRUE(w.run_until(2s, [&] { return late.game()->stats().snapshot_rate_hz >= 29; }, {}, drive_bot))
        << "snapshots/s " << late.game()->stats().snapshot_rate_hz << ", undecodable "
        << late.game()->stats().snapshots_undecodable;
    // The bot counts snapshots once settled (1 s after it got in).
    ASSERT_TRUE(w.run_until(3s, [&] { return window.snapshots > 0; }, {}, drive_bot));

    // Over the next 3 s: every snapshot the server sent arrives and decodes,
    // for both: as many as the server ticks covered make (one every two
    // ticks), with no gap. Counted by tick, not by the wall clock, so a
    // loaded machine that delays them does not fail the test.
    const std::uint64_t before = late.game()->stats().snapshots_received;
    const sim::Tick first_tick = late.game()->latest_snapshot()->tick;
    const std::uint64_t bot_before = window.snapshots;
    const auto window_start = std::chrono::steady_clock::now();
    w.run_until(3s, [&] { return std::chrono::steady_clock::now() - window_start >= 3s; }, {}, drive_bot);
    const auto& stats = late.game()->stats();
    const sim::Tick last_tick = late.game()->latest_snapshot()->tick;
    ASSERT_GT(last_tick, first_tick + 60);
    EXPECT_EQ(stats.snapshots_received - before, (last_tick - first_tick) / 2) << "one snapshot every 2 ticks";
    EXPECT_EQ(stats.snapshots_lost, 0u);
    EXPECT_EQ(stats.snapshots_undecodable, 0u);
    EXPECT_GT(window.snapshots - bot_before, 30u);
    EXPECT_EQ(bot.metrics().snapshots_lost, 0u);
    EXPECT_EQ(bot.metrics().disconnects, 0u);
    ASSERT_NE(bot.state(), bots::BotState::Failed) << bot.metrics().last_problem;
    bot.stop();
}

// Issue 11 item 8: a player whose client dies mid-match (no LeaveRoom, no
// game goodbye: its lobby connection closes and its game connection just
// stops) comes back on new connections with its name and the MatchStart's
// reconnect secret, and is the same player in the same match with its score.
// A wrong secret is refused; once the match is over, so is the right one.
TEST(LobbyToMatch, APlayerWhoseClientDiedRejoinsItsMatchWithItsScore) {
    World w;
    Player& a = w.add("a");
    Player& b = w.add("b");
    ASSERT_TRUE(w.run_until(5s, [&] { return a.session.lobby_state() == client::LobbyState::Ready &&
                                             b.session.lobby_state() == client::LobbyState::Ready; }));
    lobby::CreateRoom create;
    create.name = "rejoin";
    create.settings.map = "open";
    create.settings.max_players = 4;
    create.settings.frag_limit = 5;
    create.settings.time_limit_s = 120;
    a.session.send(create);
    ASSERT_TRUE(w.run_until(5s, [&] { return a.last<lobby::RoomState>() != nullptr; }));
    b.session.send(lobby::JoinRoom{a.last<lobby::RoomState>()->room_id});
    bots::BotOptions options;
    options.server_port = w.server().port();
    options.name = "rejoin-bot";
    options.room_size = 4;
    bots::Bot bot(w.enet(), w.io(), options, util::Logger("bot", util::LogLevel::Warn));
    bot.start();
    bots::LiveWindow window;
    const auto drive_bot = [&](util::TimePoint now) { bot.update(now, window); };
    ASSERT_TRUE(w.run_until(10s, [&] { const auto* s = a.last<lobby::RoomState>(); return s && s->members.size() == 3; },
                            {}, drive_bot));
    a.session.send(lobby::StartMatch{});
    // The bot fights (a and b stand, so nobody nears the frag limit) until b
    // has a score worth keeping; after b is back, everyone fights to the end.
    const auto score = [](Player& p) -> std::optional<std::pair<int, int>> {
        if (!p.game() || p.game()->state() != client::ConnectionState::InMatch) return std::nullopt;
        const auto* me = p.game()->view().local();
        if (!me) return std::nullopt;
        return std::pair<int, int>{me->state.frags, me->state.deaths};
    };
    ASSERT_TRUE(w.run_until(30s, [&] {
        const auto s = score(b);
        return s && s->first + s->second > 0 && bot.state() == bots::BotState::Match;
    }, {}, drive_bot));
    const auto kept = *score(b);
    const sim::PlayerId b_id = b.session.player_id();
    const lobby::MatchStart first = *b.start;
    ASSERT_EQ(first.reconnect_secret.size(), lobby::kReconnectSecretBytes);

    // b's client dies: the game connection goes silent, the lobby connection closes.
    b.session.end_game();
    b.session.close();
    ASSERT_TRUE(w.run_until(5s, [&] { const auto* s = a.last<lobby::RoomState>(); return s && s->members.size() == 2; },
                            {}, drive_bot));

    // Back with the secret: the same player id, room and match, and at least the score it had.
    Player& back = w.add("b", {first.match_id, first.reconnect_secret});
    ASSERT_TRUE(w.run_until(10s, [&] {
        const auto s = score(back);
        return s && back.game()->view().players.size() == 3;
    }, {}, drive_bot)) << (back.gone ? back.gone->text : "");
    EXPECT_EQ(back.session.player_id(), b_id);
    EXPECT_EQ(back.start->match_id, first.match_id);
    EXPECT_TRUE(back.start->in_progress);
    EXPECT_NE(back.start->reconnect_secret, first.reconnect_secret);
    const auto now_score = *score(back);
    EXPECT_GE(now_score.first, kept.first);
    EXPECT_GE(now_score.second, kept.second);
    ASSERT_TRUE(w.run_until(5s, [&] {
        const auto* s = a.last<lobby::RoomState>();
        if (!s || s->members.size() != 3) return false;
        for (const auto& m : s->members) {
            if (m.player_id == sim::to_int(b_id)) return m.in_match;
        }
        return false;
    }, fight, drive_bot)) << "b is a member again, in the match";

    // A wrong secret is refused with the reason.
    std::vector<std::uint8_t> wrong = back.start->reconnect_secret;
    wrong[7] ^= 0x10;
    Player& guess = w.add("b", {first.match_id, wrong});
    ASSERT_TRUE(w.run_until(5s, [&] { return guess.gone.has_value(); }, fight, drive_bot));
    EXPECT_EQ(guess.gone->reason, client::LobbyDisconnect::RejoinRefused);
    EXPECT_EQ(guess.gone->code, lobby::ErrorCode::ReconnectRefused);
    EXPECT_NE(guess.gone->text.find("the secret is wrong"), std::string::npos) << guess.gone->text;

    // The match plays on to its frag limit; then even the right secret is expired.
    ASSERT_TRUE(w.run_until(60s, [&] { return a.last<lobby::MatchEnded>() != nullptr; }, fight, drive_bot));
    Player& late = w.add("b", {first.match_id, back.start->reconnect_secret});
    ASSERT_TRUE(w.run_until(5s, [&] { return late.gone.has_value(); }, fight, drive_bot));
    EXPECT_EQ(late.gone->code, lobby::ErrorCode::ReconnectExpired);
    EXPECT_NE(late.gone->text.find("is over"), std::string::npos) << late.gone->text;
}

// A rejoin whose room filled up while the player was away is refused with
// RoomFull at once (not after the client's 5 s wait for Welcome), and the
// player keeps nothing to rejoin.
TEST(LobbyToMatch, ARejoinIntoARoomThatFilledUpIsRefusedAtOnce) {
    World w;
    Player& a = w.add("a");
    Player& b = w.add("b");
    Player& c = w.add("c");
    ASSERT_TRUE(w.run_until(5s, [&] {
        for (auto& p : w.players())
            if (p->session.lobby_state() != client::LobbyState::Ready) return false;
        return true;
    }));
    lobby::CreateRoom create;
    create.name = "pair";
    create.settings.map = "open";
    create.settings.max_players = 2;
    a.session.send(create);
    ASSERT_TRUE(w.run_until(5s, [&] { return a.last<lobby::RoomState>() != nullptr; }));
    const std::uint32_t room = a.last<lobby::RoomState>()->room_id;
    b.session.send(lobby::JoinRoom{room});
    ASSERT_TRUE(w.run_until(5s, [&] { const auto* s = a.last<lobby::RoomState>(); return s && s->members.size() == 2; }));
    a.session.send(lobby::StartMatch{});
    ASSERT_TRUE(w.run_until(10s, [&] { return b.start.has_value(); }));
    const lobby::MatchStart first = *b.start;
    b.session.end_game(); // b's client dies
    b.session.close();
    ASSERT_TRUE(w.run_until(5s, [&] { const auto* s = a.last<lobby::RoomState>(); return s && s->members.size() == 1; }));
    c.session.send(lobby::JoinRoom{room}); // takes b's place
    ASSERT_TRUE(w.run_until(5s, [&] { const auto* s = a.last<lobby::RoomState>(); return s && s->members.size() == 2; }));

    Player& back = w.add("b", {first.match_id, first.reconnect_secret});
    const auto asked = std::chrono::steady_clock::now();
    ASSERT_TRUE(w.run_until(5s, [&] { return back.gone.has_value(); }));
    EXPECT_LT(std::chrono::steady_clock::now() - asked, 2s) << "answered, not timed out";
    EXPECT_EQ(back.gone->reason, client::LobbyDisconnect::RejoinRefused);
    EXPECT_EQ(back.gone->code, lobby::ErrorCode::RoomFull);
    EXPECT_NE(back.gone->text.find("filled up"), std::string::npos) << back.gone->text;
}

// Administration reaching a running match, as the console (or skirmish-admin)
// runs it: `say` reaches every player in the lobby, `map` picks the room's next
// map, `kick` closes the player's lobby connection with the reason, takes it
// out of the match (the others see it leave) and drops its seat, so its
// reconnect secret is refused, and drops the seat of a player whose client
// died before the kick; `end` ends the match now, and the room's
// players get the scoreboard with end reason ServerShutdown.
TEST(LobbyToMatch, AnAdministratorSaysPicksTheNextMapKicksAPlayerAndEndsTheMatch) {
    World w({*test::open_map(), *test::wall_map()});
    Player& a = w.add("a");
    Player& b = w.add("b");
    Player& c = w.add("c");
    Player& idle = w.add("idle"); // in the lobby, not in the room
    ASSERT_TRUE(w.run_until(5s, [&] { return a.session.lobby_state() == client::LobbyState::Ready &&
                                             b.session.lobby_state() == client::LobbyState::Ready &&
                                             c.session.lobby_state() == client::LobbyState::Ready &&
                                             idle.session.lobby_state() == client::LobbyState::Ready; }));
    lobby::CreateRoom create;
    create.name = "admin";
    create.settings.map = "open";
    create.settings.max_players = 4;
    create.settings.frag_limit = 50;
    create.settings.time_limit_s = 120;
    a.session.send(create);
    ASSERT_TRUE(w.run_until(5s, [&] { return a.last<lobby::RoomState>() != nullptr; }));
    const std::uint32_t room = a.last<lobby::RoomState>()->room_id;
    b.session.send(lobby::JoinRoom{room});
    c.session.send(lobby::JoinRoom{room});
    ASSERT_TRUE(w.run_until(5s, [&] { const auto* s = a.last<lobby::RoomState>(); return s && s->members.size() == 3; }));
    a.session.send(lobby::StartMatch{});
    ASSERT_TRUE(w.run_until(10s, [&] {
        return a.game() && b.game() && c.game() && a.game()->state() == client::ConnectionState::InMatch &&
               b.game()->state() == client::ConnectionState::InMatch && a.game()->view().players.size() == 3;
    }));
    const lobby::MatchStart b_start = *b.start;
    const lobby::MatchStart c_start = *c.start;
    const std::uint32_t room_id = room;

    const auto said = w.server().run_admin("say the final starts in five minutes", "console");
    ASSERT_TRUE(said.ok) << said.text;
    EXPECT_EQ(said.text, "said to 4 players");
    const auto heard = [](Player& p) {
        const auto* chat = p.last<lobby::ChatMessage>();
        return chat && chat->from_player_id == 0 && chat->from_name == "server" &&
               chat->text == "the final starts in five minutes";
    };
    ASSERT_TRUE(w.run_until(5s, [&] { return heard(a) && heard(b) && heard(c) && heard(idle); }));

    const auto no_map = w.server().run_admin(fmt::format("map nowhere {}", room_id), "console");
    EXPECT_FALSE(no_map.ok);
    EXPECT_NE(no_map.text.find("there is no map 'nowhere' on this server (there are: open, wall)"), std::string::npos)
        << no_map.text;
    const auto map = w.server().run_admin(fmt::format("map wall {}", room_id), "console");
    ASSERT_TRUE(map.ok) << map.text;
    EXPECT_EQ(map.text, fmt::format("room {}'s next match plays wall", room_id));

    // c's client dies: its seat is kept for a rejoin, but a kick by name drops it.
    c.session.end_game();
    c.session.close();
    ASSERT_TRUE(w.run_until(5s, [&] { const auto* s = a.last<lobby::RoomState>(); return s && s->members.size() == 2; }));
    const auto kick_gone = w.server().run_admin("kick c afk", "console");
    ASSERT_TRUE(kick_gone.ok) << kick_gone.text;
    EXPECT_EQ(kick_gone.text, "kicked c (no lobby connection)");
    Player& c_back = w.add("c", {c_start.match_id, c_start.reconnect_secret});
    ASSERT_TRUE(w.run_until(5s, [&] { return c_back.gone.has_value(); }, fight));
    EXPECT_EQ(c_back.gone->code, lobby::ErrorCode::ReconnectRefused) << "a kicked player has no seat to rejoin";

    const auto kick = w.server().run_admin("kick B griefing", "console");
    ASSERT_TRUE(kick.ok) << kick.text;
    EXPECT_EQ(kick.text, "kicked b (127.0.0.1)");
    ASSERT_TRUE(w.run_until(5s, [&] { return b.gone.has_value(); }, fight));
    EXPECT_EQ(b.gone->code, lobby::ErrorCode::Kicked);
    EXPECT_NE(b.gone->text.find("kicked by an administrator: griefing"), std::string::npos) << b.gone->text;
    ASSERT_TRUE(w.run_until(5s, [&] { return a.game()->view().players.size() == 1; }, fight))
        << "the others see the kicked player leave the match";
    b.session.close();
    Player& back = w.add("b", {b_start.match_id, b_start.reconnect_secret});
    ASSERT_TRUE(w.run_until(5s, [&] { return back.gone.has_value(); }, fight));
    EXPECT_EQ(back.gone->code, lobby::ErrorCode::ReconnectRefused) << "a kicked player has no seat to rejoin";

    const auto wrong_room = w.server().run_admin("end 999", "console");
    EXPECT_FALSE(wrong_room.ok);
    EXPECT_EQ(wrong_room.text, "end: there is no room 999 ('rooms' lists them)");
    const auto end = w.server().run_admin(fmt::format("end {}", room_id), "console");
    ASSERT_TRUE(end.ok) << end.text;
    ASSERT_TRUE(w.run_until(5s, [&] { return a.last<lobby::MatchEnded>() != nullptr; }, fight));
    const auto& results = a.last<lobby::MatchEnded>()->results;
    EXPECT_EQ(results.reason, protocol::MatchEndReason::ServerShutdown);
    EXPECT_EQ(results.match_id, b_start.match_id);
    EXPECT_LT(results.duration_s, 60.0f);
    ASSERT_TRUE(w.run_until(5s, [&] {
        const auto* s = a.last<lobby::RoomState>();
        return s && s->phase == lobby::RoomPhase::Waiting && s->settings.map == "wall";
    })) << "back in the room, whose next match plays the map the admin picked";
    const auto idle_end = w.server().run_admin(fmt::format("end {}", room_id), "console");
    EXPECT_FALSE(idle_end.ok);
    EXPECT_EQ(idle_end.text, fmt::format("end: room {} has no match running", room_id));
}
