// shared/sim/history.cpp
#include "shared/sim/history.hpp"

#include <algorithm>

namespace skirmish::sim {

PositionHistory::PositionHistory(std::size_t capacity_ticks) : frames_(std::max<std::size_t>(capacity_ticks, 2)) {}

void PositionHistory::record(const World& world) {
    std::vector<PastPlayer>& players = frames_.claim(world.tick); // reuses the old frame's storage
    players.clear();
    for (const Player& p : world.players) players.push_back({p.id, p.position, p.alive});
}

bool PositionHistory::positions_at(Tick tick, std::uint8_t fraction, std::vector<PastPlayer>& out) const {
    out.clear();
    const std::vector<PastPlayer>* a = frames_.find(tick);
    if (!a) return false;
    out = *a;
    const std::vector<PastPlayer>* b = fraction ? frames_.find(tick + 1) : nullptr;
    if (!b) return true;
    const float t = static_cast<float>(fraction) / 256.0f;
    for (PastPlayer& p : out) {
        auto it = std::lower_bound(b->begin(), b->end(), p.id,
                                   [](const PastPlayer& q, PlayerId id) { return q.id < id; });
        // Only blend a player who was alive at both ends: a respawn is a jump, not a path.
        if (it != b->end() && it->id == p.id && p.alive && it->alive)
            p.position = lerp(p.position, it->position, t);
    }
    return true;
}

} // namespace skirmish::sim
