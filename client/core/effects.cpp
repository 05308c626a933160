// client/core/effects.cpp
#include "client/core/effects.hpp"

#include "shared/sim/collision.hpp"
#include "shared/sim/quantise.hpp"

#include <algorithm>
#include <cmath>

namespace skirmish::client {

namespace {
const sim::Player* find(const protocol::SnapshotState& s, sim::PlayerId id) {
    auto it = std::lower_bound(s.players.begin(), s.players.end(), id,
                               [](const sim::Player& q, sim::PlayerId i) { return q.id < i; });
    return it != s.players.end() && it->id == id ? &*it : nullptr;
}
} // namespace

void Effects::set_arena(std::shared_ptr<const sim::Map> map, const sim::Rules& rules) {
    map_ = std::move(map);
    rules_ = rules;
}

void Effects::compare(const protocol::SnapshotState* previous, const protocol::SnapshotState& next, sim::PlayerId self) {
    if (!previous) return;
    // Our hits, as the server counted them (after lag compensation), and our damage.
    const sim::Player* before = find(*previous, self);
    const sim::Player* after = find(next, self);
    if (before && after) {
        if (after->hits > before->hits) {
            hits_confirmed_ += static_cast<std::uint64_t>(after->hits - before->hits);
            since_hit_confirm_s_ = 0;
        }
        if (after->health < before->health && after->alive == before->alive) since_damage_taken_s_ = 0;
    }
    // Everyone else's shots: a rifle cooldown that moved on since the previous snapshot.
    for (const sim::Player& p : next.players) {
        if (p.id == self) continue;
        const sim::Player* then = find(*previous, p.id);
        if (then && p.next_fire_tick != then->next_fire_tick)
            add_tracer(p.id, p.position, p.aim, false, next.players);
    }
}

void Effects::local_shot(const sim::Player& self, const std::vector<sim::Player>& others) {
    add_tracer(self.id, self.position, self.aim, true, others);
}

void Effects::add_kill(KillNotice notice) {
    kill_feed_.push_back(std::move(notice));
    if (kill_feed_.size() > kKillFeedMax) kill_feed_.erase(kill_feed_.begin());
}

void Effects::add_tracer(sim::PlayerId shooter, sim::Vec2 from, std::uint16_t aim, bool local,
                         const std::vector<sim::Player>& targets) {
    if (!map_) return;
    const float a = sim::aim_radians(aim);
    const sim::Vec2 dir{std::cos(a), std::sin(a)};
    float reach = sim::ray_to_walls(*map_, from, dir, rules_.rifle_range);
    for (const sim::Player& p : targets) {
        if (p.id == shooter || !p.alive) continue;
        if (auto t = sim::ray_hits_circle(from, dir, p.position, rules_.player_radius, reach)) reach = *t;
    }
    tracers_.push_back({shooter, from, from + dir * reach, 0.0, local});
}

void Effects::age(double frame_s) {
    for (auto& t : tracers_) t.age_s += frame_s;
    std::erase_if(tracers_, [](const Tracer& t) { return t.age_s > kTracerLifetimeS; });
    for (auto& k : kill_feed_) k.age_s += frame_s;
    std::erase_if(kill_feed_, [](const KillNotice& k) { return k.age_s > kKillFeedLifetimeS; });
    since_hit_confirm_s_ += frame_s;
    since_damage_taken_s_ += frame_s;
}

void Effects::show(ClientView& view) const {
    view.tracers = tracers_;
    view.kill_feed = kill_feed_;
    view.since_hit_confirm_s = since_hit_confirm_s_;
    view.since_damage_taken_s = since_damage_taken_s_;
}

} // namespace skirmish::client
