// client/core/interpolation.cpp
#include "client/core/interpolation.hpp"

#include "shared/sim/quantise.hpp"

#include <algorithm>
#include <cmath>

namespace skirmish::client {

namespace {
constexpr std::size_t kHeldSnapshots = 32;
constexpr float kTeleportDistance = 96.0f; // a jump this big is a respawn: never blend it
// A blended jump fades with the half-life, but never faster than this extra
// speed (units/s): a large offset would otherwise itself look like a jump.
constexpr float kMaxCatchUpSpeed = 200.0f;

std::uint16_t lerp_aim(std::uint16_t a, std::uint16_t b, float t) {
    const int steps = static_cast<int>(sim::kAimSteps);
    int d = (static_cast<int>(b) - static_cast<int>(a)) % steps;
    if (d > steps / 2) d -= steps;
    if (d < -steps / 2) d += steps;
    const int v = static_cast<int>(std::lround(static_cast<float>(a) + static_cast<float>(d) * t));
    return static_cast<std::uint16_t>(((v % steps) + steps) % steps);
}

sim::Player blend(const sim::Player& a, const sim::Player& b, float t) {
    if (a.alive != b.alive || sim::length(b.position - a.position) > kTeleportDistance) return t < 0.5f ? a : b;
    sim::Player p = t < 0.5f ? a : b; // discrete fields from the nearer snapshot
    p.position = sim::lerp(a.position, b.position, t);
    p.velocity = sim::lerp(a.velocity, b.velocity, t);
    p.aim = lerp_aim(a.aim, b.aim, t);
    return p;
}

} // namespace

Interpolator::Interpolator(int tick_rate_hz, int snapshot_interval_ticks, InterpolationOptions options)
    : rate_(tick_rate_hz), interval_(std::max(1, snapshot_interval_ticks)), options_(options) {}

void Interpolator::push(const protocol::SnapshotState& snapshot, util::TimePoint) {
    if (!held_.empty() && snapshot.tick <= held_.back().tick) {
        // Out of order: slot it in if it is still useful, else ignore.
        if (snapshot.tick <= held_.front().tick) return;
        auto it = std::lower_bound(held_.begin(), held_.end(), snapshot.tick,
                                   [](const protocol::SnapshotState& s, sim::Tick t) { return s.tick < t; });
        if (it != held_.end() && it->tick == snapshot.tick) return;
        held_.insert(it, snapshot);
    } else {
        held_.push_back(snapshot);
    }
    while (held_.size() > kHeldSnapshots) held_.pop_front();
}

void Interpolator::update(util::TimePoint now, double jitter_ms) {
    if (held_.empty()) return;
    delay_ticks_ = options_.delay_snapshots * interval_ + 2.0 * jitter_ms / 1000.0 * rate_;
    const double target = static_cast<double>(held_.back().tick) - delay_ticks_;
    if (!started_) {
        render_tick_ = target;
        last_update_ = now;
        started_ = true;
        update_drawn(0.0);
        return;
    }
    const double elapsed = std::max(0.0, util::to_seconds(now - last_update_));
    last_update_ = now;
    // Run with real time, steered by up to ±10 % towards the target so the
    // delay holds without visible jumps; far off (a stall, a resync): jump.
    const double error = target - render_tick_;
    if (std::abs(error) > 4.0 * interval_ + 8.0) {
        render_tick_ = target;
    } else {
        const double speed = 1.0 + std::clamp(error * 0.05, -0.1, 0.1);
        render_tick_ += elapsed * rate_ * speed;
    }
    update_drawn(elapsed);
}

void Interpolator::update_drawn(double elapsed_s) {
    std::vector<sim::Player> raw = sample();
    const auto find = [](auto& list, sim::PlayerId id) {
        auto it = std::lower_bound(list.begin(), list.end(), id, [](const auto& x, sim::PlayerId i) { return x.id < i; });
        return it != list.end() && it->id == id ? &*it : nullptr;
    };
    std::vector<Offset> offsets;
    const double fade = options_.smoothing_half_life_ms > 0
                            ? std::exp2(-elapsed_s * 1000.0 / options_.smoothing_half_life_ms)
                            : 0.0;
    for (const sim::Player& now : raw) {
        sim::Vec2 offset{};
        if (const Offset* kept = find(offsets_, now.id)) {
            offset = kept->offset * static_cast<float>(fade);
            const float faded = sim::length(kept->offset) - sim::length(offset);
            const float most = kMaxCatchUpSpeed * static_cast<float>(elapsed_s);
            if (faded > most) offset = kept->offset * ((sim::length(kept->offset) - most) / sim::length(kept->offset));
        }
        const sim::Player* before = find(raw_, now.id);
        if (options_.smoothing && before && before->alive && now.alive) {
            // How far the raw position moved against how far its velocity
            // could carry it this frame (with slack for acceleration and
            // dashes): what is left is a jump, and it goes into the offset.
            const sim::Vec2 moved = now.position - before->position;
            const float reach = static_cast<float>(elapsed_s) *
                                    std::max(sim::length(before->velocity), sim::length(now.velocity)) * 1.25f +
                                1.0f;
            const float jump = sim::length(moved);
            if (jump > reach && jump < kTeleportDistance) offset += moved * ((reach - jump) / jump);
        }
        if (!options_.smoothing || !now.alive || sim::length(offset) < 0.05f) offset = {};
        if (offset.x != 0.0f || offset.y != 0.0f) offsets.push_back({now.id, offset});
    }
    offsets_ = std::move(offsets);
    drawn_ = raw;
    for (sim::Player& p : drawn_) {
        if (const Offset* o = find(offsets_, p.id)) p.position += o->offset;
    }
    raw_ = std::move(raw);
}

std::vector<sim::Player> Interpolator::sample() const {
    if (held_.empty()) return {};
    const double at = view_tick();
    const protocol::SnapshotState& newest = held_.back();
    if (!options_.enabled) return newest.players;
    if (at <= held_.front().tick) return held_.front().players;
    if (at >= newest.tick) {
        // Past the newest snapshot: extrapolate along velocity, briefly.
        const double ahead_s = std::min((at - newest.tick) / rate_, options_.max_extrapolation_ms / 1000.0);
        std::vector<sim::Player> out = newest.players;
        for (sim::Player& p : out) {
            if (p.alive) p.position += p.velocity * static_cast<float>(ahead_s);
        }
        return out;
    }
    auto after = std::upper_bound(held_.begin(), held_.end(), at,
                                  [](double t, const protocol::SnapshotState& s) { return t < s.tick; });
    const protocol::SnapshotState& b = *after;
    const protocol::SnapshotState& a = *(after - 1);
    const float t = static_cast<float>((at - a.tick) / static_cast<double>(b.tick - a.tick));
    std::vector<sim::Player> out;
    out.reserve(b.players.size());
    for (const sim::Player& pb : b.players) {
        auto pa = std::lower_bound(a.players.begin(), a.players.end(), pb.id,
                                   [](const sim::Player& p, sim::PlayerId id) { return p.id < id; });
        if (pa != a.players.end() && pa->id == pb.id) out.push_back(blend(*pa, pb, t));
        else if (t >= 0.5f) out.push_back(pb); // appears half way
    }
    // Players who left between a and b stay until half way.
    if (t < 0.5f) {
        for (const sim::Player& pa : a.players) {
            const bool in_b = std::binary_search(b.players.begin(), b.players.end(), pa,
                                                 [](const sim::Player& x, const sim::Player& y) { return x.id < y.id; });
            if (!in_b) out.insert(std::lower_bound(out.begin(), out.end(), pa,
                                                   [](const sim::Player& x, const sim::Player& y) { return x.id < y.id; }),
                                  pa);
        }
    }
    return out;
}

double Interpolator::delay_ms() const noexcept {
    if (held_.empty()) return 0;
    return (static_cast<double>(held_.back().tick) - render_tick_) / rate_ * 1000.0;
}

int Interpolator::buffer_depth() const noexcept {
    return static_cast<int>(std::count_if(held_.begin(), held_.end(),
                                          [&](const protocol::SnapshotState& s) { return s.tick > render_tick_; }));
}

bool Interpolator::extrapolating() const noexcept {
    return options_.enabled && !held_.empty() && render_tick_ > held_.back().tick;
}

} // namespace skirmish::client
