// client/core/prediction.cpp
#include "client/core/prediction.hpp"

#include "shared/sim/collision.hpp"
#include "shared/sim/quantise.hpp"

#include <algorithm>
#include <cmath>

namespace skirmish::client {

namespace {
// Whether the snapshot has us killed or another living player touching us (see Correction::by_players).
bool by_players(const protocol::SnapshotState& snapshot, const sim::Player& self, bool was_alive, float radius) {
    if (was_alive && !self.alive) return true;
    const float reach = 2.0f * radius + Predictor::kTouchMarginUnits;
    return std::any_of(snapshot.players.begin(), snapshot.players.end(), [&](const sim::Player& p) {
        return p.id != self.id && p.alive && sim::length(p.position - self.position) <= reach;
    });
}
} // namespace

Predictor::Predictor(std::shared_ptr<const sim::Map> map, const sim::Rules& rules, sim::PlayerId self,
                     PredictionOptions options)
    : rules_(rules), self_(self), options_(options), world_(sim::make_world(std::move(map))) {}

const sim::Player* Predictor::predicted() const noexcept { return have_state_ ? world_.find(self_) : nullptr; }

sim::StepEvents Predictor::apply(sim::Tick tick, const sim::PlayerInput& input) {
    if (!have_state_) return {};
    // The predicted world must sit at `tick`; if the input clock jumped, follow it.
    if (world_.tick != tick) world_.tick = tick;
    return step_and_keep(input);
}

sim::StepEvents Predictor::step_and_keep(const sim::PlayerInput& input) {
    const sim::Tick tick = world_.tick;
    sim::PlayerInput in = input;
    in.player = self_;
    sim::StepEvents events;
    const sim::Player* self = world_.find(self_);
    if (self && !self->alive) {
        // Dead, we only wait; where we come back is the server's choice (the
        // freest spawn, away from players this world does not hold), so the
        // respawn is not predicted: the snapshot that shows it brings us back.
        ++world_.tick;
    } else {
        events = sim::step(world_, std::span(&in, 1), rules_);
    }
    Frame& f = frames_.claim(tick);
    f.input = in;
    if (const sim::Player* p = world_.find(self_)) f.result = *p;
    return events;
}

Correction Predictor::reconcile(const protocol::SnapshotState& snapshot) {
    auto it = std::lower_bound(snapshot.players.begin(), snapshot.players.end(), self_,
                               [](const sim::Player& p, sim::PlayerId id) { return p.id < id; });
    if (it == snapshot.players.end() || it->id != self_) return {};
    const sim::Player& server = *it;

    if (!have_state_) {
        world_.tick = snapshot.tick;
        world_.phase = snapshot.phase;
        world_.players = {server};
        have_state_ = true;
        return {};
    }
    world_.phase = snapshot.phase;
    // Nothing to replay if the snapshot is not behind our prediction.
    if (snapshot.tick >= world_.tick) {
        const sim::Vec2 before = world_.players.empty() ? server.position : world_.players.front().position;
        const bool was_alive = world_.players.empty() || world_.players.front().alive;
        world_.tick = snapshot.tick;
        world_.players = {server};
        const float distance = sim::length(server.position - before);
        if (distance > 0.0f) offset_ = options_.smoothing && distance < options_.teleport_distance ? offset_ + (before - server.position) : sim::Vec2{};
        return {distance > 0.0f, distance, by_players(snapshot, server, was_alive, rules_.player_radius)};
    }
    // What we had predicted for this tick is the result of the input of tick - 1.
    const Frame* previous = frames_.find(snapshot.tick - 1);
    if (previous && previous->result == server) return {};

    const bool was_alive = previous ? previous->result.alive : world_.find(self_)->alive;

    // Rewind to the server's state and replay our inputs since.
    const sim::Player before = *world_.find(self_);
    const sim::Tick now = world_.tick;
    world_.tick = snapshot.tick;
    world_.players = {server};
    for (sim::Tick t = snapshot.tick; t < now; ++t) {
        const Frame* kept = frames_.find(t);
        step_and_keep(kept ? kept->input : sim::PlayerInput{self_});
    }
    const sim::Player* after = world_.find(self_);
    if (!after) return {};
    const float distance = sim::length(after->position - before.position);
    if (distance <= 0.0f && after->velocity == before.velocity) return {};
    if (options_.smoothing && distance < options_.teleport_distance) offset_ += before.position - after->position;
    else offset_ = {};
    return {true, distance, by_players(snapshot, server, was_alive, rules_.player_radius)};
}

void Predictor::decay(double seconds) {
    if (!options_.smoothing) {
        offset_ = {};
        return;
    }
    const auto k = static_cast<float>(std::exp(-seconds / options_.smoothing_time_constant_s));
    offset_ = offset_ * k;
    if (sim::length(offset_) < 0.01f) offset_ = {};
}

float Predictor::nudge(sim::Vec2 by) {
    sim::Player* p = have_state_ ? world_.find(self_) : nullptr;
    if (!p || !p->alive || !world_.map) return 0.0f;
    const sim::Vec2 before = p->position;
    sim::Vec2 velocity = by; // over one second: the whole nudge, stopped by walls
    sim::move_circle(*world_.map, rules_.player_radius, p->position, velocity, 1.0f);
    p->position = {sim::quantise(p->position.x, sim::kPositionScale), sim::quantise(p->position.y, sim::kPositionScale)};
    return sim::length(p->position - before);
}

std::optional<sim::Player> Predictor::predicted_at(sim::Tick tick) const {
    if (tick == 0) return std::nullopt;
    const Frame* f = frames_.find(tick - 1);
    if (!f) return std::nullopt;
    return f->result;
}

sim::Vec2 Predictor::visual_position() const noexcept {
    const sim::Player* p = predicted();
    return p ? p->position + offset_ : sim::Vec2{};
}

} // namespace skirmish::client
