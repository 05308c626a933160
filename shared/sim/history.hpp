// shared/sim/history.hpp
//
// Where every player was over the last second or so: what lag compensation
// rewinds to. step() records the world into it at the start of each tick and
// checks a lag-compensated shot against the positions at the shooter's
// view tick (Rules::max_rewind_ms + max_interp_ms cap how far back).
//
// IMPORTANT: one history per World; it is state of the match, kept beside the
// World rather than inside it so predicted copies of a World stay cheap.
#pragma once

#include "shared/sim/types.hpp"
#include "shared/sim/world.hpp"
#include "shared/util/ring_buffer.hpp"

#include <cstdint>
#include <vector>

namespace skirmish::sim {

struct PastPlayer {
    PlayerId id{};
    Vec2 position;
    bool alive = false;
};

class PositionHistory {
public:
    // Capacity in ticks; 128 holds a second at the highest tick rate.
    explicit PositionHistory(std::size_t capacity_ticks = 128);

    // Stores every player's position under world.tick (replacing an older entry
    // that shared the slot).
    void record(const World& world);

    // Positions at `tick + fraction/256`, interpolated between the two stored
    // ticks around it (or just `tick` if the next one is not stored yet).
    // Returns false, leaving `out` empty, if `tick` is not stored.
    bool positions_at(Tick tick, std::uint8_t fraction, std::vector<PastPlayer>& out) const;

    bool has(Tick tick) const noexcept { return frames_.contains(tick); }
    std::size_t capacity() const noexcept { return frames_.capacity(); }
    void clear() noexcept { frames_.clear(); }

private:
    util::SequenceRing<std::vector<PastPlayer>> frames_; // by tick; players sorted by id
};

} // namespace skirmish::sim
