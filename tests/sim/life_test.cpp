// Damage, death, frags, respawn at the freest spawn, and the end of a match.
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

PlayerInput trigger(PlayerId id, float radians) {
    PlayerInput in;
    in.player = id;
    in.aim = aim_from_radians(radians);
    in.buttons = buttons::kFire;
    return in;
}

// Fires at the target until a kill; returns the kill's events.
StepEvents shoot_until_kill(World& world, const Rules& rules) {
    const PlayerInput in = trigger(kShooter, 0.0f);
    for (int i = 0; i < 10 * rules.tick_rate_hz; ++i) {
        StepEvents events = step(world, std::span(&in, 1), rules);
        if (!events.kills.empty()) return events;
    }
    return {};
}

} // namespace

TEST(Life, EnoughHitsKillAndScoreAFrag) {
    Rules rules;
    World world = make_world(open_map());
    place(world, rules, kShooter, {200, 500});
    place(world, rules, kTarget, {600, 500});
    const StepEvents events = shoot_until_kill(world, rules);
    ASSERT_EQ(events.kills.size(), 1u);
    EXPECT_EQ(events.kills[0].killer, kShooter);
    EXPECT_EQ(events.kills[0].victim, kTarget);
    const Player& target = *world.find(kTarget);
    EXPECT_FALSE(target.alive);
    EXPECT_EQ(target.health, 0);
    EXPECT_EQ(target.deaths, 1);
    EXPECT_EQ(world.find(kShooter)->frags, 1);
}

TEST(Life, TheDeadNeitherMoveNorShootNorGetHit) {
    Rules rules;
    World world = make_world(open_map());
    place(world, rules, kShooter, {200, 500});
    place(world, rules, kTarget, {600, 500});
    shoot_until_kill(world, rules);
    const Vec2 where = world.find(kTarget)->position;
    PlayerInput inputs[2] = {trigger(kShooter, 0.0f), trigger(kTarget, 3.14159f)};
    inputs[1].move_x = 127;
    const StepEvents events = step(world, inputs, rules);
    EXPECT_EQ(world.find(kTarget)->position, where);
    ASSERT_EQ(events.shots.size(), 0u); // shooter still cooling down, corpse cannot fire
}

TEST(Life, RespawnsAfterTheDelayAtTheFreestSpawn) {
    Rules rules;
    World world = make_world(open_map()); // spawns: corners and centre
    place(world, rules, kShooter, {120, 120}); // next to spawn 0
    place(world, rules, kTarget, {600, 120});
    const PlayerInput in = trigger(kShooter, 0.0f);
    StepEvents events;
    while (events.kills.empty()) events = step(world, std::span(&in, 1), rules);
    const Tick died = world.tick - 1;
    EXPECT_EQ(world.find(kTarget)->respawn_tick, died + 1 + rules.ticks(rules.respawn_delay_s));
    const PlayerInput idle{kShooter};
    bool respawned = false;
    while (!respawned) {
        events = step(world, std::span(&idle, 1), rules);
        respawned = !events.respawns.empty();
        ASSERT_LE(world.tick, died + 2 + rules.ticks(rules.respawn_delay_s));
    }
    const Player& back = *world.find(kTarget);
    EXPECT_TRUE(back.alive);
    EXPECT_EQ(back.health, rules.max_health);
    // The spawn farthest from the only living enemy (at 120,120) is the far corner.
    EXPECT_EQ(back.position, (Vec2{900, 900}));
}

TEST(Life, SimultaneousShotsCanTradeKills) {
    Rules rules;
    rules.rifle_damage = 100;
    World world = make_world(open_map());
    place(world, rules, kShooter, {200, 500});
    place(world, rules, kTarget, {600, 500});
    const PlayerInput inputs[2] = {trigger(kShooter, 0.0f), trigger(kTarget, 3.14159265f)};
    const StepEvents events = step(world, inputs, rules);
    EXPECT_EQ(events.kills.size(), 2u);
    EXPECT_FALSE(world.find(kShooter)->alive);
    EXPECT_FALSE(world.find(kTarget)->alive);
}

TEST(MatchEnd, FragLimitEndsTheMatch) {
    Rules rules;
    rules.frag_limit = 2;
    rules.respawn_delay_s = 0.0f;
    World world = make_world(open_map());
    place(world, rules, kShooter, {120, 500});
    place(world, rules, kTarget, {600, 500});
    shoot_until_kill(world, rules);
    EXPECT_EQ(world.phase, MatchPhase::Running);
    // Put the victim back in the line of fire and kill again.
    while (!world.find(kTarget)->alive) step(world, {}, rules);
    world.find(kTarget)->position = {600, 500};
    const StepEvents events = shoot_until_kill(world, rules);
    EXPECT_EQ(events.match_over, EndReason::FragLimit);
    EXPECT_EQ(world.phase, MatchPhase::Over);
    // After the end nothing moves any more, but time still counts.
    const World frozen = world;
    PlayerInput run{kTarget};
    run.move_x = 127;
    step(world, std::span(&run, 1), rules);
    EXPECT_EQ(world.players, frozen.players);
    EXPECT_EQ(world.tick, frozen.tick + 1);
}

TEST(MatchEnd, TimeLimitEndsTheMatchOnTheExactTick) {
    Rules rules;
    rules.time_limit_s = 30;
    rules.tick_rate_hz = 20;
    World world = make_world(open_map());
    place(world, rules, kShooter, {120, 500});
    std::optional<EndReason> over;
    Tick ended_at = 0;
    while (!over) {
        over = step(world, {}, rules).match_over;
        ended_at = world.tick;
        ASSERT_LE(world.tick, 30u * 20u);
    }
    EXPECT_EQ(ended_at, 30u * 20u);
    EXPECT_EQ(over, EndReason::TimeLimit);
    EXPECT_EQ(world.phase, MatchPhase::Over);
    EXPECT_FALSE(step(world, {}, rules).match_over) << "only the step that ends the match says so";
}

TEST(MatchEnd, AFragLimitOnTheLastTickCountsAsTheFragLimit) {
    Rules rules;
    rules.frag_limit = 3;
    rules.time_limit_s = 30;
    rules.tick_rate_hz = 20;
    World world = make_world(open_map());
    place(world, rules, kShooter, {120, 500});
    world.find(kShooter)->frags = 3;
    world.tick = rules.time_limit_ticks() - 1;
    EXPECT_EQ(step(world, {}, rules).match_over, EndReason::FragLimit);
}

TEST(Players, JoinAtTheFreestSpawnAndLeave) {
    Rules rules;
    World world = make_world(open_map());
    ASSERT_NE(add_player(world, PlayerId{5}, rules), nullptr);
    EXPECT_EQ(add_player(world, PlayerId{5}, rules), nullptr); // ids are unique
    ASSERT_NE(add_player(world, PlayerId{3}, rules), nullptr);
    ASSERT_EQ(world.players.size(), 2u);
    EXPECT_EQ(world.players[0].id, PlayerId{3}); // kept sorted
    EXPECT_NE(world.players[0].position, world.players[1].position);
    EXPECT_TRUE(remove_player(world, PlayerId{5}));
    EXPECT_FALSE(remove_player(world, PlayerId{5}));
    EXPECT_EQ(world.players.size(), 1u);
}
