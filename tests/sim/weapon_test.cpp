// The hitscan rifle: hits, misses, walls in the way, cooldown, damage.
#include "shared/sim/quantise.hpp"
#include "shared/sim/step.hpp"
#include "support/test_maps.hpp"
#include "support/test_players.hpp"

#include <gtest/gtest.h>

using namespace skirmish::sim;
using skirmish::test::open_map;
using skirmish::test::place;
using skirmish::test::wall_map;

namespace {

using skirmish::test::kShooter;
using skirmish::test::kTarget;

using skirmish::test::fire_at;

} // namespace

TEST(Rifle, HitsAPlayerInTheLineOfFire) {
    Rules rules;
    World world = make_world(open_map());
    place(world, rules, kShooter, {200, 500});
    place(world, rules, kTarget, {600, 500});
    const PlayerInput in = fire_at(kShooter, 0.0f);
    const StepEvents events = step(world, std::span(&in, 1), rules);
    ASSERT_EQ(events.shots.size(), 1u);
    ASSERT_TRUE(events.shots[0].hit.has_value());
    EXPECT_EQ(*events.shots[0].hit, kTarget);
    EXPECT_NEAR(events.shots[0].to.x, 600 - rules.player_radius, 0.5f);
    EXPECT_EQ(world.find(kTarget)->health, rules.max_health - rules.rifle_damage);
    EXPECT_EQ(world.find(kShooter)->hits, 1);
}

TEST(Rifle, MissesWhenAimedAway) {
    Rules rules;
    World world = make_world(open_map());
    place(world, rules, kShooter, {200, 500});
    place(world, rules, kTarget, {600, 500});
    const PlayerInput in = fire_at(kShooter, 0.2f); // ~11 degrees off: passes ~80 units wide
    const StepEvents events = step(world, std::span(&in, 1), rules);
    ASSERT_EQ(events.shots.size(), 1u);
    EXPECT_FALSE(events.shots[0].hit.has_value());
    EXPECT_EQ(world.find(kTarget)->health, rules.max_health);
}

TEST(Rifle, GrazingTheEdgeOfTheCircleCounts) {
    Rules rules;
    World world = make_world(open_map());
    place(world, rules, kShooter, {200, 500});
    place(world, rules, kTarget, {600, 500 + rules.player_radius - 2});
    const PlayerInput in = fire_at(kShooter, 0.0f);
    EXPECT_TRUE(step(world, std::span(&in, 1), rules).shots[0].hit.has_value());
}

TEST(Rifle, WallsBlockShots) {
    Rules rules;
    World world = make_world(wall_map());
    place(world, rules, kShooter, {300, 500});
    place(world, rules, kTarget, {700, 500});
    const PlayerInput in = fire_at(kShooter, 0.0f);
    const StepEvents events = step(world, std::span(&in, 1), rules);
    ASSERT_EQ(events.shots.size(), 1u);
    EXPECT_FALSE(events.shots[0].hit.has_value());
    EXPECT_NEAR(events.shots[0].to.x, 495.0f, 0.5f); // stopped at the wall's face
    EXPECT_EQ(world.find(kTarget)->health, rules.max_health);
}

TEST(Rifle, ShotsGoAroundTheEndOfAWall) {
    Rules rules;
    World world = make_world(wall_map());
    place(world, rules, kShooter, {300, 100});
    place(world, rules, kTarget, {700, 100}); // above the wall (which spans y 200..800)
    const PlayerInput in = fire_at(kShooter, 0.0f);
    EXPECT_TRUE(step(world, std::span(&in, 1), rules).shots[0].hit.has_value());
}

TEST(Rifle, TheNearestOfTwoTargetsTakesTheShot) {
    Rules rules;
    World world = make_world(open_map());
    place(world, rules, kShooter, {200, 500});
    place(world, rules, PlayerId{3}, {800, 500});
    place(world, rules, kTarget, {400, 500});
    const PlayerInput in = fire_at(kShooter, 0.0f);
    step(world, std::span(&in, 1), rules);
    EXPECT_EQ(world.find(kTarget)->health, rules.max_health - rules.rifle_damage);
    EXPECT_EQ(world.find(PlayerId{3})->health, rules.max_health);
}

TEST(Rifle, OutOfRangeMisses) {
    Rules rules;
    rules.rifle_range = 300;
    World world = make_world(open_map());
    place(world, rules, kShooter, {100, 500});
    place(world, rules, kTarget, {600, 500});
    const PlayerInput in = fire_at(kShooter, 0.0f);
    EXPECT_FALSE(step(world, std::span(&in, 1), rules).shots[0].hit.has_value());
}

TEST(Rifle, CooldownLimitsTheRateOfFireWhateverTheInputs) {
    Rules rules;
    World world = make_world(open_map());
    place(world, rules, kShooter, {200, 500});
    place(world, rules, kTarget, {900, 900});
    const PlayerInput in = fire_at(kShooter, 3.0f);
    int shots = 0;
    for (int i = 0; i < rules.tick_rate_hz; ++i) shots += static_cast<int>(step(world, std::span(&in, 1), rules).shots.size());
    // One second of holding the trigger: 1 / fire_cooldown shots, whatever the tick rate.
    EXPECT_EQ(shots, static_cast<int>(1.0f / rules.fire_cooldown_s));
}

TEST(Rifle, CannotShootItself) {
    Rules rules;
    World world = make_world(open_map());
    place(world, rules, kShooter, {500, 500});
    const PlayerInput in = fire_at(kShooter, 1.0f);
    const StepEvents events = step(world, std::span(&in, 1), rules);
    EXPECT_FALSE(events.shots[0].hit.has_value());
    EXPECT_EQ(world.find(kShooter)->health, rules.max_health);
}
