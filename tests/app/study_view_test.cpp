// The study view's trail of raw snapshot positions: one point per new
// snapshot tick, a short bounded trail per player, players who left dropped,
// and a fresh start when the ticks go back (a new match).
#include "client/app/snapshot_trail.hpp"
#include "support/test_ids.hpp"

#include <gtest/gtest.h>

#include <utility>
#include <vector>

using namespace skirmish;
using namespace skirmish::app;
using namespace skirmish::test::ids;

namespace {
using Positions = std::vector<std::pair<sim::PlayerId, sim::Vec2>>;
}

TEST(SnapshotTrail, OnePointPerSnapshotTickNotPerFrame) {
    SnapshotTrail trail;
    const Positions at{{2_player, {10, 20}}, {3_player, {30, 40}}};
    trail.record(100, at);
    trail.record(100, at); // a second frame of the same snapshot
    trail.record(102, Positions{{2_player, {12, 20}}, {3_player, {30, 44}}});
    ASSERT_EQ(trail.trail(2_player).size(), 2u);
    EXPECT_EQ(trail.trail(2_player).front().tick, 100u);
    EXPECT_EQ(trail.trail(2_player).back().position.x, 12.0f);
    EXPECT_EQ(trail.trail(3_player).back().position.y, 44.0f);
    EXPECT_TRUE(trail.trail(9_player).empty()) << "a player never seen";
    trail.record(0, at); // no snapshot yet: nothing
    EXPECT_EQ(trail.trail(2_player).size(), 2u);
}

TEST(SnapshotTrail, KeepsTheLastFewOldestFirst) {
    SnapshotTrail trail;
    for (std::uint32_t i = 1; i <= 20; ++i)
        trail.record(i * 2, Positions{{5_player, {static_cast<float>(i), 0}}});
    const auto& points = trail.trail(5_player);
    ASSERT_EQ(points.size(), SnapshotTrail::kLength);
    EXPECT_EQ(points.front().position.x, static_cast<float>(20 - SnapshotTrail::kLength + 1));
    EXPECT_EQ(points.back().position.x, 20.0f);
}

TEST(SnapshotTrail, APlayerWhoLeftLosesTheTrailAndANewMatchStartsAgain) {
    SnapshotTrail trail;
    trail.record(10, Positions{{2_player, {1, 1}}, {3_player, {2, 2}}});
    trail.record(12, Positions{{3_player, {2, 3}}});
    EXPECT_TRUE(trail.trail(2_player).empty());
    EXPECT_EQ(trail.players(), 1u);
    trail.record(4, Positions{{3_player, {9, 9}}}); // older: another match
    ASSERT_EQ(trail.trail(3_player).size(), 1u);
    EXPECT_EQ(trail.trail(3_player).front().tick, 4u);
}
