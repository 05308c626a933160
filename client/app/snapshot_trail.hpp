// client/app/snapshot_trail.hpp
//
// The study view of interpolation: the last few positions each other player
// had in the snapshots that arrived (raw, as the server sent them), so the
// match can draw them as dots with a short trail beside the body that
// interpolation draws between them, about two snapshot intervals behind.
//
// IMPORTANT: pure; fed once per frame with the view's newest snapshot. One
// point per snapshot tick: a frame without a new snapshot adds nothing.
#pragma once

#include "shared/sim/types.hpp"

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <span>
#include <utility>

namespace skirmish::app {

struct TrailPoint {
    std::uint32_t tick = 0;
    sim::Vec2 position;
};

class SnapshotTrail {
public:
    static constexpr std::size_t kLength = 8; // snapshots kept per player (a quarter second at 30/s)

    // The newest snapshot's tick and the others' positions in it. A tick not
    // newer than the last one is ignored, unless it is older (a new match),
    // which starts the trails again. Players absent from it lose their trail.
    void record(std::uint32_t tick, std::span<const std::pair<sim::PlayerId, sim::Vec2>> positions);
    void clear();

    // Oldest first; empty for a player not seen.
    const std::deque<TrailPoint>& trail(sim::PlayerId player) const;
    std::size_t players() const noexcept { return trails_.size(); }

private:
    std::uint32_t last_tick_ = 0;
    std::map<sim::PlayerId, std::deque<TrailPoint>> trails_;
};

} // namespace skirmish::app
