// shared/sim/step.cpp
#include "shared/sim/step.hpp"

#include "shared/sim/collision.hpp"
#include "shared/sim/quantise.hpp"
#include "shared/sim/shot.hpp"

#include <algorithm>
#include <cmath>
#include <optional>

namespace skirmish::sim {
namespace {

// The move stick as a vector no longer than 1, from untrusted axes.
Vec2 wish_vector(const PlayerInput& in) noexcept {
    const auto axis = [](std::int8_t v) {
        return static_cast<float>(std::clamp<int>(v, -kMoveAxisMax, kMoveAxisMax)) / kMoveAxisMax;
    };
    Vec2 wish{axis(in.move_x), axis(in.move_y)};
    const float len = length(wish);
    if (len > 1.0f) wish = wish * (1.0f / len);
    return wish;
}

bool dashing(const Player& p, Tick tick) noexcept { return tick < p.dash_end_tick; }

void respawn(World& world, Player& p, const Rules& rules) {
    p.position = world.map->spawns[freest_spawn(world, rules, p.id)];
    p.velocity = {};
    p.health = static_cast<std::int16_t>(rules.max_health);
    p.alive = true;
    p.dash_end_tick = 0;
    p.protected_until_tick = world.tick + rules.ticks(rules.spawn_protection_s);
}

void apply_input(Player& p, const PlayerInput& in, Tick tick, const Rules& rules) noexcept {
    p.aim = static_cast<std::uint16_t>(in.aim % kAimSteps);
    const float dt = rules.dt();
    const Vec2 wish = wish_vector(in);
    const float wish_len = length(wish);

    if ((in.buttons & buttons::kDash) && tick >= p.next_dash_tick && rules.dash_duration_s > 0.0f) {
        const Vec2 dir = wish_len > 0.0f ? wish * (1.0f / wish_len) : aim_direction(p.aim);
        p.velocity = dir * rules.dash_speed;
        p.dash_end_tick = tick + rules.ticks(rules.dash_duration_s);
        p.next_dash_tick = tick + rules.ticks(rules.dash_cooldown_s);
    }
    if (dashing(p, tick)) return; // a dash keeps its speed and ignores the stick

    // Friction (Quake-style: at least stop_speed's worth, so slow drift ends).
    const float speed = length(p.velocity);
    if (speed > 0.0f) {
        const float drop = std::max(speed, rules.stop_speed) * rules.friction * dt;
        const float kept = std::max(speed - drop, 0.0f);
        p.velocity = p.velocity * (kept / speed);
    }
    // Acceleration towards the stick, never beyond max speed along it.
    if (wish_len > 0.0f) {
        const Vec2 dir = wish * (1.0f / wish_len);
        const float target = rules.max_speed * wish_len;
        const float along = dot(p.velocity, dir);
        const float room = target - along;
        if (room > 0.0f) p.velocity += dir * std::min(rules.acceleration * dt, room);
    }
}

// Pushes overlapping players apart. Pushes are computed from one snapshot of
// positions and applied together, so the result does not depend on order; each
// push is capped at half a radius, which keeps centres out of walls (see
// move_circle's invariant) before resolve_walls tidies up.
void separate_players(World& world, const Rules& rules, std::vector<Vec2>& pushes) {
    const float r = rules.player_radius;
    const float min_dist = 2.0f * r;
    auto& players = world.players;
    pushes.assign(players.size(), Vec2{});
    // Sweep in x order so only near neighbours are compared.
    std::vector<std::size_t> order(players.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return players[a].position.x < players[b].position.x ||
               (players[a].position.x == players[b].position.x && players[a].id < players[b].id);
    });
    bool any = false;
    for (std::size_t oi = 0; oi < order.size(); ++oi) {
        const std::size_t i = order[oi];
        if (!players[i].alive) continue;
        for (std::size_t oj = oi + 1; oj < order.size(); ++oj) {
            const std::size_t j = order[oj];
            if (players[j].position.x - players[i].position.x >= min_dist) break;
            if (!players[j].alive) continue;
            Vec2 d = players[j].position - players[i].position;
            const float dist2 = dot(d, d);
            if (dist2 >= min_dist * min_dist) continue;
            const float dist = std::sqrt(dist2);
            // Exactly on top of each other: separate along x, lower id to the left.
            Vec2 normal = dist > 1e-6f ? d * (1.0f / dist) : Vec2{1.0f, 0.0f};
            if (dist <= 1e-6f && players[j].id < players[i].id) normal = Vec2{-1.0f, 0.0f};
            const float half = std::min((min_dist - dist) * 0.5f, r * 0.5f);
            pushes[i] -= normal * half;
            pushes[j] += normal * half;
            any = true;
        }
    }
    if (!any) return;
    for (std::size_t i = 0; i < players.size(); ++i) {
        if (pushes[i] == Vec2{}) continue;
        Vec2 push = pushes[i];
        const float len = length(push);
        if (len > r * 0.5f) push = push * (r * 0.5f / len);
        players[i].position += push;
        resolve_walls(*world.map, r, players[i].position, players[i].velocity);
    }
}

struct PendingHit {
    PlayerId shooter;
    PlayerId target;
    std::size_t shot; // index into StepEvents::shots
};

} // namespace

StepEvents step(World& world, std::span<const PlayerInput> inputs, const Rules& rules, PositionHistory* history) {
    StepEvents events;
    const Tick tick = world.tick;
    if (history) history->record(world);

    if (world.phase == MatchPhase::Over) {
        ++world.tick;
        return events;
    }
    const Map& map = *world.map;

    // --- respawns ---
    for (Player& p : world.players) {
        if (!p.alive && tick >= p.respawn_tick) {
            respawn(world, p, rules);
            events.respawns.push_back(p.id);
        }
    }

    // --- inputs: one per player, first one wins ---
    std::vector<const PlayerInput*> input_of(world.players.size(), nullptr);
    for (const PlayerInput& in : inputs) {
        auto it = std::lower_bound(world.players.begin(), world.players.end(), in.player,
                                   [](const Player& p, PlayerId id) { return p.id < id; });
        if (it == world.players.end() || it->id != in.player) continue;
        const auto index = static_cast<std::size_t>(it - world.players.begin());
        if (!input_of[index]) input_of[index] = &in;
    }
    const PlayerInput idle{};
    for (std::size_t i = 0; i < world.players.size(); ++i) {
        Player& p = world.players[i];
        if (!p.alive) continue;
        PlayerInput in = input_of[i] ? *input_of[i] : idle;
        if (!input_of[i]) in.aim = p.aim;
        apply_input(p, in, tick, rules);
    }

    // --- movement ---
    for (Player& p : world.players) {
        if (p.alive) move_circle(map, rules.player_radius, p.position, p.velocity, rules.dt());
    }
    std::vector<Vec2> scratch;
    separate_players(world, rules, scratch);
    quantise_world(world);

    // --- shots, all against the same positions ---
    std::vector<PastPlayer> rewound;
    std::vector<PendingHit> hits;
    for (std::size_t i = 0; i < world.players.size(); ++i) {
        Player& shooter = world.players[i];
        const PlayerInput* in = input_of[i];
        if (!shooter.alive || !in || !(in->buttons & buttons::kFire) || tick < shooter.next_fire_tick) continue;
        shooter.next_fire_tick = tick + rules.ticks(rules.fire_cooldown_s);
        // Firing ends spawn protection, from this tick on (a shot traded this tick can hurt it).
        shooter.protected_until_tick = std::min(shooter.protected_until_tick, tick);

        // Targets as the shooter saw them (lag compensation) or as they are now.
        bool use_history = false;
        Tick rewind_ticks = 0;
        if (history && rules.lag_compensation) {
            const Tick oldest = tick > rules.max_rewind_ticks() ? tick - rules.max_rewind_ticks() : 0;
            const Tick view = std::clamp(in->view_tick, oldest, tick);
            const std::uint8_t fraction = view == in->view_tick ? in->view_fraction : 0;
            use_history = history->positions_at(view, fraction, rewound);
            if (use_history) rewind_ticks = tick - view;
        }
        if (!use_history) {
            rewound.clear();
            for (const Player& p : world.players) rewound.push_back({p.id, p.position, p.alive});
        }
        // Who has died since the view tick (or left): nothing to hit where they were.
        for (PastPlayer& target : rewound) {
            const Player* now = world.find(target.id);
            if (!now || !now->alive) target.alive = false;
        }
        const ShotTrace trace = trace_shot(map, rules, shooter.id, shooter.position, shooter.aim, rewound);
        const Vec2 to = shooter.position + aim_direction(shooter.aim) * trace.distance;
        events.shots.push_back({shooter.id, shooter.position, to, trace.victim, rewind_ticks});
        if (trace.victim) hits.push_back({shooter.id, *trace.victim, events.shots.size() - 1});
    }

    // --- damage and deaths ---
    for (const PendingHit& hit : hits) {
        Player* target = world.find(hit.target);
        // A protected player stops the shot but takes no damage, and it is no hit.
        if (target && tick < target->protected_until_tick) {
            events.shots[hit.shot].hit.reset();
            continue;
        }
        if (Player* shooter = world.find(hit.shooter))
            shooter->hits = static_cast<std::int16_t>(std::min(shooter->hits + 1, 32767));
        if (!target || target->health <= 0) continue; // already killed this tick by another shot
        target->health = static_cast<std::int16_t>(std::max(0, target->health - rules.rifle_damage));
        if (target->health > 0) continue;
        target->alive = false;
        target->velocity = {};
        target->respawn_tick = tick + 1 + rules.ticks(rules.respawn_delay_s);
        target->deaths = static_cast<std::int16_t>(std::min(target->deaths + 1, 32767));
        if (Player* killer = world.find(hit.shooter))
            killer->frags = static_cast<std::int16_t>(std::min(killer->frags + 1, 32767));
        events.kills.push_back({hit.shooter, hit.target});
    }

    ++world.tick;

    // --- match end ---
    const bool frag_limit_hit =
        rules.frag_limit > 0 && std::any_of(world.players.begin(), world.players.end(),
                                            [&](const Player& p) { return p.frags >= rules.frag_limit; });
    const bool time_up = rules.time_limit_s > 0 && world.tick >= rules.time_limit_ticks();
    if (frag_limit_hit || time_up) {
        world.phase = MatchPhase::Over;
        events.match_over = frag_limit_hit ? EndReason::FragLimit : EndReason::TimeLimit;
    }
    return events;
}

} // namespace skirmish::sim
