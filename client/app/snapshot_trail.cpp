// client/app/snapshot_trail.cpp
#include "client/app/snapshot_trail.hpp"

#include <algorithm>

namespace skirmish::app {

void SnapshotTrail::clear() {
    trails_.clear();
    last_tick_ = 0;
}

void SnapshotTrail::record(std::uint32_t tick, std::span<const std::pair<sim::PlayerId, sim::Vec2>> positions) {
    if (tick == 0) return;
    if (tick < last_tick_) clear();
    if (tick == last_tick_) return;
    last_tick_ = tick;
    std::erase_if(trails_, [&](const auto& entry) {
        return std::none_of(positions.begin(), positions.end(), [&](const auto& p) { return p.first == entry.first; });
    });
    for (const auto& [id, position] : positions) {
        std::deque<TrailPoint>& trail = trails_[id];
        trail.push_back({tick, position});
        while (trail.size() > kLength) trail.pop_front();
    }
}

const std::deque<TrailPoint>& SnapshotTrail::trail(sim::PlayerId player) const {
    static const std::deque<TrailPoint> kNone;
    const auto it = trails_.find(player);
    return it == trails_.end() ? kNone : it->second;
}

} // namespace skirmish::app
