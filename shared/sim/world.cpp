// shared/sim/world.cpp
#include "shared/sim/world.hpp"

#include "shared/sim/quantise.hpp"

#include <algorithm>
#include <limits>

namespace skirmish::sim {

Player* World::find(PlayerId id) noexcept {
    auto it = std::lower_bound(players.begin(), players.end(), id,
                               [](const Player& p, PlayerId key) { return p.id < key; });
    return (it != players.end() && it->id == id) ? &*it : nullptr;
}

const Player* World::find(PlayerId id) const noexcept { return const_cast<World*>(this)->find(id); }

World make_world(std::shared_ptr<const Map> map) {
    World world;
    world.map = std::move(map);
    return world;
}

std::size_t freest_spawn(const World& world, const Rules&, PlayerId except) {
    const auto& spawns = world.map->spawns;
    std::size_t best = 0;
    float best_clearance = -1.0f;
    for (std::size_t i = 0; i < spawns.size(); ++i) {
        float clearance = std::numeric_limits<float>::max();
        for (const Player& p : world.players) {
            if (!p.alive || p.id == except) continue;
            const Vec2 d = p.position - spawns[i];
            clearance = std::min(clearance, dot(d, d));
        }
        if (clearance > best_clearance) {
            best_clearance = clearance;
            best = i;
        }
    }
    return best;
}

Player* add_player(World& world, PlayerId id, const Rules& rules) {
    auto it = std::lower_bound(world.players.begin(), world.players.end(), id,
                               [](const Player& p, PlayerId key) { return p.id < key; });
    if (it != world.players.end() && it->id == id) return nullptr;
    Player player;
    player.id = id;
    player.health = static_cast<std::int16_t>(rules.max_health);
    player.position = world.map->spawns[freest_spawn(world, rules, id)];
    player.alive = world.phase == MatchPhase::Running;
    if (player.alive) player.protected_until_tick = world.tick + rules.ticks(rules.spawn_protection_s);
    Player& added = *world.players.insert(it, player);
    return &added;
}

bool remove_player(World& world, PlayerId id) {
    auto it = std::find_if(world.players.begin(), world.players.end(), [id](const Player& p) { return p.id == id; });
    if (it == world.players.end()) return false;
    world.players.erase(it);
    return true;
}

void quantise_world(World& world) noexcept {
    for (Player& p : world.players) {
        p.position = {quantise(p.position.x, kPositionScale), quantise(p.position.y, kPositionScale)};
        p.velocity = {quantise(p.velocity.x, kVelocityScale), quantise(p.velocity.y, kVelocityScale)};
    }
}

} // namespace skirmish::sim
