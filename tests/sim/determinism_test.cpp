// The same start and the same inputs give the same world, bit for bit.
#include "shared/sim/hash.hpp"
#include "shared/sim/step.hpp"
#include "shared/util/rng.hpp"
#include "support/test_maps.hpp"

#include <gtest/gtest.h>

using namespace skirmish::sim;
using skirmish::util::Rng;

namespace {

std::shared_ptr<const Map> busy_map() {
    auto map = std::make_shared<Map>();
    map->name = "busy";
    map->width = 1200;
    map->height = 900;
    map->walls = {{300, 200, 40, 500}, {800, 100, 200, 30}, {600, 600, 300, 40}, {100, 450, 120, 20}};
    map->spawns = {{60, 60}, {1140, 60}, {60, 840}, {1140, 840}, {600, 450}, {450, 100}};
    return map;
}

// Runs a match of 8 players with seeded random inputs (movement, aim, fire,
// dash, one player leaving and another joining) and returns the final hash.
std::uint64_t run_match(int tick_rate, std::uint64_t seed, int ticks, std::uint64_t* midway = nullptr) {
    Rules rules;
    rules.tick_rate_hz = tick_rate;
    rules.frag_limit = 0;
    rules.time_limit_s = 0;
    World world = make_world(busy_map());
    PositionHistory history;
    for (std::uint32_t id = 1; id <= 8; ++id) add_player(world, PlayerId{id}, rules);
    Rng rng(seed);
    std::vector<PlayerInput> inputs;
    for (int t = 0; t < ticks; ++t) {
        if (t == ticks / 3) remove_player(world, PlayerId{4});
        if (t == ticks / 2) add_player(world, PlayerId{42}, rules);
        inputs.clear();
        for (const Player& p : world.players) {
            PlayerInput in{p.id};
            in.move_x = static_cast<std::int8_t>(static_cast<int>(rng.below(255)) - 127);
            in.move_y = static_cast<std::int8_t>(static_cast<int>(rng.below(255)) - 127);
            in.aim = static_cast<std::uint16_t>(rng.below(4096));
            in.buttons = static_cast<std::uint8_t>(rng.below(4));
            in.view_tick = world.tick > 6 ? world.tick - rng.below(6) : 0;
            in.view_fraction = static_cast<std::uint8_t>(rng.below(256));
            inputs.push_back(in);
        }
        step(world, inputs, rules, &history);
        if (midway && t == ticks / 2) *midway = state_hash(world);
    }
    return state_hash(world);
}

} // namespace

class Determinism : public ::testing::TestWithParam<int> {};

TEST_P(Determinism, SameInputsSameHashAfterTenThousandTicks) {
    const int tick_rate = GetParam();
    std::uint64_t mid_a = 0, mid_b = 0;
    const std::uint64_t a = run_match(tick_rate, 1234, 10000, &mid_a);
    const std::uint64_t b = run_match(tick_rate, 1234, 10000, &mid_b);
    EXPECT_EQ(a, b);
    EXPECT_EQ(mid_a, mid_b);
    // And the hash really depends on what happened.
    EXPECT_NE(a, run_match(tick_rate, 1235, 10000));
}

INSTANTIATE_TEST_SUITE_P(TickRates, Determinism, ::testing::Values(10, 30, 60, 128));

TEST(StateHash, ChangesWithEveryField) {
    Rules rules;
    World world = make_world(busy_map());
    add_player(world, PlayerId{1}, rules);
    const std::uint64_t base = state_hash(world);
    const auto changed = [&](auto mutate) {
        World copy = world;
        mutate(copy.players[0]);
        return state_hash(copy) != base;
    };
    EXPECT_TRUE(changed([](Player& p) { p.position.x += 0.125f; }));
    EXPECT_TRUE(changed([](Player& p) { p.velocity.y += 0.25f; }));
    EXPECT_TRUE(changed([](Player& p) { p.aim += 1; }));
    EXPECT_TRUE(changed([](Player& p) { p.health -= 1; }));
    EXPECT_TRUE(changed([](Player& p) { p.alive = !p.alive; }));
    EXPECT_TRUE(changed([](Player& p) { p.next_fire_tick += 1; }));
    EXPECT_TRUE(changed([](Player& p) { p.next_dash_tick += 1; }));
    EXPECT_TRUE(changed([](Player& p) { p.dash_end_tick += 1; }));
    EXPECT_TRUE(changed([](Player& p) { p.respawn_tick += 1; }));
    EXPECT_TRUE(changed([](Player& p) { p.protected_until_tick += 1; }));
    EXPECT_TRUE(changed([](Player& p) { p.frags += 1; }));
    EXPECT_TRUE(changed([](Player& p) { p.deaths += 1; }));
    EXPECT_TRUE(changed([](Player& p) { p.hits += 1; }));
    World later = world;
    later.tick += 1;
    EXPECT_NE(state_hash(later), base);
}
