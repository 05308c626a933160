// tests/support/test_maps.hpp: small maps built in code for rule tests.
#pragma once

#include "shared/sim/map.hpp"
#include "shared/sim/rules.hpp"
#include "shared/sim/world.hpp"

#include "support/source_dir.hpp"

#include <memory>

namespace skirmish::test {

// An empty 1000x1000 arena with spawns in the corners and centre.
inline std::shared_ptr<const sim::Map> open_map() {
    auto map = std::make_shared<sim::Map>();
    map->name = "open";
    map->width = 1000;
    map->height = 1000;
    map->spawns = {{100, 100}, {900, 100}, {100, 900}, {900, 900}, {500, 500}};
    return map;
}

// A 1000x1000 arena with a thin wall down the middle (x 495..505, y 200..800).
inline std::shared_ptr<const sim::Map> wall_map(float thickness = 10.0f) {
    auto map = std::make_shared<sim::Map>();
    map->name = "wall";
    map->width = 1000;
    map->height = 1000;
    map->walls = {{500.0f - thickness / 2, 200, thickness, 600}};
    map->spawns = {{100, 500}, {900, 500}};
    return map;
}

// Puts a player at an exact spot (tests arrange positions by hand).
inline sim::Player& place(sim::World& world, const sim::Rules& rules, sim::PlayerId id, sim::Vec2 at) {
    sim::Player* p = sim::add_player(world, id, rules);
    if (!p) p = world.find(id);
    p->position = at;
    p->velocity = {};
    // Placed players are ready to fight: tests of weapons and damage are not
    // about spawn protection (tests/sim/spawn_protection_test.cpp is).
    p->protected_until_tick = 0;
    return *p;
}

} // namespace skirmish::test
