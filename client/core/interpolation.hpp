// client/core/interpolation.hpp
//
// Entity interpolation: everyone else is drawn a little in the past, between
// two snapshots that have both arrived, so they move smoothly at any snapshot
// rate. The delay adapts: about two snapshot intervals plus twice the jitter
// of snapshot arrivals. When the newest snapshot is late the entities are
// extrapolated along their velocity for a short while, then held. What is
// drawn (drawn()) follows that, except that a jump no movement explains (the
// way back from an extrapolation that guessed wrong, an out-of-order
// snapshot) is blended out over about a tenth of a second instead of shown.
//
// IMPORTANT: time comes in as values; the render tick moves with real time and
// is steered gently (never jumps unless far off) towards its target.
// IMPORTANT: sample() is the raw interpolation at the view tick (the render
// tick in the 1/256ths a view_fraction carries), which is what the server
// rewinds to for lag compensation; drawn() is for the eye.
#pragma once

#include "shared/protocol/snapshot_codec.hpp"
#include "shared/util/clock.hpp"

#include <cmath>
#include <deque>
#include <vector>

namespace skirmish::client {

struct InterpolationOptions {
    bool enabled = true;                  // off: everyone at the newest snapshot
    double delay_snapshots = 2.0;         // base delay in snapshot intervals
    double max_extrapolation_ms = 100.0;  // then hold
    bool smoothing = true;                // blend out jumps in what is drawn (off: show them)
    double smoothing_half_life_ms = 40.0; // how fast a blended jump fades
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

    // Every player at the render tick (raw interpolation or extrapolation).
    std::vector<sim::Player> sample() const;
    // Every player as drawn this frame (as of the last update()): sample()
    // plus each player's fading correction offset.
    const std::vector<sim::Player>& drawn() const noexcept { return drawn_; }

    double render_tick() const noexcept { return render_tick_; }
    // The render tick as a client reports it (whole ticks and 1/256ths, what
    // a view_tick and view_fraction carry): where sample() and drawn() are.
    double view_tick() const noexcept { return std::floor(render_tick_ * 256.0) / 256.0; }
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

    // Drawing: last frame's raw sample and each player's correction offset.
    void update_drawn(double elapsed_s);
    struct Offset {
        sim::PlayerId id{};
        sim::Vec2 offset;
    };
    std::vector<sim::Player> raw_;   // last frame's sample(), by id
    std::vector<Offset> offsets_;    // by id; only players with an offset
    std::vector<sim::Player> drawn_; // by id
};

} // namespace skirmish::client
