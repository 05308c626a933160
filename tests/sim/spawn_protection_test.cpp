// Spawn protection: a player who joins or respawns takes no damage for
// Rules::spawn_protection_s, or until it fires; shots stop at it and count no
// hit. Deterministic like every other rule.
#include "shared/sim/hash.hpp"
#include "shared/sim/quantise.hpp"
#include "shared/sim/step.hpp"
#include "support/test_maps.hpp"
#include "support/test_players.hpp"

#include <gtest/gtest.h>

using namespace skirmish::sim;
using skirmish::test::open_map;

namespace {

using skirmish::test::kShooter;
using skirmish::test::kTarget;

using skirmish::test::fire_at;

bool is_protected(const World& world, PlayerId id) { return world.tick < world.find(id)->protected_until_tick; }

// The shooter at (200, 500) aiming right at the target at (600, 500), both
// just joined (and so protected).
World duel(const Rules& rules) {
    World world = make_world(open_map());
    add_player(world, kShooter, rules)->position = {200, 500};
    add_player(world, kTarget, rules)->position = {600, 500};
    return world;
}

} // namespace

TEST(SpawnProtection, ANewPlayerTakesNoDamageAndItIsNoHit) {
    Rules rules;
    World world = duel(rules);
    world.find(kShooter)->protected_until_tick = 0; // only the target is protected
    ASSERT_TRUE(is_protected(world, kTarget));
    const PlayerInput in = fire_at(kShooter, 0.0f);
    const StepEvents events = step(world, std::span(&in, 1), rules);
    ASSERT_EQ(events.shots.size(), 1u);
    // The shot stops at the protected player (its tracer ends there) but is no hit...
    EXPECT_FALSE(events.shots[0].hit);
    EXPECT_LT(events.shots[0].to.x, 600.0f);
    EXPECT_GT(events.shots[0].to.x, 500.0f);
    // ...and does nothing to it.
    EXPECT_EQ(world.find(kTarget)->health, rules.max_health);
    EXPECT_EQ(world.find(kShooter)->hits, 0);
}

TEST(SpawnProtection, EndsOnTimeAndThenShotsHurt) {
    Rules rules;
    World world = duel(rules);
    world.find(kShooter)->protected_until_tick = 0;
    const Tick until = world.find(kTarget)->protected_until_tick;
    EXPECT_EQ(until, rules.ticks(rules.spawn_protection_s)); // 1.5 s at 60 Hz: 90 ticks
    EXPECT_EQ(until, 90u);
    const PlayerInput idle{};
    while (world.tick + 1 < until) step(world, std::span(&idle, 0), rules);
    ASSERT_TRUE(is_protected(world, kTarget)); // the last protected tick
    const PlayerInput in = fire_at(kShooter, 0.0f);
    step(world, std::span(&in, 1), rules);
    EXPECT_EQ(world.find(kTarget)->health, rules.max_health);
    ASSERT_FALSE(is_protected(world, kTarget));
    // The next shot the rifle allows hurts.
    for (int i = 0; i < rules.tick_rate_hz && world.find(kTarget)->health == rules.max_health; ++i)
        step(world, std::span(&in, 1), rules);
    EXPECT_EQ(world.find(kTarget)->health, rules.max_health - rules.rifle_damage);
    EXPECT_EQ(world.find(kShooter)->hits, 1);
}

TEST(SpawnProtection, FiringEndsItAtOnce) {
    Rules rules;
    World world = duel(rules);
    ASSERT_TRUE(is_protected(world, kShooter));
    ASSERT_TRUE(is_protected(world, kTarget));
    // The target fires (away from the shooter): its protection ends on that tick.
    const PlayerInput away = fire_at(kTarget, 3.14159f / 2);
    step(world, std::span(&away, 1), rules);
    EXPECT_FALSE(is_protected(world, kTarget));
    EXPECT_TRUE(is_protected(world, kShooter));
    // Now the shooter's shot hurts it, and that ends the shooter's protection too.
    const PlayerInput in = fire_at(kShooter, 0.0f);
    step(world, std::span(&in, 1), rules);
    EXPECT_EQ(world.find(kTarget)->health, rules.max_health - rules.rifle_damage);
    EXPECT_FALSE(is_protected(world, kShooter));
}

TEST(SpawnProtection, ARespawnIsProtectedAgain) {
    Rules rules;
    rules.spawn_protection_s = 0.5f;
    World world = duel(rules);
    world.find(kShooter)->protected_until_tick = 0;
    world.find(kTarget)->protected_until_tick = 0;
    const PlayerInput in = fire_at(kShooter, 0.0f);
    for (int i = 0; i < 10 * rules.tick_rate_hz && world.find(kTarget)->alive; ++i) step(world, std::span(&in, 1), rules);
    ASSERT_FALSE(world.find(kTarget)->alive);
    const PlayerInput idle{};
    while (!world.find(kTarget)->alive) step(world, std::span(&idle, 0), rules);
    // It came back at the start of the step just taken.
    EXPECT_EQ(world.find(kTarget)->protected_until_tick, world.tick - 1 + rules.ticks(0.5f));
    EXPECT_TRUE(is_protected(world, kTarget));
}

TEST(SpawnProtection, ZeroSwitchesItOff) {
    Rules rules;
    rules.spawn_protection_s = 0;
    World world = duel(rules);
    EXPECT_FALSE(is_protected(world, kTarget));
    const PlayerInput in = fire_at(kShooter, 0.0f);
    step(world, std::span(&in, 1), rules);
    EXPECT_EQ(world.find(kTarget)->health, rules.max_health - rules.rifle_damage);
}

TEST(SpawnProtection, IsValidatedAndDeterministic) {
    Rules rules;
    rules.spawn_protection_s = -1;
    EXPECT_FALSE(validate_rules(rules));
    rules.spawn_protection_s = 11;
    EXPECT_FALSE(validate_rules(rules));
    // Two runs of the same duel with protection in play end in the same state.
    const auto run = [] {
        Rules r;
        World world = duel(r);
        const PlayerInput inputs[2] = {fire_at(kShooter, 0.0f), fire_at(kTarget, 3.14159f)};
        for (int i = 0; i < 600; ++i) step(world, std::span(inputs, i % 7 == 0 ? 2 : 1), r);
        return state_hash(world);
    };
    EXPECT_EQ(run(), run());
}
