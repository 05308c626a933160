// client/core/shot_rewinds.cpp
#include "client/core/shot_rewinds.hpp"

#include <algorithm>
#include <cmath>

namespace skirmish::client {

void ShotRewinds::fired(sim::Tick tick, const std::vector<sim::Player>& others) {
    fired_.push_back({tick, others});
    while (fired_.size() > kMaxShots) fired_.pop_front();
}

void ShotRewinds::judged(const protocol::ShotJudged& judged, int tick_rate_hz) {
    ShotRewind r;
    r.tick = judged.tick;
    r.target_id = sim::PlayerId{judged.target_id};
    r.server_at = judged.target;
    r.rewind_ms = tick_rate_hz > 0 ? 1000.0 * judged.rewind_ticks / tick_rate_hz : 0.0;
    r.hit = judged.hit;
    const auto it = std::find_if(fired_.begin(), fired_.end(), [&](const Fired& f) { return f.tick == judged.tick; });
    if (it != fired_.end()) {
        for (const sim::Player& p : it->others) {
            if (p.id == r.target_id) r.seen_at = p.position;
        }
        fired_.erase(fired_.begin(), std::next(it)); // older shots have been judged or never will be
    }
    shown_.push_back(r);
    while (shown_.size() > kMaxShown) shown_.pop_front();
}

void ShotRewinds::age(double frame_s) {
    for (ShotRewind& r : shown_) r.age_s += frame_s;
    while (!shown_.empty() && shown_.front().age_s > kLifetimeS) shown_.pop_front();
}

void ShotRewinds::show(ClientView& view) const { view.rewinds.assign(shown_.begin(), shown_.end()); }

void ShotRewinds::clear() {
    fired_.clear();
    shown_.clear();
}

} // namespace skirmish::client
