// client/core/remote_smoothness.hpp
//
// How smoothly the other players are drawn, counted per frame (a frame of the
// desktop client, a loop of a bot): frames in which they were extrapolated
// (the render tick past the newest snapshot), extrapolations that went on for
// longer than 100 ms, and visible snaps: a remote player's drawn position
// moving further in one frame than any player can (a dash at the rules' top
// speed plus the most a collision pushes in a tick), when alive in both frames.
//
// IMPORTANT: pure: frame durations and drawn positions come in as values.
#pragma once

#include "shared/sim/rules.hpp"
#include "shared/sim/world.hpp"

#include <cstdint>
#include <span>
#include <vector>

namespace skirmish::client {

struct SmoothnessCounts {
    std::uint64_t frames = 0;              // frames with another player drawn
    std::uint64_t extrapolated_frames = 0; // of those, frames drawing them extrapolated
    std::uint64_t long_extrapolations = 0; // extrapolations that lasted longer than kLongExtrapolationS
    std::uint64_t snaps = 0;               // remote players' visible jumps
    double seconds = 0;                    // time those frames covered

    double extrapolated_pct() const noexcept {
        return frames ? 100.0 * static_cast<double>(extrapolated_frames) / static_cast<double>(frames) : 0.0;
    }
    double snaps_per_min() const noexcept { return seconds > 0 ? static_cast<double>(snaps) * 60.0 / seconds : 0.0; }
};

class RemoteSmoothness {
public:
    static constexpr double kLongExtrapolationS = 0.1;
    static constexpr float kSnapSlackUnits = 1.0f; // quantisation and rounding

    explicit RemoteSmoothness(const sim::Rules& rules = {});

    // One frame, `elapsed_s` after the previous: whether the others are drawn
    // extrapolated, and every player as drawn (`self` is skipped).
    void frame(double elapsed_s, bool extrapolating, std::span<const sim::Player> drawn, sim::PlayerId self);

    const SmoothnessCounts& counts() const noexcept { return counts_; }
    // The farthest any player can move in `elapsed_s`, in world units.
    float reach(double elapsed_s) const noexcept;

private:
    float top_speed_;              // units/s: a dash, plus a collision's push every tick
    SmoothnessCounts counts_;
    std::vector<sim::Player> last_; // last frame's drawn others, by id
    std::vector<sim::Player> scratch_;
    double extrapolating_s_ = 0;     // how long the current extrapolation has lasted
    bool counted_long_ = false;
};

} // namespace skirmish::client
