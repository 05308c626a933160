// server/game/shot_judgement.cpp
#include "server/game/shot_judgement.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace skirmish::server {

std::optional<protocol::ShotJudged> judge_shot(const sim::ShotEvent& shot, const sim::PlayerInput& input,
                                               sim::Tick tick, const sim::World& world,
                                               const sim::PositionHistory& history, const sim::Rules& rules) {
    // The targets as step() checked them (shared/sim/step.cpp, "shots").
    std::vector<sim::PastPlayer> targets;
    bool rewound = false;
    if (rules.lag_compensation) {
        const sim::Tick oldest = tick > rules.max_rewind_ticks() ? tick - rules.max_rewind_ticks() : 0;
        const sim::Tick view = std::clamp(input.view_tick, oldest, tick);
        const std::uint8_t fraction = view == input.view_tick ? input.view_fraction : 0;
        rewound = history.positions_at(view, fraction, targets);
    }
    if (!rewound) {
        targets.clear();
        for (const sim::Player& p : world.players) targets.push_back({p.id, p.position, p.alive});
    }

    const sim::Vec2 line = shot.to - shot.from;
    const float length = sim::length(line);
    const sim::Vec2 dir = length > 0.0f ? line * (1.0f / length) : sim::Vec2{1, 0};
    const sim::PastPlayer* best = nullptr;
    float best_distance = kNearLine * rules.player_radius;
    for (const sim::PastPlayer& t : targets) {
        if (shot.hit && t.id == *shot.hit) { // the victim (it may have died of this very shot)
            best = &t;
            break;
        }
        // As step() does: nobody to hit where a player was who is dead (or gone) now.
        const sim::Player* now = world.find(t.id);
        if (t.id == shot.shooter || !t.alive || !now || !now->alive || shot.hit) continue;
        const sim::Vec2 to_target = t.position - shot.from;
        const float along = std::clamp(to_target.x * dir.x + to_target.y * dir.y, 0.0f, length);
        const float off = sim::length(to_target - dir * along);
        if (off <= best_distance) {
            best_distance = off;
            best = &t;
        }
    }
    if (!best) return std::nullopt;
    protocol::ShotJudged out;
    out.tick = tick;
    out.target_id = sim::to_int(best->id);
    out.target = best->position;
    out.rewind_ticks = static_cast<std::uint16_t>(std::min<sim::Tick>(shot.rewind_ticks, protocol::kMaxJudgedRewindTicks));
    out.hit = shot.hit.has_value();
    return out;
}

} // namespace skirmish::server
