// The life of matches on the game port, over loopback: an order the game
// cannot start, a match nobody joins, and the figures of players who left.
#include "support/game_harness.hpp"
#include "support/test_ids.hpp"

#include <gtest/gtest.h>

using namespace skirmish;
using namespace std::chrono_literals;
using namespace skirmish::test::ids;
using client::ConnectionState;
using test::drive;
using test::GameHarness;

TEST(Matches, AnOrderOnAnUnknownMapIsReportedBackToTheLobby) {
    GameHarness h;
    protocol::MatchSettings settings;
    settings.map = "nowhere";
    h.start_match(3, settings);
    auto idle = h.client(); // drive() needs a client to pace it
    ASSERT_TRUE(drive({idle.get()}, 3s, [&] { return !h.lobby().ended().empty(); }));
    const auto ended = h.lobby().ended()[0];
    EXPECT_EQ(ended.match_id, 3u);
    EXPECT_EQ(ended.reason, protocol::MatchEndReason::NotEnoughPlayers);
    EXPECT_TRUE(ended.scores.empty());
    EXPECT_EQ(h.server().stats().matches, 0u);
}

TEST(Matches, AMatchNobodyJoinsEndsAndItsRoomHearsIt) {
    server::GameConfig config;
    config.empty_match_timeout = 200ms;
    config.match_linger = 100ms;
    GameHarness h(config);
    h.start_match(4);
    auto idle = h.client();
    ASSERT_TRUE(drive({idle.get()}, 3s, [&] { return !h.lobby().ended().empty(); }));
    EXPECT_EQ(h.lobby().ended()[0].match_id, 4u);
    EXPECT_EQ(h.lobby().ended()[0].reason, protocol::MatchEndReason::NotEnoughPlayers);
    // Then, its scoreboard shown to nobody, it is removed.
    ASSERT_TRUE(drive({idle.get()}, 3s, [&] { return h.server().stats().matches == 0; }));
}

TEST(ServerFigures, APlayerWhoLeftStaysInTheTotals) {
    GameHarness h;
    h.start_match(1);
    auto stays = h.client();
    auto leaves = h.client();
    ASSERT_TRUE(stays->connect(h.ticket(1, 1), std::chrono::steady_clock::now()).has_value());
    ASSERT_TRUE(leaves->connect(h.ticket(2, 1), std::chrono::steady_clock::now()).has_value());
    std::vector<client::GameClient*> both{stays.get(), leaves.get()};
    ASSERT_TRUE(drive(both, 5s, [&] { return test::all_in_match(both); }));
    // Both send inputs a while, then one leaves on purpose.
    ASSERT_TRUE(drive(both, 5s, [&] {
        const auto stats = h.server().stats();
        return stats.inputs_by_player.count(2_player) && stats.inputs_by_player.at(2_player).applied >= 30;
    }));
    leaves->leave();
    ASSERT_TRUE(drive(both, 5s, [&] { return h.server().stats().players == 1; })); // still services the goodbye
    const auto stats = h.server().stats();
    ASSERT_TRUE(stats.inputs_by_player.count(2_player)) << "the leaver's counters are kept";
    EXPECT_GE(stats.inputs_by_player.at(2_player).applied, 30u);
    EXPECT_GE(stats.inputs.applied,
              stats.inputs_by_player.at(1_player).applied + stats.inputs_by_player.at(2_player).applied);
    EXPECT_EQ(stats.timed_out, 0u) << "a Leave is not a time-out";
}
