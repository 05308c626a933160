// Spectators on the game port over loopback (docs/PROTOCOL.md, "Spectators"):
// a spectator's token gets it snapshots of the match (delta-encoded against
// what it acknowledges), the names of everyone and the scoreboard, but no
// entity; whatever inputs it sends reach nothing; the players see it on their
// scoreboard; the match's spectator seats are capped.
#include "support/game_harness.hpp"
#include "support/raw_game_client.hpp"

#include "shared/protocol/control_codec.hpp"
#include "shared/protocol/input_codec.hpp"

#include <gtest/gtest.h>

#include <algorithm>

using namespace skirmish;
using namespace std::chrono_literals;
using client::ConnectionState;
using test::drive;
using test::GameHarness;

namespace {

constexpr std::uint32_t kWatcher = 200;

protocol::MatchSettings watched_settings(std::uint8_t seats) {
    protocol::MatchSettings s;
    s.spectator_slots = seats;
    return s;
}

bool has_entity(const protocol::SnapshotState* s, std::uint32_t id) {
    return s && std::any_of(s->players.begin(), s->players.end(),
                            [&](const sim::Player& p) { return sim::to_int(p.id) == id; });
}

// Two players who keep walking right and firing (a spectator watches them).
client::InputIntent busy(std::size_t) {
    client::InputIntent in;
    in.move_x = 127;
    in.fire = true;
    return in;
}

} // namespace

TEST(Spectators, ASpectatorSeesTheMatchWithoutAnEntityAndIsOnTheScoreboard) {
    GameHarness h;
    h.start_match(1, watched_settings(2));
    auto a = h.client();
    auto b = h.client();
    auto watcher = h.client();
    const auto now = std::chrono::steady_clock::now();
    ASSERT_TRUE(a->connect(h.ticket(101, 1), now).has_value());
    ASSERT_TRUE(b->connect(h.ticket(102, 1), now).has_value());
    ASSERT_TRUE(watcher->connect(h.ticket(kWatcher, 1, 10'000, net::TokenRole::Spectator), now).has_value());
    const std::vector<client::GameClient*> all{a.get(), b.get(), watcher.get()};
    ASSERT_TRUE(drive(all, 5s, [&] { return test::all_in_match(all); }));
    EXPECT_TRUE(watcher->view().spectating);
    EXPECT_FALSE(a->view().spectating);
    EXPECT_EQ(watcher->view().status, "watching the match");

    // It sees both players, interpolated, and none of them is its own.
    ASSERT_TRUE(drive(all, 5s, [&] { return watcher->view().players.size() == 2; }, busy));
    EXPECT_EQ(watcher->view().local(), nullptr);
    for (const auto& p : watcher->view().players) EXPECT_NE(p.id, sim::PlayerId{kWatcher});
    EXPECT_FALSE(has_entity(watcher->latest_snapshot(), kWatcher));
    EXPECT_FALSE(has_entity(a->latest_snapshot(), kWatcher)) << "no entity in anyone's snapshot";
    ASSERT_EQ(watcher->latest_snapshot()->players.size(), 2u);

    // The players moving are seen moving, at the snapshot rate, as deltas
    // against the snapshots the spectator acknowledged.
    const float x0 = watcher->latest_snapshot()->players[0].position.x;
    ASSERT_TRUE(drive(all, 5s, [&] { return watcher->stats().snapshot_rate_hz >= 25; }, busy));
    EXPECT_NE(watcher->latest_snapshot()->players[0].position.x, x0);
    EXPECT_LT(watcher->stats().full_snapshots, 5u) << "acknowledged snapshots become delta baselines";
    EXPECT_EQ(watcher->stats().snapshots_undecodable, 0u);
    EXPECT_EQ(watcher->inputs_generated(), 0u) << "a spectator sends no inputs";

    // Everyone is named, and the spectator is on everyone's scoreboard.
    for (const auto* c : all) {
        ASSERT_EQ(c->view().spectators.size(), 1u);
        EXPECT_EQ(c->view().spectators[0].first, sim::PlayerId{kWatcher});
        EXPECT_EQ(c->view().spectators[0].second, "player-200");
    }
    ASSERT_TRUE(drive(all, 3s, [&] { return h.server().stats().spectators == 1; }, busy));
    EXPECT_EQ(h.server().stats().players, 2u) << "a spectator is no player";

    // It sees the match end with everyone else.
    h.server().end_match(protocol::MatchId{1});
    ASSERT_TRUE(drive(all, 5s, [&] { return watcher->view().results.has_value(); }));
    EXPECT_EQ(watcher->view().results->scores.size(), 2u) << "the scoreboard has the players only";
}

TEST(Spectators, NothingASpectatorSendsReachesTheMatch) {
    GameHarness h;
    h.start_match(1, watched_settings(2));
    auto a = h.client();
    ASSERT_TRUE(a->connect(h.ticket(101, 1), std::chrono::steady_clock::now()).has_value());
    const std::vector<client::GameClient*> players{a.get()};
    ASSERT_TRUE(drive(players, 5s, [&] { return test::all_in_match(players); }));

    // A modified client with a spectator's token: it fires, moves and dashes
    // for two seconds, with inputs for the ticks the server is about to step.
    test::RawGameClient raw(h.server().port(), "127.0.0.1", protocol::kProtocolVersion);
    ASSERT_TRUE(raw.connect(3s));
    const auto token = h.ticket(kWatcher, 1, 10'000, net::TokenRole::Spectator).token;
    raw.send_reliable(protocol::encode_control(
        protocol::ClientControl{protocol::ConnectRequest{protocol::kProtocolVersion, token}}));
    std::uint16_t sequence = 0;
    sim::Tick last_sent = 0;
    const auto end = std::chrono::steady_clock::now() + 2s;
    while (std::chrono::steady_clock::now() < end) {
        a->update(std::chrono::steady_clock::now(), {});
        raw.pump(1ms);
        // One packet per snapshot the player sees: well under the per-tick flood cap.
        const protocol::SnapshotState* seen = a->latest_snapshot();
        if (!seen || seen->tick == last_sent) continue;
        last_sent = seen->tick;
        protocol::InputPacket packet;
        packet.ack_snapshot_tick = seen->tick;
        for (sim::Tick t = seen->tick + 8; t > seen->tick; --t) {
            protocol::TickInput in;
            in.tick = t;
            in.input.move_x = 127;
            in.input.move_y = -127;
            in.input.buttons = sim::buttons::kFire | sim::buttons::kDash;
            packet.inputs.push_back(in);
        }
        raw.send(raw.to_server().send_unreliable(0, 0, ++sequence, protocol::encode_input_packet(packet)));
        ASSERT_FALSE(has_entity(seen, kWatcher)) << "at tick " << seen->tick;
        ASSERT_EQ(seen->players.size(), 1u);
    }
    EXPECT_GT(raw.snapshots(), 30u) << "it was watching all along";
    EXPECT_FALSE(raw.disconnected()) << "sending inputs is no reason to kick a spectator: they are ignored";
    const auto stats = h.server().stats();
    EXPECT_GT(stats.spectator_inputs, 30u);
    EXPECT_EQ(stats.bad_packets, 0u);
    EXPECT_EQ(stats.players, 1u);
    EXPECT_EQ(stats.spectators, 1u);
    // The one player fired nothing and nobody else did: no shot was judged.
    EXPECT_EQ(a->view().kill_feed.size(), 0u);
    EXPECT_EQ(stats.shots_by_player.count(sim::PlayerId{kWatcher}), 0u);
    EXPECT_EQ(stats.inputs_by_player.count(sim::PlayerId{kWatcher}), 0u);
}

TEST(Spectators, TheSpectatorSeatsAreCapped) {
    GameHarness h;
    h.start_match(1, watched_settings(1));
    auto first = h.client();
    auto second = h.client();
    const auto now = std::chrono::steady_clock::now();
    ASSERT_TRUE(first->connect(h.ticket(kWatcher, 1, 10'000, net::TokenRole::Spectator), now).has_value());
    ASSERT_TRUE(second->connect(h.ticket(kWatcher + 1, 1, 10'000, net::TokenRole::Spectator), now).has_value());
    const std::vector<client::GameClient*> both{first.get(), second.get()};
    ASSERT_TRUE(drive(both, 5s, [&] {
        const int in = (first->state() == ConnectionState::InMatch) + (second->state() == ConnectionState::InMatch);
        const int out = (first->state() == ConnectionState::Disconnected) +
                        (second->state() == ConnectionState::Disconnected);
        return in == 1 && out == 1;
    }));
    const auto* refused = first->state() == ConnectionState::Disconnected ? first.get() : second.get();
    EXPECT_NE(refused->view().status.find("spectator seats are taken"), std::string::npos) << refused->view().status;
    // A player still gets in: the seats are apart.
    auto player = h.client();
    ASSERT_TRUE(player->connect(h.ticket(101, 1), std::chrono::steady_clock::now()).has_value());
    const std::vector<client::GameClient*> one{player.get()};
    ASSERT_TRUE(drive(one, 5s, [&] { return test::all_in_match(one); }));
}

TEST(Spectators, ASpectatorLetGoByTheLobbyFreesItsSeat) {
    GameHarness h;
    h.start_match(1, watched_settings(1));
    auto first = h.client();
    ASSERT_TRUE(first->connect(h.ticket(kWatcher, 1, 10'000, net::TokenRole::Spectator), std::chrono::steady_clock::now())
                    .has_value());
    const std::vector<client::GameClient*> one{first.get()};
    ASSERT_TRUE(drive(one, 5s, [&] { return test::all_in_match(one) && h.server().stats().spectators == 1; }));
    h.server().stop_watching(protocol::MatchId{1}, sim::PlayerId{kWatcher}); // it left its room
    ASSERT_TRUE(drive(one, 5s, [&] { return first->state() == ConnectionState::Disconnected; }));
    ASSERT_TRUE(drive(one, 3s, [&] { return h.server().stats().spectators == 0; }));
    EXPECT_EQ(h.server().stats().kicked, 0u) << "let go, not kicked";
    auto second = h.client();
    ASSERT_TRUE(second->connect(h.ticket(kWatcher + 1, 1, 10'000, net::TokenRole::Spectator),
                                std::chrono::steady_clock::now())
                    .has_value());
    const std::vector<client::GameClient*> next{second.get()};
    ASSERT_TRUE(drive(next, 5s, [&] { return test::all_in_match(next); })) << second->view().status;
}

TEST(Spectators, APlayersConnectionSurvivesARefusedSpectatorTokenOfTheSameId) {
    GameHarness h;
    h.start_match(1, watched_settings(0)); // no seats at all
    auto player = h.client();
    ASSERT_TRUE(player->connect(h.ticket(101, 1), std::chrono::steady_clock::now()).has_value());
    auto watcher = h.client();
    const std::vector<client::GameClient*> one{player.get()};
    ASSERT_TRUE(drive(one, 5s, [&] { return test::all_in_match(one); }));
    ASSERT_TRUE(watcher->connect(h.ticket(101, 1, 10'000, net::TokenRole::Spectator), std::chrono::steady_clock::now())
                    .has_value());
    const std::vector<client::GameClient*> both{player.get(), watcher.get()};
    ASSERT_TRUE(drive(both, 5s, [&] { return watcher->state() == ConnectionState::Disconnected; }));
    EXPECT_NE(watcher->view().status.find("spectator seats are taken"), std::string::npos) << watcher->view().status;
    // The refusal came before anything was replaced: the player plays on.
    ASSERT_FALSE(drive(both, 1s, [&] { return player->state() != ConnectionState::InMatch; }));
    EXPECT_EQ(h.server().stats().players, 1u);
    EXPECT_EQ(h.server().stats().spectators, 0u);
}
