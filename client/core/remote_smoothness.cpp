// client/core/remote_smoothness.cpp
#include "client/core/remote_smoothness.hpp"

#include <algorithm>

namespace skirmish::client {

RemoteSmoothness::RemoteSmoothness(const sim::Rules& rules)
    // step() pushes overlapping players apart by up to half a radius a tick.
    : top_speed_(rules.top_speed() + rules.player_radius * 0.5f * static_cast<float>(rules.tick_rate_hz)) {}

float RemoteSmoothness::reach(double elapsed_s) const noexcept {
    return top_speed_ * static_cast<float>(elapsed_s) + kSnapSlackUnits;
}

void RemoteSmoothness::frame(double elapsed_s, bool extrapolating, std::span<const sim::Player> drawn,
                             sim::PlayerId self) {
    std::vector<sim::Player>& others = scratch_; // reused: no allocation per frame once warm
    others.clear();
    for (const sim::Player& p : drawn) {
        if (p.id != self) others.push_back(p);
    }
    std::sort(others.begin(), others.end(), [](const sim::Player& a, const sim::Player& b) { return a.id < b.id; });
    if (others.empty()) {
        last_.clear();
        extrapolating_s_ = 0;
        counted_long_ = false;
        return;
    }
    ++counts_.frames;
    counts_.seconds += std::max(0.0, elapsed_s);
    if (extrapolating) {
        ++counts_.extrapolated_frames;
        extrapolating_s_ += std::max(0.0, elapsed_s);
        if (!counted_long_ && extrapolating_s_ > kLongExtrapolationS) {
            ++counts_.long_extrapolations;
            counted_long_ = true;
        }
    } else {
        extrapolating_s_ = 0;
        counted_long_ = false;
    }
    const float most = reach(elapsed_s);
    for (const sim::Player& now : others) {
        auto before = std::lower_bound(last_.begin(), last_.end(), now.id,
                                       [](const sim::Player& p, sim::PlayerId id) { return p.id < id; });
        if (before == last_.end() || before->id != now.id || !before->alive || !now.alive) continue;
        if (sim::length(now.position - before->position) > most) ++counts_.snaps;
    }
    std::swap(last_, others);
}

} // namespace skirmish::client
