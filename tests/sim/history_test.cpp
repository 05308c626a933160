// Position history: what lag compensation rewinds to.
#include "shared/sim/history.hpp"
#include "support/test_maps.hpp"

#include <gtest/gtest.h>

using namespace skirmish::sim;
using skirmish::test::open_map;
using skirmish::test::place;

TEST(PositionHistory, ReturnsPositionsAtAStoredTick) {
    Rules rules;
    World world = make_world(open_map());
    place(world, rules, PlayerId{1}, {100, 100});
    PositionHistory history(8);
    world.tick = 10;
    history.record(world);
    world.find(PlayerId{1})->position = {200, 100};
    world.tick = 11;
    history.record(world);
    std::vector<PastPlayer> out;
    ASSERT_TRUE(history.positions_at(10, 0, out));
    EXPECT_EQ(out.at(0).position, (Vec2{100, 100}));
    ASSERT_TRUE(history.positions_at(10, 128, out)); // half way to tick 11
    EXPECT_EQ(out.at(0).position, (Vec2{150, 100}));
    EXPECT_FALSE(history.positions_at(9, 0, out));
    EXPECT_TRUE(out.empty());
}

TEST(PositionHistory, ForgetsTicksOlderThanItsCapacity) {
    Rules rules;
    World world = make_world(open_map());
    place(world, rules, PlayerId{1}, {100, 100});
    PositionHistory history(8);
    for (Tick t = 0; t < 20; ++t) {
        world.tick = t;
        history.record(world);
    }
    EXPECT_FALSE(history.has(11));
    EXPECT_TRUE(history.has(12));
    EXPECT_TRUE(history.has(19));
}

TEST(PositionHistory, DoesNotBlendAcrossARespawn) {
    Rules rules;
    World world = make_world(open_map());
    place(world, rules, PlayerId{1}, {100, 100});
    PositionHistory history(8);
    world.tick = 1;
    world.find(PlayerId{1})->alive = false;
    history.record(world);
    world.tick = 2;
    world.find(PlayerId{1})->alive = true;
    world.find(PlayerId{1})->position = {900, 900};
    history.record(world);
    std::vector<PastPlayer> out;
    ASSERT_TRUE(history.positions_at(1, 200, out));
    EXPECT_EQ(out.at(0).position, (Vec2{100, 100}));
}
