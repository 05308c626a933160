// shared/sim/history.cpp
#include "shared/sim/history.hpp"

#include <algorithm>

namespace skirmish::sim {

PositionHistory::PositionHistory(std::size_t capacity_ticks) : frames_(std::max<std::size_t>(capacity_ticks, 2)) {}

void PositionHistory::record(const World& world) {
    Frame& f = frames_[world.tick % frames_.size()];
    f.tick = world.tick;
    f.valid = true;
    f.players.clear();
    for (const Player& p : world.players) f.players.push_back({p.id, p.position, p.alive});
}

const PositionHistory::Frame* PositionHistory::frame(Tick tick) const noexcept {
    const Frame& f = frames_[tick % frames_.size()];
    return (f.valid && f.tick == tick) ? &f : nullptr;
}

bool PositionHistory::has(Tick tick) const noexcept { return frame(tick) != nullptr; }

bool PositionHistory::positions_at(Tick tick, std::uint8_t fraction, std::vector<PastPlayer>& out) const {
    out.clear();
    const Frame* a = frame(tick);
    if (!a) return false;
    out = a->players;
    const Frame* b = fraction ? frame(tick + 1) : nullptr;
    if (!b) return true;
    const float t = static_cast<float>(fraction) / 256.0f;
    for (PastPlayer& p : out) {
        auto it = std::lower_bound(b->players.begin(), b->players.end(), p.id,
                                   [](const PastPlayer& q, PlayerId id) { return q.id < id; });
        // Only blend a player who was alive at both ends: a respawn is a jump, not a path.
        if (it != b->players.end() && it->id == p.id && p.alive && it->alive)
            p.position = lerp(p.position, it->position, t);
    }
    return true;
}

void PositionHistory::clear() noexcept {
    for (Frame& f : frames_) f.valid = false;
}

} // namespace skirmish::sim
