// Movement: acceleration, friction, max speed, dash and its cooldown,
// player separation, and the tick rate as a parameter.
#include "shared/sim/quantise.hpp"
#include "shared/sim/step.hpp"
#include "support/test_maps.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <vector>

using namespace skirmish::sim;
using skirmish::test::open_map;
using skirmish::test::place;

namespace {

constexpr PlayerId kA{1};
constexpr PlayerId kB{2};

PlayerInput moving(PlayerId id, std::int8_t x, std::int8_t y, std::uint8_t buttons = 0) {
    PlayerInput in;
    in.player = id;
    in.move_x = x;
    in.move_y = y;
    in.buttons = buttons;
    return in;
}

void run(World& world, const Rules& rules, const PlayerInput& in, int ticks) {
    for (int i = 0; i < ticks; ++i) step(world, std::span(&in, 1), rules);
}

} // namespace

TEST(Movement, AcceleratesTowardsTheStickUpToMaxSpeed) {
    Rules rules;
    World world = make_world(open_map());
    place(world, rules, kA, {100, 500});
    run(world, rules, moving(kA, 127, 0), 1);
    const float after_one = world.find(kA)->velocity.x;
    EXPECT_GT(after_one, 0.0f);
    EXPECT_LT(after_one, rules.max_speed);
    run(world, rules, moving(kA, 127, 0), rules.tick_rate_hz); // a second
    EXPECT_NEAR(world.find(kA)->velocity.x, rules.max_speed, 1.0f / kVelocityScale);
    EXPECT_EQ(world.find(kA)->velocity.y, 0.0f);
    EXPECT_GT(world.find(kA)->position.x, 300.0f);
}

TEST(Movement, DiagonalIsNoFasterThanStraight) {
    Rules rules;
    World world = make_world(open_map());
    place(world, rules, kA, {200, 200});
    run(world, rules, moving(kA, 127, 127), 2 * rules.tick_rate_hz);
    EXPECT_LE(length(world.find(kA)->velocity), rules.max_speed + 0.5f);
}

TEST(Movement, FrictionStopsAPlayerWhoLetsGo) {
    Rules rules;
    World world = make_world(open_map());
    place(world, rules, kA, {100, 500});
    run(world, rules, moving(kA, 127, 0), rules.tick_rate_hz);
    const float x_at_release = world.find(kA)->position.x;
    run(world, rules, moving(kA, 0, 0), rules.tick_rate_hz / 2);
    EXPECT_EQ(world.find(kA)->velocity, (Vec2{0, 0}));
    const float glide = world.find(kA)->position.x - x_at_release;
    EXPECT_GT(glide, 5.0f);   // it slides a little,
    EXPECT_LT(glide, 60.0f);  // but not far
}

TEST(Movement, OutOfRangeAxesAreClampedNotTrusted) {
    Rules rules;
    World world = make_world(open_map());
    place(world, rules, kA, {100, 500});
    run(world, rules, moving(kA, -128, -128), 2 * rules.tick_rate_hz);
    EXPECT_LE(length(world.find(kA)->velocity), rules.max_speed + 0.5f);
}

TEST(Movement, StateStaysOnTheQuantisationGrid) {
    Rules rules;
    World world = make_world(open_map());
    place(world, rules, kA, {100, 500});
    for (int i = 0; i < 100; ++i) {
        run(world, rules, moving(kA, static_cast<std::int8_t>(i * 7 % 255 - 127), 50), 1);
        const Player& p = *world.find(kA);
        EXPECT_EQ(p.position.x, quantise(p.position.x, kPositionScale));
        EXPECT_EQ(p.position.y, quantise(p.position.y, kPositionScale));
        EXPECT_EQ(p.velocity.x, quantise(p.velocity.x, kVelocityScale));
    }
}

TEST(Dash, BurstsInTheStickDirectionThenCoolsDown) {
    Rules rules;
    World world = make_world(open_map());
    place(world, rules, kA, {100, 500});
    run(world, rules, moving(kA, 127, 0, buttons::kDash), 1);
    EXPECT_NEAR(world.find(kA)->velocity.x, rules.dash_speed, 0.5f);
    const Tick cooldown_ends = world.find(kA)->next_dash_tick;
    EXPECT_EQ(cooldown_ends, rules.ticks(rules.dash_cooldown_s));
    // Holding dash again during the cooldown does nothing new.
    run(world, rules, moving(kA, 0, 0), rules.ticks(rules.dash_duration_s) + 30);
    run(world, rules, moving(kA, 0, 127, buttons::kDash), 1);
    EXPECT_LT(world.find(kA)->velocity.y, rules.max_speed);
    EXPECT_EQ(world.find(kA)->next_dash_tick, cooldown_ends);
    // After the cooldown it works again.
    while (world.tick < cooldown_ends) run(world, rules, moving(kA, 0, 0), 1);
    run(world, rules, moving(kA, 0, 127, buttons::kDash), 1);
    EXPECT_NEAR(world.find(kA)->velocity.y, rules.dash_speed, 0.5f);
}

TEST(Dash, WithoutAStickGoesWhereThePlayerAims) {
    Rules rules;
    World world = make_world(open_map());
    place(world, rules, kA, {500, 500});
    PlayerInput in = moving(kA, 0, 0, buttons::kDash);
    in.aim = kAimSteps / 4; // +y
    run(world, rules, in, 1);
    EXPECT_NEAR(world.find(kA)->velocity.y, rules.dash_speed, 0.5f);
    EXPECT_NEAR(world.find(kA)->velocity.x, 0.0f, 0.5f);
}

TEST(Separation, OverlappingPlayersArePushedApart) {
    Rules rules;
    World world = make_world(open_map());
    place(world, rules, kA, {500, 500});
    place(world, rules, kB, {505, 500});
    for (int i = 0; i < 20; ++i) step(world, {}, rules);
    const float d = length(world.find(kA)->position - world.find(kB)->position);
    EXPECT_GE(d, 2 * rules.player_radius - 0.2f);
}

TEST(Separation, PlayersOnTheSameSpotSeparateDeterministically) {
    Rules rules;
    World world = make_world(open_map());
    place(world, rules, kA, {500, 500});
    place(world, rules, kB, {500, 500});
    step(world, {}, rules);
    EXPECT_LT(world.find(kA)->position.x, world.find(kB)->position.x);
}

TEST(TickRate, DistanceCoveredIsAboutTheSameAtEveryTickRate) {
    std::vector<float> distances;
    for (int hz : {10, 20, 30, 60, 128}) {
        Rules rules;
        rules.tick_rate_hz = hz;
        World world = make_world(open_map());
        place(world, rules, kA, {100, 500});
        run(world, rules, moving(kA, 127, 0), hz); // one second
        distances.push_back(world.find(kA)->position.x - 100.0f);
    }
    for (float d : distances) EXPECT_NEAR(d, distances.back(), distances.back() * 0.12f);
}

TEST(TickRate, RulesRejectRatesOutside10To128) {
    Rules rules;
    for (int hz : {9, 0, 129, -60}) {
        rules.tick_rate_hz = hz;
        auto r = validate_rules(rules);
        ASSERT_FALSE(r.has_value()) << hz;
        EXPECT_NE(r.error().find("tick_rate_hz"), std::string::npos);
    }
    for (int hz : {10, 60, 128}) {
        rules.tick_rate_hz = hz;
        EXPECT_TRUE(validate_rules(rules).has_value()) << hz;
    }
}

// Rules can come from a demo file (shared/demo): every field is bounded, so no
// value that passes can overflow a float or a tick in step().
TEST(RulesValidation, RefusesValuesThatCouldOverflowAStep) {
    const auto refused = [](auto edit, std::string_view field) {
        Rules rules;
        edit(rules);
        auto r = validate_rules(rules);
        ASSERT_FALSE(r.has_value()) << field;
        EXPECT_NE(r.error().find(field), std::string::npos) << r.error();
    };
    refused([](Rules& r) { r.player_radius = 1e-36f; }, "player_radius");
    refused([](Rules& r) { r.acceleration = 1e30f; }, "acceleration");
    refused([](Rules& r) { r.stop_speed = 1e30f; }, "stop_speed");
    refused([](Rules& r) { r.dash_duration_s = 1e30f; }, "dash_duration_s");
    refused([](Rules& r) { r.dash_cooldown_s = 1e12f; }, "dash_cooldown_s");
    refused([](Rules& r) { r.rifle_range = std::numeric_limits<float>::infinity(); }, "rifle_range");
    refused([](Rules& r) { r.fire_cooldown_s = 1e30f; }, "fire_cooldown_s");
    refused([](Rules& r) { r.respawn_delay_s = std::numeric_limits<float>::quiet_NaN(); }, "respawn_delay_s");
    EXPECT_TRUE(validate_rules(Rules{}).has_value());
}
