// client/core/hit_agreement.cpp
#include "client/core/hit_agreement.hpp"

#include <algorithm>

namespace skirmish::client {

HitCounts& HitCounts::operator+=(const HitCounts& o) noexcept {
    shots += o.shots;
    client_hits += o.client_hits;
    confirmed_client_hits += o.confirmed_client_hits;
    phantom_hits += o.phantom_hits;
    unresolved += o.unresolved;
    target_died_first += o.target_died_first;
    shooter_died_first += o.shooter_died_first;
    input_not_applied += o.input_not_applied;
    server_missed += o.server_missed;
    target_killed_by_us += o.target_killed_by_us;
    return *this;
}

HitAgreement::HitAgreement(sim::Tick cooldown_ticks, sim::Tick respawn_delay_ticks)
    : cooldown_(std::max<sim::Tick>(1, cooldown_ticks)), respawn_delay_(respawn_delay_ticks) {}

void HitAgreement::fired(sim::Tick tick, sim::Tick view_tick, std::optional<sim::PlayerId> seen) {
    ++counts_.shots;
    // A tick already judged (the input clock went back after a resync): too late to tell.
    if (tick < std::min(client_through_, server_through_) || (!client_.empty() && tick <= client_.back().tick)) {
        ++counts_.unresolved;
        return;
    }
    client_.push_back({tick, view_tick, seen});
    while (client_.size() > kMaxPending) {
        client_.pop_front();
        ++counts_.unresolved;
    }
}

void HitAgreement::inputs_through(sim::Tick tick) {
    if (tick <= client_through_) return;
    client_through_ = tick;
    resolve();
}

void HitAgreement::snapshot(sim::Tick tick, std::span<const sim::Player> players, sim::PlayerId self) {
    if (have_previous_ && tick <= previous_tick_) return;
    self_ = self;
    remember_deaths(players);
    auto it = std::find_if(players.begin(), players.end(), [&](const sim::Player& p) { return p.id == self; });
    if (it == players.end()) {
        have_previous_ = false; // not in the match: start over from the next snapshot with us in it
        return;
    }
    if (!have_previous_) {
        // What the server fired before this snapshot is unknown.
        if (server_through_ < tick) blind_.push_back({server_through_, tick});
    } else {
        infer(previous_tick_, tick, *it);
    }
    previous_tick_ = tick;
    previous_fire_ = it->next_fire_tick;
    previous_hits_ = it->hits;
    have_previous_ = true;
    server_through_ = tick;
    resolve();
}

void HitAgreement::infer(sim::Tick from, sim::Tick tick, const sim::Player& self) {
    const int hits = std::max(0, self.hits - previous_hits_);
    if (self.next_fire_tick != previous_fire_) {
        // The server fired between the two snapshots; the newest shot's tick is
        // next_fire_tick - cooldown. Exact when no second shot fits in the gap.
        const sim::Tick shot = self.next_fire_tick >= cooldown_ ? self.next_fire_tick - cooldown_ : 0;
        if (tick - from <= cooldown_ && shot >= from && shot < tick && hits <= 1) {
            server_.push_back({shot, hits == 1, false});
            while (server_.size() > kMaxPending) server_.pop_front();
        } else {
            blind_.push_back({from, tick});
        }
    } else if (hits > 0) {
        blind_.push_back({from, tick}); // hits without a shot: nothing to match them with
    }
    while (blind_.size() > kMaxPending) blind_.pop_front();
}

void HitAgreement::remember_deaths(std::span<const sim::Player> players) {
    for (const sim::Player& p : players) {
        // step() sets respawn_tick = death tick + 1 + the respawn delay.
        if (p.alive || p.respawn_tick < respawn_delay_ + 1) continue;
        const Death death{p.id, p.respawn_tick - respawn_delay_ - 1, p.respawn_tick};
        auto it = std::find_if(deaths_.begin(), deaths_.end(), [&](const Death& d) { return d.id == p.id; });
        if (it != deaths_.end()) *it = death;
        else if (deaths_.size() < kMaxPlayers) deaths_.push_back(death);
    }
}

bool HitAgreement::dead_at(sim::PlayerId id, sim::Tick tick, sim::Tick since) const noexcept {
    // Killed at step `died`: from the next step on it neither fires nor can be hit, until it respawns.
    return std::any_of(deaths_.begin(), deaths_.end(), [&](const Death& d) {
        return d.id == id && d.died >= since && d.died < tick && tick < d.respawn;
    });
}

bool HitAgreement::killed_by_us(sim::PlayerId id) const noexcept {
    const auto death = std::find_if(deaths_.begin(), deaths_.end(), [&](const Death& d) { return d.id == id; });
    return death != deaths_.end() && std::any_of(confirmed_.begin(), confirmed_.end(), [&](const Confirmed& c) {
               return c.victim == id && c.tick == death->died;
           });
}

bool HitAgreement::blind(sim::Tick tick) const noexcept {
    return std::any_of(blind_.begin(), blind_.end(), [&](const Span& s) { return tick >= s.from && tick < s.to; });
}

void HitAgreement::judge(const ClientShot& shot, const ServerShot* server) {
    const bool server_hit = server && server->hit;
    if (!shot.seen) {
        if (server_hit) ++counts_.phantom_hits;
        return;
    }
    ++counts_.client_hits;
    if (server_hit) {
        ++counts_.confirmed_client_hits;
        confirmed_.push_back({shot.tick, *shot.seen});
        while (confirmed_.size() > kMaxPending) confirmed_.pop_front();
    } else if (dead_at(self_, shot.tick, 0)) {
        ++counts_.shooter_died_first;
    } else if (!server) {
        ++counts_.input_not_applied;
    } else if (dead_at(*shot.seen, shot.tick, shot.view_tick)) {
        ++counts_.target_died_first;
        if (killed_by_us(*shot.seen)) ++counts_.target_killed_by_us;
    } else {
        ++counts_.server_missed;
    }
}

void HitAgreement::resolve() {
    const sim::Tick limit = std::min(client_through_, server_through_);
    while (!client_.empty() && client_.front().tick < limit) {
        const ClientShot shot = client_.front();
        client_.pop_front();
        if (blind(shot.tick)) {
            ++counts_.unresolved;
            continue;
        }
        auto it = std::find_if(server_.begin(), server_.end(), [&](const ServerShot& s) { return s.tick == shot.tick; });
        if (it != server_.end()) it->matched = true;
        judge(shot, it != server_.end() ? &*it : nullptr);
    }
    // The server's shots that no shot of ours matched: a hit there is one the player never saw.
    while (!server_.empty() && server_.front().tick < limit) {
        if (!server_.front().matched && server_.front().hit) ++counts_.phantom_hits;
        server_.pop_front();
    }
    while (!blind_.empty() && blind_.front().to <= limit) blind_.pop_front();
}

} // namespace skirmish::client
