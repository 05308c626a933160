// shared/sim/shot.cpp
#include "shared/sim/shot.hpp"

#include "shared/sim/collision.hpp"
#include "shared/sim/quantise.hpp"

#include <cmath>

namespace skirmish::sim {

Vec2 aim_direction(std::uint16_t aim) noexcept {
    const float a = aim_radians(aim);
    return {std::cos(a), std::sin(a)};
}

ShotTrace trace_shot(const Map& map, const Rules& rules, PlayerId shooter, Vec2 from, std::uint16_t aim,
                     std::span<const PastPlayer> targets) noexcept {
    const Vec2 dir = aim_direction(aim);
    ShotTrace trace;
    trace.distance = ray_to_walls(map, from, dir, rules.rifle_range);
    for (const PastPlayer& target : targets) {
        if (target.id == shooter || !target.alive) continue;
        if (auto t = ray_hits_circle(from, dir, target.position, rules.player_radius, trace.distance)) {
            if (*t < trace.distance || (*t == trace.distance && trace.victim && target.id < *trace.victim)) {
                trace.distance = *t;
                trace.victim = target.id;
            }
        }
    }
    return trace;
}

} // namespace skirmish::sim
