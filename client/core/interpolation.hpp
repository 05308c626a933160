// client/core/interpolation.hpp
//
// Entity interpolation: everyone else is drawn a little in the past, between
// two snapshots that have both arrived, so they move smoothly at any snapshot
// rate. The delay adapts: about two snapshot intervals plus twice the jitter
// of snapshot arrivals. When the newest snapshot is late the entities are
// extrapolated along their velocity for a short while, then held.
//
// IMPORTANT: time comes in as values; the render tick moves with real time and
// is steered gently (never jumps unless far off) towards its target.
#pragma once

#include "shared/protocol/snapshot_codec.hpp"
#include "shared/util/clock.hpp"

#include <deque>
#include <vector>

namespace skirmish::client {

struct InterpolationOptions {
    bool enabled = true;                  // off: everyone at the newest snapshot
    double delay_snapshots = 2.0;         // base delay in snapshot intervals
    double max_extrapolation_ms = 100.0;  // then hold
};

class Interpolator {
public:
    Interpolator(int tick_rate_hz, int snapshot_interval_ticks, InterpolationOptions options);

    void set_options(const InterpolationOptions& options) { options_ = options; }
    const InterpolationOptions& options() const noexcept { return options_; }

    // A snapshot arrived (in any order; older than what is held is ignored).
    void push(const protocol::SnapshotState& snapshot, util::TimePoint arrival);
    // Advances the render tick to `now`; jitter_ms widens the delay.
    void update(util::TimePoint now, double jitter_ms);

    // Every player as drawn at the render tick.
    std::vector<sim::Player> sample() const;

    double render_tick() const noexcept { return render_tick_; }
    double delay_ms() const noexcept;
    // Snapshots held that are newer than the render tick.
    int buffer_depth() const noexcept;
    bool extrapolating() const noexcept;
    const protocol::SnapshotState* newest() const noexcept { return held_.empty() ? nullptr : &held_.back(); }
    bool ready() const noexcept { return started_; }

private:
    double rate_;
    int interval_;
    InterpolationOptions options_;
    std::deque<protocol::SnapshotState> held_; // by increasing tick
    double render_tick_ = 0;
    double delay_ticks_ = 0;
    util::TimePoint last_update_{};
    bool started_ = false;
};

} // namespace skirmish::client
