// Walls: sliding, corners, and no tunnelling at any speed the game allows.
#include "shared/sim/collision.hpp"
#include "shared/sim/step.hpp"
#include "shared/util/rng.hpp"
#include "support/test_maps.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

using namespace skirmish::sim;
using skirmish::test::place;
using skirmish::test::wall_map;
using skirmish::util::Rng;

namespace {

// How far the centre is from the rectangle (0 if inside).
float distance_to(const Rect& r, Vec2 p) {
    const float dx = std::max({r.x - p.x, 0.0f, p.x - r.right()});
    const float dy = std::max({r.y - p.y, 0.0f, p.y - r.bottom()});
    return std::sqrt(dx * dx + dy * dy);
}

// A maze of thin walls: the hardest case for tunnelling.
std::shared_ptr<const Map> thin_wall_maze() {
    auto map = std::make_shared<Map>();
    map->name = "maze";
    map->width = 1200;
    map->height = 1200;
    for (int i = 0; i < 6; ++i) {
        const float f = static_cast<float>(i);
        map->walls.push_back({150 + f * 170, 100, 1, 400});   // 1 unit thick
        map->walls.push_back({100, 650 + f * 90, 500, 0.5f}); // half a unit thick
        map->walls.push_back({700 + f * 60, 700, 30, 30});    // small blocks
    }
    map->spawns = {{60, 60}, {1140, 1140}};
    return map;
}

} // namespace

TEST(Collision, SlidesAlongAWallInsteadOfStopping) {
    Rules rules;
    World world = make_world(wall_map());
    place(world, rules, PlayerId{1}, {470, 500});
    PlayerInput in{PlayerId{1}};
    in.move_x = 127;
    in.move_y = 127;
    for (int i = 0; i < 30; ++i) step(world, std::span(&in, 1), rules);
    const Player& p = *world.find(PlayerId{1});
    EXPECT_LE(p.position.x, 495.0f - rules.player_radius + 0.1f);
    EXPECT_GT(p.position.y, 540.0f); // kept moving down along the wall
}

TEST(Collision, StaysInsideTheArena) {
    Rules rules;
    World world = make_world(wall_map());
    place(world, rules, PlayerId{1}, {30, 30});
    PlayerInput in{PlayerId{1}};
    in.move_x = -127;
    in.move_y = -127;
    in.buttons = buttons::kDash;
    for (int i = 0; i < 60; ++i) step(world, std::span(&in, 1), rules);
    const Player& p = *world.find(PlayerId{1});
    EXPECT_GE(p.position.x, rules.player_radius - 0.01f);
    EXPECT_GE(p.position.y, rules.player_radius - 0.01f);
}

TEST(Collision, NeverTunnelsThroughThinWallsAtAnySpeedOrTickRate) {
    const auto map = thin_wall_maze();
    Rng rng(20261124);
    int checks = 0;
    for (int tick_rate : {10, 30, 60, 128}) {
        Rules rules;
        rules.tick_rate_hz = tick_rate;
        rules.dash_cooldown_s = 0.05f; // dash as often as possible: top speed most of the time
        for (int trial = 0; trial < 40; ++trial) {
            World world = make_world(map);
            for (std::uint32_t id = 1; id <= 6; ++id) {
                // Random start clear of every wall.
                Vec2 at;
                do {
                    at = {static_cast<float>(rng.uniform(20, 1180)), static_cast<float>(rng.uniform(20, 1180))};
                } while (std::any_of(map->walls.begin(), map->walls.end(), [&](const Rect& w) {
                    return circle_overlaps_rect(at, rules.player_radius, w);
                }));
                place(world, rules, PlayerId{id}, at);
            }
            for (int t = 0; t < 4 * tick_rate; ++t) {
                std::vector<PlayerInput> inputs;
                for (std::uint32_t id = 1; id <= 6; ++id) {
                    PlayerInput in{PlayerId{id}};
                    in.move_x = static_cast<std::int8_t>(static_cast<int>(rng.below(255)) - 127);
                    in.move_y = static_cast<std::int8_t>(static_cast<int>(rng.below(255)) - 127);
                    in.aim = static_cast<std::uint16_t>(rng.below(4096));
                    in.buttons = rng.chance(0.3) ? buttons::kDash : 0;
                    inputs.push_back(in);
                }
                // Record which side of each wall every centre is on before the step.
                World before = world;
                step(world, inputs, rules);
                for (const Player& p : world.players) {
                    const Player& was = *before.find(p.id);
                    for (const Rect& w : map->walls) {
                        // Never inside, and never overlapping by more than the quantisation step.
                        ASSERT_GE(distance_to(w, p.position), rules.player_radius - 0.2f)
                            << "tick rate " << tick_rate << " trial " << trial;
                        // A wall crossed in one tick would show as the straight line from
                        // the old centre to the new one passing through the wall itself
                        // (a legal slide around a corner keeps a radius of clearance).
                        const Vec2 d = p.position - was.position;
                        const float len = length(d);
                        if (len > 0.0f) {
                            if (ray_hits_rect(was.position, d * (1.0f / len), w, len)) {
                                ADD_FAILURE() << "tick rate " << tick_rate << ": moved through the wall at ("
                                              << w.x << ", " << w.y << ") from (" << was.position.x << ", "
                                              << was.position.y << ") to (" << p.position.x << ", "
                                              << p.position.y << ")";
                            }
                        }
                        ++checks;
                    }
                }
            }
        }
    }
    EXPECT_GT(checks, 100000);
}

TEST(Collision, RayAgainstRectangleAndCircle) {
    const Rect r{10, -5, 4, 10};
    ASSERT_TRUE(ray_hits_rect({0, 0}, {1, 0}, r, 100).has_value());
    EXPECT_FLOAT_EQ(*ray_hits_rect({0, 0}, {1, 0}, r, 100), 10.0f);
    EXPECT_FALSE(ray_hits_rect({0, 0}, {-1, 0}, r, 100).has_value());
    EXPECT_FALSE(ray_hits_rect({0, 0}, {1, 0}, r, 5).has_value());
    EXPECT_FALSE(ray_hits_rect({0, 20}, {1, 0}, r, 100).has_value());
    ASSERT_TRUE(ray_hits_circle({0, 0}, {1, 0}, {20, 0}, 5, 100).has_value());
    EXPECT_FLOAT_EQ(*ray_hits_circle({0, 0}, {1, 0}, {20, 0}, 5, 100), 15.0f);
    EXPECT_FALSE(ray_hits_circle({0, 0}, {1, 0}, {20, 6}, 5, 100).has_value());
    EXPECT_FALSE(ray_hits_circle({0, 0}, {-1, 0}, {20, 0}, 5, 100).has_value());
}
