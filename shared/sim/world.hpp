// shared/sim/world.hpp
//
// The state of one match: its players, its map and where it is in time.
// A World is a plain value: copy it to keep a baseline, compare two with
// state_hash(). Only step() (step.hpp) advances it.
#pragma once

#include "shared/sim/map.hpp"
#include "shared/sim/rules.hpp"
#include "shared/sim/types.hpp"

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace skirmish::sim {

enum class MatchPhase : std::uint8_t { Running, Over };

// Every timer is an absolute tick ("may fire again at tick N") rather than a
// countdown, so an idle player's state does not change from tick to tick
// (cheap to delta-encode, easy to compare).
struct Player {
    PlayerId id{};
    Vec2 position;
    Vec2 velocity;
    std::uint16_t aim = 0; // 1/4096 turns, see quantise.hpp
    std::int16_t health = 0;
    bool alive = false;
    Tick respawn_tick = 0;   // when dead: the tick it comes back
    Tick next_fire_tick = 0; // the rifle may fire at or after this tick
    Tick next_dash_tick = 0; // a dash may start at or after this tick
    Tick dash_end_tick = 0;  // dashing while tick < dash_end_tick
    Tick protected_until_tick = 0; // spawn protection: no damage while tick < this; firing ends it
    std::int16_t frags = 0;
    std::int16_t deaths = 0;
    std::int16_t hits = 0;   // shots of this player's that hit someone (what a hit marker shows)

    friend bool operator==(const Player&, const Player&) = default;
};

struct World {
    Tick tick = 0;
    MatchPhase phase = MatchPhase::Running;
    std::shared_ptr<const Map> map;
    std::vector<Player> players; // sorted by id, unique ids

    Player* find(PlayerId id) noexcept;
    const Player* find(PlayerId id) const noexcept;
};

// A fresh match at tick 0 on `map`.
World make_world(std::shared_ptr<const Map> map);

// Adds a player, alive, at the freest spawn point. Returns nullptr if the id
// is already present. Joining a match that is over adds the player dead.
Player* add_player(World& world, PlayerId id, const Rules& rules);
// Returns false if no such player.
bool remove_player(World& world, PlayerId id);

// The spawn point farthest from every living player other than `except`
// (ties go to the lowest index). Returns its index into map.spawns.
std::size_t freest_spawn(const World& world, const Rules& rules, PlayerId except);

// Snaps positions and velocities to the grid of quantise.hpp.
void quantise_world(World& world) noexcept;

} // namespace skirmish::sim
