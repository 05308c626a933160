// client/bots/brain.cpp
#include "client/bots/brain.hpp"

#include "shared/sim/collision.hpp"
#include "shared/sim/quantise.hpp"

#include <algorithm>
#include <cmath>

namespace skirmish::bots {
namespace {
constexpr double kReactionS = 0.15;
constexpr float kMaxAimErrorRad = 0.05f; // about 3 degrees
constexpr double kWaypointPatienceS = 3.0;

std::int8_t axis(float v) { return static_cast<std::int8_t>(std::clamp(std::lround(v * 127.0f), -127L, 127L)); }
} // namespace

client::InputIntent Brain::think(const client::ClientView& view, double dt_s) {
    client::InputIntent in;
    const client::ViewPlayer* me = view.local();
    if (!me || !view.map || !me->state.alive) {
        have_waypoint_ = false;
        return in;
    }
    const sim::Map& map = *view.map;
    const sim::Vec2 at = me->state.position;

    // Wander: walk to a random open point, pick another when there or stuck.
    waypoint_age_s_ += dt_s;
    if (!have_waypoint_ || sim::length(waypoint_ - at) < 40.0f || waypoint_age_s_ > kWaypointPatienceS) {
        for (int attempt = 0; attempt < 8; ++attempt) {
            waypoint_ = {static_cast<float>(rng_.uniform(40, map.width - 40)),
                         static_cast<float>(rng_.uniform(40, map.height - 40))};
            const bool inside_wall = std::any_of(map.walls.begin(), map.walls.end(), [&](const sim::Rect& w) {
                return sim::circle_overlaps_rect(waypoint_, 20.0f, w);
            });
            if (!inside_wall) break;
        }
        have_waypoint_ = true;
        waypoint_age_s_ = 0;
    }
    const sim::Vec2 to_waypoint = waypoint_ - at;
    const float distance = sim::length(to_waypoint);
    if (distance > 1.0f) {
        in.move_x = axis(to_waypoint.x / distance);
        in.move_y = axis(to_waypoint.y / distance);
    }
    float aim = std::atan2(to_waypoint.y, to_waypoint.x);

    // Face the nearest enemy in sight and fire once it has been seen a moment.
    const client::ViewPlayer* nearest = nullptr;
    float nearest_distance = view.rules.rifle_range;
    for (const auto& p : view.players) {
        if (p.local || !p.state.alive) continue;
        const sim::Vec2 d = p.state.position - at;
        const float len = sim::length(d);
        if (len >= nearest_distance || len < 1.0f) continue;
        if (sim::ray_to_walls(map, at, d * (1.0f / len), len) < len - view.rules.player_radius) continue; // behind a wall
        nearest = &p;
        nearest_distance = len;
    }
    if (nearest) {
        if (nearest->id != target_) {
            target_ = nearest->id;
            sighted_s_ = 0;
            aim_error_ = static_cast<float>(rng_.uniform(-kMaxAimErrorRad, kMaxAimErrorRad));
        }
        sighted_s_ += dt_s;
        const sim::Vec2 d = nearest->state.position - at;
        aim = std::atan2(d.y, d.x) + aim_error_;
        in.fire = sighted_s_ >= kReactionS;
    } else {
        target_ = sim::kNoPlayer;
    }
    in.aim = sim::aim_from_radians(aim);

    dash_in_s_ -= dt_s;
    if (dash_in_s_ <= 0) {
        in.dash = true;
        dash_in_s_ = rng_.uniform(2.0, 6.0);
    }
    return in;
}

} // namespace skirmish::bots
