// Lag compensation inside the rules: a shot is checked against where targets
// were at the shooter's view tick, within the rewind cap; off, against now.
#include "shared/sim/quantise.hpp"
#include "shared/sim/step.hpp"
#include "support/test_maps.hpp"
#include "support/test_players.hpp"

#include <gtest/gtest.h>

using namespace skirmish::sim;
using skirmish::test::open_map;
using skirmish::test::place;

namespace {

using skirmish::test::kShooter;
using skirmish::test::kTarget;

// The target runs down the +y axis past the shooter's line of fire (y = 500)
// while the history records it, for `after` ticks past the crossing; returns
// the tick at which it crossed the line.
Tick run_target_across(World& world, const Rules& rules, PositionHistory& history, Tick after) {
    place(world, rules, kShooter, {200, 500});
    place(world, rules, kTarget, {700, 380});
    Tick crossed = 0;
    for (int i = 0; i < 200 && (crossed == 0 || world.tick < crossed + after); ++i) {
        PlayerInput in{kTarget};
        in.move_y = 127;
        step(world, std::span(&in, 1), rules, &history);
        if (crossed == 0 && world.find(kTarget)->position.y >= 500) crossed = world.tick;
    }
    return crossed;
}

PlayerInput shot_viewing(Tick view) {
    PlayerInput in{kShooter};
    in.aim = 0; // along +x, through (700, 500)
    in.buttons = buttons::kFire;
    in.view_tick = view;
    return in;
}

} // namespace

TEST(LagCompensation, AShotHitsWhereTheTargetWasWhenTheShooterSawIt) {
    Rules rules;
    World world = make_world(open_map());
    PositionHistory history;
    const Tick crossed = run_target_across(world, rules, history, 12); // 200 ms ago
    ASSERT_GT(crossed, 0u);
    ASSERT_GT(world.find(kTarget)->position.y, 540); // gone from the line now
    const PlayerInput in = shot_viewing(crossed);
    const StepEvents events = step(world, std::span(&in, 1), rules, &history);
    ASSERT_EQ(events.shots.size(), 1u);
    EXPECT_EQ(events.shots[0].hit, std::optional<PlayerId>(kTarget));
}

TEST(LagCompensation, OffItMissesATargetThatHasMovedOn) {
    Rules rules;
    rules.lag_compensation = false;
    World world = make_world(open_map());
    PositionHistory history;
    const Tick crossed = run_target_across(world, rules, history, 12);
    const PlayerInput in = shot_viewing(crossed);
    EXPECT_FALSE(step(world, std::span(&in, 1), rules, &history).shots[0].hit.has_value());
}

TEST(LagCompensation, TheRewindIsCapped) {
    Rules rules;
    rules.max_rewind_ms = 100;
    rules.max_interp_ms = 0;
    World world = make_world(open_map());
    PositionHistory history;
    const Tick crossed = run_target_across(world, rules, history, 30);
    // The crossing is ~30 ticks (500 ms) ago: beyond the 100 ms cap, so the
    // shot is checked 100 ms back, where the target no longer was.
    ASSERT_GT(world.tick - crossed, rules.max_rewind_ticks() + 5);
    const PlayerInput in = shot_viewing(crossed);
    EXPECT_FALSE(step(world, std::span(&in, 1), rules, &history).shots[0].hit.has_value());
}

TEST(LagCompensation, AViewTickFromTheFutureIsClampedToNow) {
    Rules rules;
    World world = make_world(open_map());
    PositionHistory history;
    place(world, rules, kShooter, {200, 500});
    place(world, rules, kTarget, {700, 500});
    step(world, {}, rules, &history);
    const PlayerInput in = shot_viewing(world.tick + 1000);
    EXPECT_TRUE(step(world, std::span(&in, 1), rules, &history).shots[0].hit.has_value());
}
