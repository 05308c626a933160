// The game port over loopback with real client cores: tokens, snapshots,
// prediction agreeing with the server, a match to its scoreboard, shutdown.
#include "support/game_harness.hpp"

#include "shared/sim/quantise.hpp"

#include <gtest/gtest.h>

#include <cmath>

using namespace skirmish;
using namespace std::chrono_literals;
using client::ConnectionState;
using test::drive;
using test::GameHarness;

namespace {

std::vector<client::GameClient*> raw(const std::vector<std::unique_ptr<client::GameClient>>& clients) {
    std::vector<client::GameClient*> out;
    for (const auto& c : clients) out.push_back(c.get());
    return out;
}

std::vector<std::unique_ptr<client::GameClient>> join(GameHarness& h, std::uint32_t match, int count,
                                                       client::ClientOptions options = {}) {
    std::vector<std::unique_ptr<client::GameClient>> clients;
    for (int i = 0; i < count; ++i) {
        clients.push_back(h.client(options));
        auto r = clients.back()->connect(h.ticket(static_cast<std::uint32_t>(100 + i), match),
                                         std::chrono::steady_clock::now());
        EXPECT_TRUE(r.has_value());
    }
    return clients;
}

} // namespace

TEST(GamePort, PlayersWithTokensJoinAndReceiveSnapshots) {
    GameHarness h;
    h.start_match(1);
    auto clients = join(h, 1, 4);
    ASSERT_TRUE(drive(raw(clients), 5s, [&] { return test::all_in_match(raw(clients)); }));
    // Everyone sees everyone.
    ASSERT_TRUE(drive(raw(clients), 3s, [&] {
        for (auto& c : clients) {
            if (c->latest_snapshot()->players.size() != 4 || c->view().players.size() != 4) return false;
        }
        return true;
    }));
    // And snapshots keep coming at about the snapshot rate.
    ASSERT_TRUE(drive(raw(clients), 4s, [&] { return clients[0]->stats().snapshot_rate_hz >= 25; }));
    // Exactly one every snapshot interval (2 ticks at 60 Hz and 30 Hz) on
    // loopback: counted in server ticks, since a loaded machine's server
    // catches up after a stall by running the missed ticks back to back, and
    // a one-second window of wall time may then hold more than 30.
    const sim::Tick first = clients[0]->latest_snapshot()->tick;
    const auto received = clients[0]->stats().snapshots_received;
    ASSERT_TRUE(drive(raw(clients), 5s, [&] { return clients[0]->latest_snapshot()->tick >= first + 120; }));
    const sim::Tick last = clients[0]->latest_snapshot()->tick;
    EXPECT_EQ(clients[0]->stats().snapshots_received - received, (last - first) / 2)
        << "snapshots of ticks " << first << " to " << last;
    EXPECT_EQ(clients[0]->stats().snapshots_undecodable, 0u);
    const auto stats = h.server().stats();
    EXPECT_GE(stats.players, 4u);
}

TEST(GamePort, PredictionAgreesWithTheServerOnceInputsAreAcknowledged) {
    GameHarness h;
    h.start_match(1);
    auto clients = join(h, 1, 1);
    auto& c = *clients[0];
    ASSERT_TRUE(drive(raw(clients), 5s, [&] { return test::all_in_match(raw(clients)); }));
    // Run around in a pattern for three seconds.
    int frame = 0;
    ASSERT_FALSE(drive(
        raw(clients), 3s, [] { return false; },
        [&](std::size_t) {
            ++frame;
            client::InputIntent in;
            in.move_x = static_cast<std::int8_t>((frame / 200) % 2 ? 127 : -127);
            in.move_y = static_cast<std::int8_t>((frame / 330) % 2 ? 90 : -90);
            in.aim = static_cast<std::uint16_t>(frame % 4096);
            in.dash = frame % 400 == 0;
            return in;
        }));
    // Once the server has applied every input, its word and our prediction for
    // the same tick are the same bits.
    ASSERT_TRUE(drive(raw(clients), 3s, [&] {
        const auto* s = c.latest_snapshot();
        return s && c.last_applied_input_tick() + 1 >= s->tick && c.predictor()->tick() > s->tick;
    }));
    EXPECT_EQ(c.stats().corrections, 0u) << "largest correction " << c.stats().max_correction;
    const auto stats = h.server().stats();
    EXPECT_EQ(stats.inputs.late, 0u);
    EXPECT_GT(stats.inputs.applied, 100u);
}

TEST(GamePort, AMatchRunsToItsScoreboardAndTheResultsReachTheLobby) {
    server::GameConfig config;
    config.match_linger = 300ms;
    GameHarness h(config, {*test::open_map()}); // no walls between the two spawns
    protocol::MatchSettings settings;
    settings.map = "open";
    settings.frag_limit = 1;
    h.start_match(7, settings);
    auto clients = join(h, 7, 2);
    ASSERT_TRUE(drive(raw(clients), 5s, [&] { return test::all_in_match(raw(clients)); }));
    // Each aims at the other and fires.
    const auto aim_at_other = [&](std::size_t i) {
        client::InputIntent in;
        const auto& view = clients[i]->view();
        const auto* me = view.local();
        for (const auto& p : view.players) {
            if (!p.local && me) {
                const sim::Vec2 d = p.state.position - me->state.position;
                in.aim = sim::aim_from_radians(std::atan2(d.y, d.x));
                in.fire = true;
            }
        }
        return in;
    };
    ASSERT_TRUE(drive(raw(clients), 20s, [&] { return clients[0]->view().results.has_value(); }, aim_at_other));
    const auto& results = *clients[0]->view().results;
    EXPECT_EQ(results.reason, protocol::MatchEndReason::FragLimit);
    ASSERT_EQ(results.scores.size(), 2u);
    EXPECT_GE(results.scores[0].frags, 1);
    ASSERT_TRUE(drive(raw(clients), 5s, [&] { return !h.lobby().ended().empty(); }));
    EXPECT_EQ(h.lobby().ended()[0].match_id, 7u);
    EXPECT_EQ(h.lobby().ended()[0].reason, protocol::MatchEndReason::FragLimit);
    EXPECT_EQ(h.lobby().ended()[0].scores, results.scores);
    // After the scoreboard has been up a moment, the server lets everyone go.
    ASSERT_TRUE(drive(raw(clients), 5s, [&] {
        return clients[0]->state() == ConnectionState::Disconnected && clients[1]->state() == ConnectionState::Disconnected;
    }));
    EXPECT_EQ(clients[0]->view().status, "the match is over");
}

TEST(GamePort, TheStepsEndReasonReachesTheClientsAndTheLobby) {
    // A time limit below the lobby's minimum: only the game port is under test.
    protocol::MatchSettings settings;
    settings.time_limit_s = 1;
    GameHarness h;
    h.start_match(8, settings);
    auto clients = join(h, 8, 1);
    ASSERT_TRUE(drive(raw(clients), 5s, [&] { return clients[0]->view().results.has_value(); }));
    EXPECT_EQ(clients[0]->view().results->reason, protocol::MatchEndReason::TimeLimit);
    ASSERT_TRUE(drive(raw(clients), 2s, [&] { return !h.lobby().ended().empty(); }));
    EXPECT_EQ(h.lobby().ended()[0].reason, protocol::MatchEndReason::TimeLimit);
    EXPECT_EQ(h.lobby().ended()[0], *clients[0]->view().results);
}

TEST(GamePort, TokensAreCheckedBeforeAnythingOfTheMatchIsSent) {
    GameHarness h;
    h.start_match(1);
    struct Case {
        const char* what;
        client::MatchTicket ticket;
        const char* expect;
    };
    auto reused = h.ticket(50, 1);
    auto first = h.client();
    ASSERT_TRUE(first->connect(reused, std::chrono::steady_clock::now()).has_value());
    ASSERT_TRUE(drive({first.get()}, 5s, [&] { return first->state() == ConnectionState::InMatch; }));

    auto tampered = h.ticket(51, 1);
    tampered.token[tampered.token.size() / 2] ^= 1;
    net::TokenClaims other_key_claims{52, 1, 1, "x", test::unix_now_ms() + 10000, 0};
    const net::TokenKey other_key = net::generate_token_key();
    client::MatchTicket wrong_key{"127.0.0.1", h.server().port(),
                                  net::seal_token(other_key_claims, other_key, protocol::kProtocolVersion), "x"};
    std::vector<Case> cases = {
        {"tampered", tampered, "not valid"},
        {"wrong key", wrong_key, "not valid"},
        {"expired", h.ticket(53, 1, 0), "expired"},
        {"reused", reused, "already used"},
        {"unknown match", h.ticket(54, 99), "not running"},
    };
    for (auto& c : cases) {
        auto player = h.client();
        ASSERT_TRUE(player->connect(c.ticket, std::chrono::steady_clock::now()).has_value());
        ASSERT_TRUE(drive({player.get(), first.get()}, 5s,
                          [&] { return player->state() == ConnectionState::Disconnected; }))
            << c.what;
        EXPECT_NE(player->view().status.find(c.expect), std::string::npos) << c.what << ": " << player->view().status;
        EXPECT_EQ(player->latest_snapshot(), nullptr) << c.what;
    }
    // The player who got in is still there.
    EXPECT_EQ(first->state(), ConnectionState::InMatch);
    EXPECT_TRUE(drive({first.get()}, 2s, [&] { return h.server().stats().rejected >= cases.size(); }));
}

TEST(GamePort, AFullMatchTurnsAwayOneMore) {
    GameHarness h;
    protocol::MatchSettings settings;
    settings.max_players = 2;
    h.start_match(1, settings);
    auto clients = join(h, 1, 2);
    ASSERT_TRUE(drive(raw(clients), 5s, [&] { return test::all_in_match(raw(clients)); }));
    auto third = h.client();
    ASSERT_TRUE(third->connect(h.ticket(200, 1), std::chrono::steady_clock::now()).has_value());
    auto all = raw(clients);
    all.push_back(third.get());
    ASSERT_TRUE(drive(all, 5s, [&] { return third->state() == ConnectionState::Disconnected; }));
    EXPECT_NE(third->view().status.find("full"), std::string::npos) << third->view().status;
}

TEST(GamePort, ShutdownTellsEveryClientWhyAndEndsWithinTwoSeconds) {
    auto h = std::make_unique<GameHarness>();
    h->start_match(1);
    auto clients = join(*h, 1, 3);
    ASSERT_TRUE(drive(raw(clients), 5s, [&] { return test::all_in_match(raw(clients)); }));
    // Keep the clients answering while the server shuts down on its thread.
    std::atomic<bool> stopped{false};
    const auto begin = std::chrono::steady_clock::now();
    std::thread stopper([&] {
        h->stop();
        stopped = true;
    });
    drive(raw(clients), 5s, [&] { return stopped.load(); });
    const auto took = std::chrono::steady_clock::now() - begin;
    stopper.join();
    EXPECT_LT(took, 2s);
    ASSERT_TRUE(drive(raw(clients), 3s, [&] {
        for (auto& c : clients) {
            if (c->state() != ConnectionState::Disconnected) return false;
        }
        return true;
    }));
    for (auto& c : clients) EXPECT_NE(c->view().status.find("shut down"), std::string::npos) << c->view().status;
    ASSERT_FALSE(h->lobby().ended().empty());
    EXPECT_EQ(h->lobby().ended()[0].reason, protocol::MatchEndReason::ServerShutdown);
}

TEST(GamePort, APortInUseIsAClearError) {
    GameHarness h;
    auto enet = net::EnetLibrary::initialize();
    server::GameConfig config;
    config.bind_address = "127.0.0.1";
    config.port = h.server().port();
    util::SteadyClock clock;
    auto second = server::GameServer::create(h.enet(), config, {test::arena_map()}, h.key(), h.log(), clock,
                                             &test::unix_now_ms);
    ASSERT_FALSE(second.has_value());
    EXPECT_NE(second.error().find("already in use"), std::string::npos) << second.error();
}

TEST(GamePort, AClientThatVanishesTimesOutAndLeavesTheMatchCleanly) {
    server::GameConfig config;
    config.silence_timeout_ms = 600; // shortened for the test
    GameHarness h(config);
    h.start_match(1);
    auto clients = join(h, 1, 2);
    ASSERT_TRUE(drive(raw(clients), 5s, [&] { return test::all_in_match(raw(clients)); }));
    const std::uint32_t gone = sim::to_int(clients[1]->view().local_id); // as the lobby hears it
    clients.pop_back(); // its socket closes without a word: like a pulled cable
    std::vector<client::GameClient*> survivor{clients[0].get()};
    ASSERT_TRUE(drive(survivor, 5s, [&] { return clients[0]->view().players.size() == 1; }));
    EXPECT_EQ(clients[0]->state(), ConnectionState::InMatch);
    ASSERT_TRUE(drive(survivor, 2s, [&] { return h.server().stats().timed_out >= 1; }));
    const auto left = h.lobby().left();
    EXPECT_NE(std::find(left.begin(), left.end(), gone), left.end()) << "the lobby hears the player left the match";
}
